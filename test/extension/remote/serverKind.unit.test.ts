// extension/remote/serverKind.ts and the kind's part of remoteServers.ts: the feature flag as the
// Functions host reads it, the key of each kind, and the endpoint each kind answers at.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mcpEndpoint, withKind, type RemoteServer } from '../../../extension/remote/remoteServers';
import { hasMcpCustomHandlerFlag, mcpKeySpecOf } from '../../../extension/remote/serverKind';

describe('the kind of a deployed app', () => {
  test('the endpoint: /mcp for a self-hosted server, the webhook otherwise (and for a server without a kind)', () => {
    assert.equal(mcpEndpoint('app.azurewebsites.net', 'selfHosted'), 'https://app.azurewebsites.net/mcp');
    assert.equal(
      mcpEndpoint('app.azurewebsites.net', 'functionsMcpExtension'),
      'https://app.azurewebsites.net/runtime/webhooks/mcp',
    );
    assert.equal(mcpEndpoint('app.azurewebsites.net'), 'https://app.azurewebsites.net/runtime/webhooks/mcp');
  });

  test('withKind keeps the origin of the endpoint and changes its path', () => {
    const server: RemoteServer = {
      resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app',
      name: 'app',
      hostName: 'app.azurewebsites.net',
      endpoint: 'https://app.azurewebsites.net/runtime/webhooks/mcp',
      subscriptionId: 's',
      resourceGroup: 'rg',
    };
    assert.deepEqual(withKind(server, 'selfHosted'), {
      ...server,
      kind: 'selfHosted',
      endpoint: 'https://app.azurewebsites.net/mcp',
    });
    const custom = { ...server, endpoint: 'https://app.contoso.com:8443/runtime/webhooks/mcp' };
    assert.equal(withKind(custom, 'selfHosted').endpoint, 'https://app.contoso.com:8443/mcp');
    assert.equal(withKind(withKind(custom, 'selfHosted'), 'functionsMcpExtension').endpoint, custom.endpoint);
  });

  test('the key: the mcp_extension system key, or the default function key', () => {
    assert.deepEqual(mcpKeySpecOf({ kind: 'selfHosted' }), {
      section: 'functionKeys',
      name: 'default',
      label: 'function key',
      technicalName: 'default function key',
    });
    assert.equal(mcpKeySpecOf({}).section, 'systemKeys');
    assert.equal(mcpKeySpecOf({}).name, 'mcp_extension');
    assert.equal(mcpKeySpecOf({ kind: 'functionsMcpExtension' }).label, 'MCP extension key');
  });

  test('the feature flag: one token of a comma-separated list, any case, any spacing; only that flag', () => {
    assert.ok(hasMcpCustomHandlerFlag({ AzureWebJobsFeatureFlags: 'EnableMcpCustomHandlerPreview' }));
    assert.ok(
      hasMcpCustomHandlerFlag({
        azurewebjobsfeatureflags: 'EnableWorkerIndexing , enablemcpcustomhandlerpreview',
      }),
    );
    assert.ok(!hasMcpCustomHandlerFlag({ AzureWebJobsFeatureFlags: 'EnableWorkerIndexing' }));
    assert.ok(!hasMcpCustomHandlerFlag({ AzureWebJobsFeatureFlags: 'EnableMcpCustomHandlerPreviewX' }));
    assert.ok(!hasMcpCustomHandlerFlag({ OTHER: 'EnableMcpCustomHandlerPreview' }));
    assert.ok(!hasMcpCustomHandlerFlag({}));
  });
});
