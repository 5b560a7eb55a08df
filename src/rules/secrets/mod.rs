//! Leaked Clerk secret keys.

pub mod hardcoded_secret_key;
pub mod secret_key_exposed_env;
pub mod secret_key_in_client;
pub mod secret_key_in_history;
pub mod test_key_in_production;

use crate::facts::{FileFacts, KeyHit};
use crate::source::file_name;

/// Why a key in this file reaches browsers, if it does: the client-side reason.
pub fn client_exposure(facts: &FileFacts) -> Option<&'static str> {
    if facts.origin.build_output {
        Some("built client output that every visitor downloads")
    } else if facts.origin.public_asset {
        Some("a file under `public/` that is served to anyone")
    } else if facts.is_client_module() {
        Some("a 'use client' module, which ships to every visitor")
    } else {
        None
    }
}

/// Whether the file is Clerk's keyless-mode state file.
pub fn is_keyless_file(rel: &str) -> bool {
    rel == ".clerk/.tmp/keyless.json" || rel.ends_with("/.clerk/.tmp/keyless.json")
}

/// The secret-key hits of a file (not publishable keys).
pub fn secret_hits(facts: &FileFacts) -> impl Iterator<Item = &KeyHit> {
    facts.keys.iter().filter(|k| k.kind.is_secret())
}

/// `.env.local`, `.env.development.local`, …: the intended home of keys when gitignored.
pub fn is_local_env(rel: &str) -> bool {
    file_name(rel).ends_with(".local")
}
