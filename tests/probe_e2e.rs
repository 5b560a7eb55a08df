//! End to end: install testdata/probe-app (Next.js 15.5.6 + @clerk/nextjs 6.35.0, JavaScript)
//! from the npm registry, build it, start it on a free loopback port, run
//! `clerk-guard probe` against it and assert every verdict; then stop the server.
//!
//! Role enforcement (`--as`) is tested offline: the test generates an RSA key pair with
//! `openssl`, starts the app with the public key in `CLERK_JWT_KEY` (its middleware passes it
//! as `jwtKey`, so Clerk verifies session tokens without calling its API), and mints version 2
//! session tokens for a member and an admin of one organization, plus one signed with another
//! key (which Clerk must reject). The tokens go in `Authorization: Bearer`: Clerk verifies a
//! header token on its own, while a `__session` cookie on a development instance is only
//! verified next to `__client_uat` and the dev-browser cookie `__clerk_db_jwt`.
//!
//! The installed and built app is kept under `target/tmp/probe-e2e/app-<hash of the app's
//! files>`, so a second run only starts and probes it. Skipped (with a message) when `node`
//! or `npm` is missing, unless `CLERK_GUARD_REQUIRE_E2E` is set (CI sets it).

mod common;
mod probe_server;

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{copy_tree, run, testdata};
use probe_server::{
    ORG_A, ORG_B, PROBE_APP_ROLE_VERDICTS, PROBE_APP_VERDICTS, jwt_with_signature, session_claims,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

const INSTALL_DEADLINE: Duration = Duration::from_secs(600);
const BUILD_DEADLINE: Duration = Duration::from_secs(600);
const START_DEADLINE: Duration = Duration::from_secs(90);

fn version(tool: &str) -> Option<String> {
    let out = Command::new(tool).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Hash of every file of a tree (relative path and contents), in path order.
fn tree_hash(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(f.strip_prefix(dir).unwrap().to_string_lossy().as_bytes());
        h.update([0]);
        h.update(std::fs::read(&f).unwrap());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The environment of every npm/next command: no telemetry, no update checks.
fn quiet_env(cmd: &mut Command) -> &mut Command {
    cmd.env("NEXT_TELEMETRY_DISABLED", "1")
        .env("npm_config_update_notifier", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_audit", "false")
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// Run a command to completion within a deadline, output to a log file.
fn run_logged(cmd: &mut Command, log: &Path, deadline: Duration, what: &str) -> Duration {
    let start = Instant::now();
    let file = std::fs::File::create(log).unwrap();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(
                status.success(),
                "{what} failed ({status}); last lines of {}:\n{}",
                log.display(),
                tail(log)
            );
            return start.elapsed();
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{what} took more than {deadline:?}; last lines of {}:\n{}",
                log.display(),
                tail(log)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The `next start` process: stopped (its process group, then itself) when dropped.
struct NextServer {
    child: Child,
    log: PathBuf,
}

impl Drop for NextServer {
    fn drop(&mut self) {
        let pid = self.child.id();
        // The server runs in its own process group (see `start`): end the group it leads.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{pid}")])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(app: &Path, port: u16, jwt_key: Option<&str>) -> NextServer {
    use std::os::unix::process::CommandExt;
    let log = app.join("next-start.log");
    let file = std::fs::File::create(&log).unwrap();
    // `-H localhost`, not `-H 127.0.0.1`: with the latter Next.js proxies the Clerk
    // middleware's rewrite to `localhost` as an external URL and every request fails.
    let child = quiet_env(
        Command::new("node")
            .args([
                "node_modules/next/dist/bin/next",
                "start",
                "-H",
                "localhost",
                "-p",
            ])
            .arg(port.to_string())
            .current_dir(app),
    )
    .envs(jwt_key.map(|k| ("CLERK_JWT_KEY", k)))
    .stdin(Stdio::null())
    .stdout(file.try_clone().unwrap())
    .stderr(file)
    .process_group(0)
    .spawn()
    .expect("start next");
    let mut server = NextServer { child, log };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let begin = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "next start exited ({status}); last lines of {}:\n{}",
                server.log.display(),
                tail(&server.log)
            );
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return server;
        }
        if begin.elapsed() > START_DEADLINE {
            panic!(
                "next start did not listen within {START_DEADLINE:?}:\n{}",
                tail(&server.log)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Install and build the app once per version of its files.
fn prepared_app() -> (PathBuf, String) {
    let src = testdata().join("probe-app");
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("probe-e2e");
    std::fs::create_dir_all(&work).unwrap();
    let name = format!("app-{}", tree_hash(&src));
    let app = work.join(&name);
    let mut timings = String::new();
    if !app.join(".installed").is_file() {
        // Earlier versions of the app are of no use any more.
        for entry in std::fs::read_dir(&work).unwrap().flatten() {
            if entry.file_name().to_string_lossy().starts_with("app-") {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        copy_tree(&src, &app);
        let took = run_logged(
            quiet_env(
                Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund", "--prefer-offline"])
                    .current_dir(&app),
            ),
            &work.join("npm-ci.log"),
            INSTALL_DEADLINE,
            "npm ci",
        );
        timings.push_str(&format!("npm ci {:.1}s; ", took.as_secs_f64()));
        std::fs::write(app.join(".installed"), "").unwrap();
    }
    if !app.join(".next/BUILD_ID").is_file() {
        let took = run_logged(
            quiet_env(
                Command::new("node")
                    .args(["node_modules/next/dist/bin/next", "build"])
                    .current_dir(&app),
            ),
            &work.join("next-build.log"),
            BUILD_DEADLINE,
            "next build",
        );
        timings.push_str(&format!("next build {:.1}s; ", took.as_secs_f64()));
    }
    (app, timings)
}

/// An RSA-2048 key pair made by `openssl` (Clerk's `loadClerkJwkFromPem` reads a 2048-bit
/// SPKI PEM with exponent 65537), and a second private key whose signatures Clerk must reject.
struct KeyPair {
    dir: tempfile::TempDir,
    public_pem: String,
}

impl KeyPair {
    fn generate() -> Option<KeyPair> {
        let found = Command::new("openssl").arg("version").output().ok()?;
        if !found.status.success() {
            return None;
        }
        let dir = tempfile::tempdir().ok()?;
        for name in ["key.pem", "other.pem"] {
            let ok = Command::new("openssl")
                .args([
                    "genpkey",
                    "-algorithm",
                    "RSA",
                    "-pkeyopt",
                    "rsa_keygen_bits:2048",
                    "-out",
                ])
                .arg(dir.path().join(name))
                .stderr(Stdio::null())
                .status()
                .ok()?
                .success();
            if !ok {
                return None;
            }
        }
        let out = Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(dir.path().join("key.pem"))
            .output()
            .ok()?;
        let public_pem = String::from_utf8(out.stdout).ok()?;
        public_pem
            .starts_with("-----BEGIN PUBLIC KEY-----")
            .then_some(KeyPair { dir, public_pem })
    }

    /// `header.payload.signature` signed RS256 with `key.pem` (or `other.pem`).
    fn sign(&self, payload: &str, with_other_key: bool) -> String {
        // The signing input is the token without its signature.
        let unsigned = jwt_with_signature(payload, "ins_probe_e2e", b"");
        let input = unsigned.trim_end_matches('.');
        let file = self.dir.path().join("input");
        std::fs::write(&file, input).unwrap();
        let key = if with_other_key {
            "other.pem"
        } else {
            "key.pem"
        };
        let out = Command::new("openssl")
            .args(["dgst", "-sha256", "-binary", "-sign"])
            .arg(self.dir.path().join(key))
            .arg(&file)
            .output()
            .expect("openssl dgst");
        assert!(out.status.success(), "openssl dgst failed");
        jwt_with_signature(payload, "ins_probe_e2e", &out.stdout)
    }
}

fn role_row<'a>(doc: &'a Value, url: &str, check: &str, user: &str) -> &'a Value {
    doc["probe"]["role_checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"] == url && r["check"]["kind"] == check && r["user"] == user)
        .unwrap_or_else(|| panic!("no role row {url} {check} {user} in\n{doc:#}"))
}

/// `--as member --as admin --other-org ORG_B` against the real app, then a forged token.
fn probe_as_users(keys: &KeyPair, base: &str, src: &str, server: &NextServer) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let member = keys.sign(&session_claims("member", ORG_A, "member", now, base), false);
    let admin = keys.sign(&session_claims("admin", ORG_A, "admin", now, base), false);
    let as_member = format!("member={member}");
    let as_admin = format!("admin={admin}");
    let out = run(&[
        "probe",
        "--base-url",
        base,
        src,
        "--as",
        &as_member,
        "--as",
        &as_admin,
        "--other-org",
        ORG_B,
        "--format",
        "json",
    ]);
    let context = format!("stderr: {}\nserver log:\n{}", out.stderr, tail(&server.log));
    assert_eq!(out.status, 1, "{context}");
    assert!(!out.stdout.contains(&member) && !out.stderr.contains(&member));
    let doc: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{context}", out.stdout));
    for (url, check, user, verdict) in PROBE_APP_ROLE_VERDICTS {
        let row = role_row(&doc, url, check, user);
        assert_eq!(
            row["verdict"], *verdict,
            "{url} {check} {user}: {row:#}\n{context}"
        );
    }
    // What the real server answered: Clerk took the tokens, and the app's checks spoke.
    let status = |url: &str, check: &str, user: &str| {
        role_row(&doc, url, check, user)["result"]["status"].clone()
    };
    assert_eq!(
        status("/api/admin/members", "role", "member"),
        404,
        "auth.protect({{ role }}) answers a signed-in user without the role with 404"
    );
    assert_eq!(status("/api/admin/members", "role", "admin"), 200);
    assert_eq!(status("/api/orgs/[orgId]/settings", "org", "member"), 403);
    // The other organization's project came back (the excerpt is cut at 60 characters).
    let excerpt =
        role_row(&doc, "/api/orgs/[orgId]/projects", "org", "member")["result"]["excerpt"]
            .as_str()
            .unwrap()
            .to_string();
    assert!(
        excerpt.starts_with(&format!(r#"{{"orgId":"{ORG_B}","projects":[{{"id":"p2""#)),
        "{excerpt}"
    );
    let mut rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .filter(|r| r.ends_with("-bypass"))
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            "probe-org-bypass",
            "probe-org-bypass",
            "probe-role-bypass",
            "probe-role-bypass"
        ],
        "{context}"
    );

    // A token signed with another key: Clerk rejects it, and nothing is concluded from it.
    let forged = keys.sign(&session_claims("mallory", ORG_A, "member", now, base), true);
    let as_forged = format!("mallory={forged}");
    let out = run(&[
        "probe",
        "--base-url",
        base,
        src,
        "--as",
        &as_forged,
        "--other-org",
        ORG_B,
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    for row in doc["probe"]["role_checks"].as_array().unwrap() {
        assert_eq!(row["verdict"], "session-rejected", "{row:#}");
        assert_eq!(
            row["result"]["clerk_reason"], "token-invalid-signature",
            "{row:#}"
        );
    }
    assert!(
        !doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"].as_str().unwrap().ends_with("-bypass")),
        "{doc:#}"
    );
    assert!(
        out.stderr.contains("did not take the token as a session"),
        "{}",
        out.stderr
    );

    let human = run(&[
        "probe",
        "--base-url",
        base,
        src,
        "--as",
        &as_member,
        "--as",
        &as_admin,
        "--other-org",
        ORG_B,
        "--color",
        "never",
    ]);
    let _ = writeln!(std::io::stderr(), "probe --as e2e:\n{}", human.stdout);
}

fn route<'a>(doc: &'a Value, url: &str, symbol: &str) -> &'a Value {
    doc["probe"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"] == url && (r["symbol"] == symbol || r["kind"] == symbol))
        .unwrap_or_else(|| panic!("no row {url} {symbol} in\n{doc:#}"))
}

#[test]
fn probe_a_real_next_clerk_app() {
    let (Some(node), Some(npm)) = (version("node"), version("npm")) else {
        assert!(
            std::env::var_os("CLERK_GUARD_REQUIRE_E2E").is_none(),
            "node and npm are required for the probe end-to-end test (CLERK_GUARD_REQUIRE_E2E is set)"
        );
        let mut err = std::io::stderr();
        let _ = writeln!(
            err,
            "SKIPPED probe_a_real_next_clerk_app: `node` and `npm` are not installed; the \
             end-to-end probe test needs them to install and build testdata/probe-app"
        );
        return;
    };
    let begin = Instant::now();
    let (app, mut timings) = prepared_app();
    let port = free_port();
    let keys = KeyPair::generate();
    let server = start(&app, port, keys.as_ref().map(|k| k.public_pem.as_str()));
    timings.push_str(&format!(
        "ready after {:.1}s; ",
        begin.elapsed().as_secs_f64()
    ));
    let base = format!("http://localhost:{port}");
    let src = testdata().join("probe-app");
    let src = src.to_str().unwrap();

    let probe_start = Instant::now();
    let out = run(&["probe", "--base-url", &base, src, "--format", "json"]);
    timings.push_str(&format!(
        "probe {:.2}s",
        probe_start.elapsed().as_secs_f64()
    ));
    let context = format!(
        "node {node}, npm {npm}; {timings}\nstderr: {}\nserver log:\n{}",
        out.stderr,
        tail(&server.log)
    );
    assert_eq!(out.status, 1, "findings fail the run; {context}");
    let doc: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{context}", out.stdout));

    for (url, symbol, verdict) in PROBE_APP_VERDICTS {
        let row = route(&doc, url, symbol);
        assert_eq!(
            row["verdict"], *verdict,
            "{url} {symbol}: {row:#}\n{context}"
        );
    }
    // What the real server answered, as Clerk documents it.
    assert_eq!(route(&doc, "/api/open", "GET")["result"]["status"], 200);
    assert_eq!(route(&doc, "/api/checked", "GET")["result"]["status"], 401);
    assert_eq!(
        route(&doc, "/api/private", "GET")["result"]["status"],
        404,
        "auth.protect() answers a signed-out API request with 404"
    );
    assert_eq!(route(&doc, "/dashboard", "page")["result"]["status"], 404);
    assert_eq!(route(&doc, "/api/reports", "GET")["result"]["status"], 200);
    assert_eq!(
        route(&doc, "/api/users/[id]", "GET")["result"]["excerpt"],
        r#"{"id":"1","email":"user1@example.com"}"#
    );
    let mut rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            "probe-contradiction",
            "probe-open-endpoint",
            "probe-open-endpoint",
            "probe-open-endpoint"
        ],
        "{context}"
    );

    // The human table, for the log of a failing run.
    let human = run(&["probe", "--base-url", &base, src, "--color", "never"]);
    assert!(human.stdout.contains("contradiction"), "{}", human.stdout);

    match &keys {
        Some(keys) => probe_as_users(keys, &base, src, &server),
        None => {
            assert!(
                std::env::var_os("CLERK_GUARD_REQUIRE_E2E").is_none(),
                "openssl is required for the role part of the probe end-to-end test"
            );
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED the --as part of probe_a_real_next_clerk_app: `openssl` is not installed"
            );
        }
    }
    drop(server);
    let mut err = std::io::stderr();
    let _ = writeln!(err, "probe e2e: {timings}\n{}", human.stdout);
}
