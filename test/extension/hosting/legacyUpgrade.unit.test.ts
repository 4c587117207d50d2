// The upgrade of the older self-hosted forms to the current host.json (extension/hosting/legacyUpgrade.ts):
// what is proposed, exactly, and what of the user's file is kept.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planLegacyUpgrade, upgradeHostJson } from '../../../extension/hosting/legacyUpgrade';
import { fixtureProject } from '../../fixtures/fixtureProjects';

describe('legacy upgrade', () => {
  test('node-legacy: forwarding flag and empty route prefix go, the catch-all is removed, the bundle is kept', async () => {
    const plan = await planLegacyUpgrade(
      fixtureProject('node-legacy'),
      ['enableForwardingHttpRequest', 'mcpHandlerFunction', 'emptyRoutePrefix'],
      3000,
    );
    assert.equal(
      plan.hostJsonAfter,
      `{
  "version": "2.0",
  "configurationProfile": "mcp-custom-handler",
  "customHandler": {
    "description": {
      "defaultExecutablePath": "node",
      "arguments": ["server.js"]
    },
    "http": {
      "DefaultAuthorizationLevel": "function"
    },
    "port": "3000"
  },
  "extensionBundle": {
    "id": "Microsoft.Azure.Functions.ExtensionBundle",
    "version": "[4.*, 5.0.0)"
  }
}
`,
    );
    assert.deepEqual(plan.removals, ['mcp-handler/function.json']);
    assert.equal(plan.authorizationLevel, 'function');
  });

  test('other settings, comments and indentation are kept (objects edited are laid out anew); an existing level and port are not replaced', () => {
    const before = `{
    "version": "2.0",
    "logging": { "logLevel": { "default": "Warning" } },
    "extensions": {
        "http": { "routePrefix": "", "maxConcurrentRequests": 50 }
    },
    // the server reads FUNCTIONS_CUSTOMHANDLER_PORT
    "customHandler": {
        "description": { "defaultExecutablePath": "node", "arguments": ["index.js"] },
        "enableProxyingHttpRequest": true,
        "http": { "DefaultAuthorizationLevel": "anonymous" },
        "port": "7000"
    }
}
`;
    const after = upgradeHostJson(before, { port: 3000, authorizationLevel: 'function' });
    assert.equal(
      after,
      `{
    "version": "2.0",
    "configurationProfile": "mcp-custom-handler",
    "logging": { "logLevel": { "default": "Warning" } },
    "extensions": {
        "http": {
            "maxConcurrentRequests": 50
        }
    },
    // the server reads FUNCTIONS_CUSTOMHANDLER_PORT
    "customHandler": {
        "description": {
            "defaultExecutablePath": "node",
            "arguments": [
                "index.js"
            ]
        },
        "http": { "DefaultAuthorizationLevel": "anonymous" },
        "port": "7000"
    }
}
`,
    );
  });

  test('an anonymous catch-all keeps its level: anonymous', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const folder = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-legacy-'));
    try {
      writeFileSync(
        path.join(folder, 'host.json'),
        '{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"python","arguments":["server.py"]},"enableForwardingHttpRequest":true}}',
      );
      mkdirSync(path.join(folder, 'mcp-handler'));
      writeFileSync(
        path.join(folder, 'mcp-handler', 'function.json'),
        '{"bindings":[{"type":"httpTrigger","authLevel":"anonymous","route":"{*route}"}]}',
      );
      const plan = await planLegacyUpgrade(
        folder,
        ['enableForwardingHttpRequest', 'mcpHandlerFunction'],
        8000,
      );
      assert.equal(plan.authorizationLevel, 'anonymous');
      // A one-line host.json comes back laid out; what matters is what it says.
      assert.deepEqual(JSON.parse(plan.hostJsonAfter), {
        version: '2.0',
        configurationProfile: 'mcp-custom-handler',
        customHandler: {
          description: { defaultExecutablePath: 'python', arguments: ['server.py'] },
          http: { DefaultAuthorizationLevel: 'anonymous' },
          port: '8000',
        },
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
