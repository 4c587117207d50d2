// A loopback stand-in for the API Management gateway a deployment puts in front of the function app
// (APIM_ENABLED). It applies the rules of the two policy files the Bicep loads, and no others:
//   - infra/app/gateway/mcp-api.policy.xml, on every operation of the `mcp` API:
//     validate-azure-ad-token (https://learn.microsoft.com/azure/api-management/validate-azure-ad-token-policy):
//     the token from the Authorization header ("Bearer <jwt>"), its signature against the tenant's
//     signing keys, issuer of the tenant, lifetime, `aud` one of <audiences>, the client application
//     (`azp` of v2.0 tokens, `appid` of v1.0) one of <client-application-ids>, `scp` holding
//     user_impersonation among its space-separated values. Any failure, a missing token included, ends
//     in on-error, whose return-response is a 401 with
//     `WWW-Authenticate: Bearer error="invalid_token", resource_metadata="{{mcp-gateway-prm-url}}"` and
//     no body. Then set-header x-functions-key = {{mcp-function-key}} (exists-action override: a key the
//     client sent is replaced), and forward-request buffer-response="false"
//     (https://learn.microsoft.com/azure/api-management/forward-request-policy,
//     https://learn.microsoft.com/azure/api-management/how-to-server-sent-events): the backend's status,
//     headers and body come back as they stream, so a stale key shows as the app's own 401;
//   - infra/app/gateway/prm.policy.xml, on the two PRM operations: return-response 200, JSON, built from
//     the named values, without a token.
// Named values (https://learn.microsoft.com/azure/api-management/api-management-howto-properties) are
// the names of shared/apiManagementGateway.ts `gatewayNamedValues`; the routes are its `gatewayRoutes`.
// A request no operation of the API matches (wrong path or method) is APIM's own configuration error,
// source "configuration", reason "OperationNotFound"
// (https://learn.microsoft.com/azure/api-management/api-management-error-handling-policies#predefined-errors-for-built-in-steps):
// 404 with the body `{ "statusCode": 404, "message": "Resource not found" }` (the body the gateway
// sends, as in https://techcommunity.microsoft.com/blog/azurepaasblog/azure-api-management-limitation-workaround-return-404-instead-of-405-when-the-ht/1588413).
// A backend that cannot be reached: APIM's 500 `{ "statusCode": 500, "message": "Internal server error" }`.
// The operations and where they forward are apim.bicep's (infra/app/gateway/apim.bicep): POST, GET and
// DELETE /mcp, plus GET /mcp/sse and POST /mcp/message for a Functions MCP extension app, whose service
// URL is the app's /runtime/webhooks (so /mcp → /runtime/webhooks/mcp), or the app's root for a
// self-hosted server (/mcp → /mcp); GET on both PRM routes.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import {
  FUNCTION_KEY_HEADER,
  gatewayNamedValues,
  gatewayRoutes,
  type GatewayNamedValue,
} from '../../shared/apiManagementGateway';
import { mcpRoutes } from '../../shared/mcpRoutes';
import { sendJson, VSCODE_CLIENT_ID, type FakeEntra } from './entra';
import { loopbackCertificate } from './loopbackCertificate';
import { forwardToLoopback } from './loopbackForward';

/** The named values the policy files read, by name (`mcp-entra-tenant-id` ...). */
export type GatewayNamedValues = Record<GatewayNamedValue, string>;

/** What serves MCP behind the gateway: McpProject kinds that deploy a function app. */
export type GatewayBackendKind = 'functionsMcpExtension' | 'selfHosted';

/** The operations of the `mcp` API (infra/app/gateway/apim.bicep), by what they serve. */
export type GatewayOperation =
  'mcpPost' | 'mcpGet' | 'mcpDelete' | 'sse' | 'sseMessage' | 'resourceMetadata' | 'resourceMetadataRoot';

interface OperationRoute {
  method: string;
  path: string;
  /** The app's path it forwards to; absent: served by the gateway itself (the PRM). */
  backendPath?: string;
}

/** The operations each kind's API has, and where they forward. */
export function gatewayOperations(
  kind: GatewayBackendKind,
): Record<GatewayOperation, OperationRoute | undefined> {
  const mcpBackend = kind === 'selfHosted' ? '/mcp' : mcpRoutes.streamableHttp;
  return {
    mcpPost: { method: 'POST', path: gatewayRoutes.mcp, backendPath: mcpBackend },
    mcpGet: { method: 'GET', path: gatewayRoutes.mcp, backendPath: mcpBackend },
    mcpDelete: { method: 'DELETE', path: gatewayRoutes.mcp, backendPath: mcpBackend },
    // The legacy SSE transport exists only in the Functions MCP extension.
    sse:
      kind === 'selfHosted'
        ? undefined
        : { method: 'GET', path: gatewayRoutes.sse, backendPath: mcpRoutes.sse },
    sseMessage:
      kind === 'selfHosted'
        ? undefined
        : { method: 'POST', path: gatewayRoutes.sseMessage, backendPath: mcpRoutes.sseMessage },
    resourceMetadata: { method: 'GET', path: gatewayRoutes.resourceMetadata },
    resourceMetadataRoot: { method: 'GET', path: gatewayRoutes.resourceMetadataRoot },
  };
}

export interface GatewayStandInOptions {
  /** The tenant whose tokens the gateway accepts, and its signing keys. */
  entra: FakeEntra;
  /** Where the function app listens (http on 127.0.0.1); read per request. */
  backendPort: number | (() => number);
  kind: GatewayBackendKind;
  /** The app's key the gateway sends (mcp-function-key): the mcp_extension system key or the default function key. */
  functionKey: string;
  /** The app registration's application (client) id; default `defaultGatewayAppId`. */
  appId?: string;
  /** The app registration's Application ID URI; default api://<appId>. */
  identifierUri?: string;
  /**
   * Named values as provisioning left them, over the right ones: a misconfiguration, e.g. a
   * `mcp-gateway-url` that is not this gateway's MCP URL, or a `mcp-function-key` the app no longer has.
   */
  namedValues?: Partial<GatewayNamedValues>;
  /** Operations the API lacks, e.g. ['mcpPost', 'mcpGet', 'mcpDelete'] for a wrong URL suffix. */
  missingOperations?: readonly GatewayOperation[];
  /**
   * false: plain http. For tests in plain Node, whose global fetch cannot be told to trust the
   * loopback certificate (Node 20's fetch takes no CA, and NODE_EXTRA_CA_CERTS is read only at start).
   * Default true: the extension connects to https endpoints only.
   */
  tls?: boolean;
}

export interface GatewayStandIn {
  /** The gateway's MCP URL, https://127.0.0.1:PORT/mcp (SERVICE_MCP_GATEWAY_URL); as provisioned, whatever mcp-gateway-url says. */
  url: string;
  /** host:port, as <service>.azure-api.net would be. */
  hostName: string;
  /**
   * The named values the gateway reads, per request: assigning one plays an edit in the portal
   * (API Management → Named values) or a new `azd provision`.
   */
  namedValues: GatewayNamedValues;
  /** Every request, in order: "POST /mcp 401". */
  requests: string[];
  close(): Promise<void>;
}

/** The app registration's client id when a test names none. */
export const defaultGatewayAppId = '5c0f7a33-9d2e-4b61-8f3a-2a6d1e4b7c90';

/** APIM's answer when no operation of any API matches the request. */
export const operationNotFoundBody = { statusCode: 404, message: 'Resource not found' } as const;

export async function startGatewayStandIn(options: GatewayStandInOptions): Promise<GatewayStandIn> {
  const appId = options.appId ?? defaultGatewayAppId;
  const keys = createRemoteJWKSet(new URL(options.entra.jwksUrl));
  const backendPort =
    typeof options.backendPort === 'number' ? () => options.backendPort as number : options.backendPort;
  const operations = gatewayOperations(options.kind);
  for (const missing of options.missingOperations ?? []) operations[missing] = undefined;
  const requests: string[] = [];
  // Filled in once the port is known; the handler runs only after that.
  const namedValues = {} as GatewayNamedValues;

  const handle: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'https://gateway.invalid');
    res.on('finish', () => requests.push(`${req.method} ${url.pathname} ${res.statusCode}`));
    const operation = Object.values(operations).find(
      (route) => route && route.method === req.method && route.path === url.pathname,
    );
    if (!operation) {
      req.resume();
      sendJson(res, 404, operationNotFoundBody);
      return;
    }
    if (!operation.backendPath) {
      req.resume();
      sendJson(res, 200, resourceMetadataBody(namedValues));
      return;
    }
    const backendPath = operation.backendPath;
    // Paused until forwarded, so nothing of the body is lost while the token is checked.
    req.pause();
    validateAzureAdToken(req.headers.authorization, namedValues, keys, options.entra).then(
      (failure) => {
        if (failure) {
          req.resume();
          res.writeHead(401, 'Unauthorized', {
            'www-authenticate': `Bearer error="invalid_token", resource_metadata="${namedValues[gatewayNamedValues.gatewayResourceMetadataUrl]}"`,
            'content-length': '0',
          });
          res.end();
          return;
        }
        forward(req, res, `${backendPath}${url.search}`);
      },
      () => {
        req.resume();
        sendJson(res, 500, { statusCode: 500, message: 'Internal server error' });
      },
    );
  };
  const server =
    options.tls === false
      ? http.createServer(handle)
      : https.createServer(await loopbackCertificate(), handle);

  function forward(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
    const port = backendPort();
    forwardToLoopback(req, res, {
      port,
      path,
      headers: {
        ...req.headers,
        // The backend's own host name, as forward-request calls the service URL.
        host: `127.0.0.1:${port}`,
        [FUNCTION_KEY_HEADER]: namedValues[gatewayNamedValues.functionKey],
      },
      // Unbuffered: each event of a stream reaches the client as the app writes it.
      flushHeaders: true,
      followClient: true,
      unreachable: () => {
        if (!res.headersSent) sendJson(res, 500, { statusCode: 500, message: 'Internal server error' });
        else res.end();
      },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hostName = `127.0.0.1:${port}`;
  const origin = `${options.tls === false ? 'http' : 'https'}://${hostName}`;
  const gatewayUrl = `${origin}${gatewayRoutes.mcp}`;
  Object.assign(
    namedValues,
    {
      [gatewayNamedValues.tenantId]: options.entra.tenantId,
      [gatewayNamedValues.authority]: options.entra.issuer,
      [gatewayNamedValues.appId]: appId,
      [gatewayNamedValues.identifierUri]: options.identifierUri ?? `api://${appId}`,
      [gatewayNamedValues.vscodeClientId]: VSCODE_CLIENT_ID,
      [gatewayNamedValues.gatewayUrl]: gatewayUrl,
      [gatewayNamedValues.gatewayResourceMetadataUrl]: `${origin}${gatewayRoutes.resourceMetadata}`,
      [gatewayNamedValues.functionKey]: options.functionKey,
    } satisfies GatewayNamedValues,
    options.namedValues,
  );
  return {
    url: gatewayUrl,
    hostName,
    namedValues,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** prm.policy.xml's set-body, its {{named values}} filled in. */
export function resourceMetadataBody(values: GatewayNamedValues): Record<string, unknown> {
  return {
    resource: values[gatewayNamedValues.gatewayUrl],
    authorization_servers: [values[gatewayNamedValues.authority]],
    bearer_methods_supported: ['header'],
    scopes_supported: [`${values[gatewayNamedValues.identifierUri]}/user_impersonation`],
  };
}

/** What mcp-api.policy.xml's validate-azure-ad-token element requires, from the named values. */
export function tokenRequirements(values: GatewayNamedValues): {
  tenantId: string;
  audiences: string[];
  clientApplicationIds: string[];
  requiredScope: string;
} {
  return {
    tenantId: values[gatewayNamedValues.tenantId],
    audiences: [values[gatewayNamedValues.appId], values[gatewayNamedValues.identifierUri]],
    clientApplicationIds: [values[gatewayNamedValues.vscodeClientId]],
    requiredScope: 'user_impersonation',
  };
}

/**
 * validate-azure-ad-token: undefined when the token passes, else why not (for the tests' eyes only;
 * the gateway's answer says nothing more than the challenge).
 */
async function validateAzureAdToken(
  authorization: string | undefined,
  values: GatewayNamedValues,
  keys: ReturnType<typeof createRemoteJWKSet>,
  entra: FakeEntra,
): Promise<string | undefined> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) return 'no bearer token';
  const required = tokenRequirements(values);
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keys, {
      // The tenant's v2.0 issuer (the fake's stands in for login.microsoftonline.com), or v1.0's sts.windows.net.
      issuer: [`${entra.origin}/${required.tenantId}/v2.0`, `https://sts.windows.net/${required.tenantId}/`],
      audience: required.audiences,
    }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const clientApp = typeof claims.azp === 'string' ? claims.azp : claims.appid;
  if (typeof clientApp !== 'string' || !required.clientApplicationIds.includes(clientApp)) {
    return 'client application not allowed';
  }
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  if (!scopes.includes(required.requiredScope)) return 'scope claim missing';
  return undefined;
}
