use crate::declare_rule;
use crate::finding::Severity;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds Clerk secret keys (`sk_live_…`, `sk_test_…`) and webhook signing secrets
    /// (`whsec_…`) in git history: in every blob that
    /// any commit reachable from a branch, tag, remote-tracking ref or stash introduced, including
    /// files and lines that were deleted since. Each key is reported once per path, at the
    /// oldest commit that added it, with the commit's short id, the path, the line and the
    /// redacted key. This rule runs only in `clerk-guard history` (`scan` reads the work tree,
    /// where `hardcoded-secret-key` covers the same keys).
    ///
    /// A `clerk-guard-ignore secret-key-in-history` comment (or one naming another secret-key
    /// rule, or the `secrets` group) on the key's line or the line above, in the committed
    /// file, suppresses it; `exclude` globs in `clerk-guard.toml` apply to the paths of
    /// history too.
    ///
    /// ## Why is this bad?
    /// A key that was ever committed is leaked: every clone, fork, CI cache and backup of the
    /// repository holds it, and `git log -p` shows it, whether or not a later commit deleted
    /// the line. The secret key grants full Backend API access to the Clerk instance.
    ///
    /// ## Example
    /// ```ts
    /// // lib/clerk.ts, in a commit from last year (the line was deleted since)
    /// export const clerk = createClerkClient({ secretKey: 'sk_live_…' })
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// export const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })
    /// ```
    /// and rotate the leaked key in the Clerk Dashboard (API keys): deleting the line does not
    /// un-leak it. Rewriting history (`git filter-repo`) removes it from the repository for
    /// future clones, but not from existing ones.
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/development/clerk-environment-variables
    /// - https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository
    pub struct SecretKeyInHistory {
        id: "secret-key-in-history",
        group: Group::Secrets,
        severity: Severity::Error,
        summary: "A Clerk secret key in any commit of the git history, even one deleted since",
        keywords: &crate::facts::secrets::SECRET_PREFIXES,
    }
}

/// Findings come from `crate::history`, which reads git objects rather than the work tree:
/// the per-file and per-project hooks stay empty.
impl Rule for SecretKeyInHistory {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
