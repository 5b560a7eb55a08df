use crate::declare_rule;
use crate::finding::Severity;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reported by `clerk-guard probe`, never by `scan`. It reports a route that the static
    /// analysis considers protected (a check in the handler, a guard function, `auth.protect()`
    /// in the middleware) but that the running server served to a request without a session:
    /// a 2xx with a body, or a redirect that does not lead to a sign-in page. With a regular
    /// user's session (`--header 'Cookie: …'`), it reports an admin operation whose role check
    /// the analysis found but that served that user.
    ///
    /// ## Why is this bad?
    /// It is the most urgent finding: the code looks protected to a reviewer and to
    /// clerk-guard, yet the data is public. Typical causes are a helper listed in
    /// `auth_functions` that does not actually reject anyone, a middleware that is not the
    /// one Next.js loads (a build or deployment difference), a matcher that behaves
    /// differently at runtime, or a role check that does not hold.
    ///
    /// ## Example
    /// ```ts
    /// // lib/auth.ts, listed in `auth_functions` of clerk-guard.toml
    /// export async function requireUser() {
    ///   const { userId } = await auth()
    ///   return userId // never rejects a signed-out request
    /// }
    /// // app/api/reports/route.ts
    /// export async function GET() {
    ///   await requireUser()
    ///   return Response.json(await db.reports.findMany())
    /// }
    /// ```
    /// The probe's `GET /api/reports` without a cookie gets `200` with the reports.
    ///
    /// ## Use instead
    /// ```ts
    /// export async function requireUser() {
    ///   const { userId } = await auth()
    ///   if (!userId) throw new Response('Unauthorized', { status: 401 })
    ///   return userId
    /// }
    /// ```
    /// Make the check reject the request, then run the probe again; if the static evidence was
    /// wrong, fix the configuration (`auth_functions`, `role_functions`) that produced it.
    ///
    /// ## References
    /// - https://clerk.com/docs/references/nextjs/auth
    /// - https://clerk.com/docs/references/nextjs/clerk-middleware
    /// - https://nextjs.org/docs/app/guides/data-security
    pub struct ProbeContradiction {
        id: "probe-contradiction",
        group: Group::Probe,
        severity: Severity::Error,
        summary: "A route the analysis found protected served a request without a session",
        keywords: &[],
    }
}

impl Rule for ProbeContradiction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
