//! Human output: miette diagnostics with the source snippet (keys masked), a label, the help
//! line, then one summary line.

use std::collections::BTreeMap;
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
    let text = src.text();
    let masked = crate::facts::secrets::mask_keys(&text);
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

/// Advice (rule + help) given by more than one finding: printed once, in the footer, not
/// under each finding.
fn shared_advice(findings: &[Finding]) -> BTreeMap<(&'static str, &str), usize> {
    let mut n: BTreeMap<(&'static str, &str), usize> = BTreeMap::new();
    for f in findings {
        if !f.help.is_empty() {
            *n.entry((f.rule, f.help.as_str())).or_default() += 1;
        }
    }
    n.retain(|_, c| *c > 1);
    n
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
        // A URL or a path is never split across lines: lines break at spaces only (not after
        // `/` or at the hyphens of `GHSA-…` ids).
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_context_lines(1);
    let shared = shared_advice(&result.findings);
    let mut seen_related = std::collections::HashSet::new();
    let mut out = String::new();
    // Grouped by file (findings arrive sorted by path).
    let mut i = 0;
    let findings = &result.findings;
    while i < findings.len() {
        let path = &findings[i].path;
        let n = findings[i..].iter().take_while(|f| &f.path == path).count();
        let header = format!(
            "── {} ({}) ",
            esc(path),
            if n == 1 {
                "1 finding".to_string()
            } else {
                format!("{n} findings")
            }
        );
        let fill = opts.width.saturating_sub(header.chars().count()).min(60);
        out.push_str(&paint(
            opts.color,
            "1",
            &format!("{header}{}", "─".repeat(fill)),
        ));
        out.push_str("\n\n");
        for f in &findings[i..i + n] {
            let mut diag = diagnostic(result, f);
            if shared.contains_key(&(f.rule, f.help.as_str())) {
                diag.help = None;
                diag.url = None;
            }
            // A related location already shown with its snippet (the same middleware for many
            // routes) is named again in one line.
            for r in &mut diag.related {
                let key = (
                    r.message.clone(),
                    r.labels.first().map(|l| l.offset()).unwrap_or(usize::MAX),
                );
                if r.source.is_some() && !seen_related.insert(key) {
                    r.source = None;
                    r.labels.clear();
                    r.message = format!("{} (shown above)", r.message);
                }
            }
            let mut buf = String::new();
            if handler.render_report(&mut buf, &diag).is_err() {
                buf = esc(&format!("{}: {}: {}", f.path, f.rule, f.message)) + "\n";
            }
            out.push_str(&buf);
            out.push('\n');
        }
        i += n;
    }
    if !opts.quiet {
        out.push_str(&footer(result, &shared, opts.color, opts.width));
        out.push_str(&summary_line(result));
        out.push('\n');
    }
    out
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

/// Counts per rule with the advice they share, then the next step.
fn footer(
    result: &ScanResult,
    shared: &BTreeMap<(&'static str, &str), usize>,
    color: bool,
    wrap: usize,
) -> String {
    if result.findings.is_empty() {
        return String::new();
    }
    let mut per_rule: BTreeMap<&str, (usize, Severity)> = BTreeMap::new();
    for f in &result.findings {
        let e = per_rule.entry(f.rule).or_insert((0, f.severity));
        e.0 += 1;
        e.1 = e.1.max(f.severity);
    }
    let mut rules: Vec<(&str, usize, Severity)> =
        per_rule.into_iter().map(|(r, (n, s))| (r, n, s)).collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rules.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut out = paint(color, "1", "Findings per rule:");
    out.push('\n');
    for (rule, n, sev) in &rules {
        out.push_str(&format!("  {n:>5}  {rule:width$}  {sev}\n"));
        for ((r, help), count) in shared {
            if r == rule {
                let text = format!("help ({count} findings): {}", esc(help));
                for line in crate::routes_cmd::wrap_words(&text, wrap.saturating_sub(9).max(40)) {
                    out.push_str(&format!("         {line}\n"));
                }
            }
        }
        if shared.keys().any(|(r, _)| r == rule) {
            out.push_str(&format!("         docs: {}\n", rule_url(rule)));
        }
    }
    let fixable = fixable_count(result);
    out.push('\n');
    if fixable > 0 {
        out.push_str(&format!(
            "Next: `clerk-guard fix --dry-run` shows {fixable} automatic fix(es); `clerk-guard explain {}` explains a rule.\n",
            rules[0].0
        ));
    } else {
        out.push_str(&format!(
            "Next: `clerk-guard explain {}` explains a rule and how to fix it.\n",
            rules[0].0
        ));
    }
    out
}

/// How many findings have a fix `clerk-guard fix` applies (safe) or offers (suggested).
fn fixable_count(result: &ScanResult) -> usize {
    use rayon::prelude::*;
    // Deciding a fix reads and parses the finding's file: in parallel, with a context (its
    // texts and trees) per worker.
    result
        .findings
        .par_iter()
        .filter(|f| f.commit.is_none())
        .map_init(
            || crate::fix::FixCx::new(&result.root),
            |cx, f| usize::from(crate::fix::has_fix(cx, f)),
        )
        .sum()
}

/// `--format concise`: one line per finding, `path:line:col: rule message`, then the summary.
pub fn concise(result: &ScanResult, opts: &ReportOptions) -> String {
    let mut out = String::new();
    for f in &result.findings {
        let at = match f.range {
            Some(r) => format!("{}:{}:{}", f.path, r.line, r.column),
            None => f.path.clone(),
        };
        let message = f.message.replace('\n', " ");
        out.push_str(&esc(&format!("{at}: ")));
        out.push_str(&paint(
            opts.color,
            match f.severity {
                Severity::Error => "31",
                Severity::Warning => "33",
                Severity::Info => "36",
            },
            f.rule,
        ));
        out.push(' ');
        out.push_str(&esc(&message));
        out.push('\n');
    }
    if !opts.quiet {
        out.push_str(&summary_line(result));
        out.push('\n');
    }
    out
}

/// `--statistics`: how many findings per rule, most first, with the rule's summary and
/// whether `clerk-guard fix` has a fix for it.
pub fn statistics(result: &ScanResult) -> String {
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &result.findings {
        *per.entry(f.rule).or_default() += 1;
    }
    let cx = crate::fix::FixCx::new(&result.root);
    let mut fixable: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &result.findings {
        if crate::fix::has_fix(&cx, f) {
            *fixable.entry(f.rule).or_default() += 1;
        }
    }
    let mut rows: Vec<(&str, usize)> = per.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (rule, n) in rows {
        let summary = crate::rules::find_rule(rule)
            .map(|r| r.meta().summary)
            .unwrap_or("");
        let mark = if fixable.get(rule).copied().unwrap_or(0) > 0 {
            "[*]"
        } else {
            "   "
        };
        out.push_str(&format!("{n:>5}  {rule:width$}  {mark} {summary}\n"));
    }
    if out.is_empty() {
        out.push_str("No problems found\n");
    } else if out.contains("[*]") {
        out.push_str("[*] fixable with `clerk-guard fix` (see `clerk-guard fix --dry-run`)\n");
    }
    out
}
