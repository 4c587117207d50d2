// Which file host.json runs (extension/hosting/serverEntry.ts), over the fixture projects and the
// other forms users write in package.json and in Python servers.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findServerEntry } from '../../../extension/hosting/serverEntry';
import { fixtureProject } from '../../fixtures/fixtureProjects';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-entry-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let count = 0;

/** A project folder with these files (relative path → text). */
function project(files: Record<string, string>): string {
  const folder = path.join(scratch, `p${++count}`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    writeFileSync(path.join(folder, file), text);
  }
  return folder;
}

const tsconfig = JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } });

describe('Node entry', () => {
  test('node-candidate: the start script runs dist/main.js, built from src/main.ts by its build script', async () => {
    assert.deepEqual(await findServerEntry(fixtureProject('node-candidate'), 'node'), {
      language: 'node',
      entry: 'dist/main.js',
      foundIn: 'the "start" script of package.json',
      buildScript: 'tsc -p .',
      sources: ['src/main.ts'],
    });
  });

  test('node-stateful-candidate: main dist/server.js maps to src/server.ts', async () => {
    const entry = await findServerEntry(fixtureProject('node-stateful-candidate'), 'node');
    assert.equal(entry?.entry, 'dist/server.js');
    assert.equal(entry?.foundIn, 'package.json "main"');
    assert.equal(entry?.buildScript, 'tsc');
    assert.deepEqual(entry?.sources, ['src/server.ts']);
  });

  test('plain JavaScript (node-legacy): main is the source itself, and nothing needs building', async () => {
    const entry = await findServerEntry(fixtureProject('node-legacy'), 'node');
    assert.equal(entry?.entry, 'server.js');
    assert.equal(entry?.buildScript, undefined);
    assert.deepEqual(entry?.sources, ['server.js']);
  });

  test('main wins over start and bin; an extensionless main names the .js file Node loads', async () => {
    const folder = project({
      'package.json': JSON.stringify({
        main: 'lib/index',
        scripts: { start: 'node other.js' },
        bin: 'cli.js',
      }),
      'lib/index.js': '',
    });
    assert.equal((await findServerEntry(folder, 'node'))?.entry, 'lib/index.js');
  });

  test('the start script with node options and a chained build step', async () => {
    const folder = project({
      'package.json': JSON.stringify({
        scripts: { start: 'npm run build && node --enable-source-maps build/server.mjs' },
      }),
    });
    const entry = await findServerEntry(folder, 'node');
    assert.equal(entry?.entry, 'build/server.mjs');
    assert.equal(entry?.foundIn, 'the "start" script of package.json');
  });

  test('bin as a map: its first file', async () => {
    const folder = project({ 'package.json': JSON.stringify({ bin: { 'my-mcp': './bin/server.js' } }) });
    assert.equal((await findServerEntry(folder, 'node'))?.entry, 'bin/server.js');
  });

  test('a tsconfig with another outDir and rootDir maps back to the source there', async () => {
    const folder = project({
      'package.json': JSON.stringify({ main: 'out/app.js', scripts: { build: 'tsc' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'out', rootDir: 'source' } }),
      'source/app.ts': '',
      'source/tools.ts': '',
    });
    const entry = await findServerEntry(folder, 'node');
    assert.deepEqual(entry?.sources, ['source/app.ts', 'source/tools.ts']);
    assert.equal(entry?.buildScript, 'tsc');
  });

  test('none of main, a node start script or bin: not found (the command asks)', async () => {
    const folder = project({
      'package.json': JSON.stringify({ scripts: { start: 'tsx src/index.ts' } }),
      'tsconfig.json': tsconfig,
    });
    assert.equal(await findServerEntry(folder, 'node'), undefined);
  });
});

describe('Python entry', () => {
  test('python-candidate: main.py, the file that runs FastMCP', async () => {
    assert.deepEqual(await findServerEntry(fixtureProject('python-candidate'), 'python'), {
      language: 'python',
      entry: 'main.py',
      foundIn: 'the file that creates the MCP server',
      sources: ['main.py'],
    });
  });

  test('server.py is preferred over other files that create a server', async () => {
    const folder = project({
      'app.py': 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("a")\n',
      'server.py': 'from mcp.server.lowlevel import Server\nserver = Server("b")\n',
      'helpers.py': 'def f():\n    return 1\n',
    });
    assert.equal((await findServerEntry(folder, 'python'))?.entry, 'server.py');
  });

  test('a file in a package folder that calls uvicorn.run', async () => {
    const folder = project({
      'src/weather/__init__.py': '',
      'src/weather/serve.py': 'import uvicorn\nuvicorn.run(app, host="127.0.0.1", port=9000)\n',
      '.venv/lib/site.py': 'mcp.run()\n',
    });
    assert.equal((await findServerEntry(folder, 'python'))?.entry, 'src/weather/serve.py');
  });

  test('no file creates or runs a server: not found (the command asks)', async () => {
    const folder = project({ 'tools.py': 'def add(a, b):\n    return a + b\n' });
    assert.equal(await findServerEntry(folder, 'python'), undefined);
  });
});
