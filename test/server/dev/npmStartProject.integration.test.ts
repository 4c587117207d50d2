// `npm start -- --project <folder>` as a user runs it (the built runner, dist/dev/start.js): the
// user's self-hosted server run with its own command, the MCP URL and the ready line, its tools
// served, Ctrl-C stopping it; a folder that is not hosted yet is refused with what to do.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { isPortFree } from '../../../shared/net';
import { connectClient, firstText } from '../../support/mcpClients';
import { startNodeProcess } from '../../support/processes';
import { copyFixture, fixtureProjects, type FixtureCopy } from '../../support/selfHostedFixture';

const repo = path.resolve(__dirname, '../../..');
const runner = path.join(repo, 'dist/dev/start.js');
const copies: FixtureCopy[] = [];
after(() => copies.forEach((copy) => copy.remove()));

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
