//! Inline suppressions: `// clerk-guard-ignore <rule-id>[, <rule-id>]: <reason>` on the line
//! above a finding or at the end of its line (`# …` in dotenv and YAML files).

use crate::parse::NodeFields;
use serde::{Deserialize, Serialize};

use crate::finding::Span;
use crate::source::LineIndex;

pub const MARKER: &str = "clerk-guard-ignore";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// Rule ids (or group names) it names.
    pub rules: Vec<String>,
    /// 0-based line the suppression applies to.
    pub target_line0: usize,
    /// Span of the comment text, for reporting an unused suppression.
    pub span: Span,
    pub reason: Option<String>,
    /// `clerk-guard-ignore-file`: the whole file.
    pub file_wide: bool,
}

pub const FILE_MARKER: &str = "clerk-guard-ignore-file";

/// Find every suppression comment in a file.
pub fn find_suppressions(text: &str, lines: &LineIndex) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(MARKER) {
        let line0 = lines.line0(at);
        let Some((line_start, line_end)) = lines.line_range(text, line0) else {
            continue;
        };
        let before = &text[line_start..at];
        let Some(marker_pos) = comment_start(before) else {
            continue;
        };
        let own_line = before[..marker_pos]
            .trim_matches(|c: char| c.is_whitespace() || c == '{')
            .is_empty();
        let mut after = &text[at + MARKER.len()..line_end];
        let file_wide = after.starts_with("-file");
        if file_wide {
            after = &after["-file".len()..];
        }
        let after = after
            .trim_end()
            .trim_end_matches("*/}")
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim_end();
        let (ids, reason) = match after.split_once(':') {
            Some((ids, reason)) => (ids, Some(reason.trim().to_string())),
            None => (after, None),
        };
        let rules: Vec<String> = ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        out.push(Suppression {
            rules,
            target_line0: if own_line { line0 + 1 } else { line0 },
            span: Span::new(line_start + marker_pos, line_end),
            reason: reason.filter(|r| !r.is_empty()),
            file_wide,
        });
    }
    out
}

/// The last 0-based line of the JSX element or component declaration that starts on
/// `line0` (the line below a suppression comment): a suppression there covers everything
/// inside it. `None` when the line starts something else.
pub fn block_end_line0(rel: &str, text: &str, lines: &LineIndex, line0: usize) -> Option<usize> {
    let lang = crate::source::Lang::from_path(rel)?;
    let (start, end) = lines.line_range(text, line0)?;
    let first = text[start..end].find(|c: char| !c.is_whitespace())? + start;
    let tree = crate::parse::parse(lang, text)?;
    let mut n = tree.root_node().descendant_for_byte_range(first, first)?;
    let mut best = None;
    while n.start_byte() == first {
        let kind = n.kind();
        let component = |name: Option<tree_sitter::Node>| {
            name.and_then(|x| text.get(x.byte_range()))
                .and_then(|s| s.chars().next())
                .is_some_and(|c| c.is_ascii_uppercase())
        };
        let ok = match kind {
            "jsx_element" | "jsx_self_closing_element" => true,
            "function_declaration" | "class_declaration" => component(n.field("name")),
            "lexical_declaration" | "variable_declaration" => {
                n.named_child(0).is_some_and(|d| component(d.field("name")))
            }
            "export_statement" => n.field("declaration").is_some_and(|d| {
                (matches!(d.kind(), "function_declaration" | "class_declaration")
                    && (component(d.field("name"))
                        || text[n.byte_range()].starts_with("export default")))
                    || (d.kind() == "lexical_declaration"
                        && d.named_child(0).is_some_and(|x| component(x.field("name"))))
            }),
            _ => false,
        };
        if ok {
            best = Some(n);
        }
        match n.parent() {
            Some(p) => n = p,
            None => break,
        }
    }
    best.map(|b| lines.line0(b.end_byte().saturating_sub(1)))
}

/// Byte index of the comment opener that precedes the marker on its line.
fn comment_start(before: &str) -> Option<usize> {
    let trimmed = before.trim_end();
    for opener in ["//", "/*", "<!--", "#"] {
        if trimmed.ends_with(opener) {
            return Some(trimmed.len() - opener.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Suppression> {
        find_suppressions(text, &LineIndex::new(text))
    }

    #[test]
    fn own_line_and_trailing() {
        let s = parse(
            "// clerk-guard-ignore hardcoded-secret-key: test fixture\nconst k = 1;\nconst j = 2; // clerk-guard-ignore a, b\n",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].rules, vec!["hardcoded-secret-key"]);
        assert_eq!(s[0].target_line0, 1);
        assert_eq!(s[0].reason.as_deref(), Some("test fixture"));
        assert_eq!(s[1].rules, vec!["a", "b"]);
        assert_eq!(s[1].target_line0, 2);
    }

    #[test]
    fn other_comment_styles() {
        let s = parse(
            "  {/* clerk-guard-ignore x */}\n# clerk-guard-ignore y: r\nA=1 # clerk-guard-ignore z\n",
        );
        let rules: Vec<_> = s
            .iter()
            .map(|s| (s.rules[0].as_str(), s.target_line0))
            .collect();
        assert_eq!(rules, vec![("x", 1), ("y", 2), ("z", 2)]);
    }

    #[test]
    fn file_wide_and_blocks() {
        let s = parse("// clerk-guard-ignore-file a, b: generated\nconst x = 1\n");
        assert!(s[0].file_wide);
        assert_eq!(s[0].rules, vec!["a", "b"]);
        assert_eq!(s[0].reason.as_deref(), Some("generated"));
        let text = "export default function Page() {\n  return (\n    <main>\n      {/* clerk-guard-ignore x: demo */}\n      <Gate>\n        <p>a</p>\n      </Gate>\n    </main>\n  )\n}\nfunction helper() {\n  return 1\n}\n";
        let lines = LineIndex::new(text);
        // `<Gate>` on line 4 (0-based) ends on line 6.
        assert_eq!(block_end_line0("a.tsx", text, &lines, 4), Some(6));
        // A component declaration covers its body.
        assert_eq!(block_end_line0("a.tsx", text, &lines, 0), Some(9));
        // Not a component: a lower-case function is not a block.
        assert_eq!(block_end_line0("a.tsx", text, &lines, 10), None);
    }

    #[test]
    fn not_in_code() {
        assert!(parse("const s = 'clerk-guard-ignore x';").is_empty());
    }
}
