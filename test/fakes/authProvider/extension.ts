// A VS Code authentication provider for tests, standing in for VS Code's built-in `microsoft`
// provider, which cannot reach Microsoft Entra here. It gets tokens for the requested scopes from
// the test runner's control endpoint, which mints them with the loopback fake of Entra. Scopes and
// sessions behave as the real provider's: one session per scope set, `VSCODE_TENANT:` scopes
// choosing the tenant. Setting REMOTE_MCP_FAKE_ENTRA_DENY=1 makes sign-in fail as a dismissed
// dialog does.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const sessions: vscode.AuthenticationSession[] = [];
  const changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  const key = (scopes: readonly string[]) => [...scopes].sort().join(' ');

  const provider: vscode.AuthenticationProvider = {
    onDidChangeSessions: changed.event,
    getSessions: (scopes) =>
      Promise.resolve(
        scopes ? sessions.filter((session) => key(session.scopes) === key(scopes)) : [...sessions],
      ),
    createSession: async (scopes) => {
      if (process.env.REMOTE_MCP_FAKE_ENTRA_DENY === '1') throw new Error('User did not consent to login.');
      const response = await fetch(`${process.env.REMOTE_MCP_CONTROL_URL}/entra-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scopes }),
      });
      if (!response.ok) throw new Error(`The fake Entra refused to sign in (HTTP ${response.status}).`);
      const { token } = (await response.json()) as { token: string };
      const session: vscode.AuthenticationSession = {
        id: `fake-${sessions.length + 1}`,
        accessToken: token,
        account: { id: 'dev@contoso.example', label: 'dev@contoso.example' },
        scopes: [...scopes],
      };
      sessions.push(session);
      changed.fire({ added: [session], removed: [], changed: [] });
      return session;
    },
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
}
