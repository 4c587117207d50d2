// "Remote MCP: Check Sign-in": walks the chain VS Code's MCP client walks to sign in to a remote
// server with Microsoft Entra, one step at a time, so a failure names the broken link and its fix:
//   1. POST initialize without a token → 401/403 with `WWW-Authenticate: Bearer resource_metadata="..."`;
//   2. Protected Resource Metadata (RFC 9728, https://www.rfc-editor.org/rfc/rfc9728);
//   3. its `resource` equals the MCP URL;
//   4. the metadata of authorization_servers[0] (RFC 8414 / OpenID Connect Discovery);
//   5. scopes: the challenge's `scope`, else the PRM's scopes_supported;
//   6. a token; 7. initialize and 8. tools/list with it.
// The MCP authorization spec VS Code follows:
// https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization
// Then what Azure's settings say (consistency.ts). It needs the MCP SDK's client, so it is part of
// the lazily loaded bundle (extension/mcpClientBundle.ts). Tokens never appear in the results.
import { checkAuthorizationServer } from './authorizationServer';
import { checkChallenge } from './challenge';
import { consistencyRules } from './consistency';
import type { SignInContext } from './context';
import { checkInitialize, checkToolsList } from './handshake';
import { chainStepIds, consistencyStepIds, type SignInCheckInput, type SignInStep } from './model';
import { checkResource, checkResourceMetadata } from './resourceMetadata';
import { runChain, signInStep, skippedSteps, type ChainStep } from './runner';
import { checkScopes } from './scopes';
import { code, redact } from './text';
import { checkToken } from './token';

export * from './model';
export { renderSignInReport, signInReportLines } from './report';
export { parseWwwAuthenticate, type AuthChallenge } from './wwwAuthenticate';

const chain: ChainStep<SignInContext>[] = [
  { id: 'challenge', run: checkChallenge },
  { id: 'resourceMetadata', run: checkResourceMetadata },
  { id: 'resource', run: checkResource },
  { id: 'authorizationServer', run: checkAuthorizationServer },
  { id: 'scopes', run: checkScopes },
  { id: 'token', run: checkToken },
  { id: 'initialize', run: checkInitialize },
  { id: 'toolsList', run: checkToolsList },
];

export async function checkSignIn(input: SignInCheckInput): Promise<{ steps: SignInStep[] }> {
  const mcpUrl = URL.canParse(input.mcpUrl) ? new URL(input.mcpUrl) : undefined;
  const context: SignInContext | undefined = mcpUrl && {
    input,
    mcpUrl,
    timeoutMs: input.timeoutMs ?? 15_000,
  };
  const chainSteps = context ? await runChain(chain, context) : notAUrl(input.mcpUrl);
  const consistencySteps = consistencyStepIds.map((id) =>
    signInStep(id, consistencyRules[id](context ?? { input })),
  );
  const token = context?.token;
  return {
    steps: [...chainSteps, ...consistencySteps].map((step) => ({
      ...step,
      detail: redact(step.detail, token),
      ...(step.fix ? { fix: redact(step.fix, token) } : {}),
    })),
  };
}

function notAUrl(mcpUrl: string): SignInStep[] {
  return [
    signInStep('challenge', {
      status: 'fail',
      detail: `${code(mcpUrl)} is not a URL.`,
      fix: 'Use the https URL of the MCP endpoint.',
    }),
    ...skippedSteps(chainStepIds.slice(1), 'Skipped: the MCP URL is not valid.'),
  ];
}
