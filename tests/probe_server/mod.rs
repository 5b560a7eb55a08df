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
    ("/api/admin/stats", "GET", "protected"),
    ("/api/checked", "GET", "protected"),
    ("/api/legacy", "pages-api", "confirmed-open"),
    ("/api/open", "GET", "confirmed-open"),
    ("/api/open", "POST", "static-only"),
    ("/api/private", "GET", "protected"),
    ("/api/reports", "GET", "contradiction"),
    ("/api/users/[id]", "GET", "confirmed-open"),
    ("/dashboard", "page", "protected"),
];
