// Steps 7 and 8: initialize and tools/list with the token, through the probe (the MCP SDK client),
// as VS Code's client sends them. The probe's fetch keeps the answer a request was refused with:
// its status, its challenge and its body are what the report explains.
import { probeServer, type ServerIdentity } from '../../probe/mcpProbe';
import type { ProbeFailure } from '../../probe/probeFailure';
import { established, type Handshake, type RefusedAnswer, type SignInContext } from './context';
import { gatewayBackendRefused, gatewayRefusedToken } from './gateway';
import { enableEntraFix, selfHostedLevelFix } from './model';
import type { StepResult } from './runner';
import { code, excerpt } from './text';
import { bearerChallenge } from './wwwAuthenticate';

export async function checkInitialize(context: SignInContext): Promise<StepResult> {
  const token = established(context.token, 'the token');
  const handshake = await handshakeWith(context.mcpUrl, token, context.timeoutMs);
  context.handshake = handshake;
  const { outcome, refused } = handshake;
  if (outcome.ok) return initialized(outcome);
  if (outcome.initialized) return initialized(outcome.initialized);
  return initializeRefusal(context, outcome.failure, refused);
}

function initialized(server: ServerIdentity): StepResult {
  return {
    status: 'pass',
    detail:
      `200 from ${server.serverName ?? 'the server'} ${server.serverVersion ?? ''}`.trimEnd() +
      `, protocol ${server.protocolVersion ?? '?'}.`,
  };
}

export function checkToolsList(context: SignInContext): StepResult {
  const { outcome, refused } = established(context.handshake, 'the handshake');
  if (!outcome.ok) {
    const { status } = outcome.failure;
    const body = status !== undefined ? excerpt(refused?.body ?? '', context.token) : '';
    const why =
      status !== undefined
        ? `${status}${body ? `: ${body}` : ''}`
        : (outcome.failure.code ?? outcome.failure.detail);
    return { status: 'fail', detail: `tools/list failed: ${why}.`, fix: "Check the app's logs." };
  }
  const names = outcome.tools.map((tool) => tool.name);
  if (names.length === 0) {
    return {
      status: 'warn',
      detail: 'tools/list answered with no tools.',
      fix: 'Check the app registers its MCP tool triggers (see its logs).',
    };
  }
  return {
    status: 'pass',
    detail: `${names.length} tool${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`,
  };
}

async function handshakeWith(mcpUrl: URL, token: string, timeoutMs: number): Promise<Handshake> {
  let refused: RefusedAnswer | undefined;
  const outcome = await probeServer(mcpUrl.href, {
    headers: { authorization: `Bearer ${token}` },
    timeoutMs,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      if (init?.method === 'POST' && !response.ok) {
        refused = {
          status: response.status,
          wwwAuthenticate: response.headers.get('www-authenticate'),
          body: await response
            .clone()
            .text()
            .catch(() => ''),
        };
      }
      return response;
    },
  });
  return { outcome, ...(refused ? { refused } : {}) };
}

function initializeRefusal(
  context: SignInContext,
  failure: ProbeFailure,
  refused: RefusedAnswer | undefined,
): StepResult {
  const { status } = failure;
  const body = excerpt(refused?.body ?? '', context.token);
  const stopsChain = 'Skipped: initialize with the token failed.';
  // Through the gateway a 401 with its challenge is the gateway's refusal of the token; a 401/403
  // without one came from the app behind it, refusing the key the gateway sent.
  if (context.input.viaGateway && (status === 401 || status === 403)) {
    const { detail, fix } = bearerChallenge(refused?.wwwAuthenticate)
      ? gatewayRefusedToken(context.claims, { tenant: context.issuerTenant, scopes: context.scopes ?? [] })
      : gatewayBackendRefused(status, body);
    return { status: 'fail', detail, fix, stopsChain };
  }
  // Easy Auth refuses a token with a Bearer challenge; the Functions host refuses a request without
  // a function key with a bare 401/403. A self-hosted server answering so to a valid token is the trap.
  if (
    context.input.serverKind === 'selfHosted' &&
    (status === 401 || status === 403) &&
    !bearerChallenge(refused?.wwwAuthenticate)
  ) {
    return {
      status: 'fail',
      detail: `${status} with a valid token and no Bearer challenge${body ? ` (${body})` : ''}: the sign-in passed, but the Functions host still asks for a function key, as when built-in auth is on and the custom handler's DefaultAuthorizationLevel is function.`,
      fix: selfHostedLevelFix,
      stopsChain,
    };
  }
  if (status === 403 && context.input.serverKind !== 'selfHosted') {
    return {
      status: 'fail',
      detail: `403 with a valid token${body ? ` (${body})` : ''}: the sign-in passed, but the Functions host still asks for the mcp_extension system key, as when Entra is on and the MCP webhook level is still System.`,
      fix: enableEntraFix,
      stopsChain,
    };
  }
  if (status === 401) {
    const refusal = bearerChallenge(refused?.wwwAuthenticate);
    const why = [refusal?.params.error, refusal?.params.error_description].filter(Boolean).join(': ');
    const { aud, iss } = context.claims ?? {};
    return {
      status: 'fail',
      detail: `401 with the token${why ? ` (${why})` : ''}${body ? `: ${body}` : ''}.`,
      fix: `The server refused the token VS Code would send: its allowedAudiences must include the token's audience${aud ? ` (${aud})` : ''} and its issuer must be the token's${iss ? ` (${iss})` : ''}.`,
      stopsChain,
    };
  }
  if (status !== undefined) {
    return {
      status: 'fail',
      detail: `initialize with the token answered ${status}${body ? `: ${body}` : ''}.`,
      fix: "Check the app's logs.",
      stopsChain,
    };
  }
  if (failure.code) {
    return {
      status: 'fail',
      detail: `POST ${code(context.mcpUrl.href)} failed: ${failure.code}.`,
      fix: 'Check the app is running.',
      stopsChain: 'Skipped: initialize failed.',
    };
  }
  return {
    status: 'fail',
    detail: `initialize failed: ${failure.detail}.`,
    fix: "Check the app's logs.",
    stopsChain,
  };
}
