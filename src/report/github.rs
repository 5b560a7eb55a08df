//! `--format github`: GitHub Actions workflow commands, one annotation per finding.

use crate::engine::ScanResult;
use crate::finding::Severity;

/// Escape a workflow-command message: `%`, CR and LF as the runner decodes them, every other
/// control character (a terminal escape in a file name) as `\u{1b}`.
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Escape a workflow-command property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(result: &ScanResult) -> String {
    let mut out = String::new();
    for f in &result.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = vec![format!("file={}", escape_property(&f.path))];
        if let Some(r) = f.range {
            props.push(format!("line={}", r.line));
            props.push(format!("col={}", r.column));
            props.push(format!("endLine={}", r.end_line));
            props.push(format!("endColumn={}", r.end_column));
        }
        props.push(format!("title={}", escape_property(f.rule)));
        let mut message = f.message.clone();
        if !f.help.is_empty() {
            message.push_str("\nhelp: ");
            message.push_str(&f.help);
        }
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x\ny"), "x%0Ay");
        assert_eq!(escape_data("a\r\x1b[2J\x07"), "a%0D\\u{1b}[2J\\u{7}");
    }
}
