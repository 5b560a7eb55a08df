//! Per-file facts of the frameworks beside Next.js, taken from the one parse of the file
//! (`FileFacts::parse_code`): each framework's registrations (routes, plugins, route modules'
//! exports, server functions) for its adapter in `project::frameworks`. Whether a handler
//! verifies the session is never decided here: that is the one function summary's job
//! (`facts::code` steps, `project::guards`).

pub mod astro;
pub mod convex;
pub mod express;
pub mod fastify;
pub mod hono;
pub mod nuxt;
pub mod react_router;
pub mod tanstack;

use crate::parse::NodeKind;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use crate::facts::code::{Binding, CalleePath, CodeFacts, span, strip};
use crate::finding::Span;
use crate::parse::NodeFields;
use crate::prefilter::Hits;
use crate::source::Lang;

/// What an extractor reads: the file, its tree and the code facts already taken from it.
pub struct Input<'a> {
    pub rel: &'a str,
    pub lang: Lang,
    pub tree: &'a tree_sitter::Tree,
    pub text: &'a str,
    pub code: &'a CodeFacts,
    pub hits: &'a Hits,
}

/// Every framework's facts of one file (`None` where the file has nothing of it; boxed: most
/// parsed files have none, and the facts of 20k parsed files stay in memory).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkFacts {
    pub express: Option<Box<express::Facts>>,
    pub fastify: Option<Box<fastify::Facts>>,
    pub react_router: Option<Box<react_router::Facts>>,
    pub astro: Option<Box<astro::Facts>>,
    pub nuxt: Option<Box<nuxt::Facts>>,
    pub tanstack: Option<Box<tanstack::Facts>>,
    /// Hono apps, for the Next.js route handlers that serve one (`handle(app)`).
    #[serde(default)]
    pub hono: Option<Box<hono::Facts>>,
    /// Convex's HTTP router (`convex/http.ts`).
    #[serde(default)]
    pub convex: Option<Box<convex::Facts>>,
}

/// Whether a method name registers a route handler or middleware on an app or router
/// (`app.get`, `router.use`, `fastify.route`): the code facts summarise the functions handed
/// to it, as they do an exported handler.
pub fn is_registration_method(name: &str) -> bool {
    express::METHODS.contains(&name) || fastify::METHODS.contains(&name)
}

/// Whether a key of an options object handed to a registration holds a request handler or a
/// hook (`fastify.route({ handler, preHandler })`, `fastify.get(url, { onRequest }, fn)`).
pub fn is_registration_key(key: &str) -> bool {
    key == "handler" || fastify::PRE_HOOKS.contains(&key)
}

/// Whether some framework needs this file parsed eagerly (its entries or registrations).
pub fn wants(rel: &str, hits: &Hits) -> bool {
    express::wants(rel, hits)
        || fastify::wants(rel, hits)
        || react_router::wants(rel, hits)
        || astro::wants(rel, hits)
        || nuxt::wants(rel, hits)
        || tanstack::wants(rel, hits)
        || convex::wants(rel)
}

pub fn extract(input: &Input<'_>) -> FrameworkFacts {
    FrameworkFacts {
        express: express::extract(input).map(Box::new),
        fastify: fastify::extract(input).map(Box::new),
        react_router: react_router::extract(input).map(Box::new),
        astro: astro::extract(input).map(Box::new),
        nuxt: nuxt::extract(input).map(Box::new),
        tanstack: tanstack::extract(input).map(Box::new),
        hono: hono::extract(input).map(Box::new),
        convex: convex::extract(input).map(Box::new),
    }
}

/// The code facts' functions by their range (the key of `ArgReader::by_range`): a function
/// node of the tree finds its index in `CodeFacts::functions`.
pub(crate) fn functions_by_range(code: &CodeFacts) -> HashMap<Span, usize> {
    code.functions
        .iter()
        .enumerate()
        .map(|(i, f)| (f.range, i))
        .collect()
}

/// A variable declarator that binds a plain name (`const app = express()`, not a
/// destructuring): the name node and the value, parentheses and casts stripped.
pub(crate) fn named_declarator<'t>(n: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let name = n.child_by_field_name("name")?;
    let value = n.child_by_field_name("value")?;
    (name.kind_str() == "identifier").then(|| (name, strip(value)))
}

/// The local name under which the module imports `imported` from `source` (`Hono` of `hono`,
/// `httpRouter` of `convex/server`): the module can create what the adapter reads only then.
pub(crate) fn local_import(code: &CodeFacts, source: &str, imported: &str) -> Option<String> {
    code.imports
        .iter()
        .find(|(_, i)| i.source == source && i.imported == imported)
        .map(|(local, _)| local.clone())
}

/// Each statement at the top of the module, in order.
pub(crate) fn each_statement(tree: &tree_sitter::Tree, mut f: impl FnMut(Node<'_>)) {
    let root = tree.root_node();
    let mut cur = root.walk();
    for stmt in root.named_children(&mut cur) {
        f(stmt);
    }
}

/// Whether a registration's argument can handle a request: not a literal or an options object
/// (`map.get('key')`, `axios.get('/x', { headers })` register nothing).
pub(crate) fn handles(b: &Binding) -> bool {
    !matches!(b, Binding::Other | Binding::Object { .. })
}

/// The source text of a node.
pub(crate) fn text<'a>(src: &'a str, n: Node<'_>) -> &'a str {
    &src[n.byte_range()]
}

/// A call's arguments, comments left out (none when it has no argument list).
pub(crate) fn call_args<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let Some(args) = n.field("arguments") else {
        return Vec::new();
    };
    let mut cur = args.walk();
    args.named_children(&mut cur)
        .filter(|c| c.kind_str() != "comment")
        .collect()
}

/// A call of a method on a plain name (`app.get(…)`, `fastify.register(…)`): the receiver, the
/// method's name node and the argument list, or `None` for any other call (the one matcher of
/// Express's and Fastify's registrations).
pub(crate) fn method_call<'t>(n: Node<'t>) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
    let f = n.child_by_field_name("function")?;
    if f.kind_str() != "member_expression" {
        return None;
    }
    let obj = f.child_by_field_name("object")?;
    let prop = f.child_by_field_name("property")?;
    if obj.kind_str() != "identifier" {
        return None;
    }
    Some((obj, prop, n.child_by_field_name("arguments")?))
}

/// How a registration's arguments are read (the one reader of Express's and Fastify's).
pub(crate) struct ArgReader<'a> {
    pub src: &'a str,
    /// The code facts' functions by range: a function argument becomes its index.
    pub by_range: &'a HashMap<Span, usize>,
    /// `this.x` names a callee (Fastify's `this` is the instance inside a plugin).
    pub this_is_a_name: bool,
    /// An array argument stands for its elements (Express's `app.get(p, [a, b], h)`).
    pub flatten_arrays: bool,
}

impl ArgReader<'_> {
    fn text(&self, n: Node<'_>) -> &str {
        n.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    /// A dotted name (`app.get`, `controller.list`): at most nine links, walked iteratively.
    pub fn callee(&self, n: Node<'_>) -> Option<CalleePath> {
        let mut path = Vec::new();
        let mut n = strip(n);
        for _ in 0..9 {
            match n.kind_str() {
                "identifier" => {
                    path.push(self.text(n).to_string());
                    path.reverse();
                    return Some(path);
                }
                "this" if self.this_is_a_name => {
                    path.push("this".to_string());
                    path.reverse();
                    return Some(path);
                }
                "member_expression" => {
                    path.push(self.text(n.child_by_field_name("property")?).to_string());
                    n = strip(n.child_by_field_name("object")?);
                }
                _ => return None,
            }
        }
        None
    }

    /// The function a function node is, as a binding.
    pub fn function(&self, n: Node<'_>) -> Binding {
        match self.by_range.get(&span(n)) {
            Some(&index) => Binding::Function { index },
            None => Binding::Other,
        }
    }

    /// One argument as bindings (several for a flattened array), nested at most four deep.
    pub fn args(&self, n: Node<'_>, out: &mut Vec<Binding>, depth: usize) {
        let n = strip(n);
        if depth > 4 {
            if !self.flatten_arrays {
                out.push(Binding::Other);
            }
            return;
        }
        match n.kind_str() {
            "array" if self.flatten_arrays => {
                let mut cur = n.walk();
                for c in n.named_children(&mut cur) {
                    self.args(c, out, depth + 1);
                }
            }
            "arrow_function" | "function_expression" | "function" | "method_definition" => {
                out.push(self.function(n))
            }
            "identifier" => out.push(Binding::Identifier {
                name: self.text(n).to_string(),
            }),
            "call_expression" => {
                let callee = n
                    .child_by_field_name("function")
                    .and_then(|f| self.callee(f));
                let mut args = Vec::new();
                if let Some(a) = n.child_by_field_name("arguments") {
                    let mut cur = a.walk();
                    for c in a.named_children(&mut cur) {
                        self.args(c, &mut args, depth + 1);
                    }
                }
                out.push(match callee {
                    Some(callee) => Binding::Call {
                        callee,
                        args,
                        span: span(n),
                    },
                    None => Binding::Other,
                });
            }
            // `controller.list`, `fastify.authenticate` (a decorator): a dotted name the
            // adapter resolves.
            "member_expression" => out.push(match self.callee(n) {
                Some(path) => Binding::Identifier {
                    name: path.join("."),
                },
                None => Binding::Other,
            }),
            "object" => out.push(Binding::Object {
                fields: Vec::new(),
                open: true,
            }),
            _ => out.push(Binding::Other),
        }
    }

    /// One argument as one binding.
    pub fn binding(&self, n: Node<'_>) -> Binding {
        let mut out = Vec::new();
        self.args(n, &mut out, 0);
        out.pop().unwrap_or(Binding::Other)
    }
}
