//! Hono facts of one file (see `facts::frameworks`): the apps it creates (`new Hono()`) and
//! every registration on them, chained (`new Hono().get('/', mw, handler).post(…)`) or on a
//! name (`app.use('*', auth)`, `app.route('/accounts', accounts)`), in source order. A Next.js
//! route handler that serves a Hono app (`export const GET = handle(app)`, `hono/vercel`) is
//! judged by the routes of that app (`project::frameworks::hono`).

use crate::parse::NodeKind;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::Input;
pub use super::express::Registration;
use crate::facts::code::{span, string_value, strip};
use crate::finding::Span;

/// The registration methods of a Hono app (`on` takes its methods as the first argument,
/// `route` mounts another app, `basePath` prefixes the paths registered after it).
pub const METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "options", "all", "on", "use", "route", "basePath",
];

/// What the Hono adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Module-level names bound to a Hono app (`default` for `export default new Hono()…`).
    pub apps: Vec<String>,
    /// Registrations on those apps, in source order (`receiver`: the app, even for a link of
    /// a chain that starts at it; `method`: `get`, …, `all`, `use`, `route`, `basePath`, an
    /// `on` becoming one registration per method it names, `all` for `'*'` or a list it
    /// cannot read).
    pub registrations: Vec<Registration>,
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    // No prefilter keyword: only a parsed file is read, and its imports say whether it can
    // create an app.
    let hono = super::local_import(input.code, "hono", "Hono")?;
    let mut w = Walker {
        src: input.text,
        hono,
        by_range: super::functions_by_range(input.code),
        facts: Facts::default(),
    };
    super::each_statement(input.tree, |stmt| w.statement(stmt));
    let f = w.facts;
    (!f.apps.is_empty()).then_some(f)
}

struct Walker<'a> {
    src: &'a str,
    /// The local name of `Hono` imported from `hono`.
    hono: String,
    by_range: HashMap<Span, usize>,
    facts: Facts,
}

impl Walker<'_> {
    fn text(&self, n: Node<'_>) -> &str {
        n.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    /// A module-level statement: `const app = new Hono()…`, `app.route(…)…;`, `export default
    /// new Hono()…`, `export const routes = app.route(…)`.
    fn statement(&mut self, n: Node<'_>) {
        match n.kind_str() {
            "lexical_declaration" | "variable_declaration" => {
                let mut cur = n.walk();
                for d in n.named_children(&mut cur) {
                    if d.kind_str() == "variable_declarator"
                        && let Some((name, value)) = super::named_declarator(d)
                    {
                        let name = self.text(name).to_string();
                        self.chain(value, Some(&name));
                    }
                }
            }
            "expression_statement" => {
                if let Some(e) = n.named_child(0) {
                    self.chain(e, None);
                }
            }
            "export_statement" => {
                if let Some(d) = n.child_by_field_name("declaration") {
                    self.statement(d);
                } else if let Some(v) = n.child_by_field_name("value") {
                    let default = n.children(&mut n.walk()).any(|c| c.kind_str() == "default");
                    self.chain(v, default.then_some("default"));
                }
            }
            _ => {}
        }
    }

    /// A chain of calls: its root decides the app (a `new Hono()` bound to `bound`, or a name
    /// of an app created earlier), each link a registration on it.
    fn chain(&mut self, e: Node<'_>, bound: Option<&str>) {
        // Links from the outermost call inwards: (method name node, arguments node).
        let mut links: Vec<(Node<'_>, Node<'_>)> = Vec::new();
        let mut n = strip(e);
        for _ in 0..256 {
            if n.kind_str() == "await_expression" {
                match n.named_child(0) {
                    Some(c) => n = strip(c),
                    None => return,
                }
                continue;
            }
            if n.kind_str() != "call_expression" {
                break;
            }
            let Some(f) = n.child_by_field_name("function").map(strip) else {
                return;
            };
            if f.kind_str() != "member_expression" {
                return;
            }
            let (Some(obj), Some(prop), Some(args)) = (
                f.child_by_field_name("object"),
                f.child_by_field_name("property"),
                n.child_by_field_name("arguments"),
            ) else {
                return;
            };
            links.push((prop, args));
            n = strip(obj);
        }
        let app = match n.kind_str() {
            "new_expression" => {
                let is_hono = n
                    .child_by_field_name("constructor")
                    .is_some_and(|c| self.text(c) == self.hono);
                let Some(name) = bound.filter(|_| is_hono) else {
                    return;
                };
                self.facts.apps.push(name.to_string());
                name.to_string()
            }
            "identifier" => {
                let name = self.text(n).to_string();
                if !self.facts.apps.contains(&name) {
                    return;
                }
                name
            }
            _ => return,
        };
        for (prop, args) in links.into_iter().rev() {
            let method = self.text(prop).to_string();
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            self.registration(&app, &method, prop, args);
        }
    }

    fn registration(&mut self, app: &str, method: &str, prop: Node<'_>, args: Node<'_>) {
        let mut cur = args.walk();
        let mut list: Vec<Node<'_>> = args
            .named_children(&mut cur)
            .filter(|c| c.kind_str() != "comment")
            .collect();
        // `on('POST', path, …)`, `on(['GET', 'POST'], path, …)`.
        let mut methods = vec![method.to_string()];
        if method == "on" {
            let Some(first) = list.first().copied() else {
                return;
            };
            methods = self.on_methods(first);
            list.remove(0);
        }
        let mut path = None;
        let mut rest = &list[..];
        if let Some(first) = list.first() {
            if let Some(s) = string_value(self.src, *first) {
                path = Some(s);
                rest = &list[1..];
            } else if first.kind_str() == "template_string" {
                path = Some("*".to_string());
                rest = &list[1..];
            }
        }
        let reader = super::ArgReader {
            src: self.src,
            by_range: &self.by_range,
            this_is_a_name: false,
            flatten_arrays: false,
        };
        let mut bindings = Vec::new();
        for a in rest {
            reader.args(*a, &mut bindings, 0);
        }
        if bindings.is_empty() && method != "basePath" {
            return;
        }
        for m in methods {
            self.facts.registrations.push(Registration {
                receiver: app.to_string(),
                method: m,
                path: path.clone(),
                args: bindings.clone(),
                span: span(prop),
            });
        }
    }

    /// The methods an `on(…)` registration names, lower-cased; `all` for `'*'` or for what
    /// cannot be read.
    fn on_methods(&self, n: Node<'_>) -> Vec<String> {
        let n = strip(n);
        let one = |s: String| {
            let m = s.to_ascii_lowercase();
            if m == "*" { "all".to_string() } else { m }
        };
        if let Some(s) = string_value(self.src, n) {
            return vec![one(s)];
        }
        if n.kind_str() == "array" {
            let mut cur = n.walk();
            let items: Option<Vec<String>> = n
                .named_children(&mut cur)
                .map(|c| string_value(self.src, c).map(one))
                .collect();
            if let Some(items) = items.filter(|i| !i.is_empty()) {
                return items;
            }
        }
        vec!["all".to_string()]
    }
}

#[cfg(test)]
mod tests {
    fn registrations(src: &str) -> Vec<(String, String, Option<String>, usize)> {
        let p = crate::project::model_of(&[("app/api/[[...route]]/route.ts", src)]);
        let Some(f) = p.files[0].code().and_then(|c| c.frameworks.hono.as_deref()) else {
            return Vec::new();
        };
        f.registrations
            .iter()
            .map(|r| {
                (
                    r.receiver.clone(),
                    r.method.clone(),
                    r.path.clone(),
                    r.args.len(),
                )
            })
            .collect()
    }

    #[test]
    fn chains_names_and_default_exports() {
        let src = "import { Hono } from 'hono'\n\
            const app = new Hono().basePath('/api').get('/a', mw, (c) => c.json(1))\n\
            app.use('*', auth)\n\
            const routes = app.route('/b', b).on(['GET', 'post'], '/c', (c) => c.text(''))\n\
            app.on('*', '/d', (c) => c.text(''))\n\
            export default new Hono().post('/e', (c) => c.text(''))\n\
            const m = new Map(); m.get('/x', y)\n";
        let r = |app: &str, m: &str, p: Option<&str>, n: usize| {
            (app.to_string(), m.to_string(), p.map(str::to_string), n)
        };
        assert_eq!(
            registrations(src),
            vec![
                r("app", "basePath", Some("/api"), 0),
                r("app", "get", Some("/a"), 2),
                r("app", "use", Some("*"), 1),
                r("app", "route", Some("/b"), 1),
                r("app", "get", Some("/c"), 1),
                r("app", "post", Some("/c"), 1),
                r("app", "all", Some("/d"), 1),
                r("default", "post", Some("/e"), 1),
            ]
        );
    }

    /// A `Hono` that is not hono's, and a file without the import, hold no app.
    #[test]
    fn only_hono_apps() {
        assert!(
            registrations("import { Hono } from './hono'\nconst app = new Hono().get('/a', h)\n")
                .is_empty()
        );
        assert!(registrations("const app = new Hono().get('/a', h)\n").is_empty());
    }
}
