//! Rules reported by `clerk-guard probe`, which sends requests to the running app. They are in
//! the registry (ids, docs, severities, `[rules]` levels, suppressions, SARIF metadata) but
//! never fire in `scan`: their `check_*` methods are empty, and `crate::probe` builds their
//! findings from the answers it gets.

pub mod probe_contradiction;
pub mod probe_open_endpoint;
pub mod probe_org_bypass;
pub mod probe_role_bypass;

use super::{Group, RULES};

/// Whether a selector names a probe rule or the `probe` group (not `all`): a suppression of
/// one is not "unused" just because `scan` does not run probes.
pub fn is_probe_selector(selector: &str) -> bool {
    selector == Group::Probe.as_str()
        || RULES
            .iter()
            .any(|r| r.meta().group == Group::Probe && r.meta().id == selector)
}
