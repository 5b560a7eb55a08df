//! `clerk-guard history`: the rule's fixtures (git histories replayed from
//! `testdata/secret-key-in-history/*/history.txt`, see the README there), every output format,
//! `--since`, and the repositories that must not break it (bare, empty, shallow, not a repo).

mod common;

use std::path::{Path, PathBuf};

use common::{Expectations, describe, run, testdata};
use serde_json::Value;

const RULE: &str = "secret-key-in-history";

fn git(dir: &Path, args: &[&str]) -> String {
    git_env(dir, args, None)
}

fn git_env(dir: &Path, args: &[&str], date: Option<&str>) -> String {
    let mut cmd = common::git_command(dir, args);
    if let Some(d) = date {
        let stamp = format!("{d}T12:00:00Z");
        cmd.env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp);
    }
    common::git_output(cmd, args)
}

/// Replay a `history.txt` script into a new repository at `dir`; returns the `expect:`
/// markers as (path, line, rule).
fn replay(script: &Path, dir: &Path) -> Expectations {
    let text = std::fs::read_to_string(script).unwrap();
    git(dir, &["init", "-q"]);
    let mut expected = Expectations::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (cmd, rest) = line.split_once(' ').unwrap_or((line, ""));
        match cmd {
            "write" | "untracked" => {
                let mut body = String::new();
                for (i, l) in lines.by_ref().take_while(|l| *l != "end").enumerate() {
                    body.push_str(l);
                    body.push('\n');
                    if let Some(at) = l.find("expect: ") {
                        let id = l[at + 8..].split_whitespace().next().unwrap();
                        expected.insert((rest.to_string(), i + 1, id.to_string()));
                    }
                }
                let path = dir.join(rest);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, body).unwrap();
                if cmd == "write" {
                    git(dir, &["add", "-f", rest]);
                }
            }
            "binary" => {
                // `binary PATH CONTENT [expect: RULE]`: CONTENT after three bytes (a NUL
                // among them), on the file's first line.
                let (path, content) = rest.split_once(' ').unwrap();
                let content = match content.split_once(" // expect: ") {
                    Some((content, rule)) => {
                        expected.insert((path.to_string(), 1, rule.trim().to_string()));
                        content
                    }
                    None => content,
                };
                let mut bytes = vec![0u8, 1, 2];
                bytes.extend_from_slice(content.as_bytes());
                let abs = dir.join(path);
                std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
                std::fs::write(abs, bytes).unwrap();
                git(dir, &["add", "-f", path]);
            }
            "delete" => {
                git(dir, &["rm", "-q", rest]);
            }
            "commit" => {
                let (date, message) = rest.split_once(' ').unwrap();
                git_env(dir, &["commit", "-q", "-m", message], Some(date));
            }
            "branch" => {
                git(dir, &["checkout", "-q", "-b", rest]);
            }
            "checkout" => {
                git(dir, &["checkout", "-q", rest]);
            }
            "merge" => {
                let (branch, date) = rest.split_once(' ').unwrap();
                git_env(
                    dir,
                    &["merge", "-q", "--no-ff", "-m", "Merge", branch],
                    Some(date),
                );
            }
            "tag" => {
                git(dir, &["tag", rest]);
            }
            "delete-branch" => {
                git(dir, &["branch", "-q", "-D", rest]);
            }
            other => panic!("{}: unknown command `{other}`", script.display()),
        }
    }
    expected
}

fn history_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["history", dir.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(out.status == 0 || out.status == 1, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    (out.status, doc)
}

fn found(doc: &Value) -> Expectations {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() as usize,
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn fixture_repo(kind: &str) -> (tempfile::TempDir, PathBuf, Expectations) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(&root).unwrap();
    let expected = replay(&testdata().join(RULE).join(kind).join("history.txt"), &root);
    (dir, root, expected)
}

#[test]
fn fixtures_fail_and_pass() {
    let (_d, root, expected) = fixture_repo("fail");
    assert!(!expected.is_empty());
    let (status, doc) = history_json(&root, &[]);
    let got = found(&doc);
    assert_eq!(
        got,
        expected,
        "fail/: findings differ from `expect:` markers\nexpected:\n{}\nfound:\n{}",
        describe(&expected),
        describe(&got)
    );
    assert_eq!(status, 1);

    let (_d, root, expected) = fixture_repo("pass");
    assert!(expected.is_empty(), "pass/ carries no expect markers");
    let (status, doc) = history_json(&root, &[]);
    assert_eq!(found(&doc), Expectations::new(), "{doc:#}");
    assert_eq!(status, 0);
}

#[test]
fn findings_name_the_commit_that_introduced_the_key() {
    let (_d, root, _) = fixture_repo("fail");
    let (_, doc) = history_json(&root, &[]);
    let first = git(&root, &["rev-list", "--max-parents=0", "HEAD"]);
    let tagged = git(&root, &["rev-list", "-n", "1", "leaked-seed"]);
    for f in doc["findings"].as_array().unwrap() {
        let commit = f["commit"].as_str().unwrap();
        assert!(commit.len() >= 7, "{f}");
        let message = f["message"].as_str().unwrap();
        assert!(message.contains(commit), "{f}");
        match f["path"].as_str().unwrap() {
            "lib/clerk.ts" => {
                assert!(first.starts_with(commit), "{f}");
                assert!(message.contains("(2024-01-01)"), "{f}");
                assert!(
                    message.starts_with("Clerk secret key `sk_live_u8jz…`"),
                    "{f}"
                );
            }
            "scripts/seed.ts" => assert!(tagged.starts_with(commit), "{f}"),
            "config/payments.json" => {
                assert!(message.contains("(Clerk or Stripe format)"), "{f}")
            }
            _ => {}
        }
    }
}

#[test]
fn every_format_and_no_whole_key() {
    let (_d, root, _) = fixture_repo("fail");
    let keys = common::all_fixture_keys();
    let r = root.to_str().unwrap();
    for format in ["human", "json", "sarif", "github", "gitlab"] {
        let out = run(&["history", r, "--format", format, "--color", "always"]);
        assert_eq!(out.status, 1, "{format}: {}", out.stderr);
        assert!(out.stdout.contains("scripts/seed.ts"), "{format}");
        for key in &keys {
            assert!(
                !out.stdout.contains(key.as_str()) && !out.stderr.contains(key.as_str()),
                "{format} output shows a whole key"
            );
        }
        match format {
            "sarif" => {
                let doc: Value = serde_json::from_str(&out.stdout).unwrap();
                let results = doc["runs"][0]["results"].as_array().unwrap();
                assert_eq!(results.len(), 7);
                assert!(results.iter().all(|r| r["ruleId"] == RULE
                    && r["properties"]["commit"].is_string()
                    && r["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64()));
            }
            "gitlab" => {
                let doc: Value = serde_json::from_str(&out.stdout).unwrap();
                assert_eq!(doc.as_array().unwrap().len(), 7);
                assert!(doc[0]["description"].as_str().unwrap().contains("(commit "));
            }
            "github" => assert!(out.stdout.starts_with("::error file="), "{}", out.stdout),
            "human" => assert!(
                out.stdout.contains("secret-key-in-history"),
                "{}",
                out.stdout
            ),
            _ => {}
        }
    }
    // `-q` drops the stderr statistics line; the config can turn the rule off.
    let quiet = run(&["history", r, "-q", "--format", "json"]);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    let loud = run(&["history", r, "--format", "json"]);
    assert!(loud.stderr.contains("scanned "), "{}", loud.stderr);
    let cfg = root.join("off.toml");
    std::fs::write(&cfg, "[rules]\n\"secret-key-in-history\" = \"off\"\n").unwrap();
    let off = run(&["history", r, "--config", cfg.to_str().unwrap()]);
    assert_eq!(off.status, 0, "{}", off.stdout);
}

#[test]
fn since_limits_the_scan_to_newer_commits() {
    let (_d, root, _) = fixture_repo("fail");
    let r = root.to_str().unwrap();
    // Everything up to the payments config is old; the merge, the tag, the admin client and
    // the webhook handler are new.
    let base = git(
        &root,
        &[
            "rev-list",
            "-n",
            "1",
            "--before=2024-01-05T23:00:00Z",
            "main",
        ],
    );
    let base = base.trim();
    let (_, doc) = history_json(&root, &["--since", base]);
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec![
            ".env.production",
            "app/api/webhooks/clerk/route.ts",
            "assets/banner.png",
            "lib/clerk-admin.ts",
            "scripts/seed.ts"
        ]
    );
    // A baseline of today's history: only keys committed later are reported.
    let baseline = root.parent().unwrap().join("history-baseline.json");
    let b = baseline.to_str().unwrap();
    assert_eq!(run(&["history", r, "--write-baseline", b]).status, 0);
    let (status, doc) = history_json(&root, &["--baseline", b]);
    assert_eq!((status, found(&doc)), (0, Expectations::new()));
    std::fs::write(
        root.join("late.ts"),
        "const k = 'sk_live_Tg5Hy8Uj1Ik4Ol7Pz0Xc3Vb6Nm9Qw2Er'\n",
    )
    .unwrap();
    git(&root, &["add", "late.ts"]);
    git_env(&root, &["commit", "-q", "-m", "late"], Some("2024-02-01"));
    let (status, doc) = history_json(&root, &["--baseline", b]);
    assert_eq!(status, 1);
    let got: Vec<String> = found(&doc).into_iter().map(|(p, _, _)| p).collect();
    assert_eq!(got, vec!["late.ts"]);
    std::fs::write(&baseline, "{").unwrap();
    let bad = run(&["history", r, "--baseline", b]);
    assert_eq!(bad.status, 2);
    assert!(
        bad.stderr.contains("history-baseline.json"),
        "{}",
        bad.stderr
    );

    let bad = run(&["history", r, "--since", "no-such-rev"]);
    assert_eq!(bad.status, 2);
    assert!(bad.stderr.contains("no-such-rev"), "{}", bad.stderr);
}

#[test]
fn odd_repositories_do_not_break_it() {
    let (dir, root, _) = fixture_repo("fail");
    let url = format!("file://{}", root.display());
    // Bare clone: all refs, no work tree.
    let bare = dir.path().join("bare.git");
    git(
        dir.path(),
        &["clone", "-q", "--bare", &url, bare.to_str().unwrap()],
    );
    let (status, doc) = history_json(&bare, &[]);
    assert_eq!(status, 1);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 7, "{doc:#}");
    // Shallow clone: the boundary commit counts as introducing its whole tree.
    let shallow = dir.path().join("shallow");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    let (status, doc) = history_json(&shallow, &[]);
    assert_eq!(status, 1);
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"lib/clerk-admin.ts"), "{paths:?}");
    assert!(
        !paths.contains(&"lib/clerk.ts"),
        "deleted before the boundary"
    );
    // Empty repository: nothing to scan.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    git(&empty, &["init", "-q"]);
    let out = run(&["history", empty.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("No problems found"), "{}", out.stdout);
    // Not a repository at all: a usage error.
    let plain = dir.path().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let out = run(&["history", plain.to_str().unwrap()]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );
}
