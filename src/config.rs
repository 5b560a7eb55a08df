//! `clerk-guard.toml`: rule levels, excluded paths, declared-public routes, auth helpers.
//! Unknown keys and wrong types are errors that name the file, the line and the key.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::finding::Severity;
use crate::rules;

pub const CONFIG_FILE_NAME: &str = "clerk-guard.toml";

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    public_routes: Vec<String>,
    #[serde(default)]
    auth_functions: Vec<String>,
    #[serde(default)]
    role_functions: Vec<String>,
    #[serde(default)]
    delegating_clients: Vec<String>,
    #[serde(default)]
    baseline: Option<String>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
}

/// `[[ignore]]`: findings of `rules` in files matching `path` are not reported (for files that
/// take no comments: package.json, lockfiles, JSON).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    path: String,
    rules: Vec<String>,
    reason: String,
}

/// A loaded `[[ignore]]` entry.
#[derive(Debug, Clone)]
pub struct IgnoreEntry {
    pub path: String,
    pub rules: Vec<String>,
    pub reason: String,
    glob: globset::GlobMatcher,
}

/// The loaded configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    pub rules: BTreeMap<String, Level>,
    pub exclude: Vec<String>,
    exclude_set: GlobSet,
    /// URL patterns (path-to-regexp syntax) that are public on purpose.
    pub public_routes: Vec<String>,
    /// Project functions that verify the session (count as guards).
    pub auth_functions: Vec<String>,
    /// Project functions that verify a role or permission.
    pub role_functions: Vec<String>,
    /// Clients that forward the user's session token to a backend that verifies it
    /// (`backendFetch`, `api.get`): a handler that calls one is `delegated`.
    pub delegating_clients: Vec<String>,
    /// The baseline file `scan` (and so the pre-commit hook) applies when `--baseline` is not
    /// given, resolved against the configuration file's directory.
    pub baseline: Option<PathBuf>,
    /// `[[ignore]]` entries.
    pub ignore: Vec<IgnoreEntry>,
    /// The `clerk-guard.toml` of apps below the scan root (directory relative to the scan
    /// root, config): their `exclude` globs (relative to the app) and `[rules]` levels apply
    /// to the app's files, innermost app first.
    pub scoped: Vec<(String, Config)>,
}

/// A configuration problem: exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    /// Keys are masked and control characters escaped: a message may echo a config value
    /// (`unknown variant `sk_live_…``), and it reaches terminals and editors.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.path.display().to_string();
        if let Some(line) = self.line {
            text.push_str(&format!(":{line}"));
        }
        if let Some(key) = &self.key {
            text.push_str(&format!(": key `{key}`"));
        }
        text.push_str(&format!(": {}", self.message));
        let text = crate::facts::secrets::redact_all(&text);
        f.write_str(&crate::finding::escape_control(&text))
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Load `path` if given (it must exist), else `<root>/clerk-guard.toml` if it exists.
    pub fn load(explicit: Option<&Path>, root: &Path) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = root.join(CONFIG_FILE_NAME);
                if !p.is_file() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = crate::limits::read_capped(&path, crate::limits::CONFIG_MAX_BYTES)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| ConfigError {
                path: path.clone(),
                line: None,
                key: None,
                message: format!("cannot read the config file: {e}"),
            })?;
        Config::parse(&text, &path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, key) = match e.span() {
                Some(span) => {
                    let line = line_of(text, span.start);
                    (Some(line), key_on_line(text, line))
                }
                None => (None, None),
            };
            ConfigError {
                path: path.to_path_buf(),
                line,
                key,
                message: e.message().trim().to_string(),
            }
        })?;
        let err = |needle: &str, key: &str, message: String| ConfigError {
            path: path.to_path_buf(),
            line: find_line(text, needle),
            key: Some(key.to_string()),
            message,
        };
        use crate::limits::{CONFIG_MAX_ENTRY_LEN, CONFIG_MAX_LIST_ENTRIES};
        for (key, list) in [
            ("exclude", &raw.exclude),
            ("public_routes", &raw.public_routes),
            ("auth_functions", &raw.auth_functions),
            ("role_functions", &raw.role_functions),
            ("delegating_clients", &raw.delegating_clients),
        ] {
            if list.len() > CONFIG_MAX_LIST_ENTRIES {
                return Err(err(
                    key,
                    key,
                    format!(
                        "{} entries: at most {CONFIG_MAX_LIST_ENTRIES} entries are accepted",
                        list.len()
                    ),
                ));
            }
            if let Some(long) = list.iter().find(|e| e.len() > CONFIG_MAX_ENTRY_LEN) {
                return Err(err(
                    &long[..crate::source::floor_char_boundary(long, 64)],
                    key,
                    format!(
                        "an entry of {} bytes: entries are at most {CONFIG_MAX_ENTRY_LEN} bytes",
                        long.len()
                    ),
                ));
            }
        }
        if raw.rules.len() > CONFIG_MAX_LIST_ENTRIES {
            return Err(err(
                "[rules]",
                "rules",
                format!("at most {CONFIG_MAX_LIST_ENTRIES} entries are accepted"),
            ));
        }
        for id in raw.rules.keys() {
            if !rules::is_known_selector(id) {
                return Err(err(
                    id,
                    &format!("rules.{id}"),
                    format!("unknown rule or group `{id}` (see `clerk-guard rules`)"),
                ));
            }
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in &raw.exclude {
            let glob = Glob::new(pattern)
                .map_err(|e| err(pattern, "exclude", format!("invalid glob `{pattern}`: {e}")))?;
            builder.add(glob);
            // `dir` also excludes everything under it.
            if let Ok(glob) = Glob::new(&format!("{}/**", pattern.trim_end_matches('/'))) {
                builder.add(glob);
            }
        }
        let exclude_set = builder
            .build()
            .map_err(|e| err("exclude", "exclude", e.to_string()))?;
        if raw.ignore.len() > CONFIG_MAX_LIST_ENTRIES {
            return Err(err(
                "ignore",
                "ignore",
                format!(
                    "{} entries: at most {CONFIG_MAX_LIST_ENTRIES} entries are accepted",
                    raw.ignore.len()
                ),
            ));
        }
        let mut ignore = Vec::new();
        for entry in raw.ignore {
            let glob = Glob::new(&entry.path).map_err(|e| {
                err(
                    &entry.path,
                    "ignore.path",
                    format!("invalid glob `{}`: {e}", entry.path),
                )
            })?;
            for id in &entry.rules {
                if !rules::is_known_selector(id) {
                    return Err(err(
                        id,
                        "ignore.rules",
                        format!("unknown rule or group `{id}` (see `clerk-guard rules`)"),
                    ));
                }
            }
            if entry.rules.is_empty() {
                return Err(err(
                    &entry.path,
                    "ignore.rules",
                    "an `[[ignore]]` entry names no rule".to_string(),
                ));
            }
            if entry.reason.trim().is_empty() {
                return Err(err(
                    &entry.path,
                    "ignore.reason",
                    "an `[[ignore]]` entry needs a reason".to_string(),
                ));
            }
            ignore.push(IgnoreEntry {
                glob: glob.compile_matcher(),
                path: entry.path,
                rules: entry.rules,
                reason: entry.reason,
            });
        }
        for pattern in &raw.public_routes {
            if !pattern.starts_with('/') {
                return Err(err(
                    pattern,
                    "public_routes",
                    format!("route pattern `{pattern}` must start with `/`"),
                ));
            }
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            rules: raw.rules,
            exclude: raw.exclude,
            exclude_set,
            public_routes: raw.public_routes,
            auth_functions: raw.auth_functions,
            role_functions: raw.role_functions,
            delegating_clients: raw.delegating_clients,
            baseline: match raw.baseline {
                Some(b) if b.trim().is_empty() => {
                    return Err(err(
                        "baseline",
                        "baseline",
                        "the baseline path is empty".into(),
                    ));
                }
                Some(b) => Some(path.parent().unwrap_or(Path::new("")).join(b)),
                None => None,
            },
            ignore,
            scoped: Vec::new(),
        })
    }

    /// Whether an `[[ignore]]` entry (of this configuration, or of the app configuration
    /// that governs the path, relative to it) covers findings of `meta` in `rel`.
    pub fn ignores(&self, meta: &rules::RuleMeta, rel: &str) -> bool {
        let own = |c: &Config, r: &str| {
            c.ignore.iter().any(|e| {
                (e.glob.is_match(r) || e.glob.is_match(crate::source::file_name(r)))
                    && e.rules.iter().any(|s| rules::selector_matches(s, meta))
            })
        };
        own(self, rel) || self.scopes_of(rel).any(|(c, r)| own(c, r))
    }

    /// Add the configuration of the app at `dir` (relative to the scan root): its
    /// `public_routes`, `auth_functions`, `role_functions` and `delegating_clients` join the
    /// project's lists; its
    /// `exclude` and `[rules]` apply to files under `dir`.
    pub fn add_scoped(&mut self, dir: String, app: Config) {
        for (mine, theirs) in [
            (&mut self.public_routes, &app.public_routes),
            (&mut self.auth_functions, &app.auth_functions),
            (&mut self.role_functions, &app.role_functions),
            (&mut self.delegating_clients, &app.delegating_clients),
        ] {
            for item in theirs {
                if !mine.contains(item) {
                    mine.push(item.clone());
                }
            }
        }
        self.scoped.push((dir, app));
        // Innermost (longest directory) first.
        self.scoped
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    }

    /// The app configurations that govern a path, innermost first, with the path relative
    /// to each.
    fn scopes_of<'a>(&'a self, rel: &'a str) -> impl Iterator<Item = (&'a Config, &'a str)> {
        self.scoped.iter().filter_map(move |(dir, c)| {
            rel.strip_prefix(dir.as_str())
                .and_then(|r| r.strip_prefix('/'))
                .map(|r| (c, r))
        })
    }

    /// The level of a rule for a file: the innermost app configuration that sets it, else
    /// this one.
    pub fn level_for_path(&self, meta: &rules::RuleMeta, rel: &str) -> Option<Level> {
        self.scopes_of(rel)
            .find_map(|(c, _)| c.level_for(meta))
            .or_else(|| self.level_for(meta))
    }

    /// Whether a path relative to the scan root is excluded.
    pub fn is_excluded(&self, rel: &str) -> bool {
        (!self.exclude.is_empty() && self.exclude_set.is_match(rel))
            || self.scopes_of(rel).any(|(c, r)| c.is_excluded(r))
    }

    /// The configured level for a rule: its id wins over its group.
    pub fn level_for(&self, meta: &rules::RuleMeta) -> Option<Level> {
        self.rules
            .get(meta.id)
            .or_else(|| self.rules.get(meta.group.as_str()))
            .or_else(|| self.rules.get("all"))
            .copied()
    }
}

/// A warning for each `public_routes` pattern that matches no route of the project (a typo, or
/// a route that was removed): such a pattern declares nothing, or something unintended later.
pub fn unmatched_public_routes(project: &crate::project::Project) -> Vec<String> {
    use crate::project::matcher::{PathPattern, sample_paths};
    if project.config.public_routes.is_empty() || project.entries.is_empty() {
        return Vec::new();
    }
    let mut urls: Vec<String> = Vec::new();
    for entry in &project.entries {
        let Some(url) = entry.url.as_deref() else {
            continue;
        };
        urls.extend(sample_paths(url));
        // tRPC procedures are addressed below the handler (`/api/trpc/post.create`).
        let endpoint = match url.rsplit_once('/') {
            Some((head, last)) if last.starts_with('[') => head,
            _ => url,
        };
        for p in &entry.check.procedures {
            urls.push(format!("{endpoint}/{}", p.path));
        }
    }
    project
        .config
        .public_routes
        .iter()
        .filter_map(|source| {
            let pattern = match PathPattern::clerk_route(source) {
                Ok(p) => p,
                Err(e) => return Some(format!("public_routes: `{source}` is not a valid pattern: {e}")),
            };
            (!urls.iter().any(|u| pattern.is_match(u))).then(|| {
                format!(
                    "public_routes: `{source}` matches no route of the project (see `clerk-guard routes`)"
                )
            })
        })
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The key assigned on a 1-based line (`key = …`), or the table header there.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?.trim();
    if let Some((k, _)) = l.split_once('=') {
        let k = k.trim().trim_matches('"');
        if !k.is_empty() {
            return Some(k.to_string());
        }
    }
    l.strip_prefix('[')
        .map(|h| h.trim_end_matches(']').trim().to_string())
}

fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("clerk-guard.toml"))
    }

    #[test]
    fn accepts_a_full_config() {
        let c = parse(
            "exclude = [\"legacy\", \"**/*.test.ts\"]\npublic_routes = [\"/api/health\"]\nauth_functions = [\"requireUser\"]\n\n[rules]\n\"hardcoded-secret-key\" = \"warning\"\nsecrets = \"off\"\n",
        )
        .unwrap();
        assert!(c.is_excluded("legacy/a.ts"));
        assert!(c.is_excluded("src/x.test.ts"));
        assert!(!c.is_excluded("src/x.ts"));
        assert_eq!(c.rules["hardcoded-secret-key"], Level::Warning);
    }

    #[test]
    fn baseline_is_relative_to_the_config_file() {
        let c = Config::parse(
            "baseline = \"clerk-guard-baseline.json\"\n",
            Path::new("apps/web/clerk-guard.toml"),
        )
        .unwrap();
        assert_eq!(
            c.baseline.as_deref(),
            Some(Path::new("apps/web/clerk-guard-baseline.json"))
        );
        assert!(parse("baseline = \"\"\n").is_err());
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e = parse("exclude = []\nfoo = 1\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(e.key.as_deref(), Some("foo"));
        assert!(e.message.contains("unknown field"), "{}", e.message);
    }

    #[test]
    fn wrong_type_names_line_and_key() {
        let e = parse("\n\nexclude = \"x\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.key.as_deref(), Some("exclude"));
        let e = parse("[rules]\n\"hardcoded-secret-key\" = \"loud\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(e.key.as_deref(), Some("hardcoded-secret-key"));
    }

    #[test]
    fn unknown_rule_is_an_error() {
        let e = parse("[rules]\n\n\"no-such-rule\" = \"off\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("no-such-rule"));
    }

    #[test]
    fn malformed_toml() {
        let e = parse("exclude = [\n").unwrap_err();
        assert!(e.line.is_some());
        let e = parse("exclude = [\"[\"]").unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
