// checkSignIn walks VS Code's Entra sign-in chain against the embedded host in Entra mode with the
// fake identity platform, and against tiny servers that each break one link.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../server/src/tools';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildDiscoveryUrls } from '@modelcontextprotocol/sdk/client/auth.js';
import { startTestHost } from '../../support/embeddedHost';
import { startToolEnvironment, type ToolEnvironment } from '../../support/toolEnvironment';
import { startFakeEntra, VSCODE_CLIENT_ID, type FakeEntra } from '../../fakes/entra';
import type { RunningEmbeddedHost } from '../../../server/src/hosts/embedded/startEmbeddedHost';
import {
  checkSignIn,
  parseWwwAuthenticate,
  renderSignInReport,
  signInReportLines,
  signInStepTitles,
  type SignInCheckInput,
  type SignInStep,
  type SignInStepId,
} from '../../../extension/auth/signInCheck';
import { WEBHOOK_LEVEL_SETTING } from '../../../extension/auth/entra';

const tenantId = '11111111-2222-3333-4444-555555555555';
const apiClientId = '99999999-8888-7777-6666-555555555555';
const audience = `api://${apiClientId}`;
const scope = `${audience}/user_impersonation`;
const chain: SignInStepId[] = [
  'challenge',
  'resourceMetadata',
  'resource',
  'authorizationServer',
  'scopes',
  'token',
  'initialize',
  'toolsList',
];
const consistencyIds: SignInStepId[] = [
  'webhookLevel',
  'storedKey',
  'allowedApplications',
  'audience',
  'tenant',
];
const goodConsistency = {
  entraEnabled: true,
  webhookAuthorizationLevel: 'Anonymous',
  keyStored: false,
  allowedApplications: [apiClientId, VSCODE_CLIENT_ID],
  allowedAudiences: [audience],
  appTenantId: tenantId,
};

let environment: ToolEnvironment;
let entra: FakeEntra;
let host: RunningEmbeddedHost;

before(async () => {
  [environment, entra] = await Promise.all([startToolEnvironment(), startFakeEntra({ tenantId })]);
  host = await startTestHost(environment.deps, {
    auth: {
      issuer: entra.issuer,
      audiences: [audience],
      jwksUrl: entra.jwksUrl,
      scopes: [scope],
      trustForwardedProto: false,
    },
  });
});
after(async () => {
  await host.close();
  await Promise.all([environment.close(), entra.close()]);
});

/** A getToken that signs in as VS Code would, recording what it was asked for and what it handed out. */
function minting(options: { audience?: string } = {}) {
  const calls: { scopes: string[]; tenantId: string | undefined }[] = [];
  const tokens: string[] = [];
  const getToken: SignInCheckInput['getToken'] = async (scopes, tenant) => {
    calls.push({ scopes, tenantId: tenant });
    const token = await entra.mintToken({
      audience: options.audience ?? audience,
      scopes: scopes.map((s) => s.split('/').pop() ?? s),
    });
    tokens.push(token);
    return token;
  };
  return { calls, tokens, getToken };
}

function step(steps: SignInStep[], id: SignInStepId): SignInStep {
  const found = steps.find((s) => s.id === id);
  assert.ok(found, `step ${id}`);
  return found;
}

function statuses(steps: SignInStep[], ids: SignInStepId[]): string[] {
  return ids.map((id) => step(steps, id).status);
}

describe('against the embedded host in Entra mode', () => {
  test('every step passes, in VS Code order, and getToken gets the PRM scope and the issuer tenant', async () => {
    const { calls, tokens, getToken } = minting();
    const { steps } = await checkSignIn({
      mcpUrl: host.mcpUrl,
      getToken,
      consistency: goodConsistency,
      expectedTenantId: tenantId,
    });
    assert.deepEqual(
      steps.map((s) => s.id),
      [...chain, ...consistencyIds],
    );
    for (const s of steps) assert.equal(s.status, 'pass', `${s.id}: ${s.detail}`);
    assert.deepEqual(calls, [{ scopes: [scope], tenantId }]);

    const origin = new URL(host.mcpUrl).origin;
    assert.match(
      step(steps, 'challenge').detail,
      new RegExp(`resource_metadata="${origin}/.well-known/oauth-protected-resource/runtime/webhooks/mcp"`),
    );
    // Entra answers only the third URL VS Code tries; the report names all three.
    const found = step(steps, 'authorizationServer').detail;
    assert.match(
      found,
      /Found at `[^`]+\/v2\.0\/\.well-known\/openid-configuration` \(OpenID configuration\)/,
    );
    assert.match(found, /oauth-authorization-server\/[^`]+\/v2\.0` → 404/);
    assert.match(found, /\.well-known\/openid-configuration\/[^`]+\/v2\.0` → 404/);
    assert.match(step(steps, 'toolsList').detail, new RegExp(`^${catalogue.length} tools: `));
    assert.match(
      step(steps, 'token').detail,
      new RegExp(`aud ${audience}, tid ${tenantId}, client ${VSCODE_CLIENT_ID}`),
    );

    const text = JSON.stringify(steps) + renderSignInReport(host.mcpUrl, steps);
    assert.ok(!text.includes(tokens[0] ?? 'no token'), 'no token in the results');
    assert.ok(!text.includes('eyJ'), 'nothing JWT-like in the results');
  });

  test('without consistency input those steps are skipped (the tenant still compares issuer and token)', async () => {
    const { steps } = await checkSignIn({ mcpUrl: host.mcpUrl, getToken: minting().getToken });
    assert.deepEqual(
      statuses(steps, chain),
      chain.map(() => 'pass'),
    );
    assert.deepEqual(statuses(steps, consistencyIds), ['skip', 'skip', 'skip', 'skip', 'pass']);
  });

  test('getToken throwing (cancelled, no consent) fails the token step with the fix; later steps skip', async () => {
    const { steps } = await checkSignIn({
      mcpUrl: host.mcpUrl,
      getToken: () => Promise.reject(new Error('AADSTS65001: The user or administrator has not consented.')),
    });
    const token = step(steps, 'token');
    assert.equal(token.status, 'fail');
    assert.match(token.detail, /AADSTS65001/);
    assert.match(token.fix ?? '', new RegExp(`pre-authorize VS Code \\(${VSCODE_CLIENT_ID}\\)`));
    assert.deepEqual(statuses(steps, ['initialize', 'toolsList']), ['skip', 'skip']);
  });

  test("a token for another audience: initialize fails 401 with the server's reason", async () => {
    const { steps } = await checkSignIn({
      mcpUrl: host.mcpUrl,
      getToken: minting({ audience: 'api://someone-else' }).getToken,
    });
    const init = step(steps, 'initialize');
    assert.equal(init.status, 'fail');
    assert.match(
      init.detail,
      /^401 with the token \(invalid_token: The access token is for another audience/,
    );
    assert.match(
      init.fix ?? '',
      /allowedAudiences must include the token's audience \(api:\/\/someone-else\)/,
    );
    assert.equal(step(steps, 'toolsList').status, 'skip');
  });

  test('consistency problems: webhook level System, a stale key, VS Code not allowed, audience, tenants', async () => {
    const { steps } = await checkSignIn({
      mcpUrl: host.mcpUrl,
      getToken: minting().getToken,
      consistency: {
        entraEnabled: true,
        webhookAuthorizationLevel: 'System',
        keyStored: true,
        allowedApplications: [apiClientId],
        allowedAudiences: ['api://another-api'],
        appTenantId: '00000000-0000-0000-0000-00000000beef',
      },
      expectedTenantId: tenantId,
    });
    const level = step(steps, 'webhookLevel');
    assert.equal(level.status, 'fail');
    assert.match(level.fix ?? '', new RegExp(`${WEBHOOK_LEVEL_SETTING}=Anonymous`));
    assert.match(level.fix ?? '', /Remote MCP: Enable Entra Sign-in/);
    const key = step(steps, 'storedKey');
    assert.equal(key.status, 'warn');
    assert.match(key.fix ?? '', /Remote MCP: Forget Key/);
    const apps = step(steps, 'allowedApplications');
    assert.equal(apps.status, 'fail');
    assert.match(apps.fix ?? '', new RegExp(`Add ${VSCODE_CLIENT_ID} to .*allowedApplications`));
    const aud = step(steps, 'audience');
    assert.equal(aud.status, 'fail');
    assert.match(aud.fix ?? '', new RegExp(`Add ${audience} to .*allowedAudiences`));
    const tenant = step(steps, 'tenant');
    assert.equal(tenant.status, 'fail');
    assert.match(tenant.detail, /the app registration 00000000-0000-0000-0000-00000000beef/);
    assert.match(
      tenant.fix ?? '',
      /login\.microsoftonline\.com\/00000000-0000-0000-0000-00000000beef\/v2\.0/,
    );

    const report = renderSignInReport(host.mcpUrl, steps);
    assert.match(report, /❌/);
    assert.match(report, /⚠️/);
    assert.match(report, /\*\*Fix:\*\*/);
  });

  test("an expected tenant that differs from the issuer's fails the tenant step", async () => {
    const { steps } = await checkSignIn({
      mcpUrl: host.mcpUrl,
      getToken: minting().getToken,
      expectedTenantId: '22222222-2222-2222-2222-222222222222',
    });
    assert.equal(step(steps, 'tenant').status, 'fail');
  });

  test('an unset webhook level with Entra on is a warning (it defaults to System)', async () => {
    const { steps } = await checkSignIn({
      mcpUrl: host.mcpUrl,
      getToken: minting().getToken,
      consistency: { entraEnabled: true },
    });
    assert.equal(step(steps, 'webhookLevel').status, 'warn');
  });
});

describe('against servers that break one link', () => {
  test('a server without sign-in: a warning, and the chain is skipped', async () => {
    const open = await startTestHost(environment.deps);
    try {
      let asked = false;
      const { steps } = await checkSignIn({
        mcpUrl: open.mcpUrl,
        getToken: () => {
          asked = true;
          return Promise.resolve('x');
        },
      });
      const challenge = step(steps, 'challenge');
      assert.equal(challenge.status, 'warn');
      assert.match(challenge.detail, /does not require sign-in/);
      assert.deepEqual(
        statuses(steps, chain.slice(1)),
        chain.slice(1).map(() => 'skip'),
      );
      assert.equal(asked, false);
    } finally {
      await open.close();
    }
  });

  test('a key-protected server: no Bearer challenge and no PRM', async () => {
    const keyed = await startTestHost(environment.deps, { key: 'k-0123456789' });
    try {
      const { steps } = await checkSignIn({ mcpUrl: keyed.mcpUrl, getToken: minting().getToken });
      assert.equal(step(steps, 'challenge').status, 'fail');
      assert.match(step(steps, 'challenge').detail, /without a Bearer challenge/);
      assert.equal(step(steps, 'resourceMetadata').status, 'fail');
      assert.deepEqual(
        statuses(steps, chain.slice(2)),
        chain.slice(2).map(() => 'skip'),
      );
    } finally {
      await keyed.close();
    }
  });

  test('PRM missing: all three URLs tried, in order, and the fix names the App Service setting', async () => {
    const app = await startFakeApp({
      challenge: (origin) => `Bearer resource_metadata="${origin}/prm-that-is-not-there"`,
    });
    try {
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken: minting().getToken });
      assert.equal(step(steps, 'challenge').status, 'pass');
      const prm = step(steps, 'resourceMetadata');
      assert.equal(prm.status, 'fail');
      const tried = [...prm.detail.matchAll(/`([^`]+)` → (\d+)/g)].map((m) => [m[1], m[2]]);
      assert.deepEqual(tried, [
        [`${app.origin}/prm-that-is-not-there`, '404'],
        [`${app.origin}/.well-known/oauth-protected-resource/runtime/webhooks/mcp`, '404'],
        [`${app.origin}/.well-known/oauth-protected-resource`, '404'],
      ]);
      assert.match(prm.fix ?? '', /WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES/);
      assert.deepEqual(
        statuses(steps, chain.slice(2)),
        chain.slice(2).map(() => 'skip'),
      );
    } finally {
      await app.close();
    }
  });

  test('a challenge without resource_metadata: a warning, and the well-known PRM is found', async () => {
    const app = await startFakeApp({
      challenge: () => 'Bearer realm="mcp"',
      prm: (origin) => ({
        resource: `${origin}/runtime/webhooks/mcp`,
        authorization_servers: [entra.issuer],
        scopes_supported: [scope],
      }),
    });
    try {
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken: minting().getToken });
      assert.equal(step(steps, 'challenge').status, 'warn');
      assert.equal(step(steps, 'resourceMetadata').status, 'pass');
      assert.match(
        step(steps, 'resourceMetadata').detail,
        /oauth-protected-resource\/runtime\/webhooks\/mcp`/,
      );
    } finally {
      await app.close();
    }
  });

  test('resource mismatch: the resource step fails and says which host the app advertises', async () => {
    const app = await startFakeApp({
      prm: () => ({
        resource: 'https://my-app.azurewebsites.net/runtime/webhooks/mcp',
        authorization_servers: [entra.issuer],
        scopes_supported: [scope],
      }),
    });
    try {
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken: minting().getToken });
      const resource = step(steps, 'resource');
      assert.equal(resource.status, 'fail');
      assert.match(resource.detail, /`https:\/\/my-app\.azurewebsites\.net\/runtime\/webhooks\/mcp`/);
      assert.match(resource.fix ?? '', /advertises the host my-app\.azurewebsites\.net/);
      // The rest of the chain is still walked, so one report shows every broken link.
      assert.deepEqual(statuses(steps, ['authorizationServer', 'scopes', 'token']), ['pass', 'pass', 'pass']);
    } finally {
      await app.close();
    }
  });

  test('a trailing-slash difference is a mismatch too, as VS Code compares', async () => {
    const app = await startFakeApp({
      prm: (origin) => ({
        resource: `${origin}/runtime/webhooks/mcp/`,
        authorization_servers: [entra.issuer],
        scopes_supported: [scope],
      }),
    });
    try {
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken: minting().getToken });
      assert.equal(step(steps, 'resource').status, 'fail');
    } finally {
      await app.close();
    }
  });

  test('authorization server metadata missing: the three URLs in VS Code order, then skip', async () => {
    let appOrigin = '';
    const app = await startFakeApp({
      prm: (origin) => {
        appOrigin = origin;
        return {
          resource: `${origin}/runtime/webhooks/mcp`,
          authorization_servers: [`${origin}/${tenantId}/v2.0`],
          scopes_supported: [scope],
        };
      },
    });
    try {
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken: minting().getToken });
      const as = step(steps, 'authorizationServer');
      assert.equal(as.status, 'fail');
      const tried = [...as.detail.matchAll(/`([^`]+)` → 404/g)].map((m) => m[1]);
      assert.deepEqual(tried, [
        `${appOrigin}/.well-known/oauth-authorization-server/${tenantId}/v2.0`,
        `${appOrigin}/.well-known/openid-configuration/${tenantId}/v2.0`,
        `${appOrigin}/${tenantId}/v2.0/.well-known/openid-configuration`,
      ]);
      assert.match(as.fix ?? '', /login\.microsoftonline\.com\/<tenant>\/v2\.0/);
      assert.deepEqual(statuses(steps, ['scopes', 'token', 'initialize', 'toolsList']), [
        'skip',
        'skip',
        'skip',
        'skip',
      ]);
    } finally {
      await app.close();
    }
  });

  test('no scopes offered: the scopes step fails', async () => {
    const app = await startFakeApp({
      prm: (origin) => ({
        resource: `${origin}/runtime/webhooks/mcp`,
        authorization_servers: [entra.issuer],
      }),
    });
    try {
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken: minting().getToken });
      assert.equal(step(steps, 'scopes').status, 'fail');
      assert.equal(step(steps, 'token').status, 'skip');
    } finally {
      await app.close();
    }
  });

  test('403 with a valid token (Easy Auth on, webhook level System): the fix is the webhook level', async () => {
    const app = await startFakeApp({
      challenge: (origin) =>
        `Bearer realm="${origin}", resource_metadata="${origin}/.well-known/oauth-protected-resource/runtime/webhooks/mcp", scope="${scope}"`,
      prm: (origin) => ({
        resource: `${origin}/runtime/webhooks/mcp`,
        authorization_servers: [entra.issuer],
        scopes_supported: [scope],
      }),
      withToken: (res) => {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end('Forbidden');
      },
    });
    try {
      const { calls, getToken } = minting();
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken });
      assert.match(step(steps, 'scopes').detail, /from the challenge/);
      assert.deepEqual(calls[0]?.scopes, [scope]);
      const init = step(steps, 'initialize');
      assert.equal(init.status, 'fail');
      assert.match(init.detail, /^403 with a valid token/);
      assert.match(init.detail, /webhook level is still System/);
      assert.match(init.fix ?? '', new RegExp(`${WEBHOOK_LEVEL_SETTING}=Anonymous`));
      assert.equal(step(steps, 'toolsList').status, 'skip');
    } finally {
      await app.close();
    }
  });

  test('a server that echoes the token in its refusal: the token never reaches the report', async () => {
    const app = await startFakeApp({
      prm: (origin) => ({
        resource: `${origin}/runtime/webhooks/mcp`,
        authorization_servers: [entra.issuer],
        scopes_supported: [scope],
      }),
      withToken: (res, req) => {
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        res.end(`rejected ${req.headers.authorization ?? ''}`);
      },
    });
    try {
      const { tokens, getToken } = minting();
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken });
      const token = tokens[0] ?? 'missing';
      assert.equal(step(steps, 'initialize').status, 'fail');
      assert.match(step(steps, 'initialize').detail, /rejected Bearer \[token\]/);
      const everything =
        JSON.stringify(steps) + renderSignInReport(app.mcpUrl, steps) + signInReportLines(steps).join('\n');
      assert.ok(!everything.includes(token));
    } finally {
      await app.close();
    }
  });

  test('a login redirect instead of 401: the fix is Return401', async () => {
    const app = await startFakeApp({
      unauthenticated: (res) => {
        res.writeHead(302, { location: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize' });
        res.end();
      },
    });
    try {
      const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken: minting().getToken });
      const challenge = step(steps, 'challenge');
      assert.equal(challenge.status, 'fail');
      assert.match(challenge.fix ?? '', /Return401/);
    } finally {
      await app.close();
    }
  });

  test('an unreachable server fails the first step and skips the chain', async () => {
    const app = await startFakeApp({});
    const url = app.mcpUrl;
    await app.close();
    const { steps } = await checkSignIn({ mcpUrl: url, getToken: minting().getToken, timeoutMs: 2000 });
    assert.equal(step(steps, 'challenge').status, 'fail');
    assert.match(step(steps, 'challenge').detail, /ECONNREFUSED/);
    assert.deepEqual(
      statuses(steps, chain.slice(1)),
      chain.slice(1).map(() => 'skip'),
    );
  });
});

describe('the report', () => {
  test('renderSignInReport has a title, the URL, every step title with its icon, and the fixes', async () => {
    const { tokens, getToken } = minting();
    const { steps } = await checkSignIn({
      mcpUrl: host.mcpUrl,
      getToken,
      consistency: { ...goodConsistency, allowedApplications: [apiClientId] },
    });
    const report = renderSignInReport(host.mcpUrl, steps);
    assert.match(report, /^# Remote MCP: sign-in check\n/);
    assert.ok(report.includes(`\`${host.mcpUrl}\``));
    for (const title of Object.values(signInStepTitles)) assert.ok(report.includes(`**${title}**`), title);
    assert.match(report, /✅/);
    assert.match(report, /1 failed/);
    assert.match(report, new RegExp(`❌ \\*\\*${signInStepTitles.allowedApplications}\\*\\*`));
    assert.match(report, /- \*\*Fix:\*\* Add aebc6443/);
    assert.ok(!report.includes(tokens[0] ?? 'missing'));
  });

  test('skipped steps show ⏭ and placeholders stay visible in Markdown', () => {
    const report = renderSignInReport('https://x.example/runtime/webhooks/mcp', [
      { id: 'token', title: signInStepTitles.token, status: 'skip', detail: 'Skipped.' },
      {
        id: 'scopes',
        title: signInStepTitles.scopes,
        status: 'fail',
        detail: 'None.',
        fix: 'Set api://<client id>/x.',
      },
    ]);
    assert.match(report, /⏭ \*\*Access token obtained\*\*/);
    assert.match(report, /api:\/\/&lt;client id>\/x/);
  });
});

describe('helpers', () => {
  test("the authorization server discovery order is the MCP SDK's (what VS Code uses)", async () => {
    for (const issuerPath of [`/${tenantId}/v2.0`, '/tenant/v2.0/', '']) {
      let issuer = '';
      const app = await startFakeApp({
        prm: (origin) => {
          issuer = `${origin}${issuerPath}`;
          return {
            resource: `${origin}/runtime/webhooks/mcp`,
            authorization_servers: [issuer],
            scopes_supported: [scope],
          };
        },
      });
      try {
        const { steps } = await checkSignIn({ mcpUrl: app.mcpUrl, getToken: minting().getToken });
        const tried = [...step(steps, 'authorizationServer').detail.matchAll(/`([^`]+)` → 404/g)];
        assert.deepEqual(
          tried.map((m) => m[1]),
          buildDiscoveryUrls(issuer).map((entry) => entry.url.href),
          issuer,
        );
      } finally {
        await app.close();
      }
    }
  });

  test('parseWwwAuthenticate: several schemes, quoted commas and escapes, token68', () => {
    assert.deepEqual(
      parseWwwAuthenticate(
        'Basic realm="a, b", Bearer error="invalid_token", error_description="say \\"hi\\"", resource_metadata="https://x/.well-known/oauth-protected-resource/mcp?a=1,2"',
      ),
      [
        { scheme: 'Basic', params: { realm: 'a, b' } },
        {
          scheme: 'Bearer',
          params: {
            error: 'invalid_token',
            error_description: 'say "hi"',
            resource_metadata: 'https://x/.well-known/oauth-protected-resource/mcp?a=1,2',
          },
        },
      ],
    );
    assert.deepEqual(parseWwwAuthenticate('Negotiate YII==, Bearer Resource_Metadata=https://x/prm'), [
      { scheme: 'Negotiate', params: {}, token68: 'YII==' },
      { scheme: 'Bearer', params: { resource_metadata: 'https://x/prm' } },
    ]);
    assert.deepEqual(parseWwwAuthenticate(''), []);
    assert.deepEqual(parseWwwAuthenticate('Bearer'), [{ scheme: 'Bearer', params: {} }]);
  });
});

interface FakeAppOptions {
  /** WWW-Authenticate for a request without a token; default a Bearer challenge pointing at the path-suffixed PRM. */
  challenge?: (origin: string) => string;
  /** Answers a request without a token instead of the 401 challenge. */
  unauthenticated?: (res: http.ServerResponse) => void;
  /** The PRM served at both well-known paths; none → 404. */
  prm?: (origin: string) => unknown;
  /** Answers a request with a token; default 500. */
  withToken?: (res: http.ServerResponse, req: http.IncomingMessage) => void;
}

/** A stand-in for a function app with Easy Auth in front, breaking the link a test needs broken. */
async function startFakeApp(options: FakeAppOptions) {
  const server = http.createServer((req, res) => {
    const origin = `http://${req.headers.host ?? ''}`;
    const path = (req.url ?? '/').split('?')[0];
    req.resume();
    if (
      req.method === 'GET' &&
      (path === '/.well-known/oauth-protected-resource' ||
        path === '/.well-known/oauth-protected-resource/runtime/webhooks/mcp')
    ) {
      const body = options.prm?.(origin);
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
      return;
    }
    if (path === '/runtime/webhooks/mcp') {
      if (req.headers.authorization?.startsWith('Bearer ')) {
        if (options.withToken) options.withToken(res, req);
        else {
          res.writeHead(500);
          res.end();
        }
        return;
      }
      if (options.unauthenticated) {
        options.unauthenticated(res);
        return;
      }
      res.writeHead(401, {
        'www-authenticate':
          options.challenge?.(origin) ??
          `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/runtime/webhooks/mcp"`,
      });
      res.end();
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    mcpUrl: `${origin}/runtime/webhooks/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
