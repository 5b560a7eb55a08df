//! Walking: `.gitignore`/`.ignore`/`.clerkguardignore`-aware, parallel, sorted output.
//! Built client output (gitignored, but what ships to browsers) and gitignored dotenv files
//! are added from known places afterwards.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::cache::StatKey;
use crate::config::Config;
use crate::project::package_dirs;
use crate::source::{FileKind, InputFile, Origin, is_env_file_name, join_rel, rel_path};

pub const IGNORE_FILE_NAME: &str = ".clerkguardignore";

/// Directories never entered by the main walk.
const ALWAYS_SKIPPED: &[&str] = &["node_modules", ".git", ".next", crate::cache::DIR_NAME];

/// Where each app's built client output lives, relative to the app.
const BUILD_OUTPUT_DIRS: &[&str] = &[".next/static", "out/_next/static"];

pub struct WalkOutput {
    pub files: Vec<InputFile>,
    /// Directories (relative) holding a `package.json`.
    pub package_dirs: Vec<String>,
    /// Problems worth a line on stderr (unreadable directories, …).
    pub warnings: Vec<String>,
    /// The tree's files came from the kept walk (see `KeptWalk`).
    pub kept: bool,
}

pub struct WalkOptions {
    pub build_output: bool,
    /// The file that keeps the walk of the tree between runs (see `KeptWalk`); `None` walks
    /// every time.
    pub cache: Option<PathBuf>,
}

/// Ignore files the walker reads, by kind (a bit each).
const IGNORE_KINDS: &[(&str, u8)] = &[
    (".gitignore", GIT_IGNORE),
    (".ignore", DOT_IGNORE),
    (IGNORE_FILE_NAME, GUARD_IGNORE),
    (".git/info/exclude", GIT_EXCLUDE),
];
const GIT_IGNORE: u8 = 1;
const DOT_IGNORE: u8 = 2;
const GUARD_IGNORE: u8 = 4;
const GIT_EXCLUDE: u8 = 8;

/// The ignore files of one directory the walker would read.
#[derive(Default)]
struct IgnoreFiles {
    /// Kinds that exist but are no regular file once links are followed (a FIFO, a device, a
    /// directory, a dangling or looping link): opening a FIFO blocks forever and a device
    /// never ends, so the walker must not read them.
    hostile: Vec<(&'static str, u8)>,
    /// The metadata of those that are regular files (links followed), by kind.
    regular: Vec<(u8, StatKey)>,
}

impl IgnoreFiles {
    fn of(dir: &Path) -> IgnoreFiles {
        #[cfg(unix)]
        if let Some(out) = Self::of_dir_fd(dir) {
            return out;
        }
        Self::of_paths(dir)
    }

    /// [`IgnoreFiles::of`] by each ignore file's whole path.
    fn of_paths(dir: &Path) -> IgnoreFiles {
        Self::found(
            |name| std::fs::symlink_metadata(dir.join(name)).is_ok(),
            |name| {
                std::fs::metadata(dir.join(name))
                    .ok()
                    .filter(std::fs::Metadata::is_file)
                    .map(|m| StatKey::of(&m))
            },
        )
    }

    /// [`IgnoreFiles::of`] by names looked up from the directory opened once: each of the four
    /// lookups is then one or a few path components, not the whole path again (a cold scan
    /// makes them for every directory of the tree; they were 5 % of a secrets-only scan's
    /// samples). `None` when the directory cannot be opened so (the paths are looked up).
    #[cfg(unix)]
    fn of_dir_fd(dir: &Path) -> Option<IgnoreFiles> {
        use rustix::fs::{AtFlags, FileType, Mode, OFlags};
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(dir, flags, Mode::empty()).ok()?;
        Some(Self::found(
            |name| rustix::fs::statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW).is_ok(),
            |name| {
                rustix::fs::statat(&fd, name, AtFlags::empty())
                    .ok()
                    .filter(|st| FileType::from_raw_mode(st.st_mode as _) == FileType::RegularFile)
                    .map(|st| StatKey::of_stat(&st))
            },
        ))
    }

    /// Each ignore-file kind whose name `exists` (the name itself, a link not followed) is
    /// regular with the metadata `regular` gives (links followed), or else hostile.
    fn found(
        exists: impl Fn(&str) -> bool,
        regular: impl Fn(&str) -> Option<StatKey>,
    ) -> IgnoreFiles {
        let mut out = IgnoreFiles::default();
        for &(name, bit) in IGNORE_KINDS {
            if !exists(name) {
                continue;
            }
            match regular(name) {
                Some(key) => out.regular.push((bit, key)),
                None => out.hostile.push((name, bit)),
            }
        }
        out
    }

    fn hostile_bits(&self) -> u8 {
        self.hostile.iter().fold(0, |a, (_, bit)| a | bit)
    }

    /// The metadata of the ignore files whose change leaves the directory's own times as they
    /// are (git's exclude file lives in `.git/info`: it is watched apart, see `outside`).
    fn kept(&self) -> Vec<(u8, StatKey)> {
        self.regular
            .iter()
            .copied()
            .filter(|(bit, _)| *bit != GIT_EXCLUDE)
            .collect()
    }
}

/// A directory the walk left for later: one of its ignore files must not be read.
struct Deferred {
    dir: PathBuf,
    /// Ignore-file kinds not read below it (its own and those inherited).
    off: u8,
}

/// A directory the walk entered: its path, its metadata and that of its ignore files, by kind.
type DirSeen = (PathBuf, StatKey, Vec<(u8, StatKey)>);

/// What a fresh walk saw besides the files: what tells a kept walk is still true.
#[derive(Default)]
struct Seen {
    /// Directories entered, with their metadata and that of their ignore files.
    dirs: Vec<DirSeen>,
    /// Git exclude files of directories holding a `.git` directory (present or not).
    excludes: Vec<PathBuf>,
    /// Something the kept walk would not tell apart next time (a directory whose metadata
    /// could not be read, a `.git` file of a linked worktree or a submodule).
    unkeepable: bool,
}

/// The shared state of one walk.
struct Found {
    files: Mutex<Vec<PathBuf>>,
    warnings: Mutex<Vec<String>>,
    deferred: Mutex<Vec<Deferred>>,
    /// Filled only when the walk is to be kept (`WalkOptions::cache`).
    seen: Option<Mutex<Seen>>,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Walk `start` with the ignore-file kinds in `off` not read; directories that hold an
/// unreadable ignore file are not entered but pushed on `found.deferred`.
fn walk_tree(start: &Path, off: u8, found: &std::sync::Arc<Found>) {
    let mut builder = WalkBuilder::new(start);
    let shared = std::sync::Arc::clone(found);
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .git_ignore(off & GIT_IGNORE == 0)
        .ignore(off & DOT_IGNORE == 0)
        .git_exclude(off & GIT_EXCLUDE == 0)
        .filter_entry(move |entry| {
            let name = entry.file_name().to_string_lossy();
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if name == ".git"
                && let Some(seen) = &shared.seen
            {
                let parent = entry.path().parent().unwrap_or(Path::new(""));
                let mut seen = locked(seen);
                if is_dir {
                    seen.excludes.push(parent.join(".git/info/exclude"));
                } else {
                    seen.unkeepable = true;
                }
            }
            if !is_dir {
                return true;
            }
            if ALWAYS_SKIPPED.contains(&name.as_ref()) {
                return false;
            }
            // A static export's `out/_next` is build output, walked separately.
            if name == "_next"
                && entry
                    .path()
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|p| p == "out")
            {
                return false;
            }
            let ignore_files = IgnoreFiles::of(entry.path());
            let hostile = ignore_files.hostile_bits();
            if hostile & !off != 0 {
                locked(&shared.deferred).push(Deferred {
                    dir: entry.path().to_path_buf(),
                    off: off | hostile,
                });
                return false;
            }
            let Some(seen) = &shared.seen else {
                return true;
            };
            let meta = entry.metadata().ok();
            let mut seen = locked(seen);
            match meta {
                Some(m) => {
                    let key = StatKey::of(&m);
                    seen.dirs
                        .push((entry.path().to_path_buf(), key, ignore_files.kept()));
                }
                None => seen.unkeepable = true,
            }
            true
        });
    if off & GUARD_IGNORE == 0 {
        builder.add_custom_ignore_filename(IGNORE_FILE_NAME);
    }
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        locked(&found.files).push(entry.into_path());
                    }
                }
                Err(err) => {
                    locked(&found.warnings).push(format!("skipped: {err}"));
                }
            }
            WalkState::Continue
        })
    });
}

/// The walk of the tree kept between runs (`WalkOptions::cache`), with what tells it is still
/// true: the metadata of every directory it entered (adding, removing or renaming an entry
/// changes a directory's times, as git's untracked cache relies on) and of every ignore file
/// that applies (in the tree, above it, and git's global excludes). Only a walk that left
/// nothing out (no unreadable directory, no ignore file that is not a regular file) is kept,
/// and only when nothing it depends on changed in the two seconds before it was taken (a later
/// change in the same clock tick could not be told apart).
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptWalk {
    /// Files that decide the ignore rules from outside the tree's directories, with their
    /// metadata when they exist (see `outside`).
    outside: Vec<(PathBuf, Option<StatKey>)>,
    /// The directories entered, relative to the root (empty for the root), with their
    /// metadata and that of their ignore files, by kind.
    dirs: Vec<DirSeen>,
    /// The files found, relative to the root.
    files: Vec<PathBuf>,
}

/// The ignore files that apply to the tree without living in one of its directories: those of
/// the root's ancestors, git's global excludes, and the exclude files of the repositories
/// (`excludes`); `None` when the walk cannot be kept (a linked worktree's `.git` file above
/// the root names its exclude file elsewhere).
fn outside(root: &Path, excludes: &[PathBuf]) -> Option<Vec<(PathBuf, Option<StatKey>)>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for dir in root.ancestors() {
        let git = dir.join(".git");
        match std::fs::symlink_metadata(&git) {
            Ok(m) if m.is_dir() => paths.push(git.join("info/exclude")),
            Ok(_) => return None,
            Err(_) => {}
        }
        if dir != root {
            paths.extend(
                IGNORE_KINDS
                    .iter()
                    .filter(|(_, bit)| *bit != GIT_EXCLUDE)
                    .map(|(name, _)| dir.join(name)),
            );
        }
    }
    paths.extend(ignore::gitignore::gitconfig_excludes_path());
    paths.extend(excludes.iter().cloned());
    paths.sort();
    paths.dedup();
    Some(
        paths
            .into_iter()
            .map(|p| {
                let key = std::fs::metadata(&p).ok().map(|m| StatKey::of(&m));
                (p, key)
            })
            .collect(),
    )
}

/// The files of the kept walk, when everything it depends on is as it was.
fn kept_walk(root: &Path, file: &Path) -> Option<Vec<PathBuf>> {
    use rayon::prelude::*;
    let kept: KeptWalk = crate::cache::load_checked(file)?;
    let excludes: Vec<PathBuf> = kept
        .outside
        .iter()
        .filter(|(p, _)| p.starts_with(root) && p.ends_with(".git/info/exclude"))
        .map(|(p, _)| p.clone())
        .collect();
    if outside(root, &excludes)? != kept.outside {
        return None;
    }
    let same = |path: &Path, key: &StatKey, follow: bool| {
        let meta = if follow {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        };
        meta.is_ok_and(|m| StatKey::of(&m) == *key)
    };
    let unchanged = kept.dirs.par_iter().all(|(rel, key, ignores)| {
        let dir = root.join(rel);
        same(&dir, key, rel.as_os_str().is_empty())
            && ignores.iter().all(|(bit, key)| {
                IGNORE_KINDS
                    .iter()
                    .find(|(_, b)| b == bit)
                    .is_some_and(|(name, _)| same(&dir.join(name), key, true))
            })
    });
    unchanged.then(|| kept.files.iter().map(|rel| root.join(rel)).collect())
}

/// Keep a fresh walk for the next run, when it can stand for one (see `KeptWalk`).
fn keep_walk(root: &Path, file: &Path, files: &[PathBuf], seen: Seen, root_key: StatKey) {
    if seen.unkeepable {
        return;
    }
    let Some(outside) = outside(root, &seen.excludes) else {
        return;
    };
    let now = crate::cache::now_secs();
    let mut dirs = Vec::with_capacity(seen.dirs.len() + 1);
    dirs.push((PathBuf::new(), root_key, IgnoreFiles::of(root).kept()));
    for (abs, key, ignores) in seen.dirs {
        let Ok(rel) = abs.strip_prefix(root) else {
            return;
        };
        dirs.push((rel.to_path_buf(), key, ignores));
    }
    let settled = dirs
        .iter()
        .all(|(_, k, ig)| k.settled(now) && ig.iter().all(|(_, k)| k.settled(now)))
        && outside
            .iter()
            .all(|(_, k)| k.is_none_or(|k| k.settled(now)));
    if !settled {
        return;
    }
    let Some(files) = files
        .iter()
        .map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    crate::cache::save_checked(
        file,
        &KeptWalk {
            outside,
            dirs,
            files,
        },
    );
}

/// Walk the tree under `root` with its ignore files (or take the kept walk): the files found,
/// and the warnings of the walk.
fn walk_ignoring(root: &Path, opts: &WalkOptions) -> (Vec<PathBuf>, Vec<String>, bool) {
    if let Some(files) = opts.cache.as_deref().and_then(|c| kept_walk(root, c)) {
        return (files, Vec::new(), true);
    }
    // Taken before the walk: a change while it runs moves the root's times past it.
    let root_key = std::fs::metadata(root).ok().map(|m| StatKey::of(&m));
    let found = std::sync::Arc::new(Found {
        files: Mutex::new(Vec::new()),
        warnings: Mutex::new(Vec::new()),
        deferred: Mutex::new(Vec::new()),
        seen: opts.cache.is_some().then(|| Mutex::new(Seen::default())),
    });
    // The walker also reads the ignore files of the root and of its ancestors.
    let mut off = 0u8;
    let mut unread: Vec<String> = Vec::new();
    for dir in root.ancestors() {
        for (name, bit) in IgnoreFiles::of(dir).hostile {
            off |= bit;
            unread.push(rel_path(root, &dir.join(name)));
        }
    }
    walk_tree(root, off, &found);
    let mut deferred_any = false;
    loop {
        let next = locked(&found.deferred).pop();
        let Some(Deferred { dir, off }) = next else {
            break;
        };
        deferred_any = true;
        for (name, _) in IgnoreFiles::of(&dir).hostile {
            unread.push(rel_path(root, &dir.join(name)));
        }
        walk_tree(&dir, off, &found);
    }
    let files = std::mem::take(&mut *locked(&found.files));
    let mut warnings = std::mem::take(&mut *locked(&found.warnings));
    if let (Some(cache), Some(root_key), Some(seen)) =
        (opts.cache.as_deref(), root_key, found.seen.as_ref())
        && warnings.is_empty()
        && unread.is_empty()
        && !deferred_any
    {
        let seen = std::mem::take(&mut *locked(seen));
        keep_walk(root, cache, &files, seen, root_key);
    }
    unread.sort();
    unread.dedup();
    for rel in unread {
        warnings.push(format!(
            "{}: not a regular file (a FIFO, device, directory or broken link): not read, its ignore rules do not apply",
            crate::finding::escape_control(&rel)
        ));
    }
    (files, warnings, false)
}

pub fn walk(root: &Path, config: &Config, opts: &WalkOptions) -> WalkOutput {
    use rayon::prelude::*;
    // The git index (for the tracked files the ignore rules hide) is read beside the walk.
    let ((paths, mut warnings, kept), tracked) = std::thread::scope(|s| {
        let index = s.spawn(|| crate::git::tracked_files(root));
        let walked = walk_ignoring(root, opts);
        (walked, index.join().ok().flatten())
    });
    crate::mark("walk: paths");

    // Per path (tens of thousands of them): in parallel.
    let mut rels: Vec<(String, PathBuf)> = paths
        .into_par_iter()
        .map(|p| (rel_path(root, &p), p))
        .filter(|(rel, _)| !config.is_excluded(rel))
        .collect();
    rels.par_sort_unstable();
    let pkg_dirs = package_dirs(rels.iter().map(|(r, _)| r.as_str()));
    let app_dirs: Vec<&str> = std::iter::once("")
        .chain(
            pkg_dirs
                .iter()
                .map(String::as_str)
                .filter(|d| !d.is_empty()),
        )
        .collect();

    let mut files: Vec<InputFile> = rels
        .into_par_iter()
        .map(|(rel, abs)| {
            let origin = Origin {
                public_asset: is_public_asset(&rel, &app_dirs),
                ..Origin::default()
            };
            InputFile {
                kind: FileKind::classify(&rel),
                rel,
                abs,
                origin,
            }
        })
        .collect();

    crate::mark("walk: input files");
    let guard_ignore = clerkguard_ignore(root);
    // The walk's files, sorted by path, are found by binary search; those added after it are
    // kept apart.
    let walked = |rel: &str| files.binary_search_by(|f| f.rel.as_str().cmp(rel)).is_ok();
    let tracked = add_tracked_ignored(root, tracked, config, &guard_ignore, &app_dirs, walked);
    crate::mark("walk: tracked");
    let added: HashSet<String> = tracked.iter().map(|f| f.rel.clone()).collect();
    let walked_len = files.len();
    files.extend(tracked);
    let known = |files: &[InputFile], rel: &str| {
        added.contains(rel)
            || files[..walked_len]
                .binary_search_by(|f| f.rel.as_str().cmp(rel))
                .is_ok()
    };
    // Per app directory, in parallel (a monorepo has a hundred): its ignored `.env` files and
    // its build output (sorted with the rest below).
    let per_app: Vec<(Vec<InputFile>, Vec<String>)> = app_dirs
        .par_iter()
        .map(|dir| {
            let mut extra: Vec<InputFile> = ignored_env_files(root, dir)
                .filter(|f| {
                    !known(&files, &f.rel)
                        && !config.is_excluded(&f.rel)
                        && !guard_ignore.matched(&f.abs, false).is_ignore()
                })
                .collect();
            let mut notes = Vec::new();
            if opts.build_output {
                build_output_of(root, dir, config, &mut extra, &mut notes);
            }
            (extra, notes)
        })
        .collect();
    for (extra, notes) in per_app {
        files.extend(extra);
        warnings.extend(notes);
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    warnings.sort();
    WalkOutput {
        files,
        package_dirs: pkg_dirs,
        warnings,
        kept,
    }
}

/// The `.env` files directly in app directory `dir` (the walk's ignore rules hide most of them:
/// they are read as git-ignored files).
fn ignored_env_files<'a>(root: &Path, dir: &'a str) -> impl Iterator<Item = InputFile> + 'a {
    std::fs::read_dir(root.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(move |entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_env_file_name(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
                return None;
            }
            Some(InputFile {
                kind: FileKind::Env,
                rel: join_rel(dir, &name),
                abs: entry.path(),
                origin: Origin {
                    gitignored: true,
                    ..Origin::default()
                },
            })
        })
}

/// The build output of app directory `dir` (`.next/static`, a static export's
/// `out/_next/static`), never reached through a symbolic link: like every other path, build
/// output is read only inside the root.
fn build_output_of(
    root: &Path,
    dir: &str,
    config: &Config,
    files: &mut Vec<InputFile>,
    warnings: &mut Vec<String>,
) {
    let app = root.join(dir);
    'dirs: for out_dir in BUILD_OUTPUT_DIRS {
        let mut at = app.clone();
        for part in out_dir.split('/') {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    warnings.push(format!(
                        "skipped {}: a symbolic link (build output is read only inside the scan root, without following links)",
                        crate::finding::escape_control(&join_rel(dir, out_dir))
                    ));
                    continue 'dirs;
                }
                Ok(m) if m.is_dir() => {}
                _ => continue 'dirs,
            }
        }
        walk_build_output(root, &at, config, files, warnings);
    }
}

/// Committed means in the git index: a file that is tracked although `.gitignore` matches it
/// (committed before the ignore rule, or force-added) is added to the walk as a committed
/// file; `.gitignore` only decides for untracked files. The index is read once, and only
/// when the root is inside a git work tree. `clerk-guard.toml` excludes and
/// `.clerkguardignore` still apply, and directories the walk never enters (`node_modules`,
/// `.git`, `.next`, a static export's `out/_next`) stay out.
fn add_tracked_ignored(
    root: &Path,
    tracked: Option<Vec<String>>,
    config: &Config,
    guard_ignore: &Gitignore,
    app_dirs: &[&str],
    walked: impl Fn(&str) -> bool,
) -> Vec<InputFile> {
    let Some(tracked) = tracked else {
        return Vec::new();
    };
    let mut extra = Vec::new();
    for rel in tracked {
        if walked(&rel) || config.is_excluded(&rel) {
            continue;
        }
        let mut dirs = rel.split('/').rev().skip(1);
        if dirs.any(|d| ALWAYS_SKIPPED.contains(&d)) || rel.contains("out/_next/") {
            continue;
        }
        let abs = root.join(&rel);
        // A tracked file deleted (or replaced by a directory or a link) in the work tree.
        if !std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_file()) {
            continue;
        }
        // Or reached through a directory replaced by a link (out of the root, perhaps).
        if rel.contains('/') && !under_real_dirs(root, &rel) {
            continue;
        }
        if guard_ignore
            .matched_path_or_any_parents(&abs, false)
            .is_ignore()
        {
            continue;
        }
        extra.push(InputFile {
            kind: FileKind::classify(&rel),
            origin: Origin {
                public_asset: is_public_asset(&rel, app_dirs),
                tracked_ignored: true,
                ..Origin::default()
            },
            rel,
            abs,
        });
    }
    extra
}

/// Whether every directory of `rel` (below `root`) is a real directory, not a link.
fn under_real_dirs(root: &Path, rel: &str) -> bool {
    let mut at = root.to_path_buf();
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts.into_iter().all(|part| {
        at.push(part);
        std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir())
    })
}

fn walk_build_output(
    root: &Path,
    dir: &Path,
    config: &Config,
    files: &mut Vec<InputFile>,
    warnings: &mut Vec<String>,
) {
    let mut builder = WalkBuilder::new(dir);
    builder.standard_filters(false).follow_links(false);
    for entry in builder.build() {
        match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                let rel = rel_path(root, entry.path());
                if config.is_excluded(&rel) {
                    continue;
                }
                files.push(InputFile {
                    kind: FileKind::classify(&rel),
                    rel,
                    abs: entry.into_path(),
                    origin: Origin {
                        build_output: true,
                        ..Origin::default()
                    },
                });
            }
            Ok(_) => {}
            Err(err) => warnings.push(format!("skipped: {err}")),
        }
    }
}

/// `<app>/public/**`, where `<app>` is the scan root or a package directory (`app_dirs` is
/// sorted).
fn is_public_asset(rel: &str, app_dirs: &[&str]) -> bool {
    crate::source::is_public_asset(rel, |d| app_dirs.binary_search(&d).is_ok())
}

fn clerkguard_ignore(root: &Path) -> Gitignore {
    let mut builder = GitignoreBuilder::new(root);
    let path = root.join(IGNORE_FILE_NAME);
    if path.is_file() {
        let _ = builder.add(path);
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lookups from the opened directory tell what the lookups by whole path tell: a
    /// regular file, a link to one, a dangling link, a directory and a FIFO under each name.
    #[cfg(unix)]
    #[test]
    fn ignore_files_from_the_directory_as_by_path() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(root.join("rules"), "x\n").unwrap();
        let dirs = ["plain", "linked", "dangling", "dir", "fifo", "none", "git"];
        for d in dirs {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("plain/.gitignore"), "a\n").unwrap();
        std::fs::write(root.join("plain/.ignore"), "b\n").unwrap();
        symlink(root.join("rules"), root.join("linked/.gitignore")).unwrap();
        symlink(root.join("gone"), root.join("dangling/.ignore")).unwrap();
        std::fs::create_dir_all(root.join("dir/.clerkguardignore")).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(root.join("fifo/.gitignore"))
            .status()
            .is_ok_and(|s| s.success());
        std::fs::create_dir_all(root.join("git/.git/info")).unwrap();
        std::fs::write(root.join("git/.git/info/exclude"), "c\n").unwrap();
        let show = |f: &IgnoreFiles| {
            let mut regular: Vec<(u8, StatKey)> = f.regular.clone();
            regular.sort_by_key(|(bit, _)| *bit);
            (f.hostile.clone(), regular)
        };
        for d in dirs {
            let at = root.join(d);
            let by_fd = IgnoreFiles::of_dir_fd(&at).expect("the directory opens");
            assert_eq!(show(&by_fd), show(&IgnoreFiles::of_paths(&at)), "{d}");
        }
        let bits = |d: &str| IgnoreFiles::of(&root.join(d)).hostile_bits();
        assert_eq!(IgnoreFiles::of(&root.join("plain")).regular.len(), 2);
        assert_eq!(IgnoreFiles::of(&root.join("linked")).regular.len(), 1);
        assert_eq!(IgnoreFiles::of(&root.join("git")).regular.len(), 1);
        assert_eq!(bits("dangling"), DOT_IGNORE);
        assert_eq!(bits("dir"), GUARD_IGNORE);
        assert_eq!(bits("fifo"), if made { GIT_IGNORE } else { 0 });
        assert_eq!(
            bits("none") | bits("plain") | bits("linked") | bits("git"),
            0
        );
    }

    #[test]
    fn public_assets() {
        let dirs = ["", "apps/web"];
        assert!(is_public_asset("public/a.js", &dirs));
        assert!(is_public_asset("apps/web/public/x/y.txt", &dirs));
        assert!(!is_public_asset("src/public/a.js", &dirs));
    }
}
