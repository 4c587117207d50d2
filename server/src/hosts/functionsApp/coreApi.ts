// The `@azure/functions-core` module a Functions app gets at run time. The Node worker supplies it
// by intercepting `require` (Azure/azure-functions-nodejs-worker: src/setupCoreModule.ts) and
// implements its calls in src/coreApi/registerFunction.ts, src/coreApi/setProgrammingModel.ts,
// src/hooks/registerHook.ts and src/Disposable.ts; its contract is that repository's
// types-core/index.d.ts. The app's own `@azure/functions` calls it to register functions and to set
// its programming model, which this host then uses for every invocation, as the worker does.
import Module from 'node:module';

export type RpcBindingDirection = 'in' | 'out' | 'inout';

/** One binding as `@azure/functions` describes it (converters/toCoreFunctionMetadata.ts). */
export interface CoreBindingInfo {
  type?: string;
  direction?: RpcBindingDirection;
  dataType?: string;
  properties?: Record<string, string>;
  [option: string]: unknown;
}

export interface CoreFunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, CoreBindingInfo>;
  [other: string]: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

/** RPC `TypedData`, as the library reads and writes it (converters/fromRpcTypedData.ts, toRpcTypedData.ts). */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  int?: number | null;
  double?: number | null;
  [other: string]: unknown;
}

export interface RpcParameterBinding {
  name: string;
  data: RpcTypedData;
}

export interface RpcInvocationRequest {
  invocationId: string;
  functionId: string;
  inputData: RpcParameterBinding[];
  triggerMetadata: Record<string, RpcTypedData>;
  traceContext?: { traceParent?: string; traceState?: string; attributes?: Record<string, string> };
}

export interface RpcInvocationResponse {
  invocationId: string;
  outputData?: { name?: string | null; data?: RpcTypedData | null }[] | null;
  returnValue?: RpcTypedData | null;
}

export type InvocationState = 'preInvocationHooks' | 'postInvocationHooks' | 'invocation' | undefined;
export type RpcLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type RpcLogCategory = 'user' | 'system' | 'customMetric';

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: CoreFunctionMetadata;
  state?: InvocationState;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: CoreInvocationContext): InvocationModel | Promise<InvocationModel>;
  getCapabilities?(
    capabilities: Record<string, string>,
  ): Record<string, string> | Promise<Record<string, string>>;
}

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation';
export type HookCallback = (context: Record<string, unknown>) => unknown;

/** A function the app registered; `entryPoint` is the file that was loading when it did. */
export interface RegisteredFunction {
  metadata: CoreFunctionMetadata;
  callback: FunctionCallback;
  entryPoint: string | undefined;
}

export interface CoreLogEntry {
  level: RpcLogLevel;
  category: RpcLogCategory;
  message: string;
  /** The function whose invocation logged it, when there is one. */
  functionName?: string;
}

export type CoreLogSink = (entry: CoreLogEntry) => void;

/** Azure/azure-functions-nodejs-worker: src/Disposable.ts, the class apps receive from registerHook. */
export class Disposable {
  #callOnDispose: (() => unknown) | undefined;

  static from(...disposables: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      for (const disposable of disposables) disposable.dispose();
    });
  }

  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }

  dispose(): unknown {
    const callOnDispose = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return callOnDispose?.();
  }
}

/** The state the worker keeps for one app (its AppContext), and the module object the app requires. */
export class FunctionsCore {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks: Record<HookName, HookCallback[]> = {
    appStart: [],
    appTerminate: [],
    preInvocation: [],
    postInvocation: [],
  };
  /** Shared by every hook, as the worker's `appHookData`. */
  readonly appHookData: Record<string, unknown> = {};
  programmingModel: ProgrammingModel | undefined;
  /** Set while an entry point loads, so registrations know their file. */
  currentEntryPoint: string | undefined;
  /** After startup, registering is an error, as in the worker (registerFunction.ts). */
  indexingLocked = false;

  constructor(readonly log: CoreLogSink) {}

  /** What `require('@azure/functions-core')` returns inside the app. */
  readonly module = {
    version: '3.x (Remote MCP embedded host)',
    hostVersion: '4.x (Remote MCP embedded host)',
    registerHook: (hookName: string, callback: HookCallback): Disposable =>
      this.registerHook(hookName, callback),
    setProgrammingModel: (model: ProgrammingModel): void => {
      this.programmingModel = model;
    },
    getProgrammingModel: (): ProgrammingModel | undefined => this.programmingModel,
    registerFunction: (metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable =>
      this.registerFunction(metadata, callback),
    log: (level: RpcLogLevel, category: RpcLogCategory, message: string): void =>
      this.log({ level, category, message }),
    Disposable,
  };

  registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.indexingLocked) throw new Error('A function can only be registered during app startup.');
    const functionId = metadata.functionId ?? metadata.name;
    if (this.functions.has(functionId)) {
      throw new Error(`A function with id "${functionId}" has already been registered.`);
    }
    this.functions.set(functionId, { metadata, callback, entryPoint: this.currentEntryPoint });
    return new Disposable(() => {
      if (this.indexingLocked) throw new Error('A function can only be disposed during app startup.');
      this.functions.delete(functionId);
    });
  }

  registerHook(hookName: string, callback: HookCallback): Disposable {
    const hooks = this.hooks[hookName as HookName];
    if (!hooks) throw new Error(`"${hookName}" is not a hook name the Functions Node worker knows.`);
    hooks.push(callback);
    return new Disposable(() => {
      const index = hooks.indexOf(callback);
      if (index >= 0) hooks.splice(index, 1);
    });
  }

  /** Runs a hook's callbacks in order, as the worker's src/hooks/executeHooks.ts does. */
  async runHooks(hookName: HookName, context: Record<string, unknown>): Promise<void> {
    for (const callback of this.hooks[hookName]) await callback(context);
  }
}

let current: FunctionsCore | undefined;

/**
 * Makes `require('@azure/functions-core')` return the core API, exactly as the worker's
 * setupCoreModule does: a Proxy over Module.prototype.require. ESM apps reach it too, because
 * `@azure/functions` is CommonJS and asks for the core module with `require`. Installing again
 * (tests load several apps in one process) swaps the core behind the one Proxy.
 */
export function installCoreModule(core: FunctionsCore): void {
  const first = current === undefined;
  current = core;
  if (!first) return;
  const moduleProto = Module.prototype as unknown as { require: (id: string) => unknown };
  moduleProto.require = new Proxy(moduleProto.require, {
    apply(target, thisArg, args: unknown[]) {
      if (args[0] === '@azure/functions-core' && current) return current.module;
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
}
