use crate::declare_rule;
use crate::finding::Severity;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reported by `clerk-guard probe --as NAME=TOKEN …`, never by `scan`. For every entry
    /// that takes an organization id from its path (`/api/orgs/[orgId]/projects`) or its
    /// query string (`searchParams.get('orgId')`), the probe sends each named user's request
    /// with **another** organization's id: one given with `--other-org`, or the active
    /// organization (`o.id`) of another `--as` user, never the user's own. It reports the
    /// entries that answered with data (a 2xx with a body). A refusal confirms the
    /// organization check (`org-enforced` in the output). The finding says whether the static
    /// analysis had seen a check (`org-scope-unchecked` reports the ones it did not).
    ///
    /// ## Why is this bad?
    /// The organization id in the URL is chosen by the caller. A member of one organization
    /// just read another organization's data by changing one path segment: a broken
    /// object-level authorization (IDOR) across tenants.
    ///
    /// ## Example
    /// ```ts
    /// // app/api/orgs/[orgId]/projects/route.ts
    /// import { auth } from '@clerk/nextjs/server'
    ///
    /// export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
    ///   const { userId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   const { orgId } = await params
    ///   return Response.json(await db.project.findMany({ where: { orgId } }))
    /// }
    /// ```
    /// `clerk-guard probe --base-url http://127.0.0.1:3000 --as alice=$TOKEN_ORG_A --as
    /// bob=$TOKEN_ORG_B` sends alice's token to `/api/orgs/<org B>/projects` and gets org B's
    /// projects.
    ///
    /// ## Use instead
    /// ```ts
    /// import { auth } from '@clerk/nextjs/server'
    ///
    /// export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
    ///   const { userId, orgId: activeOrgId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   const { orgId } = await params
    ///   if (orgId !== activeOrgId) return new Response('Forbidden', { status: 403 })
    ///   return Response.json(await db.project.findMany({ where: { orgId } }))
    /// }
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/organizations/overview
    /// - https://clerk.com/docs/guides/secure/authorization-checks
    /// - https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/
    pub struct ProbeOrgBypass {
        id: "probe-org-bypass",
        group: Group::Probe,
        severity: Severity::Error,
        summary: "An organization-scoped endpoint served data for another organization's id",
        keywords: &[],
    }
}

impl Rule for ProbeOrgBypass {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
