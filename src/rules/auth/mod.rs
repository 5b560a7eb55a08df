//! Server entry points that do not verify the session.

pub mod auth_result_unchecked;
pub mod unprotected_route_handler;
pub mod unprotected_server_action;

use crate::project::Project;
use crate::project::routes::Entry;

/// Whether the app of an entry uses Clerk (Clerk rules apply only there).
pub fn clerk_app(project: &Project, entry: &Entry) -> bool {
    project.app_uses_clerk(entry.app)
}
