//! Local helpers a middleware callback calls (`return guard(req)`,
//! `const denied = await guard(auth, req); if (denied) return denied`): each is read like the
//! callback, with its parameters bound to what the call passes, and its steps join the
//! callback's program where the call's result is used. A helper's `return` ends the callback
//! only when the callback returns the helper's result; a `return null` the callback tests
//! (`if (denied) return denied`) lets the callback go on. Also `switch` statements, whose
//! cases helpers often use.

use crate::parse::{NodeFields, NodeKind};
use tree_sitter::Node;

use super::{Cond, MAX_NESTING, Op, Program, and, not, signed_out};
use crate::facts::code::{span, strip};
use crate::finding::Span;

/// Deepest chain of local helpers followed (a helper calling a helper calling …).
const MAX_HELPER_DEPTH: usize = 4;
/// Most returns of one helper the callback goes on after (`return null`) whose conditions
/// are kept; past them, what follows is a test the analyzer cannot evaluate.
const MAX_CONTINUED: usize = 32;

/// Where an op of a program comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Origin {
    /// A step that acts wherever it runs (`auth.protect()`, `throw`).
    Step,
    /// A `return` of the function read; `falsy` when it returns nothing, `null`, `undefined`
    /// or `false`.
    Return { falsy: bool },
}

/// How the callback uses a helper's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Use {
    /// `return guard(req)`: every return of the helper answers the request, and so does
    /// falling off its end (with `undefined`: the request goes through).
    Returned,
    /// `if (denied) return denied`: a return that gives a value answers the request; one that
    /// gives nothing lets the callback go on.
    IfTruthy,
    /// `await guard(req)`: the result is dropped; only the helper's own steps count.
    Statement,
}

/// What a local helper does, read once at the call.
#[derive(Clone, Debug)]
pub(super) struct Helper {
    /// Its program, conditions relative to the call.
    ops: Vec<Op>,
    origins: Vec<Origin>,
    /// The call (for the fall-through exit of a returned helper).
    span: Span,
    /// Declared `async`: a call that is not awaited gives a promise.
    pub(super) is_async: bool,
    /// The end of its body can be reached (it does not end with a `return` or `throw`).
    falls_off: bool,
    /// The call was not awaited and gives a promise (always truthy; `clerkMiddleware`
    /// awaits it when it is returned).
    pub(super) promise: bool,
}

impl Program<'_, '_, '_> {
    /// Read the local function a call names (`guard(auth, req)`), its parameters bound to
    /// the call's arguments; `None` when the callee is not a function of this file, is already
    /// being read (recursion), or lies deeper than [`MAX_HELPER_DEPTH`].
    pub(super) fn read_helper(&mut self, call: Node<'_>, when: Option<&Cond>) -> Option<Helper> {
        let call = strip(call);
        if call.kind_str() != "call_expression" {
            return None;
        }
        let f = strip(call.field("function")?);
        if f.kind_str() != "identifier" {
            return None;
        }
        let name = self.text(f);
        if self.cx.facts.route_matchers.contains_key(name) || self.cx.factory(name).is_some() {
            return None;
        }
        let index = self.cx.facts.local_function(name)?;
        let facts = self.cx.facts.function(index)?;
        let is_async = facts.is_async;
        let node = self.cx.node_at(facts.range)?;
        if !crate::facts::code::is_function_kind(node.kind_str())
            || self.inlining.len() >= MAX_HELPER_DEPTH
            || self.inlining.contains(&node.id())
            || self.depth >= MAX_NESTING
        {
            return None;
        }
        let body = node.field("body")?;
        let Some(_guard) = crate::facts::depth::Guard::enter() else {
            self.unknown = Some("its callback nests too deeply to follow".into());
            return None;
        };
        let mut sub = Program::new(self.cx, "\u{0}".into(), Vec::new());
        sub.inlining = self.inlining.clone();
        sub.inlining.push(node.id());
        sub.signed_out_base = self.signed_out_base || signed_out(when);
        sub.depth = self.depth;
        let params = self.cx.param_names(node);
        let args: Vec<Node<'_>> = call
            .field("arguments")
            .map(|a| {
                let mut c = a.walk();
                a.named_children(&mut c).collect()
            })
            .unwrap_or_default();
        for (p, a) in params.iter().zip(args) {
            let a = strip(a);
            let at = self.text(a);
            if at == self.auth {
                sub.auth = p.clone();
            }
            if at == self.req {
                sub.req = p.clone();
            }
            if a.kind_str() == "identifier" && self.is_session_object(at) {
                for key in ["userId", "isAuthenticated", "sessionId"] {
                    sub.session_vars.push(format!("{p}.{key}"));
                }
            }
            if self.is_session(a) {
                sub.session_vars.push(p.clone());
            }
            if self.is_pathname(a) {
                sub.pathname_vars.push(p.clone());
            }
            if let Some(v) = self.claim_value(a) {
                sub.claim_vars.push((p.clone(), v));
            }
            if self.is_has(a) {
                sub.has_vars.push(p.clone());
            }
            if self.untrusted_vars.iter().any(|v| v == at) {
                sub.untrusted_vars.push(p.clone());
            }
            if let Some((_, c)) = self.cond_vars.iter().rev().find(|(n, _)| n == at) {
                sub.cond_vars.push((p.clone(), c.clone()));
            }
            if let Some((_, pf)) = self.value_vars.iter().rev().find(|(n, _)| n == at) {
                sub.value_vars.push((p.clone(), pf.clone()));
            }
            if let Some((_, u)) = self.url_vars.iter().rev().find(|(n, _)| n == at) {
                sub.url_vars.push((p.clone(), u.clone()));
            }
        }
        let falls_off = body.kind_str() == "statement_block" && {
            let mut c = body.walk();
            body.named_children(&mut c)
                .filter(|n| n.kind_str() != "comment")
                .last()
                .is_none_or(|l| !matches!(l.kind_str(), "return_statement" | "throw_statement"))
        };
        if body.kind_str() == "statement_block" {
            sub.block(body, None);
        } else {
            // `const deny = (req) => NextResponse.redirect(…)`
            sub.return_value(body, None, span(body));
        }
        if let Some(u) = sub.unknown {
            // A helper it cannot read is a call like any other; past the file's budget, the
            // callback itself is not read to the end either.
            if self.cx.steps.get() > super::MAX_STEPS {
                self.unknown.get_or_insert(u);
            }
            return None;
        }
        self.local_matchers.append(&mut sub.local_matchers);
        Some(Helper {
            ops: sub.ops,
            origins: sub.origins,
            span: span(call),
            is_async,
            falls_off,
            promise: false,
        })
    }

    /// Add a helper's program where the callback uses its result, under `when`. With
    /// `returns_only`, its steps were added already (at the `const` that called it).
    pub(super) fn merge(&mut self, h: &Helper, mode: Use, when: Option<Cond>, returns_only: bool) {
        // The condition under which the helper is still running: each `return` that does not
        // answer the request ends it there.
        let mut going: Option<Cond> = None;
        let mut continued = 0usize;
        let at = |going: &Option<Cond>, own: &Option<Cond>| {
            and(when.clone(), and(going.clone(), own.clone()))
        };
        for (op, origin) in h.ops.iter().zip(&h.origins) {
            let own = match op {
                Op::Protect { when, .. } | Op::Exit { when, .. } => when.clone(),
            };
            let answers = match (origin, mode) {
                (Origin::Step, _) => None,
                (Origin::Return { falsy }, Use::Returned) => Some(*falsy),
                (Origin::Return { falsy: false }, Use::IfTruthy) => Some(false),
                (Origin::Return { .. }, _) => {
                    // The callback goes on after this return: later steps need it untaken.
                    if own.is_none() {
                        return;
                    }
                    continued += 1;
                    going = if continued > MAX_CONTINUED {
                        Some(Cond::PathTest {
                            text: "(a helper with too many early returns to follow)".into(),
                        })
                    } else {
                        and(going, not(own))
                    };
                    continue;
                }
            };
            if returns_only && answers.is_none() {
                continue;
            }
            let op = with_when(op, at(&going, &own));
            match answers {
                None => self.step(op),
                Some(falsy) => self.ret(op, falsy),
            }
        }
        if mode == Use::Returned && h.falls_off {
            // Falling off the end returns `undefined`: the request goes through.
            self.ret(
                Op::Exit {
                    when: at(&going, &None),
                    span: h.span,
                    blocks: false,
                },
                true,
            );
        }
    }

    /// The helper result a `const` holds.
    pub(super) fn helper_result(&self, name: &str) -> Option<Helper> {
        self.helper_results
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, h)| h.clone())
    }

    /// `if (denied) return denied` (also `denied !== null`, `denied instanceof Response`, a
    /// block that logs first): the helper result it returns. Not with an `else`.
    pub(super) fn returned_result(&self, s: Node<'_>) -> Option<Helper> {
        if s.field("alternative").is_some() {
            return None;
        }
        let c = strip(s.field("condition")?);
        let tested = match c.kind_str() {
            "identifier" => c,
            "binary_expression" => {
                let op = self.text(c.field("operator")?);
                let (l, r) = (strip(c.field("left")?), strip(c.field("right")?));
                let nullish = |n: Node<'_>| matches!(self.text(n), "null" | "undefined");
                match op {
                    "!==" | "!=" if nullish(r) => l,
                    "!==" | "!=" if nullish(l) => r,
                    "instanceof" => l,
                    _ => return None,
                }
            }
            _ => return None,
        };
        if tested.kind_str() != "identifier" {
            return None;
        }
        let name = self.text(tested);
        let then = s.field("consequence")?;
        let last = if then.kind_str() == "statement_block" {
            let mut cur = then.walk();
            let stmts: Vec<Node<'_>> = then
                .named_children(&mut cur)
                .filter(|n| n.kind_str() != "comment")
                .collect();
            let (last, before) = stmts.split_last()?;
            if before
                .iter()
                .any(|b| b.kind_str() != "expression_statement")
            {
                return None;
            }
            *last
        } else {
            then
        };
        if last.kind_str() != "return_statement"
            || last.named_child(0).map(|r| self.text(strip(r))) != Some(name)
        {
            return None;
        }
        self.helper_result(name)
    }

    /// `switch (d) { case a: …; default: … }`: each case's statements under its test (and
    /// the tests of the cases that fall into it), `default` under none of them.
    pub(super) fn switch(&mut self, s: Node<'_>, when: Option<Cond>) {
        let (Some(d), Some(body)) = (s.field("value"), s.field("body")) else {
            return;
        };
        let d = strip(d);
        let mut cur = body.walk();
        let cases: Vec<Node<'_>> = body
            .named_children(&mut cur)
            .filter(|c| matches!(c.kind_str(), "switch_case" | "switch_default"))
            .collect();
        let tests: Vec<Option<Cond>> = cases
            .iter()
            .map(|c| {
                (c.kind_str() == "switch_case")
                    .then(|| c.field("value"))
                    .flatten()
                    .map(|v| self.case_test(d, v))
            })
            .collect();
        let others: Vec<Cond> = tests.iter().flatten().cloned().collect();
        let default = (!others.is_empty()).then(|| Cond::Not {
            inner: Box::new(Cond::Or { any: others }),
        });
        // `Some(c)`: the previous case falls into this one under `c` (`None` inside: always).
        let mut carry: Option<Option<Cond>> = None;
        for (case, test) in cases.iter().zip(tests) {
            let own = if case.kind_str() == "switch_default" {
                default.clone()
            } else {
                test
            };
            let reach = match carry.take() {
                None => own,
                Some(prev) => or(prev, own),
            };
            let value = case.field("value").map(|v| v.id());
            let mut c = case.walk();
            let stmts: Vec<Node<'_>> = case
                .named_children(&mut c)
                .filter(|n| Some(n.id()) != value && n.kind_str() != "comment")
                .collect();
            let mut under = reach.clone();
            if breaks_early(&stmts) {
                under = and(
                    under,
                    Some(Cond::Unknown {
                        text: "a `break` inside a `case`".into(),
                    }),
                );
            }
            for st in &stmts {
                self.statement(*st, and(when.clone(), under.clone()));
            }
            let ends = stmts.last().is_some_and(|l| {
                matches!(
                    l.kind_str(),
                    "break_statement"
                        | "return_statement"
                        | "throw_statement"
                        | "continue_statement"
                )
            });
            if !ends {
                carry = Some(reach);
            }
        }
    }

    /// The test of `case v:` on the switch's value `d`.
    fn case_test(&mut self, d: Node<'_>, v: Node<'_>) -> Cond {
        if let Some(c) = self.value_test(d, v) {
            return c;
        }
        if self.is_pathname(d)
            && let Some(path) = self.string(v)
        {
            return Cond::PathEq { path };
        }
        let text = format!("{} === {}", self.text(d), self.text(v));
        self.opaque(&text)
    }
}

/// The op with another condition.
fn with_when(op: &Op, when: Option<Cond>) -> Op {
    match op {
        Op::Protect {
            span,
            how,
            unawaited,
            ..
        } => Op::Protect {
            when,
            span: *span,
            how: how.clone(),
            unawaited: *unawaited,
        },
        Op::Exit { span, blocks, .. } => Op::Exit {
            when,
            span: *span,
            blocks: *blocks,
        },
    }
}

/// `a || b`, where `None` holds always.
fn or(a: Option<Cond>, b: Option<Cond>) -> Option<Cond> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Cond::Or { any: vec![a, b] }),
        _ => None,
    }
}

/// Whether a `break` that leaves the switch sits before the end of a case (`if (x) break`):
/// what follows it runs only sometimes. Nested loops, switches and functions keep their own.
fn breaks_early(stmts: &[Node<'_>]) -> bool {
    let body = match stmts.split_last() {
        Some((last, rest)) if last.kind_str() == "break_statement" => rest,
        _ => stmts,
    };
    let mut stack: Vec<Node<'_>> = body.to_vec();
    let mut visited = 0usize;
    while let Some(n) = stack.pop() {
        visited += 1;
        if visited > 10_000 {
            return true;
        }
        match n.kind_str() {
            "break_statement" => return true,
            "for_statement" | "for_in_statement" | "while_statement" | "do_statement"
            | "switch_statement" => continue,
            k if crate::facts::code::is_function_kind(k) => continue,
            _ => {}
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}
