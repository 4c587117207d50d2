// The Azure module (extension/azure/azureApi.ts) with the REAL WebSiteManagementClient of
// @azure/arm-appservice 19 talking https to the loopback ARM fake (test/fakes/arm.ts): the bearer
// token arrives, properties are lifted, the mcp_extension key is waited for, ARM errors become
// messages that say what to do, retries, paging, app settings read-merge-write, and no key leaks.
// Plus unit tests of resource-ID parsing and the session credential, and a child process showing
// that NODE_EXTRA_CA_CERTS alone (no tlsOptions) is enough to trust the fake.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import {
  createArmClient,
  fetchMcpExtensionKey,
  getAppSettings,
  getSite,
  isUserFacingAzureError,
  jwtExpiry,
  KeyNotReadyError,
  listFunctionApps,
  parseSiteResourceId,
  siteResourceId,
  tokenCredentialFromSession,
  updateAppSettings,
  type SiteRef,
  type TokenCredential,
} from '../../extension/azure/azureApi';
import { DEFAULT_SUBSCRIPTION_ID, startFakeArm, type FakeArm } from '../fakes/arm';
import { allHostKeys, assertNoSecretLeaked, captureSdkLog } from '../support/leakWatch';

const root = path.resolve(__dirname, '../..');
const sub = DEFAULT_SUBSCRIPTION_ID;
// The SDK honours HTTPS_PROXY; the fake is on loopback.
process.env.NO_PROXY = [process.env.NO_PROXY, '127.0.0.1', 'localhost'].filter(Boolean).join(',');

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function makeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;
}

/** A fixed JWT, valid for an hour; counts how often it is asked for and with which scopes. */
function testCredential(): TokenCredential & { calls: string[][] } {
  const token = makeJwt({ aud: 'https://management.azure.com', exp: Math.floor(Date.now() / 1000) + 3600 });
  const calls: string[][] = [];
  return {
    calls,
    getToken: (scopes) => {
      calls.push(Array.isArray(scopes) ? scopes : [scopes]);
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3600_000 });
    },
  };
}

// The SDK's own log at its most verbose, to check no secret ever reaches it.
const sdkLog = captureSdkLog();

describe('ARM through the real WebSiteManagementClient against the fake', () => {
  let arm: FakeArm;
  const ref: SiteRef = { subscriptionId: sub, resourceGroup: 'rg-mcp', name: 'func-mcp-abc' };
  const errorMessages: string[] = [];
  const client = (credential: TokenCredential = testCredential()) =>
    createArmClient({ endpoint: arm.endpoint, credential, subscriptionId: sub, tlsCa: arm.caPem });
  const catchError = async (run: () => Promise<unknown>): Promise<Error> => {
    try {
      await run();
    } catch (error) {
      assert.ok(error instanceof Error, `threw ${String(error)}`);
      errorMessages.push(error.message, error.stack ?? '');
      return error;
    }
    assert.fail('expected an error');
  };
  const requestsTo = (suffix: string) => arm.requests.filter((r) => r.path.endsWith(suffix));

  before(async () => {
    arm = await startFakeArm({ pageSize: 2 });
    arm.addSite({
      ...ref,
      tags: { 'azd-service-name': 'api', 'azd-env-name': 'dev' },
      functions: ['hello', 'weather'],
    });
  });

  afterEach(() => {
    arm.setMissingKeyCalls(ref.name, 0);
  });

  after(async () => {
    // No key in any error, any recorded request or the SDK's log.
    assertNoSecretLeaked(allHostKeys(arm), { errors: errorMessages, arm, sdkLog: sdkLog.lines });
    assert.ok(sdkLog.lines.length > 0, 'the SDK logged something (the capture works)');
    sdkLog.restore();
    await arm.close();
  });

  test('the bearer token arrives with the ARM scope of the endpoint, and api-version on every request', async () => {
    const credential = testCredential();
    const site = await getSite(client(credential), ref);
    assert.equal(site.name, ref.name);
    const last = arm.requests.at(-1);
    assert.ok(last?.authorized, 'Authorization: Bearer reached the fake');
    assert.equal(last?.method, 'GET');
    assert.equal(last?.path, siteResourceId(ref));
    assert.equal(last?.query['api-version'], '2025-05-01');
    assert.deepEqual(credential.calls, [[`${arm.endpoint}/.default`]]);
  });

  test('getSite lifts properties: state, defaultHostName, kind, tags, lastModifiedTimeUtc', async () => {
    const site = await getSite(client(), ref);
    assert.deepEqual(
      { ...site, lastModifiedTimeUtc: undefined },
      {
        id: siteResourceId(ref),
        name: ref.name,
        defaultHostName: `${ref.name}.azurewebsites.net`,
        state: 'Running',
        location: 'eastus2',
        kind: 'functionapp,linux',
        tags: { 'azd-service-name': 'api', 'azd-env-name': 'dev' },
        lastModifiedTimeUtc: undefined,
      },
    );
    assert.equal(site.lastModifiedTimeUtc, arm.site(ref.name).lastModifiedTimeUtc);
  });

  test('a session credential with a JWT is asked once for many requests (its exp is used)', async () => {
    const token = makeJwt({ exp: Math.floor(Date.now() / 1000) + 3600 });
    const asked: string[][] = [];
    const credential = tokenCredentialFromSession((scopes) => {
      asked.push(scopes);
      return Promise.resolve(token);
    });
    const armClient = client(credential);
    await getSite(armClient, ref);
    await getSite(armClient, ref);
    await getAppSettings(armClient, ref);
    assert.deepEqual(asked, [[`${arm.endpoint}/.default`]]);
  });

  test('listHostKeys returns the master, function and system keys', async () => {
    const keys = await client().webApps.listHostKeys(ref.resourceGroup, ref.name);
    const site = arm.site(ref.name);
    assert.deepEqual(keys, site.hostKeys);
    assert.equal(requestsTo('/host/default/listkeys').at(-1)?.method, 'POST');
  });

  test('fetchMcpExtensionKey waits while mcp_extension is missing, then returns it', async () => {
    arm.setMissingKeyCalls(ref.name, 3);
    const before = requestsTo('/host/default/listkeys').length;
    const waits: number[] = [];
    const started = Date.now();
    const key = await fetchMcpExtensionKey(client(), ref, {
      initialDelayMs: 20,
      maxDelayMs: 50,
      limitMs: 10_000,
      onWaiting: (elapsed) => waits.push(elapsed),
    });
    assert.equal(key, arm.site(ref.name).hostKeys.systemKeys['mcp_extension']);
    assert.equal(requestsTo('/host/default/listkeys').length - before, 4, 'three misses, then the key');
    assert.equal(waits.length, 3);
    assert.ok(
      waits.every((w, i) => i === 0 || w >= (waits[i - 1] ?? 0)),
      'elapsed time grows',
    );
    assert.ok(Date.now() - started >= 20 + 40 + 50, 'the interval grows (20, 40, then capped at 50 ms)');
  });

  test('fetchMcpExtensionKey gives up with KeyNotReadyError when the key never appears', async () => {
    arm.setMissingKeyCalls(ref.name, 1_000);
    const started = Date.now();
    const error = await catchError(() =>
      fetchMcpExtensionKey(client(), ref, { initialDelayMs: 20, maxDelayMs: 40, limitMs: 300 }),
    );
    assert.ok(error instanceof KeyNotReadyError);
    assert.equal(error.name, 'KeyNotReadyError');
    assert.ok(isUserFacingAzureError(error));
    assert.match(
      error.message,
      /^The function app func-mcp-abc has not loaded the MCP extension yet, so it has no mcp_extension key \(waited 0 s\)\. Check that the deployment finished and the app is running, then run Remote MCP: Fetch Key\.$/,
    );
    const took = Date.now() - started;
    assert.ok(took >= 300 && took < 3000, `gave up after ${took} ms`);
  });

  test('an abort while waiting for the key stops at once with an AbortError', async () => {
    arm.setMissingKeyCalls(ref.name, 1_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await catchError(() =>
      fetchMcpExtensionKey(client(), ref, { signal: controller.signal, initialDelayMs: 5_000 }),
    );
    assert.equal(error.name, 'AbortError');
    assert.ok(Date.now() - started < 2000);
  });

  test('an unknown app is a SiteNotFoundError naming the app and the resource group', async () => {
    const missing = { ...ref, name: 'func-gone' };
    const error = await catchError(() => fetchMcpExtensionKey(client(), missing, { limitMs: 1000 }));
    assert.equal(error.name, 'SiteNotFoundError');
    assert.match(error.message, /func-gone/);
    assert.match(error.message, /resource group rg-mcp/);
    assert.deepEqual(
      { status: (error as { statusCode?: number }).statusCode, code: (error as { code?: string }).code },
      { status: 404, code: 'ResourceNotFound' },
    );
    const noGroup = await catchError(() => getSite(client(), { ...ref, resourceGroup: 'rg-nope' }));
    assert.equal(noGroup.name, 'SiteNotFoundError');
    assert.match(noGroup.message, /the resource group rg-nope does not exist/);
  });

  test('403 AuthorizationFailed names the role to ask for; 401 names the sign-in', async () => {
    arm.failNext({
      path: `${siteResourceId(ref)}/host/default/listkeys`,
      status: 403,
      code: 'AuthorizationFailed',
      message:
        "The client 'user@contoso.com' does not have authorization to perform action 'Microsoft.Web/sites/host/listkeys/action'.",
    });
    const forbidden = await catchError(() => fetchMcpExtensionKey(client(), ref));
    assert.equal(forbidden.name, 'AzureAccessError');
    assert.match(forbidden.message, /Website Contributor or Contributor role/);
    assert.match(forbidden.message, /AuthorizationFailed/);

    arm.failNext({
      path: siteResourceId(ref),
      status: 401,
      code: 'InvalidAuthenticationTokenTenant',
      message: 'Wrong tenant.',
    });
    const unauthenticated = await catchError(() => getSite(client(), ref));
    assert.equal(unauthenticated.name, 'AzureAccessError');
    assert.match(
      unauthenticated.message,
      /did not accept the sign-in \(InvalidAuthenticationTokenTenant: Wrong tenant\.\)/,
    );
  });

  test('other ARM errors carry ARM code and message', async () => {
    arm.failNext({
      path: `${siteResourceId(ref)}/config/appsettings/list`,
      status: 409,
      code: 'Conflict',
      message: 'Busy.',
    });
    const error = await catchError(() => getAppSettings(client(), ref));
    assert.equal(error.name, 'AzureApiError');
    assert.equal(
      error.message,
      'Could not read the app settings of the function app func-mcp-abc: Azure answered 409 (Conflict: Busy.).',
    );
  });

  test('429 with Retry-After and a 500 are retried by the pipeline, then succeed', async () => {
    const sitePath = siteResourceId(ref);
    arm.failNext({
      path: sitePath,
      status: 429,
      code: 'TooManyRequests',
      message: 'Slow down.',
      headers: { 'Retry-After': '1' },
    });
    const before = requestsTo(sitePath).length;
    const started = Date.now();
    const site = await getSite(client(), ref);
    assert.equal(site.state, 'Running');
    assert.equal(requestsTo(sitePath).length - before, 2);
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');

    arm.failNext({
      path: sitePath,
      method: 'GET',
      status: 500,
      code: 'InternalServerError',
      message: 'Oops.',
    });
    assert.equal((await getSite(client(), ref)).state, 'Running');
    assert.deepEqual(
      requestsTo(sitePath)
        .slice(-2)
        .map((r) => r.status),
      [500, 200],
    );
  });

  test('listFunctionApps follows nextLink and keeps function apps only (no Logic Apps, no web apps)', async () => {
    arm.addSite({ resourceGroup: 'rg-other', name: 'func-two' });
    arm.addSite({ resourceGroup: 'rg-other', name: 'func-three', kind: 'functionapp' });
    arm.addSite({ resourceGroup: 'rg-other', name: 'logic-std', kind: 'functionapp,workflowapp' });
    arm.addSite({ resourceGroup: 'rg-other', name: 'web-site', kind: 'app,linux' });
    const listPath = `/subscriptions/${sub}/providers/Microsoft.Web/sites`;
    const before = requestsTo(listPath).length;
    const apps = await listFunctionApps(client());
    assert.deepEqual(apps.map((a) => a.name).sort(), ['func-mcp-abc', 'func-three', 'func-two']);
    const pages = requestsTo(listPath).slice(before);
    assert.equal(pages.length, 3, '5 sites at 2 a page');
    assert.deepEqual(
      pages.map((p) => p.query['$skiptoken']),
      [undefined, '2', '4'],
    );
    assert.ok(pages.every((p) => p.authorized && p.query['api-version'] === '2025-05-01'));
  });

  test('listFunctions pages through the functions of a site', async () => {
    const names: string[] = [];
    for await (const fn of client().webApps.listFunctions(ref.resourceGroup, ref.name))
      names.push(fn.name ?? '');
    assert.deepEqual(names, [`${ref.name}/hello`, `${ref.name}/weather`]);
  });

  test('app settings: read, merge, write keeps the settings it was not told about', async () => {
    const site = arm.site(ref.name);
    site.appSettings = { FUNCTIONS_EXTENSION_VERSION: '~4', KEEP_ME: 'yes', DROP_ME: 'x' };
    const written = await updateAppSettings(client(), ref, {
      WEBSITE_AUTH_AAD_ALLOWED_TENANTS: 'tenant-1',
      DROP_ME: null,
      KEEP_ME: 'still',
    });
    const expected = {
      FUNCTIONS_EXTENSION_VERSION: '~4',
      KEEP_ME: 'still',
      WEBSITE_AUTH_AAD_ALLOWED_TENANTS: 'tenant-1',
    };
    assert.deepEqual(written, expected);
    assert.deepEqual(site.appSettings, expected);
    assert.deepEqual(await getAppSettings(client(), ref), expected);
    const calls = arm.requests.filter((r) => r.path.includes('/config/appsettings')).slice(-3);
    assert.deepEqual(
      calls.map((r) => `${r.method} ${r.path.slice(siteResourceId(ref).length)}`),
      ['POST /config/appsettings/list', 'PUT /config/appsettings', 'POST /config/appsettings/list'],
    );
  });

  test('authsettingsV2 round-trips; restart answers 200', async () => {
    const armClient = client();
    const current = await armClient.webApps.getAuthSettingsV2(ref.resourceGroup, ref.name);
    assert.equal(current.platform?.enabled, false);
    await armClient.webApps.updateAuthSettingsV2(ref.resourceGroup, ref.name, {
      ...current,
      platform: { enabled: true, runtimeVersion: '~1' },
      globalValidation: { requireAuthentication: true, unauthenticatedClientAction: 'Return401' },
    });
    const updated = await armClient.webApps.getAuthSettingsV2(ref.resourceGroup, ref.name);
    assert.equal(updated.platform?.enabled, true);
    assert.equal(updated.globalValidation?.unauthenticatedClientAction, 'Return401');
    assert.equal(updated.httpSettings?.routes?.apiPrefix, '/.auth', 'the other sections were kept');
    await armClient.webApps.restart(ref.resourceGroup, ref.name);
    assert.equal(arm.site(ref.name).restarts, 1);
  });

  test('the fake itself: 401 with WWW-Authenticate and no token, 400 MissingApiVersionParameter, JSON bodies', async () => {
    const raw = (pathAndQuery: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>((resolve, reject) => {
        const req = https.request(`${arm.endpoint}${pathAndQuery}`, { ca: arm.caPem, headers }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as unknown }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    const anonymous = await raw(`${siteResourceId(ref)}?api-version=2025-05-01`);
    assert.equal(anonymous.status, 401);
    assert.match(String(anonymous.headers['www-authenticate']), /^Bearer authorization_uri=/);
    assert.deepEqual((anonymous.body as { error: { code: string } }).error.code, 'AuthenticationFailed');
    assert.equal(arm.requests.at(-1)?.authorized, false);
    const noVersion = await raw(siteResourceId(ref), { authorization: 'Bearer tok-not-to-be-kept-42' });
    assert.equal(noVersion.status, 400);
    assert.deepEqual(
      (noVersion.body as { error: { code: string } }).error.code,
      'MissingApiVersionParameter',
    );
    assert.ok(!JSON.stringify(arm.requests).includes('tok-not-to-be-kept-42'), 'the token is not recorded');
  });
});

describe('parseSiteResourceId', () => {
  test('splits a site resource ID, whatever the case of the fixed segments', () => {
    const expected = { subscriptionId: sub, resourceGroup: 'rg-MCP', name: 'func-mcp-abc' };
    assert.deepEqual(
      parseSiteResourceId(
        `/subscriptions/${sub}/resourceGroups/rg-MCP/providers/Microsoft.Web/sites/func-mcp-abc`,
      ),
      expected,
    );
    assert.deepEqual(
      parseSiteResourceId(
        `/SUBSCRIPTIONS/${sub}/resourcegroups/rg-MCP/PROVIDERS/microsoft.web/SITES/func-mcp-abc/`,
      ),
      expected,
    );
    assert.equal(
      siteResourceId(expected),
      `/subscriptions/${sub}/resourceGroups/rg-MCP/providers/Microsoft.Web/sites/func-mcp-abc`,
    );
  });

  test('anything else is refused with a message naming the bad ID', () => {
    for (const bad of [
      '',
      'func-mcp-abc',
      `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st`,
      `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/staging`,
      `/subscriptions/${sub}/resourceGroups//providers/Microsoft.Web/sites/app`,
    ]) {
      assert.throws(
        () => parseSiteResourceId(bad),
        (error: Error) =>
          error.message.startsWith(
            `"${bad}" is not the resource ID of a function app; expected /subscriptions/`,
          ),
      );
    }
  });
});

describe('tokenCredentialFromSession', () => {
  test('the expiry is the JWT exp claim, in ms; the scopes are passed as an array', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3000;
    const token = makeJwt({ exp, aud: 'https://management.azure.com' });
    const asked: string[][] = [];
    const credential = tokenCredentialFromSession((scopes) => {
      asked.push(scopes);
      return Promise.resolve(token);
    });
    assert.deepEqual(await credential.getToken('https://management.azure.com/.default'), {
      token,
      expiresOnTimestamp: exp * 1000,
      tokenType: 'Bearer',
    });
    assert.deepEqual(asked, [['https://management.azure.com/.default']]);
    assert.equal(jwtExpiry(token), exp * 1000);
  });

  test('a token that is not a JWT (or has no usable exp) lives 5 minutes, never 0', async () => {
    for (const token of [
      'opaque-token',
      'a.%%%.c',
      makeJwt({ sub: 'x' }),
      makeJwt({ exp: 0 }),
      makeJwt({ exp: '123' }),
    ]) {
      const before = Date.now();
      const result = await tokenCredentialFromSession(() => Promise.resolve(token)).getToken(['s']);
      assert.ok(result, token);
      assert.ok(
        result.expiresOnTimestamp >= before + 5 * 60_000 &&
          result.expiresOnTimestamp <= Date.now() + 5 * 60_000,
        `${token}: ${result.expiresOnTimestamp - before} ms`,
      );
    }
  });
});

describe('trusting the fake through NODE_EXTRA_CA_CERTS alone (no tlsOptions)', () => {
  let arm: FakeArm;
  let scratch: string;
  let script: string;

  before(async () => {
    arm = await startFakeArm();
    arm.addSite({ resourceGroup: 'rg-ca', name: 'func-ca' });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-arm-ca-'));
    script = path.join(scratch, 'getSite.ts');
    const api = path.join(root, 'extension/azure/azureApi.ts');
    writeFileSync(
      script,
      `import { createArmClient, getSite, tokenCredentialFromSession } from ${JSON.stringify(api)};
const credential = tokenCredentialFromSession(async () => 'opaque-test-token');
const client = createArmClient({ endpoint: process.env.ARM_ENDPOINT, credential, subscriptionId: ${JSON.stringify(sub)} });
getSite(client, { subscriptionId: ${JSON.stringify(sub)}, resourceGroup: 'rg-ca', name: 'func-ca' }).then(
  (site) => console.log('STATE ' + site.state),
  (error) => { console.log('ERROR ' + (error.code ?? '') + ' ' + error.message); process.exitCode = 2; },
);
`,
    );
  });

  after(async () => {
    await arm.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const runChild = (extraEnv: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ARM_ENDPOINT: arm.endpoint,
        NO_PROXY: '127.0.0.1,localhost',
        ...extraEnv,
      };
      delete env['NODE_OPTIONS'];
      if (!('NODE_EXTRA_CA_CERTS' in extraEnv)) delete env['NODE_EXTRA_CA_CERTS'];
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, output }));
    });

  test('with NODE_EXTRA_CA_CERTS the client reaches the fake; without it the certificate is refused', async () => {
    const caFile = arm.writeCaFile(scratch);
    const trusted = await runChild({ NODE_EXTRA_CA_CERTS: caFile });
    assert.equal(trusted.code, 0, trusted.output);
    assert.match(trusted.output, /^STATE Running$/m);
    assert.ok(arm.requests.some((r) => r.authorized && r.path.endsWith('/sites/func-ca')));

    const untrusted = await runChild({});
    assert.equal(untrusted.code, 2, untrusted.output);
    assert.match(untrusted.output, /ERROR .*(self[- ]signed|SELF_SIGNED|certificate)/i);
  });
});
