// Check Sign-in through the API Management gateway (issue 15), over real HTTP: the gateway stand-in
// (test/fakes/apimGateway.ts, the rules of infra/app/gateway/*.policy.xml) in front of the app of
// either kind with its key requirement on (apimGatewayBackend.ts), tokens from the fake Entra. The
// healthy chain passes every step; each failure the issue lists gets its own explanation and fix.
// The stand-in speaks plain http here: the check uses the global fetch, which in Node 20 cannot be
// told to trust the loopback certificate (the VS Code suite connects to it over https).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { entraCommands, type EntraCommandServices } from '../../../extension/auth/entraCommands';
import {
  chainStepIds,
  checkSignIn,
  renderSignInReport,
  type SignInCheckInput,
  type SignInStep,
  type SignInStepId,
} from '../../../extension/auth/signInCheck';
import { SecretMasker } from '../../../extension/common/log';
import { FunctionKeyStore } from '../../../extension/remote/keyStore';
import { RemoteServerRegistry, type RemoteServer } from '../../../extension/remote/remoteServers';
import {
  APIM_ENABLED,
  GATEWAY_URL_OUTPUT,
  gatewayNamedValues,
  type GatewayNamedValue,
} from '../../../shared/apiManagementGateway';
import {
  defaultGatewayAppId,
  startGatewayStandIn,
  type GatewayBackendKind,
  type GatewayStandIn,
  type GatewayStandInOptions,
} from '../../fakes/apimGateway';
import { startGatewayBackend, type GatewayBackend } from '../../fakes/apimGatewayBackend';
import {
  entraSignInError,
  startFakeEntra,
  VSCODE_CLIENT_ID,
  type FakeEntra,
  type MintTokenOptions,
} from '../../fakes/entra';
import { memorySecrets, memoryState } from '../../support/memoryStores';
import { RecordingUi, recordingLog } from '../../support/recordingUi';

const tenantId = '3f2a1b0c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const appKeys: Record<GatewayBackendKind, string> = {
  functionsMcpExtension: 'the-mcp-extension-system-key-5512',
  selfHosted: 'the-default-function-key-7730',
};
/** What each kind's app lists: the embedded host's catalogue, the node-self-hosted fixture's todos. */
const toolsOf: Record<GatewayBackendKind, RegExp> = {
  functionsMcpExtension: /\d+ tools?: /,
  selfHosted: /add_todo/,
};
const kinds: GatewayBackendKind[] = ['functionsMcpExtension', 'selfHosted'];

let entra: FakeEntra;
const backends = {} as Record<GatewayBackendKind, GatewayBackend>;
const closers: (() => Promise<void>)[] = [];
/** Every token the check was given: none may appear in a report. */
const minted: string[] = [];

before(async () => {
  entra = await startFakeEntra({ tenantId });
  for (const kind of kinds) backends[kind] = await startGatewayBackend({ kind, key: appKeys[kind] });
});
after(async () => {
  await Promise.all(closers.map((close) => close()));
  await Promise.all([entra.close(), ...kinds.map((kind) => backends[kind].close())]);
});

async function gateway(
  kind: GatewayBackendKind,
  options: Partial<GatewayStandInOptions> = {},
): Promise<GatewayStandIn> {
  const started = await startGatewayStandIn({
    entra,
    backendPort: backends[kind].port,
    kind,
    functionKey: appKeys[kind],
    tls: false,
    ...options,
  });
  closers.push(() => started.close());
  return started;
}

/** VS Code's Microsoft sign-in as Entra answers it for the app registration: a v2.0 token for its client id. */
function tokens(overrides: Partial<MintTokenOptions> = {}): SignInCheckInput['getToken'] {
  return async (scopes) => {
    const token = await entra.mintToken({
      audience: defaultGatewayAppId,
      scopes: scopes.map((scope) => scope.split('/').pop() ?? scope),
      ...overrides,
    });
    minted.push(token);
    return token;
  };
}

async function check(
  standIn: GatewayStandIn,
  kind: GatewayBackendKind,
  overrides: Partial<SignInCheckInput> = {},
): Promise<{ steps: SignInStep[]; report: string }> {
  const { steps } = await checkSignIn({
    mcpUrl: standIn.url,
    viaGateway: true,
    serverKind: kind,
    getToken: tokens(),
    consistency: { keyStored: false },
    expectedTenantId: tenantId,
    ...overrides,
  });
  const report = renderSignInReport(standIn.url, steps);
  for (const token of minted) assert.ok(!report.includes(token), 'no token in the report');
  for (const key of Object.values(appKeys)) assert.ok(!report.includes(key), 'no key in the report');
  return { steps, report };
}

function step(steps: SignInStep[], id: SignInStepId): SignInStep {
  const found = steps.find((s) => s.id === id);
  assert.ok(found, `step ${id}`);
  return found;
}

const named = (name: GatewayNamedValue) => name;

describe('Check Sign-in through a healthy gateway', () => {
  for (const kind of kinds) {
    test(`${kind}: every step of the chain passes, the app's tools are listed, App Service's rules are skipped with the reason`, async () => {
      const standIn = await gateway(kind);
      const { steps } = await check(standIn, kind);
      for (const id of chainStepIds) {
        assert.equal(step(steps, id).status, 'pass', `${id}: ${step(steps, id).detail}`);
      }
      assert.match(step(steps, 'challenge').detail, /resource_metadata=/);
      assert.ok(step(steps, 'resource').detail.includes(standIn.url));
      assert.ok(step(steps, 'scopes').detail.includes(`api://${defaultGatewayAppId}/user_impersonation`));
      assert.match(step(steps, 'toolsList').detail, toolsOf[kind]);
      for (const id of ['webhookLevel', 'allowedApplications', 'audience'] as const) {
        assert.equal(step(steps, id).status, 'skip', id);
        assert.match(step(steps, id).detail, /API Management checks the token/);
      }
      assert.equal(step(steps, 'storedKey').status, 'pass');
      assert.equal(step(steps, 'tenant').status, 'pass', step(steps, 'tenant').detail);
      assert.equal(steps.filter((s) => s.status === 'fail' || s.status === 'warn').length, 0);
    });
  }

  test('a key stored for a gateway server is said to be unneeded, not a failure', async () => {
    const standIn = await gateway('functionsMcpExtension');
    const { steps } = await check(standIn, 'functionsMcpExtension', { consistency: { keyStored: true } });
    const stored = step(steps, 'storedKey');
    assert.equal(stored.status, 'pass');
    assert.match(stored.detail, /not needed: the gateway sends the app's key/);
  });
});

describe('Check Sign-in explains what breaks a gateway', () => {
  test("a 404 where the challenge was expected, and VS Code's SSE fallback that then fails with 401", async () => {
    // The API lost its POST /mcp operation (a wrong URL suffix, operations edited by hand).
    const standIn = await gateway('functionsMcpExtension', { missingOperations: ['mcpPost'] });
    const { steps } = await check(standIn, 'functionsMcpExtension');
    const challenge = step(steps, 'challenge');
    assert.equal(challenge.status, 'fail');
    assert.match(challenge.detail, /^The gateway answered 404 where a 401 challenge was expected/);
    assert.match(
      challenge.detail,
      /falls back to the legacy SSE transport: its GET .* answered 401, the 401 VS Code then reports/,
    );
    assert.match(challenge.fix ?? '', /empty API URL suffix/);
    assert.match(challenge.fix ?? '', /azd provision/);
    assert.ok(challenge.fix?.includes(GATEWAY_URL_OUTPUT));
    assert.ok(challenge.fix?.includes(APIM_ENABLED));
    for (const id of chainStepIds.slice(1)) assert.equal(step(steps, id).status, 'skip', id);
    // The stand-in saw what VS Code would send: the POST, then the GET of the fallback.
    assert.deepEqual(standIn.requests.slice(0, 2), ['POST /mcp 404', 'GET /mcp 401']);
  });

  test('the PRM resource is not the gateway URL (mcp-gateway-url after a custom domain): the named value and how to set it', async () => {
    const standIn = await gateway('selfHosted', {
      namedValues: { [gatewayNamedValues.gatewayUrl]: 'https://mcp.contoso.example/mcp' },
    });
    const { steps } = await check(standIn, 'selfHosted');
    const resource = step(steps, 'resource');
    assert.equal(resource.status, 'fail');
    assert.ok(resource.detail.includes('https://mcp.contoso.example/mcp'));
    assert.ok(resource.fix?.includes(named(gatewayNamedValues.gatewayUrl)));
    assert.ok(resource.fix?.includes(standIn.url));
    assert.match(resource.fix ?? '', /azd provision/);
    assert.match(resource.fix ?? '', /Named values/);
    // Only that link is broken: the rest of the chain still runs and passes.
    assert.equal(step(steps, 'toolsList').status, 'pass');
  });

  for (const code of ['AADSTS65001', 'AADSTS650057'] as const) {
    test(`VS Code not pre-authorised: Entra's ${code} at sign-in names Authorized client applications and VS Code's id`, async () => {
      const standIn = await gateway('functionsMcpExtension');
      const { steps } = await check(standIn, 'functionsMcpExtension', {
        getToken: () => Promise.reject(entraSignInError(code, { tenantId, appId: defaultGatewayAppId })),
      });
      const token = step(steps, 'token');
      assert.equal(token.status, 'fail');
      assert.ok(token.detail.includes(code));
      assert.match(token.detail, /cannot ask for consent/);
      assert.match(token.fix ?? '', /Expose an API → Authorized client applications/);
      assert.ok(token.fix?.includes(VSCODE_CLIENT_ID));
      assert.equal(step(steps, 'initialize').status, 'skip');
    });
  }

  test('a token asked for by another client application: the gateway refuses it, and the report says which client it allows', async () => {
    const standIn = await gateway('functionsMcpExtension');
    const otherClient = '7e6d5c4b-0000-4000-8000-0000000c11e7';
    const { steps } = await check(standIn, 'functionsMcpExtension', {
      getToken: tokens({ appId: otherClient }),
    });
    const initialize = step(steps, 'initialize');
    assert.equal(initialize.status, 'fail');
    assert.ok(initialize.detail.includes(otherClient));
    assert.ok(initialize.detail.includes(VSCODE_CLIENT_ID));
    assert.match(initialize.fix ?? '', /Authorized client applications/);
  });

  test('a token without user_impersonation, or for another API: the gateway refuses it, and the report names the rule', async () => {
    const standIn = await gateway('functionsMcpExtension');
    const noScope = await check(standIn, 'functionsMcpExtension', {
      getToken: tokens({ scopes: ['Files.Read'] }),
    });
    const refusedScope = step(noScope.steps, 'initialize');
    assert.equal(refusedScope.status, 'fail');
    assert.match(refusedScope.detail, /scp \(Files\.Read\) lacks user_impersonation/);
    const otherApi = await check(standIn, 'functionsMcpExtension', {
      getToken: tokens({ audience: 'api://another-api' }),
    });
    const refusedAudience = step(otherApi.steps, 'initialize');
    assert.equal(refusedAudience.status, 'fail');
    assert.match(refusedAudience.detail, /its audience is api:\/\/another-api/);
    assert.ok(refusedAudience.fix?.includes(gatewayNamedValues.appId));
  });

  test('the wrong-tenant account: AADSTS50020 at sign-in names the tenant from the PRM and how to switch accounts', async () => {
    const standIn = await gateway('functionsMcpExtension');
    const { steps } = await check(standIn, 'functionsMcpExtension', {
      getToken: () =>
        Promise.reject(entraSignInError('AADSTS50020', { tenantId, appId: defaultGatewayAppId })),
    });
    const token = step(steps, 'token');
    assert.equal(token.status, 'fail');
    assert.match(token.detail, /Selected user account does not exist in tenant/);
    assert.ok(token.fix?.includes(`an account of tenant ${tenantId}`));
    assert.match(token.fix ?? '', /Accounts menu/);
    assert.match(token.fix ?? '', /guest/);
  });

  test('a token of another tenant: the gateway refuses it, and both the handshake and the tenant rule say so', async () => {
    const standIn = await gateway('selfHosted');
    const otherTenant = '0a0b0c0d-0000-4000-8000-00000000beef';
    const { steps } = await check(standIn, 'selfHosted', {
      getToken: tokens({ tenantId: otherTenant, issuer: `${entra.origin}/${otherTenant}/v2.0` }),
    });
    const initialize = step(steps, 'initialize');
    assert.equal(initialize.status, 'fail');
    assert.match(initialize.detail, new RegExp(`from tenant ${otherTenant}.*tenant ${tenantId} only`));
    assert.ok(initialize.fix?.includes(`an account of tenant ${tenantId}`));
    const tenant = step(steps, 'tenant');
    assert.equal(tenant.status, 'fail');
    assert.match(tenant.fix ?? '', /Accounts menu/);
  });

  for (const kind of kinds) {
    test(`${kind}: a stale key named value: the gateway let the token in, the app answered 401, and the fix refreshes mcp-function-key`, async () => {
      const standIn = await gateway(kind, {
        namedValues: { [gatewayNamedValues.functionKey]: 'rotated-away' },
      });
      const { steps } = await check(standIn, kind);
      for (const id of ['challenge', 'resourceMetadata', 'resource', 'token'] as const)
        assert.equal(step(steps, id).status, 'pass', id);
      const initialize = step(steps, 'initialize');
      assert.equal(initialize.status, 'fail');
      assert.match(
        initialize.detail,
        /^The gateway accepted the token, but the function app answered 401 without a Bearer challenge/,
      );
      assert.ok(initialize.detail.includes(named(gatewayNamedValues.functionKey)));
      assert.match(initialize.fix ?? '', /^Run `azd provision` again/);
      assert.match(initialize.fix ?? '', /Named values → `mcp-function-key`/);
      // The fix works: provisioning writes the app's key into the named value.
      standIn.namedValues[gatewayNamedValues.functionKey] = appKeys[kind];
      const again = await check(standIn, kind);
      assert.equal(step(again.steps, 'toolsList').status, 'pass');
    });
  }
});

describe('the Check Sign-in command for a server connected through its gateway', () => {
  test("walks the gateway's URL, not the app's, and skips App Service's settings", async () => {
    const standIn = await gateway('functionsMcpExtension');
    const ui = new RecordingUi();
    const registry = new RemoteServerRegistry(memoryState());
    const keyStore = new FunctionKeyStore(memorySecrets(), new SecretMasker());
    const server: RemoteServer = {
      resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-gw',
      name: 'func-gw',
      hostName: 'func-gw.azurewebsites.net',
      // The app's own door: unreachable here, so a check that used it would fail.
      endpoint: 'https://func-gw.invalid/runtime/webhooks/mcp',
      kind: 'functionsMcpExtension',
      subscriptionId: 's',
      resourceGroup: 'rg',
      tenantId,
      auth: { mode: 'entra', scopes: [], tenantId },
      gateway: { endpoint: standIn.url },
      via: 'gateway',
      connected: true,
    };
    await registry.upsert(server);
    const services = {
      registry,
      keyStore,
      entra: {
        readAuthState: () => Promise.reject(new Error('App Service authentication is not read in this test')),
      },
      tokens: (scopes: string[]) => tokens()(scopes),
      ui,
      log: recordingLog(),
      checkSignIn,
      mcpProjectOf: () => Promise.resolve(undefined),
    } as unknown as EntraCommandServices;
    const steps = await entraCommands(services)['remoteMcp.checkSignIn'](server);
    assert.equal(steps.filter((s) => s.status === 'fail' || s.status === 'warn').length, 0);
    assert.equal(ui.reports.length, 1);
    assert.ok(
      ui.reports[0]?.markdown.includes(
        `MCP URL: \`${standIn.url}\` (the API Management gateway in front of \`${server.endpoint}\`)`,
      ),
    );
    // The app's own door was never tried: only the report's header names it.
    assert.equal(ui.reports[0]?.markdown.split(server.endpoint).length, 2);
    assert.match(ui.last('info')?.message ?? '', /every step passed/);
  });
});
