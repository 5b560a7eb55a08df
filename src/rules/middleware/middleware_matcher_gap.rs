use crate::declare_rule;
use crate::facts::code::SessionCall;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::matcher::{pattern_words, sample_paths_with};
use crate::project::middleware::{Matcher, MiddlewareModel, RouteMatcher, Verdict};
use crate::project::routes::{Entry, EntryKind, Protection, PublicBy};
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports route patterns of the middleware that leave routes it should cover open:
    ///
    /// - a `config.matcher` that skips routes that exist — typically every `/api` route, when
    ///   the matcher lacks `'/(api|trpc)(.*)'` — naming them. Route handlers and API routes
    ///   are listed when skipped; pages only when they call Clerk's server helpers. Webhooks
    ///   that verify their signature and routes declared public in `clerk-guard.toml` are not
    ///   counted;
    /// - a **public catch-all**: a public pattern (`createRouteMatcher` public list,
    ///   `publicRoutes`) that opens a whole tree (`'/api(.*)'`, `'/api/:path*'`) over a
    ///   handler that has no check of its own, or a public list built from the request
    ///   (`createRouteMatcher([req.nextUrl.pathname])`), which matches every path. Such a
    ///   pattern is not a declaration of each handler under it: those handlers are judged on
    ///   their own code. A pattern that names the path (`'/api/webhooks/clerk'`, or
    ///   `'/api/public(.*)'` for `/api/public` itself) stays a declaration;
    /// - a public pattern that **matches more than it names**: `'/public(.*)'` also matches
    ///   `/publicadmin`, because Clerk's patterns have no segment boundary after the prefix;
    /// - a protect pattern (`if (isProtectedRoute(req)) await auth.protect()`) that **matches
    ///   no route of the app because it names a route-group folder** (`'/(protected)(.*)'`).
    ///   Path-to-regexp's own groups are not folder names: `'/(en|fr)/dashboard(.*)'` is an
    ///   alternation that matches `app/[locale]/dashboard` at `/en/dashboard` (a route's
    ///   dynamic segment may take a value the pattern names), and `(.*)` a wildcard. Another
    ///   pattern that matches nothing is a dead entry (a page not written yet), and so is a
    ///   pattern of a public list: it leaves nothing open and is not reported;
    /// - an `ignoredRoutes` entry of `authMiddleware` over a handler without its own check.
    ///
    /// Each finding names the exact pattern and an example URL. Wrapper middleware
    /// (`export default (req, ev) => clerkMiddleware(cb)(req, ev)`, `chain([withClerk])`) and
    /// CommonJS middleware (`module.exports = clerkMiddleware(…)`, `module.exports.config`)
    /// are read like the direct form.
    ///
    /// ## Why is this bad?
    /// On a path the middleware does not run on, `auth()`/`currentUser()`/`getAuth()` throw
    /// (Clerk cannot see its middleware), and any protection the middleware callback was meant
    /// to give does not happen: handlers that rely on it are open. A public pattern wider than
    /// meant opens its neighbours the same way, and a protect pattern that matches nothing
    /// protects nothing.
    ///
    /// Facts relied on (`clerk/javascript`, `packages/nextjs/src/server/routeMatcher.ts`,
    /// `@clerk/shared` `pathMatcher`): `createRouteMatcher` compiles each string with
    /// path-to-regexp (case-insensitive, anchored), so `/x(.*)` matches `/xyz`; Clerk's docs
    /// moved to `/x/:path*` in 7.5.13 for that reason, and `createRouteMatcher` is deprecated
    /// since 7.5.14. Route groups `(name)` never appear in URLs. `authMiddleware` does not run
    /// at all on `ignoredRoutes`.
    ///
    /// ## Example
    /// ```ts
    /// export const config = { matcher: ['/((?!.+\\.[\\w]+$|_next).*)', '/'] } // no /api
    /// const isPublicRoute = createRouteMatcher(['/', '/api(.*)']) // opens every API route
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// export const config = {
    ///   matcher: [
    ///     '/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)',
    ///     '/(api|trpc)(.*)',
    ///   ],
    /// }
    /// const isPublicRoute = createRouteMatcher(['/', '/api/webhooks/clerk', '/sign-in/:path*'])
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/nextjs/clerk-middleware
    /// - https://nextjs.org/docs/app/api-reference/file-conventions/proxy#matcher
    /// - https://nextjs.org/docs/app/building-your-application/routing/route-groups
    pub struct MiddlewareMatcherGap {
        id: "middleware-matcher-gap",
        group: Group::Middleware,
        severity: Severity::Error,
        summary: "The middleware's matcher or route patterns leave existing routes open",
        keywords: &[],
    }
}

impl Rule for MiddlewareMatcherGap {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fixes(&self, cx: &crate::fix::FixCx, f: &Finding) -> Vec<crate::fix::Fix> {
        crate::fix::edit::add_api_matcher(cx, f)
            .into_iter()
            .collect()
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for m in &project.middlewares {
            if !m.loaded() || !project.apps[m.app].uses_clerk {
                continue;
            }
            config_gap(project, m, out);
            pattern_findings(project, m, out);
        }
    }
}

/// `config.matcher` skips routes that exist.
fn config_gap(project: &Project, m: &MiddlewareModel, out: &mut Vec<Finding>) {
    {
        {
            let Matcher::Literal { span, .. } = &m.matcher else {
                return;
            };
            let mut skipped: Vec<(String, Vec<String>)> = Vec::new();
            for e in project.entries.iter().filter(|e| e.app == m.app) {
                let (Some(url), Some(samples)) = (&e.url, e.samples()) else {
                    continue;
                };
                if e.protection.is_machine()
                    || matches!(
                        &e.protection,
                        Protection::DeclaredPublic(PublicBy::Config(_))
                    )
                {
                    continue;
                }
                if samples.iter().all(|p| m.runs_on(p)) {
                    continue;
                }
                // Pages count when they call Clerk's session APIs (those files are parsed
                // eagerly; a page that was not parsed makes no such call).
                let relevant = match e.kind {
                    EntryKind::RouteHandler | EntryKind::PagesApi => true,
                    EntryKind::Page => project
                        .file(&e.file)
                        .filter(|f| f.code_is_parsed())
                        .and_then(|f| f.code())
                        .is_some_and(|c| {
                            c.auth_calls.iter().any(|a| {
                                matches!(
                                    a.kind,
                                    SessionCall::Auth
                                        | SessionCall::CurrentUser
                                        | SessionCall::GetAuth
                                        | SessionCall::Protect
                                )
                            })
                        }),
                    // Next.js's middleware never runs for other frameworks' entries.
                    _ => false,
                };
                if !relevant {
                    continue;
                }
                let what = match e.kind {
                    EntryKind::RouteHandler => e.symbol.clone(),
                    EntryKind::PagesApi => "api".into(),
                    _ => "page".into(),
                };
                match skipped.iter_mut().find(|(u, _)| u == url) {
                    Some((_, w)) => w.push(what),
                    None => skipped.push((url.clone(), vec![what])),
                }
            }
            if skipped.is_empty() {
                return;
            }
            skipped.sort();
            let shown: Vec<String> = skipped
                .iter()
                .take(8)
                .map(|(u, w)| format!("`{u}` ({})", w.join(", ")))
                .collect();
            let more = if skipped.len() > 8 {
                format!(" and {} more", skipped.len() - 8)
            } else {
                String::new()
            };
            let api_missing = skipped.iter().any(|(u, _)| u.starts_with("/api"));
            out.push(
                Finding::new(MiddlewareMatcherGap::META.id, MiddlewareMatcherGap::META.severity, &m.file)
                    .at(*span)
                    .message(format!(
                        "`config.matcher` skips {} route(s) that exist: {}{more}; there `auth()` throws and the middleware protects nothing",
                        skipped.len(),
                        shown.join(", ")
                    ))
                    .help(if api_missing {
                        "add `'/(api|trpc)(.*)'` to the matcher, as in Clerk's recommended configuration"
                    } else {
                        "widen the matcher so that it runs on these routes"
                    })
                    .label(format!("skips {} route(s)", skipped.len()))
                    .anchor(format!("matcher gap {}", m.file)),
            );
        }
    }
}

/// A route-pattern finding, reported on the pattern itself when it is written down.
fn report(
    m: &MiddlewareModel,
    rm: &RouteMatcher,
    i: usize,
    message: String,
    help: &str,
    label: &str,
) -> Finding {
    let meta = &MiddlewareMatcherGap::META;
    let source = rm.pattern_sources.get(i).cloned().unwrap_or_default();
    let (path, span) = match rm.spans.get(i).copied().flatten() {
        Some(span) => (
            rm.file.clone().unwrap_or_else(|| m.file.clone()),
            Some(span),
        ),
        None => (m.file.clone(), m.span),
    };
    let mut f = Finding::new(meta.id, meta.severity, path);
    if let Some(span) = span {
        f = f.at(span);
    }
    f.message(message)
        .help(help)
        .label(label)
        .anchor(format!("pattern {} {source} {label}", rm.name))
}

fn is_handler(e: &Entry) -> bool {
    matches!(e.kind, EntryKind::RouteHandler | EntryKind::PagesApi)
}

fn what(e: &Entry) -> String {
    match e.kind {
        EntryKind::RouteHandler => e.symbol.clone(),
        EntryKind::PagesApi => "api".into(),
        _ => "page".into(),
    }
}

/// Public patterns that open a whole tree or more than they name, protect patterns that match
/// nothing, and `ignoredRoutes` over handlers without their own check.
fn pattern_findings(project: &Project, m: &MiddlewareModel, out: &mut Vec<Finding>) {
    let entries: Vec<(&Entry, &[String])> = project
        .entries
        .iter()
        .filter(|e| e.app == m.app)
        .filter_map(|e| e.samples().map(|s| (e, s)))
        .collect();
    let roles = m.route_matchers();
    for &(rm, protects) in &roles {
        if protects {
            // A list the callback also reads as its public list (`if (!isPublic(req))
            // protect` and, elsewhere, `if (!isPublic(req)) return rewrite`): a pattern of it
            // that matches nothing makes nothing public and is a dead entry.
            if !roles.iter().any(|(o, p)| !*p && std::ptr::eq(*o, rm)) {
                unmatched_protect_patterns(project, m, rm, &entries, out);
            }
            continue;
        }
        if let Some(span) = rm.from_request {
            let example = entries
                .iter()
                .find(|(e, _)| is_handler(e) && e.protection.is_unprotected())
                .or(entries.first())
                .and_then(|(e, _)| e.url.clone())
                .unwrap_or_else(|| "/".into());
            out.push(
                Finding::new(MiddlewareMatcherGap::META.id, MiddlewareMatcherGap::META.severity, &m.file)
                    .at(span)
                    .message(format!(
                        "the public list `{}` is built from the request's own path, so it matches every path (`{example}` too): the middleware protects nothing",
                        rm.name
                    ))
                    .help("list the public paths as constants: `createRouteMatcher(['/', '/sign-in/:path*'])`")
                    .label("matches every path")
                    .anchor(format!("request-built matcher {}", rm.name)),
            );
            continue;
        }
        for i in 0..rm.patterns.len() {
            let source = &rm.pattern_sources[i];
            // Over-broad: `/public(.*)` also matches `/publicadmin`.
            if let Some((e, s, prefix)) = entries.iter().find_map(|(e, samples)| {
                samples.iter().find_map(|s| {
                    let prefix = rm.overbroad_at(i, s)?;
                    (!matches!(m.verdict(s), Verdict::Protected(_))).then_some((e, s, prefix))
                })
            }) {
                out.push(report(
                    m,
                    rm,
                    i,
                    format!(
                        "the public pattern `{source}` also matches `{s}` ({} in `{}`), which is not under `{prefix}/`: the middleware lets it through",
                        what(e),
                        e.file
                    ),
                    &format!("write `{prefix}`, `{prefix}/:path*` (Clerk's recommended form) instead of a pattern with no `/` after the prefix"),
                    "matches more than it names",
                ));
                continue;
            }
            // A catch-all over handlers that have no check of their own.
            let open: Vec<(&Entry, &String)> = entries
                .iter()
                .filter(|(e, _)| is_handler(e) && e.protection.is_unprotected())
                .filter_map(|(e, samples)| {
                    samples
                        .iter()
                        .find(|s| {
                            rm.patterns[i].is_match(s)
                                && rm.catch_all_at(i, s)
                                && !rm.names(i, s)
                                && matches!(m.verdict(s), Verdict::Public { exact: false, .. })
                        })
                        .map(|s| (*e, s))
                })
                .collect();
            if let Some((e, s)) = open.first() {
                let more = if open.len() > 1 {
                    format!(" and {} more", open.len() - 1)
                } else {
                    String::new()
                };
                out.push(report(
                    m,
                    rm,
                    i,
                    format!(
                        "the public pattern `{source}` makes a whole tree public, including `{s}` ({} in `{}`){more}, which has no check of its own",
                        what(e),
                        e.file
                    ),
                    "list exact public paths (`/api/webhooks/clerk`), and check `auth()` in every handler under a public tree",
                    "public catch-all",
                ));
            }
        }
    }
    // `ignoredRoutes` of `authMiddleware`: the middleware does not run there at all.
    if let Some(rm) = m.ignored_routes() {
        for i in 0..rm.patterns.len() {
            let hit = entries.iter().find_map(|(e, samples)| {
                (is_handler(e) && e.protection.is_unprotected())
                    .then(|| samples.iter().find(|s| rm.patterns[i].is_match(s)))
                    .flatten()
                    .map(|s| (*e, s))
            });
            if let Some((e, s)) = hit {
                out.push(report(
                    m,
                    rm,
                    i,
                    format!(
                        "`ignoredRoutes` entry `{}` skips `{s}` ({} in `{}`), which has no check of its own",
                        rm.pattern_sources[i],
                        what(e),
                        e.file
                    ),
                    "check `auth()` in the handler, or remove the path from `ignoredRoutes`",
                    "ignored route without a check",
                ));
            }
        }
    }
}

/// A protect-list pattern naming a route group (`'/(protected)(.*)'`: a route group is not
/// part of the URL) that matches no route of the app protects nothing.
fn unmatched_protect_patterns(
    project: &Project,
    m: &MiddlewareModel,
    rm: &RouteMatcher,
    entries: &[(&Entry, &[String])],
    out: &mut Vec<Finding>,
) {
    if entries.is_empty() {
        return;
    }
    for i in 0..rm.patterns.len() {
        if !matches!(
            rm.patterns[i].kind(),
            crate::project::matcher::PatternKind::ClerkRoute
        ) {
            continue;
        }
        let source = &rm.pattern_sources[i];
        // A route's dynamic segments may take the words the pattern names: `/(en|id)/u/(.*)`
        // matches `app/[locale]/u/[handle]` at `/en/u/x2`.
        let words = pattern_words(source);
        if entries.iter().any(|(e, samples)| {
            samples.iter().any(|s| rm.patterns[i].is_match(s))
                || (!words.is_empty()
                    && e.url.as_deref().is_some_and(|url| {
                        sample_paths_with(url, &words)
                            .iter()
                            .any(|s| rm.patterns[i].is_match(s))
                    }))
        }) {
            continue;
        }
        // A route-group name in the pattern (`(name)`, a folder name): name a route inside
        // that group. Path-to-regexp's own groups are not folder names: an alternation
        // (`(en|id)`) or a wildcard (`(.*)`).
        let group = source
            .split('/')
            .filter_map(|seg| seg.strip_prefix('(')?.split(')').next())
            .find(|g| {
                !g.is_empty()
                    && g.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            })
            .map(|g| format!("({g})"));
        let example = group.as_ref().and_then(|g| {
            entries
                .iter()
                .find(|(e, _)| e.file.contains(&format!("/{g}/")))
                .map(|(e, _)| (e.url.clone().unwrap_or_default(), e.file.clone()))
        });
        let _ = project;
        // Without a route group, a pattern that matches nothing is a dead entry (a page not
        // written yet, a route removed): nothing is left open by it, and a route it was
        // meant for under another URL is reported where it is served unprotected.
        let Some(g) = &group else {
            continue;
        };
        let list = &rm.name;
        let (message, help) = match example {
            Some((url, file)) => (
                format!(
                    "the pattern `{source}` of the protect list `{list}` matches no route of the app: the route group `{g}` is not part of the URL, so `{url}` (`{file}`) is not protected by it"
                ),
                "match the URLs (`/dashboard/:path*`), not the folder names: route groups vanish from the URL",
            ),
            None => (
                format!(
                    "the pattern `{source}` of the protect list `{list}` matches no route of the app: the route group `{g}` is not part of the URL, so it protects nothing"
                ),
                "match the URLs the app serves (`/dashboard/:path*`); route groups `(name)` are not part of the URL",
            ),
        };
        out.push(report(m, rm, i, message, help, "matches no route"));
    }
}
