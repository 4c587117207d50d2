// "Host on Azure Functions…" (issue 13, point 3) in plain Node: which folder, then the entry and port,
// the stateless check, the auth choice and the files, or the upgrade of an older form. What it needs
// from VS Code (prompts, editors, the trash) is injected, so a test drives the whole flow.
import path from 'node:path';
import { readFile, rmdir, writeFile } from 'node:fs/promises';
import { folderOfCommandArgument } from '../common/commandFolder';
import { CancelledError, UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import type { UserInterface } from '../common/ui';
import type { McpCandidate, McpProject } from '../project/mcpProject';
import { nodeMcpSdk, recognizeProjects, type Recognition } from '../project/recognizeProjects';
import type { GeneratedFile } from './generatedFile';
import {
  addToGitIgnore,
  hostingFiles,
  isCommittedByGit,
  writeNewFiles,
  type HostingAuth,
  type WrittenFiles,
} from './hostingFiles';
import { localSettingsNote, portNote, pythonRequirementsNote, summarise } from './hostingNotes';
import { askAuth, askEntry, askPort, authDescription } from './hostingQuestions';
import { planLegacyUpgrade, type LegacyUpgradePlan } from './legacyUpgrade';
import type { SelfHostedInfraOptions } from './selfHostedInfra';
import { findServerEntry } from './serverEntry';
import { findPort, readSources, type SourceFile } from './serverSource';
import { checkStateless, type StatelessCheckInput, type StatelessCheckResult } from './statelessCheck';

/** The editors and the trash, over VS Code (vscodeHostingEditor.ts) or recorded by a test. */
export interface HostingEditor {
  open(file: string): Promise<void>;
  /** A diff of `file` (left) against `proposed` (right, not saved anywhere). */
  showDiff(file: string, proposed: string, title: string): Promise<void>;
  /** Moves the file to the trash where the platform has one, else deletes it. */
  trash(file: string): Promise<void>;
}

export interface HostOnFunctionsDeps {
  workspaceFolders(): readonly string[];
  ui: UserInterface;
  log: Logger;
  editor: HostingEditor;
  /** azure.yaml and infra/ for the project (selfHostedInfra.ts over the templates the extension ships). */
  infraFiles(options: SelfHostedInfraOptions): Promise<GeneratedFile[]>;
  actions: { startLocalServer: MessageAction; deploy: MessageAction };
  /** The running check; a test may stand in for it where starting the server is not the point. */
  checkStateless?: (input: StatelessCheckInput) => Promise<StatelessCheckResult>;
}

/** What the command did, for tests and for the caller's log. */
export type HostingOutcome =
  | { kind: 'hosted'; folder: string; written: WrittenFiles }
  | { kind: 'upgraded'; folder: string; removed: string[]; written: WrittenFiles }
  | { kind: 'alreadyHosted'; folder: string }
  | { kind: 'notUpgraded'; folder: string };

type Target = { candidate: McpCandidate } | { project: McpProject };

export async function hostOnFunctions(
  deps: HostOnFunctionsDeps,
  resource?: unknown,
): Promise<HostingOutcome> {
  const target = await chooseTarget(deps, folderOfCommandArgument(resource));
  if ('candidate' in target) return hostCandidate(deps, target.candidate);
  const { project } = target;
  if (project.kind === 'selfHosted' && project.legacyForms.length > 0) return upgradeLegacy(deps, project);
  const what =
    project.kind === 'selfHosted'
      ? 'is hosted on Azure Functions already (its host.json is in the current self-hosted form)'
      : 'is an Azure Functions app already (its tools are MCP extension triggers)';
  await deps.ui.showInfo(
    `${project.name} ${what}. Run it with Start Local Server, or deploy it with Deploy to Azure.`,
    [deps.actions.startLocalServer, deps.actions.deploy],
  );
  return { kind: 'alreadyHosted', folder: project.folder };
}

const lookedFor = `a package.json that depends on ${nodeMcpSdk}, or a requirements.txt or pyproject.toml that names mcp or fastmcp`;

async function chooseTarget(deps: HostOnFunctionsDeps, folder: string | undefined): Promise<Target> {
  if (folder !== undefined) {
    const absolute = path.resolve(folder);
    const found = await recognizeProjects([absolute]);
    const project = found.projects.find((item) => item.folder === absolute);
    if (project) return { project };
    const candidate = found.candidates.find((item) => item.folder === absolute);
    if (candidate) return { candidate };
    throw new UserFacingError(
      `${path.basename(absolute)} is not an MCP server this command can host: it looked for ${lookedFor}, ` +
        `and found none in ${absolute}.${problemsNote(found, absolute)} Run it on the folder of your MCP server.`,
    );
  }
  const folders = deps.workspaceFolders();
  if (folders.length === 0)
    throw new UserFacingError('Open the folder of your MCP server first, then run Host on Azure Functions.');
  const found = await recognizeProjects(folders);
  const options: Target[] = [
    ...found.candidates.map((candidate) => ({ candidate })),
    ...found.projects.filter((project) => project.legacyForms.length > 0).map((project) => ({ project })),
  ].sort((a, b) => folderOfTarget(a).localeCompare(folderOfTarget(b)));
  if (options.length === 1) return options[0]!;
  if (options.length === 0) {
    const hosted = found.projects.map((project) => project.name);
    throw new UserFacingError(
      hosted.length > 0
        ? `Every MCP server of this workspace is hosted on Azure Functions already (${hosted.join(', ')}). ` +
            'Run it with Start Local Server, or deploy it with Deploy to Azure.'
        : `This workspace holds no MCP server to host: Host on Azure Functions looked for ${lookedFor}, in each ` +
            'workspace folder and the folders directly inside it.',
      hosted.length > 0 ? [deps.actions.startLocalServer, deps.actions.deploy] : [],
    );
  }
  return deps.ui.pick(
    'Host on Azure Functions: which MCP server?',
    options.map((option) => ({
      label: 'candidate' in option ? option.candidate.name : option.project.name,
      description:
        'candidate' in option ? `${option.candidate.language} MCP server` : 'older Functions form: upgrade',
      detail: folderOfTarget(option),
      value: option,
    })),
  );
}

function folderOfTarget(target: Target): string {
  return 'candidate' in target ? target.candidate.folder : target.project.folder;
}

function problemsNote(found: Recognition, folder: string): string {
  const problems = found.problems.filter((problem) => path.dirname(problem.file) === folder);
  return problems.length === 0 ? '' : ` ${problems.map((problem) => problem.message).join(' ')}`;
}

async function hostCandidate(deps: HostOnFunctionsDeps, candidate: McpCandidate): Promise<HostingOutcome> {
  const { ui } = deps;
  const entry =
    (await findServerEntry(candidate.folder, candidate.language)) ?? (await askEntry(ui, candidate));
  const sources = await readSources(candidate.folder, entry.sources);
  const found = findPort(sources, candidate.language);
  const port = found?.port ?? (await askPort(ui, candidate));
  const check = deps.checkStateless ?? checkStateless;
  const checked = await ui.withProgress(`Checking that ${candidate.name} is stateless`, (progress, signal) =>
    check({
      folder: candidate.folder,
      name: candidate.name,
      entry,
      port: found,
      hostPort: port,
      sources,
      log: deps.log,
      progress,
      signal,
    }),
  );
  const auth = await askAuth(ui);
  const files = [
    ...hostingFiles({ language: candidate.language, entry: entry.entry, port, auth }),
    ...(await deps.infraFiles({ language: candidate.language, projectName: candidate.name, auth })),
  ];
  const written = await writeNewFiles(candidate.folder, files);
  deps.log.info(
    `Host on Azure Functions: ${candidate.folder}: added ${written.added.join(', ') || 'nothing'}; kept ${written.kept.join(', ') || 'nothing'}.`,
  );
  const notes = [
    checked.how === 'read' ? checked.note : undefined,
    portNote(found, port, candidate.language),
    await localSettingsNote(candidate.folder, candidate.language, written),
    pythonRequirementsNote(candidate.folder, candidate.language),
  ];
  await finish(
    deps,
    candidate.folder,
    `${candidate.name} is ready to host on Azure Functions (${authDescription(auth)}).`,
    written,
    notes,
  );
  return { kind: 'hosted', folder: candidate.folder, written };
}

async function upgradeLegacy(deps: HostOnFunctionsDeps, project: McpProject): Promise<HostingOutcome> {
  const language = project.language === 'python' ? 'python' : 'node';
  const entry = await findServerEntry(project.folder, language);
  const sources: SourceFile[] = entry ? await readSources(project.folder, entry.sources) : [];
  const found = findPort(sources, language);
  // A port host.json names already stays (the upgrade keeps it), so there is nothing to ask then.
  const named =
    project.localRun.direct?.portSource === 'host.json' ? project.localRun.direct.port : undefined;
  const port = named ?? found?.port ?? (await askPort(deps.ui, { name: project.name, language }));
  const plan = await planLegacyUpgrade(project.folder, project.legacyForms, port);
  const hostJson = path.join(project.folder, 'host.json');
  await deps.editor.showDiff(
    hostJson,
    plan.hostJsonAfter,
    `host.json: ${project.name} in the current form (proposed)`,
  );
  const goes = plan.removals.length > 0 ? ` ${plan.removals.join(', ')} is deleted (to the trash).` : '';
  const choice = await deps.ui
    .pick(
      `Upgrade ${project.name} to the current self-hosted form? host.json changes as the diff shows.${goes}`,
      [
        { label: 'Upgrade', description: 'rewrite host.json, keeping your other settings', value: true },
        { label: 'Cancel', description: 'change nothing', value: false },
      ],
    )
    .catch((error: unknown) => {
      if (error instanceof CancelledError) return false;
      throw error;
    });
  if (!choice) {
    deps.log.info(`Host on Azure Functions: ${project.folder}: upgrade declined, nothing changed.`);
    return { kind: 'notUpgraded', folder: project.folder };
  }
  await applyUpgrade(deps, project.folder, plan);
  const auth: HostingAuth = plan.authorizationLevel === 'function' ? 'functionKey' : 'entra';
  const files = [
    ...hostingFiles({ language, entry: entry?.entry ?? '', port, auth }).filter(
      (file) => file.path !== 'host.json',
    ),
    ...(await deps.infraFiles({ language, projectName: project.name, auth })),
  ];
  const written = await writeNewFiles(project.folder, files);
  const removed = plan.removals.length > 0 ? `, ${plan.removals.join(', ')} moved to the trash` : '';
  await finish(
    deps,
    project.folder,
    `${project.name} is upgraded to the current self-hosted form: host.json rewritten${removed}.`,
    written,
    [portNote(found, port, language), await localSettingsNote(project.folder, language, written)],
  );
  return { kind: 'upgraded', folder: project.folder, removed: plan.removals, written };
}

async function applyUpgrade(
  deps: HostOnFunctionsDeps,
  folder: string,
  plan: LegacyUpgradePlan,
): Promise<void> {
  const hostJson = path.join(folder, 'host.json');
  // The user agreed to the diff of this exact text: if the file changed since, the diff was of something else.
  if ((await readFile(hostJson, 'utf8')) !== plan.hostJsonBefore)
    throw new UserFacingError(
      'host.json changed while the upgrade was shown; nothing was changed. Run Host on Azure Functions again to see the new diff.',
    );
  await writeFile(hostJson, plan.hostJsonAfter);
  for (const removal of plan.removals) {
    const file = path.join(folder, ...removal.split('/'));
    await deps.editor.trash(file);
    // The catch-all's folder held only it; an empty folder left behind would read as a function.
    await rmdir(path.dirname(file)).catch(() => undefined);
  }
  deps.log.info(
    `Host on Azure Functions: ${folder}: host.json upgraded; removed ${plan.removals.join(', ') || 'nothing'}.`,
  );
}

async function finish(
  deps: HostOnFunctionsDeps,
  folder: string,
  headline: string,
  written: WrittenFiles,
  notes: (string | undefined)[],
): Promise<void> {
  const gitignore = await gitIgnoreAction(deps, folder, written);
  const parts = [
    headline,
    written.added.length > 0 ? `Added: ${summarise(written.added)}.` : 'Nothing was added.',
    written.kept.length > 0 ? `Left as they were: ${summarise(written.kept)}.` : undefined,
    ...notes,
    gitignore
      ? 'local.settings.json is not in .gitignore: it will hold secrets once you add settings.'
      : undefined,
  ];
  await deps.editor.open(path.join(folder, 'host.json'));
  await deps.ui.showInfo(parts.filter((part) => part !== undefined).join(' '), [
    deps.actions.startLocalServer,
    deps.actions.deploy,
    ...(gitignore ? [gitignore] : []),
  ]);
}

async function gitIgnoreAction(
  deps: HostOnFunctionsDeps,
  folder: string,
  written: WrittenFiles,
): Promise<MessageAction | undefined> {
  if (!written.added.includes('local.settings.json')) return undefined;
  if ((await isCommittedByGit(folder, 'local.settings.json')) !== true) return undefined;
  return {
    title: 'Add to .gitignore',
    run: async () => {
      await addToGitIgnore(folder, 'local.settings.json');
      deps.log.info(
        `Host on Azure Functions: added local.settings.json to ${path.join(folder, '.gitignore')}.`,
      );
    },
  };
}
