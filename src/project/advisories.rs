//! Known authentication advisories (`data/advisories.toml`, embedded) and version ranges.

use std::sync::LazyLock;

use serde::Deserialize;

use super::Project;
use super::apps::{App, DeclaredRange, Installed, Version};
use super::middleware::Behaviour;
use super::routes::{EntryKind, Protection};
use crate::facts::code::SessionCall;
use crate::facts::middleware::Op;
use crate::finding::Span;

static DATA: &str = include_str!("../../data/advisories.toml");

/// Which use of a package makes an app affected by an advisory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    Always,
    AppRouter,
    AuthCall,
    VerifyWebhook,
    CreateRouteMatcher,
    CreateRouteMatcherDenyList,
    ProtectWithOptions,
    MiddlewareOnlyRoute,
    MiddlewareOnlyAppRoute,
    MiddlewareOnlyAppPage,
    MiddlewareOnlyDynamicRoute,
    MiddlewareOnlyAppRouteSingleLocale,
    NextResponseHeaders,
    ClerkExpress,
    AuthorizedParties,
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
        "next" => app.next(),
        "@clerk/nextjs" => app.clerk(),
        other => app.clerk_packages().get(other),
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
    /// Report the finding at `at` (the line that uses the feature) rather than at the
    /// dependency in `package.json`: the use itself is what makes the app vulnerable.
    pub report_at_use: bool,
}

/// The first script of app `app`, in path order, that passes `keep` (a cheap filter on the
/// byte-level facts) and in which `found` finds what it looks for: the candidates are searched
/// in parallel (`found` parses a candidate not parsed yet; an app without the use has every
/// candidate parsed).
fn first_use<'p, T: Send>(
    project: &'p Project,
    app: usize,
    keep: &dyn Fn(&crate::facts::FileFacts) -> bool,
    found: impl Fn(&'p crate::facts::FileFacts) -> Option<T> + Sync,
) -> Option<T> {
    use rayon::prelude::*;
    let candidates: Vec<&crate::facts::FileFacts> = project
        .files_of_app(app)
        .map(|(_, f)| f)
        .filter(|f| {
            matches!(f.kind, crate::source::FileKind::Script(_))
                && !f.origin.build_output
                && keep(f)
        })
        .collect();
    candidates.into_par_iter().find_map_first(&found)
}

/// Where a module first calls the Clerk function `imported` (bound by an import from an
/// `@clerk/` package) by its local name, in any of its functions, at any depth
/// (`Object.keys(map).map((r) => createRouteMatcher([r]))` included).
fn clerk_call(code: &crate::facts::code::CodeFacts, imported: &str) -> Option<Span> {
    let local = code.imports.iter().find_map(|(local, b)| {
        (b.imported == imported && b.source.starts_with("@clerk/")).then_some(local.as_str())
    })?;
    code.functions
        .iter()
        .flat_map(|func| func.calls.iter())
        .find(|(p, _)| p.len() == 1 && p[0] == local)
        .map(|(_, s)| *s)
}

/// Whether app `app` uses what `condition` names.
pub fn feature_use(project: &Project, app: usize, condition: Condition) -> Option<FeatureUse> {
    match condition {
        Condition::Always => Some(FeatureUse {
            what: "the app depends on it".into(),
            exploitable: true,
            at: None,
            report_at_use: false,
        }),
        // Every app on an affected version is reported; one without an App Router is not
        // exploitable through it (a warning): it is one `app/` directory away from it.
        Condition::AppRouter => Some(match project.apps.get(app)?.app_dir.clone() {
            Some(dir) => FeatureUse {
                what: format!("the app uses the App Router (`{dir}/`)"),
                exploitable: true,
                at: None,
                report_at_use: false,
            },
            None => FeatureUse {
                what: "the app has no App Router (`app/`), through which the advisory is \
                       exploited; the first `app/` route would expose it"
                    .to_string(),
                exploitable: false,
                at: None,
                report_at_use: false,
            },
        }),
        // Files calling `auth()`/`getAuth()` are parsed eagerly (`FileFacts::wants_code`);
        // `useAuth(` also hits `auth(`, so do not parse what is not parsed yet.
        Condition::AuthCall => first_use(
            project,
            app,
            &|f| (f.hits.has("auth(") || f.hits.has("getAuth")) && f.code_is_parsed(),
            |f| {
                let call = f.code()?.auth_calls.iter().find(|c| {
                    matches!(
                        c.kind,
                        SessionCall::Auth | SessionCall::GetAuth | SessionCall::Protect
                    )
                })?;
                Some(FeatureUse {
                    what: format!("the app calls `{}()` ({})", call.callee, f.rel),
                    exploitable: true,
                    at: Some((f.rel.to_string(), Some(call.span))),
                    report_at_use: false,
                })
            },
        ),
        // `verifyWebhook` and `auth`/`has` come from a Clerk import: the prefilter's `@clerk/`
        // hit spares a text scan of every file.
        Condition::VerifyWebhook => first_use(project, app, &|f| f.names_verify_webhook, |f| {
            let span = clerk_call(f.code()?, "verifyWebhook")?;
            Some(FeatureUse {
                what: format!(
                    "the app verifies webhooks with `verifyWebhook()` ({})",
                    f.rel
                ),
                exploitable: true,
                at: Some((f.rel.to_string(), Some(span))),
                report_at_use: false,
            })
        }),
        Condition::CreateRouteMatcher | Condition::CreateRouteMatcherDenyList => {
            // Next.js's middleware, else the front door of the app's framework (Astro's
            // `onRequest`, Nuxt's server middleware): the advisory names those SDKs too.
            let other;
            let mw = match project
                .middlewares
                .iter()
                .find(|m| m.app == app && m.loaded())
            {
                Some(m) => m,
                None => {
                    other = super::frameworks::front_door(project, app)?;
                    &other
                }
            };
            // The matcher must gate something: a program that never protects (a matcher that
            // only picks which other middleware runs) is not exposed to the bypass. A callback
            // that was not understood is judged by whether the file creates matchers at all.
            let uses_matcher = match &mw.behaviour {
                Behaviour::ClerkProgram { matchers, ops, .. } => {
                    matchers.iter().any(|m| !m.inline_regex)
                        && ops.iter().any(|op| matches!(op, Op::Protect { .. }))
                }
                Behaviour::ClerkNoCallback | Behaviour::NotClerk { .. } => false,
                Behaviour::AuthMiddleware { .. } | Behaviour::Unknown { .. } => project
                    .file(&mw.file)
                    .and_then(|f| f.code())
                    .is_some_and(|c| {
                        !c.route_matchers.is_empty()
                            || clerk_call(c, "createRouteMatcher").is_some()
                    }),
            };
            if !uses_matcher {
                return None;
            }
            let at = Some((mw.file.clone(), mw.span));
            if let Behaviour::Unknown { reason } = &mw.behaviour {
                return (condition == Condition::CreateRouteMatcher).then(|| FeatureUse {
                    what: format!(
                        "the middleware ({}) creates matchers with `createRouteMatcher` in a \
                         callback the analysis does not follow ({reason}): check that it does \
                         not gate routes in the deny-list form (`if (isProtectedRoute(req)) …`), \
                         the form the advisory names as bypassable",
                        mw.file
                    ),
                    exploitable: false,
                    at,
                    report_at_use: false,
                });
            }
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
                    report_at_use: false,
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
                    report_at_use: false,
                })
            } else {
                None
            }
        }
        Condition::ProtectWithOptions => {
            first_use(project, app, &|f| f.may_mix_authz_options, |f| {
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
                    at: Some((f.rel.to_string(), Some(mix.span))),
                    report_at_use: false,
                })
            })
        }
        Condition::NextResponseHeaders => {
            let mut mws: Vec<_> = project
                .middlewares
                .iter()
                .filter(|m| m.app == app)
                .collect();
            mws.sort_by(|a, b| a.file.cmp(&b.file));
            mws.into_iter().find_map(|m| {
                let span = project
                    .file(&m.file)?
                    .code()?
                    .middleware
                    .as_ref()?
                    .extras
                    .next_response_headers?;
                Some(FeatureUse {
                    what: format!(
                        "the middleware ({}) passes headers to `NextResponse.next({{ headers }})` \
                         (request headers belong in `NextResponse.next({{ request: {{ headers }} }})`)",
                        m.file
                    ),
                    exploitable: true,
                    at: Some((m.file.clone(), Some(span))),
                    report_at_use: true,
                })
            })
        }
        Condition::ClerkExpress => {
            // The advisory is about what `clerkMiddleware()`, `requireAuth()` and `getAuth()`
            // do with a `req.auth` already set: an app that only imports `clerkClient` or types
            // (or imports the package in tests alone) never runs them. The byte-level import
            // lists pick the candidates (no text is read again).
            let is_express = |s: &str| s == "@clerk/express" || s.starts_with("@clerk/express/");
            let clerk = first_use(
                project,
                app,
                &|f| {
                    f.hits.has("@clerk/")
                        && !crate::source::is_test_file(&f.rel)
                        && f.imports().iter().any(|i| is_express(&i.source))
                },
                |f| {
                    let api = |imported: &str| {
                        EXPRESS_REQ_AUTH_API.contains(&imported)
                            || matches!(imported, "*" | "default")
                    };
                    let code = f.code()?;
                    // Imported and run: called (`app.use(clerkMiddleware())`, `clerk.getAuth(req)`)
                    // or handed to a call (`app.use(requireAuth)`), in a function or in the
                    // module body.
                    let runs = |local: &str| {
                        code.module_uses.iter().any(|u| u == local)
                            || code.handed.iter().any(|(_, n)| n == local)
                            || code.functions.iter().any(|g| {
                                g.calls
                                    .iter()
                                    .any(|(c, _)| c[0].trim_end_matches("()") == local)
                            })
                    };
                    let bound = code
                        .imports
                        .iter()
                        .filter(|(_, b)| is_express(&b.source) && !b.type_only)
                        .find(|(local, b)| api(&b.imported) && runs(local))
                        .map(|(_, b)| b.imported.clone());
                    // Re-exported (`export { clerkMiddleware } from '@clerk/express'`), or
                    // required without a binding the facts name (`require('@clerk/express').x`).
                    let other = || {
                        f.imports()
                            .iter()
                            .filter(|i| is_express(&i.source))
                            .find_map(|i| {
                                use crate::facts::imports::ImportKind;
                                match i.kind {
                                    ImportKind::ReExport | ImportKind::ReExportAll => {
                                        i.names
                                            .iter()
                                            .find(|n| !n.type_only && api(&n.imported))
                                            .map(|n| n.imported.clone())
                                            .or((i.kind == ImportKind::ReExportAll)
                                                .then(|| "*".into()))
                                    }
                                    ImportKind::Require | ImportKind::Dynamic
                                        if !code
                                            .imports
                                            .values()
                                            .any(|b| is_express(&b.source)) =>
                                    {
                                        Some("*".into())
                                    }
                                    _ => None,
                                }
                            })
                    };
                    bound.or_else(other).map(|name| (f, name))
                },
            )?;
            let (clerk, api) = clerk;
            let uses = if api == "*" || api == "default" {
                "`@clerk/express`".to_string()
            } else {
                format!("`{api}()` of `@clerk/express`")
            };
            let foreign = first_use(
                project,
                app,
                &|f| {
                    f.imports()
                        .iter()
                        .any(|i| FOREIGN_REQ_AUTH.contains(&i.source.as_str()))
                },
                |f| {
                    let code = f.code()?;
                    code.imports
                        .values()
                        .find(|b| FOREIGN_REQ_AUTH.contains(&b.source.as_str()))
                        .map(|b| (b.source.clone(), f.rel.clone()))
                },
            );
            let span = clerk
                .text()
                .find("@clerk/express")
                .map(|i| Span::new(i, i + 14));
            Some(match foreign {
                Some((lib, file)) => FeatureUse {
                    what: format!(
                        "the app uses {uses} ({}) and `{lib}` ({file}), which sets `req.auth`",
                        clerk.rel
                    ),
                    exploitable: true,
                    at: Some((clerk.rel.to_string(), span)),
                    report_at_use: false,
                },
                None => FeatureUse {
                    what: format!(
                        "the app uses {uses} ({}); exploitable when another middleware sets `req.auth`",
                        clerk.rel
                    ),
                    exploitable: false,
                    at: Some((clerk.rel.to_string(), span)),
                    report_at_use: false,
                },
            })
        }
        Condition::AuthorizedParties => first_use(
            project,
            app,
            &|f| f.hits.has("@clerk/") && f.hits.has("authorizedParties"),
            |f| {
                let i = f.text().find("authorizedParties")?;
                Some(FeatureUse {
                    what: format!("the app sets `authorizedParties` ({})", f.rel),
                    exploitable: true,
                    at: Some((
                        f.rel.to_string(),
                        Some(Span::new(i, i + "authorizedParties".len())),
                    )),
                    report_at_use: false,
                })
            },
        ),
        Condition::MiddlewareOnlyAppRouteSingleLocale => {
            let config = project.files_of_app(app).map(|(_, f)| f).find(|f| {
                crate::facts::is_next_config_name(crate::source::file_name(&f.rel))
                    && !f.origin.build_output
                    && single_locale(&f.text())
            })?;
            let mut found = feature_use(project, app, Condition::MiddlewareOnlyAppRoute)?;
            found.what = format!(
                "{} and {} configures a single locale (`i18n.locales`)",
                found.what, config.rel
            );
            Some(found)
        }
        Condition::MiddlewareOnlyRoute
        | Condition::MiddlewareOnlyAppRoute
        | Condition::MiddlewareOnlyAppPage
        | Condition::MiddlewareOnlyDynamicRoute => {
            let app_dir = project.apps.get(app).and_then(|a| a.app_dir.clone());
            let mut entries: Vec<_> = project
                .entries
                .iter()
                .filter(|e| e.app == app && matches!(e.protection, Protection::Middleware(_)))
                .filter(|e| {
                    condition != Condition::MiddlewareOnlyDynamicRoute
                        || e.url.as_deref().is_some_and(|u| u.contains('['))
                })
                .filter(|e| {
                    let kinds: &[EntryKind] = match condition {
                        Condition::MiddlewareOnlyAppRoute => {
                            &[EntryKind::RouteHandler, EntryKind::Page]
                        }
                        // `.rsc` and segment-prefetch URLs are variants of a page's URL.
                        Condition::MiddlewareOnlyAppPage => &[EntryKind::Page],
                        _ => return true,
                    };
                    kinds.contains(&e.kind)
                        && app_dir
                            .as_deref()
                            .is_some_and(|d| e.file.starts_with(&format!("{d}/")))
                })
                .collect();
            // What an entry serves to a request the middleware does not protect: nothing of
            // its own when its data is fetched through a check, when it renders none on the
            // server, or (a bypass that skips the middleware) when it reads the session, which
            // then throws. The first that does, in path order, is named: deciding one may
            // parse it, so the search stops there (in parallel, in order).
            use rayon::prelude::*;
            let skipped = condition != Condition::MiddlewareOnlyDynamicRoute;
            entries.sort_by(|a, b| (a.url.as_deref(), &a.file).cmp(&(b.url.as_deref(), &b.file)));
            let first = entries
                .par_iter()
                .map_init(
                    || super::guards::Analyzer::new(project),
                    |an, e| super::page_access::relies_on_middleware(project, an, e, skipped),
                )
                .position_first(|relies| relies)?;
            let e = entries[first];
            let more = if first + 1 < entries.len() {
                " (the first in path order)"
            } else {
                ""
            };
            let span = (e.span.end > e.span.start).then_some(e.span);
            Some(FeatureUse {
                what: format!(
                    "`{}`{more} relies on the middleware alone (no check in the handler or page)",
                    e.url.as_deref().unwrap_or(&e.file)
                ),
                exploitable: true,
                at: Some((e.file.clone(), span)),
                report_at_use: false,
            })
        }
    }
}

/// Whether a `next.config.*` text sets `i18n.locales` to a list of exactly one string
/// (`locales: ['en']`). A computed list is not read (and not reported).
pub fn single_locale(text: &str) -> bool {
    let Some(i) = text.find("locales") else {
        return false;
    };
    let bytes = text.as_bytes();
    let colon = skip_trivia(bytes, i + "locales".len());
    if bytes.get(colon) != Some(&b':') {
        return false;
    }
    let open = skip_trivia(bytes, colon + 1);
    if bytes.get(open) != Some(&b'[') {
        return false;
    }
    let mut at = skip_trivia(bytes, open + 1);
    if !matches!(bytes.get(at), Some(b'"' | b'\'' | b'`')) {
        return false;
    }
    at = skip_trivia(bytes, skip_string(bytes, at));
    if bytes.get(at) == Some(&b',') {
        at = skip_trivia(bytes, at + 1);
    }
    bytes.get(at) == Some(&b']')
}

/// What of `@clerk/express` reads `req.auth` (clerk/javascript#8804): `clerkMiddleware()` and
/// `requireAuth()` skip authentication when it is set, `getAuth()` returns it.
const EXPRESS_REQ_AUTH_API: &[&str] = &["clerkMiddleware", "requireAuth", "getAuth"];

/// Libraries that set `req.auth` on an Express request themselves.
const FOREIGN_REQ_AUTH: &[&str] = &[
    "passport",
    "express-jwt",
    "express-openid-connect",
    "express-oauth2-jwt-bearer",
];

/// The index after whitespace and comments from `at` (the end of the text when a block comment
/// never ends).
fn skip_trivia(bytes: &[u8], at: usize) -> usize {
    crate::facts::directives::skip_trivia(bytes, at).unwrap_or(bytes.len())
}

/// The index after the string or template literal that starts at `at`.
fn skip_string(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The use an advisory names is searched among the candidates in parallel and is still the
    /// first in path order: 30 candidates (each names an option), of which the 21st and the
    /// 26th mix criteria; an app with none has no use.
    #[test]
    fn feature_use_finds_the_first_use_in_path_order() {
        let manifest = r#"{ "dependencies": { "next": "15.2.3", "@clerk/nextjs": "6.9.0" } }"#;
        let texts: Vec<(String, String)> = (0..30)
            .map(|i| {
                let body = if i == 20 || i == 25 {
                    "  await auth.protect({ role: 'org:admin', unauthorizedUrl: '/' })\n"
                } else {
                    "  await auth.protect()\n  const unauthorizedUrl = '/'\n"
                };
                (
                    format!("app/api/a{i:02}/route.ts"),
                    format!(
                        "import {{ auth }} from '@clerk/nextjs/server'\nexport async function GET() {{\n{body}  return Response.json(1)\n}}\n"
                    ),
                )
            })
            .collect();
        let files = |with_mix: bool| {
            let mut files: Vec<(&str, &str)> = vec![("package.json", manifest)];
            files.extend(
                texts
                    .iter()
                    .filter(|(rel, _)| with_mix || !(rel.contains("a20") || rel.contains("a25")))
                    .map(|(rel, text)| (rel.as_str(), text.as_str())),
            );
            crate::project::model_of(&files)
        };
        let p = files(true);
        let found = feature_use(&p, 0, Condition::ProtectWithOptions).expect("a use");
        assert_eq!(
            found.at.as_ref().map(|(file, _)| file.as_str()),
            Some("app/api/a20/route.ts"),
            "{}",
            found.what
        );
        assert!(feature_use(&files(false), 0, Condition::ProtectWithOptions).is_none());
    }

    /// A page that reads the session without checking it fails closed when a bypass skips the
    /// middleware (Clerk's `auth()` throws without it), but not when the middleware runs and
    /// the page sees another dynamic value than it did; a page that loads its data through a
    /// checked function relies on neither.
    #[test]
    fn a_session_read_fails_closed_only_when_the_middleware_is_skipped() {
        let manifest = r#"{ "dependencies": { "next": "15.5.15", "@clerk/nextjs": "6.39.3" } }"#;
        let middleware = "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware(async (auth) => { await auth.protect() })\n";
        let reads = "import { auth } from '@clerk/nextjs/server'\nimport { load } from '../../../lib/load'\nexport default async function P({ params }) {\n  const { userId } = await auth()\n  return <p>{await load((await params).id, userId)}</p>\n}\n";
        let checked = "import { getProject } from '../../../lib/get'\nexport default async function P({ params }) {\n  return <p>{await getProject((await params).id)}</p>\n}\n";
        let load = "export async function load(id, viewer) { return (await fetch(`https://x.example/${id}?v=${viewer}`)).text() }\n";
        let get = "import { auth } from '@clerk/nextjs/server'\nexport async function getProject(id) {\n  const { userId } = await auth()\n  if (!userId) throw new Error('no')\n  return (await fetch(`https://x.example/${id}`)).text()\n}\n";
        let model = |page: &str| {
            crate::project::model_of(&[
                ("package.json", manifest),
                ("middleware.ts", middleware),
                ("app/projects/[id]/page.tsx", page),
                ("lib/load.ts", load),
                ("lib/get.ts", get),
            ])
        };
        let p = model(reads);
        assert!(feature_use(&p, 0, Condition::MiddlewareOnlyAppRoute).is_none());
        let found = feature_use(&p, 0, Condition::MiddlewareOnlyDynamicRoute).expect("a use");
        assert!(
            found.what.starts_with("`/projects/[id]` relies"),
            "{}",
            found.what
        );
        let p = model(checked);
        assert!(feature_use(&p, 0, Condition::MiddlewareOnlyAppRoute).is_none());
        assert!(feature_use(&p, 0, Condition::MiddlewareOnlyDynamicRoute).is_none());
    }

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
            "CVE-2026-44574",
            "CVE-2026-44575",
            "GHSA-6gpp-xcg3-4w24",
            "CVE-2025-57822",
            "CVE-2025-66478",
            "clerk/javascript#8804",
            "clerk/javascript#8877",
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

    /// Each `(version, affected)` pair of an advisory's package, and the fix it points to.
    fn edges(id: &str, package: &str, cases: &[(&str, bool)]) {
        let a = affected(id, package);
        for (ver, hit) in cases {
            assert_eq!(a.matches(v(ver)), *hit, "{id} {package} {ver}");
            if *hit {
                let fix = a
                    .fixed_for(v(ver))
                    .unwrap_or_else(|| panic!("{id} {ver}: no fix"));
                assert!(!a.matches(fix), "{id}: the fix {fix} is affected");
            }
        }
    }

    #[test]
    fn next_middleware_advisories_edges() {
        edges(
            "CVE-2026-44574",
            "next",
            &[
                ("15.3.9", false),
                ("15.4.0", true),
                ("15.5.15", true),
                ("15.5.16", false),
                ("16.0.0", true),
                ("16.2.4", true),
                ("16.2.5", false),
            ],
        );
        edges(
            "CVE-2026-44575",
            "next",
            &[
                ("15.1.9", false),
                ("15.2.0", true),
                ("15.5.15", true),
                ("15.5.16", false),
                ("16.0.0", true),
                ("16.2.4", true),
                ("16.2.5", false),
            ],
        );
        let f = advisories()
            .iter()
            .find(|a| a.id == "GHSA-26hh-7cqf-hhc6")
            .unwrap();
        let line16 = f.affected.iter().find(|x| !x.unconfirmed).unwrap();
        assert!(!line16.matches(v("15.9.0")));
        assert!(line16.matches(v("16.0.0")) && line16.matches(v("16.2.5")));
        assert!(!line16.matches(v("16.2.6")));
        let line15 = f.affected.iter().find(|x| x.unconfirmed).unwrap();
        assert!(line15.matches(v("15.2.0")) && line15.matches(v("15.5.17")));
        assert!(!line15.matches(v("15.5.18")) && !line15.matches(v("15.1.9")));
        edges(
            "GHSA-6gpp-xcg3-4w24",
            "next",
            &[
                ("15.5.21", false),
                ("16.0.0", true),
                ("16.2.10", true),
                ("16.2.11", false),
            ],
        );
        edges(
            "CVE-2025-57822",
            "next",
            &[
                ("0.9.8", false),
                ("0.9.9", true),
                ("14.2.31", true),
                ("14.2.32", false),
                ("14.9.0", false),
                ("15.0.0", true),
                ("15.4.6", true),
                ("15.4.7", false),
            ],
        );
        assert_eq!(
            affected("CVE-2025-57822", "next").fixed_for(v("13.5.6")),
            Some(v("14.2.32"))
        );
    }

    #[test]
    fn react_server_components_rce_edges() {
        let mut cases = vec![("14.2.35", false), ("16.0.7", false), ("16.1.0", false)];
        for (first, last_bad, fix) in [
            ("15.0.0", "15.0.4", "15.0.5"),
            ("15.1.0", "15.1.8", "15.1.9"),
            ("15.2.0", "15.2.5", "15.2.6"),
            ("15.3.0", "15.3.5", "15.3.6"),
            ("15.4.0", "15.4.7", "15.4.8"),
            ("15.5.0", "15.5.6", "15.5.7"),
            ("16.0.0", "16.0.6", "16.0.7"),
        ] {
            cases.extend([(first, true), (last_bad, true), (fix, false)]);
            assert_eq!(
                affected("CVE-2025-66478", "next").fixed_for(v(last_bad)),
                Some(v(fix))
            );
        }
        edges("CVE-2025-66478", "next", &cases);
    }

    #[test]
    fn clerk_sdk_advisories_edges() {
        edges(
            "CVE-2026-41248",
            "@clerk/astro",
            &[
                ("0.0.1", true),
                ("1.5.6", true),
                ("1.5.7", false),
                ("2.0.0", true),
                ("2.17.9", true),
                ("2.17.10", false),
                ("3.0.0", true),
                ("3.0.14", true),
                ("3.0.15", false),
                ("4.0.0", false),
            ],
        );
        edges(
            "CVE-2026-41248",
            "@clerk/nuxt",
            &[
                ("1.0.9", false),
                ("1.1.0", true),
                ("1.13.27", true),
                ("1.13.28", false),
                ("2.0.0", true),
                ("2.2.1", true),
                ("2.2.2", false),
            ],
        );
        edges(
            "CVE-2026-41248",
            "@clerk/shared",
            &[
                ("2.20.16", false),
                ("2.20.17", true),
                ("2.22.0", true),
                ("2.22.1", false),
                ("3.0.0", true),
                ("3.47.3", true),
                ("3.47.4", false),
                ("4.0.0", true),
                ("4.8.0", true),
                ("4.8.1", false),
            ],
        );
        edges(
            "CVE-2026-42349",
            "@clerk/clerk-js",
            &[
                ("5.21.9", false),
                ("5.22.0", true),
                ("5.125.9", true),
                ("5.125.10", false),
                ("6.0.0", true),
                ("6.7.4", true),
                ("6.7.5", false),
            ],
        );
        edges(
            "CVE-2026-42349",
            "@clerk/shared",
            &[
                ("3.47.4", true),
                ("3.47.5", false),
                ("4.8.2", true),
                ("4.8.3", false),
            ],
        );
        edges(
            "clerk/javascript#8804",
            "@clerk/express",
            &[
                ("0.0.1", true),
                ("1.7.82", true),
                ("2.1.24", true),
                ("2.1.25", false),
            ],
        );
        assert_eq!(
            affected("clerk/javascript#8804", "@clerk/express").fixed_for(v("1.7.82")),
            Some(v("2.1.25"))
        );
        edges(
            "clerk/javascript#8877",
            "@clerk/backend",
            &[
                ("0.38.0", false),
                ("1.0.0", true),
                ("2.33.6", true),
                ("3.11.0", true),
                ("3.11.1", false),
            ],
        );
    }

    fn declared(range: &str) -> Installed {
        Installed {
            version: DeclaredRange::parse(range)
                .and_then(|d| d.assumed())
                .unwrap_or(Version::new(0, 0, 0)),
            source: "package.json".into(),
            exact: false,
            range: Some(range.into()),
            unread_lock: None,
        }
    }

    #[test]
    fn loose_ranges_report_their_lowest_version() {
        let a = affected("CVE-2026-41248", "@clerk/nextjs");
        let got = |r: &str| a.affected_version(&declared(r));
        // `6.x`: 6.0.0 is affected, reported as the range's lowest, never as pinned.
        assert_eq!(got("6.x"), Some((v("6.0.0"), Basis::Lowest)));
        assert_eq!(got("6"), Some((v("6.0.0"), Basis::Lowest)));
        assert_eq!(got("6.35.0 - 6.40.0"), Some((v("6.35.0"), Basis::Lowest)));
        assert_eq!(got("6.39.2 - 6.40.0"), None);
        assert_eq!(got("^6.39.1"), Some((v("6.39.1"), Basis::Lowest)));
        assert_eq!(got("^6.39.2"), None);
        assert_eq!(got("~6.39.1"), Some((v("6.39.1"), Basis::Lowest)));
        assert_eq!(got("~7.2"), Some((v("7.2.0"), Basis::Lowest)));
        assert_eq!(got("~7.2.1"), None);
        assert_eq!(got(">6.39.1"), None);
        assert_eq!(got(">6.39.0"), Some((v("6.39.1"), Basis::Lowest)));
        assert_eq!(got("^6.39.2 || ^7.0.0"), None);
        assert_eq!(got("^7.0.0 || ^6.39.0"), Some((v("6.39.0"), Basis::Lowest)));
        assert_eq!(
            got("npm:@clerk/nextjs@^6.38.0"),
            Some((v("6.38.0"), Basis::Lowest))
        );
        // No lower bound: the newest affected line the range allows.
        assert_eq!(got("<6.39.2"), Some((v("6.0.0"), Basis::Unbounded)));
        assert_eq!(got("<=6.39.2"), Some((v("6.0.0"), Basis::Unbounded)));
        assert_eq!(got("<5.0.0"), None);
        // An exact version in `package.json` is pinned; a bare major is not.
        assert_eq!(got("6.39.1"), Some((v("6.39.1"), Basis::Pinned)));
        assert_eq!(got("=6.39.1"), Some((v("6.39.1"), Basis::Pinned)));
        assert_eq!(got("6.39.2"), None);
        // What names no version range says nothing.
        for r in [
            "*",
            "x",
            "",
            "latest",
            ">=0.0.0",
            "workspace:*",
            "file:../sdk",
            "github:clerk/javascript",
        ] {
            assert_eq!(got(r), None, "{r}");
        }
        // A lockfile version is used as it is.
        let locked = Installed {
            version: v("6.39.1"),
            source: "pnpm-lock.yaml".into(),
            exact: true,
            range: None,
            unread_lock: None,
        };
        assert_eq!(
            a.affected_version(&locked),
            Some((v("6.39.1"), Basis::Locked))
        );
    }

    #[test]
    fn next_response_headers_forms() {
        fn next_response_headers(t: &str) -> Option<Span> {
            let tree = crate::parse::parse(crate::source::Lang::Ts, t)?;
            let facts = crate::facts::code::CodeFacts::default();
            crate::facts::middleware::extras(tree.root_node(), t, &facts).next_response_headers
        }
        fn hit(t: &str) -> Option<&str> {
            next_response_headers(t).map(|s| &t[s.start..s.end])
        }
        assert_eq!(
            hit("return NextResponse.next({ headers: req.headers })"),
            Some("headers")
        );
        assert_eq!(
            hit("return NextResponse.next({ headers })"),
            Some("headers")
        );
        assert_eq!(
            hit("NextResponse.next({\n  status: 200,\n  'headers': requestHeaders,\n})"),
            Some("'headers'")
        );
        assert_eq!(
            hit("NextResponse.next({ headers: new Headers(request.headers) })"),
            Some("headers")
        );
        assert_eq!(
            hit("NextResponse.next({ headers: { ...Object.fromEntries(req.headers) } })"),
            Some("headers")
        );
        // The documented way to forward request headers, and fixed response headers.
        assert_eq!(
            hit("NextResponse.next({ request: { headers: requestHeaders } })"),
            None
        );
        assert_eq!(
            hit("NextResponse.next({ headers: { 'x-frame-options': 'DENY' } })"),
            None
        );
        assert_eq!(hit("NextResponse.next()"), None);
        assert_eq!(hit("NextResponse.next(init)"), None);
        assert_eq!(
            hit("// NextResponse.next({ headers })\nNextResponse.next({ request: { headers } })"),
            None
        );
        assert_eq!(hit("NextResponse.next({ x: '{ headers' })"), None);
        // Truncated input never panics.
        for t in [
            "NextResponse.next({",
            "NextResponse.next({ 'head",
            "NextResponse.next({ headers: {",
            "NextResponse.next({ /* é",
        ] {
            let _ = next_response_headers(t);
        }
    }

    #[test]
    fn single_locale_configs() {
        assert!(single_locale(
            "module.exports = { i18n: { locales: ['en'], defaultLocale: 'en' } }"
        ));
        assert!(single_locale("i18n: {\n  locales: [\n    \"de\",\n  ],\n}"));
        assert!(!single_locale(
            "i18n: { locales: ['en', 'de'], defaultLocale: 'en' }"
        ));
        assert!(!single_locale("i18n: { locales: LOCALES }"));
        assert!(!single_locale("const x = 1"));
        assert!(!single_locale("locales: ['en"));
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
