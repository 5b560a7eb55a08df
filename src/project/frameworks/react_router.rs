//! The React Router adapter (also Remix v2): every route module's `loader` and `action`
//! export is an entry (see `project::frameworks`). Routes come from `app/routes.ts`
//! (`route()`, `index()`, `layout()`, `prefix()`, `flatRoutes()`) or, without a config (Remix
//! v2), from the flat-routes convention of `app/routes/`; the root module `app/root.*` serves
//! every URL. `clientLoader`/`clientAction` run in the browser and are not entries.
//!
//! What runs before a loader: the `middleware` exports of the root and of the route's parents
//! (React Router middleware, on v8 or with the `v8_middleware` future flag), each judged with
//! the one function summary; Clerk's own `clerkMiddleware()` only reads the session. A parent
//! route's *loader* is not in the chain: loaders run in parallel, and a client can ask for one
//! route's data alone, so a redirect in a layout loader protects only that loader.

use std::collections::BTreeMap;

use super::app_files;
use crate::facts::code::Binding;
use crate::facts::frameworks::react_router::{Facts, MiddlewareItem, RouteNode};
use crate::project::Project;
use crate::project::apps::App;
use crate::project::guards::{Analyzer, Target};
use crate::project::routes::{Entry, EntryKind};
use crate::source::{file_name, join_rel};

/// Route modules one app yields at most.
const MAX_MODULES: usize = 4096;
/// How deeply route configs nest.
const MAX_NESTING: usize = 32;

const EXTS: &[&str] = &["tsx", "ts", "jsx", "js", "mjs", "mts"];

/// One route module: its file, URL, and the modules it nests in (root first).
#[derive(Clone, Debug)]
struct Module {
    file: String,
    url: String,
    parents: Vec<String>,
}

/// The app directory (`app`, or `appDirectory` of `react-router.config.*`), relative.
pub fn app_dir(project: &Project, app_index: usize, app: &App) -> String {
    let configured = app_files(project, app_index)
        .filter(|(_, f)| file_name(&f.rel).starts_with("react-router.config."))
        .find_map(|(_, f)| rr_facts(f).and_then(|x| x.app_directory.clone()));
    let dir = configured.unwrap_or_else(|| "app".into());
    join_rel(
        &app.root,
        dir.trim_start_matches("./").trim_end_matches('/'),
    )
}

fn rr_facts(f: &crate::facts::FileFacts) -> Option<&Facts> {
    f.code()?.frameworks.react_router.as_deref()
}

/// The module file of `dir/stem.<ext>` that exists.
fn module_file(project: &Project, dir: &str, stem: &str) -> Option<String> {
    EXTS.iter()
        .map(|e| join_rel(dir, &format!("{stem}.{e}")))
        .find(|p| project.file_index(p).is_some())
}

/// The root module (`app/root.tsx`).
pub fn root_module(project: &Project, app_index: usize, app: &App) -> Option<String> {
    module_file(project, &app_dir(project, app_index, app), "root")
}

pub fn collect(project: &Project, app_index: usize, app: &App) -> Vec<Entry> {
    let dir = app_dir(project, app_index, app);
    let root = module_file(project, &dir, "root");
    let mut modules: Vec<Module> = Vec::new();
    if let Some(r) = &root {
        modules.push(Module {
            file: r.clone(),
            url: "/".into(),
            parents: Vec::new(),
        });
    }
    let base_parents: Vec<String> = root.iter().cloned().collect();
    let config = module_file(project, &dir, "routes")
        .and_then(|p| project.file_index(&p))
        .and_then(|i| rr_facts(&project.files[i]))
        .and_then(|f| f.routes.clone());
    match config {
        Some(nodes) => walk_config(
            project,
            app_index,
            &dir,
            &nodes,
            "",
            &base_parents,
            0,
            &mut modules,
        ),
        // Remix v2 (and a React Router app without a config): `app/routes/`.
        None => flat_routes(
            project,
            app_index,
            &dir,
            "routes",
            &[],
            Convention::Flat,
            "",
            &base_parents,
            &mut modules,
        ),
    }
    let middleware_on = middleware_enabled(project, app_index, app);
    let an = Analyzer::new(project);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in &modules {
        // A module mounted twice keeps its first URL.
        if !seen.insert(m.file.clone()) {
            continue;
        }
        let Some(fi) = project.file_index(&m.file) else {
            continue;
        };
        let Some(code) = project.files[fi].code() else {
            continue;
        };
        let chain: Vec<Target> = if middleware_on {
            m.parents
                .iter()
                .chain(std::iter::once(&m.file))
                .filter_map(|p| project.file_index(p))
                .flat_map(|pi| middleware_targets(&an, project, pi))
                .collect()
        } else {
            Vec::new()
        };
        for (symbol, kind) in [("loader", EntryKind::Loader), ("action", EntryKind::Action)] {
            let Some(export) = code.export(symbol) else {
                continue;
            };
            let mut e = Entry::new(
                app_index,
                kind,
                m.file.clone(),
                Some(m.url.clone()),
                symbol.into(),
                export.span,
            );
            e.chain = chain.clone();
            out.push(e);
        }
    }
    out
}

/// The functions a module's `middleware` export lists (Clerk's own `clerkMiddleware()` reads
/// the session without rejecting anyone, so it is left out).
fn middleware_targets(an: &Analyzer<'_>, project: &Project, file: usize) -> Vec<Target> {
    let Some(mw) = rr_facts(&project.files[file]).and_then(|f| f.middleware.clone()) else {
        return Vec::new();
    };
    mw.items
        .iter()
        .filter_map(|it| match it {
            MiddlewareItem::Function { index } => Some(Target::Function((file, *index))),
            MiddlewareItem::Name { name } => {
                an.binding_target(file, &Binding::Identifier { name: name.clone() }, 0)
            }
            MiddlewareItem::Clerk { .. } | MiddlewareItem::Other => None,
        })
        .collect()
}

/// Whether route middleware runs: React Router 8, or the `v8_middleware` /
/// `unstable_middleware` future flag.
pub fn middleware_enabled(project: &Project, app_index: usize, app: &App) -> bool {
    let flag = app_files(project, app_index)
        .filter(|(_, f)| file_name(&f.rel).starts_with("react-router.config."))
        .find_map(|(_, f)| rr_facts(f).and_then(|x| x.middleware_flag));
    let major = app
        .clerk_packages()
        .get("react-router")
        .map(|i| i.version.major);
    flag == Some(true) || major.is_some_and(|m| m >= 8)
}

fn join_url(base: &str, path: &str) -> String {
    let path = path.trim_matches('/');
    if path.is_empty() {
        return if base.is_empty() {
            "/".into()
        } else {
            base.to_string()
        };
    }
    format!("{}/{}", base.trim_end_matches('/'), path)
}

#[allow(clippy::too_many_arguments)]
fn walk_config(
    project: &Project,
    app_index: usize,
    dir: &str,
    nodes: &[RouteNode],
    base: &str,
    parents: &[String],
    depth: usize,
    out: &mut Vec<Module>,
) {
    if depth > MAX_NESTING {
        return;
    }
    for n in nodes {
        if out.len() >= MAX_MODULES {
            return;
        }
        match n {
            RouteNode::Route {
                path,
                file,
                children,
            } => {
                let url = join_url(base, path);
                let file = join_rel(dir, file.trim_start_matches("./"));
                out.push(Module {
                    file: file.clone(),
                    url: url.clone(),
                    parents: parents.to_vec(),
                });
                let mut p = parents.to_vec();
                p.push(file);
                walk_config(project, app_index, dir, children, &url, &p, depth + 1, out);
            }
            RouteNode::Index { file } => {
                let file = join_rel(dir, file.trim_start_matches("./"));
                out.push(Module {
                    file,
                    url: join_url(base, ""),
                    parents: parents.to_vec(),
                });
            }
            RouteNode::Layout { file, children } => {
                let file = join_rel(dir, file.trim_start_matches("./"));
                out.push(Module {
                    file: file.clone(),
                    url: join_url(base, ""),
                    parents: parents.to_vec(),
                });
                let mut p = parents.to_vec();
                p.push(file);
                walk_config(project, app_index, dir, children, base, &p, depth + 1, out);
            }
            RouteNode::Prefix { path, children } => {
                let url = join_url(base, path);
                walk_config(
                    project,
                    app_index,
                    dir,
                    children,
                    &url,
                    parents,
                    depth + 1,
                    out,
                );
            }
            RouteNode::Flat {
                root_directory,
                ignored,
                hybrid,
            } => {
                let rd = root_directory.as_deref().unwrap_or("routes");
                let convention = if *hybrid {
                    Convention::Hybrid
                } else {
                    Convention::Flat
                };
                flat_routes(
                    project, app_index, dir, rd, ignored, convention, base, parents, out,
                );
            }
            RouteNode::Unknown { .. } => {}
        }
    }
}

/// How the files of a routes directory name their routes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Convention {
    /// React Router's `flatRoutes()` and Remix v2's: flat files, and folders with a `route.*`
    /// or `index.*` module.
    Flat,
    /// remix-flat-routes' hybrid routes: a folder named `x+` is flattened into the names of
    /// what it holds (`_app+/about.tsx` is `_app.about`), a folder holding `route.*`,
    /// `index.*` or `_layout.*` is one route, and a last segment `_layout` is the layout of
    /// the segments before it (`_app+/_layout.tsx` is `_app`).
    Hybrid,
}

/// A module's route id under remix-flat-routes' hybrid convention (see `Convention::Hybrid`),
/// or `None` for a file that is no route (a module colocated in a route's folder).
fn hybrid_id(inner: &str, stem: &str) -> Option<String> {
    let segs: Vec<&str> = inner.split('/').collect();
    let (last_dirs, _) = segs.split_at(segs.len() - 1);
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = last_dirs;
    while let [first, tail @ ..] = rest {
        match first.strip_suffix('+') {
            Some(flat) => parts.push(flat),
            None => break,
        }
        rest = tail;
    }
    match rest {
        [] => parts.push(stem),
        [folder] if matches!(stem, "route" | "index" | "_layout" | "_route") => parts.push(folder),
        _ => return None,
    }
    if parts.len() > 1 && parts.last() == Some(&"_layout") {
        parts.pop();
    }
    let id = parts.join(".");
    (!id.is_empty()).then_some(id)
}

/// The route id and module file of every route in `dir/routes_dir`.
fn flat_modules(
    project: &Project,
    app_index: usize,
    routes_dir: &str,
    ignored: &[String],
    convention: Convention,
) -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    let prefix = format!("{routes_dir}/");
    for (_, f) in app_files(project, app_index) {
        let Some(inner) = f.rel.strip_prefix(&prefix) else {
            continue;
        };
        let name = file_name(inner);
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        if !EXTS.contains(&ext) || name.starts_with('.') || is_ignored(inner, ignored) {
            continue;
        }
        if convention == Convention::Hybrid {
            if let Some(id) = hybrid_id(inner, stem) {
                // A folder's `route.*` wins over its other route files.
                let e = ids.entry(id).or_insert_with(|| f.rel.to_string());
                if stem == "route" {
                    *e = f.rel.to_string();
                }
            }
            if ids.len() >= MAX_MODULES {
                break;
            }
            continue;
        }
        match inner.split_once('/') {
            None => {
                ids.entry(stem.to_string())
                    .or_insert_with(|| f.rel.to_string());
            }
            Some((folder, rest)) if !rest.contains('/') && matches!(stem, "route" | "index") => {
                // `route.*` wins over `index.*`.
                let e = ids
                    .entry(folder.to_string())
                    .or_insert_with(|| f.rel.to_string());
                if stem == "route" {
                    *e = f.rel.to_string();
                }
            }
            _ => {}
        }
        if ids.len() >= MAX_MODULES {
            break;
        }
    }
    ids
}

/// `ignoredRouteFiles` globs: `**/.*`, `*.css`, `**/*.test.tsx`, a plain name.
fn is_ignored(inner: &str, ignored: &[String]) -> bool {
    ignored.iter().any(|g| {
        let g = g.trim_start_matches("**/");
        let name = file_name(inner);
        match g.strip_prefix('*') {
            Some(suffix) => name.ends_with(suffix) || inner.ends_with(suffix),
            None => match g.strip_suffix('*') {
                Some(pre) => name.starts_with(pre),
                None => name == g || inner == g,
            },
        }
    })
}

/// The URL of a flat route id (`_auth.users.$id_.edit` → `/users/:id/edit`).
pub fn flat_url(id: &str) -> String {
    let mut url = String::new();
    for raw in raw_segments(id) {
        let seg = raw.text.as_str();
        if !raw.escaped && seg == "_index" {
            continue;
        }
        if !raw.escaped && seg.starts_with('_') {
            continue;
        }
        let seg = if !raw.escaped {
            seg.strip_suffix('_').unwrap_or(seg)
        } else {
            seg
        };
        let seg = if raw.escaped {
            seg.to_string()
        } else if seg == "$" {
            "*".to_string()
        } else if let Some(inner) = seg.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            match inner.strip_prefix('$') {
                Some(p) => format!(":{p}?"),
                None => format!("{inner}?"),
            }
        } else if let Some(p) = seg.strip_prefix('$') {
            format!(":{p}")
        } else {
            seg.to_string()
        };
        if seg.is_empty() {
            continue;
        }
        url.push('/');
        url.push_str(&seg);
    }
    if url.is_empty() { "/".into() } else { url }
}

struct RawSeg {
    text: String,
    /// The whole segment was in brackets (`[_index]`): literal.
    escaped: bool,
}

fn raw_segments(id: &str) -> Vec<RawSeg> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut all_escaped = true;
    let mut in_bracket = false;
    for c in id.chars() {
        match c {
            '[' if !in_bracket => in_bracket = true,
            ']' if in_bracket => in_bracket = false,
            '.' if !in_bracket => {
                out.push(RawSeg {
                    escaped: all_escaped && !cur.is_empty(),
                    text: std::mem::take(&mut cur),
                });
                all_escaped = true;
            }
            _ => {
                if !in_bracket {
                    all_escaped = false;
                }
                cur.push(c);
            }
        }
    }
    out.push(RawSeg {
        escaped: all_escaped && !cur.is_empty(),
        text: cur,
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn flat_routes(
    project: &Project,
    app_index: usize,
    dir: &str,
    routes_dir: &str,
    ignored: &[String],
    convention: Convention,
    base: &str,
    parents: &[String],
    out: &mut Vec<Module>,
) {
    let routes_dir = join_rel(
        dir,
        routes_dir.trim_start_matches("./").trim_end_matches('/'),
    );
    let ids = flat_modules(project, app_index, &routes_dir, ignored, convention);
    for (id, file) in &ids {
        if out.len() >= MAX_MODULES {
            return;
        }
        // Parents: the ids this one nests in (`a` and `a.b` for `a.b.c`).
        let mut p = parents.to_vec();
        let mut prefix = String::new();
        for (i, seg) in id.split('.').enumerate() {
            if i > 0 {
                if let Some(f) = ids.get(&prefix) {
                    p.push(f.clone());
                }
                prefix.push('.');
            }
            prefix.push_str(seg);
        }
        let url = join_url(base, &flat_url(id));
        out.push(Module {
            file: file.clone(),
            url,
            parents: p,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::flat_url;

    #[test]
    fn hybrid_route_ids() {
        use super::hybrid_id;
        assert_eq!(
            hybrid_id("_app+/_layout/route.tsx", "route").as_deref(),
            Some("_app")
        );
        assert_eq!(
            hybrid_id("_app+/_layout.tsx", "_layout").as_deref(),
            Some("_app")
        );
        assert_eq!(
            hybrid_id("_app+/$podcast.feed._index/route.tsx", "route").as_deref(),
            Some("_app.$podcast.feed._index")
        );
        assert_eq!(
            hybrid_id("_app+/about.tsx", "about").as_deref(),
            Some("_app.about")
        );
        assert_eq!(
            hybrid_id("auth.webhook.clerk/route.ts", "route").as_deref(),
            Some("auth.webhook.clerk")
        );
        assert_eq!(hybrid_id("login.tsx", "login").as_deref(), Some("login"));
        // Modules colocated in a route's folder are no routes.
        assert_eq!(
            hybrid_id(
                "_app+/$podcast.feed.selector/queries.server.ts",
                "queries.server"
            ),
            None
        );
        assert_eq!(hybrid_id("a/b/route.tsx", "route"), None);
    }

    #[test]
    fn flat_route_urls() {
        assert_eq!(flat_url("_index"), "/");
        assert_eq!(flat_url("about"), "/about");
        assert_eq!(flat_url("concerts.trending"), "/concerts/trending");
        assert_eq!(flat_url("users.$userId"), "/users/:userId");
        assert_eq!(flat_url("_auth.login"), "/login");
        assert_eq!(flat_url("_ui._index"), "/");
        assert_eq!(flat_url("concerts_.mine"), "/concerts/mine");
        assert_eq!(flat_url("($lang).categories"), "/:lang?/categories");
        assert_eq!(flat_url("files.$"), "/files/*");
        assert_eq!(flat_url("sitemap[.]xml"), "/sitemap.xml");
        assert_eq!(flat_url("[_index]"), "/_index");
    }
}
