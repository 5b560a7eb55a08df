use super::clerk_app;
use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::routes::EntryKind;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds server actions — every export of a `'use server'` module, and every function
    /// whose body starts with `'use server'` — that do not verify the Clerk session
    /// themselves (`auth()`/`currentUser()` and acting on the result, or `auth.protect()`,
    /// directly or through a project function they call).
    ///
    /// Actions built with a client or a procedure are judged through it, across files: a
    /// next-safe-action action (`authActionClient.schema(s).action(fn)`) is protected when one
    /// of the client's `.use()` middlewares rejects a signed-out request (an inline function or
    /// a named, possibly imported one; clients built from other clients included), a zsa action
    /// when its procedure's `.handler()` does, and a `withAuth(fn)`-style wrapper when the
    /// function it returns does. Otherwise the action's own function must check.
    ///
    /// An action with nothing to guard is not reported: one that takes no input, reads no
    /// secret and answers from what ships with the app (every `await` checks that a file
    /// bundled with it is there, without reading it: `fs.access(fileURLToPath(new URL('../fonts/x.woff2', import.meta.url)))`
    /// through the function's own constants, or imports a package, `await
    /// import('next/font/local')`; every call is such a check, a package function or a function
    /// such an import gave). A file named by an absolute path is the server's, not the app's.
    ///
    /// ## Why is this bad?
    /// Next.js compiles each server action into a POST endpoint that can be called directly,
    /// from any page, with any arguments. A check in the page that renders the form does not
    /// run for that request, and path-based middleware protection does not describe which
    /// action is being called. Each action must check the session itself.
    ///
    /// ## Example
    /// ```ts
    /// 'use server'
    /// export async function deleteProject(id: string) {
    ///   await db.project.delete({ where: { id } })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// 'use server'
    /// import { auth } from '@clerk/nextjs/server'
    ///
    /// export async function deleteProject(id: string) {
    ///   const { userId } = await auth()
    ///   if (!userId) throw new Error('Unauthorized')
    ///   await db.project.delete({ where: { id, ownerId: userId } })
    /// }
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/nextjs/app-router/server-actions
    /// - https://nextjs.org/docs/app/guides/data-security
    pub struct UnprotectedServerAction {
        id: "unprotected-server-action",
        group: Group::Auth,
        severity: Severity::Error,
        summary: "A server action that never verifies the session",
        keywords: &[],
    }
}

impl Rule for UnprotectedServerAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fixes(&self, cx: &crate::fix::FixCx, f: &Finding) -> Vec<crate::fix::Fix> {
        crate::fix::session::insert_check(cx, f, Self::META.id)
            .into_iter()
            .collect()
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for e in &project.entries {
            if e.kind != EntryKind::ServerAction
                || !e.protection.is_unprotected()
                || !clerk_app(project, e)
            {
                continue;
            }
            out.push(
                Finding::new(Self::META.id, Self::META.severity, &e.file)
                    .at(e.span)
                    .message(format!(
                        "Server action `{}` never verifies the session: {}",
                        e.symbol,
                        e.protection.detail()
                    ))
                    .help(
                        "start the action with `const { userId } = await auth(); if (!userId) \
                         throw new Error('Unauthorized')` (or `await auth.protect()`)",
                    )
                    .symbol(e.symbol.clone())
                    .label("callable by anyone")
                    .anchor(format!("action {}", e.symbol)),
            );
        }
    }
}
