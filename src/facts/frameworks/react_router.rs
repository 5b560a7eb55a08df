//! React Router (and Remix) facts of one file (see `facts::frameworks`): the route config of
//! `app/routes.ts` (`route()`, `index()`, `layout()`, `prefix()`, `flatRoutes()`), a route
//! module's `middleware` export and what it lists, and the `appDirectory` and middleware
//! future flag of `react-router.config.*`. A route module's `loader`/`action` exports are
//! the code facts' exports (`CodeFacts::exports`); whether they check the session is the one
//! function summary's job.

use crate::parse::NodeKind;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::{Input, call_args, text};
use crate::facts::code::{span, string_value, strip};
use crate::facts::depth::{Guard, visit};
use crate::finding::Span;
use crate::parse::NodeFields;
use crate::prefilter::Hits;
use crate::source::file_name;

/// The most route nodes one config yields.
const MAX_ROUTES: usize = 4096;

/// One entry of a route config (`app/routes.ts`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RouteNode {
    /// `route(path, file, children?)`.
    Route {
        path: String,
        file: String,
        children: Vec<RouteNode>,
    },
    /// `index(file)`.
    Index { file: String },
    /// `layout(file, children)`: no URL segment of its own.
    Layout {
        file: String,
        children: Vec<RouteNode>,
    },
    /// `prefix(path, children)`: `path` before every child's.
    Prefix {
        path: String,
        children: Vec<RouteNode>,
    },
    /// `flatRoutes({ rootDirectory, ignoredRouteFiles })` of `@react-router/fs-routes` (also
    /// Remix v2's default convention).
    Flat {
        root_directory: Option<String>,
        ignored: Vec<String>,
        /// remix-flat-routes' hybrid convention (`flatRoutes('routes', defineRoutes)` through
        /// `remixRoutesOptionAdapter`): a folder whose name ends in `+` is flattened into its
        /// children's names, and a folder holding `route.*`, `_layout.*` or `_index.*` is one
        /// route.
        #[serde(default)]
        hybrid: bool,
    },
    /// Something the facts cannot read (a computed list, an adapter): routes may be missing.
    Unknown { span: Span },
}

/// One element of a route module's `middleware` array.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MiddlewareItem {
    /// `clerkMiddleware(…)` of a Clerk package.
    Clerk {
        span: Span,
    },
    /// A function written in place (index into `CodeFacts::functions`).
    Function {
        index: usize,
    },
    /// A name (a local function or an import).
    Name {
        name: String,
    },
    Other,
}

/// `export const middleware = […]` (`unstable_middleware` on React Router 7.3–7.8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiddlewareExport {
    pub name: String,
    pub span: Span,
    pub items: Vec<MiddlewareItem>,
}

/// What the React Router adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The default export of a route config file (`app/routes.ts`).
    pub routes: Option<Vec<RouteNode>>,
    pub middleware: Option<MiddlewareExport>,
    /// `appDirectory` of `react-router.config.*`.
    pub app_directory: Option<String>,
    /// `future.v8_middleware` / `future.unstable_middleware` of `react-router.config.*`:
    /// `Some(true)` when it is set to `true`.
    pub middleware_flag: Option<bool>,
}

fn stem(rel: &str) -> &str {
    let name = file_name(rel);
    match name.rsplit_once('.') {
        Some((s, "ts" | "tsx" | "js" | "jsx" | "mjs" | "mts")) => s,
        _ => name,
    }
}

/// A route config, a root module, a route module under `routes/`, or the framework config.
pub fn wants(rel: &str, hits: &Hits) -> bool {
    let s = stem(rel);
    matches!(s, "routes" | "root" | "react-router.config")
        || rel.starts_with("app/routes/")
        || rel.contains("/app/routes/")
        || hits.has("rootAuthLoader")
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    let root = input.tree.root_node();
    let src = input.text;
    let mut facts = Facts::default();
    let s = stem(input.rel);
    if s == "routes" {
        facts.routes = route_config(src, root);
    }
    if s == "react-router.config" {
        read_config(src, root, &mut facts);
    }
    facts.middleware = middleware_export(input, root);
    (facts != Facts::default()).then_some(facts)
}

/// The default export's value (through `satisfies`, `as`, a name bound to it at top level).
fn default_export<'t>(src: &str, root: Node<'t>) -> Option<Node<'t>> {
    let mut cur = root.walk();
    let mut value = None;
    for stmt in root.named_children(&mut cur) {
        if stmt.kind_str() != "export_statement" || !text(src, stmt).starts_with("export default") {
            continue;
        }
        value = stmt.field("value").or_else(|| stmt.field("declaration"));
    }
    let v = strip(value?);
    if v.kind_str() == "identifier" {
        return top_const(src, root, text(src, v));
    }
    Some(v)
}

/// The value of a top-level `const name = …`.
fn top_const<'t>(src: &str, root: Node<'t>, name: &str) -> Option<Node<'t>> {
    let mut cur = root.walk();
    for stmt in root.named_children(&mut cur) {
        let decl = if stmt.kind_str() == "export_statement" {
            stmt.field("declaration")
        } else {
            Some(stmt)
        };
        let Some(decl) = decl else { continue };
        if !matches!(
            decl.kind_str(),
            "lexical_declaration" | "variable_declaration"
        ) {
            continue;
        }
        let mut c2 = decl.walk();
        for d in decl.named_children(&mut c2) {
            if d.kind_str() == "variable_declarator"
                && d.field("name").is_some_and(|n| text(src, n) == name)
            {
                return d.field("value").map(strip);
            }
        }
    }
    None
}

fn route_config(src: &str, root: Node<'_>) -> Option<Vec<RouteNode>> {
    let v = default_export(src, root)?;
    let mut out = Vec::new();
    let mut budget = MAX_ROUTES;
    nodes_of(src, root, v, &mut out, &mut budget);
    Some(out)
}

/// The route nodes an expression yields (an array, a call, a spread of either).
fn nodes_of(src: &str, root: Node<'_>, n: Node<'_>, out: &mut Vec<RouteNode>, budget: &mut usize) {
    let Some(_g) = Guard::enter() else {
        out.push(RouteNode::Unknown { span: span(n) });
        return;
    };
    visit(1);
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let n = strip(n);
    match n.kind_str() {
        "array" => {
            let mut cur = n.walk();
            for el in n.named_children(&mut cur) {
                let el = if el.kind_str() == "spread_element" {
                    match el.named_child(0) {
                        Some(c) => c,
                        None => continue,
                    }
                } else {
                    el
                };
                nodes_of(src, root, el, out, budget);
            }
        }
        "identifier" => match top_const(src, root, text(src, n)) {
            Some(v) if v.id() != n.id() => nodes_of(src, root, v, out, budget),
            _ => out.push(RouteNode::Unknown { span: span(n) }),
        },
        "call_expression" => match route_call(src, root, n, budget) {
            Some(node) => out.push(node),
            None => out.push(RouteNode::Unknown { span: span(n) }),
        },
        _ => out.push(RouteNode::Unknown { span: span(n) }),
    }
}

/// The callee's last name (`route`, `flatRoutes`, `clerkMiddleware`).
fn callee_name<'a>(src: &'a str, call: Node<'_>) -> Option<&'a str> {
    let f = strip(call.field("function")?);
    match f.kind_str() {
        "identifier" => Some(text(src, f)),
        "member_expression" => f.field("property").map(|p| text(src, p)),
        _ => None,
    }
}

fn route_call(src: &str, root: Node<'_>, n: Node<'_>, budget: &mut usize) -> Option<RouteNode> {
    let args = call_args(n);
    let str_arg = |i: usize| args.get(i).and_then(|a| string_value(src, strip(*a)));
    let children = |i: usize, budget: &mut usize| {
        let mut out = Vec::new();
        if let Some(a) = args.get(i) {
            nodes_of(src, root, *a, &mut out, budget);
        }
        out
    };
    match callee_name(src, n)? {
        "route" => {
            let path = str_arg(0)?;
            let file = str_arg(1)?;
            // `route(path, file, options?, children?)`: the children are the last array.
            let idx = args
                .iter()
                .rposition(|a| strip(*a).kind_str() == "array")
                .filter(|i| *i >= 2);
            let children = idx.map(|i| children(i, budget)).unwrap_or_default();
            Some(RouteNode::Route {
                path,
                file,
                children,
            })
        }
        "index" => Some(RouteNode::Index { file: str_arg(0)? }),
        "layout" => {
            let file = str_arg(0)?;
            let idx = args
                .iter()
                .rposition(|a| strip(*a).kind_str() == "array")
                .filter(|i| *i >= 1);
            let children = idx.map(|i| children(i, budget)).unwrap_or_default();
            Some(RouteNode::Layout { file, children })
        }
        "prefix" => Some(RouteNode::Prefix {
            path: str_arg(0)?,
            children: children(1, budget),
        }),
        // `remixRoutesOptionAdapter((defineRoutes) => flatRoutes('routes', defineRoutes))`:
        // remix-flat-routes' convention (its directory the first argument).
        "remixRoutesOptionAdapter" => {
            let f = strip(*args.first()?);
            if !matches!(f.kind_str(), "arrow_function" | "function_expression") {
                return None;
            }
            let body = f.field("body")?;
            let mut call = None;
            let mut stack = vec![body];
            while let Some(x) = stack.pop() {
                if x.kind_str() == "call_expression" && callee_name(src, x) == Some("flatRoutes") {
                    call = Some(x);
                    break;
                }
                let mut cur = x.walk();
                stack.extend(x.named_children(&mut cur).take(64));
                if stack.len() > 512 {
                    return None;
                }
            }
            let inner = call_args(call?);
            let dir = inner.first().and_then(|a| string_value(src, strip(*a)))?;
            let mut ignored = Vec::new();
            if let Some(opts) = inner.get(2).map(|a| strip(*a))
                && opts.kind_str() == "object"
            {
                let mut cur = opts.walk();
                for p in opts.named_children(&mut cur) {
                    if p.kind_str() == "pair"
                        && p.field("key").is_some_and(|k| {
                            text(src, k).trim_matches(['"', '\'']) == "ignoredRouteFiles"
                        })
                        && let Some(v) = p.field("value").map(strip)
                        && v.kind_str() == "array"
                    {
                        let mut c2 = v.walk();
                        ignored.extend(
                            v.named_children(&mut c2)
                                .filter_map(|e| string_value(src, e)),
                        );
                    }
                }
            }
            Some(RouteNode::Flat {
                root_directory: Some(dir),
                ignored,
                hybrid: true,
            })
        }
        "flatRoutes" => {
            let mut root_directory = None;
            let mut ignored = Vec::new();
            if let Some(opts) = args.first().map(|a| strip(*a))
                && opts.kind_str() == "object"
            {
                let mut cur = opts.walk();
                for p in opts.named_children(&mut cur) {
                    if p.kind_str() != "pair" {
                        continue;
                    }
                    let key = p
                        .field("key")
                        .map(|k| text(src, k).trim_matches(['"', '\'']));
                    let Some(value) = p.field("value").map(strip) else {
                        continue;
                    };
                    match key {
                        Some("rootDirectory") => root_directory = string_value(src, value),
                        Some("ignoredRouteFiles") if value.kind_str() == "array" => {
                            let mut c2 = value.walk();
                            ignored.extend(
                                value
                                    .named_children(&mut c2)
                                    .filter_map(|e| string_value(src, e)),
                            );
                        }
                        _ => {}
                    }
                }
            }
            Some(RouteNode::Flat {
                root_directory,
                ignored,
                hybrid: false,
            })
        }
        _ => None,
    }
}

/// `appDirectory` and the middleware future flag of `react-router.config.*`.
fn read_config(src: &str, root: Node<'_>, facts: &mut Facts) {
    let Some(v) = default_export(src, root) else {
        return;
    };
    let obj = if v.kind_str() == "call_expression" {
        call_args(v)
            .into_iter()
            .map(strip)
            .find(|a| a.kind_str() == "object")
    } else {
        Some(v)
    };
    let Some(obj) = obj.filter(|o| o.kind_str() == "object") else {
        return;
    };
    let mut cur = obj.walk();
    for p in obj.named_children(&mut cur) {
        if p.kind_str() != "pair" {
            continue;
        }
        let key = p
            .field("key")
            .map(|k| text(src, k).trim_matches(['"', '\'']).to_string());
        let Some(value) = p.field("value").map(strip) else {
            continue;
        };
        match key.as_deref() {
            Some("appDirectory") => facts.app_directory = string_value(src, value),
            Some("future") if value.kind_str() == "object" => {
                let mut c2 = value.walk();
                for f in value.named_children(&mut c2) {
                    if f.kind_str() == "pair"
                        && f.field("key").is_some_and(|k| {
                            matches!(text(src, k), "v8_middleware" | "unstable_middleware")
                        })
                    {
                        facts.middleware_flag =
                            Some(f.field("value").is_some_and(|v| text(src, v) == "true"));
                    }
                }
            }
            _ => {}
        }
    }
}

/// `export const middleware = […]` / `unstable_middleware`.
fn middleware_export(input: &Input<'_>, root: Node<'_>) -> Option<MiddlewareExport> {
    let src = input.text;
    let name = ["middleware", "unstable_middleware"]
        .into_iter()
        .find(|n| input.code.export(n).is_some())?;
    let export = input.code.export(name)?;
    let mut items = Vec::new();
    if let Some(v) = top_const(src, root, name)
        && v.kind_str() == "array"
    {
        let mut cur = v.walk();
        for el in v.named_children(&mut cur) {
            let el = strip(el);
            items.push(match el.kind_str() {
                "call_expression" if callee_name(src, el) == Some("clerkMiddleware") => {
                    MiddlewareItem::Clerk { span: span(el) }
                }
                "identifier" => MiddlewareItem::Name {
                    name: text(src, el).to_string(),
                },
                "arrow_function" | "function_expression" | "function" => input
                    .code
                    .functions
                    .iter()
                    .position(|f| f.range == span(el))
                    .map(|index| MiddlewareItem::Function { index })
                    .unwrap_or(MiddlewareItem::Other),
                _ => MiddlewareItem::Other,
            });
        }
    } else if let Some(v) = top_const(src, root, name) {
        // `isConfigured ? [clerkMiddleware()] : []`: whatever it lists.
        let mut stack = vec![v];
        let mut budget = 256;
        while let Some(n) = stack.pop() {
            visit(1);
            budget -= 1;
            if budget == 0 {
                break;
            }
            if n.kind_str() == "call_expression" && callee_name(src, n) == Some("clerkMiddleware") {
                items.push(MiddlewareItem::Clerk { span: span(n) });
                continue;
            }
            let mut cur = n.walk();
            stack.extend(n.named_children(&mut cur));
        }
    }
    Some(MiddlewareExport {
        name: name.to_string(),
        span: export.span,
        items,
    })
}
