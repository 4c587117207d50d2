import * as vscode from 'vscode';
import type { activate } from '../../../extension/extension';

export const extensionId = 'remote-mcp.remote-mcp-functions';

/** The services the extension exposes when REMOTE_MCP_TEST_API=1; types only, never its modules. */
export type TestApi = NonNullable<ReturnType<typeof activate>>;

export async function testApi(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not installed`);
  const api = await extension.activate();
  if (!api) throw new Error('The extension did not expose its test API (REMOTE_MCP_TEST_API=1 missing?)');
  return api;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the bundled server's tools/list offers, by the seed samples' names. */
export const SERVER_TOOLS = [
  'hello_mcp',
  'save_snippet',
  'get_snippet',
  'list_snippets',
  'get_weather',
  'GetServerMetadata',
  'GetSqlMetadata',
  'GetPatchingLevel',
  'GetSqlBpAssessment',
  'GetAnomalies',
];

/** Polls until `probe` returns something truthy; the failure message says what was awaited. */
export async function eventually<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await sleep(250);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export function ourMcpTools(): vscode.LanguageModelToolInformation[] {
  return vscode.lm.tools.filter(
    (tool) =>
      tool.tags.includes('mcp') &&
      SERVER_TOOLS.some((name) => tool.name.toLowerCase().endsWith(`_${name.toLowerCase()}`)),
  );
}

/**
 * VS Code starts extension-provided MCP servers only for chat requests; tests ask it explicitly.
 * The command returns at once while the provider's definitions have not arrived, hence the loop.
 */
export async function startMcpServersUntilTools(
  count: number,
): Promise<vscode.LanguageModelToolInformation[]> {
  return eventually(
    `${count} MCP tools in vscode.lm.tools`,
    async () => {
      await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
      const tools = ourMcpTools();
      return tools.length === count ? tools : undefined;
    },
    60_000,
  );
}

/** Calls a tool the way Copilot agent mode does, and returns its text. */
export async function invokeTool(suffix: string, input: Record<string, unknown>): Promise<string> {
  const tool = ourMcpTools().find((candidate) => candidate.name.endsWith(`_${suffix}`));
  if (!tool)
    throw new Error(
      `No MCP tool ending in _${suffix}; tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`,
    );
  const result = await vscode.lm.invokeTool(tool.name, { input, toolInvocationToken: undefined });
  return result.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
    .join('');
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('remoteMcp').update(key, value, vscode.ConfigurationTarget.Global);
}
