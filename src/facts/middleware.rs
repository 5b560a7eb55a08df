//! What a middleware/proxy file does: which Clerk middleware it exports, and, for
//! `clerkMiddleware(callback)`, a small program of what the callback does for a signed-out
//! request (protect, or return early) under which path conditions.

use crate::parse::NodeFields;
use crate::parse::NodeKind;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::code::{Binding, CodeFacts, PatternList, Patterns, compact, span, strip};
use crate::finding::Span;
use std::cell::{Cell, RefCell};

mod claims;
mod follow;
mod path_fn;
use claims::SignedOutValue;
use follow::{Helper, Origin, Use};
use path_fn::PathFn;

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
    /// `pathname.includes('x')`.
    PathIncludes {
        part: String,
    },
    /// `pathname.endsWith('.x')`.
    PathSuffix {
        suffix: String,
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
    /// `/^\/api\//.test(pathname)`: a regular expression literal tested on the path.
    PathRegex {
        pattern: String,
        flags: String,
    },
    /// A test of the request path the analyzer cannot evaluate (`isOpen(pathname)` for a
    /// local function it cannot read): it may hold for any path, so
    /// an early return under it is not assumed untaken.
    PathTest {
        text: String,
    },
    /// The value a local function of the path gives (`const level = levelOf(pathname)`), read
    /// as its rules in order (the first that holds gives its value) and then its last
    /// `return`: `level === Level.PUBLIC` (`equals`), or the value's truthiness
    /// (`if (isOpen(pathname))`, `equals: None`).
    PathValue {
        /// The call, for messages (`levelOf(pathname)`).
        call: String,
        rules: Vec<PathRule>,
        /// What the function returns when no rule holds (`undefined` when it falls off).
        default: String,
        equals: Option<String>,
    },
}

/// One rule of a local function of the path: when `when` holds (and no earlier rule did),
/// it returns `value` (the constant's text: `'public'`, `Level.PUBLIC`, `true`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathRule {
    pub when: Cond,
    pub value: String,
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
        /// `auth.protect()` (the callback's `auth`) whose promise is neither awaited nor
        /// returned: from @clerk/nextjs v6 on it is async, so `clerkMiddleware` never sees
        /// its rejection and the request goes through.
        #[serde(default)]
        unawaited: bool,
    },
    /// Return (let the request through) when the condition holds, before any later protect.
    Exit {
        when: Option<Cond>,
        span: Span,
        /// It answers with an error or a redirect (`status: 503`), not the route: a signed-out
        /// request is not served there either.
        #[serde(default)]
        blocks: bool,
    },
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
    let cx = Cx {
        src,
        facts,
        root,
        steps: Cell::new(0),
        path_fns: RefCell::new(Vec::new()),
        path_rules: Cell::new(0),
    };
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
    /// Statements read so far, local helpers included (bounded by [`MAX_STEPS`]).
    steps: Cell<usize>,
    /// Local functions of the path already read: (function node id, parameter), reading.
    path_fns: RefCell<Vec<PathFnRead>>,
    /// Rules copied into the tests of such functions' values so far.
    path_rules: Cell<usize>,
}

/// A local function of the path, read (or not) for one of its parameters: ((function node
/// id, parameter), reading).
type PathFnRead = ((usize, usize), Option<PathFn>);

/// Most statements the reader of one middleware file visits, local helpers included (a
/// helper called from many places is read at each call).
const MAX_STEPS: usize = 50_000;

impl<'a, 't> Cx<'a, 't> {
    /// Count one statement read; `false` once the file has used up [`MAX_STEPS`].
    fn spend(&self) -> bool {
        let n = self.steps.get() + 1;
        self.steps.set(n);
        n <= MAX_STEPS
    }

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
            "withClerkMiddleware" => Some("withClerkMiddleware"),
            _ => match local {
                "clerkMiddleware" => Some("clerkMiddleware"),
                "authMiddleware" => Some("authMiddleware"),
                "withClerkMiddleware" => Some("withClerkMiddleware"),
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
        if let Some(req) = self.param_names(wrapper).first() {
            p.req = req.clone();
        }
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
                    Op::Protect {
                        when,
                        span,
                        how,
                        unawaited,
                    } => Op::Protect {
                        when: and(delegated.clone(), when),
                        span,
                        how,
                        unawaited,
                    },
                    Op::Exit { when, span, blocks } => Op::Exit {
                        when: and(delegated.clone(), when),
                        span,
                        blocks,
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
        // Clerk v4's `withClerkMiddleware((req, evt) => …)`: a plain Next.js middleware run
        // after Clerk authenticated the request, which reads the session with `getAuth(req)`;
        // that call stands where `clerkMiddleware`'s callback calls `auth()`.
        let v4 = self.factory(&callee) == Some("withClerkMiddleware");
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
        let params = self.param_names(f);
        let (auth_param, req) = if v4 {
            let get_auth = self
                .facts
                .imports
                .iter()
                .find(|(_, i)| i.imported == "getAuth" && i.source.starts_with("@clerk/"))
                .map(|(local, _)| local.clone())
                // Without an import no call reads the session: a name no code can call.
                .unwrap_or_else(|| "\u{0}getAuth".into());
            (get_auth, params.first())
        } else {
            (
                params.first().cloned().unwrap_or_else(|| "auth".into()),
                params.get(1),
            )
        };
        let mut p = Program::new(self, auth_param, Vec::new());
        if let Some(req) = req {
            p.req = req.clone();
        }
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
                            if let Some(req) = self.param_names(f).get(1) {
                                p.req = req.clone();
                            }
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
    /// The callback's request parameter name (`req`).
    req: String,
    /// Names (or dotted paths) holding session state (`userId`, `auth.userId`).
    session_vars: Vec<String>,
    /// Names bound to the session's claims (`const { sessionClaims } = await auth()`).
    claims_roots: Vec<String>,
    /// Names bound to a claim (`const role = sessionClaims?.metadata?.role`), with what
    /// they hold for a signed-out request.
    claim_vars: Vec<(String, SignedOutValue)>,
    /// Names bound to `auth()`'s `has`.
    has_vars: Vec<String>,
    /// Names a loop over a table of route matchers binds to one entry's matcher (`matcher`
    /// in `for (const { matcher } of matchers)`), with the name of the matcher that stands
    /// for every entry's (`matchers[].matcher`).
    loop_matchers: Vec<(String, String)>,
    pathname_vars: Vec<String>,
    /// Names holding a value the client controls (`const hasJwt = req.cookies.has('jwt')`).
    untrusted_vars: Vec<String>,
    /// `const` names bound to a condition (`const isApi = pathname.startsWith('/api')`).
    cond_vars: Vec<(String, Cond)>,
    /// `const` names bound to a local function of the path (`const level = levelOf(pathname)`).
    value_vars: Vec<(String, PathFn)>,
    /// Names bound to a response, latest binding last, with whether that response answers
    /// the request itself (`const res = NextResponse.redirect(signUp)`: a later `return res`
    /// refuses, as `return NextResponse.redirect(signUp)` does).
    response_vars: Vec<(String, bool)>,
    /// Names bound to a URL or a path (`const signIn = new URL('/sign-in', req.url)`), with
    /// what they are bound to: where a redirect to them goes.
    url_vars: Vec<(String, String)>,
    /// `const` names bound to a local helper's result (`const denied = await guard(req)`).
    helper_results: Vec<(String, Helper)>,
    ops: Vec<Op>,
    /// Where each op comes from (parallel to `ops`).
    origins: Vec<Origin>,
    unknown: Option<String>,
    local_matchers: Vec<LocalMatcher>,
    /// Stop at the statement holding this byte range (a wrapper's delegation to Clerk).
    stop: Option<(usize, usize)>,
    /// The condition under which the walk reached `stop`.
    stopped: Option<Option<Cond>>,
    /// Statement nesting, bounded by [`MAX_NESTING`].
    depth: usize,
    /// The function read runs only for a signed-out request (a helper called under
    /// `!userId`): a redirect or an error response it returns protects.
    signed_out_base: bool,
    /// The local helpers being read (function node ids), outermost first: bounds the depth
    /// and breaks cycles.
    inlining: Vec<usize>,
    /// Reading a local function of the path (see `path_fn`).
    in_path_fn: bool,
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
            req: "\u{0}".into(),
            session_vars,
            claims_roots: Vec::new(),
            claim_vars: Vec::new(),
            has_vars: Vec::new(),
            loop_matchers: Vec::new(),
            pathname_vars: vec!["pathname".into()],
            untrusted_vars: Vec::new(),
            cond_vars: Vec::new(),
            value_vars: Vec::new(),
            response_vars: Vec::new(),
            url_vars: Vec::new(),
            helper_results: Vec::new(),
            ops: Vec::new(),
            origins: Vec::new(),
            unknown: None,
            local_matchers: Vec::new(),
            stop: None,
            stopped: None,
            depth: 0,
            signed_out_base: false,
            inlining: Vec::new(),
            in_path_fn: false,
        }
    }
}

impl Program<'_, '_, '_> {
    fn text(&self, n: Node<'_>) -> &str {
        self.cx.text(n)
    }

    /// A step that protects wherever it runs (`auth.protect()`, `throw`).
    fn step(&mut self, op: Op) {
        self.ops.push(op);
        self.origins.push(Origin::Step);
    }

    /// A `return` of the function read; `falsy` when it returns nothing, `null`,
    /// `undefined` or `false`.
    fn ret(&mut self, op: Op, falsy: bool) {
        self.ops.push(op);
        self.origins.push(Origin::Return { falsy });
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
        if !self.cx.spend() {
            self.unknown.get_or_insert_with(|| {
                "it (with the local functions it calls) is too large to follow".into()
            });
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
        // `for (const { matcher, roles } of gates) { if (matcher(req) && …) return … }`: the
        // body read once, its matcher standing for every entry's (`gates[].matcher`).
        if s.kind_str() == "for_in_statement"
            && let Some(bindings) = self.matcher_table(s)
            && let Some(body) = s.field("body")
        {
            let before = self.loop_matchers.len();
            self.loop_matchers.extend(bindings);
            self.block(body, when);
            self.loop_matchers.truncate(before);
            return;
        }
        match s.kind_str() {
            "expression_statement" => {
                let Some(e) = s.named_child(0) else {
                    return;
                };
                let stripped = strip(e);
                if stripped.kind_str() == "assignment_expression"
                    && let (Some(l), Some(r)) = (stripped.field("left"), stripped.field("right"))
                {
                    // `authResult = await auth()` (declared earlier with `let`).
                    self.declare(l, r, when, false);
                    return;
                }
                // `await guard(auth, req)`: what the helper does, its result dropped.
                if let Some(h) = self.read_helper(stripped, when.as_ref()) {
                    if !h.is_async || awaited(e) {
                        self.merge(&h, Use::Statement, when, false);
                    }
                    return;
                }
                self.expression(e, when);
            }
            "lexical_declaration" | "variable_declaration" => {
                let constant = s.child(0).is_some_and(|k| self.text(k) == "const");
                let mut c = s.walk();
                let decls: Vec<Node<'_>> = s.named_children(&mut c).collect();
                for d in decls {
                    if d.kind_str() != "variable_declarator" {
                        continue;
                    }
                    if let (Some(name), Some(value)) = (d.field("name"), d.field("value")) {
                        self.declare(name, value, when.clone(), constant);
                    }
                }
            }
            "if_statement" => self.if_statement(s, when),
            "switch_statement" => self.switch(s, when),
            "return_statement" => {
                let Some(e) = s.named_child(0) else {
                    self.ret(
                        Op::Exit {
                            when,
                            span: span(s),
                            blocks: false,
                        },
                        true,
                    );
                    return;
                };
                self.return_value(e, when, span(s));
            }
            "try_statement" => {
                if let Some(body) = s.field("body") {
                    self.block(body, when);
                }
            }
            "statement_block" => self.block(s, when),
            "throw_statement" => self.step(Op::Protect {
                when,
                span: span(s),
                how: "throws".into(),
                unawaited: false,
            }),
            "comment" | "empty_statement" => {}
            // A loop that can answer or protect (a `return`, `throw` or protect call in its body:
            // a gate per entry of a table of routes) is not followed: the program is not known.
            "for_statement" | "for_in_statement" | "while_statement" | "do_statement"
                if s.field("body")
                    .is_some_and(|b| answers_inside(b, self.cx.src)) =>
            {
                self.unknown.get_or_insert_with(|| {
                    "it returns or throws inside a loop, which the analysis does not follow".into()
                });
            }
            _ => {}
        }
    }

    /// The names `for (… of table)` binds to the route matchers of a module-level table of
    /// them (`facts::tables`): `{ matcher }` → `matcher` is `table[].matcher`, `gate` →
    /// `gate` is `table[]` (and `gate.matches` is `table[].matches`). `None` for any other
    /// loop, and for one whose body may `break` or `continue` (the body is read once, for
    /// whichever entry holds).
    fn matcher_table(&self, s: Node<'_>) -> Option<Vec<(String, String)>> {
        if s.field("operator").map(|o| self.text(o)) != Some("of") {
            return None;
        }
        let body = self.text(s.field("body")?);
        if mentions(body, "break") || mentions(body, "continue") {
            return None;
        }
        self.entry_names(strip(s.field("right")?), s.field("left")?)
    }

    /// The names a pattern binds to one entry of a table of route matchers (`table` a
    /// module-level table of them, or an import): `{ matcher }` → `table[].matcher`, `gate` →
    /// `table[]`. `None` when `table` is no such table or the pattern is another.
    fn entry_names(&self, table: Node<'_>, pattern: Node<'_>) -> Option<Vec<(String, String)>> {
        if table.kind_str() != "identifier" {
            return None;
        }
        let t = self.text(table);
        let entry = format!("{t}[]");
        let known = self
            .cx
            .facts
            .route_matchers
            .keys()
            .any(|k| k.starts_with(&entry))
            || self.cx.facts.imports.get(t).is_some();
        if !known {
            return None;
        }
        let mut out = Vec::new();
        match pattern.kind_str() {
            "identifier" => out.push((self.text(pattern).to_string(), entry)),
            "object_pattern" => out.extend(
                super::code::object_pattern_names(self.cx.src, pattern)
                    .into_iter()
                    .map(|(key, local)| (local, format!("{entry}.{key}"))),
            ),
            _ => return None,
        }
        Some(out)
    }

    /// `table.some(({ matcher }) => matcher(req))`: whether some entry's matcher matches, the
    /// matcher standing for every entry's (`table[].matcher`).
    fn some_entry_matches(&self, call: Node<'_>) -> Option<Cond> {
        let f = strip(call.field("function")?);
        if f.kind_str() != "member_expression" || self.text(f.field("property")?) != "some" {
            return None;
        }
        let callback = strip(call.field("arguments")?.named_child(0)?);
        if !super::code::is_function_kind(callback.kind_str()) {
            return None;
        }
        let param = crate::facts::tables::first_param(callback)?;
        let names = self.entry_names(strip(f.field("object")?), param)?;
        let body = super::code::returned_expression(callback)?;
        if body.kind_str() != "call_expression" {
            return None;
        }
        let name = entry_matcher(&names, self.text(strip(body.field("function")?)))?;
        Some(Cond::Matcher { name })
    }

    /// `return e` (or the body of an arrow function): the request is answered with `e`.
    fn return_value(&mut self, e: Node<'_>, when: Option<Cond>, at: Span) {
        let stripped = strip(e);
        // `return guard(req)`: the helper's own exits.
        if let Some(h) = self.read_helper(stripped, when.as_ref()) {
            self.merge(&h, Use::Returned, when, false);
            return;
        }
        // `const denied = await guard(req); …; return denied`.
        if stripped.kind_str() == "identifier"
            && let Some(h) = self.helper_result(self.text(stripped))
        {
            self.merge(&h, Use::Returned, when, true);
            return;
        }
        if self.protects(e)
            || ((self.signed_out_base || signed_out(when.as_ref())) && self.blocks(e))
        {
            self.ret(
                Op::Protect {
                    when,
                    span: at,
                    how: compact(self.text(e)),
                    unawaited: self.unawaited(stripped),
                },
                false,
            );
            return;
        }
        // `return NextResponse.next()` etc.: the request goes through.
        self.expression(e, when.clone());
        let falsy = matches!(stripped.kind_str(), "null" | "undefined" | "false")
            || self.text(stripped) == "void 0";
        let blocks = self.blocks(e);
        self.ret(
            Op::Exit {
                when,
                span: at,
                blocks,
            },
            falsy,
        );
    }

    /// `const name = value` (`constant`), `let name = value`, `name = value`.
    fn declare(&mut self, name: Node<'_>, value: Node<'_>, when: Option<Cond>, constant: bool) {
        let v = strip(value);
        let vt = self.text(v).to_string();
        if name.kind_str() == "identifier" {
            // The latest binding of a name decides what `return name` answers.
            let answers = self.blocks(v);
            let n = self.text(name).to_string();
            self.response_vars.retain(|(x, _)| *x != n);
            self.response_vars.push((n, answers));
        }
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
            return;
        }
        if name.kind_str() == "identifier" && self.is_untrusted(v) {
            self.untrusted_vars.push(self.text(name).to_string());
            return;
        }
        if self.is_protect_call(v) {
            self.step(Op::Protect {
                when,
                span: span(v),
                how: compact(&vt),
                unawaited: self.unawaited(v),
            });
            return;
        }
        if vt.starts_with(&format!("{}(", self.auth))
            || vt == format!("{}()", self.auth)
            || (v.kind_str() == "identifier" && self.is_session_object(&vt))
        {
            // `const { userId, redirectToSignIn } = await auth()`, `const { userId } = a`
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
                    self.bind_auth_pattern(name);
                }
                _ => {}
            }
            return;
        }
        // `const role = sessionClaims?.metadata?.role`
        if self.bind_claim(name, v) {
            return;
        }
        // `const level = levelOf(pathname)`: a local function of the path.
        if constant
            && name.kind_str() == "identifier"
            && let Some(pf) = self.path_fn_call(v)
        {
            self.value_vars.push((self.text(name).to_string(), pf));
            return;
        }
        // `const denied = await guard(auth, req)`: what the helper does now; its returns
        // count where the result is returned (`if (denied) return denied`).
        if let Some(h) = self.read_helper(v, when.as_ref()) {
            let promise = h.is_async && !awaited(value);
            if !promise {
                self.merge(&h, Use::Statement, when, false);
            }
            if constant && name.kind_str() == "identifier" {
                let mut h = h;
                // An async helper not awaited gives a promise: always truthy, and
                // `clerkMiddleware` awaits it when it is returned.
                h.promise = promise;
                self.helper_results.push((self.text(name).to_string(), h));
            }
            return;
        }
        if name.kind_str() == "identifier" {
            let n = self.text(name).to_string();
            if v.kind_str() == "new_expression"
                && v.field("constructor")
                    .is_some_and(|c| self.text(c) == "URL")
                || matches!(v.kind_str(), "string" | "template_string")
            {
                self.url_vars.push((n, vt));
                return;
            }
            // `const isApi = pathname.startsWith('/api')`, `const open = isPublic(req)`; not
            // an awaited call (`await getSession()` is data, route matchers are synchronous).
            if constant
                && is_condition_like(v)
                && !(v.kind_str() == "call_expression" && awaited(value))
                && let Some(c) = self.cond(v).filter(|c| !matches!(c, Cond::Unknown { .. }))
            {
                self.cond_vars.push((n, c));
                return;
            }
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

    fn expression(&mut self, e: Node<'_>, when: Option<Cond>) {
        let Some(_depth) = super::depth::Guard::enter() else {
            self.unknown = Some("its callback nests too deeply to follow".into());
            return;
        };
        let e = strip(e);
        if self.protects(e) {
            self.step(Op::Protect {
                when,
                span: span(e),
                how: compact(self.text(e)),
                unawaited: self.unawaited(e),
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
            let unawaited = self.unawaited(strip(r));
            self.step(Op::Protect {
                when: and(when, cond),
                // An unawaited call is reported (and fixed) at the call itself.
                span: if unawaited { span(strip(r)) } else { span(e) },
                how: compact(self.text(r)),
                unawaited,
            });
        }
    }

    fn if_statement(&mut self, s: Node<'_>, when: Option<Cond>) {
        let Some(c) = s.field("condition") else {
            return;
        };
        // `if (denied) return denied`: the helper's returns that give a value.
        if let Some(h) = self.returned_result(s) {
            let mode = if h.promise {
                Use::Returned
            } else {
                Use::IfTruthy
            };
            self.merge(&h, mode, when, true);
            return;
        }
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
            // `NextResponse.redirect(new URL('/sign-in', req.url))`, or a URL bound earlier
            // (`const signIn = new URL('/sign-in', req.url); return NextResponse.redirect(signIn)`).
            if callee.ends_with(".redirect") || callee == "redirect" {
                let mut lower = t.to_ascii_lowercase();
                if let Some(arg) = e
                    .field("arguments")
                    .and_then(|a| a.named_child(0))
                    .map(strip)
                    .filter(|a| a.kind_str() == "identifier")
                    && let Some((_, bound)) = self
                        .url_vars
                        .iter()
                        .rev()
                        .find(|(n, _)| n == self.text(arg))
                {
                    lower.push(' ');
                    lower.push_str(&bound.to_ascii_lowercase());
                }
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

    /// `auth.protect()` (the v6 form, on the callback's `auth`) whose promise is neither
    /// awaited nor returned: `e` is the call itself.
    fn unawaited(&self, e: Node<'_>) -> bool {
        if !self.is_protect_call(e) || e.kind_str() != "call_expression" {
            return false;
        }
        let v6_form = e
            .field("function")
            .map(strip)
            .and_then(|f| f.field("object"))
            .is_some_and(|o| self.text(strip(o)) == self.auth);
        v6_form && !settled(e)
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
            // `const res = NextResponse.redirect(…); …; return res`
            "identifier" => self
                .response_vars
                .iter()
                .rev()
                .find(|(n, _)| n == t)
                .is_some_and(|(_, answers)| *answers),
            _ => false,
        }
    }

    /// A condition the analyzer cannot evaluate: a test of the path when the text reads the
    /// path (or a value derived from it), anything else otherwise.
    fn opaque(&self, t: &str) -> Cond {
        let text = compact(t);
        if self.mentions_path(t) {
            Cond::PathTest { text }
        } else {
            Cond::Unknown { text }
        }
    }

    /// Whether text reads the request path: `pathname`, `nextUrl`, `req.url`, or a name
    /// bound to the path or to a value computed from it.
    fn mentions_path(&self, t: &str) -> bool {
        t.contains("pathname")
            || t.contains("nextUrl")
            || mentions(t, &format!("{}.url", self.req))
            || self.pathname_vars.iter().any(|v| mentions(t, v))
            || self.value_vars.iter().any(|(v, _)| mentions(t, v))
    }

    fn cond_inner(&mut self, c: Node<'_>) -> Option<Cond> {
        // `role !== 'admin'`, `!has({ role })`: decided for a signed-out request.
        if let Some(cond) = self.claim_test(c) {
            return Some(cond);
        }
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
                    return Some(self.opaque(&t));
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
                        // `levelOf(pathname) === Level.PUBLIC`, `level !== 'public'`
                        if let Some(cond) = self.value_test(l, r).or_else(|| self.value_test(r, l))
                        {
                            return if eq { Some(cond) } else { not(Some(cond)) };
                        }
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
                            Some(self.opaque(&t))
                        }
                    }
                    _ => Some(self.opaque(&t)),
                }
            }
            "call_expression" => {
                let f = c.field("function").map(strip);
                if !self.loop_matchers.is_empty()
                    && let Some(name) =
                        f.and_then(|f| entry_matcher(&self.loop_matchers, self.text(f)))
                {
                    return Some(Cond::Matcher { name });
                }
                if let Some(any) = self.some_entry_matches(c) {
                    return Some(any);
                }
                match f {
                    Some(f) if f.kind_str() == "identifier" => {
                        // A local function of the path (`isOpen(pathname)`): its rules.
                        if let Some(pf) = self.path_fn_call(c) {
                            return Some(pf.test(None));
                        }
                        if self.path_argument(c)
                            && self.cx.facts.local_function(self.text(f)).is_some()
                        {
                            return Some(Cond::PathTest { text: compact(&t) });
                        }
                        Some(Cond::Matcher {
                            name: self.text(f).to_string(),
                        })
                    }
                    Some(f) if f.kind_str() == "member_expression" => {
                        let prop = f.field("property").map(|p| self.text(p)).unwrap_or("");
                        let obj = f.field("object");
                        let first = c.field("arguments").and_then(|a| a.named_child(0));
                        let arg = first.and_then(|a| self.string(a));
                        match (prop, obj, arg) {
                            ("startsWith", Some(o), Some(prefix)) if self.is_pathname(o) => {
                                Some(Cond::PathPrefix { prefix })
                            }
                            ("includes", Some(o), Some(part)) if self.is_pathname(o) => {
                                Some(Cond::PathIncludes { part })
                            }
                            ("endsWith", Some(o), Some(suffix)) if self.is_pathname(o) => {
                                Some(Cond::PathSuffix { suffix })
                            }
                            // `/^\/api\//.test(pathname)`, `pathname.match(/^\/api\//)`
                            ("test", Some(o), _)
                                if first.is_some_and(|a| self.is_pathname(a))
                                    && let Some(re) = self.regex(o) =>
                            {
                                Some(re)
                            }
                            ("match", Some(o), _)
                                if self.is_pathname(o)
                                    && let Some(re) = first.and_then(|a| self.regex(a)) =>
                            {
                                Some(re)
                            }
                            _ => Some(self.opaque(&t)),
                        }
                    }
                    _ => Some(self.opaque(&t)),
                }
            }
            _ => {
                if self.is_session(c) {
                    Some(Cond::SignedIn)
                } else if t.ends_with("isPublicRoute") {
                    Some(Cond::PublicRoute)
                } else if let Some((_, cond)) = self.cond_vars.iter().rev().find(|(n, _)| *n == t) {
                    Some(cond.clone())
                } else if let Some((_, pf)) = self.value_vars.iter().rev().find(|(n, _)| *n == t) {
                    Some(pf.test(None))
                } else {
                    Some(self.opaque(&t))
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

    /// Whether a name holds the whole auth object (`const a = await auth()`).
    fn is_session_object(&self, name: &str) -> bool {
        self.session_vars.contains(&format!("{name}.userId"))
    }
}

/// The matcher that names bound to a table's entries (`entry_names`) give a callee:
/// `matcher` → `table[].matcher`, `gate.matches` → `table[].matches` (the innermost binding).
fn entry_matcher(names: &[(String, String)], callee: &str) -> Option<String> {
    let bound = |n: &str| {
        names
            .iter()
            .rev()
            .find(|(l, _)| l == n)
            .map(|(_, m)| m.clone())
    };
    if let Some(m) = bound(callee) {
        return Some(m);
    }
    let (object, property) = callee.split_once('.')?;
    let m = bound(object)?;
    (m.ends_with("[]") && !property.contains(['.', '?', '('])).then(|| format!("{m}.{property}"))
}

/// Whether a value reads like a condition (a comparison, a negation, a logical operator, a
/// call), worth keeping when bound to a `const`.
fn is_condition_like(v: Node<'_>) -> bool {
    match v.kind_str() {
        "unary_expression" | "call_expression" => true,
        "binary_expression" => v.field("operator").is_some_and(|o| {
            matches!(
                o.kind_str(),
                "&&" | "||" | "===" | "!==" | "==" | "!=" | "instanceof"
            )
        }),
        _ => false,
    }
}

/// Whether an expression sits under an `await` (through parentheses and type assertions).
fn awaited(e: Node<'_>) -> bool {
    let mut n = e;
    for _ in 0..16 {
        match n.kind_str() {
            "await_expression" => return true,
            "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion" => match n.named_child(0) {
                Some(c) => n = c,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// Whether the promise a call gives is awaited or handed back to `clerkMiddleware`: under an
/// `await`, returned, or the body of an arrow function, through parentheses, type
/// assertions, `&&`/`||`/`??` and the branches of a ternary.
fn settled(call: Node<'_>) -> bool {
    let mut n = call;
    for _ in 0..64 {
        let Some(p) = n.parent() else {
            return false;
        };
        match p.kind_str() {
            "await_expression" | "return_statement" => return true,
            "arrow_function" => return p.field("body").is_some_and(|b| b.id() == n.id()),
            "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion" => {}
            "binary_expression"
                if p.field("operator")
                    .is_some_and(|o| matches!(o.kind_str(), "&&" | "||" | "??")) => {}
            "ternary_expression" if p.field("condition").is_none_or(|c| c.id() != n.id()) => {}
            _ => return false,
        }
        n = p;
    }
    false
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

/// Whether a condition holds for a signed-out request by one of its parts (`!userId`, `!userId && …`,
/// `isX(req) && (!userId || onboarded)`): a blocking return under it answers those requests.
fn signed_out(when: Option<&Cond>) -> bool {
    // A part of an `&&` (`isX(req) && !userId`) or of an `||` (`!userId || onboarded`) that
    // holds for every signed-out request, and no part that makes the whole fail for one
    // (`userId && !onboarded && …`).
    let Some(c) = when else {
        return false;
    };
    let (value, mentions) = for_signed_out(c, false, 0);
    mentions && value != Some(false)
}

/// A condition's value for a signed-out request when only the session decides it
/// (`Some`), and whether some part of it holds for every signed-out request (`SignedOut`
/// read positively, `SignedIn` negated; `negated`: under an odd number of `!`). Bounded by
/// [`MAX_NESTING`].
fn for_signed_out(c: &Cond, negated: bool, depth: usize) -> (Option<bool>, bool) {
    if depth > MAX_NESTING {
        return (None, false);
    }
    match c {
        Cond::SignedOut => (Some(true), !negated),
        Cond::SignedIn => (Some(false), negated),
        Cond::Not { inner } => {
            let (v, m) = for_signed_out(inner, !negated, depth + 1);
            (v.map(|b| !b), m)
        }
        Cond::And { all: xs } | Cond::Or { any: xs } => {
            // `&&` fails once a part fails, `||` holds once a part holds.
            let decisive = matches!(c, Cond::Or { .. });
            let mut value = Some(!decisive);
            let mut mentions = false;
            for x in xs {
                let (v, m) = for_signed_out(x, negated, depth + 1);
                mentions |= m;
                value = match (value, v) {
                    (Some(acc), _) if acc == decisive => Some(acc),
                    (_, Some(b)) if b == decisive => Some(b),
                    (Some(acc), Some(_)) => Some(acc),
                    _ => None,
                };
            }
            (value, mentions)
        }
        _ => (None, false),
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

/// Whether a statement of `src` holds a `return`, a `throw` or a call of `….protect()` or
/// `redirectToSignIn()` that is not inside a nested function (bounded by the tree's depth
/// guard).
fn answers_inside(n: Node<'_>, src: &str) -> bool {
    let Some(_depth) = super::depth::Guard::enter() else {
        return true;
    };
    match n.kind_str() {
        "return_statement" | "throw_statement" => true,
        "function_declaration"
        | "function_expression"
        | "arrow_function"
        | "method_definition"
        | "class_declaration" => false,
        kind => {
            if kind == "call_expression"
                && n.field("function").is_some_and(|f| {
                    let callee = &src[f.byte_range()];
                    callee.ends_with("protect") || callee.ends_with("redirectToSignIn")
                })
            {
                return true;
            }
            let mut c = n.walk();
            let children: Vec<Node<'_>> = n.named_children(&mut c).collect();
            children.into_iter().any(|ch| answers_inside(ch, src))
        }
    }
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

    /// Clerk v4's `withClerkMiddleware(cb)`: the callback is a plain Next.js middleware whose
    /// `getAuth(req)` (imported from Clerk) reads the session; a `getAuth` of another package
    /// reads nothing Clerk knows of, so its test is no session check.
    #[test]
    fn clerk_v4_wrapper_reads_get_auth() {
        let mw = |import: &str| {
            format!(
                "import {{ withClerkMiddleware }} from '@clerk/nextjs/server'\n\
                 {import}\n\
                 import {{ NextResponse }} from 'next/server'\n\
                 export default withClerkMiddleware((req) => {{\n\
                   const {{ userId }} = getAuth(req)\n\
                   if (!userId) return NextResponse.redirect(new URL('/login', req.url))\n\
                   return NextResponse.next()\n\
                 }})\n"
            )
        };
        // The redirect without a user protects (`!userId`: not signed in).
        let ops = program(&kind_of(&mw(
            "import { getAuth } from '@clerk/nextjs/server'",
        )))
        .to_vec();
        assert!(
            matches!(
                ops.as_slice(),
                [
                    Op::Protect {
                        when: Some(Cond::Not { inner }),
                        ..
                    },
                    ..
                ] if **inner == Cond::SignedIn
            ),
            "{ops:?}"
        );
        // Another package's `getAuth`: its `userId` is a value the analyzer cannot place.
        let ops = program(&kind_of(&mw("import { getAuth } from './session'"))).to_vec();
        assert!(!format!("{ops:?}").contains("SignedIn"), "{ops:?}");
    }

    /// A loop that can answer or protect leaves the program unknown, but for a `for … of`
    /// over a module-level table of route matchers (read once, for whichever entry holds);
    /// a loop that cannot is passed over like any statement without effect.
    #[test]
    fn loops_that_answer_are_not_followed() {
        let table = |body: &str| {
            format!(
                "import {{ clerkMiddleware, createRouteMatcher }} from '@clerk/nextjs/server'\n\
                 const gates = ['/admin', '/staff'].map((r) => createRouteMatcher([r]))\n\
                 export default clerkMiddleware(async (auth, req) => {{\n{body}\n}})\n"
            )
        };
        // The table's matchers, read as one (`gates[]`), in a loop or a `.some(…)`.
        for body in [
            "for (const gate of gates) { if (gate(req)) return Response.redirect('/') }",
            "for (const gate of gates) if (gate(req)) await auth.protect()",
            "const isProtected = gates.some((gate) => gate(req))\nif (isProtected) await auth.protect()",
            "if (gates.some((g) => { return g(req) })) return Response.redirect('/')",
        ] {
            let ops = program(&kind_of(&table(body))).to_vec();
            let when = match ops.as_slice() {
                [Op::Protect { when, .. }] | [Op::Exit { when, .. }] => when.clone(),
                other => panic!("{body}: {other:?}"),
            };
            assert_eq!(
                when,
                Some(Cond::Matcher {
                    name: "gates[]".into()
                }),
                "{body}"
            );
        }
        // Not a test of the entries' matchers: the program stays unknown, or the test opaque.
        let ops = program(&kind_of(&table(
            "if (gates.some((g) => g.length > 1)) await auth.protect()",
        )))
        .to_vec();
        assert!(
            matches!(
                ops.as_slice(),
                [Op::Protect {
                    when: Some(Cond::Unknown { .. }),
                    ..
                }]
            ),
            "{ops:?}"
        );
        for body in [
            "for (const gate of gates) { if (gate(req)) break\nawait auth.protect() }",
            "for (const p of ['/admin']) { if (req.nextUrl.pathname.startsWith(p)) return Response.redirect('/') }",
            "let i = 0\nwhile (i < gates.length) { if (gates[i++](req)) throw new Error('no') }",
            "for (let i = 0; i < gates.length; i++) { if (gates[i](req)) auth().redirectToSignIn() }",
        ] {
            match kind_of(&table(body)) {
                MiddlewareKind::Clerk {
                    program: None,
                    unknown: Some(why),
                    ..
                } => assert!(why.contains("loop"), "{body}: {why}"),
                other => panic!("{body}: {other:?}"),
            }
        }
        // A loop that only computes, and one whose returns are inside a callback it defines.
        for body in [
            "let n = 0\nfor (const gate of gates) { n += 1 }\nif (n > 5) await auth.protect()",
            "for (const gate of gates) { const f = () => { return gate(req) }; f() }\nawait auth.protect()",
        ] {
            let ops = program(&kind_of(&table(body))).to_vec();
            assert!(
                matches!(ops.last(), Some(Op::Protect { .. })),
                "{body}: {ops:?}"
            );
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

    /// Whether an op protects a signed-out request to a path that the test decides, with
    /// `known` giving the value of each condition it cannot decide by itself.
    fn protect_ops(k: &MiddlewareKind) -> Vec<&Op> {
        program(k)
            .iter()
            .filter(|o| matches!(o, Op::Protect { .. }))
            .collect()
    }

    /// A test of the session's claims or of `has()` is decided for a signed-out request (no
    /// claims, `has()` false): a blocking return under one that holds then protects; under
    /// one that fails (or that the analyzer cannot decide) it stays an exit.
    #[test]
    fn claim_tests_are_decided_for_signed_out_requests() {
        let mw = |body: &str| {
            format!(
                "import {{ clerkMiddleware, createRouteMatcher }} from '@clerk/nextjs/server'\n\
                 import {{ NextResponse }} from 'next/server'\n\
                 const isAdmin = createRouteMatcher(['/admin(.*)'])\n\
                 const ROLES = ['admin']\n\
                 export default clerkMiddleware(async (auth, req) => {{\n{body}\n}})\n"
            )
        };
        let deny = "return NextResponse.redirect(new URL('/', req.url))";
        for body in [
            format!(
                "if (isAdmin(req) && (await auth()).sessionClaims?.metadata?.role !== 'admin') {deny}"
            ),
            format!(
                "const {{ has }} = await auth()\nif (isAdmin(req) && !has({{ role: 'org:admin' }})) {deny}"
            ),
            format!(
                "const {{ sessionClaims: c }} = await auth()\nconst role = c?.metadata?.role ?? ''\nif (isAdmin(req) && !ROLES.includes(role)) {deny}"
            ),
            format!(
                "const a = await auth()\nconst {{ role }} = a.sessionClaims.metadata\nif (isAdmin(req) && role == null) {deny}"
            ),
            format!(
                "const {{ sessionClaims }} = await auth()\nif (isAdmin(req) && !sessionClaims?.metadata?.role?.startsWith('staff')) {deny}"
            ),
        ] {
            let k = kind_of(&mw(&body));
            assert_eq!(protect_ops(&k).len(), 1, "{body}: {k:?}");
        }
        for body in [
            // Turns away one role: a signed-out request has none.
            format!(
                "const {{ sessionClaims }} = await auth()\nif (isAdmin(req) && sessionClaims?.metadata?.role === 'banned') {deny}"
            ),
            // `role &&` skips the test without a role.
            format!(
                "const {{ sessionClaims }} = await auth()\nconst role = sessionClaims?.metadata?.role\nif (isAdmin(req) && role && !ROLES.includes(role)) {deny}"
            ),
            // The default a signed-out request gets passes the test.
            format!(
                "const {{ sessionClaims }} = await auth()\nconst role = sessionClaims?.metadata?.role ?? 'admin'\nif (isAdmin(req) && role !== 'admin') {deny}"
            ),
            // `has` of something else, and a claim compared with another claim.
            format!(
                "const flags = new Set(['beta'])\nif (isAdmin(req) && !flags.has('admin')) {deny}"
            ),
            format!(
                "const {{ sessionClaims }} = await auth()\nif (isAdmin(req) && sessionClaims?.a !== sessionClaims?.b) {deny}"
            ),
        ] {
            let k = kind_of(&mw(&body));
            assert!(protect_ops(&k).is_empty(), "{body}: {k:?}");
            assert!(
                matches!(program(&k), [Op::Exit { blocks: true, .. }]),
                "{body}: {k:?}"
            );
        }
    }

    #[test]
    fn local_helpers_are_followed() {
        // `return helper(req)`: the helper's redirect to sign-in, under the caller's test.
        let returned = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             const deny = (req) => NextResponse.redirect(new URL('/sign-in', req.url))\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               const { userId } = await auth()\n\
               if (!userId) return deny(req)\n\
               return NextResponse.next()\n\
             })\n",
        );
        let ops = program(&returned);
        assert!(matches!(&ops[0], Op::Protect { when: Some(c), .. } if signed_out(Some(c))));
        assert!(matches!(&ops[1], Op::Exit { when: None, .. }));
        // `if (r) return r`: a `return null` lets the callback go on, so what follows it in
        // the helper holds only when it was not taken.
        let truthy = kind_of(
            "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\n\
             const isOpen = createRouteMatcher(['/open(.*)'])\n\
             function signIn(req) {\n\
               const to = new URL('/sign-in', req.url)\n\
               return NextResponse.redirect(to)\n\
             }\n\
             async function guard(session, req) {\n\
               if (isOpen(req)) return null\n\
               if (!session.userId) return signIn(req)\n\
               return null\n\
             }\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               const session = await auth()\n\
               const denied = await guard(session, req)\n\
               if (denied) return denied\n\
               return NextResponse.next()\n\
             })\n",
        );
        let protects = protect_ops(&truthy);
        assert_eq!(protects.len(), 1, "{:?}", program(&truthy));
        let Op::Protect {
            when: Some(Cond::And { all }),
            how,
            ..
        } = protects[0]
        else {
            panic!("{:?}", protects[0]);
        };
        assert_eq!(how, "NextResponse.redirect(to)");
        assert!(all.iter().any(|c| matches!(c, Cond::Not { inner } if matches!(inner.as_ref(), Cond::Matcher { name } if name == "isOpen"))));
        assert!(all.iter().any(|c| signed_out(Some(c))));
        // The result dropped: only the helper's own protection counts; an async helper that
        // is not awaited protects nothing.
        let dropped = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             async function check(auth) { await auth.protect() }\n\
             async function deny(req) { return NextResponse.redirect(new URL('/sign-in', req.url)) }\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               check(auth)\n\
               await deny(req)\n\
               if (req.nextUrl.pathname.startsWith('/a')) await check(auth)\n\
             })\n",
        );
        let protects = protect_ops(&dropped);
        assert_eq!(protects.len(), 1, "{:?}", program(&dropped));
        assert!(
            matches!(protects[0], Op::Protect { when: Some(Cond::PathPrefix { prefix }), unawaited: false, .. } if prefix == "/a")
        );
        // A helper that redirects only signed-in users does not protect.
        let signed_in = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             function onboard(userId, req) {\n\
               if (userId) return NextResponse.redirect(new URL('/welcome', req.url))\n\
               return NextResponse.next()\n\
             }\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               const { userId } = await auth()\n\
               return onboard(userId, req)\n\
             })\n",
        );
        assert!(
            protect_ops(&signed_in).is_empty(),
            "{:?}",
            program(&signed_in)
        );
    }

    #[test]
    fn path_functions_are_read() {
        // A table of regular expressions, a `switch` on the value in a helper, and an
        // equality test in the callback.
        let table = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             enum Level { OPEN = 'open', USER = 'user' }\n\
             const LEVELS = new Map([\n\
               // open paths\n\
               [/^\\/api\\/ping/, Level.OPEN],\n\
               [/^\\/docs/, Level.OPEN],\n\
             ])\n\
             function levelOf(pathname) {\n\
               for (const [re, level] of LEVELS) { if (re.test(pathname)) return level }\n\
               return Level.USER\n\
             }\n\
             function check(a, req, level) {\n\
               switch (level) {\n\
                 case Level.OPEN: return null\n\
                 case Level.USER: if (!a.userId) return NextResponse.json({}, { status: 401 })\n\
                   return null\n\
                 default: return null\n\
               }\n\
             }\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               const level = levelOf(req.nextUrl.pathname)\n\
               if (level === Level.OPEN) return NextResponse.next()\n\
               const a = await auth()\n\
               const r = check(a, req, level)\n\
               if (r) return r\n\
             })\n",
        );
        let ops = program(&table);
        let Op::Exit {
            when:
                Some(Cond::PathValue {
                    rules,
                    default,
                    equals,
                    call,
                }),
            ..
        } = &ops[0]
        else {
            panic!("{ops:?}");
        };
        assert_eq!(call, "levelOf(req.nextUrl.pathname)");
        assert_eq!(equals.as_deref(), Some("Level.OPEN"));
        assert_eq!(default, "Level.USER");
        assert_eq!(rules.len(), 2);
        assert!(
            matches!(&rules[0].when, Cond::PathRegex { pattern, .. } if pattern == "^\\/api\\/ping")
        );
        assert!(rules.iter().all(|r| r.value == "Level.OPEN"));
        let protects = protect_ops(&table);
        assert_eq!(protects.len(), 1, "{ops:?}");
        // Objects and `startsWith`; a predicate; a predicate the analyzer cannot evaluate
        // (its one rule is a test of the path it cannot read).
        let objects = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             const RULES = [{ prefix: '/api/hooks', open: true }, { prefix: '/blog', open: true }]\n\
             function isOpen(path) {\n\
               for (const rule of RULES) { if (path.startsWith(rule.prefix)) return rule.open }\n\
               return false\n\
             }\n\
             const isHome = (path) => path === '/' || path.startsWith('/about')\n\
             function isLegacy(path) { return LEGACY.some((p) => path.includes(p)) }\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               const { pathname } = req.nextUrl\n\
               if (isOpen(pathname)) return NextResponse.next()\n\
               if (isHome(pathname)) return NextResponse.next()\n\
               if (isLegacy(pathname)) return NextResponse.next()\n\
               await auth.protect()\n\
             })\n",
        );
        let ops = program(&objects);
        assert!(
            matches!(&ops[0], Op::Exit { when: Some(Cond::PathValue { rules, equals: None, default, .. }), .. }
                if rules.len() == 2 && default == "false"
                && matches!(&rules[1].when, Cond::PathPrefix { prefix } if prefix == "/blog"))
        );
        assert!(
            matches!(&ops[1], Op::Exit { when: Some(Cond::PathValue { rules, .. }), .. } if rules.len() == 1)
        );
        assert!(
            matches!(&ops[2], Op::Exit { when: Some(Cond::PathValue { rules, .. }), blocks: false, .. }
                if matches!(&rules[..], [PathRule { when: Cond::PathTest { .. }, .. }])),
            "{:?}",
            ops[2]
        );
    }

    #[test]
    fn conditions_bound_to_names() {
        let k = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               const isApi = req.nextUrl.pathname.startsWith('/api')\n\
               const session = await getSession(req)\n\
               if (isApi) return NextResponse.next()\n\
               if (!session) return NextResponse.next()\n\
               await auth.protect()\n\
             })\n",
        );
        let ops = program(&k);
        assert!(
            matches!(&ops[0], Op::Exit { when: Some(Cond::PathPrefix { prefix }), .. } if prefix == "/api")
        );
        assert!(
            matches!(&ops[1], Op::Exit { when: Some(Cond::Not { inner }), .. } if matches!(inner.as_ref(), Cond::Unknown { text } if text == "session"))
        );
    }

    #[test]
    fn unawaited_protect_is_marked() {
        let k = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               if (a(req)) auth.protect()\n\
               b(req) && auth.protect()\n\
               if (c(req)) await auth.protect()\n\
               d(req) && (await auth.protect())\n\
               if (e(req)) auth().protect()\n\
               if (f(req)) return auth.protect()\n\
             })\n",
        );
        let unawaited: Vec<bool> = protect_ops(&k)
            .iter()
            .map(|o| {
                matches!(
                    o,
                    Op::Protect {
                        unawaited: true,
                        ..
                    }
                )
            })
            .collect();
        assert_eq!(unawaited, vec![true, true, false, false, false, false]);
        let arrow = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             export default clerkMiddleware((auth) => auth.protect())\n",
        );
        assert!(matches!(
            protect_ops(&arrow)[..],
            [Op::Protect {
                unawaited: false,
                ..
            }]
        ));
    }

    #[test]
    fn recursive_and_fanned_out_helpers_are_bounded() {
        let k = kind_of(
            "import { clerkMiddleware } from '@clerk/nextjs/server'\n\
             function a(auth, req) { if (x) return b(auth, req); return a(auth, req) }\n\
             function b(auth, req) { return a(auth, req) }\n\
             function lvl(p) { if (lvl(p) === 'x') return 'y'; return 'z' }\n\
             export default clerkMiddleware(async (auth, req) => {\n\
               if (lvl(req.nextUrl.pathname) === 'y') return NextResponse.next()\n\
               const r = await a(auth, req)\n\
               if (r) return r\n\
               await auth.protect()\n\
             })\n",
        );
        assert!(matches!(k, MiddlewareKind::Clerk { .. }));
        // Ten calls of a helper making ten calls … four levels down: the reader stops at
        // its budget instead of reading ten thousand copies.
        let mut src = String::from("import { clerkMiddleware } from '@clerk/nextjs/server'\n");
        for level in 1..=4 {
            let next = if level == 4 {
                "auth.protect()".to_string()
            } else {
                format!("h{}(auth)", level + 1)
            };
            src.push_str(&format!("function h{level}(auth) {{\n"));
            for _ in 0..10 {
                src.push_str(&format!("  {next}\n"));
            }
            src.push_str("}\n");
        }
        src.push_str("export default clerkMiddleware(async (auth) => {\n");
        for _ in 0..10 {
            src.push_str("  h1(auth)\n");
        }
        src.push_str("})\n");
        let before = std::time::Instant::now();
        let k = kind_of(&src);
        assert!(before.elapsed() < std::time::Duration::from_secs(20));
        assert!(
            matches!(&k, MiddlewareKind::Clerk { program: None, unknown: Some(u), .. } if u.contains("too large")),
            "{k:?}"
        );
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
