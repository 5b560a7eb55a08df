//! The client/server boundary: server code that ends up in the browser bundle, and pages
//! whose only gate runs in the browser.

pub mod client_only_auth;
pub mod server_only_in_client;
