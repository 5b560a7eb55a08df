//! Human output: miette diagnostics with the source snippet (keys masked), a label, the help
//! line, then one summary line.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use crate::docs::rule_url;
use crate::engine::ScanResult;
use crate::finding::{Finding, Severity};
use crate::report::{ReportOptions, summary_line};

#[derive(Debug)]
struct HumanDiag {
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    url: Option<String>,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<HumanDiag>,
}

impl fmt::Display for HumanDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HumanDiag {}

impl Diagnostic for HumanDiag {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() || self.source.is_none() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn named_source(result: &ScanResult, path: &str) -> Option<NamedSource<String>> {
    let src = result.sources.get(path)?;
    let masked = crate::facts::secrets::mask_keys(&src.text);
    // Terminal escapes in a snippet are shown as `?` (same byte length: spans stay put).
    let shown: String = masked
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\t' | '\r') {
                "?".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect();
    Some(NamedSource::new(esc(path), shown))
}

/// A name or message with its control characters escaped (file names are untrusted).
fn esc(s: &str) -> String {
    crate::finding::escape_control(s).into_owned()
}

fn diagnostic(result: &ScanResult, f: &Finding) -> HumanDiag {
    let source = f.span.and_then(|_| named_source(result, &f.path));
    let mut labels = Vec::new();
    if let Some(span) = f.span {
        labels.push(LabeledSpan::new_primary_with_span(
            f.label.clone(),
            (span.start, span.end.saturating_sub(span.start)),
        ));
    }
    let mut related = Vec::new();
    for r in &f.related {
        match r.span {
            Some(span) if r.path == f.path => labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                (span.start, span.end.saturating_sub(span.start)),
            )),
            // Steps of a chain in one file (a directive, then an import) share one snippet.
            Some(span)
                if related.last().is_some_and(|d: &HumanDiag| {
                    d.source.as_ref().is_some_and(|s| s.name() == esc(&r.path))
                }) =>
            {
                if let Some(last) = related.last_mut() {
                    last.message = esc(&r.path);
                    last.labels.push(LabeledSpan::new_with_span(
                        Some(r.message.clone()),
                        (span.start, span.end.saturating_sub(span.start)),
                    ));
                }
            }
            Some(span) => related.push(HumanDiag {
                message: esc(&format!("{}: {}", r.path, r.message)),
                severity: miette::Severity::Advice,
                help: None,
                url: None,
                source: named_source(result, &r.path),
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some(r.message.clone()),
                    (span.start, span.end.saturating_sub(span.start)),
                )],
                related: Vec::new(),
            }),
            None => related.push(HumanDiag {
                message: esc(&format!("{}: {}", r.path, r.message)),
                severity: miette::Severity::Advice,
                help: None,
                url: None,
                source: None,
                labels: Vec::new(),
                related: Vec::new(),
            }),
        }
    }
    let message = if source.is_none() {
        // Project-level findings have no snippet: say where.
        match f.range {
            Some(r) => esc(&format!(
                "{}: {}:{}:{}: {}",
                f.rule, f.path, r.line, r.column, f.message
            )),
            None => esc(&format!("{}: {}: {}", f.rule, f.path, f.message)),
        }
    } else {
        esc(&format!("{}: {}", f.rule, f.message))
    };
    HumanDiag {
        message,
        severity: severity(f.severity),
        help: (!f.help.is_empty()).then(|| f.help.clone()),
        url: Some(rule_url(f.rule)),
        source,
        labels,
        related,
    }
}

pub fn render(result: &ScanResult, opts: &ReportOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_urls(false)
        .with_context_lines(1);
    let mut out = String::new();
    for f in &result.findings {
        let diag = diagnostic(result, f);
        let mut buf = String::new();
        if handler.render_report(&mut buf, &diag).is_err() {
            buf = esc(&format!("{}: {}: {}", f.path, f.rule, f.message)) + "\n";
        }
        out.push_str(&buf);
        out.push('\n');
    }
    if !opts.quiet {
        out.push_str(&summary_line(result));
        out.push('\n');
    }
    out
}
