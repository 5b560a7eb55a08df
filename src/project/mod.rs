//! The project model: built once from every file's facts; rules only read it.

pub mod advisories;
pub mod apps;
pub mod authz;
pub mod boundary;
pub mod frameworks;
pub mod graph;
pub mod guards;
pub mod inert;
pub mod matcher;
pub mod middleware;
pub mod page_access;
pub mod resolve;
pub mod routes;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::config::Config;
use crate::facts::FileFacts;
use crate::facts::code::{PatternItem, PatternList};
use crate::source::{file_name, parent_dir};
use apps::App;
use guards::{Analyzer, Target};
use middleware::{MiddlewareModel, RouteMatcher};
use routes::Entry;

pub struct Project {
    /// The scan root (absolute).
    pub root: PathBuf,
    /// Every scanned file, sorted by path.
    pub files: Vec<FileFacts>,
    /// Path → index into `files`; shared with the resolver and the import graph.
    index: std::sync::Arc<resolve::PathIds>,
    /// Directories (relative, `""` for the root) that hold a `package.json`.
    pub package_dirs: Vec<String>,
    pub config: Config,
    /// Every directory that holds a scanned file.
    /// Every directory holding a file (foldhash: tens of thousands of paths hashed per build).
    dirs: foldhash::HashSet<String>,
    /// Next.js apps under the root.
    pub apps: Vec<App>,
    /// Middleware/proxy files of each app (loaded or not).
    pub middlewares: Vec<MiddlewareModel>,
    /// Server entry points and their protection.
    pub entries: Vec<Entry>,
    /// Module resolution (tsconfig paths, workspace packages) over `files`.
    /// The module resolver (built on first use: a scan of byte-level rules that finds no
    /// key never needs it).
    resolver: OnceLock<resolve::Resolver>,
    /// Every file's imports, resolved; ids are indices into `files` (built on first use:
    /// `Project::graph`).
    graph: OnceLock<graph::ImportGraph>,
    /// Each file's resolved imports, resolved one file at a time while `graph` is not built
    /// (see `Project::edges`).
    edges: OnceLock<Vec<OnceLock<Vec<graph::Edge>>>>,
    /// The files some `export *` points at, found while `graph` is not built (see
    /// `Project::resolve_binding`).
    star_targets: OnceLock<HashSet<usize>>,
    /// The files that import something by each last-segment stem of a run-time specifier
    /// (`@/components/likes` → `likes`), built on first use (see
    /// `Project::runtime_importers`) and reset with `star_targets`.
    import_stems: OnceLock<graph::ImportStems>,
    /// The modules bundled for the browser (built on first use: `Project::client_set`).
    client_set: OnceLock<boundary::ClientSet>,
    /// How each page is gated (built on first use: `Project::page_access`).
    page_access: OnceLock<Vec<page_access::PageAccess>>,
    /// What the authorization rules read of each entry (built on first use:
    /// `Project::entry_ops`).
    entry_ops: OnceLock<Vec<Option<authz::EntryOps>>>,
    /// The `entry_ops` of the apps an update did not analyse again, by app, while `entry_ops`
    /// is not built: taken when it is, instead of computing them again.
    kept_entry_ops: std::sync::Mutex<HashMap<usize, Vec<Option<authz::EntryOps>>>>,
    /// What Nuxt auto-imports into server code: (app, exported name) → the `server/utils`
    /// module that exports it (built on first use: `Project::nuxt_server_util`).
    nuxt_utils: OnceLock<HashMap<(usize, String), usize>>,
    /// (file index, entry index) of the entries declared in that file or whose handler (a
    /// function or a wrapper call) is there, sorted (built on first use: `Project::entries_in`).
    entries_by_file: OnceLock<Vec<(u32, u32)>>,
    /// Which apps the middleware and entry models cover.
    pub analysis: Analysis,
    /// One warning per `package.json` that is not a valid JSON object (from app discovery).
    pub manifest_warnings: Vec<String>,
    /// The innermost app of each file in `files` (computed with the apps).
    /// (`u32`: 8 bytes a file, not 16.)
    pub(crate) file_app: Vec<Option<u32>>,
    /// The indices into `files` of each app's own files (the inverse of `file_app`), so that a
    /// per-app pass reads its app's files rather than filtering the whole project.
    app_files: Vec<Vec<u32>>,
    /// The paths a scan reports on (see `build_focused`); empty for the whole tree.
    pub focus: Vec<String>,
    /// What the last update (`upsert_all`) kept of the model.
    last_update: Update,
    /// The model is being updated (not built): the texts the route analysis reads from disk
    /// stay in memory, as every later update of their app reads them again (see
    /// `inert::Texts`).
    pub(crate) holds_read_texts: bool,
    /// How many entries' `entry_ops` were computed since the model was built or last updated
    /// (the others were kept).
    entry_ops_computed: std::sync::atomic::AtomicUsize,
}

/// What an update of the model (`Project::upsert_all`) kept rather than built again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Update {
    /// The module resolver was kept, and the import graph updated in place: only the changed
    /// files' imports were resolved again.
    pub graph_kept: bool,
    /// The apps were kept without looking for them again: no file was added and none that
    /// changed is one app discovery reads.
    pub apps_kept: bool,
    /// The client set was kept: the apps were, and every file that changed has the same
    /// imports, resolved the same, and the same bearing on the set as before
    /// (`boundary::same_for_client_set`).
    pub client_set_kept: bool,
}

/// How much of the model to build: what the caller's rules or output need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Analysis {
    /// Apps are found, nothing is parsed (byte-level rules only).
    None,
    /// Middleware and entries of the apps that use Clerk (what every rule that judges
    /// a route needs: those rules report only in such apps).
    ClerkApps,
    /// Middleware and entries of every app (the `routes` table, `probe`).
    AllApps,
}

impl Project {
    pub fn build(
        root: PathBuf,
        files: Vec<FileFacts>,
        package_dirs: Vec<String>,
        config: Config,
    ) -> Project {
        Project::build_with(root, files, package_dirs, config, Analysis::AllApps)
    }

    /// Build the model; with `analyse` false, apps are found but no middleware or entry
    /// model is built (nothing is parsed), for scans that only run byte-level rules.
    pub fn build_with(
        root: PathBuf,
        files: Vec<FileFacts>,
        package_dirs: Vec<String>,
        config: Config,
        analysis: Analysis,
    ) -> Project {
        Project::build_focused(root, files, package_dirs, config, analysis, Vec::new())
    }

    /// Like `build_with`, with the middleware and entry models built only for the apps that
    /// hold the `focus` paths (files or directories, relative to the root), when every one of
    /// them lies in an app: what `scan FILE` and `scan --staged` report on can depend only on
    /// those apps. An empty focus, or a path outside every app, analyses every app.
    pub fn build_focused(
        root: PathBuf,
        mut files: Vec<FileFacts>,
        package_dirs: Vec<String>,
        config: Config,
        analysis: Analysis,
        focus: Vec<String>,
    ) -> Project {
        crate::mark("build: start");
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        let index = std::sync::Arc::new(resolve::PathIds::new(
            files.iter().map(|f| f.rel.clone()).collect(),
        ));
        let mut dirs = foldhash::HashSet::default();
        for f in &files {
            let mut d = parent_dir(&f.rel);
            // Climb until a directory already known (its ancestors are too).
            while !dirs.contains(d) {
                dirs.insert(d.to_string());
                if d.is_empty() {
                    break;
                }
                d = parent_dir(d);
            }
        }
        dirs.insert(String::new());
        // The resolver is built beside the discovery (it needs no app), when something will
        // ask it: the analysis, or the client set of a scan with a secret to place.
        let wants_resolver =
            analysis != Analysis::None || boundary::asks_about_the_client_set(&files);
        let (discovery, resolver) = rayon::join(
            || apps::discover_with(&files, &|d| dirs.contains(d), &apps::Outside::of(&root)),
            || {
                wants_resolver.then(|| {
                    let t0 = std::time::Instant::now();
                    let r =
                        resolve::Resolver::from_paths(&root, std::sync::Arc::clone(&index), &files);
                    graph::GRAPH_NS.fetch_add(
                        t0.elapsed().as_nanos() as u64,
                        std::sync::atomic::Ordering::Relaxed,
                    );
                    r
                })
            },
        );
        let mut project = Project {
            root,
            files,
            index,
            package_dirs,
            config,
            dirs,
            apps: discovery.apps,
            manifest_warnings: discovery.manifest_warnings,
            middlewares: Vec::new(),
            entries: Vec::new(),
            resolver: resolver.map(OnceLock::from).unwrap_or_default(),
            graph: OnceLock::new(),
            edges: OnceLock::new(),
            star_targets: OnceLock::new(),
            import_stems: OnceLock::new(),
            client_set: OnceLock::new(),
            page_access: OnceLock::new(),
            entry_ops: OnceLock::new(),
            kept_entry_ops: Default::default(),
            nuxt_utils: OnceLock::new(),
            entries_by_file: OnceLock::new(),
            analysis,
            file_app: Vec::new(),
            app_files: Vec::new(),
            focus,
            last_update: Update::default(),
            holds_read_texts: false,
            entry_ops_computed: Default::default(),
        };
        // No whole import graph: each file's imports are resolved when something first asks
        // (an entry's helper, the client set), so that a scan resolves only what it reaches.
        // The resolver was built above, before the workers need it: the analysis asks it from
        // its workers, which would otherwise wait for one of them to build it.
        crate::mark("build: apps and resolver");
        project.analyse();
        crate::mark("build: analysed");
        // The rules ask the client set from their workers: built now, in parallel, and only
        // over what the client roots reach.
        project.prepare_client_set(analysis != Analysis::None);
        crate::mark("build: client set");
        project
    }

    /// The module resolver (tsconfig paths, workspace packages, extensions), built on first use.
    pub fn resolver(&self) -> &resolve::Resolver {
        self.resolver.get_or_init(|| {
            let t0 = std::time::Instant::now();
            let r = resolve::Resolver::from_paths(
                &self.root,
                std::sync::Arc::clone(&self.index),
                &self.files,
            );
            graph::GRAPH_NS.fetch_add(
                t0.elapsed().as_nanos() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            r
        })
    }

    /// The import graph (built with the model; rebuilt on first use after an edit).
    pub fn graph(&self) -> &graph::ImportGraph {
        self.graph.get_or_init(|| {
            let t0 = std::time::Instant::now();
            let g = graph::ImportGraph::build(&self.files, self.resolver());
            graph::GRAPH_NS.fetch_add(
                t0.elapsed().as_nanos() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            g
        })
    }

    /// Whether the middleware and entry models cover app `i`.
    pub fn analyses_app(&self, i: usize) -> bool {
        let by_kind = match self.analysis {
            Analysis::None => false,
            Analysis::ClerkApps => self.app_uses_clerk(i),
            Analysis::AllApps => true,
        };
        by_kind && self.in_focus(i)
    }

    /// Whether app `i` holds (or lies under) a focus path; every app does without a focus or
    /// when some focus path lies outside every app.
    fn in_focus(&self, i: usize) -> bool {
        let covers = |a: &App, p: &str| {
            p.is_empty()
                || a.contains(p)
                || a.root == p
                || (a.root.starts_with(p) && a.root[p.len()..].starts_with('/'))
        };
        if self.focus.is_empty()
            || self
                .focus
                .iter()
                .any(|p| !self.apps.iter().any(|a| covers(a, p)))
        {
            return true;
        }
        self.apps
            .get(i)
            .is_some_and(|a| self.focus.iter().any(|p| covers(a, p)))
    }

    /// (Re)build the middleware models and the entry table from the files.
    pub fn analyse(&mut self) {
        self.assign_files();
        self.analyse_apps(None);
    }

    /// Find the innermost app of each file (`file_app`, `app_files`): after the apps or the
    /// file list changed.
    fn assign_files(&mut self) {
        // The innermost app of each file: its nearest ancestor directory that is an app root.
        let roots: foldhash::HashMap<&str, usize> = self
            .apps
            .iter()
            .enumerate()
            .map(|(i, a)| (a.root.as_str(), i))
            .collect();
        use rayon::prelude::*;
        self.file_app = self
            .files
            .par_iter()
            .map(|f| {
                let mut d = parent_dir(&f.rel);
                loop {
                    if let Some(&i) = roots.get(d) {
                        return u32::try_from(i).ok();
                    }
                    if d.is_empty() {
                        return None;
                    }
                    d = parent_dir(d);
                }
            })
            .collect();
        self.app_files = vec![Vec::new(); self.apps.len()];
        for (i, app) in self.file_app.iter().enumerate() {
            if let Some(a) = app {
                self.app_files[*a as usize].push(i as u32);
            }
        }
    }

    /// (Re)build the middleware models and the entries of the apps in `only` (every app when
    /// `None`), keeping the other apps' as they are: what an edit confined to some apps
    /// changes (see `upsert_all`). The files must be assigned to the apps (`assign_files`).
    fn analyse_apps(&mut self, only: Option<&HashSet<usize>>) {
        let redo = |app: usize| only.is_none_or(|o| o.contains(&app));
        // What the authorization rules read of the entries kept: the same, as the entries are.
        let mut kept_ops = match std::mem::take(&mut self.entry_ops).into_inner() {
            Some(ops) => {
                let mut by_app: HashMap<usize, Vec<Option<authz::EntryOps>>> = HashMap::new();
                for (e, o) in self.entries.iter().zip(ops) {
                    by_app.entry(e.app).or_default().push(o);
                }
                by_app
            }
            None => std::mem::take(
                self.kept_entry_ops
                    .get_mut()
                    .unwrap_or_else(|e| e.into_inner()),
            ),
        };
        kept_ops.retain(|app, _| !redo(*app));
        *self.entry_ops_computed.get_mut() = 0;
        *self
            .kept_entry_ops
            .get_mut()
            .unwrap_or_else(|e| e.into_inner()) = kept_ops;
        let mut middlewares = std::mem::take(&mut self.middlewares);
        let mut kept = std::mem::take(&mut self.entries);
        middlewares.retain(|m| !redo(m.app));
        kept.retain(|e| !redo(e.app));
        self.page_access = OnceLock::new();
        self.entries_by_file = OnceLock::new();
        self.nuxt_utils = OnceLock::new();
        if self.analysis == Analysis::None {
            return;
        }
        crate::mark("analyse: file_app");
        self.parse_wanted(&redo, only.is_none());
        crate::mark("analyse: parse_wanted");
        // An update reads from disk only what its analysis reads again on every update of the
        // app (a whole build releases what it read to parse).
        self.holds_read_texts = only.is_some();
        if only.is_none() {
            self.release_texts();
        }
        crate::mark("analyse: release");
        // Each Next.js app's own entries, found once: its middleware model reads its pages.
        let mut next_entries: Vec<Vec<Entry>> = self
            .apps
            .iter()
            .enumerate()
            .map(|(i, app)| {
                let mut out = Vec::new();
                if self.analyses_app(i) && redo(i) && app.is_next() {
                    let follow = |from: &str, spec: &str| {
                        self.resolve(from, spec).and_then(|rel| self.file(&rel))
                    };
                    routes::collect_into(&mut out, i, app, self.files_of_app(i), &follow);
                }
                out
            })
            .collect();
        crate::mark("analyse: next entries");
        middlewares.extend(self.build_middlewares(&redo, &next_entries));
        // In the order of a whole build: by app, each app's own order kept.
        middlewares.sort_by_key(|m| m.app);
        self.middlewares = middlewares;
        crate::mark("analyse: middlewares");
        let mut entries = Vec::new();
        for (i, app) in self.apps.iter().enumerate() {
            if !self.analyses_app(i) || !redo(i) {
                continue;
            }
            let mut next = std::mem::take(&mut next_entries[i]);
            if entries.is_empty() {
                entries = next;
            } else {
                entries.append(&mut next);
            }
            entries.extend(frameworks::collect(self, i, app));
        }
        crate::mark("analyse: collect");
        // Whether a server action's module is imported anywhere reads every file's imports:
        // read in parallel here, not by the first worker that asks.
        if entries
            .iter()
            .any(|e| e.kind == routes::EntryKind::ServerAction)
        {
            self.prepare_import_stems();
        }
        crate::mark("analyse: import stems");
        routes::analyse(self, &mut entries);
        crate::mark("analyse: routes::analyse");
        // Entries are large and many: no second copy of the list, and no sort (whose scratch
        // space is half the list) when it is in order already, as a whole build's is.
        if kept.is_empty() {
            kept = entries;
        } else {
            kept.extend(entries);
        }
        if !kept.is_sorted_by_key(|e| e.app) {
            kept.sort_by_key(|e| e.app);
        }
        self.entries = kept;
    }

    /// Parse, in parallel, the files the analysis reads for certain (`FileFacts::wants_code`)
    /// in the apps it covers; helpers it follows are parsed on demand. With `release`, each
    /// file's text leaves memory once parsed (its imports taken first, as `release_texts`
    /// does), so that the parses that follow reuse its room.
    fn parse_wanted(&self, redo: &(dyn Fn(usize) -> bool + Sync), release: bool) {
        use rayon::prelude::*;
        // Whether each app is analysed again, decided once (not once per file).
        let apps: Vec<bool> = (0..self.apps.len())
            .map(|a| redo(a) && self.analyses_app(a))
            .collect();
        let wanted: Vec<&FileFacts> = (0..self.apps.len())
            .filter(|&a| apps[a])
            .flat_map(|a| self.files_of_app(a))
            .map(|(_, f)| f)
            // (A file whose code an earlier analysis read needs nothing more.)
            .filter(|f| !f.code_known() && f.wants_code())
            .collect();
        let t0 = std::time::Instant::now();
        wanted.par_iter().for_each(|f| {
            let _ = f.code();
            if release && f.source.is_kept() {
                let _ = f.imports();
                f.source.release();
            }
        });
        if std::env::var_os("CLERK_GUARD_TIMING").is_some() {
            eprintln!(
                "timing: parsed {} wanted files in parallel, {:.0} ms",
                wanted.len(),
                t0.elapsed().as_secs_f64() * 1000.0
            );
        }
    }

    /// Once the files the analysis reads for certain are parsed, their texts (and every other
    /// text read from disk) leave memory: the facts hold what the model needs, and what a rule
    /// or a report reads later is read again (see `SourceText`). Imports are taken first.
    fn release_texts(&self) {
        use rayon::prelude::*;
        self.files.par_iter().for_each(|f| {
            if f.source.is_kept() {
                let _ = f.imports();
                f.source.release();
            }
        });
    }

    /// The files of app `app` (its own, not a nested app's), with their index in `files`.
    pub fn files_of_app(&self, app: usize) -> impl Iterator<Item = (usize, &FileFacts)> + Clone {
        self.app_files
            .get(app)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| (i as usize, &self.files[i as usize]))
    }

    pub fn file(&self, rel: &str) -> Option<&FileFacts> {
        self.index.id(rel).map(|i| &self.files[i])
    }

    pub fn file_index(&self, rel: &str) -> Option<usize> {
        self.index.id(rel)
    }

    /// Indices into `entries` of the entries declared in file `file` or whose handler (a
    /// function or a wrapper call) lives there: per-file rules read this instead of walking
    /// every entry of the project for each file.
    pub fn entries_in(&self, file: usize) -> impl Iterator<Item = usize> + '_ {
        // (file, entry) pairs, sorted: one vector, searched by halves.
        let index = self.entries_by_file.get_or_init(|| {
            let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(self.entries.len());
            for (i, e) in self.entries.iter().enumerate() {
                let declared = self.index.id(&e.file);
                let handler = match &e.target {
                    Some(guards::Target::Function((f, _))) => Some(*f),
                    Some(guards::Target::Call { file, .. }) => Some(*file),
                    _ => None,
                };
                for f in declared
                    .into_iter()
                    .chain(handler.filter(|h| Some(*h) != declared))
                {
                    pairs.push((f as u32, i as u32));
                }
            }
            pairs.sort_unstable();
            pairs
        });
        let start = index.partition_point(|&(f, _)| (f as usize) < file);
        index[start..]
            .iter()
            .take_while(move |&&(f, _)| f as usize == file)
            .map(|&(_, i)| i as usize)
    }

    pub fn dir_exists(&self, rel: &str) -> bool {
        self.dirs.contains(rel)
    }

    /// The innermost app of the file with index `file` in `files`.
    pub(crate) fn file_app_of(&self, file: usize) -> Option<usize> {
        self.file_app
            .get(file)
            .copied()
            .flatten()
            .map(|a| a as usize)
    }

    /// The innermost app a file belongs to.
    pub fn app_of(&self, rel: &str) -> Option<usize> {
        if let Some(i) = self.index.id(rel)
            && let Some(app) = self.file_app.get(i)
        {
            return app.map(|a| a as usize);
        }
        self.find_app(rel)
    }

    fn find_app(&self, rel: &str) -> Option<usize> {
        self.apps
            .iter()
            .enumerate()
            .filter(|(_, a)| a.contains(rel))
            .max_by_key(|(_, a)| a.root.len())
            .map(|(i, _)| i)
    }

    /// Whether app `i` uses Clerk (the scope of the auth, authorization and middleware rules).
    pub fn app_uses_clerk(&self, i: usize) -> bool {
        self.apps.get(i).is_some_and(|a| a.uses_clerk)
    }

    /// Whether app `i` declares a Clerk package, or imports one from a module Next.js may
    /// load: a file of its `app/` or `pages/` tree, or a module something may import. An app
    /// whose only Clerk imports sit in components nothing imports never runs Clerk's code.
    pub fn clerk_in_live_code(&self, i: usize) -> bool {
        let Some(app) = self.apps.get(i) else {
            return false;
        };
        if app
            .clerk_evidence
            .as_deref()
            .is_some_and(|e| crate::source::file_name(e) == "package.json")
        {
            return true;
        }
        let in_tree = |rel: &str, dir: &Option<String>| {
            dir.as_deref()
                .is_some_and(|d| crate::source::is_inside(rel, d))
        };
        self.files_of_app(i).any(|(id, f)| {
            apps::clerk_importer(f)
                && (in_tree(&f.rel, &app.app_dir)
                    || in_tree(&f.rel, &app.pages_dir)
                    || !self.imported_nowhere(id))
        })
    }

    /// Whether a file belongs to an app that uses Clerk.
    pub fn in_clerk_app(&self, rel: &str) -> bool {
        self.app_of(rel).is_some_and(|i| self.app_uses_clerk(i))
    }

    /// Resolve a module specifier from a file to a scanned script: the one resolver of the
    /// project (tsconfig/jsconfig `paths`, workspace packages and `exports`, `@/` aliases,
    /// extensions and index files), shared with the import graph.
    pub fn resolve(&self, from_rel: &str, spec: &str) -> Option<String> {
        match self.resolver().resolve(from_rel, spec) {
            resolve::Resolved::File(f)
                if matches!(
                    crate::source::FileKind::classify(&f),
                    crate::source::FileKind::Script(_)
                ) =>
            {
                Some(f)
            }
            _ => None,
        }
    }

    /// The middleware models of the apps `redo` names; `next_entries` are each app's entries
    /// found by `routes::collect_into` (its pages).
    fn build_middlewares(
        &self,
        redo: &(dyn Fn(usize) -> bool + Sync),
        next_entries: &[Vec<Entry>],
    ) -> Vec<MiddlewareModel> {
        use rayon::prelude::*;
        // The files whose path starts with `.env`: every app's middleware reads their sign-in
        // URLs.
        let env_like: Vec<u32> = self
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.rel.starts_with(".env"))
            .map(|(k, _)| k as u32)
            .collect();
        // Apps in parallel (each with an analyzer of its own), in app order.
        let of_app = |(i, app): (usize, &App)| -> Vec<MiddlewareModel> {
            let mut out = Vec::new();
            // Next.js's middleware; other frameworks' front doors belong to their adapters.
            if !redo(i) || !self.analyses_app(i) || !app.is_next() {
                return out;
            }
            let an = Analyzer::new(self);
            let candidates = self
                .files_of_app(i)
                .map(|(_, f)| f)
                .filter(|f| crate::facts::is_middleware_name(file_name(&f.rel)));
            let pages: Vec<String> = next_entries[i]
                .iter()
                .filter(|e| e.kind == routes::EntryKind::Page)
                .filter_map(|e| e.url.clone())
                .collect();
            // The app's own files and the `.env` ones, in the order of `files`.
            let mut sign_files: Vec<u32> = self.app_files[i].clone();
            sign_files.extend(&env_like);
            sign_files.sort_unstable();
            sign_files.dedup();
            for (f, not_loaded) in middleware::locate(app, candidates) {
                let Some(file_idx) = self.file_index(&f.rel) else {
                    continue;
                };
                let mf = f.code().and_then(|c| c.middleware.as_ref());
                let matcher = middleware::compile_config_matcher(
                    mf.map(|m| &m.config)
                        .unwrap_or(&crate::facts::code::MatcherConfig::Absent),
                );
                // `const { clerkMiddleware } = require('@clerk/nextjs/server')` binds the name
                // by destructuring; the import record says what it is.
                let required = |local: &str| {
                    let imp = f.code()?.imports.get(local)?;
                    (imp.source.starts_with("@clerk/nextjs")
                        && matches!(
                            imp.imported.as_str(),
                            "clerkMiddleware" | "authMiddleware" | "withClerkMiddleware"
                        ))
                    .then(|| imp.imported.clone())
                };
                let clerk_import =
                    |local: &str| match an.resolve_callee(file_idx, &vec![local.to_string()]) {
                        Some(Target::Opaque(_)) => required(local),
                        Some(Target::Clerk { source, imported })
                            if source.starts_with("@clerk/nextjs")
                                && matches!(
                                    imported.as_str(),
                                    "clerkMiddleware" | "authMiddleware" | "withClerkMiddleware"
                                ) =>
                        {
                            Some(imported)
                        }
                        _ => None,
                    };
                let matcher_for = |name: &str| self.route_matcher(file_idx, name, 0);
                let (behaviour, span, auth_middleware, deny_list) = middleware::behaviour_of(
                    mf.and_then(|m| m.kind.as_ref()),
                    &clerk_import,
                    &matcher_for,
                    &|| app.clerk_major().is_some_and(|m| m >= 6),
                );
                let extras = mf.map(|m| &m.extras);
                let mut model = MiddlewareModel {
                    app: i,
                    file: f.rel.to_string(),
                    not_loaded,
                    matcher,
                    behaviour,
                    span,
                    auth_middleware,
                    deny_list,
                    auth_middleware_calls: middleware::clerk_auth_middleware_calls(
                        extras,
                        &clerk_import,
                    ),
                    stamped_headers: extras
                        .map(|e| e.stamped_headers.clone())
                        .unwrap_or_default(),
                    actions: Err(String::new()),
                };
                model.actions = model.protects_action_posts(
                    &pages,
                    &middleware::sign_urls(sign_files.iter().map(|&k| &self.files[k as usize])),
                );
                out.push(model);
            }
            out
        };
        self.apps
            .par_iter()
            .enumerate()
            .flat_map_iter(of_app)
            .collect()
    }

    /// A `createRouteMatcher` bound to `name` in a file, or imported into it.
    pub(crate) fn route_matcher(
        &self,
        file: usize,
        name: &str,
        depth: usize,
    ) -> Option<RouteMatcher> {
        if depth > 4 {
            return None;
        }
        let code = self.files.get(file)?.code()?;
        if let Some(list) = code.route_matchers.get(name) {
            let resolve_ref = |r: &str| self.pattern_list(file, r, depth + 1);
            let mut m = middleware::compile_route_matcher(name, list, &resolve_ref);
            m.file = Some(self.files[file].rel.to_string());
            return Some(m);
        }
        let (t, imported) = self.imported_table(file, name)?;
        let mut m = self.route_matcher(t, &imported, depth + 1)?;
        m.name = name.to_string();
        Some(m)
    }

    /// Where a name a file imports comes from: the module and the name there, a table's
    /// derived name keeping its rest (`access{}` imported as `routes` → `routes{}` there).
    fn imported_table(&self, file: usize, name: &str) -> Option<(usize, String)> {
        let code = self.files.get(file)?.code()?;
        let (base, rest) = crate::facts::tables::split_table_name(name);
        let imp = code.imports.get(base)?;
        let target = self.resolve(&self.files[file].rel, &imp.source)?;
        Some((self.file_index(&target)?, format!("{}{rest}", imp.imported)))
    }

    /// A constant pattern list bound to `name` in a file, or imported into it.
    fn pattern_list(&self, file: usize, name: &str, depth: usize) -> Option<PatternList> {
        if depth > 4 {
            return None;
        }
        let code = self.files.get(file)?.code()?;
        if let Some(list) = code.pattern_lists.get(name) {
            let mut items = Vec::new();
            for item in &list.items {
                match item {
                    PatternItem::Reference { name: r, .. } => {
                        match self.pattern_list(file, r, depth + 1) {
                            Some(l) => items.extend(l.items),
                            None => items.push(item.clone()),
                        }
                    }
                    other => items.push(other.clone()),
                }
            }
            return Some(PatternList {
                items,
                span: list.span,
            });
        }
        let (t, imported) = self.imported_table(file, name)?;
        self.pattern_list(t, &imported, depth + 1)
    }

    /// Replace (or add) one file's facts (an editor buffer, a saved file) and rebuild the
    /// app, middleware and entry models.
    pub fn upsert(&mut self, facts: FileFacts) {
        self.upsert_all(vec![facts]);
    }

    /// Replace (or add) many files' facts (the staged files of a commit) and rebuild the
    /// models once: only those of the apps the edit can change when every file replaced is a
    /// script that was there before and the apps are unchanged. With no file added, the
    /// import graph is updated in place (see `refresh_graph_for`), and the apps are found
    /// again only when some file replaced is one discovery reads (`apps::same_for_discovery`).
    pub fn upsert_all(&mut self, all: Vec<FileFacts>) {
        crate::mark("upsert: start");
        let mut changed: Vec<usize> = Vec::new();
        let mut confined = true;
        let mut added = false;
        let mut same_apps = true;
        let mut same_client_set = true;
        for facts in all {
            confined &= matches!(facts.kind, crate::source::FileKind::Script(_))
                && !crate::facts::is_middleware_name(file_name(&facts.rel));
            match self.index.id(&facts.rel) {
                Some(i) => {
                    same_apps &= apps::same_for_discovery(&self.files[i], &facts);
                    // (Its old imports are known once the graph is built.)
                    same_client_set &=
                        self.graph_is_built() && boundary::same_for_client_set(self, i, &facts);
                    self.files[i] = facts;
                    changed.push(i);
                }
                None => {
                    added = true;
                    let rel = facts.rel.clone();
                    let mut d = parent_dir(&rel);
                    while self.dirs.insert(d.to_string()) && !d.is_empty() {
                        d = parent_dir(d);
                    }
                    self.files.push(facts);
                    std::sync::Arc::make_mut(&mut self.index).add(&rel);
                }
            }
        }
        let graph = if added {
            confined = false;
            self.refresh_graph();
            None
        } else {
            self.refresh_graph_for(&changed)
        };
        let update = Update {
            graph_kept: graph.is_some(),
            apps_kept: !added && same_apps,
            client_set_kept: graph == Some(true) && same_apps && same_client_set,
        };
        if !update.client_set_kept {
            self.client_set = OnceLock::new();
        }
        self.last_update = update;
        crate::mark("upsert: graph");
        if added || !same_apps {
            let dirs = &self.dirs;
            let discovery = apps::discover_with(
                &self.files,
                &|d| dirs.contains(d),
                &apps::Outside::of(&self.root),
            );
            let apps = discovery.apps;
            self.manifest_warnings = discovery.manifest_warnings;
            let moved = added || apps != self.apps;
            confined &= !moved;
            self.apps = apps;
            if moved {
                self.assign_files();
            }
        }
        crate::mark("upsert: apps");
        let only = confined.then(|| self.apps_reaching(&changed)).flatten();
        crate::mark("upsert: apps reached");
        self.analyse_apps(only.as_ref());
    }

    /// What the last update (`upsert_all`) kept of the model rather than built again.
    pub fn last_update(&self) -> Update {
        self.last_update
    }

    /// How many entries' `entry_ops` were computed since the model was built or last updated,
    /// rather than kept (0 before they are asked for).
    pub fn entry_ops_computed(&self) -> usize {
        self.entry_ops_computed
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The apps whose analysis can read the given files: theirs and those of every file that
    /// imports them, directly or not (a helper's verdict reaches its callers' entries).
    /// `None` when one of them lies outside every app.
    fn apps_reaching(&self, files: &[usize]) -> Option<HashSet<usize>> {
        let graph = self.graph();
        let mut seen: HashSet<usize> = files.iter().copied().collect();
        let mut stack: Vec<usize> = files.to_vec();
        let mut apps = HashSet::new();
        while let Some(f) = stack.pop() {
            apps.insert(self.file_app_of(f)?);
            for edge in graph.importers(f) {
                if seen.insert(edge.from) {
                    stack.push(edge.from);
                }
            }
        }
        Some(apps)
    }
}

/// A model of the given texts, each standing for the file at its path (tests).
#[cfg(test)]
pub(crate) fn model_of(files: &[(&str, &str)]) -> Project {
    let facts = files
        .iter()
        .map(|(rel, text)| crate::facts::extract_text(rel, text))
        .collect();
    Project::build(
        "/nonexistent-clerk-guard-root".into(),
        facts,
        Vec::new(),
        Default::default(),
    )
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
