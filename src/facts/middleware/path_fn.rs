//! Local functions of the request path a middleware callback calls to decide
//! (`const level = levelOf(pathname); if (level === Level.PUBLIC) return NextResponse.next()`,
//! `if (isOpen(pathname)) …`). Such a function is read as rules in order, each a test of the
//! path and the constant it returns, then its last `return`: `if (pathname.startsWith('/x'))
//! return 'public'`, or a loop over a module-level table (`for (const [re, level] of LEVELS)
//! if (re.test(pathname)) return level`). The project model evaluates the rules for each
//! path. A function that does anything else is not read, and a test of its result is then a
//! test of the path the analyzer cannot evaluate ([`Cond::PathTest`]).

use crate::parse::{NodeFields, NodeKind};
use tree_sitter::Node;

use super::{Cond, PathRule, Program};
use crate::facts::code::{compact, strip};

/// Most rules one function (with its table) may have.
const MAX_RULES: usize = 256;
/// Most rules the tests of one file's conditions may carry in all (each test of a
/// function's value holds a copy of its rules).
const MAX_COPIED_RULES: usize = 20_000;

/// A local function of the path, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::facts) struct PathFn {
    /// The call, for messages.
    call: String,
    rules: Vec<PathRule>,
    default: String,
}

impl PathFn {
    /// The test that its value equals `equals` (a constant's text), or is truthy (`None`).
    pub(super) fn test(&self, equals: Option<String>) -> Cond {
        Cond::PathValue {
            call: self.call.clone(),
            rules: self.rules.clone(),
            default: self.default.clone(),
            equals,
        }
    }
}

/// What the function's path parameter is bound to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    /// The path itself (`levelOf(pathname)`).
    Path,
    /// The request (`levelOf(req)`).
    Request,
}

impl Program<'_, '_, '_> {
    /// Whether a call passes the path (not just the request) to its callee.
    pub(super) fn path_argument(&self, call: Node<'_>) -> bool {
        call.field("arguments").is_some_and(|a| {
            let mut c = a.walk();
            a.named_children(&mut c).any(|x| self.is_pathname(x))
        })
    }

    /// A call of a local function of the path or the request (`levelOf(pathname)`,
    /// `isOpen(req)`), read; `None` when it is not one or cannot be read.
    pub(super) fn path_fn_call(&mut self, call: Node<'_>) -> Option<PathFn> {
        let call = strip(call);
        // Rules are tests of the path itself, not of another such function's value (whose
        // rules each rule would carry).
        if self.in_path_fn || call.kind_str() != "call_expression" {
            return None;
        }
        let f = strip(call.field("function")?);
        if f.kind_str() != "identifier" {
            return None;
        }
        let name = self.text(f);
        if self.cx.facts.route_matchers.contains_key(name) {
            return None;
        }
        let index = self.cx.facts.local_function(name)?;
        let node = self.cx.node_at(self.cx.facts.function(index)?.range)?;
        if !crate::facts::code::is_function_kind(node.kind_str()) {
            return None;
        }
        let args = call.field("arguments")?;
        let mut c = args.walk();
        let (position, bound) = args.named_children(&mut c).enumerate().find_map(|(i, a)| {
            if self.is_pathname(a) {
                Some((i, Bound::Path))
            } else if self.text(strip(a)) == self.req {
                Some((i, Bound::Request))
            } else {
                None
            }
        })?;
        let key = (
            node.id(),
            position * 2 + usize::from(bound == Bound::Request),
        );
        let known = self
            .cx
            .path_fns
            .borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, r)| r.clone());
        let read = match known {
            Some(r) => r,
            None => {
                // Unread while it is being read: a function that calls itself is not one.
                self.cx.path_fns.borrow_mut().push((key, None));
                let r = self.read_path_fn(node, position, bound);
                if let Some(slot) = self
                    .cx
                    .path_fns
                    .borrow_mut()
                    .iter_mut()
                    .find(|(k, _)| *k == key)
                {
                    slot.1 = r.clone();
                }
                r
            }
        }?;
        // Each test of its value carries its rules: bounded per file.
        let copied = self.cx.path_rules.get() + read.rules.len() + 1;
        self.cx.path_rules.set(copied);
        (copied <= MAX_COPIED_RULES).then(|| PathFn {
            call: compact(self.text(call)),
            ..read
        })
    }

    /// `level === Level.PUBLIC` where `level` (`value`) is a local function of the path and
    /// `other` a constant.
    pub(super) fn value_test(&mut self, value: Node<'_>, other: Node<'_>) -> Option<Cond> {
        let equals = constant(self.text(strip(other)), strip(other))?;
        let v = strip(value);
        let pf = if v.kind_str() == "identifier" {
            let t = self.text(v);
            self.value_vars
                .iter()
                .rev()
                .find(|(n, _)| n == t)
                .map(|(_, pf)| pf.clone())?
        } else {
            self.path_fn_call(v)?
        };
        Some(pf.test(Some(equals)))
    }

    /// A regular expression literal (or a module-level `const` bound to one) as a test of
    /// the path.
    pub(super) fn regex(&self, n: Node<'_>) -> Option<Cond> {
        let n = strip(n);
        let lit = match n.kind_str() {
            "regex" => n,
            "identifier" => strip(self.module_value(self.text(n))?),
            _ => return None,
        };
        regex_cond(lit, self.cx.src)
    }

    /// The value a module-level `const` is bound to (`const LEVELS = new Map([...])`).
    fn module_value(&self, name: &str) -> Option<Node<'_>> {
        let root = self.cx.root;
        let mut c = root.walk();
        for top in root.named_children(&mut c) {
            let decl = match top.kind_str() {
                "lexical_declaration" | "variable_declaration" => top,
                "export_statement" => match top.field("declaration") {
                    Some(d)
                        if matches!(
                            d.kind_str(),
                            "lexical_declaration" | "variable_declaration"
                        ) =>
                    {
                        d
                    }
                    _ => continue,
                },
                _ => continue,
            };
            let mut dc = decl.walk();
            for d in decl.named_children(&mut dc) {
                if d.kind_str() == "variable_declarator"
                    && d.field("name").is_some_and(|n| self.text(n) == name)
                {
                    return d.field("value");
                }
            }
        }
        None
    }

    /// Read a function of the path: its parameter `position` is the path or the request.
    fn read_path_fn(&self, f: Node<'_>, position: usize, bound: Bound) -> Option<PathFn> {
        let params = self.cx.param_names(f);
        let param = params.get(position)?.clone();
        let mut sub = Program::new(self.cx, "\u{0}".into(), Vec::new());
        sub.in_path_fn = true;
        sub.pathname_vars = Vec::new();
        match bound {
            Bound::Path => sub.pathname_vars.push(param),
            Bound::Request => sub.req = param,
        }
        sub.depth = self.depth;
        let body = f.field("body")?;
        let mut rules: Vec<PathRule> = Vec::new();
        if body.kind_str() != "statement_block" {
            // `(pathname) => pathname.startsWith('/x')`
            let default = sub.returned(body, &mut rules)?;
            return Some(PathFn {
                call: String::new(),
                rules,
                default,
            });
        }
        let mut c = body.walk();
        let stmts: Vec<Node<'_>> = body.named_children(&mut c).collect();
        for s in stmts {
            if !self.cx.spend() || rules.len() > MAX_RULES {
                return None;
            }
            match s.kind_str() {
                "comment" | "empty_statement" => {}
                // `console.log(…)`: nothing else (an assignment may change the path).
                "expression_statement" => {
                    if s.named_child(0).map(strip)?.kind_str() != "call_expression" {
                        return None;
                    }
                }
                "lexical_declaration" | "variable_declaration" => {
                    sub.statement_inner(s, None);
                    if !sub.ops.is_empty() {
                        return None;
                    }
                }
                "if_statement" => {
                    if s.field("alternative").is_some() {
                        return None;
                    }
                    let ret = sole_return(s.field("consequence")?)?;
                    let value = constant(
                        sub.text(strip(ret.named_child(0)?)),
                        strip(ret.named_child(0)?),
                    )?;
                    let when = sub.cond(s.field("condition")?)?;
                    if has_unknown(&when) {
                        return None;
                    }
                    rules.push(PathRule { when, value });
                }
                "for_in_statement" => sub.table(s, &mut rules)?,
                "return_statement" => {
                    let default = match s.named_child(0) {
                        None => "undefined".to_string(),
                        Some(e) => sub.returned(e, &mut rules)?,
                    };
                    return Some(PathFn {
                        call: String::new(),
                        rules,
                        default,
                    });
                }
                _ => return None,
            }
        }
        Some(PathFn {
            call: String::new(),
            rules,
            default: "undefined".into(),
        })
    }

    /// The last `return e`: a constant is the default; a test of the path is one more rule
    /// (`true` when it holds) with the default `false`.
    fn returned(&mut self, e: Node<'_>, rules: &mut Vec<PathRule>) -> Option<String> {
        let e = strip(e);
        if let Some(c) = constant(self.text(e), e) {
            return Some(c);
        }
        let when = self.cond(e)?;
        if has_unknown(&when) {
            return None;
        }
        rules.push(PathRule {
            when,
            value: "true".into(),
        });
        Some("false".into())
    }

    /// `for (const [re, level] of LEVELS) { if (re.test(pathname)) return level }` over a
    /// module-level `new Map([[re, v], …])` or array of pairs or of objects
    /// (`{ pattern, level }`): one rule per entry.
    fn table(&mut self, s: Node<'_>, rules: &mut Vec<PathRule>) -> Option<()> {
        if s.field("operator").map(|o| self.text(o)) != Some("of") {
            return None;
        }
        let (left, right, body) = (s.field("left")?, strip(s.field("right")?), s.field("body")?);
        let source = match right.kind_str() {
            "identifier" => strip(self.module_value(self.text(right))?),
            "array" => right,
            _ => return None,
        };
        let list = if source.kind_str() == "new_expression"
            && source
                .field("constructor")
                .is_some_and(|c| self.text(c) == "Map")
        {
            strip(source.field("arguments")?.named_child(0)?)
        } else {
            source
        };
        if list.kind_str() != "array" {
            return None;
        }
        // The loop's names: `[re, level]` → 0, 1; `{ pattern, level }` → keys; `route`.
        let mut names: Vec<(String, String)> = Vec::new();
        let whole = match left.kind_str() {
            "identifier" => Some(self.text(left).to_string()),
            "array_pattern" => {
                let mut c = left.walk();
                for (i, n) in left.named_children(&mut c).enumerate() {
                    names.push((self.text(n).to_string(), i.to_string()));
                }
                None
            }
            "object_pattern" => {
                let mut c = left.walk();
                for p in left.named_children(&mut c) {
                    match p.kind_str() {
                        "shorthand_property_identifier_pattern" => {
                            let t = self.text(p).to_string();
                            names.push((t.clone(), t));
                        }
                        "pair_pattern" => names.push((
                            self.text(p.field("value")?).to_string(),
                            self.text(p.field("key")?).to_string(),
                        )),
                        _ => return None,
                    }
                }
                None
            }
            _ => return None,
        };
        // The body: one `if (test) return value`.
        let test_if = if body.kind_str() == "statement_block" {
            let mut c = body.walk();
            let stmts: Vec<Node<'_>> = body
                .named_children(&mut c)
                .filter(|n| n.kind_str() != "comment")
                .collect();
            match stmts.as_slice() {
                [one] => *one,
                _ => return None,
            }
        } else {
            body
        };
        if test_if.kind_str() != "if_statement" || test_if.field("alternative").is_some() {
            return None;
        }
        let test = strip(test_if.field("condition")?);
        let ret = strip(sole_return(test_if.field("consequence")?)?.named_child(0)?);
        let mut c = list.walk();
        let entries: Vec<Node<'_>> = list
            .named_children(&mut c)
            .filter(|n| n.kind_str() != "comment")
            .collect();
        for entry in entries {
            if rules.len() > MAX_RULES {
                return None;
            }
            let field = |access: Node<'_>| -> Option<Node<'_>> {
                let key = self.access_key(access, whole.as_deref(), &names)?;
                entry_field(entry, &key, self.cx.src)
            };
            let value = field(ret).and_then(|v| constant(self.text(strip(v)), strip(v)))?;
            let when = self.entry_test(test, &field)?;
            rules.push(PathRule { when, value });
        }
        Some(())
    }

    /// Which field of an entry an expression reads: `re` (a loop name), `route.pattern`,
    /// `pair[0]`.
    fn access_key(
        &self,
        access: Node<'_>,
        whole: Option<&str>,
        names: &[(String, String)],
    ) -> Option<String> {
        let a = strip(access);
        match (a.kind_str(), whole) {
            ("identifier", None) => names
                .iter()
                .find(|(n, _)| n == self.text(a))
                .map(|(_, k)| k.clone()),
            ("member_expression", Some(w))
                if a.field("object").is_some_and(|o| self.text(o) == w) =>
            {
                Some(self.text(a.field("property")?).to_string())
            }
            ("subscript_expression", Some(w))
                if a.field("object").is_some_and(|o| self.text(o) == w) =>
            {
                let i = strip(a.field("index")?);
                (i.kind_str() == "number").then(|| self.text(i).to_string())
            }
            _ => None,
        }
    }

    /// The loop's test for one entry: `re.test(pathname)`, `pathname.startsWith(prefix)`,
    /// `pathname.match(re)`, `pathname === path`.
    fn entry_test<'n>(
        &self,
        test: Node<'n>,
        field: &dyn Fn(Node<'n>) -> Option<Node<'n>>,
    ) -> Option<Cond> {
        match test.kind_str() {
            "call_expression" => {
                let f = strip(test.field("function")?);
                if f.kind_str() != "member_expression" {
                    return None;
                }
                let (obj, prop) = (f.field("object")?, self.text(f.field("property")?));
                let arg = strip(test.field("arguments")?.named_child(0)?);
                match prop {
                    "test" if self.is_pathname(arg) => regex_cond(strip(field(obj)?), self.cx.src),
                    "match" if self.is_pathname(obj) => regex_cond(strip(field(arg)?), self.cx.src),
                    "startsWith" if self.is_pathname(obj) => Some(Cond::PathPrefix {
                        prefix: self.string(field(arg)?)?,
                    }),
                    _ => None,
                }
            }
            "binary_expression" => {
                let op = self.text(test.field("operator")?);
                let (l, r) = (strip(test.field("left")?), strip(test.field("right")?));
                if op != "===" && op != "==" {
                    return None;
                }
                let (path, other) = if self.is_pathname(l) { (l, r) } else { (r, l) };
                if !self.is_pathname(path) {
                    return None;
                }
                Some(Cond::PathEq {
                    path: self.string(field(other)?)?,
                })
            }
            _ => None,
        }
    }
}

/// The `return` a consequence holds: `return x` or `{ return x }` (comments aside).
fn sole_return(then: Node<'_>) -> Option<Node<'_>> {
    if then.kind_str() == "return_statement" {
        return Some(then);
    }
    if then.kind_str() != "statement_block" {
        return None;
    }
    let mut c = then.walk();
    let stmts: Vec<Node<'_>> = then
        .named_children(&mut c)
        .filter(|n| n.kind_str() != "comment")
        .collect();
    match stmts.as_slice() {
        [one] if one.kind_str() == "return_statement" => Some(*one),
        _ => None,
    }
}

/// One field of a table entry: `[re, level]` by index, `{ pattern, level }` by key.
fn entry_field<'n>(entry: Node<'n>, key: &str, src: &str) -> Option<Node<'n>> {
    let entry = strip(entry);
    let mut c = entry.walk();
    match entry.kind_str() {
        "array" => {
            let i: usize = key.parse().ok()?;
            entry.named_children(&mut c).nth(i)
        }
        "object" => entry.named_children(&mut c).find_map(|p| {
            if p.kind_str() != "pair" {
                return None;
            }
            let k = p.field("key")?;
            let name = crate::facts::code::string_value(src, k)
                .unwrap_or_else(|| src[k.byte_range()].to_string());
            (name == key).then(|| p.field("value")).flatten()
        }),
        _ => None,
    }
}

/// A regular expression literal as a test of the path.
fn regex_cond(lit: Node<'_>, src: &str) -> Option<Cond> {
    if lit.kind_str() != "regex" {
        return None;
    }
    let field = |f: &'static str| {
        lit.field(f)
            .map(|p| src[p.byte_range()].to_string())
            .unwrap_or_default()
    };
    Some(Cond::PathRegex {
        pattern: field("pattern"),
        flags: field("flags"),
    })
}

/// A constant's canonical text: a literal (strings in single quotes), or a member of a named
/// object (`Level.PUBLIC`, an enum). Anything else is not a constant.
pub(super) fn constant(text: &str, n: Node<'_>) -> Option<String> {
    match n.kind_str() {
        "string" => {
            let inner = text.get(1..text.len().saturating_sub(1))?;
            (!inner.contains('\\') && !inner.contains('\'')).then(|| format!("'{inner}'"))
        }
        "number" | "true" | "false" | "null" | "undefined" => Some(text.to_string()),
        "member_expression" => {
            let obj = strip(n.field("object")?);
            let prop = n.field("property")?;
            (matches!(obj.kind_str(), "identifier" | "member_expression")
                && prop.kind_str() == "property_identifier"
                && !text.contains('(')
                && !text.contains('?'))
            .then(|| compact(text))
        }
        _ => None,
    }
}

/// Whether a condition holds a test the analyzer cannot evaluate that is not about the path.
fn has_unknown(c: &Cond) -> bool {
    let mut stack = vec![c];
    while let Some(c) = stack.pop() {
        match c {
            Cond::Unknown { .. }
            | Cond::Untrusted { .. }
            | Cond::SignedIn
            | Cond::SignedOut
            | Cond::PublicRoute => return true,
            Cond::Not { inner } => stack.push(inner),
            Cond::And { all: xs } | Cond::Or { any: xs } => stack.extend(xs.iter()),
            Cond::PathValue { rules, .. } => stack.extend(rules.iter().map(|r| &r.when)),
            _ => {}
        }
    }
    false
}
