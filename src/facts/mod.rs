//! Per-file facts: everything rules need to know about one file, extracted once, in parallel,
//! with byte-level scans first and a tree-sitter parse only where a fact needs a tree.

pub mod authz;
pub mod code;
pub mod depth;
pub mod directives;
pub mod env;
pub mod evidence;
pub mod frameworks;
pub mod gates;
pub mod imports;
pub mod middleware;
pub mod names;
pub mod origins;
pub mod secrets;
pub mod tables;

use crate::parse::NodeFields;
use crate::parse::NodeKind;
use std::sync::{Arc, LazyLock, OnceLock};

use regex::Regex;
use tree_sitter::StreamingIterator;

use crate::finding::Span;
use crate::prefilter::{Hits, prefilter};
use crate::queries::{self, QueryId};
use crate::source::{FileKind, InputFile, Lang, Origin, SourceText, file_name};
use crate::suppress::{Suppression, find_suppressions};
pub use directives::Directive;
pub use env::{ConfigEnvEntry, EnvEntry, EnvRead};
pub use imports::{Import, ImportKind, ImportName};
pub use secrets::{KeyHit, KeyKind};

/// CPU time spent parsing and extracting code facts (for `CLERK_GUARD_TIMING`).
pub static PARSE_NS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
pub static EXTRACT_NS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// Files larger than this are only byte-scanned (never parsed), except entry files.
pub const PARSE_SIZE_CAP: usize = 2 * 1024 * 1024;
/// Entry files (route handlers, `pages/api`, middleware, `'use server'` modules) decide what
/// is reachable, so they are parsed up to this size; a larger one is reported as unknown.
pub const ENTRY_PARSE_SIZE_CAP: usize = 16 * 1024 * 1024;

/// Whether a file is an entry by its path: an App Router `route.*`, a `pages/api` module, a
/// middleware or proxy.
pub fn is_entry_path(rel: &str) -> bool {
    let name = file_name(rel);
    if crate::source::Lang::from_path(name).is_none() {
        return false;
    }
    name.split('.').next() == Some("route")
        || is_middleware_name(name)
        || rel.starts_with("pages/api/")
        || rel.contains("/pages/api/")
}

/// One warning per entry file too large to parse: its verdicts are unknown, not clean.
pub fn oversized_entry_warnings(files: &[FileFacts]) -> Vec<String> {
    files
        .iter()
        .filter(|f| {
            f.oversized
                && (is_entry_path(&f.rel) || matches!(f.directive, Some((Directive::UseServer, _))))
        })
        .map(|f| {
            format!(
                "{}: an entry file over {} MiB is not parsed: its routes and their protection are unknown",
                crate::finding::escape_control(&f.rel),
                ENTRY_PARSE_SIZE_CAP / (1024 * 1024)
            )
        })
        .collect()
}

/// What the persistent facts cache (`crate::cache`) keeps of one file: everything but its text
/// (the byte-level facts, and what lexing and parsing it gave when that was done), so that a
/// later run can take the facts of an unchanged file without reading it.
///
/// Only files without a secret key prefix are kept (`FileFacts::cacheable`): no key, no dotenv
/// entry, nothing that quotes one. Stored in a positional format (no field is skipped); the
/// module scan and the code facts stay encoded until something reads them (most files' imports
/// are never resolved in a run, most files are never parsed).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct StoredFacts {
    /// Length of the text in bytes.
    len: usize,
    /// The prefilter's hits, as (high, low) halves.
    hits: (u64, u64),
    directive: Option<(Directive, Span)>,
    mentions_clerk: bool,
    env_reads: Vec<EnvRead>,
    config_env: Vec<ConfigEnvEntry>,
    suppressions: Vec<Suppression>,
    /// `parsed`, `syntax_errors`, `oversized`, `calls_bare_auth`, `names_verify_webhook`,
    /// `may_mix_authz_options`, one bit each in that order; then `CODE_TAKEN`, `EXPORTS_ALL`.
    flags: u8,
    /// The module scan (`encode_imports`), when it was taken.
    #[serde(with = "serde_bytes")]
    imports: Option<Vec<u8>>,
    /// With the module scan: the keys of the stems its run-time imports end in
    /// (`ModuleScan::runtime_stem_keys`), which the analysis reads of every file without
    /// decoding the scan.
    stems: Option<Vec<u32>>,
    /// The code facts (`encode_code`), when `flags` has `CODE_TAKEN`; `None` then: the file
    /// gave none.
    #[serde(with = "serde_bytes")]
    code: Option<Vec<u8>>,
    /// The imports (indices) a TypeScript module's compiler drops because only types use
    /// them (`FileFacts::dropped_imports`), when they were asked for.
    dropped: Option<Vec<u32>>,
}

/// `StoredFacts::flags`: the code facts were taken (parsed, or held from the cache).
const CODE_TAKEN: u8 = 1 << 6;
/// `StoredFacts::flags`: the module scan has an `export * from` (known without decoding it).
const EXPORTS_ALL: u8 = 1 << 7;

/// A module scan as the cache keeps it.
fn encode_imports(scan: &imports::ModuleScan) -> Option<Vec<u8>> {
    postcard::to_stdvec(scan).ok()
}

/// A module scan the cache held, or `None` when it cannot be read (lexed again then).
fn decode_imports(bytes: &[u8]) -> Option<imports::ModuleScan> {
    postcard::from_bytes(bytes).ok()
}

/// Code facts as the cache keeps them (postcard: positional, every field written).
pub(crate) fn encode_code(code: &code::CodeFacts) -> Option<Vec<u8>> {
    postcard::to_stdvec(code).ok()
}

/// Code facts the cache held, or `None` when they cannot be read (parsed again then).
pub(crate) fn decode_code(bytes: &[u8]) -> Option<code::CodeFacts> {
    postcard::from_bytes(bytes).ok()
}

/// What the facts cache held for a file's text and nothing has read yet, still encoded:
/// decoded on first use instead of lexing or parsing (so what is lexed or parsed, and when,
/// is the same with or without the cache, and a run decodes only what it reads).
#[derive(Debug, Default)]
struct Held {
    /// The code facts (`encode_code`; `Some(None)` for a file that gave none), taken by
    /// `FileFacts::code`.
    code: std::sync::Mutex<Option<Option<Vec<u8>>>>,
    /// The module scan (`encode_imports`), taken by `FileFacts::module_scan`.
    imports: std::sync::Mutex<Option<Vec<u8>>>,
    /// The held module scan has an `export * from`.
    exports_all: bool,
    /// The held module scan's `runtime_stem_keys`.
    stems: Option<Box<[u32]>>,
    /// The imports the TypeScript compiler drops, as the cache held them.
    dropped: Option<Vec<u32>>,
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What a file's facts took from the cache (`FileFacts::from_cache`): bits.
const FROM_CACHE: u8 = 1;
const CACHED_IMPORTS: u8 = 2;
const CACHED_CODE: u8 = 4;
const CACHED_DROPPED: u8 = 8;

/// The byte-level facts that most files have none of (`FileFacts::rare`).
#[derive(Debug, Default)]
struct Rare {
    keys: Vec<KeyHit>,
    env_entries: Vec<EnvEntry>,
    env_reads: Vec<EnvRead>,
    config_env: Vec<ConfigEnvEntry>,
    suppressions: Vec<Suppression>,
}

impl Rare {
    /// `None` when every list is empty.
    fn of(
        keys: Vec<KeyHit>,
        env_entries: Vec<EnvEntry>,
        env_reads: Vec<EnvRead>,
        config_env: Vec<ConfigEnvEntry>,
        suppressions: Vec<Suppression>,
    ) -> Option<Box<Rare>> {
        let empty = keys.is_empty()
            && env_entries.is_empty()
            && env_reads.is_empty()
            && config_env.is_empty()
            && suppressions.is_empty();
        (!empty).then(|| {
            Box::new(Rare {
                keys,
                env_entries,
                env_reads,
                config_env,
                suppressions,
            })
        })
    }
}

/// What the analyzer knows about one file.
#[derive(Debug)]
pub struct FileFacts {
    /// Shared with the path index (`project::resolve::PathIds`) and the text's reload: one
    /// copy of the path per file.
    pub rel: Arc<str>,
    pub kind: FileKind,
    pub origin: Origin,
    /// xxh3-128 of the text as read from disk and the file's metadata then, when the facts
    /// cache is in use (its key, kept for its save); boxed: a scan without the cache keeps
    /// nothing of it.
    pub cache_key: Option<Box<crate::cache::ContentKey>>,
    pub source: SourceText,
    pub hits: Hits,
    /// The module directive and its span (`FileFacts::directive`), in 32 bits an offset: a
    /// file is read only up to 64 MiB (`engine::READ_SIZE_CAP`).
    directive: Option<(Directive, [u32; 2])>,
    /// The file imports `@clerk/` or names a `CLERK_` variable.
    pub mentions_clerk: bool,
    /// Keys, dotenv entries, `process.env` reads, `next.config` `env` entries and suppressions:
    /// what most files have none of, kept apart (one pointer for a file that has none).
    rare: Option<Box<Rare>>,
    /// Imports, re-exports, `import()` and `require()` (scripts that are not build output or
    /// oversized), lexed on first use (`FileFacts::imports`): a scan that needs no import
    /// graph never lexes them. `None` for a module with neither imports nor exports (most
    /// files: no allocation).
    imports: OnceLock<Option<Box<imports::ModuleScan>>>,
    /// A tree was built for this file.
    pub parsed: bool,
    /// The tree has syntax errors (facts come from what tree-sitter recovered).
    pub syntax_errors: bool,
    /// Over the size cap, or a minified script that is not an entry (see [`is_minified`]):
    /// byte-scanned only.
    pub oversized: bool,
    /// The text calls a function named exactly `auth(` (taken with the byte-level facts, so
    /// that deciding what to parse never needs a released text again).
    calls_bare_auth: bool,
    /// See [`FileFacts::wants_code`].
    wants_code: bool,
    /// A file that imports Clerk names `verifyWebhook` (byte-level, for advisories).
    pub names_verify_webhook: bool,
    /// A file that imports Clerk may mix authorization options in one `protect`/`has` call
    /// (byte-level pre-check of `authz::may_mix_options`, for advisories).
    pub may_mix_authz_options: bool,
    /// Parsed code facts, computed at most once (eagerly for files rules are known to need,
    /// lazily for helpers a handler calls).
    code: OnceLock<Option<Arc<code::CodeFacts>>>,
    /// The module scan and code facts the cache holds for this text, still encoded (`None`,
    /// costing no allocation, for every file the cache did not hold).
    held: Option<Box<Held>>,
    /// Boundary facts (client gates, rendered components, fetches, data functions), computed
    /// at most once, only for the modules a boundary rule looks at.
    gates: OnceLock<Option<Arc<gates::GateFacts>>>,
    /// What these facts took from the cache (`FROM_CACHE` and the like): whether a save has
    /// anything new to keep of them.
    from_cache: u8,
}

/// The module scan of a module with none (`FileFacts::imports`).
static NO_MODULE_SCAN: imports::ModuleScan = imports::ModuleScan {
    imports: Vec::new(),
    exports: Vec::new(),
};

/// A module scan as `FileFacts::imports` holds it.
fn boxed_scan(scan: imports::ModuleScan) -> Option<Box<imports::ModuleScan>> {
    (!scan.imports.is_empty() || !scan.exports.is_empty()).then(|| Box::new(scan))
}

/// A directive as `FileFacts::directive` holds it.
fn compact_directive(d: Option<(Directive, Span)>) -> Option<(Directive, [u32; 2])> {
    let at = |o: usize| u32::try_from(o).unwrap_or(u32::MAX);
    d.map(|(d, s)| (d, [at(s.start), at(s.end)]))
}

impl FileFacts {
    /// The module directive (`'use client'`, `'use server'`) and its span.
    pub fn directive(&self) -> Option<(Directive, Span)> {
        self.directive
            .map(|(d, [s, e])| (d, Span::new(s as usize, e as usize)))
    }

    /// The file's text (read again from disk when it was released to bound memory; see
    /// [`SourceText`]).
    pub fn text(&self) -> crate::source::Text {
        self.source.text()
    }

    /// Secret and publishable keys found in the text.
    pub fn keys(&self) -> &[KeyHit] {
        self.rare.as_deref().map_or(&[], |r| &r.keys)
    }

    /// A dotenv file's entries.
    pub fn env_entries(&self) -> &[EnvEntry] {
        self.rare.as_deref().map_or(&[], |r| &r.env_entries)
    }

    /// `process.env.NAME` / `import.meta.env.NAME` reads in a script.
    pub fn env_reads(&self) -> &[EnvRead] {
        self.rare.as_deref().map_or(&[], |r| &r.env_reads)
    }

    /// The entries of `next.config`'s `env` object.
    pub fn config_env(&self) -> &[ConfigEnvEntry] {
        self.rare.as_deref().map_or(&[], |r| &r.config_env)
    }

    /// `clerk-guard-ignore` comments.
    pub fn suppressions(&self) -> &[Suppression] {
        self.rare.as_deref().map_or(&[], |r| &r.suppressions)
    }

    /// Whether the facts cache may keep this file's facts: not a dotenv file (its values are
    /// secrets). A file that holds a secret key prefix is kept only when what is stored quotes
    /// no key (`to_stored` checks), and is read every run all the same (`holds_key_prefix`).
    pub fn cacheable(&self) -> bool {
        self.kind != FileKind::Env && self.env_entries().is_empty()
    }

    /// Whether the text holds a secret key prefix: its keys are found in its text every run
    /// (the cache keeps no key), so it is always read; only its parse results may be cached.
    pub fn holds_key_prefix(&self) -> bool {
        self.hits.any(&secrets::SECRET_PREFIXES)
    }

    /// What the cache stores of these facts: `None` for a file it may not keep, or whose
    /// stored facts would quote a secret key prefix (a string literal, a comment).
    pub fn to_stored(&self) -> Option<StoredFacts> {
        if !self.cacheable() {
            return None;
        }
        let stored = self.stored_facts()?;
        if self.holds_key_prefix() {
            let bytes = postcard::to_stdvec(&stored).ok()?;
            if secrets::SECRET_PREFIXES
                .iter()
                .any(|p| memchr::memmem::find(&bytes, p.as_bytes()).is_some())
            {
                return None;
            }
        }
        Some(stored)
    }

    fn stored_facts(&self) -> Option<StoredFacts> {
        let code: Option<Option<Vec<u8>>> = match self.code.get() {
            Some(c) => match c.as_deref() {
                Some(c) => Some(Some(encode_code(c)?)),
                None => Some(None),
            },
            None => self.held.as_ref().and_then(|h| lock(&h.code).clone()),
        };
        // The module scan as read this run, else as the cache held it (still encoded).
        let (imports, exports_all) = if !self.lexes_imports() {
            (None, false)
        } else if let Some(scan) = self.imports.get() {
            let scan = scan.as_deref().unwrap_or(&NO_MODULE_SCAN);
            (encode_imports(scan), scan.exports_all())
        } else {
            match self.held.as_deref() {
                Some(h) => (lock(&h.imports).clone(), h.exports_all),
                None => (None, false),
            }
        };
        let stems = imports
            .is_some()
            .then(|| self.import_stem_keys().into_owned());
        let bits = self.hits.bits();
        let flags = [
            self.parsed,
            self.syntax_errors,
            self.oversized,
            self.calls_bare_auth,
            self.names_verify_webhook,
            self.may_mix_authz_options,
        ]
        .iter()
        .enumerate()
        .fold(0u8, |acc, (i, b)| acc | (u8::from(*b) << i))
            | if code.is_some() { CODE_TAKEN } else { 0 }
            | if exports_all { EXPORTS_ALL } else { 0 };
        Some(StoredFacts {
            len: self.source.len(),
            hits: ((bits >> 64) as u64, bits as u64),
            directive: self.directive(),
            mentions_clerk: self.mentions_clerk,
            env_reads: self.env_reads().to_vec(),
            config_env: self.config_env().to_vec(),
            suppressions: self.suppressions().to_vec(),
            flags,
            imports,
            stems,
            code: code.flatten(),
            dropped: self.known_dropped_imports(),
        })
    }

    /// The facts of an unchanged file, as the cache kept them: its text stays on disk (what
    /// `reload` makes of the file's relative path reads it when something asks for it, checked
    /// against the hash of `key`).
    pub fn from_stored(
        input: &InputFile,
        stored: StoredFacts,
        key: crate::cache::ContentKey,
        reload: impl FnOnce(&Arc<str>) -> crate::source::Reload,
    ) -> FileFacts {
        let rel: Arc<str> = Arc::from(input.rel.as_str());
        let reload = reload(&rel);
        let flag = |i: u8| stored.flags & (1 << i) != 0;
        let hits = Hits::from_bits((u128::from(stored.hits.0) << 64) | u128::from(stored.hits.1));
        let mut from_cache = FROM_CACHE;
        if stored.imports.is_some() {
            from_cache |= CACHED_IMPORTS;
        }
        let code = (stored.flags & CODE_TAKEN != 0).then(|| {
            from_cache |= CACHED_CODE;
            stored.code
        });
        if stored.dropped.is_some() {
            from_cache |= CACHED_DROPPED;
        }
        let held =
            (stored.imports.is_some() || code.is_some() || stored.dropped.is_some()).then(|| {
                Box::new(Held {
                    code: std::sync::Mutex::new(code),
                    exports_all: stored.imports.is_some() && stored.flags & EXPORTS_ALL != 0,
                    stems: stored
                        .stems
                        .filter(|_| stored.imports.is_some())
                        .map(Vec::into_boxed_slice),
                    imports: std::sync::Mutex::new(stored.imports),
                    dropped: stored.dropped,
                })
            });
        FileFacts {
            rel: rel.clone(),
            kind: input.kind,
            origin: input.origin,
            cache_key: Some(Box::new(key)),
            source: SourceText::on_disk(stored.len, key.hash.1, reload),
            hits,
            directive: compact_directive(stored.directive),
            mentions_clerk: stored.mentions_clerk,
            rare: Rare::of(
                Vec::new(),
                Vec::new(),
                stored.env_reads,
                stored.config_env,
                stored.suppressions,
            ),
            imports: OnceLock::new(),
            parsed: flag(0),
            syntax_errors: flag(1),
            oversized: flag(2),
            calls_bare_auth: flag(3),
            wants_code: wants_code_of(&input.rel, input.kind, input.origin, flag(2), hits, flag(3)),
            names_verify_webhook: flag(4),
            may_mix_authz_options: flag(5),
            code: OnceLock::new(),
            held,
            gates: OnceLock::new(),
            from_cache,
        }
    }

    /// Take the lexing and parse results of a stored copy of exactly this text (a file read
    /// again because its metadata changed, its content not).
    pub fn restore(&mut self, stored: StoredFacts) {
        if let Some(scan) = stored.imports.as_deref().and_then(decode_imports)
            && self.imports.set(boxed_scan(scan)).is_ok()
        {
            self.from_cache |= CACHED_IMPORTS;
        }
        if stored.flags & CODE_TAKEN != 0 && self.code.get().is_none() {
            let held = self.held.get_or_insert_with(Default::default);
            *lock(&held.code) = Some(stored.code);
            self.from_cache |= CACHED_CODE;
        }
        if stored.dropped.is_some() && !self.gates_is_parsed() {
            self.held.get_or_insert_with(Default::default).dropped = stored.dropped;
            self.from_cache |= CACHED_DROPPED;
        }
        self.from_cache |= FROM_CACHE;
    }

    /// The cache knows this text and keeps nothing of it (its facts would quote a key
    /// prefix): a save has nothing new to keep of it.
    pub fn mark_unkeepable(&mut self) {
        self.from_cache = FROM_CACHE | CACHED_IMPORTS | CACHED_CODE | CACHED_DROPPED;
    }

    /// Whether a save of the cache would keep more of this file than the cache held: it was
    /// not taken from the cache, or was lexed or parsed since.
    pub fn new_to_cache(&self) -> bool {
        self.from_cache & FROM_CACHE == 0
            || (self.from_cache & CACHED_IMPORTS == 0
                && self.lexes_imports()
                && self.imports.get().is_some())
            || (self.from_cache & CACHED_CODE == 0 && self.code.get().is_some())
            || (self.from_cache & CACHED_DROPPED == 0 && self.known_dropped_imports().is_some())
    }

    /// The keys of the stems the file's run-time imports end in
    /// (`imports::ModuleScan::runtime_stem_keys`): as the cache held them while the imports
    /// are not decoded, else from the imports.
    pub fn import_stem_keys(&self) -> std::borrow::Cow<'_, [u32]> {
        if self.imports.get().is_none()
            && let Some(stems) = self.held.as_deref().and_then(|h| h.stems.as_deref())
        {
            return std::borrow::Cow::Borrowed(stems);
        }
        std::borrow::Cow::Owned(self.module_scan().runtime_stem_keys())
    }

    /// The file's imports (lexed on first use, never twice).
    pub fn imports(&self) -> &[Import] {
        &self.module_scan().imports
    }

    /// The names the module exports itself (lexed with the imports): what an `export *` of it
    /// re-exports.
    pub fn own_exports(&self) -> &[String] {
        &self.module_scan().exports
    }

    /// Whether this file's imports are known without reading its text: lexed already, or
    /// none to lex.
    pub fn imports_lexed(&self) -> bool {
        !self.lexes_imports() || self.imports.get().is_some()
    }

    /// Whether this file's imports are lexed from its text (a script that is neither build
    /// output nor oversized); every other file has none.
    fn lexes_imports(&self) -> bool {
        matches!(self.kind, FileKind::Script(_)) && !self.origin.build_output && !self.oversized
    }

    fn module_scan(&self) -> &imports::ModuleScan {
        self.imports
            .get_or_init(|| {
                if let Some(scan) = self
                    .held
                    .as_ref()
                    .and_then(|h| lock(&h.imports).take())
                    .and_then(|bytes| decode_imports(&bytes))
                {
                    return boxed_scan(scan);
                }
                boxed_scan(self.lex_imports())
            })
            .as_deref()
            .unwrap_or(&NO_MODULE_SCAN)
    }

    /// Whether the module has an `export * from` (what the cache held tells without decoding
    /// the module scan).
    pub fn exports_all(&self) -> bool {
        if self.imports.get().is_none()
            && let Some(h) = self.held.as_deref()
            && lock(&h.imports).is_some()
        {
            return h.exports_all;
        }
        self.module_scan().exports_all()
    }

    fn lex_imports(&self) -> imports::ModuleScan {
        match self.kind {
            FileKind::Script(lang) if self.lexes_imports() => {
                let text = self.source.text();
                imports::scan_module(
                    &crate::source::script_view(&self.rel, &text),
                    lang.has_jsx(),
                )
            }
            _ => imports::ModuleScan::default(),
        }
    }

    pub fn is_client_module(&self) -> bool {
        matches!(self.directive, Some((Directive::UseClient, _)))
    }

    pub fn is_next_config(&self) -> bool {
        is_next_config_name(file_name(&self.rel))
    }

    /// The parsed code facts of a script file (parsing it on first use, never twice).
    pub fn code(&self) -> Option<&code::CodeFacts> {
        self.code
            .get_or_init(|| {
                let cached = self.held.as_ref().and_then(|h| lock(&h.code).take());
                match cached {
                    Some(None) => None,
                    Some(Some(bytes)) => decode_code(&bytes)
                        .or_else(|| self.parse_code())
                        .map(Arc::new),
                    None => self.parse_code().map(Arc::new),
                }
            })
            .as_deref()
    }

    /// The boundary facts of a script file (parsing it on first use; see `facts::gates`).
    pub fn gates(&self) -> Option<&gates::GateFacts> {
        self.gates
            .get_or_init(|| {
                let FileKind::Script(lang) = self.kind else {
                    return None;
                };
                if self.origin.build_output || self.oversized {
                    return None;
                }
                let t0 = std::time::Instant::now();
                let text = self.source.text();
                let text = crate::source::script_view(&self.rel, &text);
                let tree = crate::parse::parse(lang, &text)?;
                let typescript = lang.is_typescript();
                let facts = gates::extract(&tree, &text, self.imports(), typescript);
                gates::GATES_NS.fetch_add(
                    t0.elapsed().as_nanos() as u64,
                    std::sync::atomic::Ordering::Relaxed,
                );
                Some(Arc::new(facts))
            })
            .as_deref()
    }

    /// Whether the boundary facts were computed (for tests and statistics).
    pub fn gates_is_parsed(&self) -> bool {
        self.gates.get().is_some_and(Option::is_some)
    }

    /// Which imports (indices into [`FileFacts::imports`]) the TypeScript compiler drops
    /// because only types use them: as the facts cache held them, else from the boundary
    /// facts (parsing the module on first use). None of a JavaScript module's.
    pub fn dropped_imports(&self) -> Vec<usize> {
        if !self.kind.lang().is_some_and(Lang::is_typescript) {
            return Vec::new();
        }
        if self.known_dropped_imports().is_none() {
            self.gates();
        }
        self.known_dropped_imports()
            .unwrap_or_default()
            .into_iter()
            .map(|k| k as usize)
            .collect()
    }

    /// [`FileFacts::dropped_imports`] when known without parsing: from the boundary facts
    /// parsed already or from the cache.
    pub(crate) fn known_dropped_imports(&self) -> Option<Vec<u32>> {
        if !self.kind.lang().is_some_and(Lang::is_typescript) {
            return None;
        }
        if let Some(Some(g)) = self.gates.get() {
            return Some(
                self.imports()
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| g.elided_imports.contains(&i.source_span))
                    .filter_map(|(k, _)| u32::try_from(k).ok())
                    .collect(),
            );
        }
        self.held.as_deref().and_then(|h| h.dropped.clone())
    }

    /// Whether the code facts were asked for already (parsed, decoded, or found to be none):
    /// asking again costs nothing.
    pub fn code_known(&self) -> bool {
        self.code.get().is_some()
    }

    /// Whether the code facts were computed (for tests and statistics).
    pub fn code_is_parsed(&self) -> bool {
        self.code.get().is_some_and(Option::is_some)
    }

    fn parse_code(&self) -> Option<code::CodeFacts> {
        let FileKind::Script(lang) = self.kind else {
            return None;
        };
        if self.origin.build_output || self.oversized {
            return None;
        }
        let text = self.source.text();
        let text = crate::source::script_view(&self.rel, &text);
        let text: &str = &text;
        let t0 = std::time::Instant::now();
        let tree = crate::parse::parse(lang, text)?;
        let t1 = std::time::Instant::now();
        let _ = depth::take_truncated();
        let mut facts = if self.rel.ends_with(".astro") {
            code::extract_component(&tree, text, self.imports())
        } else {
            code::extract(&tree, text, self.imports())
        };
        facts.authz = authz::extract(tree.root_node(), text, &facts);
        facts.origins = origins::extract(tree.root_node(), text, &facts);
        facts.frameworks = frameworks::extract(&frameworks::Input {
            rel: &self.rel,
            lang,
            tree: &tree,
            text,
            code: &facts,
            hits: &self.hits,
        });
        let t2 = std::time::Instant::now();
        PARSE_NS.fetch_add(
            (t1 - t0).as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        EXTRACT_NS.fetch_add(
            (t2 - t1).as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        if is_middleware_name(file_name(&self.rel)) {
            let (config, config_span) = code::middleware_config(lang, &tree, text, &facts);
            let export = facts
                .export("default")
                .or_else(|| facts.export("middleware"))
                .or_else(|| facts.export("proxy"))
                .cloned();
            let kind = export
                .as_ref()
                .map(|e| middleware::analyse(tree.root_node(), text, &facts, &e.target));
            let extras = middleware::extras(tree.root_node(), text, &facts);
            facts.middleware = Some(Box::new(code::MiddlewareFacts {
                export,
                config,
                config_span,
                kind,
                extras,
            }));
        }
        facts.too_deep = depth::take_truncated();
        Some(facts)
    }

    /// Whether rules are known to need this file's code facts (parsed in the parallel phase):
    /// route handlers, `pages/api`, middleware/proxy files, server actions, and files that
    /// call Clerk's server-side session APIs. Everything else is parsed only on demand (a
    /// helper a handler calls, a page a rule looks at). Decided once, when the facts are
    /// made (the read phase, the parse and the model each ask, for every file).
    pub fn wants_code(&self) -> bool {
        self.wants_code
    }
}

/// See [`FileFacts::wants_code`]: from the file's path, kind and byte-level facts alone.
fn wants_code_of(
    rel: &str,
    kind: FileKind,
    origin: Origin,
    oversized: bool,
    hits: Hits,
    calls_bare_auth: bool,
) -> bool {
    let FileKind::Script(_) = kind else {
        return false;
    };
    if origin.build_output || oversized {
        return false;
    }
    let name = file_name(rel);
    let stem = name.split('.').next().unwrap_or("");
    matches!(stem, "route" | "middleware" | "proxy")
        || rel.starts_with("pages/api/")
        || rel.contains("/pages/api/")
        || hits.has("use server")
        || hits.has("currentUser")
        || hits.has("getAuth")
        || calls_bare_auth
        || frameworks::wants(rel, &hits)
}

/// Whether a script's text is minified: at least 64 KiB, with lines of 1,000 bytes on average
/// (a library saved with a web page, a vendored bundle). Nobody writes an app's Clerk wiring
/// so; such a file is searched for keys like any other, but not parsed for code facts (a
/// single line of hundreds of KiB costs the parser more than the rest of an app).
pub fn is_minified(text: &str) -> bool {
    const MIN_LEN: usize = 64 * 1024;
    const MIN_AVERAGE_LINE: usize = 1000;
    text.len() >= MIN_LEN
        && text.len() / (memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1)
            >= MIN_AVERAGE_LINE
}

/// `hits` without the keywords that name a package or a function only as a whole word, where
/// the text holds them only inside longer words: `express` in `expression` or `expressly` (in
/// minified libraries and prose) would have every such file parsed for Express's routes.
fn whole_word_hits(hits: Hits, text: &str) -> Hits {
    if hits.has("express") && code::word_ends(text, "express").next().is_none() {
        return hits.without("express");
    }
    hits
}

/// Whether the text calls a function named exactly `auth(` (not `useAuth(`, `getAuth(`).
fn calls_bare_auth(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"auth(").any(|i| {
        i == 0 || {
            let b = bytes[i - 1];
            !(b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        }
    })
}

/// `middleware.ts`, `proxy.js`, `middleware.page.ts`, …; not a copy kept as an example
/// (`middleware.example.ts`, `proxy.sample.js`, `middleware.template.ts`), which nobody meant
/// Next.js to load.
pub fn is_middleware_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    (stem == "middleware" || stem == "proxy")
        && crate::source::Lang::from_path(name).is_some()
        && !is_example_copy(name)
}

/// A code file kept as an example, which nothing runs: `middleware.example.ts`,
/// `actions.sample.js`, `proxy.template.ts` (a part of the name after the first).
pub fn is_example_copy(name: &str) -> bool {
    name.split('.')
        .skip(1)
        .any(|p| matches!(p, "example" | "sample" | "template"))
}

pub fn is_next_config_name(name: &str) -> bool {
    matches!(
        name,
        "next.config.js"
            | "next.config.mjs"
            | "next.config.cjs"
            | "next.config.ts"
            | "next.config.mts"
    )
}

/// Whether bytes look binary (a NUL byte in the first 8 KiB, as git and ripgrep decide).
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// The text of a file's bytes, or `None` for a binary file. UTF-16 (with a byte-order mark,
/// or recognised by its interleaved zero bytes) is decoded; a NUL byte does not make a source
/// or dotenv file binary (its keys must still be found); any other file with a NUL byte in
/// its first 8 KiB is binary, and is read (as UTF-8 with invalid sequences replaced) only
/// when it holds a secret key prefix: a key in an image, an archive or a database that is
/// committed or served is as leaked as one in a text file.
pub fn decode_file(bytes: Vec<u8>, kind: FileKind) -> Option<String> {
    if let Some(text) = decode_utf16(&bytes) {
        return Some(text);
    }
    if is_binary(&bytes)
        && !matches!(kind, FileKind::Script(_) | FileKind::Env)
        && !secrets::SECRET_PREFIXES
            .iter()
            .any(|p| memchr::memmem::find(&bytes, p.as_bytes()).is_some())
    {
        return None;
    }
    Some(decode(bytes))
}

/// UTF-16 text: a byte-order mark, or (when there is a NUL byte at all) zero bytes in many
/// high halves of the first 8 KiB and few in the low ones.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let big_endian = match bytes {
        [0xff, 0xfe, ..] => false,
        [0xfe, 0xff, ..] => true,
        _ => {
            if bytes.len() < 4 || !is_binary(bytes) {
                return None;
            }
            let head = &bytes[..bytes.len().min(8192) & !1];
            let pairs = head.len() / 2;
            let (mut even, mut odd) = (0usize, 0usize);
            for pair in head.chunks_exact(2) {
                even += usize::from(pair[0] == 0);
                odd += usize::from(pair[1] == 0);
            }
            // Zero high bytes in at least 30% of the units (and at least four), and four
            // times as many as zero low bytes (a character past U+00FF, or a surrogate, has
            // a zero low byte now and then).
            let mostly = |n: usize, other: usize| n >= 4 && n * 10 >= pairs * 3 && other * 4 <= n;
            if mostly(odd, even) {
                false
            } else if mostly(even, odd) {
                true
            } else {
                return None;
            }
        }
    };
    let units = bytes.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Some(
        text.strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text),
    )
}

/// Decode bytes as UTF-8, replacing invalid sequences (never fails).
pub fn decode(bytes: Vec<u8>) -> String {
    // Validated with simdutf8's SIMD check (std's was 4 % of a secrets-only scan's
    // instructions: every byte of every file passes through it).
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: `bytes` was just checked to be valid UTF-8.
        return unsafe { String::from_utf8_unchecked(bytes) };
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The facts of a text standing for the file `rel` (tests build their projects from these).
#[cfg(test)]
pub(crate) fn extract_text(rel: &str, text: &str) -> FileFacts {
    let input = InputFile {
        rel: rel.to_string(),
        abs: rel.into(),
        kind: crate::source::FileKind::classify(rel),
        origin: crate::source::Origin::default(),
    };
    extract(&input, text.to_string())
}

/// Extract the facts of one file from its text.
pub fn extract(input: &InputFile, text: String) -> FileFacts {
    let hits = prefilter().scan(text.as_bytes());
    extract_with(input, text, hits, true)
}

/// [`extract`] for a scan that runs byte-level rules only and stores no facts: the prefilter
/// searches its byte-level tier alone (see [`Prefilter::scan_byte_level`]), and the flags only
/// rules that read code consult (a `verifyWebhook` name, authorization options that may mix)
/// are not searched for: they stay unset.
///
/// [`Prefilter::scan_byte_level`]: crate::prefilter::Prefilter::scan_byte_level
pub fn extract_byte_level(input: &InputFile, text: String) -> FileFacts {
    let hits = prefilter().scan_byte_level(text.as_bytes());
    extract_with(input, text, hits, false)
}

/// The facts of a text whose keywords are `hits`; `code_flags`: search for the flags that only
/// the rules that read code consult.
fn extract_with(input: &InputFile, text: String, hits: Hits, code_flags: bool) -> FileFacts {
    let source = SourceText::new(text);
    let text = source.text();
    let text: &str = &text;
    // A byte-level read searched only the byte-level keywords (every other one reads as
    // present) and parses nothing: the code keywords' whole-word test would search every
    // file for nothing.
    let hits = if code_flags {
        whole_word_hits(hits, text)
    } else {
        hits
    };
    let bytes_only = input.origin.build_output;
    // In dotenv files each variable is its own context (its name says CLERK or not).
    let mentions_clerk = input.kind != FileKind::Env && hits.any(&["@clerk/", "CLERK_"]);

    let directive = match input.kind {
        FileKind::Script(_) if !bytes_only && !crate::source::is_component_file(&input.rel) => {
            directives::module_directive(text)
        }
        _ => None,
    };
    let entry = is_entry_path(&input.rel) || matches!(directive, Some((Directive::UseServer, _)));
    let oversized = text.len()
        > if entry {
            ENTRY_PARSE_SIZE_CAP
        } else {
            PARSE_SIZE_CAP
        }
        || (!entry && matches!(input.kind, FileKind::Script(_)) && is_minified(text));

    let mut keys = Vec::new();
    let production_env =
        input.kind == FileKind::Env && crate::source::is_production_env_name(file_name(&input.rel));
    if hits.any(&secrets::SECRET_PREFIXES) || (production_env && hits.has("pk_test_")) {
        keys = secrets::find_keys(
            text,
            mentions_clerk,
            production_env,
            input.kind == FileKind::Env,
        );
        keys.retain(|k| secrets::leaks_in(k.kind, &input.rel));
    }

    let env_entries = if input.kind == FileKind::Env {
        env::parse_dotenv(text)
    } else {
        Vec::new()
    };

    let env_reads = if matches!(input.kind, FileKind::Script(_))
        && !bytes_only
        && hits.any(&["process.env", "import.meta.env"])
    {
        scan_env_reads(text, 0, text.len())
    } else {
        Vec::new()
    };

    let suppressions = if hits.has(crate::suppress::MARKER) && !bytes_only {
        find_suppressions(text, source.lines())
    } else {
        Vec::new()
    };

    let bare_auth = code_flags && hits.has("auth(") && calls_bare_auth(text);
    let clerk_import =
        code_flags && matches!(input.kind, FileKind::Script(_)) && hits.has("@clerk/");
    let mut facts = FileFacts {
        rel: Arc::from(input.rel.as_str()),
        kind: input.kind,
        origin: input.origin,
        cache_key: None,
        hits,
        directive: compact_directive(directive),
        mentions_clerk,
        rare: Rare::of(keys, env_entries, env_reads, Vec::new(), suppressions),
        imports: OnceLock::new(),
        parsed: false,
        syntax_errors: false,
        oversized,
        calls_bare_auth: bare_auth,
        wants_code: wants_code_of(
            &input.rel,
            input.kind,
            input.origin,
            oversized,
            hits,
            bare_auth,
        ),
        names_verify_webhook: clerk_import && text.contains("verifyWebhook"),
        may_mix_authz_options: clerk_import && authz::may_mix_options(text),
        source: source.clone(),
        code: OnceLock::new(),
        held: None,
        gates: OnceLock::new(),
        from_cache: 0,
    };

    if let FileKind::Script(lang) = input.kind
        && !bytes_only
        && !oversized
        && is_next_config_name(file_name(&input.rel))
        && may_hold_env_key(text)
        && let Some(tree) = crate::parse::parse(lang, text)
    {
        facts.parsed = true;
        facts.syntax_errors = tree.root_node().has_error();
        let config_env = next_config_env(lang, &tree, text);
        if !config_env.is_empty() {
            facts.rare.get_or_insert_default().config_env = config_env;
        }
    }
    facts
}

/// Whether the text may hold an object key `env` (what `next_config_env` looks for): the word
/// `env`, then nothing but blanks and comments before a `:`. A config without one is not
/// parsed.
fn may_hold_env_key(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, b"env").any(|at| {
        if at > 0 && imports::is_ident_byte(b[at - 1]) {
            return false;
        }
        let mut i = at + 3;
        loop {
            match b.get(i..) {
                Some([c, ..]) if c.is_ascii_whitespace() => i += 1,
                Some([b'/', b'*', ..]) => match memchr::memmem::find(&b[i + 2..], b"*/") {
                    Some(end) => i += 2 + end + 2,
                    None => return false,
                },
                Some([b'/', b'/', ..]) => match memchr::memchr(b'\n', &b[i..]) {
                    Some(end) => i += end + 1,
                    None => return false,
                },
                Some([b':', ..]) => return true,
                _ => return false,
            }
        }
    })
}

static ENV_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\b(?:process\.env|import\.meta\.env)(?:\.([A-Za-z_$][A-Za-z0-9_$]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])"#,
    )
    .expect("valid regex")
});

/// `process.env.NAME` reads by a byte-level scan of `text[start..end]`, skipping reads that a
/// `//` comment on the same line hides, and text inside a string literal opened earlier on
/// the line (`'process.env.X'` in a message names the variable, it does not read it).
pub fn scan_env_reads(text: &str, start: usize, end: usize) -> Vec<EnvRead> {
    let mut reads = Vec::new();
    for caps in ENV_READ.captures_iter(&text[start..end]) {
        let Some(whole) = caps.get(0) else { continue };
        let Some(name) = caps.get(1).or_else(|| caps.get(2)) else {
            continue;
        };
        let at = start + whole.start();
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..at];
        if before.contains("//") || before.trim_start().starts_with('*') || in_string(before) {
            continue;
        }
        reads.push(EnvRead {
            name: name.as_str().to_string(),
            span: Span::new(at, start + whole.end()),
        });
    }
    reads
}

/// Whether the end of `line` (the text of a line before some position) lies inside a string
/// literal: a `'…'`, `"…"` or template literal opened on the line and not closed (a template's
/// `${…}` is code again). A quote right after a letter or digit opens nothing: JavaScript has
/// no such string, while JSX text (`Don't`) has such apostrophes. Strings opened on an earlier
/// line (a template spanning lines) are not seen: the text then counts as code.
fn in_string(line: &str) -> bool {
    /// Nesting of template literals and their substitutions, innermost last.
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Code { braces: u32 },
        Quote(u8),
        Template,
    }
    let b = line.as_bytes();
    let mut stack = vec![State::Code { braces: 0 }];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let Some(top) = stack.last_mut() else {
            return false;
        };
        match *top {
            State::Code { braces } => match c {
                b'\'' | b'"'
                    if !(i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
                {
                    stack.push(State::Quote(c))
                }
                b'`' => stack.push(State::Template),
                b'{' => *top = State::Code { braces: braces + 1 },
                b'}' if braces > 0 => *top = State::Code { braces: braces - 1 },
                // The end of a template's `${…}`.
                b'}' if stack.len() > 1 => {
                    stack.pop();
                }
                _ => {}
            },
            State::Quote(q) => match c {
                b'\\' => i += 1,
                _ if c == q => {
                    stack.pop();
                }
                _ => {}
            },
            State::Template => match c {
                b'\\' => i += 1,
                b'`' => {
                    stack.pop();
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(State::Code { braces: 0 });
                    i += 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    !matches!(stack.last(), Some(State::Code { .. }))
}

fn next_config_env(
    lang: crate::source::Lang,
    tree: &tree_sitter::Tree,
    text: &str,
) -> Vec<ConfigEnvEntry> {
    let Some(q) = queries::get(QueryId::NextConfigEnv, lang) else {
        return Vec::new();
    };
    let (Some(hit), Some(name)) = (q.capture("hit"), q.capture("name")) else {
        return Vec::new();
    };
    let value = q.capture("value");
    // Only what the module exports counts: an `env` object built and then dropped is not
    // inlined by Next.js.
    let exported = exported_ranges(tree.root_node(), text);
    let mut cursor = tree_sitter::QueryCursor::new();
    let mut matches = cursor.matches(&q.query, tree.root_node(), text.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = matches.next() {
        let mut entry_span = None;
        let mut name_text = None;
        let mut value_span = None;
        for c in m.captures() {
            let r = c.node.byte_range();
            if c.index == hit {
                entry_span = Some(Span::new(r.start, r.end));
            }
            if c.index == name {
                name_text = Some(text[r.clone()].trim_matches(['"', '\'']).to_string());
                if value_span.is_none() {
                    value_span = Some(Span::new(r.start, r.end));
                }
            }
            if Some(c.index) == value {
                value_span = Some(Span::new(r.start, r.end));
            }
        }
        if let (Some(span), Some(name), Some(vspan)) = (entry_span, name_text, value_span)
            && exported.as_ref().is_none_or(|ranges| {
                ranges
                    .iter()
                    .any(|r| r.start <= span.start && span.end <= r.end)
            })
        {
            let reads = if vspan.start < vspan.end {
                let mut reads: Vec<String> = scan_env_reads(text, vspan.start, vspan.end)
                    .into_iter()
                    .map(|r| r.name)
                    .collect();
                // Shorthand `env: { CLERK_SECRET_KEY }` reads a variable of that name.
                if reads.is_empty() && span == vspan {
                    reads.push(name.clone());
                }
                reads
            } else {
                Vec::new()
            };
            if !out.iter().any(|e: &ConfigEnvEntry| e.span == span) {
                out.push(ConfigEnvEntry {
                    name,
                    span,
                    reads,
                    value_span: vspan,
                });
            }
        }
    }
    out
}

/// The byte ranges of what a config module exports (`export default X`, `module.exports = X`):
/// the exported expression and, transitively, the top-level bindings it names (a config
/// object wrapped in `withPlugin(config)`, spread into another, returned by a function).
/// `None` when no export is found (then every entry counts).
fn exported_ranges(root: tree_sitter::Node<'_>, text: &str) -> Option<Vec<std::ops::Range<usize>>> {
    let mut bindings: std::collections::HashMap<&str, std::ops::Range<usize>> =
        std::collections::HashMap::new();
    let mut exports: Vec<std::ops::Range<usize>> = Vec::new();
    let mut cursor = root.walk();
    for stmt in root.named_children(&mut cursor) {
        match stmt.kind_str() {
            "lexical_declaration" | "variable_declaration" => {
                let mut c = stmt.walk();
                for decl in stmt.named_children(&mut c) {
                    if let (Some(name), Some(value)) = (decl.field("name"), decl.field("value"))
                        && name.kind_str() == "identifier"
                    {
                        bindings.insert(&text[name.byte_range()], value.byte_range());
                    }
                }
            }
            "function_declaration" => {
                if let Some(name) = stmt.field("name") {
                    bindings.insert(&text[name.byte_range()], stmt.byte_range());
                }
            }
            "export_statement" => {
                if let Some(v) = stmt.field("value") {
                    exports.push(v.byte_range());
                } else if let Some(d) = stmt.field("declaration") {
                    // `export default function config() {…}`, `export const x = …`
                    if stmt.child(1).is_some_and(|k| k.kind_str() == "default") {
                        exports.push(d.byte_range());
                    }
                }
            }
            "expression_statement" => {
                let Some(e) = stmt.named_child(0) else {
                    continue;
                };
                if e.kind_str() != "assignment_expression" {
                    continue;
                }
                let (Some(left), Some(right)) = (e.field("left"), e.field("right")) else {
                    continue;
                };
                let l = &text[left.byte_range()];
                if l == "module.exports" || l == "exports.default" {
                    exports.push(right.byte_range());
                }
            }
            _ => {}
        }
    }
    if exports.is_empty() {
        return None;
    }
    // Follow the names the exported expressions use to their top-level bindings.
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut work = exports;
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    while let Some(range) = work.pop() {
        if out.len() > 64 {
            break;
        }
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if n.end_byte() <= range.start || n.start_byte() >= range.end {
                continue;
            }
            if n.kind_str() == "identifier" {
                let name = &text[n.byte_range()];
                if let Some(r) = bindings.get(name)
                    && seen.insert(name)
                {
                    work.push(r.clone());
                }
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        out.push(range);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minified library is searched for keys but not parsed; an entry file is parsed
    /// whatever its shape, and so is a long file of ordinary lines.
    #[test]
    fn minified_scripts_are_not_parsed_unless_entries() {
        let minified = format!(
            "import {{ auth }} from '@clerk/nextjs/server';{}",
            "var a=auth(1);".repeat(6000)
        );
        let lines = "const a = auth(1);\n".repeat(6000);
        let f = extract_text("public/vendor/lib.js", &minified);
        assert!(f.oversized && !f.wants_code());
        let f = extract_text("lib/session.ts", &lines);
        assert!(!f.oversized && f.wants_code());
        let f = extract_text("app/api/x/route.js", &minified);
        assert!(!f.oversized && f.wants_code());
        let f = extract_text(
            "public/vendor/keys.js",
            &format!(
                "{minified}var k='sk_live_{}';",
                "Xy7Qp2Lm9Rt4Vb8Nc1Zk5Hd3Jf6Gs0WqE4"
            ),
        );
        assert_eq!(f.keys().len(), 1);
    }

    /// Express's routes are read from a file that names `express` as a word, not from one
    /// whose text holds it inside `expression` (a minified library, a parser).
    #[test]
    fn express_is_wanted_as_a_word_only() {
        let cases = [
            (
                "const re = /x/; throw new Error('bad expression'); api.get('/a', h)",
                false,
            ),
            ("// expressly allowed\napi.get('/a', h)", false),
            ("import express from 'express'\nconst app = express()", true),
            ("const { requireAuth } = require('@clerk/express')", true),
            ("import rateLimit from 'express-rate-limit'", true),
        ];
        for (text, wanted) in cases {
            assert_eq!(
                extract_text("lib/a.js", text).wants_code(),
                wanted,
                "{text}"
            );
        }
    }

    /// Every file of a scan keeps its facts (100,000 on a large tree): the bound catches a
    /// field that brings a large value back inline (the module scan is boxed, the directive's
    /// span is in 32 bits, the path is shared).
    #[test]
    fn file_facts_stay_small() {
        let size = std::mem::size_of::<FileFacts>();
        assert!(size <= 144, "FileFacts is {size} bytes (at most 144)");
    }

    /// The directive keeps its span through its compact form.
    #[test]
    fn the_directive_keeps_its_span() {
        let text = "// a\n'use server'\nexport async function a() {}\n";
        let f = extract_text("app/a.ts", text);
        assert!(matches!(f.directive(), Some((Directive::UseServer, _))));
        assert_eq!(f.directive(), directives::module_directive(text));
        assert_eq!(
            extract_text("app/b.ts", "export const b = 1\n").directive(),
            None
        );
    }
    use crate::source::Lang;

    #[test]
    fn next_config_env_of_what_is_exported() {
        let names = |name: &str, text: &str| -> Vec<String> {
            extract(&input(name), text.to_string())
                .config_env()
                .iter()
                .map(|e| e.name.clone())
                .collect()
        };
        // Built and dropped.
        let dropped = "const unused = { env: { CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY } }\nmodule.exports = { reactStrictMode: true }\n";
        assert!(names("next.config.js", dropped).is_empty());
        let dropped_esm = "const draft = { env: { A: process.env.A } };\nconst nextConfig = { images: {} };\nexport default nextConfig;\n";
        assert!(names("next.config.mjs", dropped_esm).is_empty());
        // Exported through a binding, a wrapper, a spread, a function.
        for text in [
            "const base = { env: { A: process.env.A } };\nconst nextConfig = { ...base };\nexport default withClerk(nextConfig);\n",
            "const nextConfig = { env: { A: process.env.A } };\nmodule.exports = withSentryConfig(nextConfig, {});\n",
            "module.exports = (phase) => ({ env: { A: process.env.A } })\n",
            "export default function config() { return { env: { A: process.env.A } } }\n",
        ] {
            assert_eq!(
                names("next.config.js", text),
                vec!["A".to_string()],
                "{text}"
            );
        }
        // No export found: every entry counts.
        assert_eq!(
            names("next.config.js", "const c = { env: { A: 1 } }\n"),
            vec!["A".to_string()]
        );
    }

    fn input(rel: &str) -> InputFile {
        InputFile {
            rel: rel.to_string(),
            abs: rel.into(),
            kind: FileKind::classify(rel),
            origin: Origin::default(),
        }
    }

    #[test]
    fn env_reads_skip_comments() {
        let text = "const a = process.env.CLERK_SECRET_KEY;\n// process.env.HIDDEN\nconst b = process.env['X_Y'];\nimport.meta.env.VITE_A";
        let names: Vec<_> = scan_env_reads(text, 0, text.len())
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names, vec!["CLERK_SECRET_KEY", "X_Y", "VITE_A"]);
    }

    /// A variable's name inside a string literal (a message, a list of where a value was
    /// looked for) is no read of it; a read in a template's substitution, or after a string
    /// closed on the line, is.
    #[test]
    fn env_reads_skip_string_literals() {
        let text = "const a = ['process.env.IN_SINGLE', \"x process.env.IN_DOUBLE\"]\n\
                    const b = `see process.env.IN_TEMPLATE`\n\
                    const c = `${process.env.IN_SUBST}` + 'it\\'s' + process.env.AFTER\n\
                    const d = `${ {a: 1}.a } ${process.env.NESTED}`\n\
                    const e = <p>Don't {process.env.JSX}</p>\n";
        let names: Vec<_> = scan_env_reads(text, 0, text.len())
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names, vec!["IN_SUBST", "AFTER", "NESTED", "JSX"]);
        assert!(in_string("x = 'a"));
        assert!(!in_string("x = 'a' + "));
        assert!(in_string("x = `a ${b} c"));
        assert!(!in_string("x = `a ${"));
    }

    #[test]
    fn next_config_env_entries() {
        for (name, lang) in [("next.config.mjs", Lang::Js), ("next.config.ts", Lang::Ts)] {
            let text = "const nextConfig = {\n  env: {\n    CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY,\n    'PLAIN': 'x',\n    SHORT,\n  },\n};\nexport default nextConfig;\n";
            let facts = extract(&input(name), text.to_string());
            assert_eq!(facts.kind, FileKind::Script(lang));
            let got: Vec<_> = facts
                .config_env()
                .iter()
                .map(|e| (e.name.as_str(), e.reads.clone()))
                .collect();
            assert_eq!(
                got,
                vec![
                    ("CLERK_SECRET_KEY", vec!["CLERK_SECRET_KEY".to_string()]),
                    ("PLAIN", vec![]),
                    ("SHORT", vec!["SHORT".to_string()]),
                ],
                "{name}"
            );
        }
    }

    /// A config is parsed only when it may hold an `env:` key: every form the query reads
    /// passes the check (comments between the key and its colon too), and a config whose
    /// `env` words are no key is not parsed.
    #[test]
    fn env_key_precheck() {
        for text in [
            "module.exports = { env: { A: 'x' } }",
            "module.exports = { env\n  : { A } }",
            "module.exports = { env /* inlined */ : { A } }",
            "module.exports = { env // inlined\n: { A } }",
            "const c = { reactStrictMode: true, env:{} }",
        ] {
            assert!(may_hold_env_key(text), "{text}");
        }
        for text in [
            "module.exports = { reactStrictMode: true }",
            "const u = process.env.URL\nmodule.exports = { images: { domains: [u] } }",
            "module.exports = { envelope: 1, 'env': {} }",
            "module.exports = { env /* never closed",
            "const env = 1",
        ] {
            assert!(!may_hold_env_key(text), "{text}");
        }
        // Not parsed, so no entries; the same config with an `env` key has them.
        let facts = |text: &str| extract(&input("next.config.js"), text.to_string());
        let plain = facts("module.exports = { images: { domains: [process.env.HOST] } }");
        assert!(!plain.parsed && plain.config_env().is_empty());
        let with = facts("module.exports = { env /* x */ : { HOST: process.env.HOST } }");
        assert!(with.parsed);
        assert_eq!(with.config_env().len(), 1);
    }

    #[test]
    fn binary_and_lossy() {
        assert!(is_binary(b"abc\0def"));
        assert!(!is_binary(b"abc"));
        assert_eq!(decode(vec![b'a', 0xff, b'b']), "a\u{fffd}b");
    }
}
