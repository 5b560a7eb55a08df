//! The import graph of the whole project: every file's imports, resolved once (in parallel)
//! by the [`Resolver`], with reverse edges, reachability with chains, and binding resolution
//! through re-exports and barrel files. Built in [`Project::build`]; the route rules and the
//! client/server boundary rules share it.
//!
//! File ids are indices into [`Project::files`] (sorted by path).

use std::collections::{HashMap, HashSet, VecDeque};

use rayon::prelude::*;

use crate::facts::FileFacts;
use crate::facts::imports::ImportKind;
use crate::facts::imports::{module_stem, specifier_stem, stem_key};
use crate::project::Project;
use crate::project::resolve::{PathIds, Resolver, Target};

/// One resolved import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The importing file.
    pub from: usize,
    pub target: Target,
    /// Index of the import in the importing file's `FileFacts::imports`.
    pub import: usize,
    pub kind: ImportKind,
    /// Erased at compile time (`import type`, `typeof import()`): no code follows it.
    pub type_only: bool,
    /// `import()`: loaded on demand, though still bundled for the side that runs it.
    pub dynamic: bool,
}

impl Edge {
    /// The target file, if the import resolved to one.
    pub fn file(&self) -> Option<usize> {
        match self.target {
            Target::File(id) => Some(id),
            _ => None,
        }
    }

    /// The external package and subpath, if the import names one.
    pub fn external(&self) -> Option<(&str, &str)> {
        match &self.target {
            Target::External { package, subpath } => Some((package, subpath)),
            _ => None,
        }
    }

    /// Code follows this edge into the bundle (every edge that is not type-only).
    pub fn is_runtime(&self) -> bool {
        !self.type_only
    }
}

/// How a file was reached by [`ImportGraph::reachable_from`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pred {
    Unreached,
    Root,
    /// Through edge `edge` of file `from` (`graph.edges(from)[edge]`).
    Via {
        from: usize,
        edge: usize,
    },
}

/// The files reachable from some roots, each with the edge it was first reached through
/// (breadth first: the chains are shortest). Only the files reached are held: a project
/// keeps one per app, each reaching a small part of the project's files.
#[derive(Clone, Debug)]
pub struct Reach {
    pred: HashMap<usize, Pred>,
}

impl Reach {
    pub fn contains(&self, id: usize) -> bool {
        self.pred.contains_key(&id)
    }

    pub fn pred(&self, id: usize) -> Pred {
        self.pred.get(&id).copied().unwrap_or(Pred::Unreached)
    }

    /// Every reached file, roots included, in id order.
    pub fn files(&self) -> impl Iterator<Item = usize> + '_ {
        let mut ids: Vec<usize> = self.pred.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter()
    }

    /// The chain from a root to `id` (root first, `id` last); empty when `id` was not reached.
    pub fn chain(&self, id: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut at = id;
        loop {
            match self.pred(at) {
                Pred::Unreached => return Vec::new(),
                Pred::Root => {
                    chain.push(at);
                    break;
                }
                Pred::Via { from, .. } => {
                    chain.push(at);
                    at = from;
                }
            }
            // Predecessors always point at files reached earlier: no cycle, but stay bounded.
            if chain.len() > self.pred.len() {
                return Vec::new();
            }
        }
        chain.reverse();
        chain
    }
}

/// The imports of file `from` (`f`), resolved by `resolver`, in source order: the edges
/// [`ImportGraph::build`] records for it (with the resolver's ids).
pub(crate) fn file_edges(from: usize, f: &FileFacts, resolver: &Resolver) -> Vec<Edge> {
    f.imports()
        .iter()
        .enumerate()
        .map(|(k, imp)| Edge {
            from,
            target: resolver.resolve_target(&f.rel, &imp.source),
            import: k,
            kind: imp.kind,
            type_only: imp.type_only,
            dynamic: imp.kind == ImportKind::Dynamic,
        })
        .collect()
}

/// Breadth-first from `roots` over the edges `follow` accepts, among files `0..len` whose
/// edges `edges` gives: [`ImportGraph::reachable_from`] over any source of edges.
pub(crate) fn reach<'e>(
    len: usize,
    roots: impl IntoIterator<Item = usize>,
    edges: impl Fn(usize) -> &'e [Edge],
    follow: impl Fn(&Edge) -> bool,
) -> Reach {
    let mut pred: HashMap<usize, Pred> = HashMap::new();
    let mut queue = VecDeque::new();
    for r in roots {
        if r < len && !pred.contains_key(&r) {
            pred.insert(r, Pred::Root);
            queue.push_back(r);
        }
    }
    while let Some(from) = queue.pop_front() {
        for (k, e) in edges(from).iter().enumerate() {
            if let Some(t) = e.file()
                && t < len
                && !pred.contains_key(&t)
                && follow(e)
            {
                pred.insert(t, Pred::Via { from, edge: k });
                queue.push_back(t);
            }
        }
    }
    Reach { pred }
}

/// Time spent building the resolver and the import graph (for `CLERK_GUARD_TIMING`).
pub static GRAPH_NS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub struct ImportGraph {
    /// The files' paths (the resolver's table when its ids are the files' indices).
    paths: std::sync::Arc<PathIds>,
    edges: Vec<Vec<Edge>>,
    importers: Vec<Vec<(usize, usize)>>,
    /// Names declared by the files that some `export *` points at.
    own_exports: HashMap<usize, Vec<String>>,
}

impl ImportGraph {
    /// Resolve every import of `files` (in parallel). `resolver` should be built from the same
    /// files (then its ids are `files` indices); otherwise targets are mapped by path.
    pub fn build(files: &[FileFacts], resolver: &Resolver) -> ImportGraph {
        let same_ids = resolver.len() == files.len()
            && files
                .iter()
                .enumerate()
                .all(|(i, f)| resolver.rel(i) == &*f.rel);
        let paths = if same_ids {
            std::sync::Arc::clone(resolver.paths())
        } else {
            std::sync::Arc::new(PathIds::new(files.iter().map(|f| f.rel.clone()).collect()))
        };
        let edges: Vec<Vec<Edge>> = files
            .par_iter()
            .enumerate()
            .map(|(from, f)| {
                let mut out = file_edges(from, f, resolver);
                if !same_ids {
                    for e in &mut out {
                        if let Target::File(id) = e.target {
                            e.target = paths
                                .id(resolver.rel(id))
                                .map_or(Target::Unresolved, Target::File);
                        }
                    }
                }
                out
            })
            .collect();

        let mut importers = vec![Vec::new(); files.len()];
        for (from, out) in edges.iter().enumerate() {
            for (k, e) in out.iter().enumerate() {
                if let Some(t) = e.file() {
                    importers[t].push((from, k));
                }
            }
        }

        let star_targets: HashSet<usize> = edges
            .iter()
            .flatten()
            .filter(|e| e.kind == ImportKind::ReExportAll)
            .filter_map(Edge::file)
            .collect();
        let mut star_targets: Vec<usize> = star_targets.into_iter().collect();
        star_targets.sort_unstable();
        let own_exports = star_targets
            .par_iter()
            .map(|&id| (id, files[id].own_exports().to_vec()))
            .collect();

        ImportGraph {
            paths,
            edges,
            importers,
            own_exports,
        }
    }

    /// Resolve again the imports of the files `changed` (ids into `files`, whose facts were
    /// replaced), with the resolver the graph was built with: each one's edges, the importers
    /// of what it imported and imports, and the names of the files some `export *` points at.
    /// The result is the graph [`ImportGraph::build`] gives for the new files, provided no file
    /// was added or removed and the resolver's inputs are unchanged (see
    /// [`Resolver::reads`]). Whether every changed file's edges are the same as before; `None`,
    /// leaving the graph as it was, when the resolver's ids are not the files' indices (then
    /// the graph must be built again).
    pub fn update(
        &mut self,
        files: &[FileFacts],
        resolver: &Resolver,
        changed: &[usize],
    ) -> Option<bool> {
        if !std::sync::Arc::ptr_eq(&self.paths, resolver.paths())
            || files.len() != self.edges.len()
            || changed.iter().any(|&c| c >= files.len())
        {
            return None;
        }
        let mut changed = changed.to_vec();
        changed.sort_unstable();
        changed.dedup();
        // The files whose `export *` status or own names may have changed.
        let mut stars: Vec<usize> = changed.clone();
        let mut same = true;
        for &c in &changed {
            let new = file_edges(c, &files[c], resolver);
            if new == self.edges[c] {
                // Its names may have changed (when some `export *` points at it).
                continue;
            }
            same = false;
            let old = std::mem::replace(&mut self.edges[c], new);
            for e in &old {
                if let Some(t) = e.file() {
                    self.importers[t].retain(|&(from, _)| from != c);
                    if e.kind == ImportKind::ReExportAll {
                        stars.push(t);
                    }
                }
            }
            for (k, e) in self.edges[c].iter().enumerate() {
                if let Some(t) = e.file() {
                    // In the order of a whole build: by importing file, then by import.
                    let list = &mut self.importers[t];
                    let at = list.partition_point(|&p| p < (c, k));
                    list.insert(at, (c, k));
                    if e.kind == ImportKind::ReExportAll {
                        stars.push(t);
                    }
                }
            }
        }
        stars.sort_unstable();
        stars.dedup();
        for id in stars {
            let starred = self.importers[id]
                .iter()
                .any(|&(from, k)| self.edges[from][k].kind == ImportKind::ReExportAll);
            if starred {
                self.own_exports
                    .insert(id, files[id].own_exports().to_vec());
            } else {
                self.own_exports.remove(&id);
            }
        }
        Some(same)
    }

    /// Number of files (ids are `0..len`).
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn id(&self, rel: &str) -> Option<usize> {
        self.paths.id(rel)
    }

    pub fn rel(&self, id: usize) -> &str {
        self.paths.rel(id)
    }

    /// The imports of a file, in source order.
    pub fn edges(&self, id: usize) -> &[Edge] {
        self.edges.get(id).map_or(&[], Vec::as_slice)
    }

    /// The edges that point at a file.
    pub fn importers(&self, id: usize) -> impl Iterator<Item = &Edge> + '_ {
        self.importers
            .get(id)
            .into_iter()
            .flatten()
            .map(|(from, k)| &self.edges[*from][*k])
    }

    /// [`ImportGraph::edges`] by path (empty for an unknown path).
    pub fn imports_of(&self, rel: &str) -> &[Edge] {
        self.id(rel).map_or(&[], |id| self.edges(id))
    }

    /// [`ImportGraph::importers`] by path.
    pub fn importers_of(&self, rel: &str) -> Vec<&Edge> {
        self.id(rel)
            .map(|id| self.importers(id).collect())
            .unwrap_or_default()
    }

    /// Breadth-first from `roots` over the edges `follow` accepts (e.g. [`Edge::is_runtime`]).
    pub fn reachable_from(
        &self,
        roots: impl IntoIterator<Item = usize>,
        follow: impl Fn(&Edge) -> bool,
    ) -> Reach {
        reach(self.paths.len(), roots, |id| self.edges(id), follow)
    }

    /// The paths of [`Reach::chain`]: `components/UserMenu.tsx`, `lib/a.ts`, `lib/b.ts`.
    pub fn chain_rels(&self, reach: &Reach, id: usize) -> Vec<&str> {
        reach.chain(id).into_iter().map(|i| self.rel(i)).collect()
    }

    /// Where the binding `local_name` of file `rel` is defined: the file and the name it is
    /// exported under there (`"default"`, `"*"` for a namespace), following `export { x } from`,
    /// `export *` (barrel files) and re-exports of imported bindings, cycle-safe. When no file
    /// shows where an `export *` name comes from, the answer is the barrel itself. `None` when
    /// the binding is not imported, or comes from an external package or an unresolved file.
    /// `files` are the files the graph was built from ([`Project::resolve_binding`] passes
    /// them).
    pub fn resolve_binding(
        &self,
        files: &[FileFacts],
        rel: &str,
        local_name: &str,
    ) -> Option<(String, String)> {
        let (file, name) = binding(&Built { graph: self, files }, self.id(rel)?, local_name)?;
        Some((self.paths.rel(file).to_string(), name))
    }

    /// Where the export `name` of file `rel` is defined (see [`ImportGraph::resolve_binding`]).
    pub fn resolve_export(
        &self,
        files: &[FileFacts],
        rel: &str,
        name: &str,
    ) -> Option<(String, String)> {
        let (file, name) = follow(&Built { graph: self, files }, self.id(rel)?, name)?;
        Some((self.paths.rel(file).to_string(), name))
    }
}

/// What binding resolution reads of the modules: their facts, their resolved imports, and
/// the names declared by the files that some `export *` points at.
trait Modules {
    fn facts(&self, id: usize) -> Option<&FileFacts>;
    fn edges(&self, id: usize) -> &[Edge];
    /// The names file `id` declares itself, when some `export *` of the project points at it.
    fn star_exports(&self, id: usize) -> Option<&[String]>;
}

/// A built import graph and the files it was built from.
struct Built<'a> {
    graph: &'a ImportGraph,
    files: &'a [FileFacts],
}

impl Modules for Built<'_> {
    fn facts(&self, id: usize) -> Option<&FileFacts> {
        self.files.get(id)
    }

    fn edges(&self, id: usize) -> &[Edge] {
        self.graph.edges(id)
    }

    fn star_exports(&self, id: usize) -> Option<&[String]> {
        self.graph.own_exports.get(&id).map(Vec::as_slice)
    }
}

/// A project whose imports are resolved file by file ([`Project::edges`]).
struct PerFile<'a>(&'a Project);

impl Modules for PerFile<'_> {
    fn facts(&self, id: usize) -> Option<&FileFacts> {
        self.0.files.get(id)
    }

    fn edges(&self, id: usize) -> &[Edge] {
        self.0.edges(id)
    }

    fn star_exports(&self, id: usize) -> Option<&[String]> {
        self.0
            .star_targets()
            .contains(&id)
            .then(|| self.0.files[id].own_exports())
    }
}

/// [`ImportGraph::resolve_binding`] with file ids.
fn binding(m: &impl Modules, id: usize, local_name: &str) -> Option<(usize, String)> {
    let (k, imported) = m
        .facts(id)?
        .imports()
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == ImportKind::Static)
        .find_map(|(k, i)| {
            i.names
                .iter()
                .find(|n| n.local == local_name)
                .map(|n| (k, n.imported.as_str()))
        })?;
    let target = m.edges(id).get(k)?.file()?;
    follow(m, target, imported)
}

fn follow(m: &impl Modules, file: usize, name: &str) -> Option<(usize, String)> {
    if name == "*" {
        return Some((file, name.to_string()));
    }
    let mut visited = HashSet::new();
    find_export(m, file, name, false, &mut visited)
}

/// The file that defines export `name` of `file`. `strict`: only when the name is shown
/// to be there (inside an `export *`, which may or may not provide it).
fn find_export(
    m: &impl Modules,
    file: usize,
    name: &str,
    strict: bool,
    visited: &mut HashSet<(usize, String)>,
) -> Option<(usize, String)> {
    if !visited.insert((file, name.to_string())) {
        return None;
    }
    let imports = m.facts(file)?.imports();
    // `export { a as name } from`, or `import { a } …; export { a as name }`.
    let explicit = imports.iter().enumerate().find_map(|(k, i)| {
        let n = match i.kind {
            ImportKind::ReExport => i.names.iter().find(|n| n.local == name),
            ImportKind::Static => i
                .names
                .iter()
                .find(|n| n.exported_as.iter().any(|e| e == name)),
            _ => None,
        }?;
        Some((k, n.imported.as_str()))
    });
    if let Some((k, imported)) = explicit {
        let target = m.edges(file).get(k)?.file()?;
        if imported == "*" {
            return Some((target, imported.to_string()));
        }
        return find_export(m, target, imported, false, visited)
            .or_else(|| Some((target, imported.to_string())));
    }
    if m.star_exports(file)
        .is_some_and(|names| names.iter().any(|n| n == name))
    {
        return Some((file, name.to_string()));
    }
    if name != "default" {
        for e in m.edges(file) {
            if e.kind == ImportKind::ReExportAll
                && let Some(t) = e.file()
                && let Some(found) = find_export(m, t, name, true, visited)
            {
                return Some(found);
            }
        }
    }
    (!strict).then(|| (file, name.to_string()))
}

impl Project {
    /// [`ImportGraph::resolve_binding`] over this project's files (over the imports resolved
    /// file by file while the import graph is not built: the same answer).
    pub fn resolve_binding(&self, rel: &str, local_name: &str) -> Option<(String, String)> {
        if let Some(g) = self.graph.get() {
            return g.resolve_binding(&self.files, rel, local_name);
        }
        let (file, name) = binding(&PerFile(self), self.file_index(rel)?, local_name)?;
        Some((self.files[file].rel.to_string(), name))
    }

    /// The files some `export *` points at, while the import graph is not built (it holds
    /// them itself): only those imports are resolved.
    fn star_targets(&self) -> &HashSet<usize> {
        self.star_targets.get_or_init(|| {
            let resolver = self.resolver();
            let mut out = HashSet::new();
            // Only the modules with an `export *` are read (the cache tells which without
            // decoding the others' imports).
            for f in self.files.iter().filter(|f| f.exports_all()) {
                for imp in f.imports() {
                    if imp.kind == ImportKind::ReExportAll
                        && let Target::File(t) = resolver.resolve_target(&f.rel, &imp.source)
                    {
                        out.insert(t);
                    }
                }
            }
            out
        })
    }

    /// The files that import file `id` at run time (type-only imports left out), in order:
    /// the import graph's answer when it is built; else only the specifiers whose last segment
    /// can name the file (its stem, or `.`/`..`) are resolved, so that one question does not
    /// resolve every import of the project (an `index` file, which a folder or a package name
    /// can name, is asked of the whole graph).
    pub fn runtime_importers(&self, id: usize) -> Vec<usize> {
        let Some(file) = self.files.get(id) else {
            return Vec::new();
        };
        let name = crate::source::file_name(&file.rel);
        let stem = module_stem(name);
        if stem == "index" || self.graph.get().is_some() {
            let mut out: Vec<usize> = self
                .graph()
                .importers(id)
                .filter(|e| !e.type_only)
                .map(|e| e.from)
                .collect();
            out.sort_unstable();
            out.dedup();
            return out;
        }
        let stems = self.import_stems();
        let resolver = self.resolver();
        let mut out: Vec<usize> = [stem, ""]
            .iter()
            .flat_map(|k| stems.get(&stem_key(k)).into_iter().flatten())
            .map(|&i| i as usize)
            .filter(|&i| i != id)
            .filter(|&i| {
                let f = &self.files[i];
                f.imports().iter().any(|imp| {
                    !imp.type_only
                        && matches!(specifier_stem(&imp.source), s if s == stem || s.is_empty())
                        && matches!(resolver.resolve_target(&f.rel, &imp.source), Target::File(t) if t == id)
                })
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The files whose run-time imports' specifiers end in each stem (`./lib/auth.ts` →
    /// `auth`), by the stem's hash (`stem_key`): a collision only adds a candidate, which
    /// `runtime_importers` resolves, or keeps a module counted as imported. Built on first use,
    /// one file at a time; `prepare_import_stems` builds it in parallel beforehand.
    fn import_stems(&self) -> &ImportStems {
        self.import_stems
            .get_or_init(|| merge_stems(self.files.iter().map(FileFacts::import_stem_keys)))
    }

    /// Build the stem index (`import_stems`) in parallel, before the analysis asks for it from
    /// its workers (every file's imports are read for it: on a warm scan that decodes them).
    /// Never call it from inside a value of this project built on first use.
    pub(crate) fn prepare_import_stems(&self) {
        use rayon::prelude::*;
        if self.import_stems.get().is_some() {
            return;
        }
        let per_file: Vec<std::borrow::Cow<'_, [u32]>> = self
            .files
            .par_iter()
            .map(FileFacts::import_stem_keys)
            .collect();
        let _ = self.import_stems.set(merge_stems(per_file.into_iter()));
    }

    /// Whether nothing can import file `id` at run time: no import resolves to it, and every
    /// specifier anywhere that ends in its name resolves to another file (an import the
    /// resolver could not follow, or followed out of the project, keeps it in: `actions` is a
    /// common name, but `./actions` next to another `actions.ts` is that one). An `index`
    /// file, which a folder names, is never taken for unimported.
    pub fn imported_nowhere(&self, id: usize) -> bool {
        let Some(file) = self.files.get(id) else {
            return false;
        };
        let name = crate::source::file_name(&file.rel);
        let stem = module_stem(name);
        stem != "index"
            && self
                .stem_imports(id, stem)
                .all(|t| matches!(t, Target::File(other) if other != id))
    }

    /// Where every run-time import of another file whose specifier ends in `stem` (the stem of
    /// file `id`'s name) resolves: the imports that may name file `id`.
    fn stem_imports<'a>(&'a self, id: usize, stem: &'a str) -> impl Iterator<Item = Target> + 'a {
        let resolver = self.resolver();
        self.import_stems()
            .get(&stem_key(stem))
            .into_iter()
            .flatten()
            .map(|&i| i as usize)
            .filter(move |&i| i != id)
            .flat_map(move |i| {
                let f = &self.files[i];
                f.imports()
                    .iter()
                    .filter(move |imp| !imp.type_only && specifier_stem(&imp.source) == stem)
                    .map(move |imp| resolver.resolve_target(&f.rel, &imp.source))
            })
    }

    /// Whether function `function` of file `id` never runs: a named function at the top level
    /// of a module that nothing calls. Its name appears nowhere else in its module (but in
    /// its own declaration and its `export` clauses), and no module of the project uses the
    /// names it is exported under ([`Project::export_used_nowhere`]). A module nothing
    /// imports may be an entry a platform loads by path: a function it exports as an entry
    /// name (`default`, `handler`, an HTTP method …) runs. Only asked where every importer
    /// is scanned: the module's workspace root (if any) lies inside the scan.
    pub fn runs_nowhere(&self, id: usize, function: usize) -> bool {
        let Some(facts) = self.files.get(id) else {
            return false;
        };
        let Some(code) = facts.code() else {
            return false;
        };
        let Some(f) = code.function(function) else {
            return false;
        };
        let Some(name) = f.name.as_deref().filter(|n| !n.is_empty()) else {
            return false;
        };
        if !f.top_level || crate::source::is_test_file(&facts.rel) {
            return false;
        }
        // Importers outside the scan could use it.
        if self
            .app_of(&facts.rel)
            .and_then(|a| self.apps[a].workspace_root.as_deref())
            .is_some_and(|w| w.starts_with(".."))
        {
            return false;
        }
        let text = facts.text();
        let text = crate::facts::code::blank_comments(&text);
        let exported_at = |at: usize| {
            code.exports
                .iter()
                .any(|e| e.from.is_none() && e.span.start <= at && at < e.span.end)
        };
        for end in crate::facts::code::word_ends(&text, name) {
            let start = end - name.len();
            if (f.range.start <= start && end <= f.range.end) || exported_at(start) {
                continue;
            }
            // `const name = …`: the declaration of an arrow or function expression.
            let before = text[..start].trim_end();
            if ["const", "let", "var", "function"].iter().any(|k| {
                before.ends_with(k)
                    && !before[..before.len() - k.len()]
                        .ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$')
            }) {
                continue;
            }
            return false;
        }
        let names: Vec<&str> = code
            .exports
            .iter()
            .filter(|e| {
                e.from.is_none()
                    && match &e.target {
                        crate::facts::code::Binding::Function { index } => *index == function,
                        crate::facts::code::Binding::Identifier { name: n } => n == name,
                        _ => false,
                    }
            })
            .map(|e| e.name.as_str())
            .collect();
        names.iter().all(|n| self.export_used_nowhere(id, n))
    }

    /// Whether nothing in the project uses the export `name` of file `id` at run time: no
    /// import names it or takes the module whole (a namespace, `require`, `import()`), and
    /// the modules that forward it (`export { name } from`, `export *`) are used for it
    /// nowhere either. An import the resolver could not follow whose specifier could name the
    /// module keeps it used, and so does a module nothing imports that exports it as an entry
    /// name (see [`is_entry_export`]). Bounded: past 32 modules, used.
    pub fn export_used_nowhere(&self, id: usize, name: &str) -> bool {
        let resolver = self.resolver();
        let mut work = vec![(id, name.to_string())];
        let mut seen: HashSet<(usize, String)> = HashSet::new();
        while let Some((file, name)) = work.pop() {
            if !seen.insert((file, name.clone())) {
                continue;
            }
            if seen.len() > 32 {
                return false;
            }
            let Some(facts) = self.files.get(file) else {
                return false;
            };
            let stem = module_stem(crate::source::file_name(&facts.rel));
            // An import the resolver could not follow, whose specifier ends in this module's
            // name (an `index` module is named by its folder: only resolved imports count).
            if stem != "index"
                && self
                    .stem_imports(file, stem)
                    .any(|t| matches!(t, Target::Unresolved))
            {
                return false;
            }
            let importers = self.runtime_importers(file);
            if importers.is_empty() && is_entry_export(&name) {
                return false;
            }
            for i in importers {
                let f = &self.files[i];
                for imp in f.imports() {
                    if imp.type_only
                        || !matches!(resolver.resolve_target(&f.rel, &imp.source), Target::File(t) if t == file)
                    {
                        continue;
                    }
                    match imp.kind {
                        ImportKind::SideEffect => {}
                        ImportKind::Static => {
                            if imp
                                .names
                                .iter()
                                .any(|n| !n.type_only && (n.imported == name || n.imported == "*"))
                            {
                                return false;
                            }
                        }
                        ImportKind::ReExport => {
                            for n in &imp.names {
                                if n.type_only {
                                    continue;
                                }
                                if n.imported == "*" {
                                    return false;
                                }
                                if n.imported == name {
                                    work.push((i, n.local.clone()));
                                }
                            }
                        }
                        ImportKind::ReExportAll => work.push((i, name.clone())),
                        ImportKind::Dynamic | ImportKind::Require => return false,
                    }
                }
            }
        }
        true
    }

    /// The resolved imports of file `id` (as [`ImportGraph::edges`]): the import graph's
    /// when it is built, else resolved on first use for this file alone, so that a search
    /// over part of the project (the client set of a scan with byte-level rules only) resolves
    /// only the files it reaches.
    pub fn edges(&self, id: usize) -> &[Edge] {
        if let Some(g) = self.graph.get() {
            return g.edges(id);
        }
        let Some(f) = self.files.get(id) else {
            return &[];
        };
        let slots = self.edges.get_or_init(|| {
            (0..self.files.len())
                .map(|_| std::sync::OnceLock::new())
                .collect()
        });
        slots[id].get_or_init(|| {
            let t0 = std::time::Instant::now();
            let out = file_edges(id, f, self.resolver());
            GRAPH_NS.fetch_add(
                t0.elapsed().as_nanos() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            out
        })
    }

    /// [`ImportGraph::reachable_from`] over [`Project::edges`]: resolves only the files it
    /// reaches while the import graph is not built.
    pub fn reachable_from(
        &self,
        roots: impl IntoIterator<Item = usize>,
        follow: impl Fn(&Edge) -> bool,
    ) -> Reach {
        reach(self.files.len(), roots, |id| self.edges(id), follow)
    }

    /// Resolve, in parallel and level by level, the imports of every file reachable from
    /// `roots` over the edges `follow` accepts (see [`Project::edges`]), so that a search
    /// over them later finds them resolved. Never call it from inside a value of this project
    /// that is built on first use: a worker waiting for the loop could take a task that asks
    /// for that value.
    pub(crate) fn resolve_reachable(
        &self,
        roots: Vec<usize>,
        follow: impl Fn(&Edge) -> bool + Sync,
    ) {
        if self.graph_is_built() {
            return;
        }
        // Built before the loop: no worker may wait for it while another builds it.
        self.resolver();
        let mut seen = vec![false; self.files.len()];
        let mut frontier: Vec<usize> = Vec::new();
        for r in roots {
            if r < seen.len() && !seen[r] {
                seen[r] = true;
                frontier.push(r);
            }
        }
        while !frontier.is_empty() {
            let next: Vec<Vec<usize>> = frontier
                .par_iter()
                .map(|&id| {
                    self.edges(id)
                        .iter()
                        .filter(|e| follow(e))
                        .filter_map(Edge::file)
                        .collect()
                })
                .collect();
            frontier.clear();
            for t in next.into_iter().flatten() {
                if t < seen.len() && !seen[t] {
                    seen[t] = true;
                    frontier.push(t);
                }
            }
        }
    }

    /// How many files' imports are resolved (all of them once the import graph is built).
    pub fn resolved_files(&self) -> usize {
        if self.graph_is_built() {
            return self.files.len();
        }
        self.edges.get().map_or(0, |slots| {
            slots.iter().filter(|s| s.get().is_some()).count()
        })
    }

    /// Whether the whole import graph is built (rather than only the edges some search
    /// needed, see [`Project::edges`]).
    pub fn graph_is_built(&self) -> bool {
        self.graph.get().is_some()
    }

    /// After the facts of the files `changed` were replaced, no file added or removed: when
    /// the resolver read none of them, it is kept and only their imports are resolved again
    /// (the import graph updated in place, see [`ImportGraph::update`]); otherwise as
    /// [`Project::refresh_graph`]. `None` when the resolver was not kept; else whether the
    /// import graph is built and every changed file's edges are the same as before. The client
    /// set is left to the caller (see `Project::upsert_all`).
    pub fn refresh_graph_for(&mut self, changed: &[usize]) -> Option<bool> {
        let keep = self.resolver.get().is_some_and(|r| {
            r.len() == self.files.len() && !changed.iter().any(|&c| r.reads(&self.files[c].rel))
        });
        if !keep {
            self.refresh_graph();
            return None;
        }
        let t0 = std::time::Instant::now();
        let mut same_edges = false;
        if let (Some(graph), Some(resolver)) = (self.graph.get_mut(), self.resolver.get()) {
            match graph.update(&self.files, resolver, changed) {
                Some(same) => same_edges = same,
                None => self.graph = std::sync::OnceLock::new(),
            }
        }
        GRAPH_NS.fetch_add(
            t0.elapsed().as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        if let Some(slots) = self.edges.get_mut() {
            for &c in changed {
                if let Some(slot) = slots.get_mut(c) {
                    *slot = std::sync::OnceLock::new();
                }
            }
        }
        self.star_targets = std::sync::OnceLock::new();
        self.import_stems = std::sync::OnceLock::new();
        Some(same_edges)
    }

    /// Rebuild the resolver and the import graph after the file list changed.
    pub fn refresh_graph(&mut self) {
        self.resolver = std::sync::OnceLock::new();
        self.graph = std::sync::OnceLock::new();
        self.edges = std::sync::OnceLock::new();
        self.star_targets = std::sync::OnceLock::new();
        self.import_stems = std::sync::OnceLock::new();
        self.client_set = std::sync::OnceLock::new();
    }
}

/// The files whose run-time imports end in each stem, by `stem_key` of the stem.
pub(crate) type ImportStems = foldhash::HashMap<u32, Vec<u32>>;

/// The stem index of the files whose stems `per_file` gives, in file order.
/// An export name a platform may load a module for, by path: the default export, a request
/// handler, a middleware or proxy, an HTTP method, a loader or action.
fn is_entry_export(name: &str) -> bool {
    matches!(
        name,
        "default"
            | "handler"
            | "middleware"
            | "proxy"
            | "onRequest"
            | "loader"
            | "action"
            | "GET"
            | "POST"
            | "PUT"
            | "PATCH"
            | "DELETE"
            | "HEAD"
            | "OPTIONS"
    )
}

fn merge_stems<'a>(per_file: impl Iterator<Item = std::borrow::Cow<'a, [u32]>>) -> ImportStems {
    let mut stems = ImportStems::default();
    for (i, keys) in per_file.enumerate() {
        for &k in keys.iter() {
            stems.entry(k).or_default().push(i as u32);
        }
    }
    stems
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn graph(files: &[(&str, &str)]) -> ImportGraph {
        graph_and_facts(files).0
    }

    fn graph_and_facts(files: &[(&str, &str)]) -> (ImportGraph, Vec<FileFacts>) {
        let facts: Vec<FileFacts> = files
            .iter()
            .map(|(rel, text)| crate::facts::extract_text(rel, text))
            .collect();
        let texts = files
            .iter()
            .filter(|(r, _)| r.ends_with(".json"))
            .map(|(r, t)| (r.to_string(), crate::source::SourceText::new(*t)))
            .collect();
        let rels = files.iter().map(|(r, _)| r.to_string()).collect();
        let resolver = Resolver::new(Path::new("/nonexistent-clerk-guard-root"), rels, texts);
        (ImportGraph::build(&facts, &resolver), facts)
    }

    fn describe(g: &ImportGraph, e: &Edge) -> String {
        let target = match &e.target {
            Target::File(t) => g.rel(*t).to_string(),
            Target::External { package, subpath } => format!("<{package}|{subpath}>"),
            Target::Unresolved => "?".to_string(),
        };
        let mut s = format!("{} -> {target}", g.rel(e.from));
        if e.type_only {
            s.push_str(" type");
        }
        if e.dynamic {
            s.push_str(" dynamic");
        }
        s
    }

    #[test]
    fn edges_and_importers() {
        let g = graph(&[
            (
                "a.ts",
                "import { b } from './b';\nimport type { T } from './t';\nexport * from './c';\nconst d = await import('./d');\nimport 'react';\nimport './nope';",
            ),
            ("b.ts", "import { c } from './c.js'; export const b = c;"),
            ("c.ts", "export const c = require('@clerk/nextjs/server');"),
            ("d.ts", ""),
            ("t.ts", "export type T = 1;"),
        ]);
        let a: Vec<String> = g
            .imports_of("a.ts")
            .iter()
            .map(|e| describe(&g, e))
            .collect();
        assert_eq!(
            a,
            [
                "a.ts -> b.ts",
                "a.ts -> t.ts type",
                "a.ts -> c.ts",
                "a.ts -> d.ts dynamic",
                "a.ts -> <react|>",
                "a.ts -> ?",
            ]
        );
        let c_importers: Vec<String> = g
            .importers_of("c.ts")
            .iter()
            .map(|e| describe(&g, e))
            .collect();
        assert_eq!(c_importers, ["a.ts -> c.ts", "b.ts -> c.ts"]);
        let c: Vec<String> = g
            .imports_of("c.ts")
            .iter()
            .map(|e| describe(&g, e))
            .collect();
        assert_eq!(c, ["c.ts -> <@clerk/nextjs|server>"]);
        assert!(g.imports_of("missing.ts").is_empty());
        assert!(g.importers_of("missing.ts").is_empty());
    }

    /// Bindings resolve the same over imports resolved file by file as over the whole
    /// graph, including a name a module declares itself and also re-exports with `export *`
    /// (the graph's answer depends on whether some `export *` points at that module).
    #[test]
    fn bindings_without_the_whole_graph() {
        let facts = |rel: &str, text: &str| crate::facts::extract_text(rel, text);
        let files = || {
            vec![
                facts(
                    "app/page.tsx",
                    "import { A, B, C, D } from '../lib/mixed'\nimport { E } from '../lib/barrel'\nimport { F as G } from '../lib/star'\n",
                ),
                facts(
                    "lib/mixed.ts",
                    "export * from './inner'\nexport { B } from './b'\nimport { C as X } from './c'\nexport { X as C }\nexport const A = 1\nexport const D = 1\n",
                ),
                facts("lib/inner.ts", "export const A = 2\nexport const D = 2\n"),
                facts("lib/b.ts", "export const B = 1\n"),
                facts("lib/c.ts", "export const C = 1\n"),
                facts(
                    "lib/barrel.ts",
                    "export * from './star'\nexport * from './e'\n",
                ),
                facts("lib/star.ts", "export * from './e'\nexport const F = 1\n"),
                facts("lib/e.ts", "export const E = 1\nexport const F = 2\n"),
            ]
        };
        let root = std::path::PathBuf::from("/nonexistent-clerk-guard-root");
        let lazy = Project::build_with(
            root.clone(),
            files(),
            Vec::new(),
            Default::default(),
            crate::project::Analysis::None,
        );
        let full = Project::build(root, files(), Vec::new(), Default::default());
        // A model resolves file by file too; its whole graph is built when asked for.
        assert!(!full.graph_is_built());
        full.graph();
        for name in ["A", "B", "C", "D", "E", "G", "Z"] {
            assert_eq!(
                lazy.resolve_binding("app/page.tsx", name),
                full.resolve_binding("app/page.tsx", name),
                "{name}"
            );
        }
        assert!(!lazy.graph_is_built());
        assert!(full.graph_is_built());
    }

    /// A file's run-time importers found by the names its importers can use equal the whole
    /// graph's: by a stem, an extension, a `.client` suffix, `./` and `..`, an alias-free
    /// relative path; a type-only import and a namesake in another folder are not importers;
    /// an `index` file is asked of the graph.
    #[test]
    fn runtime_importers_by_name_equal_the_graphs() {
        let facts = |rel: &str, text: &str| crate::facts::extract_text(rel, text);
        let files = || {
            vec![
                facts("components/likes.tsx", "export const Likes = 1\n"),
                facts("components/index.ts", "export * from './likes'\n"),
                facts("other/likes.tsx", "export const Likes = 2\n"),
                facts(
                    "app/a/page.tsx",
                    "import { Likes } from '../../components/likes'\n",
                ),
                facts(
                    "app/b/page.tsx",
                    "import { Likes } from '../../components/likes.tsx'\n",
                ),
                facts(
                    "app/c/page.tsx",
                    "import type { Likes } from '../../components/likes'\n",
                ),
                facts(
                    "app/d/page.tsx",
                    "import { Likes } from '../../other/likes'\n",
                ),
                facts(
                    "app/e/page.tsx",
                    "import { Likes } from '../../components'\n",
                ),
                facts("components/list.tsx", "import { Likes } from './likes'\n"),
                facts("components/deep/x.tsx", "import { Likes } from '..'\n"),
            ]
        };
        let root = std::path::PathBuf::from("/nonexistent-clerk-guard-root");
        let by_name = Project::build(root.clone(), files(), Vec::new(), Default::default());
        let full = Project::build(root, files(), Vec::new(), Default::default());
        full.graph();
        let rels = |p: &Project, v: Vec<usize>| -> Vec<String> {
            v.into_iter().map(|i| p.files[i].rel.to_string()).collect()
        };
        for target in [
            "components/likes.tsx",
            "other/likes.tsx",
            "components/index.ts",
        ] {
            let i = by_name.file_index(target).unwrap();
            let named = rels(&by_name, by_name.runtime_importers(i));
            let whole = rels(&full, full.runtime_importers(i));
            assert_eq!(named, whole, "{target}");
        }
        let likes = by_name.file_index("components/likes.tsx").unwrap();
        assert_eq!(
            rels(&by_name, by_name.runtime_importers(likes)),
            [
                "app/a/page.tsx",
                "app/b/page.tsx",
                "components/index.ts",
                "components/list.tsx"
            ]
        );
    }

    /// A module is imported nowhere when no specifier names its whole name: `next/image` and
    /// `./image.model` do not name `image.actions.ts`; `./image.actions.js`, and an alias the
    /// resolver cannot follow (`~lib/image.actions`), do.
    #[test]
    fn imported_nowhere_compares_whole_module_names() {
        let action = (
            "lib/actions/image.actions.ts",
            "'use server'\nexport async function f() {}\n",
        );
        let model = ("lib/models/image.model.ts", "export const Image = 1\n");
        let page = |text: &'static str| ("app/page.tsx", text);
        let cases: &[(&str, bool)] = &[
            (
                "import NextImage from 'next/image'\nimport { Image } from '../lib/models/image.model'\n",
                true,
            ),
            (
                "import { f } from '../lib/actions/image.actions.js'\n",
                false,
            ),
            ("import { f } from '~lib/image.actions'\n", false),
        ];
        for (text, nowhere) in cases {
            let p = crate::project::model_of(&[action, model, page(text)]);
            let id = p.file_index(action.0).unwrap();
            assert_eq!(p.imported_nowhere(id), *nowhere, "{text}");
        }
    }

    /// A top-level function runs nowhere when neither its module nor any module that imports
    /// it (through re-exports) uses its name; a module nothing imports may be loaded by path
    /// for its default export.
    #[test]
    fn functions_that_run_nowhere() {
        let pkg = (
            "package.json",
            r#"{"dependencies":{"next":"15.0.0","@clerk/nextjs":"6.0.0"}}"#,
        );
        let factory = |extra: &'static str| {
            (
                "lib/factory.ts",
                if extra.is_empty() {
                    "import { clerkMiddleware } from '@clerk/nextjs/server'
export function createMw() {
  return clerkMiddleware()
}
"
                } else {
                    extra
                },
            )
        };
        let barrel = (
            "lib/barrel.ts",
            "export { createMw } from './factory'
",
        );
        let user = (
            "server/edge.ts",
            "import { createMw } from '../lib/barrel'
export const edge = createMw()
",
        );
        let local = "import { clerkMiddleware } from '@clerk/nextjs/server'
export function createMw() {
  return clerkMiddleware()
}
export const mw = createMw()
";
        let default = "import { clerkMiddleware } from '@clerk/nextjs/server'
export default function createMw() {
  return clerkMiddleware()
}
";
        type Case<'a> = (Vec<(&'a str, &'a str)>, bool, &'a str);
        let cases: Vec<Case> = vec![
            (
                vec![pkg, factory(""), barrel],
                true,
                "re-exported, imported nowhere",
            ),
            (
                vec![pkg, factory(""), barrel, user],
                false,
                "called through the barrel",
            ),
            (
                vec![pkg, factory(local), barrel],
                false,
                "called in its own module",
            ),
            (
                vec![pkg, factory(default)],
                false,
                "a default export, loadable by path",
            ),
        ];
        for (files, nowhere, why) in cases {
            let p = crate::project::model_of(&files);
            let id = p.file_index("lib/factory.ts").unwrap();
            let f = p.files[id]
                .code()
                .and_then(|c| {
                    c.functions
                        .iter()
                        .position(|f| f.name.as_deref() == Some("createMw"))
                })
                .expect("the function");
            assert_eq!(p.runs_nowhere(id, f), nowhere, "{why}");
        }
    }

    #[test]
    fn project_upsert_refreshes_the_graph() {
        let facts = |rel: &str, text: &str| crate::facts::extract_text(rel, text);
        let mut p = Project::build(
            "/nonexistent-clerk-guard-root".into(),
            vec![facts("lib/b.ts", ""), facts("lib/a.ts", "import './b';")],
            Vec::new(),
            Default::default(),
        );
        assert_eq!(p.graph().importers_of("lib/b.ts").len(), 1);
        p.upsert(facts(
            "app/page.tsx",
            "import '../lib/b';\nimport '../lib/c';",
        ));
        p.upsert(facts("lib/a.ts", ""));
        let importers: Vec<&str> = p
            .graph()
            .importers_of("lib/b.ts")
            .iter()
            .map(|e| p.graph().rel(e.from))
            .collect();
        assert_eq!(importers, ["app/page.tsx"]);
        assert_eq!(
            p.graph().imports_of("app/page.tsx")[1].target,
            Target::Unresolved
        );
        p.upsert(facts("lib/c.ts", ""));
        let c = p.graph().imports_of("app/page.tsx")[1]
            .file()
            .map(|i| p.graph().rel(i));
        assert_eq!(c, Some("lib/c.ts"));
    }

    /// A project's import graph by path: each file's edges, then the importers of each file
    /// in order, then the names of each file some `export *` points at.
    fn graph_by_path(p: &Project) -> Vec<String> {
        let g = p.graph();
        let mut out = Vec::new();
        for id in 0..g.len() {
            for e in g.edges(id) {
                out.push(format!("{} #{} {:?}", describe(g, e), e.import, e.kind));
            }
        }
        for id in 0..g.len() {
            for e in g.importers(id) {
                out.push(format!("{} <- {} #{}", g.rel(id), g.rel(e.from), e.import));
            }
        }
        let mut stars: Vec<String> = g
            .own_exports
            .iter()
            .map(|(id, names)| format!("* {} {names:?}", g.rel(*id)))
            .collect();
        stars.sort();
        out.extend(stars);
        out
    }

    fn scan_findings(p: &Project) -> Vec<String> {
        let rules = crate::engine::RuleSet::new(&Default::default(), &[], &[]).unwrap();
        let mut out: Vec<String> = crate::engine::check(p, &rules, None)
            .iter()
            .map(|f| {
                format!(
                    "{} {}:{} {}",
                    f.rule,
                    f.path,
                    f.line().unwrap_or(0),
                    f.message
                )
            })
            .collect();
        out.sort();
        out
    }

    /// An import graph updated in place after each edit (imports changed, an `export *` added
    /// or removed, a re-export renamed, a barrel's own names changed, several files at once)
    /// equals, file for file and importer for importer, the graph of a model built from
    /// scratch on the edited files, and so do the scan's findings; an edit of a file the
    /// resolver reads (`tsconfig.json`) builds the graph again.
    #[test]
    fn graph_updated_in_place_equals_a_fresh_one() {
        let root = std::path::PathBuf::from("/nonexistent-clerk-guard-root");
        let mut texts: Vec<(String, String)> = [
            (
                "package.json",
                r#"{ "name": "web", "dependencies": { "next": "15.5.6", "@clerk/nextjs": "6.20.0" } }"#,
            ),
            (
                "tsconfig.json",
                r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }"#,
            ),
            (
                "middleware.ts",
                "import { clerkMiddleware } from '@clerk/nextjs/server';\nexport default clerkMiddleware();\nexport const config = { matcher: ['/((?!_next).*)'] };\n",
            ),
            (
                "app/api/users/route.ts",
                "import { requireUser } from '@/lib';\nexport async function GET() {\n  await requireUser();\n  return Response.json({});\n}\n",
            ),
            (
                "app/api/admin/route.ts",
                "import { banUser } from '@/lib/admin';\nexport async function POST(req: Request) {\n  const { id } = await req.json();\n  await banUser(id);\n  return Response.json({});\n}\n",
            ),
            (
                "lib/index.ts",
                "export * from './guard';\nexport { banUser } from './admin';\n",
            ),
            (
                "lib/guard.ts",
                "import { auth } from '@clerk/nextjs/server';\nexport async function requireUser() {\n  const { userId } = await auth();\n  if (!userId) throw new Error('unauthorized');\n  return userId;\n}\n",
            ),
            (
                "lib/admin.ts",
                "import { clerkClient } from '@clerk/nextjs/server';\nexport async function banUser(id: string) {\n  const client = await clerkClient();\n  await client.users.banUser(id);\n}\n",
            ),
            ("lib/other.ts", "export const helper = 1;\n"),
        ]
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
        let build = |texts: &[(String, String)]| {
            let facts = texts
                .iter()
                .map(|(r, t)| crate::facts::extract_text(r, t))
                .collect();
            Project::build(root.clone(), facts, Vec::new(), Default::default())
        };
        let mut p = build(&texts);
        let guard = "import { auth } from '@clerk/nextjs/server';\nasync function check() {\n  const { userId } = await auth();\n  if (!userId) throw new Error('unauthorized');\n}\nexport { check as requireUser };\nexport const extra = 1;\n";
        // (edits made together, whether the graph is kept)
        let steps: &[(&[(&str, &str)], bool)] = &[
            // Imports changed: the route imports the module itself, not the barrel.
            (
                &[(
                    "app/api/users/route.ts",
                    "import { requireUser } from '@/lib/guard';\nexport async function GET() {\n  await requireUser();\n  return Response.json({});\n}\n",
                )],
                true,
            ),
            // The barrel's `export *` removed.
            (
                &[("lib/index.ts", "export { banUser } from './admin';\n")],
                true,
            ),
            // Back to the barrel, which no longer shows where `requireUser` comes from.
            (
                &[(
                    "app/api/users/route.ts",
                    "import { requireUser } from '@/lib';\nexport async function GET() {\n  await requireUser();\n  return Response.json({});\n}\n",
                )],
                true,
            ),
            // Two `export *` added, a re-export renamed.
            (
                &[(
                    "lib/index.ts",
                    "export * from './guard';\nexport * from './other';\nexport { banUser as ban, banUser } from './admin';\n",
                )],
                true,
            ),
            // A file some `export *` points at declares other names.
            (&[("lib/guard.ts", guard)], true),
            // Several files at once: a cycle of `export *`, a route that stops importing.
            (
                &[
                    (
                        "lib/other.ts",
                        "export * from './index';\nexport const helper = 1;\n",
                    ),
                    (
                        "app/api/admin/route.ts",
                        "export async function POST() {\n  return Response.json({});\n}\n",
                    ),
                ],
                true,
            ),
            // The resolver reads this file: the graph is built again.
            (
                &[(
                    "tsconfig.json",
                    r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./lib/*"] } } }"#,
                )],
                false,
            ),
            // Imports resolved with the new paths.
            (
                &[(
                    "app/api/users/route.ts",
                    "import { requireUser } from '@/guard';\nexport async function GET() {\n  await requireUser();\n  return Response.json({});\n}\n",
                )],
                true,
            ),
        ];
        let mut findings_seen = HashSet::new();
        for (k, (edits, kept)) in steps.iter().enumerate() {
            for (rel, text) in *edits {
                let slot = texts.iter_mut().find(|(r, _)| r == rel).unwrap();
                slot.1 = text.to_string();
            }
            p.upsert_all(
                edits
                    .iter()
                    .map(|(r, t)| crate::facts::extract_text(r, t))
                    .collect(),
            );
            assert_eq!(p.last_update().graph_kept, *kept, "step {k}");
            let fresh = build(&texts);
            assert_eq!(graph_by_path(&p), graph_by_path(&fresh), "step {k}");
            let found = scan_findings(&p);
            assert_eq!(found, scan_findings(&fresh), "step {k}");
            findings_seen.insert(found);
        }
        // The edits change what the scan reports.
        assert!(findings_seen.len() > 2, "{findings_seen:?}");
    }

    #[test]
    fn reachability_and_chains() {
        let g = graph(&[
            ("components/Other.tsx", "'use client';\nimport 'react';"),
            (
                "components/UserMenu.tsx",
                "'use client';\nimport { cfg } from '../lib/a';\nimport type { U } from '../lib/types';",
            ),
            ("lib/a.ts", "export { cfg } from './b';"),
            ("lib/b.ts", "import './a'; export const cfg = 1;"),
            ("lib/types.ts", "import './c';"),
            ("lib/c.ts", ""),
            ("server.ts", "import './lib/c';"),
        ]);
        let roots = [
            g.id("components/UserMenu.tsx").unwrap(),
            g.id("components/Other.tsx").unwrap(),
        ];
        let reach = g.reachable_from(roots, Edge::is_runtime);
        let reached: Vec<&str> = reach.files().map(|i| g.rel(i)).collect();
        assert_eq!(
            reached,
            [
                "components/Other.tsx",
                "components/UserMenu.tsx",
                "lib/a.ts",
                "lib/b.ts"
            ]
        );
        let b = g.id("lib/b.ts").unwrap();
        assert_eq!(
            g.chain_rels(&reach, b),
            ["components/UserMenu.tsx", "lib/a.ts", "lib/b.ts"]
        );
        assert_eq!(reach.chain(g.id("lib/c.ts").unwrap()), Vec::<usize>::new());
        assert_eq!(reach.pred(roots[0]), Pred::Root);
        match reach.pred(b) {
            Pred::Via { from, edge } => {
                assert_eq!(g.rel(from), "lib/a.ts");
                assert_eq!(g.edges(from)[edge].file(), Some(b));
            }
            other => panic!("{other:?}"),
        }
        // Following type-only edges too reaches the types and what they import.
        let all = g.reachable_from(roots, |_| true);
        assert_eq!(
            g.chain_rels(&all, g.id("lib/c.ts").unwrap()),
            ["components/UserMenu.tsx", "lib/types.ts", "lib/c.ts"]
        );
        // Out-of-range roots are ignored.
        assert_eq!(g.reachable_from([999], |_| true).files().count(), 0);
    }

    #[test]
    fn bindings_through_barrels() {
        let (g, facts) = graph_and_facts(&[
            (
                "page.tsx",
                "import { Button, Card as C, icons, Helper, Missing, Alias, Type } from './ui';\nimport * as ui from './ui';\nimport Def from './ui/Card';\nimport { auth } from '@clerk/nextjs/server';\nimport { x } from './loop-a';",
            ),
            (
                "ui/index.ts",
                "export * from './Button';\nexport { default as Card } from './Card';\nexport * as icons from './icons';\nexport * from './helpers';\nimport { Inner } from './inner';\nexport { Inner as Alias };\nexport type { Type } from './types';",
            ),
            ("ui/Button.tsx", "export function Button() {}"),
            ("ui/Card.tsx", "export default function Card() {}"),
            ("ui/icons.ts", "export const a = 1;"),
            ("ui/helpers/index.ts", "export * from './deep';"),
            ("ui/helpers/deep.ts", "export const Helper = () => 1;"),
            ("ui/inner.ts", "export const Inner = 1;"),
            ("ui/types.ts", "export type Type = string;"),
            ("loop-a.ts", "export * from './loop-b';"),
            ("loop-b.ts", "export * from './loop-a';"),
        ]);
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("Button", Some(("ui/Button.tsx", "Button"))),
            ("C", Some(("ui/Card.tsx", "default"))),
            ("icons", Some(("ui/icons.ts", "*"))),
            ("Helper", Some(("ui/helpers/deep.ts", "Helper"))),
            // No file shows it: the barrel itself is the best answer.
            ("Missing", Some(("ui/index.ts", "Missing"))),
            ("Alias", Some(("ui/inner.ts", "Inner"))),
            ("Type", Some(("ui/types.ts", "Type"))),
            ("ui", Some(("ui/index.ts", "*"))),
            ("Def", Some(("ui/Card.tsx", "default"))),
            ("auth", None),
            ("x", Some(("loop-a.ts", "x"))),
            ("notImported", None),
        ];
        for (local, want) in cases {
            let got = g.resolve_binding(&facts, "page.tsx", local);
            let want = want.map(|(f, n)| (f.to_string(), n.to_string()));
            assert_eq!(got, want, "{local}");
        }
        assert_eq!(
            g.resolve_export(&facts, "ui/index.ts", "Button"),
            Some(("ui/Button.tsx".to_string(), "Button".to_string()))
        );
    }

    /// Build time of the resolver and the graph on a real tree:
    /// `CLERK_GUARD_BENCH_DIR=/path cargo test --release --lib project::graph::tests::build_time -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn build_time() {
        let Ok(dir) = std::env::var("CLERK_GUARD_BENCH_DIR") else {
            eprintln!("set CLERK_GUARD_BENCH_DIR");
            return;
        };
        let root = std::fs::canonicalize(dir).unwrap();
        let start = std::time::Instant::now();
        let (project, _) = crate::engine::load_project(&root, Default::default(), false);
        let load = start.elapsed();
        let files = &project.files;
        let mut best = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            let t0 = std::time::Instant::now();
            let resolver = Resolver::from_facts(&root, files);
            let t1 = std::time::Instant::now();
            let g = ImportGraph::build(files, &resolver);
            let t2 = std::time::Instant::now();
            assert_eq!(g.len(), files.len());
            best.0 = best.0.min((t1 - t0).as_secs_f64() * 1e3);
            best.1 = best.1.min((t2 - t1).as_secs_f64() * 1e3);
        }
        let g = project.graph();
        let edges: Vec<&Edge> = (0..g.len()).flat_map(|i| g.edges(i)).collect();
        let count = |f: &dyn Fn(&Edge) -> bool| edges.iter().filter(|e| f(e)).count();
        println!(
            "{} files ({} scripts), {} edges: {} to files, {} external, {} unresolved",
            files.len(),
            files.iter().filter(|f| f.kind.lang().is_some()).count(),
            edges.len(),
            count(&|e| e.file().is_some()),
            count(&|e| e.external().is_some()),
            count(&|e| e.target == Target::Unresolved),
        );
        println!(
            "load_project (walk + facts + graph): {:.0} ms; resolver {:.1} ms, graph {:.1} ms",
            load.as_secs_f64() * 1e3,
            best.0,
            best.1
        );
        let mut unresolved: Vec<String> = edges
            .iter()
            .filter(|e| e.target == Target::Unresolved)
            .map(|e| {
                format!(
                    "{} -> {}",
                    g.rel(e.from),
                    project.files[e.from].imports()[e.import].source
                )
            })
            .collect();
        unresolved.sort();
        for u in unresolved
            .iter()
            .filter(|u| !u.contains("__tests__"))
            .take(15)
        {
            println!("  unresolved: {u}");
        }
    }
}
