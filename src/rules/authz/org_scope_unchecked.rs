use std::collections::HashSet;

use super::describe_entry;
use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::authz::{AuthzAnalyzer, has_org_segment};
use crate::project::routes::EntryKind;
use crate::rules::auth::clerk_app;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds route handlers, API routes, server actions and `[orgId]` pages that take an
    /// organization id (or slug) from the request — a route param (`[orgId]`,
    /// `params.orgId`, `const { orgId } = await params`), the query string
    /// (`searchParams.get('orgId')`, `req.query.orgId`), the body or form data, or a server
    /// action's argument — and pass it to a call that reads or writes data
    /// (`db.project.findMany({ where: { orgId } })`, `organizations.getOrganization(…)`, a
    /// project helper) before comparing it with the session's active organization or checking
    /// membership.
    ///
    /// Accepted checks, before the use: a comparison with the session's `orgId`/`orgSlug`
    /// (`if (orgId !== (await auth()).orgId) return 403`, `sessionClaims.org_id`), Clerk's
    /// membership lookups (`users.getOrganizationMembershipList`; an organization's list,
    /// `organizations.getOrganizationMembershipList({ organizationId })` or the app's own
    /// `getOrganizationMembers(orgId)`, only once the caller's id is looked for in it: `m
    /// .publicUserData?.userId === userId`, `ids.includes(userId)`, or a filter by it), a
    /// membership query or test (writing a membership row, `db.membership.create({ data: {
    /// userId, orgId } })`, joins the caller to the organization: a use, not a test)
    /// (`db.membership.findFirst({ where: { orgId, userId } })`, `allowedOrgs.includes(orgId)`,
    /// a lookup keyed by the caller's own `userId` as well, whatever the table:
    /// `userOrganization.findUnique({ where: { userId_orgId: { userId, orgId } } })`, or a
    /// query builder's chain filtered by both, `from('members').select().eq('user_id',
    /// user.id).eq('org_id', orgId).single()`, where `user` may be the app's own row of the
    /// caller looked up by the session's id; a read of the organization's row by the id
    /// counts as a use only when the row is passed on or returned before such a lookup keyed
    /// by the row's `id`),
    /// a comparison with the organization of a row looked up by a token the request
    /// carries (`const invite = await db.invite.findUnique({ where: { token } }); if
    /// (invite.organizationId !== orgId) return 400`: the unguessable token is what lets the
    /// caller in; a row named by a plain id is not),
    /// and a helper that receives the id and checks it (`await requireOrgMember(orgId)`, a
    /// project function that compares its argument with the session, also a method of a
    /// service the app instantiates that does, or a name listed in
    /// `auth_functions`/`role_functions`). `has({ role })` alone is not a check here: it tests
    /// the role in the *active* organization, not in the one the request names.
    ///
    /// ## Why is this bad?
    /// The id in the URL or body is chosen by the caller. Without comparing it with the
    /// organization the session belongs to, any signed-in user of any organization reaches
    /// every other organization's data by changing one path segment (an IDOR).
    ///
    /// ## Example
    /// ```ts
    /// // app/api/orgs/[orgId]/projects/route.ts
    /// export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
    ///   const { userId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   const { orgId } = await params
    ///   return Response.json(await db.project.findMany({ where: { orgId } }))
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
    ///   const { userId, orgId: activeOrgId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   const { orgId } = await params
    ///   if (orgId !== activeOrgId) return new Response('Forbidden', { status: 403 })
    ///   return Response.json(await db.project.findMany({ where: { orgId } }))
    /// }
    /// ```
    /// or scope the query by the session alone: `where: { orgId: activeOrgId }`.
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/organizations/overview
    /// - https://clerk.com/docs/guides/secure/authorization-checks
    /// - https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/
    pub struct OrgScopeUnchecked {
        id: "org-scope-unchecked",
        group: Group::Authz,
        severity: Severity::Warning,
        summary: "An organization id from the request is used without checking it against the session",
        keywords: &[],
    }
}

impl Rule for OrgScopeUnchecked {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        let mut az = AuthzAnalyzer::new(project);
        let mut seen = HashSet::new();
        for e in &project.entries {
            let wanted = match e.kind {
                EntryKind::RouteHandler | EntryKind::PagesApi | EntryKind::ServerAction => true,
                EntryKind::Page => e.url.as_deref().is_some_and(has_org_segment),
                // Convex apps keep organizations and memberships in their own tables and
                // check them with queries, not with the session's `orgId` this rule reads.
                EntryKind::ConvexFunction | EntryKind::ConvexHttpAction => false,
                _ => e.kind.is_endpoint(),
            };
            if !wanted || !clerk_app(project, e) || e.called_by_machine() {
                continue;
            }
            let Some(key) = az.entry_function(e) else {
                continue;
            };
            let Some(u) = az.org_unchecked(key, e.kind == EntryKind::ServerAction) else {
                continue;
            };
            let path = project.files[u.file].rel.to_string();
            if !seen.insert((path.clone(), u.span)) {
                continue;
            }
            let change = if e.kind == EntryKind::ServerAction {
                "changing the argument"
            } else {
                "changing the request"
            };
            let mut f = Finding::new(Self::META.id, Self::META.severity, path)
                .at(u.span)
                .message(format!(
                    "{} takes `{}` from {} and passes it to `{}()` without comparing it to the \
                     session's `orgId` or checking membership: a signed-in user of any \
                     organization reaches this one's data by {change}",
                    describe_entry(e),
                    u.name,
                    u.source,
                    u.callee
                ))
                .help(
                    "compare it with the active organization first — `const { orgId: \
                     activeOrgId } = await auth(); if (orgId !== activeOrgId) return new \
                     Response(null, { status: 403 })` — or check membership \
                     (`users.getOrganizationMembershipList({ userId })`) before using it",
                )
                .symbol(e.symbol.clone())
                .label("organization id from the request, unchecked")
                .anchor(format!("{} {} {}", e.symbol, u.name, u.callee));
            if let Some(url) = &e.url {
                f = f.route(url.clone());
            }
            out.push(f);
        }
    }
}
