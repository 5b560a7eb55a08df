use crate::declare_rule;
use crate::facts::frameworks::react_router::MiddlewareItem;
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;
use crate::project::apps::Framework;
use crate::project::frameworks::{app_files, react_router, tanstack};
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds apps whose Clerk SDK needs `clerkMiddleware()` registered with the framework and
    /// that never register it:
    /// - **React Router** with `@clerk/react-router` 3.0.0 or later, whose root route module
    ///   (`app/root.tsx`) has no `export const middleware = [clerkMiddleware()]` while the app
    ///   calls `getAuth(args)` or `rootAuthLoader(args)`: both throw "clerkMiddleware() not
    ///   detected" on every request (warning). With 2.x the old path still works but is
    ///   deprecated (info). It also reports a `middleware` export React Router ignores: React
    ///   Router 7 runs route middleware only with `future.v8_middleware` (or
    ///   `unstable_middleware` on 7.3–7.8) in `react-router.config.*`.
    /// - **TanStack Start** with `@clerk/tanstack-react-start`, where code calls `auth()` from
    ///   `@clerk/tanstack-react-start/server` but no `createStart(() => ({ requestMiddleware:
    ///   [clerkMiddleware()] }))` (`src/start.ts`) nor the 0.x `createClerkHandler` server entry
    ///   registers it: `auth()` throws "It looks like you're trying to use Clerk without
    ///   configuring the middleware" (warning).
    ///
    /// ## Why is this bad?
    /// The session checks in loaders, actions and server functions cannot run: every request
    /// that reaches one fails with a server error instead of being answered or rejected. The
    /// middleware itself rejects no one (it only reads the session), so registering it does not
    /// protect anything by itself: each entry still checks `userId`.
    ///
    /// ## Example
    /// ```tsx
    /// // app/root.tsx (@clerk/react-router 3.x)
    /// import { rootAuthLoader } from '@clerk/react-router/server'
    /// export const loader = (args: Route.LoaderArgs) => rootAuthLoader(args)
    /// ```
    ///
    /// ## Use instead
    /// ```tsx
    /// import { clerkMiddleware, rootAuthLoader } from '@clerk/react-router/server'
    /// export const middleware: Route.MiddlewareFunction[] = [clerkMiddleware()]
    /// export const loader = (args: Route.LoaderArgs) => rootAuthLoader(args)
    /// ```
    /// and, on React Router 7, `future: { v8_middleware: true }` in `react-router.config.ts`.
    /// For TanStack Start, `src/start.ts`:
    /// ```ts
    /// import { clerkMiddleware } from '@clerk/tanstack-react-start/server'
    /// import { createStart } from '@tanstack/react-start'
    /// export const startInstance = createStart(() => ({ requestMiddleware: [clerkMiddleware()] }))
    /// ```
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/react-router/clerk-middleware
    /// - https://clerk.com/docs/reference/tanstack-react-start/clerk-middleware
    /// - https://reactrouter.com/how-to/middleware
    pub struct ClerkMiddlewareNotRegistered {
        id: "clerk-middleware-not-registered",
        group: Group::Middleware,
        severity: Severity::Warning,
        summary: "A React Router or TanStack Start app calls Clerk's session APIs without registering clerkMiddleware()",
        keywords: &[],
    }
}

/// The first import of one of `names` from a module starting with `prefix`, in an app's files.
fn first_import(
    project: &Project,
    app: usize,
    prefix: &str,
    names: &[&str],
) -> Option<(String, Span)> {
    // The import names the prefix in the text: only those files' imports are read.
    let named =
        |f: &crate::facts::FileFacts| !prefix.starts_with("@clerk/") || f.hits.has("@clerk/");
    app_files(project, app).find_map(|(_, f)| {
        if !named(f) {
            return None;
        }
        f.imports().iter().find_map(|i| {
            (i.source.starts_with(prefix)
                && i.names.iter().any(|n| names.contains(&n.imported.as_str())))
            .then(|| (f.rel.to_string(), i.source_span))
        })
    })
}

impl Rule for ClerkMiddlewareNotRegistered {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for (ai, app) in project.apps.iter().enumerate() {
            if app.has(Framework::ReactRouter)
                && let Some(installed) = app.clerk_packages().get("@clerk/react-router")
            {
                self.react_router(project, ai, installed.version.major, out);
            }
            if app.has(Framework::TanStackStart)
                && app
                    .clerk_packages()
                    .contains_key("@clerk/tanstack-react-start")
                && tanstack::clerk_registration(project, ai).is_none()
                && let Some((file, span)) =
                    first_import(project, ai, "@clerk/tanstack-react-start/server", &["auth"])
            {
                out.push(
                    Finding::new(Self::META.id, Self::META.severity, &file)
                        .at(span)
                        .message("`auth()` of `@clerk/tanstack-react-start` is called, but no `createStart` registers `clerkMiddleware()`: every `auth()` call throws")
                        .help("register it in `src/start.ts`: `createStart(() => ({ requestMiddleware: [clerkMiddleware()] }))`")
                        .anchor(format!("clerkMiddleware {}", app.root)),
                );
            }
        }
    }
}

impl ClerkMiddlewareNotRegistered {
    fn react_router(&self, project: &Project, ai: usize, major: u64, out: &mut Vec<Finding>) {
        if major < 2 {
            return;
        }
        let app = &project.apps[ai];
        let Some(root) = react_router::root_module(project, ai, app) else {
            return;
        };
        let Some(code) = project
            .file_index(&root)
            .and_then(|i| project.files[i].code())
        else {
            return;
        };
        let mw = code
            .frameworks
            .react_router
            .as_deref()
            .and_then(|f| f.middleware.as_ref());
        let registered = mw.is_some_and(|m| {
            m.items
                .iter()
                .any(|i| matches!(i, MiddlewareItem::Clerk { .. }))
        });
        if registered {
            // React Router 7 ignores the export without the future flag.
            let rr7 = app
                .clerk_packages()
                .get("react-router")
                .is_some_and(|v| v.version.major == 7);
            if rr7
                && !react_router::middleware_enabled(project, ai, app)
                && let Some(m) = mw
            {
                out.push(
                    Finding::new(Self::META.id, Self::META.severity, &root)
                        .at(m.span)
                        .message(format!("`{}` registers `clerkMiddleware()`, but React Router 7 runs route middleware only with `future.v8_middleware`: the export is ignored and every `getAuth()` throws", m.name))
                        .help("set `future: { v8_middleware: true }` in `react-router.config.ts`")
                        .anchor(format!("clerkMiddleware flag {root}")),
                );
            }
            return;
        }
        let Some(_) = first_import(
            project,
            ai,
            "@clerk/react-router",
            &["getAuth", "rootAuthLoader"],
        ) else {
            return;
        };
        let span = code
            .export("loader")
            .map(|e| e.span)
            .unwrap_or(Span::new(0, 0));
        let (severity, message) = if major >= 3 {
            (
                Self::META.severity,
                format!(
                    "the root route does not export `middleware = [clerkMiddleware()]`, which `@clerk/react-router` {major}.x requires: `getAuth()` and `rootAuthLoader()` throw on every request"
                ),
            )
        } else {
            (
                Severity::Info,
                "the root route does not export `middleware = [clerkMiddleware()]`: `rootAuthLoader()` without it is deprecated in `@clerk/react-router` 2.x and removed in 3.0".to_string(),
            )
        };
        out.push(
            Finding::new(Self::META.id, severity, &root)
                .at(span)
                .message(message)
                .help("add `export const middleware: Route.MiddlewareFunction[] = [clerkMiddleware()]` to the root route (and `future: { v8_middleware: true }` on React Router 7)")
                .anchor(format!("clerkMiddleware {root}")),
        );
    }
}
