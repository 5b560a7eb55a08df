//! `clerk-guard history`: secret keys in every blob reachable in git history.
//!
//! 1. Commits: every commit reachable from any ref (branches, tags, remotes, stash, a detached
//!    `HEAD`), minus those reachable from `--since REV`.
//! 2. Per commit (in parallel), the blobs it introduces: a tree diff against its parent, which
//!    skips unchanged subtrees without reading them (see [`git::introduced_blobs`]).
//! 3. Each distinct blob is read and searched once (in parallel): a byte search for the key
//!    prefixes first, then [`facts::secrets::find_keys`] on the decoded text.
//! 4. Each (path, key) pair is reported once, at the oldest commit that introduced it.
//!
//! Keys are only kept as hashes and redacted text; no output shows a whole key.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use aho_corasick::AhoCorasick;
use gix::ObjectId;
use gix::prelude::ObjectIdExt;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::baseline::Baseline;
use crate::cli::{EXIT_CLEAN, EXIT_ERROR, Emit, HistoryArgs, emit};
use crate::config::Config;
use crate::engine::{self, READ_SIZE_CAP, RuleSet, ScanError, ScanResult};
use crate::facts::{self, secrets};
use crate::finding::{Finding, Range};
use crate::git::{self, CommitInfo};
use crate::project::Project;
use crate::rules::secrets::secret_key_in_client::capitalise;
use crate::rules::secrets::secret_key_in_history::SecretKeyInHistory;
use crate::rules::{find_rule, selector_matches};
use crate::suppress::{MARKER, find_suppressions};

pub const RULE: &str = SecretKeyInHistory::META.id;

/// Rules whose suppression comments also silence the history finding for that key.
const SUPPRESSED_BY: &[&str] = &[
    RULE,
    "hardcoded-secret-key",
    "secret-key-in-client",
    "secret-key-exposed-env",
];

#[derive(Clone, Debug, Default)]
pub struct HistoryOptions {
    pub path: PathBuf,
    pub since: Option<String>,
    pub config: Option<PathBuf>,
}

pub struct HistoryResult {
    pub result: ScanResult,
    pub commits: usize,
    /// Distinct blobs read.
    pub blobs: usize,
}

pub fn run(args: HistoryArgs) -> i32 {
    let opts = HistoryOptions {
        path: args.path.clone(),
        since: args.since.clone(),
        config: args.config.clone(),
    };
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let mut scanned = match scan_history(&opts) {
        Ok(r) => r,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    if !args.quiet {
        crate::eprintln_redacted!(
            "scanned {} commit{} and {} blob{} ({:.2}s)",
            scanned.commits,
            if scanned.commits == 1 { "" } else { "s" },
            scanned.blobs,
            if scanned.blobs == 1 { "" } else { "s" },
            scanned.result.elapsed.as_secs_f64()
        );
    }
    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_findings(&scanned.result.findings);
        if let Err(e) = b.write(path) {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
        if !args.quiet {
            crate::eprintln_redacted!(
                "wrote {} finding{} to the baseline {}",
                b.findings.len(),
                if b.findings.len() == 1 { "" } else { "s" },
                path.display()
            );
        }
        return EXIT_CLEAN;
    }
    if let Some(b) = &baseline {
        let hidden = b.filter(&mut scanned.result.findings);
        if hidden > 0 && !args.quiet {
            crate::eprintln_redacted!(
                "note: {hidden} finding{} in the baseline not reported",
                if hidden == 1 { " is" } else { "s are" }
            );
        }
    }
    emit(
        &scanned.result,
        &Emit {
            format: args.format,
            output: args.output.as_deref(),
            color: args.color,
            quiet: args.quiet,
            fail_on: args.fail_on,
        },
    )
}

/// One key found in one blob.
#[derive(Clone, Debug)]
struct BlobKey {
    /// Hash of the whole key: identifies it without keeping it.
    hash: [u8; 32],
    redacted: String,
    description: String,
    kind: secrets::KeyKind,
    range: Range,
    suppressed: bool,
}

pub fn scan_history(opts: &HistoryOptions) -> Result<HistoryResult, ScanError> {
    let start = Instant::now();
    let repo = git::discover(&opts.path).map_err(ScanError::Usage)?;
    let root = git::workdir(&repo).unwrap_or_else(|| {
        std::fs::canonicalize(repo.git_dir()).unwrap_or_else(|_| repo.git_dir().to_path_buf())
    });
    let config = Config::load(opts.config.as_deref(), &root)?;
    let rules = RuleSet::new(&config, &[], &[])?;
    let project = Project::build(root.clone(), Vec::new(), Vec::new(), config);
    let empty = |commits, blobs| HistoryResult {
        result: ScanResult {
            root: root.clone(),
            findings: Vec::new(),
            files: blobs,
            warnings: Vec::new(),
            notes: Vec::new(),
            elapsed: start.elapsed(),
            sources: Default::default(),
        },
        commits,
        blobs,
    };
    if !rules.is_active(RULE) {
        return Ok(empty(0, 0));
    }

    let tips = git::ref_tips(&repo).map_err(ScanError::Usage)?;
    let hidden = match &opts.since {
        Some(rev) => {
            let id = git::resolve_commit(&repo, rev).map_err(ScanError::Usage)?;
            git::ancestors(&repo, &[id])
        }
        None => HashSet::new(),
    };
    let mut commits = git::commits(&repo, &tips, &hidden);
    if commits.is_empty() {
        return Ok(empty(0, 0));
    }
    // Oldest first, so the first sighting of a key is the commit that introduced it.
    commits.sort_by(|a, b| a.time.cmp(&b.time).then(a.id.cmp(&b.id)));

    let sync = repo.clone().into_sync();
    let introduced: Vec<Result<Vec<git::PathBlob>, String>> = commits
        .par_iter()
        .map_init(
            || sync.to_thread_local(),
            |repo, commit| git::introduced_blobs(repo, commit),
        )
        .collect();
    let mut warnings = Vec::new();
    let mut per_commit: Vec<(&CommitInfo, Vec<git::PathBlob>)> = Vec::new();
    for (commit, changes) in commits.iter().zip(introduced) {
        match changes {
            Ok(changes) => per_commit.push((commit, changes)),
            Err(e) => warnings.push(format!(
                "skipped commit {}: {e}",
                commit.id.to_hex_with_len(7)
            )),
        }
    }

    // Blobs a ref points to directly belong to no commit (not in a `--since` range).
    let ref_blobs = if opts.since.is_none() {
        git::ref_blobs(&repo).map_err(ScanError::Usage)?
    } else {
        Vec::new()
    };
    // Each blob with the first path it had (its kind decides what a NUL byte means).
    let mut first_path: HashMap<ObjectId, String> = HashMap::new();
    for (_, changes) in &per_commit {
        for c in changes {
            first_path
                .entry(c.id)
                .or_insert_with(|| git::path_str(c.path.as_ref()));
        }
    }
    for (name, id) in &ref_blobs {
        first_path.entry(*id).or_insert_with(|| name.clone());
    }
    let mut blob_ids: Vec<(ObjectId, String)> = first_path.into_iter().collect();
    blob_ids.sort();
    let blobs = blob_ids.len();
    let scanned: Vec<(ObjectId, String, BlobScan)> = blob_ids
        .into_par_iter()
        .map_init(
            || sync.to_thread_local(),
            |repo, (id, path)| {
                let keys = keys_in_blob(repo, id, crate::source::FileKind::classify(&path));
                (id, path, keys)
            },
        )
        .collect();
    let mut keys_by_blob: HashMap<ObjectId, Vec<BlobKey>> = HashMap::new();
    let mut too_large: Vec<String> = Vec::new();
    for (id, path, keys) in scanned {
        match keys {
            Ok(Some(keys)) if !keys.is_empty() => {
                keys_by_blob.insert(id, keys);
            }
            Ok(Some(_)) => {}
            Ok(None) => too_large.push(path),
            Err(e) => warnings.push(format!("skipped blob {}: {e}", id.to_hex_with_len(7))),
        }
    }
    if !too_large.is_empty() {
        too_large.sort();
        const SHOWN: usize = 5;
        let mut names: Vec<String> = too_large
            .iter()
            .take(SHOWN)
            .map(|p| crate::finding::escape_control(p).into_owned())
            .collect();
        if too_large.len() > SHOWN {
            names.push(format!("and {} more", too_large.len() - SHOWN));
        }
        warnings.push(format!(
            "{} blob{} over the {} MiB limit not scanned for keys: {}",
            too_large.len(),
            if too_large.len() == 1 { "" } else { "s" },
            READ_SIZE_CAP / (1024 * 1024),
            names.join(", ")
        ));
    }

    let meta = SecretKeyInHistory::META;
    let mut seen: HashSet<(String, [u8; 32])> = HashSet::new();
    let mut findings = Vec::new();
    for (commit, changes) in &per_commit {
        for change in changes {
            let Some(keys) = keys_by_blob.get(&change.id) else {
                continue;
            };
            let path = git::path_str(change.path.as_ref());
            if project.config.is_excluded(&path) {
                continue;
            }
            for key in keys {
                if key.suppressed
                    || !secrets::leaks_in(key.kind, &path)
                    || !seen.insert((path.clone(), key.hash))
                {
                    continue;
                }
                let short = commit.id.attach(&repo).shorten_or_id().to_string();
                let mut f = Finding::new(meta.id, meta.severity, &path)
                    .message(format!(
                        "{} was committed in {short} ({}) and stays in git history",
                        capitalise(&key.description),
                        date(commit.time)
                    ))
                    .help(format!(
                        "{}: deleting the line does not un-leak it; then purge it from history \
                         (git filter-repo) if the repository is shared",
                        key.kind.rotation()
                    ))
                    .anchor(format!("{} {}", commit.id, key.redacted));
                f.range = Some(key.range);
                f.commit = Some(short);
                findings.push(f);
            }
        }
    }
    for (name, id) in &ref_blobs {
        let Some(keys) = keys_by_blob.get(id) else {
            continue;
        };
        if project.config.is_excluded(name) {
            continue;
        }
        for key in keys {
            if key.suppressed
                || !secrets::leaks_in(key.kind, name)
                || !seen.insert((name.clone(), key.hash))
            {
                continue;
            }
            let short = id.attach(&repo).shorten_or_id().to_string();
            let mut f = Finding::new(meta.id, meta.severity, name)
                .message(format!(
                    "{} is in blob {short}, which `{}` points to directly: every clone holds it",
                    capitalise(&key.description),
                    crate::finding::escape_control(name)
                ))
                .help(format!(
                    "{}, then delete the ref (`git tag -d` / `git push --delete`) so the blob \
                     can be pruned",
                    key.kind.rotation()
                ))
                .anchor(format!("{id} {}", key.redacted));
            f.range = Some(key.range);
            findings.push(f);
        }
    }
    let findings = engine::finish(&project, &rules, findings, None);
    warnings.sort();
    Ok(HistoryResult {
        result: ScanResult {
            root,
            findings,
            files: blobs,
            warnings,
            notes: Vec::new(),
            elapsed: start.elapsed(),
            sources: Default::default(),
        },
        commits: per_commit.len(),
        blobs,
    })
}

fn key_prefixes() -> &'static AhoCorasick {
    static AC: std::sync::OnceLock<AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| AhoCorasick::new(secrets::SECRET_PREFIXES).expect("valid patterns"))
}

/// The secret keys in one blob (none for binary or oversized blobs).
/// The keys of one blob (`None` when it is over the read limit), or why it was not read.
type BlobScan = Result<Option<Vec<BlobKey>>, String>;

/// The keys of one blob; `None` when it is over the read limit.
fn keys_in_blob(repo: &gix::Repository, id: ObjectId, kind: crate::source::FileKind) -> BlobScan {
    let Some(bytes) = git::read_blob(repo, id, READ_SIZE_CAP)? else {
        return Ok(None);
    };
    // UTF-16 text hides the prefixes behind zero bytes: decode before looking.
    if !key_prefixes().is_match(&bytes) && !facts::is_binary(&bytes) {
        return Ok(Some(Vec::new()));
    }
    let Some(text) = facts::decode_file(bytes, kind) else {
        return Ok(Some(Vec::new()));
    };
    if !key_prefixes().is_match(&text) {
        return Ok(Some(Vec::new()));
    }
    Ok(Some(keys_in_text(&text)))
}

fn keys_in_text(text: &str) -> Vec<BlobKey> {
    let mentions_clerk = text.contains("@clerk/") || text.contains("CLERK_");
    let hits = secrets::find_keys(text, mentions_clerk, false, false);
    if hits.is_empty() {
        return Vec::new();
    }
    let lines = crate::source::LineIndex::new(text);
    let suppressions = if text.contains(MARKER) {
        find_suppressions(text, &lines)
    } else {
        Vec::new()
    };
    let silencing = |line0: usize| {
        suppressions.iter().any(|s| {
            s.target_line0 == line0
                && s.rules.iter().any(|sel| {
                    SUPPRESSED_BY
                        .iter()
                        .any(|id| find_rule(id).is_some_and(|r| selector_matches(sel, r.meta())))
                })
        })
    };
    hits.into_iter()
        .filter(|h| h.kind.is_secret())
        .map(|h| {
            let (line, column) = lines.position(text, h.span.start);
            let (end_line, end_column) = lines.position(text, h.span.end);
            let mut hash = [0u8; 32];
            hash.copy_from_slice(&Sha256::digest(&text.as_bytes()[h.span.start..h.span.end]));
            BlobKey {
                hash,
                description: h.describe(),
                kind: h.kind,
                redacted: h.redacted,
                range: Range {
                    line,
                    column,
                    end_line,
                    end_column,
                },
                suppressed: silencing(line - 1),
            }
        })
        .collect()
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
pub fn date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    // Civil-from-days (proleptic Gregorian), after H. Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_704_067_199), "2023-12-31");
        assert_eq!(date(-86_400), "1969-12-31");
    }
}
