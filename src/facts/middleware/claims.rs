//! Tests of the session's claims in a middleware callback (`sessionClaims?.metadata?.role !==
//! 'admin'`, `!roles.includes(role)`, `!has({ role: 'org:admin' })`). For a signed-out
//! request `auth()` gives no claims and `has()` answers `false`, so such a test is decided for
//! every signed-out request even though the analyzer cannot evaluate it for a signed-in one:
//! `role !== 'admin'` holds (`Or[SignedOut, test]`), `role === 'admin'` fails
//! (`And[SignedIn, test]`). A redirect under `isAdmin(req) && role !== 'admin'` then protects
//! `/admin` from signed-out requests, as Clerk's role-based access guide has it.

use crate::parse::{NodeFields, NodeKind};
use tree_sitter::Node;

use super::{Cond, Program};
use crate::facts::code::{compact, object_pattern_names, strip};

/// What a claim read gives for a signed-out request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SignedOutValue {
    /// `undefined` (or `null`): `sessionClaims?.metadata?.role`.
    Absent,
    /// A constant given when the claim is absent (`role ?? 'guest'`), as its canonical text.
    Constant(String),
}

impl Program<'_, '_, '_> {
    /// What a claim read (`sessionClaims?.metadata?.role`, a name bound to one, `claims.org_role
    /// ?? ''`) gives for a signed-out request; `None` when the expression is not a claim read.
    pub(super) fn claim_value(&self, n: Node<'_>) -> Option<SignedOutValue> {
        // Recursive along member chains: bounded like every walk of the tree.
        let _depth = crate::facts::depth::Guard::enter()?;
        let n = strip(n);
        match n.kind_str() {
            "identifier" => {
                let t = self.text(n);
                if self.claims_roots.iter().any(|r| r == t) {
                    return Some(SignedOutValue::Absent);
                }
                self.claim_vars
                    .iter()
                    .rev()
                    .find(|(name, _)| name == t)
                    .map(|(_, v)| v.clone())
            }
            "member_expression" | "subscript_expression" => {
                let object = strip(n.field("object")?);
                // `(await auth()).sessionClaims`, `session.sessionClaims`
                if n.kind_str() == "member_expression"
                    && n.field("property")
                        .is_some_and(|p| self.text(p) == "sessionClaims")
                {
                    let o = self.text(object);
                    let from_auth = object.kind_str() == "call_expression"
                        && object
                            .field("function")
                            .is_some_and(|f| self.text(strip(f)) == self.auth);
                    if from_auth || (object.kind_str() == "identifier" && self.is_session_object(o))
                    {
                        return Some(SignedOutValue::Absent);
                    }
                }
                // A member of an absent value is absent (through `?.`; without it the read
                // throws, which the analysis does not count on).
                match self.claim_value(object)? {
                    SignedOutValue::Absent => Some(SignedOutValue::Absent),
                    SignedOutValue::Constant(_) => None,
                }
            }
            // `role ?? ''`, `role || 'guest'`
            "binary_expression" => {
                let op = self.text(n.field("operator")?);
                if op != "??" && op != "||" {
                    return None;
                }
                let (l, r) = (n.field("left")?, strip(n.field("right")?));
                if self.claim_value(l)? != SignedOutValue::Absent {
                    return None;
                }
                let c = super::path_fn::constant(self.text(r), r)?;
                Some(if matches!(c.as_str(), "null" | "undefined") {
                    SignedOutValue::Absent
                } else {
                    SignedOutValue::Constant(c)
                })
            }
            _ => None,
        }
    }

    /// A condition that tests a claim, decided for a signed-out request as far as it can be;
    /// `None` when the condition tests no claim.
    pub(super) fn claim_test(&mut self, c: Node<'_>) -> Option<Cond> {
        let t = self.text(c);
        let decided = |holds: Option<bool>| {
            let test = Cond::Unknown { text: compact(t) };
            match holds {
                Some(true) => Cond::Or {
                    any: vec![Cond::SignedOut, test],
                },
                Some(false) => Cond::And {
                    all: vec![Cond::SignedIn, test],
                },
                None => test,
            }
        };
        match c.kind_str() {
            "binary_expression" => {
                let op = self.text(c.field("operator")?);
                let eq = match op {
                    "===" | "==" => true,
                    "!==" | "!=" => false,
                    _ => return None,
                };
                let (l, r) = (c.field("left")?, c.field("right")?);
                let (value, other) = match self.claim_value(l) {
                    Some(v) => (v, strip(r)),
                    None => (self.claim_value(r)?, strip(l)),
                };
                let other = super::path_fn::constant(self.text(other), other)?;
                let nullish = matches!(other.as_str(), "null" | "undefined");
                let equal = match &value {
                    SignedOutValue::Absent => nullish,
                    SignedOutValue::Constant(v) => *v == other,
                };
                Some(decided(Some(equal == eq)))
            }
            "call_expression" => {
                let f = strip(c.field("function")?);
                // `has({ role: 'org:admin' })`: `false` for a signed-out request.
                if self.is_has(f) {
                    return Some(decided(Some(false)));
                }
                if f.kind_str() != "member_expression" {
                    return None;
                }
                let object = f.field("object")?;
                let method = self.text(f.field("property")?);
                let first = c.field("arguments").and_then(|a| a.named_child(0));
                // `ROLES.includes(role)`: a list of roles holds no absent role (nor the
                // empty string a `?? ''` gives).
                if method == "includes"
                    && self.claim_value(object).is_none()
                    && let Some(arg) = first
                    && let Some(value) = self.claim_value(arg)
                {
                    let holds = match value {
                        SignedOutValue::Absent => Some(false),
                        SignedOutValue::Constant(v) if v == "''" => Some(false),
                        SignedOutValue::Constant(_) => None,
                    };
                    return Some(decided(holds));
                }
                // `role?.startsWith('org:')`: an optional call on an absent claim gives
                // `undefined`.
                if self.text(f).contains("?.")
                    && self.claim_value(object) == Some(SignedOutValue::Absent)
                {
                    return Some(decided(Some(false)));
                }
                None
            }
            "identifier" | "member_expression" | "subscript_expression" => {
                match self.claim_value(c)? {
                    SignedOutValue::Absent => Some(decided(Some(false))),
                    SignedOutValue::Constant(v) => {
                        Some(decided(Some(!matches!(v.as_str(), "''" | "0" | "false"))))
                    }
                }
            }
            _ => None,
        }
    }

    /// `has` from `auth()` (`const { has } = await auth()`, `(await auth()).has`,
    /// `session.has`).
    pub(super) fn is_has(&self, f: Node<'_>) -> bool {
        match f.kind_str() {
            "identifier" => self.has_vars.iter().any(|h| h == self.text(f)),
            "member_expression" => {
                f.field("property").is_some_and(|p| self.text(p) == "has")
                    && f.field("object").map(strip).is_some_and(|o| {
                        (o.kind_str() == "call_expression"
                            && o.field("function")
                                .is_some_and(|g| self.text(strip(g)) == self.auth))
                            || (o.kind_str() == "identifier"
                                && self.is_session_object(self.text(o)))
                    })
            }
            _ => false,
        }
    }

    /// `const { sessionClaims, has } = await auth()` (also renamed: `sessionClaims: claims`).
    pub(super) fn bind_auth_pattern(&mut self, pattern: Node<'_>) {
        for (key, local) in object_pattern_names(self.cx.src, pattern) {
            match key.as_str() {
                "sessionClaims" => self.claims_roots.push(local),
                "has" => self.has_vars.push(local),
                _ => {}
            }
        }
    }

    /// `const role = sessionClaims?.metadata?.role`, `const { role } = sessionClaims.metadata`:
    /// the names now holding a claim. Returns whether the value was a claim read.
    pub(super) fn bind_claim(&mut self, name: Node<'_>, value: Node<'_>) -> bool {
        let Some(v) = self.claim_value(value) else {
            return false;
        };
        match name.kind_str() {
            "identifier" => self.claim_vars.push((self.text(name).to_string(), v)),
            "object_pattern" => {
                for (_, local) in object_pattern_names(self.cx.src, name) {
                    self.claim_vars.push((local, SignedOutValue::Absent));
                }
            }
            _ => return false,
        }
        true
    }
}
