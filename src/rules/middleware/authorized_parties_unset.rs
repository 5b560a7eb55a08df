use crate::declare_rule;
use crate::facts::origins::{AuthApi, Options, OriginCall, Parties};
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;
use crate::project::advisories::installed;
use crate::project::apps::Version;
use crate::project::authz::AuthzAnalyzer;
use crate::project::guards::{Analyzer, Target};
use crate::rules::{FileCx, Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds the calls that authenticate requests with Clerk — `clerkMiddleware()` of
    /// `@clerk/nextjs` and `@clerk/express`, `clerkClient.authenticateRequest()` and
    /// `verifyToken()` of `@clerk/backend` (and their re-exports from `@clerk/nextjs/server`
    /// and `@clerk/express`) — that pass no `authorizedParties`, or a value that defeats it:
    ///
    /// - an empty list (`[]`): Clerk skips the check when the list is empty;
    /// - `'*'` or `'https://*.example.com'`: Clerk compares origins exactly, there are no
    ///   wildcards (the entry matches no token, and protects nothing before 3.11.1);
    /// - an `http://` origin on a host other than `localhost`/loopback (except in a branch
    ///   that only runs in development, `NODE_ENV === 'production' ? […] : ['http://…']`);
    /// - a list built from the request's own `Origin` or `Host` header
    ///   (`[req.headers.get('origin')]`, `req.nextUrl.origin`, `new URL(req.url).origin`):
    ///   every caller names itself as allowed.
    ///
    /// The options are followed where they are written as a name, a function or a ternary:
    /// `clerkMiddleware(handler, options)`, `clerkMiddleware(handler, (req) => ({ … }))`,
    /// `clerkMiddleware(handler, getOptions())`, spreads of local objects, and options
    /// imported from another module of the project (through the project's module resolver).
    /// Options the analysis cannot see into (a parameter, an external package) are not
    /// reported. `authMiddleware()` (v4/v5) is left to `deprecated-auth-middleware`.
    ///
    /// `clerkMiddleware()` without the option is reported once per running app, at the call
    /// registered on the app itself: an Express app that also runs `clerkMiddleware()` again
    /// in its routers (`router.get('/x', clerkMiddleware(), h)`) gets one finding at
    /// `app.use(clerkMiddleware())` naming the other calls; each `express()` app, and the
    /// Next.js middleware, gets its own. A `clerkMiddleware()` built by a top-level function
    /// that never runs is no app's configuration and is not reported: a helper of a shared
    /// package that nothing calls, in its module or in any module that imports it (through
    /// re-exports), when every importer is scanned (a module nothing imports still counts
    /// when it exports the function as `default` or another name a platform loads). Nor is
    /// the `clerkMiddleware()` of a middleware-named file Next.js does not load (a copy kept
    /// in `types/`) that no module imports.
    ///
    /// When the installed `@clerk/backend` is older than 3.11.1, the message adds that it did
    /// not enforce `azp` even when `authorizedParties` was set.
    ///
    /// **When it applies: always, in every app that uses Clerk.** Clerk's reference pages
    /// for `authenticateRequest()` and manual JWT verification recommend `authorizedParties`
    /// without condition ("highly recommended … Not setting this value can open your
    /// application to CSRF attacks"), and the production checklist repeats it
    /// (`clerk/clerk-docs` `docs/reference/backend/authenticate-request.mdx`,
    /// `docs/guides/sessions/manual-jwt-verification.mdx`,
    /// `docs/guides/development/deployment/production.mdx` "Configure `authorizedParties` for
    /// secure request authorization", at a7cebf5). Gating on a production signal was
    /// rejected: production keys live in the host's environment, not in the repository (a
    /// committed `pk_live_` key is itself a finding of other rules), and most deployments have
    /// no deploy file, so a gated rule would stay silent on the apps that need it. The code
    /// that ships is the code scanned: the same call runs in production, so the place to fix
    /// it is here (with the origins read from the environment so that development keeps
    /// `http://localhost:3000`).
    ///
    /// Facts from the SDK (`clerk/javascript` at e21ae9a): `assertAuthorizedPartiesClaim`
    /// (`packages/backend/src/jwt/assertions.ts`) returns early when the list is missing or
    /// empty, and otherwise requires `azp` to be one of the entries (`Array.includes`: exact
    /// match); `@clerk/backend` 3.11.1 (PR #8877, 2026-07-07) started rejecting tokens without
    /// `azp` when the list is set (before, a missing `azp` skipped the check); 3.0.0 only warns
    /// about cookie tokens without `azp` (`packages/backend/src/tokens/request.ts`). There is no
    /// environment variable for `authorizedParties`: it is only ever set in code.
    ///
    /// ## Why is this bad?
    /// A Clerk session token records the origin it was issued to in its `azp` claim. Without
    /// `authorizedParties`, the backend accepts a token issued to *any* origin of the same
    /// Clerk instance: an app on another subdomain of your root domain that is compromised (or
    /// simply less careful) can mint or leak session cookies your app will accept ("subdomain
    /// cookie leaking"), and cross-site requests carrying such a token are not told apart
    /// (CSRF).
    ///
    /// ## Example
    /// ```ts
    /// // middleware.ts
    /// import { clerkMiddleware } from '@clerk/nextjs/server'
    ///
    /// export default clerkMiddleware()
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// // middleware.ts
    /// import { clerkMiddleware } from '@clerk/nextjs/server'
    ///
    /// export default clerkMiddleware({
    ///   authorizedParties: ['https://example.com', 'https://www.example.com'],
    /// })
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/development/deployment/production#configure-authorized-parties-for-secure-request-authorization
    /// - https://clerk.com/docs/reference/backend/authenticate-request
    /// - https://clerk.com/docs/reference/nextjs/clerk-middleware#clerk-middleware-options
    /// - https://github.com/clerk/javascript/pull/8877
    pub struct AuthorizedPartiesUnset {
        id: "authorized-parties-unset",
        group: Group::Middleware,
        severity: Severity::Warning,
        summary: "Clerk authenticates requests without `authorizedParties` (or with a value that defeats it)",
        keywords: &["clerkMiddleware", "authenticateRequest", "verifyToken"],
    }
}

/// The first `@clerk/backend` that rejects tokens without `azp` when `authorizedParties` is set.
pub const AZP_ENFORCED: Version = Version::new(3, 11, 1);

const HELP: &str = "list the exact origins your frontend is served from in `authorizedParties`, \
                    for example from an `ALLOWED_ORIGINS` environment variable (which can also \
                    name localhost in development)";

impl Rule for AuthorizedPartiesUnset {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(code) = cx.facts.code() else {
            return;
        };
        // An example copy (`middleware.example.ts`) configures nothing that runs.
        if code.origins.calls.is_empty()
            || crate::facts::is_example_copy(crate::source::file_name(&cx.facts.rel))
        {
            return;
        }
        let project = cx.project;
        let Some(file) = project.file_index(&cx.facts.rel) else {
            return;
        };
        let old_backend = project
            .app_of(&cx.facts.rel)
            .and_then(|a| project.apps.get(a))
            .and_then(|a| installed(a, "@clerk/backend"))
            .filter(|v| v.version < AZP_ENFORCED)
            .map(|v| {
                // A version a lockfile names is installed; one a range allows at least is not.
                match v.range.as_deref() {
                    Some(range) if !v.exact => format!(
                        "`@clerk/backend` {} (the lowest version the range `{range}` in `{}` allows)",
                        v.version, v.source
                    ),
                    _ => format!("the installed `@clerk/backend` {}", v.version),
                }
            });
        for call in &code.origins.calls {
            if call.api == AuthApi::ClerkMiddleware
                && (in_function_never_run(project, file, call.span)
                    || never_loaded_middleware(project, file, &cx.facts.rel))
            {
                continue;
            }
            if call.api == AuthApi::AuthenticateRequest {
                let receiver = call.receiver.as_deref().unwrap_or("");
                if !AuthzAnalyzer::new(project).is_clerk_client(file, receiver) {
                    continue;
                }
            }
            let parties = parties_of(project, file, call);
            // One finding per app for `clerkMiddleware()` without the option: at the call
            // registered app-wide, naming the others.
            let mut others = Vec::new();
            if call.api == AuthApi::ClerkMiddleware && parties == Parties::Missing {
                let group = unset_middleware_group(project, file, call.span);
                if group
                    .first()
                    .is_some_and(|&first| first != (file, call.span))
                {
                    continue;
                }
                others = group[1.min(group.len())..].to_vec();
            }
            if let Some(mut f) = finding(cx, call, &parties, old_backend.as_deref()) {
                if !others.is_empty() {
                    let mut files: Vec<&str> = Vec::new();
                    for (o, _) in &others {
                        let rel = &*project.files[*o].rel;
                        if !files.contains(&rel) {
                            files.push(rel);
                        }
                    }
                    let more = if files.len() > 3 {
                        format!(" and {} more files", files.len() - 3)
                    } else {
                        String::new()
                    };
                    let shown: Vec<String> =
                        files.iter().take(3).map(|f| format!("`{f}`")).collect();
                    f.message = format!(
                        "{}; {} other `clerkMiddleware()` call(s) of this app pass none either ({}{more})",
                        f.message,
                        others.len(),
                        shown.join(", ")
                    );
                }
                out.push(f);
            }
        }
    }
}

/// A Next.js middleware file that Next.js does not load (a copy kept in `types/` or `docs/`,
/// one in the wrong folder: `middleware-not-loaded` reports those that look meant to run)
/// and that no module imports: its `clerkMiddleware()` runs nowhere.
fn never_loaded_middleware(project: &Project, file: usize, rel: &str) -> bool {
    if !crate::facts::is_middleware_name(crate::source::file_name(rel))
        // Where the middleware models were not built, nothing is known of what Next.js loads.
        || !project
            .app_of(rel)
            .is_some_and(|a| project.apps[a].is_next() && project.analyses_app(a))
        || project
            .middlewares
            .iter()
            .any(|m| m.file == rel && m.not_loaded.is_none())
    {
        return false;
    }
    project.imported_nowhere(file)
}

/// Whether the call sits in a top-level function that never runs (see
/// `Project::runs_nowhere`): a `clerkMiddleware()` built by a helper of a shared package that
/// nothing imports or calls configures no app. A call at module level, or in a function
/// something may call, runs.
fn in_function_never_run(project: &Project, file: usize, span: Span) -> bool {
    let Some(code) = project.files[file].code() else {
        return false;
    };
    code.functions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.top_level && f.range.start <= span.start && span.end <= f.range.end)
        .max_by_key(|(_, f)| f.range.end - f.range.start)
        .is_some_and(|(i, _)| project.runs_nowhere(file, i))
}

/// `authorizedParties` of a call, as its options give it.
fn parties_of(project: &Project, file: usize, call: &OriginCall) -> Parties {
    match &call.options {
        Options::Absent => Parties::Missing,
        Options::Object { parties } => parties.clone(),
        Options::Imported { local } => imported_parties(project, file, local),
        Options::Unknown { .. } => Parties::Unknown,
    }
}

/// The `clerkMiddleware()` calls without `authorizedParties` that configure the same running
/// app as the call at (`file`, `span`), the one to report first: the Next.js middleware file
/// is an app of its own; an Express call belongs to the `express()` app its registration is
/// mounted under (per-route `clerkMiddleware()` in routers repeats the app-wide one), any
/// other call to its package. The call registered on the app itself comes first, then by
/// path and position. Example copies are left out, as they are not reported.
fn unset_middleware_group(project: &Project, file: usize, span: Span) -> Vec<(usize, Span)> {
    let alone = vec![(file, span)];
    let next_middleware = |f: usize| {
        project
            .middlewares
            .iter()
            .any(|m| *m.file == *project.files[f].rel)
    };
    if next_middleware(file) {
        return alone;
    }
    let Some(app) = project.app_of(&project.files[file].rel) else {
        return alone;
    };
    let sites = crate::project::frameworks::express::clerk_middleware_sites(project, app);
    let site = |f: usize, s: Span| {
        sites
            .iter()
            .find(|(sf, ss, _, _)| *sf == f && ss.start <= s.start && s.end <= ss.end)
    };
    let key = site(file, span).map(|x| &x.2);
    let mut group: Vec<(bool, &str, usize, Span)> = Vec::new();
    for (f, facts) in project.files_of_app(app) {
        // Only the files this rule looks at (its keywords): the others are never parsed for it.
        if !facts.hits.has("clerkMiddleware") {
            continue;
        }
        let Some(code) = facts.code() else { continue };
        if code.origins.calls.is_empty()
            || next_middleware(f)
            || crate::facts::is_example_copy(crate::source::file_name(&facts.rel))
        {
            continue;
        }
        for c in &code.origins.calls {
            if c.api != AuthApi::ClerkMiddleware
                || parties_of(project, f, c) != Parties::Missing
                || in_function_never_run(project, f, c.span)
            {
                continue;
            }
            let at = site(f, c.span);
            if at.map(|x| &x.2) != key {
                continue;
            }
            let on_app = at.is_some_and(|x| x.3);
            group.push((!on_app, &facts.rel, f, c.span));
        }
    }
    group.sort_by(|a, b| (a.0, a.1, a.3.start).cmp(&(b.0, b.1, b.3.start)));
    if !group.iter().any(|g| (g.2, g.3) == (file, span)) {
        return alone;
    }
    group.into_iter().map(|(_, _, f, s)| (f, s)).collect()
}

/// `authorizedParties` of options imported from another module: the object (or the objects a
/// function returns) the project's resolver finds, as that module's facts judged it.
fn imported_parties(project: &Project, file: usize, local: &str) -> Parties {
    let Some(imp) = project.files[file]
        .code()
        .and_then(|c| c.imports.get(local))
    else {
        return Parties::Unknown;
    };
    let an = Analyzer::new(project);
    let objects_in = |f: usize, within: Span| -> Vec<Parties> {
        project.files[f]
            .code()
            .map(|c| {
                c.origins
                    .objects
                    .iter()
                    .filter(|o| o.span.start >= within.start && o.span.end <= within.end)
                    .map(|o| o.parties.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    match an.resolve_import(file, &imp.source, &imp.imported, 0) {
        Some(Target::Object {
            file: f2, fields, ..
        }) => {
            let Some(first) = fields.first() else {
                return Parties::Unknown;
            };
            // The innermost recorded object around one of its keys.
            project.files[f2]
                .code()
                .and_then(|c| {
                    c.origins
                        .objects
                        .iter()
                        .filter(|o| {
                            o.span.start <= first.span.start && first.span.end <= o.span.end
                        })
                        .min_by_key(|o| o.span.end - o.span.start)
                        .map(|o| o.parties.clone())
                })
                .unwrap_or(Parties::Unknown)
        }
        Some(Target::Function((f2, i))) => {
            let Some(range) = project.files[f2]
                .code()
                .and_then(|c| c.function(i))
                .map(|f| f.range)
            else {
                return Parties::Unknown;
            };
            objects_in(f2, range)
                .into_iter()
                .reduce(Parties::worst)
                .unwrap_or(Parties::Unknown)
        }
        _ => Parties::Unknown,
    }
}

fn finding(
    cx: &FileCx<'_>,
    call: &OriginCall,
    parties: &Parties,
    old_backend: Option<&str>,
) -> Option<Finding> {
    let api = match call.api {
        AuthApi::ClerkMiddleware => "`clerkMiddleware()`",
        AuthApi::AuthenticateRequest => "`authenticateRequest()`",
        AuthApi::VerifyToken => "`verifyToken()`",
    };
    let (span, mut message, label) = match parties {
        Parties::Set | Parties::Unknown => return None,
        Parties::Missing => (
            call.span,
            format!(
                "{api} is called without `authorizedParties`: Clerk accepts session tokens \
                 issued to any origin of the instance (subdomain cookie leaking, CSRF)"
            ),
            "no `authorizedParties`".to_string(),
        ),
        Parties::Empty { span } => (
            *span,
            format!(
                "{api} passes an empty `authorizedParties`: Clerk skips the origin check for \
                 an empty list, as if it were not set"
            ),
            "an empty list checks nothing".to_string(),
        ),
        Parties::Wildcard { span, value } => (
            *span,
            format!(
                "{api} lists `{value}` in `authorizedParties`: Clerk compares origins exactly \
                 and has no wildcards, so this entry allows no origin"
            ),
            "not a wildcard".to_string(),
        ),
        Parties::Http { span, value } => (
            *span,
            format!(
                "{api} allows the plain-HTTP origin `{value}` in `authorizedParties`: in \
                 production only `https://` origins should issue session tokens"
            ),
            "plain-HTTP origin".to_string(),
        ),
        Parties::FromRequest { span, text } => (
            *span,
            format!(
                "{api} builds `authorizedParties` from the request itself (`{text}`): every \
                 caller names its own origin as allowed, which defeats the check"
            ),
            "the caller chooses this".to_string(),
        ),
    };
    if let Some(v) = old_backend {
        message.push_str(&format!(
            "; also, {v} does not enforce `azp` even when \
             `authorizedParties` is set (a token without `azp` passes): upgrade to \
             {AZP_ENFORCED} or later"
        ));
    }
    let anchor = format!("{} {}", call.api.name(), label);
    Some(
        Finding::new(
            AuthorizedPartiesUnset::META.id,
            AuthorizedPartiesUnset::META.severity,
            &*cx.facts.rel,
        )
        .at(span)
        .message(message)
        .help(HELP)
        .label(label)
        .anchor(anchor),
    )
}
