//! The adoption path: `clerk-guard init` (config with the apps and the middleware's public
//! routes, a baseline of today's findings), a config-set baseline applied by `scan` and by the
//! pre-commit hook (`scan --staged`), stale entries counted, and `public_routes` patterns that
//! match no route reported.

mod common;

use std::path::Path;

use common::{copy_tree, run_in, testdata};

fn git(dir: &Path, args: &[&str]) {
    common::git(dir, args);
}

/// The demo app with an allow-list middleware (`isPublicRoute`), in a git repository.
fn app() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap().join("app");
    copy_tree(&testdata().join("demo-app"), &root);
    std::fs::write(
        root.join("middleware.ts"),
        "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\n\n\
         const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', '/api/webhooks(.*)'])\n\n\
         export default clerkMiddleware(async (auth, req) => {\n\
         \x20 if (!isPublicRoute(req)) await auth.protect()\n\
         })\n\n\
         export const config = { matcher: ['/((?!_next|.*\\\\..*).*)', '/(api|trpc)(.*)'] }\n",
    )
    .unwrap();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "app"]);
    (dir, root)
}

#[test]
fn init_writes_a_config_and_a_baseline_and_scans_come_back_clean() {
    let (_d, root) = app();
    let before = run_in(Some(&root), &["scan", "--format", "json"]);
    assert_eq!(before.status, 1, "{}", before.stderr);

    let out = run_in(Some(&root), &["init"]);
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Next steps"), "{}", out.stdout);
    assert!(out.stdout.contains("install-hook"), "{}", out.stdout);
    let config = std::fs::read_to_string(root.join("clerk-guard.toml")).unwrap();
    assert!(config.starts_with("#:schema "), "{config}");
    assert!(config.contains("Next.js 15.5.6"), "{config}");
    assert!(config.contains("@clerk/nextjs 6.35.0"), "{config}");
    assert!(
        config.contains("baseline = \"clerk-guard-baseline.json\""),
        "{config}"
    );
    for p in ["\"/\"", "\"/sign-in(.*)\"", "\"/api/webhooks(.*)\""] {
        assert!(config.contains(p), "{p} in {config}");
    }
    assert!(root.join("clerk-guard-baseline.json").is_file());

    // Now only new findings are reported.
    let after = run_in(Some(&root), &["scan"]);
    assert_eq!(after.status, 0, "{}{}", after.stdout, after.stderr);
    assert!(after.stderr.contains("from the config"), "{}", after.stderr);
    assert!(
        !after.stderr.contains("matches no route"),
        "{}",
        after.stderr
    );

    // A second `init` does not overwrite the configuration.
    let again = run_in(Some(&root), &["init"]);
    assert_eq!(again.status, 2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);

    // Fixing a finding leaves a stale entry, which the summary counts.
    std::fs::remove_file(root.join(".env")).unwrap();
    let fixed = run_in(Some(&root), &["scan"]);
    assert_eq!(fixed.status, 0, "{}", fixed.stderr);
    assert!(
        fixed
            .stderr
            .contains("1 baseline entry matches no finding any more"),
        "{}",
        fixed.stderr
    );

    // An explicit --baseline wins over the configured one.
    std::fs::write(
        root.join("empty.json"),
        "{\"version\": 1, \"findings\": []}",
    )
    .unwrap();
    let explicit = run_in(Some(&root), &["scan", "--baseline", "empty.json"]);
    assert_eq!(explicit.status, 1, "{}", explicit.stderr);
}

#[test]
fn the_hook_applies_the_configured_baseline() {
    let (_d, root) = app();
    let out = run_in(Some(&root), &["init"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    git(&root, &["add", "-A"]);
    let hook = run_in(Some(&root), &["install-hook"]);
    assert_eq!(hook.status, 0, "{}", hook.stderr);
    assert!(
        hook.stdout.contains("applies the baseline"),
        "{}",
        hook.stdout
    );
    // The staged files hold only baselined findings: the hook passes.
    let staged = run_in(Some(&root), &["scan", "--staged"]);
    assert_eq!(staged.status, 0, "{}{}", staged.stdout, staged.stderr);
    // A new secret in a staged file is reported.
    let key_line = std::fs::read_to_string(root.join("lib/clerk-config.ts"))
        .unwrap()
        .lines()
        .find(|l| l.contains("sk_live_"))
        .unwrap()
        .to_string();
    std::fs::write(
        root.join("lib/other.ts"),
        format!("// another copy\n{key_line}\nexport {{}}\n"),
    )
    .unwrap();
    git(&root, &["add", "lib/other.ts"]);
    let staged = run_in(Some(&root), &["scan", "--staged"]);
    assert_eq!(staged.status, 1, "{}{}", staged.stdout, staged.stderr);
    assert!(staged.stdout.contains("lib/other.ts"), "{}", staged.stdout);
}

#[test]
fn a_public_route_pattern_that_matches_nothing_is_a_warning() {
    let (_d, root) = app();
    std::fs::write(
        root.join("clerk-guard.toml"),
        "public_routes = [\"/api/webhooks(.*)\", \"/api/helth\"]\n",
    )
    .unwrap();
    let out = run_in(Some(&root), &["scan"]);
    assert!(
        out.stderr
            .contains("public_routes: `/api/helth` matches no route"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("`/api/webhooks(.*)` matches"),
        "{}",
        out.stderr
    );
    // A configured baseline that does not exist yet is a warning, not an error.
    std::fs::write(root.join("clerk-guard.toml"), "baseline = \"later.json\"\n").unwrap();
    let out = run_in(Some(&root), &["scan"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("later.json"), "{}", out.stderr);
}
