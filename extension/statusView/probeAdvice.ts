// What a failed probe means for the user, and the fix where one is known: a sentence for the node
// and a command the node runs when clicked.
import type { ProbeFailure } from '../probe/probeFailure';
import { mcpKeySpecOf } from '../remote/serverKind';
import type { ServerStatus } from './serverStatus';
import { CommandId } from '../commandIds';
import { gatewayNamedValues } from '../../shared/apiManagementGateway';

export interface FixAction {
  /** The command the fix runs, and its argument (the server, or a setting id). */
  command: string;
  argument: unknown;
  title: string;
}

export interface ProbeAdvice {
  /** Short, for the node's description: "HTTP 401", "time-out", "name not resolved"... */
  short: string;
  /** What happened, in a sentence. */
  problem: string;
  /** What to do, in a sentence; absent when nothing is known to help. */
  fix?: string;
  action?: FixAction;
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

export function probeAdvice(
  status: ServerStatus,
  failure: ProbeFailure,
  timeoutSeconds: number,
): ProbeAdvice {
  const { server } = status;
  const credential = status.probe?.credential ?? 'none';
  const run = (command: string, title: string): FixAction => ({ command, argument: server, title });
  const entra = status.auth === 'entra' || failure.bearerChallenge === true;
  const selfHosted = server.kind === 'selfHosted';
  const key = mcpKeySpecOf(server).technicalName;
  const gateway = server.via === 'gateway' && server.gateway ? gatewayAdvice(failure) : undefined;
  if (gateway) return { ...gateway, action: run(CommandId.checkSignIn, 'Check Sign-in') };
  switch (failure.kind) {
    case 'unauthorized':
      if (entra) {
        return credential === 'token'
          ? {
              short: 'HTTP 401',
              problem: 'The server refused the Microsoft Entra token.',
              fix: 'Check Sign-in walks the sign-in chain and names the step that fails.',
              action: run(CommandId.checkSignIn, 'Check Sign-in'),
            }
          : {
              short: 'HTTP 401: sign-in needed',
              problem: 'The server asks for a Microsoft Entra sign-in, and no token is at hand.',
              fix: server.connected
                ? 'VS Code signs you in when it starts the server; Check Sign-in finds what blocks it.'
                : 'Connect, and VS Code signs you in when it starts the server.',
              action: server.connected
                ? run(CommandId.checkSignIn, 'Check Sign-in')
                : run(CommandId.connect, 'Connect'),
            };
      }
      return credential === 'key'
        ? {
            short: 'HTTP 401: key refused',
            problem: 'The server refused the stored key; it was probably rotated.',
            fix: `Fetch Key reads the current ${key} from Azure.`,
            action: run(CommandId.fetchKey, 'Fetch Key'),
          }
        : {
            short: 'HTTP 401: key needed',
            problem: selfHosted
              ? "The server wants a function key (host.json's customHandler.http.DefaultAuthorizationLevel is function), and none is stored."
              : 'The server wants its mcp_extension key, and none is stored.',
            fix: 'Fetch Key (or Connect) reads it from Azure into secret storage.',
            action: run(CommandId.fetchKey, 'Fetch Key'),
          };
    case 'forbidden':
      return entra
        ? {
            short: 'HTTP 403',
            problem: selfHosted
              ? "The server refused the request: the token is not allowed, or host.json's customHandler.http.DefaultAuthorizationLevel is function, so the host still asks for a function key."
              : 'The server refused the request: the token is not allowed, or the MCP webhook still asks for the system key.',
            fix: 'Check Sign-in compares the app settings with what VS Code sends.',
            action: run(CommandId.checkSignIn, 'Check Sign-in'),
          }
        : {
            short: 'HTTP 403',
            problem:
              'The app refused the request: it is stopped, or access restrictions keep this network out.',
            fix: "Check the app's state and its access restrictions (Networking) in the Azure portal.",
            action: run(CommandId.openInPortal, 'Open in Azure Portal'),
          };
    case 'notFound':
      if (selfHosted) {
        return {
          short: 'HTTP 404',
          problem:
            'Nothing answers MCP at /mcp: the self-hosted server did not start, or it serves another path.',
          fix: "Check host.json's customHandler (configurationProfile mcp-custom-handler, the command that starts the server) and the app setting AzureWebJobsFeatureFlags=EnableMcpCustomHandlerPreview; the log stream shows why the server did not start.",
          action: run(CommandId.showServerLogs, 'Show Logs'),
        };
      }
      return {
        short: 'HTTP 404',
        problem:
          'Nothing serves MCP at this URL: the app did not load the MCP extension, or runs something else now.',
        fix: status.fromAzd
          ? "Redeploy it; if that does not help, check host.json's extension bundle (4.30 or later)."
          : "Check the app's host.json (extension bundle 4.30 or later) and its deployment.",
        action: status.fromAzd
          ? run(CommandId.redeploy, 'Redeploy')
          : run(CommandId.showServerLogs, 'Show Logs'),
      };
    case 'httpError':
      return {
        short: `HTTP ${failure.status ?? '?'}`,
        problem:
          failure.status !== undefined && failure.status >= 500
            ? `The app failed to answer (HTTP ${failure.status}): it is starting, failing, or stopped.`
            : `The app answered HTTP ${failure.status ?? '?'}.`,
        fix: "The app's log stream shows why.",
        action: run(CommandId.showServerLogs, 'Show Logs'),
      };
    case 'timeout':
      return {
        short: 'time-out',
        problem: `No answer within ${timeoutSeconds} s: the app may be starting (a cold start) or overloaded.`,
        fix: 'Refresh again in a moment, or allow more time with remoteMcp.statusView.probeTimeoutSeconds.',
        action: {
          command: 'workbench.action.openSettings',
          argument: 'remoteMcp.statusView.probeTimeoutSeconds',
          title: 'Open Settings',
        },
      };
    case 'nameNotResolved':
      return {
        short: 'name not resolved',
        problem: `The host name ${hostOf(server.endpoint)} was not found (${failure.code ?? 'DNS'}).`,
        fix: 'The app may have been deleted (remove it from the list), or DNS, a VPN or a proxy is in the way.',
        action: run(CommandId.removeServer, 'Remove from the List'),
      };
    case 'tls':
      return {
        short: 'TLS',
        problem: `The server's certificate was not accepted (${failure.code ?? 'TLS'}).`,
        fix: "A proxy that inspects https is probably in the way: trust its certificate authority (NODE_EXTRA_CA_CERTS, or VS Code's http.systemCertificates).",
        action: {
          command: 'workbench.action.openSettings',
          argument: 'http.systemCertificates',
          title: 'Open Settings',
        },
      };
    case 'connectionRefused':
      return {
        short: 'connection refused',
        problem: `Nothing accepts connections at ${hostOf(server.endpoint)}.`,
        fix: 'Check that the app is running; Refresh when it is.',
      };
    case 'network':
      return {
        short: 'network error',
        problem: `The connection failed (${failure.code ?? 'network'}).`,
        fix: "Check the network connection and VS Code's proxy settings.",
      };
    case 'protocol':
    case 'cancelled':
      return {
        short: 'not MCP',
        problem: `The server answered, but not as an MCP server: ${failure.detail}.`,
        fix: "The app's log stream shows what it runs.",
        action: run(CommandId.showServerLogs, 'Show Logs'),
      };
  }
}

/**
 * Through the API Management gateway, two failures are the gateway's own, and Check Sign-in explains
 * both with their fix: a 404 (no operation of its `mcp` API matched), and a 401 without a Bearer
 * challenge, which only the app behind it sends, refusing the key the gateway holds.
 */
function gatewayAdvice(failure: ProbeFailure): Omit<ProbeAdvice, 'action'> | undefined {
  if (failure.kind === 'notFound') {
    return {
      short: 'HTTP 404 at the gateway',
      problem:
        "API Management has no operation for this MCP URL (its `mcp` API's operations or URL suffix), so VS Code falls back to the legacy SSE transport and fails with 401.",
      fix: "Run `azd provision` again to restore the gateway's API; Check Sign-in explains.",
    };
  }
  if (failure.kind === 'unauthorized' && failure.bearerChallenge !== true) {
    return {
      short: 'HTTP 401 from the app',
      problem: `The gateway let the request in, but the app refused the key the gateway sends: the named value ${gatewayNamedValues.functionKey} is stale, as after a key rotation.`,
      fix: `Run \`azd provision\` again (it refreshes the key), or set ${gatewayNamedValues.functionKey} in API Management → Named values; Check Sign-in explains.`,
    };
  }
  return undefined;
}
