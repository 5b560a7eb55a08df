use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::boundary::Root;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds modules that import `server-only` and are in the client set: a `'use client'`
    /// module, a module such a module imports (directly or through other modules, aliases,
    /// barrel files, `export … from`, dynamic `import()`, workspace packages), or a Pages
    /// Router page and what it imports outside its data functions. The finding sits at the
    /// `import 'server-only'` and names the chain that pulls the module into the browser
    /// bundle, the client module first.
    ///
    /// ## Why is this bad?
    /// `import 'server-only'` marks a module as server code: it usually reads secrets or the
    /// database (Clerk guards its own `auth()` and `currentUser()` with it). When client code
    /// imports such a module, `next build` fails ("You're importing a component that needs
    /// \"server-only\""), and the code was one import away from shipping to every visitor.
    ///
    /// ## Example
    /// ```ts
    /// // lib/db.ts
    /// import 'server-only'
    /// export const db = new Client(process.env.DATABASE_URL)
    /// ```
    /// ```tsx
    /// // components/ProjectList.tsx
    /// 'use client'
    /// import { db } from '@/lib/db'
    /// ```
    ///
    /// ## Use instead
    /// Read the data in a server component (or a server action, a route handler) and pass
    /// the result to the client component as props:
    /// ```tsx
    /// // app/projects/page.tsx (a server component)
    /// import { db } from '@/lib/db'
    /// export default async function Page() {
    ///   return <ProjectList projects={await db.projects()} />
    /// }
    /// ```
    ///
    /// ## References
    /// - https://nextjs.org/docs/app/getting-started/server-and-client-components
    /// - https://www.npmjs.com/package/server-only
    pub struct ServerOnlyInClient {
        id: "server-only-in-client",
        group: Group::Boundary,
        severity: Severity::Error,
        summary: "A module that imports server-only is bundled for the browser",
        keywords: &["server-only"],
    }
}

impl Rule for ServerOnlyInClient {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        let marked: Vec<(usize, usize)> = project
            .files
            .iter()
            .enumerate()
            // Only the modules that name it are asked for their imports.
            .filter(|(_, f)| f.hits.has("server-only"))
            .flat_map(|(id, f)| {
                f.imports()
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.source == "server-only" && !i.type_only)
                    .map(move |(k, _)| (id, k))
            })
            .collect();
        if marked.is_empty() {
            return;
        }
        let cs = project.client_set();
        for (id, k) in marked {
            if !cs.contains(id) || cs.is_stripped_import(id, k) {
                continue;
            }
            let f = &project.files[id];
            let span = f.imports()[k].source_span;
            let message = match cs.root(id) {
                Some(Root::UseClient(_)) => format!(
                    "`{}` imports 'server-only' but is a 'use client' module: `next build` fails here",
                    f.rel
                ),
                Some(Root::PagesRouterPage) => format!(
                    "`{}` imports 'server-only' but is a Pages Router page, which is also bundled for the browser: `next build` fails here",
                    f.rel
                ),
                None => format!(
                    "`{}` imports 'server-only' but is bundled for the browser: {}; `next build` fails here",
                    f.rel,
                    cs.describe_chain(project, id)
                ),
            };
            let mut finding = Finding::new(Self::META.id, Self::META.severity, &*f.rel)
                .at(span)
                .message(message)
                .help(
                    "import this module only from server code (server components, route \
                     handlers, server actions) and pass its results to client components as \
                     props, or call it through a server action",
                )
                .label("server-only module in the client bundle")
                .anchor("server-only");
            for (path, span, message) in cs.chain_locations(project, id) {
                finding = finding.related(path, span, message);
            }
            out.push(finding);
        }
    }
}
