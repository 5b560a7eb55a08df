//! The command line: argument parsing and the mapping of results to exit statuses.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::baseline::Baseline;
use crate::engine::{ScanOptions, ScanResult, scan};
use crate::finding::Severity;
use crate::report::{self, Format, ReportOptions};
use crate::rules::{self, RULES};

/// Exit statuses.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "clerk-guard",
    version,
    about = "Find the integration mistakes that break Clerk authentication in Next.js apps",
    propagate_version = true,
    // A repeated option takes its last value (`-q -q`, a CI wrapper appending `--format`).
    args_override_self = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan a project and report findings.
    Scan(ScanArgs),
    /// Adopt clerk-guard in an existing app: write a commented clerk-guard.toml (the apps, the
    /// middleware's public routes, a baseline of today's findings) and print the next steps.
    Init(crate::init::InitArgs),
    /// Apply the fixes of a scan's findings (`--dry-run` prints a diff instead).
    Fix(crate::fix::cmd::FixArgs),
    /// List every rule: id, group, default severity, summary.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a rule's documentation (what, why, example, fix).
    Explain {
        /// A rule id, e.g. `secret-key-in-client`.
        rule: String,
    },
    /// Print the route table: every server entry point, how it is protected and authorized.
    Routes {
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Configuration file (default: clerk-guard.toml in the root).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Print every column in full (no wrapping to the terminal's width).
        #[arg(long)]
        wide: bool,
    },
    /// Send every route of the running app a request without a session (as an attacker
    /// would) and join each answer with the static verdict.
    Probe(crate::probe::ProbeArgs),
    /// Print the facts extracted from one file, as JSON (for debugging rules).
    #[command(hide = true)]
    DumpFacts { file: PathBuf },
    /// Scan every blob reachable in git history for secret keys.
    History(HistoryArgs),
    /// Write a git pre-commit hook that runs `clerk-guard scan --staged`.
    InstallHook(crate::hook::InstallHookArgs),
    /// Run the language server (LSP over stdio) for editor diagnostics.
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Paths to scan. The first is the scan root (reported paths are relative to it); a file
    /// limits the report to that file while the project model is built from its project.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to a file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Exit with status 1 when a finding of at least this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Only run these rules or groups (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules or groups.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Configuration file (default: clerk-guard.toml in the scan root).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only: no summary line, no warnings.
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not read built client output (.next/static, out/_next/static).
    #[arg(long)]
    pub no_build_output: bool,
    /// Report only files staged in git, with their staged contents (for a pre-commit hook).
    #[arg(long)]
    pub staged: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report paths relative to this directory (it must contain the scan root) instead of the
    /// scan root, e.g. the repository root when scanning `apps/web` in CI.
    #[arg(long, value_name = "DIR")]
    pub paths_relative_to: Option<PathBuf>,
    /// Print how many findings each rule reported (most first) instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Do not read or write the facts cache (`node_modules/.cache/clerk-guard/` or
    /// `.clerk-guard-cache/`; `CLERK_GUARD_CACHE_DIR` moves it, empty turns it off).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(clap::Args, Debug)]
pub struct HistoryArgs {
    /// A directory inside the git repository (or the repository itself, bare or not).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Only scan commits that are not reachable from this revision (e.g. `origin/main`).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Report only findings that are not in this baseline file (e.g. keys already rotated).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to a file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Exit with status 1 when a finding of at least this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Configuration file (default: clerk-guard.toml in the repository's work tree).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only: no summary line, no warnings.
    #[arg(short, long)]
    pub quiet: bool,
}

/// How a report is written: shared by `scan` and `history`.
pub struct Emit<'a> {
    pub format: Format,
    pub output: Option<&'a std::path::Path>,
    pub color: ColorChoice,
    pub quiet: bool,
    pub fail_on: FailOn,
}

/// Run the command line; returns the exit status.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Init(args) => crate::init::run(args),
        Command::Fix(args) => crate::fix::cmd::run(args),
        Command::Probe(args) => crate::probe::output::run(args),
        Command::History(args) => crate::history::run(args),
        Command::InstallHook(args) => crate::hook::run(args),
        Command::Lsp { .. } => crate::lsp::run(),
        Command::Rules { format } => {
            print_rules(format);
            EXIT_CLEAN
        }
        Command::DumpFacts { file } => dump_facts(&file),
        Command::Routes {
            path,
            format,
            config,
            wide,
        } => run_routes(&path, format, config.as_deref(), wide),
        Command::Explain { rule } => match rules::find_rule(&rule) {
            Some(r) => {
                let color = color_from_env(std::io::stdout().is_terminal());
                print!("{}", crate::docs::rule_terminal(r.meta(), color));
                EXIT_CLEAN
            }
            None => {
                crate::eprintln_redacted!("error: unknown rule `{rule}` (see `clerk-guard rules`)");
                EXIT_ERROR
            }
        },
    }
}

fn run_routes(
    path: &std::path::Path,
    format: ListFormat,
    config: Option<&std::path::Path>,
    wide: bool,
) -> i32 {
    let (root, _) = match crate::engine::resolve_paths(&[path.to_path_buf()]) {
        Ok(r) => r,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let config = match crate::config::Config::load(config, &root) {
        Ok(c) => c,
        Err(e) => {
            crate::eprintln_redacted!("error: config error: {e}");
            return EXIT_ERROR;
        }
    };
    let (project, warnings) = crate::engine::load_project(&root, config, false);
    for w in &warnings {
        crate::eprintln_redacted!("warning: {}", crate::finding::escape_control(w));
    }
    let out = match format {
        ListFormat::Human => crate::routes_cmd::human_width(
            &project,
            if wide {
                None
            } else {
                crate::routes_cmd::terminal_width()
            },
        ),
        ListFormat::Json => crate::routes_cmd::json(&project),
    };
    print!("{}", crate::facts::secrets::redact_all(&out));
    EXIT_CLEAN
}

fn dump_facts(file: &std::path::Path) -> i32 {
    let rel = file.to_string_lossy().replace('\\', "/");
    let input = crate::source::InputFile {
        kind: crate::source::FileKind::classify(&rel),
        rel,
        abs: file.to_path_buf(),
        origin: crate::source::Origin::default(),
    };
    match crate::engine::read_facts(&input) {
        Ok(Some(facts)) => {
            let doc = serde_json::json!({
                "path": &*facts.rel,
                "directive": facts.directive(),
                "keys": facts.keys(),
                "env_reads": facts.env_reads(),
                "code": facts.code(),
            });
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            println!("{}", crate::facts::secrets::redact_all(&text));
            EXIT_CLEAN
        }
        Ok(None) => {
            crate::eprintln_redacted!("error: {} is binary", file.display());
            EXIT_ERROR
        }
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            EXIT_ERROR
        }
    }
}

fn print_rules(format: ListFormat) {
    match format {
        ListFormat::Json => {
            let list: Vec<_> = RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "id": m.id,
                        "group": m.group.as_str(),
                        "severity": m.severity.as_str(),
                        "summary": m.summary,
                        "url": crate::docs::rule_url(m.id),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        ListFormat::Human => {
            let width = RULES.iter().map(|r| r.meta().id.len()).max().unwrap_or(0);
            for r in RULES {
                let m = r.meta();
                println!(
                    "{:width$}  {:11}  {:7}  {}",
                    m.id,
                    m.group.as_str(),
                    m.severity.as_str(),
                    m.summary
                );
            }
        }
    }
}

fn fails(findings: &[crate::finding::Finding], fail_on: FailOn) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return false,
    };
    findings.iter().any(|f| f.severity >= threshold)
}

fn run_scan(args: ScanArgs) -> i32 {
    let opts = ScanOptions {
        paths: args.paths.clone(),
        config: args.config.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        build_output: !args.no_build_output,
        cache: !args.no_cache,
    };
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let scanned = if args.staged {
        crate::staged::scan_staged(&opts)
    } else {
        scan(&opts)
    };
    crate::mark("run_scan: scanned");
    let mut result = match scanned {
        Ok(r) => r,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_findings(&result.findings);
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
            // Applied without a flag only when the configuration names it.
            let configured = crate::config::Config::load(args.config.as_deref(), &result.root)
                .ok()
                .and_then(|c| c.baseline)
                .and_then(|p| std::fs::canonicalize(p).ok());
            if configured.is_none() || configured != std::fs::canonicalize(path).ok() {
                crate::eprintln_redacted!(
                    "note: to apply it in `scan` and the pre-commit hook, set `baseline = \"{}\"` \
                     in {} (paths are relative to that file), or pass --baseline",
                    path.display(),
                    crate::config::CONFIG_FILE_NAME
                );
            }
        }
        return EXIT_CLEAN;
    }
    // No `--baseline`: the one `clerk-guard.toml` names, if any.
    let (baseline, configured) = match baseline {
        Some(b) => (Some(b), None),
        None => match configured_baseline(&args, &result) {
            Ok(found) => found,
            Err(e) => {
                crate::eprintln_redacted!("error: {e}");
                return EXIT_ERROR;
            }
        },
    };
    if let Some(b) = &baseline {
        // A staged scan sees only the staged files: entries elsewhere are not stale.
        let stale = if args.staged {
            0
        } else {
            b.stale(&result.findings)
        };
        let hidden = b.filter(&mut result.findings);
        if (hidden > 0 || stale > 0) && !args.quiet {
            let from = configured
                .as_deref()
                .map(|p| format!(" {} (from the config)", p.display()))
                .unwrap_or_default();
            let mut note = format!(
                "note: {hidden} finding{} in the baseline{from} not reported",
                if hidden == 1 { " is" } else { "s are" }
            );
            if stale > 0 {
                note.push_str(&format!(
                    "; {stale} baseline entr{} no finding any more (rewrite it with \
                     --write-baseline to drop {})",
                    if stale == 1 { "y matches" } else { "ies match" },
                    if stale == 1 { "it" } else { "them" }
                ));
            }
            crate::eprintln_redacted!("{note}");
        }
    }
    if let Some(base) = &args.paths_relative_to
        && let Err(e) = rebase_paths(&mut result, base)
    {
        crate::eprintln_redacted!("error: {e}");
        return EXIT_ERROR;
    }
    if args.statistics {
        let rendered =
            crate::facts::secrets::redact_all(&crate::report::human::statistics(&result))
                .into_owned();
        return deliver(
            &rendered,
            args.output.as_deref(),
            &result.findings,
            args.fail_on,
        );
    }
    emit(
        &result,
        &Emit {
            format: args.format,
            output: args.output.as_deref(),
            color: args.color,
            quiet: args.quiet,
            fail_on: args.fail_on,
        },
    )
}

/// The baseline `baseline = "..."` in the scan's `clerk-guard.toml` names (and its path); a
/// configured file that does not exist yet is a warning, not an error.
fn configured_baseline(
    args: &ScanArgs,
    result: &ScanResult,
) -> Result<(Option<Baseline>, Option<PathBuf>), String> {
    let config = crate::config::Config::load(args.config.as_deref(), &result.root)
        .map_err(|e| format!("config error: {e}"))?;
    let Some(path) = config.baseline else {
        return Ok((None, None));
    };
    if !path.exists() {
        if !args.quiet {
            crate::eprintln_redacted!(
                "warning: the baseline {} named in {} does not exist (create it with `clerk-guard \
                 scan --write-baseline {}`)",
                path.display(),
                config
                    .path
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                path.display()
            );
        }
        return Ok((None, None));
    }
    let b = Baseline::load(&path).map_err(|e| e.to_string())?;
    Ok((Some(b), Some(path)))
}

/// Make the findings' paths relative to `base` (a directory containing the scan root).
fn rebase_paths(result: &mut ScanResult, base: &std::path::Path) -> Result<(), String> {
    let canon = |p: &std::path::Path| {
        std::fs::canonicalize(p).map_err(|e| format!("--paths-relative-to {}: {e}", p.display()))
    };
    let base_abs = canon(base)?;
    let root_abs = canon(&result.root)?;
    let prefix = root_abs.strip_prefix(&base_abs).map_err(|_| {
        format!(
            "--paths-relative-to {}: the scan root {} is not inside it",
            base.display(),
            result.root.display()
        )
    })?;
    let prefix = prefix.to_string_lossy().replace('\\', "/");
    if prefix.is_empty() {
        return Ok(());
    }
    let join = |p: &str| match p {
        "" => prefix.clone(),
        p => crate::source::join_rel(&prefix, p),
    };
    for f in &mut result.findings {
        f.path = join(&f.path);
        for r in &mut f.related {
            r.path = join(&r.path);
        }
    }
    result.sources = std::mem::take(&mut result.sources)
        .into_iter()
        .map(|(k, v)| (join(&k), v))
        .collect();
    result.root = base_abs;
    Ok(())
}

/// Print warnings, render and write the report; returns the exit status.
pub fn emit(result: &ScanResult, how: &Emit<'_>) -> i32 {
    let opts = report_options(&result.warnings, how.quiet, how.output.is_none(), how.color);
    if !how.quiet {
        let mut stderr = std::io::stderr().lock();
        for n in &result.notes {
            let _ = writeln!(stderr, "note: {}", crate::facts::secrets::redact_all(n));
        }
    }
    crate::mark("emit: start");
    let rendered = report::render(how.format, result, &opts);
    crate::mark("emit: rendered");
    let r = deliver(&rendered, how.output, &result.findings, how.fail_on);
    crate::mark("emit: delivered");
    r
}

/// Print the scan's warnings on stderr (unless quiet) and decide colour and width of the
/// human report.
pub fn report_options(
    warnings: &[String],
    quiet: bool,
    to_stdout: bool,
    color: ColorChoice,
) -> ReportOptions {
    if !quiet {
        let mut stderr = std::io::stderr().lock();
        for w in warnings {
            let _ = writeln!(
                stderr,
                "warning: {}",
                crate::finding::escape_control(&crate::facts::secrets::redact_all(w))
            );
        }
    }
    let to_terminal = to_stdout && std::io::stdout().is_terminal();
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => color_from_env(to_terminal),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    ReportOptions {
        color,
        quiet,
        width,
    }
}

/// `--color auto`: `NO_COLOR` turns colour off; `FORCE_COLOR` / `CLICOLOR_FORCE` (set, not
/// `0`/`false`) turn it on even when not writing to a terminal; otherwise, a terminal decides.
pub fn color_from_env(to_terminal: bool) -> bool {
    let set = |name: &str| {
        std::env::var(name)
            .ok()
            .is_some_and(|v| !matches!(v.trim(), "0" | "false"))
    };
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if set("FORCE_COLOR") || set("CLICOLOR_FORCE") {
        return true;
    }
    to_terminal
}

/// Write a rendered report to a file or stdout and map the findings to the exit status.
pub fn deliver(
    rendered: &str,
    output: Option<&std::path::Path>,
    findings: &[crate::finding::Finding],
    fail_on: FailOn,
) -> i32 {
    let written = match output {
        Some(path) => std::fs::write(path, rendered.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(rendered.as_bytes())
                .and_then(|_| stdout.flush())
                .map_err(|e| format!("cannot write the report: {e}"))
        }
    };
    if let Err(e) = written {
        // A closed pipe (`| head`) is not worth a message.
        if !e.contains("Broken pipe") {
            crate::eprintln_redacted!("error: {e}");
        }
        return EXIT_ERROR;
    }
    if fails(findings, fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
