import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { requestScreenshot } from '../../vscode/harness/mochaInHost';
import {
  controlCall,
  eventually,
  fakeEntra,
  invokeTool,
  ourMcpTools,
  serverToolNames,
  testApi,
  toolsOnceStartedByExtension,
} from '../../vscode/suite/support';
import { chainStepIds, type SignInStep } from '../../../extension/auth/signInCheck/model';
import type { RemoteServer } from '../../../extension/remote/remoteServers';
import type { GatewayObservations } from '../../vscode/gatewayApp';

// Issue 15: a deployment with APIM_ENABLED, the function app behind the API Management gateway
// stand-in (test/vscode/gatewayApp.ts). Connect goes through the gateway; VS Code's own MCP client
// meets the gateway's 401 challenge, reads its Protected Resource Metadata, finds the authorization
// server (the fake Entra) claimed by the test authentication provider, signs in for the metadata's
// scope, and lists and calls the bundled tools. The extension adds no header and keeps no key: the
// gateway alone sends the app its key.
const server = JSON.parse(process.env.REMOTE_MCP_GATEWAY_SERVER ?? '{}') as RemoteServer;
const label = `${server.name} (Azure)`;
/** VS Code's own client id (test/fakes/entra.ts), which the gateway's policy lets in. */
const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

interface ResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('Through the API Management gateway: VS Code signs in from its metadata, no key on this machine', () => {
  before(async () => {
    // VS Code waits only briefly for a provider to register; have it registered before the first ask.
    await fakeEntra();
  });

  after(async () => {
    const api = await testApi();
    if (api.registry.find(server.resourceId)?.connected) {
      await vscode.commands.executeCommand('remoteMcp.disconnect', server);
    }
    // The next suites count the MCP tools VS Code lists: leave only what was there.
    await eventually('the gateway server’s tools to disappear', () => ourMcpTools().length === 0);
  });

  it('Connect: the gateway URL with no header; VS Code signs in for the metadata’s scope, lists the tools and calls one', async () => {
    const api = await testApi();
    const gatewayUrl = server.gateway?.endpoint ?? '';
    assert.match(gatewayUrl, /^https:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.equal(await api.keyStore.get(server.resourceId), undefined, 'no key before Connect');
    const provider = await fakeEntra();
    const asksBefore = provider.sessionRequests.length;
    const tokensBefore = provider.issuedTokens.length;

    const connected = await vscode.commands.executeCommand<RemoteServer>('remoteMcp.connect', server);
    assert.equal(connected?.via, 'gateway');
    const definition = api.provider.provideMcpServerDefinitions().find((d) => d.label === label);
    assert.equal(definition?.uri.toString(true), gatewayUrl, 'VS Code is handed the gateway, not the app');
    assert.deepEqual(definition?.headers, {}, 'no key, no token from the extension');

    const tools = await toolsOnceStartedByExtension(label);
    assert.deepEqual(tools.length, serverToolNames.length);
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');

    // VS Code's MCP client asked the test provider, naming the authorization server of the metadata,
    // for the metadata's scope, and the token it got is for the app registration.
    const metadata = (await (
      await fetch(new URL('/.well-known/oauth-protected-resource/mcp', gatewayUrl))
    ).json()) as ResourceMetadata;
    assert.equal(metadata.resource, gatewayUrl);
    // (The MCP Servers view's probe asks silently too, for the same scope, naming no server: those are
    // the extension's, not VS Code's sign-in.)
    const asks = provider.sessionRequests
      .slice(asksBefore)
      .filter((ask) => ask.authorizationServer !== undefined);
    assert.ok(asks.length > 0, 'VS Code asked the test provider for a session');
    for (const ask of asks) {
      assert.deepEqual(ask.scopes, metadata.scopes_supported);
      assert.equal(ask.authorizationServer, metadata.authorization_servers[0]);
    }
    assert.equal(metadata.authorization_servers[0], process.env.REMOTE_MCP_FAKE_ENTRA_ISSUER);
    const token = provider.issuedTokens.at(-1);
    assert.ok(token && provider.issuedTokens.length > tokensBefore, 'a token minted for this sign-in');
    const claims = claimsOf(token);
    assert.equal(`${String(claims.aud)}/user_impersonation`, metadata.scopes_supported[0]);
    assert.equal(claims.azp, VSCODE_CLIENT_ID);

    // On the wires: VS Code met the challenge, then came back with a token and never a key; the
    // gateway, and only the gateway, sent the app its key.
    const seen = await controlCall<GatewayObservations>('GET', '/gateway');
    const toGateway = seen.toGateway.filter((request) => request.path === '/mcp');
    assert.ok(
      toGateway.some((r) => r.method === 'POST' && !r.bearerToken && r.status === 401),
      `the 401 challenge to a request without a token: ${JSON.stringify(toGateway)}`,
    );
    assert.ok(
      toGateway.some((r) => r.method === 'POST' && r.bearerToken && r.status === 200),
      `a request with the token let through: ${JSON.stringify(toGateway)}`,
    );
    assert.deepEqual(
      seen.toGateway.filter((request) => request.functionKey !== 'none'),
      [],
      'no x-functions-key ever sent to the gateway',
    );
    assert.ok(seen.toApp.length > 0, 'the gateway called the app');
    assert.deepEqual(
      seen.toApp.filter((request) => request.functionKey !== 'the app key'),
      [],
      'every call to the app carried its key',
    );
    assert.ok(seen.toApp.every((request) => request.path.startsWith('/runtime/webhooks/mcp')));

    assert.equal(await api.keyStore.get(server.resourceId), undefined, 'no key in SecretStorage after');
    await requestScreenshot('gateway-connected');
  });

  it('Check Sign-in walks the gateway’s chain and every step passes', async () => {
    const api = await testApi();
    const remembered = api.registry.find(server.resourceId);
    assert.equal(remembered?.via, 'gateway');
    const steps = await vscode.commands.executeCommand<SignInStep[]>('remoteMcp.checkSignIn', remembered);
    assert.ok(steps, JSON.stringify(api.ui.shown.at(-1)));
    assert.deepEqual(
      steps.filter((step) => step.status === 'fail' || step.status === 'warn'),
      [],
      'no step fails or warns',
    );
    // The chain VS Code walks, each step at the gateway, passed, not skipped.
    const chain: readonly string[] = chainStepIds;
    assert.deepEqual(
      steps.filter((step) => chain.includes(step.id)).map((step) => `${step.id}: ${step.status}`),
      chain.map((id) => `${id}: pass`),
    );
    assert.match(steps.find((step) => step.id === 'toolsList')?.detail ?? '', /hello_mcp/);
    assert.equal(await api.keyStore.get(server.resourceId), undefined, 'still no key');
  });

  it('the MCP Servers view shows it connected via API Management', async () => {
    const api = await testApi();
    await vscode.commands.executeCommand('remoteMcp.servers.focus');
    // The probe signs in silently with the session VS Code holds for the PRM's scope, so the row counts
    // the server's tools rather than asking for a sign-in.
    const row = await eventually(
      'the gateway server’s row to say via API Management and count its tools',
      async () => {
        const found = await api.tree.findServer(server.resourceId);
        const description = found?.description ?? '';
        return /^connected via API Management/.test(description) && /\b\d+ tools\b/.test(description)
          ? found
          : undefined;
      },
    );
    // Room for the view in the screenshot: the sign-in report and the chat are not what it shows.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    await api.statusView.view.reveal(row, { expand: 1, select: true, focus: true });
    console.log(`the gateway server's row: ${row.description ?? ''}`);
    await requestScreenshot('gateway-view');
  });
});
