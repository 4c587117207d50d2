// The lint rules that keep the extension, the server and shared/ apart, and import cycles out, run
// through the repository's own eslint.config.mjs on small in-memory sources: each rule must fire on
// the import it forbids and stay quiet on the one it allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });

/** The messages `ruleId` reports on `code`, linted as if it were the file at `file` (relative to the root). */
async function reports(ruleId: string, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === ruleId).map((m) => m.message);
}

test('the extension may not import the server', async () => {
  const messages = await reports(
    'import-x/no-restricted-paths',
    'extension/localServer/hostChoice.ts',
    "import { catalogue } from '../../server/src/tools/index';\nexport const tools = catalogue;\n",
  );
  assert.equal(messages.length, 1);
  assert.match(messages[0] ?? '', /extension must not import the server/);
});

test('the server may not import the extension', async () => {
  const messages = await reports(
    'import-x/no-restricted-paths',
    'server/dev/start.ts',
    "import { Listeners } from '../../extension/common/listeners';\nexport const listeners = Listeners;\n",
  );
  assert.equal(messages.length, 1);
  assert.match(messages[0] ?? '', /server must not import the extension/);
});

test('shared/ may import neither side', async () => {
  const messages = await reports(
    'import-x/no-restricted-paths',
    'shared/net.ts',
    "import { catalogue } from '../server/src/tools/index';\n" +
      "import { Listeners } from '../extension/common/listeners';\n" +
      'export const both = [catalogue, Listeners];\n',
  );
  assert.equal(messages.length, 2);
  for (const message of messages)
    assert.match(message, /shared\/ is imported by the extension and the server/);
});

test('both sides may import shared/', async () => {
  const shared = "import { mcpRoutes } from '../../shared/mcpRoutes';\nexport const routes = mcpRoutes;\n";
  assert.deepEqual(
    await reports('import-x/no-restricted-paths', 'extension/localServer/hostChoice.ts', shared),
    [],
  );
  assert.deepEqual(await reports('import-x/no-restricted-paths', 'server/dev/start.ts', shared), []);
});

test('the server and shared/ may not import vscode', async () => {
  const code = "import * as vscode from 'vscode';\nexport const window = vscode.window;\n";
  for (const file of ['server/src/serverInfo.ts', 'shared/net.ts']) {
    const messages = await reports('no-restricted-imports', file, code);
    assert.equal(messages.length, 1, file);
    assert.match(messages[0] ?? '', /run outside VS Code/);
  }
  assert.deepEqual(await reports('no-restricted-imports', 'extension/localServer/hostChoice.ts', code), []);
});

test('an import that closes a cycle is reported', async () => {
  // toolkit/callTool.ts imports ToolError from toolkit/tool.ts, so tool.ts importing callTool closes a cycle.
  const messages = await reports(
    'import-x/no-cycle',
    'server/src/toolkit/tool.ts',
    "import { callTool } from './callTool';\nexport const call = callTool;\n",
  );
  assert.equal(messages.length, 1);
  assert.match(messages[0] ?? '', /Dependency cycle/);
});

test('an import that closes no cycle is not reported', async () => {
  const messages = await reports(
    'import-x/no-cycle',
    'server/src/toolkit/tool.ts',
    "import { networkProblem } from './upstreamWording';\nexport const wording = networkProblem;\n",
  );
  assert.deepEqual(messages, []);
});
