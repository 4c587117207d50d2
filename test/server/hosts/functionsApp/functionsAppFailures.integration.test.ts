// Every way a user's Functions MCP app can fail to start under the Functions app host
// (server/dist/functionsApp.js), each checked for what the user sees: one message on stderr that names
// the problem and its fix, no stack trace, no ready line, and exit code 1 (the contract in
// server/src/hosts/functionsApp/main.ts).
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readyLinePrefix } from '../../../../server/src/hosts/embedded/startEmbeddedHost';
import { freePort } from '../../../support/processes';
import {
  addBuiltFunction,
  copyFunctionsApp,
  runFunctionsAppHostToExit,
  type FunctionsAppCopy,
  type HostExit,
} from '../../../support/functionsAppFixture';

let app: FunctionsAppCopy | undefined;
afterEach(() => {
  app?.remove();
  app = undefined;
});

async function startOnFreePort(folder: string): Promise<HostExit> {
  return runFunctionsAppHostToExit(folder, { PORT: String(await freePort()) });
}

/** Exit code 1, the message on stderr, and none of what a crash or a successful start prints. */
function assertRefused(exit: HostExit, ...expected: (string | RegExp)[]): void {
  const seen = `stdout:\n${exit.stdout}\nstderr:\n${exit.stderr}`;
  assert.equal(exit.code, 1, seen);
  for (const part of expected) {
    if (typeof part === 'string')
      assert.ok(exit.stderr.includes(part), `stderr lacks ${JSON.stringify(part)}\n${seen}`);
    else assert.match(exit.stderr, part, seen);
  }
  assert.doesNotMatch(exit.stderr, /^\s+at .+:\d+:\d+\)?$/m, `a stack trace reached the user\n${seen}`);
  assert.ok(!exit.stdout.includes(readyLinePrefix), `it said it was ready\n${seen}`);
}

test('a syntax error in the built code names the file and says to fix it and rebuild', async () => {
  app = copyFunctionsApp();
  // As the user's own JavaScript, or a build left half-written: the entry glob picks it up.
  addBuiltFunction(
    app.folder,
    'alerts.js',
    "const { app } = require('@azure/functions');\napp.mcpTool('alerts', {\n",
  );
  assertRefused(await startOnFreePort(app.folder), 'alerts.js', /syntax/i);
});

test('a missing build names the entry from package.json and `npm run build`', async () => {
  app = copyFunctionsApp({ built: false });
  assertRefused(await startOnFreePort(app.folder), 'dist/src/functions/*.js', 'npm run build');
});

test('missing node_modules names @azure/functions and `npm install`', async () => {
  app = copyFunctionsApp({ nodeModules: false });
  assertRefused(await startOnFreePort(app.folder), '@azure/functions', 'npm install');
});

test('an unsupported binding names the function, the binding and Core Tools', async () => {
  app = copyFunctionsApp();
  addBuiltFunction(
    app.folder,
    'alerts.js',
    [
      "const { app, output } = require('@azure/functions');",
      "const alertQueue = output.storageQueue({ queueName: 'alerts', connection: 'AzureWebJobsStorage' });",
      "app.mcpTool('raiseAlert', {",
      "  toolName: 'raise_alert',",
      "  description: 'Queues an alert.',",
      '  toolProperties: {},',
      '  extraOutputs: [alertQueue],',
      "  handler: async (_invocation, context) => { context.extraOutputs.set(alertQueue, 'alert'); return 'queued'; },",
      '});',
      '',
    ].join('\n'),
  );
  // output.storageQueue registers a binding of type "queue" (@azure/functions src/output.ts).
  assertRefused(await startOnFreePort(app.folder), 'raiseAlert', /queue/i, 'Core Tools');
});

test('a port in use names the port and the PORT setting', async () => {
  app = copyFunctionsApp();
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as net.AddressInfo;
  try {
    assertRefused(
      await runFunctionsAppHostToExit(app.folder, { PORT: String(port) }),
      `Port ${port}`,
      /already in use/,
      'PORT',
    );
  } finally {
    blocker.close();
  }
});
