// package.json `main` paths and patterns, expanded as the Functions Node worker expands them with globby.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entryFiles, isEntryPattern } from '../../../shared/functionsAppRun/entryFiles';

test('plain paths, *, ** and {a,b} find the built files; node_modules is never searched', (t) => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'entry-glob-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  for (const file of [
    'dist/src/index.js',
    'dist/src/functions/a.js',
    'dist/src/functions/b.js',
    'dist/src/functions/b.js.map',
    'dist/src/functions/deep/c.mjs',
    'node_modules/x/dist/src/functions/z.js',
  ]) {
    mkdirSync(path.join(folder, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(folder, file), '');
  }
  assert.deepEqual(entryFiles(folder, 'dist/src/index.js'), ['dist/src/index.js']);
  assert.deepEqual(entryFiles(folder, './dist/src/index.js'), ['dist/src/index.js']);
  assert.deepEqual(entryFiles(folder, 'dist/src/functions/*.js'), [
    'dist/src/functions/a.js',
    'dist/src/functions/b.js',
  ]);
  assert.deepEqual(entryFiles(folder, 'dist/**/*.{js,mjs}'), [
    'dist/src/functions/a.js',
    'dist/src/functions/b.js',
    'dist/src/functions/deep/c.mjs',
    'dist/src/index.js',
  ]);
  assert.deepEqual(entryFiles(folder, '**/z.js'), []);
  assert.deepEqual(entryFiles(folder, 'dist/missing.js'), []);
});

test('a pattern is told from a path, so the message can say "no file matches it" or "that file does not exist"', () => {
  assert.equal(isEntryPattern('dist/src/functions/*.js'), true);
  assert.equal(isEntryPattern('dist/{a,b}.js'), true);
  assert.equal(isEntryPattern('dist/src/index.js'), false);
});
