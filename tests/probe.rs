//! `clerk-guard probe` against small HTTP servers run by the tests (127.0.0.1 only): every
//! classification, the safety rules (loopback only, safe methods, no redirects off the origin,
//! request cap, bounded concurrency, timeouts, capped bodies), and the rules
//! "probe-open-endpoint" and "probe-contradiction" in every output format. The end-to-end
//! test against a real Next.js + Clerk app is tests/probe_e2e.rs.

mod common;
mod probe_server;

use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use clerk_guard::probe::classify::{Outcome, Verdict};
use clerk_guard::probe::{ProbeArgs, ProbeResult, Settings, probe_request};
use common::{run, testdata};
use probe_server::{
    ORG_A, ORG_B, PROBE_APP_ROLE_VERDICTS, PROBE_APP_VERDICTS, Reply, Request, Server,
    bearer_claims, jwt_with_signature, session_claims,
};
use serde_json::Value;

#[derive(Parser)]
struct Wrap {
    #[command(flatten)]
    args: ProbeArgs,
}

fn settings(base: &str, extra: &[&str]) -> Result<Settings, String> {
    let mut argv = vec!["probe", "--base-url", base];
    argv.extend_from_slice(extra);
    let w = Wrap::try_parse_from(argv).map_err(|e| e.to_string())?;
    Settings::from_args(&w.args)
}

/// Probe one path of a server.
fn probe(server: &Server, method: &str, path: &str, extra: &[&str]) -> ProbeResult {
    let s = settings(&server.url(), extra).unwrap();
    let client =
        clerk_guard::probe::http::Client::new(s.timeout, s.headers.clone(), s.max_requests, false);
    probe_request(&client, &s, method, path)
}

// ---------------------------------------------------------------------------------------------
// Classification

#[test]
fn ok_with_a_body_is_open() {
    let server = Server::start(|_| Reply::json(200, r#"{"orders":[{"id":7}]}"#));
    let r = probe(&server, "GET", "/api/orders", &[]);
    assert_eq!(r.outcome, Outcome::Open);
    assert_eq!(r.status, Some(200));
    assert_eq!(r.bytes, Some(21));
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    assert_eq!(r.excerpt.as_deref(), Some(r#"{"orders":[{"id":7}]}"#));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].path, "/api/orders");
    assert_eq!(
        reqs[0].header("accept"),
        Some("*/*"),
        "an API client, not a browser"
    );
    assert!(reqs[0].header("cookie").is_none(), "no session by default");
    assert!(
        reqs[0]
            .header("user-agent")
            .is_some_and(|u| u.starts_with("clerk-guard-probe/"))
    );
}

#[test]
fn empty_ok_is_inconclusive_but_head_is_open() {
    let server = Server::start(|_| Reply::text(200, ""));
    assert_eq!(
        probe(&server, "GET", "/x", &[]).outcome,
        Outcome::Inconclusive
    );
    let server = Server::start(|_| Reply::text(204, ""));
    assert_eq!(
        probe(&server, "GET", "/x", &[]).outcome,
        Outcome::Inconclusive
    );
    let server = Server::start(|_| Reply::text(200, "body the HEAD does not get"));
    let r = probe(&server, "HEAD", "/x", &[]);
    assert_eq!(r.outcome, Outcome::Open);
    assert_eq!(server.requests()[0].method, "HEAD");
}

#[test]
fn unauthorized_and_forbidden_are_protected() {
    for status in [401, 403] {
        let server = Server::start(move |_| Reply::text(status, "no"));
        let r = probe(&server, "GET", "/api/me", &[]);
        assert_eq!(r.outcome, Outcome::Protected, "{status}");
        assert_eq!(r.status, Some(status));
    }
}

#[test]
fn not_found_is_protected() {
    // What `auth.protect()` answers a signed-out API request.
    let server = Server::start(|_| {
        Reply::Full(
            404,
            vec![
                ("content-type".into(), "text/html".into()),
                ("x-clerk-auth-status".into(), "signed-out".into()),
            ],
            b"<!DOCTYPE html><html><head><title>404: This page could not be found.</title>"
                .to_vec(),
        )
    });
    let r = probe(&server, "GET", "/api/private", &[]);
    assert_eq!(r.outcome, Outcome::Protected);
    assert!(r.detail.contains("auth.protect()"), "{}", r.detail);
    assert_eq!(
        r.excerpt.as_deref(),
        Some("HTML page \u{201c}404: This page could not be found.\u{201d}")
    );
}

#[test]
fn server_errors_are_errors() {
    let server = Server::start(|_| Reply::text(500, "Internal Server Error"));
    let r = probe(&server, "GET", "/api/x", &[]);
    assert_eq!(r.outcome, Outcome::Error);
    assert!(
        r.detail.contains("did not run"),
        "no Clerk header: {}",
        r.detail
    );
    let server =
        Server::start(|_| Reply::text(503, "down").with("x-clerk-auth-status", "signed-out"));
    let r = probe(&server, "GET", "/api/x", &[]);
    assert_eq!(r.outcome, Outcome::Error);
    assert!(!r.detail.contains("did not run"), "{}", r.detail);
}

#[test]
fn other_client_errors_are_inconclusive() {
    for status in [400, 405, 422, 429] {
        let server = Server::start(move |_| Reply::text(status, "nope"));
        assert_eq!(
            probe(&server, "GET", "/x", &[]).outcome,
            Outcome::Inconclusive,
            "{status}"
        );
    }
}

#[test]
fn redirect_to_sign_in_is_protected_and_not_followed() {
    let server = Server::start(|req| {
        if req.path.starts_with("/sign-in") {
            Reply::text(200, "sign-in page")
        } else {
            Reply::redirect(307, "/sign-in?redirect_url=%2Fdashboard")
        }
    });
    let r = probe(&server, "GET", "/dashboard", &[]);
    assert_eq!(r.outcome, Outcome::Protected);
    assert!(r.detail.contains("sign-in"), "{}", r.detail);
    assert_eq!(r.cell(), "307 → sign-in");
    assert_eq!(server.requests().len(), 1);

    // A custom sign-in page is recognised with --sign-in-url.
    let server = Server::start(|req| {
        if req.path.starts_with("/auth/enter") {
            Reply::text(200, "sign-in form")
        } else {
            Reply::redirect(302, "/auth/enter?next=/x")
        }
    });
    let r = probe(&server, "GET", "/x", &["--sign-in-url", "/auth/enter"]);
    assert_eq!(r.outcome, Outcome::Protected);
    let r = probe(&server, "GET", "/x", &[]);
    assert_eq!(
        r.outcome,
        Outcome::Open,
        "without the hint it leads to a page"
    );
    assert_eq!(r.redirects, 1);
}

#[test]
fn clerk_handshake_is_protected() {
    let server = Server::start(|_| {
        Reply::redirect(
            307,
            "https://clean-hawk-42.clerk.accounts.dev/v1/client/handshake?redirect_url=x&format=nonce",
        )
        .with("x-clerk-auth-status", "handshake")
    });
    let r = probe(&server, "GET", "/", &[]);
    assert_eq!(r.outcome, Outcome::Protected);
    assert_eq!(r.cell(), "307 → handshake");
    assert_eq!(
        r.location.as_deref(),
        Some("https://clean-hawk-42.clerk.accounts.dev/v1/client/handshake"),
        "the query (tokens, redirect URLs) is never shown"
    );
}

#[test]
fn same_origin_redirects_are_followed() {
    let server = Server::start(|req| match req.path.as_str() {
        "/api/list/" => Reply::redirect(308, "/api/list"),
        "/api/list" => Reply::json(200, "[1,2,3]"),
        _ => Reply::text(404, ""),
    });
    let r = probe(
        &server,
        "GET",
        "/api/list/",
        &["-H", "X-Token: t0k3n-value"],
    );
    assert_eq!(r.outcome, Outcome::Open);
    assert_eq!(r.redirects, 1);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[1].header("x-token"),
        Some("t0k3n-value"),
        "headers go along on the same origin"
    );
}

#[test]
fn redirects_elsewhere_are_open_and_never_followed() {
    let elsewhere = Server::start(|_| Reply::text(200, "should never be asked"));
    let target = format!("{}/files/report.pdf?sig=abc", elsewhere.url());
    let server = Server::start(move |_| Reply::redirect(302, &target));
    let r = probe(
        &server,
        "GET",
        "/api/export",
        &["-H", "Cookie: __session=s3cr3t"],
    );
    assert_eq!(r.outcome, Outcome::Open);
    assert!(r.detail.contains("not followed"), "{}", r.detail);
    assert_eq!(r.cell(), "302 → off-host");
    assert!(
        elsewhere.requests().is_empty(),
        "another port is another origin: not followed, the cookie stays home"
    );
    assert_eq!(
        r.location.as_deref(),
        Some(format!("{}/files/report.pdf", elsewhere.url()).as_str())
    );

    // A redirect after a method that changes data is not followed either.
    let server = Server::start(|req| {
        if req.method == "POST" {
            Reply::redirect(303, "/thanks")
        } else {
            Reply::text(200, "thanks")
        }
    });
    let r = probe(&server, "POST", "/api/order", &["--methods", "POST"]);
    assert_eq!(r.outcome, Outcome::Open);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn redirect_loops_stop() {
    let server = Server::start(|req| {
        let next = if req.path == "/a" { "/b" } else { "/a" };
        Reply::redirect(302, next)
    });
    let r = probe(&server, "GET", "/a", &[]);
    assert_eq!(r.outcome, Outcome::Inconclusive);
    assert_eq!(
        server.requests().len(),
        clerk_guard::probe::MAX_REDIRECTS + 1
    );
}

#[test]
fn silent_server_times_out() {
    let server = Server::start(|_| Reply::Silent(Duration::from_secs(3)));
    let start = Instant::now();
    let r = probe(&server, "GET", "/hang", &["--timeout", "0.3"]);
    assert_eq!(r.outcome, Outcome::Unreachable);
    assert!(r.detail.starts_with("timed out"), "{}", r.detail);
    assert_eq!(r.cell(), "timed out");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn stalled_body_times_out_but_keeps_the_status() {
    let server = Server::start(|_| Reply::StallBody(Duration::from_secs(3)));
    let start = Instant::now();
    let r = probe(&server, "GET", "/slow", &["--timeout", "0.5"]);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(r.status, Some(200));
    assert_eq!(r.outcome, Outcome::Open, "data started flowing");
    assert!(r.detail.contains("body"), "{}", r.detail);
}

#[test]
fn refused_and_closed_connections_are_unreachable() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let s = settings(&format!("http://127.0.0.1:{port}"), &[]).unwrap();
    let client = clerk_guard::probe::http::Client::new(s.timeout, Vec::new(), 10, false);
    let r = probe_request(&client, &s, "GET", "/");
    assert_eq!(r.outcome, Outcome::Unreachable);
    assert_eq!(r.cell(), "refused");

    let server = Server::start(|_| Reply::Close);
    let r = probe(&server, "GET", "/", &[]);
    assert_eq!(r.outcome, Outcome::Unreachable);
}

#[test]
fn garbage_answers_do_not_break_the_probe() {
    for raw in [
        b"garbage\r\n\r\n".to_vec(),
        b"HTTP/1.1 abc Nope\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999999999999\r\n\r\nx".to_vec(),
        b"HTTP/1.1 302 Found\r\nlocation: \xff\xfe\r\n\r\n".to_vec(),
        b"HTTP/1.1 302 Found\r\nlocation: http://[::1\r\n\r\n".to_vec(),
        [
            b"HTTP/1.1 200 OK\r\nx-big: ".to_vec(),
            vec![b'a'; 200_000],
            b"\r\n\r\n".to_vec(),
        ]
        .concat(),
        vec![0u8; 1000],
    ] {
        let server = Server::start(move |_| Reply::Raw(raw.clone()));
        let r = probe(&server, "GET", "/", &[]);
        assert_ne!(r.outcome, Outcome::Open, "{r:?}");
    }
}

#[test]
fn huge_bodies_are_capped() {
    let server = Server::start(|_| Reply::Stream(200, 20 * 1024 * 1024));
    let start = Instant::now();
    let r = probe(&server, "GET", "/big", &[]);
    assert_eq!(r.outcome, Outcome::Open);
    assert!(r.truncated);
    assert_eq!(
        r.bytes,
        Some(clerk_guard::probe::http::BODY_READ_CAP as u64),
        "only the cap is read"
    );
    assert_eq!(r.cell(), "200, ≥64.0 KiB");
    assert!(r.excerpt.unwrap().chars().count() <= 61);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn non_loopback_base_urls_are_refused() {
    // Documentation addresses: nothing is ever sent to them.
    for base in [
        "http://203.0.113.7:3000",
        "https://preview.example.com",
        "http://10.1.2.3",
    ] {
        let e = settings(base, &[]).unwrap_err();
        assert!(e.contains("not a loopback address"), "{e}");
        assert!(e.contains("--allow-remote"), "{e}");
        assert!(settings(base, &["--allow-remote"]).is_ok());
    }
    let start = Instant::now();
    let out = run(&[
        "probe",
        "--base-url",
        "http://203.0.113.7:3000",
        testdata().join("probe-app").to_str().unwrap(),
    ]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("--allow-remote"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "refused before any connection"
    );
}

// ---------------------------------------------------------------------------------------------
// Safety rules

#[test]
fn methods_that_change_data_are_sent_only_when_named() {
    let server = Server::start(|req| {
        assert_ne!(req.method, "DELETE", "DELETE must not be sent");
        Reply::json(200, r#"{"ok":true}"#)
    });
    let app = testdata().join("probe-app");
    let app = app.to_str().unwrap();
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app,
        "--format",
        "json",
    ]);
    assert!(server.requests().iter().all(|r| r.method == "GET"));
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let post = route(&doc, "/api/open", "POST");
    assert_eq!(post["verdict"], "static-only");
    assert!(
        post["result"]["detail"]
            .as_str()
            .unwrap()
            .contains("--methods POST")
    );

    let server = Server::start(|_| Reply::json(200, r#"{"ok":true}"#));
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app,
        "--format",
        "json",
        "--methods",
        "post",
    ]);
    let posts: Vec<Request> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].path, "/api/open");
    assert_eq!(posts[0].body, b"{}");
    assert_eq!(posts[0].header("content-type"), Some("application/json"));
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        route(&doc, "/api/open", "POST")["verdict"],
        "confirmed-open"
    );
}

#[test]
fn the_request_cap_holds() {
    let server = Server::start(|_| Reply::json(200, "{}"));
    let app = testdata().join("probe-app");
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app.to_str().unwrap(),
        "--format",
        "json",
        "--max-requests",
        "3",
    ]);
    assert_eq!(server.requests().len(), 3);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["probe"]["requests"], 3);
    let capped = doc["probe"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["result"]["detail"]
                .as_str()
                .unwrap()
                .contains("request cap")
        })
        .count();
    assert!(capped >= 5, "{capped} routes not sent for the cap");
}

#[test]
fn concurrency_is_bounded() {
    let server = Server::start(|_| {
        std::thread::sleep(Duration::from_millis(150));
        Reply::json(200, "{}")
    });
    let app = testdata().join("probe-app");
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app.to_str().unwrap(),
        "--concurrency",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(server.requests().len() >= 8);
    assert_eq!(server.max_in_flight(), 2, "two workers, both busy");
}

// ---------------------------------------------------------------------------------------------
// The command against an emulation of testdata/probe-app (tests/probe_e2e.rs runs the real app)

/// Answers as the built probe-app answers: without a session, with the session cookie of
/// `-H`, and with the bearer tokens of `--as` (whose claims it trusts, as the real app does
/// once Clerk has verified them).
fn emulate_probe_app(req: &Request) -> Reply {
    let signed_in = req
        .header("cookie")
        .is_some_and(|c| c.contains("__session="));
    let claims = bearer_claims(req);
    let html = |status, title: &str| {
        Reply::Full(
            status,
            vec![("content-type".into(), "text/html; charset=utf-8".into())],
            format!("<!DOCTYPE html><html><head><title>{title}</title></head></html>").into_bytes(),
        )
        .with("x-clerk-auth-status", "signed-out")
    };
    if let Some(c) = claims {
        let role = c["o"]["rol"].as_str().map(|r| format!("org:{r}"));
        let org = c["o"]["id"].as_str().unwrap_or("").to_string();
        let signed = |r: Reply| r.with("x-clerk-auth-status", "signed-in");
        let not_found = || {
            signed(Reply::Full(
                404,
                vec![("content-type".into(), "text/html".into())],
                b"<!DOCTYPE html><title>404: This page could not be found.</title>".to_vec(),
            ))
        };
        let (path, query) = req.path.split_once('?').unwrap_or((req.path.as_str(), ""));
        return match path {
            "/api/admin/stats" => signed(Reply::json(200, r#"{"users":1}"#)),
            "/api/admin/members" if role.as_deref() == Some("org:admin") => {
                signed(Reply::json(200, r#"{"members":[{"id":"user_member"}]}"#))
            }
            "/api/admin/members" => not_found(),
            "/api/billing" => match role.as_deref() {
                Some("org:admin" | "org:member") => {
                    signed(Reply::json(200, r#"{"invoices":[{"id":"inv_1"}]}"#))
                }
                _ => signed(Reply::text(403, "Forbidden")),
            },
            "/api/projects" => {
                let asked = query.strip_prefix("orgId=").unwrap_or("");
                signed(Reply::json(
                    200,
                    &format!(r#"{{"orgId":"{asked}","projects":[]}}"#),
                ))
            }
            p if p.starts_with("/api/orgs/") => {
                let rest = &p["/api/orgs/".len()..];
                let (asked, what) = rest.split_once('/').unwrap_or((rest, ""));
                match what {
                    "projects" => signed(Reply::json(
                        200,
                        &format!(r#"{{"orgId":"{asked}","projects":[]}}"#),
                    )),
                    "settings" if asked == org => signed(Reply::json(200, r#"{"projects":1}"#)),
                    "settings" => signed(Reply::text(403, "Forbidden")),
                    _ => not_found(),
                }
            }
            _ => emulate_probe_app(&Request {
                headers: Vec::new(),
                ..req.clone()
            }),
        };
    }
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/") => html(200, "probe app"),
        ("GET", "/dashboard" | "/api/private" | "/api/admin/members") => {
            html(404, "404: This page could not be found.")
        }
        ("GET", "/api/open") => {
            Reply::json(200, r#"{"users":[{"id":1,"email":"ada@example.com"}]}"#)
        }
        ("GET", "/api/checked" | "/api/billing" | "/api/projects") => {
            Reply::text(401, "Unauthorized")
        }
        ("GET", p) if p.starts_with("/api/orgs/") => Reply::text(401, "Unauthorized"),
        ("GET", "/api/reports") => Reply::json(200, r#"{"reports":["q1","q2"]}"#),
        ("GET", "/api/admin/stats") if signed_in => Reply::json(200, r#"{"users":1}"#),
        ("GET", "/api/admin/stats") => Reply::text(401, "Unauthorized"),
        ("GET", "/api/legacy") => Reply::json(200, r#"{"orders":[{"id":7,"total":42}]}"#),
        ("GET", p) if p.starts_with("/api/users/") => {
            let id = &p["/api/users/".len()..];
            Reply::json(
                200,
                &format!(r#"{{"id":"{id}","email":"user{id}@example.com"}}"#),
            )
        }
        _ => html(404, "404: This page could not be found."),
    }
}

fn route<'a>(doc: &'a Value, url: &str, symbol: &str) -> &'a Value {
    doc["probe"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"] == url && (r["symbol"] == symbol || r["kind"] == symbol))
        .unwrap_or_else(|| panic!("no row {url} {symbol}"))
}

#[test]
fn verdicts_and_findings_in_every_format() {
    let server = Server::start(emulate_probe_app);
    let app = testdata().join("probe-app");
    let app = app.to_str().unwrap();
    let base = server.url();

    let out = run(&["probe", "--base-url", &base, app, "--format", "json"]);
    assert_eq!(out.status, 1, "errors fail the run: {}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    for (url, symbol, verdict) in PROBE_APP_VERDICTS {
        assert_eq!(
            route(&doc, url, symbol)["verdict"],
            *verdict,
            "{url} {symbol}"
        );
    }
    let action = doc["probe"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "server-action")
        .unwrap();
    assert_eq!(action["verdict"], "static-only");
    assert_eq!(
        route(&doc, "/api/users/[id]", "GET")["request"],
        "/api/users/1"
    );
    let mut findings: Vec<(String, String, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    findings.sort();
    assert_eq!(
        findings,
        vec![
            (
                "probe-contradiction".into(),
                "app/api/reports/route.js".into(),
                3
            ),
            (
                "probe-open-endpoint".into(),
                "app/api/open/route.js".into(),
                4
            ),
            (
                "probe-open-endpoint".into(),
                "app/api/users/[id]/route.js".into(),
                1
            ),
            (
                "probe-open-endpoint".into(),
                "pages/api/legacy.js".into(),
                4
            ),
        ]
    );
    let open = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "app/api/open/route.js")
        .unwrap();
    assert_eq!(open["route"], "/api/open");
    assert_eq!(open["symbol"], "GET");
    assert!(
        open["message"].as_str().unwrap().starts_with(
            "`GET /api/open` answered 200 (46 B of application/json) to a request without a session"
        ),
        "{}",
        open["message"]
    );

    // Human: the joined table, the diagnostics, the summaries.
    let out = run(&["probe", "--base-url", &base, app, "--color", "never"]);
    assert_eq!(out.status, 1);
    let table_line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("/api/reports "))
        .unwrap();
    for col in [
        "GET",
        "handler",
        "GET /api/reports",
        "200, 23 B",
        "contradiction",
    ] {
        assert!(table_line.contains(col), "{table_line}");
    }
    assert!(
        out.stdout
            .contains("× probe-contradiction: the analysis says `GET /api/reports` is protected")
    );
    assert!(
        out.stdout.contains("probe: 14 requests in"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("3 confirmed-open, 1 contradiction, 9 protected, 1 public, 2 static-only")
    );
    assert!(out.stdout.contains("4 errors, 0 warnings"));
    let quiet = run(&["probe", "--base-url", &base, app, "--color", "never", "-q"]);
    assert!(
        !quiet.stdout.contains("VERDICT"),
        "quiet prints findings only"
    );
    assert!(quiet.stdout.contains("probe-open-endpoint"));

    // GitHub annotations.
    let out = run(&["probe", "--base-url", &base, app, "--format", "github"]);
    assert_eq!(out.status, 1);
    assert_eq!(out.stdout.lines().count(), 4);
    assert!(out.stdout.contains(
        "::error file=app/api/reports/route.js,line=3,col=23,endLine=3,endColumn=26,title=probe-contradiction::"
    ));

    // SARIF.
    let out = run(&["probe", "--base-url", &base, app, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    assert_valid_sarif(&sarif);

    // Every other format the reporters know (GitLab Code Quality, …) works as in `scan`.
    for format in clerk_guard::report::Format::value_variants() {
        let name = format.to_possible_value().unwrap().get_name().to_string();
        let out = run(&["probe", "--base-url", &base, app, "--format", &name, "-q"]);
        assert_eq!(out.status, 1, "{name}: {}", out.stderr);
        assert!(out.stdout.contains("probe-open-endpoint"), "{name}");
    }

    // Exit statuses: as in `scan`.
    let out = run(&[
        "probe",
        "--base-url",
        &base,
        app,
        "--fail-on",
        "never",
        "-q",
    ]);
    assert_eq!(out.status, 0);
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&testdata().join("probe-app"), dir.path());
    std::fs::write(
        dir.path().join("clerk-guard.toml"),
        "auth_functions = [\"requireUser\"]\n[rules]\nprobe = \"warning\"\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let out = run(&["probe", "--base-url", &base, d, "--fail-on", "error", "-q"]);
    assert_eq!(out.status, 0, "warnings do not fail --fail-on error");
    let out = run(&["probe", "--base-url", &base, d, "-q"]);
    assert_eq!(out.status, 1);
    std::fs::write(
        dir.path().join("clerk-guard.toml"),
        "auth_functions = [\"requireUser\"]\n[rules]\n\"probe-open-endpoint\" = \"off\"\n",
    )
    .unwrap();
    let out = run(&["probe", "--base-url", &base, d, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        doc["findings"].as_array().unwrap().len(),
        1,
        "only the contradiction"
    );
}

#[test]
fn suppressions_apply_and_scan_never_reports_probe_rules() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&testdata().join("probe-app"), dir.path());
    let route = dir.path().join("app/api/open/route.js");
    let text = std::fs::read_to_string(&route).unwrap().replace(
        "export async function GET() {",
        "// clerk-guard-ignore probe-open-endpoint: a public demo list\nexport async function GET() {",
    );
    std::fs::write(&route, text).unwrap();
    let server = Server::start(emulate_probe_app);
    let d = dir.path().to_str().unwrap();
    let out = run(&["probe", "--base-url", &server.url(), d, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        !doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "app/api/open/route.js" && f["rule"] == "probe-open-endpoint")
    );
    // `scan` runs no probe, so it neither reports probe rules nor calls that suppression unused.
    let out = run(&["scan", d, "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    for f in doc["findings"].as_array().unwrap() {
        assert!(!f["rule"].as_str().unwrap().starts_with("probe-"), "{f}");
        assert_ne!(f["rule"], "unused-suppression", "{f}");
    }
    let out = run(&["scan", d, "--select", "probe", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn a_session_probes_admin_operations_only_and_is_never_printed() {
    let server = Server::start(emulate_probe_app);
    let app = testdata().join("probe-app");
    let cookie = "__session=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJl";
    let header = format!("Cookie: {cookie}");
    for format in ["human", "json", "sarif", "github"] {
        let out = run(&[
            "probe",
            "--base-url",
            &server.url(),
            app.to_str().unwrap(),
            "-H",
            &header,
            "--format",
            format,
        ]);
        assert_eq!(out.status, 1, "{format}: {}", out.stderr);
        assert!(!out.stdout.contains("c2lnbmF0dXJl") && !out.stderr.contains("c2lnbmF0dXJl"));
        assert!(out.stdout.contains("probe-open-endpoint"), "{format}");
    }
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    // Admin operations only: the `admin` URL segment and the entries with a role check.
    assert!(
        paths.iter().all(
            |p| ["/api/admin/stats", "/api/admin/members", "/api/billing"].contains(&p.as_str())
        ),
        "{paths:?}"
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("cookie") == Some(cookie))
    );
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app.to_str().unwrap(),
        "-H",
        &header,
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["probe"]["as_user"], true);
    let admin = route(&doc, "/api/admin/stats", "GET");
    assert_eq!(admin["verdict"], "confirmed-open");
    assert!(admin["admin"].as_str().unwrap().contains("admin"));
    assert_eq!(route(&doc, "/api/open", "GET")["verdict"], "static-only");
    let msg = doc["findings"][0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("admin operation `GET /api/admin/stats`"),
        "{msg}"
    );

    // A session the server does not accept is called out.
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app.to_str().unwrap(),
        "-H",
        "Cookie: theme=dark",
    ]);
    assert_eq!(out.status, 0);
    assert!(
        out.stderr.contains("answered 401 to the session"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("12 entries: signed-in probe"),
        "{}",
        out.stdout
    );
}

#[test]
fn secrets_in_answers_are_redacted_everywhere() {
    let key = format!("sk_live_{}", "Zt7Qm2ZpX9aB4cRt8WvY1nK3sD6hJ0gE5uTiOq");
    let body = format!(r#"{{"config":{{"clerkSecretKey":"{key}"}}}}"#);
    let server = Server::start(move |_| Reply::json(200, &body));
    let app = testdata().join("probe-app");
    for format in ["human", "json", "sarif", "github"] {
        let out = run(&[
            "probe",
            "--base-url",
            &server.url(),
            app.to_str().unwrap(),
            "--format",
            format,
            "--color",
            "always",
        ]);
        assert!(!out.stdout.contains(&key), "{format} prints the key");
        assert!(!out.stderr.contains(&key));
        assert!(
            out.stdout.contains("sk_live_Zt7Q…"),
            "{format}: {}",
            out.stdout
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let app = testdata().join("probe-app");
    let app = app.to_str().unwrap();
    for args in [
        &["--base-url", "localhost:3000"][..],
        &["--base-url", "http://127.0.0.1:3000", "--param", "nope"],
        &["--base-url", "http://127.0.0.1:3000", "--methods", "TRACE"],
        &["--base-url", "http://127.0.0.1:3000", "-H", "Host: x"],
        &["--base-url", "http://127.0.0.1:3000", "--app", "nowhere"],
    ] {
        let mut argv = vec!["probe"];
        argv.extend_from_slice(args);
        argv.push(app);
        let out = run(&argv);
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    }
    // Nothing listening: a clear error, not a table of failures.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let out = run(&[
        "probe",
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
        app,
    ]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("is the app running?"), "{}", out.stderr);
    // A directory without an app.
    let empty = tempfile::tempdir().unwrap();
    let server = Server::start(|_| Reply::text(200, "x"));
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        empty.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("no Next.js app"), "{}", out.stderr);
}

#[test]
fn params_fill_dynamic_segments() {
    let server = Server::start(emulate_probe_app);
    let app = testdata().join("probe-app");
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app.to_str().unwrap(),
        "--param",
        "id=user_42",
        "--param",
        "slug=x",
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        route(&doc, "/api/users/[id]", "GET")["request"],
        "/api/users/user_42"
    );
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.path == "/api/users/user_42")
    );
    assert!(
        out.stderr.contains("--param slug: no route"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_server_that_fails_everything_gets_a_hint() {
    let server = Server::start(|_| Reply::text(500, "Internal Server Error"));
    let app = testdata().join("probe-app");
    let out = run(&["probe", "--base-url", &server.url(), app.to_str().unwrap()]);
    assert_eq!(out.status, 0, "errors are not findings");
    assert!(out.stderr.contains("-H localhost"), "{}", out.stderr);
    assert!(
        out.stdout.contains("14 error, 2 static-only"),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// `--as NAME=TOKEN`: role and organization enforcement

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A session token of the current format; the emulated app does not check the signature.
fn token(user: &str, org: &str, role: &str) -> String {
    jwt_with_signature(
        &session_claims(user, org, role, now(), "http://localhost:3000"),
        "ins_test",
        b"not-a-real-signature-but-long-enough",
    )
}

fn role_row<'a>(doc: &'a Value, url: &str, check: &str, user: &str) -> &'a Value {
    doc["probe"]["role_checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"] == url && r["check"]["kind"] == check && r["user"] == user)
        .unwrap_or_else(|| panic!("no role row {url} {check} {user} in {doc:#}"))
}

#[test]
fn as_users_confirm_role_and_org_bypasses() {
    let server = Server::start(emulate_probe_app);
    let app = testdata().join("probe-app");
    let app = app.to_str().unwrap();
    let member = token("member", ORG_A, "member");
    let admin = token("admin", ORG_A, "admin");
    let as_member = format!("member={member}");
    let as_admin = format!("admin={admin}");
    let args = |format: &str| -> Vec<String> {
        [
            "probe",
            "--base-url",
            &server.url(),
            app,
            "--as",
            &as_member,
            "--as",
            &as_admin,
            "--other-org",
            ORG_B,
            "--format",
            format,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let argv = args("json");
    let out = run(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status, 1, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    for (url, check, user, verdict) in PROBE_APP_ROLE_VERDICTS {
        assert_eq!(
            role_row(&doc, url, check, user)["verdict"],
            *verdict,
            "{url} {check} {user}"
        );
    }
    // The anonymous pass is unchanged.
    for (url, symbol, verdict) in PROBE_APP_VERDICTS {
        assert_eq!(route(&doc, url, symbol)["verdict"], *verdict, "{url}");
    }
    // Near miss: an endpoint without a role requirement is not probed as a user.
    let rows = doc["probe"]["role_checks"].as_array().unwrap();
    assert_eq!(rows.len(), PROBE_APP_ROLE_VERDICTS.len(), "{rows:#?}");
    assert!(!rows.iter().any(|r| r["url"] == "/api/checked"));
    assert!(
        !rows.iter().any(|r| r["url"] == "/api/reports"),
        "a helper listed in `auth_functions` checks the session, not a role"
    );
    // What was sent: the other organization's id, in the path and in the query.
    assert_eq!(
        role_row(&doc, "/api/orgs/[orgId]/projects", "org", "member")["request"],
        format!("/api/orgs/{ORG_B}/projects")
    );
    assert_eq!(
        role_row(&doc, "/api/projects", "org", "member")["request"],
        format!("/api/projects?orgId={ORG_B}")
    );
    let billing = role_row(&doc, "/api/billing", "role", "member");
    assert_eq!(billing["check"]["requires"], "org:admin");
    assert_eq!(billing["standing"], "lacks");
    assert_eq!(billing["user_roles"], format!("org:member of {ORG_A}"));
    let stats = role_row(&doc, "/api/admin/stats", "role", "member");
    assert_eq!(stats["check"]["missing_role_check"], true);
    assert_eq!(
        role_row(&doc, "/api/admin/members", "role", "admin")["standing"],
        "holds"
    );
    let users = doc["probe"]["users"].as_array().unwrap();
    assert_eq!(users[0]["name"], "member");
    assert_eq!(users[0]["admin"], false);
    assert_eq!(users[1]["admin"], true);
    assert_eq!(users[1]["claims"]["org_role"], "org:admin");
    let mut findings: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "probe-role-bypass" || f["rule"] == "probe-org-bypass")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    findings.sort();
    assert_eq!(
        findings,
        vec![
            (
                "probe-org-bypass".into(),
                "app/api/orgs/[orgId]/projects/route.js".into()
            ),
            (
                "probe-org-bypass".into(),
                "app/api/projects/route.js".into()
            ),
            (
                "probe-role-bypass".into(),
                "app/api/admin/stats/route.js".into()
            ),
            (
                "probe-role-bypass".into(),
                "app/api/billing/route.js".into()
            ),
        ]
    );
    let msg = |path: &str| -> String {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path && f["rule"].as_str().unwrap().ends_with("bypass"))
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let m = msg("app/api/billing/route.js");
    assert!(m.contains("check for `org:admin`"), "{m}");
    assert!(
        m.contains(&format!("`member` (org:member of {ORG_A})")),
        "{m}"
    );
    assert!(
        !m.contains("`admin`"),
        "the admin's success is expected: {m}"
    );
    let m = msg("app/api/admin/stats/route.js");
    assert!(
        m.starts_with(
            "`GET /api/admin/stats` performs an administrative operation (an `admin` URL segment) with no role check, and answered 200"
        ),
        "{m}"
    );
    let m = msg("app/api/orgs/[orgId]/projects/route.js");
    assert!(m.contains("org-scope-unchecked"), "{m}");
    assert!(
        m.contains(&format!("another organization's id (`{ORG_B}`)")),
        "{m}"
    );

    // Requests as users carry the bearer token, never a cookie; the anonymous ones nothing.
    let reqs = server.requests();
    let with_token: Vec<&Request> = reqs
        .iter()
        .filter(|r| r.header("authorization").is_some())
        .collect();
    assert_eq!(with_token.len(), 12);
    assert!(reqs.iter().all(|r| r.header("cookie").is_none()));
    assert!(with_token.iter().all(|r| {
        let a = r.header("authorization").unwrap();
        a == format!("Bearer {member}") || a == format!("Bearer {admin}")
    }));

    // Every format: the tokens are never printed.
    let sig = "bm90LWEtcmVhbC1zaWduYXR1cmU";
    for format in ["human", "json", "sarif", "github", "concise"] {
        let argv = args(format);
        let out = run(&argv.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(out.status, 1, "{format}: {}", out.stderr);
        for t in [&member, &admin] {
            assert!(!out.stdout.contains(t.as_str()), "{format} prints a token");
            assert!(!out.stderr.contains(t.as_str()));
        }
        assert!(
            !out.stdout.contains(sig) && !out.stderr.contains(sig),
            "{format}"
        );
        assert!(out.stdout.contains("probe-role-bypass"), "{format}");
    }
    let argv = args("human");
    let mut argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    argv.extend(["--color", "never"]);
    let out = run(&argv);
    assert!(
        out.stdout
            .contains("Role and organization checks, as member (org:member of org_2probeAcme), admin (org:admin of org_2probeAcme):"),
        "{}",
        out.stdout
    );
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("/api/admin/members") && l.contains("member "))
        .unwrap();
    assert!(
        line.contains("role org:admin") && line.contains("role-enforced"),
        "{line}"
    );
    assert!(
        out.stdout
            .contains("refused (404, 64 B) to a user without the role: the role check holds"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "as users: 2 role-bypass, 4 org-bypass, 1 role-enforced, 2 org-enforced, 3 allowed"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn other_users_organizations_are_the_foreign_ids() {
    let server = Server::start(emulate_probe_app);
    let app = testdata().join("probe-app");
    let alice = format!("alice={}", token("alice", ORG_A, "admin"));
    let bob = format!("bob={}", token("bob", ORG_B, "member"));
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app.to_str().unwrap(),
        "--as",
        &alice,
        "--as",
        &bob,
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let a = role_row(&doc, "/api/orgs/[orgId]/settings", "org", "alice");
    assert_eq!(a["request"], format!("/api/orgs/{ORG_B}/settings"));
    assert_eq!(a["foreign_org"], ORG_B);
    assert_eq!(a["verdict"], "org-enforced");
    let b = role_row(&doc, "/api/orgs/[orgId]/settings", "org", "bob");
    assert_eq!(b["request"], format!("/api/orgs/{ORG_A}/settings"));

    // One user and no --other-org: no other organization is known, nothing is sent.
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app.to_str().unwrap(),
        "--as",
        &alice,
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let a = role_row(&doc, "/api/orgs/[orgId]/projects", "org", "alice");
    assert_eq!(a["verdict"], "static-only");
    assert!(
        a["result"]["detail"]
            .as_str()
            .unwrap()
            .contains("--other-org"),
        "{a:#}"
    );
    // An admin alone confirms no bypass.
    assert!(
        !doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"].as_str().unwrap().ends_with("-bypass")),
        "{doc:#}"
    );
}

#[test]
fn rejected_expired_and_unreadable_tokens_confirm_nothing() {
    // A server whose Clerk does not accept the token: signed-out answers.
    let server = Server::start(|req| {
        let r = if req.path.starts_with("/api/admin/stats") || req.path.starts_with("/api/billing")
        {
            Reply::json(200, r#"{"public":true}"#)
        } else {
            Reply::text(401, "Unauthorized")
        };
        r.with("x-clerk-auth-status", "signed-out")
            .with("x-clerk-auth-reason", "token-invalid-signature")
    });
    let app = testdata().join("probe-app");
    let expired = jwt_with_signature(
        &session_claims("member", ORG_A, "member", now() - 7200, "x"),
        "k",
        b"signature-bytes-here",
    );
    let out = run(&[
        "probe",
        "--base-url",
        &server.url(),
        app.to_str().unwrap(),
        "--as",
        &format!("member={expired}"),
        "--as",
        "opaque=sess_opaque_token_value_123",
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    for user in ["member", "opaque"] {
        let r = role_row(&doc, "/api/billing", "role", user);
        assert_eq!(r["verdict"], "session-rejected", "{r:#}");
        assert_eq!(r["result"]["clerk_reason"], "token-invalid-signature");
    }
    assert!(
        !doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "probe-role-bypass"),
        "a rejected session proves nothing"
    );
    assert!(
        out.stderr.contains("--as member: the token expired"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("--as opaque: the token is not a readable JWT"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("(x-clerk-auth-reason: token-invalid-signature)"),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("sess_opaque_token_value_123"));
    assert!(!out.stderr.contains("sess_opaque_token_value_123"));
    assert_eq!(doc["probe"]["users"][1]["claims"]["readable"], false);
}

#[test]
fn as_usage_errors_never_echo_the_token() {
    let app = testdata().join("probe-app");
    let app = app.to_str().unwrap();
    for args in [
        &["--as", "member"][..],
        &["--as", "=s3cr3t-token"],
        &["--as", "bad name=s3cr3t-token"],
        &["--as", "m=s3cr3t token"],
        &["--as", "m=s3cr3t-token", "--as", "m=s3cr3t-token2"],
        &["--as", "m=s3cr3t-token", "-H", "Cookie: __session=x"],
        &["--as", "m=s3cr3t-token", "--other-org", "org/../x"],
    ] {
        let mut argv = vec!["probe", "--base-url", "http://127.0.0.1:9"];
        argv.extend_from_slice(args);
        argv.push(app);
        let out = run(&argv);
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert!(!out.stderr.contains("s3cr3t"), "{}", out.stderr);
    }
}

fn assert_valid_sarif(doc: &Value) {
    let path = testdata().join("sarif/sarif-schema-2.1.0.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        // tests/snapshots.rs installs the schema; without it, check the shape only.
        assert_eq!(doc["version"], "2.1.0");
        return;
    };
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

/// Keep the verdict table in one place for both test files.
#[test]
fn verdict_names_are_stable() {
    let names: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
    assert_eq!(
        names,
        [
            "confirmed-open",
            "contradiction",
            "protected",
            "public",
            "error",
            "unreachable",
            "inconclusive",
            "static-only"
        ]
    );
}
