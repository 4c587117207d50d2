// The gateway stand-in itself (test/fakes/apimGateway.ts), not the product: over https on loopback,
// in front of the real app of each kind (apimGatewayBackend.ts), it refuses what the policies refuse
// with their challenge, serves their PRM without a token, sends the app's key in place of the
// client's, streams answers, and answers APIM's 404 for what no operation matches.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { gatewayNamedValues, gatewayRoutes } from '../../shared/apiManagementGateway';
import {
  defaultGatewayAppId,
  operationNotFoundBody,
  resourceMetadataBody,
  startGatewayStandIn,
  type GatewayStandIn,
  type GatewayStandInOptions,
} from './apimGateway';
import { startGatewayBackend, type GatewayBackend } from './apimGatewayBackend';
import { startFakeEntra, type FakeEntra, type MintTokenOptions } from './entra';
import { loopbackCertificate } from './loopbackCertificate';

const appKey = 'mcp-extension-key-for-the-gateway';
const identifierUri = `api://${defaultGatewayAppId}`;

let entra: FakeEntra;
let ca: string;
const closers: (() => Promise<void>)[] = [];
before(async () => {
  entra = await startFakeEntra();
  ca = (await loopbackCertificate()).cert;
});
after(async () => {
  await Promise.all(closers.map((close) => close()));
  await entra.close();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One https request trusting the loopback certificate; `firstChunkOnly` stops at the first bytes of a stream. */
function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; firstChunkOnly?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (init.firstChunkOnly) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          res.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    request.on('error', reject);
    request.end(init.body);
  });
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'selftest', version: '1' } },
});
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function gateway(
  backend: GatewayBackend,
  options: Partial<GatewayStandInOptions> = {},
): Promise<GatewayStandIn> {
  const started = await startGatewayStandIn({
    entra,
    backendPort: backend.port,
    kind: 'functionsMcpExtension',
    functionKey: appKey,
    ...options,
  });
  closers.push(() => started.close());
  return started;
}

const token = (overrides: Partial<MintTokenOptions> = {}) =>
  entra.mintToken({ audience: defaultGatewayAppId, ...overrides });

describe('the gateway stand-in in front of a Functions MCP extension app', () => {
  let backend: GatewayBackend;
  before(async () => {
    backend = await startGatewayBackend({ kind: 'functionsMcpExtension', key: appKey });
    closers.push(() => backend.close());
  });

  test('no token, or one the policy refuses: 401 with the challenge naming the PRM URL, no body', async () => {
    const standIn = await gateway(backend);
    const prmUrl = standIn.namedValues[gatewayNamedValues.gatewayResourceMetadataUrl];
    assert.equal(prmUrl, `https://${standIn.hostName}${gatewayRoutes.resourceMetadata}`);
    const refused = {
      none: undefined,
      'another audience': await token({ audience: 'api://someone-else' }),
      'another client application': await token({ appId: '0f1e2d3c-0000-4000-8000-000000000001' }),
      'another tenant': await token({
        tenantId: '22222222-0000-4000-8000-000000000002',
        issuer: `${entra.origin}/22222222-0000-4000-8000-000000000002/v2.0`,
      }),
      expired: await token({ expiresInSeconds: -120 }),
      forged: await token({ signWith: 'untrusted' }),
      'no user_impersonation': await token({ scopes: ['Files.Read'] }),
    };
    for (const [why, jwt] of Object.entries(refused)) {
      const answer = await call(standIn.url, {
        method: 'POST',
        headers: { ...mcpHeaders, ...(jwt ? { authorization: `Bearer ${jwt}` } : {}) },
        body: initialize,
      });
      assert.equal(answer.status, 401, why);
      assert.equal(
        answer.headers['www-authenticate'],
        `Bearer error="invalid_token", resource_metadata="${prmUrl}"`,
        why,
      );
      assert.equal(answer.body, '', why);
    }
  });

  test('the PRM on both routes without a token, built from the named values; other methods on it: 404', async () => {
    const standIn = await gateway(backend);
    for (const route of [gatewayRoutes.resourceMetadata, gatewayRoutes.resourceMetadataRoot]) {
      const answer = await call(`https://${standIn.hostName}${route}`);
      assert.equal(answer.status, 200, route);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      assert.deepEqual(JSON.parse(answer.body), {
        resource: standIn.url,
        authorization_servers: [entra.issuer],
        bearer_methods_supported: ['header'],
        scopes_supported: [`${identifierUri}/user_impersonation`],
      });
    }
    const posted = await call(`https://${standIn.hostName}${gatewayRoutes.resourceMetadata}`, {
      method: 'POST',
    });
    assert.equal(posted.status, 404);
    assert.deepEqual(JSON.parse(posted.body), operationNotFoundBody);
  });

  test("a valid token (v2.0 audience or identifier URI): the app answers initialize, with the gateway's key in place of the client's", async () => {
    const standIn = await gateway(backend);
    for (const audience of [defaultGatewayAppId, identifierUri]) {
      const answer = await call(standIn.url, {
        method: 'POST',
        headers: {
          ...mcpHeaders,
          authorization: `Bearer ${await token({ audience })}`,
          'x-functions-key': 'a key the client made up',
        },
        body: initialize,
      });
      assert.equal(answer.status, 200, `${audience}: ${answer.body}`);
      assert.match(answer.body, /"serverInfo"/);
    }
  });

  test('the legacy SSE stream is relayed as it comes, not buffered', async () => {
    const standIn = await gateway(backend);
    const answer = await call(`https://${standIn.hostName}${gatewayRoutes.sse}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${await token()}` },
      firstChunkOnly: true,
    });
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /text\/event-stream/);
    assert.match(answer.body, /event: endpoint/);
  });

  test('paths that are no operation of the API: APIM\'s 404 "Resource not found"', async () => {
    const standIn = await gateway(backend);
    for (const path of ['/runtime/webhooks/mcp', '/', '/mcp/tools']) {
      const answer = await call(`https://${standIn.hostName}${path}`, {
        method: 'POST',
        headers: { ...mcpHeaders, authorization: `Bearer ${await token()}` },
        body: initialize,
      });
      assert.equal(answer.status, 404, path);
      assert.deepEqual(JSON.parse(answer.body), operationNotFoundBody, path);
    }
  });

  test('misconfigurations: no mcp operation → 404 for a valid token; a stale key → the app’s own 401; a wrong mcp-gateway-url → the PRM names it', async () => {
    const withoutOperation = await gateway(backend, {
      missingOperations: ['mcpPost', 'mcpGet', 'mcpDelete'],
    });
    const missing = await call(withoutOperation.url, {
      method: 'POST',
      headers: { ...mcpHeaders, authorization: `Bearer ${await token()}` },
      body: initialize,
    });
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), operationNotFoundBody);

    const staleKey = await gateway(backend, {
      namedValues: { [gatewayNamedValues.functionKey]: 'rotated away' },
    });
    const refused = await call(staleKey.url, {
      method: 'POST',
      headers: { ...mcpHeaders, authorization: `Bearer ${await token()}` },
      body: initialize,
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['www-authenticate'], undefined);
    assert.match(refused.body, /key/i);
    // Provisioning again writes the app's current key: the same gateway lets the request through.
    staleKey.namedValues[gatewayNamedValues.functionKey] = appKey;
    const refreshed = await call(staleKey.url, {
      method: 'POST',
      headers: { ...mcpHeaders, authorization: `Bearer ${await token()}` },
      body: initialize,
    });
    assert.equal(refreshed.status, 200);

    const customDomain = 'https://mcp.contoso.example/mcp';
    const wrongUrl = await gateway(backend, {
      namedValues: { [gatewayNamedValues.gatewayUrl]: customDomain },
    });
    const prm = await call(`https://${wrongUrl.hostName}${gatewayRoutes.resourceMetadata}`);
    assert.equal((JSON.parse(prm.body) as { resource: string }).resource, customDomain);
    assert.deepEqual(JSON.parse(prm.body), resourceMetadataBody(wrongUrl.namedValues));
  });
});

describe('the gateway stand-in in front of a self-hosted server', () => {
  let backend: GatewayBackend;
  before(async () => {
    backend = await startGatewayBackend({ kind: 'selfHosted', key: appKey });
    closers.push(() => backend.close());
  });

  test("/mcp reaches the server's /mcp with the default key; the extension's SSE routes are no operations", async () => {
    const standIn = await gateway(backend, { kind: 'selfHosted' });
    const answer = await call(standIn.url, {
      method: 'POST',
      headers: { ...mcpHeaders, authorization: `Bearer ${await token()}` },
      body: initialize,
    });
    assert.equal(answer.status, 200, answer.body);
    assert.match(answer.body, /"serverInfo"/);
    const sse = await call(`https://${standIn.hostName}${gatewayRoutes.sse}`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    assert.equal(sse.status, 404);
  });
});
