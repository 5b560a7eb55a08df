//! The command line as users and CI call it: formats, exit statuses, paths, redaction.

mod common;

use common::{all_fixture_keys, copy_tree, run, run_in, testdata, write};
use serde_json::Value;

fn demo() -> String {
    testdata().join("demo-app").to_string_lossy().into_owned()
}

#[test]
fn json_document_shape() {
    let out = run(&["scan", &demo(), "--format", "json"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "clerk-guard");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let findings = doc["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert_eq!(doc["summary"]["findings"], findings.len());
    assert!(doc["summary"]["files"].as_u64().unwrap() > 10);
    assert!(doc["summary"]["elapsed_ms"].is_u64());
    let mut keys = Vec::new();
    for f in findings {
        for field in ["rule", "severity", "path", "message", "help"] {
            assert!(f[field].is_string(), "{field} in {f}");
        }
        for field in ["line", "column", "end_line", "end_column"] {
            assert!(f[field].is_u64() || f[field].is_null(), "{field} in {f}");
        }
        assert!(!f["path"].as_str().unwrap().contains('\\'));
        keys.push((
            f["path"].as_str().unwrap().to_string(),
            f["line"].as_u64().unwrap_or(0),
            f["column"].as_u64().unwrap_or(0),
            f["rule"].as_str().unwrap().to_string(),
        ));
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "findings are sorted by path, line, column, rule"
    );
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(doc["summary"]["errors"], errors);
}

#[test]
fn output_is_deterministic() {
    let a = run(&["scan", &demo(), "--format", "sarif"]);
    let b = run(&["scan", &demo(), "--format", "sarif"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn no_format_prints_a_whole_key() {
    let keys = all_fixture_keys();
    assert!(keys.len() > 10, "fixtures carry keys");
    let mut dirs = vec![demo()];
    for entry in std::fs::read_dir(testdata()).unwrap().flatten() {
        let fail = entry.path().join("fail");
        if fail.is_dir() {
            dirs.push(fail.to_string_lossy().into_owned());
        }
    }
    for dir in &dirs {
        for format in ["human", "json", "sarif", "github", "gitlab"] {
            for color in ["never", "always"] {
                let out = run(&["scan", dir, "--format", format, "--color", color]);
                for key in &keys {
                    assert!(
                        !out.stdout.contains(key.as_str()) && !out.stderr.contains(key.as_str()),
                        "{format} output of {dir} contains a full key"
                    );
                }
            }
        }
    }
}

#[test]
fn exit_statuses() {
    // Findings at or above --fail-on: 1.
    assert_eq!(run(&["scan", &demo(), "-q"]).status, 1);
    assert_eq!(
        run(&["scan", &demo(), "-q", "--fail-on", "never"]).status,
        0
    );
    // Only a warning: fails at `warning`, passes at `error`.
    let warn_only = testdata().join("test-key-in-production/fail");
    let w = warn_only.to_str().unwrap();
    assert_eq!(
        run(&["scan", w, "--select", "test-key-in-production"]).status,
        1
    );
    assert_eq!(
        run(&[
            "scan",
            w,
            "--select",
            "test-key-in-production",
            "--fail-on",
            "error"
        ])
        .status,
        0
    );
    // A clean tree: 0.
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("index.ts"), "export const a = 1\n").unwrap();
    let out = run(&["scan", clean.path().to_str().unwrap()]);
    assert_eq!(out.status, 0);
    assert!(
        out.stdout.contains("No problems found in 1 file"),
        "{}",
        out.stdout
    );
    // Usage errors: 2.
    assert_eq!(run(&["scan", "/no/such/path"]).status, 2);
    assert_eq!(
        run(&["scan", &demo(), "--select", "no-such-rule"]).status,
        2
    );
    assert_eq!(run(&["scan", &demo(), "--format", "xml"]).status, 2);
    assert_eq!(run(&["explain", "no-such-rule"]).status, 2);
}

#[test]
fn config_errors_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clerk-guard.toml"),
        "exclude = [\"dist\"]\n\n[rules]\n\"hardcoded-secret-key\" = \"loud\"\n",
    )
    .unwrap();
    let out = run(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("clerk-guard.toml:4"), "{}", out.stderr);
    assert!(
        out.stderr.contains("hardcoded-secret-key"),
        "{}",
        out.stderr
    );

    std::fs::write(dir.path().join("clerk-guard.toml"), "excluded = []\n").unwrap();
    let out = run(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("clerk-guard.toml:1: key `excluded`"),
        "{}",
        out.stderr
    );

    let other = dir.path().join("other.toml");
    std::fs::write(&other, "[rules\n").unwrap();
    let out = run(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--config",
        other.to_str().unwrap(),
    ]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("other.toml:1"), "{}", out.stderr);

    let out = run(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--config",
        "/no/such.toml",
    ]);
    assert_eq!(out.status, 2);
}

#[test]
fn config_levels_and_selection() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&testdata().join("demo-app"), dir.path());
    let root = dir.path().to_str().unwrap();
    std::fs::write(
        dir.path().join("clerk-guard.toml"),
        "[rules]\n\"secret-key-in-client\" = \"warning\"\n\"secret-key-exposed-env\" = \"off\"\n",
    )
    .unwrap();
    let out = run(&["scan", root, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let rules: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert!(rules.contains(&("secret-key-in-client", "warning")));
    assert!(!rules.iter().any(|(r, _)| *r == "secret-key-exposed-env"));
    // An explicit --select wins over the config's "off"; --ignore wins over everything.
    let out = run(&[
        "scan",
        root,
        "--format",
        "json",
        "--select",
        "secret-key-exposed-env",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] == "secret-key-exposed-env")
    );
    assert_eq!(doc["findings"].as_array().unwrap().len(), 3);
    let out = run(&[
        "scan",
        root,
        "--format",
        "json",
        "--ignore",
        "secrets,auth,middleware,authz,boundary",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn file_arguments_limit_the_report() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&testdata().join("demo-app"), dir.path());
    // Run from inside the project, the way a pre-commit hook passes staged files.
    let out = run_in(
        Some(dir.path()),
        &[
            "scan",
            "lib/clerk-config.ts",
            "lib/projects.ts",
            "--format",
            "json",
        ],
    );
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["lib/clerk-config.ts"]);
    assert_eq!(out.status, 1);
    // A clean file: exit 0 even though the project has findings elsewhere.
    let out = run_in(Some(dir.path()), &["scan", "lib/projects.ts"]);
    assert_eq!(out.status, 0, "{}", out.stdout);
}

#[test]
fn output_file_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.sarif");
    let out = run(&[
        "scan",
        &demo(),
        "--format",
        "sarif",
        "--output",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status, 1);
    assert!(out.stdout.is_empty());
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");

    let loud = run(&["scan", &demo(), "--color", "never"]);
    let quiet = run(&["scan", &demo(), "--color", "never", "-q"]);
    assert!(
        loud.stdout.contains(" errors, 6 warnings in "),
        "{}",
        loud.stdout
    );
    assert!(!quiet.stdout.contains(" in 2"));
    assert!(quiet.stdout.contains("secret-key-in-client"));
}

#[test]
fn human_output_is_plain_when_piped() {
    let out = run(&["scan", &demo()]);
    assert!(
        !out.stdout.contains('\u{1b}'),
        "no ANSI escapes when not a TTY"
    );
    assert!(
        out.stdout.contains("lib/clerk-config.ts:8:15"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("help: "));
    let colored = run(&["scan", &demo(), "--color", "always"]);
    assert!(colored.stdout.contains('\u{1b}'));
}

#[test]
fn github_annotations() {
    let out = run(&["scan", &demo(), "--format", "github"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(!lines.is_empty());
    for l in &lines {
        assert!(
            l.starts_with("::error file=") || l.starts_with("::warning file="),
            "{l}"
        );
        assert!(
            l.contains(",line=") && l.contains(",col=") && l.contains(",title="),
            "{l}"
        );
    }
    assert!(lines.iter().any(|l| l.starts_with(
        "::error file=lib/clerk-config.ts,line=8,col=15,endLine=8,endColumn=65,title=secret-key-in-client::"
    )));
}

#[test]
fn rules_and_explain() {
    let out = run(&["rules"]);
    assert_eq!(out.status, 0);
    for rule in clerk_guard::rules::RULES {
        assert!(out.stdout.contains(rule.meta().id));
    }
    let out = run(&["rules", "--format", "json"]);
    let list: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        clerk_guard::rules::RULES.len()
    );
    let out = run(&["explain", "secret-key-in-client"]);
    assert_eq!(out.status, 0);
    for heading in clerk_guard::docs::REQUIRED_HEADINGS {
        // Rendered for the terminal: the heading's text, no Markdown.
        let text = heading.trim_start_matches("## ");
        assert!(out.stdout.contains(&format!("\n{text}\n")), "{heading}");
    }
    assert!(!out.stdout.contains("## "), "{}", out.stdout);
    assert!(
        !out.stdout.contains("](../"),
        "no Markdown links to source files"
    );
    assert!(
        out.stdout
            .contains(&clerk_guard::docs::rule_url("secret-key-in-client"))
    );
}

// ---------------------------------------------------------------------------------------------
// Which apps, which files (issue 11)

/// (path, line, rule) of every finding in a JSON report.
fn triples(stdout: &str) -> Vec<(String, u64, String)> {
    let doc: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn t(path: &str, line: u64, rule: &str) -> (String, u64, String) {
    (path.to_string(), line, rule.to_string())
}

fn git(dir: &std::path::Path, args: &[&str]) {
    common::git(dir, args);
}

const TRACKED_KEY: &str = "sk_live_Tr4ck3dBut1gn0r3dXq7Lm2Np9Rs5Vw8Yz";

#[test]
fn tracked_files_count_as_committed_whatever_gitignore_says() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    let app = "apps/web";
    write(
        repo,
        &format!("{app}/package.json"),
        r#"{"name":"web","dependencies":{"next":"15.5.6","@clerk/nextjs":"6.35.0"}}"#,
    );
    write(
        repo,
        &format!("{app}/app/page.tsx"),
        "export default function Page() { return null }\n",
    );
    // Committed before the ignore rule existed.
    write(
        repo,
        &format!("{app}/.env"),
        &format!("# shared\nCLERK_SECRET_KEY={TRACKED_KEY}\n"),
    );
    write(
        repo,
        &format!("{app}/lib/keys.ts"),
        &format!("export const clerkSecretKey = '{TRACKED_KEY}'\n"),
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "init"]);
    write(repo, ".gitignore", ".env*\napps/web/lib/keys.ts\n");
    // Near misses: ignored and never tracked; tracked then deleted from the work tree.
    write(
        repo,
        &format!("{app}/.env.local"),
        &format!("CLERK_SECRET_KEY={TRACKED_KEY}\n"),
    );
    write(
        repo,
        &format!("{app}/gone.ts"),
        &format!("const k = '{TRACKED_KEY}'\n"),
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "ignore env"]);
    std::fs::remove_file(repo.join(app).join("gone.ts")).unwrap();

    let rule = "hardcoded-secret-key";
    // From the repository root, and from the app (a subdirectory of the work tree).
    for (scan_dir, prefix) in [(repo.to_path_buf(), "apps/web/"), (repo.join(app), "")] {
        let out = run(&[
            "scan",
            scan_dir.to_str().unwrap(),
            "--select",
            rule,
            "--format",
            "json",
        ]);
        assert_eq!(out.status, 1, "{}", out.stderr);
        assert_eq!(
            triples(&out.stdout),
            vec![
                t(&format!("{prefix}.env"), 2, rule),
                t(&format!("{prefix}lib/keys.ts"), 1, rule),
            ],
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains(TRACKED_KEY));
        assert!(
            out.stdout
                .contains("tracked in git although .gitignore lists it"),
            "{}",
            out.stdout
        );
    }

    // Untracked, the same files are what .gitignore says they are.
    git(
        repo,
        &[
            "rm",
            "-q",
            "--cached",
            "apps/web/.env",
            "apps/web/lib/keys.ts",
        ],
    );
    let out = run(&[
        "scan",
        repo.to_str().unwrap(),
        "--select",
        rule,
        "--format",
        "json",
    ]);
    assert_eq!(triples(&out.stdout), vec![], "{}", out.stdout);
    assert_eq!(out.status, 0, "{}", out.stderr);
}

/// Apps on other frameworks are apps (listed with their frameworks), but Next.js's route model
/// and rules never read them as Next.js apps: Astro's `src/pages` is not a Pages Router, and an
/// Expo or Express app without a Next.js middleware is not missing one.
#[test]
fn next_rules_skip_other_frameworks_apps() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&testdata().join("projects/other-frameworks"), dir.path());
    let root = dir.path().to_str().unwrap();
    let out = run(&["scan", root, "--format", "json"]);
    assert_eq!(triples(&out.stdout), vec![], "{}", out.stdout);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let out = run(&["routes", root, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let apps: Vec<(String, Value, Value)> = doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["root"].as_str().unwrap().to_string(),
                a["frameworks"].clone(),
                a["pages_dir"].clone(),
            )
        })
        .collect();
    assert_eq!(
        apps,
        vec![
            (
                "apps/api".to_string(),
                serde_json::json!(["express"]),
                Value::Null
            ),
            (
                "apps/mobile".to_string(),
                serde_json::json!(["expo"]),
                Value::Null
            ),
            (
                "apps/site".to_string(),
                serde_json::json!(["astro"]),
                Value::Null
            ),
        ]
    );
    let kinds: Vec<&str> = doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds
            .iter()
            .any(|k| ["pages-api", "page", "route-handler", "server-action"].contains(k)),
        "{kinds:?}"
    );
}

/// A copy of `testdata/projects/monorepo-scope` outside this repository.
fn monorepo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&testdata().join("projects/monorepo-scope"), dir.path());
    dir
}

#[test]
fn clerk_rules_skip_apps_without_clerk() {
    let dir = monorepo();
    let root = dir.path().to_str().unwrap();
    let out = run(&["scan", root, "--format", "json"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    // apps/docs (next-auth; its guide shows an `@clerk/nextjs` import) has unprotected routes
    // and no middleware: no finding. apps/web uses Clerk through its imports only. The
    // lockfile's next 15.5.6 is affected by CVE-2025-66478 in both App Router apps.
    assert_eq!(
        triples(&out.stdout),
        vec![
            t("apps/split/middleware.ts", 3, "authorized-parties-unset"),
            t("apps/split/package.json", 4, "vulnerable-dependency"),
            t(
                "apps/split/src/app/api/items/route.ts",
                1,
                "unprotected-route-handler"
            ),
            t(
                "apps/web/app/api/orders/route.ts",
                3,
                "unprotected-route-handler"
            ),
            t("apps/web/middleware.ts", 3, "authorized-parties-unset"),
            t("apps/web/package.json", 4, "vulnerable-dependency"),
        ]
    );
    assert!(
        out.stderr
            .contains("note: app `apps/docs` does not use Clerk")
            && out
                .stderr
                .contains("`apps/docs/guides/clerk.md` mentions it"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("`apps/web` does not use Clerk"),
        "{}",
        out.stderr
    );
    let quiet = run(&["scan", root, "-q", "--format", "json"]);
    assert_eq!(quiet.stderr, "");

    // The route table says so; the workspace root (a stray `next` in its package.json, no
    // router of its own) is not an app.
    let out = run(&["routes", root, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let apps: Vec<(String, bool)> = doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["root"].as_str().unwrap().to_string(),
                a["no_clerk"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        apps,
        vec![
            ("apps/docs".to_string(), true),
            ("apps/split".to_string(), false),
            ("apps/web".to_string(), false),
        ]
    );
    // Its rows are not judged, in JSON as in the table.
    let row = doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"] == "apps/docs/app/api/search/route.ts")
        .unwrap();
    assert_eq!(
        (&row["no_clerk"], &row["protection"], &row["protected"]),
        (
            &Value::Bool(true),
            &Value::from("no Clerk"),
            &Value::Bool(true)
        ),
        "{row}"
    );
    let out = run(&["routes", root]);
    let search = out
        .stdout
        .lines()
        .find(|l| l.contains("apps/docs/app/api/search/route.ts"))
        .unwrap();
    assert!(search.contains("no Clerk"), "{}", out.stdout);
}

#[test]
fn clerk_scope_from_the_workspace_root_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "package.json",
        r#"{"private":true,"workspaces":["apps/*"],"dependencies":{"@clerk/nextjs":"6.35.0"}}"#,
    );
    write(
        root,
        "apps/web/package.json",
        r#"{"name":"web","dependencies":{"next":"15.5.6"}}"#,
    );
    write(
        root,
        "apps/web/app/api/data/route.ts",
        "import { rows } from '../../../lib/rows'\nexport async function GET() {\n  return Response.json(await rows())\n}\n",
    );
    write(
        root,
        "apps/web/lib/rows.ts",
        "export async function rows() { return [] }\n",
    );
    let out = run(&["scan", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        triples(&out.stdout),
        vec![
            t(
                "apps/web/app/api/data/route.ts",
                2,
                "unprotected-route-handler"
            ),
            t("apps/web/package.json", 0, "missing-middleware"),
            // next 15.5.6 with an App Router: CVE-2025-66478.
            t("apps/web/package.json", 1, "vulnerable-dependency"),
        ],
        "{}",
        out.stderr
    );
    // Near miss: the same app outside any workspace uses no Clerk.
    std::fs::write(root.join("package.json"), r#"{"private":true}"#).unwrap();
    let out = run(&["scan", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(triples(&out.stdout), vec![], "{}", out.stderr);
    assert_eq!(out.status, 0);
}

#[test]
fn a_directory_inside_an_app_is_scanned_with_its_project() {
    let dir = monorepo();
    let web = dir.path().join("apps/web");
    // `app/` alone holds no middleware: the model still comes from the whole app.
    let out = run(&[
        "scan",
        web.join("app").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        triples(&out.stdout),
        vec![t("app/api/orders/route.ts", 3, "unprotected-route-handler")],
        "{}",
        out.stderr
    );
    assert_eq!(out.status, 1);
    // Run from inside the app, as a user does.
    let out = run_in(Some(&web.join("lib")), &["scan", ".", "--format", "json"]);
    assert_eq!(triples(&out.stdout), vec![], "{}", out.stderr);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 1);

    // Nothing to read is not a pass.
    std::fs::create_dir_all(web.join("empty")).unwrap();
    let out = run(&["scan", web.join("empty").to_str().unwrap()]);
    assert_eq!(out.status, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("nothing to scan"), "{}", out.stderr);
    let out = run(&["scan", web.join("no-such-dir").to_str().unwrap()]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("no such file or directory"),
        "{}",
        out.stderr
    );
    let out = run(&["scan", ""]);
    assert_eq!(out.status, 2);

    // A tree with no JS/TS app and no key says so.
    let docs = tempfile::tempdir().unwrap();
    write(docs.path(), "notes/README.md", "# notes\n");
    let out = run(&["scan", docs.path().to_str().unwrap()]);
    assert_eq!(out.status, 0);
    assert!(
        out.stderr.contains("found no JavaScript/TypeScript app"),
        "{}",
        out.stderr
    );
}

#[test]
fn split_router_directories_are_both_judged() {
    let dir = monorepo();
    let out = run(&[
        "scan",
        dir.path().join("apps/split").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        triples(&out.stdout),
        vec![
            t("middleware.ts", 3, "authorized-parties-unset"),
            // The lockfile above the app says next 15.5.6: CVE-2025-66478.
            t("package.json", 4, "vulnerable-dependency"),
            t("src/app/api/items/route.ts", 1, "unprotected-route-handler"),
        ],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("recent Next.js refuses to build that layout"),
        "{}",
        out.stderr
    );
    let out = run(&[
        "routes",
        dir.path().join("apps/split").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let files: Vec<&str> = doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["pages/index.tsx", "src/app/api/items/route.ts"]);
    // Near miss: both under `src/` share a parent, no note.
    let dir2 = tempfile::tempdir().unwrap();
    write(
        dir2.path(),
        "package.json",
        r#"{"dependencies":{"next":"15.5.18","@clerk/nextjs":"6.35.0"}}"#,
    );
    write(
        dir2.path(),
        "src/pages/index.tsx",
        "export default function H() { return null }\n",
    );
    write(
        dir2.path(),
        "src/app/layout.tsx",
        "export default function L({ children }) { return children }\n",
    );
    write(
        dir2.path(),
        "src/middleware.ts",
        "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n",
    );
    let out = run(&["scan", dir2.path().to_str().unwrap(), "--format", "json"]);
    assert!(!out.stderr.contains("refuses"), "{}", out.stderr);
    assert_eq!(
        triples(&out.stdout),
        vec![t("src/middleware.ts", 2, "authorized-parties-unset")],
        "{}",
        out.stderr
    );
}

#[test]
fn an_app_config_applies_to_its_files_whatever_the_scan_root() {
    let dir = monorepo();
    // apps/web/clerk-guard.toml excludes `legacy` (a key there) and declares `/api/status`
    // public: from the workspace root, and from the app.
    for (root, prefix) in [
        (dir.path().to_path_buf(), "apps/web/"),
        (dir.path().join("apps/web"), ""),
    ] {
        let out = run(&["scan", root.to_str().unwrap(), "--format", "json"]);
        let got = triples(&out.stdout);
        assert!(
            got.contains(&t(
                &format!("{prefix}app/api/orders/route.ts"),
                3,
                "unprotected-route-handler"
            )),
            "{got:?}"
        );
        assert!(
            !got.iter()
                .any(|(p, _, _)| p.contains("legacy") || p.contains("status")),
            "{got:?}"
        );
    }
    // Rule levels of the app's config apply to its files only.
    std::fs::write(
        dir.path().join("apps/web/clerk-guard.toml"),
        "exclude = [\"legacy\"]\n[rules]\n\"unprotected-route-handler\" = \"warning\"\n",
    )
    .unwrap();
    let out = run(&["scan", dir.path().to_str().unwrap(), "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let sev: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        sev,
        vec![
            ("apps/split/middleware.ts", "warning"),
            ("apps/split/package.json", "error"),
            ("apps/split/src/app/api/items/route.ts", "error"),
            ("apps/web/app/api/orders/route.ts", "warning"),
            ("apps/web/app/api/status/route.ts", "warning"),
            ("apps/web/middleware.ts", "warning"),
            ("apps/web/package.json", "error"),
        ]
    );
    // A broken app config is a usage error naming the file.
    std::fs::write(dir.path().join("apps/web/clerk-guard.toml"), "nope = 1\n").unwrap();
    let out = run(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("apps/web/clerk-guard.toml"),
        "{}",
        out.stderr
    );
}

#[test]
fn lockfiles_are_read_at_the_workspace_root() {
    let dir = monorepo();
    let out = run(&[
        "routes",
        dir.path().join("apps/web").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    // `^15.0.0` in apps/web/package.json; the lockfile above the scan root says 15.5.6.
    assert_eq!(doc["apps"][0]["next"], "15.5.6", "{}", out.stdout);
}

/// Issue 17: keys the detector used to skip (inside a word, after `_`, two run together, after
/// an escaped newline) and keys echoed by error paths are never printed whole.
#[test]
fn no_error_path_or_odd_key_prints_a_whole_key() {
    const A: &str = "sk_live_Q7fLm2ZpX9aB4cRt8WvY1nK3sD6hJ0gE5uTiOq";
    const B: &str = "sk_test_Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Ji0HgFeDcBa9876";
    let bodies = [&A[8..24], &B[8..24]];
    let check = |what: &str, out: &common::Output| {
        for body in bodies {
            assert!(
                !out.stdout.contains(body) && !out.stderr.contains(body),
                "{what} prints a key:\n{}\n{}",
                out.stdout,
                out.stderr
            );
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("package.json"), "{}").unwrap();
    std::fs::create_dir_all(root.join("components")).unwrap();
    std::fs::write(
        root.join("components/Odd.tsx"),
        format!(
            "'use client'\nconst a = 'x{A}'\nconst b = '_{A}'\nconst c = '{A}{B}'\nconst d = \"A=1\\n{B}\"\n"
        ),
    )
    .unwrap();
    let r = root.to_str().unwrap();
    for format in ["human", "json", "sarif", "github", "gitlab"] {
        let out = run(&["scan", r, "--format", format, "--color", "never"]);
        assert_eq!(out.status, 1, "{format}: {}", out.stderr);
        check(format, &out);
    }
    let out = run(&["scan", r, "--format", "json"]);
    assert!(
        out.stdout
            .matches("\"rule\": \"secret-key-in-client\"")
            .count()
            >= 4,
        "{}",
        out.stdout
    );
    // A config value echoed by the config error.
    std::fs::write(
        root.join("clerk-guard.toml"),
        format!("[rules]\nsecrets = \"{A}\"\n"),
    )
    .unwrap();
    let out = run(&["scan", r]);
    assert_eq!(out.status, 2);
    check("config error", &out);
    std::fs::remove_file(root.join("clerk-guard.toml")).unwrap();
    // Arguments echoed back.
    check("explain", &run(&["explain", A]));
    check(
        "history --since",
        &run_in(Some(root), &["history", "--since", A]),
    );
    check("scan --select", &run(&["scan", r, "--select", A]));
}

/// Issue 17: no subcommand and no error path prints a whole key, whichever argument, config
/// value or file name carries it.
#[test]
fn no_subcommand_or_error_path_prints_a_whole_key() {
    // Built at runtime: this file holds no key of its own.
    let key = format!("sk_live_{}", "Zq7Wm3Kp9Rt2Vx5B".repeat(2));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "package.json",
        r#"{ "dependencies": { "next": "15.0.0" } }"#,
    );
    write(
        root,
        "app/api/x/route.ts",
        "export async function GET() { return Response.json({}) }\n",
    );
    write(
        root,
        "bad-rules.toml",
        &format!("[rules]\nsecrets = \"{key}\"\n"),
    );
    write(
        root,
        "bad-rule-id.toml",
        &format!("[rules]\n\"{key}\" = \"off\"\n"),
    );
    write(
        root,
        "bad-route.toml",
        &format!("public_routes = [\"{key}\"]\n"),
    );
    write(root, "bad-glob.toml", &format!("exclude = [\"{key}[\"]\n"));
    write(root, "bad-type.toml", &format!("exclude = \"{key}\"\n"));
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "x"]);
    let r = root.to_str().unwrap();
    let named = format!("lib/{key}.ts");
    write(root, &named, "export const a = 1\n");
    let missing = root.join(format!("{key}.ts"));
    let missing = missing.to_str().unwrap();
    let header = format!("Authorization: Bearer {key}");
    let param = format!("id={key}");
    let cases: Vec<Vec<&str>> = vec![
        vec!["scan", r, "--config", "bad-rules.toml"],
        vec!["scan", r, "--config", "bad-rule-id.toml"],
        vec!["scan", r, "--config", "bad-route.toml"],
        vec!["scan", r, "--config", "bad-glob.toml"],
        vec!["scan", r, "--config", "bad-type.toml"],
        vec!["routes", r, "--config", "bad-rules.toml"],
        vec!["history", r, "--config", "bad-rules.toml"],
        vec!["scan", r, "--select", &key],
        vec!["scan", r, "--ignore", &key],
        vec!["scan", r, "--format", &key],
        vec!["scan", missing],
        vec!["scan", r, "--baseline", missing],
        vec!["scan", r, "--config", missing],
        vec!["scan", "--staged", missing],
        vec!["routes", missing],
        vec!["explain", &key],
        vec!["history", r, "--since", &key],
        vec!["history", missing],
        vec!["dump-facts", missing],
        vec!["dump-facts", &named],
        vec!["install-hook", missing],
        vec!["lsp", "--stdio", &key],
        vec![&key],
        vec!["probe", r, "--base-url", &key],
        vec![
            "probe",
            r,
            "--base-url",
            "http://127.0.0.1:9",
            "-H",
            &header,
        ],
        vec!["probe", r, "--base-url", "http://127.0.0.1:9", "-H", &key],
        vec![
            "probe",
            r,
            "--base-url",
            "http://127.0.0.1:9",
            "--param",
            &param,
        ],
        vec![
            "probe",
            r,
            "--base-url",
            "http://127.0.0.1:9",
            "--sign-in-url",
            &key,
        ],
        vec![
            "probe",
            r,
            "--base-url",
            "http://127.0.0.1:9",
            "--app",
            &key,
        ],
    ];
    for args in &cases {
        let out = run_in(Some(root), args);
        let shown: Vec<&str> = args
            .iter()
            .map(|a| if a.contains(&key) { "<key>" } else { a })
            .collect();
        assert!(
            !out.stdout.contains(&key) && !out.stderr.contains(&key),
            "{shown:?} printed the key"
        );
        // Errors about the value itself still name it, masked.
        let about_the_value = ["--select", "--ignore", "--format", "explain", "--since"]
            .iter()
            .any(|a| args.contains(a))
            || args[0] == key
            || args.iter().any(|a| a.starts_with("bad-"));
        if about_the_value {
            assert!(
                out.stderr.contains("sk_live_Zq7W"),
                "{shown:?}: the error names the (masked) value: {}",
                out.stderr.replace(&key, "<key>")
            );
        }
    }
}

/// React Router and TanStack Start apps: `routes` lists every loader, action, server function
/// and server route handler with its URL (config routes, `flatRoutes()` ids, pathless layouts,
/// route folders); a pathless layout's route middleware protects its children; `scan`
/// reports the unprotected entries and the TanStack app that never registers
/// `clerkMiddleware()`.
#[test]
fn react_router_and_tanstack_entries() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &testdata().join("projects/react-router-tanstack"),
        dir.path(),
    );
    let root = dir.path().to_str().unwrap();
    let out = run(&["routes", root, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut rows: Vec<(String, String, String, String, String)> = doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["kind"].as_str().unwrap().to_string(),
                r["symbol"].as_str().unwrap_or("").to_string(),
                r["url"].as_str().unwrap_or("").to_string(),
                r["protection"]
                    .as_str()
                    .unwrap_or("")
                    .split(' ')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase(),
            )
        })
        .collect();
    rows.sort();
    let row = |f: &str, k: &str, s: &str, u: &str, p: &str| {
        (
            f.to_string(),
            k.to_string(),
            s.to_string(),
            u.to_string(),
            p.to_string(),
        )
    };
    assert_eq!(
        rows,
        vec![
            row(
                "apps/start/src/routes/api/orders.$id.ts",
                "server-route",
                "DELETE",
                "/api/orders/$id",
                "unprotected"
            ),
            row(
                "apps/start/src/server/fns.ts",
                "server-fn",
                "allOrders",
                "",
                "unprotected"
            ),
            row(
                "apps/start/src/server/fns.ts",
                "server-fn",
                "myOrders",
                "",
                "guard"
            ),
            row(
                "apps/web/app/legal.tsx",
                "loader",
                "loader",
                "/legal/:doc",
                "inert"
            ),
            row("apps/web/app/root.tsx", "loader", "loader", "/", "inert"),
            row(
                "apps/web/app/routes/_dashboard.invoices.$id.tsx",
                "loader",
                "loader",
                "/invoices/:id",
                "guard"
            ),
            row(
                "apps/web/app/routes/api.reports/route.ts",
                "action",
                "action",
                "/api/reports",
                "unprotected"
            ),
        ],
        "{}",
        out.stdout
    );
    let out = run(&["scan", root, "--format", "json", "--fail-on", "never"]);
    let mut found = triples(&out.stdout);
    found.sort();
    assert_eq!(
        found,
        vec![
            t(
                "apps/start/src/routes/api/orders.$id.ts",
                6,
                "unprotected-route-handler"
            ),
            t(
                "apps/start/src/server/fns.ts",
                2,
                "clerk-middleware-not-registered"
            ),
            t(
                "apps/start/src/server/fns.ts",
                14,
                "unprotected-route-handler"
            ),
            t(
                "apps/web/app/routes/api.reports/route.ts",
                1,
                "unprotected-route-handler"
            ),
        ],
        "{}",
        out.stdout
    );
}

/// An Express API: routers mounted across files get their prefixes, middleware chains protect
/// (a `getAuth(req)` middleware, `requireAuth()` through a name from another module), and the
/// Express findings land on the registrations (rule, file, line).
#[test]
fn express_app_routes_and_findings() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&testdata().join("projects/express-api"), dir.path());
    let root = dir.path().to_str().unwrap();
    let out = run(&["routes", root, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let rows: Vec<(String, String, String, String)> = doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["symbol"].as_str().unwrap().to_string(),
                r["url"].as_str().unwrap_or("").to_string(),
                r["protection"]
                    .as_str()
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .to_ascii_lowercase(),
            )
        })
        .collect();
    let row = |s: &str, u: &str, p: &str| {
        (
            "express-route".to_string(),
            s.to_string(),
            u.to_string(),
            p.to_string(),
        )
    };
    assert_eq!(
        rows,
        vec![
            row("GET", "/api/projects", "guard"),
            row("POST", "/api/projects/import", "unprotected"),
            row("GET", "/api/reports/:id", "guard"),
            row("GET", "/api/whoami", "handler"),
        ],
        "{}",
        out.stdout
    );
    let out = run(&["scan", root, "--format", "json", "--fail-on", "never"]);
    let mut got = triples(&out.stdout);
    got.sort();
    let t = |p: &str, l: u64, r: &str| (p.to_string(), l, r.to_string());
    assert_eq!(
        got,
        vec![
            t("src/routes/projects.ts", 18, "unprotected-route-handler"),
            t("src/server.ts", 10, "express-clerk-middleware-order"),
            t("src/server.ts", 19, "express-require-auth-deprecated"),
        ],
        "{}",
        out.stdout
    );
}
