//! Nuxt facts of one file (see `facts::frameworks`): a server middleware's default export
//! when it is Clerk's `clerkMiddleware(handler)` (read with the one middleware analysis,
//! `facts::middleware`). Server handlers need nothing beyond the module's default export,
//! which the code facts already hold.
//!
//! For the browser side (`client-only-auth`): the route middleware a page names in
//! `definePageMeta({ middleware })`, and where a page or a route middleware (`middleware/*`)
//! reads the Clerk session with the `useAuth()`/`useUser()` composables. Both run in the
//! browser on every client-side navigation: they decide what the page shows, never who may
//! call the server.

use crate::parse::NodeKind;
use serde::{Deserialize, Serialize};

use super::Input;
use crate::facts::code::span;
use crate::facts::middleware::{self, MiddlewareKind};
use crate::finding::Span;
use crate::parse::NodeFields;
use crate::prefilter::Hits;

/// What the Nuxt adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The default export of a `server/middleware/*` file.
    #[serde(default)]
    pub middleware: Option<MiddlewareKind>,
    /// The route middleware a page names in `definePageMeta({ middleware })`.
    #[serde(default)]
    pub page_middleware: Vec<PageMiddleware>,
    /// The first `useAuth()`/`useUser()` call of a page or route middleware.
    #[serde(default)]
    pub session_read: Option<Span>,
}

/// One route middleware of a page's `definePageMeta({ middleware: … })`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMiddleware {
    /// The name of a `middleware/<name>.ts` file; `None` for an inline function.
    #[serde(default)]
    pub name: Option<String>,
    /// For an inline function: whether it reads the Clerk session (`useAuth()`).
    #[serde(default)]
    pub reads_session: bool,
    pub span: Span,
}

/// A page component of a Nuxt app: a `.vue` file below a `pages` folder.
pub fn is_page_path(rel: &str) -> bool {
    rel.ends_with(".vue") && (rel.starts_with("pages/") || rel.contains("/pages/"))
}

/// A route middleware file (`middleware/auth.ts`, `app/middleware/auth.global.ts`), not a
/// server middleware.
pub fn is_route_middleware_path(rel: &str) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    crate::source::Lang::from_path(name).is_some()
        && !name.ends_with(".d.ts")
        && (dir == "middleware" || dir.ends_with("/middleware"))
        && !(dir == "server/middleware" || dir.ends_with("/server/middleware"))
}

/// The name Nuxt gives a route middleware file (`auth.global.ts` → `auth`), and whether it
/// is global (runs before every route).
pub fn route_middleware_name(rel: &str) -> (&str, bool) {
    let name = crate::source::file_name(rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    match stem.strip_suffix(".global") {
        Some(s) => (s, true),
        None => (stem, false),
    }
}

/// The folder of a Nuxt server file: `api`, `routes` or `middleware` (below `server/`).
pub fn server_dir(rel: &str) -> Option<&'static str> {
    crate::source::Lang::from_path(rel)?;
    ["api", "routes", "middleware"].into_iter().find(|d| {
        let p = format!("server/{d}/");
        rel.starts_with(&p) || rel.contains(&format!("/{p}"))
    })
}

/// Whether the file must be parsed for Nuxt.
pub fn wants(rel: &str, hits: &Hits) -> bool {
    // Pages are parsed whatever they contain (`definePageMeta` names no Clerk word); a route
    // middleware only when it may read the session.
    server_dir(rel).is_some()
        || is_page_path(rel)
        || (is_route_middleware_path(rel) && hits.any(&["useAuth", "useUser"]))
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    let page = is_page_path(input.rel);
    if page || is_route_middleware_path(input.rel) {
        let mut facts = Facts::default();
        browser_side(input, page, &mut facts);
        return (facts.session_read.is_some() || !facts.page_middleware.is_empty())
            .then_some(facts);
    }
    if server_dir(input.rel)? != "middleware" {
        return None;
    }
    let export = input.code.export("default")?;
    let kind = middleware::analyse(
        input.tree.root_node(),
        input.text,
        input.code,
        &export.target,
    );
    Some(Facts {
        middleware: Some(kind),
        ..Facts::default()
    })
}

/// The session reads and `definePageMeta` middleware of a page or route middleware (an
/// iterative walk: no recursion on nesting).
fn browser_side(input: &Input<'_>, page: bool, facts: &mut Facts) {
    let text = input.text;
    let reads = |t: &str| t.contains("useAuth(") || t.contains("useUser(");
    if !(reads(text) || (page && text.contains("definePageMeta"))) {
        return;
    }
    let mut cursor = input.tree.root_node().walk();
    'walk: loop {
        let n = cursor.node();
        if n.kind_str() == "call_expression"
            && let Some(f) = n.field("function")
            && f.kind_str() == "identifier"
        {
            match &text[f.byte_range()] {
                "useAuth" | "useUser" if facts.session_read.is_none() => {
                    facts.session_read = Some(span(n));
                }
                "definePageMeta" if page => {
                    if let Some(arg) = n.field("arguments").and_then(|a| a.named_child(0)) {
                        page_meta(text, arg, &mut facts.page_middleware);
                    }
                }
                _ => {}
            }
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

/// `{ middleware: 'auth' | ['auth', (to) => …] | (to) => … }`.
fn page_meta(text: &str, obj: tree_sitter::Node<'_>, out: &mut Vec<PageMiddleware>) {
    if obj.kind_str() != "object" {
        return;
    }
    for p in obj.named_children(&mut obj.walk()) {
        if p.kind_str() != "pair"
            || p.field("key")
                .is_none_or(|k| text[k.byte_range()].trim_matches(['"', '\'']) != "middleware")
        {
            continue;
        }
        let Some(value) = p.field("value") else {
            continue;
        };
        let items: Vec<tree_sitter::Node<'_>> = if value.kind_str() == "array" {
            value.named_children(&mut value.walk()).collect()
        } else {
            vec![value]
        };
        for item in items {
            let t = &text[item.byte_range()];
            match item.kind_str() {
                "string" => out.push(PageMiddleware {
                    name: Some(t.trim_matches(['"', '\'', '`']).to_string()),
                    reads_session: false,
                    span: span(item),
                }),
                "arrow_function" | "function_expression" | "function" | "call_expression" => out
                    .push(PageMiddleware {
                        name: None,
                        reads_session: t.contains("useAuth(") || t.contains("useUser("),
                        span: span(item),
                    }),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_page_path, is_route_middleware_path, route_middleware_name, server_dir};

    #[test]
    fn browser_paths() {
        assert!(is_page_path("pages/orders/index.vue"));
        assert!(is_page_path("app/pages/orders.vue"));
        assert!(!is_page_path("components/Orders.vue"));
        assert!(is_route_middleware_path("middleware/auth.ts"));
        assert!(is_route_middleware_path("app/middleware/auth.global.ts"));
        assert!(!is_route_middleware_path("server/middleware/clerk.ts"));
        assert!(!is_route_middleware_path("src/middleware.ts"));
        assert_eq!(
            route_middleware_name("middleware/auth.global.ts"),
            ("auth", true)
        );
        assert_eq!(route_middleware_name("middleware/auth.ts"), ("auth", false));
    }

    #[test]
    fn dirs() {
        assert_eq!(server_dir("server/api/users/[id].get.ts"), Some("api"));
        assert_eq!(server_dir("apps/web/server/routes/feed.ts"), Some("routes"));
        assert_eq!(server_dir("server/middleware/clerk.ts"), Some("middleware"));
        assert_eq!(server_dir("server/utils/auth.ts"), None);
        assert_eq!(server_dir("server/api/README.md"), None);
    }
}
