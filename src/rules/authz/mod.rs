//! Authorization: signed in is not the same as allowed — roles for admin operations,
//! membership for organization data, and patched versions of what checks both.

pub mod missing_role_check;
pub mod org_scope_unchecked;
pub mod sensitive_action_without_reverification;
pub mod vulnerable_dependency;

use crate::project::routes::Entry;

/// How a finding names an entry: `` `DELETE /api/admin/users` ``, `` server action `ban` ``.
pub fn describe_entry(e: &Entry) -> String {
    e.describe()
}

/// A finding about an operation an entry reaches: on the entry's route, and pointing at the
/// operation itself when a helper performs it.
pub fn at_operation(
    mut f: crate::finding::Finding,
    project: &crate::project::Project,
    e: &Entry,
    op: &crate::project::authz::ReachedOp,
) -> crate::finding::Finding {
    if let Some(url) = &e.url {
        f = f.route(url.clone());
    }
    if !op.via.is_empty() {
        f = f.related(
            project.files[op.op_file].rel.to_string(),
            Some(op.op_span),
            format!("`{}()` runs here", op.call),
        );
    }
    f
}
