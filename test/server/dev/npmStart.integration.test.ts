// `npm start` as a user runs it (the built runner, dist/dev/start.js): Azurite plus the MCP server,
// a ready line, the tools served, and Ctrl-C stopping everything. Ports and the data folder are the
// test's own, so a developer's `npm start` is never disturbed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../server/src/tools';
import path from 'node:path';
import { isPortFree } from '../../../shared/net';
import { connectClient, firstText } from '../../support/mcpClients';
import { freePort, startNodeProcess, type StartedProcess } from '../../support/processes';
import { STORAGE_API_VERSION } from '../../../shared/developmentStorage';
import { startOutdatedAzurite } from '../../fakes/outdatedAzurite';
import { npmStart, runner } from './npmStartRunner';

const repo = path.resolve(__dirname, '../../..');

async function stopWithCtrlC(started: StartedProcess, ports: number[]) {
  started.child.kill('SIGINT');
  const { code } = await started.exited;
  assert.equal(code, 0);
  for (const port of ports) assert.equal(await isPortFree(port), true, `port ${port} is free after Ctrl-C`);
}

test('npm start: Azurite, the embedded host, the MCP URL and a ready line; the tools work; Ctrl-C stops both', async () => {
  const { started, port, azuritePort } = await npmStart([]);
  try {
    await started.waitForLine(/^Ready\. Press Ctrl-C to stop\.$/, 60_000);
    const url = `http://127.0.0.1:${port}/runtime/webhooks/mcp`;
    assert.ok(started.output.includes(`MCP server (Streamable HTTP): ${url}`), started.output.join('\n'));
    const client = await connectClient(url, 'streamable-http');
    assert.equal((await client.listTools()).tools.length, catalogue.length);
    const saved = await client.callTool({
      name: 'save_snippet',
      arguments: { snippetname: 'npm-start', snippet: 'kept' },
    });
    assert.notEqual(saved.isError, true, firstText(saved));
    await client.close();
    await stopWithCtrlC(started, [port, azuritePort]);
  } finally {
    await started.stop();
  }
});

test('npm start -- --func runs func start (Core Tools >= 4.0.7030) instead', async () => {
  const fakeFuncDir = path.join(repo, 'test/fakes/func');
  const { started, port, azuritePort } = await npmStart(['--func'], {
    PATH: `${fakeFuncDir}${path.delimiter}${process.env.PATH}`,
  });
  try {
    await started.waitForLine(/^Ready\. Press Ctrl-C to stop\.$/, 60_000);
    assert.ok(
      started.output.some((line) => line.includes('Azure Functions Core Tools')),
      'func start ran',
    );
    const client = await connectClient(`http://127.0.0.1:${port}/runtime/webhooks/mcp`, 'streamable-http');
    assert.equal(
      firstText(await client.callTool({ name: 'hello_mcp', arguments: {} })),
      'Hello I am MCP Tool!',
    );
    await client.close();
    await stopWithCtrlC(started, [port, azuritePort]);
  } finally {
    await started.stop();
  }
});

test('npm start with an Azurite already answering that refuses the API version warns with the fix, and still starts', async () => {
  const outdated = await startOutdatedAzurite();
  const port = await freePort();
  const started = startNodeProcess(runner, {
    ...process.env,
    PORT: String(port),
    AZURITE_BLOB_PORT: String(outdated.port),
  });
  try {
    await started.waitForLine(/^Ready\. Press Ctrl-C to stop\.$/, 60_000);
    const warning = started.output.find((line) => line.startsWith('Warning: '));
    assert.match(
      warning ?? started.output.join('\n'),
      new RegExp(
        `^Warning: Azurite on 127\\.0\\.0\\.1:${outdated.port} does not accept the storage API version ` +
          `${STORAGE_API_VERSION} .*npm install -g azurite@latest.*--skipApiVersionCheck`,
      ),
    );
    const client = await connectClient(`http://127.0.0.1:${port}/runtime/webhooks/mcp`, 'streamable-http');
    const saved = await client.callTool({
      name: 'save_snippet',
      arguments: { snippetname: 'old', snippet: 'x' },
    });
    assert.match(firstText(saved), /does not accept the storage API version .*--skipApiVersionCheck/);
    await client.close();
    await stopWithCtrlC(started, [port]);
  } finally {
    await started.stop();
    await outdated.close();
  }
});
