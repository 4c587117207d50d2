import gte from 'semver/functions/gte';

/** The first Azure Functions Core Tools release whose host loads the MCP extension. */
export const minimumCoreToolsVersion = '4.0.7030';

/** Reads the version from what `func --version` prints (e.g. "4.0.7030" or "4.0.7030+abc"): "4.0.7030". */
export function parseCoreToolsVersion(output: string): string | undefined {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(output);
  return match ? match.slice(1).map(Number).join('.') : undefined;
}

export function isSupportedCoreToolsVersion(version: string): boolean {
  return gte(version, minimumCoreToolsVersion);
}
