use crate::declare_rule;
use crate::finding::{Finding, Severity, Span};
use crate::project::Project;
use crate::project::advisories::{Basis, advisories, feature_use, installed};
use crate::rules::{Group, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an installed `next` or Clerk SDK (`@clerk/nextjs`, `@clerk/backend`,
    /// `@clerk/shared`, `@clerk/express`, `@clerk/clerk-js`, `@clerk/astro`, `@clerk/nuxt`)
    /// whose version is in the affected range of a known authentication, authorization or
    /// middleware advisory (or a critical advisory of `next`) **and** whose app uses the
    /// affected feature:
    ///
    /// | Advisory | Affected when the app… |
    /// | --- | --- |
    /// | CVE-2024-22206 (`@clerk/nextjs` 4.7.0–4.29.2) | calls `auth()` or `getAuth()` |
    /// | CVE-2025-53548 (`@clerk/backend` 2.0.0–2.3.x, `@clerk/nextjs` < 6.23.3) | calls `verifyWebhook()` |
    /// | CVE-2026-41248 (`@clerk/nextjs` < 5.7.6 / 6.39.2 / 7.2.1, `@clerk/shared`, `@clerk/astro`, `@clerk/nuxt`) | gates routes with `createRouteMatcher` in its middleware (Next.js's `middleware`/`proxy`, Astro's `onRequest`, Nuxt's server middleware) |
    /// | CVE-2026-42349 (`@clerk/nextjs` ≤ 6.39.2 / 7.2.3, `@clerk/shared`, `@clerk/backend`, `@clerk/clerk-js`, `@clerk/express`, `@clerk/astro`, `@clerk/nuxt`) | mixes `role`/`permission`/… with `unauthorizedUrl`/`unauthenticatedUrl`/`token` (or several criteria) in one `auth.protect({…})`/`has({…})` object |
    /// | CVE-2025-29927 (`next` 11.1.4–15.2.2) | has a route protected by the middleware alone |
    /// | CVE-2026-44575 (`next` 15.2.0–15.5.15, 16.0.0–16.2.4) | has an App Router page protected by the middleware alone (`.rsc` and segment-prefetch URLs are variants of a page's URL) |
    /// | GHSA-26hh-7cqf-hhc6 (`next` 16.0.0–16.2.5; 15.2.0–15.5.17, range unconfirmed) | the same |
    /// | GHSA-6gpp-xcg3-4w24 (`next` 16.0.0–16.2.10) | has an App Router route or page protected by the middleware alone, and `next.config.*` sets `i18n.locales` to a single locale (Turbopack builds: not checked) |
    /// | CVE-2026-44574 (`next` 15.4.0–15.5.15, 16.0.0–16.2.4) | has a dynamic route (`[id]`) protected by the middleware alone |
    /// | CVE-2025-57822 (`next` < 14.2.32, 15.0.0–15.4.6) | passes headers to `NextResponse.next({ headers })` in its middleware: reported at that line |
    /// | CVE-2025-66478 / CVE-2025-55182 (`next` 15.x before each minor's fix, 16.0.0–16.0.6) | has an App Router (`app/`); without one: a warning (not exploitable until an `app/` route is added) |
    /// | `@clerk/express` < 2.1.25 (changelog, PR #8804) | runs `clerkMiddleware()`, `requireAuth()` or `getAuth()` of `@clerk/express` outside test files (called or handed to a call; error when it also uses Passport, express-jwt or express-openid-connect, which set `req.auth`) |
    /// | `@clerk/backend` 1.0.0–3.11.0 (changelog, PR #8877) | sets `authorizedParties` (a token without `azp` skipped the check) |
    ///
    /// A route or page is "protected by the middleware alone" when the middleware protects it
    /// and it would serve something of its own to a request the middleware lets through.
    /// Not counted:
    /// - a page the server renders no data for: a `'use client'` page, a Pages Router page
    ///   without `getServerSideProps`, a page that renders only a Clerk widget, client
    ///   components, or components that reach nothing only the server has (of a component the
    ///   page renders, only that component's code counts: a class-name helper or a component
    ///   a library builds, such as `styled.hr`, is no data);
    /// - a page whose data comes through a project function that turns a signed-out request
    ///   away (followed into the server components it renders, two levels deep);
    /// - a page whose work reaches data only through server actions the middleware does not
    ///   protect, called or handed to a library (`prefetchQuery({ queryFn: listProducts })`):
    ///   an action is an endpoint of its own, so what the page renders from it any caller
    ///   gets without the page (and its own check, if it has one, holds here too);
    /// - a route handler serving a tRPC router whose every procedure checks the session or
    ///   does no work (a health check's constant), whichever procedure the request names;
    /// - for the advisories whose bypass skips the middleware altogether (all but
    ///   CVE-2026-44574), an entry that reads the session with `auth()`, `getAuth()` or
    ///   `currentUser()`, itself, through the project functions it calls, or in the request
    ///   context of the router it serves (tRPC's `createContext`): without the middleware
    ///   these throw, so the request fails closed.
    ///
    /// The version comes from the lockfile (`package-lock.json`, `pnpm-lock.yaml`, `yarn.lock`,
    /// `bun.lock`). Without one, the `package.json` range is read with npm's semantics (`^`,
    /// `~`, `6.x`, `6.35.0 - 6.40.0`, `<6.39.2`, `||`) and the advisory is checked against the
    /// **lowest version the range allows**, which the message says (`6.x` → 6.0.0); a range
    /// with no lower bound (`<6.39.2`) is checked against the first affected version of the
    /// newest affected release line it allows (6.0.0 for CVE-2026-41248). Only an exact
    /// version (`6.39.1`) is called pinned. Bun's binary `bun.lockb` is not read: the message
    /// names it beside the range's version, which is then unknown rather than undeclared. The
    /// finding points at the dependency in `package.json` (CVE-2025-57822: at the middleware
    /// line); the message names
    /// the advisory, the version and the first fixed version of its release line.
    ///
    /// Severity is `error`, except a `warning` when the app uses the feature in a form the
    /// advisory reports as not exploitable (CVE-2026-41248 with the allow-list middleware
    /// `if (!isPublicRoute(req)) await auth.protect()`; `@clerk/express` without a library that
    /// sets `req.auth`; CVE-2026-41248 with a middleware callback the analysis does not follow,
    /// such as one that gates each entry of a table of routes in a loop, when the file calls
    /// `createRouteMatcher`), or when the affected range is not confirmed by a primary source. The
    /// table is data: `data/advisories.toml` (id, aliases, package, ranges, fixed versions,
    /// condition, sources, notes on what is unconfirmed), extended without code changes.
    ///
    /// ## Why is this bad?
    /// These advisories are authentication bypasses: a crafted URL or header skips the
    /// middleware, a forged webhook is accepted, a role check is silently dropped, or (the RSC
    /// advisory) any request runs code on the server. An app
    /// that relies on the affected feature is exposed until it upgrades; one that does not use
    /// it is not reported, so every finding is actionable.
    ///
    /// ## Example
    /// ```json
    /// { "dependencies": { "@clerk/nextjs": "6.35.0", "next": "15.5.6" } }
    /// ```
    /// with a middleware that does `if (isProtectedRoute(req)) await auth.protect()`.
    ///
    /// ## Use instead
    /// ```json
    /// { "dependencies": { "@clerk/nextjs": "6.39.3", "next": "15.5.18" } }
    /// ```
    /// then refresh the lockfile — and check the session in each handler too, so a middleware
    /// bypass exposes nothing.
    ///
    /// ## References
    /// - https://github.com/clerk/javascript/security/advisories
    /// - https://osv.dev/GHSA-vqx2-fgx2-5wq9
    /// - https://clerk.com/changelog/2025-07-09-cve-2025-53548
    /// - https://clerk.com/changelog/2024-02-02
    /// - https://github.com/vercel/next.js/security/advisories/GHSA-f82v-jwr5-mffw
    /// - https://github.com/vercel/next.js/security/advisories/GHSA-267c-6grr-h53f
    /// - https://github.com/vercel/next.js/security/advisories/GHSA-492v-c6pp-mqqv
    /// - https://github.com/vercel/next.js/security/advisories/GHSA-4342-x723-ch2f
    /// - https://github.com/vercel/next.js/security/advisories/GHSA-9qr9-h5gf-34mp
    /// - https://github.com/clerk/javascript/security/advisories/GHSA-w24r-5266-9c3c
    pub struct VulnerableDependency {
        id: "vulnerable-dependency",
        group: Group::Authz,
        severity: Severity::Error,
        summary: "An installed Clerk or Next.js version with a known auth (or critical Next.js) advisory whose feature the app uses",
        keywords: &[],
    }
}

/// The span of `"<package>"` as a key in a `package.json`.
pub(crate) fn dependency_span(text: &str, package: &str) -> Option<Span> {
    let needle = format!("\"{package}\"");
    let mut from = 0;
    while let Some(i) = text[from..].find(&needle) {
        let at = from + i;
        let end = at + needle.len();
        if text[end..].trim_start().starts_with(':') {
            return Some(Span::new(at, end));
        }
        from = end;
    }
    None
}

impl Rule for VulnerableDependency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, project: &Project, out: &mut Vec<Finding>) {
        // Several advisories share a condition: decide each (app, condition) once.
        let mut uses = std::collections::HashMap::new();
        for (i, app) in project.apps.iter().enumerate() {
            let Some(pkg) = app.package_json.clone() else {
                continue;
            };
            for adv in advisories() {
                for aff in &adv.affected {
                    let Some(inst) = installed(app, &aff.package) else {
                        continue;
                    };
                    let Some((version, basis)) = aff.affected_version(inst) else {
                        continue;
                    };
                    let Some(usage) = uses
                        .entry((i, adv.condition))
                        .or_insert_with(|| feature_use(project, i, adv.condition))
                        .clone()
                    else {
                        continue;
                    };
                    let severity = if usage.exploitable && !aff.unconfirmed {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    let fixed = match aff.fixed_for(version) {
                        Some(v) => format!("fixed in {v}"),
                        None => "no fixed release is listed".to_string(),
                    };
                    let range = inst.range.as_deref().unwrap_or("");
                    let from = match basis {
                        Basis::Locked => format!("installed per `{}`", inst.source),
                        Basis::Pinned => {
                            format!(
                                "pinned to `{range}` in `{}`; {}",
                                inst.source,
                                inst.no_lock()
                            )
                        }
                        Basis::Lowest if range.is_empty() => {
                            format!("from `{}`; {}", inst.source, inst.no_lock())
                        }
                        Basis::Lowest => format!(
                            "the lowest version the range `{range}` in `{}` allows; {}",
                            inst.source,
                            inst.no_lock()
                        ),
                        Basis::Unbounded => format!(
                            "the range `{range}` in `{}` sets no lower bound and allows this affected version; {}",
                            inst.source,
                            inst.no_lock()
                        ),
                    };
                    let unconfirmed = match (aff.unconfirmed, &aff.note) {
                        (true, Some(note)) => format!(" (affected range unconfirmed: {note})"),
                        (true, None) => " (affected range unconfirmed)".to_string(),
                        _ => String::new(),
                    };
                    let dep_span = project
                        .file(&pkg)
                        .and_then(|f| dependency_span(&f.text(), &aff.package));
                    // Where the finding points: the dependency, or the use itself when the use
                    // is what makes the app vulnerable (see `FeatureUse::report_at_use`).
                    let (file, span, related) = match &usage.at {
                        Some((path, Some(span))) if usage.report_at_use => (
                            path.clone(),
                            Some(*span),
                            (
                                pkg.clone(),
                                dep_span,
                                format!("`{}` {version} is declared here", aff.package),
                            ),
                        ),
                        other => (
                            pkg.clone(),
                            dep_span,
                            match other {
                                Some((path, span)) => (
                                    path.clone(),
                                    *span,
                                    "the affected feature is used here".to_string(),
                                ),
                                None => (String::new(), None, String::new()),
                            },
                        ),
                    };
                    let mut f = Finding::new(Self::META.id, severity, &file)
                        .message(format!(
                            "`{}` {} ({from}) is affected by {}, {}: {}; {}; {fixed}{unconfirmed}",
                            aff.package,
                            version,
                            adv.name(),
                            adv.severity,
                            adv.summary,
                            usage.what,
                        ))
                        .help(match aff.fixed_for(version) {
                            Some(v) => format!(
                                "upgrade `{}` to {v} or later and refresh the lockfile; \
                                 see {}",
                                aff.package,
                                adv.sources.first().map(String::as_str).unwrap_or("")
                            ),
                            None => format!(
                                "upgrade `{}` past the affected range; see {}",
                                aff.package,
                                adv.sources.first().map(String::as_str).unwrap_or("")
                            ),
                        })
                        .label(format!("{version} {}", adv.id))
                        .anchor(format!("{} {} {}", adv.id, aff.package, app.root));
                    if let Some(span) = span {
                        f = f.at(span);
                    }
                    let (rel_path, rel_span, rel_message) = related;
                    if !rel_path.is_empty() {
                        f = f.related(rel_path, rel_span, rel_message);
                    }
                    out.push(f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_key_not_value() {
        let t = r#"{ "name": "next", "dependencies": { "next": "15.5.6" } }"#;
        let s = dependency_span(t, "next").unwrap();
        assert_eq!(&t[s.start..s.end], "\"next\"");
        assert!(s.start > 20);
        assert!(dependency_span(t, "@clerk/nextjs").is_none());
    }
}
