//! Per-file facts of the frameworks beside Next.js, taken from the one parse of the file
//! (`FileFacts::parse_code`): each framework's registrations (routes, plugins, route modules'
//! exports, server functions) for its adapter in `project::frameworks`. Whether a handler
//! verifies the session is never decided here: that is the one function summary's job
//! (`facts::code` steps, `project::guards`).

pub mod astro;
pub mod express;
pub mod fastify;
pub mod nuxt;
pub mod react_router;
pub mod tanstack;

use serde::{Deserialize, Serialize};

use crate::facts::code::CodeFacts;
use crate::prefilter::Hits;
use crate::source::Lang;

/// What an extractor reads: the file, its tree and the code facts already taken from it.
pub struct Input<'a> {
    pub rel: &'a str,
    pub lang: Lang,
    pub tree: &'a tree_sitter::Tree,
    pub text: &'a str,
    pub code: &'a CodeFacts,
    pub hits: &'a Hits,
}

/// Every framework's facts of one file (`None` where the file has nothing of it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkFacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub express: Option<express::Facts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fastify: Option<fastify::Facts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub react_router: Option<react_router::Facts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub astro: Option<astro::Facts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nuxt: Option<nuxt::Facts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tanstack: Option<tanstack::Facts>,
}

/// Whether a method name registers a route handler or middleware on an app or router
/// (`app.get`, `router.use`, `fastify.route`): the code facts summarise the functions handed
/// to it, as they do an exported handler.
pub fn is_registration_method(name: &str) -> bool {
    express::METHODS.contains(&name) || fastify::METHODS.contains(&name)
}

/// Whether a key of an options object handed to a registration holds a request handler or a
/// hook (`fastify.route({ handler, preHandler })`, `fastify.get(url, { onRequest }, fn)`).
pub fn is_registration_key(key: &str) -> bool {
    key == "handler" || fastify::PRE_HOOKS.contains(&key)
}

/// Whether some framework needs this file parsed eagerly (its entries or registrations).
pub fn wants(rel: &str, hits: &Hits) -> bool {
    express::wants(rel, hits)
        || fastify::wants(rel, hits)
        || react_router::wants(rel, hits)
        || astro::wants(rel, hits)
        || nuxt::wants(rel, hits)
        || tanstack::wants(rel, hits)
}

pub fn extract(input: &Input<'_>) -> FrameworkFacts {
    FrameworkFacts {
        express: express::extract(input),
        fastify: fastify::extract(input),
        react_router: react_router::extract(input),
        astro: astro::extract(input),
        nuxt: nuxt::extract(input),
        tanstack: tanstack::extract(input),
    }
}
