//! One analysis for a whole `pre-commit run`. pre-commit passes a hook its files on command
//! lines of at most 128 KiB, so `pre-commit run --all-files` on a large repository starts
//! `clerk-guard scan --staged` once per few thousand files, one after another, and each would
//! build and analyse the project model again. When the files named fill a good part of such a
//! command line (the run is split), the first of these processes checks every file of the index
//! and keeps the findings; the others of the same run report their share of them.
//!
//! The same run: the same pre-commit process (the parent, by process id and start time), the
//! same git index (its metadata) and `HEAD`, the same binary and the same options. pre-commit
//! runs a hook's command lines back to back on a tree it holds still (it stashes what is not
//! staged), so what the first process saw is what the others would. Outside pre-commit (no
//! `PRE_COMMIT` in the environment), without the facts cache, or where the parent's start time
//! cannot be read, nothing is shared.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::finding::{Finding, Range, Related, Severity, Span};

/// Half of pre-commit's longest command line: named files whose paths add up to this much
/// come from a run that pre-commit splits.
const SPLIT_NAMES_BYTES: usize = 64 * 1024;

/// The run this process belongs to, and where its findings are kept.
pub struct SharedRun {
    file: PathBuf,
    key: u64,
}

/// What the first process of a run found, for every file of the index.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Memo {
    key: u64,
    /// Every file of the index it covered (named or not), and whether it checked it (a staged
    /// file it could read, as `scan --staged` counts them).
    files: Vec<(String, bool)>,
    findings: Vec<StoredFinding>,
}

impl SharedRun {
    /// The run of this `scan --staged` under pre-commit; `None` outside one (see the module).
    pub fn of(
        repo: &gix::Repository,
        root: &Path,
        options: &crate::engine::ScanOptions,
    ) -> Option<SharedRun> {
        std::env::var_os("PRE_COMMIT")?;
        if !options.cache {
            return None;
        }
        let parent = parent_run()?;
        let index = std::fs::metadata(repo.index_path())
            .ok()
            .map(|m| crate::cache::StatKey::of(&m));
        let head = repo
            .head_id()
            .map(|id| id.detach().to_string())
            .unwrap_or_default();
        let facts = crate::cache::location(root)?;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut add = |s: &str| {
            h.update(s.as_bytes());
            h.update(&[0]);
        };
        add(&format!("{parent:?}"));
        add(&format!("{index:?}"));
        add(&head);
        add(&root.to_string_lossy());
        add(&format!("{:016x}", crate::cache::build_key()));
        add(&format!(
            "{:?} {:?} {:?} {:?}",
            options.select, options.ignore, options.config, options.build_output
        ));
        Some(SharedRun {
            file: crate::cache::sibling_file(&facts, "run-"),
            key: h.digest(),
        })
    }

    /// Whether the files named are a share of a split run: the first process to miss the memo
    /// then checks every file of the index for the others.
    pub fn is_split(named: &[String]) -> bool {
        named.iter().map(|n| n.len() + 1).sum::<usize>() >= SPLIT_NAMES_BYTES
    }

    /// What an earlier process of this run kept, when it covers every file of `named`.
    pub fn load(&self, named: &[String]) -> Option<Memo> {
        let memo: Memo = crate::cache::load_checked(&self.file)?;
        (memo.key == self.key)
            .then_some(memo)
            // (A file a later share names and the first never saw: check it afresh.)
            .filter(|m| {
                let seen: HashSet<&str> = m.files.iter().map(|(p, _)| p.as_str()).collect();
                named.iter().all(|n| seen.contains(n.as_str()))
            })
    }

    /// Keep what this process found of every file of the index it `covered` (of which it
    /// `checked` some) for the rest of the run.
    pub fn save(&self, covered: Vec<String>, checked: impl Fn(&str) -> bool, findings: &[Finding]) {
        let memo = Memo {
            key: self.key,
            files: covered
                .into_iter()
                .map(|p| {
                    let c = checked(&p);
                    (p, c)
                })
                .collect(),
            findings: findings.iter().map(StoredFinding::from).collect(),
        };
        crate::cache::save_checked(&self.file, &memo);
    }
}

impl Memo {
    /// How many of the files `wanted` accepts the first process checked.
    pub fn checked(&self, wanted: impl Fn(&str) -> bool) -> usize {
        self.files.iter().filter(|(p, c)| *c && wanted(p)).count()
    }

    /// The findings in the files `wanted` accepts.
    pub fn findings(&self, wanted: impl Fn(&str) -> bool) -> Vec<Finding> {
        self.findings
            .iter()
            .filter(|f| wanted(&f.path))
            .filter_map(StoredFinding::to_finding)
            .collect()
    }
}

/// The pre-commit process that started this one: its id and start time (ticks since boot),
/// so that a later process given the same id is another run. Linux only (`/proc`).
fn parent_run() -> Option<(u32, u64)> {
    #[cfg(target_os = "linux")]
    {
        let pid = std::os::unix::process::parent_id();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        Some((pid, start_time(&stat)?))
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// A `Range` as the memo keeps it: (line, column, end line, end column).
type StoredRange = (usize, usize, usize, usize);

/// A related location as the memo keeps it: (path, span, range, message).
type StoredRelated = (String, Option<Span>, Option<StoredRange>, String);

/// A process's start time (field 22) in its `/proc/<pid>/stat` line. The command name (field
/// 2) is in parentheses and may hold spaces and parentheses: fields are counted after the last
/// `)`.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn start_time(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// A finding as the memo keeps it (every field, the rule by its id).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredFinding {
    rule: String,
    severity: Severity,
    path: String,
    span: Option<Span>,
    range: Option<StoredRange>,
    message: String,
    help: String,
    symbol: Option<String>,
    route: Option<String>,
    related: Vec<StoredRelated>,
    label: Option<String>,
    anchor: Option<String>,
    fingerprint: String,
    commit: Option<String>,
}

fn range_parts(r: Option<Range>) -> Option<StoredRange> {
    r.map(|r| (r.line, r.column, r.end_line, r.end_column))
}

fn range_of(p: Option<StoredRange>) -> Option<Range> {
    p.map(|(line, column, end_line, end_column)| Range {
        line,
        column,
        end_line,
        end_column,
    })
}

impl From<&Finding> for StoredFinding {
    fn from(f: &Finding) -> StoredFinding {
        StoredFinding {
            rule: f.rule.to_string(),
            severity: f.severity,
            path: f.path.clone(),
            span: f.span,
            range: range_parts(f.range),
            message: f.message.clone(),
            help: f.help.clone(),
            symbol: f.symbol.clone(),
            route: f.route.clone(),
            related: f
                .related
                .iter()
                .map(|r| {
                    (
                        r.path.clone(),
                        r.span,
                        range_parts(r.range),
                        r.message.clone(),
                    )
                })
                .collect(),
            label: f.label.clone(),
            anchor: f.anchor.clone(),
            fingerprint: f.fingerprint.clone(),
            commit: f.commit.clone(),
        }
    }
}

impl StoredFinding {
    /// The finding back; `None` for a rule this binary does not have.
    fn to_finding(&self) -> Option<Finding> {
        let rule = crate::rules::find_rule(&self.rule)?.meta().id;
        let mut f = Finding::new(rule, self.severity, self.path.clone());
        f.span = self.span;
        f.range = range_of(self.range);
        f.message = self.message.clone();
        f.help = self.help.clone();
        f.symbol = self.symbol.clone();
        f.route = self.route.clone();
        f.related = self
            .related
            .iter()
            .map(|(path, span, range, message)| Related {
                path: path.clone(),
                span: *span,
                range: range_of(*range),
                message: message.clone(),
            })
            .collect();
        f.label = self.label.clone();
        f.anchor = self.anchor.clone();
        f.fingerprint = self.fingerprint.clone();
        f.commit = self.commit.clone();
        Some(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_counts_fields_after_the_command_name() {
        let line = |comm: &str| {
            format!(
                "4242 ({comm}) S 1 4242 4242 0 -1 4194560 917 0 0 0 3 1 0 0 20 0 1 0 987654 1000 10 0"
            )
        };
        assert_eq!(start_time(&line("pre-commit")), Some(987_654));
        assert_eq!(start_time(&line("a (b) c")), Some(987_654));
        assert_eq!(start_time("4242 (x) S 1 2"), None);
        assert_eq!(start_time("garbage"), None);
    }

    /// Names that fill half of one of pre-commit's command lines make a split run.
    #[test]
    fn a_split_run_by_the_length_of_its_names() {
        let names = |n: usize| -> Vec<String> { (0..n).map(|i| format!("{i:063}")).collect() };
        assert!(!SharedRun::is_split(&names(1023)));
        assert!(SharedRun::is_split(&names(1024)));
    }

    /// A finding survives the memo whole, related locations included.
    #[test]
    fn findings_round_trip() {
        let mut f = Finding::new(
            "unprotected-route-handler",
            Severity::Error,
            "app/api/x/route.ts",
        )
        .at(Span::new(3, 9))
        .message("m")
        .help("h")
        .symbol("GET")
        .route("/api/x")
        .label("open")
        .anchor("GET /api/x")
        .related("middleware.ts", Some(Span::new(0, 4)), "the middleware");
        f.range = Some(Range {
            line: 1,
            column: 4,
            end_line: 1,
            end_column: 10,
        });
        f.fingerprint = "abc".into();
        let back = StoredFinding::from(&f).to_finding().unwrap();
        assert_eq!(back, f);
        let unknown = StoredFinding {
            rule: "no-such-rule".into(),
            ..StoredFinding::from(&f)
        };
        assert!(unknown.to_finding().is_none());
    }
}
