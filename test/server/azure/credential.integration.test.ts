// The server's Azure sign-in in Azure (azureCredentialFromEnv with IDENTITY_ENDPOINT set): the real
// ManagedIdentityCredential of @azure/identity, through MSAL's App Service source, gets its tokens
// over http from the loopback fake of the managed identity endpoint (test/fakes/managedIdentity.ts),
// and the analysis tools use them against the loopback Resource Graph and Log Analytics.
// MSAL picks its managed identity source and reads IDENTITY_ENDPOINT / IDENTITY_HEADER once per
// process, and caches tokens process-wide per identity and resource: this file sets the variables
// before any token is asked for, and each test asks for a resource its identity has no token for yet.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { azureCredentialDescription, azureCredentialFromEnv } from '../../../server/src/azure/credential';
import type { AzureAnalysis } from '../../../server/src/azureAnalysis/azureAnalysis';
import { callTool } from '../../../server/src/toolkit/callTool';
import { catalogue } from '../../../server/src/tools';
import {
  MANAGED_IDENTITY_API_VERSION,
  startFakeManagedIdentity,
  type FakeManagedIdentity,
} from '../../fakes/managedIdentity';
import { captureSdkLog, type SdkLogCapture } from '../../support/leakWatch';
import {
  SUBSCRIPTION_A,
  SUBSCRIPTION_B,
  WORKSPACE,
  sampleServers,
  startAzureAnalysisFakes,
  type AzureAnalysisFakes,
} from '../../support/azureAnalysisFakes';
import { recordingLogger, testDependencies } from '../../support/testDependencies';

const USER_ASSIGNED = '5e29463d-71da-4fe0-8e69-999b57db23b0';
const SYSTEM_ASSIGNED = '0b6f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const NOT_ASSIGNED = '9a8b7c6d-5e4f-4321-8fed-cba987654321';
const jwtShape = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}/;

let identityEndpoint: FakeManagedIdentity;
let fakes: AzureAnalysisFakes;
let sdkLog: SdkLogCapture;
const saved = {
  IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT,
  IDENTITY_HEADER: process.env.IDENTITY_HEADER,
};
const log = recordingLogger();
const seen: string[] = [];

before(async () => {
  sdkLog = captureSdkLog();
  identityEndpoint = await startFakeManagedIdentity({
    userAssigned: [USER_ASSIGNED],
    systemAssigned: SYSTEM_ASSIGNED,
  });
  // What App Service sets in the app's environment; MSAL reads it from process.env.
  Object.assign(process.env, identityEndpoint.env);
  fakes = await startAzureAnalysisFakes();
});
after(async () => {
  sdkLog.restore();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await Promise.all([fakes.close(), identityEndpoint.close()]);
});
afterEach(() => {
  // Neither a token nor the endpoint's secret header may reach a result, a log line or the SDK's log.
  for (const text of [...seen, ...log.lines, ...sdkLog.lines]) {
    assert.doesNotMatch(text, jwtShape);
    assert.ok(!text.includes(identityEndpoint.identityHeader), 'the IDENTITY_HEADER secret leaked');
  }
});

/** The server's environment in Azure: the platform's variables, and AZURE_CLIENT_ID when the Bicep sets it. */
function azureEnv(clientId?: string): NodeJS.ProcessEnv {
  return { ...identityEndpoint.env, ...(clientId ? { AZURE_CLIENT_ID: clientId } : {}) };
}

function analysisSignedInAs(env: NodeJS.ProcessEnv): AzureAnalysis {
  return fakes.analysis(log, {
    credential: azureCredentialFromEnv(env),
    identity: azureCredentialDescription(env),
  });
}

async function call(name: string, args: unknown, analysis: AzureAnalysis) {
  const tool = catalogue.find((t) => t.name === name);
  assert.ok(tool, `${name} is in the catalogue`);
  const result = await callTool(tool, args, testDependencies({ azureAnalysis: analysis, log }));
  const first = result.content[0];
  assert.ok(first?.type === 'text');
  seen.push(first.text, JSON.stringify(result.structuredContent ?? {}));
  return { isError: result.isError === true, text: first.text, structured: result.structuredContent ?? {} };
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('azureCredentialFromEnv in Azure: the App Service managed identity endpoint', () => {
  test('signs in as the user-assigned identity in AZURE_CLIENT_ID, for the resource of the scope', async () => {
    const from = identityEndpoint.requests.length;
    const credential = azureCredentialFromEnv(azureEnv(USER_ASSIGNED));
    const token = await credential.getToken('https://vault.example.net/.default');
    assert.ok(token);
    assert.equal(claims(token.token).aud, 'https://vault.example.net');
    assert.equal(claims(token.token).appid, USER_ASSIGNED);
    // expires_on came as epoch seconds in a string: a day from now, not 1970 and not a NaN.
    const hoursLeft = (token.expiresOnTimestamp - Date.now()) / 3_600_000;
    assert.ok(hoursLeft > 23 && hoursLeft <= 24, `expires in ${hoursLeft} h`);
    assert.deepEqual(identityEndpoint.requests.slice(from), [
      {
        method: 'GET',
        path: '/msi/token',
        apiVersion: MANAGED_IDENTITY_API_VERSION,
        resource: 'https://vault.example.net',
        clientId: USER_ASSIGNED,
        identityHeader: 'valid',
        status: 200,
      },
    ]);
    // The next call is served from MSAL's cache: a tool call does not cost a round trip per request.
    await credential.getToken('https://vault.example.net/.default');
    assert.equal(identityEndpoint.requests.length, from + 1);
  });

  test('without AZURE_CLIENT_ID: the system-assigned identity, with no client_id sent', async () => {
    const from = identityEndpoint.requests.length;
    const token = await azureCredentialFromEnv(azureEnv()).getToken('https://vault.example.net/.default');
    assert.ok(token);
    assert.equal(claims(token.token).appid, SYSTEM_ASSIGNED);
    assert.equal(identityEndpoint.requests.slice(from).length, 1);
    assert.equal(identityEndpoint.requests.at(-1)?.clientId, undefined);
    assert.equal(azureCredentialDescription(azureEnv()), "the app's managed identity");
  });

  test('the analysis tools answer with Azure rows, signed in as the managed identity', async () => {
    const analysis = analysisSignedInAs(azureEnv(USER_ASSIGNED));
    const servers = await call(
      'GetServerMetadata',
      { subscription_ids: [SUBSCRIPTION_A, SUBSCRIPTION_B] },
      analysis,
    );
    assert.equal(servers.isError, false, servers.text);
    assert.deepEqual(
      (servers.structured['servers'] as { name: string }[]).map((server) => server.name),
      sampleServers.map((server) => server.name),
    );
    const anomalies = await call('GetAnomalies', { workspace_id: WORKSPACE }, analysis);
    assert.equal(anomalies.isError, false, anomalies.text);
    assert.match(anomalies.text, /Detection method: KQL series_decompose_anomalies/);

    // Each service got a token whose audience is its own endpoint, issued to the user-assigned identity.
    assert.deepEqual(
      new Set(fakes.resourceGraph.requests.map((r) => r.audience)),
      new Set([fakes.resourceGraph.endpoint]),
    );
    assert.deepEqual(
      new Set(fakes.logAnalytics.requests.map((r) => r.audience)),
      new Set([fakes.logAnalytics.endpoint]),
    );
    const asked = identityEndpoint.requests
      .filter((r) => r.clientId === USER_ASSIGNED)
      .map((r) => r.resource);
    assert.ok(asked.includes(fakes.resourceGraph.endpoint), JSON.stringify(asked));
    assert.ok(asked.includes(fakes.logAnalytics.endpoint), JSON.stringify(asked));
  });

  test('an identity the app does not have: the error names that identity and what the endpoint said', async () => {
    const from = fakes.resourceGraph.requests.length;
    const answer = await call(
      'GetSqlMetadata',
      { subscription_ids: [SUBSCRIPTION_A] },
      analysisSignedInAs(azureEnv(NOT_ASSIGNED)),
    );
    assert.equal(answer.isError, true);
    // Only what the endpoint said, without MSAL's framing (timestamps, correlation IDs), and the fix.
    assert.equal(
      answer.text,
      `Could not get a token for Azure Resource Graph as the managed identity with client ID ${NOT_ASSIGNED}: ` +
        'the managed identity endpoint (IDENTITY_ENDPOINT) refused: No User Assigned or Delegated Managed ' +
        "Identity found for specified ClientId/ResourceId/PrincipalId. Assign that identity to the app (the app's " +
        'Identity page), or set AZURE_CLIENT_ID to the client ID of one it has.',
    );
    assert.equal(fakes.resourceGraph.requests.length, from, 'nothing was sent without a token');
  });

  test('the endpoint refusing the secret header (401): a clear error naming the managed identity', async () => {
    const held = identityEndpoint.identityHeader;
    identityEndpoint.changeIdentityHeader('a-header-this-process-does-not-hold');
    try {
      const from = fakes.logAnalytics.requests.length;
      // The system-assigned identity has no Log Analytics token yet, so MSAL asks the endpoint.
      const answer = await call(
        'GetSqlBpAssessment',
        { workspace_id: WORKSPACE },
        analysisSignedInAs(azureEnv()),
      );
      assert.equal(answer.isError, true);
      assert.equal(
        answer.text,
        "Could not get a token for Log Analytics as the app's managed identity: the managed identity endpoint " +
          '(IDENTITY_ENDPOINT) refused: The X-IDENTITY-HEADER header is not valid.',
      );
      assert.equal(identityEndpoint.requests.at(-1)?.identityHeader, 'wrong');
      assert.equal(identityEndpoint.requests.at(-1)?.status, 401);
      assert.equal(fakes.logAnalytics.requests.length, from, 'nothing was sent without a token');
      assert.ok(!answer.text.includes(held));
    } finally {
      identityEndpoint.changeIdentityHeader(held);
    }
  });
});
