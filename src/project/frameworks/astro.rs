//! The Astro adapter: its entries in the one route model (see `project::frameworks`).
//!
//! - Endpoints: each `GET`/`POST`/…/`ALL` export of a script under `src/pages` (Astro 2's
//!   lower-case `get`/`post`/`del` too), kind `astro-endpoint`.
//! - Pages: an `.astro` page under `src/pages` whose frontmatter does work on the server
//!   (awaits or calls something: data, `locals.auth()`), kind `astro-page`; its frontmatter is
//!   summarised as one function (`facts::code::MODULE_BODY`).
//! - URLs are file-based: `[id]` and `[...rest]` segments kept, `index` dropped, the script
//!   extension removed (`rss.xml.ts` → `/rss.xml`); files and folders starting with `_` and
//!   prerendered routes (`export const prerender = true`) are not served per request.
//! - The front door is `onRequest` in `src/middleware.*`: `clerkMiddleware(handler)` judged
//!   with the one middleware model (its route matchers and the program of its handler).

use crate::facts::code::MODULE_BODY;
use crate::facts::frameworks::astro::{is_middleware_path, is_pages_path};
use crate::finding::Span;
use crate::project::Project;
use crate::project::apps::App;
use crate::project::guards::Target;
use crate::project::middleware::{MiddlewareModel, Verdict};
use crate::project::routes::{Entry, EntryKind, HTTP_METHODS};

/// Endpoint exports Astro serves (upper case since Astro 3; Astro 2 used lower case and `del`).
const LEGACY_METHODS: &[&str] = &["get", "post", "put", "patch", "del", "all"];

pub fn collect(project: &Project, app_index: usize, app: &App) -> Vec<Entry> {
    let pages_dir = app.path("src/pages");
    let front = front_door(project, app_index, app);
    let mut out = Vec::new();
    for (file_idx, f) in super::app_files(project, app_index) {
        if !is_pages_path(&f.rel) || !f.rel.starts_with(&format!("{pages_dir}/")) {
            continue;
        }
        let inner = &f.rel[pages_dir.len() + 1..];
        let Some(url) = page_url(inner) else {
            continue;
        };
        let Some(code) = f.code() else { continue };
        if code
            .frameworks
            .astro
            .as_deref()
            .is_some_and(|a| a.prerendered)
        {
            continue;
        }
        let entry =
            |kind, symbol: String, span| {
                let mut e = Entry::new(
                    app_index,
                    kind,
                    f.rel.to_string(),
                    Some(url.clone()),
                    symbol,
                    span,
                );
                match &front {
                    Some(m) => e.front = Some(verdict(m, &url)),
                    None => e.front_note = Some(
                        "and no `onRequest = clerkMiddleware(…)` in `src/middleware` protects it"
                            .into(),
                    ),
                }
                e
            };
        if f.rel.ends_with(".astro") {
            let Some((index, body)) = code
                .functions
                .iter()
                .enumerate()
                .find(|(_, func)| func.name.as_deref() == Some(MODULE_BODY))
            else {
                continue;
            };
            if body.does_work {
                let at = body.span.start;
                let mut e = entry(EntryKind::AstroPage, "GET".into(), Span::new(at, at + 3));
                e.target = Some(Target::Function((file_idx, index)));
                out.push(e);
            }
            continue;
        }
        for e in &code.exports {
            let name = e.name.as_str();
            if HTTP_METHODS.contains(&name) || name == "ALL" || LEGACY_METHODS.contains(&name) {
                out.push(entry(EntryKind::AstroEndpoint, name.to_string(), e.span));
            }
        }
    }
    out
}

/// The URL Astro serves a file of `src/pages` at (`inner` is the path below it: the shared
/// file-route reading, `super::file_route_url`); `None` for files Astro does not route
/// (`_`-prefixed files or folders).
pub fn page_url(inner: &str) -> Option<String> {
    if inner.split('/').any(|seg| seg.starts_with('_')) {
        return None;
    }
    Some(super::file_route_url("", inner, |stem| stem))
}

/// The app's `onRequest` middleware as the one middleware model (it runs on every request:
/// Astro has no matcher config).
pub(super) fn front_door(
    project: &Project,
    app_index: usize,
    app: &App,
) -> Option<MiddlewareModel> {
    let mut candidates: Vec<(usize, &crate::facts::FileFacts)> =
        super::app_files(project, app_index)
            .filter(|(_, f)| {
                is_middleware_path(&f.rel) && f.rel.starts_with(&format!("{}/", app.path("src")))
            })
            .collect();
    candidates.sort_by(|a, b| a.1.rel.cmp(&b.1.rel));
    let (file_idx, f) = candidates.into_iter().find(|(_, f)| {
        f.code()
            .and_then(|c| c.frameworks.astro.as_deref())
            .is_some_and(|a| a.on_request.is_some())
    })?;
    let code = f.code()?;
    let astro = code.frameworks.astro.as_deref()?;
    let mut model = super::every_request_model(
        project,
        app_index,
        file_idx,
        code,
        astro.on_request.as_ref(),
        "@clerk/astro",
    );
    model.span = model.span.or(astro.on_request_span);
    Some(model)
}

fn verdict(m: &MiddlewareModel, url: &str) -> Verdict {
    super::nuxt::verdict(m, url)
}

#[cfg(test)]
mod tests {
    use super::page_url;

    #[test]
    fn urls() {
        assert_eq!(page_url("index.astro").as_deref(), Some("/"));
        assert_eq!(page_url("api/me.ts").as_deref(), Some("/api/me"));
        assert_eq!(
            page_url("blog/[...slug].astro").as_deref(),
            Some("/blog/[...slug]")
        );
        assert_eq!(page_url("rss.xml.ts").as_deref(), Some("/rss.xml"));
        assert_eq!(
            page_url("users/[id]/index.astro").as_deref(),
            Some("/users/[id]")
        );
        assert_eq!(page_url("_partials/x.astro"), None);
    }
}
