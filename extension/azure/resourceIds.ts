// Resource ids of function apps, the one parser of them in the extension. Plain strings, no SDK, so
// the activation bundle (azd outputs) and the Azure bundle share it.

/** Where a function app lives in ARM. */
export interface SiteRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const SITE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/sites\/([^/]+)\/?$/i;

/** The parts of `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}`; undefined for anything else. */
export function siteRefOf(id: string): SiteRef | undefined {
  const match = SITE_ID.exec(id.trim());
  if (!match) return undefined;
  const [, subscriptionId = '', resourceGroup = '', name = ''] = match;
  return {
    subscriptionId: decodeURIComponent(subscriptionId),
    resourceGroup: decodeURIComponent(resourceGroup),
    name: decodeURIComponent(name),
  };
}

/** Like {@link siteRefOf}, but a string that is not a function app's id is an error that shows the expected form. */
export function parseSiteResourceId(id: string): SiteRef {
  const ref = siteRefOf(id);
  if (!ref) {
    throw new Error(
      `"${id}" is not the resource ID of a function app; expected /subscriptions/<subscription id>/resourceGroups/<resource group>/providers/Microsoft.Web/sites/<app name>.`,
    );
  }
  return ref;
}

export function siteResourceId(ref: SiteRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Web/sites/${ref.name}`;
}
