//! Builders and routers, composed from function summaries: an action client's `.use()`
//! middlewares (next-safe-action), a zsa procedure, an uploadthing FileRouter's
//! `.middleware()`, a tRPC procedure's `.use()` middlewares and the context they read.
//!
//! A chain is flattened into its calls, following the names it is built on across files
//! (`authActionClient` → `actionClient.use(mw)` → `createSafeActionClient()`), depth-bounded.
//! The last call's function is the handler; the functions passed to the calls before it are
//! gates. A chain protects when a gate is a guard (it throws or redirects without a session)
//! or the handler protects itself.

use std::collections::HashSet;

use super::{Analyzer, Evidence, FnKey, HandlerCheck, Target};
use crate::facts::code::{Binding, Exit, Field};
use crate::facts::evidence::Check;
use crate::finding::Span;

/// How many names a chain is followed through (`a` built on `b` built on `c` …).
const MAX_BUILDER_DEPTH: usize = 16;
/// The most calls a flattened chain holds.
const MAX_PARTS: usize = 1024;
/// How many router values one handler's procedure walk visits.
const MAX_ROUTER_VISITS: usize = 10_000;
/// How deeply routers nest (`appRouter` → `post` → …).
const MAX_ROUTER_DEPTH: usize = 8;
/// The most procedures or FileRouter routes listed for one handler.
const MAX_PROCEDURES: usize = 4096;

/// One call of a flattened chain.
#[derive(Clone, Debug)]
struct Part {
    /// The file its arguments belong to.
    file: usize,
    method: String,
    /// `None` for a property read (`t.procedure`).
    args: Option<Vec<Binding>>,
}

/// A chain flattened across the names it is built on.
#[derive(Debug, Default)]
struct Flat {
    parts: Vec<Part>,
    /// The builders followed by name, outermost first: (label, file).
    names: Vec<String>,
}

/// A tRPC procedure and its verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Procedure {
    /// `post.create`.
    pub path: String,
    /// Where it is defined (`src/server/api/routers/post.ts:12`).
    pub at: String,
    /// The procedure's `.query`/`.mutation`/`.subscription`.
    pub kind: String,
    pub evidence: Option<Evidence>,
    /// Why an unprotected procedure's middleware does not count, when it tests something.
    pub note: Option<String>,
    /// Its resolver answers without doing any work (no await, no call but response builders,
    /// no module data): a health check's constant.
    pub inert: bool,
}

/// The state of one walk over a tRPC router's procedures.
struct ProcWalk<'c> {
    ctx: &'c Context,
    /// Router values still to visit (routers may refer to each other).
    budget: usize,
    out: Vec<Procedure>,
}

/// What is known about the tRPC request context.
struct Context {
    /// It reads the Clerk session: the function that does (for messages).
    session: Option<String>,
}

impl<'p> Analyzer<'p> {
    /// Protection of a handler built by a chain or serving a router; `None` when the target
    /// is neither (the ordinary function and wrapper analysis applies).
    pub(super) fn builder_protection(
        &mut self,
        target: &Target,
        depth: usize,
    ) -> Option<HandlerCheck> {
        match target {
            Target::Function(k) => {
                let code = self.code(k.0)?;
                let range = code.function(k.1)?.range;
                let rc = code
                    .router_calls
                    .iter()
                    .find(|r| r.span.start >= range.start && r.span.end <= range.end)?;
                self.router_protection(k.0, &rc.callee, &rc.options, depth)
            }
            Target::Call { file, callee, args } => {
                for a in args {
                    if let Binding::Object { fields, .. } = a
                        && fields.iter().any(|f| f.key == "router")
                        && let Some(c) = self.router_protection(*file, callee, fields, depth)
                    {
                        return Some(c);
                    }
                }
                let b = Binding::Call {
                    callee: callee.clone(),
                    args: args.clone(),
                    span: Span::new(0, 0),
                };
                let flat = self.flatten(*file, &b)?;
                // A plain wrapper (`withAuth(fn)`, `Sentry.wrap(fn)`) is not a builder.
                if flat.names.is_empty() {
                    return None;
                }
                Some(self.chain_check(&flat, depth))
            }
            Target::Chain {
                file,
                base,
                base_args,
                links,
            } => {
                let b = Binding::Chain {
                    base: base.clone(),
                    base_args: base_args.clone(),
                    links: links.clone(),
                    span: Span::new(0, 0),
                };
                let flat = self.flatten(*file, &b)?;
                Some(self.chain_check(&flat, depth))
            }
            _ => None,
        }
    }

    /// Flatten a chain binding of `file` into its calls.
    fn flatten(&self, file: usize, b: &Binding) -> Option<Flat> {
        let mut flat = Flat::default();
        self.flatten_into(file, b, 0, &mut flat).then_some(flat)
    }

    fn flatten_into(&self, file: usize, b: &Binding, depth: usize, out: &mut Flat) -> bool {
        if depth > MAX_BUILDER_DEPTH || out.parts.len() > MAX_PARTS {
            return false;
        }
        match b {
            Binding::Chain {
                base,
                base_args,
                links,
                ..
            } => {
                if !self.flatten_base(file, base, base_args.as_ref(), depth, out) {
                    return false;
                }
                for l in links {
                    out.parts.push(Part {
                        file,
                        method: l.method.clone(),
                        args: l.args.clone(),
                    });
                }
                true
            }
            Binding::Call { callee, args, .. } => {
                let Some((last, receiver)) = callee.split_last() else {
                    return false;
                };
                let namespace = callee.len() == 2
                    && self
                        .code(file)
                        .and_then(|c| c.imports.get(&callee[0]))
                        .is_some_and(|i| i.imported == "*");
                if receiver.is_empty() || namespace || receiver.iter().any(|s| s.ends_with("()")) {
                    out.parts.push(Part {
                        file,
                        method: callee.join("."),
                        args: Some(args.clone()),
                    });
                    return true;
                }
                if !self.flatten_base(file, receiver, None, depth, out) {
                    return false;
                }
                out.parts.push(Part {
                    file,
                    method: last.clone(),
                    args: Some(args.clone()),
                });
                true
            }
            Binding::Identifier { name } => self.flatten_name(file, name, depth + 1, out),
            _ => false,
        }
    }

    /// The root of a chain: a called function (`createSafeActionClient()`), or a name that is
    /// followed to the builder it is bound to (`authActionClient`, `t.procedure`).
    fn flatten_base(
        &self,
        file: usize,
        base: &[String],
        base_args: Option<&Vec<Binding>>,
        depth: usize,
        out: &mut Flat,
    ) -> bool {
        if let Some(args) = base_args {
            // A builder made from another one (zsa `createServerActionProcedure(parent)`):
            // the parent's calls run first.
            if let Some(Binding::Identifier { name }) = args.first() {
                let mut parent = Flat::default();
                if self.flatten_name(file, name, depth + 1, &mut parent) {
                    out.parts.extend(parent.parts);
                    out.names.extend(parent.names);
                }
            }
            out.parts.push(Part {
                file,
                method: base.join("."),
                args: Some(args.clone()),
            });
            return true;
        }
        let Some((first, props)) = base.split_first() else {
            return false;
        };
        if !self.flatten_name(file, first, depth + 1, out) {
            out.parts.push(Part {
                file,
                method: first.clone(),
                args: None,
            });
        }
        for p in props {
            out.parts.push(Part {
                file,
                method: p.clone(),
                args: None,
            });
        }
        true
    }

    /// Follow a name to the chain or call it is bound to, in this file or through imports.
    fn flatten_name(&self, file: usize, name: &str, depth: usize, out: &mut Flat) -> bool {
        if depth > MAX_BUILDER_DEPTH {
            return false;
        }
        let Some(code) = self.code(file) else {
            return false;
        };
        if let Some(b) = code.bindings.get(name) {
            if !matches!(
                b,
                Binding::Chain { .. } | Binding::Call { .. } | Binding::Identifier { .. }
            ) {
                return false;
            }
            let at = out.names.len();
            if !self.flatten_into(file, b, depth + 1, out) {
                return false;
            }
            out.names.insert(
                at.min(out.names.len()),
                format!("`{name}` ({})", self.project.files[file].rel),
            );
            return true;
        }
        let Some(imp) = code.imports.get(name) else {
            return false;
        };
        let target = self.resolve_import(file, &imp.source, &imp.imported, 0);
        let (tfile, b) = match target {
            Some(Target::Chain {
                file: tfile,
                base,
                base_args,
                links,
            }) => (
                tfile,
                Binding::Chain {
                    base,
                    base_args,
                    links,
                    span: Span::new(0, 0),
                },
            ),
            Some(Target::Call {
                file: tfile,
                callee,
                args,
            }) => (
                tfile,
                Binding::Call {
                    callee,
                    args,
                    span: Span::new(0, 0),
                },
            ),
            _ => return false,
        };
        let at = out.names.len();
        if !self.flatten_into(tfile, &b, depth + 1, out) {
            return false;
        }
        out.names.insert(
            at.min(out.names.len()),
            format!("`{}` ({})", imp.imported, self.project.files[tfile].rel),
        );
        true
    }

    /// The functions passed to a part's call, each with a label for messages.
    fn part_functions(&self, part: &Part) -> Vec<(FnKey, String)> {
        let Some(args) = &part.args else {
            return Vec::new();
        };
        let rel = &self.project.files[part.file].rel;
        args.iter()
            .filter_map(|a| match a {
                Binding::Function { index } => {
                    let k = (part.file, *index);
                    Some((k, format!("`.{}(…)` ({rel})", part.method)))
                }
                // A named function, or one wrapped by a call (`t.middleware(fn)`), maybe imported.
                Binding::Identifier { name } => self
                    .resolve_fn(part.file, &vec![name.clone()])
                    .map(|k| (k, format!("`.{}({name})` ({rel})", part.method))),
                _ => None,
            })
            .collect()
    }

    /// The first function passed to a part's call.
    fn part_function(&self, part: &Part) -> Option<FnKey> {
        self.part_functions(part).first().map(|(k, _)| *k)
    }

    /// The index of the handler part: the last call that is passed a function.
    fn handler_part(&self, flat: &Flat) -> Option<usize> {
        flat.parts
            .iter()
            .rposition(|p| !self.part_functions(p).is_empty())
    }

    /// A gate of the chain that stops a signed-out request (with the context, for tRPC).
    fn gate_evidence(&mut self, flat: &Flat, ctx: Option<&Context>) -> Option<Evidence> {
        let end = self.handler_part(flat).unwrap_or(flat.parts.len());
        for part in &flat.parts[..end] {
            for (k, label) in self.part_functions(part) {
                let mut found = self.guard_of(k).map(|g| g.through(label.clone()));
                if found.is_none()
                    && let Some(ctx) = ctx
                    && let Some(context) = &ctx.session
                {
                    found = self.context_check(k, context).map(|e| e.through(label));
                }
                if let Some(e) = found {
                    return Some(match flat.names.first() {
                        Some(n) => e.through(n.clone()),
                        None => e,
                    });
                }
            }
        }
        None
    }

    /// A function's guard evidence, including a guard it calls in its returned expression
    /// (`() => requireUploader()`), which throws for its caller too.
    fn guard_of(&mut self, k: FnKey) -> Option<Evidence> {
        let s = self.summary(k);
        if let Some(g) = &s.guard {
            return Some(Evidence::clone(g));
        }
        let calls = self.code(k.0)?.function(k.1)?.returns.calls.clone();
        for c in calls.iter().take(64) {
            if let Some(sub) = self.resolve_fn(k.0, c)
                && sub != k
                && let Some(g) = &self.summary(sub).guard
            {
                return Some(g.through(self.fn_label(sub)));
            }
        }
        None
    }

    /// A handler that leaves on a session-named value of its context (`if (!context.userId)
    /// throw …`) when a middleware before it reads the Clerk session to fill that context
    /// (TanStack Start's `createMiddleware().server(({ next }) => next({ context: { userId }
    /// }))` with `userId` from `getAuth`): the handler's test is then a session check.
    pub fn session_context_test(&self, chain: &[Target], handler: FnKey) -> Option<Evidence> {
        let mut seen = HashSet::new();
        let filled_by = chain.iter().find_map(|t| {
            // A middleware given in place, or one a factory builds (`app.use(session())`):
            // the functions the factory gives back.
            let made = match t {
                Target::Call { file, callee, .. } if super::target_fn(t).is_none() => self
                    .resolve_fn(*file, callee)
                    .and_then(|f| Some((f.0, self.code(f.0)?.function(f.1)?)))
                    .map(|(file, f)| f.returns.functions.iter().map(|&i| (file, i)).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            super::target_fn(t).into_iter().chain(made).find_map(|k| {
                self.reads_session(k, 0, &mut seen)?;
                Some(super::function_label(self.project, k, "a middleware"))
            })
        })?;
        self.context_test(handler, &filled_by, true)
    }

    /// `if (!ctx.auth.userId) throw …` in a middleware whose context reads the session.
    fn context_check(&self, k: FnKey, context: &str) -> Option<Evidence> {
        self.context_test(k, context, false)
    }

    /// A test of a session-named context value that exits; `any_exit` also takes an early
    /// return (the handler itself: it stops before its work).
    fn context_test(&self, k: FnKey, context: &str, any_exit: bool) -> Option<Evidence> {
        let f = self.code(k.0)?.function(k.1)?;
        // What the request itself carries (`req.params.followedUserId`, `data.userId`) is the
        // caller's input, whatever its name: only what the context holds can be the session.
        const INPUT: &[&str] = &[
            "params",
            "query",
            "body",
            "headers",
            "cookies",
            "searchParams",
            "input",
            "data",
            "formData",
        ];
        let path = f.param_checks.iter().find_map(|pc| {
            if !(any_exit || pc.exit == Exit::Throw) {
                return None;
            }
            let path = self.context_path(k.0, &pc.path)?;
            (path.len() >= 2
                && !path.iter().any(|s| INPUT.contains(&s.as_str()))
                && path[1..].iter().any(|s| {
                    let l = s.to_ascii_lowercase();
                    l == "auth" || l.contains("user") || l.contains("session")
                }))
            .then_some(path)
        })?;
        Some(Evidence::new(Check::Context {
            test: format!("!{}", path.join(".")),
            context: context.to_string(),
        }))
    }

    /// A tested parameter path with each call of a function given the parameter
    /// (`c.getUserId()`, for `getUserId(c)`) replaced by what that function reads off it
    /// (`c.userId` when it returns `c.get('userId')`); none when a call gives back anything else.
    fn context_path(&self, file: usize, path: &[String]) -> Option<Vec<String>> {
        if !path[1..].iter().any(|s| s.ends_with("()") && s != "auth()") {
            return Some(path.to_vec());
        }
        let mut out = vec![path[0].clone()];
        for s in &path[1..] {
            match s.strip_suffix("()") {
                Some(name) if s != "auth()" => {
                    let k = self.resolve_fn(file, &vec![name.to_string()])?;
                    let read = &self.code(k.0)?.function(k.1)?.returned_param;
                    if read.len() < 2 {
                        return None;
                    }
                    out.extend(read[1..].iter().cloned());
                }
                _ => out.push(s.clone()),
            }
        }
        Some(out)
    }

    /// Protection of an action built by a chain: a gate, else the handler's own check.
    fn chain_check(&mut self, flat: &Flat, depth: usize) -> HandlerCheck {
        let ctx = self.chain_context(flat);
        let gate = self.gate_evidence(flat, Some(&ctx));
        let handler = self
            .handler_part(flat)
            .and_then(|i| self.part_function(&flat.parts[i]));
        let mut check = match handler {
            Some(k) => self.handler_protection(&Target::Function(k), depth + 1),
            None => HandlerCheck::default(),
        };
        // `async ({ ctx }) => { if (!ctx.userId) throw … }` on a context a middleware fills
        // from the Clerk session.
        if gate.is_none()
            && check.auth.is_none()
            && let (Some(k), Some(context)) = (handler, &ctx.session)
            && let Some(e) = self.context_test(k, context, true)
        {
            check.auth = Some(Box::new(match flat.names.first() {
                Some(n) => e.through(n.clone()),
                None => e,
            }));
            check.open_path = None;
        }
        if let Some(g) = gate {
            check.auth = Some(Box::new(g));
            check.open_path = None;
        } else if check.auth.is_none() {
            check.gap = Some(match flat.names.first() {
                Some(n) => format!(
                    "no check in the action, and no middleware in the chain of {n} (`.use()`, a \
                     procedure's `.handler()`) rejects a signed-out request"
                ),
                None => "no check in the action, and no middleware in its chain rejects a \
                         signed-out request"
                    .into(),
            });
        }
        check
    }

    /// A handler that serves a router from an options object: uploadthing's
    /// `createRouteHandler({ router })`, tRPC's `fetchRequestHandler({ router, createContext })`.
    fn router_protection(
        &mut self,
        file: usize,
        callee: &[String],
        options: &[Field],
        depth: usize,
    ) -> Option<HandlerCheck> {
        let code = self.code(file)?;
        let source = &code.imports.get(callee.first()?)?.source;
        let router = options.iter().find(|f| f.key == "router")?;
        if source.starts_with("uploadthing") || source.starts_with("@uploadthing/") {
            return Some(self.file_router(file, &router.value, depth));
        }
        if source.starts_with("@trpc/server") || source.starts_with("@trpc/next") {
            let ctx = self.trpc_context(file, options);
            return Some(self.trpc_router(file, &router.value, &ctx));
        }
        None
    }

    /// Whether the tRPC router a handler serves builds its request context from the Clerk
    /// session (its `createContext` calls `auth()`, itself or through what it calls): every
    /// request reads the session before any procedure runs.
    pub fn router_context_reads_session(&self, target: &Target) -> bool {
        let (file, callee, options) = match target {
            Target::Function(k) => {
                let Some(code) = self.code(k.0) else {
                    return false;
                };
                let Some(range) = code.function(k.1).map(|f| f.range) else {
                    return false;
                };
                match code
                    .router_calls
                    .iter()
                    .find(|r| r.span.start >= range.start && r.span.end <= range.end)
                {
                    Some(rc) => (k.0, &rc.callee, rc.options.as_slice()),
                    None => return false,
                }
            }
            Target::Call { file, callee, args } => match args.iter().find_map(|a| match a {
                Binding::Object { fields, .. } if fields.iter().any(|f| f.key == "router") => {
                    Some(fields.as_slice())
                }
                _ => None,
            }) {
                Some(fields) => (*file, callee, fields),
                None => return false,
            },
            _ => return false,
        };
        let trpc = callee
            .first()
            .and_then(|c| self.code(file)?.imports.get(c))
            .is_some_and(|i| {
                i.source.starts_with("@trpc/server") || i.source.starts_with("@trpc/next")
            });
        trpc && self.trpc_context(file, options).session.is_some()
    }

    /// Resolve a value to the object literal it is (a FileRouter, router procedures).
    fn object_of(&self, file: usize, b: &Binding) -> Option<(usize, Vec<Field>)> {
        match b {
            Binding::Object { fields, .. } => Some((file, fields.clone())),
            Binding::Identifier { .. } => match self.binding_target(file, b, 0)? {
                Target::Object { file, fields, .. } => Some((file, fields)),
                _ => None,
            },
            _ => None,
        }
    }

    fn line_of(&self, file: usize, span: Span) -> String {
        let f = &self.project.files[file];
        let text = f.text();
        let line = text
            .get(..span.start.min(text.len()))
            .map_or(0, |t| t.matches('\n').count())
            + 1;
        format!("{}:{line}", f.rel)
    }

    /// uploadthing: protected when every route's `.middleware()` rejects without a session.
    fn file_router(&mut self, file: usize, router: &Binding, depth: usize) -> HandlerCheck {
        let name = match router {
            Binding::Identifier { name } => format!("`{name}`"),
            _ => "`FileRouter`".into(),
        };
        let Some((rfile, routes)) = self.object_of(file, router) else {
            return HandlerCheck {
                opaque: Some(format!("{name} (a FileRouter that could not be followed)")),
                gap: Some(format!(
                    "the uploadthing FileRouter {name} could not be followed to its routes"
                )),
                ..HandlerCheck::default()
            };
        };
        let mut first: Option<Evidence> = None;
        let mut open = Vec::new();
        for route in routes.iter().take(MAX_PROCEDURES) {
            let flat = self.flatten(rfile, &route.value);
            let e = flat.as_ref().and_then(|f| self.gate_evidence(f, None));
            match e {
                Some(e) => {
                    first.get_or_insert_with(|| {
                        e.through(format!(
                            "{name} route `{}` ({})",
                            route.key, self.project.files[rfile].rel
                        ))
                    });
                }
                None => open.push(format!(
                    "`{}` ({})",
                    route.key,
                    self.line_of(rfile, route.span)
                )),
            }
        }
        let _ = depth;
        match first {
            Some(e) if open.is_empty() => HandlerCheck {
                auth: Some(Box::new(e)),
                ..HandlerCheck::default()
            },
            _ => HandlerCheck {
                gap: Some(format!(
                    "uploads are accepted without verifying the session: the `.middleware()` of \
                     FileRouter {name} route{} {} does not reject a signed-out request",
                    if open.len() == 1 { "" } else { "s" },
                    if open.is_empty() {
                        "(none found)".to_string()
                    } else {
                        open.join(", ")
                    }
                )),
                ..HandlerCheck::default()
            },
        }
    }

    /// The tRPC context: whether `createContext` (or what it calls) reads the Clerk session.
    fn trpc_context(&self, file: usize, options: &[Field]) -> Context {
        let Some(cc) = options.iter().find(|f| f.key == "createContext") else {
            return Context { session: None };
        };
        let key = match &cc.value {
            Binding::Function { index } => Some((file, *index)),
            b @ Binding::Identifier { .. } => match self.binding_target(file, b, 0) {
                Some(Target::Function(k)) => Some(k),
                _ => None,
            },
            _ => None,
        };
        let mut seen = HashSet::new();
        Context {
            session: key.and_then(|k| self.reads_session(k, 0, &mut seen)),
        }
    }

    /// The function (this one or one it calls) that calls a Clerk session API; each function
    /// is visited once.
    fn reads_session(&self, k: FnKey, depth: usize, seen: &mut HashSet<FnKey>) -> Option<String> {
        if depth > 6 || !seen.insert(k) {
            return None;
        }
        let code = self.code(k.0)?;
        if code.auth_calls.iter().any(|c| c.function == Some(k.1)) {
            return Some(self.fn_label(k));
        }
        let f = code.function(k.1)?;
        let callees = f
            .calls
            .iter()
            .map(|(c, _)| c)
            .chain(f.returns.calls.iter())
            .take(256);
        for c in callees {
            if let Some(sub) = self.resolve_fn(k.0, c)
                && sub != k
                && let Some(found) = self.reads_session(sub, depth + 1, seen)
            {
                return Some(found);
            }
        }
        None
    }

    /// A tRPC router's server-side caller made with a context: `appRouter.createCaller(ctx)`,
    /// or `createCaller(ctx)` where `createCaller = createCallerFactory(appRouter)`. The
    /// context reaches every procedure as the one `createContext` builds for the route
    /// handler (`router_protection`), and is read the same way: `filled_by` (the function
    /// that reads the Clerk session into it) stands for `createContext`. The evidence of the
    /// first procedure whose `.use()` middleware rejects on a session-named value of that
    /// context (`if (!ctx.userId) throw …`), if any.
    pub fn caller_context_test(
        &mut self,
        file: usize,
        callee: &[String],
        filled_by: String,
    ) -> Option<Evidence> {
        let (rfile, router) = match callee {
            [receiver, method] if method == "createCaller" => (
                file,
                Binding::Identifier {
                    name: receiver.clone(),
                },
            ),
            [name] => {
                match self.binding_target(file, &Binding::Identifier { name: name.clone() }, 0)? {
                    Target::Call {
                        file,
                        callee: factory,
                        args,
                    } if factory.last().is_some_and(|m| m == "createCallerFactory") => {
                        (file, args.into_iter().next()?)
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        let ctx = Context {
            session: Some(filled_by),
        };
        let mut walk = ProcWalk {
            ctx: &ctx,
            budget: MAX_ROUTER_VISITS,
            out: Vec::new(),
        };
        self.collect_procedures(rfile, &router, "", 0, &mut walk);
        walk.out.into_iter().find_map(|p| {
            p.evidence
                .filter(|e| matches!(e.check, Check::Context { .. }))
                .map(|e| e.through(format!("tRPC procedure `{}` ({})", p.path, p.at)))
        })
    }

    /// tRPC: every procedure of the router, each with its verdict.
    fn trpc_router(&mut self, file: usize, router: &Binding, ctx: &Context) -> HandlerCheck {
        let mut walk = ProcWalk {
            ctx,
            budget: MAX_ROUTER_VISITS,
            out: Vec::new(),
        };
        self.collect_procedures(file, router, "", 0, &mut walk);
        let procedures = walk.out;
        if procedures.is_empty() {
            // Not followed (a package, a dynamic router): the route model reports it as
            // delegated to its procedures.
            return HandlerCheck {
                opaque: Some("a tRPC router that could not be followed".into()),
                ..HandlerCheck::default()
            };
        }
        let all = procedures.iter().all(|p| p.evidence.is_some());
        let name = match router {
            Binding::Identifier { name } => name.as_str(),
            _ => "router",
        };
        let auth = if all {
            procedures[0].evidence.clone().map(|e| {
                e.through(format!(
                    "`{name}` (all {} tRPC procedures, e.g. `{}` at {})",
                    procedures.len(),
                    procedures[0].path,
                    procedures[0].at
                ))
            })
        } else {
            None
        };
        HandlerCheck {
            auth: auth.map(Box::new),
            procedures,
            ..HandlerCheck::default()
        }
    }

    /// Whether a procedure's resolver does no work: it awaits nothing and calls nothing but
    /// response builders, and reads no module data (the judgement that makes a route handler
    /// inert).
    fn resolver_inert(&self, flat: &Flat) -> bool {
        self.handler_part(flat)
            .and_then(|i| self.part_function(&flat.parts[i]))
            .and_then(|k| self.code(k.0)?.function(k.1))
            .is_some_and(|f| !f.does_work && !f.reads_module_data)
    }

    fn collect_procedures(
        &mut self,
        file: usize,
        router: &Binding,
        prefix: &str,
        depth: usize,
        walk: &mut ProcWalk<'_>,
    ) {
        if depth > MAX_ROUTER_DEPTH || walk.out.len() >= MAX_PROCEDURES || walk.budget == 0 {
            return;
        }
        walk.budget -= 1;
        let ctx = walk.ctx;
        // The router's own value: `createTRPCRouter({...})`, `t.router({...})`,
        // `mergeRouters(a, b)`, an object of procedures.
        let (rfile, value) = match router {
            Binding::Identifier { .. } => match self.binding_target(file, router, 0) {
                Some(Target::Call { file, callee, args }) => (
                    file,
                    Binding::Call {
                        callee,
                        args,
                        span: Span::new(0, 0),
                    },
                ),
                Some(Target::Chain {
                    file,
                    base,
                    base_args,
                    links,
                }) => (
                    file,
                    Binding::Chain {
                        base,
                        base_args,
                        links,
                        span: Span::new(0, 0),
                    },
                ),
                Some(Target::Object { file, fields, open }) => {
                    (file, Binding::Object { fields, open })
                }
                _ => return,
            },
            other => (file, other.clone()),
        };
        let args: Vec<Binding> = match &value {
            Binding::Call { args, .. } => args.clone(),
            Binding::Chain { links, .. } => links
                .iter()
                .rev()
                .find_map(|l| l.args.clone())
                .unwrap_or_default(),
            Binding::Object { .. } => vec![value.clone()],
            _ => return,
        };
        for a in &args {
            match a {
                Binding::Object { fields, .. } => {
                    for field in fields {
                        if walk.out.len() >= MAX_PROCEDURES {
                            return;
                        }
                        let path = if prefix.is_empty() {
                            field.key.clone()
                        } else {
                            format!("{prefix}.{}", field.key)
                        };
                        let flat = self.flatten(rfile, &field.value);
                        let kind = flat
                            .as_ref()
                            .and_then(|f| f.parts.last())
                            .map(|p| p.method.clone())
                            .filter(|m| {
                                matches!(m.as_str(), "query" | "mutation" | "subscription")
                            });
                        match (kind, flat) {
                            (Some(kind), Some(flat)) => {
                                let evidence = self.procedure_evidence(&flat, ctx);
                                let note = if evidence.is_none() {
                                    self.context_gap(&flat, ctx)
                                } else {
                                    None
                                };
                                let inert = self.resolver_inert(&flat);
                                walk.out.push(Procedure {
                                    path,
                                    at: self.line_of(rfile, field.span),
                                    kind,
                                    evidence,
                                    note,
                                    inert,
                                });
                            }
                            _ => {
                                self.collect_procedures(rfile, &field.value, &path, depth + 1, walk)
                            }
                        }
                    }
                }
                // `mergeRouters(a, createTRPCRouter({ … }))`
                Binding::Identifier { .. } | Binding::Call { .. } | Binding::Chain { .. } => {
                    self.collect_procedures(rfile, a, prefix, depth + 1, walk)
                }
                _ => {}
            }
        }
    }

    /// The context an action chain builds: a middleware before the handler that reads the
    /// Clerk session (and hands it on in `ctx`).
    fn chain_context(&self, flat: &Flat) -> Context {
        let end = self.handler_part(flat).unwrap_or(flat.parts.len());
        let mut seen = HashSet::new();
        let session = flat.parts[..end].iter().find_map(|part| {
            self.part_functions(part)
                .into_iter()
                .find_map(|(k, label)| {
                    self.reads_session(k, 0, &mut seen)
                        .map(|found| format!("{label} ({found})"))
                })
        });
        Context { session }
    }

    /// A middleware that rejects on a context value, when the context does not read the
    /// session: say so.
    fn context_gap(&self, flat: &Flat, ctx: &Context) -> Option<String> {
        if ctx.session.is_some() {
            return None;
        }
        let end = self.handler_part(flat).unwrap_or(flat.parts.len());
        flat.parts[..end].iter().find_map(|part| {
            self.part_functions(part)
                .into_iter()
                .find_map(|(k, label)| {
                    let f = self.code(k.0)?.function(k.1)?;
                    let pc = f.param_checks.iter().find(|pc| pc.exit == Exit::Throw)?;
                    Some(format!(
                        "{label} rejects on `!{}`, but the tRPC context (`createContext`) does not \
                     read the Clerk session",
                        pc.path.join(".")
                    ))
                })
        })
    }

    /// A procedure protects when a `.use()` middleware rejects without a session (directly,
    /// or by testing a context that reads it), or its resolver checks the session itself.
    fn procedure_evidence(&mut self, flat: &Flat, ctx: &Context) -> Option<Evidence> {
        if let Some(e) = self.gate_evidence(flat, Some(ctx)) {
            return Some(e);
        }
        let k = self
            .handler_part(flat)
            .and_then(|i| self.part_function(&flat.parts[i]))?;
        let label = self.fn_label(k);
        self.guard_of(k)
            .map(|g| g.through(label))
            .or_else(|| self.summary(k).return_guard.as_deref().cloned())
            .or_else(|| {
                let context = ctx.session.as_deref()?;
                self.context_test(k, context, true)
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::code::{Binding, CodeFacts, extract};
    use crate::facts::imports::scan_file;
    use crate::source::Lang;

    fn facts(src: &str) -> CodeFacts {
        let tree = crate::parse::parse(Lang::Ts, src).expect("parse");
        extract(&tree, src, &scan_file(Lang::Ts, src))
    }

    fn methods(b: &Binding) -> Vec<String> {
        match b {
            Binding::Chain { links, .. } => links.iter().map(|l| l.method.clone()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn chains_record_base_and_links() {
        let c = facts(
            "export const a = client.schema(s).action(async () => {})\n\
             export const b = createSafeActionClient().use(mw)\n\
             export const c = t.procedure.use(isAuthed)\n\
             export const d = withAuth(async () => {})\n",
        );
        let a = &c.export("a").unwrap().target;
        assert!(matches!(a, Binding::Chain { base, base_args: None, .. } if base == &["client"]));
        assert_eq!(methods(a), ["schema", "action"]);
        let b = &c.export("b").unwrap().target;
        assert!(
            matches!(b, Binding::Chain { base, base_args: Some(_), .. } if base == &["createSafeActionClient"])
        );
        assert_eq!(methods(b), ["use"]);
        // One call on a plain receiver, and a plain wrapper, stay calls.
        assert!(
            matches!(&c.export("c").unwrap().target, Binding::Call { callee, .. } if callee == &["t", "procedure", "use"])
        );
        assert!(matches!(
            &c.export("d").unwrap().target,
            Binding::Call { .. }
        ));
    }

    #[test]
    fn objects_and_destructured_calls() {
        let c = facts(
            "const f = createUploadthing()\n\
             export const router = { img: f({ image: {} }).middleware(async () => ({})), pdf }\n\
             export const { GET, POST } = createRouteHandler({ router })\n\
             export const { x } = plain\n",
        );
        let Binding::Object { fields, .. } = &c.export("router").unwrap().target else {
            panic!("not an object");
        };
        assert_eq!(fields.len(), 2);
        assert_eq!(methods(&fields[0].value), ["middleware"]);
        assert!(matches!(
            &c.export("GET").unwrap().target,
            Binding::Call { callee, args, .. }
                if callee == &["createRouteHandler"] && matches!(args[0], Binding::Object { .. })
        ));
        assert_eq!(c.export("x").unwrap().target, Binding::Other);
    }

    #[test]
    fn router_calls_and_param_checks() {
        let c = facts(
            "const handler = (req) => fetchRequestHandler({ router: appRouter, createContext: () => ctx(req) })\n\
             export const mw = ({ ctx, next }) => { if (!ctx.auth?.userId) { throw new E() } return next() }\n\
             export const soft = ({ ctx, next }) => { console.log(ctx.auth.userId); return next() }\n",
        );
        assert_eq!(c.router_calls.len(), 1);
        assert!(
            c.router_calls[0]
                .options
                .iter()
                .any(|f| f.key == "createContext" && matches!(f.value, Binding::Function { .. }))
        );
        let mw = c.local_function("mw").unwrap();
        assert_eq!(c.functions[mw].param_checks.len(), 1);
        assert_eq!(
            c.functions[mw].param_checks[0].path,
            ["ctx", "auth", "userId"]
        );
        let soft = c.local_function("soft").unwrap();
        assert!(c.functions[soft].param_checks.is_empty());
    }

    #[test]
    fn deep_chains_and_objects_are_bounded() {
        let mut chain = String::from("export const a = make()");
        for _ in 0..300 {
            chain.push_str(".use(m)");
        }
        chain.push('\n');
        let mut obj = String::from("export const o = ");
        for _ in 0..200 {
            obj.push_str("{ k: ");
        }
        obj.push('1');
        for _ in 0..200 {
            obj.push_str(" }");
        }
        let c = facts(&format!("{chain}{obj}\n"));
        assert!(c.export("a").is_some());
        assert!(c.export("o").is_some());
    }
}
