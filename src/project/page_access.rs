//! How each page is gated: by the server (middleware, a check in the page, a layout above it,
//! `getServerSideProps`, a `<SignedIn>` rendered by a server component), only in the browser
//! (Clerk hooks or control components in client code), or not at all.
//!
//! A page is followed into the components it renders, two levels deep: the page module, the
//! components its JSX names (imports, barrel re-exports, `dynamic(() => import(…))`), and the
//! components those render. Deeper gates are not seen. Only pages that may hold a gate (a
//! Clerk hook or control component named within those levels, by a byte-level test) are
//! parsed, and their layouts and data functions only when a browser-side gate was found.
//!
//! When gated client code requests an internal endpoint (`fetch`, `axios`, `useSWR`, with a
//! literal or template path), the route model says whether that endpoint is protected: an
//! unprotected one is where the data actually leaks.

use std::collections::{HashSet, VecDeque};

use rayon::prelude::*;

use super::Project;
use super::guards::{Analyzer, Evidence, Target};
use super::middleware::Verdict;
use super::resolve::Target as ResolvedTarget;
use super::routes::{Entry, EntryKind, Protection, route_stem};
use crate::facts::gates::{Fetch, Gate, GateKind, PLACEHOLDER};
use crate::finding::Span;
use crate::source::{file_name, parent_dir};

/// Words one of which a module must contain to hold a gate.
const GATE_WORDS: &[&str] = &[
    "useAuth",
    "useUser",
    "useSession",
    "useOrganization",
    "SignedIn",
    "Protect",
    "Show",
    "RedirectToSignIn",
];

/// How deep a page is followed into the components it renders.
pub const MAX_DEPTH: usize = 2;

/// The verdict for one page entry.
#[derive(Clone, Debug)]
pub struct PageAccess {
    /// Index into `Project::entries`.
    pub entry: usize,
    pub verdict: PageVerdict,
}

#[derive(Clone, Debug)]
pub enum PageVerdict {
    /// The server checks the session before rendering the page.
    Server { label: String, how: String },
    /// Only browser-side code gates it.
    ClientOnly(Box<ClientOnly>),
    /// Nothing gates it, or it is public on purpose.
    Public { why: String },
}

impl PageVerdict {
    /// The value of the page column of `clerk-guard routes`.
    pub fn column(&self) -> &'static str {
        match self {
            PageVerdict::Server { .. } => "server",
            PageVerdict::ClientOnly(_) => "client-only",
            PageVerdict::Public { .. } => "public",
        }
    }
}

/// A page gated only in the browser.
#[derive(Clone, Debug)]
pub struct ClientOnly {
    /// The module holding the gate, and the gate.
    pub gate_file: usize,
    pub gate: Gate,
    /// How the page reaches that module: (module, span of the JSX element that renders the
    /// next one), page first. Empty when the gate is in the page.
    pub path: Vec<(usize, Span)>,
    /// Why no server-side check covers the page.
    pub server: String,
    /// Unprotected endpoints the gated client code requests.
    pub open_endpoints: Vec<OpenEndpoint>,
}

/// A request from gated client code to an endpoint the server does not protect.
#[derive(Clone, Debug)]
pub struct OpenEndpoint {
    /// The module that makes the request.
    pub file: usize,
    pub fetch: Fetch,
    /// Index into `Project::entries`.
    pub entry: usize,
}

impl Project {
    /// The verdict of every page (computed on first use, once). Only project-level code may
    /// ask (a project rule, `clerk-guard routes`): the pages are decided in parallel, and a
    /// per-file rule running on a rayon worker could be re-entered while it waits.
    pub fn page_access(&self) -> &[PageAccess] {
        self.page_access.get_or_init(|| {
            self.entries
                .par_iter()
                .enumerate()
                .filter(|(_, e)| e.kind == EntryKind::Page)
                .map_init(
                    || Analyzer::new(self),
                    |an, (i, e)| PageAccess {
                        entry: i,
                        verdict: decide(self, an, e),
                    },
                )
                .collect()
        })
    }

    /// The verdict of one page entry.
    pub fn page_verdict(&self, entry: usize) -> Option<&PageVerdict> {
        self.page_access()
            .iter()
            .find(|a| a.entry == entry)
            .map(|a| &a.verdict)
    }
}

fn decide(p: &Project, an: &mut Analyzer<'_>, e: &Entry) -> PageVerdict {
    match &e.protection {
        Protection::DeclaredPublic(_) => {
            return PageVerdict::Public {
                why: format!("public on purpose: {}", e.protection.detail()),
            };
        }
        Protection::Unprotected(_) => {}
        other => {
            return PageVerdict::Server {
                label: other.label(),
                how: other.detail(),
            };
        }
    }
    let Some(page) = p.file_index(&e.file) else {
        return public("the page file is not scanned");
    };
    let pages_router = is_pages_router_entry(p, e);
    if !may_gate(p, page, MAX_DEPTH) {
        return public("no session gate in the page or the components it renders");
    }
    let found = find_gates(p, page, pages_router);
    if let Some(how) = found.server_gate {
        return PageVerdict::Server {
            label: "render gate".into(),
            how,
        };
    }
    let Some(first) = found.client.into_iter().next() else {
        return public("no session gate in the page or the components it renders");
    };
    if let Some((label, how)) = server_check(p, an, e, page, pages_router) {
        return PageVerdict::Server { label, how };
    }
    let open_endpoints = open_endpoints(p, e, &found.client_modules);
    PageVerdict::ClientOnly(Box::new(ClientOnly {
        gate_file: first.file,
        gate: first.gate,
        path: first.path,
        server: why_unprotected(p, e, pages_router),
        open_endpoints,
    }))
}

fn public(why: &str) -> PageVerdict {
    PageVerdict::Public { why: why.into() }
}

/// Whether the entry is a Pages Router page.
fn is_pages_router_entry(p: &Project, e: &Entry) -> bool {
    p.apps
        .get(e.app)
        .and_then(|a| a.pages_dir.as_ref())
        .is_some_and(|d| crate::source::is_inside(&e.file, d))
}

fn has_gate_words(p: &Project, id: usize) -> bool {
    // The prefilter knows the words: the text is read only when one occurs somewhere.
    if !p.files[id].hits.any(GATE_WORDS) {
        return false;
    }
    let t = p.files[id].text();
    GATE_WORDS.iter().any(|w| contains_word(&t, w))
}

/// Whether `word` occurs in `text` as a whole identifier (`useUser`, not `useUserToken`).
pub(crate) fn contains_word(text: &str, word: &str) -> bool {
    find_word(text, word).is_some()
}

/// Where `word` first occurs in `text` as a whole identifier.
pub(crate) fn find_word(text: &str, word: &str) -> Option<usize> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let bytes = text.as_bytes();
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let end = i + word.len();
        (i == 0 || !ident(bytes[i - 1])) && bytes.get(end).is_none_or(|b| !ident(*b))
    })
}

/// Whether a module or a module it imports (up to `depth` levels) may hold a gate.
fn may_gate(p: &Project, id: usize, depth: usize) -> bool {
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([(id, 0)]);
    while let Some((m, d)) = queue.pop_front() {
        if !seen.insert(m) {
            continue;
        }
        if has_gate_words(p, m) {
            return true;
        }
        if d < depth {
            for e in p.edges(m) {
                if let Some(t) = e.file()
                    && e.is_runtime()
                    && p.files[t].kind.lang().is_some()
                {
                    queue.push_back((t, d + 1));
                }
            }
        }
    }
    false
}

/// A client gate found under a page.
struct FoundGate {
    file: usize,
    gate: Gate,
    path: Vec<(usize, Span)>,
}

#[derive(Default)]
struct Found {
    /// Browser-side gates, nearest the page first.
    client: Vec<FoundGate>,
    /// A `<SignedIn>`/`<Show>`/`<Protect>` a server component renders around the page.
    server_gate: Option<String>,
    /// Client modules visited (where requests may come from).
    client_modules: Vec<usize>,
}

struct Visit {
    file: usize,
    depth: usize,
    client: bool,
    path: Vec<(usize, Span)>,
}

/// Follow a page into the components it renders and collect the gates, telling browser-side
/// gates (in client modules) from server render gates (control components in server
/// components, which call `auth()`).
fn find_gates(p: &Project, page: usize, pages_router: bool) -> Found {
    let mut found = Found::default();
    let mut seen = HashSet::from([page]);
    let mut queue = VecDeque::from([Visit {
        file: page,
        depth: 0,
        client: pages_router || p.files[page].is_client_module(),
        path: Vec::new(),
    }]);
    while let Some(v) = queue.pop_front() {
        let f = &p.files[v.file];
        let Some(g) = f.gates() else { continue };
        if v.client {
            found.client_modules.push(v.file);
        }
        let mut server_root_gate = false;
        for gate in &g.gates {
            if v.client {
                // A component the page renders that gates itself (a sign-in/sign-out switch,
                // an account menu) is UI; the page's own gate says the page is for members.
                if (gate.ui_only && (v.depth > 0 || gate.kind == GateKind::Component))
                    || (gate.session_only && v.depth > 0)
                {
                    continue;
                }
                found.client.push(FoundGate {
                    file: v.file,
                    gate: gate.clone(),
                    path: v.path.clone(),
                });
            } else if gate.kind == GateKind::Component && !gate.ui_only {
                server_root_gate = true;
                if v.depth == 0 {
                    found.server_gate = Some(format!(
                        "{} in the server component `{}` renders the page only for signed-in users",
                        gate.what, f.rel
                    ));
                    return found;
                }
            }
        }
        // What a server component renders inside its own server-side gate is covered.
        if server_root_gate || v.depth >= MAX_DEPTH {
            continue;
        }
        for r in &g.rendered {
            let Some(t) = rendered_target(p, v.file, &r.name, &g.dynamic) else {
                continue;
            };
            if !seen.insert(t) || !may_gate(p, t, MAX_DEPTH - v.depth - 1) {
                continue;
            }
            let mut path = v.path.clone();
            path.push((v.file, r.span));
            queue.push_back(Visit {
                file: t,
                depth: v.depth + 1,
                client: v.client || p.files[t].is_client_module(),
                path,
            });
        }
    }
    found
}

/// The project module a JSX element name of `file` renders.
fn rendered_target(
    p: &Project,
    file: usize,
    name: &str,
    dynamic: &[(String, String)],
) -> Option<usize> {
    let rel = &p.files[file].rel;
    let target = if let Some((_, spec)) = dynamic.iter().find(|(n, _)| n == name) {
        match p.resolver().resolve_target(rel, spec) {
            ResolvedTarget::File(t) => t,
            _ => return None,
        }
    } else {
        let (target_rel, _) = p.resolve_binding(rel, name)?;
        p.file_index(&target_rel)?
    };
    let f = p.files.get(target)?;
    (f.kind.lang().is_some() && !f.origin.build_output && target != file).then_some(target)
}

/// Whether an entry that only the middleware protects would serve something of its own to a
/// request the middleware does not protect: server-rendered data or work that no check of the
/// entry guards.
///
/// `skipped`: the request skips the middleware altogether (a bypass of the middleware, not of
/// its matcher's verdict). Then Clerk's `auth()`, `getAuth()` and `currentUser()` throw for
/// want of `clerkMiddleware()`, so an entry whose server code reads the session, itself, in a
/// project function it calls, or in the request context of the router it serves (tRPC's
/// `createContext`), fails closed.
///
/// A route handler serving a router whose every procedure checks the session or does no work
/// (a health check's constant) checks on its own, whichever procedure a request names.
///
/// A page serves nothing of its own when the server renders no data for it (an App Router
/// `'use client'` page; a Pages Router page without `getServerSideProps`/`getInitialProps`; a
/// server page that does no work and renders only components that reach nothing only the
/// server has, such as a Clerk widget, a client component, a component a library builds or
/// one that only computes class names), or when its data is fetched through a check:
/// `getServerSideProps` verifies the session, or a server function of the page (or of a server
/// component it renders, two levels deep) calls a project function that turns a signed-out
/// request away (throws, redirects, or returns before its work) or hands it to a call that
/// runs it, as a page that loads its data through `await getPeriods()` of a `'use server'`
/// module that checks `auth()` does. Nor does a page whose work reaches data only through
/// server actions (called, or handed to a library: `prefetchQuery({ queryFn: getItems })`)
/// that the middleware does not protect: an action is an endpoint of its own, so what the
/// page renders from it the action serves to any caller anyway (with its own check, if it
/// has one). A layout's check is not counted: a segment request may skip it. Of a component
/// the page renders, only that component's functions count, not the rest of its module.
pub fn relies_on_middleware(p: &Project, an: &mut Analyzer<'_>, e: &Entry, skipped: bool) -> bool {
    if e.kind != EntryKind::Page {
        if skipped
            && (e
                .check
                .function
                .is_some_and(|k| reads_session(an, k, &mut HashSet::new()))
                || context_reads_session(p, an, e))
        {
            return false;
        }
        return e.check.procedures.is_empty()
            || e.check
                .procedures
                .iter()
                .any(|proc| proc.evidence.is_none() && !proc.inert);
    }
    let Some(page) = p.file_index(&e.file) else {
        return true;
    };
    if is_pages_router_entry(p, e) {
        let f = &p.files[page];
        let Some(code) = f.code() else {
            return true;
        };
        let serves_data =
            code.export("getServerSideProps").is_some() || f.text().contains("getInitialProps");
        if !serves_data || server_check(p, an, e, page, true).is_some() {
            return false;
        }
        if !skipped || module_reads_session(an, page, None) {
            return !skipped;
        }
        return !matches!(
            an.resolve_export(page, "getServerSideProps", 0),
            Some(Target::Function(k)) if reads_session(an, k, &mut HashSet::new())
        );
    }
    let mut seen = HashSet::from([page]);
    serves_unchecked(p, an, page, None, 0, skipped, &mut seen)
}

/// Whether the router a route handler serves reads the session for every request (tRPC's
/// `createContext` calls `auth()`).
fn context_reads_session(p: &Project, an: &Analyzer<'_>, e: &Entry) -> bool {
    if e.check.procedures.is_empty() {
        return false;
    }
    let Some(file) = p.file_index(&e.file) else {
        return false;
    };
    let Some(code) = p.files[file].code() else {
        return false;
    };
    e.target
        .clone()
        .or_else(|| super::routes::entry_target(an, file, code, e))
        .is_some_and(|t| an.router_context_reads_session(&t))
}

/// `relies_on_middleware` for one module of an App Router page, `depth` components below it:
/// the page module (`component` is `None`: every server function of it runs, its metadata
/// too), or the module of a component it renders (`component`: the export rendered).
fn serves_unchecked(
    p: &Project,
    an: &mut Analyzer<'_>,
    module: usize,
    component: Option<&str>,
    depth: usize,
    skipped: bool,
    seen: &mut HashSet<usize>,
) -> bool {
    let f = &p.files[module];
    if f.is_client_module() {
        return false;
    }
    let Some(code) = f.code() else {
        return true;
    };
    let fns = component.and_then(|name| component_functions(code, name));
    let runs = |i: usize| fns.as_ref().is_none_or(|v| v.contains(&i));
    let server_fns = || {
        code.functions
            .iter()
            .enumerate()
            .filter(|(i, g)| !g.use_server && runs(*i))
    };
    // A project function called, or handed to a call that runs it.
    let mut guards = |callee: &crate::facts::code::CalleePath| {
        an.resolve_callee(module, callee)
            .is_some_and(|t| an.handler_protection(&t, 0).auth.is_some())
    };
    let checked = server_fns().any(|(i, g)| {
        g.calls.iter().any(|(callee, _)| guards(callee))
            || code
                .handed
                .iter()
                .any(|(at, name)| *at as usize == i && guards(&vec![name.clone()]))
    });
    if checked || (skipped && module_reads_session(an, module, fns.as_deref())) {
        return false;
    }
    // The page's own functions do work when they call anything but response builders and
    // pure methods; a component it renders, when it reaches something only the server has
    // (a component's own calls are mostly class-name and formatting helpers).
    let working: Vec<usize> = server_fns()
        .filter(|(_, g)| {
            if depth == 0 {
                !g.work_calls.is_empty()
            } else {
                does_io(an, module, g)
            }
        })
        .map(|(i, _)| i)
        .collect();
    if !working.is_empty() && !data_through_actions(p, module, &working) {
        return true;
    }
    let Some(g) = f.gates() else {
        return true;
    };
    // What the component renders (of a page module: everything it renders).
    let ranges: Option<Vec<Span>> = fns.as_ref().map(|v| {
        v.iter()
            .filter_map(|&i| code.function(i).map(|g| g.range))
            .collect()
    });
    let rendered: Vec<(usize, Option<String>)> = g
        .rendered
        .iter()
        .filter(|r| {
            ranges.as_ref().is_none_or(|rs| {
                rs.iter()
                    .any(|x| r.span.start >= x.start && r.span.end <= x.end)
            })
        })
        .filter_map(|r| rendered_component(p, module, &r.name, &g.dynamic))
        .collect();
    rendered.into_iter().any(|(t, name)| {
        seen.insert(t)
            && (depth + 1 >= MAX_DEPTH
                || serves_unchecked(p, an, t, name.as_deref(), depth + 1, skipped, seen))
    })
}

/// Whether a function reaches something only the server has: it awaits something besides
/// the session, reads a server-only environment variable, calls `fetch`, or calls a project
/// function that awaits or reads one.
fn does_io(an: &Analyzer<'_>, module: usize, g: &crate::facts::code::FnFacts) -> bool {
    g.awaits
        || g.reads_env
        || g.calls.iter().any(|(callee, _)| {
            callee[0] == "fetch"
                || an
                    .resolve_fn(module, callee)
                    .and_then(|(file, i)| an.project.files[file].code()?.function(i))
                    .is_some_and(|h| h.awaits || h.reads_env)
        })
}

/// The project module a JSX element name of `file` renders, and the export it renders
/// (`None` when not known).
fn rendered_component(
    p: &Project,
    file: usize,
    name: &str,
    dynamic: &[(String, String)],
) -> Option<(usize, Option<String>)> {
    let t = rendered_target(p, file, name, dynamic)?;
    let export = if dynamic.iter().any(|(n, _)| n == name) {
        Some("default".to_string())
    } else {
        p.resolve_binding(&p.files[file].rel, name)
            .map(|(_, export)| export)
    };
    Some((t, export))
}

/// The functions of a module that run when its export `name` is rendered: the component's
/// function and those nested in it; none for a component a library builds from no function
/// of the module (`twx.h1\`…\``, `styled.div\`…\``, `cva(…)`); `None` when the export is not
/// followed (then every function of the module counts).
fn component_functions(code: &crate::facts::code::CodeFacts, name: &str) -> Option<Vec<usize>> {
    use crate::facts::code::Binding;
    let export = code.export(name)?;
    if export.from.is_some() {
        return None;
    }
    let with_nested = |index: usize| with_nested(code, &[index]);
    let mut target = &export.target;
    for _ in 0..8 {
        match target {
            Binding::Function { index } => return Some(with_nested(*index)),
            Binding::Identifier { name } => match code.bindings.get(name) {
                Some(b) => target = b,
                None => return code.local_function(name).map(with_nested),
            },
            Binding::Call { callee, args, .. } => {
                return library_built(code, callee.first(), args);
            }
            Binding::Chain {
                base,
                base_args,
                links,
                ..
            } => {
                let args: Vec<Binding> = base_args
                    .iter()
                    .flatten()
                    .chain(links.iter().filter_map(|l| l.args.as_ref()).flatten())
                    .cloned()
                    .collect();
                return library_built(code, base.first(), &args);
            }
            Binding::Other | Binding::Object { .. } => return None,
        }
    }
    None
}

/// A component built by a call: the functions handed to it run (`memo(function Card() …)`,
/// `forwardRef((props, ref) => …)`); with none, a call of a package builds it from no code of
/// the module (an empty list). A call of a project function, or a name the module does not
/// define, is not followed (`None`).
fn library_built(
    code: &crate::facts::code::CodeFacts,
    root: Option<&String>,
    args: &[crate::facts::code::Binding],
) -> Option<Vec<usize>> {
    use crate::facts::code::Binding;
    let mut fns = Vec::new();
    for a in args {
        match a {
            Binding::Function { index } => fns.push(*index),
            Binding::Identifier { name } => match code.local_function(name) {
                Some(i) => fns.push(i),
                None if code.bindings.contains_key(name) => return None,
                None => {}
            },
            _ => {}
        }
    }
    if !fns.is_empty() {
        return Some(with_nested(code, &fns));
    }
    let root = root?.split('.').next()?.trim_end_matches("()");
    code.imports
        .get(root)
        .is_some_and(|b| crate::facts::code::is_package_source(&b.source))
        .then(Vec::new)
}

/// The functions `fns` and every function nested in one of them.
fn with_nested(code: &crate::facts::code::CodeFacts, fns: &[usize]) -> Vec<usize> {
    let ranges: Vec<Span> = fns
        .iter()
        .filter_map(|&i| code.function(i).map(|f| f.range))
        .collect();
    (0..code.functions.len())
        .filter(|&j| {
            let r = code.functions[j].range;
            ranges.iter().any(|o| r.start >= o.start && r.end <= o.end)
        })
        .collect()
}

/// Whether the work of the functions `working` of `module` reaches data only through server
/// actions the middleware does not protect: at least one work call of theirs calls such an
/// action, or hands one to a library (`prefetchQuery({ queryFn: getItems })`), and none
/// reaches data another way: `fetch`, a project module's function or value that is not such
/// an action, a module-level binding, or a server-only environment variable. Calls of
/// packages (`dehydrate`, a query client's methods) and of the function's own values are
/// not data of their own.
fn data_through_actions(p: &Project, module: usize, working: &[usize]) -> bool {
    let f = &p.files[module];
    let Some(code) = f.code() else {
        return false;
    };
    let rel = &f.rel;
    // A name of the module: a server action (`Some(true)`), another project binding
    // (`Some(false)`), or a package's or a local value (`None`).
    let project_name = |name: &str| -> Option<bool> {
        if code.imports.contains_key(name) {
            let (target, export) = p.resolve_binding(rel, name)?;
            return Some(p.entries.iter().any(|e| {
                e.kind == EntryKind::ServerAction
                    && e.file == target
                    && e.symbol == export
                    && !matches!(e.protection, Protection::Middleware(_))
            }));
        }
        (code.bindings.contains_key(name) || code.local_function(name).is_some()).then_some(false)
    };
    let mut via_action = false;
    for &i in working {
        let Some(g) = code.function(i) else {
            return false;
        };
        if g.reads_env {
            return false;
        }
        for &w in &g.work_calls {
            let Some((callee, _)) = g.calls.get(w as usize) else {
                continue;
            };
            let root = callee[0].trim_end_matches("()");
            if root == "fetch" {
                return false;
            }
            match project_name(root) {
                Some(true) if callee.len() == 1 => via_action = true,
                Some(_) => return false,
                None => {}
            }
        }
        for (_, name) in code.handed.iter().filter(|(at, _)| *at as usize == i) {
            match project_name(name) {
                Some(true) => via_action = true,
                Some(false) => return false,
                None => {}
            }
        }
    }
    via_action
}

/// Whether a server function of the module (of `only`, when given) reads Clerk's session
/// (itself or through a project function it calls).
fn module_reads_session(an: &mut Analyzer<'_>, module: usize, only: Option<&[usize]>) -> bool {
    let Some(code) = an.project.files[module].code() else {
        return false;
    };
    let mut seen = HashSet::new();
    (0..code.functions.len())
        .filter(|&i| !code.functions[i].use_server && only.is_none_or(|v| v.contains(&i)))
        .any(|i| reads_session(an, (module, i), &mut seen))
}

/// How many calls deep `reads_session` follows project functions.
const MAX_SESSION_HOPS: usize = 4;

/// Whether function `key` calls `auth()`, `getAuth()`, `currentUser()` or `auth.protect()`,
/// which need the middleware to have run, itself or through the project functions it calls
/// (`MAX_SESSION_HOPS` deep).
fn reads_session(
    an: &mut Analyzer<'_>,
    key: super::guards::FnKey,
    seen: &mut HashSet<super::guards::FnKey>,
) -> bool {
    use crate::facts::code::SessionCall;
    let mut frontier = vec![key];
    for _ in 0..=MAX_SESSION_HOPS {
        let mut next = Vec::new();
        for (file, i) in frontier {
            if !seen.insert((file, i)) {
                continue;
            }
            let Some(code) = an.project.files[file].code() else {
                continue;
            };
            if code.auth_calls.iter().any(|a| {
                a.function == Some(i)
                    && matches!(
                        a.kind,
                        SessionCall::Auth
                            | SessionCall::CurrentUser
                            | SessionCall::GetAuth
                            | SessionCall::Protect
                    )
            }) {
                return true;
            }
            let Some(g) = code.function(i) else { continue };
            for (callee, _) in &g.calls {
                if let Some(k) = an.resolve_fn(file, callee) {
                    next.push(k);
                }
            }
        }
        frontier = next;
    }
    false
}

/// A server-side check the route model does not see for pages: a check (direct or through a
/// helper) in the page's server component, in a layout above it, or in `getServerSideProps`.
fn server_check(
    p: &Project,
    an: &mut Analyzer<'_>,
    e: &Entry,
    page: usize,
    pages_router: bool,
) -> Option<(String, String)> {
    let evidence = |an: &mut Analyzer<'_>, file: usize, export: &str| -> Option<Evidence> {
        let target = an.resolve_export(file, export, 0)?;
        an.handler_protection(&target, 0).auth.map(|e| *e)
    };
    if pages_router {
        let ev = evidence(an, page, "getServerSideProps")?;
        return Some((
            "getServerSideProps".into(),
            format!("{} in `getServerSideProps`", ev.describe()),
        ));
    }
    if !p.files[page].is_client_module()
        && let Some(ev) = evidence(an, page, "default")
    {
        let label = match ev.via.first() {
            Some(first) => format!(
                "guard {}",
                first.split(' ').next().unwrap_or(first).trim_matches('`')
            ),
            None => "handler".to_string(),
        };
        return Some((label, ev.describe()));
    }
    let app = p.apps.get(e.app)?;
    let app_dir = app.app_dir.as_deref()?;
    let mut dir = parent_dir(&e.file);
    loop {
        for ext in &app.page_extensions {
            let rel = if dir.is_empty() {
                format!("layout.{ext}")
            } else {
                format!("{dir}/layout.{ext}")
            };
            let Some(id) = p.file_index(&rel) else {
                continue;
            };
            if route_stem(app, file_name(&rel)) != Some("layout") || p.files[id].is_client_module()
            {
                continue;
            }
            if let Some(ev) = evidence(an, id, "default") {
                return Some(("layout".into(), format!("{} in `{rel}`", ev.describe())));
            }
            if let Some(g) = p.files[id].gates()
                && let Some(gate) = g
                    .gates
                    .iter()
                    .find(|g| g.kind == GateKind::Component && !g.ui_only)
            {
                return Some((
                    "layout".into(),
                    format!(
                        "{} in the server layout `{rel}` renders the subtree only for signed-in users",
                        gate.what
                    ),
                ));
            }
        }
        if dir == app_dir || dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

/// Why the server does not protect a page, for messages.
fn why_unprotected(p: &Project, e: &Entry, pages_router: bool) -> String {
    let page_text = p.file(&e.file).map(|f| f.text());
    let page_text = page_text.as_deref().map_or("", String::as_str);
    let own = if pages_router && page_text.contains("getServerSideProps") {
        "no session check in `getServerSideProps`"
    } else if pages_router {
        "no `getServerSideProps` checks the session"
    } else if p.file(&e.file).is_some_and(|f| f.is_client_module()) {
        "no session check in a layout above this client page"
    } else {
        "no session check in the page or a layout above it"
    };
    let mw = match e.middleware_verdict(p) {
        Verdict::NotMatched if !p.middlewares.iter().any(|m| m.app == e.app && m.loaded()) => {
            "the app has no middleware that Next.js loads".to_string()
        }
        Verdict::NotMatched => "the middleware's `config.matcher` does not run on it".to_string(),
        Verdict::NotProtected(_) => "the middleware runs on it but does not protect it".to_string(),
        Verdict::Unknown(why) => format!("whether the middleware protects it is unknown ({why})"),
        Verdict::Protected(_) | Verdict::Public { .. } => {
            "the middleware does not protect it".to_string()
        }
    };
    format!("{own}, and {mw}")
}

/// Requests from the gated client modules (and the helper functions they import) to
/// endpoints the route model reports unprotected.
fn open_endpoints(p: &Project, page: &Entry, modules: &[usize]) -> Vec<OpenEndpoint> {
    let mut requests: Vec<(usize, Fetch)> = Vec::new();
    for &m in modules {
        let Some(g) = p.files[m].gates() else {
            continue;
        };
        requests.extend(g.fetches.iter().map(|f| (m, f.clone())));
        // Data helpers: the functions the module imports from a project module.
        for (k, e) in p.edges(m).iter().enumerate() {
            let Some(h) = e.file() else { continue };
            if !e.is_runtime() || modules.contains(&h) || !p.files[h].hits.any(REQUEST_WORDS) {
                continue;
            }
            let names: Vec<&str> = p.files[m].imports()[k]
                .names
                .iter()
                .map(|n| n.imported.as_str())
                .collect();
            let Some(hg) = p.files[h].gates() else {
                continue;
            };
            for f in &hg.fetches {
                if f.function.as_deref().is_some_and(|n| names.contains(&n)) {
                    requests.push((h, f.clone()));
                }
            }
        }
    }
    let mut out: Vec<OpenEndpoint> = Vec::new();
    for (file, fetch) in requests {
        let Some(entry) = endpoint_for(p, page.app, &fetch) else {
            continue;
        };
        if p.entries[entry].protection.is_unprotected()
            && !out
                .iter()
                .any(|o| o.entry == entry && o.fetch.path == fetch.path)
        {
            out.push(OpenEndpoint { file, fetch, entry });
        }
    }
    out
}

/// Words one of which a module must contain to send a request (substrings; the prefilter
/// knows them).
const REQUEST_WORDS: &[&str] = &[
    "fetch", "axios", "useSWR", ".get(", ".post(", ".put(", ".patch(", ".delete(",
];

/// The route handler or API route of `app` a request goes to (the most specific match, as
/// Next.js prefers static segments).
pub fn endpoint_for(p: &Project, app: usize, fetch: &Fetch) -> Option<usize> {
    p.entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.app == app)
        .filter(|(_, e)| match e.kind {
            EntryKind::RouteHandler => e.symbol == fetch.method,
            EntryKind::PagesApi => true,
            // A Nuxt handler without a method suffix answers every method.
            EntryKind::NuxtHandler => e.symbol == fetch.method || e.symbol == "ALL",
            _ => false,
        })
        .filter_map(|(i, e)| Some((i, url_match_score(e.url.as_deref()?, &fetch.path)?)))
        .max_by_key(|(i, score)| (*score, std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

/// Whether a request path matches a route pattern (`/api/users/[id]`, `[...slug]`,
/// `[[...slug]]`), and how specifically (static segments matched). A path segment holding a
/// `${…}` placeholder matches any segment its literal prefix allows.
pub fn url_match_score(pattern: &str, path: &str) -> Option<usize> {
    let pat: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut score = 0;
    let mut i = 0;
    for (k, pseg) in pat.iter().enumerate() {
        if pseg.starts_with("[[...") {
            return (k == pat.len() - 1).then_some(score);
        }
        if pseg.starts_with("[...") {
            return (k == pat.len() - 1 && i < segs.len()).then_some(score);
        }
        let seg = segs.get(i)?;
        if pseg.starts_with('[') {
            i += 1;
            continue;
        }
        match seg.split_once(PLACEHOLDER) {
            Some((prefix, _)) => {
                if !pseg.starts_with(prefix) {
                    return None;
                }
            }
            None => {
                if seg != pseg {
                    return None;
                }
                score += 1;
            }
        }
        i += 1;
    }
    (i == segs.len()).then_some(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_words_are_whole_identifiers() {
        assert!(contains_word("const { user } = useUser()", "useUser"));
        assert!(contains_word("<SignedIn>", "SignedIn"));
        assert!(!contains_word("useUserToken: false", "useUser"));
        assert!(!contains_word("<ShowMore />", "Show"));
        assert!(!contains_word("isProtected", "Protect"));
    }

    #[test]
    fn request_paths_match_route_patterns() {
        let p = PLACEHOLDER;
        let cases: &[(&str, String, Option<usize>)] = &[
            ("/api/users", "/api/users".into(), Some(2)),
            ("/api/users", "/api/users/".into(), Some(2)),
            ("/api/users/[id]", "/api/users/42".into(), Some(2)),
            ("/api/users/[id]", format!("/api/users/{p}"), Some(2)),
            ("/api/users/me", format!("/api/users/{p}"), Some(2)),
            ("/api/users", format!("/api/users{p}"), Some(1)),
            ("/api/users/[id]", "/api/users".into(), None),
            ("/api/[...all]", "/api/a/b".into(), Some(1)),
            ("/api/[...all]", "/api".into(), None),
            ("/api/[[...all]]", "/api".into(), Some(1)),
            ("/api/admin", "/api/users".into(), None),
            ("/", "/".into(), Some(0)),
        ];
        for (pattern, path, want) in cases {
            assert_eq!(url_match_score(pattern, path), *want, "{pattern} {path:?}");
        }
    }
}
