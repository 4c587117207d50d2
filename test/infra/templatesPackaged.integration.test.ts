// The VSIX carries the templates "Host on Azure Functions…" and "Add Azure Deployment Files" render
// (extension/deploymentFiles/infraTemplates.ts reads them from the installed extension): `vsce ls`,
// the packager's own listing of what .vscodeignore lets into the package
// (https://github.com/microsoft/vscode-vsce), names every file of templates/, the self-hosted set,
// the Functions MCP app set and the modules they share, and the API Management gateway's files the
// renderer copies from the extension's own infra/app/gateway/. `npm run package` builds the same list
// into the .vsix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { FUNCTIONS_MCP_TEMPLATES } from '../../extension/deploymentFiles/functionsMcpInfra';
import {
  GATEWAY_FILES_FOLDER,
  TEMPLATES_FOLDER,
  sharedTemplatesDir,
} from '../../extension/deploymentFiles/infraTemplates';
import { SELF_HOSTED_TEMPLATES } from '../../extension/hosting/selfHostedInfra';

const root = path.resolve(__dirname, '../..');

function filesUnder(folder: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

test("the VSIX holds every file of templates/ and the gateway's files, which the deployment files are rendered from", async () => {
  const sets = [SELF_HOSTED_TEMPLATES, FUNCTIONS_MCP_TEMPLATES, sharedTemplatesDir(SELF_HOSTED_TEMPLATES)];
  for (const set of sets) {
    assert.ok(filesUnder(set).length >= 3, `${set} holds only ${filesUnder(set).join(', ')}`);
  }
  const templates = filesUnder(TEMPLATES_FOLDER);
  assert.deepEqual(
    templates.filter((file) => !sets.some((set) => file.startsWith(`${set.split(path.sep).join('/')}/`))),
    [],
    'a template outside the sets the renderer reads',
  );

  const vsce = require.resolve('@vscode/vsce/vsce');
  const { stdout } = await promisify(execFile)(process.execPath, [vsce, 'ls', '--no-dependencies'], {
    cwd: root,
    timeout: 60_000,
  });
  const packaged = new Set(stdout.split(/\r?\n/).map((line) => line.trim()));
  const gateway = filesUnder(GATEWAY_FILES_FOLDER);
  assert.deepEqual(gateway.map((file) => path.posix.basename(file)).sort(), [
    'apim.bicep',
    'mcp-api.policy.xml',
    'prm.policy.xml',
  ]);
  assert.deepEqual(
    [...templates, ...gateway].filter((file) => !packaged.has(file)),
    [],
    'left out of the VSIX by .vscodeignore',
  );
});
