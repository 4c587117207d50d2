// extension/azure/serverKindDetection.ts: what serves MCP on an app, read from its app settings
// through the real SDK client against the ARM fake.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectServerKind } from '../../../extension/azure/serverKindDetection';
import { selfHostedSite } from '../../fakes/arm';
import { useArmFakeSite } from '../../support/armFakeSite';

describe('detectServerKind against the ARM fake', () => {
  const fake = useArmFakeSite();
  const { ref, client, requestsTo } = fake;
  const site = (name: string) => ({ ...ref, name });
  before(() => {
    const arm = fake.arm();
    arm.addSite(selfHostedSite({ name: 'func-sdk-node', resourceGroup: ref.resourceGroup }));
    arm.addSite(
      selfHostedSite({
        name: 'func-sdk-python',
        resourceGroup: ref.resourceGroup,
        language: 'python',
        appSettings: {
          // Several flags, spaced and in another case: the host reads comma-separated tokens, case-insensitively.
          azurewebjobsfeatureflags: 'EnableWorkerIndexing, enablemcpcustomhandlerpreview',
          PYTHONPATH: '/home/site/wwwroot/.python_packages/lib/site-packages',
        },
      }),
    );
    arm.addSite({
      name: 'func-plain',
      resourceGroup: ref.resourceGroup,
      appSettings: { AzureWebJobsFeatureFlags: 'EnableWorkerIndexing' },
      functions: [],
    });
  });

  test('the custom handler flag in the app settings: self-hosted', async () => {
    const before = requestsTo('/config/appsettings/list').length;
    assert.equal(await detectServerKind(client(), site('func-sdk-node')), 'selfHosted');
    assert.equal(await detectServerKind(client(), site('func-sdk-python')), 'selfHosted');
    assert.equal(requestsTo('/config/appsettings/list').length - before, 2, 'one settings read per app');
  });

  test('an MCP extension app (trigger functions), and an app with another flag: the MCP extension', async () => {
    assert.equal(await detectServerKind(client(), ref), 'functionsMcpExtension');
    assert.equal(await detectServerKind(client(), site('func-plain')), 'functionsMcpExtension');
  });
});
