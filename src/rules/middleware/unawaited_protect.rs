use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds `auth.protect()` calls in a `clerkMiddleware` callback (or a local function it
    /// calls) that are neither awaited nor returned, when the installed `@clerk/nextjs` is v6
    /// or later: `if (isProtectedRoute(req)) auth.protect()`. Such a call protects nothing,
    /// so the paths it was meant to guard count as not protected by the middleware (and
    /// handlers there are judged on their own checks).
    ///
    /// `await auth.protect()`, `return auth.protect()` and an arrow function whose body is
    /// the call (`(auth) => auth.protect()`) hand the promise to `clerkMiddleware`, which
    /// awaits it. In v5 the middleware's `auth` is called first (`auth().protect()`), which
    /// is synchronous and throws: it is not reported.
    ///
    /// ## Why is this bad?
    /// In v6 `auth.protect()` is an async function: for a signed-out request it rejects
    /// (with a redirect to sign-in, or a 404), it does not throw. `clerkMiddleware` awaits
    /// the callback's result and turns a rejection into that response, but a promise nobody
    /// awaits rejects after the callback has returned: the request has already gone through
    /// to the page or the route handler, signed out. (`createMiddlewareProtect` and
    /// `createProtect` in `packages/nextjs/src/server/` of `clerk/javascript` return `async`
    /// functions since `@clerk/nextjs` 6.0.0; 5.7.5's `createProtect` was synchronous.)
    ///
    /// ## Example
    /// ```ts
    /// export default clerkMiddleware(async (auth, req) => {
    ///   if (isProtectedRoute(req)) auth.protect()
    /// })
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// export default clerkMiddleware(async (auth, req) => {
    ///   if (isProtectedRoute(req)) await auth.protect()
    /// })
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/nextjs/clerk-middleware
    /// - https://clerk.com/changelog/2024-10-22-clerk-nextjs-v6
    pub struct UnawaitedProtect {
        id: "unawaited-protect",
        group: Group::Middleware,
        severity: Severity::Error,
        summary: "auth.protect() in the middleware is neither awaited nor returned (v6+): it protects nothing",
        keywords: &[],
    }
}

impl Rule for UnawaitedProtect {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fixes(&self, cx: &crate::fix::FixCx, f: &Finding) -> Vec<crate::fix::Fix> {
        crate::fix::session::add_await_to(cx, f, Self::META.id, "auth.protect()")
            .into_iter()
            .collect()
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for m in &project.middlewares {
            if !m.loaded() || !project.apps[m.app].uses_clerk {
                continue;
            }
            for (span, how) in m.unawaited_protects() {
                out.push(
                    Finding::new(Self::META.id, Self::META.severity, &m.file)
                        .at(span)
                        .message(format!(
                            "`{how}` is neither awaited nor returned: in @clerk/nextjs v6+ it returns a promise, so `clerkMiddleware` never sees it reject and a signed-out request goes through"
                        ))
                        .help("write `await auth.protect()` (or `return auth.protect()`)")
                        .label("not awaited")
                        .anchor(format!("unawaited protect {} {how}", m.file)),
                );
            }
        }
    }
}
