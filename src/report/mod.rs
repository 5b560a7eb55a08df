//! Reporters: one output format per file, all fed the same sorted findings.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod own;
pub mod sarif;

use crate::engine::ScanResult;
use crate::finding::{Finding, Severity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    /// GitLab Code Quality report (`artifacts:reports:codequality`).
    Gitlab,
    /// One line per finding: `path:line:col: rule message`.
    Concise,
}

pub struct ReportOptions {
    pub color: bool,
    pub quiet: bool,
    /// Terminal width for human output.
    pub width: usize,
}

/// Render a scan result; every output passes through key redaction last.
pub fn render(format: Format, result: &ScanResult, opts: &ReportOptions) -> String {
    let out = match format {
        Format::Human => human::render(result, opts),
        Format::Json => json::render(result),
        Format::Sarif => sarif::render(result),
        Format::Github => github::render(result),
        Format::Gitlab => gitlab::render(result),
        Format::Concise => human::concise(result, opts),
    };
    crate::facts::secrets::redact_all(&out).into_owned()
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn counts(findings: &[Finding]) -> Counts {
    let mut c = Counts::default();
    for f in findings {
        match f.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2 errors, 1 warning in 412 files (0.08s)`.
pub fn summary_line(result: &ScanResult) -> String {
    let c = counts(&result.findings);
    let files = plural(result.files, "file", "files");
    let secs = result.elapsed.as_secs_f64();
    if result.findings.is_empty() {
        return format!("No problems found in {files} ({secs:.2}s)");
    }
    let mut parts = vec![
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
    ];
    if c.infos > 0 {
        parts.push(plural(c.infos, "info", "infos"));
    }
    format!("{} in {files} ({secs:.2}s)", parts.join(", "))
}
