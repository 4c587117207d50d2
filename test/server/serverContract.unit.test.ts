import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { serverInfo } from '../../server/src/serverInfo';
import { catalogue } from '../../server/src/tools';
import { functionsToolProperties, inputJsonSchema } from '../../server/src/toolkit/schemas';
import { embeddedHostSettingsFromEnv } from '../../server/src/hosts/embedded/hostSettings';
import { sampleInvoices } from '../../server/dev/sampleInvoices/sampleInvoices';

const serverDir = path.resolve(__dirname, '../../server');
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(serverDir, file), 'utf8')) as Record<string, unknown>;

test('the catalogue has the tool names users of the seed samples know', () => {
  assert.deepEqual(
    catalogue.map((tool) => tool.name),
    [
      'hello_mcp',
      'save_snippet',
      'get_snippet',
      'list_snippets',
      'get_weather',
      'analyze_invoice',
      'GetServerMetadata',
      'GetSqlMetadata',
      'GetPatchingLevel',
      'GetSqlBpAssessment',
      'GetAnomalies',
    ],
  );
});

test('host.json uses the GA extension bundle and describes the server as the embedded host does', () => {
  const hostJson = readJson('host.json') as {
    extensionBundle: { id: string; version: string };
    extensions: { mcp: Record<string, unknown> };
  };
  assert.deepEqual(hostJson.extensionBundle, {
    id: 'Microsoft.Azure.Functions.ExtensionBundle',
    version: '[4.*, 5.0.0)',
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

test('every tool argument can be declared to Functions, and matches the published JSON Schema', () => {
  for (const tool of catalogue) {
    const schema = inputJsonSchema(tool);
    const properties = functionsToolProperties(tool);
    assert.deepEqual(
      properties.map((p) => p.propertyName),
      Object.keys(schema.properties),
      tool.name,
    );
    for (const property of properties) {
      assert.ok(property.description, `${tool.name}.${property.propertyName} has a description`);
      assert.equal(property.isRequired, (schema.required ?? []).includes(property.propertyName));
    }
  }
});

test('embedded host settings: defaults, port precedence and bad values', () => {
  assert.deepEqual(embeddedHostSettingsFromEnv({}), {
    host: '127.0.0.1',
    port: 7071,
    key: undefined,
    extraAllowedHosts: [],
    extraAllowedOrigins: [],
    maxBodyBytes: 4 * 1024 * 1024,
  });
  assert.equal(
    embeddedHostSettingsFromEnv({ PORT: '8080', FUNCTIONS_CUSTOMHANDLER_PORT: '9090' }).port,
    8080,
  );
  assert.equal(embeddedHostSettingsFromEnv({ FUNCTIONS_CUSTOMHANDLER_PORT: '9090' }).port, 9090);
  assert.deepEqual(
    embeddedHostSettingsFromEnv({ MCP_HOST: '0.0.0.0', MCP_ALLOWED_HOSTS: 'dev.box, other' })
      .extraAllowedHosts,
    ['dev.box', 'other'],
  );
  assert.throws(
    () => embeddedHostSettingsFromEnv({ PORT: '70000' }),
    /PORT must be a whole number from 0 to 65535/,
  );
  assert.throws(
    () => embeddedHostSettingsFromEnv({ MCP_MAX_BODY_BYTES: '1kb' }),
    /MCP_MAX_BODY_BYTES must be a whole number/,
  );
});

test('the sample invoices ship with the server: in the VSIX, and in the package azd deploys (.funcignore)', async () => {
  const samples = sampleInvoices.map((invoice) => `data/${invoice.fileName}`);
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
