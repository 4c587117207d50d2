// What VS Code's MCP client is handed when it starts a remote server (extension/provider/remoteConnection.ts):
// the key or a bearer token, a quiet stop when the user dismisses sign-in, and a shown, logged reason
// for any other failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError, UserFacingError } from '../../../extension/common/errors';
import {
  remoteConnectionHeaders,
  type RemoteConnectionDeps,
} from '../../../extension/provider/remoteConnection';
import type { RemoteServer } from '../../../extension/remote/remoteServers';
import { RecordingUi, recordingLog } from '../../support/recordingUi';

const base: RemoteServer = {
  resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-api',
  name: 'func-api',
  hostName: 'func-api.azurewebsites.net',
  endpoint: 'https://func-api.azurewebsites.net/runtime/webhooks/mcp',
  subscriptionId: 's',
  resourceGroup: 'rg',
  tenantId: 'home-tenant',
  connected: true,
};
const entraServer: RemoteServer = {
  ...base,
  auth: { mode: 'entra', scopes: ['api://func-api/user_impersonation'], clientId: 'c' },
};

function deps(parts: Partial<Pick<RemoteConnectionDeps, 'keys' | 'tokens'>>) {
  const ui = new RecordingUi();
  const log = recordingLog();
  const asked: { scopes: string[]; tenantId: string | undefined; interactive: boolean }[] = [];
  const all: RemoteConnectionDeps = {
    keys: parts.keys ?? { keyForConnection: () => Promise.reject(new Error('no key expected')) },
    tokens:
      parts.tokens ??
      ((scopes, tenantId, interactive) => {
        asked.push({ scopes, tenantId, interactive });
        return Promise.resolve('token-abc');
      }),
    ui,
    log,
  };
  return { all, ui, log, asked };
}

test('a key-mode server gets its function key, and no token is asked for', async () => {
  const { all, asked } = deps({ keys: { keyForConnection: () => Promise.resolve('key-123') } });
  assert.deepEqual(await remoteConnectionHeaders(base, all), { 'x-functions-key': 'key-123' });
  assert.equal(asked.length, 0);
});

test('an Entra server gets a bearer token for its scopes in its tenant, with sign-in allowed', async () => {
  const { all, asked } = deps({});
  assert.deepEqual(await remoteConnectionHeaders(entraServer, all), { Authorization: 'Bearer token-abc' });
  assert.deepEqual(asked, [
    { scopes: ['api://func-api/user_impersonation'], tenantId: 'home-tenant', interactive: true },
  ]);
});

test('an Entra server without a known scope is left to VS Code, which signs in through its PRM', async () => {
  const { all, asked } = deps({});
  const server: RemoteServer = { ...base, auth: { mode: 'entra', scopes: [] } };
  assert.deepEqual(await remoteConnectionHeaders(server, all), {});
  assert.equal(asked.length, 0);
});

test('a dismissed sign-in stops the start quietly: nothing shown, nothing logged as an error', async () => {
  const { all, ui, log } = deps({ tokens: () => Promise.reject(new CancelledError()) });
  assert.equal(await remoteConnectionHeaders(entraServer, all), undefined);
  assert.deepEqual(ui.shown, []);
  assert.deepEqual(
    log.lines.filter((line) => line.startsWith('error')),
    [],
  );
});

test('a failed sign-in stops the start and says why, naming the server', async () => {
  const { all, ui, log } = deps({
    tokens: () => Promise.reject(new Error('AADSTS50020: user not in tenant')),
  });
  assert.equal(await remoteConnectionHeaders(entraServer, all), undefined);
  assert.deepEqual(ui.shown, [
    {
      severity: 'error',
      message: 'Could not connect to func-api: AADSTS50020: user not in tenant',
      actions: [],
    },
  ]);
  assert.ok(log.lines.some((line) => line.startsWith('error: Could not connect to func-api')));
});

test('a key that cannot be had is shown with its own fix buttons', async () => {
  const refusal = new UserFacingError('The key of func-api was refused twice.', [
    { title: 'Fetch Key', run: () => undefined },
  ]);
  const { all, ui } = deps({ keys: { keyForConnection: () => Promise.reject(refusal) } });
  assert.equal(await remoteConnectionHeaders(base, all), undefined);
  assert.deepEqual(ui.shown, [
    { severity: 'error', message: 'The key of func-api was refused twice.', actions: ['Fetch Key'] },
  ]);
});

test('connected through API Management: no header and no key, whatever the server remembers of its app', async () => {
  const { all, asked } = deps({});
  const gateway = { endpoint: 'https://apim-func-api.azure-api.net/mcp' };
  const throughGateway: RemoteServer = {
    ...base,
    gateway,
    via: 'gateway',
    auth: { mode: 'entra', scopes: [], tenantId: 'home-tenant' },
  };
  assert.deepEqual(await remoteConnectionHeaders(throughGateway, all), {});
  // Even a key-mode auth left from the app endpoint is not used at the gateway (`deps` fails any key fetch).
  assert.deepEqual(await remoteConnectionHeaders({ ...throughGateway, auth: { mode: 'key' } }, all), {});
  assert.equal(asked.length, 0);
  // The same server connected to its app endpoint gets its key again.
  const keyed = deps({ keys: { keyForConnection: () => Promise.resolve('key-123') } });
  assert.deepEqual(await remoteConnectionHeaders({ ...base, gateway, via: 'app' }, keyed.all), {
    'x-functions-key': 'key-123',
  });
});
