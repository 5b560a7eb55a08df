//! Typed evidence: the one vocabulary of checks that the fact extractors record, the function
//! summaries carry, the route model decides with, and `routes`' HOW column and every message
//! are rendered from. A decision matches on the variant; the text fields are for people only.

use serde::{Deserialize, Serialize};

use super::code::SessionCall;

/// One check a function performs before it does its work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The user's Clerk session is verified: a test on a session value that rejects,
    /// `auth.protect()`, `verifyToken()` that throws.
    Session { api: SessionCall, how: String },
    /// A middleware rejects when a value of its request context is missing (`if
    /// (!ctx.auth.userId) throw` in a tRPC `.use()`), and the context is built from the Clerk
    /// session (`createContext` calls `auth()`).
    Context { test: String, context: String },
    /// A function listed in the config's `auth_functions`.
    Configured { name: String },
    /// A library verifier the analyzer cannot see into (`verifyAccess`, `authenticate…`) whose
    /// result decides an exit.
    Verifier { name: String },
    /// A role or permission test that rejects (`has({ role })`, `orgRole !== 'org:admin'`).
    Role { how: String },
    /// A webhook or request signature (svix `verify`, Clerk `verifyWebhook`, Stripe
    /// `constructEvent`, an HMAC compared in constant time), or a token signed with the
    /// server's own key (`verify` of `hono/jwt` or `jsonwebtoken`, `jwtVerify` of `jose`).
    Signature { how: String },
    /// A shared secret compared with a value from the environment (`CRON_SECRET`, a bearer
    /// token, `x-api-key`). `headers`: the request headers the comparison reads (lower-cased),
    /// so that a header the middleware stamps with the same secret can be told apart.
    SharedSecret {
        how: String,
        #[serde(default)]
        headers: Vec<String>,
    },
    /// An API key looked up (database, hash compare, RPC) and rejected with a 4xx.
    ApiKeyLookup { how: String },
    /// The handler refuses to run outside development (`NODE_ENV !== 'development'`).
    EnvGate { how: String },
    /// The user's token is forwarded to another service that checks it (`getToken()` as a
    /// bearer header).
    Delegated { how: String },
}

/// What a check establishes about the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckClass {
    /// A signed-in user.
    User,
    /// A machine that holds a secret (webhooks, cron jobs, API clients) or a dev-only gate.
    Machine,
    /// A role, permission or organization (implies nothing about sign-in on its own).
    Authz,
    /// Someone else decides (a backend the token is forwarded to).
    Delegated,
}

impl Check {
    pub fn class(&self) -> CheckClass {
        match self {
            Check::Session { .. }
            | Check::Context { .. }
            | Check::Configured { .. }
            | Check::Verifier { .. } => CheckClass::User,
            Check::Signature { .. }
            | Check::SharedSecret { .. }
            | Check::ApiKeyLookup { .. }
            | Check::EnvGate { .. } => CheckClass::Machine,
            Check::Role { .. } => CheckClass::Authz,
            Check::Delegated { .. } => CheckClass::Delegated,
        }
    }

    /// A short label for `routes` (`session`, `signature`, `shared-secret`, …).
    pub fn label(&self) -> &'static str {
        match self {
            Check::Session { .. } => "session",
            Check::Context { .. } => "session-context",
            Check::Configured { .. } => "auth-function",
            Check::Verifier { .. } => "verifier",
            Check::Role { .. } => "role",
            Check::Signature { .. } => "signature",
            Check::SharedSecret { .. } => "shared-secret",
            Check::ApiKeyLookup { .. } => "api-key",
            Check::EnvGate { .. } => "env-gate",
            Check::Delegated { .. } => "delegated",
        }
    }

    /// One sentence fragment for messages and the HOW column.
    pub fn describe(&self) -> String {
        match self {
            Check::Session { how, .. } | Check::Role { how } => how.clone(),
            Check::Context { test, context } => format!(
                "`if ({test})` throws, and the context comes from {context}, which reads the Clerk session"
            ),
            Check::Configured { name } => format!("calls `{name}` (listed in `auth_functions`)"),
            Check::Verifier { name } => {
                format!("checks the result of `{name}()` (a verifier outside the project)")
            }
            Check::Signature { how } => format!("verifies the request signature (`{how}`)"),
            Check::SharedSecret { how, .. } => format!("shared-secret check `{how}`"),
            Check::ApiKeyLookup { how } => format!("looks up the API key and rejects (`{how}`)"),
            Check::EnvGate { how } => format!("runs only in development (`{how}`)"),
            Check::Delegated { how } => {
                format!("forwards the user's token to a backend that checks it ({how})")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        let s = Check::Session {
            api: SessionCall::Auth,
            how: "x".into(),
        };
        assert_eq!(s.class(), CheckClass::User);
        assert_eq!(
            Check::SharedSecret {
                how: "a".into(),
                headers: Vec::new()
            }
            .class(),
            CheckClass::Machine
        );
        assert_eq!(Check::Role { how: "r".into() }.class(), CheckClass::Authz);
        assert_eq!(
            Check::Delegated { how: "d".into() }.class(),
            CheckClass::Delegated
        );
        assert!(
            Check::SharedSecret {
                how: "k".into(),
                headers: Vec::new()
            }
            .describe()
            .starts_with("shared-secret")
        );
    }
}
