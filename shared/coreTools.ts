/** The first Azure Functions Core Tools release whose host loads the MCP extension. */
export const minimumCoreToolsVersion = '4.0.7030';

/** Parses what `func --version` prints (e.g. "4.0.7030" or "4.0.7030+abc") into comparable numbers. */
export function parseCoreToolsVersion(output: string): number[] | undefined {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(output);
  return match ? match.slice(1).map(Number) : undefined;
}

export function isSupportedCoreToolsVersion(version: readonly number[]): boolean {
  const minimum = parseCoreToolsVersion(minimumCoreToolsVersion) ?? [];
  for (let i = 0; i < minimum.length; i++) {
    const difference = (version[i] ?? 0) - (minimum[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}
