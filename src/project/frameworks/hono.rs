//! Hono apps served by a Next.js route handler (`export const GET = handle(app)`, from
//! `hono/vercel` or the older `hono/nextjs`): the handler answers with whatever route of the
//! app matches, so it verifies the session for a method exactly when every route of the app
//! that answers that method does, in its handler or in what runs before it (the route's own
//! middleware, and the app's `use(…)` registered before it, of this app and of every app it is
//! mounted under with `route(prefix, app)`). Each function is judged by the one function
//! summary (`Analyzer::handler_protection`), as Express routes are.
//!
//! A Hono app that is its own server (an app of a project without Next.js: Cloudflare
//! Workers, `@hono/node-server`, Bun) gives an entry per route of each app no other app mounts,
//! judged like an Express route: its handler, then what runs before it.

use super::express::target;
use crate::facts::code::{Binding, CalleePath, CodeFacts};
use crate::facts::frameworks::hono::{Facts, Registration};
use crate::finding::Span;
use crate::project::Project;
use crate::project::guards::{Analyzer, Evidence, Target};
use crate::project::routes::{Entry, EntryKind};

/// How deep mounts and imports are followed.
const MAX_DEPTH: usize = 8;
/// Routes looked at per served app (a larger app is judged on its first ones).
const MAX_ROUTES: usize = 2000;

/// An app: (file index, local name; `default` for `export default new Hono()…`).
type App = (usize, String);

/// What a Next.js route handler serving a Hono app does for one method.
pub enum Verdict {
    /// Every route answering the method checks: the first route's evidence, whether it is a
    /// machine credential, and how many routes answer.
    Protected {
        evidence: Evidence,
        machine: bool,
        routes: usize,
    },
    /// This route answers the method and nothing before its handler, nor the handler, checks.
    Open {
        file: usize,
        span: Span,
        path: String,
    },
    /// No route answers the method (Hono answers 404), or the `inert` ones that do only
    /// answer (no work: a health check).
    NoRoute { inert: usize },
}

/// The Hono app a route handler's wrapper call serves: `handle(app)` with `handle` imported
/// from `hono/vercel` or `hono/nextjs`.
pub fn served_app(
    project: &Project,
    file: usize,
    callee: &CalleePath,
    args: &[Binding],
) -> Option<(usize, String)> {
    let code = project.files.get(file)?.code()?;
    let [name] = callee.as_slice() else {
        return None;
    };
    let imp = code.imports.get(name)?;
    if imp.imported != "handle" || !matches!(imp.source.as_str(), "hono/vercel" | "hono/nextjs") {
        return None;
    }
    let Some(Binding::Identifier { name }) = args.first() else {
        return None;
    };
    resolve_app(project, file, name, 0)
}

fn facts(project: &Project, file: usize) -> Option<&Facts> {
    project.files.get(file)?.code()?.frameworks.hono.as_deref()
}

/// The app a name of `file` stands for: an app the file creates, a local alias of one, or an
/// import of one (a named export, or the default export: a name or `new Hono()…` itself).
fn resolve_app(project: &Project, file: usize, name: &str, depth: usize) -> Option<App> {
    if depth > MAX_DEPTH {
        return None;
    }
    if facts(project, file).is_some_and(|f| f.apps.iter().any(|a| a == name)) {
        return Some((file, name.to_string()));
    }
    let code = project.files.get(file)?.code()?;
    if let Some(Binding::Identifier { name: other }) = code.bindings.get(name) {
        return resolve_app(project, file, other, depth + 1);
    }
    let imp = code.imports.get(name)?;
    let rel = project.resolve(&project.files[file].rel, &imp.source)?;
    let target = project.file_index(&rel)?;
    exported_app(project, target, &imp.imported, depth + 1)
}

/// The app module `file` exports as `export_name`.
fn exported_app(project: &Project, file: usize, export_name: &str, depth: usize) -> Option<App> {
    if depth > MAX_DEPTH {
        return None;
    }
    if export_name == "default"
        && facts(project, file).is_some_and(|f| f.apps.iter().any(|a| a == "default"))
    {
        return Some((file, "default".to_string()));
    }
    let code: &CodeFacts = project.files.get(file)?.code()?;
    let export = code.export(export_name)?;
    if let Some(from) = &export.from {
        let rel = project.resolve(&project.files[file].rel, from)?;
        let next = project.file_index(&rel)?;
        return exported_app(project, next, export_name, depth + 1);
    }
    match &export.target {
        Binding::Identifier { name } => resolve_app(project, file, name, depth + 1),
        _ => None,
    }
}

/// One route of an app: its registration, its URL (the mounts' prefixes and `basePath`s
/// joined with its path), and the middleware before its handler (outermost first).
struct Route<'p> {
    file: usize,
    reg: &'p Registration,
    url: String,
    chain: Vec<(usize, &'p Binding)>,
}

/// Every route of `app` and of the apps mounted on it, with what runs before each handler.
fn routes<'p>(
    project: &'p Project,
    app: &App,
    prefix: &str,
    before: &[(usize, &'p Binding)],
    depth: usize,
    out: &mut Vec<Route<'p>>,
) {
    if depth > MAX_DEPTH || out.len() >= MAX_ROUTES {
        return;
    }
    let (file, name) = app;
    let Some(f) = facts(project, *file) else {
        return;
    };
    let mut chain: Vec<(usize, &'p Binding)> = before.to_vec();
    let mut prefix = prefix.to_string();
    for reg in f.registrations.iter().filter(|r| &r.receiver == name) {
        match reg.method.as_str() {
            "basePath" => {
                if let Some(p) = &reg.path {
                    prefix = super::join_path(&prefix, p);
                }
            }
            // Middleware for every path runs before the routes registered after it.
            "use" => {
                if matches!(reg.path.as_deref(), None | Some("*" | "/*")) {
                    chain.extend(reg.args.iter().map(|b| (*file, b)));
                }
            }
            "route" => {
                if let Some(Binding::Identifier { name: sub }) = reg.args.last()
                    && let Some(sub) = resolve_app(project, *file, sub, 0)
                    && sub != *app
                {
                    let at = super::join_path(&prefix, reg.path.as_deref().unwrap_or("/"));
                    routes(project, &sub, &at, &chain, depth + 1, out);
                }
            }
            _ => {
                let mut own = chain.clone();
                if let Some((_, mw)) = reg.args.split_last() {
                    own.extend(mw.iter().map(|b| (*file, b)));
                }
                out.push(Route {
                    file: *file,
                    reg,
                    url: super::join_path(&prefix, reg.path.as_deref().unwrap_or("/")),
                    chain: own,
                });
            }
        }
    }
}

/// Whether the Hono app verifies the session for every route that answers `method` (`GET`).
pub fn verdict(project: &Project, an: &mut Analyzer<'_>, app: &App, method: &str) -> Verdict {
    let mut all = Vec::new();
    routes(project, app, "", &[], 0, &mut all);
    let m = method.to_ascii_lowercase();
    let answering: Vec<&Route<'_>> = all
        .iter()
        .filter(|r| r.reg.method == m || r.reg.method == "all")
        .collect();
    let mut first: Option<(Evidence, bool)> = None;
    let mut served = 0;
    // The target of a registration argument (the route's handler last), resolved once.
    let resolve = |an: &Analyzer<'_>, (f, b): (usize, &Binding)| {
        let code = project.files.get(f)?.code()?;
        target(an, code, f, b)
    };
    for r in &answering {
        let Some(handler) = r.reg.args.last() else {
            continue;
        };
        let handler = resolve(an, (r.file, handler));
        // A route that only answers (`c.json({ status: 'ok' })`, a health check) does no
        // work a check could guard: it neither protects nor opens the method.
        if handler.as_ref().is_some_and(|t| is_inert(project, t)) {
            continue;
        }
        served += 1;
        let before: Vec<Target> = r.chain.iter().filter_map(|&arg| resolve(an, arg)).collect();
        let found = before.into_iter().chain(handler).find_map(|t| {
            let c = an.handler_protection(&t, 0);
            match (c.auth, c.machine) {
                (Some(e), _) => Some((*e, false)),
                (None, Some(e)) => Some((*e, true)),
                (None, None) => None,
            }
        });
        match found {
            Some(e) => {
                if first.is_none() {
                    first = Some(e);
                }
            }
            None => {
                return Verdict::Open {
                    file: r.file,
                    span: r.reg.span,
                    path: r.url.clone(),
                };
            }
        }
    }
    match first {
        Some((evidence, machine)) => Verdict::Protected {
            evidence,
            machine,
            routes: served,
        },
        None => Verdict::NoRoute {
            inert: answering.len(),
        },
    }
}

/// Whether a route's handler is a function of the project that does no work (it only builds a
/// response from constants and the request).
fn is_inert(project: &Project, handler: &Target) -> bool {
    let Target::Function((f, i)) = handler else {
        return false;
    };
    project
        .files
        .get(*f)
        .and_then(|x| x.code())
        .and_then(|c| c.function(*i))
        .is_some_and(|func| !func.does_work && !func.reads_module_data)
}

/// The entries of the Hono apps of an app without Next.js (whose route handlers serving an
/// app are judged above): a route per registration of every app no other app mounts.
pub fn collect(project: &Project, app_index: usize, app: &crate::project::apps::App) -> Vec<Entry> {
    use crate::project::apps::Framework;
    if app.has(Framework::Next) {
        return Vec::new();
    }
    // Only modules that import `hono` can create an app (their imports are known unparsed).
    let files: Vec<usize> = super::app_files(project, app_index)
        .filter(|(_, f)| f.imports().iter().any(|i| i.source == "hono"))
        .map(|(i, _)| i)
        .collect();
    let apps: Vec<App> = files
        .iter()
        .filter_map(|&i| Some((i, facts(project, i)?)))
        .flat_map(|(i, f)| f.apps.iter().map(move |a| (i, a.clone())))
        .collect();
    // The apps another app mounts are reached through it.
    let mounted: Vec<App> = files
        .iter()
        .filter_map(|&i| Some((i, facts(project, i)?)))
        .flat_map(|(i, f)| {
            f.registrations
                .iter()
                .filter(|r| r.method == "route")
                .filter_map(move |r| match r.args.last() {
                    Some(Binding::Identifier { name }) => resolve_app(project, i, name, 0),
                    _ => None,
                })
        })
        .collect();
    let an = Analyzer::new(project);
    let mut out: Vec<Entry> = Vec::new();
    let mut seen: std::collections::HashSet<(usize, String, String)> = Default::default();
    for root in apps.iter().filter(|a| !mounted.contains(a)) {
        let mut all = Vec::new();
        routes(project, root, "", &[], 0, &mut all);
        for r in all {
            let Some((handler, _)) = r.reg.args.split_last() else {
                continue;
            };
            let method = r.reg.method.to_ascii_uppercase();
            let rel = project.files[r.file].rel.to_string();
            // The first registration of a method and URL in a file answers (one entry).
            if !seen.insert((r.file, method.clone(), r.url.clone())) {
                continue;
            }
            let Some(code) = project.files[r.file].code() else {
                continue;
            };
            let mut e = Entry::new(
                app_index,
                EntryKind::HonoRoute,
                rel,
                Some(r.url.clone()),
                method,
                r.reg.span,
            );
            e.target = target(&an, code, r.file, handler);
            e.chain = r
                .chain
                .iter()
                .filter_map(|(f, b)| {
                    let c = project.files.get(*f)?.code()?;
                    target(&an, c, *f, b)
                })
                .collect();
            out.push(e);
        }
    }
    out
}
