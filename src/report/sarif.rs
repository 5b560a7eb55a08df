//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards.

use serde_json::{Value, json};

use crate::docs::rule_url;
use crate::engine::ScanResult;
use crate::finding::{Finding, Severity};
use crate::rules::{RULES, docs_markdown};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encode a relative path for a URI reference.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(path: &str, range: Option<crate::finding::Range>, message: Option<&str>) -> Value {
    let mut physical = json!({
        "artifactLocation": { "uri": uri(path), "uriBaseId": "%SRCROOT%" }
    });
    if let Some(r) = range {
        physical["region"] = json!({
            "startLine": r.line,
            "startColumn": r.column,
            "endLine": r.end_line,
            "endColumn": r.end_column,
        });
    }
    let mut loc = json!({ "physicalLocation": physical });
    if let Some(m) = message {
        loc["message"] = json!({ "text": m });
    }
    loc
}

fn result_json(f: &Finding) -> Value {
    let rule_index = RULES.iter().position(|r| r.meta().id == f.rule);
    let mut text = f.message.clone();
    if !f.help.is_empty() {
        text.push_str(&format!(" Help: {}", f.help));
    }
    let mut v = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [location(&f.path, f.range, None)],
        "partialFingerprints": { "clerkGuard/v1": f.fingerprint },
    });
    if let Some(i) = rule_index {
        v["ruleIndex"] = json!(i);
    }
    if !f.related.is_empty() {
        v["relatedLocations"] = Value::Array(
            f.related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut l = location(&r.path, r.range, Some(&r.message));
                    l["id"] = json!(i);
                    l
                })
                .collect(),
        );
    }
    let mut props = serde_json::Map::new();
    if let Some(s) = &f.symbol {
        props.insert("symbol".into(), json!(s));
    }
    if let Some(r) = &f.route {
        props.insert("route".into(), json!(r));
    }
    if let Some(c) = &f.commit {
        props.insert("commit".into(), json!(c));
    }
    if !props.is_empty() {
        v["properties"] = Value::Object(props);
    }
    v
}

pub fn render(result: &ScanResult) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "helpUri": rule_url(m.id),
                "help": { "text": m.summary, "markdown": docs_markdown(m) },
                "defaultConfiguration": { "level": level(m.severity) },
                "properties": { "tags": ["security", m.group.as_str()] },
            })
        })
        .collect();
    let root_uri = format!(
        "file://{}/",
        uri(&result.root.to_string_lossy().replace('\\', "/"))
    );
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "clerk-guard",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/clerk-guard/clerk-guard",
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": root_uri } },
            "columnKind": "unicodeCodePoints",
            "results": result.findings.iter().map(result_json).collect::<Vec<_>>(),
        }]
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_uris() {
        assert_eq!(
            uri("app/(auth)/[id]/route.ts"),
            "app/(auth)/%5Bid%5D/route.ts"
        );
        assert_eq!(uri("a b/é.ts"), "a%20b/%C3%A9.ts");
    }
}
