// A function app whose App Service built-in authentication can be switched on and off through the
// fake ARM, as the VS Code suite's Enable Entra Sign-in test needs. In Azure the built-in auth
// module sits in front of the Functions host and follows the app's authsettingsV2 and app settings
// as soon as they are written (the platform restarts the app). Here the https front end reads the
// site's current settings from the fake ARM on every request and hands it to one of two embedded
// hosts: key mode (MCP_KEY, the mcp_extension system key) while Entra sign-in is off, Entra mode
// (bearer tokens of the fake Entra for the app registration's identifier URI) once authsettingsV2
// has Microsoft Entra on and the MCP webhook is Anonymous.
import path from 'node:path';
import type { FakeArm } from '../fakes/arm';
import type { FakeEntra } from '../fakes/entra';
import { startTlsProxy } from '../fakes/tlsProxy';
import { freePort, startNodeProcess } from '../support/processes';

const root = path.resolve(__dirname, '../..');
const webhookLevelSetting = 'AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel';

export interface BuiltInAuthApp {
  hostName: string;
  close(): Promise<void>;
}

export async function startBuiltInAuthApp(options: {
  arm: FakeArm;
  siteName: string;
  entra: FakeEntra;
  /** The identifier URI the suite will name when it enables Entra sign-in. */
  identifierUri: string;
  key: string;
  storageConnectionString: string;
}): Promise<BuiltInAuthApp> {
  const [keyPort, entraPort] = await Promise.all([freePort(), freePort()]);
  const common = {
    ...process.env,
    AzureWebJobsStorage: options.storageConnectionString,
    MCP_TRUST_PROXY: '1',
  };
  const keyMode = startNodeProcess(path.join(root, 'server/dist/embedded.js'), {
    ...common,
    PORT: String(keyPort),
    MCP_KEY: options.key,
  });
  const entraMode = startNodeProcess(path.join(root, 'server/dist/embedded.js'), {
    ...common,
    PORT: String(entraPort),
    MCP_AUTH_ISSUER: options.entra.issuer,
    MCP_AUTH_AUDIENCE: options.identifierUri,
    MCP_AUTH_JWKS_URL: options.entra.jwksUrl,
  });
  await Promise.all([keyMode.waitForLine(/ready:/), entraMode.waitForLine(/ready:/)]);
  const proxy = await startTlsProxy(() =>
    entraSignInOn(options.arm, options.siteName) ? entraPort : keyPort,
  );
  return {
    hostName: proxy.hostName,
    close: async () => {
      await Promise.all([proxy.close(), keyMode.stop(), entraMode.stop()]);
    },
  };
}

/** Read the way the platform reads it, not through the extension's own parsing. */
function entraSignInOn(arm: FakeArm, siteName: string): boolean {
  const site = arm.site(siteName);
  const settings = site.authSettingsV2 as {
    platform?: { enabled?: boolean };
    identityProviders?: { azureActiveDirectory?: { enabled?: boolean } };
  };
  return (
    settings.platform?.enabled === true &&
    settings.identityProviders?.azureActiveDirectory?.enabled !== false &&
    site.appSettings[webhookLevelSetting] === 'Anonymous'
  );
}
