//! The client/server boundary end to end: severities, chains as related locations, the page
//! column of `clerk-guard routes`.

mod common;

use clerk_guard::engine::{ScanOptions, load_project, scan};
use clerk_guard::finding::{Finding, Severity};
use common::testdata;
use serde_json::Value;

fn findings(dir: &str, rule: &str) -> Vec<Finding> {
    let result = scan(&ScanOptions {
        paths: vec![testdata().join(dir)],
        select: vec![rule.to_string()],
        ..ScanOptions::default()
    })
    .unwrap();
    result.findings
}

#[test]
fn client_only_pages_are_errors_when_their_data_is_open() {
    let found: Vec<(String, Severity)> = findings("client-only-auth/fail", "client-only-auth")
        .into_iter()
        .map(|f| (f.route.unwrap_or_default(), f.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("/admin".to_string(), Severity::Error),
            ("/dashboard".to_string(), Severity::Warning),
            ("/onboarding".to_string(), Severity::Warning),
            ("/profile".to_string(), Severity::Warning),
            ("/reports".to_string(), Severity::Error),
            ("/settings".to_string(), Severity::Warning),
            ("/team".to_string(), Severity::Warning),
            // apps/layout-sync: a layout whose helper checks the session for its own work only.
            ("/orders".to_string(), Severity::Warning),
            // apps/locale-site: a page under a path the middleware's `includes('/assets/')`
            // early return lets through.
            ("/[locale]/assets/[id]".to_string(), Severity::Warning),
            // apps/nav-routes: a page outside the table of paths the middleware protects.
            ("/billing".to_string(), Severity::Warning),
            // apps/nuxt-dash: Nuxt pages are reported only when their data is open.
            ("/invoices".to_string(), Severity::Error),
            ("/orders".to_string(), Severity::Error),
            ("/profile".to_string(), Severity::Error),
            // apps/nuxt-global: a global route middleware scoped by its route matcher.
            ("/dashboard".to_string(), Severity::Error),
            ("/dashboard/plans".to_string(), Severity::Error),
            ("/dashboard/team".to_string(), Severity::Error),
            // apps/role-table: a page outside the middleware's table of roles.
            ("/list/lessons".to_string(), Severity::Warning),
            // apps/v4-with-clerk: a Clerk v4 `withClerkMiddleware` that reads the session and
            // lets every request through.
            ("/dashboard".to_string(), Severity::Warning),
            // pages/account-nav, pages/balance, pages/greeting: a component that gates what
            // the app fetched, one of its own components or a UI kit's given a value behind
            // the session (a sign-in/sign-out switch that shows only markup, links and the
            // user's own name is UI: pass/pages/welcome, pass/pages/features).
            ("/account-nav".to_string(), Severity::Warning),
            ("/balance".to_string(), Severity::Warning),
            ("/greeting".to_string(), Severity::Warning),
            ("/invoices-legacy".to_string(), Severity::Warning),
            ("/plans".to_string(), Severity::Warning),
        ]
    );
}

#[test]
fn a_nuxt_page_names_its_route_middleware_and_the_open_endpoint() {
    let all = findings("client-only-auth/fail", "client-only-auth");
    let f = all
        .iter()
        .find(|f| f.path == "apps/nuxt-dash/pages/orders/index.vue")
        .unwrap();
    assert!(
        f.message.contains("Nuxt page `/orders`")
            && f.message.contains("the route middleware `auth`")
            && f.message.contains("`GET /api/orders`"),
        "{}",
        f.message
    );
    let related: Vec<&str> = f.related.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        related,
        [
            "apps/nuxt-dash/middleware/auth.ts",
            "apps/nuxt-dash/server/api/orders.get.ts"
        ]
    );
}

#[test]
fn a_gate_two_levels_down_names_the_path_and_the_endpoint() {
    let all = findings("client-only-auth/fail", "client-only-auth");
    let f = all
        .iter()
        .find(|f| f.route.as_deref() == Some("/reports"))
        .unwrap();
    assert_eq!(f.path, "app/reports/page.tsx");
    assert!(
        f.message
            .contains("`isSignedIn ?` decides what renders in `components/ReportsView.tsx`"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("`GET /api/reports/[id]`"),
        "{}",
        f.message
    );
    let related: Vec<(&str, Option<usize>, &str)> = f
        .related
        .iter()
        .map(|r| (r.path.as_str(), r.range.map(|r| r.line), r.message.as_str()))
        .collect();
    assert_eq!(
        related,
        [
            (
                "components/ReportsShell.tsx",
                Some(7),
                "renders the gated component"
            ),
            (
                "components/ReportsView.tsx",
                Some(8),
                "gated in the browser: `isSignedIn ?` decides what renders"
            ),
            (
                "components/ReportsView.tsx",
                Some(7),
                "requests `GET /api/reports/[id]`"
            ),
            (
                "app/api/reports/[id]/route.ts",
                Some(1),
                "`GET /api/reports/[id]` is unprotected: no check in the handler, and the middleware callback does not protect this path"
            ),
        ]
    );
}

#[test]
fn key_findings_carry_the_chain() {
    let all = findings("secret-key-in-client/fail", "secret-key-in-client");
    let f = all
        .iter()
        .find(|f| f.path == "lib/payments/client.ts")
        .unwrap();
    assert!(
        f.message.ends_with(
            "which ships to the browser: `components/Checkout.tsx` ('use client') → `lib/payments/index.ts` → `lib/payments/client.ts`"
        ),
        "{}",
        f.message
    );
    let related: Vec<(&str, Option<usize>, &str)> = f
        .related
        .iter()
        .map(|r| (r.path.as_str(), r.range.map(|r| r.line), r.message.as_str()))
        .collect();
    assert_eq!(
        related,
        [
            (
                "components/Checkout.tsx",
                Some(1),
                "'use client': this module and everything it imports ship to the browser"
            ),
            (
                "components/Checkout.tsx",
                Some(3),
                "imports `lib/payments/index.ts`"
            ),
            (
                "lib/payments/index.ts",
                Some(1),
                "imports `lib/payments/client.ts`"
            ),
        ]
    );
    // No output ever holds a whole key.
    let whole_key = regex::Regex::new(r"sk_(live|test)_[A-Za-z0-9]{20,}").unwrap();
    assert!(all.iter().all(|f| !whole_key.is_match(&f.message)));
}

#[test]
fn shipped_keys_are_not_also_hardcoded_findings() {
    let all = findings("secret-key-in-client/fail", "secrets");
    for f in all.iter().filter(|f| f.rule == "hardcoded-secret-key") {
        assert!(
            ![
                "lib/keys.ts",
                "lib/payments/client.ts",
                "lib/site-config.ts"
            ]
            .contains(&f.path.as_str()),
            "{}: {}",
            f.path,
            f.message
        );
    }
    // The key only getServerSideProps uses is hard-coded, not shipped.
    assert!(
        all.iter()
            .any(|f| f.rule == "hardcoded-secret-key" && f.path == "lib/admin-client.ts")
    );
}

fn routes(dir: &str) -> Vec<Value> {
    let root = std::fs::canonicalize(testdata().join(dir)).unwrap();
    let (project, _) = load_project(&root, Default::default(), false);
    let doc: Value = serde_json::from_str(&clerk_guard::routes_cmd::json(&project)).unwrap();
    doc["routes"].as_array().unwrap().clone()
}

#[test]
fn routes_page_column() {
    let page = |rows: &[Value], url: &str| {
        let r = rows
            .iter()
            .find(|r| r["url"] == url && r["kind"] == "page")
            .unwrap_or_else(|| panic!("{url}"));
        (
            r["page"].as_str().unwrap().to_string(),
            r["protection"].as_str().unwrap().to_string(),
            r["protected"].as_bool().unwrap(),
        )
    };
    let fail = routes("client-only-auth/fail");
    assert_eq!(
        page(&fail, "/settings"),
        ("client-only".into(), "public".into(), false)
    );
    let pass = routes("client-only-auth/pass");
    assert_eq!(
        page(&pass, "/projects"),
        ("server".into(), "layout".into(), true)
    );
    assert_eq!(
        page(&pass, "/secure"),
        ("server".into(), "getServerSideProps".into(), true)
    );
    assert_eq!(
        page(&pass, "/rsc"),
        ("server".into(), "render gate".into(), true)
    );
    assert_eq!(
        page(&pass, "/home"),
        ("public".into(), "public".into(), false)
    );
    // Endpoints have no page column.
    assert!(
        fail.iter()
            .filter(|r| r["kind"] != "page")
            .all(|r| r["page"].is_null())
    );
}

#[test]
fn routes_table_has_a_page_column() {
    let out = common::run(&[
        "routes",
        testdata().join("client-only-auth/fail").to_str().unwrap(),
    ]);
    let header = out.stdout.lines().next().unwrap();
    assert!(
        header.contains("PROTECTION") && header.contains("PAGE"),
        "{header}"
    );
    let settings = out
        .stdout
        .lines()
        .find(|l| l.starts_with("/settings "))
        .unwrap();
    assert!(settings.contains(" client-only "), "{settings}");
}

/// The client set of a scan with byte-level rules only (imports resolved file by file, only
/// what the client roots reach) is the one the whole import graph gives, file for file:
/// membership, roots, what pages strip, chains; and bindings resolve the same way.
#[test]
fn client_set_without_the_whole_graph_is_the_same() {
    use clerk_guard::engine::load_project_for;
    use clerk_guard::project::Analysis;
    let mut dirs = common::multi_app_fixtures();
    for entry in std::fs::read_dir(testdata()).unwrap().flatten() {
        for side in ["fail", "pass"] {
            if entry.path().join(side).is_dir() {
                dirs.push(entry.path().join(side));
            }
        }
    }
    dirs.push(testdata().join("demo-app"));
    dirs.sort();
    dirs.dedup();
    let mut members = 0;
    for dir in dirs {
        let root = std::fs::canonicalize(&dir).unwrap();
        let (lazy, _) = load_project_for(&root, Default::default(), true, Analysis::None);
        let (full, _) = load_project_for(&root, Default::default(), true, Analysis::AllApps);
        let (a, b) = (lazy.client_set(), full.client_set());
        assert_eq!(lazy.files.len(), full.files.len(), "{}", dir.display());
        for id in 0..lazy.files.len() {
            let at = format!("{}: {}", dir.display(), lazy.files[id].rel);
            assert_eq!(a.contains(id), b.contains(id), "{at}");
            members += usize::from(a.contains(id));
            assert_eq!(a.root(id), b.root(id), "{at}");
            assert_eq!(a.strip(id), b.strip(id), "{at}");
            for k in 0..lazy.files[id].imports().len() {
                assert_eq!(
                    a.is_stripped_import(id, k),
                    b.is_stripped_import(id, k),
                    "{at}"
                );
            }
            assert_eq!(a.steps(&lazy, id), b.steps(&full, id), "{at}");
            assert_eq!(
                a.chain_locations(&lazy, id),
                b.chain_locations(&full, id),
                "{at}"
            );
            for imp in lazy.files[id].imports() {
                for n in &imp.names {
                    let rel = &lazy.files[id].rel;
                    assert_eq!(
                        lazy.resolve_binding(rel, &n.local),
                        full.resolve_binding(rel, &n.local),
                        "{at}: {}",
                        n.local
                    );
                }
            }
        }
        assert!(!lazy.graph_is_built(), "{}", dir.display());
    }
    assert!(members > 0);
}

/// A byte-level scan lets a test's text go without lexing its imports, and a component's
/// text without a place in the text budget (`TextFate`): a test module that a client
/// component imports after all is read again, and what it leads to is found as a full
/// analysis finds it; the same mock imported by no client module ships nothing.
#[test]
fn a_test_module_a_client_component_imports_is_followed() {
    let key = "sk_live_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc";
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| common::write(root, rel, text);
    write(
        "package.json",
        r#"{ "name": "web", "dependencies": { "next": "15.5.6" } }"#,
    );
    write(
        "components/Pay.tsx",
        "'use client'\nimport { stripe } from '../__mocks__/stripe'\nexport function Pay() { return <button onClick={() => stripe()}>Pay</button> }\n",
    );
    write(
        "__mocks__/stripe.ts",
        "import { keys } from '../lib/keys'\nexport const stripe = () => keys.live\n",
    );
    write(
        "lib/keys.ts",
        &format!("export const keys = {{ live: '{key}' }}\n"),
    );
    write(
        "components/Admin.test.tsx",
        "import { stripe } from '../__mocks__/other'\ntest('x', () => stripe())\n",
    );
    write(
        "__mocks__/other.ts",
        &format!("export const stripe = () => '{key}'\n"),
    );
    let shipped = |select: &str| -> Vec<(String, usize)> {
        let result = scan(&ScanOptions {
            paths: vec![root.to_path_buf()],
            select: vec![select.to_string()],
            ..ScanOptions::default()
        })
        .unwrap();
        let mut out: Vec<(String, usize)> = result
            .findings
            .iter()
            .filter(|f| f.rule == "secret-key-in-client")
            .map(|f| (f.path.clone(), f.range.map_or(0, |r| r.line)))
            .collect();
        out.sort();
        out
    };
    let expected = vec![("lib/keys.ts".to_string(), 1)];
    assert_eq!(shipped("secrets"), expected);
    assert_eq!(shipped("secret-key-in-client"), expected);
    assert_eq!(shipped("all"), expected);
}

/// A secret read in code that ships is an error only when a next.config `env` entry inlines
/// its value into the bundle; without a public prefix or such an entry the browser sees
/// `undefined`, a warning that says so.
#[test]
fn secret_reads_that_ship_are_errors_only_when_inlined() {
    let found: Vec<(String, Severity, bool)> =
        findings("secret-key-exposed-env/fail", "secret-key-exposed-env")
            .into_iter()
            .filter(|f| f.path == "components/Billing.tsx" || f.path == "lib/report.ts")
            .map(|f| {
                let said = if f.severity == Severity::Error {
                    f.message
                        .contains("`env.CLERK_SECRET_KEY` in `next.config.js` inlines it")
                } else {
                    f.message.contains("leaves it `undefined` there")
                };
                (f.path, f.severity, said)
            })
            .collect();
    assert_eq!(
        found,
        [
            ("components/Billing.tsx".to_string(), Severity::Error, true),
            ("lib/report.ts".to_string(), Severity::Warning, true),
        ]
    );
}

/// A Hono app in a file that also imports Express: its routes are Hono's, each one entry (not
/// also an Express route of the same name and line).
#[test]
fn a_hono_app_beside_express_is_reported_once() {
    let found: Vec<String> = findings(
        "unprotected-route-handler/fail",
        "unprotected-route-handler",
    )
    .into_iter()
    .filter(|f| f.path == "apps/hono-in-express/src/server.ts")
    .map(|f| f.message)
    .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("`GET /reports` (Hono)"),
        "{}",
        found[0]
    );
}
