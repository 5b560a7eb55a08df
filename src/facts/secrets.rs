//! Secret-key candidates: byte-level search, placeholder filtering, Clerk context, redaction.
//!
//! A secret key is `sk_live_` or `sk_test_` followed by 32 or more `[A-Za-z0-9]`. Clerk and
//! Stripe share these prefixes, so a hit is called a *Clerk* key only when its context says so.
//! A webhook signing secret is `whsec_` followed by 32 or more base64 characters
//! (`[A-Za-z0-9+/]`, then `=` padding): Clerk's endpoints (Svix) and Stripe's share that
//! prefix, and it is called *Clerk*'s on the same terms.

use std::borrow::Cow;
use std::sync::LazyLock;

use base64::Engine as _;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::finding::Span;

static PUBLISHABLE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bpk_(?:live|test)_[A-Za-z0-9+/]{10,}={0,2}").expect("valid regex")
});

/// The prefixes every secret starts with: secret keys, then webhook signing secrets.
pub const SECRET_PREFIXES: [&str; 3] = ["sk_live_", "sk_test_", WEBHOOK_PREFIX];

/// The prefix of a webhook signing secret (Clerk's, through Svix, and Stripe's).
pub const WEBHOOK_PREFIX: &str = "whsec_";

/// The shortest secret body reported (Svix's and Stripe's signing secrets have 32 or more).
const MIN_BODY: usize = 32;

/// Secrets that documentation publishes as examples, copied into guides and tests: the
/// signing secret of the Standard Webhooks test vector, which Svix's verification docs show.
const DOCUMENTED_EXAMPLES: &[&str] = &["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"];

/// How far around a key to look for the word "clerk".
const CONTEXT_WINDOW: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    SecretLive,
    SecretTest,
    /// `whsec_…`: the secret that signs a webhook endpoint's events.
    WebhookSecret,
    PublishableLive,
    PublishableTest,
}

impl KeyKind {
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            KeyKind::SecretLive | KeyKind::SecretTest | KeyKind::WebhookSecret
        )
    }

    /// What advice calls a secret of this kind: "key" or "signing secret".
    pub fn noun(self) -> &'static str {
        match self {
            KeyKind::WebhookSecret => "signing secret",
            _ => "key",
        }
    }

    /// The environment variable Clerk reads a secret of this kind from.
    pub fn env_name(self) -> &'static str {
        match self {
            KeyKind::WebhookSecret => "CLERK_WEBHOOK_SIGNING_SECRET",
            _ => "CLERK_SECRET_KEY",
        }
    }

    /// How a leaked secret of this kind is replaced.
    pub fn rotation(self) -> &'static str {
        match self {
            KeyKind::WebhookSecret => {
                "rotate the signing secret in the webhook endpoint's settings (Clerk Dashboard: \
                 Webhooks)"
            }
            _ => "rotate the key in the Clerk Dashboard (API keys)",
        }
    }

    pub fn is_test(self) -> bool {
        matches!(self, KeyKind::SecretTest | KeyKind::PublishableTest)
    }
}

/// A real-looking key found in a file (placeholders are dropped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyHit {
    pub span: Span,
    pub kind: KeyKind,
    /// The context shows Clerk (a `CLERK` name, an `@clerk/` import, "clerk" nearby).
    pub clerk: bool,
    /// `sk_live_AbCd…`: the only form in which a key is ever shown.
    pub redacted: String,
}

impl KeyHit {
    /// "Clerk secret key" or "secret key (Clerk or Stripe format)".
    pub fn describe(&self) -> String {
        let what = match self.kind {
            KeyKind::SecretLive | KeyKind::SecretTest => "secret key",
            KeyKind::WebhookSecret => "webhook signing secret",
            KeyKind::PublishableLive | KeyKind::PublishableTest => "publishable key",
        };
        if self.clerk {
            format!("Clerk {what} `{}`", self.redacted)
        } else if self.kind == KeyKind::WebhookSecret {
            format!("{what} `{}` (Clerk/Svix or Stripe format)", self.redacted)
        } else if self.kind.is_secret() {
            format!("{what} `{}` (Clerk or Stripe format)", self.redacted)
        } else {
            format!("{what} `{}`", self.redacted)
        }
    }
}

/// Every secret run (`sk_live_`/`sk_test_` with at least `min_body` alphanumerics after the
/// prefix, `whsec_` with at least `min_body` base64 characters and its `=` padding), wherever
/// it sits (`xsk_live_…`, `_sk_live_…`, inside a longer word); two secrets run together
/// (`sk_live_AAA…sk_live_BBB…`) are two runs. Byte ranges, in order.
pub fn key_runs(text: &str, min_body: usize) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for anchor in ["sk_", WEBHOOK_PREFIX] {
        let mut i = 0;
        while let Some(off) = memchr::memmem::find(&b[i..], anchor.as_bytes()) {
            let start = i + off;
            let Some(body) = body_start(b, start) else {
                i = start + anchor.len();
                continue;
            };
            let webhook = body - start == WEBHOOK_PREFIX.len();
            let mut end = body;
            while end < b.len() && is_body_byte(b[end], webhook) {
                end += 1;
            }
            // `…sk_live_…`, `…whsec_…`: the run ends where the next secret begins.
            if let Some(stem) = (body..end).find(|&s| body_start(b, s).is_some()) {
                end = stem;
            }
            let padded = (end..b.len().min(end + 2))
                .take_while(|&k| webhook && b[k] == b'=')
                .count();
            if end - body >= min_body {
                out.push((start, end + padded));
            }
            i = end.max(start + anchor.len());
        }
    }
    out.sort_unstable();
    out
}

/// Where the body of a secret starting at `start` begins, if one of [`SECRET_PREFIXES`]
/// starts there.
fn body_start(b: &[u8], start: usize) -> Option<usize> {
    SECRET_PREFIXES
        .iter()
        .find(|p| b[start..].starts_with(p.as_bytes()))
        .map(|p| start + p.len())
}

/// A byte of a secret's body: alphanumeric, and for a webhook signing secret (base64) also
/// `+` and `/`.
fn is_body_byte(c: u8, webhook: bool) -> bool {
    c.is_ascii_alphanumeric() || (webhook && matches!(c, b'+' | b'/'))
}

/// The length of a key's prefix: `whsec_`, or up to the second underscore (`sk_live_`,
/// `pk_test_`).
fn prefix_len(key: &str) -> usize {
    if key.starts_with(WEBHOOK_PREFIX) {
        return WEBHOOK_PREFIX.len();
    }
    key.match_indices('_')
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap_or(0)
}

/// Find secret keys (and, when `publishable` is set, real publishable keys) in `text`.
/// `file_mentions_clerk` is true when the file imports `@clerk/` or names a `CLERK` variable.
/// With `line_context` (dotenv files), only the key's own line counts as its context.
pub fn find_keys(
    text: &str,
    file_mentions_clerk: bool,
    publishable: bool,
    line_context: bool,
) -> Vec<KeyHit> {
    let mut hits = Vec::new();
    for (start, end) in key_runs(text, MIN_BODY) {
        let key = &text[start..end];
        let body = key[prefix_len(key)..].trim_end_matches('=');
        if is_placeholder_body(body) || DOCUMENTED_EXAMPLES.contains(&key) {
            continue;
        }
        hits.push(KeyHit {
            span: Span::new(start, end),
            kind: if key.starts_with(WEBHOOK_PREFIX) {
                KeyKind::WebhookSecret
            } else if key.starts_with("sk_live_") {
                KeyKind::SecretLive
            } else {
                KeyKind::SecretTest
            },
            clerk: file_mentions_clerk || clerk_nearby(text, start, end, line_context),
            redacted: redact(key),
        });
    }
    if publishable {
        for m in PUBLISHABLE_KEY.find_iter(text) {
            let key = m.as_str();
            if !is_real_publishable_key(key) {
                continue;
            }
            hits.push(KeyHit {
                span: Span::new(m.start(), m.end()),
                kind: if key.starts_with("pk_live_") {
                    KeyKind::PublishableLive
                } else {
                    KeyKind::PublishableTest
                },
                clerk: true,
                redacted: redact(key),
            });
        }
        hits.sort_by_key(|h| h.span.start);
    }
    hits
}

/// Whether a secret of `kind` found in the file at `rel` is a leak: not a webhook signing
/// secret in a test file. Only Clerk or Stripe issue a key, but a signing secret is an HMAC
/// key anyone can mint, and tests mint their own to sign the payloads they verify.
pub fn leaks_in(kind: KeyKind, rel: &str) -> bool {
    kind != KeyKind::WebhookSecret || !crate::source::is_test_file(rel)
}

/// Clerk's own publishable-key check: base64 of `<frontend-api-host>$`.
pub fn is_real_publishable_key(key: &str) -> bool {
    let Some(body) = key
        .strip_prefix("pk_test_")
        .or_else(|| key.strip_prefix("pk_live_"))
    else {
        return false;
    };
    let body = body.trim_end_matches('=');
    let Ok(decoded) = base64::engine::general_purpose::STANDARD_NO_PAD.decode(body) else {
        return false;
    };
    let Ok(decoded) = std::str::from_utf8(&decoded) else {
        return false;
    };
    decoded.ends_with('$') && decoded.matches('$').count() == 1 && decoded.contains('.')
}

fn clerk_nearby(text: &str, start: usize, end: usize, line_only: bool) -> bool {
    let bytes = text.as_bytes();
    let (lo, hi) = if line_only {
        (
            text[..start].rfind('\n').map_or(0, |i| i + 1),
            text[end..].find('\n').map_or(text.len(), |i| end + i),
        )
    } else {
        (
            start.saturating_sub(CONTEXT_WINDOW),
            (end + CONTEXT_WINDOW).min(bytes.len()),
        )
    };
    bytes[lo..hi]
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"clerk"))
}

/// Words that mark a documentation placeholder rather than a real key.
const PLACEHOLDER_WORDS: &[&str] = &[
    "xxxx",
    "your",
    "example",
    "placeholder",
    "replace",
    "redacted",
    "dummy",
    "sample",
    "changeme",
    "insert",
    "secret",
    "fake",
    "mock",
    "abcdef",
    "123456",
];

/// Placeholders are not keys: masks, template words, low-entropy or repeated bodies.
pub fn is_placeholder_body(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let bytes = body.as_bytes();
    // A run of one character (`0000000`, `aaaaaa`).
    let mut run = 1;
    for w in bytes.windows(2) {
        if w[0] == w[1] {
            run += 1;
            if run >= 6 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    // A short unit repeated (`ab12ab12ab12…`).
    for period in 1..=bytes.len() / 2 {
        if bytes
            .iter()
            .enumerate()
            .all(|(i, b)| *b == bytes[i % period])
        {
            return true;
        }
    }
    let mut counts = [0usize; 256];
    for b in bytes {
        counts[*b as usize] += 1;
    }
    let distinct = counts.iter().filter(|c| **c > 0).count();
    distinct < 10 || shannon_entropy(&counts, bytes.len()) < 3.0
}

fn shannon_entropy(counts: &[usize; 256], len: usize) -> f64 {
    if len == 0 {
        return 0.0;
    }
    let len = len as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// `sk_live_AbCd…`, `whsec_AbCd…`: the prefix and at most four characters of the body.
pub fn redact(key: &str) -> String {
    let prefix_len = prefix_len(key);
    let keep: String = key[prefix_len..].chars().take(4).collect();
    format!("{}{}…", &key[..prefix_len], keep)
}

/// Shortest key body masked in printed text: anything key-like, whatever the detector decided.
pub const MASK_MIN_BODY: usize = 16;

/// Replace every key-like run (`sk_(live|test)_` + 16 or more alphanumerics, `whsec_` + 16 or
/// more base64 characters, anywhere) in `text` by its redacted form (a last guard on all
/// output).
pub fn redact_all(text: &str) -> Cow<'_, str> {
    let runs = key_runs(text, MASK_MIN_BODY);
    if runs.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in runs {
        out.push_str(&text[at..start]);
        out.push_str(&redact(&text[start..end]));
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Mask key bodies with `*`, keeping byte offsets (for source snippets shown to humans).
pub fn mask_keys(text: &str) -> Cow<'_, str> {
    let runs = key_runs(text, MASK_MIN_BODY);
    if runs.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for (start, end) in runs {
        // `sk_live_` or `whsec_` + 4 visible characters.
        let keep = prefix_len(&text[start..end]) + 4;
        let masked = "*".repeat(end - start - keep);
        out.replace_range(start + keep..end, &masked);
    }
    Cow::Owned(out)
}

/// Whether an environment variable name is a secret by its name.
pub fn is_secret_env_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.contains("PUBLISHABLE") {
        return false;
    }
    const MARKERS: &[&str] = &[
        "SECRET",
        "PASSWORD",
        "PRIVATE",
        "ENCRYPTION_KEY",
        "SIGNING",
        "API_KEY",
        "TOKEN",
    ];
    MARKERS.iter().any(|m| upper.contains(m))
}

/// Prefixes that make bundlers inline a variable into client code.
pub const PUBLIC_ENV_PREFIXES: &[&str] = &[
    "NEXT_PUBLIC_",
    "VITE_",
    "PUBLIC_",
    "NUXT_PUBLIC_",
    "EXPO_PUBLIC_",
];

pub fn public_env_prefix(name: &str) -> Option<&'static str> {
    PUBLIC_ENV_PREFIXES
        .iter()
        .copied()
        .find(|p| name.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIVE: &str = "sk_live_Q7fLm2ZpX9aB4cRt8WvY1nK3sD6hJ0gE5uTiOq";

    #[test]
    fn finds_real_keys_and_drops_placeholders() {
        let text = format!(
            "a = '{LIVE}'\nb = 'sk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\nc = 'sk_test_YOURKEYHEREYOURKEYHEREYOURKEYHERE12'\nd = 'sk_live_...'\ne = 'sk_test_ab12ab12ab12ab12ab12ab12ab12ab12ab'"
        );
        let hits = find_keys(&text, false, false, false);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, KeyKind::SecretLive);
        assert!(!hits[0].clerk);
        assert_eq!(hits[0].redacted, "sk_live_Q7fL…");
    }

    #[test]
    fn clerk_context() {
        let text = format!("CLERK_SECRET_KEY={LIVE}");
        assert!(find_keys(&text, false, false, false)[0].clerk);
        let far = format!("clerk{}\nkey = '{LIVE}'", " ".repeat(300));
        assert!(!find_keys(&format!("CLERK_X=1\nK={LIVE}"), false, false, true)[0].clerk);
        assert!(!find_keys(&far, false, false, false)[0].clerk);
        assert!(find_keys(&far, true, false, false)[0].clerk);
    }

    #[test]
    fn boundaries() {
        // A key inside a longer word is still a key (issue 17: `xsk_live_…` was missed).
        assert_eq!(find_keys(&format!("x{LIVE}"), false, false, false).len(), 1);
        assert!(find_keys("sk_live_Q7fLm2ZpX9aB4cRt8WvY1nK3sD6", false, false, false).is_empty());
        assert_eq!(
            find_keys(&format!("\"{LIVE}\","), false, false, false).len(),
            1
        );
    }

    #[test]
    fn publishable_keys_are_validated() {
        assert!(is_real_publishable_key(
            "pk_test_ZGVsaWNhdGUtbGFkeWJpcmQtNDcuY2xlcmsuYWNjb3VudHMuZGV2JA"
        ));
        assert!(is_real_publishable_key("pk_live_Zm9vLmNsZXJrLmNvbSQ="));
        assert!(!is_real_publishable_key("pk_test_xxxxxxxxxxxxxxxxxxxx"));
        assert!(!is_real_publishable_key("pk_test_bm8tZG9sbGFyLWhlcmU"));
    }

    #[test]
    fn odd_keys_are_found_and_masked() {
        let a = "sk_live_Q7fLm2ZpX9aB4cRt8WvY1nK3sD6hJ0gE5uTiOq";
        let b = "sk_test_Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Ji0HgFeDcBa9876";
        for text in [
            format!("const k = 'x{a}'"),
            format!("const k = '_{a}'"),
            format!("const k = '{a}{b}'"),
            format!("const k = \"A=1\\n{a}\""),
            format!("{a}_suffix"),
        ] {
            let hits = find_keys(&text, false, false, false);
            assert!(!hits.is_empty(), "{text}");
            for shown in [redact_all(&text), mask_keys(&text)] {
                assert!(!shown.contains(&a[8..20]), "{shown}");
                assert!(!shown.contains(&b[8..20]), "{shown}");
            }
        }
        // Two keys run together are two keys.
        let both = format!("{a}{b}");
        assert_eq!(find_keys(&both, false, false, false).len(), 2);
        // A shorter key-like run is masked though never reported.
        let short = "sk_live_AbCdEfGh12345678";
        assert!(find_keys(short, false, false, false).is_empty());
        assert_eq!(redact_all(short), "sk_live_AbCd…");
        assert_eq!(mask_keys(short), "sk_live_AbCd************");
    }

    #[test]
    fn webhook_signing_secrets() {
        let wh = "whsec_vgc+G4qUxgIf2cp0UCmo4JqvtE9QrgJs";
        let text = format!(
            "const s = '{wh}'\nconst a = 'whsec_...'\nconst b = 'whsec_your_signing_secret'\n\
             const c = 'whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\nconst d = 'whsec_vgc+G4qU'"
        );
        let hits = find_keys(&text, false, false, false);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, KeyKind::WebhookSecret);
        assert_eq!(&text[hits[0].span.start..hits[0].span.end], wh);
        assert_eq!(hits[0].redacted, "whsec_vgc+…");
        assert!(hits[0].describe().contains("Clerk/Svix or Stripe"));
        assert!(
            find_keys(
                &format!("CLERK_WEBHOOK_SIGNING_SECRET={wh}"),
                false,
                false,
                true
            )[0]
            .clerk
        );
        // Base64 padding belongs to the secret; a key run into it is two secrets.
        let padded = format!("{wh}==;");
        assert_eq!(key_runs(&padded, MIN_BODY), vec![(0, wh.len() + 2)]);
        let both = format!("{}{wh}", &LIVE);
        assert_eq!(find_keys(&both, false, false, false).len(), 2);
        for shown in [redact_all(&both), mask_keys(&both)] {
            assert!(!shown.contains(&wh[6..18]), "{shown}");
            assert!(!shown.contains(&LIVE[8..20]), "{shown}");
        }
        assert_eq!(mask_keys(wh), "whsec_vgc+****************************");
        // The published test vector is an example, not a secret; a test file mints its own.
        assert!(
            find_keys(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                false,
                false,
                false
            )
            .is_empty()
        );
        assert!(!leaks_in(
            KeyKind::WebhookSecret,
            "app/api/webhooks/route.test.ts"
        ));
        assert!(leaks_in(
            KeyKind::SecretLive,
            "app/api/webhooks/route.test.ts"
        ));
        assert!(leaks_in(
            KeyKind::WebhookSecret,
            "app/api/webhooks/route.ts"
        ));
    }

    #[test]
    fn redaction_never_shows_a_key() {
        let text = format!("key {LIVE} end");
        let red = redact_all(&text);
        assert!(!red.contains(LIVE));
        assert!(red.contains("sk_live_Q7fL…"));
        let masked = mask_keys(&text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains(LIVE));
        assert!(masked.contains("sk_live_Q7fL***"));
    }

    #[test]
    fn secret_names() {
        assert!(is_secret_env_name("CLERK_SECRET_KEY"));
        assert!(is_secret_env_name("CLERK_WEBHOOK_SIGNING_SECRET"));
        assert!(!is_secret_env_name("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"));
        assert!(!is_secret_env_name("CLERK_SIGN_IN_URL"));
        assert_eq!(public_env_prefix("VITE_CLERK_SECRET_KEY"), Some("VITE_"));
    }
}
