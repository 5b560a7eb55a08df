//! Server entry points and whether the server verifies the session before serving them:
//! Next.js App Router `route.*` handlers (each exported HTTP method), `pages/api/**` handlers,
//! server actions and pages (collected here), and the other frameworks' entries (collected by
//! their adapters in `project::frameworks`). One decision (`analyse`) judges them all with the
//! one function summary (`guards::Analyzer`).

use serde::Serialize;

use super::apps::{App, Framework};
use super::guards::{Analyzer, Evidence, HandlerCheck, OpenPath, Procedure, Target};
use super::matcher::{PathPattern, sample_paths};
use super::middleware::{MiddlewareModel, Verdict};
use crate::facts::code::{Binding, CodeFacts};
use crate::facts::evidence::Check;
use crate::facts::{Directive, FileFacts};
use crate::finding::Span;
use crate::source::file_name;

pub const HTTP_METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    RouteHandler,
    PagesApi,
    ServerAction,
    Page,
    /// An Express route (`app.get('/x', …)`, a router mounted with a prefix).
    ExpressRoute,
    /// A Fastify route.
    FastifyRoute,
    /// A route of a Hono app that is its own server (Cloudflare Workers, Node, Bun).
    HonoRoute,
    /// A public Convex function (`query`, `mutation`, `action` of `convex/`): any client of the
    /// deployment can call it.
    ConvexFunction,
    /// A route of a Convex app's HTTP router (`http.route({ path, method, handler })` in
    /// `convex/http.ts`): served to anyone at the deployment's `.convex.site` origin.
    ConvexHttpAction,
    /// A React Router (or Remix) route module's `loader`.
    Loader,
    /// A React Router (or Remix) route module's `action`.
    Action,
    /// An Astro page (`.astro` under `src/pages`) that runs on the server.
    AstroPage,
    /// An Astro endpoint (`src/pages/**/*.ts` exporting `GET`/`POST`/…).
    AstroEndpoint,
    /// A Nuxt server handler (`server/api/**`, `server/routes/**`).
    NuxtHandler,
    /// A TanStack Start server function (`createServerFn().handler(…)`).
    ServerFn,
    /// A TanStack Start server route handler (a file route's `server.handlers`).
    ServerRoute,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::RouteHandler => "route-handler",
            EntryKind::PagesApi => "pages-api",
            EntryKind::ServerAction => "server-action",
            EntryKind::Page => "page",
            EntryKind::ExpressRoute => "express-route",
            EntryKind::FastifyRoute => "fastify-route",
            EntryKind::HonoRoute => "hono-route",
            EntryKind::ConvexFunction => "convex-function",
            EntryKind::ConvexHttpAction => "convex-http-action",
            EntryKind::Loader => "loader",
            EntryKind::Action => "action",
            EntryKind::AstroPage => "astro-page",
            EntryKind::AstroEndpoint => "astro-endpoint",
            EntryKind::NuxtHandler => "nuxt-handler",
            EntryKind::ServerFn => "server-fn",
            EntryKind::ServerRoute => "server-route",
        }
    }

    /// The ENTRY column of `routes` and `probe`: the method, `pages-api`, `action <name>`, …
    pub fn cell(self, symbol: &str) -> String {
        match self {
            EntryKind::PagesApi => "pages-api".into(),
            EntryKind::ServerAction => format!("action {symbol}"),
            EntryKind::Page => "page".into(),
            EntryKind::AstroPage => "astro-page".into(),
            EntryKind::ServerFn => format!("server-fn {symbol}"),
            EntryKind::ConvexFunction => format!("convex {symbol}"),
            EntryKind::RouteHandler
            | EntryKind::ExpressRoute
            | EntryKind::FastifyRoute
            | EntryKind::HonoRoute
            | EntryKind::ConvexHttpAction
            | EntryKind::Loader
            | EntryKind::Action
            | EntryKind::AstroEndpoint
            | EntryKind::NuxtHandler
            | EntryKind::ServerRoute => symbol.to_string(),
        }
    }

    /// One of Next.js's own kinds (judged with Next.js's middleware).
    pub fn is_next(self) -> bool {
        matches!(
            self,
            EntryKind::RouteHandler
                | EntryKind::PagesApi
                | EntryKind::ServerAction
                | EntryKind::Page
        )
    }

    /// The framework an entry of this kind belongs to (Remix loaders and actions count as
    /// React Router's: the same module convention).
    pub fn framework(self) -> Framework {
        match self {
            EntryKind::RouteHandler
            | EntryKind::PagesApi
            | EntryKind::ServerAction
            | EntryKind::Page => Framework::Next,
            EntryKind::ExpressRoute => Framework::Express,
            EntryKind::FastifyRoute => Framework::Fastify,
            EntryKind::HonoRoute => Framework::Hono,
            EntryKind::ConvexFunction | EntryKind::ConvexHttpAction => Framework::Convex,
            EntryKind::Loader | EntryKind::Action => Framework::ReactRouter,
            EntryKind::AstroPage | EntryKind::AstroEndpoint => Framework::Astro,
            EntryKind::NuxtHandler => Framework::Nuxt,
            EntryKind::ServerFn | EntryKind::ServerRoute => Framework::TanStackStart,
        }
    }

    /// An HTTP endpoint that serves a request directly (what `unprotected-route-handler`
    /// judges): everything but Next.js server actions and pages.
    pub fn is_endpoint(self) -> bool {
        !matches!(self, EntryKind::ServerAction | EntryKind::Page)
    }
}

/// How (or whether) an entry is protected. Decisions match on the variants and on the typed
/// evidence inside them; `label` and `detail` render them for people. (The evidence is boxed
/// to keep every entry small; most entries are protected otherwise or not at all.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protection {
    /// The handler checks the session itself.
    Handler(Box<Evidence>),
    /// A project helper or wrapper checks it (`guard <fn>`).
    Guard {
        function: String,
        evidence: Box<Evidence>,
    },
    /// The middleware matches the URL and protects it.
    Middleware(String),
    /// Called by a machine that proves a secret (webhook signature, shared secret, API key) or
    /// refused outside development.
    Machine(Box<Evidence>),
    /// Public on purpose.
    DeclaredPublic(PublicBy),
    /// Someone else checks: a framework that checks per procedure (tRPC, not analysed), or a
    /// backend the user's token is forwarded to.
    Delegated(String),
    /// Answers without doing anything worth protecting (a CORS preflight, a constant, a
    /// redirect): nothing to verify.
    Inert(String),
    /// Not protected: why.
    Unprotected(String),
}

/// Who declared an entry public.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicBy {
    /// A `public_routes` pattern of clerk-guard.toml.
    Config(String),
    /// The middleware's public list (its description).
    Middleware(String),
}

impl Protection {
    /// The label in `clerk-guard routes`.
    pub fn label(&self) -> String {
        match self {
            Protection::Handler(_) => "handler".into(),
            Protection::Guard { function, .. } => format!("guard {function}"),
            Protection::Middleware(_) => "middleware".into(),
            Protection::Machine(e) => format!("machine ({})", e.check.label()),
            Protection::DeclaredPublic(_) => "declared-public".into(),
            Protection::Delegated(_) => "delegated".into(),
            Protection::Inert(_) => "inert".into(),
            Protection::Unprotected(_) => "UNPROTECTED".into(),
        }
    }

    pub fn is_unprotected(&self) -> bool {
        matches!(self, Protection::Unprotected(_))
    }

    /// A machine caller (signature, shared secret, API key, dev-only gate).
    pub fn is_machine(&self) -> bool {
        matches!(self, Protection::Machine(_))
    }

    pub fn detail(&self) -> String {
        match self {
            Protection::Handler(e) | Protection::Machine(e) => e.describe(),
            Protection::Guard { evidence, .. } => evidence.describe(),
            Protection::DeclaredPublic(PublicBy::Config(p)) => {
                format!("`{p}` in `public_routes` of clerk-guard.toml")
            }
            Protection::DeclaredPublic(PublicBy::Middleware(d))
            | Protection::Middleware(d)
            | Protection::Delegated(d)
            | Protection::Inert(d)
            | Protection::Unprotected(d) => d.clone(),
        }
    }
}

impl Serialize for Protection {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Protection", 2)?;
        let kind = match self {
            Protection::Handler(_) => "handler",
            Protection::Guard { .. } => "guard",
            Protection::Middleware(_) => "middleware",
            Protection::Machine(_) => "machine",
            Protection::DeclaredPublic(_) => "declared-public",
            Protection::Delegated(_) => "delegated",
            Protection::Inert(_) => "inert",
            Protection::Unprotected(_) => "unprotected",
        };
        st.serialize_field("kind", kind)?;
        st.serialize_field("detail", &self.detail())?;
        st.end()
    }
}

/// The help of an unprotected Next.js route handler or API route.
pub const NEXT_HANDLER_HELP: &str = "call `const { userId } = await auth()` and return 401 when it is null (or \
     `await auth.protect()`), or protect this path in the middleware";

/// One server entry point.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub app: usize,
    pub kind: EntryKind,
    pub file: String,
    /// The URL pattern (`/api/users/[id]`); `None` for server actions.
    pub url: Option<String>,
    /// `GET`, `default`, or the action's name.
    pub symbol: String,
    pub span: Span,
    pub protection: Protection,
    /// What the middleware does for this URL (for the routes table and messages).
    pub middleware: Option<String>,
    #[serde(skip)]
    pub check: HandlerCheck,
    /// The handler, when an adapter found it (Next.js entries are found from their exports).
    #[serde(skip)]
    pub target: Option<Target>,
    /// Functions that run before the handler (route-level middleware, a `preHandler`, a
    /// server function's middleware): each is judged with the same summary, and the first that
    /// verifies the session protects the entry.
    #[serde(skip)]
    pub chain: Vec<Target>,
    /// The framework's own front door for this entry (what Next.js's middleware verdict is for
    /// Next.js entries); `None` when the framework has none that applies.
    #[serde(skip)]
    pub front: Option<Verdict>,
    /// Said after "no check in the handler" when nothing protects a non-Next.js entry
    /// (`` and `clerkMiddleware()` is never registered ``).
    #[serde(skip)]
    pub front_note: Option<Box<str>>,
    /// Why the framework's SDK never runs before this entry (Fastify: `clerkPlugin` is not
    /// registered in its encapsulation scope): a session check that reads what the SDK sets
    /// cannot pass, so it does not count.
    #[serde(skip)]
    pub sdk_missing: Option<Box<str>>,
    /// The sample request paths of `url` (see `Entry::samples`).
    #[serde(skip)]
    samples: std::sync::OnceLock<Box<[String]>>,
}

impl Entry {
    /// Called by a machine, not a user: a webhook that verifies its signature, or a handler
    /// guarded by a shared secret (cron jobs, internal calls). Roles and organizations do not
    /// apply to it.
    pub fn called_by_machine(&self) -> bool {
        self.protection.is_machine() || self.check.machine.is_some()
    }

    /// A blank entry (protection filled in by `analyse`).
    pub fn new(
        app: usize,
        kind: EntryKind,
        file: String,
        url: Option<String>,
        symbol: String,
        span: Span,
    ) -> Entry {
        Entry {
            app,
            kind,
            file,
            url,
            symbol,
            span,
            protection: Protection::Unprotected(String::new()),
            middleware: None,
            check: HandlerCheck::default(),
            target: None,
            chain: Vec::new(),
            front: None,
            front_note: None,
            sdk_missing: None,
            samples: std::sync::OnceLock::new(),
        }
    }

    /// The request paths that stand for the entry's URL pattern (`sample_paths`), computed on
    /// first use and kept with the entry (an update keeps the entries of the apps it does not
    /// analyse again, and with them these); `None` for an entry without a URL. The URL of an
    /// entry does not change once it is collected.
    pub fn samples(&self) -> Option<&[String]> {
        let url = self.url.as_deref()?;
        Some(
            self.samples
                .get_or_init(|| sample_paths(url).into_boxed_slice()),
        )
    }

    /// What the app's loaded middleware does for every sample path of the entry's URL (`/`
    /// without one): the worst verdict; `NotMatched` without such a middleware.
    pub fn middleware_verdict(&self, project: &super::Project) -> Verdict {
        let Some(mw) = project
            .middlewares
            .iter()
            .find(|m| m.app == self.app && m.loaded())
        else {
            return Verdict::NotMatched;
        };
        match self.samples() {
            Some(samples) => {
                // A dynamic segment may also take a word an alternation group of the
                // middleware's route lists names (`[locale]` and `/(en|id)/u/(.*)`: the page
                // `app/[locale]/u/profile` is served at `/en/u/profile`).
                let url = self.url.as_deref().unwrap_or("/");
                let words: Vec<String> = if url.contains('[') {
                    let mut words = Vec::new();
                    for (rm, _) in mw.route_matchers() {
                        for source in &rm.pattern_sources {
                            for w in super::matcher::alternation_words(source) {
                                if !words.contains(&w) && words.len() < 16 {
                                    words.push(w);
                                }
                            }
                        }
                    }
                    words
                } else {
                    Vec::new()
                };
                if words.is_empty() {
                    worst_of(mw, samples)
                } else {
                    let mut all = samples.to_vec();
                    all.extend(super::matcher::sample_paths_with(url, &words));
                    worst_of(mw, &all)
                }
            }
            None => worst_verdict(mw, "/"),
        }
    }

    /// The entry in messages: `` `GET /api/users` ``, `` `/api/x` (pages/api) ``,
    /// `` `GET /api/users` (Express) ``, `` `loader` of `/dashboard` (React Router) ``.
    pub fn describe(&self) -> String {
        let url = self.url.as_deref().unwrap_or("/");
        match self.kind {
            EntryKind::RouteHandler => format!("`{} {url}`", self.symbol),
            EntryKind::PagesApi => format!("`{url}` (pages/api)"),
            EntryKind::ServerAction => format!("Server action `{}`", self.symbol),
            EntryKind::Page => format!("The page `{url}`"),
            EntryKind::ExpressRoute
            | EntryKind::FastifyRoute
            | EntryKind::HonoRoute
            | EntryKind::AstroEndpoint
            | EntryKind::NuxtHandler
            | EntryKind::ServerRoute
            | EntryKind::Loader
            | EntryKind::Action
            | EntryKind::AstroPage => {
                format!(
                    "`{} {url}` ({})",
                    self.symbol,
                    self.kind.framework().display()
                )
            }
            EntryKind::ConvexFunction => format!("The Convex function `{url}`"),
            EntryKind::ConvexHttpAction => {
                format!("`{} {url}` (Convex HTTP action)", self.symbol)
            }
            EntryKind::ServerFn => format!(
                "`{} {}` ({} server function)",
                self.symbol,
                self.url.as_deref().unwrap_or(&self.file),
                self.kind.framework().display()
            ),
        }
    }

    /// The HTTP method that reaches the entry; `None` when any method does (`pages/api`,
    /// `app.all`, `app.use`).
    pub fn method(&self) -> Option<String> {
        match self.kind {
            EntryKind::Page | EntryKind::Loader | EntryKind::AstroPage => Some("GET".into()),
            EntryKind::ServerAction
            | EntryKind::Action
            | EntryKind::ServerFn
            | EntryKind::ConvexFunction => Some("POST".into()),
            EntryKind::PagesApi => None,
            EntryKind::RouteHandler
            | EntryKind::ExpressRoute
            | EntryKind::FastifyRoute
            | EntryKind::HonoRoute
            | EntryKind::ConvexHttpAction
            | EntryKind::AstroEndpoint
            | EntryKind::NuxtHandler
            | EntryKind::ServerRoute => {
                let m = self.symbol.to_ascii_uppercase();
                HTTP_METHODS.contains(&m.as_str()).then_some(m)
            }
        }
    }

    /// How to fix an unprotected entry of this kind.
    pub fn help(&self) -> &'static str {
        match self.kind {
            EntryKind::RouteHandler | EntryKind::PagesApi => NEXT_HANDLER_HELP,
            EntryKind::ServerAction | EntryKind::Page => {
                "check the session on the server (`const { userId } = await auth()`) and stop when it is null"
            }
            EntryKind::ExpressRoute => {
                "read `getAuth(req)` and return 401 when `userId` is null, in the handler or a middleware in its chain"
            }
            EntryKind::ConvexFunction => {
                "read `await ctx.auth.getUserIdentity()` and throw when it is null, or make the function internal (`internalQuery`/`internalMutation`/`internalAction`) when no client should call it"
            }
            EntryKind::ConvexHttpAction => {
                "read `await ctx.auth.getUserIdentity()` and return 401 when it is null (the client sends its Clerk token as `Authorization: Bearer`), or verify the sender's signature for a webhook (`new Webhook(secret).verify(…)` of svix)"
            }
            EntryKind::HonoRoute => {
                "apply `clerkMiddleware()` (`@clerk/hono`), then read `getAuth(c)` and return 401 when `userId` is null, in the handler or a middleware registered before the route"
            }
            EntryKind::FastifyRoute => {
                "register `clerkPlugin` in the route's scope or a parent scope, then read `getAuth(request)` and reply 401 when `userId` is null, in the handler or a `preHandler` hook"
            }
            EntryKind::Loader | EntryKind::Action => {
                "call `const { userId } = await getAuth(args)` and redirect or throw when it is null"
            }
            EntryKind::AstroPage | EntryKind::AstroEndpoint => {
                "check `locals.auth().userId` and return 401 (or redirect) when it is null, or protect the path in `onRequest`"
            }
            EntryKind::NuxtHandler => {
                "check `event.context.auth().userId` and throw a 401 error when it is null"
            }
            EntryKind::ServerFn | EntryKind::ServerRoute => {
                "call `const { userId } = await auth()` and throw or return 401 when it is null"
            }
        }
    }
}

/// The URL of an App Router file (`app/(shop)/api/[id]/route.ts` → `/api/[id]`); `None` when
/// a private `_folder` takes it out of routing.
pub fn app_url(app_dir: &str, file_rel: &str) -> Option<String> {
    let inner = file_rel.strip_prefix(app_dir)?.trim_start_matches('/');
    let dir = crate::source::parent_dir(inner);
    let mut url = String::new();
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        if seg.starts_with('_') {
            return None;
        }
        if (seg.starts_with('(') && seg.ends_with(')')) || seg.starts_with('@') {
            continue;
        }
        // Intercepting routes: `(.)photo`, `(..)photo`, `(...)photo`.
        let seg = seg
            .strip_prefix("(...)")
            .or_else(|| seg.strip_prefix("(..)"))
            .or_else(|| seg.strip_prefix("(.)"))
            .unwrap_or(seg);
        let seg = seg.trim_start_matches("(..)");
        url.push('/');
        url.push_str(seg);
    }
    if url.is_empty() {
        url.push('/');
    }
    Some(url)
}

/// The URL of a Pages Router file (`pages/api/users/[id].ts` → `/api/users/[id]`).
pub fn pages_url(pages_dir: &str, file_rel: &str, stem: &str) -> Option<String> {
    let inner = file_rel.strip_prefix(pages_dir)?.trim_start_matches('/');
    let dir = crate::source::parent_dir(inner);
    let mut url = String::new();
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        url.push('/');
        url.push_str(seg);
    }
    if stem != "index" {
        url.push('/');
        url.push_str(stem);
    }
    if url.is_empty() {
        url.push('/');
    }
    Some(url)
}

/// The stem of a routable file name for the app's page extensions (`page.tsx` → `page`).
pub fn route_stem<'a>(app: &App, name: &'a str) -> Option<&'a str> {
    app.page_extensions.iter().find_map(|ext| {
        name.strip_suffix(ext.as_str())
            .and_then(|s| s.strip_suffix('.'))
    })
}

/// Collect the entries of one app (protection is filled in by `analyse`).
pub fn collect<'a>(
    app_index: usize,
    app: &App,
    files: impl Iterator<Item = (usize, &'a FileFacts)>,
    follow: Follow<'a, '_>,
) -> Vec<Entry> {
    let mut out = Vec::new();
    collect_into(&mut out, app_index, app, files, follow);
    out
}

/// The scanned script a module specifier names from a file (`(from_rel, specifier)`): how the
/// entry list follows a re-exported default to its declaration.
pub type Follow<'a, 'f> = &'f dyn Fn(&str, &str) -> Option<&'a FileFacts>;

/// Like `collect`, appending to `out` (the project's entry list: no second list of entries
/// alive while they are gathered).
pub fn collect_into<'a>(
    out: &mut Vec<Entry>,
    app_index: usize,
    app: &App,
    files: impl Iterator<Item = (usize, &'a FileFacts)>,
    follow: Follow<'a, '_>,
) {
    // What the paths of the routers' files start with.
    let app_prefix = app.app_dir.as_ref().map(|d| format!("{d}/"));
    let pages_prefix = app.pages_dir.as_ref().map(|d| format!("{d}/"));
    for (_, f) in files {
        if f.origin.build_output {
            continue;
        }
        let name = file_name(&f.rel);
        let blank = |kind, url: Option<String>, symbol: String, span| {
            Entry::new(app_index, kind, f.rel.to_string(), url, symbol, span)
        };
        if let (Some(app_dir), Some(prefix)) = (&app.app_dir, &app_prefix)
            && f.rel.starts_with(prefix.as_str())
            && let Some(stem) = route_stem(app, name)
        {
            if stem == "route" {
                let Some(url) = app_url(app_dir, &f.rel) else {
                    continue;
                };
                if let Some(code) = f.code() {
                    for e in &code.exports {
                        if HTTP_METHODS.contains(&e.name.as_str()) {
                            out.push(blank(
                                EntryKind::RouteHandler,
                                Some(url.clone()),
                                e.name.clone(),
                                e.span,
                            ));
                        }
                    }
                }
            } else if stem == "page"
                && let Some(url) = app_url(app_dir, &f.rel)
            {
                // Pages are parsed only when a rule looks at them (the span is filled then).
                out.push(blank(
                    EntryKind::Page,
                    Some(url),
                    "default".into(),
                    Span::new(0, 0),
                ));
            }
        }
        if let (Some(pages_dir), Some(prefix)) = (&app.pages_dir, &pages_prefix)
            && f.rel.starts_with(prefix.as_str())
            && let Some(stem) = route_stem(app, name)
        {
            let inner = &f.rel[pages_dir.len() + 1..];
            let top_special = !inner.contains('/')
                && matches!(stem, "_app" | "_document" | "_error" | "_middleware");
            if !top_special && let Some(url) = pages_url(pages_dir, &f.rel, stem) {
                let kind = if inner.starts_with("api/") {
                    EntryKind::PagesApi
                } else {
                    EntryKind::Page
                };
                // Under `pages/api`, only a module that default-exports a request handler is an
                // endpoint: not a component, a context, a barrel, or an empty file.
                if kind == EntryKind::PagesApi
                    && !f
                        .code()
                        .is_some_and(|c| exports_handler(f, c, "default", follow, 0))
                {
                    continue;
                }
                // API routes are parsed eagerly; pages only when a rule needs them.
                let span = if kind == EntryKind::PagesApi {
                    f.code()
                        .and_then(|c| c.export("default"))
                        .map(|e| e.span)
                        .unwrap_or(Span::new(0, 0))
                } else {
                    Span::new(0, 0)
                };
                out.push(blank(kind, Some(url), "default".into(), span));
            }
        }
        // Server actions.
        if !f.hits.has("use server") {
            continue;
        }
        let Some(code) = f.code() else { continue };
        let module_actions = matches!(f.directive(), Some((Directive::UseServer, _)));
        if module_actions {
            for e in &code.exports {
                if e.from.is_some() || !may_be_function(code, &e.target, 0) {
                    continue;
                }
                out.push(blank(EntryKind::ServerAction, None, e.name.clone(), e.span));
            }
        }
        for (i, func) in code.functions.iter().enumerate() {
            if !func.use_server {
                continue;
            }
            if module_actions
                && code
                    .exports
                    .iter()
                    .any(|e| matches!(e.target, Binding::Function { index } if index == i))
            {
                continue;
            }
            let symbol = func
                .name
                .clone()
                .unwrap_or_else(|| "<inline action>".into());
            let mut e = blank(EntryKind::ServerAction, None, symbol, func.span);
            if e.span.end == e.span.start {
                e.span = Span::new(func.range.start, func.range.start + 5);
            }
            out.push(e);
        }
    }
}

/// Whether a binding may hold a function at run time: a function, a call that takes one
/// (`withAuth(handler)`, `client.action(fn)`), or a name bound to either. Literals, objects,
/// classes and calls of plain data (`z.object({…})`, `createContext(null)`) do not.
fn may_be_function(code: &CodeFacts, b: &Binding, depth: usize) -> bool {
    if depth > 8 {
        return true;
    }
    match b {
        Binding::Function { .. } => true,
        Binding::Call { callee, args, .. } => {
            args.iter().any(|a| may_be_function(code, a, depth + 1))
                || callee.iter().any(|c| c.ends_with("()"))
                || callee.last().is_some_and(|l| {
                    matches!(l.as_str(), "handler" | "action" | "createServerAction")
                })
        }
        Binding::Identifier { name } => match code.bindings.get(name) {
            Some(local) => may_be_function(code, local, depth + 1),
            // Imported, or a declaration the facts do not bind: may be anything.
            None => code.local_function(name).is_some() || code.imports.contains_key(name),
        },
        // A builder chain (`client.use(mw).action(fn)`) is what action clients return.
        Binding::Chain { .. } => true,
        Binding::Other | Binding::Object { .. } => false,
    }
}

/// Whether a `pages/api` module default-exports a request handler (`name` is `default`, or,
/// in a module it re-exports from, the name it re-exports): a function that takes the request
/// (not a React component: a capitalised function in a JSX file, or one without parameters),
/// a wrapper or router call. A re-exported or imported default (`export { default } from
/// './home'`, `import Home from './home'; export default Home`) is judged where it is
/// declared, a few modules deep; one that leads out of the scanned scripts may be anything.
fn exports_handler<'a>(
    f: &FileFacts,
    code: &CodeFacts,
    name: &str,
    follow: Follow<'a, '_>,
    depth: usize,
) -> bool {
    let Some(export) = code.export(name) else {
        // A module re-exported from that does not declare the name itself (`export *`): may
        // be anything.
        return depth > 0;
    };
    // Where an imported or re-exported binding is declared: judged there.
    let elsewhere = |source: &str, imported: &str| {
        if depth >= 4 {
            return true;
        }
        match follow(&f.rel[..], source) {
            Some(g) => g
                .code()
                .is_none_or(|c| exports_handler(g, c, imported, follow, depth + 1)),
            None => true,
        }
    };
    if let Some(from) = &export.from {
        let inner = match &export.target {
            Binding::Identifier { name } => name.as_str(),
            _ => name,
        };
        return elsewhere(from, inner);
    }
    let jsx = matches!(f.kind, crate::source::FileKind::Script(l) if l.has_jsx());
    let mut target = &export.target;
    for _ in 0..8 {
        match target {
            Binding::Identifier { name } => match code.bindings.get(name) {
                Some(b) => target = b,
                None => {
                    return match code.local_function(name) {
                        Some(i) => is_handler_fn(f, code, i, jsx),
                        None => code
                            .imports
                            .get(name)
                            .is_some_and(|i| elsewhere(&i.source, &i.imported)),
                    };
                }
            },
            Binding::Function { index } => return is_handler_fn(f, code, *index, jsx),
            Binding::Call { callee, .. } => {
                let last = callee.last().map(String::as_str).unwrap_or("");
                return !matches!(
                    last,
                    "createContext" | "memo" | "forwardRef" | "lazy" | "dynamic" | "styled"
                );
            }
            // `router.use(mw).handler(fn)` (next-connect), a builder's handler.
            Binding::Chain { .. } => return true,
            Binding::Other | Binding::Object { .. } => return false,
        }
    }
    true
}

fn is_handler_fn(f: &FileFacts, code: &CodeFacts, index: usize, jsx: bool) -> bool {
    let Some(func) = code.function(index) else {
        return false;
    };
    let component = jsx
        && func
            .name
            .as_deref()
            .and_then(|n| n.chars().next())
            .is_some_and(char::is_uppercase);
    if func.param_names.is_empty() || component {
        return false;
    }
    // `export default async function fetchContexts(course: string, query: string)`: a helper
    // kept under `pages/api` whose first parameter is declared a string, a number or a boolean
    // is not written to take the request.
    let text = f.text();
    let whole = text
        .get(func.range.start..func.range.end)
        .unwrap_or_default();
    first_param_type(whole).is_none_or(|t| !matches!(t, "string" | "number" | "boolean"))
}

/// The declared type of a function's first parameter, from its text: `string` of
/// `async (name: string, n = 2) => …` or `function f(name: string)`; `None` without a
/// parenthesised list, without an annotation, or for a destructured parameter.
fn first_param_type(function: &str) -> Option<&str> {
    let open = function.find('(')?;
    let head = &function[..open];
    if head.contains("=>") || head.contains('{') || head.contains('<') {
        return None;
    }
    let rest = &function[open + 1..];
    let end = rest.find([',', ')'])?;
    let param = &rest[..end];
    if param.contains(['{', '[', '(']) {
        return None;
    }
    let (_, ty) = param.split_once(':')?;
    let ty = ty.split('=').next().unwrap_or("").trim();
    (!ty.is_empty()).then_some(ty)
}

/// The analysis target of an entry.
pub(super) fn entry_target(
    an: &Analyzer<'_>,
    file: usize,
    code: &CodeFacts,
    entry: &Entry,
) -> Option<Target> {
    if entry.kind == EntryKind::ServerAction
        && let Some(i) = code.functions.iter().position(|f| {
            f.span == entry.span
                || (f.use_server && Span::new(f.range.start, f.range.start + 5) == entry.span)
        })
        && !code
            .exports
            .iter()
            .any(|e| e.name == entry.symbol && e.span == entry.span)
    {
        return Some(Target::Function((file, i)));
    }
    let export = code.export(&entry.symbol)?;
    if let Some(from) = &export.from {
        let name = match &export.target {
            Binding::Identifier { name } => name.clone(),
            _ => entry.symbol.clone(),
        };
        return an.resolve_import(file, from, &name, 0);
    }
    an.binding_target(file, &export.target, 0)
}

/// Decide the protection of every entry.
pub fn analyse(project: &super::Project, entries: &mut [Entry]) {
    use rayon::prelude::*;
    let public_routes: Vec<(String, PathPattern)> = project
        .config
        .public_routes
        .iter()
        .filter_map(|p| PathPattern::clerk_route(p).ok().map(|c| (p.clone(), c)))
        .collect();
    // Apps in parallel, each app's entries in order by an analyzer of its own: what one app's
    // analysis memoizes of the helpers it follows never depends on another app's, so an app
    // gets the same verdicts whether analysed alone (an editor's update) or with the others,
    // on any number of threads.
    entries
        .par_chunk_by_mut(|a, b| a.app == b.app)
        .for_each(|app_entries| analyse_app(project, app_entries, &public_routes));
}

/// `analyse` for the entries of one app.
fn analyse_app(
    project: &super::Project,
    entries: &mut [Entry],
    public_routes: &[(String, PathPattern)],
) {
    let mut an = Analyzer::new(project);
    for entry in entries.iter_mut() {
        let Some(file) = project.file_index(&entry.file) else {
            continue;
        };
        // A page nobody parsed has no server-side check of its own (it would have been
        // parsed for calling Clerk's session APIs); only the middleware can protect it.
        if entry.kind == EntryKind::Page && !project.files[file].code_is_parsed() {
            let mw = entry
                .url
                .is_some()
                .then(|| entry.middleware_verdict(project));
            entry.middleware = mw.as_ref().map(describe_verdict);
            entry.protection = match mw {
                Some(Verdict::Protected(how)) => Protection::Middleware(how),
                Some(Verdict::Public { why, .. }) => {
                    Protection::DeclaredPublic(PublicBy::Middleware(why))
                }
                _ => Protection::Unprotected("no server-side check in the page".into()),
            };
            continue;
        }
        let Some(code) = project.files[file].code() else {
            entry.protection = Protection::Unprotected("the file could not be parsed".into());
            continue;
        };
        let target = entry
            .target
            .clone()
            .or_else(|| entry_target(&an, file, code, entry));
        let mut check = match &target {
            Some(t) => an.handler_protection(t, 0),
            None => HandlerCheck::default(),
        };
        // All its work behind helpers that check the session (an entry's own reading: it
        // gates no page's rendering, so `handler_protection` does not give it).
        if check.auth.is_none()
            && check.machine.is_none()
            && check.open_path.is_none()
            && let Some(k) = check.function
            && let Some(e) = an.summary(k).helpers_guard.as_deref()
        {
            check.auth = Some(Box::new(e.clone()));
        }
        // What runs before the handler: the first function of the chain that verifies the
        // session (or a machine credential) protects it.
        if check.auth.is_none() && check.machine.is_none() {
            for t in &entry.chain {
                let c = an.handler_protection(t, 0);
                let name = target_name(project, t);
                if let Some(a) = &c.auth {
                    check.auth = Some(Box::new(a.through(name)));
                    check.open_path = None;
                    break;
                }
                if let Some(m) = &c.machine {
                    check.machine = Some(Box::new(m.through(name)));
                    break;
                }
            }
        }
        // `if (!context.userId) throw` on a context the chain's middleware fills from the
        // session.
        if check.auth.is_none()
            && check.machine.is_none()
            && check.open_path.is_none()
            && !entry.chain.is_empty()
            && let Some(k) = check.function
            && let Some(e) = an.session_context_test(&entry.chain, k)
        {
            check.auth = Some(Box::new(e));
        }
        // A Next.js route handler serving a Hono app (`handle(app)`): judged by the routes of
        // the app that answer its method.
        // What the handler's missing check really is, said in place of "no check in the
        // handler" when nothing else protects the entry; or why it answers without work.
        let mut own_gap: Option<String> = None;
        let mut served_inert: Option<String> = None;
        if check.auth.is_none()
            && check.machine.is_none()
            && entry.kind == EntryKind::RouteHandler
            && let Some(Target::Call {
                file: served_in,
                callee,
                args,
            }) = &target
            && let Some(app) =
                super::frameworks::hono::served_app(project, *served_in, callee, args)
        {
            use super::frameworks::hono::{Verdict, verdict};
            let at = |f: usize| project.files[f].rel.to_string();
            match verdict(project, &mut an, &app, &entry.symbol) {
                Verdict::Protected {
                    evidence,
                    machine,
                    routes,
                } => {
                    let e = Box::new(evidence.through(format!(
                        "`{}` ({}, a Hono app: each of its {routes} {} route(s) that do work)",
                        app.1,
                        at(app.0),
                        entry.symbol
                    )));
                    if machine {
                        check.machine = Some(e);
                    } else {
                        check.auth = Some(e);
                    }
                    check.opaque = None;
                }
                Verdict::Open { file, path, .. } => {
                    own_gap = Some(format!(
                        "the Hono route `{} {path}` ({}) checks nothing, in its handler or before it",
                        entry.symbol,
                        at(file)
                    ));
                }
                Verdict::NoRoute { inert: 0 } => {
                    served_inert = Some(format!(
                        "no route of the Hono app `{}` ({}) answers {}: Hono answers 404",
                        app.1,
                        at(app.0),
                        entry.symbol
                    ));
                }
                Verdict::NoRoute { inert } => {
                    served_inert = Some(format!(
                        "the {inert} {} route(s) of the Hono app `{}` ({}) only answer, doing no work",
                        entry.symbol,
                        app.1,
                        at(app.0)
                    ));
                }
            }
        }
        // uploadthing's route handler answers a GET with the FileRouter's configuration (its
        // routes and file types, for the client to build its upload); uploads are POSTs.
        if check.auth.is_none()
            && entry.kind == EntryKind::RouteHandler
            && entry.symbol == "GET"
            && let Some(Target::Call {
                file: at, callee, ..
            }) = &target
            && let [name] = callee.as_slice()
            && project
                .files
                .get(*at)
                .and_then(|f| f.code())
                .and_then(|c| c.imports.get(name))
                .is_some_and(|i| {
                    (i.source.starts_with("uploadthing/") || i.source.starts_with("@uploadthing/"))
                        && i.imported == "createRouteHandler"
                })
        {
            served_inert = Some(
                "uploadthing's GET answers the FileRouter's configuration (its routes and file types); uploads are POSTs"
                    .into(),
            );
        }
        if let Some(OpenPath::WritesFirst(write)) = &check.open_path {
            own_gap.get_or_insert_with(|| {
                format!("its session check comes after a database write (`{write}()`)")
            });
        }
        // Express and Fastify handlers may test the session their SDK put on the request.
        if check.auth.is_none()
            && check.machine.is_none()
            && matches!(
                entry.kind,
                EntryKind::ExpressRoute | EntryKind::FastifyRoute
            )
        {
            let own = target.iter().map(|t| (t, None));
            let chain = entry
                .chain
                .iter()
                .map(|t| (t, Some(target_name(project, t))));
            if let Some((e, via)) = own
                .chain(chain)
                .find_map(|(t, via)| an.request_auth_test(t, 0).map(|e| (e, via)))
            {
                check.auth = Some(Box::new(match via {
                    Some(name) => e.through(name),
                    None => e,
                }));
                check.open_path = None;
            }
        }
        let mw = if entry.kind.is_next() {
            // No verdict when the app has no middleware that Next.js loads (the message says
            // so).
            let loaded = project
                .middlewares
                .iter()
                .any(|m| m.app == entry.app && m.loaded());
            if entry.kind == EntryKind::ServerAction || !loaded {
                None
            } else {
                entry
                    .url
                    .is_some()
                    .then(|| entry.middleware_verdict(project))
            }
        } else {
            entry.front.clone()
        };
        entry.middleware = mw.as_ref().map(describe_verdict);
        entry.protection = decide(project, entry, &check, mw.as_ref(), public_routes, code);
        if let Protection::Unprotected(why) = &entry.protection {
            if let Some(inert) = served_inert {
                entry.protection = Protection::Inert(inert);
            } else if let Some(gap) = &own_gap {
                entry.protection =
                    Protection::Unprotected(why.replacen("no check in the handler", gap, 1));
            }
        }
        // A check of what the SDK sets on the request, where the SDK never runs: it throws
        // (`getAuth()` without `clerkPlugin`) or always rejects, and protects nothing by design.
        if let Some(why) = &entry.sdk_missing
            && let Protection::Handler(e) | Protection::Guard { evidence: e, .. } =
                &entry.protection
            && matches!(
                e.check,
                Check::Session {
                    api: crate::facts::code::SessionCall::GetAuth,
                    ..
                }
            )
        {
            entry.protection = Protection::Unprotected(format!(
                "its session check ({}) cannot work: {why}, so `getAuth(request)` throws on every request (a 500 for signed-in users too)",
                e.describe()
            ));
        }
        entry.check = check;
    }
}

/// A chain function's name for `guard <name>`: the function's own name, the callee of a
/// wrapper or builder, or what it resolves to.
fn target_name(project: &super::Project, t: &Target) -> String {
    let at = |file: usize| {
        project
            .files
            .get(file)
            .map(|f| &*f.rel)
            .unwrap_or("?")
            .to_string()
    };
    match t {
        Target::Function(k) => super::guards::function_label(project, *k, "middleware"),
        Target::Call { file, callee, .. } => format!("`{}()` ({})", callee.join("."), at(*file)),
        Target::Chain { file, base, .. } => format!("`{}` ({})", base.join("."), at(*file)),
        Target::Object { file, .. } => format!("an object ({})", at(*file)),
        Target::Clerk { imported, .. } | Target::Library { imported, .. } => {
            format!("`{imported}()`")
        }
        Target::Opaque(name) | Target::Missing(name) => format!("`{name}`"),
    }
}

fn evidence_protection(e: &Evidence) -> Protection {
    if let Some(first) = e.via.first() {
        Protection::Guard {
            function: first
                .split(' ')
                .next()
                .unwrap_or(first)
                .trim_matches('`')
                .to_string(),
            evidence: Box::new(e.clone()),
        }
    } else {
        Protection::Handler(Box::new(e.clone()))
    }
}

fn decide(
    project: &super::Project,
    entry: &Entry,
    check: &HandlerCheck,
    mw: Option<&Verdict>,
    public_routes: &[(String, PathPattern)],
    code: &CodeFacts,
) -> Protection {
    if let Some(e) = &check.auth {
        return evidence_protection(e);
    }
    // `app.post('/x', handlers.pk.create)` where `handlers.pk` has no `create`: the route is
    // registered with `undefined`, and the request fails before anything runs.
    if let Some(Target::Missing(what)) = &entry.target {
        return Protection::Inert(format!(
            "registered with `{what}`, which the object it is read off does not have: the handler is `undefined`, so the request fails before any work"
        ));
    }
    // (A write before the check leaves the handler without a check of its own: what else
    // protects the entry still does.)
    if let Some(OpenPath::Returns(when)) = &check.open_path {
        // What it returns there is computed from the request alone (`if (request.method ==
        // 'POST') { const fd = await request.formData(); return json(bmi(fd)) }`).
        if let Some((file, index)) = check.function
            && entry.kind != EntryKind::Page
            && check.opaque.is_none()
            && let Some(facts) = project.files.get(file)
            && let Some(f) = facts.code().and_then(|c| c.function(index))
            && let Some(why) =
                super::inert::validates(&super::inert::Texts::new(project), &facts.rel, f)
        {
            return Protection::Inert(why);
        }
        return Protection::Unprotected(format!(
            "it returns data under `if ({when})` before checking the session"
        ));
    }
    if let Some(w) = &check.machine {
        // A secret header the middleware itself stamps on every request proves nothing: any
        // caller gets it added on the way in.
        if let Check::SharedSecret { headers, .. } = &w.check
            && let Some(h) = project
                .middlewares
                .iter()
                .filter(|m| m.app == entry.app && m.loaded())
                .flat_map(|m| &m.stamped_headers)
                .find(|h| headers.contains(&h.name))
        {
            return Protection::Unprotected(format!(
                "it trusts the `{}` header, which the middleware sets on every request it runs on{}: the shared-secret check passes for anyone",
                h.name,
                h.env
                    .as_deref()
                    .map(|e| format!(" (from `{e}`)"))
                    .unwrap_or_default()
            ));
        }
        return Protection::Machine(w.clone());
    }
    if let Some(d) = &check.delegated {
        return Protection::Delegated(d.describe());
    }
    if let Some(k) = check.function
        && entry.kind != EntryKind::Page
        && check.opaque.is_none()
        && project
            .files
            .get(k.0)
            .and_then(|f| f.code())
            .and_then(|c| c.function(k.1))
            .is_some_and(|f| {
                (!f.does_work && (!f.reads_module_data || entry.symbol == "OPTIONS"))
                    // A preflight may read its allowed origins from the environment: the
                    // browser sends it without credentials, and it answers headers only.
                    || (entry.symbol == "OPTIONS" && f.work_calls.is_empty() && !f.awaits)
                    || only_calls_stubs(project, k.0, f)
            })
    {
        return Protection::Inert(if entry.symbol == "OPTIONS" {
            "a CORS preflight that does no work".into()
        } else {
            "answers without awaiting or calling anything but response builders".into()
        });
    }
    // A preflight never carries the session (browsers send it without credentials): an
    // `OPTIONS` handler is judged by what it changes, whatever it calls to build its headers
    // (a factory-made handler's `OPTIONS`, a CORS helper of another package).
    if entry.symbol == "OPTIONS"
        && entry.kind == EntryKind::RouteHandler
        && check.opaque.is_none()
        && let Some((file, index)) = check.function
        && let Some(facts) = project.files.get(file)
        && let Some(f) = facts.code().and_then(|c| c.function(index))
        && !writes_data(project, &facts.rel, f, 3)
    {
        return Protection::Inert(
            "a CORS preflight that changes no data (browsers send it without credentials)".into(),
        );
    }
    if let Some(url) = probe_url(project, entry, check) {
        return Protection::Inert(format!(
            "a `{} {url}` health/readiness probe that writes nothing",
            entry.symbol
        ));
    }
    if let Some((file, index)) = check.function
        && entry.kind != EntryKind::Page
        && check.opaque.is_none()
        && let Some(facts) = project.files.get(file)
        && let Some(f) = facts.code().and_then(|c| c.function(index))
        && let texts = super::inert::Texts::new(project)
        && let Some(why) = super::inert::discarded(&texts, &facts.rel, f)
            .or_else(|| super::inert::session_state_only(&texts, &facts.rel, f))
            .or_else(|| super::inert::sign_out(&texts, &facts.rel, f))
            .or_else(|| super::inert::image(&texts, &facts.rel, f))
            .or_else(|| super::inert::bundled(&texts, &facts.rel, f))
            .or_else(|| super::inert::validates(&texts, &facts.rel, f))
            .or_else(|| super::inert::own_cookie(&texts, &facts.rel, f))
            .or_else(|| super::inert::refuses(&texts, &facts.rel, f))
            // A probe answers a read: a `GET`/`HEAD`, or an entry without a method of its own.
            .or_else(|| {
                (!HTTP_METHODS.contains(&entry.symbol.as_str())
                    || matches!(entry.symbol.as_str(), "GET" | "HEAD"))
                .then(|| super::inert::probe(&texts, &facts.rel, f))
                .flatten()
            })
    {
        return Protection::Inert(why);
    }
    // A handler inside a wrapper the analysis cannot see into (`withErrorHandling(async () =>
    // { throw new ApiError('Method not allowed') })`) that always refuses: whatever the wrapper
    // adds around it, the handler gives it nothing to run.
    if let Some((file, index)) = check.function
        && entry.kind != EntryKind::Page
        && let Some(wrapper) = &check.opaque
        && let Some(facts) = project.files.get(file)
        && let Some(f) = facts.code().and_then(|c| c.function(index))
        && let Some(why) = super::inert::refuses(&super::inert::Texts::new(project), &facts.rel, f)
    {
        return Protection::Inert(format!("{why} (inside {wrapper})"));
    }
    if entry.kind == EntryKind::ServerAction {
        if project.unbundled_action(entry) {
            return Protection::Inert(format!(
                "nothing imports `{}`: Next.js registers no server action from a module no page or component imports",
                entry.file
            ));
        }
        if let Some(Ok(how)) = project
            .middlewares
            .iter()
            .find(|m| m.app == entry.app && m.loaded())
            .map(|m| &m.actions)
        {
            return Protection::Middleware(how.clone());
        }
        return Protection::Unprotected(check.gap.clone().unwrap_or_else(|| {
            "no check in the action (middleware does not count: an action is a POST endpoint reachable from any page)".into()
        }));
    }
    let url = entry.url.as_deref().unwrap_or("/");
    let root;
    let samples: &[String] = match entry.samples() {
        Some(samples) => samples,
        None => {
            root = sample_paths(url);
            &root
        }
    };
    if let Some((p, _)) = public_routes
        .iter()
        .find(|(_, pat)| !samples.is_empty() && samples.iter().all(|s| pat.is_match(s)))
    {
        return Protection::DeclaredPublic(PublicBy::Config(p.clone()));
    }
    // A tRPC handler: the procedures that neither check the session nor are declared public.
    let mut lead = check
        .gap
        .clone()
        .unwrap_or_else(|| "no check in the handler".into());
    if !check.procedures.is_empty() {
        let endpoint = trpc_endpoint(url);
        let declared = |path: &str| {
            let u = format!("{endpoint}/{path}");
            public_routes.iter().find(|(_, pat)| pat.is_match(&u))
        };
        let open: Vec<&Procedure> = check
            .procedures
            .iter()
            .filter(|p| p.evidence.is_none() && declared(&p.path).is_none())
            .collect();
        if open.is_empty() {
            if let Some(e) = check.procedures.iter().find_map(|p| p.evidence.as_ref()) {
                return evidence_protection(e);
            }
            if let Some((p, _)) = check.procedures.iter().find_map(|p| declared(&p.path)) {
                return Protection::DeclaredPublic(PublicBy::Config(p.clone()));
            }
        }
        let list: Vec<String> = open
            .iter()
            .take(12)
            .map(|p| match &p.note {
                Some(n) => format!("`{}` ({} at {}; {n})", p.path, p.kind, p.at),
                None => format!("`{}` ({} at {})", p.path, p.kind, p.at),
            })
            .collect();
        let more = open.len().saturating_sub(list.len());
        lead = format!(
            "tRPC procedure{} {}{} {} not built on a procedure whose middleware rejects a \
             signed-out request, nor check{} the session in {} resolver (a procedure that is \
             public on purpose can be listed in `public_routes` of clerk-guard.toml as \
             `{endpoint}/<procedure path>`)",
            if open.len() == 1 { "" } else { "s" },
            list.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
            if open.len() == 1 { "is" } else { "are" },
            if open.len() == 1 { "s" } else { "" },
            if open.len() == 1 { "its" } else { "their" },
        );
    } else if code
        .imports
        .values()
        .any(|i| i.source.starts_with("@trpc/server"))
        && check.gap.is_none()
    {
        return Protection::Delegated(
            "a tRPC endpoint whose router was not found: procedures check the session (not analysed)".into(),
        );
    }
    if !entry.kind.is_next() && mw.is_none() {
        return Protection::Unprotected(format!(
            "{lead}{}",
            entry
                .front_note
                .as_deref()
                .map(|n| format!(", {n}"))
                .unwrap_or_default()
        ));
    }
    match mw {
        Some(Verdict::Protected(how)) => Protection::Middleware(how.clone()),
        // A catch-all public pattern (`/api(.*)`) declares pages public, not the handlers
        // under it: those are judged on their own code.
        Some(Verdict::Public { why, exact }) if *exact || entry.kind == EntryKind::Page => {
            if let Some(key) = acts_for_named_user(project, entry, check) {
                Protection::Unprotected(format!(
                    "the middleware declares it public ({why}), yet it changes data for the \
                     `{key}` the request names, without a session: anyone can name another \
                     user's id"
                ))
            } else if unsigned_webhook(project, entry, check) {
                Protection::Unprotected(format!(
                    "the middleware declares this webhook public ({why}), but the handler \
                     verifies no signature and changes data: anyone can post it forged events"
                ))
            } else {
                Protection::DeclaredPublic(PublicBy::Middleware(why.clone()))
            }
        }
        Some(Verdict::Public { why, .. }) => Protection::Unprotected(format!(
            "no check in the handler; the middleware lets it through ({why}), which declares a whole tree public, not this handler"
        )),
        Some(Verdict::NotMatched) => Protection::Unprotected(format!(
            "{lead}, and the middleware's `config.matcher` does not run on `{url}`"
        )),
        Some(Verdict::NotProtected(why)) => Protection::Unprotected(format!("{lead}, and {why}")),
        Some(Verdict::Unknown(why)) => Protection::Unprotected(format!(
            "{lead}; whether the middleware protects it is unknown: {why}"
        )),
        None => match project
            .middlewares
            .iter()
            .find(|m| m.app == entry.app && !m.loaded())
        {
            Some(m) => Protection::Unprotected(format!(
                "{lead}, and Next.js never loads the app's middleware `{}` (see `middleware-not-loaded`)",
                m.file
            )),
            None => Protection::Unprotected(format!(
                "{lead}, and the app has no middleware that Next.js loads"
            )),
        },
    }
}

/// The URL prefix of a tRPC handler's procedures (`/api/trpc/[trpc]` → `/api/trpc`).
fn trpc_endpoint(url: &str) -> &str {
    match url.rsplit_once('/') {
        Some((head, last)) if last.starts_with('[') => head,
        _ => url,
    }
}

fn describe_verdict(v: &Verdict) -> String {
    match v {
        Verdict::Protected(h) => format!("protects it ({h})"),
        Verdict::Public { why: w, .. } => format!("declares it public ({w})"),
        Verdict::NotProtected(_) => "runs on it but does not protect it".into(),
        Verdict::NotMatched => "does not run on it (`config.matcher`)".into(),
        Verdict::Unknown(w) => format!("may or may not protect it ({w})"),
    }
}

/// A health, readiness or liveness probe: a `GET`/`HEAD` of `/health`, `/api/healthz`,
/// `/api/v1/ready`… (the probe name is the only segment besides `api` and a version) whose
/// handler calls nothing that writes. Load balancers and monitors call these without a session
/// by design; what they report is the service's state.
fn probe_url<'a>(
    project: &super::Project,
    entry: &'a Entry,
    check: &HandlerCheck,
) -> Option<&'a str> {
    const PROBES: &[&str] = &[
        "health",
        "healthz",
        "healthcheck",
        "health-check",
        "ready",
        "readyz",
        "readiness",
        "live",
        "livez",
        "liveness",
        "ping",
    ];
    if !matches!(entry.symbol.as_str(), "GET" | "HEAD") || check.opaque.is_some() {
        return None;
    }
    let url = entry.url.as_deref()?;
    let segments: Vec<&str> = url
        .split('/')
        .filter(|s| !s.is_empty())
        .filter(|s| {
            *s != "api"
                && !(s.len() >= 2
                    && s.starts_with('v')
                    && s[1..].bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    let [probe] = segments.as_slice() else {
        return None;
    };
    if !PROBES.contains(&probe.to_ascii_lowercase().as_str()) {
        return None;
    }
    let (file, index) = check.function?;
    let facts = project.files.get(file)?;
    let f = facts.code()?.function(index)?;
    (!writes_data(project, &facts.rel, f, 3)).then_some(url)
}

/// Whether a function, or a project function it calls (`depth` levels down), calls something
/// that changes data: `db.insert(…)`, `prisma.visit.create(…)`, `fs.writeFile(…)`.
fn writes_data(
    project: &super::Project,
    rel: &str,
    f: &crate::facts::code::FnFacts,
    depth: usize,
) -> bool {
    let Some(file) = project.file(rel) else {
        return true;
    };
    let Some(code) = file.code() else {
        return true;
    };
    // The body's text, nested callbacks included (`db.transaction(async (tx) => tx.insert(…))`).
    let text = file.text();
    let Some(body) = text.get(f.range.start..f.range.end) else {
        return true;
    };
    let body = crate::facts::code::blank_comments(body);
    let writes_here = body.match_indices('.').any(|(i, _)| {
        let rest = &body[i + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        rest[name.len()..].trim_start().starts_with('(') && names_a_write(&name)
    });
    if writes_here {
        return true;
    }
    if depth == 0 {
        return false;
    }
    f.calls.iter().any(|(path, _)| {
        let [name] = path.as_slice() else {
            return false;
        };
        let callee = |rel: &str, code: &CodeFacts, name: &str| match code.bindings.get(name) {
            Some(Binding::Function { index }) => code
                .function(*index)
                .is_some_and(|g| writes_data(project, rel, g, depth - 1)),
            _ => false,
        };
        if code.bindings.contains_key(name.as_str()) {
            return callee(rel, code, name);
        }
        project
            .resolve_binding(rel, name)
            .and_then(|(other_rel, export)| {
                let other = project.file(&other_rel)?.code()?;
                Some(callee(&other_rel, other, &export))
            })
            .unwrap_or(false)
    })
}

/// The user id a handler takes from the request and changes data for: a `POST` (or any method
/// but `GET`/`HEAD`/`OPTIONS`) whose body reads `userId` (or `user_id`, `clerkUserId`, …) out of
/// the request's JSON body, form, query or search parameters and writes data. On a path the
/// middleware declares public, that is an anonymous request acting for whichever user it names.
fn acts_for_named_user(
    project: &super::Project,
    entry: &Entry,
    check: &HandlerCheck,
) -> Option<String> {
    let (facts, f, body) = public_write_handler(project, entry, check)?;
    let key = request_user_key(&body, f.params.first()?)?;
    writes_data(project, &facts.rel, f, 2).then_some(key)
}

/// The function that serves a write method (not `GET`/`HEAD`/`OPTIONS`) of an entry that is no
/// page and whose handler the analysis can read, with its file and its text (comments
/// blanked): what the readings of a handler on a declared-public path look at.
fn public_write_handler<'p>(
    project: &'p super::Project,
    entry: &Entry,
    check: &HandlerCheck,
) -> Option<(&'p FileFacts, &'p crate::facts::code::FnFacts, String)> {
    if entry.kind == EntryKind::Page
        || matches!(entry.symbol.as_str(), "GET" | "HEAD" | "OPTIONS")
        || check.opaque.is_some()
    {
        return None;
    }
    let (file, index) = check.function?;
    let facts = project.files.get(file)?;
    let f = facts.code()?.function(index)?;
    let text = facts.text();
    let body = crate::facts::code::blank_comments(text.get(f.range.start..f.range.end)?);
    Some((facts, f, body.into_owned()))
}

/// Whether a handler at a webhook URL (a path segment naming `webhook`) answers a write
/// method and changes data without any machine check (a handler that verifies a signature
/// or a shared secret is judged `Machine` before this is asked): a webhook is public to its
/// sender only through the signature that proves it is the sender.
fn unsigned_webhook(project: &super::Project, entry: &Entry, check: &HandlerCheck) -> bool {
    if check.machine.is_some()
        || check.delegated.is_some()
        || !entry
            .url
            .as_deref()
            .unwrap_or("")
            .split('/')
            .any(|seg| seg.to_ascii_lowercase().contains("webhook"))
    {
        return false;
    }
    let Some((facts, f, body)) = public_write_handler(project, entry, check) else {
        return false;
    };
    // Any sign of a verification the analysis does not read (a helper that asks the sender's
    // API to verify, a signature compared by hand) keeps the declaration: only a handler whose
    // code (not its comments or strings) names no signature, secret or verification at all.
    let code = crate::facts::code::blank_strings(&body).to_ascii_lowercase();
    !f.compares_secret
        && !["signature", "verif", "hmac", "secret", "token", "valid"]
            .iter()
            .any(|w| code.contains(w))
        && writes_data(project, &facts.rel, f, 2)
}

/// The user-id key a function's text reads from the request `req` (see [`acts_for_named_user`]).
fn request_user_key(body: &str, req: &str) -> Option<String> {
    const KEYS: &[&str] = &[
        "userId",
        "user_id",
        "userID",
        "clerkId",
        "clerkUserId",
        "clerk_user_id",
    ];
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    // A key bound by an object pattern's text (`{ accountId, userId }`, `{ userId: id }`).
    let key_in = |pattern: &str| {
        KEYS.iter().copied().find(|k| {
            pattern.match_indices(k).any(|(i, _)| {
                !pattern[..i].ends_with(word) && !pattern[i + k.len()..].starts_with(word)
            })
        })
    };
    // The request's own parts, and the names bound to its parsed body (`const body = await
    // req.json()`).
    let mut sources: Vec<String> = ["body", "query"]
        .iter()
        .map(|p| format!("{req}.{p}"))
        .collect();
    for parsed in ["json()", "formData()"] {
        let call = format!("await {req}.{parsed}");
        for (at, _) in body.match_indices(&call) {
            let before = body[..at].trim_end();
            let Some(before) = before.strip_suffix('=') else {
                continue;
            };
            let before = before.trim_end();
            if before.ends_with('}') {
                // `const { userId } = await req.json()`.
                if let Some(k) = before.rfind('{').and_then(|open| key_in(&before[open..])) {
                    return Some(k.to_string());
                }
                continue;
            }
            let name: String = before
                .chars()
                .rev()
                .take_while(|c| word(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if !name.is_empty() {
                sources.push(name);
            }
        }
    }
    for src in &sources {
        for (at, _) in body.match_indices(src.as_str()) {
            if body[..at].ends_with(|c: char| word(c) || c == '.') {
                continue;
            }
            let rest = &body[at + src.len()..];
            // `body.userId`, `req.query.userId`.
            if let Some(member) = rest.strip_prefix('.')
                && let Some(k) = KEYS
                    .iter()
                    .find(|k| member.starts_with(**k) && !member[k.len()..].starts_with(word))
            {
                return Some((*k).to_string());
            }
            // `const { accountId, userId } = body`.
            if !rest.trim_start().starts_with('.')
                && let Some(before) = body[..at].trim_end().strip_suffix('=')
                && !before.ends_with(['=', '!', '<', '>'])
                && let Some(pattern) = before.trim_end().strip_suffix('}')
                && let Some(k) = pattern.rfind('{').and_then(|open| key_in(&pattern[open..]))
            {
                return Some(k.to_string());
            }
        }
    }
    // `searchParams.get('userId')`, `form.get("userId")`.
    for (at, _) in body.match_indices(".get(") {
        let arg = body[at + 5..].trim_start();
        let Some(q) = arg.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) else {
            continue;
        };
        let inner = &arg[1..];
        if let Some(k) = KEYS
            .iter()
            .find(|k| inner.starts_with(**k) && inner[k.len()..].starts_with(q))
        {
            return Some((*k).to_string());
        }
    }
    None
}

/// Whether a method's name says it changes data: its verb (`update`, `insertMany`), or a verb
/// after a modifier (`partialUpdate`, `bulkCreate`, `softDelete`), unless the name starts with
/// a reading verb (`getUpdates`, `findDeleted`).
fn names_a_write(name: &str) -> bool {
    const WRITES: &[&str] = &[
        "insert", "update", "delete", "create", "upsert", "remove", "destroy", "save", "write",
        "patch",
    ];
    const READS: &[&str] = &[
        "get", "find", "fetch", "list", "read", "load", "count", "has", "is", "can", "should",
    ];
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if i > start && (c.is_ascii_uppercase() || c == '_') {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    let words: Vec<String> = words
        .iter()
        .map(|w| w.trim_start_matches('_').to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    if READS.contains(&first.as_str()) {
        return false;
    }
    words
        .iter()
        .any(|w| WRITES.iter().any(|v| w.starts_with(v)))
}

/// Whether all a function does is call project functions that do nothing (`await
/// handleAuth(args)` where `handleAuth`'s body is commented out) and answer: as inert as a
/// function that calls nothing. Any other call, an `await` of something else or a read of
/// `process.env` is work.
fn only_calls_stubs(
    project: &super::Project,
    file: usize,
    f: &crate::facts::code::FnFacts,
) -> bool {
    if !f.does_work || f.work_calls.is_empty() || f.work_calls.len() > 4 {
        return false;
    }
    let Some(facts) = project.files.get(file) else {
        return false;
    };
    let Some(code) = facts.code() else {
        return false;
    };
    // A stub: calls nothing, does no work, and gives nothing back (no `return`, not an
    // expression-bodied arrow): a helper that returns even a constant stands for data.
    let is_stub = |rel: &str, g: &crate::facts::code::FnFacts| {
        if g.does_work || !g.calls.is_empty() {
            return false;
        }
        let Some(text) = project.file(rel).map(|f| f.text()) else {
            return false;
        };
        let Some(body) = text.get(g.range.start..g.range.end) else {
            return false;
        };
        let body = crate::facts::code::blank_comments(body);
        let expression_arrow = body
            .split_once("=>")
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('{'));
        !body.contains("return") && !expression_arrow
    };
    let stub_named = |rel: &str, code: &CodeFacts, name: &str| match code.bindings.get(name) {
        Some(Binding::Function { index }) => code.function(*index).is_some_and(|g| is_stub(rel, g)),
        _ => false,
    };
    let all_stubs = f.work_calls.iter().all(|&k| {
        let Some((path, _)) = f.calls.get(k as usize) else {
            return false;
        };
        let [name] = path.as_slice() else {
            return false;
        };
        if code.bindings.contains_key(name.as_str()) {
            return stub_named(&facts.rel, code, name);
        }
        project
            .resolve_binding(&facts.rel, name)
            .and_then(|(rel, export)| {
                let other = project.file(&rel)?.code()?;
                Some(stub_named(&rel, other, &export))
            })
            .unwrap_or(false)
    });
    if !all_stubs {
        return false;
    }
    // Every `await` must be one of those calls; no secret read either.
    let text = facts.text();
    let Some(body) = text.get(f.range.start..f.range.end) else {
        return false;
    };
    let body = crate::facts::code::blank_comments(body);
    body.matches("await").count() <= f.work_calls.len() && !body.contains("process.env")
}

/// A middleware's verdict for every sample path of a URL pattern: the worst one.
pub(crate) fn worst_verdict(mw: &MiddlewareModel, url: &str) -> Verdict {
    worst_of(mw, &sample_paths(url))
}

/// A middleware's verdict for every one of the sample paths: the worst one.
fn worst_of(mw: &MiddlewareModel, samples: &[String]) -> Verdict {
    let mut worst: Option<Verdict> = None;
    for s in samples {
        let v = mw.verdict(s);
        let rank = |v: &Verdict| match v {
            Verdict::Protected(_) => 0,
            Verdict::Public { .. } => 1,
            Verdict::Unknown(_) => 2,
            Verdict::NotProtected(_) => 3,
            Verdict::NotMatched => 4,
        };
        if worst.as_ref().is_none_or(|w| rank(&v) > rank(w)) {
            worst = Some(v);
        }
    }
    worst.unwrap_or(Verdict::NotMatched)
}

impl super::Project {
    /// Whether an entry is a server action of a `'use server'` module of an app that no page,
    /// layout or component imports: never bundled, so Next.js registers no action from it (an
    /// example file, a leftover). A shared package's module is left alone: its importers may
    /// lie outside the scan.
    pub fn unbundled_action(&self, entry: &Entry) -> bool {
        entry.kind == EntryKind::ServerAction
            && self.file_index(&entry.file).is_some_and(|id| {
                self.file_app_of(id).is_some()
                    && matches!(self.files[id].directive(), Some((Directive::UseServer, _)))
                    && self.imported_nowhere(id)
            })
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_first_parameters_declared_type_is_read_from_the_text() {
        let cases = [
            ("async (course_name: string, q = 'x') => {}", Some("string")),
            (
                "async function f(n?: number, b: boolean) {}",
                Some("number"),
            ),
            (
                "function handler(req: NextApiRequest, res) {}",
                Some("NextApiRequest"),
            ),
            ("function handler(req, res) {}", None),
            ("async ({ course }: { course: string }) => {}", None),
            ("(x = f(1)) => x", None),
            ("async req => fetch(x, (a: string) => a)", None),
        ];
        for (text, want) in cases {
            assert_eq!(first_param_type(text), want, "{text}");
        }
    }
    use super::*;

    /// An entry's sample paths are its URL's, computed once; an update keeps them with the
    /// entries of the apps it does not analyse again.
    /// uploadthing's GET serves the FileRouter's configuration: inert, while the POST that
    /// takes uploads is judged by the routes' `.middleware()`.
    #[test]
    fn uploadthing_get_is_configuration() {
        let p = crate::project::model_of(&[
            (
                "package.json",
                r#"{"dependencies":{"next":"15.0.0","@clerk/nextjs":"6.0.0","uploadthing":"7.0.0"}}"#,
            ),
            (
                "app/api/uploadthing/core.ts",
                "import { createUploadthing } from 'uploadthing/next'\n\
                 const f = createUploadthing()\n\
                 export const router = { image: f({ image: {} }).middleware(async () => ({ at: Date.now() })).onUploadComplete(async () => {}) }\n",
            ),
            (
                "app/api/uploadthing/route.ts",
                "import { createRouteHandler } from 'uploadthing/next'\n\
                 import { router } from './core'\n\
                 export const { GET, POST } = createRouteHandler({ router })\n",
            ),
        ]);
        let of = |m: &str| {
            p.entries
                .iter()
                .find(|e| e.symbol == m && e.file == "app/api/uploadthing/route.ts")
                .map(|e| e.protection.clone())
        };
        assert!(matches!(of("GET"), Some(Protection::Inert(why)) if why.contains("configuration")));
        assert!(matches!(of("POST"), Some(Protection::Unprotected(_))));
    }

    #[test]
    fn entry_samples_kept_with_the_entries() {
        let pkg = r#"{ "dependencies": { "next": "15.5.6" } }"#;
        let route = "export async function GET() { return Response.json({}) }\n";
        let facts = [
            ("apps/a/package.json", pkg),
            ("apps/a/app/api/[id]/route.ts", route),
            (
                "apps/a/app/docs/[[...slug]]/page.tsx",
                "export default function P() {}\n",
            ),
            ("apps/b/package.json", pkg),
            ("apps/b/app/api/x/route.ts", route),
        ]
        .iter()
        .map(|(r, t)| crate::facts::extract_text(r, t))
        .collect();
        let mut p = crate::project::Project::build(
            "/nonexistent-clerk-guard-root".into(),
            facts,
            Vec::new(),
            Default::default(),
        );
        assert_eq!(p.entries.len(), 3);
        for e in &p.entries {
            let url = e.url.as_deref().unwrap();
            assert_eq!(e.samples(), Some(&sample_paths(url)[..]), "{url}");
        }
        p.upsert(crate::facts::extract_text(
            "apps/b/app/api/x/route.ts",
            "export async function POST() { return Response.json({}) }\n",
        ));
        for e in &p.entries {
            let in_a = p.apps[e.app].root == "apps/a";
            assert_eq!(e.samples.get().is_some(), in_a, "{:?}", e.url);
        }
    }

    #[test]
    fn app_router_urls() {
        assert_eq!(app_url("app", "app/route.ts").as_deref(), Some("/"));
        assert_eq!(
            app_url("app", "app/api/users/[id]/route.ts").as_deref(),
            Some("/api/users/[id]")
        );
        assert_eq!(
            app_url("src/app", "src/app/(shop)/cart/page.tsx").as_deref(),
            Some("/cart")
        );
        assert_eq!(
            app_url("app", "app/@modal/(.)photo/[id]/page.tsx").as_deref(),
            Some("/photo/[id]")
        );
        assert_eq!(app_url("app", "app/_lib/route.ts"), None);
        assert_eq!(
            app_url("app", "app/docs/[[...slug]]/page.tsx").as_deref(),
            Some("/docs/[[...slug]]")
        );
    }

    #[test]
    fn pages_router_urls() {
        assert_eq!(
            pages_url("pages", "pages/index.tsx", "index").as_deref(),
            Some("/")
        );
        assert_eq!(
            pages_url("pages", "pages/api/users/index.ts", "index").as_deref(),
            Some("/api/users")
        );
        assert_eq!(
            pages_url("src/pages", "src/pages/api/[...all].ts", "[...all]").as_deref(),
            Some("/api/[...all]")
        );
    }

    /// A project keeps an entry per handler (tens of thousands on a large tree) and, while it
    /// judges them, a summary per function it follows; the evidence either may hold is boxed.
    /// These bounds catch a field that brings a large value back inline (issue 17).
    #[test]
    fn entries_and_summaries_stay_small() {
        use std::mem::size_of;
        let sizes = [
            ("Entry", size_of::<Entry>(), 512),
            ("HandlerCheck", size_of::<HandlerCheck>(), 160),
            ("Protection", size_of::<Protection>(), 48),
            ("Summary", size_of::<crate::project::guards::Summary>(), 88),
        ];
        for (name, size, bound) in sizes {
            assert!(size <= bound, "{name} is {size} bytes (at most {bound})");
        }
    }
}
