//! The client set: the modules Next.js bundles for the browser, with the import chain that
//! pulls each one in.
//!
//! Roots are every `'use client'` module and every Pages Router page (pages render on both
//! sides; `_document` and `pages/api` only on the server). From the roots, the set follows the
//! import graph's runtime edges (static imports, re-exports, `require`, dynamic `import()`; not
//! type-only imports), resolved like the bundler resolves them (relative paths, `tsconfig`
//! paths, workspace packages). It stops at `'use server'` modules: client code that imports a
//! server action receives a reference, not the module. A Pages Router page's imports that only
//! its data functions use (`getServerSideProps`, `getStaticProps`, `getStaticPaths`) are
//! compiled out of the browser bundle and not followed; neither does code inside those
//! functions ship. Nor are a TypeScript module's imports that only its types use (the compiler
//! drops them): both are read, by parsing, only for the imports a chain toward what a rule
//! reports could take.
//!
//! The rules ask about few modules: those holding a secret key, a read of a secret variable
//! or an `import 'server-only'`. The set is built, once per scan, on first use, from them
//! back: one breadth-first search per such module over the importers the roots reach, all of
//! them a level at a time (the shortest chain wins), so that a module behind an import only
//! types use costs the parse of its importer, not of everything between it and the roots.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

use super::Project;
use super::graph::Edge;
use super::routes::route_stem;
use crate::facts::gates::{DATA_FUNCTIONS, Strip, mentions_data_function, server_fn_imports};
use crate::facts::imports::ImportKind;
use crate::facts::secrets::{is_secret_env_name, public_env_prefix};
use crate::facts::{Directive, FileFacts};
use crate::finding::Span;
use crate::source::file_name;

/// Time spent building client sets (for `CLERK_GUARD_TIMING`).
pub static BOUNDARY_NS: AtomicU64 = AtomicU64::new(0);

/// Why a module is a root of the client set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// It starts with `'use client'` (the span of the directive).
    UseClient(Span),
    /// A Pages Router page: rendered on the server and hydrated in the browser.
    PagesRouterPage,
}

/// One step of a chain: `from` imports the next module through its import `import`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub from: usize,
    /// Index into `FileFacts::imports` of `from`.
    pub import: usize,
    pub to: usize,
    pub dynamic: bool,
}

pub struct ClientSet {
    roots: HashMap<usize, Root>,
    /// The modules the rules ask about (what [`matters`]) that some root reaches, each with
    /// its chain from a root (empty for a root).
    reached: HashMap<usize, Vec<Step>>,
    /// Pages Router pages with data functions: what Next.js strips for the browser.
    strips: HashMap<usize, Strip>,
    /// (file, import index) of imports compiled out of the browser bundle: those only a
    /// page's data functions use, and those of a TypeScript module that only types use (of
    /// these, the ones the build asked about).
    stripped_imports: HashSet<(usize, usize)>,
    /// (file, import index) of the TypeScript imports the build asked about: whether the
    /// compiler drops it.
    decided: HashMap<(usize, usize), bool>,
}

impl ClientSet {
    /// Build the client set of the project.
    pub fn build(p: &Project) -> ClientSet {
        let mut roots: Vec<usize> = client_roots(p).map(|(id, _)| id).collect();
        roots.sort_unstable();
        let toward = reaches_what_matters(p, &roots);
        ClientSet::build_with(p, &toward, false)
    }

    /// `build`, given what the client roots reach that leads to what matters
    /// (`reaches_what_matters`). With `parallel`, the modules a step of the search asks
    /// about are parsed all at once, in parallel (only where every worker is free).
    fn build_with(p: &Project, toward: &Toward, parallel: bool) -> ClientSet {
        let t0 = std::time::Instant::now();
        let files = &p.files;
        let roots: HashMap<usize, Root> = client_roots(p).collect();

        // What the compiler takes out of the browser bundle: a page's data functions and what
        // only they use, and the imports TypeScript drops because only types use them.
        // Parsing a module for that only matters when it leads to something a rule reports.
        let mut pages: Vec<usize> = roots
            .iter()
            .filter(|(_, r)| **r == Root::PagesRouterPage)
            .map(|(id, _)| *id)
            .collect();
        pages
            .retain(|id| toward.modules.contains(id) && mentions_data_function(&files[*id].text()));
        // And any module on the way that defines TanStack Start server functions: the client
        // build keeps only their calls of the server.
        pages.extend(
            toward
                .modules
                .iter()
                .copied()
                .filter(|&id| server_fn_imports(files[id].imports())),
        );
        pages.sort_unstable();
        pages.dedup();
        if parallel {
            use rayon::prelude::*;
            pages.par_iter().for_each(|&id| {
                files[id].gates();
            });
        }
        let strips: HashMap<usize, Strip> = pages
            .iter()
            .filter_map(|id| Some((*id, files[*id].gates()?.strip.clone()?)))
            .collect();
        let mut stripped_imports = HashSet::new();
        for &id in &pages {
            let f = &files[id];
            for (k, imp) in f.imports().iter().enumerate() {
                let by_strip = strips
                    .get(&id)
                    .is_some_and(|s| s.imports.contains(&imp.source_span));
                // `export { getServerSideProps } from '../lib/ssr'`.
                let data_reexport = imp.kind == ImportKind::ReExport
                    && !imp.names.is_empty()
                    && imp
                        .names
                        .iter()
                        .all(|n| DATA_FUNCTIONS.contains(&n.local.as_str()));
                if by_strip || data_reexport {
                    stripped_imports.insert((id, k));
                }
            }
        }

        // An edge a chain may take: at run time, not compiled out of a page, not into a
        // `'use server'` module or build output. Whether TypeScript drops it is asked apart,
        // and only of the edges a search takes.
        let may_follow = |e: &Edge| {
            e.is_runtime()
                && !stripped_imports.contains(&(e.from, e.import))
                && e.file().is_some_and(|t| {
                    !matches!(files[t].directive(), Some((Directive::UseServer, _)))
                        && !files[t].origin.build_output
                })
        };
        let elision = Elision {
            p,
            parallel,
            known: RefCell::default(),
        };
        let reached = chains_back(p, toward, &roots, &may_follow, &elision);
        let decided = elision.known.into_inner();
        stripped_imports.extend(
            decided
                .iter()
                .filter(|(_, dropped)| **dropped)
                .map(|(key, _)| *key),
        );
        BOUNDARY_NS.fetch_add(t0.elapsed().as_nanos() as u64, Ordering::Relaxed);
        if std::env::var_os("CLERK_GUARD_TIMING").is_some() {
            eprintln!(
                "timing: client set of {} files: {} roots, {} of {} modules that matter reached ({} on chains toward them; {} imports asked about, {} modules parsed for them), {} files' imports resolved{}",
                files.len(),
                roots.len(),
                reached.len(),
                toward.targets.len(),
                toward.modules.len(),
                decided.len(),
                decided
                    .keys()
                    .map(|(f, _)| *f)
                    .filter(|f| files[*f].gates_is_parsed())
                    .collect::<HashSet<usize>>()
                    .len(),
                p.resolved_files(),
                if p.graph_is_built() {
                    " (whole graph)"
                } else {
                    ""
                },
            );
        }
        ClientSet {
            roots,
            reached,
            strips,
            stripped_imports,
            decided,
        }
    }

    /// Whether a module is bundled for the browser.
    ///
    /// Exact for the modules the rules ask about: a root, or a module that holds a secret key,
    /// a read of a secret environment variable or a `server-only` import. Of any other module
    /// the answer is `false`.
    pub fn contains(&self, id: usize) -> bool {
        self.roots.contains_key(&id) || self.reached.contains_key(&id)
    }

    /// Whether a module is a root of the client set, and why.
    pub fn root(&self, id: usize) -> Option<Root> {
        self.roots.get(&id).copied()
    }

    /// Whether code at `span` of module `id` ships to the browser: the module is in the set
    /// and the span is not inside a stripped data function.
    pub fn ships(&self, id: usize, span: Span) -> bool {
        self.contains(id) && !self.strips.get(&id).is_some_and(|s| s.covers(span))
    }

    /// What a Pages Router page's data functions take out of its browser bundle.
    pub fn strip(&self, id: usize) -> Option<&Strip> {
        self.strips.get(&id)
    }

    /// Whether import `import` of module `id` is compiled out of the browser bundle.
    pub fn is_stripped_import(&self, id: usize, import: usize) -> bool {
        self.stripped_imports.contains(&(id, import))
    }

    /// The shortest import chain from a root to `id` (empty when `id` is a root or not in the
    /// set; see [`chains_back`] for which of several).
    pub fn steps(&self, _p: &Project, id: usize) -> Vec<Step> {
        if self.roots.contains_key(&id) {
            return Vec::new();
        }
        self.reached.get(&id).cloned().unwrap_or_default()
    }

    /// `components/UserMenu.tsx ('use client') → lib/clerk-config.ts` for module `id`.
    pub fn describe_chain(&self, p: &Project, id: usize) -> String {
        let steps = self.steps(p, id);
        let root = steps.first().map_or(id, |s| s.from);
        let mut out = format!("`{}`{}", p.files[root].rel, root_note(self.root(root)));
        for s in &steps {
            out.push_str(" → ");
            out.push_str(&format!("`{}`", p.files[s.to].rel));
            if s.dynamic {
                out.push_str(" (`import()`)");
            }
        }
        out
    }

    /// Related locations for the chain to `id`: the root's directive, then each import.
    pub fn chain_locations(&self, p: &Project, id: usize) -> Vec<(String, Option<Span>, String)> {
        let steps = self.steps(p, id);
        let root = steps.first().map_or(id, |s| s.from);
        let mut out = Vec::new();
        match self.root(root) {
            Some(Root::UseClient(span)) => out.push((
                p.files[root].rel.to_string(),
                Some(span),
                "'use client': this module and everything it imports ship to the browser"
                    .to_string(),
            )),
            Some(Root::PagesRouterPage) => out.push((
                p.files[root].rel.to_string(),
                None,
                "a Pages Router page: its module and imports ship to the browser".to_string(),
            )),
            None => {}
        }
        const MAX_STEPS: usize = 8;
        for s in steps.iter().take(MAX_STEPS) {
            let f = &p.files[s.from];
            let span = f.imports().get(s.import).map(|i| i.source_span);
            let how = if s.dynamic { "loads" } else { "imports" };
            out.push((
                f.rel.to_string(),
                span,
                format!("{how} `{}`", p.files[s.to].rel),
            ));
        }
        out
    }
}

/// The roots of the client set, in file order: `'use client'` modules and Pages Router pages.
fn client_roots(p: &Project) -> impl Iterator<Item = (usize, Root)> + '_ {
    p.files.iter().enumerate().filter_map(|(id, f)| {
        if f.origin.build_output || f.kind.lang().is_none() {
            return None;
        }
        if let Some((Directive::UseClient, span)) = f.directive() {
            Some((id, Root::UseClient(span)))
        } else if is_pages_router_page(p, f) {
            Some((id, Root::PagesRouterPage))
        } else {
            None
        }
    })
}

/// Whether some script holds what the secret rules ask the client set about: a secret key or
/// a read of a secret environment variable.
pub(crate) fn asks_about_the_client_set(files: &[FileFacts]) -> bool {
    files.iter().any(|f| {
        matches!(f.kind, crate::source::FileKind::Script(_))
            && !f.origin.build_output
            && (f.keys().iter().any(|k| k.kind.is_secret())
                || f.env_reads()
                    .iter()
                    .any(|r| public_env_prefix(&r.name).is_none() && is_secret_env_name(&r.name)))
    })
}

/// Whether some script imports 'server-only' (what `server-only-in-client` asks the client
/// set about).
fn imports_server_only(p: &Project) -> bool {
    p.files
        .iter()
        .any(|f| f.hits.has("server-only") && f.imports().iter().any(|i| i.source == "server-only"))
}

/// Whether a module holds something the boundary rules report when it ships: a secret key,
/// a read of a secret environment variable, an `import 'server-only'`.
fn matters(f: &FileFacts) -> bool {
    f.keys().iter().any(|k| k.kind.is_secret())
        || f.env_reads()
            .iter()
            .any(|r| public_env_prefix(&r.name).is_none() && is_secret_env_name(&r.name))
        || f.imports().iter().any(|i| i.source == "server-only")
}

/// What the client roots reach that leads to what matters.
struct Toward {
    /// The modules the roots reach that are, or import (at run time, not through a
    /// `'use server'` module), a module that [`matters`]: the modules on some chain a rule
    /// could report.
    modules: HashSet<usize>,
    /// The modules of `modules` that [`matters`] (in id order).
    targets: Vec<usize>,
    /// Per module of `modules`, the runtime edges into it from `modules`: (file, edge index).
    importers: HashMap<usize, Vec<(usize, usize)>>,
}

/// [`Toward`] of some roots. Only what the roots reach is resolved: the modules they lead to
/// through such imports, over which the importers of what matters are walked back.
fn reaches_what_matters(p: &Project, roots: &[usize]) -> Toward {
    let files = &p.files;
    let use_server = |t: usize| matches!(files[t].directive(), Some((Directive::UseServer, _)));
    // The modules the roots reach, and the runtime edges among them, reversed.
    let mut reached: HashSet<usize> = roots.iter().copied().collect();
    let mut importers: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    let mut stack: Vec<usize> = roots.to_vec();
    while let Some(from) = stack.pop() {
        for (k, e) in p.edges(from).iter().enumerate() {
            let Some(t) = e.file() else { continue };
            if !e.is_runtime() || use_server(t) {
                continue;
            }
            importers.entry(t).or_default().push((from, k));
            if reached.insert(t) {
                stack.push(t);
            }
        }
    }
    // Back from what matters, not through a `'use server'` module.
    let mut targets: Vec<usize> = reached
        .iter()
        .copied()
        .filter(|i| matters(&files[*i]))
        .collect();
    targets.sort_unstable();
    let mut seen: HashSet<usize> = targets.iter().copied().collect();
    let mut stack: Vec<usize> = targets.clone();
    while let Some(t) = stack.pop() {
        if use_server(t) {
            continue;
        }
        for &(from, _) in importers.get(&t).into_iter().flatten() {
            if seen.insert(from) {
                stack.push(from);
            }
        }
    }
    importers.retain(|t, _| seen.contains(t));
    for edges in importers.values_mut() {
        edges.retain(|(from, _)| seen.contains(from));
    }
    Toward {
        modules: seen,
        targets,
        importers,
    }
}

/// Whether the client set stays the same after file `id` of `p` is replaced by `new` (the
/// same path), provided the apps and the file's resolved imports are the same as before: the
/// set reads of a module only its directive (a root, or where it stops), whether it is build
/// output, whether it holds what the boundary rules report ([`matters`], which decides the
/// pages whose data functions are looked at), and whether the TypeScript compiler drops the
/// imports it asked about; of a Pages Router page it reads more.
pub(crate) fn same_for_client_set(p: &Project, id: usize, new: &FileFacts) -> bool {
    let old = &p.files[id];
    old.rel == new.rel
        && old.kind == new.kind
        && old.directive() == new.directive()
        && old.origin.build_output == new.origin.build_output
        && matters(old) == matters(new)
        && !is_pages_router_page(p, old)
        && p.client_set.get().is_none_or(|cs| {
            let (ks, was): (Vec<usize>, Vec<bool>) = cs
                .decided
                .iter()
                .filter(|((file, _), _)| *file == id)
                .map(|((_, k), dropped)| (*k, *dropped))
                .unzip();
            ks.is_empty() || drops_imports(new, &ks) == was
        })
}

/// For each module that [`matters`], whether a root reaches it over the edges the bundler
/// follows, and the chain: a search back from each over its importers (those the roots reach,
/// `Toward::importers`), one level at a time for all of them together, that stops at the
/// first level holding a root. The chain is a shortest one; of several, the one from the
/// root first in path order, through, at each step, the module first in path order among
/// those the previous level reached through their first import. Whether the TypeScript
/// compiler drops an import is asked only of the edges these searches take (`Elision`).
fn chains_back(
    p: &Project,
    toward: &Toward,
    roots: &HashMap<usize, Root>,
    may_follow: &(dyn Fn(&Edge) -> bool + Sync),
    elision: &Elision<'_>,
) -> HashMap<usize, Vec<Step>> {
    /// One target's search: each module gathered with the edge toward the target it was
    /// gathered through, and the level to widen next.
    struct Search {
        target: usize,
        toward_target: HashMap<usize, (usize, usize)>,
        level: Vec<usize>,
    }
    let mut out = HashMap::new();
    let mut searches: Vec<Search> = Vec::new();
    for &t in &toward.targets {
        if !roots.contains_key(&t) {
            searches.push(Search {
                target: t,
                toward_target: HashMap::new(),
                level: vec![t],
            });
        }
    }
    let importers = |m: usize| {
        toward
            .importers
            .get(&m)
            .into_iter()
            .flatten()
            .map(|&(from, k)| (k, &p.edges(from)[k]))
            .filter(|(_, e)| may_follow(e))
    };
    while !searches.is_empty() {
        // What this level of every search asks, decided at once.
        elision.decide(
            searches
                .iter()
                .flat_map(|s| {
                    s.level
                        .iter()
                        .flat_map(|&m| importers(m))
                        .map(|(_, e)| e)
                        .filter(|e| e.from != s.target && !s.toward_target.contains_key(&e.from))
                })
                .filter(|e| elision.asks(e)),
        );
        searches.retain_mut(|s| {
            let mut next = Vec::new();
            for &m in &s.level {
                for (k, e) in importers(m) {
                    if e.from == s.target
                        || s.toward_target.contains_key(&e.from)
                        || elision.drops(e)
                    {
                        continue;
                    }
                    s.toward_target.insert(e.from, (m, k));
                    next.push(e.from);
                }
            }
            next.sort_unstable();
            if let Some(&root) = next.iter().find(|m| roots.contains_key(m)) {
                let mut steps = Vec::new();
                let mut at = root;
                while let Some(&(to, edge)) = s.toward_target.get(&at) {
                    let e = &p.edges(at)[edge];
                    steps.push(Step {
                        from: at,
                        import: e.import,
                        to,
                        dynamic: e.dynamic,
                    });
                    at = to;
                    if steps.len() > s.toward_target.len() {
                        break;
                    }
                }
                out.insert(s.target, steps);
                return false;
            }
            s.level = next;
            !s.level.is_empty()
        });
    }
    out
}

/// Which imports of TypeScript modules the compiler drops, decided on demand for the edges
/// the chain searches take. A JavaScript module keeps every import, and so does a TypeScript
/// module's import of which some binding is surely used as a value (a call, `new`, a JSX
/// element) or re-exported (`kept_by_use`); only the modules with an import that test leaves
/// open are parsed to tell (`elided`).
struct Elision<'a> {
    p: &'a Project,
    parallel: bool,
    /// (file, import) decided already: whether the compiler drops it.
    known: RefCell<HashMap<(usize, usize), bool>>,
}

impl Elision<'_> {
    /// Whether the compiler may drop the import of edge `e`: a static import that binds
    /// names, of a TypeScript module.
    fn asks(&self, e: &Edge) -> bool {
        let f = &self.p.files[e.from];
        f.kind
            .lang()
            .is_some_and(crate::source::Lang::is_typescript)
            && f.imports()
                .get(e.import)
                .is_some_and(|i| i.kind == ImportKind::Static && !i.names.is_empty())
    }

    /// Whether the compiler drops the import of edge `e`.
    fn drops(&self, e: &Edge) -> bool {
        if !self.asks(e) {
            return false;
        }
        let key = (e.from, e.import);
        if let Some(known) = self.known.borrow().get(&key) {
            return *known;
        }
        let dropped = drops_import(&self.p.files[e.from], e.import);
        self.known.borrow_mut().insert(key, dropped);
        dropped
    }

    /// Decide the edges not decided yet, all at once and in parallel when the build may
    /// (otherwise [`Elision::drops`] decides each when it is asked).
    fn decide<'e>(&self, edges: impl Iterator<Item = &'e Edge>) {
        if !self.parallel {
            return;
        }
        use rayon::prelude::*;
        let mut keys: Vec<(usize, usize)> = {
            let known = self.known.borrow();
            edges
                .map(|e| (e.from, e.import))
                .filter(|k| !known.contains_key(k))
                .collect()
        };
        keys.sort_unstable();
        keys.dedup();
        // One text read per module, however many of its imports are asked about.
        let by_file: Vec<&[(usize, usize)]> = keys.chunk_by(|a, b| a.0 == b.0).collect();
        let files = &self.p.files;
        let answers: Vec<Vec<((usize, usize), bool)>> = by_file
            .par_iter()
            .map(|keys| {
                let f = &files[keys[0].0];
                let ks: Vec<usize> = keys.iter().map(|(_, k)| *k).collect();
                keys.iter().copied().zip(drops_imports(f, &ks)).collect()
            })
            .collect();
        self.known
            .borrow_mut()
            .extend(answers.into_iter().flatten());
    }
}

/// Whether the TypeScript compiler drops import `k` of module `f`: no binding of it is
/// surely used as a value ([`kept_by_use`]), and the parse finds only types use them.
fn drops_import(f: &FileFacts, k: usize) -> bool {
    drops_imports(f, &[k])[0]
}

/// [`drops_import`] for several imports of one module (its text read once, and not at all
/// when the facts cache knows what the compiler drops and it drops none of them).
fn drops_imports(f: &FileFacts, ks: &[usize]) -> Vec<bool> {
    let known = f.known_dropped_imports();
    if let Some(known) = &known
        && !ks.iter().any(|&k| known.iter().any(|&d| d as usize == k))
    {
        return vec![false; ks.len()];
    }
    let text = f.text();
    let open: Vec<bool> = ks.iter().map(|&k| !kept_by_use(f, &text, k)).collect();
    if !open.contains(&true) {
        return open;
    }
    let elided = f.dropped_imports();
    ks.iter()
        .zip(open)
        .map(|(k, open)| open && elided.contains(k))
        .collect()
}

/// Whether the TypeScript module `f` (of text `text`) surely keeps its import `k`: some
/// binding of it is not a type and is re-exported or surely used as a value
/// ([`surely_a_value`]).
fn kept_by_use(f: &FileFacts, text: &str, k: usize) -> bool {
    use crate::source::{FileKind, Lang};
    let Some(i) = f.imports().get(k) else {
        return true;
    };
    let tsx = matches!(f.kind, FileKind::Script(Lang::Tsx));
    i.names
        .iter()
        .any(|n| !n.type_only && (!n.exported_as.is_empty() || surely_a_value(text, &n.local, tsx)))
}

/// Whether `text` surely uses the name `name` as a value somewhere: called (`name(…)`,
/// `name.parse(…)`), constructed (`new name`), awaited, returned, in a template literal, or, in
/// TSX, rendered (`<Name …>`) or passed to a JSX attribute, where no type can stand. A use the test cannot place makes it answer `false` (then the module is
/// parsed).
fn surely_a_value(text: &str, name: &str, tsx: bool) -> bool {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let skip_ws = |mut i: usize| {
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        i
    };
    text.match_indices(name).any(|(at, _)| {
        let end = at + name.len();
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| ident(b) || b == b'.')
            || bytes.get(end).is_some_and(|b| ident(*b))
        {
            return false;
        }
        // `name(`, `name.a.b(`, `name?.a(`.
        let mut i = skip_ws(end);
        loop {
            let dot = match (bytes.get(i), bytes.get(i + 1)) {
                (Some(b'?'), Some(b'.')) => i + 2,
                (Some(b'.'), _) => i + 1,
                _ => break,
            };
            let mut j = skip_ws(dot);
            let start = j;
            while bytes.get(j).is_some_and(|b| ident(*b)) {
                j += 1;
            }
            if j == start {
                break;
            }
            i = skip_ws(j);
        }
        if bytes.get(i) == Some(&b'(') {
            return true;
        }
        let head = text[..at].trim_end();
        let after_word = |w: &str| {
            head.strip_suffix(w).is_some_and(|rest| {
                !rest.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            })
        };
        // `new name`, `await name`, `return name`, `${name}`, and a JSX attribute `={name}`.
        if after_word("new")
            || after_word("await")
            || after_word("return")
            || text[..at].ends_with("${")
            || (tsx && text[..at].ends_with("={"))
        {
            return true;
        }
        // An operand of a logical or comparison operator no type has: `!name`, `a && name`,
        // `name.length >= 3` (`>=` only with a space before it: `Array<T>= x` closes a type).
        const BEFORE: [&str; 7] = ["&&", "||", "??", "==", "!=", "<=", " >="];
        const AFTER: [&str; 5] = ["&&", "||", "??", "==", "!="];
        let spaced = bytes
            .get(i.wrapping_sub(1))
            .is_some_and(u8::is_ascii_whitespace);
        if text[..at].ends_with('!')
            || BEFORE
                .iter()
                .any(|op| text[..at].trim_end_matches([' ', '\t']).ends_with(op))
            || AFTER.iter().any(|op| text[i..].starts_with(op))
            || (spaced && text[i..].starts_with(">="))
        {
            return true;
        }
        // `<Name ` / `<Name>` / `<Name/` after something that is not a name (`Array<Name>`),
        // or after `return`.
        if !(tsx
            && before == Some(b'<')
            && matches!(
                bytes.get(end),
                Some(b' ' | b'\n' | b'\t' | b'/' | b'>' | b'.')
            ))
        {
            return false;
        }
        let lead = text[..at - 1].trim_end();
        let word_start = lead
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .map_or(0, |i| i + 1);
        let word = &lead[word_start..];
        if word.is_empty() {
            !lead.ends_with(['.', ')', ']'])
        } else {
            matches!(word, "return" | "yield")
        }
    })
}

fn root_note(root: Option<Root>) -> &'static str {
    match root {
        Some(Root::UseClient(_)) => " ('use client')",
        Some(Root::PagesRouterPage) => " (Pages Router page)",
        None => "",
    }
}

/// A Pages Router page (not an API route, not `_document`): rendered in the browser too.
pub fn is_pages_router_page(p: &Project, f: &FileFacts) -> bool {
    if !f.rel.starts_with("pages/") && !f.rel.contains("/pages/") {
        return false;
    }
    let Some(app) = p.app_of(&f.rel).map(|i| &p.apps[i]) else {
        return false;
    };
    let Some(dir) = &app.pages_dir else {
        return false;
    };
    let Some(inner) = f
        .rel
        .strip_prefix(dir.as_str())
        .and_then(|r| r.strip_prefix('/'))
    else {
        return false;
    };
    let Some(stem) = route_stem(app, file_name(&f.rel)) else {
        return false;
    };
    let top_level = inner == file_name(inner);
    !inner.starts_with("api/") && (!top_level || stem != "_document")
}

impl Project {
    /// The client set (built on first use, once per project).
    pub fn client_set(&self) -> &ClientSet {
        self.client_set.get_or_init(|| ClientSet::build(self))
    }

    /// Build the client set now, without the whole import graph, when the import graph is
    /// not built and some script holds what the rules ask it about (a secret key or a read of
    /// a secret environment variable; with `server_only`, also an `import 'server-only'`): the
    /// imports of what the roots reach are resolved first, in parallel (what
    /// [`ClientSet::build`] follows, and more: it reads them one by one). Called where every
    /// worker is free (not from inside a lazily built value, which a parallel loop could
    /// re-enter).
    pub(crate) fn prepare_client_set(&self, server_only: bool) {
        if self.graph_is_built()
            || !(asks_about_the_client_set(&self.files) || server_only && imports_server_only(self))
        {
            return;
        }
        let files = &self.files;
        let mut roots: Vec<usize> = client_roots(self).map(|(id, _)| id).collect();
        roots.sort_unstable();
        self.resolve_reachable(roots.clone(), |e| {
            e.is_runtime()
                && e.file().is_some_and(|t| {
                    !matches!(files[t].directive(), Some((Directive::UseServer, _)))
                })
        });
        let toward = reaches_what_matters(self, &roots);
        // Built outside the cell: its parallel loops must not run inside a value that a task
        // they could take might ask for.
        let built = ClientSet::build_with(self, &toward, true);
        let _ = self.client_set.set(built);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileKind, InputFile, Origin};

    fn project(files: &[(&str, &str)]) -> Project {
        crate::project::model_of(files)
    }

    const PKG: &str = r#"{ "name": "web", "dependencies": { "next": "15.5.6" } }"#;

    /// The byte-level test that spares a module's parse answers `true` only for uses no type
    /// can make.
    #[test]
    fn surely_a_value_takes_only_calls_construction_and_jsx() {
        let cases: &[(&str, bool, bool)] = &[
            ("const x = load(1)", false, true),
            ("const s = schema.shape.parse(body)", false, true),
            ("const c = new Client()", false, true),
            ("return <Client id={1} />", true, true),
            ("return <Client/>", true, true),
            ("let a: Client = b", false, false),
            ("let a: Array<Client> = []", true, false),
            ("useState<Client>(null)", true, false),
            ("type T = typeof Client", false, false),
            ("x.Client()", false, false),
            ("renew Client", false, false),
            ("const t: Client['code'] = 'x'", false, false),
            ("MyClient()", false, false),
            ("const r = await Client", false, true),
            ("return Client", false, true),
            ("const u = `${Client}/x`", false, true),
            ("<a href={Client}>", true, true),
            ("type R = Client", false, false),
            ("function f(): Client {}", false, false),
            ("client?.ingest(e)", false, true),
            ("return <Card.Root>", true, true),
            ("let c: Card.Props", true, false),
            ("if (!Client) return", false, true),
            ("const on = enabled && Client", false, true),
            ("Client.length >= max || x", false, true),
            ("n >= Client", false, true),
            ("a ?? Client", false, true),
            ("if (x === Client)", false, true),
            ("Client != null", false, true),
            ("let a: Array<Client>= b", false, false),
            ("let a: Array<Client.T>= b", false, false),
            ("let a: Array<Client> = b", false, false),
            ("type U = A | Client", false, false),
            ("type I = A & Client", false, false),
            ("<p>Wow! Client</p>", true, false),
        ];
        for (text, tsx, value) in cases {
            let name = ["load", "schema", "client", "Card"]
                .into_iter()
                .find(|n| text.contains(n))
                .unwrap_or("Client");
            assert_eq!(surely_a_value(text, name, *tsx), *value, "{text}");
        }
    }

    /// What makes a module one the rules ask about: a read of a secret variable.
    const SECRET: &str = "export const k = process.env.CLERK_SECRET_KEY\n";

    #[test]
    fn chains_stop_at_use_server_and_type_imports() {
        let with_secret = |text: &str| format!("{text}\n{SECRET}");
        let config = with_secret("export const cfg = 1");
        let chart = with_secret("export default function Chart() {}");
        let p = project(&[
            ("package.json", PKG),
            (
                "tsconfig.json",
                r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }"#,
            ),
            (
                "components/Menu.tsx",
                "'use client'\nimport { cfg } from '@/lib'\nimport type { T } from '@/lib/types'\nimport { save } from '@/app/actions'\nimport { Shape } from '@/lib/shape'\nconst Chart = dynamic(() => import('./Chart'))\nexport const M = (s: Shape) => cfg\n",
            ),
            ("components/Chart.tsx", &chart),
            ("lib/index.ts", "export * from './config'"),
            ("lib/config.ts", &config),
            ("lib/types.ts", "import './secret'\nexport type T = 1"),
            ("lib/secret.ts", SECRET),
            // Imported for a type alone (no `import type`): the compiler drops the import.
            (
                "lib/shape.ts",
                "export interface Shape {}\nimport './secret2'",
            ),
            ("lib/secret2.ts", SECRET),
            (
                "app/actions.ts",
                "'use server'\nimport { s } from '@/lib/secret'\nexport async function save() {}",
            ),
            (
                "app/page.tsx",
                "import '@/lib/secret'\nexport default function P() {}",
            ),
        ]);
        let cs = p.client_set();
        let id = |rel: &str| p.file_index(rel).unwrap();
        for rel in [
            "components/Menu.tsx",
            "components/Chart.tsx",
            "lib/config.ts",
        ] {
            assert!(cs.contains(id(rel)), "{rel}");
        }
        for rel in ["lib/secret.ts", "lib/secret2.ts", "app/page.tsx"] {
            assert!(!cs.contains(id(rel)), "{rel}");
        }
        // The import used for a type alone is dropped; the one used as a value is kept.
        let menu = id("components/Menu.tsx");
        let import = |source: &str| {
            p.files[menu]
                .imports()
                .iter()
                .position(|i| i.source == source)
                .unwrap()
        };
        assert!(cs.is_stripped_import(menu, import("@/lib/shape")));
        assert!(!cs.is_stripped_import(menu, import("@/lib")));
        assert_eq!(
            cs.describe_chain(&p, id("lib/config.ts")),
            "`components/Menu.tsx` ('use client') → `lib/index.ts` → `lib/config.ts`"
        );
        assert_eq!(
            cs.describe_chain(&p, id("components/Chart.tsx")),
            "`components/Menu.tsx` ('use client') → `components/Chart.tsx` (`import()`)"
        );
        let locs: Vec<String> = cs
            .chain_locations(&p, id("lib/config.ts"))
            .into_iter()
            .map(|(path, _, m)| format!("{path}: {m}"))
            .collect();
        assert_eq!(
            locs,
            [
                "components/Menu.tsx: 'use client': this module and everything it imports ship to the browser",
                "components/Menu.tsx: imports `lib/index.ts`",
                "lib/index.ts: imports `lib/config.ts`",
            ]
        );
    }

    /// Of several shortest chains, the one from the root first in path order; a longer chain
    /// through a nearer root loses.
    #[test]
    fn the_shortest_chain_from_the_first_root() {
        let p = project(&[
            ("package.json", PKG),
            (
                "components/B.tsx",
                "'use client'\nimport '../lib/via-b'\nimport '../lib/t1'\n",
            ),
            (
                "components/A.tsx",
                "'use client'\nimport '../lib/via-a'\nimport '../lib/t2'\n",
            ),
            ("lib/t1.ts", "import './tie'\n"),
            ("lib/t2.ts", "import './tie'\n"),
            ("lib/tie.ts", SECRET),
            ("components/C.tsx", "'use client'\nimport '../lib/secret'\n"),
            ("lib/via-a.ts", "import './secret'\n"),
            ("lib/via-b.ts", "import './secret'\n"),
            ("lib/far.ts", "import './via-a'\n"),
            (
                "components/D.tsx",
                "'use client'\nimport '../lib/far'\nimport '../lib/deep'\n",
            ),
            ("lib/deep.ts", "import './deeper'\n"),
            ("lib/deeper.ts", "import './via-b'\n"),
            ("lib/secret.ts", SECRET),
            ("lib/other.ts", SECRET),
            ("lib/to-other-b.ts", "import './other'\n"),
            ("lib/to-other-a.ts", "import './other'\n"),
            (
                "components/E.tsx",
                "'use client'\nimport '../lib/to-other-b'\nimport '../lib/to-other-a'\n",
            ),
        ]);
        let cs = p.client_set();
        let id = |rel: &str| p.file_index(rel).unwrap();
        assert_eq!(
            cs.describe_chain(&p, id("lib/secret.ts")),
            "`components/C.tsx` ('use client') → `lib/secret.ts`"
        );
        assert_eq!(
            cs.describe_chain(&p, id("lib/other.ts")),
            "`components/E.tsx` ('use client') → `lib/to-other-a.ts` → `lib/other.ts`"
        );
        // Two roots as near: the first in path order, whichever module it goes through.
        assert_eq!(
            cs.describe_chain(&p, id("lib/tie.ts")),
            "`components/A.tsx` ('use client') → `lib/t2.ts` → `lib/tie.ts`"
        );
    }

    #[test]
    fn pages_router_pages_without_their_data_functions() {
        let with_secret = |text: &str| format!("{text}\n{SECRET}");
        let (db, ui, paths) = (
            with_secret("export const db = 1"),
            with_secret("export const Card = 1"),
            with_secret("export const getStaticPaths = 1"),
        );
        let p = project(&[
            ("package.json", PKG),
            (
                "pages/index.tsx",
                "import { db } from '../lib/db'\nimport { Card } from '../lib/ui'\nexport { getStaticPaths } from '../lib/paths'\nexport async function getServerSideProps() { return { props: { n: await db(process.env.CLERK_SECRET_KEY) } } }\nexport default function Home() { return <Card /> }\n",
            ),
            ("pages/_document.tsx", "import '../lib/doc'\n"),
            ("pages/api/x.ts", "import '../../lib/api'\n"),
            ("lib/db.ts", &db),
            ("lib/ui.tsx", &ui),
            ("lib/paths.ts", &paths),
            ("lib/doc.ts", SECRET),
            ("lib/api.ts", SECRET),
        ]);
        let cs = p.client_set();
        let id = |rel: &str| p.file_index(rel).unwrap();
        assert_eq!(cs.root(id("pages/index.tsx")), Some(Root::PagesRouterPage));
        assert!(cs.contains(id("lib/ui.tsx")));
        for rel in [
            "lib/db.ts",
            "lib/paths.ts",
            "lib/doc.ts",
            "lib/api.ts",
            "pages/_document.tsx",
        ] {
            assert!(!cs.contains(id(rel)), "{rel}");
        }
        let page = p.file("pages/index.tsx").unwrap();
        let read = page.env_reads()[0].span;
        assert!(!cs.ships(id("pages/index.tsx"), read));
        assert!(cs.ships(id("pages/index.tsx"), Span::new(0, 5)));
    }

    #[test]
    fn pages_are_parsed_only_when_what_they_strip_matters() {
        let p = project(&[
            ("package.json", PKG),
            (
                "pages/a.tsx",
                "import { db } from '../lib/db'\nexport const getServerSideProps = async () => ({ props: await db() })\nexport default function A() { return null }\n",
            ),
            ("lib/db.ts", "export const db = async () => ({})"),
            (
                "pages/b.tsx",
                "import { admin } from '../lib/admin'\nexport const getServerSideProps = async () => ({ props: await admin() })\nexport default function B() { return null }\n",
            ),
            (
                "lib/admin.ts",
                "export const admin = async () => ({ k: process.env.CLERK_SECRET_KEY })",
            ),
        ]);
        let cs = p.client_set();
        let id = |rel: &str| p.file_index(rel).unwrap();
        // Nothing `pages/a.tsx` reaches holds a secret: it is not parsed.
        assert!(cs.strip(id("pages/a.tsx")).is_none());
        assert!(!p.file("pages/a.tsx").unwrap().gates_is_parsed());
        // `pages/b.tsx` leads to a secret read: parsed, and the import is stripped.
        assert!(cs.strip(id("pages/b.tsx")).is_some());
        assert!(!cs.contains(id("lib/admin.ts")));
    }

    /// A target behind a module imported only for its types is decided by parsing that module
    /// alone: nothing on the other paths the roots take is parsed.
    #[test]
    fn a_target_behind_a_dropped_import_costs_one_parse() {
        let mut files: Vec<(String, String)> = vec![
            ("package.json".into(), PKG.into()),
            (
                "components/App.tsx".into(),
                "'use client'\nimport { one } from '../lib/m0'\nexport const A = () => one\n"
                    .into(),
            ),
            (
                "lib/types.ts".into(),
                "import { k } from './secret'\nexport type K = typeof k\n".into(),
            ),
            ("lib/secret.ts".into(), SECRET.into()),
        ];
        // A long chain of modules that pass a value on, the last importing the types.
        for i in 0..20 {
            let next = if i == 19 {
                "import { K } from './types'\nexport const one = (k: K) => k\n".to_string()
            } else {
                format!(
                    "import {{ one as o }} from './m{}'\nexport const one = (k: number) => o\n",
                    i + 1
                )
            };
            files.push((format!("lib/m{i}.ts"), next));
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(r, t)| (r.as_str(), t.as_str()))
            .collect();
        let p = project(&refs);
        let cs = p.client_set();
        let id = |rel: &str| p.file_index(rel).unwrap();
        assert!(!cs.contains(id("lib/secret.ts")));
        let parsed: Vec<&str> = p
            .files
            .iter()
            .filter(|f| f.gates_is_parsed())
            .map(|f| &*f.rel)
            .collect();
        assert_eq!(parsed, ["lib/types.ts"]);
    }

    /// Build time of the client set on a real tree:
    /// `CLERK_GUARD_BENCH_DIR=/path cargo test --release --lib project::boundary::tests::build_time -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn build_time() {
        let Ok(dir) = std::env::var("CLERK_GUARD_BENCH_DIR") else {
            eprintln!("set CLERK_GUARD_BENCH_DIR");
            return;
        };
        let root = std::fs::canonicalize(dir).unwrap();
        let (p, _) = crate::engine::load_project(&root, Default::default(), false);
        let mut best = f64::MAX;
        let mut cs = None;
        for _ in 0..10 {
            let t0 = std::time::Instant::now();
            let built = ClientSet::build(&p);
            best = best.min(t0.elapsed().as_secs_f64() * 1e3);
            cs = Some(built);
        }
        let cs = cs.unwrap();
        let members = (0..p.files.len()).filter(|i| cs.contains(*i)).count();
        println!(
            "{} files, {} roots, {} in the client set, {} pages parsed for data functions: {best:.2} ms",
            p.files.len(),
            cs.roots.len(),
            members,
            cs.strips.len()
        );
    }

    /// The client set of a model by path: each member, why it is a root, its chain.
    fn client_set_by_path(p: &Project) -> Vec<String> {
        let cs = p.client_set();
        (0..p.files.len())
            .filter(|&id| cs.contains(id))
            .map(|id| {
                let chain: Vec<&str> = cs
                    .steps(p, id)
                    .iter()
                    .map(|s| &*p.files[s.from].rel)
                    .collect();
                format!("{} {:?} {chain:?}", p.files[id].rel, cs.root(id))
            })
            .collect()
    }

    /// An edit that cannot change the client set keeps it (same imports, directive and
    /// secrets); any other builds it again; either way it equals a fresh model's.
    #[test]
    fn client_set_kept_when_an_edit_cannot_change_it() {
        let mut texts: Vec<(String, String)> = [
            ("package.json", PKG),
            (
                "components/A.tsx",
                "'use client'\nimport { x } from '../lib/x'\n",
            ),
            ("lib/x.ts", "export const x = 1\n"),
            ("lib/y.ts", "export const y = 1\n"),
            (
                "pages/index.tsx",
                "export default function P() { return null }\n",
            ),
        ]
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
        let build = |texts: &[(String, String)]| {
            let files: Vec<(&str, &str)> = texts
                .iter()
                .map(|(r, t)| (r.as_str(), t.as_str()))
                .collect();
            project(&files)
        };
        let mut p = build(&texts);
        // As the editor's model has it: the whole graph, updated in place by each edit.
        p.graph();
        let steps = [
            ("lib/x.ts", "export const x = 2\n", true),
            (
                "components/A.tsx",
                "'use client'\nimport { x } from '../lib/x'\nexport const A = () => x\n",
                true,
            ),
            ("lib/x.ts", "import './y'\nexport const x = 2\n", false),
            (
                "lib/y.ts",
                "import 'server-only'\nexport const y = 1\n",
                false,
            ),
            (
                "lib/y.ts",
                "import 'server-only'\nexport const y = 2\n",
                true,
            ),
            // The import of `x` is now used for a type alone: the compiler drops it.
            (
                "components/A.tsx",
                "'use client'\nimport { x } from '../lib/x'\nexport type A = typeof x\n",
                false,
            ),
            (
                "components/A.tsx",
                "'use client'\nimport { x } from '../lib/x'\nexport type B = typeof x\n",
                true,
            ),
            (
                "components/A.tsx",
                "'use client'\nimport { x } from '../lib/x'\nexport const A = () => x\n",
                false,
            ),
            (
                "pages/index.tsx",
                "import '../lib/y'\nexport default function P() { return 1 }\n",
                false,
            ),
            (
                "lib/x.ts",
                "'use server'\nimport './y'\nexport const x = 2\n",
                false,
            ),
            (
                "pages/index.tsx",
                "export default function P() { return 1 }\n",
                false,
            ),
        ];
        let mut seen = HashSet::new();
        for (rel, text, kept) in steps {
            p.client_set();
            texts.iter_mut().find(|(r, _)| r == rel).unwrap().1 = text.to_string();
            p.upsert(crate::facts::extract_text(rel, text));
            assert_eq!(p.last_update().client_set_kept, kept, "{rel}: {text}");
            let now = client_set_by_path(&p);
            assert_eq!(now, client_set_by_path(&build(&texts)), "{rel}: {text}");
            seen.insert(now);
        }
        assert!(seen.len() > 2, "{seen:?}");
    }

    #[test]
    fn upsert_rebuilds_the_client_set() {
        let mut p = project(&[
            ("package.json", PKG),
            ("components/A.tsx", "'use client'\nimport '../lib/x'\n"),
            ("lib/x.ts", SECRET),
        ]);
        assert!(p.client_set().contains(p.file_index("lib/x.ts").unwrap()));
        let input = InputFile {
            rel: "components/A.tsx".into(),
            abs: "components/A.tsx".into(),
            kind: FileKind::classify("components/A.tsx"),
            origin: Origin::default(),
        };
        p.upsert(crate::facts::extract(&input, "'use client'\n".into()));
        assert!(!p.client_set().contains(p.file_index("lib/x.ts").unwrap()));
    }
}
