import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  invoiceSettingsFromEnv,
  type ContentUnderstandingSettings,
  type InvoiceSettings,
} from '../../../server/src/invoices/invoiceSettings';
import { toolDependenciesFromEnv } from '../../../server/src/dependenciesFromEnv';
import { recordingLogger } from '../../support/testDependencies';

const endpoint = 'https://contoso-ai.services.ai.azure.com';
const defaultDataDir = path.resolve('/srv/app/data');

function service(settings: InvoiceSettings): ContentUnderstandingSettings {
  assert.ok(!('problem' in settings.service), `unexpected problem: ${JSON.stringify(settings.service)}`);
  return settings.service;
}

function problem(env: NodeJS.ProcessEnv): string {
  const settings = invoiceSettingsFromEnv(env, defaultDataDir);
  assert.ok('problem' in settings.service, 'expected the settings to be refused');
  return settings.service.problem;
}

describe('invoiceSettingsFromEnv', () => {
  test('an endpoint alone: prebuilt-invoice, API 2025-11-01, 2 s polls for up to 180 s, signed in as an identity', () => {
    const settings = invoiceSettingsFromEnv(
      { CONTENT_UNDERSTANDING_ENDPOINT: `${endpoint}/` },
      defaultDataDir,
    );
    assert.equal(settings.dataDir, defaultDataDir);
    const { auth, ...rest } = service(settings);
    assert.deepEqual(rest, {
      endpoint,
      apiVersion: '2025-11-01',
      analyzerId: 'prebuilt-invoice',
      pollIntervalMs: 2000,
      pollTimeoutMs: 180_000,
    });
    assert.ok(auth.kind === 'identity', `signs in with ${auth.kind}`);
    assert.match(auth.description, /azd auth login/);
  });

  test('in Azure (IDENTITY_ENDPOINT set) the identity is the app’s managed identity, chosen by AZURE_CLIENT_ID', () => {
    const { auth } = service(
      invoiceSettingsFromEnv(
        {
          CONTENT_UNDERSTANDING_ENDPOINT: endpoint,
          IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token',
          AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000c1',
        },
        defaultDataDir,
      ),
    );
    assert.ok(auth.kind === 'identity');
    assert.equal(
      auth.description,
      'the managed identity with client ID 00000000-0000-0000-0000-0000000000c1',
    );
  });

  test('every setting given: key, analyzer, version, polling, data folder', () => {
    const settings = invoiceSettingsFromEnv(
      {
        CONTENT_UNDERSTANDING_ENDPOINT: ' https://contoso.cognitiveservices.azure.com/contentunderstanding/ ',
        CONTENT_UNDERSTANDING_API_KEY: ' secret-key ',
        CONTENT_UNDERSTANDING_ANALYZER_ID: 'my-invoices.v2',
        CONTENT_UNDERSTANDING_API_VERSION: '2025-05-01-preview',
        CONTENT_UNDERSTANDING_POLL_INTERVAL_SECONDS: '0.5',
        CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS: '600',
        INVOICE_DATA_DIR: 'relative/invoices',
      },
      defaultDataDir,
    );
    assert.equal(settings.dataDir, path.resolve('relative/invoices'));
    assert.deepEqual(service(settings), {
      // A pasted URL that already ends in the API's root still names the resource.
      endpoint: 'https://contoso.cognitiveservices.azure.com',
      apiVersion: '2025-05-01-preview',
      analyzerId: 'my-invoices.v2',
      auth: { kind: 'apiKey', apiKey: 'secret-key' },
      pollIntervalMs: 500,
      pollTimeoutMs: 600_000,
    });
  });

  test('empty values mean "not set", so an empty key means "sign in with an identity"', () => {
    const settings = invoiceSettingsFromEnv(
      {
        CONTENT_UNDERSTANDING_ENDPOINT: endpoint,
        CONTENT_UNDERSTANDING_API_KEY: '',
        CONTENT_UNDERSTANDING_ANALYZER_ID: ' ',
        CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS: '',
        INVOICE_DATA_DIR: '',
      },
      defaultDataDir,
    );
    assert.equal(settings.dataDir, defaultDataDir);
    assert.equal(service(settings).auth.kind, 'identity');
    assert.equal(service(settings).analyzerId, 'prebuilt-invoice');
  });

  test('plain http is accepted only for a stand-in on this machine', () => {
    assert.equal(
      service(invoiceSettingsFromEnv({ CONTENT_UNDERSTANDING_ENDPOINT: 'http://127.0.0.1:9000' }, ''))
        .endpoint,
      'http://127.0.0.1:9000',
    );
    assert.match(
      problem({ CONTENT_UNDERSTANDING_ENDPOINT: 'http://contoso.cognitiveservices.azure.com' }),
      /^CONTENT_UNDERSTANDING_ENDPOINT must be the resource's https endpoint, such as https:\/\/<resource>\.services\.ai\.azure\.com\/; the configured value uses http\.$/,
    );
  });

  const refusals: [what: string, env: NodeJS.ProcessEnv, expected: RegExp][] = [
    [
      'no endpoint',
      {},
      /^analyze_invoice needs Azure AI Content Understanding: set CONTENT_UNDERSTANDING_ENDPOINT to the endpoint of your Microsoft Foundry resource/,
    ],
    [
      'an endpoint that is not a URL',
      { CONTENT_UNDERSTANDING_ENDPOINT: 'contoso' },
      /CONTENT_UNDERSTANDING_ENDPOINT .*not a URL/,
    ],
    [
      'an endpoint with a query string',
      { CONTENT_UNDERSTANDING_ENDPOINT: `${endpoint}/?api-version=2025-11-01` },
      /no query string or credentials/,
    ],
    [
      'a malformed analyzer id',
      { CONTENT_UNDERSTANDING_ENDPOINT: endpoint, CONTENT_UNDERSTANDING_ANALYZER_ID: 'prebuilt invoice' },
      /^CONTENT_UNDERSTANDING_ANALYZER_ID must be up to 64 letters, digits, "\.", "_" or "-", such as "prebuilt-invoice", not "prebuilt invoice"\.$/,
    ],
    [
      'a malformed API version',
      { CONTENT_UNDERSTANDING_ENDPOINT: endpoint, CONTENT_UNDERSTANDING_API_VERSION: 'latest' },
      /^CONTENT_UNDERSTANDING_API_VERSION must be a date such as "2025-11-01", not "latest"\.$/,
    ],
    [
      'a poll interval of 0',
      { CONTENT_UNDERSTANDING_ENDPOINT: endpoint, CONTENT_UNDERSTANDING_POLL_INTERVAL_SECONDS: '0' },
      /^CONTENT_UNDERSTANDING_POLL_INTERVAL_SECONDS must be a number of seconds above 0 and at most 60, not "0"\.$/,
    ],
    [
      'a poll time-out in words',
      { CONTENT_UNDERSTANDING_ENDPOINT: endpoint, CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS: '3 minutes' },
      /^CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 3600, not "3 minutes"\.$/,
    ],
  ];
  for (const [what, env, expected] of refusals) {
    test(`${what} is reported by the tool, naming the variable, instead of stopping the host`, () => {
      assert.match(problem(env), expected);
    });
  }

  test('several problems are reported together, and the key is never echoed', () => {
    const text = problem({
      CONTENT_UNDERSTANDING_ENDPOINT: 'ftp://x',
      CONTENT_UNDERSTANDING_API_KEY: 'do-not-echo-this-key',
      CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS: '-1',
    });
    assert.match(
      text,
      /CONTENT_UNDERSTANDING_ENDPOINT .* uses ftp\. CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS must be/,
    );
    assert.doesNotMatch(text, /do-not-echo-this-key/);
  });

  test('the hosts look for the shipped samples in server/data, next to their bundle folder', () => {
    // dependenciesFromEnv.ts sits in server/src as the bundles sit in server/dist: both are one level below server/.
    const deps = toolDependenciesFromEnv({}, recordingLogger());
    assert.equal(deps.invoices.dataDir, path.resolve(__dirname, '../../../server/data'));
  });
});
