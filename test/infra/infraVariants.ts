// The machinery both template-set suites (selfHostedInfra and functionsMcpInfra .integration.test.ts)
// compile with: every language × auth variant rendered into a folder of its own, one Bicep
// compilation per auth mode (the languages share their Bicep text, which the shared checks assert),
// `bicep snapshot`s made once each, and the checks that hold for any template set: a clean build and
// lint, parameters azd can fill without asking, and no secret in any output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GeneratedFile } from '../../extension/hosting/generatedFile';
import { azdParameterValues } from './armQueries';
import {
  GATEWAY_MODULE,
  type GatewayProjectKind,
  type GatewayScope,
  assertGatewayDeployment,
  assertGatewayWiring,
  assertNoKeyInOutputs,
  gatewaySnapshot,
} from './gatewayChecks';
import {
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

// The deployment scope the snapshots evaluate in: made-up ids, each recognisable in a resource id.
export const TENANT = '11111111-1111-1111-1111-111111111111';
export const SUBSCRIPTION = '22222222-2222-2222-2222-222222222222';
export const LOCATION = 'swedencentral';
export const USER = '33333333-3333-3333-3333-333333333333';
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
export const ROLES = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
};

/**
 * The outputs the extension reads from `azd env get-values` (extension/deploy/azdOutputs.ts,
 * deployCommand.ts), in every auth mode: the Entra registration's are '' when neither built-in
 * authentication nor the gateway is on.
 */
export const COMMON_OUTPUTS = [
  'APIM_ENABLED',
  'AUTH_ENABLED',
  'AZURE_FUNCTION_NAME',
  'AZURE_LOCATION',
  'AZURE_RESOURCE_GROUP',
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_TENANT_ID',
  'ENTRA_APPLICATION_ID',
  'ENTRA_IDENTIFIER_URI',
  'SERVICE_API_DEFAULT_HOSTNAME',
  'SERVICE_API_MCP_URL',
  'SERVICE_API_NAME',
  'SERVICE_API_RESOURCE_ID',
  'SERVICE_MCP_GATEWAY_URL',
];

/** What entra.bicep's outputs would be: api.bicep of the Entra variant is snapshot with these. */
export const ENTRA_STAND_IN = {
  clientId: '66666666-6666-6666-6666-666666666666',
  identityClientId: '77777777-7777-7777-7777-777777777777',
};

export interface InfraVariants<L extends string, A extends string> {
  projectDir: (language: L, auth: A) => string;
  compiledFor: (auth: A) => CompiledInfra;
  mainOf: (auth: A) => ArmTemplate;
  parametersOf: (language: L, auth: A) => Record<string, string | boolean>;
  /** main.bicep of the key variant, as azd provisions a new environment `dev`. */
  deployment: (language: L) => Promise<Snapshot>;
  /** api.bicep of the Entra variant (main.bicep would need the Graph resources' outputs). */
  entraApi: (language: L) => Promise<Snapshot>;
  /** The function app's deployment in each variant: the whole of main.bicep, or api.bicep for Entra. */
  appDeployment: (language: L, auth: A) => Promise<Snapshot>;
  /** app/gateway/apim.bicep for this set's kind, with the values entra.bicep's outputs would have. */
  gateway: () => Promise<Snapshot>;
  gatewayScope: GatewayScope;
  identifierUri: string;
}

/**
 * Renders and compiles the variants before the suite's tests (call inside `describe`), and removes
 * them after. `keyMode` is the auth mode without Entra, whose main.bicep snapshots whole.
 */
export function infraVariants<L extends string, A extends string>(options: {
  languages: readonly L[];
  authModes: readonly A[];
  keyMode: A;
  projectName: string;
  /** What serves MCP in these projects: the gateway's routes and key follow it. */
  kind: GatewayProjectKind;
  render(language: L, auth: A): Promise<GeneratedFile[]>;
}): InfraVariants<L, A> {
  const { languages, authModes, keyMode, projectName } = options;
  const log = (line: string) => console.log(line);
  let work = '';
  const projects = new Map<string, string>();
  const compiled = new Map<A, CompiledInfra>();
  const key = (language: L, auth: A) => `${language}-${auth}`;

  before(
    async () => {
      work = mkdtempSync(path.join(os.tmpdir(), `remote-mcp-${projectName}-`));
      for (const language of languages) {
        for (const auth of authModes) {
          const dir = path.join(work, key(language, auth));
          for (const file of await options.render(language, auth)) {
            mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
            writeFileSync(path.join(dir, file.path), file.content);
          }
          projects.set(key(language, auth), dir);
        }
      }
      // The suite runs only where dotnetSdk() finds the SDK the Bicep CLI is restored with.
      const sdk = dotnetSdk();
      const bin = await ensureBicep(log, 'version' in sdk ? sdk.version : '');
      const [first] = languages;
      for (const auth of authModes) {
        compiled.set(
          auth,
          await compileInfra(bin, path.join(variants.projectDir(first as L, auth), 'infra')),
        );
      }
    },
    { timeout: 10 * 60_000 },
  );
  after(() => {
    for (const c of compiled.values()) rmSync(c.work, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const snapshots = new Map<string, Promise<Snapshot>>();
  const once = (name: string, make: () => Promise<Snapshot>) => {
    let made = snapshots.get(name);
    if (!made) {
      made = make();
      snapshots.set(name, made);
    }
    return made;
  };
  const scope = { tenantId: TENANT, subscriptionId: SUBSCRIPTION, location: LOCATION };
  const azdEnv = { AZURE_ENV_NAME: 'dev', AZURE_LOCATION: LOCATION, AZURE_PRINCIPAL_ID: USER };
  const entraAuth = authModes.find((auth) => auth !== keyMode) as A;

  const identifierUri = `api://${TENANT}/${projectName}-x`;
  const gatewayScope: GatewayScope = { ...scope, applicationId: ENTRA_STAND_IN.clientId, identifierUri };
  const variants: InfraVariants<L, A> = {
    identifierUri,
    gatewayScope,
    projectDir(language, auth) {
      const dir = projects.get(key(language, auth));
      assert.ok(dir, `${key(language, auth)} was not rendered`);
      return dir;
    },
    compiledFor(auth) {
      const c = compiled.get(auth);
      assert.ok(c, `the ${auth} variant was not compiled`);
      return c;
    },
    mainOf(auth) {
      const template = variants.compiledFor(auth).templates.get('main.bicep');
      assert.ok(template, `main.bicep of the ${auth} variant did not compile`);
      return template;
    },
    parametersOf(language, auth) {
      return azdParameterValues(
        path.join(variants.projectDir(language, auth), 'infra', 'main.parameters.json'),
        azdEnv,
        variants.mainOf(auth).parameters ?? {},
      );
    },
    deployment(language) {
      return once(`main-${language}`, () =>
        snapshot(
          variants.compiledFor(keyMode),
          `main-${language}`,
          'main.bicep',
          variants.parametersOf(language, keyMode),
          scope,
        ),
      );
    },
    entraApi(language) {
      return once(`api-entra-${language}`, () => {
        const given = variants.parametersOf(language, entraAuth);
        return snapshot(
          variants.compiledFor(entraAuth),
          `api-entra-${language}`,
          'app/api.bicep',
          {
            name: `func-${projectName}-x`,
            planName: 'plan-x',
            location: LOCATION,
            tags: { 'azd-env-name': 'dev' },
            runtimeName: String(given.runtimeName),
            runtimeVersion: String(given.runtimeVersion),
            identityId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x`,
            identityClientId: ENTRA_STAND_IN.identityClientId,
            storageAccountName: 'stx',
            deploymentContainerName: 'app-package-x',
            applicationInsightsName: 'appi-x',
            authClientId: ENTRA_STAND_IN.clientId,
            authIdentifierUri: variants.identifierUri,
            authTenantId: TENANT,
          },
          { ...scope, resourceGroup: 'rg-dev' },
        );
      });
    },
    appDeployment(language, auth) {
      return auth === keyMode ? variants.deployment(language) : variants.entraApi(language);
    },
    gateway() {
      return once('gateway', () =>
        gatewaySnapshot(variants.compiledFor(keyMode), options.kind, gatewayScope),
      );
    },
  };
  return variants;
}

/** The checks every template set passes, as tests of the calling suite. */
export function sharedInfraTests<L extends string, A extends string>(
  variants: InfraVariants<L, A>,
  languages: readonly L[],
  authModes: readonly A[],
  kind: GatewayProjectKind,
): void {
  test('every Bicep file of every auth mode compiles and lints with no finding, in a folder holding only the project, and all languages share that Bicep', () => {
    for (const auth of authModes) {
      const c = variants.compiledFor(auth);
      assert.deepEqual(c.build.diagnostics.map(formatDiagnostic), [], `${auth}: bicep build diagnostics`);
      assert.deepEqual(c.build.other, [], `${auth}: bicep build printed something else`);
      assert.equal(c.build.code, 0);
      assert.deepEqual(c.lint.diagnostics.map(formatDiagnostic), [], `${auth}: bicep lint diagnostics`);
      assert.deepEqual(c.lint.other, [], `${auth}: bicep lint printed something else`);
      assert.equal(c.lint.code, 0);
      // The registration and the gateway in every auth mode: APIM_ENABLED can turn the gateway on later.
      const modules = ['app/api.bicep', 'app/identity.bicep', 'app/monitoring.bicep', 'app/rbac.bicep'];
      modules.push('app/storage.bicep', 'main.bicep', GRAPH_MODULE, GATEWAY_MODULE);
      assert.deepEqual(c.files, modules.sort());
      for (const file of c.files) {
        assert.ok(c.templates.has(file), `${auth}: ${file} was not compiled`);
        const text = (language: L) =>
          readFileSync(path.join(variants.projectDir(language, auth), 'infra', file), 'utf8');
        for (const language of languages) {
          assert.equal(text(language), text(languages[0] as L), `${auth}: ${file} differs for ${language}`);
        }
      }
    }
  });

  test('azd provision asks for nothing and rejects nothing: each main.parameters.json sets only declared parameters and every required one', () => {
    for (const language of languages) {
      for (const auth of authModes) {
        const declared = variants.mainOf(auth).parameters ?? {};
        const given = Object.keys(variants.parametersOf(language, auth));
        for (const name of given) assert.ok(name in declared, `${language}-${auth} sets undeclared ${name}`);
        for (const [name, p] of Object.entries(declared)) {
          if (p.defaultValue === undefined && !p.nullable) {
            assert.ok(given.includes(name), `${language}-${auth}: required ${name} has no value`);
          }
        }
      }
    }
  });

  test('no output carries a key, a secret or a connection string', () => {
    for (const auth of authModes) {
      for (const [file, template] of variants.compiledFor(auth).templates) {
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

  test('the API Management gateway in every auth mode, only with APIM_ENABLED (off in a new environment): the Entra registration with it, its outputs read behind that condition, and no output reading a key', async () => {
    for (const auth of authModes) {
      const main = variants.mainOf(auth);
      assert.equal(main.variables?.builtInAuthentication, auth === 'entra', `${auth}: builtInAuthentication`);
      assertGatewayWiring(main, { kind, builtInAuthentication: "variables('builtInAuthentication')" });
      assert.deepEqual(main.outputs?.AUTH_ENABLED, {
        type: 'bool',
        value: "[variables('builtInAuthentication')]",
      });
      assertNoKeyInOutputs(main, auth);
    }
    const s = await variants.deployment(languages[0] as L);
    assert.deepEqual(
      s.predictedResources.filter((r) => r.type.startsWith('Microsoft.ApiManagement/')),
      [],
    );
    assert.equal(s.outputs.APIM_ENABLED, false);
    assert.equal(s.outputs.SERVICE_MCP_GATEWAY_URL, '');
    assert.equal(s.outputs.ENTRA_APPLICATION_ID, '');
  });

  test(`with APIM_ENABLED, the gateway in front of the ${kind} app: the named values the policies read (the key a secret), the mcp API at the root with the kind's MCP routes and both PRM routes, and the policy files as written`, async () => {
    assertGatewayDeployment(await variants.gateway(), kind, variants.gatewayScope);
  });
}
