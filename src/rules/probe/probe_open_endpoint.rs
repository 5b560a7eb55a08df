use crate::declare_rule;
use crate::finding::Severity;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reported by `clerk-guard probe`, never by `scan`. The probe sends each route of the
    /// app a request without a session cookie (safe methods only, unless `--methods` names
    /// more) and reports the routes that the static analysis found unprotected **and** that
    /// the running server served: a 2xx with a body, or a redirect that does not lead to a
    /// sign-in page. With a regular user's session (`--header 'Cookie: __session=…'`), it
    /// reports admin operations that served that user.
    ///
    /// ## Why is this bad?
    /// It is no longer a static suspicion: anyone who can reach the server gets the data, as
    /// the probe just did. This is the test Clerk's own checklist ends with: call every API
    /// endpoint directly, without a session, and see what answers.
    ///
    /// ## Example
    /// ```ts
    /// // app/api/orders/route.ts: no session check, and the middleware does not protect it
    /// export async function GET() {
    ///   return Response.json(await db.orders.findMany())
    /// }
    /// ```
    /// `clerk-guard probe --base-url http://127.0.0.1:3000` sends `GET /api/orders` with no
    /// cookie and gets `200` with the orders.
    ///
    /// ## Use instead
    /// ```ts
    /// import { auth } from '@clerk/nextjs/server'
    ///
    /// export async function GET() {
    ///   const { userId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   return Response.json(await db.orders.findMany({ where: { userId } }))
    /// }
    /// ```
    /// or protect the path with `auth.protect()` in the middleware. When the route is public
    /// on purpose, list it in `public_routes` of `clerk-guard.toml`.
    ///
    /// ## References
    /// - https://clerk.com/docs/references/nextjs/auth
    /// - https://clerk.com/docs/references/nextjs/clerk-middleware
    /// - https://nextjs.org/docs/app/guides/data-security
    pub struct ProbeOpenEndpoint {
        id: "probe-open-endpoint",
        group: Group::Probe,
        severity: Severity::Error,
        summary: "A route the analysis found unprotected served a request without a session",
        keywords: &[],
    }
}

impl Rule for ProbeOpenEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
