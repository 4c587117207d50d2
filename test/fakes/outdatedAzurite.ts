// A loopback stand-in for an Azurite older than the server's storage client: it refuses every request
// as Azurite's blob service does when the x-ms-version header names an API version it does not know,
// before any authentication. The answer is Azurite's own (Azurite 3.37.0, started without
// --skipApiVersionCheck): the check in https://github.com/Azure/Azurite/blob/main/src/blob/middlewares/blobStorageContext.middleware.ts
// (checkApiVersion in https://github.com/Azure/Azurite/blob/main/src/common/utils/utils.ts), the error
// from getInvalidAPIVersion in https://github.com/Azure/Azurite/blob/main/src/blob/errors/StorageErrorFactory.ts,
// serialized by https://github.com/Azure/Azurite/blob/main/src/blob/errors/StorageError.ts and
// https://github.com/Azure/Azurite/blob/main/src/blob/generated/middleware/error.middleware.ts: status 400
// with the message as the status text, the x-ms-error-code and x-ms-request-id headers, and an XML
// body whose Message ends with the request id and the time.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { azuriteConnectionString } from '../../shared/developmentStorage';

export interface OutdatedAzurite {
  port: number;
  /** A development storage connection string pointing at this stand-in. */
  connectionString: string;
  /** The x-ms-version of every request received, in order. */
  versions: string[];
  close(): Promise<void>;
}

export async function startOutdatedAzurite(): Promise<OutdatedAzurite> {
  const versions: string[] = [];
  const server = createServer((request, response) => {
    request.resume();
    const version = String(request.headers['x-ms-version'] ?? '');
    versions.push(version);
    const requestId = randomUUID();
    const message =
      `The API version ${version} is not supported by Azurite. Please upgrade Azurite to latest version and retry. ` +
      `If you are using Azurite in Visual Studio, please check you have installed latest Visual Studio patch. ` +
      `Azurite command line parameter "--skipApiVersionCheck" or Visual Studio Code configuration ` +
      `"Skip Api Version Check" can skip this error. `;
    const body =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Error>\n  <Code>InvalidHeaderValue</Code>\n' +
      `  <Message>${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message>\n</Error>`;
    response.statusMessage = message;
    response.setHeader('Server', 'Azurite-Blob/3.37.0');
    response.setHeader('x-ms-error-code', 'InvalidHeaderValue');
    response.setHeader('x-ms-request-id', requestId);
    response.setHeader('content-type', 'application/xml');
    response.statusCode = 400;
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    connectionString: azuriteConnectionString(port),
    versions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
