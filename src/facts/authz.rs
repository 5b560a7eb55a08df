//! Authorization facts of a parsed module, for the `authz` rules.
//!
//! Per function (indexed like `CodeFacts::functions`): the Clerk Backend API mutations it
//! performs (`(await clerkClient()).users.deleteUser(id)`), the role and permission checks that
//! gate its work, and the organization ids it reads from the request, compares with the
//! session, or uses. Per module: `auth.protect({…})`/`has({…})` objects that mix authorization
//! criteria with redirect or token options (CVE-2026-42349).
//!
//! Extraction is intra-procedural and name-based; the project phase (`project::authz`)
//! decides whether a client is Clerk's and what a called helper does.

use crate::parse::NodeFields;
use crate::parse::NodeKind;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::code::{CalleePath, CodeFacts, holds_no_code, is_function_kind, span, strip};
use crate::finding::Span;

/// Backend API resources whose mutations act on other users, organizations or the instance.
pub const ADMIN_RESOURCES: &[&str] = &[
    "users",
    "organizations",
    "invitations",
    "sessions",
    "allowlistIdentifiers",
    "blocklistIdentifiers",
    "emailAddresses",
    "phoneNumbers",
    "samlConnections",
    "domains",
    "redirectUrls",
    "jwtTemplates",
    "actorTokens",
    "signInTokens",
];

/// Backend API resources whose calls matter only as step-up (reverification) candidates: they
/// mint machine credentials (`apiKeys.create`, `oauthApplications.create`, `machines.create`).
/// Not administrative in the sense of `ADMIN_RESOURCES` (`missing-role-check` ignores them).
pub const CREDENTIAL_RESOURCES: &[&str] = &["apiKeys", "oauthApplications", "machines"];

/// Whether `resource` is one whose calls are recorded as `AdminCall`s.
fn recorded_resource(resource: &str) -> bool {
    ADMIN_RESOURCES.contains(&resource) || CREDENTIAL_RESOURCES.contains(&resource)
}

/// A sensitive operation: one Clerk asks to guard with reverification (step-up), or a clearly
/// destructive operation of the app itself. Method names are those of `@clerk/backend`
/// (`packages/backend/src/api/endpoints/*.ts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sensitive {
    /// `users.deleteUser`.
    DeleteUser,
    /// `organizations.deleteOrganization`.
    DeleteOrganization,
    /// Sign-in credentials and MFA: primary email/phone, password, username, TOTP, backup codes,
    /// passkeys, external accounts (`users.updateUser({ password })`, `users.disableUserMFA`,
    /// `emailAddresses.createEmailAddress`, …).
    Credentials,
    /// Roles and memberships (`organizations.updateOrganizationMembership`, a role written to
    /// user metadata).
    Membership,
    /// `sessions.revokeSession`.
    Session,
    /// API keys, OAuth applications and machines (`apiKeys.create`, `oauthApplications.create`).
    MachineCredential,
    /// A destructive call of the app's own data layer (`db.user.deleteMany`), reported only
    /// behind an admin role.
    AppDestructive,
}

impl Sensitive {
    /// A sentence fragment for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Sensitive::DeleteUser => "deletes a user account",
            Sensitive::DeleteOrganization => "deletes an organization",
            Sensitive::Credentials => "changes a user's sign-in credentials or MFA settings",
            Sensitive::Membership => "changes roles or memberships",
            Sensitive::Session => "revokes a session",
            Sensitive::MachineCredential => "creates a machine credential (API key, OAuth app)",
            Sensitive::AppDestructive => "is a destructive data operation behind an admin role",
        }
    }
}

/// `users.updateUser` keys that change how the user signs in.
const CREDENTIAL_KEYS: &[&str] = &[
    "password",
    "primaryEmailAddressID",
    "primaryPhoneNumberID",
    "primaryWeb3WalletID",
    "username",
    "totpSecret",
    "backupCodes",
];

/// Whether a Backend API call is sensitive; `args` is the text of its arguments (some methods
/// are sensitive only for some fields: `updateUser(id, { password })`).
pub fn sensitive_kind(resource: &str, method: &str, args: &str) -> Option<Sensitive> {
    let mentions = |k: &str| args.contains(k);
    match (resource, method) {
        ("users", "deleteUser") => Some(Sensitive::DeleteUser),
        ("organizations", "deleteOrganization") => Some(Sensitive::DeleteOrganization),
        (
            "users",
            "disableUserMFA"
            | "removePassword"
            | "replaceUserEmailAddress"
            | "replaceUserPhoneNumber"
            | "deleteUserPasskey"
            | "deleteUserWeb3Wallet"
            | "deleteUserExternalAccount"
            | "deleteUserBackupCodes"
            | "deleteUserTOTP",
        ) => Some(Sensitive::Credentials),
        ("users", "updateUser") if CREDENTIAL_KEYS.iter().any(|k| mentions(k)) => {
            Some(Sensitive::Credentials)
        }
        ("users", "updateUserMetadata" | "replaceUserMetadata" | "updateUser")
            if contains_ignore_case(args, "role") =>
        {
            Some(Sensitive::Membership)
        }
        ("emailAddresses", "createEmailAddress" | "updateEmailAddress" | "deleteEmailAddress")
        | ("phoneNumbers", "createPhoneNumber" | "updatePhoneNumber" | "deletePhoneNumber") => {
            Some(Sensitive::Credentials)
        }
        (
            "organizations",
            "createOrganizationMembership"
            | "updateOrganizationMembership"
            | "deleteOrganizationMembership",
        ) => Some(Sensitive::Membership),
        ("sessions", "revokeSession") => Some(Sensitive::Session),
        ("apiKeys", "create")
        | ("oauthApplications", "create" | "rotateSecret")
        | ("machines", "create" | "rotateSecretKey") => Some(Sensitive::MachineCredential),
        _ => None,
    }
}

/// Whether a call of the app's own data layer deletes data: `db.user.deleteMany(…)`,
/// `prisma.post.delete(…)`, `db.delete(users)` (drizzle), `supabase.from('x').delete()`.
/// The receiver must name a database client, so `cookies().delete('x')` and `map.delete(k)`
/// are not.
pub fn is_destructive_data_call(path: &[String]) -> bool {
    let Some(last) = path.last() else {
        return false;
    };
    if !matches!(
        last.trim_end_matches("()"),
        "delete" | "deleteMany" | "deleteOne" | "destroy" | "truncate" | "dropTable" | "drop"
    ) || path.len() < 2
    {
        return false;
    }
    let first = path[0].trim_end_matches("()").to_ascii_lowercase();
    let first = first.trim_start_matches('_');
    matches!(
        first,
        "db" | "prisma" | "supabase" | "drizzle" | "knex" | "sql" | "mongo"
    ) || first.ends_with("db")
        || first.starts_with("db")
        || first.starts_with("prisma")
        || first.starts_with("supabase")
        || (path.len() > 2 && path[1].trim_end_matches("()") == "db")
}

const DESTRUCTIVE_PREFIXES: &[&str] = &["delete", "ban", "lock", "revoke", "remove", "disable"];
const MUTATION_PREFIXES: &[&str] = &[
    "create", "update", "unban", "unlock", "add", "set", "unset", "merge", "invite", "enable",
    "replace",
];

/// Whether a Backend API method mutates: `Some(true)` when it deletes, bans, locks, revokes,
/// removes or disables something, `Some(false)` for other mutations, `None` for reads.
pub fn mutation_kind(method: &str) -> Option<bool> {
    let starts = |p: &&str| {
        method.strip_prefix(*p).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
        })
    };
    if DESTRUCTIVE_PREFIXES.iter().any(starts) {
        Some(true)
    } else if MUTATION_PREFIXES.iter().any(starts) {
        Some(false)
    } else {
        None
    }
}

/// Whether a name holds an organization id or slug (`orgId`, `organization_id`, `orgSlug`).
pub fn is_org_id_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        n.as_str(),
        "orgid" | "organizationid" | "orgslug" | "organizationslug"
    )
}

/// Whether text tests a role or permission: `has({ role })`, `orgRole !== 'org:admin'`,
/// `sessionClaims?.metadata?.role === 'admin'`, `roles.includes('admin')`.
pub fn is_role_test(text: &str) -> bool {
    let mentions = contains_ignore_case(text, "role") || contains_ignore_case(text, "permission");
    if !mentions {
        return false;
    }
    let has_call = text.contains("has(");
    let compares = text.contains("==")
        || text.contains("!=")
        || text.contains("includes(")
        || text.contains("some(");
    has_call || compares
}

/// ASCII case-insensitive `contains`, without allocating.
fn contains_ignore_case(text: &str, word: &str) -> bool {
    let w = word.as_bytes();
    text.as_bytes()
        .windows(w.len())
        .any(|win| win.eq_ignore_ascii_case(w))
}

/// A Backend API mutation: `<client>.<resource>.<method>(…)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCall {
    /// The call expression.
    pub span: Span,
    /// The module-level name the client comes from (`clerkClient`, `createClerkClient`, or a
    /// name bound to a client); `None` when it cannot be named.
    pub factory: Option<String>,
    pub resource: String,
    pub method: String,
    pub destructive: bool,
    /// Whose account it acts on, from its first argument: the signed-in user
    /// (`users.updateUserMetadata(userId, …)` with `userId` from `auth()`), the function's own
    /// parameter (its caller decides), or anyone else.
    pub target: Source,
    /// What it writes into the user's trusted metadata (`publicMetadata`, `privateMetadata`)
    /// under a key that grants power (`role`, `permissions`, `isAdmin`), or in a spread of
    /// unknown keys: the most dangerous source among them.
    pub grant: Option<Source>,
    /// On one of `ADMIN_RESOURCES` (what `missing-role-check` reports); `false` for
    /// `CREDENTIAL_RESOURCES`.
    pub admin: bool,
    /// The operation is sensitive (a step-up candidate).
    pub sensitive: Option<Sensitive>,
}

/// Where a value comes from, as far as authorization cares.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The signed-in user's own id (from `auth()`, `currentUser()`).
    Caller,
    /// The function's own parameter at this index: its caller decides.
    Param(u8),
    /// Request data not tested before use; the text says where it comes from (`the request
    /// body`).
    Request(String),
    /// Request data that a test came first for (an allow-list, a comparison, a schema).
    TestedRequest,
    /// None of these: a constant, the database, the server's own state.
    Server,
}

impl Source {
    /// Ranks sources by how much of the value the caller chooses (the worst one wins).
    fn danger(&self) -> u8 {
        match self {
            Source::Request(_) => 4,
            Source::Param(_) => 3,
            Source::TestedRequest => 2,
            Source::Caller => 1,
            Source::Server => 0,
        }
    }

    /// A `Param` resolved through the arguments of a call of the function (`Server` when the
    /// caller passes fewer).
    pub fn through(&self, args: &[Source]) -> Source {
        match self {
            Source::Param(i) => args.get(*i as usize).cloned().unwrap_or(Source::Server),
            other => other.clone(),
        }
    }
}

/// The sources of a call's arguments, recorded when one of them is not `Source::Server`: what
/// a helper's `Source::Param` facts resolve to at this call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallArgs {
    /// The call expression.
    pub span: Span,
    pub args: Vec<Source>,
}

/// Whether a metadata key grants power when the user can write it (`role`, `orgRoles`,
/// `permissions`, `isAdmin`).
pub fn is_privilege_key(key: &str) -> bool {
    ["role", "permission", "admin"]
        .iter()
        .any(|w| contains_ignore_case(key, w))
}

/// A reverification (step-up) check that gates what follows:
/// `auth.protect({ reverification: 'strict' })`, or `if (!has({ reverification: 'strict' }))
/// return reverificationError('strict')`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepUpCheck {
    pub span: Span,
    pub how: String,
    /// It throws or answers 404 (`auth.protect`), stopping callers too, rather than returning.
    pub throws: bool,
}

/// A role or permission check that gates what follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCheck {
    pub span: Span,
    pub how: String,
    /// A call whose result decides the check (`if (!(await isAdmin())) return`): a role check
    /// only when that function is one (decided in the project phase).
    pub via: Option<CalleePath>,
    /// It throws, redirects or answers 404 (stopping callers too), rather than returning.
    pub throws: bool,
}

/// An organization id read from the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRead {
    pub span: Span,
    /// The local name or expression (`orgId`, `params.orgId`).
    pub name: String,
    /// Where it comes from: `the route params`, `the query string`, `the request body`, …
    pub source: String,
}

/// A call that receives a request-supplied organization id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUse {
    pub span: Span,
    pub callee: CalleePath,
    /// The org id as written in the call (`orgId`, `params.orgId`).
    pub name: String,
    /// Where it comes from (as in `OrgRead::source`).
    pub source: String,
}

/// A comparison of a request-supplied organization id with the session, or a membership check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgCheck {
    pub span: Span,
    pub how: String,
}

/// `auth.protect({ role, unauthorizedUrl })`, `has({ permission, reverification })`: one object
/// that mixes authorization criteria with redirect/token options, or several criteria.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionMix {
    pub span: Span,
    /// `auth.protect`, `has`.
    pub call: String,
    pub keys: Vec<String>,
}

/// What one function does that matters for authorization.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FnAuthz {
    pub admin_calls: Vec<AdminCall>,
    pub role_checks: Vec<RoleCheck>,
    /// It returns the result of a role test (`return has({ role })`,
    /// `return sessionClaims?.metadata.role === role`): callers that act on it check a role.
    pub returns_role: Option<String>,
    pub org_reads: Vec<OrgRead>,
    pub org_uses: Vec<OrgUse>,
    pub org_checks: Vec<OrgCheck>,
    /// Data calls scoped by the session's own `orgId`.
    pub session_org_used: bool,
    /// Reverification checks in its own body.
    pub step_ups: Vec<StepUpCheck>,
    /// It returns the result of a reverification test (`return has({ reverification: 'strict'
    /// })`): callers that act on it require step-up.
    pub returns_step_up: Option<String>,
    /// Calls that pass the signed-in user's id, a parameter or request data.
    pub call_args: Vec<CallArgs>,
}

/// Authorization facts of a module.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthzFacts {
    /// Indexed like `CodeFacts::functions`, up to the last function that has any facts: the
    /// functions past its end have none (most modules' list is empty, and holds no memory).
    pub functions: Vec<FnAuthz>,
    pub option_mixes: Vec<OptionMix>,
}

impl AuthzFacts {
    /// The facts of function `i`; `None` when it has none.
    pub fn function(&self, i: usize) -> Option<&FnAuthz> {
        self.functions.get(i)
    }
}

/// Which kinds of facts a module can have, from its text (each kind's words must occur).
#[derive(Clone, Copy, Debug)]
struct Gates {
    /// Backend API clients and resources.
    admin: bool,
    /// Organization ids.
    org: bool,
    /// Role and permission tests.
    role: bool,
}

/// Gate words: (word, kind) with kind 0 = admin, 1 = org, 2 = role.
const GATE_WORDS: &[(&str, u8)] = &[
    ("lerkClient", 0),
    ("users.", 0),
    ("organizations.", 0),
    ("invitations.", 0),
    ("sessions.", 0),
    ("Identifiers.", 0),
    ("emailAddresses.", 0),
    ("phoneNumbers.", 0),
    ("samlConnections.", 0),
    ("domains.", 0),
    ("redirectUrls.", 0),
    ("jwtTemplates.", 0),
    ("actorTokens.", 0),
    ("signInTokens.", 0),
    ("apiKeys.", 0),
    ("oauthApplications.", 0),
    ("machines.", 0),
    ("orgId", 1),
    ("OrgId", 1),
    ("organizationId", 1),
    ("OrganizationId", 1),
    ("org_id", 1),
    ("organization_id", 1),
    ("orgSlug", 1),
    ("organizationSlug", 1),
    ("role", 2),
    ("Role", 2),
    ("permission", 2),
    ("Permission", 2),
    ("has(", 2),
    ("protect(", 2),
];

static GATES: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        // No gate word overlaps another: a non-overlapping search finds them all.
        crate::prefilter::words_automaton(GATE_WORDS.iter().map(|(w, _)| *w))
    });

impl Gates {
    /// One pass over the text (no gate word overlaps another); stops once every kind is seen.
    fn of(src: &str) -> Gates {
        let Some(ac) = GATES.as_ref() else {
            return Gates {
                admin: true,
                org: true,
                role: true,
            };
        };
        let mut seen = [false; 3];
        for m in ac.find_iter(src) {
            seen[GATE_WORDS[m.pattern().as_usize()].1 as usize] = true;
            if seen.iter().all(|x| *x) {
                break;
            }
        }
        Gates {
            admin: seen[0],
            org: seen[1],
            role: seen[2],
        }
    }
}

const AUTHZ_KEYS: &[&str] = &["role", "permission", "feature", "plan", "reverification"];
const OPTION_KEYS: &[&str] = &["unauthenticatedUrl", "unauthorizedUrl", "token"];

/// Extract the authorization facts of a module (after `code::extract`).
///
/// Every module with functions is walked: a handler whose only authorization is
/// `if (!(await isAdmin())) return` mentions none of the words the other facts need.
pub fn extract(root: Node<'_>, src: &str, code: &CodeFacts) -> AuthzFacts {
    let mut out = AuthzFacts::default();
    if code.functions.is_empty() {
        return out;
    }
    let gates = Gates::of(src);
    for f in &code.functions {
        let node = node_at(root, f.range);
        let mut w = Walk::new(root, src, code, gates);
        if let Some(n) = node {
            w.function(n);
        }
        out.functions.push(w.out);
    }
    // The functions without facts at the end are left out (`AuthzFacts::functions`).
    let has_facts = out.functions.iter().rposition(|f| *f != FnAuthz::default());
    out.functions.truncate(has_facts.map_or(0, |i| i + 1));
    out.functions.shrink_to_fit();
    if may_mix_options(src) {
        option_mixes(root, src, &mut out.option_mixes);
    }
    out
}

/// Whether `text` uses the name `name` as a value (a whole word that is not an object key
/// nor a property: `{ userId }`, `id: userId`, not `userId: other` nor `members.userId`).
fn value_use(text: &str, name: &str) -> bool {
    crate::facts::code::word_ends(text, name).any(|end| {
        let before = text[..end - name.len()].trim_end();
        !text[end..].trim_start().starts_with(':') && !before.ends_with('.')
    })
}

/// A call that lists an organization's members (`getOrganizationMembershipList`,
/// `getOrganizationMembers`, `membership.findMany`): its name says so. The user's own
/// memberships (`users.getOrganizationMembershipList`) are not such a list.
fn lists_members(path: &[String]) -> bool {
    if path.len() >= 2 && path[path.len() - 2] == "users" {
        return false;
    }
    let last = path
        .last()
        .map(|s| s.trim_end_matches("()").to_ascii_lowercase())
        .unwrap_or_default();
    last.contains("list")
        || last.ends_with("members")
        || last.ends_with("memberships")
        || last.starts_with("findmany")
}

/// The node with exactly this byte range.
fn node_at(root: Node<'_>, s: Span) -> Option<Node<'_>> {
    crate::parse::node_with_range(root, s.start, s.end)
}

fn text<'s>(src: &'s str, n: Node<'_>) -> &'s str {
    src.get(n.byte_range()).unwrap_or("")
}

/// The value of a string literal.
fn string_value(src: &str, n: Node<'_>) -> Option<String> {
    let n = strip(n);
    match n.kind_str() {
        "string" => {
            let t = text(src, n);
            Some(
                t.get(1..t.len().saturating_sub(1))
                    .unwrap_or("")
                    .to_string(),
            )
        }
        "template_string" => {
            let mut c = n.walk();
            if n.named_children(&mut c)
                .any(|x| x.kind_str() == "template_substitution")
            {
                return None;
            }
            let t = text(src, n);
            Some(
                t.get(1..t.len().saturating_sub(1))
                    .unwrap_or("")
                    .to_string(),
            )
        }
        _ => None,
    }
}

/// `a.b.c` → ["a","b","c"]; `a().b` → ["a()","b"]; `(await a()).b` → ["a()","b"].
fn callee_path(src: &str, n: Node<'_>) -> Option<CalleePath> {
    // `a.b.b.b…` thousands long recurses once per link: bounded like every other walk.
    let _depth = super::depth::Guard::enter()?;
    let n = strip(n);
    match n.kind_str() {
        "identifier" => Some(vec![text(src, n).to_string()]),
        "this" => Some(vec!["this".into()]),
        "member_expression" => {
            let mut path = callee_path(src, n.field("object")?)?;
            path.push(text(src, n.field("property")?).to_string());
            Some(path)
        }
        "subscript_expression" => {
            let mut path = callee_path(src, n.field("object")?)?;
            let idx = n.field("index")?;
            path.push(string_value(src, idx).unwrap_or_else(|| "[]".into()));
            Some(path)
        }
        "call_expression" => {
            let mut path = callee_path(src, n.field("function")?)?;
            if let Some(last) = path.last_mut() {
                last.push_str("()");
            }
            Some(path)
        }
        _ => None,
    }
}

/// The identifier at the root of `a.b.c`, `a?.b`, `(await a).b`, `a['b']`.
fn root_identifier<'s>(src: &'s str, n: Node<'_>) -> Option<&'s str> {
    // A loop, not recursion: member chains can be thousands of links long.
    let mut n = strip(n);
    loop {
        match n.kind_str() {
            "identifier" => return Some(text(src, n)),
            "member_expression" | "subscript_expression" => {
                n = strip(n.field("object")?);
            }
            _ => return None,
        }
    }
}

/// The property name of a member or string-subscript expression.
fn property_name(src: &str, n: Node<'_>) -> Option<String> {
    match n.kind_str() {
        "member_expression" => Some(text(src, n.field("property")?).to_string()),
        "subscript_expression" => string_value(src, n.field("index")?),
        _ => None,
    }
}

/// (key, local) pairs of an object pattern, with nested patterns flattened:
/// `{ params: { orgId } }` → ("params.orgId", "orgId").
fn pattern_names(src: &str, pat: Node<'_>, prefix: &str, out: &mut Vec<(String, String, Span)>) {
    let mut c = pat.walk();
    for child in pat.named_children(&mut c) {
        match child.kind_str() {
            "shorthand_property_identifier_pattern" => {
                let t = text(src, child).to_string();
                out.push((format!("{prefix}{t}"), t, span(child)));
            }
            "object_assignment_pattern" => {
                if let Some(left) = child.field("left") {
                    let t = text(src, left).to_string();
                    out.push((format!("{prefix}{t}"), t, span(left)));
                }
            }
            "pair_pattern" => {
                let (Some(k), Some(v)) = (child.field("key"), child.field("value")) else {
                    continue;
                };
                let key = string_value(src, k).unwrap_or_else(|| text(src, k).to_string());
                let v = if v.kind_str() == "assignment_pattern" {
                    v.field("left").unwrap_or(v)
                } else {
                    v
                };
                match v.kind_str() {
                    "identifier" => {
                        out.push((format!("{prefix}{key}"), text(src, v).to_string(), span(v)))
                    }
                    "object_pattern" => pattern_names(src, v, &format!("{prefix}{key}."), out),
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Where request data comes from, from the text that reads it.
fn source_label(t: &str, fallback: &'static str) -> &'static str {
    if t.contains("searchParams") || t.contains(".query") || t.contains("URL(") {
        "the query string"
    } else if t.contains("params") || t.contains("Params") {
        "the route params"
    } else if t.contains("formData") || t.contains("FormData") {
        "the form data"
    } else if t.contains(".json()") || t.contains("body") || t.contains("Body") {
        "the request body"
    } else if t.contains("headers") || t.contains("cookies") {
        "the request headers"
    } else {
        fallback
    }
}

/// The label of a function parameter that carries request data.
fn param_label(name: &str) -> &'static str {
    match name {
        "params" | "props" | "context" | "ctx" | "segmentData" => "the route params",
        "searchParams" => "the query string",
        "formData" | "data" | "form" => "the form data",
        "body" => "the request body",
        _ => "the request",
    }
}

/// Calls that take an org id without reading or writing data with it.
fn is_inert_call(path: &[String]) -> bool {
    let first = path.first().map(String::as_str).unwrap_or("");
    let last = path.last().map(|s| s.trim_end_matches("()")).unwrap_or("");
    if matches!(first, "console" | "logger" | "log" | "JSON" | "Sentry") {
        return true;
    }
    if matches!(first, "Response" | "NextResponse") {
        return true;
    }
    matches!(
        last,
        "json"
            | "send"
            | "log"
            | "warn"
            | "error"
            | "info"
            | "debug"
            | "redirect"
            | "permanentRedirect"
            | "notFound"
            | "parse"
            | "safeParse"
            | "parseAsync"
            | "String"
            | "Number"
            | "parseInt"
            | "encodeURIComponent"
            | "decodeURIComponent"
            | "toString"
            | "trim"
            | "toLowerCase"
            | "toUpperCase"
            | "revalidatePath"
            | "revalidateTag"
    )
}

/// A name or a member of one (`role`, `body.role`, `data['role']`).
fn is_value_expr(n: Node<'_>) -> bool {
    matches!(
        n.kind_str(),
        "identifier" | "member_expression" | "subscript_expression"
    )
}

/// How a statement leaves the function, if it does: `Some(true)` when it throws, redirects
/// or answers 404 (which stops every caller too), `Some(false)` for a `return`.
fn exits(src: &str, stmt: Node<'_>) -> Option<bool> {
    match stmt.kind_str() {
        "throw_statement" => Some(true),
        "return_statement" => {
            let throws = stmt
                .named_child(0)
                .map(strip)
                .filter(|e| e.kind_str() == "call_expression")
                .and_then(|e| e.field("function"))
                .and_then(|f| callee_path(src, f))
                .and_then(|p| p.last().cloned())
                .is_some_and(|last| is_exit_call(&last));
            Some(throws)
        }
        "statement_block" => {
            let mut c = stmt.walk();
            let stmts: Vec<Node<'_>> = stmt.named_children(&mut c).collect();
            let kinds: Vec<bool> = stmts.iter().filter_map(|s| exits(src, *s)).collect();
            if kinds.is_empty() {
                None
            } else {
                Some(kinds.iter().any(|t| *t))
            }
        }
        "expression_statement" => stmt
            .named_child(0)
            .map(strip)
            .filter(|e| e.kind_str() == "call_expression")
            .and_then(|e| e.field("function"))
            .and_then(|f| callee_path(src, f))
            .and_then(|p| p.last().cloned())
            .filter(|last| is_exit_call(last))
            .map(|_| true),
        _ => None,
    }
}

/// Calls that leave the request by throwing (Next.js navigation helpers, Clerk redirects).
fn is_exit_call(last: &str) -> bool {
    matches!(
        last.trim_end_matches("()"),
        "redirect"
            | "permanentRedirect"
            | "notFound"
            | "forbidden"
            | "unauthorized"
            | "redirectToSignIn"
            | "protect"
    )
}

/// The most `if` conditions of one function kept for `Walk::is_tested`.
const MAX_CONDS: usize = 256;

/// What a local name holds.
#[derive(Default)]
struct Scope {
    /// Local name → the module-level name a Clerk client comes from.
    clients: HashMap<String, String>,
    /// Local name → (resource, factory): `const { users } = await clerkClient()`.
    resources: HashMap<String, (String, String)>,
    /// Objects from Clerk's session APIs (`auth()`, `currentUser()`, `sessionClaims`, `has`).
    session: HashSet<String>,
    /// The signed-in user's id.
    self_ids: HashSet<String>,
    /// Expressions naming the signed-in user's own record's id (`user.id` of `currentUser()`,
    /// or of the app's user row looked up by the caller's id: `const user = await
    /// getUserByClerkId(userId)`): a lookup keyed by one finds the caller's own rows.
    self_keys: HashSet<String>,
    /// The session's active organization id/slug.
    session_orgs: HashSet<String>,
    /// Rows looked up by a token the request carries (`const invite = await
    /// db.invite.findUnique({ where: { token } })`): an unguessable token names the row, so
    /// the organization the row names is one the caller was given, like the session's.
    token_rows: HashSet<String>,
    /// Request data: local name → where it comes from.
    request: HashMap<String, &'static str>,
    /// The function's own parameters (request data only for entries), by position.
    params: HashMap<String, u8>,
    /// Expressions (as written, compacted) switched on (`switch (role)`).
    tested: HashSet<String>,
    /// The byte ranges of the `if` conditions met so far, read again only when a value's
    /// source is asked (`Walk::is_tested`).
    conds: Vec<(usize, usize)>,
    /// More conditions than `MAX_CONDS` were met: request data counts as tested (a value
    /// source asked per call would otherwise read every condition again).
    too_many_conds: bool,
    /// Names holding a schema's parse of request data (`schema.parse(body)`): validated whole.
    validated: HashSet<String>,
    /// Request-supplied organization ids: local name → where it comes from.
    org_ids: HashMap<String, &'static str>,
    /// The organization's row looked up by a request-supplied id (`const org = await
    /// db.org.findFirst({ where: { id: orgId } })`): name → where the id comes from. Its `.id`
    /// is that org id again.
    org_rows: HashMap<String, &'static str>,
    /// Such a lookup's use of the id, while nothing but a membership test keyed by the caller
    /// and the row's id (which excuses it: the row is read, not shown, until the test) has
    /// used the row: row name → the use's span.
    pending_rows: HashMap<String, Span>,
    /// The single-row lookup being declared (its value's range and the name bound to it).
    row_decl: Option<(Span, String)>,
    /// Lists of an organization's members not keyed by the caller
    /// (`organizations.getOrganizationMembershipList({ organizationId })`), by span: a
    /// membership test only once the caller's id is looked for in them (`m.userId ===
    /// userId`, `ids.includes(userId)`).
    pending_lists: Vec<(Span, String)>,
    /// Names holding a role test result.
    role_vars: HashMap<String, String>,
    /// Names holding the result of a call (`const ok = await canManage()`).
    call_vars: HashMap<String, CalleePath>,
    /// Names holding a reverification test (`const stale = !has({ reverification: 'strict' })`).
    step_up_vars: HashMap<String, String>,
}

struct Walk<'t, 's, 'c> {
    /// The module's syntax tree (to find a recorded condition again).
    tree: Node<'t>,
    src: &'s str,
    code: &'c CodeFacts,
    scope: Scope,
    out: FnAuthz,
    /// The walked function's node id.
    root: usize,
    gates: Gates,
    /// The node being visited is inside a callback (a function nested in the walked one), where
    /// an early exit does not stop the walked function.
    in_callback: bool,
}

impl<'t, 's, 'c> Walk<'t, 's, 'c> {
    fn new(tree: Node<'t>, src: &'s str, code: &'c CodeFacts, gates: Gates) -> Self {
        Walk {
            tree,
            src,
            code,
            scope: Scope::default(),
            out: FnAuthz::default(),
            root: 0,
            gates,
            in_callback: false,
        }
    }

    fn text(&self, n: Node<'_>) -> &'s str {
        text(self.src, n)
    }

    /// Whether a local name is Clerk's session API (`auth`, `getAuth`, `currentUser`).
    fn is_clerk_session_fn(&self, name: &str) -> bool {
        if !matches!(name, "auth" | "getAuth" | "currentUser") {
            return false;
        }
        match self.code.imports.get(name) {
            Some(b) => b.source.starts_with("@clerk/"),
            // A middleware callback's `auth` parameter, or an unresolved global.
            None => !self.code.bindings.contains_key(name),
        }
    }

    /// Whether an expression may be a session call (`session_call`), from its text alone.
    fn may_be_session_call(&self, v: Node<'_>) -> bool {
        let t = self.text(v);
        (t.contains("uth") || t.contains("currentUser")) && self.session_call(v).is_some()
    }

    /// A call of Clerk's session API: `auth()`, `auth.protect()`, `currentUser()`, `getAuth(req)`.
    fn session_call(&self, call: Node<'_>) -> Option<&'static str> {
        let call = strip(call);
        if call.kind_str() != "call_expression" {
            return None;
        }
        let f = strip(call.field("function")?);
        match f.kind_str() {
            "identifier" => {
                let name = self.text(f);
                self.is_clerk_session_fn(name)
                    .then_some(if name == "currentUser" {
                        "user"
                    } else {
                        "auth"
                    })
            }
            "member_expression" => {
                let prop = self.text(f.field("property")?);
                let obj = strip(f.field("object")?);
                let obj_is_auth = match obj.kind_str() {
                    "identifier" => self.text(obj) == "auth",
                    "call_expression" => obj
                        .field("function")
                        .is_some_and(|g| self.text(g) == "auth"),
                    _ => false,
                };
                if prop == "auth" && self.is_framework_locals(obj) {
                    // Astro's `locals.auth()`, Nuxt's `event.context.auth()`.
                    return Some("auth");
                }
                (prop == "protect" && obj_is_auth).then_some("auth")
            }
            _ => None,
        }
    }

    /// The object a framework's server middleware fills per request, where Clerk puts its
    /// `auth()`: Astro's `locals` (`Astro.locals`, `context.locals`) and Nuxt's
    /// `event.context`. Not request data: the client cannot write it.
    fn is_framework_locals(&self, n: Node<'_>) -> bool {
        let n = strip(n);
        match n.kind_str() {
            "identifier" => self.text(n) == "locals",
            "member_expression" => match property_name(self.src, n).as_deref() {
                Some("locals") => true,
                Some("context") => n
                    .field("object")
                    .is_some_and(|o| matches!(self.text(strip(o)), "event" | "e" | "evt")),
                _ => false,
            },
            _ => false,
        }
    }

    fn function(&mut self, f: Node<'_>) {
        self.root = f.id();
        self.params(f);
        let Some(body) = f.field("body") else {
            return;
        };
        if body.kind_str() != "statement_block" {
            // `() => has({ role: 'org:admin' })`
            let b = strip(body);
            if self.is_role_node(b) {
                self.out.returns_role = Some(compact(self.text(b)));
            }
            if self.is_step_up_node(b) {
                self.out.returns_step_up = Some(compact(self.text(b)));
            }
        }
        if self.gates.admin || self.gates.org {
            self.walk(body);
        } else {
            // Role checks live in the function's own statements: no need to visit every
            // expression (most modules mention neither a Clerk client nor an org id).
            self.walk_statements(body);
        }
        self.out.org_uses.sort_by_key(|u| u.span.start);
        self.out.org_uses.dedup_by_key(|u| u.span);
        // Looked up by position (`AuthzAnalyzer::call_args_at`).
        self.out.call_args.sort_by_key(|c| c.span.start);
    }

    /// Parameters carry request data (for handlers and server actions; the project phase only
    /// reads the org facts of entries).
    fn params(&mut self, f: Node<'_>) {
        let mut params = Vec::new();
        if let Some(p) = f.field("parameter") {
            params.push(p);
        }
        if let Some(ps) = f.field("parameters") {
            let mut c = ps.walk();
            params.extend(ps.named_children(&mut c));
        }
        for (index, p) in params.into_iter().enumerate() {
            let target = match p.kind_str() {
                "required_parameter" | "optional_parameter" => p.field("pattern"),
                "assignment_pattern" => p.field("left"),
                _ => Some(p),
            };
            let Some(t) = target else { continue };
            let t = if t.kind_str() == "assignment_pattern" {
                t.field("left").unwrap_or(t)
            } else {
                t
            };
            match t.kind_str() {
                "identifier" => {
                    let name = self.text(t).to_string();
                    if let Ok(i) = u8::try_from(index) {
                        self.scope.params.insert(name.clone(), i);
                    }
                    if is_org_id_name(&name) {
                        self.read_org(&name, span(t), "its arguments");
                    } else {
                        let label = param_label(&name);
                        self.scope.request.insert(name, label);
                    }
                }
                "object_pattern" => {
                    let mut names = Vec::new();
                    pattern_names(self.src, t, "", &mut names);
                    for (key, local, sp) in names {
                        let last = key.rsplit('.').next().unwrap_or(&key);
                        if is_org_id_name(last) {
                            // `{ params: { orgId } }` is the URL; a bare `{ orgId }` is whatever
                            // the caller (a server action's client, or a wrapper) passes.
                            let label = source_label(&key, "its arguments");
                            self.read_org(&local, sp, label);
                        } else {
                            let label = source_label(&key, param_label(last));
                            self.scope.request.insert(local, label);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn read_org(&mut self, name: &str, sp: Span, source: &'static str) {
        self.scope.org_ids.insert(name.to_string(), source);
        self.out.org_reads.push(OrgRead {
            span: sp,
            name: name.to_string(),
            source: source.to_string(),
        });
    }

    /// Pre-order walk of a body; nested functions are walked too (callbacks run as part of
    /// the function), but the project phase attributes calls to the innermost function.
    fn walk(&mut self, body: Node<'_>) {
        let mut cursor = body.walk();
        // End bytes of the callbacks around the current node.
        let mut callbacks: Vec<usize> = Vec::new();
        loop {
            let n = cursor.node();
            while callbacks.last().is_some_and(|end| n.start_byte() >= *end) {
                callbacks.pop();
            }
            let mut descend = true;
            if n.is_named() {
                let kind = n.kind_str();
                // Strings, comments, types, JSX text: nothing `enter` looks for lies inside.
                descend = !holds_no_code(kind);
                if n.id() != self.root && is_function_kind(kind) {
                    callbacks.push(n.end_byte());
                }
                self.in_callback = !callbacks.is_empty();
                self.enter(n);
            }
            if descend && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.node().id() == body.id() {
                    return;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    /// Visit only the statements of the function's own body (not callbacks): declarations,
    /// `if`s, returns and the calls statements make.
    fn walk_statements(&mut self, body: Node<'_>) {
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            match n.kind_str() {
                "statement_block" | "else_clause" | "switch_body" | "switch_case"
                | "switch_default" | "finally_clause" | "labeled_statement" => {}
                "if_statement" => self.enter(n),
                "switch_statement" => self.enter(n),
                "try_statement" | "for_statement" | "for_in_statement" | "while_statement"
                | "do_statement" | "catch_clause" => {}
                "lexical_declaration" | "variable_declaration" => {
                    let mut c = n.walk();
                    let decls: Vec<Node<'_>> = n
                        .named_children(&mut c)
                        .filter(|d| d.kind_str() == "variable_declarator")
                        .collect();
                    for d in decls {
                        self.enter(d);
                        if let Some(v) = d.field("value").map(strip)
                            && v.kind_str() == "call_expression"
                        {
                            self.enter(v);
                        }
                    }
                    continue;
                }
                "expression_statement" => {
                    if let Some(e) = n.named_child(0).map(strip) {
                        match e.kind_str() {
                            "call_expression" => self.enter(e),
                            "assignment_expression" => {
                                self.enter(e);
                                if let Some(r) = e.field("right").map(strip)
                                    && r.kind_str() == "call_expression"
                                {
                                    self.enter(r);
                                }
                            }
                            _ => {}
                        }
                    }
                    continue;
                }
                "return_statement" => {
                    self.enter(n);
                    continue;
                }
                _ => continue,
            }
            let mut c = n.walk();
            let children: Vec<Node<'_>> = n.named_children(&mut c).collect();
            for child in children.into_iter().rev() {
                if !matches!(
                    child.kind_str(),
                    "parenthesized_expression" | "binary_expression" | "identifier"
                ) {
                    stack.push(child);
                }
            }
        }
    }

    fn enter(&mut self, n: Node<'_>) {
        match n.kind_str() {
            "variable_declarator" => {
                if let (Some(name), Some(value)) = (n.field("name"), n.field("value")) {
                    self.declare(name, value);
                }
            }
            "assignment_expression" => {
                if let (Some(left), Some(right)) = (n.field("left"), n.field("right"))
                    && left.kind_str() == "identifier"
                {
                    self.declare(left, right);
                }
            }
            "call_expression" => {
                if self.gates.admin || self.gates.org || self.gates.role {
                    self.call(n);
                }
                // `memberIds.includes(userId)`: the caller looked for in a member list.
                if !self.scope.pending_lists.is_empty()
                    && let Some(f) = n.field("function").map(strip)
                    && f.kind_str() == "member_expression"
                    && property_name(self.src, f)
                        .is_some_and(|p| matches!(p.as_str(), "includes" | "has"))
                    && n.field("arguments")
                        .is_some_and(|a| self.keyed_by_caller(self.text(a)))
                {
                    self.lists_searched();
                }
                // What a helper's parameters are at this call: the caller's own id anywhere;
                // parameters and request data where a helper can write roles or call the API.
                if !self.scope.self_ids.is_empty()
                    || ((self.gates.admin || self.gates.role)
                        && (!self.scope.params.is_empty() || !self.scope.request.is_empty()))
                {
                    self.call_args(n);
                }
            }
            "switch_statement" => {
                // A switch's discriminant (`switch (role)`): its cases test the value.
                if let Some(v) = n.field("value").map(strip)
                    && is_value_expr(v)
                {
                    self.scope.tested.insert(compact(self.text(v)));
                }
            }
            "binary_expression" if self.gates.org => self.comparison(n),
            "if_statement" => self.if_statement(n),
            "return_statement" => {
                if let Some(e) = n.named_child(0) {
                    let e = strip(e);
                    if self.out.returns_step_up.is_none()
                        && self.in_own_body()
                        && self.is_step_up_node(e)
                    {
                        self.out.returns_step_up = Some(compact(self.text(e)));
                    }
                    if self.out.returns_role.is_none() && self.in_own_body() && self.is_role_node(e)
                    {
                        self.out.returns_role = Some(compact(self.text(e)));
                    }
                }
            }
            "identifier" | "shorthand_property_identifier"
                if !self.scope.org_ids.is_empty()
                    || !self.scope.session_orgs.is_empty()
                    || !self.scope.pending_rows.is_empty() =>
            {
                let name = self.text(n);
                if self.scope.pending_rows.contains_key(name) && self.row_used(n) {
                    self.scope.pending_rows.remove(name);
                }
                if let Some(label) = self.scope.org_ids.get(name).copied() {
                    self.org_occurrence(n, name.to_string(), label);
                } else if self.scope.session_orgs.contains(name) {
                    self.session_org_occurrence(n);
                }
            }
            "member_expression" | "subscript_expression" if self.gates.org => {
                // `params.orgId` inline (not the object of a longer chain).
                let parent_is_member = n.parent().is_some_and(|p| {
                    matches!(p.kind_str(), "member_expression" | "subscript_expression")
                        && p.field("object").is_some_and(|o| o.id() == n.id())
                });
                if parent_is_member {
                    return;
                }
                if let Some((name, label)) = self.org_expr(n) {
                    self.org_occurrence(n, name, label);
                } else if self.is_session_org_expr(n) {
                    self.session_org_occurrence(n);
                }
            }
            _ => {}
        }
    }

    /// Whether the node being visited belongs to the walked function's own body (not to a
    /// callback in it): only there does an early exit stop the function. Tracked by the walks
    /// (`Node::parent` costs a descent from the root).
    fn in_own_body(&self) -> bool {
        !self.in_callback
    }

    /// `const x = <value>` (and `x = <value>`).
    fn declare(&mut self, name: Node<'_>, value: Node<'_>) {
        let v = strip(value);
        if !self.gates.admin && !self.gates.org && !self.gates.role && !self.may_be_session_call(v)
        {
            // Only `if (!x) exit` with `x` a call result can matter here.
            if name.kind_str() == "identifier"
                && v.kind_str() == "call_expression"
                && let Some(path) = v.field("function").and_then(|f| callee_path(self.src, f))
            {
                self.scope
                    .call_vars
                    .insert(self.text(name).to_string(), path);
            }
            return;
        }
        let mut names: Vec<(String, String, Span)> = Vec::new();
        match name.kind_str() {
            "identifier" => {
                let t = self.text(name).to_string();
                names.push((String::new(), t, span(name)));
            }
            "object_pattern" => pattern_names(self.src, name, "", &mut names),
            _ => return,
        }
        let single = (name.kind_str() == "identifier").then(|| names[0].1.clone());
        if let Some(n) = &single
            && self.is_step_up_node(v)
        {
            self.scope
                .step_up_vars
                .insert(n.clone(), compact(self.text(v)));
        }

        // `const { auth } = locals`: Clerk's session API, put there by its middleware (the
        // rest of `locals` is the server's own data, not the request's).
        if single.is_none() && self.is_framework_locals(v) {
            for (key, local, _) in &names {
                if key == "auth" {
                    self.scope.session.insert(local.clone());
                }
            }
            return;
        }

        // The caller's own user row: `const user = await users.getByClerkId(userId)`.
        if let Some(n) = &single
            && v.kind_str() == "call_expression"
            && self.gates.org
            && !self.scope.self_ids.is_empty()
            && let Some(path) = v.field("function").and_then(|f| callee_path(self.src, f))
            && (contains_ignore_case(n, "user")
                || path.last().is_some_and(|l| contains_ignore_case(l, "user")))
            && let Some(args) = v.field("arguments")
            && {
                let t = self.text(args);
                self.scope.self_ids.iter().any(|id| value_use(t, id))
            }
        {
            self.scope.self_keys.insert(format!("{n}.id"));
        }

        // A row looked up by the request's token (an invitation, a share link).
        if let Some(n) = &single
            && self.gates.org
            && v.kind_str() == "call_expression"
            && let Some(args) = v.field("arguments")
            && {
                let t = self.text(args);
                self.scope
                    .request
                    .keys()
                    .any(|r| contains_ignore_case(r, "token") && value_use(t, r))
            }
        {
            self.scope.token_rows.insert(n.clone());
        }

        // Clerk's session APIs.
        if let Some(kind) = self.session_call(v) {
            match &single {
                Some(n) => {
                    if kind == "user" {
                        self.scope.self_keys.insert(format!("{n}.id"));
                    }
                    self.scope.session.insert(n.clone());
                }
                None => {
                    for (key, local, _) in &names {
                        match key.as_str() {
                            "userId" => {
                                self.scope.self_ids.insert(local.clone());
                            }
                            "id" if kind == "user" => {
                                self.scope.self_ids.insert(local.clone());
                            }
                            "orgId" | "orgSlug" => {
                                self.scope.session_orgs.insert(local.clone());
                            }
                            _ => {
                                self.scope.session.insert(local.clone());
                            }
                        }
                    }
                }
            }
            return;
        }

        // Clients: `const client = await clerkClient()`, `const { users } = await clerkClient()`.
        if v.kind_str() == "call_expression"
            && let Some(f) = v.field("function")
            && let Some(path) = callee_path(self.src, f)
            && let [factory] = path.as_slice()
        {
            let factory = self
                .scope
                .clients
                .get(factory)
                .cloned()
                .unwrap_or_else(|| factory.clone());
            match &single {
                Some(n) => {
                    self.scope.clients.insert(n.clone(), factory);
                }
                None => {
                    for (key, local, _) in &names {
                        if recorded_resource(key) {
                            self.scope
                                .resources
                                .insert(local.clone(), (key.clone(), factory.clone()));
                        }
                    }
                }
            }
        }
        // `const users = (await clerkClient()).users`, `const c = clerkClient`.
        if let Some(n) = &single {
            match v.kind_str() {
                "identifier" => {
                    let src_name = self.text(v);
                    let factory = self
                        .scope
                        .clients
                        .get(src_name)
                        .cloned()
                        .unwrap_or_else(|| src_name.to_string());
                    self.scope.clients.insert(n.clone(), factory);
                    if self.scope.self_ids.contains(src_name) {
                        self.scope.self_ids.insert(n.clone());
                    }
                    if self.scope.session_orgs.contains(src_name) {
                        self.scope.session_orgs.insert(n.clone());
                    }
                    if self.scope.session.contains(src_name) {
                        self.scope.session.insert(n.clone());
                    }
                }
                "member_expression" => {
                    if let (Some(prop), Some(obj)) = (property_name(self.src, v), v.field("object"))
                        && recorded_resource(&prop)
                        && let Some(factory) = self.client_factory(obj)
                    {
                        self.scope.resources.insert(n.clone(), (prop, factory));
                    }
                }
                _ => {}
            }
        }

        // Values derived from the session: `const userId = session.userId`.
        if let Some(n) = &single
            && matches!(v.kind_str(), "member_expression" | "subscript_expression")
            && self.session_rooted(v)
        {
            match property_name(self.src, v).as_deref() {
                Some("userId") => {
                    self.scope.self_ids.insert(n.clone());
                }
                Some("id") if self.is_user_object(v) => {
                    self.scope.self_ids.insert(n.clone());
                }
                _ if self.is_session_org_expr(v) => {
                    self.scope.session_orgs.insert(n.clone());
                }
                _ => {
                    self.scope.session.insert(n.clone());
                }
            }
            return;
        }
        if single.is_none()
            && let Some(root) = root_identifier(self.src, v)
            && self.scope.session.contains(root)
        {
            for (key, local, _) in &names {
                match key.as_str() {
                    "userId" => {
                        self.scope.self_ids.insert(local.clone());
                    }
                    "orgId" | "orgSlug" => {
                        self.scope.session_orgs.insert(local.clone());
                    }
                    _ => {
                        self.scope.session.insert(local.clone());
                    }
                }
            }
            return;
        }

        // Role tests held in a variable: `const isAdmin = orgRole === 'org:admin'`.
        if let Some(n) = &single {
            if self.is_role_node(v) {
                self.scope
                    .role_vars
                    .insert(n.clone(), compact(self.text(v)));
            } else if v.kind_str() == "call_expression"
                && let Some(f) = v.field("function")
                && let Some(path) = callee_path(self.src, f)
            {
                self.scope.call_vars.insert(n.clone(), path);
            }
        }

        // A schema's parse of request data validates it (`const { role } = schema.parse(body)`).
        if v.kind_str() == "call_expression"
            && v.child(0)
                .filter(|f| f.kind_str() == "member_expression")
                .and_then(|f| f.field("property"))
                .is_some_and(|p| {
                    matches!(
                        self.text(p),
                        "parse" | "safeParse" | "parseAsync" | "safeParseAsync"
                    )
                })
            && self.request_value(v).is_some()
        {
            for (_, local, _) in &names {
                self.scope.validated.insert(local.clone());
            }
        }

        // `const org = await db.org.findFirst({ where: { id: orgId } })`: one row, read by an id
        // (whether a request's is known once the value is walked, `org_occurrence`).
        if let Some(n) = &single
            && self.gates.org
            && v.kind_str() == "call_expression"
            && self.is_row_lookup(v)
        {
            self.scope.row_decl = Some((span(v), n.clone()));
        }

        // Request-supplied org ids and request data.
        if let Some(n) = &single {
            if let Some((_, label)) = self.org_expr(v) {
                self.read_org(n, span(name), label);
                return;
            }
            if let Some(label) = self.request_value(v) {
                if is_org_id_name(n) {
                    self.read_org(n, span(name), label);
                } else {
                    self.scope.request.insert(n.clone(), label);
                }
            }
            return;
        }
        if let Some(label) = self.request_value(v) {
            for (key, local, sp) in names {
                let last = key.rsplit('.').next().unwrap_or(&key).to_string();
                if is_org_id_name(&last) {
                    self.read_org(&local, sp, label);
                } else {
                    self.scope.request.insert(local, label);
                }
            }
        }
    }

    /// The factory name of a client expression (`clerkClient()`, `client`, `clerk`).
    fn client_factory(&self, obj: Node<'_>) -> Option<String> {
        let o = strip(obj);
        match o.kind_str() {
            "identifier" => {
                let t = self.text(o);
                Some(
                    self.scope
                        .clients
                        .get(t)
                        .cloned()
                        .unwrap_or_else(|| t.to_string()),
                )
            }
            "call_expression" => {
                let path = callee_path(self.src, o.field("function")?)?;
                match path.as_slice() {
                    [f] => Some(
                        self.scope
                            .clients
                            .get(f)
                            .cloned()
                            .unwrap_or_else(|| f.clone()),
                    ),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether an expression is request data: a request-derived name, a member of one,
    /// `await req.json()`, `new URL(req.url)`, `schema.parse(body)`.
    fn request_value(&self, v: Node<'_>) -> Option<&'static str> {
        // `f().a.a.a…` thousands long recurses once per link: bounded like every other walk
        // (every call's arguments are asked now).
        let _depth = super::depth::Guard::enter()?;
        let v = strip(v);
        match v.kind_str() {
            "identifier" => self.scope.request.get(self.text(v)).copied(),
            "member_expression" | "subscript_expression" => {
                let label = match root_identifier(self.src, v) {
                    Some(root) => self.scope.request.get(root).copied()?,
                    // `new URL(req.url).searchParams`
                    None => self.request_value(v.field("object")?)?,
                };
                Some(source_label(self.text(v), label))
            }
            "call_expression" => {
                let f = v.field("function")?;
                let path = callee_path(self.src, f)?;
                let last = path.last()?.trim_end_matches("()").to_string();
                let args = v.field("arguments");
                if matches!(
                    last.as_str(),
                    "parse" | "safeParse" | "parseAsync" | "fromEntries"
                ) && let Some(args) = args
                {
                    let mut c = args.walk();
                    for a in args.named_children(&mut c) {
                        if let Some(l) = self.request_value(a) {
                            return Some(l);
                        }
                    }
                    return None;
                }
                let root = path.first()?.trim_end_matches("()");
                let label = self.scope.request.get(root).copied()?;
                match last.as_str() {
                    "json" => Some("the request body"),
                    "formData" => Some("the form data"),
                    "text" => Some("the request body"),
                    _ => Some(source_label(self.text(v), label)),
                }
            }
            "new_expression" => {
                let args = v.field("arguments")?;
                let mut c = args.walk();
                for a in args.named_children(&mut c) {
                    if self.request_value(a).is_some() {
                        return Some("the query string");
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// A request-supplied org id: a name, `params.orgId`, `searchParams.get('orgId')`,
    /// `body.organizationId`. Returns (text, source).
    fn org_expr(&self, n: Node<'_>) -> Option<(String, &'static str)> {
        let n = strip(n);
        match n.kind_str() {
            "identifier" => {
                let t = self.text(n);
                self.scope.org_ids.get(t).map(|l| (t.to_string(), *l))
            }
            "member_expression" | "subscript_expression" => {
                let prop = property_name(self.src, n)?;
                if prop == "id"
                    && let Some(obj) = n.field("object").map(strip)
                    && obj.kind_str() == "identifier"
                    && let Some(label) = self.scope.org_rows.get(self.text(obj))
                {
                    return Some((compact(self.text(n)), label));
                }
                if !is_org_id_name(&prop) {
                    return None;
                }
                let obj = n.field("object")?;
                let label = self.request_value(obj)?;
                Some((compact(self.text(n)), source_label(self.text(n), label)))
            }
            "call_expression" => {
                let f = n.field("function")?;
                if f.kind_str() != "member_expression"
                    || property_name(self.src, f).as_deref() != Some("get")
                {
                    return None;
                }
                let args = n.field("arguments")?;
                let first = args.named_child(0)?;
                let key = string_value(self.src, first)?;
                if !is_org_id_name(&key) {
                    return None;
                }
                let receiver = f.field("object")?;
                let recv_text = self.text(receiver);
                let label = self.request_value(receiver).or_else(|| {
                    (recv_text.contains("searchParams") || recv_text.contains("formData"))
                        .then_some("the query string")
                })?;
                Some((compact(self.text(n)), source_label(recv_text, label)))
            }
            _ => None,
        }
    }

    fn session_rooted(&self, n: Node<'_>) -> bool {
        let n = strip(n);
        match n.kind_str() {
            "identifier" => self.scope.session.contains(self.text(n)),
            "member_expression" | "subscript_expression" => n
                .field("object")
                .is_some_and(|o| self.session_rooted(o) || self.session_call(o).is_some()),
            _ => false,
        }
    }

    fn is_user_object(&self, member: Node<'_>) -> bool {
        // `user.id` where `user = await currentUser()`: the object is a plain session name.
        member.field("object").map(strip).is_some_and(|o| {
            o.kind_str() == "identifier" || self.session_call(o).is_some_and(|k| k == "user")
        })
    }

    /// The session's active org: `orgId` from `auth()`, `session.orgId`,
    /// `(await auth()).orgId`, `sessionClaims.org_id`, `sessionClaims?.o?.id`.
    fn is_session_org_expr(&self, n: Node<'_>) -> bool {
        let n = strip(n);
        match n.kind_str() {
            "identifier" => self.scope.session_orgs.contains(self.text(n)),
            "member_expression" | "subscript_expression" => {
                if n.kind_str() == "member_expression"
                    && n.field("object").is_some_and(|o| {
                        let o = strip(o);
                        o.kind_str() == "identifier" && self.scope.token_rows.contains(self.text(o))
                    })
                    && property_name(self.src, n)
                        .is_some_and(|p| is_org_id_name(&p) || p == "org_id")
                {
                    return true;
                }
                if !self.session_rooted(n) {
                    return false;
                }
                let t = self.text(n).to_ascii_lowercase().replace(['?', ' '], "");
                property_name(self.src, n).is_some_and(|p| is_org_id_name(&p) || p == "org_id")
                    || t.ends_with(".o.id")
                    || t.ends_with(".o.slg")
            }
            _ => false,
        }
    }

    fn is_self_user(&self, arg: Node<'_>) -> bool {
        let a = strip(arg);
        match a.kind_str() {
            "identifier" => self.scope.self_ids.contains(self.text(a)),
            "member_expression" => match property_name(self.src, a).as_deref() {
                Some("userId") => self.session_rooted(a),
                Some("id") => self.session_rooted(a) && self.is_user_object(a),
                _ => false,
            },
            "object" => {
                let mut c = a.walk();
                for pair in a.named_children(&mut c) {
                    match pair.kind_str() {
                        "shorthand_property_identifier" if self.text(pair) == "userId" => {
                            return self.scope.self_ids.contains("userId");
                        }
                        "pair" => {
                            if let (Some(k), Some(v)) = (pair.field("key"), pair.field("value"))
                                && self.text(k).trim_matches(['"', '\'']) == "userId"
                            {
                                return self.is_self_user(v);
                            }
                        }
                        _ => {}
                    }
                }
                false
            }
            _ => false,
        }
    }

    /// Where a value comes from: the signed-in user's id, one of the function's own
    /// parameters, request data (tested first or not), or the server.
    fn source(&self, v: Node<'_>) -> Source {
        if self.is_self_user(v) {
            return Source::Caller;
        }
        let v = strip(v);
        let name = matches!(v.kind_str(), "identifier" | "shorthand_property_identifier")
            .then(|| self.text(v));
        if let Some(i) = name.and_then(|n| self.scope.params.get(n)) {
            return Source::Param(*i);
        }
        let request = match name {
            // `{ role }` in an object: the name's value.
            Some(n) => self.scope.request.get(n).copied(),
            None => self.request_value(v),
        };
        match request {
            Some(_) if self.is_tested(v) => Source::TestedRequest,
            Some(label) => Source::Request(label.to_string()),
            None => Source::Server,
        }
    }

    /// Whether request data was tested before this point: the expression itself (`role`,
    /// `body.role`) by a condition, or the schema parse it comes from.
    fn is_tested(&self, v: Node<'_>) -> bool {
        if root_identifier(self.src, v).is_some_and(|r| self.scope.validated.contains(r)) {
            return true;
        }
        let want = compact(self.text(v));
        if self.scope.too_many_conds || self.scope.tested.contains(&want) {
            return true;
        }
        self.scope.conds.iter().any(|&(start, end)| {
            self.src
                .get(start..end)
                .is_some_and(|t| t.contains(self.text(v)))
                && self
                    .tree
                    .descendant_for_byte_range(start, end)
                    .is_some_and(|cond| self.tests_in(cond).contains(&want))
        })
    }

    /// The worst source of what `users.updateUser(id, data)` writes into trusted metadata
    /// under a privilege key (or a spread or whole object of unknown keys); `None` when it
    /// writes none.
    fn metadata_grant(&self, data: Node<'_>) -> Option<Source> {
        let data = strip(data);
        if data.kind_str() != "object" {
            return None;
        }
        let mut worst: Option<Source> = None;
        let mut note = |s: Source| {
            if worst.as_ref().is_none_or(|w| s.danger() > w.danger()) {
                worst = Some(s);
            }
        };
        let mut c = data.walk();
        for pair in data.named_children(&mut c) {
            let (key, value) = match pair.kind_str() {
                "pair" => match (pair.field("key"), pair.field("value")) {
                    (Some(k), Some(v)) => (self.text(k).trim_matches(['"', '\'']), v),
                    _ => continue,
                },
                "shorthand_property_identifier" => (self.text(pair), pair),
                _ => continue,
            };
            if !matches!(key, "publicMetadata" | "privateMetadata") {
                continue;
            }
            let value = strip(value);
            if value.kind_str() != "object" {
                // The whole metadata object: any key, `role` included.
                note(self.source(value));
                continue;
            }
            let mut c = value.walk();
            for entry in value.named_children(&mut c) {
                match entry.kind_str() {
                    "pair" => {
                        if let (Some(k), Some(v)) = (entry.field("key"), entry.field("value"))
                            && is_privilege_key(self.text(k))
                        {
                            note(self.source(v));
                        }
                    }
                    "shorthand_property_identifier" if is_privilege_key(self.text(entry)) => {
                        note(self.source(entry));
                    }
                    "spread_element" => {
                        if let Some(a) = entry.named_child(0) {
                            note(self.source(a));
                        }
                    }
                    _ => {}
                }
            }
        }
        worst
    }

    /// What a condition tests, as written: both sides of an equality (not against `null` or
    /// `undefined`), the left of `in`, and the arguments and receiver of a call
    /// (`ALLOWED.includes(role)`, `isRole(body.role)`). A bare truthiness test (`!role`) or
    /// `typeof` tests presence or shape, not the value.
    fn tests_in(&self, cond: Node<'_>) -> HashSet<String> {
        let mut stack = vec![cond];
        let mut found: Vec<Node<'_>> = Vec::new();
        let mut seen = 0usize;
        while let Some(x) = stack.pop() {
            seen += 1;
            if seen > 4096 || is_function_kind(x.kind_str()) {
                continue;
            }
            let x = strip(x);
            match x.kind_str() {
                "binary_expression" => {
                    let op = x.field("operator").map(|o| self.text(o)).unwrap_or("");
                    let (l, r) = (x.field("left"), x.field("right"));
                    let nullish = |n: Option<Node<'_>>| {
                        n.map(strip)
                            .is_some_and(|n| matches!(n.kind_str(), "null" | "undefined"))
                    };
                    if matches!(op, "===" | "!==" | "==" | "!=") && !nullish(l) && !nullish(r) {
                        found.extend(l);
                        found.extend(r);
                    } else if op == "in" {
                        found.extend(l);
                    }
                }
                "call_expression" => {
                    if let Some(args) = x.field("arguments") {
                        let mut c = args.walk();
                        found.extend(args.named_children(&mut c));
                    }
                    if let Some(f) = x.field("function").map(strip)
                        && f.kind_str() == "member_expression"
                    {
                        found.extend(f.field("object"));
                    }
                }
                _ => {}
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        found
            .into_iter()
            .map(strip)
            .filter(|n| is_value_expr(*n))
            .map(|n| compact(self.text(n)))
            .collect()
    }

    /// Records the sources of a call's arguments when one is the signed-in user's id, a
    /// parameter or request data (what a called helper's parameters turn out to be).
    fn call_args(&mut self, call: Node<'_>) {
        // A project function: `helper(…)` or `lib.helper(…)` through a namespace import (not a
        // method of a local object, a client or the request).
        // The callee is a call's first child (cheaper than a field lookup, which every call
        // of a gated module pays here).
        let Some(f) = call.child(0).map(strip) else {
            return;
        };
        let helper = match f.kind_str() {
            // Not a global (`String`, `fetch`, `encodeURIComponent`).
            "identifier" => {
                let name = self.text(f);
                (self.code.bindings.contains_key(name) || self.code.imports.contains_key(name))
                    && !self.is_clerk_session_fn(name)
            }
            "member_expression" => f.field("object").map(strip).is_some_and(|o| {
                o.kind_str() == "identifier" && self.code.imports.contains_key(self.text(o))
            }),
            _ => false,
        };
        if !helper {
            return;
        }
        let Some(args) = call.field("arguments") else {
            return;
        };
        // Cheaply first: the arguments mention a name that can be one of these (when the names
        // are few: each argument's own test is a few lookups).
        let text = self.text(args);
        let scope = &self.scope;
        let names = scope.self_ids.len() + scope.params.len() + scope.request.len();
        if names <= 32
            && !(scope.self_ids.iter().any(|n| text.contains(n.as_str()))
                || scope.params.keys().any(|n| text.contains(n.as_str()))
                || scope.request.keys().any(|n| text.contains(n.as_str()))
                || text.contains("userId")
                || text.contains(".id"))
        {
            return;
        }
        let mut c = args.walk();
        let sources: Vec<Source> = args
            .named_children(&mut c)
            .take(16)
            .map(|a| {
                // A helper's `Source::Param` is a plain parameter: an object or a literal
                // passed for it is the server's.
                if is_value_expr(strip(a)) {
                    self.source(a)
                } else {
                    Source::Server
                }
            })
            .collect();
        if sources.iter().any(|s| *s != Source::Server) {
            self.out.call_args.push(CallArgs {
                span: span(call),
                args: sources,
            });
        }
    }

    /// Whether a node tests reverification: `has({ reverification: 'strict' })` (negated or
    /// not), or a name holding such a test.
    fn is_step_up_node(&self, n: Node<'_>) -> bool {
        let mut n = strip(n);
        while n.kind_str() == "unary_expression" {
            match n.field("argument") {
                Some(a) => n = strip(a),
                None => return false,
            }
        }
        match n.kind_str() {
            "identifier" => self.scope.step_up_vars.contains_key(self.text(n)),
            "call_expression" | "binary_expression" => {
                let t = self.text(n);
                t.contains("has(") && t.contains("reverification")
            }
            _ => false,
        }
    }

    /// Whether a node is a role test whose subject is not request data.
    fn is_role_node(&self, n: Node<'_>) -> bool {
        if !self.gates.role {
            return false;
        }
        let n = strip(n);
        if n.kind_str() == "identifier" {
            return self.scope.role_vars.contains_key(self.text(n));
        }
        if !is_role_test(self.text(n)) {
            return false;
        }
        // `body.role === 'admin'`, `role !== 'admin'` with `role` from the request: the caller
        // chose it.
        !self.tests_request_role(n)
    }

    fn tests_request_role(&self, n: Node<'_>) -> bool {
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            match x.kind_str() {
                "identifier" => {
                    let t = self.text(x);
                    let l = t.to_ascii_lowercase();
                    // A bare parameter (`checkRole(role)`) is the caller's choice of role to
                    // test, not request data.
                    if (l.contains("role") || l.contains("permission"))
                        && self.scope.request.contains_key(t)
                        && !self.scope.params.contains_key(t)
                    {
                        return true;
                    }
                }
                "member_expression" | "subscript_expression" => {
                    if let Some(p) = property_name(self.src, x) {
                        let l = p.to_ascii_lowercase();
                        if (l.contains("role") || l.contains("permission"))
                            && root_identifier(self.src, x)
                                .is_some_and(|r| self.scope.request.contains_key(r))
                        {
                            return true;
                        }
                    }
                }
                _ => {}
            }
            if is_function_kind(x.kind_str()) {
                continue;
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        false
    }

    fn call(&mut self, call: Node<'_>) {
        let Some(f) = call.field("function") else {
            return;
        };
        // Every fact here is about a method call: decide from its name before building paths.
        let f_inner = strip(f);
        if f_inner.kind_str() != "member_expression" {
            return;
        }
        let Some(prop) = f_inner.field("property").map(|p| self.text(p)) else {
            return;
        };
        let wanted = (self.gates.org && prop == "get")
            || (self.gates.role && prop == "protect")
            || matches!(
                prop,
                "getOrganizationMembershipList" | "getOrganizationMembership"
            )
            || (self.gates.admin
                && (mutation_kind(prop).is_some()
                    || matches!(prop, "rotateSecret" | "rotateSecretKey")));
        if !wanted {
            return;
        }
        let Some(path) = callee_path(self.src, f) else {
            return;
        };
        let args = call.field("arguments");
        let last = path
            .last()
            .map(|s| s.trim_end_matches("()"))
            .unwrap_or("")
            .to_string();

        // `searchParams.get('orgId')` written inline.
        if self.gates.org
            && let Some((name, label)) = self.org_expr(call)
        {
            self.org_occurrence(call, name, label);
        }

        // `auth.protect({ role })`, `auth.protect((has) => has({ permission }))`.
        if self.gates.role
            && last == "protect"
            && matches!(path.first().map(String::as_str), Some("auth" | "auth()"))
            && self.in_own_body()
            && let Some(a) = args
            && a.named_child_count() > 0
        {
            let t = self.text(a);
            let l = t.to_ascii_lowercase();
            if t.contains("reverification") {
                self.out.step_ups.push(StepUpCheck {
                    span: span(call),
                    how: format!("`auth.protect{}`", compact(t)),
                    throws: true,
                });
            }
            if l.contains("role") || l.contains("permission") || t.contains("has(") {
                self.out.role_checks.push(RoleCheck {
                    span: span(call),
                    how: format!("`auth.protect{}`", compact(t)),
                    via: None,
                    throws: true,
                });
            }
        }

        // Clerk membership lookups count as org checks: the caller's memberships, or the
        // caller's membership in one; an organization's list of members once the caller's id
        // is looked for in it.
        if matches!(
            last.as_str(),
            "getOrganizationMembershipList" | "getOrganizationMembership"
        ) {
            let how = format!("`{}()`", path.join("."));
            if lists_members(&path) && !self.keyed_by_caller(args.map_or("", |a| self.text(a))) {
                self.scope.pending_lists.push((span(call), how));
            } else {
                self.out.org_checks.push(OrgCheck {
                    span: span(call),
                    how,
                });
            }
        }

        // Backend mutations: `<client>.<resource>.<method>(…)` or `<resource>.<method>(…)`.
        if !self.gates.admin {
            return;
        }
        let target = match path.len() {
            0 | 1 => None,
            2 => self
                .scope
                .resources
                .get(&path[0])
                .map(|(r, fct)| (r.clone(), Some(fct.clone()))),
            n => {
                let factory = match &path[..n - 2] {
                    [one] => {
                        let name = one.trim_end_matches("()");
                        Some(
                            self.scope
                                .clients
                                .get(name)
                                .cloned()
                                .unwrap_or_else(|| name.to_string()),
                        )
                    }
                    _ => None,
                };
                Some((path[n - 2].clone(), factory))
            }
        };
        if let Some((resource, factory)) = target
            && recorded_resource(&resource)
        {
            let args_text = args.map(|a| self.text(a)).unwrap_or("");
            let sensitive = sensitive_kind(&resource, &last, args_text);
            let Some(destructive) = mutation_kind(&last).or(sensitive.map(|_| false)) else {
                return;
            };
            let target = match args.and_then(|a| a.named_child(0)) {
                Some(first) if resource != "organizations" => self.source(first),
                _ => Source::Server,
            };
            let grant = (resource == "users"
                && matches!(
                    last.as_str(),
                    "updateUser" | "updateUserMetadata" | "replaceUserMetadata"
                ))
            .then(|| args.and_then(|a| a.named_child(1)))
            .flatten()
            .and_then(|data| self.metadata_grant(data));
            self.out.admin_calls.push(AdminCall {
                span: span(call),
                factory,
                admin: ADMIN_RESOURCES.contains(&resource.as_str()),
                resource,
                method: last,
                destructive,
                target,
                grant,
                sensitive,
            });
        }
    }

    /// An org id inside the arguments of a call: the nearest enclosing call that does
    /// something with it is a use (or, for a membership test, a check).
    fn org_occurrence(&mut self, n: Node<'_>, name: String, source: &'static str) {
        let mut cur = n;
        while let Some(p) = cur.parent() {
            let kind = p.kind_str();
            if is_function_kind(kind)
                || kind.ends_with("_statement")
                || kind == "variable_declarator"
            {
                return;
            }
            if kind == "binary_expression"
                && p.field("operator").is_some_and(|o| {
                    matches!(self.text(o), "===" | "!==" | "==" | "!=" | "<" | ">")
                })
            {
                return;
            }
            if kind == "arguments"
                && let Some(call) = p.parent()
                && matches!(call.kind_str(), "call_expression" | "new_expression")
            {
                let path = call
                    .field("function")
                    .or_else(|| call.field("constructor"))
                    .and_then(|f| callee_path(self.src, f))
                    .unwrap_or_default();
                if !path.is_empty() && !is_inert_call(&path) {
                    let last = path.last().map(|s| s.trim_end_matches("()")).unwrap_or("");
                    // `where: and(eq(members.orgId, orgId), eq(members.userId, userId))`: a
                    // query builder's operators build the condition of the call around them,
                    // which decides.
                    let outer = self.around_operators(call, &path);
                    // A lookup keyed by the caller's own id as well as the org id (`userOrg.
                    // findUnique({ where: { userId_orgId: { userId, orgId } } })`) finds the
                    // row that links the two: a membership test, whatever the table's name (a
                    // write of such a row, `createMany({ data: [{ userId, orgId }] })`, is not).
                    // A query builder's filters are links of one chain (`from('members')
                    // .select().eq('user_id', userId).eq('org_id', orgId).single()`): the
                    // chain as a whole is the lookup.
                    let (lookup, keys) = match outer {
                        Some(o) => match self.query_chain(o) {
                            Some((reads, text)) => (reads, text),
                            None => {
                                let l = o
                                    .field("function")
                                    .and_then(|f| callee_path(self.src, f))
                                    .and_then(|p| p.last().cloned())
                                    .unwrap_or_default();
                                let l = l.trim_end_matches("()");
                                (
                                    l.starts_with("find")
                                        || matches!(l, "count" | "get" | "exists" | "first"),
                                    o.field("arguments").map_or("", |a| self.text(a)),
                                )
                            }
                        },
                        None => match self.query_chain(call) {
                            Some((reads, text)) => (reads, text),
                            None => (
                                last.starts_with("find")
                                    || matches!(last, "count" | "get" | "exists" | "first"),
                                self.text(p),
                            ),
                        },
                    };
                    let keyed_by_caller = lookup && self.keyed_by_caller(keys);
                    let names_members = path
                        .iter()
                        .any(|s| s.to_ascii_lowercase().contains("member"));
                    // A list of the organization's members tests nothing by itself.
                    let listing = names_members
                        && lists_members(&path)
                        && !self.keyed_by_caller(self.text(p));
                    // Writing a membership row (`membership.create({ data: { userId, orgId }
                    // })`) joins the caller to the organization the request names: a use of
                    // the id, not a test of it.
                    let writes_row = ["create", "insert", "upsert", "add", "connect", "save"]
                        .iter()
                        .any(|w| last.to_ascii_lowercase().starts_with(w));
                    let membership = (names_members && !listing && !writes_row)
                        || matches!(last, "includes" | "has" | "some")
                        || keyed_by_caller;
                    if listing
                        && !self
                            .scope
                            .pending_lists
                            .iter()
                            .any(|(s, _)| *s == span(call))
                    {
                        self.scope
                            .pending_lists
                            .push((span(call), format!("`{}()`", path.join("."))));
                    }
                    if membership {
                        self.out.org_checks.push(OrgCheck {
                            span: span(call),
                            how: format!("`{}()`", path.join(".")),
                        });
                        // The lookup of the row this test is keyed by read it, nothing more.
                        if keyed_by_caller
                            && let Some(row) = name.strip_suffix(".id")
                            && let Some(pending) = self.scope.pending_rows.remove(row)
                        {
                            self.out.org_uses.retain(|u| u.span != pending);
                        }
                    } else {
                        let at = span(call);
                        if let Some((decl, row)) = &self.scope.row_decl
                            && decl.start <= at.start
                            && at.end <= decl.end
                            && !self.scope.org_rows.contains_key(row)
                        {
                            self.scope.org_rows.insert(row.clone(), source);
                            self.scope.pending_rows.insert(row.clone(), at);
                        }
                        self.out.org_uses.push(OrgUse {
                            span: at,
                            callee: path,
                            name,
                            source: source.to_string(),
                        });
                    }
                    return;
                }
            }
            cur = p;
        }
    }

    /// Whether a lookup's text (its arguments, or a query chain) is keyed by the caller's own
    /// id or own user row's id.
    fn keyed_by_caller(&self, keys: &str) -> bool {
        self.scope.self_ids.iter().any(|id| value_use(keys, id))
            || self.scope.self_keys.iter().any(|k| value_use(keys, k))
    }

    /// The caller's id is looked for in the member lists read so far: each is a membership
    /// test, not a use.
    fn lists_searched(&mut self) {
        for (sp, how) in std::mem::take(&mut self.scope.pending_lists) {
            self.out.org_uses.retain(|u| u.span != sp);
            self.out.org_checks.push(OrgCheck { span: sp, how });
        }
    }

    /// A call of one row (`findFirst`, `findUnique`, `.single()`, `.maybeSingle()`, `first`,
    /// and their `…OrThrow` forms) that writes nothing.
    fn is_row_lookup(&self, call: Node<'_>) -> bool {
        let Some(path) = call
            .field("function")
            .and_then(|f| callee_path(self.src, f))
        else {
            return false;
        };
        let last = path.last().map(|s| s.trim_end_matches("()")).unwrap_or("");
        let last = last.strip_suffix("OrThrow").unwrap_or(last);
        matches!(
            last,
            "findFirst" | "findUnique" | "single" | "maybeSingle" | "first"
        ) && self.query_chain(call).is_none_or(|(reads, _)| reads)
    }

    /// An occurrence of a looked-up row's name that uses the row: passed to a call or
    /// returned (its `.id` is an org id, followed by `org_occurrence`; a test of it, `if
    /// (!org)`, is not a use).
    fn row_used(&self, n: Node<'_>) -> bool {
        let mut cur = n;
        while let Some(p) = cur.parent() {
            let kind = p.kind_str();
            if kind == "member_expression"
                && p.field("object").is_some_and(|o| o.id() == cur.id())
                && property_name(self.src, p).as_deref() == Some("id")
            {
                return false;
            }
            if kind == "arguments" || kind == "return_statement" {
                return true;
            }
            if is_function_kind(kind)
                || kind.ends_with("_statement")
                || kind == "variable_declarator"
            {
                return false;
            }
            cur = p;
        }
        false
    }

    /// The call around a query builder's operators (`and(eq(a, x), eq(b, y))`, plain names
    /// imported from `drizzle-orm`) the call is an argument of: the query they build the
    /// condition of. `None` when the call is not such an operator.
    fn around_operators<'n>(&self, call: Node<'n>, path: &[String]) -> Option<Node<'n>> {
        let operator = |p: &[String]| {
            matches!(p, [one] if self
                .code
                .imports
                .get(one.as_str())
                .is_some_and(|i| i.source == "drizzle-orm" || i.source.starts_with("drizzle-orm/")))
        };
        if !operator(path) {
            return None;
        }
        let mut cur = call;
        for _ in 0..32 {
            let p = cur.parent()?;
            let kind = p.kind_str();
            if is_function_kind(kind)
                || kind.ends_with("_statement")
                || kind == "variable_declarator"
            {
                return None;
            }
            if kind == "arguments"
                && let Some(c) = p.parent()
                && c.kind_str() == "call_expression"
            {
                let path = c
                    .field("function")
                    .and_then(|f| callee_path(self.src, f))
                    .unwrap_or_default();
                if !operator(&path) {
                    return Some(c);
                }
                cur = c;
                continue;
            }
            cur = p;
        }
        None
    }

    /// A call that is a link of a query builder's chain (`db.from('t').select().eq('a', x)
    /// .single()`): whether the whole chain only reads (a `select`/`find`/`get` link and no
    /// write link), and the chain's text (every link's arguments). `None` when the call is not
    /// a method called on another call's result, nor has one called on its own.
    fn query_chain(&self, call: Node<'_>) -> Option<(bool, &'s str)> {
        let is_link = |c: Node<'_>| {
            c.field("function").map(strip).is_some_and(|f| {
                f.kind_str() == "member_expression"
                    && f.field("object")
                        .map(strip)
                        .is_some_and(|o| o.kind_str() == "call_expression")
            })
        };
        // Up to the outermost call of the chain.
        let mut top = call;
        let mut links = usize::from(is_link(call));
        while let Some(m) = top.parent()
            && m.kind_str() == "member_expression"
            && m.field("object").is_some_and(|o| o.id() == top.id())
            && let Some(c) = m.parent()
            && c.kind_str() == "call_expression"
            && c.field("function").is_some_and(|f| f.id() == m.id())
        {
            top = c;
            links += 1;
            if links > 32 {
                return None;
            }
        }
        if links == 0 {
            return None;
        }
        // Down the chain: the method of each link.
        let (mut reads, mut writes) = (false, false);
        let mut cur = top;
        for _ in 0..64 {
            let Some(f) = cur.field("function").map(strip) else {
                break;
            };
            let name = if f.kind_str() == "member_expression" {
                property_name(self.src, f).unwrap_or_default()
            } else {
                self.text(f).rsplit('.').next().unwrap_or("").to_string()
            };
            let l = name.to_ascii_lowercase();
            if l.starts_with("select")
                || l.starts_with("find")
                || l.starts_with("get")
                || matches!(l.as_str(), "single" | "maybesingle" | "first" | "count")
            {
                reads = true;
            }
            if l.starts_with("insert")
                || l.starts_with("update")
                || l.starts_with("upsert")
                || l.starts_with("delete")
                || l.starts_with("create")
                || matches!(l.as_str(), "set" | "values" | "del" | "remove")
            {
                writes = true;
            }
            match f.field("object").map(strip) {
                Some(o)
                    if f.kind_str() == "member_expression" && o.kind_str() == "call_expression" =>
                {
                    cur = o;
                }
                _ => break,
            }
        }
        Some((reads && !writes, self.text(top)))
    }

    fn session_org_occurrence(&mut self, n: Node<'_>) {
        let mut cur = n;
        while let Some(p) = cur.parent() {
            if is_function_kind(p.kind_str()) || p.kind_str().ends_with("_statement") {
                return;
            }
            if p.kind_str() == "arguments" {
                self.out.session_org_used = true;
                return;
            }
            cur = p;
        }
    }

    /// `params.orgId !== orgId` (request org id vs the session's).
    fn comparison(&mut self, n: Node<'_>) {
        let op = n.field("operator").map(|o| self.text(o)).unwrap_or("");
        if !matches!(op, "===" | "!==" | "==" | "!=") {
            return;
        }
        let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else {
            return;
        };
        if !self.scope.pending_lists.is_empty() && (self.is_self_user(l) || self.is_self_user(r)) {
            self.lists_searched();
        }
        let org = |x: Node<'_>| self.org_expr(x).is_some();
        let session = |x: Node<'_>| self.is_session_org_expr(x);
        if (org(l) && session(r)) || (org(r) && session(l)) {
            self.out.org_checks.push(OrgCheck {
                span: span(n),
                how: format!("`{}`", compact(self.text(n))),
            });
        }
    }

    /// A call on request data (`req.json()`, `searchParams.get(…)`): never a role check.
    fn is_request_path(&self, path: &[String]) -> bool {
        path.len() > 1
            && path
                .first()
                .is_some_and(|r| self.scope.request.contains_key(r.trim_end_matches("()")))
    }

    /// `if (<role test>) exit`, `if (!(await isAdmin())) return …`.
    fn if_statement(&mut self, n: Node<'_>) {
        let (Some(cond), Some(cons)) = (n.field("condition"), n.field("consequence")) else {
            return;
        };
        if (self.gates.admin || self.gates.role) && !self.scope.request.is_empty() {
            // Before anything else: a test that guards the write (`if (!ALLOWED.includes(role))
            // return`) or wraps it (`if (ALLOWED.includes(role)) { … }`).
            if self.scope.conds.len() < MAX_CONDS {
                self.scope.conds.push((cond.start_byte(), cond.end_byte()));
            } else {
                self.scope.too_many_conds = true;
            }
        }
        let Some(throws) = exits(self.src, cons) else {
            return;
        };
        if !self.in_own_body() {
            return;
        }
        let c = strip(cond);
        let c = if c.kind_str() == "unary_expression" {
            c.field("argument").map(strip).unwrap_or(c)
        } else {
            c
        };
        if self.is_step_up_node(c) {
            let how = match c.kind_str() {
                "identifier" => self
                    .scope
                    .step_up_vars
                    .get(self.text(c))
                    .cloned()
                    .unwrap_or_else(|| self.text(c).to_string()),
                _ => compact(self.text(strip(cond))),
            };
            self.out.step_ups.push(StepUpCheck {
                span: span(cond),
                how: format!("`{how}`"),
                throws,
            });
            return;
        }
        if self.is_role_node(c) || self.is_role_node(cond) {
            let how = match c.kind_str() {
                "identifier" => format!(
                    "`{}`",
                    self.scope
                        .role_vars
                        .get(self.text(c))
                        .cloned()
                        .unwrap_or_else(|| self.text(c).to_string())
                ),
                _ => format!("`{}`", compact(self.text(strip(cond)))),
            };
            self.out.role_checks.push(RoleCheck {
                span: span(cond),
                how,
                via: None,
                throws,
            });
            return;
        }
        // Calls (or names holding call results) the condition depends on.
        let mut stack = vec![cond];
        while let Some(x) = stack.pop() {
            if is_function_kind(x.kind_str()) {
                continue;
            }
            match x.kind_str() {
                "call_expression" => {
                    if let Some(path) = x
                        .field("function")
                        .and_then(|f| callee_path(self.src, f))
                        .filter(|p| !self.is_request_path(p))
                    {
                        self.out.role_checks.push(RoleCheck {
                            span: span(cond),
                            how: format!("`{}`", compact(self.text(strip(cond)))),
                            via: Some(path),
                            throws,
                        });
                    }
                }
                "identifier" => {
                    if let Some(path) = self
                        .scope
                        .call_vars
                        .get(self.text(x))
                        .filter(|p| !self.is_request_path(p))
                    {
                        self.out.role_checks.push(RoleCheck {
                            span: span(cond),
                            how: format!("`{}`", compact(self.text(strip(cond)))),
                            via: Some(path.clone()),
                            throws,
                        });
                    }
                }
                _ => {}
            }
            let mut cur = x.walk();
            stack.extend(x.named_children(&mut cur));
        }
    }
}

/// Whether a text may hold an `auth.protect({…})`/`has({…})` object that mixes criteria with
/// options or combines several criteria (a byte-level filter before parsing or walking).
pub fn may_mix_options(src: &str) -> bool {
    // One pass for the words (a search per word read a text up to twelve times). Each search
    // resumes one byte past the start of the last match, not past its end, so that a word
    // overlapping another (`featureverification`) is found too; no two words can match at
    // the same start.
    static WORDS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            crate::prefilter::words_automaton(MIX_CALLS.iter().chain(MIX_OPTIONS).chain(AUTHZ_KEYS))
        });
    let Some(ac) = WORDS.as_ref() else {
        return may_mix_options_slowly(src);
    };
    let calls = MIX_CALLS.len();
    let mut seen = 0u32;
    let mut at = 0;
    while let Some(m) = ac.find(aho_corasick::Input::new(src).range(at..)) {
        let word = m.pattern().as_usize();
        if word >= calls || object_may_follow(src.as_bytes(), m.end()) {
            seen |= 1 << word;
        }
        at = m.start() + 1;
    }
    let options = calls + MIX_OPTIONS.len();
    let bits = |from: usize, to: usize| (seen >> from) & ((1 << (to - from)) - 1);
    bits(0, calls) != 0
        && (bits(calls, options) != 0
            || bits(options, options + AUTHZ_KEYS.len()).count_ones() >= 2)
}

/// The calls whose options object may mix criteria, and the options that mix.
const MIX_CALLS: &[&str] = &["protect(", "has("];
const MIX_OPTIONS: &[&str] = &[
    "unauthenticatedUrl",
    "unauthorizedUrl",
    "token:",
    "token,",
    "token }",
];

/// Whether the argument that starts at `at` (just past a call's `(`) may be an object literal
/// once [`strip`] has stepped into it: `{`, or the `(` of a parenthesized one, the `<` of a type
/// assertion, an `await` or `yield`; blanks and comments before it are stepped over, and any
/// other character a source may hold there (a non-ASCII blank) counts as maybe. `map.has(key)`
/// and `set.has(x)` pass no object: a file that has only those is not parsed for a mix.
fn object_may_follow(src: &[u8], at: usize) -> bool {
    let Some(at) = super::directives::skip_trivia(src, at) else {
        return false;
    };
    match src.get(at) {
        Some(b'{' | b'(' | b'<') => true,
        // A vertical tab or a non-ASCII blank, which the skip leaves: maybe.
        Some(c) if *c >= 0x80 || *c == 0x0b => true,
        Some(_) => {
            let rest = &src[at..];
            rest.starts_with(b"await") || rest.starts_with(b"yield")
        }
        None => false,
    }
}

/// [`may_mix_options`] a word at a time (the reference for the one-pass search).
fn may_mix_options_slowly(src: &str) -> bool {
    MIX_CALLS.iter().any(|k| {
        src.match_indices(k)
            .any(|(i, _)| object_may_follow(src.as_bytes(), i + k.len()))
    }) && (MIX_OPTIONS.iter().any(|k| src.contains(k))
        || AUTHZ_KEYS.iter().filter(|k| src.contains(*k)).count() >= 2)
}

/// `auth.protect({ … })` and `has({ … })` calls whose one object mixes authorization criteria
/// with `unauthenticatedUrl`/`unauthorizedUrl`/`token`, or combines several criteria.
fn option_mixes(root: Node<'_>, src: &str, out: &mut Vec<OptionMix>) {
    let mut cursor = root.walk();
    loop {
        let n = cursor.node();
        if n.kind_str() == "call_expression"
            && let Some(f) = n.field("function")
            && let Some(path) = callee_path(src, f)
            && let Some(last) = path.last()
            && (last == "protect" || last == "has")
            && let Some(args) = n.field("arguments")
            && let Some(obj) = args.named_child(0).map(strip)
            && obj.kind_str() == "object"
        {
            let mut keys = Vec::new();
            let mut c = obj.walk();
            for p in obj.named_children(&mut c) {
                let k = match p.kind_str() {
                    "pair" => p
                        .field("key")
                        .map(|k| text(src, k).trim_matches(['"', '\'']).to_string()),
                    "shorthand_property_identifier" => Some(text(src, p).to_string()),
                    _ => None,
                };
                if let Some(k) = k {
                    keys.push(k);
                }
            }
            let authz = keys
                .iter()
                .filter(|k| AUTHZ_KEYS.contains(&k.as_str()))
                .count();
            let options = keys.iter().any(|k| OPTION_KEYS.contains(&k.as_str()));
            if (authz >= 1 && options) || authz >= 2 {
                out.push(OptionMix {
                    span: span(n),
                    call: path.join("."),
                    keys,
                });
            }
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                out.sort_by_key(|m| m.span.start);
                return;
            }
        }
    }
}

/// Collapse whitespace and cut long snippets for messages.
fn compact(s: &str) -> String {
    super::code::compact(s)
}

#[cfg(test)]
mod tests {
    /// The one-pass search for the words of `may_mix_options` answers as a search per word
    /// does, overlapping words and repeated ones included.
    #[test]
    fn may_mix_options_in_one_pass_agrees_with_a_search_per_word() {
        let parts = [
            "protect(",
            "has(",
            "unauthenticatedUrl",
            "unauthorizedUrl",
            "token:",
            "token,",
            "token }",
            "role",
            "permission",
            "feature",
            "plan",
            "reverification",
            "featu",
            "reverif",
            "x",
            " ",
            "has",
            "tok",
            "en:",
            "protect",
            "(",
            "{",
            "/* c */",
            "await ",
            "key)",
        ];
        let mut checked = 0;
        for a in parts {
            for b in parts {
                for c in parts {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(
                        super::may_mix_options(&text),
                        super::may_mix_options_slowly(&text),
                        "{text:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, parts.len().pow(3));
        assert!(!super::may_mix_options("has(featureverification"));
        assert!(super::may_mix_options("has({featureverification"));
        assert!(!super::may_mix_options("has({feature"));
        // What follows the call's `(` must be able to be an object.
        let role_and_plan = " role plan";
        for (call, may) in [
            ("has({", true),
            ("has( {", true),
            ("has(\n  // the options\n  {", true),
            ("has(/* the options */ {", true),
            ("auth.protect(({", true),
            ("protect(<Options>{", true),
            ("has(await {", true),
            ("has(key)", false),
            ("seen.has(id) &&", false),
            ("has(options)", false),
            ("has(", false),
            ("has(/* never closed", false),
        ] {
            let text = format!("{call}{role_and_plan}");
            assert_eq!(super::may_mix_options(&text), may, "{text:?}");
            assert_eq!(super::may_mix_options_slowly(&text), may, "{text:?}");
        }
    }

    use super::*;
    use crate::source::Lang;

    fn facts(src: &str) -> CodeFacts {
        let tree = crate::parse::parse(Lang::Ts, src).expect("parse");
        let imports = super::super::imports::scan_file(Lang::Ts, src);
        let mut code = super::super::code::extract(&tree, src, &imports);
        code.authz = extract(tree.root_node(), src, &code);
        code
    }

    /// The authz facts of the function named `name`.
    fn of<'a>(code: &'a CodeFacts, name: &str) -> &'a FnAuthz {
        let i = code
            .functions
            .iter()
            .position(|f| f.name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no function {name}"));
        static NONE: std::sync::LazyLock<FnAuthz> = std::sync::LazyLock::new(FnAuthz::default);
        code.authz.function(i).unwrap_or(&NONE)
    }

    #[test]
    fn mutation_kinds() {
        assert_eq!(mutation_kind("deleteUser"), Some(true));
        assert_eq!(mutation_kind("banUser"), Some(true));
        assert_eq!(mutation_kind("revokeSession"), Some(true));
        assert_eq!(mutation_kind("updateUserMetadata"), Some(false));
        assert_eq!(mutation_kind("unbanUser"), Some(false));
        assert_eq!(mutation_kind("createOrganizationInvitation"), Some(false));
        assert_eq!(mutation_kind("getUserList"), None);
        assert_eq!(mutation_kind("settings"), None);
        assert_eq!(mutation_kind("address"), None);
        assert_eq!(mutation_kind("verifyPassword"), None);
    }

    #[test]
    fn admin_calls_and_clients() {
        let code = facts(
            r#"
import { auth, clerkClient, currentUser } from '@clerk/nextjs/server'
export async function a(id: string) {
  await (await clerkClient()).users.deleteUser(id)
  const client = await clerkClient()
  await client.organizations.updateOrganization(id, {})
  const { invitations } = await clerkClient()
  await invitations.revokeInvitation(id)
  await clerkClient.users.banUser(id)
  await client.users.getUser(id)
}
export async function b() {
  const { userId } = await auth()
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId!, {})
  await client.emailAddresses.createEmailAddress({ userId, emailAddress: 'a@b.c' })
  const user = await currentUser()
  await client.users.deleteUser(user!.id)
  await client.organizations.deleteOrganization(userId!)
}
"#,
        );
        let calls: Vec<(String, Option<String>, bool, bool)> = of(&code, "a")
            .admin_calls
            .iter()
            .map(|c| {
                (
                    format!("{}.{}", c.resource, c.method),
                    c.factory.clone(),
                    c.destructive,
                    c.target == Source::Caller,
                )
            })
            .collect();
        let cc = Some("clerkClient".to_string());
        assert_eq!(
            calls,
            vec![
                ("users.deleteUser".into(), cc.clone(), true, false),
                (
                    "organizations.updateOrganization".into(),
                    cc.clone(),
                    false,
                    false
                ),
                (
                    "invitations.revokeInvitation".into(),
                    cc.clone(),
                    true,
                    false
                ),
                ("users.banUser".into(), cc.clone(), true, false),
            ]
        );
        let selfs: Vec<(String, bool)> = of(&code, "b")
            .admin_calls
            .iter()
            .map(|c| (c.method.clone(), c.target == Source::Caller))
            .collect();
        assert_eq!(
            selfs,
            vec![
                ("updateUserMetadata".into(), true),
                ("createEmailAddress".into(), true),
                ("deleteUser".into(), true),
                // Organizations are never "self".
                ("deleteOrganization".into(), false),
            ]
        );
    }

    #[test]
    fn targets_grants_and_tested_values() {
        let code = facts(
            r#"
import { auth, clerkClient } from '@clerk/nextjs/server'
const ALLOWED = ['buyer', 'seller']
export async function untested(req: Request) {
  const { userId } = await auth()
  const { role, name } = await req.json()
  if (!role) return new Response(null, { status: 400 })
  const client = await clerkClient()
  await client.users.updateUserMetadata(userId, { publicMetadata: { role, name } })
}
export async function allowList(req: Request) {
  const { userId } = await auth()
  const body = await req.json()
  if (!ALLOWED.includes(body.role)) return new Response(null, { status: 400 })
  const client = await clerkClient()
  await client.users.updateUser(userId, { publicMetadata: { role: body.role } })
}
export async function switched(req: Request) {
  const { userId } = await auth()
  const { plan } = await req.json()
  switch (plan) { case 'a': break; default: return }
  await (await clerkClient()).users.updateUser(userId, { privateMetadata: { permissions: plan } })
}
export async function parsed(req: Request) {
  const { userId } = await auth()
  const data = schema.parse(await req.json())
  await (await clerkClient()).users.updateUser(userId, { publicMetadata: { ...data } })
}
export async function notPrivileged(req: Request) {
  const { userId } = await auth()
  const { name } = await req.json()
  await (await clerkClient()).users.updateUser(userId, { publicMetadata: { name, onboarded: true } })
}
export async function whole(req: Request) {
  const { userId } = await auth()
  const body = await req.json()
  await (await clerkClient()).users.updateUserMetadata(userId, { publicMetadata: body })
}
export async function helper(id: string, role: string) {
  await (await clerkClient()).users.updateUser(id, { publicMetadata: { role } })
}
export async function caller(req: Request) {
  const { userId } = await auth()
  const { role } = await req.json()
  await helper(userId, role)
  console.log(userId)
}
"#,
        );
        let first = |name: &str| {
            let c = &of(&code, name).admin_calls[0];
            (c.target.clone(), c.grant.clone())
        };
        let body = Some(Source::Request("the request body".into()));
        // `if (!role)` tests presence, not the value.
        assert_eq!(first("untested"), (Source::Caller, body.clone()));
        assert_eq!(
            first("allowList"),
            (Source::Caller, Some(Source::TestedRequest))
        );
        assert_eq!(
            first("switched"),
            (Source::Caller, Some(Source::TestedRequest))
        );
        assert_eq!(
            first("parsed"),
            (Source::Caller, Some(Source::TestedRequest))
        );
        assert_eq!(first("notPrivileged"), (Source::Caller, None));
        assert_eq!(first("whole"), (Source::Caller, body.clone()));
        assert_eq!(first("helper"), (Source::Param(0), Some(Source::Param(1))));
        // The helper's call records its arguments; `console.log` is inert.
        let args = &of(&code, "caller").call_args;
        assert_eq!(args.len(), 1, "{args:?}");
        assert_eq!(args[0].args, vec![Source::Caller, body.clone().unwrap()]);
        assert_eq!(
            Source::Param(1).through(&args[0].args),
            Source::Request("the request body".into())
        );
        assert_eq!(Source::Param(5).through(&args[0].args), Source::Server);
    }

    #[test]
    fn conditions_read_again_are_bounded() {
        // Every helper call asks for its arguments' sources, and each asks every condition met
        // so far: past `MAX_CONDS` conditions request data counts as tested (quiet, and linear).
        let handler = |ifs: usize| {
            let tests: String = (0..ifs)
                .map(|i| format!("  if (page === {i}) return null\n"))
                .collect();
            format!(
                "import {{ auth, clerkClient }} from '@clerk/nextjs/server'\n\
                 export async function h(req: Request) {{\n\
                 const {{ userId }} = await auth()\n\
                 const {{ role, page }} = await req.json()\n{tests}\
                 await (await clerkClient()).users.updateUser(userId, {{ publicMetadata: {{ role }} }})\n}}\n"
            )
        };
        let grant = |ifs: usize| {
            let code = facts(&handler(ifs));
            of(&code, "h").admin_calls[0].grant.clone()
        };
        assert_eq!(grant(10), Some(Source::Request("the request body".into())));
        assert_eq!(grant(MAX_CONDS + 1), Some(Source::TestedRequest));
    }

    #[test]
    fn role_checks() {
        let code = facts(
            r#"
import { auth } from '@clerk/nextjs/server'
export async function a() {
  const { has, orgRole, sessionClaims } = await auth()
  if (!has({ role: 'org:admin' })) return new Response(null, { status: 403 })
  if (orgRole !== 'org:admin') throw new Error('no')
  const isAdmin = sessionClaims?.metadata?.role === 'admin'
  if (!isAdmin) redirect('/')
  if (!(await isStaff())) return null
}
export async function b(req: Request) {
  const { role } = await req.json()
  if (role !== 'admin') return new Response(null, { status: 403 })
  const body = await req.json()
  if (body.role !== 'admin') return new Response(null, { status: 403 })
  [1].forEach(() => { if (!has({ role: 'x' })) return })
}
export async function c() {
  await auth.protect({ role: 'org:admin' })
  await auth.protect((has) => has({ permission: 'org:x:y' }))
  await auth.protect()
}
export const checkRole = async (role: string) => {
  const { sessionClaims } = await auth()
  return sessionClaims?.metadata?.role === role
}
"#,
        );
        let a: Vec<(Option<String>, bool)> = of(&code, "a")
            .role_checks
            .iter()
            .map(|r| (r.via.as_ref().map(|v| v.join(".")), r.throws))
            .collect();
        assert_eq!(
            a,
            vec![
                (None, false),
                (None, true),
                (None, true),
                (Some("isStaff".into()), false)
            ]
        );
        assert!(
            of(&code, "b").role_checks.is_empty(),
            "request roles are not checks"
        );
        assert_eq!(of(&code, "c").role_checks.len(), 2);
        assert!(of(&code, "checkRole").returns_role.is_some());
    }

    #[test]
    fn org_ids() {
        let code = facts(
            r#"
import { auth } from '@clerk/nextjs/server'
export async function GET(req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { orgId: active } = await auth()
  const { orgId } = await params
  console.log(orgId)
  await db.project.findMany({ where: { orgId } })
  if (orgId !== active) return new Response(null, { status: 403 })
  const other = new URL(req.url).searchParams.get('organizationId')
  await load(other)
  await db.x.findFirst({ where: { orgId: active } })
}
export async function action(orgId: string, form: FormData) {
  await db.y.update({ where: { id: form.get('orgId') } })
  if (!(await isOrgMember(orgId))) throw new Error('no')
}
"#,
        );
        let g = of(&code, "GET");
        let reads: Vec<(&str, &str)> = g
            .org_reads
            .iter()
            .map(|r| (r.name.as_str(), r.source.as_str()))
            .collect();
        assert_eq!(
            reads,
            vec![("orgId", "the route params"), ("other", "the query string")]
        );
        let uses: Vec<String> = g.org_uses.iter().map(|u| u.callee.join(".")).collect();
        assert_eq!(uses, vec!["db.project.findMany", "load"]);
        assert_eq!(g.org_checks.len(), 1);
        assert!(g.session_org_used);
        let a = of(&code, "action");
        assert_eq!(a.org_reads[0].source, "its arguments");
        let uses: Vec<(String, String)> = a
            .org_uses
            .iter()
            .map(|u| (u.callee.join("."), u.source.clone()))
            .collect();
        assert_eq!(uses, vec![("db.y.update".into(), "the form data".into())]);
        // A membership test by name is a check.
        assert_eq!(a.org_checks.len(), 1);
    }

    #[test]
    fn option_mixes_in_protect_and_has() {
        let code = facts(
            r#"
export default clerkMiddleware(async (auth, req) => {
  await auth.protect({ role: 'org:admin', unauthenticatedUrl: '/sign-in' })
  await auth.protect({ role: 'org:admin' }, { unauthorizedUrl: '/' })
})
export async function f() {
  const { has } = await auth()
  if (!has({ feature: 'sso', permission: 'org:sso:manage' })) return null
  if (!has({ role: 'org:admin' })) return null
}
"#,
        );
        let mixes: Vec<Vec<String>> = code
            .authz
            .option_mixes
            .iter()
            .map(|m| m.keys.clone())
            .collect();
        assert_eq!(
            mixes,
            vec![
                vec!["role".to_string(), "unauthenticatedUrl".to_string()],
                vec!["feature".to_string(), "permission".to_string()],
            ]
        );
    }

    #[test]
    fn step_up_checks_and_sensitive_calls() {
        let code = facts(
            r#"
import { auth, clerkClient, reverificationError } from '@clerk/nextjs/server'
export async function a(password: string) {
  const { userId, has } = await auth.protect()
  if (!has({ reverification: 'strict' })) return reverificationError('strict')
  const stale = !has({ reverification: 'lax' })
  if (stale) return reverificationError('lax')
  await auth.protect({ reverification: 'strict_mfa' })
  const client = await clerkClient()
  await client.users.updateUser(userId, { password })
  await client.users.updateUser(userId, { firstName: 'x' })
  await client.apiKeys.create({ name: 'k', subject: userId })
  await client.apiKeys.list({ subject: userId })
}
export async function needs() {
  const { has } = await auth()
  return !has({ reverification: 'moderate' })
}
export async function b() {
  const { has } = await auth()
  if (!has({ role: 'org:admin' })) return null
  [1].forEach(() => { if (!has({ reverification: 'strict' })) return })
}
"#,
        );
        let a = of(&code, "a");
        let throws: Vec<bool> = a.step_ups.iter().map(|s| s.throws).collect();
        assert_eq!(throws, vec![false, false, true]);
        let calls: Vec<(String, Option<Sensitive>, bool)> = a
            .admin_calls
            .iter()
            .map(|c| (format!("{}.{}", c.resource, c.method), c.sensitive, c.admin))
            .collect();
        assert_eq!(
            calls,
            vec![
                (
                    "users.updateUser".into(),
                    Some(Sensitive::Credentials),
                    true
                ),
                ("users.updateUser".into(), None, true),
                (
                    "apiKeys.create".into(),
                    Some(Sensitive::MachineCredential),
                    false
                ),
            ]
        );
        assert!(of(&code, "needs").returns_step_up.is_some());
        assert!(of(&code, "b").step_ups.is_empty(), "callbacks do not gate");
        assert!(is_destructive_data_call(&[
            "db".into(),
            "project".into(),
            "deleteMany".into()
        ]));
        assert!(is_destructive_data_call(&["db".into(), "delete".into()]));
        assert!(!is_destructive_data_call(&[
            "cookies()".into(),
            "delete".into()
        ]));
        assert!(!is_destructive_data_call(&["map".into(), "delete".into()]));
    }

    #[test]
    fn helper_checks_need_no_keyword() {
        let code = facts(
            "import { isAdmin } from '@/lib/auth'\nexport async function GET() {\n  if (!(await isAdmin())) return new Response(null, { status: 403 })\n  return Response.json(1)\n}\nexport function add(a: number, b: number) { return a + b }\n",
        );
        let via: Vec<Option<String>> = of(&code, "GET")
            .role_checks
            .iter()
            .map(|r| r.via.as_ref().map(|v| v.join(".")))
            .collect();
        assert_eq!(via, vec![Some("isAdmin".to_string())]);
        assert_eq!(of(&code, "add"), &FnAuthz::default());
    }
}
