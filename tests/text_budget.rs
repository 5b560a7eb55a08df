//! The text budget (`CLERK_GUARD_TEXT_BUDGET`): with no budget at all every text is released
//! after its byte-level facts and read again from disk when needed. The findings, their
//! positions and their snippets must be the same as when every text is kept.

mod common;

use common::{bin, testdata};
use serde_json::Value;

fn scan(dir: &std::path::Path, budget: Option<&str>, format: &str) -> String {
    let mut cmd = bin();
    if let Some(b) = budget {
        cmd.env("CLERK_GUARD_TEXT_BUDGET", b);
    }
    let out = cmd
        .args([
            "scan",
            "--fail-on",
            "never",
            "--color",
            "never",
            "--format",
            format,
        ])
        .arg(dir)
        .output()
        .expect("run clerk-guard");
    assert!(
        out.status.success(),
        "scan {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The JSON report without what differs between two runs (timings).
fn findings(json: &str) -> Value {
    let mut v: Value = serde_json::from_str(json).expect("JSON report");
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.retain(|k, _| !k.contains("elapsed"));
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

#[test]
fn released_texts_give_the_same_findings_and_snippets() {
    let mut dirs = vec![testdata().join("demo-app")];
    for entry in std::fs::read_dir(testdata()).unwrap().flatten() {
        for side in ["fail", "pass"] {
            let d = entry.path().join(side);
            if d.is_dir() {
                dirs.push(d);
            }
        }
    }
    dirs.sort();
    let mut compared = 0;
    for dir in &dirs {
        let kept = findings(&scan(dir, None, "json"));
        let released = findings(&scan(dir, Some("0"), "json"));
        assert_eq!(kept, released, "{}: JSON differs", dir.display());
        let kept = scan(dir, None, "human");
        let released = scan(dir, Some("0"), "human");
        // The summary line's timing is the only part that may differ.
        let body = |s: &str| {
            s.lines()
                .filter(|l| !l.ends_with("s)"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            body(&kept),
            body(&released),
            "{}: output differs",
            dir.display()
        );
        compared += 1;
    }
    assert!(
        compared >= 20,
        "only {compared} fixture directories compared"
    );
    // The comparison is not vacuous: the fixtures produce findings with snippets.
    let demo = findings(&scan(&testdata().join("demo-app"), Some("0"), "json"));
    assert!(
        demo["findings"].as_array().is_some_and(|f| f.len() >= 3),
        "demo-app reported too little: {demo}"
    );
}
