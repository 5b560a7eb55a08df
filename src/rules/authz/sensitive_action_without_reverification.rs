use std::collections::HashSet;

use super::describe_entry;
use crate::declare_rule;
use crate::facts::authz::Sensitive;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::advisories::installed;
use crate::project::apps::Version;
use crate::project::authz::ReachedOp;
use crate::project::routes::EntryKind;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds route handlers, API routes and server actions that perform a sensitive operation
    /// without first requiring a recent reverification of the user (Clerk's step-up
    /// verification):
    ///
    /// - a Clerk Backend API call that Clerk treats as sensitive — deleting a user
    ///   (`users.deleteUser`) or an organization (`organizations.deleteOrganization`);
    ///   changing a user's sign-in credentials or MFA (`users.updateUser` with `password`,
    ///   `primaryEmailAddressID`, `primaryPhoneNumberID`, `username`, `totpSecret` or
    ///   `backupCodes`; `users.disableUserMFA`, `removePassword`, `replaceUserEmailAddress`,
    ///   `replaceUserPhoneNumber`, `deleteUserPasskey`, `deleteUserWeb3Wallet`,
    ///   `deleteUserExternalAccount`, `deleteUserBackupCodes`, `deleteUserTOTP`;
    ///   `emailAddresses.create/update/deleteEmailAddress`,
    ///   `phoneNumbers.create/update/deletePhoneNumber`); changing roles or memberships
    ///   (`organizations.create/update/deleteOrganizationMembership`, a `role` written with
    ///   `users.updateUserMetadata`); revoking a session (`sessions.revokeSession`); minting
    ///   machine credentials (`apiKeys.create`, `oauthApplications.create` / `rotateSecret`,
    ///   `machines.create` / `rotateSecretKey`) — made by the handler, a callback in it, or a
    ///   project function it calls (through any number of files). Reported as a warning;
    /// - a clearly destructive call of the app's own data layer (`db.user.deleteMany(…)`,
    ///   `prisma.project.delete(…)`, `db.delete(table)`, `supabase.from(t).delete()`) behind
    ///   an admin role check (the role check shows the operation is privileged). Reported as a
    ///   warning when the app performs at least one sensitive Clerk operation anywhere, and as
    ///   **info** when it performs none: such an app has not treated any of its operations as
    ///   sensitive yet, and whether wiping its own data deserves step-up is its call.
    ///
    /// Not reported: a role the server chose written into the caller's own metadata (a sync
    /// from the database, a constant for new accounts: the caller chooses nothing), and
    /// anything an entry does that verifies no session at all (it is reported as unprotected;
    /// step-up re-verifies a session it never asks for).
    ///
    /// Accepted checks, when they come before the operation: `await auth.protect({
    /// reverification: 'strict' })` (also `auth.protect((has) => has({ reverification }))`),
    /// `if (!has({ reverification: … })) return reverificationError(…)` (server actions) or
    /// `… return reverificationErrorResponse(…)` (route handlers), the same test held in a
    /// variable (`const stale = !has({ reverification: 'strict' }); if (stale) return …`, as in
    /// Clerk's guide), and a project function that does one of these (a guard such as
    /// `requireStepUp()`, or a predicate whose result the handler acts on).
    ///
    /// Webhooks and handlers guarded by a shared secret are machine callers and are not
    /// reported. Code outside entries (scripts, seeds, CLIs) is never reported, nor is an
    /// operation inside the role guard an entry calls (a `requireAdmin()` that copies the
    /// caller's role from the database into Clerk metadata is bookkeeping of the check).
    ///
    /// Reverification needs `@clerk/nextjs` 6.5.0 or later (the release that made `has({
    /// reverification })`, `reverificationError`, `reverificationErrorResponse` and
    /// `useReverification()` stable; CJS `packages/nextjs/CHANGELOG.md` §6.5.0, PR #4536,
    /// commit fe9e147e36). When the installed version is older, the message says that the
    /// upgrade enables it.
    ///
    /// `routes` shows `step-up` in its AUTHZ column for entries that require reverification.
    ///
    /// ## Why is this bad?
    /// A session is long-lived: a laptop left unlocked, a stolen session cookie or a
    /// cross-site-scripting bug gives an attacker the session, not the password or the second
    /// factor. Clerk's own components ask for reverification before deleting the account,
    /// changing the password, email, phone or MFA settings and revoking sessions (Clerk docs,
    /// "Add reverification for sensitive actions", table of sensitive actions). A handler
    /// that does the same through the Backend API without `has({ reverification })` lets a
    /// hijacked session take the account over for good (new email, new password, MFA off) or
    /// destroy it.
    ///
    /// Note: `auth.protect({ reverification })` answers 404 when the check fails
    /// (`packages/nextjs/src/server/protect.ts`); the `has()` + `reverificationError` form is
    /// the one the client's `useReverification()` hook recognises and turns into a prompt.
    ///
    /// ## Example
    /// ```ts
    /// // app/settings/actions.ts
    /// 'use server'
    /// import { auth, clerkClient } from '@clerk/nextjs/server'
    ///
    /// export async function changePassword(password: string) {
    ///   const { userId } = await auth.protect()
    ///   const client = await clerkClient()
    ///   await client.users.updateUser(userId, { password })
    ///   return { ok: true }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// 'use server'
    /// import { auth, clerkClient, reverificationError } from '@clerk/nextjs/server'
    ///
    /// export async function changePassword(password: string) {
    ///   const { userId, has } = await auth.protect()
    ///   if (!has({ reverification: 'strict' })) return reverificationError('strict')
    ///   const client = await clerkClient()
    ///   await client.users.updateUser(userId, { password })
    ///   return { ok: true }
    /// }
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/secure/reverification
    /// - https://clerk.com/docs/reference/hooks/use-reverification
    /// - https://clerk.com/docs/reference/backend/types/auth-object#has
    pub struct SensitiveActionWithoutReverification {
        id: "sensitive-action-without-reverification",
        group: Group::Authz,
        severity: Severity::Warning,
        summary: "A sensitive operation (account deletion, credential, MFA or membership change, new API key) without Clerk reverification (step-up)",
        keywords: &[],
    }
}

/// The first `@clerk/nextjs` release with stable reverification helpers.
pub const FIRST_REVERIFICATION_VERSION: Version = Version::new(6, 5, 0);

const HELP_ACTION: &str = "require a recent verification first: `const { has } = await auth(); if \
                           (!has({ reverification: 'strict' })) return \
                           reverificationError('strict')`, and call the action through \
                           `useReverification()` on the client";
const HELP_HANDLER: &str = "require a recent verification first: `const { has } = await auth(); \
                            if (!has({ reverification: 'strict' })) return \
                            reverificationErrorResponse('strict')`, and call the endpoint \
                            through `useReverification()` on the client";

/// Whether an operation is one this rule looks at, for an entry with or without a role.
fn candidate(op: &ReachedOp, entry_role: bool) -> bool {
    if op.in_guard {
        return false;
    }
    match op.sensitive {
        None => false,
        Some(Sensitive::AppDestructive) => entry_role || op.covered.is_some(),
        Some(_) => true,
    }
}

impl Rule for SensitiveActionWithoutReverification {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        // (entry index, ops) of every entry with candidates; then severities per app.
        let mut found: Vec<(usize, Vec<&ReachedOp>)> = Vec::new();
        let mut clerk_sensitive_apps: HashSet<usize> = HashSet::new();
        for (i, (e, eo)) in project.entries.iter().zip(project.entry_ops()).enumerate() {
            let Some(eo) = eo else {
                continue;
            };
            // Step-up re-verifies a session: an entry that verifies none is reported as
            // unprotected, and asking it for a recent verification on top is noise.
            if e.protection.is_unprotected() {
                continue;
            }
            let entry_role = eo.role.is_some();
            let ops: Vec<&ReachedOp> = eo.ops.iter().filter(|o| candidate(o, entry_role)).collect();
            if ops
                .iter()
                .any(|o| o.sensitive != Some(Sensitive::AppDestructive))
            {
                clerk_sensitive_apps.insert(e.app);
            }
            if !ops.is_empty() {
                found.push((i, ops));
            }
        }
        let mut seen = HashSet::new();
        for (i, ops) in found {
            let e = &project.entries[i];
            let who = describe_entry(e);
            let old = project
                .apps
                .get(e.app)
                .and_then(|a| installed(a, "@clerk/nextjs"))
                .filter(|v| v.version < FIRST_REVERIFICATION_VERSION);
            for op in ops.iter().filter(|o| o.step_up.is_none()) {
                let Some(kind) = op.sensitive else {
                    continue;
                };
                let path = project.files[op.file].rel.to_string();
                if !seen.insert((path.clone(), op.site)) {
                    continue;
                }
                let severity = if kind == Sensitive::AppDestructive
                    && !clerk_sensitive_apps.contains(&e.app)
                {
                    Severity::Info
                } else {
                    Severity::Warning
                };
                let via = if op.via.is_empty() {
                    String::new()
                } else {
                    format!(" through {}", op.via.join(" → "))
                };
                let what = match kind {
                    Sensitive::AppDestructive => format!(
                        "calls `{}()`{via}, a destructive operation behind {}",
                        op.call,
                        op.covered
                            .as_deref()
                            .map(|h| format!("the role check {h}"))
                            .unwrap_or_else(|| "an admin role check".into())
                    ),
                    _ => format!(
                        "calls the Clerk Backend API `{}()`{via}, which {}",
                        op.call,
                        kind.describe()
                    ),
                };
                let mut message = format!(
                    "{who} {what}, without requiring a recent reverification (step-up): a \
                     hijacked session can do it"
                );
                if let Some(v) = old {
                    message.push_str(&format!(
                        " (the installed `@clerk/nextjs` {} predates reverification: upgrading \
                         to {FIRST_REVERIFICATION_VERSION} or later enables it)",
                        v.version
                    ));
                }
                let help = match e.kind {
                    EntryKind::ServerAction => HELP_ACTION,
                    _ => HELP_HANDLER,
                };
                let f = Finding::new(Self::META.id, severity, path)
                    .at(op.site)
                    .message(message)
                    .help(help)
                    .symbol(e.symbol.clone())
                    .label("no reverification before this")
                    .anchor(format!(
                        "step-up {} {} {}",
                        e.symbol,
                        op.call,
                        op.via.join(" ")
                    ));
                out.push(super::at_operation(f, project, e, op));
            }
        }
    }
}
