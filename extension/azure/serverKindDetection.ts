// What serves MCP on a deployed app, read from the app itself. Part of the Azure bundle.
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import type { RemoteServerKind } from '../remote/remoteServers';
import { hasMcpCustomHandlerFlag } from '../remote/serverKind';
import { getAppSettings } from './appSettings';
import type { SiteRef } from './resourceIds';

/**
 * Self-hosted when the app settings (`POST {site}/config/appsettings/list`) turn the MCP custom
 * handler on: in Azure a self-hosted server does not run without that flag. Otherwise the Functions
 * MCP extension: right after a deploy its trigger functions and its `mcp_extension` key may not exist
 * yet, so their absence is no evidence, and the key fetch waits for them patiently.
 */
export async function detectServerKind(
  client: WebSiteManagementClient,
  ref: SiteRef,
): Promise<RemoteServerKind> {
  return hasMcpCustomHandlerFlag(await getAppSettings(client, ref)) ? 'selfHosted' : 'functionsMcpExtension';
}
