//! `clerk-guard fix`: every fix on its fixture (`testdata/fix/<case>`) gives exactly the diff
//! in its snapshot, and after `fix` a rescan no longer reports what was fixed and every file
//! still parses.

mod common;

use std::path::Path;

use clerk_guard::engine::{ScanOptions, scan};
use clerk_guard::source::Lang;
use common::{copy_tree, run, testdata};

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

fn rules_found(dir: &Path) -> Vec<String> {
    let result = scan(&ScanOptions {
        paths: vec![dir.to_path_buf()],
        build_output: false,
        ..ScanOptions::default()
    })
    .unwrap();
    result
        .findings
        .iter()
        .map(|f| format!("{} {}", f.rule, f.path))
        .collect()
}

/// Copy the case, check that it reports `rules`, dry-run (snapshot the diff, nothing
/// written), fix, and check that none of `rules` is left and every file parses.
fn check(case: &str, rules: &[&str], unsafe_fixes: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(case);
    copy_tree(&testdata().join("fix").join(case), &dir);
    let d = dir.to_str().unwrap();
    let before_found = rules_found(&dir);
    for r in rules {
        assert!(
            before_found.iter().any(|f| f.starts_with(&format!("{r} "))),
            "{case}: expected a `{r}` finding before the fix, got {before_found:?}"
        );
    }
    let before = files(&dir);
    let mut args = vec!["fix", d, "--dry-run"];
    if unsafe_fixes {
        args.push("--unsafe");
    }
    let out = run(&args);
    assert_eq!(
        out.status, 1,
        "{case}: dry-run with changes exits 1: {}",
        out.stderr
    );
    assert_eq!(files(&dir), before, "{case}: --dry-run wrote files");
    insta::assert_snapshot!(format!("fix_{}", case.replace('-', "_")), out.stdout);

    args.retain(|a| *a != "--dry-run");
    let out = run(&args);
    assert_eq!(out.status, 0, "{case}: {}", out.stderr);
    let after_found = rules_found(&dir);
    for r in rules {
        assert!(
            !after_found.iter().any(|f| f.starts_with(&format!("{r} "))),
            "{case}: `{r}` still reported after the fix: {after_found:?}"
        );
    }
    for (rel, text) in files(&dir) {
        if let Some(lang) = Lang::from_path(&rel) {
            let tree = clerk_guard::parse::parse(lang, &text).unwrap();
            assert!(
                !tree.root_node().has_error(),
                "{case}: {rel} no longer parses:\n{text}"
            );
        }
    }
    // A second run has nothing left to do.
    let mut again = args.clone();
    again.push("--dry-run");
    let out = run(&again);
    assert_eq!(out.status, 0, "{case}: second dry-run: {}", out.stdout);
}

#[test]
fn route_handler_check_extends_the_import() {
    check("route-handler", &["unprotected-route-handler"], false);
}

#[test]
fn arrow_handler_with_an_expression_body() {
    check("arrow-handler", &["unprotected-route-handler"], false);
}

#[test]
fn route_handler_on_v5_does_not_await() {
    check("route-handler-v5", &["unprotected-route-handler"], false);
}

#[test]
fn server_action_gets_auth_protect() {
    check("server-action", &["unprotected-server-action"], false);
}

#[test]
fn pages_api_gets_get_auth() {
    check("pages-api", &["unprotected-route-handler"], false);
}

#[test]
fn unchecked_auth_result_rejects() {
    check(
        "auth-unchecked",
        &["auth-result-unchecked", "unprotected-route-handler"],
        false,
    );
}

#[test]
fn missing_await_is_added() {
    check("missing-await", &["auth-result-unchecked"], false);
}

#[test]
fn unawaited_protect_is_awaited() {
    check("unawaited-protect", &["unawaited-protect"], false);
}

#[test]
fn public_secret_env_is_renamed_with_unsafe() {
    // Suggested, not safe: nothing without --unsafe.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("env-secret");
    copy_tree(&testdata().join("fix/env-secret"), &dir);
    let out = run(&["fix", dir.to_str().unwrap(), "--dry-run"]);
    assert_eq!(out.status, 0);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains("more with `--unsafe`"),
        "{}",
        out.stderr
    );
    check("env-secret", &["secret-key-exposed-env"], true);
}

#[test]
fn matcher_gets_api_routes() {
    check("matcher-gap", &["middleware-matcher-gap"], false);
}

#[test]
fn auth_middleware_becomes_clerk_middleware() {
    check("auth-middleware", &["deprecated-auth-middleware"], true);
}

#[test]
fn a_file_changed_since_it_was_read_is_left_alone() {
    use clerk_guard::fix::{Edit, Fix, FixCx, Safety, plan, write};
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.ts"), "export const a = 1\n").unwrap();
    let cx = FixCx::new(tmp.path());
    let fix = Fix::new("x", Safety::Safe, "t").edit(Edit::insert("a.ts", 0, "// hi\n"));
    let mut applied = plan(&cx, &[fix]);
    assert_eq!(applied.files.len(), 1);
    std::fs::write(tmp.path().join("a.ts"), "export const a = 2\n").unwrap();
    write(tmp.path(), &mut applied);
    assert!(applied.files.is_empty());
    assert!(applied.skipped[0].contains("changed since it was read"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("a.ts")).unwrap(),
        "export const a = 2\n"
    );
}

#[test]
fn an_edit_that_breaks_the_parse_is_refused() {
    use clerk_guard::fix::{Edit, Fix, FixCx, Safety, plan};
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.ts"), "export const a = 1\n").unwrap();
    let cx = FixCx::new(tmp.path());
    let fix = Fix::new("x", Safety::Safe, "t").edit(Edit::insert("a.ts", 0, "}}{{"));
    let applied = plan(&cx, &[fix]);
    assert!(applied.files.is_empty());
    assert!(applied.skipped[0].contains("would not parse"));
}

/// Suppression that works everywhere: a file-wide comment, a comment above a component or
/// JSX element, and `[[ignore]]` in the config for files that take no comments.
#[test]
fn file_block_and_config_suppressions() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let w = |rel: &str, text: &str| common::write(root, rel, text);
    w(
        "package.json",
        r#"{ "name": "s", "dependencies": { "next": "15.5.6", "react": "19.1.1", "@clerk/nextjs": "6.35.0" } }"#,
    );
    w(
        "middleware.ts",
        "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\nconst isPublic = createRouteMatcher(['/'])\nexport default clerkMiddleware(async (auth, req) => { if (!isPublic(req)) {} }, { authorizedParties: ['https://app.example.com'] })\nexport const config = { matcher: ['/((?!_next).*)', '/(api|trpc)(.*)'] }\n",
    );
    let route = "import { db } from '@/lib/db'\nexport async function GET() { return Response.json(await db.x.findMany()) }\n";
    w("app/api/a/route.ts", route);
    let key = ["sk_live_", "qIA1id6Vw5DQL05HA064GiIjHGb3CXlMaXZjljENUh"].concat();
    let leak = format!(
        "'use client'\n\nexport function Leak() {{\n  const k = '{key}'\n  return <div>{{k}}</div>\n}}\n"
    );
    w("components/Leak.tsx", &leak);
    let before = rules_found(root);
    for r in [
        "unprotected-route-handler app/api/a/route.ts",
        "secret-key-in-client components/Leak.tsx",
        "vulnerable-dependency package.json",
    ] {
        assert!(before.iter().any(|f| f == r), "{r} in {before:?}");
    }
    w(
        "app/api/a/route.ts",
        &format!("// clerk-guard-ignore-file unprotected-route-handler: a public feed\n{route}"),
    );
    w(
        "components/Leak.tsx",
        &leak.replace(
            "export function Leak",
            "// clerk-guard-ignore secret-key-in-client: a fixture\nexport function Leak",
        ),
    );
    w(
        "clerk-guard.toml",
        "[[ignore]]\npath = \"package.json\"\nrules = [\"vulnerable-dependency\"]\nreason = \"upgrade tracked in JIRA-1\"\n",
    );
    let after = rules_found(root);
    assert_eq!(after, Vec::<String>::new(), "all suppressed: {after:?}");
    // A reason is required.
    w(
        "clerk-guard.toml",
        "[[ignore]]\npath = \"package.json\"\nrules = [\"vulnerable-dependency\"]\nreason = \"\"\n",
    );
    let out = run(&["scan", root.to_str().unwrap()]);
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("needs a reason"), "{}", out.stderr);
}

/// `public_routes` is honoured by `client-only-auth` too: a page declared public is not
/// reported for being gated only in the browser.
#[test]
fn public_routes_cover_client_only_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("app");
    copy_tree(&testdata().join("client-only-auth/fail"), &dir);
    let before = rules_found(&dir);
    assert!(
        before.contains(&"client-only-auth app/admin/page.tsx".to_string()),
        "{before:?}"
    );
    let cfg = dir.join("clerk-guard.toml");
    let old = std::fs::read_to_string(&cfg).unwrap_or_default();
    std::fs::write(&cfg, format!("public_routes = [\"/admin\"]\n{old}")).unwrap();
    let after = rules_found(&dir);
    assert!(
        !after.contains(&"client-only-auth app/admin/page.tsx".to_string()),
        "{after:?}"
    );
    assert!(
        after.iter().any(|f| f.starts_with("client-only-auth ")),
        "others stay"
    );
}

/// The editor-only fixes ("mark route as public", "suppress with a reason") each remove the
/// finding on a rescan, and neither is applied by `clerk-guard fix`.
#[test]
fn mark_public_and_suppress_remove_the_finding() {
    use clerk_guard::fix::{FixCx, Safety, fixes_for, plan, write};
    for (title, config_exists) in [("Mark", false), ("Mark", true), ("Suppress", false)] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("app");
        copy_tree(&testdata().join("fix/route-handler"), &dir);
        if config_exists {
            std::fs::write(
                dir.join("clerk-guard.toml"),
                "public_routes = [\"/health\"]\n\n[rules]\n",
            )
            .unwrap();
        }
        let result = scan(&ScanOptions {
            paths: vec![dir.clone()],
            build_output: false,
            ..ScanOptions::default()
        })
        .unwrap();
        let f = result
            .findings
            .iter()
            .find(|f| f.rule == "unprotected-route-handler" && f.symbol.as_deref() == Some("GET"))
            .unwrap();
        let cx = FixCx::new(&result.root);
        let fix = fixes_for(&cx, f)
            .into_iter()
            .find(|x| x.title.starts_with(title))
            .unwrap();
        assert_eq!(fix.safety, Safety::Manual);
        let mut applied = plan(&cx, &[fix]);
        write(&result.root, &mut applied);
        assert_eq!(applied.files.len(), 1, "{:?}", applied.skipped);
        let after = rules_found(&dir);
        let left = after
            .iter()
            .filter(|x| x.as_str() == "unprotected-route-handler app/api/projects/route.ts")
            .count();
        // GET is covered; DELETE (same URL) is covered too when the URL is public.
        assert_eq!(
            left,
            if title == "Mark" { 0 } else { 1 },
            "{title}: {after:?}"
        );
        assert!(
            !after.iter().any(|x| x.starts_with("unused-suppression")),
            "{after:?}"
        );
    }
}

/// Output people read: concise lines, statistics, colour from the environment, routes that
/// fit the width, human output grouped by file with the footer.
#[test]
fn concise_statistics_color_routes_and_grouping() {
    let demo = testdata().join("demo-app");
    let d = demo.to_str().unwrap();
    let line_re = regex::Regex::new(r"^[^\s:]+(:\d+:\d+)?: [a-z-]+ \S").unwrap();
    let out = run(&["scan", d, "--format", "concise"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.len() > 3);
    for l in &lines[..lines.len() - 1] {
        assert!(
            line_re.is_match(l),
            "not `path:line:col: rule message`: {l}"
        );
    }
    assert!(!out.stdout.contains('\u{1b}'));

    let stats = run(&["scan", d, "--statistics"]);
    let counts: Vec<usize> = stats
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(!counts.is_empty(), "{}", stats.stdout);
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "sorted: {}",
        stats.stdout
    );

    let colored = common::bin()
        .args(["scan", d, "--format", "concise"])
        .env("FORCE_COLOR", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&colored.stdout).contains('\u{1b}'));
    let plain = common::bin()
        .args(["scan", d, "--format", "concise"])
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'));
    let clicolor = common::bin()
        .args(["scan", d, "--format", "concise"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&clicolor.stdout).contains('\u{1b}'));

    // routes: the HOW column wraps to COLUMNS; --wide keeps each row on one line.
    let narrow = common::bin()
        .args(["routes", d])
        .env("COLUMNS", "150")
        .output()
        .unwrap();
    let narrow = String::from_utf8_lossy(&narrow.stdout).into_owned();
    let wide = run(&["routes", d, "--wide"]).stdout;
    let longest = |s: &str| s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest(&wide) > 150, "the demo has a long HOW");
    assert!(longest(&narrow) <= 150, "{narrow}");
    assert!(narrow.lines().count() > wide.lines().count());

    // Human: grouped by file, shared advice in the footer, URLs whole, the next step.
    let human = run(&["scan", d]).stdout;
    assert!(
        human.contains("── app/api/projects/route.ts (1 finding)"),
        "{human}"
    );
    assert!(human.contains("Findings per rule:"));
    assert!(human.contains("clerk-guard explain "));
    for l in human.lines().filter(|l| l.contains("https://")) {
        let url = &l[l.find("https://").unwrap()..];
        let url = url.split_whitespace().next().unwrap();
        assert!(
            url.ends_with(".md") || url.contains("osv.dev") || url.contains('.'),
            "a URL broken across lines: {l}"
        );
    }
}

#[test]
fn bare_auth_middleware_gets_a_matcher() {
    check(
        "auth-middleware-bare",
        &["deprecated-auth-middleware"],
        true,
    );
}

#[test]
fn handler_exported_under_aliases_is_fixed_once() {
    check("export-alias", &["unprotected-route-handler"], false);
}
