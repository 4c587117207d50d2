// `npm start` as a user runs it (the built runner, dist/dev/start.js), on ports of the test's own and
// with Azurite's data in a scratch folder, so a developer's own `npm start` is never disturbed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startNodeProcess } from '../../support/processes';

const repo = path.resolve(__dirname, '../../..');
export const runner = path.join(repo, 'dist/dev/start.js');

let scratch: string | undefined;

export async function npmStart(args: string[], env: NodeJS.ProcessEnv = {}) {
  if (!scratch) {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-start-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    scratch = folder;
  }
  const port = await freePort();
  // Azurite's three services take three consecutive ports; a free port's neighbours are very likely free too.
  const azuritePort = await freePort();
  const started = startNodeProcess(
    runner,
    {
      ...process.env,
      PORT: String(port),
      AZURITE_BLOB_PORT: String(azuritePort),
      AZURITE_LOCATION: path.join(scratch, `azurite-${azuritePort}`),
      ...env,
    },
    args,
  );
  return { started, port, azuritePort };
}
