// Loads the built extension bundle (dist/extension.js) in plain Node with a permissive fake
// `vscode` module, runs activate(), and reports what happened: timings, every module the bundle
// required while loading and activating, and what it registered with "VS Code".
//
// Only the id 'vscode' is intercepted (a Module._load patch, restored afterwards); every other
// require goes to Node as usual and is recorded. The fake answers any property access, call or
// `new` with another fake, so activation code runs to its end; the handful of APIs the tests look
// at (commands, MCP providers, tree views, status bar items, output channels, EventEmitter,
// Disposable, configuration) behave like small real implementations and record their calls.
//
// Used by test/extension/activation.unit.test.ts (through tsx) and by test/bench/extension.bench.ts (bundled
// by esbuild and run in fresh `node` processes), so it imports nothing but Node built-ins.
import Module, { isBuiltin } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** What the bundle did to the fake `vscode`. */
export interface FakeVscodeCalls {
  /** `commands.registerCommand` ids, in order. */
  registeredCommands: string[];
  /** `lm.registerMcpServerDefinitionProvider` ids. */
  mcpServerDefinitionProviders: string[];
  /** `window.createTreeView` ids. */
  treeViews: string[];
  /** `window.createStatusBarItem` ids (or "(no id)"). */
  statusBarItems: string[];
  /** `window.createOutputChannel` names. */
  outputChannels: string[];
  /** `commands.executeCommand` calls (e.g. setContext). */
  executedCommands: { command: string; args: unknown[] }[];
  /** `window.show{Error,Warning,Information}Message` calls. */
  messages: { severity: 'error' | 'warning' | 'info'; message: string }[];
  /** Lines written to any output channel. */
  logLines: string[];
}

/** One `require(request)` made while the bundle loaded or activated. */
export interface RequireRecord {
  request: string;
  /** The requiring module's file; undefined for a top-level load. */
  from: string | undefined;
  phase: 'load' | 'activate';
  builtin: boolean;
  /** The resolved file of a non-built-in request ('vscode' is the fake and has none). */
  resolved?: string;
}

export interface LoadedExtension {
  timings: {
    /** `require(bundle)`: reading, compiling and running the bundle's top level. */
    loadMs: number;
    /** `activate(context)`, until its promise settles if it returns one. */
    activateMs: number;
  };
  /** The distinct module ids required during load + activate, in first-use order. */
  requiredModules: string[];
  /** Every require call, with its phase and where it came from. */
  requires: RequireRecord[];
  /** Files that entered require.cache during load + activate: the bundle and anything it pulled in. */
  loadedFiles: string[];
  registeredCommands: string[];
  mcpProviderIds: string[];
  createdViews: string[];
  calls: FakeVscodeCalls;
  /** Whatever activate() returned. */
  exports: unknown;
  context: FakeExtensionContext;
  /** The fake `vscode` module the bundle saw. */
  vscode: unknown;
  /** Runs a command the bundle registered, as VS Code would. */
  executeCommand(id: string, ...args: unknown[]): Promise<unknown>;
  /** Disposes the subscriptions, calls deactivate(), forgets the bundle and removes the temp folder. */
  dispose(): void;
}

export interface FakeExtensionContext {
  subscriptions: { dispose(): unknown }[];
  extensionPath: string;
  globalStorageUri: { fsPath: string };
  [key: string]: unknown;
}

export interface LoadOptions {
  /** The context's extensionPath; default: the nearest folder above the bundle holding package.json. */
  extensionPath?: string;
  /** The context's extensionMode (vscode.ExtensionMode): Production, as an installed extension runs, unless given. */
  extensionMode?: 1 | 2 | 3;
}

// ---------------------------------------------------------------------------------------------
// The permissive fake

type Anything = Record<PropertyKey, unknown> & ((...args: unknown[]) => unknown);

/**
 * A value that is anything: every property is another such value (stable per name), it can be
 * called and constructed, and assignments stick. `overrides` are its real members. It is never
 * thenable (`then` is undefined), so awaiting one does not hang.
 */
function permissive(name: string, overrides: Record<PropertyKey, unknown> = {}): Anything {
  const members = new Map<PropertyKey, unknown>(Reflect.ownKeys(overrides).map((k) => [k, overrides[k]]));
  // A plain function is both callable and constructible; its own props (length, name, prototype)
  // are writable or configurable, so the traps below may report anything for them.
  const target = function () {} as unknown as Anything;
  const lookup = (key: PropertyKey): unknown => {
    if (members.has(key)) return members.get(key);
    if (key === 'then' || key === '__esModule') return undefined;
    if (key === Symbol.toPrimitive) return () => `[fake vscode ${name}]`;
    if (key === 'toJSON') return () => `[fake vscode ${name}]`;
    if (typeof key === 'symbol') return undefined;
    const child = permissive(`${name}.${key}`);
    members.set(key, child);
    return child;
  };
  // Bundlers copy a CommonJS module's own properties into an ESM namespace object created from its
  // prototype (esbuild's __toESM): the members are reported as own properties, and the prototype
  // answers every other name, so `import * as vscode` sees the fake's unknown members too.
  const fallbackPrototype = new Proxy(Object.create(null) as object, { get: (_target, key) => lookup(key) });
  const proxy: Anything = new Proxy(target, {
    get: (_target, key) => lookup(key),
    getPrototypeOf: () => fallbackPrototype,
    ownKeys(target) {
      const keys = new Set<string | symbol>(Reflect.ownKeys(target));
      for (const key of members.keys()) if (typeof key !== 'number') keys.add(key);
      return [...keys];
    },
    getOwnPropertyDescriptor(target, key) {
      if (!members.has(key)) return Reflect.getOwnPropertyDescriptor(target, key);
      return { value: members.get(key), writable: true, enumerable: true, configurable: true };
    },
    set(_target, key, value) {
      members.set(key, value);
      return true;
    },
    has(target, key) {
      return members.has(key) || Reflect.has(target, key);
    },
    deleteProperty(target, key) {
      members.delete(key);
      return Reflect.deleteProperty(target, key);
    },
    apply() {
      return permissive(`${name}()`);
    },
    construct(_target, _args, newTarget) {
      // A subclass (`class X extends vscode.Foo`) gets an instance of itself.
      if (newTarget !== proxy) return Object.create((newTarget as { prototype: object }).prototype) as object;
      return permissive(`new ${name}`);
    },
  });
  return proxy;
}

class Disposable {
  static from(...disposables: ({ dispose(): unknown } | undefined)[]): Disposable {
    return new Disposable(() => {
      for (const disposable of disposables) disposable?.dispose();
    });
  }
  private disposed = false;
  constructor(private readonly callOnDispose: () => unknown) {}
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.callOnDispose();
  }
}

type Listener<T> = (event: T) => unknown;

class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const bound: Listener<T> = (event) => listener.call(thisArg, event);
    this.listeners.add(bound);
    const disposable = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(disposable);
    return disposable;
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) listener(event);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** An event nobody fires. */
const noEvent = (): Disposable => new Disposable(() => undefined);

class Uri {
  static parse(value: string): Uri {
    const match = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!match) return new Uri('file', '', value, '', '');
    return new Uri(match[1] ?? '', match[2] ?? '', match[3] ?? '', match[4] ?? '', match[5] ?? '');
  }
  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath.split(path.sep).join('/'), '', '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...segments), '', '');
  }
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  get fsPath(): string {
    return this.path.split('/').join(path.sep);
  }
  with(change: Partial<Pick<Uri, 'scheme' | 'authority' | 'path' | 'query' | 'fragment'>>): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString(): string {
    return `${this.scheme}:${this.authority || this.scheme === 'file' ? `//${this.authority}` : ''}${this.path}${
      this.query ? `?${this.query}` : ''
    }${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

class TreeItem {
  [key: string]: unknown;
  constructor(
    public label: unknown,
    public collapsibleState = 0,
  ) {}
}

class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class McpHttpServerDefinition {
  constructor(
    public label: string,
    public uri: Uri,
    public headers: Record<string, string> = {},
    public version?: string,
  ) {}
}

class McpStdioServerDefinition {
  constructor(
    public label: string,
    public command: string,
    public args: string[] = [],
    public env: Record<string, string | number | null> = {},
    public version?: string,
  ) {}
}

function memento(): Record<string, unknown> {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
    update: (key: string, value: unknown) => {
      if (value === undefined) values.delete(key);
      else values.set(key, value);
      return Promise.resolve();
    },
    setKeysForSync: () => undefined,
  };
}

interface FakeVscode {
  module: Anything;
  calls: FakeVscodeCalls;
  commandHandlers: Map<string, (...args: unknown[]) => unknown>;
  Uri: typeof Uri;
}

/** A fresh fake `vscode` module and the record of what is done to it. */
export function createFakeVscode(): FakeVscode {
  const calls: FakeVscodeCalls = {
    registeredCommands: [],
    mcpServerDefinitionProviders: [],
    treeViews: [],
    statusBarItems: [],
    outputChannels: [],
    executedCommands: [],
    messages: [],
    logLines: [],
  };
  const commandHandlers = new Map<string, (...args: unknown[]) => unknown>();

  const executeCommand = (command: string, ...args: unknown[]): Promise<unknown> => {
    calls.executedCommands.push({ command, args });
    const handler = commandHandlers.get(command);
    try {
      return Promise.resolve(handler?.(...args));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const outputChannel = (name: string): Anything => {
    calls.outputChannels.push(name);
    const line =
      (level: string) =>
      (message: unknown, ...rest: unknown[]) =>
        calls.logLines.push(
          [`[${level}]`, message, ...rest]
            .map((part) => (part instanceof Error ? part.message : String(part)))
            .join(' '),
        );
    return permissive(`OutputChannel(${name})`, {
      name,
      logLevel: 2,
      onDidChangeLogLevel: noEvent,
      trace: line('trace'),
      debug: line('debug'),
      info: line('info'),
      warn: line('warning'),
      error: line('error'),
      append: line('append'),
      appendLine: line('line'),
      replace: line('replace'),
      clear: () => undefined,
      show: () => undefined,
      hide: () => undefined,
      dispose: () => undefined,
    });
  };

  const showMessage =
    (severity: 'error' | 'warning' | 'info') =>
    (message: string): Promise<undefined> => {
      calls.messages.push({ severity, message });
      return Promise.resolve(undefined);
    };

  const cancellationToken = { isCancellationRequested: false, onCancellationRequested: noEvent };

  const module = permissive('vscode', {
    version: '1.101.0',
    Disposable,
    EventEmitter,
    Uri,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    McpHttpServerDefinition,
    McpStdioServerDefinition,
    CancellationTokenSource: class {
      token = cancellationToken;
      cancel(): void {}
      dispose(): void {}
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    TaskScope: { Global: 1, Workspace: 2 },
    TaskRevealKind: { Always: 1, Silent: 2, Never: 3 },
    TaskPanelKind: { Shared: 1, Dedicated: 2, New: 3 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    commands: permissive('commands', {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        calls.registeredCommands.push(id);
        commandHandlers.set(id, handler);
        return new Disposable(() => commandHandlers.delete(id));
      },
      executeCommand,
      getCommands: () => Promise.resolve([...commandHandlers.keys()]),
    }),
    lm: permissive('lm', {
      registerMcpServerDefinitionProvider: (id: string) => {
        calls.mcpServerDefinitionProviders.push(id);
        return new Disposable(() => undefined);
      },
      tools: [],
    }),
    window: permissive('window', {
      createOutputChannel: outputChannel,
      createTreeView: (id: string) => {
        calls.treeViews.push(id);
        return permissive(`TreeView(${id})`, {
          visible: false,
          onDidChangeVisibility: noEvent,
          onDidChangeSelection: noEvent,
          onDidExpandElement: noEvent,
          onDidCollapseElement: noEvent,
          reveal: () => Promise.resolve(),
          dispose: () => undefined,
        });
      },
      registerTreeDataProvider: (id: string) => {
        calls.treeViews.push(id);
        return new Disposable(() => undefined);
      },
      createStatusBarItem: (idOrAlignment?: unknown) => {
        const id = typeof idOrAlignment === 'string' ? idOrAlignment : '(no id)';
        calls.statusBarItems.push(id);
        return permissive(`StatusBarItem(${id})`, {
          id,
          text: '',
          show: () => undefined,
          hide: () => undefined,
          dispose: () => undefined,
        });
      },
      showErrorMessage: showMessage('error'),
      showWarningMessage: showMessage('warning'),
      showInformationMessage: showMessage('info'),
      withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) =>
        Promise.resolve(task({ report: () => undefined }, cancellationToken)),
      onDidChangeActiveTextEditor: noEvent,
      onDidChangeWindowState: noEvent,
    }),
    workspace: permissive('workspace', {
      workspaceFolders: undefined,
      getConfiguration: (section?: string) =>
        permissive(`configuration(${section ?? ''})`, {
          get: (_key: string, defaultValue?: unknown) => defaultValue,
          has: () => false,
          inspect: () => undefined,
          update: () => Promise.resolve(),
        }),
      onDidChangeConfiguration: noEvent,
      onDidChangeWorkspaceFolders: noEvent,
    }),
    extensions: permissive('extensions', {
      getExtension: () => undefined,
      all: [],
      onDidChange: noEvent,
    }),
    tasks: permissive('tasks', {
      taskExecutions: [],
      executeTask: () => Promise.reject(new Error('tasks.executeTask is not available in the fake vscode')),
      onDidStartTask: noEvent,
      onDidEndTask: noEvent,
      onDidStartTaskProcess: noEvent,
      onDidEndTaskProcess: noEvent,
    }),
    env: permissive('env', {
      appName: 'Fake VS Code',
      language: 'en',
      uiKind: 1,
      openExternal: () => Promise.resolve(true),
    }),
  });

  return { module, calls, commandHandlers, Uri };
}

// ---------------------------------------------------------------------------------------------
// Loading the bundle

interface ModuleInternals {
  _load: (
    this: unknown,
    request: string,
    parent: { filename?: string } | null | undefined,
    isMain: boolean,
  ) => unknown;
  _resolveFilename: (request: string, parent: unknown, isMain?: boolean) => string;
}

const moduleInternals = Module as unknown as ModuleInternals;

function packageRootAbove(file: string): string {
  let dir = path.dirname(file);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(file);
    dir = parent;
  }
  return dir;
}

interface BundleExports {
  activate?: (context: unknown) => unknown;
  deactivate?: () => unknown;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Requires `bundlePath` with `vscode` resolving to a fresh fake, calls its `activate(context)` and
 * returns what happened. The bundle is loaded fresh (removed from require.cache before and after).
 * Call `dispose()` on the result when done.
 */
export async function loadExtensionWithFakeVscode(
  bundlePath: string,
  options: LoadOptions = {},
): Promise<LoadedExtension> {
  const bundle = path.resolve(bundlePath);
  if (!existsSync(bundle))
    throw new Error(`No extension bundle at ${bundle}; build it first (node esbuild.mjs).`);
  const extensionPath = options.extensionPath ?? packageRootAbove(bundle);
  const fake = createFakeVscode();
  const globalStorage = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-fake-vscode-'));
  const context: FakeExtensionContext = permissive('ExtensionContext', {
    subscriptions: [],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    globalStorageUri: Uri.file(globalStorage),
    globalStoragePath: globalStorage,
    storageUri: undefined,
    storagePath: undefined,
    logUri: Uri.file(path.join(globalStorage, 'logs')),
    logPath: path.join(globalStorage, 'logs'),
    extensionMode: options.extensionMode ?? 1,
    globalState: memento(),
    workspaceState: memento(),
    asAbsolutePath: (relative: string) => path.join(extensionPath, relative),
  }) as unknown as FakeExtensionContext;

  const requires: RequireRecord[] = [];
  let phase: RequireRecord['phase'] = 'load';
  const originalLoad = moduleInternals._load;
  const patchedLoad: ModuleInternals['_load'] = function (this: unknown, request, parent, isMain) {
    const from = parent?.filename;
    // Our own require of the bundle is not the bundle's.
    const ours = request === bundle && from === __filename;
    if (request === 'vscode') {
      requires.push({ request, from, phase, builtin: false });
      return fake.module;
    }
    if (!ours) {
      const builtin = isBuiltin(request);
      const record: RequireRecord = { request, from, phase, builtin };
      if (!builtin) {
        try {
          record.resolved = moduleInternals._resolveFilename(request, parent, isMain);
        } catch {
          // Node's own load below reports the failure.
        }
      }
      requires.push(record);
    }
    return originalLoad.call(this, request, parent, isMain);
  };

  const cacheBefore = new Set(Object.keys(require.cache));
  delete require.cache[bundle];
  const timings = { loadMs: 0, activateMs: 0 };
  let bundleExports: BundleExports = {};
  let activated: unknown;
  moduleInternals._load = patchedLoad;
  try {
    let started = performance.now();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the bundle by path is the point
      bundleExports = require(bundle) as BundleExports;
    } catch (error) {
      throw new Error(`Loading ${bundle} with the fake vscode failed: ${errorText(error)}`, { cause: error });
    }
    timings.loadMs = performance.now() - started;
    const activate = bundleExports.activate;
    if (typeof activate !== 'function') throw new Error(`${bundle} exports no activate()`);

    phase = 'activate';
    started = performance.now();
    try {
      // Awaited so an async activate() is timed to its end; a sync one costs one microtask turn.
      activated = await Promise.resolve(activate(context));
    } catch (error) {
      throw new Error(`activate() of ${bundle} threw with the fake vscode: ${errorText(error)}`, {
        cause: error,
      });
    }
    timings.activateMs = performance.now() - started;
  } catch (error) {
    delete require.cache[bundle];
    rmSync(globalStorage, { recursive: true, force: true });
    throw error;
  } finally {
    moduleInternals._load = originalLoad;
  }

  const loadedFiles = Object.keys(require.cache).filter((file) => !cacheBefore.has(file));
  const requiredModules = [...new Set(requires.map((record) => record.request))];
  let disposed = false;
  return {
    timings,
    requiredModules,
    requires,
    loadedFiles,
    registeredCommands: [...fake.calls.registeredCommands],
    mcpProviderIds: [...fake.calls.mcpServerDefinitionProviders],
    createdViews: [...fake.calls.treeViews],
    calls: fake.calls,
    exports: activated,
    context,
    vscode: fake.module,
    executeCommand: (id, ...args) => {
      const handler = fake.commandHandlers.get(id);
      if (!handler) return Promise.reject(new Error(`command '${id}' not found`));
      return (
        fake.module.commands as { executeCommand(id: string, ...args: unknown[]): Promise<unknown> }
      ).executeCommand(id, ...args);
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      try {
        for (const subscription of context.subscriptions.splice(0)) subscription.dispose();
        bundleExports.deactivate?.();
      } finally {
        delete require.cache[bundle];
        rmSync(globalStorage, { recursive: true, force: true });
      }
    },
  };
}
