//! The import graph of whole fixture projects: exact edge lists, chains and bindings.

mod common;

use clerk_guard::config::Config;
use clerk_guard::engine::load_project;
use clerk_guard::facts::ImportKind;
use clerk_guard::project::Project;
use clerk_guard::project::graph::Edge;
use clerk_guard::project::resolve::{Resolved, Target};
use common::testdata;

fn project(name: &str) -> Project {
    let root = testdata().join("projects").join(name);
    let (project, warnings) = load_project(&root, Config::default(), false);
    assert!(warnings.is_empty(), "{warnings:?}");
    project
}

/// Every edge of the project, one line each: `from: 'specifier' -> target (kind[, type])`.
fn edge_lines(p: &Project) -> Vec<String> {
    let g = p.graph();
    let mut out = Vec::new();
    for (id, f) in p.files.iter().enumerate() {
        for e in g.edges(id) {
            let imp = &f.imports()[e.import];
            let target = match &e.target {
                Target::File(t) => g.rel(*t).to_string(),
                Target::External { package, subpath } if subpath.is_empty() => {
                    format!("external {package}")
                }
                Target::External { package, subpath } => format!("external {package} {subpath}"),
                Target::Unresolved => "unresolved".to_string(),
            };
            let kind = match e.kind {
                ImportKind::Static => "static",
                ImportKind::SideEffect => "side-effect",
                ImportKind::ReExport => "re-export",
                ImportKind::ReExportAll => "re-export-all",
                ImportKind::Dynamic => "dynamic",
                ImportKind::Require => "require",
            };
            let type_only = if e.type_only { ", type" } else { "" };
            out.push(format!(
                "{}: '{}' -> {target} ({kind}{type_only})",
                f.rel, imp.source
            ));
        }
    }
    out
}

#[test]
fn monorepo_edges() {
    let p = project("imports-monorepo");
    let expected = [
        "apps/admin/app/page.tsx: 'server-only' -> external server-only (side-effect)",
        "apps/admin/app/page.tsx: '@shared/format' -> packages/shared/src/format.ts (static)",
        "apps/admin/app/page.tsx: '@acme/shared' -> packages/shared/src/index.ts (static)",
        "apps/web/src/app/page.tsx: '@acme/ui' -> packages/ui/src/index.ts (static)",
        "apps/web/src/app/page.tsx: '@acme/ui/server' -> packages/ui/src/server.ts (static)",
        "apps/web/src/app/page.tsx: '@acme/ui/nope' -> unresolved (static)",
        "apps/web/src/app/page.tsx: '@/lib/types' -> apps/web/src/lib/types.ts (static, type)",
        "apps/web/src/app/page.tsx: '@clerk/nextjs/server' -> external @clerk/nextjs server (static)",
        "apps/web/src/app/page.tsx: './format.js' -> apps/web/src/app/format.ts (static)",
        "apps/web/src/app/page.tsx: './missing' -> unresolved (static)",
        "apps/web/src/app/page.tsx: 'next/dynamic' -> external next dynamic (static)",
        "apps/web/src/app/page.tsx: '@/components/UserMenu' -> apps/web/src/components/UserMenu.tsx (static)",
        "apps/web/src/app/page.tsx: '@/components/Chart' -> apps/web/src/components/Chart.tsx (dynamic)",
        "apps/web/src/app/page.tsx: '../legacy/config' -> apps/web/src/legacy/config.js (require)",
        "apps/web/src/components/UserMenu.tsx: '@clerk/nextjs' -> external @clerk/nextjs (static)",
        "apps/web/src/components/UserMenu.tsx: '@/lib/clerk-config' -> apps/web/src/lib/clerk-config.ts (static)",
        "apps/web/src/legacy/config.js: 'svix' -> external svix (require)",
        "apps/web/src/lib/a.ts: './b' -> apps/web/src/lib/b.ts (static)",
        "apps/web/src/lib/clerk-config.ts: './a' -> apps/web/src/lib/a.ts (re-export)",
        "packages/ui/src/components/Button.tsx: '~/util' -> packages/ui/src/util.ts (static)",
        "packages/ui/src/index.ts: './components/Button' -> packages/ui/src/components/Button.tsx (re-export-all)",
        "packages/ui/src/index.ts: './components/Card' -> packages/ui/src/components/Card.tsx (re-export)",
        "packages/ui/src/index.ts: './icons' -> packages/ui/src/icons.ts (re-export)",
        "packages/ui/src/server.ts: 'server-only' -> external server-only (side-effect)",
    ];
    assert_eq!(edge_lines(&p), expected);
}

#[test]
fn monorepo_chains_and_bindings() {
    let p = project("imports-monorepo");
    let g = p.graph();
    // Graph ids are indices into `Project::files`.
    for (i, f) in p.files.iter().enumerate() {
        assert_eq!(g.id(&f.rel), Some(i));
    }

    // The client set: `'use client'` modules and their runtime imports.
    let roots: Vec<usize> = (0..p.files.len())
        .filter(|i| p.files[*i].is_client_module())
        .collect();
    let client = g.reachable_from(roots, Edge::is_runtime);
    let members: Vec<&str> = client.files().map(|i| g.rel(i)).collect();
    assert_eq!(
        members,
        [
            "apps/web/src/components/Chart.tsx",
            "apps/web/src/components/UserMenu.tsx",
            "apps/web/src/lib/a.ts",
            "apps/web/src/lib/b.ts",
            "apps/web/src/lib/clerk-config.ts",
        ]
    );
    let b = g.id("apps/web/src/lib/b.ts").unwrap();
    assert_eq!(
        g.chain_rels(&client, b),
        [
            "apps/web/src/components/UserMenu.tsx",
            "apps/web/src/lib/clerk-config.ts",
            "apps/web/src/lib/a.ts",
            "apps/web/src/lib/b.ts",
        ]
    );

    // From the page, type-only imports do not count; following them reaches the types file.
    let page = g.id("apps/web/src/app/page.tsx").unwrap();
    let types = g.id("apps/web/src/lib/types.ts").unwrap();
    assert!(!g.reachable_from([page], Edge::is_runtime).contains(types));
    assert!(g.reachable_from([page], |_| true).contains(types));
    // `server-only` is imported by a module the page pulls in through the workspace package.
    let server = g.id("packages/ui/src/server.ts").unwrap();
    let from_page = g.reachable_from([page], Edge::is_runtime);
    assert_eq!(
        g.chain_rels(&from_page, server),
        ["apps/web/src/app/page.tsx", "packages/ui/src/server.ts"]
    );
    assert!(
        g.edges(server)
            .iter()
            .any(|e| e.external() == Some(("server-only", "")))
    );

    // Importers.
    let importers: Vec<&str> = g
        .importers_of("packages/shared/src/format.ts")
        .iter()
        .map(|e| g.rel(e.from))
        .collect();
    assert_eq!(importers, ["apps/admin/app/page.tsx"]);

    // Bindings through the barrel and re-exports.
    let page_rel = "apps/web/src/app/page.tsx";
    let binding = |local: &str| p.resolve_binding(page_rel, local);
    let pair = |f: &str, n: &str| Some((f.to_string(), n.to_string()));
    assert_eq!(
        binding("Button"),
        pair("packages/ui/src/components/Button.tsx", "Button")
    );
    assert_eq!(
        binding("Card"),
        pair("packages/ui/src/components/Card.tsx", "default")
    );
    assert_eq!(binding("auth"), None);
    assert_eq!(binding("Nope"), None);
    assert_eq!(
        p.resolve_binding("apps/web/src/components/UserMenu.tsx", "clerkConfig"),
        pair("apps/web/src/lib/a.ts", "settings")
    );
}

#[test]
fn monorepo_resolver() {
    let p = project("imports-monorepo");
    let r = p.resolver();
    assert_eq!(
        r.config_for("apps/web/src/app/page.tsx"),
        Some("apps/web/tsconfig.json")
    );
    assert_eq!(
        r.config_for("packages/shared/src/index.ts"),
        None,
        "no tsconfig above packages/shared"
    );
    assert_eq!(r.workspace_package("@acme/ui"), Some("packages/ui"));
    assert_eq!(
        r.resolve("apps/web/src/app/page.tsx", "@acme/ui/Card"),
        Resolved::File("packages/ui/src/components/Card.tsx".into())
    );
    // The web app's own `paths` replace the inherited `@shared/*`.
    assert_eq!(
        r.resolve("apps/web/src/app/page.tsx", "@shared/format"),
        Resolved::External {
            package: "@shared/format".into(),
            subpath: String::new()
        }
    );
}

#[test]
fn jsconfig_app_edges() {
    let p = project("imports-jsconfig");
    let expected = [
        "src/pages/index.jsx: 'components/Header' -> src/components/Header/index.jsx (static)",
        "src/pages/index.jsx: 'lib/sign.mjs' -> src/lib/sign.mts (static)",
        "src/pages/index.jsx: '@clerk/nextjs/server' -> external @clerk/nextjs server (static)",
        "src/pages/index.jsx: 'lodash/fp' -> external lodash fp (static)",
        "src/pages/index.jsx: './index.module.css' -> src/pages/index.module.css (static)",
        "src/pages/index.jsx: '../lib/track' -> src/lib/track.js (dynamic)",
    ];
    assert_eq!(edge_lines(&p), expected);
}
