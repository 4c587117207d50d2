// Steps 2 and 3: the Protected Resource Metadata (RFC 9728), found where VS Code looks, and its
// `resource`, which must be the MCP URL.
import { discoverOAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { established, type SignInContext } from './context';
import type { StepResult } from './runner';
import { gatewayResourceFix, gatewayResourceMetadataFix } from './gateway';
import { code } from './text';
import { TriedUrls } from './triedUrls';

/**
 * The challenge's resource_metadata first; if that fails, the SDK's well-known discovery: the path
 * of the MCP URL after /.well-known/oauth-protected-resource, then the bare one. The SDK stops at
 * the challenge's URL when it is given; VS Code goes on to the well-known URLs, so this does too.
 */
export async function checkResourceMetadata(context: SignInContext): Promise<StepResult> {
  const tried = new TriedUrls(context.timeoutMs);
  const discover = async (resourceMetadataUrl?: URL) => {
    try {
      return await discoverOAuthProtectedResourceMetadata(
        context.mcpUrl,
        { resourceMetadataUrl, protocolVersion: LATEST_PROTOCOL_VERSION },
        tried.fetch,
      );
    } catch (error) {
      tried.refuseLastAnswer(error);
      return undefined;
    }
  };
  const metadata =
    (context.challengeMetadataUrl && (await discover(context.challengeMetadataUrl))) || (await discover());
  if (!metadata) {
    return {
      status: 'fail',
      detail: `No Protected Resource Metadata. Tried: ${tried.summary}.`,
      fix: context.input.viaGateway
        ? gatewayResourceMetadataFix()
        : 'On App Service set the app setting WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES=<identifier URI>/user_impersonation (e.g. api://<client id>/user_impersonation) so built-in auth serves /.well-known/oauth-protected-resource; for the embedded host set MCP_AUTH_ISSUER, MCP_AUTH_AUDIENCE and MCP_AUTH_JWKS_URL.',
      stopsChain: 'Skipped: needs the Protected Resource Metadata.',
    };
  }
  context.resourceMetadata = metadata;
  return {
    status: 'pass',
    detail: `Found at ${code(tried.answeredUrl ?? '?')}${tried.count > 1 ? ` (tried: ${tried.summary})` : ''}.`,
  };
}

/** VS Code compares new URL(resource).toString() with the MCP URL's, so a trailing slash matters. */
export function checkResource(context: SignInContext): StepResult {
  const { resource } = established<OAuthProtectedResourceMetadata>(context.resourceMetadata, 'the PRM');
  const { mcpUrl } = context;
  if (new URL(resource).href === mcpUrl.href)
    return { status: 'pass', detail: `resource is ${code(resource)}.` };
  // The chain goes on, so one report shows every broken link.
  return {
    status: 'fail',
    detail: `resource is ${code(resource)} but the MCP URL is ${code(mcpUrl.href)}; VS Code rejects metadata for another resource.`,
    fix: context.input.viaGateway
      ? gatewayResourceFix(mcpUrl)
      : resourceFix(
          new URL(resource),
          mcpUrl,
          context.input.serverKind === 'selfHosted' ? '/mcp' : '/runtime/webhooks/mcp',
        ),
  };
}

function resourceFix(advertised: URL, mcpUrl: URL, mcpPath: string): string {
  const general = `Connect to the URL the app advertises, or make the app advertise ${mcpUrl.href}: on App Service the PRM comes from built-in auth (WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES), whose resource is https://<host>${mcpPath} of the host you call.`;
  if (advertised.protocol === 'http:' && mcpUrl.protocol === 'https:') {
    return `The app advertises http behind an https front end: for the embedded host set MCP_TRUST_PROXY=1 so it honours X-Forwarded-Proto. ${general}`;
  }
  if (advertised.host !== mcpUrl.host) {
    return `The app advertises the host ${advertised.host}; you connect to ${mcpUrl.host}. ${general}`;
  }
  return general;
}
