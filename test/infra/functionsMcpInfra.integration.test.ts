// The azure.yaml and infra/ that "Add Azure Deployment Files" adds to a user's Functions MCP app
// (extension/deploymentFiles/functionsMcpInfra.ts), rendered for every language and both auth modes
// into folders of their own and compiled there by the real Bicep CLI (test/infra/infraVariants.ts):
// it builds and lints clean with nothing of this repository in reach, and what a deployment would
// create (`bicep snapshot`) holds the design: Flex Consumption with the language's runtime, the app's
// own identity, no storage keys, the blob and queue roles the MCP extension needs (its SSE backplane
// is a queue), App Insights without local auth, built-in authentication only in the Entra variant
// (with the MCP webhook opened to it), and the outputs the extension reads, none of them a secret.
//
// Without the .NET SDK the suite is skipped with one line naming what to install;
// test/extension/deploymentFiles/functionsMcpInfra.unit.test.ts still checks the rendered files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BICEP_VERSION, dotnetSdk } from './bicepCli';
import {
  appIdentity,
  appSettings,
  assertEntraAuthSettings,
  assignmentsOf,
  moduleDeployment,
  one,
  props,
  resources,
} from './armQueries';
import { readSimpleYaml, yamlMap } from './azureYaml';
import {
  COMMON_OUTPUTS,
  ENTRA_STAND_IN,
  ROLES,
  TENANT,
  infraVariants,
  sharedInfraTests,
} from './infraVariants';
import {
  FUNCTIONS_MCP_LANGUAGES,
  functionsMcpInfraFiles,
  functionsMcpTemplatesDir,
  type FunctionsMcpAuth,
  type FunctionsMcpLanguage,
} from '../../extension/deploymentFiles/functionsMcpInfra';
import { entraAppSettingChanges } from '../../extension/auth/entraAppConfig';
import { remoteServerFromEnvValues } from '../../extension/deploy/deployCommand';

const root = path.resolve(__dirname, '../..');
const LANGUAGES: FunctionsMcpLanguage[] = ['node', 'python', 'dotnet', 'java'];
const AUTH_MODES: FunctionsMcpAuth[] = ['systemKey', 'entra'];
const sdk = dotnetSdk();

describe(
  `Functions MCP app infra (templates/functions-mcp) compiled by the Bicep CLI ${BICEP_VERSION}`,
  { skip: 'missing' in sdk && sdk.missing },
  () => {
    const variants = infraVariants({
      languages: LANGUAGES,
      authModes: AUTH_MODES,
      keyMode: 'systemKey',
      projectName: 'greetings-functions',
      kind: 'functionsMcpExtension',
      render: (language, auth) =>
        functionsMcpInfraFiles(functionsMcpTemplatesDir(root), {
          language,
          auth,
          projectName: 'greetings-functions',
        }),
    });
    const { projectDir, mainOf, deployment, entraApi, appDeployment } = variants;
    const key = (language: FunctionsMcpLanguage, auth: FunctionsMcpAuth) => `${language}-${auth}`;
    sharedInfraTests(variants, LANGUAGES, AUTH_MODES, 'functionsMcpExtension');

    test("Flex Consumption with each language's runtime: FC1, a Linux function app running as its user-assigned identity, tagged as azure.yaml's api service", async () => {
      for (const language of LANGUAGES) {
        for (const auth of AUTH_MODES) {
          const s = await appDeployment(language, auth);
          assert.deepEqual(one(s, 'Microsoft.Web/serverfarms').sku, { name: 'FC1', tier: 'FlexConsumption' });
          const site = one(s, 'Microsoft.Web/sites');
          assert.equal(site.kind, 'functionapp,linux');
          const identity = site.identity as { type: string; userAssignedIdentities: Record<string, unknown> };
          assert.equal(identity.type, 'UserAssigned');
          const config = props(site).functionAppConfig as {
            runtime: unknown;
            deployment: { storage: { authentication: { type: string } } };
          };
          const facts = FUNCTIONS_MCP_LANGUAGES[language];
          assert.deepEqual(config.runtime, { name: facts.runtimeName, version: facts.defaultVersion });
          assert.equal(config.deployment.storage.authentication.type, 'UserAssignedIdentity');
          const serviceName = (site.tags as Record<string, string>)['azd-service-name'] ?? '';
          const yaml = readSimpleYaml(
            readFileSync(path.join(projectDir(language, auth), 'azure.yaml'), 'utf8'),
          );
          const service = yamlMap(yamlMap(yaml.services, 'services')[serviceName], `services.${serviceName}`);
          assert.equal(service.project, '.');
          assert.equal(service.host, 'function');
        }
      }
    });

    test('no storage keys: shared key access off, identity-based AzureWebJobsStorage with its queue endpoint, and the identity holds the blob and queue roles (the SSE backplane) and Monitoring Metrics Publisher', async () => {
      for (const language of LANGUAGES) {
        const s = await deployment(language);
        assert.equal(props(one(s, 'Microsoft.Storage/storageAccounts')).allowSharedKeyAccess, false);
        const settings = appSettings(s);
        const { principalId, clientId } = appIdentity(s);
        assert.equal(settings.AzureWebJobsStorage__credential, 'managedidentity');
        assert.equal(settings.AzureWebJobsStorage__clientId, clientId);
        assert.match(String(settings.AzureWebJobsStorage__queueServiceUri), /primaryEndpoints\.queue/);
        assert.ok(!('AzureWebJobsStorage' in settings), 'a storage connection string is set');
        assert.equal(props(one(s, 'Microsoft.Insights/components')).DisableLocalAuth, true);
        for (const role of Object.values(ROLES)) {
          const toApp = assignmentsOf(s, role).filter((r) => props(r).principalId === principalId);
          assert.equal(
            toApp.length,
            1,
            `${language}: the app's identity holds role ${role} ${toApp.length} times`,
          );
        }
      }
    });

    test('app settings: not a custom handler (no feature flag, no PYTHONPATH), no FUNCTIONS_WORKER_RUNTIME (Flex rejects it)', async () => {
      for (const language of LANGUAGES) {
        for (const auth of AUTH_MODES) {
          const settings = appSettings(await appDeployment(language, auth));
          for (const name of [
            'AzureWebJobsFeatureFlags',
            'PYTHONPATH',
            'FUNCTIONS_WORKER_RUNTIME',
            'FUNCTIONS_EXTENSION_VERSION',
          ]) {
            assert.ok(!(name in settings), `${key(language, auth)} sets ${name}`);
          }
        }
      }
    });

    test("Entra only in the Entra variant: the extension's own auth settings, and the app settings Enable Entra Sign-in would set, the webhook level Anonymous included", async () => {
      for (const language of LANGUAGES) {
        const s = await entraApi(language);
        assertEntraAuthSettings(s, {
          tenantId: TENANT,
          clientId: ENTRA_STAND_IN.clientId,
          identifierUri: variants.identifierUri,
        });
        const settings = appSettings(s);
        const changes = entraAppSettingChanges(
          {
            identifierUri: variants.identifierUri,
            tenantId: TENANT,
            managedIdentityClientId: ENTRA_STAND_IN.identityClientId,
          },
          'functionsMcpExtension',
        );
        for (const [name, value] of Object.entries(changes)) assert.equal(settings[name], value, name);
      }
      for (const language of LANGUAGES) {
        const s = await deployment(language);
        assert.deepEqual(
          resources(s, 'Microsoft.Web/sites/config').map((r) => String(r.name).split('/').pop()),
          ['appsettings'],
        );
        assert.ok(
          !Object.keys(appSettings(s)).some((name) => /WEBSITE_AUTH|webhookAuthorizationLevel/.test(name)),
        );
      }
      // The key variant's app has no built-in authentication; its registration comes only with the
      // gateway (the shared gateway test).
      assert.doesNotMatch(JSON.stringify(moduleDeployment(mainOf('systemKey'), 'api')), /authsettingsV2/);
    });

    test('the outputs the extension reads: names, and the server Deploy registers from them answers at the MCP webhook', async () => {
      const s = await deployment('node');
      assert.deepEqual(Object.keys(s.outputs).sort(), COMMON_OUTPUTS);
      assert.equal(s.outputs.AUTH_ENABLED, false);
      const site = one(s, 'Microsoft.Web/sites');
      const hostName = `${String(site.name)}.azurewebsites.net`;
      assert.match(
        String(s.outputs.SERVICE_API_MCP_URL),
        /^\[format\('https:\/\/\{0\}\/runtime\/webhooks\/mcp', /,
      );
      // As azd would save them once the site exists.
      const values = Object.fromEntries(
        Object.entries(s.outputs).map(([k, v]) => [
          k,
          typeof v === 'string' && v.startsWith('[') ? '' : String(v),
        ]),
      );
      const server = remoteServerFromEnvValues({
        ...values,
        SERVICE_API_DEFAULT_HOSTNAME: hostName,
        SERVICE_API_MCP_URL: `https://${hostName}/runtime/webhooks/mcp`,
        AZURE_ENV_NAME: 'dev',
      });
      assert.equal(server.endpoint, `https://${hostName}/runtime/webhooks/mcp`);
      assert.equal(server.name, site.name);
      assert.equal(server.auth, undefined);

      const entraOutputs = mainOf('entra').outputs ?? {};
      assert.deepEqual(Object.keys(entraOutputs).sort(), COMMON_OUTPUTS);
    });
  },
);
