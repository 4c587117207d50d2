// Whether a Functions app declares MCP triggers, in code or in function.json metadata: the
// programming models' registrations of the Azure Functions MCP extension
// (https://learn.microsoft.com/azure/azure-functions/functions-bindings-mcp-trigger).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  filesIn,
  isObject,
  property,
  readJsonObject,
  readText,
  subFolders,
  type ProblemList,
} from './projectFiles';

/** Folders no recognition looks into: dependencies, virtual environments, build output, tool caches. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || skippedFolders.has(name);
}
const skippedFolders = new Set([
  'node_modules',
  'venv',
  '__pycache__',
  'dist',
  'bin',
  'obj',
  'out',
  'target',
]);

/** Source registrations of MCP triggers, per programming model. */
const codePatterns: { extensions: RegExp; pattern: RegExp }[] = [
  // Node: app.mcpTool(…), app.mcpResource(…), app.mcpPrompt(…) of the Node programming model (azure-functions-nodejs-library).
  { extensions: /\.(ts|mts|cts|js|mjs|cjs)$/, pattern: /\bapp\s*\.\s*mcp(Tool|Resource|Prompt)\s*\(/ },
  // Python v2 model: @app.mcp_tool(…) (any FunctionApp or Blueprint name), @app.mcp_tool_trigger(…),
  // and @app.generic_trigger(…, type="mcpToolTrigger") from before the dedicated decorators.
  {
    extensions: /\.py$/,
    pattern:
      /@\s*\w+\s*\.\s*mcp_(tool|resource|prompt)(_trigger)?\s*\(|generic_trigger\s*\([^)]*type\s*=\s*["']mcp(Tool|Resource|Prompt)Trigger["']/,
  },
  // .NET isolated worker: [McpToolTrigger(…)]; Java: @McpToolTrigger(…).
  { extensions: /\.cs$/, pattern: /\[\s*McpToolTrigger\b|\[\s*Mcp(Resource|Prompt)Trigger\b/ },
  { extensions: /\.java$/, pattern: /@McpToolTrigger\b|@Mcp(Resource|Prompt)Trigger\b/ },
];
const triggerBindingType = /^mcp(Tool|Resource|Prompt)Trigger$/i;

/** Deep enough for `src/main/java/<package>/…`; the file limit keeps a huge folder cheap to look at. */
const maxDepth = 6;
const maxFiles = 2000;
const maxFileBytes = 512 * 1024;

/** The first file that declares an MCP trigger, or undefined. function.json files found broken are problems. */
export async function findMcpTrigger(folder: string, problems: ProblemList): Promise<string | undefined> {
  for (const sub of await subFolders(folder)) {
    if (isSkippedFolder(sub)) continue;
    const functionJson = path.join(folder, sub, 'function.json');
    const metadata = await readJsonObject(functionJson, problems);
    if (
      metadata &&
      bindingsOf(metadata).some((binding) => triggerBindingType.test(String(property(binding, 'type'))))
    )
      return functionJson;
  }
  let budget = maxFiles;
  const walk = async (dir: string, depth: number): Promise<string | undefined> => {
    for (const name of await filesIn(dir)) {
      if (budget-- <= 0) return undefined;
      const rule = codePatterns.find((candidate) => candidate.extensions.test(name));
      if (!rule) continue;
      const file = path.join(dir, name);
      if (!(await isSmall(file))) continue;
      const text = await readText(file, problems);
      if (text !== undefined && rule.pattern.test(text)) return file;
    }
    if (depth >= maxDepth) return undefined;
    for (const sub of await subFolders(dir)) {
      if (isSkippedFolder(sub)) continue;
      const found = await walk(path.join(dir, sub), depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return walk(folder, 0);
}

export function bindingsOf(functionJson: Record<string, unknown>): Record<string, unknown>[] {
  const bindings = property(functionJson, 'bindings');
  return Array.isArray(bindings) ? bindings.filter(isObject) : [];
}

async function isSmall(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size <= maxFileBytes;
  } catch {
    return false;
  }
}
