// What a server's code says about its port and its sessions (extension/hosting/serverSource.ts):
// each form the SDK samples and their users write, and the fixtures.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findServerEntry } from '../../../extension/hosting/serverEntry';
import {
  findPort,
  findTransportMode,
  readSources,
  statelessChange,
  type SourceFile,
} from '../../../extension/hosting/serverSource';
import { fixtureProject } from '../../fixtures/fixtureProjects';

const node = (text: string): SourceFile[] => [{ file: 'src/index.ts', text }];
const py = (text: string): SourceFile[] => [{ file: 'server.py', text }];

async function fixtureSources(name: string, language: 'node' | 'python'): Promise<SourceFile[]> {
  const folder = fixtureProject(name);
  const entry = await findServerEntry(folder, language);
  assert.ok(entry, name);
  return readSources(folder, entry.sources);
}

describe('port', () => {
  test('node-candidate reads both variables with the default 8080', async () => {
    const found = findPort(await fixtureSources('node-candidate', 'node'), 'node');
    assert.equal(found?.port, 8080);
    assert.deepEqual(found?.reads, ['PORT', 'FUNCTIONS_CUSTOMHANDLER_PORT']);
    assert.equal(found?.at?.file, 'src/main.ts');
  });

  test('node-legacy: process.env.FUNCTIONS_CUSTOMHANDLER_PORT || 3000', async () => {
    const found = findPort(await fixtureSources('node-legacy', 'node'), 'node');
    assert.deepEqual([found?.port, found?.reads], [3000, ['FUNCTIONS_CUSTOMHANDLER_PORT']]);
  });

  test('python-candidate: the literal port=8000 of mcp.run, no variable read', async () => {
    const found = findPort(await fixtureSources('python-candidate', 'python'), 'python');
    assert.deepEqual([found?.port, found?.reads, found?.source], [8000, [], 'code']);
    assert.equal(found?.at?.line, 18);
  });

  test('Node forms: ?? and || defaults, quoted defaults, bracket access, a fixed listen port', () => {
    const cases: [string, number | undefined, string[]][] = [
      ['const port = process.env.PORT ?? 3000;', 3000, ['PORT']],
      ["const PORT = process.env.PORT || '4000';", 4000, ['PORT']],
      [
        "app.listen(Number(process.env['FUNCTIONS_CUSTOMHANDLER_PORT'] ?? 7000));",
        7000,
        ['FUNCTIONS_CUSTOMHANDLER_PORT'],
      ],
      ['app.listen(3100, () => console.log("up"));', 3100, []],
      ['const port = 5050;\napp.listen(port);', 5050, []],
      ['// app.listen(9999);\nhttpServer.listen(4321);', 4321, []],
    ];
    for (const [text, port, reads] of cases) {
      const found = findPort(node(text), 'node');
      assert.deepEqual([found?.port, found?.reads], [port, reads], text);
    }
  });

  test('a variable read with no default found: reads it, with no port (the command asks)', () => {
    const found = findPort(node('const port = parseInt(process.env.PORT!, 10);\napp.listen(port);'), 'node');
    assert.equal(found?.port, undefined);
    assert.deepEqual(found?.reads, ['PORT']);
  });

  test('Python forms: os.environ.get, os.getenv, uvicorn.run(port=…), FastMCP default', () => {
    const cases: [string, number | undefined, string[], string][] = [
      ['port = int(os.environ.get("PORT", 8000))', 8000, ['PORT'], 'code'],
      [
        "port=int(os.getenv('FUNCTIONS_CUSTOMHANDLER_PORT', '8123'))",
        8123,
        ['FUNCTIONS_CUSTOMHANDLER_PORT'],
        'code',
      ],
      ['uvicorn.run(app, host="0.0.0.0", port=9000)', 9000, [], 'code'],
      ['mcp = FastMCP("x")\nmcp.run(transport="streamable-http")  # port=1234', 8000, [], 'sdkDefault'],
    ];
    for (const [text, port, reads, source] of cases) {
      const found = findPort(py(text), 'python');
      assert.deepEqual([found?.port, found?.reads, found?.source], [port, reads, source], text);
    }
  });

  test('nothing about a port: undefined', () => {
    assert.equal(findPort(node('export const x = 1;'), 'node'), undefined);
    assert.equal(findPort(py('print("hello")'), 'python'), undefined);
  });
});

describe('sessions', () => {
  test('node-candidate is stateless, node-stateful-candidate keeps sessions (with the line)', async () => {
    assert.equal(findTransportMode(await fixtureSources('node-candidate', 'node'), 'node').mode, 'stateless');
    const stateful = findTransportMode(await fixtureSources('node-stateful-candidate', 'node'), 'node');
    assert.equal(stateful.mode, 'stateful');
    assert.deepEqual(stateful.at, {
      file: 'src/server.ts',
      line: 53,
      text: 'sessionIdGenerator: () => randomUUID(),',
    });
  });

  test('Python: stateless_http=True anywhere is stateless; FastMCP without it keeps sessions', () => {
    assert.equal(
      findTransportMode(py('mcp = FastMCP("a", stateless_http=True)'), 'python').mode,
      'stateless',
    );
    const standalone = findTransportMode(
      py('from fastmcp import FastMCP\nmcp = FastMCP("a")\nmcp.run(transport="http")'),
      'python',
    );
    assert.deepEqual([standalone.mode, standalone.sdk, standalone.at?.line], ['stateful', 'fastmcp', 2]);
    const sdk = findTransportMode(py('from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("a")'), 'python');
    assert.deepEqual([sdk.mode, sdk.sdk], ['stateful', 'python-mcp']);
  });

  test('the one-line change names the SDK form and the line', () => {
    const stateful = findTransportMode(
      node('const t = new StreamableHTTPServerTransport({\n  sessionIdGenerator: () => randomUUID(),\n});'),
      'node',
    );
    assert.equal(
      statelessChange(stateful, 'node'),
      'create the transport with `new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })` in src/index.ts line 2 (now: `sessionIdGenerator: () => randomUUID(),`)',
    );
    const sdk = findTransportMode(
      py('from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("books")'),
      'python',
    );
    assert.equal(
      statelessChange(sdk, 'python'),
      'create it with `FastMCP("name", stateless_http=True)` in server.py line 2 (now: `mcp = FastMCP("books")`)',
    );
    const standalone = findTransportMode(py('from fastmcp import FastMCP\nmcp = FastMCP("books")'), 'python');
    assert.match(
      statelessChange(standalone, 'python'),
      /^run it with `mcp\.run\(transport="http", stateless_http=True\)`/,
    );
  });
});
