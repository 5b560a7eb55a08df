// An LSP client built on Microsoft's `vscode-languageserver-protocol` (the library VS Code's own
// client uses) that drives `clerk-guard lsp` as an editor would, asserts what it publishes,
// and prints a JSON summary (with timings) on stdout.
//
//   node client.js <clerk-guard binary> <scenario> <workspace root>
//
// Scenarios: `demo` (a copy of testdata/demo-app), `latency` (a large generated repository).
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lsp = require('vscode-languageserver-protocol/node');

const [bin, scenario, root] = process.argv.slice(2);
const TIMEOUT_MS = 30000;

function uriOf(rel) {
  return pathToFileURL(path.join(root, rel)).href;
}

function languageOf(rel) {
  if (rel.endsWith('.tsx')) return 'typescriptreact';
  if (rel.endsWith('.ts')) return 'typescript';
  if (rel.endsWith('.js') || rel.endsWith('.mjs')) return 'javascript';
  return 'plaintext';
}

class Client {
  constructor() {
    this.child = spawn(bin, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.conn = lsp.createProtocolConnection(
      new lsp.StreamMessageReader(this.child.stdout),
      new lsp.StreamMessageWriter(this.child.stdin),
    );
    this.waiters = [];
    this.logs = [];
    this.published = [];
    this.versions = new Map();
    this.conn.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      this.dispatch('diagnostics', params);
    });
    this.conn.onNotification(lsp.LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.dispatch('log', params);
    });
    this.conn.listen();
  }

  dispatch(kind, params) {
    this.waiters = this.waiters.filter((w) => {
      if (w.kind === kind && w.accept(params)) {
        clearTimeout(w.timer);
        w.resolve(params);
        return false;
      }
      return true;
    });
  }

  // Resolves with the next message of `kind` that `accept` takes. Register before triggering.
  next(kind, accept, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}`)),
        TIMEOUT_MS,
      );
      this.waiters.push({ kind, accept, resolve, timer });
    });
  }

  diagnostics(rel, accept = () => true) {
    const uri = uriOf(rel);
    return this.next('diagnostics', (p) => p.uri === uri && accept(p), `diagnostics of ${rel}`);
  }

  modelBuilt() {
    return this.next('log', (p) => p.message.includes('project model built'), 'the model build');
  }

  async initialize() {
    const result = await this.conn.sendRequest(lsp.InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          synchronization: { didSave: true },
        },
      },
    });
    assert.equal(result.serverInfo.name, 'clerk-guard');
    assert.equal(result.capabilities.textDocumentSync.change, lsp.TextDocumentSyncKind.Full);
    await this.conn.sendNotification(lsp.InitializedNotification.type, {});
  }

  open(rel, text = fs.readFileSync(path.join(root, rel), 'utf8')) {
    this.versions.set(rel, 1);
    return this.conn.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uriOf(rel), languageId: languageOf(rel), version: 1, text },
    });
  }

  change(rel, text) {
    const version = this.versions.get(rel) + 1;
    this.versions.set(rel, version);
    return this.conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf(rel), version },
      contentChanges: [{ text }],
    });
  }

  // Write the buffer to disk and tell the server, as an editor's save does.
  save(rel, text) {
    fs.writeFileSync(path.join(root, rel), text);
    return this.conn.sendNotification(lsp.DidSaveTextDocumentNotification.type, {
      textDocument: { uri: uriOf(rel) },
    });
  }

  close(rel) {
    return this.conn.sendNotification(lsp.DidCloseTextDocumentNotification.type, {
      textDocument: { uri: uriOf(rel) },
    });
  }

  async shutdown() {
    await this.conn.sendRequest(lsp.ShutdownRequest.type);
    await this.conn.sendNotification(lsp.ExitNotification.type);
    const code = await new Promise((resolve) => this.child.on('exit', resolve));
    assert.equal(code, 0, 'clerk-guard lsp exits 0 after shutdown/exit');
    this.conn.dispose();
  }
}

function codes(params) {
  return params.diagnostics.map((d) => d.code).sort();
}

async function demo() {
  const c = new Client();
  const summary = {};
  const built = c.modelBuilt();
  await c.initialize();

  // A key in a 'use client' module: reported from the buffer, with docs link and position.
  const menu = 'components/UserMenu.tsx';
  const menuText = fs.readFileSync(path.join(root, menu), 'utf8');
  let t0 = performance.now();
  let p = c.diagnostics(menu);
  await c.open(menu, menuText);
  let d = await p;
  summary.first_diagnostics_ms = Math.round(performance.now() - t0);
  assert.deepEqual(codes(d), ['secret-key-in-client']);
  const diag = d.diagnostics[0];
  assert.equal(diag.severity, lsp.DiagnosticSeverity.Error);
  assert.equal(diag.source, 'clerk-guard');
  assert.deepEqual(diag.range.start, { line: 6, character: 21 });
  assert.match(diag.codeDescription.href, /docs\/rules\/secret-key-in-client\.md$/);
  assert.match(diag.message, /sk_live_qIA1…/);
  assert.doesNotMatch(JSON.stringify(d), /sk_live_[A-Za-z0-9]{20,}/);

  // Editing the buffer (not the disk) clears it, and brings it back.
  const fixed = menuText.replace(/'sk_live_[A-Za-z0-9]+'/, 'process.env.NEXT_PUBLIC_X');
  p = c.diagnostics(menu, (x) => x.version === 2);
  await c.change(menu, fixed);
  assert.deepEqual(codes(await p), []);
  p = c.diagnostics(menu, (x) => x.version === 3);
  await c.change(menu, '\n\n' + menuText);
  d = await p;
  assert.deepEqual(codes(d), ['secret-key-in-client']);
  assert.equal(d.diagnostics[0].range.start.line, 8, 'positions follow the buffer');
  await built;
  summary.model_built = true;

  // A new, never-saved file is checked too.
  const draft = 'lib/draft.ts';
  p = c.diagnostics(draft);
  await c.open(
    draft,
    "import { createClerkClient } from '@clerk/backend'\n" +
      "export const c = createClerkClient({ secretKey: 'sk_test_Zr4pQ8mW2xK9vN3bL7tY5hC1dF6gJ0sA' })\n",
  );
  assert.deepEqual(codes(await p), ['hardcoded-secret-key']);

  // A change in middleware.ts refreshes the diagnostics of the other open documents.
  const middleware = 'middleware.ts';
  const mwText = fs.readFileSync(path.join(root, middleware), 'utf8');
  p = c.diagnostics(middleware);
  await c.open(middleware, mwText);
  await p;
  const refreshedMenu = c.diagnostics(menu);
  const refreshedDraft = c.diagnostics(draft);
  await c.change(middleware, mwText + '\n// protect everything\n');
  assert.deepEqual(codes(await refreshedMenu), ['secret-key-in-client']);
  assert.deepEqual(codes(await refreshedDraft), ['hardcoded-secret-key']);
  summary.middleware_change_refreshed = true;

  // .env.local is gitignored: its key is where it belongs, so no diagnostic. Saving a
  // .gitignore that no longer ignores it rebuilds the model, and the key is reported.
  const envLocal = '.env.development.local';
  p = c.diagnostics(envLocal);
  await c.open(envLocal);
  assert.deepEqual(codes(await p), []);
  const gitignore = '.gitignore';
  const giText = fs.readFileSync(path.join(root, gitignore), 'utf8');
  p = c.diagnostics(gitignore);
  await c.open(gitignore, giText);
  await p;
  const relaxed = giText.replace('.env*.local\n', '');
  assert.notEqual(relaxed, giText);
  await c.change(gitignore, relaxed);
  const rebuilt = c.modelBuilt();
  const envReported = c.diagnostics(envLocal, (x) => x.diagnostics.length > 0);
  t0 = performance.now();
  await c.save(gitignore, relaxed);
  await rebuilt;
  assert.deepEqual(codes(await envReported), ['hardcoded-secret-key']);
  summary.rebuild_after_save_ms = Math.round(performance.now() - t0);

  // Closing a document clears its diagnostics.
  p = c.diagnostics(draft, (x) => x.version === undefined);
  await c.close(draft);
  assert.deepEqual((await p).diagnostics, []);

  const all = JSON.stringify(c.published);
  assert.doesNotMatch(all, /sk_(live|test)_[A-Za-z0-9]{20,}/, 'no whole key is ever sent');
  await c.shutdown();
  return summary;
}

async function latency() {
  const c = new Client();
  const built = c.modelBuilt();
  await c.initialize();
  const rel = 'apps/app-0/components/Leak.tsx';
  const t0 = performance.now();
  const p = c.diagnostics(rel);
  await c.open(rel);
  const d = await p;
  const first = performance.now() - t0;
  assert.deepEqual(codes(d), ['secret-key-in-client']);
  const log = await built;
  const builtMs = performance.now() - t0;
  await c.shutdown();
  return {
    first_diagnostics_ms: Math.round(first),
    model_built_ms: Math.round(builtMs),
    model_log: log.message,
  };
}

// Apply the text edits of `edit` that target `uri` to `text` (LSP positions are UTF-16).
function applyEdits(text, edit, uri) {
  let edits = [];
  if (edit.changes) edits = edit.changes[uri] || [];
  for (const op of edit.documentChanges || []) {
    if (op.textDocument && op.textDocument.uri === uri) edits = edits.concat(op.edits);
  }
  const lines = text.split('\n');
  const offset = (pos) => {
    let o = 0;
    for (let i = 0; i < pos.line; i++) o += lines[i].length + 1;
    return o + pos.character;
  };
  const sorted = edits
    .map((e) => [offset(e.range.start), offset(e.range.end), e.newText])
    .sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  for (const [s, e, t] of sorted) text = text.slice(0, s) + t + text.slice(e);
  return text;
}

// Every fixable diagnostic goes away when the preferred code action's edit is applied to
// the buffer; "suppress" and "mark as public" are offered; hover shows the routes row.
async function fixes() {
  const c = new Client();
  const built = c.modelBuilt();
  await c.initialize();
  await built;
  const summary = { fixed: [], hover: false };
  const files = ['app/api/projects/route.ts', 'app/actions/save.ts', 'app/api/me/route.ts', 'app/api/noawait/route.ts'];
  for (const rel of files) {
    let text = fs.readFileSync(path.join(root, rel), 'utf8');
    const uri = uriOf(rel);
    let p = c.diagnostics(rel);
    await c.open(rel, text);
    let d = await p;
    assert.ok(d.diagnostics.length > 0, `${rel} has diagnostics`);
    if (rel === 'app/api/projects/route.ts') {
      // Diagnostics link the rule's docs and point at the middleware that does not protect.
      const first = d.diagnostics[0];
      assert.match(first.codeDescription.href, /docs\/rules\/unprotected-route-handler\.md$/);
      assert.ok(
        (first.relatedInformation || []).some((r) => r.location.uri.endsWith('/middleware.ts')),
        JSON.stringify(first),
      );
      const h = await c.conn.sendRequest(lsp.HoverRequest.type, {
        textDocument: { uri },
        position: d.diagnostics[0].range.start,
      });
      assert.match(h.contents.value, /\/api\/projects/);
      assert.match(h.contents.value, /UNPROTECTED/);
      summary.hover = true;
      const all = await c.conn.sendRequest(lsp.CodeActionRequest.type, {
        textDocument: { uri },
        range: d.diagnostics[0].range,
        context: { diagnostics: [d.diagnostics[0]] },
      });
      const titles = all.map((a) => a.title);
      assert.ok(titles.some((t) => t.startsWith('Suppress')), titles.join('; '));
      assert.ok(titles.some((t) => t.startsWith('Mark `/api/projects` as public')), titles.join('; '));
      // The suppression alone removes the diagnostic too.
      const sup = all.find((a) => a.title.startsWith('Suppress'));
      const suppressed = applyEdits(text, sup.edit, uri);
      p = c.diagnostics(rel, (x) => x.version === 2);
      await c.change(rel, suppressed);
      const after = await p;
      assert.equal(after.diagnostics.length, d.diagnostics.length - 1, JSON.stringify(after.diagnostics));
      p = c.diagnostics(rel, (x) => x.version === 3);
      await c.change(rel, text);
      d = await p;
    }
    for (let round = 0; round < 6 && d.diagnostics.length > 0; round++) {
      // A finding whose fix is another's (a handler that calls auth() but never checks it)
      // has no preferred action of its own: take the first diagnostic that has one.
      let diag;
      let preferred;
      for (const cand of d.diagnostics) {
        const actions = await c.conn.sendRequest(lsp.CodeActionRequest.type, {
          textDocument: { uri },
          range: cand.range,
          context: { diagnostics: [cand] },
        });
        preferred = actions.find((a) => a.isPreferred && a.diagnostics[0].code === cand.code);
        if (preferred) {
          diag = cand;
          break;
        }
      }
      assert.ok(preferred, `${rel}: a preferred fix for one of ${codes(d)}`);
      text = applyEdits(text, preferred.edit, uri);
      const version = c.versions.get(rel) + 1;
      p = c.diagnostics(rel, (x) => x.version === version);
      await c.change(rel, text);
      const next = await p;
      assert.ok(
        next.diagnostics.length < d.diagnostics.length,
        `${rel}: applying "${preferred.title}" removes ${diag.code}:\n${text}`,
      );
      summary.fixed.push(`${rel}: ${diag.code}`);
      d = next;
    }
    assert.deepEqual(codes(d), [], `${rel} is clean after its fixes`);
  }
  await c.shutdown();
  return summary;
}

const scenarios = { demo, latency, fixes };

scenarios[scenario]()
  .then((summary) => {
    process.stdout.write(JSON.stringify(summary) + '\n');
    process.exit(0);
  })
  .catch((e) => {
    process.stderr.write(`lsp client scenario ${scenario} failed: ${e.stack || e}\n`);
    process.exit(1);
  });
