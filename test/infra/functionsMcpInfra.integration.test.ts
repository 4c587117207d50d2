// The azure.yaml and infra/ that "Add Azure Deployment Files" adds to a user's Functions MCP app
// (extension/deploymentFiles/functionsMcpInfra.ts), rendered for every language and both auth modes
// into folders of their own and compiled there by the real Bicep CLI (test/infra/bicepCli.ts): it
// builds and lints clean with nothing of this repository in reach, and what a deployment would
// create (`bicep snapshot`) holds the design: Flex Consumption with the language's runtime, the app's
// own identity, no storage keys, the blob and queue roles the MCP extension needs (its SSE backplane
// is a queue), App Insights without local auth, built-in authentication only in the Entra variant
// (with the MCP webhook opened to it), and the outputs the extension reads, none of them a secret.
//
// Without the .NET SDK the suite is skipped with one line naming what to install;
// test/extension/deploymentFiles/functionsMcpInfra.unit.test.ts still checks the rendered files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BICEP_VERSION,
  GRAPH_MODULE,
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
  azdParameterValues,
  one,
  props,
  resources,
} from './armQueries';
import { readSimpleYaml, yamlMap } from './azureYaml';
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

// The deployment scope the snapshots evaluate in: made-up ids, each recognisable in a resource id.
const TENANT = '11111111-1111-1111-1111-111111111111';
const SUBSCRIPTION = '22222222-2222-2222-2222-222222222222';
const LOCATION = 'swedencentral';
const USER = '33333333-3333-3333-3333-333333333333';

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
const STORAGE_BLOB_DATA_OWNER = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b';
const STORAGE_QUEUE_DATA_CONTRIBUTOR = '974c5e8b-45b9-4653-ba55-5f855dd0fb88';
const STORAGE_TABLE_DATA_CONTRIBUTOR = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3';
const MONITORING_METRICS_PUBLISHER = '3913510d-42f4-4e42-8a64-420c390055eb';

const LANGUAGES: FunctionsMcpLanguage[] = ['node', 'python', 'dotnet', 'java'];
const AUTH_MODES: FunctionsMcpAuth[] = ['systemKey', 'entra'];

/** The outputs the extension reads from `azd env get-values` (extension/deploy/azdOutputs.ts, deployCommand.ts). */
const COMMON_OUTPUTS = [
  'AUTH_ENABLED',
  'AZURE_FUNCTION_NAME',
  'AZURE_LOCATION',
  'AZURE_RESOURCE_GROUP',
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_TENANT_ID',
  'SERVICE_API_DEFAULT_HOSTNAME',
  'SERVICE_API_MCP_URL',
  'SERVICE_API_NAME',
  'SERVICE_API_RESOURCE_ID',
];
const ENTRA_OUTPUTS = ['ENTRA_APPLICATION_ID', 'ENTRA_IDENTIFIER_URI'];

const sdk = dotnetSdk();

describe(
  `Functions MCP app infra (templates/functions-mcp) compiled by the Bicep CLI ${BICEP_VERSION}`,
  { skip: 'missing' in sdk && sdk.missing },
  () => {
    const log = (line: string) => console.log(line);
    let work: string;
    const projects = new Map<string, string>();
    const compiled = new Map<FunctionsMcpAuth, CompiledInfra>();
    const key = (language: FunctionsMcpLanguage, auth: FunctionsMcpAuth) => `${language}-${auth}`;
    const projectDir = (language: FunctionsMcpLanguage, auth: FunctionsMcpAuth) => {
      const dir = projects.get(key(language, auth));
      assert.ok(dir, `${key(language, auth)} was not rendered`);
      return dir;
    };
    const compiledFor = (auth: FunctionsMcpAuth) => {
      const c = compiled.get(auth);
      assert.ok(c, `the ${auth} variant was not compiled`);
      return c;
    };
    const mainOf = (auth: FunctionsMcpAuth): ArmTemplate => {
      const template = compiledFor(auth).templates.get('main.bicep');
      assert.ok(template, `main.bicep of the ${auth} variant did not compile`);
      return template;
    };

    before(
      async () => {
        work = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-functions-mcp-'));
        for (const language of LANGUAGES) {
          for (const auth of AUTH_MODES) {
            const dir = path.join(work, key(language, auth));
            const files = await functionsMcpInfraFiles(functionsMcpTemplatesDir(root), {
              language,
              auth,
              projectName: 'greetings-functions',
            });
            for (const file of files) {
              mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
              writeFileSync(path.join(dir, file.path), file.content);
            }
            projects.set(key(language, auth), dir);
          }
        }
        // The languages differ only in azure.yaml and main.parameters.json (their Bicep is the same
        // text, asserted below), so one compilation per auth mode compiles every variant's Bicep.
        const bin = await ensureBicep(log, 'version' in sdk ? sdk.version : '');
        for (const auth of AUTH_MODES) {
          compiled.set(auth, await compileInfra(bin, path.join(projectDir('node', auth), 'infra')));
        }
      },
      { timeout: 10 * 60_000 },
    );
    after(() => {
      for (const c of compiled.values()) rmSync(c.work, { recursive: true, force: true });
      if (work) rmSync(work, { recursive: true, force: true });
    });

    const snapshots = new Map<string, Promise<Snapshot>>();
    const scope = { tenantId: TENANT, subscriptionId: SUBSCRIPTION, location: LOCATION };
    const azdEnv = { AZURE_ENV_NAME: 'dev', AZURE_LOCATION: LOCATION, AZURE_PRINCIPAL_ID: USER };
    const parametersOf = (language: FunctionsMcpLanguage, auth: FunctionsMcpAuth) =>
      azdParameterValues(
        path.join(projectDir(language, auth), 'infra', 'main.parameters.json'),
        azdEnv,
        mainOf(auth).parameters ?? {},
      );
    const once = (name: string, make: () => Promise<Snapshot>) => {
      let made = snapshots.get(name);
      if (!made) {
        made = make();
        snapshots.set(name, made);
      }
      return made;
    };

    /** main.bicep of the system key variant as azd provisions a new environment. */
    const deployment = (language: FunctionsMcpLanguage) =>
      once(`main-${language}`, () =>
        snapshot(
          compiledFor('systemKey'),
          `main-${language}`,
          'main.bicep',
          parametersOf(language, 'systemKey'),
          scope,
        ),
      );

    // main.bicep of the Entra variant would evaluate entra.bicep's outputs, which come from Graph
    // resources the snapshot does not create; api.bicep gets the values those outputs would have.
    const entra = {
      clientId: '66666666-6666-6666-6666-666666666666',
      identifierUri: `api://${TENANT}/greetings-functions-x`,
      identityClientId: '77777777-7777-7777-7777-777777777777',
    };
    const entraApi = (language: FunctionsMcpLanguage) =>
      once(`api-entra-${language}`, () => {
        const given = parametersOf(language, 'entra');
        return snapshot(
          compiledFor('entra'),
          `api-entra-${language}`,
          'app/api.bicep',
          {
            name: 'func-greetings-functions-x',
            planName: 'plan-x',
            location: LOCATION,
            tags: { 'azd-env-name': 'dev' },
            runtimeName: String(given.runtimeName),
            runtimeVersion: String(given.runtimeVersion),
            identityId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x`,
            identityClientId: entra.identityClientId,
            storageAccountName: 'stx',
            deploymentContainerName: 'app-package-x',
            applicationInsightsName: 'appi-x',
            authClientId: entra.clientId,
            authIdentifierUri: entra.identifierUri,
            authTenantId: TENANT,
          },
          { ...scope, resourceGroup: 'rg-dev' },
        );
      });
    const appDeployment = (language: FunctionsMcpLanguage, auth: FunctionsMcpAuth) =>
      auth === 'entra' ? entraApi(language) : deployment(language);

    test('every Bicep file of both auth modes compiles and lints with no finding, and all four languages share that Bicep', () => {
      for (const auth of AUTH_MODES) {
        const c = compiledFor(auth);
        assert.deepEqual(c.build.diagnostics.map(formatDiagnostic), [], `${auth}: bicep build diagnostics`);
        assert.deepEqual(c.build.other, [], `${auth}: bicep build printed something else`);
        assert.equal(c.build.code, 0);
        assert.deepEqual(c.lint.diagnostics.map(formatDiagnostic), [], `${auth}: bicep lint diagnostics`);
        assert.deepEqual(c.lint.other, [], `${auth}: bicep lint printed something else`);
        assert.equal(c.lint.code, 0);
        const modules = ['app/api.bicep', 'app/identity.bicep', 'app/monitoring.bicep', 'app/rbac.bicep'];
        modules.push('app/storage.bicep', 'main.bicep');
        if (auth === 'entra') modules.push(GRAPH_MODULE);
        assert.deepEqual(c.files, modules.sort());
        for (const file of c.files) {
          const text = (language: FunctionsMcpLanguage) =>
            readFileSync(path.join(projectDir(language, auth), 'infra', file), 'utf8');
          for (const language of LANGUAGES) {
            assert.equal(text(language), text('node'), `${auth}: ${file} differs for ${language}`);
          }
        }
      }
    });

    test('azd provision asks for nothing and rejects nothing: each main.parameters.json sets only declared parameters and every required one', () => {
      for (const language of LANGUAGES) {
        for (const auth of AUTH_MODES) {
          const declared = mainOf(auth).parameters ?? {};
          const given = Object.keys(parametersOf(language, auth));
          for (const name of given)
            assert.ok(name in declared, `${key(language, auth)} sets undeclared ${name}`);
          for (const [name, p] of Object.entries(declared)) {
            if (p.defaultValue === undefined && !p.nullable) {
              assert.ok(given.includes(name), `${key(language, auth)}: required ${name} has no value`);
            }
          }
        }
      }
    });

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
        for (const role of [
          STORAGE_BLOB_DATA_OWNER,
          STORAGE_QUEUE_DATA_CONTRIBUTOR,
          STORAGE_TABLE_DATA_CONTRIBUTOR,
          MONITORING_METRICS_PUBLISHER,
        ]) {
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
          clientId: entra.clientId,
          identifierUri: entra.identifierUri,
        });
        const settings = appSettings(s);
        const changes = entraAppSettingChanges(
          {
            identifierUri: entra.identifierUri,
            tenantId: TENANT,
            managedIdentityClientId: entra.identityClientId,
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
      assert.doesNotMatch(JSON.stringify(mainOf('systemKey')), /authsettingsV2|Microsoft\.Graph/);
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
      assert.deepEqual(Object.keys(entraOutputs).sort(), [...COMMON_OUTPUTS, ...ENTRA_OUTPUTS].sort());
      assert.equal(entraOutputs.AUTH_ENABLED?.value, true);
    });

    test('no output carries a key, a secret or a connection string', () => {
      for (const auth of AUTH_MODES) {
        for (const [file, template] of compiledFor(auth).templates) {
          for (const [name, output] of Object.entries(template.outputs ?? {})) {
            const text = `${name} ${JSON.stringify(output.value)}`;
            assert.doesNotMatch(
              text,
              /listKeys|listSecrets|secret|connectionString|password|masterKey|functionKeys|systemKeys/i,
              `${auth} ${file}: ${text}`,
            );
          }
        }
      }
    });
  },
);
