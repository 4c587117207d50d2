// `npm start -- --project <folder>` as a user runs it (the built runner, dist/dev/start.js): the
// user's self-hosted server run with its own command, the MCP URL and the ready line, its tools
// served, Ctrl-C stopping it; a folder that is not hosted yet is refused with what to do. A Node.js
// Functions MCP app (issue 14): built first, served by the Functions app host with Azurite, the same
// way Start Local Server runs it; its failures and other languages' need for Core Tools, named.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { addBuiltFunction, copyFunctionsApp, type FunctionsAppCopy } from '../../support/functionsAppFixture';
import { isPortFree } from '../../../shared/net';
import { connectClient, firstText } from '../../support/mcpClients';
import { startNodeProcess } from '../../support/processes';
import { npmStart, runner } from './npmStartRunner';
import { copyFixture, fixtureProjects, type FixtureCopy } from '../../support/selfHostedFixture';

const copies: (FixtureCopy | FunctionsAppCopy)[] = [];
after(() => copies.forEach((copy) => copy.remove()));

function npmStartProject(folder: string, env: NodeJS.ProcessEnv = {}) {
  return npmStart(['--project', folder], env);
}

/** PATH without any func (a developer may have Core Tools): the run must not depend on it. */
const withoutFunc = {
  PATH: (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !/azure-functions-core-tools|fakes[\\/]func/i.test(dir))
    .join(path.delimiter),
};

test("npm start -- --project <node self-hosted server>: its own command on host.json's port, no Azurite; tools work; Ctrl-C stops it", async () => {
  const copy = await copyFixture('node-self-hosted', { built: true });
  copies.push(copy);
  const started = startNodeProcess(runner, process.env, ['--project', copy.folder]);
  try {
    await started.waitForLine(/^Ready\. Press Ctrl-C to stop\.$/, 60_000);
    const url = `http://127.0.0.1:${copy.port}/mcp`;
    assert.ok(started.output.includes(`MCP server (Streamable HTTP): ${url}`), started.output.join('\n'));
    assert.ok(
      started.output.includes(`Project: todo-mcp-server (selfHosted, node) in ${copy.folder}`),
      started.output.join('\n'),
    );
    assert.ok(!started.output.some((line) => /Azurite/.test(line)), 'a self-hosted server needs no Azurite');
    const client = await connectClient(url, 'streamable-http');
    assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), [
      'add_todo',
      'list_todos',
    ]);
    assert.equal(firstText(await client.callTool({ name: 'list_todos', arguments: {} })), 'Nothing to do.');
    await client.close();
    started.child.kill('SIGINT');
    assert.equal((await started.exited).code, 0);
    assert.equal(await isPortFree(copy.port), true);
  } finally {
    await started.stop();
  }
});

test('npm start -- --project <an SDK server not hosted yet>: refused, naming Host on Azure Functions', async () => {
  const started = startNodeProcess(runner, process.env, [
    '--project',
    path.join(fixtureProjects, 'node-candidate'),
  ]);
  const { code } = await started.exited;
  assert.equal(code, 1);
  assert.ok(
    started.output.some((line) =>
      /is an MCP server not hosted on Azure Functions yet: run "Host on Azure Functions…" on it in VS Code, which adds host\.json, then run this again\.$/.test(
        line,
      ),
    ),
    started.output.join('\n'),
  );
});

test('npm start -- --project <a TypeScript Functions MCP app, as cloned>: built first, its own tools on the Functions app host with Azurite, the URLs and a ready line; Ctrl-C stops everything', async () => {
  const copy = copyFunctionsApp({ fixture: 'ts-functions-mcp', built: false });
  copies.push(copy);
  const { started, port, azuritePort } = await npmStartProject(copy.folder, withoutFunc);
  try {
    await started.waitForLine(/^Ready\. Press Ctrl-C to stop\.$/, 120_000);
    const output = started.output.join('\n');
    const url = `http://127.0.0.1:${port}/runtime/webhooks/mcp`;
    assert.ok(started.output.includes(`Building greetings-functions (npm run build) ...`), output);
    assert.ok(started.output.includes(`MCP server (Streamable HTTP): ${url}`), output);
    assert.ok(started.output.includes(`MCP server (legacy SSE):      ${url}/sse`), output);
    assert.ok(
      started.output.some((line) => /Starting Azurite/.test(line)),
      output,
    );
    const client = await connectClient(url, 'streamable-http');
    assert.deepEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
      ['greet'],
      "the app's tools, never the bundled ones",
    );
    assert.equal(
      firstText(await client.callTool({ name: 'greet', arguments: { name: 'Ada' } })),
      'Hello, Ada!',
    );
    await client.close();
    started.child.kill('SIGINT');
    assert.equal((await started.exited).code, 0);
    assert.equal(await isPortFree(port), true, 'the host has stopped');
    assert.equal(await isPortFree(azuritePort), true, 'Azurite has stopped');
  } finally {
    await started.stop();
  }
});

test('npm start -- --project <a Functions MCP app without node_modules>: refused, naming npm install', async () => {
  const copy = copyFunctionsApp({ fixture: 'ts-functions-mcp', built: false, nodeModules: false });
  copies.push(copy);
  const { started } = await npmStartProject(copy.folder, withoutFunc);
  assert.equal((await started.exited).code, 1);
  assert.ok(
    started.output.includes(
      `The dependencies of greetings-functions are not installed (@azure/functions): run \`npm install\` in ${copy.folder}, then run this again.`,
    ),
    started.output.join('\n'),
  );
});

test('npm start -- --project <a Functions MCP app whose build fails>: refused, naming the build', async () => {
  const copy = copyFunctionsApp({ fixture: 'ts-functions-mcp', built: false });
  copies.push(copy);
  writeFileSync(
    path.join(copy.folder, 'src/functions/broken.ts'),
    'export const x: number = "not a number";\n',
  );
  const { started } = await npmStartProject(copy.folder, withoutFunc);
  assert.equal((await started.exited).code, 1);
  assert.ok(
    started.output.includes(
      'Building greetings-functions failed (npm run build): fix the build, then run this again.',
    ),
    started.output.join('\n'),
  );
});

test("npm start -- --project <a Functions MCP app with a syntax error in its built code>: the host's own message, exit 1", async () => {
  const copy = copyFunctionsApp({ fixture: 'ts-functions-mcp' });
  copies.push(copy);
  addBuiltFunction(
    copy.folder,
    'alerts.js',
    "const { app } = require('@azure/functions');\napp.mcpTool('alerts', {\n",
  );
  const { started, port } = await npmStartProject(copy.folder, withoutFunc);
  assert.equal((await started.exited).code, 1);
  const output = started.output.join('\n');
  assert.ok(
    started.output.some((line) => /alerts\.js/.test(line) && /syntax/i.test(line)),
    output,
  );
  assert.ok(!started.output.some((line) => /^Ready\./.test(line)), output);
  assert.equal(await isPortFree(port), true);
});

test('npm start -- --project <a Python Functions MCP app> without Core Tools: refused, naming Core Tools and --func', async () => {
  const folder = path.join(fixtureProjects, 'python-functions-mcp');
  const { started } = await npmStartProject(folder, withoutFunc);
  assert.equal((await started.exited).code, 1);
  const message = started.output.find((line) =>
    /is an Azure Functions MCP extension app in Python/.test(line),
  );
  assert.ok(message, started.output.join('\n'));
  assert.match(
    message,
    /without Core Tools, npm start runs Node\.js apps only\. Install Azure Functions Core Tools \(https:\/\/learn\.microsoft\.com\/azure\/azure-functions\/functions-run-local\)/,
  );
  assert.ok(message.endsWith(`then run \`npm start -- --project ${folder} --func\`.`), message);
});
