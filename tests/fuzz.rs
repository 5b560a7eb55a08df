//! Bounded fuzzing (issue 17): no input panics or hangs the analyzer. Runs in CI with a small
//! case budget (a few seconds); `CLERK_GUARD_FUZZ_CASES=100000 cargo test --release --test
//! fuzz` runs longer. Three targets:
//!
//! - whole-file analysis of arbitrary bytes as a route handler, a middleware, a client
//!   component, a `pages/api` module and a server action, the way the LSP analyses a buffer
//!   (facts, code facts, boundary facts, then the project model and every rule);
//! - the middleware evaluator, over middleware assembled from Clerk-shaped fragments (random
//!   bytes rarely reach it);
//! - the matcher compiler (path-to-regexp, Next.js matchers, Clerk route matchers, JS
//!   regular expressions) over arbitrary sources, then matching arbitrary paths.
//!
//! The corpus seeds in `testdata/fuzz/` (deep nesting, huge lines, invalid UTF-8, NUL bytes,
//! UTF-16) run first, whole and mutated.

mod common;

use std::path::{Path, PathBuf};

use clerk_guard::config::Config;
use clerk_guard::engine::{RuleSet, check};
use clerk_guard::project::Project;
use clerk_guard::project::matcher::{PathPattern, PatternOptions, sample_paths};
use clerk_guard::source::{FileKind, InputFile, Origin};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

/// Where each document is analysed (covers every entry kind and a plain module).
const NAMES: &[&str] = &[
    "app/api/x/route.ts",
    "middleware.ts",
    "components/Menu.tsx",
    "pages/api/x.js",
    "app/actions.ts",
];

const PKG: &str =
    r#"{ "name": "f", "dependencies": { "next": "15.0.0", "@clerk/nextjs": "6.0.0" } }"#;

fn cases(default: u32) -> u32 {
    std::env::var("CLERK_GUARD_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    })
}

fn facts(rel: &str, bytes: Vec<u8>) -> Option<clerk_guard::facts::FileFacts> {
    let input = InputFile {
        rel: rel.to_string(),
        abs: PathBuf::from("/nonexistent/clerk-guard-fuzz").join(rel),
        kind: FileKind::classify(rel),
        origin: Origin::default(),
    };
    clerk_guard::overlay::facts_for(&input, bytes)
}

/// Analyse `files` as one app, the way a scan or the LSP does; returns the `routes --format
/// json` document.
fn analyse(files: &[(&str, Vec<u8>)]) -> serde_json::Value {
    let mut all = vec![facts("package.json", PKG.as_bytes().to_vec()).expect("text")];
    for (rel, bytes) in files {
        if let Some(f) = facts(rel, bytes.clone()) {
            let _ = f.code();
            let _ = f.gates();
            all.push(f);
        }
    }
    let project = Project::build(
        PathBuf::from("/nonexistent/clerk-guard-fuzz"),
        all,
        vec![String::new()],
        Config::default(),
    );
    let rules = RuleSet::new(&Config::default(), &[], &[]).expect("rules");
    let _ = check(&project, &rules, None);
    serde_json::from_str(&clerk_guard::routes_cmd::json(&project)).expect("routes JSON")
}

/// Every seed of `testdata/fuzz`, sorted: (file name, bytes).
fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("testdata/fuzz")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".seed"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn seeds_analyse_without_panics() {
    let seeds = seeds();
    assert!(seeds.len() >= 10, "{} seeds", seeds.len());
    // Each seed under two of the names, rotating (every name sees every shape over the
    // corpus; all five for every seed with CLERK_GUARD_FUZZ_CASES set).
    let all = std::env::var_os("CLERK_GUARD_FUZZ_CASES").is_some();
    for (i, (seed, bytes)) in seeds.iter().enumerate() {
        for (k, name) in NAMES.iter().enumerate() {
            if !all && k != i % NAMES.len() && k != (i + 2) % NAMES.len() {
                continue;
            }
            let t0 = std::time::Instant::now();
            analyse(&[(name, bytes.clone())]);
            assert!(
                t0.elapsed().as_secs() < 20,
                "{seed} as {name}: {:?}",
                t0.elapsed()
            );
        }
    }
    // Generated at run time rather than committed: a 3 MB line, as an entry (parsed up to
    // 16 MiB) and as a plain module (byte-scanned only).
    let line = format!("export const a = \"{}\"\n", "x".repeat(3 << 20));
    for name in ["app/api/x/route.ts", "components/Menu.tsx"] {
        analyse(&[(name, line.clone().into_bytes())]);
    }
    let f = facts("app/api/x/route.ts", line.into_bytes()).unwrap();
    assert!(!f.oversized && f.code().is_some());
    // The seeds are analysed, not skipped: the basic route has code facts, and the
    // NUL-byte server action keeps its directive.
    let get = |n: &str| seeds.iter().find(|(s, _)| s == n).unwrap().1.clone();
    let route = facts("app/api/x/route.ts", get("route-basic.ts.seed")).unwrap();
    assert!(route.code().is_some());
    let action = facts("app/actions.ts", get("nul-bytes.ts.seed")).unwrap();
    assert!(action.directive().is_some());
}

/// Bytes: a seed mutated (bytes replaced, inserted, truncated), or random bytes.
fn document() -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = seeds().into_iter().map(|(_, b)| b).collect();
    let mutated = (
        prop::sample::select(seeds),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(mut bytes, edits, cut, truncate)| {
            for (at, b) in edits {
                if bytes.is_empty() {
                    bytes.push(b);
                } else {
                    let i = at.index(bytes.len());
                    if b % 2 == 0 {
                        bytes[i] = b;
                    } else {
                        bytes.insert(i, b);
                    }
                }
            }
            if truncate && !bytes.is_empty() {
                bytes.truncate(cut.index(bytes.len()));
            }
            bytes
        });
    let tokens = prop::collection::vec(
        prop::sample::select(vec![
            "(",
            ")",
            "{",
            "}",
            "[",
            "]",
            "<div>",
            "</div>",
            "'",
            "\"",
            "`",
            "${",
            "/*",
            "*/",
            "//",
            "\n",
            "=>",
            "async ",
            "await ",
            "export ",
            "default ",
            "function ",
            "const ",
            "import ",
            "from ",
            "'@clerk/nextjs/server'",
            "auth()",
            "auth.protect()",
            "if ",
            "else ",
            "return ",
            "!",
            "&&",
            "||",
            "?.",
            ".",
            ",",
            ";",
            "GET",
            "POST",
            "x",
            "'use client'",
            "'use server'",
            "\0",
            "\u{feff}",
            "\u{1b}",
            "é",
            "😀",
        ]),
        0..200,
    )
    .prop_map(|t| t.concat().into_bytes());
    prop_oneof![mutated, tokens, prop::collection::vec(any::<u8>(), 0..2048),]
}

#[test]
fn arbitrary_documents_never_panic() {
    let mut runner = runner(cases(128));
    runner
        .run(
            &(document(), prop::sample::select(NAMES.to_vec())),
            |(bytes, name)| {
                analyse(&[(name, bytes)]);
                Ok(())
            },
        )
        .unwrap();
}

/// A middleware from Clerk-shaped fragments, with a route it may or may not protect.
fn middleware() -> impl Strategy<Value = String> {
    let pattern = prop::sample::select(vec![
        "/",
        "/api(.*)",
        "/admin/:path*",
        "/(.*)",
        "((?!_next).*)",
        "/:a(\\d+)",
        "/[",
        "(",
        "/sign-in(.*)",
        "/((?!api|_next/static|favicon.ico).*)",
        "",
        "\\\\",
        "/:x?",
        "/a{b}",
        "/(api|trpc)(.*)",
        "/.*",
    ]);
    let cond = prop::sample::select(vec![
        "isPublic(req)",
        "!isPublic(req)",
        "isAdmin(req)",
        "req.nextUrl.pathname.startsWith('/api')",
        "req.nextUrl.pathname === '/'",
        "(await auth()).userId",
        "!(await auth()).userId",
        "req.headers.get('x-admin')",
        "true",
        "process.env.X",
    ]);
    let stmt = prop::sample::select(vec![
        "await auth.protect()",
        "await auth.protect({ role: 'org:admin' })",
        "return NextResponse.next()",
        "return NextResponse.redirect(new URL('/sign-in', req.url))",
        "return (await auth()).redirectToSignIn()",
        "return",
        "const { userId } = await auth()",
        "if (!userId) return new Response(null, { status: 401 })",
        "throw new Error('x')",
        "",
    ]);
    let body = prop::collection::vec((cond, stmt.clone(), stmt, 0u8..4), 0..8).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(c, a, b, shape)| match shape {
                0 => format!("if ({c}) {{ {a} }} else {{ {b} }}\n"),
                1 => format!("if ({c}) {a}\n{b}\n"),
                2 => format!("{a}\n"),
                _ => format!("if ({c}) {{ if ({c}) {{ {a} }} }}\n"),
            })
            .collect::<String>()
    });
    (
        prop::collection::vec(pattern.clone(), 0..4),
        prop::collection::vec(pattern.clone(), 0..4),
        prop::collection::vec(pattern, 0..3),
        body,
        any::<bool>(),
    )
        .prop_map(|(public, admin, matcher, body, wrapped)| {
            let list = |v: &[&str]| {
                v.iter()
                    .map(|p| format!("{p:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let handler = format!("async (auth, req) => {{\n{body}}}");
            let export = if wrapped {
                format!("export default clerkMiddleware({handler})")
            } else {
                format!("const mw = clerkMiddleware({handler})\nexport default mw")
            };
            format!(
                "import {{ clerkMiddleware, createRouteMatcher }} from '@clerk/nextjs/server'\n\
                 import {{ NextResponse }} from 'next/server'\n\
                 const isPublic = createRouteMatcher([{}])\n\
                 const isAdmin = createRouteMatcher([{}])\n\
                 {export}\n\
                 export const config = {{ matcher: [{}] }}\n",
                list(&public),
                list(&admin),
                list(&matcher)
            )
        })
}

#[test]
fn middleware_evaluator_never_panics() {
    let route = b"export async function GET() { return Response.json({}) }\n".to_vec();
    let page = b"export default function P() { return null }\n".to_vec();
    // The harness reaches the evaluator: a generated shape is loaded and protects the route.
    let known = "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\n\
                 const isPublic = createRouteMatcher([\"/\"])\n\
                 export default clerkMiddleware(async (auth, req) => {\n\
                 if (!isPublic(req)) { await auth.protect() } else { return }\n})\n\
                 export const config = { matcher: [\"/(.*)\"] }\n";
    let doc = analyse(&[
        ("middleware.ts", known.as_bytes().to_vec()),
        ("app/api/users/[id]/route.ts", route.clone()),
    ]);
    assert_eq!(doc["apps"][0]["middleware"][0]["loaded"], true, "{doc}");
    assert_eq!(doc["routes"][0]["protected"], true, "{doc}");
    let mut runner = runner(cases(120));
    runner
        .run(&middleware(), |mw| {
            analyse(&[
                ("middleware.ts", mw.into_bytes()),
                ("app/api/users/[id]/route.ts", route.clone()),
                ("app/admin/page.tsx", page.clone()),
            ]);
            Ok(())
        })
        .unwrap();
}

#[test]
fn matcher_compiler_never_panics() {
    let source = prop_oneof![
        prop::collection::vec(
            prop::sample::select(vec![
                "/", ":", "id", "(", ")", "*", "+", "?", "{", "}", "[", "]", "\\", ".", "|", "^",
                "$", "(?!", "(?:", "a", "_next", "-", "\u{0}", "é", "%", "#",
            ]),
            0..40,
        )
        .prop_map(|t| t.concat()),
        any::<String>(),
    ];
    let flags = prop::sample::select(vec!["", "i", "g", "gi", "u", "y", "s", "m", "d", "v", "x"]);
    let mut runner = runner(cases(300));
    runner
        .run(&(source.clone(), source, flags), |(src, path, flags)| {
            let mut compiled = Vec::new();
            for options in [
                PatternOptions::PATH_TO_REGEXP_DEFAULT,
                PatternOptions::NEXT_MATCHER,
                PatternOptions::CLERK_ROUTE_MATCHER,
            ] {
                compiled.push(PathPattern::compile(&src, &options));
            }
            compiled.push(PathPattern::next_matcher(&src));
            compiled.push(PathPattern::clerk_route(&src));
            compiled.push(PathPattern::from_js_regex(&src, flags));
            for p in compiled.into_iter().flatten() {
                let _ = p.is_match(&path);
                let _ = p.find(&path);
                let _ = p.is_match(&src);
            }
            let _ = sample_paths(&src);
            let _ = clerk_guard::project::matcher::normalize_clerk_path(&src);
            Ok(())
        })
        .unwrap();
}
