// What Azure's settings must agree with for the chain to work: the webhook level, a stale key,
// allowed applications, audiences and tenants. Each rule reads what the chain found and the
// settings the command read from Azure; a rule without what it needs is skipped.
import type { SignInContext } from './context';
import { VSCODE_CLIENT_ID } from '../entra';
import { enableEntraFix, selfHostedLevelFix, selfHostedLevelTitle, type ConsistencyStepId } from './model';
import type { StepResult } from './runner';
import { gatewayChecksTheToken, gatewayKeyNotNeeded, wrongTenantFix } from './gateway';
import { scopeResource } from './scopes';
import { unique } from './text';

/** What the rules read of what the chain found (nothing, when the MCP URL was not a URL). */
export type ChainFindings = Pick<
  SignInContext,
  'input' | 'signInRequired' | 'issuerTenant' | 'scopes' | 'claims'
>;

type ConsistencyRule = (context: ChainFindings) => StepResult;

/** Entra sign-in is on per authsettingsV2, or, without the settings, per the server's challenge. */
function entraOn(context: ChainFindings): boolean | undefined {
  return context.input.consistency?.entraEnabled ?? context.signInRequired;
}

/** The rules that read App Service's authentication settings, which a gateway's token check replaces. */
function unlessViaGateway(rule: ConsistencyRule): ConsistencyRule {
  return (context) =>
    context.input.viaGateway ? { status: 'skip', detail: gatewayChecksTheToken } : rule(context);
}

function webhookLevel(context: ChainFindings): StepResult {
  if (context.input.serverKind === 'selfHosted')
    return { ...customHandlerLevel(context), title: selfHostedLevelTitle };
  const { entraEnabled, webhookAuthorizationLevel: level } = context.input.consistency ?? {};
  if (entraEnabled === undefined && level === undefined) {
    return { status: 'skip', detail: "Not checked: the app's settings were not read." };
  }
  if (!entraOn(context)) {
    return {
      status: 'skip',
      detail: `Entra sign-in is off${level ? `; the webhook level is ${level}` : ''}.`,
    };
  }
  if (level === undefined) {
    return {
      status: 'warn',
      detail:
        'Entra sign-in is on, and the MCP webhook level was not found; it defaults to System, which answers 403 to signed-in requests.',
      fix: enableEntraFix,
    };
  }
  if (level.toLowerCase() === 'system') {
    return {
      status: 'fail',
      detail:
        'Entra sign-in is on but the MCP webhook level is System: every signed-in request gets 403, because the host still asks for the mcp_extension key.',
      fix: enableEntraFix,
    };
  }
  return { status: 'pass', detail: `Entra sign-in is on and the MCP webhook level is ${level}.` };
}

/**
 * The self-hosted form of the trap: built-in auth checks the token, then the Functions host still asks
 * for a function key because the custom handler's DefaultAuthorizationLevel is `function` (host.json,
 * or the host's default when host.json names none).
 */
function customHandlerLevel(context: ChainFindings): StepResult {
  const { entraEnabled, customHandlerLevel: found } = context.input.consistency ?? {};
  if (!entraOn(context)) {
    return {
      status: 'skip',
      detail: `Entra sign-in is off${found ? `; the DefaultAuthorizationLevel is ${found.level} (${found.source})` : ''}.`,
    };
  }
  if (!found) {
    return entraEnabled === undefined
      ? { status: 'skip', detail: "Not checked: the app's settings and host.json were not read." }
      : {
          status: 'skip',
          detail:
            "Not checked: the app sets no DefaultAuthorizationLevel override and the project's host.json is not in this workspace.",
        };
  }
  if (found.level !== 'anonymous') {
    return {
      status: 'fail',
      detail: `Entra sign-in is on but the custom handler's DefaultAuthorizationLevel is ${found.level} (${found.source}): every signed-in request still needs a function key, so VS Code gets 401/403 after signing in.`,
      fix: selfHostedLevelFix,
    };
  }
  return {
    status: 'pass',
    detail: `Entra sign-in is on and the DefaultAuthorizationLevel is anonymous (${found.source}).`,
  };
}

function storedKey(context: ChainFindings): StepResult {
  const keyStored = context.input.consistency?.keyStored;
  if (keyStored === undefined) {
    return { status: 'skip', detail: 'Not checked: whether a key is stored was not given.' };
  }
  if (context.input.viaGateway) {
    return {
      status: 'pass',
      detail: keyStored
        ? gatewayKeyNotNeeded
        : "No key is stored for this server; the gateway sends the app's key.",
    };
  }
  if (keyStored && entraOn(context)) {
    return {
      status: 'warn',
      detail:
        'A function key is stored for this server, but it signs in with Entra, so the key is not used and may be stale.',
      fix: 'Run "Remote MCP: Forget Key" on this server.',
    };
  }
  return {
    status: 'pass',
    detail: keyStored
      ? 'A key is stored; this server does not use Entra sign-in.'
      : 'No key is stored for this server.',
  };
}

function allowedApplications(context: ChainFindings): StepResult {
  const allowed = context.input.consistency?.allowedApplications;
  if (allowed === undefined) {
    return { status: 'skip', detail: "Not checked: the app's authentication settings were not read." };
  }
  if (allowed.length === 0) {
    return { status: 'pass', detail: 'No allowedApplications list: any client application is allowed.' };
  }
  if (allowed.some((id) => id.toLowerCase() === VSCODE_CLIENT_ID)) {
    return { status: 'pass', detail: `allowedApplications includes VS Code (${VSCODE_CLIENT_ID}).` };
  }
  return {
    status: 'fail',
    detail: `allowedApplications (${allowed.join(', ')}) does not include VS Code's client id ${VSCODE_CLIENT_ID}, so VS Code's tokens are refused with 403.`,
    fix: `Add ${VSCODE_CLIENT_ID} to identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications in authsettingsV2 (or run "Remote MCP: Enable Entra Sign-in").`,
  };
}

function audience(context: ChainFindings): StepResult {
  const audiences = context.input.consistency?.allowedAudiences;
  const requested = unique(
    (context.scopes ?? []).map(scopeResource).filter((resource) => resource !== undefined),
  );
  if (audiences === undefined) {
    return { status: 'skip', detail: "Not checked: the app's allowedAudiences were not read." };
  }
  if (requested.length === 0) return { status: 'skip', detail: 'Not checked: no scopes were found.' };
  if (audiences.length === 0) {
    return {
      status: 'pass',
      detail: "No allowedAudiences list: the app registration's client id is accepted.",
    };
  }
  const tokenAudience = context.claims?.aud;
  if (
    requested.some((resource) => audiences.includes(resource)) ||
    (tokenAudience !== undefined && audiences.includes(tokenAudience))
  ) {
    return { status: 'pass', detail: `${requested.join(', ')} is among allowedAudiences.` };
  }
  return {
    status: 'fail',
    detail: `VS Code asks for a token for ${requested.join(', ')}, which is not in allowedAudiences (${audiences.join(', ')}).`,
    fix: `Add ${requested[0] ?? ''} to identityProviders.azureActiveDirectory.validation.allowedAudiences, or make the PRM's scopes name the API in allowedAudiences.`,
  };
}

/** Entra's multi-tenant names, which stand for no tenant in particular. */
const anyTenant = ['common', 'organizations', 'consumers'];

function tenant(context: ChainFindings): StepResult {
  const appTenantId = context.input.consistency?.appTenantId;
  const named: [string, string | undefined][] = [
    ['the issuer', context.issuerTenant],
    ['the app registration', appTenantId],
    ['the expected tenant', context.input.expectedTenantId],
    ['the token', context.claims?.tid],
  ];
  const known = named.filter(
    (pair): pair is [string, string] => !!pair[1] && !anyTenant.includes(pair[1].toLowerCase()),
  );
  if (known.length < 2) return { status: 'skip', detail: 'Not checked: fewer than two tenants are known.' };
  if (unique(known.map(([, id]) => id.toLowerCase())).length === 1) {
    return {
      status: 'pass',
      detail: `All in tenant ${known[0]?.[1] ?? ''} (${known.map(([who]) => who).join(', ')}).`,
    };
  }
  return {
    status: 'fail',
    detail: `Tenants differ: ${known.map(([who, id]) => `${who} ${id}`).join(', ')}.`,
    fix: context.input.viaGateway
      ? wrongTenantFix(context.issuerTenant ?? context.input.expectedTenantId)
      : `Use the app registration's tenant in the issuer (https://login.microsoftonline.com/${appTenantId ?? '<tenant>'}/v2.0, the Entra provider's openIdIssuer and WEBSITE_AUTH_AAD_ALLOWED_TENANTS), and sign in to VS Code with an account of that tenant.`,
  };
}

export const consistencyRules: Record<ConsistencyStepId, ConsistencyRule> = {
  webhookLevel: unlessViaGateway(webhookLevel),
  storedKey,
  allowedApplications: unlessViaGateway(allowedApplications),
  audience: unlessViaGateway(audience),
  tenant,
};
