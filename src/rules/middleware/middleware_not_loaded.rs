use crate::declare_rule;
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a middleware/proxy file that Next.js never runs:
    /// - inside `app/` or `pages/`, or at the app root while the router lives in `src/` (or in
    ///   `src/` while it lives at the root);
    /// - named `proxy.ts` on Next.js 15 or older (only Next.js 16 loads `proxy`);
    /// - not following a custom `pageExtensions` (`middleware.page.ts`);
    /// - `middleware.ts` and `proxy.ts` both present on Next.js 16, which fails the build.
    ///
    /// ## Why is this bad?
    /// A middleware that does not run protects nothing, while everyone reading the code
    /// believes the routes it lists are protected.
    ///
    /// ## Example
    /// ```text
    /// middleware.ts      ← never loaded
    /// src/app/page.tsx   (the router lives in src/)
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// src/middleware.ts  (src/proxy.ts on Next.js 16)
    /// src/app/page.tsx
    /// ```
    ///
    /// ## References
    /// - https://nextjs.org/docs/app/api-reference/file-conventions/proxy
    /// - https://nextjs.org/docs/messages/middleware-to-proxy
    pub struct MiddlewareNotLoaded {
        id: "middleware-not-loaded",
        group: Group::Middleware,
        severity: Severity::Error,
        summary: "A middleware/proxy file that Next.js never loads",
        keywords: &[],
    }
}

impl Rule for MiddlewareNotLoaded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for m in &project.middlewares {
            let Some(reason) = &m.not_loaded else {
                continue;
            };
            out.push(
                Finding::new(Self::META.id, Self::META.severity, &m.file)
                    .at(m.span.unwrap_or(Span::new(0, 0)))
                    .message(format!("Next.js never runs this middleware: {reason}"))
                    .help("move or rename the file to where Next.js loads it (see `clerk-guard explain middleware-not-loaded`)")
                    .anchor(format!("not loaded {}", m.file)),
            );
        }
    }
}
