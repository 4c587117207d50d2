// One function app in the loopback ARM fake (test/fakes/arm.ts), reached through the REAL
// WebSiteManagementClient of @azure/arm-appservice, for the tests of extension/azure/. Registers the
// suite's hooks; after the suite, no host key may appear in an error, a recorded request or the SDK's
// log.
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/identity';
import { createArmClient } from '../../extension/azure/armClient';
import type { SiteRef } from '../../extension/azure/resourceIds';
import { DEFAULT_SUBSCRIPTION_ID, startFakeArm, type FakeArm } from '../fakes/arm';
import { allHostKeys, assertNoSecretLeaked, captureSdkLog } from './leakWatch';

// The SDK honours HTTPS_PROXY; the fake is on loopback.
process.env.NO_PROXY = [process.env.NO_PROXY, '127.0.0.1', 'localhost'].filter(Boolean).join(',');

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT with these claims (nothing here checks signatures). */
export function makeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;
}

/** A fixed JWT, valid for an hour; counts how often it is asked for and with which scopes. */
export function testCredential(): TokenCredential & { calls: string[][] } {
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

export interface ArmFakeSite {
  /** The fake, started before the suite. */
  arm: () => FakeArm;
  ref: SiteRef;
  client: (credential?: TokenCredential) => ReturnType<typeof createArmClient>;
  /** The error `run` rejects with; its message is kept for the leak check. */
  catchError: (run: () => Promise<unknown>) => Promise<Error>;
  requestsTo: (suffix: string) => FakeArm['requests'];
}

/** Call at the top of a describe: starts the fake with one app (func-mcp-abc in rg-mcp) for the suite. */
export function useArmFakeSite(): ArmFakeSite {
  // The SDK's own log at its most verbose, to check no secret ever reaches it.
  const sdkLog = captureSdkLog();
  let arm: FakeArm | undefined;
  const fake = () => arm ?? assert.fail('the ARM fake is not started');
  const ref: SiteRef = {
    subscriptionId: DEFAULT_SUBSCRIPTION_ID,
    resourceGroup: 'rg-mcp',
    name: 'func-mcp-abc',
  };
  const errorMessages: string[] = [];

  before(async () => {
    arm = await startFakeArm({ pageSize: 2 });
    arm.addSite({
      ...ref,
      tags: { 'azd-service-name': 'api', 'azd-env-name': 'dev' },
      functions: ['hello', 'weather'],
    });
  });

  afterEach(() => {
    fake().setMissingKeyCalls(ref.name, 0);
  });

  after(async () => {
    assertNoSecretLeaked(allHostKeys(fake()), { errors: errorMessages, arm: fake(), sdkLog: sdkLog.lines });
    assert.ok(sdkLog.lines.length > 0, 'the SDK logged something (the capture works)');
    sdkLog.restore();
    await fake().close();
  });

  return {
    arm: fake,
    ref,
    client: (credential = testCredential()) =>
      createArmClient({
        endpoint: fake().endpoint,
        credential,
        subscriptionId: ref.subscriptionId,
        tlsCa: fake().caPem,
      }),
    catchError: async (run) => {
      try {
        await run();
      } catch (error) {
        assert.ok(error instanceof Error, `threw ${String(error)}`);
        errorMessages.push(error.message, error.stack ?? '');
        return error;
      }
      assert.fail('expected an error');
    },
    requestsTo: (suffix) => fake().requests.filter((r) => r.path.endsWith(suffix)),
  };
}
