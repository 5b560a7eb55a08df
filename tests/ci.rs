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

/// Resolve `${{ inputs.NAME }}` (the only expression the run scripts' env uses).
fn resolve(text: &str, inputs: &BTreeMap<String, String>) -> String {
    let re = regex::Regex::new(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}").unwrap();
    re.replace_all(text, |c: &regex::Captures<'_>| {
        inputs.get(&c[1]).cloned().unwrap_or_default()
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
        .env("RUNNER_TEMP", workspace.join(".runner_temp"));
    if let Some(env) = step["env"].as_object() {
        for (k, v) in env {
            cmd.env(k, resolve(v.as_str().unwrap_or(""), inputs));
        }
    }
    let out = cmd.output().unwrap();
    StepRun {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        outputs: std::fs::read_to_string(&output_file).unwrap(),
    }
}

#[test]
fn the_action_scans_writes_sarif_and_fails_on_findings() {
    let Some(action) = action() else { return };
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let named = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"].as_str().is_some_and(|n| n.starts_with(name)))
            .unwrap_or_else(|| panic!("no step {name}"))
    };
    let upload = named("Upload SARIF");
    assert!(
        upload["uses"]
            .as_str()
            .unwrap()
            .starts_with("github/codeql-action/upload-sarif@")
    );
    assert_eq!(upload["with"]["sarif_file"], "${{ inputs.sarif-file }}");
    let mut inputs: BTreeMap<String, String> = action["inputs"]
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
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().to_path_buf();
    copy_tree(&testdata().join("demo-app"), &workspace);
    let bin: PathBuf = Path::new(env!("CARGO_BIN_EXE_clerk-guard"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path_env = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    // Install: clerk-guard is on PATH, so `auto` uses it instead of building.
    let install = run_step(named("Install"), &inputs, &workspace, &path_env);
    assert_eq!(install.status, 0);
    assert!(install.stdout.contains("using "), "{}", install.stdout);

    // Scan: SARIF written, status 1 recorded, annotations printed, the step itself passes.
    let scan = run_step(named("Scan"), &inputs, &workspace, &path_env);
    assert_eq!(scan.status, 0, "{}", scan.stdout);
    assert!(scan.outputs.contains("status=1"), "{}", scan.outputs);
    assert!(
        scan.stdout
            .contains("::error file=lib/clerk-config.ts,line=8"),
        "{}",
        scan.stdout
    );
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.join("clerk-guard.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    // Fail on findings: runs (status 1) and fails the job.
    let fail = named("Fail on findings");
    assert!(fail["if"].as_str().unwrap().contains("status == '1'"));
    assert_eq!(run_step(fail, &inputs, &workspace, &path_env).status, 1);

    // `args` reach clerk-guard: ignoring every group with findings leaves nothing (status 0).
    inputs.insert(
        "args".into(),
        "--ignore secrets,auth,middleware,authz,boundary --fail-on warning".into(),
    );
    let scan = run_step(named("Scan"), &inputs, &workspace, &path_env);
    assert_eq!(scan.status, 0);
    assert!(scan.outputs.contains("status=0"), "{}", scan.outputs);

    // A usage error fails the step with status 2 and an error annotation.
    inputs.insert("path".into(), "no/such/dir".into());
    let scan = run_step(named("Scan"), &inputs, &workspace, &path_env);
    assert_eq!(scan.status, 2);
    assert!(
        scan.stdout.contains("::error title=clerk-guard::"),
        "{}",
        scan.stdout
    );
}
