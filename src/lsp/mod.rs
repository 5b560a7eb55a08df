//! `clerk-guard lsp`: a Language Server over stdio that publishes clerk-guard's findings as
//! diagnostics of the open documents, computed from their in-memory text.

pub mod convert;
pub mod server;
pub mod transport;

use lsp_server::Connection;
use lsp_types::{
    InitializeParams, PositionEncodingKind, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions,
};

use crate::cli::{EXIT_CLEAN, EXIT_ERROR};

pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
            },
        )),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Options(
            lsp_types::CodeActionOptions {
                code_action_kinds: Some(vec![lsp_types::CodeActionKind::QUICKFIX]),
                work_done_progress_options: Default::default(),
                resolve_provider: Some(false),
            },
        )),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// Serve one client on `conn` until it shuts down.
pub fn serve(conn: &Connection) -> Result<(), String> {
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "clerk-guard".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        },
    });
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("bad initialize params: {e}"))?;
    conn.initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    server::Server::new(conn, &params)
        .run()
        .map_err(|e| e.to_string())
}

pub fn run() -> i32 {
    // Our own framing: bad frames are answered, never fatal (see `transport`).
    let (conn, transport) = transport::stdio();
    let served = serve(&conn);
    drop(conn);
    transport.join();
    match served {
        Ok(()) => EXIT_CLEAN,
        Err(e) => {
            crate::eprintln_redacted!("error: clerk-guard lsp: {}", problem_only(&e));
            EXIT_ERROR
        }
    }
}

/// A protocol error may quote a whole message (a document sent after `shutdown`, bad
/// `initialize` params): name the problem, never the payload.
fn problem_only(e: &str) -> String {
    let end = [": ", ", got", " got "]
        .iter()
        .filter_map(|sep| e.find(sep))
        .min()
        .unwrap_or(e.len());
    let head: String = e[..end].chars().take(120).collect();
    crate::finding::escape_control(&head).into_owned()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use lsp_server::{Message, Notification, Request, RequestId};
    use serde_json::{Value, json};

    use super::*;

    #[test]
    fn protocol_errors_name_the_problem_only() {
        let doc = "unexpected message during shutdown: Notification { method: \"textDocument/didOpen\", params: {\"text\": \"secret\"} }";
        assert_eq!(problem_only(doc), "unexpected message during shutdown");
        assert_eq!(
            problem_only("expected initialize request, got Notification { text }"),
            "expected initialize request"
        );
        assert_eq!(problem_only("disconnected channel"), "disconnected channel");
    }

    const KEY: &str = "sk_live_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc";

    fn next_diagnostics(client: &Connection, uri: &str) -> Value {
        loop {
            match client.receiver.recv_timeout(Duration::from_secs(20)) {
                Ok(Message::Notification(n))
                    if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri =>
                {
                    return n.params;
                }
                Ok(_) => {}
                Err(e) => panic!("no diagnostics for {uri}: {e}"),
            }
        }
    }

    #[test]
    fn publishes_redacted_utf16_diagnostics_for_buffers() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("package.json"), "{}").unwrap();
        std::fs::create_dir_all(root.join("components")).unwrap();
        let path = root.join("components/Menu.tsx");
        std::fs::write(&path, "'use client'\n").unwrap();
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || serve(&server));
        let root_uri = convert::path_to_uri(&root).unwrap();
        client
            .sender
            .send(Message::Request(Request::new(
                RequestId::from(1),
                "initialize".into(),
                json!({ "capabilities": {}, "rootUri": root_uri.as_str() }),
            )))
            .unwrap();
        match client
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .unwrap()
        {
            Message::Response(r) => {
                let caps = r.response_result.unwrap();
                assert_eq!(caps["capabilities"]["textDocumentSync"]["change"], 1);
            }
            other => panic!("{other:?}"),
        }
        client
            .sender
            .send(Message::Notification(Notification::new(
                "initialized".into(),
                json!({}),
            )))
            .unwrap();
        let uri = convert::path_to_uri(&path).unwrap().as_str().to_string();
        // A non-BMP character before the key: UTF-16 columns differ from bytes and chars.
        let text = format!("'use client'\nconst a = '😀'; const k = '{KEY}'\n");
        client
            .sender
            .send(Message::Notification(Notification::new(
                "textDocument/didOpen".into(),
                json!({ "textDocument": {
                    "uri": uri, "languageId": "typescriptreact", "version": 1, "text": text
                }}),
            )))
            .unwrap();
        let params = next_diagnostics(&client, &uri);
        let raw = params.to_string();
        assert!(!raw.contains(KEY), "{raw}");
        let diags = params["diagnostics"].as_array().unwrap();
        let d = diags
            .iter()
            .find(|d| d["code"] == "secret-key-in-client")
            .unwrap_or_else(|| panic!("{raw}"));
        assert_eq!(d["severity"], 1);
        assert_eq!(d["source"], "clerk-guard");
        assert_eq!(d["range"]["start"]["line"], 1);
        // `const a = '😀'; const k = '` is 27 UTF-16 units (the emoji counts 2).
        assert_eq!(d["range"]["start"]["character"], 27);
        assert!(
            d["codeDescription"]["href"]
                .as_str()
                .unwrap()
                .ends_with("secret-key-in-client.md")
        );
        // The fix in the buffer clears the diagnostic.
        client
            .sender
            .send(Message::Notification(Notification::new(
                "textDocument/didChange".into(),
                json!({
                    "textDocument": { "uri": uri, "version": 2 },
                    "contentChanges": [{ "text": "'use client'\nexport const k = 1\n" }]
                }),
            )))
            .unwrap();
        loop {
            let params = next_diagnostics(&client, &uri);
            if params["version"] == 2 {
                assert_eq!(params["diagnostics"], json!([]));
                break;
            }
        }
        client
            .sender
            .send(Message::Request(Request::new(
                RequestId::from(2),
                "shutdown".into(),
                json!(null),
            )))
            .unwrap();
        client
            .sender
            .send(Message::Notification(Notification::new(
                "exit".into(),
                json!(null),
            )))
            .unwrap();
        thread.join().unwrap().unwrap();
    }
}
