//! Our own base-protocol framing for `clerk-guard lsp` (instead of `lsp-server`'s stdio
//! reader, which exits on the first bad frame and allocates whatever `Content-Length` says).
//!
//! A reader thread turns `Content-Length`-framed bytes into [`Message`]s on the channel the
//! server reads (as `Connection::memory()` does); a writer thread writes what the server
//! sends. Bad input never stops the server:
//!
//! - a body that is not JSON is answered with a JSON-RPC `ParseError` (-32700, `id: null`),
//!   JSON that is no message with `InvalidRequest` (-32600, with its `id` when it has one);
//! - a body over [`MAX_MESSAGE_BYTES`] is not read into memory but skipped (up to its declared
//!   length, or to the next `Content-Length` header line, whichever comes first) and answered
//!   with a `ParseError`;
//! - a header block without a valid `Content-Length` is answered with a `ParseError`, and
//!   reading resumes at the next `Content-Length` header (a too-short length resynchronises
//!   the same way); over-long header lines are discarded;
//! - a too-long length swallows the start of the next frame: the bytes after the body's
//!   first JSON value (or from a `Content-Length` inside it) are handed back and read again.
//!
//! Error answers name the problem, never the payload.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, Message};
use serde_json::{Value, json};

/// Largest message body read (larger ones are skipped and answered with an error).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;
/// Longest header line kept (a longer one is junk).
const MAX_HEADER_LINE: usize = 8 * 1024;
/// JSON-RPC: invalid JSON was received.
pub const PARSE_ERROR: i32 = -32700;
/// JSON-RPC: the JSON sent is not a valid request object.
pub const INVALID_REQUEST: i32 = -32600;

/// The threads behind a framed connection.
pub struct Transport {
    writer: JoinHandle<()>,
}

impl Transport {
    /// Wait until everything the server sent is written (call after dropping the
    /// connection). The reader thread is not joined: it may be blocked on input and ends with
    /// the process.
    pub fn join(self) {
        let _ = self.writer.join();
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> (Connection, Transport) {
    connect(io::stdin(), io::stdout())
}

/// A connection reading frames from `input` and writing frames to `output`.
pub fn connect<R, W>(input: R, output: W) -> (Connection, Transport)
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    let (to_server, from_client) = crossbeam_channel::unbounded::<Message>();
    let (to_client, from_server) = crossbeam_channel::unbounded::<Message>();
    let output = Arc::new(Mutex::new(output));
    let out = Arc::clone(&output);
    std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read_loop(BufReader::new(input), &to_server, &out))
        .expect("spawn the LSP reader thread");
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write_loop(&from_server, &output))
        .expect("spawn the LSP writer thread");
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        Transport { writer },
    )
}

fn write_loop<W: Write>(from_server: &Receiver<Message>, output: &Mutex<W>) {
    for msg in from_server {
        let mut w = output.lock().unwrap_or_else(|e| e.into_inner());
        if msg.write(&mut *w).is_err() {
            return;
        }
    }
}

/// Write an error response that no server message carries (`id: null`).
fn write_error<W: Write>(output: &Mutex<W>, id: Value, code: i32, message: &str) -> io::Result<()> {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
    .to_string();
    let mut w = output.lock().unwrap_or_else(|e| e.into_inner());
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    w.flush()
}

/// What one frame held.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// Bad input, answered with an error response.
    Error {
        id: Value,
        code: i32,
        message: String,
    },
}

fn read_loop<R: BufRead, W: Write>(mut input: R, to_server: &Sender<Message>, output: &Mutex<W>) {
    let mut reader = FrameReader::default();
    loop {
        match reader.next(&mut input) {
            Ok(Some(Frame::Message(msg))) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if to_server.send(msg).is_err() || exit {
                    return;
                }
            }
            Ok(Some(Frame::Error { id, code, message })) => {
                if write_error(output, id, code, &message).is_err() {
                    return;
                }
            }
            // End of input (or a read error): the server sees the channel close.
            Ok(None) | Err(_) => return,
        }
    }
}

/// Splits a byte stream into frames.
#[derive(Default)]
pub struct FrameReader {
    /// A header line met while skipping an oversized body.
    pending: Option<Vec<u8>>,
    /// The length of an oversized body still to skip.
    skip_next: usize,
    /// Bytes read as a body that belong to the next frame (read before the input).
    replay: Vec<u8>,
}

/// Where a `Content-Length` header starts inside a body (after its first byte).
fn header_start(body: &[u8]) -> Option<usize> {
    let lower = body.to_ascii_lowercase();
    memchr::memmem::find_iter(&lower, b"content-length:").find(|&at| at > 0)
}

impl FrameReader {
    /// The next frame; `None` at the end of input.
    pub fn next<R: BufRead>(&mut self, r: &mut R) -> io::Result<Option<Frame>> {
        if self.replay.is_empty() {
            return self.next_from(r);
        }
        // Bytes handed back by a body that held the start of the next frame come first.
        let mut src = io::Cursor::new(std::mem::take(&mut self.replay)).chain(&mut *r);
        let frame = self.next_from(&mut src);
        let (cursor, _) = src.into_inner();
        let at = usize::try_from(cursor.position()).unwrap_or(usize::MAX);
        let unread = cursor.into_inner();
        let mut replay = std::mem::take(&mut self.replay);
        replay.extend_from_slice(unread.get(at..).unwrap_or_default());
        self.replay = replay;
        frame
    }

    fn next_from<R: BufRead>(&mut self, r: &mut R) -> io::Result<Option<Frame>> {
        if self.skip_next > 0 {
            let n = std::mem::take(&mut self.skip_next);
            self.skip(r, n)?;
        }
        let mut length: Option<Result<usize, ()>> = None;
        loop {
            let line = match self.pending.take() {
                Some(l) => l,
                None => match read_line_capped(r, MAX_HEADER_LINE)? {
                    Some((l, _)) => l,
                    None => return Ok(None),
                },
            };
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if length.is_some() {
                    break;
                }
                continue;
            }
            // Anywhere in the line: after a too-short `Content-Length`, the rest of the body
            // runs into the next header.
            if let Some(value) = header_value(text) {
                length = Some(value.trim().parse::<usize>().map_err(|_| ()));
            }
        }
        let n = match length {
            Some(Ok(n)) => n,
            _ => {
                return Ok(Some(Frame::Error {
                    id: Value::Null,
                    code: PARSE_ERROR,
                    message: "invalid Content-Length header".into(),
                }));
            }
        };
        if n > MAX_MESSAGE_BYTES {
            // Answered first, skipped on the next call (the bytes may be slow to come).
            self.skip_next = n;
            return Ok(Some(Frame::Error {
                id: Value::Null,
                code: PARSE_ERROR,
                message: format!(
                    "a message of {n} bytes is over the {} MiB limit: skipped",
                    MAX_MESSAGE_BYTES / (1024 * 1024)
                ),
            }));
        }
        let mut body = Vec::with_capacity(n.min(1 << 20));
        r.take(n as u64).read_to_end(&mut body)?;
        if body.len() < n {
            return Ok(None);
        }
        // A `Content-Length` larger than the message: the body ran into the next frame.
        // Hand the bytes after the first JSON value (or from a header inside) back.
        let mut values = serde_json::Deserializer::from_slice(&body).into_iter::<Value>();
        let end = match values.next() {
            Some(Ok(_)) => Some(values.byte_offset()),
            _ => header_start(&body),
        };
        if let Some(end) = end
            && body[end..].iter().any(|b| !b.is_ascii_whitespace())
        {
            self.replay = body[end..].to_vec();
            return Ok(Some(parse_body(&body[..end])));
        }
        Ok(Some(parse_body(&body)))
    }

    /// Skip an oversized body: `n` bytes, or up to a line that starts with a
    /// `Content-Length` header (which no JSON text holds at the start of a line).
    fn skip<R: BufRead>(&mut self, r: &mut R, n: usize) -> io::Result<()> {
        let mut left = n;
        while left > 0 {
            let Some((line, used)) =
                read_line_capped(&mut r.by_ref().take(left as u64), MAX_HEADER_LINE)?
            else {
                return Ok(());
            };
            if line.to_ascii_lowercase().starts_with(b"content-length:") {
                self.pending = Some(line);
                return Ok(());
            }
            left = left.saturating_sub(used);
        }
        Ok(())
    }
}

/// The value of a `Content-Length` header in `line` (case-insensitive, anywhere).
fn header_value(line: &str) -> Option<&str> {
    const NAME: &str = "content-length:";
    let lower = line.to_ascii_lowercase();
    let at = lower.rfind(NAME)?;
    Some(&line[at + NAME.len()..])
}

/// A line up to and including `\n` (or the end of input), with the number of bytes it
/// took; bytes past `cap` are consumed but dropped. `None` at the end of input.
fn read_line_capped<R: BufRead>(r: &mut R, cap: usize) -> io::Result<Option<(Vec<u8>, usize)>> {
    let mut line = Vec::new();
    let mut consumed = 0usize;
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((consumed > 0).then_some((line, consumed)));
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let room = cap.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        r.consume(used);
        consumed += used;
        if done {
            return Ok(Some((line, consumed)));
        }
    }
}

/// A message, or the error that answers a body that is none.
fn parse_body(body: &[u8]) -> Frame {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => {
            return Frame::Error {
                id: Value::Null,
                code: PARSE_ERROR,
                message: "the message is not valid JSON".into(),
            };
        }
    };
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    match serde_json::from_value::<Message>(value) {
        Ok(msg) => Frame::Message(msg),
        Err(_) => Frame::Error {
            id,
            code: INVALID_REQUEST,
            message: "the message is not a JSON-RPC request, response or notification".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn frames(input: &[u8]) -> Vec<String> {
        let mut r = io::Cursor::new(input.to_vec());
        let mut reader = FrameReader::default();
        let mut out = Vec::new();
        while let Some(f) = reader.next(&mut r).unwrap() {
            out.push(match f {
                Frame::Message(Message::Notification(n)) => format!("note {}", n.method),
                Frame::Message(Message::Request(q)) => format!("req {}", q.method),
                Frame::Message(Message::Response(_)) => "resp".into(),
                Frame::Error { id, code, .. } => format!("err {code} {id}"),
            });
        }
        out
    }

    const OK: &str = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;

    #[test]
    fn good_frames() {
        let input = format!(
            "{}{}",
            frame(OK),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#)
        );
        assert_eq!(
            frames(input.as_bytes()),
            ["note initialized", "req shutdown"]
        );
    }

    #[test]
    fn bad_json_and_non_messages_are_answered() {
        let input = format!(
            "{}{}{}{}",
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":3}"#),
            frame("null"),
            frame(OK)
        );
        assert_eq!(
            frames(input.as_bytes()),
            [
                "err -32700 null",
                "err -32600 7",
                "err -32600 null",
                "note initialized"
            ]
        );
    }

    #[test]
    fn bad_lengths_resynchronise() {
        // Not a number, then too short (the rest of the body runs into the next header),
        // then a header line of a megabyte, then a good frame.
        let short = format!("Content-Length: 10\r\n\r\n{OK}");
        let input = format!(
            "Content-Length: lots\r\n\r\n{OK}{short}X-Junk: {}\r\n{}",
            "j".repeat(1 << 20),
            frame(OK)
        );
        assert_eq!(
            frames(input.as_bytes()),
            ["err -32700 null", "err -32700 null", "note initialized"]
        );
    }

    #[test]
    fn too_long_lengths_recover_the_next_frame() {
        // Eight bytes too many: the body ends inside the next header.
        let long = format!("Content-Length: {}\r\n\r\n{OK}", OK.len() + 8);
        let input = format!("{long}{}{}", frame(OK), frame(OK));
        assert_eq!(
            frames(input.as_bytes()),
            ["note initialized", "note initialized", "note initialized"]
        );
        // Far too many: two frames swallowed whole, the first answered as an error after
        // nothing parses, the rest recovered.
        let long = format!("Content-Length: {}\r\n\r\n{{oops", 2 * OK.len());
        let input = format!("{long}{}{}", frame(OK), frame(OK));
        assert_eq!(
            frames(input.as_bytes()),
            ["err -32700 null", "note initialized", "note initialized"]
        );
    }

    #[test]
    fn huge_lengths_are_never_allocated() {
        // A length the input does not hold: skipped up to the next header line.
        let input = format!(
            "Content-Length: 99999999999999\r\n\r\n{{\"a\":1}}\r\n{}",
            frame(OK)
        );
        assert_eq!(
            frames(input.as_bytes()),
            ["err -32700 null", "note initialized"]
        );
        // A real body over the limit, then a good frame.
        let body = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_MESSAGE_BYTES));
        let input = format!("{}{}", frame(&body), frame(OK));
        assert_eq!(
            frames(input.as_bytes()),
            ["err -32700 null", "note initialized"]
        );
        // A length past the end of input.
        assert_eq!(
            frames(b"Content-Length: 99999999999999\r\n\r\n{}"),
            ["err -32700 null"]
        );
    }

    #[test]
    fn errors_are_written_with_a_null_id() {
        let out = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = crossbeam_channel::unbounded();
        let input = format!("{}{}", frame("{oops"), frame(OK));
        read_loop(io::Cursor::new(input.into_bytes()), &tx, &out);
        let written = String::from_utf8(out.lock().unwrap().clone()).unwrap();
        let (head, body) = written.split_once("\r\n\r\n").unwrap();
        assert_eq!(head, format!("Content-Length: {}", body.len()));
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["id"], Value::Null);
        assert_eq!(v["error"]["code"], PARSE_ERROR);
        assert!(matches!(rx.try_recv(), Ok(Message::Notification(_))));
    }
}
