//! Shared test helpers: fixture expectations and scans.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clerk_guard::engine::{ScanOptions, scan};

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// The fixtures that hold several apps or files across apps: `testdata/projects/*` and every
/// rule's `fail/` directory with an `apps/` tree.
pub fn multi_app_fixtures() -> Vec<PathBuf> {
    let data = testdata();
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(data.join("projects")).unwrap().flatten() {
        dirs.push(entry.path());
    }
    for entry in std::fs::read_dir(&data).unwrap().flatten() {
        let fail = entry.path().join("fail");
        if fail.join("apps").is_dir() {
            dirs.push(fail);
        }
    }
    dirs.sort();
    dirs
}

/// (path, line, rule) triples.
pub type Expectations = BTreeSet<(String, usize, String)>;

/// Every `expect: <rule>[, <rule>]` marker under `dir`, for the rules in `only` (all if empty).
pub fn expectations(dir: &Path, only: &[&str]) -> Expectations {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let ft = entry.file_type().unwrap();
            if ft.is_dir() {
                stack.push(path);
                continue;
            }
            if !ft.is_file() {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for (i, line) in text.lines().enumerate() {
                let Some(at) = line.find("expect: ") else {
                    continue;
                };
                let rest = &line[at + "expect: ".len()..];
                let ids: String = rest
                    .chars()
                    .take_while(|c| {
                        c.is_ascii_lowercase()
                            || c.is_ascii_digit()
                            || *c == '-'
                            || *c == ','
                            || *c == ' '
                    })
                    .collect();
                for id in ids
                    .split([',', ' '])
                    .filter(|t| t.chars().any(|c| c.is_ascii_lowercase()))
                {
                    if only.is_empty() || only.contains(&id) {
                        out.insert((rel.clone(), i + 1, id.to_string()));
                    }
                }
            }
        }
    }
    out
}

/// Scan `dir` with every rule and return the (path, line, rule) of findings of `only` rules.
/// The tree is scanned as a copy outside this repository: the fixtures are tracked here, and
/// a tracked file counts as committed whatever the fixture's `.gitignore` says.
pub fn found(dir: &Path, only: &[&str]) -> Expectations {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(dir, copy.path());
    let result = scan(&ScanOptions {
        paths: vec![copy.path().to_path_buf()],
        ..ScanOptions::default()
    })
    .unwrap_or_else(|e| panic!("scan of {} failed: {e}", dir.display()));
    result
        .findings
        .iter()
        .filter(|f| only.is_empty() || only.contains(&f.rule))
        .map(|f| (f.path.clone(), f.line().unwrap_or(0), f.rule.to_string()))
        .collect()
}

pub fn describe(set: &Expectations) -> String {
    set.iter()
        .map(|(p, l, r)| format!("  {p}:{l} {r}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Assert that `dir` yields exactly its `expect:` markers for `rule`.
pub fn assert_fixture(dir: &Path, rule: &str) {
    let expected = expectations(dir, &[rule]);
    let got = found(dir, &[rule]);
    if expected != got {
        let missing: Expectations = expected.difference(&got).cloned().collect();
        let extra: Expectations = got.difference(&expected).cloned().collect();
        panic!(
            "{}: findings differ from `expect:` markers\nmissing (expected, not found):\n{}\nunexpected (found, not expected):\n{}",
            dir.display(),
            describe(&missing),
            describe(&extra)
        );
    }
}

/// The built binary.
/// Where the binaries the tests run keep their facts cache.
pub fn test_cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("facts-cache")
}

pub fn bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-guard"));
    cmd.env_remove("NO_COLOR").env("COLUMNS", "100");
    // The facts cache lives beside the test binaries, not in the fixtures under `testdata/`
    // (tests of the cache's own locations set or remove this).
    cmd.env("CLERK_GUARD_CACHE_DIR", test_cache_dir());
    cmd
}

pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Output {
    run_in(None, args)
}

pub fn run_in(dir: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = bin();
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let out = cmd.args(args).output().expect("run clerk-guard");
    Output {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Copy a directory tree (files and directories only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let ft = entry.file_type().unwrap();
        let dest = to.join(entry.file_name());
        // A facts cache that a scan of the fixture left there (the README's first command
        // makes one) is no part of the fixture.
        if entry.file_name() == ".clerk-guard-cache" {
            continue;
        }
        if ft.is_dir() {
            copy_tree(&entry.path(), &dest);
        } else if ft.is_file() {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every full secret key and webhook signing secret written anywhere under `testdata/`.
pub fn all_fixture_keys() -> BTreeSet<String> {
    let re =
        regex::Regex::new(r"sk_(?:live|test)_[A-Za-z0-9]{32,}|whsec_[A-Za-z0-9+/]{32,}").unwrap();
    let mut keys = BTreeSet::new();
    let mut stack = vec![testdata()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                for m in re.find_iter(&text) {
                    keys.insert(m.as_str().to_string());
                }
            }
        }
    }
    keys
}

/// A `git` command for a test repository: fixed identity, branch `main`, no signing, and no
/// `GIT_DIR`/`GIT_INDEX_FILE` leaking in from a hook that runs the tests.
pub fn git_command(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new("git");
    cmd.current_dir(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_AUTHOR_NAME", "Dev")
        .env("GIT_AUTHOR_EMAIL", "dev@example.com")
        .env("GIT_COMMITTER_NAME", "Dev")
        .env("GIT_COMMITTER_EMAIL", "dev@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE");
    cmd
}

/// Run `git` (see [`git_command`]), assert it succeeded, and return its stdout.
pub fn git_output(mut cmd: std::process::Command, args: &[&str]) -> String {
    let out = cmd.output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run `git` in `dir` and return its stdout (asserting success).
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_output(git_command(dir, args), args)
}

/// Write `text` to `rel` under `root`, creating its directories.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The (rule, path) of each finding of a JSON report, in its order.
pub fn rule_paths(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    (
                        f["rule"].as_str().unwrap_or_default().to_string(),
                        f["path"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
