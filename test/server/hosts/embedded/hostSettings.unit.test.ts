// How the embedded host reads its settings from the environment: where it listens, its limits, and
// how callers sign in (MCP_KEY, or Microsoft Entra tokens with MCP_AUTH_*).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  embeddedHostSettingsFromEnv,
  SettingsError,
} from '../../../../server/src/hosts/embedded/hostSettings';

const tenantId = '11111111-2222-3333-4444-555555555555';
const apiClientId = '99999999-8888-7777-6666-555555555555';
const audience = `api://${apiClientId}`;
const scope = `${audience}/user_impersonation`;

test('embedded host settings: defaults, port precedence and bad values', () => {
  assert.deepEqual(embeddedHostSettingsFromEnv({}), {
    host: '127.0.0.1',
    port: 7071,
    key: undefined,
    extraAllowedHosts: [],
    extraAllowedOrigins: [],
    maxBodyBytes: 4 * 1024 * 1024,
  });
  assert.equal(
    embeddedHostSettingsFromEnv({ PORT: '8080', FUNCTIONS_CUSTOMHANDLER_PORT: '9090' }).port,
    8080,
  );
  assert.equal(embeddedHostSettingsFromEnv({ FUNCTIONS_CUSTOMHANDLER_PORT: '9090' }).port, 9090);
  assert.deepEqual(
    embeddedHostSettingsFromEnv({ MCP_HOST: '0.0.0.0', MCP_ALLOWED_HOSTS: 'dev.box, other' })
      .extraAllowedHosts,
    ['dev.box', 'other'],
  );
  assert.throws(
    () => embeddedHostSettingsFromEnv({ PORT: '70000' }),
    /PORT must be a whole number from 0 to 65535/,
  );
  assert.throws(
    () => embeddedHostSettingsFromEnv({ MCP_MAX_BODY_BYTES: '1kb' }),
    /MCP_MAX_BODY_BYTES must be a whole number/,
  );
});

describe('Entra mode (MCP_AUTH_*) from the environment', () => {
  const full = {
    MCP_AUTH_ISSUER: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    MCP_AUTH_AUDIENCE: `${apiClientId}, ${audience}`,
    MCP_AUTH_JWKS_URL: `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`,
  };

  test('all three set: Entra mode, the scope named after the identifier URI', () => {
    const settings = embeddedHostSettingsFromEnv(full);
    assert.deepEqual(settings.auth, {
      issuer: full.MCP_AUTH_ISSUER,
      audiences: [apiClientId, audience],
      jwksUrl: full.MCP_AUTH_JWKS_URL,
      scopes: [scope],
      trustForwardedProto: false,
    });
    assert.equal(settings.key, undefined);
  });

  test('MCP_AUTH_SCOPES and MCP_TRUST_PROXY', () => {
    const settings = embeddedHostSettingsFromEnv({
      ...full,
      MCP_AUTH_SCOPES: 'api://a/one, api://a/two',
      MCP_TRUST_PROXY: '1',
    });
    assert.deepEqual(settings.auth?.scopes, ['api://a/one', 'api://a/two']);
    assert.equal(settings.auth?.trustForwardedProto, true);
  });

  test('none set: no auth', () => {
    assert.equal(embeddedHostSettingsFromEnv({}).auth, undefined);
    assert.equal('auth' in embeddedHostSettingsFromEnv({ MCP_KEY: 'k' }), false);
  });

  test('a partial configuration names the missing variables', () => {
    assert.throws(
      () => embeddedHostSettingsFromEnv({ MCP_AUTH_ISSUER: full.MCP_AUTH_ISSUER }),
      (error: unknown) =>
        error instanceof SettingsError &&
        /MCP_AUTH_AUDIENCE and MCP_AUTH_JWKS_URL are not set/.test(error.message),
    );
    assert.throws(
      () => embeddedHostSettingsFromEnv({ ...full, MCP_AUTH_JWKS_URL: ' ' }),
      (error: unknown) =>
        error instanceof SettingsError && /MCP_AUTH_JWKS_URL is not set/.test(error.message),
    );
    assert.throws(
      () => embeddedHostSettingsFromEnv({ MCP_AUTH_SCOPES: 'x' }),
      (error: unknown) => error instanceof SettingsError && /MCP_AUTH_ISSUER/.test(error.message),
    );
  });

  test('MCP_KEY with MCP_AUTH_* is refused: pick one', () => {
    assert.throws(
      () => embeddedHostSettingsFromEnv({ ...full, MCP_KEY: 'k' }),
      (error: unknown) =>
        error instanceof SettingsError && /MCP_KEY and MCP_AUTH_\* are both set/.test(error.message),
    );
  });

  test('URLs must be http(s) URLs', () => {
    assert.throws(
      () => embeddedHostSettingsFromEnv({ ...full, MCP_AUTH_JWKS_URL: 'keys.json' }),
      (error: unknown) =>
        error instanceof SettingsError && /MCP_AUTH_JWKS_URL must be an http\(s\) URL/.test(error.message),
    );
  });
});
