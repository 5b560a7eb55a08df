//! Boundary facts of a module, read from its tree: what the client/server boundary rules need
//! and the handler facts (`code.rs`) do not carry.
//!
//! - **Client gates**: Clerk hooks (`useAuth`/`useUser`/`useSession`/`useOrganization`) whose
//!   result decides what a component renders (`if (!isSignedIn) return …`, `return isSignedIn ?
//!   … : …`, role checks on `user.publicMetadata`, a redirect in an effect), and Clerk's control
//!   components (`<SignedIn>`, `<Protect>`, `<Show>`) at the root of what a component renders,
//!   plus `<RedirectToSignIn>` anywhere. Whether they gate in the browser or on the server
//!   (`<SignedIn>` in a server component) is the project model's call: it knows the side.
//! - **Rendered components**: capitalised JSX element names, to follow a page into the
//!   components it renders; `const X = dynamic(() => import('m'))` bindings.
//! - **Fetches** of internal paths (`fetch('/api/…')`, `axios.post(`/api/${id}`)`, `useSWR`).
//! - **Secret props**: a secret environment value passed as a JSX attribute.
//! - **Data functions** of a Pages Router page: the code and imports Next.js strips from the
//!   browser bundle (`getServerSideProps`, `getStaticProps`, `getStaticPaths` and the
//!   declarations and imports only they use).
//!
//! Computed lazily (see `FileFacts::gates`): only for the pages, components and server modules a
//! boundary rule looks at.

use crate::parse::NodeFields;
use crate::parse::NodeKind;
use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::facts::code::{span, strip as code_strip};
use crate::facts::imports::{Import, ImportKind};
use crate::facts::scan_env_reads;
use crate::facts::secrets::{is_secret_env_name, public_env_prefix};
use crate::finding::Span;

/// CPU time spent parsing and extracting boundary facts (for `CLERK_GUARD_TIMING`).
pub static GATES_NS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Page exports that Next.js compiles out of the browser bundle, with what only they use.
/// (`getInitialProps` is not one: it also runs in the browser on client-side navigation.)
pub const DATA_FUNCTIONS: &[&str] = &[
    "getServerSideProps",
    "getStaticProps",
    "getStaticPaths",
    "unstable_getServerProps",
    "unstable_getStaticProps",
    "unstable_getStaticPaths",
];

/// Clerk hooks whose results gate rendering.
pub const GATE_HOOKS: &[&str] = &["useAuth", "useUser", "useSession", "useOrganization"];

/// Clerk control components.
pub const CONTROL_COMPONENTS: &[&str] = &[
    "SignedIn",
    "SignedOut",
    "Protect",
    "Show",
    "RedirectToSignIn",
];

/// Hook result fields that say nothing about the session (`isLoaded`, functions).
const NOT_SESSION: &[&str] = &[
    "isLoaded",
    "getToken",
    "signOut",
    "setActive",
    "load",
    "reload",
];

/// How a client gate decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateKind {
    /// `if (!isSignedIn) return …`, `return user ? … : …` on a hook result.
    Session,
    /// A role or permission check (`user.publicMetadata.role`, `has({ role })`, `orgRole`).
    Role,
    /// A redirect when signed out, in an effect (`router.push('/sign-in')`).
    Redirect,
    /// `<SignedIn>`, `<Protect>`, `<Show>` at the root of what a component renders.
    Component,
    /// `<RedirectToSignIn />`.
    RedirectComponent,
}

/// One gate: a place where a component decides what to render from the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gate {
    pub kind: GateKind,
    pub span: Span,
    /// Short description: "`if (!isSignedIn)` returns early", "`<SignedIn>`".
    pub what: String,
    /// The component (function) it is in, if known.
    pub component: Option<String>,
    /// It hides only the component itself (`if (!user) return null` in a component that does
    /// not render `children`) or Clerk's own widgets (`<SignedIn><UserButton /></SignedIn>`):
    /// a UI detail, not a gate in front of content.
    pub ui_only: bool,
    /// What it shows signed-in visitors is only markup, Clerk's components, links and the
    /// hook's own values (`Hello {user.firstName}` and a `<SignOutButton>`): nothing the
    /// server sends is behind it, so it is a sign-in/sign-out switch, not a gate.
    pub session_only: bool,
}

/// A capitalised JSX element: a component the module renders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The local name (the object of `<UI.Card>`: `UI`).
    pub name: String,
    pub span: Span,
}

/// A request to an internal path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetch {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path without query or fragment; [`PLACEHOLDER`] stands for each `${…}`.
    pub path: String,
    pub span: Span,
    /// The top-level declaration it is in (`getMe` for `export async function getMe()`).
    pub function: Option<String>,
}

/// Stands for a `${…}` substitution in [`Fetch::path`].
pub const PLACEHOLDER: char = '\u{1}';

/// A secret environment value passed as a JSX attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretProp {
    /// The element's local name (the object of `<UI.Card>`: `UI`).
    pub element: String,
    pub attribute: String,
    pub env: String,
    /// The `process.env.X` read (or the identifier that holds it).
    pub span: Span,
}

/// What Next.js strips from a Pages Router page for the browser.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strip {
    /// The data functions the page exports.
    pub functions: Vec<String>,
    /// Code that does not reach the browser: the data functions and the top-level
    /// declarations only they use.
    pub ranges: Vec<Span>,
    /// Source spans (inside the quotes, as `Import::source_span`) of import statements whose
    /// every binding only the stripped code uses.
    pub imports: Vec<Span>,
}

impl Strip {
    pub fn covers(&self, span: Span) -> bool {
        self.ranges
            .iter()
            .any(|r| r.start <= span.start && span.end <= r.end)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GateFacts {
    pub gates: Vec<Gate>,
    pub rendered: Vec<Rendered>,
    /// `const X = dynamic(() => import('m'))`: (X, m).
    pub dynamic: Vec<(String, String)>,
    pub fetches: Vec<Fetch>,
    pub secret_props: Vec<SecretProp>,
    /// Set when the module exports a data function.
    pub strip: Option<Strip>,
    /// TypeScript only: source spans of the value imports the compiler drops because the
    /// module uses their bindings in types alone (or not at all).
    pub elided_imports: Vec<Span>,
}

/// TanStack Start's builders whose function argument runs on the server only: the client
/// build replaces it with a call of the server (`createServerFn().handler(fn)`,
/// `createMiddleware().server(fn)`, `createIsomorphicFn().server(fn)`, `createServerOnlyFn(fn)`),
/// and removes a server function's `.validator(x)` / `.inputValidator(x)` step: what only those
/// use leaves the browser bundle with them.
const SERVER_FN_BUILDERS: &[&str] = &[
    "createServerFn",
    "createMiddleware",
    "createIsomorphicFn",
    "createServerOnlyFn",
];

/// Whether a module imports one of [`SERVER_FN_BUILDERS`] from a TanStack Start package.
pub fn server_fn_imports(imports: &[Import]) -> bool {
    imports.iter().any(|i| {
        !i.type_only
            && i.source.starts_with("@tanstack/")
            && i.source.contains("start")
            && i.names
                .iter()
                .any(|n| SERVER_FN_BUILDERS.contains(&n.imported.as_str()))
    })
}

/// Whether a text may hold a data-function export (a cheap test before parsing a page).
pub fn mentions_data_function(text: &str) -> bool {
    text.contains("getServerSideProps")
        || text.contains("getStaticProps")
        || text.contains("getStaticPaths")
        || text.contains("unstable_getS")
}

/// Extract the boundary facts of a parsed module. `imports` are the module's imports (from
/// the byte-level scan): they tell which local names are Clerk's hooks and components.
pub fn extract(
    tree: &tree_sitter::Tree,
    src: &str,
    imports: &[Import],
    typescript: bool,
) -> GateFacts {
    let root = tree.root_node();
    let mut x = Extractor {
        src,
        clerk: clerk_locals(imports),
        clerk_ui: imports
            .iter()
            .filter(|i| i.source.starts_with("@clerk/"))
            .flat_map(|i| i.names.iter().map(|n| n.local.clone()))
            .collect(),
        links: link_locals(imports),
        library_ui: imports
            .iter()
            .filter(|i| !i.type_only && crate::facts::code::is_package_source(&i.source))
            .flat_map(|i| i.names.iter().map(|n| n.local.clone()))
            .filter(|n| is_capitalised(n))
            .collect(),
        facts: GateFacts::default(),
    };
    x.custom_hooks(root);
    x.components(root);
    x.walk_module(root);
    let server_fns = server_fn_imports(imports);
    if mentions_data_function(src) || server_fns {
        x.facts.strip = strip(root, src, server_fns, typescript);
    }
    if typescript {
        x.facts.elided_imports = elided_imports(root, src, imports);
    }
    x.facts
}

/// Local names bound to Clerk hooks and control components: imports from `@clerk/*`, and the
/// same names imported from project modules (an app's own re-export of Clerk).
fn clerk_locals(imports: &[Import]) -> HashMap<String, &'static str> {
    let mut out = HashMap::new();
    for imp in imports {
        if imp.kind != ImportKind::Static || imp.type_only {
            continue;
        }
        let clerk = imp.source.starts_with("@clerk/");
        let project = imp.source.starts_with('.')
            || imp.source.starts_with("@/")
            || imp.source.starts_with("~/");
        if !clerk && !project {
            continue;
        }
        for n in &imp.names {
            if n.type_only {
                continue;
            }
            if let Some(canon) = GATE_HOOKS
                .iter()
                .chain(CONTROL_COMPONENTS)
                .find(|c| **c == n.imported)
            {
                out.insert(n.local.clone(), *canon);
            }
        }
    }
    out
}

/// Routers whose `Link`/`NavLink` components render an anchor and nothing else.
const LINK_MODULES: &[&str] = &[
    "next/link",
    "react-router",
    "react-router-dom",
    "@remix-run/react",
    "@tanstack/react-router",
];

/// Local names bound to a router's link component.
fn link_locals(imports: &[Import]) -> HashSet<String> {
    let mut out = HashSet::new();
    for imp in imports {
        if imp.type_only || !LINK_MODULES.contains(&imp.source.as_str()) {
            continue;
        }
        for n in &imp.names {
            // `import Link from 'next/link'` binds the default export.
            if matches!(n.imported.as_str(), "Link" | "NavLink" | "default") {
                out.insert(n.local.clone());
            }
        }
    }
    out
}

struct Extractor<'s> {
    src: &'s str,
    /// Local name → canonical Clerk name (`useUser`, `SignedIn`, or `hook` for a module-local
    /// custom hook that calls one).
    clerk: HashMap<String, &'static str>,
    /// Every local name imported from `@clerk/*` (`UserButton`, `SignInButton`, …).
    clerk_ui: HashSet<String>,
    /// Local names of routers' link components (`Link` of `next/link`, `NavLink`, …).
    links: HashSet<String>,
    /// Capitalised local names imported from packages (a UI kit's `Button`), not from the
    /// app's own modules (relative or `@/`, `~/`, `#` aliases).
    library_ui: HashSet<String>,
    facts: GateFacts,
}

fn is_capitalised(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

fn is_function(n: Node<'_>) -> bool {
    matches!(
        n.kind_str(),
        "arrow_function" | "function_expression" | "function" | "function_declaration"
    )
}

/// Visit every node under `root` (pre-order, iteratively); `f` returns whether to descend.
fn walk<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = root.walk();
    loop {
        let n = cursor.node();
        if f(n) && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// A component: its name and its body (a statement block or an expression).
struct Component<'t> {
    name: String,
    body: Node<'t>,
    /// It renders its `children` (a wrapper such as an auth guard).
    wraps_children: bool,
}

impl<'s> Extractor<'s> {
    fn text(&self, n: Node<'_>) -> &'s str {
        &self.src[n.byte_range()]
    }

    /// The value of a string literal (or of a template literal without substitutions).
    fn string_value(&self, n: Node<'_>) -> Option<String> {
        match n.kind_str() {
            "string" | "template_string" => {
                if n.kind_str() == "template_string"
                    && n.named_children(&mut n.walk())
                        .any(|c| c.kind_str() == "template_substitution")
                {
                    return None;
                }
                let t = self.text(n);
                Some(
                    t.get(1..t.len().saturating_sub(1))
                        .unwrap_or("")
                        .to_string(),
                )
            }
            _ => None,
        }
    }

    /// A string or template literal as a path, `${…}` replaced by [`PLACEHOLDER`].
    fn path_value(&self, n: Node<'_>) -> Option<String> {
        match n.kind_str() {
            "string" => self.string_value(n),
            "template_string" => {
                let mut out = String::new();
                let inner = n.start_byte() + 1..n.end_byte().saturating_sub(1);
                let mut at = inner.start;
                for c in n.named_children(&mut n.walk()) {
                    if c.kind_str() == "template_substitution" {
                        out.push_str(self.src.get(at..c.start_byte())?);
                        out.push(PLACEHOLDER);
                        at = c.end_byte();
                    }
                }
                out.push_str(self.src.get(at..inner.end.max(at))?);
                Some(out)
            }
            _ => None,
        }
    }

    fn callee_name(&self, call: Node<'_>) -> Option<&'s str> {
        let f = code_strip(call.field("function")?);
        (f.kind_str() == "identifier").then(|| self.text(f))
    }

    /// Module-level functions named `use…` that call a Clerk hook are hooks too.
    fn custom_hooks(&mut self, root: Node<'_>) {
        if !self.clerk.values().any(|c| GATE_HOOKS.contains(c)) {
            return;
        }
        let mut found = Vec::new();
        for (name, body) in self.top_level_functions(root) {
            if !name.starts_with("use") || self.clerk.contains_key(&name) {
                continue;
            }
            let mut calls_hook = false;
            walk(body, |n| {
                if n.kind_str() == "call_expression"
                    && let Some(c) = self.callee_name(n)
                    && self.clerk.get(c).is_some_and(|k| GATE_HOOKS.contains(k))
                {
                    calls_hook = true;
                }
                !calls_hook
            });
            if calls_hook {
                let role = has_role_marker(self.text(body));
                found.push((name, role));
            }
        }
        for (name, role) in found {
            self.clerk
                .insert(name, if role { "role-hook" } else { "hook" });
        }
    }

    /// Top-level functions by name (declarations, `const f = () => …`, exported or not).
    fn top_level_functions<'t>(&self, root: Node<'t>) -> Vec<(String, Node<'t>)> {
        let mut out = Vec::new();
        for stmt in root.named_children(&mut root.walk()) {
            let decl = if stmt.kind_str() == "export_statement" {
                match stmt.field("declaration") {
                    Some(d) => d,
                    None => continue,
                }
            } else {
                stmt
            };
            match decl.kind_str() {
                "function_declaration" => {
                    if let (Some(n), Some(b)) = (decl.field("name"), decl.field("body")) {
                        out.push((self.text(n).to_string(), b));
                    }
                }
                "lexical_declaration" | "variable_declaration" => {
                    for d in decl.named_children(&mut decl.walk()) {
                        if d.kind_str() != "variable_declarator" {
                            continue;
                        }
                        let (Some(n), Some(v)) = (d.field("name"), d.field("value")) else {
                            continue;
                        };
                        if n.kind_str() != "identifier" {
                            continue;
                        }
                        if let Some(f) = self.function_of(v)
                            && let Some(b) = f.field("body")
                        {
                            out.push((self.text(n).to_string(), b));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The function a value is: `() => …`, `function () {…}`, or the first argument of a
    /// wrapper call (`memo(() => …)`, `forwardRef(function X() {…})`).
    fn function_of<'t>(&self, v: Node<'t>) -> Option<Node<'t>> {
        let mut v = code_strip(v);
        for _ in 0..4 {
            if is_function(v) {
                return Some(v);
            }
            if v.kind_str() != "call_expression" {
                return None;
            }
            v = code_strip(v.field("arguments")?.named_child(0)?);
        }
        None
    }

    /// Components: capitalised top-level functions and the default export.
    fn component_list<'t>(&self, root: Node<'t>) -> Vec<Component<'t>> {
        let mut out: Vec<Component<'t>> = self
            .top_level_functions(root)
            .into_iter()
            .filter(|(name, _)| is_capitalised(name))
            .map(|(name, body)| Component {
                name,
                body,
                wraps_children: self.text(body).contains("children"),
            })
            .collect();
        for stmt in root.named_children(&mut root.walk()) {
            if stmt.kind_str() != "export_statement" || !is_default_export(stmt) {
                continue;
            }
            if let Some(d) = stmt.field("declaration") {
                // `export default function page() {}` with a lower-case name.
                if d.kind_str() == "function_declaration"
                    && let Some(n) = d.field("name")
                    && !is_capitalised(self.text(n))
                    && let Some(b) = d.field("body")
                {
                    out.push(Component {
                        name: self.text(n).to_string(),
                        body: b,
                        wraps_children: self.text(b).contains("children"),
                    });
                }
                continue;
            }
            if let Some(v) = stmt.field("value")
                && let Some(f) = self.function_of(v)
                && let Some(b) = f.field("body")
            {
                let name = f
                    .field("name")
                    .map(|n| self.text(n).to_string())
                    .unwrap_or_else(|| "default".to_string());
                out.push(Component {
                    name,
                    body: b,
                    wraps_children: self.text(b).contains("children"),
                });
            }
        }
        out
    }

    fn components(&mut self, root: Node<'_>) {
        for c in self.component_list(root) {
            self.component(&c);
        }
    }

    /// Gates at the top level of one component's body.
    fn component(&mut self, c: &Component<'_>) {
        if c.body.kind_str() != "statement_block" {
            self.returned(c, c.body, &Names::new());
            return;
        }
        let mut names = Names::new();
        for stmt in c.body.named_children(&mut c.body.walk()) {
            match stmt.kind_str() {
                "lexical_declaration" | "variable_declaration" => self.bind_hooks(stmt, &mut names),
                "if_statement" => {
                    let (Some(cond), Some(then)) =
                        (stmt.field("condition"), stmt.field("consequence"))
                    else {
                        continue;
                    };
                    if !self.exits(then) {
                        continue;
                    }
                    if let Some(kind) = self.session_condition(cond, &names) {
                        let cond_text = compact(self.text(cond).trim_matches(['(', ')']));
                        let hides_self = self.returns_nothing(then) && !c.wraps_children;
                        // What signed-in visitors get: the branch when the condition holds for
                        // them, else the one statement left after it.
                        let shown = if self.holds_signed_out(cond, &names) {
                            self.only_return_after(c.body, stmt)
                        } else {
                            self.returned_value(then)
                        };
                        let session_only = kind == GateKind::Session
                            && shown.is_some_and(|v| self.shows_only_session(v, &names));
                        self.push_gate(
                            kind,
                            span(cond),
                            format!("`if ({cond_text})` decides what renders"),
                            c,
                            hides_self,
                            session_only,
                        );
                    }
                }
                "return_statement" => {
                    if let Some(e) = stmt.named_child(0) {
                        self.returned(c, e, &names);
                    }
                }
                "expression_statement" => self.effect_redirect(c, stmt, &names),
                _ => {}
            }
        }
    }

    /// Names bound to a hook result or derived from one: `const { isSignedIn, user } =
    /// useUser()`, `const auth = useAuth()`, `const isAdmin = user?.publicMetadata.role ===
    /// 'admin'`.
    fn bind_hooks(&self, decl: Node<'_>, names: &mut Names) {
        for d in decl.named_children(&mut decl.walk()) {
            if d.kind_str() != "variable_declarator" {
                continue;
            }
            let (Some(pat), Some(value)) = (d.field("name"), d.field("value")) else {
                continue;
            };
            let v = code_strip(value);
            let hook = (v.kind_str() == "call_expression")
                .then(|| self.callee_name(v))
                .flatten()
                .and_then(|c| self.clerk.get(c))
                .filter(|k| is_hook(k));
            let role = match hook {
                Some(k) => *k == "role-hook",
                None => match self.references(value, names) {
                    Some(role) => role || has_role_marker(self.text(value)),
                    None => continue,
                },
            };
            for (key, local) in pattern_bindings(pat, self.src) {
                if !(hook.is_some() && NOT_SESSION.contains(&key.as_str())) {
                    names.insert(local, role);
                }
            }
        }
    }

    /// Whether an expression mentions one of `names` as a variable.
    /// `Some(role)` when it does, `role` telling whether one of them came from a role check.
    fn references(&self, n: Node<'_>, names: &Names) -> Option<bool> {
        if names.is_empty() {
            return None;
        }
        let mut found = None;
        walk(n, |m| {
            if matches!(m.kind_str(), "identifier" | "shorthand_property_identifier")
                && let Some(role) = names.get(self.text(m))
            {
                found = Some(found.unwrap_or(false) || *role);
            }
            !is_function(m)
        });
        found
    }

    /// The gate kind of a condition on the session, if it is one.
    fn session_condition(&self, cond: Node<'_>, names: &Names) -> Option<GateKind> {
        let role = self.references(cond, names)?;
        Some(if role || has_role_marker(self.text(cond)) {
            GateKind::Role
        } else {
            GateKind::Session
        })
    }

    /// Whether a session condition holds for a signed-out visitor: a negated session value
    /// (`!isSignedIn`, `!user?.id`), one compared equal to `null`/`undefined`/`false`, or such
    /// a part of an `&&` or `||` (`isLoaded && !isSignedIn`).
    fn holds_signed_out(&self, cond: Node<'_>, names: &Names) -> bool {
        // `a && b && …` nests as deep as it is long: bounded like every other recursion.
        let Some(_depth) = super::depth::Guard::enter() else {
            return false;
        };
        let c = code_strip(cond);
        match c.kind_str() {
            "unary_expression" => {
                c.field("operator").map(|o| self.text(o)) == Some("!")
                    && c.field("argument")
                        .is_some_and(|a| self.references(a, names).is_some())
            }
            "binary_expression" => {
                let (Some(left), Some(right)) = (c.field("left"), c.field("right")) else {
                    return false;
                };
                match c.field("operator").map(|o| self.text(o)) {
                    Some("&&" | "||") => {
                        self.holds_signed_out(left, names) || self.holds_signed_out(right, names)
                    }
                    Some("===" | "==") => {
                        let empty =
                            |n: Node<'_>| matches!(self.text(n), "null" | "undefined" | "false");
                        (empty(right) && self.references(left, names).is_some())
                            || (empty(left) && self.references(right, names).is_some())
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether a branch only returns nothing (`return null`, `return`, `return <></>`).
    fn returns_nothing(&self, n: Node<'_>) -> bool {
        let ret = if n.kind_str() == "statement_block" {
            match n
                .named_children(&mut n.walk())
                .find(|s| s.kind_str() == "return_statement")
            {
                Some(r) => r,
                None => return false,
            }
        } else {
            n
        };
        if ret.kind_str() != "return_statement" {
            return false;
        }
        match ret.named_child(0).map(code_strip) {
            None => true,
            Some(v) => {
                let t: String = self.text(v).split_whitespace().collect();
                matches!(t.as_str(), "null" | "undefined" | "false" | "<></>")
            }
        }
    }

    /// Whether a statement leaves the component: a return, a throw, or a navigation.
    fn exits(&self, n: Node<'_>) -> bool {
        self.exits_at(n, 0)
    }

    fn exits_at(&self, n: Node<'_>, depth: usize) -> bool {
        match n.kind_str() {
            "return_statement" | "throw_statement" => true,
            "statement_block" if depth < 4 => n
                .named_children(&mut n.walk())
                .any(|s| self.exits_at(s, depth + 1)),
            "expression_statement" => self.navigates(n),
            _ => false,
        }
    }

    /// Whether code calls a navigation function (`router.push`, `redirect`, …) or assigns
    /// `location.href`.
    fn navigates(&self, n: Node<'_>) -> bool {
        let mut found = false;
        walk(n, |m| {
            match m.kind_str() {
                "call_expression" => {
                    if let Some(f) = m.field("function") {
                        let f = code_strip(f);
                        let last = match f.kind_str() {
                            "identifier" => self.text(f),
                            "member_expression" => {
                                f.field("property").map(|p| self.text(p)).unwrap_or("")
                            }
                            _ => "",
                        };
                        if matches!(
                            last,
                            "push"
                                | "replace"
                                | "redirect"
                                | "navigate"
                                | "redirectToSignIn"
                                | "openSignIn"
                        ) {
                            found = true;
                        }
                    }
                }
                "assignment_expression" => {
                    if let Some(l) = m.field("left")
                        && self.text(l).ends_with("location.href")
                    {
                        found = true;
                    }
                }
                _ => {}
            }
            !found
        });
        found
    }

    /// `useEffect(() => { if (!isSignedIn) router.push('/sign-in') })`.
    fn effect_redirect(&mut self, c: &Component<'_>, stmt: Node<'_>, names: &Names) {
        let Some(call) = stmt.named_child(0).map(code_strip) else {
            return;
        };
        if call.kind_str() != "call_expression"
            || !self
                .callee_name(call)
                .is_some_and(|n| matches!(n, "useEffect" | "useLayoutEffect"))
        {
            return;
        }
        let Some(f) = call.field("arguments").and_then(|a| a.named_child(0)) else {
            return;
        };
        let mut found: Option<(Node<'_>, GateKind)> = None;
        walk(f, |n| {
            if n.kind_str() == "if_statement"
                && let (Some(cond), Some(then)) = (n.field("condition"), n.field("consequence"))
                && self.navigates(then)
                && let Some(kind) = self.session_condition(cond, names)
                // A redirect of signed-in users (`if (user) router.push('/dashboard')` on a
                // sign-in page) sends nobody away who is signed out: no gate.
                && (kind == GateKind::Role || self.holds_signed_out(cond, names))
            {
                found = Some((
                    cond,
                    if kind == GateKind::Role {
                        kind
                    } else {
                        GateKind::Redirect
                    },
                ));
            }
            found.is_none()
        });
        if let Some((cond, kind)) = found {
            let cond_text = compact(self.text(cond).trim_matches(['(', ')']));
            self.push_gate(
                kind,
                span(cond),
                format!("`if ({cond_text})` redirects in the browser"),
                c,
                false,
                false,
            );
        }
    }

    /// What a component returns: a conditional on the session, or JSX rooted in a gate.
    fn returned(&mut self, c: &Component<'_>, e: Node<'_>, names: &Names) {
        let e = code_strip(e);
        let cond = match e.kind_str() {
            "ternary_expression" => e.field("condition"),
            "binary_expression"
                if matches!(
                    e.field("operator").map(|o| self.text(o)),
                    Some("&&") | Some("||")
                ) =>
            {
                e.field("left")
            }
            _ => None,
        };
        if let Some(cond) = cond {
            if let Some(kind) = self.session_condition(cond, names) {
                let cond_text = compact(self.text(cond).trim_matches(['(', ')']));
                // What signed-in visitors get: `cond ? shown : other` (the other way round
                // when the condition holds signed out), `cond && shown`.
                let shown = match e.kind_str() {
                    "ternary_expression" if self.holds_signed_out(cond, names) => {
                        e.field("alternative")
                    }
                    "ternary_expression" => e.field("consequence"),
                    _ if e.field("operator").map(|o| self.text(o)) == Some("&&") => {
                        e.field("right")
                    }
                    _ => None,
                };
                let session_only = kind == GateKind::Session
                    && shown.is_some_and(|v| self.shows_only_session(v, names));
                self.push_gate(
                    kind,
                    span(cond),
                    format!("`{cond_text} ?` decides what renders"),
                    c,
                    false,
                    session_only,
                );
            }
            return;
        }
        if let Some((node, name)) = self.root_gate(e, 0) {
            let ui_only = !c.wraps_children && self.only_clerk_children(node);
            // `<SignedIn><Link href="/dashboard">Dashboard</Link></SignedIn>`.
            let session_only = name != "RedirectToSignIn"
                && node.kind_str() == "jsx_element"
                && node
                    .named_children(&mut node.walk())
                    .filter(|k| {
                        !matches!(k.kind_str(), "jsx_opening_element" | "jsx_closing_element")
                    })
                    .all(|k| self.shows_only_session(k, names));
            self.push_gate(
                GateKind::Component,
                span(node),
                format!("`<{name}>`"),
                c,
                ui_only,
                session_only,
            );
        }
    }

    /// The value a branch returns: `return X` itself, or the first return of a block.
    fn returned_value<'t>(&self, branch: Node<'t>) -> Option<Node<'t>> {
        let ret = match branch.kind_str() {
            "return_statement" => branch,
            "statement_block" => branch
                .named_children(&mut branch.walk())
                .find(|s| s.kind_str() == "return_statement")?,
            _ => return None,
        };
        ret.named_child(0)
    }

    /// The value returned after `stmt` when a `return` is the only statement left in `body`.
    fn only_return_after<'t>(&self, body: Node<'t>, stmt: Node<'t>) -> Option<Node<'t>> {
        let mut cursor = body.walk();
        let mut rest = body
            .named_children(&mut cursor)
            .skip_while(|s| *s != stmt)
            .skip(1)
            .filter(|s| s.kind_str() != "comment");
        let only = rest.next()?;
        if rest.next().is_some() {
            return None;
        }
        self.returned_value(only)
    }

    /// Whether what a component renders holds nothing but markup: lower-case elements, Clerk's
    /// components, routers' links, literal text and attributes, and values of the session
    /// hooks (`names`: `{user.firstName}`, `user.imageUrl`). Any other name (state, props, a
    /// project component, a call of a helper) may carry what the server sent.
    fn shows_only_session(&self, v: Node<'_>, names: &Names) -> bool {
        let mut ok = true;
        // The name node of the element just entered (a pre-order walk visits it next): read
        // as an element, not as a value (no walk up from each identifier).
        let mut element_name: Option<Node<'_>> = None;
        walk(v, |n| {
            if !ok {
                return false;
            }
            match n.kind_str() {
                "jsx_opening_element" | "jsx_closing_element" | "jsx_self_closing_element" => {
                    element_name = n.field("name");
                    if let Some(name) = element_name.filter(|x| x.kind_str() == "identifier") {
                        let name_text = self.text(name);
                        ok = !is_capitalised(name_text)
                            || self.clerk_ui.contains(name_text)
                            || self.links.contains(name_text)
                            || (self.library_ui.contains(name_text) && self.literal_props(n));
                    }
                }
                "identifier" if element_name == Some(n) => {}
                "identifier" => {
                    let name = self.text(n);
                    ok = names.contains_key(name) || name == "undefined";
                }
                // A literal, whatever the grammar makes of its inside (`&utm_medium=` in a
                // JSX attribute reads as a broken character reference).
                "string" => return false,
                "this" | "super" | "spread_element" | "jsx_namespace_name" => ok = false,
                k if is_function(n) || k == "class" => ok = false,
                _ => {}
            }
            ok
        });
        ok
    }

    /// Whether every attribute of an element (its opening or self-closing tag) is a literal
    /// (`href="/app"`, `asChild`, `size={2}`): a library component given nothing but constants.
    fn literal_props(&self, el: Node<'_>) -> bool {
        el.named_children(&mut el.walk())
            .filter(|a| a.kind_str() == "jsx_attribute")
            .all(|a| {
                let value = a.named_children(&mut a.walk()).nth(1);
                match value {
                    None => true,
                    Some(v) if v.kind_str() == "string" => true,
                    Some(v) if v.kind_str() == "jsx_expression" => {
                        v.named_child(0).is_some_and(|x| self.constant(x, 0))
                    }
                    _ => false,
                }
            })
    }

    /// Whether an expression is a constant: a literal, or an object or array of constants
    /// (`{ location: 'navbar', medium: 'menu' }`).
    fn constant(&self, x: Node<'_>, depth: usize) -> bool {
        if depth > 4 {
            return false;
        }
        match x.kind_str() {
            "number" | "true" | "false" | "null" | "string" => true,
            "template_string" => self.string_value(x).is_some(),
            "object" => x.named_children(&mut x.walk()).all(|p| {
                p.kind_str() == "pair"
                    && p.field("key")
                        .is_some_and(|k| k.kind_str() != "computed_property_name")
                    && p.field("value")
                        .is_some_and(|v| self.constant(v, depth + 1))
            }),
            "array" => x
                .named_children(&mut x.walk())
                .all(|v| self.constant(v, depth + 1)),
            _ => false,
        }
    }

    /// Whether every element child of a gate is a Clerk component (`<UserButton />`).
    fn only_clerk_children(&self, el: Node<'_>) -> bool {
        if el.kind_str() != "jsx_element" {
            return false;
        }
        let mut any = false;
        for k in el.named_children(&mut el.walk()) {
            match k.kind_str() {
                "jsx_element" | "jsx_self_closing_element" => {
                    let Some(name) = self.element_name(k) else {
                        return false;
                    };
                    if !self.clerk_ui.contains(self.text(name)) {
                        return false;
                    }
                    any = true;
                }
                "jsx_text" if self.text(k).trim().is_empty() => {}
                "jsx_opening_element" | "jsx_closing_element" => {}
                _ => return false,
            }
        }
        any
    }

    /// The JSX element name of an element node.
    fn element_name<'t>(&self, el: Node<'t>) -> Option<Node<'t>> {
        match el.kind_str() {
            "jsx_element" => el.field("open_tag")?.field("name"),
            "jsx_self_closing_element" | "jsx_opening_element" => el.field("name"),
            _ => None,
        }
    }

    /// The Clerk control component an element is, if any.
    fn control_of(&self, el: Node<'_>) -> Option<&'static str> {
        let name = self.element_name(el)?;
        let canon = self.clerk.get(self.text(name))?;
        CONTROL_COMPONENTS.contains(canon).then_some(*canon)
    }

    /// Whether a `<Show>` element shows its children to signed-out users.
    fn shows_signed_out(&self, el: Node<'_>) -> bool {
        let open = if el.kind_str() == "jsx_element" {
            el.field("open_tag")
        } else {
            Some(el)
        };
        open.is_some_and(|o| self.text(o).contains("signed-out"))
    }

    /// A gate at the root of returned JSX: the root itself, or through wrappers that have one
    /// element child, or a wrapper whose element children are all control components.
    fn root_gate<'t>(&self, e: Node<'t>, depth: usize) -> Option<(Node<'t>, &'static str)> {
        if depth > 8 {
            return None;
        }
        let e = code_strip(e);
        if !matches!(e.kind_str(), "jsx_element" | "jsx_self_closing_element") {
            return None;
        }
        if let Some(canon) = self.control_of(e) {
            return match canon {
                "SignedIn" | "Protect" | "RedirectToSignIn" => Some((e, canon)),
                "Show" if !self.shows_signed_out(e) => Some((e, canon)),
                _ => None,
            };
        }
        if e.kind_str() != "jsx_element" {
            return None;
        }
        let mut kids = Vec::new();
        for k in e.named_children(&mut e.walk()) {
            match k.kind_str() {
                "jsx_element" | "jsx_self_closing_element" => kids.push(k),
                "jsx_text" if self.text(k).trim().is_empty() => {}
                "jsx_opening_element" | "jsx_closing_element" => {}
                "jsx_expression" if k.named_child_count() == 0 => {}
                _ => return None,
            }
        }
        if kids.len() == 1 {
            return self.root_gate(kids[0], depth + 1);
        }
        if !kids.is_empty() && kids.iter().all(|k| self.control_of(*k).is_some()) {
            return kids.iter().find_map(|k| self.root_gate(*k, depth + 1));
        }
        None
    }

    fn push_gate(
        &mut self,
        kind: GateKind,
        span: Span,
        what: String,
        c: &Component<'_>,
        ui_only: bool,
        session_only: bool,
    ) {
        if self.facts.gates.iter().any(|g| g.span == span) {
            return;
        }
        self.facts.gates.push(Gate {
            kind,
            span,
            what,
            component: Some(c.name.clone()),
            ui_only,
            session_only,
        });
    }

    /// One walk over the module: rendered elements, `<RedirectToSignIn>`, fetches, secret
    /// props, `dynamic()` bindings.
    fn walk_module(&mut self, root: Node<'_>) {
        let secret_locals = self.secret_locals(root);
        for stmt in root.named_children(&mut root.walk()) {
            let function = self.declared_name(stmt);
            let mut rendered = Vec::new();
            let mut gates = Vec::new();
            let mut fetches = Vec::new();
            let mut props = Vec::new();
            let mut dynamic = Vec::new();
            walk(stmt, |n| {
                match n.kind_str() {
                    "jsx_opening_element" | "jsx_self_closing_element" => {
                        if let Some(name) = n.field("name") {
                            let root_name = jsx_root_name(self.text(name));
                            if is_capitalised(root_name) {
                                rendered.push(Rendered {
                                    name: root_name.to_string(),
                                    span: span(name),
                                });
                            }
                            if self.clerk.get(self.text(name)) == Some(&"RedirectToSignIn") {
                                gates.push(Gate {
                                    kind: GateKind::RedirectComponent,
                                    span: span(name),
                                    what: "`<RedirectToSignIn>`".to_string(),
                                    component: None,
                                    ui_only: false,
                                    session_only: false,
                                });
                            }
                        }
                    }
                    "jsx_attribute" => {
                        if let Some(p) = self.secret_prop(n, &secret_locals) {
                            props.push(p);
                        }
                    }
                    "call_expression" => {
                        if let Some(f) = self.fetch(n) {
                            fetches.push(f);
                        }
                    }
                    "variable_declarator" => {
                        if let Some(d) = self.dynamic_binding(n) {
                            dynamic.push(d);
                        }
                    }
                    _ => {}
                }
                true
            });
            for g in gates {
                if !self.facts.gates.iter().any(|x| x.span == g.span) {
                    self.facts.gates.push(g);
                }
            }
            for r in rendered {
                if !self.facts.rendered.iter().any(|x| x.name == r.name) {
                    self.facts.rendered.push(r);
                }
            }
            for mut f in fetches {
                f.function = function.clone();
                self.facts.fetches.push(f);
            }
            self.facts.secret_props.extend(props);
            self.facts.dynamic.extend(dynamic);
        }
    }

    /// The name a top-level statement declares (for attributing fetches to helpers).
    fn declared_name(&self, stmt: Node<'_>) -> Option<String> {
        let decl = if stmt.kind_str() == "export_statement" {
            stmt.field("declaration")?
        } else {
            stmt
        };
        match decl.kind_str() {
            "function_declaration" | "class_declaration" => {
                decl.field("name").map(|n| self.text(n).to_string())
            }
            "lexical_declaration" | "variable_declaration" => decl
                .named_children(&mut decl.walk())
                .find(|d| d.kind_str() == "variable_declarator")
                .and_then(|d| d.field("name"))
                .filter(|n| n.kind_str() == "identifier")
                .map(|n| self.text(n).to_string()),
            _ => None,
        }
    }

    /// Locals that hold a secret environment value: `const key = process.env.CLERK_SECRET_KEY`.
    fn secret_locals(&self, root: Node<'_>) -> HashMap<String, String> {
        let mut out = HashMap::new();
        if !self.src.contains("process.env") && !self.src.contains("import.meta.env") {
            return out;
        }
        walk(root, |n| {
            if n.kind_str() == "variable_declarator"
                && let (Some(name), Some(v)) = (n.field("name"), n.field("value"))
                && name.kind_str() == "identifier"
                && let Some(env) = secret_env_in(self.src, span(v))
            {
                out.insert(self.text(name).to_string(), env);
            }
            true
        });
        out
    }

    /// `secret={process.env.X}` (or `{key}` where `key` holds one).
    fn secret_prop(&self, attr: Node<'_>, locals: &HashMap<String, String>) -> Option<SecretProp> {
        let name = attr.named_child(0)?;
        let value = attr.named_child(1)?;
        if value.kind_str() != "jsx_expression" {
            return None;
        }
        let el = attr.parent()?;
        let el_name = el.field("name")?;
        let element = jsx_root_name(self.text(el_name)).to_string();
        let reads = scan_env_reads(self.src, value.start_byte(), value.end_byte());
        if let Some(r) = reads
            .into_iter()
            .find(|r| public_env_prefix(&r.name).is_none() && is_secret_env_name(&r.name))
        {
            return Some(SecretProp {
                element,
                attribute: self.text(name).to_string(),
                env: r.name,
                span: r.span,
            });
        }
        let inner = code_strip(value.named_child(0)?);
        if inner.kind_str() == "identifier"
            && let Some(env) = locals.get(self.text(inner))
        {
            return Some(SecretProp {
                element,
                attribute: self.text(name).to_string(),
                env: env.clone(),
                span: span(inner),
            });
        }
        None
    }

    /// A request to an internal path.
    fn fetch(&self, call: Node<'_>) -> Option<Fetch> {
        let f = code_strip(call.field("function")?);
        let args = call.field("arguments")?;
        let first = args.named_child(0)?;
        let (method, is_fetch) = match f.kind_str() {
            "identifier" => match self.text(f) {
                "fetch" | "$fetch" | "ky" | "ofetch" | "useFetch" | "useLazyFetch" => (None, true),
                "axios" => (None, false),
                "useSWR" | "useSWRImmutable" | "useSWRInfinite" => (Some("GET"), false),
                "useSWRMutation" => (Some("POST"), false),
                _ => return None,
            },
            "member_expression" => {
                let prop = self.text(f.field("property")?);
                let m = match prop {
                    "get" => "GET",
                    "post" => "POST",
                    "put" => "PUT",
                    "patch" => "PATCH",
                    "delete" => "DELETE",
                    "head" => "HEAD",
                    _ => return None,
                };
                (Some(m), false)
            }
            _ => return None,
        };
        let raw = self.path_value(code_strip(first))?;
        if !raw.starts_with('/') || raw.starts_with("//") {
            return None;
        }
        // Member calls (`api.get('/x')`) only count for API-looking paths.
        if f.kind_str() == "member_expression"
            && !raw.starts_with("/api")
            && !raw.starts_with("/trpc")
        {
            return None;
        }
        let path = raw.split(['?', '#']).next().unwrap_or("").to_string();
        let method = match method {
            Some(m) => m.to_string(),
            None if is_fetch => self
                .option_method(args.named_child(1))
                .unwrap_or_else(|| "GET".to_string()),
            None => "GET".to_string(),
        };
        Some(Fetch {
            method,
            path,
            span: span(first),
            function: None,
        })
    }

    /// `{ method: 'POST' }` as the options of a fetch.
    fn option_method(&self, opts: Option<Node<'_>>) -> Option<String> {
        let opts = code_strip(opts?);
        if opts.kind_str() != "object" {
            return None;
        }
        for p in opts.named_children(&mut opts.walk()) {
            if p.kind_str() == "pair"
                && p.field("key")
                    .is_some_and(|k| self.text(k).trim_matches(['"', '\'']) == "method")
            {
                return self
                    .string_value(p.field("value")?)
                    .map(|m| m.to_ascii_uppercase());
            }
        }
        None
    }

    /// `const X = dynamic(() => import('m'), …)`.
    fn dynamic_binding(&self, d: Node<'_>) -> Option<(String, String)> {
        let name = d.field("name")?;
        let value = code_strip(d.field("value")?);
        if name.kind_str() != "identifier" || value.kind_str() != "call_expression" {
            return None;
        }
        if self.callee_name(value)? != "dynamic" {
            return None;
        }
        let arg = value.field("arguments")?.named_child(0)?;
        let mut spec = None;
        walk(arg, |n| {
            if n.kind_str() == "call_expression"
                && n.field("function")
                    .is_some_and(|f| f.kind_str() == "import")
                && let Some(s) = n
                    .field("arguments")
                    .and_then(|a| a.named_child(0))
                    .and_then(|s| self.string_value(s))
            {
                spec = Some(s);
            }
            spec.is_none()
        });
        Some((self.text(name).to_string(), spec?))
    }
}

/// Whether an export statement is `export default …`.
fn is_default_export(stmt: Node<'_>) -> bool {
    (0..stmt.child_count()).any(|i| stmt.child(i).is_some_and(|c| c.kind_str() == "default"))
}

/// The (key, local) pairs a binding pattern binds: `{ a, b: c, d = 1, ...rest }`, `[x, y]`.
fn pattern_bindings(pat: Node<'_>, src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    pattern_bindings_into(pat, src, 0, &mut out);
    out
}

fn pattern_bindings_into(pat: Node<'_>, src: &str, depth: usize, out: &mut Vec<(String, String)>) {
    if depth > 32 {
        return;
    }
    let text = |n: Node<'_>| src[n.byte_range()].to_string();
    match pat.kind_str() {
        "identifier" => out.push((text(pat), text(pat))),
        "shorthand_property_identifier_pattern" => out.push((text(pat), text(pat))),
        "object_pattern" | "array_pattern" => {
            for c in pat.named_children(&mut pat.walk()) {
                match c.kind_str() {
                    "pair_pattern" => {
                        let key = c.field("key").map(text).unwrap_or_default();
                        if let Some(v) = c.field("value") {
                            let mut inner = Vec::new();
                            pattern_bindings_into(v, src, depth + 1, &mut inner);
                            out.extend(inner.into_iter().map(|(_, local)| (key.clone(), local)));
                        }
                    }
                    _ => pattern_bindings_into(c, src, depth + 1, out),
                }
            }
        }
        "object_assignment_pattern" | "assignment_pattern" => {
            if let Some(l) = pat.field("left") {
                pattern_bindings_into(l, src, depth + 1, out);
            }
        }
        "rest_pattern" => {
            if let Some(c) = pat.named_child(0) {
                pattern_bindings_into(c, src, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn is_hook(canon: &str) -> bool {
    canon == "hook" || canon == "role-hook" || GATE_HOOKS.contains(&canon)
}

/// Hook-bound names, each with whether it carries a role or permission check.
type Names = HashMap<String, bool>;

/// Whether code checks a role or permission (`publicMetadata.role`, `has({ role })`, `orgRole`).
fn has_role_marker(t: &str) -> bool {
    t.contains("publicMetadata")
        || t.contains("unsafeMetadata")
        || t.contains("orgRole")
        || t.contains("has(")
        || t.contains("has?.(")
        || t.contains("permission")
        || t.to_ascii_lowercase().contains("role")
}

/// `UI.Card` → `UI`; `Card` → `Card`.
fn jsx_root_name(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// The first secret (non-public) environment variable read in a span of text.
fn secret_env_in(src: &str, s: Span) -> Option<String> {
    scan_env_reads(src, s.start, s.end)
        .into_iter()
        .find(|r| public_env_prefix(&r.name).is_none() && is_secret_env_name(&r.name))
        .map(|r| r.name)
}

/// Whitespace collapsed, at most 60 characters.
fn compact(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        let cut: String = one.chars().take(57).collect();
        format!("{cut}…")
    } else {
        one
    }
}

/// One top-level statement of a page, for the data-function analysis.
struct TopLevel {
    range: Span,
    /// Names it declares (for imports: (local, source span) pairs are kept separately).
    declares: Vec<String>,
    /// Identifiers it references.
    refs: HashSet<String>,
    role: Role,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A data function export: compiled out.
    Data,
    /// A declaration that lives only if something live references it.
    Decl,
    /// Kept whatever happens: exports, side effects.
    Root,
}

/// What Next.js strips from a page with data functions: the data functions, then (repeatedly)
/// the declarations and import bindings that were referenced and no longer are.
fn strip(root: Node<'_>, src: &str, server_fns: bool, typescript: bool) -> Option<Strip> {
    let text = |n: Node<'_>| &src[n.byte_range()];
    // With TanStack Start's server functions: the names only their server-side functions use,
    // and where those functions are.
    let mut server_refs: HashSet<String> = HashSet::new();
    let mut server_ranges: Vec<Span> = Vec::new();
    let mut identifiers = |n: Node<'_>, src: &str| {
        if server_fns {
            client_identifiers(n, src, &mut server_refs, &mut server_ranges)
        } else {
            identifiers(n, src)
        }
    };
    let mut items: Vec<TopLevel> = Vec::new();
    // (local names, source span) of each value import statement.
    let mut imports: Vec<(Vec<String>, Span)> = Vec::new();
    let mut functions = Vec::new();
    let mut data_locals: HashSet<String> = HashSet::new();
    for stmt in root.named_children(&mut root.walk()) {
        let range = span(stmt);
        match stmt.kind_str() {
            "import_statement" => {
                if text(stmt).starts_with("import type") {
                    continue;
                }
                let Some(source) = stmt.field("source") else {
                    continue;
                };
                let mut locals = Vec::new();
                walk(stmt, |n| {
                    match n.kind_str() {
                        "import_specifier" => {
                            if !text(n).starts_with("type ") {
                                let local = n.field("alias").or_else(|| n.field("name"));
                                if let Some(l) = local {
                                    locals.push(text(l).to_string());
                                }
                            }
                            return false;
                        }
                        "import_clause" | "named_imports" | "import_statement" => {}
                        "namespace_import" => {
                            if let Some(id) = n.named_child(0) {
                                locals.push(text(id).to_string());
                            }
                            return false;
                        }
                        "identifier" => {
                            if n.parent().is_some_and(|p| p.kind_str() == "import_clause") {
                                locals.push(text(n).to_string());
                            }
                        }
                        _ => return false,
                    }
                    true
                });
                let inner = Span::new(source.start_byte() + 1, source.end_byte().saturating_sub(1));
                imports.push((locals, inner));
            }
            "export_statement" => {
                if stmt.field("source").is_some() {
                    // `export … from`: handled on the import side by the graph.
                    continue;
                }
                if let Some(decl) = stmt.field("declaration") {
                    let names = declared_names(decl, src);
                    let data = !names.is_empty()
                        && names.iter().all(|n| DATA_FUNCTIONS.contains(&n.as_str()));
                    if data {
                        functions.extend(names.iter().cloned());
                    }
                    items.push(TopLevel {
                        range,
                        refs: identifiers(decl, src),
                        declares: names,
                        role: if data { Role::Data } else { Role::Root },
                    });
                } else if let Some(clause) = stmt
                    .named_children(&mut stmt.walk())
                    .find(|c| c.kind_str() == "export_clause")
                {
                    // `export { a, b as getStaticProps }`: names exported as data functions
                    // do not keep their local alive, nor do types (`export type { A }`,
                    // `export { type B }`: the compiler erases them).
                    let mut refs = HashSet::new();
                    let types = is_type_export(text(stmt));
                    for spec in clause.named_children(&mut clause.walk()) {
                        let Some(name) = spec.field("name") else {
                            continue;
                        };
                        if types || text(spec).starts_with("type ") {
                            continue;
                        }
                        let exported = spec.field("alias").map(text).unwrap_or(text(name));
                        if DATA_FUNCTIONS.contains(&exported) {
                            functions.push(exported.to_string());
                            data_locals.insert(text(name).to_string());
                        } else {
                            refs.insert(text(name).to_string());
                        }
                    }
                    items.push(TopLevel {
                        range,
                        declares: Vec::new(),
                        refs,
                        role: Role::Root,
                    });
                } else {
                    // `export default …`
                    items.push(TopLevel {
                        range,
                        declares: Vec::new(),
                        refs: identifiers(stmt, src),
                        role: Role::Root,
                    });
                }
            }
            "function_declaration"
            | "generator_function_declaration"
            | "class_declaration"
            | "lexical_declaration"
            | "variable_declaration" => {
                let names = declared_names(stmt, src);
                items.push(TopLevel {
                    range,
                    refs: identifiers(stmt, src),
                    role: if names.is_empty() {
                        Role::Root
                    } else {
                        Role::Decl
                    },
                    declares: names,
                });
            }
            "comment" => {}
            _ => items.push(TopLevel {
                range,
                declares: Vec::new(),
                refs: identifiers(stmt, src),
                role: Role::Root,
            }),
        }
    }
    if functions.is_empty() && server_ranges.is_empty() {
        return None;
    }
    // `function getStaticProps() {…}; export { getStaticProps }`: the local is a data function.
    for item in &mut items {
        if item.role == Role::Decl
            && item
                .declares
                .iter()
                .all(|n| data_locals.contains(n.as_str()))
        {
            item.role = Role::Data;
        }
    }
    // A declaration's own names are not references to it.
    for item in &mut items {
        if matches!(item.role, Role::Decl | Role::Data) {
            for n in &item.declares {
                item.refs.remove(n);
            }
        }
    }
    // Referenced before stripping: by any code.
    let referenced: HashSet<&str> = items
        .iter()
        .flat_map(|i| i.refs.iter().map(String::as_str))
        .chain(server_refs.iter().map(String::as_str))
        .collect();
    // Live after stripping: from the roots, through live declarations.
    let mut live: HashSet<&str> = HashSet::new();
    let mut queue: Vec<&str> = items
        .iter()
        .filter(|i| i.role == Role::Root)
        .flat_map(|i| i.refs.iter().map(String::as_str))
        .collect();
    let mut decl_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, i) in items.iter().enumerate() {
        if i.role == Role::Decl {
            for n in &i.declares {
                decl_of.entry(n.as_str()).or_default().push(k);
            }
        }
    }
    let mut done: HashSet<usize> = HashSet::new();
    while let Some(name) = queue.pop() {
        if !live.insert(name) {
            continue;
        }
        for k in decl_of.get(name).into_iter().flatten() {
            if done.insert(*k) {
                queue.extend(items[*k].refs.iter().map(String::as_str));
            }
        }
    }
    let dead = |n: &str| referenced.contains(n) && !live.contains(n);
    let mut ranges: Vec<Span> = items
        .iter()
        .filter(|i| {
            i.role == Role::Data || (i.role == Role::Decl && i.declares.iter().all(|n| dead(n)))
        })
        .map(|i| i.range)
        .chain(server_ranges.iter().copied())
        .collect();
    ranges.sort();
    // In TypeScript a binding no value mentions (a type) is erased anyway, so an import whose
    // other bindings the strip kills goes whole.
    let gone = |n: &str| dead(n) || (typescript && !referenced.contains(n));
    let stripped_imports = imports
        .iter()
        .filter(|(locals, _)| locals.iter().any(|l| dead(l)) && locals.iter().all(|l| gone(l)))
        .map(|(_, s)| *s)
        .collect();
    Some(Strip {
        functions,
        ranges,
        imports: stripped_imports,
    })
}

/// Names a declaration binds at the top level.
fn declared_names(decl: Node<'_>, src: &str) -> Vec<String> {
    let text = |n: Node<'_>| src[n.byte_range()].to_string();
    match decl.kind_str() {
        "function_declaration" | "generator_function_declaration" | "class_declaration" => {
            decl.field("name").map(text).into_iter().collect()
        }
        "lexical_declaration" | "variable_declaration" => decl
            .named_children(&mut decl.walk())
            .filter(|d| d.kind_str() == "variable_declarator")
            .filter_map(|d| d.field("name"))
            .flat_map(|pat| pattern_bindings(pat, src))
            .map(|(_, local)| local)
            .collect(),
        _ => Vec::new(),
    }
}

/// Every identifier a subtree mentions as a value (not properties, not types).
/// The names `n` references as values: TypeScript's types (annotations, aliases, interfaces,
/// type arguments, `typeof x` in a type) are erased by the compiler and reference nothing.
fn identifiers(n: Node<'_>, src: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    walk(n, |m| {
        let kind = m.kind_str();
        if matches!(kind, "identifier" | "shorthand_property_identifier") {
            out.insert(src[m.byte_range()].to_string());
        }
        !is_type_only_node(kind)
    });
    out
}

/// [`identifiers`] of what reaches the browser: the function given to a server-only builder
/// step (`.handler(fn)`, `.server(fn)`, `createServerOnlyFn(fn)`) is replaced in the client
/// build, and a server function's validator step is removed (see [`client_drops_validator`]),
/// so their names go to `server` and their ranges to `ranges` instead.
fn client_identifiers(
    n: Node<'_>,
    src: &str,
    server: &mut HashSet<String>,
    ranges: &mut Vec<Span>,
) -> HashSet<String> {
    let mut out = HashSet::new();
    walk(n, |m| {
        let kind = m.kind_str();
        if kind == "call_expression"
            && let (Some(callee), Some(args)) = (m.field("function"), m.field("arguments"))
        {
            let server_step = match callee.kind_str() {
                "member_expression" => callee
                    .field("property")
                    .is_some_and(|p| matches!(&src[p.byte_range()], "handler" | "server")),
                "identifier" => &src[callee.byte_range()] == "createServerOnlyFn",
                _ => false,
            };
            if !server_step && client_drops_validator(callee, src) {
                // The validator's argument, whatever it is (an imported schema, `z.object(…)`),
                // is gone from the client copy.
                server.extend(identifiers(args, src));
                ranges.push(span(args));
                out.extend(client_identifiers(callee, src, server, ranges));
                return false;
            }
            if server_step {
                for arg in args.named_children(&mut args.walk()) {
                    if matches!(arg.kind_str(), "arrow_function" | "function_expression") {
                        server.extend(identifiers(arg, src));
                        ranges.push(span(arg));
                    } else {
                        out.extend(client_identifiers(arg, src, server, ranges));
                    }
                }
                out.extend(client_identifiers(callee, src, server, ranges));
                return false;
            }
        }
        if matches!(kind, "identifier" | "shorthand_property_identifier") {
            out.insert(src[m.byte_range()].to_string());
        }
        !is_type_only_node(kind)
    });
    out
}

/// Whether a call's callee is a validator step the client build removes with its argument:
/// `.validator(x)` or `.inputValidator(x)` of a `createServerFn(…)` chain (kept only when its
/// options say `validateClient: true`, which older releases honour), or `.inputValidator(x)`
/// of a `createMiddleware(…)` chain. Another library's `.validator()` stays.
fn client_drops_validator(callee: Node<'_>, src: &str) -> bool {
    if callee.kind_str() != "member_expression" {
        return false;
    }
    let Some(step) = callee.field("property").map(|p| &src[p.byte_range()]) else {
        return false;
    };
    if !matches!(step, "validator" | "inputValidator") {
        return false;
    }
    // Down the chain to the builder's call: `createServerFn({…}).middleware([…]).validator`.
    let mut n = callee.field("object");
    for _ in 0..32 {
        let Some(cur) = n else {
            return false;
        };
        match cur.kind_str() {
            "member_expression" => n = cur.field("object"),
            "call_expression" => {
                let Some(f) = cur.field("function") else {
                    return false;
                };
                if f.kind_str() != "identifier" {
                    n = Some(f);
                    continue;
                }
                return match &src[f.byte_range()] {
                    "createServerFn" => !cur
                        .field("arguments")
                        .is_some_and(|a| validates_client(a, src)),
                    "createMiddleware" => step == "inputValidator",
                    _ => false,
                };
            }
            _ => return false,
        }
    }
    false
}

/// Whether an export statement's text is a type-only export (`export type { A, B }`).
fn is_type_export(stmt: &str) -> bool {
    stmt.strip_prefix("export")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix("type"))
        .is_some_and(|r| r.trim_start().starts_with('{'))
}

/// Whether `createServerFn`'s options hold `validateClient: true`.
fn validates_client(args: Node<'_>, src: &str) -> bool {
    args.named_children(&mut args.walk())
        .filter(|o| o.kind_str() == "object")
        .flat_map(|o| {
            let mut c = o.walk();
            o.named_children(&mut c).collect::<Vec<_>>()
        })
        .any(|p| {
            p.kind_str() == "pair"
                && p.field("key")
                    .is_some_and(|k| &src[k.byte_range()] == "validateClient")
                && p.field("value")
                    .is_some_and(|v| &src[v.byte_range()] == "true")
        })
}

/// Syntax that TypeScript erases whole: what is inside references no value.
fn is_type_only_node(kind: &str) -> bool {
    matches!(
        kind,
        "type_annotation"
            | "opting_type_annotation"
            | "omitting_type_annotation"
            | "asserts_annotation"
            | "type_predicate_annotation"
            | "type_alias_declaration"
            | "interface_declaration"
            | "type_arguments"
            | "type_parameters"
            | "type_query"
            | "nested_type_identifier"
            | "implements_clause"
            | "ambient_declaration"
            | "index_signature"
    )
}

/// Import statements the TypeScript compiler drops (`isolatedModules` elision, as SWC does for
/// Next.js): value imports with bindings, none of which the module references as a value (only
/// in types, or not at all) or re-exports. Their source spans, as `Import::source_span`.
fn elided_imports(root: Node<'_>, src: &str, imports: &[Import]) -> Vec<Span> {
    let mut used = HashSet::new();
    for stmt in root.named_children(&mut root.walk()) {
        // (`export { X } from 'm'` names another module's X, not a binding of this one, and
        // `export type { X }` exports its type only.)
        let re_export = stmt.kind_str() == "export_statement"
            && (stmt.field("source").is_some()
                || src[stmt.byte_range()].starts_with("export type"));
        if stmt.kind_str() != "import_statement" && !re_export {
            used.extend(identifiers(stmt, src));
        }
    }
    imports
        .iter()
        .filter(|i| i.kind == ImportKind::Static && !i.type_only && !i.names.is_empty())
        .filter(|i| {
            i.names.iter().all(|n| {
                n.type_only || (n.exported_as.is_empty() && !used.contains(n.local.as_str()))
            })
        })
        .map(|i| i.source_span)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::imports::scan_file;
    use crate::source::Lang;

    fn facts(src: &str) -> GateFacts {
        let tree = crate::parse::parse(Lang::Tsx, src).unwrap();
        extract(&tree, src, &scan_file(Lang::Tsx, src), true)
    }

    fn gates(src: &str) -> Vec<(GateKind, String)> {
        facts(src)
            .gates
            .into_iter()
            .map(|g| (g.kind, g.what))
            .collect()
    }

    #[test]
    fn hook_gates() {
        let src = "import { useUser, useAuth } from '@clerk/nextjs'\n\
            export default function Page() {\n\
              const { isLoaded, isSignedIn, user } = useUser()\n\
              const isAdmin = user?.publicMetadata?.role === 'admin'\n\
              if (!isLoaded) return null\n\
              if (!isSignedIn) return <p>Sign in</p>\n\
              if (!isAdmin) { return <Denied /> }\n\
              return <Admin />\n\
            }\n\
            export function Other() {\n\
              const auth = useAuth()\n\
              return auth.isSignedIn ? <A /> : <B />\n\
            }\n\
            function helper() { const { user } = useUser(); if (!user) return null }\n";
        assert_eq!(
            gates(src),
            vec![
                (
                    GateKind::Session,
                    "`if (!isSignedIn)` decides what renders".to_string()
                ),
                (
                    GateKind::Role,
                    "`if (!isAdmin)` decides what renders".to_string()
                ),
                (
                    GateKind::Session,
                    "`auth.isSignedIn ?` decides what renders".to_string()
                ),
            ]
        );
    }

    #[test]
    fn component_gates_at_the_root_only() {
        let src = "import { SignedIn, SignedOut, Show, RedirectToSignIn } from '@clerk/nextjs'\n\
            export default function Page() {\n\
              return (\n\
                <Layout>\n\
                  <SignedIn><Dashboard /></SignedIn>\n\
                  <SignedOut><RedirectToSignIn /></SignedOut>\n\
                </Layout>\n\
              )\n\
            }\n\
            export const Header = () => (<header><Logo /><SignedIn><UserButton /></SignedIn></header>)\n\
            export const Out = () => <Show when=\"signed-out\"><SignIn /></Show>\n\
            export const In = () => <><Show when=\"signed-in\"><X /></Show></>\n";
        let got = gates(src);
        assert_eq!(
            got,
            vec![
                (GateKind::Component, "`<SignedIn>`".to_string()),
                (GateKind::Component, "`<Show>`".to_string()),
                (
                    GateKind::RedirectComponent,
                    "`<RedirectToSignIn>`".to_string()
                ),
            ]
        );
        let rendered: Vec<String> = facts(src).rendered.into_iter().map(|r| r.name).collect();
        assert!(rendered.contains(&"Dashboard".to_string()));
        assert!(rendered.contains(&"Layout".to_string()));
    }

    #[test]
    fn not_clerk_not_a_gate() {
        // `useSession` from next-auth, `SignedIn` from elsewhere.
        let src = "import { useSession } from 'next-auth/react'\n\
            import { SignedIn } from 'some-ui'\n\
            export default function Page() {\n\
              const { data } = useSession()\n\
              if (!data) return null\n\
              return <SignedIn><X /></SignedIn>\n\
            }\n";
        assert!(gates(src).is_empty());
    }

    /// A condition of tens of thousands of `&&` (nested as deep as it is long) is read without
    /// exhausting the stack, and decides nothing.
    #[test]
    fn a_very_long_condition_in_an_effect_is_bounded() {
        let chain = vec!["isSignedIn"; 40_000].join(" && ");
        let src = format!(
            "import {{ useAuth }} from '@clerk/nextjs'\n\
             export default function Page() {{\n\
               const {{ isSignedIn }} = useAuth()\n\
               useEffect(() => {{ if ({chain}) router.push('/x') }})\n\
               return <div />\n\
             }}\n"
        );
        std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || assert!(gates(&src).is_empty()))
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn effect_redirects_and_custom_hooks() {
        let src = "import { useAuth } from '@clerk/nextjs'\n\
            function useIsAdmin() { const { has } = useAuth(); return has?.({ role: 'org:admin' }) }\n\
            export default function Page() {\n\
              const { isLoaded, isSignedIn } = useAuth()\n\
              const router = useRouter()\n\
              useEffect(() => { if (isLoaded && !isSignedIn) router.push('/sign-in') }, [isLoaded])\n\
              useEffect(() => { if (!isLoaded) console.log('x') })\n\
              useEffect(() => { if (isSignedIn) router.push('/dashboard') }, [isSignedIn])\n\
              return <div />\n\
            }\n\
            export function Admin() {\n\
              const isAdmin = useIsAdmin()\n\
              if (!isAdmin) return <p>No</p>\n\
              return <div />\n\
            }\n";
        assert_eq!(
            gates(src),
            vec![
                (
                    GateKind::Redirect,
                    "`if (isLoaded && !isSignedIn)` redirects in the browser".to_string()
                ),
                (
                    GateKind::Role,
                    "`if (!isAdmin)` decides what renders".to_string()
                ),
            ]
        );
    }

    #[test]
    fn fetches() {
        let src = "export async function getMe() { return fetch('/api/me').then(r => r.json()) }\n\
            export default function P({ id }) {\n\
              useSWR(`/api/users/${id}?full=1`)\n\
              axios.delete(`/api/items/${id}`)\n\
              fetch('/api/items', { method: 'post', body: '{}' })\n\
              fetch('https://example.com/api/x')\n\
              router.push('/dashboard')\n\
              api.get('/users')\n\
            }\n";
        let got: Vec<(String, String, Option<String>)> = facts(src)
            .fetches
            .into_iter()
            .map(|f| (f.method, f.path.replace(PLACEHOLDER, "*"), f.function))
            .collect();
        assert_eq!(
            got,
            vec![
                ("GET".into(), "/api/me".into(), Some("getMe".into())),
                ("GET".into(), "/api/users/*".into(), Some("P".into())),
                ("DELETE".into(), "/api/items/*".into(), Some("P".into())),
                ("POST".into(), "/api/items".into(), Some("P".into())),
            ]
        );
    }

    #[test]
    fn secret_props_and_dynamic() {
        let src = "const Widget = dynamic(() => import('../components/Widget'), { ssr: false })\n\
            export default function Page() {\n\
              const key = process.env.CLERK_SECRET_KEY\n\
              return <><Widget secret={process.env.STRIPE_SECRET_KEY} pk={process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY} />\n\
              <UI.Card k={key} n={process.env.NODE_ENV} /></>\n\
            }\n";
        let f = facts(src);
        let props: Vec<(String, String, String)> = f
            .secret_props
            .iter()
            .map(|p| (p.element.clone(), p.attribute.clone(), p.env.clone()))
            .collect();
        assert_eq!(
            props,
            vec![
                ("Widget".into(), "secret".into(), "STRIPE_SECRET_KEY".into()),
                ("UI".into(), "k".into(), "CLERK_SECRET_KEY".into()),
            ]
        );
        assert_eq!(
            f.dynamic,
            vec![("Widget".to_string(), "../components/Widget".to_string())]
        );
    }

    /// TypeScript drops a value import whose bindings only types use (annotations, aliases,
    /// `typeof x` in a type, type arguments, interfaces) or nothing uses; a binding used as a
    /// value anywhere (a call, `instanceof`, JSX, a shorthand property, a re-export) keeps it.
    #[test]
    fn imports_only_types_use_are_elided() {
        let src = "import { A } from './a'\n\
            import { B, C } from './bc'\n\
            import D from './d'\n\
            import * as E from './e'\n\
            import { F } from './f'\n\
            import { G } from './g'\n\
            import { H } from './h'\n\
            import { I } from './i'\n\
            import './side'\n\
            import { J } from './j'\n\
            import { K } from './k'\n\
            import { L } from './l'\n\
            import { M } from './m'\n\
            type T = A['code'] | typeof B | K\n\
            interface U { c: C; d: Array<D> }\n\
            let e: E.Kind\n\
            const x = y instanceof F\n\
            const el = <G />\n\
            const o = { H }\n\
            export { I }\n\
            export type { K } from './k'\n\
            export type { M }\n\
            export { L } from './other'\n";
        let f = facts(src);
        let elided: Vec<&str> = f
            .elided_imports
            .iter()
            .map(|sp| &src[sp.start..sp.end])
            .collect();
        // (A re-export from a module names that module's binding, not the import's: `K`, used
        // as a type, and `L`, not used, are elided; `export type { M }` exports a type.)
        assert_eq!(
            elided,
            vec!["./a", "./bc", "./d", "./e", "./j", "./k", "./l", "./m"]
        );
    }

    #[test]
    fn data_functions_strip_what_only_they_use() {
        let src = "import { db } from '../lib/db'\n\
            import { getAuth } from '@clerk/nextjs/server'\n\
            import { Card, format } from '../lib/ui'\n\
            import type { User } from '../lib/types'\n\
            import '../styles.css'\n\
            import unused from '../lib/unused'\n\
            const SECRET = process.env.CLERK_SECRET_KEY\n\
            async function load(id: string): Promise<User> { return db.user(id, SECRET) }\n\
            const title = format('x')\n\
            export const getServerSideProps = async (ctx) => {\n\
              const { userId } = getAuth(ctx.req)\n\
              return { props: { user: await load(userId) } }\n\
            }\n\
            export default function Page({ user }) { return <Card title={title}>{user.name}</Card> }\n";
        let s = facts(src).strip.unwrap();
        assert_eq!(s.functions, vec!["getServerSideProps"]);
        let stripped: Vec<&str> = s.imports.iter().map(|sp| &src[sp.start..sp.end]).collect();
        assert_eq!(stripped, vec!["../lib/db", "@clerk/nextjs/server"]);
        let ranges: Vec<&str> = s
            .ranges
            .iter()
            .map(|r| src[r.start..r.end].split_whitespace().next().unwrap_or(""))
            .collect();
        assert_eq!(ranges, vec!["const", "async", "export"]);
        let secret_at = src.find("process.env").unwrap();
        assert!(s.covers(Span::new(secret_at, secret_at + 10)));
        let title_at = src.find("format('x')").unwrap();
        assert!(!s.covers(Span::new(title_at, title_at + 3)));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let deep_pattern = format!(
            "import {{ useUser }} from '@clerk/nextjs'\nexport default function P() {{ const {}x{} = useUser(); if (!x) return <p/>; return null }}",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        let deep_blocks = format!(
            "export default function P() {{ if (a) {}return{} }}",
            "{".repeat(5000),
            "}".repeat(5000)
        );
        let deep_jsx = format!(
            "export default function P() {{ return {}{} }}",
            "<div>".repeat(3000),
            "</div>".repeat(3000)
        );
        let deep_calls = format!(
            "export const X = {}() => null{}\nexport async function getStaticProps() {{}}",
            "memo(".repeat(3000),
            ")".repeat(3000)
        );
        for src in [
            deep_pattern.as_str(),
            &deep_blocks,
            &deep_jsx,
            &deep_calls,
            "export default function (( { <div>",
            "fetch(`/${",
            "<Widget secret={process.env.",
            "export { getServerSideProps as",
            "",
        ] {
            let _ = facts(src);
        }
    }

    #[test]
    fn data_function_exported_by_name() {
        let src = "import { db } from './db'\n\
            async function getStaticProps() { return { props: await db() } }\n\
            export { getStaticProps }\n\
            export default function P() { return null }\n";
        let s = facts(src).strip.unwrap();
        assert_eq!(s.functions, vec!["getStaticProps"]);
        let stripped: Vec<&str> = s.imports.iter().map(|sp| &src[sp.start..sp.end]).collect();
        assert_eq!(stripped, vec!["./db"]);
        // Without a data function, nothing is stripped.
        assert!(
            facts("import { db } from './db'\nexport default () => db")
                .strip
                .is_none()
        );
        // `getInitialProps` runs in the browser too.
        assert!(
            facts("import { db } from './db'\nPage.getInitialProps = () => db()\n")
                .strip
                .is_none()
        );
    }
}
