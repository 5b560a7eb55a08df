//! `--as NAME=TOKEN`: role and organization enforcement, tested with real sessions.
//!
//! Each named user's Clerk session token is sent as `Authorization: Bearer <token>`. That is
//! the form `authenticateRequest` of `@clerk/backend` reads first and verifies on its own: a
//! token in the `__session` cookie is only verified together with the `__client_uat` cookie
//! (and, on a development instance, the dev-browser cookie `__clerk_db_jwt`); without them Clerk
//! answers with a handshake redirect (clerk/javascript `packages/backend/src/tokens/request.ts`,
//! `authenticateRequestWithTokenInHeader` / `authenticateRequestWithTokenInCookie`).
//!
//! Who is an admin is read from the token's claims, decoded without verifying the signature
//! (the probe only needs to know what the server will see; the server verifies): the
//! organization role (`o.rol` in version 2 tokens, which Clerk reads as `org:<rol>`;
//! `org_role` in version 1), the organization permissions (`o.per` + `o.fpm` + `fea` in
//! version 2, `org_permissions` in version 1; clerk/javascript
//! `packages/shared/src/jwtPayloadParser.ts`), and a role in custom claims (`metadata.role`,
//! as Clerk's role-based access guide puts `{{user.public_metadata}}` in the token). The name
//! given with `--as` decides nothing.
//!
//! Which entries are probed comes from the authorization model (`project::authz`): an entry
//! that checks a role, one that performs an administrative operation (what
//! `missing-role-check` reports), and one that takes an organization id from its path or query.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use super::classify::Outcome;
use super::http::Client;
use super::{ProbeResult, Settings, concrete_path, dynamic_names, probe_request_as};
use crate::facts::authz::is_org_id_name;
use crate::finding::{Finding, Span};
use crate::project::Project;
use crate::project::authz::{AuthzAnalyzer, has_admin_segment, has_org_segment};
use crate::project::routes::{Entry, EntryKind};
use crate::rules::probe::{probe_org_bypass, probe_role_bypass};

/// The operation of an entry under an `admin` URL segment that calls no admin API.
const ADMIN_SEGMENT: &str = "admin URL segment";

/// Users given with `--as` at most.
pub const MAX_USERS: usize = 16;

/// What the probe knows of a session token: the claims that decide authorization.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Claims {
    /// The payload decoded as a JSON object.
    pub readable: bool,
    pub sub: Option<String>,
    /// The session token version (`v`: 2 for the current format, absent for version 1).
    pub version: Option<u64>,
    pub org_id: Option<String>,
    pub org_slug: Option<String>,
    /// With the `org:` prefix, as `auth().orgRole` gives it.
    pub org_role: Option<String>,
    pub org_permissions: Vec<String>,
    /// Roles in custom claims: `metadata.role`, `public_metadata.role`, `role`, `roles`.
    pub metadata_roles: Vec<String>,
    pub exp: Option<i64>,
}

/// `role` → `org:role` (as Clerk compares roles and permissions).
pub fn prefix_with_org(value: &str) -> String {
    let mut v = value;
    while let Some(rest) = v.strip_prefix("org:") {
        v = rest;
    }
    format!("org:{v}")
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Organization permissions of a version 2 token: `fea` lists features (`o:reports,u:x`),
/// `o.per` the permission names, `o.fpm` one bit mask per organization feature (lowest bit:
/// first permission).
fn v2_permissions(fea: Option<&str>, per: Option<&str>, fpm: Option<&str>) -> Vec<String> {
    let (Some(fea), Some(per), Some(fpm)) = (fea, per, fpm) else {
        return Vec::new();
    };
    let features: Vec<&str> = fea
        .split(',')
        .map(str::trim)
        .filter_map(|f| {
            let (scope, name) = f.split_once(':')?;
            scope.contains('o').then_some(name)
        })
        .collect();
    let perms: Vec<&str> = per.split(',').map(str::trim).collect();
    let mut out = Vec::new();
    for (feature, mask) in features.iter().zip(fpm.split(',')) {
        let Ok(mask) = mask.trim().parse::<u64>() else {
            continue;
        };
        for (i, p) in perms.iter().enumerate().take(64) {
            if mask & (1u64 << i) != 0 {
                out.push(format!("org:{feature}:{p}"));
            }
        }
    }
    out
}

fn roles_in(v: &Value, out: &mut Vec<String>) {
    if let Some(r) = v.get("role").and_then(Value::as_str) {
        out.push(r.to_string());
    }
    if let Some(rs) = v.get("roles").and_then(Value::as_array) {
        out.extend(rs.iter().filter_map(Value::as_str).map(str::to_string));
    }
}

/// Decode a JWT's payload without verifying it; unreadable tokens give `readable: false`.
pub fn decode_claims(token: &str) -> Claims {
    let mut parts = token.trim().split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Claims::default();
    };
    let payload = payload.trim_end_matches('=');
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload) else {
        return Claims::default();
    };
    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
        return Claims::default();
    };
    if !v.is_object() {
        return Claims::default();
    }
    let mut c = Claims {
        readable: true,
        sub: str_of(&v, "sub"),
        version: v.get("v").and_then(Value::as_u64),
        exp: v.get("exp").and_then(Value::as_i64),
        ..Claims::default()
    };
    if let Some(o) = v.get("o").filter(|o| o.is_object()) {
        c.org_id = str_of(o, "id");
        c.org_slug = str_of(o, "slg");
        c.org_role = str_of(o, "rol").map(|r| prefix_with_org(&r));
        c.org_permissions = v2_permissions(
            v.get("fea").and_then(Value::as_str),
            o.get("per").and_then(Value::as_str),
            o.get("fpm").and_then(Value::as_str),
        );
    } else {
        c.org_id = str_of(&v, "org_id");
        c.org_slug = str_of(&v, "org_slug");
        c.org_role = str_of(&v, "org_role").map(|r| prefix_with_org(&r));
        if let Some(ps) = v.get("org_permissions").and_then(Value::as_array) {
            c.org_permissions = ps
                .iter()
                .filter_map(Value::as_str)
                .map(prefix_with_org)
                .collect();
        }
    }
    roles_in(&v, &mut c.metadata_roles);
    for key in [
        "metadata",
        "public_metadata",
        "publicMetadata",
        "private_metadata",
    ] {
        if let Some(m) = v.get(key).filter(|m| m.is_object()) {
            roles_in(m, &mut c.metadata_roles);
        }
    }
    c.metadata_roles.dedup();
    c
}

fn admin_like(role: &str) -> bool {
    let r = role.trim().to_ascii_lowercase();
    let r = r.trim_start_matches("org:");
    r.ends_with("admin") || matches!(r, "owner" | "superuser" | "root")
}

impl Claims {
    /// An admin by its claims: an admin organization role, or an admin role in custom claims.
    pub fn is_admin(&self) -> bool {
        self.org_role.as_deref().is_some_and(admin_like)
            || self.metadata_roles.iter().any(|r| admin_like(r))
    }

    /// Whether the claims grant a role or permission as Clerk compares them (`has()` prefixes
    /// both sides with `org:`), or as a custom-claims role.
    pub fn grants(&self, required: &str) -> bool {
        let want = prefix_with_org(required);
        self.org_role.as_deref() == Some(want.as_str())
            || self.org_permissions.contains(&want)
            || self
                .metadata_roles
                .iter()
                .any(|r| r.eq_ignore_ascii_case(required) || prefix_with_org(r) == want)
    }

    /// `org:member of org_2ab…`, `metadata role admin`, `no role`.
    pub fn summary(&self) -> String {
        if !self.readable {
            return "claims not readable".into();
        }
        let mut parts = Vec::new();
        match (&self.org_role, &self.org_id) {
            (Some(r), Some(o)) => parts.push(format!("{r} of {o}")),
            (Some(r), None) => parts.push(r.clone()),
            (None, Some(o)) => parts.push(format!("in {o}, no role")),
            (None, None) => {}
        }
        if !self.metadata_roles.is_empty() {
            parts.push(format!("role {}", self.metadata_roles.join(", ")));
        }
        if parts.is_empty() {
            "no organization, no role".into()
        } else {
            parts.join("; ")
        }
    }
}

/// A user given with `--as NAME=TOKEN`. The token is never printed (no `Debug` of it).
#[derive(Clone)]
pub struct SessionUser {
    pub name: String,
    token: String,
    pub claims: Claims,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("name", &self.name)
            .field("token", &"(redacted)")
            .field("claims", &self.claims)
            .finish()
    }
}

impl SessionUser {
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `NAME=TOKEN`; errors never repeat the token.
    pub fn parse(arg: &str) -> Result<SessionUser, String> {
        let Some((name, token)) = arg.split_once('=') else {
            return Err(
                "--as: expected NAME=TOKEN (a name for the user, then its session token)".into(),
            );
        };
        let name = name.trim();
        if !super::is_plain_word(name, 40, b"-_.") {
            return Err(format!(
                "--as: `{}` is not a valid user name (letters, digits, `-`, `_`, `.`)",
                super::shown_arg(name)
            ));
        }
        let token = token.trim();
        let token = token
            .strip_prefix("Bearer ")
            .or_else(|| token.strip_prefix("__session="))
            .unwrap_or(token)
            .trim();
        if token.is_empty() {
            return Err(format!("--as {name}: the token is empty"));
        }
        if token.len() > 16 * 1024 {
            return Err(format!("--as {name}: the token is longer than 16 KiB"));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!(
                "--as {name}: the token contains a space or a control character"
            ));
        }
        Ok(SessionUser {
            name: name.to_string(),
            claims: decode_claims(token),
            token: token.to_string(),
        })
    }
}

/// Whether a user holds what an entry requires, by the token's claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    Holds,
    Lacks,
    /// The claims are not readable.
    Unknown,
}

/// A role or permission named literally (`org:admin`, `admin`), not a helper (`isAdmin()`).
fn literal_role(requires: &str) -> bool {
    !requires.ends_with("()")
        && requires != "checked"
        && super::is_plain_word(requires, usize::MAX, b":_-.")
}

/// The user's standing for an entry that requires `requires` (a role name from the analysis;
/// `None`: an administrative operation without a role check, so "an admin").
pub fn standing(claims: &Claims, requires: Option<&str>) -> Standing {
    if !claims.readable {
        return Standing::Unknown;
    }
    let holds = match requires {
        Some(r) if literal_role(r) => claims.grants(r),
        _ => claims.is_admin(),
    };
    if holds {
        Standing::Holds
    } else {
        Standing::Lacks
    }
}

/// What the probe asks of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Check {
    /// The analysis found a role or permission check (`requires`: its role, `how`: the
    /// check), or an administrative operation without one (`requires: None`,
    /// `missing_role_check`).
    Role {
        requires: Option<String>,
        how: Option<String>,
        /// The administrative operations it performs (`users.deleteUser`), or `admin URL
        /// segment`.
        operations: Vec<String>,
        /// `missing-role-check` reports it: no role check before an operation.
        missing_role_check: bool,
    },
    /// An organization id from the path (`[orgId]`) or the query (`?orgId=`).
    Org {
        /// Dynamic segments that carry it.
        segments: Vec<String>,
        /// Query keys that carry it.
        query: Vec<String>,
        /// `org-scope-unchecked` reports it.
        unchecked: bool,
    },
}

impl Check {
    /// `role org:admin`, `admin operation users.deleteUser (no role check)`, `org id in path`.
    pub fn describe(&self) -> String {
        match self {
            Check::Role {
                requires: Some(r), ..
            } => format!("role {r}"),
            Check::Role { operations, .. } => {
                format!("admin: {}, no role check", operations.join(", "))
            }
            Check::Org {
                segments, query, ..
            } => {
                let mut w = Vec::new();
                if !segments.is_empty() {
                    w.push("path");
                }
                if !query.is_empty() {
                    w.push("query");
                }
                format!("org id in {}", w.join(" and "))
            }
        }
    }
}

/// The key of a query read (`searchParams.get('orgId')` → `orgId`, `req.query.org_id` →
/// `org_id`).
pub fn query_key(read: &str) -> Option<String> {
    if let Some(i) = read.find("get(") {
        let rest = read[i + 4..].trim_start();
        let q = rest.chars().next()?;
        if matches!(q, '\'' | '"' | '`') {
            let body = &rest[1..];
            let end = body.find(q)?;
            let key = &body[..end];
            return is_org_id_name(key).then(|| key.to_string());
        }
        return None;
    }
    let last = read
        .rsplit(['.', '[', ' '])
        .next()?
        .trim_matches(|c: char| matches!(c, '\'' | '"' | ']' | '`' | ')'));
    is_org_id_name(last).then(|| last.to_string())
}

/// The role and organization checks of each entry worth probing with sessions.
pub fn checks(project: &Project, entries: &[&Entry]) -> Vec<(usize, Check)> {
    let mut az = AuthzAnalyzer::new(project);
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if !crate::rules::auth::clerk_app(project, e) || e.called_by_machine() || e.url.is_none() {
            continue;
        }
        let url = e.url.as_deref().unwrap_or("/");
        let unparsed_page = e.kind == EntryKind::Page
            && !has_org_segment(url)
            && !project.file(&e.file).is_some_and(|f| f.code_is_parsed());
        if unparsed_page {
            continue;
        }
        let key = az.entry_function(e);
        let authz = az.entry_authz(e);
        let ops = match (key, e.kind) {
            (_, EntryKind::Page) | (None, _) => Vec::new(),
            (Some(k), _) => az.ops_from(k),
        };
        // A helper listed only in `auth_functions` checks the session, not a role.
        let requires = authz.role.clone().filter(|r| {
            let helper = r.strip_suffix("()").unwrap_or(r);
            let session_only = project.config.auth_functions.iter().any(|n| n == helper);
            let role = project.config.role_functions.iter().any(|n| n == helper);
            role || !session_only
        });
        let authz = crate::project::authz::EntryAuthz {
            role_how: requires.as_ref().and(authz.role_how),
            role: requires,
            ..authz
        };
        let admin_segment = e.kind != EntryKind::Page && has_admin_segment(url);
        if authz.role.is_some() || !ops.is_empty() || admin_segment {
            let mut operations: Vec<String> = ops.iter().map(|o| o.call.clone()).collect();
            operations.dedup();
            if operations.is_empty() && admin_segment {
                operations.push(ADMIN_SEGMENT.into());
            }
            let missing =
                authz.role.is_none() && (ops.iter().any(|o| o.covered.is_none()) || ops.is_empty());
            out.push((
                i,
                Check::Role {
                    requires: authz.role.clone(),
                    how: authz.role_how.clone(),
                    operations,
                    missing_role_check: missing,
                },
            ));
        }
        let segments: Vec<String> = dynamic_names(url)
            .into_iter()
            .filter(|n| is_org_id_name(n))
            .map(str::to_string)
            .collect();
        let mut query = Vec::new();
        if let Some(k) = key
            && let Some(fa) = project
                .files
                .get(k.0)
                .and_then(|f| f.code())
                .and_then(|c| c.authz.function(k.1))
        {
            let reads = fa
                .org_reads
                .iter()
                .map(|r| (r.name.as_str(), r.source.as_str()))
                .chain(
                    fa.org_uses
                        .iter()
                        .map(|u| (u.name.as_str(), u.source.as_str())),
                );
            for (name, source) in reads {
                if source != "the query string" {
                    continue;
                }
                if let Some(q) = query_key(name)
                    && !query.contains(&q)
                {
                    query.push(q);
                }
            }
        }
        if !segments.is_empty() || !query.is_empty() {
            let unchecked = key.is_some_and(|k| az.org_unchecked(k, false).is_some());
            out.push((
                i,
                Check::Org {
                    segments,
                    query,
                    unchecked,
                },
            ));
        }
    }
    out
}

/// The outcome of one (entry, user) request, joined with the user's standing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoleVerdict {
    /// A user without the role got a success.
    RoleBypass,
    /// Another organization's id in the request, and data came back.
    OrgBypass,
    /// A user without the role was refused: the role check holds.
    RoleEnforced,
    /// Another organization's id was refused: the organization check holds.
    OrgEnforced,
    /// A user with the role got a success.
    Allowed,
    /// A user with the role was refused (a role the claims do not show, or a check stricter
    /// than the analysis saw).
    Denied,
    /// Clerk did not take the token as a session (`x-clerk-auth-status: signed-out`).
    SessionRejected,
    Error,
    Unreachable,
    Inconclusive,
    StaticOnly,
}

impl RoleVerdict {
    pub const ALL: &'static [RoleVerdict] = &[
        RoleVerdict::RoleBypass,
        RoleVerdict::OrgBypass,
        RoleVerdict::RoleEnforced,
        RoleVerdict::OrgEnforced,
        RoleVerdict::Allowed,
        RoleVerdict::Denied,
        RoleVerdict::SessionRejected,
        RoleVerdict::Error,
        RoleVerdict::Unreachable,
        RoleVerdict::Inconclusive,
        RoleVerdict::StaticOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoleVerdict::RoleBypass => "role-bypass",
            RoleVerdict::OrgBypass => "org-bypass",
            RoleVerdict::RoleEnforced => "role-enforced",
            RoleVerdict::OrgEnforced => "org-enforced",
            RoleVerdict::Allowed => "allowed",
            RoleVerdict::Denied => "denied",
            RoleVerdict::SessionRejected => "session-rejected",
            RoleVerdict::Error => "error",
            RoleVerdict::Unreachable => "unreachable",
            RoleVerdict::Inconclusive => "inconclusive",
            RoleVerdict::StaticOnly => "static-only",
        }
    }
}

/// Clerk said the request was not signed in: the token was not accepted.
fn signed_out(clerk_status: Option<&str>) -> bool {
    clerk_status.is_some_and(|s| s.eq_ignore_ascii_case("signed-out"))
}

fn common(outcome: Outcome) -> Option<RoleVerdict> {
    match outcome {
        Outcome::NotSent => Some(RoleVerdict::StaticOnly),
        Outcome::Error => Some(RoleVerdict::Error),
        Outcome::Unreachable => Some(RoleVerdict::Unreachable),
        Outcome::Inconclusive => Some(RoleVerdict::Inconclusive),
        Outcome::Open | Outcome::Protected => None,
    }
}

/// A role check's verdict for one user.
pub fn role_verdict(
    standing: Standing,
    outcome: Outcome,
    clerk_status: Option<&str>,
) -> RoleVerdict {
    if let Some(v) = common(outcome) {
        return v;
    }
    if signed_out(clerk_status) {
        return RoleVerdict::SessionRejected;
    }
    match (outcome, standing) {
        (_, Standing::Unknown) => RoleVerdict::Inconclusive,
        (Outcome::Open, Standing::Lacks) => RoleVerdict::RoleBypass,
        (Outcome::Open, Standing::Holds) => RoleVerdict::Allowed,
        (_, Standing::Lacks) => RoleVerdict::RoleEnforced,
        (_, Standing::Holds) => RoleVerdict::Denied,
    }
}

/// An organization check's verdict for one user sent with another organization's id.
pub fn org_verdict(outcome: Outcome, clerk_status: Option<&str>) -> RoleVerdict {
    if let Some(v) = common(outcome) {
        return v;
    }
    if signed_out(clerk_status) {
        return RoleVerdict::SessionRejected;
    }
    match outcome {
        Outcome::Open => RoleVerdict::OrgBypass,
        _ => RoleVerdict::OrgEnforced,
    }
}

/// One request of the role pass.
#[derive(Clone, Debug, Serialize)]
pub struct RoleRow {
    pub url: Option<String>,
    pub kind: EntryKind,
    pub symbol: String,
    pub file: String,
    #[serde(skip)]
    pub span: Span,
    pub check: Check,
    pub user: String,
    /// The user's roles by its claims.
    pub user_roles: String,
    pub standing: Option<Standing>,
    /// Another organization's id sent (org checks).
    pub foreign_org: Option<String>,
    pub method: Option<String>,
    pub request: Option<String>,
    pub result: ProbeResult,
    pub verdict: RoleVerdict,
}

/// What to send for one (entry, check, user).
fn plan_one(
    entry: &Entry,
    check: &Check,
    user: &SessionUser,
    settings: &Settings,
    foreign: Option<&str>,
) -> Result<(String, String), String> {
    let url = entry.url.as_deref().unwrap_or("/");
    let method = entry.method().unwrap_or_else(|| "GET".to_string());
    if !settings.method_allowed(&method) {
        return Err(format!(
            "{method} not sent: it may change data (allow it with --methods {method})"
        ));
    }
    let mut params: BTreeMap<String, String> = settings.params.clone();
    let org_names: Vec<&str> = dynamic_names(url)
        .into_iter()
        .filter(|n| is_org_id_name(n))
        .collect();
    match check {
        Check::Role { .. } => {
            // The user's own organization: only the role is tested.
            if let Some(own) = user.claims.org_id.as_deref() {
                for n in &org_names {
                    params
                        .entry((*n).to_string())
                        .or_insert_with(|| own.to_string());
                }
            }
            Ok((method, concrete_path(url, &params)))
        }
        Check::Org { query, .. } => {
            let Some(foreign) = foreign else {
                return Err(
                    "no other organization's id known: pass --other-org ORG_ID, or \
                            --as a user of another organization"
                        .into(),
                );
            };
            for n in &org_names {
                params.insert((*n).to_string(), foreign.to_string());
            }
            let mut path = concrete_path(url, &params);
            let enc: String = foreign
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            for (i, q) in query.iter().enumerate() {
                path.push(if i == 0 { '?' } else { '&' });
                path.push_str(q);
                path.push('=');
                path.push_str(&enc);
            }
            Ok((method, path))
        }
    }
}

/// Another organization's id for a user: `--other-org` first, then the organizations of
/// the other `--as` users; never the user's own.
pub fn foreign_org<'a>(user: &SessionUser, settings: &'a Settings) -> Option<&'a str> {
    let own = user.claims.org_id.as_deref();
    settings
        .other_orgs
        .iter()
        .map(String::as_str)
        .chain(
            settings
                .users
                .iter()
                .filter_map(|u| u.claims.org_id.as_deref()),
        )
        .find(|o| Some(*o) != own)
}

/// Send the role and organization requests of every user.
pub fn probe_roles(
    entries: &[&Entry],
    checks: &[(usize, Check)],
    settings: &Settings,
    client: &Client,
) -> Vec<RoleRow> {
    struct Job<'a> {
        entry: &'a Entry,
        check: &'a Check,
        user: &'a SessionUser,
        foreign: Option<String>,
        plan: Result<(String, String), String>,
    }
    let mut jobs = Vec::new();
    for (i, check) in checks {
        let Some(entry) = entries.get(*i) else {
            continue;
        };
        for user in &settings.users {
            let foreign = match check {
                Check::Org { .. } => foreign_org(user, settings).map(str::to_string),
                Check::Role { .. } => None,
            };
            let plan = plan_one(entry, check, user, settings, foreign.as_deref());
            jobs.push(Job {
                entry,
                check,
                user,
                foreign,
                plan,
            });
        }
    }
    let results = super::run_parallel(&jobs, settings.concurrency, |job| match &job.plan {
        Ok((method, path)) => {
            probe_request_as(client, settings, method, path, Some(job.user.token()))
        }
        Err(why) => ProbeResult::no_answer(Outcome::NotSent, why.clone(), 0),
    });
    jobs.iter()
        .zip(results)
        .map(|(job, result)| {
            let (standing, verdict) = match job.check {
                Check::Role { requires, .. } => {
                    let s = standing(&job.user.claims, requires.as_deref());
                    (
                        Some(s),
                        role_verdict(s, result.outcome, result.clerk_status.as_deref()),
                    )
                }
                Check::Org { .. } => (
                    None,
                    org_verdict(result.outcome, result.clerk_status.as_deref()),
                ),
            };
            let (method, request) = match &job.plan {
                Ok((m, p)) => (Some(m.clone()), Some(p.clone())),
                Err(_) => (None, None),
            };
            RoleRow {
                url: job.entry.url.clone(),
                kind: job.entry.kind,
                symbol: job.entry.symbol.clone(),
                file: job.entry.file.clone(),
                span: job.entry.span,
                check: job.check.clone(),
                user: job.user.name.clone(),
                user_roles: job.user.claims.summary(),
                standing,
                foreign_org: job.foreign.clone(),
                method,
                request,
                result,
                verdict,
            }
        })
        .collect()
}

/// Findings of `probe-role-bypass` and `probe-org-bypass`: one per entry and rule, naming
/// every user it served.
pub fn findings(rows: &[RoleRow]) -> Vec<Finding> {
    let mut groups: BTreeMap<(String, String, usize, RoleVerdict), Vec<&RoleRow>> = BTreeMap::new();
    for r in rows {
        if matches!(r.verdict, RoleVerdict::RoleBypass | RoleVerdict::OrgBypass) {
            groups
                .entry((r.file.clone(), r.symbol.clone(), r.span.start, r.verdict))
                .or_default()
                .push(r);
        }
    }
    let mut out = Vec::new();
    for ((file, symbol, _, verdict), rows) in groups {
        let first = rows[0];
        let (Some(method), Some(request)) = (&first.method, &first.request) else {
            continue;
        };
        let target = format!("`{method} {request}`");
        let answer = first.result.answer();
        let excerpt = first
            .result
            .excerpt
            .as_deref()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        let users: Vec<String> = rows
            .iter()
            .map(|r| format!("`{}` ({})", r.user, r.user_roles))
            .collect();
        let users = users.join(", ");
        let (meta, message, help, label) = match (&first.check, verdict) {
            (
                Check::Role {
                    requires,
                    how,
                    operations,
                    missing_role_check,
                },
                RoleVerdict::RoleBypass,
            ) => {
                let ops = operations
                    .iter()
                    .map(|o| {
                        if o == ADMIN_SEGMENT {
                            "an `admin` URL segment".to_string()
                        } else {
                            format!("`{o}()`")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let why = match (requires, how) {
                    (Some(r), Some(h)) => format!(
                        "the analysis found a check for `{r}` ({}), but {target} answered",
                        h.trim_matches('`')
                    ),
                    (Some(r), None) => {
                        format!("the analysis found a check for `{r}`, but {target} answered")
                    }
                    _ if *missing_role_check => format!(
                        "{target} performs an administrative operation ({ops}) with no role \
                         check, and answered"
                    ),
                    _ => format!(
                        "{target} performs an administrative operation ({ops}), and answered"
                    ),
                };
                let need = match requires {
                    Some(r) => format!("without `{r}`"),
                    None => "who is not an admin by its claims".to_string(),
                };
                (
                    &probe_role_bypass::ProbeRoleBypass::META,
                    format!("{why} {answer} to {users}, {need}{excerpt}"),
                    "check the role in the handler and answer 403 to everyone else: `await \
                     auth.protect({ role: 'org:admin' })`, or `if (!has({ role: 'org:admin' \
                     })) return new Response(null, { status: 403 })`"
                        .to_string(),
                    "served to a user without the role",
                )
            }
            (Check::Org { unchecked, .. }, _) => {
                let foreign = first.foreign_org.as_deref().unwrap_or("?");
                let why = if *unchecked {
                    "the analysis found no check of the organization id (org-scope-unchecked), and"
                } else {
                    "the analysis saw an organization check, but"
                };
                (
                    &probe_org_bypass::ProbeOrgBypass::META,
                    format!(
                        "{why} {target}, with another organization's id (`{foreign}`), \
                         answered {answer} to {users}{excerpt}"
                    ),
                    "compare the organization id of the request with the session's before \
                     using it — `const { orgId: activeOrgId } = await auth(); if (orgId !== \
                     activeOrgId) return new Response(null, { status: 403 })` — or check \
                     membership"
                        .to_string(),
                    "served another organization's data",
                )
            }
            _ => continue,
        };
        out.push(
            super::ProbeFinding {
                meta,
                file: &file,
                span: first.span,
                message,
                help,
                symbol: &symbol,
                label,
                method,
                url: first.url.as_deref(),
                request,
            }
            .build(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.{}",
            e(r#"{"alg":"RS256","typ":"JWT"}"#),
            e(payload),
            e("sig")
        )
    }

    #[test]
    fn v2_claims() {
        let c = decode_claims(&jwt(
            r#"{"sub":"user_1","v":2,"o":{"id":"org_a","slg":"acme","rol":"admin","per":"read,manage","fpm":"3,1"},"fea":"o:reports,u:x,o:billing"}"#,
        ));
        assert!(c.readable);
        assert_eq!(c.version, Some(2));
        assert_eq!(c.org_id.as_deref(), Some("org_a"));
        assert_eq!(c.org_role.as_deref(), Some("org:admin"));
        assert_eq!(
            c.org_permissions,
            vec!["org:reports:read", "org:reports:manage", "org:billing:read"]
        );
        assert!(c.is_admin());
        assert!(c.grants("org:admin") && c.grants("admin"));
        assert!(c.grants("org:reports:manage") && !c.grants("org:billing:manage"));
        assert_eq!(c.summary(), "org:admin of org_a");
    }

    #[test]
    fn v1_and_metadata_claims() {
        let c = decode_claims(&jwt(
            r#"{"sub":"user_2","org_id":"org_b","org_role":"org:member","org_permissions":["org:sys_profile:read"]}"#,
        ));
        assert_eq!(c.org_role.as_deref(), Some("org:member"));
        assert!(!c.is_admin());
        assert!(c.grants("org:sys_profile:read"));
        assert!(!c.grants("org:admin"));
        let c = decode_claims(&jwt(r#"{"sub":"u","metadata":{"role":"admin"}}"#));
        assert!(c.is_admin());
        assert!(c.grants("admin"));
        assert_eq!(c.summary(), "role admin");
        let c = decode_claims(&jwt(
            r#"{"sub":"u","public_metadata":{"roles":["editor"]}}"#,
        ));
        assert!(!c.is_admin());
        assert!(c.grants("editor"));
    }

    #[test]
    fn unreadable_tokens() {
        for t in [
            "",
            "opaque",
            "a.b",
            "a.!!!.c",
            "a.b.c.d",
            &jwt("[1]"),
            &jwt("not json"),
        ] {
            let c = decode_claims(t);
            assert!(!c.readable, "{t}");
            assert_eq!(standing(&c, Some("org:admin")), Standing::Unknown);
        }
    }

    #[test]
    fn standings() {
        let member = decode_claims(&jwt(r#"{"sub":"u","v":2,"o":{"id":"o","rol":"member"}}"#));
        let admin = decode_claims(&jwt(r#"{"sub":"u","v":2,"o":{"id":"o","rol":"admin"}}"#));
        assert_eq!(standing(&member, Some("org:admin")), Standing::Lacks);
        assert_eq!(standing(&admin, Some("org:admin")), Standing::Holds);
        // A helper: the claims' admin-ness decides.
        assert_eq!(standing(&member, Some("isAdmin()")), Standing::Lacks);
        assert_eq!(standing(&admin, Some("isAdmin()")), Standing::Holds);
        assert_eq!(standing(&admin, None), Standing::Holds);
        assert_eq!(standing(&member, None), Standing::Lacks);
        // A role the admin does not have either.
        assert_eq!(standing(&admin, Some("org:billing")), Standing::Lacks);
    }

    #[test]
    fn verdicts() {
        use Outcome as O;
        use RoleVerdict as V;
        use Standing as S;
        assert_eq!(role_verdict(S::Lacks, O::Open, None), V::RoleBypass);
        assert_eq!(
            role_verdict(S::Lacks, O::Open, Some("signed-in")),
            V::RoleBypass
        );
        assert_eq!(
            role_verdict(S::Lacks, O::Protected, Some("signed-in")),
            V::RoleEnforced
        );
        assert_eq!(role_verdict(S::Holds, O::Open, None), V::Allowed);
        assert_eq!(role_verdict(S::Holds, O::Protected, None), V::Denied);
        assert_eq!(
            role_verdict(S::Lacks, O::Open, Some("signed-out")),
            V::SessionRejected,
            "a rejected token proves nothing about roles"
        );
        assert_eq!(role_verdict(S::Unknown, O::Open, None), V::Inconclusive);
        assert_eq!(role_verdict(S::Lacks, O::NotSent, None), V::StaticOnly);
        assert_eq!(role_verdict(S::Lacks, O::Error, None), V::Error);
        assert_eq!(
            role_verdict(S::Lacks, O::Inconclusive, None),
            V::Inconclusive
        );
        assert_eq!(org_verdict(O::Open, Some("signed-in")), V::OrgBypass);
        assert_eq!(org_verdict(O::Protected, None), V::OrgEnforced);
        assert_eq!(org_verdict(O::Open, Some("signed-out")), V::SessionRejected);
        assert_eq!(org_verdict(O::Unreachable, None), V::Unreachable);
    }

    #[test]
    fn query_keys() {
        assert_eq!(
            query_key("searchParams.get('orgId')").as_deref(),
            Some("orgId")
        );
        assert_eq!(
            query_key("url.searchParams.get(\"organization_id\")").as_deref(),
            Some("organization_id")
        );
        assert_eq!(query_key("req.query.orgId").as_deref(), Some("orgId"));
        assert_eq!(query_key("query['org_id']").as_deref(), Some("org_id"));
        assert_eq!(query_key("orgId").as_deref(), Some("orgId"));
        assert_eq!(query_key("searchParams.get('id')"), None);
        assert_eq!(query_key("projectId"), None);
    }

    #[test]
    fn arbitrary_tokens_and_reads_never_panic() {
        let pieces = [
            "eyJ",
            ".",
            "=",
            "e30",
            "eyJvIjp7fX0",
            "get(",
            "'",
            "\"",
            "orgId",
            "é",
            "\u{0}",
            "a",
            "query.",
            "[",
            "]",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..(seed % 12) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(0x9e37_79b9);
            let c = decode_claims(&text);
            let _ = (c.summary(), c.is_admin(), standing(&c, Some(&text)));
            let _ = query_key(&text);
            let _ = SessionUser::parse(&text);
        }
    }

    #[test]
    fn user_args() {
        let u = SessionUser::parse("member=Bearer abc.def.ghi").unwrap();
        assert_eq!(u.name, "member");
        assert_eq!(u.token(), "abc.def.ghi");
        assert!(!format!("{u:?}").contains("abc.def"));
        for bad in [
            "member",
            "=s3cr3t",
            "a b=s3cr3t",
            "m=",
            "m=s3 cr3t",
            "m=s3cr3t\u{1}",
        ] {
            let e = SessionUser::parse(bad).unwrap_err();
            assert!(!e.contains("s3"), "{bad}: {e}");
        }
        assert_eq!(prefix_with_org("org:org:admin"), "org:admin");
        assert_eq!(prefix_with_org("admin"), "org:admin");
    }
}
