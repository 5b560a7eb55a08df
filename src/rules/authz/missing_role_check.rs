use std::collections::HashSet;

use super::describe_entry;
use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::authz::{AuthzAnalyzer, EntryOps, has_admin_segment};
use crate::project::routes::{Entry, EntryKind, Protection};
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds route handlers, API routes and server actions that perform an administrative
    /// operation without checking a role or permission first:
    ///
    /// - a Clerk Backend API mutation on users, organizations, invitations, sessions or the
    ///   instance — `(await clerkClient()).users.deleteUser(id)`, `clerkClient.users.banUser`
    ///   (v5), `client.organizations.updateOrganizationMembership(…)`,
    ///   `invitations.createInvitation(…)`, … — made by the handler, a callback in it, or a
    ///   project function it calls (through any number of files). Deletions, bans, locks,
    ///   revocations and removals are reported as errors, other mutations as warnings;
    /// - a handler under an `admin` URL segment (`/api/admin/**`, or a server action in an
    ///   `admin` folder) that checks no role at all (warning).
    ///
    /// A user acting on their own account is not an administrative operation:
    /// `users.updateUserMetadata(userId, …)` with `userId` from `auth()` is not reported, also
    /// when a project function does it with the `userId` its caller passes. Unless the user
    /// chooses a role for themselves: a role, permission or admin flag written into their own
    /// `publicMetadata` or `privateMetadata` (the metadata apps trust for authorization) from
    /// the request, or a server action's arguments, is reported as an error when no test of
    /// the value (an allow-list, a comparison, a `switch`, a schema's parse) comes first — the
    /// user can make themselves an admin. Nor is a sign-up: `users.createUser(…)` in an entry
    /// that asks for no session at all (whether it should be open is
    /// `unprotected-route-handler`'s question; a role check would refuse every caller).
    ///
    /// Accepted checks, when they come before the operation: `has({ role })` /
    /// `has({ permission })` with an exit (`return 403`, `throw`, `redirect()`),
    /// `auth.protect({ role | permission })` or `auth.protect((has) => …)`, comparisons of
    /// `orgRole`, `sessionClaims…role` or a `currentUser()` role, a project function that does
    /// one of these (a guard such as `requireAdmin()`, a predicate such as Clerk's documented
    /// `checkRole('admin')` whose result is acted on, or a wrapper such as
    /// `withRole('org:admin', handler)`; also a method of a service the app instantiates,
    /// `rbac.hasPermission(userId, orgId, 'user.read')` with `export const rbac = new
    /// RbacService()`, judged by its body: one that returns `true` whatever the caller is no
    /// check), a middleware that protects the URL with a role
    /// (`if (isAdminRoute(req)) await auth.protect((has) => has({ role: 'org:admin' }))`), and
    /// functions listed in `role_functions` or `auth_functions` in `clerk-guard.toml`. A role
    /// read from the request (`body.role === 'admin'`) is not a check.
    ///
    /// ## Why is this bad?
    /// Signed in is not the same as allowed. The secret key gives the Backend API full power
    /// over every user and organization of the instance; a handler that calls it after only
    /// checking that *someone* is signed in lets any user delete, ban or promote any other
    /// user — privilege escalation with one request.
    ///
    /// ## Example
    /// ```ts
    /// // app/api/admin/users/route.ts
    /// import { auth, clerkClient } from '@clerk/nextjs/server'
    ///
    /// export async function DELETE(req: Request) {
    ///   const { userId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   const { targetUserId } = await req.json()
    ///   const client = await clerkClient()
    ///   await client.users.deleteUser(targetUserId)
    ///   return Response.json({ deleted: targetUserId })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// import { auth, clerkClient } from '@clerk/nextjs/server'
    ///
    /// export async function DELETE(req: Request) {
    ///   await auth.protect({ role: 'org:admin' })
    ///   const { targetUserId } = await req.json()
    ///   const client = await clerkClient()
    ///   await client.users.deleteUser(targetUserId)
    ///   return Response.json({ deleted: targetUserId })
    /// }
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/secure/authorization-checks
    /// - https://clerk.com/docs/guides/secure/basic-rbac
    /// - https://clerk.com/docs/reference/nextjs/app-router/auth#auth-protect
    pub struct MissingRoleCheck {
        id: "missing-role-check",
        group: Group::Authz,
        severity: Severity::Warning,
        summary: "An administrative operation (Clerk Backend API mutation, admin route) without a role or permission check",
        keywords: &[],
    }
}

const HELP: &str = "check the caller's role or permission before the operation: `await \
                    auth.protect({ role: 'org:admin' })`, or `if (!has({ permission: \
                    'org:sys_memberships:manage' })) return new Response(null, { status: 403 })` \
                    (a helper doing this can be listed in `role_functions`)";

const HELP_GRANT: &str = "test the value against the roles a user may choose for themselves (never \
                          an administrative one) before writing it, e.g. `if \
                          (!SELF_SERVICE_ROLES.includes(role)) return new Response(null, { \
                          status: 400 })`, or require a role to change roles";

/// A server action defined under an `admin` folder of the router.
fn action_in_admin_dir(project: &Project, e: &Entry) -> bool {
    let Some(app) = project.apps.get(e.app) else {
        return false;
    };
    let Some(dir) = app.app_dir.as_deref() else {
        return false;
    };
    e.file
        .strip_prefix(dir)
        .is_some_and(|rest| rest.split('/').any(|s| s.eq_ignore_ascii_case("admin")))
}

impl Rule for MissingRoleCheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        // For the rare admin entry whose operations say nothing: its role check anywhere.
        let mut az: Option<AuthzAnalyzer> = None;
        let mut seen = HashSet::new();
        for (e, eo) in project.entries.iter().zip(project.entry_ops()) {
            let Some(EntryOps {
                key,
                role: entry_role,
                ops,
            }) = eo
            else {
                continue;
            };
            let key = *key;
            let who = describe_entry(e);
            if entry_role.is_none() {
                // Creating a user where no session is asked for is a sign-up (the user being
                // created has no session yet): whether the entry should be open is
                // `unprotected-route-handler`'s question, and a role check would refuse every
                // caller.
                let signs_up = |call: &str| {
                    call.ends_with("createUser")
                        && matches!(
                            e.protection,
                            Protection::Unprotected(_) | Protection::DeclaredPublic(_)
                        )
                };
                for op in ops
                    .iter()
                    .filter(|o| o.is_admin_op() && o.covered.is_none() && !signs_up(&o.call))
                {
                    let path = project.files[op.file].rel.to_string();
                    if !seen.insert((path.clone(), op.site, op.op_file, op.op_span)) {
                        continue;
                    }
                    let via = if op.via.is_empty() {
                        String::new()
                    } else {
                        format!(" through {}", op.via.join(" → "))
                    };
                    let kind = if op.destructive {
                        "a destructive administrative operation"
                    } else {
                        "an administrative operation"
                    };
                    let (severity, message, help, label) = match op.self_grant() {
                        Some(from) => (
                            Severity::Error,
                            format!(
                                "{who} writes a role or permission taken from {from} into the \
                                 signed-in user's own trusted metadata with `{}()`{via}, without \
                                 testing the value or checking a role first: any signed-in user \
                                 can grant themselves any role",
                                op.call
                            ),
                            HELP_GRANT,
                            "the caller chooses the role written here",
                        ),
                        None => (
                            if op.destructive {
                                Severity::Error
                            } else {
                                Severity::Warning
                            },
                            format!(
                                "{who} calls the Clerk Backend API `{}()`{via} — {kind} — \
                                 without checking a role or permission first: any signed-in \
                                 user can run it",
                                op.call
                            ),
                            HELP,
                            "no role or permission check before this",
                        ),
                    };
                    let f = Finding::new(Self::META.id, severity, path)
                        .at(op.site)
                        .message(message)
                        .help(help)
                        .symbol(e.symbol.clone())
                        .label(label)
                        .anchor(format!("{} {} {}", e.symbol, op.call, op.via.join(" ")));
                    out.push(super::at_operation(f, project, e, op));
                }
            }
            let admin = match e.kind {
                EntryKind::ServerAction => action_in_admin_dir(project, e),
                _ => e.url.as_deref().is_some_and(has_admin_segment),
            };
            if admin
                && !ops.iter().any(|o| o.is_admin_op())
                && entry_role.is_none()
                && az
                    .get_or_insert_with(|| AuthzAnalyzer::new(project))
                    .role_before(key, usize::MAX)
                    .is_none()
                && seen.insert((e.file.clone(), e.span, 0, e.span))
            {
                let place = match e.kind {
                    EntryKind::ServerAction => "is defined in an `admin` folder",
                    _ => "is under an `admin` URL segment",
                };
                let mut f = Finding::new(Self::META.id, Severity::Warning, &e.file)
                    .at(e.span)
                    .message(format!(
                        "{who} {place} but checks no role or permission: any signed-in user \
                         can call it"
                    ))
                    .help(HELP)
                    .symbol(e.symbol.clone())
                    .label("no role or permission check")
                    .anchor(format!("admin {}", e.symbol));
                if let Some(url) = &e.url {
                    f = f.route(url.clone());
                }
                out.push(f);
            }
        }
    }
}
