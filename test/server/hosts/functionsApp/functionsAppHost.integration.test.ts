// The Functions app host process (server/dist/functionsApp.js) on what the wire tests' TypeScript
// fixture does not exercise: an ES module app whose package.json `main` is a glob over two files,
// the worker's hooks (app.hook.appStart / preInvocation / appTerminate) and app.setup, the key
// guard shared with the embedded host, and a clean stop on SIGTERM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectClient, firstText } from '../../../support/mcpClients';
import { startFunctionsAppHost, type RunningFunctionsApp } from '../../../support/functionsAppFixture';

const repo = path.resolve(__dirname, '../../../..');
const key = 'test-key-not-a-secret';
let folder: string;
let host: RunningFunctionsApp;

const files: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'esm-app',
    type: 'module',
    main: 'functions/*.js',
    dependencies: { '@azure/functions': '4.16.5' },
  }),
  'host.json': JSON.stringify({ version: '2.0' }),
  'functions/a-setup.js': [
    "import { app } from '@azure/functions';",
    'app.setup({ enableHttpStream: false });',
    "app.hook.appStart(() => console.log('appStart hook'));",
    'app.hook.preInvocation((context) => { context.inputs[0].arguments.word = context.inputs[0].arguments.word.toUpperCase(); });',
    "app.hook.appTerminate(() => console.log('appTerminate hook'));",
  ].join('\n'),
  'functions/b-tools.js': [
    // Node's ESM loader cannot see the library's `arg` as a named export (cjs-module-lexer), so
    // ESM apps take the default export, as Node's own error message advises.
    "import functions from '@azure/functions';",
    'const { app, arg } = functions;',
    "app.mcpTool('shout', { toolName: 'shout', description: 'Shouts.', toolProperties: { word: arg.string().describe('A word') },",
    '  handler: (input) => `${input.arguments.word}!` });',
  ].join('\n'),
};

before(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'esm-functions-app-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), text);
  }
  symlinkSync(path.join(repo, 'node_modules'), path.join(folder, 'node_modules'), 'junction');
  host = await startFunctionsAppHost(folder, { MCP_KEY: key });
});

after(async () => {
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('an ES module app loads from a glob main; appStart ran, preInvocation hooks change the inputs', async () => {
  assert.ok(host.process.output.includes('appStart hook'), host.process.output.join('\n'));
  const client = await connectClient(host.mcpUrl, 'streamable-http', { 'x-functions-key': key });
  try {
    assert.deepEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
      ['shout'],
    );
    assert.equal(firstText(await client.callTool({ name: 'shout', arguments: { word: 'hey' } })), 'HEY!');
  } finally {
    await client.close();
  }
});

test('MCP_KEY guards the MCP routes as on the embedded host', async () => {
  const response = await fetch(host.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  assert.equal(response.status, 401);
});

test('SIGTERM runs the appTerminate hooks and exits 0', async () => {
  host.process.child.kill('SIGTERM');
  const { code } = await host.process.exited;
  assert.equal(code, 0);
  assert.ok(host.process.output.includes('appTerminate hook'), host.process.output.join('\n'));
});
