//! clerk-guard's own reports are never scanned: a SARIF, JSON or GitLab report written into the
//! scanned tree (`--output clerk-guard.sarif`, a CI artifact) quotes redacted keys and would
//! otherwise come back as findings on the next run.

use std::io::Read;
use std::path::Path;

/// How much of a file is looked at.
const HEAD: usize = 2048;

/// Whether the file at `abs` (named `rel`) is a report: by extension (`.sarif`, `.json`), then
/// by the start of its text.
pub fn is_report_file(rel: &str, abs: &Path) -> bool {
    if !has_report_extension(rel) {
        return false;
    }
    let mut head = Vec::with_capacity(HEAD);
    let Ok(file) = std::fs::File::open(abs) else {
        return false;
    };
    if file.take(HEAD as u64).read_to_end(&mut head).is_err() {
        return false;
    }
    is_report_text(&String::from_utf8_lossy(&head))
}

/// Like [`is_report_file`], for contents already read (a staged blob).
pub fn is_report(rel: &str, bytes: &[u8]) -> bool {
    has_report_extension(rel)
        && is_report_text(&String::from_utf8_lossy(&bytes[..bytes.len().min(HEAD)]))
}

fn has_report_extension(rel: &str) -> bool {
    // Asked of every file of a scan: no lowercase copy of its name.
    let ends_with = |ext: &str| {
        rel.len() >= ext.len()
            && rel.as_bytes()[rel.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
    };
    ends_with(".sarif") || ends_with(".json")
}

/// Whether a file's first bytes are those of a report clerk-guard writes.
pub fn is_report_text(head: &str) -> bool {
    let compact: String = head.chars().filter(|c| !c.is_whitespace()).collect();
    // SARIF (any tool's: a SARIF log is never source), with its schema first.
    if compact.starts_with("{\"$schema\":") && compact.contains("sarif") {
        return true;
    }
    // `--format json`: the findings first, each with a fingerprint.
    if compact.starts_with("{\"findings\":[")
        && (compact.starts_with("{\"findings\":[]") || compact.contains("\"fingerprint\":"))
    {
        return true;
    }
    // `--format gitlab`: a Code Quality array.
    compact.starts_with("[{")
        && compact.contains("\"check_name\":")
        && compact.contains("\"fingerprint\":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_extensions_whatever_their_case() {
        for rel in [
            "out.sarif",
            "a/b/REPORT.SARIF",
            "r.Json",
            ".json",
            "dir.sarif/x.json",
        ] {
            assert!(has_report_extension(rel), "{rel}");
        }
        for rel in ["out.sarif.txt", "json", "a/json", "x.jso", "x.sarifx", ""] {
            assert!(!has_report_extension(rel), "{rel}");
        }
    }

    #[test]
    fn recognises_reports_and_nothing_else() {
        assert!(is_report_text(
            "{\n  \"$schema\": \"https://example.org/sarif-schema-2.1.0.json\",\n  \"runs\": ["
        ));
        assert!(is_report_text(
            "{\n  \"findings\": [\n    {\n      \"column\": 1, \"fingerprint\": \"ab\""
        ));
        assert!(is_report_text("{\n  \"findings\": [],\n  \"summary\": {}"));
        assert!(is_report_text(
            "[\n  {\n    \"categories\": [], \"check_name\": \"x\", \"fingerprint\": \"y\""
        ));
        assert!(!is_report_text(
            "{\n  \"name\": \"app\",\n  \"dependencies\": {}"
        ));
        assert!(!is_report_text("{\"findings\": [\"a todo list\"]}"));
        assert!(!is_report_text("[1, 2, 3]"));
    }
}
