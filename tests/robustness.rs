//! Bad input never panics and never stops the scan: binary files, invalid UTF-8, huge minified
//! bundles, syntax errors, symlink loops, dangling links, FIFOs, unreadable files.

mod common;

use std::fs;

use clerk_guard::engine::{ScanOptions, read_facts, scan};
use clerk_guard::source::{FileKind, InputFile, Origin};
use common::run;

const KEY: &str = "sk_live_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc";

#[test]
fn hostile_tree_scans_to_completion() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("package.json"),
        "{ \"name\": \"x\", \"dependencies\": { \"next\": \"15\" } ",
    )
    .unwrap();
    fs::create_dir_all(root.join("components")).unwrap();
    // Binary file with a key: skipped.
    let mut bin = vec![0u8, 1, 2, 3];
    bin.extend_from_slice(KEY.as_bytes());
    fs::write(root.join("logo.png"), &bin).unwrap();
    // Invalid UTF-8 around a key in a client module: read lossily, still found.
    let mut bad = b"'use client'\n\xff\xfe const k = '".to_vec();
    bad.extend_from_slice(KEY.as_bytes());
    bad.extend_from_slice(b"'\n\xc3\x28\n");
    fs::write(root.join("components/Bad.tsx"), &bad).unwrap();
    // Syntax errors: facts still extracted (directive, key).
    fs::write(
        root.join("components/Broken.tsx"),
        format!("'use client'\nexport function (( {{ <div>\nconst k = '{KEY}'\n"),
    )
    .unwrap();
    fs::write(
        root.join("next.config.js"),
        "module.exports = { env: { CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY } }\nconst = (;\n",
    )
    .unwrap();
    // A huge minified bundle (4 MB on one line) in built client output.
    fs::create_dir_all(root.join(".next/static/chunks")).unwrap();
    let mut bundle = "var a=1;".repeat(500_000);
    bundle.push_str(&format!("var k=\"{KEY}\";"));
    fs::write(root.join(".next/static/chunks/main.js"), &bundle).unwrap();
    // A huge source file: over the parse cap, still byte-scanned.
    fs::write(
        root.join("components/huge.js"),
        format!(
            "'use client'\n{}\nconst k='{KEY}'\n",
            "x=1;\n".repeat(600_000)
        ),
    )
    .unwrap();
    // Empty files, odd names.
    fs::write(root.join("empty.ts"), "").unwrap();
    fs::write(root.join(".env"), "\u{feff}\n=\nNAME\n\"unterminated=\n").unwrap();
    fs::write(root.join("weird name é.tsx"), "'use client'\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        fs::create_dir_all(root.join("loop")).unwrap();
        symlink(root, root.join("loop/back")).unwrap();
        symlink(root.join("missing"), root.join("dangling.ts")).unwrap();
        let fifo = root.join("pipe");
        let _ = std::process::Command::new("mkfifo").arg(&fifo).status();
    }
    let result = scan(&ScanOptions {
        paths: vec![root.to_path_buf()],
        ..ScanOptions::default()
    })
    .expect("scan completes");
    let found: Vec<(&str, &str)> = result
        .findings
        .iter()
        .map(|f| (f.path.as_str(), f.rule))
        .collect();
    assert!(
        found.contains(&("components/Bad.tsx", "secret-key-in-client")),
        "{found:?}"
    );
    assert!(
        found.contains(&("components/Broken.tsx", "secret-key-in-client")),
        "{found:?}"
    );
    assert!(
        found.contains(&("components/huge.js", "secret-key-in-client")),
        "{found:?}"
    );
    assert!(
        found.contains(&(".next/static/chunks/main.js", "secret-key-in-client")),
        "{found:?}"
    );
    assert!(
        found.contains(&("next.config.js", "secret-key-exposed-env")),
        "{found:?}"
    );
    assert!(!found.iter().any(|(p, _)| *p == "logo.png"));
    assert!(!found.iter().any(|(p, _)| p.starts_with("loop/")));
    // The CLI exits normally with findings (1), not with an error or a crash.
    let out = run(&["scan", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
}

#[test]
fn unreadable_file_is_a_warning() {
    // Running as root, permissions cannot make a file unreadable; a path that vanished
    // between the walk and the read takes the same code path.
    let input = InputFile {
        rel: "gone.ts".into(),
        abs: "/no/such/dir/gone.ts".into(),
        kind: FileKind::classify("gone.ts"),
        origin: Origin::default(),
    };
    let err = read_facts(&input).unwrap_err();
    assert!(err.starts_with("cannot read gone.ts"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_directory_warns_and_continues() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("locked")).unwrap();
    fs::write(root.join("locked/a.ts"), "x").unwrap();
    fs::write(
        root.join("b.ts"),
        format!("'use client'\nconst k = '{KEY}'\n"),
    )
    .unwrap();
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let out = run(&["scan", root.to_str().unwrap(), "--format", "json"]);
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status, 1);
    assert!(out.stdout.contains("\"path\": \"b.ts\""));
}
