//! Adopting clerk-guard on an existing app: `--write-baseline` / `--baseline`, and the CI
//! report formats (`--format gitlab`).

mod common;

use std::path::Path;

use common::{copy_tree, run, testdata};
use serde_json::Value;

fn findings(out: &str) -> Vec<(String, String)> {
    let doc: Value = serde_json::from_str(out).expect("one JSON document");
    common::rule_paths(&doc)
}

fn edit(path: &Path, f: impl FnOnce(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(&text)).unwrap();
}

#[test]
fn moving_code_keeps_findings_baselined_and_new_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    copy_tree(&testdata().join("demo-app"), &app);
    let a = app.to_str().unwrap();
    let baseline = dir.path().join("clerk-guard-baseline.json");
    let b = baseline.to_str().unwrap();

    let before = run(&["scan", a, "--format", "json"]);
    assert_eq!(before.status, 1);
    let known = findings(&before.stdout);
    assert!(known.len() >= 4);

    let out = run(&["scan", a, "--write-baseline", b]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("wrote {} findings", known.len())),
        "{}",
        out.stderr
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(doc["version"], 1);
    let entries = doc["findings"].as_array().unwrap();
    assert_eq!(entries.len(), known.len());
    for e in entries {
        for field in ["rule", "path", "fingerprint"] {
            assert!(e[field].is_string(), "{e}");
        }
    }
    // A baseline never holds a key.
    for key in common::all_fixture_keys() {
        assert!(!doc.to_string().contains(&key));
    }

    let out = run(&["scan", a, "--baseline", b, "--format", "json"]);
    assert_eq!(out.status, 0, "{}", out.stdout);
    assert_eq!(findings(&out.stdout), vec![]);
    assert!(
        out.stderr.contains("in the baseline not reported"),
        "{}",
        out.stderr
    );

    // Move code: lines inserted above, the key's line re-indented, the block moved down.
    let menu = app.join("lib/clerk-config.ts");
    edit(&menu, |t| {
        let t = format!("// Shared Clerk settings.\n\n{t}");
        t.replace("secretKey: 'sk_", "      secretKey:   'sk_")
    });
    edit(&app.join(".env"), |t| format!("# moved\n\n{t}"));
    edit(&app.join("next.config.mjs"), |t| {
        format!("// config\n\n\n{t}")
    });
    let out = run(&["scan", a, "--baseline", b, "--format", "json"]);
    assert_eq!(
        findings(&out.stdout),
        vec![],
        "moved code resurrected a finding"
    );
    assert_eq!(out.status, 0);

    // A new finding is reported, alone.
    std::fs::write(
        app.join("lib/admin.ts"),
        "import { createClerkClient } from '@clerk/backend'\nexport const admin = createClerkClient({ secretKey: 'sk_live_Pz8Yq3Wn6Tm1Kd4Hs9Rb2Vc7Lf0Gx5Ja' })\n",
    )
    .unwrap();
    let out = run(&["scan", a, "--baseline", b, "--format", "json"]);
    assert_eq!(out.status, 1);
    assert_eq!(
        findings(&out.stdout),
        vec![(
            "hardcoded-secret-key".to_string(),
            "lib/admin.ts".to_string()
        )]
    );
    // A second leak of an already-baselined key in the same file is new too.
    edit(&menu, |t| {
        let key_line = t
            .lines()
            .find(|l| l.contains("secretKey:"))
            .unwrap()
            .trim()
            .replace("secretKey", "otherKey");
        format!("{t}\nexport const other = {{ {key_line} }}\n")
    });
    let out = run(&["scan", a, "--baseline", b, "--format", "json"]);
    let new = findings(&out.stdout);
    assert!(
        new.contains(&(
            "secret-key-in-client".to_string(),
            "lib/clerk-config.ts".to_string()
        )),
        "{new:?}"
    );
    assert_eq!(new.len(), 2);
}

#[test]
fn a_bad_baseline_is_an_error_that_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let demo = testdata().join("demo-app");
    let d = demo.to_str().unwrap();
    for (name, text) in [
        ("empty.json", ""),
        ("array.json", "[]"),
        ("future.json", "{\"version\": 99, \"findings\": []}"),
        (
            "wrong.json",
            "{\"version\": 1, \"findings\": [{\"rule\": 3}]}",
        ),
        ("binary.json", "\u{0}\u{1}\u{2}"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = run(&["scan", d, "--baseline", path.to_str().unwrap()]);
        assert_eq!(out.status, 2, "{name}");
        assert!(out.stderr.contains(name), "{name}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{name}");
    }
    let missing = dir.path().join("missing.json");
    let out = run(&["scan", d, "--baseline", missing.to_str().unwrap()]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("missing.json"), "{}", out.stderr);
    let out = run(&[
        "scan",
        d,
        "--write-baseline",
        dir.path().join("no/such/dir/b.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status, 2);
}

#[test]
fn gitlab_code_quality_report() {
    let demo = testdata().join("demo-app");
    let out = run(&["scan", demo.to_str().unwrap(), "--format", "gitlab"]);
    assert_eq!(out.status, 1);
    let doc: Value = serde_json::from_str(&out.stdout).expect("a JSON array");
    let issues = doc.as_array().unwrap();
    assert!(issues.len() >= 4);
    let mut fingerprints = std::collections::HashSet::new();
    for i in issues {
        // The fields GitLab requires.
        assert!(
            i["description"].as_str().is_some_and(|s| !s.is_empty()),
            "{i}"
        );
        assert!(i["check_name"].is_string(), "{i}");
        assert!(fingerprints.insert(i["fingerprint"].as_str().unwrap().to_string()));
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap()),
            "{i}"
        );
        assert!(i["location"]["path"].is_string(), "{i}");
        assert!(
            i["location"]["lines"]["begin"].as_u64().unwrap() >= 1,
            "{i}"
        );
    }
    let menu = issues
        .iter()
        .find(|i| i["location"]["path"] == "lib/clerk-config.ts")
        .unwrap();
    assert_eq!(menu["check_name"], "secret-key-in-client");
    assert_eq!(menu["severity"], "critical");
    assert_eq!(menu["location"]["lines"]["begin"], 8);
    // A clean tree is an empty array.
    let clean = tempfile::tempdir().unwrap();
    // (An empty directory is a usage error: nothing to scan is not a pass.)
    std::fs::write(clean.path().join("index.js"), "export const ok = true\n").unwrap();
    let out = run(&["scan", clean.path().to_str().unwrap(), "--format", "gitlab"]);
    assert_eq!(out.status, 0);
    assert_eq!(out.stdout.trim(), "[]");
}
