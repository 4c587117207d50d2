// The VSIX carries the templates "Host on Azure Functions…" renders (extension/hosting/selfHostedInfra.ts
// reads them from the installed extension): `vsce ls`, the packager's own listing of what
// .vscodeignore lets into the package (https://github.com/microsoft/vscode-vsce), names every file of
// templates/self-hosted. `npm run package` builds the same list into the .vsix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SELF_HOSTED_TEMPLATES } from '../../extension/hosting/selfHostedInfra';

const root = path.resolve(__dirname, '../..');

test('the VSIX holds every file of templates/self-hosted, which selfHostedInfraFiles renders', async () => {
  const templates = readdirSync(path.join(root, SELF_HOSTED_TEMPLATES), {
    recursive: true,
    withFileTypes: true,
  })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  assert.ok(templates.length >= 8, `templates/self-hosted holds only ${templates.join(', ')}`);

  const vsce = require.resolve('@vscode/vsce/vsce');
  const { stdout } = await promisify(execFile)(process.execPath, [vsce, 'ls', '--no-dependencies'], {
    cwd: root,
    timeout: 60_000,
  });
  const packaged = new Set(stdout.split(/\r?\n/).map((line) => line.trim()));
  assert.deepEqual(
    templates.filter((file) => !packaged.has(file)),
    [],
    'left out of the VSIX by .vscodeignore',
  );
});
