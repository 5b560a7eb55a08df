//! Fixes: text edits that resolve a finding, shared by `clerk-guard fix` and the language
//! server's code actions.
//!
//! A rule declares its fixes (`Rule::fixes`); each is a set of edits computed from the finding
//! and the text of the files it touches, with a safety level. `apply` applies them atomically
//! per file and never writes a file whose text changed since the edits were computed.

pub mod cmd;
pub mod diff;
pub mod edit;
pub mod session;
pub mod text;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::finding::Finding;

/// How sure a fix is to keep the program's intent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Applied by `clerk-guard fix`.
    Safe,
    /// Offered; applied by `clerk-guard fix --unsafe`.
    Suggested,
    /// Offered in the editor only (it records a decision a person makes: a suppression, a
    /// public route).
    Manual,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Suggested => "suggested",
            Safety::Manual => "manual",
        }
    }
}

/// Replace `start..end` (bytes) of the file `path` (relative to the root) with `text`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Edit {
    pub path: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Edit {
    pub fn insert(path: &str, at: usize, text: impl Into<String>) -> Edit {
        Edit {
            path: path.to_string(),
            start: at,
            end: at,
            text: text.into(),
        }
    }

    pub fn replace(path: &str, start: usize, end: usize, text: impl Into<String>) -> Edit {
        Edit {
            path: path.to_string(),
            start,
            end,
            text: text.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub rule: &'static str,
    pub title: String,
    pub safety: Safety,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(rule: &'static str, safety: Safety, title: impl Into<String>) -> Fix {
        Fix {
            rule,
            title: title.into(),
            safety,
            edits: Vec::new(),
        }
    }

    pub fn edit(mut self, e: Edit) -> Fix {
        self.edits.push(e);
        self
    }
}

/// What a rule sees when it computes fixes: file texts (from disk, or the editor's unsaved
/// buffers), read once and remembered so that `apply` can tell when a file changed.
pub struct FixCx {
    pub root: PathBuf,
    overlay: HashMap<String, String>,
    read: RefCell<BTreeMap<String, Option<String>>>,
    files: RefCell<Option<std::rc::Rc<Vec<String>>>>,
    trees: RefCell<HashMap<String, tree_sitter::Tree>>,
}

impl FixCx {
    pub fn new(root: &Path) -> FixCx {
        FixCx {
            root: root.to_path_buf(),
            overlay: HashMap::new(),
            read: RefCell::new(BTreeMap::new()),
            files: RefCell::new(None),
            trees: RefCell::new(HashMap::new()),
        }
    }

    /// The syntax tree of `rel` (parsed once).
    pub fn tree(&self, rel: &str, text: &str) -> Option<tree_sitter::Tree> {
        if let Some(t) = self.trees.borrow().get(rel) {
            return Some(t.clone());
        }
        let lang = crate::source::Lang::from_path(rel)?;
        let tree = crate::parse::parse(lang, text)?;
        self.trees
            .borrow_mut()
            .insert(rel.to_string(), tree.clone());
        Some(tree)
    }

    /// Every file under the root (walked once).
    pub fn files(&self) -> std::rc::Rc<Vec<String>> {
        if let Some(f) = self.files.borrow().as_ref() {
            return f.clone();
        }
        let f = std::rc::Rc::new(edit::project_files(&self.root));
        *self.files.borrow_mut() = Some(f.clone());
        f
    }

    /// Use `text` for `rel` instead of the file on disk (an editor's buffer).
    pub fn with_overlay(mut self, rel: &str, text: String) -> FixCx {
        self.overlay.insert(rel.to_string(), text);
        self
    }

    /// The text of `rel` (relative to the root), as the fixes see it.
    pub fn text(&self, rel: &str) -> Option<String> {
        if let Some(t) = self.overlay.get(rel) {
            return Some(t.clone());
        }
        if let Some(t) = self.read.borrow().get(rel) {
            return t.clone();
        }
        let t = std::fs::read_to_string(self.root.join(rel)).ok();
        self.read.borrow_mut().insert(rel.to_string(), t.clone());
        t
    }

    /// The major version of `@clerk/nextjs` declared by the package.json nearest to `rel`
    /// (6 when none says).
    pub fn clerk_major(&self, rel: &str) -> u64 {
        let mut dir = crate::source::parent_dir(rel).to_string();
        loop {
            let pj = if dir.is_empty() {
                "package.json".to_string()
            } else {
                format!("{dir}/package.json")
            };
            if let Some(text) = self.text(&pj)
                && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
            {
                for section in ["dependencies", "devDependencies", "peerDependencies"] {
                    if let Some(spec) = v
                        .get(section)
                        .and_then(|d| d.get("@clerk/nextjs"))
                        .and_then(|s| s.as_str())
                    {
                        let digits: String = spec
                            .trim_start_matches(|c: char| !c.is_ascii_digit())
                            .chars()
                            .take_while(char::is_ascii_digit)
                            .collect();
                        if let Ok(m) = digits.parse() {
                            return m;
                        }
                    }
                }
            }
            if dir.is_empty() {
                return 6;
            }
            dir = crate::source::parent_dir(&dir).to_string();
        }
    }

    /// Every file read so far, with the text the fixes were computed from.
    pub fn snapshot(&self) -> BTreeMap<String, Option<String>> {
        let mut m = self.read.borrow().clone();
        for (k, v) in &self.overlay {
            m.insert(k.clone(), Some(v.clone()));
        }
        m
    }
}

/// Every fix for a finding: the rule's own, then (for findings in a file) "suppress with a
/// reason" and, for findings on a URL, "mark route as public".
pub fn fixes_for(cx: &FixCx, f: &Finding) -> Vec<Fix> {
    let mut out = rule_fixes(cx, f);
    if let Some(fix) = edit::mark_public(cx, f) {
        out.push(fix);
    }
    if let Some(fix) = edit::suppress_inline(cx, f) {
        out.push(fix);
    }
    out
}

/// Whether `clerk-guard fix` applies or offers a fix for `f`: one of the rule's own (the
/// suppression comment and the `public_routes` entry that `fixes_for` adds are `Manual`: the
/// user writes them). What the reports count, without building the fixes left to the user.
pub fn has_fix(cx: &FixCx, f: &Finding) -> bool {
    rule_fixes(cx, f).iter().any(|x| x.safety != Safety::Manual)
}

/// The fixes the finding's rule offers (those with an edit).
fn rule_fixes(cx: &FixCx, f: &Finding) -> Vec<Fix> {
    let mut out = match crate::rules::find_rule(f.rule) {
        Some(rule) => rule.fixes(cx, f),
        None => Vec::new(),
    };
    out.retain(|x| !x.edits.is_empty());
    out
}

/// The result of applying fixes: new file texts, and what was left out.
#[derive(Debug, Default)]
pub struct Applied {
    /// Path → (old text, new text).
    pub files: BTreeMap<String, (String, String)>,
    /// Titles of the fixes applied, with the finding's location.
    pub applied: Vec<String>,
    /// Fixes left out because they overlap another (a second pass may apply them).
    pub conflicts: usize,
    /// Files left alone because the edit would not parse, or the file changed.
    pub skipped: Vec<String>,
}

/// Compute new texts: each fix whole or not at all; a fix whose edits overlap an accepted
/// fix's edits (other than an identical edit, such as the same import) is left out.
pub fn plan(cx: &FixCx, fixes: &[Fix]) -> Applied {
    let mut accepted: BTreeMap<String, Vec<Edit>> = BTreeMap::new();
    let mut out = Applied::default();
    'fix: for fix in fixes {
        for e in &fix.edits {
            if let Some(list) = accepted.get(&e.path) {
                for a in list {
                    if a == e {
                        continue;
                    }
                    let overlap = if a.start == a.end || e.start == e.end {
                        (a.start == e.start)
                            || (e.start > a.start && e.start < a.end)
                            || (a.start > e.start && a.start < e.end)
                    } else {
                        e.start < a.end && a.start < e.end
                    };
                    if overlap {
                        out.conflicts += 1;
                        continue 'fix;
                    }
                }
            }
        }
        for e in &fix.edits {
            let list = accepted.entry(e.path.clone()).or_default();
            if !list.contains(e) {
                list.push(e.clone());
            }
        }
        out.applied.push(fix.title.clone());
    }
    for (path, mut edits) in accepted {
        let Some(old) = cx.text(&path).or_else(|| {
            // A file the fix creates.
            edits
                .iter()
                .all(|e| e.start == 0 && e.end == 0)
                .then(String::new)
        }) else {
            out.skipped.push(format!("{path}: not readable"));
            continue;
        };
        edits.sort_by_key(|e| (e.start, e.end));
        let mut new = String::with_capacity(old.len() + 256);
        let mut at = 0;
        let mut ok = true;
        for e in &edits {
            if e.start < at
                || e.end > old.len()
                || !old.is_char_boundary(e.start)
                || !old.is_char_boundary(e.end)
            {
                ok = false;
                break;
            }
            new.push_str(&old[at..e.start]);
            new.push_str(&e.text);
            at = e.end;
        }
        if !ok {
            out.skipped.push(format!("{path}: edits out of range"));
            continue;
        }
        new.push_str(&old[at..]);
        if breaks_parse(&path, &old, &new) {
            out.skipped
                .push(format!("{path}: the fixed code would not parse"));
            continue;
        }
        out.files.insert(path, (old, new));
    }
    out
}

/// Whether `new` has syntax errors that `old` did not.
pub fn breaks_parse(path: &str, old: &str, new: &str) -> bool {
    let Some(lang) = crate::source::Lang::from_path(path) else {
        return false;
    };
    let errs = |t: &str| {
        crate::parse::parse(lang, t)
            .map(|tree| tree.root_node().has_error())
            .unwrap_or(false)
    };
    errs(new) && !errs(old)
}

/// Write the planned files: each through a temporary file renamed over the original, and only
/// when the file on disk still has the text the edits were computed from.
pub fn write(root: &Path, applied: &mut Applied) {
    let mut done = BTreeMap::new();
    for (path, (old, new)) in std::mem::take(&mut applied.files) {
        let abs = root.join(&path);
        let current = std::fs::read_to_string(&abs).ok();
        let unchanged = match &current {
            Some(c) => *c == old,
            None => old.is_empty(),
        };
        if !unchanged {
            applied
                .skipped
                .push(format!("{path}: changed since it was read"));
            continue;
        }
        let tmp = abs.with_file_name(format!(
            ".{}.clerk-guard-fix.tmp",
            abs.file_name().and_then(|n| n.to_str()).unwrap_or("file")
        ));
        let result = std::fs::write(&tmp, new.as_bytes()).and_then(|_| {
            if let Ok(meta) = std::fs::metadata(&abs) {
                let _ = std::fs::set_permissions(&tmp, meta.permissions());
            }
            std::fs::rename(&tmp, &abs)
        });
        match result {
            Ok(()) => {
                done.insert(path, (old, new));
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                applied.skipped.push(format!("{path}: {e}"));
            }
        }
    }
    applied.files = done;
}
