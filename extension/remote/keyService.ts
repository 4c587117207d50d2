import { UserFacingError } from '../common/errors';
import type { Logger } from '../common/log';
import type { UserInterface } from '../common/ui';
import { checkFunctionKey } from './keyCheck';
import type { FunctionKeyStore } from './keyStore';
import type { RemoteServer } from './remoteServers';
import { mcpKeySpecOf, serverKindOf } from './serverKind';

/**
 * Reads the server's MCP key from Azure (ARM listHostKeys), waiting while it is missing: the
 * `mcp_extension` system key, or the `default` function key of a self-hosted server.
 */
export type KeyFetcher = (
  server: RemoteServer,
  options: { signal: AbortSignal; onWaiting: (elapsedMs: number) => void },
) => Promise<string>;

/** Gets keys into SecretStorage and hands them out, fetching again when the app refuses one. */
export class RemoteKeyService {
  constructor(
    private readonly store: FunctionKeyStore,
    private readonly fetchKey: KeyFetcher,
    private readonly ui: UserInterface,
    private readonly log: Logger,
  ) {}

  /** Fetches the key from Azure with progress, and stores it. */
  async fetchAndStore(server: RemoteServer): Promise<string> {
    const { label } = mcpKeySpecOf(server);
    // A self-hosted server's host creates its function keys when it first starts; the MCP extension
    // creates its system key when the host loads it.
    const waitingFor =
      serverKindOf(server) === 'selfHosted' ? "the app's host to start" : 'the app to load the MCP extension';
    const key = await this.ui.withProgress(`Fetching the ${label} of ${server.name}`, (progress, signal) =>
      this.fetchKey(server, {
        signal,
        onWaiting: (elapsedMs) =>
          progress.report(
            `waiting for ${waitingFor} (${Math.round(elapsedMs / 1000)} s); this takes a minute or two after a deploy…`,
          ),
      }),
    );
    await this.store.store(server.resourceId, key);
    this.log.info(`Stored the ${label} of ${server.name} in SecretStorage.`);
    return key;
  }

  /**
   * The key to send to the server: the stored one, or a fresh one. A key the app refuses (rotated)
   * is fetched once more; if that is refused too, the user is told why.
   */
  async keyForConnection(server: RemoteServer): Promise<string> {
    let key = (await this.store.get(server.resourceId)) ?? (await this.fetchAndStore(server));
    let check = await checkFunctionKey(server.endpoint, key);
    if (check.outcome === 'refused') {
      this.log.warn(`${server.name} refused the stored key (HTTP ${check.status}); fetching it again.`);
      key = await this.fetchAndStore(server);
      check = await checkFunctionKey(server.endpoint, key);
      if (check.outcome === 'refused') {
        throw new UserFacingError(
          `${server.name} refused its own ${mcpKeySpecOf(server).technicalName} (HTTP ${check.status}). If the app uses Microsoft Entra sign-in, run "Remote MCP: Check Sign-in"; otherwise check the app's authentication settings in the Azure portal.`,
        );
      }
    }
    if (check.outcome === 'unreachable') {
      // VS Code's client will report the connection problem itself; the key may well be right.
      this.log.warn(`Could not reach ${server.endpoint} to check the key: ${check.reason}`);
    }
    return key;
  }
}
