//! The Convex adapter: every public function of an app's `convex/` directory is an entry.
//!
//! A module of `convex/` (not `_generated/`) that exports `query(…)`, `mutation(…)` or
//! `action(…)` of its `_generated/server` (or `queryGeneric`/`mutationGeneric`/`actionGeneric`
//! of `convex/server`) exposes that function to every client of the deployment, by the name
//! `module:export` (`messages:list`); `internalQuery` and the other internal kinds are not
//! callable from outside. With Clerk, `ctx.auth.getUserIdentity()` is the caller's verified
//! identity (`null` when signed out): the handler (the function, or the `handler` of the
//! options object) is judged by the one function summary like any other entry.
//!
//! The routes of the HTTP router `convex/http.ts` exports are entries too
//! (`convex-http-action`): Convex serves them to anyone at the deployment's `.convex.site`
//! origin, the identity read the same way (from the `Authorization: Bearer` token the client
//! sends), a webhook's signature verified like any other machine credential.

use super::app_files;
use crate::facts::code::{Binding, CodeFacts, Export};
use crate::project::Project;
use crate::project::apps::App;
use crate::project::guards::{Analyzer, Target};
use crate::project::routes::{Entry, EntryKind};

/// What a Convex builder an import is makes: a public function (`query`, `mutation`,
/// `action`), an internal one, or an HTTP action.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Builder {
    Public,
    Internal,
    Http,
}

/// The builder an import is: of the app's `_generated/server`, or the `*Generic` one of
/// `convex/server`.
fn builder(code: &CodeFacts, local: &str) -> Option<Builder> {
    let imp = code.imports.get(local)?;
    let name = if imp.source.ends_with("_generated/server") {
        imp.imported.as_str()
    } else if imp.source == "convex/server" {
        imp.imported.strip_suffix("Generic")?
    } else {
        return None;
    };
    match name {
        "query" | "mutation" | "action" => Some(Builder::Public),
        "internalQuery" | "internalMutation" | "internalAction" => Some(Builder::Internal),
        "httpAction" => Some(Builder::Http),
        _ => None,
    }
}

/// Whether an import makes a public Convex function builder.
fn public_builder(code: &CodeFacts, local: &str) -> bool {
    builder(code, local) == Some(Builder::Public)
}

/// The `convex/` directory a file lies in (`convex/`, `apps/web/convex/`).
fn convex_dir(rel: &str) -> Option<&str> {
    if rel.starts_with("convex/") {
        return Some("convex/");
    }
    let at = rel.find("/convex/")?;
    Some(&rel[..at + "/convex/".len()])
}

/// The module path of a file inside `convex/` (`convex/messages.ts` → `messages`), or `None`
/// for a file outside it or in `_generated/`.
fn module_name(rel: &str) -> Option<String> {
    let inner = &rel[convex_dir(rel)?.len()..];
    if inner.starts_with("_generated/") || inner.contains("/_generated/") {
        return None;
    }
    let stem = inner.rsplit_once('.').map_or(inner, |(s, _)| s);
    Some(stem.to_string())
}

pub fn collect(project: &Project, app_index: usize, _app: &App) -> Vec<Entry> {
    let an = Analyzer::new(project);
    let mut out = Vec::new();
    for (file, f) in app_files(project, app_index) {
        let Some(module) = module_name(&f.rel) else {
            continue;
        };
        if module == "http" {
            http_routes(&an, app_index, file, &mut out);
        }
        // Only a module that imports a builder (Convex's, or one of the project's: chat-io's
        // `query` of `./lib/functions`, a `customQuery` of Convex's), or re-exports, can
        // define a public function (its imports are known without parsing).
        if !f.imports().iter().any(|i| {
            i.source.ends_with("_generated/server")
                || i.source == "convex/server"
                || i.kind == crate::facts::imports::ImportKind::ReExport
                || project.resolve(&f.rel, &i.source).is_some()
        }) {
            continue;
        }
        let Some(code) = f.code() else { continue };
        for export in &code.exports {
            // `export { create } from './taskMutations'`: the same function, callable under
            // this module's name too; judged where it is defined.
            let (def_file, def_code, target) = match &export.from {
                Some(_) => match reexported(project, file, export, 0) {
                    Some(d) => d,
                    None => continue,
                },
                None => (file, code, &export.target),
            };
            let Binding::Call { callee, args, .. } = target else {
                continue;
            };
            let (file, code) = (def_file, def_code);
            let [called] = callee.as_slice() else {
                continue;
            };
            if !public_builder(code, called) {
                // A builder of the project (`protectedQuery = customQuery(query, …)`, or a
                // function returning `query({ handler })`) wraps a public one: the export is
                // a public function, judged through the builder as a wrapper of its handler.
                if let Some(chain) = project_builder(project, &an, file, called) {
                    let mut e = entry(app_index, &f.rel, &module, export);
                    e.target =
                        handler(args).and_then(|h| super::express::target(&an, code, file, h));
                    e.chain = chain;
                    out.push(e);
                }
                continue;
            }
            let mut e = entry(app_index, &f.rel, &module, export);
            e.target = handler(args).and_then(|h| super::express::target(&an, code, file, h));
            out.push(e);
        }
    }
    out
}

/// The function a reference of `_generated/api` names (`api.notes.get`, `internal.admin.
/// users.remove`), from a file of the same `convex/` directory: what `ctx.runQuery(ref, …)`
/// runs (`facts::code` records the call under the reference). The first function of the
/// builder's chain when it has one (`protectedQuery`'s handler, which checks and then calls
/// the given one), else the handler: what throws for a signed-out caller, if anything does.
pub(crate) fn function_reference(
    an: &Analyzer<'_>,
    file: usize,
    path: &[String],
) -> Option<Target> {
    // A reference that leads back to itself through handlers bound to names: followed a few
    // deep, then unknown.
    thread_local! {
        static DEPTH: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
    }
    struct Level;
    impl Drop for Level {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
    if DEPTH.with(|d| d.get()) >= 4 {
        return None;
    }
    DEPTH.with(|d| d.set(d.get() + 1));
    let _level = Level;
    let project = an.project;
    let [root, module @ .., name] = path else {
        return None;
    };
    if module.is_empty() {
        return None;
    }
    let code = project.files.get(file)?.code()?;
    let imp = code.imports.get(root)?;
    if !imp.source.ends_with("_generated/api")
        || !matches!(imp.imported.as_str(), "api" | "internal")
    {
        return None;
    }
    let stem = format!(
        "{}{}",
        convex_dir(&project.files[file].rel)?,
        module.join("/")
    );
    let def_file = ["ts", "js", "tsx", "jsx", "mts", "mjs"]
        .iter()
        .find_map(|ext| project.file_index(&format!("{stem}.{ext}")))?;
    let def_code = project.files.get(def_file)?.code()?;
    let export = def_code.export(name)?;
    let (def_file, def_code, target) = match &export.from {
        Some(_) => reexported(project, def_file, export, 0)?,
        None => (def_file, def_code, &export.target),
    };
    let Binding::Call { callee, args, .. } = target else {
        return None;
    };
    let [name_of_builder] = callee.as_slice() else {
        return None;
    };
    if !matches!(
        builder(def_code, name_of_builder),
        Some(Builder::Public | Builder::Internal)
    ) {
        let chain = project_builder(project, an, def_file, name_of_builder)?;
        if let Some(first) = chain.into_iter().next() {
            return Some(first);
        }
    }
    handler(args).and_then(|h| super::express::target(an, def_code, def_file, h))
}

/// The routes of the HTTP router `convex/http.ts` registers, each an entry named by its path,
/// its handler the function `httpAction(fn)` wraps (written there or bound to a name of the
/// project). A handler that is not an HTTP action of the project is judged as it resolves.
fn http_routes(an: &Analyzer<'_>, app_index: usize, file: usize, out: &mut Vec<Entry>) {
    let project = an.project;
    let Some(f) = project.files.get(file) else {
        return;
    };
    let Some(code) = f.code() else { return };
    let Some(facts) = code.frameworks.convex.as_deref() else {
        return;
    };
    for route in &facts.routes {
        let mut e = Entry::new(
            app_index,
            EntryKind::ConvexHttpAction,
            f.rel.to_string(),
            Some(route.path.clone().unwrap_or_else(|| "*".to_string())),
            route.method.clone().unwrap_or_else(|| "ALL".to_string()),
            route.span,
        );
        e.target = super::express::target(an, code, file, &route.handler).map(|t| match t {
            Target::Call {
                file: at,
                callee,
                args,
            } => {
                let wrapped = match (callee.as_slice(), args.first()) {
                    ([name], Some(inner)) => project
                        .files
                        .get(at)
                        .and_then(|x| x.code())
                        .filter(|c| builder(c, name) == Some(Builder::Http))
                        .and_then(|c| super::express::target(an, c, at, inner)),
                    _ => None,
                };
                wrapped.unwrap_or(Target::Call {
                    file: at,
                    callee,
                    args,
                })
            }
            other => other,
        });
        out.push(e);
    }
}

/// What a re-export (`export { x as y } from './m'`) stands for: the file that defines it, its
/// code facts and the definition (followed through further re-exports).
fn reexported<'p>(
    project: &'p Project,
    file: usize,
    export: &Export,
    depth: usize,
) -> Option<(usize, &'p CodeFacts, &'p Binding)> {
    if depth > 8 {
        return None;
    }
    let from = export.from.as_deref()?;
    let original = match &export.target {
        Binding::Identifier { name } => name.as_str(),
        _ => export.name.as_str(),
    };
    let rel = project.resolve(&project.files[file].rel, from)?;
    let next = project.file_index(&rel)?;
    let code = project.files.get(next)?.code()?;
    let def = code.export(original)?;
    if def.from.is_some() {
        return reexported(project, next, def, depth + 1);
    }
    Some((next, code, &def.target))
}

/// The handler of a builder call: the options object's `handler`, or the function itself.
fn handler(args: &[Binding]) -> Option<&Binding> {
    match args.first()? {
        Binding::Object { fields, .. } => {
            fields.iter().find(|x| x.key == "handler").map(|x| &x.value)
        }
        b => Some(b),
    }
}

fn entry(app_index: usize, rel: &str, module: &str, export: &Export) -> Entry {
    let name = if export.name == "default" {
        module.to_string()
    } else {
        format!("{module}:{}", export.name)
    };
    Entry::new(
        app_index,
        EntryKind::ConvexFunction,
        rel.to_string(),
        Some(name),
        export.name.clone(),
        export.span,
    )
}

/// Whether `name` (of `file`) is a builder of the project that makes public functions, and
/// what of it runs before the handler: a `customQuery(query, customCtx(fn))` /
/// `customQuery(query, { input: fn })` of convex-helpers (`fn`). `None` for anything else.
fn project_builder(
    project: &Project,
    an: &Analyzer<'_>,
    file: usize,
    name: &str,
) -> Option<Vec<Target>> {
    match an.resolve_callee(file, &vec![name.to_string()])? {
        // A function of the project that returns `query({ handler })` (`protectedQuery`):
        // the handler it builds (summarised where it is written) runs before the one it is
        // given, which it calls. A builder whose public call holds no such function is left
        // out rather than judged on the given handler alone.
        Target::Function((f, index)) => {
            let code = project.files.get(f)?.code()?;
            let builder = code.function(index)?;
            let mut chain = Vec::new();
            for (path, at) in &builder.calls {
                let [callee] = path.as_slice() else { continue };
                if !public_builder(code, callee) {
                    continue;
                }
                chain.extend(
                    code.functions
                        .iter()
                        .enumerate()
                        .filter(|(i, g)| {
                            *i != index && g.range.start >= at.start && g.range.end <= at.end
                        })
                        .map(|(i, _)| Target::Function((f, i))),
                );
            }
            (!chain.is_empty()).then_some(chain)
        }
        Target::Call { file: f, args, .. } => {
            let code = project.files.get(f)?.code()?;
            let builds = args
                .iter()
                .any(|a| matches!(a, Binding::Identifier { name } if public_builder(code, name)));
            if !builds {
                return None;
            }
            let mut chain = Vec::new();
            for a in args.iter().skip(1) {
                let fns: Vec<&Binding> = match a {
                    Binding::Call { args: inner, .. } => inner.iter().collect(),
                    Binding::Object { fields, .. } => fields
                        .iter()
                        .filter(|x| x.key == "input")
                        .map(|x| &x.value)
                        .collect(),
                    other => vec![other],
                };
                chain.extend(
                    fns.into_iter()
                        .filter_map(|b| super::express::target(an, code, f, b)),
                );
            }
            Some(chain)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::module_name;

    /// A function whose handler is a reference to itself, run by an HTTP action: followed a
    /// few deep, then unknown (no endless resolution).
    #[test]
    fn references_that_loop_end() {
        let p = crate::project::model_of(&[
            ("package.json", r#"{"dependencies":{"convex":"1.17.0"}}"#),
            (
                "convex/m.ts",
                "import { query } from './_generated/server'\n\
                 import { api } from './_generated/api'\n\
                 export const f = query({ args: {}, handler: api.m.f })\n",
            ),
            (
                "convex/http.ts",
                "import { httpRouter } from 'convex/server'\n\
                 import { httpAction } from './_generated/server'\n\
                 import { api } from './_generated/api'\n\
                 const http = httpRouter()\n\
                 http.route({ path: '/x', method: 'POST', handler: httpAction(async (ctx) => {\n\
                   await ctx.runQuery(api.m.f, {})\n\
                   await ctx.runMutation(api.m.f, {})\n\
                   return new Response('ok')\n\
                 }) })\n\
                 export default http\n",
            ),
        ]);
        assert!(
            p.entries
                .iter()
                .any(|e| e.kind == crate::project::routes::EntryKind::ConvexHttpAction)
        );
    }

    #[test]
    fn module_names() {
        assert_eq!(
            module_name("convex/messages.ts").as_deref(),
            Some("messages")
        );
        assert_eq!(
            module_name("apps/web/convex/admin/users.ts").as_deref(),
            Some("admin/users")
        );
        assert_eq!(module_name("convex/_generated/server.js"), None);
        assert_eq!(module_name("src/lib/convexClient.ts"), None);
    }
}
