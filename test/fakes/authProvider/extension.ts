// A VS Code authentication provider for tests, standing in for VS Code's built-in `microsoft`
// provider, which cannot reach Microsoft Entra here. It gets tokens for the requested scopes from
// the test runner's control endpoint, which mints them with the loopback fake of Entra. Scopes and
// sessions behave as the real provider's for a user who signed in earlier: one session per scope
// set, there as soon as it is asked for (VS Code would otherwise ask the user first, and its test
// mode refuses that dialog). Setting REMOTE_MCP_FAKE_ENTRA_DENY=1 makes sign-in fail as a dismissed
// dialog does.
//
// Like the `microsoft` provider, it claims its authorization server, so VS Code's own MCP client picks
// it for a server whose Protected Resource Metadata names the fake Entra (REMOTE_MCP_FAKE_ENTRA_ISSUER):
// the `authorizationServerGlobs` of package.json activate it, and `supportedAuthorizationServers` at
// registration is what VS Code matches the metadata's authorization server against
// (microsoft/vscode: src/vs/workbench/services/authentication/browser/authenticationService.ts,
// getOrActivateProviderIdForServer and matchesProvider; src/vs/workbench/api/browser/mainThreadMcp.ts,
// $getTokenFromServerMetadata). The option is the `authIssuers` API proposal, newer than the
// @types/vscode this project builds against, hence the narrow types below
// (microsoft/vscode: src/vscode-dts/vscode.proposed.authIssuers.d.ts). The manifest enables it;
// code-server allows every proposal, a desktop VS Code needs
// `--enable-proposed-api remote-mcp-tests.fake-entra-auth`.
import * as vscode from 'vscode';

/** authIssuers: the authorization servers a provider signs in with. */
interface ProviderOptionsWithAuthorizationServers extends vscode.AuthenticationProviderOptions {
  readonly supportedAuthorizationServers?: vscode.Uri[];
}

/** authIssuers: the authorization server a session is asked for (set by VS Code's MCP client). */
interface SessionOptionsWithAuthorizationServer extends vscode.AuthenticationProviderSessionOptions {
  readonly authorizationServer?: vscode.Uri;
}

/** One ask for a session, as the provider received it. */
export interface SessionRequest {
  scopes: readonly string[];
  /** The authorization server VS Code's MCP client found in a server's metadata; absent for an extension's ask. */
  authorizationServer?: string;
}

/** What the suite may do with the provider, through this extension's exports. */
export interface FakeEntraControls {
  /** Signs out of every session (as "Sign Out" would), so the next ask mints a new token. */
  signOutEverywhere(): void;
  /** The access tokens handed out so far, newest last. */
  readonly issuedTokens: readonly string[];
  /** Every ask for sessions with scopes, in order. */
  readonly sessionRequests: readonly SessionRequest[];
}

export function activate(context: vscode.ExtensionContext): FakeEntraControls {
  const sessions: vscode.AuthenticationSession[] = [];
  const issuedTokens: string[] = [];
  const sessionRequests: SessionRequest[] = [];
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
    getSessions: async (scopes, options: SessionOptionsWithAuthorizationServer) => {
      if (!scopes) return [...sessions];
      sessionRequests.push({ scopes, authorizationServer: options.authorizationServer?.toString(true) });
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
  const issuer = process.env.REMOTE_MCP_FAKE_ENTRA_ISSUER;
  const options: ProviderOptionsWithAuthorizationServers = {
    supportedAuthorizationServers: issuer ? [vscode.Uri.parse(issuer)] : [],
  };
  context.subscriptions.push(
    vscode.authentication.registerAuthenticationProvider(
      'fake-entra',
      'Fake Entra (tests)',
      provider,
      options,
    ),
  );
  return {
    signOutEverywhere: () => {
      const removed = sessions.splice(0);
      if (removed.length) changed.fire({ added: [], removed, changed: [] });
    },
    issuedTokens,
    sessionRequests,
  };
}
