import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { fakeEntra, testApi } from '../vscode/suite/support';
import type { AnalysisRequests } from '../vscode/analysisFixtures';

// Last in the suite: by now every app's key has been fetched, used, rotated or forgotten.
const control = process.env.REMOTE_MCP_CONTROL_URL ?? '';
const analysisControl = process.env.REMOTE_MCP_ANALYSIS_CONTROL_URL ?? '';

describe('secrets after the whole suite', () => {
  it('no key or token is anywhere but SecretStorage: not in settings, workspace files, mcp.json, state or logs', async () => {
    const api = await testApi();
    const { keys: functionKeys } = (await (await fetch(`${control}/keys`)).json()) as { keys: string[] };
    // Every key the fixture apps have had (first, rotated, switched) and every token handed out; in a
    // run narrowed by REMOTE_MCP_TEST_GREP only some of them were ever used.
    const tokens = (await fakeEntra()).issuedTokens;
    // And the tokens the local server got as a managed identity for the analysis tools.
    const { identityTokens } = (await (
      await fetch(`${analysisControl}/requests`)
    ).json()) as AnalysisRequests;
    const keys = [...functionKeys, ...tokens, ...identityTokens];
    // <user data>/User/globalStorage/<extension id>
    const userDataDir = path.resolve(api.globalStoragePath, '../../..');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const hits = [...filesUnder(userDataDir), ...filesUnder(folder)].filter((file) => {
      const text = readFileSync(file).toString('latin1');
      return keys.some((key) => text.includes(key));
    });
    // The only place keys may be is VS Code's secret store itself, which it encrypts.
    const outsideSecretStore = hits.filter((file) => !isSecretStore(file));
    assert.deepEqual(outsideSecretStore, [], `a key was found in ${outsideSecretStore.join(', ')}`);
    assert.ok(
      api.ui.shown.every((shown) => keys.every((key) => !shown.message.includes(key))),
      'no message shows a key or token',
    );
  });
});

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry);
    const stats = statSync(full, { throwIfNoEntry: false });
    if (!stats) return [];
    if (stats.isDirectory()) return filesUnder(full);
    // Sockets and pipes (code-server's IPC) are not files to read.
    return stats.isFile() && stats.size < 50 * 1024 * 1024 ? [full] : [];
  });
}

function isSecretStore(file: string): boolean {
  console.log(`a key is stored in ${file}`);
  return /secret/i.test(file);
}
