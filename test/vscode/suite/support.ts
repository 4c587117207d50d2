import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { activate } from '../../../extension/extension';
import type { FakeEntraControls } from '../../fakes/authProvider/extension';
import { serverToolNames } from '../../support/serverToolNames';

export const extensionId = 'remote-mcp.remote-mcp-functions';

/** The services the extension exposes in ExtensionMode.Test; types only, never its modules. */
export type TestApi = NonNullable<ReturnType<typeof activate>>;

export async function testApi(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not installed`);
  const api = await extension.activate();
  if (!api)
    throw new Error(
      'The extension did not expose its test API: it does only in ExtensionMode.Test (an extension host started with --extensionTestsPath)',
    );
  return api;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

export { serverToolNames };

const serverToolSuffix = new RegExp(`_(${serverToolNames.join('|')})$`, 'i');

/** Which of the server's tools a VS Code MCP tool is. */
export function serverToolOf(tool: vscode.LanguageModelToolInformation): string | undefined {
  return serverToolNames.find((name) => tool.name.toLowerCase().endsWith(`_${name.toLowerCase()}`));
}

export function ourMcpTools(): vscode.LanguageModelToolInformation[] {
  return vscode.lm.tools.filter((tool) => tool.tags.includes('mcp') && serverToolSuffix.test(tool.name));
}

/**
 * After Start Local Server or Connect, the extension itself has VS Code's MCP client start the
 * server: waits for that (the extension saw VS Code start it) and then for its tools, without the
 * test starting anything.
 */
export async function toolsOnceStartedByExtension(
  label: string,
  count: number = serverToolNames.length,
): Promise<vscode.LanguageModelToolInformation[]> {
  const api = await testApi();
  // The extension gives VS Code up to 30 s to list the server; the tools follow within seconds.
  await eventually(
    `${label} started in VS Code's MCP client by the extension`,
    () => (api.mcpClient.state(label)?.status === 'started' ? true : undefined),
    40_000,
  ).catch((error: unknown) => {
    throw new Error(
      `${String(error)}; the extension's view says ${JSON.stringify(api.mcpClient.state(label))}`,
    );
  });
  return eventually(
    `${count} MCP tools in vscode.lm.tools`,
    () => {
      const tools = ourMcpTools();
      return tools.length === count ? tools : undefined;
    },
    30_000,
  );
}

/**
 * VS Code starts extension-provided MCP servers only for chat requests; tests ask it explicitly.
 * The command returns at once while the provider's definitions have not arrived, hence the loop.
 */
export async function startMcpServersUntilTools(
  count: number = serverToolNames.length,
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
  // VS Code may lower-case the server's tool names (GetAnomalies -> ..._getanomalies).
  const tool = ourMcpTools().find((candidate) =>
    candidate.name.toLowerCase().endsWith(`_${suffix.toLowerCase()}`),
  );
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

/** The test authentication provider's controls (test/fakes/authProvider), activating it if need be. */
export async function fakeEntra(): Promise<FakeEntraControls> {
  const extension = vscode.extensions.getExtension<FakeEntraControls>('remote-mcp-tests.fake-entra-auth');
  if (!extension) throw new Error('the test authentication provider is not installed');
  return extension.activate();
}

/** Asks the fixtures (test/vscode/remoteFixtures.ts) to act as an operator would: rotate a key, stop the app... */
export async function controlCall<T>(method: 'GET' | 'POST', route: string): Promise<T> {
  const response = await fetch(`${process.env.REMOTE_MCP_CONTROL_URL ?? ''}${route}`, { method });
  assert.equal(response.status, 200, `control ${route}`);
  return (await response.json()) as T;
}
