//! Small text helpers for fixes: line boundaries, indentation, the file's code style.

/// Byte offset of the start of the line holding `at`.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// Byte offset just past the end of the line holding `at` (after its `\n`, or the end).
pub fn line_end(text: &str, at: usize) -> usize {
    text[at.min(text.len())..]
        .find('\n')
        .map(|i| at + i + 1)
        .unwrap_or(text.len())
}

/// The leading whitespace of the line holding `at`.
pub fn indent_at(text: &str, at: usize) -> &str {
    let s = line_start(text, at);
    let line = &text[s..];
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

/// One indentation step as the file writes it (two spaces unless it uses tabs or four).
pub fn indent_unit(text: &str) -> &'static str {
    let mut tabs = 0;
    let mut four = 0;
    let mut two = 0;
    for line in text.lines() {
        if line.starts_with('\t') {
            tabs += 1;
        } else if line.starts_with("    ") && !line.starts_with("     ") {
            four += 1;
        } else if line.starts_with("  ") && !line.starts_with("   ") {
            two += 1;
        }
    }
    if tabs > two + four {
        "\t"
    } else if four > two {
        "    "
    } else {
        "  "
    }
}

/// Whether the file ends its statements with semicolons.
pub fn uses_semicolons(text: &str) -> bool {
    let mut with = 0;
    let mut without = 0;
    for line in text.lines() {
        let t = line.trim_end();
        if t.is_empty() || t.starts_with("//") || t.starts_with('*') || t.starts_with("/*") {
            continue;
        }
        match t.chars().last() {
            Some(';') => with += 1,
            Some(')') | Some('\'') | Some('"') | Some('`') => without += 1,
            Some(c) if c.is_alphanumeric() => without += 1,
            _ => {}
        }
    }
    with > without
}

/// The quote the file uses for strings (`'` unless double quotes dominate).
pub fn quote(text: &str) -> char {
    let single = text.matches(" '").count() + text.matches("('").count();
    let double = text.matches(" \"").count() + text.matches("(\"").count();
    if double > single { '"' } else { '\'' }
}

/// Line terminator of the file.
pub fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The file's style, to write new statements as its own.
pub struct Style {
    pub semi: &'static str,
    pub q: char,
    pub nl: &'static str,
    pub unit: &'static str,
}

impl Style {
    pub fn of(text: &str) -> Style {
        Style {
            semi: if uses_semicolons(text) { ";" } else { "" },
            q: quote(text),
            nl: newline(text),
            unit: indent_unit(text),
        }
    }

    /// A string literal in the file's quotes.
    pub fn s(&self, v: &str) -> String {
        format!("{q}{v}{q}", q = self.q)
    }
}
