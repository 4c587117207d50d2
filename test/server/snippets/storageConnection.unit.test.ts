import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { snippetStorageSettings, snippetStoreFromEnv } from '../../../server/src/snippets/storageConnection';
import { ToolError } from '../../../server/src/toolkit/tool';

const signal = new AbortController().signal;

function recorder() {
  const lines: string[] = [];
  return { lines, log: { warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
}

describe('snippetStorageSettings picks the connection the way the Functions host does', () => {
  test('nothing set: Azurite development storage, container "snippets"', () => {
    assert.deepEqual(snippetStorageSettings({}), {
      kind: 'connectionString',
      connectionString: 'UseDevelopmentStorage=true',
      source: 'default',
      containerName: 'snippets',
    });
  });

  test('blank values count as unset', () => {
    const settings = snippetStorageSettings({
      AzureWebJobsStorage: '  ',
      AzureWebJobsStorage__accountName: '',
    });
    assert.equal(settings.kind, 'connectionString');
    assert.equal(settings.kind === 'connectionString' && settings.source, 'default');
  });

  test('AzureWebJobsStorage: its connection string', () => {
    const connectionString =
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net';
    assert.deepEqual(snippetStorageSettings({ AzureWebJobsStorage: connectionString }), {
      kind: 'connectionString',
      connectionString,
      source: 'AzureWebJobsStorage',
      containerName: 'snippets',
    });
  });

  test('__blobServiceUri with __credential=managedidentity: system-assigned managed identity', () => {
    assert.deepEqual(
      snippetStorageSettings({
        AzureWebJobsStorage__blobServiceUri: 'https://acct.blob.core.windows.net/',
        AzureWebJobsStorage__credential: 'managedidentity',
      }),
      {
        kind: 'identity',
        serviceUrl: 'https://acct.blob.core.windows.net',
        credential: 'managed',
        clientId: undefined,
        containerName: 'snippets',
      },
    );
  });

  test('__clientId alone selects that user-assigned managed identity', () => {
    const settings = snippetStorageSettings({
      AzureWebJobsStorage__blobServiceUri: 'https://acct.blob.core.windows.net',
      AzureWebJobsStorage__clientId: '00000000-1111-2222-3333-444444444444',
    });
    assert.equal(settings.kind, 'identity');
    assert.equal(settings.kind === 'identity' && settings.credential, 'managed');
    assert.equal(settings.kind === 'identity' && settings.clientId, '00000000-1111-2222-3333-444444444444');
  });

  test('__accountName stands for https://<name>.blob.core.windows.net', () => {
    const settings = snippetStorageSettings({
      AzureWebJobsStorage__accountName: 'acct123',
      AzureWebJobsStorage__credential: 'ManagedIdentity',
    });
    assert.equal(
      settings.kind === 'identity' && settings.serviceUrl,
      'https://acct123.blob.core.windows.net',
    );
    assert.equal(settings.kind === 'identity' && settings.credential, 'managed');
  });

  test('a service URI without a managed-identity hint uses the default credential chain (az login locally)', () => {
    const settings = snippetStorageSettings({
      AzureWebJobsStorage__blobServiceUri: 'https://acct.blob.core.windows.net',
    });
    assert.equal(settings.kind === 'identity' && settings.credential, 'default');
  });

  test('identity settings win over a connection string, as in the Functions host', () => {
    const settings = snippetStorageSettings({
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      AzureWebJobsStorage__accountName: 'acct',
      AzureWebJobsStorage__credential: 'managedidentity',
    });
    assert.equal(settings.kind, 'identity');
  });

  test('a malformed __blobServiceUri or __accountName is refused, naming the variable', () => {
    for (const value of [
      'acct.blob.core.windows.net',
      'ftp://acct',
      'https://acct.blob.core.windows.net/?sv=x&sig=y',
    ]) {
      assert.throws(
        () => snippetStorageSettings({ AzureWebJobsStorage__blobServiceUri: value }),
        (error: Error) =>
          error instanceof ToolError && /AzureWebJobsStorage__blobServiceUri/.test(error.message),
      );
    }
    assert.throws(
      () => snippetStorageSettings({ AzureWebJobsStorage__accountName: 'Not_An_Account' }),
      /AzureWebJobsStorage__accountName "Not_An_Account" is not a storage account name/,
    );
  });
});

describe('SNIPPETS_CONTAINER', () => {
  for (const name of ['abc', 'my-snippets', 'a1-b2-c3', 'x'.repeat(63), '123']) {
    test(`accepts "${name.length > 20 ? `${name.slice(0, 8)}… (${name.length})` : name}"`, () => {
      assert.equal(snippetStorageSettings({ SNIPPETS_CONTAINER: name }).containerName, name);
    });
  }

  for (const name of [
    'ab',
    'x'.repeat(64),
    'Snippets',
    'my_snippets',
    'my--snippets',
    '-snippets',
    'snippets-',
    'my.snippets',
    '$root',
    'snïppets',
  ]) {
    test(`refuses "${name.length > 20 ? `${name.slice(0, 8)}… (${name.length})` : name}", naming the variable and the rule`, () => {
      assert.throws(
        () => snippetStorageSettings({ SNIPPETS_CONTAINER: name }),
        (error: Error) =>
          error instanceof ToolError &&
          error.message.startsWith(`SNIPPETS_CONTAINER "${name}" is not a valid blob container name`) &&
          error.message.includes('3-63 lowercase letters, digits and single hyphens'),
      );
    });
  }

  test('applies with every kind of connection', () => {
    assert.equal(
      snippetStorageSettings({ SNIPPETS_CONTAINER: 'team-notes', AzureWebJobsStorage__accountName: 'acct' })
        .containerName,
      'team-notes',
    );
  });
});

describe('snippetStoreFromEnv', () => {
  test('contacts nothing when created, even for an identity connection', () => {
    const { lines, log } = recorder();
    snippetStoreFromEnv(
      { AzureWebJobsStorage__accountName: 'acct', AzureWebJobsStorage__credential: 'managedidentity' },
      log,
    );
    snippetStoreFromEnv({}, log);
    assert.deepEqual(lines, []);
  });

  test('with an invalid SNIPPETS_CONTAINER, still starts, logs once, and every call names the variable', async () => {
    const { lines, log } = recorder();
    const store = snippetStoreFromEnv({ SNIPPETS_CONTAINER: 'Bad_Name' }, log);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /SNIPPETS_CONTAINER "Bad_Name"/);
    for (const call of [
      () => store.save('a', 'b', signal),
      () => store.get('a', signal),
      () => store.list(undefined, 10, signal),
    ]) {
      await assert.rejects(
        call,
        (error: Error) => error instanceof ToolError && /SNIPPETS_CONTAINER "Bad_Name"/.test(error.message),
      );
    }
  });

  test('a malformed connection string is reported without its account key', async () => {
    const { log } = recorder();
    const key = 'c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=';
    const store = snippetStoreFromEnv(
      { AzureWebJobsStorage: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${key}` },
      log,
    );
    await assert.rejects(
      () => store.get('a', signal),
      (error: Error) =>
        error instanceof ToolError &&
        error.message.startsWith('AzureWebJobsStorage is not a valid storage connection string') &&
        !error.message.includes(key),
    );
  });
});
