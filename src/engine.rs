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
use crate::project::{Analysis, Project};
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
    /// Keep per-file facts between runs (`crate::cache`); off for library callers unless
    /// asked for, on for the command line unless `--no-cache`.
    pub cache: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            config: None,
            select: Vec::new(),
            ignore: Vec::new(),
            build_output: true,
            cache: false,
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
    /// What the scan decided about the project that a reader should know (apps skipped
    /// because they do not use Clerk, a router layout Next.js refuses, nothing to check),
    /// one line each, for stderr.
    pub notes: Vec<String>,
    pub elapsed: Duration,
    /// Text of every file a finding points into (for rendering snippets).
    pub sources: BTreeMap<String, SourceText>,
}

/// The rules that run, with their configured severity override.
#[derive(Default)]
pub struct RuleSet {
    pub active: Vec<(&'static dyn Rule, Option<Severity>)>,
    /// `--select`: wins over a level `off` in any configuration file.
    select: Vec<String>,
    /// App configurations set levels for their files (see `Config::level_for_path`).
    scoped_levels: bool,
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
        Ok(RuleSet {
            active,
            select: select.to_vec(),
            scoped_levels: false,
        })
    }

    /// Also run the rules an app's own configuration turns on (their findings outside that
    /// app are dropped by `finish`, as are findings of rules an app turns off).
    pub fn with_app_configs(
        mut self,
        config: &Config,
        select: &[String],
        ignore: &[String],
    ) -> Self {
        if config.scoped.is_empty() {
            return self;
        }
        self.scoped_levels = true;
        for rule in RULES {
            let meta = rule.meta();
            if self.is_active(meta.id)
                || !select.is_empty()
                || ignore.iter().any(|s| selector_matches(s, meta))
            {
                continue;
            }
            let on_in_app = config
                .scoped
                .iter()
                .any(|(_, c)| c.level_for(meta).is_some_and(|l| l != Level::Off));
            if on_in_app {
                self.active.push((*rule, None));
            }
        }
        self
    }

    /// The severity of a finding of `meta` in `rel` (`None`: the rule is off there).
    fn severity_at(&self, config: &Config, meta: &rules::RuleMeta, rel: &str) -> Option<Severity> {
        let level = config.level_for_path(meta, rel);
        match level {
            Some(Level::Off) if self.select.iter().any(|s| selector_matches(s, meta)) => {
                Some(meta.severity)
            }
            Some(l) => l.severity(),
            None => Some(meta.severity),
        }
    }

    pub fn is_active(&self, id: &str) -> bool {
        self.active.iter().any(|(r, _)| r.meta().id == id)
    }

    /// Whether any active rule reads code facts or the route model (all but the byte-level
    /// secret and suppression rules).
    pub fn needs_code(&self) -> bool {
        self.active.iter().any(|(r, _)| r.meta().group.reads_code())
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
    let analysis = if rules.needs_code() {
        Analysis::ClerkApps
    } else {
        Analysis::None
    };
    crate::mark("scan: config");
    let cache = if opts.cache {
        crate::cache::FactsCache::open(&root)
    } else {
        None
    };
    crate::mark("scan: cache opened");
    let focus = filter.as_ref().map(ReportFilter::paths).unwrap_or_default();
    let (project, mut warnings, config_errors) = load_project_inner(
        &root,
        config,
        opts.build_output,
        analysis,
        cache.as_ref(),
        focus,
    );
    if let Some(e) = config_errors.into_iter().next() {
        return Err(ScanError::Config(e));
    }
    let rules = rules.with_app_configs(&project.config, &opts.select, &opts.ignore);
    let files = match &filter {
        None => project.files.len(),
        Some(flt) => project
            .files
            .iter()
            .filter(|f| flt.includes(&f.rel))
            .count(),
    };
    if files == 0 {
        // Nothing found is not a pass: a path with nothing to read is a mistake.
        let what = opts
            .paths
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ScanError::Usage(format!(
            "nothing to scan: {} hold{} no file clerk-guard reads (after .gitignore, .clerkguardignore and `exclude`)",
            if what.is_empty() {
                "`.`".to_string()
            } else {
                what
            },
            if opts.paths.len() > 1 { "" } else { "s" }
        )));
    }
    let t_rules = Instant::now();
    let findings = check(&project, &rules, filter.as_ref());
    crate::mark("checked");
    warnings.extend(crate::facts::depth::warnings(&project.files));
    let changed = crate::source::CHANGED_FILES.load(std::sync::atomic::Ordering::Relaxed);
    if changed > 0 {
        warnings.push(format!(
            "{changed} file(s) changed on disk during the scan; their findings were taken from \
             the first read and their snippets are blank: scan again"
        ));
    }
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
    let t_notes = Instant::now();
    let notes = project_notes(&project, &rules, &findings);
    let sources = sources_for(&project, &findings);
    if std::env::var_os("CLERK_GUARD_TIMING").is_some() {
        eprintln!(
            "timing: notes+sources {:.0} ms; texts read again {}; total {:.0} ms",
            t_notes.elapsed().as_secs_f64() * 1000.0,
            crate::source::RELOADS.load(std::sync::atomic::Ordering::Relaxed),
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
    // Saved last: what the notes and the reporters' sources lexed or parsed is kept too.
    if let Some(cache) = &cache {
        let t = Instant::now();
        cache.save(&project.files);
        if std::env::var_os("CLERK_GUARD_TIMING").is_some() {
            eprintln!(
                "timing: cache {} of {} files from {} ({} not read), saved in {:.0} ms",
                cache.hits(),
                project.files.len(),
                cache.path().display(),
                cache.unread(),
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    crate::mark("saved");
    // Freeing the model (every file's facts) takes a while and nothing waits for it: another
    // thread does it while the findings are reported (a process that exits first skips it).
    drop_elsewhere(project);
    Ok(ScanResult {
        root,
        findings,
        files,
        warnings,
        notes,
        elapsed: start.elapsed(),
        sources,
    })
}

/// Drop a value on a thread of its own (in the background; the caller goes on).
pub fn drop_elsewhere<T: Send + 'static>(value: T) {
    // Without a thread to be had, `spawn` drops the closure, and the value with it, in line.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// Notes about the project as a whole: apps whose files the Clerk rules skipped (and why),
/// router layouts Next.js refuses, and a scan that found nothing to check.
pub fn project_notes(project: &Project, rules: &RuleSet, findings: &[Finding]) -> Vec<String> {
    let mut notes = Vec::new();
    if rules.active.iter().any(|(r, _)| r.meta().needs_clerk) {
        for (i, app) in project.apps.iter().enumerate() {
            if app.uses_clerk {
                continue;
            }
            let mut why = format!(
                "no `@clerk/*` dependency in {} and no JS/TS file imports `@clerk/*`",
                match (&app.package_json, &app.workspace_root) {
                    (Some(p), Some(w)) if w.is_empty() => {
                        format!("`{p}` or the workspace root's `package.json`")
                    }
                    (Some(p), Some(w)) => format!("`{p}` or the workspace root `{w}`"),
                    (Some(p), None) => format!("`{p}`"),
                    (None, _) => "a `package.json`".to_string(),
                }
            );
            // Say why a mention in the docs does not count.
            if let Some(doc) = project.files.iter().find(|f| {
                !matches!(f.kind, crate::source::FileKind::Script(_))
                    && f.hits.has("@clerk/")
                    && project.app_of(&f.rel) == Some(i)
                    && crate::source::file_name(&f.rel) != "package.json"
            }) {
                why.push_str(&format!(
                    "; `{}` mentions it, but documentation is not code",
                    doc.rel
                ));
            }
            notes.push(format!(
                "app `{}` does not use Clerk ({why}): auth, authorization and middleware rules skipped its files",
                app.label()
            ));
        }
    }
    for app in &project.apps {
        if app.split_router_dirs
            && let (Some(pages), Some(appd)) = (&app.pages_dir, &app.app_dir)
        {
            notes.push(format!(
                "app `{}` has `{pages}/` and `{appd}/` under different parents: recent Next.js refuses to build that layout (`pages` and `app` must share a parent); both routers were analysed",
                app.label()
            ));
        }
    }
    if findings.is_empty() {
        let scripts = project.files.iter().any(|f| {
            matches!(f.kind, crate::source::FileKind::Script(_)) && !f.origin.build_output
        });
        if project.apps.is_empty() && !scripts {
            notes.push(format!(
                "found no JavaScript/TypeScript app under `{}` (no `package.json` that depends on a supported framework, no `next.config.*`, no JS/TS files) and no key: nothing was checked but secrets in {} file{}",
                project.root.display(),
                project.files.len(),
                if project.files.len() == 1 { "" } else { "s" }
            ));
        } else if project.apps.is_empty() {
            notes.push(format!(
                "found no app under `{}` (no `package.json` that depends on Next.js, Express, Fastify, React Router, Astro, Nuxt, TanStack Start, Expo or Vite, no `next.config.*`): only the secret rules applied",
                project.root.display()
            ));
        }
    }
    notes
}

/// Walk, read and extract facts, and build the project model.
pub fn load_project(root: &Path, config: Config, build_output: bool) -> (Project, Vec<String>) {
    load_project_for(root, config, build_output, Analysis::AllApps)
}

/// Like `load_project`; with `code` false (only byte-level rules active), nothing is parsed
/// and no route model is built.
pub fn load_project_for(
    root: &Path,
    config: Config,
    build_output: bool,
    analysis: Analysis,
) -> (Project, Vec<String>) {
    load_project_cached(root, config, build_output, analysis, None, Vec::new())
}

/// Like `load_project_for`, with the facts cache, and the models built only for the apps
/// that hold the `focus` paths (see `Project::build_focused`; empty for every app).
pub fn load_project_cached(
    root: &Path,
    config: Config,
    build_output: bool,
    analysis: Analysis,
    cache: Option<&crate::cache::FactsCache>,
    focus: Vec<String>,
) -> (Project, Vec<String>) {
    let (project, mut warnings, errors) =
        load_project_inner(root, config, build_output, analysis, cache, focus);
    warnings.extend(
        errors
            .iter()
            .map(|e| format!("config error: {e} (ignored)")),
    );
    (project, warnings)
}

/// Like `load_project_for`, with the errors of app configuration files apart.
fn load_project_inner(
    root: &Path,
    mut config: Config,
    build_output: bool,
    analysis: Analysis,
    cache: Option<&crate::cache::FactsCache>,
    focus: Vec<String>,
) -> (Project, Vec<String>, Vec<ConfigError>) {
    install_prefilter();
    let timing = std::env::var_os("CLERK_GUARD_TIMING").is_some();
    let t0 = Instant::now();
    let mut walked = walk(
        root,
        &config,
        &WalkOptions {
            build_output,
            cache: cache.map(crate::cache::FactsCache::walk_path),
        },
    );
    // Reports clerk-guard wrote are not sources (each `.json`/`.sarif` file's head is read: in
    // parallel).
    let reports: Vec<bool> = walked
        .files
        .par_iter()
        .map(|f| crate::report::own::is_report_file(&f.rel, &f.abs))
        .collect();
    let mut report = reports.into_iter();
    walked.files.retain(|_| !report.next().unwrap_or(false));
    let config_errors = add_app_configs(&mut config, &mut walked);
    let t_walk = t0.elapsed();
    crate::mark("walked");
    let mut warnings = walked.warnings;
    // Byte-level rules only, and no facts stored for a later scan: the prefilter searches only
    // the keywords such a scan asks about.
    let byte_level = analysis == Analysis::None && cache.is_none();
    crate::source::set_byte_level(byte_level);
    // The analysis parses its wanted files after the read phase and then releases every text.
    let hold_wanted = analysis != Analysis::None;
    let results: Vec<Result<Option<FileFacts>, String>> = walked
        .files
        .par_iter()
        .map(|f| read_facts_cached(f, false, cache, byte_level, hold_wanted))
        .collect();
    let t_facts = t0.elapsed();
    if let Some(c) = cache {
        c.release();
    }
    crate::mark("facts read");
    let walked_files = walked.files.len();
    let walk_kept = if walked.kept { ", kept" } else { "" };
    // The walk's list is not needed any more; the facts take the results' place (collected in
    // place: one list of facts alive at a time, not two).
    drop(std::mem::take(&mut walked.files));
    let all: Vec<FileFacts> = results
        .into_iter()
        .filter_map(|r| match r {
            Ok(f) => f,
            Err(w) => {
                warnings.push(w);
                None
            }
        })
        .collect();
    let project = Project::build_focused(
        root.to_path_buf(),
        all,
        walked.package_dirs,
        config,
        analysis,
        focus,
    );
    if analysis != Analysis::None {
        warnings.extend(crate::config::unmatched_public_routes(&project));
    }
    warnings.extend(crate::facts::oversized_entry_warnings(&project.files));
    warnings.extend(project.manifest_warnings.iter().cloned());
    if timing {
        let parsed = project.files.iter().filter(|f| f.code_is_parsed()).count();
        eprintln!(
            "timing: parse {} ms extract {} ms; walk {:.0} ms ({} files{walk_kept}), read+facts {:.0} ms ({} parsed), model {:.0} ms",
            crate::facts::PARSE_NS.load(std::sync::atomic::Ordering::Relaxed) / 1_000_000,
            crate::facts::EXTRACT_NS.load(std::sync::atomic::Ordering::Relaxed) / 1_000_000,
            t_walk.as_secs_f64() * 1000.0,
            walked_files,
            (t_facts - t_walk).as_secs_f64() * 1000.0,
            parsed,
            (t0.elapsed() - t_facts).as_secs_f64() * 1000.0,
        );
    }
    (project, warnings, config_errors)
}

/// Load the `clerk-guard.toml` of every package directory below the root (an app's own
/// configuration, whatever the scan root), and drop the walked files its `exclude` names.
fn add_app_configs(config: &mut Config, walked: &mut crate::walk::WalkOutput) -> Vec<ConfigError> {
    let mut errors = Vec::new();
    let explicit = config.path.clone();
    for dir in &walked.package_dirs {
        if dir.is_empty() {
            continue;
        }
        let rel = crate::source::join_rel(dir, crate::config::CONFIG_FILE_NAME);
        let Some(file) = walked.files.iter().find(|f| f.rel == rel) else {
            continue;
        };
        if explicit
            .as_deref()
            .is_some_and(|p| std::fs::canonicalize(p).is_ok_and(|p| p == file.abs))
        {
            continue;
        }
        match Config::load(Some(&file.abs), Path::new("")) {
            Ok(app) => config.add_scoped(dir.clone(), app),
            Err(e) => errors.push(e),
        }
    }
    if !config.scoped.is_empty() {
        walked.files.retain(|f| !config.is_excluded(&f.rel));
    }
    errors
}

/// Read one file and extract its facts; `Ok(None)` for binary files.
/// Hand the rules' keywords to the byte-level prefilter of the fact stage (once per process;
/// every front door calls this before it reads a file).
pub fn install_prefilter() -> &'static crate::prefilter::Prefilter {
    let (byte_level, code) = rule_keywords();
    crate::prefilter::install(byte_level, code)
}

/// Every keyword of every rule, once each, in rule order: those of the byte-level rules, then
/// those of the rules that read code.
fn rule_keywords() -> (&'static [&'static str], &'static [&'static str]) {
    type Keywords = (Vec<&'static str>, Vec<&'static str>);
    static KEYWORDS: std::sync::LazyLock<Keywords> = std::sync::LazyLock::new(|| {
        let mut byte_level: Vec<&'static str> = Vec::new();
        let mut code: Vec<&'static str> = Vec::new();
        for rule in RULES {
            let meta = rule.meta();
            let kws = if meta.group.reads_code() {
                &mut code
            } else {
                &mut byte_level
            };
            for kw in meta.keywords {
                if !kws.contains(kw) {
                    kws.push(kw);
                }
            }
        }
        (byte_level, code)
    });
    (&KEYWORDS.0, &KEYWORDS.1)
}

pub fn read_facts(input: &InputFile) -> Result<Option<FileFacts>, String> {
    read_facts_with(input, true)
}

/// Like `read_facts`; `eager_code` parses the files rules are known to need right away (in
/// the parallel phase).
pub fn read_facts_with(input: &InputFile, eager_code: bool) -> Result<Option<FileFacts>, String> {
    read_facts_cached(input, eager_code, None, false, false)
}

/// Like `read_facts_with`, taking the facts from `cache` when it holds them for the file's
/// current content. `hold_wanted` keeps the text of a file the analysis will parse
/// (`FileFacts::wants_code`) in memory, whatever the budget, for the caller to release.
pub fn read_facts_cached(
    input: &InputFile,
    eager_code: bool,
    cache: Option<&crate::cache::FactsCache>,
    byte_level: bool,
    hold_wanted: bool,
) -> Result<Option<FileFacts>, String> {
    install_prefilter();
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", input.rel);
    // With the cache, a file whose metadata is unchanged is not read at all.
    let stat = match cache {
        Some(c) => {
            let stat = crate::cache::StatKey::of(&std::fs::metadata(&input.abs).map_err(cannot)?);
            if let Some(facts) = c.unchanged(input, stat, |rel| disk_reload(input, rel)) {
                if eager_code && facts.wants_code() {
                    let _ = facts.code();
                }
                return Ok(Some(facts));
            }
            Some(stat)
        }
        None => None,
    };
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
    // A manifest stays in memory whatever the budget: app discovery, the advisories and the
    // warnings each read it (they are few and small).
    let manifest =
        crate::source::file_name(&input.rel) == "package.json" && !input.origin.build_output;
    let fate = if manifest {
        TextFate::Kept
    } else if byte_level && matches!(input.kind, crate::source::FileKind::Script(_)) {
        TextFate::of_script(&input.rel)
    } else {
        TextFate::Budget
    };
    // A text that will not be kept is read into this thread's spare buffer, handed back
    // below once its facts are taken: no fresh allocation (and its page faults) per file.
    let len = len as usize;
    let mut bytes = if matches!(fate, TextFate::Kept)
        || matches!(fate, TextFate::Budget) && crate::source::SourceText::would_keep(len)
    {
        Vec::new()
    } else {
        SPARE_READ_BUFFER.take()
    };
    read_known_len(&mut file, &mut bytes, len).map_err(cannot)?;
    let Some(text) = facts::decode_file(bytes, input.kind) else {
        return Ok(None);
    };
    let hash = cache.map(|_| crate::source::content_hash(&text));
    let mut facts = if byte_level {
        facts::extract_byte_level(input, text)
    } else {
        facts::extract(input, text)
    };
    if let (Some(c), Some(hash), Some(stat)) = (cache, hash, stat) {
        c.fill(&mut facts, hash, stat);
    }
    if eager_code && facts.wants_code() {
        // Parse in the parallel phase what rules are known to need.
        let _ = facts.code();
    }
    facts.source.set_reload(disk_reload(input, &facts.rel));
    // A file the analysis parses keeps its text until the parse, outside the budget (then
    // released with the rest, see `Project::analyse`): not read from disk a second time.
    let held = hold_wanted && matches!(fate, TextFate::Budget) && facts.wants_code();
    if held
        && let Some(spare) = facts.source.shrink_kept()
        && spare.capacity() <= SPARE_READ_BUFFER_CAP
    {
        SPARE_READ_BUFFER.set(spare.into_bytes());
    }
    let kept = match fate {
        TextFate::Kept => true,
        TextFate::Budget => held || facts.source.try_keep(),
        TextFate::LexNow | TextFate::Release => false,
    };
    if !kept {
        // Not kept: take what the model reads of every script now (its imports), then let
        // the text go; it is read again only if a rule or a report needs it.
        if !matches!(fate, TextFate::Release) {
            let _ = facts.imports();
        }
        if let Some(text) = facts.source.release_taking()
            && text.capacity() <= SPARE_READ_BUFFER_CAP
        {
            SPARE_READ_BUFFER.set(text.into_bytes());
        }
    }
    Ok(Some(facts))
}

/// What becomes of a file's text once its facts are taken. Which texts stay in memory decides
/// only what is read or lexed twice, never a finding: a released text is read again from disk
/// when something asks for it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TextFate {
    /// Kept whatever the budget (a manifest).
    Kept,
    /// Kept while the text budget lasts; else its imports are lexed now and it is released.
    Budget,
    /// Its imports lexed now, then released, without a place in the budget.
    LexNow,
    /// Released now, its imports not lexed (lexed from the text read again if asked for).
    Release,
}

impl TextFate {
    /// In a byte-level scan, the one question asked of a script's imports is whether it ships
    /// to the browser (the client set, built only over what the client roots reach), so a
    /// kept text spares lexing only if the file turns out not to be reached. The budget is
    /// spent where that is likely: not on components (`.tsx`/`.jsx`, most of which the
    /// client set reaches; their imports are lexed now, once for all), and not on tests,
    /// which no bundle reaches (released unlexed: a test reached after all is read again).
    /// On the real tree of issue 12: 4,887 files lexed (24.6 MB) before, of which 3,474 were
    /// needed.
    fn of_script(rel: &str) -> TextFate {
        if crate::source::is_test_file(rel) {
            TextFate::Release
        } else if rel.ends_with(".tsx") || rel.ends_with(".jsx") {
            TextFate::LexNow
        } else {
            TextFate::Budget
        }
    }
}

/// Read a whole file of `len` bytes (by its metadata) into `buf`: its room reserved once, the
/// bytes read straight into it (not zeroed first), and one more read that finds the end. A file
/// that grew meanwhile is read to its end, up to the size cap.
fn read_known_len(file: &mut std::fs::File, buf: &mut Vec<u8>, len: usize) -> std::io::Result<()> {
    use std::io::Read;
    buf.clear();
    buf.reserve_exact(len);
    file.take(READ_SIZE_CAP + 1).read_to_end(buf)?;
    if buf.len() as u64 > READ_SIZE_CAP {
        return Err(std::io::Error::other(
            "it grew over the size limit while read",
        ));
    }
    Ok(())
}

thread_local! {
    /// The allocation of the last released text, reused for the next file this thread reads.
    static SPARE_READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A spare read buffer is kept up to this capacity (what a thread holds between files).
const SPARE_READ_BUFFER_CAP: usize = 1 << 20;

/// How a file's text is read again from disk after its release: only a regular file within
/// the size cap (it may have been replaced meanwhile), decoded as the first read was. `rel` is
/// the facts' copy of `input.rel`, which the reload shares.
fn disk_reload(input: &InputFile, rel: &std::sync::Arc<str>) -> crate::source::Reload {
    fn read(path: &Path, kind: crate::source::FileKind) -> Option<String> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > READ_SIZE_CAP {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        facts::decode_file(bytes, kind)
    }
    thread_local! {
        /// The part of the last path before its relative path (the scan root and a `/`):
        /// shared by the reloads this thread makes.
        static DIR: std::cell::RefCell<Option<std::sync::Arc<crate::source::ReloadDir>>> =
            const { std::cell::RefCell::new(None) };
    }
    DIR.with_borrow_mut(|dir| crate::source::Reload::file(&input.abs, rel, input.kind, read, dir))
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

    /// The files and directories it reports on.
    pub fn paths(&self) -> Vec<String> {
        let mut out: Vec<String> = self.files.iter().cloned().collect();
        out.extend(self.dirs.iter().cloned());
        out.sort();
        out
    }

    /// The indices into `project.files` of the files it reports on, in order, when it names
    /// files only (no directory): what `includes` accepts, without asking it of every file.
    pub fn file_ids(&self, project: &Project) -> Option<Vec<usize>> {
        if !self.dirs.is_empty() {
            return None;
        }
        let mut ids: Vec<usize> = self
            .files
            .iter()
            .filter_map(|rel| project.file_index(rel))
            .collect();
        ids.sort_unstable();
        Some(ids)
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
///
/// A directory that is a project of its own (a `package.json`, a `next.config.*` or a git
/// work tree root) is the scan root. A directory inside one (`app/`, `lib/`) is scanned as
/// part of its enclosing project: the model is built from the project and only findings
/// under the directory are reported, as for files. An empty or missing path is a usage error.
pub fn resolve_paths(paths: &[PathBuf]) -> Result<(PathBuf, Option<ReportFilter>), ScanError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut canon = Vec::new();
    for p in paths {
        if p.as_os_str().is_empty() {
            return Err(ScanError::Usage(
                "cannot scan an empty path (use `.` for the current directory)".to_string(),
            ));
        }
        let c = dunce_canonicalize(p).map_err(|e| {
            ScanError::Usage(if e.kind() == std::io::ErrorKind::NotFound {
                format!("cannot scan `{}`: no such file or directory", p.display())
            } else {
                format!("cannot scan `{}`: {e}", p.display())
            })
        })?;
        canon.push(c);
    }
    let first = &canon[0];
    let root = if first.is_dir() {
        enclosing_project(first).unwrap_or_else(|| first.clone())
    } else {
        project_root_of(first)
    };
    if canon.len() == 1 && *first == root {
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
            if *c == root {
                // The whole project is asked for: no filter.
                return Ok((root, None));
            }
            dirs.push(rel);
        } else {
            files.push(rel);
        }
    }
    if files.is_empty() && dirs.is_empty() {
        return Ok((root, None));
    }
    Ok((root, Some(ReportFilter::new(files, dirs))))
}

/// Whether a directory is a project of its own: the scan root for it.
fn is_project_dir(dir: &Path) -> bool {
    dir.join("package.json").is_file() || dir.join(".git").exists() || has_next_config(dir)
}

fn has_next_config(dir: &Path) -> bool {
    [
        "next.config.js",
        "next.config.mjs",
        "next.config.cjs",
        "next.config.ts",
        "next.config.mts",
    ]
    .iter()
    .any(|n| dir.join(n).is_file())
}

/// The project enclosing a directory that is not one itself: the nearest ancestor with a
/// `package.json` (or a `next.config.*`), not above the git work tree. `None` when the
/// directory is a project, or nothing encloses it.
fn enclosing_project(dir: &Path) -> Option<PathBuf> {
    if is_project_dir(dir) {
        return None;
    }
    for anc in dir.ancestors().skip(1) {
        if is_project_dir(anc) {
            // A git work tree root without a manifest is not an app to scan from.
            let manifest = anc.join("package.json").is_file() || has_next_config(anc);
            return manifest.then(|| anc.to_path_buf());
        }
    }
    None
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
    let per_file: Vec<Finding> = match filter.and_then(|flt| flt.file_ids(project)) {
        Some(ids) => ids
            .par_iter()
            .flat_map_iter(|&i| check_file(project, rules, &project.files[i]))
            .collect(),
        None => project
            .files
            .par_iter()
            .filter(|f| filter.is_none_or(|flt| flt.includes(&f.rel)))
            .flat_map_iter(|f| check_file(project, rules, f))
            .collect(),
    };
    crate::mark("check: per file");
    let mut findings = per_file;
    let project_level: Vec<Finding> = rules
        .active
        .par_iter()
        .flat_map_iter(|(rule, _)| {
            let mut out = Vec::new();
            let t = Instant::now();
            rule.check_project(project, &mut out);
            if crate::marking() && t.elapsed().as_millis() > 2 {
                crate::mark(&format!(
                    "  rule {} took {:.1} ms",
                    rule.meta().id,
                    t.elapsed().as_secs_f64() * 1000.0
                ));
            }
            out
        })
        .collect();
    crate::mark("check: project rules");
    findings.extend(
        project_level
            .into_iter()
            .filter(|f| filter.is_none_or(|flt| flt.includes(&f.path)) && in_scope(project, f)),
    );
    finish(project, rules, findings, filter)
}

/// Whether a finding lies in its rule's scope: rules that need Clerk report only on files of
/// apps that use Clerk.
fn in_scope(project: &Project, f: &Finding) -> bool {
    !rules::find_rule(f.rule).is_some_and(|r| r.meta().needs_clerk) || project.in_clerk_app(&f.path)
}

/// Per-file rules on one file.
pub fn check_file(project: &Project, rules: &RuleSet, facts: &FileFacts) -> Vec<Finding> {
    let cx = FileCx { facts, project };
    let mut out = Vec::new();
    let clerk = project.in_clerk_app(&facts.rel);
    for (rule, _) in &rules.active {
        let meta = rule.meta();
        // The Clerk scope: auth, authorization and middleware rules only look at files of
        // apps that use Clerk.
        if meta.needs_clerk && !clerk {
            continue;
        }
        let kw = meta.keywords;
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
    if rules.scoped_levels {
        findings.retain_mut(|f| {
            let Some(meta) = rules::find_rule(f.rule).map(|r| r.meta()) else {
                return true;
            };
            match rules.severity_at(&project.config, meta, &f.path) {
                Some(sev) => {
                    f.severity = sev;
                    true
                }
                None => false,
            }
        });
    }
    // Every file a finding points into is read (again) once, here, and kept: positions,
    // suppressions, fingerprints and the reporters read it several times each.
    let pointed: HashSet<&str> = findings
        .iter()
        .flat_map(|f| std::iter::once(&f.path).chain(f.related.iter().map(|r| &r.path)))
        .map(String::as_str)
        .collect();
    let pointed: Vec<&str> = pointed.into_iter().collect();
    pointed.par_iter().for_each(|path| {
        if let Some(file) = project.file(path) {
            file.source.hold();
        }
    });
    crate::mark("finish: held");
    for f in &mut findings {
        if let Some(sev) = rules.override_for(f.rule)
            && !rules.scoped_levels
        {
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

    crate::mark("finish: positions");
    // Suppressions.
    let mut used: HashSet<(String, usize)> = HashSet::new();
    findings.retain(|f| {
        let (Some(range), Some(file)) = (f.range, project.file(&f.path)) else {
            return true;
        };
        let meta = rules::find_rule(f.rule).map(|r| r.meta());
        for (i, s) in file.suppressions().iter().enumerate() {
            if s.target_line0 + 1 == range.line
                && s.rules
                    .iter()
                    .any(|r| meta.is_some_and(|m| selector_matches(r, m)))
            {
                used.insert((f.path.clone(), i));
                return false;
            }
        }
        // A file-wide suppression, or one above a JSX element or component that holds the
        // finding.
        for (i, s) in file.suppressions().iter().enumerate() {
            if !s
                .rules
                .iter()
                .any(|r| meta.is_some_and(|m| selector_matches(r, m)))
            {
                continue;
            }
            let covers = s.file_wide
                || (s.target_line0 + 1 < range.line
                    && crate::suppress::block_end_line0(
                        &f.path,
                        &file.text(),
                        file.source.lines(),
                        s.target_line0,
                    )
                    .is_some_and(|end| range.line <= end + 1));
            if covers {
                used.insert((f.path.clone(), i));
                return false;
            }
        }
        true
    });
    // `[[ignore]]` entries of the configuration.
    findings.retain(|f| {
        !rules::find_rule(f.rule).is_some_and(|r| project.config.ignores(r.meta(), &f.path))
    });
    let unused_rule = &rules::suppression::unused_suppression::UnusedSuppression::META;
    if rules.is_active(unused_rule.id) {
        let reported: Vec<&FileFacts> = match filter {
            None => project.files.iter().collect(),
            Some(flt) => match flt.file_ids(project) {
                Some(ids) => ids.into_iter().map(|i| &project.files[i]).collect(),
                None => project
                    .files
                    .iter()
                    .filter(|f| flt.includes(&f.rel))
                    .collect(),
            },
        };
        for file in reported {
            for (i, s) in file.suppressions().iter().enumerate() {
                if used.contains(&(file.rel.to_string(), i)) {
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
                } else if s.file_wide {
                    format!(
                        "`clerk-guard-ignore-file {}` suppresses nothing in this file",
                        s.rules.join(", ")
                    )
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
                    &*file.rel,
                )
                .at(s.span)
                .message(message)
                .help("remove the comment, or name the rule that fires on that line");
                f.range = Some(range_of(&file.source, s.span));
                findings.push(f);
            }
        }
    }

    crate::mark("finish: suppressions");
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
            let text: &str = &text;
            let line0 = file.source.lines().line0(span.start.min(text.len()));
            let line = file
                .source
                .lines()
                .line_range(text, line0)
                .map(|(s, e)| &text[s..e])
                .unwrap_or("");
            crate::facts::secrets::redact_all(line).into_owned()
        }
        _ => f.message.clone(),
    }
}

pub fn range_of(source: &SourceText, span: crate::finding::Span) -> Range {
    let text = source.text();
    let (line, column) = source.lines().position(&text, span.start);
    let (end_line, end_column) = source.lines().position(&text, span.end);
    Range {
        line,
        column,
        end_line,
        end_column,
    }
}

/// The text of every file a finding (or a related location) points into.
pub fn sources_for(project: &Project, findings: &[Finding]) -> BTreeMap<String, SourceText> {
    finding_paths(findings)
        .into_iter()
        .filter_map(|path| Some((path.to_string(), project.file(path)?.source.pinned())))
        .collect()
}

/// Every path the findings point into (their own and their related locations'), each once.
pub fn finding_paths(findings: &[Finding]) -> std::collections::BTreeSet<&str> {
    findings
        .iter()
        .flat_map(|f| std::iter::once(&f.path).chain(f.related.iter().map(|r| &r.path)))
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A filter of files gives their indices, the files `includes` accepts, in order; one with
    /// a directory gives none (every file is asked).
    #[test]
    fn report_filter_file_ids() {
        let facts = ["a/x.ts", "a/y.ts", "b/z.ts"]
            .iter()
            .map(|r| crate::facts::extract_text(r, ""))
            .collect();
        let p = Project::build(
            "/nonexistent-clerk-guard-root".into(),
            facts,
            Vec::new(),
            Default::default(),
        );
        let filter = ReportFilter::new(
            ["b/z.ts", "a/x.ts", "missing.ts"].map(String::from),
            Vec::new(),
        );
        let accepted: Vec<usize> = (0..p.files.len())
            .filter(|&i| filter.includes(&p.files[i].rel))
            .collect();
        assert_eq!(filter.file_ids(&p), Some(accepted));
        assert_eq!(filter.file_ids(&p), Some(vec![0, 2]));
        let with_dir = ReportFilter::new(["b/z.ts".to_string()], vec!["a".to_string()]);
        assert_eq!(with_dir.file_ids(&p), None);
    }

    /// A file read by its metadata's length, as that length says, or as it is when it grew or
    /// shrank in between.
    #[test]
    fn reads_a_file_whatever_its_length_turned_out_to_be() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ts");
        let text: Vec<u8> = (0..20_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        let mut buf = b"left over from the last file".to_vec();
        for len in [text.len(), 10, 0, 30_000] {
            let mut file = std::fs::File::open(&path).unwrap();
            read_known_len(&mut file, &mut buf, len).unwrap();
            assert_eq!(buf, text, "metadata said {len}");
        }
        std::fs::write(&path, "").unwrap();
        let mut file = std::fs::File::open(&path).unwrap();
        read_known_len(&mut file, &mut buf, 5).unwrap();
        assert!(buf.is_empty());
    }

    /// A file the analysis will parse keeps its text in memory when the reader is told to hold
    /// such files (it is not read from disk again for its parse), in an allocation of its own
    /// size; its imports are still there once it is released. A file without code to parse is
    /// not held.
    #[test]
    fn a_file_to_parse_keeps_its_text_until_the_analysis_releases_it() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            InputFile {
                rel: rel.to_string(),
                abs: path,
                kind: crate::source::FileKind::classify(rel),
                origin: Default::default(),
            }
        };
        let route = write(
            "app/api/x/route.ts",
            "import { auth } from '@clerk/nextjs/server';\nexport async function GET() { await auth(); }\n",
        );
        let plain = write(
            "lib/sum.ts",
            "export const sum = (a: number, b: number) => a + b;\n",
        );
        let read = |input: &InputFile, hold: bool| {
            read_facts_cached(input, false, None, false, hold)
                .unwrap()
                .unwrap()
        };
        let held = read(&route, true);
        assert!(held.wants_code());
        // Kept outside the budget (one the budget kept would hold its room in it).
        assert!(held.source.is_kept() && !held.source.is_charged());
        let budget = read(&route, false);
        assert!(!budget.source.is_kept() || budget.source.is_charged());
        let text = held.source.text();
        assert!(text.capacity() <= text.len() + text.len() / 8 + 64);
        drop(text);
        held.source.release();
        assert!(!held.source.is_kept());
        assert!(
            held.imports()
                .iter()
                .any(|i| i.source == "@clerk/nextjs/server")
        );
        assert!(held.code().is_some());
        let other = read(&plain, true);
        assert!(!other.wants_code());
        assert!(!other.source.is_kept() || other.source.is_charged());
    }

    #[test]
    fn the_engine_prefilter_knows_every_rule_keyword() {
        // Built here, not taken from the process: another test may have installed the fact
        // keywords alone first (the first install wins).
        let (byte_level, code) = rule_keywords();
        let pf = crate::prefilter::Prefilter::build(byte_level, code);
        for rule in RULES {
            for kw in rule.meta().keywords {
                assert!(pf.knows(kw), "{}: keyword {kw:?}", rule.meta().id);
            }
        }
    }
}
