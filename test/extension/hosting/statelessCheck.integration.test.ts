// The stateless check (extension/hosting/statelessCheck.ts) run for real: the Node fixtures are copied
// as a user's checkout with dependencies installed, built with their own `npm run build`, started and
// asked without a session; the Python candidate runs a stand-in (test/fakes/python) with the same
// command line, and is judged from its code when it cannot start.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserFacingError } from '../../../extension/common/errors';
import { findServerEntry, type ServerEntry } from '../../../extension/hosting/serverEntry';
import { findPort, readSources, type SourceFile } from '../../../extension/hosting/serverSource';
import { checkStateless, type StatelessCheckInput } from '../../../extension/hosting/statelessCheck';
import { fixtureProject } from '../../fixtures/fixtureProjects';

const repositoryNodeModules = path.resolve(__dirname, '../../../node_modules');
const standIn = path.resolve(__dirname, '../../fakes/python');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-stateless-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** A copy of a fixture outside the repository, with `node_modules` installed (linked to the repository's). */
function checkout(name: string, withDependencies = true): string {
  const folder = path.join(scratch, name);
  cpSync(fixtureProject(name), folder, { recursive: true });
  if (withDependencies) symlinkSync(repositoryNodeModules, path.join(folder, 'node_modules'), 'dir');
  return folder;
}

async function inputFor(
  folder: string,
  language: 'node' | 'python',
  entry?: ServerEntry,
): Promise<StatelessCheckInput> {
  const found = entry ?? (await findServerEntry(folder, language));
  assert.ok(found);
  const sources: SourceFile[] = await readSources(folder, found.sources);
  const port = findPort(sources, language);
  return {
    folder,
    name: path.basename(folder),
    entry: found,
    port,
    hostPort: port?.port ?? 3000,
    sources,
    log: quiet,
    progress: { report: () => undefined },
    signal: new AbortController().signal,
  };
}

/** Whether anything still answers on the port the check used: the check must stop what it started. */
async function listening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST' }).then(
    () => true,
    () => false,
  );
}

describe('Node servers, run for real', () => {
  test('node-stateful-candidate is built, started and refused, naming the one-line change and its file', async () => {
    const folder = checkout('node-stateful-candidate');
    const input = await inputFor(folder, 'node');
    await assert.rejects(checkStateless(input), (error: unknown) => {
      assert.ok(error instanceof UserFacingError);
      assert.equal(
        error.message,
        'node-stateful-candidate keeps sessions (stateful Streamable HTTP): it answered initialize with an ' +
          'Mcp-Session-Id and refused the next request without it (HTTP 400 "No valid session"). Azure Functions ' +
          'may send each request to a different instance, so it hosts only stateless MCP servers. To make it ' +
          'stateless, create the transport with `new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })` ' +
          'in src/server.ts line 53 (now: `sessionIdGenerator: () => randomUUID(),`), then run Host on Azure Functions again.',
      );
      return true;
    });
    assert.ok(existsSync(path.join(folder, 'dist', 'server.js')), 'built with its own build script');
  });

  test('node-candidate passes: it answers tools/list without a session; the server is stopped after', async () => {
    const folder = checkout('node-candidate');
    const input = await inputFor(folder, 'node');
    const logged: string[] = [];
    const result = await checkStateless({
      ...input,
      log: { ...quiet, info: (line) => logged.push(line) },
    });
    assert.deepEqual(result, { how: 'ran' });
    // The fixture prints the port it listens on: the free port the check gave it, not its default 8080.
    const line = logged.find((entry) => /listening on (\d+)/.test(entry));
    assert.ok(line, logged.join('\n'));
    const port = Number(/listening on (\d+)/.exec(line)![1]);
    assert.notEqual(port, 8080);
    assert.equal(await listening(port), false, 'the server was stopped');
  });

  test('dependencies not installed: says which command installs them, and starts nothing', async () => {
    const folder = path.join(scratch, 'no-deps');
    cpSync(fixtureProject('node-candidate'), folder, { recursive: true });
    const input = await inputFor(folder, 'node');
    await assert.rejects(checkStateless(input), (error: unknown) => {
      assert.ok(error instanceof UserFacingError);
      assert.match(error.message, /dependencies are not installed .*Run `npm install` in /);
      return true;
    });
  });

  test('a build that fails: the build output and the fix', async () => {
    const folder = path.join(scratch, 'bad-build');
    cpSync(fixtureProject('node-candidate'), folder, { recursive: true });
    symlinkSync(repositoryNodeModules, path.join(folder, 'node_modules'), 'dir');
    const packageJson = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    packageJson.scripts.build =
      'node -e "console.error(\'src/main.ts(3,1): error TS2304\'); process.exit(2)"';
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify(packageJson));
    const input = await inputFor(folder, 'node');
    await assert.rejects(checkStateless(input), (error: unknown) => {
      assert.ok(error instanceof UserFacingError);
      assert.match(
        error.message,
        /`npm run build` in .* failed \(exit code 2\): .*error TS2304.*Fix the build/,
      );
      return true;
    });
  });
});

describe('Python servers', () => {
  /** python-candidate, its main.py replaced by a shim that runs the stand-in: `python3 main.py` as a user runs it. */
  async function pythonCheckout(name: string, stateful: boolean): Promise<StatelessCheckInput> {
    const folder = path.join(scratch, name);
    cpSync(fixtureProject('python-candidate'), folder, { recursive: true });
    const input = await inputFor(folder, 'python');
    writeFileSync(
      path.join(folder, 'main.py'),
      `import sys\nsys.path.insert(0, ${JSON.stringify(standIn)})\nfrom mcp_stand_in import serve\nserve(stateful=${stateful ? 'True' : 'False'})\n`,
    );
    // The code read for the port and the fix stays the user's FastMCP server; only what runs is the stand-in.
    return { ...input, port: { ...input.port!, reads: ['PORT'] } };
  }

  test('a running stateless stand-in passes by running', async () => {
    assert.deepEqual(await checkStateless(await pythonCheckout('py-stateless', false)), { how: 'ran' });
  });

  test('a running stateful stand-in is refused with the FastMCP change', async () => {
    const input = await pythonCheckout('py-stateful', true);
    const sources = [{ file: 'main.py', text: 'from fastmcp import FastMCP\n\nmcp = FastMCP("recipes")\n' }];
    await assert.rejects(checkStateless({ ...input, sources }), (error: unknown) => {
      assert.ok(error instanceof UserFacingError);
      assert.match(
        error.message,
        /refused the next request without it \(HTTP 400 "Bad Request: Missing session ID"\)/,
      );
      assert.match(
        error.message,
        /run it with `mcp\.run\(transport="http", stateless_http=True\)` \(FastMCP 2\.x\) in main\.py line 3/,
      );
      return true;
    });
  });

  test('python-candidate cannot start here (no fastmcp): checked by reading its code, and said so', async () => {
    const folder = checkout('python-candidate', false);
    const result = await checkStateless(await inputFor(folder, 'python'));
    assert.equal(result.how, 'read');
    assert.match(
      result.note ?? '',
      /^main\.py could not be started here \(it exited: .*ModuleNotFoundError.*\), so it was checked by reading its code: main\.py line 18 sets stateless_http=True\.$/,
    );
  });

  test('a FastMCP server without stateless_http that cannot start is refused from its code', async () => {
    const folder = path.join(scratch, 'py-static-stateful');
    cpSync(fixtureProject('python-candidate'), folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'main.py'),
      'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("recipes")\n\nif __name__ == "__main__":\n    mcp.run(transport="streamable-http")\n',
    );
    await assert.rejects(checkStateless(await inputFor(folder, 'python')), (error: unknown) => {
      assert.ok(error instanceof UserFacingError);
      assert.match(
        error.message,
        /keeps sessions .*its code creates FastMCP without stateless_http=True.*`FastMCP\("name", stateless_http=True\)` in main\.py line 3/,
      );
      return true;
    });
  });
});
