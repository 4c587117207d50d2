// The one object the steps share: the input, and what each step found for the steps after it.
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ProbeOutcome } from '../../probe/mcpProbe';
import type { SignInCheckInput } from './model';

export interface SignInContext {
  readonly input: SignInCheckInput;
  readonly mcpUrl: URL;
  /** Per HTTP request. */
  readonly timeoutMs: number;
  /** From the challenge: false when the server answered without asking, true with a Bearer challenge. */
  signInRequired?: boolean;
  /** The challenge's resource_metadata, resolved against the MCP URL. */
  challengeMetadataUrl?: URL;
  /** The challenge's scope. */
  challengeScopes?: string[];
  resourceMetadata?: OAuthProtectedResourceMetadata;
  /** The tenant in authorization_servers[0], when it is an Entra issuer. */
  issuerTenant?: string;
  /** What VS Code asks a token for. */
  scopes?: string[];
  token?: string;
  claims?: TokenClaims;
  handshake?: Handshake;
}

/** The claims of the token VS Code would send that the report explains (step 6). */
export interface TokenClaims {
  aud?: string;
  iss?: string;
  tid?: string;
  azp?: string;
  appid?: string;
  scp?: string;
  exp?: number;
}

/** What initialize and tools/list with the token came to (steps 7 and 8). */
export interface Handshake {
  outcome: ProbeOutcome;
  /** The last POST the server did not answer with success. */
  refused?: RefusedAnswer;
}

export interface RefusedAnswer {
  status: number;
  wwwAuthenticate: string | null;
  body: string;
}

/**
 * A fact an earlier step found. The runner runs a step only after the steps it needs, which stop
 * the chain when they find nothing, so a missing fact is a mistake in the chain's order.
 */
export function established<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Sign-in check: ${what} is needed before it is found.`);
  return value;
}
