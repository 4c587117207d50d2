// A deployment with APIM_ENABLED, on loopback, for the VS Code suite's gateway test (issue 15): the
// function app (the embedded host with MCP_KEY, its key requirement on, as such a deployment keeps it)
// behind the API Management gateway stand-in (test/fakes/apimGateway.ts, which applies the policy
// files), the fake Entra as the tenant, and the app in the fake ARM.
//
// Two observers sit on the wires, recording which credentials passed and never their values:
//   - between VS Code and the gateway, the https front the gateway's URL names (in Azure the gateway
//     terminates TLS itself; here the stand-in runs on http behind this front, its mcp-gateway-url and
//     mcp-gateway-prm-url named values pointing at the front, so the PRM and the challenge stay exact);
//   - between the gateway and the app, what the gateway forwards.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { FUNCTION_KEY_HEADER, gatewayNamedValues, gatewayRoutes } from '../../shared/apiManagementGateway';
import { remoteServerLabel } from '../../extension/provider/serverLabels';
import { mcpEndpoint, type RemoteServer } from '../../extension/remote/remoteServers';
import { mcpServerIds } from '../../extension/vscodeMcpClient/mcpClientStarter';
import { startGatewayStandIn } from '../fakes/apimGateway';
import { startGatewayBackend } from '../fakes/apimGatewayBackend';
import type { FakeArm } from '../fakes/arm';
import type { FakeEntra } from '../fakes/entra';
import { loopbackCertificate } from '../fakes/loopbackCertificate';
import { badGateway, forwardToLoopback } from '../fakes/loopbackForward';
import { startTlsProxy } from '../fakes/tlsProxy';

/** One request seen on a wire: which credentials it carried, never their values. */
export interface ObservedRequest {
  method: string;
  path: string;
  /** Whether an x-functions-key header was sent, and whether it was the app's key. */
  functionKey: 'none' | 'the app key' | 'another value';
  bearerToken: boolean;
  status?: number;
}

/** What the suite reads through the control endpoint (GET /gateway). */
export interface GatewayObservations {
  /** From VS Code (or the extension) to the gateway. */
  toGateway: ObservedRequest[];
  /** From the gateway to the app. */
  toApp: ObservedRequest[];
}

/**
 * An answer VS Code remembers from an earlier session, for the application storage: the user let
 * this MCP server use their account of the test provider. VS Code's MCP client asks first otherwise
 * (mainThreadMcp.ts, _getSessionForProvider → loginPrompt), and its test mode refuses every prompt.
 * Key and shape from microsoft/vscode: src/vs/workbench/services/authentication/browser/
 * authenticationMcpAccessService.ts (`mcpserver-<provider id>-<account label>`).
 */
export interface McpServerAccess {
  id: string;
  name: string;
  allowed: true;
  url: string;
}

export interface GatewayFixture {
  /** REMOTE_MCP_GATEWAY_SERVER: the server as an azd environment with APIM_ENABLED describes it. */
  env: Record<string, string>;
  mcpServerAccess: McpServerAccess;
  /** The app's key, which only the gateway holds: the suite's last test searches for it where it must not be. */
  key: string;
  observations(): GatewayObservations;
  close(): Promise<void>;
}

const extensionId = 'remote-mcp.remote-mcp-functions';
const siteName = 'func-api-gateway';
/** The app registration the gateway checks tokens against (its application id and identifier URI). */
const appId = '9a4e2c71-3b5d-4f80-a6c9-1d7e8f0b2a35';

export async function startGatewayFixture(options: {
  arm: FakeArm;
  entra: FakeEntra;
  subscriptionId: string;
  resourceGroup: string;
  tenantId: string;
  /** The tools the Functions MCP extension registers, as the fake ARM lists an app's functions. */
  functions: string[];
}): Promise<GatewayFixture> {
  const key = randomBytes(30).toString('base64url');
  const identifierUri = `api://${options.tenantId}/${siteName}`;
  const observations: GatewayObservations = { toGateway: [], toApp: [] };
  const observe = (req: http.IncomingMessage, into: ObservedRequest[]) => {
    const sent = req.headers[FUNCTION_KEY_HEADER];
    const seen: ObservedRequest = {
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://observed.invalid').pathname,
      functionKey: sent === undefined ? 'none' : sent === key ? 'the app key' : 'another value',
      bearerToken: /^Bearer\s+\S+/i.test(req.headers.authorization ?? ''),
    };
    into.push(seen);
    return seen;
  };

  const backend = await startGatewayBackend({ kind: 'functionsMcpExtension', key });
  const toApp = await startObservingForwarder({
    targetPort: () => backend.port,
    observe: (req) => observe(req, observations.toApp),
  });
  // The app's own door, https://<app>/runtime/webhooks/mcp, which wants the key.
  const appFront = await startTlsProxy(() => backend.port);
  const gateway = await startGatewayStandIn({
    entra: options.entra,
    backendPort: toApp.port,
    kind: 'functionsMcpExtension',
    functionKey: key,
    appId,
    identifierUri,
    tls: false,
  });
  const front = await startObservingForwarder({
    targetPort: () => gatewayPort(gateway.hostName),
    observe: (req) => observe(req, observations.toGateway),
    tls: true,
  });
  const gatewayUrl = `https://${front.hostName}${gatewayRoutes.mcp}`;
  // What `azd provision` writes: the gateway's public URL, here the https front's.
  gateway.namedValues[gatewayNamedValues.gatewayUrl] = gatewayUrl;
  gateway.namedValues[gatewayNamedValues.gatewayResourceMetadataUrl] =
    `https://${front.hostName}${gatewayRoutes.resourceMetadata}`;

  options.arm.addSite({
    subscriptionId: options.subscriptionId,
    name: siteName,
    resourceGroup: options.resourceGroup,
    location: 'eastus',
    defaultHostName: appFront.hostName,
    functions: options.functions,
  });
  options.arm.setHostKeys(siteName, { systemKeys: { mcp_extension: key } });

  const server: RemoteServer = {
    resourceId: `/subscriptions/${options.subscriptionId}/resourceGroups/${options.resourceGroup}/providers/Microsoft.Web/sites/${siteName}`,
    name: siteName,
    hostName: appFront.hostName,
    endpoint: mcpEndpoint(appFront.hostName, 'functionsMcpExtension'),
    kind: 'functionsMcpExtension',
    subscriptionId: options.subscriptionId,
    resourceGroup: options.resourceGroup,
    tenantId: options.tenantId,
    gateway: { endpoint: gatewayUrl, scopes: [`${identifierUri}/user_impersonation`] },
  };
  const label = remoteServerLabel(server);
  return {
    env: { REMOTE_MCP_GATEWAY_SERVER: JSON.stringify(server) },
    mcpServerAccess: {
      id: mcpServerIds(extensionId, [label])[0]!,
      name: label,
      allowed: true,
      url: gatewayUrl,
    },
    key,
    observations: () => structuredClone(observations),
    close: async () => {
      await Promise.all([front.close(), gateway.close(), appFront.close(), toApp.close()]);
      await backend.close();
    },
  };
}

function gatewayPort(hostName: string): number {
  return Number(hostName.slice(hostName.lastIndexOf(':') + 1));
}

/** Forwards every request, streamed both ways, to an http server on 127.0.0.1, noting each one. */
async function startObservingForwarder(options: {
  targetPort: () => number;
  observe: (req: http.IncomingMessage) => ObservedRequest;
  tls?: boolean;
}): Promise<{ hostName: string; port: number; close(): Promise<void> }> {
  const handle: http.RequestListener = (req, res) => {
    const seen = options.observe(req);
    forwardToLoopback(req, res, {
      port: options.targetPort(),
      flushHeaders: true,
      followClient: true,
      onStatus: (status) => (seen.status = status),
      unreachable: badGateway('Nothing answers behind the observer.'),
    });
  };
  const server = options.tls
    ? https.createServer(await loopbackCertificate(), handle)
    : http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hostName: `127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
