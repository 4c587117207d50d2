import { CancelledError, UserFacingError } from '../common/errors';
import type { Logger } from '../common/log';
import type { UserInterface } from '../common/ui';
import type { EntraTokenSource } from '../auth/entraToken';
import type { RemoteServer } from '../remote/remoteServers';

/** What connecting to a remote server needs from the rest of the extension. */
export interface RemoteConnectionDeps {
  keys: { keyForConnection(server: RemoteServer): Promise<string> };
  tokens: EntraTokenSource;
  ui: UserInterface;
  log: Logger;
}

/**
 * The headers VS Code's MCP client sends to a remote server: the function key, or a bearer token
 * for an Entra-mode server (signing in if need be), or none through an API Management gateway. Undefined means "do not start": a dismissed
 * sign-in cancels quietly; any other failure is logged and shown first, because starting a server
 * is VS Code's action, not one of our commands, so nobody else reports it.
 */
export async function remoteConnectionHeaders(
  server: RemoteServer,
  deps: RemoteConnectionDeps,
): Promise<Record<string, string> | undefined> {
  // Through API Management the gateway holds the app's key and VS Code signs in from its PRM
  // challenge: nothing to add, and never a key fetched for this door.
  if (server.via === 'gateway' && server.gateway) return {};
  try {
    if (server.auth?.mode === 'entra') {
      // Without a known scope VS Code runs the PRM sign-in itself; with one, the token goes in now.
      if (server.auth.scopes.length === 0) return {};
      const token = await deps.tokens(server.auth.scopes, server.auth.tenantId ?? server.tenantId, true);
      return { Authorization: `Bearer ${token}` };
    }
    return { 'x-functions-key': await deps.keys.keyForConnection(server) };
  } catch (error) {
    if (error instanceof CancelledError) return undefined;
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error(`Could not connect to ${server.name}: ${message}`);
    await deps.ui.showError(
      error instanceof UserFacingError ? message : `Could not connect to ${server.name}: ${message}`,
      error instanceof UserFacingError ? error.actions : [],
    );
    return undefined;
  }
}
