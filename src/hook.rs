//! `clerk-guard install-hook`: a git pre-commit hook that runs `clerk-guard scan --staged`.
//!
//! The hook goes where git looks for hooks: `core.hooksPath` when it is set, else the `hooks`
//! directory of the repository (shared by all of its worktrees). A hook that clerk-guard wrote is
//! recognised by its marker line (and no line of the user's) and rewritten in place; any other
//! hook, and a symlinked one (husky), is left alone unless `--force` is given: it is then moved
//! (a link as a link, never written through) to the first free `pre-commit.backup[.N]`.

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
    /// Replace an existing pre-commit hook that clerk-guard did not write, or a symlink (it is
    /// kept as `pre-commit.backup`, or `pre-commit.backup.N` when that exists).
    #[arg(long)]
    pub force: bool,
}

/// What `install` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    Created(PathBuf),
    Updated(PathBuf),
    Unchanged(PathBuf),
    /// A foreign hook (or a symlink, moved as a link) was moved to the given backup path.
    Replaced {
        hook: PathBuf,
        backup: PathBuf,
        symlink: bool,
    },
}

/// The line a hook manager (husky, lefthook) or a hand-written hook should run.
pub const HOOK_LINE: &str = "clerk-guard scan --staged";

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
                Installed::Replaced {
                    hook,
                    backup,
                    symlink,
                } => println!(
                    "installed the pre-commit hook {} (the previous {} is now {})",
                    hook.display(),
                    if symlink {
                        "symlink, not what it pointed to,"
                    } else {
                        "hook"
                    },
                    backup.display()
                ),
            }
            if let Some(baseline) = configured_baseline(&args.path) {
                println!(
                    "the hook applies the baseline {} set in {}: only new findings block a commit",
                    baseline.display(),
                    crate::config::CONFIG_FILE_NAME
                );
            }
            EXIT_CLEAN
        }
        Err(e) => {
            crate::eprintln_redacted!("error: {e}");
            EXIT_ERROR
        }
    }
}

/// The baseline the work tree's `clerk-guard.toml` sets, which `scan --staged` (the hook)
/// applies.
fn configured_baseline(path: &Path) -> Option<PathBuf> {
    let repo = git::discover(path).ok()?;
    let workdir = repo.workdir()?;
    crate::config::Config::load(None, workdir).ok()?.baseline
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
    let manager = manager_hint(repo.workdir().unwrap_or(repo.git_dir()));
    // A symlink (husky's `.husky/pre-commit`, or dangling) is never written through.
    if let Ok(meta) = std::fs::symlink_metadata(&hook)
        && meta.file_type().is_symlink()
    {
        let target = std::fs::read_link(&hook)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        if !force {
            return Err(format!(
                "{} is a symlink to {target}, which clerk-guard does not write through; add \
                 the line `{HOOK_LINE}` to the hook it points to{manager}, or rerun with \
                 --force to replace the link (the link is kept as a backup)",
                hook.display()
            ));
        }
        let backup = move_aside(&dir, &hook)?;
        write_hook(&hook, &script)?;
        return Ok(Installed::Replaced {
            hook,
            backup,
            symlink: true,
        });
    }
    let existing = match std::fs::read(&hook) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", hook.display())),
    };
    let foreign = existing.as_deref().map(user_lines).unwrap_or_default();
    let outcome = match &existing {
        None => Installed::Created(hook.clone()),
        Some(text) if text == &script => Installed::Unchanged(hook.clone()),
        Some(text) if text.lines().any(|l| l.starts_with(MARKER)) && foreign.is_empty() => {
            Installed::Updated(hook.clone())
        }
        Some(_) if force => {
            let backup = move_aside(&dir, &hook)?;
            Installed::Replaced {
                hook: hook.clone(),
                backup,
                symlink: false,
            }
        }
        Some(_) => {
            let quoted = foreign
                .iter()
                .take(5)
                .map(|l| format!("`{}`", crate::finding::escape_control(l)))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(format!(
                "{} has lines clerk-guard did not write ({quoted}); add the line `{HOOK_LINE}` \
                 to it yourself{manager}, or rerun with --force to replace it (it is kept as a \
                 numbered backup)",
                hook.display()
            ));
        }
    };
    if outcome != Installed::Unchanged(hook.clone()) {
        write_hook(&hook, &script)?;
    }
    make_executable(&hook)?;
    Ok(outcome)
}

/// Write a new hook file: never through a symlink (one appearing since the check is refused).
fn write_hook(hook: &Path, script: &str) -> Result<(), String> {
    if std::fs::symlink_metadata(hook).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{} became a symlink; not writing through it",
            hook.display()
        ));
    }
    std::fs::write(hook, script).map_err(|e| format!("cannot write {}: {e}", hook.display()))?;
    make_executable(hook)
}

/// Rename the hook (a link is moved as a link) to the first free `pre-commit.backup[.N]`: an
/// existing backup is never replaced.
fn move_aside(dir: &Path, hook: &Path) -> Result<PathBuf, String> {
    let backup = (0..10_000)
        .map(|n| match n {
            0 => dir.join("pre-commit.backup"),
            n => dir.join(format!("pre-commit.backup.{n}")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .ok_or_else(|| format!("too many backups of {} already", hook.display()))?;
    std::fs::rename(hook, &backup)
        .map_err(|e| format!("cannot move {} aside: {e}", hook.display()))?;
    Ok(backup)
}

/// The non-empty lines of a hook that no version of clerk-guard's script contains.
fn user_lines(text: &str) -> Vec<String> {
    let ours = |l: &str| {
        let l = l.trim();
        l.is_empty()
            || l.starts_with("#!")
            || l.starts_with(MARKER)
            || l == "# Checks what is staged for this commit; `git commit --no-verify` skips it."
            || l.starts_with("CLERK_GUARD=")
            || l == "if [ ! -x \"$CLERK_GUARD\" ]; then CLERK_GUARD=clerk-guard; fi"
            || l == "exec \"$CLERK_GUARD\" scan --staged"
    };
    text.lines()
        .filter(|l| !ours(l))
        .map(str::to_string)
        .collect()
}

/// Where a hook manager in the work tree wants the line, for the error messages.
fn manager_hint(workdir: &Path) -> String {
    if workdir.join(".husky").is_dir() {
        format!(" (husky: append `{HOOK_LINE}` to .husky/pre-commit)")
    } else if ["lefthook.yml", "lefthook.yaml", ".lefthook.yml"]
        .iter()
        .any(|f| workdir.join(f).is_file())
    {
        format!(
            " (lefthook: under `pre-commit: commands:` add `clerk-guard: {{ run: {HOOK_LINE} }}`)"
        )
    } else {
        String::new()
    }
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
