// The sign-in check against a self-hosted SDK server at /mcp (issue 13, point 5), over real HTTP: the
// node-self-hosted fixture behind a stand-in for App Service built-in auth and the Functions host's
// custom handler level (test/vscode/selfHostedEntraApp.ts), with tokens from the fake Entra.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CUSTOM_HANDLER_LEVEL_SETTING, WEBHOOK_LEVEL_SETTING } from '../../../extension/auth/entra';
import {
  checkSignIn,
  renderSignInReport,
  selfHostedLevelFix,
  selfHostedLevelTitle,
  signInStepTitles,
  type SignInCheckInput,
  type SignInConsistency,
  type SignInStep,
  type SignInStepId,
} from '../../../extension/auth/signInCheck';
import { startFakeEntra, VSCODE_CLIENT_ID, type FakeEntra } from '../../fakes/entra';
import {
  startBuiltInAuthFrontEnd,
  startNodeSelfHostedServer,
  type BuiltInAuthFrontEndOptions,
} from '../../vscode/selfHostedEntraApp';
import type { StartedProcess } from '../../support/processes';

const tenantId = '11111111-2222-3333-4444-555555555555';
const apiClientId = '99999999-8888-7777-6666-555555555555';
const identifierUri = `api://${apiClientId}`;
const scope = `${identifierUri}/user_impersonation`;
/** The fixture's tools (test/fixtures/projects/node-self-hosted/src/todos.ts). */
const fixtureTools = /add_todo/;

let entra: FakeEntra;
let backend: { port: number; process: StartedProcess };
const closers: (() => Promise<void>)[] = [];

before(async () => {
  [entra, backend] = await Promise.all([startFakeEntra({ tenantId }), startNodeSelfHostedServer()]);
});
after(async () => {
  await Promise.all(closers.map((close) => close()));
  await Promise.all([entra.close(), backend.process.stop()]);
});

async function frontEnd(options: Partial<BuiltInAuthFrontEndOptions> = {}) {
  const started = await startBuiltInAuthFrontEnd({
    entra,
    identifierUri,
    backendPort: backend.port,
    ...options,
  });
  closers.push(() => started.close());
  return started;
}

const getToken: SignInCheckInput['getToken'] = (scopes) =>
  entra.mintToken({ audience: identifierUri, scopes: scopes.map((s) => s.split('/').pop() ?? s) });

const consistency = (customHandlerLevel?: SignInConsistency['customHandlerLevel']): SignInConsistency => ({
  entraEnabled: true,
  keyStored: false,
  allowedApplications: [apiClientId, VSCODE_CLIENT_ID],
  allowedAudiences: [identifierUri],
  appTenantId: tenantId,
  ...(customHandlerLevel ? { customHandlerLevel } : {}),
});

function step(steps: SignInStep[], id: SignInStepId): SignInStep {
  const found = steps.find((s) => s.id === id);
  assert.ok(found, `step ${id}`);
  return found;
}

describe('Check Sign-in for a self-hosted server at /mcp', () => {
  test('the happy chain: every step passes, the fixture’s tools are listed, the level step is the custom handler’s', async () => {
    const app = await frontEnd();
    const mcpUrl = `${app.origin}/mcp`;
    const { steps } = await checkSignIn({
      mcpUrl,
      serverKind: 'selfHosted',
      getToken,
      consistency: consistency({ level: 'anonymous', source: 'host.json' }),
      expectedTenantId: tenantId,
    });
    for (const s of steps) assert.equal(s.status, 'pass', `${s.id}: ${s.detail}`);
    assert.match(step(steps, 'resourceMetadata').detail, /oauth-protected-resource/);
    assert.ok(step(steps, 'resource').detail.includes(mcpUrl));
    assert.match(step(steps, 'toolsList').detail, fixtureTools);
    assert.equal(step(steps, 'webhookLevel').title, selfHostedLevelTitle);
    assert.ok(
      !renderSignInReport(mcpUrl, steps).includes(signInStepTitles.webhookLevel),
      'no MCP webhook title',
    );
  });

  test('no resource_metadata in the challenge: the path-suffixed PRM for /mcp is tried first, then the root one', async () => {
    const app = await frontEnd({ challengeWithMetadata: false, prmPaths: ['root'] });
    const { steps } = await checkSignIn({ mcpUrl: `${app.origin}/mcp`, serverKind: 'selfHosted', getToken });
    const found = step(steps, 'resourceMetadata');
    assert.equal(found.status, 'pass', found.detail);
    // Built-in auth answers the path it does not serve like any other protected path (401).
    const suffixed = found.detail.indexOf(`${app.origin}/.well-known/oauth-protected-resource/mcp\` → 401`);
    const rootPrm = found.detail.indexOf(`${app.origin}/.well-known/oauth-protected-resource\` → 200`);
    assert.ok(suffixed >= 0 && rootPrm > suffixed, found.detail);
  });

  test('the self-hosted trap: built-in auth on and DefaultAuthorizationLevel function, explained with its fix', async () => {
    const app = await frontEnd({ level: () => 'function', functionKey: 'the-default-function-key-4821' });
    const mcpUrl = `${app.origin}/mcp`;
    const { steps } = await checkSignIn({
      mcpUrl,
      serverKind: 'selfHosted',
      getToken,
      consistency: consistency({ level: 'function', source: 'host.json' }),
    });
    // The sign-in itself works: challenge, PRM, token all pass.
    for (const id of ['challenge', 'resourceMetadata', 'resource', 'authorizationServer', 'token'] as const)
      assert.equal(step(steps, id).status, 'pass', `${id}: ${step(steps, id).detail}`);
    const initialize = step(steps, 'initialize');
    assert.equal(initialize.status, 'fail');
    assert.match(initialize.detail, /^401 with a valid token and no Bearer challenge/);
    assert.match(initialize.detail, /DefaultAuthorizationLevel is function/);
    assert.equal(initialize.fix, selfHostedLevelFix);
    assert.equal(step(steps, 'toolsList').status, 'skip');
    const level = step(steps, 'webhookLevel');
    assert.equal(level.status, 'fail');
    assert.match(level.detail, /DefaultAuthorizationLevel is function \(host\.json\)/);
    assert.ok(selfHostedLevelFix.includes('"DefaultAuthorizationLevel": "anonymous"'));
    assert.ok(selfHostedLevelFix.includes(CUSTOM_HANDLER_LEVEL_SETTING));
    // The MCP extension's trap is not what the user is told.
    const report = renderSignInReport(mcpUrl, steps);
    assert.ok(!report.includes(WEBHOOK_LEVEL_SETTING), 'no webhook-level setting');
    assert.ok(!report.includes('mcp_extension'), 'no system key');
    // The key itself opens it, which is what the trap means: the host, not the sign-in, refused.
    const token = await getToken([scope]);
    const withKey = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-functions-key': 'the-default-function-key-4821',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    assert.equal(withKey.status, 200);
    await withKey.body?.cancel();
  });

  test('an MCP extension app is told about its webhook level, never the custom handler’s', async () => {
    const { steps } = await checkSignIn({
      mcpUrl: 'http://127.0.0.1:9/runtime/webhooks/mcp',
      getToken,
      consistency: {
        entraEnabled: true,
        webhookAuthorizationLevel: 'System',
        customHandlerLevel: { level: 'function', source: 'host default' },
      },
    });
    const level = step(steps, 'webhookLevel');
    assert.equal(level.status, 'fail');
    assert.equal(level.title, signInStepTitles.webhookLevel);
    assert.match(level.detail, /MCP webhook level is System/);
    const report = renderSignInReport('http://127.0.0.1:9/runtime/webhooks/mcp', steps);
    assert.ok(!report.includes('DefaultAuthorizationLevel'), report);
  });
});
