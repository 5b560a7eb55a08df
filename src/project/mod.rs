//! The project model: built once from every file's facts; rules only read it.

pub mod matcher;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::facts::FileFacts;
use crate::source::{file_name, parent_dir};

pub struct Project {
    /// The scan root (absolute).
    pub root: PathBuf,
    /// Every scanned file, sorted by path.
    pub files: Vec<FileFacts>,
    index: HashMap<String, usize>,
    /// Directories (relative, `""` for the root) that hold a `package.json`.
    pub package_dirs: Vec<String>,
    pub config: Config,
}

impl Project {
    pub fn build(
        root: PathBuf,
        mut files: Vec<FileFacts>,
        package_dirs: Vec<String>,
        config: Config,
    ) -> Project {
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        let index = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.rel.clone(), i))
            .collect();
        Project {
            root,
            files,
            index,
            package_dirs,
            config,
        }
    }

    pub fn file(&self, rel: &str) -> Option<&FileFacts> {
        self.index.get(rel).map(|i| &self.files[*i])
    }

    /// Replace (or add) one file's facts, e.g. an editor buffer.
    pub fn upsert(&mut self, facts: FileFacts) {
        match self.index.get(&facts.rel) {
            Some(i) => self.files[*i] = facts,
            None => {
                let rel = facts.rel.clone();
                self.files.push(facts);
                self.index.insert(rel, self.files.len() - 1);
            }
        }
    }
}

/// Directories holding a `package.json`, from a sorted list of relative paths.
pub fn package_dirs<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut dirs: Vec<String> = paths
        .filter(|p| file_name(p) == "package.json")
        .map(|p| parent_dir(p).to_string())
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}
