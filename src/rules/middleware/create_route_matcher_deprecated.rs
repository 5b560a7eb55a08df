use crate::declare_rule;
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;
use crate::project::apps::{DeclaredRange, Version};
use crate::project::routes::Protection;
use crate::rules::{Group, Rule, RuleMeta};

/// The first `@clerk/nextjs` release that deprecates `createRouteMatcher()`.
const DEPRECATED_IN: Version = Version::new(7, 5, 14);

declare_rule! {
    /// ## What it does
    /// Reports (info) a middleware that protects routes with `createRouteMatcher()` when the
    /// installed `@clerk/nextjs` is 7.5.14 or later, the release that deprecates it "in favor
    /// of resource-based auth checks" (`packages/nextjs/CHANGELOG.md`, 7.5.14, PR #8994, read
    /// at clerk/javascript e21ae9a). Both forms count: the deny list
    /// (`if (isProtectedRoute(req)) await auth.protect()`) and the allow list
    /// (`if (!isPublicRoute(req)) await auth.protect()`). The finding points at the
    /// `createRouteMatcher([...])` list and counts the routes that rely on the middleware alone.
    ///
    /// The installed version is read as `vulnerable-dependency` reads it: the lockfile, else
    /// the lowest version the `package.json` range allows (`^7.5.0` is below the deprecation
    /// and is not reported). A middleware without `createRouteMatcher`, or an older SDK, is not
    /// reported.
    ///
    /// It also reports (warning) every import of `createRouteMatcher` from `@clerk/astro` or
    /// `@clerk/nuxt` in an app whose installed SDK no longer has it: removed in
    /// `@clerk/astro` 4.0.0 and `@clerk/nuxt` 3.0.0 (`packages/astro/CHANGELOG.md` §4.0.0,
    /// `packages/nuxt/CHANGELOG.md` §3.0.0). The import resolves to nothing: the build fails,
    /// or the gating it was written for is gone.
    ///
    /// It is a rule of its own rather than an entry of `data/advisories.toml`: a deprecation is
    /// guidance, not a vulnerability (no affected range, no fixed version), it applies to the
    /// newest releases instead of the oldest, and its finding belongs on the middleware, where
    /// the change is made, not on `package.json`.
    ///
    /// ## Why is this bad?
    /// Clerk's changelog: "Middleware-based auth checks rely on path matching, which can
    /// diverge from how Next.js routes requests and leave protected resources reachable."
    /// Every Next.js middleware bypass of 2025–2026 (CVE-2025-29927, CVE-2026-44574,
    /// CVE-2026-44575, GHSA-6gpp-xcg3-4w24) and Clerk's own matcher bypass (CVE-2026-41248)
    /// exposed exactly the routes whose only check was a path pattern; server actions are
    /// called by id, not by path, so a path list never covered them.
    ///
    /// ## Example
    /// ```ts
    /// import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
    /// const isProtectedRoute = createRouteMatcher(['/dashboard/:path*'])
    /// export default clerkMiddleware(async (auth, req) => {
    ///   if (isProtectedRoute(req)) await auth.protect()
    /// })
    /// ```
    /// with `@clerk/nextjs` 7.5.14 or later installed.
    ///
    /// ## Use instead
    /// ```ts
    /// // middleware.ts: authenticate every request, gate nothing by path
    /// import { clerkMiddleware } from '@clerk/nextjs/server'
    /// export default clerkMiddleware()
    ///
    /// // app/dashboard/layout.tsx (and each route handler, page and server action)
    /// import { auth } from '@clerk/nextjs/server'
    /// export default async function Layout({ children }: { children: React.ReactNode }) {
    ///   await auth.protect()
    ///   return children
    /// }
    /// ```
    /// A layout does not run for route handlers or server actions: protect those in the
    /// handler itself (`unprotected-route-handler` and `unprotected-server-action` find the
    /// ones that do not, and `clerk-guard fix` inserts the check).
    ///
    /// ## References
    /// - https://github.com/clerk/javascript/blob/main/packages/nextjs/CHANGELOG.md#7514
    /// - https://github.com/clerk/javascript/pull/8994
    /// - https://clerk.com/docs/guides/development/upgrading/upgrade-guides/migrate-from-create-route-matcher
    pub struct CreateRouteMatcherDeprecated {
        id: "create-route-matcher-deprecated",
        group: Group::Middleware,
        severity: Severity::Info,
        summary: "The middleware protects routes with createRouteMatcher(), deprecated in @clerk/nextjs 7.5.14",
        keywords: &[],
    }
}

impl Rule for CreateRouteMatcherDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        removed_imports(project, out);
        for m in &project.middlewares {
            let Some(app) = project.apps.get(m.app) else {
                continue;
            };
            let Some(inst) = app.clerk() else {
                continue;
            };
            if inst.version < DEPRECATED_IN {
                continue;
            }
            let matchers = m.route_matchers();
            let Some((first, _)) = matchers.first() else {
                continue;
            };
            let names: Vec<String> = matchers
                .iter()
                .map(|(rm, protects)| {
                    format!(
                        "`{}`, a list of {} routes",
                        rm.name,
                        if *protects { "protected" } else { "public" }
                    )
                })
                .collect();
            // The `createRouteMatcher([...])` list, where it is defined; else the middleware.
            let (file, span) = matcher_site(project, first, &m.file)
                .map(|(f, s)| (f, Some(s)))
                .unwrap_or_else(|| (m.file.clone(), m.span));
            let mut relying: Vec<&str> = project
                .entries
                .iter()
                .filter(|e| e.app == m.app && matches!(e.protection, Protection::Middleware(_)))
                .map(|e| e.url.as_deref().unwrap_or(&e.file))
                .collect();
            relying.sort_unstable();
            relying.dedup();
            let alone = match relying.as_slice() {
                [] => String::new(),
                [one] => format!("; `{one}` relies on it alone"),
                [one, rest @ ..] => {
                    format!("; `{one}` and {} more rely on it alone", rest.len())
                }
            };
            let range = inst.range.as_deref().unwrap_or("");
            let version = if inst.exact {
                format!("{} (per `{}`)", inst.version, inst.source)
            } else if DeclaredRange::exact(range).is_some() {
                format!(
                    "{} (pinned in `{}`; {})",
                    inst.version,
                    inst.source,
                    inst.no_lock()
                )
            } else {
                format!(
                    "{} (the lowest version the range `{range}` allows; {})",
                    inst.version,
                    inst.no_lock()
                )
            };
            let mut f = Finding::new(Self::META.id, Severity::Info, &file)
                .message(format!(
                    "The middleware protects routes with `createRouteMatcher` ({}), which \
                     `@clerk/nextjs` {version} deprecates in favor of a check in each resource{alone}",
                    names.join(", ")
                ))
                .help(
                    "protect each page, layout, route handler and server action itself with \
                     `await auth.protect()` (or `auth()` and a 401), and keep \
                     `clerkMiddleware()` for authenticating requests",
                )
                .anchor(format!("createRouteMatcher {}", m.file));
            if let Some(span) = span {
                f = f.at(span);
            }
            if file != m.file {
                f = f.related(m.file.clone(), m.span, "the middleware that uses it");
            }
            out.push(f);
        }
    }
}

/// The SDKs that removed `createRouteMatcher`, and the release that removed it.
const REMOVED_IN: [(&str, Version); 2] = [
    ("@clerk/astro", Version::new(4, 0, 0)),
    ("@clerk/nuxt", Version::new(3, 0, 0)),
];

/// Imports of `createRouteMatcher` from an SDK whose installed release removed it.
fn removed_imports(project: &Project, out: &mut Vec<Finding>) {
    for (i, app) in project.apps.iter().enumerate() {
        for (package, removed) in REMOVED_IN {
            let Some(inst) = crate::project::advisories::installed(app, package) else {
                continue;
            };
            if inst.version < removed {
                continue;
            }
            for f in &project.files {
                if !matches!(f.kind, crate::source::FileKind::Script(_))
                    || f.origin.build_output
                    || !f.hits.has("@clerk/")
                    || project.app_of(&f.rel) != Some(i)
                {
                    continue;
                }
                for imp in f.imports() {
                    let from_sdk = imp.source == package
                        || imp
                            .source
                            .strip_prefix(package)
                            .is_some_and(|rest| rest.starts_with('/'));
                    if !from_sdk || !imp.names.iter().any(|n| n.imported == "createRouteMatcher") {
                        continue;
                    }
                    out.push(
                        Finding::new(
                            CreateRouteMatcherDeprecated::META.id,
                            Severity::Warning,
                            &*f.rel,
                        )
                        .at(imp.source_span)
                        .message(format!(
                            "`createRouteMatcher` is imported from `{}`, but `{package}` {} \
                             (per `{}`) no longer has it: it was removed in {removed}",
                            imp.source, inst.version, inst.source
                        ))
                        .help(
                            "check the session in each page and endpoint instead \
                             (`Astro.locals.auth()` / `locals.auth()` in Astro, \
                             `event.context.auth()` in Nuxt server handlers)",
                        )
                        .anchor(format!("createRouteMatcher removed {package}")),
                    );
                }
            }
        }
    }
}

/// Where a route matcher's `createRouteMatcher([...])` list is written: (file, span).
fn matcher_site(
    project: &Project,
    rm: &crate::project::middleware::RouteMatcher,
    middleware: &str,
) -> Option<(String, Span)> {
    let file = rm.file.clone().unwrap_or_else(|| middleware.to_string());
    let list = project.file(&file)?.code()?.route_matchers.get(&rm.name)?;
    Some((file, list.span))
}
