use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an early return in the middleware that depends on something the client sends —
    /// a cookie, a header or a query parameter, tested for presence or compared with a
    /// literal — and comes before the middleware's protection (`auth.protect()`, a redirect to
    /// sign-in, a 401). Paths behind such a return are not counted as protected by the
    /// middleware, so handlers there are judged on their own checks.
    ///
    /// A comparison with a secret (`req.headers.get('x-key') === process.env.KEY`) and a call
    /// that verifies the value are not reported. Nor is a return that skips nothing for a
    /// signed-out visitor of one of the app's routes: one that answers with a redirect or an
    /// error (`if (ref && !userId) return NextResponse.redirect(signUp)` refuses), one that
    /// only a signed-in request reaches (signed-out ones were refused or returned earlier), and
    /// one for paths a later return lets through anyway (`if (ref && isPublic(req)) return`
    /// before `if (!isPublic(req)) await auth.protect()`).
    ///
    /// ## Why is this bad?
    /// Every request header and cookie is chosen by whoever sends the request. `if
    /// (req.cookies.has('jwt')) return NextResponse.next()` lets anyone through who sets a
    /// cookie named `jwt` to any value: the middleware never checks the session for them.
    ///
    /// ## Example
    /// ```ts
    /// export default clerkMiddleware(async (auth, req) => {
    ///   if (req.cookies.get('beta')) return NextResponse.next()
    ///   await auth.protect()
    /// })
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// export default clerkMiddleware(async (auth, req) => {
    ///   await auth.protect()
    ///   if (req.cookies.get('beta')) return NextResponse.next()
    /// })
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/nextjs/clerk-middleware
    /// - https://nextjs.org/docs/app/api-reference/functions/next-request#cookies
    pub struct MiddlewareClientBypass {
        id: "middleware-client-bypass",
        group: Group::Middleware,
        severity: Severity::Error,
        summary: "The middleware skips its protection when the request carries a cookie, header or query value",
        keywords: &[],
    }
}

impl Rule for MiddlewareClientBypass {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for m in &project.middlewares {
            if !m.loaded() || !project.apps[m.app].uses_clerk {
                continue;
            }
            // The request paths of the app's routes: a return is a bypass when it skips the
            // protection of one of them.
            let paths: Vec<String> = project
                .entries
                .iter()
                .filter(|e| e.app == m.app)
                .filter_map(|e| e.samples())
                .flatten()
                .cloned()
                .collect();
            for (span, test) in m.bypasses(&paths) {
                out.push(
                    Finding::new(Self::META.id, Self::META.severity, &m.file)
                        .at(span)
                        .message(format!(
                            "the middleware returns before its protection when {test}, which the client controls: anyone who sends it skips the session check"
                        ))
                        .help("protect first (`await auth.protect()`), or decide from the session (`await auth()`), never from a cookie, header or query value alone")
                        .label("client-controlled early return")
                        .anchor(format!("client bypass {} {test}", m.file)),
                );
            }
        }
    }
}
