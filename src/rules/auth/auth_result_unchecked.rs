use crate::declare_rule;
use crate::facts::code::SessionCall;
use crate::finding::{Finding, Severity};
use crate::project::guards::Analyzer;
use crate::project::routes::Protection;
use crate::rules::{FileCx, Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds calls of Clerk's session APIs whose result nothing acts on:
    /// - `auth()`, `getAuth(req)` or `currentUser()` called, but no condition, `throw`,
    ///   `redirect`, `has()` or `protect()` ever looks at the result (using `userId` only as
    ///   data, e.g. in a query, is not a check);
    /// - `const { userId } = auth()` without `await` in `@clerk/nextjs` v6+, where `auth()`
    ///   returns a Promise: `userId` is always `undefined`;
    /// - `auth().protect()` in v6+, where `protect` is not on the Promise (use
    ///   `await auth.protect()`).
    ///
    /// Test files (`*.test.ts`, `*.spec.ts`, `__tests__/`) are not looked at: nothing serves
    /// them. Calls in a file whose route the middleware protects are only reported for the v6
    /// mistakes: there the middleware guarantees a session. So are calls in a component (a
    /// file with no entry of its own) that only pages the middleware protects import, directly
    /// or through up to two other such components. The same holds for a handler that
    /// every route registering it runs behind a middleware of its chain that verifies the
    /// session (Express `router.post('/x', requireSignedIn, handler)`, a `preHandler`): the
    /// handler's own `getAuth(req)` then always has a user. Nor is a call reported that
    /// follows, in the same function, a check at the top level of its body that turns a
    /// signed-out request away (`if (!userId) redirect('/sign-in')`, then `currentUser()`),
    /// or a test of an earlier session result that leaves the function, in a block on the
    /// path to the call (`if (!isPublic(req)) { const { userId } = await auth(); if
    /// (!userId) return redirectToSignIn(); if (isAdminRoute(req)) { const { sessionClaims }
    /// = await auth(); … } }`).
    /// Nor is a call reported whose statement is followed, in its block, by such a test of an
    /// earlier result with nothing between them that uses its own result (`const { userId } =
    /// await auth(); const user = await currentUser(); if (!userId) return 401`).
    /// A result stored on the request (`req.auth = getAuth(req)`, Express's custom) is followed
    /// under that path: `if (!req.auth.userId)` acts on it, `if (!req.auth)` does not (the
    /// object is always there).
    /// A result handed on is acted on where it goes: to a project function that tests it (its
    /// first parameter, or the parameter or object key the value is handed in when the
    /// function refuses to go on without it: `getLocations({ id: orgId })` into a function
    /// whose body starts with `if (!id) return []`), to a
    /// component, or to the continuation of a middleware (`next({ ctx: { userId } })`,
    /// TanStack Start's `ctx.next({ context: { userId } })`), whose handlers test it, or to
    /// a tRPC router's server-side caller (`appRouter.createCaller({ userId })`, a caller
    /// made by `createCallerFactory`) when a procedure's `.use()` middleware rejects a
    /// missing session value of that context: the context is read as the one `createContext`
    /// builds for the route handler (a `createContext` that returns the values hands them to
    /// its caller, the adapter, and is not reported either).
    ///
    /// ## Why is this bad?
    /// Calling `auth()` does not protect anything by itself: a signed-out request gets
    /// `userId: null` and the code carries on. A query filtered by a `null` owner can return
    /// other users' rows, and an unawaited `auth()` makes every request look signed out (or
    /// crash), so the handler is either open or broken.
    ///
    /// ## Example
    /// ```ts
    /// export async function GET() {
    ///   const { userId } = auth() // v6: a Promise, userId is undefined
    ///   return Response.json(await db.note.findMany({ where: { userId } }))
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// export async function GET() {
    ///   const { userId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   return Response.json(await db.note.findMany({ where: { userId } }))
    /// }
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/nextjs/app-router/auth
    /// - https://clerk.com/changelog/2024-10-22-clerk-nextjs-v6
    pub struct AuthResultUnchecked {
        id: "auth-result-unchecked",
        group: Group::Auth,
        severity: Severity::Error,
        summary: "auth()/getAuth()/currentUser() is called but nothing acts on the result",
        keywords: &["auth(", "currentUser", "getAuth"],
    }
}

impl Rule for AuthResultUnchecked {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fixes(&self, cx: &crate::fix::FixCx, f: &Finding) -> Vec<crate::fix::Fix> {
        let fix = if f.message.contains("not awaited") {
            crate::fix::session::add_await(cx, f, Self::META.id)
        } else {
            crate::fix::session::check_result(cx, f, Self::META.id)
        };
        fix.into_iter().collect()
    }

    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let facts = cx.facts;
        // A test calls the session APIs to see what they answer; nothing serves it.
        if !facts.code_is_parsed() || crate::source::is_test_file(&facts.rel) {
            return;
        }
        let Some(code) = facts.code() else { return };
        let Some(app) = cx.project.app_of(&facts.rel).map(|i| &cx.project.apps[i]) else {
            return;
        };
        if !app.uses_clerk {
            return;
        }
        if code.auth_calls.is_empty() {
            return;
        }
        let Some(file) = cx.project.file_index(&facts.rel) else {
            return;
        };
        let v6 = app.clerk_major().is_some_and(|m| m >= 6);
        let entries = || cx.project.entries_in(file).map(|i| &cx.project.entries[i]);
        let own_entries = entries().any(|e| *e.file == *facts.rel);
        let middleware_protected = entries()
            .any(|e| *e.file == *facts.rel && matches!(e.protection, Protection::Middleware(_)));
        // Asked only when a call would be reported (it resolves imports of other files).
        let behind_pages = std::cell::OnceCell::new();
        let rendered_behind = || {
            *behind_pages.get_or_init(|| {
                !own_entries && rendered_only_behind_middleware(cx.project, file, 0)
            })
        };
        let behind_a_chain = chain_protected_functions(entries(), file);
        let chain_protected = |call: &crate::facts::code::AuthCall| {
            behind_a_chain.iter().any(|&i| {
                call.function == Some(i)
                    || code.functions.get(i).is_some_and(|f| {
                        f.range.start <= call.span.start && call.span.end <= f.range.end
                    })
            })
        };
        for call in &code.auth_calls {
            let name = match call.kind {
                SessionCall::Auth | SessionCall::Protect => "auth",
                SessionCall::CurrentUser => "currentUser",
                SessionCall::GetAuth => "getAuth",
                SessionCall::Verify => continue,
            };
            let (message, help) = if call.v5_protect && v6 {
                (
                    "`auth().protect()` does not exist in @clerk/nextjs v6+: `auth()` returns a Promise, so this throws a TypeError".to_string(),
                    "use `await auth.protect()`".to_string(),
                )
            } else if call.destructured_without_await && v6 && call.kind == SessionCall::Auth {
                (
                    "`auth()` is not awaited: in @clerk/nextjs v6+ it returns a Promise, so the destructured `userId` is always undefined".to_string(),
                    "write `const { userId } = await auth()` (in an async function)".to_string(),
                )
            } else if !call.checked
                && !call.past_a_check
                && !after_a_session_check(code, call)
                && !middleware_protected
                && !chain_protected(call)
                && !handed_to_a_check(cx, code, call)
                && !rendered_behind()
            {
                (
                    format!("The result of `{name}()` is never checked: a signed-out request carries on with a null user"),
                    "return 401 (or throw/redirect) when `userId` is null, or call `await auth.protect()`".to_string(),
                )
            } else {
                continue;
            };
            out.push(
                Finding::new(Self::META.id, Self::META.severity, &*facts.rel)
                    .at(call.span)
                    .message(message)
                    .help(help),
            );
        }
    }
}

/// Whether the function that makes the call has already turned a signed-out request away: a
/// check of the session at the top level of its body, before the call, that leaves the
/// function (`if (!userId) redirect('/sign-in')`). Past it the request has a user, so a later
/// `currentUser()` needs no test of its own.
fn after_a_session_check(
    code: &crate::facts::code::CodeFacts,
    call: &crate::facts::code::AuthCall,
) -> bool {
    use crate::facts::code::Step;
    use crate::facts::evidence::CheckClass;
    call.function
        .and_then(|i| code.function(i))
        .is_some_and(|f| {
            f.steps.iter().any(|s| {
                matches!(s, Step::Check { check, span, .. }
                    if check.class() == CheckClass::User && span.end <= call.span.start)
            })
        })
}

/// Whether every file that imports file `file` at run time is a page the middleware protects
/// (each of its entries a page behind the middleware), or a component that only such pages
/// import, `depth` levels up at most: a server component's session call then always has a
/// session. A file nothing imports, or that an entry of another kind or an unprotected page
/// imports, is not.
fn rendered_only_behind_middleware(
    project: &crate::project::Project,
    file: usize,
    depth: usize,
) -> bool {
    use crate::project::routes::EntryKind;
    let importers = project.runtime_importers(file);
    for &from in &importers {
        let rel = &*project.files[from].rel;
        let mut own = project
            .entries_in(from)
            .map(|i| &project.entries[i])
            .filter(|e| *e.file == *rel)
            .peekable();
        let behind = if own.peek().is_some() {
            own.all(|e| {
                e.kind == EntryKind::Page && matches!(e.protection, Protection::Middleware(_))
            })
        } else {
            depth < 2 && rendered_only_behind_middleware(project, from, depth + 1)
        };
        if !behind {
            return false;
        }
    }
    !importers.is_empty()
}

/// The functions of file `file` that are the handler of some of `entries`, where every entry
/// whose handler it is runs behind a function of its chain that verifies the session.
fn chain_protected_functions<'a>(
    entries: impl Iterator<Item = &'a crate::project::routes::Entry>,
    file: usize,
) -> Vec<usize> {
    use crate::facts::code::Binding;
    use crate::project::guards::Target;
    // Function indices a binding names directly or as a wrapper's argument (`asyncHandler(fn)`).
    fn functions_of(b: &Binding, out: &mut Vec<usize>, depth: usize) {
        match b {
            Binding::Function { index } => out.push(*index),
            Binding::Call { args, .. } if depth < 4 => {
                for a in args {
                    functions_of(a, out, depth + 1);
                }
            }
            _ => {}
        }
    }
    let mut verdicts: std::collections::BTreeMap<usize, bool> = Default::default();
    for e in entries {
        let mut handlers = Vec::new();
        match &e.target {
            Some(Target::Function((f, i))) if *f == file => handlers.push(*i),
            Some(Target::Call { file: f, args, .. }) if *f == file => {
                for a in args {
                    functions_of(a, &mut handlers, 0);
                }
            }
            _ => {}
        }
        let behind = !e.chain.is_empty()
            && matches!(
                e.protection,
                Protection::Guard { .. } | Protection::Middleware(_)
            );
        for h in handlers {
            let v = verdicts.entry(h).or_insert(true);
            *v = *v && behind;
        }
    }
    verdicts
        .into_iter()
        .filter_map(|(i, all)| all.then_some(i))
        .collect()
}

/// Whether an unchecked result is handed on to something that decides: a component (a JSX
/// attribute), the continuation the framework passed in (`next({ ctx: { userId } })`), or a
/// project function that tests what it is given or guards the session itself.
fn handed_to_a_check(
    cx: &FileCx<'_>,
    code: &crate::facts::code::CodeFacts,
    call: &crate::facts::code::AuthCall,
) -> bool {
    if call.handed_to.is_empty() {
        return false;
    }
    let params: &[String] = call
        .function
        .and_then(|i| code.function(i))
        .map(|f| f.param_names.as_slice())
        .unwrap_or(&[]);
    let Some(file) = cx.project.file_index(&cx.facts.rel) else {
        return false;
    };
    let mut an = Analyzer::new(cx.project);
    call.handed_to.iter().any(|handoff| {
        let callee = &handoff.callee;
        if callee.len() == 1 && (callee[0] == "<jsx>" || params.contains(&callee[0])) {
            return true;
        }
        // `ctx.next({ context: { userId } })`: the continuation, read off the parameter.
        if let [param, next] = callee.as_slice()
            && next == "next"
            && params.contains(param)
        {
            return true;
        }
        // `appRouter.createCaller({ userId })`, or a caller made by `createCallerFactory`:
        // the context of the router's procedures, read as the one `createContext` builds:
        // acted on when a procedure's middleware rejects a missing session value of it.
        if (callee.len() == 1 || callee.last().is_some_and(|m| m == "createCaller"))
            && handoff.slot.as_ref().is_none_or(|s| s.index == 0)
            && an
                .caller_context_test(file, callee, cx.facts.rel.to_string())
                .is_some()
        {
            return true;
        }
        let Some(k) = an.resolve_fn(file, callee) else {
            return false;
        };
        // It tests its first parameter, or refuses to go on without the value where it is
        // handed (`getLocations({ id: orgId })` into `({ id }) => { if (!id) return [] … }`).
        let tests = cx
            .project
            .files
            .get(k.0)
            .and_then(|f| f.code())
            .and_then(|c| c.function(k.1))
            .is_some_and(|f| {
                f.tests_first_param
                    || handoff
                        .slot
                        .as_ref()
                        .is_some_and(|s| f.refused_params.iter().any(|r| r.covers(s)))
            });
        tests || {
            let s = an.summary(k);
            s.guard.is_some() || s.return_guard.is_some()
        }
    })
}
