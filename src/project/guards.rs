//! Function summaries across files: is a function a guard (it stops a signed-out request by
//! throwing or redirecting), does it return a session value its caller can check, is it a
//! higher-order wrapper whose returned handler checks the session? Each function is summarised
//! once, transitively, cycle-safe.

use std::collections::{HashMap, HashSet};

use crate::facts::code::{
    Binding, CalleePath, ChainLink, CodeFacts, Exit, Field, SessionCall, Step,
};
use crate::facts::evidence::{Check, CheckClass};
use crate::facts::frameworks::tanstack::FnRef;
use crate::finding::Span;
use crate::project::Project;

mod builders;
pub use builders::Procedure;

/// How deep a chain of project functions is followed.
const MAX_CALL_DEPTH: usize = 64;

/// A function in a file: (file index in `Project::files`, function index in its code facts).
pub type FnKey = (usize, usize);

/// A check, and the project functions it was found through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub check: Check,
    /// The project functions it went through, outermost first (`requireUser (lib/auth.ts)`).
    pub via: Vec<String>,
}

impl Evidence {
    pub fn new(check: Check) -> Evidence {
        Evidence {
            check,
            via: Vec::new(),
        }
    }

    pub fn through(&self, name: String) -> Evidence {
        let mut via = vec![name];
        via.extend(self.via.iter().cloned());
        Evidence {
            check: self.check.clone(),
            via,
        }
    }

    /// The check alone, as a sentence fragment.
    pub fn how(&self) -> String {
        self.check.describe()
    }

    pub fn describe(&self) -> String {
        if self.via.is_empty() {
            self.how()
        } else {
            format!("{} via {}", self.how(), self.via.join(" → "))
        }
    }
}

/// What a function does before its work. The evidence is boxed: a function finds one kind
/// of check at most, most find none, and a large tree keeps tens of thousands of summaries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Stops a signed-out request for every caller (throws, redirects, `auth.protect()`).
    pub guard: Option<Box<Evidence>>,
    /// Returns early when signed out: protects the function itself (a handler), not callers.
    pub return_guard: Option<Box<Evidence>>,
    /// All its work is calls of project functions that each check the session before their
    /// own (`const s = await getStatus(); return Response.json({ s })`): as an entry, a
    /// signed-out request reaches no work. Unlike `return_guard` it answers that request
    /// like any other, so it gates no rendering (a layout's, a page's).
    pub helpers_guard: Option<Box<Evidence>>,
    /// Returns a value that is falsy when signed out.
    pub returns_session: bool,
    /// A machine credential it verifies (signature, shared secret, API key, dev-only gate).
    pub machine: Option<Box<Evidence>>,
    /// A role or permission check that exits.
    pub role: Option<Box<Evidence>>,
    /// As a wrapper: the function it returns verifies the session.
    pub wrapper: Option<Box<Evidence>>,
    /// Work a signed-out request reaches before any check (boxed: most functions have none).
    pub open_path: Option<Box<OpenPath>>,
    /// It forwards the user's token to a backend that checks it.
    pub delegated: Option<Box<Evidence>>,
    /// Checks that run only when an option is on.
    pub switched: Option<Box<Switched>>,
}

/// The checks of a function that an option switches on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Switched {
    /// As a handler: checks that run only when an option holds (`if (options.requireAuth &&
    /// !userId) throw`), the option read off a name it does not bind (`Step::When`).
    pub flagged: Vec<Flagged>,
    /// As a wrapper: the function it returns verifies the session when the argument its caller
    /// passes switches the check on (`withValidation(schemas, handler, { requireAuth: true })`).
    pub flagged_wrapper: Vec<FlaggedWrapper>,
}

/// A check switched on by an option: any one of `flags` (paths rooted at a name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flagged {
    pub flags: Vec<Vec<String>>,
    pub evidence: Evidence,
}

/// A wrapper's check switched on by an argument: any one of `on`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlaggedWrapper {
    pub on: Vec<OptionSwitch>,
    pub evidence: Evidence,
}

/// An option read off the argument at a parameter position: `(2, ["requireAuth"])`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionSwitch {
    pub pos: usize,
    pub keys: Vec<String>,
    /// Whether the check is on when the argument leaves the option unset (the wrapper sets it
    /// before the caller's options: `{ requireAuth: true, ...options }`).
    pub unset_on: bool,
}

/// What an argument makes of an option.
#[derive(Clone, Debug, PartialEq, Eq)]
enum OptionState {
    /// A literal `true`.
    On,
    /// Set to anything else, or to a value the analysis does not read.
    Off,
    /// Not set (an object without the key, no argument and no default).
    Unset,
    /// Whatever the enclosing function's caller passes at this position, under these keys
    /// (`withAuth(h, options) => withValidation({}, h, options)`); `fallback` is what applies
    /// when that leaves it unset (`{ requireAuth: true, ...options }`: on).
    Param {
        pos: usize,
        keys: Vec<String>,
        fallback: Option<bool>,
    },
}

/// How many option-switched checks a summary keeps (a hostile file cannot grow them).
const MAX_FLAGGED: usize = 8;

impl Summary {
    pub fn flagged(&self) -> &[Flagged] {
        self.switched.as_deref().map_or(&[], |s| &s.flagged)
    }

    pub fn flagged_wrapper(&self) -> &[FlaggedWrapper] {
        self.switched.as_deref().map_or(&[], |s| &s.flagged_wrapper)
    }

    fn add_flagged(&mut self, f: Flagged) {
        let s = self.switched.get_or_insert_with(Default::default);
        if s.flagged.len() < MAX_FLAGGED {
            s.flagged.push(f);
        }
    }

    fn add_flagged_wrapper(&mut self, f: FlaggedWrapper) {
        let s = self.switched.get_or_insert_with(Default::default);
        if s.flagged_wrapper.len() < MAX_FLAGGED {
            s.flagged_wrapper.push(f);
        }
    }

    /// Protection of the function as a request handler.
    pub fn protects_handler(&self) -> Option<&Evidence> {
        if self.open_path.is_some() {
            return None;
        }
        self.guard.as_deref().or(self.return_guard.as_deref())
    }

    /// Protection of the function as an entry (a route handler, a server action): its own
    /// checks, or all its work behind helpers that check ([`Summary::helpers_guard`]).
    pub fn protects_entry(&self) -> Option<&Evidence> {
        self.protects_handler().or_else(|| {
            self.open_path
                .is_none()
                .then_some(self.helpers_guard.as_deref())
                .flatten()
        })
    }
}

/// Work a signed-out request reaches before the function checks the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenPath {
    /// A path returning data before any check (`if (req.method === 'GET') return …`): the
    /// condition.
    Returns(Box<str>),
    /// A database write before the first check (`prisma.comment.create`): the callee. Kept
    /// only when a check follows (without one the function simply checks nothing); it leaves
    /// the function without a check of its own, while what else protects an entry still does.
    WritesFirst(Box<str>),
}

/// Whether a call writes to a database: a write method (`insert`, `create`, `update`,
/// `delete`, `patch`, …) on a database client (`db`, `prisma`, `tx`, `supabase`, Convex's
/// `ctx.db`) or a model (`User.create`, Mongoose).
fn is_data_write(callee: &[String]) -> bool {
    const WRITES: &[&str] = &[
        "insert",
        "insertOne",
        "insertMany",
        "create",
        "createMany",
        "update",
        "updateOne",
        "updateMany",
        "upsert",
        "delete",
        "deleteOne",
        "deleteMany",
        "patch",
        "replace",
        "destroy",
        "findByIdAndUpdate",
        "findByIdAndDelete",
        "findOneAndUpdate",
        "findOneAndDelete",
        "findOneAndReplace",
    ];
    const NOT_MODELS: &[&str] = &[
        "Response",
        "NextResponse",
        "Object",
        "Array",
        "Map",
        "Set",
        "JSON",
        "Promise",
        "Date",
        "Math",
        "URL",
        "Headers",
        "FormData",
        "Reflect",
        "Intl",
    ];
    let [first, .., last] = callee else {
        return false;
    };
    if !WRITES.contains(&last.as_str()) {
        return false;
    }
    let client = callee[..callee.len() - 1].iter().any(|seg| {
        let seg = seg.trim_end_matches("()");
        matches!(
            seg,
            "db" | "prisma" | "tx" | "supabase" | "drizzle" | "knex"
        )
    });
    let model = first.starts_with(|c: char| c.is_ascii_uppercase())
        && !NOT_MODELS.contains(&first.as_str());
    client || model
}

/// Names of verification functions from libraries the analyzer cannot see into.
fn is_verifier_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.starts_with("verify") || l.starts_with("authenticate")
}

/// Clerk's own higher-order guards (`@clerk/nextjs/api` v4 `requireAuth`).
fn clerk_wrapper(source: &str, imported: &str) -> Option<&'static str> {
    match (source, imported) {
        ("@clerk/nextjs/api" | "@clerk/clerk-sdk-node", "requireAuth") => {
            Some("Clerk `requireAuth()` wrapper")
        }
        ("@clerk/express", "requireAuth") => {
            Some("Clerk `requireAuth()` (redirects a signed-out request to sign-in)")
        }
        ("@clerk/clerk-sdk-node", "ClerkExpressRequireAuth") => {
            Some("Clerk `ClerkExpressRequireAuth()`")
        }
        _ => None,
    }
}

/// Handler wrappers of libraries outside the project, by (package, export): the analyzer
/// cannot see into them, so what they check is known by name, and read off the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LibraryWrapper {
    /// `withMcpAuth(handler, verifyToken, { required })` (mcp-handler, formerly
    /// @vercel/mcp-adapter; Clerk's MCP guide uses it): with `required: true` it answers 401
    /// when `verifyToken` accepts no bearer token. `required` defaults to false: then the
    /// handler also runs without one.
    McpAuth,
    /// Inngest's `serve({ client, functions })` from a framework adapter (`inngest/next`,
    /// `inngest/express`, …): the SDK rejects every request to the endpoint that is not signed
    /// with the environment's signing key (Inngest's signing-keys documentation, "serve endpoint
    /// authentication"). A machine endpoint, whatever the functions it serves do.
    InngestServe,
    /// Upstash QStash's `verifySignatureAppRouter(handler)` / `verifySignatureEdge(handler)` /
    /// `verifySignature(handler)` (`@upstash/qstash/nextjs`): the wrapper checks the
    /// `Upstash-Signature` JWT against the signing keys and answers an error before the handler
    /// runs when it does not verify (QStash's "verify signatures" guide).
    QstashVerify,
}

fn library_wrapper(source: &str, imported: &str) -> Option<LibraryWrapper> {
    match (source, imported) {
        ("mcp-handler" | "@vercel/mcp-adapter", "withMcpAuth" | "experimental_withMcpAuth") => {
            Some(LibraryWrapper::McpAuth)
        }
        (s, "serve") if s.strip_prefix("inngest/").is_some_and(|a| !a.is_empty()) => {
            Some(LibraryWrapper::InngestServe)
        }
        (
            "@upstash/qstash/nextjs" | "@upstash/qstash/dist/nextjs",
            "verifySignatureAppRouter" | "verifySignatureEdge" | "verifySignature",
        ) => Some(LibraryWrapper::QstashVerify),
        _ => None,
    }
}

/// What the wrapper of a wrapper call (`withAuth(handler)`) itself checks, before the wrapped
/// handler is looked at.
#[derive(Default)]
struct WrapperCheck {
    /// The handler it returns verifies the session.
    auth: Option<Evidence>,
    /// Calling the wrapper throws when signed out (a guard called as a wrapper).
    guard: Option<Evidence>,
    /// The handler it returns verifies a machine credential (a library's signed endpoint).
    machine: Option<Evidence>,
    role: Option<Evidence>,
    /// Its check depends on an option the enclosing function's caller passes.
    flagged: Vec<FlaggedWrapper>,
    /// The wrapper is outside the project and not known to check anything.
    opaque: bool,
}

/// A function in messages: "`name` (file)"; an anonymous function inside a named one (the
/// handler a builder such as `protectedQuery` makes) by the innermost function around it;
/// any other by `anonymous`.
pub fn function_label(project: &Project, (file, index): FnKey, anonymous: &str) -> String {
    let rel = project.files.get(file).map(|f| &*f.rel).unwrap_or("?");
    let code = project.files.get(file).and_then(|f| f.code());
    let f = code.and_then(|c| c.function(index));
    if let Some(name) = f.and_then(|f| f.name.as_deref()) {
        return format!("`{name}` ({rel})");
    }
    let around = code.zip(f).and_then(|(c, f)| {
        c.functions
            .iter()
            .filter(|g| {
                g.name.is_some()
                    && g.range.start <= f.range.start
                    && f.range.end <= g.range.end
                    && g.range != f.range
            })
            .min_by_key(|g| g.range.end - g.range.start)
            .and_then(|g| g.name.as_deref())
    });
    match around {
        Some(name) => format!("`{name}` ({rel}: a function inside it)"),
        None => format!("`{anonymous}` ({rel})"),
    }
}

pub struct Analyzer<'p> {
    pub project: &'p Project,
    /// Summaries computed so far, shared: most functions summarise to nothing, and those all
    /// hold one `empty` (a project with tens of thousands of handlers keeps these until the
    /// routes are judged).
    memo: HashMap<FnKey, std::sync::Arc<Summary>>,
    empty: std::sync::Arc<Summary>,
    in_progress: HashSet<FnKey>,
}

/// What a callee or export resolves to.
#[derive(Clone, Debug)]
pub enum Target {
    Function(FnKey),
    /// A wrapper call (`withAuth(handler)`) in some file.
    Call {
        file: usize,
        callee: CalleePath,
        args: Vec<Binding>,
    },
    /// A builder chain (`client.use(mw).action(fn)`) in some file.
    Chain {
        file: usize,
        base: CalleePath,
        base_args: Option<Vec<Binding>>,
        links: Vec<ChainLink>,
    },
    /// An object literal (a FileRouter, a tRPC router's procedures) in some file; `open`
    /// when it may have keys `fields` does not list (`Binding::Object`).
    Object {
        file: usize,
        fields: Vec<Field>,
        open: bool,
    },
    /// A member of an object literal that has no such key and nothing else (a spread, a
    /// computed key) that could give it one: `undefined` (the path as written).
    Missing(String),
    /// A Clerk export (`auth`, `requireAuth`, …): (package, imported name).
    Clerk {
        source: String,
        imported: String,
    },
    /// A known handler wrapper of another library (`LibraryWrapper`): (package, imported name).
    Library {
        source: String,
        imported: String,
    },
    /// A package that is not Clerk, or something that cannot be seen into.
    Opaque(String),
}

impl<'p> Analyzer<'p> {
    pub fn new(project: &'p Project) -> Self {
        Analyzer {
            project,
            memo: HashMap::new(),
            empty: Default::default(),
            in_progress: HashSet::new(),
        }
    }

    fn code(&self, file: usize) -> Option<&'p CodeFacts> {
        self.project.files.get(file)?.code()
    }

    fn fn_label(&self, key: FnKey) -> String {
        function_label(self.project, key, "<anonymous>")
    }

    /// Summarise a function once.
    pub fn summary(&mut self, key: FnKey) -> std::sync::Arc<Summary> {
        if let Some(s) = self.memo.get(&key) {
            return std::sync::Arc::clone(s);
        }
        // Cycles end here, and so do absurdly deep helper chains (the stack is finite).
        if self.in_progress.len() >= MAX_CALL_DEPTH || !self.in_progress.insert(key) {
            return std::sync::Arc::clone(&self.empty);
        }
        let s = self.compute(key);
        self.in_progress.remove(&key);
        let s = if s == *self.empty {
            std::sync::Arc::clone(&self.empty)
        } else {
            std::sync::Arc::new(s)
        };
        self.memo.insert(key, std::sync::Arc::clone(&s));
        s
    }
    fn compute(&mut self, key: FnKey) -> Summary {
        let mut s = Summary::default();
        let Some(code) = self.code(key.0) else {
            return s;
        };
        let Some(f) = code.function(key.1) else {
            return s;
        };
        self.apply_steps(key.0, &f.steps, &mut s);
        // A write before a check matters only when there is a check: without one the
        // function simply checks nothing.
        if s.guard.is_none()
            && s.return_guard.is_none()
            && matches!(s.open_path.as_deref(), Some(OpenPath::WritesFirst(_)))
        {
            s.open_path = None;
        }
        // Any call of a configured delegating client (`backendFetch(…)`), wherever it stands.
        let clients = &self.project.config.delegating_clients;
        if !clients.is_empty()
            && let Some((callee, _)) = f.calls.iter().find(|(c, _)| {
                let joined = c.join(".");
                let last = c.last().map(String::as_str).unwrap_or("");
                clients.iter().any(|x| *x == joined || x == last)
            })
        {
            s.delegated.get_or_insert_with(|| {
                Box::new(Evidence::new(Check::Delegated {
                    how: format!(
                        "calls `{}` (listed in `delegating_clients`)",
                        callee.join(".")
                    ),
                }))
            });
        }
        if f.returns.session_value {
            s.returns_session = true;
        }
        for callee in &f.returns.checked_calls {
            if let Some(k) = self.resolve_fn(key.0, callee)
                && self.summary(k).returns_session
            {
                s.returns_session = true;
            }
        }
        for callee in &f.returns.calls {
            if let Some(k) = self.resolve_fn(key.0, callee) {
                let sub = self.summary(k);
                if sub.returns_session {
                    s.returns_session = true;
                }
                // `return await requireAuth(args)`: a guard that throws leaves this function's
                // callers too.
                if let Some(g) = &sub.guard {
                    s.guard
                        .get_or_insert_with(|| Box::new(g.through(self.fn_label(k))));
                }
                // `return constructWebhookEvent(body, sig)`: the helper's verification runs
                // before this function returns, as it does for a helper called as a statement.
                if let Some(m) = &sub.machine {
                    s.machine
                        .get_or_insert_with(|| Box::new(m.through(self.fn_label(k))));
                }
                // `return getHistoryForUser()`: the helper checks, then does the work.
                if let Some(e) = sub.protects_handler()
                    && s.protects_handler().is_none()
                {
                    s.return_guard = Some(Box::new(e.through(self.fn_label(k))));
                }
            }
        }
        // `const s = await getStatus(); return Response.json({ s })`: all its work is calls of
        // project functions that each check the session before their own work (or whose work
        // is, in turn), so a signed-out request reaches none. Not when it also reads a secret
        // from the environment.
        if s.protects_handler().is_none() && !f.work_calls.is_empty() && !f.reads_env {
            let mut via: Option<Evidence> = None;
            for &i in &f.work_calls {
                let call = f.calls.get(i as usize);
                let guarded = call
                    .and_then(|(callee, _)| self.resolve_fn(key.0, callee))
                    .filter(|k| *k != key)
                    // A helper that does work of its own behind its check (one that only
                    // checks and returns, `softCheck()`, guards nothing for its caller).
                    .filter(|k| {
                        self.code(k.0)
                            .and_then(|c| c.function(k.1))
                            .is_some_and(|g| !g.work_calls.is_empty())
                    })
                    .and_then(|k| {
                        let sub = self.summary(k);
                        let e = match sub.protects_entry() {
                            Some(e) => e.through(self.fn_label(k)),
                            // `getLocations({ id: orgId })` into `({ id }) => { if (!id)
                            // return []; … }`: given the session's value, it refuses a
                            // signed-out caller before its work.
                            None => self
                                .refused_session_value(code, key.1, call?.1, k)?
                                .through(self.fn_label(k)),
                        };
                        Some(e)
                    });
                match guarded {
                    Some(e) => {
                        via.get_or_insert(e);
                    }
                    None => {
                        via = None;
                        break;
                    }
                }
            }
            s.helpers_guard = via.map(Box::new);
        }
        // `return withMcpAuth(handler, verifyToken, { required: true })`: a factory (or a
        // wrapper) returns what the wrapper it calls builds.
        for call in &f.returns.wrapper_calls {
            let Binding::Call { callee, args, .. } = call else {
                continue;
            };
            let w = self.wrapper_check(key.0, callee, args, Some(key));
            if let Some(e) = w.auth {
                s.wrapper.get_or_insert_with(|| Box::new(e));
            }
            if let Some(r) = w.role {
                s.role.get_or_insert_with(|| Box::new(r));
            }
            for fw in w.flagged {
                s.add_flagged_wrapper(fw);
            }
        }
        for &i in &f.returns.functions {
            let sub = self.summary((key.0, i));
            if let Some(e) = sub.protects_handler() {
                s.wrapper.get_or_insert_with(|| Box::new(e.clone()));
            }
            // `(handler, options) => async (req) => { if (options.requireAuth && !userId) … }`:
            // the returned handler's check is on when the caller's `options` switch it on.
            if !sub.flagged().is_empty()
                && let Some(inner) = code.function(i)
            {
                for fl in sub.flagged() {
                    let on: Vec<OptionSwitch> = fl
                        .flags
                        .iter()
                        .filter_map(|path| {
                            let (root, keys) = path.split_first()?;
                            if keys.is_empty() || inner.param_names.contains(root) {
                                return None;
                            }
                            let p = f.option_params.iter().find(|p| p.name == *root)?;
                            Some(OptionSwitch {
                                pos: p.index as usize,
                                keys: keys.to_vec(),
                                unset_on: false,
                            })
                        })
                        .collect();
                    if !on.is_empty() {
                        s.add_flagged_wrapper(FlaggedWrapper {
                            on,
                            evidence: fl.evidence.clone(),
                        });
                    }
                }
            }
            if let Some(r) = &sub.role {
                s.role.get_or_insert_with(|| r.clone());
            }
        }
        s
    }

    /// The check a call makes when it hands a session value of the calling function (`caller`
    /// in `code`) to the project function `callee` where that function refuses to go on
    /// without it (`FnFacts::refused_params`): a value a signed-out caller lacks (a user id,
    /// the user), or one read off the auth object (`opts.auth.userId` of `auth`).
    fn refused_session_value(
        &self,
        code: &CodeFacts,
        caller: usize,
        call: Span,
        callee: FnKey,
    ) -> Option<Evidence> {
        let g = self.code(callee.0)?.function(callee.1)?;
        if g.refused_params.is_empty() {
            return None;
        }
        let (api, handoff) = code
            .auth_calls
            .iter()
            .filter(|a| a.function == Some(caller))
            .flat_map(|a| a.handed_to.iter().map(move |h| (a.kind, h)))
            .find(|(_, h)| {
                h.call == Some(call)
                    && h.slot.as_ref().is_some_and(|slot| {
                        g.refused_params.iter().any(|r| {
                            r.covers(slot) && (!h.whole_object || r.keys.len() > slot.keys.len())
                        })
                    })
            })?;
        Some(Evidence::new(Check::Session {
            api,
            how: format!(
                "hands the session's value to `{}(…)`, which refuses to go on without it",
                handoff.callee.join(".")
            ),
        }))
    }

    /// Fold the auth-relevant steps of a body into a summary.
    fn apply_steps(&mut self, file: usize, steps: &[Step], s: &mut Summary) {
        let auth_functions = &self.project.config.auth_functions;
        let role_functions = &self.project.config.role_functions;
        for step in steps {
            match step {
                Step::Check { check, exit, .. } => {
                    let e = Evidence::new(check.clone());
                    match (check.class(), exit) {
                        (CheckClass::User, Exit::Throw) => {
                            s.guard.get_or_insert_with(|| Box::new(e));
                        }
                        (CheckClass::User, Exit::Return) => {
                            s.return_guard.get_or_insert_with(|| Box::new(e));
                        }
                        (CheckClass::Machine, _) => {
                            s.machine.get_or_insert_with(|| Box::new(e));
                        }
                        (CheckClass::Authz, _) => {
                            s.role.get_or_insert_with(|| Box::new(e));
                        }
                        (CheckClass::Delegated, _) => {
                            s.delegated.get_or_insert_with(|| Box::new(e));
                        }
                    }
                }
                Step::Call {
                    callee, unawaited, ..
                } => {
                    let last = callee.last().map(String::as_str).unwrap_or("");
                    // A database write before any check: whatever is checked later, a
                    // signed-out request has already changed data.
                    if s.guard.is_none()
                        && s.return_guard.is_none()
                        && s.machine.is_none()
                        && s.open_path.is_none()
                        && is_data_write(callee)
                    {
                        s.open_path =
                            Some(Box::new(OpenPath::WritesFirst(callee.join(".").into())));
                    }
                    if auth_functions.iter().any(|a| a == last) {
                        s.guard.get_or_insert_with(|| {
                            Box::new(Evidence::new(Check::Configured {
                                name: last.to_string(),
                            }))
                        });
                    }
                    if role_functions.iter().any(|a| a == last) {
                        s.role.get_or_insert_with(|| {
                            Box::new(Evidence::new(Check::Role {
                                how: format!("calls `{last}` (listed in `role_functions`)"),
                            }))
                        });
                        s.guard.get_or_insert_with(|| {
                            Box::new(Evidence::new(Check::Configured {
                                name: last.to_string(),
                            }))
                        });
                    }
                    // `requireUser(args);` of an async guard, not awaited: its rejection never
                    // stops this function.
                    let dropped = |k: FnKey| {
                        *unawaited
                            && self
                                .code(k.0)
                                .and_then(|c| c.function(k.1))
                                .is_some_and(|f| f.is_async)
                    };
                    // `await getUser()` of a TanStack server function whose middleware fills
                    // the context its handler tests: the call runs both.
                    if s.guard.is_none()
                        && !*unawaited
                        && let [name] = callee.as_slice()
                        && let Some(e) = self.server_fn_context_guard(file, name)
                    {
                        s.guard.get_or_insert_with(|| Box::new(e));
                    }
                    if let Some(k) = self.resolve_fn(file, callee).filter(|k| !dropped(*k)) {
                        let sub = self.summary(k);
                        let label = self.fn_label(k);
                        if let Some(g) = &sub.guard {
                            s.guard
                                .get_or_insert_with(|| Box::new(g.through(label.clone())));
                        }
                        if let Some(w) = &sub.machine {
                            s.machine
                                .get_or_insert_with(|| Box::new(w.through(label.clone())));
                        }
                        if let Some(r) = &sub.role {
                            s.role.get_or_insert_with(|| Box::new(r.through(label)));
                        }
                    }
                }
                Step::CheckedCall {
                    callee,
                    exit,
                    discriminant,
                    ..
                } => {
                    let last = callee.last().map(String::as_str).unwrap_or("").to_string();
                    // `if ('error' in r) exit` turns the signed-out request away only when the
                    // helper's signed-out return is the variant with that key.
                    if let Some(key) = discriminant
                        && !self.resolve_fn(file, callee).is_some_and(|k| {
                            self.code(k.0)
                                .and_then(|c| c.function(k.1))
                                .is_some_and(|f| f.returns.signed_out_keys.contains(key))
                        })
                    {
                        continue;
                    }
                    let configured = auth_functions.contains(&last);
                    // `const ok = verifyKofiToken(body); if (!ok) return 401`: a project
                    // function that compares a secret verifies a machine caller.
                    if let Some(k) = self.resolve_fn(file, callee)
                        && self
                            .code(k.0)
                            .and_then(|c| c.function(k.1))
                            .is_some_and(|f| f.compares_secret)
                    {
                        let e = Evidence {
                            check: Check::SharedSecret {
                                how: format!("{last}(…) compares a secret"),
                                headers: Vec::new(),
                            },
                            via: vec![self.fn_label(k)],
                        };
                        s.machine.get_or_insert_with(|| Box::new(e));
                        continue;
                    }
                    let evidence = match self.resolve_fn(file, callee) {
                        Some(k) => {
                            let sub = self.summary(k);
                            let label = self.fn_label(k);
                            (sub.returns_session
                                || sub.guard.is_some()
                                || sub.return_guard.is_some()
                                || configured)
                                .then(|| Evidence {
                                    check: Check::Session {
                                        api: SessionCall::Auth,
                                        how: format!("checks the result of `{last}()`"),
                                    },
                                    via: vec![label],
                                })
                        }
                        None if configured => Some(Evidence::new(Check::Configured { name: last })),
                        // A library verifier (`verifyAccess`, `authenticate…`) whose result
                        // decides an exit.
                        None if is_verifier_name(&last) => {
                            Some(Evidence::new(Check::Verifier { name: last }))
                        }
                        None => None,
                    };
                    if let Some(e) = evidence {
                        match exit {
                            Exit::Throw => {
                                s.guard.get_or_insert_with(|| Box::new(e));
                            }
                            Exit::Return => {
                                s.return_guard.get_or_insert_with(|| Box::new(e));
                            }
                        }
                    }
                }
                Step::Predicate { callee, exit, .. } => {
                    // A project predicate on a session value checks the session when it tests
                    // the value it is given (`userId === process.env.TEACHER_ID` is false for a
                    // missing `userId`); one that looks data up (`hasPurchased(userId, id)`)
                    // can answer true for anyone.
                    let Some(k) = self.resolve_fn(file, callee) else {
                        continue;
                    };
                    let tests = self
                        .code(k.0)
                        .and_then(|c| c.function(k.1))
                        .is_some_and(|f| f.tests_first_param);
                    if tests {
                        let last = callee.last().map(String::as_str).unwrap_or("");
                        let e = Evidence {
                            check: Check::Session {
                                api: SessionCall::Auth,
                                how: format!(
                                    "rejects unless `{last}(…)` holds for the session's user"
                                ),
                            },
                            via: vec![self.fn_label(k)],
                        };
                        match exit {
                            Exit::Throw => {
                                s.guard.get_or_insert_with(|| Box::new(e));
                            }
                            Exit::Return => {
                                s.return_guard.get_or_insert_with(|| Box::new(e));
                            }
                        }
                    }
                }
                Step::When { flags, steps, .. } => {
                    let mut sub = Summary::default();
                    self.apply_steps(file, steps, &mut sub);
                    if let Some(e) = sub.protects_handler() {
                        let mut evidence = e.clone();
                        if let Check::Session { how, .. } = &mut evidence.check {
                            let on: Vec<String> = flags.iter().map(|f| f.join(".")).collect();
                            how.push_str(&format!(" when `{}` is set", on.join("` or `")));
                        }
                        s.add_flagged(Flagged {
                            flags: flags.clone(),
                            evidence,
                        });
                    }
                }
                Step::OpenReturn { when, .. } => {
                    if s.guard.is_none() && s.return_guard.is_none() && s.machine.is_none() {
                        s.open_path.get_or_insert_with(|| {
                            Box::new(OpenPath::Returns(when.as_str().into()))
                        });
                    }
                }
                Step::Branches { branches, .. } => {
                    let mut all = true;
                    let mut first: Option<Evidence> = None;
                    for b in branches {
                        let mut sub = Summary::default();
                        self.apply_steps(file, &b.steps, &mut sub);
                        if let Some(r) = sub.role.clone() {
                            s.role.get_or_insert(r);
                        }
                        match sub.protects_handler().or(sub.machine.as_deref()) {
                            Some(e) => {
                                first.get_or_insert_with(|| e.clone());
                            }
                            None if b.harmless => {}
                            None => all = false,
                        }
                    }
                    if all && let Some(e) = first {
                        s.return_guard.get_or_insert_with(|| Box::new(e));
                    }
                }
            }
        }
    }

    /// The function a callee runs: a function, or the function a wrapper call wraps
    /// (`export const getUser = cache(async () => …)`).
    pub fn resolve_fn(&self, file: usize, callee: &CalleePath) -> Option<FnKey> {
        target_fn(&self.resolve_callee(file, callee)?)
    }

    /// A TanStack Start server function named `name` in `file` (local or imported) whose
    /// handler leaves on a session value of the context its `.middleware([…])` fills from the
    /// Clerk session: calling it on the server runs both, so it throws for a signed-out caller.
    fn server_fn_context_guard(&self, file: usize, name: &str) -> Option<Evidence> {
        let rel = &self.project.files.get(file)?.rel;
        let (at, export) = match self.project.resolve_binding(rel, name) {
            Some((other, export)) => (self.project.file_index(&other)?, export),
            None => (file, name.to_string()),
        };
        let facts = self.code(at)?.frameworks.tanstack.as_deref()?;
        let sf = facts.server_fns.iter().find(|f| f.name == export)?;
        let target = |r: &FnRef| match r {
            FnRef::Function { index } => Some(Target::Function((at, *index))),
            FnRef::Name { name } => {
                self.binding_target(at, &Binding::Identifier { name: name.clone() }, 0)
            }
            FnRef::Other => None,
        };
        let handler = target_fn(&target(&sf.handler)?)?;
        let chain: Vec<Target> = sf.middleware.iter().filter_map(target).collect();
        let e = self.session_context_test(&chain, handler)?;
        Some(e.through(format!("`{export}` ({})", self.project.files[at].rel)))
    }

    /// Resolve a callee path from a file to what it names.
    pub fn resolve_callee(&self, file: usize, callee: &CalleePath) -> Option<Target> {
        self.resolve_callee_at(file, callee, 0)
    }

    fn resolve_callee_at(&self, file: usize, callee: &CalleePath, depth: usize) -> Option<Target> {
        let code = self.code(file)?;
        // `ctx.runQuery(api.notes.get)`, recorded under the reference: the Convex function.
        if callee.len() >= 3
            && code
                .imports
                .get(&callee[0])
                .is_some_and(|i| i.source.ends_with("_generated/api"))
        {
            return super::frameworks::convex::function_reference(self, file, callee);
        }
        // `withRBAC(opts)(handler)`, `rbac.member()(handler)`: what the inner call returns.
        if let Some(last) = callee.last()
            && let Some(called) = last.strip_suffix("()")
            && !called.ends_with("()")
        {
            if depth > 4 {
                return None;
            }
            let mut inner = callee.clone();
            *inner.last_mut()? = called.to_string();
            let Target::Function(k) = self.resolve_callee_at(file, &inner, depth + 1)? else {
                return None;
            };
            return self.returned_function(k, depth + 1).map(Target::Function);
        }
        let first = callee.first()?;
        if callee.len() == 1 {
            if let Some(idx) = code.local_function(first) {
                return Some(Target::Function((file, idx)));
            }
            if let Some(b) = code.bindings.get(first) {
                if let Binding::Call { callee, args, .. } = b {
                    return Some(Target::Call {
                        file,
                        callee: callee.clone(),
                        args: args.clone(),
                    });
                }
                if matches!(b, Binding::Chain { .. }) {
                    return self.binding_target(file, b, 0);
                }
                return Some(Target::Opaque(first.clone()));
            }
            if let Some(imp) = code.imports.get(first) {
                return self.resolve_import(file, &imp.source, &imp.imported, 0);
            }
            // Nuxt server code calls `server/utils` exports without importing them.
            let util = self.project.nuxt_server_util(file, first)?;
            return self.resolve_export(util, first, 1);
        }
        if callee.len() == 2 {
            // `ns.fn()` with `import * as ns`.
            if let Some(imp) = code.imports.get(first)
                && imp.imported == "*"
            {
                return self.resolve_import(file, &imp.source, &callee[1], 0);
            }
            // `users.getUser()`: a method of an object (or an Effect service's methods),
            // imported or bound in this file.
            let object = match code.bindings.get(first) {
                Some(b @ Binding::Object { .. }) => self.binding_target(file, b, 0),
                Some(_) => None,
                None => {
                    let imp = code.imports.get(first)?;
                    self.resolve_import(file, &imp.source, &imp.imported, 0)
                }
            };
            if let Some(Target::Object { file, fields, .. }) = object
                && let Some(f) = fields.iter().find(|f| f.key == callee[1])
            {
                return self.binding_target(file, &f.value, 1);
            }
        }
        None
    }

    /// The function a function returns: one it returns itself (`return async (req) => …`), or
    /// the one a call it returns gives back (`() => withRBAC({ … })`).
    fn returned_function(&self, k: FnKey, depth: usize) -> Option<FnKey> {
        if depth > 8 {
            return None;
        }
        let f = self.code(k.0)?.function(k.1)?;
        if let Some(&i) = f.returns.functions.first() {
            return Some((k.0, i));
        }
        f.returns
            .calls
            .iter()
            .find_map(|c| match self.resolve_callee_at(k.0, c, depth + 1)? {
                Target::Function(g) => self.returned_function(g, depth + 1),
                _ => None,
            })
    }

    /// Follow an import (and re-exports) to the exported function.
    pub fn resolve_import(
        &self,
        from: usize,
        source: &str,
        name: &str,
        depth: usize,
    ) -> Option<Target> {
        if depth > 8 {
            return None;
        }
        if source.starts_with("@clerk/") {
            return Some(Target::Clerk {
                source: source.to_string(),
                imported: name.to_string(),
            });
        }
        if library_wrapper(source, name).is_some() {
            return Some(Target::Library {
                source: source.to_string(),
                imported: name.to_string(),
            });
        }
        let from_rel = &self.project.files[from].rel;
        let Some(target_rel) = self.project.resolve(from_rel, source) else {
            return Some(Target::Opaque(source.to_string()));
        };
        let target = self.project.file_index(&target_rel)?;
        self.resolve_export(target, name, depth + 1)
    }

    /// What a module exports under `name`.
    pub fn resolve_export(&self, file: usize, name: &str, depth: usize) -> Option<Target> {
        if depth > 8 {
            return None;
        }
        let code = self.code(file)?;
        if let Some(export) = code.export(name) {
            if let Some(from) = &export.from {
                let inner = match &export.target {
                    Binding::Identifier { name } => name.clone(),
                    _ => name.to_string(),
                };
                return self.resolve_import(file, from, &inner, depth + 1);
            }
            return self.binding_target(file, &export.target, depth);
        }
        for from in &code.export_all_from {
            if let Some(t) = self.resolve_import(file, from, name, depth + 1)
                && !matches!(t, Target::Opaque(_))
            {
                return Some(t);
            }
        }
        // CommonJS: `module.exports = { clerkAuth }` read as `const { clerkAuth } = require(…)`.
        if name != "default"
            && let Some(Binding::Object { fields, .. }) = code.export("default").map(|e| &e.target)
            && let Some(f) = fields.iter().find(|f| f.key == name)
        {
            return self.binding_target(file, &f.value, depth + 1);
        }
        None
    }

    pub fn binding_target(&self, file: usize, b: &Binding, depth: usize) -> Option<Target> {
        let code = self.code(file)?;
        match b {
            Binding::Function { index } => Some(Target::Function((file, *index))),
            Binding::Call { callee, args, .. } => Some(Target::Call {
                file,
                callee: callee.clone(),
                args: args.clone(),
            }),
            Binding::Identifier { name } => {
                if let Some(local) = code.bindings.get(name) {
                    if depth > 8 {
                        return None;
                    }
                    return self.binding_target(file, local, depth + 1);
                }
                let imp = code.imports.get(name)?;
                self.resolve_import(file, &imp.source, &imp.imported, depth + 1)
            }
            Binding::Chain {
                base,
                base_args,
                links,
                ..
            } => Some(Target::Chain {
                file,
                base: base.clone(),
                base_args: base_args.clone(),
                links: links.clone(),
            }),
            Binding::Object { fields, open } => Some(Target::Object {
                file,
                fields: fields.clone(),
                open: *open,
            }),
            Binding::Other => Some(Target::Opaque("an expression".into())),
        }
    }

    /// A request handler or middleware (Express, Fastify) that tests the session its SDK put
    /// on the request — `if (!req.auth.userId)` or `if (!req.auth().userId)` on its first
    /// parameter — and leaves when it is missing (the legacy object form and the current
    /// function form of `@clerk/express`'s `req.auth`). Through one wrapper call
    /// (`asyncHandler(fn)`).
    pub fn request_auth_test(&self, target: &Target, depth: usize) -> Option<Evidence> {
        match target {
            Target::Function((file, i)) => {
                let f = self.code(*file)?.function(*i)?;
                let req = f.params.first()?;
                let pc = f.param_checks.iter().find(|pc| {
                    pc.path.len() >= 3
                        && &pc.path[0] == req
                        && matches!(pc.path[1].as_str(), "auth" | "auth()")
                        && matches!(pc.path[2].as_str(), "userId" | "sessionId")
                })?;
                Some(Evidence::new(Check::Session {
                    api: SessionCall::GetAuth,
                    how: format!(
                        "`if (!{})` leaves early (`{}.{}` is the session `clerkMiddleware()` sets)",
                        pc.path.join("."),
                        pc.path[0],
                        pc.path[1]
                    ),
                }))
            }
            Target::Call { file, args, .. } if depth < 2 => args.iter().find_map(|a| {
                let t = self.binding_target(*file, a, 0)?;
                self.request_auth_test(&t, depth + 1)
            }),
            _ => None,
        }
    }

    /// What the wrapper of `callee(args…)` checks: a project wrapper's summary, a Clerk or
    /// library wrapper known by name (read with the options the call passes), a function listed
    /// in `auth_functions`.
    /// `enclosing`: the function the call is returned from, whose own parameters an argument
    /// may pass on (`withAuth(h, options) => withValidation({}, h, options)`).
    fn wrapper_check(
        &mut self,
        file: usize,
        callee: &CalleePath,
        args: &[Binding],
        enclosing: Option<FnKey>,
    ) -> WrapperCheck {
        let mut w = WrapperCheck::default();
        match self.resolve_callee(file, callee) {
            Some(Target::Function(k)) => {
                let s = self.summary(k);
                let label = self.fn_label(k);
                w.auth = s.wrapper.as_ref().map(|e| e.through(label.clone()));
                w.guard = s.guard.as_ref().map(|e| e.through(label.clone()));
                // A check the arguments switch on: `withValidation({}, h, { requireAuth: true
                // })`, `withAuth(h)` whose `options` default to `{ requireAuth: true }`.
                let defaults = self
                    .code(k.0)
                    .and_then(|c| c.function(k.1))
                    .map(|f| f.option_params.as_slice())
                    .unwrap_or_default();
                for fw in s.flagged_wrapper() {
                    if w.auth.is_some() {
                        break;
                    }
                    let mut passed = Vec::new();
                    for sw in &fw.on {
                        let default = defaults
                            .iter()
                            .find(|p| p.index as usize == sw.pos)
                            .and_then(|p| p.default.as_ref());
                        let arg = args.get(sw.pos);
                        match self.option_state(file, arg, default, &sw.keys, enclosing, 0) {
                            OptionState::On => {
                                w.auth = Some(fw.evidence.through(label.clone()));
                                break;
                            }
                            OptionState::Unset if sw.unset_on => {
                                w.auth = Some(fw.evidence.through(label.clone()));
                                break;
                            }
                            OptionState::Param {
                                pos,
                                keys,
                                fallback,
                            } => passed.push(OptionSwitch {
                                pos,
                                keys,
                                unset_on: fallback.unwrap_or(sw.unset_on),
                            }),
                            OptionState::Off | OptionState::Unset => {}
                        }
                    }
                    if w.auth.is_none() && !passed.is_empty() {
                        w.flagged.push(FlaggedWrapper {
                            on: passed,
                            evidence: fw.evidence.through(label.clone()),
                        });
                    }
                }
                if let Some(r) = &s.role {
                    w.role = Some(r.through(label));
                }
            }
            Some(Target::Clerk { source, imported }) => {
                if let Some(how) = clerk_wrapper(&source, &imported) {
                    w.auth = Some(Evidence::new(Check::Session {
                        api: SessionCall::Protect,
                        how: how.to_string(),
                    }));
                }
            }
            Some(Target::Library { source, imported }) => {
                match self.library_check(file, &source, &imported, args) {
                    Some(e) if e.check.class() == CheckClass::Machine => w.machine = Some(e),
                    e => w.auth = e,
                }
                w.opaque = w.auth.is_none() && w.machine.is_none();
            }
            _ => {
                let last = callee.last().map(String::as_str).unwrap_or("");
                if self.project.config.auth_functions.iter().any(|a| a == last) {
                    w.auth = Some(Evidence::new(Check::Configured {
                        name: last.to_string(),
                    }));
                } else {
                    w.opaque = true;
                }
            }
        }
        w
    }

    /// The check a library wrapper call makes, read off its arguments.
    fn library_check(
        &self,
        file: usize,
        source: &str,
        imported: &str,
        args: &[Binding],
    ) -> Option<Evidence> {
        match library_wrapper(source, imported)? {
            LibraryWrapper::McpAuth => {
                if self.option_flag(file, args.get(2)?, "required", 0) != Some(true) {
                    return None;
                }
                let verifier = match args.get(1) {
                    Some(Binding::Identifier { name }) => format!("`{name}`"),
                    _ => "its token verifier".into(),
                };
                Some(Evidence::new(Check::Session {
                    api: SessionCall::Verify,
                    how: format!(
                        "`{imported}(…, {{ required: true }})` ({source}) answers 401 unless {verifier} accepts the bearer token"
                    ),
                }))
            }
            LibraryWrapper::InngestServe | LibraryWrapper::QstashVerify => {
                Some(Evidence::new(Check::Signature {
                    how: format!("{source} {imported}()"),
                }))
            }
        }
    }

    /// The literal value of option `key` in an options argument: an object literal, or a
    /// module-level name bound to one.
    fn option_flag(&self, file: usize, b: &Binding, key: &str, depth: usize) -> Option<bool> {
        if depth > 8 {
            return None;
        }
        match b {
            Binding::Object { fields, .. } => fields.iter().rev().find(|f| f.key == key)?.literal,
            Binding::Identifier { name } => {
                let local = self.code(file)?.bindings.get(name)?;
                self.option_flag(file, local, key, depth + 1)
            }
            _ => None,
        }
    }

    /// What the argument at a wrapper's parameter (or, when none is passed, the parameter's
    /// default) makes of the option at `keys`: the last word on it in an object literal (a
    /// spread after the key's own field may override it), a parameter of `enclosing` the
    /// argument passes on (a name, or a spread), a module-level object it names.
    fn option_state(
        &self,
        file: usize,
        arg: Option<&Binding>,
        default: Option<&Binding>,
        keys: &[String],
        enclosing: Option<FnKey>,
        depth: usize,
    ) -> OptionState {
        if depth > 8 {
            return OptionState::Off;
        }
        let Some(arg) = arg.or(default) else {
            return OptionState::Unset;
        };
        let Some((key, rest)) = keys.split_first() else {
            return OptionState::Off;
        };
        match arg {
            Binding::Object { fields, open } => {
                // Read backwards: the last field that sets the key wins. `...` fields (spreads,
                // in place) only come from `Returns::wrapper_calls` and parameter defaults.
                for (i, f) in fields.iter().enumerate().rev() {
                    if f.key == "..." {
                        let spread = self.option_state(
                            file,
                            Some(&f.value),
                            None,
                            keys,
                            enclosing,
                            depth + 1,
                        );
                        let before = || {
                            let earlier = Binding::Object {
                                fields: fields[..i].to_vec(),
                                open: *open,
                            };
                            self.option_state(
                                file,
                                Some(&earlier),
                                None,
                                keys,
                                enclosing,
                                depth + 1,
                            )
                        };
                        return match spread {
                            OptionState::Unset => before(),
                            OptionState::Param {
                                pos,
                                keys,
                                fallback: None,
                            } => OptionState::Param {
                                pos,
                                keys,
                                fallback: match before() {
                                    OptionState::On => Some(true),
                                    OptionState::Unset => None,
                                    _ => Some(false),
                                },
                            },
                            other => other,
                        };
                    }
                    if f.key == *key {
                        if rest.is_empty() {
                            return if f.literal == Some(true) {
                                OptionState::On
                            } else {
                                OptionState::Off
                            };
                        }
                        return self.option_state(
                            file,
                            Some(&f.value),
                            None,
                            rest,
                            enclosing,
                            depth + 1,
                        );
                    }
                }
                OptionState::Unset
            }
            Binding::Identifier { name } => {
                if let Some(k) = enclosing
                    && let Some(p) = self
                        .code(k.0)
                        .and_then(|c| c.function(k.1))
                        .and_then(|f| f.option_params.iter().find(|p| p.name == *name))
                {
                    return OptionState::Param {
                        pos: p.index as usize,
                        keys: keys.to_vec(),
                        fallback: None,
                    };
                }
                match self.code(file).and_then(|c| c.bindings.get(name)) {
                    Some(local) => {
                        self.option_state(file, Some(local), None, keys, None, depth + 1)
                    }
                    None => OptionState::Off,
                }
            }
            _ => OptionState::Off,
        }
    }

    /// Protection evidence of a handler export (its own checks, helpers, or a wrapper).
    pub fn handler_protection(&mut self, target: &Target, depth: usize) -> HandlerCheck {
        if depth > 6 {
            return HandlerCheck::default();
        }
        // Builders (`client.use(mw).action(fn)`) and router handlers (tRPC, uploadthing).
        if let Some(check) = self.builder_protection(target, depth) {
            return check;
        }
        match target {
            Target::Function(k) => {
                let s = self.summary(*k);
                HandlerCheck {
                    auth: s.protects_handler().cloned().map(Box::new),
                    machine: s.machine.clone(),
                    delegated: s.delegated.clone(),
                    role: s.role.clone(),
                    function: Some(*k),
                    opaque: None,
                    open_path: s.open_path.as_deref().cloned(),
                    ..HandlerCheck::default()
                }
            }
            Target::Call { file, callee, args } => {
                let mut check = HandlerCheck::default();
                // The wrapper itself.
                let w = self.wrapper_check(*file, callee, args, None);
                check.auth = w.auth.or(w.guard).map(Box::new);
                check.machine = w.machine.map(Box::new);
                check.role = w.role.map(Box::new);
                if w.opaque {
                    check.opaque = Some(format!("`{}(…)`", callee.join(".")));
                }
                // The wrapped handler.
                for a in args {
                    if let Some(t) = self.binding_target(*file, a, depth + 1) {
                        let inner = self.handler_protection(&t, depth + 1);
                        if check.auth.is_none() {
                            check.auth = inner.auth;
                        }
                        if check.machine.is_none() {
                            check.machine = inner.machine;
                        }
                        if check.delegated.is_none() {
                            check.delegated = inner.delegated;
                        }
                        if check.role.is_none() {
                            check.role = inner.role;
                        }
                        if check.function.is_none() {
                            check.function = inner.function;
                        }
                    }
                }
                if check.auth.is_some() {
                    check.opaque = None;
                }
                check
            }
            Target::Clerk { .. } => HandlerCheck::default(),
            Target::Library { imported, .. } => HandlerCheck {
                opaque: Some(format!("`{imported}`")),
                ..HandlerCheck::default()
            },
            // A chain `builder_protection` could not follow, or an object as a handler.
            Target::Chain { .. } | Target::Object { .. } => HandlerCheck {
                opaque: Some("a builder chain".into()),
                ..HandlerCheck::default()
            },
            Target::Opaque(what) | Target::Missing(what) => HandlerCheck {
                opaque: Some(what.clone()),
                ..HandlerCheck::default()
            },
        }
    }
}

/// What the analysis found for one handler (kept with each entry; the evidence is boxed, as in
/// `Summary`: a handler finds one or two kinds of check, and a large tree has many handlers).
#[derive(Clone, Debug, Default)]
pub struct HandlerCheck {
    pub auth: Option<Box<Evidence>>,
    /// A machine credential the handler verifies.
    pub machine: Option<Box<Evidence>>,
    /// The user's token forwarded to a backend.
    pub delegated: Option<Box<Evidence>>,
    pub role: Option<Box<Evidence>>,
    /// The function that handles the request, when known.
    pub function: Option<FnKey>,
    /// The handler is something the analyzer cannot see into (an external wrapper).
    pub opaque: Option<String>,
    /// Work a signed-out request reaches before the check.
    pub open_path: Option<OpenPath>,
    /// Why a builder or router the handler serves does not protect it (the parts without a
    /// check, by name and place).
    pub gap: Option<String>,
    /// The procedures a tRPC handler serves, each with its own verdict.
    pub procedures: Vec<Procedure>,
}

/// The function a target runs: a function, the function a wrapper call wraps (its function
/// argument), or the last function given to a chain's links
/// (`export const getUser = client.cache().run(async () => …)`).
pub fn target_fn(target: &Target) -> Option<FnKey> {
    match target {
        Target::Function(k) => Some(*k),
        Target::Call { file, args, .. } => args.iter().find_map(|a| match a {
            Binding::Function { index } => Some((*file, *index)),
            _ => None,
        }),
        Target::Chain { file, links, .. } => links
            .iter()
            .rev()
            .filter_map(|l| l.args.as_ref())
            .flatten()
            .find_map(|a| match a {
                Binding::Function { index } => Some((*file, *index)),
                _ => None,
            }),
        _ => None,
    }
}

#[cfg(test)]
mod write_tests {
    use super::is_data_write;

    fn p(s: &str) -> Vec<String> {
        s.split('.').map(str::to_string).collect()
    }

    #[test]
    fn database_writes() {
        for w in [
            "ctx.db.insert",
            "prisma.comment.create",
            "db.collection().deleteOne",
            "Post.findByIdAndDelete",
            "tx.user.update",
            "supabase.from().insert",
        ] {
            assert!(is_data_write(&p(w)), "{w}");
        }
        for w in [
            "headers.delete",
            "searchParams.delete",
            "Object.create",
            "cache.delete",
            "prisma.comment.findMany",
            "create",
        ] {
            assert!(!is_data_write(&p(w)), "{w}");
        }
    }
}
