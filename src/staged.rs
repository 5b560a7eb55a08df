//! `clerk-guard scan --staged`: what the next commit would contain. The project model is built
//! from the whole work tree (middleware and helpers decide protection); each staged file's
//! contents come from the git index (not the work tree) and replace that file in the model;
//! only staged files are reported.
//!
//! Without paths (or with directories), the staged files are the index entries that differ
//! from `HEAD`. Files named on the command line (as pre-commit passes them) are read from the
//! index whether or not they changed, so `pre-commit run --all-files` checks every tracked
//! file. Either way a file in the index is committed, so `.gitignore` does not excuse it.

use std::path::PathBuf;
use std::time::Instant;

use crate::config::Config;
use crate::engine::{
    self, READ_SIZE_CAP, ReportFilter, RuleSet, ScanError, ScanOptions, ScanResult,
};
use crate::git;
use crate::overlay;
use crate::shared_run::SharedRun;
use crate::source::{is_inside, rel_path};

pub fn scan_staged(opts: &ScanOptions) -> Result<ScanResult, ScanError> {
    let start = Instant::now();
    let first = opts
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let repo = git::discover(&first).map_err(|e| ScanError::Usage(format!("--staged: {e}")))?;
    let root = git::workdir(&repo).ok_or_else(|| {
        ScanError::Usage("--staged needs a work tree, and this repository is bare".to_string())
    })?;
    // Directories other than the work tree root narrow the report to staged files under them;
    // files name exactly what to check.
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    let mut notes = Vec::new();
    let mut named_files = false;
    for p in &opts.paths {
        // A symbolic link (which git stores as its target's path, not as a file) is never
        // followed: its target may lie outside the repository.
        if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
            named_files = true;
            let shown = crate::finding::escape_control(&p.to_string_lossy()).into_owned();
            notes.push(format!(
                "skipped {shown}: a symbolic link (not followed; git commits the link, not its target)"
            ));
            continue;
        }
        let c = std::fs::canonicalize(p)
            .map_err(|e| ScanError::Usage(format!("cannot scan `{}`: {e}", p.display())))?;
        if !c.starts_with(&root) {
            return Err(ScanError::Usage(format!(
                "`{}` is outside the repository `{}`",
                p.display(),
                root.display()
            )));
        }
        if c.is_dir() {
            if c != root {
                dirs.push(rel_path(&root, &c));
            }
        } else {
            files.push(rel_path(&root, &c));
        }
    }
    let named_files = named_files || !files.is_empty();
    let staged = git::index_blobs(&repo, !named_files).map_err(ScanError::Usage)?;
    // (pre-commit names thousands of files at once: looked up, not searched.)
    let named: std::collections::HashSet<&str> = files.iter().map(String::as_str).collect();
    let under_dirs = |rel: &str| dirs.iter().any(|d| is_inside(rel, d));
    let wanted = |rel: &str| {
        if named_files {
            named.contains(rel) || under_dirs(rel)
        } else {
            dirs.is_empty() || under_dirs(rel)
        }
    };

    let config = Config::load(opts.config.as_deref(), &root)?;
    let rules = RuleSet::new(&config, &opts.select, &opts.ignore)?;
    // A share of a `pre-commit run` that split its files: what the run's first process found.
    let run = (named_files && !files.is_empty())
        .then(|| SharedRun::of(&repo, &root, opts))
        .flatten();
    if let Some(memo) = run.as_ref().and_then(|r| r.load(&files)) {
        let findings = memo.findings(wanted);
        if std::env::var_os("CLERK_GUARD_TIMING").is_some() {
            eprintln!("timing: staged: the findings of this pre-commit run's first process");
        }
        let sources = sources_from_index(&repo, &root, &staged, &findings);
        return Ok(ScanResult {
            files: memo.checked(wanted),
            root,
            findings,
            warnings: Vec::new(),
            notes: Vec::new(),
            elapsed: start.elapsed(),
            sources,
        });
    }
    // The first process of such a run checks every file of the index, for the others.
    let run = run.filter(|_| SharedRun::is_split(&files));
    let covers = |rel: &str| run.is_some() || wanted(rel);
    let analysis = if rules.needs_code() {
        crate::project::Analysis::ClerkApps
    } else {
        crate::project::Analysis::None
    };
    let cache = if opts.cache {
        crate::cache::FactsCache::open(&root)
    } else {
        None
    };
    // The models are built for the apps of the staged files only: nothing else is reported.
    let focus: Vec<String> = staged
        .iter()
        .map(|b| git::path_str(b.path.as_ref()))
        .filter(|rel| covers(rel))
        .collect();
    let (mut project, mut warnings) = engine::load_project_cached(
        &root,
        config,
        opts.build_output,
        analysis,
        cache.as_ref(),
        focus,
    );
    warnings.extend(notes);

    let mut reported = Vec::new();
    let mut staged_facts = Vec::new();
    let mut covered = Vec::new();
    for blob in &staged {
        let rel = git::path_str(blob.path.as_ref());
        if !covers(&rel) {
            continue;
        }
        if run.is_some() {
            covered.push(rel.clone());
        }
        let mut input = overlay::input_for(&project, &rel);
        // It is about to be committed, whatever .gitignore says.
        input.origin.gitignored = false;
        if project.config.is_excluded(&rel) {
            continue;
        }
        // The work-tree file the model read holds the staged blob (as git tells it, from the
        // metadata the index recorded): the model has its facts already.
        if project.file_index(&rel).is_some_and(|i| {
            let f = &project.files[i];
            !f.origin.gitignored
                && blob.in_worktree_as(&input.abs, f.cache_key.as_deref().map(|k| &k.stat))
        }) {
            reported.push(rel);
            continue;
        }
        let bytes = match git::read_blob(&repo, blob.id, READ_SIZE_CAP) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                warnings.push(format!(
                    "skipped {rel}: the staged blob is over the {} MiB limit",
                    READ_SIZE_CAP / (1024 * 1024)
                ));
                continue;
            }
            Err(e) => {
                warnings.push(format!("cannot read the staged {rel}: {e}"));
                continue;
            }
        };
        if crate::report::own::is_report(&rel, &bytes) {
            continue;
        }
        if let Some(facts) = overlay::facts_for(&input, bytes) {
            staged_facts.push(facts);
            reported.push(rel);
        }
    }
    if std::env::var_os("CLERK_GUARD_TIMING").is_some() {
        eprintln!(
            "timing: staged: {} file(s) read from the index, {} as the model read them from the work tree",
            staged_facts.len(),
            reported.len() - staged_facts.len()
        );
    }
    // One model for the whole commit, whatever the number of staged files.
    if !staged_facts.is_empty() {
        project.upsert_all(staged_facts);
    }
    let files = reported.iter().filter(|rel| wanted(rel)).count();
    let filter = ReportFilter::new(reported, Vec::new());
    let mut findings = engine::check(&project, &rules, Some(&filter));
    if let Some(cache) = &cache {
        cache.save(&project.files);
    }
    warnings.sort();
    if let Some(run) = &run {
        run.save(covered, |rel| filter.includes(rel), &findings);
        findings.retain(|f| wanted(&f.path));
    }
    let sources = engine::sources_for(&project, &findings);
    Ok(ScanResult {
        root,
        findings,
        files,
        warnings,
        notes: Vec::new(),
        elapsed: start.elapsed(),
        sources,
    })
}

/// The texts the findings of a shared run point into (for snippets), as this commit has them:
/// the work-tree file where it holds the staged blob, else the blob.
fn sources_from_index(
    repo: &gix::Repository,
    root: &std::path::Path,
    staged: &[git::IndexBlob],
    findings: &[crate::finding::Finding],
) -> std::collections::BTreeMap<String, crate::source::SourceText> {
    let paths = engine::finding_paths(findings);
    let mut out = std::collections::BTreeMap::new();
    for blob in staged {
        let rel = git::path_str(blob.path.as_ref());
        if !paths.contains(rel.as_str()) {
            continue;
        }
        let abs = root.join(&rel);
        let bytes = if blob.in_worktree(&abs) {
            std::fs::read(&abs).ok()
        } else {
            git::read_blob(repo, blob.id, READ_SIZE_CAP).ok().flatten()
        };
        let kind = crate::source::FileKind::classify(&rel);
        if let Some(text) = bytes.and_then(|b| crate::facts::decode_file(b, kind)) {
            out.insert(rel, crate::source::SourceText::new(text));
        }
    }
    // A related file git does not track (the model read it from the work tree).
    for rel in paths {
        if out.contains_key(rel) {
            continue;
        }
        let kind = crate::source::FileKind::classify(rel);
        if let Some(text) = std::fs::read(root.join(rel))
            .ok()
            .and_then(|b| crate::facts::decode_file(b, kind))
        {
            out.insert(rel.to_string(), crate::source::SourceText::new(text));
        }
    }
    out
}
