//! Whole-file analysis of arbitrary bytes under each entry name (see `tests/fuzz.rs`).
#![no_main]

use std::path::PathBuf;

use clerk_guard::config::Config;
use clerk_guard::engine::{RuleSet, check};
use clerk_guard::project::Project;
use clerk_guard::source::{FileKind, InputFile, Origin};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "app/api/x/route.ts",
    "middleware.ts",
    "components/Menu.tsx",
    "pages/api/x.js",
    "app/actions.ts",
];

fn facts(rel: &str, bytes: Vec<u8>) -> Option<clerk_guard::facts::FileFacts> {
    let input = InputFile {
        rel: rel.to_string(),
        abs: PathBuf::from("/nonexistent/clerk-guard-fuzz").join(rel),
        kind: FileKind::classify(rel),
        origin: Origin::default(),
    };
    clerk_guard::overlay::facts_for(&input, bytes)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let pkg = br#"{ "dependencies": { "next": "15.0.0", "@clerk/nextjs": "6.0.0" } }"#;
    let mut files = vec![facts("package.json", pkg.to_vec()).unwrap()];
    if let Some(f) = facts(name, bytes.to_vec()) {
        let _ = f.code();
        let _ = f.gates();
        files.push(f);
    }
    let project = Project::build(
        PathBuf::from("/nonexistent/clerk-guard-fuzz"),
        files,
        vec![String::new()],
        Config::default(),
    );
    let rules = RuleSet::new(&Config::default(), &[], &[]).unwrap();
    let _ = check(&project, &rules, None);
});
