use crate::declare_rule;
use crate::facts::code::SessionCall;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::matcher::sample_paths;
use crate::project::middleware::Matcher;
use crate::project::routes::{EntryKind, Protection, PublicBy};
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a middleware whose `config.matcher` skips routes that exist — typically every
    /// `/api` route, when the matcher lacks `'/(api|trpc)(.*)'` — and names them. Route
    /// handlers and API routes are listed when skipped; pages only when they call Clerk's
    /// server helpers. Webhooks that verify their signature and routes declared public in
    /// `clerk-guard.toml` are not counted.
    ///
    /// ## Why is this bad?
    /// On a path the middleware does not run on, `auth()`/`currentUser()`/`getAuth()` throw
    /// (Clerk cannot see its middleware), and any protection the middleware callback was meant
    /// to give does not happen: handlers that rely on it are open.
    ///
    /// ## Example
    /// ```ts
    /// export const config = { matcher: ['/((?!.+\\.[\\w]+$|_next).*)', '/'] } // no /api
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
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/nextjs/clerk-middleware
    /// - https://nextjs.org/docs/app/api-reference/file-conventions/proxy#matcher
    pub struct MiddlewareMatcherGap {
        id: "middleware-matcher-gap",
        group: Group::Middleware,
        severity: Severity::Error,
        summary: "The middleware's config.matcher skips routes that exist",
        keywords: &[],
    }
}

impl Rule for MiddlewareMatcherGap {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for m in &project.middlewares {
            if !m.loaded() || !project.apps[m.app].uses_clerk {
                continue;
            }
            let Matcher::Literal { span, .. } = &m.matcher else {
                continue;
            };
            let mut skipped: Vec<(String, Vec<String>)> = Vec::new();
            for e in project.entries.iter().filter(|e| e.app == m.app) {
                let Some(url) = &e.url else { continue };
                if e.protection.is_machine()
                    || matches!(
                        &e.protection,
                        Protection::DeclaredPublic(PublicBy::Config(_))
                    )
                {
                    continue;
                }
                if sample_paths(url).iter().all(|p| m.runs_on(p)) {
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
                    EntryKind::ServerAction => false,
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
                continue;
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
                Finding::new(Self::META.id, Self::META.severity, &m.file)
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
