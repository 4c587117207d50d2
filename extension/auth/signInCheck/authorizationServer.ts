// Step 4: the metadata of authorization_servers[0], found with the MCP SDK's discovery, the order
// VS Code uses (buildDiscoveryUrls: RFC 8414 path-inserted, OpenID Connect path-inserted, then
// OpenID Connect Discovery 1.0's path-appended form, the only one Entra serves).
import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { tenantFromIssuer } from '../entra';
import { established, type SignInContext } from './context';
import type { StepResult } from './runner';
import { code } from './text';
import { TriedUrls } from './triedUrls';

export async function checkAuthorizationServer(context: SignInContext): Promise<StepResult> {
  const prm = established<OAuthProtectedResourceMetadata>(context.resourceMetadata, 'the PRM');
  const authorizationServer = prm.authorization_servers?.[0];
  if (!authorizationServer) {
    return {
      status: 'fail',
      detail: 'The PRM has no authorization_servers.',
      fix: "The PRM must list the Entra issuer, https://login.microsoftonline.com/<tenant>/v2.0, in authorization_servers (App Service takes it from the Entra provider's openIdIssuer).",
      stopsChain: 'Skipped: needs an authorization server.',
    };
  }
  context.issuerTenant = tenantFromIssuer(authorizationServer);
  const tried = new TriedUrls(context.timeoutMs);
  const metadata = await discoverAuthorizationServerMetadata(authorizationServer, {
    fetchFn: tried.fetch,
    protocolVersion: LATEST_PROTOCOL_VERSION,
  }).catch((error: unknown) => void tried.refuseLastAnswer(error));
  const foundAt = tried.answeredUrl;
  if (!metadata || !foundAt) {
    return {
      status: 'fail',
      detail: `No metadata for ${code(authorizationServer)}. Tried: ${tried.summary}.`,
      fix: 'authorization_servers[0] must be an issuer that publishes metadata, for Entra the v2.0 issuer https://login.microsoftonline.com/<tenant>/v2.0 (its /.well-known/openid-configuration), not the v1 https://sts.windows.net/<tenant>/.',
      stopsChain: 'Skipped: needs the authorization server metadata.',
    };
  }
  const kind = foundAt.includes('openid-configuration') ? 'OpenID configuration' : 'OAuth metadata';
  // Entra's multi-tenant metadata names its issuer with a {tenantid} placeholder.
  if (metadata.issuer !== authorizationServer && !metadata.issuer.includes('{tenantid}')) {
    return {
      status: 'warn',
      detail: `Found at ${code(foundAt)} (${kind}), but its issuer is ${code(metadata.issuer)}, not ${code(authorizationServer)}. Tried: ${tried.summary}.`,
      fix: "Use the metadata's issuer, exactly, in authorization_servers (the Entra provider's openIdIssuer).",
    };
  }
  return { status: 'pass', detail: `Found at ${code(foundAt)} (${kind}). Tried: ${tried.summary}.` };
}
