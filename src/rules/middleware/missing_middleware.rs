use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::middleware::expected_dir;
use crate::rules::{Group, Rule, RuleMeta};
use crate::source::join_rel;

declare_rule! {
    /// ## What it does
    /// Reports a Next.js app that uses `@clerk/nextjs` but has no `middleware.ts` (Next.js ≤15)
    /// or `proxy.ts` (Next.js 16) at all. An app that imports Clerk without declaring it (a
    /// package hoisted in a monorepo) is reported only when a module Next.js may load imports
    /// it: a file of its `app/` or `pages/` tree, or a module something imports; leftover
    /// components nothing imports run no Clerk code. A package without `app/` or `pages/` (a
    /// workspace library that depends on `next`) is no app Next.js builds, and is not reported.
    ///
    /// ## Why is this bad?
    /// Clerk's server helpers (`auth()`, `currentUser()`, `getAuth()`) need `clerkMiddleware()`
    /// to run first: without it they throw on every request, and nothing path-based protects
    /// any route. Teams then "fix" the errors by removing the checks.
    ///
    /// ## Example
    /// An app with `app/api/projects/route.ts` calling `auth()` and no middleware file.
    ///
    /// ## Use instead
    /// ```ts
    /// // middleware.ts (proxy.ts on Next.js 16), next to app/ — or in src/ when the app lives in src/
    /// import { clerkMiddleware } from '@clerk/nextjs/server'
    ///
    /// export default clerkMiddleware()
    ///
    /// export const config = {
    ///   matcher: [
    ///     '/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)',
    ///     '/(api|trpc)(.*)',
    ///   ],
    /// }
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/nextjs/clerk-middleware
    /// - https://nextjs.org/docs/app/api-reference/file-conventions/proxy
    pub struct MissingMiddleware {
        id: "missing-middleware",
        group: Group::Middleware,
        severity: Severity::Error,
        summary: "An app that uses Clerk has no middleware/proxy file",
        keywords: &[],
    }
}

impl Rule for MissingMiddleware {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for (i, app) in project.apps.iter().enumerate() {
            if !app.uses_clerk
                || !app.is_next()
                // Next.js builds no app without `app/` or `pages/`: a workspace library that
                // depends on `next` has nothing for a middleware to run in front of.
                || (app.app_dir.is_none() && app.pages_dir.is_none())
                || project.middlewares.iter().any(|m| m.app == i)
                || !project.clerk_in_live_code(i)
            {
                continue;
            }
            let name = if app.next_major().is_some_and(|m| m >= 16) {
                "proxy.ts"
            } else {
                "middleware.ts"
            };
            let expected = join_rel(&expected_dir(app), name);
            let path = app
                .package_json
                .clone()
                .unwrap_or_else(|| join_rel(&app.root, "package.json"));
            let label = if app.root.is_empty() {
                "The app".to_string()
            } else {
                format!("The app `{}`", app.root)
            };
            // Point at the `@clerk/nextjs` dependency when there is one.
            let span = project.file(&path).and_then(|f| {
                f.text()
                    .find("\"@clerk/nextjs\"")
                    .map(|at| crate::finding::Span::new(at, at + "\"@clerk/nextjs\"".len()))
            });
            let mut finding = Finding::new(Self::META.id, Self::META.severity, path);
            if let Some(span) = span {
                finding = finding.at(span);
            }
            out.push(
                finding
                    .message(format!(
                        "{label} uses @clerk/nextjs but has no middleware: `auth()` throws on every request and no route is protected by path"
                    ))
                    .help(format!(
                        "create `{expected}` exporting `clerkMiddleware()` with Clerk's recommended `config.matcher`"
                    ))
                    .anchor(format!("missing middleware {}", app.root)),
            );
        }
    }
}
