//! A tiny HTTP/1.1 server on 127.0.0.1 for the probe tests: one thread per connection, one
//! request per connection, answers chosen by a handler, every request logged. It stops when
//! dropped.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
pub enum Reply {
    /// Status, headers, body (sent with `Content-Length`).
    Full(u16, Vec<(String, String)>, Vec<u8>),
    /// Status and headers, then this many bytes of `x` without a length, then close.
    Stream(u16, usize),
    /// Headers promising a body, then nothing for this long.
    StallBody(Duration),
    /// Accept and say nothing for this long.
    Silent(Duration),
    /// Close the connection without a word.
    Close,
    /// These bytes, whatever they are, then close.
    Raw(Vec<u8>),
}

impl Reply {
    pub fn text(status: u16, body: &str) -> Reply {
        Reply::Full(status, Vec::new(), body.as_bytes().to_vec())
    }

    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Full(
            status,
            vec![("content-type".into(), "application/json".into())],
            body.as_bytes().to_vec(),
        )
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Full(
            status,
            vec![("location".into(), location.into())],
            Vec::new(),
        )
    }

    /// Add a header to a `Full` reply.
    pub fn with(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full(_, headers, _) = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

pub struct Server {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    max_in_flight: Arc<AtomicUsize>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let handler: Handler = Arc::new(handler);
        let accept = {
            let (log, stop) = (log.clone(), stop.clone());
            let (in_flight, max_in_flight) = (in_flight.clone(), max_in_flight.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (log, handler) = (log.clone(), handler.clone());
                    let (in_flight, max_in_flight) = (in_flight.clone(), max_in_flight.clone());
                    std::thread::spawn(move || {
                        serve(conn, &log, &*handler, &in_flight, &max_in_flight);
                    });
                }
            })
        };
        Server {
            addr,
            log,
            stop,
            accept: Some(accept),
            max_in_flight,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

fn serve(
    mut conn: TcpStream,
    log: &Mutex<Vec<Request>>,
    handler: &dyn Fn(&Request) -> Reply,
    in_flight: &AtomicUsize,
    max_in_flight: &AtomicUsize,
) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = conn.set_write_timeout(Some(Duration::from_secs(5)));
    // A connection that sends no request (the probe's reachability check) is not counted.
    let Some(req) = read_request(&mut conn) else {
        return;
    };
    // Counted while the handler runs: the client is waiting then, so the count never exceeds
    // the requests it really has in flight.
    log.lock().unwrap().push(req.clone());
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max_in_flight.fetch_max(now, Ordering::SeqCst);
    let reply = handler(&req);
    in_flight.fetch_sub(1, Ordering::SeqCst);
    answer(&mut conn, &req, reply);
}

fn answer(conn: &mut TcpStream, req: &Request, reply: Reply) {
    match reply {
        Reply::Full(status, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = conn.write_all(head.as_bytes());
            if req.method != "HEAD" {
                let _ = conn.write_all(&body);
            }
        }
        Reply::Stream(status, n) => {
            let _ = conn.write_all(
                format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n"
                )
                .as_bytes(),
            );
            let chunk = vec![b'x'; 16 * 1024];
            let mut left = n;
            while left > 0 {
                let k = left.min(chunk.len());
                if conn.write_all(&chunk[..k]).is_err() {
                    break;
                }
                left -= k;
            }
        }
        Reply::StallBody(d) => {
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{\"partial\":",
            );
            let _ = conn.flush();
            std::thread::sleep(d);
        }
        Reply::Silent(d) => std::thread::sleep(d),
        Reply::Close => {}
        Reply::Raw(bytes) => {
            let _ = conn.write_all(&bytes);
        }
    }
    let _ = conn.flush();
    let _ = conn.shutdown(std::net::Shutdown::Both);
}

fn read_request(conn: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = conn.read(&mut byte).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&byte[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(1024 * 1024);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = conn.read(&mut byte).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&byte[..n]);
    }
    body.truncate(len);
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

/// The verdicts the probe-app must get without a session; used by tests/probe.rs (emulated) and tests/probe_e2e.rs (the real app).
pub const PROBE_APP_VERDICTS: &[(&str, &str, &str)] = &[
    ("/", "page", "public"),
    ("/api/admin/members", "GET", "protected"),
    ("/api/admin/stats", "GET", "protected"),
    ("/api/billing", "GET", "protected"),
    ("/api/checked", "GET", "protected"),
    ("/api/legacy", "pages-api", "confirmed-open"),
    ("/api/open", "GET", "confirmed-open"),
    ("/api/open", "POST", "static-only"),
    ("/api/orgs/[orgId]/projects", "GET", "protected"),
    ("/api/orgs/[orgId]/settings", "GET", "protected"),
    ("/api/private", "GET", "protected"),
    ("/api/projects", "GET", "protected"),
    ("/api/reports", "GET", "contradiction"),
    ("/api/users/[id]", "GET", "confirmed-open"),
    ("/dashboard", "page", "protected"),
];

/// Organizations of the users the role tests send (`--as member=… --as admin=…`, both of the
/// first organization; `--other-org` the second).
pub const ORG_A: &str = "org_2probeAcme";
pub const ORG_B: &str = "org_2probeGlobex";

/// The verdicts of the `--as` pass against the probe-app: (URL, check, user, verdict).
pub const PROBE_APP_ROLE_VERDICTS: &[(&str, &str, &str, &str)] = &[
    ("/api/admin/members", "role", "member", "role-enforced"),
    ("/api/admin/members", "role", "admin", "allowed"),
    ("/api/admin/stats", "role", "member", "role-bypass"),
    ("/api/admin/stats", "role", "admin", "allowed"),
    ("/api/billing", "role", "member", "role-bypass"),
    ("/api/billing", "role", "admin", "allowed"),
    ("/api/orgs/[orgId]/projects", "org", "member", "org-bypass"),
    ("/api/orgs/[orgId]/projects", "org", "admin", "org-bypass"),
    (
        "/api/orgs/[orgId]/settings",
        "org",
        "member",
        "org-enforced",
    ),
    ("/api/orgs/[orgId]/settings", "org", "admin", "org-enforced"),
    ("/api/projects", "org", "member", "org-bypass"),
    ("/api/projects", "org", "admin", "org-bypass"),
];

/// The claims of a version 2 Clerk session token (as `packages/shared/src/types/jwtv2.ts`
/// of clerk/javascript describes them) for a user with an organization role.
pub fn session_claims(user: &str, org: &str, role: &str, now: u64, azp: &str) -> String {
    format!(
        r#"{{"azp":"{azp}","exp":{exp},"fva":[0,-1],"iat":{now},"iss":"https://clean-hawk-42.clerk.accounts.dev","nbf":{nbf},"o":{{"id":"{org}","rol":"{role}","slg":"{slug}"}},"sid":"sess_{user}","sts":"active","sub":"user_{user}","v":2}}"#,
        exp = now + 3600,
        nbf = now.saturating_sub(10),
        slug = org.to_ascii_lowercase(),
    )
}

/// `base64url(header).base64url(payload).<signature>`.
pub fn jwt_with_signature(payload: &str, kid: &str, signature: &[u8]) -> String {
    use base64::Engine as _;
    let e = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let header = format!(r#"{{"alg":"RS256","kid":"{kid}","typ":"JWT"}}"#);
    format!(
        "{}.{}.{}",
        e(header.as_bytes()),
        e(payload.as_bytes()),
        e(signature)
    )
}

/// The payload of a bearer token, decoded (the emulated app trusts it, as a server with the
/// right key would after verifying it).
pub fn bearer_claims(req: &Request) -> Option<serde_json::Value> {
    use base64::Engine as _;
    let token = req.header("authorization")?.strip_prefix("Bearer ")?;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}
