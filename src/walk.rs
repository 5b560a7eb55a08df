//! Walking: `.gitignore`/`.ignore`/`.clerkguardignore`-aware, parallel, sorted output.
//! Built client output (gitignored, but what ships to browsers) and gitignored dotenv files
//! are added from known places afterwards.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

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
}

pub struct WalkOptions {
    pub build_output: bool,
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

/// The kinds of ignore file in `dir` that exist but are no regular file once links are
/// followed (a FIFO, a device, a directory, a dangling or looping link): opening a FIFO
/// blocks forever and a device never ends, so the walker must not read them.
fn hostile_ignore_files(dir: &Path) -> Vec<(&'static str, u8)> {
    IGNORE_KINDS
        .iter()
        .copied()
        .filter(|(name, _)| {
            let path = dir.join(name);
            std::fs::symlink_metadata(&path).is_ok()
                && !std::fs::metadata(&path).is_ok_and(|m| m.is_file())
        })
        .collect()
}

/// A directory the walk left for later: one of its ignore files must not be read.
struct Deferred {
    dir: PathBuf,
    /// Ignore-file kinds not read below it (its own and those inherited).
    off: u8,
}

/// Walk `start` with the ignore-file kinds in `off` not read; directories that hold an
/// unreadable ignore file are not entered but pushed on `deferred`.
fn walk_tree(
    start: &Path,
    off: u8,
    found: &Mutex<Vec<PathBuf>>,
    warnings: &Mutex<Vec<String>>,
    deferred: &std::sync::Arc<Mutex<Vec<Deferred>>>,
) {
    let mut builder = WalkBuilder::new(start);
    let later = std::sync::Arc::clone(deferred);
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
            let hostile: u8 = hostile_ignore_files(entry.path())
                .iter()
                .map(|(_, bit)| bit)
                .fold(0, |a, b| a | b);
            if hostile & !off != 0 {
                later
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Deferred {
                        dir: entry.path().to_path_buf(),
                        off: off | hostile,
                    });
                return false;
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
                        found
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(entry.into_path());
                    }
                }
                Err(err) => {
                    warnings
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(format!("skipped: {err}"));
                }
            }
            WalkState::Continue
        })
    });
}

pub fn walk(root: &Path, config: &Config, opts: &WalkOptions) -> WalkOutput {
    let found: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let warnings: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let deferred = std::sync::Arc::new(Mutex::new(Vec::new()));
    // The walker also reads the ignore files of the root and of its ancestors.
    let mut off = 0u8;
    let mut unread: Vec<String> = Vec::new();
    for dir in root.ancestors() {
        for (name, bit) in hostile_ignore_files(dir) {
            off |= bit;
            unread.push(rel_path(root, &dir.join(name)));
        }
    }
    walk_tree(root, off, &found, &warnings, &deferred);
    loop {
        let next = deferred.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let Some(Deferred { dir, off }) = next else {
            break;
        };
        for (name, _) in hostile_ignore_files(&dir) {
            unread.push(rel_path(root, &dir.join(name)));
        }
        walk_tree(&dir, off, &found, &warnings, &deferred);
    }
    {
        let mut w = warnings.lock().unwrap_or_else(|e| e.into_inner());
        unread.sort();
        unread.dedup();
        for rel in unread {
            w.push(format!(
                "{}: not a regular file (a FIFO, device, directory or broken link): not read, its ignore rules do not apply",
                crate::finding::escape_control(&rel)
            ));
        }
    }
    let paths = found.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut warnings = warnings.into_inner().unwrap_or_else(|e| e.into_inner());

    let mut rels: Vec<(String, PathBuf)> = paths
        .into_iter()
        .map(|p| (rel_path(root, &p), p))
        .filter(|(rel, _)| !config.is_excluded(rel))
        .collect();
    rels.sort();
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
        .into_iter()
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

    let mut known: HashSet<String> = files.iter().map(|f| f.rel.clone()).collect();
    let guard_ignore = clerkguard_ignore(root);
    add_tracked_ignored(
        root,
        config,
        &guard_ignore,
        &app_dirs,
        &mut known,
        &mut files,
    );
    for dir in &app_dirs {
        let abs_dir = root.join(dir);
        let Ok(entries) = std::fs::read_dir(&abs_dir) else {
            continue;
        };
        let mut extra = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_env_file_name(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let rel = join_rel(dir, &name);
            if known.contains(&rel)
                || config.is_excluded(&rel)
                || guard_ignore.matched(entry.path(), false).is_ignore()
            {
                continue;
            }
            extra.push(InputFile {
                kind: FileKind::Env,
                rel,
                abs: entry.path(),
                origin: Origin {
                    gitignored: true,
                    ..Origin::default()
                },
            });
        }
        extra.sort_by(|a, b| a.rel.cmp(&b.rel));
        files.extend(extra);
    }

    if opts.build_output {
        for dir in &app_dirs {
            for out_dir in BUILD_OUTPUT_DIRS {
                let app = root.join(dir);
                let abs = app.join(out_dir);
                // Never through a symbolic link (`.next/static` → `/etc`): like every other
                // path, build output is read only inside the root.
                let mut at = app.clone();
                let mut real = true;
                for part in out_dir.split('/') {
                    at.push(part);
                    match std::fs::symlink_metadata(&at) {
                        Ok(m) if m.file_type().is_symlink() => {
                            warnings.push(format!(
                                "skipped {}: a symbolic link (build output is read only inside the scan root, without following links)",
                                crate::finding::escape_control(&join_rel(dir, out_dir))
                            ));
                            real = false;
                            break;
                        }
                        Ok(m) if m.is_dir() => {}
                        _ => {
                            real = false;
                            break;
                        }
                    }
                }
                if real {
                    walk_build_output(root, &abs, config, &mut files, &mut warnings);
                }
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    warnings.sort();
    WalkOutput {
        files,
        package_dirs: pkg_dirs,
        warnings,
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
    config: &Config,
    guard_ignore: &Gitignore,
    app_dirs: &[&str],
    known: &mut HashSet<String>,
    files: &mut Vec<InputFile>,
) {
    let Some(tracked) = crate::git::tracked_files(root) else {
        return;
    };
    let mut extra = Vec::new();
    for rel in tracked {
        if known.contains(&rel) || config.is_excluded(&rel) {
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
        known.insert(rel.clone());
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
    files.extend(extra);
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

    #[test]
    fn public_assets() {
        let dirs = ["", "apps/web"];
        assert!(is_public_asset("public/a.js", &dirs));
        assert!(is_public_asset("apps/web/public/x/y.txt", &dirs));
        assert!(!is_public_asset("src/public/a.js", &dirs));
    }
}
