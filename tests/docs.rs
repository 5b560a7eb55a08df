//! Rule documentation is generated from rule metadata: `docs/rules/<id>.md` and the README's
//! rules table. `UPDATE_DOCS=1 cargo test --test docs` rewrites them; otherwise any drift fails.

mod common;

use std::collections::HashSet;
use std::path::Path;

use clerk_guard::docs::{REQUIRED_HEADINGS, readme_with_table, rule_page};
use clerk_guard::rules::{Group, RULES, docs_markdown};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn update() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

#[test]
fn registry_is_sane() {
    let mut seen = HashSet::new();
    for rule in RULES {
        let m = rule.meta();
        assert!(seen.insert(m.id), "duplicate rule id {}", m.id);
        assert!(
            m.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            m.id
        );
        assert!(
            !m.summary.ends_with('.'),
            "{}: summaries have no final period",
            m.id
        );
        let docs = docs_markdown(m);
        let mut last = 0;
        for heading in REQUIRED_HEADINGS {
            let at = docs
                .find(heading)
                .unwrap_or_else(|| panic!("{}: docs lack `{heading}`", m.id));
            assert!(at >= last, "{}: `{heading}` is out of order", m.id);
            last = at;
        }
        if m.group == Group::Probe {
            // No fixture tree: probe rules are tested against servers in tests/probe.rs.
            let tests = std::fs::read_to_string(root().join("tests/probe.rs")).unwrap_or_default();
            assert!(
                tests.contains(&format!("\"{}\"", m.id)),
                "{}: a probe rule must be tested in tests/probe.rs",
                m.id
            );
        } else {
            assert!(
                root().join("testdata").join(m.id).join("fail").is_dir(),
                "{}: no testdata/{}/fail",
                m.id,
                m.id
            );
        }
        let stem = m.id.replace('-', "_");
        assert!(
            m.source.ends_with(&format!("{stem}.rs")),
            "{}: defined in {}",
            m.id,
            m.source
        );
    }
}

#[test]
fn rule_pages_are_current() {
    let dir = root().join("docs/rules");
    std::fs::create_dir_all(&dir).unwrap();
    let mut stale = Vec::new();
    let mut expected_files = HashSet::new();
    for rule in RULES {
        let m = rule.meta();
        let path = dir.join(format!("{}.md", m.id));
        expected_files.insert(path.clone());
        let page = rule_page(m);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            if update() {
                std::fs::write(&path, page).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        if !expected_files.contains(&entry.path()) {
            if update() {
                std::fs::remove_file(entry.path()).unwrap();
            } else {
                stale.push(format!("{} (no such rule)", entry.path().display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "rule docs are out of date; run `UPDATE_DOCS=1 cargo test --test docs`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn readme_rules_table_is_current() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let updated = readme_with_table(&readme).expect("README has the rules-table markers");
    if updated != readme {
        if update() {
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!("README rules table is out of date; run `UPDATE_DOCS=1 cargo test --test docs`");
        }
    }
}
