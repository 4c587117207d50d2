// The storage API version the server sends must be one that Azurite, started with its default flags
// (as the Azurite extension, `npx azurite` and the Docker image run it), accepts. Bumping
// @azure/storage-blob or azurite can break that silently; these tests name what to do instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BlobServiceClient } from '@azure/storage-blob';
import { STORAGE_API_VERSION } from '../../shared/developmentStorage';
import { startOutdatedAzurite } from '../fakes/outdatedAzurite';

// azurite has no "exports" map and no type declarations, so its blob constants are loaded by path; the
// list is the one its API version check uses (https://github.com/Azure/Azurite/blob/main/src/blob/utils/constants.ts).
const requireHere = createRequire(__filename);
const azurite = requireHere('azurite/dist/src/blob/utils/constants.js') as {
  VERSION: string;
  ValidAPIVersions: string[];
};
const storageBlobVersion = (
  JSON.parse(readFileSync(requireHere.resolve('@azure/storage-blob/package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** What the installed client puts in x-ms-version: its SERVICE_VERSION, which it does not export. */
async function versionTheClientSends(): Promise<string> {
  const stand = await startOutdatedAzurite();
  try {
    const service = BlobServiceClient.fromConnectionString(stand.connectionString, {
      retryOptions: { maxTries: 1 },
    });
    await service
      .getContainerClient('snippets')
      .createIfNotExists()
      .catch(() => undefined);
    assert.equal(stand.versions.length, 1, 'one request reached the stand-in');
    return stand.versions[0]!;
  } finally {
    await stand.close();
  }
}

test('STORAGE_API_VERSION is the x-ms-version the installed @azure/storage-blob sends', async () => {
  const sent = await versionTheClientSends();
  assert.equal(
    sent,
    STORAGE_API_VERSION,
    `@azure/storage-blob ${storageBlobVersion} sends x-ms-version ${sent}, but STORAGE_API_VERSION in ` +
      `shared/developmentStorage.ts says ${STORAGE_API_VERSION}: the extension checks Azurite ` +
      `against that constant, so set it to ${sent} (and see the next test).`,
  );
});

test('the installed Azurite accepts that version without --skipApiVersionCheck', async () => {
  const sent = await versionTheClientSends();
  assert.ok(
    azurite.ValidAPIVersions.includes(sent),
    `Azurite ${azurite.VERSION} accepts storage API versions up to ${azurite.ValidAPIVersions[0]}, but ` +
      `@azure/storage-blob ${storageBlobVersion} sends ${sent}: snippets would fail against every Azurite ` +
      `started with its default flags. Pin @azure/storage-blob in server/package.json to the newest release ` +
      `whose service version Azurite accepts (docs/tools.md, "Snippet storage and Azurite"), or update azurite once ` +
      `a release accepts ${sent}.`,
  );
});
