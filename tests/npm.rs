//! The npm distribution (`npm/`): the packages are built from this build's binary with
//! `npm/scripts/build-packages.mjs` for the host platform, packed with `npm pack`, installed
//! offline (local tarballs only, an empty npm cache) into a temporary Next.js-shaped app, and
//! run through the launcher with `npx`: `clerk-guard scan` and `clerk-guard lsp`
//! (initialize/shutdown). Also: one version everywhere, and the error that names a missing
//! platform package. Skipped (with a note) without Node.js and npm.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{copy_tree, testdata};
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn platforms() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(repo().join("npm/clerk-guard/platforms.json")).unwrap();
    let mut map: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    map.retain(|k, _| !k.starts_with('/'));
    map
}

/// The platform package key for this machine (the build's target).
fn host_platform() -> Option<&'static str> {
    let os = match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "win32",
        _ => return None,
    };
    let cpu = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        _ => return None,
    };
    Some(match (os, cpu, cfg!(target_env = "musl")) {
        ("linux", "x64", false) => "linux-x64-gnu",
        ("linux", "x64", true) => "linux-x64-musl",
        ("linux", "arm64", false) => "linux-arm64-gnu",
        ("linux", "arm64", true) => "linux-arm64-musl",
        ("darwin", "x64", _) => "darwin-x64",
        ("darwin", "arm64", _) => "darwin-arm64",
        ("win32", "x64", _) => "win32-x64",
        _ => return None,
    })
}

fn crate_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[test]
fn one_version_and_every_platform() {
    let version = crate_version();
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("npm/clerk-guard/package.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["version"],
        version.as_str(),
        "npm/clerk-guard/package.json"
    );
    assert_eq!(manifest["bin"]["clerk-guard"], "bin/clerk-guard.js");
    let optional = manifest["optionalDependencies"].as_object().unwrap();
    let platforms = platforms();
    let mut keys: Vec<_> = platforms.keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "darwin-arm64",
            "darwin-x64",
            "linux-arm64-gnu",
            "linux-arm64-musl",
            "linux-x64-gnu",
            "linux-x64-musl",
            "win32-x64"
        ]
    );
    for key in &keys {
        let dep = format!("@clerk-guard/{key}");
        assert_eq!(optional[&dep], version.as_str(), "{dep}");
    }
    assert_eq!(optional.len(), keys.len());
    // The release workflow builds every Rust target the packages need.
    let release = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    for p in platforms.values() {
        let target = p["target"].as_str().unwrap();
        assert!(
            release.contains(target),
            "release.yml does not build {target}"
        );
    }
    // The Action and the hook follow the crate's version: the Action installs the release of
    // its own version (read from Cargo.toml), and README snippets name that tag.
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let tag = format!("v{version}");
    assert!(
        readme.contains(&format!("rev: {tag}")),
        "README pre-commit rev"
    );
    assert!(
        readme.contains(&format!("clerk-guard/clerk-guard@{tag}")),
        "README Action tag"
    );
}

struct Installed {
    _dir: tempfile::TempDir,
    app: PathBuf,
    cache: PathBuf,
}

fn npm(dir: &Path, cache: &Path, args: &[&str]) -> std::process::Output {
    Command::new("npm")
        .args(args)
        .current_dir(dir)
        .env("npm_config_cache", cache)
        .env("npm_config_update_notifier", "false")
        .env("npm_config_audit", "false")
        .env("npm_config_fund", "false")
        .env_remove("CLERK_GUARD_BINARY")
        .output()
        .unwrap()
}

fn pack(dir: &Path, dest: &Path, cache: &Path) -> PathBuf {
    let out = npm(
        dir,
        cache,
        &[
            "pack",
            "--silent",
            "--pack-destination",
            dest.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    dest.join(name.lines().last().unwrap())
}

/// Build and pack the packages; install them (all, or the launcher only) into a fresh app.
fn install(with_platform_package: bool) -> Option<Installed> {
    if !have("node") || !have("npm") {
        eprintln!("SKIPPED: Node.js and npm are needed for the npm package test");
        return None;
    }
    let Some(platform) = host_platform() else {
        eprintln!("SKIPPED: no npm platform package for this machine");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    let cache = work.join("npm-cache");
    // A copy without debug info packs in a second instead of many; the launcher-only test
    // never packs it, so a placeholder does.
    let binary = work.join("clerk-guard-bin");
    if with_platform_package {
        std::fs::copy(env!("CARGO_BIN_EXE_clerk-guard"), &binary).unwrap();
        let _ = Command::new("strip")
            .arg("--strip-debug")
            .arg(&binary)
            .status();
    } else {
        std::fs::write(&binary, "placeholder").unwrap();
    }
    let out = Command::new("node")
        .arg(repo().join("npm/scripts/build-packages.mjs"))
        .args(["--out", work.join("pkgs").to_str().unwrap()])
        .arg("--binary")
        .arg(format!("{platform}={}", binary.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tarballs = work.join("tarballs");
    std::fs::create_dir_all(&tarballs).unwrap();
    let main = pack(&work.join("pkgs/clerk-guard"), &tarballs, &cache);
    let native =
        with_platform_package.then(|| pack(&work.join("pkgs").join(platform), &tarballs, &cache));
    // Next.js and Clerk are stand-ins with the right names and versions, also local tarballs:
    // nothing is fetched from a registry.
    let mut deps = Vec::new();
    for (name, version) in [("next", "15.5.6"), ("@clerk/nextjs", "6.35.0")] {
        let stub = work.join("stubs").join(name.replace('/', "-"));
        std::fs::create_dir_all(&stub).unwrap();
        std::fs::write(
            stub.join("package.json"),
            format!("{{\"name\":\"{name}\",\"version\":\"{version}\"}}"),
        )
        .unwrap();
        deps.push(format!(
            "\"{name}\":\"file:{}\"",
            pack(&stub, &tarballs, &cache).display()
        ));
    }
    let app = work.join("app");
    copy_tree(&testdata().join("demo-app"), &app);
    std::fs::write(
        app.join("package.json"),
        format!(
            "{{\"name\":\"acme\",\"version\":\"0.1.0\",\"private\":true,\"dependencies\":{{{}}}}}",
            deps.join(",")
        ),
    )
    .unwrap();
    let mut args = vec![
        "install".to_string(),
        "--offline".into(),
        "--save-dev".into(),
        main.display().to_string(),
    ];
    if let Some(native) = native {
        args.push(native.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = npm(&app, &cache, &args);
    assert!(
        out.status.success(),
        "npm install: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(Installed {
        _dir: dir,
        app,
        cache,
    })
}

fn npx(installed: &Installed, args: &[&str]) -> Command {
    let mut c = Command::new("npx");
    c.arg("--offline")
        .arg("clerk-guard")
        .args(args)
        .current_dir(&installed.app)
        .env("npm_config_cache", &installed.cache)
        .env("npm_config_update_notifier", "false")
        .env("NO_COLOR", "1")
        .env_remove("CLERK_GUARD_BINARY");
    c
}

fn lsp_message(value: &Value) -> Vec<u8> {
    let body = value.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[test]
fn npx_runs_the_prebuilt_binary_through_the_launcher() {
    let Some(installed) = install(true) else {
        return;
    };
    // scan: the findings of the demo app, exit status 1, from the installed binary.
    let out = npx(&installed, &["scan", "--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let text = report.to_string();
    assert!(text.contains("hardcoded-secret-key"), "{text}");
    assert!(text.contains("lib/clerk-config.ts"), "{text}");
    let out = npx(&installed, &["--version"]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("clerk-guard {}", crate_version())
    );

    // lsp: initialize, initialized, shutdown, exit over stdio, through npx and the launcher.
    let mut child = npx(&installed, &["lsp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let root_uri = format!("file://{}", installed.app.display());
    let mut stdin = child.stdin.take().unwrap();
    for msg in [
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": null, "rootUri": root_uri, "capabilities": {}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    ] {
        stdin.write_all(&lsp_message(&msg)).unwrap();
    }
    stdin.flush().unwrap();
    drop(stdin);
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(stdout.contains("\"capabilities\""), "{stdout}");
    assert!(stdout.contains("\"id\":2"), "shutdown answered: {stdout}");
    assert_eq!(status.code(), Some(0), "{stdout}");
}

#[test]
fn a_missing_platform_package_is_named() {
    let Some(installed) = install(false) else {
        return;
    };
    let out = npx(&installed, &["scan"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let platform = host_platform().unwrap();
    assert!(
        stderr.contains(&format!("@clerk-guard/{platform}")),
        "names the platform package: {stderr}"
    );
    assert!(stderr.contains("npm install --save-dev"), "{stderr}");
}
