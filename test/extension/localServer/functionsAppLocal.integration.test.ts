// Start Local Server on a user's Node.js Functions MCP app without Core Tools (issue 14, point 1),
// over real processes and HTTP: the app's own build runs first with progress, the extension's
// Functions app host (server/dist/functionsApp.js) serves the app's tools, never the bundled ones,
// and every way it cannot start is a message naming the fix. The fixture is copied as cloned.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { isPortFree } from '../../../shared/net';
import {
  copyFunctionsApp,
  type FunctionsAppCopy,
  type FunctionsAppCopyOptions,
  addBuiltFunction,
} from '../../support/functionsAppFixture';
import { connectClient, firstText } from '../../support/mcpClients';
import { freePort } from '../../support/processes';
import {
  escape,
  harness,
  managers,
  progressOf,
  rejectsWith,
  running,
  untilState,
} from './workspaceLocalServer';

const copies: FunctionsAppCopy[] = [];
after(async () => {
  for (const manager of managers) await manager.stop();
  for (const copy of copies) copy.remove();
});

/** The one-tool greet app, as cloned (no build) unless `built`. */
function app(options: FunctionsAppCopyOptions = {}): FunctionsAppCopy {
  const copy = copyFunctionsApp({ fixture: 'ts-functions-mcp', built: false, ...options });
  copies.push(copy);
  return copy;
}

describe('a TypeScript Functions MCP app, without Core Tools', () => {
  test('as cloned: its build runs with progress, then the Functions app host serves its tools (not the bundled ones); Stop frees the port', async () => {
    const copy = app();
    assert.equal(existsSync(path.join(copy.folder, 'dist')), false, 'as cloned: no build');
    const port = await freePort();
    const h = harness([copy.folder], { settings: { port } });
    const state = running(await h.manager.start(progressOf(h)));
    assert.equal(state.host, 'embedded');
    assert.equal(state.url, `http://127.0.0.1:${port}/runtime/webhooks/mcp`);
    assert.equal(state.project.kind, 'functionsMcpExtension');
    assert.equal(state.project.name, 'greetings-functions');
    assert.ok(h.progress.includes('Building greetings-functions (npm run build)…'), h.progress.join('\n'));
    assert.ok(
      h.progress.includes('Starting greetings-functions on the embedded host…'),
      h.progress.join('\n'),
    );
    assert.ok(existsSync(path.join(copy.folder, 'dist/src/functions/greet.js')));
    assert.deepEqual(
      h.storageAsked,
      [10000],
      'its AzureWebJobsStorage is the emulator: Azurite is asked for',
    );
    assert.deepEqual(h.warnings, [
      `Azurite is unavailable: none answers on 127.0.0.1:10000 and none could be started, while greetings-functions's AzureWebJobsStorage in local.settings.json is UseDevelopmentStorage=true. Install the Azurite extension (Azurite.azurite) or run "npm install -g azurite"; until then its storage blob bindings fail.`,
    ]);

    const client = await connectClient(state.url, 'streamable-http');
    assert.deepEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
      ['greet'],
    );
    assert.equal(
      firstText(await client.callTool({ name: 'greet', arguments: { name: 'Ada' } })),
      'Hello, Ada!',
    );
    await client.close();
    assert.equal(await h.manager.isAnswering(5000), true);

    await h.manager.stop();
    assert.equal(h.manager.state.status, 'stopped');
    assert.equal(await isPortFree(port), true);
  });

  test('dependencies not installed: "Run npm install", offered as a button; nothing started', async () => {
    const copy = app({ nodeModules: false });
    const port = await freePort();
    const h = harness([copy.folder], { settings: { port } });
    await assert.rejects(
      h.manager.start(),
      rejectsWith(
        new RegExp(
          `^The dependencies of greetings-functions are not installed \\(@azure/functions cannot be found from ${escape(copy.folder)}\\)\\. Run "npm install" in ${escape(copy.folder)}, then start again\\.$`,
        ),
        ['Run npm install'],
      ),
    );
    assert.equal(await isPortFree(port), true);
  });

  test("a failing build: the compiler's last lines and Show Logs; nothing started", async () => {
    const copy = app();
    writeFileSync(
      path.join(copy.folder, 'src/functions/broken.ts'),
      'export const count: number = "three";\n',
    );
    const port = await freePort();
    const h = harness([copy.folder], { settings: { port } });
    await assert.rejects(
      h.manager.start(),
      rejectsWith(
        /^Building greetings-functions failed \(npm run build, exit code \d+\): .*src\/functions\/broken\.ts\(1,14\): error TS2322: Type 'string' is not assignable to type 'number'\. Fix the build, then start again\.$/,
        ['Show Logs'],
      ),
    );
    assert.equal(await isPortFree(port), true);
  });

  test('"main" matching no file and no build script: said, naming package.json', async () => {
    const copy = app();
    const packageFile = path.join(copy.folder, 'package.json');
    const packageJson = JSON.parse(readFileSync(packageFile, 'utf8')) as { scripts: Record<string, string> };
    delete packageJson.scripts.build;
    writeFileSync(packageFile, JSON.stringify(packageJson));
    const h = harness([copy.folder], { settings: { port: await freePort() } });
    await assert.rejects(
      h.manager.start(),
      rejectsWith(
        /^package\.json's "main" \(dist\/src\/functions\/\*\.js\) matches no file in .*, and package\.json has no "build" script to make it\. Build greetings-functions, or correct "main" in package\.json to name your compiled functions\.$/,
      ),
    );
  });

  test('the port in use: the port and the setting, nothing started', async () => {
    const copy = app({ built: true });
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const h = harness([copy.folder], { settings: { port } });
      await assert.rejects(
        h.manager.start(),
        rejectsWith(
          new RegExp(
            `^Port ${port} is already in use, so the local MCP server cannot start\\. Stop the program using it, or change the setting remoteMcp\\.localServer\\.port\\.$`,
          ),
          ['Open Settings'],
        ),
      );
      assert.deepEqual(h.storageAsked, []);
    } finally {
      blocker.close();
    }
  });

  test('the full app: the log says what is served and what is not (its HTTP trigger), the view gets its prompt and resource counts', async () => {
    const copy = copyFunctionsApp();
    copies.push(copy);
    const port = await freePort();
    const h = harness([copy.folder], { settings: { port } });
    running(await h.manager.start());
    const withCatalog = await untilState(
      h.manager,
      (state) => state.status === 'running' && state.tools !== undefined,
    );
    assert.ok(withCatalog.status === 'running');
    assert.deepEqual(withCatalog.prompts?.map((prompt) => prompt.name).sort(), [
      'daily_briefing',
      'packing_list',
      'review_code',
    ]);
    assert.ok(
      withCatalog.resources?.some((resource) => resource.description.startsWith('ui://')),
      'the MCP App resource is counted',
    );
    assert.ok(
      h.logged.some((line) => /^\[embedded host\] Serving the Functions app in /.test(line)),
      h.logged.join('\n'),
    );
    assert.ok(
      h.logged.some((line) =>
        /Function "health" \(httpTrigger\) is not served by the embedded host/.test(line),
      ),
      h.logged.join('\n'),
    );
    await h.manager.stop();
  });

  test("a syntax error in the built code: the host's own message, naming the file, is the error", async () => {
    const copy = app({ built: true });
    addBuiltFunction(
      copy.folder,
      'alerts.js',
      "const { app } = require('@azure/functions');\napp.mcpTool('alerts', {\n",
    );
    const h = harness([copy.folder], { settings: { port: await freePort() } });
    await assert.rejects(
      h.manager.start(),
      rejectsWith(/^greetings-functions could not start: .*alerts\.js.*/, ['Show Logs']),
    );
    assert.equal(h.manager.state.status, 'stopped');
  });
});
