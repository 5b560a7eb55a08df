//! The middleware (Next.js ≤15) / proxy (Next.js 16) of each app: where it is and whether
//! Next.js loads it, which paths its `config.matcher` runs on, and which of those its Clerk
//! callback protects for a signed-out request.

use serde::Serialize;

use super::apps::App;
use super::matcher::{PathPattern, sample_paths};
use crate::facts::FileFacts;
use crate::facts::code::{MatcherConfig, PatternItem, PatternList};
use crate::facts::middleware::{Cond, Extras, LocalMatcher, MiddlewareKind, Op, StampedHeader};
use crate::finding::Span;
use crate::source::{file_name, parent_dir};

/// Why a matcher entry is conditional or broken.
#[derive(Clone, Debug)]
pub struct MatcherEntry {
    pub source: String,
    pub pattern: Option<PathPattern>,
    /// `has`/`missing` make the middleware run only sometimes.
    pub conditional: bool,
    pub span: Span,
}

/// Which paths the middleware runs on.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// No `config.matcher`, or one Next.js ignores (not a literal): every path.
    All { non_literal: Option<Span> },
    Literal {
        entries: Vec<MatcherEntry>,
        span: Span,
    },
}

/// A named route matcher (`createRouteMatcher([...])`), compiled.
#[derive(Clone, Debug, Serialize)]
pub struct RouteMatcher {
    pub name: String,
    #[serde(skip)]
    pub patterns: Vec<PathPattern>,
    /// The source of each compiled pattern (parallel to `patterns`).
    pub pattern_sources: Vec<String>,
    /// Where each compiled pattern is written (parallel to `patterns`), when it is written
    /// in `file` itself (not spread in from another list).
    pub spans: Vec<Option<Span>>,
    /// The file that defines the matcher; `None` for the middleware file itself.
    pub file: Option<String>,
    pub sources: Vec<String>,
    /// Entries that could not be resolved (imported or computed values).
    pub unresolved: Vec<String>,
    /// Built from the request itself (`createRouteMatcher([req.nextUrl.pathname])`): it
    /// matches every path.
    pub from_request: Option<Span>,
    /// A regular expression literal the callback tests the path with (`/^\/api/.test(p)`),
    /// named by its source: not a `createRouteMatcher` list.
    #[serde(skip)]
    pub inline_regex: bool,
}

impl RouteMatcher {
    pub fn matches(&self, path: &str) -> Option<bool> {
        if self.from_request.is_some() || self.patterns.iter().any(|p| p.is_match(path)) {
            return Some(true);
        }
        if self.unresolved.is_empty() {
            Some(false)
        } else {
            None
        }
    }

    /// Indices of the patterns that match `path`.
    pub fn hits(&self, path: &str) -> Vec<usize> {
        (0..self.patterns.len())
            .filter(|i| self.patterns[*i].is_match(path))
            .collect()
    }

    /// Whether pattern `i` matches not only `path` but the whole tree under it
    /// (`/api(.*)`, `/api/:path*`): a catch-all, not a declaration of this one path.
    pub fn catch_all_at(&self, i: usize, path: &str) -> bool {
        let deeper = format!("{}/cg-probe-a/cg-probe-b", path.trim_end_matches('/'));
        self.patterns.get(i).is_some_and(|p| p.is_match(&deeper))
    }

    /// Whether the literal start of pattern `i` is `path` itself (`/api/public(.*)` and
    /// `/api/public`).
    pub fn names(&self, i: usize, path: &str) -> bool {
        self.pattern_sources.get(i).is_some_and(|s| {
            let prefix = literal_prefix(s);
            let prefix = prefix.trim_end_matches('/');
            !prefix.is_empty() && prefix.eq_ignore_ascii_case(path.trim_end_matches('/'))
        })
    }

    /// Whether pattern `i` matches `path` only because it has no segment boundary after its
    /// literal prefix: `/public(.*)` matches `/publicadmin`. Returns the prefix.
    pub fn overbroad_at(&self, i: usize, path: &str) -> Option<String> {
        let source = self.pattern_sources.get(i)?;
        let pattern = self.patterns.get(i)?;
        if !matches!(pattern.kind(), super::matcher::PatternKind::ClerkRoute) {
            return None;
        }
        let prefix = literal_prefix(source);
        if prefix.len() < 2 || prefix.ends_with('/') || !pattern.is_match(path) {
            return None;
        }
        let lower = path.to_ascii_lowercase();
        let rest = lower.strip_prefix(&prefix.to_ascii_lowercase())?;
        (!rest.is_empty() && !rest.starts_with('/')).then_some(prefix)
    }

    /// How this matcher, used as a public list, treats `path`: `None` when it does not match;
    /// otherwise a public verdict, exact when a pattern names this path (not a whole tree),
    /// or "not protected" when only an over-broad pattern matches it by accident.
    fn public_verdict(&self, path: &str, list: &str) -> Option<Verdict> {
        if let Some(span) = self.from_request {
            let _ = span;
            return Some(Verdict::Public {
                why: format!(
                    "`{}` is built from the request's own path, so it matches every path",
                    self.name
                ),
                exact: false,
            });
        }
        let hits = self.hits(path);
        if hits.is_empty() {
            return (self.matches(path) == Some(true)).then(|| Verdict::Public {
                why: format!("matched by {list}"),
                exact: false,
            });
        }
        let intended: Vec<usize> = hits
            .iter()
            .copied()
            .filter(|i| self.overbroad_at(*i, path).is_none())
            .collect();
        if intended.is_empty() {
            let i = hits[0];
            let prefix = self.overbroad_at(i, path).unwrap_or_default();
            return Some(Verdict::NotProtected(format!(
                "the public pattern `{}` in {list} also matches `{path}`, which is not under `{prefix}/`",
                self.pattern_sources[i]
            )));
        }
        // A pattern names a path when it matches only that path, or when its literal start is
        // the path (`/api/public(.*)` names `/api/public`, not what lies under it).
        let exact = intended
            .iter()
            .any(|i| !self.catch_all_at(*i, path) || self.names(*i, path));
        let src = &self.pattern_sources[intended[0]];
        Some(Verdict::Public {
            why: if exact {
                format!("matched by {list}")
            } else {
                format!("matched by the catch-all `{src}` in {list}")
            },
            exact,
        })
    }
}

/// The literal start of a route pattern, up to its first parameter, group or modifier.
pub fn literal_prefix(source: &str) -> String {
    source
        .chars()
        .take_while(|c| !matches!(c, '(' | ':' | '*' | '{' | '?' | '+' | '[' | '\\'))
        .collect()
}

/// What the middleware does, resolved.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// `clerkMiddleware()` without a callback, or a callback that never protects.
    ClerkNoCallback,
    /// `clerkMiddleware(callback)` with an understood program.
    ClerkProgram {
        ops: Vec<Op>,
        /// The route matchers its conditions name, and the regular expression literals they
        /// test the path with (`inline_regex`).
        matchers: Vec<RouteMatcher>,
        /// The installed @clerk/nextjs is v6 or later: `auth.protect()` is async, so one that
        /// is neither awaited nor returned protects nothing.
        async_protect: bool,
    },
    /// `authMiddleware`: everything except public and ignored routes, unless `afterAuth`.
    AuthMiddleware {
        public: Option<Box<RouteMatcher>>,
        ignored: Option<Box<RouteMatcher>>,
        after_auth: Option<Option<Vec<Op>>>,
    },
    /// Not understood: say so.
    Unknown { reason: String },
    /// Not Clerk's middleware.
    NotClerk { what: String },
}

/// The verdict for one request path (signed out).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", content = "detail", rename_all = "kebab-case")]
pub enum Verdict {
    Protected(String),
    /// Public by the middleware's own public list. `exact` when a pattern names the path; a
    /// pattern that opens a whole tree (`/api(.*)`) or every path is not a declaration of
    /// what is under it, so a handler there is judged on its own code.
    Public {
        why: String,
        exact: bool,
    },
    /// The middleware runs but lets the request through.
    NotProtected(String),
    /// The matcher does not run the middleware on this path.
    NotMatched,
    Unknown(String),
}

#[derive(Clone, Debug)]
pub struct MiddlewareModel {
    pub app: usize,
    pub file: String,
    /// `None` when Next.js loads it; otherwise why it never runs.
    pub not_loaded: Option<String>,
    pub matcher: Matcher,
    pub behaviour: Behaviour,
    /// Span of the Clerk middleware call (for findings).
    pub span: Option<Span>,
    /// Uses the deprecated `authMiddleware`.
    pub auth_middleware: Option<Span>,
    /// Uses `createRouteMatcher` in a deny-list (`if (isProtected(req)) protect`) form.
    pub deny_list: bool,
    /// Every call of Clerk's `authMiddleware` in the file (wrappers included).
    pub auth_middleware_calls: Vec<Span>,
    /// Request headers the middleware sets to an environment value
    /// (`requestHeaders.set('x-internal-token', process.env.SECRET)`): every request that
    /// passes through carries them, so a handler that trusts such a header trusts everyone.
    pub stamped_headers: Vec<StampedHeader>,
    /// Whether server actions inherit the middleware's protection: `Ok(how)` when it
    /// protects every page path an action can be posted to, `Err(why not)` otherwise
    /// (see [`MiddlewareModel::protects_action_posts`]).
    pub actions: Result<String, String>,
}

impl MiddlewareModel {
    pub fn loaded(&self) -> bool {
        self.not_loaded.is_none()
    }

    /// Whether the matcher always runs the middleware on `path`. A `has`/`missing` entry runs
    /// it only for requests that carry (or lack) something an attacker controls, so it does
    /// not count.
    pub fn runs_on(&self, path: &str) -> bool {
        match &self.matcher {
            Matcher::All { .. } => true,
            Matcher::Literal { entries, .. } => entries
                .iter()
                .any(|e| !e.conditional && e.pattern.as_ref().is_some_and(|p| p.is_match(path))),
        }
    }

    /// What the middleware does for a signed-out request to `path`.
    pub fn verdict(&self, path: &str) -> Verdict {
        if !self.runs_on(path) {
            return Verdict::NotMatched;
        }
        match &self.behaviour {
            Behaviour::ClerkNoCallback => Verdict::NotProtected(
                "`clerkMiddleware()` without a callback protects nothing".into(),
            ),
            Behaviour::ClerkProgram {
                ops,
                matchers,
                async_protect,
            } => run_program(ops, matchers, path, None, *async_protect),
            Behaviour::AuthMiddleware {
                public,
                ignored,
                after_auth,
            } => {
                if let Some(ig) = ignored
                    && ig.matches(path) == Some(true)
                {
                    return Verdict::NotProtected(
                        "listed in `ignoredRoutes` of `authMiddleware`".into(),
                    );
                }
                let is_public = public.as_ref().and_then(|p| p.matches(path));
                match after_auth {
                    None => match is_public {
                        Some(true) => public
                            .as_ref()
                            .and_then(|p| {
                                p.public_verdict(path, "`publicRoutes` of `authMiddleware`")
                            })
                            .unwrap_or(Verdict::Public {
                                why: "listed in `publicRoutes` of `authMiddleware`".into(),
                                exact: false,
                            }),
                        Some(false) => Verdict::Protected(
                            "`authMiddleware` protects every non-public route".into(),
                        ),
                        None => Verdict::Unknown("`publicRoutes` could not be resolved".into()),
                    },
                    Some(None) => {
                        Verdict::Unknown("the custom `afterAuth` could not be analysed".into())
                    }
                    Some(Some(ops)) => run_program(ops, &[], path, is_public, false),
                }
            }
            Behaviour::Unknown { reason } => Verdict::Unknown(reason.clone()),
            Behaviour::NotClerk { what } => {
                Verdict::NotProtected(format!("the middleware ({what}) does not use Clerk"))
            }
        }
    }

    /// The protect call that checks a role or permission for a request to `path`
    /// (`if (isAdmin(req)) await auth.protect((has) => has({ role: 'org:admin' }))`), if one
    /// runs whenever the middleware does.
    pub fn role_protect(&self, path: &str) -> Option<String> {
        if !self.runs_on(path) {
            return None;
        }
        let Behaviour::ClerkProgram {
            ops,
            matchers,
            async_protect,
        } = &self.behaviour
        else {
            return None;
        };
        for op in ops {
            match op {
                Op::Exit { when, .. } => {
                    if eval(when.as_ref(), matchers, path, None) == Some(true) {
                        return None;
                    }
                }
                Op::Protect { unawaited, .. } if *unawaited && *async_protect => {}
                Op::Protect { when, how, .. } => {
                    // A protect call that names a role or permission (`auth.protect({ role })`,
                    // `auth.protect((has) => has(…))`); not a redirect whose URL happens to
                    // hold one (`redirect(`/${role}`)`), which checks nothing itself.
                    let lower = how.to_ascii_lowercase();
                    let role = how.contains("has(")
                        || (lower.contains("protect(")
                            && (lower.contains("role") || lower.contains("permission")));
                    if role && eval(when.as_ref(), matchers, path, None) == Some(true) {
                        return Some(how.clone());
                    }
                    // `if (isAdmin(req) && sessionClaims?.metadata?.role !== 'admin') redirect`
                    if let Some(cond) = when
                        && let Some((test, rest)) = role_condition(cond)
                        && eval(Some(&rest), matchers, path, None) == Some(true)
                    {
                        return Some(test);
                    }
                }
            }
        }
        None
    }

    /// The route matchers the callback uses, with their role: `true` for a protect list
    /// (`if (isProtected(req)) protect`, `if (!isProtected(req)) return`), `false` for a
    /// public list (`if (!isPublic(req)) protect`, `if (isPublic(req)) return`). `authMiddleware`'s
    /// `publicRoutes` is a public list; `ignoredRoutes` is neither (see `ignored_routes`).
    pub fn route_matchers(&self) -> Vec<(&RouteMatcher, bool)> {
        let mut out: Vec<(&RouteMatcher, bool)> = Vec::new();
        match &self.behaviour {
            Behaviour::ClerkProgram { ops, matchers, .. } => {
                for op in ops {
                    // A return that answers with an error (a 503 while misconfigured) lets
                    // nothing through: its tests make no list public or protected.
                    let (Op::Protect { when: Some(c), .. }
                    | Op::Exit {
                        when: Some(c),
                        blocks: false,
                        ..
                    }) = op
                    else {
                        continue;
                    };
                    let protect_op = matches!(op, Op::Protect { .. });
                    for (name, pos) in matcher_tests(c) {
                        let protects = pos == protect_op;
                        if let Some(m) = matchers.iter().find(|m| m.name == name)
                            && !out
                                .iter()
                                .any(|(o, p)| std::ptr::eq(*o, m) && *p == protects)
                        {
                            out.push((m, protects));
                        }
                    }
                }
            }
            Behaviour::AuthMiddleware {
                public: Some(p), ..
            } => out.push((p, false)),
            _ => {}
        }
        out
    }

    /// `ignoredRoutes` of `authMiddleware`: paths the middleware skips entirely.
    pub fn ignored_routes(&self) -> Option<&RouteMatcher> {
        match &self.behaviour {
            Behaviour::AuthMiddleware { ignored, .. } => ignored.as_deref(),
            _ => None,
        }
    }

    /// Early returns that depend on something the client sends (a cookie, a header, a query
    /// parameter) and skip a protection: for some request path of `paths` (the app's routes;
    /// `/` when there are none) and some choice of those values, a signed-out request reaches
    /// the return (no earlier return or protection ends it first), takes it, and would have
    /// met a protection after it. A return that answers with a redirect or an error refuses
    /// the request; one only a signed-in request reaches, or one for paths that a later
    /// return lets through anyway, skips nothing. Each is (span of the return, the test).
    pub fn bypasses(&self, paths: &[String]) -> Vec<(Span, String)> {
        let (ops, matchers, async_protect): (&[Op], &[RouteMatcher], bool) = match &self.behaviour {
            Behaviour::ClerkProgram {
                ops,
                matchers,
                async_protect,
            } => (ops, matchers, *async_protect),
            Behaviour::AuthMiddleware {
                after_auth: Some(Some(ops)),
                ..
            } => (ops, &[], false),
            _ => return Vec::new(),
        };
        let root = ["/".to_string()];
        let paths: Vec<&String> = if paths.is_empty() { &root[..] } else { paths }
            .iter()
            .filter(|p| self.runs_on(p))
            .collect();
        // Every choice of the client's values (the first few tests the callback makes).
        let atoms = untrusted_atoms(ops);
        let choices: Vec<Vec<(&str, bool)>> = (0..1u32 << atoms.len())
            .map(|bits| {
                atoms
                    .iter()
                    .enumerate()
                    .map(|(k, a)| (a.as_str(), bits & (1 << k) != 0))
                    .collect()
            })
            .collect();
        let mut out = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let Op::Exit {
                when: Some(c),
                span,
                blocks: false,
            } = op
            else {
                continue;
            };
            if !has_untrusted(c) || possible(c, 0).is_none_or(|(can_hold, _)| !can_hold) {
                continue;
            }
            let skips = paths.iter().any(|p| {
                choices
                    .iter()
                    .any(|a| skips_protection(ops, i, matchers, p, a, async_protect))
            });
            if skips {
                out.push((*span, describe(Some(c))));
            }
        }
        out
    }

    /// Whether server actions inherit the middleware's protection. An action is a `POST` to
    /// any page path (the `Next-Action` header names it, not the URL), so the middleware
    /// protects actions only when it runs on and protects every page of the app, the
    /// sign-in and sign-up URLs included: `Ok(how)`, or `Err(the first path it leaves open)`.
    pub fn protects_action_posts(
        &self,
        page_urls: &[String],
        sign_urls: &[String],
    ) -> Result<String, String> {
        if let Some(why) = &self.not_loaded {
            return Err(format!("the middleware is not loaded: {why}"));
        }
        let mut paths: Vec<String> = page_urls.iter().flat_map(|u| sample_paths(u)).collect();
        paths.extend(sign_urls.iter().cloned());
        if paths.is_empty() {
            return Err("the app has no page to post an action to".into());
        }
        for p in &paths {
            if !matches!(self.verdict(p), Verdict::Protected(_)) {
                return Err(format!("the middleware does not protect `{p}`"));
            }
        }
        Ok("the middleware protects every page path an action can be posted to".into())
    }

    /// The paths the middleware declares public (allow-list form), for `declared-public`.
    pub fn public_matcher_names(&self) -> Vec<&RouteMatcher> {
        match &self.behaviour {
            Behaviour::ClerkProgram { matchers, .. } => {
                matchers.iter().filter(|m| !m.inline_regex).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The `auth.protect()` calls of the callback that are neither awaited nor returned
    /// while the installed @clerk/nextjs makes them async (v6+): each protects nothing.
    pub fn unawaited_protects(&self) -> Vec<(Span, &str)> {
        let Behaviour::ClerkProgram {
            ops,
            async_protect: true,
            ..
        } = &self.behaviour
        else {
            return Vec::new();
        };
        let mut out: Vec<(Span, &str)> = Vec::new();
        for op in ops {
            if let Op::Protect {
                span,
                how,
                unawaited: true,
                ..
            } = op
                && !out.iter().any(|(s, _)| s == span)
            {
                out.push((*span, how.as_str()));
            }
        }
        out
    }
}

/// Evaluate a callback program for a signed-out request to `path`.
fn run_program(
    ops: &[Op],
    matchers: &[RouteMatcher],
    path: &str,
    is_public: Option<bool>,
    async_protect: bool,
) -> Verdict {
    let mut uncertain: Option<String> = None;
    let mut skippable: Option<String> = None;
    let mut unawaited: Option<String> = None;
    // The first early return the client can take: a bypass when it skips a protection that
    // would run for this path, not when a later return lets the path through anyway.
    let mut bypass: Option<String> = None;
    for op in ops {
        match op {
            Op::Protect {
                when,
                how,
                unawaited: true,
                ..
            } if async_protect => {
                if reach(when.as_ref(), matchers, path, is_public) != Reach::Certain(false) {
                    unawaited.get_or_insert_with(|| {
                        format!(
                            "`{how}` is not awaited: in @clerk/nextjs v6+ it is async, so the request goes through (see `unawaited-protect`)"
                        )
                    });
                }
            }
            Op::Protect { when, how, .. } => {
                match reach(when.as_ref(), matchers, path, is_public) {
                    Reach::Certain(true) => {
                        if let Some(b) = bypass {
                            return Verdict::NotProtected(b);
                        }
                        if let Some(u) = uncertain {
                            return Verdict::Unknown(u);
                        }
                        return Verdict::Protected(format!("`{how}` in the middleware"));
                    }
                    Reach::Certain(false) => {}
                    Reach::Attacker => {
                        skippable.get_or_insert_with(|| {
                        format!(
                            "the client can skip `{how}`: it runs only under {}, which the request controls",
                            describe(when.as_ref())
                        )
                    });
                    }
                    Reach::Unknown | Reach::PathUnknown => {
                        uncertain.get_or_insert_with(|| {
                            format!(
                                "`{how}` runs under a condition the analyzer cannot evaluate ({})",
                                describe(when.as_ref())
                            )
                        });
                    }
                }
            }
            Op::Exit { when, blocks, .. } => {
                match reach(when.as_ref(), matchers, path, is_public) {
                    // The first return that certainly lets this path through is the reason,
                    // whatever return the client could have taken before it.
                    Reach::Certain(true) => {
                        return match public_reason(when.as_ref(), matchers, path) {
                            Some(v) => v,
                            None if when.is_some() => Verdict::NotProtected(format!(
                                "the middleware returns before protecting this path when {}",
                                describe(when.as_ref())
                            )),
                            None => Verdict::NotProtected(
                                "the middleware returns before protecting this path".into(),
                            ),
                        };
                    }
                    Reach::Certain(false) => {}
                    // A redirect or an error the client can trigger refuses the request: no
                    // way through.
                    Reach::Attacker if *blocks => {}
                    Reach::Attacker => {
                        bypass.get_or_insert_with(|| {
                            format!(
                                "the middleware returns early under {}, which the request controls (a bypass)",
                                describe(when.as_ref())
                            )
                        });
                    }
                    // An early return under an unknown condition (rate limits, feature flags) is
                    // not treated as a bypass.
                    Reach::Unknown => {}
                    // One that lets the request through under a test of the path the analyzer
                    // cannot evaluate may be taken for this very path: what follows it does not
                    // count as protecting it.
                    Reach::PathUnknown if !blocks => {
                        uncertain.get_or_insert_with(|| {
                        format!(
                            "the middleware may return before protecting it, under {}, a test of the path the analyzer cannot evaluate",
                            describe(when.as_ref())
                        )
                    });
                    }
                    Reach::PathUnknown => {}
                }
            }
        }
    }
    if let Some(b) = bypass {
        return Verdict::NotProtected(b);
    }
    if let Some(u) = uncertain {
        return Verdict::Unknown(u);
    }
    // Not protected: is it because the path is in the callback's own public list?
    if let Some(v) = allow_list_public(ops, matchers, path) {
        return v;
    }
    if let Some(s) = skippable {
        return Verdict::NotProtected(s);
    }
    if let Some(u) = unawaited {
        return Verdict::NotProtected(u);
    }
    Verdict::NotProtected("the middleware callback does not protect this path".into())
}

/// `if (!isPublic(req)) protect`: a path matched by `isPublic` is declared public.
fn allow_list_public(ops: &[Op], matchers: &[RouteMatcher], path: &str) -> Option<Verdict> {
    for op in ops {
        if let Op::Protect {
            when: Some(cond), ..
        } = op
        {
            for name in negated_matchers(cond) {
                if let Some(m) = matchers.iter().find(|m| m.name == name)
                    && let Some(v) =
                        m.public_verdict(path, &format!("the middleware's public list `{name}`"))
                {
                    return Some(v);
                }
            }
        }
    }
    None
}

fn public_reason(cond: Option<&Cond>, matchers: &[RouteMatcher], path: &str) -> Option<Verdict> {
    let cond = cond?;
    let mut names = Vec::new();
    positive_matchers(cond, &mut names, 0);
    for name in names {
        if name.to_ascii_lowercase().contains("public")
            && let Some(m) = matchers.iter().find(|m| m.name == name)
            && let Some(v) =
                m.public_verdict(path, &format!("the middleware's public list `{name}`"))
        {
            return Some(v);
        }
    }
    None
}

/// Whether a condition holds for a signed-out request, when the client controls the
/// cookies, headers and query parameters it sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    Certain(bool),
    /// The client chooses (an `Untrusted` test decides).
    Attacker,
    /// Depends on something the analyzer cannot evaluate.
    Unknown,
    /// Depends on a test of the path the analyzer cannot evaluate: it may hold for this path.
    PathUnknown,
}

/// Deepest condition nesting evaluated; deeper conditions are unknown.
const MAX_COND_DEPTH: usize = 200;

fn reach(
    cond: Option<&Cond>,
    matchers: &[RouteMatcher],
    path: &str,
    is_public: Option<bool>,
) -> Reach {
    match cond {
        None => Reach::Certain(true),
        Some(c) => reach_at(c, matchers, path, is_public, 0),
    }
}

fn reach_at(
    cond: &Cond,
    matchers: &[RouteMatcher],
    path: &str,
    is_public: Option<bool>,
    depth: usize,
) -> Reach {
    reach_chosen(cond, matchers, path, is_public, &[], depth)
}

/// `reach_at` with some client-controlled tests decided (`chosen`, by their text): the others
/// stay the client's.
fn reach_chosen(
    cond: &Cond,
    matchers: &[RouteMatcher],
    path: &str,
    is_public: Option<bool>,
    chosen: &[(&str, bool)],
    depth: usize,
) -> Reach {
    if depth > MAX_COND_DEPTH {
        return Reach::Unknown;
    }
    let known = |b: Option<bool>| b.map_or(Reach::Unknown, Reach::Certain);
    match cond {
        Cond::Matcher { name } => known(
            matchers
                .iter()
                .find(|m| &m.name == name)
                .and_then(|m| m.matches(path)),
        ),
        Cond::PathPrefix { prefix } => Reach::Certain(path.starts_with(prefix.as_str())),
        Cond::PathEq { path: p } => Reach::Certain(path == p),
        Cond::PathIncludes { part } => Reach::Certain(path.contains(part.as_str())),
        Cond::PathSuffix { suffix } => Reach::Certain(path.ends_with(suffix.as_str())),
        Cond::SignedOut => Reach::Certain(true),
        Cond::SignedIn => Reach::Certain(false),
        Cond::PublicRoute => known(is_public),
        Cond::Untrusted { text } => chosen
            .iter()
            .find(|(t, _)| *t == text)
            .map_or(Reach::Attacker, |(_, b)| Reach::Certain(*b)),
        Cond::Unknown { .. } => Reach::Unknown,
        Cond::PathTest { .. } => Reach::PathUnknown,
        Cond::PathRegex { pattern, flags } => matchers
            .iter()
            .find(|m| m.inline_regex && m.name == regex_name(pattern, flags))
            .and_then(|m| m.matches(path))
            .map_or(Reach::PathUnknown, Reach::Certain),
        Cond::PathValue {
            rules,
            default,
            equals,
            ..
        } => {
            let mut value = default.as_str();
            for r in rules {
                match reach_chosen(&r.when, matchers, path, is_public, chosen, depth + 1) {
                    Reach::Certain(true) => {
                        value = r.value.as_str();
                        break;
                    }
                    Reach::Certain(false) => {}
                    _ => return Reach::PathUnknown,
                }
            }
            let values = rules
                .iter()
                .map(|r| r.value.as_str())
                .chain([default.as_str()]);
            match value_test(value, values, equals.as_deref()) {
                Some(b) => Reach::Certain(b),
                None => Reach::PathUnknown,
            }
        }
        Cond::Not { inner } => {
            match reach_chosen(inner, matchers, path, is_public, chosen, depth + 1) {
                Reach::Certain(b) => Reach::Certain(!b),
                r => r,
            }
        }
        Cond::And { all } => {
            let parts = all
                .iter()
                .map(|c| reach_chosen(c, matchers, path, is_public, chosen, depth + 1));
            combine(parts, false)
        }
        Cond::Or { any } => {
            let parts = any
                .iter()
                .map(|c| reach_chosen(c, matchers, path, is_public, chosen, depth + 1));
            combine(parts, true)
        }
    }
}

/// The reach of an `&&` (`decisive` false) or an `||` (`decisive` true) of parts: one part
/// certainly `decisive` decides it; otherwise an unknown test of the path makes it so, then
/// another unknown part makes it unknown, then a part the client chooses makes it the
/// client's; else it is certainly not `decisive`. Every part is evaluated.
fn combine(parts: impl Iterator<Item = Reach>, decisive: bool) -> Reach {
    let rs: Vec<Reach> = parts.collect();
    if rs.contains(&Reach::Certain(decisive)) {
        Reach::Certain(decisive)
    } else if rs.contains(&Reach::PathUnknown) {
        Reach::PathUnknown
    } else if rs.contains(&Reach::Unknown) {
        Reach::Unknown
    } else if rs.contains(&Reach::Attacker) {
        Reach::Attacker
    } else {
        Reach::Certain(!decisive)
    }
}

/// A condition with a role test the analyzer cannot evaluate (`Unknown`, possibly negated):
/// the test, and the condition with that test taken as true.
fn role_condition(cond: &Cond) -> Option<(String, Cond)> {
    let role_test = |c: &Cond| match c {
        Cond::Unknown { text } => crate::facts::authz::is_role_test(text).then(|| text.clone()),
        _ => None,
    };
    // The test alone, negated, or decided for a signed-out request (`role !== 'admin'` is
    // `SignedOut || test`, `!roles.includes(role)` is `!(SignedIn && test)`).
    let is_role = |c: &Cond| match c {
        Cond::Unknown { .. } => role_test(c),
        Cond::Not { inner } => match inner.as_ref() {
            Cond::Unknown { .. } => role_test(inner),
            Cond::And { all } if matches!(all.as_slice(), [Cond::SignedIn, _]) => {
                role_test(&all[1])
            }
            _ => None,
        },
        Cond::Or { any } if matches!(any.as_slice(), [Cond::SignedOut, _]) => role_test(&any[1]),
        _ => None,
    };
    if let Some(t) = is_role(cond) {
        return Some((t, Cond::SignedOut));
    }
    let Cond::And { all } = cond else {
        return None;
    };
    let mut test = None;
    let rest: Vec<Cond> = all
        .iter()
        .map(|c| match (test.is_none(), is_role(c)) {
            (true, Some(t)) => {
                test = Some(t);
                Cond::SignedOut
            }
            _ => c.clone(),
        })
        .collect();
    test.map(|t| (t, Cond::And { all: rest }))
}

/// Every matcher test in a condition with its polarity (`true`: `isX(req)`, `false`:
/// `!isX(req)`), walked iteratively.
fn matcher_tests(cond: &Cond) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![(cond, true)];
    while let Some((c, pos)) = stack.pop() {
        match c {
            Cond::Matcher { name } => out.push((name.clone(), pos)),
            Cond::Not { inner } => stack.push((inner, !pos)),
            Cond::And { all: xs } | Cond::Or { any: xs } => {
                stack.extend(xs.iter().rev().map(|x| (x, pos)))
            }
            _ => {}
        }
    }
    out
}

fn negated_matchers(cond: &Cond) -> Vec<String> {
    matcher_tests(cond)
        .into_iter()
        .filter(|(_, pos)| !pos)
        .map(|(n, _)| n)
        .collect()
}

fn positive_matchers(cond: &Cond, out: &mut Vec<String>, _depth: usize) {
    out.extend(
        matcher_tests(cond)
            .into_iter()
            .filter(|(_, pos)| *pos)
            .map(|(n, _)| n),
    );
}

/// Whether a condition can hold, and can fail, for a signed-out request to some path the
/// client picks, with the cookies, headers and query values it picks; `None` when it depends
/// on something the analyzer cannot evaluate.
fn possible(cond: &Cond, depth: usize) -> Option<(bool, bool)> {
    if depth > MAX_COND_DEPTH {
        return None;
    }
    match cond {
        Cond::SignedOut => Some((true, false)),
        Cond::SignedIn => Some((false, true)),
        Cond::Unknown { .. } => None,
        Cond::Matcher { .. }
        | Cond::PathPrefix { .. }
        | Cond::PathEq { .. }
        | Cond::PathIncludes { .. }
        | Cond::PathSuffix { .. }
        | Cond::PathRegex { .. }
        | Cond::PathTest { .. }
        | Cond::PathValue { .. }
        | Cond::PublicRoute
        | Cond::Untrusted { .. } => Some((true, true)),
        Cond::Not { inner } => possible(inner, depth + 1).map(|(t, f)| (f, t)),
        Cond::And { all } => possible_all(all.iter().map(|c| possible(c, depth + 1))),
        // `a || b` is `!(!a && !b)`: the `&&` reading with holding and failing swapped.
        Cond::Or { any } => {
            let swap = |(holds, fails): (bool, bool)| (fails, holds);
            possible_all(any.iter().map(|c| possible(c, depth + 1).map(swap))).map(swap)
        }
    }
}

/// `possible` of an `&&` of parts: it cannot hold when some part cannot; otherwise, when
/// every part is known, it can hold, and it can fail when some part can. Every part is
/// evaluated.
fn possible_all(parts: impl Iterator<Item = Option<(bool, bool)>>) -> Option<(bool, bool)> {
    let rs: Vec<Option<(bool, bool)>> = parts.collect();
    if rs.iter().any(|r| matches!(r, Some((false, _)))) {
        return Some((false, true));
    }
    let rs: Option<Vec<(bool, bool)>> = rs.into_iter().collect();
    rs.map(|rs| (true, rs.iter().any(|r| r.1)))
}

/// Whether a condition tests something the client controls (walked iteratively).
pub fn has_untrusted(cond: &Cond) -> bool {
    let mut stack = vec![cond];
    while let Some(c) = stack.pop() {
        match c {
            Cond::Untrusted { .. } => return true,
            Cond::Not { inner } => stack.push(inner),
            Cond::And { all: xs } | Cond::Or { any: xs } => stack.extend(xs.iter()),
            _ => {}
        }
    }
    false
}

/// The client-controlled tests of a callback (by text), the first few: each is chosen by the
/// client, the same way wherever the callback tests it.
fn untrusted_atoms(ops: &[Op]) -> Vec<String> {
    const MAX_ATOMS: usize = 6;
    let mut out: Vec<String> = Vec::new();
    for op in ops {
        let (Op::Exit { when: Some(c), .. } | Op::Protect { when: Some(c), .. }) = op else {
            continue;
        };
        let mut stack = vec![c];
        while let Some(c) = stack.pop() {
            match c {
                Cond::Untrusted { text } if !out.contains(text) && out.len() < MAX_ATOMS => {
                    out.push(text.clone());
                }
                Cond::Not { inner } => stack.push(inner),
                Cond::And { all: xs } | Cond::Or { any: xs } => stack.extend(xs.iter().rev()),
                _ => {}
            }
        }
    }
    out
}

/// Whether the early return `ops[i]` is taken by a signed-out request to `path` carrying the
/// client values `chosen`, and skips a protection that would run after it: no earlier step
/// certainly ends the request, the return may be taken, and after it a protection comes
/// before any return that certainly lets the path through.
fn skips_protection(
    ops: &[Op],
    i: usize,
    matchers: &[RouteMatcher],
    path: &str,
    chosen: &[(&str, bool)],
    async_protect: bool,
) -> bool {
    let at = |c: &Option<Cond>| match c {
        None => Reach::Certain(true),
        Some(c) => reach_chosen(c, matchers, path, None, chosen, 0),
    };
    let protects = |op: &Op| match op {
        Op::Protect { unawaited, .. } => !(*unawaited && async_protect),
        Op::Exit { .. } => false,
    };
    let ends = |op: &Op| match op {
        Op::Protect { when, .. } => protects(op) && at(when) == Reach::Certain(true),
        Op::Exit { when, .. } => at(when) == Reach::Certain(true),
    };
    if ops[..i].iter().any(ends) {
        return false;
    }
    let Op::Exit { when, .. } = &ops[i] else {
        return false;
    };
    if at(when) == Reach::Certain(false) {
        return false;
    }
    for op in &ops[i + 1..] {
        match op {
            Op::Protect { when, .. } if protects(op) && at(when) != Reach::Certain(false) => {
                return true;
            }
            Op::Exit { when, .. } if at(when) == Reach::Certain(true) => return false,
            _ => {}
        }
    }
    false
}

/// Three-valued evaluation of a condition for a signed-out request (a test the client
/// controls is unknown here).
fn eval(
    cond: Option<&Cond>,
    matchers: &[RouteMatcher],
    path: &str,
    is_public: Option<bool>,
) -> Option<bool> {
    match reach(cond, matchers, path, is_public) {
        Reach::Certain(b) => Some(b),
        Reach::Attacker | Reach::Unknown | Reach::PathUnknown => None,
    }
}

fn describe(cond: Option<&Cond>) -> String {
    describe_at(cond, 0)
}

fn describe_at(cond: Option<&Cond>, depth: usize) -> String {
    if depth > 16 {
        return "…".into();
    }
    match cond {
        None => "always".into(),
        Some(Cond::Unknown { text } | Cond::Untrusted { text } | Cond::PathTest { text }) => {
            format!("`{text}`")
        }
        Some(Cond::PathRegex { pattern, flags }) => format!("`/{pattern}/{flags}.test(path)`"),
        Some(Cond::PathValue { call, equals, .. }) => match equals {
            Some(v) => format!("`{call} === {v}`"),
            None => format!("`{call}`"),
        },
        Some(Cond::Matcher { name }) => format!("`{name}(req)`"),
        Some(Cond::PathPrefix { prefix }) => format!("the path starts with `{prefix}`"),
        Some(Cond::PathEq { path }) => format!("the path is `{path}`"),
        Some(Cond::PathIncludes { part }) => format!("the path contains `{part}`"),
        Some(Cond::PathSuffix { suffix }) => format!("the path ends with `{suffix}`"),
        Some(Cond::SignedIn) => "signed in".into(),
        Some(Cond::SignedOut) => "signed out".into(),
        Some(Cond::PublicRoute) => "`auth.isPublicRoute`".into(),
        Some(Cond::Not { inner }) => match inner.as_ref() {
            Cond::PathPrefix { prefix } => format!("the path does not start with `{prefix}`"),
            Cond::PathEq { path } => format!("the path is not `{path}`"),
            Cond::PathIncludes { part } => format!("the path does not contain `{part}`"),
            Cond::PathSuffix { suffix } => format!("the path does not end with `{suffix}`"),
            _ => format!("not {}", describe_at(Some(inner), depth + 1)),
        },
        Some(Cond::And { all }) => all
            .iter()
            .map(|c| describe_at(Some(c), depth + 1))
            .collect::<Vec<_>>()
            .join(" and "),
        Some(Cond::Or { any }) => any
            .iter()
            .map(|c| describe_at(Some(c), depth + 1))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// Compile a pattern list with Clerk's `createRouteMatcher` semantics.
pub fn compile_route_matcher(
    name: &str,
    list: &PatternList,
    resolve_ref: &dyn Fn(&str) -> Option<PatternList>,
) -> RouteMatcher {
    let mut m = RouteMatcher {
        name: name.to_string(),
        patterns: Vec::new(),
        pattern_sources: Vec::new(),
        spans: Vec::new(),
        file: None,
        sources: Vec::new(),
        unresolved: Vec::new(),
        from_request: None,
        inline_regex: false,
    };
    // (item, written in the list itself)
    let mut stack: Vec<(PatternItem, bool)> =
        list.items.iter().rev().map(|i| (i.clone(), true)).collect();
    let mut expanded = 0;
    while let Some((item, local)) = stack.pop() {
        let compiled = match item {
            PatternItem::Str { value, span }
            | PatternItem::Object {
                source: value,
                span,
                ..
            } => {
                let c = PathPattern::clerk_route(&value)
                    .map_err(|e| format!("{value} ({})", e.message));
                m.sources.push(value.clone());
                Some((c, value, span))
            }
            PatternItem::Regex {
                pattern,
                flags,
                span,
            } => {
                let source = format!("/{pattern}/{flags}");
                let c = PathPattern::from_js_regex(&pattern, &flags)
                    .map_err(|e| format!("/{pattern}/ ({})", e.message));
                m.sources.push(source.clone());
                Some((c, source, span))
            }
            PatternItem::Reference { name, .. } => {
                expanded += 1;
                match (expanded < 32).then(|| resolve_ref(&name)).flatten() {
                    Some(l) => stack.extend(l.items.into_iter().rev().map(|i| (i, false))),
                    None => m.unresolved.push(name),
                }
                None
            }
            PatternItem::Dynamic { .. } => {
                m.unresolved.push("a computed value".into());
                None
            }
        };
        if let Some((c, source, span)) = compiled {
            match c {
                Ok(p) => {
                    m.patterns.push(p);
                    m.pattern_sources.push(source);
                    m.spans.push((local && span.end > 0).then_some(span));
                }
                Err(e) => m.unresolved.push(e),
            }
        }
    }
    m
}

/// Compile a route matcher created inside the callback.
pub fn compile_local_matcher(l: &LocalMatcher) -> RouteMatcher {
    let mut m = compile_route_matcher(&l.name, &l.patterns, &|_| None);
    if l.from_request {
        m.from_request = Some(l.span);
    }
    m
}

/// Compile `config.matcher` with Next.js semantics.
pub fn compile_config_matcher(config: &MatcherConfig) -> Matcher {
    match config {
        MatcherConfig::Absent => Matcher::All { non_literal: None },
        MatcherConfig::NonLiteral { span } => Matcher::All {
            non_literal: Some(*span),
        },
        MatcherConfig::Literal(list) => {
            let entries = list
                .items
                .iter()
                .filter_map(|item| {
                    let (source, conditional, span) = match item {
                        PatternItem::Str { value, span } => (value.clone(), false, *span),
                        PatternItem::Object {
                            source,
                            conditional,
                            span,
                        } => (source.clone(), *conditional, *span),
                        _ => return None,
                    };
                    let pattern = if conditional {
                        PathPattern::next_matcher_with(
                            &source,
                            &super::matcher::NextMatcherOptions {
                                conditional: true,
                                ..Default::default()
                            },
                        )
                    } else {
                        PathPattern::next_matcher(&source)
                    }
                    .ok();
                    Some(MatcherEntry {
                        source,
                        pattern,
                        conditional,
                        span,
                    })
                })
                .collect();
            Matcher::Literal {
                entries,
                span: list.span,
            }
        }
    }
}

/// Whether a file name is a middleware/proxy file name Next.js accepts for this app.
pub fn accepted_name(app: &App, name: &str) -> bool {
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    if stem != "middleware" && stem != "proxy" {
        return false;
    }
    app.page_extensions.iter().any(|e| e == ext)
        || (ext == "mjs" && app.page_extensions.iter().any(|e| e == "js"))
}

/// The directory where Next.js looks for the middleware of `app`.
pub fn expected_dir(app: &App) -> String {
    if app.src_dir {
        app.path("src")
    } else {
        app.root.clone()
    }
}

/// Find the middleware/proxy candidates of an app and decide which Next.js loads.
pub fn locate<'f>(
    app: &App,
    files: impl Iterator<Item = &'f FileFacts>,
) -> Vec<(&'f FileFacts, Option<String>)> {
    let expected = expected_dir(app);
    let next16 = app.next_major().is_none_or(|m| m >= 16);
    let mut out = Vec::new();
    let mut candidates: Vec<&FileFacts> = files
        .filter(|f| {
            let name = file_name(&f.rel);
            crate::facts::is_middleware_name(name) && app.contains(&f.rel)
        })
        .collect();
    candidates.sort_by(|a, b| a.rel.cmp(&b.rel));
    let at_expected: Vec<&FileFacts> = candidates
        .iter()
        .copied()
        .filter(|f| parent_dir(&f.rel) == expected && accepted_name(app, file_name(&f.rel)))
        .collect();
    let has_middleware = at_expected
        .iter()
        .any(|f| file_name(&f.rel).starts_with("middleware."));
    let has_proxy = at_expected
        .iter()
        .any(|f| file_name(&f.rel).starts_with("proxy."));
    for f in candidates {
        let name = file_name(&f.rel);
        let dir = parent_dir(&f.rel);
        let is_proxy = name.starts_with("proxy.");
        let reason = if dir == expected && accepted_name(app, name) {
            if is_proxy && !next16 {
                Some(format!(
                    "`{name}` is the Next.js 16 name; the installed Next.js {} only loads `middleware.*`",
                    app.next()
                        .map(|n| n.version.to_string())
                        .unwrap_or_default()
                ))
            } else if has_middleware && has_proxy && next16 {
                Some("both `middleware` and `proxy` files exist: Next.js 16 fails the build (`Please use ./proxy.ts only`)".to_string())
            } else {
                None
            }
        } else if dir == expected {
            Some(format!(
                "`{name}` does not follow `pageExtensions` ({}), so Next.js does not load it",
                app.page_extensions.join(", ")
            ))
        } else if !looks_like_middleware(f) {
            continue;
        } else if app
            .app_dir
            .as_deref()
            .is_some_and(|d| f.rel.starts_with(&format!("{d}/")))
            || app
                .pages_dir
                .as_deref()
                .is_some_and(|d| f.rel.starts_with(&format!("{d}/")))
        {
            Some(format!(
                "it is inside the router directory; Next.js only loads it from `{}`",
                if expected.is_empty() {
                    "the app root".to_string()
                } else {
                    format!("{expected}/")
                }
            ))
        } else if dir == app.root || dir == app.path("src") {
            Some(format!(
                "the router lives in `{}`, so Next.js only loads the middleware from `{}`",
                if app.src_dir { "src/" } else { "the app root" },
                if expected.is_empty() {
                    "the app root".to_string()
                } else {
                    format!("{expected}/")
                }
            ))
        } else {
            continue;
        };
        out.push((f, reason));
    }
    out
}

/// A middleware-named file elsewhere is only reported when it looks like one.
fn looks_like_middleware(f: &FileFacts) -> bool {
    let t = f.text();
    t.contains("clerkMiddleware")
        || t.contains("authMiddleware")
        || (t.contains("export const config") && t.contains("matcher"))
}

/// What `behaviour_of` answers for a middleware call whose callee `clerk_import` does not
/// take for Clerk's (`clerkMiddleware` and `authMiddleware` both).
fn not_clerk(callee: &str, span: Span) -> (Behaviour, Option<Span>, Option<Span>, bool) {
    (
        Behaviour::NotClerk {
            what: format!("`{callee}` is not imported from `@clerk/nextjs`"),
        },
        Some(span),
        None,
        false,
    )
}

pub fn behaviour_of(
    kind: Option<&MiddlewareKind>,
    clerk_import: &dyn Fn(&str) -> Option<String>,
    matcher_for: &dyn Fn(&str) -> Option<RouteMatcher>,
    clerk_v6: &dyn Fn() -> bool,
) -> (Behaviour, Option<Span>, Option<Span>, bool) {
    match kind {
        None => (
            Behaviour::Unknown {
                reason: "it has no default, `middleware` or `proxy` export".into(),
            },
            None,
            None,
            false,
        ),
        Some(MiddlewareKind::Clerk {
            callee,
            span,
            program,
            unknown,
            has_callback,
            local_matchers,
        }) => {
            let Some(resolved) = clerk_import(callee) else {
                return not_clerk(callee, *span);
            };
            let span = (span.end > 0).then_some(*span);
            if resolved == "authMiddleware" {
                return (
                    Behaviour::Unknown {
                        reason:
                            "`authMiddleware` is called with a callback, which it does not take"
                                .into(),
                    },
                    span,
                    span,
                    false,
                );
            }
            match (program, unknown) {
                (Some(ops), _) if !has_callback || ops.is_empty() => {
                    (Behaviour::ClerkNoCallback, span, None, false)
                }
                (Some(ops), _) => {
                    let mut names = Vec::new();
                    let mut regexes: Vec<(String, String)> = Vec::new();
                    for op in ops {
                        if let Op::Protect { when: Some(c), .. } | Op::Exit { when: Some(c), .. } =
                            op
                        {
                            collect_matchers(c, &mut names, &mut regexes);
                        }
                    }
                    names.sort();
                    names.dedup();
                    regexes.sort();
                    regexes.dedup();
                    let mut matchers: Vec<RouteMatcher> = names
                        .iter()
                        .filter_map(|n| match local_matchers.iter().find(|l| &l.name == n) {
                            Some(l) => Some(compile_local_matcher(l)),
                            None => matcher_for(n),
                        })
                        .collect();
                    matchers.extend(regexes.iter().map(|(p, f)| regex_matcher(p, f)));
                    let async_protect = ops.iter().any(|op| {
                        matches!(
                            op,
                            Op::Protect {
                                unawaited: true,
                                ..
                            }
                        )
                    }) && clerk_v6();
                    let deny_list = ops.iter().any(|op| matches!(op, Op::Protect { when: Some(Cond::Matcher { .. }), .. }))
                        || ops.iter().any(|op| matches!(op, Op::Protect { when: Some(Cond::And { all }), .. } if all.iter().any(|c| matches!(c, Cond::Matcher { .. }))));
                    (
                        Behaviour::ClerkProgram {
                            ops: ops.clone(),
                            matchers,
                            async_protect,
                        },
                        span,
                        None,
                        deny_list,
                    )
                }
                (None, reason) => (
                    Behaviour::Unknown {
                        reason: format!(
                            "the `clerkMiddleware` callback could not be analysed: {}",
                            reason.clone().unwrap_or_default()
                        ),
                    },
                    span,
                    None,
                    false,
                ),
            }
        }
        Some(MiddlewareKind::Auth {
            callee,
            span,
            public_routes,
            public_from_request,
            ignored_routes,
            after_auth,
        }) => {
            match clerk_import(callee).as_deref() {
                None => return not_clerk(callee, *span),
                // `clerkMiddleware` re-exported as `authMiddleware`, called with options only.
                Some("clerkMiddleware") => {
                    return (Behaviour::ClerkNoCallback, Some(*span), None, false);
                }
                Some(_) => {}
            }
            let compile = |name: &str, l: &Option<PatternList>| {
                l.as_ref().map(|l| {
                    Box::new(compile_route_matcher(name, l, &|n| {
                        matcher_for(n).map(|m| PatternList {
                            items: m
                                .pattern_sources
                                .into_iter()
                                .map(|s| PatternItem::Str {
                                    value: s,
                                    span: Span::new(0, 0),
                                })
                                .collect(),
                            span: Span::new(0, 0),
                        })
                    }))
                })
            };
            (
                Behaviour::AuthMiddleware {
                    public: match (compile("publicRoutes", public_routes), public_from_request) {
                        (Some(mut m), Some(at)) => {
                            m.from_request = Some(*at);
                            Some(m)
                        }
                        (m, _) => m,
                    },
                    ignored: compile("ignoredRoutes", ignored_routes),
                    after_auth: after_auth.clone(),
                },
                Some(*span),
                Some(*span),
                false,
            )
        }
        Some(MiddlewareKind::Other { what, span }) => (
            Behaviour::Unknown {
                reason: format!("its export is {what}, which the analyzer cannot see into"),
            },
            (span.end > 0).then_some(*span),
            None,
            false,
        ),
    }
}

/// The spans of the file's calls that are Clerk's `authMiddleware`.
pub fn clerk_auth_middleware_calls(
    extras: Option<&Extras>,
    clerk_import: &dyn Fn(&str) -> Option<String>,
) -> Vec<Span> {
    extras
        .map(|e| {
            e.auth_middleware_calls
                .iter()
                .filter(|(local, _)| clerk_import(local).as_deref() == Some("authMiddleware"))
                .map(|(_, s)| *s)
                .collect()
        })
        .unwrap_or_default()
}

/// Sign-in and sign-up paths served by the app itself, from its env files
/// (`NEXT_PUBLIC_CLERK_SIGN_IN_URL=/sign-in`); absolute URLs (Clerk's Account Portal) are
/// not the app's.
pub fn sign_urls<'f>(files: impl Iterator<Item = &'f FileFacts>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in files {
        for e in f.env_entries() {
            if !matches!(
                e.name.as_str(),
                "NEXT_PUBLIC_CLERK_SIGN_IN_URL"
                    | "NEXT_PUBLIC_CLERK_SIGN_UP_URL"
                    | "CLERK_SIGN_IN_URL"
                    | "CLERK_SIGN_UP_URL"
            ) {
                continue;
            }
            let v = e.value.trim();
            if v.starts_with('/') && !v.starts_with("//") {
                let path = v.split(['?', '#']).next().unwrap_or(v).to_string();
                if !out.contains(&path) {
                    out.push(path);
                }
            }
        }
    }
    out
}

/// The route matchers a condition names and the regular expression literals it tests the
/// path with, the rules of local functions of the path included (walked iteratively).
fn collect_matchers(c: &Cond, names: &mut Vec<String>, regexes: &mut Vec<(String, String)>) {
    let mut stack = vec![c];
    let mut visited = 0usize;
    while let Some(c) = stack.pop() {
        visited += 1;
        if visited > 100_000 {
            return;
        }
        match c {
            Cond::Matcher { name } => names.push(name.clone()),
            Cond::PathRegex { pattern, flags } => regexes.push((pattern.clone(), flags.clone())),
            Cond::Not { inner } => stack.push(inner),
            Cond::And { all: xs } | Cond::Or { any: xs } => stack.extend(xs.iter()),
            Cond::PathValue { rules, .. } => stack.extend(rules.iter().map(|r| &r.when)),
            _ => {}
        }
    }
}

/// The name a regular expression literal's compiled matcher goes by (its source).
fn regex_name(pattern: &str, flags: &str) -> String {
    format!("/{pattern}/{flags}")
}

/// A regular expression literal the callback tests the path with, compiled as a matcher
/// (`RegExp.prototype.test` finds a match anywhere, as the compiled pattern does).
fn regex_matcher(pattern: &str, flags: &str) -> RouteMatcher {
    let name = regex_name(pattern, flags);
    let empty = PatternList {
        items: Vec::new(),
        span: Span::new(0, 0),
    };
    let mut m = compile_route_matcher(&name, &empty, &|_| None);
    match PathPattern::from_js_regex(pattern, flags) {
        Ok(p) => {
            m.patterns.push(p);
            m.pattern_sources.push(name.clone());
            m.spans.push(None);
        }
        Err(e) => m.unresolved.push(e.message),
    }
    m.inline_regex = true;
    m
}

/// Whether the value a local function of the path gives (`value`, one of `values`) equals
/// `equals` (or is truthy, `None`): `None` when that cannot be told from the text. Values
/// compare as written only when all are literals or all are members of one object (an
/// enum's); a literal's truthiness is JavaScript's.
fn value_test<'v>(
    value: &str,
    values: impl Iterator<Item = &'v str>,
    equals: Option<&'v str>,
) -> Option<bool> {
    let literal = |v: &str| {
        v.starts_with('\'')
            || v.starts_with(|c: char| c.is_ascii_digit())
            || matches!(v, "true" | "false" | "null" | "undefined")
    };
    let owner = |v: &str| v.rsplit_once('.').map(|(o, _)| o.to_string());
    match equals {
        None => literal(value).then_some(!matches!(
            value,
            "false" | "null" | "undefined" | "0" | "''"
        )),
        Some(e) => {
            let all: Vec<&str> = values.chain([e]).collect();
            let same_kind = all.iter().all(|v| literal(v))
                || (all.iter().all(|v| !literal(v))
                    && all
                        .iter()
                        .all(|v| owner(v).is_some() && owner(v) == owner(e)));
            let literals = all.iter().all(|v| literal(v));
            (same_kind && (literals || all[..all.len() - 1].contains(&e))).then(|| value == e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::code::PatternList;
    use crate::facts::middleware::PathRule;

    fn matcher(patterns: &[&str]) -> RouteMatcher {
        let list = PatternList {
            items: patterns
                .iter()
                .map(|p| PatternItem::Str {
                    value: p.to_string(),
                    span: Span::new(0, 1),
                })
                .collect(),
            span: Span::new(0, 1),
        };
        compile_route_matcher("isPublicRoute", &list, &|_| None)
    }

    fn model(ops: Vec<Op>, matchers: Vec<RouteMatcher>) -> MiddlewareModel {
        MiddlewareModel {
            app: 0,
            file: "middleware.ts".into(),
            not_loaded: None,
            matcher: Matcher::All { non_literal: None },
            behaviour: Behaviour::ClerkProgram {
                ops,
                matchers,
                async_protect: false,
            },
            span: None,
            auth_middleware: None,
            deny_list: false,
            auth_middleware_calls: Vec::new(),
            stamped_headers: Vec::new(),
            actions: Err(String::new()),
        }
    }

    fn protect(when: Option<Cond>) -> Op {
        Op::Protect {
            when,
            span: Span::new(0, 1),
            how: "auth.protect()".into(),
            unawaited: false,
        }
    }

    fn not_public() -> Option<Cond> {
        Some(Cond::Not {
            inner: Box::new(Cond::Matcher {
                name: "isPublicRoute".into(),
            }),
        })
    }

    #[test]
    fn public_patterns_exact_catch_all_and_overbroad() {
        let m = matcher(&[
            "/api/webhooks/clerk",
            "/api(.*)",
            "/public(.*)",
            "/docs/:path*",
        ]);
        // (pattern, path, catch-all, names, over-broad)
        let table = [
            (0, "/api/webhooks/clerk", false, true, false),
            (1, "/api/users", true, false, false),
            (1, "/api", true, true, false),
            (1, "/apiary", true, false, true),
            (2, "/publicadmin", true, false, true),
            (2, "/public/about", true, false, false),
            (3, "/docs/a", true, false, false),
        ];
        for (i, path, catch_all, names, overbroad) in table {
            assert_eq!(m.catch_all_at(i, path), catch_all, "catch-all {i} {path}");
            assert_eq!(m.names(i, path), names, "names {i} {path}");
            assert_eq!(
                m.overbroad_at(i, path).is_some(),
                overbroad,
                "over-broad {i} {path}"
            );
        }
        let mw = model(vec![protect(not_public())], vec![m]);
        assert!(matches!(
            mw.verdict("/api/webhooks/clerk"),
            Verdict::Public { exact: true, .. }
        ));
        assert!(matches!(
            mw.verdict("/api/users"),
            Verdict::Public { exact: false, .. }
        ));
        assert!(matches!(
            mw.verdict("/publicadmin"),
            Verdict::NotProtected(_)
        ));
        assert!(matches!(mw.verdict("/dashboard"), Verdict::Protected(_)));
    }

    #[test]
    fn client_controlled_returns_bypass() {
        let cookie = Cond::Untrusted {
            text: "req.cookies.has('jwt')".into(),
        };
        let exit = Op::Exit {
            when: Some(cookie.clone()),
            span: Span::new(3, 9),
            blocks: false,
        };
        let mw = model(vec![exit.clone(), protect(None)], Vec::new());
        assert!(matches!(mw.verdict("/api/x"), Verdict::NotProtected(_)));
        assert_eq!(mw.bypasses(&[]).len(), 1);
        // Signed-in only: a signed-out client cannot take it.
        let signed_in = Op::Exit {
            when: Some(Cond::And {
                all: vec![Cond::SignedIn, cookie.clone()],
            }),
            span: Span::new(3, 9),
            blocks: false,
        };
        let mw = model(vec![signed_in, protect(None)], Vec::new());
        assert!(matches!(mw.verdict("/api/x"), Verdict::Protected(_)));
        assert!(mw.bypasses(&[]).is_empty());
        // A protection the client can switch off protects nothing.
        let mw = model(
            vec![protect(Some(Cond::Not {
                inner: Box::new(cookie),
            }))],
            Vec::new(),
        );
        assert!(matches!(mw.verdict("/api/x"), Verdict::NotProtected(_)));
        // After the protection, nothing is skipped.
        let mw = model(vec![protect(None), exit], Vec::new());
        assert!(mw.bypasses(&[]).is_empty());
    }

    #[test]
    fn actions_inherit_only_when_every_page_is_protected() {
        let pages = vec!["/".to_string(), "/notes/[id]".to_string()];
        let all = model(vec![protect(None)], Vec::new());
        assert!(all.protects_action_posts(&pages, &[]).is_ok());
        let allow = model(
            vec![protect(not_public())],
            vec![matcher(&["/sign-in(.*)"])],
        );
        assert!(allow.protects_action_posts(&pages, &[]).is_ok());
        // The sign-in page set by env is served by the app and public.
        let err = allow
            .protects_action_posts(&pages, &["/sign-in".to_string()])
            .unwrap_err();
        assert!(err.contains("/sign-in"), "{err}");
        let open = model(vec![protect(not_public())], vec![matcher(&["/"])]);
        assert!(open.protects_action_posts(&pages, &[]).is_err());
        assert!(all.protects_action_posts(&[], &[]).is_err());
    }

    fn exit(when: Cond, blocks: bool) -> Op {
        Op::Exit {
            when: Some(when),
            span: Span::new(0, 1),
            blocks,
        }
    }

    #[test]
    fn an_unknown_test_of_the_path_is_not_assumed_untaken() {
        let path_test = Cond::PathTest {
            text: "isOpen(pathname)".into(),
        };
        // A pass-through return under it may be taken for this very path.
        let mw = model(
            vec![exit(path_test.clone(), false), protect(None)],
            Vec::new(),
        );
        assert!(matches!(mw.verdict("/api/x"), Verdict::Unknown(_)));
        // One that answers with an error serves nothing; another unknown test (a rate
        // limit, a flag) is not about the path: both as before.
        let mw = model(vec![exit(path_test, true), protect(None)], Vec::new());
        assert!(matches!(mw.verdict("/api/x"), Verdict::Protected(_)));
        let flag = Cond::Unknown {
            text: "flags.maintenance".into(),
        };
        let mw = model(vec![exit(flag, false), protect(None)], Vec::new());
        assert!(matches!(mw.verdict("/api/x"), Verdict::Protected(_)));
    }

    #[test]
    fn values_of_path_functions_are_evaluated() {
        let level = |equals: &str| Cond::PathValue {
            call: "levelOf(pathname)".into(),
            rules: vec![
                PathRule {
                    when: Cond::PathRegex {
                        pattern: "^\\/api\\/ping".into(),
                        flags: String::new(),
                    },
                    value: "Level.OPEN".into(),
                },
                PathRule {
                    when: Cond::PathPrefix {
                        prefix: "/admin".into(),
                    },
                    value: "Level.ADMIN".into(),
                },
            ],
            default: "Level.USER".into(),
            equals: Some(equals.into()),
        };
        let matchers = vec![regex_matcher("^\\/api\\/ping", "")];
        let mw = model(
            vec![exit(level("Level.OPEN"), false), protect(None)],
            matchers.clone(),
        );
        assert!(matches!(mw.verdict("/api/ping"), Verdict::NotProtected(_)));
        assert!(matches!(mw.verdict("/api/users"), Verdict::Protected(_)));
        assert!(matches!(mw.verdict("/admin/x"), Verdict::Protected(_)));
        // A value the function never gives, written another way, cannot be compared.
        let mw = model(vec![exit(level("'open'"), false), protect(None)], matchers);
        assert!(matches!(mw.verdict("/api/users"), Verdict::Unknown(_)));
        // Literals compare as written; truthiness is JavaScript's.
        assert_eq!(
            value_test("'b'", ["'a'", "'b'"].into_iter(), Some("'c'")),
            Some(false)
        );
        assert_eq!(
            value_test("'b'", ["'a'", "'b'"].into_iter(), Some("'b'")),
            Some(true)
        );
        assert_eq!(
            value_test("false", ["true", "false"].into_iter(), None),
            Some(false)
        );
        assert_eq!(value_test("Level.A", ["Level.A"].into_iter(), None), None);
        assert_eq!(
            value_test("Level.A", ["Level.A"].into_iter(), Some("Other.A")),
            None
        );
    }

    #[test]
    fn unawaited_protect_protects_only_before_v6() {
        let unawaited = Op::Protect {
            when: None,
            span: Span::new(0, 1),
            how: "auth.protect()".into(),
            unawaited: true,
        };
        let mut mw = model(vec![unawaited], Vec::new());
        assert!(matches!(mw.verdict("/a"), Verdict::Protected(_)));
        assert!(mw.unawaited_protects().is_empty());
        if let Behaviour::ClerkProgram { async_protect, .. } = &mut mw.behaviour {
            *async_protect = true;
        }
        assert!(matches!(mw.verdict("/a"), Verdict::NotProtected(w) if w.contains("not awaited")));
        assert_eq!(mw.unawaited_protects().len(), 1);
    }

    #[test]
    fn deep_conditions_are_bounded() {
        let mut c = Cond::Untrusted { text: "x".into() };
        for _ in 0..100_000 {
            c = Cond::Not { inner: Box::new(c) };
        }
        let mw = model(
            vec![
                Op::Exit {
                    when: Some(c),
                    span: Span::new(0, 1),
                    blocks: false,
                },
                protect(None),
            ],
            Vec::new(),
        );
        let _ = mw.verdict("/a");
        let _ = mw.bypasses(&[]);
        let _ = mw.route_matchers();
        // Dropping a deep `Box` chain recurses in `Drop`; leak it instead.
        std::mem::forget(mw);
    }
}
