// The local server's environment (extension/localServer/storageEnvironment.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localServerEnvironment } from '../../../extension/localServer/storageEnvironment';

test('local runs get development storage on the configured Azurite port, unless the project says otherwise', () => {
  const env = localServerEnvironment({ PATH: '/bin' }, {}, 10100);
  assert.match(env.AzureWebJobsStorage ?? '', /BlobEndpoint=http:\/\/127\.0\.0\.1:10100\/devstoreaccount1/);
  assert.equal(env.FUNCTIONS_WORKER_RUNTIME, 'node');
  const own = localServerEnvironment({}, { AzureWebJobsStorage: 'UseDevelopmentStorage=false;x' }, 10000);
  assert.equal(own.AzureWebJobsStorage, 'UseDevelopmentStorage=false;x');
});
