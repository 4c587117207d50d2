// The key a key-mode client sends to a function app's MCP endpoint, by what serves MCP there: the
// `mcp_extension` system key for the Functions MCP extension, the `default` function key for a
// self-hosted server (see ../remote/serverKind.ts). Part of the Azure bundle.
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RemoteServerKind } from '../remote/remoteServers';
import { mcpKeySpecs } from '../remote/serverKind';
import { callArm, KeyNotReadyError } from './errors';
import type { SiteRef } from './resourceIds';

export interface FetchKeyOptions {
  signal?: AbortSignal;
  /** How long to wait for the key to appear (default 180 000 ms). */
  limitMs?: number;
  /** First wait between tries (default 2000 ms); it doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** Longest wait between tries (default 15 000 ms). */
  maxDelayMs?: number;
  /** Called before each wait, with the time since the first try. */
  onWaiting?: (elapsedMs: number) => void;
}

/**
 * The MCP key of an app of this kind (ARM listHostKeys, `POST {site}/host/default/listkeys`).
 * Right after a deploy the host has not started (no `default` function key yet) or not loaded the
 * MCP extension (no `mcp_extension` system key): try again, waiting longer each time, until
 * `limitMs`. The key itself never appears in an error or a log line.
 */
export async function fetchMcpKey(
  client: WebSiteManagementClient,
  ref: SiteRef,
  kind: RemoteServerKind,
  options: FetchKeyOptions = {},
): Promise<string> {
  const { signal, limitMs = 180_000, maxDelayMs = 15_000, onWaiting } = options;
  const spec = mcpKeySpecs[kind];
  let delay = options.initialDelayMs ?? 2000;
  const started = Date.now();
  for (;;) {
    signal?.throwIfAborted();
    const keys = await callArm(ref, 'read the host keys of', () =>
      client.webApps.listHostKeys(ref.resourceGroup, ref.name, { abortSignal: signal }),
    );
    const key = keys[spec.section]?.[spec.name];
    if (key) return key;
    const elapsed = Date.now() - started;
    if (elapsed >= limitMs) throw new KeyNotReadyError(ref.name, elapsed, kind);
    onWaiting?.(elapsed);
    await sleep(Math.min(delay, limitMs - elapsed), undefined, { signal });
    delay = Math.min(delay * 2, maxDelayMs);
  }
}
