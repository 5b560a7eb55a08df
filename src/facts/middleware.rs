//! What a middleware/proxy file does: which Clerk middleware it exports, and, for
//! `clerkMiddleware(callback)`, a small program of what the callback does for a signed-out
//! request (protect, or return early) under which path conditions.

use crate::parse::NodeFields;
use crate::parse::NodeKind;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::code::{Binding, CodeFacts, PatternList, Patterns, compact, span, strip};
use crate::finding::Span;

/// A condition on the request, as the analyzer understands it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cond {
    /// `isX(req)` where `isX` is a route matcher (resolved by name later).
    Matcher {
        name: String,
    },
    /// `pathname.startsWith('/x')`.
    PathPrefix {
        prefix: String,
    },
    /// `pathname === '/x'`.
    PathEq {
        path: String,
    },
    /// `!userId`, `!isAuthenticated`: true for a signed-out request.
    SignedOut,
    /// `userId`: false for a signed-out request.
    SignedIn,
    /// `auth.isPublicRoute` in an `authMiddleware` `afterAuth`.
    PublicRoute,
    Not {
        inner: Box<Cond>,
    },
    And {
        all: Vec<Cond>,
    },
    Or {
        any: Vec<Cond>,
    },
    /// A value the client controls: a request cookie, header or query parameter
    /// (`req.cookies.get('x')`, `req.headers.get('x')`), tested for presence or compared with
    /// a literal. An attacker chooses whether it holds.
    Untrusted {
        text: String,
    },
    /// Anything else (methods, feature flags, rate limits).
    Unknown {
        text: String,
    },
}

/// One step of the callback, for a signed-out request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    /// Protect when the condition holds (`auth.protect()`, `redirectToSignIn()`, a 401).
    Protect {
        when: Option<Cond>,
        span: Span,
        how: String,
    },
    /// Return (let the request through) when the condition holds, before any later protect.
    Exit { when: Option<Cond>, span: Span },
}

/// The Clerk middleware a middleware/proxy file exports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MiddlewareKind {
    /// `clerkMiddleware()` / `clerkMiddleware(callback, options)`.
    Clerk {
        /// Local name of the `clerkMiddleware` function (to check it is Clerk's).
        callee: String,
        span: Span,
        has_callback: bool,
        /// `None` when the callback could not be understood.
        program: Option<Vec<Op>>,
        /// Why the callback could not be understood.
        unknown: Option<String>,
        /// Route matchers created inside the callback.
        local_matchers: Vec<LocalMatcher>,
    },
    /// `authMiddleware({ publicRoutes, ignoredRoutes, afterAuth })` (v4/v5).
    Auth {
        callee: String,
        span: Span,
        public_routes: Option<PatternList>,
        /// `publicRoutes` built from the request (`[req.nextUrl.pathname]`): every path is
        /// public.
        public_from_request: Option<Span>,
        ignored_routes: Option<PatternList>,
        /// A custom `afterAuth` replaces the default protection; its program if understood.
        after_auth: Option<Option<Vec<Op>>>,
    },
    /// Something else (a custom middleware, a wrapper the analyzer cannot see through).
    Other { span: Span, what: String },
}

/// A route matcher created inside the callback (`const isPublic = createRouteMatcher([...])`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalMatcher {
    pub name: String,
    pub patterns: PatternList,
    /// Built from the request itself (`createRouteMatcher([req.nextUrl.pathname])`): it
    /// matches every path.
    pub from_request: bool,
    pub span: Span,
}

/// A request header the middleware sets to a value read from the environment
/// (`requestHeaders.set('x-internal-token', process.env.SECRET)`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StampedHeader {
    /// The header name, lower-cased (header names are case-insensitive).
    pub name: String,
    /// The environment variable whose value is stamped, when it is named.
    pub env: Option<String>,
    /// Set only under a condition (inside an `if`, a ternary, `&&`).
    pub conditional: bool,
    pub span: Span,
}

/// What a middleware file does beyond its export.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extras {
    /// Every call of a function named or imported as `authMiddleware`: (local name, span).
    pub auth_middleware_calls: Vec<(String, Span)>,
    pub stamped_headers: Vec<StampedHeader>,
    /// The first `headers` key of a `NextResponse.next({ … })` call that may pass the
    /// request's headers on as response headers (CVE-2025-57822).
    pub next_response_headers: Option<Span>,
}

/// `NextResponse.next({ headers })`: the `headers` key of the call's object when its value may
/// carry the request's headers — a shorthand, or any value but an object literal that names no
/// `headers`. `{ request: { headers } }` is the documented way to forward request headers, and
/// fixed response headers (`{ headers: { 'x-frame-options': 'DENY' } }`) carry none.
fn next_response_headers(call: Node<'_>, src: &str) -> Option<Span> {
    let text = |n: Node<'_>| src.get(n.byte_range()).unwrap_or("");
    let f = strip(call.field("function")?);
    if f.kind_str() != "member_expression"
        || text(f.field("object")?) != "NextResponse"
        || text(f.field("property")?) != "next"
    {
        return None;
    }
    let arg = strip(call.field("arguments")?.named_child(0)?);
    if arg.kind_str() != "object" {
        return None;
    }
    let mut cursor = arg.walk();
    arg.named_children(&mut cursor)
        .find_map(|item| match item.kind_str() {
            "shorthand_property_identifier" if text(item) == "headers" => Some(span(item)),
            "pair" => {
                let key = item.field("key")?;
                let name = super::code::string_value(src, key).unwrap_or_else(|| text(key).into());
                let value = item.field("value").map(strip);
                (name == "headers"
                    && value
                        .is_none_or(|v| v.kind_str() != "object" || text(v).contains("headers")))
                .then(|| span(key))
            }
            _ => None,
        })
}

/// Most nodes one walk over a middleware file visits (deep or huge files stop early).
const MAX_NODES: usize = 200_000;
/// Most module-level bindings one search for the Clerk middleware follows.
const MAX_FOLLOWED: usize = 16;

/// Analyse the middleware export of a file.
pub fn analyse(root: Node<'_>, src: &str, facts: &CodeFacts, export: &Binding) -> MiddlewareKind {
    let cx = Cx { src, facts, root };
    cx.kind_of(export, 0)
}

/// Find every `authMiddleware` call and every header stamped with an environment value
/// (iterative walk, bounded by [`MAX_NODES`]).
pub fn extras(root: Node<'_>, src: &str, facts: &CodeFacts) -> Extras {
    let text = |n: Node<'_>| &src[n.byte_range()];
    let mut out = Extras::default();
    let mut cursor = root.walk();
    let mut visited = 0usize;
    loop {
        let n = cursor.node();
        visited += 1;
        if n.kind_str() == "call_expression"
            && let Some(f) = n.field("function").map(strip)
        {
            if f.kind_str() == "identifier" {
                let local = text(f);
                let imported = facts
                    .imports
                    .get(local)
                    .map(|i| i.imported.as_str())
                    .unwrap_or(local);
                if imported == "authMiddleware" {
                    out.auth_middleware_calls.push((local.to_string(), span(n)));
                }
            } else if f.kind_str() == "member_expression"
                && let (Some(obj), Some(prop)) = (
                    f.field("object"),
                    f.field("property"),
                )
                && matches!(text(prop), "set" | "append")
                // A `Headers` variable (`requestHeaders.set`), not `res.headers.set` (a
                // response header, which no handler sees).
                && obj.kind_str() == "identifier"
                && text(obj).to_ascii_lowercase().contains("header")
                && let Some(args) = n.field("arguments")
                && let (Some(name), Some(value)) = (args.named_child(0), args.named_child(1))
                && let Some(name) = super::code::string_value(src, strip(name))
                && let Some(env) = env_read(text(value))
            {
                out.stamped_headers.push(StampedHeader {
                    name: name.to_ascii_lowercase(),
                    env,
                    conditional: is_conditional(n),
                    span: span(n),
                });
            }
        }
        if out.next_response_headers.is_none() && n.kind_str() == "call_expression" {
            out.next_response_headers = next_response_headers(n, src);
        }
        // `NextResponse.next({ request: { headers: { 'x-internal-token': process.env.S } } })`,
        // `new Headers({ 'x-internal-token': process.env.S })`.
        if n.kind_str() == "pair"
            && let (Some(k), Some(v)) = (n.field("key"), n.field("value"))
            && let Some(env) = env_read(text(v))
            && in_headers_object(n, src)
        {
            let name = super::code::string_value(src, k).unwrap_or_else(|| text(k).to_string());
            out.stamped_headers.push(StampedHeader {
                name: name.to_ascii_lowercase(),
                env,
                conditional: is_conditional(n),
                span: span(n),
            });
        }
        if visited < MAX_NODES && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

/// `process.env.NAME` (`Some(Some(NAME))`), another `process.env` read (`Some(None)`), or no
/// environment read (`None`).
fn env_read(value: &str) -> Option<Option<String>> {
    let at = value.find("process.env")?;
    let rest = &value[at + "process.env".len()..];
    let name: String = rest
        .strip_prefix('.')
        .map(|r| {
            r.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .unwrap_or_default();
    Some((!name.is_empty()).then_some(name))
}

/// Whether an object pair sits in a request-headers object: `request: { headers: {…} }` of
/// `NextResponse.next(…)`, or the argument of `new Headers(…)`.
fn in_headers_object(pair: Node<'_>, src: &str) -> bool {
    let Some(obj) = pair.parent().filter(|o| o.kind_str() == "object") else {
        return false;
    };
    let Some(holder) = obj.parent() else {
        return false;
    };
    match holder.kind_str() {
        // `request: { headers: {…} }` (request headers; `headers` alone are response headers).
        "pair" => {
            let key = |p: Node<'_>| {
                p.field("key")
                    .map(|k| src[k.byte_range()].trim_matches(['"', '\'']).to_string())
            };
            key(holder).as_deref() == Some("headers")
                && holder
                    .parent()
                    .and_then(|o| o.parent())
                    .filter(|p| p.kind_str() == "pair")
                    .and_then(key)
                    .as_deref()
                    == Some("request")
        }
        "arguments" => holder.parent().is_some_and(|c| {
            c.kind_str() == "new_expression"
                && c.field("constructor")
                    .is_some_and(|f| &src[f.byte_range()] == "Headers")
        }),
        _ => false,
    }
}

/// Whether a node runs only under a condition of its enclosing function.
fn is_conditional(n: Node<'_>) -> bool {
    let mut cur = n.parent();
    let mut steps = 0;
    while let Some(p) = cur {
        steps += 1;
        if steps > 256 || super::code::is_function_kind(p.kind_str()) {
            return false;
        }
        match p.kind_str() {
            "if_statement" | "ternary_expression" | "switch_statement" | "catch_clause" => {
                return true;
            }
            "binary_expression"
                if p.field("operator")
                    .is_some_and(|o| matches!(o.kind_str(), "&&" | "||" | "??")) =>
            {
                return true;
            }
            _ => {}
        }
        cur = p.parent();
    }
    false
}

struct Cx<'a, 't> {
    src: &'a str,
    facts: &'a CodeFacts,
    root: Node<'t>,
}

impl<'a, 't> Cx<'a, 't> {
    fn text(&self, n: Node<'_>) -> &'a str {
        &self.src[n.byte_range()]
    }

    fn node_at(&self, s: Span) -> Option<Node<'t>> {
        crate::parse::node_with_range(self.root, s.start, s.end)
    }

    /// Which Clerk middleware factory a local name is (`clerkMiddleware`/`authMiddleware`).
    fn factory(&self, local: &str) -> Option<&'static str> {
        let imported = self
            .facts
            .imports
            .get(local)
            .map(|i| i.imported.as_str())
            .unwrap_or(local);
        match imported {
            "clerkMiddleware" => Some("clerkMiddleware"),
            "authMiddleware" => Some("authMiddleware"),
            _ => match local {
                "clerkMiddleware" => Some("clerkMiddleware"),
                "authMiddleware" => Some("authMiddleware"),
                _ => None,
            },
        }
    }

    fn kind_of(&self, b: &Binding, depth: usize) -> MiddlewareKind {
        let other = |what: &str, span: Span| MiddlewareKind::Other {
            span,
            what: what.to_string(),
        };
        if depth > 6 {
            return other("a chain of wrappers too deep to follow", Span::new(0, 0));
        }
        match b {
            Binding::Call { callee, span, .. } => {
                if let Some(call) = self.node_at(*span)
                    && let Some(k) = self.search(call, None)
                {
                    return k;
                }
                other(&format!("`{}(…)`", callee.join(".")), *span)
            }
            Binding::Identifier { name } => {
                if let Some(next) = self.facts.bindings.get(name) {
                    return self.kind_of(next, depth + 1);
                }
                if self.factory(name) == Some("clerkMiddleware") {
                    // `export default clerkMiddleware`: no callback, protects nothing.
                    return MiddlewareKind::Clerk {
                        callee: name.clone(),
                        span: Span::new(0, 0),
                        has_callback: false,
                        program: Some(Vec::new()),
                        unknown: None,
                        local_matchers: Vec::new(),
                    };
                }
                other(&format!("`{name}`"), Span::new(0, 0))
            }
            Binding::Function { index } => {
                // `export function proxy(req, ev) { return clerk(req, ev) }`,
                // `export default (req, ev) => authMiddleware({…})(req, ev)`.
                let Some(f) = self.facts.function(*index) else {
                    return other("a function", Span::new(0, 0));
                };
                if let Some(node) = self.node_at(f.range)
                    && let Some(k) = self.search(node, Some(node))
                {
                    return k;
                }
                other("a custom middleware function", f.span)
            }
            Binding::Other | Binding::Chain { .. } | Binding::Object { .. } => {
                other("an expression", Span::new(0, 0))
            }
        }
    }

    /// Search an expression (and the module-level bindings it names) for the call that builds
    /// Clerk's middleware: the direct form, a wrapper (`withSentry(clerkMiddleware(…))`,
    /// `chain([withClerk])`), or a function that builds and calls it. When `wrapper` is the
    /// exported function and the call sits in its own body, the wrapper's early returns before
    /// the call are kept in front of the callback's program.
    fn search(&self, start: Node<'t>, wrapper: Option<Node<'t>>) -> Option<MiddlewareKind> {
        let mut stack = vec![start];
        let mut followed: Vec<&str> = Vec::new();
        let mut visited = 0usize;
        while let Some(n) = stack.pop() {
            visited += 1;
            if visited > MAX_NODES {
                break;
            }
            if n.kind_str() == "call_expression"
                && let Some(f) = n.field("function").map(strip)
                && f.kind_str() == "identifier"
                && let Some(which) = self.factory(self.text(f))
            {
                let local = self.text(f).to_string();
                let kind = if which == "authMiddleware" && !self.first_arg_is_callback(n) {
                    self.auth_middleware(local, span(n))
                } else {
                    // `authMiddleware` called with a callback is a project alias of
                    // `clerkMiddleware` (the project model checks which it is).
                    self.clerk(local, n)
                };
                return Some(match wrapper {
                    Some(w) if enclosing_function(n) == Some(w.id()) => {
                        self.with_prelude(w, n, kind)
                    }
                    _ => kind,
                });
            }
            if n.kind_str() == "identifier" && followed.len() < MAX_FOLLOWED {
                let name = self.text(n);
                if !followed.contains(&name) {
                    followed.push(name);
                    let mut target = self.facts.bindings.get(name);
                    for _ in 0..8 {
                        match target {
                            Some(Binding::Identifier { name }) => {
                                target = self.facts.bindings.get(name)
                            }
                            _ => break,
                        }
                    }
                    let at = match target {
                        Some(Binding::Function { index }) => {
                            self.facts.function(*index).map(|f| f.range)
                        }
                        Some(Binding::Call { span, .. }) => Some(*span),
                        _ => None,
                    };
                    if let Some(node) = at.and_then(|s| self.node_at(s))
                        && node.id() != start.id()
                    {
                        stack.push(node);
                    }
                }
            }
            let mut c = n.walk();
            let kids: Vec<Node<'t>> = n.children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        }
        None
    }

    fn first_arg_is_callback(&self, call: Node<'_>) -> bool {
        let Some(arg) = call
            .field("arguments")
            .and_then(|a| a.named_child(0))
            .map(strip)
        else {
            return false;
        };
        super::code::is_function_kind(arg.kind_str())
            || (arg.kind_str() == "identifier"
                && self.facts.local_function(self.text(arg)).is_some())
    }

    /// Put the wrapper's own steps before the delegation in front of the Clerk program:
    /// `if (isPublicPath) return NextResponse.next(); return clerkMiddleware(cb)(req, ev)`.
    fn with_prelude(
        &self,
        wrapper: Node<'_>,
        call: Node<'_>,
        kind: MiddlewareKind,
    ) -> MiddlewareKind {
        let MiddlewareKind::Clerk {
            callee,
            span,
            has_callback,
            program,
            unknown,
            local_matchers,
        } = kind
        else {
            return kind;
        };
        let Some(body) = wrapper.field("body") else {
            return MiddlewareKind::Clerk {
                callee,
                span,
                has_callback,
                program,
                unknown,
                local_matchers,
            };
        };
        let mut p = Program::new(self, "\u{0}".into(), Vec::new());
        p.stop = Some((call.start_byte(), call.end_byte()));
        if body.kind_str() == "statement_block" {
            p.block(body, None);
        }
        let delegated = p.stopped.clone().unwrap_or(None);
        let prelude_exits = !p.ops.is_empty();
        let program = match (program, p.unknown) {
            (Some(ops), None) => {
                let mut all = p.ops;
                all.extend(ops.into_iter().map(|op| match op {
                    Op::Protect { when, span, how } => Op::Protect {
                        when: and(delegated.clone(), when),
                        span,
                        how,
                    },
                    Op::Exit { when, span } => Op::Exit {
                        when: and(delegated.clone(), when),
                        span,
                    },
                }));
                Some(all)
            }
            (program, _) => program,
        };
        MiddlewareKind::Clerk {
            callee,
            span,
            // A wrapper that returns early makes an empty callback meaningful.
            has_callback: has_callback || prelude_exits,
            program,
            unknown,
            local_matchers: {
                let mut l = local_matchers;
                l.extend(p.local_matchers);
                l
            },
        }
    }

    /// `clerkMiddleware(callback?, options?)` at `call`.
    fn clerk(&self, callee: String, call: Node<'_>) -> MiddlewareKind {
        let span = span(call);
        let first = call
            .field("arguments")
            .and_then(|a| a.named_child(0))
            .map(strip);
        let done = |program: Option<Vec<Op>>, unknown: Option<String>, has_callback: bool| {
            MiddlewareKind::Clerk {
                callee: callee.clone(),
                span,
                has_callback,
                program,
                unknown,
                local_matchers: Vec::new(),
            }
        };
        let Some(first) = first else {
            return done(Some(Vec::new()), None, false);
        };
        let callback = if super::code::is_function_kind(first.kind_str()) {
            Some(first)
        } else if first.kind_str() == "identifier" {
            self.facts
                .local_function(self.text(first))
                .and_then(|i| self.facts.function(i))
                .and_then(|f| self.node_at(f.range))
        } else {
            None
        };
        let Some(f) = callback else {
            if first.kind_str() == "object" {
                // `clerkMiddleware({ … options })`: no callback.
                return done(Some(Vec::new()), None, false);
            }
            return done(
                None,
                Some("its callback is not a function defined in this file".into()),
                true,
            );
        };
        let auth_param = self
            .param_names(f)
            .first()
            .cloned()
            .unwrap_or_else(|| "auth".into());
        let mut p = Program::new(self, auth_param, Vec::new());
        if let Some(body) = f.field("body") {
            if body.kind_str() == "statement_block" {
                p.block(body, None);
            } else {
                p.expression(body, None);
            }
        }
        MiddlewareKind::Clerk {
            callee,
            span,
            has_callback: true,
            program: p.unknown.is_none().then(|| p.ops.clone()),
            unknown: p.unknown,
            local_matchers: p.local_matchers,
        }
    }

    fn auth_middleware(&self, callee: String, span: Span) -> MiddlewareKind {
        let mut public_routes = None;
        let mut public_from_request = None;
        let mut ignored_routes = None;
        let mut after_auth = None;
        if let Some(call) = self.node_at(span)
            && let Some(args) = call.field("arguments")
            && let Some(opts) = args.named_child(0).map(strip)
            && opts.kind_str() == "object"
        {
            let mut cursor = opts.walk();
            for pair in opts.named_children(&mut cursor) {
                let (key, value) = match pair.kind_str() {
                    "pair" => (pair.field("key"), pair.field("value")),
                    "method_definition" => (pair.field("name"), Some(pair)),
                    _ => continue,
                };
                let (Some(k), Some(v)) = (key, value) else {
                    continue;
                };
                match self.text(k).trim_matches(['"', '\'']) {
                    "publicRoutes" => {
                        let t = self.text(v);
                        if ["pathname", "nextUrl"].iter().any(|w| mentions(t, w))
                            || t.contains("req.url")
                            || t.contains("request.url")
                        {
                            public_from_request = Some(super::code::span(v));
                        }
                        public_routes = Some(self.list(strip(v)))
                    }
                    "ignoredRoutes" => ignored_routes = Some(self.list(strip(v))),
                    "afterAuth" => {
                        let f = strip(v);
                        let program = if matches!(
                            f.kind_str(),
                            "arrow_function"
                                | "function_expression"
                                | "function"
                                | "method_definition"
                        ) {
                            let auth = self
                                .param_names(f)
                                .first()
                                .cloned()
                                .unwrap_or_else(|| "auth".into());
                            let mut p = Program::new(
                                self,
                                auth.clone(),
                                vec![format!("{auth}.userId"), format!("{auth}.sessionId")],
                            );
                            if let Some(body) = f.field("body") {
                                p.block(body, None);
                            }
                            p.unknown.is_none().then_some(p.ops)
                        } else {
                            None
                        };
                        after_auth = Some(program);
                    }
                    _ => {}
                }
            }
        }
        MiddlewareKind::Auth {
            callee,
            span,
            public_routes,
            public_from_request,
            ignored_routes,
            after_auth,
        }
    }

    fn param_names(&self, f: Node<'_>) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = f.field("parameter") {
            out.push(self.text(p).to_string());
        }
        if let Some(ps) = f.field("parameters") {
            let mut c = ps.walk();
            for p in ps.named_children(&mut c) {
                let t = match p.kind_str() {
                    "required_parameter" | "optional_parameter" => p.field("pattern"),
                    _ => Some(p),
                };
                if let Some(t) = t {
                    out.push(self.text(t).to_string());
                }
            }
        }
        out
    }
    fn list(&self, v: Node<'_>) -> PatternList {
        Patterns {
            src: self.src,
            lists: &self.facts.pattern_lists,
        }
        .arg(v)
    }
}

struct Program<'c, 'a, 't> {
    cx: &'c Cx<'a, 't>,
    /// The callback's `auth` parameter name.
    auth: String,
    /// Names (or dotted paths) holding session state (`userId`, `auth.userId`).
    session_vars: Vec<String>,
    pathname_vars: Vec<String>,
    /// Names holding a value the client controls (`const hasJwt = req.cookies.has('jwt')`).
    untrusted_vars: Vec<String>,
    ops: Vec<Op>,
    unknown: Option<String>,
    local_matchers: Vec<LocalMatcher>,
    /// Stop at the statement holding this byte range (a wrapper's delegation to Clerk).
    stop: Option<(usize, usize)>,
    /// The condition under which the walk reached `stop`.
    stopped: Option<Option<Cond>>,
    /// Statement nesting, bounded by [`MAX_NESTING`].
    depth: usize,
}

/// Deepest statement or condition nesting the callback reader follows.
const MAX_NESTING: usize = 64;

/// The function (its node id) a node belongs to.
fn enclosing_function(n: Node<'_>) -> Option<usize> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if super::code::is_function_kind(p.kind_str()) {
            return Some(p.id());
        }
        cur = p.parent();
    }
    None
}

impl<'c, 'a, 't> Program<'c, 'a, 't> {
    fn new(cx: &'c Cx<'a, 't>, auth: String, session_vars: Vec<String>) -> Self {
        Program {
            cx,
            auth,
            session_vars,
            pathname_vars: vec!["pathname".into()],
            untrusted_vars: Vec::new(),
            ops: Vec::new(),
            unknown: None,
            local_matchers: Vec::new(),
            stop: None,
            stopped: None,
            depth: 0,
        }
    }
}

impl Program<'_, '_, '_> {
    fn text(&self, n: Node<'_>) -> &str {
        self.cx.text(n)
    }

    fn block(&mut self, block: Node<'_>, when: Option<Cond>) {
        let Some(_depth) = super::depth::Guard::enter() else {
            self.unknown = Some("its callback nests too deeply to follow".into());
            return;
        };
        if block.kind_str() != "statement_block" {
            self.statement(block, when);
            return;
        }
        let mut c = block.walk();
        let stmts: Vec<Node<'_>> = block.named_children(&mut c).collect();
        for s in stmts {
            self.statement(s, when.clone());
        }
    }

    fn statement(&mut self, s: Node<'_>, when: Option<Cond>) {
        if self.stopped.is_some() {
            return;
        }
        if self.depth >= MAX_NESTING {
            self.unknown
                .get_or_insert_with(|| "it nests statements too deeply to follow".into());
            return;
        }
        if let Some((start, end)) = self.stop
            && s.start_byte() <= start
            && end <= s.end_byte()
            && !matches!(
                s.kind_str(),
                "if_statement" | "statement_block" | "try_statement"
            )
        {
            self.stopped = Some(when);
            return;
        }
        self.depth += 1;
        self.statement_inner(s, when);
        self.depth -= 1;
    }

    fn statement_inner(&mut self, s: Node<'_>, when: Option<Cond>) {
        match s.kind_str() {
            "expression_statement" => {
                if let Some(e) = s.named_child(0) {
                    self.expression(e, when);
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = s.walk();
                for d in s.named_children(&mut c) {
                    if d.kind_str() != "variable_declarator" {
                        continue;
                    }
                    let (Some(name), Some(value)) = (d.field("name"), d.field("value")) else {
                        continue;
                    };
                    let v = strip(value);
                    let vt = self.text(v).to_string();
                    if v.kind_str() == "call_expression"
                        && let Some(f) = v.field("function")
                        && self.text(f) == "createRouteMatcher"
                        && name.kind_str() == "identifier"
                    {
                        let arg = v.field("arguments").and_then(|a| a.named_child(0));
                        let patterns = arg.map(|a| self.cx.list(strip(a)));
                        let from_request = arg.is_some_and(|a| self.built_from_request(a));
                        if let Some(patterns) = patterns {
                            self.local_matchers.push(LocalMatcher {
                                name: self.text(name).to_string(),
                                patterns,
                                from_request,
                                span: span(v),
                            });
                        }
                        continue;
                    }
                    if name.kind_str() == "identifier" && self.is_untrusted(v) {
                        self.untrusted_vars.push(self.text(name).to_string());
                        continue;
                    }
                    if self.is_protect_call(v) {
                        self.ops.push(Op::Protect {
                            when: when.clone(),
                            span: span(v),
                            how: compact(&vt),
                        });
                        continue;
                    }
                    if vt.starts_with(&format!("{}(", self.auth))
                        || vt == format!("{}()", self.auth)
                    {
                        // `const { userId, redirectToSignIn } = await auth()`
                        match name.kind_str() {
                            "identifier" => {
                                let n = self.text(name).to_string();
                                self.session_vars.push(format!("{n}.userId"));
                                self.session_vars.push(format!("{n}.isAuthenticated"));
                                self.session_vars.push(format!("{n}.sessionId"));
                            }
                            "object_pattern" => {
                                let t = self.text(name).to_string();
                                for key in ["userId", "isAuthenticated", "sessionId"] {
                                    if t.contains(key) {
                                        self.session_vars.push(key.to_string());
                                    }
                                }
                            }
                            _ => {}
                        }
                        continue;
                    }
                    if vt.ends_with(".pathname") || vt.ends_with("nextUrl") {
                        let t = self.text(name);
                        if name.kind_str() == "identifier" {
                            self.pathname_vars.push(t.to_string());
                        } else if t.contains("pathname") {
                            self.pathname_vars.push("pathname".into());
                        }
                    }
                }
            }
            "if_statement" => self.if_statement(s, when),
            "return_statement" => {
                if let Some(e) = s.named_child(0) {
                    if self.protects(e) || (signed_out(when.as_ref()) && self.blocks(e)) {
                        self.ops.push(Op::Protect {
                            when,
                            span: span(s),
                            how: compact(self.text(e)),
                        });
                        return;
                    }
                    // `return NextResponse.next()` etc.: the request goes through.
                    self.expression(e, when.clone());
                }
                self.ops.push(Op::Exit {
                    when,
                    span: span(s),
                });
            }
            "try_statement" => {
                if let Some(body) = s.field("body") {
                    self.block(body, when);
                }
            }
            "statement_block" => self.block(s, when),
            "throw_statement" => self.ops.push(Op::Protect {
                when,
                span: span(s),
                how: "throws".into(),
            }),
            "comment" | "empty_statement" => {}
            _ => {}
        }
    }

    fn expression(&mut self, e: Node<'_>, when: Option<Cond>) {
        let Some(_depth) = super::depth::Guard::enter() else {
            self.unknown = Some("its callback nests too deeply to follow".into());
            return;
        };
        let e = strip(e);
        if self.protects(e) {
            self.ops.push(Op::Protect {
                when,
                span: span(e),
                how: compact(self.text(e)),
            });
            return;
        }
        if e.kind_str() == "ternary_expression" {
            let (Some(c), Some(a), Some(b)) = (
                e.field("condition"),
                e.field("consequence"),
                e.field("alternative"),
            ) else {
                return;
            };
            let cond = self.cond(c);
            self.expression(a, and(when.clone(), cond.clone()));
            self.expression(b, and(when.clone(), not(cond)));
        }
        // `isProtected(req) && await auth.protect()`
        if e.kind_str() == "binary_expression"
            && e.field("operator").is_some_and(|o| self.text(o) == "&&")
            && let (Some(l), Some(r)) = (e.field("left"), e.field("right"))
            && self.protects(strip(r))
        {
            let cond = self.cond(l);
            self.ops.push(Op::Protect {
                when: and(when, cond),
                span: span(e),
                how: compact(self.text(r)),
            });
        }
    }

    fn if_statement(&mut self, s: Node<'_>, when: Option<Cond>) {
        let Some(c) = s.field("condition") else {
            return;
        };
        let cond = self.cond(c);
        if let Some(then) = s.field("consequence") {
            self.block(then, and(when.clone(), cond.clone()));
        }
        if let Some(alt) = s.field("alternative") {
            let mut cur = alt.walk();
            let inner: Vec<Node<'_>> = alt.named_children(&mut cur).collect();
            for i in inner {
                self.statement(i, and(when.clone(), not(cond.clone())));
            }
        }
    }

    /// Whether evaluating this expression protects (for a signed-out request).
    fn protects(&self, e: Node<'_>) -> bool {
        let e = strip(e);
        if self.is_protect_call(e) {
            return true;
        }
        let t = self.text(e);
        if e.kind_str() == "call_expression" {
            let callee = e.field("function").map(|f| self.text(f)).unwrap_or("");
            if callee.ends_with("redirectToSignIn") || callee.ends_with("redirectToSignUp") {
                return true;
            }
            // `NextResponse.redirect(new URL('/sign-in', req.url))`
            if callee.ends_with(".redirect") || callee == "redirect" {
                let lower = t.to_ascii_lowercase();
                return lower.contains("sign-in")
                    || lower.contains("signin")
                    || lower.contains("login");
            }
            // `NextResponse.json({…}, { status: 401 })`, `new Response(…, { status: 403 })`
            return t.contains("status: 401")
                || t.contains("status: 403")
                || t.contains("status:401");
        }
        if e.kind_str() == "new_expression" {
            return t.contains("401") || t.contains("403");
        }
        false
    }

    fn is_protect_call(&self, e: Node<'_>) -> bool {
        let e = strip(e);
        if e.kind_str() != "call_expression" {
            return false;
        }
        let Some(f) = e.field("function") else {
            return false;
        };
        let f = strip(f);
        if f.kind_str() != "member_expression" {
            return false;
        }
        let (Some(obj), Some(prop)) = (f.field("object"), f.field("property")) else {
            return false;
        };
        if self.text(prop) != "protect" {
            return false;
        }
        let o = strip(obj);
        let ot = self.text(o);
        ot == self.auth || ot.starts_with(&format!("{}(", self.auth))
    }

    fn cond(&mut self, c: Node<'_>) -> Option<Cond> {
        let Some(_depth) = super::depth::Guard::enter() else {
            return Some(Cond::Unknown {
                text: "(nested too deeply)".into(),
            });
        };
        let c = strip(c);
        if self.depth >= MAX_NESTING {
            return Some(Cond::Unknown {
                text: compact(self.text(c)),
            });
        }
        let logical = c.kind_str() == "unary_expression"
            || (c.kind_str() == "binary_expression"
                && c.field("operator")
                    .is_some_and(|o| matches!(self.text(o), "&&" | "||")));
        if !logical && self.is_untrusted(c) {
            return Some(Cond::Untrusted {
                text: compact(self.text(c)),
            });
        }
        self.depth += 1;
        let out = self.cond_inner(c);
        self.depth -= 1;
        out
    }

    /// Whether an expression reads a request cookie, header or query parameter without
    /// comparing it with a secret (`req.cookies.has('jwt')`, `req.headers.get('x') === '1'`).
    fn is_untrusted(&self, n: Node<'_>) -> bool {
        let n = strip(n);
        let t = self.text(n);
        if n.kind_str() == "identifier" {
            return self.untrusted_vars.iter().any(|v| v == t);
        }
        if !reads_request_input(t) && !self.untrusted_vars.iter().any(|v| mentions(t, v)) {
            return false;
        }
        if t.contains("process.env") || t.to_ascii_lowercase().contains("verify") {
            return false;
        }
        // A comparison counts only against a literal: `=== secret` may be a shared secret.
        if n.kind_str() == "binary_expression"
            && let (Some(l), Some(r)) = (n.field("left"), n.field("right"))
        {
            let literal = |x: Node<'_>| {
                matches!(
                    strip(x).kind_str(),
                    "string"
                        | "number"
                        | "true"
                        | "false"
                        | "null"
                        | "undefined"
                        | "template_string"
                ) && !self.text(x).contains("${")
            };
            return literal(l) || literal(r);
        }
        matches!(
            n.kind_str(),
            "call_expression" | "member_expression" | "subscript_expression" | "unary_expression"
        )
    }

    /// Whether the argument of `createRouteMatcher` is built from the request
    /// (`[req.nextUrl.pathname]`, `[pathname]`).
    fn built_from_request(&self, arg: Node<'_>) -> bool {
        let t = self.text(arg);
        t.contains("nextUrl")
            || t.contains(".url")
            || self.pathname_vars.iter().any(|v| mentions(t, v))
    }

    /// Whether returning this expression answers the request itself instead of passing it
    /// on: a redirect or rewrite, or an error response.
    fn blocks(&self, e: Node<'_>) -> bool {
        let e = strip(e);
        let t = self.text(e);
        match e.kind_str() {
            "call_expression" => {
                let callee = e.field("function").map(|f| self.text(f)).unwrap_or("");
                callee.ends_with(".redirect")
                    || callee == "redirect"
                    || callee.ends_with("redirectToSignIn")
                    || crate::facts::code::is_error_response(t)
            }
            "new_expression" => crate::facts::code::is_error_response(t),
            _ => false,
        }
    }

    fn cond_inner(&mut self, c: Node<'_>) -> Option<Cond> {
        let t = self.text(c).to_string();

        match c.kind_str() {
            "unary_expression" if c.field("operator").is_some_and(|o| self.text(o) == "!") => {
                let inner = c.field("argument").and_then(|a| self.cond(a));
                not(inner)
            }
            "binary_expression" => {
                let op = c
                    .field("operator")
                    .map(|o| self.text(o).to_string())
                    .unwrap_or_default();
                let (Some(l), Some(r)) = (c.field("left"), c.field("right")) else {
                    return Some(Cond::Unknown { text: compact(&t) });
                };
                match op.as_str() {
                    "&&" => {
                        let (a, b) = (self.cond(l), self.cond(r));
                        and(a, b)
                    }
                    "||" => {
                        let (a, b) = (self.cond(l), self.cond(r));
                        Some(Cond::Or {
                            any: vec![
                                a.unwrap_or(Cond::Unknown {
                                    text: String::new(),
                                }),
                                b.unwrap_or(Cond::Unknown {
                                    text: String::new(),
                                }),
                            ],
                        })
                    }
                    "===" | "==" | "!==" | "!=" => {
                        let eq = op.starts_with('=');
                        let path = [l, r].into_iter().find_map(|n| self.string(n));
                        let other_is_path = [l, r].into_iter().any(|n| self.is_pathname(n));
                        let nullish = [l, r]
                            .into_iter()
                            .any(|n| matches!(self.text(n), "null" | "undefined"));
                        let session = [l, r].into_iter().any(|n| self.is_session(n));
                        if let (Some(path), true) = (path, other_is_path) {
                            let cond = Cond::PathEq { path };
                            if eq { Some(cond) } else { not(Some(cond)) }
                        } else if nullish && session {
                            Some(if eq { Cond::SignedOut } else { Cond::SignedIn })
                        } else {
                            Some(Cond::Unknown { text: compact(&t) })
                        }
                    }
                    _ => Some(Cond::Unknown { text: compact(&t) }),
                }
            }
            "call_expression" => {
                let f = c.field("function").map(strip);
                match f {
                    Some(f) if f.kind_str() == "identifier" => Some(Cond::Matcher {
                        name: self.text(f).to_string(),
                    }),
                    Some(f) if f.kind_str() == "member_expression" => {
                        let prop = f.field("property").map(|p| self.text(p)).unwrap_or("");
                        let obj = f.field("object");
                        let arg = c
                            .field("arguments")
                            .and_then(|a| a.named_child(0))
                            .and_then(|a| self.string(a));
                        match (prop, obj, arg) {
                            ("startsWith", Some(o), Some(prefix)) if self.is_pathname(o) => {
                                Some(Cond::PathPrefix { prefix })
                            }
                            _ => Some(Cond::Unknown { text: compact(&t) }),
                        }
                    }
                    _ => Some(Cond::Unknown { text: compact(&t) }),
                }
            }
            _ => {
                if self.is_session(c) {
                    Some(Cond::SignedIn)
                } else if t.ends_with("isPublicRoute") {
                    Some(Cond::PublicRoute)
                } else {
                    Some(Cond::Unknown { text: compact(&t) })
                }
            }
        }
    }

    fn string(&self, n: Node<'_>) -> Option<String> {
        let n = strip(n);
        if n.kind_str() == "string" {
            let t = self.text(n);
            return Some(t[1..t.len().saturating_sub(1).max(1)].to_string());
        }
        None
    }

    fn is_pathname(&self, n: Node<'_>) -> bool {
        let t = self.text(strip(n));
        t.ends_with(".pathname") || self.pathname_vars.iter().any(|v| v == t)
    }

    fn is_session(&self, n: Node<'_>) -> bool {
        let t = self.text(strip(n)).replace("?.", ".");
        self.session_vars.contains(&t)
            || t.ends_with("().userId")
            || t.ends_with(").userId")
            || t == format!("{}.userId", self.auth)
    }
}

/// Whether the text reads a request cookie, header or query parameter.
fn reads_request_input(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    [
        "cookies.get(",
        "cookies.has(",
        "cookies().get(",
        "cookies().has(",
        "cookies()).get(",
        "cookies()).has(",
        "headers.get(",
        "headers.has(",
        "headers().get(",
        "headers().has(",
        "headers()).get(",
        "headers()).has(",
        "searchParams.get(",
        "searchParams.has(",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// Whether `t` mentions the identifier `name` as a whole word.
fn mentions(t: &str, name: &str) -> bool {
    let bytes = t.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    t.match_indices(name).any(|(i, _)| {
        (i == 0 || !word(bytes[i - 1])) && bytes.get(i + name.len()).is_none_or(|b| !word(*b))
    })
}

/// Whether a condition says the request is signed out (`!userId`, `!userId && …`).
fn signed_out(when: Option<&Cond>) -> bool {
    match when {
        Some(Cond::SignedOut) => true,
        Some(Cond::Not { inner }) => matches!(inner.as_ref(), Cond::SignedIn),
        Some(Cond::And { all }) => all.iter().any(|c| signed_out(Some(c))),
        _ => false,
    }
}

fn and(a: Option<Cond>, b: Option<Cond>) -> Option<Cond> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => Some(Cond::And { all: vec![a, b] }),
    }
}

fn not(a: Option<Cond>) -> Option<Cond> {
    a.map(|c| match c {
        Cond::Not { inner } => *inner,
        other => Cond::Not {
            inner: Box::new(other),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Lang;

    fn facts_of(src: &str) -> (tree_sitter::Tree, CodeFacts) {
        let tree = crate::parse::parse(Lang::Ts, src).expect("parses");
        let imports = super::super::imports::scan_file(Lang::Ts, src);
        let facts = super::super::code::extract(&tree, src, &imports);
        (tree, facts)
    }

    fn kind_of(src: &str) -> MiddlewareKind {
        let (tree, facts) = facts_of(src);
        let export = facts.export("default").expect("default export").clone();
        analyse(tree.root_node(), src, &facts, &export.target)
    }

    fn program(k: &MiddlewareKind) -> &[Op] {
        match k {
            MiddlewareKind::Clerk {
                program: Some(ops), ..
            } => ops,
            other => panic!("not an understood Clerk middleware: {other:?}"),
        }
    }

    #[test]
    fn stamped_headers() {
        let src = r#"
import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
export default clerkMiddleware(async (auth, req) => {
  const requestHeaders = new Headers(req.headers)
  requestHeaders.set('X-Internal-Token', process.env.INTERNAL_SECRET)
  requestHeaders.set('x-frame-options', 'DENY')
  NextResponse.next().headers.set('x-response-only', process.env.RESPONSE_ONLY)
  if (req.nextUrl.pathname.startsWith('/api')) requestHeaders.append('x-api-key', process.env['API_KEY'])
  const forwarded = new Headers({ 'X-Service-Key': process.env.SERVICE_KEY, accept: 'json' })
  if (forwarded) NextResponse.next({ headers: { 'x-response-only': process.env.NOT_FORWARDED } })
  return NextResponse.next({ request: { headers: { 'x-tenant-secret': process.env.TENANT_SECRET } } })
})
"#;
        let (tree, facts) = facts_of(src);
        let x = extras(tree.root_node(), src, &facts);
        let got: Vec<(&str, Option<&str>, bool)> = x
            .stamped_headers
            .iter()
            .map(|h| (h.name.as_str(), h.env.as_deref(), h.conditional))
            .collect();
        assert_eq!(
            got,
            vec![
                ("x-internal-token", Some("INTERNAL_SECRET"), false),
                ("x-api-key", None, true),
                ("x-service-key", Some("SERVICE_KEY"), false),
                ("x-tenant-secret", Some("TENANT_SECRET"), false),
            ]
        );
    }

    #[test]
    fn wrappers_are_read_like_the_direct_form() {
        let arrow = kind_of(
            "import { authMiddleware } from '@clerk/nextjs/server'\n\
             export default (req, ev) => authMiddleware({ publicRoutes: ['/'] })(req, ev)\n",
        );
        assert!(matches!(
            arrow,
            MiddlewareKind::Auth {
                public_routes: Some(_),
                ..
            }
        ));
        let chained = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             const withClerk = (next) => (req, ev) => clerkMiddleware(async (auth) => { await auth.protect() })(req, ev)\n\
             export default chain([withClerk])\n",
        );
        assert_eq!(program(&chained).len(), 1);
        // The wrapper's own early return comes first.
        let prelude = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             export default function middleware(req, ev) {\n\
               if (req.nextUrl.pathname.startsWith('/health')) return new Response('ok')\n\
               return clerkMiddleware(async (auth) => { await auth.protect() })(req, ev)\n\
             }\n",
        );
        let ops = program(&prelude);
        assert!(
            matches!(&ops[0], Op::Exit { when: Some(Cond::PathPrefix { prefix }), .. } if prefix == "/health")
        );
        assert!(matches!(&ops[1], Op::Protect { when: None, .. }));
    }

    #[test]
    fn client_controlled_tests_are_untrusted() {
        let k = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               const hasJwt = req.cookies.has('jwt')\n\
               if (hasJwt) return NextResponse.next()\n\
               if (req.headers.get('x-key') === process.env.KEY) return NextResponse.next()\n\
               const { userId } = await auth()\n\
               if (!userId) return NextResponse.redirect(target)\n\
             })\n",
        );
        let ops = program(&k);
        assert!(matches!(
            &ops[0],
            Op::Exit {
                when: Some(Cond::Untrusted { .. }),
                ..
            }
        ));
        assert!(matches!(
            &ops[1],
            Op::Exit {
                when: Some(Cond::Unknown { .. }),
                ..
            }
        ));
        assert!(matches!(&ops[2], Op::Protect { when: Some(c), .. } if signed_out(Some(c))));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 3000;
        let mut src = String::from(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware(async (auth, req) => {\n",
        );
        for _ in 0..depth {
            src.push_str("if (a) {\n");
        }
        src.push_str("await auth.protect()\n");
        for _ in 0..depth {
            src.push_str("}\n");
        }
        src.push_str("if (");
        for _ in 0..depth {
            src.push_str("req.cookies.has('x') && ");
        }
        src.push_str("b) return NextResponse.next()\n})\n");
        let Some(tree) = crate::parse::parse(Lang::Ts, &src) else {
            return;
        };
        // Read the export without the rest of the fact extractor (hardened elsewhere).
        let root = tree.root_node();
        let at = src.find("clerkMiddleware(async").unwrap();
        let mut n = root.descendant_for_byte_range(at, at).unwrap();
        while n.kind_str() != "call_expression" {
            n = n.parent().unwrap();
        }
        let facts = CodeFacts::default();
        let export = Binding::Call {
            callee: vec!["clerkMiddleware".into()],
            args: Vec::new(),
            span: span(n),
        };
        let k = analyse(root, &src, &facts, &export);
        assert!(matches!(k, MiddlewareKind::Clerk { .. }));
        let _ = extras(root, &src, &facts);
    }
}
