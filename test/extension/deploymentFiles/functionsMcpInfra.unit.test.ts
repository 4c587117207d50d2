// functionsMcpInfraFiles: the azure.yaml and infra/ "Add Azure Deployment Files" writes for a Functions
// MCP extension app, rendered from templates/functions-mcp (and templates/shared) for each language
// and auth mode. The Bicep itself is compiled in test/infra/functionsMcpInfra.integration.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  FUNCTIONS_MCP_LANGUAGES,
  functionsMcpInfraFiles,
  functionsMcpTemplatesDir,
  type FunctionsMcpAuth,
  type FunctionsMcpInfraOptions,
  type FunctionsMcpLanguage,
} from '../../../extension/deploymentFiles/functionsMcpInfra';
import { selfHostedInfraFiles, selfHostedTemplatesDir } from '../../../extension/hosting/selfHostedInfra';
import { UserFacingError } from '../../../extension/common/errors';
import { readSimpleYaml, yamlMap } from '../../infra/azureYaml';
import {
  assertGatewayFilesVerbatim,
  repositoryGatewayFiles,
  withoutGatewayFiles,
} from '../../infra/gatewayFiles';

const root = path.resolve(__dirname, '../../..');
const LANGUAGES: FunctionsMcpLanguage[] = ['node', 'python', 'dotnet', 'java'];
const AUTH_MODES: FunctionsMcpAuth[] = ['systemKey', 'entra'];

// Every auth mode gets the app registration and the gateway: the gateway (APIM_ENABLED) can be turned
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

async function render(options: Partial<FunctionsMcpInfraOptions> = {}): Promise<Map<string, string>> {
  const files = await functionsMcpInfraFiles(functionsMcpTemplatesDir(root), {
    language: 'node',
    projectName: 'greetings-functions',
    auth: 'systemKey',
    ...options,
  });
  return new Map(files.map((file) => [file.path, file.content]));
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

describe('functionsMcpInfraFiles', () => {
  test("every language and auth mode: azure.yaml and infra/ with the app registration and the gateway's files as the extension has them, no template syntax left", async () => {
    for (const language of LANGUAGES) {
      for (const auth of AUTH_MODES) {
        const files = await render({ language, auth });
        assert.deepEqual([...files.keys()], FILES, `${language} ${auth}`);
        assertGatewayFilesVerbatim(files, `${language} ${auth}`);
        for (const [name, content] of withoutGatewayFiles(files)) {
          assert.doesNotMatch(content, /#if |#endif|\{\{/, `${language} ${auth} ${name}`);
        }
      }
    }
  });

  test("azure.yaml: the folder is the api service, in azd's language; Node.js and Python build in Azure, .NET and Java on this machine", async () => {
    const expected: Record<FunctionsMcpLanguage, { language: string; remoteBuild?: string }> = {
      node: { language: 'ts', remoteBuild: 'true' },
      python: { language: 'python', remoteBuild: 'true' },
      dotnet: { language: 'dotnet' },
      java: { language: 'java' },
    };
    for (const language of LANGUAGES) {
      const { yaml, api } = apiService(await render({ language }));
      assert.equal(yaml.name, 'greetings-functions');
      assert.deepEqual(yamlMap(yaml.infra, 'infra'), { provider: 'bicep', path: 'infra' });
      assert.deepEqual(api, { project: '.', host: 'function', ...expected[language] }, language);
    }
    assert.equal(apiService(await render({ typeScript: false })).api.language, 'js');
    assert.match(file(await render({ language: 'java' }), 'azure.yaml'), /\(mvn package\)/);
    assert.match(file(await render({ language: 'dotnet' }), 'azure.yaml'), /\(dotnet publish\)/);
  });

  test("main.parameters.json: the project's name, Flex Consumption's runtime name, and the version (overridable by FUNCTIONS_RUNTIME_VERSION)", async () => {
    const runtimes: Record<FunctionsMcpLanguage, [string, string]> = {
      node: ['node', '22'],
      python: ['python', '3.12'],
      dotnet: ['dotnet-isolated', '8.0'],
      java: ['java', '17'],
    };
    for (const language of LANGUAGES) {
      const [runtimeName, version] = runtimes[language];
      assert.equal(FUNCTIONS_MCP_LANGUAGES[language].defaultVersion, version);
      assert.deepEqual(parameters(await render({ language, projectName: '@contoso/Greetings_MCP' })), {
        environmentName: '${AZURE_ENV_NAME}',
        location: '${AZURE_LOCATION}',
        principalId: '${AZURE_PRINCIPAL_ID}',
        projectName: 'contoso-greetings-mcp',
        runtimeName,
        runtimeVersion: `\${FUNCTIONS_RUNTIME_VERSION=${version}}`,
        apimEnabled: '${APIM_ENABLED=false}',
        apimSku: '${APIM_SKU=BasicV2}',
      });
    }
    const net9 = parameters(await render({ language: 'dotnet', runtimeVersion: '9.0' }));
    assert.equal(net9.runtimeVersion, '${FUNCTIONS_RUNTIME_VERSION=9.0}');
  });

  test('the system key variant: no built-in auth, the webhook keeps asking for the key; the Entra variant: built-in auth and the webhook level Anonymous', async () => {
    const key = await render({ auth: 'systemKey' });
    const keyApi = file(key, 'infra/app/api.bicep');
    assert.doesNotMatch(keyApi, /authsettingsV2|webhookAuthorizationLevel|WEBSITE_AUTH_PRM/);
    assert.match(file(key, 'infra/main.bicep'), /^var builtInAuthentication = false$/m);
    assert.match(file(key, 'infra/main.bicep'), /^output AUTH_ENABLED bool = builtInAuthentication$/m);

    const entra = await render({ auth: 'entra' });
    const entraApi = file(entra, 'infra/app/api.bicep');
    assert.match(entraApi, /name: 'authsettingsV2'/);
    assert.match(entraApi, /unauthenticatedClientAction: 'Return401'/);
    assert.match(
      entraApi,
      /AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel: 'Anonymous'/,
    );
    assert.match(
      entraApi,
      /WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES: '\$\{authIdentifierUri\}\/user_impersonation'/,
    );
    assert.match(file(entra, 'infra/main.bicep'), /^var builtInAuthentication = true$/m);
    assert.match(file(entra, 'infra/app/entra.bicep'), /preAuthorizedApplications/);
  });

  test('not a custom handler: no feature flag or PYTHONPATH, and the MCP URL is the extension webhook', async () => {
    for (const language of LANGUAGES) {
      const files = await render({ language });
      assert.doesNotMatch(file(files, 'infra/app/api.bicep'), /EnableMcpCustomHandlerPreview|PYTHONPATH/);
      assert.match(
        file(files, 'infra/main.bicep'),
        /^output SERVICE_API_MCP_URL string = 'https:\/\/\$\{api\.outputs\.defaultHostName\}\/runtime\/webhooks\/mcp'$/m,
      );
    }
  });

  test('the modules shared with the self-hosted templates are the same text in both', async () => {
    const mcp = await render({ auth: 'entra' });
    const selfHosted = new Map(
      (
        await selfHostedInfraFiles(selfHostedTemplatesDir(root), {
          language: 'node',
          projectName: 'greetings-functions',
          auth: 'entra',
        })
      ).map((f) => [f.path, f.content]),
    );
    const shared = [...mcp.keys()].filter((name) => mcp.get(name) === selfHosted.get(name));
    assert.deepEqual(shared, [
      'infra/app/entra.bicep',
      ...repositoryGatewayFiles().keys(),
      'infra/app/identity.bicep',
      'infra/app/monitoring.bicep',
      'infra/app/rbac.bicep',
      'infra/app/storage.bicep',
      'infra/bicepconfig.json',
      'infra/main.parameters.json',
    ]);
  });

  test('a version Flex Consumption would not take is refused with an example', async () => {
    await assert.rejects(render({ language: 'dotnet', runtimeVersion: 'net8.0' }), (error: unknown) => {
      assert.ok(error instanceof UserFacingError);
      assert.equal(
        error.message,
        '"net8.0" is not a .NET version Flex Consumption names: expected one such as 8.0.',
      );
      return true;
    });
  });
});
