import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, startNodeProcess } from '../../../support/processes';
import { connectClient, firstText } from '../../../support/mcpClients';
import { weatherViewFile } from '../../../../server/src/resources/weatherView';

// The bundle that `npm start` and the extension run; `npm test` builds it first.
const bundle = path.resolve(__dirname, '../../../../server/dist/embedded.js');

function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PORT: _p, FUNCTIONS_CUSTOMHANDLER_PORT: _f, MCP_KEY: _k, MCP_HOST: _h, ...env } = process.env;
  return { ...env, ...extra };
}

test('the bundle exists (run `npm run build` if this fails)', () => {
  assert.ok(existsSync(bundle), `${bundle} is missing`);
});

test('starts on 127.0.0.1 at PORT, prints a ready line with the MCP URL, and serves tools', async () => {
  const port = await freePort();
  const host = startNodeProcess(bundle, baseEnv({ PORT: String(port) }));
  try {
    const ready = await host.waitForLine(/ready:/);
    assert.equal(ready, `Remote MCP embedded host ready: http://127.0.0.1:${port}/runtime/webhooks/mcp`);
    const client = await connectClient(`http://127.0.0.1:${port}/runtime/webhooks/mcp`, 'streamable-http');
    assert.equal(
      firstText(await client.callTool({ name: 'hello_mcp', arguments: {} })),
      'Hello I am MCP Tool!',
    );
    await client.close();
  } finally {
    await host.stop();
  }
});

test('the bundle serves the weather view from the shipped server/data, byte for byte', async () => {
  const port = await freePort();
  const host = startNodeProcess(bundle, baseEnv({ PORT: String(port) }));
  try {
    await host.waitForLine(/ready:/);
    const client = await connectClient(`http://127.0.0.1:${port}/runtime/webhooks/mcp`, 'streamable-http');
    const { contents } = await client.readResource({ uri: 'ui://weather/view.html' });
    assert.deepEqual(contents, [
      {
        uri: 'ui://weather/view.html',
        mimeType: 'text/html;profile=mcp-app',
        text: readFileSync(weatherViewFile, 'utf8'),
      },
    ]);
    await client.close();
  } finally {
    await host.stop();
  }
});

test('uses FUNCTIONS_CUSTOMHANDLER_PORT when PORT is not set', async () => {
  const port = await freePort();
  const host = startNodeProcess(bundle, baseEnv({ FUNCTIONS_CUSTOMHANDLER_PORT: String(port) }));
  try {
    assert.match(await host.waitForLine(/ready:/), new RegExp(`:${port}/runtime/webhooks/mcp$`));
  } finally {
    await host.stop();
  }
});

test('SIGTERM stops it cleanly even while an SSE stream is open', async () => {
  const port = await freePort();
  const host = startNodeProcess(bundle, baseEnv({ PORT: String(port) }));
  await host.waitForLine(/ready:/);
  const client = await connectClient(`http://127.0.0.1:${port}/runtime/webhooks/mcp`, 'sse');
  const started = Date.now();
  host.child.kill('SIGTERM');
  const { code } = await host.exited;
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 4000, 'exits without waiting for the forced-exit timer');
  await client.close().catch(() => undefined);
});

test('a port in use gives a clear message naming the port and the PORT setting', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  const host = startNodeProcess(bundle, baseEnv({ PORT: String(port) }));
  try {
    const { code } = await host.exited;
    assert.equal(code, 1);
    assert.ok(
      host.output.includes(
        `Port ${port} on 127.0.0.1 is already in use. Stop the program using it, or set PORT to another port.`,
      ),
      host.output.join('\n'),
    );
  } finally {
    blocker.close();
  }
});

test('a malformed PORT is named in the error, with no stack trace', async () => {
  const host = startNodeProcess(bundle, baseEnv({ PORT: 'seventy' }));
  const { code } = await host.exited;
  assert.equal(code, 1);
  assert.deepEqual(host.output, ['PORT must be a whole number from 0 to 65535; it is "seventy".']);
});

test('started with an IPC channel (as the extension does), it exits when its parent is killed', async () => {
  const port = await freePort();
  // A stand-in for VS Code's extension host: starts the host with IPC, reports its pid, then waits.
  const parentScript = `
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, [${JSON.stringify(bundle)}], {
      env: { ...process.env, PORT: '${port}' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    console.log('child pid ' + child.pid);
    setInterval(() => {}, 1000);`;
  const parent = startNodeProcess('-e', baseEnv({}), [parentScript]);
  let childPid = 0;
  try {
    childPid = Number((await parent.waitForLine(/^child pid \d+$/)).split(' ').pop());
    await parent.waitForLine(/ready:/);
    parent.child.kill('SIGKILL');
    await parent.exited;
    assert.equal(await processGone(childPid, 10_000), true, 'the embedded host outlived its parent');
  } finally {
    await parent.stop();
    // If the test failed, the orphan must not outlive the test run either.
    if (childPid && !(await processGone(childPid, 0))) process.kill(childPid, 'SIGKILL');
  }
});

async function processGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  do {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
  return false;
}
