//! The middleware (Next.js ≤15) / proxy (Next.js 16) of each app: where it is and whether
//! Next.js loads it, which paths its `config.matcher` runs on, and which of those its Clerk
//! callback protects for a signed-out request.

use serde::Serialize;

use super::apps::App;
use super::matcher::PathPattern;
use crate::facts::FileFacts;
use crate::facts::code::{MatcherConfig, PatternItem, PatternList};
use crate::facts::middleware::{Cond, MiddlewareKind, Op};
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
    pub sources: Vec<String>,
    /// Entries that could not be resolved (imported or computed values).
    pub unresolved: Vec<String>,
}

impl RouteMatcher {
    pub fn matches(&self, path: &str) -> Option<bool> {
        if self.patterns.iter().any(|p| p.is_match(path)) {
            return Some(true);
        }
        if self.unresolved.is_empty() {
            Some(false)
        } else {
            None
        }
    }
}

/// What the middleware does, resolved.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// `clerkMiddleware()` without a callback, or a callback that never protects.
    ClerkNoCallback,
    /// `clerkMiddleware(callback)` with an understood program.
    ClerkProgram {
        ops: Vec<Op>,
        matchers: Vec<RouteMatcher>,
    },
    /// `authMiddleware`: everything except public and ignored routes, unless `afterAuth`.
    AuthMiddleware {
        public: Option<RouteMatcher>,
        ignored: Option<RouteMatcher>,
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
    /// Declared public by the middleware's own public list.
    Public(String),
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
            Behaviour::ClerkProgram { ops, matchers } => run_program(ops, matchers, path, None),
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
                        Some(true) => {
                            Verdict::Public("listed in `publicRoutes` of `authMiddleware`".into())
                        }
                        Some(false) => Verdict::Protected(
                            "`authMiddleware` protects every non-public route".into(),
                        ),
                        None => Verdict::Unknown("`publicRoutes` could not be resolved".into()),
                    },
                    Some(None) => {
                        Verdict::Unknown("the custom `afterAuth` could not be analysed".into())
                    }
                    Some(Some(ops)) => run_program(ops, &[], path, is_public),
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
        let Behaviour::ClerkProgram { ops, matchers } = &self.behaviour else {
            return None;
        };
        for op in ops {
            match op {
                Op::Exit { when, .. } => {
                    if eval(when.as_ref(), matchers, path, None) == Some(true) {
                        return None;
                    }
                }
                Op::Protect { when, how, .. } => {
                    let lower = how.to_ascii_lowercase();
                    let role = lower.contains("role")
                        || lower.contains("permission")
                        || how.contains("has(");
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

    /// The paths the middleware declares public (allow-list form), for `declared-public`.
    pub fn public_matcher_names(&self) -> Vec<&RouteMatcher> {
        match &self.behaviour {
            Behaviour::ClerkProgram { matchers, .. } => matchers.iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// Evaluate a callback program for a signed-out request to `path`.
fn run_program(
    ops: &[Op],
    matchers: &[RouteMatcher],
    path: &str,
    is_public: Option<bool>,
) -> Verdict {
    let mut uncertain: Option<String> = None;
    for op in ops {
        match op {
            Op::Protect { when, how, .. } => match eval(when.as_ref(), matchers, path, is_public) {
                Some(true) => {
                    if let Some(u) = uncertain {
                        return Verdict::Unknown(u);
                    }
                    return Verdict::Protected(format!("`{how}` in the middleware"));
                }
                Some(false) => {}
                None => {
                    uncertain.get_or_insert_with(|| {
                        format!(
                            "`{how}` runs under a condition the analyzer cannot evaluate ({})",
                            describe(when.as_ref())
                        )
                    });
                }
            },
            Op::Exit { when, .. } => match eval(when.as_ref(), matchers, path, is_public) {
                Some(true) => {
                    return match public_reason(when.as_ref(), matchers, path) {
                        Some(reason) => Verdict::Public(reason),
                        None => Verdict::NotProtected(
                            "the middleware returns before protecting this path".into(),
                        ),
                    };
                }
                Some(false) => {}
                // An early return under an unknown condition (rate limits, feature flags) is
                // not treated as a bypass.
                None => {}
            },
        }
    }
    if let Some(u) = uncertain {
        return Verdict::Unknown(u);
    }
    // Not protected: is it because the path is in the callback's own public list?
    if let Some(reason) = allow_list_public(ops, matchers, path) {
        return Verdict::Public(reason);
    }
    Verdict::NotProtected("the middleware callback does not protect this path".into())
}

/// `if (!isPublic(req)) protect`: a path matched by `isPublic` is declared public.
fn allow_list_public(ops: &[Op], matchers: &[RouteMatcher], path: &str) -> Option<String> {
    for op in ops {
        if let Op::Protect {
            when: Some(cond), ..
        } = op
        {
            for name in negated_matchers(cond) {
                if let Some(m) = matchers.iter().find(|m| m.name == name)
                    && m.matches(path) == Some(true)
                {
                    return Some(format!("matched by the middleware's public list `{name}`"));
                }
            }
        }
    }
    None
}

fn public_reason(cond: Option<&Cond>, matchers: &[RouteMatcher], path: &str) -> Option<String> {
    let cond = cond?;
    let mut names = Vec::new();
    positive_matchers(cond, &mut names);
    for name in names {
        if name.to_ascii_lowercase().contains("public")
            && matchers
                .iter()
                .any(|m| m.name == name && m.matches(path) == Some(true))
        {
            return Some(format!("matched by the middleware's public list `{name}`"));
        }
    }
    None
}

/// A condition with a role test the analyzer cannot evaluate (`Unknown`, possibly negated):
/// the test, and the condition with that test taken as true.
fn role_condition(cond: &Cond) -> Option<(String, Cond)> {
    let is_role = |c: &Cond| match c {
        Cond::Unknown { text } => crate::facts::authz::is_role_test(text).then(|| text.clone()),
        Cond::Not { inner } => match inner.as_ref() {
            Cond::Unknown { text } => crate::facts::authz::is_role_test(text).then(|| text.clone()),
            _ => None,
        },
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

fn negated_matchers(cond: &Cond) -> Vec<String> {
    let mut out = Vec::new();
    match cond {
        Cond::Not { inner } => {
            if let Cond::Matcher { name } = inner.as_ref() {
                out.push(name.clone());
            }
        }
        Cond::And { all } => {
            for c in all {
                out.extend(negated_matchers(c));
            }
        }
        _ => {}
    }
    out
}

fn positive_matchers(cond: &Cond, out: &mut Vec<String>) {
    match cond {
        Cond::Matcher { name } => out.push(name.clone()),
        Cond::And { all } => all.iter().for_each(|c| positive_matchers(c, out)),
        Cond::Or { any } => any.iter().for_each(|c| positive_matchers(c, out)),
        _ => {}
    }
}

/// Three-valued evaluation of a condition for a signed-out request.
fn eval(
    cond: Option<&Cond>,
    matchers: &[RouteMatcher],
    path: &str,
    is_public: Option<bool>,
) -> Option<bool> {
    let Some(cond) = cond else {
        return Some(true);
    };
    match cond {
        Cond::Matcher { name } => matchers.iter().find(|m| &m.name == name)?.matches(path),
        Cond::PathPrefix { prefix } => Some(path.starts_with(prefix.as_str())),
        Cond::PathEq { path: p } => Some(path == p),
        Cond::SignedOut => Some(true),
        Cond::SignedIn => Some(false),
        Cond::PublicRoute => is_public,
        Cond::Not { inner } => eval(Some(inner), matchers, path, is_public).map(|b| !b),
        Cond::And { all } => {
            let mut unknown = false;
            for c in all {
                match eval(Some(c), matchers, path, is_public) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        Cond::Or { any } => {
            let mut unknown = false;
            for c in any {
                match eval(Some(c), matchers, path, is_public) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            if unknown { None } else { Some(false) }
        }
        Cond::Unknown { .. } => None,
    }
}

fn describe(cond: Option<&Cond>) -> String {
    match cond {
        None => "always".into(),
        Some(Cond::Unknown { text }) => format!("`{text}`"),
        Some(Cond::Matcher { name }) => format!("`{name}(req)`"),
        Some(Cond::Not { inner }) => format!("not {}", describe(Some(inner))),
        Some(Cond::And { all }) => all
            .iter()
            .map(|c| describe(Some(c)))
            .collect::<Vec<_>>()
            .join(" and "),
        Some(Cond::Or { any }) => any
            .iter()
            .map(|c| describe(Some(c)))
            .collect::<Vec<_>>()
            .join(" or "),
        Some(other) => format!("{other:?}"),
    }
}

/// Compile a pattern list with Clerk's `createRouteMatcher` semantics.
pub fn compile_route_matcher(
    name: &str,
    list: &PatternList,
    resolve_ref: &dyn Fn(&str) -> Option<PatternList>,
) -> RouteMatcher {
    let mut patterns = Vec::new();
    let mut sources = Vec::new();
    let mut unresolved = Vec::new();
    let mut stack: Vec<PatternItem> = list.items.iter().rev().cloned().collect();
    let mut expanded = 0;
    while let Some(item) = stack.pop() {
        match item {
            PatternItem::Str { value, .. } | PatternItem::Object { source: value, .. } => {
                match PathPattern::clerk_route(&value) {
                    Ok(p) => patterns.push(p),
                    Err(e) => unresolved.push(format!("{value} ({})", e.message)),
                }
                sources.push(value);
            }
            PatternItem::Regex { pattern, flags, .. } => {
                match PathPattern::from_js_regex(&pattern, &flags) {
                    Ok(p) => patterns.push(p),
                    Err(e) => unresolved.push(format!("/{pattern}/ ({})", e.message)),
                }
                sources.push(format!("/{pattern}/{flags}"));
            }
            PatternItem::Reference { name, .. } => {
                expanded += 1;
                match (expanded < 32).then(|| resolve_ref(&name)).flatten() {
                    Some(l) => stack.extend(l.items.into_iter().rev()),
                    None => unresolved.push(name),
                }
            }
            PatternItem::Dynamic { .. } => unresolved.push("a computed value".into()),
        }
    }
    RouteMatcher {
        name: name.to_string(),
        patterns,
        sources,
        unresolved,
    }
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
                    app.next
                        .as_ref()
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

pub fn behaviour_of(
    kind: Option<&MiddlewareKind>,
    clerk_import: &dyn Fn(&str) -> Option<String>,
    matcher_for: &dyn Fn(&str) -> Option<RouteMatcher>,
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
        }) => {
            let Some(resolved) = clerk_import(callee) else {
                return (
                    Behaviour::NotClerk {
                        what: format!("`{callee}` is not imported from `@clerk/nextjs`"),
                    },
                    Some(*span),
                    None,
                    false,
                );
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
                    for op in ops {
                        if let Op::Protect { when: Some(c), .. } | Op::Exit { when: Some(c), .. } =
                            op
                        {
                            collect_matchers(c, &mut names);
                        }
                    }
                    names.sort();
                    names.dedup();
                    let matchers: Vec<RouteMatcher> =
                        names.iter().filter_map(|n| matcher_for(n)).collect();
                    let deny_list = ops.iter().any(|op| matches!(op, Op::Protect { when: Some(Cond::Matcher { .. }), .. }))
                        || ops.iter().any(|op| matches!(op, Op::Protect { when: Some(Cond::And { all }), .. } if all.iter().any(|c| matches!(c, Cond::Matcher { .. }))));
                    (
                        Behaviour::ClerkProgram {
                            ops: ops.clone(),
                            matchers,
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
            ignored_routes,
            after_auth,
        }) => {
            match clerk_import(callee).as_deref() {
                None => {
                    return (
                        Behaviour::NotClerk {
                            what: format!("`{callee}` is not imported from `@clerk/nextjs`"),
                        },
                        Some(*span),
                        None,
                        false,
                    );
                }
                // `clerkMiddleware` re-exported as `authMiddleware`, called with options only.
                Some("clerkMiddleware") => {
                    return (Behaviour::ClerkNoCallback, Some(*span), None, false);
                }
                Some(_) => {}
            }
            let compile = |name: &str, l: &Option<PatternList>| {
                l.as_ref().map(|l| {
                    compile_route_matcher(name, l, &|n| {
                        matcher_for(n).map(|m| PatternList {
                            items: m
                                .sources
                                .into_iter()
                                .map(|s| PatternItem::Str {
                                    value: s,
                                    span: Span::new(0, 0),
                                })
                                .collect(),
                            span: Span::new(0, 0),
                        })
                    })
                })
            };
            (
                Behaviour::AuthMiddleware {
                    public: compile("publicRoutes", public_routes),
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

fn collect_matchers(c: &Cond, out: &mut Vec<String>) {
    match c {
        Cond::Matcher { name } => out.push(name.clone()),
        Cond::Not { inner } => collect_matchers(inner, out),
        Cond::And { all } => all.iter().for_each(|x| collect_matchers(x, out)),
        Cond::Or { any } => any.iter().for_each(|x| collect_matchers(x, out)),
        _ => {}
    }
}
