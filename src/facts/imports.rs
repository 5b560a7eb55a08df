//! Imports and re-exports of a JS/TS module, found by a byte-level scan (no tree-sitter).
//!
//! Two layers. A small lexer yields the significant tokens of the text and skips everything
//! else: comments, string and template contents (with nested `${}`), regular expression
//! literals (told from division by the previous significant token), and JSX text (an element
//! starts where an expression may start; only its `{…}` expressions are lexed as code). A
//! recogniser reads the statements that name another module from that token stream. A
//! statement it does not recognise hands its last token back to the main loop, so every byte is
//! visited a bounded number of times: the scan is linear and never panics, whatever the input.

use memchr::{memchr, memchr2, memchr3, memmem};
use serde::{Deserialize, Serialize};

use crate::finding::Span;
use crate::source::Lang;

/// How a module names another one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// `import x, { a as b } from 'm'`, `import * as ns from 'm'`, `import type { T } from 'm'`.
    Static,
    /// `import 'm'`.
    SideEffect,
    /// `export { a as b } from 'm'`, `export * as ns from 'm'`.
    ReExport,
    /// `export * from 'm'`.
    ReExportAll,
    /// `import('m')`, also inside `next/dynamic`'s `dynamic(() => import('m'))`.
    Dynamic,
    /// `require('m')`.
    Require,
}

/// One binding an import statement creates, or one name a re-export forwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportName {
    /// The name in the other module: `"default"`, `"*"` (namespace) or the exported name.
    pub imported: String,
    /// The local binding (imports) or the name this module exports it as (re-exports).
    pub local: String,
    /// `type X` specifier, or the whole statement is `import type` / `export type`.
    pub type_only: bool,
    /// Names this module re-exports the local binding under (`export { local as x }`,
    /// `export default local`); imports only.
    pub exported_as: Vec<String>,
}

/// One reference to another module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module specifier, unescaped (`./lib/auth`, `@clerk/nextjs/server`).
    pub source: String,
    /// Span of the specifier's content (inside the quotes).
    pub source_span: Span,
    pub kind: ImportKind,
    /// Erased at compile time: `import type`/`export type`, every named specifier is `type X`,
    /// or `typeof import('m')`.
    pub type_only: bool,
    pub names: Vec<ImportName>,
}

/// Everything the scan finds in one module.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleScan {
    pub imports: Vec<Import>,
    /// Names the module exports itself (declarations, `export { a as b }`, `export default`),
    /// not those of `export … from`. Used to follow `export *` chains.
    pub exports: Vec<String>,
}

impl ModuleScan {
    /// Whether the module has an `export * from`.
    pub fn exports_all(&self) -> bool {
        self.imports
            .iter()
            .any(|i| i.kind == ImportKind::ReExportAll)
    }
}

// Imports are stored in the facts cache (every script's, thousands per project) as tuples, not
// maps: field names repeated in every record made most of the cache's bytes and decode time.

impl Serialize for ImportName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (
            &self.imported,
            &self.local,
            self.type_only,
            &self.exported_as,
        )
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ImportName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (imported, local, type_only, exported_as) = Deserialize::deserialize(d)?;
        Ok(ImportName {
            imported,
            local,
            type_only,
            exported_as,
        })
    }
}

impl Serialize for Import {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (
            &self.source,
            self.source_span.start,
            self.source_span.end,
            self.kind,
            self.type_only,
            &self.names,
        )
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Import {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (source, start, end, kind, type_only, names) = Deserialize::deserialize(d)?;
        Ok(Import {
            source,
            source_span: Span::new(start, end),
            kind,
            type_only,
            names,
        })
    }
}

impl ModuleScan {
    /// The `stem_key`s of the stems the run-time (not type-only) imports' specifiers end in,
    /// sorted, each once.
    pub fn runtime_stem_keys(&self) -> Vec<u32> {
        let mut keys: Vec<u32> = self
            .imports
            .iter()
            .filter(|imp| !imp.type_only)
            .map(|imp| stem_key(specifier_stem(&imp.source)))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// A stem's key: 32 bits of its hash. Two stems that share a key only make a module look
/// imported by a name it does not have (whoever asks resolves the import to be sure).
pub fn stem_key(stem: &str) -> u32 {
    xxhash_rust::xxh3::xxh3_64(stem.as_bytes()) as u32
}

/// The stem of a specifier's last segment (`@/components/likes.client` → `likes`; `.` and
/// `..` → empty): the name by which it can point at a file.
pub fn specifier_stem(spec: &str) -> &str {
    let last = spec.rsplit('/').next().unwrap_or(spec);
    if last == "." || last == ".." {
        return "";
    }
    module_stem(last)
}

/// A module's name without its script extension, as an import names it: `image.actions.ts`
/// and `./image.actions` (or `./image.actions.js`) give `image.actions`, which `next/image`
/// and `./image.model` do not.
pub fn module_stem(name: &str) -> &str {
    const EXTENSIONS: &[&str] = &[".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"];
    EXTENSIONS
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .filter(|stem| !stem.is_empty())
        .unwrap_or(name)
}

/// The imports of a JS/TS/JSX/TSX text (JSX is recognised).
pub fn scan_imports(text: &str) -> Vec<Import> {
    scan_module(text, true).imports
}

/// The imports of a script file in the given language (`.ts` files have no JSX).
pub fn scan_file(lang: Lang, text: &str) -> Vec<Import> {
    scan_module(text, lang.has_jsx()).imports
}

/// Imports and local export names; `jsx` tells whether `<` may start a JSX element.
pub fn scan_module(text: &str, jsx: bool) -> ModuleScan {
    scan_module_to(text, jsx, true)
}

/// [`scan_module`]; with `stop_early`, lexing stops where no statement of interest can start
/// any more: past the last `import`, `export` and `require` of the text (as bytes, wherever
/// they lie). A `typeof` matters only before an `import`. What follows is the same tokens
/// either way, so the answer is too; about half the bytes of a tree's scripts lie there.
fn scan_module_to(text: &str, jsx: bool, stop_early: bool) -> ModuleScan {
    let bytes = text.as_bytes();
    let Some(last) = last_candidate_word(bytes) else {
        return ModuleScan::default();
    };
    let last = if stop_early { last } else { bytes.len() };
    let mut r = Recogniser {
        text,
        lx: Lexer::new(bytes, jsx),
        out: ModuleScan::default(),
        local_exports: Vec::new(),
    };
    let mut pending: Option<Tok> = None;
    let mut after_typeof = false;
    loop {
        let t = match pending.take() {
            Some(t) => t,
            // Every token from here on starts past the last candidate word.
            None if r.lx.i > last => break,
            None => r.lx.next_candidate(),
        };
        if t.k == K::Eof {
            break;
        }
        let typeof_before = after_typeof;
        after_typeof = false;
        // Only `import`, `export`, `require` and `typeof` matter: 6 or 7 bytes.
        if t.k != K::Ident || t.after_dot || !(6..=7).contains(&(t.end - t.start)) {
            continue;
        }
        match r.word(t) {
            "import" => pending = r.import(typeof_before),
            "export" => pending = r.export(),
            "require" => pending = r.require(),
            "typeof" => {
                // Only the very next token matters: no skipping.
                pending = Some(r.lx.next_tok());
                after_typeof = true;
            }
            _ => {}
        }
    }
    r.finish()
}

/// Where the last `import`, `export` or `require` of `bytes` starts (as bytes, wherever it
/// lies). Searched forward (the fast direction) in windows from the end that grow fourfold,
/// so that the bytes before the answer are mostly not read; the three words in one pass of one
/// SIMD searcher. Its search does not overlap matches: an occurrence that starts inside another's
/// (`requirexport`) is stepped over, but such an occurrence follows a letter, so it is no
/// token, and no token's occurrence can be stepped over (what precedes it is no letter).
fn last_candidate_word(bytes: &[u8]) -> Option<usize> {
    // Teddy (SIMD) itself: for three words the general automaton picks a rare-bytes
    // prefilter and runs its automaton at every candidate, which costs more than three
    // single-word searches.
    static WORDS: std::sync::LazyLock<Option<aho_corasick::packed::Searcher>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::packed::Config::new()
                .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
                .builder()
                .extend(["import", "export", "require"])
                .build()
        });
    let Some(words) = WORDS.as_ref() else {
        return last_candidate_word_by_finders(bytes);
    };
    let mut window = 4096;
    loop {
        // An occurrence that straddles the window's start lies inside the next window.
        let from = bytes.len().saturating_sub(window);
        if let Some(m) = words.find_iter(&bytes[from..]).last() {
            return Some(from + m.start());
        }
        if from == 0 {
            return None;
        }
        window = window.saturating_mul(4);
    }
}

/// [`last_candidate_word`] by a search per word (where the automaton cannot be built).
fn last_candidate_word_by_finders(bytes: &[u8]) -> Option<usize> {
    ["import", "export", "require"]
        .iter()
        .filter_map(|w| memmem::rfind(bytes, w.as_bytes()))
        .max()
}

// ---------------------------------------------------------------------------------------------
// Lexer

/// Token kinds; punctuation carries its (first) byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Ident,
    /// A string literal; `false` when a newline or EOF cut it short.
    Str(bool),
    /// A template literal part; `true` for a whole template without `${}`.
    Template(bool),
    Punct(u8),
    /// Number, regex, `...`, `?.`, the start of a JSX element, and the like.
    Other,
    Eof,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    k: K,
    start: usize,
    end: usize,
    /// A line break lies between this token and the previous one.
    nl_before: bool,
    /// The previous token was `.` or `?.` (a member name, not a keyword).
    after_dot: bool,
}

/// What an open `{`, `${` or JSX construct returns to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    Brace,
    TemplateExpr,
    JsxAttrExpr,
    JsxChildExpr,
    /// Inside `<Name attr=…` of an element.
    Tag,
    /// Between `<Name …>` and `</Name>`.
    Children,
}

/// Byte classes for the hot loops.
const C_OTHER: u8 = 0;
const C_WS: u8 = 1;
const C_NL: u8 = 2;
const C_IDENT: u8 = 3;
const C_DIGIT: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [C_OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b == b'\n' || b == b'\r' {
            C_NL
        } else if b == b' ' || b == b'\t' || b == 0x0b || b == 0x0c {
            C_WS
        } else if b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80 {
            C_IDENT
        } else if b.is_ascii_digit() {
            C_DIGIT
        } else {
            C_OTHER
        };
        i += 1;
    }
    t
};

#[inline]
fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

static IDENT: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(CLASS[i], C_IDENT | C_DIGIT);
        i += 1;
    }
    t
};

#[inline]
pub(crate) fn is_ident_byte(b: u8) -> bool {
    IDENT[b as usize]
}

/// Words that may start a statement of interest.
fn is_candidate(word: &[u8]) -> bool {
    matches!(word, b"import" | b"export" | b"require" | b"typeof")
}

/// Keywords after which an expression (so a regex or a JSX element) may start.
fn keyword_starts_expression(word: &[u8]) -> bool {
    if word.len() < 2 || word.len() > 10 || !word[0].is_ascii_lowercase() {
        return false;
    }
    matches!(
        word,
        b"return"
            | b"typeof"
            | b"instanceof"
            | b"in"
            | b"of"
            | b"new"
            | b"delete"
            | b"void"
            | b"throw"
            | b"case"
            | b"do"
            | b"else"
            | b"yield"
            | b"await"
            | b"extends"
    )
}

struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
    jsx: bool,
    stack: Vec<Frame>,
    /// The previous significant token lets an expression start here.
    expr_ok: bool,
    prev_dot: bool,
    /// Names and attributes seen in the innermost tag (for the generic-arrow bail-outs).
    tag_words: u32,
}

impl<'a> Lexer<'a> {
    fn new(b: &'a [u8], jsx: bool) -> Self {
        let mut i = 0;
        if b.starts_with(b"\xEF\xBB\xBF") {
            i = 3;
        }
        if b[i..].starts_with(b"#!") {
            i = memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p);
        }
        Lexer {
            b,
            i,
            jsx,
            stack: Vec::new(),
            expr_ok: true,
            prev_dot: false,
            tag_words: 0,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn tok(&mut self, k: K, start: usize, nl_before: bool, expr_ok_after: bool) -> Tok {
        let t = Tok {
            k,
            start,
            end: self.i,
            nl_before,
            after_dot: self.prev_dot,
        };
        self.expr_ok = expr_ok_after;
        self.prev_dot = false;
        t
    }

    /// The next token that may start a statement of interest (`import`, `export`, `require`,
    /// `typeof` not after a dot), or EOF; plain code before it is skipped without tokens.
    fn next_candidate(&mut self) -> Tok {
        loop {
            if matches!(
                self.stack.last(),
                None | Some(Frame::Brace)
                    | Some(Frame::TemplateExpr)
                    | Some(Frame::JsxAttrExpr)
                    | Some(Frame::JsxChildExpr)
            ) {
                self.skip_plain_code();
            }
            let t = self.next_tok();
            if t.k == K::Eof || (t.k == K::Ident && !t.after_dot && is_candidate(self.word(t))) {
                return t;
            }
        }
    }

    fn word(&self, t: Tok) -> &[u8] {
        &self.b[t.start..t.end]
    }

    /// The hot loop: whitespace, identifiers, numbers and punctuation that opens nothing, with
    /// the same state changes as [`Lexer::lex_code`]. Stops before anything else (strings,
    /// comments, `/`, braces, `<`, …) and before a candidate keyword.
    fn skip_plain_code(&mut self) {
        let b = self.b;
        let mut j = self.i;
        while j < b.len() {
            let c = b[j];
            match class(c) {
                C_WS | C_NL => j += 1,
                C_IDENT => {
                    let start = j;
                    j += 1;
                    while j < b.len() && is_ident_byte(b[j]) {
                        j += 1;
                    }
                    let word = &b[start..j];
                    if !self.prev_dot && is_candidate(word) {
                        j = start;
                        break;
                    }
                    self.expr_ok = !self.prev_dot && keyword_starts_expression(word);
                    self.prev_dot = false;
                }
                C_DIGIT => {
                    self.i = j;
                    self.skip_number();
                    j = self.i;
                    self.expr_ok = false;
                    self.prev_dot = false;
                }
                _ => match c {
                    b'(' | b',' | b';' | b':' | b'=' | b'*' | b'%' | b'&' | b'|' | b'^' | b'!'
                    | b'~' | b'@' | b'>' | b'[' => {
                        j += 1;
                        self.expr_ok = true;
                        self.prev_dot = false;
                    }
                    b')' | b']' => {
                        j += 1;
                        self.expr_ok = false;
                        self.prev_dot = false;
                    }
                    b'+' | b'-' => {
                        let doubled = b.get(j + 1) == Some(&c);
                        j += if doubled { 2 } else { 1 };
                        self.expr_ok = !doubled;
                        self.prev_dot = false;
                    }
                    b'.' if b
                        .get(j + 1)
                        .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'_' || *n == b'$') =>
                    {
                        j += 1;
                        self.expr_ok = false;
                        self.prev_dot = true;
                    }
                    _ => break,
                },
            }
        }
        self.i = j;
    }

    fn next_tok(&mut self) -> Tok {
        loop {
            if self.i >= self.b.len() {
                return Tok {
                    k: K::Eof,
                    start: self.b.len(),
                    end: self.b.len(),
                    nl_before: true,
                    after_dot: false,
                };
            }
            match self.stack.last() {
                Some(Frame::Tag) => {
                    if let Some(t) = self.lex_tag() {
                        return t;
                    }
                    continue;
                }
                Some(Frame::Children) => {
                    self.lex_children();
                    continue;
                }
                _ => {}
            }
            let nl = self.skip_trivia();
            if self.i >= self.b.len() {
                continue;
            }
            if let Some(t) = self.lex_code(nl) {
                return t;
            }
        }
    }

    /// Skip whitespace and comments; whether a line break was crossed.
    #[inline(always)]
    fn skip_trivia(&mut self) -> bool {
        let mut nl = false;
        let b = self.b;
        while self.i < b.len() {
            let c = b[self.i];
            match class(c) {
                C_WS => self.i += 1,
                C_NL => {
                    nl = true;
                    self.i += 1;
                }
                _ if c == b'/' => match self.at(self.i + 1) {
                    b'/' => self.skip_line(),
                    b'*' => {
                        let from = self.i + 2;
                        let end = find_block_end(b, from);
                        if memchr(b'\n', &b[from.min(end)..end]).is_some() {
                            nl = true;
                        }
                        self.i = (end + 2).min(b.len());
                    }
                    _ => return nl,
                },
                _ if c >= 0x80 && is_unicode_space(b, self.i) => {
                    self.i += unicode_space_len(b, self.i);
                }
                _ => return nl,
            }
        }
        nl
    }

    fn skip_line(&mut self) {
        self.i = memchr(b'\n', &self.b[self.i..]).map_or(self.b.len(), |p| self.i + p);
    }

    /// One token of code at `self.i` (not trivia); `None` when it only changed the mode.
    #[inline(always)]
    fn lex_code(&mut self, nl: bool) -> Option<Tok> {
        let b = self.b;
        let start = self.i;
        let c = b[start];
        match class(c) {
            C_IDENT => {
                let mut j = start + 1;
                while j < b.len() && is_ident_byte(b[j]) {
                    j += 1;
                }
                self.i = j;
                let after = keyword_starts_expression(&b[start..j]) && !self.prev_dot;
                return Some(self.tok(K::Ident, start, nl, after));
            }
            C_DIGIT => {
                self.skip_number();
                return Some(self.tok(K::Other, start, nl, false));
            }
            _ => {}
        }
        match c {
            b'"' | b'\'' => {
                let closed = self.skip_string(c);
                Some(self.tok(K::Str(closed), start, nl, false))
            }
            b'`' => {
                self.i += 1;
                let k = match self.skip_template_part() {
                    TemplateEnd::Closed => K::Template(true),
                    TemplateEnd::Expr => {
                        self.stack.push(Frame::TemplateExpr);
                        let t = self.tok(K::Template(false), start, nl, true);
                        return Some(t);
                    }
                    TemplateEnd::Eof => K::Template(false),
                };
                Some(self.tok(k, start, nl, false))
            }
            b'{' => {
                self.i += 1;
                self.stack.push(Frame::Brace);
                Some(self.tok(K::Punct(b'{'), start, nl, true))
            }
            b'}' => {
                self.i += 1;
                match self.stack.pop() {
                    Some(Frame::TemplateExpr) => {
                        if self.skip_template_part() == TemplateEnd::Expr {
                            self.stack.push(Frame::TemplateExpr);
                            return Some(self.tok(K::Template(false), start, nl, true));
                        }
                        Some(self.tok(K::Template(false), start, nl, false))
                    }
                    Some(Frame::JsxAttrExpr) | Some(Frame::JsxChildExpr) => {
                        // Back to the tag or the children: no token.
                        self.prev_dot = false;
                        self.tag_words = u32::MAX;
                        None
                    }
                    _ => Some(self.tok(K::Punct(b'}'), start, nl, true)),
                }
            }
            b'/' => {
                if self.expr_ok && self.skip_regex() {
                    Some(self.tok(K::Other, start, nl, false))
                } else {
                    self.i += 1;
                    if self.at(self.i) == b'=' {
                        self.i += 1;
                    }
                    Some(self.tok(K::Punct(b'/'), start, nl, true))
                }
            }
            b'<' if self.jsx && self.expr_ok && self.starts_jsx(start + 1) => {
                if self.at(start + 1) == b'>' {
                    self.i = start + 2;
                    self.stack.push(Frame::Children);
                } else {
                    self.i = start + 1;
                    self.stack.push(Frame::Tag);
                    self.tag_words = 0;
                }
                Some(self.tok(K::Other, start, nl, false))
            }
            b'.' => {
                if class(self.at(start + 1)) == C_DIGIT {
                    self.skip_number();
                    return Some(self.tok(K::Other, start, nl, false));
                }
                if b[start..].starts_with(b"...") {
                    self.i = start + 3;
                    return Some(self.tok(K::Other, start, nl, true));
                }
                self.i = start + 1;
                let t = self.tok(K::Punct(b'.'), start, nl, false);
                self.prev_dot = true;
                Some(t)
            }
            b'?' if self.at(start + 1) == b'.' && class(self.at(start + 2)) != C_DIGIT => {
                self.i = start + 2;
                let t = self.tok(K::Other, start, nl, false);
                self.prev_dot = true;
                Some(t)
            }
            b'+' | b'-' if self.at(start + 1) == c => {
                // `x++ / 2`: a postfix update usually ends an expression.
                self.i = start + 2;
                Some(self.tok(K::Other, start, nl, false))
            }
            b')' | b']' => {
                self.i = start + 1;
                Some(self.tok(K::Punct(c), start, nl, false))
            }
            b'#' => {
                // Private name `#x`.
                let mut j = start + 1;
                while j < b.len() && is_ident_byte(b[j]) {
                    j += 1;
                }
                self.i = j;
                Some(self.tok(K::Other, start, nl, false))
            }
            b'\\' => {
                // A unicode escape in an identifier: part of a name.
                let mut j = start + 1;
                while j < b.len() && (is_ident_byte(b[j]) || b[j] == b'{' || b[j] == b'}') {
                    j += 1;
                }
                self.i = j.max(start + 1);
                Some(self.tok(K::Other, start, nl, false))
            }
            _ => {
                self.i = start + 1;
                // Non-ASCII bytes were classed as identifier bytes above, so `c` is ASCII here.
                Some(self.tok(K::Punct(c), start, nl, true))
            }
        }
    }

    fn skip_number(&mut self) {
        let b = self.b;
        let mut j = self.i + 1;
        while j < b.len() && (is_ident_byte(b[j]) || b[j] == b'.') {
            j += 1;
        }
        self.i = j;
    }

    /// Skip a `'…'` / `"…"` literal at `self.i`; whether it was closed on its line.
    fn skip_string(&mut self, quote: u8) -> bool {
        let b = self.b;
        let mut j = self.i + 1;
        loop {
            match memchr3(quote, b'\\', b'\n', &b[j.min(b.len())..]) {
                None => {
                    self.i = b.len();
                    return false;
                }
                Some(p) => {
                    let at = j + p;
                    match b[at] {
                        b'\\' => {
                            // A line continuation (`\` CR LF) stays inside the string.
                            j = if b.get(at + 1) == Some(&b'\r') && b.get(at + 2) == Some(&b'\n') {
                                at + 3
                            } else {
                                at + 2
                            };
                        }
                        b'\n' => {
                            self.i = at;
                            return false;
                        }
                        _ => {
                            self.i = at + 1;
                            return true;
                        }
                    }
                }
            }
        }
    }

    /// Skip template text from `self.i` up to the closing backtick or a `${`.
    fn skip_template_part(&mut self) -> TemplateEnd {
        let b = self.b;
        let mut j = self.i;
        loop {
            match memchr3(b'`', b'\\', b'$', &b[j.min(b.len())..]) {
                None => {
                    self.i = b.len();
                    return TemplateEnd::Eof;
                }
                Some(p) => {
                    let at = j + p;
                    match b[at] {
                        b'\\' => j = at + 2,
                        b'`' => {
                            self.i = at + 1;
                            return TemplateEnd::Closed;
                        }
                        _ => {
                            if b.get(at + 1) == Some(&b'{') {
                                self.i = at + 2;
                                return TemplateEnd::Expr;
                            }
                            j = at + 1;
                        }
                    }
                }
            }
        }
    }

    /// Skip a regex literal at `self.i`; `false` (nothing consumed) when the line ends first.
    fn skip_regex(&mut self) -> bool {
        let b = self.b;
        let mut j = self.i + 1;
        let mut in_class = false;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 2,
                b'\n' | b'\r' => return false,
                b'[' => {
                    in_class = true;
                    j += 1;
                }
                b']' => {
                    in_class = false;
                    j += 1;
                }
                b'/' if !in_class => {
                    j += 1;
                    while j < b.len() && is_ident_byte(b[j]) {
                        j += 1;
                    }
                    self.i = j;
                    return true;
                }
                _ => j += 1,
            }
        }
        false
    }

    /// `<` at `i - 1` opens a JSX element: a name or `>` follows.
    fn starts_jsx(&self, i: usize) -> bool {
        let c = self.at(i);
        c == b'>' || (class(c) == C_IDENT)
    }

    /// Inside a tag: skip names, attributes and attribute strings up to `>`, `/>` or `{`.
    /// Returns a token only when the tag turns out not to be JSX (a TSX generic) and the
    /// lexer falls back to code.
    fn lex_tag(&mut self) -> Option<Tok> {
        let b = self.b;
        loop {
            self.skip_trivia();
            let &c = b.get(self.i)?;
            match c {
                b'/' if self.at(self.i + 1) == b'>' => {
                    self.i += 2;
                    self.stack.pop();
                    self.element_done();
                    return None;
                }
                b'>' => {
                    self.i += 1;
                    // `<T>(x: T) => x` in a .tsx file is a generic arrow function.
                    if self.tag_words == 1 && self.at(self.i) == b'(' && !self.inside_jsx() {
                        return self.bail();
                    }
                    if let Some(top) = self.stack.last_mut() {
                        *top = Frame::Children;
                    }
                    return None;
                }
                b'{' => {
                    self.i += 1;
                    self.stack.push(Frame::JsxAttrExpr);
                    self.expr_ok = true;
                    self.prev_dot = false;
                    return None;
                }
                b'"' | b'\'' => {
                    // JSX attribute strings may span lines and have no escapes.
                    self.i = memchr(c, &b[self.i + 1..]).map_or(b.len(), |p| self.i + 1 + p + 1);
                    self.tag_words = self.tag_words.saturating_add(1);
                }
                b'=' => self.i += 1,
                b'<' => {
                    // An element as an attribute value.
                    self.i += 1;
                    self.stack.push(Frame::Tag);
                    self.tag_words = 0;
                }
                _ if is_ident_byte(c) || c == b'-' || c == b':' || c == b'.' => {
                    let start = self.i;
                    while self.i < b.len()
                        && (is_ident_byte(b[self.i]) || matches!(b[self.i], b'-' | b':' | b'.'))
                    {
                        self.i += 1;
                    }
                    self.tag_words = self.tag_words.saturating_add(1);
                    // `<T extends X>(…) =>` and `<const T,>` are generics, not elements.
                    if self.tag_words == 2 && matches!(&b[start..self.i], b"extends") {
                        return self.bail();
                    }
                }
                _ => return self.bail(),
            }
        }
    }

    /// The innermost tag is not JSX after all: drop it and lex on as code (or as text of the
    /// enclosing children).
    fn bail(&mut self) -> Option<Tok> {
        self.stack.pop();
        match self.stack.last() {
            Some(Frame::Children) | Some(Frame::Tag) => {
                self.i += 1;
                self.tag_words = u32::MAX;
            }
            _ => {
                self.expr_ok = false;
                self.prev_dot = false;
            }
        }
        None
    }

    /// The innermost tag sits in JSX (children or another tag), not in code.
    fn inside_jsx(&self) -> bool {
        let n = self.stack.len();
        n >= 2 && matches!(self.stack[n - 2], Frame::Children | Frame::Tag)
    }

    /// An element closed: back to the enclosing children/tag, or to code after an expression.
    fn element_done(&mut self) {
        self.tag_words = u32::MAX;
        if !matches!(self.stack.last(), Some(Frame::Children) | Some(Frame::Tag)) {
            self.expr_ok = false;
            self.prev_dot = false;
        }
    }

    /// JSX text up to the next `<` or `{`.
    fn lex_children(&mut self) {
        let b = self.b;
        let Some(p) = memchr2(b'<', b'{', &b[self.i..]) else {
            self.i = b.len();
            return;
        };
        let at = self.i + p;
        if b[at] == b'{' {
            self.i = at + 1;
            self.stack.push(Frame::JsxChildExpr);
            self.expr_ok = true;
            self.prev_dot = false;
            return;
        }
        let mut j = at + 1;
        while j < b.len() && matches!(class(b[j]), C_WS | C_NL) {
            j += 1;
        }
        if b.get(j) == Some(&b'/') {
            // A closing tag `</Name>` or `</>`.
            self.i = memchr(b'>', &b[j..]).map_or(b.len(), |q| j + q + 1);
            self.stack.pop();
            self.element_done();
        } else {
            self.i = at + 1;
            self.stack.push(Frame::Tag);
            self.tag_words = 0;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TemplateEnd {
    Closed,
    Expr,
    Eof,
}

/// Offset of the `*/` closing a block comment whose body starts at `from` (or the end).
fn find_block_end(b: &[u8], mut from: usize) -> usize {
    while from < b.len() {
        match memchr(b'*', &b[from..]) {
            None => return b.len(),
            Some(p) => {
                let at = from + p;
                if b.get(at + 1) == Some(&b'/') {
                    return at;
                }
                from = at + 1;
            }
        }
    }
    b.len()
}

/// NBSP, BOM, line/paragraph separators and the other Unicode spaces JS treats as whitespace.
fn is_unicode_space(b: &[u8], i: usize) -> bool {
    unicode_space_len(b, i) > 0
}

fn unicode_space_len(b: &[u8], i: usize) -> usize {
    let rest = &b[i..];
    if rest.starts_with("\u{a0}".as_bytes()) {
        2
    } else if rest.starts_with("\u{feff}".as_bytes())
        || rest.starts_with("\u{2028}".as_bytes())
        || rest.starts_with("\u{2029}".as_bytes())
        || rest.starts_with("\u{3000}".as_bytes())
        || rest.starts_with("\u{202f}".as_bytes())
        || rest.starts_with("\u{205f}".as_bytes())
        || (rest.len() >= 3
            && rest[0] == 0xe2
            && rest[1] == 0x80
            && (0x80..=0x8a).contains(&rest[2]))
    {
        3
    } else {
        0
    }
}

// ---------------------------------------------------------------------------------------------
// Recogniser

struct Recogniser<'a> {
    text: &'a str,
    lx: Lexer<'a>,
    out: ModuleScan,
    /// `export { local as exported }` without `from`, and `export default local`.
    local_exports: Vec<(String, String)>,
}

impl<'a> Recogniser<'a> {
    fn word(&self, t: Tok) -> &'a str {
        if t.k == K::Ident {
            self.text.get(t.start..t.end).unwrap_or("")
        } else {
            ""
        }
    }

    fn is_word(&self, t: Tok, w: &str) -> bool {
        t.k == K::Ident && self.word(t) == w
    }

    /// A name in a specifier list: an identifier or a string (`{ "a-b" as c }`).
    fn name(&self, t: Tok) -> Option<String> {
        match t.k {
            K::Ident => Some(self.word(t).to_string()),
            K::Str(true) => self.literal(t).map(|(s, _)| s),
            _ => None,
        }
    }

    /// The content of a closed string literal or a template without substitutions.
    fn literal(&self, t: Tok) -> Option<(String, Span)> {
        match t.k {
            K::Str(true) | K::Template(true) if t.end >= t.start + 2 => {
                let span = Span::new(t.start + 1, t.end - 1);
                let raw = self.text.get(span.start..span.end)?;
                Some((unescape(raw), span))
            }
            _ => None,
        }
    }

    fn push(
        &mut self,
        kind: ImportKind,
        (source, source_span): (String, Span),
        stmt_type: bool,
        mut names: Vec<ImportName>,
    ) {
        if stmt_type {
            for n in &mut names {
                n.type_only = true;
            }
        }
        let type_only = stmt_type || (!names.is_empty() && names.iter().all(|n| n.type_only));
        self.out.imports.push(Import {
            source,
            source_span,
            kind,
            type_only,
            names,
        });
    }

    /// After `import`: a declaration, `import(…)` or neither. Returns a token to reprocess.
    fn import(&mut self, after_typeof: bool) -> Option<Tok> {
        let mut t = self.lx.next_tok();
        if let Some(src) = self.literal(t) {
            self.push(ImportKind::SideEffect, src, false, Vec::new());
            return None;
        }
        if t.k == K::Punct(b'(') {
            return self.call_argument(ImportKind::Dynamic, after_typeof);
        }
        let mut names = Vec::new();
        let mut stmt_type = false;
        if self.is_word(t, "type") {
            let t2 = self.lx.next_tok();
            if self.is_word(t2, "from") {
                // `import type from 'm'` (a default binding named `type`) or
                // `import type from from 'm'` (a type-only default binding named `from`).
                let t3 = self.lx.next_tok();
                if let Some(src) = self.literal(t3) {
                    names.push(name("default", "type", false));
                    self.push(ImportKind::Static, src, false, names);
                    return None;
                }
                if !self.is_word(t3, "from") {
                    return Some(t3);
                }
                let t4 = self.lx.next_tok();
                let Some(src) = self.literal(t4) else {
                    return Some(t4);
                };
                names.push(name("default", "from", true));
                self.push(ImportKind::Static, src, true, names);
                return None;
            }
            if t2.k == K::Punct(b',') {
                names.push(name("default", "type", false));
                t = self.lx.next_tok();
                if !matches!(t.k, K::Punct(b'*') | K::Punct(b'{')) {
                    return Some(t);
                }
            } else {
                stmt_type = true;
                t = t2;
            }
        }
        if t.k == K::Ident {
            // A default binding, then `,` or `from`.
            names.push(name("default", self.word(t), false));
            t = self.lx.next_tok();
            if t.k == K::Punct(b',') {
                t = self.lx.next_tok();
                if !matches!(t.k, K::Punct(b'*') | K::Punct(b'{')) {
                    return Some(t);
                }
            } else if matches!(t.k, K::Punct(b'*') | K::Punct(b'{')) {
                // `import defer * as ns from 'm'`: a phase keyword, not a
                // binding.
                names.pop();
            }
        }
        match t.k {
            K::Punct(b'*') => {
                let t2 = self.lx.next_tok();
                if !self.is_word(t2, "as") {
                    return Some(t2);
                }
                let t3 = self.lx.next_tok();
                if t3.k != K::Ident {
                    return Some(t3);
                }
                names.push(name("*", self.word(t3), false));
                t = self.lx.next_tok();
            }
            K::Punct(b'{') => {
                if let Err(t2) = self.specifiers(&mut names) {
                    return Some(t2);
                }
                t = self.lx.next_tok();
            }
            _ => {}
        }
        if !self.is_word(t, "from") {
            return Some(t);
        }
        let t2 = self.lx.next_tok();
        let Some(src) = self.literal(t2) else {
            return Some(t2);
        };
        self.push(ImportKind::Static, src, stmt_type, names);
        None
    }

    /// `{ a, b as c, type T, default as d, "x-y" as z }` after its `{`.
    fn specifiers(&mut self, names: &mut Vec<ImportName>) -> Result<(), Tok> {
        loop {
            let t = self.lx.next_tok();
            if t.k == K::Punct(b'}') {
                return Ok(());
            }
            let (imported, mut local, type_only, mut t) = if self.is_word(t, "type") {
                let t2 = self.lx.next_tok();
                if matches!(t2.k, K::Punct(b',') | K::Punct(b'}')) {
                    // A binding named `type`.
                    ("type".to_string(), None, false, t2)
                } else if self.is_word(t2, "as") {
                    let t3 = self.lx.next_tok();
                    if matches!(t3.k, K::Punct(b',') | K::Punct(b'}')) {
                        // `type as`: a type-only binding named `as`.
                        ("as".to_string(), None, true, t3)
                    } else if self.is_word(t3, "as") {
                        // `type as as x`.
                        let t4 = self.lx.next_tok();
                        let local = self.name(t4).ok_or(t4)?;
                        ("as".to_string(), Some(local), true, self.lx.next_tok())
                    } else {
                        // `type as x`: the binding `type`, renamed.
                        let local = self.name(t3).ok_or(t3)?;
                        ("type".to_string(), Some(local), false, self.lx.next_tok())
                    }
                } else {
                    let imported = self.name(t2).ok_or(t2)?;
                    (imported, None, true, self.lx.next_tok())
                }
            } else {
                let imported = self.name(t).ok_or(t)?;
                (imported, None, false, self.lx.next_tok())
            };
            if local.is_none() && self.is_word(t, "as") {
                let t2 = self.lx.next_tok();
                local = Some(self.name(t2).ok_or(t2)?);
                t = self.lx.next_tok();
            }
            let local = local.unwrap_or_else(|| imported.clone());
            names.push(ImportName {
                imported,
                local,
                type_only,
                exported_as: Vec::new(),
            });
            match t.k {
                K::Punct(b',') => {}
                K::Punct(b'}') => return Ok(()),
                _ => return Err(t),
            }
        }
    }

    /// After `import(` or `require(`: a literal argument makes it a reference.
    fn call_argument(&mut self, kind: ImportKind, type_only: bool) -> Option<Tok> {
        let t = self.lx.next_tok();
        let Some(src) = self.literal(t) else {
            return Some(t);
        };
        let t2 = self.lx.next_tok();
        // `import('m', { with: … })` takes options; `require` takes one argument.
        let closes =
            t2.k == K::Punct(b')') || (kind == ImportKind::Dynamic && t2.k == K::Punct(b','));
        if !closes {
            return Some(t2);
        }
        self.push(kind, src, type_only, Vec::new());
        None
    }

    fn require(&mut self) -> Option<Tok> {
        let t = self.lx.next_tok();
        if t.k != K::Punct(b'(') {
            return Some(t);
        }
        self.call_argument(ImportKind::Require, false)
    }

    /// After `export`.
    fn export(&mut self) -> Option<Tok> {
        let mut t = self.lx.next_tok();
        let mut stmt_type = false;
        if self.is_word(t, "type") {
            let t2 = self.lx.next_tok();
            if !matches!(t2.k, K::Punct(b'{') | K::Punct(b'*')) {
                // `export type Name = …`
                if t2.k == K::Ident {
                    self.out.exports.push(self.word(t2).to_string());
                    return None;
                }
                return Some(t2);
            }
            stmt_type = true;
            t = t2;
        }
        match t.k {
            K::Punct(b'*') => {
                let mut names = Vec::new();
                let mut kind = ImportKind::ReExportAll;
                let mut t2 = self.lx.next_tok();
                if self.is_word(t2, "as") {
                    let t3 = self.lx.next_tok();
                    let Some(ns) = self.name(t3) else {
                        return Some(t3);
                    };
                    names.push(name("*", &ns, false));
                    kind = ImportKind::ReExport;
                    t2 = self.lx.next_tok();
                }
                if !self.is_word(t2, "from") {
                    return Some(t2);
                }
                let t3 = self.lx.next_tok();
                let Some(src) = self.literal(t3) else {
                    return Some(t3);
                };
                self.push(kind, src, stmt_type, names);
                None
            }
            K::Punct(b'{') => {
                let mut names = Vec::new();
                if let Err(t2) = self.specifiers(&mut names) {
                    return Some(t2);
                }
                let t2 = self.lx.next_tok();
                if self.is_word(t2, "from") {
                    let t3 = self.lx.next_tok();
                    let Some(src) = self.literal(t3) else {
                        return Some(t3);
                    };
                    self.push(ImportKind::ReExport, src, stmt_type, names);
                    return None;
                }
                for n in names {
                    self.out.exports.push(n.local.clone());
                    // `export type { X }` exports X's type only: no value of the binding
                    // leaves the module (the compiler may still drop X's import).
                    if !stmt_type && !n.type_only {
                        self.local_exports.push((n.imported, n.local));
                    }
                }
                Some(t2)
            }
            K::Ident => self.export_declaration(t),
            _ => Some(t),
        }
    }

    /// `export default …`, `export const x`, `export async function f`, … : the exported name.
    fn export_declaration(&mut self, first: Tok) -> Option<Tok> {
        let mut t = first;
        if self.is_word(t, "default") {
            self.out.exports.push("default".to_string());
            let t2 = self.lx.next_tok();
            if t2.k != K::Ident {
                return Some(t2);
            }
            let t3 = self.lx.next_tok();
            let ends = match t3.k {
                K::Eof | K::Punct(b';') | K::Punct(b'}') => true,
                K::Ident | K::Str(_) => t3.nl_before,
                _ => false,
            };
            if ends {
                self.local_exports
                    .push((self.word(t2).to_string(), "default".to_string()));
            }
            return Some(t3);
        }
        // Modifiers and declaration keywords before the name.
        for _ in 0..4 {
            match self.word(t) {
                "declare" | "abstract" | "async" | "const" | "let" | "var" | "function"
                | "class" | "enum" | "interface" | "namespace" | "module" => {
                    t = self.lx.next_tok();
                    if t.k == K::Punct(b'*') {
                        t = self.lx.next_tok();
                    }
                }
                _ => break,
            }
        }
        if t.k != K::Ident || t.start == first.start {
            return Some(t);
        }
        let word = self.word(t);
        if matches!(word, "import" | "export" | "require") {
            return Some(t);
        }
        self.out.exports.push(word.to_string());
        None
    }

    fn finish(mut self) -> ModuleScan {
        // Kept for every script of the tree, and most have a name or two: no spare room.
        self.out.imports.shrink_to_fit();
        self.out.exports.shrink_to_fit();
        for i in &mut self.out.imports {
            i.names.shrink_to_fit();
        }
        for (local, exported) in std::mem::take(&mut self.local_exports) {
            let found = self
                .out
                .imports
                .iter_mut()
                .filter(|i| i.kind == ImportKind::Static)
                .flat_map(|i| i.names.iter_mut())
                .find(|n| n.local == local);
            if let Some(n) = found
                && !n.exported_as.contains(&exported)
            {
                n.exported_as.push(exported);
            }
        }
        self.out
    }
}

fn name(imported: &str, local: &str, type_only: bool) -> ImportName {
    ImportName {
        imported: imported.to_string(),
        local: local.to_string(),
        type_only,
        exported_as: Vec::new(),
    }
}

/// Drop the backslash of simple escapes (`\'`, `\\`); specifiers rarely have any.
fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::NodeFields;
    use crate::parse::NodeKind;

    /// [`stopping_early_finds_the_same`] over every script of a real tree:
    /// `CLERK_GUARD_BENCH_DIR=/path cargo test --release --lib stopping_early_on_a_tree -- --ignored`.
    #[test]
    #[ignore]
    fn stopping_early_on_a_tree() {
        let Ok(dir) = std::env::var("CLERK_GUARD_BENCH_DIR") else {
            eprintln!("set CLERK_GUARD_BENCH_DIR");
            return;
        };
        let mut stack = vec![std::path::PathBuf::from(dir)];
        let mut n = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                let name = entry.file_name();
                if name == ".git" || name == "node_modules" {
                    continue;
                }
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(path);
                    continue;
                }
                let Some(lang) = Lang::from_path(&path.to_string_lossy()) else {
                    continue;
                };
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                n += 1;
                let jsx = lang.has_jsx();
                assert_eq!(
                    scan_module_to(&text, jsx, true),
                    scan_module_to(&text, jsx, false),
                    "{}",
                    path.display()
                );
            }
        }
        eprintln!("{n} scripts");
    }

    #[test]
    fn last_candidate_word_across_windows() {
        let mut text = b"x".repeat(20_000);
        assert_eq!(last_candidate_word(&text), None);
        text[3..9].copy_from_slice(b"import");
        assert_eq!(last_candidate_word(&text), Some(3));
        // Straddling the first window's start.
        let at = 20_000 - 4096 - 3;
        text[at..at + 7].copy_from_slice(b"require");
        assert_eq!(last_candidate_word(&text), Some(at));
        text[19_990..19_996].copy_from_slice(b"export");
        assert_eq!(last_candidate_word(&text), Some(19_990));
        assert_eq!(last_candidate_word(b"export"), Some(0));
        assert_eq!(last_candidate_word(b""), None);
        // One word starting inside another is no token: the earlier one is the answer.
        assert_eq!(last_candidate_word(b"a requirexport b"), Some(2));
        assert_eq!(last_candidate_word(b"requir exportimport"), Some(13));
    }

    /// Stopping past the last candidate word finds what lexing to the end finds: every script
    /// of the test data, and texts whose last statement of interest ends them.
    #[test]
    fn stopping_early_finds_the_same() {
        let mut texts: Vec<(String, String)> = [
            "import a from 'a'",
            "const x = 1\nexport { x }",
            "const x = 1; export default x",
            "type T = typeof import('./t')",
            "const m = require('m')",
            "const s = `${require('m')}`",
            "const s = 'import x from \"y\"'",
            "// import x from 'y'",
            "import { a } from 'a'\nexport { a as b }",
            "const a = <A>{`import`}</A>;\nexport const b = 1",
            "export * from './x'\n/* export const z = 1 */",
            "const re = /import/; const x = 1",
            "exports.a = require('./a') ; module.exports = 1",
            "import",
            "export",
        ]
        .iter()
        .map(|t| ("inline".to_string(), t.to_string()))
        .collect();
        let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| {
                    [
                        "js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts", "vue", "svelte",
                    ]
                    .iter()
                    .any(|x| e == *x)
                }) && let Ok(text) = std::fs::read_to_string(&path)
                {
                    texts.push((path.display().to_string(), text));
                }
            }
        }
        assert!(texts.len() > 100);
        for (name, text) in &texts {
            // The one-pass search finds what a search per word finds (no occurrence here
            // overlaps another).
            assert_eq!(
                last_candidate_word(text.as_bytes()),
                last_candidate_word_by_finders(text.as_bytes()),
                "{name}"
            );
            for jsx in [false, true] {
                assert_eq!(
                    scan_module_to(text, jsx, true),
                    scan_module_to(text, jsx, false),
                    "{name} (jsx: {jsx})"
                );
            }
        }
    }

    /// One line per import: `kind source [type] imported>local …`.
    fn show(text: &str) -> Vec<String> {
        scan_imports(text).iter().map(describe).collect()
    }

    fn describe(i: &Import) -> String {
        let kind = match i.kind {
            ImportKind::Static => "static",
            ImportKind::SideEffect => "side-effect",
            ImportKind::ReExport => "re-export",
            ImportKind::ReExportAll => "re-export-all",
            ImportKind::Dynamic => "dynamic",
            ImportKind::Require => "require",
        };
        let mut s = format!("{kind} {}", i.source);
        if i.type_only {
            s.push_str(" (type)");
        }
        for n in &i.names {
            s.push(' ');
            if n.type_only && !i.type_only {
                s.push_str("type:");
            }
            if n.imported == n.local {
                s.push_str(&n.imported);
            } else {
                s.push_str(&format!("{}>{}", n.imported, n.local));
            }
            for e in &n.exported_as {
                s.push_str(&format!("=>{e}"));
            }
        }
        s
    }

    #[test]
    fn statement_forms() {
        let cases: &[(&str, &[&str])] = &[
            ("import x from 'm'", &["static m default>x"]),
            (
                "import x, { a as b, type T, c } from \"m\";",
                &["static m default>x a>b type:T c"],
            ),
            ("import * as ns from 'm'", &["static m *>ns"]),
            ("import x, * as ns from 'm'", &["static m default>x *>ns"]),
            ("import 'm'", &["side-effect m"]),
            ("import{a}from'm'", &["static m a"]),
            (
                "import type { A, B as C } from 'm'",
                &["static m (type) A B>C"],
            ),
            ("import type X from 'm'", &["static m (type) default>X"]),
            ("import type * as T from 'm'", &["static m (type) *>T"]),
            (
                "import { type A, type B } from 'm'",
                &["static m (type) A B"],
            ),
            ("import { type A, b } from 'm'", &["static m type:A b"]),
            ("import {} from 'm'", &["static m"]),
            ("import type from 'm'", &["static m default>type"]),
            ("import type, { a } from 'm'", &["static m default>type a"]),
            (
                "import type from from 'm'",
                &["static m (type) default>from"],
            ),
            ("import { type } from 'm'", &["static m type"]),
            ("import { type as } from 'm'", &["static m (type) as"]),
            ("import { type as x } from 'm'", &["static m type>x"]),
            (
                "import { type as as x } from 'm'",
                &["static m (type) as>x"],
            ),
            (
                "import { default as d, \"a-b\" as c } from 'm'",
                &["static m default>d a-b>c"],
            ),
            (
                "import json from './x.json' with { type: 'json' }",
                &["static ./x.json default>json"],
            ),
            ("import defer * as ns from 'm'", &["static m *>ns"]),
            ("export { a as b, c } from 'm'", &["re-export m a>b c"]),
            (
                "export { default } from './Button'",
                &["re-export ./Button default"],
            ),
            (
                "export { default as Card } from './Card'",
                &["re-export ./Card default>Card"],
            ),
            ("export * from 'm'", &["re-export-all m"]),
            ("export * as ns from 'm'", &["re-export m *>ns"]),
            ("export type { A } from 'm'", &["re-export m (type) A"]),
            ("export type * from 'm'", &["re-export-all m (type)"]),
            ("export { type A, B } from 'm'", &["re-export m type:A B"]),
            ("const m = import('m')", &["dynamic m"]),
            ("const m = await import(\"m\")", &["dynamic m"]),
            ("import(`m`)", &["dynamic m"]),
            ("import(`./${x}`)", &[]),
            ("import(name)", &[]),
            ("import('m', { with: { type: 'json' } })", &["dynamic m"]),
            (
                "import(/* webpackChunkName: \"c\" */ './c')",
                &["dynamic ./c"],
            ),
            (
                "const Chart = dynamic(() => import('@/components/Chart'), { ssr: false })",
                &["dynamic @/components/Chart"],
            ),
            ("type M = typeof import('./m')", &["dynamic ./m (type)"]),
            ("const a = require('m')", &["require m"]),
            ("const { a } = require(`m`)", &["require m"]),
            ("require('a', 'b')", &[]),
            ("require(x)", &[]),
            ("require.resolve('m')", &[]),
            ("obj.require('m'); obj.import('m'); x.export", &[]),
            ("import.meta.url; import.meta.env.X", &[]),
            ("import x = require('m')", &["require m"]),
            ("export const x = require('m')", &["require m"]),
            ("import(require('m'))", &["require m"]),
            (
                "import a from 'a'\nimport b from 'b'",
                &["static a default>a", "static b default>b"],
            ),
            ("import x from 'a\\'b'", &["static a'b default>x"]),
            (
                "import x from 'a'\nexport default x\nimport y from 'b'",
                &["static a default>x=>default", "static b default>y"],
            ),
            (
                "declare module 'm' {\n  import { A } from 'n';\n}",
                &["static n A"],
            ),
            ("const files = import.meta.glob('./x/*.ts')", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(show(text), *want, "{text}");
        }
    }

    #[test]
    fn skips_what_is_not_code() {
        let cases: &[(&str, &[&str])] = &[
            (
                "// import x from 'y'\nimport z from 'z'",
                &["static z default>z"],
            ),
            ("/* import x from 'y' */", &[]),
            ("/* unterminated import x from 'y'", &[]),
            ("const s = \"require('x')\"", &[]),
            ("const s = 'import x from \"y\"'", &[]),
            (
                "const s = 'unterminated\nimport z from 'z'",
                &["static z default>z"],
            ),
            ("const t = `import x from 'y'`", &[]),
            (
                "const t = `a ${ `import(${'x'})` } b`; import('z')",
                &["dynamic z"],
            ),
            ("const t = `${ require('inner') }`", &["require inner"]),
            ("const t = `${ {a: '}'} } import('no')`", &[]),
            ("const r = /import x from 'y'/g", &[]),
            ("const r = /['\"`]/; import('z')", &["dynamic z"]),
            ("const r = /[/]import('x')/", &[]),
            ("const q = a / 2 / import('z')", &["dynamic z"]),
            ("const q = a / 2; import('z'); b / 3", &["dynamic z"]),
            ("const q = f(x) / 2; import('z'); b / 3", &["dynamic z"]),
            ("x = y / 'import(\"q\")'.length", &[]),
            ("if (a) return /'/.test(s); import('z')", &["dynamic z"]),
            ("const x = a++ / 2; import('z')", &["dynamic z"]),
            ("#!/usr/bin/env node\nrequire('z')", &["require z"]),
            ("\u{feff}import 'z'", &["side-effect z"]),
            ("const x = 1.5e3 / import('z')", &["dynamic z"]),
        ];
        for (text, want) in cases {
            assert_eq!(show(text), *want, "{text:?}");
        }
    }

    #[test]
    fn skips_jsx_text() {
        let cases: &[(&str, &[&str])] = &[
            (
                "const a = <p>Don't import x from 'y' // here</p>;\nimport z from 'z'",
                &["static z default>z"],
            ),
            (
                "return (<div title=\"import('t')\" data-x='it`s'>\n  <code>require('x')</code>\n  {show && <b>it's</b>}\n</div>); require('z')",
                &["require z"],
            ),
            (
                "const e = <C render={() => import('inner')} />",
                &["dynamic inner"],
            ),
            (
                "const e = <>{`${require('t')}`} and 'text</>; import('z')",
                &["require t", "dynamic z"],
            ),
            ("const f = <T,>(x: T) => x; import('z')", &["dynamic z"]),
            (
                "const g = <T extends unknown>(x: T) => x; import('z')",
                &["dynamic z"],
            ),
            ("const h = <T>(x: T) => x; import('z')", &["dynamic z"]),
            ("const c = a < b; import('z')", &["dynamic z"]),
            ("if (a <b) { import('z') }", &["dynamic z"]),
            (
                "const n = <a.b x:y=\"1\" {...p}>t</a.b>; import('z')",
                &["dynamic z"],
            ),
            (
                "<Outer attr=<Inner /> >text 'q</Outer>; import('z')",
                &["dynamic z"],
            ),
            (
                "const u = <div>{/* import('c') */}it's</div>; import('z')",
                &["dynamic z"],
            ),
            ("const v = <p>unterminated import x from 'y'", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(show(text), *want, "{text:?}");
        }
        // Without JSX (a `.ts` file), `<T>x` is a type assertion and `<` never opens JSX.
        let ts = scan_module("const a = <any>b; const c = x < y; import('z')", false);
        assert_eq!(
            ts.imports.iter().map(describe).collect::<Vec<_>>(),
            ["dynamic z"]
        );
    }

    #[test]
    fn spans_cover_the_specifier() {
        let text = "import a from './a';\nexport * from \"./b\";\nconst c = import(`./c`);";
        for i in scan_imports(text) {
            assert_eq!(&text[i.source_span.start..i.source_span.end], i.source);
        }
    }

    #[test]
    fn local_exports() {
        let text = "import { a, b as c } from './x';\nimport * as ns from './ns';\nimport d from './d';\nexport { a, c as cc, ns };\nexport default d\nexport const k = 1, z = 2;\nexport async function* gen() {}\nexport abstract class K {}\nexport type T = 1;\nexport { local as renamed };\nexport const { destructured } = o;\n";
        let m = scan_module(text, false);
        let got: Vec<String> = m.imports.iter().map(describe).collect();
        assert_eq!(
            got,
            [
                "static ./x a=>a b>c=>cc",
                "static ./ns *>ns=>ns",
                "static ./d default>d=>default"
            ]
        );
        assert_eq!(
            m.exports,
            ["a", "cc", "ns", "default", "k", "gen", "K", "T", "renamed"]
        );
        // `export default` of an expression is not a re-export of the binding.
        let m = scan_module(
            "import d from './d';\nexport default d(1);\nexport default function f() {}",
            false,
        );
        assert!(m.imports[0].names[0].exported_as.is_empty());
        assert_eq!(m.exports, ["default", "default"]);
    }

    #[test]
    fn file_facts_carry_imports_of_source_scripts_only() {
        use crate::source::{FileKind, InputFile, Origin};
        let text = "import a from './a';\nconst x = <T>y;\nimport('./b');\n";
        let facts = |rel: &str, origin: Origin| {
            let input = InputFile {
                rel: rel.to_string(),
                abs: rel.into(),
                kind: FileKind::classify(rel),
                origin,
            };
            crate::facts::extract(&input, text.to_string())
                .imports()
                .iter()
                .map(describe)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            facts("lib/x.ts", Origin::default()),
            ["static ./a default>a", "dynamic ./b"]
        );
        // In a .tsx file `<T>y;…` opens a JSX element that swallows the rest.
        assert_eq!(
            facts("lib/x.tsx", Origin::default()),
            ["static ./a default>a"]
        );
        assert!(facts("README.md", Origin::default()).is_empty());
        let built = Origin {
            build_output: true,
            ..Origin::default()
        };
        assert!(facts(".next/static/chunks/x.js", built).is_empty());
    }

    /// Deterministic pseudo-random bytes.
    fn noise(seed: u64, len: usize, alphabet: &[u8]) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                alphabet[(x % alphabet.len() as u64) as usize]
            })
            .collect()
    }

    #[test]
    fn never_panics_and_spans_stay_in_bounds() {
        let alphabet = b"import export from require type as default ( ) { } [ ] < > / * ` ' \" \\ $ , ; = . ! ? \n 0 x";
        for seed in 1..400u64 {
            for jsx in [true, false] {
                let bytes = noise(seed, 600, alphabet);
                let text = String::from_utf8_lossy(&bytes);
                for i in scan_module(&text, jsx).imports {
                    assert!(i.source_span.end <= text.len());
                    assert!(text.get(i.source_span.start..i.source_span.end).is_some());
                }
            }
        }
        // Invalid UTF-8, decoded lossily, and stray non-ASCII around tokens.
        let text = crate::facts::decode(b"import \xff\xfe x from 'm\xff'; import('\xc3')".to_vec());
        let got = show(&text);
        assert_eq!(got, ["dynamic \u{fffd}"]);
        for text in [
            "import",
            "export",
            "require(",
            "import(",
            "export {",
            "import {a as",
            "`${",
            "<a",
            "</",
            "/",
            "'",
            "\\",
        ] {
            let _ = scan_imports(text);
        }
    }

    #[test]
    fn linear_on_hostile_input() {
        let inputs = [
            "import {import,".repeat(200_000),
            "export {".repeat(200_000),
            "{".repeat(1_000_000),
            "`${".repeat(300_000),
            "<a>".repeat(300_000),
            "<a b={".repeat(200_000),
            "/".repeat(1_000_000),
            "'a".repeat(500_000),
            "require(require(".repeat(100_000),
        ];
        for text in &inputs {
            let start = std::time::Instant::now();
            let _ = scan_imports(text);
            let secs = start.elapsed().as_secs_f64();
            assert!(secs < 5.0, "{} bytes took {secs:.2}s", text.len());
        }
    }

    /// Throughput on a realistic module repeated to 8 MB (and on the files under
    /// `$CLERK_GUARD_BENCH_DIR` when set):
    /// `cargo test --release --lib facts::imports::tests::throughput -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn throughput() {
        let module = r#"'use client';
import { useUser, SignedIn } from '@clerk/nextjs';
import { useState, useEffect } from 'react';
import type { Props } from './types';
import { Button, Card } from '@acme/ui';
export const config = { refund: [], image: false, member: 169, minimal: 'dispute' };
/** Docs for the component. */
export function Panel(user: Record<string, unknown>, limit: number = 341): boolean {
  const keys = Object.keys(user).slice(0, limit); // a comment
  let total = 0;
  for (const key of keys) {
    const value = (user as any)[key];
    if (typeof value === 'number' && value > 25) total += value / 2;
    else if (/^[a-z]+$/i.test(key)) total += `${key}-${value}`.length;
  }
  return <div className="panel" onClick={() => setOpen(!open)}>Total: {total} isn't it</div>;
}
const Chart = dynamic(() => import('@/components/Chart'));
"#;
        let mut text = String::new();
        while text.len() < 8 << 20 {
            text.push_str(module);
        }
        let mut texts = vec![("synthetic".to_string(), text)];
        if let Ok(dir) = std::env::var("CLERK_GUARD_BENCH_DIR") {
            let mut all = String::new();
            let mut stack = vec![std::path::PathBuf::from(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    let p = e.path();
                    let name = e.file_name().to_string_lossy().into_owned();
                    if p.is_dir() && name != "node_modules" && name != ".next" {
                        stack.push(p);
                    } else if Lang::from_path(&name).is_some() {
                        all.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
                        all.push('\n');
                    }
                }
            }
            texts.push(("corpus".to_string(), all));
        }
        for (name, text) in texts {
            let start = std::time::Instant::now();
            let mut n = 0;
            for _ in 0..5 {
                n += scan_imports(&text).len();
            }
            let secs = start.elapsed().as_secs_f64() / 5.0;
            println!(
                "{name}: {:.1} MB in {:.1} ms: {:.0} MB/s ({} imports)",
                text.len() as f64 / 1e6,
                secs * 1e3,
                text.len() as f64 / 1e6 / secs,
                n / 5
            );
        }
    }

    /// Sources tree-sitter sees in a file: import/export-from sources, `import()` and
    /// one-argument `require()` with a literal.
    fn tree_sitter_sources(lang: Lang, text: &str) -> Option<Vec<String>> {
        let tree = crate::parse::parse(lang, text)?;
        if tree.root_node().has_error() {
            return None;
        }
        let literal = |n: tree_sitter::Node| -> Option<String> {
            let raw = text.get(n.byte_range())?;
            match n.kind_str() {
                "string" => Some(unescape(&raw[1..raw.len() - 1])),
                "template_string" if n.named_child_count() == 0 => {
                    Some(raw[1..raw.len() - 1].to_string())
                }
                _ => None,
            }
        };
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            match n.kind_str() {
                "import_statement" | "export_statement" => {
                    if let Some(s) = n.field("source").and_then(literal) {
                        out.push(s);
                    }
                }
                "import_require_clause" => {
                    if let Some(s) = n.field("source").and_then(literal) {
                        out.push(s);
                    }
                }
                "call_expression" => {
                    let f = n.field("function");
                    let args = n.field("arguments");
                    if let (Some(f), Some(args)) = (f, args) {
                        let mut cursor = args.walk();
                        let values: Vec<_> = args
                            .named_children(&mut cursor)
                            .filter(|a| a.kind_str() != "comment")
                            .collect();
                        let first = values.first().copied();
                        let is_import = f.kind_str() == "import";
                        let is_require = f.kind_str() == "identifier"
                            && text.get(f.byte_range()) == Some("require")
                            && values.len() == 1;
                        if (is_import || is_require)
                            && let Some(s) = first.and_then(literal)
                        {
                            out.push(s);
                        }
                    }
                }
                _ => {}
            }
            let mut cursor = n.walk();
            stack.extend(n.children(&mut cursor));
        }
        out.sort();
        Some(out)
    }

    /// The scanner agrees with tree-sitter on every parsable file under
    /// `$CLERK_GUARD_BENCH_DIR`:
    /// `CLERK_GUARD_BENCH_DIR=/path cargo test --release --lib agrees_with_tree_sitter -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn agrees_with_tree_sitter() {
        let Ok(dir) = std::env::var("CLERK_GUARD_BENCH_DIR") else {
            eprintln!("set CLERK_GUARD_BENCH_DIR");
            return;
        };
        let (mut files, mut skipped, mut mismatches) = (0, 0, Vec::new());
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if p.is_dir() {
                    if name != "node_modules" && name != ".next" && name != ".git" {
                        stack.push(p);
                    }
                    continue;
                }
                let Some(lang) = Lang::from_path(&name) else {
                    continue;
                };
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                if text.len() > crate::facts::PARSE_SIZE_CAP {
                    continue;
                }
                let Some(want) = tree_sitter_sources(lang, &text) else {
                    skipped += 1;
                    continue;
                };
                files += 1;
                let mut got: Vec<String> = scan_file(lang, &text)
                    .into_iter()
                    .map(|i| i.source)
                    .collect();
                got.sort();
                if got != want {
                    mismatches.push(format!(
                        "{}: scanner {got:?} tree-sitter {want:?}",
                        p.display()
                    ));
                }
            }
        }
        for m in mismatches.iter().take(20) {
            println!("{m}");
        }
        println!(
            "{files} files compared, {skipped} with syntax errors skipped, {} differ",
            mismatches.len()
        );
        assert!(mismatches.is_empty());
    }
}
