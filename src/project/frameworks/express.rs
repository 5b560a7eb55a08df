//! The Express adapter: its entries in the one route model (see `project::frameworks`).
//!
//! Every app (`express()`) and router (`express.Router()`) is an object named by (file, local
//! name); `use('/prefix', router)` mounts a router under a parent, across files through the
//! import resolver. A route's URL is its mounts' prefixes joined with its path; what runs
//! before its handler (its chain) is the route's own middleware, the path-less `use(…)`
//! registered before it on its router, and the same for each parent before the mount —
//! Express runs middleware in registration order. Protection is decided by `routes::analyse`
//! with the one function summary; `requireAuth()` of `@clerk/express` counts through
//! `guards::clerk_wrapper`.

use std::collections::HashSet;

use super::{app_files, join_path};
use crate::facts::code::{Binding, CodeFacts, SessionCall};
use crate::facts::frameworks::express::{Facts, Registration};
use crate::finding::Span;
use crate::project::Project;
use crate::project::apps::App;
use crate::project::guards::{Analyzer, Target};
use crate::project::routes::{Entry, EntryKind};

/// How deep mounts and imports are followed (routers nest a few levels in real apps).
const MAX_DEPTH: usize = 8;
/// URLs kept per route when a router is mounted in several places.
const MAX_PREFIXES: usize = 8;

/// An app or router: (file index, local name).
type Obj = (usize, String);

struct Model<'p> {
    project: &'p Project,
    files: Vec<(usize, &'p Facts)>,
}

/// One `use(prefix?, …, router)`: `child` mounted on `parent`.
struct Mount<'p> {
    parent: Obj,
    prefix: String,
    file: usize,
    reg: &'p Registration,
}

/// One route registration with what Express runs before it.
struct RawRoute<'p> {
    file: usize,
    reg: &'p Registration,
    urls: Vec<String>,
    /// Middleware before the handler, outermost first: (file, argument).
    chain: Vec<(usize, &'p Binding)>,
    handler: &'p Binding,
}

/// One Express route as the Express rules see it.
#[derive(Clone, Debug)]
pub struct Route {
    pub file: usize,
    /// The method name of the registration (`get` in `router.get(…)`).
    pub span: Span,
    /// `GET`, `POST`, …, `ALL`.
    pub method: String,
    pub urls: Vec<String>,
    /// `requireAuth()` of `@clerk/express` runs before the handler: the argument it came in
    /// as (`requireAuth()`, or the name it is bound to) and that argument's registration.
    pub require_auth: Option<(String, usize, Span)>,
    /// `clerkMiddleware()` (or `requireAuth()`, which authenticates by itself) runs before it.
    pub authenticated_before: bool,
    /// The handler or a middleware of its chain calls `getAuth(req)` of `@clerk/express`.
    pub uses_get_auth: bool,
}

/// The Express routes of one app, and where `clerkMiddleware()` is registered.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub routes: Vec<Route>,
    /// The first `use(clerkMiddleware())` of the app: (file, span of `use`).
    pub clerk_middleware: Option<(usize, Span)>,
}

pub fn collect(project: &Project, app_index: usize, _app: &App) -> Vec<Entry> {
    let Some(m) = Model::new(project, app_index) else {
        return Vec::new();
    };
    let an = Analyzer::new(project);
    let clerk_registered = m.clerk_middleware().is_some();
    let mut out: Vec<Entry> = Vec::new();
    for r in m.routes() {
        let Some(code) = m.code(r.file) else { continue };
        let chain: Vec<Target> = r
            .chain
            .iter()
            .filter_map(|(f, b)| m.code(*f).and_then(|c| target(&an, c, *f, b)))
            .collect();
        let handler = target(&an, code, r.file, r.handler);
        for url in r.urls {
            // A second registration of the same method and URL in one file is shadowed by
            // the first (Express stops at the first handler that answers).
            let method = r.reg.method.to_ascii_uppercase();
            if out.iter().any(|e| {
                *e.file == *project.files[r.file].rel
                    && e.symbol == method
                    && e.url.as_deref() == Some(url.as_str())
            }) {
                continue;
            }
            let mut e = Entry::new(
                app_index,
                EntryKind::ExpressRoute,
                project.files[r.file].rel.to_string(),
                Some(url),
                r.reg.method.to_ascii_uppercase(),
                r.reg.span,
            );
            e.target = handler.clone();
            e.chain = chain.clone();
            if !clerk_registered {
                e.front_note = Some("and `clerkMiddleware()` is never registered".into());
            }
            out.push(e);
        }
    }
    out
}

/// The Express routes of an app with what the Express rules need to know about each.
pub fn report(project: &Project, app_index: usize) -> Report {
    let Some(m) = Model::new(project, app_index) else {
        return Report::default();
    };
    let an = Analyzer::new(project);
    let mut routes = Vec::new();
    for r in m.routes() {
        let mut require_auth = None;
        let mut authenticated_before = false;
        for (f, b) in &r.chain {
            match m.clerk_call(*f, b, 0) {
                Some("requireAuth") => {
                    authenticated_before = true;
                    if require_auth.is_none() {
                        let name = match b {
                            Binding::Identifier { name } => format!("`{name}`"),
                            _ => "`requireAuth()`".into(),
                        };
                        let site = m.registration_of(*f, b).unwrap_or((r.file, r.reg.span));
                        require_auth = Some((name, site.0, site.1));
                    }
                }
                Some("clerkMiddleware") => authenticated_before = true,
                _ => {}
            }
        }
        let uses_get_auth = std::iter::once((r.file, r.handler))
            .chain(r.chain.iter().copied())
            .filter_map(|(f, b)| m.code(f).and_then(|c| target(&an, c, f, b)))
            .any(|t| m.calls_get_auth(&an, &t, 0));
        routes.push(Route {
            file: r.file,
            span: r.reg.span,
            method: r.reg.method.to_ascii_uppercase(),
            urls: r.urls,
            require_auth,
            authenticated_before,
            uses_get_auth,
        });
    }
    Report {
        routes,
        clerk_middleware: m.clerk_middleware(),
    }
}

/// Where each `clerkMiddleware()` call written in a registration's arguments runs
/// (`app.use(clerkMiddleware())`, `router.get('/x', clerkMiddleware(), h)`): (file, span of the
/// call, the `express()` app or unmounted router the registration's object is mounted under,
/// whether it is registered on that app itself).
pub fn clerk_middleware_sites(
    project: &Project,
    app_index: usize,
) -> Vec<(usize, Span, (usize, String), bool)> {
    let Some(m) = Model::new(project, app_index) else {
        return Vec::new();
    };
    let mounts = m.mounts();
    let mut out = Vec::new();
    for (file, facts) in &m.files {
        for reg in &facts.registrations {
            for b in &reg.args {
                let Binding::Call { span, .. } = b else {
                    continue;
                };
                if m.clerk_call(*file, b, 0) != Some("clerkMiddleware") {
                    continue;
                }
                let obj = m.object(*file, &reg.receiver, 0);
                let mut root = obj.clone();
                let mut seen: HashSet<Obj> = HashSet::new();
                while seen.insert(root.clone()) && seen.len() <= MAX_DEPTH {
                    match mounts.iter().find(|(c, _)| *c == root) {
                        Some((_, mount)) => root = mount.parent.clone(),
                        None => break,
                    }
                }
                let on_root = root == obj;
                out.push((*file, *span, root, on_root));
            }
        }
    }
    out
}

/// The analysis target of a registration argument (`ctrl.list` through a namespace import or
/// an object of the module).
pub(crate) fn target(
    an: &Analyzer<'_>,
    code: &CodeFacts,
    file: usize,
    b: &Binding,
) -> Option<Target> {
    if let Binding::Identifier { name } = b
        && name.contains('.')
    {
        let path: Vec<String> = name.split('.').map(str::to_string).collect();
        if let Some(t) = an.resolve_callee(file, &path) {
            return Some(t);
        }
        // `obj.method` of a local object literal.
        if let (Some(Binding::Object { fields, .. }), [_, key]) =
            (code.bindings.get(&path[0]), &path[..])
            && let Some(f) = fields.iter().find(|f| &f.key == key)
        {
            return an.binding_target(file, &f.value, 0);
        }
        if let Some(t) = member_target(an, code, file, &path) {
            return Some(t);
        }
        return Some(Target::Opaque(name.clone()));
    }
    an.binding_target(file, b, 0)
}

/// A member path read through object literals, key by key (`games.pk.create` of an imported
/// `games = { pk: { get } }`): what the last key holds, or `Target::Missing` when an object
/// without spreads or computed keys does not have it, and neither its module nor this one
/// assigns a member of that name (`games.pk.create = …`, `Object.assign`).
fn member_target(
    an: &Analyzer<'_>,
    code: &CodeFacts,
    file: usize,
    path: &[String],
) -> Option<Target> {
    let (first, keys) = path.split_first()?;
    let mut cur = match code.bindings.get(first) {
        Some(b) => an.binding_target(file, b, 0)?,
        None => {
            let imp = code.imports.get(first)?;
            an.resolve_import(file, &imp.source, &imp.imported, 0)?
        }
    };
    for key in keys {
        let Target::Object {
            file: at,
            fields,
            open,
        } = cur
        else {
            return None;
        };
        match fields.iter().find(|f| &f.key == key) {
            Some(f) => cur = an.binding_target(at, &f.value, 0)?,
            None if !open => {
                let assigned = |i: usize| {
                    an.project
                        .files
                        .get(i)
                        .is_none_or(|f| assigns_member(&f.text(), key))
                };
                if assigned(at) || assigned(file) {
                    return None;
                }
                return Some(Target::Missing(path.join(".")));
            }
            None => return None,
        }
    }
    Some(cur)
}

/// Whether a module's text may give an object the member `key` after its literal: an
/// assignment `.key =` (not `==`, `=>`), or an `Object.assign`/`defineProperty`.
fn assigns_member(text: &str, key: &str) -> bool {
    if text.contains("Object.assign") || text.contains("defineProperty") {
        return true;
    }
    let needle = format!(".{key}");
    text.match_indices(&needle).any(|(i, _)| {
        let rest = &text[i + needle.len()..];
        if rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        {
            return false;
        }
        let rest = rest.trim_start();
        rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>")
    })
}

impl<'p> Model<'p> {
    fn new(project: &'p Project, app_index: usize) -> Option<Model<'p>> {
        let files: Vec<(usize, &Facts)> = app_files(project, app_index)
            .filter_map(|(i, f)| Some((i, f.code()?.frameworks.express.as_deref()?)))
            .collect();
        (!files.is_empty()).then_some(Model { project, files })
    }

    /// Every route registration (not `use`) with a path, its URLs and its chain.
    fn routes(&self) -> Vec<RawRoute<'p>> {
        let mounts = self.mounts();
        let mut out = Vec::new();
        for (file, facts) in &self.files {
            for reg in &facts.registrations {
                if reg.method == "use" {
                    continue;
                }
                let Some(path) = reg.path.as_deref() else {
                    continue;
                };
                let obj = self.object(*file, &reg.receiver, 0);
                if !self.is_object(&obj)
                    && (!facts.imports_express || self.is_hono_app(*file, &reg.receiver))
                {
                    continue;
                }
                let Some((handler, before)) = reg.args.split_last() else {
                    continue;
                };
                let mut prefixes = Vec::new();
                self.prefixes(&obj, &mounts, 0, &mut HashSet::new(), &mut prefixes);
                prefixes.dedup();
                let mut chain = Vec::new();
                self.chain_before(&obj, reg.span.start, &mounts, 0, &mut chain);
                chain.extend(before.iter().map(|b| (*file, b)));
                out.push(RawRoute {
                    file: *file,
                    reg,
                    urls: prefixes
                        .into_iter()
                        .take(MAX_PREFIXES)
                        .map(|p| join_path(&p, path))
                        .collect(),
                    chain,
                    handler,
                });
            }
        }
        out
    }

    /// Whether a name of the file is a Hono app (`new Hono()`): its `get`/`use` are Hono's,
    /// even in a file that also imports Express (a Hono API served through an Express server).
    fn is_hono_app(&self, file: usize, name: &str) -> bool {
        self.code(file)
            .and_then(|c| c.frameworks.hono.as_deref())
            .is_some_and(|h| h.apps.iter().any(|a| a == name))
    }

    /// The first `use(clerkMiddleware())` of the app (by file, then position).
    fn clerk_middleware(&self) -> Option<(usize, Span)> {
        self.files.iter().find_map(|(file, facts)| {
            facts
                .registrations
                .iter()
                .filter(|r| r.method == "use")
                .find(|r| {
                    r.args
                        .iter()
                        .any(|b| self.clerk_call(*file, b, 0) == Some("clerkMiddleware"))
                })
                .map(|r| (*file, r.span))
        })
    }

    /// The registration of a file that passes this very argument (for a finding's place).
    fn registration_of(&self, file: usize, b: &Binding) -> Option<(usize, Span)> {
        self.facts(file)?
            .registrations
            .iter()
            .find(|r| r.args.iter().any(|a| std::ptr::eq(a, b)))
            .map(|r| (file, r.span))
    }

    /// Which `@clerk/express` middleware factory a registration argument is a call of
    /// (`clerkMiddleware()`, `requireAuth()`), through local names and imports
    /// (`const clerkAuth = requireAuth(); module.exports = { clerkAuth }`).
    fn clerk_call(&self, file: usize, b: &Binding, depth: usize) -> Option<&'static str> {
        if depth > MAX_DEPTH {
            return None;
        }
        let code = self.code(file)?;
        match b {
            Binding::Call { callee, .. } if callee.len() == 1 => {
                let imp = code.imports.get(&callee[0])?;
                if !imp.source.starts_with("@clerk/express") {
                    return None;
                }
                ["clerkMiddleware", "requireAuth"]
                    .into_iter()
                    .find(|e| *e == imp.imported)
            }
            Binding::Identifier { name } => {
                if let Some(local) = code.bindings.get(name) {
                    return self.clerk_call(file, local, depth + 1);
                }
                let imp = code.imports.get(name)?;
                let target = self
                    .project
                    .resolve(&self.project.files[file].rel, &imp.source)
                    .and_then(|rel| self.project.file_index(&rel))?;
                let tcode = self.code(target)?;
                let value = match tcode.export(&imp.imported) {
                    Some(e) if e.from.is_none() => &e.target,
                    Some(_) => return None,
                    None => match tcode.export("default").map(|e| &e.target) {
                        Some(Binding::Object { fields, .. }) => {
                            &fields.iter().find(|f| f.key == imp.imported)?.value
                        }
                        _ => return None,
                    },
                };
                self.clerk_call(target, value, depth + 1)
            }
            _ => None,
        }
    }

    /// Whether a handler or middleware calls `getAuth(req)` of `@clerk/express` (through one
    /// wrapper call: `asyncHandler(fn)`).
    fn calls_get_auth(&self, an: &Analyzer<'_>, t: &Target, depth: usize) -> bool {
        match t {
            Target::Function((file, i)) => self.code(*file).is_some_and(|c| {
                c.auth_calls.iter().any(|a| {
                    a.function == Some(*i)
                        && a.kind == SessionCall::GetAuth
                        && c.import_source(&a.callee)
                            .is_some_and(|s| s.starts_with("@clerk/express"))
                })
            }),
            Target::Call { file, args, .. } if depth < 2 => args.iter().any(|a| {
                an.binding_target(*file, a, 0)
                    .is_some_and(|t| self.calls_get_auth(an, &t, depth + 1))
            }),
            _ => false,
        }
    }

    fn code(&self, file: usize) -> Option<&'p CodeFacts> {
        self.project.files.get(file)?.code()
    }

    fn facts(&self, file: usize) -> Option<&'p Facts> {
        self.files.iter().find(|(f, _)| *f == file).map(|(_, x)| *x)
    }

    /// Whether (file, name) is an app or router the facts saw created.
    fn is_object(&self, obj: &Obj) -> bool {
        self.facts(obj.0)
            .is_some_and(|f| f.apps.contains(&obj.1) || f.routers.contains(&obj.1))
    }

    fn is_router(&self, obj: &Obj) -> bool {
        self.facts(obj.0)
            .is_some_and(|f| f.routers.contains(&obj.1))
    }

    /// The object a name of a file denotes: a local app or router, or one imported from
    /// another module of the app (its default or named export).
    fn object(&self, file: usize, name: &str, depth: usize) -> Obj {
        let here = (file, name.to_string());
        if depth > MAX_DEPTH || self.is_object(&here) {
            return here;
        }
        let Some(code) = self.code(file) else {
            return here;
        };
        let Some(imp) = code.imports.get(name) else {
            return here;
        };
        let from = &self.project.files[file].rel;
        let Some(target) = self
            .project
            .resolve(from, &imp.source)
            .and_then(|rel| self.project.file_index(&rel))
        else {
            return here;
        };
        let Some(tcode) = self.code(target) else {
            return here;
        };
        match tcode.export(&imp.imported) {
            Some(e) if e.from.is_none() => match &e.target {
                Binding::Identifier { name } => self.object(target, name, depth + 1),
                _ => here,
            },
            Some(e) => {
                // `export { default } from './router'`.
                let inner = match &e.target {
                    Binding::Identifier { name } => name.clone(),
                    _ => imp.imported.clone(),
                };
                let Some(next) = e
                    .from
                    .as_deref()
                    .and_then(|s| self.project.resolve(&self.project.files[target].rel, s))
                    .and_then(|rel| self.project.file_index(&rel))
                else {
                    return here;
                };
                let next_code = self.code(next);
                match next_code.and_then(|c| c.export(&inner)).map(|e| &e.target) {
                    Some(Binding::Identifier { name }) => self.object(next, name, depth + 2),
                    _ => here,
                }
            }
            None => here,
        }
    }

    /// Every `use(prefix?, …, router)` of the app.
    fn mounts(&self) -> Vec<(Obj, Mount<'p>)> {
        let mut out = Vec::new();
        for (file, facts) in &self.files {
            for reg in facts.registrations.iter().filter(|r| r.method == "use") {
                for b in &reg.args {
                    let Binding::Identifier { name } = b else {
                        continue;
                    };
                    let child = self.object(*file, name, 0);
                    if !self.is_router(&child) {
                        continue;
                    }
                    out.push((
                        child,
                        Mount {
                            parent: self.object(*file, &reg.receiver, 0),
                            prefix: reg.path.clone().unwrap_or_default(),
                            file: *file,
                            reg,
                        },
                    ));
                }
            }
        }
        out
    }

    /// The prefixes an object is served under (a router mounted nowhere: its own paths).
    fn prefixes(
        &self,
        obj: &Obj,
        mounts: &[(Obj, Mount<'p>)],
        depth: usize,
        seen: &mut HashSet<Obj>,
        out: &mut Vec<String>,
    ) {
        let parents: Vec<&Mount<'p>> = mounts
            .iter()
            .filter(|(c, _)| c == obj)
            .map(|(_, m)| m)
            .collect();
        if parents.is_empty() || depth > MAX_DEPTH || !seen.insert(obj.clone()) {
            out.push(String::new());
            return;
        }
        for m in parents {
            let mut above = Vec::new();
            self.prefixes(&m.parent, mounts, depth + 1, seen, &mut above);
            for p in above {
                if out.len() >= MAX_PREFIXES {
                    break;
                }
                out.push(join_path(&p, &m.prefix).trim_end_matches('/').to_string());
            }
        }
        seen.remove(obj);
    }

    /// The middleware that runs before a registration at `pos` on `obj`: path-less `use(…)` on
    /// it earlier in its file, the mount's own middleware, and the same for its parent before
    /// the (first) mount.
    fn chain_before(
        &self,
        obj: &Obj,
        pos: usize,
        mounts: &[(Obj, Mount<'p>)],
        depth: usize,
        out: &mut Vec<(usize, &'p Binding)>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some((_, m)) = mounts.iter().find(|(c, _)| c == obj) {
            self.chain_before(&m.parent, m.reg.span.start, mounts, depth + 1, out);
            for b in &m.reg.args {
                if matches!(b, Binding::Identifier { name } if self.is_router(&self.object(m.file, name, 0)))
                {
                    continue;
                }
                out.push((m.file, b));
            }
        }
        let file = obj.0;
        let Some(facts) = self.facts(file) else {
            return;
        };
        for reg in &facts.registrations {
            if reg.method != "use"
                || reg.span.start >= pos
                || !matches!(reg.path.as_deref(), None | Some("/" | "*"))
                || self.object(file, &reg.receiver, 0) != *obj
            {
                continue;
            }
            for b in &reg.args {
                if matches!(b, Binding::Identifier { name } if self.is_router(&self.object(file, name, 0)))
                {
                    continue;
                }
                out.push((file, b));
            }
        }
    }
}
