use super::{Exposure, exposure, with_chain};
use crate::declare_rule;
use crate::facts::FileFacts;
use crate::facts::secrets::{is_secret_env_name, public_env_prefix};
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;
use crate::rules::{FileCx, Group, Rule, RuleMeta};
use crate::source::{FileKind, file_name};

declare_rule! {
    /// ## What it does
    /// Finds secrets placed where the bundler inlines them into client JavaScript:
    /// - a public-prefixed variable (`NEXT_PUBLIC_`, `VITE_`, `PUBLIC_`, `NUXT_PUBLIC_`,
    ///   `EXPO_PUBLIC_`) in any `.env*` file (gitignored or not) that holds a secret key or
    ///   whose name contains `SECRET`, and reads of such a variable in code;
    /// - an entry of `env: { … }` in `next.config.*` that carries `CLERK_SECRET_KEY`, another
    ///   secret variable, or a key;
    /// - `process.env.CLERK_SECRET_KEY` (or another secret name) read in any module of the
    ///   client set: a `'use client'` module, a module it imports (directly or through other
    ///   modules, as `secret-key-in-client` follows them), or a Pages Router page outside its
    ///   data functions; the finding names the import chain. It is an error when a
    ///   next.config `env` entry of that name (in the reading module's app or in the app
    ///   whose client code imports it) inlines the value into the bundle, and a warning
    ///   otherwise: without a public prefix the bundler leaves the read `undefined` in the
    ///   browser, so the server code ships but the value does not. The warnings of one
    ///   module are one finding, at its first such read, naming the other variables it
    ///   reads: moving the module out of the client bundle fixes them together (each read
    ///   of a variable that next.config inlines stays its own error). (Schemas of
    ///   `@t3-oss/env-nextjs`, whose server variables throw when read in the browser, are
    ///   not reported when a client module imports them.) The variable's name inside a
    ///   string literal (`'process.env.X'` in a message) is no read of it.
    /// - a server component passing a secret environment value as a JSX prop to a client
    ///   component (`<Widget secret={process.env.STRIPE_SECRET_KEY} />`, where `Widget` comes
    ///   from a `'use client'` module, through imports, barrel files or `next/dynamic`).
    ///
    /// ## Why is this bad?
    /// Next.js replaces `process.env.NEXT_PUBLIC_*` and every `next.config` `env` entry with
    /// its literal value at build time, in the JavaScript sent to every visitor. A secret key
    /// there is public. A secret read in a client module is either inlined (when exposed) or
    /// `undefined`, and invites someone to "fix" it by making it public. Props a server
    /// component passes to a client component are serialised into the page's payload: a
    /// secret passed that way is readable in every visitor's browser.
    ///
    /// ## Example
    /// ```sh
    /// # .env.local
    /// NEXT_PUBLIC_CLERK_SECRET_KEY=sk_live_…
    /// ```
    /// ```js
    /// // next.config.js
    /// module.exports = { env: { CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY } }
    /// ```
    /// ```tsx
    /// // app/billing/page.tsx (a server component); BillingForm is 'use client'
    /// return <BillingForm stripeKey={process.env.STRIPE_SECRET_KEY} />
    /// ```
    ///
    /// ## Use instead
    /// ```sh
    /// CLERK_SECRET_KEY=sk_live_…
    /// NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_…
    /// ```
    /// and read `CLERK_SECRET_KEY` only in server code. Only the publishable key is meant for
    /// the browser. Give client components the results of server work (or a server action to
    /// call), never the secret:
    /// ```tsx
    /// return <BillingForm createCheckout={createCheckout} /> // a 'use server' action
    /// ```
    ///
    /// ## References
    /// - https://nextjs.org/docs/app/guides/environment-variables
    /// - https://nextjs.org/docs/app/api-reference/config/next-config-js/env
    pub struct SecretKeyExposedEnv {
        id: "secret-key-exposed-env",
        group: Group::Secrets,
        severity: Severity::Error,
        summary: "A secret in a variable that gets inlined into the client bundle",
        keywords: &["PUBLIC_", "VITE_", "env", "extra"],
    }
}

impl Rule for SecretKeyExposedEnv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fixes(&self, cx: &crate::fix::FixCx, f: &Finding) -> Vec<crate::fix::Fix> {
        crate::fix::edit::rename_public_env(cx, f)
            .into_iter()
            .collect()
    }

    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let facts = cx.facts;
        if facts.origin.build_output {
            return;
        }
        if facts.kind == FileKind::Env {
            check_env_file(facts, out);
        }
        if facts.is_next_config() {
            check_next_config(facts, out);
        }
        check_reads(cx, out);
        check_props(cx, out);
        check_expo_extra(facts, out);
    }
}

fn finding(facts: &FileFacts, span: Span, message: String, help: &str) -> Finding {
    Finding::new(
        SecretKeyExposedEnv::META.id,
        SecretKeyExposedEnv::META.severity,
        &*facts.rel,
    )
    .at(span)
    .message(message)
    .help(help)
}

fn key_in(facts: &FileFacts, span: Span) -> Option<&crate::facts::KeyHit> {
    facts
        .keys()
        .iter()
        .find(|k| k.kind.is_secret() && k.span.start >= span.start && k.span.end <= span.end)
}

fn check_env_file(facts: &FileFacts, out: &mut Vec<Finding>) {
    let file = file_name(&facts.rel);
    for entry in facts.env_entries() {
        let Some(prefix) = public_env_prefix(&entry.name) else {
            continue;
        };
        let key = key_in(facts, entry.value_span);
        let named_secret = entry.name.to_ascii_uppercase().contains("SECRET");
        let holds_value = !entry.value.trim().is_empty();
        if key.is_none() && (!named_secret || !holds_value) {
            continue;
        }
        let what = match key {
            Some(k) => format!("holds {}", k.describe()),
            None => "is named as a secret".to_string(),
        };
        let server_name = entry.name.strip_prefix(prefix).unwrap_or(&entry.name);
        out.push(
            finding(
                facts,
                entry.name_span,
                format!(
                    "`{}` in `{file}` {what}, and the `{prefix}` prefix inlines it into the client bundle",
                    entry.name
                ),
                &format!(
                    "rename it without the public prefix (e.g. `{server_name}`), read it only in \
                     server code, and rotate the key if it was ever built"
                ),
            )
            .anchor(entry.name.clone()),
        );
    }
}

fn check_next_config(facts: &FileFacts, out: &mut Vec<Finding>) {
    for entry in facts.config_env() {
        let secret_read = entry.reads.iter().find(|r| is_secret_env_name(r));
        let key = key_in(facts, entry.value_span);
        let named_secret = entry.name.to_ascii_uppercase().contains("SECRET");
        let reason = if let Some(k) = key {
            format!("holds {}", k.describe())
        } else if let Some(read) = secret_read {
            format!("carries the secret `{read}`")
        } else if named_secret {
            "is named as a secret".to_string()
        } else {
            continue;
        };
        out.push(
            finding(
                facts,
                entry.span,
                format!(
                    "`env.{}` in next.config {reason}; Next.js inlines every `env` entry into the client bundle",
                    entry.name
                ),
                "remove the entry from `env`: server code reads `process.env` directly, and \
                 only `NEXT_PUBLIC_` values are meant for the browser",
            )
            .anchor(format!("env.{}", entry.name)),
        );
    }
}

/// How many of the other variables a module's grouped finding names.
const OTHER_READS_NAMED: usize = 5;

/// The finding of a module's reads that leave a secret `undefined` in the browser, for one
/// way into it (an import chain, or why the module itself ships).
struct Shipped<'a> {
    way: String,
    finding: Finding,
    /// The variable of the first read.
    name: &'a str,
    /// The reads after the first: variable and span.
    others: Vec<(&'a str, Span)>,
}

fn check_reads(cx: &FileCx<'_>, out: &mut Vec<Finding>) {
    let facts = cx.facts;
    // Reads the bundler leaves `undefined` share one finding per module and way into the
    // browser (at the first read, naming the others): taking the module out of the client
    // bundle fixes them all. An inlined value is reported at each read.
    let mut shipped: Vec<Shipped<'_>> = Vec::new();
    for read in facts.env_reads() {
        if let Some(prefix) = public_env_prefix(&read.name) {
            if read.name.to_ascii_uppercase().contains("SECRET") {
                out.push(
                    finding(
                        facts,
                        read.span,
                        format!(
                            "`{}` is read here: a secret under the `{prefix}` prefix is inlined into the client bundle",
                            read.name
                        ),
                        "use a server-only variable (no public prefix) and read it only in server code",
                    )
                    .anchor(read.name.clone()),
                );
            }
            continue;
        }
        if !is_secret_env_name(&read.name) {
            continue;
        }
        let Some(exp) = exposure(cx.project, facts, read.span) else {
            continue;
        };
        // `@t3-oss/env-nextjs`: `runtimeEnv: { X: process.env.X }` wires a schema whose server
        // variables throw when read in the browser (where Next.js leaves them undefined).
        if matches!(exp, Exposure::Chain { .. }) && uses_t3_env(facts) {
            continue;
        }
        let message = match &exp {
            Exposure::Direct(_) if facts.is_client_module() => format!(
                "The secret `{}` is read in a 'use client' module, which runs in the browser",
                read.name
            ),
            Exposure::Direct(reason) => {
                format!("The secret `{}` is read in {reason}", read.name)
            }
            Exposure::Chain { chain, .. } => format!(
                "The secret `{}` is read in `{}`, which ships to the browser: {chain}",
                read.name, facts.rel
            ),
        };
        // Without a public prefix the bundler leaves the read `undefined` in the browser,
        // unless a next.config `env` entry of that name inlines it: only then is the value
        // itself in the bundle.
        let inlined = inlining_config(cx.project, facts, &exp, &read.name);
        let way = match &exp {
            Exposure::Direct(reason) => *reason,
            Exposure::Chain { chain, .. } => chain.as_str(),
        };
        if inlined.is_none()
            && let Some(group) = shipped.iter_mut().find(|g| g.way == way)
        {
            group.others.push((&read.name, read.span));
            continue;
        }
        let (message, severity) = match inlined {
            Some(config) => (
                format!(
                    "{message}; `env.{}` in `{config}` inlines it, so its value is in the bundle",
                    read.name
                ),
                Severity::Error,
            ),
            None => (
                format!(
                    "{message}; without a public prefix the bundler leaves it `undefined` there, so the value does not ship, but the server code that needs it does"
                ),
                Severity::Warning,
            ),
        };
        let mut f = finding(
            facts,
            read.span,
            message,
            "move this code to a route handler, server action or server component, and \
             pass only non-secret results to the client",
        )
        .anchor(read.name.clone());
        f.severity = severity;
        let f = with_chain(f, &exp);
        match inlined {
            Some(_) => out.push(f),
            None => shipped.push(Shipped {
                way: way.to_string(),
                finding: f,
                name: &read.name,
                others: Vec::new(),
            }),
        }
    }
    for Shipped {
        finding: mut f,
        name: first,
        others,
        ..
    } in shipped
    {
        if !others.is_empty() {
            let mut names: Vec<&str> = Vec::new();
            for (name, _) in &others {
                if !names.contains(name) {
                    names.push(name);
                }
            }
            let listed: Vec<String> = names
                .iter()
                .take(OTHER_READS_NAMED)
                .map(|n| {
                    if *n == first {
                        format!("`{n}` again")
                    } else {
                        format!("`{n}`")
                    }
                })
                .collect();
            let rest = names.len().saturating_sub(OTHER_READS_NAMED);
            f.message = format!(
                "{}; {} more secret {} in this module: {}{}",
                f.message,
                others.len(),
                if others.len() == 1 { "read" } else { "reads" },
                listed.join(", "),
                if rest > 0 {
                    format!(" and {rest} more")
                } else {
                    String::new()
                }
            );
            for (name, span) in others {
                f = f.related(&*facts.rel, Some(span), format!("also reads `{name}`"));
            }
        }
        out.push(f);
    }
}

/// The next.config file whose `env` has an entry named `name`, of the app the reading module
/// belongs to or of the app whose client code imports it (the chain's root): Next.js replaces
/// `process.env.<name>` with that entry's value in the bundles it builds.
fn inlining_config<'p>(
    project: &'p Project,
    facts: &FileFacts,
    exp: &Exposure,
    name: &str,
) -> Option<&'p str> {
    let root = match exp {
        Exposure::Chain { locations, .. } => locations.first().map(|(path, _, _)| path.as_str()),
        Exposure::Direct(_) => None,
    };
    let mut apps: Vec<usize> = std::iter::once(&*facts.rel)
        .chain(root)
        .filter_map(|rel| project.app_of(rel))
        .collect();
    apps.dedup();
    apps.into_iter()
        .flat_map(|a| project.files_of_app(a))
        .map(|(_, f)| f)
        .find(|f| f.is_next_config() && f.config_env().iter().any(|e| e.name == name))
        .map(|f| &*f.rel)
}

fn uses_t3_env(facts: &FileFacts) -> bool {
    facts
        .imports()
        .iter()
        .any(|i| i.source.starts_with("@t3-oss/env-"))
}

/// `<Widget secret={process.env.X} />` in a server component, `Widget` a client component.
fn check_props(cx: &FileCx<'_>, out: &mut Vec<Finding>) {
    let facts = cx.facts;
    let p = cx.project;
    let jsx = facts.kind.lang().is_some_and(|l| l.has_jsx());
    if !jsx
        || facts.is_client_module()
        || !facts
            .env_reads()
            .iter()
            .any(|r| public_env_prefix(&r.name).is_none() && is_secret_env_name(&r.name))
        || !facts.text().contains('<')
    {
        return;
    }
    // A module that ships itself is reported for the read.
    if let Some(id) = p.file_index(&facts.rel)
        && p.client_set().contains(id)
    {
        return;
    }
    let Some(g) = facts.gates() else { return };
    for prop in &g.secret_props {
        let Some(target) = client_component(p, facts, &prop.element, &g.dynamic) else {
            continue;
        };
        let t = &p.files[target];
        let mut f = finding(
            facts,
            prop.span,
            format!(
                "The secret `{}` is passed as the prop `{}` of `<{}>`, a client component \
                 (`{}`): React serialises client props into the page, so every visitor can read it",
                prop.env, prop.attribute, prop.element, t.rel
            ),
            "keep the secret on the server: do the work in this server component, a route \
             handler or a server action, and pass the client component only the result",
        )
        .anchor(format!("{}={}", prop.attribute, prop.env))
        .label("serialised to the browser");
        if let Some((_, span)) = t.directive() {
            f = f.related(
                t.rel.to_string(),
                Some(span),
                "'use client': its props are sent to the browser",
            );
        }
        out.push(f);
    }
}

/// The `'use client'` module a JSX element name of a file renders, if it is one.
fn client_component(
    p: &Project,
    facts: &FileFacts,
    element: &str,
    dynamic: &[(String, String)],
) -> Option<usize> {
    let target = if let Some((_, spec)) = dynamic.iter().find(|(n, _)| n == element) {
        match p.resolver().resolve_target(&facts.rel, spec) {
            crate::project::resolve::Target::File(t) => t,
            _ => return None,
        }
    } else {
        let (rel, _) = p.resolve_binding(&facts.rel, element)?;
        p.file_index(&rel)?
    };
    p.files
        .get(target)
        .is_some_and(FileFacts::is_client_module)
        .then_some(target)
}

/// `app.json`, `app.config.js`/`.ts`/…: Expo's app configuration, whose `extra` object is
/// embedded in the app manifest on every device (`Constants.expoConfig.extra`).
fn is_expo_config(rel: &str) -> bool {
    let name = file_name(rel);
    name == "app.json"
        || name
            .strip_prefix("app.config.")
            .is_some_and(|ext| matches!(ext, "js" | "ts" | "mjs" | "cjs" | "mts" | "cts"))
}

/// A secret in the `extra` of Expo's app configuration: a secret key written there, a
/// secret environment variable read into it, or an entry named as a secret with a value.
fn check_expo_extra(facts: &FileFacts, out: &mut Vec<Finding>) {
    if !is_expo_config(&facts.rel) || !facts.hits.has("extra") {
        return;
    }
    let text = facts.text();
    let file = file_name(&facts.rel);
    let help = "keep secrets out of `extra`: the app manifest ships inside every build; call a \
                server that holds the key instead, and rotate the key if it was ever built";
    for range in extra_objects(&text) {
        let inside = |s: Span| s.start >= range.start && s.end <= range.end;
        let mut reported = Vec::new();
        for k in facts
            .keys()
            .iter()
            .filter(|k| k.kind.is_secret() && inside(k.span))
        {
            reported.push(k.span);
            out.push(
                finding(
                    facts,
                    k.span,
                    format!(
                        "`extra` of `{file}` holds {}, and Expo embeds `extra` in the app manifest on every device",
                        k.describe()
                    ),
                    help,
                )
                .anchor(k.redacted.clone()),
            );
        }
        for r in facts.env_reads().iter().filter(|r| inside(r.span)) {
            if public_env_prefix(&r.name).is_some() || !is_secret_env_name(&r.name) {
                continue;
            }
            out.push(
                finding(
                    facts,
                    r.span,
                    format!(
                        "`extra` of `{file}` carries the secret `{}`, and Expo embeds `extra` in the app manifest on every device",
                        r.name
                    ),
                    help,
                )
                .anchor(format!("extra {}", r.name)),
            );
        }
        for (name, span) in secret_named_entries(&text, range.clone()) {
            if reported
                .iter()
                .any(|k| k.start > span.start && k.start - span.start < 256)
            {
                continue;
            }
            out.push(
                finding(
                    facts,
                    span,
                    format!(
                        "`extra.{name}` of `{file}` is named as a secret, and Expo embeds `extra` in the app manifest on every device"
                    ),
                    help,
                )
                .anchor(format!("extra.{name}")),
            );
        }
    }
}

/// The byte ranges of the `extra` objects of a configuration text (`"extra": {…}`,
/// `extra: {…}`), matched by braces outside strings.
fn extra_objects(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices("extra") {
        let before = bytes.get(i.wrapping_sub(1)).copied();
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
            continue;
        }
        let rest = text[i + "extra".len()..].trim_start_matches(['"', '\'']);
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        if !rest.starts_with('{') {
            continue;
        }
        let open = text.len() - rest.len();
        if let Some(close) = matching_brace(bytes, open) {
            out.push(open..close + 1);
        }
    }
    out
}

/// The index of the `}` that closes the `{` at `open` (strings and escapes skipped).
fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' | b'`' => quote = Some(b),
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Entries of an object text whose key is named as a secret and whose value is a non-empty
/// string literal: (key, span of the key).
fn secret_named_entries(text: &str, range: std::ops::Range<usize>) -> Vec<(String, Span)> {
    static ENTRY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"["']?([A-Za-z_$][A-Za-z0-9_$]*)["']?\s*:\s*["'`]([^"'`\s]+)["'`]"#)
            .expect("valid regex")
    });
    let Some(body) = text.get(range.clone()) else {
        return Vec::new();
    };
    ENTRY
        .captures_iter(body)
        .filter_map(|c| {
            let key = c.get(1)?;
            key.as_str()
                .to_ascii_uppercase()
                .contains("SECRET")
                .then(|| {
                    (
                        key.as_str().to_string(),
                        Span::new(range.start + key.start(), range.start + key.end()),
                    )
                })
        })
        .collect()
}
