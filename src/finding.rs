//! Findings: what a rule reports, independent of any output format.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A byte range in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
}

/// 1-based line/column range of a finding, computed from its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Range {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A secondary location: a step of an import chain, the middleware that decides, …
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub path: String,
    #[serde(skip)]
    pub span: Option<Span>,
    #[serde(flatten)]
    pub range: Option<Range>,
    pub message: String,
}

/// One problem found by one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    /// `None` for project-level findings (a missing file, a version problem).
    pub span: Option<Span>,
    /// Filled from `span` by the engine.
    pub range: Option<Range>,
    pub message: String,
    pub help: String,
    pub symbol: Option<String>,
    pub route: Option<String>,
    pub related: Vec<Related>,
    /// Short text under the primary span in human output.
    pub label: Option<String>,
    /// Text that identifies the finding independently of its line (for fingerprints and
    /// baselines). Defaults to the source line; rules may set something more stable.
    pub anchor: Option<String>,
    /// Filled by the engine.
    pub fingerprint: String,
    /// The commit (short id) a finding was found in, for findings in git history.
    pub commit: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static str, severity: Severity, path: impl Into<String>) -> Self {
        Finding {
            rule,
            severity,
            path: path.into(),
            span: None,
            range: None,
            message: String::new(),
            help: String::new(),
            symbol: None,
            route: None,
            related: Vec::new(),
            label: None,
            anchor: None,
            fingerprint: String::new(),
            commit: None,
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn symbol(mut self, symbol: impl Into<String>) -> Self {
        self.symbol = Some(symbol.into());
        self
    }

    pub fn route(mut self, route: impl Into<String>) -> Self {
        self.route = Some(route.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn anchor(mut self, anchor: impl Into<String>) -> Self {
        self.anchor = Some(anchor.into());
        self
    }

    pub fn related(
        mut self,
        path: impl Into<String>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            path: path.into(),
            span,
            range: None,
            message: message.into(),
        });
        self
    }

    pub fn line(&self) -> Option<usize> {
        self.range.map(|r| r.line)
    }

    /// Sort key: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        let (line, col) = self.range.map(|r| (r.line, r.column)).unwrap_or((0, 0));
        (&self.path, line, col, self.rule)
    }
}

/// Whitespace-normalised text, so that re-indenting code does not change a fingerprint.
pub fn normalise_snippet(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A stable fingerprint: rule id, path and normalised anchor text (not line numbers).
pub fn fingerprint(rule: &str, path: &str, anchor: &str, occurrence: usize) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule.as_bytes());
    hasher.update([0]);
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(normalise_snippet(anchor).as_bytes());
    hasher.update([0]);
    hasher.update(occurrence.to_le_bytes());
    let digest = hasher.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Escape control characters (terminal escapes, newlines, NUL) in a path or other untrusted
/// name before it reaches a human-facing output: `\x1b` becomes `\u{1b}`.
pub fn escape_control(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `eprintln!` with every key-like run redacted: the only way the front doors print errors
/// (an error may echo a config value, an argument or a document).
#[macro_export]
macro_rules! eprintln_redacted {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::facts::secrets::redact_all(&format!($($arg)*)))
    };
}
