//! The pre-commit front door, exercised as a user does: `git commit` in a temporary repository
//! with (1) the hook that `clerk-guard install-hook` writes, and (2) the real `pre-commit`
//! framework (PyPI) running the hook defined in `.pre-commit-hooks.yaml`. Plus `scan --staged`
//! itself: staged contents win over the work tree, and bare or empty repositories.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{run_in, write};

const LEAK: &str = "sk_live_Nc4Kp8Vd2Rx7Tb1Lm9Qw3Zs6Hy0Gf5Ja";

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_clerk-guard"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `PATH` with the built clerk-guard first, as after `cargo install`.
fn path_with_bin() -> String {
    format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn git_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = common::git_command(dir, args);
    cmd.env("PATH", path_with_bin()).env("NO_COLOR", "1");
    cmd
}

fn git(dir: &Path, args: &[&str]) -> String {
    common::git_output(git_cmd(dir, args), args)
}

/// `git commit`; returns (succeeded, stdout + stderr).
fn commit(dir: &Path, message: &str) -> (bool, String) {
    let out: Output = git_cmd(dir, &["commit", "-m", message]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A small Next.js + Clerk app in a new repository, nothing committed yet.
fn new_app() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap().join("app");
    std::fs::create_dir_all(&root).unwrap();
    git(&root, &["init", "-q"]);
    write(
        &root,
        "package.json",
        "{ \"name\": \"shop\", \"dependencies\": { \"next\": \"15.5.18\", \"@clerk/nextjs\": \"6.9.0\" } }\n",
    );
    write(
        &root,
        "middleware.ts",
        "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware({ authorizedParties: ['https://shop.example.com'] })\n",
    );
    write(
        &root,
        "app/page.tsx",
        "export default function Home() {\n  return <main>shop</main>\n}\n",
    );
    write(&root, ".gitignore", "node_modules/\n.env*.local\n");
    (dir, root)
}

fn leaky_client() -> String {
    format!(
        "import {{ createClerkClient }} from '@clerk/backend'\n\nexport const clerk = createClerkClient({{ secretKey: '{LEAK}' }})\n"
    )
}

/// The lines of a failed build or hook run that say what went wrong (`error…` and the lines
/// after each), first: a CI log keeps the start and the end of a long message.
fn errors_first(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let mut picked = Vec::new();
    // Past the lines picked already: windows of errors close together are not repeated.
    let mut next = 0;
    for (i, line) in lines.iter().enumerate() {
        if i >= next && line.trim_start().starts_with("error") && picked.len() < 60 {
            next = lines.len().min(i + 8);
            picked.extend(lines[i..next].iter().copied());
        }
    }
    if picked.is_empty() {
        return output.to_string();
    }
    format!(
        "errors:\n{}\n\nthe whole output:\n{output}",
        picked.join("\n")
    )
}

fn assert_refused_with_finding(ok: bool, output: &str, rule: &str, path: &str) {
    assert!(!ok, "the commit went through:\n{output}");
    assert!(output.contains(rule), "{}", errors_first(output));
    assert!(output.contains(path), "{output}");
    assert!(output.contains("sk_live_Nc4K…"), "{output}");
    assert!(
        !output.contains(LEAK),
        "a whole key in the output:\n{output}"
    );
}

#[test]
fn install_hook_refuses_leaks_and_passes_clean_commits() {
    let (_d, root) = new_app();
    let out = run_in(Some(&root), &["install-hook"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("installed the pre-commit hook"),
        "{}",
        out.stdout
    );
    let hook = root.join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.contains("scan --staged"));
    // Idempotent.
    let again = run_in(Some(&root), &["install-hook"]);
    assert_eq!(again.status, 0);
    assert!(again.stdout.contains("is up to date"), "{}", again.stdout);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), script);

    // A clean first commit (unborn HEAD) passes.
    git(&root, &["add", "-A"]);
    let (ok, output) = commit(&root, "Initial");
    assert!(ok, "{output}");

    // A leaked key is refused, with the finding shown.
    write(&root, "lib/clerk.ts", &leaky_client());
    git(&root, &["add", "lib/clerk.ts"]);
    let (ok, output) = commit(&root, "Add the Clerk client");
    assert_refused_with_finding(ok, &output, "hardcoded-secret-key", "lib/clerk.ts");

    // What is staged counts, not the work tree: fixing the file without staging the fix...
    write(
        &root,
        "lib/clerk.ts",
        "export const key = process.env.CLERK_SECRET_KEY\n",
    );
    let (ok, output) = commit(&root, "Add the Clerk client");
    assert_refused_with_finding(ok, &output, "hardcoded-secret-key", "lib/clerk.ts");
    // ...and staging it lets the commit through.
    git(&root, &["add", "lib/clerk.ts"]);
    let (ok, output) = commit(&root, "Add the Clerk client");
    assert!(ok, "{output}");

    // A key only in the work tree (not staged) does not block a commit of other files.
    write(&root, "lib/clerk.ts", &leaky_client());
    write(&root, "app/about/page.tsx", "export default () => null\n");
    git(&root, &["add", "app/about/page.tsx"]);
    let (ok, output) = commit(&root, "About page");
    assert!(ok, "{output}");

    // A gitignored .env.local that is force-added is being committed: refused.
    write(&root, ".env.local", &format!("CLERK_SECRET_KEY={LEAK}\n"));
    git(&root, &["add", "-f", ".env.local"]);
    let (ok, output) = commit(&root, "Share env");
    assert_refused_with_finding(ok, &output, "hardcoded-secret-key", ".env.local");
}

#[test]
fn install_hook_respects_foreign_hooks_and_hooks_path() {
    let (_d, root) = new_app();
    let hooks = root.join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::write(hooks.join("pre-commit"), "#!/bin/sh\nnpm test\n").unwrap();
    let out = run_in(Some(&root), &["install-hook"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        "#!/bin/sh\nnpm test\n"
    );
    let out = run_in(Some(&root), &["install-hook", "--force"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.backup")).unwrap(),
        "#!/bin/sh\nnpm test\n"
    );
    assert!(
        std::fs::read_to_string(hooks.join("pre-commit"))
            .unwrap()
            .contains("# clerk-guard pre-commit hook")
    );

    // core.hooksPath (relative to the work tree) is where git looks: the hook goes there.
    git(&root, &["config", "core.hooksPath", ".githooks"]);
    let out = run_in(
        Some(&root.join("app")),
        &["install-hook", root.to_str().unwrap()],
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(root.join(".githooks/pre-commit").is_file());
    git(&root, &["add", "-A"]);
    write(&root, "lib/clerk.ts", &leaky_client());
    git(&root, &["add", "lib/clerk.ts"]);
    let (ok, output) = commit(&root, "Leak");
    assert_refused_with_finding(ok, &output, "hardcoded-secret-key", "lib/clerk.ts");

    // Not a repository, or a bare one: exit 2 with a reason.
    let plain = tempfile::tempdir().unwrap();
    let out = run_in(Some(plain.path()), &["install-hook"]);
    assert_eq!(out.status, 2);
    let bare = plain.path().join("bare.git");
    git(
        plain.path(),
        &["init", "-q", "--bare", bare.to_str().unwrap()],
    );
    let out = run_in(Some(&bare), &["install-hook"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("bare"), "{}", out.stderr);
}

#[test]
fn scan_staged_reports_only_staged_files_from_the_index() {
    let (_d, root) = new_app();
    // The work tree has a leak that is not staged.
    write(&root, "lib/unstaged.ts", &leaky_client());
    git(
        &root,
        &["add", "package.json", "middleware.ts", "app/page.tsx"],
    );
    let out = run_in(Some(&root), &["scan", "--staged", "--format", "json"]);
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 3);
    assert_eq!(doc["findings"], serde_json::json!([]));
    // Staged content differs from the work tree: the index wins.
    write(&root, "lib/staged.ts", &leaky_client());
    git(&root, &["add", "lib/staged.ts"]);
    write(&root, "lib/staged.ts", "export {}\n");
    let out = run_in(
        Some(&root.join("app")),
        &["scan", "--staged", "--format", "json", ".."],
    );
    assert_eq!(out.status, 1);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["lib/staged.ts"]);
    // A directory narrows the report; a file argument is read from the index too.
    let out = run_in(Some(&root), &["scan", "--staged", "app"]);
    assert_eq!(out.status, 0, "{}", out.stdout);
    let out = run_in(Some(&root), &["scan", "--staged", "lib/staged.ts", "-q"]);
    assert_eq!(out.status, 1, "{}", out.stdout);
    // A binary staged file is skipped.
    std::fs::write(root.join("logo.png"), [0u8, 1, 2, 3]).unwrap();
    git(&root, &["add", "logo.png"]);
    let out = run_in(Some(&root), &["scan", "--staged", "logo.png"]);
    assert_eq!(out.status, 0);
    // Outside a repository, or in a bare one: exit 2.
    let plain = tempfile::tempdir().unwrap();
    let out = run_in(Some(plain.path()), &["scan", "--staged"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("git repository"), "{}", out.stderr);
    let bare = plain.path().join("bare.git");
    git(
        plain.path(),
        &["init", "-q", "--bare", bare.to_str().unwrap()],
    );
    let out = run_in(Some(&bare), &["scan", "--staged"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("bare"), "{}", out.stderr);
}

/// A named file whose work-tree copy git knows to hold the staged blob (its metadata is what
/// the index recorded, written well after the file changed) is taken as the model read it, not
/// read from the index again; one that changed after it was staged (even to the same size, its
/// modification time put back) is read from the index.
#[test]
fn scan_staged_takes_unchanged_files_from_the_work_tree() {
    // Without the facts cache each file is looked at again; with it, the metadata the scan
    // took of it serves. A repository of its own for each.
    for cached in [false, true] {
        staged_files_from_the_work_tree(cached);
    }
}

fn staged_files_from_the_work_tree(cached: bool) {
    let (_d, root) = new_app();
    let cache = tempfile::tempdir().unwrap();
    // Files last changed long ago: an index written now is not racy for them.
    let past = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    let write_old = |rel: &str, text: &str| {
        write(&root, rel, text);
        let f = std::fs::File::options()
            .write(true)
            .open(root.join(rel))
            .unwrap();
        f.set_modified(past).unwrap();
    };
    {
        write_old("lib/leak.ts", &leaky_client());
        write_old("lib/other.ts", "export const other = 1\n");
        git(&root, &["add", "-A"]);
        let staged = |args: &[&str]| {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-guard"));
            cmd.current_dir(&root)
                .env("CLERK_GUARD_TIMING", "1")
                .env("CLERK_GUARD_CACHE_DIR", cache.path())
                .args(["scan", "--staged", "--format", "json"])
                .args(if cached { &[][..] } else { &["--no-cache"][..] })
                .args(args);
            let out = cmd.output().unwrap();
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            (
                common::rule_paths(&doc),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        };
        let (found, stderr) = staged(&["lib/leak.ts", "lib/other.ts"]);
        assert_eq!(
            found,
            [(
                "hardcoded-secret-key".to_string(),
                "lib/leak.ts".to_string()
            )],
            "{stderr}"
        );
        assert!(
            stderr.contains("0 file(s) read from the index, 2 as the model read them"),
            "cached {cached}: {stderr}"
        );
        // The work tree changes after staging, to as many bytes and the same modification
        // time: its change time tells, and the index's copy (the leak) is what is checked.
        write_old(
            "lib/leak.ts",
            &("x".repeat(leaky_client().len() - 1) + "\n"),
        );
        let (again, stderr) = staged(&["lib/leak.ts", "lib/other.ts"]);
        assert_eq!(again, found, "{stderr}");
        assert!(
            stderr.contains("1 file(s) read from the index, 1 as the model read them"),
            "cached {cached}: {stderr}"
        );
    }
}

/// A `pre-commit run` whose files pre-commit splits over several command lines: the first
/// process checks every file of the index and keeps the findings, and a later process of the
/// same run (the same parent, index and options) reports its share of them, finding for finding
/// what it would have found alone. Staging a change starts afresh.
#[test]
fn a_split_pre_commit_run_shares_one_analysis() {
    let (_d, root) = new_app();
    write(&root, "lib/leak.ts", &leaky_client());
    // Enough files that their names fill half of one of pre-commit's command lines.
    let many: Vec<String> = (0..1400)
        .map(|i| format!("components/generated/a-rather-long-component-name-{i:04}.ts"))
        .collect();
    for (i, rel) in many.iter().enumerate() {
        write(&root, rel, &format!("export const c{i} = {i}\n"));
    }
    git(&root, &["add", "-A"]);
    let cache = tempfile::tempdir().unwrap();
    let staged = |files: &[&str], pre_commit: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-guard"));
        cmd.current_dir(&root)
            .env("CLERK_GUARD_CACHE_DIR", cache.path())
            .env("CLERK_GUARD_TIMING", "1")
            .env_remove("PRE_COMMIT")
            .args(["scan", "--staged", "--format", "json", "--fail-on", "never"])
            .args(files);
        if pre_commit {
            cmd.env("PRE_COMMIT", "1");
        }
        let out = cmd.output().unwrap();
        let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        doc.as_object_mut().unwrap().remove("elapsed_ms");
        if let Some(s) = doc["summary"].as_object_mut() {
            s.remove("elapsed_ms");
        }
        (doc, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let shared = "the findings of this pre-commit run's first process";
    // The first share names the many files: it checks every file of the index.
    let first: Vec<&str> = many.iter().map(String::as_str).collect();
    let (doc, stderr) = staged(&first, true);
    assert!(!stderr.contains(shared), "{stderr}");
    assert_eq!(doc["summary"]["files"], 1400, "{stderr}");
    assert_eq!(doc["findings"], serde_json::json!([]), "{stderr}");
    // What it keeps holds no key (a finding's anchor is its source line by default).
    for entry in std::fs::read_dir(cache.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes.windows(LEAK.len()).any(|w| w == LEAK.as_bytes()),
            "a whole key in the cache"
        );
    }
    // A later share: from what the first kept, the same as alone.
    let rest = ["lib/leak.ts", "app/page.tsx", "package.json"];
    let (later, stderr) = staged(&rest, true);
    assert!(stderr.contains(shared), "{stderr}");
    let (alone, _) = staged(&rest, false);
    assert_eq!(later, alone);
    assert_eq!(
        common::rule_paths(&later),
        [(
            "hardcoded-secret-key".to_string(),
            "lib/leak.ts".to_string()
        )],
        "{later}"
    );
    // Not under pre-commit: nothing shared.
    let (_, stderr) = staged(&rest, false);
    assert!(!stderr.contains(shared), "{stderr}");
    // A change staged since: the index differs, the run is not the same.
    write(&root, "lib/leak.ts", "export const fixed = true\n");
    git(&root, &["add", "lib/leak.ts"]);
    let (after, stderr) = staged(&rest, true);
    assert!(!stderr.contains(shared), "{stderr}");
    assert_eq!(after["findings"], serde_json::json!([]), "{stderr}");
}

/// `pre-commit`, installed from PyPI if it is missing; `None` (skip) if it cannot be.
fn pre_commit() -> Option<Command> {
    let works = |c: &mut Command| {
        c.arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works(&mut Command::new("pre-commit")) {
        return Some(Command::new("pre-commit"));
    }
    let module = || {
        let mut c = Command::new("python3");
        c.args(["-m", "pre_commit"]);
        c
    };
    if !works(&mut module()) {
        let _ = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "pre-commit"])
            .status();
    }
    works(&mut module()).then(module)
}

/// The hooks of `.pre-commit-hooks.yaml` as a `repo: local` configuration with
/// `language: system` (the installed binary): the same id, entry, types and options that
/// users get by repository URL, without building the crate again inside the test.
fn local_config_from_manifest() -> String {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let mut out = String::from("repos:\n  - repo: local\n    hooks:\n");
    for line in manifest.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let line = line.replace("language: rust", "language: system");
        out.push_str("      ");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn pre_commit_framework_runs_the_published_hook() {
    let Some(_) = pre_commit() else {
        eprintln!("SKIPPED: pre-commit is not installed and `pip install pre-commit` failed");
        return;
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let home = tempfile::tempdir().unwrap();
    let pc = |dir: &Path, args: &[&str]| {
        let mut c = pre_commit().unwrap();
        c.current_dir(dir)
            .args(args)
            .env("PATH", path_with_bin())
            .env("PRE_COMMIT_HOME", home.path())
            .env("NO_COLOR", "1");
        c.output().unwrap()
    };
    let valid = pc(
        Path::new("."),
        &["validate-manifest", manifest.to_str().unwrap()],
    );
    assert!(
        valid.status.success(),
        "{}",
        String::from_utf8_lossy(&valid.stdout)
    );

    let (_d, root) = new_app();
    write(
        &root,
        ".pre-commit-config.yaml",
        &local_config_from_manifest(),
    );
    let installed = pc(&root, &["install"]);
    assert!(
        installed.status.success(),
        "{}{}",
        String::from_utf8_lossy(&installed.stdout),
        String::from_utf8_lossy(&installed.stderr)
    );
    // Each case: files to stage, and the (rule, path) the commit must be refused for.
    struct Case {
        name: &'static str,
        files: Vec<(&'static str, String)>,
        force_add: bool,
        refused_for: Option<(&'static str, &'static str)>,
    }
    let cases = vec![
        Case {
            name: "clean app",
            files: vec![],
            force_add: false,
            refused_for: None,
        },
        Case {
            name: "leaked key",
            files: vec![("lib/clerk.ts", leaky_client())],
            force_add: false,
            refused_for: Some(("hardcoded-secret-key", "lib/clerk.ts")),
        },
        Case {
            name: "key in a client component",
            files: vec![(
                "components/Menu.tsx",
                format!("'use client'\nconst key = '{LEAK}'\nexport const Menu = () => key.length\n"),
            )],
            force_add: false,
            refused_for: Some(("secret-key-in-client", "components/Menu.tsx")),
        },
        Case {
            name: "force-added .env.local",
            files: vec![(".env.local", format!("CLERK_SECRET_KEY={LEAK}\n"))],
            force_add: true,
            refused_for: Some(("hardcoded-secret-key", ".env.local")),
        },
        Case {
            name: "key read from the environment",
            files: vec![(
                "lib/clerk.ts",
                "import { createClerkClient } from '@clerk/backend'\nexport const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })\n".to_string(),
            )],
            force_add: false,
            refused_for: None,
        },
    ];
    for case in cases {
        for (rel, text) in &case.files {
            write(&root, rel, text);
            if case.force_add {
                git(&root, &["add", "-f", rel]);
            } else {
                git(&root, &["add", rel]);
            }
        }
        git(&root, &["add", "-A"]);
        let (ok, output) = commit(&root, case.name);
        match case.refused_for {
            None => assert!(ok, "{}: refused\n{output}", case.name),
            Some((rule, path)) => {
                assert!(output.contains("clerk-guard"), "{}: {output}", case.name);
                assert_refused_with_finding(ok, &output, rule, path);
                // Undo the case so that the next starts clean.
                for (rel, _) in &case.files {
                    git(&root, &["rm", "-q", "--cached", rel]);
                    std::fs::remove_file(root.join(rel)).unwrap();
                }
            }
        }
    }
    // `pre-commit run --all-files` (how CI runs hooks) checks every tracked file.
    let all = pc(&root, &["run", "--all-files"]);
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stdout)
    );
}

/// The hook as users get it by repository URL: `pre-commit try-repo` clones this repository,
/// builds clerk-guard with `language: rust` (`cargo install --path .`, a release build) and runs
/// the hook. Slow (minutes on a cold target directory), so it runs when `CLERK_GUARD_SLOW_TESTS`
/// is set, as `.ci/run` does.
#[test]
fn pre_commit_builds_the_hook_from_the_repository() {
    if std::env::var_os("CLERK_GUARD_SLOW_TESTS").is_none() {
        eprintln!("SKIPPED: set CLERK_GUARD_SLOW_TESTS=1 to build the hook with `language: rust`");
        return;
    }
    let Some(_) = pre_commit() else {
        eprintln!("SKIPPED: pre-commit is not installed and `pip install pre-commit` failed");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    // Kept between runs: the release build of clerk-guard and its dependencies.
    let cargo_target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-cargo-target");
    let (_d, root) = new_app();
    git(&root, &["add", "-A"]);
    git_cmd(&root, &["commit", "-q", "-m", "Initial"])
        .output()
        .unwrap();
    write(&root, "lib/clerk.ts", &leaky_client());
    git(&root, &["add", "lib/clerk.ts"]);
    let try_repo = |files: &[&str]| {
        let mut c = pre_commit().unwrap();
        c.current_dir(&root)
            .args([
                "try-repo",
                env!("CARGO_MANIFEST_DIR"),
                "clerk-guard",
                "--files",
            ])
            .args(files)
            .env("PRE_COMMIT_HOME", home.path())
            .env("CARGO_TARGET_DIR", &cargo_target)
            // pre-commit runs `cargo install` (the release profile); what is tested is that the
            // hook builds and runs, not the optimiser: an unoptimised release build takes a
            // fraction of the time.
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
            .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env("NO_COLOR", "1");
        let out = c.output().unwrap();
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    // One build per call: the clean case is covered by the `language: system` test above.
    let (ok, output) = try_repo(&["lib/clerk.ts", "app/page.tsx"]);
    assert_refused_with_finding(ok, &output, "hardcoded-secret-key", "lib/clerk.ts");
    assert!(output.contains("clerk-guard...."), "{output}");
}

/// Issue 17: a marked hook with the user's own lines, a symlinked hook (husky), a dangling
/// link, and `--force` over an existing backup.
#[test]
fn install_hook_never_loses_a_users_hook() {
    let (_d, root) = new_app();
    let hooks = root.join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    // Our marker plus the user's own line: not ours to rewrite.
    let mixed = "#!/bin/sh\n# clerk-guard pre-commit hook: written by `clerk-guard install-hook`, which rewrites it.\nnpm run lint\nclerk-guard scan --staged\n";
    std::fs::write(hooks.join("pre-commit"), mixed).unwrap();
    let out = run_in(Some(&root), &["install-hook"]);
    assert_eq!(out.status, 2, "{}", out.stdout);
    assert!(out.stderr.contains("npm run lint"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        mixed
    );
    // --force keeps numbered backups and never replaces one.
    std::fs::write(hooks.join("pre-commit.backup"), "older backup\n").unwrap();
    let out = run_in(Some(&root), &["install-hook", "--force"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.backup")).unwrap(),
        "older backup\n"
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.backup.1")).unwrap(),
        mixed
    );
    assert!(out.stdout.contains("pre-commit.backup.1"), "{}", out.stdout);

    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        // A hook that is a symlink to a tracked husky hook: never written through.
        std::fs::remove_file(hooks.join("pre-commit")).unwrap();
        write(&root, ".husky/pre-commit", "npx lint-staged\n");
        symlink(root.join(".husky/pre-commit"), hooks.join("pre-commit")).unwrap();
        let out = run_in(Some(&root), &["install-hook"]);
        assert_eq!(out.status, 2, "{}", out.stdout);
        assert!(out.stderr.contains("symlink"), "{}", out.stderr);
        assert!(
            out.stderr.contains("clerk-guard scan --staged"),
            "the line to add: {}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(root.join(".husky/pre-commit")).unwrap(),
            "npx lint-staged\n"
        );
        let out = run_in(Some(&root), &["install-hook", "--force"]);
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(out.stdout.contains("symlink"), "{}", out.stdout);
        assert_eq!(
            std::fs::read_to_string(root.join(".husky/pre-commit")).unwrap(),
            "npx lint-staged\n"
        );
        assert!(
            !std::fs::symlink_metadata(hooks.join("pre-commit"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A dangling link: nothing is created where it points.
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("evil-hook");
        std::fs::remove_file(hooks.join("pre-commit")).unwrap();
        symlink(&target, hooks.join("pre-commit")).unwrap();
        let out = run_in(Some(&root), &["install-hook"]);
        assert_eq!(out.status, 2, "{}", out.stdout);
        let out = run_in(Some(&root), &["install-hook", "--force"]);
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(
            !target.exists(),
            "a file was written outside the repository"
        );
    }
}
