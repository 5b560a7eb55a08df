//! Fixes that are not session checks: suppressions, public routes, environment variable
//! renames, middleware matchers, the `authMiddleware` migration.

use super::session::{SERVER_MODULE, ensure_import, parse};
use super::text::{Style, indent_at, line_end, line_start};
use super::{Edit, Fix, FixCx, Safety};
use crate::finding::Finding;
use crate::parse::NodeFields;

pub const CONFIG_FILE: &str = "clerk-guard.toml";

/// Rules that judge a URL (and honour `public_routes`).
const URL_RULES: &[&str] = &[
    "unprotected-route-handler",
    "client-only-auth",
    "missing-role-check",
    "middleware-matcher-gap",
];

/// `// clerk-guard-ignore RULE: <reason>` on the line above the finding.
pub fn suppress_inline(cx: &FixCx, f: &Finding) -> Option<Fix> {
    let span = f.span?;
    let rel = f.path.as_str();
    let name = crate::source::file_name(rel);
    let text = cx.text(rel)?;
    if span.start > text.len() {
        return None;
    }
    let (open, close) =
        if name.starts_with(".env") || rel.ends_with(".yml") || rel.ends_with(".yaml") {
            ("# ", "")
        } else if crate::source::Lang::from_path(rel).is_some() {
            let line = &text[line_start(&text, span.start)..];
            if line.trim_start().starts_with('<') || line.trim_start().starts_with("{") {
                ("{/* ", " */}")
            } else {
                ("// ", "")
            }
        } else {
            return None;
        };
    let at = line_start(&text, span.start);
    let indent = indent_at(&text, span.start);
    let nl = super::text::newline(&text);
    Some(
        Fix::new(
            f.rule,
            Safety::Manual,
            format!("Suppress `{}` here with a reason", f.rule),
        )
        .edit(Edit::insert(
            rel,
            at,
            format!(
                "{indent}{open}{} {}: TODO: why this is safe{close}{nl}",
                crate::suppress::MARKER,
                f.rule
            ),
        )),
    )
}

/// Add the finding's URL to `public_routes` in clerk-guard.toml.
pub fn mark_public(cx: &FixCx, f: &Finding) -> Option<Fix> {
    if !URL_RULES.contains(&f.rule) {
        return None;
    }
    let route = f.route.as_deref()?;
    let fix = Fix::new(
        f.rule,
        Safety::Manual,
        format!("Mark `{route}` as public (public_routes in {CONFIG_FILE})"),
    );
    let quoted = toml_string(route);
    let edit = match cx.text(CONFIG_FILE) {
        None => Edit::insert(CONFIG_FILE, 0, format!("public_routes = [{quoted}]\n")),
        Some(text) => {
            static RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
                regex::Regex::new(r"(?m)^\s*public_routes\s*=\s*\[").ok()
            });
            let re = RE.as_ref()?;
            match re.find(&text) {
                Some(m) => {
                    let rest = &text[m.end()..];
                    let empty = rest.trim_start().starts_with(']');
                    let sep = if empty { "" } else { ", " };
                    Edit::insert(CONFIG_FILE, m.end(), format!("{quoted}{sep}"))
                }
                None => Edit::insert(CONFIG_FILE, 0, format!("public_routes = [{quoted}]\n")),
            }
        }
    };
    Some(fix.edit(edit))
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Rename a `NEXT_PUBLIC_*SECRET*` (or key-holding) variable to its server name in every
/// `.env*` file of the app and in the code that reads it.
pub fn rename_public_env(cx: &FixCx, f: &Finding) -> Option<Fix> {
    let span = f.span?;
    let rel = f.path.as_str();
    let text = cx.text(rel)?;
    let name = text.get(span.start..span.end)?;
    let prefix = ["NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_"]
        .into_iter()
        .find(|p| name.starts_with(p))?;
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let server = &name[prefix.len()..];
    if server.is_empty() {
        return None;
    }
    let mut fix = Fix::new(
        f.rule,
        Safety::Suggested,
        format!("Rename `{name}` to `{server}` (server-only) in .env files and code"),
    );
    let word = regex::Regex::new(&format!(r"\b{}\b", regex::escape(name))).ok()?;
    let env_key = regex::Regex::new(&format!(
        r"(?m)^[ \t]*(?:export[ \t]+)?({})[ \t]*=",
        regex::escape(name)
    ))
    .ok()?;
    let server_key = regex::Regex::new(&format!(
        r"(?m)^[ \t]*(?:export[ \t]+)?{}[ \t]*=",
        regex::escape(server)
    ))
    .ok()?;
    for file in cx.files().iter() {
        let file = file.as_str();
        let fname = crate::source::file_name(file);
        let is_env = fname.starts_with(".env");
        let is_code = crate::source::Lang::from_path(file).is_some();
        if !is_env && !is_code {
            continue;
        }
        let Some(t) = cx.text(file) else {
            continue;
        };
        if !t.contains(name) {
            continue;
        }
        if is_env {
            let has_server = server_key.is_match(&t);
            for c in env_key.captures_iter(&t) {
                let m = c.get(1)?;
                if has_server {
                    // The server name is already set: drop the public copy.
                    let s = line_start(&t, m.start());
                    fix = fix.edit(Edit::replace(file, s, line_end(&t, m.start()), ""));
                } else {
                    fix = fix.edit(Edit::replace(file, m.start(), m.end(), server));
                }
            }
        } else {
            for m in word.find_iter(&t) {
                let before = &t[..m.start()];
                let reads_env = before.ends_with("env.")
                    || before.ends_with("env['")
                    || before.ends_with("env[\"")
                    || before.trim_end().ends_with('{')
                    || before.trim_end().ends_with(',');
                if reads_env {
                    fix = fix.edit(Edit::replace(file, m.start(), m.end(), server));
                }
            }
        }
    }
    Some(fix)
}

/// Files under the root (not node_modules, build output or dot directories other than
/// `.env*` files), relative, `/`-separated.
pub(crate) fn project_files(root: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(false)
        .git_exclude(false)
        .ignore(false)
        .parents(false)
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir())
                && (n == "node_modules"
                    || n == ".git"
                    || n == ".next"
                    || n == "out"
                    || n == "dist"))
        })
        .build();
    for e in walker.flatten().take(50_000) {
        if !e.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if let Ok(r) = e.path().strip_prefix(root) {
            out.push(r.to_string_lossy().replace('\\', "/"));
        }
    }
    out.sort();
    out
}

pub const API_MATCHER: &str = "/(api|trpc)(.*)";

/// Add `'/(api|trpc)(.*)'` to a `config.matcher` that skips API routes.
pub fn add_api_matcher(cx: &FixCx, f: &Finding) -> Option<Fix> {
    if !f.help.contains(API_MATCHER) {
        return None;
    }
    let rel = f.path.as_str();
    let p = parse(cx, rel)?;
    let text = &p.text;
    let style = Style::of(text);
    let pair = find_pair(p.tree.root_node(), text, "matcher")?;
    let value = pair.field("value")?;
    let lit = style.s(API_MATCHER);
    let edit = match value.kind() {
        "array" => {
            let mut c = value.walk();
            let last = value.named_children(&mut c).last();
            match last {
                Some(l) => Edit::insert(rel, l.end_byte(), format!(", {lit}")),
                None => Edit::insert(rel, value.start_byte() + 1, lit),
            }
        }
        "string" | "template_string" => Edit::replace(
            rel,
            value.start_byte(),
            value.end_byte(),
            format!("[{}, {lit}]", &text[value.byte_range()]),
        ),
        _ => return None,
    };
    Some(
        Fix::new(
            f.rule,
            Safety::Safe,
            format!("Add `{API_MATCHER}` to the matcher"),
        )
        .edit(edit),
    )
}

fn find_pair<'t>(n: tree_sitter::Node<'t>, text: &str, key: &str) -> Option<tree_sitter::Node<'t>> {
    if n.kind() == "pair"
        && n.field("key")
            .is_some_and(|k| text[k.byte_range()].trim_matches(['\'', '"']) == key)
    {
        return Some(n);
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        if let Some(x) = find_pair(ch, text, key) {
            return Some(x);
        }
    }
    None
}

/// Replace `authMiddleware({ publicRoutes, ignoredRoutes })` with the equivalent
/// `clerkMiddleware` that protects every route except the public ones.
pub fn migrate_auth_middleware(cx: &FixCx, f: &Finding) -> Option<Fix> {
    let span = f.span?;
    let rel = f.path.as_str();
    let p = parse(cx, rel)?;
    let text = &p.text;
    let style = Style::of(text);
    let root = p.tree.root_node();
    // The `authMiddleware(…)` call.
    let mut n = root.descendant_for_byte_range(span.start, span.end)?;
    let call = loop {
        if n.kind() == "call_expression"
            && n.field("function")
                .is_some_and(|f| &text[f.byte_range()] == "authMiddleware")
        {
            break n;
        }
        match n.parent() {
            Some(x) => n = x,
            None => {
                // The span may be the import: find the call anywhere in the file.
                break find_call(root, text, "authMiddleware")?;
            }
        }
    };
    let args = call.field("arguments")?;
    let mut c = args.walk();
    let arg: Vec<_> = args.named_children(&mut c).collect();
    let mut public: Option<String> = None;
    match arg.as_slice() {
        [] => {}
        [obj] if obj.kind() == "object" => {
            let mut cc = obj.walk();
            for prop in obj.named_children(&mut cc) {
                if prop.kind() == "comment" {
                    continue;
                }
                let key = prop
                    .field("key")
                    .map(|k| text[k.byte_range()].trim_matches(['\'', '"']).to_string());
                match key.as_deref() {
                    Some("publicRoutes") => {
                        public = Some(text[prop.field("value")?.byte_range()].to_string())
                    }
                    // Options with no direct equivalent: leave the migration to a person.
                    Some(_) => return None,
                    None => return None,
                }
            }
        }
        _ => return None,
    }
    let semi = style.semi;
    let nl = style.nl;
    let u = style.unit;
    let mut fix = Fix::new(
        f.rule,
        Safety::Suggested,
        "Replace `authMiddleware` with `clerkMiddleware` + `auth.protect()`",
    );
    // authMiddleware let the sign-in and sign-up pages through by itself: keep them public,
    // or `auth.protect()` would redirect to a page it protects.
    let mut items: Vec<String> = Vec::new();
    let listed = public.as_deref().unwrap_or("");
    for page in ["/sign-in(.*)", "/sign-up(.*)"] {
        if !listed.contains(&page[..8]) {
            items.push(style.s(page));
        }
    }
    match public.as_deref().map(str::trim) {
        Some(l) if l.starts_with('[') && l.ends_with(']') => {
            let inner = l[1..l.len() - 1].trim().trim_end_matches(',').trim();
            if !inner.is_empty() {
                items.push(inner.to_string());
            }
        }
        Some(l) if l.starts_with('\'') || l.starts_with('"') || l.starts_with('`') => {
            items.push(l.to_string())
        }
        Some(l) => items.push(format!("...[{l}].flat()")),
        None => {}
    }
    let list = format!("[{}]", items.join(", "));
    let body = format!(
        "clerkMiddleware(async (auth, req) => {{{nl}{u}if (!isPublicRoute(req)) await auth.protect(){semi}{nl}}})"
    );
    fix = fix.edit(Edit::replace(rel, call.start_byte(), call.end_byte(), body));
    // Declare the matcher before the statement holding the call.
    let mut stmt = call;
    while let Some(parent) = stmt.parent() {
        if parent.kind() == "program" {
            break;
        }
        stmt = parent;
    }
    fix = fix.edit(Edit::insert(
        rel,
        stmt.start_byte(),
        format!("const isPublicRoute = createRouteMatcher({list}){semi}{nl}{nl}"),
    ));
    // Without a matcher the middleware would run on static files too: Clerk's recommended one.
    if find_pair(root, text, "matcher").is_none() {
        let end = text.trim_end().len();
        fix = fix.edit(Edit::insert(
            rel,
            end,
            format!(
                "{nl}{nl}export const config = {{{nl}{u}matcher: [{nl}{u}{u}{}{comma}{nl}{u}{u}{}{comma}{nl}{u}],{nl}}}{semi}",
                style.s(r"/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)"),
                style.s(API_MATCHER),
                comma = ","
            ),
        ));
    }
    // Imports: swap the name in the existing import.
    if let Some(spec) = find_specifier(root, text, "authMiddleware") {
        let replacement = "clerkMiddleware, createRouteMatcher";
        fix = fix.edit(Edit::replace(
            rel,
            spec.start_byte(),
            spec.end_byte(),
            replacement,
        ));
        // `authMiddleware` came from the package root; `clerkMiddleware` lives in `/server`.
        let mut n = spec;
        while n.kind() != "import_statement" {
            match n.parent() {
                Some(x) => n = x,
                None => break,
            }
        }
        // `const { authMiddleware } = require('@clerk/nextjs')`: the required module.
        let mut d = spec;
        while d.kind() != "variable_declarator" {
            match d.parent() {
                Some(x) => d = x,
                None => break,
            }
        }
        if d.kind() == "variable_declarator"
            && let Some(v) = d.field("value")
            && v.kind() == "call_expression"
            && v.field("function")
                .is_some_and(|f| &text[f.byte_range()] == "require")
            && let Some(a) = v.field("arguments").and_then(|a| a.named_child(0))
            && text[a.byte_range()].trim_matches(['\'', '"']) == "@clerk/nextjs"
        {
            fix = fix.edit(Edit::replace(
                rel,
                a.start_byte(),
                a.end_byte(),
                style.s(SERVER_MODULE),
            ));
        }
        if let Some(src) = n.field("source")
            && text[src.byte_range()].trim_matches(['\'', '"']) == "@clerk/nextjs"
        {
            fix = fix.edit(Edit::replace(
                rel,
                src.start_byte(),
                src.end_byte(),
                style.s(SERVER_MODULE),
            ));
        }
    } else {
        for name in ["clerkMiddleware", "createRouteMatcher"] {
            fix.edits
                .extend(ensure_import(rel, &p, name, SERVER_MODULE));
        }
    }
    Some(fix)
}

fn find_call<'t>(
    n: tree_sitter::Node<'t>,
    text: &str,
    name: &str,
) -> Option<tree_sitter::Node<'t>> {
    if n.kind() == "call_expression"
        && n.field("function")
            .is_some_and(|f| &text[f.byte_range()] == name)
    {
        return Some(n);
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        if let Some(x) = find_call(ch, text, name) {
            return Some(x);
        }
    }
    None
}

fn find_specifier<'t>(
    n: tree_sitter::Node<'t>,
    text: &str,
    name: &str,
) -> Option<tree_sitter::Node<'t>> {
    if matches!(
        n.kind(),
        "import_specifier" | "shorthand_property_identifier_pattern"
    ) && &text[n.byte_range()] == name
    {
        return Some(n);
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        if let Some(x) = find_specifier(ch, text, name) {
            return Some(x);
        }
    }
    None
}
