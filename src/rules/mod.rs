//! Rules: metadata, the `Rule` trait, the registry, and rule selection.

pub mod auth;
pub mod authz;
pub mod boundary;
pub mod middleware;
pub mod probe;
pub mod secrets;
pub mod suppression;

use crate::facts::FileFacts;
use crate::finding::{Finding, Severity};
use crate::project::Project;

/// Rule groups, usable wherever a rule id is (`--select secrets`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    Secrets,
    Auth,
    Middleware,
    Boundary,
    Authz,
    Suppression,
    /// Reported by `clerk-guard probe` only.
    Probe,
}

impl Group {
    pub const ALL: &'static [Group] = &[
        Group::Secrets,
        Group::Auth,
        Group::Middleware,
        Group::Boundary,
        Group::Authz,
        Group::Suppression,
        Group::Probe,
    ];

    /// Whether the group's rules only apply to apps that use Clerk (a secret key is a leak in
    /// any app; a route without a Clerk session check is only a finding where Clerk is the
    /// app's authentication).
    pub const fn needs_clerk(self) -> bool {
        matches!(self, Group::Auth | Group::Authz | Group::Middleware)
    }

    /// Whether the group's rules read code facts or the route model (all but the byte-level
    /// secret, suppression and probe rules).
    pub const fn reads_code(self) -> bool {
        !matches!(self, Group::Secrets | Group::Suppression | Group::Probe)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Secrets => "secrets",
            Group::Auth => "auth",
            Group::Middleware => "middleware",
            Group::Boundary => "boundary",
            Group::Authz => "authz",
            Group::Suppression => "suppression",
            Group::Probe => "probe",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Stable,
    Preview,
}

/// Everything known about a rule without running it.
pub struct RuleMeta {
    /// Kebab-case, stable: the contract with configs, suppressions and baselines.
    pub id: &'static str,
    pub group: Group,
    pub severity: Severity,
    pub status: Status,
    /// One line.
    pub summary: &'static str,
    /// Markdown with the headings "What it does", "Why is this bad?", "Example",
    /// "Use instead", "References".
    pub docs: &'static str,
    /// Literal strings of which at least one must occur in a file for `check_file` to run
    /// on it; empty means every file.
    pub keywords: &'static [&'static str],
    /// The file that defines the rule (shown in its docs).
    pub source: &'static str,
    /// Report only on files of apps that use Clerk (decided once, in the engine). Defaults to
    /// the group's `Group::needs_clerk`.
    pub needs_clerk: bool,
}

/// What a per-file rule sees.
pub struct FileCx<'a> {
    pub facts: &'a FileFacts,
    pub project: &'a Project,
}

pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;

    /// Called for each file whose prefilter hits one of `meta().keywords`.
    fn check_file(&self, _cx: &FileCx<'_>, _out: &mut Vec<Finding>) {}

    /// Called once with the whole project model.
    fn check_project(&self, _project: &Project, _out: &mut Vec<Finding>) {}

    /// The fixes for one of this rule's findings (see `crate::fix`), best first.
    fn fixes(&self, _cx: &crate::fix::FixCx, _finding: &Finding) -> Vec<crate::fix::Fix> {
        Vec::new()
    }
}

/// Declare a rule: its doc comment becomes its documentation, and `META` its metadata.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        pub struct $name:ident {
            id: $id:expr,
            group: $group:expr,
            severity: $severity:expr,
            summary: $summary:expr,
            keywords: $keywords:expr
            $(, needs_clerk: $needs_clerk:expr)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                group: $group,
                severity: $severity,
                status: $crate::rules::Status::Stable,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
                keywords: $keywords,
                source: file!(),
                needs_clerk: $crate::declare_rule!(@needs_clerk $group $(, $needs_clerk)?),
            };
        }
    };
    (@needs_clerk $group:expr) => {
        $group.needs_clerk()
    };
    (@needs_clerk $group:expr, $needs_clerk:expr) => {
        $needs_clerk
    };
}

/// Every rule, grouped, alphabetical within a group.
pub static RULES: &[&dyn Rule] = &[
    // auth
    &auth::auth_result_unchecked::AuthResultUnchecked,
    &auth::unprotected_route_handler::UnprotectedRouteHandler,
    &auth::unprotected_server_action::UnprotectedServerAction,
    // authz
    &authz::missing_role_check::MissingRoleCheck,
    &authz::org_scope_unchecked::OrgScopeUnchecked,
    &authz::sensitive_action_without_reverification::SensitiveActionWithoutReverification,
    &authz::vulnerable_dependency::VulnerableDependency,
    // boundary
    &boundary::client_only_auth::ClientOnlyAuth,
    &boundary::server_only_in_client::ServerOnlyInClient,
    // middleware
    &middleware::create_route_matcher_deprecated::CreateRouteMatcherDeprecated,
    &middleware::authorized_parties_unset::AuthorizedPartiesUnset,
    &middleware::clerk_middleware_not_registered::ClerkMiddlewareNotRegistered,
    &middleware::deprecated_auth_middleware::DeprecatedAuthMiddleware,
    &middleware::express_clerk_middleware_order::ExpressClerkMiddlewareOrder,
    &middleware::express_require_auth_deprecated::ExpressRequireAuthDeprecated,
    &middleware::middleware_client_bypass::MiddlewareClientBypass,
    &middleware::middleware_matcher_gap::MiddlewareMatcherGap,
    &middleware::middleware_not_loaded::MiddlewareNotLoaded,
    &middleware::missing_middleware::MissingMiddleware,
    &middleware::remix_sdk_deprecated::RemixSdkDeprecated,
    &middleware::unawaited_protect::UnawaitedProtect,
    // secrets
    &secrets::hardcoded_secret_key::HardcodedSecretKey,
    &secrets::secret_key_exposed_env::SecretKeyExposedEnv,
    &secrets::secret_key_in_client::SecretKeyInClient,
    &secrets::secret_key_in_history::SecretKeyInHistory,
    &secrets::test_key_in_production::TestKeyInProduction,
    // suppression
    &suppression::unused_suppression::UnusedSuppression,
    // probe (reported by `clerk-guard probe` only; last, so that SARIF rule indices of the
    // scan rules do not move)
    &probe::probe_contradiction::ProbeContradiction,
    &probe::probe_open_endpoint::ProbeOpenEndpoint,
    &probe::probe_org_bypass::ProbeOrgBypass,
    &probe::probe_role_bypass::ProbeRoleBypass,
];

pub fn find_rule(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

pub fn find_group(name: &str) -> Option<Group> {
    Group::ALL.iter().copied().find(|g| g.as_str() == name)
}

/// Whether `selector` (a rule id or a group name) names `meta`.
pub fn selector_matches(selector: &str, meta: &RuleMeta) -> bool {
    selector == meta.id || selector == meta.group.as_str() || selector == "all"
}

/// Whether a rule id or group name exists.
pub fn is_known_selector(selector: &str) -> bool {
    selector == "all" || find_rule(selector).is_some() || find_group(selector).is_some()
}

/// Rule docs as shown by `clerk-guard explain` and written to `docs/rules/<id>.md`: the
/// doc comment without the one leading space each `///` line carries.
pub fn docs_markdown(meta: &RuleMeta) -> String {
    meta.docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}
