//! Dotenv files and environment-variable reads in code.

use serde::{Deserialize, Serialize};

use crate::finding::Span;

/// One `NAME=value` assignment of a dotenv file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvEntry {
    pub name: String,
    pub name_span: Span,
    /// The value without quotes; never printed (it may be a secret).
    #[serde(skip)]
    pub value: String,
    pub value_span: Span,
}

/// Parse a dotenv file the way `dotenv`/`@next/env` read it: `export` prefixes, quotes,
/// `#` comments (inline only after whitespace in unquoted values), multi-line double quotes.
pub fn parse_dotenv(text: &str) -> Vec<EnvEntry> {
    let mut entries = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let line_end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let line = &text[pos..line_end];
        let trimmed_start = line.len()
            - line
                .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .len();
        let mut cursor = pos + trimmed_start;
        let mut rest = &text[cursor..line_end];
        if rest.starts_with('#') || rest.trim().is_empty() {
            pos = line_end + 1;
            continue;
        }
        if let Some(r) = rest.strip_prefix("export ") {
            let skipped = rest.len() - r.trim_start().len();
            cursor += skipped;
            rest = &text[cursor..line_end];
        }
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.' || *b == b'-')
            .count();
        if name_len == 0 {
            pos = line_end + 1;
            continue;
        }
        let name = &rest[..name_len];
        let name_span = Span::new(cursor, cursor + name_len);
        let after_name = &rest[name_len..];
        let ws = after_name.len() - after_name.trim_start().len();
        let after = &after_name[ws..];
        let Some(after_eq) = after.strip_prefix('=').or_else(|| after.strip_prefix(':')) else {
            pos = line_end + 1;
            continue;
        };
        let mut vstart = cursor + name_len + ws + 1;
        vstart += after_eq.len() - after_eq.trim_start().len();
        let (value, value_span, next) = read_value(text, vstart, line_end);
        entries.push(EnvEntry {
            name: name.to_string(),
            name_span,
            value,
            value_span,
        });
        pos = next;
    }
    entries
}

/// Read a value starting at `start`; returns (value, span, position after the value's line).
fn read_value(text: &str, start: usize, line_end: usize) -> (String, Span, usize) {
    let bytes = text.as_bytes();
    match bytes.get(start) {
        Some(q @ (b'"' | b'\'' | b'`')) => {
            let quote = *q;
            let search_end = if quote == b'"' || quote == b'`' {
                bytes.len()
            } else {
                line_end
            };
            let close = memchr(quote, &bytes[start + 1..search_end]).map(|i| start + 1 + i);
            match close {
                Some(close) => {
                    let after_line =
                        memchr(b'\n', &bytes[close..]).map_or(bytes.len(), |i| close + i);
                    (
                        text[start + 1..close].to_string(),
                        Span::new(start + 1, close),
                        after_line + 1,
                    )
                }
                None => {
                    let value = &text[start + 1..line_end];
                    (
                        value.to_string(),
                        Span::new(start + 1, line_end),
                        line_end + 1,
                    )
                }
            }
        }
        _ => {
            let raw = &text[start.min(line_end)..line_end];
            // An inline comment starts at ` #`.
            let cut = raw
                .char_indices()
                .find(|(i, c)| *c == '#' && (*i == 0 || raw[..*i].ends_with([' ', '\t'])))
                .map_or(raw.len(), |(i, _)| i);
            let value = raw[..cut].trim_end();
            let value = value.trim_end_matches('\r');
            (
                value.to_string(),
                Span::new(start, start + value.len()),
                line_end + 1,
            )
        }
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|b| *b == needle)
}

/// A read of `process.env.NAME` / `process.env['NAME']` / `import.meta.env.NAME` in code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvRead {
    pub name: String,
    pub span: Span,
}

/// One entry of the `env: { … }` object in `next.config.*`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigEnvEntry {
    pub name: String,
    pub span: Span,
    /// Environment variables the value reads (`process.env.CLERK_SECRET_KEY`).
    pub reads: Vec<String>,
    /// The value's span (secret literals inside it are found by the key scan).
    pub value_span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dotenv_forms() {
        let text = "# comment\nA=1\nexport B = \"two words\"  # c\nC='x#y'\nD=plain # trailing\nE=\"multi\nline\"\nF=\n  G=ok\nnot a line\nH=x#notcomment\r\n";
        let e = parse_dotenv(text);
        let got: Vec<(&str, &str)> = e
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("A", "1"),
                ("B", "two words"),
                ("C", "x#y"),
                ("D", "plain"),
                ("E", "multi\nline"),
                ("F", ""),
                ("G", "ok"),
                ("H", "x#notcomment"),
            ]
        );
        let b = &e[1];
        assert_eq!(&text[b.value_span.start..b.value_span.end], "two words");
        assert_eq!(&text[b.name_span.start..b.name_span.end], "B");
    }

    #[test]
    fn survives_garbage() {
        for text in [
            "=",
            "A=\"",
            "A='",
            "\u{feff}A=1",
            "A",
            "\n\n=x",
            "é=1",
            "A=`x",
        ] {
            let _ = parse_dotenv(text);
        }
    }
}
