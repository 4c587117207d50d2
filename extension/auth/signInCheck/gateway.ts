// What the sign-in check explains for a server connected through its API Management gateway
// (APIM_ENABLED): the gateway, not App Service, checks the token (validate-azure-ad-token), serves the
// Protected Resource Metadata from its named values, and calls the app with the app's key. So the
// causes and fixes differ from built-in auth's: an operation missing from the `mcp` API, a named value
// gone stale or wrong, an app registration that does not pre-authorise VS Code. The policies are
// infra/app/gateway/mcp-api.policy.xml and prm.policy.xml; the named values
// shared/apiManagementGateway.ts. Plain text and functions, no SDK.
import {
  APIM_ENABLED,
  GATEWAY_URL_OUTPUT,
  gatewayNamedValues,
  gatewayRoutes,
} from '../../../shared/apiManagementGateway';
import { VSCODE_CLIENT_ID } from '../entra';
import type { TokenClaims } from './context';
import { code } from './text';

const provisionAgain = `run \`azd provision\` again for the azd environment (with ${APIM_ENABLED}=true), which rewrites the gateway's API, policies and named values`;

const namedValueInPortal = (name: string, what: string) =>
  `or in the Azure portal open the API Management instance → Named values → ${code(name)} and set it to ${what}`;

/**
 * A 4xx other than 401/403 where the gateway should have challenged: no operation of the `mcp` API
 * matched. MCP's backwards compatibility makes clients (VS Code among them) then try the legacy SSE
 * transport with a GET on the same URL
 * (https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#backwards-compatibility),
 * which the gateway refuses with 401, so the user sees a 401 on an SSE connection, not the 404.
 */
export function gatewayNoChallenge(
  status: number,
  mcpUrl: URL,
  sseFallback: { status?: number; failure?: string },
): { detail: string; fix: string } {
  const fallback =
    sseFallback.status !== undefined
      ? `VS Code takes a ${status} to the first POST for a server without Streamable HTTP and falls back to the legacy SSE transport: its GET ${code(mcpUrl.href)} answered ${sseFallback.status}${sseFallback.status === 401 ? ', the 401 VS Code then reports' : ''}.`
      : `VS Code takes a ${status} to the first POST for a server without Streamable HTTP and falls back to the legacy SSE transport (a GET on the same URL), which fails too${sseFallback.failure ? ` (${sseFallback.failure})` : ''}.`;
  return {
    detail: `The gateway answered ${status} where a 401 challenge was expected: ${status === 404 ? 'no operation of its `mcp` API matches POST ' + code(mcpUrl.pathname) : `it did not take POST ${code(mcpUrl.pathname)} as an MCP request`}. ${fallback}`,
    fix: `The \`mcp\` API must have an empty API URL suffix and its operations for ${code(gatewayRoutes.mcp)} (POST, GET, DELETE; and ${code(gatewayRoutes.sse)}, ${code(gatewayRoutes.sseMessage)} for a Functions MCP extension app): ${provisionAgain}. Check too that this server's URL is the environment's ${GATEWAY_URL_OUTPUT} (https://<service>.azure-api.net${gatewayRoutes.mcp}), not another path of the gateway.`,
  };
}

/** The PRM the gateway serves names another resource than its MCP URL: the mcp-gateway-url named value. */
export function gatewayResourceFix(mcpUrl: URL): string {
  return `The gateway's PRM takes \`resource\` from the named value ${code(gatewayNamedValues.gatewayUrl)}, which must be the gateway's MCP URL exactly, ${code(mcpUrl.href)} (for instance after adding a custom domain to API Management): ${provisionAgain}, ${namedValueInPortal(gatewayNamedValues.gatewayUrl, code(mcpUrl.href))} (and ${code(gatewayNamedValues.gatewayResourceMetadataUrl)} to ${code(new URL(gatewayRoutes.resourceMetadata, mcpUrl).href)}).`;
}

/** No PRM at the gateway's routes: its PRM operations are missing. */
export function gatewayResourceMetadataFix(): string {
  return `The gateway serves its PRM from the \`mcp\` API's operations ${code(gatewayRoutes.resourceMetadata)} and ${code(gatewayRoutes.resourceMetadataRoot)} (GET, no token): ${provisionAgain}.`;
}

const preAuthorisationFix =
  `In the Microsoft Entra admin center open the project's app registration → Expose an API → Authorized client applications, and add VS Code's client id ${VSCODE_CLIENT_ID} for the user_impersonation scope; ` +
  `${provisionAgain} restores it, since the project's Bicep pre-authorises VS Code.`;

export function wrongTenantFix(tenant: string | undefined): string {
  const which = tenant ? `tenant ${tenant}` : "the app registration's tenant";
  return (
    `Sign in with an account of ${which} (the tenant of the gateway's authorization server), or have an administrator of that tenant add your account as a guest. ` +
    'To switch accounts in VS Code: open the Accounts menu (the person icon at the bottom of the Activity Bar), sign out of the account this server used, then start the server again and pick an account of that tenant.'
  );
}

/**
 * Entra's errors at sign-in that the gateway's set-up explains
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes):
 * AADSTS50020, an account that is not in the tenant (VS Code: "Selected user account does not exist
 * in tenant"); AADSTS65001 (no consent) and AADSTS650057 (a resource the client does not list), which
 * for VS Code, which cannot ask for consent, mean the app registration does not pre-authorise it.
 */
export function signInErrorExplained(
  message: string,
  tenant: string | undefined,
): { detail: string; fix: string } | undefined {
  if (/AADSTS50020\b|does not exist in tenant/i.test(message)) {
    return {
      detail: `The account you signed in with is not in ${tenant ? `tenant ${tenant}` : 'the tenant of the app registration'} (Entra AADSTS50020; VS Code says "Selected user account does not exist in tenant").`,
      fix: wrongTenantFix(tenant),
    };
  }
  if (/AADSTS(65001|650057)\b/i.test(message)) {
    return {
      detail: `Entra refused to give VS Code (${VSCODE_CLIENT_ID}) a token for this API without consent (${/AADSTS650057/i.test(message) ? 'AADSTS650057' : 'AADSTS65001'}): VS Code cannot ask for consent, so the app registration must pre-authorise it.`,
      fix: preAuthorisationFix,
    };
  }
  return undefined;
}

/**
 * The gateway refused the token VS Code would send (a 401 with its challenge): which rule of
 * validate-azure-ad-token the claims break, from what the chain found.
 */
export function gatewayRefusedToken(
  claims: TokenClaims | undefined,
  expected: { tenant: string | undefined; scopes: readonly string[] },
): { detail: string; fix: string } {
  const client = claims?.azp ?? claims?.appid;
  if (client && client.toLowerCase() !== VSCODE_CLIENT_ID) {
    return {
      detail: `The gateway refused the token (401): it was asked for by the client application ${client}, and the gateway lets in only the client applications of its policy, VS Code (${VSCODE_CLIENT_ID}).`,
      fix: `Sign in through VS Code's own Microsoft account (the client id ${VSCODE_CLIENT_ID}); a different client must be added to <client-application-ids> in infra/app/gateway/mcp-api.policy.xml and pre-authorised on the app registration. ${preAuthorisationFix}`,
    };
  }
  if (expected.tenant && claims?.tid && claims.tid.toLowerCase() !== expected.tenant.toLowerCase()) {
    return {
      detail: `The gateway refused the token (401): it is from tenant ${claims.tid}, and the gateway accepts tokens of tenant ${expected.tenant} only.`,
      fix: wrongTenantFix(expected.tenant),
    };
  }
  const scopes = claims?.scp?.split(' ') ?? [];
  if (claims?.scp !== undefined && !scopes.includes('user_impersonation')) {
    return {
      detail: `The gateway refused the token (401): its scp (${claims.scp}) lacks user_impersonation, which the gateway's policy requires.`,
      fix: `Sign in for ${expected.scopes.map(code).join(' ') || 'the user_impersonation scope'}: the PRM's scopes_supported must name <identifier URI>/user_impersonation (${provisionAgain}).`,
    };
  }
  return {
    detail: `The gateway refused the token (401)${claims?.aud ? `; its audience is ${claims.aud}` : ''}: the gateway accepts tokens whose audience is the app registration's client id or identifier URI (named values ${code(gatewayNamedValues.appId)}, ${code(gatewayNamedValues.identifierUri)}), issued by its tenant for VS Code, with user_impersonation.`,
    fix: `Check the named values ${code(gatewayNamedValues.tenantId)}, ${code(gatewayNamedValues.appId)} and ${code(gatewayNamedValues.identifierUri)} name the project's app registration: ${provisionAgain}.`,
  };
}

/** The gateway let the token through and the app refused the gateway's call: a stale key. */
export function gatewayBackendRefused(status: number, body: string): { detail: string; fix: string } {
  return {
    detail: `The gateway accepted the token, but the function app answered ${status} without a Bearer challenge${body ? ` (${body})` : ''}: the Functions host's own refusal of the key the gateway sends. The named value ${code(gatewayNamedValues.functionKey)} no longer holds the app's key, as after a key rotation.`,
    fix: `${provisionAgain[0]?.toUpperCase()}${provisionAgain.slice(1)} (it reads the app's current key into the named value), ${namedValueInPortal(gatewayNamedValues.functionKey, "the app's current key (Functions → App keys: the mcp_extension system key, or the default host key of a self-hosted server)")}.`,
  };
}

/** Why the rules that read App Service's authentication settings do not apply. */
export const gatewayChecksTheToken =
  'Not checked through the gateway: API Management checks the token (validate-azure-ad-token), not App Service authentication.';

export const gatewayKeyNotNeeded =
  'A function key is stored for this server but is not needed: the gateway sends the app\'s key itself. "Remote MCP: Forget Key" removes it.';
