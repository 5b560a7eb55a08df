use super::secret_key_in_client::capitalise;
use super::{client_exposure, exposure, is_keyless_file, is_local_env, secret_hits};
use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::rules::{FileCx, Group, Rule, RuleMeta};
use crate::source::{FileKind, file_name};

declare_rule! {
    /// ## What it does
    /// Finds Clerk secret keys (`sk_live_…`, `sk_test_…`) and webhook signing secrets
    /// (`whsec_…`, which Clerk's webhook endpoints and Stripe's use) written into files that
    /// are committed or committable (not gitignored): server source, configuration, JSON and
    /// YAML, tracked `.env*` files, and Clerk's keyless-mode file `.clerk/.tmp/keyless.json`.
    /// Placeholders (`whsec_...`, `sk_test_xxxx…`, `whsec_your_signing_secret`), published
    /// examples and values too short to be real are not reported, nor is a signing secret in
    /// a test file (anyone can mint one, and tests mint their own to sign what they verify).
    /// A gitignored `.env.local` is where a key belongs: it is not reported, unless it is
    /// tracked in git anyway (committed before the ignore rule, or force-added): a file in the
    /// git index is committed whatever `.gitignore` says.
    ///
    /// ## Why is this bad?
    /// A committed key is readable by everyone with access to the repository, its forks, CI
    /// logs and backups, and it stays in git history after the line is deleted. The secret key
    /// grants full Backend API access to the Clerk instance; with the webhook signing secret
    /// anyone can sign forged events (`user.created`, `user.deleted`, …) that the endpoint
    /// accepts as Clerk's.
    ///
    /// ## Example
    /// ```ts
    /// // lib/clerk.ts
    /// export const clerk = createClerkClient({ secretKey: 'sk_live_…' })
    /// // app/api/webhooks/clerk/route.ts
    /// const wh = new Webhook('whsec_…')
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// export const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })
    /// const evt = await verifyWebhook(req) // reads CLERK_WEBHOOK_SIGNING_SECRET
    /// ```
    /// with `CLERK_SECRET_KEY` and `CLERK_WEBHOOK_SIGNING_SECRET` in a gitignored
    /// `.env.local` or the host's secret store, and rotate what was committed.
    ///
    /// ## References
    /// - https://clerk.com/docs/guides/development/clerk-environment-variables
    /// - https://nextjs.org/docs/app/guides/environment-variables
    pub struct HardcodedSecretKey {
        id: "hardcoded-secret-key",
        group: Group::Secrets,
        severity: Severity::Error,
        summary: "A Clerk secret key or webhook signing secret committed in source, config or a tracked .env file",
        keywords: &crate::facts::secrets::SECRET_PREFIXES,
    }
}

impl Rule for HardcodedSecretKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let facts = cx.facts;
        if client_exposure(facts).is_some() || facts.origin.gitignored {
            return;
        }
        let name = file_name(&facts.rel);
        for hit in secret_hits(facts) {
            // A key that ships to the browser is `secret-key-in-client`'s (worse) finding.
            if exposure(cx.project, facts, hit.span).is_some() {
                continue;
            }
            let what = capitalise(&hit.describe());
            let noun = hit.kind.noun();
            let (message, help) = if facts.origin.tracked_ignored {
                (
                    format!(
                        "{what} in `{name}`, which is tracked in git although .gitignore lists it"
                    ),
                    format!(
                        "remove it from the index (`git rm --cached {}`), commit, and rotate the \
                         {noun}: every clone and the history already hold it",
                        facts.rel
                    ),
                )
            } else if is_keyless_file(&facts.rel) {
                (
                    format!("{what} in Clerk's keyless-mode file, which is committable"),
                    "add `/.clerk/` to .gitignore, remove the file from git, and claim or \
                     delete the keyless instance"
                        .to_string(),
                )
            } else if facts.kind == FileKind::Env && is_local_env(&facts.rel) {
                (
                    format!("{what} in `{name}`, which is not gitignored"),
                    format!("add `{name}` (or `.env*.local`) to .gitignore and rotate the {noun}"),
                )
            } else if facts.kind == FileKind::Env {
                (
                    format!("{what} in the committable env file `{name}`"),
                    format!(
                        "move the {noun} to a gitignored `.env.local` or the host's secret \
                         store, and rotate it"
                    ),
                )
            } else {
                (
                    format!("{what} hard-coded in a committable file"),
                    format!(
                        "read the {noun} from `process.env.{}` (set in a gitignored \
                         `.env.local` or the host's secret store) and rotate it",
                        hit.kind.env_name()
                    ),
                )
            };
            out.push(
                Finding::new(Self::META.id, Self::META.severity, &*facts.rel)
                    .at(hit.span)
                    .message(message)
                    .help(help)
                    .anchor(hit.redacted.clone()),
            );
        }
    }
}
