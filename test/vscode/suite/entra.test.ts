import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testApi } from './support';
import type { RemoteServer } from '../../../extension/remote/remoteServers';
import type { SignInStep } from '../../../extension/auth/signInCheck';

// An app that already has Microsoft Entra sign-in on: the embedded host in Entra mode behind https,
// trusting the loopback fake of Entra; VS Code signs in through the test authentication provider.
// VS Code asks the user before an extension's first sign-in, and its test mode refuses that dialog,
// so the token step is where the chain stops here (plain-Node tests cover tokens end to end).
const server = JSON.parse(process.env.REMOTE_MCP_ENTRA_SERVER ?? '{}') as RemoteServer;

describe('Entra sign-in through the provider and the chain VS Code walks', () => {
  before(async () => {
    // VS Code waits only briefly for a provider to register; have it registered before the first ask.
    await vscode.extensions.getExtension('remote-mcp-tests.fake-entra-auth')?.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('remoteMcp.disconnect', server);
  });

  it('an Entra server is listed with neither key nor token until VS Code starts it', async () => {
    const api = await testApi();
    await api.registry.upsert(server);
    const definition = api.provider
      .provideMcpServerDefinitions()
      .find((d) => d.label === `${server.name} (Azure)`);
    assert.equal(definition?.uri.toString(), server.endpoint);
    assert.deepEqual(definition?.headers, {});
    const [node] = (await api.tree.getChildren()).filter((candidate) => candidate.id === server.resourceId);
    assert.equal(node?.description, 'connected · Entra sign-in');
  });

  it('Check Sign-in: the challenge, PRM, resource, authorization server and scopes pass; sign-in is asked of the configured provider', async () => {
    const api = await testApi();
    const steps = await vscode.commands.executeCommand<SignInStep[]>('remoteMcp.checkSignIn', server);
    assert.ok(steps, JSON.stringify(api.ui.shown.at(-1)));
    const status = Object.fromEntries(steps.map((step) => [step.id, step.status]));
    for (const id of ['challenge', 'resourceMetadata', 'resource', 'authorizationServer', 'scopes']) {
      assert.equal(status[id], 'pass', `${id}: ${JSON.stringify(steps.find((step) => step.id === id))}`);
    }
    // The consistency checks read the app's settings through (fake) ARM: all in order for this app.
    for (const id of ['webhookLevel', 'storedKey', 'allowedApplications', 'tenant']) {
      assert.equal(status[id], 'pass', `${id}: ${JSON.stringify(steps.find((step) => step.id === id))}`);
    }
    const token = steps.find((step) => step.id === 'token');
    assert.equal(token?.status, 'fail');
    assert.match(token?.detail ?? '', /Fake Entra \(tests\)/, 'the configured provider was asked');
    assert.ok(token?.fix, 'the failing step says how to fix it');
    assert.match(
      api.ui.shown.at(-1)?.message ?? '',
      new RegExp(`Sign-in check of ${server.name}: \\d+ problems? found`),
    );
    const report = vscode.workspace.textDocuments.find(
      (document) => document.languageId === 'markdown' && document.getText().includes(server.endpoint),
    );
    assert.ok(report, 'the report is open');
  });
});
