import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { requestScreenshot } from '../../vscode/harness/mochaInHost';
import { eventually, fakeEntra, testApi } from '../../vscode/suite/support';
import type { RemoteServer } from '../../../extension/remote/remoteServers';
import type { SignInStep } from '../../../extension/auth/signInCheck';

// The Entra path of a self-hosted MCP SDK server (issue 13): the node-self-hosted fixture behind a
// stand-in for App Service built-in auth (test/vscode/selfHostedEntraApp.ts), served at
// https://<host>/mcp. VS Code signs in through the test authentication provider, lists the fixture's
// own tools and calls one; no key is fetched or stored for the server.
const server = JSON.parse(process.env.REMOTE_MCP_SELF_HOSTED_ENTRA_SERVER ?? '{}') as RemoteServer;
const apiScope = server.auth?.mode === 'entra' ? server.auth.scopes[0] : undefined;
/** The fixture's tools (test/fixtures/projects/node-self-hosted/src/todos.ts), not the bundled catalogue's. */
const fixtureToolNames = ['add_todo', 'list_todos'];

function fixtureTools(): vscode.LanguageModelToolInformation[] {
  return vscode.lm.tools.filter(
    (tool) =>
      tool.tags.includes('mcp') &&
      fixtureToolNames.some((name) => tool.name.toLowerCase().endsWith(`_${name}`)),
  );
}

async function invokeFixtureTool(name: string, input: Record<string, unknown>): Promise<string> {
  const tool = fixtureTools().find((candidate) => candidate.name.toLowerCase().endsWith(`_${name}`));
  assert.ok(tool, `a tool ending in _${name}; tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
  const result = await vscode.lm.invokeTool(tool.name, { input, toolInvocationToken: undefined });
  return result.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
    .join('');
}

describe('A self-hosted SDK server behind built-in auth: VS Code signs in at /mcp, no key anywhere', () => {
  before(async () => {
    // VS Code waits only briefly for a provider to register; have it registered before the first ask.
    await fakeEntra();
  });

  after(async () => {
    await vscode.commands.executeCommand('remoteMcp.disconnect', server);
    await eventually('the fixture tools to disappear', () => fixtureTools().length === 0);
  });

  it('Connect: VS Code signs in, lists the fixture’s tools and calls one', async () => {
    const api = await testApi();
    assert.equal(server.endpoint, `https://${server.hostName}/mcp`);
    await vscode.commands.executeCommand('remoteMcp.connect', server);
    const definition = api.provider
      .provideMcpServerDefinitions()
      .find((d) => d.label === `${server.name} (Azure)`);
    assert.equal(definition?.uri.toString(), server.endpoint);
    assert.deepEqual(definition?.headers, {}, 'no key header');

    const tools = await eventually(
      'the fixture tools in vscode.lm.tools',
      async () => {
        await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
        const found = fixtureTools();
        return found.length === fixtureToolNames.length ? found : undefined;
      },
      60_000,
    );
    assert.equal(tools.length, fixtureToolNames.length);
    assert.match(
      await invokeFixtureTool('add_todo', { title: 'Water the plants' }),
      /^Added #\d+: Water the plants$/,
    );
    assert.match(await invokeFixtureTool('list_todos', {}), /Water the plants/);

    const token = (await fakeEntra()).issuedTokens.at(-1);
    assert.ok(token, 'the token came from the test authentication provider');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      aud: string;
    };
    assert.equal(`${claims.aud}/user_impersonation`, apiScope);
    assert.equal(await api.keyStore.get(server.resourceId), undefined, 'no key in SecretStorage');
    await requestScreenshot('self-hosted-entra-connected');
  });

  it('Check Sign-in walks the chain at /mcp and checks the custom handler level, not the MCP webhook', async () => {
    const api = await testApi();
    const steps = await vscode.commands.executeCommand<SignInStep[]>('remoteMcp.checkSignIn', server);
    assert.ok(steps, JSON.stringify(api.ui.shown.at(-1)));
    assert.deepEqual(
      steps.filter((step) => step.status !== 'pass'),
      [],
      'no step fails or warns',
    );
    const level = steps.find((step) => step.id === 'webhookLevel');
    assert.equal(level?.title, 'Custom handler authorization level fits Entra sign-in');
    assert.match(level?.detail ?? '', /anonymous \(app setting\)/);
    assert.match(steps.find((step) => step.id === 'toolsList')?.detail ?? '', /add_todo/);
    assert.equal(await api.keyStore.get(server.resourceId), undefined, 'still no key');
  });
});
