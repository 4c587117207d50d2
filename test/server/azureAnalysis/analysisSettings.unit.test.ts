// How the infrastructure-analysis tools read their settings (endpoints for sovereign clouds, the
// time limit, the identity).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { azureAnalysisSettingsFromEnv } from '../../../server/src/azureAnalysis/analysisSettings';

describe('azureAnalysisSettingsFromEnv', () => {
  test('defaults to the public cloud, a 60 s limit, and the developer sign-in outside Azure', () => {
    const settings = azureAnalysisSettingsFromEnv({});
    assert.equal(settings.resourceManagerEndpoint, 'https://management.azure.com');
    assert.equal(settings.logAnalyticsEndpoint, 'https://api.loganalytics.io');
    assert.equal(settings.timeoutMs, 60_000);
    assert.equal(
      settings.identity,
      'your Azure Developer CLI or Azure CLI sign-in (run "azd auth login" or "az login")',
    );
    assert.equal(settings.tlsCa, undefined);
  });

  test('in Azure, the messages name the managed identity the Bicep sets in AZURE_CLIENT_ID', () => {
    const settings = azureAnalysisSettingsFromEnv({
      IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token',
      AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    });
    assert.equal(
      settings.identity,
      'the managed identity with client ID 11111111-2222-3333-4444-555555555555',
    );
  });

  test('takes sovereign-cloud endpoints as base URLs (a trailing slash, or /v1 for Log Analytics, is fine)', () => {
    const settings = azureAnalysisSettingsFromEnv({
      AZURE_RESOURCE_MANAGER_ENDPOINT: 'https://management.usgovcloudapi.net/',
      LOG_ANALYTICS_ENDPOINT: 'https://api.loganalytics.us/v1',
      AZURE_ANALYSIS_TIMEOUT_MS: ' 120000 ',
    });
    assert.equal(settings.resourceManagerEndpoint, 'https://management.usgovcloudapi.net');
    assert.equal(settings.logAnalyticsEndpoint, 'https://api.loganalytics.us');
    assert.equal(settings.timeoutMs, 120_000);
  });

  test('empty values mean "not set", as .env files and app settings write them', () => {
    const settings = azureAnalysisSettingsFromEnv({
      AZURE_RESOURCE_MANAGER_ENDPOINT: '',
      LOG_ANALYTICS_ENDPOINT: '  ',
      AZURE_ANALYSIS_TIMEOUT_MS: '',
    });
    assert.equal(settings.resourceManagerEndpoint, 'https://management.azure.com');
    assert.equal(settings.logAnalyticsEndpoint, 'https://api.loganalytics.io');
    assert.equal(settings.timeoutMs, 60_000);
  });

  const refused: [name: string, env: NodeJS.ProcessEnv, expected: RegExp][] = [
    [
      'plain http',
      { AZURE_RESOURCE_MANAGER_ENDPOINT: 'http://management.azure.com' },
      /^AZURE_RESOURCE_MANAGER_ENDPOINT must be the service's https base URL, such as https:\/\/management\.azure\.com; "http:\/\/management\.azure\.com" does not use https\.$/,
    ],
    [
      'not a URL',
      { LOG_ANALYTICS_ENDPOINT: 'api.loganalytics.io' },
      /^LOG_ANALYTICS_ENDPOINT must be the service's https base URL, such as https:\/\/api\.loganalytics\.io; "api\.loganalytics\.io" is not a valid URL\.$/,
    ],
    [
      'a path',
      { AZURE_RESOURCE_MANAGER_ENDPOINT: 'https://management.azure.com/subscriptions' },
      /^AZURE_RESOURCE_MANAGER_ENDPOINT must be .*, with no path; .* has the path \/subscriptions\.$/,
    ],
    [
      'a query string',
      { LOG_ANALYTICS_ENDPOINT: 'https://api.loganalytics.io/?key=1' },
      /^LOG_ANALYTICS_ENDPOINT must be .*, with no query, fragment or credentials\.$/,
    ],
    [
      'a timeout of zero',
      { AZURE_ANALYSIS_TIMEOUT_MS: '0' },
      /^AZURE_ANALYSIS_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, not "0"\.$/,
    ],
    [
      'a timeout in seconds with a unit',
      { AZURE_ANALYSIS_TIMEOUT_MS: '30s' },
      /^AZURE_ANALYSIS_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, not "30s"\.$/,
    ],
    ['a timeout over ten minutes', { AZURE_ANALYSIS_TIMEOUT_MS: '600001' }, /from 1 to 600000, not "600001"/],
  ];
  for (const [name, env, expected] of refused) {
    test(`refuses ${name} at start-up, naming the variable and the rule`, () => {
      assert.throws(() => azureAnalysisSettingsFromEnv(env), { message: expected });
    });
  }
});
