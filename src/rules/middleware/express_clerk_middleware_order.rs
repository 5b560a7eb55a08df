use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::apps::Framework;
use crate::project::frameworks::express;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds Express routes whose handler (or a middleware in its chain) calls `getAuth(req)`
    /// of `@clerk/express` while no `clerkMiddleware()` runs before them: the app never
    /// registers it, registers it after the route, or on another router than the one the route
    /// is mounted under. Express runs middleware in registration order, so only routes
    /// registered after `app.use(clerkMiddleware())` (on the same app or a parent router) see
    /// the session. `requireAuth()` authenticates by itself and counts as registered.
    ///
    /// ## Why is this bad?
    /// `getAuth(req)` throws when `clerkMiddleware()` has not run on the request ("The
    /// clerkMiddleware should be registered before using getAuth"): the route answers 500 on
    /// every request. The usual "fix" under pressure is to drop the check, which leaves the
    /// route open.
    ///
    /// ## Example
    /// ```ts
    /// import express from 'express'
    /// import { clerkMiddleware, getAuth } from '@clerk/express'
    ///
    /// const app = express()
    /// app.get('/api/me', (req, res) => {
    ///   const { userId } = getAuth(req)
    ///   if (!userId) return res.status(401).end()
    ///   res.json({ userId })
    /// })
    /// app.use(clerkMiddleware())
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// const app = express()
    /// app.use(clerkMiddleware())
    /// app.get('/api/me', (req, res) => {
    ///   const { userId } = getAuth(req)
    ///   if (!userId) return res.status(401).end()
    ///   res.json({ userId })
    /// })
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/express/overview
    /// - https://clerk.com/docs/reference/express/clerk-middleware
    /// - https://expressjs.com/en/guide/using-middleware.html
    pub struct ExpressClerkMiddlewareOrder {
        id: "express-clerk-middleware-order",
        group: Group::Middleware,
        severity: Severity::Error,
        summary: "An Express route reads `getAuth(req)` but `clerkMiddleware()` does not run before it",
        keywords: &[],
    }
}

impl Rule for ExpressClerkMiddlewareOrder {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for (i, app) in project.apps.iter().enumerate() {
            if !app.uses_clerk || !app.has(Framework::Express) {
                continue;
            }
            let report = express::report(project, i);
            for r in &report.routes {
                if !r.uses_get_auth || r.authenticated_before {
                    continue;
                }
                let url = r.urls.first().map(String::as_str).unwrap_or("/");
                let file = &project.files[r.file].rel;
                let mut f = Finding::new(Self::META.id, Self::META.severity, file.to_string())
                    .at(r.span)
                    .symbol(r.method.clone())
                    .route(url)
                    .label("`getAuth(req)` throws here")
                    .anchor(format!("{} {url}", r.method));
                match report.clerk_middleware {
                    Some((mf, span)) => {
                        f = f
                            .message(format!(
                                "`{} {url}` (Express) calls `getAuth(req)`, but `clerkMiddleware()` is registered after it or on another router: `getAuth` throws and the route answers 500",
                                r.method
                            ))
                            .related(
                                project.files[mf].rel.to_string(),
                                Some(span),
                                "`clerkMiddleware()` is registered here".to_string(),
                            );
                    }
                    None => {
                        f = f.message(format!(
                            "`{} {url}` (Express) calls `getAuth(req)`, but the app never registers `clerkMiddleware()`: `getAuth` throws and the route answers 500",
                            r.method
                        ));
                    }
                }
                out.push(f.help(
                    "register `app.use(clerkMiddleware())` on the app before any route or router that reads the session",
                ));
            }
        }
    }
}
