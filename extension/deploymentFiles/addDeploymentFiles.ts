// "Add Azure Deployment Files" (issue 14, point 3) in plain Node: azure.yaml and infra/ for the
// workspace's own MCP project, so that Deploy to Azure (azd) deploys that app and not the bundled
// server. Which project, how clients authenticate, then the files, never overwriting one; what it
// needs from VS Code (prompts, the editor) is injected, so a test drives the whole flow.
import path from 'node:path';
import { folderOfCommandArgument } from '../common/commandFolder';
import { UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import type { UserInterface } from '../common/ui';
import { azdProjectOf } from '../deploy/azdProject';
import { workspaceFolderOf } from '../deploy/deployPlan';
import type { GeneratedFile } from '../hosting/generatedFile';
import { writeNewFiles, type WrittenFiles } from '../hosting/hostingFiles';
import { summarise } from '../hosting/hostingNotes';
import type { SelfHostedInfraOptions } from '../hosting/selfHostedInfra';
import { mcpProjectKindNames, type McpProject } from '../project/mcpProject';
import { recognizeProjects } from '../project/recognizeProjects';
import type { ChosenProject } from '../project/workspaceProjects';
import type { FunctionsMcpAuth, FunctionsMcpInfraOptions, FunctionsMcpLanguage } from './functionsMcpInfra';
import { readProjectRuntime } from './projectRuntime';

export const addDeploymentFilesTitle = 'Add Azure Deployment Files';

export interface AddDeploymentFilesDeps {
  workspaceFolders(): readonly string[];
  /** The workspace's MCP project, as every capability asks for it (WorkspaceProjects.choose). */
  chooseProject(purpose: string): Promise<ChosenProject>;
  ui: UserInterface;
  log: Logger;
  /** templates/functions-mcp rendered (functionsMcpInfra.ts). */
  functionsMcpInfraFiles(options: FunctionsMcpInfraOptions): Promise<GeneratedFile[]>;
  /** templates/self-hosted rendered (extension/hosting/selfHostedInfra.ts). */
  selfHostedInfraFiles(options: SelfHostedInfraOptions): Promise<GeneratedFile[]>;
  /** Shows a file the command added in an editor. */
  openFile(file: string): Promise<void>;
  actions: { deploy: MessageAction; hostOnFunctions: MessageAction };
}

export interface AddDeploymentFilesOptions {
  /** Run by Deploy to Azure, which deploys right after: the closing message offers no Deploy then. */
  deployNext?: boolean;
}

/** What the command did, for Deploy to Azure and for tests. */
export type DeploymentFilesOutcome =
  | { kind: 'added'; project: McpProject; written: WrittenFiles }
  /** The project is an azd project already (azure.yaml here or in a folder above it): nothing written. */
  | { kind: 'azdProjectAlready'; project: McpProject; azdProjectDir: string };

export async function addDeploymentFiles(
  deps: AddDeploymentFilesDeps,
  resource?: unknown,
  options: AddDeploymentFilesOptions = {},
): Promise<DeploymentFilesOutcome> {
  const project = await chooseTarget(deps, folderOfCommandArgument(resource));
  const azd = azdProjectOf(project.folder, workspaceFolderOf(project.folder, deps.workspaceFolders()));
  if (azd) {
    await deps.ui.showInfo(
      `${project.name} has Azure deployment files already (azure.yaml in ${azd.dir}); nothing was added. Deploy to Azure deploys it with azd.`,
      options.deployNext ? [] : [deps.actions.deploy],
    );
    return { kind: 'azdProjectAlready', project, azdProjectDir: azd.dir };
  }

  const { files, how } = await filesFor(deps, project);
  const written = await writeNewFiles(project.folder, files);
  deps.log.info(
    `${addDeploymentFilesTitle}: ${project.folder}: added ${written.added.join(', ') || 'nothing'}; kept ${written.kept.join(', ') || 'nothing'}.`,
  );
  if (written.added.includes('azure.yaml')) await deps.openFile(path.join(project.folder, 'azure.yaml'));
  const parts = [
    `${project.name} can be deployed to Azure Functions (Flex Consumption, ${how}).`,
    written.added.length > 0 ? `Added: ${summarise(written.added)}.` : 'Nothing was added.',
    written.kept.length > 0
      ? `Left as they were: ${summarise(written.kept)}; check that they fit the files added.`
      : undefined,
    options.deployNext ? 'Deploying it now.' : undefined,
  ];
  await deps.ui.showInfo(
    parts.filter((part) => part !== undefined).join(' '),
    options.deployNext ? [] : [deps.actions.deploy],
  );
  return { kind: 'added', project, written };
}

const lookedFor =
  'a Functions app (host.json) whose functions are MCP tool, resource or prompt triggers, or an MCP SDK server hosted on Functions (host.json with a custom handler)';

async function chooseTarget(deps: AddDeploymentFilesDeps, folder: string | undefined): Promise<McpProject> {
  if (folder === undefined) {
    const { project } = await deps.chooseProject(addDeploymentFilesTitle);
    if (project.kind !== 'bundled') return project;
    throw new UserFacingError(
      `This workspace holds no MCP project of yours: ${addDeploymentFilesTitle} looked for ${lookedFor}. ` +
        'Open the folder of your app and run it again (Deploy to Azure deploys the bundled sample server without these files).',
    );
  }
  const absolute = path.resolve(folder);
  const found = await recognizeProjects([absolute]);
  const project = found.projects.find((item) => item.folder === absolute);
  if (project) return project;
  if (found.candidates.some((item) => item.folder === absolute)) {
    throw new UserFacingError(
      `${path.basename(absolute)} is an MCP SDK server that is not hosted on Azure Functions yet: ` +
        'Host on Azure Functions… adds host.json together with its Azure deployment files.',
      [deps.actions.hostOnFunctions],
    );
  }
  const problems = found.problems.filter((problem) => path.dirname(problem.file) === absolute);
  throw new UserFacingError(
    `${path.basename(absolute)} is not an MCP project: ${addDeploymentFilesTitle} looked for ${lookedFor} in ${absolute}.` +
      (problems.length > 0 ? ` ${problems.map((problem) => problem.message).join(' ')}` : ''),
  );
}

/** The templates that fit the project, with the one question they leave open. */
async function filesFor(
  deps: AddDeploymentFilesDeps,
  project: McpProject,
): Promise<{ files: GeneratedFile[]; how: string }> {
  if (project.kind === 'selfHosted' && project.legacyForms.length > 0) {
    throw new UserFacingError(
      `${project.name}'s host.json is in an older self-hosted form, which the deployment files do not fit: ` +
        'Host on Azure Functions… upgrades it (showing the change first) and adds them.',
      [deps.actions.hostOnFunctions],
    );
  }
  if (project.kind === 'selfHosted') {
    // host.json already says how clients authenticate: `anonymous` behind Entra, `function` with keys.
    const auth = project.auth === 'functionKey' ? 'functionKey' : 'entra';
    const language = project.language === 'python' ? 'python' : 'node';
    const files = await deps.selfHostedInfraFiles({ language, projectName: project.name, auth });
    return { files, how: auth === 'entra' ? 'Microsoft Entra sign-in' : 'function key' };
  }
  const language = functionsMcpLanguage(project);
  const runtime = await readProjectRuntime(project.folder, language);
  const auth = await askAuth(deps.ui, project);
  const files = await deps.functionsMcpInfraFiles({
    language,
    projectName: project.name,
    auth,
    typeScript: runtime.typeScript,
    runtimeVersion: runtime.runtimeVersion,
  });
  const version = runtime.versionFrom ? `, runtime version from ${runtime.versionFrom}` : '';
  return { files, how: `${authNames[auth]}${version}` };
}

const supported: readonly FunctionsMcpLanguage[] = ['node', 'python', 'dotnet', 'java'];

function functionsMcpLanguage(project: McpProject): FunctionsMcpLanguage {
  const language = supported.find((item) => item === project.language);
  if (language) return language;
  throw new UserFacingError(
    `${project.name} is a ${mcpProjectKindNames[project.kind]} in ${project.language === 'unknown' ? 'a language it could not tell' : project.language}: ` +
      `${addDeploymentFilesTitle} has templates for Node.js, Python, .NET (isolated) and Java apps. ` +
      'Run `azd init` in its folder ("Use code in the current directory") to describe it to azd yourself.',
  );
}

const authNames: Record<FunctionsMcpAuth, string> = {
  systemKey: 'clients send the mcp_extension system key',
  entra: 'clients sign in with Microsoft Entra',
};

/**
 * The system key is the default: it is what the MCP extension asks for out of the box and what the
 * public samples deploy, Connect fetches it for the user, and provisioning needs no right to create
 * Entra app registrations (which many accounts lack). Entra can be switched on later too.
 */
async function askAuth(ui: UserInterface, project: McpProject): Promise<FunctionsMcpAuth> {
  return ui.pick(`${addDeploymentFilesTitle}: how do clients of ${project.name} authenticate?`, [
    {
      label: 'System key (mcp_extension)',
      description: 'default',
      detail:
        'What the MCP extension asks for out of the box: clients send the key in x-functions-key, and Connect fetches it for you. Provisioning needs no Entra rights; Enable Entra Sign-in can switch later.',
      value: 'systemKey' as const,
      picked: true,
    },
    {
      label: 'Microsoft Entra sign-in',
      detail:
        'Built-in auth with protected resource metadata: VS Code signs in, no key to share. Provisioning creates an app registration, so your account must be allowed to create one in the tenant.',
      value: 'entra' as const,
    },
  ]);
}
