// A VS Code authentication provider for tests, standing in for VS Code's built-in `microsoft`
// provider, which cannot reach Microsoft Entra here. It gets tokens for the requested scopes from
// the test runner's control endpoint, which mints them with the loopback fake of Entra. Scopes and
// sessions behave as the real provider's for a user who signed in earlier: one session per scope
// set, there as soon as it is asked for (VS Code would otherwise ask the user first, and its test
// mode refuses that dialog). Setting REMOTE_MCP_FAKE_ENTRA_DENY=1 makes sign-in fail as a dismissed
// dialog does.
import * as vscode from 'vscode';

/** What the suite may do with the provider, through this extension's exports. */
export interface FakeEntraControls {
  /** Signs out of every session (as "Sign Out" would), so the next ask mints a new token. */
  signOutEverywhere(): void;
  /** The access tokens handed out so far, newest last. */
  readonly issuedTokens: readonly string[];
}

export function activate(context: vscode.ExtensionContext): FakeEntraControls {
  const sessions: vscode.AuthenticationSession[] = [];
  const issuedTokens: string[] = [];
  const changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  const key = (scopes: readonly string[]) => [...scopes].sort().join(' ');

  const createSession = async (scopes: readonly string[]) => {
    if (process.env.REMOTE_MCP_FAKE_ENTRA_DENY === '1') throw new Error('User did not consent to login.');
    const response = await fetch(`${process.env.REMOTE_MCP_CONTROL_URL}/entra-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scopes }),
    });
    if (!response.ok) throw new Error(`The fake Entra refused to sign in (HTTP ${response.status}).`);
    const { token } = (await response.json()) as { token: string };
    issuedTokens.push(token);
    const session: vscode.AuthenticationSession = {
      id: `fake-${issuedTokens.length}`,
      accessToken: token,
      account: { id: 'dev@contoso.example', label: 'dev@contoso.example' },
      scopes: [...scopes],
    };
    sessions.push(session);
    changed.fire({ added: [session], removed: [], changed: [] });
    return session;
  };
  const apiScopesIn = (scopes: readonly string[]) =>
    scopes.some((scope) => scope.endsWith('/user_impersonation'));

  const provider: vscode.AuthenticationProvider = {
    onDidChangeSessions: changed.event,
    getSessions: async (scopes) => {
      if (!scopes) return [...sessions];
      const existing = sessions.filter((session) => key(session.scopes) === key(scopes));
      if (existing.length || !apiScopesIn(scopes)) return existing;
      return [await createSession(scopes)];
    },
    createSession,
    removeSession: (id) => {
      const index = sessions.findIndex((session) => session.id === id);
      const [removed] = index >= 0 ? sessions.splice(index, 1) : [];
      if (removed) changed.fire({ added: [], removed: [removed], changed: [] });
      return Promise.resolve();
    },
  };
  context.subscriptions.push(
    vscode.authentication.registerAuthenticationProvider('fake-entra', 'Fake Entra (tests)', provider),
  );
  return {
    signOutEverywhere: () => {
      const removed = sessions.splice(0);
      if (removed.length) changed.fire({ added: [], removed, changed: [] });
    },
    issuedTokens,
  };
}
