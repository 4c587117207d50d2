// What the server folder promises the Functions host, azd and the VSIX: host.json, package.json,
// the local.settings.json example and the files that ship.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { serverInfo } from '../../server/src/serverInfo';
import { sampleInvoices } from '../../server/dev/sampleInvoices/sampleInvoices';
import { weatherViewFile } from '../../server/src/resources/weatherView';

const serverDir = path.resolve(__dirname, '../../server');
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(serverDir, file), 'utf8')) as Record<string, unknown>;

test('host.json uses the Preview extension bundle that has prompts, and describes the server as the embedded host does', () => {
  const hostJson = readJson('host.json') as {
    extensionBundle: { id: string; version: string };
    extensions: { mcp: Record<string, unknown> };
  };
  // Resources and MCP Apps need the Preview bundle from 4.40, prompts from 4.41: the range of the public
  // sample's prompts app (Azure-Samples/remote-mcp-functions-typescript: mcp-prompts/host.json).
  assert.deepEqual(hostJson.extensionBundle, {
    id: 'Microsoft.Azure.Functions.ExtensionBundle.Preview',
    version: '[4.41, 5.0.0)',
  });
  assert.deepEqual(hostJson.extensions.mcp, {
    serverName: serverInfo.name,
    serverVersion: serverInfo.version,
    instructions: serverInfo.instructions,
    system: { webhookAuthorizationLevel: 'System' },
  });
});

test('server/package.json points Functions at the bundle, at the same version', () => {
  const pkg = readJson('package.json');
  assert.equal(pkg.main, 'dist/functions.js');
  assert.equal(pkg.version, serverInfo.version);
});

test('the local.settings.json example uses Azurite and the node worker', () => {
  assert.deepEqual(readJson('local.settings.example.json'), {
    IsEncrypted: false,
    Values: { AzureWebJobsStorage: 'UseDevelopmentStorage=true', FUNCTIONS_WORKER_RUNTIME: 'node' },
  });
});

test('the sample invoices and the weather view ship with the server: in the VSIX, and in the package azd deploys (.funcignore)', async () => {
  const samples = [
    ...sampleInvoices.map((invoice) => `data/${invoice.fileName}`),
    path.relative(serverDir, weatherViewFile).split(path.sep).join('/'),
  ];
  assert.ok(samples.includes('data/apps/weather-view.html'), samples.join(', '));
  // What `npm run package` would put in the VSIX, without packaging it.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [require.resolve('@vscode/vsce/vsce'), 'ls', '--no-dependencies'],
    { cwd: path.resolve(serverDir, '..') },
  );
  const inVsix = new Set(stdout.split('\n').map((line) => line.trim()));
  for (const sample of samples)
    assert.ok(inVsix.has(`server/${sample}`), `the VSIX leaves out server/${sample}`);

  // .funcignore holds `*.ext`, `folder/` and file-name lines; none may match a sample.
  const patterns = readFileSync(path.join(serverDir, '.funcignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const sample of samples) {
    for (const pattern of patterns) {
      const excluded = pattern.startsWith('*.')
        ? sample.endsWith(pattern.slice(1))
        : pattern.endsWith('/')
          ? sample.startsWith(pattern)
          : sample === pattern || path.basename(sample) === pattern;
      assert.ok(!excluded, `.funcignore's "${pattern}" leaves ${sample} out of the deployment`);
    }
  }
});
