// selfHostedInfraFiles: what "Host on Azure Functions…" adds to a user's project for `azd up`, rendered
// from the templates the extension ships (templates/self-hosted/). The Bicep itself is compiled in
// test/infra/selfHostedInfra.integration.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_RUNTIME_VERSION,
  azdProjectName,
  selfHostedInfraFiles,
  selfHostedTemplatesDir,
  type SelfHostedInfraOptions,
} from '../../../extension/hosting/selfHostedInfra';
import { UserFacingError } from '../../../extension/common/errors';
import { readSimpleYaml, yamlMap } from '../../infra/azureYaml';
import {
  assertGatewayFilesVerbatim,
  repositoryGatewayFiles,
  withoutGatewayFiles,
} from '../../infra/gatewayFiles';

const templatesDir = selfHostedTemplatesDir(path.resolve(__dirname, '../../..'));

// Both auth modes get the app registration and the gateway: the gateway (APIM_ENABLED) can be turned
// on later in either, and it needs the registration.
const FILES = [
  'azure.yaml',
  'infra/app/api.bicep',
  'infra/app/entra.bicep',
  ...repositoryGatewayFiles().keys(),
  'infra/app/identity.bicep',
  'infra/app/monitoring.bicep',
  'infra/app/rbac.bicep',
  'infra/app/storage.bicep',
  'infra/bicepconfig.json',
  'infra/main.bicep',
  'infra/main.parameters.json',
];

async function render(options: Partial<SelfHostedInfraOptions> = {}): Promise<Map<string, string>> {
  const files = await selfHostedInfraFiles(templatesDir, {
    language: 'node',
    projectName: 'weather-mcp',
    auth: 'entra',
    ...options,
  });
  return new Map(files.map((f) => [f.path, f.content]));
}

function file(files: Map<string, string>, name: string): string {
  const content = files.get(name);
  assert.ok(content !== undefined, `${name} was not generated`);
  return content;
}

function parameters(files: Map<string, string>): Record<string, string> {
  const json = JSON.parse(file(files, 'infra/main.parameters.json')) as {
    parameters: Record<string, { value: string }>;
  };
  return Object.fromEntries(Object.entries(json.parameters).map(([k, v]) => [k, v.value]));
}

function apiService(files: Map<string, string>) {
  const yaml = readSimpleYaml(file(files, 'azure.yaml'));
  return { yaml, api: yamlMap(yamlMap(yaml.services, 'services').api, 'services.api') };
}

const VARIANTS = (['node', 'python'] as const).flatMap((language) =>
  (['entra', 'functionKey'] as const).map((auth) => ({ language, auth })),
);

describe('selfHostedInfraFiles', () => {
  for (const { language, auth } of VARIANTS) {
    test(`${language} with ${auth}: exactly azure.yaml and infra/, with every placeholder and auth block resolved, and the gateway's files as the extension has them`, async () => {
      const files = await render({ language, auth });
      assert.deepEqual([...files.keys()].sort(), [...FILES].sort());
      assertGatewayFilesVerbatim(files, `${language} ${auth}`);
      for (const [name, content] of withoutGatewayFiles(files)) {
        assert.doesNotMatch(content, /\{\{|\}\}/, `${name} keeps a placeholder`);
        assert.doesNotMatch(content, /#if|#endif/, `${name} keeps an auth block marker`);
        assert.ok(!name.includes('\\') && !path.isAbsolute(name), `${name} is not a relative / path`);
      }
    });
  }

  test('azure.yaml: one service, api, deployed from the project folder to a function app, built remotely, named after the project', async () => {
    for (const [options, language] of [
      [{ language: 'node' }, 'ts'],
      [{ language: 'node', typeScript: false }, 'js'],
      [{ language: 'python' }, 'python'],
    ] as const) {
      const { yaml, api } = apiService(await render({ ...options, projectName: '@contoso/Weather_MCP' }));
      assert.equal(yaml.name, 'contoso-weather-mcp');
      assert.deepEqual(Object.keys(yamlMap(yaml.services, 'services')), ['api']);
      assert.deepEqual(api, { project: '.', language, host: 'function', remoteBuild: 'true' });
      assert.deepEqual(yaml.infra, { provider: 'bicep', path: 'infra' });
    }
  });

  test('main.parameters.json: the language runtime and its default version, overridable from the azd environment, and the project name', async () => {
    assert.deepEqual(parameters(await render({ language: 'node' })), {
      environmentName: '${AZURE_ENV_NAME}',
      location: '${AZURE_LOCATION}',
      principalId: '${AZURE_PRINCIPAL_ID}',
      projectName: 'weather-mcp',
      runtimeName: 'node',
      runtimeVersion: `\${FUNCTIONS_RUNTIME_VERSION=${DEFAULT_RUNTIME_VERSION.node}}`,
      apimEnabled: '${APIM_ENABLED=false}',
      apimSku: '${APIM_SKU=BasicV2}',
    });
    const python = parameters(await render({ language: 'python', runtimeVersion: '3.11' }));
    assert.equal(python.runtimeName, 'python');
    assert.equal(python.runtimeVersion, '${FUNCTIONS_RUNTIME_VERSION=3.11}');
    assert.equal(DEFAULT_RUNTIME_VERSION.python, '3.12');
  });

  test('built-in authentication only in the Entra variant; the key variant creates the app registration only with the gateway (APIM_ENABLED)', async () => {
    const entra = await render({ auth: 'entra' });
    const keys = await render({ auth: 'functionKey' });
    assert.match(file(entra, 'infra/app/api.bicep'), /'authsettingsV2'/);
    assert.match(file(entra, 'infra/main.bicep'), /^var builtInAuthentication = true$/m);
    assert.match(file(keys, 'infra/main.bicep'), /^var builtInAuthentication = false$/m);
    for (const files of [entra, keys]) {
      const main = file(files, 'infra/main.bicep');
      assert.match(main, /^var entraRegistration = builtInAuthentication \|\| apimEnabled$/m);
      assert.match(main, /^module entra '\.\/app\/entra\.bicep' = if \(entraRegistration\) \{$/m);
      assert.match(main, /^module gateway '\.\/app\/gateway\/apim\.bicep' = if \(apimEnabled\) \{$/m);
      assert.match(main, /^ {4}projectKind: 'selfHosted'$/m);
      assert.match(main, /^output AUTH_ENABLED bool = builtInAuthentication$/m);
    }
    assert.doesNotMatch(file(keys, 'infra/app/api.bicep'), /entra|authsettingsV2|WEBSITE_AUTH_/i);
    assert.doesNotMatch(file(keys, 'infra/main.bicep'), /authClientId|authsettingsV2|WEBSITE_AUTH_/);
  });

  // The Bicep CLI cannot type these offline (the Graph extension is an OCI artifact), so the integration
  // test compiles them as untyped objects; what VS Code's sign-in depends on is checked here as text.
  test('the Entra app registration: VS Code pre-authorised for a stable user_impersonation scope, v2 tokens, and the app identity in place of a secret', async () => {
    const entra = file(await render({ auth: 'entra' }), 'infra/app/entra.bicep');
    assert.match(entra, /^extension microsoftGraphV1$/m);
    assert.match(entra, /resource application 'Microsoft\.Graph\/applications@v1\.0'/);
    assert.match(entra, /var vscodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56'/);
    assert.match(
      entra,
      /preAuthorizedApplications: \[\s*\{\s*appId: vscodeClientId\s*delegatedPermissionIds: \[\s*userImpersonationScopeId\s*\]/,
    );
    assert.match(entra, /id: userImpersonationScopeId\s*value: 'user_impersonation'\s*type: 'User'/);
    // Deterministic, so provisioning again keeps the scope users consented to.
    assert.match(
      entra,
      /var userImpersonationScopeId = guid\(tenant\(\)\.tenantId, uniqueName, 'user_impersonation'\)/,
    );
    assert.match(entra, /requestedAccessTokenVersion: 2/);
    assert.match(entra, /'Microsoft\.Graph\/applications\/federatedIdentityCredentials@v1\.0'/);
    assert.match(
      entra,
      /subject: managedIdentityPrincipalId\s*audiences: \[\s*'api:\/\/AzureADTokenExchange'\s*\]/,
    );
    assert.match(entra, /resource servicePrincipal 'Microsoft\.Graph\/servicePrincipals@v1\.0'/);
    assert.doesNotMatch(entra, /passwordCredentials|secretText|keyCredentials/);
    assert.match(
      file(await render({ auth: 'entra' }), 'infra/bicepconfig.json'),
      /"microsoftGraphV1": "br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:1\.0\.0"/,
    );
  });

  test('a bad runtime version or a missing template folder is reported with what to do', async () => {
    await assert.rejects(render({ runtimeVersion: 'latest' }), (error: unknown) => {
      assert.ok(error instanceof UserFacingError);
      assert.match(error.message, /"latest" is not a node version .* such as 22/);
      return true;
    });
    const missing = path.join(os.tmpdir(), 'remote-mcp-no-templates');
    await assert.rejects(
      selfHostedInfraFiles(missing, { language: 'node', projectName: 'x', auth: 'entra' }),
      (error: unknown) => error instanceof UserFacingError && /reinstall/.test(error.message),
    );
  });

  test('a template whose auth blocks do not close, or name no auth mode, fails instead of rendering something else', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-templates-'));
    try {
      cpSync(templatesDir, dir, { recursive: true });
      const main = path.join(dir, 'infra', 'main.bicep');
      for (const [text, problem] of [
        ['// #if entra\nparam x string\n', /never closed/],
        ['// #endif\n', /closes no block/],
        ['// #if anonymous\n// #endif\n', /names no auth mode/],
        ["output x string = '{{unknown}}'\n", /no value for \{\{unknown\}\}/],
      ] as const) {
        writeFileSync(main, text);
        await assert.rejects(
          selfHostedInfraFiles(dir, { language: 'node', projectName: 'x', auth: 'functionKey' }),
          problem,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('azdProjectName: lower-case letters, digits and single hyphens, from a letter, at most 24 characters', () => {
    assert.equal(azdProjectName('@contoso/Weather_MCP'), 'contoso-weather-mcp');
    assert.equal(azdProjectName('My  MCP server!'), 'my-mcp-server');
    assert.equal(azdProjectName('123-tools'), 'tools');
    assert.equal(azdProjectName('a-very-long-project-name-that-goes-on'), 'a-very-long-project-name');
    assert.equal(azdProjectName('an-mcp-server-name-with-hyphen'), 'an-mcp-server-name-with');
    assert.equal(azdProjectName('日本語'), 'mcp-server');
  });
});
