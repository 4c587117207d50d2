import { UserFacingError, type MessageAction } from '../common/errors';
import { CliNotFoundError, runCli } from '../common/processes';
import {
  isSupportedCoreToolsVersion,
  minimumCoreToolsVersion,
  parseCoreToolsVersion,
} from '../../shared/coreTools';
import type { HostSetting } from './settings';

export type FuncProbe =
  | { status: 'supported'; version: string }
  | { status: 'too-old'; version: string }
  | { status: 'missing' }
  | { status: 'broken'; detail: string };

/** Asks `func --version`, the way Core Tools reports its version (the version alone). */
export async function probeFunc(funcPath: string): Promise<FuncProbe> {
  try {
    const result = await runCli(funcPath, ['--version'], { timeoutMs: 15_000 });
    const version = parseCoreToolsVersion(result.stdout);
    if (result.exitCode !== 0 || !version) {
      return { status: 'broken', detail: (result.stderr || result.stdout).trim().split('\n').pop() ?? '' };
    }
    return isSupportedCoreToolsVersion(version)
      ? { status: 'supported', version }
      : { status: 'too-old', version };
  } catch (error) {
    if (error instanceof CliNotFoundError) return { status: 'missing' };
    return { status: 'broken', detail: error instanceof Error ? error.message : String(error) };
  }
}

export type HostChoice = { host: 'func'; version: string } | { host: 'embedded'; notice?: string };

export const coreToolsInstallUrl = 'https://learn.microsoft.com/azure/azure-functions/functions-run-local';

/**
 * `auto` prefers the real Functions host and falls back to the embedded one, saying why when the
 * reason is something the user may want to fix; `func` insists on Core Tools.
 */
export function chooseHost(
  setting: HostSetting,
  probe: FuncProbe | undefined,
  openUrl: (url: string) => unknown,
): HostChoice {
  if (setting === 'embedded' || !probe) return { host: 'embedded' };
  if (probe.status === 'supported') return { host: 'func', version: probe.version };

  const install: MessageAction = { title: 'Install Core Tools', run: () => openUrl(coreToolsInstallUrl) };
  const problem = describeFuncProblem(probe);
  if (setting === 'func') {
    throw new UserFacingError(
      `${problem} Update or install Azure Functions Core Tools, set remoteMcp.funcPath, or set remoteMcp.localServer.host to "embedded".`,
      [install],
    );
  }
  // A missing func is the normal case for auto: no notice. An old or broken one is worth a word.
  return probe.status === 'missing'
    ? { host: 'embedded' }
    : { host: 'embedded', notice: `${problem} Using the embedded host instead.` };
}

export function describeFuncProblem(probe: Exclude<FuncProbe, { status: 'supported' }>): string {
  switch (probe.status) {
    case 'too-old':
      return `Azure Functions Core Tools ${probe.version} is too old for MCP tools: ${minimumCoreToolsVersion} or later is needed.`;
    case 'missing':
      return 'Azure Functions Core Tools (func) was not found.';
    case 'broken':
      return `Azure Functions Core Tools did not report its version (${probe.detail || 'no output'}).`;
  }
}
