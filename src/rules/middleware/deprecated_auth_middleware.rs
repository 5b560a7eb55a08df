use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `authMiddleware()`, deprecated in `@clerk/nextjs` v5 and removed in v6 (error
    /// when the installed major no longer has it, warning otherwise). Every call of Clerk's
    /// `authMiddleware` in the middleware file counts, also inside a wrapper
    /// (`export default (req, ev) => authMiddleware({…})(req, ev)`, `chain([withAuth])`) and
    /// in CommonJS (`const { authMiddleware } = require('@clerk/nextjs/server')`).
    ///
    /// ## Why is this bad?
    /// On v6+ the import does not exist and the app does not build or run its middleware. On
    /// v5 it still works, but it protects every route by default while `clerkMiddleware()`
    /// protects none: migrating without rewriting the protection silently opens every route.
    ///
    /// ## Example
    /// ```ts
    /// import { authMiddleware } from '@clerk/nextjs'
    /// export default authMiddleware({ publicRoutes: ['/'] })
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
    /// const isPublicRoute = createRouteMatcher(['/'])
    /// export default clerkMiddleware(async (auth, req) => {
    ///   if (!isPublicRoute(req)) await auth.protect()
    /// })
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/upgrade-guides/core-2/nextjs#migrating-to-clerk-middleware
    /// - https://clerk.com/changelog/2024-10-22-clerk-nextjs-v6
    pub struct DeprecatedAuthMiddleware {
        id: "deprecated-auth-middleware",
        group: Group::Middleware,
        severity: Severity::Warning,
        summary: "authMiddleware() is deprecated (removed in @clerk/nextjs v6)",
        keywords: &[],
    }
}

impl Rule for DeprecatedAuthMiddleware {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fixes(&self, cx: &crate::fix::FixCx, f: &Finding) -> Vec<crate::fix::Fix> {
        crate::fix::edit::migrate_auth_middleware(cx, f)
            .into_iter()
            .collect()
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for m in &project.middlewares {
            // The exported middleware, and any other call (a wrapper that builds it).
            let mut spans: Vec<crate::finding::Span> = m.auth_middleware.iter().copied().collect();
            for s in &m.auth_middleware_calls {
                if !spans.iter().any(|x| x.start == s.start) {
                    spans.push(*s);
                }
            }
            for span in spans {
                let app = &project.apps[m.app];
                let installed = app.clerk().map(|c| c.version);
                let removed = installed.is_some_and(|v| v.major >= 6);
                let (severity, message) = if removed {
                    (
                        Severity::Error,
                        format!(
                            "`authMiddleware` was removed in @clerk/nextjs v6, and {} is installed: this middleware does not exist",
                            installed.map(|v| v.to_string()).unwrap_or_default()
                        ),
                    )
                } else {
                    (
                        Self::META.severity,
                        "`authMiddleware` is deprecated since @clerk/nextjs v5 and removed in v6"
                            .to_string(),
                    )
                };
                out.push(
                Finding::new(Self::META.id, severity, &m.file)
                    .at(span)
                    .message(message)
                    .help("migrate to `clerkMiddleware()` and protect non-public routes explicitly with `auth.protect()`")
                    .anchor(format!("authMiddleware {}", m.file)),
            );
            }
        }
    }
}
