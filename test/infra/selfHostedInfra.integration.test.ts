// The azure.yaml and infra/ that "Host on Azure Functions…" adds to a user's self-hosted MCP server
// (extension/hosting/selfHostedInfra.ts), rendered for each language and auth mode into a folder of
// its own and compiled there by the real Bicep CLI (test/infra/bicepCli.ts): it builds and lints clean
// with nothing of this repository in reach, and what a deployment would create (`bicep snapshot`)
// holds the design: Flex Consumption, the custom-handler feature flag, the language's runtime, the
// app's own identity and no storage keys, built-in authentication only in the Entra variant, and the
// outputs the extension reads, none of them a secret.
//
// Without the .NET SDK the suite is skipped with one line naming what to install;
// test/extension/hosting/selfHostedInfra.unit.test.ts still checks the rendered files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BICEP_VERSION, GRAPH_MODULE, dotnetSdk } from './bicepCli';
import {
  appIdentity,
  appSettings,
  assertEntraAuthSettings,
  assignmentsOf,
  authSettings,
  moduleDeployment,
  one,
  props,
  resources,
  templateResources,
} from './armQueries';
import { readSimpleYaml, yamlMap } from './azureYaml';
import {
  COMMON_OUTPUTS,
  ENTRA_STAND_IN,
  LOCATION,
  ROLES,
  SUBSCRIPTION,
  TENANT,
  USER,
  VSCODE_CLIENT_ID,
  infraVariants,
  sharedInfraTests,
} from './infraVariants';
import {
  DEFAULT_RUNTIME_VERSION,
  selfHostedInfraFiles,
  selfHostedTemplatesDir,
  type SelfHostedAuth,
} from '../../extension/hosting/selfHostedInfra';
import { entraAppSettingChanges, entraAuthSettingsV2 } from '../../extension/auth/entraAppConfig';
import {
  ALLOWED_TENANTS_SETTING,
  MI_CLIENT_ID_SETTING,
  PRM_SCOPES_SETTING,
} from '../../extension/auth/entra';
import { deploymentOutputs } from '../../extension/deploy/azdOutputs';

const root = path.resolve(__dirname, '../..');
const LANGUAGES = ['node', 'python'] as const;
type Language = (typeof LANGUAGES)[number];
const AUTH_MODES: SelfHostedAuth[] = ['entra', 'functionKey'];

const sdk = dotnetSdk();

describe(
  `self-hosted project infra (templates/self-hosted) compiled by the Bicep CLI ${BICEP_VERSION}`,
  { skip: 'missing' in sdk && sdk.missing },
  () => {
    const variants = infraVariants({
      languages: LANGUAGES,
      authModes: AUTH_MODES,
      keyMode: 'functionKey',
      projectName: 'weather-mcp',
      kind: 'selfHosted',
      render: (language, auth) =>
        selfHostedInfraFiles(selfHostedTemplatesDir(root), { language, auth, projectName: 'weather-mcp' }),
    });
    const { projectDir, compiledFor, mainOf, deployment, entraApi, appDeployment } = variants;
    const entra = { ...ENTRA_STAND_IN, identifierUri: variants.identifierUri };
    const key = (language: Language, auth: SelfHostedAuth) => `${language}-${auth}`;
    sharedInfraTests(variants, LANGUAGES, AUTH_MODES, 'selfHosted');

    test(`the Entra variant's ${GRAPH_MODULE}: its Microsoft Graph resources compile against the microsoftGraphV1 types`, (t) => {
      const { graph } = compiledFor('entra');
      if (!graph.typed) {
        t.skip(
          "the Microsoft Graph Bicep extension (microsoftGraphV1 in the project's infra/bicepconfig.json) is an OCI " +
            'artifact that cannot be restored offline, so the Graph resources of infra/app/entra.bicep were compiled as ' +
            'untyped objects; test/extension/hosting/selfHostedInfra.unit.test.ts checks them as text. To compile them ' +
            'for real, run `bicep restore infra/app/entra.bicep` once with internet access.',
        );
        return;
      }
      const types = templateResources(compiledFor('entra').templates.get(GRAPH_MODULE) ?? { resources: [] });
      assert.ok(types.some((r) => r.type === 'Microsoft.Graph/applications@v1.0'));
    });

    test('azd deploys the project folder to the function app: its azd-service-name tag is the function service of azure.yaml, project "."', async () => {
      for (const language of LANGUAGES) {
        for (const auth of AUTH_MODES) {
          const site = one(await appDeployment(language, auth), 'Microsoft.Web/sites');
          const serviceName = (site.tags as Record<string, string>)['azd-service-name'] ?? '';
          const yaml = readSimpleYaml(
            readFileSync(path.join(projectDir(language, auth), 'azure.yaml'), 'utf8'),
          );
          const service = yamlMap(yamlMap(yaml.services, 'services')[serviceName], `services.${serviceName}`);
          assert.equal(service.project, '.');
          assert.equal(service.host, 'function');
          assert.equal(service.language, language === 'node' ? 'ts' : 'python');
          assert.equal((site.tags as Record<string, string>)['azd-env-name'], 'dev');
        }
      }
      assert.equal(one(await deployment('node'), 'Microsoft.Resources/resourceGroups').name, 'rg-dev');
    });

    test("Flex Consumption with the language's runtime: FC1 plan, a Linux function app with functionAppConfig, running as its user-assigned identity", async () => {
      for (const language of LANGUAGES) {
        for (const auth of AUTH_MODES) {
          const s = await appDeployment(language, auth);
          const plan = one(s, 'Microsoft.Web/serverfarms');
          assert.deepEqual(plan.sku, { name: 'FC1', tier: 'FlexConsumption' });
          assert.equal(props(plan).reserved, true);
          const site = one(s, 'Microsoft.Web/sites');
          assert.equal(site.kind, 'functionapp,linux');
          assert.equal(props(site).httpsOnly, true);
          const identity = site.identity as { type: string; userAssignedIdentities: Record<string, unknown> };
          assert.equal(identity.type, 'UserAssigned');
          const [identityId] = Object.keys(identity.userAssignedIdentities);
          assert.ok(identityId?.includes('Microsoft.ManagedIdentity/userAssignedIdentities'), identityId);
          const config = props(site).functionAppConfig as {
            runtime: unknown;
            deployment: { storage: { type: string; authentication: unknown } };
          };
          assert.deepEqual(config.runtime, { name: language, version: DEFAULT_RUNTIME_VERSION[language] });
          assert.equal(config.deployment.storage.type, 'blobContainer');
          assert.deepEqual(config.deployment.storage.authentication, {
            type: 'UserAssignedIdentity',
            userAssignedIdentityResourceId: identityId,
          });
        }
      }
      // The whole deployment: the identity the site runs as is the one provisioning creates.
      const s = await deployment('python');
      const identityId = Object.keys(
        (one(s, 'Microsoft.Web/sites').identity as { userAssignedIdentities: object }).userAssignedIdentities,
      )[0];
      assert.equal(identityId, appIdentity(s).id);
    });

    test('no storage keys: shared key access off, identity-based AzureWebJobsStorage, and the identity holds the blob, queue and table data roles and Monitoring Metrics Publisher', async () => {
      for (const language of LANGUAGES) {
        const s = await deployment(language);
        assert.equal(props(one(s, 'Microsoft.Storage/storageAccounts')).allowSharedKeyAccess, false);
        const settings = appSettings(s);
        const { principalId, clientId } = appIdentity(s);
        assert.equal(settings.AzureWebJobsStorage__credential, 'managedidentity');
        assert.equal(settings.AzureWebJobsStorage__clientId, clientId);
        assert.ok(!('AzureWebJobsStorage' in settings), 'a storage connection string is set');
        assert.equal(
          settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
          `[format('ClientId={0};Authorization=AAD', ${clientId.slice(1, -1)})]`,
        );
        assert.equal(props(one(s, 'Microsoft.Insights/components')).DisableLocalAuth, true);
        for (const role of Object.values(ROLES)) {
          const toApp = assignmentsOf(s, role).filter((r) => props(r).principalId === principalId);
          assert.equal(toApp.length, 1, `the app's identity holds role ${role} ${toApp.length} times`);
          assert.equal(props(toApp[0] as (typeof toApp)[number]).principalType, 'ServicePrincipal');
        }
        // The person running azd gets the storage roles too, to debug with their own sign-in.
        const toUser = resources(s, 'Microsoft.Authorization/roleAssignments').filter(
          (r) => props(r).principalId === USER,
        );
        assert.equal(toUser.length, 3);
      }
    });

    test('app settings: the custom-handler feature flag in every variant, no FUNCTIONS_WORKER_RUNTIME (Flex rejects it), PYTHONPATH for the remote-built Python packages only for Python', async () => {
      for (const language of LANGUAGES) {
        for (const auth of AUTH_MODES) {
          const settings = appSettings(await appDeployment(language, auth));
          assert.equal(settings.AzureWebJobsFeatureFlags, 'EnableMcpCustomHandlerPreview');
          for (const name of ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION']) {
            assert.ok(!(name in settings), `${key(language, auth)} sets ${name}`);
          }
          assert.equal(
            settings.PYTHONPATH,
            language === 'python' ? '/home/site/wwwroot/.python_packages/lib/site-packages' : undefined,
          );
        }
      }
    });

    test("built-in authentication only in the Entra variant: the extension's own Entra settings, Return401, VS Code allowed, and the protected resource metadata scope", async () => {
      for (const language of LANGUAGES) {
        const s = await entraApi(language);
        assertEntraAuthSettings(s, {
          tenantId: TENANT,
          clientId: entra.clientId,
          identifierUri: entra.identifierUri,
        });
        const auth = authSettings(s) as unknown as ReturnType<typeof entraAuthSettingsV2>;
        assert.equal(auth.globalValidation?.unauthenticatedClientAction, 'Return401');
        assert.ok(
          auth.identityProviders.azureActiveDirectory.validation?.defaultAuthorizationPolicy?.allowedApplications?.includes(
            VSCODE_CLIENT_ID,
          ),
        );
        const settings = appSettings(s);
        const changes = entraAppSettingChanges({
          identifierUri: entra.identifierUri,
          tenantId: TENANT,
          managedIdentityClientId: entra.identityClientId,
        });
        // The MCP extension's webhook level does not apply: a self-hosted server has no such webhook.
        for (const name of [PRM_SCOPES_SETTING, MI_CLIENT_ID_SETTING, ALLOWED_TENANTS_SETTING]) {
          assert.equal(settings[name], changes[name], name);
        }
        assert.equal(settings[PRM_SCOPES_SETTING], `${entra.identifierUri}/user_impersonation`);
      }
      for (const language of LANGUAGES) {
        const s = await deployment(language);
        assert.deepEqual(
          resources(s, 'Microsoft.Web/sites/config').map((r) => String(r.name).split('/').pop()),
          ['appsettings'],
        );
        for (const name of [PRM_SCOPES_SETTING, MI_CLIENT_ID_SETTING, ALLOWED_TENANTS_SETTING]) {
          assert.ok(!(name in appSettings(s)), `${language} with function keys sets ${name}`);
        }
      }
      // The key variant's app has no built-in authentication; its registration comes only with the
      // gateway (the shared gateway test).
      assert.doesNotMatch(JSON.stringify(moduleDeployment(mainOf('functionKey'), 'api')), /authsettingsV2/);
    });

    test('the outputs the extension reads: names, the site they describe, the /mcp URL, and deploymentOutputs() accepts them', async () => {
      const s = await deployment('node');
      const site = one(s, 'Microsoft.Web/sites');
      const siteId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dev/providers/Microsoft.Web/sites/${String(site.name)}`;
      assert.match(String(site.name), /^func-weather-mcp-[a-z0-9]{13}$/);
      assert.deepEqual(Object.keys(s.outputs).sort(), COMMON_OUTPUTS);
      const hostName = `[reference('${siteId}', '${String(site.apiVersion)}').defaultHostName]`;
      assert.deepEqual(s.outputs, {
        APIM_ENABLED: false,
        AUTH_ENABLED: false,
        AZURE_FUNCTION_NAME: site.name,
        AZURE_LOCATION: LOCATION,
        AZURE_RESOURCE_GROUP: 'rg-dev',
        AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
        AZURE_TENANT_ID: TENANT,
        ENTRA_APPLICATION_ID: '',
        ENTRA_IDENTIFIER_URI: '',
        SERVICE_API_DEFAULT_HOSTNAME: hostName,
        SERVICE_API_MCP_URL: `[format('https://{0}/mcp', ${hostName.slice(1, -1)})]`,
        SERVICE_API_NAME: site.name,
        SERVICE_API_RESOURCE_ID: siteId,
        SERVICE_MCP_GATEWAY_URL: '',
      });
      // As azd would save them once the site exists.
      const values = Object.fromEntries(
        Object.entries(s.outputs).map(([k, v]) => [
          k,
          String(v)
            .replace(hostName, `${String(site.name)}.azurewebsites.net`)
            .replace(
              /^\[format\('https:\/\/\{0\}\/mcp', .*\)\]$/,
              `https://${String(site.name)}.azurewebsites.net/mcp`,
            ),
        ]),
      );
      assert.deepEqual(deploymentOutputs({ ...values, AZURE_ENV_NAME: 'dev' }), {
        functionName: site.name,
        hostName: `${String(site.name)}.azurewebsites.net`,
        resourceGroup: 'rg-dev',
        tenantId: TENANT,
        subscriptionId: SUBSCRIPTION,
        location: LOCATION,
        environment: 'dev',
        resourceId: siteId,
      });

      const entraOutputs = mainOf('entra').outputs ?? {};
      assert.deepEqual(Object.keys(entraOutputs).sort(), COMMON_OUTPUTS);
      for (const [name, output] of [
        ['ENTRA_APPLICATION_ID', 'applicationId'],
        ['ENTRA_IDENTIFIER_URI', 'identifierUri'],
      ] as const) {
        assert.match(
          String(entraOutputs[name]?.value),
          new RegExp(
            `'Microsoft\\.Resources/deployments', 'entra'\\), '[\\d-]+'\\)\\.outputs\\.${output}\\.value, ''\\)\\]$`,
          ),
        );
      }
    });
  },
);
