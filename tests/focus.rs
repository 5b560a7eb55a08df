//! `scan FILE` builds the middleware and entry models only for the apps that hold the file
//! (`Project::build_focused`). Differential test: on every multi-file fixture, each file's
//! findings from a scan of that file equal its findings from a scan of the whole tree.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clerk_guard::engine::{ScanOptions, scan};

type Found = BTreeSet<(usize, String, String)>;

fn by_file(root: &Path, paths: Vec<PathBuf>) -> BTreeMap<String, Found> {
    let result = scan(&ScanOptions {
        paths,
        ..ScanOptions::default()
    })
    .unwrap_or_else(|e| panic!("scan in {} failed: {e}", root.display()));
    let mut out: BTreeMap<String, Found> = BTreeMap::new();
    for f in &result.findings {
        out.entry(f.path.clone()).or_default().insert((
            f.line().unwrap_or(0),
            f.rule.to_string(),
            f.message.clone(),
        ));
    }
    out
}

#[test]
fn a_file_scan_reports_what_the_tree_scan_reports_for_that_file() {
    let mut compared = 0;
    for dir in common::multi_app_fixtures() {
        let copy = tempfile::tempdir().unwrap();
        common::copy_tree(&dir, copy.path());
        // A repository root, so that a file's scan has the same root as the tree's.
        std::fs::create_dir_all(copy.path().join(".git")).unwrap();
        let root = std::fs::canonicalize(copy.path()).unwrap();
        let whole = by_file(&root, vec![root.clone()]);
        for (rel, expected) in &whole {
            let file = root.join(rel);
            if !file.is_file() || expected.iter().all(|(line, _, _)| *line == 0) {
                continue;
            }
            let alone = by_file(&root, vec![file]);
            let got = alone.get(rel).cloned().unwrap_or_default();
            let expected: Found = expected.iter().filter(|f| f.0 > 0).cloned().collect();
            let got: Found = got.into_iter().filter(|f| f.0 > 0).collect();
            assert_eq!(
                got,
                expected,
                "{}: `scan {rel}` differs from the tree scan",
                dir.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 50, "only {compared} files compared");
}
