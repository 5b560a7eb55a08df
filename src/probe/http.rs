//! The probe's HTTP side: the base URL (and whether it is loopback), `Location` resolution,
//! and one request at a time through a blocking client that never follows redirects itself,
//! counts every request against a shared cap and reads at most a bounded prefix of a body.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// At most this many body bytes are read from any response.
pub const BODY_READ_CAP: usize = 64 * 1024;

/// Sent as `User-Agent` so that server logs show where the traffic came from.
pub const USER_AGENT: &str = concat!("clerk-guard-probe/", env!("CARGO_PKG_VERSION"));

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// An absolute `http(s)` URL split into the parts the probe needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub scheme: Scheme,
    /// Lowercased; IPv6 addresses without brackets.
    pub host: String,
    pub port: u16,
    /// Starts with `/` (or is empty for a bare origin).
    pub path: String,
    /// Without the `?`; empty when absent.
    pub query: String,
}

impl Url {
    /// Parse an absolute `http://` or `https://` URL.
    pub fn parse(text: &str) -> Result<Url, String> {
        let text = text.trim();
        let Some((scheme, rest)) = text.split_once("://") else {
            return Err(format!(
                "`{}` is not an absolute http(s) URL",
                shorten(text)
            ));
        };
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            other => {
                return Err(format!(
                    "unsupported scheme `{}`: use http:// or https://",
                    shorten(other)
                ));
            }
        };
        let rest = rest.split('#').next().unwrap_or("");
        let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(auth_end);
        if authority.contains('@') {
            return Err("a URL with credentials (`user:password@`) is not supported; pass them with --header instead".into());
        }
        let bracketed = authority.starts_with('[');
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let Some((addr, after)) = v6.split_once(']') else {
                return Err(format!("`{}`: unclosed `[` in the host", shorten(text)));
            };
            if addr.parse::<Ipv6Addr>().is_err() {
                return Err(format!("`{}` is not an IPv6 address", shorten(addr)));
            }
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(format!("`{}`: junk after the host", shorten(text))),
            };
            (addr.to_ascii_lowercase(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
                None => (authority.to_ascii_lowercase(), None),
            }
        };
        if host.is_empty() {
            return Err(format!("`{}` has no host", shorten(text)));
        }
        if !bracketed
            && !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
        {
            return Err(format!("`{}` is not a valid host name", shorten(&host)));
        }
        let port = match port {
            None => scheme.default_port(),
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 => n,
                _ => return Err(format!("`{}` is not a valid port", shorten(p))),
            },
        };
        let (path, query) = match tail.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (tail.to_string(), String::new()),
        };
        Ok(Url {
            scheme,
            host,
            port,
            path,
            query,
        })
    }

    /// `scheme://host:port`, the port only when it is not the scheme's default.
    pub fn origin(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == self.scheme.default_port() {
            format!("{}://{host}", self.scheme.as_str())
        } else {
            format!("{}://{host}:{}", self.scheme.as_str(), self.port)
        }
    }

    pub fn same_origin(&self, other: &Url) -> bool {
        self.scheme == other.scheme && self.host == other.host && self.port == other.port
    }

    /// The URL without its query (queries may carry tokens: never shown).
    pub fn display(&self) -> String {
        format!("{}{}", self.origin(), self.path)
    }
}

/// The `--base-url`: where the app is served, and an optional path prefix (Next.js
/// `basePath`).
#[derive(Clone, Debug)]
pub struct BaseUrl {
    pub url: Url,
    /// The path prefix without a trailing `/` (empty for the root).
    pub prefix: String,
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let url = Url::parse(text)?;
        if !url.query.is_empty() {
            return Err("the base URL must not have a query string".into());
        }
        if let Some(c) = url
            .path
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%".contains(*c)))
        {
            return Err(format!(
                "the base URL's path has `{}`: percent-encode it",
                c.escape_default()
            ));
        }
        let prefix = url.path.trim_end_matches('/').to_string();
        Ok(BaseUrl { url, prefix })
    }

    /// The absolute URL of a path (`/api/x`) under the base.
    pub fn url_for(&self, path: &str) -> String {
        format!("{}{}{}", self.url.origin(), self.prefix, path)
    }

    /// Whether the host is a loopback address (`localhost` must resolve only to loopback
    /// addresses).
    pub fn is_loopback(&self) -> bool {
        host_is_loopback(&self.url.host, self.url.port)
    }

    /// Open (and close) a TCP connection to the host, to fail fast when nothing listens.
    pub fn check_reachable(&self, timeout: Duration) -> Result<(), String> {
        let addrs: Vec<SocketAddr> = (self.url.host.as_str(), self.url.port)
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve `{}`: {e}", self.url.host))?
            .collect();
        let mut last = None;
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(_) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(match last {
            Some(e) => format!("cannot connect to {}: {e}", self.url.origin()),
            None => format!("`{}` resolves to no address", self.url.host),
        })
    }
}

/// Whether a host names this machine only.
pub fn host_is_loopback(host: &str, port: u16) -> bool {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return ip_is_loopback(ip);
    }
    if host == "localhost" {
        return match (host, port).to_socket_addrs() {
            Ok(addrs) => {
                let addrs: Vec<SocketAddr> = addrs.collect();
                !addrs.is_empty() && addrs.iter().all(|a| ip_is_loopback(a.ip()))
            }
            Err(_) => false,
        };
    }
    false
}

fn ip_is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4: Ipv4Addr| v4.is_loopback())
        }
    }
}

/// A `Location` header resolved against the URL that answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub url: Url,
    /// Same scheme, host and port as the base URL.
    pub same_origin: bool,
}

/// Resolve a `Location` value against the URL of the request that got it.
pub fn resolve_location(current: &Url, base: &BaseUrl, value: &str) -> Option<Location> {
    let value = value.trim();
    if value.is_empty() || value.chars().any(|c| c.is_control() || c == ' ') {
        return None;
    }
    // As browsers do for http(s): a backslash before the query is a slash (`/\host` is
    // `//host`, another origin).
    let cut = value.find(['?', '#']).unwrap_or(value.len());
    let normalised = format!("{}{}", value[..cut].replace('\\', "/"), &value[cut..]);
    let value = normalised.as_str();
    let url = if let Some(rest) = value.strip_prefix("//") {
        Url::parse(&format!("{}://{rest}", current.scheme.as_str())).ok()?
    } else if value
        .split_once("://")
        .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        Url::parse(value).ok()?
    } else {
        let (path, query) = match value.split_once('?') {
            Some((p, q)) => (p, q.split('#').next().unwrap_or("")),
            None => (value.split('#').next().unwrap_or(""), ""),
        };
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            // Relative to the current path's directory.
            let dir = match current.path.rfind('/') {
                Some(i) => &current.path[..=i],
                None => "/",
            };
            format!("{dir}{path}")
        };
        Url {
            path,
            query: query.to_string(),
            ..current.clone()
        }
    };
    let same_origin = url.same_origin(&base.url);
    Some(Location { url, same_origin })
}

/// What came back for one request.
#[derive(Clone, Debug, Default)]
pub struct Exchange {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub content_length: Option<u64>,
    /// `x-clerk-auth-status` (signed-in, signed-out, handshake): set when Clerk's middleware
    /// ran on the request.
    pub clerk_status: Option<String>,
    /// `x-clerk-auth-reason`: why Clerk decided so (`token-expired`, `session-token-and-uat-missing`).
    pub clerk_reason: Option<String>,
    /// At most `BODY_READ_CAP` bytes.
    pub body: Vec<u8>,
    /// More body bytes followed what was read.
    pub truncated: bool,
    /// Reading the body failed after the status line arrived (a timeout, a reset).
    pub body_error: Option<String>,
}

impl Exchange {
    /// The body size as far as it is known: the header's, else what was read.
    pub fn size(&self) -> u64 {
        self.content_length.unwrap_or(self.body.len() as u64)
    }
}

/// Why a request got no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No status line within the timeout.
    Timeout,
    /// Nothing listens (or the connection was refused or reset).
    Refused(String),
    /// The total request cap is spent: the request was not sent.
    CapReached,
    /// Anything else (TLS, protocol, bad URL), briefly.
    Other(String),
}

impl Failure {
    pub fn describe(&self) -> String {
        match self {
            Failure::Timeout => "timed out".into(),
            Failure::Refused(e) => format!("connection failed ({e})"),
            Failure::CapReached => "not sent: the request cap is spent".into(),
            Failure::Other(e) => e.clone(),
        }
    }
}

/// A request the probe sends.
#[derive(Clone, Debug)]
pub struct Outgoing<'a> {
    pub method: &'a str,
    /// Absolute URL.
    pub url: &'a str,
    /// Sent with `Content-Type: application/json` when present.
    pub json_body: Option<&'a str>,
    /// A session token sent as `Authorization: Bearer <token>` (`--as`).
    pub bearer: Option<&'a str>,
}

/// The HTTP client: one agent shared by the worker threads, and the request budget.
pub struct Client {
    agent: ureq::Agent,
    headers: Vec<(String, String)>,
    sent: AtomicUsize,
    max_requests: usize,
}

impl Client {
    pub fn new(
        timeout: Duration,
        headers: Vec<(String, String)>,
        max_requests: usize,
        use_env_proxy: bool,
    ) -> Client {
        let mut config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(USER_AGENT)
            .save_redirect_history(false);
        if !use_env_proxy {
            config = config.proxy(None);
        }
        Client {
            agent: config.build().into(),
            headers,
            sent: AtomicUsize::new(0),
            max_requests,
        }
    }

    /// Requests sent so far.
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }

    fn take_budget(&self) -> bool {
        self.sent
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.max_requests).then_some(n + 1)
            })
            .is_ok()
    }

    /// Send one request; redirects are returned, never followed.
    pub fn send(&self, req: &Outgoing<'_>) -> Result<Exchange, Failure> {
        if !self.take_budget() {
            return Err(Failure::CapReached);
        }
        let mut builder = ureq::http::Request::builder()
            .method(req.method)
            .uri(req.url);
        let has_accept = self
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept"));
        if !has_accept {
            // Not `text/html`: an API client's request, so Clerk answers `auth.protect()`
            // with 404 rather than a sign-in redirect or a development-instance handshake.
            builder = builder.header("accept", "*/*");
        }
        for (k, v) in &self.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        if let Some(token) = req.bearer {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        let response = match req.json_body {
            Some(body) => {
                let request = builder
                    .header("content-type", "application/json")
                    .body(body.as_bytes())
                    .map_err(|e| Failure::Other(format!("cannot build the request: {e}")))?;
                self.agent.run(request)
            }
            None => {
                let request = builder
                    .body(())
                    .map_err(|e| Failure::Other(format!("cannot build the request: {e}")))?;
                self.agent.run(request)
            }
        };
        let response = response.map_err(map_error)?;
        let (parts, body) = response.into_parts();
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let mut ex = Exchange {
            status: parts.status.as_u16(),
            location: header("location"),
            content_type: header("content-type"),
            content_length: header("content-length").and_then(|v| v.trim().parse().ok()),
            clerk_status: header("x-clerk-auth-status"),
            clerk_reason: header("x-clerk-auth-reason").map(|r| shorten(&r)),
            ..Exchange::default()
        };
        if req.method.eq_ignore_ascii_case("HEAD") {
            return Ok(ex);
        }
        let mut reader = body.into_reader().take(BODY_READ_CAP as u64 + 1);
        let mut buf = Vec::new();
        if let Err(e) = reader.read_to_end(&mut buf) {
            ex.body_error = Some(match e.kind() {
                std::io::ErrorKind::TimedOut => "timed out reading the body".into(),
                _ => format!("reading the body failed: {}", shorten(&e.to_string())),
            });
        }
        if buf.len() > BODY_READ_CAP {
            buf.truncate(BODY_READ_CAP);
            ex.truncated = true;
        }
        ex.body = buf;
        Ok(ex)
    }
}

fn map_error(e: ureq::Error) -> Failure {
    match e {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::ConnectionFailed => Failure::Refused("connection failed".into()),
        ureq::Error::HostNotFound => Failure::Other("host not found".into()),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => Failure::Timeout,
            std::io::ErrorKind::ConnectionRefused => Failure::Refused("refused".into()),
            std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::UnexpectedEof => Failure::Refused("closed by the server".into()),
            _ => Failure::Other(shorten(&io.to_string())),
        },
        other => Failure::Other(shorten(&other.to_string())),
    }
}

/// At most 120 characters of a message (for errors that echo input back).
pub fn shorten(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let mut out: String = text.chars().take(MAX).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let u = Url::parse("HTTP://LocalHost:3000/app/?x=1#frag").unwrap();
        assert_eq!(u.scheme, Scheme::Http);
        assert_eq!(u.host, "localhost");
        assert_eq!(u.port, 3000);
        assert_eq!(u.path, "/app/");
        assert_eq!(u.query, "x=1");
        assert_eq!(u.origin(), "http://localhost:3000");
        let v6 = Url::parse("https://[::1]").unwrap();
        assert_eq!(v6.host, "::1");
        assert_eq!(v6.port, 443);
        assert_eq!(v6.origin(), "https://[::1]");
        assert_eq!(Url::parse("http://[::1]:8080/").unwrap().port, 8080);
    }

    #[test]
    fn rejects_bad_urls() {
        for bad in [
            "",
            "localhost:3000",
            "ftp://x",
            "http://",
            "http://:80",
            "http://host:0",
            "http://host:99999",
            "http://host:x",
            "http://user:pw@host",
            "http://[::1",
            "http://[zz]",
            "http://[::1]x",
            "http://::1/",
            "http://ho st/",
            "javascript:alert(1)",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(BaseUrl::parse("http://127.0.0.1:3000/?q=1").is_err());
        assert!(BaseUrl::parse("http://127.0.0.1:3000/a b").is_err());
        assert!(BaseUrl::parse("http://127.0.0.1:3000/caf\u{e9}").is_err());
        assert!(BaseUrl::parse("http://127.0.0.1:3000/caf%C3%A9/").is_ok());
        // Never echo a huge input back whole.
        let long = format!("ftp://{}", "a".repeat(10_000));
        assert!(Url::parse(&long).unwrap_err().len() < 300);
    }

    #[test]
    fn loopback_hosts() {
        for (url, lo) in [
            ("http://127.0.0.1:3000", true),
            ("http://127.8.9.10", true),
            ("http://[::1]:3000", true),
            ("http://[::ffff:127.0.0.1]", true),
            ("http://localhost:3000", true),
            ("http://10.0.0.1", false),
            ("http://192.168.1.2:3000", false),
            ("http://0.0.0.0:3000", false),
            ("https://my-app-git-preview.vercel.app", false),
            ("http://localhost.example.com", false),
        ] {
            assert_eq!(
                BaseUrl::parse(url).unwrap().is_loopback(),
                lo,
                "{url} loopback should be {lo}"
            );
        }
    }

    #[test]
    fn base_paths() {
        let b = BaseUrl::parse("http://127.0.0.1:3000/docs/").unwrap();
        assert_eq!(b.prefix, "/docs");
        assert_eq!(b.url_for("/api/x"), "http://127.0.0.1:3000/docs/api/x");
        let b = BaseUrl::parse("http://127.0.0.1:80").unwrap();
        assert_eq!(b.url_for("/"), "http://127.0.0.1/");
    }

    #[test]
    fn resolves_locations() {
        let base = BaseUrl::parse("http://127.0.0.1:3000").unwrap();
        let cur = Url::parse("http://127.0.0.1:3000/api/a/b").unwrap();
        let l = resolve_location(&cur, &base, "/sign-in?redirect_url=x").unwrap();
        assert!(l.same_origin);
        assert_eq!(l.url.path, "/sign-in");
        assert_eq!(l.url.query, "redirect_url=x");
        let l = resolve_location(&cur, &base, "c").unwrap();
        assert_eq!(l.url.path, "/api/a/c");
        let l = resolve_location(&cur, &base, "http://127.0.0.1:3000/x").unwrap();
        assert!(l.same_origin);
        let l = resolve_location(&cur, &base, "http://localhost:3000/x").unwrap();
        assert!(!l.same_origin, "another host name is another host");
        let l = resolve_location(&cur, &base, "https://127.0.0.1:3000/x").unwrap();
        assert!(!l.same_origin);
        let l = resolve_location(&cur, &base, "//evil.example/x").unwrap();
        assert!(!l.same_origin);
        assert_eq!(l.url.host, "evil.example");
        let l = resolve_location(
            &cur,
            &base,
            "https://clean-hawk-42.clerk.accounts.dev/v1/client/handshake?redirect_url=x",
        )
        .unwrap();
        assert!(!l.same_origin);
        assert_eq!(l.url.path, "/v1/client/handshake");
        assert_eq!(
            l.url.display(),
            "https://clean-hawk-42.clerk.accounts.dev/v1/client/handshake"
        );
        // Browsers read `\` as `/` in http(s) URLs: `/\host` is `//host`, another origin.
        for v in [
            "/\\evil.example/x",
            "\\\\evil.example/x",
            "\\/evil.example/x",
        ] {
            let l = resolve_location(&cur, &base, v).unwrap();
            assert!(!l.same_origin, "{v}");
            assert_eq!(l.url.host, "evil.example", "{v}");
        }
        let l = resolve_location(&cur, &base, "/a\\b?x=\\").unwrap();
        assert!(l.same_origin);
        assert_eq!(l.url.path, "/a/b");
        assert!(resolve_location(&cur, &base, "").is_none());
        assert!(resolve_location(&cur, &base, "http://[bad").is_none());
        assert!(resolve_location(&cur, &base, "a b").is_none());
    }

    #[test]
    fn arbitrary_input_never_panics() {
        // A small deterministic generator over characters that matter to URL parsing.
        let alphabet: Vec<char> = "hH tps:/[]@?#%.:0129aZ-_é\u{0}\\ \t\n\u{ff}"
            .chars()
            .collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let base = BaseUrl::parse("http://127.0.0.1:3000/base").unwrap();
        let cur = Url::parse("http://127.0.0.1:3000/base/a/b?x=1").unwrap();
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let mut text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            if next() % 2 == 0 {
                text.insert_str(0, ["http://", "https://", "//", "/"][(next() % 4) as usize]);
            }
            if let Ok(u) = Url::parse(&text) {
                let _ = (u.origin(), u.display());
            }
            if let Ok(b) = BaseUrl::parse(&text) {
                let _ = b.url_for("/x");
            }
            if let Some(l) = resolve_location(&cur, &base, &text) {
                let _ = l.url.display();
            }
        }
    }

    #[test]
    fn request_cap_is_shared() {
        let c = Client::new(Duration::from_secs(1), Vec::new(), 2, false);
        assert!(c.take_budget());
        assert!(c.take_budget());
        assert!(!c.take_budget());
        assert_eq!(c.sent(), 2);
        let out = c.send(&Outgoing {
            method: "GET",
            url: "http://127.0.0.1:9/",
            json_body: None,
            bearer: None,
        });
        assert_eq!(out.unwrap_err(), Failure::CapReached);
    }
}
