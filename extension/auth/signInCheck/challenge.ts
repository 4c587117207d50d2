// Step 1: initialize without a token must answer 401 (or 403) with a Bearer challenge, whose
// resource_metadata and scope the next steps use. A plain fetch rather than the SDK client: this
// step needs the raw answer (its status, a redirect's Location, the challenge header), which the
// client turns into an error.
import { LATEST_PROTOCOL_VERSION, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { SignInContext } from './context';
import type { StepResult } from './runner';
import { gatewayNoChallenge } from './gateway';
import { code } from './text';
import { requestFailure } from './triedUrls';
import { bearerChallenge } from './wwwAuthenticate';

const initializeRequest: JSONRPCRequest = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'remote-mcp-sign-in-check', version: '1' },
  },
};

export async function checkChallenge(context: SignInContext): Promise<StepResult> {
  const { mcpUrl } = context;
  let response: Response;
  try {
    response = await fetch(mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initializeRequest),
      redirect: 'manual',
      signal: AbortSignal.timeout(context.timeoutMs),
    });
  } catch (error) {
    return {
      status: 'fail',
      detail: `POST ${code(mcpUrl.href)} failed: ${requestFailure(error)}.`,
      fix: 'Check the URL and that the app is running.',
      stopsChain: 'Skipped: the server could not be reached.',
    };
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status === 401 || response.status === 403) {
    return readChallenge(context, response.status, response.headers.get('www-authenticate'));
  }
  if (response.ok) context.signInRequired = false;
  if (context.input.viaGateway && response.status >= 400 && response.status < 500) {
    const { detail, fix } = gatewayNoChallenge(response.status, mcpUrl, await sseFallback(context));
    return { status: 'fail', detail, fix, stopsChain: `Skipped: the gateway answered ${response.status}.` };
  }
  return noChallenge(response, context);
}

/**
 * What VS Code meets next after a 4xx to its first POST: MCP's backwards compatibility with the
 * HTTP+SSE transport, a GET on the same URL asking for an event stream
 * (https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#backwards-compatibility).
 */
async function sseFallback(context: SignInContext): Promise<{ status?: number; failure?: string }> {
  try {
    const response = await fetch(context.mcpUrl, {
      headers: { accept: 'text/event-stream' },
      redirect: 'manual',
      signal: AbortSignal.timeout(context.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    return { failure: requestFailure(error) };
  }
}

/** An answer other than 401/403: the chain cannot go on. */
function noChallenge({ status, headers }: Response, context: SignInContext): StepResult {
  if (status >= 200 && status < 300) {
    return {
      status: 'warn',
      detail: `initialize without a token answered ${status}: the server does not require sign-in.`,
      fix: 'If this server should require Entra sign-in, turn on App Service authentication (run "Remote MCP: Enable Entra Sign-in"), or set MCP_AUTH_* for the embedded host.',
      stopsChain: 'Skipped: the server does not ask for sign-in.',
    };
  }
  if (status >= 300 && status < 400) {
    return {
      status: 'fail',
      detail: `initialize without a token was redirected (${status}) to ${code(headers.get('location') ?? '?')}: a browser login redirect, which MCP clients cannot follow.`,
      fix: 'In authsettingsV2 set globalValidation.unauthenticatedClientAction to "Return401" (Authentication → "Unauthenticated requests: HTTP 401").',
      stopsChain: 'Skipped: the server redirects instead of answering 401.',
    };
  }
  return {
    status: 'fail',
    detail: `initialize without a token answered ${status}, not 401.`,
    fix:
      status === 404
        ? `Check the URL: the MCP endpoint of ${context.input.serverKind === 'selfHosted' ? 'a self-hosted MCP server is https://<app>.azurewebsites.net/mcp' : 'a function app is https://<app>.azurewebsites.net/runtime/webhooks/mcp'}.`
        : 'Check the app is running and its logs.',
    stopsChain: `Skipped: initialize answered ${status}.`,
  };
}

function readChallenge(context: SignInContext, status: number, header: string | null): StepResult {
  const bearer = bearerChallenge(header);
  context.signInRequired = bearer !== undefined;
  context.challengeMetadataUrl = resolvedUrl(bearer?.params.resource_metadata, context.mcpUrl);
  context.challengeScopes = bearer?.params.scope?.split(' ').filter(Boolean);
  if (bearer && context.challengeMetadataUrl) {
    return { status: 'pass', detail: `${status} with WWW-Authenticate: ${code(header ?? '')}.` };
  }
  if (bearer) {
    return {
      status: 'warn',
      detail: `${status} with a Bearer challenge but no resource_metadata (${code(header ?? '')}); VS Code falls back to the well-known PRM paths.`,
      fix: 'Have the server send WWW-Authenticate: Bearer resource_metadata="<PRM URL>" (App Service does once WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES is set).',
    };
  }
  // The chain goes on: the PRM step shows whether the app publishes metadata at all.
  return {
    status: 'fail',
    detail: `${status} without a Bearer challenge${header ? ` (WWW-Authenticate: ${code(header)})` : ''}: the server asks for something other than Entra sign-in, such as a function key.`,
    fix: 'Turn on Entra sign-in for the app (run "Remote MCP: Enable Entra Sign-in"), or connect with the function key instead.',
  };
}

function resolvedUrl(value: string | undefined, base: URL): URL | undefined {
  if (!value) return undefined;
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}
