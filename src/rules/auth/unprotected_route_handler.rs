use super::clerk_app;
use crate::declare_rule;
use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::project::routes::NEXT_HANDLER_HELP;
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Finds App Router route handlers (each exported `GET`/`POST`/… of a `route.ts`) and
    /// Pages Router API routes (`pages/api/**`) that serve a request without verifying the
    /// Clerk session: no check in the handler (or a helper or wrapper it calls), and no
    /// middleware that both runs on the URL and protects it. Webhooks that verify their
    /// signature and URLs declared public (the middleware's public list, or `public_routes` in
    /// `clerk-guard.toml`) are not reported, with one exception: a handler the middleware's
    /// public list names that changes data (not a `GET`/`HEAD`/`OPTIONS`) for the user id the
    /// request itself names (`const { userId } = await req.json()`, `body.userId`,
    /// `searchParams.get('userId')`, `req.query.userId`) acts for whoever the caller says they
    /// are, and is reported; so is one at a webhook URL (a path segment naming `webhook`) that
    /// changes data while its code names no signature, secret, token or verification at all
    /// (a webhook is public to its sender only through the signature that proves the sender).
    ///
    /// A dispatcher on the method (`switch (req.method)`, or `if (req.method === 'POST') { … }
    /// else if … else { 405 }`) is protected when every branch that does work checks.
    ///
    /// A handler counts as checking the session when, before doing its work, it calls
    /// `auth()`/`currentUser()`/`getAuth(req)` **and acts on the result** (returns 401/403,
    /// throws, redirects), or calls `auth.protect()` — itself, through a project function, or
    /// through a wrapper such as `export const POST = withAuth(handler)`, or a helper that
    /// gives back the error response to return (`const err = await requireAdmin(); if (err)
    /// return err`, the helper returning a 401 when signed out and nothing otherwise), or in a
    /// callback written in place whose call the handler returns (`return withRateLimit(req,
    /// limiter, async () => { check; work })`: the callback is the rest of the handler), or
    /// awaited with other calls in `Promise.all([requireUser(), req.json()])` (whose rejection
    /// rejects the whole; a write in the same list runs beside the check, not behind it). An
    /// async guard called as a statement without `await` (`requireUser(args);`) protects
    /// nothing: its rejection never stops the handler. A session value handed to a project
    /// function that refuses to go on without it counts too, when all the handler's work is such
    /// calls: `getLocations({ id: orgId })` with `orgId` from `getAuth(args)`, into a function
    /// whose body starts with `if (!id) return []` (or another empty answer, an error response,
    /// a throw), before any other use of the value; the whole auth object of `auth()` is never
    /// missing, so only a test of a key read off it counts. A check that comes
    /// after a database write of the handler (`prisma.comment.create`, `ctx.db.insert`, a
    /// model's `findByIdAndDelete`, …) does not count: the write already happened for a
    /// signed-out request.
    ///
    /// Handlers with nothing to guard are not reported either: a CORS preflight (an `OPTIONS`
    /// handler that changes no data, itself or through the project functions it calls, three
    /// levels deep: browsers send a preflight without credentials, so whatever it calls to
    /// build its headers — a CORS helper, a factory-made handler's `OPTIONS` — it cannot check
    /// a session; one that writes is reported), a handler that
    /// answers from the request alone (it awaits its body and nothing else, and only checks it
    /// against a schema with `parse`/`safeParse`, reads the posted form's fields, converts them
    /// with `Number`/`parseFloat`/… or calls project functions that compute; also when it answers
    /// so only under `if (request.method === 'POST')`), a
    /// health probe, an `ImageResponse` drawn from bundled files, a sign-out, a handler whose
    /// one statement answers an error from constants (`return errorResponse(new Error('Method
    /// not allowed'), 405)`, `throw new MethodNotAllowedError()`), also inside a wrapper the
    /// analysis cannot see into (`withErrorHandling(async () => { throw new ApiError('Method not
    /// allowed') })`). A shared secret may come
    /// from a config helper (``const { cronSecret } = getConfig(); if (auth !== `Bearer
    /// ${cronSecret}`) return 401``), also through the handler's own names: the request's
    /// `authorization` header compared with a value built only from the server's configuration
    /// (``const cfg = getRuntimeConfig(); const expected = `Bearer ${cfg.metricsToken}`; if
    /// (header !== expected) return 401``; a configuration getter is a call without arguments
    /// whose name says config, env or settings, or `process.env`). A signature or secret check
    /// the deployment's configuration can switch off is read as the check
    /// (`if (!signedOk && !cfg.allowUnsigned) return 400`, the flag read from the configuration,
    /// never from the request).
    ///
    /// Handlers that serve a router are judged through it: uploadthing's
    /// `createRouteHandler({ router })` is protected when every FileRouter route's
    /// `.middleware()` rejects a signed-out request (the finding names the routes that do not;
    /// its `GET` only answers the FileRouter's configuration);
    /// a tRPC handler when every procedure is built on a procedure whose `.use()` middleware
    /// rejects without a session (calling `auth()`, or testing a context that `createContext`
    /// builds from it) or checks in its resolver. The finding lists the other procedures by
    /// name, file and line; a procedure that is public on purpose is declared with its URL in
    /// `public_routes` (`/api/trpc/post.list`). A handler serving a Hono app
    /// (`export const GET = handle(app)`, `hono/vercel`) is protected for a method when every
    /// route of the app answering that method (`.get`, `.all`, `.on`, through `.route(prefix,
    /// app)` mounts across files) checks the session in its handler or in middleware that runs
    /// before it (its own, or `use('*', …)` registered earlier); the finding names the first
    /// route that does not. A method no route answers is inert (Hono answers 404). Inngest's
    /// `serve()` is a machine endpoint: the SDK rejects requests not signed with the signing key;
    /// so is a handler wrapped in QStash's `verifySignatureAppRouter` (`@upstash/qstash/nextjs`),
    /// which checks the `Upstash-Signature` before the handler runs.
    ///
    /// **React Router (and Remix).** Every route module's `loader` and `action` is an entry
    /// (routes from `app/routes.ts` — `route()`, `index()`, `layout()`, `prefix()`,
    /// `flatRoutes()`, remix-flat-routes through `remixRoutesOptionAdapter` with its `name+/`
    /// folders — or Remix's `app/routes/` convention); `clientLoader`/`clientAction` run
    /// in the browser and are not. A loader is protected by `getAuth(args)` followed by a
    /// redirect or throw when `userId` is null, or by a function in a `middleware` export of
    /// the root or a parent route that rejects a signed-out request (React Router 8, or 7 with
    /// `future.v8_middleware`). A parent route's *loader* does not protect its children's:
    /// loaders run in parallel and a client can ask for one route's data alone
    /// (`/path.data?_routes=…`). `rootAuthLoader(args)` without a callback only returns the
    /// session state (inert), also after the loader opens a database connection
    /// (`mongoose.connect(uri)`, `prisma.$connect()`) and otherwise only reads. A loader that runs an Effect program (`Effect.gen`) is protected
    /// when the program fails without a user before its work, itself or in a method of an
    /// `Effect.Service` it takes (`yield* session.requireUser(args)`).
    ///
    /// **TanStack Start.** Every `createServerFn(…).handler(fn)` is an RPC endpoint anyone can
    /// call, whatever page uses it: it is protected by `await auth()` and a throw or error
    /// return when `userId` is null, in the handler, a helper, or a `.middleware([…])`
    /// function (`createMiddleware().server(fn)`); also when the handler leaves on a session
    /// value of its context (`if (!context.userId) throw …`) that such a middleware fills from
    /// the session (`next({ context: { userId } })` with `userId` from `getAuth`), and when it
    /// awaits another server function that does (calling it on the server runs its
    /// middleware and its check). Each method of a file route's
    /// `server.handlers` (and the older `createServerFileRoute`/`createAPIFileRoute`) is an
    /// entry too. A layout route's `beforeLoad` guards pages only: it never runs for server
    /// functions or server route handlers.
    ///
    /// **Express.** Every `app`/`router` `.get/.post/…/.all(path, …)` is an entry (and each
    /// method of a `router.route(path).get(…).post(…)` chain), with the
    /// prefixes of the routers it is mounted under (`app.use('/api', router)`, across files).
    /// It is protected when `getAuth(req)` is read and a signed-out request rejected in the
    /// handler or a middleware of its chain (route middleware, path-less `use(…)` registered
    /// before it), or `requireAuth()` is in the chain; the message says when
    /// `clerkMiddleware()` is never registered.
    ///
    /// **Fastify.** Every `fastify.get/.post/…/.all(url, [opts], handler)` and
    /// `fastify.route({ method, url, handler })` is an entry, under the prefixes of the
    /// `register(plugin, { prefix })` chain above it (across files). Fastify encapsulates: what
    /// a plugin registers reaches its own routes and its children's, unless the plugin is
    /// wrapped with `fastify-plugin`, which shares its parent's scope. `clerkPlugin` (itself
    /// such a plugin) must be registered in the route's scope or a parent's; a route outside
    /// it is reported even when it calls `getAuth(request)`, which then throws on every
    /// request. A route is protected by `getAuth(request)` and a rejection in the handler, a
    /// hook of its options (`onRequest`, `preHandler`, …) or an `addHook('preHandler' |
    /// 'onRequest', fn)` of its scope or a parent scope.
    ///
    /// **Hono.** In a project without Next.js (Cloudflare Workers, `@hono/node-server`, Bun),
    /// every `.get/.post/…/.all/.on(…)` of an app no other app mounts is an entry, with the
    /// prefixes of `basePath` and of the apps it is mounted under (`route('/api', app)`, across
    /// files). It is protected when `getAuth(c)` (`@clerk/hono`, `@hono/clerk-auth`) is read
    /// and a signed-out request rejected in the handler, in a middleware argument of the
    /// route, or in a `use(…)` for every path registered before it (Hono runs middleware in
    /// registration order); `c.get('clerkAuth')` is the session `@hono/clerk-auth` verified
    /// (a dependency on it alone makes the app a Clerk app), and a middleware made with
    /// `createMiddleware(fn)` of `hono/factory` is judged by `fn`.
    ///
    /// **Convex.** Every export of `convex/` (not `_generated/`) built with `query`,
    /// `mutation` or `action` of `_generated/server` (or a convex-helpers
    /// `customQuery(query, customCtx(fn))` builder) is a public function any client of the
    /// deployment can call, by the name `module:export`; `internalQuery` and the other internal
    /// kinds are not entries. It is protected when `await ctx.auth.getUserIdentity()` (Clerk's
    /// verified token) is tested and a missing identity rejected in the handler or in the
    /// builder's `fn`, or in the handler a project builder makes (`protectedQuery` returning
    /// `query({ handler })`, which checks and then calls the one it is given). A re-export
    /// (`export { create } from './taskMutations'`) is the same function under the
    /// re-exporting module's name, judged where it is defined. Each route of the HTTP router
    /// in `convex/http.ts` (`http.route({ path, method, handler: httpAction(fn) })`) is an
    /// entry too, served to anyone at the deployment's `.convex.site` origin; besides its own
    /// check, a webhook signature or shared secret, an action is protected by a
    /// `ctx.runQuery`/`runMutation`/`runAction` of a function that throws for a signed-out
    /// caller (the call runs with the caller's identity, and its error ends the action).
    ///
    /// ## Why is this bad?
    /// A route handler is a public HTTP endpoint. Hiding the link in the UI does not stop
    /// anyone from calling it: without a server-side check, its data and actions are open to
    /// the whole internet. `clerkMiddleware()` protects nothing by default, and a
    /// `config.matcher` that skips the path means the middleware never runs there.
    ///
    /// ## Example
    /// ```ts
    /// // app/api/projects/route.ts
    /// export async function POST(req: Request) {
    ///   const body = await req.json()
    ///   return Response.json(await db.project.create({ data: body }))
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```ts
    /// import { auth } from '@clerk/nextjs/server'
    ///
    /// export async function POST(req: Request) {
    ///   const { userId } = await auth()
    ///   if (!userId) return new Response('Unauthorized', { status: 401 })
    ///   const body = await req.json()
    ///   return Response.json(await db.project.create({ data: { ...body, ownerId: userId } }))
    /// }
    /// ```
    /// or protect the path in the middleware (`if (!isPublicRoute(req)) await auth.protect()`),
    /// or, for an endpoint that is public on purpose, list it in `public_routes`.
    ///
    /// ## References
    /// - https://clerk.com/docs/reference/nextjs/app-router/route-handlers
    /// - https://clerk.com/docs/reference/nextjs/clerk-middleware
    /// - https://nextjs.org/docs/app/guides/data-security
    /// - https://clerk.com/docs/reference/express/overview
    /// - https://clerk.com/docs/reference/fastify/overview
    /// - https://fastify.dev/docs/latest/Reference/Encapsulation/
    pub struct UnprotectedRouteHandler {
        id: "unprotected-route-handler",
        group: Group::Auth,
        severity: Severity::Error,
        summary: "A route handler or API route that never verifies the session",
        keywords: &[],
    }
}

impl Rule for UnprotectedRouteHandler {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fixes(&self, cx: &crate::fix::FixCx, f: &Finding) -> Vec<crate::fix::Fix> {
        // The fix writes Next.js's session check; other frameworks' entries have their own.
        if f.help != NEXT_HANDLER_HELP {
            return Vec::new();
        }
        crate::fix::session::insert_check(cx, f, Self::META.id)
            .into_iter()
            .collect()
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        for e in &project.entries {
            if !e.kind.is_endpoint() || !e.protection.is_unprotected() || !clerk_app(project, e) {
                continue;
            }
            let url = e.url.as_deref().unwrap_or("/");
            let what = e.describe();
            let mut f = Finding::new(Self::META.id, Self::META.severity, &e.file)
                .at(e.span)
                .message(format!(
                    "{what} is served without verifying the session: {}",
                    e.protection.detail()
                ))
                .help(e.help())
                .symbol(e.symbol.clone())
                .route(url)
                .label("open to anyone")
                .anchor(format!("{} {url}", e.symbol));
            if let Some(mw) = project
                .middlewares
                .iter()
                .find(|m| m.app == e.app && m.loaded())
            {
                f = f.related(
                    mw.file.clone(),
                    mw.span,
                    format!(
                        "the middleware {}",
                        e.middleware.clone().unwrap_or_default()
                    ),
                );
            }
            out.push(f);
        }
    }
}
