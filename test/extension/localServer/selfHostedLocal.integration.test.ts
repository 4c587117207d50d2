// Start Local Server on a self-hosted MCP SDK server (issue 13, point 4), over real processes and
// HTTP: the project model decides the host; without Core Tools the server's own command runs with
// PORT / FUNCTIONS_CUSTOMHANDLER_PORT set, readiness is an MCP initialize at /mcp, and Stop ends
// everything it started. The fixtures are copied to temporary folders as a user's checkout.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { rememberedProjectKey } from '../../../extension/project/projectChoice';
import { isPortFree } from '../../../shared/net';
import { connectClient, firstText } from '../../support/mcpClients';
import { pidListeningOn } from '../../support/ports';
import { freePort } from '../../support/processes';
import { copyFixture, fixtureProjects, type FixtureCopy } from '../../support/selfHostedFixture';

import { escape, harness, managers, progressOf, rejectsWith, running } from './workspaceLocalServer';

const standIn = path.join(__dirname, 'standIns/pythonMcpStandIn.py');
const copies: FixtureCopy[] = [];
after(async () => {
  for (const manager of managers) await manager.stop();
  for (const copy of copies) copy.remove();
});

async function fixture(...args: Parameters<typeof copyFixture>): Promise<FixtureCopy> {
  const copy = await copyFixture(...args);
  copies.push(copy);
  return copy;
}

describe('the Node self-hosted fixture, without Core Tools', () => {
  test('not built yet: its own build runs with progress, then its own command serves its tools at /mcp; Stop frees the port', async () => {
    const copy = await fixture('node-self-hosted');
    assert.equal(existsSync(path.join(copy.folder, 'dist')), false, 'as cloned: no build');
    const h = harness([copy.folder]);
    const state = running(await h.manager.start(progressOf(h)));
    assert.equal(state.host, 'direct');
    assert.equal(state.url, `http://127.0.0.1:${copy.port}/mcp`);
    assert.equal(state.project.kind, 'selfHosted');
    assert.equal(state.project.name, 'todo-mcp-server');
    assert.equal(state.storageAvailable, undefined);
    assert.deepEqual(h.storageAsked, [], 'a self-hosted server needs no Azurite');
    assert.ok(h.progress.includes('Building todo-mcp-server (npm run build)…'), h.progress.join('\n'));
    assert.ok(existsSync(path.join(copy.folder, 'dist/index.js')));

    const client = await connectClient(state.url, 'streamable-http');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['add_todo', 'list_todos']);
    assert.equal(
      firstText(await client.callTool({ name: 'add_todo', arguments: { title: 'water the plants' } })),
      'Added #1: water the plants',
    );
    await client.close();
    assert.equal(await h.manager.isAnswering(5000), true);

    await h.manager.stop();
    assert.equal(h.manager.state.status, 'stopped');
    assert.equal(await isPortFree(copy.port), true);
  });

  test('Stop ends everything the command started: `npm start` and the node it runs', async () => {
    const copy = await fixture('node-self-hosted', { built: true });
    const hostJsonFile = path.join(copy.folder, 'host.json');
    const hostJson = JSON.parse(readFileSync(hostJsonFile, 'utf8')) as {
      customHandler: { description: { defaultExecutablePath: string; arguments: string[] } };
    };
    hostJson.customHandler.description = { defaultExecutablePath: 'npm', arguments: ['start'] };
    writeFileSync(hostJsonFile, JSON.stringify(hostJson));
    const h = harness([copy.folder]);
    const state = running(await h.manager.start());
    const serverPid = pidListeningOn(copy.port);
    const client = await connectClient(state.url, 'streamable-http');
    assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), [
      'add_todo',
      'list_todos',
    ]);
    await client.close();
    await h.manager.stop();
    assert.throws(() => process.kill(serverPid, 0), /ESRCH/, 'the grandchild node is gone');
    assert.equal(await isPortFree(copy.port), true);
  });

  test("host.json's port in use: said with the fix, nothing started", async () => {
    const copy = await fixture('node-self-hosted', { built: true });
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(copy.port, '127.0.0.1', resolve));
    try {
      const h = harness([copy.folder]);
      await assert.rejects(
        h.manager.start(),
        rejectsWith(
          new RegExp(
            `^Port ${copy.port}, where todo-mcp-server listens \\(customHandler\\.port in host\\.json\\), is already in use, so it cannot start\\. Stop the program using it, or change customHandler\\.port in host\\.json`,
          ),
        ),
      );
      assert.equal(h.manager.state.status, 'stopped');
    } finally {
      blocker.close();
    }
  });

  test('a failing build: the error gives its last lines and Show Logs; nothing is started', async () => {
    const copy = await fixture('node-self-hosted');
    const packageFile = path.join(copy.folder, 'package.json');
    const packageJson = JSON.parse(readFileSync(packageFile, 'utf8')) as { scripts: Record<string, string> };
    packageJson.scripts.build =
      'node -e "console.error(\'src/index.ts(3,10): error TS2305: Module has no exported member createServer.\'); process.exit(2)"';
    writeFileSync(packageFile, JSON.stringify(packageJson));
    const h = harness([copy.folder]);
    await assert.rejects(
      h.manager.start(),
      rejectsWith(
        /^Building todo-mcp-server failed \(npm run build, exit code 2\): .*src\/index\.ts\(3,10\): error TS2305: Module has no exported member createServer\. Fix the build, then start again\.$/,
        ['Show Logs'],
      ),
    );
    assert.equal(await isPortFree(copy.port), true);
  });

  test('dependencies not installed: the exact command, offered as a button', async () => {
    const copy = await fixture('node-self-hosted', { nodeModules: false });
    const h = harness([copy.folder]);
    await assert.rejects(
      h.manager.start(),
      rejectsWith(
        new RegExp(
          `^The dependencies of todo-mcp-server are not installed \\(@modelcontextprotocol/sdk, express, zod cannot be found from ${escape(copy.folder)}\\)\\. Run "npm install" in ${escape(copy.folder)}, then start again\\.$`,
        ),
        ['Run npm install'],
      ),
    );
  });
  test('a host.json whose port is not a port: the problem is shown, and the start fails naming host.json and Core Tools', async () => {
    const copy = await fixture('node-self-hosted', { built: true });
    const hostJsonFile = path.join(copy.folder, 'host.json');
    writeFileSync(
      hostJsonFile,
      readFileSync(hostJsonFile, 'utf8').replace(`"${copy.port}"`, '"three thousand"'),
    );
    const h = harness([copy.folder]);
    await assert.rejects(
      h.manager.start(),
      rejectsWith(
        /^todo-mcp-server cannot run without Azure Functions Core Tools: its host\.json does not describe a usable command for the server \(customHandler\.description\) or port \(customHandler\.port\)\. Fix host\.json \(see the logs for what is wrong\), or install Core Tools\.$/,
        ['Install Core Tools'],
      ),
    );
    assert.deepEqual(h.warnings, [
      'todo-mcp-server: host.json: customHandler.port is "three thousand", which is not a port. Set it to the port your server listens on, a whole number from 1 to 65535, e.g. "3000" (Node) or "8000" (Python).',
    ]);
    assert.ok(
      h.logged.some((line) =>
        line.startsWith(`${hostJsonFile}: host.json: customHandler.port is "three thousand"`),
      ),
    );
  });
});

describe('the Python self-hosted fixture, its command line run against a stand-in', () => {
  test("`python server.py` in the project folder, with PORT, FUNCTIONS_CUSTOMHANDLER_PORT and local.settings.json's values; ready by initialize", async () => {
    const copy = await fixture('python-self-hosted');
    cpSync(standIn, path.join(copy.folder, 'server.py'));
    const h = harness([copy.folder]);
    const state = running(await h.manager.start());
    assert.equal(state.url, `http://127.0.0.1:${copy.port}/mcp`);
    assert.equal(state.project.language, 'python');
    const launch = JSON.parse(readFileSync(path.join(copy.folder, 'launch.json'), 'utf8')) as {
      argv: string[];
      cwd: string;
      env: Record<string, string>;
    };
    assert.deepEqual(launch.argv, ['server.py']);
    assert.equal(launch.cwd, copy.folder);
    assert.equal(launch.env.PORT, String(copy.port));
    assert.equal(launch.env.FUNCTIONS_CUSTOMHANDLER_PORT, String(copy.port));
    assert.equal(launch.env.AzureWebJobsFeatureFlags, 'EnableMcpCustomHandlerPreview');
    assert.equal(launch.env.FUNCTIONS_WORKER_RUNTIME, 'python');
    const client = await connectClient(state.url, 'streamable-http');
    assert.deepEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
      ['find_book'],
    );
    await client.close();
    await h.manager.stop();
    assert.equal(await isPortFree(copy.port), true);
  });

  test('the real server.py without its environment: the missing module and the command that creates the environment', async () => {
    const copy = await fixture('python-self-hosted');
    const h = harness([copy.folder]);
    await assert.rejects(
      h.manager.start(),
      rejectsWith(
        /^python-self-hosted stopped \(exit code 1\): the Python module "(httpx|mcp)" is not installed\. Create the project's environment in .*: python -m venv \.venv && \.venv\/bin\/pip install -r requirements\.txt — then start again\.$/,
        ['Show Logs'],
      ),
    );
  });
});

describe('which project, and never the bundled tools in its place', () => {
  test('a Python MCP extension app without Core Tools: a clear error naming Core Tools, and the bundled tools are not served', async () => {
    const port = await freePort();
    const h = harness([path.join(fixtureProjects, 'python-functions-mcp')], { settings: { port } });
    await assert.rejects(
      h.manager.start(),
      rejectsWith(
        /is an Azure Functions MCP extension app in Python: the embedded host runs Node\.js apps only, so Start Local Server runs it with Azure Functions Core Tools \(func start\)\. Install Core Tools( and Python)?, then start again\.$/,
      ),
    );
    assert.equal(await isPortFree(port), true, 'nothing listens: no bundled server either');
    assert.deepEqual(h.storageAsked, []);
  });

  test('several projects: the user picks once, and the pick is remembered for the next start', async () => {
    const copy = await fixture('node-self-hosted', { built: true });
    const folders = [path.join(fixtureProjects, 'python-functions-mcp'), copy.folder];
    const h = harness(folders, { pick: () => 'todo-mcp-server' });
    running(await h.manager.start());
    assert.equal(h.picks.length, 1);
    assert.ok(h.picks[0]?.includes('todo-mcp-server'));
    assert.equal(h.memory.get(rememberedProjectKey), copy.folder);
    await h.manager.stop();
    const again = running(await h.manager.start());
    assert.equal(again.project.folder, copy.folder);
    assert.equal(h.picks.length, 1, 'not asked again');
    await h.manager.stop();
  });

  test('only SDK servers not hosted yet: Start offers to host one, and runs nothing', async () => {
    const port = await freePort();
    const candidate = path.join(fixtureProjects, 'node-candidate');
    const h = harness([candidate], { settings: { port }, pick: (labels) => labels[0] ?? '' });
    const state = await h.manager.start();
    assert.equal(state.status, 'stopped');
    assert.deepEqual(h.hosted, [candidate]);
    assert.match(h.picks[0]?.[0] ?? '', /^Host .* on Azure Functions…$/);
    assert.equal(h.picks[0]?.at(-1), 'Start the bundled sample tools');
    assert.equal(await isPortFree(port), true);
  });
});
