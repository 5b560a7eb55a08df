//! Running `clerk-guard probe` from the command line: load the project, probe, and report in
//! every format (the human format adds the joined route table).

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::{Value, json};

use super::classify::{Outcome, StaticView, Verdict};
use super::{ProbeArgs, ProbeRun, Row, Settings};
use crate::cli::EXIT_ERROR;
use crate::engine::{self, RuleSet, ScanResult};
use crate::finding::Finding;
use crate::report::{self, Format, ReportOptions};

/// Run the command; returns the exit status.
pub fn run(args: ProbeArgs) -> i32 {
    let start = Instant::now();
    let settings = match Settings::from_args(&args) {
        Ok(s) => s,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let (root, _) = match engine::resolve_paths(std::slice::from_ref(&args.path)) {
        Ok(r) => r,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let config = match crate::config::Config::load(args.config.as_deref(), &root) {
        Ok(c) => c,
        Err(e) => {
            crate::eprintln_redacted!("error: config error: {e}");
            return EXIT_ERROR;
        }
    };
    // Only the probe rules; `[rules]` levels in the config still apply (so no `--select`).
    let others: Vec<String> = crate::rules::Group::ALL
        .iter()
        .filter(|g| **g != crate::rules::Group::Probe)
        .map(|g| g.as_str().to_string())
        .collect();
    let rules = match RuleSet::new(&config, &[], &others) {
        Ok(r) => r,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let (project, mut warnings) = engine::load_project(&root, config, false);
    let entries = match super::app_entries(&project, args.app.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            return EXIT_ERROR;
        }
    };
    if let Err(e) = settings
        .base
        .check_reachable(settings.timeout.min(std::time::Duration::from_secs(5)))
    {
        crate::eprintln_redacted!(
            "error: {e}: is the app running? (start it with `next start` or `next dev`)"
        );
        return EXIT_ERROR;
    }
    if !args.quiet && !settings.base.is_loopback() {
        crate::eprintln_redacted!(
            "note: probing the remote host {} (--allow-remote)",
            settings.base.url.origin()
        );
    }
    let client = settings.client();
    let mut probe = super::probe_entries_with(&entries, &settings, &client);
    if !settings.users.is_empty() {
        let began = Instant::now();
        let checks = super::roles::checks(&project, &entries);
        probe.roles = super::roles::probe_roles(&entries, &checks, &settings, &client);
        probe.requests = client.sent();
        probe.elapsed += began.elapsed();
        warnings.extend(user_warnings(&settings, &probe));
    }
    for p in &probe.unused_params {
        warnings.push(format!("--param {p}: no route has a `[{p}]` segment"));
    }
    if let Some(hint) = all_errors_hint(&probe) {
        warnings.push(hint);
    }
    if let Some(hint) = session_not_accepted_hint(&settings, &probe) {
        warnings.push(hint);
    }

    let mut findings: Vec<Finding> = super::findings(&probe.rows, settings.as_user)
        .into_iter()
        .chain(super::roles::findings(&probe.roles))
        .filter(|f| rules.is_active(f.rule))
        .collect();
    findings = engine::finish(&project, &rules, findings, None);
    warnings.sort();
    let mut sources = BTreeMap::new();
    for f in &findings {
        if let Some(file) = project.file(&f.path) {
            sources
                .entry(f.path.clone())
                .or_insert_with(|| file.source.pinned());
        }
    }
    let result = ScanResult {
        root,
        findings,
        files: project.files.len(),
        warnings,
        notes: Vec::new(),
        elapsed: start.elapsed(),
        sources,
    };

    // Probe prints its own summary: the report itself is always quiet.
    let opts = ReportOptions {
        quiet: true,
        ..crate::cli::report_options(
            &result.warnings,
            args.quiet,
            args.output.is_none(),
            args.color,
        )
    };
    let rendered = match args.format {
        Format::Human => {
            let mut out = String::new();
            if !args.quiet {
                // Route URLs come from directory names and answers from the server: no raw
                // control characters reach the terminal.
                let probed = format!(
                    "{}{}{}{}",
                    header(&settings, &probe),
                    table(&probe.rows),
                    notes(&probe.rows, settings.as_user),
                    role_section(&settings, &probe.roles)
                );
                for line in probed.lines() {
                    out.push_str(&crate::finding::escape_control(line));
                    out.push('\n');
                }
                out.push('\n');
            }
            out.push_str(&report::render(Format::Human, &result, &opts));
            if !args.quiet {
                out.push_str(&summary(&probe));
                out.push('\n');
                out.push_str(&report::summary_line(&result));
                out.push('\n');
            }
            out
        }
        Format::Json => with_probe_json(
            &report::render(Format::Json, &result, &opts),
            &settings,
            &probe,
        ),
        other => report::render(other, &result, &opts),
    };
    let mut rendered = super::classify::redact(&rendered);
    for u in &settings.users {
        // Tokens that are not JWTs escape the pattern above: never print them either.
        if u.token().len() >= 8 {
            rendered = rendered.replace(u.token(), &format!("(token of {})", u.name));
        }
    }
    crate::cli::deliver(
        &rendered,
        args.output.as_deref(),
        &result.findings,
        args.fail_on,
    )
}

/// What the user should know about the `--as` tokens: unreadable claims, expiry, tokens the
/// server did not accept.
fn user_warnings(settings: &Settings, probe: &ProbeRun) -> Vec<String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let mut out = Vec::new();
    for u in &settings.users {
        if !u.claims.readable {
            out.push(format!(
                "--as {}: the token is not a readable JWT, so its roles are unknown and its \
                 answers confirm nothing (pass the `__session` token, not a cookie header)",
                u.name
            ));
        } else if let Some(exp) = u.claims.exp
            && exp < now
        {
            out.push(format!(
                "--as {}: the token expired {}s ago (Clerk session tokens live 60 seconds by \
                 default): copy a fresh one, or mint a longer-lived one for testing",
                u.name,
                now - exp
            ));
        }
        let rejected: Vec<&super::roles::RoleRow> = probe
            .roles
            .iter()
            .filter(|r| r.user == u.name && r.verdict == super::roles::RoleVerdict::SessionRejected)
            .collect();
        if let Some(first) = rejected.first() {
            let why = first
                .result
                .clerk_reason
                .as_deref()
                .map(|r| format!(" (x-clerk-auth-reason: {r})"))
                .unwrap_or_default();
            out.push(format!(
                "--as {}: the server did not take the token as a session on {} request{}{why}: \
                 those checks were not tested as that user",
                u.name,
                rejected.len(),
                if rejected.len() == 1 { "" } else { "s" }
            ));
        }
    }
    out
}

/// The `--as` table: one row per (entry, check, user), then the notes.
pub fn role_section(settings: &Settings, rows: &[super::roles::RoleRow]) -> String {
    use super::roles::RoleVerdict as V;
    if settings.users.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nRole and organization checks, as ");
    let users: Vec<String> = settings
        .users
        .iter()
        .map(|u| format!("{} ({})", u.name, u.claims.summary()))
        .collect();
    out.push_str(&users.join(", "));
    out.push_str(":\n\n");
    if rows.is_empty() {
        out.push_str(
            "  no entry checks a role, performs an administrative operation or takes an \
             organization id from its path or query\n",
        );
        return out;
    }
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.url.clone().unwrap_or_default(),
                r.check.describe(),
                r.user.clone(),
                match (&r.method, &r.request) {
                    (Some(m), Some(p)) => format!("{m} {p}"),
                    _ => "-".into(),
                },
                r.result.cell(),
                r.verdict.as_str().to_string(),
            ]
        })
        .collect();
    out.push_str(&grid(
        ["URL", "CHECK", "USER", "REQUEST", "RESULT", "VERDICT"],
        &cells,
    ));
    let mut notes = String::new();
    for r in rows {
        let what = match (&r.method, &r.request) {
            (Some(m), Some(p)) => format!("{m} {p} as {}", r.user),
            _ => format!("{} as {}", r.url.as_deref().unwrap_or("-"), r.user),
        };
        let text = match r.verdict {
            V::RoleEnforced => format!(
                "refused ({}) to a user without the role: the role check holds",
                r.result.cell()
            ),
            V::OrgEnforced => format!(
                "refused ({}) with another organization's id: the organization check holds",
                r.result.cell()
            ),
            V::Denied => format!(
                "refused ({}) to a user whose claims hold the role: a role the claims do not \
                 show, or a stricter check than the analysis saw",
                r.result.cell()
            ),
            V::SessionRejected => format!(
                "Clerk did not take the token as a session{}",
                r.result
                    .clerk_reason
                    .as_deref()
                    .map(|x| format!(" ({x})"))
                    .unwrap_or_default()
            ),
            V::Error | V::Unreachable | V::Inconclusive | V::StaticOnly => r.result.detail.clone(),
            V::RoleBypass | V::OrgBypass | V::Allowed => continue,
        };
        notes.push_str(&format!("  {what}: {text}\n"));
    }
    if !notes.is_empty() {
        out.push_str("\nNotes:\n");
        out.push_str(&notes);
    }
    out
}

fn grid<const N: usize>(headers: [&str; N], cells: &[[String; N]]) -> String {
    let mut widths = headers.map(|h| h.chars().count());
    for c in cells {
        for (i, cell) in c.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cols: Vec<&str>| {
        let mut l = String::new();
        for (i, c) in cols.iter().enumerate() {
            l.push_str(c);
            if i + 1 < cols.len() {
                l.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(headers.to_vec());
    for c in cells {
        line(c.iter().map(String::as_str).collect());
    }
    out
}

/// A hint when every answer was a 5xx (a server that cannot serve anything).
fn all_errors_hint(probe: &ProbeRun) -> Option<String> {
    let answered: Vec<&Row> = probe
        .rows
        .iter()
        .filter(|r| r.result.status.is_some())
        .collect();
    (answered.len() >= 2 && answered.iter().all(|r| r.result.outcome == Outcome::Error)).then(
        || {
            "every request answered 5xx: check the server's log. A server started with \
         `next start -H 127.0.0.1` fails this way with Clerk (Next.js proxies the middleware's \
         rewrite to `localhost`); start it with `-H localhost` or without -H"
                .to_string()
        },
    )
}

/// With a session, a 401 means the server did not take it as signed in: those admin
/// operations were not tested as that user.
fn session_not_accepted_hint(settings: &Settings, probe: &ProbeRun) -> Option<String> {
    if !settings.as_user {
        return None;
    }
    let n = probe
        .rows
        .iter()
        .filter(|r| r.result.status == Some(401))
        .count();
    (n > 0).then(|| {
        format!(
            "{n} admin operation{} answered 401 to the session given with --header: the server \
             did not take it as signed in, so {} not tested as that user. Clerk's `__session` \
             token is short-lived: copy a fresh one right before probing",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it was" } else { "they were" }
        )
    })
}

fn header(settings: &Settings, probe: &ProbeRun) -> String {
    let how = if settings.as_user {
        "with the session given with --header (admin operations only)"
    } else if !settings.users.is_empty() {
        "without a session, then as each --as user"
    } else {
        "without a session"
    };
    format!(
        "Probing {} {how}: {} entries\n\n",
        settings.base.url_for(""),
        probe.rows.len()
    )
}

fn entry_cell(row: &Row) -> String {
    row.kind.cell(&row.symbol)
}

/// The joined route table.
pub fn table(rows: &[Row]) -> String {
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.url.clone().unwrap_or_else(|| "(server action)".into()),
                entry_cell(r),
                r.static_label.clone(),
                match (&r.method, &r.request) {
                    (Some(m), Some(p)) => format!("{m} {p}"),
                    _ => "-".into(),
                },
                r.result.cell(),
                r.verdict.as_str().to_string(),
            ]
        })
        .collect();
    let headers = ["URL", "ENTRY", "STATIC", "REQUEST", "RESULT", "VERDICT"];
    let mut widths = headers.map(|h| h.chars().count());
    for c in &cells {
        for (i, cell) in c.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cols: [&str; 6]| {
        let mut l = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i + 1 == cols.len() {
                l.push_str(c);
            } else {
                l.push_str(c);
                l.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(headers);
    for c in &cells {
        line([&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]]);
    }
    out
}

/// One line per row whose verdict needs a word: errors, inconclusive answers, requests not
/// sent, and refusals of routes the analysis found unprotected.
pub fn notes(rows: &[Row], as_user: bool) -> String {
    let mut out = String::new();
    // A reason shared by many requests not sent is said once.
    let mut shared: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.verdict == Verdict::StaticOnly) {
        *shared.entry(r.result.detail.as_str()).or_default() += 1;
    }
    shared.retain(|_, n| *n >= 3);
    for (why, n) in &shared {
        out.push_str(&format!("  {n} entries: {why}\n"));
    }
    for r in rows {
        if r.verdict == Verdict::StaticOnly && shared.contains_key(r.result.detail.as_str()) {
            continue;
        }
        let disagrees = r.verdict == Verdict::Protected && r.static_view == StaticView::Unprotected;
        let wanted = matches!(
            r.verdict,
            Verdict::Error | Verdict::Unreachable | Verdict::Inconclusive | Verdict::StaticOnly
        ) || disagrees;
        if !wanted {
            continue;
        }
        let what = match (&r.method, &r.request) {
            (Some(m), Some(p)) => format!("{m} {p}"),
            _ => format!(
                "{} {}",
                r.url.as_deref().unwrap_or("(server action)"),
                entry_cell(r)
            ),
        };
        let mut text = r.result.detail.clone();
        if disagrees && as_user {
            text.push_str(
                "; the analysis found no role check: one it does not see, or a refusal of the \
                 session itself (401)",
            );
        } else if disagrees {
            text.push_str(
                "; the analysis found no check: a protection it does not see, or a placeholder \
                 value the route rejects (try --param)",
            );
        }
        if r.result.status.is_some()
            && let Some(e) = &r.result.excerpt
            && r.verdict != Verdict::Protected
        {
            text.push_str(&format!(" — {e}"));
        }
        out.push_str(&format!("  {what}: {text}\n"));
    }
    if out.is_empty() {
        out
    } else {
        format!("\nNotes:\n{out}")
    }
}

fn verdict_counts(rows: &[Row]) -> Vec<(Verdict, usize)> {
    Verdict::ALL
        .iter()
        .map(|v| (*v, rows.iter().filter(|r| r.verdict == *v).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn role_counts(probe: &ProbeRun) -> Vec<(super::roles::RoleVerdict, usize)> {
    super::roles::RoleVerdict::ALL
        .iter()
        .map(|v| (*v, probe.roles.iter().filter(|r| r.verdict == *v).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// `probe: 9 requests in 0.41s: 4 confirmed-open, 1 contradiction, …`.
pub fn summary(probe: &ProbeRun) -> String {
    let counts: Vec<String> = verdict_counts(&probe.rows)
        .into_iter()
        .map(|(v, n)| format!("{n} {}", v.as_str()))
        .collect();
    let roles: Vec<String> = role_counts(probe)
        .into_iter()
        .map(|(v, n)| format!("{n} {}", v.as_str()))
        .collect();
    let roles = if roles.is_empty() {
        String::new()
    } else {
        format!("; as users: {}", roles.join(", "))
    };
    format!(
        "probe: {} request{} in {:.2}s: {}{roles}",
        probe.requests,
        if probe.requests == 1 { "" } else { "s" },
        probe.elapsed.as_secs_f64(),
        if counts.is_empty() {
            "no routes".to_string()
        } else {
            counts.join(", ")
        }
    )
}

/// The JSON report with a `probe` object: the base URL, the cost, and every row.
fn with_probe_json(rendered: &str, settings: &Settings, probe: &ProbeRun) -> String {
    let Ok(mut doc) = serde_json::from_str::<Value>(rendered) else {
        return rendered.to_string();
    };
    let counts: serde_json::Map<String, Value> = verdict_counts(&probe.rows)
        .into_iter()
        .map(|(v, n)| (v.as_str().to_string(), json!(n)))
        .collect();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "probe".into(),
            json!({
                "base_url": settings.base.url_for(""),
                "as_user": settings.as_user,
                "requests": probe.requests,
                "elapsed_ms": probe.elapsed.as_millis() as u64,
                "verdicts": counts,
                "routes": probe.rows,
            }),
        );
        if !settings.users.is_empty()
            && let Some(p) = obj.get_mut("probe").and_then(Value::as_object_mut)
        {
            let users: Vec<Value> = settings
                .users
                .iter()
                .map(|u| {
                    json!({
                        "name": u.name,
                        "admin": u.claims.is_admin(),
                        "claims": u.claims,
                    })
                })
                .collect();
            let counts: serde_json::Map<String, Value> = role_counts(probe)
                .into_iter()
                .map(|(v, n)| (v.as_str().to_string(), json!(n)))
                .collect();
            p.insert("users".into(), json!(users));
            p.insert("role_verdicts".into(), json!(counts));
            p.insert("role_checks".into(), json!(probe.roles));
        }
    }
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| rendered.to_string());
    out.push('\n');
    out
}
