// What the sign-in check takes and gives: its input, the steps of the report and their titles.
// Plain types and constants, no MCP SDK, so the command (in the activation bundle) can name them.
import type { RemoteServerKind } from '../../remote/remoteServers';
import { WEBHOOK_LEVEL_SETTING } from '../entra';
import type { CustomHandlerLevel } from '../entraAppConfig';

export type SignInStepStatus = 'pass' | 'fail' | 'skip' | 'warn';

/** The chain VS Code's MCP client walks to sign in, in its order. */
export const chainStepIds = [
  'challenge',
  'resourceMetadata',
  'resource',
  'authorizationServer',
  'scopes',
  'token',
  'initialize',
  'toolsList',
] as const;

/** What Azure's settings must agree with, checked after the chain. */
export const consistencyStepIds = [
  'webhookLevel',
  'storedKey',
  'allowedApplications',
  'audience',
  'tenant',
] as const;

export type ChainStepId = (typeof chainStepIds)[number];
export type ConsistencyStepId = (typeof consistencyStepIds)[number];
export type SignInStepId = ChainStepId | ConsistencyStepId;

export interface SignInStep {
  id: SignInStepId;
  title: string;
  status: SignInStepStatus;
  detail: string;
  fix?: string;
}

export interface SignInConsistency {
  /** authsettingsV2: platform.enabled with the azureActiveDirectory provider enabled. */
  entraEnabled?: boolean;
  /** The effective extensions.mcp.system.webhookAuthorizationLevel (app setting over host.json): System or Anonymous. */
  webhookAuthorizationLevel?: string;
  /** A self-hosted server's effective customHandler.http.DefaultAuthorizationLevel, when it could be read. */
  customHandlerLevel?: CustomHandlerLevel;
  /** Whether a function key is in SecretStorage for this server. */
  keyStored?: boolean;
  /** validation.defaultAuthorizationPolicy.allowedApplications. */
  allowedApplications?: string[];
  /** validation.allowedAudiences. */
  allowedAudiences?: string[];
  /** The tenant of the Entra app registration. */
  appTenantId?: string;
}

export interface SignInCheckInput {
  mcpUrl: string;
  /**
   * What serves MCP: a self-hosted SDK server's traps and fixes are the custom handler's, not the MCP
   * extension's. Absent: the MCP extension (servers remembered before self-hosted ones were known).
   */
  serverKind?: RemoteServerKind;
  /**
   * The MCP URL is the server's API Management gateway (RemoteServer.via 'gateway'): the gateway checks
   * the token and sends the app's key, so its failures have the gateway's causes and fixes, and the
   * rules that read App Service's authentication settings do not apply.
   */
  viaGateway?: boolean;
  /** Gets an access token as VS Code would (the `microsoft` provider); throws on failure or cancel. */
  getToken(scopes: string[], tenantId?: string): Promise<string>;
  consistency?: SignInConsistency;
  /** The tenant the user expects (e.g. the one the app was deployed from). */
  expectedTenantId?: string;
  /** Per HTTP request; default 15 s. getToken is not limited (it may wait for the user). */
  timeoutMs?: number;
}

export const signInStepTitles: Record<SignInStepId, string> = {
  challenge: 'Unauthenticated initialize asks for sign-in',
  resourceMetadata: 'Protected Resource Metadata found',
  resource: 'PRM resource equals the MCP URL',
  authorizationServer: 'Authorization server metadata found',
  scopes: 'Scopes offered',
  token: 'Access token obtained',
  initialize: 'initialize with the token',
  toolsList: 'tools/list with the token',
  webhookLevel: 'MCP webhook level fits Entra sign-in',
  storedKey: 'No stale function key',
  allowedApplications: "VS Code's client id is an allowed application",
  audience: 'The requested API is an allowed audience',
  tenant: 'Tenants match',
};

/** The consistency step's title for a self-hosted server, which has no MCP webhook. */
export const selfHostedLevelTitle = 'Custom handler authorization level fits Entra sign-in';

export { SELF_HOSTED_LEVEL_FIX as selfHostedLevelFix } from '../entra';

/** The fix for a webhook level that still asks for the system key once Entra checks the token. */
export const enableEntraFix =
  `Set the app setting \`${WEBHOOK_LEVEL_SETTING}=Anonymous\` (Easy Auth already checks the token), ` +
  'or run "Remote MCP: Enable Entra Sign-in", which does it for you.';
