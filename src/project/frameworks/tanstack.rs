//! The TanStack Start adapter: server functions (`createServerFn(…).handler(fn)`) and file
//! routes' server handlers are entries (see `project::frameworks`). A server function is an
//! RPC endpoint anyone can call (`/_serverFn/<id>`), whatever page uses it, so it is judged by
//! its own handler and the `.middleware([…])` it lists; a server route by its handler and the
//! route's `server.middleware`. A layout route's `beforeLoad` guards pages, not these.
//! Clerk's `clerkMiddleware()` (registered in `src/start.ts`) only makes `auth()` work: it
//! rejects no one.

use super::app_files;
use crate::facts::code::Binding;
use crate::facts::frameworks::tanstack::{Facts, FnRef};
use crate::finding::Span;
use crate::project::Project;
use crate::project::apps::App;
use crate::project::guards::{Analyzer, Target};
use crate::project::routes::{Entry, EntryKind};

/// A file's TanStack facts; files the prefilter rules out are never parsed for them.
fn ts_facts(f: &crate::facts::FileFacts) -> Option<&Facts> {
    if !crate::facts::frameworks::tanstack::wants(&f.rel, &f.hits) {
        return None;
    }
    f.code()?.frameworks.tanstack.as_deref()
}

/// Where the app registers Clerk's middleware: `createStart` with `clerkMiddleware()`
/// (`src/start.ts`) or the 0.x `createClerkHandler` server entry.
pub fn clerk_registration(project: &Project, app_index: usize) -> Option<(String, Span)> {
    app_files(project, app_index).find_map(|(_, f)| {
        let t = ts_facts(f)?;
        match (t.start, t.clerk_handler) {
            (Some((s, true)), _) => Some((f.rel.to_string(), s)),
            (_, Some(s)) => Some((f.rel.to_string(), s)),
            _ => None,
        }
    })
}

fn target(an: &Analyzer<'_>, file: usize, r: &FnRef) -> Option<Target> {
    match r {
        FnRef::Function { index } => Some(Target::Function((file, *index))),
        FnRef::Name { name } => {
            an.binding_target(file, &Binding::Identifier { name: name.clone() }, 0)
        }
        FnRef::Other => None,
    }
}

/// A file route path's URL: pathless `_layout` segments, `(group)` folders and `index` leave
/// no segment; a trailing `_` is dropped (`/_authed/api/chat` → `/api/chat`).
pub fn route_url(path: &str) -> String {
    let kept = path.split('/').filter(|seg| {
        let leaves_none =
            seg.starts_with('_') || (seg.starts_with('(') && seg.ends_with(')')) || *seg == "index";
        !seg.is_empty() && !leaves_none
    });
    super::segments_url("", kept.map(|seg| seg.strip_suffix('_').unwrap_or(seg)))
}

pub fn collect(project: &Project, app_index: usize, _app: &App) -> Vec<Entry> {
    let an = Analyzer::new(project);
    let registered = clerk_registration(project, app_index).is_some();
    let note: Option<Box<str>> = (!registered).then(|| {
        "and `clerkMiddleware()` is not registered in `createStart` (`src/start.ts`), so `auth()` cannot work either".into()
    });
    let mut out = Vec::new();
    for (fi, f) in app_files(project, app_index) {
        let Some(t) = ts_facts(f) else { continue };
        for sf in &t.server_fns {
            let mut e = Entry::new(
                app_index,
                EntryKind::ServerFn,
                f.rel.to_string(),
                None,
                sf.name.clone(),
                sf.span,
            );
            e.target = target(&an, fi, &sf.handler);
            e.chain = sf
                .middleware
                .iter()
                .filter_map(|m| target(&an, fi, m))
                .collect();
            e.front_note = note.clone();
            out.push(e);
        }
        for r in &t.routes {
            let url = r.path.as_deref().map(route_url);
            for h in &r.handlers {
                let mut e = Entry::new(
                    app_index,
                    EntryKind::ServerRoute,
                    f.rel.to_string(),
                    url.clone(),
                    h.method.clone(),
                    h.span,
                );
                e.target = target(&an, fi, &h.handler);
                e.chain = r
                    .middleware
                    .iter()
                    .chain(&h.middleware)
                    .filter_map(|m| target(&an, fi, m))
                    .collect();
                e.front_note = note.clone();
                out.push(e);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::route_url;

    #[test]
    fn file_route_urls() {
        assert_eq!(route_url("/api/notes"), "/api/notes");
        assert_eq!(route_url("/_authed/api/chat"), "/api/chat");
        assert_eq!(route_url("/(app)/orders/$id"), "/orders/$id");
        assert_eq!(route_url("/posts_/$postId/edit"), "/posts/$postId/edit");
        assert_eq!(route_url("/"), "/");
    }
}
