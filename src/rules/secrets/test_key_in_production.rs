use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::rules::{FileCx, Group, Rule, RuleMeta};
use crate::source::{FileKind, file_name, is_production_env_name};

declare_rule! {
    /// ## What it does
    /// Finds development-instance keys (`sk_test_…`, `pk_test_…`) in production-only
    /// configuration: `.env.production`, `.env.production.local`, `.env.prod`.
    ///
    /// ## Why is this bad?
    /// Test keys point the production build at a Clerk development instance: its users,
    /// sessions and settings are not production's, development instances have relaxed
    /// limits and security defaults, and sign-ups land in the wrong user base.
    ///
    /// ## Example
    /// ```sh
    /// # .env.production
    /// NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_…
    /// ```
    ///
    /// ## Use instead
    /// ```sh
    /// # set in the host's production environment
    /// NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_…
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/development/deployment/production
    pub struct TestKeyInProduction {
        id: "test-key-in-production",
        group: Group::Secrets,
        severity: Severity::Warning,
        summary: "A development (test) Clerk key in production configuration",
        keywords: &["sk_test_", "pk_test_"],
    }
}

impl Rule for TestKeyInProduction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let facts = cx.facts;
        let name = file_name(&facts.rel);
        if facts.kind != FileKind::Env || !is_production_env_name(name) {
            return;
        }
        for hit in facts.keys().iter().filter(|k| k.kind.is_test()) {
            out.push(
                Finding::new(Self::META.id, Self::META.severity, &*facts.rel)
                    .at(hit.span)
                    .message(format!(
                        "Development-instance key `{}` in production configuration `{name}`",
                        hit.redacted
                    ))
                    .help(
                        "use the production instance's `pk_live_`/`sk_live_` keys for \
                         production builds",
                    )
                    .anchor(hit.redacted.clone()),
            );
        }
    }
}
