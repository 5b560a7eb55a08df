// The clerk-guard extension: starts `clerk-guard lsp` (diagnostics, quick fixes, hover) for the
// workspace. The binary is, in order: the `clerk-guard.path` setting, the workspace's npm
// package (node_modules/.bin/clerk-guard), clerk-guard on PATH.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

/** The file name of an executable on this platform. */
function exe(name: string): string[] {
  return process.platform === 'win32' ? [`${name}.cmd`, `${name}.exe`, name] : [name];
}

/** The first executable file among `candidates`. */
function firstFile(candidates: string[]): string | undefined {
  return candidates.find((c) => {
    try {
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
}

/** Where the binary is: the setting, the workspace's npm package, else PATH. */
export function resolveBinary(
  configured: string | null | undefined,
  folders: readonly string[],
  envPath: string | undefined,
): { command: string; from: 'setting' | 'workspace' | 'path' } {
  if (configured && configured.trim() !== '') {
    return { command: configured, from: 'setting' };
  }
  for (const folder of folders) {
    const found = firstFile(
      exe('clerk-guard').map((n) => path.join(folder, 'node_modules', '.bin', n)),
    );
    if (found) {
      return { command: found, from: 'workspace' };
    }
  }
  for (const dir of (envPath ?? '').split(path.delimiter).filter((d) => d !== '')) {
    const found = firstFile(exe('clerk-guard').map((n) => path.join(dir, n)));
    if (found) {
      return { command: found, from: 'path' };
    }
  }
  return { command: 'clerk-guard', from: 'path' };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('clerk-guard');
  if (!config.get<boolean>('enable', true)) {
    output?.appendLine('clerk-guard is disabled (clerk-guard.enable = false)');
    return;
  }
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const bin = resolveBinary(config.get<string | null>('path'), folders, process.env.PATH);
  output?.appendLine(`starting ${bin.command} lsp (from the ${bin.from})`);
  const serverOptions: ServerOptions = {
    command: bin.command,
    args: ['lsp'],
    transport: TransportKind.stdio,
    options: { cwd: folders[0] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'typescriptreact' },
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', language: 'javascriptreact' },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'file', language: 'dotenv' },
      { scheme: 'file', language: 'toml' },
      { scheme: 'file', pattern: '**/.env*' },
      { scheme: 'file', pattern: '**/clerk-guard.toml' },
    ],
    outputChannel: output,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher(
        '**/{middleware,proxy}.{ts,js,mjs},**/next.config.*,**/package.json,**/clerk-guard.toml,**/.env*,**/.gitignore',
      ),
    },
  };
  client = new LanguageClient('clerk-guard', 'clerk-guard', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    const msg =
      bin.from === 'path'
        ? 'clerk-guard was not found: install it in the workspace (npm i -D clerk-guard) or set clerk-guard.path'
        : `clerk-guard could not start: ${e}`;
    void vscode.window.showErrorMessage(msg);
  }
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
  await start(context);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('clerk-guard');
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand('clerk-guard.restart', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('clerk-guard')) {
        void restart(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
