// Connect's picker entries (connectChoices in extension/remote/remoteCommands.ts): one per server, two
// for a server with an API Management gateway, the gateway first, each naming how it signs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectChoices } from '../../../extension/remote/remoteCommands';
import { mcpEndpoint, type RemoteServer } from '../../../extension/remote/remoteServers';

const app: RemoteServer = {
  resourceId: '/subscriptions/s/resourceGroups/rg-dev/providers/Microsoft.Web/sites/func-api',
  name: 'func-api',
  hostName: 'func-api.azurewebsites.net',
  endpoint: mcpEndpoint('func-api.azurewebsites.net'),
  kind: 'functionsMcpExtension',
  subscriptionId: 's',
  resourceGroup: 'rg-dev',
  environment: 'dev',
};
const gatewayUrl = 'https://apim-api.azure-api.net/mcp';
const summary = (server: RemoteServer) =>
  connectChoices(server).map((choice) => [
    choice.label,
    choice.description,
    choice.detail,
    choice.value.door,
  ]);

test('a server without a gateway: one entry, its endpoint, the app door', () => {
  assert.deepEqual(summary(app), [['func-api', 'azd environment dev', app.endpoint, 'app']]);
});

test('with a gateway: "via API Management" first (Entra, no key here), then the app endpoint with its key', () => {
  assert.deepEqual(summary({ ...app, gateway: { endpoint: gatewayUrl } }), [
    [
      'func-api via API Management',
      'azd environment dev',
      `${gatewayUrl} · Microsoft Entra sign-in, no key on this machine`,
      'gateway',
    ],
    ['func-api — app endpoint', 'azd environment dev', `${app.endpoint} · its MCP extension key`, 'app'],
  ]);
});

test('the app entry of a self-hosted server names the function key; with built-in auth, Entra', () => {
  const selfHosted = {
    ...app,
    kind: 'selfHosted' as const,
    endpoint: mcpEndpoint(app.hostName, 'selfHosted'),
  };
  assert.equal(
    connectChoices({ ...selfHosted, gateway: { endpoint: gatewayUrl } })[1]?.detail,
    `${selfHosted.endpoint} · its function key`,
  );
  const builtIn = {
    ...app,
    gateway: { endpoint: gatewayUrl },
    auth: { mode: 'entra' as const, scopes: ['api://x/user_impersonation'] },
  };
  assert.equal(
    connectChoices(builtIn)[1]?.detail,
    `${app.endpoint} · Microsoft Entra sign-in (built-in auth)`,
  );
});
