import path from 'node:path';

export type ProbeApi = typeof import('./mcpProbe');

let loaded: ProbeApi | undefined;

/** Loads the probe bundle beside the extension bundle the first time a server is probed. */
export function loadProbe(): ProbeApi {
  // A computed path keeps esbuild from inlining the SDK client into the activation bundle.
  const bundle = path.join(__dirname, 'mcpProbe.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bundle loaded lazily by path
  loaded ??= require(bundle) as ProbeApi;
  return loaded;
}
