// Connect through either door of a server with an API Management gateway (extension/remote/
// remoteCommands.ts), and what VS Code's MCP client is then handed (mcpUrlOf, remoteConnectionHeaders):
// the gateway stand-in (test/fakes/apimGateway.ts, applying infra/app/gateway/*.policy.xml) in front of
// the embedded host with MCP_KEY (the app, key required), the fake Entra signing the tokens. Plain http
// on loopback: Node's fetch here cannot be told to trust the loopback certificate.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../../extension/common/commandErrors';
import { SecretMasker, maskedLogger } from '../../../extension/common/log';
import { remoteConnectionHeaders } from '../../../extension/provider/remoteConnection';
import { RemoteKeyService, type KeyFetcher } from '../../../extension/remote/keyService';
import { FunctionKeyStore } from '../../../extension/remote/keyStore';
import { remoteCommands } from '../../../extension/remote/remoteCommands';
import { RemoteServerRegistry, mcpUrlOf, type RemoteServer } from '../../../extension/remote/remoteServers';
import { mcpRoutes } from '../../../shared/mcpRoutes';
import { defaultGatewayAppId, type GatewayStandIn } from '../../fakes/apimGateway';
import {
  startGatewayDeployment,
  type GatewayBackend,
  type GatewayDeployment,
} from '../../fakes/apimGatewayBackend';
import type { FakeEntra } from '../../fakes/entra';
import { memorySecrets, memoryState } from '../../support/memoryStores';
import { RecordingUi, recordingLog } from '../../support/recordingUi';

const appKey = 'the-apps-mcp-extension-key-behind-the-gateway-01';
const subscriptionId = '11111111-2222-3333-4444-555555555555';
let entra: FakeEntra;
let backend: GatewayBackend;
let gateway: GatewayStandIn;
let running: GatewayDeployment | undefined;

before(async () => {
  running = await startGatewayDeployment(appKey);
  ({ entra, backend, gateway } = running);
});

after(() => running?.close());

/** The deployment as azd's environment describes it: the app's endpoint, and the gateway in front. */
function deployment(): RemoteServer {
  return {
    resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-gw/providers/Microsoft.Web/sites/func-gw`,
    name: 'func-gw',
    hostName: `127.0.0.1:${backend.port}`,
    endpoint: `http://127.0.0.1:${backend.port}${mcpRoutes.streamableHttp}`,
    kind: 'functionsMcpExtension',
    subscriptionId,
    resourceGroup: 'rg-gw',
    tenantId: entra.tenantId,
    environment: 'gw',
    gateway: { endpoint: gateway.url },
  };
}

function harness(answers: string[] = []) {
  const ui = new RecordingUi(answers);
  const masker = new SecretMasker();
  const raw = recordingLog();
  const log = maskedLogger(raw, masker);
  const secrets = memorySecrets();
  const keyStore = new FunctionKeyStore(secrets, masker);
  const fetchedFor: string[] = [];
  const kindReads: string[] = [];
  // Stands in for ARM's listHostKeys: the app's mcp_extension key.
  const fetchKey: KeyFetcher = (server) => {
    fetchedFor.push(server.name);
    return Promise.resolve(appKey);
  };
  const keys = new RemoteKeyService(keyStore, fetchKey, ui, log);
  const registry = new RemoteServerRegistry(memoryState());
  const noAction = { title: 'Deploy to Azure', run: () => undefined };
  const commands = remoteCommands({
    registry,
    keys,
    keyStore,
    ui,
    log,
    deployments: () => Promise.resolve([deployment()]),
    kindOf: (server) => {
      kindReads.push(server.name);
      return Promise.resolve('functionsMcpExtension');
    },
    deployAction: noAction,
    addToMcpJson: () => Promise.reject(new Error('not in this test')),
    mcpClient: { start: () => Promise.resolve({ status: 'started' }) },
  });
  const run = (id: keyof typeof commands, argument?: unknown) =>
    runCommand<unknown>(id, () => commands[id](argument), ui, log, noAction);
  /** What VS Code's MCP client is handed for the remembered server: its URL and headers. */
  const definition = async () => {
    const server = registry.find(deployment().resourceId)!;
    const headers = await remoteConnectionHeaders(server, {
      keys,
      tokens: () => Promise.reject(new Error('no token expected')),
      ui,
      log,
    });
    return { url: mcpUrlOf(server), headers };
  };
  return { ui, secrets, keyStore, registry, fetchedFor, kindReads, logLines: raw.lines, run, definition };
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
});

/** A POST of initialize as VS Code's client sends it, with the definition's headers (and a token, once signed in). */
function post(url: string, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: initialize,
  });
}

describe('Connect to a server with an API Management gateway', () => {
  test('the picker lists the gateway first, then the app endpoint, each saying how it signs in', async () => {
    const h = harness(['func-gw via API Management']);
    await h.run('remoteMcp.connect');
    assert.deepEqual(h.ui.prompts[0]?.options, [
      'func-gw via API Management — azd environment gw',
      'func-gw — app endpoint — azd environment gw',
    ]);
  });

  test('through the gateway: Entra sign-in from the PRM challenge, no key fetched or kept, nothing read from Azure', async () => {
    const h = harness(['func-gw via API Management']);
    // A key stored by an earlier connection to the app endpoint.
    await h.keyStore.store(deployment().resourceId, appKey);
    await h.run('remoteMcp.connect');

    const remembered = h.registry.find(deployment().resourceId);
    assert.equal(remembered?.connected, true);
    assert.equal(remembered?.via, 'gateway');
    assert.deepEqual(remembered?.auth, { mode: 'entra', scopes: [], tenantId: entra.tenantId });
    assert.deepEqual(h.fetchedFor, [], 'no key is fetched');
    assert.deepEqual(h.kindReads, [], 'nothing is read from Azure');
    assert.equal(h.secrets.values.size, 0, 'the key stored earlier is forgotten');
    assert.ok(
      h.logLines.some((line) => /no key on this machine/.test(line)),
      h.logLines.join('\n'),
    );
    assert.match(h.ui.last('info')?.message ?? '', /^Connected to func-gw through API Management\./);

    // VS Code is handed the gateway's URL and no header: its client meets the challenge and signs in.
    const { url, headers } = await h.definition();
    assert.equal(url, gateway.url);
    assert.deepEqual(headers, {});
    const challenged = await post(url, headers);
    assert.equal(challenged.status, 401);
    const challenge = challenged.headers.get('www-authenticate') ?? '';
    const prmUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    assert.ok(prmUrl, challenge);
    const prm = (await (await fetch(prmUrl)).json()) as { resource: string; scopes_supported: string[] };
    assert.equal(prm.resource, url, "the PRM's resource is the URL VS Code was handed");
    // Signed in: the token VS Code's client then sends reaches the app, which gets its key from the gateway.
    const token = await entra.mintToken({ audience: defaultGatewayAppId });
    const answered = await post(url, { ...headers, authorization: `Bearer ${token}` });
    assert.equal(answered.status, 200);
    assert.match(await answered.text(), /"protocolVersion"/);
  });

  test('to the app endpoint, then back through the gateway: the key is fetched, then forgotten', async () => {
    const h = harness(['func-gw — app endpoint']);
    await h.run('remoteMcp.connect');
    let remembered = h.registry.find(deployment().resourceId);
    assert.equal(remembered?.via, 'app');
    assert.equal(remembered?.auth, undefined, 'the app endpoint takes its key');
    assert.deepEqual(h.fetchedFor, ['func-gw']);
    assert.equal(await h.keyStore.get(deployment().resourceId), appKey);
    assert.match(h.ui.last('info')?.message ?? '', /at its app endpoint, not through API Management/);
    const app = await h.definition();
    assert.equal(app.url, deployment().endpoint);
    assert.deepEqual(app.headers, { 'x-functions-key': appKey });
    assert.equal((await post(app.url, app.headers)).status, 200);

    // The view's "Connect through API Management" on the row.
    await h.run('remoteMcp.connectThroughGateway', { server: remembered });
    remembered = h.registry.find(deployment().resourceId);
    assert.equal(remembered?.via, 'gateway');
    assert.equal(await h.keyStore.get(deployment().resourceId), undefined);
    assert.deepEqual(h.fetchedFor, ['func-gw'], 'fetched once, for the app endpoint only');
    assert.deepEqual(await h.definition(), { url: gateway.url, headers: {} });

    // And the app endpoint again, from the view's row (which shows the gateway's Entra sign-in): the
    // app's own sign-in (its key) comes back, not the gateway's.
    await h.run('remoteMcp.connectToAppEndpoint', { server: remembered, authMode: 'entra' });
    remembered = h.registry.find(deployment().resourceId);
    assert.equal(remembered?.via, 'app');
    assert.equal(remembered?.auth, undefined);
    assert.deepEqual(h.fetchedFor, ['func-gw', 'func-gw'], 'the key is fetched again for the app endpoint');
    assert.deepEqual((await h.definition()).headers, { 'x-functions-key': appKey });
    assert.ok(
      h.logLines.every((line) => !line.includes(appKey)),
      h.logLines.join('\n'),
    );
  });

  test("picking the app endpoint after the gateway: the gateway's sign-in is not carried over, the key is fetched", async () => {
    const h = harness(['func-gw via API Management', 'func-gw — app endpoint']);
    await h.run('remoteMcp.connect');
    await h.run('remoteMcp.connect');
    const remembered = h.registry.find(deployment().resourceId);
    assert.equal(remembered?.via, 'app');
    assert.equal(remembered?.auth, undefined);
    assert.deepEqual(h.fetchedFor, ['func-gw']);
    assert.deepEqual(await h.definition(), {
      url: deployment().endpoint,
      headers: { 'x-functions-key': appKey },
    });
  });

  test('a server given by a button (the post-deploy offer) goes through its gateway without asking', async () => {
    const h = harness();
    await h.run('remoteMcp.connect', deployment());
    assert.deepEqual(h.ui.prompts, []);
    assert.equal(h.registry.find(deployment().resourceId)?.via, 'gateway');
    assert.deepEqual(h.fetchedFor, []);
  });

  test('through the gateway of a server that has none: the message names Enable API Management', async () => {
    const h = harness();
    const { gateway: _none, ...withoutGateway } = deployment();
    await h.run('remoteMcp.connectThroughGateway', withoutGateway);
    assert.match(
      h.ui.last('error')?.message ?? '',
      /func-gw has no API Management gateway in front of it\. Run "Remote MCP: Enable API Management"/,
    );
    assert.equal(h.registry.find(deployment().resourceId), undefined);
  });
});
