import { UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import { hostIsRunning, isPortFree, waitForReady } from '../../shared/net';
import { mcpRoutes } from '../../shared/mcpRoutes';
import type { ManagedProcess } from '../common/processes';
import type { ProgressReporter } from '../common/ui';
import type { StorageStatus } from './azurite';
import { chooseHost, type FuncProbe } from './hostChoice';
import type { HostLauncher, LaunchedHost, LocalHostKind } from './launchers';
import type { LocalServerSettings } from './settings';
import type { ServerProject } from './serverProject';
import { localServerEnvironment } from './storageEnvironment';
import { Listeners } from '../common/listeners';

export interface ToolSummary {
  name: string;
  description: string;
}

export type LocalServerState =
  | { status: 'stopped'; lastError?: string }
  | { status: 'starting'; host?: LocalHostKind; port: number }
  | {
      status: 'running';
      host: LocalHostKind;
      port: number;
      url: string;
      /** Changes on every start, so VS Code re-reads the tool list of a restarted server. */
      version: string;
      project: ServerProject;
      storageAvailable: boolean;
      /** Storage answers but snippet calls will fail: why, and the fix. */
      storageWarning?: string;
      /** Filled in once the server's tools/list has been read; undefined until then. */
      tools?: readonly ToolSummary[];
    }
  | { status: 'stopping'; host: LocalHostKind; port: number };

/** Everything the manager needs from VS Code and the machine, injected so it runs in plain Node tests. */
export interface LocalServerServices {
  settings(): LocalServerSettings;
  workspaceFolders(): readonly string[];
  findProject(folders: readonly string[]): ServerProject;
  probeFunc(funcPath: string): Promise<FuncProbe>;
  launchers: Record<LocalHostKind, HostLauncher>;
  ensureStorage(blobPort: number): Promise<StorageStatus>;
  listTools(url: string): Promise<readonly ToolSummary[]>;
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
    const project = services.findProject(services.workspaceFolders());
    this.setState({ status: 'starting', port: settings.port });
    try {
      progress?.report('Choosing the host…');
      const probe = settings.host === 'embedded' ? undefined : await services.probeFunc(settings.funcPath);
      const choice = chooseHost(settings.host, probe, services.actions.openUrl);
      if (choice.host === 'embedded' && choice.notice) services.notify.warning(choice.notice);
      if (choice.host === 'embedded' && project.source === 'workspace' && !project.embeddedEntry) {
        services.notify.warning(
          `The MCP project in ${project.dir} has no embedded host build (dist/embedded.js), so the bundled sample tools run instead. Install Azure Functions Core Tools to run your project's own tools.`,
        );
      }

      if (!(await isPortFree(settings.port))) {
        throw new UserFacingError(
          `Port ${settings.port} is already in use, so the local MCP server cannot start. Stop the program using it, or change the setting remoteMcp.localServer.port.`,
          [services.actions.openSetting('remoteMcp.localServer.port')],
        );
      }

      progress?.report('Checking snippet storage (Azurite)…');
      const storage = await services.ensureStorage(settings.azuriteBlobPort);
      if (storage.available) this.storageProcess = storage.startedProcess;
      const storageWarning = storage.available ? storage.warning : storage.reason;
      if (storageWarning) services.notify.warning(storageWarning, [services.actions.showLogs()]);

      progress?.report(
        choice.host === 'func'
          ? `Running func start (Core Tools ${choice.version})…`
          : 'Starting the embedded host…',
      );
      this.setState({ status: 'starting', host: choice.host, port: settings.port });
      const env = localServerEnvironment(services.baseEnv, project, settings.azuriteBlobPort);
      const host = await services.launchers[choice.host]({ project, port: settings.port, env });
      this.host = host;

      const outcome = await waitForReady((timeoutMs) => hostIsRunning(settings.port, timeoutMs), {
        limitMs: settings.startTimeoutMs,
        exited: host.exited,
        signal,
      });
      if (!outcome.ready) {
        this.host = undefined;
        await host.stop();
        throw await this.startFailure(outcome.reason, host, settings);
      }

      const url = `http://127.0.0.1:${settings.port}${mcpRoutes.streamableHttp}`;
      this.starts += 1;
      const running: LocalServerState = {
        status: 'running',
        host: choice.host,
        port: settings.port,
        url,
        version: `${this.starts}.${Date.now()}`,
        project,
        storageAvailable: storage.available,
        ...(storage.available && storage.warning ? { storageWarning: storage.warning } : {}),
      };
      this.setState(running);
      services.log.info(`Local MCP server (${choice.host} host) running at ${url}`);
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

  private async startFailure(
    reason: 'timeout' | 'exited' | 'cancelled',
    host: LaunchedHost,
    settings: LocalServerSettings,
  ): Promise<Error> {
    const name = host.kind === 'func' ? 'func start' : 'The embedded host';
    if (reason === 'cancelled') return new UserFacingError('Starting the local MCP server was cancelled.');
    if (reason === 'timeout') {
      return new UserFacingError(
        `${name} did not answer on port ${settings.port} within ${settings.startTimeoutMs / 1000} s. See the logs, or raise remoteMcp.localServer.startTimeoutSeconds.`,
        [
          this.services.actions.showLogs(),
          this.services.actions.openSetting('remoteMcp.localServer.startTimeoutSeconds'),
        ],
      );
    }
    const exit = await host.exited;
    const lastLine = host
      .recentOutput()
      .filter((line) => line.trim())
      .pop();
    return new UserFacingError(
      `${name} exited before it was ready (${exit.signal ?? `exit code ${exit.code}`})${lastLine ? `: ${lastLine}` : '.'}`,
      [this.services.actions.showLogs()],
    );
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

  /** The tool count in the view is a nicety: failing to read it must not fail the start. */
  private async readTools(running: Extract<LocalServerState, { status: 'running' }>): Promise<void> {
    try {
      const tools = await this.services.listTools(running.url);
      if (this.current === running) this.setState({ ...running, tools });
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
