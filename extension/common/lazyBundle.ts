import path from 'node:path';

/**
 * A loader for a bundle built beside the extension bundle (esbuild.mjs), required the first time it
 * is called: what the bundle holds (the Azure SDK, the MCP SDK client) stays out of activation.
 */
export function lazyBundle<T>(fileName: string): () => T {
  let loaded: T | undefined;
  return () => {
    // A computed path keeps esbuild from inlining the bundle into the activation bundle.
    const bundle = path.join(__dirname, fileName);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bundle loaded lazily by path
    loaded ??= require(bundle) as T;
    return loaded;
  };
}
