use super::{Exposure, exposure, secret_hits, with_chain};
use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::rules::{FileCx, Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds Clerk secret keys (`sk_live_…`, `sk_test_…`) and webhook signing secrets
    /// (`whsec_…`) in code and files that reach the browser: files under `public/`, built client output (`.next/static/**`,
    /// `out/_next/static/**`), and every module of the client set — `'use client'` modules and
    /// everything they import, directly or through other modules (relative paths, `tsconfig`
    /// aliases, barrel files, `export … from`, dynamic `import()`, workspace packages), and
    /// Pages Router pages with their imports. Type-only imports and `'use server'` modules do
    /// not ship; neither do a Pages Router page's `getServerSideProps`/`getStaticProps`/
    /// `getStaticPaths` and the imports only they use.
    ///
    /// The finding sits at the key and names the chain that pulls the module into the
    /// browser bundle, the client module first: `components/UserMenu.tsx ('use client') →
    /// lib/clerk-config.ts`.
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
    /// ```ts
    /// // lib/clerk-config.ts, imported by components/UserMenu.tsx ('use client')
    /// export const backendKey = 'sk_live_…'
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
        keywords: &crate::facts::secrets::SECRET_PREFIXES,
    }
}

impl Rule for SecretKeyInClient {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let facts = cx.facts;
        for hit in secret_hits(facts) {
            let Some(exp) = exposure(cx.project, facts, hit.span) else {
                continue;
            };
            let what = capitalise(&hit.describe());
            let message = match &exp {
                Exposure::Direct(reason) => format!("{what} in {reason}"),
                Exposure::Chain { chain, .. } => format!(
                    "{what} in `{}`, which ships to the browser: {chain}",
                    facts.rel
                ),
            };
            let finding = Finding::new(Self::META.id, Self::META.severity, &*facts.rel)
                .at(hit.span)
                .message(message)
                .help(format!(
                    "remove the {} from client code, read `{}` only on the server, and {}: it \
                     is exposed",
                    hit.kind.noun(),
                    hit.kind.env_name(),
                    hit.kind.rotation()
                ))
                .anchor(hit.redacted.clone());
            let finding = match &exp {
                Exposure::Chain { .. } => finding.label("ships to every visitor"),
                Exposure::Direct(_) => finding,
            };
            out.push(with_chain(finding, &exp));
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
