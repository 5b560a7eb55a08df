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
use crate::facts::frameworks::nuxt::server_dir;
use crate::project::Project;
use crate::project::apps::{App, Framework};
use crate::project::guards::Target;
use crate::project::middleware::{self, Matcher, MiddlewareModel, Verdict};
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
            f.rel.clone(),
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
/// below it): `users/[id].get.ts` → (`/api/users/[id]`, `GET`).
pub fn handler_url(dir: &str, inner: &str) -> Option<(String, String)> {
    let mut url = if dir == "api" {
        "/api".to_string()
    } else {
        String::new()
    };
    let segs: Vec<&str> = inner.split('/').collect();
    let mut method = "ALL".to_string();
    for (i, seg) in segs.iter().enumerate() {
        let seg = if i + 1 == segs.len() {
            // Drop the extension, then a method suffix.
            let stem = seg.rsplit_once('.').map_or(*seg, |(s, _)| s);
            let stem = match stem.rsplit_once('.') {
                Some((s, m)) if HTTP_METHODS.contains(&m.to_ascii_uppercase().as_str()) => {
                    method = m.to_ascii_uppercase();
                    s
                }
                _ => stem,
            };
            if stem == "index" {
                continue;
            }
            stem
        } else {
            seg
        };
        url.push('/');
        url.push_str(seg);
    }
    if url.is_empty() {
        url.push('/');
    }
    Some((url, method))
}

impl Project {
    /// The `server/utils` module whose export `name` Nuxt auto-imports into the server file
    /// `file` (Nitro makes every export of `server/utils` available to server handlers
    /// without an import), when `file` is server code of a Nuxt app.
    pub fn nuxt_server_util(&self, file: usize, name: &str) -> Option<usize> {
        let app = self.file_app.get(file).copied().flatten()?;
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

/// The app's Clerk server middleware (a `server/middleware` file exporting
/// `clerkMiddleware(handler)`) as the one middleware model.
fn front_door(project: &Project, app_index: usize, app: &App) -> Option<MiddlewareModel> {
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
            .as_ref()
            .and_then(|n| n.middleware.as_ref())
        else {
            continue;
        };
        let clerk_import = |local: &str| {
            let imp = code.imports.get(local)?;
            (imp.source.starts_with("@clerk/nuxt") && imp.imported == "clerkMiddleware")
                .then(|| imp.imported.clone())
        };
        let matcher_for = |name: &str| project.route_matcher(file_idx, name, 0);
        let (behaviour, span, auth_middleware, deny_list) =
            middleware::behaviour_of(Some(kind), &clerk_import, &matcher_for);
        if matches!(behaviour, middleware::Behaviour::NotClerk { .. }) {
            continue;
        }
        return Some(MiddlewareModel {
            app: app_index,
            file: f.rel.clone(),
            not_loaded: None,
            matcher: Matcher::All { non_literal: None },
            behaviour,
            span,
            auth_middleware,
            deny_list,
            auth_middleware_calls: Vec::new(),
            stamped_headers: Vec::new(),
            actions: Err(String::new()),
        });
    }
    None
}

/// The middleware's verdict for every sample path of a URL pattern (the worst one).
pub(crate) fn verdict(m: &MiddlewareModel, url: &str) -> Verdict {
    crate::project::routes::worst_verdict(m, url)
}

#[cfg(test)]
mod tests {
    use super::handler_url;

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
