//! The Fastify adapter: its entries in the one route model (see `project::frameworks`).
//!
//! Fastify encapsulates: every `register(plugin)` opens a child scope (a plugin function),
//! and hooks, decorators and plugins registered in a scope reach that scope's routes and its
//! children's, never its parent's or its siblings'. A plugin wrapped with `fastify-plugin`
//! (`fp(fn)`) opens no scope: what it registers lands in the scope that registers it —
//! `clerkPlugin` of `@clerk/fastify` is such a plugin, so registering it in a scope puts its
//! hook on that scope's routes and its children's only. A route's URL is the prefixes of the
//! `register(…, { prefix })` chain above it joined with its own URL; what runs before its
//! handler is the pre-handler hooks (`addHook('onRequest' | 'preHandler' | …)`) of its scope
//! and the scopes above, then its own (`{ preHandler }`). Protection is decided by
//! `routes::analyse` with the one function summary (`getAuth(request)` and a rejection).

use std::collections::{HashMap, HashSet};

use super::express::target;
use super::{app_files, join_path};
use crate::facts::code::{Binding, CodeFacts};
use crate::facts::frameworks::fastify::{Facts, Kind, Registration};
use crate::finding::Span;
use crate::project::Project;
use crate::project::apps::App;
use crate::project::guards::{Analyzer, Target};
use crate::project::routes::{Entry, EntryKind};

/// How deep scopes and imports are followed.
const MAX_DEPTH: usize = 8;
/// URLs kept per route when a plugin is registered in several places.
const MAX_PREFIXES: usize = 8;

/// An encapsulation scope: an instance a file creates (file, name), or a plugin function.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Scope {
    Instance(usize, String),
    Plugin(usize, usize),
}

/// `register(child, { prefix })` in `parent`.
struct Edge {
    parent: Scope,
    child: Scope,
    prefix: String,
}

struct Model<'p> {
    project: &'p Project,
    files: Vec<(usize, &'p Facts)>,
    /// Scopes merged into their parent by `fastify-plugin`: scope → the scope it shares.
    shared: HashMap<Scope, Scope>,
    /// Encapsulating registrations (child scopes).
    edges: Vec<Edge>,
    /// Scopes where `clerkPlugin` is registered (after merging), with where.
    clerk: Vec<(Scope, usize, Span)>,
}

pub fn collect(project: &Project, app_index: usize, _app: &App) -> Vec<Entry> {
    let Some(m) = Model::new(project, app_index) else {
        return Vec::new();
    };
    let an = Analyzer::new(project);
    let mut out: Vec<Entry> = Vec::new();
    for (file, facts) in &m.files {
        let Some(code) = m.code(*file) else { continue };
        for reg in &facts.registrations {
            let Kind::Route {
                methods,
                url,
                handler,
                pre,
            } = &reg.kind
            else {
                continue;
            };
            let Some(scope) = m.scope_of(*file, facts, reg) else {
                continue;
            };
            let scope = m.canon(&scope);
            let mut chain: Vec<Target> = Vec::new();
            for (f, b) in m.hooks(&scope) {
                if let Some(c) = m.code(f)
                    && let Some(t) = target(&an, c, f, b)
                {
                    chain.push(t);
                }
            }
            chain.extend(pre.iter().filter_map(|b| target(&an, code, *file, b)));
            let handler = target(&an, code, *file, handler);
            let mut prefixes = Vec::new();
            m.prefixes(&scope, 0, &mut HashSet::new(), &mut prefixes);
            prefixes.dedup();
            let note = m.clerk_note(&scope);
            for method in methods {
                for p in prefixes.iter().take(MAX_PREFIXES) {
                    let u = join_path(p, url);
                    if out.iter().any(|e| {
                        *e.file == *project.files[*file].rel
                            && &e.symbol == method
                            && e.url.as_deref() == Some(u.as_str())
                    }) {
                        continue;
                    }
                    let mut e = Entry::new(
                        app_index,
                        EntryKind::FastifyRoute,
                        project.files[*file].rel.to_string(),
                        Some(u),
                        method.clone(),
                        reg.span,
                    );
                    e.target = handler.clone();
                    e.chain = chain.clone();
                    if let Some(n) = &note {
                        e.front_note = Some(format!("and {n}").into());
                        e.sdk_missing = Some(n.as_str().into());
                    }
                    out.push(e);
                }
            }
        }
    }
    out
}

impl<'p> Model<'p> {
    fn new(project: &'p Project, app_index: usize) -> Option<Model<'p>> {
        let files: Vec<(usize, &Facts)> = app_files(project, app_index)
            .filter_map(|(i, f)| Some((i, f.code()?.frameworks.fastify.as_deref()?)))
            .collect();
        if files.is_empty() {
            return None;
        }
        let mut m = Model {
            project,
            files,
            shared: HashMap::new(),
            edges: Vec::new(),
            clerk: Vec::new(),
        };
        let an = Analyzer::new(project);
        let mut clerk = Vec::new();
        for (file, facts) in &m.files {
            for reg in &facts.registrations {
                let Kind::Register { plugin, prefix } = &reg.kind else {
                    continue;
                };
                let Some(parent) = m.scope_of(*file, facts, reg) else {
                    continue;
                };
                match m.plugin(&an, *file, plugin, 0) {
                    Some(Plugin::Clerk) => clerk.push((parent, *file, reg.span)),
                    Some(Plugin::Function { key, shared: true }) => {
                        let child = Scope::Plugin(key.0, key.1);
                        if child != parent {
                            m.shared.entry(child).or_insert(parent);
                        }
                    }
                    Some(Plugin::Function { key, shared: false }) => m.edges.push(Edge {
                        parent,
                        child: Scope::Plugin(key.0, key.1),
                        prefix: prefix.clone().unwrap_or_default(),
                    }),
                    None => {}
                }
            }
        }
        m.clerk = clerk
            .into_iter()
            .map(|(s, f, sp)| (m.canon(&s), f, sp))
            .collect();
        Some(m)
    }

    fn code(&self, file: usize) -> Option<&'p CodeFacts> {
        self.project.files.get(file)?.code()
    }

    fn facts(&self, file: usize) -> Option<&'p Facts> {
        self.files.iter().find(|(f, _)| *f == file).map(|(_, x)| *x)
    }

    /// The scope a registration is made in: the plugin whose instance parameter it is called
    /// on, an instance the file creates, or one it imports from another module of the app.
    fn scope_of(&self, file: usize, facts: &Facts, reg: &Registration) -> Option<Scope> {
        if let Some(i) = reg.plugin {
            return Some(Scope::Plugin(file, i));
        }
        if facts.instances.contains(&reg.receiver) {
            return Some(Scope::Instance(file, reg.receiver.clone()));
        }
        if let Some(s) = self.imported_instance(file, &reg.receiver, 0) {
            return Some(s);
        }
        // A name the facts cannot place, in a file that uses Fastify: its own root.
        facts
            .imports_fastify
            .then(|| Scope::Instance(file, reg.receiver.clone()))
    }

    /// `import { app } from './app'`: the instance another module creates.
    fn imported_instance(&self, file: usize, name: &str, depth: usize) -> Option<Scope> {
        if depth > MAX_DEPTH {
            return None;
        }
        let imp = self.code(file)?.imports.get(name)?;
        let target = self
            .project
            .resolve(&self.project.files[file].rel, &imp.source)
            .and_then(|rel| self.project.file_index(&rel))?;
        let local = match self.code(target)?.export(&imp.imported) {
            Some(e) if e.from.is_none() => match &e.target {
                Binding::Identifier { name } => name.clone(),
                _ => return None,
            },
            _ => return None,
        };
        if self.facts(target)?.instances.contains(&local) {
            return Some(Scope::Instance(target, local));
        }
        self.imported_instance(target, &local, depth + 1)
    }

    /// What a `register` argument is: `clerkPlugin`, or a plugin function (shared with the
    /// registering scope when wrapped with `fastify-plugin`).
    fn plugin(&self, an: &Analyzer<'_>, file: usize, b: &Binding, depth: usize) -> Option<Plugin> {
        if depth > MAX_DEPTH {
            return None;
        }
        // `register(import('./routes'))`.
        if let Binding::Call { callee, args, .. } = b
            && callee.len() == 1
            && callee[0] == "import"
            && let Some(Binding::Identifier { name: src }) = args.first()
        {
            let rel = self.project.resolve(&self.project.files[file].rel, src)?;
            let t = self.project.file_index(&rel)?;
            let export = self.code(t)?.export("default")?;
            return self.plugin_target(an, an.binding_target(t, &export.target, 0)?, depth);
        }
        let t = an.binding_target(file, b, 0)?;
        self.plugin_target(an, t, depth)
    }

    fn plugin_target(&self, an: &Analyzer<'_>, t: Target, depth: usize) -> Option<Plugin> {
        match t {
            Target::Clerk { source, imported }
                if source.starts_with("@clerk/fastify") && imported == "clerkPlugin" =>
            {
                Some(Plugin::Clerk)
            }
            Target::Function(key) => Some(Plugin::Function { key, shared: false }),
            // `fp(plugin, opts)`.
            Target::Call { file, callee, args } => {
                let code = self.code(file)?;
                let fp =
                    callee.len() == 1 && code.import_source(&callee[0]) == Some("fastify-plugin");
                let inner = args.first()?;
                match self.plugin(an, file, inner, depth + 1)? {
                    Plugin::Function { key, shared } => Some(Plugin::Function {
                        key,
                        shared: shared || fp,
                    }),
                    Plugin::Clerk => Some(Plugin::Clerk),
                }
            }
            _ => None,
        }
    }

    /// The scope a scope shares (through `fastify-plugin`), followed to its end.
    fn canon(&self, s: &Scope) -> Scope {
        let mut cur = s.clone();
        for _ in 0..MAX_DEPTH {
            match self.shared.get(&cur) {
                Some(p) if *p != cur => cur = p.clone(),
                _ => break,
            }
        }
        cur
    }

    /// The encapsulating registrations of a (canonical) scope: (parent, prefix).
    fn parents(&self, s: &Scope) -> Vec<(Scope, &str)> {
        self.edges
            .iter()
            .filter(|e| self.canon(&e.child) == *s)
            .map(|e| (self.canon(&e.parent), e.prefix.as_str()))
            .collect()
    }

    /// The prefixes a scope's routes are served under.
    fn prefixes(&self, s: &Scope, depth: usize, seen: &mut HashSet<Scope>, out: &mut Vec<String>) {
        let parents = self.parents(s);
        if parents.is_empty() || depth > MAX_DEPTH || !seen.insert(s.clone()) {
            out.push(String::new());
            return;
        }
        for (p, prefix) in parents {
            let mut above = Vec::new();
            self.prefixes(&p, depth + 1, seen, &mut above);
            for a in above {
                if out.len() >= MAX_PREFIXES {
                    break;
                }
                let j = join_path(&a, prefix);
                out.push(if j == "/" { String::new() } else { j });
            }
        }
        seen.remove(s);
    }

    /// Whether `clerkPlugin` reaches a scope: registered in it, or in every scope it is
    /// registered from.
    fn covered(&self, s: &Scope, depth: usize, seen: &mut HashSet<Scope>) -> bool {
        if self.clerk.iter().any(|(c, _, _)| c == s) {
            return true;
        }
        let parents = self.parents(s);
        if parents.is_empty() || depth > MAX_DEPTH || !seen.insert(s.clone()) {
            return false;
        }
        let ok = parents
            .iter()
            .all(|(p, _)| self.covered(p, depth + 1, seen));
        seen.remove(s);
        ok
    }

    /// Why `clerkPlugin` does not run before a scope's routes, or `None` when it does.
    fn clerk_note(&self, s: &Scope) -> Option<String> {
        if self.covered(s, 0, &mut HashSet::new()) {
            return None;
        }
        Some(match self.clerk.first() {
            None => "`clerkPlugin` of `@clerk/fastify` is never registered".into(),
            Some((_, f, _)) => format!(
                "`clerkPlugin` is registered in another encapsulation scope ({}), which does not reach this route (what a plugin registers without `fastify-plugin` applies to that plugin's routes and its children's only)",
                self.project.files[*f].rel
            ),
        })
    }

    /// The pre-handler hooks that run for a scope's routes, outermost scope first.
    fn hooks(&self, s: &Scope) -> Vec<(usize, &'p Binding)> {
        let mut scopes = vec![s.clone()];
        let mut cur = s.clone();
        for _ in 0..MAX_DEPTH {
            let Some((p, _)) = self.parents(&cur).into_iter().next() else {
                break;
            };
            if scopes.contains(&p) {
                break;
            }
            scopes.push(p.clone());
            cur = p;
        }
        let mut out = Vec::new();
        for scope in scopes.iter().rev() {
            for (file, facts) in &self.files {
                for reg in &facts.registrations {
                    if let Kind::Hook { hook, .. } = &reg.kind
                        && self
                            .scope_of(*file, facts, reg)
                            .is_some_and(|r| self.canon(&r) == *scope)
                    {
                        out.push((*file, hook));
                    }
                }
            }
        }
        out
    }
}

/// What a `register` argument registers.
enum Plugin {
    Clerk,
    Function {
        key: crate::project::guards::FnKey,
        shared: bool,
    },
}
