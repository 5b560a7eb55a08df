//! `clerk-guard probe`: send every route of the app a request without a session (or with a
//! given one), as an attacker would, and join the answer with the static verdict.
//!
//! Routes come from the route model (`project.entries`); [`http`] sends the requests (loopback
//! only unless `--allow-remote`, safe methods only unless `--methods`, bounded concurrency,
//! timeouts, a request cap, redirects followed only on the base URL's origin); [`classify`]
//! turns answers into outcomes and verdicts; findings of the `probe` rules go through the
//! regular reporters.

pub mod classify;
pub mod http;
pub mod output;
pub mod roles;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cli::{ColorChoice, FailOn};
use crate::finding::{Finding, Span};
use crate::project::Project;
use crate::project::routes::{Entry, EntryKind, HTTP_METHODS, Protection};
use crate::report::Format;
use crate::rules::probe::{probe_contradiction, probe_open_endpoint};
use classify::{Outcome, SignInHints, StaticView, Verdict};
use http::{BaseUrl, Client, Exchange, Failure, Outgoing, Url};

/// Redirects followed (on the base URL's origin) before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// Placeholder for a dynamic segment without `--param`.
pub const DEFAULT_PARAM: &str = "1";

/// The JSON body sent with POST, PUT and PATCH when `--methods` allows them.
pub const JSON_BODY: &str = "{}";

#[derive(clap::Args, Debug, Clone)]
pub struct ProbeArgs {
    /// The app's directory: its routes are read from the source (default: `.`).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Where the app is served, with its basePath if it has one (http://127.0.0.1:3000).
    #[arg(long, value_name = "URL")]
    pub base_url: String,
    /// Allow a base URL that is not a loopback address (a preview deployment you may test).
    #[arg(long)]
    pub allow_remote: bool,
    /// Also send these methods (comma-separated), which may change data: POST, PUT, PATCH,
    /// DELETE. GET, HEAD and OPTIONS are always sent.
    #[arg(long, value_delimiter = ',', value_name = "METHOD,...")]
    pub methods: Vec<String>,
    /// Value for a dynamic segment, `id=123` for `[id]` (default `1`); repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Send this header with every request (`'Cookie: __session=…'`); repeatable. A `Cookie`
    /// or `Authorization` header probes as that user: only admin operations are probed then.
    #[arg(long = "header", short = 'H', value_name = "'NAME: VALUE'")]
    pub headers: Vec<String>,
    /// Probe role and organization checks as this user: a name, and the user's Clerk session
    /// token (sent as `Authorization: Bearer`); repeatable (`--as member=eyJ… --as
    /// admin=eyJ…`). Who is an admin is read from the token's claims, not from the name.
    #[arg(long = "as", value_name = "NAME=TOKEN")]
    pub users: Vec<String>,
    /// Another organization's id, sent in the `[orgId]` segment or `orgId` query of
    /// organization-scoped routes (default: the organization of another `--as` user).
    #[arg(long = "other-org", value_name = "ORG_ID")]
    pub other_orgs: Vec<String>,
    /// The app's sign-in page (path or URL), when it is not a `/sign-in`-like path.
    #[arg(long = "sign-in-url", value_name = "URL")]
    pub sign_in_urls: Vec<String>,
    /// The app to probe when PATH holds several (its directory relative to PATH).
    #[arg(long, value_name = "DIR")]
    pub app: Option<String>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub concurrency: usize,
    /// Seconds one request (with its body) may take.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// The most requests sent in all (redirects count).
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_requests: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to a file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Exit with status 1 when a finding of at least this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Configuration file (default: clerk-guard.toml in PATH).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only: no route table, no summary, no warnings.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Validated probe settings.
#[derive(Clone, Debug)]
pub struct Settings {
    pub base: BaseUrl,
    pub extra_methods: Vec<String>,
    pub params: BTreeMap<String, String>,
    pub headers: Vec<(String, String)>,
    pub hints: SignInHints,
    pub concurrency: usize,
    pub timeout: Duration,
    pub max_requests: usize,
    /// A `Cookie` or `Authorization` header was given: probe admin operations as that user.
    pub as_user: bool,
    /// `--as` users: role and organization checks are probed with each.
    pub users: Vec<roles::SessionUser>,
    /// `--other-org` ids.
    pub other_orgs: Vec<String>,
}

/// Whether a word is plain: not empty, at most `max` bytes, only ASCII letters, digits and the
/// bytes of `extra` (a header name, an organization id, an `--as` user name, a role name).
fn is_plain_word(word: &str, max: usize, extra: &[u8]) -> bool {
    !word.is_empty()
        && word.len() <= max
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
}

/// A rejected command-line word as an error message shows it: escaped, shortened.
fn shown_arg(word: &str) -> String {
    http::shorten(&word.escape_default().to_string())
}

/// Headers the probe sets itself or that would break the exchange.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "expect",
];

impl Settings {
    /// Check the options; the message of an error is for the user (exit status 2).
    pub fn from_args(args: &ProbeArgs) -> Result<Settings, String> {
        let base = BaseUrl::parse(&args.base_url).map_err(|e| format!("--base-url: {e}"))?;
        if !args.allow_remote && !base.is_loopback() {
            return Err(format!(
                "refusing to probe {}: it is not a loopback address. The probe sends a request \
                 to every route of the app; pass --allow-remote to probe a deployment you are \
                 allowed to test",
                base.url.origin()
            ));
        }
        let mut extra_methods = Vec::new();
        for m in &args.methods {
            let m = m.trim().to_ascii_uppercase();
            if m.is_empty() {
                continue;
            }
            if !HTTP_METHODS.contains(&m.as_str()) {
                return Err(format!(
                    "--methods: `{}` is not one of {}",
                    http::shorten(&m),
                    HTTP_METHODS.join(", ")
                ));
            }
            if !extra_methods.contains(&m) {
                extra_methods.push(m);
            }
        }
        let mut params = BTreeMap::new();
        for p in &args.params {
            let Some((name, value)) = p.split_once('=') else {
                return Err(format!(
                    "--param `{}`: expected NAME=VALUE",
                    http::shorten(p)
                ));
            };
            let name = name
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim_start_matches("...")
                .to_string();
            if name.is_empty() || value.is_empty() {
                return Err(format!(
                    "--param `{}`: expected NAME=VALUE",
                    http::shorten(p)
                ));
            }
            params.insert(name, value.to_string());
        }
        let mut headers = Vec::new();
        for h in &args.headers {
            let Some((name, value)) = h.split_once(':') else {
                // Never echo the value: it may be a session token.
                return Err("--header: expected 'NAME: VALUE'".into());
            };
            let name = name.trim();
            let value = value.trim();
            if !is_plain_word(name, usize::MAX, b"!#$%&'*+-.^_`|~") {
                return Err(format!(
                    "--header: `{}` is not a valid header name",
                    http::shorten(name)
                ));
            }
            if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
                return Err(format!(
                    "--header {name}: the value contains a control character"
                ));
            }
            if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                return Err(format!("--header: `{name}` is set by the probe itself"));
            }
            headers.push((name.to_string(), value.to_string()));
        }
        let as_user = headers.iter().any(|(k, _)| {
            k.eq_ignore_ascii_case("cookie") || k.eq_ignore_ascii_case("authorization")
        });
        let mut users: Vec<roles::SessionUser> = Vec::new();
        for u in &args.users {
            let user = roles::SessionUser::parse(u)?;
            if users.iter().any(|x| x.name == user.name) {
                return Err(format!("--as {}: the name is given twice", user.name));
            }
            users.push(user);
        }
        if users.len() > roles::MAX_USERS {
            return Err(format!("--as: at most {} users", roles::MAX_USERS));
        }
        if !users.is_empty() && as_user {
            return Err(
                "--as cannot be combined with a `Cookie` or `Authorization` --header: the \
                 --as users' sessions replace it"
                    .into(),
            );
        }
        let mut other_orgs = Vec::new();
        for o in &args.other_orgs {
            let o = o.trim();
            if !is_plain_word(o, 200, b"-_.~") {
                return Err(format!(
                    "--other-org `{}`: expected an organization id such as org_2abc",
                    shown_arg(o)
                ));
            }
            other_orgs.push(o.to_string());
        }
        if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 600.0) {
            return Err("--timeout: expected seconds between 0 and 600".into());
        }
        if args.concurrency == 0 || args.concurrency > 64 {
            return Err("--concurrency: expected 1 to 64".into());
        }
        if args.max_requests == 0 {
            return Err("--max-requests: expected at least 1".into());
        }
        Ok(Settings {
            base,
            extra_methods,
            params,
            headers,
            hints: SignInHints::parse(&args.sign_in_urls)?,
            concurrency: args.concurrency,
            timeout: Duration::from_secs_f64(args.timeout),
            max_requests: args.max_requests,
            as_user,
            users,
            other_orgs,
        })
    }

    /// The HTTP client of a run: one request cap for every pass.
    pub fn client(&self) -> Client {
        Client::new(
            self.timeout,
            self.headers.clone(),
            self.max_requests,
            !self.base.is_loopback(),
        )
    }

    pub fn method_allowed(&self, method: &str) -> bool {
        classify::is_safe_method(method) || self.extra_methods.iter().any(|m| m == method)
    }
}

/// Why an entry counts as an admin operation, if it does.
///
/// This is the hook for the authorization analysis: today an entry is an admin operation
/// when the guard analysis found a role or permission check in it (`has({ role })`,
/// `auth.protect({ role })`, a `role_functions` helper), or, as a heuristic, when its URL has
/// an `admin` segment. When the authorization work lands, replace the heuristic with its list
/// of admin operations; nothing else in the probe needs to change.
pub fn admin_reason(entry: &Entry) -> Option<String> {
    if let Some(role) = &entry.check.role {
        return Some(format!("role check: {}", role.describe()));
    }
    let url = entry.url.as_deref()?;
    url.split('/')
        .any(|s| s.eq_ignore_ascii_case("admin"))
        .then(|| "an `admin` URL segment (heuristic)".to_string())
}

/// The static view of an entry for the verdict.
pub fn static_view(entry: &Entry, as_user: bool) -> StaticView {
    if as_user {
        // Signed in, the question is the role check, not the session check.
        return if entry.check.role.is_some() {
            StaticView::Protected
        } else {
            StaticView::Unprotected
        };
    }
    match &entry.protection {
        Protection::Unprotected(_) if entry.kind == EntryKind::Page => StaticView::Public,
        Protection::Unprotected(_) => StaticView::Unprotected,
        Protection::DeclaredPublic(_) | Protection::Inert(_) => StaticView::Public,
        Protection::Delegated(_) => StaticView::Delegated,
        Protection::Handler(_)
        | Protection::Guard { .. }
        | Protection::Middleware(_)
        | Protection::Machine(_) => StaticView::Protected,
    }
}

/// The static label shown in the table (pages without a check are `public`).
pub fn static_label(entry: &Entry) -> String {
    if entry.kind == EntryKind::Page && entry.protection.is_unprotected() {
        "public".into()
    } else {
        entry.protection.label()
    }
}

/// Percent-encode one path segment (RFC 3986 `pchar` stays as is).
fn encode_segment(seg: &str) -> String {
    let mut out = String::with_capacity(seg.len());
    for b in seg.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A concrete path for a URL pattern: `[id]` gets `--param id=…` or `1`; a catch-all gets
/// one segment (its value may hold `/` for more).
pub fn concrete_path(pattern: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for seg in pattern.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        let catch_all = seg
            .strip_prefix("[[...")
            .and_then(|s| s.strip_suffix("]]"))
            .or_else(|| seg.strip_prefix("[...").and_then(|s| s.strip_suffix(']')));
        if let Some(name) = catch_all {
            let value = params
                .get(name)
                .map(String::as_str)
                .unwrap_or(DEFAULT_PARAM);
            let parts: Vec<String> = value
                .split('/')
                .filter(|p| !p.is_empty())
                .map(encode_segment)
                .collect();
            if parts.is_empty() {
                out.push_str(DEFAULT_PARAM);
            } else {
                out.push_str(&parts.join("/"));
            }
        } else if let Some(name) = seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            let value = params
                .get(name)
                .map(String::as_str)
                .unwrap_or(DEFAULT_PARAM);
            out.push_str(&encode_segment(value));
        } else {
            out.push_str(&encode_segment(seg));
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Dynamic segment names of a URL pattern.
fn dynamic_names(pattern: &str) -> Vec<&str> {
    pattern
        .split('/')
        .filter_map(|s| {
            s.strip_prefix('[')
                .and_then(|s| s.strip_suffix(']'))
                .map(|s| s.trim_start_matches('[').trim_end_matches(']'))
                .map(|s| s.trim_start_matches("..."))
        })
        .collect()
}

/// What the probe does with one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    Send { method: String, path: String },
    Skip(String),
}

/// Decide, per entry, what to send (or why nothing).
pub fn plan(entry: &Entry, settings: &Settings) -> Plan {
    let Some(url) = entry.url.as_deref() else {
        return Plan::Skip("server action: no URL of its own (a POST with an action id)".into());
    };
    if entry.kind == EntryKind::ConvexFunction {
        return Plan::Skip(
            "Convex function: called through the Convex deployment, not a URL of this app".into(),
        );
    }
    if entry.kind == EntryKind::ConvexHttpAction {
        return Plan::Skip(
            "Convex HTTP action: served at the deployment's .convex.site origin, not this app's"
                .into(),
        );
    }
    if entry.kind == EntryKind::Page && matches!(url, "/404" | "/500" | "/_error") {
        return Plan::Skip("error page".into());
    }
    if settings.as_user && admin_reason(entry).is_none() {
        return Plan::Skip("signed-in probe: only admin operations are probed".into());
    }
    let method = entry.method().unwrap_or_else(|| "GET".to_string());
    if !settings.method_allowed(&method) {
        return Plan::Skip(format!(
            "{method} not sent: it may change data (allow it with --methods {method})"
        ));
    }
    Plan::Send {
        method,
        path: concrete_path(url, &settings.params),
    }
}

/// The answer to one planned request (after same-origin redirects).
#[derive(Clone, Debug, Serialize)]
pub struct ProbeResult {
    pub outcome: Outcome,
    /// Final status; `None` without an answer.
    pub status: Option<u16>,
    /// Body size of the final answer (header, else what was read).
    pub bytes: Option<u64>,
    /// More bytes followed the part that was read.
    pub truncated: bool,
    pub content_type: Option<String>,
    /// Why this outcome, one line.
    pub detail: String,
    /// A short redacted excerpt of the body.
    pub excerpt: Option<String>,
    /// Same-origin redirects followed.
    pub redirects: usize,
    /// Where the final redirect pointed (no query), when it ended in one.
    pub location: Option<String>,
    /// `x-clerk-auth-status` of the final answer (`signed-in`, `signed-out`, `handshake`).
    pub clerk_status: Option<String>,
    /// `x-clerk-auth-reason` of the final answer.
    pub clerk_reason: Option<String>,
}

impl ProbeResult {
    fn no_answer(outcome: Outcome, detail: impl Into<String>, redirects: usize) -> ProbeResult {
        ProbeResult {
            outcome,
            status: None,
            bytes: None,
            truncated: false,
            content_type: None,
            detail: detail.into(),
            excerpt: None,
            redirects,
            location: None,
            clerk_status: None,
            clerk_reason: None,
        }
    }

    fn answered(
        outcome: Outcome,
        ex: &Exchange,
        detail: String,
        redirects: usize,
        location: Option<String>,
    ) -> ProbeResult {
        let bytes = if ex.body.is_empty() && ex.content_length.is_none() {
            Some(0)
        } else {
            Some(ex.size())
        };
        ProbeResult {
            outcome,
            status: Some(ex.status),
            bytes,
            truncated: ex.truncated && ex.content_length.is_none(),
            content_type: ex
                .content_type
                .as_deref()
                .map(|c| http::shorten(c.split(';').next().unwrap_or(c).trim())),
            detail,
            excerpt: classify::excerpt(ex),
            redirects,
            location: location.map(|l| http::shorten(&l)),
            clerk_status: ex.clerk_status.as_deref().map(http::shorten),
            clerk_reason: ex.clerk_reason.clone(),
        }
    }

    /// `200 (46 B of application/json)` / `302 (redirect to https://x/y, not followed)`.
    pub fn answer(&self) -> String {
        let Some(status) = self.status else {
            return self.detail.clone();
        };
        if let Some(loc) = &self.location {
            return format!("{status} (redirect to {loc}, not followed)");
        }
        match self.bytes.filter(|b| *b > 0) {
            Some(b) => {
                let size = classify::human_size(b, self.truncated);
                match &self.content_type {
                    Some(ct) => format!("{status} ({size} of {ct})"),
                    None => format!("{status} ({size})"),
                }
            }
            None => format!("{status} (no body)"),
        }
    }

    /// The table cell: `200, 46 B`, `404`, `307 → sign-in`, `timed out`.
    pub fn cell(&self) -> String {
        match (self.outcome, self.status) {
            (Outcome::NotSent, _) => "not sent".into(),
            (_, None) => match self.detail.as_str() {
                d if d.starts_with("timed out") => "timed out".into(),
                d if d.starts_with("connection") => "refused".into(),
                _ => "no answer".into(),
            },
            (_, Some(s)) if self.location.is_some() => {
                let to = if self.outcome == Outcome::Protected {
                    if self.detail.contains("handshake") {
                        "handshake"
                    } else {
                        "sign-in"
                    }
                } else if self.detail.contains("off-host") {
                    "off-host"
                } else {
                    "redirect"
                };
                format!("{s} → {to}")
            }
            (_, Some(s)) => match self.bytes.filter(|b| *b > 0) {
                Some(b) => format!("{s}, {}", classify::human_size(b, self.truncated)),
                None => s.to_string(),
            },
        }
    }
}

/// Send one request and follow same-origin redirects (safe methods only).
pub fn probe_request(
    client: &Client,
    settings: &Settings,
    method: &str,
    path: &str,
) -> ProbeResult {
    probe_request_as(client, settings, method, path, None)
}

/// [`probe_request`] with a session token sent as `Authorization: Bearer` (also on the
/// same-origin redirects it follows; never elsewhere).
pub fn probe_request_as(
    client: &Client,
    settings: &Settings,
    method: &str,
    path: &str,
    bearer: Option<&str>,
) -> ProbeResult {
    let mut url = match Url::parse(&settings.base.url_for(path)) {
        Ok(u) => u,
        Err(e) => return ProbeResult::no_answer(Outcome::NotSent, e, 0),
    };
    let mut method = method.to_string();
    let mut redirects = 0;
    loop {
        let abs = if url.query.is_empty() {
            format!("{}{}", url.origin(), url.path)
        } else {
            format!("{}{}?{}", url.origin(), url.path, url.query)
        };
        let json_body = matches!(method.as_str(), "POST" | "PUT" | "PATCH").then_some(JSON_BODY);
        let ex = match client.send(&Outgoing {
            method: &method,
            url: &abs,
            json_body,
            bearer,
        }) {
            Ok(ex) => ex,
            Err(Failure::CapReached) => {
                return ProbeResult::no_answer(
                    Outcome::NotSent,
                    Failure::CapReached.describe(),
                    redirects,
                );
            }
            Err(Failure::Timeout) => {
                return ProbeResult::no_answer(
                    Outcome::Unreachable,
                    format!("timed out after {:.1}s", settings.timeout.as_secs_f64()),
                    redirects,
                );
            }
            Err(f) => return ProbeResult::no_answer(Outcome::Unreachable, f.describe(), redirects),
        };
        let is_redirect = matches!(ex.status, 300..=399) && ex.status != 304;
        if !is_redirect {
            let (outcome, mut detail) = classify::classify_final(&method, &ex);
            if let Some(e) = &ex.body_error {
                detail.push_str(&format!(" ({e})"));
            }
            return ProbeResult::answered(outcome, &ex, detail, redirects, None);
        }
        let Some(loc) = ex
            .location
            .as_deref()
            .and_then(|l| http::resolve_location(&url, &settings.base, l))
        else {
            let (outcome, detail) = classify::classify_final(&method, &ex);
            return ProbeResult::answered(outcome, &ex, detail, redirects, None);
        };
        let shown = loc.url.display();
        match classify::redirect_target(&loc, ex.clerk_status.as_deref(), &settings.hints) {
            classify::RedirectTarget::SignIn => {
                return ProbeResult::answered(
                    Outcome::Protected,
                    &ex,
                    format!("{} redirect to the sign-in page", ex.status),
                    redirects,
                    Some(shown),
                );
            }
            classify::RedirectTarget::Handshake => {
                return ProbeResult::answered(
                    Outcome::Protected,
                    &ex,
                    format!("{} redirect to Clerk's handshake", ex.status),
                    redirects,
                    Some(shown),
                );
            }
            classify::RedirectTarget::OffHost => {
                return ProbeResult::answered(
                    Outcome::Open,
                    &ex,
                    format!(
                        "{} redirect off-host (not followed), not to a sign-in page",
                        ex.status
                    ),
                    redirects,
                    Some(shown),
                );
            }
            classify::RedirectTarget::SameOrigin if !classify::is_safe_method(&method) => {
                return ProbeResult::answered(
                    Outcome::Open,
                    &ex,
                    format!(
                        "{} redirect after the {method} (not followed), not to a sign-in page",
                        ex.status
                    ),
                    redirects,
                    Some(shown),
                );
            }
            classify::RedirectTarget::SameOrigin => {
                if redirects >= MAX_REDIRECTS {
                    return ProbeResult::answered(
                        Outcome::Inconclusive,
                        &ex,
                        format!("more than {MAX_REDIRECTS} redirects"),
                        redirects,
                        Some(shown),
                    );
                }
                redirects += 1;
                if ex.status == 303 {
                    method = "GET".into();
                }
                url = loc.url;
            }
        }
    }
}

/// One row of the joined table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub url: Option<String>,
    pub kind: EntryKind,
    pub symbol: String,
    pub file: String,
    #[serde(skip)]
    pub span: Span,
    #[serde(rename = "static")]
    pub static_label: String,
    pub static_detail: String,
    pub static_view: StaticView,
    /// Why the entry counts as an admin operation.
    pub admin: Option<String>,
    pub method: Option<String>,
    /// The concrete path sent (relative to the base URL).
    pub request: Option<String>,
    pub result: ProbeResult,
    pub verdict: Verdict,
}

/// The whole probe: rows in route-table order, and what it cost.
#[derive(Debug)]
pub struct ProbeRun {
    pub rows: Vec<Row>,
    pub requests: usize,
    pub elapsed: Duration,
    /// `--param` names that match no dynamic segment.
    pub unused_params: Vec<String>,
    /// The `--as` pass: role and organization checks, one row per (entry, check, user).
    pub roles: Vec<roles::RoleRow>,
}

/// Probe the given entries (in that order) and join the results.
pub fn probe_entries(entries: &[&Entry], settings: &Settings) -> ProbeRun {
    let client = settings.client();
    probe_entries_with(entries, settings, &client)
}

/// Run `f` on every job with at most `concurrency` threads; results in job order.
pub fn run_parallel<J: Sync, R: Send>(
    jobs: &[J],
    concurrency: usize,
    f: impl Fn(&J) -> R + Sync,
) -> Vec<R> {
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let workers = concurrency.min(jobs.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(i) else {
                        break;
                    };
                    let r = f(job);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

/// [`probe_entries`] with a given client (its request cap is shared with later passes).
pub fn probe_entries_with(entries: &[&Entry], settings: &Settings, client: &Client) -> ProbeRun {
    let start = Instant::now();
    let plans: Vec<Plan> = entries.iter().map(|e| plan(e, settings)).collect();
    // One request per distinct (method, path).
    let mut jobs: Vec<(String, String)> = Vec::new();
    let mut job_of: HashMap<(String, String), usize> = HashMap::new();
    for p in &plans {
        if let Plan::Send { method, path } = p {
            let key = (method.clone(), path.clone());
            if !job_of.contains_key(&key) {
                job_of.insert(key.clone(), jobs.len());
                jobs.push(key);
            }
        }
    }
    let results: Vec<Option<ProbeResult>> =
        run_parallel(&jobs, settings.concurrency, |(method, path)| {
            Some(probe_request(client, settings, method, path))
        });
    let rows = entries
        .iter()
        .zip(plans)
        .map(|(entry, p)| {
            let view = static_view(entry, settings.as_user);
            let (method, request, result) = match p {
                Plan::Send { method, path } => {
                    let r = job_of
                        .get(&(method.clone(), path.clone()))
                        .and_then(|i| results.get(*i).cloned().flatten())
                        .unwrap_or_else(|| ProbeResult::no_answer(Outcome::NotSent, "not sent", 0));
                    (Some(method), Some(path), r)
                }
                Plan::Skip(why) => (None, None, ProbeResult::no_answer(Outcome::NotSent, why, 0)),
            };
            Row {
                url: entry.url.clone(),
                kind: entry.kind,
                symbol: entry.symbol.clone(),
                file: entry.file.clone(),
                span: entry.span,
                static_label: static_label(entry),
                static_detail: entry.protection.detail(),
                static_view: view,
                admin: admin_reason(entry),
                method,
                request,
                verdict: classify::verdict(view, result.outcome),
                result,
            }
        })
        .collect();
    let mut unused_params: Vec<String> = settings
        .params
        .keys()
        .filter(|name| {
            !entries.iter().any(|e| {
                e.url
                    .as_deref()
                    .is_some_and(|u| dynamic_names(u).contains(&name.as_str()))
            })
        })
        .cloned()
        .collect();
    unused_params.sort();
    ProbeRun {
        rows,
        requests: client.sent(),
        elapsed: start.elapsed(),
        unused_params,
        roles: Vec::new(),
    }
}

/// Findings of the probe rules for the rows that call for one.
/// What one probe finding says (message redacted here) and where.
pub struct ProbeFinding<'a> {
    pub meta: &'static crate::rules::RuleMeta,
    pub file: &'a str,
    pub span: Span,
    pub message: String,
    pub help: String,
    pub symbol: &'a str,
    pub label: &'static str,
    pub method: &'a str,
    pub url: Option<&'a str>,
    pub request: &'a str,
}

impl ProbeFinding<'_> {
    /// The finding, anchored on the method and the route (or the request sent).
    pub fn build(self) -> Finding {
        let mut f = Finding::new(self.meta.id, self.meta.severity, self.file)
            .at(self.span)
            .message(classify::redact(&self.message))
            .help(self.help)
            .symbol(self.symbol)
            .label(self.label)
            .anchor(format!(
                "{} {}",
                self.method,
                self.url.unwrap_or(self.request)
            ));
        if let Some(url) = self.url {
            f = f.route(url);
        }
        f
    }
}

pub fn findings(rows: &[Row], as_user: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in rows {
        let (Some(method), Some(request)) = (&row.method, &row.request) else {
            continue;
        };
        let meta = match row.verdict {
            Verdict::ConfirmedOpen => &probe_open_endpoint::ProbeOpenEndpoint::META,
            Verdict::Contradiction => &probe_contradiction::ProbeContradiction::META,
            _ => continue,
        };
        let who = if as_user {
            "to the session given with --header"
        } else {
            "to a request without a session"
        };
        let answer = row.result.answer();
        let excerpt = row
            .result
            .excerpt
            .as_deref()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        let target = format!("`{method} {request}`");
        let admin = row.admin.as_deref().unwrap_or("an admin operation");
        let (message, help, label) = match (row.verdict, as_user) {
            (Verdict::ConfirmedOpen, false) => (
                format!("{target} answered {answer} {who}{excerpt}"),
                "verify the session in the handler (`const { userId } = await auth()`, return \
                 401 when it is null) or protect the path with `auth.protect()` in the \
                 middleware; if it is public on purpose, list it in `public_routes` of \
                 clerk-guard.toml"
                    .to_string(),
                "served without a session",
            ),
            (Verdict::ConfirmedOpen, true) => (
                format!("admin operation {target} ({admin}) answered {answer} {who}{excerpt}"),
                "check the role in the handler (`await auth.protect({ role: 'org:admin' })` or \
                 `has({ role })`) and answer 403 to everyone else"
                    .to_string(),
                "served to a non-admin session",
            ),
            (_, false) => (
                format!(
                    "the analysis says {target} is protected ({}: {}), but it answered {answer} {who}{excerpt}",
                    row.static_label, row.static_detail
                ),
                "the protection the analysis relied on does not hold at runtime: make it \
                 reject signed-out requests (a helper in `auth_functions` must return 401 or \
                 throw), check that the running build has the middleware you see, then probe \
                 again"
                    .to_string(),
                "protected in the source, served at runtime",
            ),
            (_, true) => (
                format!(
                    "the analysis found a role check for {target} ({admin}), but it answered {answer} {who}{excerpt}"
                ),
                "the role check does not reject this user at runtime: check the role it tests \
                 and that it returns 403 (or throws) when the check fails"
                    .to_string(),
                "role-checked in the source, served at runtime",
            ),
        };
        out.push(
            ProbeFinding {
                meta,
                file: &row.file,
                span: row.span,
                message,
                help,
                symbol: &row.symbol,
                label,
                method,
                url: row.url.as_deref(),
                request,
            }
            .build(),
        );
    }
    out
}

/// The entries of one app, in route-table order; an error names the apps when there are
/// several and `--app` does not pick one.
pub fn app_entries<'p>(project: &'p Project, app: Option<&str>) -> Result<Vec<&'p Entry>, String> {
    if project.apps.is_empty() {
        return Err(format!(
            "no Next.js app found under {}",
            project.root.display()
        ));
    }
    let index = match app {
        Some(want) => {
            let want = want.trim_start_matches("./").trim_end_matches('/');
            let want = if want == "." { "" } else { want };
            project
                .apps
                .iter()
                .position(|a| a.root == want)
                .ok_or_else(|| {
                    format!(
                        "--app `{}` is not an app under {} (apps: {})",
                        http::shorten(want),
                        project.root.display(),
                        app_list(project)
                    )
                })?
        }
        None if project.apps.len() == 1 => 0,
        None => {
            return Err(format!(
                "{} apps under {} ({}): pick one with --app DIR",
                project.apps.len(),
                project.root.display(),
                app_list(project)
            ));
        }
    };
    Ok(crate::routes_cmd::sorted_entries(project)
        .into_iter()
        .filter(|e| e.app == index)
        .collect())
}

fn app_list(project: &Project) -> String {
    project
        .apps
        .iter()
        .map(|a| {
            if a.root.is_empty() {
                ".".to_string()
            } else {
                a.root.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str]) -> Result<Settings, String> {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            args: ProbeArgs,
        }
        let mut argv = vec!["x"];
        argv.extend_from_slice(args);
        let w = Wrap::try_parse_from(argv).map_err(|e| e.to_string())?;
        Settings::from_args(&w.args)
    }

    /// A Convex function is called through the deployment, never at a URL of the app, and an
    /// HTTP action is served at the deployment's own origin.
    #[test]
    fn convex_functions_are_not_probed() {
        let s = settings(&["--base-url", "http://127.0.0.1:3000"]).unwrap();
        let mut e = Entry::new(
            0,
            EntryKind::ConvexFunction,
            "convex/notes.ts".into(),
            Some("notes:list".into()),
            "list".into(),
            crate::finding::Span::new(0, 0),
        );
        assert!(matches!(plan(&e, &s), Plan::Skip(why) if why.contains("Convex")));
        // An HTTP action is served at the deployment's origin, not the app's.
        e.kind = EntryKind::ConvexHttpAction;
        e.url = Some("/clerk".into());
        e.symbol = "POST".into();
        assert!(matches!(plan(&e, &s), Plan::Skip(why) if why.contains("convex.site")));
        e.kind = EntryKind::RouteHandler;
        e.url = Some("/api/notes".into());
        e.symbol = "GET".into();
        assert!(matches!(plan(&e, &s), Plan::Send { .. }));
    }

    #[test]
    fn concrete_paths() {
        let mut params = BTreeMap::new();
        assert_eq!(concrete_path("/", &params), "/");
        assert_eq!(concrete_path("/api/users/[id]", &params), "/api/users/1");
        assert_eq!(concrete_path("/docs/[[...slug]]", &params), "/docs/1");
        assert_eq!(concrete_path("/files/[...path]", &params), "/files/1");
        params.insert("id".into(), "a b/c".into());
        params.insert("path".into(), "x/y z".into());
        assert_eq!(
            concrete_path("/api/users/[id]", &params),
            "/api/users/a%20b%2Fc"
        );
        assert_eq!(concrete_path("/files/[...path]", &params), "/files/x/y%20z");
        assert_eq!(concrete_path("/caf\u{e9}", &params), "/caf%C3%A9");
        assert_eq!(
            dynamic_names("/a/[id]/[...rest]/[[...opt]]"),
            vec!["id", "rest", "opt"]
        );
    }

    #[test]
    fn option_checks() {
        assert!(settings(&["--base-url", "http://127.0.0.1:3000"]).is_ok());
        let remote = settings(&["--base-url", "https://preview.example.com"]).unwrap_err();
        assert!(remote.contains("--allow-remote"), "{remote}");
        assert!(
            settings(&[
                "--base-url",
                "https://preview.example.com",
                "--allow-remote"
            ])
            .is_ok()
        );
        assert!(settings(&["--base-url", "nope"]).is_err());
        let s = settings(&[
            "--base-url",
            "http://localhost:3000",
            "--methods",
            "post,DELETE",
            "--param",
            "[id]=42",
            "-H",
            "Cookie: __session=abc",
        ])
        .unwrap();
        assert_eq!(s.extra_methods, vec!["POST", "DELETE"]);
        assert_eq!(s.params.get("id").map(String::as_str), Some("42"));
        assert!(s.as_user);
        assert!(s.method_allowed("POST") && s.method_allowed("GET") && !s.method_allowed("PUT"));
        for bad in [
            &["--methods", "TRACE"][..],
            &["--param", "id"],
            &["--param", "=1"],
            &["-H", "NoColon"],
            &["-H", "Bad Name: x"],
            &["-H", "Host: evil"],
            &["--timeout", "0"],
            &["--timeout", "NaN"],
            &["--concurrency", "0"],
            &["--max-requests", "0"],
            &["--sign-in-url", "ftp://x"],
        ] {
            let mut a = vec!["--base-url", "http://127.0.0.1:3000"];
            a.extend_from_slice(bad);
            assert!(settings(&a).is_err(), "{bad:?} should be refused");
        }
        // A header value is never echoed in an error.
        let e = settings(&[
            "--base-url",
            "http://127.0.0.1:1",
            "-H",
            "Cookie: tok\u{1}en",
        ]);
        assert!(!e.unwrap_err().contains("tok"));
        let s = settings(&[
            "--base-url",
            "http://127.0.0.1:1",
            "-H",
            "X-Vercel-Protection-Bypass: t",
        ])
        .unwrap();
        assert!(!s.as_user, "a bypass header is not a session");
    }
}
