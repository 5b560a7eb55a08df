//! The VS Code extension in `editors/vscode` packages into a `.vsix`. Its own test binary, so
//! that npm and the TypeScript compiler do not run beside the LSP latency test.

mod common;

use std::path::Path;
use std::process::Command;

use common::copy_tree;

/// `editors/vscode` builds into a `.vsix` with `@vscode/vsce` (TypeScript compiled by its
/// `vscode:prepublish` script). npm packages are installed once into the target directory
/// and reused; skipped, with a message, when Node.js or npm is unavailable.
#[test]
fn vscode_extension_packages_to_a_vsix() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let npm_install = |dir: &Path, extra: &[&str]| -> Result<(), String> {
        let out = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .args(extra)
            .current_dir(dir)
            .output()
            .map_err(|e| format!("npm is not installed: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    };
    // vsce in its own directory, so that it is not packaged with the extension.
    let tools = tmp.join("vsce-tools");
    let vsce = tools.join("node_modules/.bin/vsce");
    if !vsce.is_file() {
        std::fs::create_dir_all(&tools).unwrap();
        std::fs::write(tools.join("package.json"), "{ \"private\": true }\n").unwrap();
        if let Err(why) = npm_install(&tools, &["@vscode/vsce@3"]) {
            eprintln!("SKIPPED: @vscode/vsce cannot be installed ({why})");
            return;
        }
    }
    // The extension's sources, refreshed; its node_modules kept while package.json is the same.
    let work = tmp.join("vscode-ext");
    let manifest = std::fs::read_to_string(src.join("package.json")).unwrap();
    let same = std::fs::read_to_string(work.join("package.json")).is_ok_and(|m| m == manifest);
    if !same {
        let _ = std::fs::remove_dir_all(&work);
    }
    std::fs::create_dir_all(&work).unwrap();
    let _ = std::fs::remove_dir_all(work.join("src"));
    let _ = std::fs::remove_dir_all(work.join("out"));
    for f in [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "README.md",
        ".vscodeignore",
    ] {
        std::fs::copy(src.join(f), work.join(f)).unwrap();
    }
    copy_tree(&src.join("src"), &work.join("src"));
    if !work.join("node_modules/vscode-languageclient").is_dir()
        && let Err(why) = npm_install(&work, &[])
    {
        eprintln!("SKIPPED: the extension's dependencies cannot be installed ({why})");
        return;
    }
    let vsix = work.join("clerk-guard.vsix");
    let _ = std::fs::remove_file(&vsix);
    let out = Command::new(&vsce)
        .args(["package", "--skip-license", "-o"])
        .arg(&vsix)
        .current_dir(&work)
        .output()
        .expect("run vsce");
    assert!(
        out.status.success(),
        "vsce package failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&vsix).unwrap();
    let has = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
    assert!(
        has("extension/out/extension.js"),
        "the compiled extension is packaged"
    );
    assert!(has("extension/package.json"));
    assert!(has("extension/node_modules/vscode-languageclient/"));
    assert!(!has("extension/src/extension.ts"), "sources are left out");
    assert!(
        !has("extension/node_modules/typescript/"),
        "dev dependencies are left out"
    );
}
