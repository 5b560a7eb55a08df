//! `clerk-guard routes`: the route table, for auditing an app.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::project::Project;
use crate::project::authz::{AuthzAnalyzer, EntryAuthz, has_org_segment};
use crate::project::page_access::PageVerdict;
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

/// The authorization evidence of every entry, in `sorted_entries` order. Pages are only looked
/// into when something already parsed them, or when their URL names an organization.
fn authz_of(project: &Project, rows: &[&Entry]) -> Vec<EntryAuthz> {
    let mut az = AuthzAnalyzer::new(project);
    rows.iter()
        .map(|e| {
            let unparsed_page = e.kind == EntryKind::Page
                && !e.url.as_deref().is_some_and(has_org_segment)
                && !project.file(&e.file).is_some_and(|f| f.code_is_parsed());
            if unparsed_page {
                EntryAuthz::default()
            } else {
                az.entry_authz(e)
            }
        })
        .collect()
}

pub fn json(project: &Project) -> String {
    let apps: Vec<Value> = project
        .apps
        .iter()
        .map(|a| {
            json!({
                "root": a.root,
                "name": a.name,
                "frameworks": a.frameworks,
                "next": a.next().map(|v| v.version.to_string()),
                "clerk_nextjs": a.clerk().map(|v| v.version.to_string()),
                "uses_clerk": a.uses_clerk,
                "no_clerk": !a.uses_clerk,
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
    let verdicts = page_verdicts(project);
    let rows = sorted_entries(project);
    let authz = authz_of(project, &rows);
    let routes: Vec<Value> = rows
        .into_iter()
        .zip(&authz)
        .map(|(e, a)| {
            let row = Row::judged(project, e, &verdicts);
            json!({
                "app": project.apps.get(e.app).map(|a| a.root.clone()),
                "no_clerk": !project.app_uses_clerk(e.app),
                "url": e.url,
                "kind": e.kind.as_str(),
                "symbol": e.symbol,
                "methods": methods(e),
                "file": e.file,
                "protection": row.protection,
                "protected": !row.unprotected,
                "detail": row.how,
                "page": row.page,
                "middleware": e.middleware,
                "authz": {
                    "label": a.label(),
                    "role": a.role,
                    "role_check": a.role_how,
                    "org_scoped": a.org_scoped,
                    "step_up": a.step_up.is_some(),
                    "step_up_check": a.step_up,
                },
            })
        })
        .collect();
    let doc = json!({ "version": 1, "apps": apps, "routes": routes });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// The boundary verdict of every page, by entry address.
fn page_verdicts(project: &Project) -> HashMap<*const Entry, &PageVerdict> {
    project
        .page_access()
        .iter()
        .map(|a| (&project.entries[a.entry] as *const Entry, &a.verdict))
        .collect()
}

/// One row's protection columns.
struct Row {
    protection: String,
    /// `server` / `client-only` / `public` for pages.
    page: Option<&'static str>,
    how: String,
    unprotected: bool,
}

impl Row {
    /// The row of an entry as both formats print it: an app outside the Clerk scope is not
    /// judged (`no Clerk`, neither protected nor unprotected).
    fn judged(project: &Project, e: &Entry, verdicts: &HashMap<*const Entry, &PageVerdict>) -> Row {
        let mut row = Row::of(e, verdicts.get(&(e as *const Entry)).copied());
        if !project.app_uses_clerk(e.app) {
            row.protection = "no Clerk".into();
            row.how = "the app does not use Clerk".into();
            row.unprotected = false;
        }
        row
    }

    /// Pages are not endpoints: one the server does not protect is `public`, and its page
    /// column says whether a browser-side gate is all there is (`client-only`).
    fn of(e: &Entry, verdict: Option<&PageVerdict>) -> Row {
        let unprotected = e.protection.is_unprotected();
        let (protection, how) = match verdict {
            Some(PageVerdict::Server { label, how }) if unprotected => (label.clone(), how.clone()),
            Some(PageVerdict::ClientOnly(c)) => (
                "public".to_string(),
                format!("gated only in the browser: {}; {}", c.gate.what, c.server),
            ),
            _ if e.kind == EntryKind::Page && unprotected => {
                ("public".to_string(), e.protection.detail())
            }
            _ => (e.protection.label(), e.protection.detail()),
        };
        Row {
            unprotected: unprotected && !matches!(verdict, Some(PageVerdict::Server { .. })),
            protection,
            page: verdict.map(PageVerdict::column),
            how,
        }
    }
}

fn methods(e: &Entry) -> Vec<String> {
    vec![e.method().unwrap_or_else(|| "*".to_string())]
}

/// The table's rows, in `sorted_entries` order: the entry and its seven columns.
fn table_rows(project: &Project) -> Vec<(&Entry, [String; 7], bool)> {
    let verdicts = page_verdicts(project);
    let entries = sorted_entries(project);
    let authz = authz_of(project, &entries);
    entries
        .into_iter()
        .zip(&authz)
        .map(|(e, a)| {
            let row = Row::judged(project, e, &verdicts);
            let cols = [
                e.url.clone().unwrap_or_else(|| "(server action)".into()),
                e.kind.cell(&e.symbol),
                e.file.clone(),
                row.protection,
                row.page.unwrap_or("-").to_string(),
                a.label(),
                row.how,
            ];
            // File names and URLs are untrusted: no terminal escapes reach the table.
            let cols = cols.map(|c| crate::finding::escape_control(&c).into_owned());
            (e, cols, row.unprotected)
        })
        .collect()
}

/// The `routes` row of the entries declared in `file` whose span `at` (a byte offset) falls
/// on, as Markdown for an editor's hover.
pub fn hover_markdown(
    project: &Project,
    file: &str,
    at: impl Fn(&Entry) -> bool,
) -> Option<String> {
    let mut out = String::new();
    for (e, c, unprotected) in table_rows(project) {
        if e.file != file || !at(e) {
            continue;
        }
        let tick = |s: &str| s.replace('`', "'");
        out.push_str(&format!(
            "**clerk-guard route** `{}` {}\n\n| | |\n|---|---|\n| URL | `{}` |\n| entry | {} |\n| protection | {}{} |\n| page | {} |\n| authz | {} |\n| how | {} |\n",
            tick(&c[1]),
            tick(&c[0]),
            tick(&c[0]),
            tick(&c[1]),
            if unprotected { "⚠ " } else { "" },
            tick(&c[3]),
            tick(&c[4]),
            tick(&c[5]),
            tick(&c[6]).replace('|', "\\|"),
        ));
    }
    (!out.is_empty()).then_some(out)
}

pub fn human(project: &Project) -> String {
    human_width(project, None)
}

/// The table, its HOW column wrapped to fit `width` columns (`None`: no limit).
pub fn human_width(project: &Project, width: Option<usize>) -> String {
    let mut open = 0;
    let rows: Vec<[String; 7]> = table_rows(project)
        .into_iter()
        .map(|(_, cols, unprotected)| {
            open += usize::from(unprotected);
            cols
        })
        .collect();
    let headers = ["URL", "ENTRY", "FILE", "PROTECTION", "PAGE", "AUTHZ", "HOW"];
    let mut widths = headers.map(str::len);
    for r in &rows {
        for (i, c) in r.iter().enumerate().take(6) {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cols: [&str; 7], out: &mut String| {
        out.push_str(&format!(
            "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {:w4$}  {:w5$}  {}\n",
            cols[0],
            cols[1],
            cols[2],
            cols[3],
            cols[4],
            cols[5],
            cols[6],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
            w5 = widths[5]
        ));
    };
    let prefix: usize = widths.iter().take(6).sum::<usize>() + 12;
    line(headers, &mut out);
    for r in &rows {
        match width {
            Some(w) if prefix + 24 <= w => {
                let parts = wrap_words(&r[6], w - prefix);
                let first = parts.first().map(String::as_str).unwrap_or("");
                line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], first], &mut out);
                for p in parts.iter().skip(1) {
                    out.push_str(&" ".repeat(prefix));
                    out.push_str(p);
                    out.push('\n');
                }
            }
            Some(w) => {
                // Too narrow for HOW beside the other columns: under the row, indented.
                line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], ""], &mut out);
                for p in wrap_words(&r[6], w.saturating_sub(4).max(20)) {
                    out.push_str("    ");
                    out.push_str(&p);
                    out.push('\n');
                }
            }
            None => line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6]], &mut out),
        }
    }
    out.push_str(&format!(
        "\n{} entries in {} app(s), {} unprotected\n",
        rows.len(),
        project.apps.len(),
        open
    ));
    out
}

/// Split `text` into lines of at most `width` characters at spaces; a word longer than the
/// width (a URL, a path) gets a line of its own, never broken.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let need = if cur.is_empty() {
            0
        } else {
            cur.chars().count() + 1
        };
        if need > 0 && need + word.chars().count() > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// The terminal width for tables: `COLUMNS`, else the terminal's, else `None` (not a
/// terminal: print everything).
pub fn terminal_width() -> Option<usize> {
    if let Some(c) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        return Some(c);
    }
    #[cfg(unix)]
    {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            // SAFETY: TIOCGWINSZ fills a `winsize` for a terminal file descriptor.
            let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
            let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) };
            if ok == 0 && ws.ws_col > 0 {
                return Some(ws.ws_col as usize);
            }
        }
    }
    None
}
