// The azd environment's values as the extension reads them (extension/deploy/azdOutputs.ts,
// remoteServerFromEnvValues in deployCommand.ts): the deployed app, its sign-in, and the API
// Management gateway in front of it when the environment turned one on (APIM_ENABLED).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayOutputs } from '../../../extension/deploy/azdOutputs';
import { remoteServerFromEnvValues } from '../../../extension/deploy/deployCommand';

const tenant = '99999999-8888-7777-6666-555555555555';
const provisioned: Record<string, string> = {
  AZURE_ENV_NAME: 'dev',
  AZURE_LOCATION: 'westus3',
  AZURE_SUBSCRIPTION_ID: '11111111-2222-3333-4444-555555555555',
  AZURE_RESOURCE_GROUP: 'rg-dev',
  AZURE_TENANT_ID: tenant,
  AZURE_FUNCTION_NAME: 'func-api-abc',
  SERVICE_API_DEFAULT_HOSTNAME: 'func-api-abc.azurewebsites.net',
};
const gatewayUrl = 'https://apim-abc.azure-api.net/mcp';
const withGateway = {
  ...provisioned,
  APIM_ENABLED: 'true',
  SERVICE_MCP_GATEWAY_URL: gatewayUrl,
  // With the gateway the app registration exists even though built-in auth stays off.
  AUTH_ENABLED: 'false',
  ENTRA_APPLICATION_ID: '0e5a1c2d-3b4f-4a6e-8d7c-9f0a1b2c3d4e',
  ENTRA_IDENTIFIER_URI: `api://${tenant}/remote-mcp-abc`,
};

describe('the gateway an azd environment describes', () => {
  test('APIM_ENABLED=true and an https gateway URL: the server has the gateway; its app endpoint takes the key', () => {
    const server = remoteServerFromEnvValues(withGateway);
    assert.deepEqual(
      server.gateway,
      { endpoint: gatewayUrl, scopes: [`api://${tenant}/remote-mcp-abc/user_impersonation`] },
      "the gateway's PRM scope, for the status view's silent sign-in",
    );
    assert.equal(server.endpoint, 'https://func-api-abc.azurewebsites.net/runtime/webhooks/mcp');
    assert.equal(server.auth, undefined, 'AUTH_ENABLED is off: the app endpoint signs in with its key');
    assert.equal(server.via, undefined, 'which door is for Connect to say');
    assert.equal(server.tenantId, tenant);
  });

  test('with built-in auth on as well, the app endpoint signs in with Entra; the gateway stays', () => {
    const server = remoteServerFromEnvValues({ ...withGateway, AUTH_ENABLED: 'true' }, 'selfHosted');
    assert.equal(server.gateway?.endpoint, gatewayUrl);
    assert.equal(server.endpoint, 'https://func-api-abc.azurewebsites.net/mcp');
    assert.deepEqual(server.auth, {
      mode: 'entra',
      scopes: [`api://${tenant}/remote-mcp-abc/user_impersonation`],
      tenantId: tenant,
      clientId: '0e5a1c2d-3b4f-4a6e-8d7c-9f0a1b2c3d4e',
    });
  });

  test('no gateway without APIM_ENABLED=true, whatever URL is left in the environment', () => {
    for (const enabled of [undefined, 'false', '']) {
      const values = { ...withGateway, APIM_ENABLED: enabled as string };
      if (enabled === undefined) delete (values as Record<string, string | undefined>).APIM_ENABLED;
      assert.equal(remoteServerFromEnvValues(values).gateway, undefined, String(enabled));
      assert.deepEqual(gatewayOutputs(values), {}, 'nothing to report either');
    }
  });

  test('APIM_ENABLED=true without a usable URL: no gateway, and a reason that names the fix', () => {
    const missing = { ...withGateway, SERVICE_MCP_GATEWAY_URL: '' };
    assert.equal(remoteServerFromEnvValues(missing).gateway, undefined);
    assert.match(
      gatewayOutputs(missing).problem ?? '',
      /^The azd environment dev has APIM_ENABLED=true but no SERVICE_MCP_GATEWAY_URL: .*"Remote MCP: Enable API Management"/,
    );
    for (const url of ['http://apim-abc.azure-api.net/mcp', 'not a url']) {
      const values = { ...withGateway, SERVICE_MCP_GATEWAY_URL: url };
      assert.equal(remoteServerFromEnvValues(values).gateway, undefined, url);
      assert.match(gatewayOutputs(values).problem ?? '', /is not an https URL: the gateway is not used/, url);
    }
  });
});
