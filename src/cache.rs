//! The persistent facts cache: each file's facts (everything but its text) kept between runs,
//! keyed by the file's path and the hash of its content, like ruff's cache.
//!
//! A file whose metadata (size, modification and change times, inode) is what it was when its
//! facts were kept is not read at all: its facts are taken as they are, and its text is read
//! only if a rule or a report asks for it. A file modified less than two seconds before the
//! cache was written keeps no metadata (a later change within the same clock tick could not be
//! told apart, as git's "racily clean" entries): it is read and its hash checked next time.
//! A file whose metadata changed is read; when its hash is unchanged its parse results are
//! taken from the cache all the same.
//!
//! One cache file per scan root holds every cacheable file's facts. It is trusted only when its
//! header names this binary (version and build), the format and the prefilter's keywords, and
//! when the checksum of its payload matches: a cache that is corrupt, truncated, written by
//! another build or half-written by a concurrent run is ignored and rebuilt, never trusted.
//! Writes go to a temporary file renamed into place, so a reader sees a whole cache or none.
//!
//! Where: `$CLERK_GUARD_CACHE_DIR` when set; else `node_modules/.cache/clerk-guard/` when the
//! scan root has `node_modules`; else `.clerk-guard-cache/` in the scan root, holding its own
//! `.gitignore` (`*`). The walk never enters either.
//!
//! Dotenv files are never cached, and a file that holds a secret key prefix is read every run
//! (its keys are found again) with only facts that quote no key prefix kept
//! (`FileFacts::to_stored`): the cache holds no secret.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

use serde::{Deserialize, Serialize};

use crate::facts::{FileFacts, StoredFacts};

const MAGIC: &[u8; 8] = b"CGFACTS\x01";
/// The magic of the file that keeps the walk of the tree (`crate::walk`).
const WALK_MAGIC: &[u8; 8] = b"CGWALK\x00\x01";
/// Bumped when the layout of the stored facts changes in a way the build key does not catch.
const FORMAT: u32 = 8;
/// Header: magic, format, key, payload length, payload checksum.
const HEADER_LEN: usize = 8 + 4 + 8 + 8 + 8;
/// The name of the directory kept in a scan root without `node_modules`.
pub const DIR_NAME: &str = ".clerk-guard-cache";

#[derive(Serialize, Deserialize)]
struct Record {
    /// The file's metadata when its facts were taken (`None` when it had changed too recently
    /// to be trusted: see the module's notes).
    stat: Option<StatKey>,
    /// xxh3-128 of the text the facts were taken from.
    hash: (u64, u64),
    build_output: bool,
    /// `None` for a text whose facts would quote a secret key prefix: nothing is kept of it
    /// (and a run that reads it again has nothing new to keep either).
    facts: Option<StoredFacts>,
}

impl Record {
    /// What the cache keeps of `f`, read this run with `key`, when the save runs at `now`.
    fn of(f: &FileFacts, key: &ContentKey, now: i64) -> Record {
        Record {
            // A file holding a key prefix is read every run (its keys are not kept).
            stat: Some(key.stat).filter(|s| s.settled(now) && !f.holds_key_prefix()),
            hash: key.hash,
            build_output: f.origin.build_output,
            facts: f.to_stored(),
        }
    }
}

/// What tells a file changed without reading it: its size, modification and status-change
/// times and inode. Stored as a tuple (no field names per record; the times as seconds and
/// nanoseconds), held flat in 32 bytes with each time in nanoseconds since the epoch: one is
/// kept with every file's facts while a run lasts (a `ContentKey` of 48 bytes, 100,000 on a
/// large tree). A time past the year 2262 saturates, which a change still moves: the
/// status-change time is the system's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    from = "(u64, i64, u32, i64, u32, u64)",
    into = "(u64, i64, u32, i64, u32, u64)"
)]
pub struct StatKey {
    len: u64,
    mtime: i64,
    ctime: i64,
    ino: u64,
}

const NANOS: i64 = 1_000_000_000;

/// Seconds and nanoseconds as nanoseconds since the epoch (saturating).
fn nanos(secs: i64, ns: u32) -> i64 {
    secs.saturating_mul(NANOS).saturating_add(i64::from(ns))
}

/// Nanoseconds since the epoch as seconds and nanoseconds.
fn split(t: i64) -> (i64, u32) {
    (t.div_euclid(NANOS), t.rem_euclid(NANOS) as u32)
}

impl From<(u64, i64, u32, i64, u32, u64)> for StatKey {
    fn from((len, mtime, mtime_ns, ctime, ctime_ns, ino): (u64, i64, u32, i64, u32, u64)) -> Self {
        StatKey {
            len,
            mtime: nanos(mtime, mtime_ns),
            ctime: nanos(ctime, ctime_ns),
            ino,
        }
    }
}

impl From<StatKey> for (u64, i64, u32, i64, u32, u64) {
    fn from(k: StatKey) -> Self {
        let (mtime, mtime_ns) = split(k.mtime);
        let (ctime, ctime_ns) = split(k.ctime);
        (k.len, mtime, mtime_ns, ctime, ctime_ns, k.ino)
    }
}

/// What the cache keeps of a file read this run until it is saved (with the file's facts,
/// `FileFacts::cache_key`): the hash of the text its facts were taken from and its metadata
/// then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentKey {
    /// xxh3-128 of the text.
    pub hash: (u64, u64),
    pub stat: StatKey,
}

impl StatKey {
    /// The size, the modification and change times (seconds, nanoseconds) and the inode.
    pub fn parts(&self) -> (u64, (i64, u32), (i64, u32), u64) {
        (self.len, split(self.mtime), split(self.ctime), self.ino)
    }

    /// [`StatKey::of`] from a `stat` the system filled in directly (the same fields). Their
    /// types differ by platform (32-bit times and inodes on some): the conversions widen.
    #[cfg(unix)]
    #[allow(clippy::useless_conversion)]
    pub fn of_stat(st: &rustix::fs::Stat) -> StatKey {
        StatKey {
            len: st.st_size as u64,
            mtime: nanos(i64::from(st.st_mtime), st.st_mtime_nsec as u32),
            ctime: nanos(i64::from(st.st_ctime), st.st_ctime_nsec as u32),
            ino: u64::from(st.st_ino),
        }
    }

    pub fn of(meta: &std::fs::Metadata) -> StatKey {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            StatKey {
                len: meta.len(),
                mtime: nanos(meta.mtime(), meta.mtime_nsec() as u32),
                ctime: nanos(meta.ctime(), meta.ctime_nsec() as u32),
                ino: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let since = |t: std::io::Result<std::time::SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| (d.as_secs() as i64, d.subsec_nanos()))
                    .unwrap_or((0, 0))
            };
            let (mtime, mtime_ns) = since(meta.modified());
            let (ctime, ctime_ns) = since(meta.created());
            StatKey {
                len: meta.len(),
                mtime: nanos(mtime, mtime_ns),
                ctime: nanos(ctime, ctime_ns),
                ino: 0,
            }
        }
    }

    /// Whether both times lie at least `RACY_SECS` before `now` (seconds since the epoch): a
    /// change after the cache is written then moves them.
    pub fn settled(&self, now: i64) -> bool {
        let (mtime, _) = split(self.mtime);
        let (ctime, _) = split(self.ctime);
        mtime > 0 && mtime + RACY_SECS <= now && ctime + RACY_SECS <= now
    }
}

/// How long before the cache is written a file must have last changed for its metadata to
/// stand for its content.
const RACY_SECS: i64 = 2;

/// The records of a cache file: the file's bytes and, sorted by path, where each file's path
/// and encoded record lie in them. A record is decoded only when its file asks for it (on the
/// worker that handles the file), so loading costs one pass over the paths.
#[derive(Default)]
struct Records {
    bytes: Vec<u8>,
    /// (path start, path end, record start, record end), sorted by path.
    index: Vec<[u32; 4]>,
    /// Path hash (xxh3) → position in `index`, built with it on the loading thread so that a
    /// lookup costs one hash and one comparison rather than a binary search over long shared
    /// prefixes; `SHARED` for a hash two paths share (then the binary search answers).
    by_hash: HashMap<u64, u32>,
}

/// `Records::by_hash`: more than one path has this hash.
const SHARED: u32 = u32::MAX;

impl Records {
    /// The records of a cache file's payload (whose bytes are `bytes[at..]`), or `None` when
    /// it is not a sorted list of (path, record) pairs.
    fn index(bytes: Vec<u8>, at: usize) -> Option<Records> {
        let payload = bytes.get(at..)?;
        let pairs: Vec<(&str, &[u8])> = postcard::from_bytes(payload).ok()?;
        let base = bytes.as_ptr() as usize;
        let span = |s: &[u8]| -> Option<[u32; 2]> {
            let start = u32::try_from(s.as_ptr() as usize - base).ok()?;
            Some([start, start.checked_add(u32::try_from(s.len()).ok()?)?])
        };
        let mut index = Vec::with_capacity(pairs.len());
        for (path, record) in &pairs {
            let [ps, pe] = span(path.as_bytes())?;
            let [rs, re] = span(record)?;
            index.push([ps, pe, rs, re]);
        }
        drop(pairs);
        let mut records = Records {
            bytes,
            index,
            by_hash: HashMap::new(),
        };
        // Written sorted (`save`); a file that is not is not one this build wrote.
        if !records
            .index
            .windows(2)
            .all(|w| records.path(w[0]) < records.path(w[1]))
        {
            return None;
        }
        let mut by_hash = HashMap::with_capacity(records.index.len());
        for (i, &slot) in records.index.iter().enumerate() {
            let i = u32::try_from(i).ok()?;
            by_hash
                .entry(xxhash_rust::xxh3::xxh3_64(records.path(slot)))
                .and_modify(|at| *at = SHARED)
                .or_insert(i);
        }
        records.by_hash = by_hash;
        Some(records)
    }

    fn path(&self, [s, e, ..]: [u32; 4]) -> &[u8] {
        &self.bytes[s as usize..e as usize]
    }

    fn find(&self, rel: &str) -> Option<usize> {
        match *self
            .by_hash
            .get(&xxhash_rust::xxh3::xxh3_64(rel.as_bytes()))?
        {
            SHARED => self
                .index
                .binary_search_by(|&slot| self.path(slot).cmp(rel.as_bytes()))
                .ok(),
            i => {
                let i = i as usize;
                (self.path(self.index[i]) == rel.as_bytes()).then_some(i)
            }
        }
    }

    fn record(&self, i: usize) -> Option<Record> {
        let [_, _, s, e] = self.index[i];
        postcard::from_bytes(&self.bytes[s as usize..e as usize]).ok()
    }
}

/// The records loaded for one run, and what the run did with them.
struct Loaded {
    /// Emptied once the run has read its files' facts (`FactsCache::release`): a record is
    /// decoded into the facts of its file when taken, and nothing reads it afterwards.
    records: RwLock<Records>,
    /// Records a file of this run took (the others are of files gone: the cache is stale).
    taken: Vec<AtomicBool>,
}

/// The cache of one scan root for one run: what was loaded (read and indexed on a thread of
/// its own while the walk runs), and whether the run changes it. What the run read of each
/// file for a save (its text's hash, its metadata) is kept with the file's facts
/// (`FileFacts::cache_key`), not here.
pub struct FactsCache {
    file: PathBuf,
    key: u64,
    loading: Mutex<Option<std::thread::JoinHandle<Records>>>,
    loaded: std::sync::OnceLock<Loaded>,
    hits: AtomicUsize,
    /// Files taken whole from the cache (not read).
    unread: AtomicUsize,
    /// A file changed, or its metadata did, or is new: the cache is written again.
    stale: AtomicBool,
}

/// The cache file for a scan root: `None` when caching is off (`CLERK_GUARD_CACHE_DIR` set
/// to an empty value).
pub fn location(root: &Path) -> Option<PathBuf> {
    let root_id = {
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        xxhash_rust::xxh3::xxh3_64(canonical.to_string_lossy().as_bytes())
    };
    let name = format!("facts-{root_id:016x}.bin");
    if let Some(dir) = std::env::var_os("CLERK_GUARD_CACHE_DIR") {
        if dir.is_empty() {
            return None;
        }
        return Some(PathBuf::from(dir).join(name));
    }
    let node_modules = root.join("node_modules");
    if node_modules.is_dir() {
        return Some(node_modules.join(".cache").join("clerk-guard").join(name));
    }
    Some(root.join(DIR_NAME).join(name))
}
/// The file that keeps the walk of the tree beside the facts file `facts` (see `crate::walk`).
pub fn walk_file(facts: &Path) -> PathBuf {
    sibling_file(facts, "walk-")
}

/// A file beside the facts file `facts` of the same scan root, named with `prefix` where the
/// facts file has `facts-`.
pub fn sibling_file(facts: &Path, prefix: &str) -> PathBuf {
    let name = facts
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("facts.bin")
        .replacen("facts-", prefix, 1);
    facts.with_file_name(name)
}

/// Seconds since the epoch, now.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A value kept in `path` by `save_checked`, when the file is one this build wrote whole.
pub fn load_checked<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    postcard::from_bytes(payload_of(&bytes, WALK_MAGIC, build_key())?).ok()
}

/// Keep `value` in `path` (header, checksum, written atomically); errors are ignored, as for
/// the facts.
pub fn save_checked<T: Serialize>(path: &Path, value: &T) {
    if let Ok(payload) = postcard::to_stdvec(value) {
        let _ = write_atomically(path, |f| {
            f.write_all(&encode_with(WALK_MAGIC, build_key(), &payload))
        });
    }
}

/// What makes stored facts readable by this process: the format, this binary (version, size
/// and build time) and the prefilter's keywords.
pub(crate) fn build_key() -> u64 {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            format!("{}:{modified}", m.len())
        })
        .unwrap_or_default();
    let text = format!(
        "{FORMAT}\u{0}{}\u{0}{exe}\u{0}{:016x}",
        env!("CARGO_PKG_VERSION"),
        crate::prefilter::fingerprint()
    );
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

impl FactsCache {
    /// Open the cache of a scan root (empty when there is none yet or it cannot be trusted);
    /// `None` when caching is off. The file is read and indexed on another thread.
    pub fn open(root: &Path) -> Option<FactsCache> {
        Some(FactsCache::at(location(root)?))
    }

    /// The cache kept in `file`.
    fn at(file: PathBuf) -> FactsCache {
        let key = build_key();
        let path = file.clone();
        let loading = std::thread::Builder::new()
            .name("facts-cache".into())
            .spawn(move || {
                let records = std::fs::read(&path)
                    .ok()
                    .and_then(|bytes| decode(bytes, key))
                    .unwrap_or_default();
                crate::mark("facts cache loaded");
                records
            })
            .ok();
        FactsCache {
            file,
            key,
            loading: Mutex::new(loading),
            loaded: std::sync::OnceLock::new(),
            hits: AtomicUsize::new(0),
            unread: AtomicUsize::new(0),
            stale: AtomicBool::new(false),
        }
    }

    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| {
            let handle = self
                .loading
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            let records = handle.and_then(|h| h.join().ok()).unwrap_or_default();
            let n = records.index.len();
            Loaded {
                records: RwLock::new(records),
                taken: (0..n).map(|_| AtomicBool::new(false)).collect(),
            }
        })
    }

    fn records(&self) -> std::sync::RwLockReadGuard<'_, Records> {
        self.loaded()
            .records
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The run has read its files' facts: let the loaded records go (the cache file's bytes,
    /// as large as every file's facts together), before the analysis needs the memory. A file
    /// read after this finds no record and is read and kept anew.
    pub fn release(&self) {
        let records = std::mem::take(
            &mut *self
                .loaded()
                .records
                .write()
                .unwrap_or_else(|e| e.into_inner()),
        );
        drop(records);
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The file that keeps the walk of the same scan root.
    pub fn walk_path(&self) -> PathBuf {
        walk_file(&self.file)
    }

    /// The record of `rel`, taken by this run (each record is taken once): `None` when the
    /// cache has none (or it was taken already); `Some(None)` when it cannot be decoded.
    fn take(&self, rel: &str) -> Option<Option<Record>> {
        let records = self.records();
        let i = records.find(rel)?;
        if self.loaded().taken[i].swap(true, Ordering::Relaxed) {
            return None;
        }
        Some(records.record(i))
    }

    /// The facts of a file whose metadata `stat` is what it was when the cache kept them, taken
    /// without reading it (`reload` reads its text when something asks for it); `None` when
    /// the file must be read.
    pub fn unchanged(
        &self,
        input: &crate::source::InputFile,
        stat: StatKey,
        reload: impl FnOnce(&std::sync::Arc<str>) -> crate::source::Reload,
    ) -> Option<FileFacts> {
        let record = {
            let records = self.records();
            let i = records.find(&input.rel)?;
            let record = records.record(i)?;
            if record.stat != Some(stat)
                || record.build_output != input.origin.build_output
                || record.facts.is_none()
                || self.loaded().taken[i].swap(true, Ordering::Relaxed)
            {
                return None;
            }
            record
        };
        self.hits.fetch_add(1, Ordering::Relaxed);
        self.unread.fetch_add(1, Ordering::Relaxed);
        let key = ContentKey {
            hash: record.hash,
            stat,
        };
        Some(FileFacts::from_stored(input, record.facts?, key, reload))
    }

    /// Note that `facts` were just read from a text with hash `hash`, when the file's metadata
    /// was `stat` (kept with them for the save), and give them the lexing and parse results
    /// the cache holds for exactly that content.
    pub fn fill(&self, facts: &mut FileFacts, hash: (u64, u64), stat: StatKey) {
        facts.cache_key = Some(Box::new(ContentKey { hash, stat }));
        if !facts.cacheable() {
            return;
        }
        let Some(record) = self.take(&facts.rel) else {
            // New to the cache.
            self.stale.store(true, Ordering::Relaxed);
            return;
        };
        match record {
            Some(record)
                if record.hash == hash && record.build_output == facts.origin.build_output =>
            {
                // Same content: its metadata changed, or it was too recent to trust, and the
                // cache is written again with the metadata; a file holding a key prefix is
                // read every run and changes nothing.
                if !facts.holds_key_prefix() {
                    self.stale.store(true, Ordering::Relaxed);
                }
                self.hits.fetch_add(1, Ordering::Relaxed);
                match record.facts {
                    Some(stored) => facts.restore(stored),
                    None => facts.mark_unkeepable(),
                }
            }
            // Changed.
            _ => self.stale.store(true, Ordering::Relaxed),
        }
    }

    /// Files whose facts came from the cache (read or not).
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Files whose facts came from the cache without reading them.
    pub fn unread(&self) -> usize {
        self.unread.load(Ordering::Relaxed)
    }

    /// Write the facts of this run's files when they differ from what was loaded (a file
    /// read, lexed or parsed that the cache did not hold so, one changed or gone). Errors are
    /// ignored: a cache that cannot be written only costs the next run time.
    ///
    /// Each file's record is encoded and written as it comes (through a small buffer, hashed
    /// on the way, its header written last): a save holds one record at a time, never the
    /// whole cache.
    pub fn save(&self, files: &[FileFacts]) {
        let leftover = self
            .loaded()
            .taken
            .iter()
            .any(|t| !t.load(Ordering::Relaxed));
        let unchanged = !self.stale.load(Ordering::Relaxed)
            && !leftover
            && !files
                .iter()
                .any(|f| f.cache_key.is_some() && f.cacheable() && f.new_to_cache());
        if unchanged {
            return;
        }
        let now = now_secs();
        // Sorted by path (of two files with one path, the first kept).
        let mut kept: Vec<&FileFacts> = files
            .iter()
            .filter(|f| f.cacheable() && f.cache_key.is_some())
            .collect();
        kept.sort_by(|a, b| a.rel.cmp(&b.rel));
        kept.dedup_by(|a, b| a.rel == b.rel);
        let _ = write_atomically(&self.file, |out| {
            write_checked(out, MAGIC, self.key, |payload| {
                write_records(payload, &kept, now)
            })
        });
    }
}

/// The payload of a facts cache: the records of `kept` (sorted by path), as postcard writes
/// a list of (path, encoded record) pairs.
fn write_records(out: &mut impl Write, kept: &[&FileFacts], now: i64) -> std::io::Result<()> {
    let fail = |e: postcard::Error| std::io::Error::other(e);
    let mut pair = postcard::to_stdvec(&kept.len()).map_err(fail)?;
    let mut record = Vec::new();
    for f in kept {
        let Some(key) = f.cache_key.as_deref() else {
            return Err(std::io::Error::other("a file kept without its key"));
        };
        let facts = Record::of(f, key, now);
        record.clear();
        record = postcard::to_extend(&facts, record).map_err(fail)?;
        drop(facts);
        pair = postcard::to_extend(&(&*f.rel, serde_bytes::Bytes::new(&record)), pair)
            .map_err(fail)?;
        out.write_all(&pair)?;
        pair.clear();
    }
    out.write_all(&pair)
}

#[cfg(test)]
fn encode(key: u64, payload: &[u8]) -> Vec<u8> {
    encode_with(MAGIC, key, payload)
}

fn encode_with(magic: &[u8; 8], key: u64, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&header(
        magic,
        key,
        payload.len() as u64,
        xxhash_rust::xxh3::xxh3_64(payload),
    ));
    out.extend_from_slice(payload);
    out
}

/// The header of a checked file: magic, format, key, payload length, payload checksum.
fn header(magic: &[u8; 8], key: u64, len: u64, checksum: u64) -> [u8; HEADER_LEN] {
    let mut out = [0; HEADER_LEN];
    out[..8].copy_from_slice(magic);
    out[8..12].copy_from_slice(&FORMAT.to_le_bytes());
    out[12..20].copy_from_slice(&key.to_le_bytes());
    out[20..28].copy_from_slice(&len.to_le_bytes());
    out[28..].copy_from_slice(&checksum.to_le_bytes());
    out
}

/// Write to `file` (from its start) what `encode_with(magic, key, payload)` makes of the
/// payload `payload` writes, as it writes it: the header's place is left blank, the payload
/// goes through a buffer and is hashed on the way, and the header is written last.
fn write_checked(
    file: &mut std::fs::File,
    magic: &[u8; 8],
    key: u64,
    payload: impl FnOnce(&mut Checked<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    file.write_all(&[0; HEADER_LEN])?;
    let mut out = Checked {
        out: std::io::BufWriter::with_capacity(1 << 16, &mut *file),
        hasher: Box::new(xxhash_rust::xxh3::Xxh3::new()),
        len: 0,
    };
    payload(&mut out)?;
    out.out.flush()?;
    let (len, checksum) = (out.len, out.hasher.digest());
    drop(out);
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&header(magic, key, len, checksum))
}

/// A payload on its way to a file: counted and hashed as it is written.
struct Checked<'a> {
    out: std::io::BufWriter<&'a mut std::fs::File>,
    hasher: Box<xxhash_rust::xxh3::Xxh3>,
    len: u64,
}

impl Write for Checked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The records of a cache file, or `None` when it is not one this process can trust.
fn decode(bytes: Vec<u8>, key: u64) -> Option<Records> {
    payload_of(&bytes, MAGIC, key)?;
    Records::index(bytes, HEADER_LEN)
}

/// The payload of a file written by `encode_with(magic, key, …)`, whole and unaltered.
fn payload_of<'a>(bytes: &'a [u8], magic: &[u8; 8], key: u64) -> Option<&'a [u8]> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != magic {
        return None;
    }
    let u64_at = |at: usize| Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?));
    let format = u32::from_le_bytes(bytes.get(8..12)?.try_into().ok()?);
    if format != FORMAT || u64_at(12)? != key {
        return None;
    }
    let len = usize::try_from(u64_at(20)?).ok()?;
    let payload = bytes.get(HEADER_LEN..)?;
    if payload.len() != len || xxhash_rust::xxh3::xxh3_64(payload) != u64_at(28)? {
        return None;
    }
    Some(payload)
}

/// Write to `path` through a temporary file in the same directory (what `write` writes into
/// it), renamed into place: a concurrent reader sees the old file or the new one, never half
/// of one. A new `.clerk-guard-cache/` gets a `.gitignore` that ignores everything in it.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    if !dir.is_dir() {
        std::fs::create_dir_all(dir)?;
        if dir.file_name().is_some_and(|n| n == DIR_NAME) {
            std::fs::write(dir.join(".gitignore"), "*\n")?;
        }
    }
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("facts"),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        write(&mut f)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stat key is 32 bytes (a content key 48: one of each per file while a run lasts), and
    /// goes through the stored tuple unchanged, nanoseconds and times before 1970 included; a
    /// change of a nanosecond alone tells.
    #[test]
    fn stat_keys_are_compact_and_round_trip() {
        assert_eq!(std::mem::size_of::<StatKey>(), 32);
        assert_eq!(std::mem::size_of::<ContentKey>(), 48);
        for t in [
            (
                7u64,
                1_733_000_000i64,
                999_999_999u32,
                1_733_000_001i64,
                0u32,
                42u64,
            ),
            (0, -5, 1, -1, 999_999_999, 0),
            (1, 0, 0, 0, 0, 1),
        ] {
            let key = StatKey::from(t);
            assert_eq!(<(u64, i64, u32, i64, u32, u64)>::from(key), t);
            let bytes = postcard::to_allocvec(&key).unwrap();
            assert_eq!(postcard::from_bytes::<StatKey>(&bytes).unwrap(), key);
        }
        let a = StatKey::from((1, 10, 5, 10, 5, 1));
        assert_ne!(a, StatKey::from((1, 10, 6, 10, 5, 1)));
        assert_ne!(a, StatKey::from((1, 10, 5, 10, 4, 1)));
        assert!(a.settled(12) && !a.settled(11));
    }

    #[test]
    fn untrusted_caches_are_ignored() {
        let record = postcard::to_stdvec(&Record {
            stat: None,
            hash: (1, 2),
            build_output: false,
            facts: None,
        })
        .unwrap();
        let payload = postcard::to_stdvec(&vec![("a.ts", record.as_slice())]).unwrap();
        let good = encode(7, &payload);
        let records = decode(good.clone(), 7).unwrap();
        assert_eq!(records.find("a.ts"), Some(0));
        assert_eq!(records.record(0).map(|r| r.hash), Some((1, 2)));
        assert_eq!(records.find("b.ts"), None);
        // Another build, a truncated file, a flipped byte, garbage, nothing.
        assert!(decode(good.clone(), 8).is_none());
        assert!(decode(good[..good.len() - 1].to_vec(), 7).is_none());
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(decode(flipped, 7).is_none());
        assert!(decode(b"not a cache at all, just text".to_vec(), 7).is_none());
        assert!(decode(Vec::new(), 7).is_none());
        // A valid header over a payload that is not a list of records, or not a sorted one.
        assert!(decode(encode(7, b"\xc1\xc1\xc1"), 7).is_none());
        let unsorted = postcard::to_stdvec(&vec![
            ("b.ts", record.as_slice()),
            ("a.ts", record.as_slice()),
        ])
        .unwrap();
        assert!(decode(encode(7, &unsorted), 7).is_none());
    }

    #[test]
    fn records_are_found_by_path() {
        let paths = ["a.ts", "b/c.ts", "b/d.ts"];
        let pairs: Vec<(&str, &[u8])> = paths.iter().map(|p| (*p, &b"x"[..])).collect();
        let mut records = decode(encode(7, &postcard::to_stdvec(&pairs).unwrap()), 7).unwrap();
        for round in 0..2 {
            for (i, p) in paths.iter().enumerate() {
                assert_eq!(records.find(p), Some(i), "{p} (round {round})");
            }
            assert_eq!(records.find("b/e.ts"), None);
            assert_eq!(records.find("b"), None);
            // Every hash shared by two paths: the binary search answers the same.
            for at in records.by_hash.values_mut() {
                *at = SHARED;
            }
        }
    }
}

#[cfg(test)]
mod round_trip {
    use super::*;

    /// Every script under `testdata/`: its parse results survive the cache unchanged (a field
    /// that serde skips when empty but cannot default would make every cache unreadable).
    #[test]
    fn parse_results_survive_the_cache() {
        let mut checked = 0;
        let mut with_dropped = 0;
        let mut with_stems = 0;
        for input in super::save::inputs(&[""]) {
            if !matches!(input.kind, crate::source::FileKind::Script(_)) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&input.abs) else {
                continue;
            };
            let facts = crate::facts::extract(&input, text.clone());
            // The code facts read back exactly (not parsed again behind a failed decode).
            if let Some(code) = facts.code() {
                let bytes = crate::facts::encode_code(code).expect("encodes");
                let back = crate::facts::decode_code(&bytes);
                assert_eq!(back.as_ref(), Some(code), "{}", input.rel);
            }
            let _ = facts.imports();
            let dropped = facts.dropped_imports();
            let Some(stored) = facts.to_stored() else {
                continue;
            };
            let bytes = postcard::to_stdvec(&stored).unwrap();
            let back: StoredFacts =
                postcard::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", input.rel));
            // Taken whole (not read): what the cache held stays encoded until asked for,
            // and the held `export *` bit answers before the imports are decoded.
            let held: StoredFacts = postcard::from_bytes(&bytes).unwrap();
            let key = ContentKey {
                hash: (1, 2),
                stat: StatKey::from((1, 2, 3, 4, 5, 6)),
            };
            let taken = FileFacts::from_stored(&input, held, key, |_| {
                crate::source::Reload::Custom(Box::new(|| None))
            });
            assert_eq!(taken.exports_all(), facts.exports_all(), "{}", input.rel);
            // The stems of the imports come back without decoding them.
            let stems = facts.import_stem_keys().into_owned();
            assert_eq!(*taken.import_stem_keys(), *stems, "{}", input.rel);
            if !stems.is_empty() {
                assert!(!taken.imports_lexed(), "{}: imports decoded", input.rel);
                with_stems += 1;
            }
            assert_eq!(taken.imports(), facts.imports(), "{}", input.rel);
            assert_eq!(taken.own_exports(), facts.own_exports(), "{}", input.rel);
            assert_eq!(taken.code(), facts.code(), "{}", input.rel);
            // The imports TypeScript drops come back without a parse.
            assert_eq!(taken.dropped_imports(), dropped, "{}", input.rel);
            assert!(!taken.gates_is_parsed(), "{}", input.rel);
            let mut again = crate::facts::extract(&input, text);
            again.restore(back);
            assert_eq!(again.code(), facts.code(), "{}", input.rel);
            assert_eq!(again.imports(), facts.imports(), "{}", input.rel);
            assert_eq!(again.own_exports(), facts.own_exports(), "{}", input.rel);
            assert_eq!(again.dropped_imports(), dropped, "{}", input.rel);
            assert!(!again.gates_is_parsed(), "{}", input.rel);
            checked += 1;
            if !dropped.is_empty() {
                with_dropped += 1;
            }
        }
        assert!(checked > 100, "only {checked} files checked");
        assert!(with_stems > 100, "only {with_stems} files with imports");
        assert!(
            with_dropped > 0,
            "no fixture has an import TypeScript drops"
        );
    }
}

#[cfg(test)]
mod save {
    use super::*;

    /// Every file under `testdata/<dirs>`, as a scan finds it: not the caches that scans of
    /// testdata leave there (`scan testdata/demo-app`, the README's first command, makes one).
    pub(super) fn inputs(dirs: &[&str]) -> Vec<crate::source::InputFile> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut stack: Vec<PathBuf> = dirs.iter().map(|d| root.join(d)).collect();
        let mut out = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    if !path.ends_with(DIR_NAME) {
                        stack.push(path);
                    }
                    continue;
                }
                let rel = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(crate::source::InputFile {
                    kind: crate::source::FileKind::classify(&rel),
                    rel,
                    abs: path,
                    origin: crate::source::Origin::default(),
                });
            }
        }
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        out
    }

    /// The facts of `inputs` as a run with `cache` reads them, lexed and parsed.
    fn read(inputs: &[crate::source::InputFile], cache: &FactsCache) -> Vec<FileFacts> {
        let files: Vec<FileFacts> = inputs
            .iter()
            .filter_map(|i| {
                crate::engine::read_facts_cached(i, true, Some(cache), false, false).ok()?
            })
            .collect();
        cache.release();
        for f in &files {
            let _ = f.imports();
            let _ = f.code();
        }
        files
    }

    /// What `FactsCache::save` wrote before it streamed: every record encoded, the list of
    /// them encoded whole, the header put before it.
    fn whole(key: u64, files: &[FileFacts], now: i64) -> Vec<u8> {
        let mut records: Vec<(&str, Vec<u8>)> = files
            .iter()
            .filter(|f| f.cacheable())
            .filter_map(|f| {
                let record = Record::of(f, f.cache_key.as_deref()?, now);
                Some((&*f.rel, postcard::to_stdvec(&record).ok()?))
            })
            .collect();
        records.sort_by(|a, b| a.0.cmp(b.0));
        records.dedup_by(|a, b| a.0 == b.0);
        encode(key, &postcard::to_stdvec(&records).unwrap())
    }

    const DIRS: &[&str] = &["demo-app", "hardcoded-secret-key"];

    #[test]
    fn a_streamed_save_writes_the_bytes_of_a_whole_one_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub").join("facts.bin");
        let inputs = inputs(DIRS);
        let cache = FactsCache::at(file.clone());
        let mut files = read(&inputs, &cache);
        // Two files with one path: the first is kept.
        let again = crate::engine::read_facts_cached(&inputs[0], false, Some(&cache), false, false);
        files.push(again.unwrap().unwrap());
        let kept = files.iter().filter(|f| f.cacheable()).count();
        assert!(kept > 20, "only {kept} files kept");
        // Some hold a key prefix (kept without their stat, or not at all).
        assert!(files.iter().any(|f| f.holds_key_prefix() && f.cacheable()));
        assert!(files.iter().any(|f| f.code().is_some()));
        cache.save(&files);
        let written = std::fs::read(&file).unwrap();
        assert_eq!(written, whole(cache.key, &files, now_secs()));

        // Read back: every file kept is taken whole, as it was.
        let cache = FactsCache::at(file.clone());
        let mut unread = 0;
        for (input, facts) in inputs.iter().zip(&files) {
            let stat = StatKey::of(&std::fs::metadata(&input.abs).unwrap());
            let Some(taken) = cache.unchanged(input, stat, |_| {
                crate::source::Reload::Custom(Box::new(|| None))
            }) else {
                // Not kept whole: a dotenv file, or one holding a key prefix (read every run).
                assert!(
                    !facts.cacheable() || facts.holds_key_prefix(),
                    "{}",
                    input.rel
                );
                continue;
            };
            unread += 1;
            assert_eq!(taken.cache_key, facts.cache_key, "{}", input.rel);
            assert_eq!(taken.imports(), facts.imports(), "{}", input.rel);
            assert_eq!(taken.code(), facts.code(), "{}", input.rel);
            assert_eq!(taken.env_reads(), facts.env_reads(), "{}", input.rel);
        }
        assert!(unread > 20, "only {unread} files taken whole");
        // Nothing changed: nothing is written.
        let before = std::fs::metadata(&file).unwrap().modified().unwrap();
        let cache = FactsCache::at(file.clone());
        let files = read(&inputs, &cache);
        assert_eq!(cache.unread(), unread);
        cache.save(&files);
        assert_eq!(
            std::fs::metadata(&file).unwrap().modified().unwrap(),
            before
        );
        assert_eq!(std::fs::read(&file).unwrap(), written);
    }

    /// The demo app's facts read through a fresh cache and saved: its file, the inputs and
    /// the bytes written (the directory lives as long as the returned guard).
    fn demo_cache_saved() -> (
        tempfile::TempDir,
        std::path::PathBuf,
        Vec<crate::source::InputFile>,
        Vec<u8>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("facts.bin");
        let inputs = inputs(&["demo-app"]);
        let cache = FactsCache::at(file.clone());
        let files = read(&inputs, &cache);
        cache.save(&files);
        let good = std::fs::read(&file).unwrap();
        (dir, file, inputs, good)
    }

    #[test]
    fn a_cache_that_cannot_be_trusted_is_rebuilt_whole() {
        let (_dir, file, inputs, good) = demo_cache_saved();
        let truncated = good[..good.len() / 2].to_vec();
        let mut flipped = good.clone();
        flipped[HEADER_LEN + 3] ^= 0x40;
        let mut foreign = good.clone();
        foreign[12] ^= 1;
        for bad in [truncated, flipped, foreign, b"garbage".to_vec()] {
            std::fs::write(&file, &bad).unwrap();
            let cache = FactsCache::at(file.clone());
            let files = read(&inputs, &cache);
            assert_eq!(cache.hits(), 0);
            cache.save(&files);
            assert_eq!(std::fs::read(&file).unwrap(), good);
        }
    }

    #[test]
    fn files_read_after_the_release_are_read_and_kept_anew() {
        let (_dir, file, inputs, good) = demo_cache_saved();
        // Released before anything is read: nothing is taken from the cache, and the save
        // writes what it held.
        let cache = FactsCache::at(file.clone());
        cache.release();
        let files = read(&inputs, &cache);
        assert_eq!(cache.hits(), 0);
        assert_eq!(cache.unread(), 0);
        std::fs::remove_file(&file).unwrap();
        cache.save(&files);
        assert_eq!(std::fs::read(&file).unwrap(), good);
    }
}
