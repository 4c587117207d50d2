// A deployed self-hosted MCP server with App Service built-in authentication ("Easy Auth") on, on
// loopback: what the VS Code suite's Entra path (issue 13) and the sign-in check's tests talk to.
//
// In Azure, built-in auth sits in front of the Functions host, which forwards `/mcp` to the SDK
// server (the custom handler). The front end here plays both layers, in that order:
//   1. built-in auth (Entra, "Return401"): Protected Resource Metadata (RFC 9728) at the root and the
//      path-suffixed well-known paths, `resource` being the MCP URL; a request without a valid bearer
//      token gets 401 with `WWW-Authenticate: Bearer resource_metadata="…"`; tokens are checked with
//      `jose` against the fake Entra's keys, issuer and the API's audience, as the embedded host's
//      Entra mode does (server/src/hosts/embedded/entraAuth.ts);
//   2. the Functions host's custom handler level (customHandler.http.DefaultAuthorizationLevel):
//      `function` asks for the `default` function key in `x-functions-key` (or `?code=`) and answers a
//      bare 401 without it, which is the self-hosted trap when built-in auth is on too.
// Sources: https://learn.microsoft.com/azure/app-service/overview-authentication-authorization,
// https://learn.microsoft.com/azure/azure-functions/self-hosted-mcp-servers, and the Functions host's
// CustomHandlerHttpOptions (Azure/azure-functions-host: src/WebJobs.Script/Workers/Http/CustomHandlerHttpOptions.cs).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { entraAppSettingChanges, entraAuthSettingsV2 } from '../../extension/auth/entraAppConfig';
import type { FakeArm } from '../fakes/arm';
import type { FakeEntra } from '../fakes/entra';
import { badGateway, forwardToLoopback } from '../fakes/loopbackForward';
import { startTlsProxy } from '../fakes/tlsProxy';
import { freePort, startNodeProcess, type StartedProcess } from '../support/processes';
import { copyFixture } from '../support/selfHostedFixture';

const mcpPath = '/mcp';
const prmRoot = '/.well-known/oauth-protected-resource';

export type PrmPath = 'root' | 'pathSuffixed';

export interface BuiltInAuthFrontEndOptions {
  entra: FakeEntra;
  /** The app registration's Application ID URI: the audience of the tokens, the prefix of the scope. */
  identifierUri: string;
  /** The `aud` tokens must carry; default the identifier URI (v2 tokens carry the API's client id). */
  audience?: string;
  /** Where the SDK server listens (http on 127.0.0.1). */
  backendPort: number;
  /** The custom handler's DefaultAuthorizationLevel, read per request; default anonymous. */
  level?: () => 'anonymous' | 'function';
  /** The `default` function key the level `function` asks for. */
  functionKey?: string;
  /** Which well-known PRM paths are served; default both. */
  prmPaths?: readonly PrmPath[];
  /** false: the 401 challenge names no resource_metadata, so clients look at the well-known paths. */
  challengeWithMetadata?: boolean;
}

export interface BuiltInAuthFrontEnd {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** Every request, in order: "POST /mcp 401". */
  requests: string[];
  close(): Promise<void>;
}

/** The origin the client used: https when a TLS front end (tlsProxy) says so, as App Service's does. */
function clientOrigin(req: http.IncomingMessage): string {
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? '127.0.0.1'}`;
}

export async function startBuiltInAuthFrontEnd(
  options: BuiltInAuthFrontEndOptions,
): Promise<BuiltInAuthFrontEnd> {
  const keys = createRemoteJWKSet(new URL(options.entra.jwksUrl));
  const prmPaths = new Set(options.prmPaths ?? ['root', 'pathSuffixed']);
  const requests: string[] = [];
  const json = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: http.OutgoingHttpHeaders = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front.end');
    res.on('finish', () => requests.push(`${req.method} ${url.pathname} ${res.statusCode}`));
    const origin = clientOrigin(req);
    const served =
      (url.pathname === prmRoot && prmPaths.has('root')) ||
      (url.pathname === `${prmRoot}${mcpPath}` && prmPaths.has('pathSuffixed'));
    if (req.method === 'GET' && served) {
      json(res, 200, {
        resource: `${origin}${mcpPath}`,
        authorization_servers: [options.entra.issuer],
        scopes_supported: [`${options.identifierUri}/user_impersonation`],
        bearer_methods_supported: ['header'],
      });
      return;
    }
    const challenge =
      options.challengeWithMetadata === false ? 'Bearer' : `Bearer resource_metadata="${origin}${prmRoot}"`;
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) {
      json(res, 401, { error: 'Unauthorized' }, { 'www-authenticate': challenge });
      req.resume();
      return;
    }
    jwtVerify(token, keys, {
      issuer: options.entra.issuer,
      audience: options.audience ?? options.identifierUri,
    }).then(
      () => afterBuiltInAuth(req, res, url),
      () => {
        json(
          res,
          401,
          { error: 'invalid_token' },
          { 'www-authenticate': `${challenge}, error="invalid_token"` },
        );
        req.resume();
      },
    );
  });

  /** What the Functions host does with a request built-in auth let through. */
  function afterBuiltInAuth(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const level = options.level?.() ?? 'anonymous';
    const key = req.headers['x-functions-key'] ?? url.searchParams.get('code');
    if (level === 'function' && (!options.functionKey || key !== options.functionKey)) {
      // The host's own refusal: no body, no challenge.
      res.writeHead(401);
      res.end();
      req.resume();
      return;
    }
    forwardToLoopback(req, res, {
      port: options.backendPort,
      unreachable: badGateway('The custom handler is not reachable.'),
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The fixture built once by its own `npm run build` (tsc), in a copy as a user's checkout would be. */
async function buildNodeSelfHostedFixture(): Promise<string> {
  const copy = await copyFixture('node-self-hosted', { built: true });
  process.once('exit', () => copy.remove());
  return path.join(copy.folder, 'dist', 'index.js');
}

/** The fixture's server on a free port, started as the Functions host starts a custom handler (PORT set). */
export async function startNodeSelfHostedServer(): Promise<{ port: number; process: StartedProcess }> {
  const entry = await buildNodeSelfHostedFixture();
  const port = await freePort();
  const started = startNodeProcess(entry, {
    ...process.env,
    PORT: String(port),
    FUNCTIONS_CUSTOMHANDLER_PORT: String(port),
  });
  await started.waitForLine(/listening/i);
  return { port, process: started };
}

export interface SelfHostedEntraApp {
  /** host:port of the https front end, as the app's defaultHostName. */
  hostName: string;
  frontEnd: BuiltInAuthFrontEnd;
  close(): Promise<void>;
}

/** The whole deployed app for the VS Code suite: the fixture server, built-in auth, https. */
export async function startSelfHostedEntraApp(options: {
  entra: FakeEntra;
  identifierUri: string;
}): Promise<SelfHostedEntraApp> {
  const backend = await startNodeSelfHostedServer();
  const frontEnd = await startBuiltInAuthFrontEnd({
    entra: options.entra,
    identifierUri: options.identifierUri,
    backendPort: backend.port,
  });
  const proxy = await startTlsProxy(() => frontEnd.port);
  return {
    hostName: proxy.hostName,
    frontEnd,
    close: async () => {
      await Promise.all([proxy.close(), frontEnd.close(), backend.process.stop()]);
    },
  };
}

/**
 * The self-hosted Entra app as the VS Code suite's fake Azure knows it (test/vscode/remoteFixtures.ts):
 * the running app, its site in the fake ARM (the custom handler preview flag, built-in auth with
 * Entra, PRM, and the custom handler level lifted as "Enable Entra Sign-in" leaves it), and the
 * server the suite connects to, handed over in REMOTE_MCP_SELF_HOSTED_ENTRA_SERVER.
 */
export async function startSelfHostedEntraFixture(options: {
  arm: FakeArm;
  entra: FakeEntra;
  subscriptionId: string;
  resourceGroup: string;
  tenantId: string;
}): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const name = 'func-todo-mcp';
  const clientId = '0b6f4c2e-8a1d-4e3f-9c5b-7d2e1f0a3b4c';
  const identifierUri = `api://${options.tenantId}/${name}`;
  const app = await startSelfHostedEntraApp({ entra: options.entra, identifierUri });
  const registration = { tenantId: options.tenantId, clientId, identifierUri };
  const settings = entraAppSettingChanges(registration, 'selfHosted');
  options.arm.addSite({
    subscriptionId: options.subscriptionId,
    resourceGroup: options.resourceGroup,
    name,
    location: 'eastus',
    defaultHostName: app.hostName,
    authSettingsV2: { ...entraAuthSettingsV2(registration) },
    appSettings: {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsFeatureFlags: 'EnableMcpCustomHandlerPreview',
      ...Object.fromEntries(
        Object.entries(settings).filter((entry): entry is [string, string] => entry[1] !== null),
      ),
    },
  });
  const server = {
    resourceId: `/subscriptions/${options.subscriptionId}/resourceGroups/${options.resourceGroup}/providers/Microsoft.Web/sites/${name}`,
    name,
    hostName: app.hostName,
    endpoint: `https://${app.hostName}/mcp`,
    kind: 'selfHosted',
    subscriptionId: options.subscriptionId,
    resourceGroup: options.resourceGroup,
    tenantId: options.tenantId,
    auth: {
      mode: 'entra',
      scopes: [`${identifierUri}/user_impersonation`],
      tenantId: options.tenantId,
      clientId,
    },
  };
  return {
    env: { REMOTE_MCP_SELF_HOSTED_ENTRA_SERVER: JSON.stringify(server) },
    close: () => app.close(),
  };
}
