//! Contents that differ from the disk: a staged blob, an editor buffer. Each becomes the
//! `FileFacts` of its path (through `facts::extract`, as on disk) and replaces that file in the
//! project model with `Project::upsert`.

use std::path::Path;

use ignore::Match;
use ignore::gitignore::GitignoreBuilder;

use crate::facts::{self, FileFacts};
use crate::project::Project;
use crate::source::{FileKind, InputFile, Origin, parent_dir};
use crate::walk::IGNORE_FILE_NAME;

/// How the walk would have classified `rel`: the origin it has in the model, else one derived
/// from its path (public asset, build output) and the ignore files on disk.
pub fn input_for(project: &Project, rel: &str) -> InputFile {
    let origin = match project.file(rel) {
        Some(f) => f.origin,
        None => Origin {
            build_output: is_build_output(rel),
            gitignored: is_ignored(&project.root, rel),
            public_asset: is_public_asset(rel, &project.package_dirs),
            tracked_ignored: false,
        },
    };
    InputFile {
        rel: rel.to_string(),
        abs: project.root.join(rel),
        kind: FileKind::classify(rel),
        origin,
    }
}

/// Facts for in-memory bytes of a file; `None` for binary content.
pub fn facts_for(input: &InputFile, bytes: Vec<u8>) -> Option<FileFacts> {
    Some(facts::extract(
        input,
        facts::decode_file(bytes, input.kind)?,
    ))
}

/// Whether the walk would skip `rel`: a gitignored file that is not a dotenv file (those are
/// read on purpose), or one excluded by the configuration.
pub fn walk_skips(project: &Project, input: &InputFile) -> bool {
    project.config.is_excluded(&input.rel)
        || (input.origin.gitignored && input.kind != FileKind::Env && !input.origin.build_output)
}

fn is_build_output(rel: &str) -> bool {
    rel.starts_with(".next/static/")
        || rel.contains("/.next/static/")
        || rel.starts_with("out/_next/static/")
        || rel.contains("/out/_next/static/")
}

/// `<app>/public/**`, where `<app>` is the root or a directory with a `package.json`
/// (`package_dirs` is sorted).
pub fn is_public_asset(rel: &str, package_dirs: &[String]) -> bool {
    crate::source::is_public_asset(rel, |d| {
        package_dirs.binary_search_by(|p| p.as_str().cmp(d)).is_ok()
    })
}

/// Whether `.gitignore`, `.ignore`, `.clerkguardignore` (from the root down to the file's
/// directory) or `.git/info/exclude` ignore `rel`. The deepest file that decides wins.
pub fn is_ignored(root: &Path, rel: &str) -> bool {
    let abs = root.join(rel);
    let mut dirs = Vec::new();
    let mut dir = parent_dir(rel);
    loop {
        dirs.push(dir.to_string());
        if dir.is_empty() {
            break;
        }
        dir = parent_dir(dir);
    }
    for dir in &dirs {
        let base = root.join(dir);
        let mut builder = GitignoreBuilder::new(&base);
        let mut any = false;
        for name in [".gitignore", ".ignore", IGNORE_FILE_NAME] {
            let p = base.join(name);
            if p.is_file() {
                any = true;
                let _ = builder.add(p);
            }
        }
        if dir.is_empty() {
            let exclude = root.join(".git/info/exclude");
            if exclude.is_file() {
                any = true;
                let _ = builder.add(exclude);
            }
        }
        if !any {
            continue;
        }
        let Ok(gi) = builder.build() else { continue };
        match gi.matched_path_or_any_parents(&abs, false) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_files_decide_from_the_deepest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join(".gitignore"), ".env*.local\ndist/\n").unwrap();
        std::fs::create_dir_all(root.join("apps/web")).unwrap();
        std::fs::write(root.join("apps/web/.gitignore"), "!keep.local\n").unwrap();
        assert!(is_ignored(root, ".env.local"));
        assert!(is_ignored(root, "apps/web/.env.local"));
        assert!(is_ignored(root, "dist/a.js"));
        assert!(!is_ignored(root, ".env"));
        assert!(!is_ignored(root, "app/page.tsx"));
    }

    #[test]
    fn public_and_build_output() {
        let dirs = vec!["apps/web".to_string()];
        assert!(is_public_asset("public/x.js", &dirs));
        assert!(is_public_asset("apps/web/public/x.js", &dirs));
        assert!(!is_public_asset("lib/public/x.js", &dirs));
        assert!(is_build_output("apps/web/.next/static/chunks/a.js"));
        assert!(!is_build_output("app/static/a.js"));
    }
}
