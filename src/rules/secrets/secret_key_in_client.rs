use super::{client_exposure, secret_hits};
use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::rules::{FileCx, Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds Clerk secret keys (`sk_live_…`, `sk_test_…`) in code and files that reach the
    /// browser: `'use client'` modules, files under `public/`, and built client output
    /// (`.next/static/**`, `out/_next/static/**`).
    ///
    /// ## Why is this bad?
    /// A secret key grants full access to the Clerk Backend API of its instance: anyone who
    /// opens the site's JavaScript can list, impersonate, ban or delete every user. Whatever
    /// ships to the browser is public, minified or not.
    ///
    /// ## Example
    /// ```tsx
    /// 'use client'
    /// const clerk = createClerkClient({ secretKey: 'sk_live_…' })
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// // app/api/users/route.ts (server only)
    /// const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })
    /// ```
    /// Then rotate the exposed key in the Clerk dashboard (API keys → Rotate): it must be
    /// considered leaked.
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/development/clerk-environment-variables
    /// - https://nextjs.org/docs/app/getting-started/server-and-client-components
    pub struct SecretKeyInClient {
        id: "secret-key-in-client",
        group: Group::Secrets,
        severity: Severity::Error,
        summary: "A Clerk secret key in code or files that ship to the browser",
        keywords: &["sk_live_", "sk_test_"],
    }
}

impl Rule for SecretKeyInClient {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let facts = cx.facts;
        let Some(reason) = client_exposure(facts) else {
            return;
        };
        for hit in secret_hits(facts) {
            out.push(
                Finding::new(Self::META.id, Self::META.severity, &facts.rel)
                    .at(hit.span)
                    .message(format!("{} in {reason}", capitalise(&hit.describe())))
                    .help(
                        "remove the key from client code, read `CLERK_SECRET_KEY` only on the \
                         server, and rotate the key in the Clerk dashboard: it is exposed",
                    )
                    .anchor(hit.redacted.clone()),
            );
        }
    }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}
