//! TanStack Start facts of one file (see `facts::frameworks`): server functions
//! (`createServerFn(…)` chains ending in `.handler(fn)`, with their `.middleware([…])`), file
//! routes' server handlers (`createFileRoute(path)({ server: { handlers } })`, and the older
//! `createServerFileRoute(path).methods({…})` and `createAPIFileRoute(path)({…})`), and
//! whether `createStart` registers Clerk's `clerkMiddleware()` (`src/start.ts`) or the 0.x
//! `createClerkHandler` wraps the server entry. Whether a handler or a middleware checks the
//! session is the one function summary's job.

use crate::parse::NodeKind;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::{Input, call_args, text};
use crate::facts::code::{span, string_value, strip};
use crate::facts::depth::{Guard, visit};
use crate::finding::Span;
use crate::parse::NodeFields;
use crate::prefilter::Hits;

/// The most server functions or handlers one file yields.
const MAX_ITEMS: usize = 1024;
/// The most links of one builder chain followed.
const MAX_LINKS: usize = 64;

/// A function-valued expression: a function written in place or a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FnRef {
    Function { index: usize },
    Name { name: String },
    Other,
}

/// `const name = createServerFn({ method }).middleware([…]).validator(…).handler(fn)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerFn {
    /// The binding's name (`<inline>` for one that is not bound to a name).
    pub name: String,
    pub span: Span,
    /// `GET` or `POST` (the default).
    pub method: String,
    pub handler: FnRef,
    /// `.middleware([a, b])`, in order.
    pub middleware: Vec<FnRef>,
}

/// One method handler of a server route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handler {
    pub method: String,
    pub span: Span,
    pub handler: FnRef,
    /// `{ middleware: […], handler }` of `createHandlers`.
    pub middleware: Vec<FnRef>,
}

/// A file route with server handlers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerRoute {
    /// The path given to `createFileRoute(…)` (None when absent: the file decides).
    pub path: Option<String>,
    pub handlers: Vec<Handler>,
    /// `server: { middleware: […] }`: runs before every handler.
    pub middleware: Vec<FnRef>,
}

/// What the TanStack Start adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    #[serde(default)]
    pub server_fns: Vec<ServerFn>,
    #[serde(default)]
    pub routes: Vec<ServerRoute>,
    /// `createStart(…)` is called here: the span, and whether Clerk's `clerkMiddleware()` is
    /// among what it registers.
    pub start: Option<(Span, bool)>,
    /// `createClerkHandler(…)` (0.x server entry) is called here.
    pub clerk_handler: Option<Span>,
}

pub fn wants(_rel: &str, hits: &Hits) -> bool {
    hits.has("createServerFn")
        || hits.has("createFileRoute")
        || hits.has("createServerFileRoute")
        || hits.has("createAPIFileRoute")
        || hits.has("createStart")
        || hits.has("createClerkHandler")
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    let s = input.text;
    if ![
        "createServerFn",
        "createFileRoute",
        "createServerFileRoute",
        "createAPIFileRoute",
        "createStart",
        "createClerkHandler",
    ]
    .iter()
    // The prefilter saw each word (a word it was not built with reads as present).
    .any(|k| input.hits.has(k) && s.contains(k))
    {
        return None;
    }
    let mut x = Walk {
        input,
        facts: Facts::default(),
        bound: None,
    };
    x.walk(input.tree.root_node());
    (x.facts != Facts::default()).then_some(x.facts)
}

struct Walk<'a, 'i> {
    input: &'a Input<'i>,
    facts: Facts,
    /// The name of the variable whose value is being walked.
    bound: Option<String>,
}

impl Walk<'_, '_> {
    fn src(&self) -> &str {
        self.input.text
    }

    fn walk(&mut self, n: Node<'_>) {
        let Some(_g) = Guard::enter() else { return };
        visit(1);
        if self.facts.server_fns.len() + self.facts.routes.len() > MAX_ITEMS {
            return;
        }
        if n.kind_str() == "variable_declarator"
            && let (Some(name), Some(value)) = (n.field("name"), n.field("value"))
            && name.kind_str() == "identifier"
        {
            let prev = self.bound.replace(text(self.src(), name).to_string());
            self.walk(value);
            self.bound = prev;
            return;
        }
        if n.kind_str() == "call_expression" && self.call(n) {
            return;
        }
        // A name is bound to the value itself (through `await`, parentheses, `as`), not to
        // what lies deeper.
        let through = matches!(
            n.kind_str(),
            "await_expression"
                | "parenthesized_expression"
                | "as_expression"
                | "satisfies_expression"
        );
        let prev = self.bound.clone();
        if !through {
            self.bound = None;
        }
        let mut cur = n.walk();
        let kids: Vec<Node<'_>> = n.named_children(&mut cur).collect();
        for c in kids {
            self.walk(c);
        }
        self.bound = prev;
    }

    /// Handle a call; true when it was consumed (its insides need no further walk).
    fn call(&mut self, n: Node<'_>) -> bool {
        // Flatten `a(…).b(…).c(…)` into its links.
        let mut links: Vec<(String, Node<'_>)> = Vec::new();
        let mut cur = n;
        let mut base: Option<(String, Node<'_>)> = None;
        for _ in 0..MAX_LINKS {
            visit(1);
            let Some(f) = cur.field("function").map(strip) else {
                break;
            };
            match f.kind_str() {
                "member_expression" => {
                    let (Some(obj), Some(prop)) =
                        (f.field("object").map(strip), f.field("property"))
                    else {
                        break;
                    };
                    links.push((text(self.src(), prop).to_string(), cur));
                    if obj.kind_str() != "call_expression" {
                        break;
                    }
                    cur = obj;
                }
                "identifier" => {
                    base = Some((text(self.src(), f).to_string(), cur));
                    break;
                }
                // `createFileRoute('/x')({ … })`.
                "call_expression" => {
                    if let Some(inner) = f.field("function").map(strip)
                        && inner.kind_str() == "identifier"
                    {
                        let name = text(self.src(), inner).to_string();
                        if matches!(name.as_str(), "createFileRoute" | "createAPIFileRoute") {
                            self.file_route(f, Some(cur));
                            return true;
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
        let Some((base_name, base_call)) = base else {
            return false;
        };
        links.reverse();
        match base_name.as_str() {
            "createServerFn" => {
                if let Some((_, hcall)) = links.iter().find(|(m, _)| m == "handler") {
                    let method = call_args(base_call)
                        .first()
                        .and_then(|o| self.object_string(*o, "method"))
                        .unwrap_or_else(|| "POST".into())
                        .to_ascii_uppercase();
                    let handler = call_args(*hcall)
                        .first()
                        .map(|a| self.fn_ref(*a))
                        .unwrap_or(FnRef::Other);
                    let mut middleware = Vec::new();
                    for (m, c) in &links {
                        if m == "middleware" {
                            middleware.extend(self.fn_refs(call_args(*c).first().copied()));
                        }
                    }
                    let name = self.bound.clone().unwrap_or_else(|| "<inline>".into());
                    let span = span(base_call.field("function").unwrap_or(base_call));
                    self.facts.server_fns.push(ServerFn {
                        name,
                        span,
                        method,
                        handler,
                        middleware,
                    });
                    // The handler may itself define server functions (rare); do not walk in.
                    return true;
                }
                false
            }
            "createServerFileRoute" => {
                if let Some((_, mcall)) = links.iter().find(|(m, _)| m == "methods") {
                    let path = call_args(base_call)
                        .first()
                        .and_then(|a| string_value(self.src(), strip(*a)));
                    let mut route = ServerRoute {
                        path,
                        handlers: Vec::new(),
                        middleware: Vec::new(),
                    };
                    if let Some(obj) = call_args(*mcall).first().map(|a| strip(*a)) {
                        self.handlers_of(obj, &mut route);
                    }
                    if let Some((_, mw)) = links.iter().find(|(m, _)| m == "middleware") {
                        route.middleware = self.fn_refs(call_args(*mw).first().copied());
                    }
                    if !route.handlers.is_empty() {
                        self.facts.routes.push(route);
                    }
                    return true;
                }
                false
            }
            "createStart" => {
                let found = contains_call(self.src(), base_call, "clerkMiddleware", 0);
                self.facts.start = Some((
                    span(base_call.field("function").unwrap_or(base_call)),
                    found,
                ));
                true
            }
            "createClerkHandler" => {
                self.facts.clerk_handler = Some(span(base_call));
                false
            }
            _ => false,
        }
    }

    /// `createFileRoute('/x')({ server: { handlers, middleware } })` (`outer` = the call with
    /// the options) or `createAPIFileRoute('/x')({ GET, POST })`.
    fn file_route(&mut self, inner: Node<'_>, outer: Option<Node<'_>>) {
        let path = call_args(inner)
            .first()
            .and_then(|a| string_value(self.src(), strip(*a)));
        let api = inner
            .field("function")
            .is_some_and(|f| text(self.src(), f) == "createAPIFileRoute");
        let Some(opts) = outer.and_then(|o| call_args(o).first().map(|a| strip(*a))) else {
            return;
        };
        if opts.kind_str() != "object" {
            return;
        }
        let mut route = ServerRoute {
            path,
            handlers: Vec::new(),
            middleware: Vec::new(),
        };
        if api {
            self.handlers_of(opts, &mut route);
        } else if let Some(server) = self
            .object_field(opts, "server")
            .filter(|s| s.kind_str() == "object")
        {
            if let Some(h) = self.object_field(server, "handlers") {
                self.handlers_of(h, &mut route);
            }
            route.middleware = self.fn_refs(self.object_field(server, "middleware"));
        }
        if !route.handlers.is_empty() {
            self.facts.routes.push(route);
        }
    }

    /// `{ GET: fn, POST: { middleware, handler } }`, or `({ createHandlers }) =>
    /// createHandlers({ … })`.
    fn handlers_of(&mut self, n: Node<'_>, route: &mut ServerRoute) {
        let n = strip(n);
        let obj = match n.kind_str() {
            "object" => Some(n),
            "arrow_function" => n.field("body").map(strip).and_then(|b| {
                if b.kind_str() == "call_expression" {
                    call_args(b).first().map(|a| strip(*a))
                } else {
                    None
                }
            }),
            _ => None,
        };
        let Some(obj) = obj.filter(|o| o.kind_str() == "object") else {
            return;
        };
        let mut cur = obj.walk();
        for p in obj.named_children(&mut cur) {
            let (key, value) = match p.kind_str() {
                "pair" => (p.field("key"), p.field("value")),
                "method_definition" => (p.field("name"), Some(p)),
                "shorthand_property_identifier" => (Some(p), Some(p)),
                _ => continue,
            };
            let (Some(key), Some(value)) = (key, value) else {
                continue;
            };
            let method = text(self.src(), key)
                .trim_matches(['"', '\''])
                .to_ascii_uppercase();
            if !matches!(
                method.as_str(),
                "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "ANY"
            ) {
                continue;
            }
            let value = strip(value);
            let (handler, middleware) = if value.kind_str() == "object" {
                let h = self
                    .object_field(value, "handler")
                    .map(|h| self.fn_ref(h))
                    .unwrap_or(FnRef::Other);
                (h, self.fn_refs(self.object_field(value, "middleware")))
            } else {
                (self.fn_ref(value), Vec::new())
            };
            route.handlers.push(Handler {
                method,
                span: span(key),
                handler,
                middleware,
            });
        }
    }

    fn object_field<'t>(&self, obj: Node<'t>, key: &str) -> Option<Node<'t>> {
        let mut cur = obj.walk();
        let found = obj.named_children(&mut cur).find(|p| {
            p.kind_str() == "pair"
                && p.field("key")
                    .is_some_and(|k| text(self.src(), k).trim_matches(['"', '\'']) == key)
        });
        found.and_then(|p| p.field("value")).map(strip)
    }

    fn object_string(&self, obj: Node<'_>, key: &str) -> Option<String> {
        let obj = strip(obj);
        if obj.kind_str() != "object" {
            return None;
        }
        string_value(self.src(), self.object_field(obj, key)?)
    }

    /// The functions an array lists, in order (a `middleware: [a, b]` list); none when `n` is
    /// absent or not an array.
    fn fn_refs(&self, n: Option<Node<'_>>) -> Vec<FnRef> {
        let Some(arr) = n.map(strip).filter(|a| a.kind_str() == "array") else {
            return Vec::new();
        };
        let mut cur = arr.walk();
        arr.named_children(&mut cur)
            .map(|e| self.fn_ref(e))
            .collect()
    }

    fn fn_ref(&self, n: Node<'_>) -> FnRef {
        let n = strip(n);
        match n.kind_str() {
            "arrow_function" | "function_expression" | "function" | "method_definition" => self
                .input
                .code
                .functions
                .iter()
                .position(|f| f.range == span(n))
                .map(|index| FnRef::Function { index })
                .unwrap_or(FnRef::Other),
            "identifier" => FnRef::Name {
                name: text(self.src(), n).to_string(),
            },
            _ => FnRef::Other,
        }
    }
}

/// Whether a call of `name` lies under `n` (bounded).
fn contains_call(src: &str, n: Node<'_>, name: &str, depth: usize) -> bool {
    let Some(_g) = Guard::enter() else {
        return false;
    };
    visit(1);
    if depth > 64 {
        return false;
    }
    if n.kind_str() == "call_expression"
        && n.field("function")
            .map(strip)
            .is_some_and(|f| f.kind_str() == "identifier" && text(src, f) == name)
    {
        return true;
    }
    let mut cur = n.walk();
    let kids: Vec<Node<'_>> = n.named_children(&mut cur).collect();
    kids.into_iter()
        .any(|c| contains_call(src, c, name, depth + 1))
}
