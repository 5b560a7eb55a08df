//! What a middleware/proxy file does: which Clerk middleware it exports, and, for
//! `clerkMiddleware(callback)`, a small program of what the callback does for a signed-out
//! request (protect, or return early) under which path conditions.

use serde::Serialize;
use tree_sitter::Node;

use super::code::{Binding, CodeFacts, PatternList, Patterns, compact, span, strip};
use crate::finding::Span;

/// A condition on the request, as the analyzer understands it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
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
    /// Anything else (headers, methods, feature flags).
    Unknown {
        text: String,
    },
}

/// One step of the callback, for a signed-out request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
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
    },
    /// `authMiddleware({ publicRoutes, ignoredRoutes, afterAuth })` (v4/v5).
    Auth {
        callee: String,
        span: Span,
        public_routes: Option<PatternList>,
        ignored_routes: Option<PatternList>,
        /// A custom `afterAuth` replaces the default protection; its program if understood.
        after_auth: Option<Option<Vec<Op>>>,
    },
    /// Something else (a custom middleware, a wrapper the analyzer cannot see through).
    Other { span: Span, what: String },
}

/// Analyse the middleware export of a file.
pub fn analyse(root: Node<'_>, src: &str, facts: &CodeFacts, export: &Binding) -> MiddlewareKind {
    let cx = Cx { src, facts, root };
    cx.kind_of(export, 0)
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
        let n = self.root.descendant_for_byte_range(s.start, s.end)?;
        let mut cur = Some(n);
        while let Some(c) = cur {
            if c.start_byte() == s.start && c.end_byte() == s.end {
                return Some(c);
            }
            cur = c.parent();
        }
        None
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
            Binding::Call { callee, args, span } => {
                let name = callee.last().map(String::as_str).unwrap_or("");
                let local = callee.first().cloned().unwrap_or_default();
                let imported = self
                    .facts
                    .imports
                    .get(&local)
                    .map(|i| i.imported.as_str())
                    .unwrap_or(name);
                if callee.len() == 1 && (imported == "clerkMiddleware" || name == "clerkMiddleware")
                {
                    return self.clerk(local, *span, args);
                }
                if callee.len() == 1 && (imported == "authMiddleware" || name == "authMiddleware") {
                    // `authMiddleware` takes options; called with a callback it is a project
                    // alias of `clerkMiddleware` (the project model checks which it is).
                    if matches!(
                        args.first(),
                        Some(Binding::Function { .. } | Binding::Identifier { .. })
                    ) {
                        return self.clerk(local, *span, args);
                    }
                    return self.auth_middleware(local, *span);
                }
                // A wrapper around the Clerk middleware: `withSentry(clerkMiddleware(...))`.
                for a in args {
                    let k = self.kind_of(a, depth + 1);
                    if !matches!(k, MiddlewareKind::Other { .. }) {
                        return k;
                    }
                }
                other(&format!("`{}(…)`", callee.join(".")), *span)
            }
            Binding::Identifier { name } => {
                if let Some(next) = self.facts.bindings.get(name) {
                    return self.kind_of(next, depth + 1);
                }
                let imported = self.facts.imports.get(name).map(|i| i.imported.as_str());
                if imported == Some("clerkMiddleware") || name == "clerkMiddleware" {
                    // `export default clerkMiddleware`: no callback, protects nothing.
                    return MiddlewareKind::Clerk {
                        callee: name.clone(),
                        span: Span::new(0, 0),
                        has_callback: false,
                        program: Some(Vec::new()),
                        unknown: None,
                    };
                }
                other(&format!("`{name}`"), Span::new(0, 0))
            }
            Binding::Function { index } => {
                // `export function proxy(req, ev) { return clerk(req, ev) }`.
                let Some(f) = self.facts.function(*index) else {
                    return other("a function", Span::new(0, 0));
                };
                for call in &f.returns.calls {
                    if call.len() == 1 {
                        let k = self.kind_of(
                            &Binding::Identifier {
                                name: call[0].clone(),
                            },
                            depth + 1,
                        );
                        if !matches!(k, MiddlewareKind::Other { .. }) {
                            return k;
                        }
                    }
                }
                for (call, _) in &f.calls {
                    if call.len() == 1 && self.facts.bindings.contains_key(&call[0]) {
                        let k = self.kind_of(
                            &Binding::Identifier {
                                name: call[0].clone(),
                            },
                            depth + 1,
                        );
                        if !matches!(k, MiddlewareKind::Other { .. }) {
                            return k;
                        }
                    }
                }
                other("a custom middleware function", f.span)
            }
            Binding::Other | Binding::Chain { .. } | Binding::Object { .. } => {
                other("an expression", Span::new(0, 0))
            }
        }
    }

    fn clerk(&self, callee: String, span: Span, args: &[Binding]) -> MiddlewareKind {
        let callback = args.first().and_then(|a| match a {
            Binding::Function { index } => Some(*index),
            Binding::Identifier { name } => self.facts.local_function(name),
            _ => None,
        });
        let has_callback =
            callback.is_some() || args.first().is_some_and(|a| !matches!(a, Binding::Other));
        let Some(index) = callback else {
            if has_callback {
                return MiddlewareKind::Clerk {
                    callee,
                    span,
                    has_callback,
                    program: None,
                    unknown: Some("its callback is not a function defined in this file".into()),
                };
            }
            return MiddlewareKind::Clerk {
                callee,
                span,
                has_callback: false,
                program: Some(Vec::new()),
                unknown: None,
            };
        };
        let Some(f) = self.facts.function(index) else {
            return MiddlewareKind::Clerk {
                callee,
                span,
                has_callback,
                program: None,
                unknown: Some("its callback could not be read".into()),
            };
        };
        let auth_param = f.params.first().cloned().unwrap_or_else(|| "auth".into());
        let Some(node) = self.node_at(f.range) else {
            return MiddlewareKind::Clerk {
                callee,
                span,
                has_callback,
                program: None,
                unknown: Some("its callback could not be read".into()),
            };
        };
        let mut p = Program {
            cx: self,
            auth: auth_param,
            session_vars: Vec::new(),
            pathname_vars: vec!["pathname".into()],
            ops: Vec::new(),
            unknown: None,
        };
        if let Some(body) = node.child_by_field_name("body") {
            if body.kind() == "statement_block" {
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
        }
    }

    fn auth_middleware(&self, callee: String, span: Span) -> MiddlewareKind {
        let mut public_routes = None;
        let mut ignored_routes = None;
        let mut after_auth = None;
        if let Some(call) = self.node_at(span)
            && let Some(args) = call.child_by_field_name("arguments")
            && let Some(opts) = args.named_child(0).map(strip)
            && opts.kind() == "object"
        {
            let mut cursor = opts.walk();
            for pair in opts.named_children(&mut cursor) {
                let (key, value) = match pair.kind() {
                    "pair" => (
                        pair.child_by_field_name("key"),
                        pair.child_by_field_name("value"),
                    ),
                    "method_definition" => (pair.child_by_field_name("name"), Some(pair)),
                    _ => continue,
                };
                let (Some(k), Some(v)) = (key, value) else {
                    continue;
                };
                match self.text(k).trim_matches(['"', '\'']) {
                    "publicRoutes" => public_routes = Some(self.list(strip(v))),
                    "ignoredRoutes" => ignored_routes = Some(self.list(strip(v))),
                    "afterAuth" => {
                        let f = strip(v);
                        let program = if matches!(
                            f.kind(),
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
                            let mut p = Program {
                                cx: self,
                                auth: auth.clone(),
                                session_vars: vec![
                                    format!("{auth}.userId"),
                                    format!("{auth}.sessionId"),
                                ],
                                pathname_vars: vec!["pathname".into()],
                                ops: Vec::new(),
                                unknown: None,
                            };
                            if let Some(body) = f.child_by_field_name("body") {
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
            ignored_routes,
            after_auth,
        }
    }

    fn param_names(&self, f: Node<'_>) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = f.child_by_field_name("parameter") {
            out.push(self.text(p).to_string());
        }
        if let Some(ps) = f.child_by_field_name("parameters") {
            let mut c = ps.walk();
            for p in ps.named_children(&mut c) {
                let t = match p.kind() {
                    "required_parameter" | "optional_parameter" => p.child_by_field_name("pattern"),
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
    ops: Vec<Op>,
    unknown: Option<String>,
}

impl Program<'_, '_, '_> {
    fn text(&self, n: Node<'_>) -> &str {
        self.cx.text(n)
    }

    fn block(&mut self, block: Node<'_>, when: Option<Cond>) {
        if block.kind() != "statement_block" {
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
        match s.kind() {
            "expression_statement" => {
                if let Some(e) = s.named_child(0) {
                    self.expression(e, when);
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = s.walk();
                for d in s.named_children(&mut c) {
                    if d.kind() != "variable_declarator" {
                        continue;
                    }
                    let (Some(name), Some(value)) = (
                        d.child_by_field_name("name"),
                        d.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let v = strip(value);
                    let vt = self.text(v).to_string();
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
                        match name.kind() {
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
                        if name.kind() == "identifier" {
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
                    if self.protects(e) {
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
                if let Some(body) = s.child_by_field_name("body") {
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
        let e = strip(e);
        if self.protects(e) {
            self.ops.push(Op::Protect {
                when,
                span: span(e),
                how: compact(self.text(e)),
            });
            return;
        }
        if e.kind() == "ternary_expression" {
            let (Some(c), Some(a), Some(b)) = (
                e.child_by_field_name("condition"),
                e.child_by_field_name("consequence"),
                e.child_by_field_name("alternative"),
            ) else {
                return;
            };
            let cond = self.cond(c);
            self.expression(a, and(when.clone(), cond.clone()));
            self.expression(b, and(when.clone(), not(cond)));
        }
        // `isProtected(req) && await auth.protect()`
        if e.kind() == "binary_expression"
            && e.child_by_field_name("operator")
                .is_some_and(|o| self.text(o) == "&&")
            && let (Some(l), Some(r)) = (
                e.child_by_field_name("left"),
                e.child_by_field_name("right"),
            )
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
        let Some(c) = s.child_by_field_name("condition") else {
            return;
        };
        let cond = self.cond(c);
        if let Some(then) = s.child_by_field_name("consequence") {
            self.block(then, and(when.clone(), cond.clone()));
        }
        if let Some(alt) = s.child_by_field_name("alternative") {
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
        if e.kind() == "call_expression" {
            let callee = e
                .child_by_field_name("function")
                .map(|f| self.text(f))
                .unwrap_or("");
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
        if e.kind() == "new_expression" {
            return t.contains("401") || t.contains("403");
        }
        false
    }

    fn is_protect_call(&self, e: Node<'_>) -> bool {
        let e = strip(e);
        if e.kind() != "call_expression" {
            return false;
        }
        let Some(f) = e.child_by_field_name("function") else {
            return false;
        };
        let f = strip(f);
        if f.kind() != "member_expression" {
            return false;
        }
        let (Some(obj), Some(prop)) = (
            f.child_by_field_name("object"),
            f.child_by_field_name("property"),
        ) else {
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
        let c = strip(c);
        let t = self.text(c).to_string();

        match c.kind() {
            "unary_expression"
                if c.child_by_field_name("operator")
                    .is_some_and(|o| self.text(o) == "!") =>
            {
                let inner = c.child_by_field_name("argument").and_then(|a| self.cond(a));
                not(inner)
            }
            "binary_expression" => {
                let op = c
                    .child_by_field_name("operator")
                    .map(|o| self.text(o).to_string())
                    .unwrap_or_default();
                let (Some(l), Some(r)) = (
                    c.child_by_field_name("left"),
                    c.child_by_field_name("right"),
                ) else {
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
                let f = c.child_by_field_name("function").map(strip);
                match f {
                    Some(f) if f.kind() == "identifier" => Some(Cond::Matcher {
                        name: self.text(f).to_string(),
                    }),
                    Some(f) if f.kind() == "member_expression" => {
                        let prop = f
                            .child_by_field_name("property")
                            .map(|p| self.text(p))
                            .unwrap_or("");
                        let obj = f.child_by_field_name("object");
                        let arg = c
                            .child_by_field_name("arguments")
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
        if n.kind() == "string" {
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
