use crate::declare_rule;
use crate::finding::Severity;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reported by `clerk-guard probe --as NAME=TOKEN …`, never by `scan`. The probe sends
    /// the same safe requests with each named user's Clerk session token (as
    /// `Authorization: Bearer`) to every entry that the authorization analysis says requires
    /// a role or permission (`has({ role })`, `auth.protect({ role })`, a role helper, a role
    /// check in the middleware), and to every entry that performs an administrative operation
    /// (a Clerk Backend API mutation, an `admin` URL segment: what `missing-role-check`
    /// reports). It reports the entries that answered a success (a 2xx with a body) to a user
    /// who lacks the role.
    ///
    /// Who has which role is read from the token's claims, decoded without verifying them:
    /// the organization role (`o.rol` of a version 2 session token, read as `org:<rol>`;
    /// `org_role` in version 1), the organization permissions (`o.per`/`o.fpm` with `fea`, or
    /// `org_permissions`), and a role in custom claims (`metadata.role`, as Clerk's basic RBAC
    /// guide adds `{{user.public_metadata}}` to the session token). A role named literally
    /// (`org:admin`, `org:reports:manage`, `admin`) is compared as Clerk's `has()` compares
    /// it; for a helper (`isAdmin()`) or an operation without a role check, a user with an
    /// admin role (`org:admin`, `admin`, `owner`, `…admin`) counts as holding it. The name
    /// given with `--as` decides nothing. The same request refused to that user (401, 403,
    /// 404, a sign-in redirect) confirms the role check: `role-enforced` in the output; a
    /// user with the role who gets the success is `allowed`. An answer where Clerk says the
    /// request is signed out (`x-clerk-auth-status: signed-out`: an expired or foreign token)
    /// is `session-rejected` and proves nothing.
    ///
    /// ## Why is this bad?
    /// Signed in is not the same as allowed: a regular member just ran an administrative
    /// operation, or read admin-only data, with a request the probe can replay. This is the
    /// checklist's "test role enforcement: try accessing admin features as a regular user".
    ///
    /// ## Example
    /// ```ts
    /// // app/api/admin/members/route.ts: checks the session, not the role
    /// import { auth, clerkClient } from '@clerk/nextjs/server'
    ///
    /// export async function GET() {
    ///   const { userId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   const client = await clerkClient()
    ///   return Response.json(await client.users.getUserList())
    /// }
    /// ```
    /// `clerk-guard probe --base-url http://127.0.0.1:3000 --as member=$MEMBER_TOKEN --as
    /// admin=$ADMIN_TOKEN` gets `200` with the user list for `member`.
    ///
    /// ## Use instead
    /// ```ts
    /// import { auth, clerkClient } from '@clerk/nextjs/server'
    ///
    /// export async function GET() {
    ///   await auth.protect({ role: 'org:admin' })
    ///   const client = await clerkClient()
    ///   return Response.json(await client.users.getUserList())
    /// }
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/secure/authorization-checks
    /// - https://clerk.com/docs/guides/secure/basic-rbac
    /// - https://clerk.com/docs/guides/sessions/session-tokens (the claims of version 2 session tokens)
    /// - clerk/javascript `packages/shared/src/jwtPayloadParser.ts` and
    ///   `packages/shared/src/authorization.ts` (how `o.rol`/`o.per`/`o.fpm` become
    ///   `orgRole`/`orgPermissions`, and how `has()` compares them), commit e21ae9a
    /// - clerk/javascript `packages/backend/src/tokens/request.ts` (a `Bearer` token is read
    ///   before the `__session` cookie and verified without the cookie-only handshake rules)
    pub struct ProbeRoleBypass {
        id: "probe-role-bypass",
        group: Group::Probe,
        severity: Severity::Error,
        summary: "A role-checked or administrative endpoint served a user without the role",
        keywords: &[],
    }
}

impl Rule for ProbeRoleBypass {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
