// The entry of dist/azure.js: what needs the Azure SDK, bundled apart from the extension and required
// on first use (extension/azure/loadAzure.ts), so activation loads none of it. It re-exports only what
// the loader hands out; each concern lives in its own module beside this one.
export { createArmClient } from './armClient';
export { azdCredential, tokenCredentialFromSession } from './credentials';
export { getAppSettings, updateAppSettings } from './appSettings';
export { getAuthSettingsV2, updateAuthSettingsV2 } from './authSettings';
export { isUserFacingAzureError } from './errors';
export { fetchMcpKey } from './keys';
export { scanForMcpApps } from './mcpAppScan';
export { parseSiteResourceId } from './resourceIds';
export { detectServerKind } from './serverKindDetection';
