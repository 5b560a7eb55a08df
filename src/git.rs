//! Reading git repositories with `gix` (pure Rust, no `git` subprocess): the staged blobs of
//! the index, the commits reachable from refs, and the blobs a commit introduces.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice};

/// Any gix error, as text.
pub type GitResult<T> = Result<T, String>;

fn err(what: &str, e: impl std::fmt::Display) -> String {
    format!("{what}: {e}")
}

/// Open the repository that contains `path` (a work tree, a subdirectory of one, or a bare
/// repository).
pub fn discover(path: &Path) -> GitResult<gix::Repository> {
    // Discovery starts from a directory: a file's own.
    let start = if path.is_file() {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    } else {
        path
    };
    let mut repo = gix::discover(start)
        .map_err(|e| format!("{} is not inside a git repository ({e})", path.display()))?;
    repo.object_cache_size_if_unset(8 * 1024 * 1024);
    Ok(repo)
}

/// The work tree root, canonicalised.
pub fn workdir(repo: &gix::Repository) -> Option<PathBuf> {
    let dir = repo.workdir()?;
    Some(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
}

/// One blob at one path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PathBlob {
    pub path: BString,
    pub id: ObjectId,
}

/// Regular files (not symlinks, submodules or sparse directories) of a tree, recursively.
pub fn tree_blobs(repo: &gix::Repository, tree: ObjectId) -> GitResult<Vec<PathBlob>> {
    let mut out = Vec::new();
    diff_trees(repo, Some(tree), None, &mut BString::default(), &mut out)?;
    Ok(out)
}

/// Owned entries of one tree: (name, is_tree, is_file, id).
fn entries(
    repo: &gix::Repository,
    id: ObjectId,
) -> GitResult<Vec<(BString, bool, bool, ObjectId)>> {
    let tree = repo.find_tree(id).map_err(|e| err("reading a tree", e))?;
    let decoded = tree.decode().map_err(|e| err("decoding a tree", e))?;
    Ok(decoded
        .entries
        .iter()
        .map(|e| {
            (
                e.filename.to_owned(),
                e.mode.is_tree(),
                e.mode.is_blob(),
                e.oid.to_owned(),
            )
        })
        .collect())
}

/// Blobs of `new` whose path is absent from `old` or holds another blob there. Unchanged
/// subtrees (same id) are skipped without being read.
pub fn diff_trees(
    repo: &gix::Repository,
    new: Option<ObjectId>,
    old: Option<ObjectId>,
    prefix: &mut BString,
    out: &mut Vec<PathBlob>,
) -> GitResult<()> {
    let Some(new) = new else { return Ok(()) };
    if Some(new) == old {
        return Ok(());
    }
    let old_entries: HashMap<BString, (bool, ObjectId)> = match old {
        Some(old) => entries(repo, old)?
            .into_iter()
            .map(|(name, is_tree, _, id)| (name, (is_tree, id)))
            .collect(),
        None => HashMap::new(),
    };
    for (name, is_tree, is_file, id) in entries(repo, new)? {
        let previous = old_entries.get(&name);
        if previous.is_some_and(|(_, old_id)| *old_id == id) {
            continue;
        }
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(&name);
        if is_tree {
            let old_sub = previous.filter(|(t, _)| *t).map(|(_, id)| *id);
            diff_trees(repo, Some(id), old_sub, prefix, out)?;
        } else if is_file {
            out.push(PathBlob {
                path: prefix.clone(),
                id,
            });
        }
        prefix.truncate(len);
    }
    Ok(())
}

/// Files staged for the next commit: index entries (stage 0, regular files) whose blob is not
/// the one at that path in `HEAD` (every entry when `HEAD` is unborn).
pub fn staged_blobs(repo: &gix::Repository) -> GitResult<Vec<PathBlob>> {
    Ok(index_blobs(repo, true)?
        .into_iter()
        .map(|b| PathBlob {
            path: b.path,
            id: b.id,
        })
        .collect())
}

/// How a work-tree file's metadata is compared with the index's record of it: every field,
/// times to the nanosecond (a file rewritten within the second it was staged differs in its
/// change time's nanoseconds only).
fn stat_options() -> gix::index::entry::stat::Options {
    gix::index::entry::stat::Options {
        use_nsec: true,
        ..Default::default()
    }
}

/// A regular file of the git index: its blob, and the metadata the index recorded of the
/// work-tree file when it was last staged or refreshed.
#[derive(Clone, Debug)]
pub struct IndexBlob {
    pub path: BString,
    pub id: ObjectId,
    stat: gix::index::entry::Stat,
    /// The file may have changed within the same second as the index was written, where its
    /// recorded metadata proves nothing (git's "racy" entries).
    racy: bool,
}

impl IndexBlob {
    /// Whether the work-tree file `abs` holds exactly the staged blob, decided as git decides
    /// it without reading the file: it is a regular file (not followed through a link) whose
    /// metadata is what the index recorded, and the entry is not racy.
    pub fn in_worktree(&self, abs: &Path) -> bool {
        self.in_worktree_as(abs, None)
    }

    /// [`IndexBlob::in_worktree`], given the metadata this run took of the file already (its
    /// size, times and inode, links followed), when there is one: no other look at the file.
    pub fn in_worktree_as(&self, abs: &Path, known: Option<&crate::cache::StatKey>) -> bool {
        if let Some(key) = known {
            let (len, (msecs, mnsecs), (csecs, cnsecs), ino) = key.parts();
            let t = |secs: i64, nsecs: u32| gix::index::entry::stat::Time {
                secs: secs as u32,
                nsecs,
            };
            return !self.racy
                && self.stat.size == len as u32
                && self.stat.ino == ino as u32
                && self.stat.mtime == t(msecs, mnsecs)
                && self.stat.ctime == t(csecs, cnsecs);
        }
        if self.racy {
            return false;
        }
        let Ok(meta) = gix::index::fs::Metadata::from_path_no_follow(abs) else {
            return false;
        };
        if !meta.is_file() {
            return false;
        }
        gix::index::entry::Stat::from_fs(&meta)
            .is_ok_and(|now| self.stat.matches(&now, stat_options()))
    }
}

/// Regular files of the index (stage 0, not intent-to-add); with `changed_only`, only those
/// that differ from `HEAD`.
pub fn index_blobs(repo: &gix::Repository, changed_only: bool) -> GitResult<Vec<IndexBlob>> {
    let index = repo
        .index_or_empty()
        .map_err(|e| err("reading the index", e))?;
    let head: HashMap<BString, ObjectId> = match repo.head_tree_id() {
        Ok(tree) if changed_only => tree_blobs(repo, tree.detach())?
            .into_iter()
            .map(|b| (b.path, b.id))
            .collect(),
        // Not needed, or an unborn branch (no commit yet): everything in the index is new.
        _ => HashMap::new(),
    };
    let written = index.timestamp();
    let mut out = Vec::new();
    for entry in index.entries() {
        if entry.stage_raw() != 0
            || entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
        {
            continue;
        }
        let mode = entry.mode;
        if !(mode == gix::index::entry::Mode::FILE
            || mode == gix::index::entry::Mode::FILE_EXECUTABLE)
        {
            continue;
        }
        let path: &BStr = entry.path(&index);
        if head.get(path) == Some(&entry.id) {
            continue;
        }
        out.push(IndexBlob {
            path: path.to_owned(),
            id: entry.id,
            stat: entry.stat,
            racy: entry.stat.is_racy(written, stat_options()),
        });
    }
    Ok(out)
}

/// The regular files of the git index under `dir` (a directory inside a work tree), as
/// paths relative to `dir` with `/` separators; `None` when `dir` is not inside a work tree
/// or the index cannot be read. Only the index file is read (no repository is opened, no
/// object and no work-tree file is read), so it costs a few milliseconds on every scan.
pub fn tracked_files(dir: &Path) -> Option<Vec<String>> {
    let (workdir, index_path) = find_index(dir)?;
    let prefix = dir.strip_prefix(&workdir).ok()?;
    let mut prefix = prefix
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if !prefix.is_empty() {
        prefix.push('/');
    }
    let index = gix::index::File::at(
        &index_path,
        gix::hash::Kind::Sha1,
        true,
        gix::index::decode::Options::default(),
    )
    .ok()?;
    let mut out = Vec::new();
    for entry in index.entries() {
        let mode = entry.mode;
        if entry.stage_raw() != 0
            || !(mode == gix::index::entry::Mode::FILE
                || mode == gix::index::entry::Mode::FILE_EXECUTABLE)
        {
            continue;
        }
        let path: &BStr = entry.path(&index);
        let Ok(path) = path.to_str() else { continue };
        if let Some(rel) = path.strip_prefix(prefix.as_str()) {
            out.push(rel.to_string());
        }
    }
    Some(out)
}

/// The work tree root enclosing `dir` and its index file: `.git/index`, or for a linked work
/// tree or a submodule (a `.git` file saying `gitdir: …`) the index in that directory.
fn find_index(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    for anc in dir.ancestors() {
        let dot_git = anc.join(".git");
        let Ok(meta) = std::fs::metadata(&dot_git) else {
            continue;
        };
        let git_dir = if meta.is_dir() {
            dot_git
        } else {
            let text = std::fs::read_to_string(&dot_git).ok()?;
            let target = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
            let target = Path::new(target);
            if target.is_absolute() {
                target.to_path_buf()
            } else {
                anc.join(target)
            }
        };
        return Some((anc.to_path_buf(), git_dir.join("index")));
    }
    None
}

/// A blob's bytes, unless it is larger than `cap` (then `Ok(None)`).
pub fn read_blob(repo: &gix::Repository, id: ObjectId, cap: u64) -> GitResult<Option<Vec<u8>>> {
    let header = repo
        .find_header(id)
        .map_err(|e| err("reading a blob header", e))?;
    if header.size() > cap {
        return Ok(None);
    }
    let mut blob = repo.find_blob(id).map_err(|e| err("reading a blob", e))?;
    Ok(Some(blob.take_data()))
}

/// Commits at the tips of every ref (branches, tags peeled to commits, remotes, stash) and a
/// detached `HEAD`.
pub fn ref_tips(repo: &gix::Repository) -> GitResult<Vec<ObjectId>> {
    let mut tips = Vec::new();
    let platform = repo.references().map_err(|e| err("reading refs", e))?;
    let all = platform.all().map_err(|e| err("reading refs", e))?;
    for reference in all.flatten() {
        let mut reference = reference;
        if let Ok(id) = reference.peel_to_id() {
            tips.push(id.detach());
        }
    }
    if let Ok(id) = repo.head_id() {
        tips.push(id.detach());
    }
    tips.retain(|id| {
        repo.find_header(*id)
            .is_ok_and(|h| h.kind() == gix::object::Kind::Commit)
    });
    tips.sort();
    tips.dedup();
    Ok(tips)
}

/// Blobs a ref points to directly (`git tag leaked <blob>`, an annotated tag of a blob): no
/// commit holds them, yet they are in every clone. (ref name, blob), sorted.
pub fn ref_blobs(repo: &gix::Repository) -> GitResult<Vec<(String, ObjectId)>> {
    let mut out = Vec::new();
    let platform = repo.references().map_err(|e| err("reading refs", e))?;
    let all = platform.all().map_err(|e| err("reading refs", e))?;
    for reference in all.flatten() {
        let mut reference = reference;
        let name = reference.name().as_bstr().to_string();
        if let Ok(id) = reference.peel_to_id() {
            let id = id.detach();
            if repo
                .find_header(id)
                .is_ok_and(|h| h.kind() == gix::object::Kind::Blob)
            {
                out.push((name, id));
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Resolve a revision (`origin/main`, `v1.2`, a sha) to a commit.
pub fn resolve_commit(repo: &gix::Repository, rev: &str) -> GitResult<ObjectId> {
    let id = repo
        .rev_parse_single(rev)
        .map_err(|e| format!("cannot resolve `{rev}`: {e}"))?;
    let object = id
        .object()
        .map_err(|e| format!("cannot read `{rev}`: {e}"))?;
    let commit = object
        .peel_to_commit()
        .map_err(|e| format!("`{rev}` is not a commit: {e}"))?;
    Ok(commit.id)
}

/// A commit as the history scan needs it.
#[derive(Clone, Debug)]
pub struct CommitInfo {
    pub id: ObjectId,
    pub tree: ObjectId,
    /// Parents present in the object database (a shallow clone's boundary has none).
    pub parents: Vec<ObjectId>,
    /// Committer time, seconds since the epoch.
    pub time: i64,
}

/// Every commit reachable from `tips` and not from `hidden` (and not `hidden` itself).
/// Missing objects (a shallow boundary, a broken repository) end that line of history.
pub fn commits(
    repo: &gix::Repository,
    tips: &[ObjectId],
    hidden: &HashSet<ObjectId>,
) -> Vec<CommitInfo> {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack: Vec<ObjectId> = tips.to_vec();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if hidden.contains(&id) || !seen.insert(id) {
            continue;
        }
        let Ok(commit) = repo.find_commit(id) else {
            continue;
        };
        let Ok(decoded) = commit.decode() else {
            continue;
        };
        let tree = decoded.tree();
        let time = decoded
            .committer()
            .ok()
            .and_then(|c| c.time().ok())
            .map_or(0, |t| t.seconds);
        let parents: Vec<ObjectId> = decoded.parents().filter(|p| repo.has_object(p)).collect();
        stack.extend(parents.iter().copied());
        out.push(CommitInfo {
            id,
            tree,
            parents,
            time,
        });
    }
    out
}

/// Every commit reachable from `tips` (ids only).
pub fn ancestors(repo: &gix::Repository, tips: &[ObjectId]) -> HashSet<ObjectId> {
    commits(repo, tips, &HashSet::new())
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// The blobs a commit introduces: against its parent, or, for a merge, those that differ from
/// every parent (conflict resolutions and other content no parent had). A root commit (or a
/// shallow boundary) introduces its whole tree.
pub fn introduced_blobs(repo: &gix::Repository, commit: &CommitInfo) -> GitResult<Vec<PathBlob>> {
    let mut per_parent: Vec<Vec<PathBlob>> = Vec::new();
    if commit.parents.is_empty() {
        return tree_blobs(repo, commit.tree);
    }
    for parent in &commit.parents {
        let parent_tree = repo
            .find_commit(*parent)
            .map_err(|e| err("reading a commit", e))?
            .tree_id()
            .map_err(|e| err("reading a commit", e))?
            .detach();
        let mut out = Vec::new();
        diff_trees(
            repo,
            Some(commit.tree),
            Some(parent_tree),
            &mut BString::default(),
            &mut out,
        )?;
        per_parent.push(out);
    }
    let mut first = per_parent.remove(0);
    for other in &per_parent {
        let set: HashSet<&PathBlob> = other.iter().collect();
        first.retain(|b| set.contains(b));
    }
    Ok(first)
}

/// A path from the repository as UTF-8 text (lossy for other encodings).
pub fn path_str(path: &BStr) -> String {
    path.to_str_lossy().into_owned()
}
