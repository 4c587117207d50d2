import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTestFiles } from './testFiles';

describe('the files the runner finds', () => {
  const tree = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-test-files-'));
  after(() => rmSync(tree, { recursive: true, force: true }));
  const files = [
    'server/weather/openMeteo.unit.test.ts',
    'server/weather/getWeather.integration.test.ts',
    'extension/statusView/serverNodes.unit.test.ts',
    'extension/statusView/statusView.vscode.test.ts',
    'extension/activation.unit.test.ts',
    'fakes/entra.selftest.test.ts',
    'infra/bicep.integration.test.ts',
    'unit/oldName.test.ts',
    'server/snippets/snippets.intergration.test.ts',
    'support/ports.ts',
    'vscode/.cache/node_modules/pkg/thing.test.ts',
    'node_modules/pkg/other.unit.test.ts',
  ];
  for (const file of files) {
    mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    writeFileSync(path.join(tree, file), '');
  }
  const found = findTestFiles(tree);
  const relative = (list: string[]) =>
    list.map((file) => path.relative(tree, file).split(path.sep).join('/'));

  test('node runs the unit tests of every folder first, then the integration and self-tests, each in path order', () => {
    assert.deepEqual(relative(found.nodeFiles), [
      'extension/activation.unit.test.ts',
      'extension/statusView/serverNodes.unit.test.ts',
      'server/weather/openMeteo.unit.test.ts',
      'fakes/entra.selftest.test.ts',
      'infra/bicep.integration.test.ts',
      'server/weather/getWeather.integration.test.ts',
    ]);
  });

  test('the VS Code tests are left to the VS Code suite', () => {
    assert.deepEqual(relative(found.vscodeFiles), ['extension/statusView/statusView.vscode.test.ts']);
  });

  test('a test file whose name says no tier (old-style or misspelt) is reported, not skipped', () => {
    assert.deepEqual(relative(found.misnamed), [
      'server/snippets/snippets.intergration.test.ts',
      'unit/oldName.test.ts',
    ]);
  });
});

test('test/vscode/suite/index.ts loads every *.vscode.test.ts of the repository', () => {
  const testDir = __dirname;
  const suiteDir = path.join(testDir, 'vscode/suite');
  const loaded = [
    ...readFileSync(path.join(suiteDir, 'index.ts'), 'utf8').matchAll(/import\('([^']+)'\)/g),
  ].map((m) => path.resolve(suiteDir, `${m[1]}.ts`));
  const { vscodeFiles } = findTestFiles(testDir);
  assert.ok(vscodeFiles.length > 0, 'no *.vscode.test.ts found');
  assert.deepEqual(
    [...loaded].sort(),
    vscodeFiles,
    'a *.vscode.test.ts that index.ts does not import never runs',
  );
});
