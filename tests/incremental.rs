//! The editor's model is updated from the changed file only (`Project::upsert`): the apps the
//! edit can reach are analysed again, the others kept. Differential test: on every multi-app
//! fixture, after each edit of a file that mentions auth (and after undoing it), the updated
//! model reports exactly what a model built from scratch reports, finding for finding, and
//! its authorization readings of every entry (`Project::entry_ops`) are the same.

mod common;

use std::path::Path;

use clerk_guard::config::Config;
use clerk_guard::engine::{self, RuleSet};
use clerk_guard::project::{Analysis, Project};
use clerk_guard::source::{FileKind, InputFile};

fn load(root: &Path) -> Project {
    engine::load_project_for(root, Config::default(), true, Analysis::AllApps).0
}

fn findings(project: &Project) -> Vec<String> {
    let rules = RuleSet::new(&Config::default(), &[], &[]).unwrap();
    let mut out: Vec<String> = engine::check(project, &rules, None)
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f.rule,
                f.path,
                f.line().unwrap_or(0),
                f.message
            )
        })
        .collect();
    out.sort();
    out
}

/// Put the file's text on disk into `project` the way the editor does.
fn upsert_from_disk(project: &mut Project, root: &Path, rel: &str) {
    let input = InputFile {
        rel: rel.to_string(),
        abs: root.join(rel),
        kind: FileKind::classify(rel),
        origin: project.file(rel).unwrap().origin,
    };
    let facts = engine::read_facts(&input).unwrap().unwrap();
    project.upsert(facts);
}

#[test]
fn an_updated_model_reports_what_a_fresh_one_does() {
    let mut compared = 0;
    for dir in common::multi_app_fixtures() {
        let copy = tempfile::tempdir().unwrap();
        common::copy_tree(&dir, copy.path());
        let root = std::fs::canonicalize(copy.path()).unwrap();
        let mut project = load(&root);
        let rels: Vec<String> = project
            .files
            .iter()
            .filter(|f| matches!(f.kind, FileKind::Script(_)))
            .map(|f| f.rel.to_string())
            .collect();
        for rel in rels {
            let path = root.join(&rel);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if !text.contains("auth") {
                continue;
            }
            // Calls and imports of `auth` stop being Clerk's.
            for (step, content) in [("edited", text.replace("auth", "auxh")), ("undone", text)] {
                std::fs::write(&path, &content).unwrap();
                upsert_from_disk(&mut project, &root, &rel);
                let fresh_model = load(&root);
                let fresh = findings(&fresh_model);
                let updated = findings(&project);
                assert_eq!(
                    updated,
                    fresh,
                    "{}: {rel} {step}: the updated model differs from a fresh one",
                    dir.display()
                );
                // What the authorization rules read of each entry, kept or computed again.
                assert_eq!(
                    format!("{:?}", project.entry_ops()),
                    format!("{:?}", fresh_model.entry_ops()),
                    "{}: {rel} {step}",
                    dir.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 50, "only {compared} edits compared");
}

/// The editor's refresh after an edit, on a real tree, for profiling: five route files open,
/// one of them edited again and again (a comment line added, then taken away), each edit put
/// into the model (`upsert`) and the open files checked, as the language server does.
/// `CLERK_GUARD_BENCH_DIR=/path cargo test --release --test incremental edit_loop -- --ignored --nocapture`
/// (`CLERK_GUARD_BENCH_EDITS` edits, 40 unless set).
#[test]
#[ignore]
fn edit_loop() {
    let Ok(dir) = std::env::var("CLERK_GUARD_BENCH_DIR") else {
        eprintln!("set CLERK_GUARD_BENCH_DIR");
        return;
    };
    let edits: usize = std::env::var("CLERK_GUARD_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let root = std::fs::canonicalize(dir).unwrap();
    let mut project = load(&root);
    let mut open: Vec<String> = project
        .files
        .iter()
        .map(|f| f.rel.to_string())
        .filter(|r| r.ends_with("/route.ts") && r.contains("/app/"))
        .collect();
    open.truncate(5);
    let texts: Vec<String> = open
        .iter()
        .map(|r| std::fs::read_to_string(root.join(r)).unwrap())
        .collect();
    let facts_of = |project: &Project, rel: &str, text: &str| {
        let input = clerk_guard::overlay::input_for(project, rel);
        clerk_guard::overlay::facts_for(&input, text.as_bytes().to_vec()).unwrap()
    };
    let all = open
        .iter()
        .zip(&texts)
        .map(|(r, t)| facts_of(&project, r, t))
        .collect();
    project.upsert_all(all);
    let rules = RuleSet::new(&Config::default(), &[], &[]).unwrap();
    let filter = engine::ReportFilter::new(open.clone(), Vec::new());
    engine::check(&project, &rules, Some(&filter));
    // CPU time of the process (every thread), in clock ticks, where `/proc` tells it.
    let cpu_ticks = || -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    };
    let cpu_start = cpu_ticks();
    let mut times = Vec::new();
    for k in 0..edits {
        let text = if k % 2 == 0 {
            format!("{}// edited\n", texts[0])
        } else {
            texts[0].clone()
        };
        let t0 = std::time::Instant::now();
        let facts = facts_of(&project, &open[0], &text);
        project.upsert(facts);
        let found = engine::check(&project, &rules, Some(&filter));
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(found);
    }
    let cpu = cpu_start
        .zip(cpu_ticks())
        .map(|(a, b)| {
            format!(
                ", {:.1} ms of CPU each",
                (b - a) as f64 * 10.0 / edits as f64
            )
        })
        .unwrap_or_default();
    times.sort_by(f64::total_cmp);
    println!(
        "{} edits of {}: median {:.1} ms (min {:.1}, max {:.1}){cpu}",
        edits,
        open[0],
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
