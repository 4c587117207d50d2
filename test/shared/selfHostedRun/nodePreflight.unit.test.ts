// Before a Node self-hosted server starts (shared/selfHostedRun/nodePreflight.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DirectRun } from '../../../shared/mcpProject/mcpProject';
import { entryFile, nodePreflight } from '../../../shared/selfHostedRun/nodePreflight';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-preflight-'));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function run(folder: string, args = ['dist/index.js'], executable = 'node'): DirectRun {
  return { executable, args, cwd: folder, port: 3000, portSource: 'host.json' };
}

const packageJson = (scripts: Record<string, string> = {}) =>
  JSON.stringify({
    name: 'todos',
    dependencies: { '@modelcontextprotocol/sdk': '^1.20.0', express: '^5.1.0' },
    scripts,
  });

test('dependencies hoisted to an npm workspace root resolve: ready; a missing entry with a build script needs the build', () => {
  const root = path.join(scratch, 'monorepo');
  for (const name of ['@modelcontextprotocol/sdk', 'express'])
    write(path.join(root, 'node_modules', name, 'package.json'), '{}');
  const folder = path.join(root, 'packages/todos');
  write(path.join(folder, 'package.json'), packageJson({ build: 'tsc' }));
  assert.deepEqual(nodePreflight(folder, run(folder)), {
    status: 'notBuilt',
    entry: path.join(folder, 'dist/index.js'),
  });
  write(path.join(folder, 'dist/index.js'), '');
  assert.deepEqual(nodePreflight(folder, run(folder)), { status: 'ready' });
});

test('a folder whose dependencies resolve nowhere: the missing ones, named', () => {
  const folder = path.join(scratch, 'fresh-clone');
  write(path.join(folder, 'package.json'), packageJson({ build: 'tsc' }));
  write(path.join(folder, 'node_modules/express/package.json'), '{}');
  assert.deepEqual(nodePreflight(folder, run(folder)), {
    status: 'notInstalled',
    missing: ['@modelcontextprotocol/sdk'],
  });
});

test('no entry and no build script: said as such', () => {
  const folder = path.join(scratch, 'nobuild');
  write(path.join(folder, 'package.json'), JSON.stringify({ name: 'x' }));
  assert.deepEqual(nodePreflight(folder, run(folder, ['server.js'])), {
    status: 'noEntry',
    entry: path.join(folder, 'server.js'),
  });
});

test("the entry is node's first non-option argument; other programs name no file to check", () => {
  const folder = path.join(scratch, 'entries');
  assert.equal(
    entryFile(run(folder, ['--enable-source-maps', 'dist/index.js'])),
    path.join(folder, 'dist/index.js'),
  );
  assert.equal(entryFile(run(folder, ['start'], 'npm')), undefined);
});
