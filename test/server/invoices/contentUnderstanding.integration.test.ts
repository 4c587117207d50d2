// analyze_invoice over real HTTP against the loopback Content Understanding fake: the shipped
// samples, polling, time-outs, throttling, sign-in failures, malformed answers and the service's
// MissingModelDeploymentMapping failure; then the identity path for real, with the built embedded
// host signing in through @azure/identity and the fake azd.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { COGNITIVE_SERVICES_AUDIENCE, FAKE_CU_API_KEY } from '../../fakes/contentUnderstanding';
import { freePort, startNodeProcess } from '../../support/processes';
import { connectClient } from '../../support/mcpClients';
import {
  analyze,
  contoso,
  expectError,
  expectedStructure,
  fabrikam,
  fake,
  identity,
  log,
  scratch,
  service,
  textOf,
  tokenFor,
  useFakeContentUnderstanding,
} from './analyzeInvoiceHarness';

useFakeContentUnderstanding();

describe('analyze_invoice against Content Understanding', () => {
  test('the sample PDF: vendor, number, dates, totals and line items, as text and structured content', async () => {
    const result = await analyze({ fileName: contoso.fileName });
    assert.equal(result.isError, undefined, textOf(result));
    assert.deepEqual(result.structuredContent, expectedStructure(contoso, 'application/pdf'));
    assert.equal(
      textOf(result),
      [
        'Invoice INV-2026-0042 from Contoso Office Supplies Ltd., read from invoices/contoso-INV-2026-0042.pdf with prebuilt-invoice.',
        'Invoice date: 2026-11-02',
        'Due date: 2026-12-02',
        'Line items:',
        '- A4 copy paper, 500 sheets: 20 × 4.50 USD = 90.00 USD',
        '- Ballpoint pens, box of 50: 4 × 12.25 USD = 49.00 USD',
        '- Ergonomic office chair: 2 × 189.00 USD = 378.00 USD',
        'Subtotal: 517.00 USD',
        'Tax: 51.70 USD',
        'Total: 568.70 USD',
      ].join('\n'),
    );
    // One upload with the key, the file's type and the configured version, then the status requests.
    const [upload, ...polls] = fake.requests;
    assert.deepEqual(upload, {
      method: 'POST',
      path: '/contentunderstanding/analyzers/prebuilt-invoice:analyzeBinary',
      query: { 'api-version': '2025-11-01' },
      apiKey: FAKE_CU_API_KEY,
      contentType: 'application/pdf',
      bodyBytes: 3599,
    });
    assert.equal(polls.length, 2, 'one Running, then Succeeded');
    for (const poll of polls) {
      assert.equal(poll.method, 'GET');
      assert.match(poll.path, /^\/contentunderstanding\/analyzerResults\/[0-9a-f-]{36}$/);
      assert.deepEqual(poll.query, { 'api-version': '2025-11-01' });
      assert.equal(poll.apiKey, FAKE_CU_API_KEY);
    }
  });

  test('the sample image, addressed through its sub-folder (invoiceId), reads as the PNG it is', async () => {
    const result = await analyze({ invoiceId: 'invoices', fileName: path.basename(fabrikam.fileName) });
    assert.equal(result.isError, undefined, textOf(result));
    assert.deepEqual(result.structuredContent, expectedStructure(fabrikam, 'image/png'));
    assert.match(textOf(result), /^Invoice FAB-11873 from Fabrikam Print & Design GmbH,/);
    assert.match(textOf(result), /Total: 1368\.50 EUR$/);
    assert.equal(fake.requests[0]?.contentType, 'image/png');
  });

  test('keeps polling while the operation is Running, at the configured interval', async () => {
    fake.setBehaviour({ kind: 'normal', runningPolls: 4 });
    const started = Date.now();
    const result = await analyze(
      { fileName: contoso.fileName },
      { service: service({ pollIntervalMs: 60 }) },
    );
    assert.equal(result.isError, undefined, textOf(result));
    assert.equal(fake.requests.filter((request) => request.method === 'GET').length, 5);
    assert.ok(Date.now() - started >= 5 * 60, 'each status request waited for the interval');
  });

  test('an analyzer given as an argument replaces the configured one', async () => {
    const result = await analyze({ fileName: contoso.fileName, analyzerId: 'prebuilt-document' });
    assert.equal(result.isError, undefined, textOf(result));
    assert.equal(fake.requests[0]?.path, '/contentunderstanding/analyzers/prebuilt-document:analyzeBinary');
    assert.equal((result.structuredContent as { analyzerId: string }).analyzerId, 'prebuilt-document');
  });

  test('gives up after CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS, naming the setting and its value', async () => {
    fake.setBehaviour({ kind: 'neverFinishes' });
    const started = Date.now();
    await expectError(
      { fileName: contoso.fileName },
      { service: service({ pollIntervalMs: 50, pollTimeoutMs: 400 }) },
      /^Content Understanding had not finished analyzing "invoices\/contoso-INV-2026-0042\.pdf" after 400 ms \(last status: Running\)\. Try again later, or raise CONTENT_UNDERSTANDING_POLL_TIMEOUT_SECONDS \(now 0\.4\) for long documents\.$/,
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 400 && elapsed < 2000, `stopped at the deadline (${elapsed} ms)`);
    assert.match(log.lines.join('\n'), /warn: analyze_invoice: Content Understanding had not finished/);
  });

  test('a 429 with Retry-After is waited out and the document analyzed', async () => {
    fake.setBehaviour({ kind: 'throttle', times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await analyze({ fileName: contoso.fileName });
    assert.equal(result.isError, undefined, textOf(result));
    assert.ok(Date.now() - started >= 1000, 'Retry-After: 1 was honoured');
    assert.equal(fake.requests.filter((request) => request.method === 'POST').length, 2);
  });

  test('429 after 429: stops after four attempts and says the resource is throttling', async () => {
    fake.setBehaviour({ kind: 'throttle', times: 100, retryAfterSeconds: 0 });
    await expectError(
      { fileName: contoso.fileName },
      {},
      /^Content Understanding answered HTTP 429 \(429: Rate limit is exceeded\. Try again later\) to 4 attempts in a row: the resource is throttling requests\. Wait a minute and try again, or raise its rate limit in the Azure portal\.$/,
    );
    assert.equal(fake.requests.length, 4);
  });

  test('a Retry-After beyond the time-out is not waited for', async () => {
    fake.setBehaviour({ kind: 'throttle', times: 1, retryAfterSeconds: 30 });
    const started = Date.now();
    await expectError({ fileName: contoso.fileName }, {}, /HTTP 429 .*: the resource is throttling requests/);
    assert.ok(Date.now() - started < 2000);
    assert.equal(fake.requests.length, 1);
  });

  test('a wrong key: 401, and the message names CONTENT_UNDERSTANDING_API_KEY', async () => {
    await expectError(
      { fileName: contoso.fileName },
      { service: service({ auth: { kind: 'apiKey', apiKey: 'not-the-key' } }) },
      /^Content Understanding answered HTTP 401 \(401: Access denied due to invalid subscription key or wrong API endpoint\. .*\): the API key was not accepted\. Set CONTENT_UNDERSTANDING_API_KEY to Key 1 or Key 2/,
    );
  });

  test('an identity: the bearer token for https://cognitiveservices.azure.com is sent instead of a key', async () => {
    const result = await analyze(
      { fileName: contoso.fileName },
      { service: service({ auth: identity(tokenFor(COGNITIVE_SERVICES_AUDIENCE)) }) },
    );
    assert.equal(result.isError, undefined, textOf(result));
    for (const request of fake.requests) {
      assert.equal(request.bearerAudience, COGNITIVE_SERVICES_AUDIENCE);
      assert.equal(request.apiKey, undefined);
    }
  });

  test('an identity without the role: 403, and the message names the role to grant', async () => {
    fake.setIdentityHasRole(false);
    await expectError(
      { fileName: contoso.fileName },
      { service: service({ auth: identity(tokenFor(COGNITIVE_SERVICES_AUDIENCE)) }) },
      /^Content Understanding answered HTTP 403 \(PermissionDenied: .*\): the test identity may not use the resource\. Grant it the "Cognitive Services User" role on the Content Understanding resource/,
    );
  });

  test('a token for another audience: 401, and the message says which sign-in was used', async () => {
    await expectError(
      { fileName: contoso.fileName },
      { service: service({ auth: identity(tokenFor('https://management.azure.com')) }) },
      /HTTP 401 .*: the token from the test identity was not accepted\./,
    );
  });

  test('no sign-in available: the credential’s reason, and the way to use a key instead', async () => {
    const signedOut: TokenCredential = {
      getToken: () =>
        Promise.reject(
          new Error('Please run "azd auth login" from a command prompt to authenticate.\nMore text'),
        ),
    };
    await expectError(
      { fileName: contoso.fileName },
      { service: service({ auth: identity(signedOut) }) },
      /^Could not get a token for Content Understanding with the test identity: Please run "azd auth login" from a command prompt to authenticate\. Sign in, or set CONTENT_UNDERSTANDING_API_KEY to use a key instead\.$/,
    );
    assert.equal(fake.requests.length, 0);
  });

  test('MissingModelDeploymentMapping when submitting: how to set the default model deployments', async () => {
    fake.setBehaviour({ kind: 'missingDeployments', at: 'submit' });
    await expectError(
      { fileName: contoso.fileName },
      {},
      /^Content Understanding cannot run analyzer "prebuilt-invoice" yet \(MissingModelDeploymentMapping\): the resource has no default model deployments\./,
      /set them as the default model deployments for Content Understanding, on its settings page in the Foundry portal or with PATCH \{endpoint\}\/contentunderstanding\/defaults/,
      /https:\/\/aka\.ms\/cudoc-quickstart-rest/,
    );
  });

  test('MissingModelDeploymentMapping failing the operation gets the same explanation', async () => {
    fake.setBehaviour({ kind: 'missingDeployments', at: 'operation' });
    await expectError(
      { fileName: contoso.fileName },
      {},
      /^Content Understanding cannot run analyzer "prebuilt-invoice" yet \(MissingModelDeploymentMapping\)/,
    );
  });

  test('a failed operation passes the service’s reason on', async () => {
    fake.setBehaviour({
      kind: 'fail',
      error: { code: 'InvalidContent', message: 'The file is corrupted or format is unsupported.' },
    });
    await expectError(
      { fileName: contoso.fileName },
      {},
      /^Content Understanding could not analyze "invoices\/contoso-INV-2026-0042\.pdf": InvalidContent: The file is corrupted or format is unsupported\.$/,
    );
  });

  test('an unknown analyzer: 404, naming the argument and CONTENT_UNDERSTANDING_ANALYZER_ID', async () => {
    await expectError(
      { fileName: contoso.fileName, analyzerId: 'my-missing-analyzer' },
      {},
      /HTTP 404 .*: there is no analyzer "my-missing-analyzer" there\. Check the analyzerId argument or CONTENT_UNDERSTANDING_ANALYZER_ID/,
    );
  });

  test('service trouble (503 on every try) is reported as such after the retries', async () => {
    fake.setBehaviour({
      kind: 'respond',
      at: 'submit',
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'Busy.' } },
      headers: { 'retry-after': '0' },
    });
    await expectError(
      { fileName: contoso.fileName },
      {},
      /^Content Understanding answered HTTP 503 \(ServiceUnavailable: Busy\): the service is having trouble\. Try again later\.$/,
    );
    assert.equal(fake.requests.length, 4);
  });

  test('an endpoint nothing answers on: names CONTENT_UNDERSTANDING_ENDPOINT', async () => {
    const port = await freePort();
    await expectError(
      { fileName: contoso.fileName },
      { service: service({ endpoint: `http://127.0.0.1:${port}` }) },
      new RegExp(
        `^Could not reach Content Understanding at 127\\.0\\.0\\.1:${port}: the connection was refused\\. Check CONTENT_UNDERSTANDING_ENDPOINT`,
      ),
    );
  });

  test('cancelled by the client while waiting: says so, and stops polling', async () => {
    fake.setBehaviour({ kind: 'neverFinishes' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const result = await analyze(
      { fileName: contoso.fileName },
      { service: service({ pollIntervalMs: 30 }) },
      controller.signal,
    );
    assert.equal(textOf(result), 'The invoice analysis was cancelled.');
    const polls = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(fake.requests.length, polls);
  });

  test('Content Understanding not configured: the file is still checked first, then the setting is named', async () => {
    const unconfigured = {
      service: {
        problem:
          'analyze_invoice needs Azure AI Content Understanding: set CONTENT_UNDERSTANDING_ENDPOINT to …',
      },
    };
    await expectError({ fileName: 'invoices/nope.pdf' }, unconfigured, /^No file "invoices\/nope\.pdf"/);
    await expectError(
      { fileName: contoso.fileName },
      unconfigured,
      /^analyze_invoice needs Azure AI Content Understanding: set CONTENT_UNDERSTANDING_ENDPOINT/,
    );
    assert.equal(fake.requests.length, 0);
  });
});

describe('analyze_invoice: malformed answers from the service', () => {
  const malformed: [what: string, setup: () => void, expected: RegExp][] = [
    [
      'a status that is not JSON',
      () => fake.setBehaviour({ kind: 'respond', at: 'poll', status: 200, body: '<html>gateway</html>' }),
      /^Content Understanding sent the operation status that is not JSON\. Try again later; if it persists, check CONTENT_UNDERSTANDING_ENDPOINT and CONTENT_UNDERSTANDING_API_VERSION\.$/,
    ],
    [
      'a status without a status',
      () => fake.setBehaviour({ kind: 'respond', at: 'poll', status: 200, body: { id: 'x' } }),
      /sent the operation status in an unexpected shape \(status: /,
    ],
    [
      'an unknown status',
      () =>
        fake.setBehaviour({
          kind: 'respond',
          at: 'poll',
          status: 200,
          body: { id: 'x', status: 'Pondering' },
        }),
      /reported the unknown operation status "Pondering"/,
    ],
    [
      'success without contents',
      () => fake.setBehaviour({ kind: 'result', result: { analyzerId: 'prebuilt-invoice' } }),
      /unexpected shape \(result\.contents: /,
    ],
    [
      'success with an empty contents list',
      () => fake.setBehaviour({ kind: 'result', result: { contents: [] } }),
      /reported success without any analyzed content/,
    ],
    [
      'contents without fields',
      () =>
        fake.setBehaviour({ kind: 'result', result: { contents: [{ kind: 'document', markdown: '# x' }] } }),
      /^Analyzer "prebuilt-invoice" returned no fields for "invoices\/contoso-INV-2026-0042\.pdf": it only extracts text\./,
    ],
    [
      'a value that does not match its declared type',
      () =>
        fake.setBehaviour({
          kind: 'result',
          result: { contents: [{ fields: { TotalAmount: { type: 'number', valueNumber: '12' } } }] },
        }),
      /unexpected shape \(result\.contents\.0\.fields\.TotalAmount\.valueNumber: /,
    ],
    [
      'an accepted request without Operation-Location',
      () =>
        fake.setBehaviour({
          kind: 'respond',
          at: 'submit',
          status: 202,
          body: { id: 'x', status: 'NotStarted' },
        }),
      /^Content Understanding accepted the document but sent no Operation-Location header\./,
    ],
    [
      'an Operation-Location on another host',
      () =>
        fake.setBehaviour({
          kind: 'respond',
          at: 'submit',
          status: 202,
          body: {},
          headers: {
            'operation-location': 'https://elsewhere.example/contentunderstanding/analyzerResults/1',
          },
        }),
      /sent an Operation-Location on another host \(elsewhere\.example\); it is not polled/,
    ],
    [
      'a redirect, which is not followed (it would carry the key elsewhere)',
      () =>
        fake.setBehaviour({
          kind: 'respond',
          at: 'submit',
          status: 307,
          body: {},
          headers: { location: 'http://127.0.0.1:9/steal' },
        }),
      /answered HTTP 307 instead of 202 Accepted/,
    ],
    [
      'a 200 where 202 belongs',
      () => fake.setBehaviour({ kind: 'respond', at: 'submit', status: 200, body: {} }),
      /answered HTTP 200 instead of 202 Accepted/,
    ],
  ];
  for (const [what, setup, expected] of malformed) {
    test(`${what}: a clear error, no crash`, async () => {
      setup();
      await expectError({ fileName: contoso.fileName }, {}, expected);
    });
  }
});

describe('analyze_invoice in the built embedded host, signed in through the Azure Developer CLI', () => {
  test('no API key: @azure/identity runs azd for a Content Understanding token, and the shipped samples are found', async () => {
    const bundle = path.resolve(__dirname, '../../../server/dist/embedded.js');
    const fakeAzdDir = path.resolve(__dirname, '../../fakes/azd');
    const azdConfig = path.join(scratch, 'azd.json');
    writeFileSync(azdConfig, JSON.stringify({ signedIn: true }));
    const port = await freePort();
    // Nothing that would make the credential think it runs in Azure, and no data folder override:
    // the bundle must find server/data itself.
    const {
      IDENTITY_ENDPOINT: _i,
      MSI_ENDPOINT: _m,
      INVOICE_DATA_DIR: _d,
      CONTENT_UNDERSTANDING_API_KEY: _k,
      ...env
    } = process.env;
    const host = startNodeProcess(bundle, {
      ...env,
      PORT: String(port),
      PATH: `${fakeAzdDir}${path.delimiter}${process.env.PATH ?? ''}`,
      FAKE_AZD_CONFIG: azdConfig,
      CONTENT_UNDERSTANDING_ENDPOINT: fake.endpoint,
      CONTENT_UNDERSTANDING_API_KEY: '',
      CONTENT_UNDERSTANDING_POLL_INTERVAL_SECONDS: '0.05',
    });
    try {
      await host.waitForLine(/ready:/);
      const client = await connectClient(`http://127.0.0.1:${port}/runtime/webhooks/mcp`, 'streamable-http');
      const result = (await client.callTool({
        name: 'analyze_invoice',
        arguments: { fileName: fabrikam.fileName },
      })) as CallToolResult;
      await client.close();
      assert.equal(result.isError, undefined, textOf(result));
      assert.deepEqual(result.structuredContent, expectedStructure(fabrikam, 'image/png'));
      assert.ok(fake.requests.length >= 2);
      for (const request of fake.requests) {
        assert.equal(
          request.bearerAudience,
          COGNITIVE_SERVICES_AUDIENCE,
          'a token minted by azd for Content Understanding',
        );
        assert.equal(request.apiKey, undefined);
      }
    } finally {
      await host.stop();
    }
  });
});
