// The editors and the trash of "Host on Azure Functions…", over VS Code: host.json opened at the end,
// the upgrade's diff with the proposed host.json on a read-only virtual right side, and deletion to
// the trash (https://code.visualstudio.com/api/references/vscode-api#FileSystem: delete's useTrash).
import * as vscode from 'vscode';
import type { HostingEditor } from './hostOnFunctions';

/** The scheme of the proposed host.json: held in memory, never saved, so closing the diff asks nothing. */
const proposedScheme = 'remote-mcp-proposed';

export function vscodeHostingEditor(subscriptions: vscode.Disposable[]): HostingEditor {
  const proposed = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let registered = false;
  const register = () => {
    if (registered) return;
    registered = true;
    subscriptions.push(
      changed,
      vscode.workspace.registerTextDocumentContentProvider(proposedScheme, {
        onDidChange: changed.event,
        provideTextDocumentContent: (uri) => proposed.get(uri.path) ?? '',
      }),
    );
  };
  return {
    open: async (file) => {
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    },
    showDiff: async (file, text, title) => {
      register();
      const right = vscode.Uri.from({ scheme: proposedScheme, path: vscode.Uri.file(file).path });
      proposed.set(right.path, text);
      changed.fire(right);
      await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(file), right, title);
    },
    trash: async (file) => {
      const uri = vscode.Uri.file(file);
      try {
        await vscode.workspace.fs.delete(uri, { useTrash: true });
      } catch {
        // Some platforms and remotes have no trash; the user agreed to the deletion itself.
        await vscode.workspace.fs.delete(uri, { useTrash: false });
      }
    },
  };
}
