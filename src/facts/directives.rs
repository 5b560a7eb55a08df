//! `'use client'` / `'use server'` directives, found by a byte-level scan of the prologue.

use serde::{Deserialize, Serialize};

use crate::finding::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Directive {
    UseClient,
    UseServer,
}

/// The module-level directive, if any, with the span of its string literal.
///
/// Reads the directive prologue: leading whitespace, comments, a hashbang and string-literal
/// statements. Stops at the first token that is not one of those.
pub fn module_directive(text: &str) -> Option<(Directive, Span)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        i = 3;
    }
    if bytes[i..].starts_with(b"#!") {
        i = line_end(bytes, i);
    }
    let mut found = None;
    loop {
        i = skip_trivia(bytes, i)?;
        match bytes.get(i) {
            Some(q @ (b'\'' | b'"')) => {
                let quote = *q;
                let start = i;
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != quote && bytes[j] != b'\n' {
                    if bytes[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if bytes.get(j) != Some(&quote) {
                    return found;
                }
                let content = &bytes[start + 1..j];
                let directive = match content {
                    b"use client" => Some(Directive::UseClient),
                    b"use server" => Some(Directive::UseServer),
                    _ => None,
                };
                i = j + 1;
                // A directive is a whole expression statement: `;`, a newline or `}`/EOF next.
                let k = skip_inline_ws(bytes, i);
                match bytes.get(k) {
                    None | Some(b';') | Some(b'\n') | Some(b'\r') | Some(b'/') => {}
                    _ => return found,
                }
                if let (Some(d), None) = (directive, found) {
                    found = Some((d, Span::new(start, j + 1)));
                }
                if bytes.get(k) == Some(&b';') {
                    i = k + 1;
                }
            }
            _ => return found,
        }
    }
}

/// Whether a function body (the text after its `{`) starts with a `'use server'` directive.
pub fn body_has_use_server(body: &str) -> bool {
    let bytes = body.as_bytes();
    let Some(i) = skip_trivia(bytes, 0) else {
        return false;
    };
    let rest = &bytes[i..];
    rest.starts_with(b"'use server'") || rest.starts_with(b"\"use server\"")
}

fn line_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i
}

fn skip_inline_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    i
}

/// The index past the blanks and comments that start at `at` (ASCII whitespace, `//` to the
/// end of its line, `/* … */`); `None` when a block comment never ends. The byte-level readers
/// of code share it (a directive, an object after a call's `(`, a config's `locales`).
pub(crate) fn skip_trivia(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        match bytes.get(at..) {
            Some([b'/', b'/', ..]) => at = line_end(bytes, at),
            Some([b'/', b'*', rest @ ..]) => at += 2 + memchr::memmem::find(rest, b"*/")? + 2,
            _ => return Some(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Option<Directive> {
        module_directive(text).map(|(d, _)| d)
    }

    #[test]
    fn finds_directives() {
        assert_eq!(d("'use client'\nimport x"), Some(Directive::UseClient));
        assert_eq!(d("\"use client\";"), Some(Directive::UseClient));
        assert_eq!(
            d("// hi\n/* x */\n'use server';\nexport"),
            Some(Directive::UseServer)
        );
        assert_eq!(d("'use strict';\n'use client'"), Some(Directive::UseClient));
        assert_eq!(d("\u{feff}'use client'"), Some(Directive::UseClient));
        assert_eq!(
            d("#!/usr/bin/env node\n'use client'"),
            Some(Directive::UseClient)
        );
        assert_eq!(d("'use client' // comment\n"), Some(Directive::UseClient));
    }

    #[test]
    fn ignores_non_directives() {
        assert_eq!(d("import x from 'y'\n'use client'"), None);
        assert_eq!(d("'use client'.length"), None);
        assert_eq!(d("const a = 'use client'"), None);
        assert_eq!(d("/* 'use client' */ export {}"), None);
        assert_eq!(d("'use clients'"), None);
        assert_eq!(d(""), None);
        assert_eq!(d("/* unterminated"), None);
        assert_eq!(d("'unterminated"), None);
    }

    #[test]
    fn function_bodies() {
        assert!(body_has_use_server("\n  'use server'\n  await db()"));
        assert!(body_has_use_server(" // c\n \"use server\";"));
        assert!(!body_has_use_server(" const x = 1; 'use server'"));
    }
}
