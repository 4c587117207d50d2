import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RestError } from '@azure/storage-blob';
import { explainStorageError, redactSecrets } from '../../../server/src/snippets/blobSnippetStore';

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
