//! Nuxt facts of one file (see `facts::frameworks`): a server middleware's default export
//! when it is Clerk's `clerkMiddleware(handler)` (read with the one middleware analysis,
//! `facts::middleware`). Server handlers need nothing beyond the module's default export,
//! which the code facts already hold.

use serde::{Deserialize, Serialize};

use super::Input;
use crate::facts::middleware::{self, MiddlewareKind};
use crate::prefilter::Hits;

/// What the Nuxt adapter needs from one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The default export of a `server/middleware/*` file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middleware: Option<MiddlewareKind>,
}

/// The folder of a Nuxt server file: `api`, `routes` or `middleware` (below `server/`).
pub fn server_dir(rel: &str) -> Option<&'static str> {
    crate::source::Lang::from_path(rel)?;
    ["api", "routes", "middleware"].into_iter().find(|d| {
        let p = format!("server/{d}/");
        rel.starts_with(&p) || rel.contains(&format!("/{p}"))
    })
}

/// Whether the file must be parsed for Nuxt.
pub fn wants(rel: &str, hits: &Hits) -> bool {
    let _ = hits;
    server_dir(rel).is_some()
}

pub fn extract(input: &Input<'_>) -> Option<Facts> {
    if server_dir(input.rel)? != "middleware" {
        return None;
    }
    let export = input.code.export("default")?;
    let kind = middleware::analyse(
        input.tree.root_node(),
        input.text,
        input.code,
        &export.target,
    );
    Some(Facts {
        middleware: Some(kind),
    })
}

#[cfg(test)]
mod tests {
    use super::server_dir;

    #[test]
    fn dirs() {
        assert_eq!(server_dir("server/api/users/[id].get.ts"), Some("api"));
        assert_eq!(server_dir("apps/web/server/routes/feed.ts"), Some("routes"));
        assert_eq!(server_dir("server/middleware/clerk.ts"), Some("middleware"));
        assert_eq!(server_dir("server/utils/auth.ts"), None);
        assert_eq!(server_dir("server/api/README.md"), None);
    }
}
