//! `--format json`: one versioned JSON document.

use serde_json::{Value, json};

use crate::engine::ScanResult;
use crate::finding::Finding;
use crate::report::counts;

pub fn finding_json(f: &Finding) -> Value {
    let mut v = json!({
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "path": f.path,
        "line": f.range.map(|r| r.line),
        "column": f.range.map(|r| r.column),
        "end_line": f.range.map(|r| r.end_line),
        "end_column": f.range.map(|r| r.end_column),
        "message": f.message,
        "help": f.help,
        "fingerprint": f.fingerprint,
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(symbol) = &f.symbol {
            obj.insert("symbol".into(), json!(symbol));
        }
        if let Some(route) = &f.route {
            obj.insert("route".into(), json!(route));
        }
        if let Some(commit) = &f.commit {
            obj.insert("commit".into(), json!(commit));
        }
        if !f.related.is_empty() {
            obj.insert(
                "related".into(),
                Value::Array(
                    f.related
                        .iter()
                        .map(|r| {
                            json!({
                                "path": r.path,
                                "line": r.range.map(|x| x.line),
                                "column": r.range.map(|x| x.column),
                                "message": r.message,
                            })
                        })
                        .collect(),
                ),
            );
        }
    }
    v
}

pub fn render(result: &ScanResult) -> String {
    let c = counts(&result.findings);
    let doc = json!({
        "version": 1,
        "tool": { "name": "clerk-guard", "version": env!("CARGO_PKG_VERSION") },
        "findings": result.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "summary": {
            "files": result.files,
            "findings": result.findings.len(),
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "elapsed_ms": result.elapsed.as_millis() as u64,
        }
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
