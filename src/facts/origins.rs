//! Allowed origins: the calls that authenticate a request with Clerk (`clerkMiddleware()`,
//! `clerkClient.authenticateRequest()`, `verifyToken()`) and the `authorizedParties` they pass.
//!
//! Options are followed inside the module: an inline object, a local or module-level name, a
//! function returning the options (`clerkMiddleware(handler, (req) => ({ … }))`), a ternary.
//! A name imported from another module is left to the project phase, which finds the object
//! among the target module's `objects` (every object literal carrying a Clerk option key).

use crate::parse::NodeKind;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::code::{CodeFacts, compact, is_function_kind, span, string_value, strip};
use crate::finding::Span;
use crate::parse::NodeFields;

/// Which authenticator a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthApi {
    ClerkMiddleware,
    AuthenticateRequest,
    VerifyToken,
}

impl AuthApi {
    pub fn name(self) -> &'static str {
        match self {
            AuthApi::ClerkMiddleware => "clerkMiddleware",
            AuthApi::AuthenticateRequest => "authenticateRequest",
            AuthApi::VerifyToken => "verifyToken",
        }
    }
}

/// What `authorizedParties` holds, judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Parties {
    /// The options carry no `authorizedParties` (and no spread that could).
    Missing,
    /// Set to origins this analysis accepts, or to a value it cannot judge (an environment
    /// variable, a call).
    Set,
    /// Cannot tell (a spread of something unknown).
    Unknown,
    /// `[]`: Clerk skips the check for an empty list.
    Empty { span: Span },
    /// `'*'` or `'https://*.example.com'`: Clerk compares exactly, there are no wildcards.
    Wildcard { span: Span, value: String },
    /// `http://` on a host other than loopback.
    Http { span: Span, value: String },
    /// Built from the request's own `Origin`/`Host` (`[req.headers.get('origin')]`).
    FromRequest { span: Span, text: String },
}

impl Parties {
    /// How bad: the worst of several paths is kept.
    fn rank(&self) -> u8 {
        match self {
            Parties::Set => 0,
            Parties::Unknown => 1,
            Parties::Http { .. } => 2,
            Parties::Wildcard { .. } => 3,
            Parties::Empty { .. } => 4,
            Parties::FromRequest { .. } => 5,
            Parties::Missing => 6,
        }
    }

    pub fn worst(self, other: Parties) -> Parties {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// The options a call passes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Options {
    /// No options argument.
    Absent,
    /// An object (or objects, over the paths of an options function) read in this module.
    Object { parties: Parties },
    /// A name imported from another module (`local` as imported here).
    Imported { local: String },
    /// Something this module cannot see into.
    Unknown { what: String },
}

/// A call that authenticates requests with Clerk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginCall {
    pub api: AuthApi,
    /// The package the function is imported from (`@clerk/nextjs/server`); `None` for the
    /// `authenticateRequest` method.
    pub source: Option<String>,
    /// For `x.authenticateRequest(…)`: the module-level name the client comes from
    /// (`clerkClient`, `createClerkClient`, a client built with them).
    pub receiver: Option<String>,
    /// The callee (`clerkMiddleware`, `clerk.authenticateRequest`).
    pub span: Span,
    pub options: Options,
}

/// An object literal carrying a Clerk option key, anywhere in the module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionsObject {
    pub span: Span,
    pub parties: Parties,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginFacts {
    pub calls: Vec<OriginCall>,
    pub objects: Vec<OptionsObject>,
}

/// Option keys of Clerk's authenticators: an object with one of them may be Clerk options.
const OPTION_KEYS: &[&str] = &[
    "authorizedParties",
    "publishableKey",
    "secretKey",
    "signInUrl",
    "signUpUrl",
    "jwtKey",
    "audience",
    "isSatellite",
    "proxyUrl",
    "clockSkewInMs",
    "contentSecurityPolicy",
    "organizationSyncOptions",
    "acceptsToken",
    "clerkClient",
];

/// Packages whose `clerkMiddleware` authenticates requests with `@clerk/backend`, and whether
/// its options come after a handler (`clerkMiddleware(handler?, options?)`, Next.js) or first
/// (`clerkMiddleware(options)`, Express).
fn middleware_package(source: &str) -> Option<bool> {
    match source {
        "@clerk/nextjs" | "@clerk/nextjs/server" => Some(true),
        "@clerk/express" => Some(false),
        _ => None,
    }
}

/// Most nodes one walk visits.
const MAX_NODES: usize = 400_000;
/// How far names, functions and spreads are followed.
const MAX_DEPTH: usize = 8;

/// Whether a module can hold facts of this kind (a byte-level filter).
pub fn may_have(src: &str) -> bool {
    // One pass over the text for all the words (a search per word read it 21 times).
    static WORDS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            let words = ["clerkMiddleware", "authenticateRequest", "verifyToken"];
            // Only whether one occurs is asked.
            crate::prefilter::words_automaton(words.iter().chain(OPTION_KEYS))
        });
    match WORDS.as_ref() {
        Some(ac) => ac.is_match(src),
        None => true,
    }
}

pub fn extract(root: Node<'_>, src: &str, code: &CodeFacts) -> OriginFacts {
    let mut out = OriginFacts::default();
    if !may_have(src) {
        return out;
    }
    let cx = Cx { src, code, root };
    let calls_possible = ["clerkMiddleware", "authenticateRequest", "verifyToken"]
        .iter()
        .any(|w| src.contains(w));
    let mut cursor = root.walk();
    let mut visited = 0usize;
    loop {
        let n = cursor.node();
        visited += 1;
        if n.kind_str() == "object" && cx.has_option_key(n) {
            let mut seen = HashSet::new();
            out.objects.push(OptionsObject {
                span: span(n),
                parties: cx.object_parties(n, 0, &mut seen),
            });
        }
        if calls_possible
            && n.kind_str() == "call_expression"
            && let Some(c) = cx.call(n)
        {
            out.calls.push(c);
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

struct Cx<'a, 't> {
    src: &'a str,
    code: &'a CodeFacts,
    root: Node<'t>,
}

impl<'a, 't> Cx<'a, 't> {
    fn text(&self, n: Node<'_>) -> &'a str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    fn node_at(&self, s: Span) -> Option<Node<'t>> {
        crate::parse::node_with_range(self.root, s.start, s.end)
    }

    fn key_name(&self, pair: Node<'_>) -> Option<String> {
        match pair.kind_str() {
            "pair" => {
                let k = pair.field("key")?;
                Some(string_value(self.src, k).unwrap_or_else(|| self.text(k).to_string()))
            }
            "shorthand_property_identifier" => Some(self.text(pair).to_string()),
            _ => None,
        }
    }

    fn has_option_key(&self, obj: Node<'_>) -> bool {
        let mut c = obj.walk();
        obj.named_children(&mut c).any(|p| {
            self.key_name(p)
                .is_some_and(|k| OPTION_KEYS.contains(&k.as_str()))
        })
    }

    /// A Clerk authenticator call, with its options.
    fn call(&self, call: Node<'t>) -> Option<OriginCall> {
        let f = strip(call.field("function")?);
        let args = call.field("arguments")?;
        let arg = |i: usize| {
            let mut c = args.walk();
            args.named_children(&mut c)
                .filter(|a| a.kind_str() != "comment")
                .nth(i)
                .map(strip)
        };
        match f.kind_str() {
            "identifier" => {
                let local = self.text(f);
                let imp = self.code.imports.get(local)?;
                if !imp.source.starts_with("@clerk/") || imp.type_only {
                    return None;
                }
                let (api, options) = match imp.imported.as_str() {
                    "clerkMiddleware" => {
                        let after_handler = middleware_package(&imp.source)?;
                        let options = if after_handler {
                            match arg(0) {
                                None => None,
                                Some(a) if a.kind_str() == "object" => Some(a),
                                Some(a) if self.is_function_value(a) => arg(1),
                                // An imported handler or options: a second argument says
                                // which.
                                Some(a) => match arg(1) {
                                    Some(b) => Some(b),
                                    None => {
                                        return Some(OriginCall {
                                            api: AuthApi::ClerkMiddleware,
                                            source: Some(imp.source.clone()),
                                            receiver: None,
                                            span: span(f),
                                            options: self.name_or_unknown(a),
                                        });
                                    }
                                },
                            }
                        } else {
                            arg(0)
                        };
                        (AuthApi::ClerkMiddleware, options)
                    }
                    "verifyToken" => (AuthApi::VerifyToken, arg(1)),
                    _ => return None,
                };
                let mut seen = HashSet::new();
                Some(OriginCall {
                    api,
                    source: Some(imp.source.clone()),
                    receiver: None,
                    span: span(f),
                    options: self.options(options, 0, &mut seen),
                })
            }
            "member_expression" => {
                let prop = self.text(f.field("property")?);
                if prop != "authenticateRequest" {
                    return None;
                }
                let receiver = self.client_name(f.field("object")?, 0)?;
                let mut seen = HashSet::new();
                Some(OriginCall {
                    api: AuthApi::AuthenticateRequest,
                    source: None,
                    receiver: Some(receiver),
                    span: span(f),
                    options: self.options(arg(1), 0, &mut seen),
                })
            }
            _ => None,
        }
    }

    /// An imported name passed where handler and options cannot be told apart.
    fn name_or_unknown(&self, a: Node<'_>) -> Options {
        if a.kind_str() == "identifier" && self.code.imports.contains_key(self.text(a)) {
            // `clerkMiddleware(imported)`: a handler (the common case) or options; the
            // project phase finds out which.
            return Options::Imported {
                local: self.text(a).to_string(),
            };
        }
        Options::Unknown {
            what: format!("`{}`", compact(self.text(a))),
        }
    }

    /// The module-level name a client expression comes from: `clerkClient`,
    /// `(await clerkClient())`, `clerk`, or a local `const client = await clerkClient()`.
    fn client_name(&self, obj: Node<'_>, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let o = strip(obj);
        match o.kind_str() {
            "identifier" => {
                let name = self.text(o);
                if let Some(v) = self.local_value(name, o)
                    && let Some(inner) = self.client_name(v, depth + 1)
                {
                    return Some(inner);
                }
                Some(name.to_string())
            }
            "call_expression" => self.client_name(o.field("function")?, depth + 1),
            _ => None,
        }
    }

    /// Whether a node is a function, or names one defined in this module.
    fn is_function_value(&self, n: Node<'_>) -> bool {
        is_function_kind(n.kind_str())
            || (n.kind_str() == "identifier"
                && (self.code.local_function(self.text(n)).is_some()
                    || self
                        .local_value(self.text(n), n)
                        .is_some_and(|v| is_function_kind(strip(v).kind_str()))))
    }

    /// The value a name is declared with in the scopes around `at` (the innermost first, up to
    /// the module): `const name = <value>`.
    fn local_value(&self, name: &str, at: Node<'_>) -> Option<Node<'t>> {
        let start = self.node_at(span(at))?;
        let mut cur = start.parent();
        while let Some(scope) = cur {
            if matches!(scope.kind_str(), "statement_block" | "program") {
                let mut c = scope.walk();
                for stmt in scope.named_children(&mut c) {
                    let decl = match stmt.kind_str() {
                        "lexical_declaration" | "variable_declaration" => Some(stmt),
                        "export_statement" => stmt.field("declaration").filter(|d| {
                            matches!(d.kind_str(), "lexical_declaration" | "variable_declaration")
                        }),
                        _ => None,
                    };
                    let Some(decl) = decl else { continue };
                    let mut dc = decl.walk();
                    for d in decl.named_children(&mut dc) {
                        if d.kind_str() == "variable_declarator"
                            && d.field("name").is_some_and(|n| self.text(n) == name)
                            && let Some(v) = d.field("value")
                        {
                            return Some(v);
                        }
                    }
                }
            }
            cur = scope.parent();
        }
        None
    }

    fn options(&self, n: Option<Node<'_>>, depth: usize, seen: &mut HashSet<usize>) -> Options {
        let Some(n) = n else {
            return Options::Absent;
        };
        let n = strip(n);
        if depth > MAX_DEPTH || !seen.insert(n.id()) {
            return Options::Unknown {
                what: "options nested too deeply".into(),
            };
        }
        match n.kind_str() {
            "object" => Options::Object {
                parties: self.object_parties(n, depth, seen),
            },
            "ternary_expression" => {
                let a = self.options(n.field("consequence"), depth + 1, seen);
                let b = self.options(n.field("alternative"), depth + 1, seen);
                match (a, b) {
                    (Options::Object { parties: p }, Options::Object { parties: q }) => {
                        Options::Object {
                            parties: p.worst(q),
                        }
                    }
                    (o @ Options::Object { .. }, _) | (_, o) => o,
                }
            }
            k if is_function_kind(k) => self.returned_options(n, depth, seen),
            "identifier" => {
                let name = self.text(n);
                if let Some(v) = self.local_value(name, n) {
                    return self.options(Some(v), depth + 1, seen);
                }
                if let Some(f) = self
                    .code
                    .local_function(name)
                    .and_then(|i| self.code.function(i))
                    .and_then(|f| self.node_at(f.range))
                {
                    return self.returned_options(f, depth, seen);
                }
                if self.code.imports.contains_key(name) {
                    return Options::Imported {
                        local: name.to_string(),
                    };
                }
                Options::Unknown {
                    what: format!("`{name}`"),
                }
            }
            "call_expression" => {
                // `clerkMiddleware(handler, getOptions())` with `getOptions` defined here.
                if let Some(f) = n.field("function").map(strip)
                    && f.kind_str() == "identifier"
                    && let Some(fnode) = self
                        .code
                        .local_function(self.text(f))
                        .and_then(|i| self.code.function(i))
                        .and_then(|x| self.node_at(x.range))
                {
                    return self.returned_options(fnode, depth, seen);
                }
                Options::Unknown {
                    what: format!("`{}`", compact(self.text(n))),
                }
            }
            _ => Options::Unknown {
                what: format!("`{}`", compact(self.text(n))),
            },
        }
    }

    /// The options a function returns, over all its own `return`s (the worst kept).
    fn returned_options(&self, f: Node<'_>, depth: usize, seen: &mut HashSet<usize>) -> Options {
        let Some(body) = f.field("body") else {
            return Options::Unknown {
                what: "a function without a body".into(),
            };
        };
        if body.kind_str() != "statement_block" {
            return self.options(Some(body), depth + 1, seen);
        }
        let mut returns = Vec::new();
        let mut stack = vec![body];
        while let Some(x) = stack.pop() {
            if x.kind_str() == "return_statement" {
                returns.push(x.named_child(0));
                continue;
            }
            if is_function_kind(x.kind_str()) {
                continue;
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        let mut out: Option<Options> = None;
        for r in returns {
            let o = self.options(r, depth + 1, seen);
            out = Some(match (out, o) {
                (None, o) => o,
                (Some(Options::Object { parties: p }), Options::Object { parties: q }) => {
                    Options::Object {
                        parties: p.worst(q),
                    }
                }
                (Some(prev @ Options::Object { .. }), _) => prev,
                (Some(_), o) => o,
            });
        }
        out.unwrap_or(Options::Unknown {
            what: "a function that returns no options".into(),
        })
    }

    /// What an options object says about `authorizedParties` (spreads of local objects
    /// followed).
    fn object_parties(&self, obj: Node<'_>, depth: usize, seen: &mut HashSet<usize>) -> Parties {
        let mut spread_unknown = false;
        let mut found: Option<Parties> = None;
        let mut c = obj.walk();
        for p in obj.named_children(&mut c) {
            match p.kind_str() {
                "pair" if self.key_name(p).as_deref() == Some("authorizedParties") => {
                    if let Some(v) = p.field("value") {
                        found = Some(self.parties_value(v, depth + 1, false));
                    }
                }
                "shorthand_property_identifier" if self.text(p) == "authorizedParties" => {
                    found = Some(self.parties_value(p, depth + 1, false));
                }
                "spread_element" => {
                    let inner = p.named_child(0).map(strip);
                    match inner.map(|i| self.options(Some(i), depth + 1, seen)) {
                        Some(Options::Object { parties }) if parties != Parties::Missing => {
                            found.get_or_insert(parties);
                        }
                        Some(Options::Object { .. }) => {}
                        _ => spread_unknown = true,
                    }
                }
                _ => {}
            }
        }
        match found {
            Some(p) => p,
            None if spread_unknown => Parties::Unknown,
            None => Parties::Missing,
        }
    }

    /// Judge the value of `authorizedParties`. `dev`: the value is only used in development
    /// (a ternary branch on `NODE_ENV`), where `http://` origins are expected.
    fn parties_value(&self, v: Node<'_>, depth: usize, dev: bool) -> Parties {
        let v = strip(v);
        if depth > MAX_DEPTH {
            return Parties::Set;
        }
        if let Some(text) = self.request_origin(v) {
            return Parties::FromRequest {
                span: span(v),
                text,
            };
        }
        match v.kind_str() {
            "array" => {
                let mut c = v.walk();
                let items: Vec<Node<'_>> = v
                    .named_children(&mut c)
                    .filter(|i| i.kind_str() != "comment")
                    .collect();
                if items.is_empty() {
                    return Parties::Empty { span: span(v) };
                }
                let mut out = Parties::Set;
                for item in items {
                    let item = strip(item);
                    let verdict = match item.kind_str() {
                        "spread_element" => match item.named_child(0) {
                            Some(inner) => {
                                // `[...list]` with an empty `list` adds nothing.
                                match self.parties_value(inner, depth + 1, dev) {
                                    Parties::Empty { .. } => Parties::Set,
                                    p => p,
                                }
                            }
                            None => Parties::Set,
                        },
                        _ => self.parties_item(item, depth + 1, dev),
                    };
                    out = out.worst(verdict);
                }
                out
            }
            "identifier" | "shorthand_property_identifier" => {
                let name = self.text(v);
                match self.local_value(name, v) {
                    Some(value) => self.parties_value(value, depth + 1, dev),
                    None => Parties::Set,
                }
            }
            "ternary_expression" => {
                let cond = v.field("condition").map(|c| self.text(c)).unwrap_or("");
                let (dev_a, dev_b) = dev_branches(cond);
                let a = v
                    .field("consequence")
                    .map(|x| self.parties_value(x, depth + 1, dev || dev_a))
                    .unwrap_or(Parties::Set);
                let b = v
                    .field("alternative")
                    .map(|x| self.parties_value(x, depth + 1, dev || dev_b))
                    .unwrap_or(Parties::Set);
                a.worst(b)
            }
            "string" | "template_string" => self.parties_item(v, depth, dev),
            _ => Parties::Set,
        }
    }

    /// One entry of the list.
    fn parties_item(&self, item: Node<'_>, depth: usize, dev: bool) -> Parties {
        if depth > MAX_DEPTH {
            return Parties::Set;
        }
        if let Some(text) = self.request_origin(item) {
            return Parties::FromRequest {
                span: span(item),
                text,
            };
        }
        if item.kind_str() == "identifier" {
            return match self.local_value(self.text(item), item) {
                // `const origin = req.headers.get('origin')`: reported where it is listed.
                Some(v) => match self.parties_item(strip(v), depth + 1, dev) {
                    Parties::FromRequest { text, .. } => Parties::FromRequest {
                        span: span(item),
                        text,
                    },
                    p => p,
                },
                None => Parties::Set,
            };
        }
        let Some(value) = string_value(self.src, item) else {
            return Parties::Set;
        };
        if value.contains('*') {
            return Parties::Wildcard {
                span: span(item),
                value,
            };
        }
        if !dev
            && let Some(rest) = value.strip_prefix("http://")
            && !is_loopback(rest)
        {
            return Parties::Http {
                span: span(item),
                value,
            };
        }
        Parties::Set
    }

    /// An expression that reads the request's own origin or host: `req.headers.get('origin')`,
    /// `req.headers.host`, `req.get('host')`, `req.nextUrl.origin`, `new URL(req.url).origin`,
    /// `req.hostname`. Returns its text.
    fn request_origin(&self, n: Node<'_>) -> Option<String> {
        let mut stack = vec![n];
        let mut visited = 0;
        while let Some(x) = stack.pop() {
            visited += 1;
            if visited > 2_000 {
                break;
            }
            if is_function_kind(x.kind_str()) {
                continue;
            }
            let hit = match x.kind_str() {
                "call_expression" => {
                    x.field("function")
                        .map(strip)
                        .filter(|f| f.kind_str() == "member_expression")
                        .and_then(|f| f.field("property"))
                        .is_some_and(|p| self.text(p) == "get")
                        && x.field("arguments")
                            .and_then(|a| a.named_child(0))
                            .and_then(|a| string_value(self.src, a))
                            .is_some_and(|h| is_origin_header(&h))
                }
                "member_expression" => {
                    let prop = x.field("property").map(|p| self.text(p)).unwrap_or("");
                    let obj = x
                        .field("object")
                        .map(|o| self.text(o).to_ascii_lowercase())
                        .unwrap_or_default();
                    matches!(prop, "origin" | "host" | "hostname")
                        && !obj.contains("process.env")
                        && !obj.contains("window")
                        && (obj.contains("req")
                            || obj.contains("headers")
                            || obj.contains("nexturl"))
                }
                "subscript_expression" => {
                    let obj = x
                        .field("object")
                        .map(|o| self.text(o).to_ascii_lowercase())
                        .unwrap_or_default();
                    obj.contains("headers")
                        && x.field("index")
                            .and_then(|i| string_value(self.src, i))
                            .is_some_and(|h| is_origin_header(&h))
                }
                _ => false,
            };
            if hit {
                return Some(compact(self.text(x)));
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        None
    }
}

/// Headers that carry the request's origin or host.
fn is_origin_header(h: &str) -> bool {
    matches!(
        h.to_ascii_lowercase().as_str(),
        "origin" | "host" | "x-forwarded-host" | "referer" | "referrer"
    )
}

/// Which branches of `cond ? a : b` run only in development: (a, b).
fn dev_branches(cond: &str) -> (bool, bool) {
    let negated = cond.contains("!==") || cond.contains("!=");
    if cond.contains("production") {
        (negated, !negated)
    } else if cond.contains("development") {
        (!negated, negated)
    } else {
        (false, false)
    }
}

/// Whether the rest of an `http://` origin names a loopback or private development host.
fn is_loopback(rest: &str) -> bool {
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = if host.starts_with('[') {
        host.split(']').next().unwrap_or("").trim_start_matches('[')
    } else {
        host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host)
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host == "0.0.0.0"
        || host.starts_with("127.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Lang;

    fn facts(src: &str) -> OriginFacts {
        let tree = crate::parse::parse(Lang::Ts, src).expect("parse");
        let imports = super::super::imports::scan_file(Lang::Ts, src);
        let code = super::super::code::extract(&tree, src, &imports);
        extract(tree.root_node(), src, &code)
    }

    fn parties(o: &Options) -> Option<&Parties> {
        match o {
            Options::Object { parties } => Some(parties),
            _ => None,
        }
    }

    #[test]
    fn middleware_options() {
        let f = facts(
            r#"
import { clerkMiddleware } from '@clerk/nextjs/server'
import { shared } from './options'
const opts = { authorizedParties: [] }
const a = clerkMiddleware()
const b = clerkMiddleware(async (auth, req) => {}, { signInUrl: '/in' })
const c = clerkMiddleware(async (auth) => {}, opts)
const d = clerkMiddleware(async (auth) => {}, (req) => ({
  authorizedParties: [req.headers.get('origin') ?? ''],
}))
const e = clerkMiddleware({ authorizedParties: ['*'] })
const g = clerkMiddleware({ authorizedParties: ['http://app.example.com', 'http://localhost:3000'] })
const h = clerkMiddleware({ authorizedParties: process.env.NODE_ENV === 'production' ? ['https://a.com'] : ['http://dev.lan:3000'] })
const i = clerkMiddleware({ authorizedParties: process.env.ORIGINS!.split(',') })
const j = clerkMiddleware(handler, shared)
const k = clerkMiddleware({ ...shared, signInUrl: '/x' })
"#,
        );
        let got: Vec<String> = f
            .calls
            .iter()
            .map(|c| match &c.options {
                Options::Absent => "absent".to_string(),
                Options::Imported { local } => format!("imported {local}"),
                Options::Unknown { .. } => "unknown".to_string(),
                o => format!("{:?}", parties(o).map(|p| p.rank())),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                "absent",
                "Some(6)",
                "Some(4)",
                "Some(5)",
                "Some(3)",
                "Some(2)",
                "Some(0)",
                "Some(0)",
                "imported shared",
                "Some(1)",
            ]
        );
        assert!(!f.objects.is_empty());
    }

    #[test]
    fn backend_calls() {
        let f = facts(
            r#"
import { createClerkClient, verifyToken } from '@clerk/backend'
const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })
export async function handle(req: Request) {
  const state = await clerk.authenticateRequest(req, { authorizedParties: ['https://a.com'] })
  const c = clerk
  await c.authenticateRequest(req)
  await verifyToken(token, { jwtKey: process.env.CLERK_JWT_KEY })
  await other.authenticate(req)
}
"#,
        );
        let got: Vec<(AuthApi, Option<String>, bool)> = f
            .calls
            .iter()
            .map(|c| {
                (
                    c.api,
                    c.receiver.clone(),
                    parties(&c.options) == Some(&Parties::Set),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    AuthApi::AuthenticateRequest,
                    Some("createClerkClient".into()),
                    true
                ),
                (
                    AuthApi::AuthenticateRequest,
                    Some("createClerkClient".into()),
                    false
                ),
                (AuthApi::VerifyToken, None, false),
            ]
        );
    }

    #[test]
    fn cycles_end() {
        let f = facts(
            r#"
import { clerkMiddleware } from '@clerk/express'
const a = b
const b = a
const o = p
const p = o
export const m1 = clerkMiddleware({ authorizedParties: a })
export const m2 = clerkMiddleware(o)
export const m3 = clerkMiddleware({ authorizedParties: [c] })
const c = c
"#,
        );
        assert_eq!(f.calls.len(), 3);
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("localhost:3000"));
        assert!(is_loopback("127.0.0.1:3000/x"));
        assert!(is_loopback("[::1]:3000"));
        assert!(is_loopback("app.localhost"));
        assert!(!is_loopback("example.com"));
        assert!(!is_loopback("localhost.example.com"));
    }
}
