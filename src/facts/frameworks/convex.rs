//! Convex HTTP facts of one file (see `facts::frameworks`): the routers it creates
//! (`const http = httpRouter()` of `convex/server`) and every route registered on them
//! (`http.route({ path, method, handler })`, or `pathPrefix` for every path under it), with the
//! handler as a binding (`httpAction(async (ctx, req) => …)`, or a name defined elsewhere).
//! Convex serves the router its `convex/http.ts` exports at the deployment's `.convex.site`
//! origin, to anyone: each route is an entry (`project::frameworks::convex`).

use crate::parse::NodeKind;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::Input;
use crate::facts::code::{Binding, span, string_value, strip};
use crate::finding::Span;

/// The function builders of a Convex app's `_generated/server`: a function handed to one
/// (as the builder's argument or its `handler`) is summarised wherever the call is, so that a
/// project builder that returns `query({ handler })` is judged by what that handler checks.
pub const BUILDERS: &[&str] = &[
    "query",
    "mutation",
    "action",
    "internalQuery",
    "internalMutation",
    "internalAction",
    "httpAction",
];

/// What the Convex adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Module-level names bound to `httpRouter()`.
    pub routers: Vec<String>,
    /// `<router>.route({ … })` calls, in source order.
    pub routes: Vec<HttpRoute>,
}

/// One `http.route({ path | pathPrefix, method, handler })`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRoute {
    pub router: String,
    /// `path`, or `pathPrefix` followed by `*`; `None` when it is not a string.
    pub path: Option<String>,
    /// The HTTP method, upper-cased (`None` when it is not a string).
    pub method: Option<String>,
    pub handler: Binding,
    /// The `route` call's method name (where a finding points).
    pub span: Span,
}

/// Whether the file is where Convex looks for the HTTP router: `http.ts` (or `.js`) directly
/// in a `convex/` directory.
pub fn wants(rel: &str) -> bool {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    (dir == "convex" || dir.ends_with("/convex"))
        && matches!(
            crate::source::file_name(rel),
            "http.ts" | "http.js" | "http.mts" | "http.mjs"
        )
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    let router_fn = super::local_import(input.code, "convex/server", "httpRouter")?;
    let mut w = Walker {
        src: input.text,
        router_fn,
        by_range: super::functions_by_range(input.code),
        facts: Facts::default(),
    };
    super::each_statement(input.tree, |stmt| w.statement(stmt));
    let f = w.facts;
    (!f.routes.is_empty()).then_some(f)
}

struct Walker<'a> {
    src: &'a str,
    /// The local name of `httpRouter` imported from `convex/server`.
    router_fn: String,
    by_range: HashMap<Span, usize>,
    facts: Facts,
}

impl Walker<'_> {
    fn text(&self, n: Node<'_>) -> &str {
        n.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    /// A module-level statement: `const http = httpRouter()`, `http.route({ … });`.
    fn statement(&mut self, n: Node<'_>) {
        match n.kind_str() {
            "lexical_declaration" | "variable_declaration" => {
                let mut cur = n.walk();
                for d in n.named_children(&mut cur) {
                    if d.kind_str() == "variable_declarator"
                        && let Some((name, value)) = super::named_declarator(d)
                        && value.kind_str() == "call_expression"
                        && value
                            .child_by_field_name("function")
                            .is_some_and(|f| self.text(strip(f)) == self.router_fn)
                    {
                        let name = self.text(name).to_string();
                        self.facts.routers.push(name);
                    }
                }
            }
            "expression_statement" => {
                if let Some(e) = n.named_child(0).map(strip)
                    && e.kind_str() == "call_expression"
                {
                    self.route(e);
                }
            }
            _ => {}
        }
    }

    /// `http.route({ path, method, handler })` on a router of this file.
    fn route(&mut self, call: Node<'_>) {
        let Some((obj, prop, args)) = super::method_call(call) else {
            return;
        };
        let router = self.text(obj).to_string();
        if self.text(prop) != "route" || !self.facts.routers.contains(&router) {
            return;
        }
        let mut cur = args.walk();
        let Some(options) = args
            .named_children(&mut cur)
            .find(|c| c.kind_str() != "comment")
            .map(strip)
            .filter(|o| o.kind_str() == "object")
        else {
            return;
        };
        let reader = super::ArgReader {
            src: self.src,
            by_range: &self.by_range,
            this_is_a_name: false,
            flatten_arrays: false,
        };
        let (mut path, mut method, mut handler) = (None, None, None);
        let mut cur = options.walk();
        for pair in options.named_children(&mut cur) {
            let (key, value) = match pair.kind_str() {
                "pair" => match (
                    pair.child_by_field_name("key"),
                    pair.child_by_field_name("value"),
                ) {
                    (Some(k), Some(v)) => (self.text(k).trim_matches(['"', '\'']), v),
                    _ => continue,
                },
                // `{ path, method, handler }` with names bound above.
                "shorthand_property_identifier" => (self.text(pair), pair),
                _ => continue,
            };
            match key {
                "path" => path = string_value(self.src, value),
                "pathPrefix" => path = string_value(self.src, value).map(|p| format!("{p}*")),
                "method" => method = string_value(self.src, value).map(|m| m.to_ascii_uppercase()),
                "handler" => {
                    handler = Some(if pair.kind_str() == "shorthand_property_identifier" {
                        Binding::Identifier {
                            name: self.text(pair).to_string(),
                        }
                    } else {
                        reader.binding(value)
                    })
                }
                _ => {}
            }
        }
        let Some(handler) = handler else {
            return;
        };
        self.facts.routes.push(HttpRoute {
            router,
            path,
            method,
            handler,
            span: span(prop),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::wants;

    fn routes(src: &str) -> Vec<(String, Option<String>, Option<String>, String)> {
        let p = crate::project::model_of(&[("convex/http.ts", src)]);
        let Some(f) = p.files[0]
            .code()
            .and_then(|c| c.frameworks.convex.as_deref())
        else {
            return Vec::new();
        };
        f.routes
            .iter()
            .map(|r| {
                let handler = match &r.handler {
                    crate::facts::code::Binding::Call { callee, args, .. } => format!(
                        "{}({})",
                        callee.join("."),
                        args.iter()
                            .map(|a| match a {
                                crate::facts::code::Binding::Function { .. } => "fn",
                                _ => "other",
                            })
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                    crate::facts::code::Binding::Identifier { name } => name.clone(),
                    _ => "other".to_string(),
                };
                (r.router.clone(), r.path.clone(), r.method.clone(), handler)
            })
            .collect()
    }

    #[test]
    fn routes_of_a_router() {
        let src = "import { httpRouter } from 'convex/server'\n\
            import { httpAction } from './_generated/server'\n\
            import { onClerk } from './clerk'\n\
            const http = httpRouter()\n\
            http.route({ path: '/clerk', method: 'POST', handler: onClerk })\n\
            http.route({ pathPrefix: '/files/', method: 'get', handler: httpAction(async (ctx, req) => new Response('')) })\n\
            const other = new Map(); other.route({ path: '/x', method: 'GET', handler: onClerk })\n\
            export default http\n";
        let r = |p: &str, m: &str, h: &str| {
            (
                "http".to_string(),
                Some(p.to_string()),
                Some(m.to_string()),
                h.to_string(),
            )
        };
        assert_eq!(
            routes(src),
            vec![
                r("/clerk", "POST", "onClerk"),
                r("/files/*", "GET", "httpAction(fn)"),
            ]
        );
    }

    /// A `httpRouter` that is not Convex's holds no route.
    #[test]
    fn only_convex_routers() {
        let src = "import { httpRouter } from './router'\nconst http = httpRouter()\n\
            http.route({ path: '/x', method: 'GET', handler: h })\n";
        assert!(routes(src).is_empty());
    }

    #[test]
    fn where_convex_looks() {
        assert!(wants("convex/http.ts"));
        assert!(wants("apps/web/convex/http.js"));
        assert!(!wants("convex/lib/http.ts"));
        assert!(!wants("src/http.ts"));
        assert!(!wants("convex/https.ts"));
    }
}
