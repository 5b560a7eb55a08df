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

// ----- issue 17: nesting that used to overflow the stack, and super-linear extraction -----

const PKG: &str =
    r#"{ "name": "x", "dependencies": { "next": "15.0.0", "@clerk/nextjs": "6.0.0" } }"#;
const IMPORT_AUTH: &str = "import { auth } from '@clerk/nextjs/server'\n";
const IMPORT_MW: &str = "import { clerkMiddleware } from '@clerk/nextjs/server'\n";

/// Deeply nested inputs, each (file, text): every one aborted the scan with a stack overflow.
fn deep_inputs() -> Vec<(&'static str, &'static str, String)> {
    let n_blocks = 1_240 * 3;
    let else_ifs: String = (1..1_700 * 2)
        .map(|i| format!(" else if (req.a{i}) {{}}"))
        .collect();
    let ands: Vec<String> = (0..2_300 * 2).map(|i| format!("req.a{i}")).collect();
    vec![
        (
            "blocks",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{{}{}}}\n",
                "{".repeat(n_blocks),
                "}".repeat(n_blocks)
            ),
        ),
        (
            "functions",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{{}{}}}\n",
                "function f() {".repeat(2_700),
                "}".repeat(2_700)
            ),
        ),
        (
            "arrows",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export const GET = {}1\n",
                "() => ".repeat(5_000)
            ),
        ),
        (
            "members",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{ return a{} }}\n",
                ".b".repeat(10_000)
            ),
        ),
        (
            "calls",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{ return a{} }}\n",
                ".a()".repeat(8_000)
            ),
        ),
        (
            "parens",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET() {{ const {{ userId }} = {}await auth(){}; if (!userId) return new Response('', {{ status: 401 }}); return Response.json({{}}) }}\n",
                "(".repeat(3_000),
                ")".repeat(3_000)
            ),
        ),
        (
            "ands-in-route",
            "app/api/x/route.ts",
            format!(
                "{IMPORT_AUTH}export async function GET(req) {{ const {{ userId }} = await auth(); if (!userId && {}) return new Response('', {{ status: 401 }}); return Response.json({{}}) }}\n",
                ands.join(" && ")
            ),
        ),
        (
            "nested-ifs",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{{}await auth.protect(){}}})\n",
                "if (req.url) {".repeat(1_400 * 2),
                "}".repeat(1_400 * 2)
            ),
        ),
        (
            "else-ifs",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ if (req.a0) {{}}{else_ifs} else {{ await auth.protect() }} }})\n"
            ),
        ),
        (
            "ands",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ if ({}) {{ await auth.protect() }} }})\n",
                ands.join(" && ")
            ),
        ),
        (
            "ors-and-nots",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ if ({}req.x{}) {{ await auth.protect() }} }})\n",
                "!(req.y || ".repeat(2_000),
                ")".repeat(2_000)
            ),
        ),
        (
            "ternaries",
            "middleware.ts",
            format!(
                "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ {}auth.protect(){} }})\n",
                "req.a ? 1 : ".repeat(3_000),
                ""
            ),
        ),
        (
            "client-jsx",
            "components/Deep.tsx",
            format!(
                "'use client'\nimport {{ useAuth }} from '@clerk/nextjs'\nexport default function Deep() {{ const {{ userId }} = useAuth(); if (!userId) return null; return {}x{} }}\n",
                "<div>".repeat(3_000),
                "</div>".repeat(3_000)
            ),
        ),
        (
            "client-conditions",
            "components/Cond.tsx",
            format!(
                "'use client'\nimport {{ useAuth }} from '@clerk/nextjs'\nexport default function C() {{ const {{ userId }} = useAuth(); return {}null }}\n",
                "userId ? <a/> : ".repeat(3_000)
            ),
        ),
        (
            "page-patterns",
            "app/page.tsx",
            format!(
                "import {{ auth }} from '@clerk/nextjs/server'\nexport default async function P() {{ const {{ {}x{} }} = await auth(); return null }}\n",
                "a: { ".repeat(2_000),
                " }".repeat(2_000)
            ),
        ),
        (
            "action-arrays",
            "app/actions.ts",
            format!(
                "'use server'\nimport {{ auth }} from '@clerk/nextjs/server'\nexport async function act() {{ const x = {}1{}; return x }}\n",
                "[".repeat(5_000),
                "]".repeat(5_000)
            ),
        ),
    ]
}

fn deep_project(file: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("package.json"), PKG).unwrap();
    let path = dir.path().join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    dir
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    for (name, file, text) in deep_inputs() {
        let dir = deep_project(file, &text);
        let root = dir.path().to_str().unwrap();
        for args in [
            vec!["scan", root, "--format", "json"],
            vec!["routes", root, "--format", "json"],
        ] {
            let out = run(&args);
            assert!(
                out.status == 0 || out.status == 1,
                "{name}: {args:?} exited {}: {}",
                out.status,
                &out.stderr[out.stderr.len().saturating_sub(600)..]
            );
        }
    }
}

#[test]
fn deep_nesting_is_reported_as_incomplete() {
    let (_, file, text) = deep_inputs().remove(0);
    let dir = deep_project(file, &text);
    let out = run(&["scan", dir.path().to_str().unwrap(), "--format", "json"]);
    assert!(out.status == 0 || out.status == 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("app/api/x/route.ts") && out.stderr.contains("nested too deeply"),
        "{}",
        out.stderr
    );
}

/// Node visits of extracting the code facts of `auth(auth(…))` nested `n` deep, with `auth`
/// the middleware callback's parameter (each call used to climb `Node::parent()` to the root,
/// itself O(depth): n = 1,000 took minutes).
fn nested_auth_visits(n: usize) -> (u64, usize) {
    let text = format!(
        "{IMPORT_MW}export default clerkMiddleware(async (auth, req) => {{ const v = {}1{}; return v }})\n",
        "auth(".repeat(n),
        ")".repeat(n)
    );
    let input = InputFile {
        rel: "middleware.ts".into(),
        abs: "middleware.ts".into(),
        kind: FileKind::classify("middleware.ts"),
        origin: Origin::default(),
    };
    let facts = clerk_guard::facts::extract(&input, text.clone());
    let before = clerk_guard::facts::depth::visits();
    let code = facts.code().expect("parsed");
    assert!(!code.functions.is_empty());
    (clerk_guard::facts::depth::visits() - before, text.len())
}

#[test]
fn nested_calls_extract_in_linear_node_visits() {
    let (small, _) = nested_auth_visits(500);
    let (large, large_len) = nested_auth_visits(4_000);
    // Generous: at most 64 visits per byte, and 8x the input costs at most ~8x (not 64x).
    assert!(
        large <= 64 * large_len as u64,
        "{large} visits for {large_len} bytes"
    );
    assert!(
        large <= small * 8 * 3 / 2,
        "500 deep: {small} visits, 4000 deep: {large} visits"
    );
    assert!(small > 0);
}

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("package.json"), PKG).unwrap();
    let api = root.join("app/api/\x1b[31mred\x07");
    fs::create_dir_all(&api).unwrap();
    fs::write(
        api.join("route.ts"),
        format!(
            "export async function GET() {{ return Response.json({{}}) }}\nconst k = '{KEY}'\n"
        ),
    )
    .unwrap();
    fs::create_dir_all(root.join("components")).unwrap();
    fs::write(
        root.join("components/\x1b]0;title\x07.tsx"),
        format!("'use client'\nconst k = '{KEY}' // \x1b[2J\n"),
    )
    .unwrap();
    let r = root.to_str().unwrap();
    for args in [vec!["scan", r, "--color", "never"], vec!["routes", r]] {
        let out = run(&args);
        assert!(out.status <= 1, "{args:?}: {}", out.stderr);
        assert!(
            !out.stdout.contains('\x1b') && !out.stdout.contains('\x07'),
            "{args:?}: {:?}",
            out.stdout
        );
        assert!(out.stdout.contains("\\u{1b}"), "{args:?}: {}", out.stdout);
    }
}

#[cfg(unix)]
#[test]
fn endless_config_and_baseline_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.ts"), "export const a = 1\n").unwrap();
    let r = dir.path().to_str().unwrap();
    for flag in ["--config", "--baseline"] {
        let out = run(&["scan", r, flag, "/dev/zero"]);
        assert_eq!(out.status, 2, "{flag}: {}", out.stderr);
        assert!(out.stderr.contains("limit"), "{flag}: {}", out.stderr);
    }
}
