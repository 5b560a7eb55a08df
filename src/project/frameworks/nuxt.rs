//! The Nuxt adapter: its entries in the one route model (see `project::frameworks`).
//!
//! - Handlers: the default export of each file under `server/api` (URL `/api/…`) and
//!   `server/routes` (URL from the root), kind `nuxt-handler`; a method suffix
//!   (`users.get.ts`) restricts the method, otherwise the handler answers every method
//!   (`ALL`). `[id]` and `[...slug]` segments are kept and `index` dropped.
//! - The handler is the function given to `defineEventHandler`/`eventHandler` (judged with the
//!   one function summary: `event.context.auth()` is a Clerk session source).
//! - The front door is a `server/middleware/*` file whose default export is Clerk's
//!   `clerkMiddleware(handler)` (judged with the one middleware model; it runs on every
//!   request). `@clerk/nuxt` registers a `clerkMiddleware()` without a handler itself (unless
//!   `skipServerMiddleware`), which authenticates but protects nothing.

use std::collections::HashMap;

use crate::facts::code::Binding;
use crate::facts::frameworks::nuxt::{
    is_page_path, is_route_middleware_path, route_middleware_name, server_dir,
};
use crate::facts::gates::Fetch;
use crate::finding::Span;
use crate::project::Project;
use crate::project::apps::{App, Framework};
use crate::project::guards::Target;
use crate::project::middleware::{self, MiddlewareModel, Verdict};
use crate::project::page_access::{OpenEndpoint, endpoint_for};
use crate::project::routes::{Entry, EntryKind, HTTP_METHODS};

pub fn collect(project: &Project, app_index: usize, app: &App) -> Vec<Entry> {
    let front = front_door(project, app_index, app);
    let mut out = Vec::new();
    for (file_idx, f) in super::app_files(project, app_index) {
        let Some(dir) = server_dir(&f.rel) else {
            continue;
        };
        if dir == "middleware" {
            continue;
        }
        let prefix = app.path(&format!("server/{dir}"));
        let Some(inner) = f.rel.strip_prefix(&format!("{prefix}/")) else {
            continue;
        };
        let Some((url, method)) = handler_url(dir, inner) else {
            continue;
        };
        let Some(code) = f.code() else { continue };
        let Some(export) = code.export("default") else {
            continue;
        };
        let mut e = Entry::new(
            app_index,
            EntryKind::NuxtHandler,
            f.rel.to_string(),
            Some(url.clone()),
            method,
            export.span,
        );
        e.target = handler_target(file_idx, code, &export.target);
        match &front {
            Some(m) => e.front = Some(verdict(m, &url)),
            None => {
                e.front_note =
                    Some("and no `server/middleware` `clerkMiddleware(handler)` protects it".into())
            }
        }
        out.push(e);
    }
    out
}

/// The handler function a default export serves: the function given to
/// `defineEventHandler(fn)`, or the export itself.
fn handler_target(
    file: usize,
    code: &crate::facts::code::CodeFacts,
    b: &Binding,
) -> Option<Target> {
    let mut b = b;
    for _ in 0..8 {
        match b {
            Binding::Function { index } => return Some(Target::Function((file, *index))),
            Binding::Identifier { name } => match code.bindings.get(name) {
                Some(next) => b = next,
                None => return None,
            },
            Binding::Call { callee, args, .. } => {
                let last = callee.last().map(String::as_str).unwrap_or("");
                if matches!(
                    last,
                    "defineEventHandler"
                        | "eventHandler"
                        | "defineCachedEventHandler"
                        | "cachedEventHandler"
                ) && let Some(first) = args.first()
                {
                    b = first;
                    continue;
                }
                return Some(Target::Call {
                    file,
                    callee: callee.clone(),
                    args: args.clone(),
                });
            }
            _ => return None,
        }
    }
    None
}

/// The URL and method of a file below `server/api` or `server/routes` (`inner` is the path
/// below it: the shared file-route reading, `super::file_route_url`, below `/api` for
/// `server/api`), where a method suffix of the file name restricts the method:
/// `users/[id].get.ts` → (`/api/users/[id]`, `GET`); without one, `ALL`.
pub fn handler_url(dir: &str, inner: &str) -> Option<(String, String)> {
    let prefix = if dir == "api" { "/api" } else { "" };
    let mut method = "ALL".to_string();
    let url = super::file_route_url(prefix, inner, |stem| match stem.rsplit_once('.') {
        Some((s, m)) if HTTP_METHODS.contains(&m.to_ascii_uppercase().as_str()) => {
            method = m.to_ascii_uppercase();
            s
        }
        _ => stem,
    });
    Some((url, method))
}

impl Project {
    /// The `server/utils` module whose export `name` Nuxt auto-imports into the server file
    /// `file` (Nitro makes every export of `server/utils` available to server handlers
    /// without an import), when `file` is server code of a Nuxt app.
    pub fn nuxt_server_util(&self, file: usize, name: &str) -> Option<usize> {
        let app = self.file_app_of(file)?;
        let a = self.apps.get(app)?;
        if !a.frameworks.contains(&Framework::Nuxt)
            || !self.files[file]
                .rel
                .starts_with(&format!("{}/", a.path("server")))
        {
            return None;
        }
        let index = self.nuxt_utils.get_or_init(|| {
            let mut index = HashMap::new();
            for (ai, a) in self.apps.iter().enumerate() {
                if !a.frameworks.contains(&Framework::Nuxt) {
                    continue;
                }
                let dir = format!("{}/", a.path("server/utils"));
                for (i, f) in super::app_files(self, ai) {
                    if !f.rel.starts_with(&dir) || f.kind.lang().is_none() {
                        continue;
                    }
                    let Some(code) = f.code() else { continue };
                    for e in &code.exports {
                        if e.name != "default" {
                            // The first module in path order wins, as files are sorted.
                            index.entry((ai, e.name.clone())).or_insert(i);
                        }
                    }
                }
            }
            index
        });
        index.get(&(app, name.to_string())).copied()
    }
}

/// A Nuxt page guarded only in the browser whose data comes from endpoints the server does
/// not protect (`client-only-auth`).
#[derive(Clone, Debug)]
pub struct ClientOnlyPage {
    pub app: usize,
    /// The page file (index into `Project::files`).
    pub page: usize,
    pub url: String,
    /// What guards it, for messages.
    pub guard: String,
    /// Where: the file and span of the session read or the `definePageMeta` item.
    pub guard_at: (usize, Span),
    /// Where the page requests the first open endpoint: the request, or the call of the
    /// composable or imported function that makes it.
    pub request_at: Span,
    pub open_endpoints: Vec<OpenEndpoint>,
}

/// A route middleware of an app: its file, name, whether it is global, and its session read.
struct RouteMiddleware {
    file: usize,
    name: String,
    global: bool,
    session_read: Option<Span>,
    /// The `createRouteMatcher` list the middleware tests `to` with, if any.
    scope: Option<Scope>,
}

/// Which routes a global route middleware guards: those its `createRouteMatcher` list
/// matches, or (when the test is negated, `!isPublicRoute(to)`) those it does not.
struct Scope {
    patterns: Vec<crate::project::matcher::PathPattern>,
    negated: bool,
}

impl Scope {
    /// `None` when some pattern could not be read (then the middleware counts as a guard).
    fn of(text: &str, code: &crate::facts::code::CodeFacts) -> Option<Scope> {
        use crate::facts::code::PatternItem;
        let mut names: Vec<&String> = code.route_matchers.keys().collect();
        names.sort();
        let name = names
            .into_iter()
            .find(|n| text.contains(&format!("{n}(")))?;
        let list = &code.route_matchers[name];
        let mut patterns = Vec::new();
        for item in &list.items {
            let PatternItem::Str { value, .. } = item else {
                return None;
            };
            patterns.push(crate::project::matcher::PathPattern::clerk_route(value).ok()?);
        }
        Some(Scope {
            patterns,
            negated: text.contains(&format!("!{name}(")),
        })
    }

    fn guards(&self, url: &str) -> bool {
        let samples = crate::project::matcher::sample_paths(url);
        let matched = self
            .patterns
            .iter()
            .any(|p| samples.iter().any(|s| p.is_match(s)));
        matched != self.negated
    }
}

/// Every Nuxt page whose only guard runs in the browser (a route middleware or the page's
/// own `useAuth()`: Nuxt runs both on the client for every client-side navigation, and they
/// protect no request to the server) and that requests an endpoint of its app that the
/// route model reports unprotected.
pub fn client_only_pages(p: &Project) -> Vec<ClientOnlyPage> {
    let mut out = Vec::new();
    for (ai, app) in p.apps.iter().enumerate() {
        if !app.uses_clerk || !app.frameworks.contains(&Framework::Nuxt) {
            continue;
        }
        let mut route_mw: Vec<RouteMiddleware> = super::app_files(p, ai)
            .filter(|(_, f)| is_route_middleware_path(&f.rel))
            .map(|(i, f)| {
                let (name, global) = route_middleware_name(&f.rel);
                let code = f.code();
                RouteMiddleware {
                    file: i,
                    name: name.to_string(),
                    global,
                    session_read: code
                        .and_then(|c| c.frameworks.nuxt.as_deref())
                        .and_then(|n| n.session_read),
                    scope: code
                        .filter(|c| global && !c.route_matchers.is_empty())
                        .and_then(|c| Scope::of(&f.text(), c)),
                }
            })
            .collect();
        route_mw.sort_by(|a, b| p.files[a.file].rel.cmp(&p.files[b.file].rel));
        // Requests made by functions of the folders Nuxt auto-imports into components.
        let auto_dirs: Vec<String> = ["composables", "utils", "app/composables", "app/utils"]
            .iter()
            .map(|d| format!("{}/", app.path(d)))
            .collect();
        let helpers: Vec<(usize, &Fetch)> = super::app_files(p, ai)
            .filter(|(_, f)| auto_dirs.iter().any(|d| f.rel.starts_with(d.as_str())))
            .filter(|(_, f)| may_request(f))
            .filter_map(|(i, f)| Some((i, f.gates()?)))
            .flat_map(|(i, g)| {
                g.fetches
                    .iter()
                    .filter(|r| r.function.is_some())
                    .map(move |r| (i, r))
            })
            .collect();
        // Components Nuxt auto-imports by their path (`components/dialogs/Form.vue` is
        // `<DialogsForm>`), with the names a template may use.
        let component_dirs = [
            format!("{}/", app.path("components")),
            format!("{}/", app.path("app/components")),
        ];
        let components: Vec<(usize, Vec<String>)> = super::app_files(p, ai)
            .filter(|(_, f)| f.rel.ends_with(".vue"))
            .filter_map(|(i, f)| {
                let inner = component_dirs
                    .iter()
                    .find_map(|d| f.rel.strip_prefix(d.as_str()))?;
                Some((i, component_tags(inner)))
            })
            .collect();
        let pages_dirs = [
            format!("{}/", app.path("pages")),
            format!("{}/", app.path("app/pages")),
        ];
        for (i, f) in super::app_files(p, ai) {
            if !is_page_path(&f.rel) {
                continue;
            }
            let Some(inner) = pages_dirs
                .iter()
                .find_map(|d| f.rel.strip_prefix(d.as_str()))
            else {
                continue;
            };

            let url = page_url(inner);
            let Some(guard) = page_guard(p, i, &url, &route_mw) else {
                continue;
            };
            let requests = page_requests(p, i, &helpers, &components);
            let mut open: Vec<OpenEndpoint> = Vec::new();
            let mut request_at = None;
            for (file, fetch, at) in requests {
                let Some(entry) = endpoint_for(p, ai, fetch) else {
                    continue;
                };
                if p.entries[entry].protection.is_unprotected()
                    && !open
                        .iter()
                        .any(|o| o.entry == entry && o.fetch.path == fetch.path)
                {
                    request_at = request_at.or(Some(at));
                    open.push(OpenEndpoint {
                        file,
                        fetch: fetch.clone(),
                        entry,
                    });
                }
            }
            let Some(request_at) = request_at else {
                continue;
            };
            out.push(ClientOnlyPage {
                app: ai,
                page: i,
                url,
                guard: guard.0,
                guard_at: guard.1,
                request_at,
                open_endpoints: open,
            });
        }
    }
    out
}

/// How deep a page is followed into the components its template renders.
const COMPONENT_DEPTH: usize = 2;

/// The requests of a page, of the components its template renders ([`COMPONENT_DEPTH`]
/// levels) and of the functions they call, each with where the page leads to it (the
/// request, the call of the function, or the component's tag).
fn page_requests<'a>(
    p: &'a Project,
    page: usize,
    helpers: &[(usize, &'a Fetch)],
    components: &[(usize, Vec<String>)],
) -> Vec<(usize, &'a Fetch, Span)> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::from([page]);
    let mut queue = std::collections::VecDeque::from([(page, 0usize, None::<Span>)]);
    while let Some((m, depth, at)) = queue.pop_front() {
        let f = &p.files[m];
        if let Some(g) = f.gates() {
            out.extend(g.fetches.iter().map(|r| (m, r, at.unwrap_or(r.span))));
        }
        let text = f.text();
        let script = crate::source::script_view(&f.rel, &text);
        for (h, r) in helper_requests(p, m, helpers) {
            let at = at.or_else(|| {
                let n = r.function.as_deref()?;
                let i = crate::project::page_access::find_word(&script, n)?;
                Some(Span::new(i, i + n.len()))
            });
            out.push((h, r, at.unwrap_or(r.span)));
        }
        if depth >= COMPONENT_DEPTH {
            continue;
        }
        for (c, tags) in components {
            if seen.contains(c) {
                continue;
            }
            if let Some(tag) = find_tag(&text, tags) {
                seen.insert(*c);
                queue.push_back((*c, depth + 1, at.or(Some(tag))));
            }
        }
    }
    out
}

/// The tag names a template may render a component by: `components/dialogs/job-form.vue` is
/// `DialogsJobForm` or `dialogs-job-form` (also with `Lazy`/`lazy-`); an `index.vue` takes its
/// folder's name; a file name that repeats its folder's (`base/BaseButton.vue`) is not doubled.
pub fn component_tags(inner: &str) -> Vec<String> {
    let inner = inner.strip_suffix(".vue").unwrap_or(inner);
    let mut segs: Vec<&str> = inner.split('/').filter(|s| !s.is_empty()).collect();
    if segs.len() > 1 && segs.last() == Some(&"index") {
        segs.pop();
    }
    let mut words: Vec<String> = Vec::new();
    for seg in segs {
        let seg_words = split_words(seg);
        // Drop the longest tail of what we have that the segment starts with.
        let overlap = (1..=words.len().min(seg_words.len()))
            .rev()
            .find(|&k| words[words.len() - k..] == seg_words[..k])
            .unwrap_or(0);
        words.extend(seg_words.into_iter().skip(overlap));
    }
    if words.is_empty() {
        return Vec::new();
    }
    let pascal: String = words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    let kebab = words.join("-");
    vec![
        pascal.clone(),
        format!("Lazy{pascal}"),
        kebab.clone(),
        format!("lazy-{kebab}"),
    ]
}

/// The lowercase words of a name: `JobForm`, `job-form`, `job_form` → `job`, `form`.
fn split_words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if ch == '-' || ch == '_' || ch == '.' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        cur.push(ch.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Where a template first opens a tag of one of these names (`<Name`, then a blank, `/` or
/// `>`).
fn find_tag(text: &str, names: &[String]) -> Option<Span> {
    let bytes = text.as_bytes();
    names.iter().find_map(|n| {
        text.match_indices(n.as_str()).find_map(|(i, _)| {
            let end = i + n.len();
            (i > 0
                && bytes[i - 1] == b'<'
                && bytes
                    .get(end)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>'))
            .then(|| Span::new(i, end))
        })
    })
}

/// Words one of which a module must contain to send a request.
const REQUEST_WORDS: &[&str] = &["fetch", ".get(", ".post(", ".put(", ".patch(", ".delete("];

/// Whether a module may send a request (`useFetch`/`useLazyFetch` are not prefilter words:
/// their text is read, for the few modules of the auto-import folders and the page's imports).
fn may_request(f: &crate::facts::FileFacts) -> bool {
    f.hits.any(REQUEST_WORDS) || f.text().contains("Fetch(")
}

/// Requests a page makes through functions it calls: an auto-imported composable or util
/// (named in the page), or a function it imports from a project module.
fn helper_requests<'a>(
    p: &'a Project,
    page: usize,
    auto: &[(usize, &'a Fetch)],
) -> Vec<(usize, &'a Fetch)> {
    let text = p.files[page].text();
    let mut out: Vec<(usize, &Fetch)> = auto
        .iter()
        .filter(|(file, r)| {
            *file != page
                && r.function
                    .as_deref()
                    .is_some_and(|n| crate::project::page_access::contains_word(&text, n))
        })
        .copied()
        .collect();
    let Some(code) = p.files[page].code() else {
        return out;
    };
    let rel = &p.files[page].rel;
    let mut locals: Vec<&String> = code.imports.keys().collect();
    locals.sort();
    for local in locals {
        let Some((target_rel, exported)) = p.resolve_binding(rel, local) else {
            continue;
        };
        let Some(t) = p.file_index(&target_rel) else {
            continue;
        };
        if t == page || !may_request(&p.files[t]) {
            continue;
        }
        let Some(g) = p.files[t].gates() else {
            continue;
        };
        for r in &g.fetches {
            if r.function.as_deref() == Some(exported.as_str())
                && !out.iter().any(|(f, o)| *f == t && std::ptr::eq(*o, r))
            {
                out.push((t, r));
            }
        }
    }
    out
}

/// The browser-side guard of a page: a route middleware it names (or an inline one) that
/// reads the session, its own `useAuth()`, or a global route middleware that does.
fn page_guard(
    p: &Project,
    page: usize,
    url: &str,
    route_mw: &[RouteMiddleware],
) -> Option<(String, (usize, Span))> {
    let facts = p.files[page].code()?.frameworks.nuxt.as_deref();
    let named = |m: &RouteMiddleware| {
        (
            format!(
                "the route middleware `{}` (`{}`) reads the session with `useAuth()`",
                m.name, p.files[m.file].rel
            ),
            (m.file, m.session_read.unwrap_or(Span::new(0, 0))),
        )
    };
    if let Some(facts) = facts {
        for pm in &facts.page_middleware {
            match &pm.name {
                Some(name) => {
                    if let Some(m) = route_mw
                        .iter()
                        .find(|m| &m.name == name && !m.global && m.session_read.is_some())
                    {
                        return Some(named(m));
                    }
                }
                None if pm.reads_session => {
                    return Some((
                        "an inline route middleware of `definePageMeta` reads the session".into(),
                        (page, pm.span),
                    ));
                }
                None => {}
            }
        }
        if let Some(s) = facts.session_read {
            return Some((
                "the page reads the session with `useAuth()`".into(),
                (page, s),
            ));
        }
    }
    route_mw
        .iter()
        .find(|m| {
            m.global && m.session_read.is_some() && m.scope.as_ref().is_none_or(|s| s.guards(url))
        })
        .map(|m| {
            let (what, at) = named(m);
            (
                what.replacen("the route middleware", "the global route middleware", 1),
                at,
            )
        })
}

/// The URL of a page below `pages/` (`orders/[id].vue` → `/orders/[id]`): unlike the
/// file-route reading of server handlers, only `.vue` is taken off, and every `index`
/// segment (and every empty one) is dropped, a folder's as well as the file's.
pub fn page_url(inner: &str) -> String {
    let inner = inner.strip_suffix(".vue").unwrap_or(inner);
    super::segments_url(
        "",
        inner.split('/').filter(|s| !s.is_empty() && *s != "index"),
    )
}

/// The app's Clerk server middleware (a `server/middleware` file exporting
/// `clerkMiddleware(handler)`) as the one middleware model.
pub(super) fn front_door(
    project: &Project,
    app_index: usize,
    app: &App,
) -> Option<MiddlewareModel> {
    let dir = format!("{}/", app.path("server/middleware"));
    let mut candidates: Vec<(usize, &crate::facts::FileFacts)> =
        super::app_files(project, app_index)
            .filter(|(_, f)| f.rel.starts_with(&dir))
            .collect();
    candidates.sort_by(|a, b| a.1.rel.cmp(&b.1.rel));
    for (file_idx, f) in candidates {
        let Some(code) = f.code() else { continue };
        let Some(kind) = code
            .frameworks
            .nuxt
            .as_deref()
            .and_then(|n| n.middleware.as_ref())
        else {
            continue;
        };
        let model = super::every_request_model(
            project,
            app_index,
            file_idx,
            code,
            Some(kind),
            "@clerk/nuxt",
        );
        if !matches!(model.behaviour, middleware::Behaviour::NotClerk { .. }) {
            return Some(model);
        }
    }
    None
}

/// The middleware's verdict for every sample path of a URL pattern (the worst one).
pub(crate) fn verdict(m: &MiddlewareModel, url: &str) -> Verdict {
    crate::project::routes::worst_verdict(m, url)
}

#[cfg(test)]
mod tests {
    use super::{component_tags, handler_url, page_url};

    #[test]
    fn component_names() {
        assert_eq!(
            component_tags("dialogs/devfolio/job-details.vue"),
            [
                "DialogsDevfolioJobDetails",
                "LazyDialogsDevfolioJobDetails",
                "dialogs-devfolio-job-details",
                "lazy-dialogs-devfolio-job-details"
            ]
        );
        assert_eq!(component_tags("devfolio/index.vue")[0], "Devfolio");
        assert_eq!(component_tags("base/BaseButton.vue")[0], "BaseButton");
        assert_eq!(component_tags("dashboard.vue")[2], "dashboard");
    }

    #[test]
    fn page_urls() {
        assert_eq!(page_url("index.vue"), "/");
        assert_eq!(page_url("orders/index.vue"), "/orders");
        assert_eq!(page_url("orders/[id].vue"), "/orders/[id]");
        assert_eq!(page_url("[...slug].vue"), "/[...slug]");
    }

    #[test]
    fn urls() {
        let u = |d, i| handler_url(d, i).unwrap();
        assert_eq!(
            u("api", "users/[id].get.ts"),
            ("/api/users/[id]".into(), "GET".into())
        );
        assert_eq!(
            u("api", "user/page/index.post.ts"),
            ("/api/user/page".into(), "POST".into())
        );
        assert_eq!(u("api", "auth.ts"), ("/api/auth".into(), "ALL".into()));
        assert_eq!(
            u("routes", "feed.xml.ts"),
            ("/feed.xml".into(), "ALL".into())
        );
        assert_eq!(u("routes", "index.ts"), ("/".into(), "ALL".into()));
    }
}
