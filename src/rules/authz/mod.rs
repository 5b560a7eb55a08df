//! Authorization: signed in is not the same as allowed — roles for admin operations,
//! membership for organization data, and patched versions of what checks both.

pub mod missing_role_check;
pub mod org_scope_unchecked;
pub mod sensitive_action_without_reverification;
pub mod vulnerable_dependency;

use crate::project::routes::{Entry, EntryKind};

/// How a finding names an entry: `` `DELETE /api/admin/users` ``, `` server action `ban` ``.
pub fn describe_entry(e: &Entry) -> String {
    let url = e.url.as_deref().unwrap_or("/");
    match e.kind {
        EntryKind::RouteHandler => format!("`{} {url}`", e.symbol),
        EntryKind::PagesApi => format!("`{url}` (pages/api)"),
        EntryKind::ServerAction => format!("Server action `{}`", e.symbol),
        EntryKind::Page => format!("The page `{url}`"),
    }
}

/// An entry called by a machine, not a user: a webhook that verifies its signature, or a
/// handler guarded by a shared secret (cron jobs, internal calls). Roles and organizations
/// do not apply to it.
pub fn machine_caller(e: &Entry) -> bool {
    e.protection.is_machine() || e.check.machine.is_some()
}
