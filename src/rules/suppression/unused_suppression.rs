use crate::declare_rule;
use crate::finding::Severity;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `clerk-guard-ignore` comment that suppresses nothing: the rule it names did
    /// not fire on the line it applies to, or the rule id does not exist.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding on that line, and a misspelt rule id
    /// suppresses nothing while looking as if it did.
    ///
    /// ## Example
    /// ```ts
    /// // clerk-guard-ignore hardcoded-secret-key: fixture
    /// const key = process.env.CLERK_SECRET_KEY
    /// ```
    ///
    /// ## Use instead
    /// Remove the comment, or fix the rule id. A suppression applies to its own line when it
    /// ends a line of code, and to the next line when it stands alone.
    ///
    /// ## References
    /// - https://docs.astral.sh/ruff/rules/unused-noqa/
    pub struct UnusedSuppression {
        id: "unused-suppression",
        group: Group::Suppression,
        severity: Severity::Info,
        summary: "A clerk-guard-ignore comment that suppresses nothing",
        keywords: &["clerk-guard-ignore"],
    }
}

/// The engine reports unused suppressions itself, after every other rule has run.
impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
