//! Session-check fixes: insert a server-side check at the top of a handler or action, turn an
//! unchecked `auth()` result into a rejecting check, add a missing `await`.

use crate::parse::NodeFields;
use tree_sitter::{Node, Tree};

use super::text::{Style, indent_at, line_start};
use super::{Edit, Fix, FixCx, Safety};
use crate::finding::Finding;
use crate::source::Lang;

pub const SERVER_MODULE: &str = "@clerk/nextjs/server";

/// What an entry point answers a signed-out request with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reject {
    /// App Router route handler: `return new Response('Unauthorized', { status: 401 })`.
    Response,
    /// Server action (and anything else): `throw new Error('Unauthorized')`.
    Throw,
}

/// A parsed file.
pub struct Parsed {
    pub text: String,
    pub tree: Tree,
}

pub fn parse(cx: &FixCx, rel: &str) -> Option<Parsed> {
    Lang::from_path(rel)?;
    let text = cx.text(rel)?;
    let tree = cx.tree(rel, &text)?;
    Some(Parsed { text, tree })
}

const FUNCTIONS: &[&str] = &[
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
];

fn is_function(n: &Node) -> bool {
    FUNCTIONS.contains(&n.kind())
}

/// The function a finding's span names or sits in: the declaration whose name it is, the
/// function a `const X = async () => …` binds, or the innermost enclosing function.
pub fn function_at<'t>(tree: &'t Tree, text: &str, start: usize, end: usize) -> Option<Node<'t>> {
    let mut n = tree.root_node().descendant_for_byte_range(start, end)?;
    loop {
        if is_function(&n) {
            return Some(n);
        }
        if n.kind() == "export_specifier" {
            // `export { handler as GET }`: the function declared under the local name.
            let local = n.field("name")?;
            return declared_function(tree, text, &text[local.byte_range()]);
        }
        if n.kind() == "variable_declarator" {
            let v = n.field("value")?;
            return is_function(&v).then_some(v);
        }
        if n.kind() == "export_statement" {
            // `export default async function (…)` or `export default async (req, res) => …`
            let d = n.field("declaration").or_else(|| n.field("value"))?;
            return is_function(&d).then_some(d);
        }
        n = n.parent()?;
    }
}

/// The top-level function declared as `name` (`function name`, `const name = () => …`).
fn declared_function<'t>(tree: &'t Tree, text: &str, name: &str) -> Option<Node<'t>> {
    let root = tree.root_node();
    let named = |n: Option<Node>| n.is_some_and(|n| text.get(n.byte_range()) == Some(name));
    let mut c = root.walk();
    for top in root.named_children(&mut c) {
        let decl = if top.kind() == "export_statement" {
            match top.field("declaration") {
                Some(d) => d,
                None => continue,
            }
        } else {
            top
        };
        match decl.kind() {
            "function_declaration" if named(decl.field("name")) => {
                return Some(decl);
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut cc = decl.walk();
                for d in decl.named_children(&mut cc) {
                    if d.kind() == "variable_declarator"
                        && named(d.field("name"))
                        && let Some(v) = d.field("value")
                        && is_function(&v)
                    {
                        return Some(v);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn is_async(f: &Node, text: &str) -> bool {
    text[f.start_byte()..f.end_byte()]
        .trim_start()
        .starts_with("async")
}

/// The edit that makes `f` async, if it is not.
fn make_async(rel: &str, f: &Node, text: &str) -> Option<Edit> {
    if is_async(f, text) {
        return None;
    }
    Some(Edit::insert(rel, f.start_byte(), "async "))
}

/// Names of a function's parameters (identifiers only; `None` for a pattern).
fn param_names(f: &Node, text: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let params = f.field("parameters").or_else(|| f.field("parameter"));
    let Some(params) = params else {
        return out;
    };
    if params.kind() == "identifier" {
        out.push(Some(text[params.byte_range()].to_string()));
        return out;
    }
    let mut c = params.walk();
    for p in params.named_children(&mut c) {
        let pat = p.field("pattern").unwrap_or(p);
        out.push((pat.kind() == "identifier").then(|| text[pat.byte_range()].to_string()));
    }
    out
}

/// The edits that import `name` from `module`: extend an existing named import, or add one
/// after the last import (after the directives when there is none).
pub fn ensure_import(rel: &str, p: &Parsed, name: &str, module: &str) -> Vec<Edit> {
    let text = &p.text;
    let style = Style::of(text);
    let root = p.tree.root_node();
    let mut last_import: Option<Node> = None;
    let mut last_directive: Option<Node> = None;
    let mut c = root.walk();
    let mut seen_other = false;
    for n in root.named_children(&mut c) {
        match n.kind() {
            "import_statement" => {
                last_import = Some(n);
                let src = n
                    .field("source")
                    .map(|s| text[s.byte_range()].trim_matches(['\'', '"']).to_string());
                if src.as_deref() != Some(module) {
                    continue;
                }
                let Some(named) = find_kind(n, "named_imports") else {
                    continue;
                };
                let mut last_spec = None;
                let mut cc = named.walk();
                for s in named.named_children(&mut cc) {
                    if s.kind() != "import_specifier" {
                        continue;
                    }
                    let local = s
                        .field("alias")
                        .or_else(|| s.field("name"))
                        .map(|x| &text[x.byte_range()]);
                    let imported = s.field("name").map(|x| &text[x.byte_range()]);
                    if imported == Some(name) && local == Some(name) {
                        return Vec::new();
                    }
                    last_spec = Some(s);
                }
                return match last_spec {
                    Some(s) => vec![Edit::insert(rel, s.end_byte(), format!(", {name}"))],
                    None => {
                        let open = named.start_byte() + 1;
                        vec![Edit::insert(rel, open, format!(" {name} "))]
                    }
                };
            }
            "expression_statement"
                if !seen_other && n.named_child(0).is_some_and(|s| s.kind() == "string") =>
            {
                last_directive = Some(n);
            }
            "comment" => {}
            _ => seen_other = true,
        }
    }
    let line = format!("import {{ {name} }} from {}{}", style.s(module), style.semi);
    match last_import.or(last_directive) {
        Some(n) => {
            let sep = if last_import.is_some() {
                style.nl.to_string()
            } else {
                format!("{0}{0}", style.nl)
            };
            vec![Edit::insert(rel, n.end_byte(), format!("{sep}{line}"))]
        }
        None => vec![Edit::insert(rel, 0, format!("{line}{0}{0}", style.nl))],
    }
}

fn find_kind<'t>(n: Node<'t>, kind: &str) -> Option<Node<'t>> {
    if n.kind() == kind {
        return Some(n);
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        if let Some(x) = find_kind(ch, kind) {
            return Some(x);
        }
    }
    None
}

/// Where the check goes in a function body, and with which indentation; for an arrow
/// function with an expression body, the edits that turn it into a block.
struct Slot {
    /// Offset to insert the statements at (each line starts with `\n` + indent).
    at: usize,
    indent: String,
    /// For an expression body: wrap `expr` into `{ <check> return expr }`.
    wrap: Option<(usize, usize, String)>,
}

fn slot(f: &Node, text: &str, style: &Style) -> Option<Slot> {
    let body = f.field("body")?;
    if body.kind() != "statement_block" {
        let outer = indent_at(text, f.start_byte()).to_string();
        return Some(Slot {
            at: body.start_byte(),
            indent: format!("{outer}{}", style.unit),
            wrap: Some((body.start_byte(), body.end_byte(), outer)),
        });
    }
    let mut c = body.walk();
    let stmts: Vec<Node> = body
        .named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect();
    // Keep a `'use server'` directive first.
    let mut at = body.start_byte() + 1;
    let mut first = stmts.first().copied();
    if let Some(s) = first
        && s.kind() == "expression_statement"
        && s.named_child(0).is_some_and(|x| x.kind() == "string")
    {
        at = s.end_byte();
        first = stmts.get(1).copied();
    }
    let indent = match first {
        Some(s) if line_start(text, s.start_byte()) > line_start(text, body.start_byte()) => {
            indent_at(text, s.start_byte()).to_string()
        }
        _ => format!("{}{}", indent_at(text, f.start_byte()), style.unit),
    };
    Some(Slot {
        at,
        indent,
        wrap: None,
    })
}

/// Insert `lines` (statements) at the top of `f`.
fn insert_statements(
    rel: &str,
    f: &Node,
    text: &str,
    style: &Style,
    lines: &[String],
) -> Option<Vec<Edit>> {
    let s = slot(f, text, style)?;
    let mut block = String::new();
    for l in lines {
        block.push_str(style.nl);
        block.push_str(&s.indent);
        block.push_str(l);
    }
    Some(match s.wrap {
        None => vec![Edit::insert(rel, s.at, block)],
        Some((start, end, outer)) => {
            let expr = &text[start..end];
            vec![Edit::replace(
                rel,
                start,
                end,
                format!(
                    "{{{block}{nl}{ind}return {expr}{semi}{nl}{outer}}}",
                    nl = style.nl,
                    ind = s.indent,
                    semi = style.semi
                ),
            )]
        }
    })
}

fn mentions(f: &Node, text: &str, words: &[&str]) -> bool {
    let body = &text[f.byte_range()];
    words.iter().any(|w| {
        body.match_indices(w).any(|(i, _)| {
            let before = body[..i].chars().next_back();
            let after = body[i + w.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
    })
}

/// Insert a session check at the top of the function a finding names.
///
/// - App Router handler: `const { userId } = await auth()` + `return new Response(…, 401)`
///   (on v5, `auth()` without `await`);
/// - server action: `await auth.protect()` on v6+, else a check that throws;
/// - pages/api: `getAuth(req)` + `res.status(401)`.
pub fn insert_check(cx: &FixCx, f: &Finding, rule: &'static str) -> Option<Fix> {
    let span = f.span?;
    let rel = f.path.as_str();
    let p = parse(cx, rel)?;
    let text = &p.text;
    let style = Style::of(text);
    let func = function_at(&p.tree, text, span.start, span.end)?;
    // A function that already calls auth() has a finding about that call, with its own fix.
    if mentions(&func, text, &["auth", "getAuth", "currentUser"]) {
        return None;
    }
    let major = cx.clerk_major(rel);
    let pages_api = rel.contains("pages/api/");
    let route_handler = crate::source::file_name(rel).starts_with("route.");
    let q = |s: &str| style.s(s);
    let semi = style.semi;
    let userid_free = !mentions(&func, text, &["userId"]);
    let mut edits = Vec::new();
    let (lines, import, needs_async, title): (Vec<String>, &str, bool, String) = if pages_api {
        let params = param_names(&func, text);
        let req = params.first().cloned().flatten()?;
        let res = params.get(1).cloned().flatten()?;
        (
            vec![
                format!("const {{ userId }} = getAuth({req}){semi}"),
                format!(
                    "if (!userId) return {res}.status(401).json({{ error: {} }}){semi}",
                    q("Unauthorized")
                ),
            ],
            "getAuth",
            false,
            "Check the session with `getAuth(req)` and answer 401".to_string(),
        )
    } else if route_handler || !userid_free {
        if !userid_free && major >= 6 {
            (
                vec![format!("await auth.protect(){semi}")],
                "auth",
                true,
                "Insert `await auth.protect()`".to_string(),
            )
        } else {
            let aw = if major >= 6 { "await " } else { "" };
            let reject = match (route_handler, major >= 6) {
                (true, _) => format!(
                    "return new Response({}, {{ status: 401 }})",
                    q("Unauthorized")
                ),
                _ => format!("throw new Error({})", q("Unauthorized")),
            };
            (
                vec![
                    format!("const {{ userId }} = {aw}auth(){semi}"),
                    format!("if (!userId) {reject}{semi}"),
                ],
                "auth",
                major >= 6,
                "Check the session with `auth()` and answer 401".to_string(),
            )
        }
    } else if major >= 6 {
        (
            vec![format!("await auth.protect(){semi}")],
            "auth",
            true,
            "Insert `await auth.protect()`".to_string(),
        )
    } else {
        (
            vec![
                format!("const {{ userId }} = auth(){semi}"),
                format!("if (!userId) throw new Error({}){semi}", q("Unauthorized")),
            ],
            "auth",
            false,
            "Check the session with `auth()` and throw when signed out".to_string(),
        )
    };
    edits.extend(insert_statements(rel, &func, text, &style, &lines)?);
    if needs_async && let Some(e) = make_async(rel, &func, text) {
        edits.push(e);
    }
    edits.extend(ensure_import(rel, &p, import, SERVER_MODULE));
    let mut fix = Fix::new(rule, Safety::Safe, title);
    fix.edits = edits;
    Some(fix)
}

/// The `auth()` call expression at a finding's span (or around it).
fn auth_call<'t>(tree: &'t Tree, start: usize, end: usize) -> Option<Node<'t>> {
    let mut n = tree.root_node().descendant_for_byte_range(start, end)?;
    loop {
        if n.kind() == "call_expression" {
            return Some(n);
        }
        n = n.parent()?;
    }
}

/// Add the missing `await` before a v6+ `auth()` call (and make the function async).
pub fn add_await(cx: &FixCx, f: &Finding, rule: &'static str) -> Option<Fix> {
    add_await_to(cx, f, rule, "auth()")
}

/// Add the missing `await` before the call at a finding (`what` names it in the fix's
/// title), and make the enclosing function async.
pub fn add_await_to(cx: &FixCx, f: &Finding, rule: &'static str, what: &str) -> Option<Fix> {
    let span = f.span?;
    let rel = f.path.as_str();
    let p = parse(cx, rel)?;
    let call = auth_call(&p.tree, span.start, span.end)?;
    if call
        .parent()
        .is_some_and(|x| x.kind() == "await_expression")
    {
        return None;
    }
    let mut fix = Fix::new(rule, Safety::Safe, format!("Add `await` before `{what}`"))
        .edit(Edit::insert(rel, call.start_byte(), "await "));
    let mut n = call.parent();
    while let Some(x) = n {
        if is_function(&x) {
            if let Some(e) = make_async(rel, &x, &p.text) {
                fix = fix.edit(e);
            }
            break;
        }
        n = x.parent();
    }
    Some(fix)
}

/// Turn `const { userId } = await auth()` (never checked) into a check that rejects.
pub fn check_result(cx: &FixCx, f: &Finding, rule: &'static str) -> Option<Fix> {
    let span = f.span?;
    let rel = f.path.as_str();
    let p = parse(cx, rel)?;
    let text = &p.text;
    let style = Style::of(text);
    let call = auth_call(&p.tree, span.start, span.end)?;
    // The declarator that binds the result, and its statement.
    let mut n = call.parent()?;
    while n.kind() != "variable_declarator" {
        if !matches!(n.kind(), "await_expression" | "parenthesized_expression") {
            return None;
        }
        n = n.parent()?;
    }
    let name = n.field("name")?;
    let user = match name.kind() {
        "identifier" => format!("{}.userId", &text[name.byte_range()]),
        "object_pattern" => {
            let mut c = name.walk();
            let mut found = None;
            for prop in name.named_children(&mut c) {
                match prop.kind() {
                    "shorthand_property_identifier_pattern"
                        if &text[prop.byte_range()] == "userId" =>
                    {
                        found = Some("userId".to_string());
                    }
                    "pair_pattern" => {
                        let key = prop.field("key").map(|k| &text[k.byte_range()]);
                        let val = prop.field("value");
                        if key == Some("userId")
                            && let Some(v) = val
                            && v.kind() == "identifier"
                        {
                            found = Some(text[v.byte_range()].to_string());
                        }
                    }
                    _ => {}
                }
            }
            found?
        }
        _ => return None,
    };
    let stmt = n.parent()?;
    if !matches!(stmt.kind(), "lexical_declaration" | "variable_declaration") {
        return None;
    }
    let route_handler = crate::source::file_name(rel).starts_with("route.");
    let reject = if route_handler {
        format!(
            "return new Response({}, {{ status: 401 }})",
            style.s("Unauthorized")
        )
    } else {
        format!("throw new Error({})", style.s("Unauthorized"))
    };
    let indent = indent_at(text, stmt.start_byte());
    let line = format!("{}{indent}if (!{user}) {reject}{}", style.nl, style.semi);
    Some(
        Fix::new(
            rule,
            Safety::Safe,
            format!("Reject the request when `{user}` is null"),
        )
        .edit(Edit::insert(rel, stmt.end_byte(), line)),
    )
}
