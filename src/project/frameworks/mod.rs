//! Framework adapters: the entry points of the frameworks beside Next.js in the one route
//! model. An adapter finds its framework's entries (URL, method, the handler, what runs before
//! it, the framework's own front door) from the per-file facts of `facts::frameworks`;
//! `routes::analyse` then judges every entry with the one function summary, so "does this
//! function verify the session" has one answer for every framework.

pub mod astro;
pub mod convex;
pub mod express;
pub mod fastify;
pub mod hono;
pub mod nuxt;
pub mod react_router;
pub mod tanstack;

use super::Project;
use super::apps::{App, Framework};
use super::middleware::{self, Matcher, MiddlewareModel};
use super::routes::Entry;
use crate::facts::FileFacts;
use crate::facts::code::CodeFacts;
use crate::facts::middleware::MiddlewareKind;

/// The entries of one app's non-Next.js frameworks (protection is filled in by
/// `routes::analyse`).
pub fn collect(project: &Project, app_index: usize, app: &App) -> Vec<Entry> {
    let mut out = Vec::new();
    if app.has(Framework::Express) {
        out.extend(express::collect(project, app_index, app));
    }
    if app.has(Framework::Fastify) {
        out.extend(fastify::collect(project, app_index, app));
    }
    if app.has(Framework::Hono) {
        out.extend(hono::collect(project, app_index, app));
    }
    if app.has(Framework::Convex) {
        out.extend(convex::collect(project, app_index, app));
    }
    if app.has(Framework::ReactRouter) || app.has(Framework::Remix) {
        out.extend(react_router::collect(project, app_index, app));
    }
    if app.has(Framework::Astro) {
        out.extend(astro::collect(project, app_index, app));
    }
    if app.has(Framework::Nuxt) {
        out.extend(nuxt::collect(project, app_index, app));
    }
    if app.has(Framework::TanStackStart) {
        out.extend(tanstack::collect(project, app_index, app));
    }
    out
}

/// The front door of an app whose framework has one besides Next.js's middleware (Astro's
/// `onRequest`, Nuxt's server middleware), as the one middleware model: what
/// `Project::middlewares` holds for a Next.js app.
pub fn front_door(project: &Project, app_index: usize) -> Option<MiddlewareModel> {
    let app = project.apps.get(app_index)?;
    let astro = || {
        app.has(Framework::Astro)
            .then(|| astro::front_door(project, app_index, app))
            .flatten()
    };
    let nuxt = || {
        app.has(Framework::Nuxt)
            .then(|| nuxt::front_door(project, app_index, app))
            .flatten()
    };
    astro().or_else(nuxt)
}

/// A mount prefix joined to a path as Express and Fastify join them: one slash between, none
/// at the end, `/` for nothing (`/api` + `/users` → `/api/users`, `/api` + `/` → `/api`).
pub(crate) fn join_path(prefix: &str, path: &str) -> String {
    let p = prefix.trim_end_matches('/');
    let s = path.trim_start_matches('/');
    let url = if s.is_empty() {
        p.to_string()
    } else {
        format!("{p}/{s}")
    };
    if url.is_empty() { "/".into() } else { url }
}

/// A URL path of segments below `prefix`: `/` before each segment, `/` for no path at all
/// (the last step of every file-based adapter's URL).
pub(crate) fn segments_url<'s>(
    prefix: &str,
    segments: impl IntoIterator<Item = &'s str>,
) -> String {
    let mut url = prefix.to_string();
    for seg in segments {
        url.push('/');
        url.push_str(seg);
    }
    if url.is_empty() { "/".into() } else { url }
}

/// The URL of a file below a file-routed folder (`inner` is the path below it), as Astro's
/// `src/pages` and Nuxt's `server/api`/`server/routes` read it: every folder is a segment as
/// written (`[id]`, `[...slug]` kept), then the file name without its extension
/// (`rss.xml.ts` → `rss.xml`) and without what `suffix` takes off it (Nuxt's method suffix
/// `.get`); a file named `index` adds no segment. Below `prefix`; `/` when nothing is left.
pub(crate) fn file_route_url<'a>(
    prefix: &str,
    inner: &'a str,
    suffix: impl FnOnce(&'a str) -> &'a str,
) -> String {
    let (dirs, file) = match inner.rsplit_once('/') {
        Some((dirs, file)) => (Some(dirs), file),
        None => (None, inner),
    };
    let stem = suffix(file.rsplit_once('.').map_or(file, |(s, _)| s));
    let folders = dirs.into_iter().flat_map(|d| d.split('/'));
    segments_url(prefix, folders.chain((stem != "index").then_some(stem)))
}

/// A framework's own middleware (Astro's `onRequest`, a Nuxt server middleware's default
/// export: `kind`, of the file `file_idx` whose code facts are `code`) as the one middleware
/// model: judged with
/// `middleware::behaviour_of`, where only a `clerkMiddleware` imported from a `package` module
/// is Clerk's. It runs on every request (these frameworks have no matcher config) and names
/// no `auth` middleware calls, stamped headers or server actions.
pub(crate) fn every_request_model(
    project: &Project,
    app_index: usize,
    file_idx: usize,
    code: &CodeFacts,
    kind: Option<&MiddlewareKind>,
    package: &str,
) -> MiddlewareModel {
    let clerk_import = |local: &str| {
        let imp = code.imports.get(local)?;
        (imp.source.starts_with(package) && imp.imported == "clerkMiddleware")
            .then(|| imp.imported.clone())
    };
    let matcher_for = |name: &str| project.route_matcher(file_idx, name, 0);
    let (behaviour, span, auth_middleware, deny_list) =
        // Only @clerk/nextjs v6+ is known to make the middleware's `auth.protect()` async.
        middleware::behaviour_of(kind, &clerk_import, &matcher_for, &|| false);
    MiddlewareModel {
        app: app_index,
        file: project.files[file_idx].rel.to_string(),
        not_loaded: None,
        matcher: Matcher::All { non_literal: None },
        behaviour,
        span,
        auth_middleware,
        deny_list,
        auth_middleware_calls: Vec::new(),
        stamped_headers: Vec::new(),
        actions: Err(String::new()),
    }
}

/// The files of one app (its own, not a nested app's) that its adapter reads registrations and
/// pages from, with their index in `Project::files`: not build output, not test files (a test
/// registers routes on an instance of its own, never served).
pub fn app_files(project: &Project, app_index: usize) -> impl Iterator<Item = (usize, &FileFacts)> {
    project
        .files_of_app(app_index)
        .filter(|(_, f)| !f.origin.build_output && !crate::source::is_test_file(&f.rel))
}

#[cfg(test)]
mod join_tests {
    use super::join_path;

    #[test]
    fn joins_prefixes() {
        for (p, s, want) in [
            ("", "/", "/"),
            ("", "", "/"),
            ("", "/users", "/users"),
            ("", "users", "/users"),
            ("/api", "/", "/api"),
            ("/api/", "/users", "/api/users"),
            ("/api", "users/:id", "/api/users/:id"),
        ] {
            assert_eq!(join_path(p, s), want, "{p} + {s}");
        }
    }
}
