// Remote MCP: Enable / Disable Entra Sign-in and Check Sign-in (extension/auth/entraCommands.ts), the
// real commands with the fake azd (test/fakes/azd, through `azd env set` + `azd provision`), a fake
// EntraAccess for the ARM path, and the embedded host in Entra mode with the fake identity platform
// (test/fakes/entra.ts) for the sign-in diagnosis.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EntraAccess } from '../../../extension/auth/entraAccess';
import type { AuthState } from '../../../extension/auth/entraAppConfig';
import { entraCommands } from '../../../extension/auth/entraCommands';
import { SELF_HOSTED_LEVEL_FIX } from '../../../extension/auth/entra';
import { startBuiltInAuthFrontEnd } from '../../vscode/selfHostedEntraApp';
import { checkSignIn } from '../../../extension/auth/signInCheck';
import { SecretMasker } from '../../../extension/common/log';
import { runCli, startProcess } from '../../../extension/common/processes';
import { azdEnvValues } from '../../../extension/deploy/azdEnvironments';
import { remoteServerFromEnvValues } from '../../../extension/deploy/deployCommand';
import type { McpProject } from '../../../extension/project/mcpProject';
import { FunctionKeyStore } from '../../../extension/remote/keyStore';
import { RemoteServerRegistry, type RemoteServer } from '../../../extension/remote/remoteServers';
import type { RunningEmbeddedHost } from '../../../server/src/hosts/embedded/startEmbeddedHost';
import { startFakeEntra, VSCODE_CLIENT_ID, type FakeEntra } from '../../fakes/entra';
import { startTestHost } from '../../support/embeddedHost';
import { RecordingUi, recordingLog, type ScriptedAnswer } from '../../support/recordingUi';
import { startToolEnvironment, type ToolEnvironment } from '../../support/toolEnvironment';
import { memorySecrets, memoryState } from '../../support/memoryStores';

const fakeAzd = path.resolve(__dirname, '../../fakes/azd/azd');
const repoAzureYaml = path.resolve(__dirname, '../../../azure.yaml');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-entra-'));

const subscriptionId = '11111111-2222-3333-4444-555555555555';
const tenantId = '99999999-8888-7777-6666-555555555555';
const entraApplicationId = '12345678-90ab-4cde-8f01-23456789abcd';

const savedConfig = process.env.FAKE_AZD_CONFIG;
const configFile = path.join(scratch, 'fake-azd.json');
writeFileSync(
  configFile,
  JSON.stringify({ signedIn: true, subscriptionId, tenantId, entraApplicationId, delayMs: 1 }),
);
// entraCommands runs `azd env set` and `azd env get-values` with this process's environment.
process.env.FAKE_AZD_CONFIG = configFile;
after(() => {
  if (savedConfig === undefined) delete process.env.FAKE_AZD_CONFIG;
  else process.env.FAKE_AZD_CONFIG = savedConfig;
  rmSync(scratch, { recursive: true, force: true });
});

function authState(overrides: Partial<AuthState> = {}): AuthState {
  return {
    mode: 'entra',
    entraEnabled: true,
    webhookAuthorizationLevel: 'Anonymous',
    keyRequired: false,
    clientId: undefined,
    allowedApplications: [VSCODE_CLIENT_ID],
    allowedAudiences: [],
    tenantId: undefined,
    prmScopes: [],
    problems: [],
    ...overrides,
  };
}

/** An EntraAccess that records what the commands asked of Azure. */
function fakeEntraAccess(
  readAuthState: (hostJsonLevel?: string | null) => Promise<AuthState> = () => Promise.resolve(authState()),
) {
  const calls: { method: string; server: string; registration?: unknown }[] = [];
  const entra: EntraAccess = {
    enableEntra: (server, registration) => {
      calls.push({ method: 'enableEntra', server: server.resourceId, registration });
      return Promise.resolve(authState());
    },
    disableEntra: (server) => {
      calls.push({ method: 'disableEntra', server: server.resourceId });
      return Promise.resolve(authState({ mode: 'key', entraEnabled: false, keyRequired: true }));
    },
    readAuthState: (server, hostJsonLevel) => {
      calls.push({ method: 'readAuthState', server: server.resourceId });
      return readAuthState(hostJsonLevel);
    },
  };
  return { entra, calls };
}

/** A self-hosted project as recognition reads it; `auth` is what its host.json's level says. */
function selfHostedProject(folder: string, auth: 'functionKey' | 'anonymous'): McpProject {
  return {
    folder,
    name: 'todo-mcp-server',
    kind: 'selfHosted',
    language: 'node',
    mcpPath: '/mcp',
    auth,
    localRun: { coreTools: { executable: 'func', args: ['start'], cwd: folder } },
    legacyForms: [],
  };
}

let projectCount = 0;
/** A workspace with this repository's azure.yaml, deployed once with the fake (`azd up -e dev`). */
async function deployedProject(): Promise<{ dir: string; server: RemoteServer }> {
  const dir = path.join(scratch, `project-${++projectCount}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(repoAzureYaml, path.join(dir, 'azure.yaml'));
  const up = await runCli(fakeAzd, ['up', '--no-prompt', '-e', 'dev', '--cwd', dir], {
    timeoutMs: 30_000,
    cwd: dir,
  });
  assert.equal(up.exitCode, 0, up.stdout + up.stderr);
  const server = remoteServerFromEnvValues(await azdEnvValues(fakeAzd, dir, 'dev'));
  return { dir, server };
}

interface HarnessOptions {
  answers?: ScriptedAnswer[];
  projectDir?: string;
  readAuthState?: (hostJsonLevel?: string | null) => Promise<AuthState>;
  tokens?: (scopes: string[], tenantId: string | undefined) => Promise<string>;
  /** The workspace project the server was deployed from (its host.json), when the workspace holds it. */
  mcpProject?: McpProject;
}

function harness(options: HarnessOptions = {}) {
  const ui = new RecordingUi(options.answers);
  const log = recordingLog();
  const registry = new RemoteServerRegistry(memoryState());
  const secrets = memorySecrets();
  const keyStore = new FunctionKeyStore(secrets, new SecretMasker());
  const { entra, calls } = fakeEntraAccess(options.readAuthState);
  const azdRuns: string[][] = [];
  const tokenCalls: { scopes: string[]; tenantId: string | undefined; interactive: boolean }[] = [];
  const commands = entraCommands({
    registry,
    keyStore,
    entra,
    tokens: (scopes, tenant, interactive) => {
      tokenCalls.push({ scopes, tenantId: tenant, interactive });
      return options.tokens
        ? options.tokens(scopes, tenant)
        : Promise.reject(new Error('No token source in this test.'));
    },
    ui,
    log,
    azdPath: () => fakeAzd,
    azdProjectOf: (server) =>
      server.environment && options.projectDir ? { dir: options.projectDir, source: 'workspace' } : undefined,
    runAzd: async (args, cwd, _title, signal) => {
      azdRuns.push(args);
      const child = startProcess({ name: 'azd', command: fakeAzd, args, cwd, env: process.env, log });
      signal.addEventListener('abort', () => void child.stop(), { once: true });
      const lines: string[] = [];
      child.onLine((line) => lines.push(line));
      const exit = await child.exited;
      return { lines, exitCode: exit.code };
    },
    checkSignIn,
    checkSignInAction: (server) => ({ title: 'Check Sign-in', run: () => server.resourceId }),
    mcpProjectOf: () => Promise.resolve(options.mcpProject),
  });
  const reports = () => ui.reports.map((report) => report.markdown);
  return { ui, log, registry, keyStore, secrets, calls, azdRuns, reports, tokenCalls, commands };
}

async function envValues(dir: string): Promise<Record<string, string>> {
  return azdEnvValues(fakeAzd, dir, 'dev');
}

describe('remoteServerFromEnvValues', () => {
  const base = {
    AZURE_ENV_NAME: 'dev',
    AZURE_FUNCTION_NAME: 'func-api-abc',
    SERVICE_API_NAME: 'func-api-abc',
    SERVICE_API_DEFAULT_HOSTNAME: 'func-api-abc.azurewebsites.net',
    AZURE_RESOURCE_GROUP: 'rg-dev',
    AZURE_SUBSCRIPTION_ID: subscriptionId,
    AZURE_TENANT_ID: tenantId,
    AZURE_LOCATION: 'eastus2',
    SERVICE_API_RESOURCE_ID: `/subscriptions/${subscriptionId}/resourceGroups/rg-dev/providers/Microsoft.Web/sites/func-api-abc`,
  };

  test('AUTH_ENABLED true with an identifier URI: Entra auth with its user_impersonation scope', () => {
    const server = remoteServerFromEnvValues({
      ...base,
      AUTH_ENABLED: 'true',
      ENTRA_APPLICATION_ID: entraApplicationId,
      ENTRA_IDENTIFIER_URI: `api://${tenantId}/remote-mcp-abc`,
    });
    assert.deepEqual(server.auth, {
      mode: 'entra',
      scopes: [`api://${tenantId}/remote-mcp-abc/user_impersonation`],
      tenantId,
      clientId: entraApplicationId,
    });
    assert.equal(server.endpoint, 'https://func-api-abc.azurewebsites.net/runtime/webhooks/mcp');
  });

  test('AUTH_ENABLED false: no auth field (key mode)', () => {
    const server = remoteServerFromEnvValues({
      ...base,
      AUTH_ENABLED: 'false',
      ENTRA_APPLICATION_ID: '',
      ENTRA_IDENTIFIER_URI: '',
    });
    assert.equal('auth' in server, false);
  });
});

describe('Enable Entra Sign-in', () => {
  test('through azd: sets AUTH_ENABLED, provisions, records the scope and forgets the key', async () => {
    const { dir, server } = await deployedProject();
    assert.equal(server.auth, undefined, 'deployed in key mode');
    assert.equal((await envValues(dir)).AUTH_ENABLED, 'false');
    const h = harness({ projectDir: dir });
    await h.registry.upsert(server);
    await h.keyStore.store(server.resourceId, 'a-function-key-0123456789');

    const updated = await h.commands['remoteMcp.enableEntraAuth'](server);

    assert.deepEqual(h.azdRuns, [['provision', '--no-prompt', '-e', 'dev', '--cwd', dir]]);
    const values = await envValues(dir);
    assert.equal(values.AUTH_ENABLED, 'true');
    assert.equal(values.ENTRA_APPLICATION_ID, entraApplicationId);
    assert.match(
      values.ENTRA_IDENTIFIER_URI ?? '',
      new RegExp(`^api://${tenantId}/remote-mcp-[a-z2-7]{13}$`),
    );
    const auth = {
      mode: 'entra',
      scopes: [`${values.ENTRA_IDENTIFIER_URI}/user_impersonation`],
      tenantId,
      clientId: entraApplicationId,
    };
    assert.deepEqual(updated.auth, auth);
    assert.deepEqual(h.registry.find(server.resourceId)?.auth, auth);
    assert.equal(await h.keyStore.get(server.resourceId), undefined, 'the key is forgotten');
    assert.equal(h.secrets.values.size, 0);
    assert.deepEqual(h.calls, [], 'azd did it all: no ARM calls');

    const info = h.ui.last('info');
    assert.match(info?.message ?? '', /Entra sign-in is on for func-api-/);
    assert.deepEqual(info?.actions, ['Check Sign-in']);
    assert.equal(await h.ui.press('Check Sign-in'), server.resourceId);
    assert.match(h.ui.progress[0]?.title ?? '', /Enabling Entra sign-in: azd provision \(environment dev\)/);
    assert.deepEqual(h.ui.prompts, []);
  });

  test('a self-hosted server deployed with azd: switched through ARM (its infra has no AUTH_ENABLED switch), and told provisioning sets it back', async () => {
    const { dir, server } = await deployedProject();
    const selfHosted: RemoteServer = { ...server, kind: 'selfHosted' };
    const h = harness({
      projectDir: dir,
      answers: [entraApplicationId, `api://${entraApplicationId}`],
    });
    await h.registry.upsert(selfHosted);
    const before = await envValues(dir);

    const enabled = await h.commands['remoteMcp.enableEntraAuth'](selfHosted);

    assert.deepEqual(h.azdRuns, [], 'no azd provision');
    assert.deepEqual(await envValues(dir), before, 'the azd environment is left alone');
    assert.deepEqual(h.calls, [
      {
        method: 'enableEntra',
        server: server.resourceId,
        registration: {
          clientId: entraApplicationId,
          tenantId,
          identifierUri: `api://${entraApplicationId}`,
        },
      },
    ]);
    assert.equal(enabled.auth?.mode, 'entra');
    assert.match(h.ui.last('info')?.message ?? '', /the next `azd provision` sets the app back/);

    await h.commands['remoteMcp.disableEntraAuth'](enabled);
    assert.deepEqual(h.azdRuns, []);
    assert.equal(h.calls.at(-1)?.method, 'disableEntra');
    assert.match(
      h.ui.last('info')?.message ?? '',
      /uses its function key again.*the next `azd provision` sets the app back/,
    );
  });

  test('a server remembered without its kind: the azd project’s service folder says it is self-hosted', async () => {
    const { dir, server } = await deployedProject();
    // What Host on Azure Functions leaves: azure.yaml naming the folder itself, host.json with a custom handler.
    writeFileSync(
      path.join(dir, 'azure.yaml'),
      'name: todo\nservices:\n  api:\n    project: .\n    host: function\n',
    );
    writeFileSync(
      path.join(dir, 'host.json'),
      JSON.stringify({
        version: '2.0',
        configurationProfile: 'mcp-custom-handler',
        customHandler: { description: { defaultExecutablePath: 'node', arguments: ['dist/index.js'] } },
      }),
    );
    const h = harness({ projectDir: dir, answers: [entraApplicationId, `api://${entraApplicationId}`] });
    const { kind: _kind, ...rememberedWithoutKind } = server;
    await h.commands['remoteMcp.enableEntraAuth'](rememberedWithoutKind);
    assert.deepEqual(h.azdRuns, []);
    assert.equal(h.calls[0]?.method, 'enableEntra');
    assert.match(h.ui.last('info')?.message ?? '', /the next `azd provision` sets the app back/);
  });

  test('through ARM when the server has no azd environment: asks, validates, trims', async () => {
    const server: RemoteServer = {
      resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-x/providers/Microsoft.Web/sites/func-x`,
      name: 'func-x',
      hostName: 'func-x.azurewebsites.net',
      endpoint: 'https://func-x.azurewebsites.net/runtime/webhooks/mcp',
      subscriptionId,
      resourceGroup: 'rg-x',
    };
    const h = harness({
      answers: [
        'func-x',
        'not-a-guid',
        ` ${entraApplicationId} `,
        'ftp://nope',
        ` api://${entraApplicationId} `,
        'tenant?',
        `${tenantId}  `,
      ],
    });
    await h.registry.upsert(server);
    await h.keyStore.store(server.resourceId, 'a-function-key-0123456789');

    const updated = await h.commands['remoteMcp.enableEntraAuth']();

    assert.deepEqual(
      h.ui.prompts.map((prompt) => `${prompt.kind}: ${prompt.title}`),
      [
        'pick: Enable Entra sign-in for which server?',
        'input: App registration',
        'input: Application ID URI',
        'input: Tenant',
      ],
    );
    assert.deepEqual(
      h.ui.rejected.map((rejected) => rejected.answer),
      ['not-a-guid', 'ftp://nope', 'tenant?'],
    );
    assert.match(h.ui.rejected[0]?.problem ?? '', /00000000-0000-0000-0000-000000000000/);
    assert.deepEqual(h.calls, [
      {
        method: 'enableEntra',
        server: server.resourceId,
        registration: {
          clientId: entraApplicationId,
          tenantId,
          identifierUri: `api://${entraApplicationId}`,
        },
      },
    ]);
    assert.deepEqual(updated.auth, {
      mode: 'entra',
      scopes: [`api://${entraApplicationId}/user_impersonation`],
      tenantId,
      clientId: entraApplicationId,
    });
    assert.deepEqual(h.registry.find(server.resourceId)?.auth, updated.auth);
    assert.equal(await h.keyStore.get(server.resourceId), undefined);
    assert.deepEqual(h.azdRuns, []);
    assert.deepEqual(h.ui.unusedAnswers, []);
  });
});

describe('Disable Entra Sign-in', () => {
  test('through azd: AUTH_ENABLED false, provisioned, the auth outputs cleared, key mode', async () => {
    const { dir, server } = await deployedProject();
    const h = harness({ projectDir: dir });
    await h.registry.upsert(server);
    const enabled = await h.commands['remoteMcp.enableEntraAuth'](server);
    assert.equal(enabled.auth?.mode, 'entra');

    const disabled = await h.commands['remoteMcp.disableEntraAuth'](enabled);

    assert.deepEqual(
      h.azdRuns.map((args) => args[0]),
      ['provision', 'provision'],
    );
    const values = await envValues(dir);
    assert.equal(values.AUTH_ENABLED, 'false');
    assert.equal(values.ENTRA_APPLICATION_ID, '');
    assert.equal(values.ENTRA_IDENTIFIER_URI, '');
    assert.deepEqual(disabled.auth, { mode: 'key' });
    assert.deepEqual(h.registry.find(server.resourceId)?.auth, { mode: 'key' });
    assert.deepEqual(h.calls, []);
    assert.match(h.ui.last('info')?.message ?? '', /Entra sign-in is off for func-api-.*function key again/);
  });

  test('through ARM: disableEntra is called and the server is back to key mode', async () => {
    const server: RemoteServer = {
      resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-y/providers/Microsoft.Web/sites/func-y`,
      name: 'func-y',
      hostName: 'func-y.azurewebsites.net',
      endpoint: 'https://func-y.azurewebsites.net/runtime/webhooks/mcp',
      subscriptionId,
      resourceGroup: 'rg-y',
      auth: { mode: 'entra', scopes: ['api://y/user_impersonation'] },
    };
    const h = harness({ answers: ['func-y'] });
    await h.registry.upsert(server);

    const disabled = await h.commands['remoteMcp.disableEntraAuth']();

    assert.deepEqual(h.calls, [{ method: 'disableEntra', server: server.resourceId }]);
    assert.deepEqual(disabled.auth, { mode: 'key' });
    assert.deepEqual(h.registry.find(server.resourceId)?.auth, { mode: 'key' });
    assert.deepEqual(h.azdRuns, []);
    assert.deepEqual(
      h.ui.progress.map((p) => p.title),
      ['Disabling Entra sign-in on func-y'],
    );
  });
});

describe('Check Sign-in against the embedded host in Entra mode', () => {
  const apiClientId = entraApplicationId;
  const identifierUri = `api://${tenantId}/remote-mcp-check`;
  const scope = `${identifierUri}/user_impersonation`;
  let environment: ToolEnvironment;
  let entra: FakeEntra;
  let host: RunningEmbeddedHost;
  let server: RemoteServer;
  const minted: string[] = [];

  before(async () => {
    [environment, entra] = await Promise.all([startToolEnvironment(), startFakeEntra({ tenantId })]);
    host = await startTestHost(environment.deps, {
      auth: {
        issuer: entra.issuer,
        audiences: [apiClientId],
        jwksUrl: entra.jwksUrl,
        scopes: [scope],
        trustForwardedProto: false,
      },
    });
    server = {
      resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-z/providers/Microsoft.Web/sites/func-z`,
      name: 'func-z',
      hostName: new URL(host.mcpUrl).host,
      endpoint: host.mcpUrl,
      subscriptionId,
      resourceGroup: 'rg-z',
      tenantId,
      auth: { mode: 'entra', scopes: [scope], tenantId, clientId: apiClientId },
    };
  });
  after(async () => {
    await host.close();
    await Promise.all([environment.close(), entra.close()]);
  });
  /** VS Code's sign-in: a v2 token for the API (aud = its client id) with the requested scope names. */
  const tokens = async (scopes: string[]) => {
    const token = await entra.mintToken({
      audience: apiClientId,
      scopes: scopes.map((s) => s.split('/').pop() ?? s),
    });
    minted.push(token);
    return token;
  };

  function assertNoToken(h: ReturnType<typeof harness>): void {
    const seen = [
      ...h.log.lines,
      ...h.ui.shown.map((shown) => shown.message),
      ...h.reports(),
      JSON.stringify(h.ui.progress),
    ].join('\n');
    for (const token of minted) assert.ok(!seen.includes(token), 'a token was shown');
    assert.doesNotMatch(seen, /eyJ[\w-]+\.eyJ/, 'nothing JWT-like was shown');
  }

  test('a consistent app: every step passes, the report opens, the info says so', async () => {
    const h = harness({
      tokens,
      readAuthState: () =>
        Promise.resolve(
          authState({
            allowedApplications: [apiClientId, VSCODE_CLIENT_ID],
            allowedAudiences: [identifierUri, apiClientId],
            tenantId,
          }),
        ),
    });
    await h.registry.upsert(server);

    const steps = await h.commands['remoteMcp.checkSignIn'](server);

    for (const step of steps) assert.equal(step.status, 'pass', `${step.id}: ${step.detail}`);
    assert.deepEqual(
      h.tokenCalls.map(({ scopes, tenantId: tenant, interactive }) => ({ scopes, tenant, interactive })),
      [{ scopes: [scope], tenant: tenantId, interactive: true }],
    );
    assert.deepEqual(h.calls, [{ method: 'readAuthState', server: server.resourceId }]);
    // Shown read-only through the UI seam, named after the server, not as a document to save.
    assert.deepEqual(
      h.ui.reports.map((report) => report.name),
      ['Sign-in check of func-z'],
    );
    for (const step of steps) assert.ok(h.reports()[0]!.includes(step.title), `report names "${step.title}"`);
    assert.ok(h.reports()[0]!.includes(host.mcpUrl));
    assert.ok(h.log.lines.some((line) => line.includes(`Sign-in check of func-z (${host.mcpUrl})`)));
    assert.equal(h.ui.last('info')?.message, 'Sign-in check of func-z: every step passed.');
    assert.deepEqual(h.ui.messages('warning'), []);
    assertNoToken(h);
  });

  test('webhook level System and a stored key: those steps fail/warn and the warning counts them', async () => {
    const h = harness({
      tokens,
      readAuthState: () =>
        Promise.resolve(
          authState({
            webhookAuthorizationLevel: 'System',
            keyRequired: true,
            allowedApplications: [apiClientId, VSCODE_CLIENT_ID],
            allowedAudiences: [identifierUri],
            tenantId,
          }),
        ),
    });
    await h.registry.upsert(server);
    await h.keyStore.store(server.resourceId, 'a-stale-function-key-0123456789');

    const steps = await h.commands['remoteMcp.checkSignIn'](server);

    const status = (id: string) => steps.find((step) => step.id === id)?.status;
    assert.equal(status('webhookLevel'), 'fail');
    assert.equal(status('storedKey'), 'warn');
    assert.deepEqual(
      steps.filter((step) => step.status !== 'pass').map((step) => step.id),
      ['webhookLevel', 'storedKey'],
    );
    assert.equal(h.reports().length, 1);
    assert.match(h.reports()[0]!, /webhook level is System/);
    assert.deepEqual(h.ui.messages('info'), []);
    assert.equal(
      h.ui.last('warning')?.message,
      'Sign-in check of func-z: 2 problems found; the report says how to fix them.',
    );
    assertNoToken(h);
  });

  test('Azure settings unreadable: the chain still runs, a warning is logged, consistency skips', async () => {
    const h = harness({
      tokens,
      readAuthState: () => Promise.reject(new Error('AuthorizationFailed: no read access to func-z.')),
    });
    await h.registry.upsert(server);

    const steps = await h.commands['remoteMcp.checkSignIn']({ resourceId: server.resourceId });

    assert.ok(
      h.log.lines.includes(
        "warn: Could not read func-z's authentication settings from Azure: AuthorizationFailed: no read access to func-z.",
      ),
      h.log.lines.join('\n'),
    );
    const status = (id: string) => steps.find((step) => step.id === id)?.status;
    for (const id of ['challenge', 'token', 'initialize', 'toolsList']) assert.equal(status(id), 'pass', id);
    assert.equal(status('webhookLevel'), 'skip');
    assert.equal(status('allowedApplications'), 'skip');
    assert.equal(status('storedKey'), 'pass');
    assert.equal(h.reports().length, 1);
    assert.equal(h.ui.last('info')?.message, 'Sign-in check of func-z: every step passed.');
    assertNoToken(h);
  });

  test('a self-hosted server: the kind and the workspace host.json level reach the check, which explains the custom handler trap', async () => {
    const app = await startBuiltInAuthFrontEnd({
      entra,
      identifierUri,
      audience: apiClientId,
      backendPort: 9, // never reached: the "Functions host" refuses first
      level: () => 'function',
      functionKey: 'a-default-function-key-0123',
    });
    try {
      const selfHosted: RemoteServer = {
        ...server,
        kind: 'selfHosted',
        hostName: new URL(app.origin).host,
        endpoint: `${app.origin}/mcp`,
      };
      const levels: (string | null | undefined)[] = [];
      const h = harness({
        tokens,
        mcpProject: selfHostedProject(scratch, 'functionKey'),
        readAuthState: (hostJsonLevel) => {
          levels.push(hostJsonLevel);
          return Promise.resolve(
            authState({
              kind: 'selfHosted',
              allowedApplications: [apiClientId, VSCODE_CLIENT_ID],
              allowedAudiences: [identifierUri],
              tenantId,
              ...(hostJsonLevel ? { customHandlerLevel: { level: hostJsonLevel, source: 'host.json' } } : {}),
            }),
          );
        },
      });
      const steps = await h.commands['remoteMcp.checkSignIn'](selfHosted);
      assert.deepEqual(levels, ['function']);
      const failed = steps.filter((step) => step.status === 'fail');
      assert.deepEqual(
        failed.map((step) => step.id),
        ['initialize', 'webhookLevel'],
      );
      for (const step of failed) assert.equal(step.fix, SELF_HOSTED_LEVEL_FIX);
      assert.equal(failed[1]?.title, 'Custom handler authorization level fits Entra sign-in');
      assert.ok(!h.reports()[0]!.includes('mcp_extension'), 'the MCP extension trap is not shown');
      assertNoToken(h);
    } finally {
      await app.close();
    }
  });

  test('the token source throwing: the token step fails and the warning counts one problem', async () => {
    const h = harness({
      tokens: () => Promise.reject(new Error('User did not consent to login.')),
      readAuthState: () => Promise.resolve(authState({ allowedAudiences: [identifierUri], tenantId })),
    });
    await h.registry.upsert(server);

    const steps = await h.commands['remoteMcp.checkSignIn'](server);

    assert.equal(steps.find((step) => step.id === 'token')?.status, 'fail');
    assert.equal(
      h.ui.last('warning')?.message,
      'Sign-in check of func-z: 1 problem found; the report says how to fix it.',
    );
    assertNoToken(h);
  });
});
