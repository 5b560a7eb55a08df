use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::rules::authz::vulnerable_dependency::dependency_span;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an app that depends on `@clerk/remix`. Clerk put the package in maintenance
    /// mode in 4.12.0 ("Please use `@clerk/react-router` package instead") and removed it from
    /// its monorepo afterwards; it only supports Remix v2. The finding points at the dependency
    /// in `package.json`.
    ///
    /// The app's loaders and actions are still analysed like React Router's
    /// (`unprotected-route-handler`): `getAuth(args)` from `@clerk/remix/ssr.server` and a
    /// redirect or throw when `userId` is null protect them.
    ///
    /// ## Why is this bad?
    /// A package in maintenance mode gets no new features and, eventually, no fixes: security
    /// fixes in `@clerk/backend` reach it only while it is still released. Remix v2 itself
    /// continues as React Router v7, whose Clerk SDK is `@clerk/react-router`.
    ///
    /// ## Example
    /// ```json
    /// { "dependencies": { "@remix-run/node": "^2.15.0", "@clerk/remix": "^4.2.0" } }
    /// ```
    ///
    /// ## Use instead
    /// Upgrade Remix v2 to React Router v7 (`npx codemod remix/2/react-router/upgrade`) and
    /// replace `@clerk/remix` with `@clerk/react-router`: `clerkMiddleware()` in the root's
    /// `middleware` export, `rootAuthLoader(args)` as the root loader, `getAuth(args)` in each
    /// loader and action.
    ///
    /// ## References
    /// - https://clerk.com/docs/quickstarts/react-router
    /// - https://reactrouter.com/upgrading/remix
    pub struct RemixSdkDeprecated {
        id: "remix-sdk-deprecated",
        group: Group::Middleware,
        severity: Severity::Info,
        summary: "@clerk/remix is deprecated (maintenance mode): migrate to React Router v7 and @clerk/react-router",
        keywords: &[],
    }
}

impl Rule for RemixSdkDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        let mut seen = std::collections::HashSet::new();
        for app in &project.apps {
            let Some(installed) = app.clerk_packages().get("@clerk/remix") else {
                continue;
            };
            // The manifest that declares it (the app's own, or its workspace root's).
            let manifest = [Some(installed.source.as_str()), app.package_json.as_deref()]
                .into_iter()
                .flatten()
                .filter(|p| p.ends_with("package.json"))
                .find_map(|p| {
                    let f = project.file_index(p)?;
                    let span = dependency_span(&project.files[f].text(), "@clerk/remix")?;
                    Some((p.to_string(), span))
                });
            let Some((file, span)) = manifest else {
                continue;
            };
            if !seen.insert(file.clone()) {
                continue;
            }
            out.push(
                Finding::new(Self::META.id, Self::META.severity, &file)
                    .at(span)
                    .message(format!(
                        "`@clerk/remix` ({}) is deprecated: Clerk keeps it in maintenance mode since 4.12.0 and supports only Remix v2",
                        installed.version
                    ))
                    .help("upgrade to React Router v7 and replace `@clerk/remix` with `@clerk/react-router` (`clerkMiddleware()`, `rootAuthLoader`, `getAuth(args)`)")
                    .anchor(format!("@clerk/remix {file}")),
            );
        }
    }
}
