//! Fastify facts of one file (see `facts::frameworks`): the instances it creates
//! (`const app = Fastify()`), and every registration on a name — routes
//! (`fastify.get(url, [opts], handler)`, `fastify.route({ method, url, handler })`), plugins
//! (`fastify.register(plugin, { prefix })`) and hooks (`fastify.addHook('preHandler', fn)`) —
//! with the plugin function whose instance parameter it is called on. That function is the
//! registration's encapsulation scope; the adapter (`project::frameworks::fastify`) links the
//! scopes through `register` across files.

use crate::parse::NodeKind;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::{Input, handles};
use crate::facts::code::{Binding, span, string_value, strip};
use crate::facts::depth::{Guard, visit};
use crate::finding::Span;
use crate::prefilter::Hits;

/// The route shorthand methods of a Fastify instance.
pub const ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "all", "options", "head",
];

/// The methods whose function arguments the code facts summarise (besides the route
/// shorthands, which Express shares).
pub const METHODS: &[&str] = &["route", "register", "addHook"];

/// The route options and hooks that run before a handler and can reject the request.
pub const PRE_HOOKS: &[&str] = &["onRequest", "preParsing", "preValidation", "preHandler"];

/// What the Fastify adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Names bound to a new instance (`Fastify()`, `fastify()`, `require('fastify')()`).
    pub instances: Vec<String>,
    /// Registrations, in source order.
    pub registrations: Vec<Registration>,
    /// The file imports or requires `fastify`, `fastify-plugin` or `@clerk/fastify`.
    pub imports_fastify: bool,
}

/// What a registration registers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// A route: its methods (upper case; `ALL` for `all`), URL, handler and its own hooks.
    Route {
        methods: Vec<String>,
        url: String,
        handler: Binding,
        /// `onRequest`/`preHandler`/… of the route's options, outermost first.
        pre: Vec<Binding>,
    },
    /// `register(plugin, { prefix })`.
    Register {
        plugin: Binding,
        #[serde(default)]
        prefix: Option<String>,
    },
    /// `addHook(name, fn)` for a hook that runs before handlers.
    Hook { name: String, hook: Binding },
}

/// `<receiver>.<method>(…)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub receiver: String,
    /// The innermost enclosing function (index in `CodeFacts::functions`) whose first
    /// parameter is the receiver: the plugin whose scope this registration is in. `None` for
    /// an instance the file creates, or a name the facts cannot place.
    #[serde(default)]
    pub plugin: Option<usize>,
    pub kind: Kind,
    /// The method name (where a finding points).
    pub span: Span,
}

/// Whether the file must be parsed for Fastify.
pub fn wants(_rel: &str, hits: &Hits) -> bool {
    hits.has("fastify") || hits.has("Fastify") || hits.has("addHook")
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    if !wants(input.rel, input.hits) {
        return None;
    }
    let code = input.code;
    let imports_fastify = code.imports.values().any(|i| {
        i.source == "fastify" || i.source == "fastify-plugin" || i.source == "@clerk/fastify"
    }) || input.text.contains("require('fastify")
        || input.text.contains("require(\"fastify");
    let mut w = Walker {
        src: input.text,
        code,
        by_range: super::functions_by_range(code),
        scopes: Vec::new(),
        facts: Facts {
            imports_fastify,
            ..Facts::default()
        },
    };
    w.walk(input.tree.root_node());
    let f = w.facts;
    (!f.registrations.is_empty() || !f.instances.is_empty()).then_some(f)
}

struct Walker<'a> {
    src: &'a str,
    code: &'a crate::facts::code::CodeFacts,
    by_range: HashMap<Span, usize>,
    /// Enclosing functions: (end byte, first parameter name, function index).
    scopes: Vec<(usize, Option<String>, Option<usize>)>,
    facts: Facts,
}

fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "arrow_function" | "function_expression" | "function" | "function_declaration"
    )
}

impl Walker<'_> {
    fn text(&self, n: Node<'_>) -> &str {
        n.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    fn walk(&mut self, n: Node<'_>) {
        let Some(_g) = Guard::enter() else { return };
        visit(1);
        let kind = n.kind_str();
        let pushed = is_function(kind);
        if pushed {
            let first = self.first_param(n);
            let index = self.by_range.get(&span(n)).copied();
            self.scopes.push((n.end_byte(), first, index));
        }
        match kind {
            "variable_declarator" => self.declarator(n),
            "call_expression" => self.call(n),
            _ => {}
        }
        let mut cur = n.walk();
        for c in n.named_children(&mut cur) {
            self.walk(c);
        }
        if pushed {
            self.scopes.pop();
        }
    }

    fn first_param(&self, f: Node<'_>) -> Option<String> {
        if let Some(p) = f.child_by_field_name("parameter") {
            return (p.kind_str() == "identifier").then(|| self.text(p).to_string());
        }
        let params = f.child_by_field_name("parameters")?;
        let mut cur = params.walk();
        let first = params.named_children(&mut cur).next()?;
        let id = match first.kind_str() {
            "identifier" => first,
            "required_parameter" | "optional_parameter" => first.child_by_field_name("pattern")?,
            _ => return None,
        };
        (id.kind_str() == "identifier").then(|| self.text(id).to_string())
    }

    /// Whether a call creates an instance: a function imported from `fastify` (`Fastify()`,
    /// `fastify()`), or `require('fastify')(…)`.
    fn creates_instance(&self, call: Node<'_>) -> bool {
        let Some(f) = call.child_by_field_name("function").map(strip) else {
            return false;
        };
        match f.kind_str() {
            "identifier" => self
                .code
                .imports
                .get(self.text(f))
                .is_some_and(|i| i.source == "fastify"),
            "member_expression" => {
                // `Fastify.default()`, `fastify.fastify()`.
                f.child_by_field_name("object")
                    .filter(|o| o.kind_str() == "identifier")
                    .and_then(|o| self.code.imports.get(self.text(o)))
                    .is_some_and(|i| i.source == "fastify")
            }
            "call_expression" => {
                let t = self.text(f);
                t.starts_with("require(") && t.contains("fastify") && !t.contains("fastify-")
            }
            _ => false,
        }
    }

    /// `const app = Fastify({ logger: true })`.
    fn declarator(&mut self, n: Node<'_>) {
        let Some((name, mut value)) = super::named_declarator(n) else {
            return;
        };
        if value.kind_str() == "await_expression"
            && let Some(inner) = value.named_child(0)
        {
            value = strip(inner);
        }
        if value.kind_str() == "call_expression" && self.creates_instance(value) {
            let name = self.text(name).to_string();
            if !self.facts.instances.contains(&name) {
                self.facts.instances.push(name);
            }
        }
    }

    fn call(&mut self, n: Node<'_>) {
        let Some((obj, prop, args)) = super::method_call(n) else {
            return;
        };
        let method = self.text(prop);
        if !(ROUTE_METHODS.contains(&method) || METHODS.contains(&method)) {
            return;
        }
        let mut cur = args.walk();
        let list: Vec<Node<'_>> = args
            .named_children(&mut cur)
            .filter(|c| c.kind_str() != "comment")
            .map(strip)
            .collect();
        let receiver = self.text(obj).to_string();
        let kind = match method {
            "route" => self.route_options(&list),
            "register" => self.register(&list),
            "addHook" => self.hook(&list),
            _ => self.shorthand(method, &list),
        };
        let Some(kind) = kind else { return };
        let plugin = self
            .scopes
            .iter()
            .rev()
            .find(|(_, p, _)| p.as_deref() == Some(receiver.as_str()))
            .and_then(|(_, _, i)| *i);
        self.facts.registrations.push(Registration {
            receiver,
            plugin,
            kind,
            span: span(prop),
        });
    }

    /// `get(url, [opts], handler)` or `get(url, { handler, preHandler })`.
    fn shorthand(&self, method: &str, list: &[Node<'_>]) -> Option<Kind> {
        let url = self.url(*list.first()?)?;
        let mut pre = Vec::new();
        let mut handler = None;
        for a in &list[1..] {
            if a.kind_str() == "object" {
                let (h, p) = self.options(*a);
                pre.extend(p);
                if h.is_some() {
                    handler = h;
                }
            } else {
                handler = Some(self.reader().binding(*a));
            }
        }
        let handler = handler.filter(handles)?;
        Some(Kind::Route {
            methods: vec![method.to_ascii_uppercase()],
            url,
            handler,
            pre,
        })
    }

    /// `route({ method, url, handler, preHandler })`.
    fn route_options(&self, list: &[Node<'_>]) -> Option<Kind> {
        let opts = list.first().filter(|o| o.kind_str() == "object")?;
        let (handler, pre) = self.options(*opts);
        let handler = handler.filter(handles)?;
        let mut url = None;
        let mut methods = Vec::new();
        let mut cur = opts.walk();
        for pair in opts.named_children(&mut cur) {
            if pair.kind_str() != "pair" {
                continue;
            }
            let (Some(k), Some(v)) = (
                pair.child_by_field_name("key"),
                pair.child_by_field_name("value"),
            ) else {
                continue;
            };
            let v = strip(v);
            match self.key(k).as_str() {
                "url" | "path" => url = self.url(v),
                "method" => {
                    if v.kind_str() == "array" {
                        let mut c2 = v.walk();
                        for m in v.named_children(&mut c2) {
                            if let Some(s) = string_value(self.src, m) {
                                methods.push(s.to_ascii_uppercase());
                            }
                        }
                    } else if let Some(s) = string_value(self.src, v) {
                        methods.push(s.to_ascii_uppercase());
                    }
                }
                _ => {}
            }
        }
        if methods.is_empty() {
            methods.push("ALL".into());
        }
        Some(Kind::Route {
            methods,
            url: url?,
            handler,
            pre,
        })
    }

    /// `register(plugin, { prefix: '/api' })`.
    fn register(&self, list: &[Node<'_>]) -> Option<Kind> {
        let first = *list.first()?;
        let plugin = match first.kind_str() {
            // `register(import('./routes'))`: the module's default export.
            "call_expression" if self.text(first).starts_with("import(") => {
                let src = first
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0))
                    .and_then(|s| string_value(self.src, s))?;
                Binding::Call {
                    callee: vec!["import".into()],
                    args: vec![Binding::Identifier { name: src }],
                    span: span(first),
                }
            }
            _ => self.reader().binding(first),
        };
        if !handles(&plugin) {
            return None;
        }
        let prefix = list
            .get(1)
            .filter(|o| o.kind_str() == "object")
            .and_then(|o| {
                let mut cur = o.walk();
                o.named_children(&mut cur)
                    .filter(|p| p.kind_str() == "pair")
                    .find(|p| {
                        p.child_by_field_name("key")
                            .is_some_and(|k| self.key(k) == "prefix")
                    })
                    .and_then(|p| p.child_by_field_name("value"))
                    .and_then(|v| self.url(strip(v)))
            });
        Some(Kind::Register { plugin, prefix })
    }

    /// `addHook('preHandler', fn)`.
    fn hook(&self, list: &[Node<'_>]) -> Option<Kind> {
        let name = string_value(self.src, *list.first()?)?;
        if !PRE_HOOKS.contains(&name.as_str()) {
            return None;
        }
        let hook = self.reader().binding(*list.get(1)?);
        handles(&hook).then_some(Kind::Hook { name, hook })
    }

    /// The handler and the pre-handler hooks of a route options object.
    fn options(&self, o: Node<'_>) -> (Option<Binding>, Vec<Binding>) {
        let mut handler = None;
        let mut pre: Vec<(usize, Binding)> = Vec::new();
        let mut cur = o.walk();
        for c in o.named_children(&mut cur) {
            match c.kind_str() {
                "pair" => {
                    let (Some(k), Some(v)) =
                        (c.child_by_field_name("key"), c.child_by_field_name("value"))
                    else {
                        continue;
                    };
                    let key = self.key(k);
                    if key == "handler" {
                        handler = Some(self.reader().binding(strip(v)));
                    } else if let Some(order) = PRE_HOOKS.iter().position(|h| *h == key) {
                        let v = strip(v);
                        if v.kind_str() == "array" {
                            let mut c2 = v.walk();
                            for x in v.named_children(&mut c2) {
                                pre.push((order, self.reader().binding(strip(x))));
                            }
                        } else {
                            pre.push((order, self.reader().binding(v)));
                        }
                    }
                }
                // `{ handler() { … } }`
                "method_definition"
                    if c.child_by_field_name("name")
                        .is_some_and(|k| self.text(k) == "handler") =>
                {
                    handler = Some(self.reader().function(c));
                }
                _ => {}
            }
        }
        // Fastify runs onRequest, preParsing, preValidation, then preHandler.
        pre.sort_by_key(|(o, _)| *o);
        (handler, pre.into_iter().map(|(_, b)| b).collect())
    }

    fn key(&self, k: Node<'_>) -> String {
        string_value(self.src, k).unwrap_or_else(|| self.text(k).to_string())
    }

    /// A URL argument: a string, or a template (`${base}/x`) kept with its text.
    fn url(&self, n: Node<'_>) -> Option<String> {
        if let Some(s) = string_value(self.src, n) {
            return Some(s);
        }
        (n.kind_str() == "template_string").then(|| {
            self.text(n)
                .trim_matches('`')
                .chars()
                .take(200)
                .collect::<String>()
        })
    }

    fn reader(&self) -> super::ArgReader<'_> {
        super::ArgReader {
            src: self.src,
            by_range: &self.by_range,
            this_is_a_name: true,
            flatten_arrays: false,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn methods_are_lowercase() {
        assert!(
            super::ROUTE_METHODS
                .iter()
                .all(|m| m.chars().all(|c| c.is_ascii_lowercase()))
        );
    }
}
