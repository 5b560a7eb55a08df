//! The language server's state and its handlers.
//!
//! The main loop never waits for the project model: the model is built from disk on a
//! background thread (in its own thread pool, so that checks of open documents never queue
//! behind it) and replaced when the build ends. Until the first build ends, documents are
//! checked against a model of the open documents alone. Open documents always overlay the
//! model with their in-memory text.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{
    Diagnostic, DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, InitializeParams, LogMessageParams, MessageType,
    PublishDiagnosticsParams, Uri, notification,
};

use super::convert::{diagnostic, uri_to_path};
use crate::config::Config;
use crate::engine::{self, ReportFilter, RuleSet};
use crate::facts::FileFacts;
use crate::overlay;
use crate::project::Project;
use crate::source::{FileKind, file_name, is_env_file_name, rel_path};

/// Milliseconds to wait before each model build (tests only: a stand-in for a slow disk).
pub const BUILD_DELAY_ENV: &str = "CLERK_GUARD_LSP_BUILD_DELAY_MS";

/// An open document.
struct Doc {
    uri: Uri,
    /// Path relative to the root; `None` outside it (no diagnostics then).
    rel: Option<String>,
    text: String,
    version: i32,
}

/// A finished build of the model from disk.
pub struct Built {
    generation: u64,
    project: Project,
    rules: RuleSet,
    config_error: Option<String>,
    files: usize,
    seconds: f64,
}

pub struct Server<'a> {
    conn: &'a Connection,
    root: Option<PathBuf>,
    /// `root` canonicalised, to place documents given through symlinked paths.
    root_canon: Option<PathBuf>,
    docs: BTreeMap<String, Doc>,
    model: Project,
    rules: RuleSet,
    /// A build from disk has finished at least once.
    ready: bool,
    building: bool,
    rebuild_pending: bool,
    generation: u64,
    built_tx: Sender<Built>,
    built_rx: Receiver<Built>,
    last_config_error: Option<String>,
}

/// Files whose change can change the findings of other files.
pub fn is_project_level(rel: &str) -> bool {
    let name = file_name(rel);
    let stem = name.split('.').next().unwrap_or(name);
    matches!(stem, "middleware" | "proxy")
        || name.starts_with("next.config.")
        || name == "package.json"
        || name == "tsconfig.json"
        || name == crate::config::CONFIG_FILE_NAME
        || is_env_file_name(name)
}

fn load_config(root: &Path) -> (Config, Option<String>) {
    match Config::load(None, root) {
        Ok(c) => (c, None),
        Err(e) => (Config::default(), Some(format!("config error: {e}"))),
    }
}

fn rules_for(config: &Config) -> RuleSet {
    RuleSet::new(config, &[], &[]).unwrap_or_default()
}

impl<'a> Server<'a> {
    pub fn new(conn: &'a Connection, params: &InitializeParams) -> Server<'a> {
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| uri_to_path(&f.uri))
            .or_else(|| params.root_uri.as_ref().and_then(uri_to_path))
            .or_else(|| params.root_path.as_ref().map(PathBuf::from));
        let (built_tx, built_rx) = crossbeam_channel::unbounded();
        let mut server = Server {
            conn,
            root: None,
            root_canon: None,
            docs: BTreeMap::new(),
            model: Project::build(PathBuf::new(), Vec::new(), Vec::new(), Config::default()),
            rules: rules_for(&Config::default()),
            ready: false,
            building: false,
            rebuild_pending: false,
            generation: 0,
            built_tx,
            built_rx,
            last_config_error: None,
        };
        if let Some(root) = root {
            server.set_root(root);
        }
        server
    }

    fn set_root(&mut self, root: PathBuf) {
        let canon = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        let (config, error) = load_config(&canon);
        self.rules = rules_for(&config);
        self.report_config_error(error);
        self.model = Project::build(canon.clone(), Vec::new(), Vec::new(), config);
        self.root = Some(root);
        self.root_canon = Some(canon);
        self.start_build();
    }

    /// The main loop: client messages and finished builds, until `shutdown`/`exit`.
    pub fn run(mut self) -> Result<(), lsp_server::ProtocolError> {
        let built_rx = self.built_rx.clone();
        loop {
            select! {
                recv(self.conn.receiver) -> msg => match msg {
                    Ok(Message::Request(req)) => {
                        if self.conn.handle_shutdown(&req)? {
                            return Ok(());
                        }
                        self.on_request(req);
                    }
                    Ok(Message::Notification(n)) => {
                        if n.method == notification::Exit::METHOD {
                            return Ok(());
                        }
                        self.on_notification(n);
                    }
                    Ok(Message::Response(_)) => {}
                    Err(_) => return Ok(()),
                },
                recv(built_rx) -> built => {
                    if let Ok(built) = built {
                        self.on_built(built);
                    }
                }
            }
        }
    }

    fn send(&self, msg: Message) {
        let _ = self.conn.sender.send(msg);
    }

    fn log(&self, typ: MessageType, message: String) {
        let message = crate::facts::secrets::redact_all(&message).into_owned();
        let params = LogMessageParams { typ, message };
        self.send(Message::Notification(Notification::new(
            notification::LogMessage::METHOD.to_string(),
            params,
        )));
    }

    fn report_config_error(&mut self, error: Option<String>) {
        if error != self.last_config_error
            && let Some(e) = &error
        {
            self.send(Message::Notification(Notification::new(
                notification::ShowMessage::METHOD.to_string(),
                lsp_types::ShowMessageParams {
                    typ: MessageType::ERROR,
                    message: crate::facts::secrets::redact_all(&format!("clerk-guard: {e}"))
                        .into_owned(),
                },
            )));
        }
        self.last_config_error = error;
    }

    fn on_request(&self, req: Request) {
        use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
        let result = match req.method.as_str() {
            CodeActionRequest::METHOD => serde_json::from_value(req.params)
                .map(|p| serde_json::to_value(self.code_actions(p)).unwrap_or_default()),
            HoverRequest::METHOD => serde_json::from_value(req.params)
                .map(|p| serde_json::to_value(self.hover(p)).unwrap_or_default()),
            _ => {
                self.send(Message::Response(Response::new_err(
                    req.id,
                    ErrorCode::MethodNotFound as i32,
                    format!("clerk-guard does not handle {}", req.method),
                )));
                return;
            }
        };
        let response = match result {
            Ok(v) => {
                // A last guard, as for diagnostics: no whole key in an answer.
                let text = crate::facts::secrets::redact_all(&v.to_string()).into_owned();
                Response::new_ok(
                    req.id,
                    serde_json::from_str::<serde_json::Value>(&text).unwrap_or_default(),
                )
            }
            Err(e) => Response::new_err(
                req.id,
                ErrorCode::InvalidParams as i32,
                format!("invalid params: {e}"),
            ),
        };
        self.send(Message::Response(response));
    }

    /// Fix context over the open documents' text.
    fn fix_cx(&self) -> Option<crate::fix::FixCx> {
        let root = self.root_canon.as_ref()?;
        let mut cx = crate::fix::FixCx::new(root);
        for d in self.docs.values() {
            if let Some(rel) = &d.rel {
                cx = cx.with_overlay(rel, d.text.clone());
            }
        }
        Some(cx)
    }

    /// `textDocument/codeAction`: the fixes of the findings in the range, then "suppress with
    /// a reason" and "mark route as public".
    fn code_actions(&self, p: lsp_types::CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand};
        let mut out = Vec::new();
        let Some(doc) = self.docs.get(p.text_document.uri.as_str()) else {
            return out;
        };
        let (Some(rel), Some(root), Some(cx)) = (&doc.rel, &self.root_canon, self.fix_cx()) else {
            return out;
        };
        for f in self.findings_for(&[rel.as_str()]) {
            let d = diagnostic(&self.model, root, &f);
            if d.range.end < p.range.start || p.range.end < d.range.start {
                continue;
            }
            let fixes = crate::fix::fixes_for(&cx, &f);
            let preferred = fixes
                .iter()
                .position(|x| x.safety == crate::fix::Safety::Safe);
            for (i, fix) in fixes.into_iter().enumerate() {
                let Some(edit) = super::convert::workspace_edit(&cx, root, &fix) else {
                    continue;
                };
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(edit),
                    command: None,
                    is_preferred: Some(preferred == Some(i)),
                    disabled: None,
                    data: None,
                }));
            }
        }
        out
    }

    /// `textDocument/hover` on a route handler, action or page export: its `routes` row.
    fn hover(&self, p: lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let pos = p.text_document_position_params;
        let doc = self.docs.get(pos.text_document.uri.as_str())?;
        let rel = doc.rel.as_ref()?;
        let lines = crate::source::LineIndex::new(&doc.text);
        let at = lines.offset_of_utf16(
            &doc.text,
            pos.position.line as usize,
            pos.position.character as usize,
        );
        let line0 = lines.line0(at);
        let md = crate::routes_cmd::hover_markdown(&self.model, rel, |e| {
            (e.span.start <= at && at <= e.span.end) || lines.line0(e.span.start) == line0
        })?;
        Some(lsp_types::Hover {
            contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                kind: lsp_types::MarkupKind::Markdown,
                value: md,
            }),
            range: None,
        })
    }

    fn on_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    self.did_open(p);
                }
            }
            notification::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    self.did_change(p);
                }
            }
            notification::DidSaveTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) {
                    self.did_save(p);
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    self.did_close(p);
                }
            }
            notification::DidChangeWatchedFiles::METHOD => self.start_build(),
            _ => {}
        }
    }

    fn rel_of(&self, uri: &Uri) -> Option<String> {
        let path = uri_to_path(uri)?;
        for root in [self.root.as_ref()?, self.root_canon.as_ref()?] {
            if let Ok(rest) = path.strip_prefix(root) {
                return Some(rel_path(Path::new(""), rest));
            }
        }
        let canon = std::fs::canonicalize(&path).ok()?;
        let rest = canon.strip_prefix(self.root_canon.as_ref()?).ok()?;
        Some(rel_path(Path::new(""), rest))
    }

    fn did_open(&mut self, p: DidOpenTextDocumentParams) {
        let doc = p.text_document;
        if self.root.is_none()
            && let Some(path) = uri_to_path(&doc.uri)
        {
            self.set_root(engine::project_root_of(&path));
        }
        let rel = self.rel_of(&doc.uri);
        let key = doc.uri.as_str().to_string();
        self.docs.insert(
            key.clone(),
            Doc {
                uri: doc.uri,
                rel,
                text: doc.text,
                version: doc.version,
            },
        );
        self.overlay(&key);
        self.publish(&key);
    }

    fn did_change(&mut self, p: DidChangeTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let Some(doc) = self.docs.get_mut(&key) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let lines = crate::source::LineIndex::new(&doc.text);
                    let start = lines.offset_of_utf16(
                        &doc.text,
                        range.start.line as usize,
                        range.start.character as usize,
                    );
                    let end = lines
                        .offset_of_utf16(
                            &doc.text,
                            range.end.line as usize,
                            range.end.character as usize,
                        )
                        .max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        doc.version = p.text_document.version;
        self.overlay(&key);
        // Every open document, from one check (the project-level rules dominate its cost,
        // whatever the number of documents): an edit can change another document's
        // diagnostics (a helper's verdict reaches its callers' entries).
        self.publish_all();
    }

    fn did_save(&mut self, p: DidSaveTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        // The model already holds the buffer (updated from it alone, and every open document
        // published then); a saved text the buffer did not have is put in and published now.
        // Then a rebuild from disk, for what changed outside the editor.
        if let (Some(text), Some(doc)) = (p.text, self.docs.get_mut(&key))
            && doc.text != text
        {
            doc.text = text;
            self.overlay(&key);
            self.publish_all();
        }
        self.start_build();
    }

    fn did_close(&mut self, p: DidCloseTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let Some(doc) = self.docs.remove(&key) else {
            return;
        };
        // The disk version replaces the buffer in the model.
        if let Some(rel) = &doc.rel {
            let input = overlay::input_for(&self.model, rel);
            let facts = match engine::read_facts(&input) {
                Ok(Some(f)) => f,
                _ => crate::facts::extract(&input, String::new()),
            };
            self.model.upsert(facts);
        }
        self.send_diagnostics(doc.uri, Vec::new(), None);
        if doc.rel.as_deref().is_some_and(is_project_level) {
            self.publish_all();
        }
    }

    /// Put a document's buffer into the model.
    fn overlay(&mut self, key: &str) {
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        let Some(rel) = doc.rel.clone() else { return };
        if !self.ready {
            self.note_package_dirs(&rel);
        }
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        if let Some(facts) = self.buffer_facts(&rel, &doc.text) {
            self.model.upsert(facts);
        }
    }

    /// Put every open document's buffer into the model, with one update of the models.
    fn overlay_all(&mut self) {
        let rels: Vec<String> = self.docs.values().filter_map(|d| d.rel.clone()).collect();
        if !self.ready {
            for rel in &rels {
                self.note_package_dirs(rel);
            }
        }
        let all: Vec<FileFacts> = self
            .docs
            .values()
            .filter_map(|d| self.buffer_facts(d.rel.as_deref()?, &d.text))
            .collect();
        if !all.is_empty() {
            self.model.upsert_all(all);
        }
    }

    fn buffer_facts(&self, rel: &str, text: &str) -> Option<FileFacts> {
        let input = overlay::input_for(&self.model, rel);
        overlay::facts_for(&input, text.as_bytes().to_vec())
    }

    /// Before the first build: the package directories above an open document, so that
    /// `public/` of a nested app is known.
    fn note_package_dirs(&mut self, rel: &str) {
        let Some(root) = &self.root_canon else { return };
        let mut dir = crate::source::parent_dir(rel);
        loop {
            if root.join(dir).join("package.json").is_file()
                && !dir.is_empty()
                && !self.model.package_dirs.iter().any(|d| d == dir)
            {
                self.model.package_dirs.push(dir.to_string());
            }
            if dir.is_empty() {
                break;
            }
            dir = crate::source::parent_dir(dir);
        }
    }

    /// The findings of `rels` (open documents' paths) against the current model, from one
    /// check: the project-level rules run once, whatever the number of documents.
    fn findings_for(&self, rels: &[&str]) -> Vec<crate::finding::Finding> {
        let checked: Vec<String> = rels
            .iter()
            .filter(|rel| {
                let input = overlay::input_for(&self.model, rel);
                !overlay::walk_skips(&self.model, &input)
                    && (input.kind == FileKind::Env || !input.origin.gitignored)
            })
            .map(|rel| rel.to_string())
            .collect();
        if checked.is_empty() {
            return Vec::new();
        }
        let filter = ReportFilter::new(checked, Vec::new());
        engine::check(&self.model, &self.rules, Some(&filter))
    }

    fn publish(&self, key: &str) {
        self.publish_keys(&[key]);
    }

    fn publish_all(&self) {
        let keys: Vec<&str> = self.docs.keys().map(String::as_str).collect();
        self.publish_keys(&keys);
    }

    fn publish_keys(&self, keys: &[&str]) {
        let docs: Vec<&Doc> = keys.iter().filter_map(|k| self.docs.get(*k)).collect();
        let rels: Vec<&str> = docs.iter().filter_map(|d| d.rel.as_deref()).collect();
        let mut diagnostics: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        if let Some(root) = &self.root_canon {
            for f in self.findings_for(&rels) {
                let d = diagnostic(&self.model, root, &f);
                diagnostics.entry(f.path).or_default().push(d);
            }
        }
        for doc in docs {
            let found = doc
                .rel
                .as_deref()
                .and_then(|rel| diagnostics.remove(rel))
                .unwrap_or_default();
            self.send_diagnostics(doc.uri.clone(), found, Some(doc.version));
        }
    }

    fn send_diagnostics(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        // A last guard: nothing sent to the editor shows a whole key.
        let params = serde_json::to_string(&params)
            .ok()
            .and_then(|s| {
                serde_json::from_str::<serde_json::Value>(&crate::facts::secrets::redact_all(&s))
                    .ok()
            })
            .unwrap_or(serde_json::Value::Null);
        if params.is_null() {
            return;
        }
        self.send(Message::Notification(Notification::new(
            notification::PublishDiagnostics::METHOD.to_string(),
            params,
        )));
    }

    /// Build the model from disk on a background thread, unless a build is running (then one
    /// more build follows it).
    fn start_build(&mut self) {
        let Some(root) = self.root_canon.clone() else {
            return;
        };
        if self.building {
            self.rebuild_pending = true;
            return;
        }
        self.building = true;
        self.rebuild_pending = false;
        self.generation += 1;
        let generation = self.generation;
        let tx = self.built_tx.clone();
        let spawned = std::thread::Builder::new()
            .name("clerk-guard-model".to_string())
            .spawn(move || {
                let start = Instant::now();
                // For tests: stands in for a repository whose model takes this long to build.
                if let Some(ms) = std::env::var(BUILD_DELAY_ENV)
                    .ok()
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    std::thread::sleep(std::time::Duration::from_millis(ms));
                }
                let (config, config_error) = load_config(&root);
                let rules = rules_for(&config);
                let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
                // The facts cache: a rebuild after a save parses only what changed. (Its
                // rules run later, on open documents; what they parse joins the next save.)
                let cache = crate::cache::FactsCache::open(&root);
                let build = || {
                    let project = engine::load_project_cached(
                        &root,
                        config,
                        true,
                        crate::project::Analysis::AllApps,
                        cache.as_ref(),
                        Vec::new(),
                    )
                    .0;
                    // The whole import graph, built now: an edit updates it in place and
                    // reads its importers (a scan resolves file by file instead).
                    project.graph();
                    if let Some(c) = &cache {
                        c.save(&project.files);
                    }
                    project
                };
                // Its own pool: checks of open documents use the global one and never wait
                // behind the build's work.
                let project = match rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|i| format!("clerk-guard-build-{i}"))
                    .build()
                {
                    Ok(pool) => pool.install(build),
                    Err(_) => build(),
                };
                let files = project.files.len();
                let _ = tx.send(Built {
                    generation,
                    project,
                    rules,
                    config_error,
                    files,
                    seconds: start.elapsed().as_secs_f64(),
                });
            });
        if spawned.is_err() {
            self.building = false;
        }
    }

    fn on_built(&mut self, built: Built) {
        self.building = false;
        if built.generation == self.generation || !self.ready {
            // The model replaced is freed on a thread of its own: the next edit does not wait.
            engine::drop_elsewhere(std::mem::replace(&mut self.model, built.project));
            self.rules = built.rules;
            self.ready = true;
            self.overlay_all();
            self.log(
                MessageType::INFO,
                format!(
                    "clerk-guard: project model built from {} files in {:.2}s",
                    built.files, built.seconds
                ),
            );
            self.report_config_error(built.config_error);
            self.publish_all();
        }
        if self.rebuild_pending {
            self.start_build();
        }
    }
}
