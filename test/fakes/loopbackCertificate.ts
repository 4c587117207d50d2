// A self-signed certificate for 127.0.0.1 and localhost, so loopback fakes of Azure (ARM, a deployed
// function app) speak https like the real services: the SDK's bearer-token policy refuses http, and
// VS Code's MCP client connects to https endpoints. Clients trust it through `ca` or NODE_EXTRA_CA_CERTS.
import { generate } from 'selfsigned';

let certificate: Promise<{ cert: string; key: string }> | undefined;

/** One certificate per process: generating is cheap (EC P-256), but sharing keeps CA files stable. */
export function loopbackCertificate(): Promise<{ cert: string; key: string }> {
  certificate ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 24 * 3600_000),
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}
