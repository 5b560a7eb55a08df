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

/// A stage mark for `CLERK_GUARD_TIMING=marks`: milliseconds since the first mark, on stderr.
pub fn mark(label: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    if marking() {
        let t = START.get_or_init(std::time::Instant::now);
        eprintln!(
            "mark {:7.1} ms  {label}",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}
