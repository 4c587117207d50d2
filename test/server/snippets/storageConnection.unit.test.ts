import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { snippetStorageSettings, snippetStoreFromEnv } from '../../../server/src/snippets/storageConnection';
import { RestError } from '@azure/storage-blob';
import { explainStorageError, redactSecrets } from '../../../server/src/snippets/blobSnippetStore';
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

describe('storage failures are explained with the endpoint and the fix', () => {
  test('403 AuthorizationPermissionMismatch names the data roles for the managed identity', () => {
    const error = new RestError(
      'This request is not authorized to perform this operation using this permission.',
      {
        code: 'AuthorizationPermissionMismatch',
        statusCode: 403,
      },
    );
    const message = explainStorageError(error, 'acct.blob.core.windows.net');
    assert.match(
      message,
      /^Snippet storage at acct\.blob\.core\.windows\.net refused access \(AuthorizationPermissionMismatch\)/,
    );
    assert.match(message, /'Storage Blob Data Owner' or 'Storage Blob Data Contributor' role/);
    assert.match(message, /managed identity/);
  });

  test('403 AuthenticationFailed points at the key or SAS in AzureWebJobsStorage', () => {
    const error = new RestError('Server failed to authenticate the request.', {
      code: 'AuthenticationFailed',
      statusCode: 403,
    });
    assert.match(
      explainStorageError(error, '127.0.0.1:10000'),
      /rejected the credentials \(AuthenticationFailed\).*AzureWebJobsStorage/,
    );
  });

  const versionAdvice =
    'Snippet storage at 127.0.0.1:10000 does not accept the storage API version 2026-06-06 that the MCP server ' +
    "sends (400 InvalidHeaderValue for x-ms-version): it is an Azurite older than the server's storage client. " +
    'Update Azurite (npm install -g azurite@latest, update the Azurite VS Code extension, or docker pull ' +
    'mcr.microsoft.com/azure-storage/azurite), or start it with --skipApiVersionCheck (in the Azurite ' +
    'extension, turn on the setting azurite.skipApiVersionCheck).';

  test("400 InvalidHeaderValue for the API version (Azurite's message): the cause and the fix, not 'Try again'", () => {
    const error = new RestError(
      'The API version 2026-06-06 is not supported by Azurite. Please upgrade Azurite…',
      {
        code: 'InvalidHeaderValue',
        statusCode: 400,
      },
    );
    assert.equal(explainStorageError(error, '127.0.0.1:10000'), versionAdvice);
  });

  test('400 InvalidHeaderValue naming x-ms-version only in HeaderName (how Azure Storage says it): the same advice', () => {
    const error = new RestError('The value for one of the HTTP headers is not in the correct format.', {
      code: 'InvalidHeaderValue',
      statusCode: 400,
    });
    error.details = {
      errorCode: 'InvalidHeaderValue',
      HeaderName: 'x-ms-version',
      HeaderValue: '2026-06-06',
    };
    assert.equal(explainStorageError(error, '127.0.0.1:10000'), versionAdvice);
  });

  test('400 InvalidHeaderValue for another header is not blamed on the API version', () => {
    const error = new RestError('The value for one of the HTTP headers is not in the correct format.', {
      code: 'InvalidHeaderValue',
      statusCode: 400,
    });
    error.details = { errorCode: 'InvalidHeaderValue', HeaderName: 'x-ms-blob-type' };
    assert.equal(
      explainStorageError(error, '127.0.0.1:10000'),
      "Snippet storage at 127.0.0.1:10000 failed (400 InvalidHeaderValue). Try again; if it persists, check the storage account's health.",
    );
  });

  test('a refused connection: Azurite locally, network rules in Azure', () => {
    const error = new RestError('connect ECONNREFUSED', { code: 'ECONNREFUSED' });
    assert.equal(
      explainStorageError(error, '127.0.0.1:10000'),
      'Snippet storage at 127.0.0.1:10000 is not reachable (ECONNREFUSED). Start Azurite (npm start does) or set AzureWebJobsStorage.',
    );
    assert.match(explainStorageError(error, 'acct.blob.core.windows.net'), /firewall, private endpoint/);
  });

  test('a managed identity that cannot get a token says how to assign one', () => {
    const error = new Error('ManagedIdentityCredential: no managed identity endpoint found.');
    error.name = 'CredentialUnavailableError';
    assert.match(
      explainStorageError(error, 'acct.blob.core.windows.net'),
      /Could not get an access token for snippet storage at acct\.blob\.core\.windows\.net \(CredentialUnavailableError\).*AzureWebJobsStorage__clientId/,
    );
  });

  test('secrets are redacted from what is logged', () => {
    assert.equal(
      redactSecrets('AccountName=a;AccountKey=abc+/=;BlobEndpoint=x https://a/b?sv=1&sig=s3cr%2Ft&se=2'),
      'AccountName=a;AccountKey=[redacted];BlobEndpoint=x https://a/b?sv=1&sig=[redacted]&se=2',
    );
  });
});
