//! Tree-sitter queries: embedded in the binary, compiled once per grammar, with a capture
//! contract (`@hit` is the reported span; other names are declared inputs; names starting with
//! `_` are only for predicates).

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Language, Query};

use crate::source::Lang;

/// Every query the analyzer uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueryId {
    NextConfigEnv,
}

/// A query's source and the captures it promises.
pub struct QuerySpec {
    pub id: QueryId,
    pub path: &'static str,
    pub source: &'static str,
    pub captures: &'static [&'static str],
    /// Uses JSX nodes: compiled for javascript and tsx only.
    pub jsx_only: bool,
}

pub const QUERY_SPECS: &[QuerySpec] = &[QuerySpec {
    id: QueryId::NextConfigEnv,
    path: "queries/facts/next-config-env.scm",
    source: include_str!("../queries/facts/next-config-env.scm"),
    captures: &["hit", "name", "value"],
    jsx_only: false,
}];

pub fn language(lang: Lang) -> Language {
    match lang {
        Lang::Js => tree_sitter_javascript::LANGUAGE.into(),
        Lang::Ts => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    }
}

/// A compiled query with its capture indices resolved.
pub struct CompiledQuery {
    pub query: Query,
    captures: HashMap<&'static str, u32>,
}

impl CompiledQuery {
    /// Index of a declared capture (the contract guarantees it exists).
    pub fn capture(&self, name: &str) -> Option<u32> {
        self.captures.get(name).copied()
    }
}

/// Why a query failed to load: a bug in the binary, found by a test.
#[derive(Debug)]
pub struct QueryError(pub String);

/// Compile one query for one grammar and check its capture contract.
pub fn compile(spec: &QuerySpec, lang: Lang) -> Result<CompiledQuery, QueryError> {
    let query = Query::new(&language(lang), spec.source)
        .map_err(|e| QueryError(format!("{} ({lang:?}): {e}", spec.path)))?;
    let mut captures = HashMap::new();
    for (i, name) in query.capture_names().iter().enumerate() {
        if name.starts_with('_') {
            continue;
        }
        let Some(declared) = spec.captures.iter().find(|c| *c == name) else {
            return Err(QueryError(format!(
                "{}: undeclared capture @{name}",
                spec.path
            )));
        };
        captures.insert(*declared, i as u32);
    }
    if !captures.contains_key("hit") {
        return Err(QueryError(format!("{}: no @hit capture", spec.path)));
    }
    Ok(CompiledQuery { query, captures })
}

/// Each query of each grammar, compiled on its first use (compiling costs tens of
/// milliseconds a query on the TSX grammar; a scan that never reads a `next.config` or a
/// `require` never pays for those).
static COMPILED: [[OnceLock<Option<CompiledQuery>>; 3]; QUERY_SPECS.len()] =
    [const { [const { OnceLock::new() }; 3] }; QUERY_SPECS.len()];

/// The compiled query for a grammar, if it applies to it.
pub fn get(id: QueryId, lang: Lang) -> Option<&'static CompiledQuery> {
    let (i, spec) = QUERY_SPECS.iter().enumerate().find(|(_, s)| s.id == id)?;
    let slot = match lang {
        Lang::Js => 0,
        Lang::Ts => 1,
        Lang::Tsx => 2,
    };
    COMPILED[i][slot]
        .get_or_init(|| {
            // A query that fails to compile is a bug caught by `tests::all_queries_compile`;
            // at run time the query is simply absent rather than a panic.
            (!spec.jsx_only || lang.has_jsx())
                .then(|| compile(spec, lang).ok())
                .flatten()
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_queries_compile() {
        for spec in QUERY_SPECS {
            for lang in [Lang::Js, Lang::Ts, Lang::Tsx] {
                if spec.jsx_only && !lang.has_jsx() {
                    continue;
                }
                if let Err(e) = compile(spec, lang) {
                    panic!("{}", e.0);
                }
            }
        }
    }

    #[test]
    fn every_query_file_is_used() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        let mut files = Vec::new();
        for sub in std::fs::read_dir(&dir).unwrap() {
            let sub = sub.unwrap().path();
            if sub.is_dir() {
                for f in std::fs::read_dir(&sub).unwrap() {
                    let f = f.unwrap().path();
                    let rel = f.strip_prefix(dir.parent().unwrap()).unwrap();
                    files.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        for f in files {
            assert!(
                QUERY_SPECS.iter().any(|s| s.path == f),
                "{f} is not referenced by QUERY_SPECS"
            );
        }
    }
}
