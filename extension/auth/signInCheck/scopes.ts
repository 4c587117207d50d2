// Step 5: the scopes VS Code asks a token for: the challenge's `scope`, else the PRM's scopes_supported.
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { established, type SignInContext } from './context';
import type { StepResult } from './runner';
import { code } from './text';

export function checkScopes(context: SignInContext): StepResult {
  const prm = established<OAuthProtectedResourceMetadata>(context.resourceMetadata, 'the PRM');
  const fromChallenge = (context.challengeScopes?.length ?? 0) > 0;
  const scopes = fromChallenge
    ? (context.challengeScopes ?? [])
    : (prm.scopes_supported ?? []).filter((scope) => scope !== '');
  context.scopes = scopes;
  if (scopes.length === 0) {
    return {
      status: 'fail',
      detail:
        'Neither the challenge (scope) nor the PRM (scopes_supported) offers a scope, so VS Code cannot ask for a token for this API.',
      fix: 'Set WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES=api://<client id>/user_impersonation on the app (MCP_AUTH_SCOPES for the embedded host).',
      stopsChain: 'Skipped: needs a scope.',
    };
  }
  return {
    status: 'pass',
    detail: `VS Code will ask for ${scopes.map(code).join(' ')} (from ${fromChallenge ? 'the challenge' : 'scopes_supported'}).`,
  };
}

/** api://<id>/user_impersonation → api://<id>; a scope without a resource (openid) → undefined. */
export function scopeResource(scope: string): string | undefined {
  const slash = scope.lastIndexOf('/');
  return slash > 0 ? scope.slice(0, slash) : undefined;
}
