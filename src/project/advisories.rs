//! Known authentication advisories (`data/advisories.toml`, embedded) and version ranges.

use std::sync::LazyLock;

use serde::Deserialize;

use super::Project;
use super::apps::{App, DeclaredRange, Installed, Version};
use super::middleware::Behaviour;
use super::routes::{EntryKind, Protection};
use crate::facts::code::SessionCall;
use crate::finding::Span;

static DATA: &str = include_str!("../../data/advisories.toml");

/// Which use of a package makes an app affected by an advisory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    Always,
    AuthCall,
    VerifyWebhook,
    CreateRouteMatcher,
    CreateRouteMatcherDenyList,
    ProtectWithOptions,
    MiddlewareOnlyRoute,
    MiddlewareOnlyAppRoute,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAffected {
    package: String,
    ranges: Vec<String>,
    fixed: Vec<String>,
    #[serde(default)]
    unconfirmed: bool,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdvisory {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    severity: String,
    summary: String,
    condition: Condition,
    sources: Vec<String>,
    affected: Vec<RawAffected>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    advisory: Vec<RawAdvisory>,
}

/// A comparator set of the data file (`>=6.0.0 <6.39.2`, also `>`, `<=`, `=`), read with
/// npm's semantics by `nodejs-semver`. The data file is stricter than npm: every version is a
/// full `x.y.z`, so a typo cannot widen a range.
#[derive(Clone, Debug)]
pub struct Range {
    range: nodejs_semver::Range,
    pub text: String,
}

impl Range {
    pub fn parse(text: &str) -> Result<Range, String> {
        let mut any = false;
        for part in text.split([' ', ',']).filter(|p| !p.is_empty()) {
            let v = part.trim_start_matches(['>', '<', '=']);
            if v.len() == part.len() {
                return Err(format!("`{part}` in range `{text}` has no comparator"));
            }
            if parse_exact(v).is_none() {
                return Err(format!(
                    "`{v}` in range `{text}` is not a `major.minor.patch` version"
                ));
            }
            any = true;
        }
        if !any {
            return Err(format!("empty range `{text}`"));
        }
        let range = nodejs_semver::Range::parse(text.replace(',', " "))
            .map_err(|e| format!("range `{text}`: {e}"))?;
        Ok(Range {
            range,
            text: text.to_string(),
        })
    }

    pub fn contains(&self, v: Version) -> bool {
        self.range.satisfies(&v.to_semver())
    }
}

/// `1.2.3` exactly (data-file versions are never loose).
fn parse_exact(s: &str) -> Option<Version> {
    let mut parts = s.split('.');
    let mut next = || -> Option<u64> {
        let p = parts.next()?;
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let v = Version::new(next()?, next()?, next()?);
    parts.next().is_none().then_some(v)
}

/// The affected versions of one package.
#[derive(Clone, Debug)]
pub struct Affected {
    pub package: String,
    pub ranges: Vec<Range>,
    pub fixed: Vec<Version>,
    pub unconfirmed: bool,
    pub note: Option<String>,
}

/// Why an installed version counts as affected, for the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// A lockfile names the version.
    Locked,
    /// `package.json` pins exactly this version; there is no lockfile.
    Pinned,
    /// The lowest version the `package.json` range allows; there is no lockfile.
    Lowest,
    /// The range has no lower bound (`<6.39.2`): the lowest affected version it allows.
    Unbounded,
}

impl Affected {
    pub fn matches(&self, v: Version) -> bool {
        self.ranges.iter().any(|r| r.contains(v))
    }

    /// The version of `inst` this advisory applies to, if any: the lockfile's version, else
    /// the lowest version the `package.json` range allows, else (a range with no lower bound)
    /// the lowest affected version of the newest affected release line the range allows.
    pub fn affected_version(&self, inst: &Installed) -> Option<(Version, Basis)> {
        let Some(declared) = inst.declared() else {
            let basis = if inst.exact {
                Basis::Locked
            } else {
                Basis::Lowest
            };
            return self.matches(inst.version).then_some((inst.version, basis));
        };
        if let Some(v) = inst.range.as_deref().and_then(DeclaredRange::exact) {
            return self.matches(v).then_some((v, Basis::Pinned));
        }
        match declared.lowest() {
            Some(v) => self.matches(v).then_some((v, Basis::Lowest)),
            None => self
                .ranges
                .iter()
                .filter_map(|r| declared.lowest_shared(&r.range))
                .filter(|v| self.matches(*v))
                .max()
                .map(|v| (v, Basis::Unbounded)),
        }
    }

    /// The version to upgrade to: the first fix of the installed release line (same major),
    /// else the first fix above it.
    pub fn fixed_for(&self, v: Version) -> Option<Version> {
        let above = self.fixed.iter().copied().filter(|f| *f > v);
        above
            .clone()
            .filter(|f| f.major == v.major)
            .min()
            .or_else(|| above.min())
    }
}

#[derive(Clone, Debug)]
pub struct Advisory {
    pub id: String,
    pub aliases: Vec<String>,
    pub severity: String,
    pub summary: String,
    pub condition: Condition,
    pub sources: Vec<String>,
    pub affected: Vec<Affected>,
}

impl Advisory {
    /// `CVE-2026-41248 (GHSA-vqx2-fgx2-5wq9)`.
    pub fn name(&self) -> String {
        match self.aliases.first() {
            Some(a) => format!("{} ({a})", self.id),
            None => self.id.clone(),
        }
    }
}

/// Parse an advisory table; errors name the advisory and the field.
pub fn parse(text: &str) -> Result<Vec<Advisory>, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for a in raw.advisory {
        if a.sources.is_empty() {
            return Err(format!("{}: `sources` is empty", a.id));
        }
        if a.affected.is_empty() {
            return Err(format!("{}: no `affected` entry", a.id));
        }
        let mut affected = Vec::new();
        for x in a.affected {
            let ranges = x
                .ranges
                .iter()
                .map(|r| Range::parse(r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{} ({}): {e}", a.id, x.package))?;
            let fixed = x
                .fixed
                .iter()
                .map(|f| {
                    parse_exact(f).ok_or_else(|| {
                        format!(
                            "{} ({}): fixed version `{f}` is not `x.y.z`",
                            a.id, x.package
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if ranges.is_empty() {
                return Err(format!("{} ({}): no range", a.id, x.package));
            }
            if let Some(f) = fixed
                .iter()
                .find(|f| ranges.iter().any(|r| r.contains(**f)))
            {
                return Err(format!(
                    "{} ({}): fixed version {f} is inside an affected range",
                    a.id, x.package
                ));
            }
            affected.push(Affected {
                package: x.package,
                ranges,
                fixed,
                unconfirmed: x.unconfirmed,
                note: x.note,
            });
        }
        out.push(Advisory {
            id: a.id,
            aliases: a.aliases,
            severity: a.severity,
            summary: a.summary,
            condition: a.condition,
            sources: a.sources,
            affected,
        });
    }
    Ok(out)
}

static ADVISORIES: LazyLock<Result<Vec<Advisory>, String>> = LazyLock::new(|| parse(DATA));

/// The embedded advisory table (empty if it failed to parse, which the tests rule out).
pub fn advisories() -> &'static [Advisory] {
    match &*ADVISORIES {
        Ok(v) => v,
        Err(_) => &[],
    }
}

/// The installed version of a package in an app, if the app declares it.
pub fn installed<'a>(app: &'a App, package: &str) -> Option<&'a Installed> {
    match package {
        "next" => app.next.as_ref(),
        "@clerk/nextjs" => app.clerk.as_ref(),
        other => app.clerk_packages.get(other),
    }
}

/// How an app uses the feature an advisory is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureUse {
    /// What the app does, for the message (`the middleware gates routes with …`).
    pub what: String,
    /// The use is the form the advisory names as exploitable (`false`: affected, but a form
    /// reported as not bypassable — a warning).
    pub exploitable: bool,
    /// Where: (path, span).
    pub at: Option<(String, Option<Span>)>,
}

/// Whether app `app` uses what `condition` names.
pub fn feature_use(project: &Project, app: usize, condition: Condition) -> Option<FeatureUse> {
    let in_app = |rel: &str| project.app_of(rel) == Some(app);
    // Script files of the app that pass a cheap text filter (checked before `app_of`).
    let scripts = |keep: &'static dyn Fn(&crate::facts::FileFacts) -> bool| {
        project.files.iter().filter(move |f| {
            matches!(f.kind, crate::source::FileKind::Script(_))
                && !f.origin.build_output
                && keep(f)
                && in_app(&f.rel)
        })
    };
    match condition {
        Condition::Always => Some(FeatureUse {
            what: "the app depends on it".into(),
            exploitable: true,
            at: None,
        }),
        // Files calling `auth()`/`getAuth()` are parsed eagerly (`FileFacts::wants_code`);
        // `useAuth(` also hits `auth(`, so do not parse what is not parsed yet.
        Condition::AuthCall => {
            scripts(&|f| (f.hits.has("auth(") || f.hits.has("getAuth")) && f.code_is_parsed())
                .find_map(|f| {
                    let call = f.code()?.auth_calls.iter().find(|c| {
                        matches!(
                            c.kind,
                            SessionCall::Auth | SessionCall::GetAuth | SessionCall::Protect
                        )
                    })?;
                    Some(FeatureUse {
                        what: format!("the app calls `{}()` ({})", call.callee, f.rel),
                        exploitable: true,
                        at: Some((f.rel.clone(), Some(call.span))),
                    })
                })
        }
        // `verifyWebhook` and `auth`/`has` come from a Clerk import: the prefilter's `@clerk/`
        // hit spares a text scan of every file.
        Condition::VerifyWebhook => {
            scripts(&|f| f.hits.has("@clerk/") && f.text().contains("verifyWebhook")).find_map(
                |f| {
                    let code = f.code()?;
                    let local = code.imports.iter().find_map(|(local, b)| {
                        (b.imported == "verifyWebhook" && b.source.starts_with("@clerk/"))
                            .then_some(local.as_str())
                    })?;
                    let span = code
                        .functions
                        .iter()
                        .flat_map(|func| func.calls.iter())
                        .find(|(p, _)| p.len() == 1 && p[0] == local)
                        .map(|(_, s)| *s)?;
                    Some(FeatureUse {
                        what: format!(
                            "the app verifies webhooks with `verifyWebhook()` ({})",
                            f.rel
                        ),
                        exploitable: true,
                        at: Some((f.rel.clone(), Some(span))),
                    })
                },
            )
        }
        Condition::CreateRouteMatcher | Condition::CreateRouteMatcherDenyList => {
            let mw = project
                .middlewares
                .iter()
                .find(|m| m.app == app && m.loaded())?;
            let uses_matcher = match &mw.behaviour {
                Behaviour::ClerkProgram { matchers, .. } => !matchers.is_empty(),
                _ => false,
            } || project
                .file(&mw.file)
                .and_then(|f| f.code())
                .is_some_and(|c| !c.route_matchers.is_empty());
            if !uses_matcher {
                return None;
            }
            let at = Some((mw.file.clone(), mw.span));
            if mw.deny_list {
                Some(FeatureUse {
                    what: format!(
                        "the middleware ({}) gates routes with `createRouteMatcher` in the \
                         deny-list form (`if (isProtectedRoute(req)) await auth.protect()`), \
                         the form the advisory names as bypassable",
                        mw.file
                    ),
                    exploitable: true,
                    at,
                })
            } else if condition == Condition::CreateRouteMatcher {
                Some(FeatureUse {
                    what: format!(
                        "the middleware ({}) uses `createRouteMatcher` (in the allow-list \
                         form, which the advisory reports blocked the bypass: upgrade anyway)",
                        mw.file
                    ),
                    exploitable: false,
                    at,
                })
            } else {
                None
            }
        }
        Condition::ProtectWithOptions => {
            scripts(&|f| f.hits.has("@clerk/") && crate::facts::authz::may_mix_options(f.text()))
                .find_map(|f| {
                    let mix = f.code()?.authz.option_mixes.first()?;
                    let options = ["unauthenticatedUrl", "unauthorizedUrl", "token"];
                    let how = if mix.keys.iter().any(|k| options.contains(&k.as_str())) {
                        "mixes authorization criteria with redirect/token options"
                    } else {
                        "combines several authorization criteria"
                    };
                    Some(FeatureUse {
                        what: format!(
                            "`{}({{ {} }})` in {} {how} in one object",
                            mix.call,
                            mix.keys.join(", "),
                            f.rel
                        ),
                        exploitable: true,
                        at: Some((f.rel.clone(), Some(mix.span))),
                    })
                })
        }
        Condition::MiddlewareOnlyRoute | Condition::MiddlewareOnlyAppRoute => {
            let app_dir = project.apps.get(app).and_then(|a| a.app_dir.clone());
            let mut entries: Vec<_> = project
                .entries
                .iter()
                .filter(|e| e.app == app && matches!(e.protection, Protection::Middleware(_)))
                .filter(|e| {
                    condition == Condition::MiddlewareOnlyRoute
                        || (matches!(e.kind, EntryKind::RouteHandler | EntryKind::Page)
                            && app_dir
                                .as_deref()
                                .is_some_and(|d| e.file.starts_with(&format!("{d}/"))))
                })
                .collect();
            entries.sort_by(|a, b| (a.url.as_deref(), &a.file).cmp(&(b.url.as_deref(), &b.file)));
            let e = entries.first()?;
            let more = match entries.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            let span = (e.span.end > e.span.start).then_some(e.span);
            Some(FeatureUse {
                what: format!(
                    "`{}`{more} relies on the middleware alone (no check in the handler or page)",
                    e.url.as_deref().unwrap_or(&e.file)
                ),
                exploitable: true,
                at: Some((e.file.clone(), span)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let list = parse(DATA).unwrap_or_else(|e| panic!("data/advisories.toml: {e}"));
        let ids: Vec<&str> = list.iter().map(|a| a.id.as_str()).collect();
        for id in [
            "CVE-2024-22206",
            "CVE-2025-53548",
            "CVE-2026-41248",
            "CVE-2026-42349",
            "CVE-2025-29927",
            "GHSA-26hh-7cqf-hhc6",
        ] {
            assert!(ids.contains(&id), "{id} missing");
        }
        assert!(list.iter().all(|a| !a.sources.is_empty()));
        assert_eq!(advisories().len(), list.len());
    }

    fn v(s: &str) -> Version {
        parse_exact(s).unwrap()
    }

    fn affected(id: &str, package: &str) -> Affected {
        advisories()
            .iter()
            .find(|a| a.id == id)
            .and_then(|a| a.affected.iter().find(|x| x.package == package))
            .cloned()
            .unwrap()
    }

    #[test]
    fn range_edges() {
        let a = affected("CVE-2026-41248", "@clerk/nextjs");
        for (ver, hit) in [
            ("4.29.3", false),
            ("5.0.0", true),
            ("5.7.5", true),
            ("5.7.6", false),
            ("6.0.0", true),
            ("6.39.1", true),
            ("6.39.2", false),
            ("7.2.0", true),
            ("7.2.1", false),
        ] {
            assert_eq!(a.matches(v(ver)), hit, "{ver}");
        }
        assert_eq!(a.fixed_for(v("6.35.0")), Some(v("6.39.2")));
        assert_eq!(a.fixed_for(v("5.1.0")), Some(v("5.7.6")));
        let b = affected("CVE-2026-42349", "@clerk/nextjs");
        assert!(b.matches(v("6.39.2")));
        assert!(!b.matches(v("6.39.3")));
        assert!(b.matches(v("7.2.3")));
        assert!(!b.matches(v("7.2.4")));
        let n = affected("CVE-2025-29927", "next");
        assert!(n.matches(v("11.1.4")));
        assert!(!n.matches(v("11.1.3")));
        assert_eq!(n.fixed_for(v("11.1.4")), Some(v("12.3.5")));
        assert!(n.matches(v("15.2.2")));
        assert!(!n.matches(v("15.2.3")));
    }

    #[test]
    fn bad_tables_are_rejected() {
        let base = |range: &str, fixed: &str| {
            format!(
                "[[advisory]]\nid = \"X\"\nseverity = \"high\"\nsummary = \"s\"\ncondition = \"always\"\nsources = [\"u\"]\n[[advisory.affected]]\npackage = \"next\"\nranges = [\"{range}\"]\nfixed = [\"{fixed}\"]\n"
            )
        };
        assert!(parse(&base(">=1.0.0 <2.0.0", "2.0.0")).is_ok());
        assert!(parse(&base("1.0.0", "2.0.0")).is_err());
        assert!(parse(&base(">=1.0 <2.0.0", "2.0.0")).is_err());
        assert!(parse(&base(">=1.0.0 <2.0.0", "1.5.0")).is_err());
        assert!(parse(&base(">=1.0.0 <2.0.0", "2.0.0").replace("always", "sometimes")).is_err());
    }
}
