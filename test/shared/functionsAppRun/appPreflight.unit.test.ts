// Whether a Functions app's package.json `main` (a file or a glob, as the Node worker accepts it)
// names a built file, and what is missing before the embedded host can load it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { functionsAppPreflight, matchesSomeFile } from '../../../shared/functionsAppRun/appPreflight';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-app-preflight-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function appWith(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(scratch, 'app-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), text);
  }
  return folder;
}

test('the glob forms apps put in main', () => {
  const nested = appWith({ 'nested/greet.js': '', 'a/b/deep.js': '', 'functions/greet.js': '' });
  assert.equal(matchesSomeFile(nested, '*.js'), false, '* stays within a folder');
  assert.equal(matchesSomeFile(nested, '**/deep.js'), true);
  assert.equal(matchesSomeFile(nested, '{index.js,functions/*.js}'), true);
  assert.equal(matchesSomeFile(nested, '{index.js,other/*.js}'), false);
  assert.equal(matchesSomeFile(nested, 'functions/greet.?s'), true);
  assert.equal(matchesSomeFile(nested, 'functions/greetXjs'), false, 'a dot is a dot');
});

test('main as a file and as a pattern, against what is on disk', () => {
  const folder = appWith({ 'dist/src/functions/greet.js': '', 'dist/index.js': '' });
  assert.equal(matchesSomeFile(folder, 'dist/index.js'), true);
  assert.equal(matchesSomeFile(folder, './dist/index.js'), true);
  assert.equal(matchesSomeFile(folder, 'dist/src/functions/*.js'), true);
  assert.equal(matchesSomeFile(folder, 'dist/src/functions/*.mjs'), false);
  assert.equal(matchesSomeFile(folder, 'dist/**/*.js'), true);
  assert.equal(matchesSomeFile(folder, 'build/*.js'), false);
  assert.equal(matchesSomeFile(folder, 'dist'), false, 'a folder is not a file');
});

test('as cloned: not built (with a build script) or no entry (without); built: ready', () => {
  const packageJson = (scripts: Record<string, string>) =>
    JSON.stringify({ name: 'app', main: 'dist/src/functions/*.js', scripts });
  const unbuilt = appWith({ 'package.json': packageJson({ build: 'tsc' }) });
  assert.deepEqual(functionsAppPreflight(unbuilt), { status: 'notBuilt', main: 'dist/src/functions/*.js' });
  const noBuild = appWith({ 'package.json': packageJson({}) });
  assert.deepEqual(functionsAppPreflight(noBuild), { status: 'noEntry', main: 'dist/src/functions/*.js' });
  const built = appWith({ 'package.json': packageJson({ build: 'tsc' }), 'dist/src/functions/greet.js': '' });
  assert.deepEqual(functionsAppPreflight(built), { status: 'ready' });
});

test('dependencies that do not resolve come first: npm install before any build', () => {
  const folder = appWith({
    'package.json': JSON.stringify({
      main: 'dist/*.js',
      scripts: { build: 'tsc' },
      dependencies: { 'surely-not-installed-anywhere': '1.0.0' },
    }),
  });
  assert.deepEqual(functionsAppPreflight(folder), {
    status: 'notInstalled',
    missing: ['surely-not-installed-anywhere'],
  });
});
