// A function app's application settings (`{site}/config/appsettings`). Part of the Azure bundle.
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { callArm } from './errors';
import type { SiteRef } from './resourceIds';

export async function getAppSettings(
  client: WebSiteManagementClient,
  ref: SiteRef,
): Promise<Record<string, string>> {
  const settings = await callArm(ref, 'read the app settings of', () =>
    client.webApps.listApplicationSettings(ref.resourceGroup, ref.name),
  );
  return settings.properties ?? {};
}

/**
 * Sets (or, with `null`, removes) some app settings. ARM replaces the whole set on write, so this
 * reads, merges and writes; settings it is not told about are kept. Returns the new set.
 */
export async function updateAppSettings(
  client: WebSiteManagementClient,
  ref: SiteRef,
  changes: Record<string, string | null>,
): Promise<Record<string, string>> {
  const merged = { ...(await getAppSettings(client, ref)) };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  const written = await callArm(ref, 'write the app settings of', () =>
    client.webApps.updateApplicationSettings(ref.resourceGroup, ref.name, { properties: merged }),
  );
  return written.properties ?? merged;
}
