//! `--format gitlab`: a GitLab Code Quality report (a JSON array in the Code Climate issue
//! format), for `artifacts: reports: codequality` in `.gitlab-ci.yml`.

use serde_json::{Value, json};

use crate::engine::ScanResult;
use crate::finding::{Finding, Severity};

/// GitLab's scale is info < minor < major < critical < blocker.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

fn issue(f: &Finding) -> Value {
    let mut description = format!("{}: {}", f.rule, f.message);
    if let Some(commit) = &f.commit {
        description.push_str(&format!(" (commit {commit})"));
    }
    let begin = f.range.map_or(1, |r| r.line);
    let end = f.range.map_or(begin, |r| r.end_line);
    json!({
        "type": "issue",
        "description": description,
        "content": { "body": f.help },
        "check_name": f.rule,
        "categories": ["Security"],
        "fingerprint": f.fingerprint,
        "severity": severity(f.severity),
        "location": {
            "path": f.path,
            "lines": { "begin": begin, "end": end },
        },
    })
}

pub fn render(result: &ScanResult) -> String {
    let issues: Vec<Value> = result.findings.iter().map(issue).collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Range;

    #[test]
    fn project_level_findings_point_at_line_one() {
        let mut f = Finding::new("x", Severity::Warning, "package.json").message("m");
        f.fingerprint = "abc".into();
        let v = issue(&f);
        assert_eq!(v["location"]["lines"]["begin"], 1);
        assert_eq!(v["severity"], "major");
        f.range = Some(Range {
            line: 4,
            column: 2,
            end_line: 5,
            end_column: 1,
        });
        f.commit = Some("abc1234".into());
        let v = issue(&f);
        assert_eq!(v["location"]["lines"]["begin"], 4);
        assert_eq!(v["location"]["lines"]["end"], 5);
        assert_eq!(v["description"], "x: m (commit abc1234)");
    }
}
