import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { requestScreenshot } from '../../vscode/harness/mochaInHost';
import {
  eventually,
  fakeEntra,
  invokeTool,
  ourMcpTools,
  startMcpServersUntilTools,
  testApi,
} from '../../vscode/suite/support';
import type { RemoteServer } from '../../../extension/remote/remoteServers';
import type { SignInStep } from '../../../extension/auth/signInCheck';

// An app that already has Microsoft Entra sign-in on: the embedded host in Entra mode behind https,
// trusting the loopback fake of Entra. VS Code signs in through the test authentication provider,
// registered under the id `remoteMcp.auth.providerId` names, for an account the user allowed this
// extension to use in an earlier session (the harness seeds VS Code's memory of that answer).
const server = JSON.parse(process.env.REMOTE_MCP_ENTRA_SERVER ?? '{}') as RemoteServer;
const control = process.env.REMOTE_MCP_CONTROL_URL ?? '';
const serverId = `remote-mcp.remote-mcp-functions/${server.name} (Azure)`;
const apiScope = server.auth?.mode === 'entra' ? server.auth.scopes[0] : undefined;

/** Has the fake Entra mint this kind of token from now on, and signs out so the next ask gets one. */
async function nextTokensAre(kind: 'valid' | 'expired' | 'wrong-audience'): Promise<void> {
  const response = await fetch(`${control}/entra-token-kind/${kind}`, { method: 'POST' });
  assert.equal(response.status, 204);
  (await fakeEntra()).signOutEverywhere();
}

/** A bearer call to the deployed server, as VS Code's MCP client makes it. */
async function initializeWith(token: string): Promise<Response> {
  return fetch(server.endpoint, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'suite', version: '1' },
      },
    }),
  });
}

function claims(token: string): { aud: string; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    aud: string;
    exp: number;
  };
}

describe('Entra sign-in: VS Code connects with a bearer token, no key anywhere', () => {
  before(async () => {
    // VS Code waits only briefly for a provider to register; have it registered before the first ask.
    await fakeEntra();
  });

  after(async () => {
    await nextTokensAre('valid');
    await vscode.commands.executeCommand('remoteMcp.disconnect', server);
    // Its tools have the same names as the next group's server: wait until VS Code has dropped them.
    await eventually('the Entra server tools to disappear', () => ourMcpTools().length === 0);
  });

  it('an Entra server is listed with neither key nor token until VS Code starts it', async () => {
    const api = await testApi();
    await api.registry.upsert(server);
    const definition = api.provider
      .provideMcpServerDefinitions()
      .find((d) => d.label === `${server.name} (Azure)`);
    assert.equal(definition?.uri.toString(), server.endpoint);
    assert.deepEqual(definition?.headers, {});
    // The view groups servers by subscription; the probe's result follows the auth mode.
    const node = await api.tree.findServer(server.resourceId);
    assert.match(node?.description ?? '', /^connected · Entra sign-in/);
  });

  it('VS Code starts it with a token from the configured provider; the tools are listed and invoked', async () => {
    const api = await testApi();
    const entra = await fakeEntra();
    await startMcpServersUntilTools();
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    const token = entra.issuedTokens.at(-1);
    assert.ok(token, 'the token came from the test authentication provider');
    // For the API the server's scope names (api://<tenant>/<app>/user_impersonation).
    assert.equal(`${claims(token).aud}/user_impersonation`, apiScope);
    assert.equal(await api.keyStore.get(server.resourceId), undefined, 'no key was fetched or stored');
    await requestScreenshot('entra-connected');
  });

  it('Check Sign-in: every step of the chain passes, token and tool calls included', async () => {
    const api = await testApi();
    const steps = await vscode.commands.executeCommand<SignInStep[]>('remoteMcp.checkSignIn', server);
    assert.ok(steps, JSON.stringify(api.ui.shown.at(-1)));
    const failing = steps.filter((step) => step.status !== 'pass');
    assert.deepEqual(failing, [], 'no step fails or warns');
    // The steps that need a real sign-in ran, rather than being skipped.
    const ran = steps.map((step) => step.id);
    for (const id of ['token', 'initialize', 'toolsList'] as const)
      assert.ok(ran.includes(id), `the report has the ${id} step`);
    const report = vscode.workspace.textDocuments.find(
      (document) => document.languageId === 'markdown' && document.getText().includes(server.endpoint),
    );
    assert.ok(report, 'the report is open');
    // Read-only: a virtual document of ours, neither untitled nor dirty, so closing it asks nothing.
    assert.equal(report.uri.scheme, 'remote-mcp-report');
    assert.equal(report.isUntitled, false, 'the report is not an Untitled document');
    assert.equal(report.isDirty, false, 'the report has nothing to save');
  });

  it('an expired token is refused by the server with the reason; VS Code gets no tools from it', async () => {
    await nextTokensAre('expired');
    await vscode.commands.executeCommand('workbench.mcp.restartServer', serverId);
    const token = await eventually('an expired token handed out', async () => {
      const latest = (await fakeEntra()).issuedTokens.at(-1);
      return latest && claims(latest).exp * 1000 < Date.now() ? latest : undefined;
    });
    const response = await initializeWith(token);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.match(response.headers.get('www-authenticate') ?? '', /expired/i);
    // What agent mode meets: the tool's server cannot start, and the reason is the server's own.
    await assert.rejects(
      invokeTool('hello_mcp', {}),
      /could not be started: 401 .*The access token has expired/,
    );
  });

  it('a token for another audience is refused too; a valid one works again', async () => {
    await nextTokensAre('wrong-audience');
    await vscode.commands.executeCommand('workbench.mcp.restartServer', serverId);
    const token = await eventually('a wrong-audience token handed out', async () => {
      const latest = (await fakeEntra()).issuedTokens.at(-1);
      return latest && claims(latest).aud.endsWith('-other') ? latest : undefined;
    });
    const response = await initializeWith(token);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.match(response.headers.get('www-authenticate') ?? '', /audience/i);
    await assert.rejects(invokeTool('hello_mcp', {}), /could not be started: 401 .*another audience/);

    await nextTokensAre('valid');
    await vscode.commands.executeCommand('workbench.mcp.restartServer', serverId);
    await startMcpServersUntilTools();
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
  });
});

describe('Enable Entra sign-in on a key-mode app, then connect and call a tool with no key anywhere', () => {
  const app = JSON.parse(process.env.REMOTE_MCP_SWITCH_SERVER ?? '{}') as RemoteServer;
  const identifierUri = process.env.REMOTE_MCP_SWITCH_IDENTIFIER_URI ?? '';
  const appId = `remote-mcp.remote-mcp-functions/${app.name} (Azure)`;
  const appRegistration = '5b3c1f0e-2d4a-4e6b-8c7d-9e0f1a2b3c4d';
  const settingsInArm = async () => {
    const response = await fetch(`${control}/sites/${app.name}`);
    return (await response.json()) as {
      appSettings: Record<string, string>;
      authSettingsV2: { platform?: { enabled?: boolean } };
    };
  };

  after(async () => {
    await vscode.commands.executeCommand('remoteMcp.disconnect', app);
    await eventually('the tools of the switched app to disappear', () => ourMcpTools().length === 0);
  });

  it('connected with its function key first', async () => {
    const api = await testApi();
    await vscode.commands.executeCommand('remoteMcp.connect', app);
    assert.ok(await api.keyStore.get(app.resourceId), 'the key is in SecretStorage');
    await startMcpServersUntilTools();
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
  });

  it('Enable Entra Sign-in: the app is switched through ARM, the key forgotten, and the tools work with a token', async () => {
    const api = await testApi();
    const before = await settingsInArm();
    api.ui.scriptAnswers([appRegistration, identifierUri]);
    const updated = await vscode.commands.executeCommand<RemoteServer>('remoteMcp.enableEntraAuth', app);
    assert.ok(updated, JSON.stringify(api.ui.shown.at(-1)));
    assert.deepEqual(updated.auth, {
      mode: 'entra',
      scopes: [`${identifierUri}/user_impersonation`],
      tenantId: app.tenantId,
      clientId: appRegistration,
    });
    assert.equal(await api.keyStore.get(app.resourceId), undefined, 'the key is gone from SecretStorage');
    const after = await settingsInArm();
    assert.equal(after.authSettingsV2.platform?.enabled, true);
    assert.equal(
      after.appSettings.AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel,
      'Anonymous',
    );
    for (const [name, value] of Object.entries(before.appSettings))
      assert.equal(after.appSettings[name], value, `the unrelated setting ${name} is kept`);

    const issued = (await fakeEntra()).issuedTokens.length;
    await vscode.commands.executeCommand('workbench.mcp.restartServer', appId);
    await startMcpServersUntilTools();
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    const token = (await fakeEntra()).issuedTokens.at(-1);
    assert.ok((await fakeEntra()).issuedTokens.length > issued && token, 'a token was asked for');
    assert.equal(`${claims(token).aud}/user_impersonation`, `${identifierUri}/user_impersonation`);
    assert.equal(await api.keyStore.get(app.resourceId), undefined, 'still no key');
  });

  it('Disable Entra Sign-in: back to key mode, the key fetched again when VS Code starts it', async () => {
    const api = await testApi();
    await vscode.commands.executeCommand('remoteMcp.disableEntraAuth', app);
    assert.equal((await settingsInArm()).authSettingsV2.platform?.enabled, false);
    await vscode.commands.executeCommand('workbench.mcp.restartServer', appId);
    await startMcpServersUntilTools();
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    assert.ok(await api.keyStore.get(app.resourceId), 'the key is back in SecretStorage');
  });
});
