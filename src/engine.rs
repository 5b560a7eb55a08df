//! The scan pipeline: walk → read + prefilter + facts (parallel) → project model → rules
//! (parallel) → suppressions → sorted findings.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, ConfigError, Level};
use crate::facts::{self, FileFacts};
use crate::finding::{Finding, Range, Severity, fingerprint};
use crate::project::Project;
use crate::rules::{self, FileCx, RULES, Rule, selector_matches};
use crate::source::{InputFile, SourceText, rel_path};
use crate::walk::{WalkOptions, walk};

/// Files above this size are skipped entirely (with a warning).
pub const READ_SIZE_CAP: u64 = 64 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Read `.next/static` and `out/_next/static` for keys.
    pub build_output: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            config: None,
            select: Vec::new(),
            ignore: Vec::new(),
            build_output: true,
        }
    }
}

/// Why a scan could not run: exit status 2.
#[derive(Debug)]
pub enum ScanError {
    Usage(String),
    Config(ConfigError),
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::Usage(m) => f.write_str(m),
            ScanError::Config(e) => write!(f, "config error: {e}"),
        }
    }
}

impl std::error::Error for ScanError {}

impl From<ConfigError> for ScanError {
    fn from(e: ConfigError) -> Self {
        ScanError::Config(e)
    }
}

pub struct ScanResult {
    pub root: PathBuf,
    pub findings: Vec<Finding>,
    /// Number of files read and analysed.
    pub files: usize,
    /// Problems with single inputs (unreadable, too large), one line each, for stderr.
    pub warnings: Vec<String>,
    pub elapsed: Duration,
    /// Text of every file a finding points into (for rendering snippets).
    pub sources: BTreeMap<String, SourceText>,
}

/// The rules that run, with their configured severity override.
pub struct RuleSet {
    pub active: Vec<(&'static dyn Rule, Option<Severity>)>,
}

impl RuleSet {
    pub fn new(
        config: &Config,
        select: &[String],
        ignore: &[String],
    ) -> Result<RuleSet, ScanError> {
        for s in select.iter().chain(ignore) {
            if !rules::is_known_selector(s) {
                return Err(ScanError::Usage(format!(
                    "unknown rule or group `{s}` (see `clerk-guard rules`)"
                )));
            }
        }
        install_prefilter();
        let mut active = Vec::new();
        for rule in RULES {
            let meta = rule.meta();
            let level = config.level_for(meta);
            let mut on = level != Some(Level::Off);
            if !select.is_empty() {
                on = select.iter().any(|s| selector_matches(s, meta));
            }
            if ignore.iter().any(|s| selector_matches(s, meta)) {
                on = false;
            }
            if on {
                active.push((*rule, level.and_then(Level::severity)));
            }
        }
        Ok(RuleSet { active })
    }

    pub fn is_active(&self, id: &str) -> bool {
        self.active.iter().any(|(r, _)| r.meta().id == id)
    }

    /// Whether any active rule reads code facts or the route model (all but the byte-level
    /// secret and suppression rules).
    pub fn needs_code(&self) -> bool {
        use crate::rules::Group;
        self.active.iter().any(|(r, _)| {
            !matches!(
                r.meta().group,
                Group::Secrets | Group::Suppression | Group::Probe
            )
        })
    }

    fn override_for(&self, id: &str) -> Option<Severity> {
        self.active
            .iter()
            .find(|(r, _)| r.meta().id == id)
            .and_then(|(_, s)| *s)
    }
}

/// Run a scan.
pub fn scan(opts: &ScanOptions) -> Result<ScanResult, ScanError> {
    let start = Instant::now();
    let (root, filter) = resolve_paths(&opts.paths)?;
    let config = Config::load(opts.config.as_deref(), &root)?;
    let rules = RuleSet::new(&config, &opts.select, &opts.ignore)?;
    let (project, mut warnings) =
        load_project_for(&root, config, opts.build_output, rules.needs_code());
    let files = project.files.len();
    let t_rules = Instant::now();
    let findings = check(&project, &rules, filter.as_ref());
    warnings.extend(crate::facts::depth::warnings(&project.files));
    if std::env::var_os("CLERK_GUARD_TIMING").is_some() {
        let ms = |ns: &std::sync::atomic::AtomicU64| {
            ns.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6
        };
        eprintln!(
            "timing: rules {:.0} ms; resolver+graph {:.1} ms (in model), client set {:.1} ms, boundary facts {:.1} ms (cpu)",
            t_rules.elapsed().as_secs_f64() * 1000.0,
            ms(&crate::project::graph::GRAPH_NS),
            ms(&crate::project::boundary::BOUNDARY_NS),
            ms(&crate::facts::gates::GATES_NS),
        );
    }
    warnings.sort();
    let sources = sources_for(&project, &findings);
    Ok(ScanResult {
        root,
        findings,
        files,
        warnings,
        elapsed: start.elapsed(),
        sources,
    })
}

/// Walk, read and extract facts, and build the project model.
pub fn load_project(root: &Path, config: Config, build_output: bool) -> (Project, Vec<String>) {
    load_project_for(root, config, build_output, true)
}

/// Like `load_project`; with `code` false (only byte-level rules active), nothing is parsed
/// and no route model is built.
pub fn load_project_for(
    root: &Path,
    config: Config,
    build_output: bool,
    code: bool,
) -> (Project, Vec<String>) {
    install_prefilter();
    let timing = std::env::var_os("CLERK_GUARD_TIMING").is_some();
    let t0 = Instant::now();
    let walked = walk(root, &config, &WalkOptions { build_output });
    let t_walk = t0.elapsed();
    let mut warnings = walked.warnings;
    let results: Vec<Result<Option<FileFacts>, String>> = walked
        .files
        .par_iter()
        .map(|f| read_facts_with(f, code))
        .collect();
    let t_facts = t0.elapsed();
    let mut all = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(Some(f)) => all.push(f),
            Ok(None) => {}
            Err(w) => warnings.push(w),
        }
    }
    let project = Project::build_with(root.to_path_buf(), all, walked.package_dirs, config, code);
    if timing {
        let parsed = project.files.iter().filter(|f| f.code_is_parsed()).count();
        eprintln!(
            "timing: parse {} ms extract {} ms; walk {:.0} ms ({} files), read+facts {:.0} ms ({} parsed), model {:.0} ms",
            crate::facts::PARSE_NS.load(std::sync::atomic::Ordering::Relaxed) / 1_000_000,
            crate::facts::EXTRACT_NS.load(std::sync::atomic::Ordering::Relaxed) / 1_000_000,
            t_walk.as_secs_f64() * 1000.0,
            walked.files.len(),
            (t_facts - t_walk).as_secs_f64() * 1000.0,
            parsed,
            (t0.elapsed() - t_facts).as_secs_f64() * 1000.0,
        );
    }
    (project, warnings)
}

/// Read one file and extract its facts; `Ok(None)` for binary files.
/// Hand the rules' keywords to the byte-level prefilter of the fact stage (once per process;
/// every front door calls this before it reads a file).
pub fn install_prefilter() -> &'static crate::prefilter::Prefilter {
    static KEYWORDS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut kws: Vec<&'static str> = Vec::new();
        for rule in RULES {
            for kw in rule.meta().keywords {
                if !kws.contains(kw) {
                    kws.push(kw);
                }
            }
        }
        kws
    });
    crate::prefilter::install(&KEYWORDS)
}

pub fn read_facts(input: &InputFile) -> Result<Option<FileFacts>, String> {
    read_facts_with(input, true)
}

/// Like `read_facts`; `eager_code` parses the files rules are known to need right away (in
/// the parallel phase).
pub fn read_facts_with(input: &InputFile, eager_code: bool) -> Result<Option<FileFacts>, String> {
    use std::io::Read;
    install_prefilter();
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", input.rel);
    let mut file = std::fs::File::open(&input.abs).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > READ_SIZE_CAP {
        return Err(format!(
            "skipped {}: {} MiB is over the {} MiB limit",
            input.rel,
            len / (1024 * 1024),
            READ_SIZE_CAP / (1024 * 1024)
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.read_to_end(&mut bytes).map_err(cannot)?;
    if facts::is_binary(&bytes) {
        return Ok(None);
    }
    let facts = facts::extract(input, facts::decode(bytes));
    if eager_code && facts.wants_code() {
        // Parse in the parallel phase what rules are known to need.
        let _ = facts.code();
    }
    Ok(Some(facts))
}

/// Which findings to report: all, or only those in the given files/directories.
#[derive(Clone, Debug)]
pub struct ReportFilter {
    files: HashSet<String>,
    dirs: Vec<String>,
}

impl ReportFilter {
    pub fn new(files: impl IntoIterator<Item = String>, dirs: Vec<String>) -> Self {
        ReportFilter {
            files: files.into_iter().collect(),
            dirs,
        }
    }

    pub fn includes(&self, rel: &str) -> bool {
        self.files.contains(rel)
            || self
                .dirs
                .iter()
                .any(|d| rel.starts_with(d.as_str()) && rel[d.len()..].starts_with('/'))
    }
}

/// The scan root and the report filter for the command-line paths.
pub fn resolve_paths(paths: &[PathBuf]) -> Result<(PathBuf, Option<ReportFilter>), ScanError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut canon = Vec::new();
    for p in paths {
        let c = dunce_canonicalize(p)
            .map_err(|e| ScanError::Usage(format!("cannot scan `{}`: {e}", p.display())))?;
        canon.push(c);
    }
    let first = &canon[0];
    let root = if first.is_dir() {
        first.clone()
    } else {
        project_root_of(first)
    };
    if canon.len() == 1 && first.is_dir() {
        return Ok((root, None));
    }
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for (c, orig) in canon.iter().zip(paths) {
        if !c.starts_with(&root) {
            return Err(ScanError::Usage(format!(
                "`{}` is outside the scan root `{}`",
                orig.display(),
                root.display()
            )));
        }
        let rel = rel_path(&root, c);
        if c.is_dir() {
            if *c != root {
                dirs.push(rel);
            }
        } else {
            files.push(rel);
        }
    }
    if files.is_empty() && dirs.is_empty() {
        return Ok((root, None));
    }
    Ok((root, Some(ReportFilter::new(files, dirs))))
}

fn dunce_canonicalize(p: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(p)
}

/// The project a file belongs to: the nearest git root, else the nearest `package.json`.
pub fn project_root_of(file: &Path) -> PathBuf {
    let start = file.parent().unwrap_or(file);
    for dir in start.ancestors() {
        if dir.join(".git").exists() {
            return dir.to_path_buf();
        }
    }
    for dir in start.ancestors() {
        if dir.join("package.json").is_file() {
            return dir.to_path_buf();
        }
    }
    start.to_path_buf()
}

/// Run the active rules over the project and post-process their findings.
pub fn check(project: &Project, rules: &RuleSet, filter: Option<&ReportFilter>) -> Vec<Finding> {
    let per_file: Vec<Finding> = project
        .files
        .par_iter()
        .filter(|f| filter.is_none_or(|flt| flt.includes(&f.rel)))
        .flat_map_iter(|f| check_file(project, rules, f))
        .collect();
    let mut findings = per_file;
    let project_level: Vec<Finding> = rules
        .active
        .par_iter()
        .flat_map_iter(|(rule, _)| {
            let mut out = Vec::new();
            rule.check_project(project, &mut out);
            out
        })
        .collect();
    findings.extend(
        project_level
            .into_iter()
            .filter(|f| filter.is_none_or(|flt| flt.includes(&f.path))),
    );
    finish(project, rules, findings, filter)
}

/// Per-file rules on one file.
pub fn check_file(project: &Project, rules: &RuleSet, facts: &FileFacts) -> Vec<Finding> {
    let cx = FileCx { facts, project };
    let mut out = Vec::new();
    for (rule, _) in &rules.active {
        let kw = rule.meta().keywords;
        if kw.is_empty() || facts.hits.any(kw) {
            rule.check_file(&cx, &mut out);
        }
    }
    out
}

/// Severity overrides, positions, suppressions, unused-suppression findings, redaction,
/// fingerprints and the final order.
pub fn finish(
    project: &Project,
    rules: &RuleSet,
    mut findings: Vec<Finding>,
    filter: Option<&ReportFilter>,
) -> Vec<Finding> {
    for f in &mut findings {
        if let Some(sev) = rules.override_for(f.rule) {
            f.severity = sev;
        }
        let file = project.file(&f.path);
        if let (Some(span), Some(file)) = (f.span, file) {
            f.range = Some(range_of(&file.source, span));
        }
        for rel in &mut f.related {
            if let (Some(span), Some(file)) = (rel.span, project.file(&rel.path)) {
                rel.range = Some(range_of(&file.source, span));
            }
        }
        f.message = crate::facts::secrets::redact_all(&f.message).into_owned();
        f.help = crate::facts::secrets::redact_all(&f.help).into_owned();
    }

    // Suppressions.
    let mut used: HashSet<(String, usize)> = HashSet::new();
    findings.retain(|f| {
        let (Some(range), Some(file)) = (f.range, project.file(&f.path)) else {
            return true;
        };
        let meta = rules::find_rule(f.rule).map(|r| r.meta());
        for (i, s) in file.suppressions.iter().enumerate() {
            if s.target_line0 + 1 == range.line
                && s.rules
                    .iter()
                    .any(|r| meta.is_some_and(|m| selector_matches(r, m)))
            {
                used.insert((f.path.clone(), i));
                return false;
            }
        }
        true
    });
    let unused_rule = &rules::suppression::unused_suppression::UnusedSuppression::META;
    if rules.is_active(unused_rule.id) {
        for file in &project.files {
            if filter.is_some_and(|flt| !flt.includes(&file.rel)) {
                continue;
            }
            for (i, s) in file.suppressions.iter().enumerate() {
                if used.contains(&(file.rel.clone(), i)) {
                    continue;
                }
                let unknown: Vec<&String> = s
                    .rules
                    .iter()
                    .filter(|r| !rules::is_known_selector(r))
                    .collect();
                let message = if s.rules.is_empty() {
                    "`clerk-guard-ignore` names no rule, so it suppresses nothing".to_string()
                } else if !unknown.is_empty() {
                    format!("`clerk-guard-ignore` names unknown rule `{}`", unknown[0])
                } else if s.rules.iter().any(|r| rules::probe::is_probe_selector(r)) {
                    // Probe rules only fire in `clerk-guard probe`.
                    continue;
                } else if s.rules.iter().any(|r| {
                    rules::RULES.iter().any(|rule| {
                        selector_matches(r, rule.meta()) && !rules.is_active(rule.meta().id)
                    })
                }) {
                    // A rule it names did not run: whether it would fire is unknown.
                    continue;
                } else {
                    format!(
                        "`clerk-guard-ignore {}` suppresses nothing on line {}",
                        s.rules.join(", "),
                        s.target_line0 + 1
                    )
                };
                let mut f = Finding::new(
                    unused_rule.id,
                    rules
                        .override_for(unused_rule.id)
                        .unwrap_or(unused_rule.severity),
                    &file.rel,
                )
                .at(s.span)
                .message(message)
                .help("remove the comment, or name the rule that fires on that line");
                f.range = Some(range_of(&file.source, s.span));
                findings.push(f);
            }
        }
    }

    // Fingerprints: rule + path + normalised anchor text + occurrence.
    findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then(a.message.cmp(&b.message))
    });
    findings.dedup_by(|a, b| {
        a.rule == b.rule && a.path == b.path && a.span == b.span && a.message == b.message
    });
    let mut seen: HashMap<(String, &'static str, String), usize> = HashMap::new();
    for f in &mut findings {
        let anchor = f.anchor.clone().unwrap_or_else(|| anchor_text(project, f));
        let n = seen
            .entry((f.path.clone(), f.rule, anchor.clone()))
            .or_insert(0);
        f.fingerprint = fingerprint(f.rule, &f.path, &anchor, *n);
        *n += 1;
    }
    findings
}

fn anchor_text(project: &Project, f: &Finding) -> String {
    match (f.span, project.file(&f.path)) {
        (Some(span), Some(file)) => {
            let text = file.text();
            let line0 = file.source.lines.line0(span.start.min(text.len()));
            let line = file
                .source
                .lines
                .line_range(text, line0)
                .map(|(s, e)| &text[s..e])
                .unwrap_or("");
            crate::facts::secrets::redact_all(line).into_owned()
        }
        _ => f.message.clone(),
    }
}

pub fn range_of(source: &SourceText, span: crate::finding::Span) -> Range {
    let (line, column) = source.lines.position(&source.text, span.start);
    let (end_line, end_column) = source.lines.position(&source.text, span.end);
    Range {
        line,
        column,
        end_line,
        end_column,
    }
}

/// The text of every file a finding (or a related location) points into.
pub fn sources_for(project: &Project, findings: &[Finding]) -> BTreeMap<String, SourceText> {
    let mut out = BTreeMap::new();
    for f in findings {
        for path in std::iter::once(&f.path).chain(f.related.iter().map(|r| &r.path)) {
            if let Some(file) = project.file(path) {
                out.entry(path.clone())
                    .or_insert_with(|| file.source.clone());
            }
        }
    }
    out
}
