//! Snapshots of the whole demo app in every format, and SARIF schema validation.

mod common;

use clerk_guard::engine::{ScanOptions, ScanResult, scan};
use clerk_guard::report::{Format, ReportOptions, render};
use common::testdata;

fn demo_result() -> (tempfile::TempDir, ScanResult) {
    // A copy outside this repository: here the app's gitignored `.env.local` is tracked (it
    // is a fixture), and a tracked file counts as committed.
    let copy = tempfile::tempdir().unwrap();
    common::copy_tree(&testdata().join("demo-app"), copy.path());
    let result = scan(&ScanOptions {
        paths: vec![copy.path().to_path_buf()],
        ..ScanOptions::default()
    })
    .expect("scan demo app");
    (copy, result)
}

/// Remove what changes between runs and machines: timings and the absolute root.
fn normalise(text: &str, result: &ScanResult) -> String {
    let root = result.root.to_string_lossy().into_owned();
    let text = text.replace(&root, "<ROOT>");
    let re = regex::Regex::new(r#"("elapsed_ms": )\d+|\(\d+\.\d+s\)"#).unwrap();
    re.replace_all(&text, |c: &regex::Captures<'_>| match c.get(1) {
        Some(p) => format!("{}<ELAPSED>", p.as_str()),
        None => "(<ELAPSED>)".to_string(),
    })
    .into_owned()
}

fn rendered(format: Format) -> String {
    let (_copy, result) = demo_result();
    let out = render(
        format,
        &result,
        &ReportOptions {
            color: false,
            quiet: false,
            width: 80,
        },
    );
    normalise(&out, &result)
}

#[test]
fn demo_app_human() {
    insta::assert_snapshot!(rendered(Format::Human));
}

#[test]
fn demo_app_json() {
    insta::assert_snapshot!(rendered(Format::Json));
}

#[test]
fn demo_app_sarif() {
    insta::assert_snapshot!(rendered(Format::Sarif));
}

#[test]
fn demo_app_github() {
    insta::assert_snapshot!(rendered(Format::Github));
}

fn sarif_schema() -> serde_json::Value {
    let path = testdata().join("sarif/sarif-schema-2.1.0.json");
    if !path.is_file() {
        let status = std::process::Command::new("bash")
            .arg(testdata().join("../scripts/fetch-sarif-schema.sh"))
            .status()
            .expect("run scripts/fetch-sarif-schema.sh");
        assert!(
            status.success(),
            "could not install the SARIF schema (scripts/fetch-sarif-schema.sh)"
        );
    }
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn assert_valid_sarif(doc: &serde_json::Value) {
    let schema = sarif_schema();
    assert_eq!(schema["properties"]["version"]["enum"][0], "2.1.0");
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let (_copy, result) = demo_result();
    let out = render(
        Format::Sarif,
        &result,
        &ReportOptions {
            color: false,
            quiet: true,
            width: 80,
        },
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.starts_with('/'), "URIs are relative to %SRCROOT%");
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "%SRCROOT%"
        );
        assert!(r["partialFingerprints"]["clerkGuard/v1"].is_string());
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], r["ruleId"]);
    }
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
    }
}

#[test]
fn sarif_validates_for_every_fixture() {
    for entry in std::fs::read_dir(testdata()).unwrap().flatten() {
        let fail = entry.path().join("fail");
        if !fail.is_dir() {
            continue;
        }
        let result = scan(&ScanOptions {
            paths: vec![fail],
            ..ScanOptions::default()
        })
        .unwrap();
        let out = render(
            Format::Sarif,
            &result,
            &ReportOptions {
                color: false,
                quiet: true,
                width: 80,
            },
        );
        assert_valid_sarif(&serde_json::from_str(&out).unwrap());
    }
}

#[test]
fn the_schema_check_can_fail() {
    let schema = sarif_schema();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let bad = serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": { "driver": {} }, "results": [{ "level": "fatal" }] }] });
    assert!(validator.iter_errors(&bad).next().is_some());
}
