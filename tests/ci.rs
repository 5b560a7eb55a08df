//! The GitHub Action (`action.yml`): its steps are run the way the Actions runner runs a
//! composite action's `bash` steps (`bash --noprofile --norc -eo pipefail`, `${{ inputs.* }}`
//! resolved, `GITHUB_OUTPUT` and `GITHUB_ACTION_PATH` set), with clerk-guard already on `PATH`
//! (so the install step finds it) and the upload step, which needs GitHub, checked for shape.
//! YAML is read with PyYAML (a dependency of pre-commit); the test is skipped without it.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_tree, testdata};
use serde_json::Value;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Option<Value> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(manifest_dir().join("action.yml"))
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "SKIPPED: cannot read YAML (python3 with PyYAML): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(serde_json::from_slice(&out.stdout).expect("JSON from PyYAML"))
}

/// Resolve `${{ inputs.NAME }}`, and any other `${{ expr }}` of the run scripts' env from
/// `inputs` under the whole expression (`steps.upload.outcome`, `github.event...`).
fn resolve(text: &str, inputs: &BTreeMap<String, String>) -> String {
    let re = regex::Regex::new(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}").unwrap();
    re.replace_all(text, |c: &regex::Captures<'_>| {
        let expr = &c[1];
        let key = expr.strip_prefix("inputs.").unwrap_or(expr);
        inputs.get(key).cloned().unwrap_or_default()
    })
    .into_owned()
}

struct StepRun {
    status: i32,
    stdout: String,
    outputs: String,
}

fn run_step(
    step: &Value,
    inputs: &BTreeMap<String, String>,
    workspace: &Path,
    path_env: &str,
) -> StepRun {
    assert_eq!(step["shell"], "bash", "{step}");
    let output_file = workspace.join(".github_output");
    std::fs::write(&output_file, "").unwrap();
    let mut cmd = Command::new("bash");
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
        .arg(step["run"].as_str().unwrap())
        .current_dir(workspace)
        .env("PATH", path_env)
        .env("GITHUB_OUTPUT", &output_file)
        .env("GITHUB_PATH", workspace.join(".github_path"))
        .env("GITHUB_ACTION_PATH", manifest_dir())
        .env("GITHUB_WORKSPACE", workspace)
        .env(
            "GITHUB_STEP_SUMMARY",
            workspace.join(".runner_temp/summary.md"),
        )
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", workspace.join(".runner_temp"));
    std::fs::create_dir_all(workspace.join(".runner_temp")).unwrap();
    // Runner environment the test sets itself: `ENV:NAME` entries of `inputs`.
    for (k, v) in inputs {
        if let Some(name) = k.strip_prefix("ENV:") {
            cmd.env(name, v);
        }
    }
    if let Some(env) = step["env"].as_object() {
        for (k, v) in env {
            cmd.env(k, resolve(v.as_str().unwrap_or(""), inputs));
        }
    }
    let out = cmd.output().unwrap();
    StepRun {
        status: out.status.code().unwrap_or(-1),
        stdout: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        outputs: std::fs::read_to_string(&output_file).unwrap(),
    }
}

fn steps(action: &Value) -> Vec<Value> {
    action["runs"]["steps"].as_array().unwrap().clone()
}

fn named<'a>(steps: &'a [Value], name: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["name"].as_str().is_some_and(|n| n.starts_with(name)))
        .unwrap_or_else(|| panic!("no step {name}"))
}

fn default_inputs(action: &Value) -> BTreeMap<String, String> {
    action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let default = match &v["default"] {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k.clone(), default)
        })
        .collect()
}

/// `PATH` with the built clerk-guard first.
fn path_with_binary() -> String {
    let bin: PathBuf = Path::new(env!("CARGO_BIN_EXE_clerk-guard"))
        .parent()
        .unwrap()
        .to_path_buf();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// The value of `name=` in a step's `GITHUB_OUTPUT`.
fn output<'a>(run: &'a StepRun, name: &str) -> &'a str {
    run.outputs
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no output {name}: {}", run.outputs))
}

#[test]
fn the_action_scans_writes_sarif_and_fails_on_findings() {
    let Some(action) = action() else { return };
    assert_eq!(action["runs"]["using"], "composite");
    let steps = steps(&action);
    let upload = named(&steps, "Upload SARIF");
    assert!(
        upload["uses"]
            .as_str()
            .unwrap()
            .starts_with("github/codeql-action/upload-sarif@")
    );
    assert_eq!(
        upload["with"]["sarif_file"],
        "${{ steps.scan.outputs.sarif-file }}"
    );
    assert_eq!(upload["continue-on-error"], true);
    assert!(upload["if"].as_str().unwrap().contains("fork"));
    // Nothing is compiled.
    assert!(
        !action
            .to_string()
            .contains("--path \\\"$GITHUB_ACTION_PATH")
    );
    assert!(!action.to_string().contains("cargo build"));
    let mut inputs = default_inputs(&action);

    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().to_path_buf();
    copy_tree(&testdata().join("demo-app"), &workspace);
    let path_env = path_with_binary();

    // Install: clerk-guard of the Action's version is on PATH, so `auto` uses it.
    let install = run_step(named(&steps, "Install"), &inputs, &workspace, &path_env);
    assert_eq!(install.status, 0, "{}", install.stdout);
    assert!(install.stdout.contains("using "), "{}", install.stdout);
    assert_eq!(output(&install, "version"), env!("CARGO_PKG_VERSION"));

    // Scan: SARIF written outside the tree, status 1 recorded, annotations printed errors
    // first, a job summary, and the step itself passes.
    let scan = run_step(named(&steps, "Scan"), &inputs, &workspace, &path_env);
    assert_eq!(scan.status, 0, "{}", scan.stdout);
    assert_eq!(output(&scan, "status"), "1");
    let sarif_path = PathBuf::from(output(&scan, "sarif-file"));
    assert_eq!(sarif_path, workspace.join(".runner_temp/clerk-guard.sarif"));
    assert!(
        scan.stdout
            .contains("::error file=lib/clerk-config.ts,line=8"),
        "{}",
        scan.stdout
    );
    let kinds: Vec<&str> = scan
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("::")?.split(' ').next())
        .collect();
    let first_warning = kinds.iter().position(|k| *k == "warning").unwrap();
    let last_error = kinds.iter().rposition(|k| *k == "error").unwrap();
    assert!(last_error < first_warning, "errors first: {kinds:?}");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let summary = std::fs::read_to_string(workspace.join(".runner_temp/summary.md")).unwrap();
    assert!(summary.contains("## clerk-guard"), "{summary}");
    assert!(
        summary.contains("| `hardcoded-secret-key` | 1 |"),
        "{summary}"
    );
    assert!(
        summary.contains("| error | `secret-key-in-client` | `lib/clerk-config.ts:8` |"),
        "{summary}"
    );

    // Fail on findings: runs (status 1) and fails the job.
    let fail = named(&steps, "Fail on findings");
    assert!(fail["if"].as_str().unwrap().contains("status == '1'"));
    assert_eq!(run_step(fail, &inputs, &workspace, &path_env).status, 1);

    // The upload could not happen: the step says so, and why.
    let report = named(&steps, "Report the SARIF upload");
    inputs.insert("steps.upload.outcome".into(), "failure".into());
    let said = run_step(report, &inputs, &workspace, &path_env);
    assert_eq!(said.status, 0);
    assert!(
        said.stdout
            .contains("::notice title=clerk-guard::SARIF not uploaded"),
        "{}",
        said.stdout
    );
    assert!(
        said.stdout.contains("security-events: write"),
        "{}",
        said.stdout
    );
    inputs.insert(
        "github.event.pull_request.head.repo.fork".into(),
        "true".into(),
    );
    let said = run_step(report, &inputs, &workspace, &path_env);
    assert!(said.stdout.contains("fork"), "{}", said.stdout);

    // `args` may carry any scan option: `-q`, `--format`, `--output` do not break either pass.
    inputs.insert(
        "args".into(),
        "-q --format human --output elsewhere.txt".into(),
    );
    let scan = run_step(named(&steps, "Scan"), &inputs, &workspace, &path_env);
    assert_eq!(scan.status, 0, "{}", scan.stdout);
    assert_eq!(output(&scan, "status"), "1");
    assert!(
        scan.stdout
            .contains("::error file=lib/clerk-config.ts,line=8"),
        "{}",
        scan.stdout
    );

    // `args` reach clerk-guard: ignoring every group with findings leaves nothing (status 0).
    inputs.insert(
        "args".into(),
        "--ignore secrets,auth,middleware,authz,boundary --fail-on warning".into(),
    );
    let scan = run_step(named(&steps, "Scan"), &inputs, &workspace, &path_env);
    assert_eq!(scan.status, 0);
    assert_eq!(output(&scan, "status"), "0");

    // A usage error fails the step with status 2 and an error annotation.
    inputs.insert("path".into(), "no/such/dir".into());
    let scan = run_step(named(&steps, "Scan"), &inputs, &workspace, &path_env);
    assert_eq!(scan.status, 2);
    assert!(
        scan.stdout.contains("::error title=clerk-guard::"),
        "{}",
        scan.stdout
    );
}

/// A monorepo: `path: apps/web`. Annotations and SARIF name `apps/web/...` (relative to the
/// repository root), and a report left in the tree by an earlier run is not scanned.
#[test]
fn the_action_reports_repository_paths_for_a_subdirectory() {
    let Some(action) = action() else { return };
    let steps = steps(&action);
    let mut inputs = default_inputs(&action);
    inputs.insert("path".into(), "apps/web".into());
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().to_path_buf();
    copy_tree(&testdata().join("demo-app"), &workspace.join("apps/web"));
    let path_env = path_with_binary();
    let scan = run_step(named(&steps, "Scan"), &inputs, &workspace, &path_env);
    assert_eq!(scan.status, 0, "{}", scan.stdout);
    assert!(
        scan.stdout
            .contains("::error file=apps/web/lib/clerk-config.ts,line=8"),
        "{}",
        scan.stdout
    );
    let sarif_path = PathBuf::from(output(&scan, "sarif-file"));
    let sarif_text = std::fs::read_to_string(&sarif_path).unwrap();
    assert!(
        sarif_text.contains("\"uri\": \"apps/web/lib/clerk-config.ts\""),
        "{sarif_text}"
    );
    // An earlier run's reports inside the scanned tree: never scanned.
    std::fs::copy(&sarif_path, workspace.join("apps/web/clerk-guard.sarif")).unwrap();
    inputs.insert("sarif-file".into(), "apps/web/report.sarif".into());
    let again = run_step(named(&steps, "Scan"), &inputs, &workspace, &path_env);
    assert_eq!(again.status, 0, "{}", again.stdout);
    let count = |s: &str| s.lines().filter(|l| l.starts_with("::")).count();
    assert_eq!(
        count(&again.stdout),
        count(&scan.stdout),
        "{}",
        again.stdout
    );
    assert!(!again.stdout.contains(".sarif"), "{}", again.stdout);
    let again = run_step(named(&steps, "Scan"), &inputs, &workspace, &path_env);
    assert_eq!(
        count(&again.stdout),
        count(&scan.stdout),
        "{}",
        again.stdout
    );
}

/// Without a matching clerk-guard on PATH the release archive is downloaded and its checksum
/// checked (here from a local directory standing in for the GitHub release); a wrong checksum
/// fails the step.
#[test]
fn the_action_installs_the_release_binary_and_checks_it() {
    let Some(action) = action() else { return };
    let steps = steps(&action);
    let install = named(&steps, "Install");
    let version = env!("CARGO_PKG_VERSION");
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("ws");
    std::fs::create_dir_all(&workspace).unwrap();
    let release = dir.path().join("release");
    let name = format!("clerk-guard-v{version}-x86_64-unknown-linux-musl");
    std::fs::create_dir_all(release.join(format!("v{version}")).join(&name)).unwrap();
    // A stand-in binary: what is tested is the download, the checksum and the unpacking.
    let fake = release.join(format!("v{version}/{name}/clerk-guard"));
    std::fs::write(&fake, format!("#!/bin/sh\necho 'clerk-guard {version}'\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let sh = |script: &str| {
        let out = Command::new("bash")
            .args(["-c", script])
            .current_dir(release.join(format!("v{version}")))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    sh(&format!(
        "tar -czf {name}.tar.gz {name} && rm -r {name} && sha256sum {name}.tar.gz > {name}.tar.gz.sha256"
    ));
    let mut inputs = default_inputs(&action);
    inputs.insert("install".into(), "always".into());
    inputs.insert(
        "ENV:CLERK_GUARD_DOWNLOAD_BASE".into(),
        format!("file://{}", release.display()),
    );
    let path_env = std::env::var("PATH").unwrap_or_default();
    let run = run_step(install, &inputs, &workspace, &path_env);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("clerk-guard {version}")),
        "{}",
        run.stdout
    );
    let added = std::fs::read_to_string(workspace.join(".github_path")).unwrap();
    assert!(
        Path::new(added.trim()).join("clerk-guard").is_file(),
        "{added}"
    );
    // A tampered archive: the checksum no longer matches, the step fails.
    sh(&format!("echo 0000 > {name}.tar.gz.sha256"));
    let run = run_step(install, &inputs, &workspace, &path_env);
    assert_eq!(run.status, 2, "{}", run.stdout);
    assert!(run.stdout.contains("checksum mismatch"), "{}", run.stdout);
    // A version that was never released: the step names it.
    inputs.insert("version".into(), "0.0.0-none".into());
    let run = run_step(install, &inputs, &workspace, &path_env);
    assert_eq!(run.status, 2, "{}", run.stdout);
    assert!(run.stdout.contains("v0.0.0-none"), "{}", run.stdout);
}
