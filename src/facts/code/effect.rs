//! Effect (the `effect` package) read as the plain code it stands for.
//!
//! - `yield* eff` inside a generator gives the effect's result, like `await` (`strip` unwraps
//!   it).
//! - `return yield* new NotSignedIn()` / `yield* Effect.fail(e)` fail the program: the
//!   generator stops there, like `throw`.
//! - `Effect.tryPromise({ try: () => getAuth(args) })` / `Effect.promise(() => auth())` give
//!   what the thunk returns.
//! - `Effect.gen(function* () { … })` built in a function body is the program that function
//!   runs: its checks stand in the body (see the trade-off in the README: what the function
//!   does after recovering from a failed program is not followed, as with `try`/`catch`).
//! - `const users = yield* UserService` takes a service; `users.getUser(…)` calls a method of
//!   the object an `Effect.Service` class's `effect` generator returns (the class's binding is
//!   that object).

use crate::parse::NodeFields;
use crate::parse::NodeKind;
use tree_sitter::Node;

use super::{Binding, BodyAnalysis, CalleePath, Extractor, Field, is_function_kind, strip};

/// An Effect package: `effect`, `effect/Effect`, `@effect/platform`, …
pub(super) fn is_effect_source(source: &str) -> bool {
    source == "effect" || source.starts_with("effect/") || source.starts_with("@effect/")
}

/// `yield* x` (a delegating yield), not `yield x`.
pub(super) fn is_delegating_yield(n: Node<'_>) -> bool {
    n.kind_str() == "yield_expression" && n.child(1).is_some_and(|c| c.kind_str() == "*")
}

/// The operand of a delegating yield, through parentheses.
fn yielded(n: Node<'_>) -> Option<Node<'_>> {
    let mut n = n;
    while n.kind_str() == "parenthesized_expression" {
        n = n.named_child(0)?;
    }
    is_delegating_yield(n).then(|| n.named_child(0)).flatten()
}

/// How deep an expression is searched for the programs it builds.
const MAX_PROGRAM_DEPTH: usize = 12;

impl Extractor<'_> {
    /// Whether the module imports anything from an Effect package.
    pub(super) fn uses_effect(&self) -> bool {
        self.effect
    }

    /// `Effect.<method>(…)` with `Effect` (or whatever it is called here) imported from an
    /// Effect package: the method's name.
    fn effect_method(&self, call: Node<'_>) -> Option<String> {
        if call.kind_str() != "call_expression" {
            return None;
        }
        let path = self.callee_path(call.field("function")?)?;
        let [root, method] = path.as_slice() else {
            return None;
        };
        self.imports
            .get(root)
            .is_some_and(|b| is_effect_source(&b.source))
            .then(|| method.clone())
    }

    /// `return yield* new NotSignedIn()`, `yield* Effect.fail(e)`: the program fails here.
    pub(super) fn is_effect_failure(&self, e: Node<'_>) -> bool {
        if !self.uses_effect() {
            return false;
        }
        let Some(op) = yielded(e).map(strip) else {
            return false;
        };
        match op.kind_str() {
            // A yieldable error (`Data.TaggedError`); anything else a generator cannot delegate
            // to throws a `TypeError` there too.
            "new_expression" => true,
            "call_expression" => self.effect_method(op).is_some_and(|m| {
                matches!(
                    m.as_str(),
                    "fail" | "failSync" | "failCause" | "die" | "dieMessage" | "dieSync"
                )
            }),
            _ => false,
        }
    }

    /// `Effect.tryPromise({ try: () => getAuth(args), catch })`, `Effect.promise(() => auth())`:
    /// the expression the thunk returns.
    pub(super) fn effect_thunk<'t>(&self, v: Node<'t>) -> Option<Node<'t>> {
        if !self.uses_effect() {
            return None;
        }
        let m = self.effect_method(v)?;
        if !matches!(m.as_str(), "promise" | "tryPromise" | "sync" | "try") {
            return None;
        }
        let arg = strip(v.field("arguments")?.named_child(0)?);
        let thunk = if arg.kind_str() == "object" {
            let mut c = arg.walk();
            let pair = arg.named_children(&mut c).find(|p| {
                p.kind_str() == "pair" && p.field("key").is_some_and(|k| self.text(k) == "try")
            })?;
            strip(pair.field("value")?)
        } else {
            arg
        };
        if !is_function_kind(thunk.kind_str()) {
            return None;
        }
        returned_expression(thunk)
    }

    /// `const users = yield* UserService`: the service's name (an import or a module-level
    /// binding), for the methods called on `users`.
    pub(super) fn yielded_service(&self, value: Node<'_>) -> Option<String> {
        if !self.uses_effect() {
            return None;
        }
        let op = strip(yielded(value)?);
        if op.kind_str() != "identifier" {
            return None;
        }
        let name = self.text(op);
        (self.imports.contains_key(name) || self.bindings.contains_key(name))
            .then(|| name.to_string())
    }

    /// A callee path on a service taken with `yield*` (`users.getUser`), as a path on the
    /// service itself (`UserService.getUser`).
    pub(super) fn through_services(&self, path: CalleePath, a: &BodyAnalysis) -> CalleePath {
        match path.split_first() {
            Some((first, rest)) if !rest.is_empty() => match a.service_vars.get(first) {
                Some(service) => std::iter::once(service.clone())
                    .chain(rest.iter().cloned())
                    .collect(),
                None => path,
            },
            _ => path,
        }
    }

    /// The generators of the `Effect.gen(function* () { … })` programs an expression builds
    /// (`Effect.gen(…)`, `Effect.gen(…).pipe(…)`, `runtime.runPromise(Effect.gen(…))`), not
    /// looking into other functions.
    fn effect_programs<'t>(&self, n: Node<'t>, out: &mut Vec<Node<'t>>, depth: usize) {
        if depth > MAX_PROGRAM_DEPTH {
            return;
        }
        let n = strip(n);
        match n.kind_str() {
            "call_expression" => {
                let args: Vec<Node<'t>> = n
                    .field("arguments")
                    .map(|a| {
                        let mut c = a.walk();
                        a.named_children(&mut c).map(strip).collect()
                    })
                    .unwrap_or_default();
                if self.effect_method(n).as_deref() == Some("gen") {
                    out.extend(
                        args.iter()
                            .copied()
                            .filter(|a| is_function_kind(a.kind_str())),
                    );
                    return;
                }
                if let Some(f) = n.field("function") {
                    self.effect_programs(f, out, depth + 1);
                }
                for a in args.into_iter().filter(|a| !is_function_kind(a.kind_str())) {
                    self.effect_programs(a, out, depth + 1);
                }
            }
            "member_expression" => {
                if let Some(o) = n.field("object") {
                    self.effect_programs(o, out, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// The checks of the Effect programs a statement of a body builds, as steps of that body:
    /// the program's work runs only past them.
    pub(super) fn effect_program_steps(
        &mut self,
        stmt: Node<'_>,
        a: &mut BodyAnalysis,
        fn_idx: usize,
    ) {
        if !self.uses_effect() {
            return;
        }
        let mut values = Vec::new();
        match stmt.kind_str() {
            "lexical_declaration" | "variable_declaration" => {
                let mut c = stmt.walk();
                values.extend(
                    stmt.named_children(&mut c)
                        .filter(|d| d.kind_str() == "variable_declarator")
                        .filter_map(|d| d.field("value")),
                );
            }
            "expression_statement" | "return_statement" => values.extend(stmt.named_child(0)),
            _ => {}
        }
        let mut programs = Vec::new();
        for v in values {
            self.effect_programs(v, &mut programs, 0);
        }
        for g in programs {
            let Some(body) = g.field("body") else {
                continue;
            };
            if body.kind_str() != "statement_block" {
                continue;
            }
            let mut sub = a.scoped();
            self.block(body, &mut sub, fn_idx);
            a.steps.append(&mut sub.steps);
        }
    }

    /// `class UserService extends Effect.Service<UserService>()('UserService', { effect:
    /// Effect.gen(function* () { …; return { getUser } }) }) {}`: the service object (its
    /// methods), from the `effect`/`scoped` generator's `return`, a `succeed` object or a
    /// `sync` thunk.
    pub(super) fn effect_service_binding(&mut self, class: Node<'_>) -> Option<Binding> {
        if !self.uses_effect() {
            return None;
        }
        let mut c = class.walk();
        let heritage = class
            .named_children(&mut c)
            .find(|n| n.kind_str() == "class_heritage")?;
        let options = self.service_options(heritage, 0)?;
        let mut oc = options.walk();
        let pairs: Vec<Node<'_>> = options
            .named_children(&mut oc)
            .filter(|p| p.kind_str() == "pair")
            .collect();
        for p in pairs {
            let (Some(k), Some(v)) = (p.field("key"), p.field("value")) else {
                continue;
            };
            let v = strip(v);
            match self.text(k) {
                "effect" | "scoped" => {
                    if self.effect_method(v).as_deref() != Some("gen") {
                        continue;
                    }
                    let args = v.field("arguments")?;
                    let mut ac = args.walk();
                    let generator = args
                        .named_children(&mut ac)
                        .map(strip)
                        .find(|a| is_function_kind(a.kind_str()))?;
                    let body = generator.field("body")?;
                    let object = returned_object(body)?;
                    return Some(self.service_object(object, Some(body)));
                }
                "succeed" if v.kind_str() == "object" => return Some(self.service_object(v, None)),
                "sync" if is_function_kind(v.kind_str()) => {
                    let r = returned_expression(v)?;
                    if r.kind_str() == "object" {
                        return Some(self.service_object(r, None));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The options object of the `Effect.Service<Self>()('Name', { … })` call in a class's
    /// `extends`.
    fn service_options<'t>(&self, n: Node<'t>, depth: usize) -> Option<Node<'t>> {
        if depth > 6 {
            return None;
        }
        if n.kind_str() == "call_expression"
            && let Some(f) = n.field("function").map(strip)
            && f.kind_str() == "call_expression"
            && self
                .callee_path(f)
                .is_some_and(|p| p.last().is_some_and(|l| l == "Service()"))
            && self.effect_method(f).is_some()
        {
            let args = n.field("arguments")?;
            let mut c = args.walk();
            return args
                .named_children(&mut c)
                .map(strip)
                .find(|a| a.kind_str() == "object");
        }
        let mut c = n.walk();
        let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
        children
            .into_iter()
            .find_map(|ch| self.service_options(ch, depth + 1))
    }

    /// The methods of a service object; a shorthand or name field is looked up among the
    /// top-level declarations of the generator that builds it.
    fn service_object(&mut self, object: Node<'_>, scope: Option<Node<'_>>) -> Binding {
        let Binding::Object { fields, open } = self.object_binding(object, 0) else {
            return Binding::Other;
        };
        let mut out = Vec::with_capacity(fields.len());
        for f in fields {
            let value = match (&f.value, scope) {
                (Binding::Identifier { name }, Some(body)) => match local_value(self, body, name) {
                    Some(v) => self.binding_of(v, Some(&f.key)),
                    None => f.value.clone(),
                },
                _ => f.value.clone(),
            };
            // `getUser: Effect.fn('x')(function* (…) { … })`: the method's generator is
            // reported by the method's name.
            if let Binding::Call { args, .. } = &value {
                for a in args {
                    if let Binding::Function { index } = a
                        && let Some(g) = self.facts.functions.get_mut(*index)
                        && g.name.is_none()
                    {
                        g.name = Some(f.key.clone());
                    }
                }
            }
            out.push(Field {
                key: f.key,
                value,
                span: f.span,
                literal: f.literal,
            });
        }
        Binding::Object { fields: out, open }
    }
}

/// What a function returns: its expression body, or the value of a body that is one `return`
/// (also what a `.map` callback over a table gives, `facts::tables`).
pub(in crate::facts) fn returned_expression(f: Node<'_>) -> Option<Node<'_>> {
    let body = f.field("body")?;
    if body.kind_str() != "statement_block" {
        return Some(strip(body));
    }
    let mut c = body.walk();
    let stmts: Vec<Node<'_>> = body
        .named_children(&mut c)
        .filter(|s| s.kind_str() != "comment")
        .collect();
    match stmts.as_slice() {
        [only] if only.kind_str() == "return_statement" => only.named_child(0).map(strip),
        _ => None,
    }
}

/// The object a block returns at its top level (`return { getUser }`).
fn returned_object(body: Node<'_>) -> Option<Node<'_>> {
    let mut c = body.walk();
    let stmts: Vec<Node<'_>> = body.named_children(&mut c).collect();
    stmts
        .into_iter()
        .filter(|s| s.kind_str() == "return_statement")
        .filter_map(|s| s.named_child(0).map(strip))
        .find(|v| v.kind_str() == "object")
}

/// The value of `const <name> = <value>` at the top level of a block.
fn local_value<'t>(x: &Extractor<'_>, body: Node<'t>, name: &str) -> Option<Node<'t>> {
    let mut c = body.walk();
    let stmts: Vec<Node<'t>> = body.named_children(&mut c).collect();
    for s in stmts {
        if !matches!(s.kind_str(), "lexical_declaration" | "variable_declaration") {
            continue;
        }
        let mut dc = s.walk();
        let decls: Vec<Node<'t>> = s.named_children(&mut dc).collect();
        for d in decls {
            if d.kind_str() == "variable_declarator"
                && d.field("name").is_some_and(|n| x.text(n) == name)
            {
                return d.field("value");
            }
        }
    }
    None
}
