// Finds the MCP projects of a workspace (issue 13, point 2): self-hosted SDK servers (current and
// older host.json forms), Functions MCP extension apps, and candidates (SDK servers not hosted yet).
// A repository often keeps its app in a sub-folder (`src/`, `server/`), so each workspace folder and
// its immediate sub-folders are looked at; deeper ones are not, to keep activation cheap.
import path from 'node:path';
import { mcpRoutes } from '../mcpRoutes';
import { readHostJsonFacts, type HostJsonFacts } from './hostJson';
import {
  coreToolsRun,
  defaultSelfHostedPort,
  selfHostedMcpPath,
  type DirectRun,
  type LegacyForm,
  type McpAuth,
  type McpCandidate,
  type McpProject,
  type McpProjectLanguage,
  type ProjectProblem,
} from './mcpProject';
import { bindingsOf, findMcpTrigger, isSkippedFolder } from './mcpTriggers';
import {
  filesIn,
  isObject,
  property,
  ProblemList,
  readJsonObject,
  readText,
  subFolders,
  type JsonObject,
} from './projectFiles';
import { namesPythonMcp, pyprojectNames, requirementsTxtNames } from './pythonRequirements';

export interface Recognition {
  /** The user's hosted projects, by folder path. */
  projects: McpProject[];
  /** SDK servers not hosted yet (none inside a project's folder), by folder path. */
  candidates: McpCandidate[];
  /** What is wrong in the user's files, each naming the file and the fix. */
  problems: ProjectProblem[];
}

/** The npm package of the MCP TypeScript SDK. */
export const nodeMcpSdk = '@modelcontextprotocol/sdk';

const legacyOrder: readonly LegacyForm[] = [
  'enableForwardingHttpRequest',
  'enableProxyingHttpRequest',
  'mcpHandlerFunction',
  'emptyRoutePrefix',
];

/** Never throws: what cannot be read or understood becomes a problem. */
export async function recognizeProjects(workspaceFolders: readonly string[]): Promise<Recognition> {
  const problems = new ProblemList();
  const folders = await foldersToExamine(workspaceFolders);
  const found = await Promise.all(folders.map((folder) => examineFolder(folder, problems)));
  const projects = found.filter((item): item is McpProject => item !== undefined && 'kind' in item);
  const candidates = found.filter(
    (item): item is McpCandidate =>
      item !== undefined &&
      !('kind' in item) &&
      !projects.some((project) => isInside(item.folder, project.folder)),
  );
  // Folders are read concurrently; sorting keeps the problems in the same order on every run.
  const sorted = [...problems.items].sort(
    (a, b) => a.file.localeCompare(b.file) || a.message.localeCompare(b.message),
  );
  return { projects, candidates, problems: sorted };
}

/** Each workspace folder and its immediate sub-folders, absolute, without duplicates, in path order. */
async function foldersToExamine(workspaceFolders: readonly string[]): Promise<string[]> {
  const folders = new Set<string>();
  for (const workspaceFolder of workspaceFolders) {
    const root = path.resolve(workspaceFolder);
    folders.add(root);
    for (const sub of await subFolders(root)) if (!isSkippedFolder(sub)) folders.add(path.join(root, sub));
  }
  return [...folders].sort();
}

async function examineFolder(
  folder: string,
  problems: ProblemList,
): Promise<McpProject | McpCandidate | undefined> {
  const packageJson = await readJsonObject(path.join(folder, 'package.json'), problems);
  const candidate = await candidateIn(folder, packageJson, problems);
  const hostJsonFile = path.join(folder, 'host.json');
  const hostJson = await readJsonObject(hostJsonFile, problems);
  if (!hostJson) return candidate;

  const facts = readHostJsonFacts(hostJson, hostJsonFile, problems);
  const mcpHandler = await hasMcpHandlerFunction(folder, problems);
  const forwards = facts.legacyForms.some((form) => form !== 'emptyRoutePrefix');
  // A forwarding flag alone also fits any custom handler web app; with the SDK named it is an MCP server.
  if (facts.selfHostedProfile || (facts.hasCustomHandler && (mcpHandler || (forwards && candidate)))) {
    const legacyForms = mcpHandler
      ? [...facts.legacyForms, 'mcpHandlerFunction' as const]
      : facts.legacyForms;
    return selfHostedProject(folder, packageJson, facts, legacyForms, problems);
  }
  if (facts.mcpExtensionConfigured || (await findMcpTrigger(folder, problems))) {
    return {
      folder,
      name: projectName(folder, packageJson),
      kind: 'functionsMcpExtension',
      language: await languageOf(folder, undefined, problems),
      mcpPath: mcpRoutes.streamableHttp,
      // https://learn.microsoft.com/azure/azure-functions/functions-bindings-mcp
      auth: facts.mcpWebhookAuthorizationLevel === 'anonymous' ? 'anonymous' : 'systemKey',
      localRun: { coreTools: coreToolsRun(folder) },
      legacyForms: [],
    };
  }
  return candidate;
}

async function selfHostedProject(
  folder: string,
  packageJson: JsonObject | undefined,
  facts: HostJsonFacts,
  legacyForms: LegacyForm[],
  problems: ProblemList,
): Promise<McpProject> {
  const language = await languageOf(folder, { program: facts.program }, problems);
  return {
    folder,
    name: projectName(folder, packageJson),
    kind: 'selfHosted',
    language,
    mcpPath: selfHostedMcpPath,
    auth: selfHostedAuth(facts, path.join(folder, 'host.json'), problems),
    localRun: { coreTools: coreToolsRun(folder), ...directRun(folder, language, facts) },
    legacyForms: legacyOrder.filter((form) => legacyForms.includes(form)),
  };
}

/**
 * `DefaultAuthorizationLevel` `anonymous` → no key (built-in auth, if the site has it, turns this into
 * `entra` later: see McpAuth); `function`, or no level at all (HTTP's default level is `function`:
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger) → the `default` function key.
 */
function selfHostedAuth(facts: HostJsonFacts, hostJsonFile: string, problems: ProblemList): McpAuth {
  const level = facts.defaultAuthorizationLevel;
  if (level === 'anonymous') return 'anonymous';
  if (level !== undefined && level !== 'function')
    problems.add(
      hostJsonFile,
      `host.json: customHandler.http.DefaultAuthorizationLevel is "${level}"; an MCP client can only use ` +
        '"anonymous" (with built-in auth, clients sign in) or "function" (clients send the default function key). ' +
        'Set it to one of those two.',
    );
  return 'functionKey';
}

/** The server's own command, for a Node or Python server whose host.json describes a usable one. */
function directRun(
  folder: string,
  language: McpProjectLanguage,
  facts: HostJsonFacts,
): { direct?: DirectRun } {
  const defaultPort = defaultSelfHostedPort[language];
  if (!facts.command || facts.port === 'invalid' || defaultPort === undefined) return {};
  return {
    direct: {
      executable: facts.command.executable,
      args: facts.command.args,
      cwd: path.resolve(folder, facts.command.workingDirectory ?? '.'),
      port: facts.port ?? defaultPort,
      portSource: facts.port === undefined ? 'default' : 'host.json',
    },
  };
}

/** The older form's catch-all function: an HTTP trigger on `{*route}` that hands every request to the server. */
async function hasMcpHandlerFunction(folder: string, problems: ProblemList): Promise<boolean> {
  const metadata = await readJsonObject(path.join(folder, 'mcp-handler', 'function.json'), problems);
  return (
    metadata !== undefined &&
    bindingsOf(metadata).some(
      (binding) =>
        String(property(binding, 'type')).toLowerCase() === 'httptrigger' &&
        property(binding, 'route') === '{*route}',
    )
  );
}

async function candidateIn(
  folder: string,
  packageJson: JsonObject | undefined,
  problems: ProblemList,
): Promise<McpCandidate | undefined> {
  const name = projectName(folder, packageJson);
  if (packageJson && dependsOn(packageJson, nodeMcpSdk))
    return { folder, name, language: 'node', evidence: path.join(folder, 'package.json') };
  const readers = [
    ['requirements.txt', requirementsTxtNames],
    ['pyproject.toml', pyprojectNames],
  ] as const;
  for (const [file, names] of readers) {
    const text = await readText(path.join(folder, file), problems);
    if (text !== undefined && namesPythonMcp(names(text)))
      return { folder, name, language: 'python', evidence: path.join(folder, file) };
  }
  return undefined;
}

function dependsOn(packageJson: JsonObject, name: string): boolean {
  return ['dependencies', 'devDependencies'].some(
    (field) => isObject(packageJson[field]) && name in packageJson[field],
  );
}

function projectName(folder: string, packageJson: JsonObject | undefined): string {
  const name = packageJson?.name;
  return typeof name === 'string' && name.trim() !== '' ? name : path.basename(folder);
}

const runtimeLanguages: Record<string, McpProjectLanguage> = {
  node: 'node',
  python: 'python',
  dotnet: 'dotnet',
  'dotnet-isolated': 'dotnet',
  java: 'java',
  powershell: 'powershell',
};

const executableLanguages: Record<string, McpProjectLanguage> = {
  node: 'node',
  npm: 'node',
  npx: 'node',
  python: 'python',
  python3: 'python',
  py: 'python',
  uv: 'python',
  dotnet: 'dotnet',
  java: 'java',
  pwsh: 'powershell',
};

/**
 * local.settings.json's `FUNCTIONS_WORKER_RUNTIME`, else (self-hosted) the custom handler's program,
 * else the files the language's tools keep in the folder.
 */
async function languageOf(
  folder: string,
  selfHosted: { program: string | undefined } | undefined,
  problems: ProblemList,
): Promise<McpProjectLanguage> {
  const settingsFile = path.join(folder, 'local.settings.json');
  const runtime = property(
    property(await readJsonObject(settingsFile, problems), 'Values'),
    'FUNCTIONS_WORKER_RUNTIME',
  );
  if (typeof runtime === 'string') {
    const language = runtimeLanguages[runtime.toLowerCase()];
    if (language) return language;
    if (selfHosted)
      problems.add(
        settingsFile,
        `local.settings.json: FUNCTIONS_WORKER_RUNTIME is "${runtime}", but a self-hosted MCP server runs with ` +
          'its language\'s runtime. Set it to "node" or "python" (the language of your server).',
      );
  }
  if (selfHosted?.program !== undefined) {
    const program = path
      .basename(selfHosted.program)
      .toLowerCase()
      .replace(/\.(exe|cmd)$/, '');
    const language =
      executableLanguages[program] ?? (/^python3(\.\d+)?$/.test(program) ? 'python' : undefined);
    if (language) return language;
  }
  const files = await filesIn(folder);
  const has = (pattern: RegExp) => files.some((file) => pattern.test(file));
  if (has(/^package\.json$/)) return 'node';
  if (has(/^(requirements\.txt|pyproject\.toml|function_app\.py)$/)) return 'python';
  if (has(/\.(csproj|fsproj)$/)) return 'dotnet';
  if (has(/^(pom\.xml|build\.gradle(\.kts)?)$/)) return 'java';
  if (has(/^(profile\.ps1|requirements\.psd1)$/)) return 'powershell';
  return 'unknown';
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
