//! Astro facts of one file (see `facts::frameworks`): the `onRequest` middleware of
//! `src/middleware.*` (Clerk's `clerkMiddleware(handler)`, possibly inside `sequence(…)`),
//! read with the one middleware analysis (`facts::middleware`), and whether a page or
//! endpoint is prerendered (`export const prerender = true`: built once, never served per
//! request).

use serde::{Deserialize, Serialize};

use super::Input;
use crate::facts::code::Binding;
use crate::facts::middleware::{self, MiddlewareKind};
use crate::finding::Span;
use crate::prefilter::Hits;

/// What the Astro adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The `onRequest` export of a middleware file: what it is (the Clerk middleware among
    /// the handlers of a `sequence(…)`).
    #[serde(default)]
    pub on_request: Option<MiddlewareKind>,
    /// Where `onRequest` is exported.
    #[serde(default)]
    pub on_request_span: Option<Span>,
    /// `export const prerender = true`: the route is rendered at build time.
    pub prerendered: bool,
}

/// `src/middleware.ts`, `src/middleware/index.ts` (any script extension), at any depth (the
/// app decides which one is its own).
pub fn is_middleware_path(rel: &str) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = name.split('.').next().unwrap_or("");
    let script = crate::source::Lang::from_path(name).is_some();
    script
        && ((stem == "middleware" && (dir == "src" || dir.ends_with("/src")))
            || (stem == "index" && (dir == "src/middleware" || dir.ends_with("/src/middleware"))))
}

/// A routable file of Astro's `src/pages` (a component or an endpoint module).
pub fn is_pages_path(rel: &str) -> bool {
    (rel.starts_with("src/pages/") || rel.contains("/src/pages/"))
        && (rel.ends_with(".astro") || crate::source::Lang::from_path(rel).is_some())
}

/// Whether the file must be parsed for Astro.
pub fn wants(rel: &str, hits: &Hits) -> bool {
    let _ = hits;
    is_pages_path(rel) || is_middleware_path(rel)
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    let middleware = is_middleware_path(input.rel);
    if !middleware && !is_pages_path(input.rel) {
        return None;
    }
    let mut facts = Facts {
        prerendered: prerendered(input.text),
        ..Facts::default()
    };
    if middleware && let Some(export) = input.code.export("onRequest") {
        facts.on_request_span = Some(export.span);
        facts.on_request = Some(on_request_kind(input, &export.target));
    }
    Some(facts)
}

/// What `onRequest` is: Clerk's middleware directly, or the first Clerk middleware of a
/// `sequence(a, b, …)` (what runs before it cannot let a request past it).
fn on_request_kind(input: &Input<'_>, target: &Binding) -> MiddlewareKind {
    let root = input.tree.root_node();
    let analyse = |b: &Binding| middleware::analyse(root, input.text, input.code, b);
    let mut seen = target;
    // `export const onRequest = handlers` with `const handlers = sequence(…)`.
    for _ in 0..4 {
        match seen {
            Binding::Identifier { name } => match input.code.bindings.get(name) {
                Some(b) => seen = b,
                None => break,
            },
            _ => break,
        }
    }
    if let Binding::Call { callee, args, .. } = seen
        && callee.last().is_some_and(|c| c == "sequence")
    {
        for a in args {
            let kind = analyse(a);
            if matches!(kind, MiddlewareKind::Clerk { .. }) {
                return kind;
            }
        }
    }
    analyse(target)
}

/// `export const prerender = true` (a byte-level check of the declaration).
fn prerendered(text: &str) -> bool {
    text.match_indices("prerender").any(|(i, _)| {
        let before = text[..i].trim_end();
        let after = text[i + "prerender".len()..].trim_start();
        before.ends_with("const")
            && before[..before.len() - "const".len()]
                .trim_end()
                .ends_with("export")
            && after
                .strip_prefix('=')
                .is_some_and(|v| v.trim_start().starts_with("true"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert!(is_middleware_path("src/middleware.ts"));
        assert!(is_middleware_path("apps/site/src/middleware/index.js"));
        assert!(!is_middleware_path("middleware.ts"));
        assert!(!is_middleware_path("src/lib/middleware.ts"));
        assert!(is_pages_path("src/pages/api/me.ts"));
        assert!(is_pages_path("src/pages/index.astro"));
        assert!(!is_pages_path("src/components/Nav.astro"));
    }

    #[test]
    fn prerender_flag() {
        assert!(prerendered("---\nexport const prerender = true;\n---"));
        assert!(!prerendered("export const prerender = false"));
        assert!(!prerendered("const prerender = true"));
    }
}
