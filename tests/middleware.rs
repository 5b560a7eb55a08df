//! What the middleware rules say about a finding: the list a pattern is in, the early return
//! that lets a path through, and the other calls a finding stands for.

mod common;

use clerk_guard::engine::{ScanOptions, scan};
use clerk_guard::finding::Finding;
use common::testdata;

fn findings(dir: &str, rule: &str) -> Vec<Finding> {
    scan(&ScanOptions {
        paths: vec![testdata().join(dir)],
        select: vec![rule.to_string()],
        ..ScanOptions::default()
    })
    .expect("scan")
    .findings
}

/// The return that certainly lets `/api` through is the reason, not the client-controlled
/// one before it (which the request could take, but which skips nothing there).
#[test]
fn an_open_handler_names_the_return_that_lets_it_through() {
    let f = findings(
        "unprotected-route-handler/fail/apps/mw-api-open",
        "unprotected-route-handler",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].message
            .contains("returns before protecting this path when the path starts with `/api/`"),
        "{}",
        f[0].message
    );
    assert!(!f[0].message.contains("campaign"), "{}", f[0].message);
}

#[test]
fn an_unmatched_pattern_names_its_list() {
    let f = findings(
        "middleware-matcher-gap/fail/apps/locale-group",
        "middleware-matcher-gap",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].message.contains("of the protect list `isMemberRoute`"),
        "{}",
        f[0].message
    );
    assert!(
        f[0].message.contains("route group `(members)`"),
        "{}",
        f[0].message
    );
}

/// Per-route `clerkMiddleware()` calls in an Express app's routers are one finding, at the
/// app-wide call; another `express()` app of the package has its own.
#[test]
fn unset_parties_are_reported_once_per_app() {
    let f = findings("authorized-parties-unset/fail", "authorized-parties-unset");
    let server: Vec<&Finding> = f
        .iter()
        .filter(|f| f.path.starts_with("server/shop/") || f.path == "server/admin.ts")
        .collect();
    assert_eq!(server.len(), 2, "{server:?}");
    let shop = server
        .iter()
        .find(|f| f.path == "server/shop/app.ts")
        .expect("shop");
    assert!(
        shop.message
            .contains("3 other `clerkMiddleware()` call(s) of this app")
            && shop.message.contains("`server/shop/orders.ts`"),
        "{}",
        shop.message
    );
    let admin = server
        .iter()
        .find(|f| f.path == "server/admin.ts")
        .expect("admin");
    assert!(!admin.message.contains("other"), "{}", admin.message);
}
