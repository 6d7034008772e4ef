// Starts `k8scheck lsp` for Kubernetes YAML and JSON files: diagnostics as
// you type, quick fixes ("Fix: ...", "Ignore RULE here", "Fix all"), and
// the rule's explanation on hover. Everything else is the server's.
import * as vscode from 'vscode';
import {
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const cfg = vscode.workspace.getConfiguration('k8scheck');
  const args = ['lsp'];
  const log = cfg.get<string>('log', '');
  if (log !== '') {
    args.push('--log', log);
  }
  const run: Executable = { command: cfg.get<string>('path', 'k8scheck'), args };
  return { run, debug: run };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'json' },
    ],
    synchronize: {
      // The server re-reads its configuration when these change.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.k8scheck.{yaml,yml}'),
    },
  };
  client = new LanguageClient('k8scheck', 'k8scheck', serverOptions(), clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('k8scheck.restart', async () => {
      await client?.stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('k8scheck')) {
        await client?.stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
