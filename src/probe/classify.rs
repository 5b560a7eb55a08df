//! What an answer means: open, protected, error, unreachable or inconclusive; the verdict that
//! joins it with the static analysis; and the short, redacted excerpt of a body.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::http::{Exchange, Location};

/// What the server did with a request that carried no session (or the given one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It served the request: 2xx with a body (any 2xx for HEAD and for methods that change
    /// data), or a redirect that does not lead to a sign-in page.
    Open,
    /// 401, 403, 404, or a redirect to sign-in or to Clerk's handshake.
    Protected,
    /// 5xx.
    Error,
    /// No answer: refused, reset, timed out.
    Unreachable,
    /// An answer that says neither (400, 405, an empty 2xx, a redirect loop).
    Inconclusive,
    /// Not sent: a method that may change data, no URL, the request cap.
    NotSent,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Open => "open",
            Outcome::Protected => "protected",
            Outcome::Error => "error",
            Outcome::Unreachable => "unreachable",
            Outcome::Inconclusive => "inconclusive",
            Outcome::NotSent => "not-sent",
        }
    }
}

/// The static analysis's view of an entry, as far as the verdict is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StaticView {
    /// Nothing verifies the session.
    Unprotected,
    /// A check in the handler, a guard, the middleware, a webhook signature (or, for an
    /// admin operation probed with a session: a role check).
    Protected,
    /// Public on purpose: `public_routes`, the middleware's public list, a page without a
    /// server-side check.
    Public,
    /// Checked elsewhere (tRPC procedures): not judged.
    Delegated,
}

/// Both views joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Static said unprotected and the server served the request.
    ConfirmedOpen,
    /// Static said protected but the server served the request.
    Contradiction,
    /// The server refused the request.
    Protected,
    /// Public on purpose, and the server served it.
    Public,
    /// 5xx.
    Error,
    /// No answer.
    Unreachable,
    /// An answer that confirms nothing.
    Inconclusive,
    /// Not probed.
    StaticOnly,
}

impl Verdict {
    pub const ALL: &'static [Verdict] = &[
        Verdict::ConfirmedOpen,
        Verdict::Contradiction,
        Verdict::Protected,
        Verdict::Public,
        Verdict::Error,
        Verdict::Unreachable,
        Verdict::Inconclusive,
        Verdict::StaticOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::ConfirmedOpen => "confirmed-open",
            Verdict::Contradiction => "contradiction",
            Verdict::Protected => "protected",
            Verdict::Public => "public",
            Verdict::Error => "error",
            Verdict::Unreachable => "unreachable",
            Verdict::Inconclusive => "inconclusive",
            Verdict::StaticOnly => "static-only",
        }
    }
}

/// Join the static view and the probe outcome.
pub fn verdict(view: StaticView, outcome: Outcome) -> Verdict {
    match outcome {
        Outcome::NotSent => Verdict::StaticOnly,
        Outcome::Protected => Verdict::Protected,
        Outcome::Error => Verdict::Error,
        Outcome::Unreachable => Verdict::Unreachable,
        Outcome::Inconclusive => Verdict::Inconclusive,
        Outcome::Open => match view {
            StaticView::Unprotected => Verdict::ConfirmedOpen,
            StaticView::Protected => Verdict::Contradiction,
            StaticView::Public => Verdict::Public,
            StaticView::Delegated => Verdict::Inconclusive,
        },
    }
}

/// Methods the probe sends without being asked to: they must not change data.
pub fn is_safe_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// Where a redirect leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectTarget {
    SignIn,
    Handshake,
    /// Same scheme, host and port as the base URL: followed for safe methods.
    SameOrigin,
    /// Elsewhere: never followed.
    OffHost,
}

/// Sign-in pages given with `--sign-in-url` (path, or absolute URL).
#[derive(Clone, Debug, Default)]
pub struct SignInHints {
    /// (origin or `None` for any, lowercased path without a trailing `/`).
    pub pages: Vec<(Option<String>, String)>,
}

impl SignInHints {
    pub fn parse(values: &[String]) -> Result<SignInHints, String> {
        let mut pages = Vec::new();
        for v in values {
            let v = v.trim();
            if v.starts_with('/') {
                let path = v.split(['?', '#']).next().unwrap_or("");
                pages.push((None, normalise_path(path)));
            } else {
                let url = super::http::Url::parse(v).map_err(|e| format!("--sign-in-url: {e}"))?;
                pages.push((Some(url.origin()), normalise_path(&url.path)));
            }
        }
        Ok(SignInHints { pages })
    }

    fn matches(&self, loc: &Location) -> bool {
        let path = normalise_path(&loc.url.path);
        self.pages.iter().any(|(origin, p)| {
            origin.as_ref().is_none_or(|o| *o == loc.url.origin())
                && (path == *p || path.starts_with(&format!("{p}/")))
        })
    }
}

fn normalise_path(path: &str) -> String {
    let p = path.trim_end_matches('/').to_ascii_lowercase();
    if p.is_empty() { "/".into() } else { p }
}

/// Path segments that name a sign-in page (Clerk's hosted `/sign-in`, the usual app routes).
const SIGN_IN_SEGMENTS: &[&str] = &["sign-in", "signin", "sign_in", "login", "log-in", "log_in"];

/// Classify a redirect by its resolved `Location` and Clerk's `x-clerk-auth-status`.
pub fn redirect_target(
    loc: &Location,
    clerk_status: Option<&str>,
    hints: &SignInHints,
) -> RedirectTarget {
    let path = loc.url.path.to_ascii_lowercase();
    if clerk_status.is_some_and(|s| s.eq_ignore_ascii_case("handshake"))
        || path.ends_with("/v1/client/handshake")
        || loc
            .url
            .query
            .split('&')
            .any(|kv| kv.starts_with("__clerk_handshake="))
    {
        return RedirectTarget::Handshake;
    }
    if hints.matches(loc) || path.split('/').any(|seg| SIGN_IN_SEGMENTS.contains(&seg)) {
        return RedirectTarget::SignIn;
    }
    if loc.same_origin {
        RedirectTarget::SameOrigin
    } else {
        RedirectTarget::OffHost
    }
}

/// Classify a final (non-redirect) answer: the outcome and why.
pub fn classify_final(method: &str, ex: &Exchange) -> (Outcome, String) {
    let s = ex.status;
    match s {
        200..=299 => {
            if method == "HEAD" {
                (Outcome::Open, format!("{s} to HEAD: a GET would be served"))
            } else if !is_safe_method(method) {
                (Outcome::Open, format!("{s}: the server accepted the {method}"))
            } else if ex.size() > 0 || !ex.body.is_empty() {
                (Outcome::Open, format!("{s} with a body"))
            } else {
                (
                    Outcome::Inconclusive,
                    format!("{s} with an empty body: no data to judge"),
                )
            }
        }
        401 => (Outcome::Protected, "401 Unauthorized".into()),
        403 => (Outcome::Protected, "403 Forbidden".into()),
        404 => (
            Outcome::Protected,
            "404: what `auth.protect()` answers a signed-out API request (a missing route or record answers the same)".into(),
        ),
        405 => (
            Outcome::Inconclusive,
            format!("405: the handler does not accept {method}"),
        ),
        300..=399 => (
            Outcome::Inconclusive,
            format!("{s} without a usable Location"),
        ),
        400..=499 => (
            Outcome::Inconclusive,
            format!("{s}: the request was rejected, but not for a missing session"),
        ),
        500..=599 => {
            let why = match ex.clerk_status.as_deref() {
                None => "; no `x-clerk-auth-status` header, so Clerk's middleware did not run on it (`auth()` throws there)",
                Some(_) => "",
            };
            (Outcome::Error, format!("{s} server error{why}"))
        }
        _ => (Outcome::Inconclusive, format!("unexpected status {s}")),
    }
}

static JWT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*").expect("valid regex")
});

static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<title[^>]*>([^<]{0,200})</title>").expect("valid regex"));

/// Characters of a body shown at most.
pub const EXCERPT_CHARS: usize = 60;

/// Remove secrets from text: Clerk/Stripe secret keys and JWTs (session tokens).
pub fn redact(text: &str) -> String {
    let keys = crate::facts::secrets::redact_all(text);
    JWT.replace_all(&keys, "eyJ…(token)").into_owned()
}

/// A short, redacted, one-line excerpt of a body; `None` for an empty body.
pub fn excerpt(ex: &Exchange) -> Option<String> {
    if ex.body.is_empty() {
        return None;
    }
    let head = &ex.body[..ex.body.len().min(4096)];
    if head.contains(&0) {
        return Some("(binary data)".into());
    }
    let text = String::from_utf8_lossy(head);
    let is_html =
        ex.content_type
            .as_deref()
            .is_some_and(|c| c.to_ascii_lowercase().contains("html"))
            || text.trim_start().get(..5).is_some_and(|p| {
                p.eq_ignore_ascii_case("<!doc") || p.eq_ignore_ascii_case("<html")
            });
    if is_html {
        let title = TITLE
            .captures(&text)
            .map(|c| one_line(&redact(&c[1])))
            .filter(|t| !t.is_empty());
        return Some(match title {
            Some(t) => format!("HTML page \u{201c}{}\u{201d}", cut(&t)),
            None => "HTML page".into(),
        });
    }
    let odd = text
        .chars()
        .filter(|c| (c.is_control() && !c.is_whitespace()) || *c == '\u{fffd}')
        .count();
    if odd * 10 > text.chars().count() {
        return Some("(binary data)".into());
    }
    let line = one_line(&redact(&text));
    Some(cut(&line))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cut(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_string();
    }
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    out.push('…');
    out
}

/// `46 B`, `12.5 KiB`, `≥64 KiB`.
pub fn human_size(bytes: u64, at_least: bool) -> String {
    let prefix = if at_least { "≥" } else { "" };
    if bytes < 1024 {
        format!("{prefix}{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{prefix}{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{prefix}{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::http::{BaseUrl, Url, resolve_location};

    fn ex(status: u16, body: &str) -> Exchange {
        Exchange {
            status,
            body: body.as_bytes().to_vec(),
            clerk_status: Some("signed-out".into()),
            ..Exchange::default()
        }
    }

    #[test]
    fn final_answers() {
        assert_eq!(classify_final("GET", &ex(200, "{}")).0, Outcome::Open);
        assert_eq!(classify_final("GET", &ex(200, "")).0, Outcome::Inconclusive);
        assert_eq!(classify_final("GET", &ex(204, "")).0, Outcome::Inconclusive);
        assert_eq!(classify_final("HEAD", &ex(200, "")).0, Outcome::Open);
        assert_eq!(classify_final("DELETE", &ex(204, "")).0, Outcome::Open);
        assert_eq!(classify_final("GET", &ex(401, "")).0, Outcome::Protected);
        assert_eq!(classify_final("GET", &ex(403, "")).0, Outcome::Protected);
        assert_eq!(
            classify_final("GET", &ex(404, "<html>")).0,
            Outcome::Protected
        );
        assert_eq!(classify_final("GET", &ex(405, "")).0, Outcome::Inconclusive);
        assert_eq!(
            classify_final("GET", &ex(400, "bad")).0,
            Outcome::Inconclusive
        );
        assert_eq!(classify_final("GET", &ex(304, "")).0, Outcome::Inconclusive);
        assert_eq!(classify_final("GET", &ex(500, "")).0, Outcome::Error);
        assert_eq!(classify_final("GET", &ex(103, "")).0, Outcome::Inconclusive);
        let mut no_mw = ex(500, "");
        no_mw.clerk_status = None;
        assert!(classify_final("GET", &no_mw).1.contains("did not run"));
        let mut known = ex(200, "");
        known.content_length = Some(10);
        assert_eq!(classify_final("GET", &known).0, Outcome::Open);
    }

    #[test]
    fn redirects() {
        let base = BaseUrl::parse("http://127.0.0.1:3000").unwrap();
        let cur = Url::parse("http://127.0.0.1:3000/api/x").unwrap();
        let hints = SignInHints::parse(&["/auth/enter".into()]).unwrap();
        let t = |loc: &str, clerk: Option<&str>| {
            redirect_target(&resolve_location(&cur, &base, loc).unwrap(), clerk, &hints)
        };
        assert_eq!(
            t("/sign-in?redirect_url=%2Fx", None),
            RedirectTarget::SignIn
        );
        assert_eq!(t("/login", None), RedirectTarget::SignIn);
        assert_eq!(t("/auth/enter/", None), RedirectTarget::SignIn);
        assert_eq!(
            t("https://clean-hawk-42.accounts.dev/sign-in#/?x", None),
            RedirectTarget::SignIn
        );
        assert_eq!(
            t(
                "https://clean-hawk-42.clerk.accounts.dev/v1/client/handshake?redirect_url=x",
                None
            ),
            RedirectTarget::Handshake
        );
        assert_eq!(
            t("/api/x?__clerk_handshake=abc", None),
            RedirectTarget::Handshake
        );
        assert_eq!(t("/anything", Some("handshake")), RedirectTarget::Handshake);
        assert_eq!(t("/api/x/", None), RedirectTarget::SameOrigin);
        assert_eq!(t("/signing-up", None), RedirectTarget::SameOrigin);
        assert_eq!(
            t("https://cdn.example/file.pdf", None),
            RedirectTarget::OffHost
        );
        let abs = SignInHints::parse(&["https://accounts.example.com/enter".into()]).unwrap();
        let loc = resolve_location(&cur, &base, "https://accounts.example.com/enter?x").unwrap();
        assert_eq!(redirect_target(&loc, None, &abs), RedirectTarget::SignIn);
        assert!(SignInHints::parse(&["ftp://x".into()]).is_err());
    }

    #[test]
    fn verdicts() {
        use Outcome as O;
        use StaticView as S;
        assert_eq!(verdict(S::Unprotected, O::Open), Verdict::ConfirmedOpen);
        assert_eq!(verdict(S::Protected, O::Open), Verdict::Contradiction);
        assert_eq!(verdict(S::Public, O::Open), Verdict::Public);
        assert_eq!(verdict(S::Delegated, O::Open), Verdict::Inconclusive);
        assert_eq!(verdict(S::Unprotected, O::Protected), Verdict::Protected);
        assert_eq!(verdict(S::Protected, O::Error), Verdict::Error);
        assert_eq!(verdict(S::Protected, O::Unreachable), Verdict::Unreachable);
        assert_eq!(verdict(S::Protected, O::NotSent), Verdict::StaticOnly);
        assert_eq!(verdict(S::Public, O::Inconclusive), Verdict::Inconclusive);
    }

    #[test]
    fn excerpts_are_short_and_redacted() {
        let key = format!("sk_live_{}", "Q7fLm2ZpX9aB4cRt8WvY1nK3sD6hJ0gE5uTiOq");
        let body = format!("{{\"key\":\"{key}\",\"pad\":\"{}\"}}", "x".repeat(500));
        let e = excerpt(&ex(200, &body)).unwrap();
        assert!(!e.contains(&key), "{e}");
        assert!(e.contains("sk_live_Q7fL…"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJlLXZhbHVl";
        let e = excerpt(&ex(200, &format!("token={jwt}"))).unwrap();
        assert_eq!(e, "token=eyJ…(token)");
        assert_eq!(excerpt(&ex(200, "")), None);
        assert_eq!(
            excerpt(&ex(200, "a\n\n  b\tc")).as_deref(),
            Some("a b c"),
            "one line"
        );
        let html = "<!DOCTYPE html><html><head><title>Orders\n</title></head></html>";
        assert_eq!(
            excerpt(&ex(200, html)).as_deref(),
            Some("HTML page \u{201c}Orders\u{201d}")
        );
        assert_eq!(
            excerpt(&ex(200, "<html><body>")).as_deref(),
            Some("HTML page")
        );
        assert_eq!(excerpt(&ex(200, "a\0b")).as_deref(), Some("(binary data)"));
        let mut bin = ex(200, "");
        bin.body = vec![0xff, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06];
        assert_eq!(excerpt(&bin).as_deref(), Some("(binary data)"));
    }

    #[test]
    fn arbitrary_bodies_never_panic() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let pieces: &[&[u8]] = &[
            b"<title>",
            b"</title>",
            b"<!DOCTYPE html>",
            b"sk_live_",
            b"eyJ",
            b".",
            "é".as_bytes(),
            b"\xe2\x80",
            b"\0",
            b"\n",
            b"a",
            b"Q7fLm2ZpX9aB4cRt8WvY1nK3sD6hJ0gE5u",
        ];
        for _ in 0..5_000 {
            let mut body = Vec::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                body.extend_from_slice(pieces[(seed % pieces.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(0x9e37_79b9);
            let e = Exchange {
                status: 200,
                body,
                ..Exchange::default()
            };
            if let Some(x) = excerpt(&e) {
                assert!(x.chars().count() <= EXCERPT_CHARS + 20, "{x}");
            }
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(46, false), "46 B");
        assert_eq!(human_size(65536, true), "≥64.0 KiB");
        assert_eq!(human_size(3 * 1024 * 1024, false), "3.0 MiB");
    }
}
