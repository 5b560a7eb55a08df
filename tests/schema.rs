//! `clerk-guard.schema.json` (the JSON Schema of `clerk-guard.toml`, for taplo and Even Better
//! TOML) and `docs/config.md`: the schema covers exactly the keys `src/config.rs` accepts (the
//! list comes from the parser itself), names every rule and group, accepts the documented
//! examples and what `clerk-guard init` writes, and rejects what the parser rejects. The
//! documented `public_routes` syntax is checked against the matcher.
//! `UPDATE_DOCS=1 cargo test --test schema` rewrites the schema's rule list.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use clerk_guard::config::Config;
use clerk_guard::project::matcher::PathPattern;
use clerk_guard::rules::{Group, RULES};
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("clerk-guard.schema.json")).unwrap())
        .unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft7::new(schema).expect("the schema compiles")
}

fn toml_to_json(text: &str) -> Value {
    let v: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_value(v).unwrap()
}

/// The top-level keys `Config::parse` accepts, as serde lists them for an unknown one.
fn config_keys() -> BTreeSet<String> {
    let e = Config::parse("__no_such_key__ = 1\n", Path::new("clerk-guard.toml")).unwrap_err();
    let (_, expected) = e
        .message
        .split_once("expected")
        .unwrap_or_else(|| panic!("serde names the expected keys: {}", e.message));
    let keys: BTreeSet<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    assert!(keys.len() >= 5, "{keys:?} from {}", e.message);
    keys
}

fn selectors() -> Vec<String> {
    let mut v: Vec<String> = RULES.iter().map(|r| r.meta().id.to_string()).collect();
    v.sort();
    let mut groups: Vec<String> = Group::ALL.iter().map(|g| g.as_str().to_string()).collect();
    groups.sort();
    v.extend(groups);
    v.push("all".into());
    v
}

#[test]
fn the_schema_covers_every_config_key_and_rule() {
    let mut schema = schema();
    let props: BTreeSet<String> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        props,
        config_keys(),
        "clerk-guard.schema.json and src/config.rs disagree on the keys: document a new key in \
         the schema and docs/config.md"
    );
    assert_eq!(schema["additionalProperties"], false);
    let docs = std::fs::read_to_string(root().join("docs/config.md")).unwrap();
    for key in &props {
        assert!(
            docs.contains(&format!("### `{key}`")) || docs.contains(&format!("### `[{key}]`")),
            "docs/config.md has no section for `{key}`"
        );
    }
    // The rule ids and groups: regenerated with UPDATE_DOCS=1.
    let expected = selectors();
    let rules = &schema["properties"]["rules"];
    let listed: Vec<String> = rules["propertyNames"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let named: Vec<String> = rules["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut named_sorted = named.clone();
    named_sorted.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    if listed != expected || named_sorted != expected_sorted {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let level = serde_json::json!({"$ref": "#/$defs/level"});
            let rules = &mut schema["properties"]["rules"];
            rules["propertyNames"]["enum"] = serde_json::json!(expected);
            rules["properties"] = Value::Object(
                expected
                    .iter()
                    .map(|k| (k.clone(), level.clone()))
                    .collect(),
            );
            let mut text = serde_json::to_string_pretty(&schema).unwrap();
            text.push('\n');
            std::fs::write(root().join("clerk-guard.schema.json"), text).unwrap();
        } else {
            panic!(
                "the schema's rule list is out of date; run `UPDATE_DOCS=1 cargo test --test schema`"
            );
        }
    }
}

#[test]
fn examples_validate_and_mistakes_do_not() {
    let schema = schema();
    let v = validator(&schema);
    // Every TOML block of docs/config.md (the schema directive block is a comment only).
    let docs = std::fs::read_to_string(root().join("docs/config.md")).unwrap();
    let blocks: Vec<&str> = docs
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 2);
    for block in blocks {
        Config::parse(block, Path::new("clerk-guard.toml"))
            .unwrap_or_else(|e| panic!("docs/config.md example: {e}\n{block}"));
        let instance = toml_to_json(block);
        assert!(v.is_valid(&instance), "{block}");
    }
    // What `clerk-guard init` writes.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::testdata().join("demo-app"), dir.path());
    let done = clerk_guard::init::init(dir.path(), false, true).unwrap();
    assert!(
        v.is_valid(&toml_to_json(&done.config_text)),
        "{}",
        done.config_text
    );
    // Mistakes the parser rejects, the schema rejects too.
    for bad in [
        "unknown = 1\n",
        "exclude = \"legacy\"\n",
        "public_routes = [\"api/health\"]\n",
        "baseline = \"\"\n",
        "[rules]\n\"no-such-rule\" = \"off\"\n",
        "[rules]\nsecrets = \"loud\"\n",
    ] {
        assert!(
            Config::parse(bad, Path::new("clerk-guard.toml")).is_err(),
            "the parser accepts {bad}"
        );
        assert!(!v.is_valid(&toml_to_json(bad)), "the schema accepts {bad}");
    }
}

/// The `public_routes` table of docs/config.md, checked against the matcher.
#[test]
fn the_documented_route_patterns_match_as_documented() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "/api/health",
            &["/api/health", "/api/health/"],
            &["/api/healthz"],
        ),
        (
            "/sign-in(.*)",
            &["/sign-in", "/sign-in/factor-one", "/sign-in-help"],
            &["/signin"],
        ),
        (
            "/api/webhooks/(.*)",
            &["/api/webhooks/clerk"],
            &["/api/webhook"],
        ),
        ("/blog/:slug", &["/blog/hello"], &["/blog/a/b", "/blog"]),
        ("/docs/:path*", &["/docs", "/docs/a/b"], &["/doc"]),
        ("/docs/:path+", &["/docs/a", "/docs/a/b"], &["/docs"]),
        (
            "/files/:name.pdf",
            &["/files/report.pdf"],
            &["/files/report.txt"],
        ),
        (
            "/(en|de)/about",
            &["/en/about", "/de/about"],
            &["/fr/about"],
        ),
        ("/API/Health", &["/api/health"], &[]),
    ];
    for (pattern, yes, no) in cases {
        let p = PathPattern::clerk_route(pattern).unwrap();
        for path in *yes {
            assert!(p.is_match(path), "{pattern} should match {path}");
        }
        for path in *no {
            assert!(!p.is_match(path), "{pattern} should not match {path}");
        }
    }
}
