//! `--format json`: one versioned JSON document.
//!
//! Written from typed records (no intermediate `serde_json::Value`); the fields of every
//! object are in name order, as the document has always had them.

use serde::Serialize;

use crate::engine::ScanResult;
use crate::finding::Finding;
use crate::report::counts;

#[derive(Serialize)]
struct Doc<'a> {
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
    tool: Tool,
    version: u32,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    elapsed_ms: u64,
    errors: usize,
    files: usize,
    findings: usize,
    infos: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    end_column: Option<usize>,
    end_line: Option<usize>,
    fingerprint: &'a str,
    help: &'a str,
    line: Option<usize>,
    message: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    route: Option<&'a str>,
    rule: &'a str,
    severity: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    symbol: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    column: Option<usize>,
    line: Option<usize>,
    message: &'a str,
    path: &'a str,
}

fn finding_json(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        column: f.range.map(|r| r.column),
        commit: f.commit.as_deref(),
        end_column: f.range.map(|r| r.end_column),
        end_line: f.range.map(|r| r.end_line),
        fingerprint: &f.fingerprint,
        help: &f.help,
        line: f.range.map(|r| r.line),
        message: &f.message,
        path: &f.path,
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                column: r.range.map(|x| x.column),
                line: r.range.map(|x| x.line),
                message: &r.message,
                path: &r.path,
            })
            .collect(),
        route: f.route.as_deref(),
        rule: f.rule,
        severity: f.severity.as_str(),
        symbol: f.symbol.as_deref(),
    }
}

pub fn render(result: &ScanResult) -> String {
    let c = counts(&result.findings);
    let doc = Doc {
        findings: result.findings.iter().map(finding_json).collect(),
        summary: Summary {
            elapsed_ms: result.elapsed.as_millis() as u64,
            errors: c.errors,
            files: result.files,
            findings: result.findings.len(),
            infos: c.infos,
            warnings: c.warnings,
        },
        tool: Tool {
            name: "clerk-guard",
            version: env!("CARGO_PKG_VERSION"),
        },
        version: 1,
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
