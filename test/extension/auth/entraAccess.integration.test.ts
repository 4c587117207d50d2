// Microsoft Entra authentication of any function app through ARM (extension/auth/entraAccess.ts):
// enableEntraAuth / disableEntraAuth / readAppAuthState with the REAL WebSiteManagementClient of
// @azure/arm-appservice 19 against the loopback ARM fake (test/fakes/arm.ts). What the app already
// had (app settings, another identity provider) survives both ways; the writes come in the order
// that never leaves the app open; ARM errors become the module's error classes; no secret leaks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/identity';
import {
  ALLOWED_TENANTS_SETTING,
  CUSTOM_HANDLER_LEVEL_SETTING,
  PRM_SCOPES_SETTING,
  VSCODE_CLIENT_ID,
  WEBHOOK_LEVEL_SETTING,
} from '../../../extension/auth/entra';
import { disableEntraAuth, enableEntraAuth, readAppAuthState } from '../../../extension/auth/entraAccess';
import { InvalidEntraRegistrationError, entraAuthSettingsV2 } from '../../../extension/auth/entraAppConfig';
import { createArmClient } from '../../../extension/azure/armClient';
import { getAuthSettingsV2, updateAuthSettingsV2 } from '../../../extension/azure/authSettings';
import * as azureBundle from '../../../extension/azure/azureBundle';
import { siteResourceId, type SiteRef } from '../../../extension/azure/resourceIds';
import { DEFAULT_SUBSCRIPTION_ID, startFakeArm, type FakeArm } from '../../fakes/arm';
import { allHostKeys, assertNoSecretLeaked, captureSdkLog } from '../../support/leakWatch';

process.env.NO_PROXY = [process.env.NO_PROXY, '127.0.0.1', 'localhost'].filter(Boolean).join(',');

const sub = DEFAULT_SUBSCRIPTION_ID;
const tenantId = '11111111-2222-3333-4444-555555555555';
const clientId = '66666666-7777-8888-9999-000000000000';
const identifierUri = `api://${tenantId}/remote-mcp-abc`;
const managedIdentityClientId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const registration = { tenantId, clientId, identifierUri, managedIdentityClientId };
/** A server remembered with its kind: no app-settings read is needed to know which level to write. */
const extensionApp = { kind: 'functionsMcpExtension' } as const;

// Values that must never show up in an error, a recorded request or the SDK's log.
const githubSecret = 'gh-client-secret-do-not-leak-7731';
const bearerToken = 'bearer-token-do-not-leak-4242';

// The SDK's own log at its most verbose, to check no secret ever reaches it.
const sdkLog = captureSdkLog();

const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: bearerToken, expiresOnTimestamp: Date.now() + 3600_000 }),
};

describe('Entra authentication of any function app, through the real SDK client against the fake ARM', () => {
  let arm: FakeArm;
  const errorMessages: string[] = [];
  const withGithub: SiteRef = { subscriptionId: sub, resourceGroup: 'rg-apps', name: 'func-with-github' };
  const fresh: SiteRef = { subscriptionId: sub, resourceGroup: 'rg-apps', name: 'func-fresh' };
  // A self-hosted SDK server as the samples deploy it: the custom handler preview flag, its runtime.
  const selfHosted: SiteRef = { subscriptionId: sub, resourceGroup: 'rg-apps', name: 'func-todo-mcp' };
  const selfHostedSettings = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsFeatureFlags: 'EnableMcpCustomHandlerPreview',
  };
  const github = {
    enabled: true,
    registration: {
      clientId: 'gh-client-id',
      clientSecretSettingName: 'GITHUB_PROVIDER_AUTHENTICATION_SECRET',
    },
    login: { scopes: ['read:user'] },
  };
  const originalSettings = {
    FUNCTIONS_EXTENSION_VERSION: '~4',
    AzureWebJobsStorage__credential: 'managedidentity',
    KEEP_ME: 'yes',
    GITHUB_PROVIDER_AUTHENTICATION_SECRET: githubSecret,
  };
  const client = () =>
    createArmClient({ endpoint: arm.endpoint, credential, subscriptionId: sub, tlsCa: arm.caPem });
  const site = (ref: SiteRef) => arm.site(ref.name);
  /** The app as entraAccess gets it from AzureAccess.onSite: the Azure bundle, a client, the ref. */
  const onSite = (ref: SiteRef) => ({ azure: azureBundle, client: client(), ref });
  const calls = (ref: SiteRef, from: number) =>
    arm.requests
      .slice(from)
      .filter((r) => r.path.startsWith(siteResourceId(ref)))
      .map((r) => `${r.method} ${r.path.slice(siteResourceId(ref).length)}`);
  const catchError = async (run: () => Promise<unknown>): Promise<Error> => {
    try {
      await run();
    } catch (error) {
      assert.ok(error instanceof Error, `threw ${String(error)}`);
      errorMessages.push(error.message, error.stack ?? '', JSON.stringify(error));
      return error;
    }
    assert.fail('expected an error');
  };

  before(async () => {
    arm = await startFakeArm();
    arm.addSite({
      ...withGithub,
      appSettings: { ...originalSettings },
      authSettingsV2: {
        platform: { enabled: true, runtimeVersion: '~1' },
        globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' },
        identityProviders: { gitHub: structuredClone(github) },
        login: { tokenStore: { enabled: false } },
        httpSettings: { requireHttps: true, routes: { apiPrefix: '/.auth' } },
      },
    });
    arm.addSite(fresh);
    arm.addSite({ ...selfHosted, appSettings: { ...selfHostedSettings } });
  });

  after(async () => {
    assertNoSecretLeaked([githubSecret, bearerToken, ...allHostKeys(arm)], {
      errors: errorMessages,
      arm,
      sdkLog: sdkLog.lines,
    });
    assert.ok(errorMessages.length > 0 && sdkLog.lines.length > 0, 'errors and the SDK log were captured');
    sdkLog.restore();
    await arm.close();
  });

  test('before: an app with only GitHub sign-in (not required) is in key mode; so is a never-configured app', async () => {
    const state = await readAppAuthState(onSite(withGithub));
    assert.equal(state.mode, 'key');
    assert.equal(state.entraEnabled, false);
    assert.equal(state.webhookAuthorizationLevel, 'System');
    assert.deepEqual(state.problems, []);
    // ARM lists every provider of a never-configured app as enabled with an empty registration.
    const freshState = await readAppAuthState(onSite(fresh));
    assert.equal(freshState.mode, 'key');
    assert.equal(freshState.clientId, undefined);
    assert.deepEqual(freshState.problems, []);
  });

  test('getAuthSettingsV2 gives the properties alone, as stored', async () => {
    const properties = await getAuthSettingsV2(client(), withGithub);
    assert.deepEqual(properties, site(withGithub).authSettingsV2);
    assert.ok(!('id' in properties) && !('name' in properties) && !('type' in properties));
  });

  test('enable: authentication first, then app settings; GitHub and the other settings are kept', async () => {
    const from = arm.requests.length;
    const state = await enableEntraAuth(onSite(withGithub), registration, extensionApp);
    assert.deepEqual(calls(withGithub, from), [
      'GET /config/authsettingsV2/list',
      'PUT /config/authsettingsV2',
      'POST /config/appsettings/list',
      'PUT /config/appsettings',
    ]);
    assert.deepEqual(state, {
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
      kind: 'functionsMcpExtension',
    });
    const entra = entraAuthSettingsV2(registration);
    assert.deepEqual(site(withGithub).authSettingsV2, {
      ...entra,
      identityProviders: {
        gitHub: github,
        azureActiveDirectory: entra.identityProviders.azureActiveDirectory,
      },
    });
    assert.deepEqual(site(withGithub).appSettings, {
      ...originalSettings,
      WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES: `${identifierUri}/user_impersonation`,
      WEBSITE_AUTH_AAD_ALLOWED_TENANTS: tenantId,
      OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: managedIdentityClientId,
      AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel: 'Anonymous',
    });
    assert.deepEqual(await readAppAuthState(onSite(withGithub)), state);
  });

  test('disable: app settings first (the key is asked for again), then authentication; back to what was there', async () => {
    const from = arm.requests.length;
    const state = await disableEntraAuth(onSite(withGithub), extensionApp);
    assert.deepEqual(calls(withGithub, from), [
      'POST /config/appsettings/list',
      'PUT /config/appsettings',
      'GET /config/authsettingsV2/list',
      'PUT /config/authsettingsV2',
    ]);
    assert.equal(state.mode, 'key');
    assert.equal(state.entraEnabled, false);
    assert.equal(state.webhookAuthorizationLevel, 'System');
    assert.deepEqual(state.problems, []);
    assert.deepEqual(site(withGithub).appSettings, originalSettings);
    const auth = site(withGithub).authSettingsV2 as unknown as ReturnType<typeof entraAuthSettingsV2>;
    assert.deepEqual(
      auth.platform,
      { enabled: true, runtimeVersion: '~1' },
      'GitHub still uses the platform',
    );
    assert.deepEqual(auth.globalValidation, {
      requireAuthentication: false,
      unauthenticatedClientAction: 'AllowAnonymous',
    });
    assert.deepEqual(auth.identityProviders['gitHub'], github);
    assert.equal(auth.identityProviders.azureActiveDirectory.enabled, false);
    assert.deepEqual(await readAppAuthState(onSite(withGithub)), state);
  });

  test('a never-configured app: enable, then disable turns built-in authentication off again', async () => {
    const before = structuredClone(site(fresh).authSettingsV2);
    const settingsBefore = { ...site(fresh).appSettings };
    const enabled = await enableEntraAuth(onSite(fresh), { tenantId, clientId, identifierUri });
    assert.equal(enabled.mode, 'entra');
    assert.ok(
      !('OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID' in site(fresh).appSettings),
      'no identity given, none set',
    );
    const disabled = await disableEntraAuth(onSite(fresh));
    assert.equal(disabled.mode, 'key');
    assert.deepEqual(site(fresh).appSettings, settingsBefore);
    const after = site(fresh).authSettingsV2 as typeof before & {
      platform: { enabled: boolean };
      identityProviders: Record<string, unknown>;
    };
    assert.equal(after.platform.enabled, false);
    // The unconfigured providers ARM lists come back as they were.
    for (const name of ['facebook', 'gitHub', 'google', 'twitter', 'legacyMicrosoftAccount', 'apple']) {
      assert.deepEqual(
        after.identityProviders[name],
        (before['identityProviders'] as Record<string, unknown>)[name],
      );
    }
  });

  test('updateAuthSettingsV2 returns what ARM stored', async () => {
    const written = await updateAuthSettingsV2(client(), fresh, {
      platform: { enabled: false, runtimeVersion: '~1' },
    });
    assert.deepEqual(written, { platform: { enabled: false, runtimeVersion: '~1' } });
    assert.deepEqual(site(fresh).authSettingsV2, written);
  });

  test('403 writing the authentication: AzureAccessError naming the role, and no app setting was touched', async () => {
    const settingsBefore = { ...site(withGithub).appSettings };
    arm.failNext({
      path: `${siteResourceId(withGithub)}/config/authsettingsV2`,
      method: 'PUT',
      status: 403,
      code: 'AuthorizationFailed',
      message:
        "The client 'user@contoso.com' does not have authorization to perform action 'Microsoft.Web/sites/config/write'.",
    });
    const from = arm.requests.length;
    const error = await catchError(() => enableEntraAuth(onSite(withGithub), registration));
    assert.equal(error.name, 'AzureAccessError');
    assert.match(
      error.message,
      /^Could not write the authentication settings of the function app func-with-github: the signed-in account is not allowed to \(AuthorizationFailed: .*\)\. It needs the Website Contributor or Contributor role/,
    );
    assert.equal((error as { statusCode?: number }).statusCode, 403);
    assert.ok(!calls(withGithub, from).some((c) => c.startsWith('PUT /config/appsettings')));
    assert.deepEqual(site(withGithub).appSettings, settingsBefore);
    assert.equal((await readAppAuthState(onSite(withGithub))).mode, 'key');
  });

  test('403 reading: AzureAccessError from readAppAuthState; 404: SiteNotFoundError', async () => {
    arm.failNext({
      path: `${siteResourceId(withGithub)}/config/authsettingsV2/list`,
      status: 403,
      code: 'AuthorizationFailed',
      message: 'Not allowed.',
    });
    const forbidden = await catchError(() => readAppAuthState(onSite(withGithub)));
    assert.equal(forbidden.name, 'AzureAccessError');
    assert.match(
      forbidden.message,
      /^Could not read the authentication settings of the function app func-with-github/,
    );

    const missing = await catchError(() => readAppAuthState(onSite({ ...withGithub, name: 'func-gone' })));
    assert.equal(missing.name, 'SiteNotFoundError');
    assert.match(missing.message, /func-gone/);
  });

  test('when the app-settings write fails after the authentication one, the app is left closed (token and key), and says so', async () => {
    arm.failNext({
      path: `${siteResourceId(withGithub)}/config/appsettings`,
      method: 'PUT',
      status: 409,
      code: 'Conflict',
      message: 'Another operation is in progress.',
    });
    const error = await catchError(() => enableEntraAuth(onSite(withGithub), registration));
    assert.equal(error.name, 'AzureApiError');
    assert.match(
      error.message,
      /^Could not write the app settings of the function app func-with-github: Azure answered 409/,
    );
    const state = await readAppAuthState(onSite(withGithub));
    assert.equal(state.mode, 'entra');
    assert.equal(state.keyRequired, true);
    assert.match(state.problems[0] ?? '', /still asks for the system key/);
    // Running the command again completes it.
    assert.deepEqual((await enableEntraAuth(onSite(withGithub), registration)).problems, []);
    assert.equal(site(withGithub).appSettings[WEBHOOK_LEVEL_SETTING], 'Anonymous');
    await disableEntraAuth(onSite(withGithub));
    assert.deepEqual(site(withGithub).appSettings, originalSettings);
  });

  test('a self-hosted app (known by its feature flag): enable lifts the custom handler level, not the MCP webhook one; disable asks for the function key', async () => {
    const from = arm.requests.length;
    const enabled = await enableEntraAuth(onSite(selfHosted), { tenantId, clientId, identifierUri });
    // The kind was not given, so the app settings are read first to learn it.
    assert.deepEqual(calls(selfHosted, from), [
      'POST /config/appsettings/list',
      'GET /config/authsettingsV2/list',
      'PUT /config/authsettingsV2',
      'POST /config/appsettings/list',
      'PUT /config/appsettings',
    ]);
    assert.deepEqual(site(selfHosted).appSettings, {
      ...selfHostedSettings,
      [PRM_SCOPES_SETTING]: `${identifierUri}/user_impersonation`,
      [ALLOWED_TENANTS_SETTING]: tenantId,
      [CUSTOM_HANDLER_LEVEL_SETTING]: 'anonymous',
    });
    assert.ok(
      !(WEBHOOK_LEVEL_SETTING in site(selfHosted).appSettings),
      'no MCP extension setting on a self-hosted app',
    );
    assert.equal(enabled.mode, 'entra');
    assert.deepEqual(enabled.customHandlerLevel, { level: 'anonymous', source: 'app setting' });
    assert.deepEqual(enabled.problems, []);

    const disabled = await disableEntraAuth(onSite(selfHosted), { kind: 'selfHosted' });
    assert.deepEqual(site(selfHosted).appSettings, {
      ...selfHostedSettings,
      [CUSTOM_HANDLER_LEVEL_SETTING]: 'function',
    });
    assert.equal(disabled.mode, 'key');
    assert.equal(disabled.keyRequired, true);
  });

  test('a self-hosted app with Entra on while host.json still says function: the trap is a problem with its fix', async () => {
    await enableEntraAuth(onSite(selfHosted), { tenantId, clientId, identifierUri }, { kind: 'selfHosted' });
    // Someone removes the override (or provisioning never set it): host.json's level applies again.
    const { [CUSTOM_HANDLER_LEVEL_SETTING]: _removed, ...withoutOverride } = site(selfHosted).appSettings;
    site(selfHosted).appSettings = withoutOverride;
    const state = await readAppAuthState(onSite(selfHosted), { hostJsonLevel: 'function' });
    assert.equal(state.mode, 'entra');
    assert.deepEqual(state.customHandlerLevel, { level: 'function', source: 'host.json' });
    assert.equal(state.problems.length, 1);
    assert.match(
      state.problems[0] ?? '',
      /custom handler's DefaultAuthorizationLevel is function \(host\.json\)/,
    );
    assert.match(state.problems[0] ?? '', /"DefaultAuthorizationLevel": "anonymous"/);
    assert.ok(state.problems[0]?.includes(`${CUSTOM_HANDLER_LEVEL_SETTING}=anonymous`));
    assert.ok(
      !state.problems.some((problem) => problem.includes('system key')),
      'not the MCP extension trap',
    );
    // host.json names no level at all: the host's default, function, is the same trap.
    const unnamed = await readAppAuthState(onSite(selfHosted), { hostJsonLevel: null });
    assert.deepEqual(unnamed.customHandlerLevel, { level: 'function', source: 'host default' });
  });

  test('a registration that is not one is refused before any request', async () => {
    const from = arm.requests.length;
    const error = await catchError(() =>
      enableEntraAuth(onSite(withGithub), { ...registration, clientId: 'not-a-guid' }),
    );
    assert.ok(error instanceof InvalidEntraRegistrationError);
    assert.equal(error.name, 'InvalidEntraRegistrationError');
    assert.equal(arm.requests.length, from);
  });
});
