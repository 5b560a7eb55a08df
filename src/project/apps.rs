//! Apps under the scan root: their roots, frameworks (Next.js first; the other frameworks'
//! adapters live in `project::frameworks`), router directories, page extensions, and the
//! installed versions of `next` and the Clerk SDKs (lockfile first, then `package.json`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Serialize;

use crate::facts::FileFacts;
use crate::source::{file_name, join_rel, parent_dir};

/// A framework an app is built on, from its dependencies. An app may have several (a Next.js
/// app with a custom Express server; a Vite front end beside a Fastify API).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    Next,
    Express,
    Fastify,
    Hono,
    Convex,
    ReactRouter,
    Remix,
    Astro,
    Nuxt,
    #[serde(rename = "tanstack-start")]
    TanStackStart,
    Expo,
    Vite,
}

impl Framework {
    /// The framework a `package.json` dependency means (`None` for everything else). `vite`
    /// counts only with a `vite.config.*` beside the manifest (see `discover_with`): test
    /// runners pull it in too.
    pub fn from_dependency(name: &str) -> Option<Framework> {
        Some(match name {
            "next" => Framework::Next,
            "express" | "@clerk/express" => Framework::Express,
            "fastify" | "@clerk/fastify" => Framework::Fastify,
            "hono" | "@clerk/hono" | "@hono/clerk-auth" => Framework::Hono,
            "convex" => Framework::Convex,
            "react-router" | "@react-router/dev" | "@react-router/node" | "@clerk/react-router" => {
                Framework::ReactRouter
            }
            "@remix-run/node" | "@remix-run/react" | "@remix-run/cloudflare" | "@clerk/remix" => {
                Framework::Remix
            }
            "astro" | "@clerk/astro" => Framework::Astro,
            "nuxt" | "@clerk/nuxt" => Framework::Nuxt,
            "@tanstack/react-start" | "@tanstack/start" | "@clerk/tanstack-react-start" => {
                Framework::TanStackStart
            }
            "expo" | "@clerk/clerk-expo" | "@clerk/expo" => Framework::Expo,
            "vite" => Framework::Vite,
            _ => return None,
        })
    }

    /// The name in messages.
    pub fn display(self) -> &'static str {
        match self {
            Framework::Next => "Next.js",
            Framework::Express => "Express",
            Framework::Fastify => "Fastify",
            Framework::Hono => "Hono",
            Framework::Convex => "Convex",
            Framework::ReactRouter => "React Router",
            Framework::Remix => "Remix",
            Framework::Astro => "Astro",
            Framework::Nuxt => "Nuxt",
            Framework::TanStackStart => "TanStack Start",
            Framework::Expo => "Expo",
            Framework::Vite => "Vite",
        }
    }

    /// A framework that runs code on a server (entry points, middleware).
    pub fn has_server(self) -> bool {
        !matches!(self, Framework::Expo | Framework::Vite)
    }
}

/// A version as `major.minor.patch` (pre-release tags ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// The first `x.y.z` (or `x.y`, `x`) in a version or range string: `^6.35.0` → 6.35.0,
    /// `15.5.6(react@19)` → 15.5.6, `npm:@clerk/nextjs@5.7.5` → 5.7.5.
    pub fn parse_loose(s: &str) -> Option<Version> {
        // pnpm writes peer context in parentheses: `15.5.6(react@19.1.1)`.
        let s = s.split('(').next().unwrap_or(s);
        let s = s.rsplit('@').next().unwrap_or(s);
        let start = s.find(|c: char| c.is_ascii_digit())?;
        let mut parts = s[start..]
            .split(|c: char| !c.is_ascii_digit())
            .take_while(|p| !p.is_empty());
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let patch = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        Some(Version::new(major, minor, patch))
    }
}

impl Version {
    /// The same version for the npm range library (`nodejs-semver`).
    pub fn to_semver(self) -> nodejs_semver::Version {
        nodejs_semver::Version::from((self.major, self.minor, self.patch))
    }

    /// A `nodejs-semver` version without its pre-release tag (`16.0.0-canary.5` → 16.0.0), as
    /// lockfile versions are read.
    pub fn from_semver(v: &nodejs_semver::Version) -> Version {
        Version::new(v.major(), v.minor(), v.patch())
    }
}

/// A dependency range as a `package.json` declares it, with npm's semantics (the
/// `nodejs-semver` crate, a port of node-semver: Cargo's `semver` reads `^`, `~`, `x`, `-`
/// and `||` differently): `^6.35.0`, `~6.35`, `6.x`, `6.35.0 - 6.40.0`, `<6.39.2`,
/// `>=5 <7 || ^8`, an alias `npm:@clerk/nextjs@^6`, a workspace range `workspace:^6.0.0`.
#[derive(Clone, Debug)]
pub struct DeclaredRange {
    range: nodejs_semver::Range,
}

impl DeclaredRange {
    /// `None` for what names no version range: a dist-tag (`latest`), a path, a URL, a git
    /// or GitHub reference, `workspace:*`, and a range that allows every version (`*`, `x`,
    /// `""`, `>=0.0.0`), which says nothing about the installed version.
    pub fn parse(spec: &str) -> Option<DeclaredRange> {
        let mut body = spec.trim();
        if let Some(rest) = body.strip_prefix("npm:") {
            // `npm:@clerk/nextjs@^6`: the range follows the last `@` after the name.
            let (name, range) = rest.rsplit_once('@')?;
            if name.is_empty() {
                return None;
            }
            body = range;
        }
        if let Some(rest) = body.strip_prefix("workspace:") {
            body = rest;
        }
        if body.is_empty() || body.contains([':', '/', '\\']) || body.len() > 256 {
            return None;
        }
        let range = nodejs_semver::Range::parse(body).ok()?;
        let declared = DeclaredRange { range };
        if declared.allows(Version::new(0, 0, 0))
            && declared.allows(Version::new(u32::MAX.into(), 0, 0))
        {
            return None;
        }
        Some(declared)
    }

    pub fn allows(&self, v: Version) -> bool {
        self.range.satisfies(&v.to_semver())
    }

    /// The version itself when the range names exactly one (`6.35.0`, `=6.35.0`, `v6.35.0`).
    pub fn exact(spec: &str) -> Option<Version> {
        let s = spec.trim();
        let s = s.strip_prefix('=').unwrap_or(s).trim_start();
        let s = s.strip_prefix('v').unwrap_or(s);
        if s.contains(|c: char| c.is_whitespace() || "<>^~*|xX".contains(c)) {
            return None;
        }
        let v = nodejs_semver::Version::parse(s).ok()?;
        // `6` and `6.35` parse as ranges (`6.x`), not as one version.
        (s.split(['-', '+']).next()?.split('.').count() == 3).then(|| Version::from_semver(&v))
    }

    /// The lowest version the range allows (`^6.35.0` → 6.35.0, `6.x` → 6.0.0, `>6.35.0` →
    /// 6.35.1); `None` when the range has no lower bound (`<6.39.2`).
    pub fn lowest(&self) -> Option<Version> {
        if self.allows(Version::new(0, 0, 0)) {
            return None;
        }
        self.range.min_version().map(|v| Version::from_semver(&v))
    }

    /// The lowest version that both this range and `other` allow, if any.
    pub fn lowest_shared(&self, other: &nodejs_semver::Range) -> Option<Version> {
        let both = self.range.intersect(other)?;
        let v = both.min_version()?;
        both.satisfies_with_prerelease(&v, true)
            .then(|| Version::from_semver(&v))
    }

    /// The version clerk-guard assumes for the range when no lockfile says better: the
    /// lowest it allows, else (no lower bound: `<6.39.2`, `<7`) the first release of the
    /// newest release line it allows (6.0.0 for both).
    pub fn assumed(&self) -> Option<Version> {
        if let Some(v) = self.lowest() {
            return Some(v);
        }
        let text = self.range.to_string();
        let top = Version::parse_loose(&text)?;
        [top.major, top.major.checked_sub(1)?]
            .into_iter()
            .map(|m| Version::new(m, 0, 0))
            .find(|v| self.allows(*v))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Where a version came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Installed {
    pub version: Version,
    /// The lockfile (relative path) or `package.json` it was read from.
    pub source: String,
    /// Read from a lockfile (exact) rather than a `package.json` range (lower bound).
    pub exact: bool,
    /// The `package.json` range `version` was derived from, when no lockfile names the
    /// installed version (`version` is then the range's lowest version: see
    /// `DeclaredRange::assumed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    /// A lockfile clerk-guard cannot read that lies where the version lookup looked (Bun's
    /// binary `bun.lockb`), when the version comes from the range: the installed version is
    /// then unknown rather than undeclared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread_lock: Option<String>,
}

impl Installed {
    /// Why the version comes from `package.json`, for messages: `no lockfile`, or the
    /// lockfile that could not be read.
    pub fn no_lock(&self) -> String {
        match &self.unread_lock {
            Some(lock) => format!("`{lock}` is binary and not read"),
            None => "no lockfile".to_string(),
        }
    }

    /// The declared range, when the version comes from one.
    pub fn declared(&self) -> Option<DeclaredRange> {
        if self.exact {
            return None;
        }
        DeclaredRange::parse(self.range.as_deref()?)
    }
}

/// One app: a directory with a `package.json` that depends on a framework (or a
/// `next.config.*`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct App {
    /// The app's root directory, relative (`""` for the scan root).
    pub root: String,
    pub name: Option<String>,
    /// The frameworks it is built on, sorted (Next.js rules and the Next.js route model only
    /// apply when `Framework::Next` is among them).
    pub frameworks: Vec<Framework>,
    /// `package.json` of the app, if any.
    pub package_json: Option<String>,
    /// The installed versions of `next` and the Clerk SDKs, read on first use (see
    /// [`App::versions`]).
    #[serde(flatten)]
    versions: LazyVersions,
    /// The app uses Clerk: an `@clerk/*` dependency in its `package.json` or its workspace
    /// root's, or a JS/TS source file of the app that imports `@clerk/*` (Markdown and other
    /// docs never count). Auth, authorization and middleware rules only run for such apps.
    pub uses_clerk: bool,
    /// Why the app counts as using Clerk (`package.json`, `workspace root`, or the importing file).
    pub clerk_evidence: Option<String>,
    /// The workspace root (a `package.json` with `workspaces`, or a `pnpm-workspace.yaml`),
    /// relative to the scan root (`..` segments when it lies above it).
    pub workspace_root: Option<String>,
    /// `app/` or `src/app/`, relative.
    pub app_dir: Option<String>,
    /// `pages/` or `src/pages/`, relative.
    pub pages_dir: Option<String>,
    /// The router lives in `src/` (the pages directory decides when both exist, as Next.js
    /// places the middleware beside it).
    pub src_dir: bool,
    /// `pages` and `app` resolve to different parents (`pages/` and `src/app/`): recent
    /// Next.js refuses to build that layout; both are still analysed.
    pub split_router_dirs: bool,
    /// `pageExtensions` (default `tsx`, `ts`, `jsx`, `js`).
    pub page_extensions: Vec<String>,
}

impl App {
    pub fn has(&self, fw: Framework) -> bool {
        self.frameworks.contains(&fw)
    }

    /// A Next.js app: the Next.js route model, middleware and rules apply.
    pub fn is_next(&self) -> bool {
        self.has(Framework::Next)
    }

    /// An app with no server of its own (Expo, a Vite SPA): everything in it ships to the
    /// device or the browser.
    pub fn is_client_only(&self) -> bool {
        !self.frameworks.is_empty() && self.frameworks.iter().all(|f| !f.has_server())
    }

    /// The installed versions of the tracked packages: read from the lockfiles the first time
    /// something asks (a scan whose rules ask none, `--select secrets`, parses no lockfile).
    pub fn versions(&self) -> &Versions {
        self.versions.get()
    }

    /// The installed `next`.
    pub fn next(&self) -> Option<&Installed> {
        self.versions().next.as_ref()
    }

    /// The installed `@clerk/nextjs`.
    pub fn clerk(&self) -> Option<&Installed> {
        self.versions().clerk.as_ref()
    }

    /// The other tracked `@clerk/*` packages, by name.
    pub fn clerk_packages(&self) -> &BTreeMap<String, Installed> {
        &self.versions().clerk_packages
    }

    pub fn clerk_major(&self) -> Option<u64> {
        self.clerk().map(|c| c.version.major)
    }

    pub fn next_major(&self) -> Option<u64> {
        self.next().map(|c| c.version.major)
    }

    /// Whether a relative path is inside this app.
    pub fn contains(&self, rel: &str) -> bool {
        self.root.is_empty()
            || rel.starts_with(&self.root) && rel[self.root.len()..].starts_with('/')
    }

    pub fn path(&self, rel_in_app: &str) -> String {
        join_rel(&self.root, rel_in_app)
    }

    /// The app's name for messages: its root, or `.` for the scan root.
    pub fn label(&self) -> &str {
        if self.root.is_empty() {
            "."
        } else {
            &self.root
        }
    }
}

/// The installed versions of an app's tracked packages.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Versions {
    pub next: Option<Installed>,
    pub clerk: Option<Installed>,
    /// Other `@clerk/*` packages of `TRACKED_PACKAGES` (`@clerk/backend`, `@clerk/shared`,
    /// `@clerk/express`, `@clerk/astro`, `@clerk/nuxt`, `@clerk/clerk-js`).
    pub clerk_packages: BTreeMap<String, Installed>,
}

/// An app's [`Versions`], resolved on first use from what discovery found: the ranges its
/// manifests declare and the lockfiles of the scan (parsed once for all its apps).
#[derive(Clone, Default)]
struct LazyVersions {
    resolved: std::sync::OnceLock<Versions>,
    pending: Option<std::sync::Arc<PendingVersions>>,
}

struct PendingVersions {
    root: String,
    /// Each tracked package a manifest declares: its name, range and the manifest's path.
    declared: Vec<(&'static str, String, Option<String>)>,
    locks: std::sync::Arc<Lockfiles>,
}

impl LazyVersions {
    fn get(&self) -> &Versions {
        self.resolved.get_or_init(|| {
            let mut out = Versions::default();
            let Some(p) = &self.pending else { return out };
            for (dep, range, source) in &p.declared {
                let installed = p.locks.version(&p.root, dep, range).or_else(|| {
                    let declared = DeclaredRange::parse(range)?;
                    Some(Installed {
                        version: declared.assumed()?,
                        source: source.clone().unwrap_or_default(),
                        exact: false,
                        range: Some(range.clone()),
                        unread_lock: p.locks.binary_lock(&p.root),
                    })
                });
                if let Some(installed) = installed {
                    match *dep {
                        "next" => out.next = Some(installed),
                        "@clerk/nextjs" => out.clerk = Some(installed),
                        other => {
                            out.clerk_packages.insert(other.to_string(), installed);
                        }
                    }
                }
            }
            out
        })
    }
}

impl fmt::Debug for LazyVersions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl PartialEq for LazyVersions {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Serialize for LazyVersions {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

/// The packages whose installed versions are read (lockfile first, then the `package.json`
/// range): `next`, `@clerk/nextjs` (`App::next`, `App::clerk`) and the other Clerk SDKs the
/// advisories name (`App::clerk_packages`).
pub const TRACKED_PACKAGES: &[&str] = &[
    "next",
    "@clerk/nextjs",
    "@clerk/astro",
    "@clerk/backend",
    "@clerk/clerk-js",
    "@clerk/express",
    "@clerk/nuxt",
    "@clerk/shared",
    "@clerk/react-router",
    "@clerk/remix",
    "@clerk/tanstack-react-start",
    "react-router",
];

const DEFAULT_PAGE_EXTENSIONS: &[&str] = &["tsx", "ts", "jsx", "js"];

/// Directories above the scan root, read from disk for what a monorepo keeps at its
/// workspace root (its `package.json`, `pnpm-workspace.yaml`, lockfiles).
#[derive(Clone, Debug, Default)]
pub struct Outside {
    /// The scan root (absolute).
    root: std::path::PathBuf,
    /// Ancestors of the scan root, nearest first: (`..`-relative path, absolute path).
    dirs: Vec<(String, std::path::PathBuf)>,
}

impl Outside {
    /// The ancestors of `root` up to (and including) the enclosing git work tree, at most
    /// eight levels; none when `root` is itself a work tree root.
    pub fn of(root: &std::path::Path) -> Outside {
        let mut dirs = Vec::new();
        let root = root.to_path_buf();
        if root.join(".git").exists() {
            return Outside { root, dirs };
        }
        let mut rel = String::from("..");
        for dir in root.ancestors().skip(1).take(8) {
            dirs.push((rel.clone(), dir.to_path_buf()));
            if dir.join(".git").exists() {
                break;
            }
            rel.push_str("/..");
        }
        Outside { root, dirs }
    }

    fn read(&self, i: usize, name: &str) -> Option<String> {
        let (_, dir) = self.dirs.get(i)?;
        let path = dir.join(name);
        let meta = std::fs::metadata(&path).ok()?;
        // Lockfiles can be large, never unbounded.
        if !meta.is_file() || meta.len() > 64 * 1024 * 1024 {
            return None;
        }
        std::fs::read_to_string(path).ok()
    }

    fn exists(&self, i: usize, name: &str) -> bool {
        self.dirs
            .get(i)
            .is_some_and(|(_, d)| d.join(name).is_file())
    }
}

/// Whether a `pnpm-workspace.yaml` makes a workspace: it lists `packages`. pnpm 10 also writes
/// the file into single-package projects for its settings alone (`onlyBuiltDependencies:`),
/// which makes no workspace.
fn lists_packages(text: &str) -> bool {
    text.lines().any(|l| {
        l.strip_prefix("packages")
            .is_some_and(|r| r.trim_start().starts_with(':'))
    })
}

/// A workspace root: where the monorepo's shared dependencies and lockfile live.
struct Workspace {
    rel: String,
    pkg: Option<serde_json::Value>,
    pkg_rel: Option<String>,
}

fn is_workspace_pkg(pkg: &serde_json::Value) -> bool {
    pkg.get("workspaces").is_some_and(|w| {
        w.as_array().is_some_and(|a| !a.is_empty())
            || w.get("packages")
                .and_then(|p| p.as_array())
                .is_some_and(|a| !a.is_empty())
    })
}

/// The nearest workspace root strictly above `root` (inside the scan root, then above it).
fn workspace_of(
    root: &str,
    by_rel: &BTreeMap<&str, &FileFacts>,
    manifests: &Manifests,
    outside: &Outside,
) -> Option<Workspace> {
    let mut dir = root.to_string();
    while !dir.is_empty() {
        dir = parent_dir(&dir).to_string();
        let pkg_rel = join_rel(&dir, "package.json");
        let pkg = manifests.value(&pkg_rel).cloned();
        let pnpm = by_rel
            .get(join_rel(&dir, "pnpm-workspace.yaml").as_str())
            .is_some_and(|f| lists_packages(&f.text()));
        if pnpm || pkg.as_ref().is_some_and(is_workspace_pkg) {
            let has_pkg = pkg.is_some();
            return Some(Workspace {
                rel: dir,
                pkg,
                pkg_rel: has_pkg.then_some(pkg_rel),
            });
        }
    }
    for (i, (rel, _)) in outside.dirs.iter().enumerate() {
        let pkg = outside.read(i, "package.json").and_then(|t| parse_json(&t));
        let pnpm = outside
            .read(i, "pnpm-workspace.yaml")
            .is_some_and(|t| lists_packages(&t));
        if pnpm || pkg.as_ref().is_some_and(is_workspace_pkg) {
            let has_pkg = pkg.is_some();
            return Some(Workspace {
                rel: rel.clone(),
                pkg,
                pkg_rel: has_pkg.then(|| format!("{rel}/package.json")),
            });
        }
    }
    None
}

/// Find every Next.js app: a `package.json` that depends on `next`, or a `next.config.*`.
/// A workspace root whose `package.json` lists `next` (hoisted for its apps) is not an app
/// unless it has a router directory or a `next.config.*` of its own.
pub fn discover(files: &[FileFacts], exists: &dyn Fn(&str) -> bool) -> Vec<App> {
    discover_with(files, exists, &Outside::default()).apps
}

/// What discovery finds: the apps, and a warning per `package.json` that is not a valid JSON
/// object (read from the one parse of each manifest that discovery makes).
pub struct Discovery {
    pub apps: Vec<App>,
    pub manifest_warnings: Vec<String>,
}

/// `discover`, reading what lies above the scan root (a workspace root's `package.json` and
/// lockfile) through `outside`.
pub fn discover_with(
    files: &[FileFacts],
    exists: &dyn Fn(&str) -> bool,
    outside: &Outside,
) -> Discovery {
    let by_rel: BTreeMap<&str, &FileFacts> = files.iter().map(|f| (&*f.rel, f)).collect();
    let manifests = Manifests::parse(files);
    let mut roots: BTreeMap<String, Option<&FileFacts>> = BTreeMap::new();
    for f in files {
        let name = file_name(&f.rel);
        if name == "package.json" && !f.origin.build_output {
            let Some(parsed) = manifests.get(&f.rel) else {
                continue;
            };
            if parsed.is_err() {
                // Malformed (`manifest_warnings` says where): the directory layout decides.
                let dir = parent_dir(&f.rel);
                if ["app", "pages", "src/app", "src/pages"]
                    .iter()
                    .any(|d| exists(&join_rel(dir, d)))
                {
                    roots.insert(dir.to_string(), Some(f));
                }
            } else if let Ok(pkg) = parsed
                && !own_frameworks(pkg, parent_dir(&f.rel), &|p| by_rel.contains_key(p)).is_empty()
            {
                let dir = parent_dir(&f.rel);
                let workspace_root = is_workspace_pkg(pkg)
                    || by_rel
                        .get(join_rel(dir, "pnpm-workspace.yaml").as_str())
                        .is_some_and(|f| lists_packages(&f.text()));
                let own_router = ["app", "pages", "src/app", "src/pages"]
                    .iter()
                    .any(|d| exists(&join_rel(dir, d)));
                if workspace_root && !own_router {
                    // `next` (or another framework) hoisted to the workspace root for its apps.
                    continue;
                }
                roots.insert(dir.to_string(), Some(f));
            }
        } else if crate::facts::is_next_config_name(name) {
            roots.entry(parent_dir(&f.rel).to_string()).or_insert(None);
        }
    }
    let mut apps = Vec::new();
    let locks = std::sync::Arc::new(Lockfiles {
        files: files
            .iter()
            .filter(|f| LOCKFILES.iter().any(|(name, _)| file_name(&f.rel) == *name))
            .map(|f| (f.rel.to_string(), f.source.clone()))
            .collect(),
        outside: outside.clone(),
        parsed: Default::default(),
    });
    for (root, pkg_file) in roots {
        let pkg_file = pkg_file.or_else(|| {
            by_rel
                .get(join_rel(&root, "package.json").as_str())
                .copied()
        });
        let pkg = pkg_file.and_then(|f| manifests.value(&f.rel));
        let workspace = workspace_of(&root, &by_rel, &manifests, outside);
        let name = pkg
            .as_ref()
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
            .map(str::to_string);
        let dir_exists = |d: &str| exists(&join_rel(&root, d));
        let has_next_config = NEXT_CONFIG_NAMES
            .iter()
            .any(|n| by_rel.contains_key(join_rel(&root, n).as_str()));
        let mut frameworks = match &pkg {
            Some(p) => own_frameworks(p, &root, &|f| by_rel.contains_key(f)),
            None => Vec::new(),
        };
        // A `next.config.*`, or a malformed manifest beside a Next.js router directory.
        if !frameworks.contains(&Framework::Next)
            && (has_next_config
                || !pkg.as_ref().is_some_and(|p| p.is_object())
                    && ["app", "pages", "src/app", "src/pages"]
                        .iter()
                        .any(|d| dir_exists(d)))
        {
            frameworks.push(Framework::Next);
            frameworks.sort();
        }
        let is_next = frameworks.contains(&Framework::Next);
        let dirs = if is_next {
            router_dirs(&dir_exists)
        } else {
            RouterDirs {
                app: None,
                pages: None,
                src: false,
                split: false,
            }
        };
        let page_extensions = page_extensions(&root, &by_rel);
        let mut app = App {
            root: root.clone(),
            name,
            frameworks,
            package_json: pkg_file.map(|f| f.rel.to_string()),
            versions: LazyVersions::default(),
            uses_clerk: false,
            clerk_evidence: None,
            workspace_root: workspace.as_ref().map(|w| w.rel.clone()),
            app_dir: dirs.app.map(|d| join_rel(&root, d)),
            pages_dir: dirs.pages.map(|d| join_rel(&root, d)),
            src_dir: dirs.src,
            split_router_dirs: dirs.split,
            page_extensions,
        };
        // The app's own `package.json` first, then the workspace root's (hoisted deps).
        let declaring = [
            pkg.map(|p| (p, pkg_file.map(|f| f.rel.to_string()))),
            workspace
                .as_ref()
                .and_then(|w| w.pkg.as_ref().map(|p| (p, w.pkg_rel.clone()))),
        ];
        let declared = TRACKED_PACKAGES
            .iter()
            .filter_map(|&dep| {
                declaring
                    .iter()
                    .flatten()
                    .find_map(|(p, src)| dependency_range(p, dep).map(|r| (dep, r, src.clone())))
            })
            .collect();
        app.versions.pending = Some(std::sync::Arc::new(PendingVersions {
            root: root.clone(),
            declared,
            locks: std::sync::Arc::clone(&locks),
        }));
        if let Some(p) = &pkg
            && depends_on_clerk(p)
        {
            app.clerk_evidence = pkg_file.map(|f| f.rel.to_string());
        } else if let Some(w) = &workspace
            && w.pkg.as_ref().is_some_and(depends_on_clerk)
        {
            app.clerk_evidence = w.pkg_rel.clone();
        }
        apps.push(app);
    }
    // Nested apps: a file belongs to the innermost app.
    apps.sort_by(|a, b| a.root.cmp(&b.root));
    // An app whose JS/TS sources import `@clerk/*` without declaring it (hoisted in a
    // monorepo). Only module specifiers of scripts count: a Markdown guide that shows an
    // import does not.
    let innermost = |rel: &str| {
        apps.iter()
            .enumerate()
            .filter(|(_, a)| a.contains(rel))
            .max_by_key(|(_, a)| a.root.len())
            .map(|(i, _)| i)
    };
    // Only the apps without other evidence are asked about, each until its first importer
    // (the first in path order): the imports of the other files are not lexed for this.
    let mut importer: Vec<Option<String>> = vec![None; apps.len()];
    for f in files {
        if !f.hits.has("@clerk/") {
            continue;
        }
        if let Some(i) = innermost(&f.rel)
            && apps[i].clerk_evidence.is_none()
            && importer[i].is_none()
            && clerk_importer(f)
        {
            importer[i] = Some(f.rel.to_string());
        }
    }
    for (app, imp) in apps.iter_mut().zip(importer) {
        if app.clerk_evidence.is_none() {
            app.clerk_evidence = imp;
        }
        app.uses_clerk = app.clerk_evidence.is_some();
    }
    Discovery {
        apps,
        manifest_warnings: manifests.warnings(),
    }
}

/// Whether `discover_with` finds the same apps after the facts of a file that was there
/// (`old`) are replaced by `new`, the paths all unchanged: of a script that is not a
/// `next.config.*`, discovery reads only whether it imports `@clerk/*` (the evidence of an app
/// whose manifests do not name Clerk). Any other file (a manifest, a lockfile, a
/// `pnpm-workspace.yaml`, a `next.config.*`) may change the apps. An oversized script (whose
/// text would be read again) or one whose imports were not lexed yet (read from disk, which
/// may hold the new text already) counts as a change.
pub fn same_for_discovery(old: &FileFacts, new: &FileFacts) -> bool {
    let plain_script = |f: &FileFacts| {
        matches!(f.kind, crate::source::FileKind::Script(_))
            && !crate::facts::is_next_config_name(file_name(&f.rel))
            && !f.oversized
    };
    old.rel == new.rel
        && plain_script(old)
        && plain_script(new)
        && old.imports_lexed()
        && clerk_importer(old) == clerk_importer(new)
}

/// A file `discover_with` takes as evidence that its app uses Clerk (see `imports_clerk`).
pub(crate) fn clerk_importer(f: &FileFacts) -> bool {
    f.hits.has("@clerk/") && imports_clerk(f)
}

/// A JS/TS source file (not build output) with an import, re-export, `require()` or
/// `import()` of an `@clerk/*` module.
fn imports_clerk(f: &FileFacts) -> bool {
    if !matches!(f.kind, crate::source::FileKind::Script(_)) || f.origin.build_output {
        return false;
    }
    if f.oversized {
        // Not scanned for imports: a specifier in quotes is the best evidence left.
        let t = f.text();
        return t.contains("'@clerk/") || t.contains("\"@clerk/");
    }
    f.imports().iter().any(|i| i.source.starts_with("@clerk/"))
}

/// Clerk integrations published outside the `@clerk/` scope that an app may depend on alone
/// (Hono's middleware, which brings `@clerk/backend` along).
const CLERK_INTEGRATIONS: &[&str] = &["@hono/clerk-auth"];

fn depends_on_clerk(pkg: &serde_json::Value) -> bool {
    DEPENDENCY_FIELDS.iter().any(|field| {
        pkg.get(field).and_then(|d| d.as_object()).is_some_and(|d| {
            d.keys()
                .any(|k| k.starts_with("@clerk/") || CLERK_INTEGRATIONS.contains(&k.as_str()))
        })
    })
}

/// Where Next.js finds the routers of an app.
struct RouterDirs {
    app: Option<&'static str>,
    pages: Option<&'static str>,
    /// The router's parent is `src/`.
    src: bool,
    /// `pages` and `app` have different parents.
    split: bool,
}

/// Each router directory on its own, `./x` before `./src/x`, as Next.js's `findPagesDir`
/// does: a root `pages/` does not hide `src/app/`.
fn router_dirs(exists: &dyn Fn(&str) -> bool) -> RouterDirs {
    let find = |name: &'static str, src: &'static str| {
        if exists(name) {
            Some(name)
        } else if exists(src) {
            Some(src)
        } else {
            None
        }
    };
    let app = find("app", "src/app");
    let pages = find("pages", "src/pages");
    let in_src = |d: Option<&str>| d.is_some_and(|d| d.starts_with("src/"));
    // Next.js takes the project's root (where the middleware lives) from the pages
    // directory first, then the app directory.
    let src = in_src(pages.or(app));
    let split = app.is_some() && pages.is_some() && in_src(app) != in_src(pages);
    RouterDirs {
        app,
        pages,
        src,
        split,
    }
}

const NEXT_CONFIG_NAMES: &[&str] = &[
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "next.config.cjs",
    "next.config.mts",
];

/// The frameworks a manifest's own dependencies name (sorted, no duplicates); `vite` only
/// with a `vite.config.*` in `dir` (`has_file` answers for relative file paths).
fn own_frameworks(
    pkg: &serde_json::Value,
    dir: &str,
    has_file: &dyn Fn(&str) -> bool,
) -> Vec<Framework> {
    let mut out: Vec<Framework> = DEPENDENCY_FIELDS
        .iter()
        .filter_map(|field| pkg.get(field).and_then(|d| d.as_object()))
        .flat_map(|d| d.keys())
        .filter_map(|k| Framework::from_dependency(k))
        .filter(|fw| {
            *fw != Framework::Vite
                || [
                    "vite.config.ts",
                    "vite.config.js",
                    "vite.config.mjs",
                    "vite.config.mts",
                    "vite.config.cjs",
                ]
                .iter()
                .any(|n| has_file(&join_rel(dir, n)))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn page_extensions(root: &str, by_rel: &BTreeMap<&str, &FileFacts>) -> Vec<String> {
    for name in NEXT_CONFIG_NAMES {
        let Some(f) = by_rel.get(join_rel(root, name).as_str()) else {
            continue;
        };
        let text = f.text();
        if let Some(at) = text.find("pageExtensions")
            && let Some(open) = text[at..].find('[')
            && let Some(close) = text[at + open..].find(']')
        {
            let inner = &text[at + open + 1..at + open + close];
            let exts: Vec<String> = inner
                .split(',')
                .map(|s| s.trim().trim_matches(['\'', '"', '`']).to_string())
                .filter(|s| !s.is_empty() && !s.contains(' '))
                .collect();
            if !exts.is_empty() {
                return exts;
            }
        }
    }
    DEFAULT_PAGE_EXTENSIONS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Where (line, column) and why a manifest is not a JSON object.
type ManifestError = (usize, usize, String);

/// A `package.json`'s value, when it is a JSON object.
fn parse_manifest(text: &str) -> Result<serde_json::Value, ManifestError> {
    match serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}')) {
        Ok(v) if v.is_object() => Ok(v),
        Ok(_) => Err((1, 1, "not a JSON object".to_string())),
        Err(e) => {
            let reason = match e.classify() {
                serde_json::error::Category::Eof => "truncated".to_string(),
                _ => {
                    let full = e.to_string();
                    match full.rfind(" at line ") {
                        Some(at) => full[..at].to_string(),
                        None => full,
                    }
                }
            };
            Err((e.line().max(1), e.column().max(1), reason))
        }
    }
}

/// Every `package.json` of the scan (not build output), parsed once, in parallel: discovery
/// asks each several times (its errors, its dependencies, as the workspace root above each
/// app).
struct Manifests<'a> {
    parsed: HashMap<&'a str, Result<serde_json::Value, ManifestError>>,
}

impl<'a> Manifests<'a> {
    fn parse(files: &'a [FileFacts]) -> Manifests<'a> {
        use rayon::prelude::*;
        let parsed = files
            .par_iter()
            .filter(|f| file_name(&f.rel) == "package.json" && !f.origin.build_output)
            .map(|f| (&*f.rel, parse_manifest(&f.text())))
            .collect();
        Manifests { parsed }
    }

    fn get(&self, rel: &str) -> Option<&Result<serde_json::Value, ManifestError>> {
        self.parsed.get(rel)
    }

    /// The manifest at `rel`, when there is one and it is a JSON object.
    fn value(&self, rel: &str) -> Option<&serde_json::Value> {
        self.get(rel)?.as_ref().ok()
    }

    /// One warning per `package.json` that is not a valid JSON object (trailing comma,
    /// truncated, `null`, nested too deeply), in path order: its app is found from the
    /// directory layout alone, and its dependencies are unknown.
    fn warnings(&self) -> Vec<String> {
        let mut bad: Vec<(&str, &ManifestError)> = self
            .parsed
            .iter()
            .filter_map(|(rel, parsed)| Some((*rel, parsed.as_ref().err()?)))
            .collect();
        bad.sort_by_key(|(rel, _)| *rel);
        bad.into_iter()
            .map(|(rel, (line, column, reason))| {
                format!(
                    "{}:{line}:{column}: package.json is not valid JSON ({}): its dependencies are unknown; the app, if any, is found from its directory layout",
                    crate::finding::escape_control(rel),
                    crate::finding::escape_control(reason)
                )
            })
            .collect()
    }
}

pub fn parse_json(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()
}

const DEPENDENCY_FIELDS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

fn dependency_range(pkg: &serde_json::Value, dep: &str) -> Option<String> {
    for field in DEPENDENCY_FIELDS {
        if let Some(v) = pkg
            .get(field)
            .and_then(|d| d.get(dep))
            .and_then(|v| v.as_str())
        {
            return Some(v.to_string());
        }
    }
    None
}

/// The lockfiles an app's version lookups read: those of the scan and those above its root,
/// each parsed once for every app and dependency asked of it (a monorepo's lockfile runs to
/// tens of thousands of lines), on the first lookup.
struct Lockfiles {
    /// The scan's lockfiles by relative path.
    files: BTreeMap<String, crate::source::SourceText>,
    outside: Outside,
    parsed: std::sync::Mutex<HashMap<String, Option<std::sync::Arc<Lock>>>>,
}

impl Lockfiles {
    /// The nearest `bun.lockb` at or above the app at `root` (inside the scan root, then
    /// above it), which the walk leaves out as binary: looked up on disk, and only when a
    /// version had to come from a range.
    fn binary_lock(&self, root: &str) -> Option<String> {
        const NAME: &str = "bun.lockb";
        let scan_root = &self.outside.root;
        if scan_root.as_os_str().is_empty() {
            return None;
        }
        let mut dir = root.to_string();
        loop {
            let rel = join_rel(&dir, NAME);
            if scan_root.join(&rel).is_file() {
                return Some(rel);
            }
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(&dir).to_string();
        }
        (0..self.outside.dirs.len())
            .find(|&i| self.outside.exists(i, NAME))
            .map(|i| format!("{}/{NAME}", self.outside.dirs[i].0))
    }

    fn get(
        &self,
        key: &str,
        kind: LockKind,
        text: impl FnOnce() -> Option<String>,
    ) -> Option<std::sync::Arc<Lock>> {
        let mut parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(lock) = parsed.get(key) {
            return lock.clone();
        }
        let lock = text().map(|t| std::sync::Arc::new(Lock::parse(kind, &t)));
        parsed.insert(key.to_string(), lock.clone());
        lock
    }

    /// The installed version of `dep` for the app at `root`, from the nearest lockfile at or
    /// above it: inside the scan root, then above it (a monorepo's workspace root).
    fn version(&self, root: &str, dep: &str, range: &str) -> Option<Installed> {
        let mut dir = root.to_string();
        loop {
            for (name, kind) in LOCKFILES {
                let path = join_rel(&dir, name);
                if let Some(f) = self.files.get(path.as_str()) {
                    let app_rel = root
                        .strip_prefix(dir.as_str())
                        .unwrap_or(root)
                        .trim_start_matches('/');
                    let lock = self.get(&path, *kind, || Some(f.text().to_string()));
                    if let Some(version) =
                        lock.as_deref().and_then(|l| l.version(app_rel, dep, range))
                    {
                        return Some(Installed {
                            version,
                            source: path,
                            exact: true,
                            range: None,
                            unread_lock: None,
                        });
                    }
                }
            }
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(&dir).to_string();
        }
        let outside = &self.outside;
        for (i, (rel, abs)) in outside.dirs.iter().enumerate() {
            for (name, kind) in LOCKFILES {
                let source = format!("{rel}/{name}");
                let Some(lock) = self.get(&source, *kind, || outside.read(i, name)) else {
                    continue;
                };
                // The app's path as the lockfile names it (relative to the lockfile's directory).
                let app_abs = outside.root.join(root);
                let app_rel = crate::source::rel_path(abs, &app_abs);
                if let Some(version) = lock.version(&app_rel, dep, range) {
                    return Some(Installed {
                        version,
                        source,
                        exact: true,
                        range: None,
                        unread_lock: None,
                    });
                }
            }
        }
        None
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LockKind {
    Npm,
    Pnpm,
    Yarn,
    Bun,
}

const LOCKFILES: &[(&str, LockKind)] = &[
    ("package-lock.json", LockKind::Npm),
    ("pnpm-lock.yaml", LockKind::Pnpm),
    ("yarn.lock", LockKind::Yarn),
    ("bun.lock", LockKind::Bun),
];

/// A lockfile, indexed by what the version lookups ask.
enum Lock {
    /// `package-lock.json` v1–v3, parsed.
    Npm(Option<serde_json::Value>),
    Pnpm(PnpmLock),
    Yarn(YarnLock),
    /// `bun.lock` is looked up by its text.
    Bun(String),
}

impl Lock {
    fn parse(kind: LockKind, text: &str) -> Lock {
        match kind {
            LockKind::Npm => Lock::Npm(parse_json(text)),
            LockKind::Pnpm => Lock::Pnpm(PnpmLock::parse(text)),
            LockKind::Yarn => Lock::Yarn(YarnLock::parse(text)),
            LockKind::Bun => Lock::Bun(text.to_string()),
        }
    }

    /// The version of `dep` installed for the app at `app_rel` (relative to the lockfile's
    /// directory) whose manifest asks for `range`.
    fn version(&self, app_rel: &str, dep: &str, range: &str) -> Option<Version> {
        match self {
            Lock::Npm(lock) => npm_version(lock.as_ref()?, app_rel, dep),
            Lock::Pnpm(lock) => lock.version(app_rel, dep),
            Lock::Yarn(lock) => lock.version(dep, range),
            Lock::Bun(text) => bun_version(text, dep),
        }
    }
}

/// `package-lock.json` v1–v3.
fn npm_version(lock: &serde_json::Value, app_rel: &str, dep: &str) -> Option<Version> {
    if let Some(packages) = lock.get("packages") {
        let mut keys = Vec::new();
        if !app_rel.is_empty() {
            keys.push(format!("{app_rel}/node_modules/{dep}"));
        }
        keys.push(format!("node_modules/{dep}"));
        for key in keys {
            if let Some(v) = packages
                .get(&key)
                .and_then(|p| p.get("version"))
                .and_then(|v| v.as_str())
            {
                return Version::parse_loose(v);
            }
        }
    }
    lock.get("dependencies")
        .and_then(|d| d.get(dep))
        .and_then(|d| d.get("version"))
        .and_then(|v| v.as_str())
        .and_then(Version::parse_loose)
}

/// `pnpm-lock.yaml` (v5–v9): each importer's resolved versions, and the versions of every
/// package key (`/dep@x`, `dep@x:`, v5's `/dep/x`).
#[derive(Default)]
struct PnpmLock {
    importers: HashMap<String, HashMap<String, Version>>,
    packages: HashMap<String, Vec<Version>>,
}

impl PnpmLock {
    fn parse(text: &str) -> PnpmLock {
        let mut lock = PnpmLock::default();
        let mut in_importers = false;
        let mut importer: Option<String> = None;
        let mut dep: Option<String> = None;
        for line in text.lines() {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            lock.package_key(t);
            if indent == 0 {
                in_importers = t == "importers:";
                importer = None;
                dep = None;
                continue;
            }
            if in_importers && indent == 2 {
                importer = Some(
                    t.trim_end_matches(':')
                        .trim_matches(['\'', '"'])
                        .to_string(),
                );
                dep = None;
                continue;
            }
            let Some(imp) = importer.as_deref() else {
                continue;
            };
            if indent == 6 {
                let key = t.split(':').next().unwrap_or("").trim_matches(['\'', '"']);
                // Only the tracked packages are ever asked for (`lockfile_version`).
                if !TRACKED_PACKAGES.contains(&key) {
                    dep = None;
                    continue;
                }
                dep = Some(key.to_string());
                // v5/v6 inline form: `next: 15.5.6`
                if let Some((_, v)) = t.split_once(": ")
                    && let Some(ver) = Version::parse_loose(v.trim_matches(['\'', '"']))
                {
                    lock.resolve(imp, key, ver);
                    dep = None;
                }
                continue;
            }
            if indent >= 8
                && let Some(d) = dep.take_if(|_| t.starts_with("version:"))
                && let Some(ver) = Version::parse_loose(
                    t.trim_start_matches("version:")
                        .trim()
                        .trim_matches(['\'', '"']),
                )
            {
                lock.resolve(imp, &d, ver);
            }
        }
        lock
    }

    fn resolve(&mut self, importer: &str, dep: &str, version: Version) {
        self.importers
            .entry(importer.to_string())
            .or_default()
            .entry(dep.to_string())
            .or_insert(version);
    }

    /// Record a line that names a package with its version: `/dep@x:`, `dep@x:`, `/dep/x:`.
    fn package_key(&mut self, t: &str) {
        let t = t.trim_matches(['\'', '"']);
        let (slash, s) = match t.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        // The name ends at the first `@` (or, after a slash, `/`) past a scope's own.
        let from = usize::from(s.starts_with('@'));
        let scope_end = if from == 1 {
            match s.find('/') {
                Some(i) => i + 1,
                None => return,
            }
        } else {
            0
        };
        let rest = &s[scope_end..];
        let at = rest.find('@').map(|i| (i, '@'));
        let sl = if slash {
            rest.find('/').map(|i| (i, '/'))
        } else {
            None
        };
        let Some((i, _)) = [at, sl].into_iter().flatten().min_by_key(|(i, _)| *i) else {
            return;
        };
        if scope_end + i == 0 {
            return;
        }
        let name = &s[..scope_end + i];
        // Only the tracked packages are ever asked for (`lockfile_version`).
        if !TRACKED_PACKAGES.contains(&name) {
            return;
        }
        let Some(v) = Version::parse_loose(rest[i + 1..].trim_end_matches(':')) else {
            return;
        };
        let versions = self.packages.entry(name.to_string()).or_default();
        if !versions.contains(&v) {
            versions.push(v);
        }
    }

    /// The importer's resolved version, else the version of a single package key.
    fn version(&self, app_rel: &str, dep: &str) -> Option<Version> {
        let importer = if app_rel.is_empty() { "." } else { app_rel };
        if let Some(v) = self.importers.get(importer).and_then(|deps| deps.get(dep)) {
            return Some(*v);
        }
        match self.packages.get(dep).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }
}

/// `yarn.lock` v1 and berry: each entry's specifiers (`dep@range`, `dep@npm:range`) and
/// version.
#[derive(Default)]
struct YarnLock {
    /// Every specifier of every entry, with the entry's version.
    specs: HashMap<String, Version>,
    /// The distinct versions of each package name.
    versions: HashMap<String, Vec<Version>>,
}

impl YarnLock {
    fn parse(text: &str) -> YarnLock {
        let mut lock = YarnLock::default();
        let mut entry: Vec<String> = Vec::new();
        for line in text.lines() {
            if !line.starts_with(' ') && !line.is_empty() && !line.starts_with('#') {
                entry = line
                    .trim_end_matches(':')
                    .split(',')
                    .map(|h| h.trim().trim_matches('"').to_string())
                    .filter(|h| spec_name(h).is_some())
                    .collect();
                continue;
            }
            if entry.is_empty() {
                continue;
            }
            let t = line.trim();
            if let Some(v) = t.strip_prefix("version") {
                let v = v.trim_start_matches(':').trim().trim_matches('"');
                if let Some(ver) = Version::parse_loose(v) {
                    for spec in entry.drain(..) {
                        if let Some(name) = spec_name(&spec) {
                            let versions = lock.versions.entry(name.to_string()).or_default();
                            if !versions.contains(&ver) {
                                versions.push(ver);
                            }
                        }
                        lock.specs.entry(spec).or_insert(ver);
                    }
                }
                entry.clear();
            }
        }
        lock
    }

    /// The entry that names `dep@range`, else the single version of `dep`.
    fn version(&self, dep: &str, range: &str) -> Option<Version> {
        for spec in [format!("{dep}@{range}"), format!("{dep}@npm:{range}")] {
            if let Some(v) = self.specs.get(&spec) {
                return Some(*v);
            }
        }
        match self.versions.get(dep).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }
}

/// The package name of a yarn specifier (`@scope/name@range` → `@scope/name`).
fn spec_name(spec: &str) -> Option<&str> {
    let at = spec.get(1..)?.find('@')? + 1;
    Some(&spec[..at])
}

/// `bun.lock` (text, JSONC): `"next": ["next@15.5.6", …]`.
fn bun_version(text: &str, dep: &str) -> Option<Version> {
    let needle = format!("\"{dep}\": [\"{dep}@");
    let at = text.find(&needle)? + needle.len();
    let end = text[at..].find('"')? + at;
    Version::parse_loose(&text[at..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(rel: &str, text: &str) -> FileFacts {
        let input = crate::source::InputFile {
            rel: rel.to_string(),
            abs: rel.into(),
            kind: crate::source::FileKind::classify(rel),
            origin: crate::source::Origin::default(),
        };
        crate::facts::extract(&input, text.to_string())
    }

    fn apps_of(files: &[(&str, &str)], dirs: &[&str]) -> Vec<App> {
        let files: Vec<FileFacts> = files.iter().map(|(r, t)| facts(r, t)).collect();
        discover(&files, &|d| dirs.contains(&d))
    }

    /// Of a script that was there, discovery reads only whether it imports `@clerk/*`; any
    /// other file it may read.
    #[test]
    fn what_discovery_reads_of_a_replaced_file() {
        let same = |rel: &str, old: &str, new: &str| {
            let old = facts(rel, old);
            let _ = old.imports();
            same_for_discovery(&old, &facts(rel, new))
        };
        assert!(same("app/page.tsx", "export default 1", "export default 2"));
        assert!(same(
            "app/page.tsx",
            "import { auth } from '@clerk/nextjs/server'",
            "import { auth, currentUser } from '@clerk/nextjs/server'\n// @clerk/"
        ));
        // The import of `@clerk/*` added, or taken away.
        assert!(!same(
            "app/page.tsx",
            "export default 1",
            "import { auth } from '@clerk/nextjs/server'"
        ));
        assert!(!same(
            "lib/a.ts",
            "const c = require('@clerk/backend')",
            "const c = '@clerk/backend'"
        ));
        // Files discovery reads for their text.
        assert!(!same(
            "next.config.mjs",
            "export default {}",
            "export default { pageExtensions: ['tsx'] }"
        ));
        assert!(!same("package.json", "{}", "{}"));
        assert!(!same("pnpm-lock.yaml", "", ""));
        // The old file's imports not lexed yet (they would be read from disk).
        assert!(!same_for_discovery(
            &facts("app/page.tsx", "export default 1"),
            &facts("app/page.tsx", "export default 2")
        ));
    }

    /// An app that uses Clerk only through its scripts' imports: after an edit that adds or
    /// takes away the only such import, the updated model says what a fresh one says; an edit
    /// that changes neither keeps the apps without looking for them again.
    #[test]
    fn apps_after_an_edit_of_a_script() {
        let files = |page: &str| {
            vec![
                facts("package.json", r#"{"dependencies":{"next":"15.0.0"}}"#),
                facts("app/page.tsx", page),
                facts("lib/a.ts", "export const a = 1"),
            ]
        };
        let build = |page: &str| {
            crate::project::Project::build(
                "/nonexistent-clerk-guard-root".into(),
                files(page),
                Vec::new(),
                Default::default(),
            )
        };
        let clerk = "import { auth } from '@clerk/nextjs/server'\nexport default async function P() { await auth() }";
        let plain = "export default function P() { return 1 }";
        let mut p = build(plain);
        assert!(!p.apps[0].uses_clerk);
        for (page, kept) in [(clerk, false), (clerk, true), (plain, false), (plain, true)] {
            p.upsert(facts("app/page.tsx", page));
            assert_eq!(p.last_update().apps_kept, kept, "{page}");
            assert_eq!(p.apps, build(page).apps, "{page}");
        }
        assert!(p.last_update().apps_kept);
        p.upsert(facts(
            "package.json",
            r#"{"dependencies":{"next":"15.0.0","@clerk/nextjs":"6.0.0"}}"#,
        ));
        assert!(!p.last_update().apps_kept);
        assert!(p.apps[0].uses_clerk);
    }

    /// An app that imports Clerk without declaring it uses it in live code only where Next.js
    /// loads the importer (its `app/` tree) or something imports it; a declared dependency
    /// always counts.
    #[test]
    fn clerk_in_live_code_needs_a_loaded_importer() {
        let modal = "import { SignIn } from '@clerk/nextjs'\nexport function LoginModal() { return <SignIn /> }\n";
        let plain_page = "export default function P() { return <p>hi</p> }\n";
        let importing_page = "import { LoginModal } from '../components/login-modal'\nexport default function P() { return <LoginModal /> }\n";
        let layout = "import { ClerkProvider } from '@clerk/nextjs'\nexport default function L({ children }) { return <ClerkProvider>{children}</ClerkProvider> }\n";
        let pkg = r#"{"dependencies":{"next":"15.0.0"}}"#;
        let declared = r#"{"dependencies":{"next":"15.0.0","@clerk/nextjs":"6.0.0"}}"#;
        let cases: &[(&[(&str, &str)], bool)] = &[
            (
                &[
                    ("package.json", pkg),
                    ("components/login-modal.tsx", modal),
                    ("app/page.tsx", plain_page),
                ],
                false,
            ),
            (
                &[
                    ("package.json", pkg),
                    ("components/login-modal.tsx", modal),
                    ("app/page.tsx", importing_page),
                ],
                true,
            ),
            (
                &[
                    ("package.json", pkg),
                    ("app/layout.tsx", layout),
                    ("app/page.tsx", plain_page),
                ],
                true,
            ),
            (
                &[("package.json", declared), ("app/page.tsx", plain_page)],
                true,
            ),
        ];
        for (files, live) in cases {
            let p = crate::project::model_of(files);
            assert!(p.apps[0].uses_clerk || !live, "{files:?}");
            assert_eq!(p.clerk_in_live_code(0), *live, "{files:?}");
        }
    }

    #[test]
    fn frameworks_come_from_the_manifest() {
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str], &'a [Framework]);
        let cases: &[Case<'_>] = &[
            (
                &[(
                    "package.json",
                    r#"{"dependencies":{"next":"15.0.0","express":"4"}}"#,
                )],
                &["app"],
                &[Framework::Next, Framework::Express],
            ),
            (
                &[(
                    "package.json",
                    r#"{"dependencies":{"astro":"5","@clerk/astro":"2"}}"#,
                )],
                &["src/pages"],
                &[Framework::Astro],
            ),
            // `vite` alone (a test runner's dependency) is not an app; with its config it is.
            (
                &[("package.json", r#"{"devDependencies":{"vite":"6"}}"#)],
                &[],
                &[],
            ),
            (
                &[
                    ("package.json", r#"{"devDependencies":{"vite":"6"}}"#),
                    ("vite.config.ts", "export default {}\n"),
                ],
                &[],
                &[Framework::Vite],
            ),
            (
                &[(
                    "package.json",
                    r#"{"dependencies":{"@clerk/tanstack-react-start":"0.20"}}"#,
                )],
                &[],
                &[Framework::TanStackStart],
            ),
            (
                &[(
                    "package.json",
                    r#"{"dependencies":{"react":"19","lodash":"4"}}"#,
                )],
                &["src/pages"],
                &[],
            ),
        ];
        for (files, dirs, want) in cases {
            let apps = apps_of(files, dirs);
            let got: Vec<Framework> = apps
                .first()
                .map(|a| a.frameworks.clone())
                .unwrap_or_default();
            assert_eq!(&got, want, "{files:?}");
        }
    }

    #[test]
    fn only_next_apps_have_next_router_dirs() {
        // Astro's `src/pages` is not a Next.js Pages Router.
        let apps = apps_of(
            &[("package.json", r#"{"dependencies":{"astro":"5"}}"#)],
            &["src/pages"],
        );
        assert_eq!(apps.len(), 1);
        assert!(!apps[0].is_next());
        assert_eq!(apps[0].pages_dir, None);
        let apps = apps_of(
            &[("package.json", r#"{"dependencies":{"next":"15.0.0"}}"#)],
            &["src/pages"],
        );
        assert_eq!(apps[0].pages_dir.as_deref(), Some("src/pages"));
        // An Expo app has no server: everything ships to the device.
        let apps = apps_of(
            &[("package.json", r#"{"dependencies":{"expo":"52"}}"#)],
            &[],
        );
        assert!(apps[0].is_client_only());
        let apps = apps_of(
            &[(
                "package.json",
                r#"{"dependencies":{"expo":"52","express":"5"}}"#,
            )],
            &[],
        );
        assert!(!apps[0].is_client_only());
    }

    #[test]
    fn router_dirs_are_found_each_on_its_own() {
        type Case<'a> = (&'a [&'a str], Option<&'a str>, Option<&'a str>, bool, bool);
        let cases: &[Case<'_>] = &[
            (&["app"], Some("app"), None, false, false),
            (&["src/app"], Some("src/app"), None, true, false),
            (&["app", "src/app"], Some("app"), None, false, false),
            (
                &["pages", "src/app"],
                Some("src/app"),
                Some("pages"),
                false,
                true,
            ),
            (
                &["src/pages", "app"],
                Some("app"),
                Some("src/pages"),
                true,
                true,
            ),
            (
                &["src/pages", "src/app"],
                Some("src/app"),
                Some("src/pages"),
                true,
                false,
            ),
            (&[], None, None, false, false),
        ];
        for (dirs, app, pages, src, split) in cases {
            let d = router_dirs(&|x| dirs.contains(&x));
            assert_eq!(
                (d.app, d.pages, d.src, d.split),
                (*app, *pages, *src, *split),
                "{dirs:?}"
            );
        }
    }

    #[test]
    fn clerk_use_comes_from_manifests_and_imports_not_docs() {
        let next = r#"{"dependencies":{"next":"15.5.6"}}"#;
        let apps = apps_of(
            &[
                ("a/package.json", next),
                (
                    "a/guides/clerk.md",
                    "import { auth } from '@clerk/nextjs/server'",
                ),
                ("a/docs/x.mdx", "import { SignIn } from '@clerk/nextjs'"),
                (
                    "a/lib/x.ts",
                    "// uses '@clerk/nextjs' someday\nexport const x = 1",
                ),
                ("b/package.json", next),
                (
                    "b/lib/auth.ts",
                    "export { auth } from '@clerk/nextjs/server'",
                ),
                (
                    "c/package.json",
                    r#"{"dependencies":{"next":"15.5.6","@clerk/backend":"1.0.0"}}"#,
                ),
            ],
            &[],
        );
        let got: Vec<(&str, bool, Option<&str>)> = apps
            .iter()
            .map(|a| (a.root.as_str(), a.uses_clerk, a.clerk_evidence.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a", false, None),
                ("b", true, Some("b/lib/auth.ts")),
                ("c", true, Some("c/package.json")),
            ]
        );
    }

    #[test]
    fn a_workspace_root_with_next_is_not_an_app() {
        let root = r#"{"private":true,"workspaces":["apps/*"],"devDependencies":{"next":"15.5.6","@clerk/nextjs":"6.35.0"}}"#;
        let web = r#"{"dependencies":{"next":"^15.0.0"}}"#;
        let apps = apps_of(
            &[("package.json", root), ("apps/web/package.json", web)],
            &["apps/web/app"],
        );
        let roots: Vec<&str> = apps.iter().map(|a| a.root.as_str()).collect();
        assert_eq!(roots, vec!["apps/web"]);
        // Clerk and the `next` range come from the workspace root when the app lacks them.
        assert!(apps[0].uses_clerk);
        assert_eq!(apps[0].clerk_evidence.as_deref(), Some("package.json"));
        assert_eq!(apps[0].workspace_root.as_deref(), Some(""));
        // With a router of its own, the root is an app too.
        let apps = apps_of(
            &[("package.json", root), ("apps/web/package.json", web)],
            &["app", "apps/web/app"],
        );
        assert_eq!(apps.len(), 2);
    }

    /// pnpm 10 writes a `pnpm-workspace.yaml` of settings alone into single-package projects:
    /// no workspace, so a TanStack Start app (no `app/` or `pages/`) with one is still an app.
    /// One that lists `packages` makes the directory a workspace root, not an app.
    #[test]
    fn a_pnpm_settings_file_makes_no_workspace() {
        let pkg = r#"{"dependencies":{"@tanstack/react-start":"1.131.0","@clerk/tanstack-react-start":"0.22.0"}}"#;
        let settings = "onlyBuiltDependencies:\n  - esbuild\n";
        let apps = apps_of(
            &[("package.json", pkg), ("pnpm-workspace.yaml", settings)],
            &["src/routes"],
        );
        assert_eq!(apps.len(), 1);
        let workspace = "packages:\n  - 'apps/*'\nonlyBuiltDependencies:\n  - esbuild\n";
        let apps = apps_of(
            &[("package.json", pkg), ("pnpm-workspace.yaml", workspace)],
            &["src/routes"],
        );
        assert!(apps.is_empty(), "{apps:?}");
        assert!(lists_packages(workspace) && !lists_packages(settings));
        assert!(!lists_packages("packagesExtra:\n  - x\n"));
    }

    #[test]
    fn declared_ranges() {
        let assumed = |r: &str| DeclaredRange::parse(r).and_then(|d| d.assumed());
        assert_eq!(assumed("^6.35.0"), Some(Version::new(6, 35, 0)));
        assert_eq!(assumed("~6.35"), Some(Version::new(6, 35, 0)));
        assert_eq!(assumed("6.x"), Some(Version::new(6, 0, 0)));
        assert_eq!(assumed("6.35.0 - 6.40.0"), Some(Version::new(6, 35, 0)));
        assert_eq!(assumed(">=5 <7 || ^8"), Some(Version::new(5, 0, 0)));
        assert_eq!(assumed("<6.39.2"), Some(Version::new(6, 0, 0)));
        assert_eq!(assumed("<7"), Some(Version::new(6, 0, 0)));
        assert_eq!(assumed("<1"), Some(Version::new(0, 0, 0)));
        assert_eq!(assumed("workspace:^6.1.0"), Some(Version::new(6, 1, 0)));
        assert_eq!(
            assumed("npm:@clerk/nextjs@5.7.5"),
            Some(Version::new(5, 7, 5))
        );
        for r in [
            "*",
            "latest",
            "",
            "x",
            "workspace:*",
            "link:../x",
            "git+https://x/y.git",
            "npm:",
            "^^^",
        ] {
            assert_eq!(assumed(r), None, "{r}");
        }
        assert_eq!(DeclaredRange::exact("6.35.0"), Some(Version::new(6, 35, 0)));
        assert_eq!(
            DeclaredRange::exact("=v6.35.0"),
            Some(Version::new(6, 35, 0))
        );
        for r in ["6.35", "6.x", "^6.35.0", "6.35.0 - 6.40.0", "<6.39.2"] {
            assert_eq!(DeclaredRange::exact(r), None, "{r}");
        }
    }

    #[test]
    fn loose_versions() {
        assert_eq!(
            Version::parse_loose("^6.35.0"),
            Some(Version::new(6, 35, 0))
        );
        assert_eq!(
            Version::parse_loose("15.5.6(react@19.1.1)"),
            Some(Version::new(15, 5, 6))
        );
        assert_eq!(
            Version::parse_loose("npm:@clerk/nextjs@5.7.5"),
            Some(Version::new(5, 7, 5))
        );
        assert_eq!(Version::parse_loose("~5"), Some(Version::new(5, 0, 0)));
        assert_eq!(Version::parse_loose("latest"), None);
        assert_eq!(Version::parse_loose("workspace:*"), None);
    }

    #[test]
    fn lockfiles() {
        let npm = r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/next":{"version":"15.5.6"},"apps/web/node_modules/next":{"version":"14.2.3"}}}"#;
        assert_eq!(
            Lock::parse(LockKind::Npm, npm).version("", "next", "^15"),
            Some(Version::new(15, 5, 6))
        );
        assert_eq!(
            Lock::parse(LockKind::Npm, npm).version("apps/web", "next", "^14"),
            Some(Version::new(14, 2, 3))
        );
        let pnpm = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.5.6(react@19.1.1)\n\n  apps/web:\n    dependencies:\n      '@clerk/nextjs':\n        specifier: ^6.0.0\n        version: 6.35.0(next@15.5.6)\n\npackages:\n\n  next@15.5.6:\n    resolution: {}\n";
        assert_eq!(
            PnpmLock::parse(pnpm).version("", "next"),
            Some(Version::new(15, 5, 6))
        );
        assert_eq!(
            PnpmLock::parse(pnpm).version("apps/web", "@clerk/nextjs"),
            Some(Version::new(6, 35, 0))
        );
        let yarn = "\"next@^14.0.0\", next@14.1.0:\n  version \"14.1.4\"\n  resolved \"x\"\n\n\"@clerk/nextjs@npm:^5.0.0\":\n  version: 5.7.5\n";
        assert_eq!(
            YarnLock::parse(yarn).version("next", "^14.0.0"),
            Some(Version::new(14, 1, 4))
        );
        assert_eq!(
            YarnLock::parse(yarn).version("@clerk/nextjs", "^5.0.0"),
            Some(Version::new(5, 7, 5))
        );
        let bun = "{\n  \"packages\": {\n    \"next\": [\"next@16.0.8\", \"\", {}],\n  }\n}";
        assert_eq!(bun_version(bun, "next"), Some(Version::new(16, 0, 8)));
    }

    /// A pnpm lockfile keeps only the tracked packages (the only ones asked for): the
    /// versions of an importer's other dependencies and of other package keys are not
    /// indexed, and a tracked one among them still is.
    #[test]
    fn pnpm_lock_keeps_the_tracked_packages() {
        let pnpm = "importers:\n  .:\n    dependencies:\n      react:\n        specifier: ^19.0.0\n        version: 19.1.1\n      next:\n        specifier: ^15.0.0\n        version: 15.5.6(react@19.1.1)\n      react-dom: 19.1.1\n\npackages:\n  react@19.1.1:\n    resolution: {}\n  '@clerk/backend@2.4.0':\n    resolution: {}\n";
        let lock = PnpmLock::parse(pnpm);
        assert_eq!(lock.version("", "next"), Some(Version::new(15, 5, 6)));
        assert_eq!(lock.version("", "react"), None);
        assert_eq!(lock.version("", "react-dom"), None);
        assert_eq!(
            lock.version("", "@clerk/backend"),
            Some(Version::new(2, 4, 0))
        );
        assert_eq!(lock.importers.len(), 1);
        assert_eq!(lock.packages.len(), 1);
    }

    /// Discovery parses no lockfile: an app's versions are read the first time something
    /// asks, then kept; the lockfile's version wins over the manifest's range, as before.
    #[test]
    fn versions_are_read_on_first_use() {
        let pnpm = "importers:\n  .:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.5.6\n      '@clerk/nextjs':\n        specifier: ^6.0.0\n        version: 6.35.0\n";
        let apps = apps_of(
            &[
                (
                    "package.json",
                    r#"{ "dependencies": { "next": "^15.0.0", "@clerk/nextjs": "^6.0.0", "@clerk/backend": "^2.1.0" } }"#,
                ),
                ("pnpm-lock.yaml", pnpm),
            ],
            &["app"],
        );
        let app = &apps[0];
        let locks = &app.versions.pending.as_ref().unwrap().locks;
        assert!(app.versions.resolved.get().is_none());
        assert!(locks.parsed.lock().unwrap().is_empty());
        assert_eq!(app.next_major(), Some(15));
        assert!(app.versions.resolved.get().is_some());
        assert_eq!(locks.parsed.lock().unwrap().len(), 1);
        let clerk = app.clerk().unwrap();
        assert_eq!(
            (clerk.version, clerk.exact, clerk.source.as_str()),
            (Version::new(6, 35, 0), true, "pnpm-lock.yaml")
        );
        // Not in the lockfile: the range's lowest version, from the manifest.
        let backend = &app.clerk_packages()["@clerk/backend"];
        assert_eq!(
            (backend.version, backend.exact, backend.source.as_str()),
            (Version::new(2, 1, 0), false, "package.json")
        );
    }
}
