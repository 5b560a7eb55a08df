//! Module resolution the way Next.js's bundler does it, over the scanned file list.
//!
//! - Relative specifiers: the exact file, then the [`EXTENSIONS`] in order, then TS-ESM style
//!   `./x.js` → `./x.ts`/`./x.tsx`, then a directory (its `package.json` `module`/`main`, then
//!   `index.*`).
//! - Bare specifiers: `compilerOptions.paths` and `baseUrl` of the nearest `tsconfig.json`
//!   (else `jsconfig.json`) above the importing file, with `extends` chains (relative paths,
//!   workspace packages, and `node_modules` on disk), then workspace packages by their
//!   `package.json` `name` (`exports`, `module`/`main`, `index.*`, `src/index.*`), and
//!   otherwise an external package.
//! - `#name`: the `imports` field of the nearest `package.json`.
//!
//! Configuration files are JSONC (comments, trailing commas). They are all loaded once, when the
//! resolver is built; resolving only reads the resolver's tables, so it is cheap and can run
//! on many threads.

use std::collections::{HashMap, HashSet};

/// The maps the resolver probes on every import: hashed with foldhash (SipHash was a tenth of
/// a secrets-only scan's resolution; the path maps' keys are hashes already).
type FastMap<K, V> = foldhash::HashMap<K, V>;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::facts::FileFacts;
use crate::source::{SourceText, file_name, parent_dir};

/// Extensions tried after a specifier that names no existing file, in this order.
pub const EXTENSIONS: &[&str] = &[
    ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json", ".d.ts",
];

/// What a specifier names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Resolved {
    /// A scanned file: its path relative to the scan root, `/`-separated.
    File(String),
    /// A package that is not part of the scanned tree: `@clerk/nextjs` + `server` for
    /// `@clerk/nextjs/server`, `react` + `""`, `node:fs` + `""`.
    External { package: String, subpath: String },
    /// A relative path to no scanned file, a workspace package that does not export the
    /// subpath, a `#name` the nearest `package.json` `imports` does not map, an absolute path.
    Unresolved,
}

/// [`Resolved`] with the file as an index into the list the resolver was built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    File(usize),
    External { package: String, subpath: String },
    Unresolved,
}

/// A workspace package: a scanned `package.json` with a `name`.
#[derive(Clone, Debug)]
struct Package {
    dir: String,
    exports: Option<Value>,
    /// `imports`: `#name` specifiers of the package's own files.
    imports: Option<Value>,
    main: Option<String>,
    module: Option<String>,
}

/// One `compilerOptions.paths` entry: `prefix*suffix` (or an exact key) → targets.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PathRule {
    prefix: String,
    /// `None` for a key without `*`.
    suffix: Option<String>,
    targets: Vec<String>,
}

/// The options of one tsconfig/jsconfig after its `extends` chain, paths made root-relative.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct TsConfig {
    /// Path of the file, relative to the root.
    path: String,
    base_url: Option<String>,
    paths: Vec<PathRule>,
    /// Directory `paths` targets are relative to: `baseUrl` when set, else the directory of
    /// the config that declares `paths`.
    paths_base: String,
}

/// The project's file paths and their ids, held once and shared (the project's index, the
/// resolver and the import graph all map paths to the same ids).
#[derive(Clone, Debug, Default)]
pub struct PathIds {
    /// Shared with the files' facts (`FileFacts::rel`): no second copy of the paths.
    rels: Vec<Arc<str>>,
    /// Path hash (xxh3) → id: the paths are held once, in `rels` (a second copy as keys cost
    /// megabytes on a large tree). `SHARED_HASH` for a hash two different paths share: those
    /// paths are in `shared`.
    ids: FastMap<u64, u32>,
    shared: FastMap<String, usize>,
}

/// `PathIds::ids`: more than one path has this hash.
const SHARED_HASH: u32 = u32::MAX;

impl PathIds {
    /// Ids are positions in `rels`; a path listed twice keeps its first id.
    pub fn new<S: Into<Arc<str>>>(rels: Vec<S>) -> PathIds {
        let rels: Vec<Arc<str>> = rels.into_iter().map(Into::into).collect();
        let mut ids = PathIds {
            ids: FastMap::with_capacity_and_hasher(rels.len(), Default::default()),
            rels: Vec::new(),
            shared: FastMap::default(),
        };
        for (id, rel) in rels.iter().enumerate() {
            ids.index(rel, id, &rels);
        }
        ids.rels = rels;
        ids
    }

    /// Note that `rel` (at position `id` of `rels`) has that id, unless it is known.
    fn index(&mut self, rel: &str, id: usize, rels: &[Arc<str>]) {
        self.index_as(xxhash_rust::xxh3::xxh3_64(rel.as_bytes()), rel, id, rels);
    }

    /// [`PathIds::index`] with the path's hash given.
    fn index_as(&mut self, h: u64, rel: &str, id: usize, rels: &[Arc<str>]) {
        match self.ids.get(&h).copied() {
            None => match u32::try_from(id) {
                Ok(i) if i != SHARED_HASH => {
                    self.ids.insert(h, i);
                }
                _ => {
                    self.ids.insert(h, SHARED_HASH);
                    self.shared.entry(rel.to_string()).or_insert(id);
                }
            },
            Some(SHARED_HASH) => {
                self.shared.entry(rel.to_string()).or_insert(id);
            }
            Some(other) if *rels[other as usize] != *rel => {
                // Two paths, one hash: both move to the side table.
                self.shared
                    .insert(rels[other as usize].to_string(), other as usize);
                self.shared.insert(rel.to_string(), id);
                self.ids.insert(h, SHARED_HASH);
            }
            Some(_) => {}
        }
    }

    pub fn id(&self, rel: &str) -> Option<usize> {
        self.id_as(xxhash_rust::xxh3::xxh3_64(rel.as_bytes()), rel)
    }

    /// [`PathIds::id`] with the path's hash given.
    fn id_as(&self, h: u64, rel: &str) -> Option<usize> {
        match *self.ids.get(&h)? {
            SHARED_HASH => self.shared.get(rel).copied(),
            id => (*self.rels[id as usize] == *rel).then_some(id as usize),
        }
    }

    pub fn rel(&self, id: usize) -> &str {
        &self.rels[id]
    }

    pub fn len(&self) -> usize {
        self.rels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rels.is_empty()
    }

    /// Add a path (its id is the next position) unless it is known; its id either way.
    pub fn add(&mut self, rel: &str) -> usize {
        if let Some(id) = self.id(rel) {
            return id;
        }
        let id = self.rels.len();
        self.rels.push(Arc::from(rel));
        let rels = std::mem::take(&mut self.rels);
        self.index(rel, id, &rels);
        self.rels = rels;
        id
    }
}

/// The resolver of one project, built once from its file list.
pub struct Resolver {
    root: PathBuf,
    paths: Arc<PathIds>,
    /// A path without one of the [`EXTENSIONS`] → (extension rank, file).
    /// A path without one of the [`EXTENSIONS`] (by its hash: the paths themselves are in
    /// `paths`) → (extension rank, file); see `stem_files`.
    stems: Stems,
    /// Directory → the config that governs it (`tsconfig.json` over `jsconfig.json`).
    configs: FastMap<String, Arc<TsConfig>>,
    packages: Vec<Package>,
    by_name: FastMap<String, usize>,
    by_dir: FastMap<String, usize>,
    /// The files whose text the resolver read (manifests, configs and the configs they
    /// extend), relative to the root: its answers depend on no other file's text.
    inputs: HashSet<String>,
    /// Workspace package imports resolved so far, by (package, subpath): many files import the
    /// same entry (`@acme/ui`, `@clerk/shared/react`), and following an `exports` map costs
    /// thousands of instructions. The resolver never changes once built, so neither does an
    /// answer.
    package_answers: std::sync::Mutex<FastMap<(usize, String), Option<usize>>>,
}

impl Resolver {
    /// From the project's files; JSON texts come from the facts, other reads (an `extends` into
    /// `node_modules`) from disk under `root`.
    pub fn from_facts(root: &Path, files: &[FileFacts]) -> Resolver {
        let paths = PathIds::new(files.iter().map(|f| f.rel.clone()).collect());
        Resolver::from_paths(root, Arc::new(paths), files)
    }

    /// Like `from_facts`, with the files' paths already in a table (`paths` lists `files` in
    /// order).
    pub fn from_paths(root: &Path, paths: Arc<PathIds>, files: &[FileFacts]) -> Resolver {
        let texts = files
            .iter()
            .filter(|f| f.rel.ends_with(".json"))
            .map(|f| (f.rel.to_string(), f.source.clone()))
            .collect();
        Resolver::with_paths(root, paths, texts)
    }

    /// From relative paths (file ids are their positions) and the texts of JSON files that are
    /// at hand; the other JSON files a config names are read from disk under `root`.
    pub fn new(root: &Path, rels: Vec<String>, texts: HashMap<String, SourceText>) -> Resolver {
        Resolver::with_paths(root, Arc::new(PathIds::new(rels)), texts)
    }

    fn with_paths(
        root: &Path,
        paths: Arc<PathIds>,
        texts: HashMap<String, SourceText>,
    ) -> Resolver {
        let rels = &paths.rels;
        let mut stems = Stems::default();
        for (id, rel) in rels.iter().enumerate() {
            for (rank, ext) in EXTENSIONS.iter().enumerate() {
                if let Some(stem) = rel.strip_suffix(ext)
                    && !stem.is_empty()
                    && !stem.ends_with('/')
                {
                    stems.add(stem_key(stem), rank as u8, id as u32);
                }
            }
        }

        let mut packages = Vec::new();
        let mut by_name = FastMap::default();
        let mut by_dir = FastMap::default();
        let reader = Reader {
            root,
            texts: &texts,
            read: Default::default(),
        };
        for rel in rels.iter().filter(|r| file_name(r) == "package.json") {
            let Some(json) = reader.json(rel) else {
                continue;
            };
            let dir = parent_dir(rel).to_string();
            let text_field = |k: &str| json.get(k).and_then(Value::as_str).map(str::to_string);
            let pkg = Package {
                dir: dir.clone(),
                exports: json.get("exports").cloned(),
                imports: json.get("imports").cloned(),
                main: text_field("main"),
                module: text_field("module"),
            };
            let i = packages.len();
            if let Some(name) = text_field("name") {
                by_name.entry(name).or_insert(i);
            }
            by_dir.insert(dir, i);
            packages.push(pkg);
        }

        let mut resolver = Resolver {
            root: root.to_path_buf(),
            paths: Arc::clone(&paths),
            stems,
            configs: FastMap::default(),
            packages,
            by_name,
            by_dir,
            inputs: HashSet::new(),
            package_answers: Default::default(),
        };
        let mut loader = ConfigLoader {
            reader,
            resolver: &resolver,
            raw: HashMap::new(),
            effective: HashMap::new(),
        };
        let mut configs: FastMap<String, Arc<TsConfig>> = FastMap::default();
        for name in ["jsconfig.json", "tsconfig.json"] {
            for rel in resolver.paths.rels.iter().filter(|r| file_name(r) == name) {
                let config = loader.config(rel);
                configs.insert(parent_dir(rel).to_string(), Arc::new(config));
            }
        }
        let inputs = loader.reader.read.into_inner();
        resolver.configs = configs;
        resolver.inputs = inputs;
        resolver
    }

    /// Number of files the resolver knows (ids are `0..len`).
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The relative path of a file id.
    pub fn rel(&self, id: usize) -> &str {
        self.paths.rel(id)
    }

    /// The path table the ids index.
    pub fn paths(&self) -> &Arc<PathIds> {
        &self.paths
    }

    /// Whether the resolver read the text of file `rel` (a manifest, a config or a config one
    /// extends): when no such file changes and no file is added or removed, its answers stay
    /// the same.
    pub fn reads(&self, rel: &str) -> bool {
        self.inputs.contains(rel)
    }

    /// The scan root the resolver reads missing JSON files under.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The tsconfig/jsconfig that governs bare specifiers in `from_rel`, if any.
    pub fn config_for(&self, from_rel: &str) -> Option<&str> {
        self.config_of_dir(parent_dir(from_rel))
            .map(|c| c.path.as_str())
    }

    /// The directory of the workspace package with this `name`.
    pub fn workspace_package(&self, name: &str) -> Option<&str> {
        self.by_name
            .get(name)
            .map(|i| self.packages[*i].dir.as_str())
    }

    /// Resolve `specifier` as written in the file `from_rel`.
    pub fn resolve(&self, from_rel: &str, specifier: &str) -> Resolved {
        match self.resolve_target(from_rel, specifier) {
            Target::File(id) => Resolved::File(self.paths.rel(id).to_string()),
            Target::External { package, subpath } => Resolved::External { package, subpath },
            Target::Unresolved => Resolved::Unresolved,
        }
    }

    /// Like [`Resolver::resolve`], with the file as an id.
    pub fn resolve_target(&self, from_rel: &str, specifier: &str) -> Target {
        // Bundler queries (`./x.svg?url`) do not name another file.
        let spec = specifier.split('?').next().unwrap_or("");
        if spec.is_empty() || spec.starts_with('/') || spec.contains('!') {
            return Target::Unresolved;
        }
        let dir = parent_dir(from_rel);
        if spec.starts_with('#') {
            return self
                .resolve_imports(dir, spec)
                .map_or(Target::Unresolved, Target::File);
        }
        if is_relative(spec) {
            return self
                .probe(&join(dir, spec))
                .map_or(Target::Unresolved, Target::File);
        }
        if let Some(config) = self.config_of_dir(dir) {
            if let Some(id) = self.match_paths(config, spec) {
                return Target::File(id);
            }
            if let Some(base) = &config.base_url
                && let Some(id) = self.probe(&join(base, spec))
            {
                return Target::File(id);
            }
        }
        // `@/x` and `~/x` without a config that maps them: the Next.js templates' alias for
        // the package root (or its `src/`).
        if let Some(rest) = spec.strip_prefix("@/").or_else(|| spec.strip_prefix("~/")) {
            let base = self.package_dir_of(dir);
            return [join(base, rest), join(&join(base, "src"), rest)]
                .iter()
                .find_map(|p| self.probe(p))
                .map_or(Target::Unresolved, Target::File);
        }
        let (package, subpath) = split_package(spec);
        if let Some(&i) = self.by_name.get(package) {
            return self
                .resolve_package_once(i, subpath)
                .map_or(Target::Unresolved, Target::File);
        }
        Target::External {
            package: package.to_string(),
            subpath: subpath.to_string(),
        }
    }

    fn config_of_dir(&self, mut dir: &str) -> Option<&TsConfig> {
        loop {
            if let Some(c) = self.configs.get(dir) {
                return Some(c.as_ref());
            }
            if dir.is_empty() {
                return None;
            }
            dir = parent_dir(dir);
        }
    }

    /// `compilerOptions.paths`: an exact key wins, else the wildcard key with the longest
    /// prefix; its targets are tried in order.
    fn match_paths(&self, config: &TsConfig, spec: &str) -> Option<usize> {
        let (rule, star) = match config
            .paths
            .iter()
            .find(|r| r.suffix.is_none() && r.prefix == spec)
        {
            Some(rule) => (rule, ""),
            None => {
                let rule = config
                    .paths
                    .iter()
                    .filter(|r| {
                        r.suffix.as_deref().is_some_and(|suffix| {
                            spec.len() >= r.prefix.len() + suffix.len()
                                && spec.starts_with(r.prefix.as_str())
                                && spec.ends_with(suffix)
                        })
                    })
                    .max_by_key(|r| r.prefix.len())?;
                let end = spec.len() - rule.suffix.as_deref().map_or(0, str::len);
                (rule, &spec[rule.prefix.len()..end])
            }
        };
        rule.targets.iter().find_map(|target| {
            let target = target.replacen('*', star, 1);
            self.probe(&join(&config.paths_base, &target))
        })
    }

    /// [`Resolver::resolve_package`] of package `i`, remembered.
    fn resolve_package_once(&self, i: usize, subpath: &str) -> Option<usize> {
        let answers = || {
            self.package_answers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
        };
        let key = (i, subpath.to_string());
        if let Some(&answer) = answers().get(&key) {
            return answer;
        }
        // Resolved without the lock held: two threads may both resolve one key, to one answer.
        let answer = self.resolve_package(&self.packages[i], subpath);
        answers().insert(key, answer);
        answer
    }

    fn resolve_package(&self, pkg: &Package, subpath: &str) -> Option<usize> {
        if let Some(exports) = &pkg.exports {
            return self.resolve_exports(pkg, exports, subpath);
        }
        if !subpath.is_empty() {
            return self.probe(&join(&pkg.dir, subpath));
        }
        self.package_main(pkg)
    }

    /// `module`, then `main`, then `index.*` of a package directory; when those are build
    /// output that is not there, the source behind them, then `src/index.*`.
    fn package_main(&self, pkg: &Package) -> Option<usize> {
        let entries: Vec<String> = [&pkg.module, &pkg.main]
            .into_iter()
            .flatten()
            .map(|entry| join(&pkg.dir, entry))
            .collect();
        entries
            .iter()
            .find_map(|entry| self.probe_file(entry))
            .or_else(|| self.with_extension(&join(&pkg.dir, "index")))
            .or_else(|| entries.iter().find_map(|e| self.built_to_source(pkg, e)))
            .or_else(|| self.with_extension(&join(&pkg.dir, "src/index")))
    }

    /// `exports`: the entry for `.`/`./subpath` (exact key, else the pattern with the longest
    /// prefix), then the first of its targets that is a scanned file, bundler conditions
    /// before `require` before `types`; failing that, a source file where a `dist/`-like
    /// target points (`./dist/server.js` → `./src/server.ts`).
    fn resolve_exports(&self, pkg: &Package, exports: &Value, subpath: &str) -> Option<usize> {
        let key = if subpath.is_empty() {
            ".".to_string()
        } else {
            format!("./{subpath}")
        };
        let (entry, star) = match exports {
            Value::Object(map) if map.keys().any(|k| k.starts_with('.')) => map_entry(map, &key)?,
            _ if key == "." => (exports, None),
            _ => return None,
        };
        self.resolve_entry(pkg, entry, star).or_else(|| {
            // The package's main entry is exported but only as build output that is absent.
            (key == ".")
                .then(|| self.with_extension(&join(&pkg.dir, "src/index")))
                .flatten()
        })
    }

    /// The directory of the nearest `package.json` at or above `dir` (`""`, the root, when none).
    fn package_dir_of<'a>(&self, mut dir: &'a str) -> &'a str {
        loop {
            if self.by_dir.contains_key(dir) || dir.is_empty() {
                return dir;
            }
            dir = parent_dir(dir);
        }
    }

    /// `#name` through the `imports` field of the nearest `package.json` at or above `dir`.
    fn resolve_imports(&self, dir: &str, spec: &str) -> Option<usize> {
        let mut d = dir;
        let pkg = loop {
            if let Some(&i) = self.by_dir.get(d) {
                break &self.packages[i];
            }
            if d.is_empty() {
                return None;
            }
            d = parent_dir(d);
        };
        let Some(Value::Object(map)) = &pkg.imports else {
            return None;
        };
        let (entry, star) = map_entry(map, spec)?;
        self.resolve_entry(pkg, entry, star)
    }

    /// The first target of an `exports`/`imports` entry that is a scanned file, bundler
    /// conditions before `require` before `types`; failing that, a source file where a
    /// `dist/`-like target points (`./dist/server.js` → `./src/server.ts`). `imports` targets
    /// may also name packages.
    fn resolve_entry(&self, pkg: &Package, entry: &Value, star: Option<&str>) -> Option<usize> {
        let mut candidates = Vec::new();
        collect_targets(entry, 0, &mut candidates);
        candidates.sort_by_key(|(rank, _)| *rank);
        let mut paths = Vec::new();
        for (_, target) in candidates {
            let target = match star {
                Some(s) => target.replace('*', s),
                None => target.to_string(),
            };
            if let Some(rel) = target.strip_prefix("./") {
                let path = join(&pkg.dir, rel);
                if let Some(id) = self.source_of(&path) {
                    return Some(id);
                }
                paths.push(path);
            } else if !target.starts_with(['.', '/', '#'])
                && let Target::File(id) =
                    self.resolve_target(&join(&pkg.dir, "package.json"), &target)
            {
                return Some(id);
            }
        }
        paths.iter().find_map(|p| self.built_to_source(pkg, p))
    }

    /// A scanned file at `path`: the TypeScript source of a `.d.ts` or `.js` name first.
    fn source_of(&self, path: &str) -> Option<usize> {
        for dts in [".d.ts", ".d.mts", ".d.cts"] {
            if let Some(stem) = path.strip_suffix(dts) {
                let ts = &dts[2..];
                if let Some(id) = self.paths.id(&format!("{stem}{ts}")) {
                    return Some(id);
                }
                if let Some(id) = self.paths.id(&format!("{stem}.tsx")) {
                    return Some(id);
                }
            }
        }
        self.paths.id(path).or_else(|| self.ts_for_js(path))
    }

    /// `<pkg>/dist/esm/a/b.js` → a source file `<pkg>/src/a/b.*`.
    fn built_to_source(&self, pkg: &Package, path: &str) -> Option<usize> {
        const BUILD_DIRS: &[&str] = &[
            "dist", "build", "lib", "out", "esm", "cjs", "es", "umd", "types",
        ];
        let mut rest = path.strip_prefix(pkg.dir.as_str())?.trim_start_matches('/');
        // `dist/types/index.d.ts`: try `src/types/index.*`, then `src/index.*`.
        while let Some((first, tail)) = rest.split_once('/') {
            if !BUILD_DIRS.contains(&first) {
                break;
            }
            rest = tail;
            let stem = [
                ".d.ts", ".d.mts", ".d.cts", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts",
            ]
            .iter()
            .find_map(|e| rest.strip_suffix(e))
            .unwrap_or(rest);
            let src = join(&pkg.dir, &format!("src/{stem}"));
            if let Some(id) = self
                .with_extension(&src)
                .or_else(|| self.with_extension(&format!("{src}/index")))
            {
                return Some(id);
            }
        }
        None
    }

    /// A file or directory path (no extension needed).
    fn probe(&self, path: &str) -> Option<usize> {
        if let Some(id) = self.probe_file(path) {
            return Some(id);
        }
        if let Some(&i) = self.by_dir.get(path)
            && let Some(id) = self.package_main(&self.packages[i])
        {
            return Some(id);
        }
        self.with_extension(&join(path, "index"))
    }

    /// The exact file, `path` + an extension, or the TypeScript file behind a `.js` name.
    fn probe_file(&self, path: &str) -> Option<usize> {
        self.paths
            .id(path)
            .or_else(|| self.with_extension(path))
            .or_else(|| self.ts_for_js(path))
    }

    /// The files named `stem` plus one of the [`EXTENSIONS`], with the extension's rank.
    fn stem_files<'a>(&'a self, stem: &'a str) -> impl Iterator<Item = (u8, usize)> + 'a {
        self.stems
            .get(stem_key(stem))
            .map(|(rank, id)| (rank, id as usize))
            .filter(move |&(rank, id)| {
                // The hash may be shared: the path must be the stem and the extension.
                let rel = self.paths.rel(id);
                rel.strip_prefix(stem) == Some(EXTENSIONS[rank as usize])
            })
    }

    fn with_extension(&self, path: &str) -> Option<usize> {
        self.stem_files(path)
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, id)| id)
    }

    /// TS-ESM: `./x.js` names `./x.ts` (or `.tsx`), `.mjs` → `.mts`, `.cjs` → `.cts`.
    fn ts_for_js(&self, path: &str) -> Option<usize> {
        const MAP: &[(&str, &[&str])] = &[
            (".js", &[".ts", ".tsx"]),
            (".jsx", &[".tsx"]),
            (".mjs", &[".mts"]),
            (".cjs", &[".cts"]),
        ];
        for (js, tss) in MAP {
            if let Some(stem) = path.strip_suffix(js) {
                let ranks: Vec<u8> = tss
                    .iter()
                    .filter_map(|t| EXTENSIONS.iter().position(|e| e == t))
                    .map(|r| r as u8)
                    .collect();
                return self
                    .stem_files(stem)
                    .filter(|(rank, _)| ranks.contains(rank))
                    .min_by_key(|(rank, _)| *rank)
                    .map(|(_, id)| id);
            }
        }
        None
    }
}

/// Path stems (by hash) → the files named by a stem plus one of the [`EXTENSIONS`], as
/// (extension rank, file). Most stems name one file: it is held in the map itself, without a
/// list of its own (a list per file cost megabytes and an allocation each on a large tree).
#[derive(Default)]
struct Stems {
    /// The first file of each stem; `MORE` set in the rank when `more` holds others.
    first: FastMap<u64, (u8, u32)>,
    more: FastMap<u64, Vec<(u8, u32)>>,
}

/// `Stems::first`: the stem names more files (in `Stems::more`).
const MORE: u8 = 0x80;

impl Stems {
    fn add(&mut self, key: u64, rank: u8, id: u32) {
        match self.first.get_mut(&key) {
            None => {
                self.first.insert(key, (rank, id));
            }
            Some(first) => {
                first.0 |= MORE;
                self.more.entry(key).or_default().push((rank, id));
            }
        }
    }

    /// The files of a stem, in the order they were added.
    fn get(&self, key: u64) -> impl Iterator<Item = (u8, u32)> + '_ {
        let first = self.first.get(&key).copied();
        let more = first
            .filter(|(rank, _)| rank & MORE != 0)
            .and_then(|_| self.more.get(&key))
            .into_iter()
            .flatten()
            .copied();
        first
            .map(|(rank, id)| (rank & !MORE, id))
            .into_iter()
            .chain(more)
    }
}

/// The key of a path stem in `Resolver::stems`.
fn stem_key(stem: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(stem.as_bytes())
}

/// The entry of an `exports`/`imports` map for `key`: the exact key, else the pattern key with
/// the longest prefix before its `*`, and what the `*` matched.
fn map_entry<'v, 'k>(
    map: &'v serde_json::Map<String, Value>,
    key: &'k str,
) -> Option<(&'v Value, Option<&'k str>)> {
    if let Some(v) = map.get(key) {
        return Some((v, None));
    }
    let (k, v) = map
        .iter()
        .filter(|(k, _)| {
            k.split_once('*').is_some_and(|(pre, suf)| {
                key.len() >= pre.len() + suf.len() && key.starts_with(pre) && key.ends_with(suf)
            })
        })
        .max_by_key(|(k, _)| (k.find('*').unwrap_or(0), k.len()))?;
    let (pre, suf) = k.split_once('*')?;
    Some((v, Some(&key[pre.len()..key.len() - suf.len()])))
}

/// Rank of a condition of an `exports` object: what a bundler building the app picks first,
/// `require` after, TypeScript's `types` last.
fn condition_rank(key: &str) -> u8 {
    match key {
        "import" => 0,
        "module" => 1,
        "default" => 2,
        "browser" => 3,
        "node" => 4,
        "react-server" => 5,
        "require" => 7,
        "types" | "typings" => 8,
        _ if key.starts_with("types@") => 8,
        _ => 6,
    }
}

/// The string targets under an `exports` entry, with the worst rank on their path.
fn collect_targets<'a>(value: &'a Value, rank: u8, out: &mut Vec<(u8, &'a str)>) {
    match value {
        Value::String(s) => out.push((rank, s)),
        Value::Array(items) => {
            for v in items {
                collect_targets(v, rank, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_targets(v, rank.max(condition_rank(k)), out);
            }
        }
        _ => {}
    }
}

/// Reads JSON(C) files: from the texts at hand, else from disk under the root.
struct Reader<'a> {
    root: &'a Path,
    texts: &'a HashMap<String, SourceText>,
    /// Every path whose text was asked for (found or not).
    read: std::cell::RefCell<HashSet<String>>,
}

/// Config and package files larger than this are not read.
const JSON_SIZE_CAP: u64 = 4 * 1024 * 1024;

impl Reader<'_> {
    fn text(&self, rel: &str) -> Option<crate::source::Text> {
        self.read.borrow_mut().insert(rel.to_string());
        if let Some(t) = self.texts.get(rel) {
            return Some(t.text());
        }
        let path = self.root.join(rel);
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > JSON_SIZE_CAP {
            return None;
        }
        std::fs::read_to_string(path).ok().map(Arc::new)
    }

    fn exists(&self, rel: &str) -> bool {
        self.texts.contains_key(rel) || self.root.join(rel).is_file()
    }

    fn json(&self, rel: &str) -> Option<Value> {
        parse_jsonc(&self.text(rel)?)
    }
}

/// Parse JSON with comments and trailing commas; `None` when it is not even that.
pub fn parse_jsonc(text: &str) -> Option<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    jsonc_parser::parse_to_serde_value::<Value>(text, &Default::default()).ok()
}

/// One config file as written: its parents and the options it sets itself.
#[derive(Clone, Debug, Default)]
struct RawConfig {
    extends: Vec<String>,
    base_url: Option<String>,
    /// The rules, and the directory of this file.
    paths: Option<(Vec<PathRule>, String)>,
}

/// The options after `extends` (nearest definition wins, as TypeScript merges them).
#[derive(Clone, Debug, Default)]
struct Effective {
    base_url: Option<String>,
    paths: Option<(Vec<PathRule>, String)>,
}

/// Longest `extends` chain followed.
const MAX_EXTENDS_DEPTH: usize = 16;

struct ConfigLoader<'a> {
    reader: Reader<'a>,
    resolver: &'a Resolver,
    raw: HashMap<String, Option<RawConfig>>,
    effective: HashMap<String, Effective>,
}

impl ConfigLoader<'_> {
    fn config(&mut self, rel: &str) -> TsConfig {
        let mut visiting = HashSet::new();
        let eff = self.effective(rel, &mut visiting);
        let (paths, paths_dir) = eff.paths.unwrap_or_default();
        TsConfig {
            path: rel.to_string(),
            paths_base: eff.base_url.clone().unwrap_or(paths_dir),
            base_url: eff.base_url,
            paths,
        }
    }

    fn effective(&mut self, rel: &str, visiting: &mut HashSet<String>) -> Effective {
        if let Some(e) = self.effective.get(rel) {
            return e.clone();
        }
        let Some(raw) = self.raw(rel) else {
            return Effective::default();
        };
        if visiting.len() >= MAX_EXTENDS_DEPTH || !visiting.insert(rel.to_string()) {
            // A cycle: this file's own options only.
            return Effective {
                base_url: raw.base_url,
                paths: raw.paths,
            };
        }
        let mut eff = Effective::default();
        // With several parents, a later one overrides an earlier one.
        for parent in &raw.extends {
            let p = self.effective(parent, visiting);
            if p.base_url.is_some() {
                eff.base_url = p.base_url;
            }
            if p.paths.is_some() {
                eff.paths = p.paths;
            }
        }
        if raw.base_url.is_some() {
            eff.base_url = raw.base_url;
        }
        if raw.paths.is_some() {
            eff.paths = raw.paths;
        }
        visiting.remove(rel);
        self.effective.insert(rel.to_string(), eff.clone());
        eff
    }

    fn raw(&mut self, rel: &str) -> Option<RawConfig> {
        if let Some(r) = self.raw.get(rel) {
            return r.clone();
        }
        let parsed = self.reader.json(rel).map(|json| self.read_raw(rel, &json));
        self.raw.insert(rel.to_string(), parsed.clone());
        parsed
    }

    fn read_raw(&self, rel: &str, json: &Value) -> RawConfig {
        let dir = parent_dir(rel);
        let extends: Vec<&str> = match json.get("extends") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let options = json.get("compilerOptions");
        let base_url = options
            .and_then(|o| o.get("baseUrl"))
            .and_then(Value::as_str)
            .map(|b| join(dir, b));
        let paths = options
            .and_then(|o| o.get("paths"))
            .and_then(Value::as_object)
            .map(|map| {
                let rules = map
                    .iter()
                    .map(|(key, targets)| {
                        let targets = match targets {
                            Value::Array(items) => items
                                .iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect(),
                            Value::String(s) => vec![s.clone()],
                            _ => Vec::new(),
                        };
                        let (prefix, suffix) = match key.split_once('*') {
                            Some((p, s)) => (p.to_string(), Some(s.to_string())),
                            None => (key.clone(), None),
                        };
                        PathRule {
                            prefix,
                            suffix,
                            targets,
                        }
                    })
                    .collect();
                (rules, dir.to_string())
            });
        RawConfig {
            extends: extends
                .into_iter()
                .filter_map(|e| self.extends_path(rel, e))
                .collect(),
            base_url,
            paths,
        }
    }

    /// Where an `extends` value points: a relative path, a workspace package's file, or a
    /// package in a `node_modules` directory above the config (read from disk).
    fn extends_path(&self, rel: &str, value: &str) -> Option<String> {
        let dir = parent_dir(rel);
        let with_json = |p: String| {
            if !p.ends_with(".json") && !self.reader.exists(&p) {
                format!("{p}.json")
            } else {
                p
            }
        };
        if is_relative(value) {
            return Some(with_json(join(dir, value)));
        }
        if value.starts_with('/') || value.contains('\\') || value.contains(':') {
            return None;
        }
        let (package, subpath) = split_package(value);
        let file = if subpath.is_empty() {
            "tsconfig.json"
        } else {
            subpath
        };
        if let Some(pkg_dir) = self.resolver.workspace_package(package) {
            return Some(with_json(join(pkg_dir, file)));
        }
        // `node_modules` of the config's directory and every directory above it, the scan
        // root's parents included.
        let mut up = dir.to_string();
        for _ in 0..(up.split('/').count() + self.resolver.root.ancestors().count()) {
            let candidate = with_json(join(&up, &format!("node_modules/{package}/{file}")));
            if self.reader.exists(&candidate) {
                return Some(candidate);
            }
            up = join(&up, "..");
        }
        None
    }
}

fn is_relative(spec: &str) -> bool {
    spec == "." || spec == ".." || spec.starts_with("./") || spec.starts_with("../")
}

/// `@scope/name/sub/path` → (`@scope/name`, `sub/path`); `name/sub` → (`name`, `sub`).
pub fn split_package(spec: &str) -> (&str, &str) {
    let first = spec.find('/');
    let end = if spec.starts_with('@') {
        first.and_then(|i| spec[i + 1..].find('/').map(|j| i + 1 + j))
    } else {
        first
    };
    match end {
        Some(e) => (&spec[..e], &spec[e + 1..]),
        None => (spec, ""),
    }
}

/// Join a relative directory and a `/`-separated path, resolving `.` and `..` (a path above
/// the root keeps its leading `..`).
pub fn join(dir: &str, path: &str) -> String {
    // Most joins are a relative import from a plain directory (`./x`, `../lib/y`): its
    // leading `./` and `../` are taken off the path and the directory, and the rest appended.
    if is_plain(dir) {
        let (mut d, mut p) = (dir, path);
        loop {
            if let Some(rest) = p.strip_prefix("./") {
                p = rest;
            } else if !d.is_empty()
                && let Some(rest) = p.strip_prefix("../")
            {
                d = crate::source::parent_dir(d);
                p = rest;
            } else {
                break;
            }
        }
        if is_plain(p) {
            return match (d.is_empty(), p.is_empty()) {
                (true, _) => p.to_string(),
                (_, true) => d.to_string(),
                _ => format!("{d}/{p}"),
            };
        }
    }
    join_segments(dir, path)
}

/// [`join`] segment by segment.
fn join_segments(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// A relative path that [`join`] would leave as it is: no empty segment (no leading, trailing
/// or doubled `/`) and no `.` or `..` segment.
fn is_plain(p: &str) -> bool {
    p.is_empty()
        || p.as_bytes()
            .split(|b| *b == b'/')
            .all(|seg| !seg.is_empty() && seg != b"." && seg != b"..")
}

#[cfg(test)]
mod tests {
    #[test]
    fn stems_hold_one_file_inline_and_more_apart() {
        let mut stems = super::Stems::default();
        stems.add(1, 0, 10);
        stems.add(2, 3, 20);
        stems.add(2, 1, 21);
        stems.add(2, 5, 22);
        assert_eq!(stems.get(1).collect::<Vec<_>>(), [(0, 10)]);
        assert_eq!(
            stems.get(2).collect::<Vec<_>>(),
            [(3, 20), (1, 21), (5, 22)]
        );
        assert_eq!(stems.get(3).count(), 0);
        assert!(super::EXTENSIONS.len() < usize::from(super::MORE));
    }

    #[test]
    fn path_ids_by_hash() {
        let rels: Vec<String> = ["a.ts", "b.ts", "a.ts", "c/d.ts"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut ids = super::PathIds::new(rels);
        assert_eq!(
            ids.id("a.ts"),
            Some(0),
            "a path listed twice keeps its first id"
        );
        assert_eq!(ids.id("b.ts"), Some(1));
        assert_eq!(ids.id("c/d.ts"), Some(3));
        assert_eq!(ids.id("c"), None);
        assert_eq!(ids.add("e.ts"), 4);
        assert_eq!(ids.add("b.ts"), 1);
        assert_eq!(ids.id("e.ts"), Some(4));
        // Two paths with one hash (forced): both are found, a third with it is not.
        let mut forced = super::PathIds::new(Vec::<String>::new());
        let rels: Vec<Arc<str>> = ["x.ts", "y.ts", "x.ts"]
            .iter()
            .map(|s| Arc::from(*s))
            .collect();
        for (i, r) in rels.iter().enumerate() {
            forced.index_as(7, r, i, &rels);
        }
        forced.rels = rels;
        assert_eq!(forced.id_as(7, "x.ts"), Some(0));
        assert_eq!(forced.id_as(7, "y.ts"), Some(1));
        assert_eq!(forced.id_as(7, "z.ts"), None);
    }

    use super::*;

    fn resolver(files: &[(&str, &str)]) -> Resolver {
        let rels = files.iter().map(|(r, _)| r.to_string()).collect();
        let texts = files
            .iter()
            .filter(|(r, _)| r.ends_with(".json"))
            .map(|(r, t)| (r.to_string(), SourceText::new(*t)))
            .collect();
        Resolver::new(Path::new("/nonexistent-clerk-guard-root"), rels, texts)
    }

    fn show(r: &Resolver, from: &str, spec: &str) -> String {
        match r.resolve(from, spec) {
            Resolved::File(f) => f,
            Resolved::External { package, subpath } if subpath.is_empty() => {
                format!("external {package}")
            }
            Resolved::External { package, subpath } => format!("external {package} {subpath}"),
            Resolved::Unresolved => "unresolved".to_string(),
        }
    }

    fn check(r: &Resolver, cases: &[(&str, &str, &str)]) {
        for (from, spec, want) in cases {
            assert_eq!(show(r, from, spec), *want, "{spec} from {from}");
        }
    }

    /// The resolver knows which files' texts it read: manifests, configs and the configs they
    /// extend (a workspace package's, a plain JSON file's), not scripts or other JSON.
    #[test]
    fn the_files_it_reads() {
        let r = resolver(&[
            ("package.json", r#"{"name":"root"}"#),
            ("packages/config/package.json", r#"{"name":"@acme/config"}"#),
            ("packages/config/base.json", r#"{"compilerOptions":{}}"#),
            (
                "apps/web/tsconfig.json",
                r#"{"extends":["../../tsconfig.shared","@acme/config/base.json"]}"#,
            ),
            (
                "tsconfig.shared.json",
                r#"{"compilerOptions":{"baseUrl":"."}}"#,
            ),
            ("apps/web/jsconfig.json", "{}"),
            ("apps/web/data.json", "{}"),
            ("apps/web/app/page.tsx", ""),
        ]);
        for rel in [
            "package.json",
            "packages/config/package.json",
            "packages/config/base.json",
            "apps/web/tsconfig.json",
            "tsconfig.shared.json",
            "apps/web/jsconfig.json",
        ] {
            assert!(r.reads(rel), "{rel}");
        }
        for rel in ["apps/web/data.json", "apps/web/app/page.tsx"] {
            assert!(!r.reads(rel), "{rel}");
        }
    }

    #[test]
    fn template_aliases_without_a_config() {
        let r = resolver(&[
            ("apps/web/package.json", r#"{"name":"web"}"#),
            ("apps/web/src/lib/auth.ts", ""),
            ("apps/web/app/api/route.ts", ""),
            ("apps/web/utils/db.js", ""),
            ("tools/x.ts", ""),
        ]);
        check(
            &r,
            &[
                (
                    "apps/web/app/api/route.ts",
                    "@/lib/auth",
                    "apps/web/src/lib/auth.ts",
                ),
                (
                    "apps/web/app/api/route.ts",
                    "~/utils/db",
                    "apps/web/utils/db.js",
                ),
                ("apps/web/app/api/route.ts", "@/missing", "unresolved"),
                // No package.json above: the scan root is the base.
                ("tools/x.ts", "@/tools/x", "tools/x.ts"),
            ],
        );
    }

    #[test]
    fn paths_and_packages_split() {
        assert_eq!(join("a/b", "../c/./d"), "a/c/d");
        assert_eq!(join("", "../x"), "../x");
        assert_eq!(join("a", "../../x"), "../x");
        assert_eq!(join("a/", "b/"), "a/b");
        // The quick path (a plain directory, leading `./` and `../`) agrees with the full one.
        let dirs = ["", "a", "a/b", "a/b/c", "a/", "./a", "a/../b", "..", "a//b"];
        let paths = [
            "",
            "x",
            "./x",
            "././x",
            "../x",
            "../../x",
            "../../../x",
            "./../x",
            ".././x",
            "x/./y",
            "x/../y",
            "x/",
            ".",
            "..",
            "./",
            "../",
            "x//y",
            "../x/..",
        ];
        for d in dirs {
            for p in paths {
                assert_eq!(join(d, p), join_segments(d, p), "join({d:?}, {p:?})");
            }
        }
        assert_eq!(
            split_package("@clerk/nextjs/server"),
            ("@clerk/nextjs", "server")
        );
        assert_eq!(split_package("@clerk/nextjs"), ("@clerk/nextjs", ""));
        assert_eq!(split_package("react-dom/client"), ("react-dom", "client"));
        assert_eq!(split_package("svix"), ("svix", ""));
        assert_eq!(split_package("node:fs/promises"), ("node:fs", "promises"));
    }

    #[test]
    fn relative_specifiers() {
        let r = resolver(&[
            ("app/page.tsx", ""),
            ("app/util.ts", ""),
            ("app/util.tsx", ""),
            ("app/both.js", ""),
            ("app/both.ts", ""),
            ("app/esm.ts", ""),
            ("app/comp.tsx", ""),
            ("app/mod.mts", ""),
            ("app/data.json", ""),
            ("app/types.d.ts", ""),
            ("app/styles.css", ""),
            ("app/dir/index.tsx", ""),
            ("app/pkgdir/package.json", "{\"main\": \"./lib/entry.js\"}"),
            ("app/pkgdir/lib/entry.js", ""),
            ("lib/auth.ts", ""),
            ("index.js", ""),
        ]);
        check(
            &r,
            &[
                ("app/page.tsx", "./util", "app/util.ts"),
                ("app/page.tsx", "./util.tsx", "app/util.tsx"),
                ("app/page.tsx", "./both", "app/both.ts"),
                ("app/page.tsx", "./both.js", "app/both.js"),
                ("app/page.tsx", "./esm.js", "app/esm.ts"),
                ("app/page.tsx", "./comp.js", "app/comp.tsx"),
                ("app/page.tsx", "./comp.jsx", "app/comp.tsx"),
                ("app/page.tsx", "./mod.mjs", "app/mod.mts"),
                ("app/page.tsx", "./data", "app/data.json"),
                ("app/page.tsx", "./types", "app/types.d.ts"),
                ("app/page.tsx", "./styles.css", "app/styles.css"),
                ("app/page.tsx", "./dir", "app/dir/index.tsx"),
                ("app/page.tsx", "./dir/", "app/dir/index.tsx"),
                ("app/page.tsx", "./pkgdir", "app/pkgdir/lib/entry.js"),
                ("app/page.tsx", "../lib/auth", "lib/auth.ts"),
                ("app/page.tsx", "..", "index.js"),
                ("app/page.tsx", "./util?raw", "app/util.ts"),
                ("app/page.tsx", "./missing", "unresolved"),
                ("app/page.tsx", "../../outside", "unresolved"),
                ("app/page.tsx", "/abs/path", "unresolved"),
                ("app/page.tsx", "#internal", "unresolved"),
                ("app/page.tsx", "", "unresolved"),
                ("app/page.tsx", "react", "external react"),
                (
                    "app/page.tsx",
                    "@clerk/nextjs/server",
                    "external @clerk/nextjs server",
                ),
                ("app/page.tsx", "node:crypto", "external node:crypto"),
            ],
        );
    }

    #[test]
    fn tsconfig_paths_base_url_and_extends() {
        let r = resolver(&[
            // Root base: baseUrl + paths relative to the root, JSONC.
            (
                "tsconfig.base.json",
                "{\n  // shared\n  \"compilerOptions\": {\n    \"baseUrl\": \".\",\n    \"paths\": { \"@shared/*\": [\"packages/shared/src/*\"], \"exact-alias\": [\"packages/shared/src/exact.ts\"], },\n  },\n}",
            ),
            // A workspace config package extending the base by a relative path.
            (
                "packages/tsconfig/package.json",
                "{\"name\": \"@acme/tsconfig\"}",
            ),
            (
                "packages/tsconfig/nextjs.json",
                "{ \"extends\": \"../../tsconfig.base\", \"compilerOptions\": { \"jsx\": \"preserve\" } }",
            ),
            // admin extends by package name and inherits the base's paths.
            (
                "apps/admin/tsconfig.json",
                "{ \"extends\": [\"@tsconfig/missing/tsconfig.json\", \"@acme/tsconfig/nextjs.json\"] }",
            ),
            ("apps/admin/app/page.tsx", ""),
            // web sets its own paths (they replace the inherited ones) without a baseUrl of its
            // own: targets resolve against the inherited baseUrl (the root).
            (
                "apps/web/tsconfig.json",
                "{ \"extends\": \"@acme/tsconfig/nextjs.json\", \"compilerOptions\": { \"paths\": { \"@/*\": [\"apps/web/src/*\"], \"@/lib/special\": [\"apps/web/src/special-lib.ts\"], \"@/components/*\": [\"apps/web/src/ui/*\", \"apps/web/src/components/*\"] } } }",
            ),
            ("apps/web/src/app/page.tsx", ""),
            ("apps/web/src/lib/auth.ts", ""),
            ("apps/web/src/special-lib.ts", ""),
            ("apps/web/src/components/Menu.tsx", ""),
            // docs: jsconfig.json with paths and no baseUrl (relative to the config).
            (
                "apps/docs/jsconfig.json",
                "{ \"compilerOptions\": { \"paths\": { \"~/*\": [\"./*\"] } } }",
            ),
            ("apps/docs/pages/index.jsx", ""),
            ("apps/docs/lib/x.js", ""),
            // A cycle is harmless.
            (
                "cyc/tsconfig.json",
                "{ \"extends\": \"./a.json\", \"compilerOptions\": { \"baseUrl\": \"src\" } }",
            ),
            ("cyc/a.json", "{ \"extends\": \"./tsconfig.json\" }"),
            ("cyc/src/x.ts", ""),
            ("cyc/main.ts", ""),
            ("packages/shared/src/format.ts", ""),
            ("packages/shared/src/exact.ts", ""),
            // Broken JSON: ignored.
            ("broken/tsconfig.json", "{ \"compilerOptions\": "),
            ("broken/a.ts", ""),
        ]);
        check(
            &r,
            &[
                (
                    "apps/admin/app/page.tsx",
                    "@shared/format",
                    "packages/shared/src/format.ts",
                ),
                (
                    "apps/admin/app/page.tsx",
                    "exact-alias",
                    "packages/shared/src/exact.ts",
                ),
                (
                    "apps/admin/app/page.tsx",
                    "@shared/nope",
                    "external @shared/nope",
                ),
                (
                    "apps/web/src/app/page.tsx",
                    "@/lib/auth",
                    "apps/web/src/lib/auth.ts",
                ),
                (
                    "apps/web/src/app/page.tsx",
                    "@/lib/special",
                    "apps/web/src/special-lib.ts",
                ),
                (
                    "apps/web/src/app/page.tsx",
                    "@/components/Menu",
                    "apps/web/src/components/Menu.tsx",
                ),
                // Own paths replace the base's; baseUrl (root) still applies.
                (
                    "apps/web/src/app/page.tsx",
                    "@shared/format",
                    "external @shared/format",
                ),
                (
                    "apps/web/src/app/page.tsx",
                    "packages/shared/src/format",
                    "packages/shared/src/format.ts",
                ),
                ("apps/docs/pages/index.jsx", "~/lib/x", "apps/docs/lib/x.js"),
                ("cyc/main.ts", "x", "cyc/src/x.ts"),
                ("broken/a.ts", "anything", "external anything"),
                ("outside.ts", "@shared/format", "external @shared/format"),
            ],
        );
        assert_eq!(
            r.config_for("apps/web/src/app/page.tsx"),
            Some("apps/web/tsconfig.json")
        );
        assert_eq!(
            r.config_for("apps/docs/pages/index.jsx"),
            Some("apps/docs/jsconfig.json")
        );
        assert_eq!(r.config_for("x.ts"), None);
    }

    #[test]
    fn workspace_packages() {
        let r = resolver(&[
            (
                "packages/ui/package.json",
                r#"{ "name": "@acme/ui", "exports": {
                    ".": { "types": "./dist/index.d.ts", "import": "./src/index.ts", "require": "./dist/index.cjs" },
                    "./server": "./src/server.ts",
                    "./client/*": { "types": "./src/client/*.d.ts", "default": "./src/client/*.tsx" },
                    "./*": "./src/components/*.tsx",
                    "./internal/*": null,
                    "./package.json": "./package.json"
                } }"#,
            ),
            ("packages/ui/src/index.ts", ""),
            // Built output next to the source: `import` still wins over `require`.
            ("packages/ui/dist/index.cjs", ""),
            ("packages/ui/src/server.ts", ""),
            ("packages/ui/src/client/Menu.tsx", ""),
            ("packages/ui/src/components/Button.tsx", ""),
            ("packages/ui/src/internal/secret.tsx", ""),
            // Built entries only: the source behind them is found.
            (
                "packages/built/package.json",
                r#"{ "name": "built", "exports": { ".": { "import": "./dist/esm/index.mjs" }, "./server": { "types": "./dist/server.d.ts", "default": "./dist/server.js" } } }"#,
            ),
            ("packages/built/src/index.ts", ""),
            ("packages/built/src/server.ts", ""),
            // Only build output with declarations under `dist/types`, as `@clerk/clerk-js`.
            (
                "packages/js/package.json",
                r#"{ "name": "clerk-like", "main": "dist/clerk.js", "exports": { ".": { "import": { "types": "./dist/types/index.d.ts", "default": "./dist/clerk.mjs" } }, "./no-rhc": { "import": { "types": "./dist/types/index.d.ts", "default": "./dist/clerk.no-rhc.mjs" } }, "./ui": { "default": "./dist/ui.mjs" } } }"#,
            ),
            ("packages/js/src/index.ts", ""),
            ("packages/js/src/types/other.ts", ""),
            ("packages/js/sandbox/app.ts", ""),
            // A string `exports`.
            (
                "packages/str/package.json",
                r#"{ "name": "str", "exports": "./main.js" }"#,
            ),
            ("packages/str/main.ts", ""),
            // No exports: module, main, index, src/index.
            (
                "packages/main/package.json",
                r#"{ "name": "with-main", "main": "lib/index.js", "module": "lib/esm.js" }"#,
            ),
            ("packages/main/lib/index.js", ""),
            ("packages/main/lib/esm.js", ""),
            ("packages/main/lib/sub.js", ""),
            ("packages/idx/package.json", r#"{ "name": "with-index" }"#),
            ("packages/idx/index.ts", ""),
            (
                "packages/srcidx/package.json",
                r#"{ "name": "with-src-index", "main": "dist/gone.js" }"#,
            ),
            ("packages/srcidx/src/index.tsx", ""),
            // `imports` (`#name`) of the nearest package.json.
            (
                "apps/web/package.json",
                r##"{ "name": "web", "imports": { "#lib/*": "./lib/*.ts", "#env": { "types": "./env.d.ts", "default": "./env.js" }, "#ui": "@acme/ui" } }"##,
            ),
            ("apps/web/lib/auth.ts", ""),
            ("apps/web/env.ts", ""),
            ("apps/web/app/page.tsx", ""),
            ("apps/web/page.tsx", ""),
        ]);
        let from = "apps/web/page.tsx";
        check(
            &r,
            &[
                (from, "@acme/ui", "packages/ui/src/index.ts"),
                (from, "@acme/ui/server", "packages/ui/src/server.ts"),
                (
                    from,
                    "@acme/ui/client/Menu",
                    "packages/ui/src/client/Menu.tsx",
                ),
                (
                    from,
                    "@acme/ui/Button",
                    "packages/ui/src/components/Button.tsx",
                ),
                (from, "@acme/ui/Missing", "unresolved"),
                (from, "@acme/ui/internal/secret", "unresolved"),
                (from, "built", "packages/built/src/index.ts"),
                (from, "built/server", "packages/built/src/server.ts"),
                (from, "built/other", "unresolved"),
                (from, "clerk-like", "packages/js/src/index.ts"),
                (from, "clerk-like/no-rhc", "packages/js/src/index.ts"),
                (from, "clerk-like/ui", "unresolved"),
                (
                    "packages/js/sandbox/app.ts",
                    "../",
                    "packages/js/src/index.ts",
                ),
                (from, "str", "packages/str/main.ts"),
                (from, "str/x", "unresolved"),
                (from, "with-main", "packages/main/lib/esm.js"),
                (from, "with-main/lib/sub", "packages/main/lib/sub.js"),
                (from, "with-index", "packages/idx/index.ts"),
                (from, "with-src-index", "packages/srcidx/src/index.tsx"),
                ("apps/web/app/page.tsx", "#lib/auth", "apps/web/lib/auth.ts"),
                ("apps/web/app/page.tsx", "#env", "apps/web/env.ts"),
                ("apps/web/app/page.tsx", "#ui", "packages/ui/src/index.ts"),
                ("apps/web/app/page.tsx", "#nope", "unresolved"),
                ("packages/ui/src/index.ts", "#lib/auth", "unresolved"),
            ],
        );
        assert_eq!(r.workspace_package("@acme/ui"), Some("packages/ui"));
    }

    #[test]
    fn extends_from_node_modules_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "node_modules/@acme/base/tsconfig.json",
            "{ \"compilerOptions\": { /* on disk */ \"baseUrl\": \"../../../app\", } }",
        );
        write(
            "node_modules/@acme/base/strict.json",
            "{ \"extends\": \"./tsconfig.json\" }",
        );
        write(
            "app/tsconfig.json",
            "{ \"extends\": \"@acme/base/strict\" }",
        );
        let rels = vec![
            "app/tsconfig.json".to_string(),
            "app/lib/x.ts".to_string(),
            "app/a.ts".to_string(),
        ];
        let r = Resolver::new(root, rels, HashMap::new());
        assert_eq!(
            r.resolve("app/a.ts", "lib/x"),
            Resolved::File("app/lib/x.ts".into())
        );
    }
}
