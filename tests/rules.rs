//! Fixture runner: for every rule, `testdata/<rule>/fail` must yield exactly the findings
//! its `expect: <rule>` markers name, and `testdata/<rule>/pass` none of that rule.

mod common;

use clerk_guard::rules::{Group, RULES};
use common::{assert_fixture, testdata};

fn check_rule(rule: &str) {
    let base = testdata().join(rule);
    let fail = base.join("fail");
    let pass = base.join("pass");
    assert!(fail.is_dir(), "missing fixture tree {}", fail.display());
    assert!(pass.is_dir(), "missing near-miss tree {}", pass.display());
    let expected = common::expectations(&fail, &[rule]);
    assert!(
        !expected.is_empty(),
        "{} has no `expect: {rule}` marker",
        fail.display()
    );
    assert_fixture(&fail, rule);
    assert!(
        common::expectations(&pass, &[rule]).is_empty(),
        "a pass/ tree must not carry expect markers for its own rule"
    );
    assert_fixture(&pass, rule);
}

/// Rules that read git history: their fixtures are scripts that `tests/history.rs` replays
/// into repositories (see `testdata/secret-key-in-history/README.md`).
const HISTORY_RULES: &[&str] = &["secret-key-in-history"];

macro_rules! fixture_tests {
    ($($name:ident => $id:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check_rule($id);
            }
        )*

        #[test]
        fn every_rule_has_a_fixture_test() {
            let tested = [$($id),*];
            for rule in RULES {
                if rule.meta().group == Group::Probe {
                    // Probe rules answer a running server: tests/probe.rs covers them.
                    continue;
                }
                assert!(
                    tested.contains(&rule.meta().id) || HISTORY_RULES.contains(&rule.meta().id),
                    "rule {} has no fixture test in tests/rules.rs",
                    rule.meta().id
                );
            }
        }
    };
}

fixture_tests! {
    auth_result_unchecked => "auth-result-unchecked",
    missing_role_check => "missing-role-check",
    org_scope_unchecked => "org-scope-unchecked",
    sensitive_action_without_reverification => "sensitive-action-without-reverification",
    vulnerable_dependency => "vulnerable-dependency",
    create_route_matcher_deprecated => "create-route-matcher-deprecated",
    authorized_parties_unset => "authorized-parties-unset",
    clerk_middleware_not_registered => "clerk-middleware-not-registered",
    deprecated_auth_middleware => "deprecated-auth-middleware",
    express_clerk_middleware_order => "express-clerk-middleware-order",
    express_require_auth_deprecated => "express-require-auth-deprecated",
    middleware_client_bypass => "middleware-client-bypass",
    middleware_matcher_gap => "middleware-matcher-gap",
    middleware_not_loaded => "middleware-not-loaded",
    missing_middleware => "missing-middleware",
    remix_sdk_deprecated => "remix-sdk-deprecated",
    unawaited_protect => "unawaited-protect",
    unprotected_route_handler => "unprotected-route-handler",
    unprotected_server_action => "unprotected-server-action",
    client_only_auth => "client-only-auth",
    server_only_in_client => "server-only-in-client",
    hardcoded_secret_key => "hardcoded-secret-key",
    secret_key_exposed_env => "secret-key-exposed-env",
    secret_key_in_client => "secret-key-in-client",
    test_key_in_production => "test-key-in-production",
    unused_suppression => "unused-suppression",
}
