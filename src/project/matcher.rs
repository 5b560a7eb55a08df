//! URL path matcher engine.
//!
//! This module decides whether a request path (e.g. `/api/users/1`) is matched
//! by the path patterns that Next.js middleware (`export const config = {
//! matcher }`) and Clerk's `createRouteMatcher([...])` accept. Both tools feed
//! their patterns through [path-to-regexp] **6.x** (6.3.0 at the time of
//! writing), which turns a pattern such as `/dashboard/:path*` or
//! `/((?!_next|[^?]*\.(?:html?|css)).*)` into an ECMAScript regular
//! expression. This module contains an independent Rust implementation of the
//! 6.x tokenizer, parser and regex compiler; the generated ECMAScript source is
//! compiled and executed with the [`regress`] crate, which (unlike `regex`)
//! supports lookahead/lookbehind and JavaScript's Annex-B syntax.
//!
//! All inputs are the *values* of the JavaScript strings, i.e. the TypeScript
//! literal `'/(.*)\\.png'` must be passed as the Rust string `/(.*)\.png`.
//!
//! # Public API
//!
//! ```text
//! pub struct PatternError { pub message: String }            // Display + Error
//! pub struct PatternOptions { sensitive, strict, end, start,   // path-to-regexp options
//!                             delimiter, prefixes, ends_with }
//!     PatternOptions::PATH_TO_REGEXP_DEFAULT / NEXT_MATCHER / CLERK_ROUTE_MATCHER
//! pub struct NextMatcherOptions { base_path, i18n, locale_false, conditional,
//!                                 legacy_json_suffix }            // Default = plain app
//! pub enum PatternKind { PathToRegexp, NextMatcher, NextDefault, ClerkRoute, JsRegExp, Never }
//! pub struct PathPattern
//!     PathPattern::compile(source, &PatternOptions) -> Result<Self, PatternError>
//!     PathPattern::next_matcher(source) -> Result<Self, PatternError>
//!     PathPattern::next_matcher_with(source, &NextMatcherOptions) -> Result<Self, PatternError>
//!     PathPattern::next_default_matcher() -> Result<Self, PatternError>
//!     PathPattern::clerk_route(source) -> Result<Self, PatternError>
//!     PathPattern::from_js_regex(source, flags) -> Result<Self, PatternError>
//!     .source() .regex_source() .flags() .kind() .is_conditional()
//!     .is_match(path) -> bool      .find(path) -> Option<&str>
//! pub fn parse(source, &PatternOptions) -> Result<Vec<Token>, PatternError>
//! pub fn tokens_to_regex_source(&[Token], &PatternOptions) -> Result<String, PatternError>
//! pub fn path_to_regex_source(source, &PatternOptions) -> Result<String, PatternError>
//! pub fn normalize_clerk_path(path) -> Result<String, PatternError>
//! pub fn sample_paths(route_url) -> Vec<String>
//! ```
//!
//! # Semantics reproduced
//!
//! * **path-to-regexp 6.3.0** (pillarjs/path-to-regexp, branch `6.x`): named
//!   parameters `:name` (default pattern `[^\/#\?]+?`, or the 6.3.0 backtrack
//!   protected `(?:(?!prev)[^\/#\?])+?` when the preceding text contains no
//!   delimiter), custom patterns `(...)`, unnamed groups, modifiers `? * +`,
//!   `{...}` groups with prefix/suffix, `\` escapes, auto prefixes `./`, and
//!   the options `sensitive`, `strict`, `end`, `start`, `delimiter`,
//!   `endsWith`, `prefixes`. Error messages match upstream (indexes are UTF-16
//!   offsets, like JavaScript's).
//! * **Next.js middleware matcher** (`getMiddlewareMatchers` in
//!   `packages/next/src/build/analysis/get-page-static-info.ts`,
//!   `tryToParsePath` in `packages/next/src/lib/try-to-parse-path.ts`,
//!   `SourceSchema` in `build/segment-config/middleware/middleware-config.ts`):
//!   the source must start with `/` and be at most 4096 UTF-16 units; it is
//!   wrapped as `/:nextData(_next/data/[^/]{1,})?<source>{(\.json)}?` (root
//!   `/` gets `(/?index|/?index\.json)?` instead), optionally prefixed by the
//!   i18n locale parameter and `basePath`; a token that repeats without
//!   prefix/suffix gets prefix `/` (Next's `normalizeTokensForRegexp`
//!   fallback); only the regex *source* is kept and it is evaluated with
//!   `new RegExp(regexp)`, i.e. **case-sensitively**
//!   (`middleware-route-matcher.ts`).
//! * **Clerk `createRouteMatcher`** (`@clerk/shared` `pathMatcher.ts` /
//!   `pathToRegexp.ts`): plain `pathToRegexp(pattern)` with default options,
//!   i.e. case-insensitive, optional trailing delimiter, anchored at both
//!   ends; so `/x(.*)` also matches `/xyz`. Empty strings are filtered out by
//!   Clerk and therefore never match ([`PatternKind::Never`]). RegExp objects
//!   are used as-is ([`PathPattern::from_js_regex`]). Newer Clerk versions run
//!   [`normalize_clerk_path`] on the pathname before testing.
//!
//! # Known limits
//!
//! * Regexes are compiled in non-unicode mode (like path-to-regexp does) but
//!   `regress` matches Rust `&str` by code point, not by UTF-16 unit; this
//!   only differs for astral characters matched by `.`-like atoms.
//!   For the same reason `\u{1F600}` without the `u` flag is read as a code
//!   point escape (JavaScript reads `u{1F600}` literally), and `regress`
//!   accepts a few Annex-B forms under the `v` flag that V8 rejects.
//! * `regress` rejects regexes nested deeper than a few hundred groups, which
//!   V8 would accept; such patterns return an error here.
//! * JavaScript `g`/`y` flags make `RegExp.prototype.test` stateful; here a
//!   `g` regex behaves like its first call (`lastIndex` 0) and `y` anchors at
//!   index 0.
//! * The matcher uses a backtracking engine: a deliberately catastrophic
//!   pattern can be slow on long inputs. Pattern length is capped at
//!   [`MAX_PATTERN_LEN`] characters.
//! * No request-path normalisation is applied by [`PathPattern::is_match`];
//!   the caller chooses the pathname form to test (current Clerk tests the
//!   output of [`normalize_clerk_path`]; older Clerk and Next.js do not
//!   decode with it).
//! * Versions: Clerk vendored path-to-regexp 6.2.2 semantics until September
//!   2024 (no "Must have text between two parameters" error, no backtrack
//!   protection, repeat-without-prefix allowed) and 6.3.0 since; Next.js
//!   releases before the `{(\.json)}?` suffix used `(.json)?`
//!   ([`NextMatcherOptions::legacy_json_suffix`]). This module implements the
//!   current (6.3.0) behaviour only.
//!
//! [path-to-regexp]: https://github.com/pillarjs/path-to-regexp/tree/6.x

use std::fmt;

/// Longest pattern (in chars) any constructor accepts; longer input is an
/// error rather than a potential resource problem.
pub const MAX_PATTERN_LEN: usize = 16 * 1024;

/// Next.js `SourceSchema`: "exceeds max built length of 4096 for route".
const NEXT_MAX_SOURCE_LEN: usize = 4096;

/// Upper bound on the number of paths [`sample_paths`] returns.
const MAX_SAMPLES: usize = 64;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Error returned for invalid patterns, flags or malformed paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Human readable description (mirrors the upstream JavaScript message
    /// where one exists).
    pub message: String,
}

impl PatternError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/// path-to-regexp 6.x options (`ParseOptions & TokensToRegexpOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatternOptions {
    /// Case-sensitive matching (JS default `false`, i.e. the `i` flag is set).
    pub sensitive: bool,
    /// Disallow the optional trailing delimiter (default `false`).
    pub strict: bool,
    /// Anchor at the end of the input (default `true`).
    pub end: bool,
    /// Anchor at the start of the input (default `true`).
    pub start: bool,
    /// Segment delimiter characters (default `/#?`).
    pub delimiter: &'static str,
    /// Characters automatically treated as a parameter prefix (default `./`).
    pub prefixes: &'static str,
    /// Extra characters that may terminate a match (default empty = none).
    pub ends_with: &'static str,
}

impl PatternOptions {
    /// The defaults of `pathToRegexp(path)` in path-to-regexp 6.x.
    pub const PATH_TO_REGEXP_DEFAULT: Self = Self {
        sensitive: false,
        strict: false,
        end: true,
        start: true,
        delimiter: "/#?",
        prefixes: "./",
        ends_with: "",
    };

    /// How Next.js evaluates a middleware matcher: path-to-regexp defaults for
    /// building the source, but the regex is re-created without flags at
    /// runtime, so matching is case-sensitive.
    pub const NEXT_MATCHER: Self = Self {
        sensitive: true,
        ..Self::PATH_TO_REGEXP_DEFAULT
    };

    /// Clerk `createRouteMatcher` / `createPathMatcher`: plain
    /// `pathToRegexp(pattern)`, i.e. the defaults (case-insensitive).
    pub const CLERK_ROUTE_MATCHER: Self = Self::PATH_TO_REGEXP_DEFAULT;
}

impl Default for PatternOptions {
    fn default() -> Self {
        Self::PATH_TO_REGEXP_DEFAULT
    }
}

/// The parts of `next.config.js` and of a matcher object that change how
/// Next.js builds a middleware matcher regex.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NextMatcherOptions {
    /// `basePath` from `next.config.js` (empty when unset).
    pub base_path: String,
    /// `i18n.locales` is configured in `next.config.js`. Request paths are
    /// then expected to carry the locale (`/en/dashboard`).
    pub i18n: bool,
    /// The matcher object has `locale: false`.
    pub locale_false: bool,
    /// The matcher object has `has` and/or `missing` conditions, so a regex
    /// match is necessary but not sufficient for the middleware to run.
    pub conditional: bool,
    /// Older Next.js releases appended `(.json)?` (an auto-prefixed group with
    /// an unescaped `.`) instead of the current `{(\.json)}?`. The two differ
    /// for sources ending in `/` or `.`: with the legacy suffix `/dashboard/`
    /// also matches `/dashboard`.
    pub legacy_json_suffix: bool,
}

/// What produced a [`PathPattern`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// [`PathPattern::compile`] with explicit options.
    PathToRegexp,
    /// A Next.js middleware `config.matcher` entry.
    NextMatcher,
    /// The matcher Next.js uses when middleware exports no `config.matcher`.
    NextDefault,
    /// A string passed to Clerk's `createRouteMatcher`.
    ClerkRoute,
    /// A JavaScript `RegExp` (e.g. passed to `createRouteMatcher`).
    JsRegExp,
    /// A pattern that can never match (Clerk ignores empty strings).
    Never,
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

/// Parameter modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// No modifier.
    None,
    /// `?`
    Optional,
    /// `*`
    ZeroOrMore,
    /// `+`
    OneOrMore,
}

impl Modifier {
    /// The modifier as written in a pattern (`""`, `?`, `*` or `+`).
    pub fn as_str(self) -> &'static str {
        match self {
            Modifier::None => "",
            Modifier::Optional => "?",
            Modifier::ZeroOrMore => "*",
            Modifier::OneOrMore => "+",
        }
    }

    fn is_repeat(self) -> bool {
        matches!(self, Modifier::ZeroOrMore | Modifier::OneOrMore)
    }

    fn from_value(value: Option<String>) -> Self {
        match value.as_deref() {
            Some("?") => Modifier::Optional,
            Some("*") => Modifier::ZeroOrMore,
            Some("+") => Modifier::OneOrMore,
            _ => Modifier::None,
        }
    }
}

/// Name of a key: `:name`, a positional index for unnamed `(...)` groups, or
/// nothing for pattern-less `{...}` groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyName {
    /// `:name`
    Named(String),
    /// Unnamed capturing pattern, numbered from 0.
    Index(usize),
    /// `{text}` group without parameter.
    Unnamed,
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyName::Named(n) => f.write_str(n),
            KeyName::Index(i) => write!(f, "{i}"),
            KeyName::Unnamed => Ok(()),
        }
    }
}

/// A parameter or group token (path-to-regexp `Key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// Parameter name.
    pub name: KeyName,
    /// Literal text before the parameter.
    pub prefix: String,
    /// Literal text after the parameter.
    pub suffix: String,
    /// Regex source of the parameter (empty for pattern-less groups).
    pub pattern: String,
    /// Modifier.
    pub modifier: Modifier,
}

/// A parsed path-to-regexp token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// Literal text.
    Text(String),
    /// Parameter or group.
    Key(Key),
}

// ---------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LexKind {
    Open,
    Close,
    Pattern,
    Name,
    Char,
    EscapedChar,
    Modifier,
    End,
}

impl LexKind {
    fn as_str(self) -> &'static str {
        match self {
            LexKind::Open => "OPEN",
            LexKind::Close => "CLOSE",
            LexKind::Pattern => "PATTERN",
            LexKind::Name => "NAME",
            LexKind::Char => "CHAR",
            LexKind::EscapedChar => "ESCAPED_CHAR",
            LexKind::Modifier => "MODIFIER",
            LexKind::End => "END",
        }
    }
}

#[derive(Debug, Clone)]
struct LexToken {
    kind: LexKind,
    /// UTF-16 offset, as JavaScript reports it.
    index: usize,
    /// `None` only for a trailing lone backslash (JS `undefined`).
    value: Option<String>,
}

/// Maps char indexes to UTF-16 offsets (indexes past the end keep counting).
struct Utf16Offsets {
    offsets: Vec<usize>,
}

impl Utf16Offsets {
    fn new(chars: &[char]) -> Self {
        let mut offsets = Vec::with_capacity(chars.len() + 1);
        let mut acc = 0;
        for c in chars {
            offsets.push(acc);
            acc += c.len_utf16();
        }
        offsets.push(acc);
        Self { offsets }
    }

    fn at(&self, i: usize) -> usize {
        match self.offsets.get(i) {
            Some(o) => *o,
            None => {
                let last = self.offsets.len().saturating_sub(1);
                self.offsets.last().copied().unwrap_or(0) + (i - last)
            }
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn lexer(src: &str) -> Result<Vec<LexToken>, PatternError> {
    let chars: Vec<char> = src.chars().collect();
    let off = Utf16Offsets::new(&chars);
    let len = chars.len();
    let mut tokens = Vec::new();
    let mut i = 0;

    let simple = |kind, i: usize, c: char| LexToken {
        kind,
        index: off.at(i),
        value: Some(c.to_string()),
    };

    while i < len {
        let c = chars[i];
        match c {
            '*' | '+' | '?' => {
                tokens.push(simple(LexKind::Modifier, i, c));
                i += 1;
            }
            '\\' => {
                tokens.push(LexToken {
                    kind: LexKind::EscapedChar,
                    index: off.at(i),
                    value: chars.get(i + 1).map(|n| n.to_string()),
                });
                i += 2;
            }
            '{' => {
                tokens.push(simple(LexKind::Open, i, c));
                i += 1;
            }
            '}' => {
                tokens.push(simple(LexKind::Close, i, c));
                i += 1;
            }
            ':' => {
                let mut j = i + 1;
                while j < len && is_name_char(chars[j]) {
                    j += 1;
                }
                if j == i + 1 {
                    return Err(PatternError::new(format!(
                        "Missing parameter name at {}",
                        off.at(i)
                    )));
                }
                tokens.push(LexToken {
                    kind: LexKind::Name,
                    index: off.at(i),
                    value: Some(chars[i + 1..j].iter().collect()),
                });
                i = j;
            }
            '(' => {
                let mut count = 1usize;
                let mut pattern = String::new();
                let mut j = i + 1;
                if chars.get(j) == Some(&'?') {
                    return Err(PatternError::new(format!(
                        "Pattern cannot start with \"?\" at {}",
                        off.at(j)
                    )));
                }
                while j < len {
                    let cj = chars[j];
                    if cj == '\\' {
                        pattern.push('\\');
                        if let Some(n) = chars.get(j + 1) {
                            pattern.push(*n);
                        }
                        j += 2;
                        continue;
                    }
                    if cj == ')' {
                        count -= 1;
                        if count == 0 {
                            j += 1;
                            break;
                        }
                    } else if cj == '(' {
                        count += 1;
                        if chars.get(j + 1) != Some(&'?') {
                            return Err(PatternError::new(format!(
                                "Capturing groups are not allowed at {}",
                                off.at(j)
                            )));
                        }
                    }
                    pattern.push(cj);
                    j += 1;
                }
                if count != 0 {
                    return Err(PatternError::new(format!(
                        "Unbalanced pattern at {}",
                        off.at(i)
                    )));
                }
                if pattern.is_empty() {
                    return Err(PatternError::new(format!(
                        "Missing pattern at {}",
                        off.at(i)
                    )));
                }
                tokens.push(LexToken {
                    kind: LexKind::Pattern,
                    index: off.at(i),
                    value: Some(pattern),
                });
                i = j;
            }
            _ => {
                tokens.push(simple(LexKind::Char, i, c));
                i += 1;
            }
        }
    }

    tokens.push(LexToken {
        kind: LexKind::End,
        index: off.at(i),
        value: Some(String::new()),
    });
    Ok(tokens)
}

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

struct Cursor {
    tokens: Vec<LexToken>,
    i: usize,
}

impl Cursor {
    /// JS `tryConsume`: advances when the kind matches; the value may still be
    /// `None` (trailing backslash), which callers treat as falsy.
    fn try_consume(&mut self, kind: LexKind) -> Option<String> {
        match self.tokens.get(self.i) {
            Some(t) if t.kind == kind => {
                self.i += 1;
                t.value.clone()
            }
            _ => None,
        }
    }

    /// `try_consume` keeping only truthy (non-empty) values.
    fn try_truthy(&mut self, kind: LexKind) -> Option<String> {
        self.try_consume(kind).filter(|v| !v.is_empty())
    }

    fn must_consume(&mut self, kind: LexKind) -> Result<String, PatternError> {
        if let Some(v) = self.try_consume(kind) {
            return Ok(v);
        }
        let (next, index) = match self.tokens.get(self.i) {
            Some(t) => (t.kind.as_str(), t.index),
            None => ("END", 0),
        };
        Err(PatternError::new(format!(
            "Unexpected {next} at {index}, expected {}",
            kind.as_str()
        )))
    }

    fn consume_text(&mut self) -> String {
        let mut out = String::new();
        loop {
            let v = self
                .try_truthy(LexKind::Char)
                .or_else(|| self.try_truthy(LexKind::EscapedChar));
            match v {
                Some(s) => out.push_str(&s),
                None => return out,
            }
        }
    }
}

/// Escapes regex metacharacters like path-to-regexp's `escapeString`.
fn escape_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if ".+*?=^!:${}()[]|/\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn safe_pattern(prefix: &str, result: &[Token], delimiter: &str) -> Result<String, PatternError> {
    let prev = result.last();
    let prev_text = if !prefix.is_empty() {
        prefix
    } else {
        match prev {
            Some(Token::Text(s)) => s.as_str(),
            _ => "",
        }
    };
    if let Some(prev) = prev
        && prev_text.is_empty()
    {
        let name = match prev {
            Token::Key(k) => k.name.to_string(),
            Token::Text(_) => String::new(),
        };
        return Err(PatternError::new(format!(
            "Must have text between two parameters, missing text after \"{name}\""
        )));
    }
    let delim = escape_string(delimiter);
    let is_safe = delimiter.chars().any(|c| prev_text.contains(c));
    if prev_text.is_empty() || is_safe {
        Ok(format!("[^{delim}]+?"))
    } else {
        Ok(format!("(?:(?!{})[^{delim}])+?", escape_string(prev_text)))
    }
}

/// Parses a path-to-regexp 6.x pattern into tokens (`parse(str, options)`).
pub fn parse(source: &str, options: &PatternOptions) -> Result<Vec<Token>, PatternError> {
    check_len(source)?;
    let mut cur = Cursor {
        tokens: lexer(source)?,
        i: 0,
    };
    let prefixes = options.prefixes;
    let delimiter = options.delimiter;
    let mut result: Vec<Token> = Vec::new();
    let mut key = 0usize;
    let mut path = String::new();

    while cur.i < cur.tokens.len() {
        let ch = cur.try_truthy(LexKind::Char);
        let name = cur.try_truthy(LexKind::Name);
        let pattern = cur.try_truthy(LexKind::Pattern);

        if name.is_some() || pattern.is_some() {
            let mut prefix = ch.unwrap_or_default();
            if !prefixes.contains(prefix.as_str()) {
                path.push_str(&prefix);
                prefix.clear();
            }
            if !path.is_empty() {
                result.push(Token::Text(std::mem::take(&mut path)));
            }
            let key_name = match name {
                Some(n) => KeyName::Named(n),
                None => {
                    key += 1;
                    KeyName::Index(key - 1)
                }
            };
            let pattern = match pattern {
                Some(p) => p,
                None => safe_pattern(&prefix, &result, delimiter)?,
            };
            let modifier = Modifier::from_value(cur.try_consume(LexKind::Modifier));
            result.push(Token::Key(Key {
                name: key_name,
                prefix,
                suffix: String::new(),
                pattern,
                modifier,
            }));
            continue;
        }

        let value = ch.or_else(|| cur.try_truthy(LexKind::EscapedChar));
        if let Some(v) = value {
            path.push_str(&v);
            continue;
        }

        if !path.is_empty() {
            result.push(Token::Text(std::mem::take(&mut path)));
        }

        if cur.try_consume(LexKind::Open).is_some() {
            let prefix = cur.consume_text();
            let name = cur.try_truthy(LexKind::Name).unwrap_or_default();
            let pattern = cur.try_truthy(LexKind::Pattern).unwrap_or_default();
            let suffix = cur.consume_text();
            cur.must_consume(LexKind::Close)?;

            let key_name = if !name.is_empty() {
                KeyName::Named(name.clone())
            } else if !pattern.is_empty() {
                key += 1;
                KeyName::Index(key - 1)
            } else {
                KeyName::Unnamed
            };
            let pattern = if !name.is_empty() && pattern.is_empty() {
                safe_pattern(&prefix, &result, delimiter)?
            } else {
                pattern
            };
            let modifier = Modifier::from_value(cur.try_consume(LexKind::Modifier));
            result.push(Token::Key(Key {
                name: key_name,
                prefix,
                suffix,
                pattern,
                modifier,
            }));
            continue;
        }

        cur.must_consume(LexKind::End)?;
    }

    Ok(result)
}

// ---------------------------------------------------------------------------
// Regex compiler
// ---------------------------------------------------------------------------

/// Builds the ECMAScript regex source for tokens (`tokensToRegexp`), without
/// compiling it. The flags are `i` unless `options.sensitive`.
pub fn tokens_to_regex_source(
    tokens: &[Token],
    options: &PatternOptions,
) -> Result<String, PatternError> {
    let ends_with_re = format!("[{}]|$", escape_string(options.ends_with));
    let delimiter_re = format!("[{}]", escape_string(options.delimiter));
    let mut route = String::new();
    if options.start {
        route.push('^');
    }

    for token in tokens {
        match token {
            Token::Text(s) => route.push_str(&escape_string(s)),
            Token::Key(k) => {
                let prefix = escape_string(&k.prefix);
                let suffix = escape_string(&k.suffix);
                let pat = &k.pattern;
                if !pat.is_empty() {
                    if !prefix.is_empty() || !suffix.is_empty() {
                        if k.modifier.is_repeat() {
                            let m = if k.modifier == Modifier::ZeroOrMore {
                                "?"
                            } else {
                                ""
                            };
                            route.push_str(&format!(
                                "(?:{prefix}((?:{pat})(?:{suffix}{prefix}(?:{pat}))*){suffix}){m}"
                            ));
                        } else {
                            route.push_str(&format!(
                                "(?:{prefix}({pat}){suffix}){}",
                                k.modifier.as_str()
                            ));
                        }
                    } else {
                        if k.modifier.is_repeat() {
                            return Err(PatternError::new(format!(
                                "Can not repeat \"{}\" without a prefix and suffix",
                                k.name
                            )));
                        }
                        route.push_str(&format!("({pat}){}", k.modifier.as_str()));
                    }
                } else {
                    route.push_str(&format!("(?:{prefix}{suffix}){}", k.modifier.as_str()));
                }
            }
        }
    }

    if options.end {
        if !options.strict {
            route.push_str(&delimiter_re);
            route.push('?');
        }
        if options.ends_with.is_empty() {
            route.push('$');
        } else {
            route.push_str(&format!("(?={ends_with_re})"));
        }
    } else {
        let is_end_delimited = match tokens.last() {
            None => true,
            Some(Token::Text(s)) => s.chars().last().is_some_and(|c| delimiter_re.contains(c)),
            Some(Token::Key(_)) => false,
        };
        if !options.strict {
            route.push_str(&format!("(?:{delimiter_re}(?={ends_with_re}))?"));
        }
        if !is_end_delimited {
            route.push_str(&format!("(?={delimiter_re}|{ends_with_re})"));
        }
    }

    Ok(route)
}

/// `pathToRegexp(source, [], options).source` before JavaScript's `/`
/// escaping (see [`PathPattern::regex_source`] for the escaped form).
pub fn path_to_regex_source(
    source: &str,
    options: &PatternOptions,
) -> Result<String, PatternError> {
    tokens_to_regex_source(&parse(source, options)?, options)
}

fn check_len(source: &str) -> Result<(), PatternError> {
    if source.chars().count() > MAX_PATTERN_LEN {
        return Err(PatternError::new(format!(
            "pattern is longer than {MAX_PATTERN_LEN} characters"
        )));
    }
    Ok(())
}

/// What `RegExp.prototype.source` returns for a pattern: `/` outside
/// character classes and line terminators are escaped; empty becomes `(?:)`.
fn js_source_escape(src: &str) -> String {
    if src.is_empty() {
        return "(?:)".to_string();
    }
    let mut out = String::with_capacity(src.len() + 8);
    let mut in_class = false;
    let mut chars = src.chars();
    let push_char = |out: &mut String, c: char| match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\u{2028}' => out.push_str("\\u2028"),
        '\u{2029}' => out.push_str("\\u2029"),
        c => out.push(c),
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                if let Some(n) = chars.next() {
                    push_char(&mut out, n);
                }
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            '/' if !in_class => out.push_str("\\/"),
            c => push_char(&mut out, c),
        }
    }
    out
}

fn compile_regex(route: &str, flags: regress::Flags) -> Result<regress::Regex, PatternError> {
    regress::Regex::with_flags(route, flags).map_err(|e| {
        PatternError::new(format!(
            "Invalid regular expression: /{}/{}: {e}",
            js_source_escape(route),
            flags
        ))
    })
}

fn p2r_flags(sensitive: bool) -> regress::Flags {
    regress::Flags {
        icase: !sensitive,
        ..regress::Flags::default()
    }
}

/// Next.js `tryToParsePath` + `safeTokensToRegexp`: default path-to-regexp
/// options, with the repeat-without-prefix fallback.
fn next_try_to_parse_path(source: &str) -> Result<String, PatternError> {
    let opts = PatternOptions::NEXT_MATCHER;
    let tokens = parse(source, &opts)?;
    let flags = p2r_flags(true);
    if let Ok(route) = tokens_to_regex_source(&tokens, &opts)
        && compile_regex(&route, flags).is_ok()
    {
        return Ok(route);
    }
    let normalized: Vec<Token> = tokens
        .into_iter()
        .map(|t| match t {
            Token::Key(mut k)
                if k.modifier.is_repeat() && k.prefix.is_empty() && k.suffix.is_empty() =>
            {
                k.prefix = "/".to_string();
                Token::Key(k)
            }
            other => other,
        })
        .collect();
    let route = tokens_to_regex_source(&normalized, &opts)?;
    // Surface regex syntax errors (Next rejects such sources).
    compile_regex(&route, flags)?;
    Ok(route)
}

/// Next.js `SourceSchema` checks.
fn next_validate_source(source: &str) -> Result<String, PatternError> {
    if source.encode_utf16().count() > NEXT_MAX_SOURCE_LEN {
        return Err(PatternError::new(format!(
            "Invalid source '{source}': exceeds max built length of 4096 for route"
        )));
    }
    if !source.starts_with('/') {
        return Err(PatternError::new(format!(
            "Invalid source '{source}': source must start with /"
        )));
    }
    next_try_to_parse_path(source)
        .map_err(|e| PatternError::new(format!("Invalid source '{source}': {}", e.message)))
}

// ---------------------------------------------------------------------------
// PathPattern
// ---------------------------------------------------------------------------

/// A compiled path pattern.
#[derive(Debug, Clone)]
pub struct PathPattern {
    source: String,
    regex_source: String,
    flags: String,
    kind: PatternKind,
    conditional: bool,
    sticky: bool,
    regex: regress::Regex,
}

impl PathPattern {
    /// Plain path-to-regexp 6.x: `pathToRegexp(source, [], options)`.
    pub fn compile(source: &str, options: &PatternOptions) -> Result<Self, PatternError> {
        let route = path_to_regex_source(source, options)?;
        Self::from_route(
            source,
            &route,
            p2r_flags(options.sensitive),
            PatternKind::PathToRegexp,
        )
    }

    /// A Next.js middleware `config.matcher` string (or the `source` of a
    /// matcher object) with no `basePath`/i18n.
    pub fn next_matcher(source: &str) -> Result<Self, PatternError> {
        Self::next_matcher_with(source, &NextMatcherOptions::default())
    }

    /// A Next.js middleware matcher with `basePath`, i18n, `locale: false`
    /// and `has`/`missing` information.
    pub fn next_matcher_with(
        source: &str,
        opts: &NextMatcherOptions,
    ) -> Result<Self, PatternError> {
        check_len(source)?;
        next_validate_source(source)?;
        let is_root = source == "/";
        let mut wrapped = source.to_string();
        if opts.i18n && !opts.locale_false {
            wrapped = format!(
                "/:nextInternalLocale((?!_next/)[^/.]{{1,}}){}",
                if is_root { "" } else { source }
            );
        }
        let suffix = if is_root {
            if opts.i18n {
                r"(|\.json|/?index|/?index\.json)?"
            } else {
                r"(/?index|/?index\.json)?"
            }
        } else if opts.legacy_json_suffix {
            "(.json)?"
        } else {
            r"{(\.json)}?"
        };
        wrapped = format!("/:nextData(_next/data/[^/]{{1,}})?{wrapped}{suffix}");
        if !opts.base_path.is_empty() {
            wrapped = format!("{}{wrapped}", opts.base_path);
        }
        let route = next_validate_source(&wrapped)?;
        let mut pattern =
            Self::from_route(source, &route, p2r_flags(true), PatternKind::NextMatcher)?;
        pattern.conditional = opts.conditional;
        Ok(pattern)
    }

    /// The matcher Next.js applies when middleware exports no
    /// `config.matcher` (`getDefaultMiddlewareMatcher`): every path except
    /// `/_next/...` internals other than `/_next/data/...`.
    pub fn next_default_matcher() -> Result<Self, PatternError> {
        let route = r"^(?!.*\/\_next\/(?!data\/)).*";
        let regex = compile_regex(route, p2r_flags(true))?;
        Ok(Self {
            source: "/((?!_next/(?!data/))[^]*)*".to_string(),
            regex_source: route.to_string(),
            flags: String::new(),
            kind: PatternKind::NextDefault,
            conditional: false,
            sticky: false,
            regex,
        })
    }

    /// A string entry of Clerk's `createRouteMatcher([...])`.
    pub fn clerk_route(source: &str) -> Result<Self, PatternError> {
        if source.is_empty() {
            // `[patterns].flat().filter(Boolean)` drops empty strings.
            let route = "[]";
            let regex = compile_regex(route, p2r_flags(false))?;
            return Ok(Self {
                source: String::new(),
                regex_source: route.to_string(),
                flags: "i".to_string(),
                kind: PatternKind::Never,
                conditional: false,
                sticky: false,
                regex,
            });
        }
        let opts = PatternOptions::CLERK_ROUTE_MATCHER;
        let route = path_to_regex_source(source, &opts).map_err(|e| {
            PatternError::new(format!(
                "Invalid path: {source}.\nConsult the documentation of path-to-regexp here: \
                 https://github.com/pillarjs/path-to-regexp/tree/6.x\n{}",
                e.message
            ))
        })?;
        Self::from_route(
            source,
            &route,
            p2r_flags(opts.sensitive),
            PatternKind::ClerkRoute,
        )
    }

    /// A JavaScript `RegExp` given as its `source` (the text between the
    /// slashes of a literal) and `flags` (e.g. `"i"`, `"g"`).
    pub fn from_js_regex(source: &str, flags: &str) -> Result<Self, PatternError> {
        check_len(source)?;
        let mut seen = String::new();
        for c in flags.chars() {
            if !"dgimsuvy".contains(c) || seen.contains(c) {
                return Err(PatternError::new(format!(
                    "Invalid flags supplied to RegExp constructor '{flags}'"
                )));
            }
            seen.push(c);
        }
        if seen.contains('u') && seen.contains('v') {
            return Err(PatternError::new(format!(
                "Invalid flags supplied to RegExp constructor '{flags}'"
            )));
        }
        let rflags = regress::Flags::from(flags);
        let regex = regress::Regex::with_flags(source, rflags).map_err(|e| {
            PatternError::new(format!(
                "Invalid regular expression: /{}/{flags}: {e}",
                js_source_escape(source)
            ))
        })?;
        Ok(Self {
            source: source.to_string(),
            regex_source: js_source_escape(source),
            flags: flags.to_string(),
            kind: PatternKind::JsRegExp,
            conditional: false,
            sticky: seen.contains('y'),
            regex,
        })
    }

    fn from_route(
        source: &str,
        route: &str,
        flags: regress::Flags,
        kind: PatternKind,
    ) -> Result<Self, PatternError> {
        let regex = compile_regex(route, flags)?;
        Ok(Self {
            source: source.to_string(),
            regex_source: js_source_escape(route),
            flags: flags.to_string(),
            kind,
            conditional: false,
            sticky: false,
            regex,
        })
    }

    /// The pattern as the user wrote it (JS string value).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The generated ECMAScript regex, as JavaScript's `RegExp#source` would
    /// print it (for Next.js this equals the `regexp` in the middleware
    /// manifest).
    pub fn regex_source(&self) -> &str {
        &self.regex_source
    }

    /// The regex flags used when matching (`"i"` or `""` for path patterns).
    pub fn flags(&self) -> &str {
        &self.flags
    }

    /// Which constructor produced this pattern.
    pub fn kind(&self) -> PatternKind {
        self.kind
    }

    /// `true` for a Next.js matcher object with `has`/`missing`: a match means
    /// the middleware *may* run, not that it does.
    pub fn is_conditional(&self) -> bool {
        self.conditional
    }

    /// Whether `path` is matched (JS `regexp.test(path)`). No normalisation
    /// is applied; see [`normalize_clerk_path`].
    pub fn is_match(&self, path: &str) -> bool {
        self.find(path).is_some()
    }

    /// The matched part of `path` (JS `regexp.exec(path)[0]`), useful with
    /// `end: false` / `start: false`.
    pub fn find<'p>(&self, path: &'p str) -> Option<&'p str> {
        let m = self.regex.find(path)?;
        if self.sticky && m.start() != 0 {
            return None;
        }
        path.get(m.range())
    }
}

// ---------------------------------------------------------------------------
// Clerk path normalisation
// ---------------------------------------------------------------------------

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hex_byte_at(bytes: &[u8], i: usize) -> Option<u8> {
    if bytes.get(i) != Some(&b'%') {
        return None;
    }
    let hi = hex_val(*bytes.get(i + 1)?)?;
    let lo = hex_val(*bytes.get(i + 2)?)?;
    Some(hi * 16 + lo)
}

/// JavaScript `decodeURI`: decodes `%XX` UTF-8 sequences except those that
/// decode to a character of the reserved set `;/?:@&=+$,#` (kept verbatim).
fn decode_uri(s: &str) -> Option<String> {
    const RESERVED: &str = ";/?:@&=+$,#";
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            let ch = s.get(i..)?.chars().next()?;
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let start = i;
        let b = hex_byte_at(bytes, i)?;
        i += 3;
        if b < 0x80 {
            let c = char::from(b);
            if RESERVED.contains(c) {
                out.push_str(s.get(start..i)?);
            } else {
                out.push(c);
            }
            continue;
        }
        let n = b.leading_ones() as usize;
        if n == 1 || n > 4 {
            return None;
        }
        let mut octets = vec![b];
        for _ in 1..n {
            let cb = hex_byte_at(bytes, i)?;
            if cb & 0xC0 != 0x80 {
                return None;
            }
            octets.push(cb);
            i += 3;
        }
        out.push_str(std::str::from_utf8(&octets).ok()?);
    }
    Some(out)
}

/// The normalisation newer `@clerk/shared` `createPathMatcher` applies before
/// testing a pathname (`normalizePath`): `decodeURI` once (so `%2F`, `%3F`,
/// `%23` and the other reserved escapes stay encoded), then collapse runs of
/// `/` into one. Malformed percent-encoding is an error (Clerk throws
/// `MalformedURLError`, which `clerkMiddleware` turns into a 400).
pub fn normalize_clerk_path(path: &str) -> Result<String, PatternError> {
    let decoded = decode_uri(path)
        .ok_or_else(|| PatternError::new(format!("Malformed encoding in URL path: {path}")))?;
    let mut out = String::with_capacity(decoded.len());
    let mut prev_slash = false;
    for c in decoded.chars() {
        if c == '/' {
            if prev_slash {
                continue;
            }
            prev_slash = true;
        } else {
            prev_slash = false;
        }
        out.push(c);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Sample paths for Next.js route URLs
// ---------------------------------------------------------------------------

/// Percent-encodes a literal route segment like `encodeURIComponent` would,
/// but keeping the sub-delimiters, `:` and `@` that browsers leave alone.
fn encode_segment(seg: &str) -> String {
    let mut out = String::with_capacity(seg.len());
    for c in seg.chars() {
        if c.is_ascii_alphanumeric() || "-_.!~*'();,:@&=+$".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Strips App Router interception markers: `(.)x`, `(..)x`, `(..)(..)x`,
/// `(...)x` → `x`.
fn strip_interception(seg: &str) -> &str {
    let mut s = seg;
    loop {
        if let Some(rest) = s.strip_prefix("(...)") {
            s = rest;
        } else if let Some(rest) = s.strip_prefix("(..)") {
            s = rest;
        } else if let Some(rest) = s.strip_prefix("(.)") {
            s = rest;
        } else {
            return s;
        }
    }
}

/// Concrete request paths for a Next.js route URL with dynamic segments, to
/// be tested against matchers; a route is covered only if every sample
/// matches.
///
/// * `[id]` → `x1` (`x2`, … for further dynamic segments)
/// * `[...slug]` → `a` and `a/b`
/// * `[[...slug]]` → nothing, `a` and `a/b`
/// * route groups `(group)` and parallel-route slots `@slot` are dropped,
///   interception markers `(.)`/`(..)`/`(...)` are stripped
/// * literal segments are percent-encoded as a browser would send them
///
/// The result is never empty (at least `/`) and holds at most 64 paths.
pub fn sample_paths(route_url: &str) -> Vec<String> {
    sample_paths_with(route_url, &[])
}

/// The words a path pattern names for one segment: the segments of its literal text and
/// the branches of an alternation group of plain words (`/(en|id)/u/(.*)` names `en`, `id`
/// and `u`). A route's dynamic segment may take any of them (`app/[locale]/u/[handle]` is
/// served at `/en/u/…`); at most 16.
pub fn pattern_words(source: &str) -> Vec<String> {
    words_of(source, true)
}

/// The words only the alternation groups of plain words of a path pattern name (`en` and `id`
/// of `/(en|id)/u/(.*)`): the values a dynamic segment such as `[locale]` is meant to take,
/// where a literal segment (`sign-in`) is most often a route of its own.
pub fn alternation_words(source: &str) -> Vec<String> {
    words_of(source, false)
}

/// [`pattern_words`], with the literal text's segments only when `literal`.
fn words_of(source: &str, literal: bool) -> Vec<String> {
    const MAX_WORDS: usize = 16;
    let plain = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
    };
    let mut out: Vec<String> = Vec::new();
    let add = |w: &str, out: &mut Vec<String>| {
        if plain(w) && !out.iter().any(|o| o == w) && out.len() < MAX_WORDS {
            out.push(w.to_string());
        }
    };
    let Ok(tokens) = parse(source, &PatternOptions::CLERK_ROUTE_MATCHER) else {
        return out;
    };
    for t in &tokens {
        match t {
            Token::Text(text) if literal => text.split('/').for_each(|w| add(w, &mut out)),
            Token::Text(_) => {}
            Token::Key(k) => {
                if literal {
                    for text in [&k.prefix, &k.suffix] {
                        text.split('/').for_each(|w| add(w, &mut out));
                    }
                }
                let branches: Vec<&str> = k.pattern.split('|').collect();
                if branches.len() > 1 && branches.iter().all(|b| plain(b)) {
                    branches.iter().for_each(|w| add(w, &mut out));
                }
            }
        }
    }
    out
}

/// `sample_paths`, where each dynamic segment (and each catch-all, as one segment) may also
/// take one of `words` (see `pattern_words`): the request paths of the route that a pattern
/// naming those words could match.
pub fn sample_paths_with(route_url: &str, words: &[String]) -> Vec<String> {
    let path = route_url.split(['?', '#']).next().unwrap_or_default();
    // The paths so far, each segment written with its leading `/` (`""` for none yet).
    let mut paths: Vec<String> = vec![String::new()];
    let mut dyn_index = 0usize;
    for raw in path.split('/') {
        if raw.is_empty() || raw.starts_with('@') {
            continue;
        }
        if raw.starts_with('(') && raw.ends_with(')') && !raw.starts_with("(.") {
            continue; // route group
        }
        let seg = strip_interception(raw);
        if seg.is_empty() {
            continue;
        }
        // What the segment may stand for, as written in a path: `""` for no segment at all
        // (an optional catch-all), `a/b` for two.
        let one;
        let with_words;
        let mut alts: &[&str] = if seg.starts_with("[[...") && seg.ends_with("]]") && seg.len() > 7
        {
            &["", "a", "a/b"]
        } else if seg.starts_with("[...") && seg.ends_with(']') && seg.len() > 5 {
            &["a", "a/b"]
        } else if seg.starts_with('[') && seg.ends_with(']') && seg.len() > 2 {
            dyn_index += 1;
            one = [format!("x{dyn_index}")];
            &[one[0].as_str()]
        } else {
            one = [encode_segment(seg)];
            &[one[0].as_str()]
        };
        if !words.is_empty() && seg.starts_with('[') && seg.ends_with(']') {
            with_words = alts
                .iter()
                .copied()
                .chain(words.iter().map(String::as_str))
                .collect::<Vec<&str>>();
            alts = &with_words;
        }
        if let ([alt], [p]) = (alts, paths.as_mut_slice()) {
            p.push('/');
            p.push_str(alt);
            continue;
        }
        let mut next = Vec::with_capacity((paths.len() * alts.len()).min(MAX_SAMPLES));
        for p in &paths {
            for alt in alts {
                if next.len() >= MAX_SAMPLES {
                    break;
                }
                let mut np = String::with_capacity(p.len() + 1 + alt.len());
                np.push_str(p);
                if !alt.is_empty() {
                    np.push('/');
                    np.push_str(alt);
                }
                next.push(np);
            }
        }
        paths = next;
    }

    let mut out: Vec<String> = Vec::with_capacity(paths.len());
    for mut p in paths {
        if p.is_empty() {
            p.push('/');
        }
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    type Opts = PatternOptions;
    const D: Opts = PatternOptions::PATH_TO_REGEXP_DEFAULT;

    const fn o(sensitive: bool, strict: bool, end: bool, start: bool) -> Opts {
        PatternOptions {
            sensitive,
            strict,
            end,
            start,
            ..D
        }
    }
    const SENSITIVE: Opts = o(true, false, true, true);
    const STRICT: Opts = o(false, true, true, true);
    const NO_END: Opts = o(false, false, false, true);
    const NO_START: Opts = o(false, false, true, false);
    const NO_END_STRICT: Opts = o(false, true, false, true);
    const NO_START_NO_END: Opts = o(false, false, false, false);

    fn run_table(table: &[(&str, Opts, &str, Option<&str>)]) {
        let mut failures = Vec::new();
        for (pattern, opts, path, expected) in table {
            match PathPattern::compile(pattern, opts) {
                Ok(p) => {
                    let got = p.find(path);
                    if got != *expected {
                        failures.push(format!(
                            "{pattern:?} {opts:?} on {path:?}: got {got:?}, want {expected:?} (re {})",
                            p.regex_source()
                        ));
                    }
                }
                Err(e) => failures.push(format!("{pattern:?}: unexpected error {e}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn run_bool<F>(table: &[(&str, &str, bool)], ctor: F)
    where
        F: Fn(&str) -> Result<PathPattern, PatternError>,
    {
        let mut failures = Vec::new();
        for (pattern, path, expected) in table {
            match ctor(pattern) {
                Ok(p) => {
                    if p.is_match(path) != *expected {
                        failures.push(format!(
                            "{pattern:?} on {path:?}: want {expected} (re /{}/{})",
                            p.regex_source(),
                            p.flags()
                        ));
                    }
                }
                Err(e) => failures.push(format!("{pattern:?}: unexpected error {e}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Cases ported from pillarjs/path-to-regexp branch 6.x `src/index.spec.ts`
    /// (`TESTS` table, "match" column: the expected `exec()[0]`).
    #[test]
    fn path_to_regexp_upstream_table() {
        let delim_dot = PatternOptions {
            delimiter: ".",
            ..D
        };
        let delim_space_no_end = PatternOptions {
            delimiter: " ",
            end: false,
            ..D
        };
        let ends_q = PatternOptions {
            ends_with: "?",
            ..D
        };
        let ends_q_strict = PatternOptions {
            ends_with: "?",
            strict: true,
            ..D
        };
        let table: &[(&str, Opts, &str, Option<&str>)] = &[
            // Simple paths.
            ("/", D, "/", Some("/")),
            ("/", D, "/route", None),
            ("/test", D, "/test", Some("/test")),
            ("/test", D, "/route", None),
            ("/test", D, "/test/route", None),
            ("/test", D, "/test/", Some("/test/")),
            ("/test/", D, "/test", None),
            ("/test/", D, "/test//", Some("/test//")),
            // Case-sensitive paths.
            ("/test", SENSITIVE, "/TEST", None),
            ("/TEST", SENSITIVE, "/TEST", Some("/TEST")),
            // Strict mode.
            ("/test", STRICT, "/test/", None),
            ("/test", STRICT, "/TEST", Some("/TEST")),
            ("/test/", STRICT, "/test//", None),
            // Non-ending mode.
            ("/test", NO_END, "/test/route", Some("/test")),
            ("/test/", NO_END, "/test//route", Some("/test/")),
            ("/:test", NO_END, "/caf%C3%A9", Some("/caf%C3%A9")),
            ("/:test/", NO_END, "/route", None),
            ("", NO_END, "route", Some("")),
            // Non-starting mode.
            ("/test", NO_START, "/route/test", Some("/test")),
            ("/test", NO_START, "/test/route", None),
            ("/test/", NO_START, "/route/test/", Some("/test/")),
            ("", NO_START, "/route/", Some("/")),
            // Combined modes.
            ("/test", NO_END_STRICT, "/test/", Some("/test")),
            ("/test/", NO_END_STRICT, "/test//", Some("/test/")),
            ("/test.json", NO_END_STRICT, "/test.json.hbs", None),
            ("/:test", NO_END_STRICT, "/route/", Some("/route")),
            ("/test", NO_START_NO_END, "/route/test/deep", Some("/test")),
            (
                "/test.json",
                NO_START_NO_END,
                "/route/test.json/deep",
                Some("/test.json"),
            ),
            // Arguments.
            ("/:test", D, "/another", Some("/another")),
            ("/:test", D, "/something/else", None),
            ("/:test", D, "/route.json", Some("/route.json")),
            ("/:test", D, "/something%2Felse", Some("/something%2Felse")),
            ("/:test", D, "/;,:@&=+$-_.!~*()", Some("/;,:@&=+$-_.!~*()")),
            ("/:test", STRICT, "/route/", None),
            ("/:test/", STRICT, "/route//", None),
            ("/:test", NO_END, "/route//", Some("/route")),
            // Optional.
            ("/:test?", D, "/route/nested", None),
            ("/:test?", D, "/", Some("/")),
            ("/:test?", D, "//", None),
            ("/:test?", STRICT, "/", None),
            ("/:test?/", STRICT, "/", Some("/")),
            ("/:test?/bar", D, "/bar", Some("/bar")),
            ("/:test?-bar", D, "/-bar", None),
            ("/:test?-bar", D, "/foo-bar", Some("/foo-bar")),
            // Repeat.
            ("/:test*-bar", D, "/foo/baz-bar", Some("/foo/baz-bar")),
            ("/:test+", D, "/", None),
            ("/:test+", D, "/some/basic/route", Some("/some/basic/route")),
            ("/:test+", D, "//", None),
            ("/:test(\\d+)+", D, "/abc/456/789", None),
            ("/:test(\\d+)+", D, "/123/456/789", Some("/123/456/789")),
            (
                "/route.:ext(json|xml)+",
                D,
                "/route.xml.json",
                Some("/route.xml.json"),
            ),
            ("/route.:ext(json|xml)+", D, "/route.html", None),
            ("/route.:ext(\\w+)/test", D, "/route.json.gz/test", None),
            ("/:test*", D, "/", Some("/")),
            ("/:test*", D, "//", None),
            ("/:test*", D, "/some/basic/route", Some("/some/basic/route")),
            ("/route.:ext([a-z]+)*", D, "/route", Some("/route")),
            ("/route.:ext([a-z]+)*", D, "/route.123", None),
            // Custom named parameters.
            ("/:test(\\d+)", D, "/123/abc", None),
            ("/:test(\\d+)", NO_END, "/123/abc", Some("/123")),
            (
                "/:test(.*)",
                D,
                "/anything/goes/here",
                Some("/anything/goes/here"),
            ),
            ("/:route(this|that)", D, "/foo", None),
            (
                "/:path(abc|xyz)*",
                D,
                "/abc/xyz/abc/xyz",
                Some("/abc/xyz/abc/xyz"),
            ),
            ("/:path(abc|xyz)*", D, "/xyzxyz", None),
            // Prefixed slashes.
            ("test", D, "/test", None),
            (":test", D, "route/", Some("route/")),
            (":test", STRICT, "route/", None),
            (":test", NO_END, "route/foobar", Some("route")),
            (":test?", D, "", Some("")),
            ("{:test/}+", D, "foo/bar/", Some("foo/bar/")),
            ("{:test/}+", D, "", None),
            // Formats.
            ("/test.json", D, "/route.json", None),
            ("/:test.json", D, "/.json", None),
            (
                "/:test.json",
                D,
                "/route.json.json",
                Some("/route.json.json"),
            ),
            ("/test.:format(\\w+)", D, "/test.hbs.html", None),
            (
                "/test.:format(\\w+).:format(\\w+)",
                D,
                "/test.hbs.html",
                Some("/test.hbs.html"),
            ),
            (
                "/test{.:format}+",
                D,
                "/test.hbs.html",
                Some("/test.hbs.html"),
            ),
            ("/test.:format.", D, "/test.html.", Some("/test.html.")),
            ("/:test.:format", D, "/route", None),
            (
                "/:test.:format",
                D,
                "/route.html.json",
                Some("/route.html.json"),
            ),
            (
                "/:test{.:format}?",
                D,
                "/route.json.html",
                Some("/route.json.html"),
            ),
            ("/test.:format(.*)z", NO_END, "/test.abc", None),
            (
                "/test.:format(.*)z",
                NO_END,
                "/test.abcz",
                Some("/test.abcz"),
            ),
            // Unnamed params.
            ("/(\\d+)", D, "/abc", None),
            ("/(\\d+)", NO_END, "/123/", Some("/123/")),
            ("/(\\d+)?", D, "/", Some("/")),
            ("/(.*)", D, "/", Some("/")),
            ("/(.*)", D, "/route/nested", Some("/route/nested")),
            (
                "/route\\(\\\\(\\d+\\\\)\\)",
                D,
                "/route(\\123\\)",
                Some("/route(\\123\\)"),
            ),
            ("{/login}?", D, "/", Some("/")),
            ("{/login}", D, "/", None),
            ("{/(.*)}", D, "/login", Some("/login")),
            // Regexp special characters and escaping.
            ("/\\(testing\\)", D, "/testing", None),
            ("/\\(testing\\)", D, "/(testing)", Some("/(testing)")),
            (
                "/.\\+\\*\\?\\{\\}=^!\\:$[]|",
                D,
                "/.+*?{}=^!:$[]|",
                Some("/.+*?{}=^!:$[]|"),
            ),
            ("/test\\/:uid(u\\d+)?:cid(c\\d+)?", D, "/test", None),
            (
                "/test\\/:uid(u\\d+)?:cid(c\\d+)?",
                D,
                "/test/c123",
                Some("/test/c123"),
            ),
            (
                "/{apple-}?icon-:res(\\d+).png",
                D,
                "/apple-icon-240.png",
                Some("/apple-icon-240.png"),
            ),
            ("/:foo\\(test\\)/bar", D, "/another/bar", None),
            (
                "/:remote([\\w-.]+)/:user([\\w-]+)",
                D,
                "/foo.bar/user-name",
                Some("/foo.bar/user-name"),
            ),
            ("/:foo\\?", D, "/route?", Some("/route?")),
            ("/:foo+baz", D, "/foo/barbaz", Some("/foo/barbaz")),
            ("/:foo+baz", D, "/baz", None),
            ("\\/:pre?baz", D, "/baz", Some("/baz")),
            ("/:foo\\(:bar?\\)", D, "/hello()", Some("/hello()")),
            ("/:postType(video|audio|text)(\\+.+)?", D, "/video+", None),
            ("/:foo?/:bar?-ext", D, "/-ext", None),
            ("/:foo?/:bar?-ext", D, "/foo/bar-ext", Some("/foo/bar-ext")),
            ("/:required/:optional?-ext", D, "/foo/-ext", None),
            // Unicode.
            ("/:foo", D, "/café", Some("/café")),
            ("/café", D, "/caf%C3%A9", None),
            ("packages/", D, "packages", None),
            // "should accept an array of keys as the second argument".
            ("/user/:id", NO_END, "/user/123/show", Some("/user/123")),
            // `prefixes` option: no auto prefix, the `/` stays literal text.
            (
                "/:id?",
                PatternOptions { prefixes: "", ..D },
                "/",
                Some("/"),
            ),
            ("/:id?", PatternOptions { prefixes: "", ..D }, "", None),
            // Delimiter, endsWith.
            (":domain.com", delim_dot, "github.com", Some("github.com")),
            (
                "mail.:domain.com",
                delim_dot,
                "mail.example.com",
                Some("mail.example.com"),
            ),
            ("example.:ext", D, "example.org", Some("example.org")),
            (
                "this is",
                delim_space_no_end,
                "this is a test",
                Some("this is"),
            ),
            ("this is", delim_space_no_end, "this isn't", None),
            ("/test", ends_q, "/test?query=string", Some("/test")),
            ("/test", ends_q, "/test/?query=string", Some("/test/")),
            ("/test", ends_q, "/testx", None),
            ("/test", ends_q_strict, "/test/?query=string", None),
            // Prefixes/suffixes and sensitivity of custom patterns.
            ("{$:foo}{$:bar}?", D, "$x$y", Some("$x$y")),
            (
                "name/:attr1?{-:attr2}?{-:attr3}?",
                D,
                "name/1-2-3",
                Some("name/1-2-3"),
            ),
            (
                "name/:attr1?{-:attr2}?{-:attr3}?",
                D,
                "name/foo-bar/route",
                None,
            ),
            ("/:test(abc)", SENSITIVE, "/ABC", None),
            ("/:test(abc)", D, "/ABC", Some("/ABC")),
            ("/:test(\\d+(?:\\.\\d+)?)", D, "/123.abc", None),
            ("/:test((?!login)[^/]+)", D, "/login", None),
            ("/:test((?!login)[^/]+)", D, "/route", Some("/route")),
            ("/user(s)?/:user", D, "/users/123", Some("/users/123")),
            (
                "/whatever/:foo\\?query=str",
                D,
                "/whatever/123?query=str",
                Some("/whatever/123?query=str"),
            ),
            (
                "/whatever/:foo",
                NO_END,
                "/whatever/123#fragment",
                Some("/whatever/123"),
            ),
            (
                "/whatever/:foo",
                NO_END,
                "/whatever/123?query=str",
                Some("/whatever/123"),
            ),
        ];
        assert!(table.len() >= 60);
        run_table(table);
    }

    /// Token shapes from path-to-regexp 6.x `index.spec.ts` ("should parse").
    #[test]
    fn path_to_regexp_upstream_tokens() {
        let toks = parse("/:test", &D).expect("parse");
        assert_eq!(
            toks,
            vec![Token::Key(Key {
                name: KeyName::Named("test".into()),
                prefix: "/".into(),
                suffix: String::new(),
                pattern: "[^\\/#\\?]+?".into(),
                modifier: Modifier::None,
            })]
        );
        // 6.3.0 backtrack protection: text without a delimiter before a param.
        let toks = parse("/:test.json", &D).expect("parse");
        assert_eq!(toks.len(), 2);
        let toks = parse("/test.:format(\\w+)", &D).expect("parse");
        assert_eq!(
            toks,
            vec![
                Token::Text("/test".into()),
                Token::Key(Key {
                    name: KeyName::Named("format".into()),
                    prefix: ".".into(),
                    suffix: String::new(),
                    pattern: "\\w+".into(),
                    modifier: Modifier::None,
                }),
            ]
        );
        let toks = parse("{$:foo}{$:bar}?", &D).expect("parse");
        match &toks[1] {
            Token::Key(k) => assert_eq!(k.pattern, "(?:(?!\\$)[^\\/#\\?])+?"),
            t => panic!("unexpected {t:?}"),
        }
        let toks = parse("/(\\d+)/(.*)", &D).expect("parse");
        let names: Vec<_> = toks
            .iter()
            .filter_map(|t| match t {
                Token::Key(k) => Some(k.name.clone()),
                Token::Text(_) => None,
            })
            .collect();
        assert_eq!(names, vec![KeyName::Index(0), KeyName::Index(1)]);
    }

    /// Error cases from path-to-regexp 6.x `index.spec.ts` ("arguments").
    #[test]
    fn path_to_regexp_upstream_errors() {
        let cases: &[(&str, &str)] = &[
            (
                "/:foo(?:\\d+(\\.\\d+)?)",
                "Pattern cannot start with \"?\" at 6",
            ),
            (
                "/:foo(\\d+(\\.\\d+)?)",
                "Capturing groups are not allowed at 9",
            ),
            ("/:foo(abc", "Unbalanced pattern at 5"),
            ("/:foo()", "Missing pattern at 5"),
            ("/:(test)", "Missing parameter name at 1"),
            ("/{a{b:foo}}", "Unexpected OPEN at 3, expected CLOSE"),
            ("/foo?", "Unexpected MODIFIER at 4, expected END"),
            (
                "/:x:y",
                "Must have text between two parameters, missing text after \"x\"",
            ),
            (
                "/foo:x*",
                "Can not repeat \"x\" without a prefix and suffix",
            ),
        ];
        for (pattern, message) in cases {
            match PathPattern::compile(pattern, &D) {
                Ok(p) => panic!("{pattern:?} compiled to {}", p.regex_source()),
                Err(e) => assert_eq!(&e.message, message, "{pattern:?}"),
            }
        }
    }

    #[test]
    fn regex_sources_match_javascript() {
        // Expected strings produced by path-to-regexp 6.3.0 `.source`.
        let cases: &[(&str, &str)] = &[
            ("/", "^\\/[\\/#\\?]?$"),
            ("/dashboard(.*)", "^\\/dashboard(.*)[\\/#\\?]?$"),
            (
                "/dashboard/:path*",
                "^\\/dashboard(?:\\/((?:[^\\/#\\?]+?)(?:\\/(?:[^\\/#\\?]+?))*))?[\\/#\\?]?$",
            ),
            ("/(api|trpc)(.*)", "^(?:\\/(api|trpc))(.*)[\\/#\\?]?$"),
            ("/:id?", "^(?:\\/([^\\/#\\?]+?))?[\\/#\\?]?$"),
            (
                "/files/:path+",
                "^\\/files(?:\\/((?:[^\\/#\\?]+?)(?:\\/(?:[^\\/#\\?]+?))*))[\\/#\\?]?$",
            ),
            ("/a-:b", "^\\/a-([^\\/#\\?]+?)[\\/#\\?]?$"),
            // 6.3.0 backtrack protection when the previous text has no delimiter.
            (
                "/:a-:b",
                "^(?:\\/([^\\/#\\?]+?))-((?:(?!-)[^\\/#\\?])+?)[\\/#\\?]?$",
            ),
            ("a-:b", "^a-((?:(?!a-)[^\\/#\\?])+?)[\\/#\\?]?$"),
        ];
        for (pattern, want) in cases {
            let p = PathPattern::clerk_route(pattern).expect("compile");
            assert_eq!(p.regex_source(), *want, "{pattern}");
            assert_eq!(p.flags(), "i");
        }
    }

    /// clerk/javascript `packages/nextjs/src/server/__tests__/clerkMiddleware.test.ts`
    /// (`describe('createRouteMatcher')`) and the removed
    /// `__tests__/authMiddleware.test.ts` (`isPublicRoute`), plus
    /// `packages/shared/src/__tests__/pathMatcher.spec.ts` (whose pathToRegexp
    /// was mocked; expectations re-checked against real semantics).
    #[test]
    fn clerk_route_matcher_upstream() {
        let table: &[(&str, &str, bool)] = &[
            ("/hello(.*)", "/hello", true),
            ("/hello(.*)", "/hello/test/a", true),
            ("/(.*).ts", "/test/hello.ts", true),
            ("/(.*).js", "/hello.js", true),
            ("/(.*).js", "/test/hello.js", true),
            ("/test/hello.ts", "/hello.js", false),
            ("/test/hello.ts", "/test/hello.js", false),
            ("/api/admin(.*)", "/api/admin/users", true),
            ("/api/admin(.*)", "/api/%62dmin/users", false),
            ("/foo", "/foo", true),
            ("/foo", "/bar", false),
            ("/foo", "/foo/bar", false),
            ("/foo(.*)", "/foo", true),
            ("/foo(.*)", "/foo/bar/baz", true),
            ("/foo(.*)", "/bar", false),
            ("/bar(.*)", "/bar/baz", true),
            ("/baz", "/baz", true),
            ("/baz", "/qux", false),
            // Documented pitfall: `(.*)` also matches siblings.
            ("/dashboard(.*)", "/dashboardxyz", true),
            ("/x(.*)", "/xyz", true),
            ("/dashboard/:path*", "/dashboardxyz", false),
            ("/dashboard/:path*", "/dashboard", true),
            ("/dashboard/:path*", "/dashboard/a/b", true),
            // Case-insensitive, non-strict.
            ("/dashboard", "/DashBoard", true),
            ("/dashboard", "/dashboard/", true),
            ("/dashboard", "/dashboard//", false),
            ("/org/:slug/settings", "/org/acme/settings", true),
            ("/org/:slug/settings", "/org/acme/team/settings", false),
            ("/:id?", "/", true),
            ("/:id?", "/42", true),
            ("/:id?", "/42/x", false),
            ("/files/:path+", "/files", false),
            ("/files/:path+", "/files/a/b", true),
            ("/api/(.*)", "/api", false),
            ("/api/(.*)", "/api/", true),
            ("/api/(.*)", "/api/items", true),
        ];
        run_bool(table, PathPattern::clerk_route);

        // RegExp entries (`createRouteMatcher([/^\/hello.*$/])`, `/hello/g`, ...).
        let regexes: &[(&str, &str, &str, bool)] = &[
            ("^\\/hello.*$", "", "/hello", true),
            ("^\\/hello.*$", "", "/hello/", true),
            ("^\\/hello.*$", "", "/hello/test/a", true),
            ("^.*\\.(ts|js)$", "", "/test/hello.ts", true),
            ("^.*\\.(ts|js)$", "", "/test/hello.tsx", false),
            ("hello", "g", "/hello.js", true),
            ("hello", "g", "/test/hello.js", true),
            ("^\\/foo\\/.*$", "", "/foo/bar", true),
            ("^\\/foo\\/.*$", "", "/bar/foo", false),
            ("^\\/bar\\/.*$", "", "/bar/anything", true),
            ("^\\/FOO", "i", "/foo", true),
            ("^\\/FOO", "", "/foo", false),
            ("foo", "y", "/foo", false),
            ("\\/foo", "y", "/foo", true),
        ];
        for (src, flags, path, want) in regexes {
            let p = PathPattern::from_js_regex(src, flags).expect("regex");
            assert_eq!(p.is_match(path), *want, "/{src}/{flags} on {path}");
        }

        // Empty strings are filtered out by createPathMatcher.
        let never = PathPattern::clerk_route("").expect("empty");
        assert_eq!(never.kind(), PatternKind::Never);
        assert!(!never.is_match("/any/path"));
        assert!(!never.is_match(""));
    }

    /// `DEFAULT_CONFIG_MATCHER` / `DEFAULT_IGNORED_ROUTES` tables from the
    /// removed clerk/javascript `packages/nextjs/src/server/__tests__/authMiddleware.test.ts`
    /// (evaluated there through createRouteMatcher).
    #[test]
    fn clerk_auth_middleware_default_matchers() {
        let valid = [
            "/api",
            "/api/",
            "/api/hello",
            "/trpc",
            "/trpc/hello",
            "/trpc/hello.example",
            "/protected",
            "/protected/",
            "/protected/hello",
            "/protected/hello.example/hello",
            "/my-protected-page",
            "/my/$special/$pages",
        ];
        let invalid = [
            "/_next",
            "/favicon.ico",
            "/_next/test.json",
            "/files/api.pdf",
            "/test/api/test.pdf",
            "/imgs/img.png",
            "/imgs/img-dash.jpg",
        ];
        let config_matcher: Vec<PathPattern> =
            [r"/((?!.+\.[\w]+$|_next).*)", "/", "/(api|trpc)(.*)"]
                .iter()
                .map(|s| PathPattern::clerk_route(s).expect("compile"))
                .collect();
        let ignored =
            PathPattern::clerk_route(r"/((?!api|trpc))(_next.*|.+\.[\w]+$)").expect("compile");
        for path in valid {
            assert!(
                config_matcher.iter().any(|m| m.is_match(path)),
                "config matcher {path}"
            );
            assert!(!ignored.is_match(path), "ignored {path}");
        }
        for path in invalid {
            assert!(
                !config_matcher.iter().any(|m| m.is_match(path)),
                "config matcher {path}"
            );
            assert!(ignored.is_match(path), "ignored {path}");
        }
        // DEFAULT_API_ROUTES
        let api = PathPattern::clerk_route("/api/(.*)").expect("compile");
        assert!(api.is_match("/api/items"));
        assert!(!api.is_match("/page"));
        let products = PathPattern::clerk_route("/products/(.*)").expect("compile");
        assert!(products.is_match("/products/items"));
    }

    /// clerk/javascript `packages/nextjs/src/utils/__tests__/matcher.test.ts`
    /// ("nextjs matcher": the matcher Clerk documents, evaluated with
    /// `pathToRegexp(matcher).test(path)`, query strings included).
    #[test]
    fn clerk_documented_matcher_table() {
        let matcher: Vec<PathPattern> = [
            r"/((?!_next|[^?]*\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
            "/(api|trpc)(.*)",
        ]
        .iter()
        .map(|s| PathPattern::clerk_route(s).expect("compile"))
        .collect();
        let skips = [
            "/_next",
            "/_next/",
            "/_next/static/",
            "/_next/static",
            "/_next/images",
            "/favicon.ico",
            "/site.webmanifest",
            "/file.js",
            "/img.jpeg",
            "/img.jpg",
            "/img.png",
            "/img.jpg?param=1",
        ];
        let triggers = [
            "/api/",
            "/api",
            "/api/endpoint",
            "/api/endpoint.json",
            "/trpc",
            "/trpc/",
            "/trpc/endpoint",
            "/trpc/endpoint.json",
            "/trpc/endpoint.action",
            "/somethingjpg",
            "/file.json",
            "/file.json/",
            "/a/b.json",
            "/",
            "/path",
            "/path/",
            "/nested/path",
            "/nested/path/multiple/levels",
            "/slug-123",
            "/sl.ug-123",
            "/sl.ug",
            "/clerk.com",
            "/download?filename=1.jpg",
            "/download/?filename=1.jpg",
            "/download?test=1&filename=1.jpg",
            "/download?filename=1.jpg&test=1",
            "/download?filename=1.png&test=1",
        ];
        for path in skips {
            assert!(!matcher.iter().any(|m| m.is_match(path)), "skips {path}");
        }
        for path in triggers {
            assert!(matcher.iter().any(|m| m.is_match(path)), "triggers {path}");
        }
    }

    /// clerk/javascript `packages/shared/src/__tests__/pathMatcher.spec.ts`
    /// (`normalizePath` and the percent-encoding/double-slash cases, which
    /// run normalisation before matching).
    #[test]
    fn clerk_normalize_path_upstream() {
        let ok: &[(&str, &str)] = &[
            ("/api/%61dmin", "/api/admin"),
            ("/api/a%64min", "/api/admin"),
            ("/%66oo/bar", "/foo/bar"),
            ("/api%2Fadmin", "/api%2Fadmin"),
            ("/api/admin%3Fusers", "/api/admin%3Fusers"),
            ("/api/admin%23section", "/api/admin%23section"),
            ("/api/admin/users", "/api/admin/users"),
            ("//api/admin", "/api/admin"),
            ("/api//admin", "/api/admin"),
            ("/api/admin//users", "/api/admin/users"),
            ("///api/admin", "/api/admin"),
            ("/api///admin", "/api/admin"),
            ("//api/%61dmin/users", "/api/admin/users"),
            ("/api//%61dmin", "/api/admin"),
            ("/api/%2561dmin", "/api/%61dmin"),
            ("/api/%E6%97%A5", "/api/日"),
            ("/api/admin%5Cfoo", "/api/admin\\foo"),
            ("/api/admin/%F0%9F%92%A9", "/api/admin/💩"),
            // Other decodeURI reserved characters stay encoded too.
            (
                "/a%3Bb%3ac%40d%26e%3De%2Bf%24g%2Ch",
                "/a%3Bb%3ac%40d%26e%3De%2Bf%24g%2Ch",
            ),
            ("/%2f%2F", "/%2f%2F"),
        ];
        for (input, want) in ok {
            assert_eq!(normalize_clerk_path(input).as_deref(), Ok(*want), "{input}");
        }
        for bad in [
            "/api/%zz/users",
            "/%",
            "/%4",
            "/%C3",
            "/%C3%28",
            "/%ED%A0%80",
            "/%F8%80%80%80%80",
            "/%80",
            "/%C0%AF",
        ] {
            assert!(normalize_clerk_path(bad).is_err(), "{bad}");
        }

        let m = PathPattern::clerk_route("/api/admin(.*)").expect("compile");
        let matches = |p: &str| normalize_clerk_path(p).map(|n| m.is_match(&n));
        for p in [
            "/api/%61dmin/users",
            "/api/a%64min/users",
            "/api/adm%69n/users",
            "/api/%61dmin",
            "/api/admin/%E6%97%A5%E6%9C%AC",
            "/api/admin/%F0%9F%92%A9",
            "/api/admin%5Cfoo",
            "//api/admin/users",
            "///api/admin/users",
            "/api//admin/users",
            "/api///admin/users",
            "/api/admin//users",
            "//api/%61dmin/users",
            "/api//%61dmin/users",
        ] {
            assert_eq!(matches(p), Ok(true), "{p}");
        }
        for p in [
            "/api/%62dmin/users",
            "/api%2Fadmin/users",
            "/public/%2E%2E/api/admin",
            "/public/../api/admin",
            "/api/%2561dmin/users",
            "//api/other/users",
            "/other//api/admin",
        ] {
            assert_eq!(matches(p), Ok(false), "{p}");
        }
        let foo = PathPattern::clerk_route("/foo/bar").expect("compile");
        assert!(foo.is_match(&normalize_clerk_path("/%66oo/bar").unwrap_or_default()));
        assert!(foo.is_match(&normalize_clerk_path("/f%6fo/bar").unwrap_or_default()));
        // Without normalisation (older Clerk) the encoded path slips through.
        assert!(!m.is_match("/api/%61dmin/users"));
        assert!(!m.is_match("//api/admin/users"));
    }

    /// vercel/next.js `packages/next/src/build/analysis/get-page-static-info.test.ts`
    /// (exact manifest regexps) and `test/e2e/middleware-matcher/index.test.ts`.
    #[test]
    fn next_matcher_upstream() {
        let p = PathPattern::next_matcher("/middleware/path").expect("compile");
        assert_eq!(
            p.regex_source(),
            r"^(?:\/(_next\/data\/[^/]{1,}))?\/middleware\/path(\.json)?[\/#\?]?$"
        );
        assert_eq!(p.flags(), "");
        let p = PathPattern::next_matcher("/middleware/another-path").expect("compile");
        assert_eq!(
            p.regex_source(),
            r"^(?:\/(_next\/data\/[^/]{1,}))?\/middleware\/another-path(\.json)?[\/#\?]?$"
        );

        let table: &[(&str, &str, bool)] = &[
            ("/:id", "/apple", true),
            ("/:id", "/apple.json", true),
            // e2e: '/with-middleware/:path*', '/another-middleware/:path*'
            ("/with-middleware/:path*", "/with-middleware", true),
            (
                "/with-middleware/:path*",
                "/_next/data/BUILD_ID/with-middleware.json",
                true,
            ),
            ("/another-middleware/:path*", "/another-middleware", true),
            (
                "/another-middleware/:path*",
                "/_next/data/BUILD_ID/another-middleware.json",
                true,
            ),
            (
                "/_sites/:path((?![^/]*\\.json$)[^/]+$)",
                "/_sites/foo",
                true,
            ),
            (
                "/_sites/:path((?![^/]*\\.json$)[^/]+$)",
                "/_sites/foo.json",
                false,
            ),
            // e2e: "using a single matcher"
            ("/middleware/works", "/middleware/works", true),
            (
                "/middleware/works",
                "/_next/data/BUILD_ID/middleware/works.json",
                true,
            ),
            ("/middleware/works", "/", false),
            (
                "/middleware/works",
                "/_next/data/BUILD_ID/index.json",
                false,
            ),
            ("/middleware/works", "/about/me", false),
            // e2e: "using root matcher"
            ("/", "/", true),
            ("/", "/index", true),
            ("/", "/_next/data/BUILD_ID/index.json", true),
            ("/", "/about", false),
            // Case-sensitive (new RegExp(matcher.regexp) has no flags).
            ("/dashboard", "/Dashboard", false),
            ("/dashboard", "/dashboard/", true),
            ("/dashboard/", "/dashboard", false),
            ("/dashboard(.*)", "/dashboardxyz", true),
            ("/dashboard/:path*", "/dashboard", true),
            ("/dashboard/:path*", "/dashboard/settings/profile", true),
            ("/dashboard/:path*", "/dashboard.json", true),
            ("/dashboard/:path*", "/dashboardxyz", false),
            ("/org/:slug/settings", "/org/acme/settings", true),
            ("/org/:slug/settings", "/org/acme/settings.json", true),
            ("/:id?", "/", true),
            ("/:id?", "/x", true),
            ("/files/:path+", "/files", false),
            ("/files/:path+", "/files/a/b", true),
        ];
        run_bool(table, PathPattern::next_matcher);

        // e2e: "using a single matcher with i18n" (+ basePath), matcher '/'.
        let i18n = NextMatcherOptions {
            i18n: true,
            ..NextMatcherOptions::default()
        };
        let root = PathPattern::next_matcher_with("/", &i18n).expect("compile");
        for path in [
            "/en",
            "/es",
            "/en/index",
            "/es/index",
            "/_next/data/B/en.json",
            "/_next/data/B/es.json",
        ] {
            assert!(root.is_match(path), "i18n root {path}");
        }
        assert!(!root.is_match("/en/about/me"));
        let with_base = NextMatcherOptions {
            base_path: "/root".into(),
            ..i18n.clone()
        };
        let root = PathPattern::next_matcher_with("/", &with_base).expect("compile");
        for path in ["/root/en", "/root/es/index", "/root/_next/data/B/en.json"] {
            assert!(root.is_match(path), "basePath root {path}");
        }
        assert!(!root.is_match("/root/en/about/me"));
        assert!(!root.is_match("/en"));
        let no_locale = NextMatcherOptions {
            locale_false: true,
            ..i18n
        };
        let p = PathPattern::next_matcher_with("/about", &no_locale).expect("compile");
        assert!(p.is_match("/about"));
        assert!(!p.is_match("/en/about"));

        let conditional = NextMatcherOptions {
            conditional: true,
            ..NextMatcherOptions::default()
        };
        let p = PathPattern::next_matcher_with("/api/:path*", &conditional).expect("compile");
        assert!(p.is_conditional());
        assert!(
            !PathPattern::next_matcher("/api/:path*")
                .expect("compile")
                .is_conditional()
        );

        // Repeat without prefix: Next's normalizeTokensForRegexp fallback.
        let p = PathPattern::next_matcher("/foo:x*").expect("fallback");
        assert!(p.is_match("/foo/a/b"));
        assert!(PathPattern::clerk_route("/foo:x*").is_err());
    }

    #[test]
    fn next_legacy_json_suffix() {
        let legacy = NextMatcherOptions {
            legacy_json_suffix: true,
            ..NextMatcherOptions::default()
        };
        let p = PathPattern::next_matcher_with("/middleware/path", &legacy).expect("compile");
        assert_eq!(
            p.regex_source(),
            r"^(?:\/(_next\/data\/[^/]{1,}))?\/middleware\/path(.json)?[\/#\?]?$"
        );
        let p = PathPattern::next_matcher_with("/dashboard/", &legacy).expect("compile");
        assert!(p.is_match("/dashboard"));
        assert!(p.is_match("/dashboard/"));
        let p = PathPattern::next_matcher("/dashboard/").expect("compile");
        assert!(!p.is_match("/dashboard"));
    }

    #[test]
    fn next_default_matcher() {
        let p = PathPattern::next_default_matcher().expect("compile");
        assert_eq!(p.kind(), PatternKind::NextDefault);
        for path in [
            "/",
            "/dashboard",
            "/api/x",
            "/_next/data/B/index.json",
            "/favicon.ico",
        ] {
            assert!(p.is_match(path), "{path}");
        }
        for path in [
            "/_next/static/chunk.js",
            "/_next/image",
            "/x/_next/static/a",
        ] {
            assert!(!p.is_match(path), "{path}");
        }
    }

    /// Matchers from Clerk's docs/templates and common Next.js middleware
    /// configs, evaluated with Next.js semantics.
    #[test]
    fn clerk_docs_matchers_in_next() {
        let current = [
            r"/((?!_next|[^?]*\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
            "/(api|trpc)(.*)",
        ];
        let older = [r"/((?!.*\..*|_next).*)", "/", "/(api|trpc)(.*)"];
        let auth_middleware = [r"/((?!.+\.[\w]+$|_next).*)", "/", "/(api|trpc)(.*)"];
        let any = |set: &[&str], path: &str| {
            set.iter()
                .map(|s| PathPattern::next_matcher(s).expect("compile"))
                .any(|p| p.is_match(path))
        };
        let table: &[(&str, bool, bool, bool)] = &[
            // (path, current, older, authMiddleware)
            ("/", true, true, true),
            ("/dashboard", true, true, true),
            ("/dashboard/settings", true, true, true),
            ("/api/users/1", true, true, true),
            ("/api/data.json", true, true, true),
            ("/trpc/post.byId", true, true, true),
            ("/_next/static/chunk.js", false, false, false),
            ("/_next/image", false, false, false),
            ("/favicon.ico", false, false, false),
            ("/logo.png", false, false, false),
            ("/styles/site.css", false, false, false),
            ("/docs/report.pdf", true, false, false),
            ("/data.json", true, false, false),
            ("/blog/v1.2/post", true, false, true),
            // Pages-router data requests: the older matchers skip them.
            ("/_next/data/BUILD/dashboard.json", true, false, false),
            ("/_next/data/BUILD/index.json", true, true, true),
            ("/api", true, true, true),
        ];
        for (path, c, o_, a) in table {
            assert_eq!(any(&current, path), *c, "current {path}");
            assert_eq!(any(&older, path), *o_, "older {path}");
            assert_eq!(any(&auth_middleware, path), *a, "authMiddleware {path}");
        }

        // The same current matcher with Clerk (case-insensitive) semantics.
        let p = PathPattern::clerk_route(current[0]).expect("compile");
        assert!(p.is_match("/dashboard"));
        assert!(!p.is_match("/app.JS"));
        assert!(p.is_match("/data.json"));

        // Common config: exclude api entirely.
        let p = PathPattern::next_matcher("/((?!api|_next/static|_next/image|favicon.ico).*)")
            .expect("compile");
        assert!(!p.is_match("/api/users"));
        assert!(!p.is_match("/apiary")); // lookahead is a prefix test
        assert!(p.is_match("/dashboard"));
    }

    #[test]
    fn sample_paths_cases() {
        let cases: &[(&str, &[&str])] = &[
            ("/api/users/[id]", &["/api/users/x1"]),
            ("/docs/[...slug]", &["/docs/a", "/docs/a/b"]),
            ("/shop/[[...slug]]", &["/shop", "/shop/a", "/shop/a/b"]),
            ("/", &["/"]),
            ("", &["/"]),
            ("/[[...all]]", &["/", "/a", "/a/b"]),
            ("/org/[org]/team/[member]", &["/org/x1/team/x2"]),
            ("/(marketing)/about", &["/about"]),
            ("/dashboard/@modal/(.)photo/[id]", &["/dashboard/photo/x1"]),
            ("/my page/ü", &["/my%20page/%C3%BC"]),
            ("/blog/", &["/blog"]),
        ];
        for (route, want) in cases {
            assert_eq!(sample_paths(route), want.to_vec(), "{route}");
        }
        // Covered only if every sample matches.
        let m = PathPattern::next_matcher("/docs/:path*").expect("compile");
        assert!(
            sample_paths("/docs/[...slug]")
                .iter()
                .all(|p| m.is_match(p))
        );
        let m = PathPattern::next_matcher("/shop/:a/:b").expect("compile");
        assert!(
            !sample_paths("/shop/[[...slug]]")
                .iter()
                .all(|p| m.is_match(p))
        );
        let many = "/[...a]/[...b]/[...c]/[...d]/[...e]/[...f]/[...g]";
        let s = sample_paths(many);
        assert_eq!(s.len(), 64);
        // The first paths of each segment's alternatives, in order, up to the cap.
        assert_eq!(s[0], "/a/a/a/a/a/a/a");
        assert_eq!(s[1], "/a/a/a/a/a/a/a/b");
        assert_eq!(s[63], "/a/a/b/a/b/a/b/a/b/a/b/a/b");
        assert_eq!(
            sample_paths("/[[...a]]/x/[b]/[...c]?q#h"),
            [
                "/x/x1/a",
                "/x/x1/a/b",
                "/a/x/x1/a",
                "/a/x/x1/a/b",
                "/a/b/x/x1/a",
                "/a/b/x/x1/a/b"
            ]
        );
    }

    #[test]
    fn adversarial_inputs() {
        let bad = [
            "/(",
            "/((",
            "/)(",
            "/(a",
            "/:",
            "/:/",
            "/()",
            "/(?:a)",
            "/(a(b))",
            "/{",
            "/{a",
            "/}",
            "/{a{b}}",
            "/?",
            "/*",
            "/+",
            "/a**",
            "/:a:b",
            "/(a[)",
            "/([z-a])",
            "/(a{2,1})",
            "/(\\)",
            "/(\\",
            "/:a(\\d+)**",
        ];
        for src in bad {
            assert!(PathPattern::clerk_route(src).is_err(), "clerk {src:?}");
            assert!(PathPattern::next_matcher(src).is_err(), "next {src:?}");
        }
        // Not starting with `/` or empty: rejected by Next, fine for Clerk.
        for src in ["", "dashboard", ":id", "(.*)"] {
            assert!(PathPattern::next_matcher(src).is_err(), "next {src:?}");
        }
        assert!(PathPattern::clerk_route("dashboard").is_ok());
        // Trailing backslash is dropped by the upstream lexer.
        let p = PathPattern::clerk_route("/a\\").expect("trailing backslash");
        assert!(p.is_match("/a"));
        // Huge patterns.
        let huge = format!("/{}", "a".repeat(5000));
        assert!(PathPattern::next_matcher(&huge).is_err());
        assert!(PathPattern::clerk_route(&huge).is_ok());
        let too_huge = format!("/{}", "a".repeat(MAX_PATTERN_LEN + 1));
        assert!(PathPattern::clerk_route(&too_huge).is_err());
        let deep = format!("/({}a{})", "(?:".repeat(3000), ")".repeat(3000));
        assert!(PathPattern::clerk_route(&deep).is_err());
        let many_params = "/:a".repeat(2000);
        let p = PathPattern::clerk_route(&many_params).expect("many params");
        assert!(!p.is_match("/x"));
        // Unicode patterns and paths.
        let p = PathPattern::clerk_route("/café/:id").expect("unicode");
        assert!(p.is_match("/CAFÉ/1"));
        assert!(p.is_match("/café/日本"));
        let p = PathPattern::next_matcher("/😀/:id").expect("emoji");
        assert!(p.is_match("/😀/x"));
        let p = PathPattern::clerk_route("\\😀:id").expect("escaped emoji");
        assert!(p.is_match("😀x"));
        // Unicode in error positions (UTF-16 offsets like JavaScript).
        let e = PathPattern::clerk_route("/😀/:").expect_err("missing name");
        assert_eq!(
            e.message.lines().last(),
            Some("Missing parameter name at 4")
        );
        // Invalid regex flags.
        assert!(PathPattern::from_js_regex("a", "gg").is_err());
        assert!(PathPattern::from_js_regex("a", "x").is_err());
        assert!(PathPattern::from_js_regex("a", "uv").is_err());
        assert!(PathPattern::from_js_regex("(", "").is_err());
        assert!(PathPattern::from_js_regex("", "").is_ok_and(|p| p.regex_source() == "(?:)"));
        // Matching never panics on odd paths.
        let p = PathPattern::next_matcher("/:path*").expect("compile");
        for path in [
            "",
            "/",
            "//",
            "\u{0}",
            "/\u{10FFFF}",
            "/%",
            "/a\nb",
            "?",
            "#",
        ] {
            let _ = p.is_match(path);
            let _ = p.find(path);
        }
        for path in ["%", "%%", "%e0%a4%a", "\u{FEFF}%EF%BB%BF", "%F4%90%80%80"] {
            let _ = normalize_clerk_path(path);
        }
        let _ = sample_paths("[[...]]/[...]/[]/(/)/@/((..))");
    }

    #[test]
    fn error_is_std_error() {
        let e = PathPattern::clerk_route("/(").expect_err("err");
        let dyn_err: &dyn std::error::Error = &e;
        assert!(dyn_err.to_string().contains("Unbalanced pattern at 1"));
    }
}
