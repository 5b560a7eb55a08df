//! Severities of the `authz` rules, which the fixture runner does not assert: destructive
//! operations and exploitable advisory uses are errors, the rest warnings.

mod common;

use clerk_guard::engine::{ScanOptions, scan};
use clerk_guard::finding::Severity;
use common::testdata;

/// (path, line, severity) of one rule's findings in a fixture tree.
fn severities(rule: &str, tree: &str) -> Vec<(String, usize, Severity)> {
    let result = scan(&ScanOptions {
        paths: vec![testdata().join(rule).join(tree)],
        select: vec![rule.to_string()],
        ..ScanOptions::default()
    })
    .expect("scan");
    result
        .findings
        .iter()
        .map(|f| (f.path.clone(), f.line().unwrap_or(0), f.severity))
        .collect()
}

fn severity_at(list: &[(String, usize, Severity)], path: &str, line: usize) -> Severity {
    list.iter()
        .find(|(p, l, _)| p == path && *l == line)
        .map(|(_, _, s)| *s)
        .unwrap_or_else(|| panic!("no finding at {path}:{line} in {list:?}"))
}

#[test]
fn missing_role_check_severity_follows_the_operation() {
    let list = severities("missing-role-check", "fail");
    // deleteUser, banUser, revokeSession: destructive.
    assert_eq!(
        severity_at(&list, "app/api/admin/users/route.ts", 8),
        Severity::Error
    );
    assert_eq!(
        severity_at(&list, "app/api/users/[id]/ban/route.ts", 7),
        Severity::Error
    );
    assert_eq!(
        severity_at(&list, "app/api/wrapped/route.ts", 7),
        Severity::Error
    );
    // createInvitation, updateUserMetadata, an admin route without a role: warnings.
    assert_eq!(
        severity_at(&list, "app/api/invite/route.ts", 8),
        Severity::Warning
    );
    assert_eq!(
        severity_at(&list, "app/api/users/[id]/role/route.ts", 10),
        Severity::Warning
    );
    assert_eq!(
        severity_at(&list, "app/api/admin/stats/route.ts", 4),
        Severity::Warning
    );
}

#[test]
fn vulnerable_dependency_severity_follows_the_use() {
    let list = severities("vulnerable-dependency", "fail");
    // The deny-list middleware is the bypassable form; the allow-list form is reported lower.
    assert_eq!(
        severity_at(&list, "apps/deny-list/package.json", 7),
        Severity::Error
    );
    assert_eq!(
        severity_at(&list, "apps/allow-list/package.json", 7),
        Severity::Warning
    );
    // An affected range not confirmed by a primary source is a warning.
    assert_eq!(
        severity_at(&list, "apps/next-15-5/package.json", 5),
        Severity::Warning
    );
    assert_eq!(
        severity_at(&list, "apps/proxy-16/package.json", 5),
        Severity::Error
    );
    // CVE-2025-57822 is reported at the middleware line that passes the headers.
    assert_eq!(
        severity_at(&list, "apps/headers-ssrf/middleware.ts", 7),
        Severity::Error
    );
    // `@clerk/express` beside Passport (which sets `req.auth`) is exploitable.
    assert_eq!(
        severity_at(&list, "apps/express/package.json", 8),
        Severity::Error
    );
}

#[test]
fn vulnerable_dependency_says_how_the_version_was_read() {
    let result = scan(&ScanOptions {
        paths: vec![testdata().join("vulnerable-dependency/fail")],
        select: vec!["vulnerable-dependency".into()],
        ..ScanOptions::default()
    })
    .expect("scan");
    let message = |path: &str| {
        result
            .findings
            .iter()
            .filter(|f| f.path == path)
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    // A loose range is reported against its lowest version, and never called pinned.
    let loose = message("apps/loose-6x/package.json");
    assert!(
        loose.contains("6.0.0") && loose.contains("the lowest version the range `6.x`"),
        "{loose}"
    );
    assert!(!loose.contains("pinned"), "{loose}");
    assert!(loose.contains("; no lockfile"), "{loose}");
    // A binary `bun.lockb` beside the manifest is named: the version is unknown, not undeclared.
    let bun = message("apps/bun-binary/package.json");
    assert!(
        bun.contains("the lowest version the range `^6.20.0`")
            && bun.contains("`apps/bun-binary/bun.lockb` is binary and not read")
            && !bun.contains("no lockfile"),
        "{bun}"
    );
    let hyphen = message("apps/loose-hyphen/package.json");
    assert!(
        hyphen.contains("6.35.0") && !hyphen.contains("pinned"),
        "{hyphen}"
    );
    let unbounded = message("apps/loose-unbounded/package.json");
    assert!(
        unbounded.contains("sets no lower bound") && unbounded.contains("`@clerk/nextjs` 6.0.0"),
        "{unbounded}"
    );
    // An exact version without a lockfile is pinned.
    assert!(message("apps/rsc/package.json").contains("pinned to `15.5.6`"));
    // The SSRF finding points back at the dependency.
    let ssrf = result
        .findings
        .iter()
        .find(|f| f.path == "apps/headers-ssrf/middleware.ts")
        .expect("CVE-2025-57822 at the middleware");
    assert!(ssrf.message.contains("CVE-2025-57822") && ssrf.message.contains("fixed in 14.2.32"));
    assert_eq!(ssrf.related.len(), 1);
    assert_eq!(ssrf.related[0].path, "apps/headers-ssrf/package.json");
}

#[test]
fn vulnerable_dependency_names_advisory_installed_and_fixed() {
    let result = scan(&ScanOptions {
        paths: vec![testdata().join("vulnerable-dependency/fail")],
        select: vec!["vulnerable-dependency".into()],
        ..ScanOptions::default()
    })
    .expect("scan");
    let f = result
        .findings
        .iter()
        .find(|f| f.path == "apps/deny-list/package.json")
        .expect("deny-list finding");
    for part in [
        "CVE-2026-41248",
        "GHSA-vqx2-fgx2-5wq9",
        "6.39.1",
        "fixed in 6.39.2",
        "package-lock.json",
    ] {
        assert!(f.message.contains(part), "{part} not in {}", f.message);
    }
    assert!(f.help.contains("6.39.2"), "{}", f.help);
    assert_eq!(f.related.len(), 1, "points at the middleware");
}

#[test]
fn routes_show_authorization_evidence() {
    let dir = testdata().join("missing-role-check/pass");
    let out = common::run(&["routes", dir.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let header = out.stdout.lines().next().unwrap_or("");
    assert!(header.contains("AUTHZ"), "{header}");
    let row = |url: &str, entry: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(url) && l.contains(entry))
            .unwrap_or_else(|| panic!("no row {url} {entry}:\n{}", out.stdout))
            .to_string()
    };
    assert!(row("/api/admin/users ", "DELETE").contains("role: org:admin"));
    assert!(row("/api/staff/users ", "DELETE").contains("role: org:admin"));
    assert!(row("/api/wrapped ", "POST").contains("role: withRole()"));
    assert!(row("/api/me ", "PATCH").contains(" none "));

    let dir = testdata().join("org-scope-unchecked/pass");
    let out = common::run(&["routes", dir.to_str().unwrap(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let routes = doc["routes"].as_array().unwrap();
    let get = |url: &str, symbol: &str| {
        routes
            .iter()
            .find(|r| r["url"] == url && r["symbol"] == symbol)
            .unwrap_or_else(|| panic!("no route {url} {symbol}"))
    };
    let projects = get("/api/orgs/[orgId]/projects", "GET");
    assert_eq!(projects["authz"]["org_scoped"], true);
    assert_eq!(projects["authz"]["label"], "org-scoped");
    let settings = get("/api/orgs/[orgId]/settings", "PATCH");
    assert_eq!(settings["authz"]["label"], "role: org:admin, org-scoped");
    assert_eq!(settings["authz"]["role"], "org:admin");
    assert_eq!(
        get("/api/orgs/[orgId]/details", "GET")["authz"]["label"],
        "none"
    );
}

#[test]
fn routes_show_step_up() {
    let dir = testdata().join("sensitive-action-without-reverification/pass");
    let out = common::run(&["routes", dir.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let row = |url: &str, entry: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(url) && l.contains(entry))
            .unwrap_or_else(|| panic!("no row {url} {entry}:\n{}", out.stdout))
            .to_string()
    };
    assert!(row("/api/keys ", "POST").contains(" step-up "));
    assert!(!row("/api/keys ", "GET").contains("step-up"));
    assert!(row("/api/orgs/members ", "PATCH").contains("role: org:admin, org-scoped, step-up"));
    assert!(row("(server action)", "action removePhone").contains("step-up"));
    assert!(row("(server action)", "action removeEmail").contains("step-up"));
    assert!(!row("(server action)", "action rename").contains("step-up"));

    let out = common::run(&["routes", dir.to_str().unwrap(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let keys = doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"] == "/api/keys" && r["symbol"] == "POST")
        .unwrap();
    assert_eq!(keys["authz"]["step_up"], true);
    assert!(
        keys["authz"]["step_up_check"]
            .as_str()
            .unwrap()
            .contains("reverification")
    );
}

/// A 400-deep helper chain that ends in a cycle. The binary runs the analysis on the main
/// thread (8 MiB stack); the guard summaries of `project::guards` recurse once per helper, so
/// this test gives its scan a comparable stack. The authz analysis itself stops at a fixed
/// depth: the deletion at the end of the chain is beyond it, so nothing is reported.
#[test]
fn long_helper_chains_and_cycles_do_not_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::write(
        root.join("package.json"),
        r#"{ "dependencies": { "next": "15.5.18", "@clerk/nextjs": "6.39.3" } }"#,
    )
    .unwrap();
    let mut lib = String::from("import { clerkClient } from '@clerk/nextjs/server'\n");
    for i in 0..400 {
        lib.push_str(&format!(
            "export async function step{i}(id: string) {{ await step{}(id) }}\n",
            i + 1
        ));
    }
    lib.push_str(
        "export async function step400(id: string) { await (await clerkClient()).users.deleteUser(id); await step0(id) }\n",
    );
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::write(root.join("lib/chain.ts"), lib).unwrap();
    std::fs::create_dir_all(root.join("app/api/chain")).unwrap();
    std::fs::write(
        root.join("app/api/chain/route.ts"),
        "import { step0 } from '@/lib/chain'\nexport async function POST(req: Request) {\n  await step0(await req.text())\n  return new Response(null)\n}\n",
    )
    .unwrap();
    let findings = std::thread::Builder::new()
        .stack_size(32 * 1024 * 1024)
        .spawn(move || {
            scan(&ScanOptions {
                paths: vec![root],
                select: vec!["authz".into()],
                ..ScanOptions::default()
            })
            .expect("scan")
            .findings
        })
        .unwrap()
        .join()
        .expect("no panic");
    assert!(findings.iter().all(|f| f.rule != "missing-role-check"));
}

/// A small app written to a temporary directory: (relative path, text) pairs.
fn app(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn findings_of(rule: &str, dir: &std::path::Path) -> Vec<clerk_guard::finding::Finding> {
    scan(&ScanOptions {
        paths: vec![dir.to_path_buf()],
        select: vec![rule.to_string()],
        ..ScanOptions::default()
    })
    .expect("scan")
    .findings
}

const CHANGE_PASSWORD: &str = "'use server'\nimport { auth, clerkClient } from '@clerk/nextjs/server'\nexport async function changePassword(password: string) {\n  const { userId } = await auth.protect()\n  await (await clerkClient()).users.updateUser(userId, { password })\n  return { ok: true }\n}\n";

/// The page that imports the actions (Next.js registers actions only from imported modules).
const SETTINGS_PAGE: &str = "import { changePassword } from './actions'\nexport default function Settings() {\n  return <form action={changePassword} />\n}\n";

const ADMIN_PURGE: &str = "import { auth } from '@clerk/nextjs/server'\nimport { db } from '@/lib/db'\nexport async function DELETE() {\n  const { has } = await auth()\n  if (!has({ role: 'org:admin' })) return new Response(null, { status: 403 })\n  await db.auditLog.deleteMany({})\n  return new Response(null, { status: 204 })\n}\n";

#[test]
fn step_up_severity_and_version_note() {
    let rule = "sensitive-action-without-reverification";
    // Before 6.5.0 the message says that the upgrade enables reverification.
    let old = app(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "15.0.3", "@clerk/nextjs": "6.3.0" } }"#,
        ),
        ("app/settings/actions.ts", CHANGE_PASSWORD),
        ("app/settings/page.tsx", SETTINGS_PAGE),
        ("app/api/admin/purge/route.ts", ADMIN_PURGE),
        ("lib/db.ts", "export const db = {} as any\n"),
    ]);
    let f = findings_of(rule, old.path());
    let pw = f
        .iter()
        .find(|f| f.path == "app/settings/actions.ts")
        .expect("changePassword reported");
    assert!(pw.message.contains("6.3.0"), "{}", pw.message);
    assert!(pw.message.contains("6.5.0"), "{}", pw.message);
    // The app has a sensitive Clerk operation: its admin purge is a warning.
    let purge = f
        .iter()
        .find(|f| f.path == "app/api/admin/purge/route.ts")
        .expect("purge reported");
    assert_eq!(purge.severity, Severity::Warning);

    // An app with no sensitive Clerk operation at all: the admin purge is info.
    let plain = app(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "15.5.18", "@clerk/nextjs": "6.39.3" } }"#,
        ),
        ("app/api/admin/purge/route.ts", ADMIN_PURGE),
        ("lib/db.ts", "export const db = {} as any\n"),
    ]);
    let f = findings_of(rule, plain.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].severity, Severity::Info);
    assert!(!f[0].message.contains("predates"), "{}", f[0].message);
}

#[test]
fn old_backend_is_named_in_origin_findings() {
    let rule = "authorized-parties-unset";
    let mw = "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n";
    let old = app(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "15.5.18", "@clerk/nextjs": "6.39.3", "@clerk/backend": "3.11.0" } }"#,
        ),
        ("middleware.ts", mw),
    ]);
    let f = findings_of(rule, old.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].message.contains("3.11.0"), "{}", f[0].message);
    assert!(f[0].message.contains("3.11.1"), "{}", f[0].message);
    let new = app(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "15.5.18", "@clerk/nextjs": "6.39.3", "@clerk/backend": "3.11.1" } }"#,
        ),
        ("middleware.ts", mw),
    ]);
    let f = findings_of(rule, new.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(!f[0].message.contains("azp` even"), "{}", f[0].message);
}

/// A middleware that gates `/admin` through a loop over a table of role matchers (the table
/// imported from another module) is what `/admin` relies on: CVE-2025-29927 is reported for
/// it, naming the path.
#[test]
fn middleware_bypass_is_reported_for_a_role_table_gate() {
    let all = findings_of(
        "vulnerable-dependency",
        &testdata().join("vulnerable-dependency/fail"),
    );
    let f = all
        .iter()
        .find(|f| {
            f.path == "apps/role-table-29927/package.json" && f.message.contains("CVE-2025-29927")
        })
        .expect("CVE-2025-29927 finding for the role table");
    assert!(
        f.message
            .contains("`/admin` relies on the middleware alone"),
        "{}",
        f.message
    );
}

/// A middleware redirect whose URL holds the role (`/${role}`) under a sign-in test checks no
/// role: the admin route behind it is still reported, and `routes` shows no role for it.
#[test]
fn a_redirect_naming_the_role_is_no_role_check() {
    let dir = app(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "15.5.6", "@clerk/nextjs": "6.35.0" } }"#,
        ),
        (
            "middleware.ts",
            "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\nimport { NextResponse } from 'next/server'\nconst isAdmin = createRouteMatcher(['/api/admin(.*)'])\nexport default clerkMiddleware(async (auth, req) => {\n  const { userId, sessionClaims } = await auth()\n  const role = sessionClaims?.metadata?.role\n  if (isAdmin(req) && !userId) return NextResponse.redirect(new URL(`/${role}`, req.url))\n})\n",
        ),
        (
            "app/api/admin/users/route.ts",
            "import { clerkClient } from '@clerk/nextjs/server'\nexport async function DELETE(req: Request) {\n  const { id } = await req.json()\n  await (await clerkClient()).users.deleteUser(id)\n  return new Response(null, { status: 204 })\n}\n",
        ),
    ]);
    let found = findings_of("missing-role-check", dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "app/api/admin/users/route.ts");
    let out = common::run(&["routes", dir.path().to_str().unwrap()]);
    let row = out
        .stdout
        .lines()
        .find(|l| l.starts_with("/api/admin/users "))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(row.contains(" none "), "{row}");
}
