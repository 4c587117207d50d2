// The embedded host in Entra mode (MCP_AUTH_*), against the loopback fake of the Microsoft identity
// platform: bearer tokens required and checked (signature, issuer, audience, expiry), the RFC 9728
// challenge, and Protected Resource Metadata whose resource is the MCP URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../../server/src/tools';
import http from 'node:http';
import { SignJWT } from 'jose';
import { connectClient, firstText, type TransportKind } from '../../../support/mcpClients';
import { startTestHost } from '../../../support/embeddedHost';
import { startToolEnvironment, type ToolEnvironment } from '../../../support/toolEnvironment';
import { startFakeEntra, type FakeEntra } from '../../../fakes/entra';
import { startTlsProxy, type TlsProxy } from '../../../fakes/tlsProxy';
import { loopbackCertificate } from '../../../fakes/loopbackCertificate';
import type { RunningEmbeddedHost } from '../../../../server/src/hosts/embedded/startEmbeddedHost';
import type { EntraAuthSettings } from '../../../../server/src/hosts/embedded/entraAuth';
import { httpStatus, httpsRequest, initializeBody, post, request } from '../../../support/rawHttp';

const tenantId = '11111111-2222-3333-4444-555555555555';
const apiClientId = '99999999-8888-7777-6666-555555555555';
const audience = `api://${apiClientId}`;
const scope = `${audience}/user_impersonation`;
// The catalogue's names are pinned in test/server/tools/catalogue.unit.test.ts; here the host must
// serve them all.
const toolNames = catalogue.map((tool) => tool.name).sort();

let environment: ToolEnvironment;
let entra: FakeEntra;
let host: RunningEmbeddedHost;
let origin: string;

function authSettings(overrides: Partial<EntraAuthSettings> = {}): EntraAuthSettings {
  return {
    issuer: entra.issuer,
    audiences: [audience],
    jwksUrl: entra.jwksUrl,
    scopes: [scope],
    trustForwardedProto: false,
    ...overrides,
  };
}

before(async () => {
  [environment, entra] = await Promise.all([startToolEnvironment(), startFakeEntra({ tenantId })]);
  host = await startTestHost(environment.deps, { auth: authSettings() });
  origin = new URL(host.mcpUrl).origin;
});
after(async () => {
  await host.close();
  await Promise.all([environment.close(), entra.close()]);
});

for (const kind of ['streamable-http', 'sse'] as TransportKind[]) {
  test(`${kind}: the SDK client with a token from the issuer lists and calls the tools`, async () => {
    const token = await entra.mintToken({ audience });
    const client = await connectClient(host.mcpUrl, kind, { authorization: `Bearer ${token}` });
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), toolNames);
    assert.equal(
      firstText(await client.callTool({ name: 'hello_mcp', arguments: {} })),
      'Hello I am MCP Tool!',
    );
    await client.close();
  });

  test(`${kind}: no token is refused with 401`, async () => {
    await assert.rejects(connectClient(host.mcpUrl, kind), httpStatus(401));
  });
}

test('the keys come from the issuer JWKS URL', () => {
  assert.ok(entra.requests.some((r) => r.method === 'GET' && r.path === new URL(entra.jwksUrl).pathname));
});

describe('the challenge', () => {
  test('no Authorization header: 401 with exactly Bearer resource_metadata, no error code (RFC 6750 §3.1)', async () => {
    const response = await post(host.mcpUrl, initializeBody);
    assert.equal(response.status, 401);
    assert.equal(
      response.headers['www-authenticate'],
      `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/runtime/webhooks/mcp"`,
    );
    const body = JSON.parse(response.body) as { jsonrpc: string; error: { message: string } };
    assert.equal(body.jsonrpc, '2.0');
    assert.match(body.error.message, /Entra sign-in/);
  });

  test('a function key instead of a token gets the same challenge, and the key does not let it in', async () => {
    const attempts: Record<string, string>[] = [
      { 'x-functions-key': 'some-key' },
      { authorization: 'Basic dXNlcjpwYXNz' },
    ];
    for (const headers of attempts) {
      const response = await post(host.mcpUrl, initializeBody, headers);
      assert.equal(response.status, 401);
      assert.doesNotMatch(response.headers['www-authenticate'] ?? '', /error=/);
    }
    const withCode = await post(`${host.mcpUrl}?code=some-key`, initializeBody);
    assert.equal(withCode.status, 401);
  });

  test('the SSE routes are guarded too', async () => {
    const stream = await request(`${host.mcpUrl}/sse`, 'GET');
    assert.equal(stream.status, 401);
    assert.match(stream.headers['www-authenticate'] ?? '', /^Bearer resource_metadata="/);
    const message = await post(`${host.mcpUrl}/message?sessionId=x`, initializeBody);
    assert.equal(message.status, 401);
  });

  test('the host status route needs no token', async () => {
    const response = await request(`${origin}/admin/host/status`, 'GET');
    assert.equal(response.status, 200);
  });
});

describe('tokens that are refused with 401 invalid_token', () => {
  const cases: { name: string; token: () => Promise<string>; description: RegExp }[] = [
    {
      name: 'expired',
      token: () => entra.mintToken({ audience, expiresInSeconds: -120 }),
      description: /has expired/,
    },
    {
      name: 'for another audience',
      token: () => entra.mintToken({ audience: 'api://some-other-api' }),
      description: /another audience \(aud\)/,
    },
    {
      name: 'from another issuer',
      token: () => entra.mintToken({ audience, issuer: 'https://login.microsoftonline.com/other/v2.0' }),
      description: /another issuer \(iss\)/,
    },
    {
      name: 'signed with a key the issuer does not publish',
      token: () => entra.mintToken({ audience, signWith: 'untrusted' }),
      description: /signature is not valid/,
    },
    {
      name: 'signed with HS256 instead of RS256',
      token: () =>
        new SignJWT({ aud: audience, iss: entra.issuer })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough')),
      description: /not signed with RS256/,
    },
    { name: 'malformed', token: () => Promise.resolve('not-a-jwt'), description: /not a well-formed/ },
    {
      // The signature is checked before the payload is read.
      name: 'three segments with a made-up signature',
      token: () => Promise.resolve('eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln'),
      description: /signature is not valid/,
    },
  ];

  for (const { name, token, description } of cases) {
    test(name, async () => {
      const value = await token();
      const response = await post(host.mcpUrl, initializeBody, { authorization: `Bearer ${value}` });
      assert.equal(response.status, 401);
      const header = response.headers['www-authenticate'] ?? '';
      const prefix = `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/runtime/webhooks/mcp", error="invalid_token", error_description="`;
      assert.ok(header.startsWith(prefix), header);
      assert.match(header, /"$/);
      assert.match(header.slice(prefix.length), description);
      const body = JSON.parse(response.body) as { error: { message: string } };
      assert.match(body.error.message, description);
      assert.doesNotMatch(response.body, /\n\s+at |ERR_J|JWT[A-Z]|node_modules/);
      assert.ok(!response.body.includes(value) && !header.includes(value), 'the token is not echoed');
    });
  }

  test('"Bearer" with no token, or two', async () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b']) {
      const response = await post(host.mcpUrl, initializeBody, { authorization });
      assert.equal(response.status, 401, authorization);
      assert.match(response.headers['www-authenticate'] ?? '', /error="invalid_token"/);
    }
  });

  test('the scheme name is case-insensitive', async () => {
    const token = await entra.mintToken({ audience });
    const response = await post(host.mcpUrl, initializeBody, { authorization: `bearer ${token}` });
    assert.equal(response.status, 200);
  });
});

describe('Protected Resource Metadata', () => {
  for (const path of [
    '/.well-known/oauth-protected-resource/runtime/webhooks/mcp',
    '/.well-known/oauth-protected-resource',
  ]) {
    test(`served at ${path} with resource equal to the MCP URL`, async () => {
      const response = await request(`${origin}${path}`, 'GET');
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /application\/json/);
      assert.deepEqual(JSON.parse(response.body), {
        resource: host.mcpUrl,
        authorization_servers: [entra.issuer],
        scopes_supported: [scope],
        bearer_methods_supported: ['header'],
      });
    });
  }

  test('no authorization server metadata at the resource origin, as with Entra', async () => {
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-authorization-server/runtime/webhooks/mcp',
      '/.well-known/openid-configuration',
      '/.well-known/openid-configuration/runtime/webhooks/mcp',
    ]) {
      assert.equal((await request(`${origin}${path}`, 'GET')).status, 404, path);
    }
  });

  test('the issuer publishes OpenID configuration only after its path, and no OAuth metadata', async () => {
    const configuration = await request(entra.openIdConfigurationUrl, 'GET');
    assert.equal(configuration.status, 200);
    const body = JSON.parse(configuration.body) as Record<string, unknown>;
    assert.equal(body.issuer, entra.issuer);
    assert.equal(body.jwks_uri, entra.jwksUrl);
    const issuerPath = new URL(entra.issuer).pathname;
    for (const path of [
      `/.well-known/oauth-authorization-server${issuerPath}`,
      `/.well-known/openid-configuration${issuerPath}`,
      '/.well-known/oauth-authorization-server',
      `${issuerPath}/.well-known/oauth-authorization-server`,
    ]) {
      assert.equal((await request(`${entra.origin}${path}`, 'GET')).status, 404, path);
    }
  });

  test('X-Forwarded-Proto is ignored unless MCP_TRUST_PROXY is set', async () => {
    const response = await request(`${origin}/.well-known/oauth-protected-resource`, 'GET', undefined, {
      'x-forwarded-proto': 'https',
    });
    assert.equal((JSON.parse(response.body) as { resource: string }).resource, host.mcpUrl);
  });
});

describe('behind a TLS front end with MCP_TRUST_PROXY=1', () => {
  let proxied: RunningEmbeddedHost;
  let proxy: TlsProxy;
  let ca: string;
  before(async () => {
    proxied = await startTestHost(environment.deps, { auth: authSettings({ trustForwardedProto: true }) });
    proxy = await startTlsProxy(() => proxied.port);
    ca = (await loopbackCertificate()).cert;
  });
  after(async () => {
    await proxy.close();
    await proxied.close();
  });

  test('the challenge and the PRM name the https URL', async () => {
    const forwarded = { 'x-forwarded-proto': 'https' };
    const challenge = await httpsRequest(
      `https://${proxy.hostName}/runtime/webhooks/mcp`,
      'POST',
      ca,
      initializeBody,
      {
        ...forwarded,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
    );
    assert.equal(challenge.status, 401);
    assert.equal(
      challenge.headers['www-authenticate'],
      `Bearer resource_metadata="https://${proxy.hostName}/.well-known/oauth-protected-resource/runtime/webhooks/mcp"`,
    );
    const prm = await httpsRequest(
      `https://${proxy.hostName}/.well-known/oauth-protected-resource/runtime/webhooks/mcp`,
      'GET',
      ca,
      undefined,
      forwarded,
    );
    assert.equal(
      (JSON.parse(prm.body) as { resource: string }).resource,
      `https://${proxy.hostName}/runtime/webhooks/mcp`,
    );
  });
});

test('when the signing keys cannot be fetched: 503, not invalid_token, and the log says why', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as { port: number };
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const broken = await startTestHost(environment.deps, {
    auth: authSettings({ jwksUrl: `http://127.0.0.1:${port}/keys` }),
  });
  try {
    const token = await entra.mintToken({ audience });
    const response = await post(broken.mcpUrl, initializeBody, { authorization: `Bearer ${token}` });
    assert.equal(response.status, 503);
    assert.equal(response.headers['www-authenticate'], undefined);
    assert.doesNotMatch(response.body, /\n\s+at /);
    assert.ok(environment.log.lines.some((line) => line.includes('MCP_AUTH_JWKS_URL')));
  } finally {
    await broken.close();
  }
});
