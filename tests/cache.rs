//! The persistent facts cache: a warm scan reports exactly what a cold one does, whatever
//! changed between runs, and a cache that cannot be trusted is ignored and rebuilt.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{bin, copy_tree, testdata};

/// A copy of the bundled demo app plus a monorepo, in one temporary tree.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&testdata().join("demo-app"), dir.path());
    copy_tree(
        &testdata().join("projects/monorepo-scope/apps/web"),
        &dir.path().join("packages/web"),
    );
    dir
}

struct Run {
    findings: serde_json::Value,
    /// The tree's files came from the kept walk, not a walk of the directories.
    walk_kept: bool,
    /// Files whose facts came from the cache (from `CLERK_GUARD_TIMING`).
    hits: usize,
    /// Of those, files taken without reading them (their metadata unchanged).
    unread: usize,
}

/// `scan --format json` of `root`, with the cache in `cache_dir` (`None`: `--no-cache`).
fn scan(root: &Path, cache_dir: Option<&Path>) -> Run {
    let mut cmd = bin();
    cmd.args([
        "scan",
        root.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ])
    .env("CLERK_GUARD_TIMING", "1");
    match cache_dir {
        Some(d) => {
            cmd.env("CLERK_GUARD_CACHE_DIR", d);
        }
        None => {
            cmd.arg("--no-cache");
        }
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    let hits = stderr
        .lines()
        .find_map(|l| l.strip_prefix("timing: cache "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let unread = stderr
        .lines()
        .find_map(|l| l.strip_prefix("timing: cache "))
        .and_then(|l| l.split_once(" ("))
        .and_then(|(_, l)| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let walk_kept = stderr
        .lines()
        .any(|l| l.starts_with("timing: parse") && l.contains(" files, kept)"));
    Run {
        findings: doc["findings"].clone(),
        walk_kept,
        hits,
        unread,
    }
}

/// Scan warm and cold and require the same findings, in the same order, field for field.
#[track_caller]
fn same_as_cold(root: &Path, cache: &Path, step: &str) -> usize {
    let cold = scan(root, None);
    let warm = scan(root, Some(cache));
    if warm.findings != cold.findings {
        let brief = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|f| format!("{} {}:{} {}", f["rule"], f["path"], f["line"], f["message"]))
                .collect()
        };
        let (w, c) = (brief(&warm.findings), brief(&cold.findings));
        panic!(
            "{step}: a scan with the cache differs from one without\nonly warm: {:#?}\nonly cold: {:#?}",
            w.iter().filter(|x| !c.contains(x)).collect::<Vec<_>>(),
            c.iter().filter(|x| !w.contains(x)).collect::<Vec<_>>()
        );
    }
    assert!(
        cold.findings.as_array().is_some_and(|a| !a.is_empty()),
        "{step}: the tree has findings to compare"
    );
    warm.hits
}

/// Files of the tree, dotenv files aside, whose text holds a secret key prefix.
fn files_with_key_prefix(root: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !e.file_name().to_string_lossy().starts_with(".env")
                && fs::read(&p)
                    .is_ok_and(|b| b.windows(8).any(|w| w == b"sk_live_" || w == b"sk_test_"))
            {
                n += 1;
            }
        }
    }
    n
}

/// The facts files in a cache directory (the walk is kept beside them in `walk-*.bin`).
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "bin")
                        && p.file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with("facts-"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn rules_at(run: &Run, path: &str) -> Vec<String> {
    run.findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn warm_scans_equal_cold_scans_through_edits_adds_renames_and_deletes() {
    let dir = tree();
    let root = dir.path();
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path();

    // First run: nothing cached yet; the second reads what the first wrote.
    assert_eq!(same_as_cold(root, cache, "cold cache"), 0);
    assert_eq!(cache_files(cache).len(), 1, "one cache file per scan root");
    let hits = same_as_cold(root, cache, "warm, nothing changed");
    assert!(hits > 0, "the warm run took facts from the cache");

    // Edit: the unprotected POST gets a session check; its finding goes away.
    let route = root.join("app/api/projects/route.ts");
    let text = fs::read_to_string(&route).unwrap();
    let before = rules_at(&scan(root, Some(cache)), "app/api/projects/route.ts");
    assert!(before.contains(&"unprotected-route-handler".to_string()));
    fs::write(
        &route,
        text.replace(
            "  const body = await req.json()\n",
            "  const { userId } = await auth()\n  if (!userId) return NextResponse.json({}, { status: 401 })\n  const body = await req.json()\n",
        ),
    )
    .unwrap();
    same_as_cold(root, cache, "edited route");
    let after = rules_at(&scan(root, Some(cache)), "app/api/projects/route.ts");
    assert!(
        !after.contains(&"unprotected-route-handler".to_string()),
        "the edit is seen: {after:?}"
    );

    // Add: a new unprotected handler.
    fs::create_dir_all(root.join("app/api/export")).unwrap();
    fs::write(
        root.join("app/api/export/route.ts"),
        "import { listProjects } from '@/lib/projects'\n\nexport async function GET() {\n  return Response.json(await listProjects('x'))\n}\n",
    )
    .unwrap();
    same_as_cold(root, cache, "added route");
    assert!(
        rules_at(&scan(root, Some(cache)), "app/api/export/route.ts")
            .contains(&"unprotected-route-handler".to_string())
    );

    // Rename: the handler moves, the finding follows it.
    fs::create_dir_all(root.join("app/api/download")).unwrap();
    fs::rename(
        root.join("app/api/export/route.ts"),
        root.join("app/api/download/route.ts"),
    )
    .unwrap();
    same_as_cold(root, cache, "renamed route");
    let run = scan(root, Some(cache));
    assert!(rules_at(&run, "app/api/export/route.ts").is_empty());
    assert!(!rules_at(&run, "app/api/download/route.ts").is_empty());

    // Edit a helper the handlers call (its facts decide theirs), then delete a file.
    let helper = root.join("lib/projects.ts");
    let text = fs::read_to_string(&helper).unwrap();
    fs::write(&helper, format!("{text}\nexport const extra = 1\n")).unwrap();
    same_as_cold(root, cache, "edited helper");
    fs::remove_file(root.join("app/api/download/route.ts")).unwrap();
    same_as_cold(root, cache, "deleted route");

    // The same content at a path the cache knows under another name is not confused with it.
    fs::write(
        root.join("middleware.ts"),
        "export default function m() {}\n",
    )
    .unwrap();
    same_as_cold(root, cache, "middleware replaced");
}

/// Files older than the cache's two-second window are taken without reading them; a change
/// that keeps the size and puts the modification time back (an editor's "preserve times", a
/// `cp -p`) or replaces the file by a rename is still seen, by the change time and the inode.
#[test]
fn unchanged_files_are_not_read_and_metadata_preserving_edits_are_seen() {
    let dir = tree();
    let root = dir.path();
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path();
    // (The copy's `legacy/` is excluded by its config: not scanned, and its key not counted.)
    fs::remove_dir_all(root.join("packages/web/legacy")).unwrap();
    // Let every file settle, then fill the cache.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    same_as_cold(root, cache, "cold cache");
    let warm = scan(root, Some(cache));
    assert!(warm.unread > 0, "files were taken without reading them");
    // Nothing changed: every hit unread but the files that hold a key prefix (read every run:
    // their keys are never cached).
    assert_eq!(
        warm.hits - warm.unread,
        files_with_key_prefix(root),
        "nothing changed: only files with a key prefix are read"
    );

    // Same length, same modification time, other content: the unprotected POST becomes a
    // protected one (the finding must go away).
    let route = root.join("app/api/projects/route.ts");
    let before = rules_at(&warm, "app/api/projects/route.ts");
    assert!(before.contains(&"unprotected-route-handler".to_string()));
    let text = fs::read_to_string(&route).unwrap();
    let mtime = fs::metadata(&route).unwrap().modified().unwrap();
    let edited = text.replacen(
        "export async function POST",
        "export async function PUTT",
        1,
    );
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    fs::write(&route, &edited).unwrap();
    fs::File::options()
        .write(true)
        .open(&route)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    same_as_cold(root, cache, "same size and time");

    // Another file renamed over a settled one.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    same_as_cold(root, cache, "settled again");
    let helper = root.join("lib/projects.ts");
    let other = root.join("lib/projects.tmp");
    let text = fs::read_to_string(&helper).unwrap();
    fs::write(&other, text.replace("export", "export ")).unwrap();
    fs::rename(&other, &helper).unwrap();
    same_as_cold(root, cache, "renamed over");
}

/// Wait until what changed last lies outside the racy window, scan twice to fill the cache,
/// and require the second scan to have taken the kept walk. On a loaded machine the window
/// can still hold the first scan (whose clock read decides what is settled), so a tree that
/// was not yet kept is given two more windows; it must be kept by then.
#[track_caller]
fn settle_with_kept_walk(root: &Path, cache: &Path, step: &str) {
    let mut kept = false;
    for _ in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(2200));
        same_as_cold(root, cache, step);
        kept = scan(root, Some(cache)).walk_kept;
        if kept {
            break;
        }
    }
    assert!(kept, "{step}: a settled tree's walk is kept");
}

/// The kept walk (directories' and ignore files' metadata) stands for a walk only while the
/// tree's directories and ignore rules are what they were: each change below, on its own,
/// must be seen.
#[test]
fn the_kept_walk_sees_new_files_and_changed_ignore_rules() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("repo");
    copy_tree(&testdata().join("demo-app"), &root);
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path();
    let added = "app/api/added/route.ts";
    let open_route = "export async function GET() {\n  return Response.json(await fetch('https://db.example/rows'))\n}\n";
    settle_with_kept_walk(&root, cache, "first");

    // A file in a new directory: its parent's times change.
    fs::create_dir_all(root.join("app/api/added")).unwrap();
    fs::write(root.join(added), open_route).unwrap();
    same_as_cold(&root, cache, "added");
    assert!(
        rules_at(&scan(&root, Some(cache)), added).contains(&"unprotected-route-handler".into()),
        "the added route is scanned"
    );
    settle_with_kept_walk(&root, cache, "after the addition");

    // The root's `.gitignore` edited in place: no directory's times change.
    let gitignore = root.join(".gitignore");
    let mut rules = fs::read_to_string(&gitignore).unwrap();
    rules.push_str("app/api/added/\n");
    fs::write(&gitignore, &rules).unwrap();
    same_as_cold(&root, cache, "ignored by the edited .gitignore");
    assert!(rules_at(&scan(&root, Some(cache)), added).is_empty());
    settle_with_kept_walk(&root, cache, "after the .gitignore edit");

    // Un-ignored again by an edit of the same length.
    fs::write(
        &gitignore,
        rules.replace("app/api/added/\n", "app/api/zzzzz/\n"),
    )
    .unwrap();
    same_as_cold(&root, cache, "same-length .gitignore edit");
    assert!(!rules_at(&scan(&root, Some(cache)), added).is_empty());
    settle_with_kept_walk(&root, cache, "after the same-length edit");

    // An ignore file above the root, in a directory the walk never enters.
    fs::write(outer.path().join(".gitignore"), "repo/app/api/added/\n").unwrap();
    same_as_cold(&root, cache, "ignored from above the root");
    assert!(rules_at(&scan(&root, Some(cache)), added).is_empty());
    settle_with_kept_walk(&root, cache, "after the outer .gitignore");

    // A file deleted.
    fs::remove_file(outer.path().join(".gitignore")).unwrap();
    settle_with_kept_walk(&root, cache, "outer .gitignore gone");
    fs::remove_file(root.join(added)).unwrap();
    same_as_cold(&root, cache, "deleted");
    assert!(rules_at(&scan(&root, Some(cache)), added).is_empty());
}

#[test]
fn untrusted_caches_are_ignored_and_rebuilt() {
    let dir = tree();
    let root = dir.path();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path();
    same_as_cold(root, cache, "first");
    let file = cache_files(cache).pop().unwrap();
    let good = fs::read(&file).unwrap();

    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("garbage", b"this is not a cache file at all".repeat(100)),
        ("flipped byte", {
            let mut b = good.clone();
            let mid = b.len() / 2;
            b[mid] ^= 0x55;
            b
        }),
        ("foreign version", {
            let mut b = good.clone();
            b[12] ^= 0xff; // a byte of the build key
            b
        }),
    ];
    for (what, bytes) in damaged {
        fs::write(&file, &bytes).unwrap();
        let hits = same_as_cold(root, cache, what);
        assert_eq!(
            hits, 0,
            "{what}: nothing is taken from a cache that cannot be trusted"
        );
        // Rebuilt: the next run reads it again.
        assert!(
            same_as_cold(root, cache, &format!("after {what}")) > 0,
            "{what}: the cache was rebuilt"
        );
    }

    // A directory where the cache file should be: scans still work.
    fs::remove_file(&file).unwrap();
    fs::create_dir_all(&file).unwrap();
    same_as_cold(root, cache, "cache path is a directory");
}

#[test]
fn concurrent_runs_share_a_cache_safely() {
    let dir = tree();
    let root = dir.path().to_path_buf();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().to_path_buf();
    let cold = scan(&root, None).findings;
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let (root, cache) = (root.clone(), cache.clone());
            std::thread::spawn(move || scan(&root, Some(&cache)).findings)
        })
        .collect();
    for r in runs {
        assert_eq!(r.join().unwrap(), cold);
    }
    // What they left behind is a whole cache.
    assert!(scan(&root, Some(&cache)).hits > 0);
    assert_eq!(scan(&root, Some(&cache)).findings, cold);
}

#[test]
fn the_cache_lives_where_the_issue_says() {
    let dir = tree();
    let root = dir.path();
    let plain = |extra: &[&str]| {
        let mut cmd = bin();
        cmd.env_remove("CLERK_GUARD_CACHE_DIR")
            .args([
                "scan",
                root.to_str().unwrap(),
                "--format",
                "json",
                "--fail-on",
                "never",
            ])
            .args(extra);
        assert!(cmd.output().unwrap().status.success());
    };

    // --no-cache writes nothing.
    plain(&["--no-cache"]);
    assert!(!root.join(".clerk-guard-cache").exists());

    // Without node_modules: `.clerk-guard-cache/` with its own `.gitignore`, never scanned.
    plain(&[]);
    let own = root.join(".clerk-guard-cache");
    assert_eq!(fs::read_to_string(own.join(".gitignore")).unwrap(), "*\n");
    assert_eq!(cache_files(&own).len(), 1);
    let out = bin()
        .env_remove("CLERK_GUARD_CACHE_DIR")
        .args(["routes", root.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(".clerk-guard-cache"));

    // With node_modules: `node_modules/.cache/clerk-guard/`.
    fs::remove_dir_all(&own).unwrap();
    fs::create_dir_all(root.join("node_modules")).unwrap();
    plain(&[]);
    assert!(!own.exists());
    assert_eq!(
        cache_files(&root.join("node_modules/.cache/clerk-guard")).len(),
        1
    );

    // An empty CLERK_GUARD_CACHE_DIR turns it off.
    fs::remove_dir_all(root.join("node_modules")).unwrap();
    let out = bin()
        .env("CLERK_GUARD_CACHE_DIR", "")
        .args([
            "scan",
            root.to_str().unwrap(),
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!own.exists());
}

#[test]
fn the_cache_holds_no_secret() {
    let dir = tree();
    let root = dir.path();
    let cache_dir = tempfile::tempdir().unwrap();
    // A key in a parsed file (a route handler) and in a dotenv file.
    fs::create_dir_all(root.join("app/api/leak")).unwrap();
    let key = format!("sk_live_{}", "Q".repeat(40));
    fs::write(
        root.join("app/api/leak/route.ts"),
        format!(
            "const k = '{key}'\nexport async function GET() {{ return Response.json({{ k }}) }}\n"
        ),
    )
    .unwrap();
    scan(root, Some(cache_dir.path()));
    scan(root, Some(cache_dir.path()));
    let file = cache_files(cache_dir.path()).pop().unwrap();
    let bytes = fs::read(file).unwrap();
    for needle in [key.as_bytes(), b"sk_live_", b"sk_test_"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the cache holds {}",
            String::from_utf8_lossy(needle)
        );
    }
}
