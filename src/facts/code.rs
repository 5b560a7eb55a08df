//! Code facts: what the handler, middleware and boundary rules need to know about a parsed
//! JS/TS module — its imports and exports, its functions and the auth checks in each of them,
//! the middleware's `config.matcher` and `createRouteMatcher` definitions.
//!
//! Only files some rule needs are parsed (route files, middleware, server actions, files that
//! mention Clerk APIs, helpers a handler calls); the result is cached in `FileFacts::code`.
//!
//! The analysis is intra-procedural here and summarises each function once; the project model
//! resolves calls across files (`project::guards`).

use crate::parse::NodeFields;
use crate::parse::NodeKind;
use std::collections::BTreeMap;

// The extractor's own maps (hundreds of thousands of inserts on a large tree) hash with foldhash.
use foldhash::{HashMap, HashMapExt, HashSet};

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

pub use super::evidence::Check;
pub use super::names::NameMap;
use crate::finding::Span;
use crate::source::Lang;

mod effect;
pub(super) use effect::returned_expression;

/// A local name bound by an import statement or `require`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportBinding {
    pub source: String,
    /// `default`, `*` or the exported name.
    pub imported: String,
    pub type_only: bool,
}

/// A callee, as a path of names: `auth` → `["auth"]`, `auth.protect` → `["auth", "protect"]`,
/// `auth().protect` → `["auth()", "protect"]`, `clerkClient().users.deleteUser` → …
pub type CalleePath = Vec<String>;

/// How a check leaves the function when the session is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exit {
    /// `return …`: leaves only this function (a guard in a handler, not in a helper).
    Return,
    /// `throw`, `redirect()`, `notFound()`, `auth.protect()`: leaves every caller too.
    Throw,
}

/// What kind of Clerk session source a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionCall {
    /// `auth()` (App Router).
    Auth,
    /// `currentUser()`.
    CurrentUser,
    /// `getAuth(req)` (Pages Router, Express-style SDKs).
    GetAuth,
    /// `auth.protect()` (v6+) or `auth().protect()` (v5).
    Protect,
    /// `authenticateRequest(…)`, `verifyToken(…)`.
    Verify,
}

/// A call of a Clerk session API, for `auth-result-unchecked`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthCall {
    pub span: Span,
    pub kind: SessionCall,
    /// Local name of the callee (`auth`, `currentUser`, …).
    pub callee: String,
    pub awaited: bool,
    /// Something acts on the result (a condition, `.protect()`, returned to a caller).
    pub checked: bool,
    /// `auth().protect()`: the v5 form.
    pub v5_protect: bool,
    /// `const { userId } = auth()` without `await`.
    pub destructured_without_await: bool,
    /// Index of the enclosing function.
    pub function: Option<usize>,
    /// Calls the result (or a value read off it) is handed to as an argument
    /// (`resolveAccess(session)`, `getUserCtx(userId)`): checked when one of them tests it
    /// (decided in the project phase).
    pub handed_to: Vec<Handoff>,
    /// The call lies past a test of an earlier session result that leaves the function when
    /// the user is missing (`if (!userId) return redirectToSignIn()`), in a block on the path
    /// to the call: every request that reaches it has a user.
    #[serde(default)]
    pub past_a_check: bool,
}

/// A call a session result is handed to, and where in its arguments the value goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    pub callee: CalleePath,
    /// The argument and the keys of the object literals around the value
    /// (`f(a, { id: orgId })` → argument 1, `["id"]`); `None` when it goes through an array
    /// or a spread.
    pub slot: Option<ParamSlot>,
    /// The receiving call (to find it among `FnFacts::calls`).
    #[serde(default)]
    pub call: Option<Span>,
    /// What is handed is the whole auth object of `auth()` / `getAuth(req)` (or a
    /// verification's result), which every caller has: only a test of a key read off it
    /// (`opts.auth.userId`) tests the session.
    #[serde(default)]
    pub whole_object: bool,
}

/// A parameter of a function, or a value inside it: the parameter's position and the keys
/// read off it (`({ id }) =>` binds argument 0, `["id"]`; `(opts) => opts.user.id` reads
/// argument 0, `["user", "id"]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSlot {
    pub index: u32,
    pub keys: Vec<String>,
}

impl ParamSlot {
    /// Whether a test of `self` tests the value `handed` holds, or a value read off it.
    pub fn covers(&self, handed: &ParamSlot) -> bool {
        self.index == handed.index && self.keys.starts_with(&handed.keys)
    }
}

/// One auth-relevant statement at the top level of a function body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// A check that holds by itself and leaves the function when it fails: `auth.protect()`,
    /// a condition on a Clerk session value that exits, a role test, a webhook signature, a
    /// shared secret (see `Check`).
    Check {
        check: Check,
        exit: Exit,
        span: Span,
    },
    /// `await f(…)` / `const x = await f(…)`: a guard when `f` is a guard helper. `unawaited`:
    /// a call statement without `await` (`requireUser(args);`): an async guard's rejection
    /// then never stops the caller.
    Call {
        callee: CalleePath,
        span: Span,
        #[serde(default)]
        unawaited: bool,
    },
    /// `const x = await f(…); if (!x) exit`: a guard when `f` returns a session value.
    /// `if ('error' in x) exit` / `if (x.error) exit` names the key it tests (`discriminant`):
    /// a guard only when `f`'s signed-out return has that key (`Returns::signed_out_keys`).
    CheckedCall {
        callee: CalleePath,
        exit: Exit,
        span: Span,
        discriminant: Option<String>,
    },
    /// `if (!isTeacher(userId)) exit`: a project predicate applied to a session value; a check
    /// when the predicate tests the value it is given (it is falsy for a signed-out user).
    Predicate {
        callee: CalleePath,
        exit: Exit,
        span: Span,
    },
    /// A `switch` dispatcher: protected when every branch that does work is.
    Branches { branches: Vec<Branch>, span: Span },
    /// `if (cond) return <data>`: a path that leaves with a result (not an error).
    OpenReturn { when: String, span: Span },
    /// Steps that run only when an option holds: `if (options.requireAuth && !userId) throw
    /// …`, the body of `if (options.requireAuth || options.requireOrg) { … }`. `flags` are the
    /// options, any one of which switches the steps on: reads rooted at a name
    /// (`["options", "requireAuth"]`), typically a parameter of the wrapper that returns this
    /// function, so that the argument its caller passes decides (project phase). The steps
    /// hold no `When` of their own (nested ones are folded into one).
    When {
        flags: Vec<Vec<String>>,
        steps: Vec<Step>,
        span: Span,
    },
}

/// The pseudo-key of `Returns::signed_out_keys` that says a signed-out caller gets something
/// truthy back (an error response) where a signed-in one gets nothing (`null`, `undefined`):
/// the caller's `if (err) return err` turns the signed-out request away.
pub const SIGNED_OUT_TRUTHY: &str = "(truthy)";

/// Whether a name or an expression's text names a secret (`bearer`, `secret`, `token`, an
/// API key, a password, the `authorization` header).
fn secret_named(x: &str) -> bool {
    let l = x.to_ascii_lowercase();
    l.contains("bearer")
        || ["secret", "token", "apikey", "api_key", "password"]
            .iter()
            .any(|w| l.contains(w))
        || l.contains("authorization")
        || l.contains("x-api-key")
}

/// Whether a branch's text returns an error response (`return NextResponse.json(…, { status:
/// 401 })`, `return new Response('…', { status: 403 })`), not nothing.
fn returns_error_response(branch: &str) -> bool {
    let t: String = branch.chars().filter(|c| !c.is_whitespace()).collect();
    t.contains("return")
        && ["status:4", "status(4"].iter().any(|m| t.contains(m))
        && (t.contains("Response") || t.contains(".json(") || t.contains(".status("))
}

/// Whether every `return` of a function body (comments blanked) gives back nothing
/// (`return`, `return null`, `return undefined`) or an error response: then a truthy result
/// means an error.
fn returns_nothing_or_errors(body: &str) -> bool {
    word_ends(body, "return").all(|at| {
        // (`x.return` is a property, not a statement.)
        if body[..at - "return".len()].ends_with('.') {
            return true;
        }
        let rest = body[at..].trim_start();
        // The returned expression: to the first `;`, line end or `}` outside brackets.
        let mut depth = 0usize;
        let mut end = rest.len();
        for (j, c) in rest.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                '}' if depth == 0 => {
                    end = j;
                    break;
                }
                '}' => depth -= 1,
                ';' | '\n' if depth == 0 => {
                    end = j;
                    break;
                }
                _ => {}
            }
        }
        let value = rest[..end].trim();
        matches!(value, "" | "null" | "undefined")
            || returns_error_response(&format!("return {value}"))
    })
}

/// Whether returned text is an error or empty response (`status: 405`, `res.status(400)`,
/// `new Response(null, …)`, `res.end()`), which serves no data.
pub fn is_error_response(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains("return;") || t == "return" || t.ends_with("return}") {
        return true;
    }
    [
        "status:4",
        "status:5",
        "status(4",
        "status(5",
        "Response(null",
        "notFound(",
        ".end()",
        "redirect(",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// One `case` of a dispatcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub steps: Vec<Step>,
    /// Only answers an error (400/404/405, throw) without doing work.
    pub harmless: bool,
}

/// What a function returns that matters for its callers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Returns {
    /// Returns a value derived from a Clerk session that is falsy when signed out (`userId`,
    /// `currentUser()`, a profile looked up after `if (!userId) return null`).
    pub session_value: bool,
    /// Calls to project functions whose result it returns (`return getSession()`).
    pub calls: Vec<CalleePath>,
    /// Calls whose result it tests before returning something else (`if (!x) return null`):
    /// it returns a session value when one of them does.
    pub checked_calls: Vec<CalleePath>,
    /// Functions it returns (higher-order wrappers: `(handler) => async (req) => …`).
    pub functions: Vec<usize>,
    /// Calls of a plain name whose result it returns, with their arguments, when one argument
    /// may be a handler (`return withMcpAuth(handler, verifyToken, { required: true })`): as a
    /// factory or a wrapper, what it returns is what that call builds. The arguments are read
    /// as options only: names, literal flags and object literals, in which a spread
    /// `...options` stands, in place, as a field with the key `...`.
    #[serde(default)]
    pub wrapper_calls: Vec<Binding>,
    /// The keys of the object it returns when signed out (`if (!userId) return { error:
    /// 'Unauthorized', status: 401 }`): a caller that exits on one of them (`'error' in r`)
    /// turns the signed-out request away.
    pub signed_out_keys: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FnFacts {
    pub name: Option<String>,
    /// Where to report the function (its name, or its start).
    pub span: Span,
    /// The whole function.
    pub range: Span,
    pub params: Vec<String>,
    /// Every name the parameters bind, destructured ones included.
    pub param_names: Vec<String>,
    pub is_async: bool,
    /// Its body starts with `'use server'`.
    pub use_server: bool,
    /// Defined at the top level of the module.
    pub top_level: bool,
    pub steps: Vec<Step>,
    pub returns: Returns,
    /// Every call in the body (outside nested functions), for authorization analysis.
    pub calls: Vec<(CalleePath, Span)>,
    /// The body compares or tests its first parameter (`userId === process.env.ADMIN_ID`,
    /// `if (!userId) return false`): as a predicate it is falsy for a missing value.
    pub tests_first_param: bool,
    /// The parameters (or values read off them) the function refuses to go on without: a
    /// test at the top level of its body, before any other use, that is true when the value
    /// is missing and leaves with nothing (`if (!id) return []`, `return null`, an error
    /// response, a throw). A caller's value handed there is acted on.
    #[serde(default)]
    pub refused_params: Vec<ParamSlot>,
    /// The body awaits something or calls anything but response builders: it does work.
    pub does_work: bool,
    /// It does no work but uses a module-level binding or an import (data it may serve).
    pub reads_module_data: bool,
    /// It reads a server-only environment variable (not `NEXT_PUBLIC_…`): data it may serve.
    #[serde(default)]
    pub reads_env: bool,
    /// It awaits something besides the session (a CORS preflight that reads its allowed
    /// origins from the environment awaits nothing).
    #[serde(default)]
    pub awaits: bool,
    /// The body compares a request value with a secret (`timingSafeEqual`, an HMAC, a
    /// comparison with a secret-named environment variable): as a predicate it verifies a
    /// machine caller.
    pub compares_secret: bool,
    /// Top-level tests of a parameter's value that reject (`if (!ctx.auth.userId) throw …` in
    /// a tRPC middleware): the value comes from the caller, so the project model decides
    /// whether it is a session value.
    pub param_checks: Vec<ParamCheck>,
    /// What the function gives back when its whole body returns a value read off its first
    /// parameter (`(c) => c.get('userId')`, `return ctx.var.user`): that path, rooted at the
    /// parameter's name; empty otherwise.
    pub returned_param: Vec<String>,
    /// Indices in `calls` of the calls that count as work (not a response builder, a pure
    /// method or a session read).
    #[serde(default)]
    pub work_calls: Vec<u32>,
    /// The parameters that are plain names, by position, of a function that returns a
    /// function or a wrapper call (a wrapper or a factory): an option its check depends on
    /// (`Step::When`) is read off the argument at that position, or off the default.
    #[serde(default)]
    pub option_params: Vec<OptionParam>,
}

/// A parameter a caller's argument fills: `options`, `options = { requireAuth: true }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionParam {
    /// Its position in the parameter list.
    pub index: u32,
    pub name: String,
    /// Its default value, when that is an object literal (read as by
    /// [`Returns::wrapper_calls`]).
    #[serde(default)]
    pub default: Option<Binding>,
}

/// `if (!ctx.auth.userId) throw …`: a negative test of a value read from a parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamCheck {
    /// The tested path, rooted at the parameter (`["ctx", "auth", "userId"]`).
    pub path: Vec<String>,
    pub exit: Exit,
    pub span: Span,
}

/// One `.method(args)` link of a builder chain (`client.use(mw).schema(s).action(fn)`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainLink {
    pub method: String,
    /// `None` for a property read without a call (`t.procedure`).
    pub args: Option<Vec<Binding>>,
    pub span: Span,
}

/// One `key: value` of an object literal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    pub value: Binding,
    /// The key (where a finding about this entry points).
    pub span: Span,
    /// `key: true` / `key: false`: the literal's value (an option a wrapper reads, such as
    /// `{ required: true }`).
    #[serde(default)]
    pub literal: Option<bool>,
}

/// A call that serves a router (`fetchRequestHandler({ router, createContext })`,
/// `createRouteHandler({ router })`), anywhere in the module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterCall {
    pub callee: CalleePath,
    /// The fields of its options object.
    pub options: Vec<Field>,
    pub span: Span,
}

/// What a module-level name is bound to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    Function {
        index: usize,
    },
    /// `wrapper(arg…)`: the args that are functions or identifiers are kept.
    Call {
        callee: CalleePath,
        args: Vec<Binding>,
        span: Span,
    },
    Identifier {
        name: String,
    },
    /// A builder chain whose receiver is itself a call: `createSafeActionClient().use(mw)`,
    /// `client.schema(s).action(fn)`, `f({ image: {} }).middleware(fn).onUploadComplete(fn)`.
    /// (`a.b(x)` with no call in its receiver stays a `Call` with the path `["a", "b"]`.)
    Chain {
        /// The receiver at the root of the chain: a name (`client`, `t.procedure`) or, with
        /// `base_args`, a called function (`createSafeActionClient`).
        base: CalleePath,
        base_args: Option<Vec<Binding>>,
        links: Vec<ChainLink>,
        span: Span,
    },
    /// An object literal: its entries whose values are functions, names, calls or objects.
    Object {
        fields: Vec<Field>,
        /// Some entry is not among `fields` (a spread, a computed key): the object may have
        /// keys that are not listed.
        #[serde(default)]
        open: bool,
    },
    /// Class, literal, anything else.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    /// Exported name (`default` for the default export).
    pub name: String,
    /// Span to report (the exported name, or the expression of a default export).
    pub span: Span,
    pub target: Binding,
    /// `export { x } from 'm'` / `export * from 'm'`: the module it re-exports from.
    pub from: Option<String>,
}

/// A string literal with its span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

/// An entry of a route-pattern list (`createRouteMatcher([...])`, `config.matcher`,
/// `publicRoutes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PatternItem {
    Str {
        value: String,
        span: Span,
    },
    /// `{ source, has, missing }` (Next.js matcher objects).
    Object {
        source: String,
        span: Span,
        conditional: bool,
    },
    /// A regular-expression literal.
    Regex {
        pattern: String,
        flags: String,
        span: Span,
    },
    /// An identifier or import not resolvable in this file (`...publicPaths`).
    Reference {
        name: String,
        span: Span,
    },
    /// Anything else (a function call, a computed string).
    Dynamic {
        span: Span,
    },
}

/// The patterns bound to a name or written inline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternList {
    pub items: Vec<PatternItem>,
    pub span: Span,
}

/// `export const config = { matcher }` of a middleware/proxy file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatcherConfig {
    /// No `config` export, or a config without `matcher`: every path.
    Absent,
    /// A literal matcher.
    Literal(PatternList),
    /// Not a literal: Next.js ignores it (the middleware then runs on every path).
    NonLiteral { span: Span },
}

/// The middleware export of a middleware/proxy file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiddlewareFacts {
    /// The exported binding Next.js calls (default export, or `middleware`/`proxy`).
    pub export: Option<Export>,
    pub config: MatcherConfig,
    pub config_span: Option<Span>,
    /// What the exported middleware is and does.
    pub kind: Option<super::middleware::MiddlewareKind>,
    /// `authMiddleware` calls and headers stamped with environment values, file-wide.
    pub extras: super::middleware::Extras,
}

/// Everything extracted from one parsed module.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFacts {
    pub syntax_errors: bool,
    /// The code nests deeper than the extractors follow (`facts::depth`): what lies below
    /// that depth is unknown.
    pub too_deep: bool,
    pub imports: NameMap<ImportBinding>,
    pub functions: Vec<FnFacts>,
    pub bindings: NameMap<Binding>,
    pub exports: Vec<Export>,
    /// `export * from 'm'` sources.
    pub export_all_from: Vec<String>,
    /// Top-level `const X = [...]` of strings/regexes (and spreads of other lists). Ordered
    /// maps: empty in most modules, and 24 bytes where a hash map is 48.
    pub pattern_lists: BTreeMap<String, PatternList>,
    /// Top-level `const X = createRouteMatcher(arg)`: the argument's patterns.
    pub route_matchers: BTreeMap<String, PatternList>,
    pub auth_calls: Vec<AuthCall>,
    /// `export const config` of the module (meaningful for middleware/proxy files).
    pub middleware: Option<Box<MiddlewareFacts>>,
    /// Admin operations, role checks and organization ids (`facts::authz`).
    pub authz: super::authz::AuthzFacts,
    /// Clerk authenticator calls and their `authorizedParties` (`facts::origins`).
    pub origins: super::origins::OriginFacts,
    /// Calls that serve a router from an options object (tRPC adapters, uploadthing).
    pub router_calls: Vec<RouterCall>,
    /// Imported names handed to a call as an argument or as an option's value, with the
    /// function the call is in (`prefetchQuery({ queryFn: getItems })`): the callee runs
    /// them. Empty in most modules.
    #[serde(default)]
    pub handed: Vec<(u32, String)>,
    /// Imported names the module body itself calls or hands to a call, outside any function
    /// (`app.use(clerkMiddleware())`, `app.use(requireAuth)`).
    #[serde(default)]
    pub module_uses: Vec<String>,
    /// Registrations of the frameworks beside Next.js (`facts::frameworks`).
    pub frameworks: super::frameworks::FrameworkFacts,
}

impl CodeFacts {
    pub fn function(&self, i: usize) -> Option<&FnFacts> {
        self.functions.get(i)
    }

    pub fn export(&self, name: &str) -> Option<&Export> {
        self.exports.iter().find(|e| e.name == name)
    }

    /// The function a module-level name is (or wraps), following local aliases.
    pub fn local_function(&self, name: &str) -> Option<usize> {
        let mut name = name.to_string();
        for _ in 0..8 {
            match self.bindings.get(&name)? {
                Binding::Function { index } => return Some(*index),
                Binding::Identifier { name: next } => name = next.clone(),
                _ => return None,
            }
        }
        None
    }

    /// Whether a local name is an import from a Clerk package (or from a project module, which
    /// may re-export Clerk: the project phase decides).
    pub fn is_imported(&self, local: &str) -> bool {
        self.imports.contains_key(local)
    }

    pub fn import_source(&self, local: &str) -> Option<&str> {
        self.imports.get(local).map(|b| b.source.as_str())
    }
}

/// How many arguments of a call, and fields of an options object, are read for the names a
/// call hands over (`handed`).
const MAX_HANDED_ARGS: u32 = 16;

/// How deeply nested arguments, chains and object literals of a binding are recorded.
const MAX_BINDING_DEPTH: usize = 12;
/// The longest builder chain recorded (`a.b().c().d()…`).
const MAX_CHAIN_LINKS: usize = 64;

/// Whether a receiver expression holds a call (`a().b`, `a.b(x).c`), looking through member
/// reads and value wrappers, iteratively.
fn contains_call(n: Node<'_>) -> bool {
    let mut cur = n;
    for _ in 0..MAX_CHAIN_LINKS {
        let s = strip(cur);
        match s.kind_str() {
            "call_expression" => return true,
            "member_expression" | "subscript_expression" => match s.field("object") {
                Some(o) => cur = o,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// Names of Clerk's session APIs and what they are.
fn session_call_kind(name: &str) -> Option<SessionCall> {
    match name {
        "auth" => Some(SessionCall::Auth),
        "currentUser" => Some(SessionCall::CurrentUser),
        "getAuth" => Some(SessionCall::GetAuth),
        "authenticateRequest" | "verifyToken" => Some(SessionCall::Verify),
        _ => None,
    }
}

/// Calls that leave the request by throwing (Next.js navigation helpers, Clerk redirects).
fn is_throwing_exit_call(last: &str) -> bool {
    matches!(
        last,
        "redirect"
            | "permanentRedirect"
            | "notFound"
            | "unauthorized"
            | "forbidden"
            | "redirectToSignIn"
            | "redirectToSignUp"
    )
}

/// Extract code facts from a parsed tree. `imports` is the module's import record from the
/// byte-level scan (`facts::imports`), the one import model every analysis shares; the tree
/// adds only CommonJS bindings (`const { a } = require('m')`), which are declarations.
pub fn extract(
    tree: &tree_sitter::Tree,
    src: &str,
    imports: &[super::imports::Import],
) -> CodeFacts {
    extract_with(tree, src, imports, false)
}

/// The name of the function that stands for a component's module body (an Astro page's
/// frontmatter, which runs on the server for every request).
pub const MODULE_BODY: &str = "<frontmatter>";

/// Like [`extract`], for a module whose body runs per request (an Astro component's
/// frontmatter): the body is also summarised as a function named [`MODULE_BODY`] (its
/// top-level `return Astro.redirect(…)` leaves the request).
pub fn extract_component(
    tree: &tree_sitter::Tree,
    src: &str,
    imports: &[super::imports::Import],
) -> CodeFacts {
    extract_with(tree, src, imports, true)
}

fn extract_with(
    tree: &tree_sitter::Tree,
    src: &str,
    imports: &[super::imports::Import],
    module_body: bool,
) -> CodeFacts {
    let root = tree.root_node();
    let mut x = Extractor {
        src,
        fn_index: HashMap::new(),
        module_fn: None,
        module_body,
        session_fn_aliases: Default::default(),
        effect: false,
        scope_fns: Vec::new(),
        scope_calls: Vec::new(),
        classes: HashMap::new(),
        session_names: Vec::new(),
        facts: CodeFacts {
            syntax_errors: root.has_error(),
            ..CodeFacts::default()
        },
        imports: HashMap::new(),
        bindings: HashMap::new(),
        constants: HashMap::default(),
        value_imports: false,
    };
    for imp in imports {
        if imp.kind != super::imports::ImportKind::Static {
            continue;
        }
        for n in &imp.names {
            x.add_import(
                &n.local,
                &imp.source,
                &n.imported,
                imp.type_only || n.type_only,
            );
        }
    }
    // Only where the byte-level scan saw a `require('m')`: the query matches nothing else, and
    // compiling it costs milliseconds per grammar (a tenth of a small scan).
    if imports
        .iter()
        .any(|i| i.kind == super::imports::ImportKind::Require)
    {
        x.collect_requires(root);
    }
    x.effect = x
        .imports
        .values()
        .any(|b| effect::is_effect_source(&b.source));
    x.value_imports = x.imports.values().any(|b| !b.type_only);
    x.module(root);
    x.finish()
}

impl CodeFacts {
    /// Give back the slack of vectors grown while extracting: the facts of thousands of files
    /// live until the scan ends, and amortised growth leaves up to half of each vector unused.
    fn shrink_to_fit(&mut self) {
        for f in &mut self.functions {
            f.params.shrink_to_fit();
            f.param_names.shrink_to_fit();
            f.steps.shrink_to_fit();
            f.calls.shrink_to_fit();
            f.param_checks.shrink_to_fit();
            f.refused_params.shrink_to_fit();
        }
        self.functions.shrink_to_fit();
        self.exports.shrink_to_fit();
        self.export_all_from.shrink_to_fit();
        self.auth_calls.shrink_to_fit();
        self.router_calls.shrink_to_fit();
        self.handed.shrink_to_fit();
        self.module_uses.shrink_to_fit();
    }
}

struct Extractor<'s> {
    src: &'s str,
    /// `facts.functions` by range (a linear search made many functions quadratic).
    fn_index: HashMap<Span, usize>,
    facts: CodeFacts,
    /// `facts.imports` and `facts.bindings` while they are filled (they become the facts'
    /// compact maps at the end, `Extractor::finish`).
    imports: HashMap<String, ImportBinding>,
    bindings: HashMap<String, Binding>,
    /// Module-level `const` names bound to what may be a literal (`const greetings =
    /// ['Hello', …]`), with the value's span: serving a literal the module never changes
    /// serves nothing the module holds beyond its source.
    constants: HashMap<String, Span>,
    /// Summarise the module body as a function ([`MODULE_BODY`]).
    module_body: bool,
    /// Its index, once summarised (module-level calls are its calls).
    module_fn: Option<usize>,
    /// Local names bound to the request's session function itself
    /// (`const authFn = event.context.auth`): calling them reads the session.
    session_fn_aliases: HashSet<String>,
    /// The module imports from an Effect package (`effect`): its programs are read too.
    effect: bool,
    /// The functions whose bodies are being read, outermost first (the last is the current
    /// one): an option a closure reads off an enclosing function's parameter
    /// (`options.requireAuth`) is one its caller passes.
    scope_fns: Vec<usize>,
    /// The local names of the enclosing functions bound to a call's result
    /// (`const authMiddleware = withAuth()`), innermost last, while a function they return is
    /// read: calling such a name runs what that call returned.
    scope_calls: Vec<HashMap<String, CalleePath>>,
    /// The module's top-level classes by name (their declarations' ranges): an instance made
    /// of one at module level (`export const service = new Service()`) is bound to its methods.
    classes: HashMap<String, Span>,
    /// The names session calls' results are bound to so far, in source order (see
    /// [`SessionNames`]): what a later test of the session reads.
    session_names: Vec<SessionNames>,
    /// The module imports a value (not only types): a call may hand one over.
    value_imports: bool,
}

/// Names bound from one session call's result (`const { userId } = await auth()`).
struct SessionNames {
    names: Vec<String>,
    /// The name holds the whole object of `auth()`/`getAuth()` (always truthy): only a value
    /// read off it (`session.userId`) is a test of the session.
    whole_object: bool,
    /// Where the declaration ends: a test before it reads another value.
    from: usize,
    /// The range of the innermost function around the call (the whole module outside any):
    /// the names mean the session only inside it.
    scope: Span,
}

/// Astro's `locals.auth` / `Astro.locals.auth` / `context.locals.auth` and Nuxt's
/// `event.context.auth`: the session function `clerkMiddleware` puts on the request.
fn is_request_session_fn(path: &[String]) -> bool {
    path.len() >= 2
        && path[path.len() - 1] == "auth"
        && matches!(path[path.len() - 2].as_str(), "locals" | "context")
}

pub(crate) fn span(n: Node<'_>) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

/// Strip wrappers that do not change a value: parentheses, `await`, TS `as`/`!`/`satisfies`.
pub(crate) fn strip(mut n: Node<'_>) -> Node<'_> {
    loop {
        match n.kind_str() {
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion" => match n.named_child(0) {
                Some(c) => n = c,
                None => return n,
            },
            // `yield* eff` in an Effect generator gives the effect's result, like `await`.
            "yield_expression" if effect::is_delegating_yield(n) => match n.named_child(0) {
                Some(c) => n = c,
                None => return n,
            },
            _ => return n,
        }
    }
}

/// The index in `ancestors` (root first) just below the innermost function among them (0
/// when there is none): where the ancestors inside that function start.
fn below_innermost_function(ancestors: &[Node<'_>]) -> usize {
    ancestors
        .iter()
        .rposition(|a| is_function_kind(a.kind_str()))
        .map_or(0, |p| p + 1)
}

/// Whether the node whose ancestors (root first) these are is awaited, through wrappers.
fn is_awaited(ancestors: &[Node<'_>]) -> bool {
    for parent in ancestors.iter().rev() {
        super::depth::visit(1);
        match parent.kind_str() {
            "await_expression" => return true,
            "parenthesized_expression" | "as_expression" | "non_null_expression" => {}
            _ => return false,
        }
    }
    false
}

/// Nodes under which no call and no function can stand: strings (a template string's
/// substitutions can, so it is not one), comments, type annotations and declarations, import
/// statements, a JSX closing tag and JSX text. A walk that looks for calls and functions
/// steps over them (a quarter of the nodes of a tree's route files and pages).
pub(crate) fn holds_no_code(kind: &str) -> bool {
    matches!(
        kind,
        "string"
            | "comment"
            | "regex"
            | "type_annotation"
            | "type_arguments"
            | "type_parameters"
            | "interface_declaration"
            | "type_alias_declaration"
            | "import_statement"
            | "jsx_closing_element"
            | "jsx_text"
    )
}

/// Where the next byte that a call or a function needs lies: every call has a `(` or a tagged
/// template's backquote, every function a `(` or an arrow's `=>`. Asked at nondecreasing
/// offsets (a walk in source order), the text is searched once in all.
struct CallMarks<'a> {
    bytes: &'a [u8],
    /// The first mark at or after every offset asked so far (the text's length when none).
    next: usize,
    /// The offset `next` was searched from.
    from: usize,
}

impl<'a> CallMarks<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        CallMarks {
            bytes,
            next: 0,
            from: usize::MAX,
        }
    }

    /// The first mark at or after `at`.
    fn next_from(&mut self, at: usize) -> usize {
        if self.from <= at && at <= self.next {
            return self.next;
        }
        let mut i = at.min(self.bytes.len());
        self.from = at;
        self.next = loop {
            match memchr::memchr3(b'(', b'`', b'>', &self.bytes[i..]) {
                None => break self.bytes.len(),
                Some(p) => {
                    let j = i + p;
                    if self.bytes[j] != b'>' || (j > 0 && self.bytes[j - 1] == b'=') {
                        break j;
                    }
                    i = j + 1;
                }
            }
        };
        self.next
    }
}

/// The names of the parameter patterns that are plain identifiers, in order.
fn plain_params<'s>(src: &'s str, patterns: &[Node<'_>]) -> impl Iterator<Item = &'s str> {
    patterns
        .iter()
        .filter(|t| t.kind_str() == "identifier")
        .map(move |t| src.get(t.byte_range()).unwrap_or(""))
}

pub(crate) fn is_function_kind(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "generator_function_declaration"
            | "generator_function"
            | "method_definition"
    )
}

impl<'s> Extractor<'s> {
    /// The facts, with the name tables made compact and the vectors' slack given back.
    fn finish(mut self) -> CodeFacts {
        self.facts.imports = NameMap::from(self.imports);
        self.facts.bindings = NameMap::from(self.bindings);
        self.facts.shrink_to_fit();
        self.facts
    }

    fn text(&self, n: Node<'_>) -> &'s str {
        &self.src[n.byte_range()]
    }

    /// The value of a string literal node (`'x'`, `"x"`, or a template without substitutions).
    fn string_value(&self, n: Node<'_>) -> Option<String> {
        string_value(self.src, n)
    }

    fn patterns(&self) -> Patterns<'_> {
        Patterns {
            src: self.src,
            lists: &self.facts.pattern_lists,
        }
    }

    /// `a.b.c(…)` → ["a","b","c"]; `a().b` → ["a()","b"]. Exactly as long as it needs to be:
    /// the facts keep a path for every call, by the tens of thousands on a large tree.
    fn callee_path(&self, n: Node<'_>) -> Option<CalleePath> {
        let mut path = self.callee_path_parts(n)?;
        path.shrink_to_fit();
        Some(path)
    }

    /// The callee of a call, or, for a webhook verification on a fresh instance
    /// (`new Webhook(secret).verify(…)` of svix), `Webhook()` and the method: a path no other
    /// call is read with (a chain on `new Hono()` stays unread, as before).
    fn call_path(&self, f: Node<'_>) -> Option<CalleePath> {
        self.callee_path(f).or_else(|| {
            let f = strip(f);
            if f.kind_str() != "member_expression" {
                return None;
            }
            let obj = strip(f.field("object")?);
            let ctor = obj
                .field("constructor")
                .filter(|_| obj.kind_str() == "new_expression")?;
            let path = vec![
                format!("{}()", self.text(strip(ctor))),
                self.text(f.field("property")?).to_string(),
            ];
            self.is_webhook_call(&path).then_some(path)
        })
    }

    /// A Convex action running another function (`ctx.runQuery(api.notes.get, args)`,
    /// `runMutation`, `runAction`): the reference (`api.notes.get`), which the project phase
    /// resolves to the function it names. The call runs it with the caller's identity, and
    /// what it throws propagates: a guard when that function throws for a signed-out caller.
    fn convex_reference(&self, call: Node<'_>, path: CalleePath) -> CalleePath {
        let runs = path.len() >= 2
            && matches!(
                path.last().map(String::as_str),
                Some("runQuery" | "runMutation" | "runAction")
            );
        if !runs {
            return path;
        }
        let reference = call
            .field("arguments")
            .and_then(|a| a.named_child(0))
            .filter(|r| strip(*r).kind_str() == "member_expression")
            .and_then(|r| self.callee_path(r))
            .filter(|r| {
                r.len() >= 3
                    && self
                        .imports
                        .get(&r[0])
                        .is_some_and(|i| i.source.ends_with("_generated/api"))
            });
        reference.unwrap_or(path)
    }

    fn callee_path_parts(&self, n: Node<'_>) -> Option<CalleePath> {
        let _depth = super::depth::Guard::enter()?;
        let n = strip(n);
        match n.kind_str() {
            "identifier" => Some(vec![self.text(n).to_string()]),
            "this" => Some(vec!["this".into()]),
            "member_expression" => {
                let obj = n.field("object")?;
                let prop = n.field("property")?;
                let mut path = self.callee_path_parts(obj)?;
                path.push(self.text(prop).to_string());
                Some(path)
            }
            "call_expression" => {
                let f = n.field("function")?;
                let mut path = self.callee_path_parts(f)?;
                if let Some(last) = path.last_mut() {
                    last.push_str("()");
                }
                Some(path)
            }
            "subscript_expression" => {
                let obj = n.field("object")?;
                let idx = n.field("index")?;
                let mut path = self.callee_path_parts(obj)?;
                path.push(self.string_value(idx).unwrap_or_else(|| "[]".into()));
                Some(path)
            }
            _ => None,
        }
    }

    // ----- imports -----

    /// `require('m')` (possibly awaited or in parentheses).
    fn is_require_call(&self, value: Node<'_>) -> bool {
        let v = strip(value);
        v.kind_str() == "call_expression"
            && v.field("function")
                .is_some_and(|f| f.kind_str() == "identifier" && self.text(f) == "require")
    }

    /// `require` declarations at the top of the module, down to three levels below it (a
    /// declaration, an exported one, one under an `if`): `x = require('m')` with the string
    /// as the first argument. (ES imports come from the import record.) A walk of the tree's
    /// top, not a tree-sitter query: compiling one costs 15–20 ms on the TypeScript grammars,
    /// more than parsing most files.
    fn collect_requires(&mut self, root: Node<'_>) {
        let mut found: Vec<(Node<'_>, Node<'_>)> = Vec::new();
        let mut stack = vec![(root, 0u8)];
        while let Some((n, depth)) = stack.pop() {
            if n.kind_str() == "variable_declarator"
                && let Some(v) = n.field("value")
                // The call itself, not one in parentheses (which `is_require_call` would strip).
                && v.kind_str() == "call_expression"
                && self.is_require_call(v)
                && let Some(first) = v.field("arguments").and_then(|a| a.named_child(0))
                && first.kind_str() == "string"
            {
                found.push((n, first));
            }
            if depth < 3 {
                // Children last to first: they are popped in source order.
                let at = stack.len();
                let mut cursor = n.walk();
                stack.extend(n.named_children(&mut cursor).map(|c| (c, depth + 1)));
                stack[at..].reverse();
            }
        }
        for (s, src) in found {
            if let Some(source) = self.string_value(src) {
                self.require_binding(s, &source);
            }
        }
    }

    /// `const x = require('m')`, `const { a, b: c } = require('m')`.
    fn require_binding(&mut self, declarator: Node<'_>, source: &str) {
        let Some(name) = declarator.field("name") else {
            return;
        };
        match name.kind_str() {
            "identifier" => self.add_import(self.text(name), source, "default", false),
            "object_pattern" => {
                for (key, local) in self.object_pattern_names(name) {
                    self.add_import(&local, source, &key, false);
                }
            }
            _ => {}
        }
    }

    fn add_import(&mut self, local: &str, source: &str, imported: &str, type_only: bool) {
        self.imports.insert(
            local.to_string(),
            ImportBinding {
                source: source.to_string(),
                imported: imported.to_string(),
                type_only,
            },
        );
    }

    /// (key, local) pairs of an object pattern: `{ a, b: c, d = 1 }`.
    /// Bind what a declaration's pattern names to `value`: `const x = …` binds `x` to it,
    /// `const { a, b: c } = …` binds `a` and `c` to it extended (`extend`) by their keys.
    fn bind_pattern<T: Clone>(
        &self,
        pattern: Node<'_>,
        value: T,
        extend: impl Fn(&mut T, String),
        names: &mut HashMap<String, T>,
    ) {
        match pattern.kind_str() {
            "identifier" => {
                names.insert(self.text(pattern).to_string(), value);
            }
            "object_pattern" => {
                for (key, local) in self.object_pattern_names(pattern) {
                    let mut v = value.clone();
                    extend(&mut v, key);
                    names.insert(local, v);
                }
            }
            _ => {}
        }
    }

    fn object_pattern_names(&self, pat: Node<'_>) -> Vec<(String, String)> {
        object_pattern_names(self.src, pat)
    }

    // ----- module level -----

    fn module(&mut self, root: Node<'_>) {
        let mut cursor = root.walk();
        let children: Vec<Node<'_>> = root.named_children(&mut cursor).collect();
        for stmt in &children {
            self.top_level_statement(*stmt);
        }
        if self.module_body {
            self.module_function(root);
        }
        // Router options objects (their functions are summarised before calls are recorded).
        self.collect_router_calls(root);
        // Calls and auth calls everywhere (including nested functions and module scope).
        self.scan_calls(root, None);
        self.mark_work(root);
    }

    /// Which functions do work: they await something, or call anything but the builders of a
    /// response (`Response.json`, `NextResponse.redirect`, `res.status(…).json`, `redirect`).
    fn mark_work(&mut self, root: Node<'_>) {
        const RESPONSE: &[&str] = &[
            "json",
            "redirect",
            "rewrite",
            "next",
            "status",
            "send",
            "end",
            "setHeader",
            "set",
            "append",
            "stringify",
            "notFound",
            "permanentRedirect",
            "Response",
            "NextResponse",
            "Headers",
        ];
        // Pure computation on values at hand: array and string methods, `Math`, `JSON`,
        // `Object`, and reads of the request's own query, headers and cookies.
        const PURE_METHODS: &[&str] = &[
            "map",
            "filter",
            "reduce",
            "find",
            "findIndex",
            "some",
            "every",
            "includes",
            "indexOf",
            "slice",
            "concat",
            "join",
            "split",
            "trim",
            "toLowerCase",
            "toUpperCase",
            "sort",
            "flatMap",
            "flat",
            "entries",
            "keys",
            "values",
            "forEach",
            "push",
            "replace",
            "startsWith",
            "endsWith",
            "padStart",
            "toString",
            "toFixed",
            "toISOString",
            "parse",
            "isArray",
            "from",
            "assign",
            "freeze",
            "max",
            "min",
            "round",
            "floor",
            "ceil",
            "abs",
        ];
        // `console.*` writes a log line on the server: nothing the caller gets or changes.
        const PURE_ROOTS: &[&str] = &[
            "Math", "JSON", "Object", "Array", "Number", "String", "console",
        ];
        const REQUEST_READS: &[&str] = &["searchParams", "headers", "cookies", "query", "params"];
        // Clerk's session reads hand the caller its own session (`auth()`, `getAuth(args)`,
        // `currentUser()`), and `rootAuthLoader(args)` without a callback (React Router,
        // Remix) only the session state for `<ClerkProvider>`: neither is work of its own.
        let session_reads: HashSet<String> = self
            .imports
            .iter()
            .filter(|(local, b)| {
                b.source.starts_with("@clerk/")
                    && (session_call_kind(local).is_some() || local.as_str() == "rootAuthLoader")
            })
            .map(|(local, _)| local.clone())
            .collect();
        let session_read = |name: &str| session_reads.contains(name);
        // The request's own accessors of a server runtime (TanStack Start's and h3's
        // `getWebRequest()`, `getRequestHeader('x')`, `getCookie('c')`): reading what the
        // caller sent is no work.
        const REQUEST_ACCESSORS: &[&str] = &[
            "getWebRequest",
            "getRequest",
            "getRequestHeaders",
            "getRequestHeader",
            "getHeaders",
            "getHeader",
            "getCookie",
            "getRequestURL",
            "getRequestHost",
            "getRequestIP",
        ];
        let accessors = self.imports.values().any(|b| {
            b.source.starts_with("@tanstack/") || matches!(b.source.as_str(), "vinxi/http" | "h3")
        });
        let request_read = |local: &str| {
            accessors
                && self.imports.get(local).is_some_and(|b| {
                    let s = b.source.as_str();
                    REQUEST_ACCESSORS.contains(&b.imported.as_str())
                        && ((s.starts_with("@tanstack/") && s.ends_with("/server"))
                            || matches!(s, "vinxi/http" | "h3"))
                })
        };
        let ranges: Vec<Span> = self.facts.functions.iter().map(|f| f.range).collect();
        // Which constants are literals the module never changes in place, decided when a
        // function's answer depends on one (the changes read in one pass over the text).
        let mut literal: HashMap<String, bool> = HashMap::default();
        let mut changed: Option<HashSet<&str>> = None;
        let src = self.src;
        for i in 0..self.facts.functions.len() {
            let f = &self.facts.functions[i];
            let text =
                &self.src[f.range.start.min(self.src.len())..f.range.end.min(self.src.len())];
            // A callback (`rootAuthLoader(args, async () => …)`) is work done for the caller.
            let nested = ranges.iter().enumerate().any(|(j, r)| {
                j != i && r.start >= f.range.start && r.end <= f.range.end && *r != f.range
            });
            let session_awaits = self
                .facts
                .auth_calls
                .iter()
                .filter(|a| a.function == Some(i) && a.awaited)
                .count();
            // Comments do nothing: a stub whose body is commented-out code does no work.
            let code_text = blank_comments(text);
            let text: &str = &code_text;
            // A pause (`await new Promise((r) => setTimeout(r, 500))`) waits for nothing but
            // the clock: neither the await nor its timer is work.
            let pauses = pauses(text);
            let awaited_pauses = pauses.iter().filter(|p| p.1).count();
            let awaits = text.matches("await ").count() + text.matches("await(").count()
                > session_awaits + awaited_pauses;
            let in_pause = |at: usize| {
                let at = at.saturating_sub(f.range.start);
                pauses.iter().any(|(r, _)| r.contains(&at))
            };
            let work_calls: Vec<u32> = f
                .calls
                .iter()
                .enumerate()
                .filter(|(_, (p, _s))| {
                    if p.len() == 1 && session_read(&p[0]) && (p[0] != "rootAuthLoader" || !nested)
                    {
                        return false;
                    }
                    if accessors && p.len() == 1 && request_read(p[0].trim_end_matches("()")) {
                        return false;
                    }
                    if p.len() == 1 && p[0] == "setTimeout" && in_pause(_s.start) {
                        return false;
                    }
                    let last = p.last().map(|l| l.trim_end_matches("()")).unwrap_or("");
                    let receiver = p
                        .len()
                        .checked_sub(2)
                        .and_then(|j| p.get(j))
                        .map(|r| r.trim_end_matches("()"))
                        .unwrap_or("");
                    let pure = p.len() >= 2
                        && (PURE_METHODS.contains(&last)
                            || PURE_ROOTS.contains(&p[0].as_str())
                            // Clock reads (a health check's uptime and time).
                            || matches!(
                                (p[0].as_str(), last),
                                ("Date", "now") | ("process", "uptime") | ("performance", "now")
                            )
                            || (matches!(last, "get" | "getAll" | "has")
                                && REQUEST_READS.contains(&receiver)));
                    // Hono's and others' context answers: `c.text(…)`, `c.html(…)`, `c.body(…)`.
                    let answer = p.len() == 2 && matches!(last, "text" | "html" | "body");
                    !RESPONSE.contains(&last) && !pure && !answer
                })
                .map(|(k, _)| k as u32)
                .collect();
            let other_call = !work_calls.is_empty();
            // Reading a secret is work too (it may be returned).
            let reads_env = text
                .match_indices("process.env")
                .any(|(j, _)| !text[j..].starts_with("process.env.NEXT_PUBLIC_"));
            let does_work = awaits || other_call || reads_env;
            // Data the module holds (`const users = […]` at the top, an imported store) is
            // served too, unless it only builds the response (`next/server`, `next/og`, or an
            // imported response builder such as TanStack Start's or Remix's `json`).
            let own = f.name.as_deref().unwrap_or("");
            let mut is_constant = |b: &str| {
                let Some(&at) = self.constants.get(b) else {
                    return false;
                };
                if let Some(&known) = literal.get(b) {
                    return known;
                }
                let known = crate::parse::node_with_range(root, at.start, at.end)
                    .is_some_and(|v| self.is_literal(v, 0))
                    && !changed
                        .get_or_insert_with(|| mutated_roots(src))
                        .contains(b);
                literal.insert(b.to_string(), known);
                known
            };
            // Words inside strings name nothing (`'Stripe webhook ready'`).
            let words = if does_work {
                std::borrow::Cow::Borrowed("")
            } else {
                blank_strings(text)
            };
            let mut reads_module_data = |words: &str| {
                !does_work
                    && (self
                        .bindings
                        .keys()
                        .any(|b| b != own && tests_name_use(words, b) && !is_constant(b))
                        || self.imports.iter().any(|(local, b)| {
                            let builder = b.source == "next"
                                || b.source.starts_with("next/")
                                || (RESPONSE.contains(&b.imported.as_str())
                                    && is_package_source(&b.source));
                            !builder
                                && !b.type_only
                                && !session_read(local)
                                && !request_read(local)
                                && tests_name_use(words, local)
                        }))
            };
            // Nor do the types of its parameters and answer: the compiler erases
            // `(req: Request, res: Response)`, so an imported type is no data the function
            // serves (asked again without them only when some name was found).
            let reads_module_data = reads_module_data(&words)
                && reads_module_data(&blank_signature_types(root, f.range, &words));
            self.facts.functions[i].does_work = does_work;
            self.facts.functions[i].work_calls = work_calls;
            self.facts.functions[i].reads_module_data = reads_module_data;
            self.facts.functions[i].reads_env = reads_env;
            self.facts.functions[i].awaits = awaits;
            self.facts.functions[i].compares_secret = compares_secret(text);
        }
    }

    fn top_level_statement(&mut self, stmt: Node<'_>) {
        match stmt.kind_str() {
            "function_declaration" | "generator_function_declaration" => {
                if let Some(idx) = self.function(stmt, None, true)
                    && let Some(name) = self.facts.functions[idx].name.clone()
                {
                    self.bindings.insert(name, Binding::Function { index: idx });
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                self.declarations(stmt, None);
            }
            "class_declaration" => {
                self.class_binding(stmt);
            }
            "export_statement" => self.export_statement(stmt),
            "expression_statement" => {
                // module.exports = …, exports.x = …
                if let Some(e) = stmt.named_child(0)
                    && e.kind_str() == "assignment_expression"
                    && let (Some(left), Some(right)) = (e.field("left"), e.field("right"))
                {
                    let target = self.text(left);
                    if target == "module.exports" || target == "exports.default" {
                        let binding = self.binding_of(right, Some("default"));
                        self.facts.exports.push(Export {
                            name: "default".into(),
                            span: span(right),
                            target: binding,
                            from: None,
                        });
                    } else if let Some(name) = target
                        .strip_prefix("exports.")
                        .or_else(|| target.strip_prefix("module.exports."))
                    {
                        let binding = self.binding_of(right, Some(name));
                        self.facts.exports.push(Export {
                            name: name.to_string(),
                            span: span(left),
                            target: binding,
                            from: None,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// What a class declaration binds its name to: an Effect service's methods, or `Other`.
    fn class_binding(&mut self, class: Node<'_>) -> Binding {
        let Some(binding) = self.effect_service_binding(class) else {
            if let Some(name) = class.field("name") {
                self.classes
                    .insert(self.text(name).to_string(), span(class));
            }
            return Binding::Other;
        };
        if let Some(name) = class.field("name") {
            self.bindings
                .insert(self.text(name).to_string(), binding.clone());
        }
        binding
    }

    /// Variable declarations: functions, wrapper calls, pattern lists, route matchers.
    /// Returns the declared (name, span) pairs.
    fn declarations(&mut self, decl: Node<'_>, exported: Option<()>) -> Vec<(String, Span)> {
        let mut names = Vec::new();
        let mut cursor = decl.walk();
        let declarators: Vec<Node<'_>> = decl
            .named_children(&mut cursor)
            .filter(|d| d.kind_str() == "variable_declarator")
            .collect();
        for d in declarators {
            let Some(name) = d.field("name") else {
                continue;
            };
            let Some(value) = d.field("value") else {
                continue;
            };
            if name.kind_str() == "object_pattern" {
                // `const { auth } = require('@clerk/nextjs/server')` is an import (recorded by
                // `collect_requires`), not a binding.
                if self.is_require_call(value) {
                    continue;
                }
                // `export const { GET, POST } = createRouteHandler({ router })`: each name is
                // served by what the call returns; `= handlers`: unknown targets.
                let target = if strip(value).kind_str() == "call_expression" {
                    self.binding_of(value, None)
                } else {
                    Binding::Other
                };
                for (_, local) in self.object_pattern_names(name) {
                    self.bindings.insert(local.clone(), target.clone());
                    names.push((local, span(name)));
                }
                continue;
            }
            if name.kind_str() != "identifier" {
                continue;
            }
            let n = self.text(name).to_string();
            let binding = self.binding_of(value, Some(&n));
            let v = strip(value);
            // (Whether it is a literal the module never changes is read when a handler's
            // answer depends on it: `Extractor::mark_work`.)
            if matches!(
                v.kind_str(),
                "string" | "number" | "template_string" | "array" | "object"
            ) && decl.child(0).is_some_and(|k| k.kind_str() == "const")
            {
                self.constants.insert(n.clone(), span(v));
            }
            match v.kind_str() {
                "array" => {
                    let list = self.patterns().list(v);
                    self.facts.pattern_lists.insert(n.clone(), list);
                    for (field, list) in self.patterns().object_fields(v) {
                        self.facts
                            .pattern_lists
                            .insert(format!("{n}[].{field}"), list);
                    }
                }
                "object" => {
                    if let Some(keys) = self.patterns().object_keys(v) {
                        self.facts
                            .pattern_lists
                            .insert(super::tables::keys_name(&n), keys);
                    }
                }
                "call_expression" => match self.patterns().mapped(v) {
                    Some(super::tables::Mapped::List(list)) => {
                        self.facts.pattern_lists.insert(n.clone(), list);
                    }
                    Some(super::tables::Mapped::Matchers(all)) => {
                        for (suffix, list) in all {
                            self.facts
                                .route_matchers
                                .insert(format!("{n}[]{suffix}"), list);
                        }
                    }
                    None => {}
                },
                _ => {}
            }
            if v.kind_str() == "call_expression"
                && let Some(f) = v.field("function")
                && self.text(f) == "createRouteMatcher"
                && let Some(args) = v.field("arguments")
                && let Some(arg) = args.named_child(0)
            {
                let list = self.patterns().arg(arg);
                self.facts.route_matchers.insert(n.clone(), list);
            }
            let _ = exported;
            self.bindings.insert(n.clone(), binding);
            names.push((n, span(name)));
        }
        names
    }

    /// A value written out in full in the source: strings without substitutions, numbers,
    /// booleans, `null`, and arrays and objects of them (`as const` or not).
    fn is_literal(&self, v: Node<'_>, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let v = strip(v);
        match v.kind_str() {
            "string" | "number" | "true" | "false" | "null" => true,
            "template_string" => {
                let mut c = v.walk();
                !v.named_children(&mut c)
                    .any(|n| n.kind_str() == "template_substitution")
            }
            "as_expression" | "satisfies_expression" => v
                .named_child(0)
                .is_some_and(|e| self.is_literal(e, depth + 1)),
            // (An empty array or object is a store the module fills, not a constant.)
            "array" => {
                let mut c = v.walk();
                v.named_child_count() > 0
                    && v.named_children(&mut c)
                        .all(|e| e.kind_str() == "comment" || self.is_literal(e, depth + 1))
            }
            "object" => {
                let mut c = v.walk();
                v.named_child_count() > 0
                    && v.named_children(&mut c).all(|e| match e.kind_str() {
                        "comment" => true,
                        "pair" => {
                            e.field("key").is_some_and(|k| {
                                matches!(k.kind_str(), "property_identifier" | "string" | "number")
                            }) && e
                                .field("value")
                                .is_some_and(|x| self.is_literal(x, depth + 1))
                        }
                        _ => false,
                    })
            }
            _ => false,
        }
    }

    fn export_statement(&mut self, stmt: Node<'_>) {
        let source = stmt.field("source").and_then(|s| self.string_value(s));
        let is_default = {
            let mut c = stmt.walk();
            stmt.children(&mut c).any(|ch| ch.kind_str() == "default")
        };
        if let Some(decl) = stmt.field("declaration") {
            match decl.kind_str() {
                "function_declaration" | "generator_function_declaration" => {
                    if let Some(idx) = self.function(decl, None, true) {
                        let f = &self.facts.functions[idx];
                        let sp = f.span;
                        if let Some(name) = f.name.clone() {
                            self.bindings
                                .insert(name.clone(), Binding::Function { index: idx });
                            if !is_default {
                                self.facts.exports.push(Export {
                                    name,
                                    span: sp,
                                    target: Binding::Function { index: idx },
                                    from: None,
                                });
                            }
                        }
                        if is_default {
                            self.facts.exports.push(Export {
                                name: "default".into(),
                                span: sp,
                                target: Binding::Function { index: idx },
                                from: None,
                            });
                        }
                    }
                }
                "lexical_declaration" | "variable_declaration" => {
                    for (name, sp) in self.declarations(decl, Some(())) {
                        let target = self.bindings.get(&name).cloned().unwrap_or(Binding::Other);
                        self.facts.exports.push(Export {
                            name,
                            span: sp,
                            target,
                            from: None,
                        });
                    }
                }
                "class_declaration" | "abstract_class_declaration" => {
                    if let Some(name) = decl.field("name") {
                        let target = self.class_binding(decl);
                        self.facts.exports.push(Export {
                            name: self.text(name).to_string(),
                            span: span(name),
                            target,
                            from: None,
                        });
                    }
                }
                _ => {}
            }
            return;
        }
        if let Some(value) = stmt.field("value") {
            // export default <expression>
            let binding = self.binding_of(value, Some("default"));
            let sp = match &binding {
                Binding::Function { index } => self.facts.functions[*index].span,
                _ => span(value),
            };
            self.facts.exports.push(Export {
                name: "default".into(),
                span: sp,
                target: binding,
                from: None,
            });
            return;
        }
        let mut cursor = stmt.walk();
        let mut had_clause = false;
        let children: Vec<Node<'_>> = stmt.named_children(&mut cursor).collect();
        for child in children {
            match child.kind_str() {
                "export_clause" => {
                    had_clause = true;
                    let mut c2 = child.walk();
                    for spec in child.named_children(&mut c2) {
                        if spec.kind_str() != "export_specifier" {
                            continue;
                        }
                        let Some(name) = spec.field("name") else {
                            continue;
                        };
                        let local = self
                            .string_value(name)
                            .unwrap_or_else(|| self.text(name).to_string());
                        let alias = spec.field("alias");
                        let exported = alias
                            .map(|a| {
                                self.string_value(a)
                                    .unwrap_or_else(|| self.text(a).to_string())
                            })
                            .unwrap_or_else(|| local.clone());
                        self.facts.exports.push(Export {
                            name: exported,
                            span: span(alias.unwrap_or(name)),
                            target: Binding::Identifier { name: local },
                            from: source.clone(),
                        });
                    }
                }
                "namespace_export" => had_clause = true,
                _ => {}
            }
        }
        if !had_clause && let Some(src) = source {
            self.facts.export_all_from.push(src);
        }
    }

    /// What an expression binds a name to.
    fn binding_of(&mut self, value: Node<'_>, name: Option<&str>) -> Binding {
        self.binding_at(value, name, 0)
    }

    /// `binding_of`, with the nesting depth of arguments, chains and objects bounded.
    fn binding_at(&mut self, value: Node<'_>, name: Option<&str>, depth: usize) -> Binding {
        if depth > MAX_BINDING_DEPTH {
            return Binding::Other;
        }
        let Some(_depth) = super::depth::Guard::enter() else {
            return Binding::Other;
        };
        let v = strip(value);
        match v.kind_str() {
            k if is_function_kind(k) => match self.function(v, name, true) {
                Some(index) => Binding::Function { index },
                None => Binding::Other,
            },
            "identifier" => Binding::Identifier {
                name: self.text(v).to_string(),
            },
            "object" => self.object_binding(v, depth),
            "new_expression" => self.instance_binding(v).unwrap_or(Binding::Other),
            "call_expression" => {
                let Some(f) = v.field("function") else {
                    return Binding::Other;
                };
                if let Some(chain) = self.chain_binding(v, depth) {
                    return chain;
                }
                let Some(callee) = self.callee_path(f) else {
                    return Binding::Other;
                };
                let args = self.call_args(v, depth);
                Binding::Call {
                    callee,
                    args,
                    span: span(v),
                }
            }
            _ => Binding::Other,
        }
    }

    /// `new Service()` of a class declared at the top of this module: an object of the
    /// instance's methods (`service.hasPermission(…)` runs the class's `hasPermission`). Static
    /// methods, the constructor and accessors are not the instance's callable methods.
    fn instance_binding(&mut self, new: Node<'_>) -> Option<Binding> {
        let ctor = strip(new.field("constructor")?);
        if ctor.kind_str() != "identifier" {
            return None;
        }
        let range = *self.classes.get(self.text(ctor))?;
        let mut root = new;
        while let Some(p) = root.parent() {
            root = p;
        }
        let class = crate::parse::node_with_range(root, range.start, range.end)?;
        let body = class.field("body")?;
        let mut cursor = body.walk();
        let members: Vec<Node<'_>> = body.named_children(&mut cursor).collect();
        let mut fields = Vec::new();
        for m in members {
            let (key_node, function) = match m.kind_str() {
                "method_definition" => (m.field("name"), Some(m)),
                "public_field_definition" => (
                    m.field("name"),
                    m.field("value")
                        .map(strip)
                        .filter(|v| is_function_kind(v.kind_str())),
                ),
                _ => continue,
            };
            let (Some(k), Some(function)) = (key_node, function) else {
                continue;
            };
            let mut c = m.walk();
            let modifier = m.children(&mut c).any(|c| {
                matches!(c.kind_str(), "static" | "get" | "set")
                    || (c.kind_str() == "accessibility_modifier" && self.text(c) == "private")
            });
            let key = self.text(k).to_string();
            if modifier || key == "constructor" || key.starts_with('#') {
                continue;
            }
            let Some(index) = self.function(function, Some(&key), true) else {
                continue;
            };
            fields.push(Field {
                key,
                value: Binding::Function { index },
                span: span(k),
                literal: None,
            });
        }
        Some(Binding::Object {
            fields,
            open: false,
        })
    }

    /// The arguments of a call: functions, names, calls and objects are kept.
    fn call_args(&mut self, call: Node<'_>, depth: usize) -> Vec<Binding> {
        let mut args = Vec::new();
        if let Some(a) = call.field("arguments") {
            let mut cursor = a.walk();
            let arg_nodes: Vec<Node<'_>> = a.named_children(&mut cursor).collect();
            for arg in arg_nodes {
                let arg = strip(arg);
                if is_function_kind(arg.kind_str())
                    || matches!(arg.kind_str(), "identifier" | "call_expression" | "object")
                {
                    args.push(self.binding_at(arg, None, depth + 1));
                } else if arg.kind_str() != "comment" {
                    args.push(Binding::Other);
                }
            }
        }
        args
    }

    /// A call whose receiver is itself a call (`a().b(x)`, `a.b(x).c(y)`): the root receiver
    /// and each `.method(args)` link, in call order. `None` when the receiver holds no call.
    fn chain_binding(&mut self, call: Node<'_>, depth: usize) -> Option<Binding> {
        let f = strip(call.field("function")?);
        if f.kind_str() != "member_expression" {
            return None;
        }
        let mut links: Vec<ChainLink> = Vec::new();
        let mut cur = call;
        let mut calls = 0usize;
        let (base, base_args) = loop {
            if links.len() > MAX_CHAIN_LINKS {
                return None;
            }
            cur = strip(cur);
            match cur.kind_str() {
                "call_expression" => {
                    let callee = strip(cur.field("function")?);
                    if callee.kind_str() == "member_expression" {
                        let prop = callee.field("property")?;
                        let args = self.call_args(cur, depth);
                        links.push(ChainLink {
                            method: self.text(prop).to_string(),
                            args: Some(args),
                            span: span(cur),
                        });
                        calls += 1;
                        cur = callee.field("object")?;
                    } else {
                        let base = self.callee_path(callee)?;
                        let args = self.call_args(cur, depth);
                        calls += 1;
                        break (base, Some(args));
                    }
                }
                "member_expression" => {
                    let obj = cur.field("object")?;
                    if !contains_call(obj) {
                        break (self.callee_path(cur)?, None);
                    }
                    let prop = cur.field("property")?;
                    links.push(ChainLink {
                        method: self.text(prop).to_string(),
                        args: None,
                        span: span(cur),
                    });
                    cur = obj;
                }
                "identifier" | "this" => break (self.callee_path(cur)?, None),
                _ => return None,
            }
        };
        // `a.b(x)`: one call on a plain receiver stays a `Call`.
        if calls < 2 {
            return None;
        }
        links.reverse();
        Some(Binding::Chain {
            base,
            base_args,
            links,
            span: span(call),
        })
    }

    /// A `key: value` entry of an object literal: its key node, the key's text, the value
    /// and the value as a boolean literal; `None` for a computed key.
    fn pair_entry<'t>(&self, e: Node<'t>) -> Option<(Node<'t>, String, Node<'t>, Option<bool>)> {
        let (k, v) = (e.field("key")?, e.field("value")?);
        if k.kind_str() == "computed_property_name" {
            return None;
        }
        let key = self
            .string_value(k)
            .unwrap_or_else(|| self.text(k).to_string());
        let literal = match strip(v).kind_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        Some((k, key, v, literal))
    }

    /// A `{ name }` entry of an object literal: the key `name` bound to the identifier `name`.
    fn shorthand_field(&self, e: Node<'_>) -> Field {
        let key = self.text(e).to_string();
        Field {
            key: key.clone(),
            value: Binding::Identifier { name: key },
            span: span(e),
            literal: None,
        }
    }

    /// An object literal's entries (`{ a: fn, b, c() {} }`); spreads and computed keys are
    /// left out.
    fn object_binding(&mut self, obj: Node<'_>, depth: usize) -> Binding {
        let mut fields = Vec::new();
        let mut open = false;
        let mut cursor = obj.walk();
        let entries: Vec<Node<'_>> = obj.named_children(&mut cursor).collect();
        for e in entries {
            match e.kind_str() {
                "pair" => {
                    let Some((k, key, v, literal)) = self.pair_entry(e) else {
                        open = true;
                        continue;
                    };
                    let value = self.binding_at(v, Some(&key), depth + 1);
                    fields.push(Field {
                        key,
                        value,
                        span: span(k),
                        literal,
                    });
                }
                "shorthand_property_identifier" => fields.push(self.shorthand_field(e)),
                "method_definition" => {
                    let Some(k) = e.field("name") else {
                        open = true;
                        continue;
                    };
                    let key = self.text(k).to_string();
                    let value = match self.function(e, Some(&key), true) {
                        Some(index) => Binding::Function { index },
                        None => Binding::Other,
                    };
                    fields.push(Field {
                        key,
                        value,
                        span: span(k),
                        literal: None,
                    });
                }
                "comment" => {}
                _ => open = true,
            }
        }
        Binding::Object { fields, open }
    }

    /// Calls anywhere in the module whose first argument is an options object with a `router`
    /// key (`fetchRequestHandler({ router: appRouter, createContext })`).
    fn collect_router_calls(&mut self, root: Node<'_>) {
        if !self.src.contains("router") {
            return;
        }
        let mut found = Vec::new();
        let mut cursor = root.walk();
        loop {
            let n = cursor.node();
            if n.kind_str() == "call_expression"
                && let Some(args) = n.field("arguments")
                && let Some(first) = args.named_child(0)
                && strip(first).kind_str() == "object"
                && {
                    let o = strip(first);
                    let mut c = o.walk();
                    o.named_children(&mut c).any(|p| {
                        (p.kind_str() == "pair"
                            && p.field("key").is_some_and(|k| self.text(k) == "router"))
                            || (p.kind_str() == "shorthand_property_identifier"
                                && self.text(p) == "router")
                    })
                }
            {
                found.push((n, strip(first)));
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    for (call, obj) in found {
                        let Some(callee) = call.field("function").and_then(|f| self.callee_path(f))
                        else {
                            continue;
                        };
                        let Binding::Object { fields, .. } = self.object_binding(obj, 0) else {
                            continue;
                        };
                        self.facts.router_calls.push(RouterCall {
                            callee,
                            options: fields,
                            span: span(call),
                        });
                    }
                    return;
                }
            }
        }
    }

    /// The imported names (not type-only) a call hands over: `f(getItems)`,
    /// `f({ queryFn: getItems })`, `f({ getItems })`.
    fn handed_imports(&self, call: Node<'_>) -> Vec<&'s str> {
        let mut found: Vec<&'s str> = Vec::new();
        // Children by index: this runs for every call (a cursor allocates, and a sibling step
        // climbs from the root). Argument lists and option objects are short.
        let Some(args) = call.field("arguments") else {
            return found;
        };
        if args.end_byte() - args.start_byte() <= 2 || !self.value_imports {
            return found;
        }
        let mut keep = |name: &'s str| {
            if self.imports.get(name).is_some_and(|b| !b.type_only) && !found.contains(&name) {
                found.push(name);
            }
        };
        for i in 0..(args.named_child_count() as u32).min(MAX_HANDED_ARGS) {
            let Some(v) = args.named_child(i).map(strip) else {
                break;
            };
            match v.kind_str() {
                "identifier" => keep(self.text(v)),
                "object" => {
                    for j in 0..(v.named_child_count() as u32).min(MAX_HANDED_ARGS) {
                        let Some(pair) = v.named_child(j) else {
                            break;
                        };
                        match pair.kind_str() {
                            "pair" => {
                                if let Some(value) = pair.field("value").map(strip)
                                    && value.kind_str() == "identifier"
                                {
                                    keep(self.text(value));
                                }
                            }
                            "shorthand_property_identifier" => keep(self.text(pair)),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        found
    }

    /// `if (!ctx.auth.userId) throw …` at the top of a function body, on a value read from a
    /// parameter (`(opts) =>`, `({ ctx, next }) =>`); and the parameter slots the function
    /// refuses to go on without (`FnFacts::refused_params`).
    fn param_checks(
        &self,
        f: Node<'_>,
        body: Option<Node<'_>>,
        params: &[String],
    ) -> (Vec<ParamCheck>, Vec<ParamSlot>) {
        let mut out = Vec::new();
        let Some(body) = body else {
            return (out, Vec::new());
        };
        if body.kind_str() != "statement_block" {
            return (out, Vec::new());
        }
        let (mut slots, mut refused) = (self.param_slots(f), Vec::new());
        let mut roots: Vec<String> = params.to_vec();
        if let Some(ps) = f.field("parameters") {
            let mut c = ps.walk();
            for p in ps.named_children(&mut c) {
                let pat = match p.kind_str() {
                    "required_parameter" | "optional_parameter" => p.field("pattern"),
                    _ => Some(p),
                };
                if let Some(pat) = pat
                    && pat.kind_str() == "object_pattern"
                {
                    roots.extend(self.object_pattern_names(pat).into_iter().map(|(_, l)| l));
                }
            }
        }
        // Each name, and the parameter path it holds (`const { userId } = ctx`).
        let mut paths: HashMap<String, Vec<String>> =
            roots.iter().map(|r| (r.clone(), vec![r.clone()])).collect();
        // `({ ctx: { userId } }) =>`: nested patterns of the parameters (when every property
        // is destructured further, `({ parsedInput: { id }, ctx: { userId } })`, these are the
        // only names).
        if let Some(ps) = f.field("parameters") {
            let mut pc = ps.walk();
            for p in ps.named_children(&mut pc) {
                let pat = match p.kind_str() {
                    "required_parameter" | "optional_parameter" => p.field("pattern"),
                    _ => Some(p),
                };
                if let Some(pat) = pat
                    && pat.kind_str() == "object_pattern"
                {
                    self.nested_pattern_paths(pat, &[], &mut paths, 0);
                }
            }
        }
        if paths.is_empty() && slots.is_empty() {
            return (out, refused);
        }
        // Top-level statements, and those of a top-level `try` block.
        let mut c = body.walk();
        let mut stmts: Vec<Node<'_>> = Vec::new();
        for stmt in body.named_children(&mut c) {
            if stmt.kind_str() == "try_statement"
                && let Some(b) = stmt.field("body")
            {
                let mut tc = b.walk();
                stmts.extend(b.named_children(&mut tc));
            } else {
                stmts.push(stmt);
            }
        }
        for stmt in stmts {
            if matches!(
                stmt.kind_str(),
                "lexical_declaration" | "variable_declaration"
            ) {
                let mut dc = stmt.walk();
                for d in stmt.named_children(&mut dc) {
                    let (Some(name), Some(value)) = (d.field("name"), d.field("value")) else {
                        continue;
                    };
                    let Some(vp) = self.callee_path(strip(value)) else {
                        self.forget_used_slots(&mut slots, d);
                        continue;
                    };
                    // `const { id } = opts`, `const id = opts.id`: a slot under another name.
                    if let Some(base) = slots.get(&vp[0]).cloned()
                        && !vp.iter().any(|p| p.ends_with("()"))
                    {
                        let mut full = base;
                        full.keys.extend(vp[1..].iter().cloned());
                        self.bind_pattern(name, full, |p, key| p.keys.push(key), &mut slots);
                    } else {
                        self.forget_used_slots(&mut slots, d);
                    }
                    let Some(full) = self.param_value_path(value, &paths) else {
                        continue;
                    };
                    self.bind_pattern(name, full, Vec::push, &mut paths);
                }
                continue;
            }
            if stmt.kind_str() != "if_statement" {
                self.forget_used_slots(&mut slots, stmt);
                continue;
            }
            let (Some(cond), Some(cons)) = (stmt.field("condition"), stmt.field("consequence"))
            else {
                self.forget_used_slots(&mut slots, stmt);
                continue;
            };
            let Some(exit) = self.exit_kind(cons) else {
                self.forget_used_slots(&mut slots, stmt);
                continue;
            };
            if !slots.is_empty()
                && refused.len() < 8
                && self.refuses(cons, exit)
                && let Some(slot) = self.negated_slot(cond, &slots, 0)
                && !refused.contains(&slot)
            {
                refused.push(slot);
            }
            if let Some(path) = self.negated_param_path(cond, &paths, 0) {
                out.push(ParamCheck {
                    path,
                    exit,
                    span: span(stmt),
                });
            }
            self.forget_used_slots(&mut slots, stmt);
        }
        (out, refused)
    }

    /// The names the parameters bind, with the slot each holds: `(a, { id, user: { org } })`
    /// → `a` (0, []), `id` (1, ["id"]), `org` (1, ["user", "org"]).
    fn param_slots(&self, f: Node<'_>) -> HashMap<String, ParamSlot> {
        let mut out = HashMap::new();
        for (i, pat) in Self::param_patterns(f).into_iter().enumerate().take(8) {
            let index = i as u32;
            match pat.kind_str() {
                "identifier" => {
                    out.insert(
                        self.text(pat).to_string(),
                        ParamSlot {
                            index,
                            keys: Vec::new(),
                        },
                    );
                }
                "object_pattern" => self.pattern_slots(pat, index, &[], &mut out, 0),
                _ => {}
            }
        }
        out
    }

    /// The parameter path a value reads (`ctx.session`, `c.var.userId`), with a context
    /// store's `get` as a step (`c.get('userId')` → `c.userId`) and a call of a plain function
    /// given the parameter as a step named after the call (`getUserId(c)` → `c.getUserId()`,
    /// which the project resolves to what that function gives back).
    fn param_value_path(
        &self,
        value: Node<'_>,
        paths: &HashMap<String, Vec<String>>,
    ) -> Option<Vec<String>> {
        let _depth = super::depth::Guard::enter()?;
        let mut v = strip(value);
        if v.kind_str() == "await_expression" {
            v = strip(v.named_child(0)?);
        }
        if v.kind_str() == "call_expression"
            && let Some(callee) = v.field("function").map(strip)
            && matches!(callee.kind_str(), "member_expression" | "identifier")
            && let Some(args) = v.field("arguments")
        {
            // `c.get('userId')`
            if callee.kind_str() == "member_expression"
                && self.text(callee).ends_with("get")
                && callee
                    .field("property")
                    .is_some_and(|p| self.text(p) == "get")
                && args.named_child_count() == 1
                && let Some(key) = args.named_child(0).and_then(|k| self.string_value(k))
                && let Some(obj) = callee.field("object")
                && let Some(mut base) = self.param_value_path(obj, paths)
            {
                base.push(key);
                return Some(base);
            }
            // `getUserId(c)`
            if callee.kind_str() == "identifier"
                && let Some(first) = args.named_child(0).map(strip)
                && first.kind_str() == "identifier"
                && let Some(base) = paths.get(self.text(first))
            {
                let mut full = base.clone();
                full.push(format!("{}()", self.text(callee)));
                return Some(full);
            }
        }
        let vp = self.callee_path(v)?;
        let mut full = paths.get(&vp[0])?.clone();
        full.extend(vp[1..].iter().cloned());
        Some(full)
    }

    /// See [`FnFacts::returned_param`].
    fn returned_param(&self, body: Node<'_>, params: &[String]) -> Vec<String> {
        let Some(first) = params.first() else {
            return Vec::new();
        };
        let value = if body.kind_str() == "statement_block" {
            let mut c = body.walk();
            let mut stmts = body
                .named_children(&mut c)
                .filter(|n| n.kind_str() != "comment");
            match (stmts.next(), stmts.next()) {
                (Some(ret), None) if ret.kind_str() == "return_statement" => ret.named_child(0),
                _ => None,
            }
        } else {
            Some(body)
        };
        let mut paths = HashMap::default();
        paths.insert(first.clone(), vec![first.clone()]);
        value
            .and_then(|v| self.param_value_path(v, &paths))
            .filter(|p| p.len() >= 2 && !p.iter().any(|s| s.ends_with("()")))
            .unwrap_or_default()
    }

    /// The names an object pattern binds in parameter `index`, under the keys `prefix`.
    fn pattern_slots(
        &self,
        pat: Node<'_>,
        index: u32,
        prefix: &[String],
        out: &mut HashMap<String, ParamSlot>,
        depth: usize,
    ) {
        if depth > 4 || out.len() > 32 {
            return;
        }
        for (key, local) in self.object_pattern_names(pat) {
            let mut keys = prefix.to_vec();
            keys.push(key);
            out.insert(local, ParamSlot { index, keys });
        }
        let mut c = pat.walk();
        for child in pat.named_children(&mut c) {
            if child.kind_str() != "pair_pattern" {
                continue;
            }
            let (Some(k), Some(v)) = (child.field("key"), child.field("value")) else {
                continue;
            };
            if v.kind_str() == "object_pattern" {
                let mut keys = prefix.to_vec();
                keys.push(self.text(k).to_string());
                self.pattern_slots(v, index, &keys, out, depth + 1);
            }
        }
    }

    /// A statement that uses a slot's name before any test of it: the value went to work
    /// before a test could refuse it, so a later test no longer says the function refuses to
    /// go on without it.
    fn forget_used_slots(&self, slots: &mut HashMap<String, ParamSlot>, stmt: Node<'_>) {
        if slots.is_empty() {
            return;
        }
        // One pass over the statement's words, whatever the number of names.
        let t = self.text(stmt);
        for word in t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')) {
            if !word.is_empty() && slots.remove(word).is_some() && slots.is_empty() {
                return;
            }
        }
    }

    /// The slot a condition is true for when it is missing: `!id`, `!opts.user`,
    /// `id == null`, either side of `||` (see [`Extractor::negated_param_path`]).
    fn negated_slot(
        &self,
        cond: Node<'_>,
        slots: &HashMap<String, ParamSlot>,
        depth: usize,
    ) -> Option<ParamSlot> {
        let roots: HashMap<String, Vec<String>> = slots
            .iter()
            .map(|(name, slot)| {
                let mut p = vec![format!("#{}", slot.index)];
                p.extend(slot.keys.iter().cloned());
                (name.clone(), p)
            })
            .collect();
        let path = self.negated_path(cond, &roots, 1, depth)?;
        let index = path.first()?.strip_prefix('#')?.parse().ok()?;
        Some(ParamSlot {
            index,
            keys: path[1..].to_vec(),
        })
    }

    /// Whether a branch that leaves (`exit`) gives nothing back: a throw, or a `return` of
    /// nothing, an empty value (`null`, `[]`, `{}`, `false`, `0`, `''`) or an error response.
    fn refuses(&self, cons: Node<'_>, exit: Exit) -> bool {
        if exit == Exit::Throw {
            return true;
        }
        let ret = if cons.kind_str() == "return_statement" {
            Some(cons)
        } else if cons.kind_str() == "statement_block" {
            let mut c = cons.walk();
            cons.named_children(&mut c)
                .find(|n| n.kind_str() == "return_statement")
        } else {
            None
        };
        let Some(ret) = ret else {
            return false;
        };
        let Some(value) = ret.named_child(0) else {
            return true;
        };
        let v = strip(value);
        let text = compact(self.text(v));
        matches!(
            text.as_str(),
            "null" | "undefined" | "[]" | "{}" | "false" | "0" | "''" | "\"\"" | "``"
        ) || is_error_response(self.text(v))
    }

    /// Names bound by nested object patterns (`{ ctx: { userId } }` → `userId`: ctx.userId).
    fn nested_pattern_paths(
        &self,
        pat: Node<'_>,
        prefix: &[String],
        out: &mut HashMap<String, Vec<String>>,
        depth: usize,
    ) {
        if depth > 4 {
            return;
        }
        let mut c = pat.walk();
        for child in pat.named_children(&mut c) {
            if child.kind_str() != "pair_pattern" {
                continue;
            }
            let (Some(k), Some(v)) = (child.field("key"), child.field("value")) else {
                continue;
            };
            let mut path = prefix.to_vec();
            path.push(self.text(k).to_string());
            if v.kind_str() != "object_pattern" {
                continue;
            }
            for (key, local) in self.object_pattern_names(v) {
                let mut p = path.clone();
                p.push(key);
                out.insert(local, p);
            }
            self.nested_pattern_paths(v, &path, out, depth + 1);
        }
    }

    /// The parameter path a condition is true for when it is missing: `!ctx.auth.userId`,
    /// `!ctx.userId || …`, `ctx.session == null`.
    fn negated_param_path(
        &self,
        cond: Node<'_>,
        roots: &HashMap<String, Vec<String>>,
        depth: usize,
    ) -> Option<Vec<String>> {
        self.negated_path(cond, roots, 2, depth)
    }

    /// [`Extractor::negated_param_path`], for paths of at least `min_len` parts (a root's
    /// path extended by the names read off it).
    fn negated_path(
        &self,
        cond: Node<'_>,
        roots: &HashMap<String, Vec<String>>,
        min_len: usize,
        depth: usize,
    ) -> Option<Vec<String>> {
        if depth > 8 {
            return None;
        }
        let c = strip(cond);
        let path_of = |n: Node<'_>| -> Option<Vec<String>> {
            let n = strip(n);
            if !matches!(n.kind_str(), "member_expression" | "identifier") {
                return None;
            }
            let p = self.callee_path(n)?;
            // Values, not calls; except `req.auth()`, the session accessor some SDKs put on
            // the request (`@clerk/express`).
            if p.iter().any(|s| s.ends_with("()") && s != "auth()") {
                return None;
            }
            let mut full = roots.get(&p[0])?.clone();
            full.extend(p[1..].iter().cloned());
            (full.len() >= min_len).then_some(full)
        };
        match c.kind_str() {
            "unary_expression" => {
                let op = c.field("operator").map(|o| self.text(o));
                if op != Some("!") {
                    return None;
                }
                path_of(c.field("argument")?)
            }
            "binary_expression" => {
                let op = c.field("operator").map(|o| self.text(o)).unwrap_or("");
                let left = c.field("left")?;
                let right = c.field("right")?;
                match op {
                    "||" => self
                        .negated_path(left, roots, min_len, depth + 1)
                        .or_else(|| self.negated_path(right, roots, min_len, depth + 1)),
                    "==" | "===" => {
                        let nullish =
                            |n: Node<'_>| matches!(self.text(strip(n)), "null" | "undefined");
                        if nullish(right) {
                            path_of(left)
                        } else if nullish(left) {
                            path_of(right)
                        } else {
                            None
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    // ----- functions -----

    /// Summarise a function node; returns its index.
    fn function(&mut self, f: Node<'_>, name: Option<&str>, top_level: bool) -> Option<usize> {
        let _depth = super::depth::Guard::enter()?;
        if let Some(&i) = self.fn_index.get(&span(f)) {
            return Some(i);
        }
        // Each field looked up once: tree-sitter finds a field by walking the node's children.
        let name_node = f.field("name");
        let own_name = name_node.map(|n| self.text(n).to_string());
        let name = own_name.or(name.map(str::to_string));
        let name_span = name_node
            .map(span)
            .unwrap_or_else(|| Span::new(f.start_byte(), f.start_byte()));
        let patterns = Self::param_patterns(f);
        let params = self.params_of(&patterns);
        let is_async = self.text(f).starts_with("async");
        let body = f.field("body");
        let use_server = body
            .filter(|b| b.kind_str() == "statement_block")
            .is_some_and(|b| {
                let t = self.text(b);
                crate::facts::directives::body_has_use_server(t.get(1..).unwrap_or(""))
            });
        let idx = self.facts.functions.len();
        self.fn_index.insert(span(f), idx);
        self.facts.functions.push(FnFacts {
            name,
            span: name_span,
            range: span(f),
            params: params.clone(),
            param_names: self.param_names_of(&patterns),
            is_async,
            use_server,
            top_level,
            steps: Vec::new(),
            returns: Returns::default(),
            calls: Vec::new(),
            param_checks: Vec::new(),
            returned_param: Vec::new(),
            work_calls: Vec::new(),
            tests_first_param: params.first().is_some_and(|p| tests_name(self.text(f), p)),
            refused_params: Vec::new(),
            does_work: true,
            reads_module_data: false,
            reads_env: false,
            awaits: false,
            compares_secret: false,
            option_params: Vec::new(),
        });
        if let Some(body) = body {
            let mut analysis = BodyAnalysis::default();
            self.scope_fns.push(idx);
            if body.kind_str() == "statement_block" {
                self.block(body, &mut analysis, idx);
            } else {
                // Expression body: `(h) => async (req) => …`, `() => auth()`.
                self.returned_expr(body, &mut analysis, idx);
            }
            self.scope_fns.pop();
            // `getToken()` forwarded as a bearer header: a backend decides.
            if !analysis.token_vars.is_empty() {
                let t = self.text(body);
                if (t.contains("Bearer")
                    || t.contains("Authorization")
                    || t.contains("authorization"))
                    && analysis.token_vars.iter().any(|v| tests_name_use(t, v))
                {
                    analysis.steps.push(Step::Check {
                        check: Check::Delegated {
                            how: "`getToken()` sent as `Authorization`".into(),
                        },
                        exit: Exit::Return,
                        span: span(body),
                    });
                }
            }
            let (param_checks, refused_params) = self.param_checks(f, Some(body), &params);
            let returned_param = self.returned_param(body, &params);
            // A wrapper or a factory: its parameters by position, for the options its
            // callers pass.
            let option_params = if analysis.returns.functions.is_empty()
                && analysis.returns.wrapper_calls.is_empty()
            {
                Vec::new()
            } else {
                self.option_params(f)
            };
            // A truthy result means an error only when nothing else is given back.
            if analysis
                .returns
                .signed_out_keys
                .iter()
                .any(|k| k == SIGNED_OUT_TRUTHY)
                && !returns_nothing_or_errors(&blank_comments(self.text(body)))
            {
                analysis
                    .returns
                    .signed_out_keys
                    .retain(|k| k != SIGNED_OUT_TRUTHY);
            }
            let f = &mut self.facts.functions[idx];
            f.steps = analysis.steps;
            f.returns = analysis.returns;
            f.param_checks = param_checks;
            f.returned_param = returned_param;
            f.refused_params = refused_params;
            f.option_params = option_params;
        }
        Some(idx)
    }

    /// Summarise the module body as a function (see [`extract_component`]).
    fn module_function(&mut self, root: Node<'_>) {
        let start = root
            .named_child(0)
            .map_or(root.start_byte(), |n| n.start_byte());
        let idx = self.facts.functions.len();
        self.fn_index.insert(span(root), idx);
        self.facts.functions.push(FnFacts {
            name: Some(MODULE_BODY.into()),
            span: Span::new(start, start),
            range: span(root),
            params: Vec::new(),
            param_names: Vec::new(),
            is_async: true,
            use_server: false,
            top_level: true,
            steps: Vec::new(),
            returns: Returns::default(),
            calls: Vec::new(),
            param_checks: Vec::new(),
            returned_param: Vec::new(),
            work_calls: Vec::new(),
            tests_first_param: false,
            refused_params: Vec::new(),
            does_work: true,
            reads_module_data: false,
            reads_env: false,
            awaits: false,
            compares_secret: false,
            option_params: Vec::new(),
        });
        let mut analysis = BodyAnalysis::default();
        self.block(root, &mut analysis, idx);
        let f = &mut self.facts.functions[idx];
        f.steps = analysis.steps;
        f.returns = analysis.returns;
        self.module_fn = Some(idx);
    }

    /// The pattern each parameter binds (`x`, `{ a, b }`, the left of `x = 1`), in order.
    fn param_patterns<'t>(f: Node<'t>) -> Vec<Node<'t>> {
        if let Some(p) = f.field("parameter") {
            return vec![p];
        }
        let mut out = Vec::new();
        if let Some(ps) = f.field("parameters") {
            let mut cursor = ps.walk();
            for p in ps.named_children(&mut cursor) {
                let target = match p.kind_str() {
                    "required_parameter" | "optional_parameter" => p.field("pattern"),
                    "assignment_pattern" => p.field("left"),
                    _ => Some(p),
                };
                out.extend(target);
            }
        }
        out
    }

    /// The plain-name parameters of a function by position, with their object-literal
    /// defaults (`options: Options = { requireAuth: true }`).
    fn option_params(&self, f: Node<'_>) -> Vec<OptionParam> {
        let mut out = Vec::new();
        if let Some(p) = f.field("parameter") {
            if p.kind_str() == "identifier" {
                out.push(OptionParam {
                    index: 0,
                    name: self.text(p).to_string(),
                    default: None,
                });
            }
            return out;
        }
        let Some(ps) = f.field("parameters") else {
            return out;
        };
        let mut cursor = ps.walk();
        let params: Vec<Node<'_>> = ps
            .named_children(&mut cursor)
            .filter(|p| p.kind_str() != "comment")
            .collect();
        for (i, p) in params.into_iter().enumerate() {
            let (name, default) = match p.kind_str() {
                "required_parameter" | "optional_parameter" => {
                    (p.field("pattern"), p.field("value"))
                }
                "assignment_pattern" => (p.field("left"), p.field("right")),
                _ => (Some(p), None),
            };
            let Some(name) = name.filter(|n| n.kind_str() == "identifier") else {
                continue;
            };
            let default = default
                .filter(|d| strip(*d).kind_str() == "object")
                .map(|d| self.option_value(d, 0));
            out.push(OptionParam {
                index: u32::try_from(i).unwrap_or(u32::MAX),
                name: self.text(name).to_string(),
                default,
            });
        }
        out
    }

    /// The parameters that are plain names, in order, of the patterns
    /// [`Extractor::param_patterns`] gave.
    fn params_of(&self, patterns: &[Node<'_>]) -> Vec<String> {
        plain_params(self.src, patterns)
            .map(str::to_string)
            .collect()
    }

    /// Every name the parameters bind, destructured ones included (`({ next, ctx }) =>`), of the
    /// patterns [`Extractor::param_patterns`] gave.
    fn param_names_of(&self, patterns: &[Node<'_>]) -> Vec<String> {
        let mut out = Vec::new();
        for &t in patterns {
            match t.kind_str() {
                "identifier" => out.push(self.text(t).to_string()),
                "object_pattern" => out.extend(
                    self.object_pattern_names(t)
                        .into_iter()
                        .map(|(_, local)| local),
                ),
                _ => {}
            }
        }
        out
    }

    /// Analyse the statements of a block at the function's top level.
    fn block(&mut self, block: Node<'_>, a: &mut BodyAnalysis, fn_idx: usize) {
        let Some(_depth) = super::depth::Guard::enter() else {
            return;
        };
        let mut cursor = block.walk();
        let stmts: Vec<Node<'_>> = block
            .named_children(&mut cursor)
            .filter(|s| s.kind_str() != "comment")
            .collect();
        for (i, stmt) in stmts.iter().enumerate() {
            self.statement(*stmt, &stmts[i + 1..], a, fn_idx);
        }
    }

    fn statement(
        &mut self,
        stmt: Node<'_>,
        rest: &[Node<'_>],
        a: &mut BodyAnalysis,
        fn_idx: usize,
    ) {
        let Some(_depth) = super::depth::Guard::enter() else {
            return;
        };
        self.effect_program_steps(stmt, a, fn_idx);
        match stmt.kind_str() {
            "lexical_declaration" | "variable_declaration" => {
                let mut cursor = stmt.walk();
                let decls: Vec<Node<'_>> = stmt
                    .named_children(&mut cursor)
                    .filter(|d| d.kind_str() == "variable_declarator")
                    .collect();
                for d in decls {
                    let (Some(name), Some(value)) = (d.field("name"), d.field("value")) else {
                        continue;
                    };
                    self.declaration_in_body(name, value, a, fn_idx);
                }
            }
            "expression_statement" => {
                if let Some(e) = stmt.named_child(0) {
                    self.expression_statement(e, a);
                }
            }
            "if_statement" => self.if_statement(stmt, rest, a, fn_idx),
            "try_statement" => {
                if let Some(body) = stmt.field("body") {
                    self.block(body, a, fn_idx);
                }
            }
            "return_statement" => {
                if let Some(e) = stmt.named_child(0) {
                    self.returned_expr(e, a, fn_idx);
                }
            }
            "statement_block" => self.block(stmt, a, fn_idx),
            "switch_statement" => self.switch_statement(stmt, a, fn_idx),
            "function_declaration" => {
                if let Some(idx) = self.function(stmt, None, false)
                    && let Some(name) = self.facts.functions[idx].name.clone()
                {
                    a.local_fns.insert(name, idx);
                }
            }
            _ => {}
        }
    }

    /// `switch (action) { case 'a': await requireUser(req); … }`: an RPC-style dispatcher is
    /// protected when every branch that does work is.
    fn switch_statement(&mut self, stmt: Node<'_>, a: &mut BodyAnalysis, fn_idx: usize) {
        let Some(_depth) = super::depth::Guard::enter() else {
            return;
        };
        let Some(body) = stmt.field("body") else {
            return;
        };
        let mut branches = Vec::new();
        let mut cursor = body.walk();
        let cases: Vec<Node<'_>> = body.named_children(&mut cursor).collect();
        for case in cases {
            if !matches!(case.kind_str(), "switch_case" | "switch_default") {
                continue;
            }
            let value = case.field("value").map(|v| v.id());
            let mut c2 = case.walk();
            let stmts: Vec<Node<'_>> = case
                .named_children(&mut c2)
                .filter(|n| Some(n.id()) != value && n.kind_str() != "comment")
                .collect();
            if stmts.is_empty() {
                continue; // falls through to the next case
            }
            branches.push(self.branch(&stmts, a, fn_idx));
        }
        if !branches.is_empty() {
            a.steps.push(Step::Branches {
                branches,
                span: span(stmt),
            });
        }
    }

    /// One branch of a dispatcher (a `switch` case, an arm of an `if` on the method): its
    /// statements' steps, and whether it only answers an error without doing work.
    fn branch(&mut self, stmts: &[Node<'_>], a: &BodyAnalysis, fn_idx: usize) -> Branch {
        let mut sub = a.scoped();
        for (i, s) in stmts.iter().enumerate() {
            self.statement(*s, &stmts[i + 1..], &mut sub, fn_idx);
        }
        let text: String = stmts.iter().map(|n| self.text(*n)).collect();
        let harmless = !text.contains("await")
            && ["400", "404", "405", "throw new"]
                .iter()
                .any(|w| text.contains(w));
        Branch {
            steps: sub.steps,
            harmless,
        }
    }

    /// Whether a condition tests the request's method (`req.method === 'POST'`,
    /// `request.method == "GET" || req.method === 'HEAD'`).
    fn is_method_test(&self, cond: Node<'_>) -> bool {
        // The operands of a `||` chain, walked with a stack of their own (a chain of thousands
        // of operands nests as deep); more than a few is no method test.
        let mut stack = vec![strip(cond)];
        let mut operands = 0;
        while let Some(c) = stack.pop() {
            operands += 1;
            if operands > 16 || c.kind_str() != "binary_expression" {
                return false;
            }
            let op = c.field("operator").map(|o| self.text(o)).unwrap_or("");
            let (Some(l), Some(r)) = (c.field("left"), c.field("right")) else {
                return false;
            };
            match op {
                "||" => {
                    stack.push(strip(l));
                    stack.push(strip(r));
                }
                "===" | "==" => {
                    let method = [l, r].iter().any(|x| {
                        let x = strip(*x);
                        x.kind_str() == "member_expression"
                            && x.field("property")
                                .is_some_and(|p| self.text(p) == "method")
                    });
                    if !method {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        true
    }

    /// `if (req.method === 'POST') { … } else if (…) { … } else { 405 }`: a dispatcher on the
    /// method, read like a `switch` (each branch its own steps; protected when every branch
    /// that does work is). Only a chain that ends in an `else`: otherwise what follows it is a
    /// path of its own.
    fn method_dispatch(&mut self, stmt: Node<'_>, a: &mut BodyAnalysis, fn_idx: usize) -> bool {
        let mut arms: Vec<Node<'_>> = Vec::new();
        let mut cur = stmt;
        loop {
            let (Some(cond), Some(cons)) = (cur.field("condition"), cur.field("consequence"))
            else {
                return false;
            };
            if !self.is_method_test(cond) || arms.len() > 16 {
                return false;
            }
            arms.push(cons);
            let Some(alt) = cur.field("alternative") else {
                return false;
            };
            // `else_clause` holds an `if_statement` (else if) or the final block.
            let Some(inner) = alt.named_child(0) else {
                return false;
            };
            if inner.kind_str() == "if_statement" {
                cur = inner;
                continue;
            }
            arms.push(inner);
            break;
        }
        let mut branches = Vec::new();
        for arm in arms {
            let stmts: Vec<Node<'_>> = if arm.kind_str() == "statement_block" {
                let mut c = arm.walk();
                arm.named_children(&mut c)
                    .filter(|n| n.kind_str() != "comment")
                    .collect()
            } else {
                vec![arm]
            };
            branches.push(self.branch(&stmts, a, fn_idx));
        }
        a.steps.push(Step::Branches {
            branches,
            span: span(stmt),
        });
        true
    }

    /// `const … = <value>` inside a function body.
    fn declaration_in_body(
        &mut self,
        name: Node<'_>,
        value: Node<'_>,
        a: &mut BodyAnalysis,
        fn_idx: usize,
    ) {
        let _ = fn_idx;
        // `const users = yield* UserService`: the service whose methods `users.x()` calls.
        if name.kind_str() == "identifier"
            && let Some(service) = self.yielded_service(value)
        {
            a.service_vars.insert(self.text(name).to_string(), service);
            return;
        }
        let v = strip(value);
        if self.promise_all(v, Some(name), a, fn_idx) {
            return;
        }
        // `yield* Effect.tryPromise({ try: () => getAuth(args) })`: what the thunk returns.
        let v = self.effect_thunk(v).unwrap_or(v);
        let names: Vec<String> = match name.kind_str() {
            "identifier" => vec![self.text(name).to_string()],
            "object_pattern" => self
                .object_pattern_names(name)
                .into_iter()
                .map(|(_, l)| l)
                .collect(),
            // `req.auth = getAuth(req)`, `res.locals.user = await requireUser()`: a property
            // of an object the function holds, read back by its path (`req.auth.userId`).
            "member_expression" => self.member_key(name).into_iter().collect(),
            _ => Vec::new(),
        };
        if names.iter().any(|n| n.contains('.')) {
            a.member_names = true;
        }
        // `const cfg = getRuntimeConfig()`, `const token = cfg.metricsToken`, `const expected =
        // `Bearer ${token}``: values of the server's own configuration.
        if a.config_vars.len() < 64
            && let Some((true, secret)) = self.config_value(v, a, 0)
        {
            match name.kind_str() {
                "identifier" => {
                    a.config_vars.insert(self.text(name).to_string(), secret);
                }
                "object_pattern" => {
                    for (key, local) in self.object_pattern_names(name) {
                        let secret = secret || secret_named(&key);
                        a.config_vars.insert(local, secret);
                    }
                }
                _ => {}
            }
        }
        if is_function_kind(v.kind_str()) {
            if let Some(idx) = self.function(v, names.first().map(String::as_str), false) {
                a.local_fns
                    .insert(names.first().cloned().unwrap_or_default(), idx);
            }
            return;
        }
        // `const id = userIdArg ?? (await requireUserId())`: an optional override, else the
        // call (a guard helper runs whenever the caller passes none).
        let v = match v.kind_str() {
            "binary_expression"
                if v.field("operator")
                    .is_some_and(|o| matches!(self.text(o), "??" | "||"))
                    && v.field("left")
                        .is_some_and(|l| strip(l).kind_str() == "identifier")
                    && v.field("right")
                        .is_some_and(|r| strip(r).kind_str() == "call_expression") =>
            {
                v.field("right").map(strip).unwrap_or(v)
            }
            _ => v,
        };
        // `const authFn = event.context.auth` (or `locals.auth`): an alias of the session
        // function, read when it is called.
        if v.kind_str() == "member_expression"
            && name.kind_str() == "identifier"
            && self
                .callee_path(v)
                .is_some_and(|p| is_request_session_fn(&p))
        {
            self.session_fn_aliases.insert(self.text(name).to_string());
            return;
        }
        if v.kind_str() == "call_expression" {
            let Some(f) = v.field("function") else {
                return;
            };
            let Some(path) = self.call_path(f) else {
                return;
            };
            let path = self.convex_reference(v, path);
            let path = self.through_services(path, a);
            let path = self.through_scope(path, a);
            if let Some(how) = self.protect_call(&path) {
                a.steps.push(Step::Check {
                    check: Check::Session {
                        api: SessionCall::Protect,
                        how,
                    },
                    exit: Exit::Throw,
                    span: span(v),
                });
                self.role_in_protect(v, a);
                for n in names {
                    a.session_vars.insert(n, SessionCall::Protect);
                }
                return;
            }
            let hono = self.is_hono_clerk_auth(v).then_some(SessionCall::GetAuth);
            if let Some(kind) = hono.or_else(|| self.session_source(&path)) {
                if kind == SessionCall::Verify && path.last().is_some_and(|l| l == "verifyToken") {
                    a.steps.push(Step::Check {
                        check: Check::Session {
                            api: SessionCall::Verify,
                            how: "`verifyToken()` throws on an invalid token".into(),
                        },
                        exit: Exit::Throw,
                        span: span(v),
                    });
                }
                // `const a = await auth()`: the object itself (always truthy); destructured
                // names are its values.
                let whole_object = matches!(name.kind_str(), "identifier" | "member_expression")
                    && matches!(kind, SessionCall::Auth | SessionCall::GetAuth);
                for n in names {
                    if whole_object {
                        a.session_objects.insert(n.clone());
                    }
                    a.session_vars.insert(n, kind);
                }
                return;
            }
            // `const token = await getToken()` with `getToken` from `auth()`.
            if path.last().is_some_and(|l| l == "getToken")
                && (path.len() > 1 || a.session_vars.contains_key(&path[0]))
            {
                a.token_vars.extend(names);
                return;
            }
            // `const expected = crypto.createHmac('sha256', secret).update(body).digest('hex')`
            if path.last().is_some_and(|l| l == "digest") && self.text(v).contains("createHmac(") {
                a.digest_vars.extend(names.iter().cloned());
            }
            if self.is_webhook_call(&path) {
                a.steps.push(Step::Check {
                    check: Check::Signature {
                        how: path.join("."),
                    },
                    exit: Exit::Throw,
                    span: span(v),
                });
                return;
            }
            // A request credential: `req.headers.get('x-api-key')`, `searchParams.get('token')`.
            if self.reads_credential(v) {
                if let Some(h) = header_names(self.text(v)).into_iter().next() {
                    for n in &names {
                        a.header_vars.insert(n.clone(), h.clone());
                    }
                }
                a.credential_vars.extend(names);
                return;
            }
            // A lookup keyed by a credential: `db.apiKey.findUnique({ where: { key } })`.
            if self.uses_any(v, &a.credential_vars) {
                a.lookup_vars.extend(names.iter().cloned());
            }
            // A call to something else: a guard helper, or a session-returning helper.
            a.steps.push(Step::Call {
                callee: path.clone(),
                span: span(v),
                unawaited: false,
            });
            for n in names {
                a.helper_vars.insert(n, path.clone());
            }
            return;
        }
        // `const userId = getAuth(req).userId`, `(await auth()).userId`: a value read off the
        // call.
        if matches!(v.kind_str(), "member_expression" | "subscript_expression")
            && let Some(api) = self.session_call_root(v)
        {
            for n in names {
                a.session_vars.insert(n, api);
            }
            return;
        }
        // `const userId = session.userId`, `const { userId } = session`: derived session values
        // (`req.auth.userId` when `req.auth` holds one).
        if let Some(root) = self
            .member_session(v, a)
            .map(|(key, _)| key)
            .or_else(|| self.root_identifier(v))
            && let Some(&api) = a.session_vars.get(&root)
        {
            // `const b = a` keeps the object; `a.userId` and `const { userId } = a` are its
            // values.
            let whole = match strip(v).kind_str() {
                "identifier" => true,
                "member_expression" => self.member_key(v).is_some_and(|k| k == root),
                _ => false,
            };
            let alias = matches!(name.kind_str(), "identifier" | "member_expression")
                && whole
                && a.session_objects.contains(&root);
            for n in names {
                if alias {
                    a.session_objects.insert(n.clone());
                }
                a.session_vars.insert(n, api);
            }
        }
    }

    fn expression_statement(&mut self, e: Node<'_>, a: &mut BodyAnalysis) {
        let v = strip(e);
        if v.kind_str() == "assignment_expression"
            && let (Some(left), Some(right)) = (v.field("left"), v.field("right"))
        {
            // `evt = wh.verify(…)`, `user = await requireUser()`: like a declaration.
            self.declaration_in_body(left, right, a, 0);
            return;
        }
        if v.kind_str() != "call_expression" {
            return;
        }
        if e.kind_str() == "await_expression" && self.promise_all(v, None, a, 0) {
            return;
        }
        let Some(f) = v.field("function") else {
            return;
        };
        let Some(path) = self.call_path(f) else {
            return;
        };
        let path = self.convex_reference(v, path);
        let path = self.through_services(path, a);
        let path = self.through_scope(path, a);
        if let Some(how) = self.protect_call(&path) {
            a.steps.push(Step::Check {
                check: Check::Session {
                    api: SessionCall::Protect,
                    how,
                },
                exit: Exit::Throw,
                span: span(v),
            });
            self.role_in_protect(v, a);
            return;
        }
        if self.is_webhook_call(&path) {
            a.steps.push(Step::Check {
                check: Check::Signature {
                    how: path.join("."),
                },
                exit: Exit::Throw,
                span: span(v),
            });
            return;
        }
        if self.session_source(&path) == Some(SessionCall::Verify) {
            // `await verifyToken(token, …)` throws on an invalid token.
            a.steps.push(Step::Check {
                check: Check::Session {
                    api: SessionCall::Verify,
                    how: format!("`{}()` throws on an invalid token", path.join(".")),
                },
                exit: Exit::Throw,
                span: span(v),
            });
            return;
        }
        if path.len() == 1 && session_call_kind(&path[0]).is_some() {
            // `await auth()` as a statement: nothing acts on it (auth-result-unchecked).
            return;
        }
        let mut written = e;
        while written.kind_str() == "parenthesized_expression" {
            match written.named_child(0) {
                Some(inner) => written = inner,
                None => break,
            }
        }
        a.steps.push(Step::Call {
            callee: path,
            span: span(v),
            unawaited: written.kind_str() == "call_expression",
        });
    }

    /// `const [userId, form] = await Promise.all([getUserId(args), request.formData()])`: each
    /// call as if awaited on its own, bound to its place in the pattern; a rejection of any
    /// (a guard that throws) rejects the whole. The calls run together, so those on an object
    /// (`db.log.create(…)`, `request.formData()`) are taken to run before the project
    /// functions (guards among them): a write beside a guard is not behind it.
    fn promise_all(
        &mut self,
        v: Node<'_>,
        pattern: Option<Node<'_>>,
        a: &mut BodyAnalysis,
        fn_idx: usize,
    ) -> bool {
        // `Promise.all([Promise.all([…])])` nests as deep as it is written: bounded.
        let Some(_depth) = super::depth::Guard::enter() else {
            return false;
        };
        // The callee's text first: every call-valued declaration comes through here.
        if v.kind_str() != "call_expression"
            || v.field("function")
                .is_none_or(|f| self.text(f) != "Promise.all")
        {
            return false;
        }
        let Some(array) = v
            .field("arguments")
            .and_then(|args| args.named_child(0))
            .map(strip)
            .filter(|x| x.kind_str() == "array")
        else {
            return false;
        };
        let places: Vec<Option<Node<'_>>> = match pattern {
            Some(p) if p.kind_str() == "array_pattern" => {
                // Holes (`[, form]`) keep their place.
                let mut out = vec![None];
                let mut cursor = p.walk();
                for c in p.children(&mut cursor) {
                    match c.kind() {
                        "," => out.push(None),
                        "[" | "]" => {}
                        _ => {
                            if let Some(last) = out.last_mut() {
                                *last = Some(c);
                            }
                        }
                    }
                }
                out
            }
            _ => Vec::new(),
        };
        let mut cursor = array.walk();
        let mut elements: Vec<(usize, Node<'_>)> = array
            .named_children(&mut cursor)
            .enumerate()
            .map(|(i, e)| (i, strip(e)))
            .collect();
        let on_object = |x: &Self, e: Node<'_>| {
            e.kind_str() == "call_expression"
                && e.field("function")
                    .and_then(|f| x.call_path(f))
                    .is_some_and(|p| p.len() > 1)
        };
        elements.sort_by_key(|(_, e)| !on_object(self, *e));
        for (i, e) in elements {
            if e.kind_str() != "call_expression" {
                continue;
            }
            match places.get(i).copied().flatten() {
                Some(place) if place.kind_str() != "assignment_pattern" => {
                    self.declaration_in_body(place, e, a, fn_idx)
                }
                _ => {
                    let before = a.steps.len();
                    self.expression_statement(e, a);
                    // Awaited through `Promise.all`.
                    if a.steps.len() == before + 1
                        && let Some(Step::Call { unawaited, .. }) = a.steps.last_mut()
                    {
                        *unawaited = false;
                    }
                }
            }
        }
        true
    }

    /// `auth.protect(…)` (v6+), `auth().protect(…)` (v5), `(await auth()).protect()`.
    fn protect_call(&self, path: &[String]) -> Option<String> {
        match path {
            [a, p] if p == "protect" && (a == "auth" || a == "auth()") => {
                Some(format!("{a}.protect()"))
            }
            [.., p] if p == "protect" && path.len() >= 2 => {
                // `const { protect } = await auth(); protect()` is rare; `x.protect()` on a
                // session object counts when the object is a known session variable.
                None
            }
            _ => None,
        }
    }

    fn role_in_protect(&self, call: Node<'_>, a: &mut BodyAnalysis) {
        let Some(args) = call.field("arguments") else {
            return;
        };
        let t = self.text(args);
        if t.contains("role") || t.contains("permission") || t.contains("has") {
            if t.trim() == "()" {
                return;
            }
            a.steps.push(Step::Check {
                check: Check::Role {
                    how: format!("auth.protect{}", compact(t)),
                },
                exit: Exit::Throw,
                span: span(call),
            });
        }
    }

    /// Whether a callee path is a Clerk session source (`auth()`, `currentUser()`, …).
    fn session_source(&self, path: &[String]) -> Option<SessionCall> {
        let last = path.last()?;
        if path.len() == 1 && self.session_fn_aliases.contains(last) {
            return Some(SessionCall::Auth);
        }
        if path.len() == 1 {
            let kind = session_call_kind(last)?;
            // A local function of the same name is not Clerk's.
            if self.bindings.contains_key(last) && !self.imports.contains_key(last) {
                return None;
            }
            return Some(kind);
        }
        match last.as_str() {
            "authenticateRequest" | "verifyToken" => Some(SessionCall::Verify),
            // Convex: `ctx.auth.getUserIdentity()` is the caller's identity (Clerk's token,
            // verified by Convex), `null` when signed out.
            "getUserIdentity" if path.len() >= 2 && path[path.len() - 2] == "auth" => {
                Some(SessionCall::CurrentUser)
            }
            // Astro: `locals.auth()`, `Astro.locals.auth()`, `context.locals.auth()`; Nuxt:
            // `event.context.auth()` (what `clerkMiddleware` puts on the request).
            "auth" if is_request_session_fn(path) => Some(SessionCall::Auth),
            _ => None,
        }
    }

    /// Whether `local` (a call path's first part, `x()` or `x`) is imported from one of
    /// `modules`.
    fn imported_from(&self, local: &str, modules: &[&str]) -> bool {
        self.imports
            .get(local.trim_end_matches("()"))
            .is_some_and(|b| modules.contains(&b.source.as_str()))
    }

    fn is_webhook_call(&self, path: &[String]) -> bool {
        let Some(last) = path.last() else {
            return false;
        };
        match last.as_str() {
            "verifyWebhook" | "constructEvent" | "constructEventAsync" => true,
            // A token signed with the server's own key: `jwtVerify(token, key)` of `jose`.
            "jwtVerify" => self.imported_from(&path[0], &["jose"]),
            // `verify(token, c.env.BOT_SECRET)` of `hono/jwt`, `jwt.verify(token, secret)` of
            // `jsonwebtoken`: the call throws unless the token carries the key's signature.
            "verify" if self.imported_from(&path[0], JWT_MODULES) => true,
            "verify" => {
                // svix / standard-webhooks: `new Webhook(secret).verify(payload, headers)`.
                self.imports.values().any(|b| {
                    b.source == "svix"
                        || b.source == "standardwebhooks"
                        || b.source.contains("webhook")
                }) || path.len() == 2 && path[0].to_ascii_lowercase().contains("wh")
                    // `const { Webhook } = await import('svix')`, loaded on first use.
                    || ["svix", "standardwebhooks"].iter().any(|m| {
                        ['"', '\'', '`']
                            .iter()
                            .any(|q| self.src.contains(&format!("import({q}{m}{q})")))
                    })
            }
            _ => false,
        }
    }

    /// The Clerk session call at the root of `getAuth(req).userId` / `(await auth()).userId`.
    fn session_call_root(&self, n: Node<'_>) -> Option<SessionCall> {
        let mut cur = strip(n);
        for _ in 0..32 {
            match cur.kind_str() {
                "member_expression" | "subscript_expression" => {
                    cur = strip(cur.field("object")?);
                }
                "call_expression" => {
                    if self.is_hono_clerk_auth(cur) {
                        return Some(SessionCall::GetAuth);
                    }
                    let f = cur.field("function")?;
                    return self.session_source(&self.callee_path(f)?);
                }
                _ => return None,
            }
        }
        None
    }

    /// `c.get('clerkAuth')`: where `@hono/clerk-auth`'s middleware puts the session it
    /// verified (what its `getAuth(c)` reads).
    fn is_hono_clerk_auth(&self, call: Node<'_>) -> bool {
        call.field("function")
            .filter(|f| f.kind_str() == "member_expression")
            .and_then(|f| f.field("property"))
            .is_some_and(|p| self.text(p) == "get")
            && call
                .field("arguments")
                .and_then(|a| a.named_child(0))
                .and_then(|a| self.string_value(a))
                .is_some_and(|k| k == "clerkAuth")
    }

    /// Whether an expression reads a credential from the request: a header or query parameter
    /// named like an API key, token or authorization.
    fn reads_credential(&self, v: Node<'_>) -> bool {
        let t = self.text(v).to_ascii_lowercase();
        let reads = t.contains("headers") || t.contains("searchparams") || t.contains(".query");
        reads
            && [
                "api-key",
                "api_key",
                "apikey",
                "x-key",
                "authorization",
                "token",
                "secret",
            ]
            .iter()
            .any(|w| t.contains(w))
    }

    /// Whether an expression mentions one of the names (as a whole identifier).
    fn uses_any(&self, v: Node<'_>, names: &HashSet<String>) -> bool {
        if names.is_empty() {
            return false;
        }
        let mut cursor = v.walk();
        let mut stack = vec![v];
        let mut budget = 4096usize;
        while let Some(n) = stack.pop() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return false;
            }
            if matches!(n.kind_str(), "identifier" | "shorthand_property_identifier")
                && names.contains(self.text(n))
            {
                return true;
            }
            stack.extend(n.named_children(&mut cursor));
        }
        false
    }

    /// The identifier at the root of `a.b.c` / `a?.b`.
    /// The path of a property read off plain names (`req.auth`, `res.locals.user`), as bound
    /// by an assignment to it; none for a computed or called step.
    fn member_key(&self, n: Node<'_>) -> Option<String> {
        let n = strip(n);
        if n.kind_str() != "member_expression" {
            return None;
        }
        let path = self.callee_path_parts(n)?;
        (path.len() >= 2
            && path.iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            }))
        .then(|| path.join("."))
    }

    /// The longest property path of `n` (itself or one of the objects it reads through) that
    /// an assignment in this body bound to a session value (`Ok`) or a helper's result
    /// (`Err`), with that path.
    fn member_session<'b>(
        &self,
        n: Node<'_>,
        a: &'b BodyAnalysis,
    ) -> Option<(String, Result<SessionCall, &'b CalleePath>)> {
        if !a.member_names {
            return None;
        }
        let mut m = strip(n);
        // (A bound stored path is short: a long chain is not walked step by step, each step
        // building its path again.)
        let mut steps = 0;
        while matches!(m.kind_str(), "member_expression" | "subscript_expression") && steps < 8 {
            steps += 1;
            if let Some(key) = self.member_key(m) {
                if let Some(&api) = a.session_vars.get(&key) {
                    return Some((key, Ok(api)));
                }
                if let Some(callee) = a.helper_vars.get(&key) {
                    return Some((key, Err(callee)));
                }
            }
            m = strip(m.field("object")?);
        }
        None
    }

    fn root_identifier(&self, n: Node<'_>) -> Option<String> {
        let _depth = super::depth::Guard::enter()?;
        let n = strip(n);
        match n.kind_str() {
            "identifier" => Some(self.text(n).to_string()),
            "member_expression" | "subscript_expression" => {
                self.root_identifier(n.field("object")?)
            }
            _ => None,
        }
    }

    fn if_statement(
        &mut self,
        stmt: Node<'_>,
        rest: &[Node<'_>],
        a: &mut BodyAnalysis,
        fn_idx: usize,
    ) {
        let Some(_depth) = super::depth::Guard::enter() else {
            return;
        };
        let Some(cond) = stmt.field("condition") else {
            return;
        };
        if self.method_dispatch(stmt, a, fn_idx) {
            return;
        }
        let consequence = stmt.field("consequence");
        // `if (options.requireAuth && !userId) throw …`: the test of `!userId`, switched on
        // by an option.
        let c = strip(cond);
        if c.kind_str() == "binary_expression"
            && c.field("operator").map(|o| self.text(o)) == Some("&&")
            && let (Some(l), Some(r)) = (c.field("left"), c.field("right"))
        {
            let (flag, other) = match (self.option_read(l, a), self.option_read(r, a)) {
                (Some(f), None) => (Some(f), r),
                (None, Some(f)) => (Some(f), l),
                _ => (None, l),
            };
            if let Some(flag) = flag {
                let mut sub = a.scoped();
                self.if_parts(stmt, other, rest, &mut sub);
                push_when(a, vec![flag], sub.steps, span(stmt));
                return;
            }
            // `if (!signedOk && !cfg.allowUnsigned) return 400`: the test holds unless the
            // deployment's own configuration opts out of it (an explicit flag, not anything
            // the request carries), and is read as the test alone.
            let opt_out = |n: Node<'_>| {
                let n = strip(n);
                n.kind_str() == "unary_expression"
                    && n.field("operator").map(|o| self.text(o)) == Some("!")
                    && n.field("argument")
                        .and_then(|x| self.config_value(x, a, 0))
                        .is_some_and(|(config, _)| config)
            };
            let other = match (opt_out(l), opt_out(r)) {
                (true, false) => Some(r),
                (false, true) => Some(l),
                _ => None,
            };
            // Only when what is left is a check (`!metricsToken && NODE_ENV === 'production'`
            // tests a missing setting, not a request).
            if let Some(other) = other {
                let mut sub = a.scoped();
                self.if_parts(stmt, other, rest, &mut sub);
                let checks = sub.steps.iter().any(|st| match st {
                    Step::Check { check, .. } => {
                        !matches!(check, Check::EnvGate { .. } | Check::Role { .. })
                    }
                    Step::CheckedCall { .. } | Step::Predicate { .. } => true,
                    _ => false,
                });
                if checks {
                    self.if_parts(stmt, other, rest, a);
                    return;
                }
            }
        }
        // `if (options.requireAuth || options.requireOrg) { … }`: statements that run only when
        // one of the options holds.
        if stmt.field("alternative").is_none()
            && let Some(block) = consequence.filter(|b| b.kind_str() == "statement_block")
            && self.exit_kind(block).is_none()
            && let Some(flags) = self.option_reads(cond, a)
        {
            let mut sub = a.scoped();
            self.block(block, &mut sub, fn_idx);
            push_when(a, flags, sub.steps, span(stmt));
            return;
        }
        self.if_parts(stmt, cond, rest, a);
    }

    /// A read of an option: `options.requireAuth`, `opts?.auth.required` (a member path rooted
    /// at a parameter of an enclosing function: the wrapper that returns this one), as a path
    /// of names.
    fn option_read(&self, n: Node<'_>, a: &BodyAnalysis) -> Option<Vec<String>> {
        let mut cur = strip(n);
        let mut path = Vec::new();
        for _ in 0..8 {
            match cur.kind_str() {
                "member_expression" => {
                    let prop = cur.field("property")?;
                    if prop.kind_str() != "property_identifier" {
                        return None;
                    }
                    path.push(self.text(prop).to_string());
                    cur = strip(cur.field("object")?);
                }
                "identifier" => {
                    // A parameter of an enclosing function, not shadowed by the current one's.
                    let root = self.text(cur);
                    let (own, enclosing) = self.scope_fns.split_last()?;
                    let binds = |i: &usize| {
                        self.facts
                            .functions
                            .get(*i)
                            .is_some_and(|f| f.param_names.iter().any(|p| p == root))
                    };
                    if path.is_empty()
                        || binds(own)
                        || !enclosing.iter().any(binds)
                        || a.session_vars.contains_key(root)
                        || a.helper_vars.contains_key(root)
                    {
                        return None;
                    }
                    path.push(root.to_string());
                    path.reverse();
                    return Some(path);
                }
                _ => return None,
            }
        }
        None
    }

    /// A condition made only of option reads joined by `||` (any one switches it on).
    fn option_reads(&self, cond: Node<'_>, a: &BodyAnalysis) -> Option<Vec<Vec<String>>> {
        let mut out = Vec::new();
        let mut stack = vec![cond];
        while let Some(n) = stack.pop() {
            if out.len() + stack.len() > 16 {
                return None;
            }
            let n = strip(n);
            if n.kind_str() == "binary_expression"
                && n.field("operator").map(|o| self.text(o)) == Some("||")
            {
                stack.push(n.field("right")?);
                stack.push(n.field("left")?);
                continue;
            }
            out.push(self.option_read(n, a)?);
        }
        Some(out)
    }

    /// The readings of an `if` statement, with its condition given (`if_statement` may have
    /// taken an option off it).
    fn if_parts(
        &mut self,
        stmt: Node<'_>,
        cond: Node<'_>,
        rest: &[Node<'_>],
        a: &mut BodyAnalysis,
    ) {
        let Some(_depth) = super::depth::Guard::enter() else {
            return;
        };
        let consequence = stmt.field("consequence");
        let alternative = stmt.field("alternative");
        let exit = consequence.and_then(|c| self.exit_kind(c));
        let role = self.role_condition(cond);
        let error_exit = exit.is_some()
            && consequence.is_some_and(|c| {
                self.exit_kind(c) == Some(Exit::Throw) || is_error_response(self.text(c))
            });
        // `if (secret) { …verify, 401 on failure… } else if (NODE_ENV === 'production') return
        // 503`: an optional signing secret, verified whenever it is set and required in
        // production (only development accepts unsigned requests).
        if exit.is_none()
            && let Some(c) = consequence
            && c.kind_str() == "statement_block"
            && self.refuses_in_production(alternative, a)
        {
            let mut sub = a.scoped();
            self.block(c, &mut sub, 0);
            if let Some((check, exit)) = sub.steps.into_iter().find_map(|st| match st {
                Step::Check { check, exit, .. }
                    if check.class() == super::evidence::CheckClass::Machine =>
                {
                    Some((check, exit))
                }
                _ => None,
            }) {
                a.steps.push(Step::Check {
                    check,
                    exit,
                    span: span(stmt),
                });
                return;
            }
        }
        // A machine credential that is refused (`if (!row)` after a key lookup, a dev-only
        // gate) decides before any other reading of the condition.
        if let Some(exit) = exit
            && error_exit
            && let Some(check) = self.machine_gate(cond, a)
        {
            a.steps.push(Step::Check {
                check,
                exit,
                span: span(stmt),
            });
            return;
        }
        // `const { cronSecret } = getConfig(); if (!cronSecret || auth !== `Bearer ${cronSecret}`)`:
        // a shared-secret comparison whose secret a helper gives; not a test of the helper's
        // result as a session.
        let polarity = match self.condition_polarity(cond, a) {
            Some(
                CondRef::Negative(SessionRef::Helper(_)) | CondRef::Positive(SessionRef::Helper(_)),
            ) if exit.is_some() && self.secret_compared(cond, a) => None,
            p => p,
        };
        match polarity {
            Some(CondRef::Negative(what)) => {
                let what_kind = match &what {
                    SessionRef::Session(..) => WhatKind::Session,
                    SessionRef::Helper(c) => WhatKind::Helper(c.clone()),
                    SessionRef::Predicate(_) => WhatKind::Predicate,
                };
                if let Some(exit) = exit {
                    let step = self.ref_step(what, exit, stmt, |cond, desc| {
                        format!("`if ({cond})` {}", exit_word(exit, desc))
                    });
                    a.steps.push(step);
                    if let Some(how) = role {
                        a.steps.push(Step::Check {
                            check: Check::Role { how },
                            exit,
                            span: span(cond),
                        });
                    }
                    // `if (!userId) return null` in a helper: it returns a session value. After
                    // `if (!x) return` on a helper's result, it does when that helper does.
                    if exit == Exit::Return {
                        if matches!(what_kind, WhatKind::Session | WhatKind::Helper(_))
                            && let Some(c) = consequence
                        {
                            for key in self.returned_object_keys(c) {
                                if !a.returns.signed_out_keys.contains(&key) {
                                    a.returns.signed_out_keys.push(key);
                                }
                            }
                            // `if (!userId) return NextResponse.json(…, { status: 401 })`: what
                            // a signed-out caller gets is an error response (kept only when
                            // the function's other returns give nothing back: `function`).
                            if matches!(what_kind, WhatKind::Session)
                                && returns_error_response(self.text(c))
                                && !a
                                    .returns
                                    .signed_out_keys
                                    .iter()
                                    .any(|k| k == SIGNED_OUT_TRUTHY)
                            {
                                a.returns
                                    .signed_out_keys
                                    .push(SIGNED_OUT_TRUTHY.to_string());
                            }
                        }
                        match &what_kind {
                            WhatKind::Session => a.returns.session_value = true,
                            WhatKind::Helper(callee) => {
                                a.returns.checked_calls.push(callee.clone())
                            }
                            WhatKind::Predicate => {}
                        }
                    }
                }
            }
            Some(CondRef::Positive(what)) => {
                // `if (userId) { …work…; return } return 401`: the work runs only when signed in.
                let then_returns = consequence.is_some_and(|c| self.exit_kind(c).is_some());
                let else_stmt = alternative
                    .and_then(|alt| alt.named_child(0))
                    .or_else(|| rest.first().copied());
                let else_exits = alternative
                    .and_then(|alt| alt.named_child(0))
                    .and_then(|s| self.exit_kind(s))
                    .or_else(|| rest.first().and_then(|s| self.exit_kind(*s)));
                // What the other path does when it leaves: refuse (throw, an error response,
                // nothing), or answer with the work (`return Response.json(await db…)`).
                let else_refuses = else_stmt.and_then(|s| {
                    let exit = self.exit_kind(s)?;
                    let t = self.text(s);
                    let nothing = matches!(
                        t.trim_end_matches(';').trim(),
                        "return" | "return null" | "return undefined"
                    );
                    (exit == Exit::Throw
                        || nothing
                        || is_error_response(t)
                        || t.to_ascii_lowercase().contains("error")
                        || t.contains("unauthorized")
                        || t.contains("Unauthorized"))
                    .then_some(exit)
                });
                let tested = self.failure_key(cond, a);
                if let (Some((callee, key)), Some(exit), false) =
                    (tested, exit, then_returns && else_exits.is_some())
                {
                    // `if (r.error) return …`: exits on the helper's failure variant.
                    a.steps.push(Step::CheckedCall {
                        callee,
                        exit,
                        span: span(stmt),
                        discriminant: Some(key),
                    });
                } else if then_returns && let Some(exit) = else_refuses {
                    // `if (userId) { …work…; return } return 401`: the work runs only when
                    // signed in.
                    let step = self.ref_step(what, exit, stmt, |cond, desc| {
                        format!("work only under `if ({cond})` ({desc})")
                    });
                    a.steps.push(step);
                } else if let (Some(exit), SessionRef::Helper(callee)) = (exit, &what) {
                    // `const err = await requireAdmin(); if (err) return err`: exits when the
                    // helper gives something back, a guard when what it gives a signed-out
                    // caller is an error response (`SIGNED_OUT_TRUTHY`).
                    a.steps.push(Step::CheckedCall {
                        callee: callee.clone(),
                        exit,
                        span: span(stmt),
                        discriminant: Some(SIGNED_OUT_TRUTHY.to_string()),
                    });
                }
            }
            None => {
                if let Some(exit) = exit
                    && let Some((callee, key)) = self.failure_key(cond, a)
                {
                    // `if ('error' in r) return …`: exits on the helper's failure variant.
                    a.steps.push(Step::CheckedCall {
                        callee,
                        exit,
                        span: span(stmt),
                        discriminant: Some(key),
                    });
                    return;
                }
                if let (Some(how), Some(exit)) = (role, exit) {
                    // `sessionClaims?.metadata?.role !== 'admin'` that exits also turns away
                    // a signed-out request (its claims are empty).
                    if let Some(api) = self.session_value_differs(cond, a) {
                        a.steps.push(Step::Check {
                            check: Check::Session {
                                api,
                                how: format!(
                                    "`{}` {}",
                                    compact(how.trim_matches('`')),
                                    exit_word(exit, "a role claim")
                                ),
                            },
                            exit,
                            span: span(stmt),
                        });
                    }
                    a.steps.push(Step::Check {
                        check: Check::Role { how },
                        exit,
                        span: span(cond),
                    });
                }
                if let Some(exit) = exit
                    && (self.secret_compared(cond, a)
                        || self.compares_credential_with_config(cond, a))
                {
                    a.steps.push(Step::Check {
                        check: Check::SharedSecret {
                            how: format!(
                                "if ({})",
                                compact(self.text(cond).trim_matches(['(', ')']))
                            ),
                            headers: self.headers_read(cond, a),
                        },
                        exit,
                        span: span(stmt),
                    });
                } else if let Some(exit) = exit
                    && let Some(callee) = self.negated_plain_call(cond)
                {
                    // `if (!isValidSecret(token)) return 401`: a call's result tested where it
                    // is made, as `const ok = f(…); if (!ok)` tests it stored (what the callee
                    // does decides what that checks).
                    a.steps.push(Step::CheckedCall {
                        callee,
                        exit,
                        span: span(stmt),
                        discriminant: None,
                    });
                } else if exit == Some(Exit::Return)
                    && let Some(c) = consequence
                    && self.text(cond).contains(".method")
                    && !is_error_response(self.text(c))
                {
                    // `if (req.method === 'GET') { return res.json(data) }` before any check.
                    a.steps.push(Step::OpenReturn {
                        when: compact(self.text(cond).trim_matches(['(', ')'])),
                        span: span(stmt),
                    });
                }
            }
        }
    }

    /// Whether every path through an `else` refuses the request outside development: an error
    /// answer, or `else if (process.env.NODE_ENV === 'production') return 503` (what follows
    /// runs only in development).
    fn refuses_in_production(&self, alternative: Option<Node<'_>>, a: &BodyAnalysis) -> bool {
        let Some(_depth) = super::depth::Guard::enter() else {
            return false;
        };
        let Some(mut stmt) = alternative.and_then(|alt| alt.named_child(0)) else {
            return false;
        };
        let refuses = |n: Node<'_>| {
            self.exit_kind(n)
                .is_some_and(|e| e == Exit::Throw || is_error_response(self.text(n)))
        };
        // `else { if (…) … }`: the block's one statement.
        if stmt.kind_str() == "statement_block" {
            let mut c = stmt.walk();
            let mut inner = stmt
                .named_children(&mut c)
                .filter(|n| n.kind_str() != "comment");
            if let (Some(only), None) = (inner.next(), inner.next())
                && only.kind_str() == "if_statement"
            {
                stmt = only;
            }
        }
        if stmt.kind_str() != "if_statement" {
            return refuses(stmt);
        }
        let (Some(cond), Some(cons)) = (stmt.field("condition"), stmt.field("consequence")) else {
            return false;
        };
        if !refuses(cons) {
            // `if (NODE_ENV === 'development') { accept unsigned } else return 401`: what the
            // test lets through runs in development only.
            return runs_in_development_only(self.text(cond))
                && self.refuses_in_production(stmt.field("alternative"), a);
        }
        matches!(self.machine_gate(cond, a), Some(Check::EnvGate { .. }))
            || self.refuses_in_production(stmt.field("alternative"), a)
    }

    /// A role comparison on a session value that fails for a missing value: `x !== 'admin'`
    /// where `x` is read from a Clerk session (`sessionClaims?.metadata?.role`, `orgRole`).
    fn session_value_differs(&self, cond: Node<'_>, a: &BodyAnalysis) -> Option<SessionCall> {
        let _depth = super::depth::Guard::enter()?;
        let c = strip(cond);
        match c.kind_str() {
            "binary_expression" => {
                let op = c.field("operator").map(|o| self.text(o))?;
                let left = c.field("left")?;
                let right = c.field("right")?;
                match op {
                    "!==" | "!=" => {
                        let literal = |n: Node<'_>| {
                            matches!(strip(n).kind_str(), "string" | "template_string" | "number")
                        };
                        let (val, other) = if literal(right) {
                            (left, right)
                        } else {
                            (right, left)
                        };
                        if !literal(other) {
                            return None;
                        }
                        match self.session_ref(val, a) {
                            Some(SessionRef::Session(api, _)) => Some(api),
                            _ => None,
                        }
                    }
                    "||" => self
                        .session_value_differs(left, a)
                        .or_else(|| self.session_value_differs(right, a)),
                    _ => None,
                }
            }
            // `!roles.includes(sessionClaims.metadata.role)`
            "unary_expression" => {
                let arg = strip(c.field("argument")?);
                if arg.kind_str() != "call_expression" {
                    return None;
                }
                let f = arg.field("function")?;
                if self.callee_path(f)?.last().is_none_or(|l| l != "includes") {
                    return None;
                }
                let args = arg.field("arguments")?;
                let first = args.named_child(0)?;
                match self.session_ref(first, a) {
                    Some(SessionRef::Session(api, _)) => Some(api),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A machine gate whose failure answers an error: an API key lookup that found nothing
    /// (`if (!row)` after `findUnique({ where: { key } })`, `if (!(await validateApiKey(…)))`),
    /// or a refusal outside development (`process.env.NODE_ENV !== 'development'`).
    fn machine_gate(&self, cond: Node<'_>, a: &BodyAnalysis) -> Option<Check> {
        let t = self.text(cond);
        let how = compact(t.trim_matches(['(', ')']));
        let c = strip(cond);
        if self.refused_outside_development(c, 0) {
            return Some(Check::EnvGate { how });
        }
        // `process.env.PLAYWRIGHT_TEST !== '1'`: the endpoint exists only where the operator
        // switched it on (a deploy-time flag, not a secret).
        if let Some(check) = self.env_flag_gate(c) {
            return Some(check);
        }
        if c.kind_str() == "unary_expression"
            && let Some(arg) = c.field("argument")
        {
            let arg = strip(arg);
            if arg.kind_str() == "identifier" && a.lookup_vars.contains(self.text(arg)) {
                return Some(Check::ApiKeyLookup { how });
            }
            // `!(await validateApiKey(key))`, or `!isValid` where `const { isValid } = await
            // validateApiKeyAndGetUser(key)` gave the name.
            let callee = if arg.kind_str() == "call_expression" {
                arg.field("function").and_then(|f| self.callee_path(f))
            } else if arg.kind_str() == "identifier" {
                a.helper_vars.get(self.text(arg)).cloned()
            } else {
                None
            };
            if let Some(p) = callee
                && let Some(last) = p.last()
            {
                let l = last.to_ascii_lowercase();
                let names_key = l.contains("apikey") || l.contains("api_key") || l.contains("key");
                let verb = ["valid", "verify", "check", "auth"]
                    .iter()
                    .any(|w| l.contains(w));
                if names_key && verb {
                    return Some(Check::ApiKeyLookup { how });
                }
            }
        }
        None
    }

    /// The request headers a condition reads, directly (`headers.get('x-token')`) or through a
    /// variable that holds one.
    fn headers_read(&self, cond: Node<'_>, a: &BodyAnalysis) -> Vec<String> {
        let mut out = header_names(self.text(cond));
        for (var, h) in &a.header_vars {
            if tests_name_use(self.text(cond), var) && !out.contains(h) {
                out.push(h.clone());
            }
        }
        out
    }

    /// Whether a refusal's condition holds in every run outside development: a test of
    /// `NODE_ENV` (`!== 'development'`, `=== 'production'`), widened by `||` (the refusal
    /// happens at least then) or joined by `&&` to another such test. Narrowed by anything
    /// else (`!token && NODE_ENV === 'production'`) it refuses only some production runs (here
    /// a missing setting), so what follows is no development-only code.
    fn refused_outside_development(&self, cond: Node<'_>, depth: usize) -> bool {
        let c = strip(cond);
        if c.kind_str() == "binary_expression" {
            let op = c.field("operator").map(|o| self.text(o));
            if matches!(op, Some("||" | "&&")) {
                let mut sides = [c.field("left"), c.field("right")].into_iter().flatten();
                let mut holds =
                    |side| depth < 8 && self.refused_outside_development(side, depth + 1);
                return if op == Some("||") {
                    sides.any(&mut holds)
                } else {
                    sides.all(&mut holds)
                };
            }
        }
        let t = self.text(c);
        t.contains("NODE_ENV")
            && (t.contains("!=") && t.contains("development")
                || t.contains("===") && t.contains("production"))
    }

    /// `process.env.FLAG !== 'literal'` (either order): refused unless a deploy-time flag has
    /// one value. A secret-named variable compared with a literal is no gate.
    fn env_flag_gate(&self, c: Node<'_>) -> Option<Check> {
        if c.kind_str() != "binary_expression" {
            return None;
        }
        let op = c.field("operator").map(|o| self.text(o))?;
        if !matches!(op, "!==" | "!=") {
            return None;
        }
        let left = strip(c.field("left")?);
        let right = strip(c.field("right")?);
        let (env, lit) = if right.kind_str() == "string" {
            (left, right)
        } else {
            (right, left)
        };
        if lit.kind_str() != "string"
            || !matches!(env.kind_str(), "member_expression" | "subscript_expression")
        {
            return None;
        }
        let var = self.text(env).strip_prefix("process.env.")?;
        let lower = var.to_ascii_lowercase();
        if ["secret", "token", "key", "password"]
            .iter()
            .any(|w| lower.contains(w))
        {
            return None;
        }
        Some(Check::EnvGate {
            how: compact(self.text(c)),
        })
    }

    /// A shared-secret or signature check (`is_secret_check`), or a comparison of an HMAC
    /// digest the function computed with another value (`if (expected !== signature)`).
    fn secret_compared(&self, cond: Node<'_>, a: &BodyAnalysis) -> bool {
        self.is_secret_check(cond) || self.compares_digest(cond, a)
    }

    /// Whether a condition compares (`===`, `!==`, `==`, `!=`, under `!`, `&&`, `||`) a name
    /// holding an HMAC digest (`BodyAnalysis::digest_vars`) with something.
    fn compares_digest(&self, cond: Node<'_>, a: &BodyAnalysis) -> bool {
        if a.digest_vars.is_empty() {
            return false;
        }
        let digest =
            |x: Node<'_>| x.kind_str() == "identifier" && a.digest_vars.contains(self.text(x));
        self.any_comparison(cond, |_, l, r| {
            let (l, r) = (strip(l), strip(r));
            // `expected !== undefined` tests no signature.
            digest(l) && !self.is_nullish(r) || digest(r) && !self.is_nullish(l)
        })
    }

    /// Whether `test` holds for one of the equality comparisons (`===`, `!==`, `==`, `!=`) of a
    /// condition, found through `!`, parentheses and the other binary operators (`&&`, `||`);
    /// `test` gets the comparison and its two sides. At most 64 nodes are looked at.
    fn any_comparison<'t>(
        &self,
        cond: Node<'t>,
        mut test: impl FnMut(Node<'t>, Node<'t>, Node<'t>) -> bool,
    ) -> bool {
        let mut stack = vec![strip(cond)];
        let mut seen = 0;
        while let Some(n) = stack.pop() {
            seen += 1;
            if seen > 64 {
                break;
            }
            match n.kind_str() {
                "binary_expression" => {
                    let op = n.field("operator").map(|o| self.text(o)).unwrap_or("");
                    let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else {
                        continue;
                    };
                    if matches!(op, "===" | "!==" | "==" | "!=") {
                        if test(n, l, r) {
                            return true;
                        }
                    } else {
                        stack.push(strip(l));
                        stack.push(strip(r));
                    }
                }
                "unary_expression" | "parenthesized_expression" => {
                    if let Some(x) = n.named_child(0) {
                        stack.push(strip(x));
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// A shared-secret or signature check: a comparison with a secret from the environment or
    /// a bearer token, `timingSafeEqual`, or a negated `verify…`/`…Signature` call.
    fn is_secret_check(&self, cond: Node<'_>) -> bool {
        let t = self.text(cond);
        let lower = t.to_ascii_lowercase();
        if lower.contains("timingsafeequal") {
            return true;
        }
        // A comparison with a secret-named side (`token !== process.env.CRON_SECRET`,
        // `req.headers.authorization !== \`Bearer ${…}\``); a type test (`typeof tokensUsed !==
        // 'number'`) compares no secret.
        if self.any_comparison(cond, |n, l, r| {
            let typeof_test = [l, r].iter().any(|x| {
                let x = strip(*x);
                x.kind_str() == "unary_expression"
                    && x.field("operator")
                        .is_some_and(|o| self.text(o) == "typeof")
            });
            !typeof_test && secret_named(self.text(n))
        }) {
            return true;
        }
        // `if (!verifySignature(req))`, `if (!isValidSignature(…))`
        let c = strip(cond);
        if c.kind_str() == "unary_expression"
            && let Some(arg) = c.field("argument")
            && let arg = strip(arg)
            && arg.kind_str() == "call_expression"
            && let Some(f) = arg.field("function")
            && let Some(path) = self.callee_path(f)
            && let Some(last) = path.last()
        {
            let l = last.to_ascii_lowercase();
            return l.contains("signature") || l.starts_with("verify") || l.contains("hmac");
        }
        false
    }

    /// A comparison of a credential the request carries (`authHeader`, read from the
    /// `authorization` header) with a secret of the server's own configuration (`expected`,
    /// built from `cfg.metricsToken`): `if (authHeader !== expected) return 401`.
    fn compares_credential_with_config(&self, cond: Node<'_>, a: &BodyAnalysis) -> bool {
        if a.config_vars.is_empty() {
            return false;
        }
        let credential = |n: Node<'_>| {
            let n = strip(n);
            match n.kind_str() {
                "identifier" => a.credential_vars.contains(self.text(n)),
                "call_expression" | "member_expression" | "subscript_expression" => {
                    self.reads_credential(n)
                }
                _ => false,
            }
        };
        let secret = |n: Node<'_>| self.config_value(n, a, 0) == Some((true, true));
        self.any_comparison(cond, |_, l, r| {
            (credential(l) && secret(r)) || (credential(r) && secret(l))
        })
    }

    /// What a value of the server's own configuration is: `Some((config, secret))` when the
    /// expression is built only from the configuration (`process.env.X`, a configuration
    /// getter called without arguments such as `getRuntimeConfig()`, a name holding such a
    /// value, a key read off one) and literals; `config` when it reads some configuration at
    /// all, `secret` when what it reads is secret-named (`cfg.metricsToken`, `` `Bearer
    /// ${token}` ``). Nothing the request carries is part of it.
    fn config_value(&self, n: Node<'_>, a: &BodyAnalysis, depth: usize) -> Option<(bool, bool)> {
        if depth > 6 {
            return None;
        }
        let n = strip(n);
        match n.kind_str() {
            "string" | "number" | "true" | "false" | "null" | "undefined" => Some((false, false)),
            "identifier" => a
                .config_vars
                .get(self.text(n))
                .map(|&secret| (true, secret)),
            "member_expression" | "subscript_expression" => {
                let t = self.text(n);
                if t.starts_with("process.env.") || t.starts_with("process.env[") {
                    return Some((true, secret_named(t)));
                }
                if n.kind_str() == "subscript_expression" {
                    return None;
                }
                let (config, secret) = self.config_value(n.field("object")?, a, depth + 1)?;
                let key = n.field("property").map(|p| self.text(p)).unwrap_or("");
                config.then_some((true, secret || secret_named(key)))
            }
            "template_string" => {
                let mut out = (false, false);
                let mut c = n.walk();
                for sub in n.named_children(&mut c) {
                    if sub.kind_str() != "template_substitution" {
                        continue;
                    }
                    let (config, secret) = self.config_value(sub.named_child(0)?, a, depth + 1)?;
                    out = (out.0 || config, out.1 || secret);
                }
                // `Bearer ${token}`: the template names what it builds.
                Some((out.0, out.1 || (out.0 && secret_named(self.text(n)))))
            }
            "binary_expression" => {
                let op = n.field("operator").map(|o| self.text(o)).unwrap_or("");
                if !matches!(op, "||" | "??" | "+") {
                    return None;
                }
                let l = self.config_value(n.field("left")?, a, depth + 1)?;
                let r = self.config_value(n.field("right")?, a, depth + 1)?;
                Some((l.0 || r.0, l.1 || r.1))
            }
            "call_expression" => {
                let args = n.field("arguments")?;
                if args.named_child_count() != 0 {
                    return None;
                }
                let f = strip(n.field("function")?);
                if f.kind_str() != "identifier" {
                    return None;
                }
                let name = self.text(f);
                let lower = name.to_ascii_lowercase();
                let getter = ["config", "env", "settings"]
                    .iter()
                    .any(|w| lower.contains(w));
                (getter && self.session_source(&[name.to_string()]).is_none())
                    .then_some((true, false))
            }
            _ => None,
        }
    }

    /// A role/permission comparison in a condition (`!has({ role: 'org:admin' })`,
    /// `orgRole !== 'org:admin'`, `sessionClaims?.metadata?.role !== 'admin'`), recognised by
    /// the one role test the authorization facts use too (`facts::authz::is_role_test`).
    fn role_condition(&self, cond: Node<'_>) -> Option<String> {
        let t = self.text(cond);
        super::authz::is_role_test(t).then(|| format!("`{}`", compact(t.trim_matches(['(', ')']))))
    }

    /// Whether an expression is the whole auth object of `auth()`/`getAuth(req)` (always
    /// truthy: `if (!session)` on it checks nothing).
    fn is_session_object(&self, n: Node<'_>, a: &BodyAnalysis) -> bool {
        let n = strip(n);
        match n.kind_str() {
            "identifier" => a.session_objects.contains(self.text(n)),
            "member_expression" if a.member_names => self
                .member_key(n)
                .is_some_and(|k| a.session_objects.contains(&k)),
            "call_expression" => n
                .field("function")
                .and_then(|f| self.callee_path(f))
                .and_then(|p| self.session_source(&p))
                .is_some_and(|k| matches!(k, SessionCall::Auth | SessionCall::GetAuth)),
            _ => false,
        }
    }

    /// Whether a condition tests a session value negatively (`!userId`) or positively.
    /// The step a condition on a session reference makes when it exits: a check of the
    /// session (described by `how` from the condition's text and the reference's own
    /// description), of a helper's result, or of a predicate on a session value.
    fn ref_step(
        &self,
        what: SessionRef,
        exit: Exit,
        stmt: Node<'_>,
        how: impl FnOnce(&str, &str) -> String,
    ) -> Step {
        match what {
            SessionRef::Session(api, desc) => {
                let cond = stmt
                    .field("condition")
                    .map(|c| compact(self.text(c).trim_matches(['(', ')'])))
                    .unwrap_or_default();
                Step::Check {
                    check: Check::Session {
                        api,
                        how: how(&cond, &desc),
                    },
                    exit,
                    span: span(stmt),
                }
            }
            SessionRef::Helper(callee) => Step::CheckedCall {
                callee,
                exit,
                span: span(stmt),
                discriminant: None,
            },
            SessionRef::Predicate(callee) => Step::Predicate {
                callee,
                exit,
                span: span(stmt),
            },
        }
    }

    fn condition_polarity(&self, cond: Node<'_>, a: &BodyAnalysis) -> Option<CondRef> {
        let _depth = super::depth::Guard::enter()?;
        let c = strip(cond);
        if self.is_session_object(c, a) {
            return None;
        }
        match c.kind_str() {
            "unary_expression" => {
                let op = c.field("operator").map(|o| self.text(o));
                if op == Some("!") {
                    let arg = c.field("argument")?;
                    if self.is_session_object(arg, a) {
                        return None;
                    }
                    return self.session_ref(arg, a).map(CondRef::Negative);
                }
                None
            }
            "binary_expression" => {
                let op = c.field("operator").map(|o| self.text(o)).unwrap_or("");
                let left = c.field("left")?;
                let right = c.field("right")?;
                match op {
                    "||" => {
                        // `!userId || …`: true whenever signed out.
                        match (
                            self.condition_polarity(left, a),
                            self.condition_polarity(right, a),
                        ) {
                            (Some(CondRef::Negative(r)), _) | (_, Some(CondRef::Negative(r))) => {
                                Some(CondRef::Negative(r))
                            }
                            _ => None,
                        }
                    }
                    "&&" => match (
                        self.condition_polarity(left, a),
                        self.condition_polarity(right, a),
                    ) {
                        (Some(CondRef::Positive(r)), _) | (_, Some(CondRef::Positive(r))) => {
                            Some(CondRef::Positive(r))
                        }
                        _ => None,
                    },
                    "===" | "==" => {
                        let (val, other) = if self.is_nullish(right) {
                            (left, right)
                        } else {
                            (right, left)
                        };
                        if self.is_nullish(other) {
                            return self.session_ref(val, a).map(CondRef::Negative);
                        }
                        None
                    }
                    "!==" | "!=" => {
                        let (val, other) = if self.is_nullish(right) {
                            (left, right)
                        } else {
                            (right, left)
                        };
                        if self.is_nullish(other) {
                            return self.session_ref(val, a).map(CondRef::Positive);
                        }
                        // `state.kind !== 'live'` on a helper's result: anything but the one
                        // good value exits, the signed-out value included.
                        let literal = |n: Node<'_>| {
                            matches!(strip(n).kind_str(), "string" | "number" | "true" | "false")
                        };
                        let (val, other) = if literal(right) {
                            (left, right)
                        } else {
                            (right, left)
                        };
                        if literal(other)
                            && let Some(SessionRef::Helper(callee)) = self.session_ref(val, a)
                        {
                            return Some(CondRef::Negative(SessionRef::Helper(callee)));
                        }
                        None
                    }
                    _ => None,
                }
            }
            _ => self.session_ref(c, a).map(CondRef::Positive),
        }
    }

    /// The callee of a negated call of a plain name (`!isValid(x)`, awaited or not): a
    /// function of the project or an import, whose facts decide what testing its result means.
    fn negated_plain_call(&self, cond: Node<'_>) -> Option<CalleePath> {
        let c = strip(cond);
        if c.kind_str() != "unary_expression"
            || c.field("operator").map(|o| self.text(o)) != Some("!")
        {
            return None;
        }
        let n = strip(c.field("argument")?);
        if n.kind_str() != "call_expression" {
            return None;
        }
        let f = n.field("function")?;
        if f.kind_str() != "identifier" {
            return None;
        }
        Some(vec![self.text(f).to_string()])
    }

    /// A test that holds for one variant of a project helper's result, by a key of it:
    /// `'error' in r`, `r.error`, `r?.error` (the helper and the key). Which variant that is
    /// the helper's facts tell (`Returns::signed_out_keys`).
    fn failure_key(&self, cond: Node<'_>, a: &BodyAnalysis) -> Option<(CalleePath, String)> {
        let c = strip(cond);
        let (key, value) = match c.kind_str() {
            "binary_expression" => {
                if c.field("operator").map(|o| self.text(o)) != Some("in") {
                    return None;
                }
                let left = strip(c.field("left")?);
                if left.kind_str() != "string" {
                    return None;
                }
                let key = self.text(left).get(1..)?;
                let key = key.get(..key.len().checked_sub(1)?)?;
                (key.to_string(), c.field("right")?)
            }
            "member_expression" => {
                let prop = c.field("property")?;
                if prop.kind_str() != "property_identifier" {
                    return None;
                }
                (self.text(prop).to_string(), c.field("object")?)
            }
            _ => return None,
        };
        let value = strip(value);
        if value.kind_str() != "identifier" || key.is_empty() {
            return None;
        }
        let callee = a.helper_vars.get(self.text(value))?;
        Some((callee.clone(), key))
    }

    /// The keys of the object literal a statement returns (`return { error: 'x', status: 401 }`
    /// or `return NextResponse.json(…)`'s none), the statement being a `return` or a block
    /// that ends in one.
    fn returned_object_keys(&self, stmt: Node<'_>) -> Vec<String> {
        let ret = match stmt.kind_str() {
            "return_statement" => Some(stmt),
            "statement_block" => {
                let mut cursor = stmt.walk();
                stmt.named_children(&mut cursor)
                    .find(|s| s.kind_str() == "return_statement")
            }
            _ => None,
        };
        let Some(value) = ret.and_then(|r| r.named_child(0)).map(strip) else {
            return Vec::new();
        };
        if value.kind_str() != "object" {
            return Vec::new();
        }
        let mut keys = Vec::new();
        let mut cursor = value.walk();
        for prop in value.named_children(&mut cursor) {
            let key = match prop.kind_str() {
                "pair" => prop.field("key").map(|k| {
                    let t = self.text(k);
                    if k.kind_str() == "string" {
                        t.trim_matches(['"', '\'']).to_string()
                    } else {
                        t.to_string()
                    }
                }),
                "shorthand_property_identifier" => Some(self.text(prop).to_string()),
                _ => None,
            };
            keys.extend(key.filter(|k| !k.is_empty()));
        }
        keys
    }

    fn is_nullish(&self, n: Node<'_>) -> bool {
        matches!(self.text(strip(n)), "null" | "undefined")
    }

    /// Whether an expression is (derived from) a session value.
    /// `<session value> === <value>` (or `==`) where the other side is a literal (not a
    /// nullish one) or a name that is no session value: false for a signed-out request
    /// (`sessionClaims?.metadata.role === 'admin'`, `orgRole === role`).
    fn session_equality(&self, e: Node<'_>, a: &BodyAnalysis) -> bool {
        let op = e.field("operator").map(|o| self.text(o));
        if !matches!(op, Some("===" | "==")) {
            return false;
        }
        let (Some(l), Some(r)) = (e.field("left"), e.field("right")) else {
            return false;
        };
        let session = |n: Node<'_>| matches!(self.session_ref(n, a), Some(SessionRef::Session(..)));
        let nullish = |n: Node<'_>| {
            let n = strip(n);
            matches!(n.kind_str(), "null" | "undefined") || self.text(n) == "void 0"
        };
        // A literal or a name (`checkRole(role)`'s parameter); not a field of a record, which
        // may be null where the session's is too.
        let other = |n: Node<'_>| {
            !nullish(n)
                && matches!(
                    strip(n).kind_str(),
                    "string" | "number" | "identifier" | "true"
                )
        };
        match (session(l), session(r)) {
            (true, false) => other(r),
            (false, true) => other(l),
            _ => false,
        }
    }

    fn session_ref(&self, n: Node<'_>, a: &BodyAnalysis) -> Option<SessionRef> {
        let _depth = super::depth::Guard::enter()?;
        let n = strip(n);
        match n.kind_str() {
            "identifier" => {
                let name = self.text(n);
                if let Some(&api) = a.session_vars.get(name) {
                    return Some(SessionRef::Session(api, format!("`{name}` from Clerk")));
                }
                a.helper_vars
                    .get(name)
                    .map(|callee| SessionRef::Helper(callee.clone()))
            }
            "member_expression" | "subscript_expression" => {
                // `req.auth.userId` where `req.auth = getAuth(req)` earlier.
                if let Some((key, r)) = self.member_session(n, a) {
                    return Some(match r {
                        Ok(api) => SessionRef::Session(api, format!("`{key}` from Clerk")),
                        Err(callee) => SessionRef::Helper(callee.clone()),
                    });
                }
                let obj = n.field("object")?;
                if let Some(r) = self.session_ref(obj, a) {
                    return Some(r);
                }
                // `(await auth()).userId`, `c.get('clerkAuth')?.userId`
                let o = strip(obj);
                if o.kind_str() == "call_expression" && self.is_hono_clerk_auth(o) {
                    return Some(SessionRef::Session(
                        SessionCall::GetAuth,
                        format!("`{}`", self.text(o)),
                    ));
                }
                if o.kind_str() == "call_expression"
                    && let Some(f) = o.field("function")
                    && let Some(p) = self.callee_path(f)
                    && let Some(api) = self.session_source(&p)
                {
                    return Some(SessionRef::Session(
                        api,
                        format!("`{}` result", p.join(".")),
                    ));
                }
                None
            }
            "call_expression" => {
                let f = n.field("function")?;
                let p = self.callee_path(f)?;
                // `has({ role })` where `has` came from auth(); `await currentUser()` inline.
                if p.len() == 1
                    && let Some(&api) = a.session_vars.get(&p[0])
                {
                    return Some(SessionRef::Session(api, format!("`{}()` from Clerk", p[0])));
                }
                if let Some(api) = self.session_source(&p) {
                    return Some(SessionRef::Session(api, format!("`{}()`", p.join("."))));
                }
                if p.len() >= 2
                    && let Some(&api) = a.session_vars.get(&p[0])
                {
                    return Some(SessionRef::Session(api, format!("`{}()`", p.join("."))));
                }
                // `isTeacher(userId)`: a project predicate applied to a session value.
                let args = n.field("arguments")?;
                let mut cursor = args.walk();
                let on_session = args.named_children(&mut cursor).any(|arg| {
                    !self.is_session_object(arg, a)
                        && matches!(self.session_ref(arg, a), Some(SessionRef::Session(..)))
                });
                on_session.then_some(SessionRef::Predicate(p))
            }
            _ => None,
        }
    }

    /// How a statement (or block) leaves the function, if it always does.
    fn exit_kind(&self, stmt: Node<'_>) -> Option<Exit> {
        let _depth = super::depth::Guard::enter()?;
        match stmt.kind_str() {
            "statement_block" => {
                let mut cursor = stmt.walk();
                let stmts: Vec<Node<'_>> = stmt.named_children(&mut cursor).collect();
                let mut result = None;
                for s in stmts {
                    if let Some(e) = self.exit_kind(s) {
                        // A throwing call anywhere in the block wins over a later return.
                        result = Some(match (result, e) {
                            (Some(Exit::Throw), _) | (_, Exit::Throw) => Exit::Throw,
                            _ => Exit::Return,
                        });
                        if e == Exit::Return || e == Exit::Throw {
                            break;
                        }
                    }
                }
                result
            }
            "return_statement" => {
                if let Some(e) = stmt.named_child(0)
                    && (self.is_throwing_call(e) || self.is_effect_failure(e))
                {
                    return Some(Exit::Throw);
                }
                Some(Exit::Return)
            }
            "throw_statement" => Some(Exit::Throw),
            "expression_statement" => {
                let e = stmt.named_child(0)?;
                (self.is_throwing_call(e) || self.is_effect_failure(e)).then_some(Exit::Throw)
            }
            _ => None,
        }
    }

    fn is_throwing_call(&self, e: Node<'_>) -> bool {
        let e = strip(e);
        if e.kind_str() != "call_expression" {
            return false;
        }
        let Some(f) = e.field("function") else {
            return false;
        };
        let Some(p) = self.callee_path(f) else {
            return false;
        };
        let Some(last) = p.last() else {
            return false;
        };
        is_throwing_exit_call(last.trim_end_matches("()")) || self.protect_call(&p).is_some()
    }

    /// A call of a name an enclosing function bound to a call's result (`authMiddleware(req)`
    /// after `const authMiddleware = withAuth()` around this function) calls what that call
    /// returned: the path `withAuth()`, as `withAuth()(req)` reads.
    fn through_scope(&self, path: CalleePath, a: &BodyAnalysis) -> CalleePath {
        let [name] = path.as_slice() else {
            return path;
        };
        if self.scope_calls.is_empty()
            || session_call_kind(name).is_some()
            || a.helper_vars.contains_key(name)
            || a.session_vars.contains_key(name)
            || a.local_fns.contains_key(name)
            || self.scope_fns.last().is_some_and(|i| {
                self.facts
                    .functions
                    .get(*i)
                    .is_some_and(|f| f.param_names.contains(name))
            })
        {
            return path;
        }
        match self.scope_calls.iter().rev().find_map(|m| m.get(name)) {
            Some(call) if call.last().is_some_and(|l| !l.ends_with("()")) => {
                let mut out = call.clone();
                if let Some(last) = out.last_mut() {
                    last.push_str("()");
                }
                out
            }
            _ => path,
        }
    }

    /// A returned call of a plain name that may wrap a handler (an argument is a function or
    /// a name), read for the options it passes: `withMcpAuth(handler, verify, { required:
    /// true })`. Function arguments are not summarised here (`Binding::Other`): only the
    /// wrapper and its options decide.
    fn wrapper_call(&self, call: Node<'_>, path: &CalleePath) -> Option<Binding> {
        if path.len() != 1 || path[0].ends_with("()") {
            return None;
        }
        let args = call.field("arguments")?;
        let mut cursor = args.walk();
        let nodes: Vec<Node<'_>> = args
            .named_children(&mut cursor)
            .filter(|n| n.kind_str() != "comment")
            .collect();
        let handler_like = |n: Node<'_>| {
            let k = strip(n).kind_str();
            k == "identifier" || is_function_kind(k)
        };
        if !nodes.iter().any(|n| handler_like(*n)) {
            return None;
        }
        let args = nodes.into_iter().map(|n| self.option_value(n, 0)).collect();
        Some(Binding::Call {
            callee: path.clone(),
            args,
            span: span(call),
        })
    }

    /// A value read as an option: a name, an object literal of options (literal flags, names,
    /// nested objects), anything else `Other`. Nothing is summarised.
    fn option_value(&self, n: Node<'_>, depth: usize) -> Binding {
        let Some(_depth) = super::depth::Guard::enter() else {
            return Binding::Other;
        };
        let n = strip(n);
        match n.kind_str() {
            "identifier" => Binding::Identifier {
                name: self.text(n).to_string(),
            },
            "object" if depth < MAX_BINDING_DEPTH => {
                let mut fields = Vec::new();
                let mut cursor = n.walk();
                for e in n.named_children(&mut cursor) {
                    match e.kind_str() {
                        "pair" => {
                            let Some((k, key, v, literal)) = self.pair_entry(e) else {
                                continue;
                            };
                            fields.push(Field {
                                key,
                                value: self.option_value(v, depth + 1),
                                span: span(k),
                                literal,
                            });
                        }
                        "shorthand_property_identifier" => fields.push(self.shorthand_field(e)),
                        // `...options`: what it holds overrides the keys before it.
                        "spread_element" => {
                            let value = e
                                .named_child(0)
                                .map_or(Binding::Other, |v| self.option_value(v, depth + 1));
                            fields.push(Field {
                                key: "...".into(),
                                value,
                                span: span(e),
                                literal: None,
                            });
                        }
                        _ => {}
                    }
                }
                Binding::Object {
                    fields,
                    open: false,
                }
            }
            _ => Binding::Other,
        }
    }

    /// `return <expr>` at the function's top level.
    fn returned_expr(&mut self, e: Node<'_>, a: &mut BodyAnalysis, fn_idx: usize) {
        let Some(_depth) = super::depth::Guard::enter() else {
            return;
        };
        let v = strip(e);
        if is_function_kind(v.kind_str()) {
            // The returned function may call what a local of this one holds
            // (`const authMiddleware = withAuth(); return async (req) => authMiddleware(req, …)`).
            let scoped = !a.helper_vars.is_empty() && self.scope_calls.len() < 8;
            if scoped {
                self.scope_calls.push(a.helper_vars.clone());
            }
            let idx = self.function(v, None, false);
            if scoped {
                self.scope_calls.pop();
            }
            if let Some(idx) = idx {
                a.returns.functions.push(idx);
            }
            return;
        }
        match v.kind_str() {
            "identifier" => {
                let name = self.text(v);
                if a.session_vars.contains_key(name) {
                    a.returns.session_value = true;
                } else if let Some(callee) = a.helper_vars.get(name) {
                    a.returns.calls.push(callee.clone());
                } else if let Some(idx) = a.local_fns.get(name) {
                    a.returns.functions.push(*idx);
                }
            }
            "call_expression" => {
                if let Some(f) = v.field("function")
                    && let Some(p) = self.call_path(f)
                {
                    let p = self.through_scope(p, a);
                    if self.session_source(&p).is_some() || self.protect_call(&p).is_some() {
                        a.returns.session_value = true;
                    } else if self.is_webhook_call(&p) {
                        // `return stripe.webhooks.constructEvent(body, sig, secret)`: the
                        // signature is verified before the event is returned, and a bad one
                        // throws (out of this function and out of its callers).
                        a.steps.push(Step::Check {
                            check: Check::Signature { how: p.join(".") },
                            exit: Exit::Throw,
                            span: span(v),
                        });
                    } else if !is_throwing_exit_call(p.last().map(String::as_str).unwrap_or("")) {
                        if let Some(call) = self.wrapper_call(v, &p) {
                            a.returns.wrapper_calls.push(call);
                        }
                        a.returns.calls.push(p);
                    }
                }
                // `return withRateLimit(req, limiter, async () => { check; work })`: the
                // callback is what the call gives back, so its body is the rest of this one.
                if let Some(body) = self.returned_callback(v) {
                    if body.kind_str() == "statement_block" {
                        self.block(body, a, fn_idx);
                    } else {
                        self.returned_expr(body, a, fn_idx);
                    }
                }
                // `return Response.json(await helper())`: the helper's result is returned too.
                if let Some(args) = v.field("arguments") {
                    let mut cursor = args.walk();
                    let inner: Vec<Node<'_>> = args.named_children(&mut cursor).collect();
                    for arg in inner {
                        let arg = strip(arg);
                        if arg.kind_str() == "call_expression"
                            && let Some(f) = arg.field("function")
                            && let Some(p) = self.callee_path(f)
                            && self.session_source(&p).is_none()
                        {
                            a.returns.calls.push(p);
                        }
                    }
                }
            }
            "member_expression" if self.session_ref(v, a).is_some() => {
                a.returns.session_value = true;
            }
            // `return sessionClaims?.metadata.role === role`: false when signed out (no claims).
            "binary_expression" if self.session_equality(v, a) => {
                a.returns.session_value = true;
            }
            // `return user.userId ? user : null`: the session value when signed in, nothing
            // otherwise (the condition must test signed-in-ness: an auth object alone is
            // truthy when signed out too).
            "ternary_expression" => {
                if let (Some(cond), Some(yes), Some(no)) = (
                    v.field("condition"),
                    v.field("consequence"),
                    v.field("alternative"),
                ) {
                    let kept = match self.condition_polarity(cond, a) {
                        Some(CondRef::Positive(SessionRef::Session(..))) if self.is_nullish(no) => {
                            Some(yes)
                        }
                        Some(CondRef::Negative(SessionRef::Session(..)))
                            if self.is_nullish(yes) =>
                        {
                            Some(no)
                        }
                        _ => None,
                    };
                    if let Some(branch) = kept {
                        self.returned_expr(branch, a, fn_idx);
                    }
                }
            }
            // `return { userId }` / `return { userId: auth.userId, token }`: the caller reads the
            // session value off the object (`const { userId } = await getSession()`).
            "object" => {
                let mut cursor = v.walk();
                let props: Vec<Node<'_>> = v.named_children(&mut cursor).collect();
                for p in props {
                    let value = match p.kind_str() {
                        "shorthand_property_identifier" => Some(p),
                        "pair" => p.field("value").map(strip),
                        _ => None,
                    };
                    let Some(value) = value else { continue };
                    let session = match value.kind_str() {
                        "identifier" | "shorthand_property_identifier" => {
                            a.session_vars.contains_key(self.text(value))
                        }
                        "member_expression" => {
                            matches!(self.session_ref(value, a), Some(SessionRef::Session(..)))
                        }
                        _ => false,
                    };
                    if session {
                        a.returns.session_value = true;
                        break;
                    }
                }
            }
            _ => {}
        }
        let _ = fn_idx;
    }

    /// The body of an inline callback that a returned call runs for its result: the last
    /// argument of `wrap(…, async () => {…})`, when it is a function written in place and the
    /// call is not a collection's or a promise's method (`items.map(…)`, `p.then(…)`, whose
    /// callbacks run per element or later).
    fn returned_callback<'t>(&self, call: Node<'t>) -> Option<Node<'t>> {
        const NOT_RUN_IN_PLACE: &[&str] = &[
            "map",
            "forEach",
            "filter",
            "reduce",
            "some",
            "every",
            "find",
            "findIndex",
            "flatMap",
            "sort",
            "then",
            "catch",
            "finally",
            "on",
            "once",
            "addEventListener",
            "setTimeout",
            "setInterval",
            "after",
            "waitUntil",
        ];
        // The last argument first: every returned call comes through here.
        let args = call.field("arguments")?;
        let last =
            strip(args.named_child(u32::try_from(args.named_child_count().checked_sub(1)?).ok()?)?);
        if !matches!(last.kind_str(), "arrow_function" | "function_expression") {
            return None;
        }
        let path = self.call_path(call.field("function")?)?;
        if NOT_RUN_IN_PLACE.contains(&path.last()?.as_str()) {
            return None;
        }
        last.field("body")
    }

    // ----- calls everywhere -----

    fn scan_calls(&mut self, root: Node<'_>, _fn: Option<usize>) {
        let mut by_range: HashMap<(usize, usize), usize> = self
            .facts
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.range.start, f.range.end), i))
            .collect();
        // One cursor walk over the tree; `scopes` holds (end byte, function index) of the
        // enclosing functions.
        let mut cursor = root.walk();
        let mut scopes: Vec<(usize, usize)> = self
            .module_fn
            .map(|i| (root.end_byte(), i))
            .into_iter()
            .collect();
        // The cursor's ancestors (root first), so climbing from a call costs no
        // `Node::parent()` (which is O(depth) in tree-sitter): extraction stays linear.
        let mut ancestors: Vec<Node<'_>> = Vec::new();
        // The enclosing functions, for their parameter names: (end byte, function). Names are
        // read only for the rare session call whose callee is not an import.
        let mut params: Vec<(usize, Node<'_>)> = Vec::new();
        let src = self.src;
        let mut marks = CallMarks::new(src.as_bytes());
        loop {
            let n = cursor.node();
            super::depth::visit(1);
            while scopes.last().is_some_and(|(end, _)| n.start_byte() >= *end) {
                scopes.pop();
            }
            while params.last().is_some_and(|(end, _)| n.start_byte() >= *end) {
                params.pop();
            }
            let mut descend = true;
            if n.is_named() {
                let kind = n.kind_str();
                // A subtree without `(`, a backquote or `=>` holds no call and no function
                // (an object or array of constants, a JSX tree without handlers). A call's or a
                // function's mark lies after its first byte (a callee comes first; an arrow's
                // `=>` follows its parameters), so a node's own first byte does not count: the
                // arguments `(a, b)` of a call, a parameter list, a parenthesized name.
                descend =
                    !holds_no_code(kind) && marks.next_from(n.start_byte() + 1) < n.end_byte();
                if is_function_kind(kind) {
                    params.push((n.end_byte(), n));
                    let key = (n.start_byte(), n.end_byte());
                    let known = by_range.get(&key).copied().or_else(|| {
                        // Nested functions are summarised when they are inline server actions
                        // or handlers handed to a framework's route registration
                        // (`app.get('/x', async (req, res) => …)`).
                        let body = n.field("body")?;
                        let t = self.text(body);
                        ((body.kind_str() == "statement_block"
                            && crate::facts::directives::body_has_use_server(
                                t.get(1..).unwrap_or(""),
                            ))
                            || self.is_registration_arg(&ancestors))
                        .then(|| self.function(n, None, false))
                        .flatten()
                    });
                    if let Some(i) = known {
                        by_range.insert(key, i);
                        scopes.push((n.end_byte(), i));
                    }
                } else if kind == "call_expression"
                    && let Some(f) = n.field("function")
                    && let Some(path) = self.callee_path(f)
                {
                    let current = scopes.last().map(|(_, i)| *i);
                    let is_param = |name: &str| {
                        params.iter().any(|(_, f)| {
                            plain_params(src, &Self::param_patterns(*f)).any(|p| p == name)
                        })
                    };
                    self.record_auth_call(n, &path, current, &ancestors, is_param);
                    match current {
                        Some(i) => {
                            self.facts.functions[i].calls.push((path, span(n)));
                            for name in self.handed_imports(n) {
                                if !self
                                    .facts
                                    .handed
                                    .iter()
                                    .any(|(f, h)| *f as usize == i && h == name)
                                {
                                    self.facts.handed.push((i as u32, name.to_string()));
                                }
                            }
                        }
                        None => {
                            let root = path[0].trim_end_matches("()");
                            let called = self.imports.contains_key(root).then_some(root);
                            for name in called.into_iter().chain(self.handed_imports(n)) {
                                if !self.facts.module_uses.iter().any(|u| u == name) {
                                    self.facts.module_uses.push(name.to_string());
                                }
                            }
                        }
                    }
                }
            }
            if descend && cursor.goto_first_child() {
                ancestors.push(n);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                ancestors.pop();
                if !cursor.goto_parent() {
                    for f in &mut self.facts.functions {
                        f.calls.sort_by_key(|(_, s)| s.start);
                    }
                    return;
                }
            }
        }
    }

    /// Whether a function whose ancestors (root first) these are is an argument of a framework
    /// route registration (`app.get(path, fn)`), directly or inside a wrapper call
    /// (`app.get(path, asyncHandler(fn))`).
    fn is_registration_arg(&self, ancestors: &[Node<'_>]) -> bool {
        let mut rest = ancestors;
        // A handler wrapped in one call (`{ handler: httpAction(fn) }`, Convex's HTTP routes):
        // the wrapped function is the handler.
        if let [outer @ .., pair, call, args] = rest
            && args.kind_str() == "arguments"
            && call.kind_str() == "call_expression"
            && pair.kind_str() == "pair"
        {
            rest = &ancestors[..outer.len() + 1];
        }
        // A handler or hook of an options object (`{ handler: fn }`, `{ preHandler: [fn] }`).
        if let [outer @ .., obj, pair] = rest
            && pair.kind_str() == "pair"
            && obj.kind_str() == "object"
            && pair
                .field("key")
                .is_some_and(|k| super::frameworks::is_registration_key(self.text(k)))
        {
            rest = outer;
        } else if let [outer @ .., obj, pair, arr] = rest
            && arr.kind_str() == "array"
            && pair.kind_str() == "pair"
            && obj.kind_str() == "object"
            && pair
                .field("key")
                .is_some_and(|k| super::frameworks::is_registration_key(self.text(k)))
        {
            rest = outer;
        }
        let mut it = rest.iter().rev();
        for _ in 0..2 {
            let (Some(args), Some(call)) = (it.next(), it.next()) else {
                return false;
            };
            if args.kind_str() != "arguments" || call.kind_str() != "call_expression" {
                return false;
            }
            if let Some(f) = call.field("function")
                && f.kind_str() == "member_expression"
                && let Some(prop) = f.field("property")
                && super::frameworks::is_registration_method(self.text(prop))
            {
                return true;
            }
            // A Convex function's handler built inside a function (`return query({ args,
            // handler })` in a project builder such as `protectedQuery`): the project phase
            // decides by the import whether the builder is Convex's.
            if let Some(f) = call.field("function")
                && f.kind_str() == "identifier"
                && super::frameworks::convex::BUILDERS.contains(&self.text(f))
            {
                return true;
            }
        }
        false
    }

    fn record_auth_call(
        &mut self,
        call: Node<'_>,
        path: &[String],
        function: Option<usize>,
        ancestors: &[Node<'_>],
        is_param: impl Fn(&str) -> bool,
    ) {
        let (kind, callee, v5_protect) = match path {
            [a, p] if p == "protect" && a == "auth()" => {
                (SessionCall::Protect, "auth".to_string(), true)
            }
            [a, p] if p == "protect" && a == "auth" => {
                (SessionCall::Protect, "auth".to_string(), false)
            }
            [name] => match self.session_source(path) {
                Some(k) => (k, name.clone(), false),
                None => return,
            },
            _ => return,
        };
        // Only Clerk's: the callee must be imported (or a Clerk global in middleware).
        // (In `clerkMiddleware((auth, req) => …)`, `auth` is a parameter, not an import.)
        if !self.imports.contains_key(&callee) && !is_param(&callee) {
            return;
        }
        let awaited = is_awaited(ancestors);
        let (checked, destructured_without_await) = self.auth_result_use(kind, function, ancestors);
        let handed_to = if checked {
            Vec::new()
        } else {
            self.handed_to(kind, call, function, ancestors)
        };
        let past_a_check = !checked
            && (self.past_a_session_test(call, ancestors) || self.before_a_session_test(ancestors));
        self.record_session_names(kind, call, ancestors);
        self.facts.auth_calls.push(AuthCall {
            span: span(call),
            kind,
            callee,
            awaited,
            checked: checked || kind == SessionCall::Protect,
            v5_protect,
            destructured_without_await: destructured_without_await && !awaited,
            function,
            handed_to,
            past_a_check,
        });
    }

    /// Remember the names a session call's result is bound to (`const { userId } = await
    /// auth()`, `const user = await currentUser()`), for [`Extractor::past_a_session_test`]
    /// of the calls after it.
    fn record_session_names(&mut self, kind: SessionCall, call: Node<'_>, ancestors: &[Node<'_>]) {
        if matches!(kind, SessionCall::Protect | SessionCall::Verify)
            || self.session_names.len() >= 64
        {
            return;
        }
        let up = past_wrappers(ancestors);
        let Some(&decl) = up.checked_sub(1).map(|i| &ancestors[i]) else {
            return;
        };
        if decl.kind_str() != "variable_declarator"
            || decl
                .field("value")
                .is_none_or(|v| v.id() != ancestors.get(up).copied().unwrap_or(call).id())
        {
            return;
        }
        let Some(name) = decl.field("name") else {
            return;
        };
        let (names, whole_object) = match name.kind_str() {
            "identifier" => (
                vec![self.text(name).to_string()],
                matches!(kind, SessionCall::Auth | SessionCall::GetAuth),
            ),
            "object_pattern" => (
                self.object_pattern_names(name)
                    .into_iter()
                    .map(|(_, l)| l)
                    .collect(),
                false,
            ),
            _ => return,
        };
        let scope = ancestors
            .iter()
            .rev()
            .find(|a| is_function_kind(a.kind_str()))
            .map_or(Span::new(0, self.src.len()), |f| span(*f));
        self.session_names.push(SessionNames {
            names,
            whole_object,
            from: decl.end_byte(),
            scope,
        });
    }

    /// Whether a test of an earlier session result turns a signed-out request away before
    /// the call, on the path to it: an `if` whose condition is true for a missing user
    /// (`!userId`, `!session?.userId || …`, `user == null`) and whose consequence leaves the
    /// function, among the statements before the call's own in a block that holds it (the
    /// function's body or a block nested in it, as in `if (!isPublic(req)) { const { userId }
    /// = await auth(); if (!userId) return redirectToSignIn(); … auth() … }`).
    fn past_a_session_test(&self, call: Node<'_>, ancestors: &[Node<'_>]) -> bool {
        if self.session_names.is_empty() {
            return false;
        }
        // Within the innermost function around the call.
        let lo = below_innermost_function(ancestors);
        let mut budget = 512usize;
        for i in (lo..ancestors.len()).rev() {
            let block = ancestors[i];
            if !matches!(block.kind_str(), "statement_block" | "program") {
                continue;
            }
            let on_path = ancestors.get(i + 1).copied().unwrap_or(call);
            let mut cursor = block.walk();
            for stmt in block.named_children(&mut cursor) {
                if stmt.start_byte() >= on_path.start_byte() || budget == 0 {
                    break;
                }
                budget -= 1;
                if stmt.kind_str() != "if_statement" {
                    continue;
                }
                let (Some(cond), Some(cons)) = (stmt.field("condition"), stmt.field("consequence"))
                else {
                    continue;
                };
                if self.negates_session_value(cond, stmt.start_byte(), 0)
                    && self.exit_kind(cons).is_some()
                {
                    return true;
                }
            }
        }
        false
    }

    /// Whether a session call's statement is followed, in its block, by a test of an earlier
    /// session result that leaves the function (`const { userId } = await auth(); const user =
    /// await currentUser(); if (!userId) return 401`), with nothing between them that uses
    /// the names the call's result is bound to: a signed-out request leaves before the result
    /// is used, as if the call came after the test.
    fn before_a_session_test(&self, ancestors: &[Node<'_>]) -> bool {
        if self.session_names.is_empty() {
            return false;
        }
        // The statement holding the call, directly in a block of the innermost function.
        let lo = below_innermost_function(ancestors);
        let Some(i) = (lo..ancestors.len())
            .rev()
            .find(|&i| matches!(ancestors[i].kind_str(), "statement_block" | "program"))
        else {
            return false;
        };
        let block = ancestors[i];
        let Some(stmt) = ancestors.get(i + 1).copied() else {
            return false;
        };
        if !matches!(
            stmt.kind_str(),
            "lexical_declaration" | "variable_declaration"
        ) {
            return false;
        }
        let mut names: Vec<String> = Vec::new();
        let mut c = stmt.walk();
        for decl in stmt.named_children(&mut c) {
            match decl.field("name") {
                Some(n) if n.kind_str() == "identifier" => names.push(self.text(n).to_string()),
                Some(n) if n.kind_str() == "object_pattern" => {
                    names.extend(self.object_pattern_names(n).into_iter().map(|(_, l)| l))
                }
                _ => {}
            }
        }
        if names.is_empty() {
            return false;
        }
        let mut cursor = block.walk();
        for next in block
            .named_children(&mut cursor)
            .filter(|n| n.start_byte() >= stmt.end_byte())
            .take(16)
        {
            if next.kind_str() == "if_statement"
                && let (Some(cond), Some(cons)) =
                    (next.field("condition"), next.field("consequence"))
                && self.negates_session_value(cond, next.start_byte(), 0)
                && self.exit_kind(cons).is_some()
            {
                return true;
            }
            let t = self.text(next);
            if names.iter().any(|n| tests_name_use(t, n)) {
                return false;
            }
        }
        false
    }

    /// Whether a condition is true when a session value bound before `at` is missing:
    /// `!userId`, `!session.userId`, `userId == null`, either side of `||`.
    fn negates_session_value(&self, cond: Node<'_>, at: usize, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let c = strip(cond);
        let names_session = |n: Node<'_>| {
            let n = strip(n);
            if !matches!(n.kind_str(), "identifier" | "member_expression") {
                return false;
            }
            let Some(path) = self.callee_path(n) else {
                return false;
            };
            if path.iter().any(|p| p.ends_with("()")) {
                return false;
            }
            self.session_names.iter().any(|s| {
                s.from <= at
                    && s.scope.start <= at
                    && at < s.scope.end
                    && (!s.whole_object || path.len() >= 2)
                    && s.names.iter().any(|x| *x == path[0])
            })
        };
        match c.kind_str() {
            "unary_expression" => {
                c.field("operator").map(|o| self.text(o)) == Some("!")
                    && c.field("argument").is_some_and(names_session)
            }
            "binary_expression" => {
                let op = c.field("operator").map(|o| self.text(o)).unwrap_or("");
                let (Some(left), Some(right)) = (c.field("left"), c.field("right")) else {
                    return false;
                };
                match op {
                    "||" => {
                        self.negates_session_value(left, at, depth + 1)
                            || self.negates_session_value(right, at, depth + 1)
                    }
                    "==" | "===" => {
                        (self.is_nullish(right) && names_session(left))
                            || (self.is_nullish(left) && names_session(right))
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// The calls that receive the result of a session call, or the names it is bound to, as an
    /// argument (possibly inside an object: `next({ ctx: { userId } })`). A JSX attribute hands
    /// it to a component, recorded as the pseudo-callee `<jsx>`.
    fn handed_to(
        &self,
        kind: SessionCall,
        call: Node<'_>,
        function: Option<usize>,
        ancestors: &[Node<'_>],
    ) -> Vec<Handoff> {
        // The result is an object every caller gets (the auth object, a verification's
        // state), not a value a signed-out caller lacks (a user, an id).
        let object = matches!(
            kind,
            SessionCall::Auth | SessionCall::GetAuth | SessionCall::Verify
        );
        let up = past_wrappers(ancestors);
        let Some(&decl) = up.checked_sub(1).map(|i| &ancestors[i]) else {
            return Vec::new();
        };
        if decl.kind_str() != "variable_declarator" {
            // `resolveAccess(await auth())`: handed on directly.
            let node = ancestors.get(up).copied().unwrap_or(call);
            return self.receiving_call(node, object).into_iter().collect();
        }
        let Some(name) = decl.field("name") else {
            return Vec::new();
        };
        let object = object && name.kind_str() == "identifier";
        let names: Vec<String> = match name.kind_str() {
            "identifier" => vec![self.text(name).to_string()],
            "object_pattern" => self
                .object_pattern_names(name)
                .into_iter()
                .map(|(_, l)| l)
                .collect(),
            _ => return Vec::new(),
        };
        let scope = function
            .and_then(|i| self.facts.functions.get(i))
            .map(|f| f.range)
            .unwrap_or(Span::new(0, self.src.len()));
        let from = decl.end_byte();
        let mut out = Vec::new();
        let Some(&top) = ancestors
            .iter()
            .rev()
            .find(|a| span(**a) == scope)
            .or(ancestors.first())
        else {
            return out;
        };
        let mut stack = vec![top];
        let mut budget = 100_000usize;
        while let Some(n) = stack.pop() {
            budget = budget.saturating_sub(1);
            if budget == 0 || out.len() >= 16 {
                break;
            }
            if n.end_byte() <= from {
                continue;
            }
            if matches!(n.kind_str(), "identifier" | "shorthand_property_identifier")
                && n.start_byte() >= from
                && names.iter().any(|x| x == self.text(n))
                && let Some(c) = self.receiving_call(n, object)
            {
                out.push(c);
                continue;
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        out
    }

    /// The call whose arguments hold `n` (through member reads, objects, spreads, awaits), or
    /// `<jsx>` for a JSX attribute value, with the argument and the object keys the value
    /// sits under.
    fn receiving_call(&self, n: Node<'_>, whole: bool) -> Option<Handoff> {
        let mut child = n;
        // A key read off the value (`session.userId`): no longer the whole auth object.
        let mut read_off = false;
        // Keys innermost first; `None` once an array or a spread hides where it goes.
        let mut keys = Some(Vec::new());
        if n.kind_str() == "shorthand_property_identifier" {
            // `{ userId }`: the value under its own name.
            keys = Some(vec![self.text(n).to_string()]);
        }
        for _ in 0..32 {
            let p = child.parent()?;
            match p.kind_str() {
                "member_expression" if p.field("object").is_some_and(|o| o.id() == child.id()) => {
                    read_off = true;
                }
                "parenthesized_expression"
                | "await_expression"
                | "non_null_expression"
                | "as_expression"
                | "object" => {}
                "pair" => {
                    if p.field("value").is_some_and(|v| v.id() == child.id())
                        && let (Some(k), Some(ks)) = (p.field("key"), keys.as_mut())
                    {
                        let key = match k.kind_str() {
                            "property_identifier" => Some(self.text(k).to_string()),
                            _ => string_value(self.src, k),
                        };
                        match key {
                            Some(key) => ks.push(key),
                            None => keys = None,
                        }
                    } else {
                        keys = None;
                    }
                }
                "spread_element" | "array" => keys = None,
                "arguments" => {
                    let call = p.parent()?;
                    let f = call.field("function")?;
                    let callee = self.callee_path(f)?;
                    let mut c = p.walk();
                    let index = p
                        .named_children(&mut c)
                        .filter(|a| a.kind_str() != "comment")
                        .position(|a| a.id() == child.id());
                    let slot = match (index, keys) {
                        (Some(i), Some(mut ks)) => {
                            ks.reverse();
                            u32::try_from(i)
                                .ok()
                                .map(|index| ParamSlot { index, keys: ks })
                        }
                        _ => None,
                    };
                    return Some(Handoff {
                        callee,
                        slot,
                        call: Some(span(call)),
                        whole_object: whole && !read_off,
                    });
                }
                "jsx_expression" => {
                    return p
                        .parent()
                        .filter(|a| a.kind_str() == "jsx_attribute")
                        .map(|_| Handoff {
                            callee: vec!["<jsx>".to_string()],
                            slot: None,
                            call: None,
                            whole_object: false,
                        });
                }
                _ => return None,
            }
            child = p;
        }
        None
    }

    /// Whether anything acts on the result of a session call, and whether it is destructured
    /// (`const { userId } = auth()`).
    fn auth_result_use(
        &self,
        kind: SessionCall,
        function: Option<usize>,
        ancestors: &[Node<'_>],
    ) -> (bool, bool) {
        if kind == SessionCall::Protect {
            return (true, false);
        }
        // Climb through wrappers to the consuming context.
        let up = past_wrappers(ancestors);
        super::depth::visit((ancestors.len() - up) as u64);
        let Some(&parent) = up.checked_sub(1).map(|i| &ancestors[i]) else {
            return (false, false);
        };
        match parent.kind_str() {
            "variable_declarator" => {
                let Some(name) = parent.field("name") else {
                    return (false, false);
                };
                let names: Vec<String> = match name.kind_str() {
                    "identifier" => vec![self.text(name).to_string()],
                    "object_pattern" => self
                        .object_pattern_names(name)
                        .into_iter()
                        .map(|(_, l)| l)
                        .collect(),
                    _ => return (true, false),
                };
                let destructured = name.kind_str() == "object_pattern";
                let scope = function
                    .and_then(|i| self.facts.functions.get(i))
                    .map(|f| f.range)
                    .unwrap_or(Span::new(0, self.src.len()));
                // `const session = await auth()`: the object is always truthy, so only reading
                // a value off it (or handing it on) acts on it; `if (!session)` does not.
                let whole_object =
                    !destructured && matches!(kind, SessionCall::Auth | SessionCall::GetAuth);
                (
                    self.names_acted_on(
                        &names,
                        &ancestors[..up],
                        scope,
                        parent.end_byte(),
                        whole_object,
                    ),
                    destructured,
                )
            }
            // `if (!(await auth()).userId)`, `return auth()`, `foo(await auth())`,
            // `(await auth()).protect()`: acted on or handed on.
            "member_expression" | "return_statement" | "arguments" | "arrow_function"
            | "unary_expression" | "binary_expression" | "ternary_expression" | "if_statement" => {
                (true, false)
            }
            "expression_statement" => (false, false),
            _ => (true, false),
        }
    }

    /// Whether any of `names` is acted on after byte `from` within the function (or module)
    /// containing `at`: used in a condition, negated, compared, returned, thrown, switched on,
    /// called (`has()`, `redirectToSignIn()`), or passed to an `assert*`/`require*` helper.
    /// A name bound from one of them later (`const { userId } = session`,
    /// `const id = session.userId`, `const s = session`) is followed in turn: one more walk of
    /// the scope per such step, [`MAX_BINDING_HOPS`] steps at most, each walk looking for all
    /// the names the previous one found (at most [`MAX_BOUND_NAMES`] of them).
    fn names_acted_on(
        &self,
        names: &[String],
        ancestors: &[Node<'_>],
        scope: Span,
        from: usize,
        whole_object: bool,
    ) -> bool {
        // The node spanning `scope` among the ancestors (the root when none does).
        let Some(&top) = ancestors
            .iter()
            .rev()
            .inspect(|_| super::depth::visit(1))
            .find(|a| span(**a) == scope)
            .or(ancestors.first())
        else {
            return false;
        };
        // Each name with whether it holds the whole object and where its binding ends.
        let mut wanted: Vec<(String, bool, usize)> = names
            .iter()
            .map(|n| (n.clone(), whole_object, from))
            .collect();
        for _ in 0..=MAX_BINDING_HOPS {
            if wanted.is_empty() {
                return false;
            }
            let start = wanted.iter().map(|w| w.2).min().unwrap_or(from);
            let mut bound = Vec::new();
            let mut stack = vec![top];
            while let Some(n) = stack.pop() {
                super::depth::visit(1);
                if n.end_byte() <= start {
                    continue;
                }
                // `return { userId }`: a shorthand property is a read of the name too; a
                // member path a result was stored under (`req.auth`) is read as a name.
                if (matches!(n.kind_str(), "identifier" | "shorthand_property_identifier")
                    || (n.kind_str() == "member_expression"
                        && wanted.iter().any(|w| w.0.contains('.'))))
                    && let Some(&(_, whole, _)) = wanted
                        .iter()
                        .find(|w| n.start_byte() >= w.2 && w.0 == self.text(n))
                {
                    if (!whole || !self.is_truthiness_test(n)) && self.acting_context(n) {
                        return true;
                    }
                    if let Some((more, whole, end)) = self.bound_from(n, whole) {
                        for m in more {
                            // A name bound again later is looked for from its first binding.
                            if bound.len() < MAX_BOUND_NAMES
                                && !bound
                                    .iter()
                                    .any(|b: &(String, bool, usize)| b.0 == m && b.1 == whole)
                            {
                                bound.push((m, whole, end));
                            }
                        }
                    }
                }
                if holds_no_code(n.kind_str()) {
                    continue;
                }
                // Children pushed last to first: they are visited in source order, and a
                // result is most often acted on right after it is taken.
                let at = stack.len();
                let mut cursor = n.walk();
                stack.extend(n.named_children(&mut cursor));
                stack[at..].reverse();
            }
            wanted = bound;
        }
        false
    }

    /// The names a declaration binds from `ident` (`const { userId } = ident`,
    /// `const id = ident.userId`, `const copy = ident`), whether they still hold the whole
    /// session object (only a plain copy of an object does), and where the declaration ends.
    fn bound_from(
        &self,
        ident: Node<'_>,
        whole_object: bool,
    ) -> Option<(Vec<String>, bool, usize)> {
        let mut child = ident;
        let mut read_off = false;
        let decl = loop {
            let p = child.parent()?;
            super::depth::visit(1);
            match p.kind_str() {
                "member_expression" if p.field("object").is_some_and(|o| o.id() == child.id()) => {
                    read_off = true;
                }
                "parenthesized_expression"
                | "await_expression"
                | "non_null_expression"
                | "as_expression" => {}
                "variable_declarator" if p.field("value").is_some_and(|v| v.id() == child.id()) => {
                    break p;
                }
                // `clerkUserId = userId` (a name declared earlier): the same value, under
                // another name; `req.auth = auth` (Express's custom of hanging the session on
                // the request): under a member path, read as such (`req.auth.userId`).
                "assignment_expression"
                    if p.field("right").is_some_and(|v| v.id() == child.id())
                        && p.field("left").is_some_and(|l| {
                            l.kind_str() == "identifier" || self.plain_member_path(l)
                        }) =>
                {
                    break p;
                }
                _ => return None,
            }
            child = p;
        };
        let name = decl.field("name").or_else(|| decl.field("left"))?;
        match name.kind_str() {
            "identifier" | "member_expression" => Some((
                vec![self.text(name).to_string()],
                whole_object && !read_off,
                decl.end_byte(),
            )),
            "object_pattern" => Some((
                self.object_pattern_names(name)
                    .into_iter()
                    .map(|(_, l)| l)
                    .collect(),
                false,
                decl.end_byte(),
            )),
            _ => None,
        }
    }

    /// Whether `n` is a member path of plain names (`req.auth`, `res.locals.auth`): a place a
    /// value can be stored under and read back by the same text.
    fn plain_member_path(&self, n: Node<'_>) -> bool {
        let mut cur = n;
        for _ in 0..4 {
            match cur.kind_str() {
                "identifier" | "this" => return cur.id() != n.id(),
                "member_expression" => {
                    if cur
                        .field("property")
                        .is_none_or(|p| p.kind_str() != "property_identifier")
                    {
                        return false;
                    }
                    let Some(o) = cur.field("object") else {
                        return false;
                    };
                    cur = o;
                }
                _ => return false,
            }
        }
        false
    }

    /// Whether an identifier is only tested for truthiness (`!x`, `if (x)`, `x && …`,
    /// `x ? … : …`), not read from or handed on.
    fn is_truthiness_test(&self, ident: Node<'_>) -> bool {
        let mut child = ident;
        while let Some(p) = child.parent() {
            match p.kind_str() {
                "parenthesized_expression" | "non_null_expression" => child = p,
                "unary_expression" => {
                    return p.field("operator").is_some_and(|o| self.text(o) == "!");
                }
                "binary_expression" => {
                    return p
                        .field("operator")
                        .is_some_and(|o| matches!(self.text(o), "&&" | "||" | "??"));
                }
                "if_statement" | "while_statement" | "ternary_expression" => {
                    return p.field("condition").is_some_and(|c| c.id() == child.id());
                }
                _ => return false,
            }
        }
        false
    }

    fn acting_context(&self, ident: Node<'_>) -> bool {
        let mut child = ident;
        while let Some(p) = child.parent() {
            super::depth::visit(1);
            match p.kind_str() {
                "if_statement" | "while_statement" => {
                    return p.field("condition").is_some_and(|c| c.id() == child.id());
                }
                "ternary_expression" => {
                    return p.field("condition").is_some_and(|c| c.id() == child.id());
                }
                "switch_statement" | "return_statement" | "throw_statement" => return true,
                "unary_expression" => {
                    if p.field("operator").is_some_and(|o| self.text(o) == "!") {
                        return true;
                    }
                }
                "binary_expression" => {
                    let op = p.field("operator").map(|o| self.text(o)).unwrap_or("");
                    if matches!(op, "&&" | "||" | "===" | "!==" | "==" | "!=" | "??") {
                        return true;
                    }
                }
                "call_expression" => {
                    let Some(f) = p.field("function") else {
                        return false;
                    };
                    if f.id() == child.id() {
                        // `has(...)`, `redirectToSignIn()`, `protect()` called.
                        return true;
                    }
                    if let Some(path) = self.callee_path(f)
                        && let Some(last) = path.last()
                    {
                        let l = last.to_ascii_lowercase();
                        if [
                            "assert", "require", "ensure", "check", "verify", "guard", "protect",
                        ]
                        .iter()
                        .any(|w| l.starts_with(w))
                        {
                            return true;
                        }
                    }
                    // `allowed.includes(role)`, `['a', 'b'].includes(role)`: a test of the
                    // value, acting on it when its own result is (`if (!….includes(role))`).
                    let method = match f.kind_str() {
                        "member_expression" => f.field("property").map(|m| self.text(m)),
                        _ => None,
                    };
                    if !matches!(
                        method,
                        Some("includes" | "has" | "some" | "every" | "startsWith" | "endsWith")
                    ) {
                        return false;
                    }
                }
                "member_expression"
                | "subscript_expression"
                | "parenthesized_expression"
                | "await_expression"
                | "arguments"
                | "non_null_expression"
                | "as_expression"
                // Returned inside an object (`return { userId }`): handed to the caller.
                | "object"
                | "pair" => {}
                _ => return false,
            }
            child = p;
        }
        false
    }

    // ----- middleware -----
}

/// How many declarations deep a session result is followed (`const a = await auth();
/// const { userId } = a` is one).
const MAX_BINDING_HOPS: u8 = 4;

/// How many names bound from a session result one step of that following looks for.
const MAX_BOUND_NAMES: usize = 32;

/// Append the steps that run only when one of `flags` holds, folding nested `When`s into one
/// (the steps of an inner `When` run when an option of both lists holds: one of their
/// intersection suffices).
fn push_when(a: &mut BodyAnalysis, flags: Vec<Vec<String>>, steps: Vec<Step>, span: Span) {
    let mut plain = Vec::new();
    for st in steps {
        match st {
            Step::When {
                flags: inner,
                steps,
                span,
            } => {
                let both: Vec<Vec<String>> =
                    inner.into_iter().filter(|f| flags.contains(f)).collect();
                if !both.is_empty() {
                    a.steps.push(Step::When {
                        flags: both,
                        steps,
                        span,
                    });
                }
            }
            other => plain.push(other),
        }
    }
    if !plain.is_empty() {
        a.steps.push(Step::When {
            flags,
            steps: plain,
            span,
        });
    }
}

fn exit_word(exit: Exit, how: &str) -> String {
    match exit {
        Exit::Return => format!("returns early ({how})"),
        Exit::Throw => format!("throws/redirects ({how})"),
    }
}

/// `text` with its comments blanked (same length; strings kept as they are). A comment starts
/// at `//` or `/*` at the start of a line or after a space, outside `'…'` and `"…"` strings, so
/// that a URL or a regular expression is never taken for one; template literals are scanned
/// as code (an `await` inside `${…}` still counts).
/// How many of a call's ancestors (innermost last) remain once the wrappers right around it
/// are climbed (`await`, parentheses, `as`, `!`): `ancestors[up - 1]` is what consumes it.
fn past_wrappers(ancestors: &[Node<'_>]) -> usize {
    let mut up = ancestors.len();
    while up > 0
        && matches!(
            ancestors[up - 1].kind_str(),
            "await_expression"
                | "parenthesized_expression"
                | "as_expression"
                | "non_null_expression"
        )
    {
        up -= 1;
    }
    up
}

/// The names whose value a module changes in place: the roots of member paths that mutating
/// array methods are called on (`rows.push(…)`, `state.list.splice(…)`) or that are assigned
/// to (`stats.hits += 1`, `cache[key] = v`). One pass over the text, whatever the number of
/// names.
fn mutated_roots(src: &str) -> HashSet<&str> {
    const METHODS: &[&str] = &[
        "push", "unshift", "splice", "pop", "shift", "fill", "sort", "reverse",
    ];
    let bytes = src.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    // The root of the member path ending just before `end`, if the path has a step.
    let root_before = |end: usize| -> Option<&str> {
        let mut i = end;
        while i > 0 && bytes[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        let mut steps = 0;
        let mut root = None;
        let mut guard = 0;
        while i > 0 && guard < 64 {
            guard += 1;
            let b = bytes[i - 1];
            if b == b']' {
                let mut depth = 0usize;
                let mut j = i;
                while j > 0 && i - j <= 256 {
                    j -= 1;
                    match bytes[j] {
                        b']' => depth += 1,
                        b'[' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if depth != 0 || i - j > 256 {
                    return None;
                }
                i = j;
                steps += 1;
            } else if ident(b) {
                let e = i;
                while i > 0 && ident(bytes[i - 1]) {
                    i -= 1;
                }
                root = Some(&src[i..e]);
                if i > 0 && bytes[i - 1] == b'.' {
                    i -= 1;
                    if i > 0 && bytes[i - 1] == b'?' {
                        i -= 1;
                    }
                    steps += 1;
                    continue;
                }
                if i > 0 && bytes[i - 1] == b']' {
                    continue;
                }
                break;
            } else {
                break;
            }
        }
        root.filter(|_| steps > 0)
    };
    let mut out = HashSet::default();
    for m in METHODS {
        for (at, _) in src.match_indices(m) {
            let after = src[at + m.len()..].trim_start();
            if at > 0 && bytes[at - 1] == b'.' && after.starts_with('(') {
                // `rows.push(`: the path is `rows.push`, its root `rows`.
                if let Some(r) = root_before(at + m.len()) {
                    out.insert(r);
                }
            }
        }
    }
    for (at, _) in src.match_indices('=') {
        let next = bytes.get(at + 1).copied();
        if matches!(next, Some(b'=') | Some(b'>')) {
            continue;
        }
        let mut end = at;
        if end > 0
            && matches!(
                bytes[end - 1],
                b'+' | b'-' | b'*' | b'/' | b'%' | b'|' | b'&' | b'?'
            )
        {
            end -= 1;
        }
        if end > 0 && matches!(bytes[end - 1], b'=' | b'!' | b'<' | b'>') {
            continue;
        }
        if let Some(r) = root_before(end) {
            out.insert(r);
        }
    }
    for op in ["++", "--"] {
        for (at, _) in src.match_indices(op) {
            if let Some(r) = root_before(at) {
                out.insert(r);
            }
        }
    }
    out
}

pub fn blank_comments(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("//") && !text.contains("/*") {
        return std::borrow::Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q || c == b'\n' {
                quote = None;
            }
            i += 1;
            continue;
        }
        let starts = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r');
        if c == b'/' && starts && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                out[i] = b' ';
                i += 1;
            }
            continue;
        }
        if c == b'/' && starts && b.get(i + 1) == Some(&b'*') {
            let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            for o in &mut out[i..end] {
                if *o != b'\n' {
                    *o = b' ';
                }
            }
            i = end;
            continue;
        }
        if c == b'\'' || c == b'"' {
            quote = Some(c);
        }
        i += 1;
    }
    // Only ASCII bytes of comments were replaced, whole: the text stays UTF-8 (a multi-byte
    // character inside a comment becomes spaces byte for byte).
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

/// Collapse whitespace and cut long snippets for messages.
/// Whether `text` tests the identifier `name`: `!name`, `name ===`/`!==`/`==`/`!=`, `=== name`,
/// `includes(name)`, `name &&`, `name ?`.
pub fn tests_name(text: &str, name: &str) -> bool {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    {
        return false;
    }
    // Whitespace never decides: the neighbours of an occurrence are the characters next to it
    // once whitespace is left out (`userId  ===`, `! userId`, `return userId` reads as
    // `returnuserId`, a longer word). Only the occurrences as written are looked at.
    let word_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    for (i, _) in text.match_indices(name) {
        let end = i + name.len();
        let mut before = text[..i].chars().rev().filter(|c| !c.is_whitespace());
        let mut after = text[end..].chars().filter(|c| !c.is_whitespace());
        let prev = before.clone().next();
        if prev.is_some_and(|c| word_char(c) || c == '.') {
            continue;
        }
        if after.clone().next().is_some_and(word_char) {
            continue;
        }
        // Up to `includes(` (9 characters) before, `===` after, in reading order.
        let mut b: Vec<char> = before.by_ref().take(9).collect();
        b.reverse();
        let b: String = b.into_iter().collect();
        let a: String = after.by_ref().take(3).collect();
        let ends = |suffix: &str| b.ends_with(suffix);
        let starts = |prefix: &str| a.starts_with(prefix);
        if ends("!")
            || ends("===")
            || ends("!==")
            || ends("==")
            || ends("!=")
            || ends("includes(")
            || starts("===")
            || starts("!==")
            || starts("==")
            || starts("!=")
            || starts("&&")
            || starts("?") && !starts("?.") && !starts("??")
        {
            return true;
        }
    }
    false
}

/// An import from an npm package (`@tanstack/react-start`, `react-router`), not from the app's
/// own files (`./db`, `../lib`, `@/lib`, `~/utils`, `#server`).
pub(crate) fn is_package_source(source: &str) -> bool {
    let mut chars = source.chars();
    match chars.next() {
        Some('@') => chars.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        Some(c) => c.is_ascii_alphanumeric(),
        None => false,
    }
}

/// The pauses in a function's text: `new Promise((r) => setTimeout(r, ms))` (or `r =>` /
/// `{ setTimeout(r, ms) }`), a promise whose only effect is to resolve after a delay, as the
/// byte range of its `setTimeout(` call and whether `await` precedes it.
fn pauses(text: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("new Promise(") {
        let r = text[at + "new Promise(".len()..].trim_start();
        let (param, r) = match r.strip_prefix('(') {
            Some(inner) => {
                let Some(close) = inner.find(')') else {
                    continue;
                };
                (inner[..close].trim(), &inner[close + 1..])
            }
            None => {
                let end = r
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(r.len());
                (&r[..end], &r[end..])
            }
        };
        if param.is_empty()
            || !param
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            continue;
        }
        let Some(r) = r.trim_start().strip_prefix("=>") else {
            continue;
        };
        let r = r.trim_start();
        let r = r.strip_prefix('{').map(str::trim_start).unwrap_or(r);
        let Some(args) = r.strip_prefix("setTimeout(") else {
            continue;
        };
        let args = args.trim_start();
        let Some(after) = args.strip_prefix(param) else {
            continue;
        };
        if !after.trim_start().starts_with(',') {
            continue;
        }
        let call = text.len() - r.len();
        let awaited = text[..at].trim_end().ends_with("await");
        out.push((call..call + "setTimeout(".len(), awaited));
    }
    out
}

/// Whether a function's text compares something with a secret: a constant-time compare, an
/// HMAC, or `===`/`!==` next to a secret-named environment variable.
fn compares_secret(text: &str) -> bool {
    if text.contains("timingSafeEqual") || text.contains("createHmac") {
        return true;
    }
    let compares = text.contains("===") || text.contains("!==");
    compares
        && text.match_indices("process.env.").any(|(j, _)| {
            let name: String = text[j + 12..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
                .to_ascii_lowercase();
            ["secret", "token", "key", "password"]
                .iter()
                .any(|w| name.contains(w))
        })
}

/// Header names read in `text` (`headers.get('X-Token')`, `headers['x-token']`), lower-cased.
fn header_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, _) in text.match_indices("headers") {
        let rest = text[i + 7..].trim_start_matches(['?', '.']);
        let rest = rest
            .strip_prefix("get(")
            .or_else(|| rest.strip_prefix('['))
            .map(str::trim_start);
        let Some(rest) = rest else { continue };
        let Some(q) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))
        else {
            continue;
        };
        if let Some(end) = rest[1..].find(q) {
            let name = rest[1..1 + end].to_ascii_lowercase();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Whether `text` uses the identifier `name` at all (a whole word).
/// The modules whose `verify(token, key)` checks a JSON Web Token's signature.
const JWT_MODULES: &[&str] = &["hono/jwt", "hono/utils/jwt", "jsonwebtoken"];

/// Whether a condition holds in development only: `process.env.NODE_ENV === 'development'`,
/// `NODE_ENV !== 'production'`, alone or narrowed by `&&` (never widened by `||`).
fn runs_in_development_only(cond: &str) -> bool {
    let t = compact(cond.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace()));
    // A conjunction narrows the test (still development only); a disjunction widens it.
    if t.contains("||") || !t.contains("NODE_ENV") {
        return false;
    }
    let quoted = |w: &str| t.contains(&format!("'{w}'")) || t.contains(&format!("\"{w}\""));
    (t.contains("===") || t.contains("==")) && !t.contains("!=") && quoted("development")
        || t.contains("!=") && quoted("production")
}

/// `text` with the characters inside string literals (`'…'`, `"…"`) and the literal parts of
/// template strings (`` `…${x}…` ``) turned into spaces, offsets kept: a word there names
/// nothing (`'Stripe webhook ready'` does not use the import `Stripe`). A quote not closed on
/// its line (an apostrophe in JSX text) is left as it is.
/// `words` (the text of the function spanning `range`) with the type annotations of its
/// parameters and its return type blanked with spaces, offsets and lines kept.
fn blank_signature_types(root: Node<'_>, range: Span, words: &str) -> String {
    let mut bytes = words.as_bytes().to_vec();
    let Some(f) = crate::parse::node_with_range(root, range.start, range.end) else {
        return words.to_string();
    };
    let mut blank = |n: Node<'_>| {
        let from = n.start_byte().saturating_sub(range.start).min(bytes.len());
        let to = n.end_byte().saturating_sub(range.start).min(bytes.len());
        for b in &mut bytes[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    if let Some(ps) = f.field("parameters") {
        let mut c = ps.walk();
        for p in ps.named_children(&mut c) {
            if let Some(t) = p.field("type") {
                blank(t);
            }
        }
    }
    if let Some(t) = f.field("return_type") {
        blank(t);
    }
    // Whole nodes were blanked, so whole characters: the text stays UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|_| words.to_string())
}

pub fn blank_strings(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\'', '"', '`']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.as_bytes().to_vec();
    blank_code(text.as_bytes(), &mut out, 0, false, 0);
    match String::from_utf8(out) {
        Ok(s) => std::borrow::Cow::Owned(s),
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

/// [`blank_strings`] of code from `i`; in a template substitution (`sub`), up to its closing
/// `}` (returned: the index after it). Nesting deeper than 16 templates is left as it is.
fn blank_code(b: &[u8], out: &mut [u8], mut i: usize, sub: bool, depth: usize) -> usize {
    let mut braces = 0usize;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                let mut j = i + 1;
                let mut closed = None;
                while j < b.len() {
                    match b[j] {
                        b'\\' => j += 2,
                        b'\n' => break,
                        x if x == q => {
                            closed = Some(j);
                            break;
                        }
                        _ => j += 1,
                    }
                }
                match closed {
                    Some(end) => {
                        out[i + 1..end].fill(b' ');
                        i = end + 1;
                    }
                    None => i += 1,
                }
            }
            b'`' if depth < 16 => i = blank_template(b, out, i + 1, depth + 1),
            b'{' => {
                braces += 1;
                i += 1;
            }
            b'}' => {
                if sub && braces == 0 {
                    return i + 1;
                }
                braces = braces.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

/// The literal parts of a template string from `i` (after its backquote) blanked, its
/// substitutions read as code; the index after the closing backquote.
fn blank_template(b: &[u8], out: &mut [u8], mut i: usize, depth: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => {
                let end = (i + 2).min(b.len());
                for k in i..end {
                    if b[k] != b'\n' {
                        out[k] = b' ';
                    }
                }
                i = end;
            }
            b'`' => return i + 1,
            b'$' if b.get(i + 1) == Some(&b'{') => i = blank_code(b, out, i + 2, true, depth),
            b'\n' => i += 1,
            _ => {
                out[i] = b' ';
                i += 1;
            }
        }
    }
    i
}

fn tests_name_use(text: &str, name: &str) -> bool {
    word_ends(text, name).next().is_some()
}

/// Where each whole-word occurrence of the identifier `name` in `text` ends.
pub(crate) fn word_ends<'t>(text: &'t str, name: &'t str) -> impl Iterator<Item = usize> + 't {
    let bytes = text.as_bytes();
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    // memchr's searcher, not `str::match_indices`: a whole file is searched this way, and the
    // standard library's two-way search costs several times more per byte.
    memchr::memmem::find_iter(bytes, name.as_bytes()).filter_map(move |i| {
        let end = i + name.len();
        ((i == 0 || !word_char(bytes[i - 1])) && (end >= bytes.len() || !word_char(bytes[end])))
            .then_some(end)
    })
}

pub fn compact(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 80 {
        let cut: String = joined.chars().take(77).collect();
        format!("{cut}...")
    } else {
        joined
    }
}

/// The value of a string literal node (`'x'`, `"x"`, or a template without substitutions).
pub(crate) fn string_value(src: &str, n: Node<'_>) -> Option<String> {
    let t = &src[n.byte_range()];
    match n.kind_str() {
        "string" => Some(unescape_js(&t[1..t.len().saturating_sub(1).max(1)])),
        "template_string" => {
            if n.named_children(&mut n.walk())
                .any(|c| c.kind_str() == "template_substitution")
            {
                return None;
            }
            Some(unescape_js(&t[1..t.len().saturating_sub(1).max(1)]))
        }
        _ => None,
    }
}

/// Reads route-pattern lists from the tree: `['/a(.*)', /re/, { source }, ...other]`, with
/// spreads of constant lists resolved from `lists`.
pub(crate) struct Patterns<'a> {
    pub src: &'a str,
    pub lists: &'a BTreeMap<String, PatternList>,
}

impl Patterns<'_> {
    fn text(&self, n: Node<'_>) -> &str {
        &self.src[n.byte_range()]
    }

    /// A list argument: an array, a constant list bound to a name, or a single item.
    pub fn arg(&self, node: Node<'_>) -> PatternList {
        let n = strip(node);
        match n.kind_str() {
            "array" => self.list(n),
            "identifier" => match self.lists.get(self.text(n)) {
                Some(list) => list.clone(),
                None => PatternList {
                    items: vec![self.item(n)],
                    span: span(n),
                },
            },
            _ => PatternList {
                items: vec![self.item(n)],
                span: span(n),
            },
        }
    }

    pub fn list(&self, array: Node<'_>) -> PatternList {
        let Some(_depth) = super::depth::Guard::enter() else {
            return PatternList {
                items: Vec::new(),
                span: span(array),
            };
        };
        let mut items = Vec::new();
        let mut cursor = array.walk();
        for el in array.named_children(&mut cursor) {
            if el.kind_str() == "comment" {
                continue;
            }
            if el.kind_str() == "spread_element" {
                let inner = el.named_child(0).map(strip);
                match inner {
                    Some(i) if i.kind_str() == "array" => items.extend(self.list(i).items),
                    Some(i) if i.kind_str() == "identifier" => {
                        let name = self.text(i).to_string();
                        match self.lists.get(&name) {
                            Some(list) => items.extend(list.items.iter().cloned()),
                            None => items.push(PatternItem::Reference {
                                name,
                                span: span(i),
                            }),
                        }
                    }
                    _ => items.push(PatternItem::Dynamic { span: span(el) }),
                }
                continue;
            }
            items.push(self.item(el));
        }
        PatternList {
            items,
            span: span(array),
        }
    }

    pub fn item(&self, el: Node<'_>) -> PatternItem {
        let el = strip(el);
        if let Some(value) = string_value(self.src, el) {
            return PatternItem::Str {
                value,
                span: span(el),
            };
        }
        match el.kind_str() {
            "regex" => {
                let field = |f: &'static str| {
                    el.field(f)
                        .map(|p| self.text(p).to_string())
                        .unwrap_or_default()
                };
                PatternItem::Regex {
                    pattern: field("pattern"),
                    flags: field("flags"),
                    span: span(el),
                }
            }
            "identifier" => PatternItem::Reference {
                name: self.text(el).to_string(),
                span: span(el),
            },
            "object" => {
                let mut source = None;
                let mut conditional = false;
                let mut cursor = el.walk();
                for pair in el.named_children(&mut cursor) {
                    if pair.kind_str() != "pair" {
                        continue;
                    }
                    let (Some(k), Some(v)) = (pair.field("key"), pair.field("value")) else {
                        continue;
                    };
                    match self.text(k).trim_matches(['"', '\'']) {
                        "source" => source = string_value(self.src, strip(v)),
                        "has" | "missing" => conditional = true,
                        _ => {}
                    }
                }
                match source {
                    Some(source) => PatternItem::Object {
                        source,
                        span: span(el),
                        conditional,
                    },
                    None => PatternItem::Dynamic { span: span(el) },
                }
            }
            _ => PatternItem::Dynamic { span: span(el) },
        }
    }
}

/// The (key, local name) pairs an object pattern binds: `{ a, b: c, d = 1 }` → (a, a), (b, c),
/// (d, d). Nested patterns and rest elements bind no plain name here.
pub(crate) fn object_pattern_names(src: &str, pat: Node<'_>) -> Vec<(String, String)> {
    let text = |n: Node<'_>| src[n.byte_range()].to_string();
    let mut out = Vec::new();
    let mut cursor = pat.walk();
    for child in pat.named_children(&mut cursor) {
        match child.kind_str() {
            "shorthand_property_identifier_pattern" => {
                let t = text(child);
                out.push((t.clone(), t));
            }
            "object_assignment_pattern" => {
                if let Some(left) = child.field("left") {
                    let t = text(left);
                    out.push((t.clone(), t));
                }
            }
            "pair_pattern" => {
                let (Some(k), Some(v)) = (child.field("key"), child.field("value")) else {
                    continue;
                };
                let key = string_value(src, k).unwrap_or_else(|| text(k));
                let v = if v.kind_str() == "assignment_pattern" {
                    v.field("left").unwrap_or(v)
                } else {
                    v
                };
                if v.kind_str() == "identifier" {
                    out.push((key, text(v)));
                }
            }
            _ => {}
        }
    }
    out
}

/// Undo simple JS string escapes (`\\` → `\`, `\'` → `'`).
fn unescape_js(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Default)]
struct BodyAnalysis {
    steps: Vec<Step>,
    returns: Returns,
    /// Local names holding Clerk session values.
    session_vars: HashMap<String, SessionCall>,
    /// Local names holding the result of a project-function call.
    helper_vars: HashMap<String, CalleePath>,
    local_fns: HashMap<String, usize>,
    /// Session variables that hold the whole auth object of `auth()` / `getAuth(req)`: always
    /// truthy, so testing them is no check.
    session_objects: HashSet<String>,
    /// Names holding a credential the request carries (`x-api-key`, `authorization`, a
    /// `token`/`key` query parameter).
    credential_vars: HashSet<String>,
    /// Names holding the result of a lookup keyed by a credential (`findUnique({ where: { key } })`).
    lookup_vars: HashSet<String>,
    /// Names holding the user's session token (`await getToken()`).
    token_vars: HashSet<String>,
    /// Names holding a request header's value (name → header, lower-cased).
    header_vars: HashMap<String, String>,
    /// Names holding a value of the server's own configuration (`const cfg = getConfig()`,
    /// `const token = cfg.metricsToken`, `process.env.X`), with whether it is secret-named.
    config_vars: HashMap<String, bool>,
    /// Names holding an HMAC digest (`crypto.createHmac('sha256', secret).update(body)
    /// .digest('hex')`): comparing one with another value checks a signature.
    digest_vars: HashSet<String>,
    /// Names holding an Effect service taken with `yield* UserService` (name → service).
    service_vars: HashMap<String, String>,
    /// Whether a name above is a property path (`req.auth`), bound by an assignment to it.
    member_names: bool,
}

impl BodyAnalysis {
    /// A nested scope (a `case`, an Effect program): what the names hold, no steps yet.
    fn scoped(&self) -> BodyAnalysis {
        BodyAnalysis {
            session_vars: self.session_vars.clone(),
            helper_vars: self.helper_vars.clone(),
            local_fns: self.local_fns.clone(),
            session_objects: self.session_objects.clone(),
            credential_vars: self.credential_vars.clone(),
            lookup_vars: self.lookup_vars.clone(),
            token_vars: self.token_vars.clone(),
            header_vars: self.header_vars.clone(),
            config_vars: self.config_vars.clone(),
            digest_vars: self.digest_vars.clone(),
            service_vars: self.service_vars.clone(),
            member_names: self.member_names,
            ..BodyAnalysis::default()
        }
    }
}

enum SessionRef {
    /// Derived from a Clerk session API.
    Session(SessionCall, String),
    /// A project predicate applied to a session value (`isTeacher(userId)`).
    Predicate(CalleePath),
    /// Derived from a project function's result.
    Helper(CalleePath),
}

/// What a negative test was on (for what the function returns after it).
enum WhatKind {
    Session,
    Helper(CalleePath),
    Predicate,
}

enum CondRef {
    Negative(SessionRef),
    Positive(SessionRef),
}

/// The `config` export of a module, as a matcher configuration.
pub fn middleware_config(
    lang: Lang,
    tree: &tree_sitter::Tree,
    src: &str,
    facts: &CodeFacts,
) -> (MatcherConfig, Option<Span>) {
    let _ = lang;
    let x = Extractor {
        src,
        fn_index: HashMap::new(),
        facts: facts.clone(),
        imports: facts
            .imports
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        bindings: facts
            .bindings
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        constants: HashMap::default(),
        module_body: false,
        module_fn: None,
        classes: HashMap::new(),
        session_names: Vec::new(),
        value_imports: false,
        session_fn_aliases: Default::default(),
        effect: false,
        scope_fns: Vec::new(),
        scope_calls: Vec::new(),
    };
    let root = tree.root_node();
    let mut cursor = root.walk();
    for stmt in root.named_children(&mut cursor) {
        if let Some((obj, d)) = commonjs_config(src, stmt) {
            return x.config_object(obj, d);
        }
        if stmt.kind_str() != "export_statement" {
            continue;
        }
        let Some(decl) = stmt.field("declaration") else {
            continue;
        };
        if !matches!(
            decl.kind_str(),
            "lexical_declaration" | "variable_declaration"
        ) {
            continue;
        }
        let mut c2 = decl.walk();
        for d in decl.named_children(&mut c2) {
            if d.kind_str() != "variable_declarator" {
                continue;
            }
            let (Some(name), Some(value)) = (d.field("name"), d.field("value")) else {
                continue;
            };
            if x.text(name) != "config" {
                continue;
            }
            return x.config_object(strip(value), d);
        }
    }
    (MatcherConfig::Absent, None)
}

/// `module.exports.config = {…}` / `exports.config = {…}` (CommonJS middleware): the value
/// and the statement.
fn commonjs_config<'t>(src: &str, stmt: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let e = stmt
        .named_child(0)
        .filter(|_| stmt.kind_str() == "expression_statement")?;
    if e.kind_str() != "assignment_expression" {
        return None;
    }
    let left = e.field("left")?;
    let target: String = src[left.byte_range()].split_whitespace().collect();
    matches!(target.as_str(), "module.exports.config" | "exports.config")
        .then(|| e.field("right").map(|r| (strip(r), stmt)))
        .flatten()
}

impl Extractor<'_> {
    /// The matcher configuration of a `config` object literal declared at `d`.
    fn config_object(&self, obj: Node<'_>, d: Node<'_>) -> (MatcherConfig, Option<Span>) {
        let x = self;
        {
            if obj.kind_str() != "object" {
                return (MatcherConfig::NonLiteral { span: span(obj) }, Some(span(d)));
            }
            let mut c3 = obj.walk();
            for pair in obj.named_children(&mut c3) {
                if pair.kind_str() != "pair" {
                    continue;
                }
                let (Some(k), Some(v)) = (pair.field("key"), pair.field("value")) else {
                    continue;
                };
                if x.text(k).trim_matches(['"', '\'']) != "matcher" {
                    continue;
                }
                let v = strip(v);
                let list = match v.kind_str() {
                    "array" => x.patterns().list(v),
                    _ => PatternList {
                        items: vec![x.patterns().item(v)],
                        span: span(v),
                    },
                };
                if list.items.iter().any(|i| {
                    matches!(
                        i,
                        PatternItem::Dynamic { .. } | PatternItem::Reference { .. }
                    )
                }) {
                    return (MatcherConfig::NonLiteral { span: span(v) }, Some(span(d)));
                }
                return (MatcherConfig::Literal(list), Some(span(d)));
            }
            (MatcherConfig::Absent, Some(span(d)))
        }
    }
}

#[cfg(test)]
mod string_tests {
    use super::blank_strings;

    #[test]
    fn words_inside_strings_are_blanked_and_offsets_kept() {
        let cases = [
            (
                "json({ message: 'Stripe ready' })",
                "json({ message: '            ' })",
            ),
            (r#"f("a \" b", x)"#, r#"f("      ", x)"#),
            (
                "`hi ${stripe.id} and ${`x${y}`}`",
                "`   ${stripe.id}     ${` ${y}`}`",
            ),
            ("`a ${ {k: 'v'}.k } b`", "`  ${ {k: ' '}.k }  `"),
            // An apostrophe not closed on its line is text, not a string.
            ("<p>Don't pay {stripe}</p>", "<p>Don't pay {stripe}</p>"),
            ("`unclosed ${x", "`         ${x"),
            ("'é' + stripe", "'  ' + stripe"),
        ];
        for (text, want) in cases {
            let got = blank_strings(text);
            assert_eq!(got, want, "{text}");
            assert_eq!(got.len(), text.len(), "{text}");
        }
    }
}

#[cfg(test)]
mod comment_tests {
    use super::blank_comments;

    /// A test of a name is told by the characters next to it once whitespace is left out.
    #[test]
    fn a_name_is_tested_whatever_the_whitespace() {
        let tested = [
            "if (!req) return",
            "if (! req) return",
            "if (req === null) x()",
            "if (req\n    === null) x()",
            "if (null !== req) x()",
            "if (list.includes( req )) x()",
            "req && go()",
            "const y = req ? a : b",
            "if (req != null) x()",
            "if (a)\n  x()\nif (!req) y()",
        ];
        for text in tested {
            assert!(super::tests_name(text, "req"), "{text:?}");
        }
        let untested = [
            "req?.body",
            "req ?? other",
            "return req === x",
            "a.req === 1",
            "reqs === 1",
            "prereq === 1",
            "'req' === x",
            "send(req)",
            "",
        ];
        for text in untested {
            assert!(!super::tests_name(text, "req"), "{text:?}");
        }
        assert!(!super::tests_name("if (!a.b) x()", "a.b"), "not a name");
        assert!(!super::tests_name("if (!x) y()", ""), "no name");
    }

    #[test]
    fn comments_are_blanked_and_nothing_else() {
        let text = "const u = 'https://x.io' // await a()\n/* await b() */ await c(/\\/\\//)\nx = \"//no\"";
        let out = blank_comments(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.matches("await").count(), 1, "{out}");
        assert!(out.contains("'https://x.io'"));
        assert!(out.contains("\"//no\""));
        assert!(out.contains("/\\/\\//"));
        // Multi-byte characters inside a comment become spaces; outside, they stay.
        let text = "é // ünïcödé await\nawait d()";
        let out = blank_comments(text);
        assert_eq!(out.len(), text.len());
        assert!(out.starts_with('é'));
        assert_eq!(out.matches("await").count(), 1);
        // Unterminated block comment: blanked to the end, no panic.
        assert_eq!(blank_comments("a /* await").trim_end(), "a");
    }
}

#[cfg(test)]
mod walk_tests {
    use super::*;
    use crate::source::Lang;

    fn code(lang: Lang, src: &str) -> CodeFacts {
        let tree = crate::parse::parse(lang, src).expect("parse");
        let imports = super::super::imports::scan_file(lang, src);
        extract(&tree, src, &imports)
    }

    /// How many nodes the extraction of a TypeScript module visits.
    fn visits(src: &str) -> u64 {
        let before = super::super::depth::visits();
        let _ = code(Lang::Ts, src);
        super::super::depth::visits() - before
    }

    fn calls_of(facts: &CodeFacts, function: &str) -> Vec<String> {
        let f = facts
            .functions
            .iter()
            .find(|f| f.name.as_deref() == Some(function))
            .expect("the function");
        f.calls.iter().map(|(path, _)| path.join(".")).collect()
    }

    /// The call walk steps over what holds no code (strings, types, imports, closing tags,
    /// JSX text) and still finds every call: in a template string's substitution, a JSX
    /// expression (an attribute's or a child's), a nested function, a call with type
    /// arguments.
    #[test]
    fn the_call_walk_skips_what_holds_no_code_and_nothing_else() {
        let src = "import { auth } from '@clerk/nextjs/server'\n\
            type Row = { id: string }\n\
            export default async function Page() {\n\
              const s: Array<Row> = await load<Row>('x')\n\
              const t = `a ${label(s)} b`\n\
              return <div title={title()} className=\"a(b)\">text(not) {items.map((i) => show(i))}</div>\n\
            }\n";
        let facts = code(Lang::Tsx, src);
        let calls = calls_of(&facts, "Page");
        for want in ["load", "label", "title", "items.map", "show"] {
            assert!(calls.iter().any(|c| c == want), "{want} in {calls:?}");
        }
        assert!(!calls.iter().any(|c| c == "text"), "{calls:?}");
        // What was skipped was not visited: a long type costs no more steps than a short one.
        let short = "function f(a: A) { return g(a) }\n";
        let long = format!(
            "function f(a: {{ {} }}) {{ return g(a) }}\n",
            (0..200)
                .map(|i| format!("k{i}: string; "))
                .collect::<String>()
        );
        assert!(
            visits(&long) < visits(short) + 50,
            "{} vs {}",
            visits(&long),
            visits(short)
        );
    }

    /// Imported names handed to a call, as an argument or an option's value (shorthand
    /// included), are kept with the function the call is in; locals, type-only imports and
    /// names only called are not.
    #[test]
    fn imported_names_handed_to_calls() {
        let src = "import { getItems, getTags, load } from './actions'
            import type { Item } from './types'
            import { QueryClient } from '@tanstack/react-query'
            export default async function Page() {
              const local = () => 1
              const qc = new QueryClient()
              await qc.prefetchQuery({ queryKey: ['items'], queryFn: getItems })
              await Promise.all([run(getTags), run(local), run({ load }), load()])
              return describe({ type: Item, local })
            }
";
        let facts = code(Lang::Ts, src);
        let page = facts.local_function("Page").expect("Page");
        let mut names: Vec<&str> = facts
            .handed
            .iter()
            .map(|(f, n)| {
                assert_eq!(*f as usize, page);
                n.as_str()
            })
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["getItems", "getTags", "load"]);
        assert!(facts.module_uses.is_empty());
        // The module body's own calls and hand-overs.
        let src = "import express from 'express'
            import { clerkMiddleware, requireAuth, getAuth, clerkClient } from '@clerk/express'
            const app = express()
            app.use(clerkMiddleware())
            app.get('/me', requireAuth, (req, res) => res.json(getAuth(req)))
";
        let facts = code(Lang::Ts, src);
        let mut uses: Vec<&str> = facts.module_uses.iter().map(String::as_str).collect();
        uses.sort_unstable();
        assert_eq!(uses, ["clerkMiddleware", "express", "requireAuth"]);
    }

    /// A closure's check on an option of the wrapper that returns it (`options.requireAuth`)
    /// is a `When` step (nested option blocks fold into one), the wrapper's parameters are kept
    /// by position with their object defaults, and a returned wrapper call keeps its options
    /// (spreads in place). A parameter of the closure itself is no option.
    #[test]
    fn checks_switched_on_by_a_wrappers_options() {
        let src = "import { auth } from '@clerk/nextjs/server'
            export function withChecks(handler, options = { requireAuth: true, log: 1 }) {
              return async (req) => {
                if (options.requireAuth || options.requireOrg) {
                  const { userId, orgId } = await auth()
                  if (options.requireAuth && !userId) throw new Error('401')
                  if (req.strict && !orgId) throw new Error('403')
                }
                return handler(req)
              }
            }
            export function withSession(handler, options) {
              return withChecks(handler, { ...options, requireAuth: true })
            }
            export async function plain(req) {
              const { userId } = await auth()
              if (req.strict && !userId) throw new Error('401')
            }
";
        let facts = code(Lang::Ts, src);
        let named = |n: &str| {
            facts
                .functions
                .iter()
                .find(|f| f.name.as_deref() == Some(n))
                .expect(n)
        };
        let wrapper = named("withChecks");
        let inner = &facts.functions[wrapper.returns.functions[0]];
        let whens: Vec<(&Vec<Vec<String>>, usize)> = inner
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::When { flags, steps, .. } => Some((flags, steps.len())),
                _ => None,
            })
            .collect();
        let key = |k: &str| vec!["options".to_string(), k.to_string()];
        assert_eq!(whens, [(&vec![key("requireAuth")], 1)], "{:?}", inner.steps);
        assert_eq!(wrapper.option_params.len(), 2);
        assert_eq!(wrapper.option_params[1].index, 1);
        let Some(Binding::Object { fields, .. }) = &wrapper.option_params[1].default else {
            panic!("no default");
        };
        assert_eq!(fields[0].literal, Some(true));
        assert_eq!(fields[1].literal, None);
        let session = named("withSession");
        let Some(Binding::Call { callee, args, .. }) = session.returns.wrapper_calls.first() else {
            panic!("no wrapper call");
        };
        assert_eq!(callee, &["withChecks"]);
        let Binding::Object { fields, .. } = &args[1] else {
            panic!("not an object");
        };
        let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["...", "requireAuth"]);
        // No enclosing function: `req.strict` is no option.
        assert!(
            !named("plain")
                .steps
                .iter()
                .any(|s| matches!(s, Step::When { .. }))
        );
    }

    /// A node's own first byte is no reason to enter it: the walk steps over argument lists
    /// and parameter lists with nothing to find after their `(` (fewer visits than entering
    /// them), and still finds every call and function that starts with a parenthesis or holds
    /// one: an immediately invoked arrow, a parenthesized callee, a call in an argument, an
    /// arrow as an argument, a default value that calls.
    #[test]
    fn the_call_walk_steps_over_argument_lists_with_nothing_after_their_parenthesis() {
        let src = "export async function GET(req: Request, limit = pick(req)) {\n\
              (() => first())();\n\
              (maker)(arg);\n\
              await outer(inner(a), (b) => viaArrow(b), c => bare(c));\n\
              return Response.json(plain(a, b, c));\n\
            }\n";
        let facts = code(Lang::Ts, src);
        let all: Vec<String> = facts
            .functions
            .iter()
            .flat_map(|f| f.calls.iter().map(|(p, _)| p.join(".")))
            .collect();
        for want in [
            "pick",
            "first",
            "maker",
            "outer",
            "inner",
            "viaArrow",
            "bare",
            "Response.json",
            "plain",
        ] {
            assert!(all.iter().any(|c| c == want), "{want} in {all:?}");
        }
        // Twenty plain arguments cost no more visits than one.
        let one = "export function f() { return g(a) }\n";
        let many = format!(
            "export function f() {{ return g({}) }}\n",
            (0..20).map(|i| format!("a{i}, ")).collect::<String>()
        );
        assert!(
            visits(&many) <= visits(one),
            "{} vs {}",
            visits(&many),
            visits(one)
        );
    }

    /// CommonJS bindings come from `x = require('m')` declarations at the module's top (an
    /// exported one and one under an `if` too), with the string as the first argument; not from
    /// a wrapped call, a commented first argument or a declaration inside a function.
    #[test]
    fn require_bindings_at_the_top_of_the_module() {
        let src = "const { auth, currentUser: me } = require('@clerk/nextjs/server')\n\
            export const db = require('./db')\n\
            if (dev) var log = require('./log')\n\
            const wrapped = (require('./wrapped'))\n\
            const commented = require(/* c */ './commented')\n\
            function f() { const inner = require('./inner') }\n";
        let facts = code(Lang::Ts, src);
        assert_eq!(facts.import_source("auth"), Some("@clerk/nextjs/server"));
        assert_eq!(facts.import_source("me"), Some("@clerk/nextjs/server"));
        assert_eq!(facts.import_source("db"), Some("./db"));
        assert_eq!(facts.import_source("log"), Some("./log"));
        for local in ["wrapped", "commented", "inner"] {
            assert_eq!(facts.import_source(local), None, "{local}");
        }
        // Nothing without a `require('m')` the byte-level scan saw.
        let none = code(Lang::Ts, "const x = requireAuth('a')\n");
        assert_eq!(none.import_source("x"), None);
    }

    /// A subtree with no `(`, backquote or `=>` holds no call and no function: the call walk
    /// steps over it. A call, a tagged template or an arrow without parentheses anywhere in an
    /// object (the last entry of a long one, too) is still found.
    #[test]
    fn the_call_walk_steps_over_what_can_hold_no_call() {
        let table = (0..200)
            .map(|i| format!("k{i}: 'v{i}', "))
            .collect::<String>();
        let src = format!(
            "export async function GET() {{\n\
               const consts = {{ {table} }}\n\
               const handlers = {{ {table} pick: x => choose(x), q: sql`select`, last: load() }}\n\
               return Response.json(consts)\n\
             }}\n"
        );
        let facts = code(Lang::Ts, &src);
        let calls = calls_of(&facts, "GET");
        for want in ["sql", "load", "Response.json"] {
            assert!(calls.iter().any(|c| c == want), "{want} in {calls:?}");
        }
        // `choose(x)` is a call of the arrow, found in its own scope.
        assert!(
            facts
                .functions
                .iter()
                .flat_map(|f| f.calls.iter())
                .any(|(p, _)| p.len() == 1 && p[0] == "choose"),
            "{:?}",
            facts.functions
        );
        let short = "export async function GET() { const c = { a: 1 }\n return load(c) }\n";
        let long =
            format!("export async function GET() {{ const c = {{ {table} }}\n return load(c) }}\n");
        assert!(
            visits(&long) < visits(short) + 50,
            "{} vs {}",
            visits(&long),
            visits(short)
        );
    }

    /// A module-level `const` written out as literals, which the module never changes, is
    /// not data the module holds: serving it serves the source. An empty list, a list of
    /// values computed at load, and a list the module pushes to are.
    #[test]
    fn mutated_roots_are_read_in_one_pass() {
        let src = "rows.push(x)\nstate.list.splice(0, 1)\nstats.hits += 1\ncache[key] = v\n\
            obj?.a.b = 2\nn.count++\nif (a.b === c.d || e.f !== g || h.i <= j || k.l >= 2) {}\n\
            const z = y\nconst f = (p = 1) => p\nwords.join(' ')\nx.pushed(1)\n";
        let mut roots: Vec<&str> = mutated_roots(src).into_iter().collect();
        roots.sort();
        assert_eq!(roots, vec!["cache", "n", "obj", "rows", "state", "stats"]);
        // A minified line of brackets and assignments stays linear (bounded look-back).
        let big = "a[b[c[d]]] = 1;".repeat(20_000);
        assert!(mutated_roots(&big).contains("a"));
    }

    #[test]
    fn literal_constants_are_not_module_data() {
        let reads = |src: &str| {
            let facts = code(Lang::Ts, src);
            let f = facts
                .functions
                .iter()
                .find(|f| f.name.as_deref() == Some("GET"))
                .expect("GET");
            f.reads_module_data
        };
        assert!(!reads(
            "const words = ['Hello', \"docs\"] as const\nexport function GET() { return new Response(words.join(' ')) }\n"
        ));
        assert!(!reads(
            "const info = { name: 'api', version: 2, tags: ['a'] }\nexport function GET() { return Response.json(info) }\n"
        ));
        assert!(reads(
            "const seen = []\nexport function GET() { return Response.json(seen) }\n"
        ));
        assert!(reads(
            "const rows = ['a']\nexport function POST(x) { rows.push(x) }\nexport function GET() { return Response.json(rows) }\n"
        ));
        assert!(reads(
            "const stats = { hits: 0 }\nexport function POST() { stats.hits += 1 }\nexport function GET() { return Response.json(stats) }\n"
        ));
        assert!(reads(
            "const at = [Date.now()]\nexport function GET() { return Response.json(at) }\n"
        ));
        assert!(reads(
            "let names = ['a']\nexport function GET() { return Response.json(names) }\n"
        ));
    }

    /// Names bound from a session result are followed (`const { userId } = a` then
    /// `if (!userId)` checks it; a copy of the object is still the object), and following them
    /// stays linear: a name bound many times over, each binding read many times, is looked
    /// for once per step, not once per reading.
    #[test]
    fn names_bound_from_a_session_result_are_followed_in_linear_visits() {
        let checked = |body: &str| {
            let src = format!(
                "import {{ auth }} from '@clerk/nextjs/server'\n\
                 export async function GET() {{\n const a = await auth()\n{body}\n return load() }}\n"
            );
            code(Lang::Ts, &src).auth_calls[0].checked
        };
        assert!(checked("const { userId } = a\n if (!userId) return deny()"));
        assert!(checked(
            "const b = a\n const id = b.userId\n if (id === null) return deny()"
        ));
        assert!(!checked("const b = a\n if (!b) return deny()"));
        assert!(!checked("const { userId } = a\n log(userId)"));
        // Five declarations deep is past the bound.
        assert!(!checked(
            "const b = a\n const c = b\n const d = c\n const e = d\n const f = e\n if (!f.userId) return deny()"
        ));
        let chain = |n: usize| {
            let mut body = String::new();
            for name in ["x", "y", "z", "w"] {
                let from = match name {
                    "x" => "a",
                    "y" => "x",
                    "z" => "y",
                    _ => "z",
                };
                for _ in 0..n {
                    body.push_str(&format!("const {name} = {from}\n"));
                }
            }
            format!(
                "import {{ auth }} from '@clerk/nextjs/server'\n\
                 export async function GET() {{\n const a = await auth()\n{body} return load() }}\n"
            )
        };
        let (small, large) = (visits(&chain(20)), visits(&chain(160)));
        assert!(
            large <= small * 8 * 3 / 2,
            "20 bindings a name: {small} visits, 160: {large}"
        );
    }
}

#[cfg(test)]
mod slot_tests {
    use super::*;
    use crate::source::Lang;

    fn code(src: &str) -> CodeFacts {
        let tree = crate::parse::parse(Lang::Ts, src).expect("parse");
        let imports = super::super::imports::scan_file(Lang::Ts, src);
        extract(&tree, src, &imports)
    }

    fn refused(facts: &CodeFacts, name: &str) -> Vec<Slot> {
        let f = facts
            .functions
            .iter()
            .find(|f| f.name.as_deref() == Some(name))
            .expect("the function");
        f.refused_params
            .iter()
            .map(|s| (s.index, s.keys.clone()))
            .collect()
    }

    /// A slot as (argument, keys).
    type Slot = (u32, Vec<String>);

    fn slot(index: u32, keys: &[&str]) -> Slot {
        (index, keys.iter().map(|k| k.to_string()).collect())
    }

    /// A function refuses a parameter (or a value read off it) it tests for missing at the
    /// top of its body and leaves on with nothing; not one it uses first, nor one whose test
    /// leaves with data.
    #[test]
    fn refused_parameters() {
        let c = code(
            "export function a({ id, user: { org } }: P) {\n  if (!id) { return [] }\n  if (org == null) throw new Error('x')\n  return db.find(id, org)\n}\n\
             export function b(kind: string, opts: O) {\n  const { owner } = opts\n  if (!owner || !kind) return null\n  return db.find(owner)\n}\n\
             export function c({ id }: P) {\n  if (!id) return db.all()\n  return db.find(id)\n}\n\
             export async function d({ id }: P) {\n  const n = await db.count(id)\n  if (!id) return 0\n  return n\n}\n\
             export function e(x: string | null) {\n  if (!x) return new Response(null, { status: 401 })\n  return x\n}\n",
        );
        assert_eq!(
            refused(&c, "a"),
            [slot(0, &["id"]), slot(0, &["user", "org"])]
        );
        assert_eq!(refused(&c, "b"), [slot(1, &["owner"])]);
        assert!(refused(&c, "c").is_empty(), "returns data without the id");
        assert!(refused(&c, "d").is_empty(), "used before the test");
        assert_eq!(refused(&c, "e"), [slot(0, &[])]);
    }

    /// Where a session value goes in the arguments of the call it is handed to.
    #[test]
    fn handoff_slots() {
        let c = code(
            "import { auth } from '@clerk/nextjs/server'\n\
             export async function GET() {\n  const { orgId, userId } = await auth()\n  \
             await one({ id: orgId })\n  await two('x', userId)\n  await three([orgId])\n  \
             await four({ where: { userId } })\n}\n",
        );
        let mut got: Vec<(String, Option<Slot>)> = c.auth_calls[0]
            .handed_to
            .iter()
            .map(|h| {
                (
                    h.callee.join("."),
                    h.slot.as_ref().map(|s| (s.index, s.keys.clone())),
                )
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("four".to_string(), Some(slot(0, &["where", "userId"]))),
                ("one".to_string(), Some(slot(0, &["id"]))),
                ("three".to_string(), None),
                ("two".to_string(), Some(slot(1, &[]))),
            ]
        );
    }

    /// Whether what is handed is the whole auth object (which every caller has) or a value
    /// read off it, and which call receives it.
    #[test]
    fn handoff_whole_object() {
        let src = "import { auth } from '@clerk/nextjs/server'\n\
             export async function GET() {\n  const session = await auth()\n  \
             await one(session)\n  await two(session.userId)\n}\n";
        let c = code(src);
        let got: Vec<(String, bool, Option<&str>)> = c.auth_calls[0]
            .handed_to
            .iter()
            .map(|h| {
                (
                    h.callee.join("."),
                    h.whole_object,
                    h.call.map(|s| &src[s.start..s.end]),
                )
            })
            .collect();
        assert!(got.contains(&("one".to_string(), true, Some("one(session)"))));
        assert!(got.contains(&("two".to_string(), false, Some("two(session.userId)"))));
    }
}
