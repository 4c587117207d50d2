// How a failed probe is classified, from the error shapes the MCP SDK and fetch produce.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyProbeFailure } from '../../../extension/probe/probeFailure';

const base = { timedOut: false, cancelled: false, timeoutMs: 10_000 };
/** fetch's own failure: a TypeError whose cause carries the system error code. */
const fetchFailed = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
/** The SDK's StreamableHTTPError: `code` is the HTTP status. */
const httpError = (status: number, text = '') =>
  Object.assign(new Error(`Streamable HTTP error: Error POSTing to endpoint: ${text}`), { code: status });

describe('classifyProbeFailure', () => {
  test('401 without a challenge: the key; with a Bearer challenge: Entra', () => {
    assert.deepEqual(classifyProbeFailure(httpError(401), { ...base, lastResponse: { status: 401 } }), {
      kind: 'unauthorized',
      bearerChallenge: false,
      status: 401,
      detail: 'HTTP 401: Streamable HTTP error: Error POSTing to endpoint: ',
    });
    const entra = classifyProbeFailure(httpError(401), {
      ...base,
      lastResponse: {
        status: 401,
        wwwAuthenticate: 'Bearer resource_metadata="https://x/.well-known/oauth-protected-resource"',
      },
    });
    assert.equal(entra.kind, 'unauthorized');
    assert.equal(entra.bearerChallenge, true);
  });

  test('a Bearer challenge after another one still means Entra; a Bearer parameter alone does not', () => {
    const challenged = (wwwAuthenticate: string) =>
      classifyProbeFailure(httpError(401), { ...base, lastResponse: { status: 401, wwwAuthenticate } })
        .bearerChallenge;
    assert.equal(challenged('Basic realm="x", Bearer resource_metadata="https://x/prm"'), true);
    assert.equal(challenged('Negotiate YII==, bearer'), true);
    assert.equal(challenged('Basic realm="Bearer"'), false);
    assert.equal(challenged('Basic realm="x", note=Bearer'), false);
    const forbidden = classifyProbeFailure(httpError(403), {
      ...base,
      lastResponse: { status: 403, wwwAuthenticate: 'Basic realm="x", Bearer error="insufficient_scope"' },
    });
    assert.equal(forbidden.bearerChallenge, true);
  });

  test('403, 404 and other statuses', () => {
    assert.equal(classifyProbeFailure(httpError(403), base).kind, 'forbidden');
    assert.equal(classifyProbeFailure(httpError(404), base).kind, 'notFound');
    const failing = classifyProbeFailure(httpError(503, 'Service Unavailable'), base);
    assert.equal(failing.kind, 'httpError');
    assert.equal(failing.status, 503);
  });

  test('the status of the last answer counts when the error does not carry one', () => {
    const failure = classifyProbeFailure(new Error('Unexpected content type: text/html'), {
      ...base,
      lastResponse: { status: 502 },
    });
    assert.equal(failure.kind, 'httpError');
    assert.equal(failure.status, 502);
  });

  test('time-outs: the probe limit, the SDK request timeout, a connect timeout', () => {
    assert.deepEqual(
      classifyProbeFailure(new Error('aborted'), { ...base, timedOut: true, timeoutMs: 7000 }),
      {
        kind: 'timeout',
        detail: 'no answer within 7 s',
      },
    );
    assert.equal(
      classifyProbeFailure(Object.assign(new Error('Request timed out'), { code: -32001 }), base).kind,
      'timeout',
    );
    assert.equal(classifyProbeFailure(fetchFailed('UND_ERR_CONNECT_TIMEOUT'), base).kind, 'timeout');
  });

  test('name not resolved, TLS, refused, other network errors', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      assert.deepEqual(classifyProbeFailure(fetchFailed(code), base), {
        kind: 'nameNotResolved',
        code,
        detail: `the host name was not resolved (${code})`,
      });
    }
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]) {
      assert.equal(classifyProbeFailure(fetchFailed(code), base).kind, 'tls', code);
    }
    assert.equal(classifyProbeFailure(fetchFailed('ECONNREFUSED'), base).kind, 'connectionRefused');
    assert.equal(classifyProbeFailure(fetchFailed('ECONNRESET'), base).kind, 'network');
  });

  test('a cancelled probe is cancelled, whatever else happened', () => {
    assert.equal(
      classifyProbeFailure(fetchFailed('ECONNRESET'), { ...base, cancelled: true }).kind,
      'cancelled',
    );
  });

  test('anything else is not an MCP answer; long messages are cut', () => {
    const failure = classifyProbeFailure(new Error(`Unexpected token < in JSON ${'x'.repeat(500)}`), base);
    assert.equal(failure.kind, 'protocol');
    assert.ok(failure.detail.length < 250);
  });
});
