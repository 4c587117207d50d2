// Start Local Server on a workspace of the user's, in plain Node: the real manager, project model,
// launchers and preflight over real processes and HTTP, with no Core Tools (func is never found) and
// the user's answers scripted. Shared by the self-hosted and the Functions app integration tests.
import assert from 'node:assert/strict';
import path from 'node:path';
import { UserFacingError } from '../../../extension/common/errors';
import type { PickItem } from '../../../extension/common/ui';
import { offerToHost } from '../../../extension/localServer/candidateOffer';
import { directLauncher, embeddedLauncher } from '../../../extension/localServer/launchers';
import { LocalServerManager, type LocalServerState } from '../../../extension/localServer/localServerManager';
import { npmScriptRunner } from '../../../extension/localServer/preflight';
import type { LocalServerSettings } from '../../../extension/localServer/settings';
import { bundledProject } from '../../../extension/project/mcpProject';
import { WorkspaceProjects } from '../../../extension/project/workspaceProjects';
import { probeMcpServer } from '../../../extension/probe/mcpProbe';
import { recordedManagerActions, titledAction } from '../../support/localServerActions';

const repo = path.resolve(__dirname, '../../..');
/** Every manager made here, for the test file's `after` to stop. */
export const managers: LocalServerManager[] = [];

export interface Harness {
  manager: LocalServerManager;
  warnings: string[];
  progress: string[];
  picks: string[][];
  memory: Map<string, unknown>;
  storageAsked: number[];
  hosted: string[];
  logged: string[];
}

export function harness(
  folders: readonly string[],
  options: {
    settings?: Partial<LocalServerSettings>;
    pick?: (labels: string[]) => string;
  } = {},
): Harness {
  const settings: LocalServerSettings = {
    port: 7071,
    host: 'auto',
    // No Core Tools here: the run is direct, as for a user without func.
    funcPath: path.join(repo, 'no-such-func'),
    startTimeoutMs: 30_000,
    azuriteBlobPort: 10000,
    ...options.settings,
  };
  const h: Omit<Harness, 'manager'> = {
    warnings: [],
    progress: [],
    picks: [],
    memory: new Map(),
    storageAsked: [],
    hosted: [],
    logged: [],
  };
  const log = {
    trace() {},
    debug() {},
    info: (message: string) => h.logged.push(message),
    warn: (message: string) => h.logged.push(message),
    error: (message: string) => h.logged.push(message),
  };
  const memory = {
    get: <T>(key: string) => h.memory.get(key) as T | undefined,
    update: (key: string, value: unknown) => Promise.resolve(void h.memory.set(key, value)),
  };
  const pick = <T>(_title: string, items: readonly PickItem<T>[]): Promise<T> => {
    const labels = items.map((item) => item.label);
    h.picks.push(labels);
    const wanted = options.pick?.(labels);
    const item = items.find((candidate) => candidate.label === wanted);
    return item
      ? Promise.resolve(item.value)
      : Promise.reject(new Error(`unexpected pick: ${labels.join(', ')}`));
  };
  const projects = new WorkspaceProjects({
    workspaceFolders: () => folders,
    bundled: () => bundledProject(path.join(repo, 'server')),
    memory,
    pick: (title, choices) =>
      pick(
        title,
        choices.map((project) => ({ label: project.name, value: project })),
      ),
  });
  const action = titledAction;
  const env = process.env;
  const manager = new LocalServerManager({
    settings: () => settings,
    chooseProject: (purpose) => projects.choose(purpose),
    offerToHost: (candidates) =>
      offerToHost(candidates, {
        memory,
        pick,
        hostOnFunctions: (folder) => Promise.resolve(h.hosted.push(folder)),
      }),
    probeFunc: () => Promise.resolve({ status: 'missing' }),
    launchers: {
      embedded: embeddedLauncher(log),
      func: () => Promise.reject(new Error('func is not installed in these tests')),
      direct: directLauncher(log, { execPath: process.execPath, isElectron: false }),
    },
    bundledEmbeddedEntry: path.join(repo, 'server/dist/embedded.js'),
    functionsAppEntry: path.join(repo, 'server/dist/functionsApp.js'),
    preflight: {
      lookup: { env, execPath: process.execPath, execPathIsElectron: false },
      runNpmScript: npmScriptRunner(log, env),
      log,
      actions: { showLogs: () => action('Show Logs'), npmInstall: () => action('Run npm install') },
    },
    ensureStorage: (port) => {
      h.storageAsked.push(port);
      return Promise.resolve({ available: false, reason: 'no storage in these tests' });
    },
    readCatalog: (url) => probeMcpServer(url, {}, 10_000),
    log,
    notify: { warning: (message) => h.warnings.push(message) },
    actions: recordedManagerActions(),
    baseEnv: env,
  });
  managers.push(manager);
  return { manager, ...h };
}

export const progressOf = (h: Harness) => ({ report: (message: string) => void h.progress.push(message) });

export function running(state: LocalServerState): Extract<LocalServerState, { status: 'running' }> {
  assert.ok(state.status === 'running', JSON.stringify(state));
  return state;
}

export function rejectsWith(pattern: RegExp, actions?: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof UserFacingError, String(error));
    assert.match(error.message, pattern);
    if (actions)
      assert.deepEqual(
        error.actions.map((a) => a.title),
        actions,
      );
    return true;
  };
}

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first state (now or later) that satisfies the predicate. */
export function untilState(
  manager: LocalServerManager,
  predicate: (state: LocalServerState) => boolean,
): Promise<LocalServerState> {
  return new Promise((resolve) => {
    if (predicate(manager.state)) return resolve(manager.state);
    const subscription = manager.onDidChange((state) => {
      if (!predicate(state)) return;
      subscription.dispose();
      resolve(state);
    });
  });
}
