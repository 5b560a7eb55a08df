//! Baselines, for adopting clerk-guard on an existing app: `scan --write-baseline FILE` records
//! the current findings by fingerprint; `scan --baseline FILE` reports only the others.
//!
//! A fingerprint is rule id + path + normalised anchor text (the redacted key, or the source
//! line with whitespace collapsed) + occurrence, never a line number, so inserting lines above
//! a finding or re-indenting it leaves it baselined.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<serde_json::Value>,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
}

/// A baseline that cannot be read: exit status 2, with the file name.
#[derive(Debug)]
pub struct BaselineError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "baseline {}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for BaselineError {}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|f| Entry {
                rule: f.rule.to_string(),
                path: f.path.clone(),
                fingerprint: f.fingerprint.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        entries.dedup();
        Baseline {
            version: VERSION,
            tool: Some(serde_json::json!({
                "name": "clerk-guard",
                "version": env!("CARGO_PKG_VERSION"),
            })),
            findings: entries,
        }
    }

    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string());
        out.push('\n');
        out
    }

    pub fn parse(text: &str, path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            path: path.to_path_buf(),
            message,
        };
        let baseline: Baseline = serde_json::from_str(text)
            .map_err(|e| err(format!("not a clerk-guard baseline: {e}")))?;
        if baseline.version != VERSION {
            return Err(err(format!(
                "unsupported version {} (this clerk-guard reads version {VERSION})",
                baseline.version
            )));
        }
        Ok(baseline)
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let bytes =
            crate::limits::read_capped(path, crate::limits::BASELINE_MAX_BYTES).map_err(|e| {
                BaselineError {
                    path: path.to_path_buf(),
                    message: format!("cannot read: {e}"),
                }
            })?;
        let text = String::from_utf8_lossy(&bytes);
        Baseline::parse(&text, path)
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        std::fs::write(path, self.to_json()).map_err(|e| BaselineError {
            path: path.to_path_buf(),
            message: format!("cannot write: {e}"),
        })
    }

    /// How many entries match none of `findings` (fixed or gone since the baseline was written).
    pub fn stale(&self, findings: &[Finding]) -> usize {
        let current: HashSet<(&str, &str)> = findings
            .iter()
            .map(|f| (f.rule, f.fingerprint.as_str()))
            .collect();
        self.findings
            .iter()
            .filter(|e| !current.contains(&(e.rule.as_str(), e.fingerprint.as_str())))
            .count()
    }

    /// Drop the findings the baseline knows; returns how many were dropped.
    pub fn filter(&self, findings: &mut Vec<Finding>) -> usize {
        let known: HashSet<(&str, &str)> = self
            .findings
            .iter()
            .map(|e| (e.rule.as_str(), e.fingerprint.as_str()))
            .collect();
        let before = findings.len();
        findings.retain(|f| !known.contains(&(f.rule, f.fingerprint.as_str())));
        before - findings.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn finding(rule: &'static str, path: &str, fp: &str) -> Finding {
        let mut f = Finding::new(rule, Severity::Error, path);
        f.fingerprint = fp.to_string();
        f
    }

    #[test]
    fn round_trip_and_filter() {
        let old = vec![finding("a", "x.ts", "1"), finding("b", "y.ts", "2")];
        let b = Baseline::from_findings(&old);
        let parsed = Baseline::parse(&b.to_json(), Path::new("b.json")).unwrap();
        let mut now = vec![
            finding("a", "x.ts", "1"),
            finding("a", "x.ts", "3"),
            finding("b", "y.ts", "2"),
        ];
        assert_eq!(parsed.stale(&now), 0);
        assert_eq!(parsed.stale(&now[1..2]), 2);
        assert_eq!(parsed.filter(&mut now), 2);
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].fingerprint, "3");
    }

    #[test]
    fn malformed_baselines_name_the_file() {
        for text in [
            "",
            "[]",
            "{\"version\": 1}",
            "{\"version\": 2, \"findings\": []}",
            "{\"version\": 1, \"findings\": [{\"rule\": 1}]}",
            "\u{0}\u{ff}",
        ] {
            let e = Baseline::parse(text, Path::new("dir/base.json")).unwrap_err();
            assert!(e.to_string().starts_with("baseline dir/base.json: "), "{e}");
        }
    }
}
