// The status probe (extension/probe/mcpProbe.ts) through the API Management gateway stand-in
// (test/fakes/apimGateway.ts) in front of a Functions MCP extension app with its key requirement on,
// and what the status view's advice (extension/statusView/probeAdvice.ts) makes of each answer:
// a gateway server signs in with Entra; a 404 at the gateway and a stale key named value each point
// to Check Sign-in with what is wrong. Plain http: the probe's global fetch cannot trust the loopback
// certificate in Node 20 (the VS Code suite uses https).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { probeServer, type ProbeOutcome } from '../../../extension/probe/mcpProbe';
import type { RemoteServer } from '../../../extension/remote/remoteServers';
import { probeAdvice } from '../../../extension/statusView/probeAdvice';
import { authModeOf, type ServerStatus } from '../../../extension/statusView/serverStatus';
import { CommandId } from '../../../extension/commandIds';
import { gatewayNamedValues } from '../../../shared/apiManagementGateway';
import {
  defaultGatewayAppId,
  startGatewayStandIn,
  type GatewayStandIn,
  type GatewayStandInOptions,
} from '../../fakes/apimGateway';
import { startGatewayBackend, type GatewayBackend } from '../../fakes/apimGatewayBackend';
import { startFakeEntra, type FakeEntra } from '../../fakes/entra';

const appKey = 'the-mcp-extension-system-key-9021';
let entra: FakeEntra;
let backend: GatewayBackend;
const closers: (() => Promise<void>)[] = [];

before(async () => {
  entra = await startFakeEntra();
  backend = await startGatewayBackend({ kind: 'functionsMcpExtension', key: appKey });
});
after(async () => {
  await Promise.all(closers.map((close) => close()));
  await Promise.all([entra.close(), backend.close()]);
});

async function gateway(options: Partial<GatewayStandInOptions> = {}): Promise<GatewayStandIn> {
  const started = await startGatewayStandIn({
    entra,
    backendPort: backend.port,
    kind: 'functionsMcpExtension',
    functionKey: appKey,
    tls: false,
    ...options,
  });
  closers.push(() => started.close());
  return started;
}

const bearer = async () => ({
  authorization: `Bearer ${await entra.mintToken({ audience: defaultGatewayAppId })}`,
});

/** A server connected through its gateway, as Connect leaves it, in the status view's row. */
function gatewayRow(
  standIn: GatewayStandIn,
  outcome: ProbeOutcome,
  credential: 'token' | 'none',
): ServerStatus {
  const server: RemoteServer = {
    resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-gw',
    name: 'func-gw',
    hostName: 'func-gw.azurewebsites.net',
    endpoint: 'https://func-gw.azurewebsites.net/runtime/webhooks/mcp',
    kind: 'functionsMcpExtension',
    subscriptionId: 's',
    resourceGroup: 'rg',
    auth: { mode: 'entra', scopes: [] },
    gateway: { endpoint: standIn.url },
    via: 'gateway',
    connected: true,
  };
  return {
    server,
    group: { kind: 'azd', environment: 'dev' },
    remembered: true,
    fromAzd: true,
    keyStored: false,
    auth: 'entra',
    probing: false,
    probe: { at: 0, credential, signature: '', outcome },
  };
}

describe('the probe through the gateway', () => {
  test('with a token: the app behind the gateway answers and lists its tools', async () => {
    const standIn = await gateway();
    const outcome = await probeServer(standIn.url, { headers: await bearer(), timeoutMs: 10_000 });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.ok(outcome.tools.length > 0);
  });

  test('without a token (Connect stores none): a Bearer challenge, so the row says Entra sign-in, whose advice is to sign in', async () => {
    const standIn = await gateway();
    const outcome = await probeServer(standIn.url, { timeoutMs: 10_000 });
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.kind, 'unauthorized');
    assert.equal(outcome.failure.bearerChallenge, true);
    const row = gatewayRow(standIn, outcome, 'none');
    assert.equal(authModeOf(row.server, true, row.probe), 'entra');
    // What the probe saw says so too, for a row whose server records no auth mode.
    assert.equal(authModeOf({ ...row.server, auth: undefined }, true, row.probe), 'entra');
    const advice = probeAdvice(row, outcome.failure, 10);
    assert.equal(advice.short, 'HTTP 401: sign-in needed');
    assert.match(advice.problem, /Microsoft Entra sign-in/);
    assert.equal(advice.action?.command, CommandId.checkSignIn);
  });

  test("no mcp operation at the gateway: a 404, whose advice names the gateway's API and provisioning", async () => {
    const standIn = await gateway({ missingOperations: ['mcpPost'] });
    const outcome = await probeServer(standIn.url, { headers: await bearer(), timeoutMs: 10_000 });
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.kind, 'notFound');
    const advice = probeAdvice(gatewayRow(standIn, outcome, 'token'), outcome.failure, 10);
    assert.equal(advice.short, 'HTTP 404 at the gateway');
    assert.match(advice.problem, /API Management has no operation/);
    assert.match(advice.fix ?? '', /azd provision/);
    assert.equal(advice.action?.command, CommandId.checkSignIn);
  });

  test('a stale key named value: the app’s 401 without a challenge, whose advice names mcp-function-key, not the stored key', async () => {
    const standIn = await gateway({ namedValues: { [gatewayNamedValues.functionKey]: 'rotated-away' } });
    const outcome = await probeServer(standIn.url, { headers: await bearer(), timeoutMs: 10_000 });
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.kind, 'unauthorized');
    assert.equal(outcome.failure.bearerChallenge, false);
    const advice = probeAdvice(gatewayRow(standIn, outcome, 'token'), outcome.failure, 10);
    assert.equal(advice.short, 'HTTP 401 from the app');
    assert.ok(advice.problem.includes(gatewayNamedValues.functionKey));
    assert.match(advice.fix ?? '', /azd provision/);
    assert.equal(advice.action?.command, CommandId.checkSignIn);
    assert.ok(!JSON.stringify(advice).includes(appKey), 'no key in the advice');
  });
});
