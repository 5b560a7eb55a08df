//! `clerk-guard routes`: the route table, for auditing an app.

use serde_json::{Value, json};

use crate::project::Project;
use crate::project::routes::{Entry, EntryKind};

/// One row per entry, sorted by app, URL, kind, symbol.
pub fn sorted_entries(project: &Project) -> Vec<&Entry> {
    let mut rows: Vec<&Entry> = project.entries.iter().collect();
    rows.sort_by(|a, b| {
        (
            a.app,
            a.url.as_deref().unwrap_or("~"),
            a.kind.as_str(),
            &a.file,
            &a.symbol,
        )
            .cmp(&(
                b.app,
                b.url.as_deref().unwrap_or("~"),
                b.kind.as_str(),
                &b.file,
                &b.symbol,
            ))
    });
    rows
}

pub fn json(project: &Project) -> String {
    let apps: Vec<Value> = project
        .apps
        .iter()
        .map(|a| {
            json!({
                "root": a.root,
                "name": a.name,
                "next": a.next.as_ref().map(|v| v.version.to_string()),
                "clerk_nextjs": a.clerk.as_ref().map(|v| v.version.to_string()),
                "uses_clerk": a.uses_clerk,
                "app_dir": a.app_dir,
                "pages_dir": a.pages_dir,
                "middleware": project
                    .middlewares
                    .iter()
                    .filter(|m| project.apps.get(m.app).is_some_and(|x| x.root == a.root))
                    .map(|m| json!({ "file": m.file, "loaded": m.loaded(), "not_loaded": m.not_loaded }))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let routes: Vec<Value> = sorted_entries(project)
        .into_iter()
        .map(|e| {
            json!({
                "app": project.apps.get(e.app).map(|a| a.root.clone()),
                "url": e.url,
                "kind": e.kind.as_str(),
                "symbol": e.symbol,
                "methods": methods(e),
                "file": e.file,
                "protection": page_label(e),
                "protected": !e.protection.is_unprotected(),
                "detail": e.protection.detail(),
                "middleware": e.middleware,
            })
        })
        .collect();
    let doc = json!({ "version": 1, "apps": apps, "routes": routes });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Pages are not endpoints: an unprotected page is `public` (the client-only rule judges it).
fn page_label(e: &Entry) -> String {
    if e.kind == EntryKind::Page && e.protection.is_unprotected() {
        "public".into()
    } else {
        e.protection.label()
    }
}

fn methods(e: &Entry) -> Vec<String> {
    match e.kind {
        EntryKind::RouteHandler => vec![e.symbol.clone()],
        EntryKind::ServerAction => vec!["POST".into()],
        EntryKind::PagesApi => vec!["*".into()],
        EntryKind::Page => vec!["GET".into()],
    }
}

pub fn human(project: &Project) -> String {
    let rows: Vec<[String; 5]> = sorted_entries(project)
        .into_iter()
        .map(|e| {
            [
                e.url.clone().unwrap_or_else(|| "(server action)".into()),
                match e.kind {
                    EntryKind::RouteHandler => e.symbol.clone(),
                    EntryKind::PagesApi => "pages-api".into(),
                    EntryKind::ServerAction => format!("action {}", e.symbol),
                    EntryKind::Page => "page".into(),
                },
                e.file.clone(),
                page_label(e),
                e.protection.detail(),
            ]
        })
        .collect();
    let headers = ["URL", "ENTRY", "FILE", "PROTECTION", "HOW"];
    let mut widths = headers.map(str::len);
    for r in &rows {
        for (i, c) in r.iter().enumerate().take(4) {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cols: [&str; 5], out: &mut String| {
        out.push_str(&format!(
            "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {}\n",
            cols[0],
            cols[1],
            cols[2],
            cols[3],
            cols[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        ));
    };
    line(headers, &mut out);
    for r in &rows {
        line([&r[0], &r[1], &r[2], &r[3], &r[4]], &mut out);
    }
    let open = project
        .entries
        .iter()
        .filter(|e| e.protection.is_unprotected())
        .count();
    out.push_str(&format!(
        "\n{} entries in {} app(s), {} unprotected\n",
        rows.len(),
        project.apps.len(),
        open
    ));
    out
}
