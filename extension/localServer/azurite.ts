import { answersTcp, waitForReady } from '../../shared/net';
import { startProcess, type ManagedProcess } from '../common/processes';
import type { Logger } from '../common/log';
import { azuriteApiVersionWarning } from '../../shared/developmentStorage';

export type StorageStatus =
  | {
      available: true;
      startedProcess?: ManagedProcess;
      /** Azurite answers but refuses the server's storage API version: the cause and the fix. */
      warning?: string;
    }
  | { available: false; reason: string };

export interface AzuriteStarters {
  /** Starts Azurite through the Azurite VS Code extension when it is installed; false when it is not. */
  startThroughExtension(): Promise<boolean>;
  /** Where an Azurite we start keeps its data, so snippets survive restarts. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Snippet tools need blob storage. Use an Azurite that already answers; else start one (the
 * Azurite extension, or an `azurite` installed with npm); else report what to install, and the
 * server still starts: snippet calls then fail with a message, never silently. An Azurite older
 * than the server's storage client refuses every snippet call, so that is checked and reported too.
 */
export async function ensureAzurite(
  blobPort: number,
  starters: AzuriteStarters,
  log: Logger,
): Promise<StorageStatus> {
  const status = await findOrStartAzurite(blobPort, starters, log);
  if (!status.available) return status;
  const warning = await azuriteApiVersionWarning(blobPort);
  if (!warning) return status;
  log.warn(warning);
  return { ...status, warning };
}

async function findOrStartAzurite(
  blobPort: number,
  starters: AzuriteStarters,
  log: Logger,
): Promise<StorageStatus> {
  if (await answersTcp(blobPort)) {
    log.info(`Azurite answers on 127.0.0.1:${blobPort}.`);
    return { available: true };
  }
  if (blobPort === 10000 && (await starters.startThroughExtension())) {
    if (await becomesReachable(blobPort)) {
      log.info('Started Azurite through the Azurite extension.');
      return { available: true };
    }
  }
  const child = startProcess({
    name: 'azurite',
    command: 'azurite-blob',
    args: [
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(blobPort),
      '--location',
      starters.dataDir,
      '--silent',
      '--disableTelemetry',
    ],
    env: starters.env,
    log,
  });
  if (await becomesReachable(blobPort, child.exited)) {
    log.info(`Started azurite-blob on 127.0.0.1:${blobPort} (data in ${starters.dataDir}).`);
    return { available: true, startedProcess: child };
  }
  await child.stop();
  return {
    available: false,
    reason: `Snippet storage is unavailable: no Azurite answers on 127.0.0.1:${blobPort} and none could be started. Install the Azurite extension (Azurite.azurite) or run "npm install -g azurite"; until then save_snippet, get_snippet and list_snippets report an error.`,
  };
}

/** A user's app whose AzureWebJobsStorage is the emulator, with no Azurite: what fails, and what to install. */
export function appStorageUnavailable(projectName: string, blobPort: number): string {
  return `Azurite is unavailable: none answers on 127.0.0.1:${blobPort} and none could be started, while ${projectName}'s AzureWebJobsStorage in local.settings.json is UseDevelopmentStorage=true. Install the Azurite extension (Azurite.azurite) or run "npm install -g azurite"; until then its storage blob bindings fail.`;
}

async function becomesReachable(port: number, exited?: Promise<unknown>): Promise<boolean> {
  const outcome = await waitForReady(() => answersTcp(port), { limitMs: 20_000, exited });
  return outcome.ready;
}
