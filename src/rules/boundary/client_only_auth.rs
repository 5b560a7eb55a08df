use crate::declare_rule;
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;
use crate::project::page_access::{OpenEndpoint, PageVerdict};
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds pages whose content is gated only in the browser: a Clerk check in client code
    /// decides what the page renders, and nothing on the server checks the session for the
    /// page's URL.
    ///
    /// Browser-side gates, in `'use client'` modules, Pages Router pages and the client
    /// components they render:
    /// - a `useAuth`/`useUser`/`useSession`/`useOrganization` result deciding what a
    ///   component renders: `if (!isSignedIn) return …`, `return user ? … : …`, a role check
    ///   on `user.publicMetadata` or `has({ role })`, a redirect in an effect
    ///   (`if (!isSignedIn) router.push('/sign-in')`), also through a custom `use…` hook of
    ///   the same module;
    /// - `<SignedIn>`, `<Protect>`, `<Show>` at the root of what a component renders, and
    ///   `<RedirectToSignIn>` anywhere. (`<SignedOut>` alone protects nothing, and a gate
    ///   around Clerk's own widgets — `<SignedIn><UserButton /></SignedIn>` — is UI.)
    ///
    /// A component the page renders that switches on the session (a condition on a hook, or
    /// `<SignedIn>`) between a sign-in button and what signed-in visitors see is UI as well
    /// when what they see is only markup, Clerk's components, a router's links, a package's
    /// components given constants (`<Button variant="outline">`) and the hook's own values
    /// (`Hi {user.firstName}`, `<SignOutButton>`, `<Link href="/dashboard">`): it hides
    /// nothing the server sent. The page's own gate is always reported.
    ///
    /// In a server component, `<SignedIn>`/`<Show>`/`<Protect>` call `auth()` and really gate
    /// rendering: they count as a server-side check. The page is followed into the components
    /// its JSX renders two levels deep (imports, barrel files, `next/dynamic`); gates deeper
    /// than that are not seen, nor are components only reached through props.
    ///
    /// The server protects the page when the middleware protects its URL (from the route
    /// model), when the page's server component or a `layout` above it checks the session
    /// (`auth()` and acting on the result, `auth.protect()`, `redirect`, directly or through
    /// a project helper), or, in the Pages Router, when `getServerSideProps` does
    /// (`getAuth(ctx.req)` and a redirect). Pages the middleware declares public are public
    /// on purpose and not reported.
    ///
    /// In a Nuxt app (`@clerk/nuxt`), page guards are browser-side by nature: a route
    /// middleware (`definePageMeta({ middleware: 'auth' })` naming `middleware/auth.ts`, an
    /// inline one, or a global `*.global.ts`, scoped by its `createRouteMatcher` list when it
    /// tests `to` with one) or the page's own `useAuth()` runs in the browser on every
    /// client-side navigation, and Clerk's `clerkMiddleware()` runs only on the first request.
    /// Such a page is reported (as an error) when it requests an endpoint of its app
    /// (`useFetch`, `$fetch`, `fetch`; directly, through a function of the auto-imported
    /// `composables/`/`utils/` folders or one it imports, or in a component its template
    /// renders, two levels deep, by Nuxt's path-based names such as `<DialogsJobForm>` or
    /// `<dialogs-job-form>`) that the route model reports unprotected: a `server/api`
    /// handler without an `event.context.auth()` check.
    ///
    /// The finding is a warning; it is an error when the gated client code requests an
    /// internal endpoint (`fetch`, `axios`, `useSWR`, with a literal or template path such as
    /// `/api/admin/users` or `` `/api/users/${id}` ``) that the route model reports
    /// unprotected: that is where the data actually leaks.
    ///
    /// ## Why is this bad?
    /// Everything a client component decides happens after the page and its code have been
    /// sent. Anyone can read the bundle, call the endpoints it calls, or turn the check off in
    /// the browser's devtools. Clerk's hooks and client control components only hide UI; the
    /// page and its data must be protected on the server.
    ///
    /// ## Example
    /// ```tsx
    /// // app/admin/page.tsx: no middleware protection for /admin
    /// 'use client'
    /// export default function Admin() {
    ///   const { user } = useUser()
    ///   const [users, setUsers] = useState([])
    ///   useEffect(() => { fetch('/api/admin/users').then((r) => r.json()).then(setUsers) }, [])
    ///   if (user?.publicMetadata.role !== 'admin') return <p>Forbidden</p>
    ///   return <UserTable users={users} />
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```tsx
    /// // app/admin/layout.tsx (a server component)
    /// import { auth } from '@clerk/nextjs/server'
    /// export default async function AdminLayout({ children }) {
    ///   await auth.protect({ role: 'org:admin' })
    ///   return children
    /// }
    /// ```
    /// and check the session (and role) in `app/api/admin/users/route.ts` itself.
    ///
    /// ## References
    /// - https://clerk.com/docs/references/nextjs/auth
    /// - https://clerk.com/docs/references/nextjs/read-session-data
    /// - https://nextjs.org/docs/app/guides/authentication
    /// - https://clerk.com/docs/nuxt/guides/secure/protect-content
    /// - https://clerk.com/docs/reference/nuxt/clerk-middleware
    pub struct ClientOnlyAuth {
        id: "client-only-auth",
        group: Group::Boundary,
        severity: Severity::Warning,
        summary: "A page gated only in the browser, with no server-side session check",
        keywords: &[],
        needs_clerk: true,
    }
}

impl Rule for ClientOnlyAuth {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        if !project.apps.iter().any(|a| a.uses_clerk) {
            return;
        }
        nuxt_pages(project, out);
        for access in project.page_access() {
            let PageVerdict::ClientOnly(c) = &access.verdict else {
                continue;
            };
            let entry = &project.entries[access.entry];
            if !project.app_uses_clerk(entry.app) {
                continue;
            }
            let url = entry.url.as_deref().unwrap_or("/");
            if declared_public(project, url) {
                // `public_routes` in clerk-guard.toml: public on purpose.
                continue;
            }
            let gate_rel = &project.files[c.gate_file].rel;
            let (span, label) = match c.path.first() {
                None => (c.gate.span, "gated only in the browser".to_string()),
                Some((_, span)) => (
                    *span,
                    format!("renders a component gated only in the browser (`{gate_rel}`)"),
                ),
            };
            let where_ = if c.path.is_empty() {
                String::new()
            } else {
                format!(" in `{gate_rel}`")
            };
            let mut message = format!(
                "Page `{url}` is gated only in the browser ({}{where_}); {}",
                c.gate.what, c.server
            );
            let severity = if c.open_endpoints.is_empty() {
                Self::META.severity
            } else {
                message.push_str(&format!(
                    "; its data comes from {}, which the server does not protect either",
                    endpoint_list(project, &c.open_endpoints)
                ));
                Severity::Error
            };
            let mut help = if is_pages_router(project, access.entry) {
                format!(
                    "check the session on the server: in `getServerSideProps`, `const {{ userId }} \
                     = getAuth(ctx.req)` and return a redirect when it is null, or protect `{url}` \
                     in the middleware; client-side checks only hide UI"
                )
            } else if project
                .file(&entry.file)
                .is_some_and(|f| f.is_client_module())
            {
                format!(
                    "check the session on the server: `await auth.protect()` in a server \
                     `layout` above this client page (or make the page a server component that \
                     checks it), or protect `{url}` in the middleware; client-side checks only \
                     hide UI"
                )
            } else {
                format!(
                    "check the session on the server: `await auth.protect()` in the page's server \
                     component or a layout above it, or protect `{url}` in the middleware; \
                     client-side checks only hide UI"
                )
            };
            if !c.open_endpoints.is_empty() {
                help.push_str(", so also verify the session in each endpoint it calls");
            }
            let mut f = Finding::new(Self::META.id, severity, &entry.file)
                .at(span)
                .message(message)
                .help(help)
                .label(label)
                .route(url)
                .anchor(format!("client-only {url}"));
            for (file, span) in c.path.iter().skip(1) {
                f = f.related(
                    project.files[*file].rel.to_string(),
                    Some(*span),
                    "renders the gated component",
                );
            }
            if !c.path.is_empty() {
                f = f.related(
                    gate_rel.to_string(),
                    Some(c.gate.span),
                    format!("gated in the browser: {}", c.gate.what),
                );
            }
            out.push(relate_open_endpoints(project, f, &c.open_endpoints, None));
        }
    }
}

/// Nuxt pages guarded only by browser-side code whose data comes from unprotected endpoints.
fn nuxt_pages(project: &Project, out: &mut Vec<Finding>) {
    use crate::project::frameworks::nuxt::client_only_pages;
    for c in client_only_pages(project) {
        let page = &project.files[c.page];
        if declared_public(project, &c.url) {
            continue;
        }
        let message = format!(
            "Nuxt page `{}` is guarded only in the browser ({}: Nuxt runs route middleware and \
             composables in the browser on client-side navigation, and they protect no request \
             to the server); its data comes from {}, which the server does not protect",
            c.url,
            c.guard,
            endpoint_list(project, &c.open_endpoints)
        );
        let (guard_file, guard_span) = c.guard_at;
        let span = if guard_file == c.page {
            guard_span
        } else {
            c.request_at
        };
        let mut f = Finding::new(ClientOnlyAuth::META.id, Severity::Error, &*page.rel)
            .at(span)
            .message(message)
            .help(
                "verify the session in each endpoint the page calls: `const { userId } = \
                 event.context.auth()` and `throw createError({ statusCode: 401 })` when it is \
                 null (or a `server/utils` helper that does); the page guard only hides UI",
            )
            .label("guarded only in the browser")
            .route(&c.url)
            .anchor(format!("client-only {}", c.url));
        if guard_file != c.page {
            f = f.related(
                project.files[guard_file].rel.to_string(),
                Some(guard_span),
                "the browser-side guard",
            );
        }
        out.push(relate_open_endpoints(
            project,
            f,
            &c.open_endpoints,
            Some((c.page, span)),
        ));
    }
}

/// The URL of an open endpoint's entry (`?` when it has none).
fn route_of<'p>(project: &'p Project, o: &OpenEndpoint) -> &'p str {
    project.entries[o.entry].url.as_deref().unwrap_or("?")
}

/// The open endpoints as a message lists them: `` `GET /api/a`, `POST /api/b` ``.
fn endpoint_list(project: &Project, open: &[OpenEndpoint]) -> String {
    let list: Vec<String> = open
        .iter()
        .map(|o| format!("`{} {}`", o.fetch.method, route_of(project, o)))
        .collect();
    list.join(", ")
}

/// The finding with, for each open endpoint, where it is requested (unless that is `at`, the
/// file and span the finding itself points to) and the handler that leaves it unprotected.
fn relate_open_endpoints(
    project: &Project,
    mut f: Finding,
    open: &[OpenEndpoint],
    at: Option<(usize, Span)>,
) -> Finding {
    for o in open {
        let e = &project.entries[o.entry];
        let route = route_of(project, o);
        if at != Some((o.file, o.fetch.span)) {
            f = f.related(
                project.files[o.file].rel.to_string(),
                Some(o.fetch.span),
                format!("requests `{} {route}`", o.fetch.method),
            );
        }
        f = f.related(
            e.file.clone(),
            Some(e.span),
            format!(
                "`{} {route}` is unprotected: {}",
                o.fetch.method,
                e.protection.detail()
            ),
        );
    }
    f
}

fn is_pages_router(project: &Project, entry: usize) -> bool {
    let e = &project.entries[entry];
    project
        .apps
        .get(e.app)
        .and_then(|a| a.pages_dir.as_deref())
        .is_some_and(|d| e.file.starts_with(&format!("{d}/")))
}

/// Whether `public_routes` of clerk-guard.toml declares every URL of the page public.
fn declared_public(project: &Project, url: &str) -> bool {
    use crate::project::matcher::{PathPattern, sample_paths};
    let samples = sample_paths(url);
    !samples.is_empty()
        && project.config.public_routes.iter().any(|p| {
            PathPattern::clerk_route(p)
                .ok()
                .is_some_and(|pat| samples.iter().all(|s| pat.is_match(s)))
        })
}
