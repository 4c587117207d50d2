import {
  startEmbeddedHost,
  type RunningEmbeddedHost,
} from '../../server/src/hosts/embedded/startEmbeddedHost';
import type { EmbeddedHostSettings } from '../../server/src/hosts/embedded/hostSettings';
import type { FakeEntra } from '../fakes/entra';
import { catalogue } from '../../server/src/tools';
import type { ToolDependencies } from '../../server/src/toolDependencies';

/** The embedded host in this process on a free loopback port, serving the real catalogue. */
export function startTestHost(
  deps: ToolDependencies,
  overrides: Partial<EmbeddedHostSettings> = {},
): Promise<RunningEmbeddedHost> {
  return startEmbeddedHost(
    {
      host: '127.0.0.1',
      port: 0,
      key: undefined,
      extraAllowedHosts: [],
      extraAllowedOrigins: [],
      maxBodyBytes: 4 * 1024 * 1024,
      ...overrides,
    },
    catalogue,
    deps,
  );
}

/** Entra mode for {@link startTestHost}: tokens from the fake Entra, for the API `audience`. */
export function fakeEntraAuth(entra: FakeEntra, audience: string): NonNullable<EmbeddedHostSettings['auth']> {
  return {
    issuer: entra.issuer,
    audiences: [audience],
    jwksUrl: entra.jwksUrl,
    scopes: [`${audience}/user_impersonation`],
    trustForwardedProto: false,
  };
}
