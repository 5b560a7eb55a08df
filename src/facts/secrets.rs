//! Secret-key candidates: byte-level search, placeholder filtering, Clerk context, redaction.
//!
//! A secret key is `sk_live_` or `sk_test_` followed by 32 or more `[A-Za-z0-9]`. Clerk and
//! Stripe share these prefixes, so a hit is called a *Clerk* key only when its context says so.

use std::borrow::Cow;
use std::sync::LazyLock;

use base64::Engine as _;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::finding::Span;

static PUBLISHABLE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bpk_(?:live|test)_[A-Za-z0-9+/]{10,}={0,2}").expect("valid regex")
});

/// The prefixes every secret key starts with.
pub const SECRET_PREFIXES: [&str; 2] = ["sk_live_", "sk_test_"];

/// How far around a key to look for the word "clerk".
const CONTEXT_WINDOW: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    SecretLive,
    SecretTest,
    PublishableLive,
    PublishableTest,
}

impl KeyKind {
    pub fn is_secret(self) -> bool {
        matches!(self, KeyKind::SecretLive | KeyKind::SecretTest)
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
    /// "Clerk secret key" or "secret key (Clerk/Stripe format)".
    pub fn describe(&self) -> String {
        let what = match self.kind {
            KeyKind::SecretLive | KeyKind::SecretTest => "secret key",
            KeyKind::PublishableLive | KeyKind::PublishableTest => "publishable key",
        };
        if self.clerk {
            format!("Clerk {what} `{}`", self.redacted)
        } else if self.kind.is_secret() {
            format!("{what} `{}` (Clerk or Stripe format)", self.redacted)
        } else {
            format!("{what} `{}`", self.redacted)
        }
    }
}

/// Every `sk_live_`/`sk_test_` run with at least `min_body` alphanumerics after the prefix,
/// wherever it sits (`xsk_live_…`, `_sk_live_…`, inside a longer word); two keys run together
/// (`sk_live_AAA…sk_live_BBB…`) are two runs. Byte ranges, in order.
pub fn key_runs(text: &str, min_body: usize) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memmem::find(&b[i..], b"sk_") {
        let start = i + off;
        let rest = &b[start + 3..];
        if !(rest.starts_with(b"live_") || rest.starts_with(b"test_")) {
            i = start + 3;
            continue;
        }
        let body = start + 8;
        let mut end = body;
        while end < b.len() && b[end].is_ascii_alphanumeric() {
            end += 1;
        }
        // `…sk_live_…`: the run ends where the next key begins.
        if end >= body + 2
            && b[end - 2..end] == *b"sk"
            && (b[end..].starts_with(b"_live_") || b[end..].starts_with(b"_test_"))
        {
            end -= 2;
        }
        if end - body >= min_body {
            out.push((start, end));
        }
        i = end.max(start + 3);
    }
    out
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
    for (start, end) in key_runs(text, 32) {
        let key = &text[start..end];
        let live = key.starts_with("sk_live_");
        let body = &key[8..];
        if is_placeholder_body(body) {
            continue;
        }
        hits.push(KeyHit {
            span: Span::new(start, end),
            kind: if live {
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

/// `sk_live_AbCd…`: the prefix and at most four characters of the body.
pub fn redact(key: &str) -> String {
    let prefix_len = key
        .match_indices('_')
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap_or(0);
    let keep: String = key[prefix_len..].chars().take(4).collect();
    format!("{}{}…", &key[..prefix_len], keep)
}

/// Shortest key body masked in printed text: anything key-like, whatever the detector decided.
pub const MASK_MIN_BODY: usize = 16;

/// Replace every key-like run (`sk_(live|test)_` + 16 or more alphanumerics, anywhere) in
/// `text` by its redacted form (a last guard on all output).
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
        // `sk_live_` + 4 visible characters.
        let keep = 12;
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
