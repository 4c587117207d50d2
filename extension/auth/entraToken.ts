import * as vscode from 'vscode';
import { CancelledError } from '../common/errors';

/** Gets an access token for an Entra-protected server as VS Code's MCP client would sign in. */
export type EntraTokenSource = (
  scopes: string[],
  tenantId: string | undefined,
  interactive: boolean,
) => Promise<string>;

/**
 * Through `vscode.authentication` with the provider of `remoteMcp.auth.providerId` (VS Code's own
 * `microsoft` by default). The built-in provider picks the tenant from a `VSCODE_TENANT:<id>` scope.
 * A dismissed sign-in becomes a CancelledError, which callers treat as a quiet cancel.
 */
export function vscodeEntraTokens(providerId: () => string): EntraTokenSource {
  return async (scopes, tenantId, interactive) => {
    const id = providerId();
    const tenant = id === 'microsoft' && tenantId ? [`VSCODE_TENANT:${tenantId}`] : [];
    try {
      const session = await vscode.authentication.getSession(
        id,
        [...scopes, ...tenant],
        interactive ? { createIfNone: true } : { silent: true },
      );
      if (!session) throw new CancelledError();
      return session.accessToken;
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      // VS Code rejects with "User did not consent to login." (or a cancellation) when the dialog is dismissed.
      if (error instanceof Error && /cancel|did not consent/i.test(error.message)) throw new CancelledError();
      throw error;
    }
  };
}
