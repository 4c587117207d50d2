// The pure half of Microsoft Entra authentication (extension/auth/entraAppConfig.ts): the
// authsettingsV2 properties and app settings written for the Entra mode and for key mode, merging
// them into what an app already has, and reading the state back for the diagnostics. Shapes as in
// https://learn.microsoft.com/rest/api/appservice/web-apps/update-auth-settings-v2 and, for the
// Protected Resource Metadata setting, https://learn.microsoft.com/azure/app-service/configure-authentication-mcp.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthSettingsV2Properties } from '../../../extension/azure/authSettings';
import {
  ALLOWED_TENANTS_SETTING,
  ENTRA_APP_SETTINGS,
  MI_CLIENT_ID_SETTING,
  PRM_SCOPES_SETTING,
  VSCODE_CLIENT_ID,
  WEBHOOK_LEVEL_SETTING,
} from '../../../extension/auth/entra';
import {
  InvalidEntraRegistrationError,
  entraAppSettingChanges,
  entraAuthSettingsV2,
  keyModeAppSettingChanges,
  otherProvidersInUse,
  readAuthState,
  withEntraAuth,
  withoutEntraAuth,
} from '../../../extension/auth/entraAppConfig';

const tenantId = '11111111-2222-3333-4444-555555555555';
const clientId = '66666666-7777-8888-9999-000000000000';
const identifierUri = `api://${tenantId}/remote-mcp-abc`;
const miClientId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const registration = { tenantId, clientId, identifierUri };

const entraOn = (): AuthSettingsV2Properties => entraAuthSettingsV2(registration);
const entraSettings = (): Record<string, string> =>
  entraAppSettingChanges({ identifierUri, tenantId, managedIdentityClientId: miClientId }) as Record<
    string,
    string
  >;

describe('what the Entra mode writes', () => {
  test('the constants are the exact names and ids', () => {
    assert.equal(VSCODE_CLIENT_ID, 'aebc6443-996d-45c2-90f0-388ff96faa56');
    assert.equal(
      WEBHOOK_LEVEL_SETTING,
      'AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel',
    );
    assert.deepEqual([...ENTRA_APP_SETTINGS].sort(), [
      'AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel',
      'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID',
      'WEBSITE_AUTH_AAD_ALLOWED_TENANTS',
      'WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES',
    ]);
  });

  test('entraAuthSettingsV2 is exactly the authsettingsV2 shape of the contract', () => {
    assert.deepEqual(entraAuthSettingsV2(registration), {
      platform: { enabled: true, runtimeVersion: '~1' },
      globalValidation: {
        requireAuthentication: true,
        unauthenticatedClientAction: 'Return401',
        redirectToProvider: 'azureactivedirectory',
      },
      identityProviders: {
        azureActiveDirectory: {
          enabled: true,
          registration: {
            openIdIssuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
            clientId,
            clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID',
          },
          validation: {
            allowedAudiences: [identifierUri],
            defaultAuthorizationPolicy: {
              allowedApplications: [clientId, 'aebc6443-996d-45c2-90f0-388ff96faa56'],
            },
          },
        },
      },
      login: { tokenStore: { enabled: true } },
      httpSettings: { requireHttps: true, routes: { apiPrefix: '/.auth' } },
    });
  });

  test('another cloud: the issuer follows the login endpoint, with or without its trailing slash (as Bicep gives it)', () => {
    for (const loginEndpoint of ['https://login.microsoftonline.us/', 'https://login.microsoftonline.us']) {
      assert.equal(
        entraAuthSettingsV2({ ...registration, loginEndpoint }).identityProviders.azureActiveDirectory
          .registration?.openIdIssuer,
        `https://login.microsoftonline.us/${tenantId}/v2.0`,
      );
    }
  });

  test('ids are trimmed and lower-cased; a trailing slash on the identifier URI is dropped', () => {
    const settings = entraAuthSettingsV2({
      tenantId: ` ${tenantId.toUpperCase()} `,
      clientId: clientId.toUpperCase(),
      identifierUri: `${identifierUri}/`,
    });
    const aad = settings.identityProviders.azureActiveDirectory;
    assert.equal(aad.registration?.clientId, clientId);
    assert.equal(aad.registration?.openIdIssuer, `https://login.microsoftonline.com/${tenantId}/v2.0`);
    assert.deepEqual(aad.validation?.allowedAudiences, [identifierUri]);
  });

  test('a registration that is not one is refused with a message naming the value, before anything is written', () => {
    const cases: [Partial<typeof registration>, RegExp][] = [
      [{ clientId: 'my-app' }, /^"my-app" is not an application \(client\) id: expected a GUID/],
      [{ tenantId: 'contoso.onmicrosoft.com' }, /^"contoso\.onmicrosoft\.com" is not a tenant id/],
      [{ identifierUri: 'remote-mcp' }, /^"remote-mcp" is not an Application ID URI: expected api:\/\//],
      [{ identifierUri: 'http://example.com' }, /is not an Application ID URI/],
    ];
    for (const [change, message] of cases) {
      assert.throws(
        () => entraAuthSettingsV2({ ...registration, ...change }),
        (error: Error) =>
          error instanceof InvalidEntraRegistrationError &&
          error.name === 'InvalidEntraRegistrationError' &&
          message.test(error.message),
      );
    }
    assert.throws(
      () => entraAppSettingChanges({ identifierUri, tenantId, managedIdentityClientId: 'id-api' }),
      /"id-api" is not a managed identity client id/,
    );
  });

  test('entraAppSettingChanges: PRM scope, allowed tenant, managed identity, webhook level Anonymous', () => {
    assert.deepEqual(
      entraAppSettingChanges({ identifierUri, tenantId, managedIdentityClientId: miClientId }),
      {
        WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES: `${identifierUri}/user_impersonation`,
        WEBSITE_AUTH_AAD_ALLOWED_TENANTS: tenantId,
        OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: miClientId,
        AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel: 'Anonymous',
      },
    );
    // Without a managed identity the setting is left as it is (not removed).
    const withoutIdentity = entraAppSettingChanges({ identifierUri, tenantId, managedIdentityClientId: ' ' });
    assert.ok(!(MI_CLIENT_ID_SETTING in withoutIdentity));
    assert.equal(withoutIdentity[WEBHOOK_LEVEL_SETTING], 'Anonymous');
  });

  test('keyModeAppSettingChanges removes every one of them, the webhook override too', () => {
    assert.deepEqual(keyModeAppSettingChanges(), {
      WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES: null,
      OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: null,
      WEBSITE_AUTH_AAD_ALLOWED_TENANTS: null,
      AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel: null,
    });
  });
});

describe('merging into what the app has', () => {
  const github = {
    enabled: true,
    registration: { clientId: 'gh-client', clientSecretSettingName: 'GITHUB_PROVIDER_AUTHENTICATION_SECRET' },
    login: { scopes: ['read:user'] },
  };
  const existing = (): AuthSettingsV2Properties => ({
    platform: { enabled: true, runtimeVersion: '~1' },
    globalValidation: {
      requireAuthentication: false,
      unauthenticatedClientAction: 'AllowAnonymous',
      excludedPaths: ['/api/health'],
    },
    identityProviders: {
      gitHub: github,
      azureActiveDirectory: {
        enabled: true,
        registration: {
          clientId: '99999999-9999-9999-9999-999999999999',
          clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET',
          openIdIssuer: 'https://sts.windows.net/old-tenant/',
        },
        login: { loginParameters: ['scope=openid profile'] },
        validation: {
          allowedAudiences: ['api://old'],
          defaultAuthorizationPolicy: {
            allowedPrincipals: { groups: ['group-1'] },
            allowedApplications: ['old-app'],
          },
        },
      },
    },
    login: {
      tokenStore: { enabled: false, tokenRefreshExtensionHours: 72 },
      preserveUrlFragmentsForLogins: true,
    },
    httpSettings: {
      requireHttps: false,
      routes: { apiPrefix: '/.auth' },
      forwardProxy: { convention: 'Standard' },
    },
  });

  test('withEntraAuth sets the Entra values and keeps other providers, excluded paths, principals and options', () => {
    assert.deepEqual(withEntraAuth(existing(), registration), {
      platform: { enabled: true, runtimeVersion: '~1' },
      globalValidation: {
        requireAuthentication: true,
        unauthenticatedClientAction: 'Return401',
        redirectToProvider: 'azureactivedirectory',
        excludedPaths: ['/api/health'],
      },
      identityProviders: {
        gitHub: github,
        azureActiveDirectory: {
          enabled: true,
          registration: {
            openIdIssuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
            clientId,
            clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID',
          },
          login: { loginParameters: ['scope=openid profile'] },
          validation: {
            allowedAudiences: [identifierUri],
            defaultAuthorizationPolicy: {
              allowedPrincipals: { groups: ['group-1'] },
              allowedApplications: [clientId, VSCODE_CLIENT_ID],
            },
          },
        },
      },
      login: {
        tokenStore: { enabled: true, tokenRefreshExtensionHours: 72 },
        preserveUrlFragmentsForLogins: true,
      },
      httpSettings: {
        requireHttps: true,
        routes: { apiPrefix: '/.auth' },
        forwardProxy: { convention: 'Standard' },
      },
    });
  });

  test('withEntraAuth on nothing at all is entraAuthSettingsV2', () => {
    assert.deepEqual(withEntraAuth(undefined, registration), entraOn());
    assert.deepEqual(withEntraAuth({}, registration), entraOn());
  });

  test('withoutEntraAuth: sign-in not required, Entra disabled (registration kept), platform on only for another provider in use', () => {
    const enabled = withEntraAuth(existing(), registration);
    const disabled = withoutEntraAuth(enabled);
    assert.equal(disabled.platform?.enabled, true, 'GitHub is still configured');
    assert.deepEqual(disabled.globalValidation, {
      requireAuthentication: false,
      unauthenticatedClientAction: 'AllowAnonymous',
      excludedPaths: ['/api/health'],
    });
    assert.equal(disabled.identityProviders?.azureActiveDirectory?.enabled, false);
    assert.equal(disabled.identityProviders?.azureActiveDirectory?.registration?.clientId, clientId);
    assert.deepEqual(disabled.identityProviders?.['gitHub'], github);
    assert.deepEqual(disabled.httpSettings, enabled.httpSettings);

    const alone = withoutEntraAuth(entraOn());
    assert.equal(alone.platform?.enabled, false, 'nothing else uses built-in authentication');
    assert.equal(alone.platform?.runtimeVersion, '~1');
    assert.ok(!('redirectToProvider' in (alone.globalValidation ?? {})));
    assert.equal(readAuthState(alone, {}).mode, 'key');

    assert.deepEqual(withoutEntraAuth(undefined), {
      platform: { enabled: false },
      globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' },
    });
  });

  test('providers ARM lists as enabled with an empty registration are not in use', () => {
    const armDefault: AuthSettingsV2Properties = {
      identityProviders: {
        azureActiveDirectory: { enabled: true, registration: {} },
        facebook: { enabled: true, registration: {} },
        twitter: { enabled: true, registration: {} },
        customOpenIdConnectProviders: {
          okta: { enabled: true, registration: { clientId: 'okta-client' } },
          off: { enabled: false, registration: { clientId: 'x' } },
        },
        google: { enabled: false, registration: { clientId: 'g' } },
        apple: { registration: { clientId: 'apple' } },
      },
    };
    assert.deepEqual(otherProvidersInUse(armDefault), ['customOpenIdConnectProviders.okta', 'apple']);
    assert.equal(withoutEntraAuth(armDefault).platform?.enabled, true);
    assert.deepEqual(otherProvidersInUse(undefined), []);
  });
});

describe('readAuthState', () => {
  test('Entra mode: Entra on and the webhook Anonymous, no problems', () => {
    assert.deepEqual(readAuthState(entraOn(), { ...entraSettings(), OTHER: 'x' }), {
      mode: 'entra',
      entraEnabled: true,
      webhookAuthorizationLevel: 'Anonymous',
      keyRequired: false,
      clientId,
      allowedApplications: [clientId, VSCODE_CLIENT_ID],
      allowedAudiences: [identifierUri],
      tenantId,
      prmScopes: [`${identifierUri}/user_impersonation`],
      problems: [],
    });
  });

  test('key mode: built-in authentication off and no override (System by default)', () => {
    const state = readAuthState(withoutEntraAuth(entraOn()), { FUNCTIONS_EXTENSION_VERSION: '~4' });
    assert.equal(state.mode, 'key');
    assert.equal(state.entraEnabled, false);
    assert.equal(state.webhookAuthorizationLevel, 'System');
    assert.equal(state.keyRequired, true);
    assert.deepEqual(state.prmScopes, []);
    assert.deepEqual(state.problems, []);
    // Signed-in users are not required when requireAuthentication is off, even with the platform on.
    const optional = entraOn();
    optional.globalValidation = {
      requireAuthentication: false,
      unauthenticatedClientAction: 'AllowAnonymous',
    };
    assert.equal(readAuthState(optional, {}).mode, 'key');
    // An explicit System override, any case.
    assert.equal(
      readAuthState({}, { [WEBHOOK_LEVEL_SETTING.toLowerCase()]: 'system' }).webhookAuthorizationLevel,
      'System',
    );
  });

  test('anonymous: no sign-in and the webhook Anonymous is open to anyone, and says so', () => {
    const state = readAuthState({ platform: { enabled: false } }, { [WEBHOOK_LEVEL_SETTING]: 'anonymous' });
    assert.equal(state.mode, 'anonymous');
    assert.equal(state.webhookAuthorizationLevel, 'Anonymous');
    assert.equal(state.keyRequired, false);
    assert.equal(state.problems.length, 1);
    assert.match(state.problems[0] ?? '', /anyone who knows the URL can call the tools/);
  });

  test('Entra on with the webhook left at System (the known 403): mode entra, the problem named with its fix', () => {
    const settings = entraSettings();
    delete settings[WEBHOOK_LEVEL_SETTING];
    const state = readAuthState(entraOn(), settings);
    assert.equal(state.mode, 'entra');
    assert.equal(state.entraEnabled, true);
    assert.equal(state.webhookAuthorizationLevel, 'System');
    assert.equal(state.keyRequired, true);
    assert.deepEqual(state.problems, [
      `Microsoft Entra authentication is on, but the MCP webhook still asks for the system key (webhookAuthorizationLevel System): calls with a valid token get 403. Set the app setting ${WEBHOOK_LEVEL_SETTING} to Anonymous.`,
    ]);
  });

  test('other Entra inconsistencies: redirect instead of 401, VS Code not allowed, no PRM, no WWW-Authenticate, webhook excluded', () => {
    const settings = entraOn();
    settings.globalValidation = {
      ...settings.globalValidation,
      unauthenticatedClientAction: 'RedirectToLoginPage',
      excludedPaths: ['/runtime/webhooks'],
    };
    const aad = settings.identityProviders?.azureActiveDirectory;
    assert.ok(aad?.validation?.defaultAuthorizationPolicy);
    aad.validation.defaultAuthorizationPolicy.allowedApplications = [clientId];
    aad.login = { disableWWWAuthenticate: true };
    const state = readAuthState(settings, { [WEBHOOK_LEVEL_SETTING]: 'Anonymous' });
    assert.equal(state.mode, 'entra');
    assert.equal(state.problems.length, 5, state.problems.join('\n'));
    for (const [i, pattern] of [
      /get RedirectToLoginPage instead of a 401/,
      /VS Code \(client id aebc6443-996d-45c2-90f0-388ff96faa56\) is not among the allowed client applications/,
      /WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES is not set/,
      /no WWW-Authenticate header/,
      /excludes \/runtime\/webhooks, so the MCP webhook is not protected/,
    ].entries()) {
      assert.match(state.problems[i] ?? '', pattern);
    }
    // An empty allowed-applications list restricts nothing: no VS Code problem.
    aad.validation.defaultAuthorizationPolicy.allowedApplications = [];
    assert.ok(!readAuthState(settings, {}).problems.some((p) => p.includes('allowed client applications')));
  });

  test('unknown: the settings could not be read, or sign-in is required through another provider', () => {
    const unread = readAuthState(undefined, entraSettings());
    assert.equal(unread.mode, 'unknown');
    assert.equal(unread.entraEnabled, false);
    assert.equal(unread.webhookAuthorizationLevel, 'Anonymous');
    assert.match(unread.problems[0] ?? '', /could not be read/);

    const github: AuthSettingsV2Properties = {
      platform: { enabled: true },
      globalValidation: { requireAuthentication: true, unauthenticatedClientAction: 'Return401' },
      identityProviders: {
        azureActiveDirectory: { enabled: true, registration: {} },
        gitHub: { enabled: true, registration: { clientId: 'gh' } },
      },
    };
    const other = readAuthState(github, {});
    assert.equal(other.mode, 'unknown');
    assert.match(other.problems[0] ?? '', /through gitHub, not Microsoft Entra/);
  });

  test("the tenant comes from the Entra provider's issuer; PRM scopes are split on commas", () => {
    // tenantFromIssuer itself: test/extension/auth/entra.unit.test.ts.
    assert.deepEqual(
      readAuthState(entraOn(), { [PRM_SCOPES_SETTING]: ' api://a/user_impersonation, api://b/read ,' })
        .prmScopes,
      ['api://a/user_impersonation', 'api://b/read'],
    );
    assert.equal(readAuthState(entraOn(), { [ALLOWED_TENANTS_SETTING]: tenantId }).tenantId, tenantId);
  });
});
