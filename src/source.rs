//! Source files: what a path is (its kind and language) and how to map byte offsets to lines.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The grammar a script file is parsed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// `.js`, `.jsx`, `.mjs`, `.cjs`: tree-sitter-javascript (which understands JSX).
    Js,
    /// `.ts`, `.mts`, `.cts`: tree-sitter-typescript (no JSX).
    Ts,
    /// `.tsx`: tree-sitter-typescript's TSX grammar.
    Tsx,
}

impl Lang {
    pub fn from_path(path: &str) -> Option<Lang> {
        let ext = path.rsplit_once('.').map(|(_, e)| e)?;
        match ext {
            "js" | "jsx" | "mjs" | "cjs" => Some(Lang::Js),
            "ts" | "mts" | "cts" => {
                if path.ends_with(".d.ts") || path.ends_with(".d.mts") || path.ends_with(".d.cts") {
                    None
                } else {
                    Some(Lang::Ts)
                }
            }
            "tsx" => Some(Lang::Tsx),
            _ => None,
        }
    }

    /// Whether the grammar has JSX nodes.
    pub fn has_jsx(self) -> bool {
        matches!(self, Lang::Js | Lang::Tsx)
    }

    /// TypeScript (`.ts`, `.tsx`): its compiler drops the imports only types use.
    pub fn is_typescript(self) -> bool {
        matches!(self, Lang::Ts | Lang::Tsx)
    }
}

/// What a file is, decided from its path alone (before reading it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// JavaScript or TypeScript source.
    Script(Lang),
    /// A dotenv file: `.env`, `.env.local`, `.env.production`, …
    Env,
    /// Anything else that is text: JSON, YAML, Markdown, HTML, …
    Text,
}

impl FileKind {
    pub fn classify(rel_path: &str) -> FileKind {
        let name = file_name(rel_path);
        if is_env_file_name(name) {
            return FileKind::Env;
        }
        match Lang::from_path(name) {
            Some(lang) => FileKind::Script(lang),
            // Single-file components: their script blocks are TypeScript (see `script_view`).
            None if is_component_file(name) => FileKind::Script(Lang::Ts),
            None => FileKind::Text,
        }
    }

    pub fn lang(self) -> Option<Lang> {
        match self {
            FileKind::Script(lang) => Some(lang),
            _ => None,
        }
    }
}

/// An Astro or Vue single-file component (`.astro`, `.vue`): a script file whose script
/// lives in blocks of the file (Astro's frontmatter, Vue's `<script>` elements).
pub fn is_component_file(name: &str) -> bool {
    name.ends_with(".astro") || name.ends_with(".vue")
}

/// The text the TypeScript grammar reads for a file: for a single-file component, the file
/// with every byte outside its script blocks blanked (newlines kept), so offsets and lines
/// of the parsed code are the file's own; any other file unchanged. Byte-level, with no
/// parser for the component format: Astro's frontmatter is what lies between a leading
/// `---` line and the next `---` line (none when it is never closed); Vue's blocks are the
/// contents of each top-level `<script …>` element (`<script setup>` included; a block never
/// closed is left out).
pub fn script_view<'t>(rel: &str, text: &'t str) -> std::borrow::Cow<'t, str> {
    let name = file_name(rel);
    let blocks = if name.ends_with(".astro") {
        astro_frontmatter(text).into_iter().collect()
    } else if name.ends_with(".vue") {
        vue_script_blocks(text)
    } else {
        return std::borrow::Cow::Borrowed(text);
    };
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = bytes
        .iter()
        .map(|&b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    for r in blocks {
        out[r.clone()].copy_from_slice(&bytes[r]);
    }
    // Blocks start and end at ASCII delimiters, and every other byte became ASCII.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_default())
}

/// The byte range of an Astro component's frontmatter (between the fences).
pub fn astro_frontmatter(text: &str) -> Option<std::ops::Range<usize>> {
    let body = text.trim_start_matches('\u{feff}');
    let lead = text.len() - body.len();
    let trimmed = body.trim_start();
    let open = lead + (body.len() - trimmed.len());
    if !trimmed.starts_with("---") {
        return None;
    }
    let start = open + 3;
    let mut at = start;
    // The closing fence: a line that is `---` (trailing blanks allowed).
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[at..line_end];
        if at > start && line.trim_end() == "---" {
            return Some(start..at);
        }
        at = line_end + 1;
    }
    None
}

/// The byte ranges of a Vue component's `<script>` blocks (their contents).
pub fn vue_script_blocks(text: &str) -> Vec<std::ops::Range<usize>> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find("<script") {
        let tag = at + i;
        let after = tag + "<script".len();
        match lower.as_bytes().get(after) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r') => {}
            _ => {
                at = after;
                continue;
            }
        }
        let Some(gt) = lower[after..].find('>') else {
            break;
        };
        let start = after + gt + 1;
        let Some(close) = lower[start..].find("</script") else {
            break;
        };
        out.push(start..start + close);
        at = start + close;
    }
    out
}

/// `.env`, `.env.local`, `.env.production.local`, … (but not `.envrc` or `.env.d.ts`).
pub fn is_env_file_name(name: &str) -> bool {
    if name == ".env" {
        return true;
    }
    match name.strip_prefix(".env.") {
        Some(rest) => {
            !rest.is_empty()
                && !rest.ends_with(".ts")
                && !rest.ends_with(".js")
                && !rest.ends_with(".mjs")
                && !rest.ends_with(".cjs")
        }
        None => false,
    }
}

/// Production-only dotenv files: `.env.production`, `.env.production.local`, `.env.prod`.
pub fn is_production_env_name(name: &str) -> bool {
    name.starts_with(".env.production") || name == ".env.prod" || name.starts_with(".env.prod.")
}

/// Where a file comes from, which decides which rules look at it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// Built client output (`.next/static/**`, `out/_next/static/**`): read as bytes only.
    pub build_output: bool,
    /// Ignored by `.gitignore` (only dotenv files are read despite that).
    pub gitignored: bool,
    /// Served as-is under `public/` of an app.
    pub public_asset: bool,
    /// In the git index although `.gitignore` matches it: committed (read from the index by
    /// the walk).
    pub tracked_ignored: bool,
}

/// The last path component of a `/`-separated path.
pub fn file_name(rel_path: &str) -> &str {
    // memchr's SIMD search: a scan asks for tens of thousands of names and parents, and
    // `rsplit('/')` was a few percent of a secrets-only scan.
    match memchr::memrchr(b'/', rel_path.as_bytes()) {
        Some(i) => &rel_path[i + 1..],
        None => rel_path,
    }
}

/// A test file (`x.test.ts`, `x.spec.js`, anything under `__tests__/` or `__mocks__/`): it
/// is run by a test runner, never served, so it registers no route of the app.
pub fn is_test_file(rel_path: &str) -> bool {
    // Asked of every file of a scan: each dot of the name, and the directories only when the
    // path holds `__` at all.
    let name = file_name(rel_path).as_bytes();
    memchr::memchr_iter(b'.', name).any(|i| {
        let rest = &name[i + 1..];
        rest.starts_with(b"test.") || rest.starts_with(b"spec.")
    }) || (memchr::memmem::find(rel_path.as_bytes(), b"__").is_some()
        && rel_path
            .split('/')
            .any(|d| d == "__tests__" || d == "__mocks__"))
}

/// The directory part of a `/`-separated path (`""` at the root).
pub fn parent_dir(rel_path: &str) -> &str {
    match memchr::memrchr(b'/', rel_path.as_bytes()) {
        Some(i) => &rel_path[..i],
        None => "",
    }
}

/// Whether the `/`-separated path `rel` lies below the directory `dir` (`app/page.tsx` below
/// `app`; not `application/x.ts`).
pub fn is_inside(rel: &str, dir: &str) -> bool {
    rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// Join a relative directory and a name with `/`.
pub fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether a `/`-separated relative path needs no cleaning: no leading, trailing or repeated
/// `/`, no `.` or `..` component. One pass over the slashes and one over the dots (asked of
/// every path a walk yields).
fn is_clean_rel(s: &[u8]) -> bool {
    if s.first() == Some(&b'/') || s.last() == Some(&b'/') {
        return false;
    }
    if memchr::memchr_iter(b'/', s).any(|i| s.get(i + 1) == Some(&b'/')) {
        return false;
    }
    // A component of dots only: a dot that starts a component, followed by the component's
    // end or by one more dot and the end.
    let ends = |i: usize| i == s.len() || s[i] == b'/';
    !memchr::memchr_iter(b'.', s).any(|i| {
        (i == 0 || s[i - 1] == b'/')
            && (ends(i + 1) || (s.get(i + 1) == Some(&b'.') && ends(i + 2)))
    })
}

/// A path relative to the scan root with `/` separators.
pub fn rel_path(root: &Path, path: &Path) -> String {
    // What the walker yields is already clean (no `.`, `..`, repeated or trailing `/`): as it is.
    let clean = |s: &str| is_clean_rel(s.as_bytes());
    if std::path::MAIN_SEPARATOR == '/' {
        // The walker's paths start with the root as given: cut it off as bytes (comparing
        // them component by component costs more than the rest of a kept file's work).
        let (r, p) = (
            root.as_os_str().as_encoded_bytes(),
            path.as_os_str().as_encoded_bytes(),
        );
        let rest = p.strip_prefix(r).and_then(|rest| {
            if r.ends_with(b"/") || rest.is_empty() {
                Some(rest)
            } else {
                rest.strip_prefix(b"/")
            }
        });
        if let Some(s) = rest.and_then(|b| std::str::from_utf8(b).ok())
            && clean(s)
        {
            return s.to_string();
        }
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    if let Some(s) = rel.to_str()
        && std::path::MAIN_SEPARATOR == '/'
        && clean(s)
    {
        return s.to_string();
    }
    let mut out = String::new();
    for comp in rel.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&comp.as_os_str().to_string_lossy());
    }
    out
}

/// A file's text as [`SourceText`] hands it out: the `String` read from disk, shared (not
/// copied into a new allocation).
pub type Text = Arc<String>;

/// A file's text, shared between the facts, the rules and the reporters.
///
/// Memory stays bounded on any tree: a text read from disk is kept only while the process's
/// kept texts fit in [`text_budget`]; past it, the text is dropped once the file's byte-level
/// facts are taken ([`SourceText::release`]) and read again from disk when something asks for
/// it (a helper parsed on demand, a finding's snippet). A file that changed on disk in between
/// (its hash differs) reads as blanks of the same length, never as text the facts do not
/// describe, and is reported once.
#[derive(Clone, Debug)]
pub struct SourceText {
    slot: Arc<TextSlot>,
}

/// How a released text is read again.
pub enum Reload {
    /// From a file on disk, by `read` (which checks what it finds there and decodes it as the
    /// first read did). Kept compact: one of these stays with every file of a scan, so the
    /// path is not held whole: it is `dir` (shared by every file of the scan) followed by the
    /// bytes of `rel` (shared with the file's facts); see [`Reload::file`].
    File {
        dir: Arc<ReloadDir>,
        rel: Arc<str>,
        kind: FileKind,
    },
    /// From a file on disk whose path does not end with its relative path (see
    /// [`Reload::file`]): the path held whole (boxed: rare, and the slot stays small).
    Path(Box<(PathBuf, FileKind, ReadFn)>),
    /// Any other way (tests).
    Custom(Box<dyn Fn() -> Option<String> + Send + Sync>),
}

/// How [`Reload`] reads a file: checks what it finds at the path and decodes it as the first
/// read did.
pub type ReadFn = fn(&Path, FileKind) -> Option<String>;

/// What the [`Reload::File`]s of one scan share: the part of their paths before the relative
/// path (the scan root and a `/`), and how to read them.
#[derive(Debug)]
pub struct ReloadDir {
    dir: PathBuf,
    read: ReadFn,
}

impl Reload {
    /// Read the file at `abs` again, whose relative path `rel` the file's facts hold: when
    /// `abs` ends with the bytes of `rel` (as every path the walk yields does), only what comes
    /// before them is kept, shared with the other files of the scan that have the same one
    /// (`dirs` keeps the last such prefix seen), and the path is put back together on reading.
    pub fn file(
        abs: &Path,
        rel: &Arc<str>,
        kind: FileKind,
        read: ReadFn,
        dirs: &mut Option<Arc<ReloadDir>>,
    ) -> Reload {
        // A path that is not UTF-8 (its relative path is then a lossy copy) is held whole.
        let prefix = abs
            .to_str()
            .and_then(|a| a.strip_suffix(&**rel))
            .filter(|_| !rel.is_empty());
        let Some(prefix) = prefix else {
            return Reload::Path(Box::new((abs.to_path_buf(), kind, read)));
        };
        let dir = match dirs {
            Some(d)
                if d.dir.as_os_str().as_encoded_bytes() == prefix.as_bytes()
                    && std::ptr::fn_addr_eq(d.read, read) =>
            {
                Arc::clone(d)
            }
            _ => {
                let d = Arc::new(ReloadDir {
                    dir: PathBuf::from(prefix),
                    read,
                });
                *dirs = Some(Arc::clone(&d));
                d
            }
        };
        Reload::File {
            dir,
            rel: Arc::clone(rel),
            kind,
        }
    }

    /// The path a [`Reload::File`] or [`Reload::Path`] reads.
    pub fn path(&self) -> Option<PathBuf> {
        match self {
            Reload::File { dir, rel, .. } => {
                let mut p = dir.dir.as_os_str().to_owned();
                p.push(&**rel);
                Some(PathBuf::from(p))
            }
            Reload::Path(p) => Some(p.0.clone()),
            Reload::Custom(_) => None,
        }
    }

    fn read(&self) -> Option<String> {
        match self {
            Reload::File { dir, kind, .. } => (dir.read)(&self.path()?, *kind),
            Reload::Path(p) => (p.2)(&p.0, p.1),
            Reload::Custom(f) => f(),
        }
    }
}

impl<F: Fn() -> Option<String> + Send + Sync + 'static> From<F> for Reload {
    fn from(f: F) -> Reload {
        Reload::Custom(Box::new(f))
    }
}

/// One of these stays with every file of a scan, so it is kept small: what is rarely needed is
/// behind a pointer, and with its `Arc` counts it fits a 128-byte allocation (see the test).
/// The lock on the kept text is a `Mutex`, not a read-write lock: it is held only to clone or
/// take an `Arc`, and is 8 bytes smaller.
struct TextSlot {
    kept: std::sync::Mutex<Option<Text>>,
    len: usize,
    /// The slot holds `len` bytes of the budget (returned on drop or release).
    charged: std::sync::atomic::AtomicBool,
    /// The file changed on disk after it was read (reported once).
    changed: std::sync::atomic::AtomicBool,
    /// How to read a released text again.
    reload: OnceLock<Reload>,
    /// The hash a text read again must have (taken when it is released), once `hashed` is set
    /// (two atomics: 8 bytes less than a `OnceLock`).
    hash: std::sync::atomic::AtomicU64,
    hashed: std::sync::atomic::AtomicBool,
    /// Line starts, computed on first use (only files with findings or suppressions need them).
    lines: OnceLock<Box<LineIndex>>,
}

impl std::fmt::Debug for TextSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextSlot")
            .field("len", &self.len)
            .field("kept", &self.is_kept())
            .finish()
    }
}

static KEPT_BYTES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many bytes of file text the process keeps at most while reading (1 MiB, 16 MiB in a
/// byte-level scan: see [`set_byte_level`]; `CLERK_GUARD_TEXT_BUDGET` in bytes overrides both,
/// `0` keeps none: every text is read again when needed).
///
/// A small project's texts all fit. On a large tree the kept texts are the first files read,
/// small allocations among the facts that stay: released, they leave holes that the allocator
/// may or may not fill, and peak memory swings by their size from run to run (the first
/// cache-writing scan of a 100k-file tree: 140.3–144.5 MiB at 4 MiB, 140.1–141.0 MiB at 1 MiB;
/// the time of a cold or a secrets-only scan of the real tree unchanged within 1 %).
pub fn text_budget() -> usize {
    static BUDGET: OnceLock<Option<usize>> = OnceLock::new();
    let set = BUDGET.get_or_init(|| {
        std::env::var("CLERK_GUARD_TEXT_BUDGET")
            .ok()
            .and_then(|v| v.trim().parse().ok())
    });
    budget_for(*set, BYTE_LEVEL.load(std::sync::atomic::Ordering::Relaxed))
}

/// The budget set in the environment, else the default of the kind of scan.
fn budget_for(set: Option<usize>, byte_level: bool) -> usize {
    set.unwrap_or(if byte_level { 16 << 20 } else { 1 << 20 })
}

static BYTE_LEVEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether the scan about to read is byte-level (no code parsed, no facts stored for later):
/// its memory is little more than the texts it keeps, so it keeps more of them, and a kept
/// text's imports are lexed only if something asks (the client set reaches a third to a half
/// of a tree's files; the real tree's secrets-only scan: 2 % faster, 10 MB more).
pub fn set_byte_level(on: bool) {
    BYTE_LEVEL.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// xxh3-128 of a text, as two halves: the facts cache's key for a file's content.
pub fn content_hash(text: &str) -> (u64, u64) {
    let h = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    ((h >> 64) as u64, h as u64)
}

/// The hash a released text is checked against when it is read again: the low half of its
/// [`content_hash`], so that facts restored from the cache check a text read again the same way.
pub fn text_hash(text: &str) -> u64 {
    content_hash(text).1
}

impl TextSlot {
    fn is_kept(&self) -> bool {
        self.kept.lock().map(|k| k.is_some()).unwrap_or(false)
    }

    fn get(&self) -> Text {
        if let Ok(kept) = self.kept.lock()
            && let Some(text) = kept.as_ref()
        {
            return Arc::clone(text);
        }
        RELOADS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let fresh = self
            .reload
            .get()
            .zip(self.hash())
            .and_then(|(reload, hash)| reload.read().filter(|t| text_hash(t) == hash));
        match fresh {
            Some(text) => Arc::new(text),
            None => {
                if !self
                    .changed
                    .swap(true, std::sync::atomic::Ordering::Relaxed)
                {
                    CHANGED_FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                Arc::new(" ".repeat(self.len))
            }
        }
    }

    /// The hash a text read again must have, once it is known.
    fn hash(&self) -> Option<u64> {
        use std::sync::atomic::Ordering;
        self.hashed
            .load(Ordering::Acquire)
            .then(|| self.hash.load(Ordering::Relaxed))
    }

    /// Note the hash a text read again must have (the first one noted stays).
    fn set_hash(&self, hash: u64) {
        use std::sync::atomic::Ordering;
        if !self.hashed.load(Ordering::Acquire) {
            // Every caller notes the hash of the same text: a race writes the same value.
            self.hash.store(hash, Ordering::Relaxed);
            self.hashed.store(true, Ordering::Release);
        }
    }

    fn uncharge(&self) {
        if self
            .charged
            .swap(false, std::sync::atomic::Ordering::Relaxed)
        {
            KEPT_BYTES.fetch_sub(self.len, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Drop for TextSlot {
    fn drop(&mut self) {
        self.uncharge();
    }
}

/// Texts read again from disk after their release (for `CLERK_GUARD_TIMING`).
pub static RELOADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Files whose text changed on disk between two reads of one scan (their snippets are blank).
pub static CHANGED_FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl SourceText {
    /// A text that is always kept (an editor buffer, a staged blob, a test's string). A
    /// `String` is kept as it is, not copied.
    pub fn new(text: impl Into<String>) -> Self {
        SourceText::shared(Arc::new(text.into()))
    }

    /// A kept text shared with its other holders.
    fn shared(text: Text) -> Self {
        let slot = Arc::new(TextSlot {
            len: text.len(),
            kept: std::sync::Mutex::new(Some(text)),
            charged: std::sync::atomic::AtomicBool::new(false),
            reload: OnceLock::new(),
            hash: std::sync::atomic::AtomicU64::new(0),
            hashed: std::sync::atomic::AtomicBool::new(false),
            changed: std::sync::atomic::AtomicBool::new(false),
            lines: OnceLock::new(),
        });
        SourceText { slot }
    }

    /// A text not in memory: `len` bytes with [`text_hash`] `hash`, read from disk by `reload`
    /// when asked for (facts restored from the cache without reading their file).
    pub fn on_disk(len: usize, hash: u64, reload: Reload) -> Self {
        let slot = Arc::new(TextSlot {
            len,
            kept: std::sync::Mutex::new(None),
            charged: std::sync::atomic::AtomicBool::new(false),
            reload: OnceLock::from(reload),
            hash: std::sync::atomic::AtomicU64::new(hash),
            hashed: std::sync::atomic::AtomicBool::new(true),
            changed: std::sync::atomic::AtomicBool::new(false),
            lines: OnceLock::new(),
        });
        SourceText { slot }
    }

    /// The text (read again from disk when it was released).
    pub fn text(&self) -> Text {
        self.slot.get()
    }

    /// Length of the text in bytes.
    pub fn len(&self) -> usize {
        self.slot.len
    }

    pub fn is_empty(&self) -> bool {
        self.slot.len == 0
    }

    /// Whether the text is held in memory.
    pub fn is_kept(&self) -> bool {
        self.slot.is_kept()
    }

    /// Reserve room in the text budget for a text read from disk: `true` when it fits (it
    /// stays in memory), `false` when the caller should take what it needs of the text and
    /// [`release`](Self::release) it.
    pub fn try_keep(&self) -> bool {
        if !self.slot.is_kept() || self.slot.charged.load(std::sync::atomic::Ordering::Relaxed) {
            return self.slot.is_kept();
        }
        let len = self.slot.len;
        let budget = text_budget();
        let fits = KEPT_BYTES
            .fetch_update(
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
                |kept| (kept + len <= budget).then_some(kept + len),
            )
            .is_ok();
        // The slot holds one charge: a second caller that raced to reserve gives its back.
        if fits
            && self
                .slot
                .charged
                .swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            KEPT_BYTES.fetch_sub(len, std::sync::atomic::Ordering::Relaxed);
        }
        fits
    }

    /// How to read the text again from disk (a text without one is never released).
    pub fn set_reload(&self, reload: impl Into<Reload>) {
        let _ = self.slot.reload.set(reload.into());
    }

    /// Line starts, computed on first use (only files with findings or suppressions need them).
    pub fn lines(&self) -> &LineIndex {
        self.slot
            .lines
            .get_or_init(|| Box::new(LineIndex::new(&self.slot.get())))
    }

    /// Drop the text from memory when it can be read again (hashing it first, to check the
    /// text read again against); it is read again when asked for.
    pub fn release(&self) {
        drop(self.release_taking());
    }

    /// [`release`](Self::release), handing back the released `String` when nothing else held
    /// it (the reader reuses its allocation for the next file).
    pub fn release_taking(&self) -> Option<String> {
        // A text that cannot be read again is never released.
        self.slot.reload.get()?;
        let mut taken = None;
        if let Ok(mut kept) = self.slot.kept.lock()
            && let Some(text) = kept.take()
        {
            self.slot.set_hash(text_hash(&text));
            taken = Arc::try_unwrap(text).ok();
        }
        self.slot.uncharge();
        taken
    }

    /// Whether a text of `len` bytes read now would fit in what is left of the text budget
    /// (a hint: [`try_keep`](Self::try_keep) decides).
    pub fn would_keep(len: usize) -> bool {
        KEPT_BYTES.load(std::sync::atomic::Ordering::Relaxed) + len <= text_budget()
    }

    /// Read a released text again once and keep it from now on (outside the budget): for the
    /// few files that findings point into, whose text the positions, fingerprints and
    /// reporters read several times each.
    pub fn hold(&self) {
        if self.is_kept() {
            return;
        }
        let text = self.slot.get();
        if let Ok(mut kept) = self.slot.kept.lock()
            && kept.is_none()
        {
            *kept = Some(text);
        }
    }

    /// Keep the text in an allocation of its own size: a text read into a reused buffer (of
    /// up to a megabyte) that stays in memory after all gives the buffer back, to read the
    /// next file into. `None` when the text is not kept, is shared, or fits its allocation.
    pub fn shrink_kept(&self) -> Option<String> {
        let mut kept = self.slot.kept.lock().ok()?;
        let text = Arc::get_mut(kept.as_mut()?)?;
        if text.capacity() <= text.len() + text.len() / 8 + 64 {
            return None;
        }
        let exact = text.as_str().to_owned();
        Some(std::mem::replace(text, exact))
    }

    /// Whether the kept text holds room in the budget (a text kept outside it does not).
    #[cfg(test)]
    pub fn is_charged(&self) -> bool {
        self.slot.charged.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A copy that holds its text in memory (for a reporter that reads it many times).
    pub fn pinned(&self) -> SourceText {
        if self.is_kept() {
            return self.clone();
        }
        SourceText::shared(self.text())
    }
}

/// Byte offsets of line starts, for offset → (line, column) conversion.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 0-based line of a byte offset.
    pub fn line0(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// 1-based line and 1-based column (in Unicode scalar values) of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line0(offset);
        let start = self.starts[line];
        let col = text[start..offset].chars().count();
        (line + 1, col + 1)
    }

    /// 1-based line and UTF-16 column (0-based), as editors count them.
    pub fn utf16_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line0(offset);
        let start = self.starts[line];
        let col: usize = text[start..offset].chars().map(char::len_utf16).sum();
        (line as u32, col as u32)
    }

    /// Byte range of a 0-based line, without its line terminator.
    pub fn line_range(&self, text: &str, line0: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line0)?;
        let mut end = self
            .starts
            .get(line0 + 1)
            .map(|s| s - 1)
            .unwrap_or(text.len());
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some((start, end))
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset of a 0-based line and UTF-16 column (for editor positions).
    pub fn offset_of_utf16(&self, text: &str, line0: usize, col16: usize) -> usize {
        let Some((start, end)) = self.line_range(text, line0) else {
            return text.len();
        };
        let mut units = 0;
        for (i, ch) in text[start..end].char_indices() {
            if units >= col16 {
                return start + i;
            }
            units += ch.len_utf16();
        }
        end
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// An input file as the walker found it.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// Path relative to the scan root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub kind: FileKind,
    pub origin: Origin,
}

/// Whether `rel` lies in `<dir>/public/`, where `<dir>` is the scan root or a directory
/// `is_package_dir` accepts (one holding a `package.json`): a Next.js app's static files.
pub fn is_public_asset(rel: &str, is_package_dir: impl Fn(&str) -> bool) -> bool {
    let mut from = 0;
    while let Some(i) = rel[from..].find("public/") {
        let at = from + i;
        if at == 0 || (rel.as_bytes()[at - 1] == b'/' && is_package_dir(&rel[..at - 1])) {
            return true;
        }
        from = at + 1;
    }
    false
}

#[cfg(test)]
mod tests {

    /// A kept text in a larger allocation moves to one of its own size and the old one is
    /// handed back; a text that fits its allocation, a shared one and a released one stay.
    #[test]
    fn shrink_kept_hands_back_an_oversized_allocation() {
        let mut big = String::with_capacity(1 << 20);
        big.push_str("export const a = 1;");
        let t = SourceText::new(big);
        let old = t.shrink_kept().unwrap();
        assert_eq!(old.capacity(), 1 << 20);
        assert_eq!(t.text().as_str(), "export const a = 1;");
        assert!(t.text().capacity() < 100);
        assert!(t.shrink_kept().is_none());
        let mut shared = String::with_capacity(4096);
        shared.push('x');
        let s = SourceText::new(shared);
        let holder = s.text();
        assert!(s.shrink_kept().is_none());
        assert_eq!(holder.capacity(), 4096);
        let gone = SourceText::new(String::with_capacity(4096));
        gone.set_reload(|| Some(String::new()));
        gone.release();
        assert!(gone.shrink_kept().is_none());
    }

    use super::*;

    /// The byte-level checks answer as the string searches they replaced.
    #[test]
    fn clean_paths_and_test_files_as_by_strings() {
        let clean_by_strings = |s: &str| {
            !s.starts_with('/')
                && !s.ends_with('/')
                && !s.contains("//")
                && !s.split('/').any(|c| c == "." || c == "..")
        };
        let test_by_strings = |p: &str| {
            let name = file_name(p);
            name.contains(".test.")
                || name.contains(".spec.")
                || p.split('/').any(|d| d == "__tests__" || d == "__mocks__")
        };
        // Every string of up to six characters over an alphabet that makes every case.
        let alphabet = ['a', '.', '/', '_'];
        let mut paths = vec![String::new()];
        let mut all = vec![String::new()];
        for _ in 0..6 {
            paths = paths
                .iter()
                .flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}")))
                .collect();
            all.extend(paths.iter().cloned());
        }
        for extra in [
            "a/b.test.ts",
            "a/b.spec.tsx",
            "a.test",
            "a/.test.x",
            "x/__tests__/a.ts",
            "x/__mocks__",
            "x/__tests__x/a.ts",
            "x/a__tests__/a.ts",
            "src/testing.ts",
            "a/b.tests.ts",
            "app/.well-known/x",
            "a/../b",
            "./a",
            "a/.",
            "..",
            "a/..b/c",
        ] {
            all.push(extra.to_string());
        }
        for p in &all {
            assert_eq!(is_clean_rel(p.as_bytes()), clean_by_strings(p), "{p:?}");
            assert_eq!(is_test_file(p), test_by_strings(p), "{p:?}");
        }
    }

    /// The byte-level cut gives what the component-wise one gives, and leaves to it what it
    /// cannot cut cleanly.
    #[test]
    fn relative_paths() {
        let by_components = |root: &Path, path: &Path| {
            let rel = path.strip_prefix(root).unwrap_or(path);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            parts.join("/")
        };
        let cases = [
            (
                "/repo",
                "/repo/apps/web/app/page.tsx",
                "apps/web/app/page.tsx",
            ),
            ("/repo/", "/repo/lib/a.ts", "lib/a.ts"),
            ("/", "/etc/x.ts", "etc/x.ts"),
            (".", "./src/x.ts", "src/x.ts"),
            ("/repo", "/repo", ""),
            ("/repo", "/repo/a/./b.ts", "a/b.ts"),
            ("/repo", "/repo//a.ts", "a.ts"),
            // A sibling that shares the root's bytes is not under it.
            ("/repo", "/repository/x.ts", "//repository/x.ts"),
            ("/repo", "/other/a.ts", "//other/a.ts"),
        ];
        for (root, path, want) in cases {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(rel_path(root, path), want, "{root:?} {path:?}");
            assert_eq!(
                rel_path(root, path),
                by_components(root, path),
                "{root:?} {path:?}"
            );
        }
    }

    /// A byte-level scan keeps 16 MiB of texts, any other 1 MiB; a budget set in the
    /// environment holds for both, `0` included.
    #[test]
    fn the_budget_follows_the_kind_of_scan() {
        assert_eq!(budget_for(None, false), 1 << 20);
        assert_eq!(budget_for(None, true), 16 << 20);
        assert_eq!(budget_for(Some(0), true), 0);
        assert_eq!(budget_for(Some(5), false), 5);
    }

    /// Every file of a scan keeps a slot: with the `Arc`'s two counts it must fit 112 bytes,
    /// a size class of the allocators (issue 17: 100,000 files; issue 12: the reload's path
    /// is shared, and the slot one class smaller).
    #[test]
    fn a_text_slot_fits_112_bytes() {
        let size = std::mem::size_of::<TextSlot>() + 2 * std::mem::size_of::<usize>();
        assert!(size <= 112, "TextSlot with its Arc counts is {size} bytes");
    }

    /// A reload keeps the part of the path before the relative path once for all the files
    /// that share it, and reads exactly the path it was given.
    #[test]
    fn a_reload_puts_the_path_back_together() {
        fn never(_: &Path, _: FileKind) -> Option<String> {
            None
        }
        let mut dirs = None;
        let kind = FileKind::Script(Lang::Ts);
        let cases = [
            ("/repo/app/x.ts", "app/x.ts"),
            ("/repo/lib/y.ts", "lib/y.ts"),
            ("rel/root/a.ts", "a.ts"),
            ("/a.ts", "a.ts"),
        ];
        let mut shared = Vec::new();
        for (abs, rel) in cases {
            let rel: Arc<str> = Arc::from(rel);
            let reload = Reload::file(Path::new(abs), &rel, kind, never, &mut dirs);
            let Reload::File { dir, rel: held, .. } = &reload else {
                panic!("{abs}: the path is held whole");
            };
            assert!(
                Arc::ptr_eq(held, &rel),
                "{abs}: the relative path is shared"
            );
            assert_eq!(reload.path().as_deref(), Some(Path::new(abs)));
            shared.push(Arc::clone(dir));
        }
        assert!(Arc::ptr_eq(&shared[0], &shared[1]), "one root, one copy");
        assert!(!Arc::ptr_eq(&shared[1], &shared[2]));
        // A path that does not end with its relative path (cleaned, lossy) is held whole.
        for (abs, rel) in [("/repo/./a.ts", "b.ts"), ("/repo", "")] {
            let reload = Reload::file(Path::new(abs), &Arc::from(rel), kind, never, &mut dirs);
            assert!(matches!(reload, Reload::Path(_)), "{abs}");
            assert_eq!(reload.path().as_deref(), Some(Path::new(abs)));
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let abs = Path::new(std::ffi::OsStr::from_bytes(b"/repo/\xff/a.ts"));
            let reload = Reload::file(abs, &Arc::from("\u{fffd}/a.ts"), kind, never, &mut dirs);
            assert!(matches!(reload, Reload::Path(_)));
            assert_eq!(reload.path().as_deref(), Some(abs));
        }
    }

    #[test]
    fn a_released_text_reads_again_and_checks_its_hash() {
        let same = SourceText::new("const a = 1\nconst b = 2\n");
        let line_count = same.lines().line_count();
        same.set_reload(Box::new(|| Some("const a = 1\nconst b = 2\n".to_string())));
        same.release();
        assert!(!same.is_kept());
        assert_eq!(&*same.text(), "const a = 1\nconst b = 2\n");
        assert_eq!(same.lines().line_count(), line_count);

        // Changed on disk in between: blanks of the same length (every span stays in bounds),
        // counted once however often it is read.
        let before = CHANGED_FILES.load(std::sync::atomic::Ordering::Relaxed);
        let changed = SourceText::new("héllo wörld");
        changed.set_reload(Box::new(|| Some("hello world, longer now".to_string())));
        changed.release();
        let text = changed.text();
        assert_eq!(text.len(), "héllo wörld".len());
        assert!(text.bytes().all(|b| b == b' '));
        let _ = changed.text();
        assert!(CHANGED_FILES.load(std::sync::atomic::Ordering::Relaxed) > before);

        // Gone from disk: the same.
        let gone = SourceText::new("abc");
        gone.set_reload(Box::new(|| None));
        gone.release();
        assert_eq!(&*gone.text(), "   ");

        // A text without a way to read it again stays in memory.
        let kept = SourceText::new("x");
        kept.release();
        assert!(kept.is_kept());
        assert_eq!(&*kept.text(), "x");
    }

    /// The released `String` comes back to the reader only when nothing else holds it; the
    /// text reads again from disk either way.
    #[test]
    fn a_release_hands_back_an_unshared_text() {
        let text = SourceText::new("const a = 1\n");
        text.set_reload(Box::new(|| Some("const a = 1\n".to_string())));
        assert_eq!(text.release_taking().as_deref(), Some("const a = 1\n"));
        assert!(!text.is_kept());
        assert_eq!(&*text.text(), "const a = 1\n");

        let shared = SourceText::new("const b = 2\n");
        shared.set_reload(Box::new(|| Some("const b = 2\n".to_string())));
        let held = shared.text();
        assert_eq!(shared.release_taking(), None);
        assert_eq!(&*held, "const b = 2\n");
        assert!(!shared.is_kept());

        // Never released without a way to read it again.
        let kept = SourceText::new("x");
        assert_eq!(kept.release_taking(), None);
        assert!(kept.is_kept());
    }

    #[test]
    fn a_held_text_is_read_once_however_often_it_is_asked_for() {
        let reads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let text = SourceText::new("const a = 1\n");
        let counter = Arc::clone(&reads);
        text.set_reload(Box::new(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Some("const a = 1\n".to_string())
        }));
        text.release();
        text.hold();
        assert!(text.is_kept());
        for _ in 0..3 {
            assert_eq!(&*text.text(), "const a = 1\n");
            let _ = text.pinned().text();
        }
        assert_eq!(text.lines().line_count(), 2);
        assert_eq!(reads.load(std::sync::atomic::Ordering::Relaxed), 1);
    }

    #[test]
    fn classifies_paths() {
        assert_eq!(
            FileKind::classify("app/page.tsx"),
            FileKind::Script(Lang::Tsx)
        );
        assert_eq!(FileKind::classify("lib/x.ts"), FileKind::Script(Lang::Ts));
        assert_eq!(FileKind::classify("types/env.d.ts"), FileKind::Text);
        assert_eq!(
            FileKind::classify("next.config.mjs"),
            FileKind::Script(Lang::Js)
        );
        assert_eq!(FileKind::classify(".env"), FileKind::Env);
        assert_eq!(
            FileKind::classify("apps/web/.env.production.local"),
            FileKind::Env
        );
        assert_eq!(FileKind::classify(".envrc"), FileKind::Text);
        assert_eq!(FileKind::classify(".env.d.ts"), FileKind::Text);
        assert!(is_production_env_name(".env.production.local"));
        assert!(!is_production_env_name(".env.local"));
    }

    #[test]
    fn positions() {
        let text = "ab\ncdé\r\nf";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 3), (2, 1));
        assert_eq!(idx.position(text, 7), (2, 4));
        assert_eq!(idx.position(text, 9), (3, 1));
        assert_eq!(idx.line_range(text, 1), Some((3, 7)));
        assert_eq!(idx.position(text, 1000), (3, 2));
    }
}
