//! Bad input never panics and never stops the scan: binary files, invalid UTF-8, huge minified
//! bundles, syntax errors, symlink loops, dangling links, FIFOs, unreadable files.

mod common;

use std::fs;

use clerk_guard::engine::{ScanOptions, read_facts, scan};
use clerk_guard::source::{FileKind, InputFile, Origin};
use common::{run, run_in};

const KEY: &str = "sk_live_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc";

#[test]
fn hostile_tree_scans_to_completion() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("package.json"),
        "{ \"name\": \"x\", \"dependencies\": { \"next\": \"15\" } ",
    )
    .unwrap();
    fs::create_dir_all(root.join("components")).unwrap();
    // Binary file with a key: read for keys (see `keys_in_binary_files_are_found`).
    let mut bin = vec![0u8, 1, 2, 3];
    bin.extend_from_slice(KEY.as_bytes());
    fs::write(root.join("logo.png"), &bin).unwrap();
    // Invalid UTF-8 around a key in a client module: read lossily, still found.
    let mut bad = b"'use client'\n\xff\xfe const k = '".to_vec();
    bad.extend_from_slice(KEY.as_bytes());
    bad.extend_from_slice(b"'\n\xc3\x28\n");
    fs::write(root.join("components/Bad.tsx"), &bad).unwrap();
    // Syntax errors: facts still extracted (directive, key).
    fs::write(
        root.join("components/Broken.tsx"),
        format!("'use client'\nexport function (( {{ <div>\nconst k = '{KEY}'\n"),
    )
    .unwrap();
    fs::write(
        root.join("next.config.js"),
        "module.exports = { env: { CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY } }\nconst = (;\n",
    )
    .unwrap();
    // A huge minified bundle (4 MB on one line) in built client output.
    fs::create_dir_all(root.join(".next/static/chunks")).unwrap();
    let mut bundle = "var a=1;".repeat(500_000);
    bundle.push_str(&format!("var k=\"{KEY}\";"));
    fs::write(root.join(".next/static/chunks/main.js"), &bundle).unwrap();
    // A huge source file: over the parse cap, still byte-scanned.
    fs::write(
        root.join("components/huge.js"),
        format!(
            "'use client'\n{}\nconst k='{KEY}'\n",
            "x=1;\n".repeat(600_000)
        ),
    )
    .unwrap();
    // Empty files, odd names.
    fs::write(root.join("empty.ts"), "").unwrap();
    fs::write(root.join(".env"), "\u{feff}\n=\nNAME\n\"unterminated=\n").unwrap();
    fs::write(root.join("weird name é.tsx"), "'use client'\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        fs::create_dir_all(root.join("loop")).unwrap();
        symlink(root, root.join("loop/back")).unwrap();
        symlink(root.join("missing"), root.join("dangling.ts")).unwrap();
        let fifo = root.join("pipe");
        let _ = std::process::Command::new("mkfifo").arg(&fifo).status();
    }
    let result = scan(&ScanOptions {
        paths: vec![root.to_path_buf()],
        ..ScanOptions::default()
    })
    .expect("scan completes");
    let found: Vec<(&str, &str)> = result
        .findings
        .iter()
        .map(|f| (f.path.as_str(), f.rule))
        .collect();
    assert!(
        found.contains(&("components/Bad.tsx", "secret-key-in-client")),
        "{found:?}"
    );
    assert!(
        found.contains(&("components/Broken.tsx", "secret-key-in-client")),
        "{found:?}"
    );
    assert!(
        found.contains(&("components/huge.js", "secret-key-in-client")),
        "{found:?}"
    );
    assert!(
        found.contains(&(".next/static/chunks/main.js", "secret-key-in-client")),
        "{found:?}"
    );
    assert!(
        found.contains(&("next.config.js", "secret-key-exposed-env")),
        "{found:?}"
    );
    assert!(
        found.contains(&("logo.png", "hardcoded-secret-key")),
        "{found:?}"
    );
    assert!(!found.iter().any(|(p, _)| p.starts_with("loop/")));
    // The CLI exits normally with findings (1), not with an error or a crash.
    let out = run(&["scan", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
}

#[test]
fn unreadable_file_is_a_warning() {
    // Running as root, permissions cannot make a file unreadable; a path that vanished
    // between the walk and the read takes the same code path.
    let input = InputFile {
        rel: "gone.ts".into(),
        abs: "/no/such/dir/gone.ts".into(),
        kind: FileKind::classify("gone.ts"),
        origin: Origin::default(),
    };
    let err = read_facts(&input).unwrap_err();
    assert!(err.starts_with("cannot read gone.ts"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_directory_warns_and_continues() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("locked")).unwrap();
    fs::write(root.join("locked/a.ts"), "x").unwrap();
    fs::write(
        root.join("b.ts"),
        format!("'use client'\nconst k = '{KEY}'\n"),
    )
    .unwrap();
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let out = run(&["scan", root.to_str().unwrap(), "--format", "json"]);
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status, 1);
    assert!(out.stdout.contains("\"path\": \"b.ts\""));
}

// ----- issue 17: nesting that used to overflow the stack, and super-linear extraction -----

const PKG: &str =
    r#"{ "name": "x", "dependencies": { "next": "15.0.0", "@clerk/nextjs": "6.0.0" } }"#;
/// A Next.js app that does not use Clerk (no `missing-middleware` finding of its own).
const PKG_NEXT: &str = r#"{ "name": "x", "dependencies": { "next": "15.0.0" } }"#;
const IMPORT_AUTH: &str = "import { auth } from '@clerk/nextjs/server'\n";
const IMPORT_MW: &str = "import { clerkMiddleware } from '@clerk/nextjs/server'\n";

/// Deeply nested inputs, each (file, text): every one aborted the scan with a stack overflow.
fn deep_inputs() -> Vec<(&'static str, &'static str, String)> {
    let n_blocks = 1_240 * 3;
    let else_ifs: String = (1..1_700 * 2)
        .map(|i| format!(" else if (req.a{i}) {{}}"))
        .collect();
    let ands: Vec<String> = (0..2_300 * 2).map(|i| format!("req.a{i}")).collect();
    vec![
        (
            "blocks",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{{}{}}}\n",
                "{".repeat(n_blocks),
                "}".repeat(n_blocks)
            ),
        ),
        (
            "functions",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{{}{}}}\n",
                "function f() {".repeat(2_700),
                "}".repeat(2_700)
            ),
        ),
        (
            "arrows",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export const GET = {}1\n",
                "() => ".repeat(5_000)
            ),
        ),
        (
            "members",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{ return a{} }}\n",
                ".b".repeat(10_000)
            ),
        ),
        (
            "calls",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{ return a{} }}\n",
                ".a()".repeat(8_000)
            ),
        ),
        (
            "parens",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{ const {{ userId }} = {}await auth(){}; if (!userId) return new Response('', {{ status: 401 }}); return Response.json({{}}) }}\n",
                "(".repeat(3_000),
                ")".repeat(3_000)
            ),
        ),
        (
            "ands-in-route",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET(req) {{ const {{ userId }} = await auth(); if (!userId && {}) return new Response('', {{ status: 401 }}); return Response.json({{}}) }}\n",
                ands.join(" && ")
            ),
        ),
        (
            "option-ors",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}function w(h, o) {{ return async (req) => {{ if ({}) {{ const {{ userId }} = await auth(); if (o.a && !userId) throw new Error('401') }} return h(req) }} }}\nexport const GET = w(async () => Response.json({{}}), {{ a: true }})\n",
                vec!["o.a"; 40_000].join(" || ")
            ),
        ),
        (
            "option-blocks",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}function w(h, o) {{ return async (req) => {{ {}const {{ userId }} = await auth(); if (o.a && !userId) throw new Error('401'){} return h(req) }} }}\nexport const GET = w(async () => Response.json({{}}), {{ a: true }})\n",
                "if (o.a || o.b) {".repeat(2_000),
                "}".repeat(2_000)
            ),
        ),
        (
            "option-spreads",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}function w(h, o) {{ return async (req) => {{ const {{ userId }} = await auth(); if (o.a && !userId) throw new Error('401'); return h(req) }} }}\nfunction v(h, o) {{ return w(h, {}o{}) }}\nexport const GET = v(async () => Response.json({{}}), {{ a: true }})\n",
                "{ ...".repeat(3_000),
                " }".repeat(3_000)
            ),
        ),
        (
            "curried",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}function w() {{ return (h) => h }}\nexport const GET = w{}(async () => Response.json({{}}))\n",
                "()".repeat(3_000)
            ),
        ),
        (
            "nested-ifs",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{{}await auth.protect(){}}})\n",
                "if (req.url) {".repeat(1_400 * 2),
                "}".repeat(1_400 * 2)
            ),
        ),
        (
            "else-ifs",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ if (req.a0) {{}}{else_ifs} else {{ await auth.protect() }} }})\n"
            ),
        ),
        (
            "ands",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ if ({}) {{ await auth.protect() }} }})\n",
                ands.join(" && ")
            ),
        ),
        (
            "ors-and-nots",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ if ({}req.x{}) {{ await auth.protect() }} }})\n",
                "!(req.y || ".repeat(2_000),
                ")".repeat(2_000)
            ),
        ),
        (
            "ternaries",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ {}auth.protect(){} }})\n",
                "req.a ? 1 : ".repeat(3_000),
                ""
            ),
        ),
        (
            "client-jsx",
            "components/Deep.tsx",
            format!(
                "'use client'\nimport {{ useAuth }} from '@clerk/nextjs'\nexport default function Deep() {{ const {{ userId }} = useAuth(); if (!userId) return null; return {}x{} }}\n",
                "<div>".repeat(3_000),
                "</div>".repeat(3_000)
            ),
        ),
        (
            "client-conditions",
            "components/Cond.tsx",
            format!(
                "'use client'\nimport {{ useAuth }} from '@clerk/nextjs'\nexport default function C() {{ const {{ userId }} = useAuth(); return {}null }}\n",
                "userId ? <a/> : ".repeat(3_000)
            ),
        ),
        (
            "page-patterns",
            "app/page.tsx",
            format!(
                "import {{ auth }} from '@clerk/nextjs/server'\nexport default async function P() {{ const {{ {}x{} }} = await auth(); return null }}\n",
                "a: { ".repeat(2_000),
                " }".repeat(2_000)
            ),
        ),
        (
            "action-arrays",
            "app/actions.ts",
            format!(
                "'use server'\nimport {{ auth }} from '@clerk/nextjs/server'\nexport async function act() {{ const x = {}1{}; return x }}\n",
                "[".repeat(5_000),
                "]".repeat(5_000)
            ),
        ),
    ]
}

fn deep_project(file: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("package.json"), PKG).unwrap();
    let path = dir.path().join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    dir
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    for (name, file, text) in deep_inputs() {
        let dir = deep_project(file, &text);
        let root = dir.path().to_str().unwrap();
        for args in [
            vec!["scan", root, "--format", "json"],
            vec!["routes", root, "--format", "json"],
        ] {
            let out = run(&args);
            assert!(
                out.status == 0 || out.status == 1,
                "{name}: {args:?} exited {}: {}",
                out.status,
                &out.stderr[out.stderr.len().saturating_sub(600)..]
            );
        }
    }
}

#[test]
fn deep_nesting_is_reported_as_incomplete() {
    let (_, file, text) = deep_inputs().remove(0);
    let dir = deep_project(file, &text);
    let out = run(&["scan", dir.path().to_str().unwrap(), "--format", "json"]);
    assert!(out.status == 0 || out.status == 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("app/api/x/route.ts") && out.stderr.contains("nested too deeply"),
        "{}",
        out.stderr
    );
}

/// Node visits of extracting the code facts of `auth(auth(…))` nested `n` deep, with `auth`
/// the middleware callback's parameter (each call used to climb `Node::parent()` to the root,
/// itself O(depth): n = 1,000 took minutes).
fn nested_auth_visits(n: usize) -> (u64, usize) {
    let text = format!(
        "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ const v = {}1{}; return v }})\n",
        "auth(".repeat(n),
        ")".repeat(n)
    );
    let input = InputFile {
        rel: "middleware.ts".into(),
        abs: "middleware.ts".into(),
        kind: FileKind::classify("middleware.ts"),
        origin: Origin::default(),
    };
    let facts = clerk_guard::facts::extract(&input, text.clone());
    let before = clerk_guard::facts::depth::visits();
    let code = facts.code().expect("parsed");
    assert!(!code.functions.is_empty());
    (clerk_guard::facts::depth::visits() - before, text.len())
}

#[test]
fn nested_calls_extract_in_linear_node_visits() {
    let (small, _) = nested_auth_visits(500);
    let (large, large_len) = nested_auth_visits(4_000);
    // Generous: at most 64 visits per byte, and 8x the input costs at most ~8x (not 64x).
    assert!(
        large <= 64 * large_len as u64,
        "{large} visits for {large_len} bytes"
    );
    assert!(
        large <= small * 8 * 3 / 2,
        "500 deep: {small} visits, 4000 deep: {large} visits"
    );
    assert!(small > 0);
}

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("package.json"), PKG).unwrap();
    let api = root.join("app/api/\x1b[31mred\x07");
    fs::create_dir_all(&api).unwrap();
    fs::write(
        api.join("route.ts"),
        format!(
            "export async function GET() {{ return Response.json({{}}) }}\nconst k = '{KEY}'\n"
        ),
    )
    .unwrap();
    fs::create_dir_all(root.join("components")).unwrap();
    fs::write(
        root.join("components/\x1b]0;title\x07.tsx"),
        format!("'use client'\nconst k = '{KEY}' // \x1b[2J\n"),
    )
    .unwrap();
    let r = root.to_str().unwrap();
    for args in [vec!["scan", r, "--color", "never"], vec!["routes", r]] {
        let out = run(&args);
        assert!(out.status <= 1, "{args:?}: {}", out.stderr);
        assert!(
            !out.stdout.contains('\x1b') && !out.stdout.contains('\x07'),
            "{args:?}: {:?}",
            out.stdout
        );
        assert!(out.stdout.contains("\\u{1b}"), "{args:?}: {}", out.stdout);
    }
}

#[cfg(unix)]
#[test]
fn endless_config_and_baseline_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.ts"), "export const a = 1\n").unwrap();
    let r = dir.path().to_str().unwrap();
    for flag in ["--config", "--baseline"] {
        let out = run(&["scan", r, flag, "/dev/zero"]);
        assert_eq!(out.status, 2, "{flag}: {}", out.stderr);
        assert!(out.stderr.contains("limit"), "{flag}: {}", out.stderr);
    }
}

// ----- issue 17, second part: hostile trees, oversized entries, odd encodings -----

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {:?}", out);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn client_with_key() -> String {
    format!("'use client'\nexport const k = '{KEY}'\n")
}

/// `(path, rule)` of the findings of a JSON report.
fn json_findings(stdout: &str) -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_str(stdout).expect("json report");
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn fifo_ignore_files_do_not_block_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    fs::write(root.join("package.json"), PKG_NEXT).unwrap();
    fs::create_dir_all(root.join("sub/deeper")).unwrap();
    fs::write(root.join("sub/a.tsx"), client_with_key()).unwrap();
    fs::write(root.join("sub/deeper/b.tsx"), client_with_key()).unwrap();
    for fifo in [
        ".ignore",
        "sub/.gitignore",
        "sub/deeper/.clerkguardignore",
        "sub/deeper/.ignore",
    ] {
        let st = std::process::Command::new("mkfifo")
            .arg(root.join(fifo))
            .status()
            .unwrap();
        assert!(st.success());
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let r = root.clone();
    std::thread::spawn(move || {
        let _ = tx.send(scan(&ScanOptions {
            paths: vec![r],
            ..ScanOptions::default()
        }));
    });
    let result = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the scan finishes")
        .expect("scan completes");
    let mut found: Vec<(&str, &str)> = result
        .findings
        .iter()
        .map(|f| (f.path.as_str(), f.rule))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("sub/a.tsx", "secret-key-in-client"),
            ("sub/deeper/b.tsx", "secret-key-in-client")
        ]
    );
    for name in [".ignore", "sub/.gitignore", "sub/deeper/.clerkguardignore"] {
        assert!(
            result
                .warnings
                .iter()
                .any(|w| w.contains(name) && w.contains("not a regular file")),
            "{name}: {:?}",
            result.warnings
        );
    }
}

#[cfg(unix)]
#[test]
fn build_output_links_out_of_the_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir_all(outside.path().join("chunks")).unwrap();
    fs::write(
        outside.path().join("chunks/x.js"),
        format!("var k=\"{KEY}\";"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("package.json"), PKG_NEXT).unwrap();
    fs::write(root.join("a.ts"), "export const a = 1\n").unwrap();
    fs::create_dir_all(root.join(".next")).unwrap();
    symlink(outside.path(), root.join(".next/static")).unwrap();
    fs::create_dir_all(root.join("out")).unwrap();
    symlink(outside.path(), root.join("out/_next")).unwrap();
    let result = scan(&ScanOptions {
        paths: vec![root.to_path_buf()],
        ..ScanOptions::default()
    })
    .expect("scan completes");
    assert!(result.findings.is_empty(), "{:?}", result.findings);
    for link in [".next/static", "out/_next/static"] {
        assert!(
            result
                .warnings
                .iter()
                .any(|w| w.contains(link) && w.contains("symbolic link")),
            "{link}: {:?}",
            result.warnings
        );
    }
}

#[test]
fn large_entry_files_are_still_judged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("package.json"), PKG).unwrap();
    fs::create_dir_all(root.join("app/api/open")).unwrap();
    fs::create_dir_all(root.join("app/api/closed")).unwrap();
    fs::create_dir_all(root.join("pages/api")).unwrap();
    let big = "x".repeat(2 * 1024 * 1024 + 10);
    fs::write(
        root.join("app/api/open/route.ts"),
        format!(
            "const BIG = \"{big}\"\nexport async function GET() {{ return Response.json(await load(BIG)) }}\n"
        ),
    )
    .unwrap();
    fs::write(
        root.join("app/api/closed/route.ts"),
        "export async function GET() { return Response.json({}) }\n",
    )
    .unwrap();
    fs::write(
        root.join("pages/api/big.ts"),
        format!(
            "const BIG = \"{big}\"\nexport default function handler(req, res) {{ res.json(load(BIG)) }}\n"
        ),
    )
    .unwrap();
    // A middleware over the 2 MiB cap (the issue had 5 MB) that protects `/api/closed`.
    fs::write(
        root.join("middleware.ts"),
        format!(
            "{IMPORT_MW}import {{ createRouteMatcher }} from '@clerk/nextjs/server'\nconst PAD = \"{}\"\nconst p = createRouteMatcher(['/api/closed(.*)'])\nexport default clerkMiddleware(async (auth, req) => {{ if (p(req)) await auth.protect() }})\nexport const config = {{ matcher: ['/((?!_next).*)'] }}\n",
            "y".repeat(2_200_000)
        ),
    )
    .unwrap();
    let r = root.to_str().unwrap();
    let out = run(&["routes", r, "--format", "json"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mw = &doc["apps"][0]["middleware"][0];
    assert_eq!(mw["file"], "middleware.ts");
    assert_eq!(mw["loaded"], true);
    assert!(mw["not_loaded"].is_null(), "{mw}");
    let mut routes: Vec<(String, bool)> = doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["protected"].as_bool().unwrap(),
            )
        })
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        vec![
            ("app/api/closed/route.ts".to_string(), true),
            ("app/api/open/route.ts".to_string(), false),
            ("pages/api/big.ts".to_string(), false),
        ]
    );
    let out = run(&["scan", r, "--format", "json"]);
    let found = json_findings(&out.stdout);
    for file in ["app/api/open/route.ts", "pages/api/big.ts"] {
        assert!(
            found.contains(&(file.to_string(), "unprotected-route-handler".to_string())),
            "{file}: {found:?}"
        );
    }
    assert!(
        !found.iter().any(|(p, _)| p == "app/api/closed/route.ts"),
        "{found:?}"
    );
}

#[test]
fn malformed_package_json_warns_and_keeps_the_app() {
    let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
    for (name, text, line) in [
        (
            "trailing comma",
            "{\n  \"name\": \"x\",\n  \"dependencies\": { \"next\": \"15.0.0\", }\n}\n",
            3,
        ),
        (
            "truncated",
            "{\n  \"name\": \"x\",\n  \"dependencies\": {",
            3,
        ),
        ("null", "null\n", 1),
        ("deep", deep.as_str(), 1),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("package.json"), text).unwrap();
        fs::create_dir_all(root.join("app/api/x")).unwrap();
        fs::write(
            root.join("app/api/x/route.ts"),
            "export async function GET() { return Response.json({}) }\n",
        )
        .unwrap();
        let out = run(&["routes", root.to_str().unwrap(), "--format", "json"]);
        assert_eq!(out.status, 0, "{name}: {}", out.stderr);
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let files: Vec<&str> = doc["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["file"].as_str().unwrap())
            .collect();
        assert_eq!(files, vec!["app/api/x/route.ts"], "{name}");
        assert!(
            out.stderr.contains(&format!("package.json:{line}")),
            "{name}: {}",
            out.stderr
        );
    }
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom
        .then_some(0xfeffu16)
        .into_iter()
        .chain(text.encode_utf16());
    for u in units {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// Files whose key hides behind a NUL byte or a UTF-16 encoding.
fn odd_encodings() -> Vec<(&'static str, Vec<u8>)> {
    let text = client_with_key();
    let mut nul = b"'use client'\n// \0\0\n".to_vec();
    nul.extend_from_slice(format!("export const k = '{KEY}'\n").as_bytes());
    vec![
        ("components/nul.tsx", nul),
        ("components/le_bom.tsx", utf16(&text, false, true)),
        ("components/be_bom.tsx", utf16(&text, true, true)),
        ("components/le.js", utf16(&text, false, false)),
        ("components/be.ts", utf16(&text, true, false)),
    ]
}

#[test]
fn keys_behind_nul_bytes_and_utf16_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("package.json"), PKG_NEXT).unwrap();
    fs::create_dir_all(root.join("components")).unwrap();
    for (rel, bytes) in odd_encodings() {
        fs::write(root.join(rel), bytes).unwrap();
    }
    let out = run(&["scan", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
    let mut found = json_findings(&out.stdout);
    found.sort();
    let mut expected: Vec<(String, String)> = odd_encodings()
        .into_iter()
        .map(|(rel, _)| (rel.to_string(), "secret-key-in-client".to_string()))
        .collect();
    expected.sort();
    assert_eq!(found, expected);

    // The same files staged, then committed.
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    let out = run(&[
        "scan",
        root.to_str().unwrap(),
        "--staged",
        "--format",
        "json",
    ]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    let mut found = json_findings(&out.stdout);
    found.sort();
    assert_eq!(found, expected, "--staged");
    git(root, &["commit", "-q", "-m", "x"]);
    let out = run(&["history", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
    let mut paths: Vec<String> = json_findings(&out.stdout)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    paths.sort();
    let mut want: Vec<String> = odd_encodings()
        .into_iter()
        .map(|(r, _)| r.to_string())
        .collect();
    want.sort();
    assert_eq!(paths, want, "history");
}

#[test]
fn history_scans_tagged_blobs_and_names_oversized_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    fs::write(root.join("a.txt"), "hello\n").unwrap();
    // Over the 64 MiB read limit (compresses to almost nothing).
    let big = vec![b'a'; 64 * 1024 * 1024 + 1];
    fs::write(root.join("big.txt"), &big).unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "x"]);
    fs::write(root.join("loose.ts"), client_with_key()).unwrap();
    let blob = git(root, &["hash-object", "-w", "loose.ts"]);
    fs::remove_file(root.join("loose.ts")).unwrap();
    git(root, &["tag", "keyblob", &blob]);
    let out = run(&["history", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
    let found = json_findings(&out.stdout);
    assert_eq!(
        found,
        vec![(
            "refs/tags/keyblob".to_string(),
            "secret-key-in-history".to_string()
        )]
    );
    assert!(
        out.stderr.contains("1 blob over the 64 MiB limit") && out.stderr.contains("big.txt"),
        "{}",
        out.stderr
    );
}

#[test]
fn config_lists_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.ts"), "export const a = 1\n").unwrap();
    let r = dir.path().to_str().unwrap();
    for key in ["exclude", "public_routes"] {
        let list: Vec<String> = (0..30_000).map(|i| format!("\"/g{i}\"")).collect();
        let cfg = dir.path().join("big.toml");
        fs::write(&cfg, format!("{key} = [{}]\n", list.join(","))).unwrap();
        let t0 = std::time::Instant::now();
        let out = run(&["scan", r, "--config", cfg.to_str().unwrap()]);
        assert_eq!(out.status, 2, "{key}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("key `{key}`"))
                && out.stderr.contains(&format!(
                    "30000 entries: at most {} entries are accepted",
                    clerk_guard::limits::CONFIG_MAX_LIST_ENTRIES
                )),
            "{key}: {}",
            out.stderr
        );
        assert!(t0.elapsed().as_secs() < 10, "{key}: {:?}", t0.elapsed());
    }
}

#[cfg(unix)]
#[test]
fn staged_link_out_of_the_repository_is_skipped() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.ts"), "export const x = 1\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    fs::write(root.join("package.json"), PKG).unwrap();
    fs::create_dir_all(root.join("lib")).unwrap();
    fs::write(root.join("lib/a.tsx"), client_with_key()).unwrap();
    symlink(outside.path().join("x.ts"), root.join("lib/link.ts")).unwrap();
    git(root, &["add", "-A"]);
    let out = run_in(
        Some(root),
        &[
            "scan",
            "--staged",
            "--format",
            "json",
            "lib/link.ts",
            "lib/a.tsx",
        ],
    );
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_eq!(
        json_findings(&out.stdout),
        vec![("lib/a.tsx".to_string(), "secret-key-in-client".to_string())]
    );
    assert!(
        out.stderr.contains("lib/link.ts") && out.stderr.contains("symbolic link"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn github_annotations_escape_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("package.json"), PKG_NEXT).unwrap();
    fs::create_dir_all(root.join("components")).unwrap();
    fs::write(
        root.join("components/a%25\r\n::error::x,y=z\x1b[31m.tsx"),
        client_with_key(),
    )
    .unwrap();
    let out = run(&["scan", root.to_str().unwrap(), "--format", "github"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{:?}", out.stdout);
    assert!(
        lines[0].starts_with(
            "::error file=components/a%2525%0D%0A%3A%3Aerror%3A%3Ax%2Cy=z\\u{1b}[31m.tsx,line=2,"
        ),
        "{:?}",
        lines[0]
    );
    assert!(!out.stdout.contains('\x1b') && !out.stdout.contains('\r'));
    let out = run(&["scan", root.to_str().unwrap(), "--format", "gitlab"]);
    assert!(!out.stdout.contains('\x1b') && !out.stdout.contains('\r'));
}

#[test]
fn long_member_chains_are_depth_bounded() {
    let chain = format!("a{}", ".b".repeat(3_800));
    let text = format!(
        "{IMPORT_AUTH}export async function GET() {{ const {{ userId }} = await auth(); const a = {{}}; if (!{chain}) {{}} {chain}(); {chain}.has({{ role: 'x' }}); return Response.json({{ userId }}) }}\n"
    );
    let dir = deep_project("app/api/x/route.ts", &text);
    let r = dir.path().to_str().unwrap();
    for args in [
        vec!["scan", r, "--format", "json"],
        vec!["routes", r, "--format", "json"],
    ] {
        let out = run(&args);
        assert!(
            out.status == 0 || out.status == 1,
            "{args:?} exited {}: {}",
            out.status,
            &out.stderr[out.stderr.len().saturating_sub(600)..]
        );
    }
}

/// Frames the server writes, read on a thread: (stdout JSON messages, the child).
fn lsp_child(
    root: &std::path::Path,
) -> (
    std::process::Child,
    std::sync::mpsc::Receiver<serde_json::Value>,
) {
    use std::io::{BufRead, Read};
    let mut child = common::bin()
        .args(["lsp", "--stdio"])
        .current_dir(root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut r = std::io::BufReader::new(stdout);
        loop {
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length: ") {
                    len = v.parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            if r.read_exact(&mut body).is_err() {
                return;
            }
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        }
    });
    (child, rx)
}

fn lsp_frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The next message the server sends that `pick` accepts.
fn lsp_wait(
    rx: &std::sync::mpsc::Receiver<serde_json::Value>,
    pick: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    loop {
        let m = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("the server answers");
        if pick(&m) {
            return m;
        }
    }
}

#[test]
fn lsp_survives_bad_framing_and_never_echoes_documents_or_keys() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    fs::write(root.join("package.json"), PKG_NEXT).unwrap();
    // A config error whose message would echo a key.
    fs::write(
        root.join("clerk-guard.toml"),
        format!("[rules]\nsecrets = \"{KEY}\"\n"),
    )
    .unwrap();
    let (mut child, rx) = lsp_child(&root);
    let mut stdin = child.stdin.take().unwrap();
    let root_uri = format!("file://{}", root.display());
    stdin
        .write_all(&lsp_frame(&format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"capabilities":{{}},"rootUri":"{root_uri}"}}}}"#
        )))
        .unwrap();
    lsp_wait(&rx, |m| m["id"] == 1);
    stdin
        .write_all(&lsp_frame(
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ))
        .unwrap();
    let shown = lsp_wait(&rx, |m| m["method"] == "window/showMessage");
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("sk_live_u8jz") && !text.contains(KEY),
        "{text}"
    );
    // Not JSON; not a message; a length that is not a number; a huge length.
    stdin.write_all(&lsp_frame("{ this is not json")).unwrap();
    stdin.write_all(&lsp_frame(r#"{"id":5,"x":1}"#)).unwrap();
    stdin
        .write_all(b"Content-Length: many\r\n\r\n{}\r\n")
        .unwrap();
    stdin
        .write_all(b"Content-Length: 999999999999999\r\n\r\n{}\r\n")
        .unwrap();
    stdin.flush().unwrap();
    let mut codes = Vec::new();
    for _ in 0..4 {
        let m = lsp_wait(&rx, |m| m.get("error").is_some());
        codes.push((m["id"].clone(), m["error"]["code"].as_i64().unwrap()));
    }
    assert_eq!(
        codes,
        vec![
            (serde_json::Value::Null, -32700),
            (serde_json::json!(5), -32600),
            (serde_json::Value::Null, -32700),
            (serde_json::Value::Null, -32700),
        ]
    );
    // Still alive: it answers, shuts down, and a document sent after `shutdown` is not
    // printed.
    stdin
        .write_all(&lsp_frame(
            r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        ))
        .unwrap();
    lsp_wait(&rx, |m| m["id"] == 2);
    let doc = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{root_uri}/a.ts","languageId":"typescript","version":1,"text":"const secretDocumentText = '{KEY}'"}}}}}}"#
    );
    stdin.write_all(&lsp_frame(&doc)).unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        !stderr.contains("secretDocumentText") && !stderr.contains(KEY),
        "{stderr}"
    );
    assert!(
        stderr.contains("unexpected message during shutdown"),
        "{stderr}"
    );
}

#[test]
fn entry_files_too_large_to_parse_are_reported_as_unknown() {
    let big = format!(
        "export async function GET() {{ return Response.json({{}}) }}\nconst PAD = \"{}\"\n",
        "z".repeat(clerk_guard::facts::ENTRY_PARSE_SIZE_CAP)
    );
    let mut all = Vec::new();
    for rel in ["app/api/x/route.ts", "lib/big.ts"] {
        let input = InputFile {
            rel: rel.into(),
            abs: rel.into(),
            kind: FileKind::classify(rel),
            origin: Origin::default(),
        };
        let f = clerk_guard::facts::extract(&input, big.clone());
        assert!(f.oversized, "{rel}");
        all.push(f);
    }
    let warnings = clerk_guard::facts::oversized_entry_warnings(&all);
    assert_eq!(
        warnings,
        vec![
            "app/api/x/route.ts: an entry file over 16 MiB is not parsed: its routes and their protection are unknown"
                .to_string()
        ]
    );
}

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_escaped_in_history_and_staged_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("package.json"), PKG_NEXT).unwrap();
    fs::create_dir_all(root.join("components")).unwrap();
    fs::write(
        root.join("components/\x1b]0;title\x07x.tsx"),
        client_with_key(),
    )
    .unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    let r = root.to_str().unwrap();
    let staged = run(&["scan", r, "--staged", "--color", "never"]);
    git(root, &["commit", "-q", "-m", "x"]);
    let history = run(&["history", r, "--color", "never"]);
    for (what, out) in [("--staged", staged), ("history", history)] {
        assert_eq!(out.status, 1, "{what}: {}", out.stderr);
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream.contains('\x1b') && !stream.contains('\x07'),
                "{what}: {stream:?}"
            );
        }
        assert!(out.stdout.contains("\\u{1b}"), "{what}: {}", out.stdout);
    }
}

#[test]
fn decoding_tells_utf16_and_nul_bytes_from_binary() {
    use clerk_guard::facts::decode_file;
    let script = FileKind::classify("a.ts");
    let other = FileKind::classify("logo.png");
    let text = "const a = 'é😀'\n";
    for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
        let bytes = utf16(text, big_endian, bom);
        assert_eq!(
            decode_file(bytes.clone(), script).as_deref(),
            Some(text),
            "{big_endian} {bom}"
        );
        assert_eq!(decode_file(bytes, other).as_deref(), Some(text));
    }
    // A NUL byte: still text for a source file, binary otherwise.
    assert_eq!(
        decode_file(b"a\0b\n".to_vec(), script).as_deref(),
        Some("a\0b\n")
    );
    assert_eq!(decode_file(b"a\0b\n".to_vec(), other), None);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    assert_eq!(decode_file(png, other), None);
    // Plain UTF-8 is untouched, a lone BOM-like pair of bytes in UTF-8 text too.
    assert_eq!(
        decode_file(text.as_bytes().to_vec(), script).as_deref(),
        Some(text)
    );
}

/// A binary file (a NUL byte in its first 8 KiB) that holds a secret key is read for keys:
/// served under `public/` it ships to browsers, committed anywhere it is in the repository.
/// Binary files without a key prefix, or with a prefix that is no key, stay unread and silent.
#[test]
fn keys_in_binary_files_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("package.json"),
        r#"{"name":"bin","dependencies":{"next":"15.5.6"}}"#,
    )
    .unwrap();
    fs::create_dir_all(root.join("public")).unwrap();
    let key = format!("sk_live_{}", "Zq7Wm3Kx9Pb2Nc5Vd8Hf4Jg6Lr1St0Yu");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\n".to_vec();
    png.extend_from_slice(format!("tEXt\0clerk {key}\0").as_bytes());
    png.extend_from_slice(b"\xff\xfe\0");
    fs::write(root.join("public/logo.png"), &png).unwrap();
    let mut db = b"SQLite format 3\0\0\0\n\n".to_vec();
    db.extend_from_slice(key.as_bytes());
    db.push(0);
    fs::write(root.join("data.db"), &db).unwrap();
    // Near misses: a prefix that is no key, and no prefix at all.
    fs::write(root.join("public/short.png"), b"\x89PNG\0\0sk_live_short\0").unwrap();
    fs::write(root.join("public/plain.png"), b"\x89PNG\0\0\0\x01\x02").unwrap();

    let out = run(&[
        "scan",
        root.to_str().unwrap(),
        "--format",
        "concise",
        "--color",
        "never",
    ]);
    assert_eq!(out.status, 1, "{}\n{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains(": ") && l.contains(".png") || l.contains(".db"))
        .collect();
    assert_eq!(
        lines
            .iter()
            .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>(),
        vec![
            "data.db:3:1: hardcoded-secret-key",
            "public/logo.png:4:12: secret-key-in-client",
        ],
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(&key), "a full key was printed");
    assert!(!out.stderr.contains(&key), "a full key was printed");
}
