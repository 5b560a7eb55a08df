//! Rule documentation generated from rule metadata: `docs/rules/<id>.md`, the README's rules
//! table, and `clerk-guard explain`.

use crate::rules::{RULES, RuleMeta, Status, docs_markdown};

/// Where the rule pages are published (SARIF `helpUri`, LSP `codeDescription`).
pub const DOCS_BASE_URL: &str = "https://github.com/clerk-guard/clerk-guard/blob/main/docs/rules/";

pub fn rule_url(id: &str) -> String {
    format!("{DOCS_BASE_URL}{id}.md")
}

/// Headings every rule's documentation must have, in this order.
pub const REQUIRED_HEADINGS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## References",
];

/// The page for one rule.
pub fn rule_page(meta: &RuleMeta) -> String {
    let status = match meta.status {
        Status::Stable => "stable",
        Status::Preview => "preview",
    };
    format!(
        "# {id}\n\n{summary}.\n\n| Group | Default severity | Status | Source |\n| --- | --- | --- | --- |\n| `{group}` | {severity} | {status} | [`{source}`](../../{source}) |\n\n{scope}{docs}\n\nSuppress one occurrence with `// clerk-guard-ignore {id}: <reason>`; turn the rule off with `\"{id}\" = \"off\"` under `[rules]` in `clerk-guard.toml`.\n",
        id = meta.id,
        summary = meta.summary,
        group = meta.group.as_str(),
        severity = meta.severity,
        source = meta.source,
        docs = docs_markdown(meta).trim_end(),
        scope = if meta.needs_clerk {
            "Runs only on files of apps that use Clerk (see [Clerk scope](../../README.md#clerk-scope)).\n\n"
        } else {
            ""
        },
    )
}

/// The markdown table of all rules, for the README.
pub fn rules_table() -> String {
    let mut out =
        String::from("| Rule | Group | Severity | What it finds |\n| --- | --- | --- | --- |\n");
    for rule in RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "| [`{id}`](docs/rules/{id}.md) | `{group}` | {sev} | {summary} |\n",
            id = m.id,
            group = m.group.as_str(),
            sev = m.severity,
            summary = m.summary
        ));
    }
    out
}

pub const README_TABLE_START: &str = "<!-- rules-table:start -->";
pub const README_TABLE_END: &str = "<!-- rules-table:end -->";

/// The README with its generated rules table replaced.
pub fn readme_with_table(readme: &str) -> Option<String> {
    let start = readme.find(README_TABLE_START)? + README_TABLE_START.len();
    let end = readme.find(README_TABLE_END)?;
    if end < start {
        return None;
    }
    Some(format!(
        "{}\n{}{}",
        &readme[..start],
        rules_table(),
        &readme[end..]
    ))
}

/// A rule's documentation for the terminal (`clerk-guard explain`): headings as plain
/// underlined titles, code blocks indented without fences, links as `text (url)` (links to
/// repository files as their text), and the docs URL.
pub fn rule_terminal(meta: &RuleMeta, color: bool) -> String {
    let bold = |t: &str| {
        if color {
            format!("\u{1b}[1m{t}\u{1b}[0m")
        } else {
            t.to_string()
        }
    };
    let mut out = String::new();
    out.push_str(&bold(meta.id));
    out.push_str(&format!(
        "  ({} · {} · {})\n{}.\n\nDocs: {}\nSource: {}\n",
        meta.group.as_str(),
        meta.severity,
        match meta.status {
            Status::Stable => "stable",
            Status::Preview => "preview",
        },
        meta.summary,
        rule_url(meta.id),
        meta.source
    ));
    if meta.needs_clerk {
        out.push_str("Runs only on files of apps that use Clerk.\n");
    }
    let mut in_code = false;
    for line in docs_markdown(meta).lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if let Some(h) = line.strip_prefix("## ") {
            out.push('\n');
            out.push_str(&bold(h));
            out.push('\n');
            out.push_str(&"─".repeat(h.chars().count()));
            out.push('\n');
            continue;
        }
        out.push_str(&plain_links(line).replace("**", ""));
        out.push('\n');
    }
    out.push_str(&format!(
        "\nSuppress one occurrence with `// clerk-guard-ignore {id}: <reason>`; turn the rule off with `\"{id}\" = \"off\"` under `[rules]` in `clerk-guard.toml`.\n",
        id = meta.id
    ));
    out
}

/// `[text](http…)` → `text (http…)`; `[text](relative)` → `text`.
fn plain_links(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close + 2..].find(')').map(|i| close + 2 + i) else {
            break;
        };
        out.push_str(&rest[..open]);
        let text = &rest[open + 1..close];
        let url = &rest[close + 2..end];
        out.push_str(text);
        if url.starts_with("http") && url != text {
            out.push_str(&format!(" ({url})"));
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}
