//! `clerk-guard install-hook`: a git pre-commit hook that runs `clerk-guard scan --staged`.
//!
//! The hook goes where git looks for hooks: `core.hooksPath` when it is set, else the `hooks`
//! directory of the repository (shared by all of its worktrees). A hook that clerk-guard wrote is
//! recognised by its marker line and rewritten in place; any other hook is left alone unless
//! `--force` is given (it is then kept as `pre-commit.backup`).

use std::path::{Path, PathBuf};

use crate::cli::{EXIT_CLEAN, EXIT_ERROR};
use crate::git;

/// The line that marks a hook as ours.
pub const MARKER: &str = "# clerk-guard pre-commit hook";

#[derive(clap::Args, Debug)]
pub struct InstallHookArgs {
    /// A directory inside the git repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Replace an existing pre-commit hook that clerk-guard did not write (it is kept as
    /// `pre-commit.backup`).
    #[arg(long)]
    pub force: bool,
}

/// What `install` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    Created(PathBuf),
    Updated(PathBuf),
    Unchanged(PathBuf),
    /// A foreign hook was moved to the given backup path.
    Replaced {
        hook: PathBuf,
        backup: PathBuf,
    },
}

pub fn run(args: InstallHookArgs) -> i32 {
    let exe = std::env::current_exe().ok();
    match install(&args.path, args.force, exe.as_deref()) {
        Ok(done) => {
            match done {
                Installed::Created(p) => println!("installed the pre-commit hook {}", p.display()),
                Installed::Updated(p) => println!("updated the pre-commit hook {}", p.display()),
                Installed::Unchanged(p) => {
                    println!("the pre-commit hook {} is up to date", p.display())
                }
                Installed::Replaced { hook, backup } => println!(
                    "installed the pre-commit hook {} (the previous hook is now {})",
                    hook.display(),
                    backup.display()
                ),
            }
            EXIT_CLEAN
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}

/// The directory git runs hooks from.
pub fn hooks_dir(repo: &gix::Repository) -> Result<PathBuf, String> {
    let config = repo.config_snapshot();
    let configured = config
        .trusted_path("core.hooksPath")
        .map_err(|e| format!("core.hooksPath: {e}"))?;
    Ok(match configured {
        Some(p) if p.is_absolute() => p,
        // Relative to where hooks run: the work tree root (the git dir when bare).
        Some(p) => repo.workdir().unwrap_or(repo.git_dir()).join(p),
        None => repo.common_dir().join("hooks"),
    })
}

/// The hook's text. `exe` is the clerk-guard binary to prefer; `clerk-guard` on `PATH` is the
/// fallback when it has moved.
pub fn hook_script(exe: Option<&Path>) -> String {
    let preferred = match exe {
        Some(p) => format!(
            "CLERK_GUARD={}\nif [ ! -x \"$CLERK_GUARD\" ]; then CLERK_GUARD=clerk-guard; fi\n",
            shell_quote(&p.to_string_lossy())
        ),
        None => "CLERK_GUARD=clerk-guard\n".to_string(),
    };
    format!(
        "#!/bin/sh\n{MARKER}: written by `clerk-guard install-hook`, which rewrites it.\n\
         # Checks what is staged for this commit; `git commit --no-verify` skips it.\n\
         {preferred}exec \"$CLERK_GUARD\" scan --staged\n"
    )
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

pub fn install(path: &Path, force: bool, exe: Option<&Path>) -> Result<Installed, String> {
    let repo = git::discover(path)?;
    if repo.workdir().is_none() {
        return Err(format!(
            "{} is a bare repository: a pre-commit hook needs a work tree",
            repo.git_dir().display()
        ));
    }
    let dir = hooks_dir(&repo)?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let hook = dir.join("pre-commit");
    let script = hook_script(exe);
    let existing = match std::fs::read(&hook) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", hook.display())),
    };
    let outcome = match &existing {
        None => Installed::Created(hook.clone()),
        Some(text) if text == &script => Installed::Unchanged(hook.clone()),
        Some(text) if text.lines().any(|l| l.starts_with(MARKER)) => {
            Installed::Updated(hook.clone())
        }
        Some(_) if force => {
            let backup = dir.join("pre-commit.backup");
            std::fs::rename(&hook, &backup)
                .map_err(|e| format!("cannot move {} aside: {e}", hook.display()))?;
            Installed::Replaced {
                hook: hook.clone(),
                backup,
            }
        }
        Some(_) => {
            return Err(format!(
                "{} exists and was not written by clerk-guard; add `clerk-guard scan --staged` \
                 to it yourself, or rerun with --force to replace it (it is kept as \
                 pre-commit.backup)",
                hook.display()
            ));
        }
    };
    if outcome != Installed::Unchanged(hook.clone()) {
        std::fs::write(&hook, &script)
            .map_err(|e| format!("cannot write {}: {e}", hook.display()))?;
    }
    make_executable(&hook)?;
    Ok(outcome)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("cannot make {} executable: {e}", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_quotes_the_binary_path() {
        let s = hook_script(Some(Path::new("/opt/it's here/clerk-guard")));
        assert!(s.starts_with("#!/bin/sh\n# clerk-guard pre-commit hook"));
        assert!(s.contains("CLERK_GUARD='/opt/it'\\''s here/clerk-guard'\n"));
        assert!(s.ends_with("exec \"$CLERK_GUARD\" scan --staged\n"));
    }
}
