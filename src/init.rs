//! `clerk-guard init`: the first step of adopting clerk-guard in an existing app. Writes a
//! commented `clerk-guard.toml` (the apps found, the public routes the middleware declares,
//! a baseline of today's findings when there are any) and prints the next steps.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::baseline::Baseline;
use crate::cli::{EXIT_CLEAN, EXIT_ERROR};
use crate::config::{CONFIG_FILE_NAME, Config};
use crate::engine::{ScanOptions, load_project, scan};

/// The baseline file `init` writes beside the configuration.
pub const BASELINE_FILE_NAME: &str = "clerk-guard-baseline.json";

/// Where editors (taplo, Even Better TOML) find the schema of `clerk-guard.toml`.
pub const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/clerk-guard/clerk-guard/main/clerk-guard.schema.json";

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The project directory (where `clerk-guard.toml` goes).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Overwrite an existing `clerk-guard.toml` (and baseline).
    #[arg(long)]
    pub force: bool,
    /// Do not write a baseline, even when there are findings.
    #[arg(long)]
    pub no_baseline: bool,
}

/// What `init` found and wrote.
#[derive(Debug)]
pub struct Initialized {
    pub config: PathBuf,
    pub config_text: String,
    pub apps: usize,
    pub public_routes: Vec<String>,
    /// The baseline written (or kept) and how many findings it holds.
    pub baseline: Option<(PathBuf, usize)>,
    pub findings: usize,
}

pub fn run(args: InitArgs) -> i32 {
    match init(&args.path, args.force, !args.no_baseline) {
        Ok(done) => {
            print!("{}", next_steps(&done));
            EXIT_CLEAN
        }
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            EXIT_ERROR
        }
    }
}

pub fn init(path: &Path, force: bool, with_baseline: bool) -> Result<Initialized, String> {
    if !path.is_dir() {
        return Err(format!("{} is not a directory", path.display()));
    }
    let config_path = path.join(CONFIG_FILE_NAME);
    if config_path.exists() && !force {
        return Err(format!(
            "{} exists already; edit it, or rerun with --force to replace it",
            config_path.display()
        ));
    }
    let root = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // The model without any configuration: what the code itself says.
    let (project, _) = load_project(&root, Config::default(), true);
    let mut public_routes: Vec<String> = Vec::new();
    let mut app_lines = Vec::new();
    for (i, app) in project.apps.iter().enumerate() {
        let dir = if app.root.is_empty() { "." } else { &app.root };
        let mut line = format!("#   {dir}");
        if let Some(name) = &app.name {
            let _ = write!(line, " ({name})");
        }
        let mut facts = Vec::new();
        if let Some(n) = app.next() {
            facts.push(format!("Next.js {}", n.version));
        }
        if let Some(c) = app.clerk() {
            facts.push(format!("@clerk/nextjs {}", c.version));
        } else if !app.uses_clerk {
            facts.push("no Clerk found".to_string());
        }
        for mw in project.middlewares.iter().filter(|m| m.app == i) {
            facts.push(format!(
                "{} {}",
                if mw.file.contains("proxy.") {
                    "proxy"
                } else {
                    "middleware"
                },
                mw.file
            ));
            for m in mw.public_matcher_names() {
                if !looks_public(&m.name) {
                    continue;
                }
                for p in &m.pattern_sources {
                    if p.starts_with('/') && !public_routes.contains(p) {
                        public_routes.push(p.clone());
                    }
                }
            }
        }
        if !facts.is_empty() {
            let _ = write!(line, ": {}", facts.join(", "));
        }
        app_lines.push(line);
    }

    // Today's findings, before any configuration of ours.
    let result = scan(&ScanOptions {
        paths: vec![root.clone()],
        config: None,
        select: Vec::new(),
        ignore: Vec::new(),
        build_output: true,
        cache: true,
    })
    .map_err(|e| e.to_string())?;
    let baseline_path = path.join(BASELINE_FILE_NAME);
    let baseline = if with_baseline && !result.findings.is_empty() {
        let b = Baseline::from_findings(&result.findings);
        if baseline_path.exists() && !force {
            let kept = Baseline::load(&baseline_path).map_err(|e| e.to_string())?;
            Some((baseline_path.clone(), kept.findings.len()))
        } else {
            b.write(&baseline_path).map_err(|e| e.to_string())?;
            Some((baseline_path.clone(), b.findings.len()))
        }
    } else {
        None
    };

    let text = config_text(&app_lines, &public_routes, baseline.is_some());
    // What is written must load.
    Config::parse(&text, &config_path).map_err(|e| format!("internal error: {e}"))?;
    std::fs::write(&config_path, &text)
        .map_err(|e| format!("cannot write {}: {e}", config_path.display()))?;
    Ok(Initialized {
        config: config_path,
        config_text: text,
        apps: project.apps.len(),
        public_routes,
        baseline,
        findings: result.findings.len(),
    })
}

/// A middleware route matcher that lists public routes (`isPublicRoute`), by its name.
fn looks_public(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["public", "open", "anonymous", "unauth", "ignored"]
        .iter()
        .any(|w| n.contains(w))
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn config_text(apps: &[String], public_routes: &[String], baseline: bool) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "#:schema {SCHEMA_URL}");
    t.push_str(
        "# clerk-guard configuration, written by `clerk-guard init`. Every key is optional; see\n\
         # https://github.com/clerk-guard/clerk-guard/blob/main/docs/config.md\n\n",
    );
    if apps.is_empty() {
        t.push_str("# No Next.js app was found under this directory.\n\n");
    } else {
        t.push_str("# Apps found:\n");
        for a in apps {
            t.push_str(a);
            t.push('\n');
        }
        t.push('\n');
    }
    if baseline {
        let _ = writeln!(
            t,
            "# The findings present when clerk-guard was adopted: `clerk-guard scan` and the\n\
             # pre-commit hook report only new ones (and count entries that no longer match).\n\
             # Rewrite it with `clerk-guard scan --write-baseline {BASELINE_FILE_NAME}`.\n\
             baseline = {}\n",
            toml_string(BASELINE_FILE_NAME)
        );
    } else {
        let _ = writeln!(
            t,
            "# Findings to accept for now (`clerk-guard scan --write-baseline FILE` writes one):\n\
             # baseline = {}\n",
            toml_string(BASELINE_FILE_NAME)
        );
    }
    t.push_str(
        "# URL patterns that are public on purpose, in the syntax of Clerk's createRouteMatcher\n\
         # (`/sign-in(.*)`, `/api/webhooks/:path*`). A route matching one is not reported as\n\
         # unprotected; a pattern that matches no route is a warning.\n",
    );
    if public_routes.is_empty() {
        t.push_str("# public_routes = [\"/api/health\"]\n\n");
    } else {
        t.push_str(
            "# Taken from the middleware's public route matcher: keep them in step with it.\n",
        );
        t.push_str("public_routes = [\n");
        for p in public_routes {
            let _ = writeln!(t, "    {},", toml_string(p));
        }
        t.push_str("]\n\n");
    }
    t.push_str(
        "# Paths not to scan (globs relative to this file; a directory excludes what is under it).\n\
         # exclude = [\"legacy\", \"**/*.stories.tsx\"]\n\n\
         # Project functions that verify the session, or a role or permission, and clients that\n\
         # forward the session token to a backend that verifies it.\n\
         # auth_functions = [\"requireUser\"]\n\
         # role_functions = [\"requireAdmin\"]\n\
         # delegating_clients = [\"backendFetch\"]\n\n\
         # Rule levels (off, info, warning, error), by rule id, group, or `all`:\n\
         # `clerk-guard rules` lists them.\n\
         # [rules]\n\
         # \"test-key-in-production\" = \"off\"\n",
    );
    t
}

fn next_steps(done: &Initialized) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "wrote {} ({} app{}, {} public route{} from the middleware)",
        done.config.display(),
        done.apps,
        if done.apps == 1 { "" } else { "s" },
        done.public_routes.len(),
        if done.public_routes.len() == 1 {
            ""
        } else {
            "s"
        },
    );
    match &done.baseline {
        Some((path, n)) => {
            let _ = writeln!(
                out,
                "wrote the baseline {} with today's {n} finding{}: from now on only new findings\n\
                 are reported (the file lists the old ones: fix them over time)",
                path.display(),
                if *n == 1 { "" } else { "s" }
            );
        }
        None if done.findings == 0 => {
            let _ = writeln!(out, "no findings: nothing to baseline");
        }
        None => {
            let _ = writeln!(out, "{} findings, no baseline written", done.findings);
        }
    }
    let _ = write!(
        out,
        "\nNext steps:\n\
         \x20 1. clerk-guard scan                # only new findings are reported\n\
         \x20 2. clerk-guard install-hook        # check staged files before each commit\n\
         \x20 3. in CI (GitHub Actions):         uses: clerk-guard/clerk-guard@v{version}\n\
         \x20    or any CI:                      npx clerk-guard@{version} scan --format sarif -o clerk-guard.sarif\n\
         Commit {} and the baseline.\n",
        CONFIG_FILE_NAME
    );
    out
}
