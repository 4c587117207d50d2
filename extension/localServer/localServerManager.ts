import type { MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import { hostIsRunning, waitForReady } from '../../shared/net';
import { answersMcpInitialize } from '../../shared/selfHostedRun/mcpReadiness';
import { findOnPath, localSettingsValues } from '../../shared/selfHostedRun/directCommand';
import type { ManagedProcess } from '../common/processes';
import type { ProgressReporter } from '../common/ui';
import type { McpCandidate, McpProject } from '../project/mcpProject';
import type { ChosenProject } from '../project/workspaceProjects';
import { appStorageUnavailable, type StorageStatus } from './azurite';
import type { FuncProbe } from './hostChoice';
import type { HostLauncher, LaunchedHost, LocalHostKind } from './launchers';
import { planLaunch, type LaunchPlan } from './launchPlan';
import { prepareDirectRun, prepareFunctionsApp, type PreflightServices } from './preflight';
import type { LocalServerSettings } from './settings';
import { localServerEnvironment } from './storageEnvironment';
import { ensurePortsFree, reportProjectProblems, startFailure } from './startProblems';
import { Listeners } from '../common/listeners';
import type { ServerCatalog, CatalogItem as ToolSummary } from '../probe/mcpProbe';

export type LocalServerState =
  | { status: 'stopped'; lastError?: string }
  | { status: 'starting'; host?: LocalHostKind; port: number; project?: McpProject }
  | {
      status: 'running';
      host: LocalHostKind;
      port: number;
      url: string;
      /** Changes on every start, so VS Code re-reads the tool list of a restarted server. */
      version: string;
      /** What runs: its name, kind and MCP path come from the one project model. */
      project: McpProject;
      /** Snippet storage for the bundled tools and MCP extension apps; undefined when the project uses none. */
      storageAvailable?: boolean;
      /** Storage answers but snippet calls will fail: why, and the fix. */
      storageWarning?: string;
      /** Filled in once the server's tools/list has been read; undefined until then. */
      tools?: readonly ToolSummary[];
      /** Read with the tools; undefined while unread, or when the server does not offer prompts. */
      prompts?: readonly ToolSummary[];
      /** Read with the tools; undefined while unread, or when the server does not offer resources. */
      resources?: readonly ToolSummary[];
    }
  | { status: 'stopping'; host: LocalHostKind; port: number };

export type RunningState = Extract<LocalServerState, { status: 'running' }>;

/** Everything the manager needs from VS Code and the machine, injected so it runs in plain Node tests. */
export interface LocalServerServices {
  settings(): LocalServerSettings;
  /** The one way to ask which project (WorkspaceProjects.choose). */
  chooseProject(purpose: string): Promise<ChosenProject>;
  /**
   * The workspace holds SDK servers but no hosted project: true when the user chose to host one
   * (the hosting command then runs), false to start the bundled sample tools.
   */
  offerToHost(candidates: readonly McpCandidate[]): Promise<boolean>;
  probeFunc(funcPath: string): Promise<FuncProbe>;
  launchers: Record<LocalHostKind, HostLauncher>;
  bundledEmbeddedEntry: string;
  /** server/dist/functionsApp.js: runs a user's Node.js Functions MCP app without Core Tools. */
  functionsAppEntry: string;
  preflight: PreflightServices;
  ensureStorage(blobPort: number): Promise<StorageStatus>;
  /** The server's tools, and its prompts and resources when it offers them. */
  readCatalog(url: string): Promise<ServerCatalog>;
  log: Logger;
  notify: {
    warning(message: string, actions?: readonly MessageAction[]): void;
  };
  actions: {
    openSetting(id: string): MessageAction;
    showLogs(): MessageAction;
    startAgain(): MessageAction;
    openUrl: (url: string) => unknown;
  };
  baseEnv: NodeJS.ProcessEnv;
}

/** Starts, watches and stops the one local MCP server; every state change is announced. */
export class LocalServerManager {
  private current: LocalServerState = { status: 'stopped' };
  private host: LaunchedHost | undefined;
  private storageProcess: ManagedProcess | undefined;
  private starts = 0;
  private readonly listeners = new Listeners<LocalServerState>();
  private pendingStart: Promise<LocalServerState> | undefined;

  constructor(private readonly services: LocalServerServices) {}

  get state(): LocalServerState {
    return this.current;
  }

  onDidChange(listener: (state: LocalServerState) => void): { dispose(): void } {
    return this.listeners.add(listener);
  }

  /** Starting while a start is under way joins it rather than racing it. */
  start(progress?: ProgressReporter, signal?: AbortSignal): Promise<LocalServerState> {
    if (this.current.status === 'running') return Promise.resolve(this.current);
    this.pendingStart ??= this.doStart(progress, signal).finally(() => (this.pendingStart = undefined));
    return this.pendingStart;
  }

  /** Whether the running server answers now, the way its readiness was judged at start. */
  async isAnswering(timeoutMs: number): Promise<boolean> {
    const state = this.current;
    if (state.status !== 'running') return false;
    return state.project.kind === 'selfHosted'
      ? answersMcpInitialize(state.url, timeoutMs)
      : hostIsRunning(state.port, timeoutMs);
  }

  async stop(): Promise<void> {
    const state = this.current;
    if (state.status === 'stopped') return;
    if (state.status === 'starting') await this.pendingStart?.catch(() => undefined);
    const host = this.host;
    this.host = undefined;
    if (host) {
      this.setState({
        status: 'stopping',
        host: host.kind,
        port: 'port' in this.current ? this.current.port : 0,
      });
      await host.stop();
    }
    await this.storageProcess?.stop();
    this.storageProcess = undefined;
    this.setState({ status: 'stopped' });
  }

  /** VS Code is shutting down: nothing can be awaited, so ask everything to exit now. */
  dispose(): void {
    this.host?.kill();
    this.storageProcess?.kill();
    this.listeners.clear();
  }

  private async doStart(
    progress: ProgressReporter | undefined,
    signal: AbortSignal | undefined,
  ): Promise<LocalServerState> {
    const { services } = this;
    const settings = services.settings();
    const { project, recognition } = await services.chooseProject('Start Local Server');
    // Never serve the bundled tools in place of the user's SDK server without asking.
    if (project.kind === 'bundled' && recognition.candidates.length > 0) {
      if (await services.offerToHost(recognition.candidates)) return this.current;
    }
    this.setState({ status: 'starting', port: settings.port, project });
    try {
      reportProjectProblems(project, recognition.problems, services);
      progress?.report('Choosing the host…');
      const probe = settings.host === 'embedded' ? undefined : await services.probeFunc(settings.funcPath);
      const plan = planLaunch(project, {
        settings,
        probe,
        bundledEmbeddedEntry: services.bundledEmbeddedEntry,
        functionsAppEntry: services.functionsAppEntry,
        hasCommand: (name) => findOnPath(name, services.baseEnv) !== undefined,
        openUrl: services.actions.openUrl,
      });
      if (plan.notice) services.notify.warning(plan.notice);
      await ensurePortsFree(project, plan, settings, services.actions);
      if (plan.host === 'direct') await prepareDirectRun(project, services.preflight, progress, signal);
      if (plan.embeddedArgs) await prepareFunctionsApp(project, services.preflight, progress, signal);

      let storage: StorageStatus | undefined;
      if (plan.needsStorage) {
        const bundled = project.kind === 'bundled';
        progress?.report(bundled ? 'Checking snippet storage (Azurite)…' : 'Checking storage (Azurite)…');
        storage = await services.ensureStorage(settings.azuriteBlobPort);
        if (storage.available) this.storageProcess = storage.startedProcess;
        const storageWarning = storage.available
          ? storage.warning
          : bundled
            ? storage.reason
            : appStorageUnavailable(project.name, settings.azuriteBlobPort);
        if (storageWarning) services.notify.warning(storageWarning, [services.actions.showLogs()]);
      }

      progress?.report(startingMessage(plan, project, probe));
      this.setState({ status: 'starting', host: plan.host, port: plan.port, project });
      const env =
        plan.host === 'direct'
          ? services.baseEnv
          : localServerEnvironment(
              services.baseEnv,
              localSettingsValues(project.folder),
              settings.azuriteBlobPort,
            );
      const host = await services.launchers[plan.host]({
        project,
        port: plan.port,
        env,
        ...(plan.embeddedEntry ? { embeddedEntry: plan.embeddedEntry } : {}),
        ...(plan.embeddedArgs ? { embeddedArgs: plan.embeddedArgs } : {}),
      });
      this.host = host;

      const outcome = await waitForReady(
        (timeoutMs) =>
          plan.readiness === 'mcpInitialize'
            ? answersMcpInitialize(plan.url, timeoutMs)
            : hostIsRunning(plan.port, timeoutMs),
        { limitMs: settings.startTimeoutMs, exited: host.exited, signal },
      );
      if (!outcome.ready) {
        this.host = undefined;
        await host.stop();
        throw await startFailure(outcome.reason, host, project, plan, settings, services);
      }

      this.starts += 1;
      const running: RunningState = {
        status: 'running',
        host: plan.host,
        port: plan.port,
        url: plan.url,
        version: `${this.starts}.${Date.now()}`,
        project,
        ...(storage ? { storageAvailable: storage.available } : {}),
        ...(storage?.available && storage.warning ? { storageWarning: storage.warning } : {}),
      };
      this.setState(running);
      services.log.info(`Local MCP server ${project.name} (${plan.host} host) running at ${plan.url}`);
      this.watchForUnexpectedExit(host);
      void this.readTools(running);
      return running;
    } catch (error) {
      await this.storageProcess?.stop();
      this.storageProcess = undefined;
      this.setState({ status: 'stopped', lastError: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  private watchForUnexpectedExit(host: LaunchedHost): void {
    void host.exited.then((exit) => {
      if (this.host !== host) return; // Stopped on purpose, or replaced.
      this.host = undefined;
      const how = exit.signal ?? `exit code ${exit.code}`;
      this.services.log.warn(`The local MCP server stopped unexpectedly (${how}).`);
      void this.storageProcess?.stop();
      this.storageProcess = undefined;
      this.setState({ status: 'stopped', lastError: `Stopped unexpectedly (${how}).` });
      this.services.notify.warning(`The local MCP server stopped unexpectedly (${how}).`, [
        this.services.actions.startAgain(),
        this.services.actions.showLogs(),
      ]);
    });
  }

  /** The counts in the view are a nicety: failing to read them must not fail the start. */
  private async readTools(running: RunningState): Promise<void> {
    try {
      const { tools, prompts, resources } = await this.services.readCatalog(running.url);
      if (this.current === running)
        this.setState({
          ...running,
          tools,
          ...(prompts ? { prompts } : {}),
          ...(resources ? { resources } : {}),
        });
    } catch (error) {
      this.services.log.warn(
        `Could not list the local server's tools: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private setState(state: LocalServerState): void {
    this.current = state;
    this.listeners.fire(state);
  }
}

function startingMessage(plan: LaunchPlan, project: McpProject, probe: FuncProbe | undefined): string {
  if (plan.host === 'func')
    return `Running func start (Core Tools ${probe?.status === 'supported' ? probe.version : ''})…`;
  if (plan.embeddedArgs) return `Starting ${project.name} on the embedded host…`;
  if (plan.host === 'embedded') return 'Starting the embedded host…';
  return `Starting ${project.name}…`;
}
