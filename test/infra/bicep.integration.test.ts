// infra/ compiled by the real Bicep CLI, restored from NuGet by test/infra/bicepCli.ts: every file
// builds and lints clean, and what a deployment would create holds the design choices the
// compiler cannot know (which app settings, roles, identities and authentication settings the app
// gets). The latter are read from `bicep snapshot`, which evaluates a template offline with given
// parameter values: main.bicep as azd provisions a new environment from main.parameters.json, the
// same with every option on, and api.bicep with Entra authentication on.
//
// Without the .NET SDK the whole suite is skipped with one line naming what to install; the static
// checks in test/infra/infra.unit.test.ts still run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  BICEP_VERSION,
  GRAPH_MODULE,
  type ArmResource,
  type ArmTemplate,
  type CompiledInfra,
  type Snapshot,
  compileInfra,
  dotnetSdk,
  ensureBicep,
  formatDiagnostic,
  snapshot,
} from './bicepCli';
import {
  appIdentity,
  appSettings,
  assertEntraAuthSettings,
  assignmentsOf,
  authSettings,
  assertReadsGuarded,
  azdParameterValues,
  moduleDeployment,
  nestedTemplates,
  one,
  props,
  resources,
  templateResources,
} from './armQueries';
import { azureYaml, yamlMap } from './azureYaml';
import {
  assertGatewayDeployment,
  assertGatewayWiring,
  assertNoKeyInOutputs,
  gatewaySnapshot,
} from './gatewayChecks';
import { ENTRA_APP_SETTINGS } from '../../extension/auth/entra';
import { entraAppSettingChanges } from '../../extension/auth/entraAppConfig';
import { DEFAULT_CONTAINER, snippetStorageSettings } from '../../server/src/snippets/storageConnection';
import { invoiceSettingsFromEnv } from '../../server/src/invoices/invoiceSettings';
import { RESOURCE_MANAGER_ENDPOINT_VARIABLE } from '../../server/src/azureAnalysis/analysisSettings';
import { azureCredentialDescription } from '../../server/src/azure/credential';

const root = path.resolve(__dirname, '../..');
const infraDir = path.join(root, 'infra');

// The deployment scope the snapshots evaluate in: made-up ids, each recognisable in a resource id.
const TENANT = '11111111-1111-1111-1111-111111111111';
const SUBSCRIPTION = '22222222-2222-2222-2222-222222222222';
const LOCATION = 'westeurope';
const USER = '33333333-3333-3333-3333-333333333333';
const AI_ACCOUNT =
  '/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/ai-x';
const WORKSPACE =
  '/subscriptions/55555555-5555-5555-5555-555555555555/resourceGroups/rg-log/providers/Microsoft.OperationalInsights/workspaces/log-x';

// Role definition ids, the same in every tenant
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
const ROLES = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  cognitiveServicesUser: 'a97b65f3-24c7-4388-baec-2e87135dc908',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893',
};

const sdk = dotnetSdk();

const azdParameters = (env: Record<string, string>, declared: NonNullable<ArmTemplate['parameters']>) =>
  azdParameterValues(path.join(infraDir, 'main.parameters.json'), env, declared);

/**
 * Asserts that the app's identity holds `roleId` through exactly one assignment at `scope` (a
 * resource id, or /subscriptions/<id> for the subscription itself), as a ServicePrincipal, named by
 * guid(scope, principal, role) so that provisioning again finds the same assignment.
 */
function assertAppRole(s: Snapshot, roleId: string, scope: string): void {
  const { principalId } = appIdentity(s);
  const toApp = assignmentsOf(s, roleId).filter((r) => props(r).principalId === principalId);
  assert.equal(toApp.length, 1, `the app's identity holds role ${roleId} ${toApp.length} times`);
  const assignment = toApp[0] as ArmResource;
  const subscription = /^\/subscriptions\/([^/]+)$/.exec(scope)?.[1];
  const idPrefix = subscription
    ? `[subscriptionResourceId('${subscription}', 'Microsoft.Authorization/roleAssignments', `
    : `[extensionResourceId('${scope}', 'Microsoft.Authorization/roleAssignments', `;
  assert.ok(
    String(assignment.id).startsWith(idPrefix),
    `role ${roleId} is assigned at ${String(assignment.id)}`,
  );
  assert.equal(assignment.name, `[guid('${scope}', ${principalId.slice(1, -1)}, '${roleId}')]`);
  assert.equal(props(assignment).principalType, 'ServicePrincipal');
}

describe(
  `infra/ compiled by the Bicep CLI ${BICEP_VERSION}`,
  { skip: 'missing' in sdk && sdk.missing },
  () => {
    let compiled: CompiledInfra;
    const log = (line: string) => console.log(line);

    before(
      async () => {
        assert.ok('version' in sdk);
        compiled = await compileInfra(await ensureBicep(log, sdk.version), infraDir);
        // The snapshots are independent: started together, they share the cores. A failure is
        // reported by the tests that await it.
        for (const make of [fresh, allOptions, apiWithAuth, gateway]) make().catch(() => undefined);
      },
      { timeout: 10 * 60_000 },
    );
    after(() => {
      if (compiled) rmSync(compiled.work, { recursive: true, force: true });
    });

    const main = () => {
      const template = compiled.templates.get('main.bicep');
      assert.ok(template, 'main.bicep did not compile');
      return template;
    };

    // Each snapshot is made once, by the first test that needs it.
    const once = <T>(make: () => Promise<T>) => {
      let made: Promise<T> | undefined;
      return () => (made ??= make());
    };
    const scope = { tenantId: TENANT, subscriptionId: SUBSCRIPTION, location: LOCATION };
    const azdEnv = { AZURE_ENV_NAME: 'dev', AZURE_LOCATION: LOCATION, AZURE_PRINCIPAL_ID: USER };
    /** A new azd environment: only what azd itself sets. */
    const fresh = once(() =>
      snapshot(compiled, 'fresh', 'main.bicep', azdParameters(azdEnv, main().parameters ?? {}), scope),
    );
    /** Every option main.parameters.json offers, but AUTH_ENABLED (see `apiWithAuth`). */
    const allOptions = once(() =>
      snapshot(
        compiled,
        'options',
        'main.bicep',
        azdParameters(
          {
            ...azdEnv,
            VNET_ENABLED: 'true',
            CONTENT_UNDERSTANDING_RESOURCE_ID: AI_ACCOUNT,
            CONTENT_UNDERSTANDING_ANALYZER_ID: 'my-analyzer',
            ANALYSIS_SUBSCRIPTION_READER: 'true',
            LOG_ANALYTICS_WORKSPACE_RESOURCE_ID: WORKSPACE,
          },
          main().parameters ?? {},
        ),
        scope,
      ),
    );
    // main.bicep with AUTH_ENABLED would evaluate entra.bicep's outputs, which come from the Graph
    // resources the snapshot does not create; api.bicep gets the values those outputs would have.
    const entra = {
      clientId: '66666666-6666-6666-6666-666666666666',
      identifierUri: `api://${TENANT}/remote-mcp-x`,
      identityClientId: '77777777-7777-7777-7777-777777777777',
    };
    const apiWithAuth = once(() =>
      snapshot(
        compiled,
        'apiWithAuth',
        'app/api.bicep',
        {
          name: 'func-api-x',
          planName: 'plan-x',
          location: LOCATION,
          tags: { 'azd-env-name': 'dev' },
          identityId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x`,
          identityClientId: entra.identityClientId,
          storageAccountName: 'stx',
          deploymentContainerName: 'app-package-x',
          snippetsContainerName: DEFAULT_CONTAINER,
          applicationInsightsName: 'appi-x',
          authEnabled: true,
          authClientId: entra.clientId,
          authIdentifierUri: entra.identifierUri,
          authTenantId: TENANT,
        },
        { ...scope, resourceGroup: 'rg-dev' },
      ),
    );

    // main.bicep with APIM_ENABLED would need entra.bicep's outputs too; apim.bicep gets their values.
    const gatewayScope = {
      tenantId: TENANT,
      subscriptionId: SUBSCRIPTION,
      location: LOCATION,
      applicationId: entra.clientId,
      identifierUri: entra.identifierUri,
    };
    const gateway = once(() => gatewaySnapshot(compiled, 'functionsMcpExtension', gatewayScope));

    test('every Bicep file compiles with no error or warning, from a copy holding only infra/ (all the extension deploys from), and main.bicep uses every module', () => {
      const { build } = compiled;
      assert.deepEqual(build.diagnostics.map(formatDiagnostic), [], 'bicep build diagnostics');
      assert.deepEqual(build.other, [], 'bicep build printed something else');
      assert.equal(build.code, 0);
      assert.ok(compiled.files.length >= 11, `only ${compiled.files.join(', ')}`);
      for (const file of compiled.files) assert.ok(compiled.templates.has(file), `${file} was not compiled`);
      // A module's own build and its copy nested in main.json carry the same template hash.
      const nested = new Set(nestedTemplates(main()).map((t) => t.metadata?._generator?.templateHash));
      for (const file of compiled.files.filter((f) => f !== 'main.bicep')) {
        const hash = compiled.templates.get(file)?.metadata?._generator?.templateHash;
        assert.ok(hash && nested.has(hash), `main.bicep does not use ${file}`);
      }
    });

    test('bicep lint finds nothing (the rules left off are in infra/bicepconfig.json, each with its reason)', () => {
      assert.deepEqual(compiled.lint.diagnostics.map(formatDiagnostic), [], 'bicep lint diagnostics');
      assert.deepEqual(compiled.lint.other, [], 'bicep lint printed something else');
      assert.equal(compiled.lint.code, 0);
    });

    test(`${GRAPH_MODULE}: its Microsoft Graph resources compile against the microsoftGraphV1 types`, (t) => {
      if (!compiled.graph.typed) {
        t.skip(compiled.graph.reason);
        return;
      }
      const types = templateResources(compiled.templates.get(GRAPH_MODULE) ?? { resources: [] }).map(
        (r) => r.type,
      );
      assert.ok(types.includes('Microsoft.Graph/applications@v1.0'), types.join(', '));
    });

    test('azd provision asks for nothing and rejects nothing: main.parameters.json sets only declared parameters, every required one, and a new environment deploys', async () => {
      const declared = main().parameters ?? {};
      const file = JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as {
        parameters: Record<string, unknown>;
      };
      const given = Object.keys(file.parameters);
      for (const name of given)
        assert.ok(name in declared, `main.parameters.json sets "${name}", which main.bicep does not declare`);
      for (const [name, p] of Object.entries(declared)) {
        if (p.defaultValue === undefined && !p.nullable) {
          assert.ok(
            given.includes(name),
            `main.bicep param "${name}" has no default and no value in main.parameters.json`,
          );
        }
      }
      const s = await fresh();
      assert.ok(s.predictedResources.length > 10, 'the new environment deploys almost nothing');
    });

    test('the extension finds the deployed app in `azd env get-values`: the outputs it reads', async () => {
      const { outputs } = await fresh();
      const site = one(await fresh(), 'Microsoft.Web/sites');
      const siteId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dev/providers/Microsoft.Web/sites/${String(site.name)}`;
      assert.match(String(site.name), /^func-api-[a-z0-9]{13}$/);
      assert.equal(outputs.AZURE_FUNCTION_NAME, site.name);
      assert.equal(outputs.SERVICE_API_NAME, site.name);
      assert.equal(outputs.SERVICE_API_RESOURCE_ID, siteId);
      assert.equal(
        outputs.SERVICE_API_DEFAULT_HOSTNAME,
        `[reference('${siteId}', '${String(site.apiVersion)}').defaultHostName]`,
      );
      assert.equal(outputs.AZURE_RESOURCE_GROUP, 'rg-dev');
      assert.equal(outputs.AZURE_TENANT_ID, TENANT);
      assert.equal(outputs.AZURE_LOCATION, LOCATION);
    });

    test('azd can find the function app to deploy to: its azd-service-name tag is a function service of azure.yaml whose project holds host.json and package.json', async () => {
      const site = one(await fresh(), 'Microsoft.Web/sites');
      const tags = site.tags as Record<string, string>;
      assert.equal(tags['azd-env-name'], 'dev', 'azd finds the environment by this tag');
      const serviceName = tags['azd-service-name'] ?? '';
      const services = yamlMap(azureYaml(root).services, 'services');
      assert.ok(
        serviceName in services,
        `azure.yaml has no service "${serviceName}" (it has ${Object.keys(services).join(', ')})`,
      );
      const service = yamlMap(services[serviceName], `services.${serviceName}`);
      assert.equal(service.host, 'function');
      const project = service.project;
      assert.ok(typeof project === 'string', `services.${serviceName} has no project path`);
      for (const file of ['host.json', 'package.json']) {
        assert.ok(existsSync(path.resolve(root, project, file)), `${project}/${file} does not exist`);
      }
    });

    test('the app runs on Flex Consumption with Node 22: FC1 plan, functionapp,linux site with functionAppConfig', async () => {
      const s = await fresh();
      const plan = one(s, 'Microsoft.Web/serverfarms');
      assert.deepEqual(plan.sku, { name: 'FC1', tier: 'FlexConsumption' });
      assert.equal(props(plan).reserved, true);
      const site = one(s, 'Microsoft.Web/sites');
      // functionAppConfig exists from api-version 2023-12-01.
      assert.ok(
        String(site.apiVersion) >= '2023-12-01',
        `Microsoft.Web/sites@${String(site.apiVersion)} predates functionAppConfig`,
      );
      assert.equal(site.kind, 'functionapp,linux');
      const properties = props(site);
      assert.equal(properties.httpsOnly, true);
      assert.equal(properties.serverFarmId, plan.id);
      const config = properties.functionAppConfig as {
        runtime: unknown;
        deployment: { storage: { type: string; value: string; authentication: unknown } };
      };
      assert.deepEqual(config.runtime, { name: 'node', version: '22' });
      assert.equal(config.deployment.storage.type, 'blobContainer');
      // It deploys from a container of the app's own storage account, which provisioning creates.
      const containerName = /, '([\w-]+)'\)\]$/.exec(config.deployment.storage.value)?.[1] ?? '';
      assert.match(containerName, /^app-package-/, config.deployment.storage.value);
      one(s, 'Microsoft.Storage/storageAccounts/blobServices/containers', `/default/${containerName}`);
      assert.deepEqual(config.deployment.storage.authentication, {
        type: 'UserAssignedIdentity',
        userAssignedIdentityResourceId: Object.keys(
          (site.identity as { userAssignedIdentities: object }).userAssignedIdentities,
        )[0],
      });
      // Flex Consumption rejects these settings: its runtime comes from functionAppConfig.
      for (const name of ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION']) {
        assert.ok(!(name in appSettings(s)), `${name} is set`);
      }
    });

    test('the app reaches storage and telemetry with its identity, no keys: shared keys off, identity settings, the four roles', async () => {
      const s = await fresh();
      const account = one(s, 'Microsoft.Storage/storageAccounts');
      const storage = props(account);
      assert.equal(storage.allowSharedKeyAccess, false);
      assert.equal(storage.allowBlobPublicAccess, false);
      assert.equal(storage.minimumTlsVersion, 'TLS1_2');
      const insights = one(s, 'Microsoft.Insights/components');
      assert.equal(props(insights).DisableLocalAuth, true);

      const { clientId } = appIdentity(s);
      assertAppRole(s, ROLES.storageBlobDataOwner, String(account.id));
      assertAppRole(s, ROLES.storageQueueDataContributor, String(account.id));
      assertAppRole(s, ROLES.storageTableDataContributor, String(account.id));
      assertAppRole(s, ROLES.monitoringMetricsPublisher, String(insights.id));
      // The person running azd gets blob data access too, as whatever kind of principal they are.
      const toUser = assignmentsOf(s, ROLES.storageBlobDataOwner).filter(
        (r) => props(r).principalId === USER,
      );
      assert.equal(toUser.length, 1, 'AZURE_PRINCIPAL_ID gets no Storage Blob Data Owner');
      assert.equal(props(toUser[0] as ArmResource).principalType, undefined);

      // The app settings are what the Functions host and the snippet store read.
      const settings = appSettings(s);
      const blob = `[reference('${String(account.id)}', '${String(account.apiVersion)}').primaryEndpoints.blob]`;
      assert.equal(settings.AzureWebJobsStorage__credential, 'managedidentity');
      assert.equal(settings.AzureWebJobsStorage__clientId, clientId);
      assert.equal(settings.AzureWebJobsStorage__blobServiceUri, blob);
      assert.equal(settings.AzureWebJobsStorage__queueServiceUri, blob.replace('.blob]', '.queue]'));
      assert.equal(settings.AzureWebJobsStorage__tableServiceUri, blob.replace('.blob]', '.table]'));
      assert.ok(
        !('AzureWebJobsStorage' in settings),
        'a connection string would need the disabled account keys',
      );
      assert.equal(
        settings.APPLICATIONINSIGHTS_CONNECTION_STRING,
        `[reference('${String(insights.id)}', '${String(insights.apiVersion)}').ConnectionString]`,
      );
      assert.equal(
        settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
        `[format('ClientId={0};Authorization=AAD', ${clientId.slice(1, -1)})]`,
      );
      // The provisioned snippets container is the one a local run uses by default, and given those
      // settings the snippet store signs in as the app's identity.
      assert.equal(settings.SNIPPETS_CONTAINER, DEFAULT_CONTAINER);
      one(s, 'Microsoft.Storage/storageAccounts/blobServices/containers', `/default/${DEFAULT_CONTAINER}`);
      assert.deepEqual(
        snippetStorageSettings({
          AzureWebJobsStorage__credential: settings.AzureWebJobsStorage__credential,
          AzureWebJobsStorage__clientId: '00000000-0000-0000-0000-000000000001',
          AzureWebJobsStorage__blobServiceUri: 'https://stexample.blob.core.windows.net/',
          SNIPPETS_CONTAINER: settings.SNIPPETS_CONTAINER,
        }),
        {
          kind: 'identity',
          serviceUrl: 'https://stexample.blob.core.windows.net',
          credential: 'managed',
          clientId: '00000000-0000-0000-0000-000000000001',
          containerName: DEFAULT_CONTAINER,
        },
      );
    });

    test('Microsoft Entra authentication is off in a new environment: authsettingsV2 switched off, no Entra settings, empty ENTRA_* outputs', async () => {
      const declared = main().parameters ?? {};
      assert.equal(declared.authEnabled?.defaultValue, false);
      // The extension's Entra commands turn it on with `azd env set AUTH_ENABLED true`.
      assert.equal(azdParameters({ ...azdEnv, AUTH_ENABLED: 'true' }, declared).authEnabled, true);
      const s = await fresh();
      const auth = authSettings(s);
      assert.deepEqual(auth.platform, { enabled: false });
      assert.equal(
        (auth.globalValidation as { requireAuthentication: boolean }).requireAuthentication,
        false,
      );
      for (const name of ENTRA_APP_SETTINGS)
        assert.ok(!(name in appSettings(s)), `${name} is set with auth off`);
      assert.equal(s.outputs.AUTH_ENABLED, false);
      assert.equal(s.outputs.ENTRA_APPLICATION_ID, '');
      assert.equal(s.outputs.ENTRA_IDENTIFIER_URI, '');
    });

    test('main.bicep: the entra module is deployed with authEnabled or apimEnabled, and its outputs are read only behind a condition that implies it', () => {
      const template = main();
      const entraModule = moduleDeployment(template, 'entra');
      assert.equal(entraModule.condition, "[variables('entraRegistration')]");
      assert.equal(
        template.variables?.entraRegistration,
        "[or(parameters('authEnabled'), parameters('apimEnabled'))]",
      );
      // The identity it trusts (its federated credential) is the one the app runs as.
      const given = (entraModule.properties as { parameters: Record<string, { value: string }> }).parameters;
      assert.match(
        given.managedIdentityPrincipalId?.value ?? '',
        /'Microsoft\.Resources\/deployments', 'identity'\), '[\d-]+'\)\.outputs\.principalId\.value\]$/,
      );
      const api = moduleDeployment(template, 'api');
      // authClientId, authIdentifierUri: built-in authentication only with authEnabled. The outputs and
      // the gateway's reads are checked by assertGatewayWiring.
      assert.equal(assertReadsGuarded(api.properties, 'entra', "parameters('authEnabled')", 'api'), 2);
      const apiParameters = (api.properties as { parameters: Record<string, unknown> }).parameters;
      assert.equal(
        JSON.stringify(apiParameters.authEnabled),
        JSON.stringify({ value: "[parameters('authEnabled')]" }),
      );
      assert.equal(
        JSON.stringify(apiParameters.authTenantId),
        JSON.stringify({ value: '[tenant().tenantId]' }),
      );
    });

    test('main.bicep: the API Management gateway only with apimEnabled (APIM_ENABLED, off in a new environment), in front of the Functions MCP extension, its outputs read behind that condition', async () => {
      assertGatewayWiring(main(), {
        kind: 'functionsMcpExtension',
        builtInAuthentication: "parameters('authEnabled')",
      });
      const declared = main().parameters ?? {};
      const on = azdParameters({ ...azdEnv, APIM_ENABLED: 'true', APIM_SKU: 'StandardV2' }, declared);
      assert.equal(on.apimEnabled, true);
      assert.equal(on.apimSku, 'StandardV2');
      const s = await fresh();
      assert.deepEqual(
        s.predictedResources.filter((r) => r.type.startsWith('Microsoft.ApiManagement/')),
        [],
      );
      assert.equal(s.outputs.APIM_ENABLED, false);
      assert.equal(s.outputs.SERVICE_MCP_GATEWAY_URL, '');
    });

    test('with APIM_ENABLED, the gateway: Basic v2 with its identity, the named values the policies read (the key a secret), the mcp API at the root with every MCP route and both PRM routes, and the policy files as written', async () => {
      assertGatewayDeployment(await gateway(), 'functionsMcpExtension', gatewayScope);
    });

    test("no output of main.bicep or of any module in it reads the app's keys or the gateway's key", () => {
      assertNoKeyInOutputs(main(), 'infra/');
    });

    test('with authEnabled, api.bicep writes the authsettingsV2 and the app settings the extension writes for any other app', async () => {
      const s = await apiWithAuth();
      assertEntraAuthSettings(s, {
        tenantId: TENANT,
        clientId: entra.clientId,
        identifierUri: entra.identifierUri,
      });

      const settings = appSettings(s);
      const changes = entraAppSettingChanges({
        identifierUri: entra.identifierUri,
        tenantId: TENANT,
        managedIdentityClientId: entra.identityClientId,
      });
      assert.deepEqual(Object.keys(changes).sort(), [...ENTRA_APP_SETTINGS].sort());
      for (const [name, value] of Object.entries(changes)) assert.equal(settings[name], value, name);
    });

    test('Content Understanding for analyze_invoice: endpoint, resource id and analyzer are optional, and a new environment gets no role for it', async () => {
      const declared = main().parameters ?? {};
      assert.equal(declared.contentUnderstandingEndpoint?.defaultValue, '');
      assert.equal(declared.contentUnderstandingResourceId?.defaultValue, '');
      assert.equal(declared.contentUnderstandingAnalyzerId?.defaultValue, 'prebuilt-invoice');
      const s = await fresh();
      assert.deepEqual(assignmentsOf(s, ROLES.cognitiveServicesUser), []);
      assert.equal(appSettings(s).CONTENT_UNDERSTANDING_ENDPOINT, '');
      assert.equal(appSettings(s).CONTENT_UNDERSTANDING_ANALYZER_ID, 'prebuilt-invoice');
      const unconfigured = invoiceSettingsFromEnv(
        { CONTENT_UNDERSTANDING_ENDPOINT: '' },
        '/home/site/wwwroot/data',
      );
      assert.ok('problem' in unconfigured.service, 'the tool reads an empty endpoint as "not set up"');
      assert.match(unconfigured.service.problem, /set CONTENT_UNDERSTANDING_ENDPOINT/);
    });

    test('with a Content Understanding resource id, the app identity gets Cognitive Services User on that resource, in its own resource group, and its endpoint', async () => {
      const s = await allOptions();
      assertAppRole(s, ROLES.cognitiveServicesUser, AI_ACCOUNT);
      // Without an endpoint, the app gets the resource's own.
      assert.equal(
        appSettings(s).CONTENT_UNDERSTANDING_ENDPOINT,
        `[reference('${AI_ACCOUNT}', '2024-10-01').endpoint]`,
      );
      assert.equal(appSettings(s).CONTENT_UNDERSTANDING_ANALYZER_ID, 'my-analyzer');
      assert.equal(
        assertReadsGuarded(
          moduleDeployment(main(), 'api').properties,
          'contentUnderstandingAccess',
          "not(empty(parameters('contentUnderstandingResourceId')))",
          'api',
        ),
        1,
      );
    });

    test('analyze_invoice signs in as the app identity: the endpoint and analyzer settings, AZURE_CLIENT_ID, and no API key', async () => {
      const s = await allOptions();
      const settings = appSettings(s);
      assert.equal(settings.AZURE_CLIENT_ID, appIdentity(s).clientId);
      assert.ok(
        !Object.keys(settings).some((name) => /API_KEY/.test(name)),
        'no key in the app: it signs in as its identity',
      );
      // Given those settings in Azure (App Service sets IDENTITY_ENDPOINT), the tool signs in as that identity.
      const inAzure = invoiceSettingsFromEnv(
        {
          IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token',
          AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
          CONTENT_UNDERSTANDING_ENDPOINT: 'https://contoso.cognitiveservices.azure.com/',
          CONTENT_UNDERSTANDING_ANALYZER_ID: settings.CONTENT_UNDERSTANDING_ANALYZER_ID,
        },
        '/home/site/wwwroot/data',
      );
      assert.ok(!('problem' in inAzure.service));
      assert.ok(inAzure.service.auth.kind === 'identity');
      assert.equal(
        inAzure.service.auth.description,
        'the managed identity with client ID 00000000-0000-0000-0000-000000000001',
      );
    });

    test('the infrastructure-analysis roles are off in a new environment', async () => {
      const declared = main().parameters ?? {};
      assert.equal(declared.analysisSubscriptionReader?.defaultValue, false);
      assert.equal(declared.logAnalyticsWorkspaceResourceId?.defaultValue, '');
      const s = await fresh();
      assert.deepEqual(assignmentsOf(s, ROLES.reader), []);
      assert.deepEqual(assignmentsOf(s, ROLES.logAnalyticsReader), []);
    });

    test('with ANALYSIS_SUBSCRIPTION_READER, the app identity is a Reader of the subscription, which Resource Graph needs', async () => {
      // At the subscription itself.
      assertAppRole(await allOptions(), ROLES.reader, `/subscriptions/${SUBSCRIPTION}`);
    });

    test("with LOG_ANALYTICS_WORKSPACE_RESOURCE_ID, the app identity is a Log Analytics Reader of that workspace, in the workspace's own resource group and subscription", async () => {
      assertAppRole(await allOptions(), ROLES.logAnalyticsReader, WORKSPACE);
    });

    test('the app signs in to Azure as its identity (AZURE_CLIENT_ID) in its own cloud (AZURE_RESOURCE_MANAGER_ENDPOINT)', async () => {
      const s = await fresh();
      const settings = appSettings(s);
      assert.equal(settings.AZURE_CLIENT_ID, appIdentity(s).clientId);
      assert.equal(settings[RESOURCE_MANAGER_ENDPOINT_VARIABLE], '[environment().resourceManager]');
      // The server reads these names (server/src/azure/credential.ts).
      assert.equal(
        azureCredentialDescription({ IDENTITY_ENDPOINT: 'http://x', AZURE_CLIENT_ID: 'id-1' }),
        'the managed identity with client ID id-1',
      );
    });

    test('with VNET_ENABLED, storage is reachable only through the virtual network and the app joins its subnet', async () => {
      const fresh_ = await fresh();
      assert.equal(props(one(fresh_, 'Microsoft.Storage/storageAccounts')).publicNetworkAccess, 'Enabled');
      assert.equal(props(one(fresh_, 'Microsoft.Web/sites')).virtualNetworkSubnetId, null);
      assert.deepEqual(resources(fresh_, 'Microsoft.Network/virtualNetworks'), []);

      const s = await allOptions();
      const storage = props(one(s, 'Microsoft.Storage/storageAccounts'));
      assert.equal(storage.publicNetworkAccess, 'Disabled');
      assert.deepEqual(storage.networkAcls, { defaultAction: 'Deny', bypass: 'None' });
      const network = one(s, 'Microsoft.Network/virtualNetworks');
      const subnet = props(one(s, 'Microsoft.Web/sites')).virtualNetworkSubnetId;
      assert.ok(
        typeof subnet === 'string' && subnet.startsWith(`${String(network.id)}/subnets/`),
        `the app joins ${String(subnet)}`,
      );
      assert.ok(resources(s, 'Microsoft.Network/privateEndpoints').length > 0, 'no private endpoints');
    });
  },
);
