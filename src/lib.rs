//! clerk-guard: finds the integration mistakes that break Clerk authentication in
//! Next.js apps: leaked secret keys, unprotected handlers, middleware gaps.
//!
//! Pipeline: [`walk`] → [`facts`] (byte-level prefilter, parse only where needed) →
//! [`project::Project`] → [`rules`] → [`finding::Finding`]s → [`report`].

pub mod baseline;
pub mod cache;
pub mod cli;
pub mod config;
pub mod docs;
pub mod engine;
pub mod facts;
pub mod finding;
pub mod fix;
pub mod git;
pub mod history;
pub mod hook;
pub mod init;
pub mod limits;
pub mod lsp;
pub mod overlay;
pub mod parse;
pub mod prefilter;
pub mod probe;
pub mod project;
pub mod queries;
pub mod report;
pub mod routes_cmd;
pub mod rules;
pub mod shared_run;
pub mod source;
pub mod staged;
pub mod suppress;
pub mod walk;

pub use engine::{ScanError, ScanOptions, ScanResult, scan};
pub use finding::{Finding, Severity};

/// Whether stage marks are printed (`CLERK_GUARD_TIMING=marks`).
pub fn marking() -> bool {
    static ON: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
        std::env::var("CLERK_GUARD_TIMING").is_ok_and(|v| v == "marks")
    });
    *ON
}

/// A stage mark for `CLERK_GUARD_TIMING=marks`: milliseconds since the first mark, on stderr,
/// with the resident memory then and its peak so far where the system tells them (Linux).
pub fn mark(label: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    if marking() {
        let t = START.get_or_init(std::time::Instant::now);
        eprintln!(
            "mark {:7.1} ms {} {label}",
            t.elapsed().as_secs_f64() * 1000.0,
            resident().unwrap_or_default()
        );
    }
}

/// `rss N MiB (peak M MiB)` from `/proc/self/status`.
fn resident() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some(format!(
        " rss {:4} MiB (peak {:4} MiB) ",
        field("VmRSS:")? / 1024,
        field("VmHWM:")? / 1024
    ))
}
