//! Leaked Clerk secret keys.

pub mod hardcoded_secret_key;
pub mod secret_key_exposed_env;
pub mod secret_key_in_client;
pub mod secret_key_in_history;
pub mod test_key_in_production;

use crate::facts::{FileFacts, KeyHit};
use crate::finding::{Finding, Span};
use crate::project::Project;
use crate::project::boundary::Root;
use crate::source::file_name;

/// Why a key in this file reaches browsers, if it does: the client-side reason.
pub fn client_exposure(facts: &FileFacts) -> Option<&'static str> {
    if facts.origin.build_output {
        Some("built client output that every visitor downloads")
    } else if facts.origin.public_asset {
        Some("a file under `public/` that is served to anyone")
    } else if facts.is_client_module() {
        Some("a 'use client' module, which ships to every visitor")
    } else {
        None
    }
}

/// Why code of an app without a server ships, if the file is such code: an Expo app or a
/// Vite single-page app bundles every module it imports into what runs on the device or in
/// the browser. Build and tool configuration (`*.config.*`, `scripts/`), tests and Expo
/// Router API routes (`+api.ts`, which run on a server) are not bundled.
pub fn client_only_app_code(project: &Project, facts: &FileFacts) -> Option<&'static str> {
    if !matches!(facts.kind, crate::source::FileKind::Script(_)) || facts.origin.build_output {
        return None;
    }
    let app = project.apps.get(project.app_of(&facts.rel)?)?;
    if !app.is_client_only() {
        return None;
    }
    let inner = facts
        .rel
        .strip_prefix(&app.root)
        .unwrap_or(&facts.rel)
        .trim_start_matches('/');
    let name = file_name(inner);
    let tooling = name.contains(".config.")
        || name.contains("+api.")
        || crate::source::is_test_file(inner)
        || inner
            .split('/')
            .any(|d| matches!(d, "scripts" | "test" | "tests" | "e2e" | "server"));
    if tooling {
        return None;
    }
    Some(if app.has(crate::project::apps::Framework::Expo) {
        "an Expo app, which has no server: everything it bundles ships to every device"
    } else {
        "a Vite single-page app, which has no server: everything it bundles ships to every visitor"
    })
}

/// How code at some place of a file reaches the browser.
pub enum Exposure {
    /// The file itself is served or bundled: built output, `public/`, a `'use client'` module,
    /// a Pages Router page (outside its data functions).
    Direct(&'static str),
    /// The file is imported, directly or not, by client code.
    Chain {
        /// `` `components/UserMenu.tsx` ('use client') → `lib/clerk-config.ts` ``
        chain: String,
        /// The chain as related locations (the root's directive, then each import).
        locations: Vec<(String, Option<Span>, String)>,
    },
}

/// Whether (and how) code at `span` of a file ships to the browser.
pub fn exposure(project: &Project, facts: &FileFacts, span: Span) -> Option<Exposure> {
    if let Some(reason) = client_exposure(facts) {
        return Some(Exposure::Direct(reason));
    }
    if let Some(reason) = client_only_app_code(project, facts) {
        return Some(Exposure::Direct(reason));
    }
    let id = project.file_index(&facts.rel)?;
    let cs = project.client_set();
    if !cs.contains(id) {
        return None;
    }
    // Whether a module ships depends on who imports it, not on its own text, except for what
    // a Pages Router page's data functions strip: an editor buffer that differs from the
    // scanned page has no ranges to trust.
    if let Some(strip) = cs.strip(id) {
        let scanned = &project.files[id];
        let same = std::ptr::eq(scanned, facts) || scanned.text() == facts.text();
        if !same || strip.covers(span) {
            return None;
        }
    }
    match cs.root(id) {
        Some(Root::PagesRouterPage) => Some(Exposure::Direct(
            "a Pages Router page, which is also rendered in the browser (outside its data functions)",
        )),
        Some(Root::UseClient(_)) => Some(Exposure::Direct(
            "a 'use client' module, which ships to every visitor",
        )),
        None => Some(Exposure::Chain {
            chain: cs.describe_chain(project, id),
            locations: cs.chain_locations(project, id),
        }),
    }
}

/// Add the chain of an exposure to a finding as related locations.
pub fn with_chain(mut finding: Finding, exposure: &Exposure) -> Finding {
    if let Exposure::Chain { locations, .. } = exposure {
        for (path, span, message) in locations {
            finding = finding.related(path.clone(), *span, message.clone());
        }
    }
    finding
}

/// Whether the file is Clerk's keyless-mode state file.
pub fn is_keyless_file(rel: &str) -> bool {
    rel == ".clerk/.tmp/keyless.json" || rel.ends_with("/.clerk/.tmp/keyless.json")
}

/// The secret-key hits of a file (not publishable keys).
pub fn secret_hits(facts: &FileFacts) -> impl Iterator<Item = &KeyHit> {
    facts.keys().iter().filter(|k| k.kind.is_secret())
}

/// `.env.local`, `.env.development.local`, …: the intended home of keys when gitignored.
pub fn is_local_env(rel: &str) -> bool {
    file_name(rel).ends_with(".local")
}
