use std::collections::BTreeMap;

use crate::declare_rule;
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;
use crate::project::advisories::installed;
use crate::project::apps::{Framework, Installed, Version};
use crate::project::frameworks::express;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds `requireAuth()` of `@clerk/express` guarding Express routes — in a route's own
    /// chain (`app.get('/x', requireAuth(), handler)`), in `router.use(requireAuth())`, or in
    /// a mount (`app.use('/api', requireAuth(), router)`), also when it is bound to a name in
    /// another module first (`export const clerkAuth = requireAuth()`). One finding per
    /// registration that puts it in front of routes, naming the routes it guards.
    ///
    /// ## Why is this bad?
    /// `requireAuth()` answers a signed-out request with a redirect to the sign-in URL
    /// (`signInUrl`, `CLERK_SIGN_IN_URL`, or `/`), never with 401: an API client gets a 302 to
    /// an HTML page (which `fetch` follows and then fails to parse) instead of a status it can
    /// act on. The SDK marks it deprecated and logs on every request: "Use
    /// `clerkMiddleware()` with `getAuth()` instead. `requireAuth` will be removed in the next
    /// major version." The routes stay protected today; the next major upgrade removes the
    /// export.
    ///
    /// Versions matter (`packages/express/CHANGELOG.md`): `requireAuth()` answered 401 before
    /// 1.1.0 (#4234 made it redirect), so an app on a known older release is not reported; it
    /// is deprecated from 2.1.0 (#8241), and the message says so only for such a release.
    ///
    /// ## Example
    /// ```ts
    /// import express from 'express'
    /// import { requireAuth } from '@clerk/express'
    ///
    /// const app = express()
    /// app.get('/api/orders', requireAuth(), async (req, res) => {
    ///   res.json(await db.orders())
    /// })
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// import express from 'express'
    /// import { clerkMiddleware, getAuth } from '@clerk/express'
    ///
    /// const app = express()
    /// app.use(clerkMiddleware())
    ///
    /// function signedIn(req, res, next) {
    ///   if (!getAuth(req).userId) return res.status(401).json({ error: 'unauthorized' })
    ///   next()
    /// }
    ///
    /// app.get('/api/orders', signedIn, async (req, res) => {
    ///   res.json(await db.orders())
    /// })
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/express/overview
    /// - https://github.com/clerk/javascript/blob/main/packages/express/src/requireAuth.ts
    pub struct ExpressRequireAuthDeprecated {
        id: "express-require-auth-deprecated",
        group: Group::Middleware,
        severity: Severity::Warning,
        summary: "Express routes guarded by the deprecated `requireAuth()`, which redirects instead of answering 401",
        keywords: &[],
    }
}

/// `requireAuth()` redirects a signed-out request from this release on (#4234; 401 before).
const REDIRECTS_FROM: Version = Version::new(1, 1, 0);
/// `requireAuth()` is deprecated from this release on (#8241).
const DEPRECATED_FROM: Version = Version::new(2, 1, 0);

/// Whether the installed version is known: read from a lockfile, or pinned by `package.json`
/// (`"1.0.2"`, not a range).
fn pinned(v: &Installed) -> bool {
    v.exact
        || v.range
            .as_deref()
            .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

impl Rule for ExpressRequireAuthDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for (i, app) in project.apps.iter().enumerate() {
            if !app.uses_clerk || !app.has(Framework::Express) {
                continue;
            }
            let sdk = installed(app, "@clerk/express");
            // Before 1.1.0 `requireAuth()` answered 401 (it redirects since #4234).
            if sdk.is_some_and(|v| pinned(v) && v.version < REDIRECTS_FROM) {
                continue;
            }
            let deprecation = match sdk {
                Some(v) if v.version >= DEPRECATED_FROM => {
                    format!("`@clerk/express` {} deprecates it", v.version)
                }
                _ => "`@clerk/express` deprecates it from 2.1.0 on".to_string(),
            };
            // The registrations that put `requireAuth()` in front of routes, with those routes.
            let mut sites: BTreeMap<(usize, usize, usize), (String, Vec<String>)> = BTreeMap::new();
            for r in express::report(project, i).routes {
                let Some((name, file, span)) = r.require_auth else {
                    continue;
                };
                let url = r.urls.first().cloned().unwrap_or_else(|| "/".into());
                sites
                    .entry((file, span.start, span.end))
                    .or_insert_with(|| (name, Vec::new()))
                    .1
                    .push(format!("`{} {url}`", r.method));
            }
            for ((file, start, end), (name, routes)) in sites {
                let shown: Vec<&str> = routes.iter().take(3).map(String::as_str).collect();
                let more = routes.len().saturating_sub(shown.len());
                let list = if more > 0 {
                    format!("{} and {more} more", shown.join(", "))
                } else {
                    shown.join(", ")
                };
                let via = if name == "`requireAuth()`" {
                    String::new()
                } else {
                    format!(" (as {name})")
                };
                let rel = project.files[file].rel.to_string();
                out.push(
                    Finding::new(Self::META.id, Self::META.severity, rel)
                        .at(Span::new(start, end))
                        .message(format!(
                            "`requireAuth()`{via} guards {} Express route{} ({list}): it redirects a signed-out request to the sign-in page instead of answering 401, and {deprecation}",
                            routes.len(),
                            if routes.len() == 1 { "" } else { "s" },
                        ))
                        .help("register `clerkMiddleware()` once and reject in a middleware that returns 401 when `getAuth(req).userId` is null")
                        .label("redirects instead of 401")
                        .anchor(format!("requireAuth {name}")),
                );
            }
        }
    }
}
