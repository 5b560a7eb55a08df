//! Express facts of one file (see `facts::frameworks`): the apps (`express()`) and routers
//! (`express.Router()`, `Router()`) it creates, and every registration on a name
//! (`app.get('/x', mw, handler)`, `router.use(requireAuth())`, `app.use('/api', router)`) with
//! its path, its arguments as bindings and its place in the file (registration order matters
//! in Express: a middleware runs only for routes registered after it).

use crate::parse::NodeKind;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::Input;
use crate::facts::code::{Binding, span, string_value, strip};
use crate::facts::depth::{Guard, visit};
use crate::finding::Span;
use crate::prefilter::Hits;

/// The registration methods of an Express app or router.
pub const METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "all", "options", "head", "use",
];

/// What the Express adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Module-level names bound to `express()`.
    pub apps: Vec<String>,
    /// Module-level names bound to `express.Router()` / `Router()`.
    pub routers: Vec<String>,
    /// `<name>.<method>(…)` calls, in source order.
    pub registrations: Vec<Registration>,
    /// The file imports or requires `express` or `@clerk/express`.
    pub imports_express: bool,
}

/// `<receiver>.<method>(path?, …handlers)` (Express's, and Hono's: `facts::frameworks::hono`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub receiver: String,
    /// `get`, `post`, …, `all`, `use`.
    pub method: String,
    /// The path argument, when it is a string.
    pub path: Option<String>,
    /// The arguments after the path (arrays flattened).
    pub args: Vec<Binding>,
    /// The method name (where a finding points).
    pub span: Span,
}

/// Whether the file must be parsed for Express.
pub fn wants(_rel: &str, hits: &Hits) -> bool {
    hits.has("express") || hits.has("Router(")
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    if !wants(input.rel, input.hits) {
        return None;
    }
    let code = input.code;
    let imports_express = code
        .imports
        .values()
        .any(|i| i.source == "express" || i.source == "@clerk/express");
    let mut x = Walker {
        src: input.text,
        by_range: super::functions_by_range(code),
        facts: Facts {
            imports_express,
            ..Facts::default()
        },
    };
    x.walk(input.tree.root_node());
    let f = x.facts;
    (!f.registrations.is_empty() || !f.apps.is_empty() || !f.routers.is_empty()).then_some(f)
}

struct Walker<'a> {
    src: &'a str,
    by_range: HashMap<Span, usize>,
    facts: Facts,
}

impl Walker<'_> {
    fn text(&self, n: Node<'_>) -> &str {
        n.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    fn walk(&mut self, n: Node<'_>) {
        let Some(_g) = Guard::enter() else { return };
        visit(1);
        match n.kind_str() {
            "variable_declarator" => self.declarator(n),
            "call_expression" => self.call(n),
            _ => {}
        }
        let mut cur = n.walk();
        for c in n.named_children(&mut cur) {
            self.walk(c);
        }
    }

    /// `const app = express()`, `const router = express.Router()` / `Router()`.
    fn declarator(&mut self, n: Node<'_>) {
        let Some((name, value)) = super::named_declarator(n) else {
            return;
        };
        if value.kind_str() != "call_expression" {
            return;
        }
        let Some(callee) = value
            .child_by_field_name("function")
            .and_then(|f| self.reader().callee(f))
        else {
            return;
        };
        let name = self.text(name).to_string();
        let last = callee.last().map(String::as_str).unwrap_or("");
        if last == "Router" {
            self.facts.routers.push(name);
        } else if callee.len() == 1 && last == "express" {
            self.facts.apps.push(name);
        }
    }

    /// The route a chain of method calls hangs from: `router.route('/x')` under
    /// `.get(…).post(…)` (Express's `Route`), as (receiver, path).
    fn route_root(&self, obj: Node<'_>) -> Option<(String, String)> {
        let mut n = strip(obj);
        for _ in 0..32 {
            if n.kind_str() != "call_expression" {
                return None;
            }
            let f = strip(n.child_by_field_name("function")?);
            if f.kind_str() != "member_expression" {
                return None;
            }
            let prop = self.text(f.child_by_field_name("property")?);
            let o = strip(f.child_by_field_name("object")?);
            if prop == "route" {
                if o.kind_str() != "identifier" {
                    return None;
                }
                let args = n.child_by_field_name("arguments")?;
                let path = string_value(self.src, args.named_child(0)?)?;
                return Some((self.text(o).to_string(), path));
            }
            if !METHODS.contains(&prop) || prop == "use" {
                return None;
            }
            n = o;
        }
        None
    }

    /// A link of `router.route('/x').get(mw, handler).post(handler)`: a registration of the
    /// route's path on the router, its arguments all middleware and handler.
    fn route_link(&mut self, n: Node<'_>) {
        let Some(f) = n.child_by_field_name("function").map(strip) else {
            return;
        };
        let (Some(prop), Some(obj), Some(args)) = (
            f.child_by_field_name("property"),
            f.child_by_field_name("object"),
            n.child_by_field_name("arguments"),
        ) else {
            return;
        };
        let method = self.text(prop);
        if f.kind_str() != "member_expression" || !METHODS.contains(&method) || method == "use" {
            return;
        }
        let Some((receiver, path)) = self.route_root(obj) else {
            return;
        };
        let mut cur = args.walk();
        let mut bindings = Vec::new();
        for a in args.named_children(&mut cur) {
            self.reader().args(a, &mut bindings, 0);
        }
        if !bindings.iter().any(super::handles) {
            return;
        }
        self.facts.registrations.push(Registration {
            receiver,
            method: method.to_string(),
            path: Some(path),
            args: bindings,
            span: span(prop),
        });
    }

    fn call(&mut self, n: Node<'_>) {
        let Some((obj, prop, args)) = super::method_call(n) else {
            self.route_link(n);
            return;
        };
        let method = self.text(prop);
        if !METHODS.contains(&method) {
            return;
        }
        let mut cur = args.walk();
        let list: Vec<Node<'_>> = args.named_children(&mut cur).collect();
        let mut rest = &list[..];
        let mut path = None;
        if let Some(first) = list.first() {
            if let Some(s) = string_value(self.src, *first) {
                path = Some(s);
                rest = &list[1..];
            } else if first.kind_str() == "template_string" || first.kind_str() == "regex" {
                // A computed path: keep the registration, without a path.
                rest = &list[1..];
                path = Some(String::from("*"));
            }
        }
        let mut bindings = Vec::new();
        for a in rest {
            self.reader().args(*a, &mut bindings, 0);
        }
        if !bindings.iter().any(super::handles) || (method != "use" && path.is_none()) {
            return;
        }
        self.facts.registrations.push(Registration {
            receiver: self.text(obj).to_string(),
            method: method.to_string(),
            path,
            args: bindings,
            span: span(prop),
        });
    }

    fn reader(&self) -> super::ArgReader<'_> {
        super::ArgReader {
            src: self.src,
            by_range: &self.by_range,
            this_is_a_name: false,
            flatten_arrays: true,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn methods_are_lowercase() {
        assert!(
            super::METHODS
                .iter()
                .all(|m| m.chars().all(|c| c.is_ascii_lowercase()))
        );
    }
}
