//! `clerk-guard fix`: apply the fixes of the findings of a scan.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Applied, FixCx, Safety, diff, fixes_for, plan, write};
use crate::cli::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::engine::{ScanOptions, scan};

#[derive(clap::Args, Debug)]
pub struct FixArgs {
    /// The project (or a file or directory in it) to fix.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Print a unified diff of the fixes instead of writing them (exit 1 when there is one).
    #[arg(long)]
    pub dry_run: bool,
    /// Also apply suggested fixes (renames, migrations), not only safe ones.
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    /// Only fix findings of these rules or groups (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Configuration file (default: clerk-guard.toml in the root).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// At most this many scan → fix rounds (a fix left out for overlapping another is applied in
/// the next round, against the fixed text).
const PASSES: usize = 4;

pub fn run(args: FixArgs) -> i32 {
    let opts = ScanOptions {
        paths: vec![args.path.clone()],
        config: args.config.clone(),
        select: args.select.clone(),
        ignore: Vec::new(),
        build_output: false,
        cache: true,
    };
    let allowed = |s: Safety| s == Safety::Safe || (args.unsafe_fixes && s == Safety::Suggested);
    let mut total: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut applied_titles = 0usize;
    let mut skipped: Vec<String> = Vec::new();
    let mut not_applied_unsafe = 0usize;
    for pass in 0..PASSES {
        let result = match scan(&opts) {
            Ok(r) => r,
            Err(e) => {
                crate::eprintln_redacted!("error: {e}");
                return EXIT_ERROR;
            }
        };
        let cx = FixCx::new(&result.root);
        let mut chosen = Vec::new();
        not_applied_unsafe = 0;
        for f in &result.findings {
            let fixes = fixes_for(&cx, f);
            match fixes.iter().find(|x| allowed(x.safety)) {
                Some(x) => chosen.push(x.clone()),
                None => {
                    if fixes.iter().any(|x| x.safety == Safety::Suggested) {
                        not_applied_unsafe += 1;
                    }
                }
            }
        }
        if chosen.is_empty() {
            break;
        }
        let mut applied: Applied = plan(&cx, &chosen);
        if args.dry_run {
            applied_titles += applied.applied.len();
            skipped.append(&mut applied.skipped);
            total = applied.files;
            break;
        }
        write(&result.root, &mut applied);
        applied_titles += applied.applied.len();
        skipped.append(&mut applied.skipped);
        let progressed = !applied.files.is_empty();
        for (path, (old, new)) in applied.files {
            total
                .entry(path)
                .and_modify(|e| e.1 = new.clone())
                .or_insert((old, new));
        }
        if applied.conflicts == 0 || !progressed || pass + 1 == PASSES {
            break;
        }
    }
    for s in &skipped {
        crate::eprintln_redacted!("warning: not fixed: {s}");
    }
    if args.dry_run {
        let mut out = String::new();
        for (path, (old, new)) in &total {
            out.push_str(&diff::unified(path, old, new));
        }
        print!("{out}");
        eprintln!(
            "{} fix(es) in {} file(s) would be applied{}",
            applied_titles,
            total.len(),
            unsafe_note(not_applied_unsafe)
        );
        return if total.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_FINDINGS
        };
    }
    eprintln!(
        "Fixed {} finding(s) in {} file(s){}",
        applied_titles,
        total.len(),
        unsafe_note(not_applied_unsafe)
    );
    for path in total.keys() {
        println!("fixed: {}", crate::finding::escape_control(path));
    }
    EXIT_CLEAN
}

fn unsafe_note(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("; {n} more with `--unsafe`")
    }
}
