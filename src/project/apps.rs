//! Next.js apps under the scan root: their roots, router directories, page extensions, and
//! the installed versions of `next` and `@clerk/nextjs` (lockfile first, then `package.json`).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::facts::FileFacts;
use crate::source::{file_name, join_rel, parent_dir};

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
}

/// One Next.js app.
#[derive(Clone, Debug, Serialize)]
pub struct App {
    /// The app's root directory, relative (`""` for the scan root).
    pub root: String,
    pub name: Option<String>,
    /// `package.json` of the app, if any.
    pub package_json: Option<String>,
    pub next: Option<Installed>,
    pub clerk: Option<Installed>,
    /// Other `@clerk/*` packages (`@clerk/backend`, `@clerk/shared`).
    pub clerk_packages: BTreeMap<String, Installed>,
    /// The app depends on `@clerk/nextjs`, or its code imports it.
    pub uses_clerk: bool,
    /// `app/` or `src/app/`, relative.
    pub app_dir: Option<String>,
    /// `pages/` or `src/pages/`, relative.
    pub pages_dir: Option<String>,
    /// The router lives in `src/`.
    pub src_dir: bool,
    /// `pageExtensions` (default `tsx`, `ts`, `jsx`, `js`).
    pub page_extensions: Vec<String>,
}

impl App {
    pub fn clerk_major(&self) -> Option<u64> {
        self.clerk.as_ref().map(|c| c.version.major)
    }

    pub fn next_major(&self) -> Option<u64> {
        self.next.as_ref().map(|c| c.version.major)
    }

    /// Whether a relative path is inside this app.
    pub fn contains(&self, rel: &str) -> bool {
        self.root.is_empty()
            || rel.starts_with(&self.root) && rel[self.root.len()..].starts_with('/')
    }

    pub fn path(&self, rel_in_app: &str) -> String {
        join_rel(&self.root, rel_in_app)
    }
}

const DEFAULT_PAGE_EXTENSIONS: &[&str] = &["tsx", "ts", "jsx", "js"];

/// Find every Next.js app: a `package.json` that depends on `next`, or a `next.config.*`.
pub fn discover(files: &[FileFacts], exists: &dyn Fn(&str) -> bool) -> Vec<App> {
    let mut roots: BTreeMap<String, Option<&FileFacts>> = BTreeMap::new();
    for f in files {
        let name = file_name(&f.rel);
        if name == "package.json" && !f.origin.build_output {
            if let Some(pkg) = parse_json(f.text())
                && depends_on(&pkg, "next")
            {
                roots.insert(parent_dir(&f.rel).to_string(), Some(f));
            }
        } else if crate::facts::is_next_config_name(name) {
            roots.entry(parent_dir(&f.rel).to_string()).or_insert(None);
        }
    }
    let by_rel: BTreeMap<&str, &FileFacts> = files.iter().map(|f| (f.rel.as_str(), f)).collect();
    let mut apps = Vec::new();
    for (root, pkg_file) in roots {
        let pkg_file = pkg_file.or_else(|| {
            by_rel
                .get(join_rel(&root, "package.json").as_str())
                .copied()
        });
        let pkg = pkg_file.and_then(|f| parse_json(f.text()));
        let name = pkg
            .as_ref()
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
            .map(str::to_string);
        let dir_exists = |d: &str| exists(&join_rel(&root, d));
        let (app_dir, pages_dir, src_dir) = router_dirs(&dir_exists);
        let page_extensions = page_extensions(&root, &by_rel);
        let mut app = App {
            root: root.clone(),
            name,
            package_json: pkg_file.map(|f| f.rel.clone()),
            next: None,
            clerk: None,
            clerk_packages: BTreeMap::new(),
            uses_clerk: false,
            app_dir: app_dir.map(|d| join_rel(&root, d)),
            pages_dir: pages_dir.map(|d| join_rel(&root, d)),
            src_dir,
            page_extensions,
        };
        if let Some(pkg) = &pkg {
            for dep in ["next", "@clerk/nextjs", "@clerk/backend", "@clerk/shared"] {
                let Some(range) = dependency_range(pkg, dep) else {
                    continue;
                };
                let installed = lockfile_version(&root, dep, &range, &by_rel).or_else(|| {
                    Version::parse_loose(&range).map(|version| Installed {
                        version,
                        source: pkg_file.map(|f| f.rel.clone()).unwrap_or_default(),
                        exact: false,
                    })
                });
                if let Some(installed) = installed {
                    match dep {
                        "next" => app.next = Some(installed),
                        "@clerk/nextjs" => app.clerk = Some(installed),
                        other => {
                            app.clerk_packages.insert(other.to_string(), installed);
                        }
                    }
                }
            }
            app.uses_clerk = depends_on(pkg, "@clerk/nextjs");
        }
        apps.push(app);
    }
    // An app that imports `@clerk/nextjs` without declaring it (hoisted in a monorepo).
    for app in &mut apps {
        if !app.uses_clerk {
            app.uses_clerk = files.iter().any(|f| {
                app.contains(&f.rel)
                    && f.hits.has("@clerk/")
                    && f.text().contains("@clerk/nextjs")
                    && !f.origin.build_output
            });
        }
    }
    // Nested apps: a file belongs to the innermost app.
    apps.sort_by(|a, b| a.root.cmp(&b.root));
    apps
}

fn router_dirs(
    exists: &dyn Fn(&str) -> bool,
) -> (Option<&'static str>, Option<&'static str>, bool) {
    // Next.js ignores `src/app`/`src/pages` when `app`/`pages` exist at the root.
    let root_app = exists("app");
    let root_pages = exists("pages");
    if root_app || root_pages {
        return (
            root_app.then_some("app"),
            root_pages.then_some("pages"),
            false,
        );
    }
    let src_app = exists("src/app");
    let src_pages = exists("src/pages");
    (
        src_app.then_some("src/app"),
        src_pages.then_some("src/pages"),
        src_app || src_pages,
    )
}

fn page_extensions(root: &str, by_rel: &BTreeMap<&str, &FileFacts>) -> Vec<String> {
    for name in [
        "next.config.js",
        "next.config.mjs",
        "next.config.ts",
        "next.config.cjs",
        "next.config.mts",
    ] {
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

pub fn parse_json(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()
}

fn depends_on(pkg: &serde_json::Value, dep: &str) -> bool {
    dependency_range(pkg, dep).is_some()
}

fn dependency_range(pkg: &serde_json::Value, dep: &str) -> Option<String> {
    for field in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
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

/// The installed version of `dep` for the app at `root`, from the nearest lockfile at or
/// above it.
fn lockfile_version(
    root: &str,
    dep: &str,
    range: &str,
    by_rel: &BTreeMap<&str, &FileFacts>,
) -> Option<Installed> {
    let mut dir = root.to_string();
    loop {
        for (name, reader) in LOCKFILES {
            let path = join_rel(&dir, name);
            if let Some(f) = by_rel.get(path.as_str()) {
                let app_rel = root
                    .strip_prefix(dir.as_str())
                    .unwrap_or(root)
                    .trim_start_matches('/');
                if let Some(version) = reader(f.text(), app_rel, dep, range) {
                    return Some(Installed {
                        version,
                        source: path,
                        exact: true,
                    });
                }
            }
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(&dir).to_string();
    }
}

type LockReader = fn(&str, &str, &str, &str) -> Option<Version>;

const LOCKFILES: &[(&str, LockReader)] = &[
    ("package-lock.json", npm_lock),
    ("pnpm-lock.yaml", pnpm_lock),
    ("yarn.lock", yarn_lock),
    ("bun.lock", bun_lock),
];

/// `package-lock.json` v1–v3.
fn npm_lock(text: &str, app_rel: &str, dep: &str, _range: &str) -> Option<Version> {
    let lock = parse_json(text)?;
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

/// `pnpm-lock.yaml` (v5–v9): the importer's resolved version, else a single `packages` entry.
fn pnpm_lock(text: &str, app_rel: &str, dep: &str, _range: &str) -> Option<Version> {
    let importer = if app_rel.is_empty() { "." } else { app_rel };
    let mut in_importers = false;
    let mut in_importer = false;
    let mut in_dep = false;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if indent == 0 {
            in_importers = t == "importers:";
            in_importer = false;
            in_dep = false;
            continue;
        }
        if in_importers && indent == 2 {
            let key = t.trim_end_matches(':').trim_matches(['\'', '"']);
            in_importer = key == importer;
            in_dep = false;
            continue;
        }
        if in_importer && indent == 6 {
            let key = t.split(':').next().unwrap_or("").trim_matches(['\'', '"']);
            in_dep = key == dep;
            // v5/v6 inline form: `next: 15.5.6`
            if in_dep
                && let Some((_, v)) = t.split_once(": ")
                && let Some(ver) = Version::parse_loose(v.trim_matches(['\'', '"']))
            {
                return Some(ver);
            }
            continue;
        }
        if in_dep && indent >= 8 && t.starts_with("version:") {
            return Version::parse_loose(
                t.trim_start_matches("version:")
                    .trim()
                    .trim_matches(['\'', '"']),
            );
        }
    }
    // Fallback: one distinct `/dep@x` or `dep@x:` package key.
    let mut found = Vec::new();
    for line in text.lines() {
        let t = line.trim().trim_matches(['\'', '"']);
        for prefix in [format!("/{dep}@"), format!("{dep}@"), format!("/{dep}/")] {
            if let Some(rest) = t.strip_prefix(&prefix)
                && let Some(v) = Version::parse_loose(rest.trim_end_matches(':'))
                && !found.contains(&v)
            {
                found.push(v);
            }
        }
    }
    (found.len() == 1).then(|| found[0])
}

/// `yarn.lock` v1 and berry: the entry whose header names `dep@<range>`.
fn yarn_lock(text: &str, _app_rel: &str, dep: &str, range: &str) -> Option<Version> {
    let mut in_entry = false;
    let mut candidates = Vec::new();
    let mut matches_range = false;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() && !line.starts_with('#') {
            let header = line.trim_end_matches(':');
            in_entry = header
                .split(',')
                .map(|h| h.trim().trim_matches('"'))
                .any(|h| h.starts_with(&format!("{dep}@")));
            matches_range = in_entry
                && header
                    .split(',')
                    .map(|h| h.trim().trim_matches('"'))
                    .any(|h| h == format!("{dep}@{range}") || h == format!("{dep}@npm:{range}"));
            continue;
        }
        if in_entry {
            let t = line.trim();
            if let Some(v) = t.strip_prefix("version") {
                let v = v.trim_start_matches(':').trim().trim_matches('"');
                if let Some(ver) = Version::parse_loose(v) {
                    if matches_range {
                        return Some(ver);
                    }
                    candidates.push(ver);
                }
                in_entry = false;
            }
        }
    }
    candidates.sort();
    candidates.dedup();
    (candidates.len() == 1).then(|| candidates[0])
}

/// `bun.lock` (text, JSONC): `"next": ["next@15.5.6", …]`.
fn bun_lock(text: &str, _app_rel: &str, dep: &str, _range: &str) -> Option<Version> {
    let needle = format!("\"{dep}\": [\"{dep}@");
    let at = text.find(&needle)? + needle.len();
    let end = text[at..].find('"')? + at;
    Version::parse_loose(&text[at..end])
}

#[cfg(test)]
mod tests {
    use super::*;

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
            npm_lock(npm, "", "next", "^15"),
            Some(Version::new(15, 5, 6))
        );
        assert_eq!(
            npm_lock(npm, "apps/web", "next", "^14"),
            Some(Version::new(14, 2, 3))
        );
        let pnpm = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.5.6(react@19.1.1)\n\n  apps/web:\n    dependencies:\n      '@clerk/nextjs':\n        specifier: ^6.0.0\n        version: 6.35.0(next@15.5.6)\n\npackages:\n\n  next@15.5.6:\n    resolution: {}\n";
        assert_eq!(
            pnpm_lock(pnpm, "", "next", ""),
            Some(Version::new(15, 5, 6))
        );
        assert_eq!(
            pnpm_lock(pnpm, "apps/web", "@clerk/nextjs", ""),
            Some(Version::new(6, 35, 0))
        );
        let yarn = "\"next@^14.0.0\", next@14.1.0:\n  version \"14.1.4\"\n  resolved \"x\"\n\n\"@clerk/nextjs@npm:^5.0.0\":\n  version: 5.7.5\n";
        assert_eq!(
            yarn_lock(yarn, "", "next", "^14.0.0"),
            Some(Version::new(14, 1, 4))
        );
        assert_eq!(
            yarn_lock(yarn, "", "@clerk/nextjs", "^5.0.0"),
            Some(Version::new(5, 7, 5))
        );
        let bun = "{\n  \"packages\": {\n    \"next\": [\"next@16.0.8\", \"\", {}],\n  }\n}";
        assert_eq!(bun_lock(bun, "", "next", ""), Some(Version::new(16, 0, 8)));
    }
}
