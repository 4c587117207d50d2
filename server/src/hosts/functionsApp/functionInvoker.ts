// Runs one invocation through the app's own programming model exactly as the Functions Node worker
// does (Azure/azure-functions-nodejs-worker: src/eventHandlers/InvocationHandler.ts):
// getInvocationModel(coreCtx) → getArguments() → preInvocation hooks → invokeFunction() →
// postInvocation hooks → getResponse(); with the blob bindings read before and written after, as
// the Functions host does around the worker call (Azure/azure-functions-host:
// src/WebJobs.Script/Description/Workers/WorkerFunctionInvoker.cs BindInputsAsync / BindOutputsAsync).
import type { BlobBindingClient } from './blobBindings';
import { resolveBlobPath } from './blobBindings';
import type {
  CoreFunctionMetadata,
  CoreInvocationContext,
  FunctionsCore,
  InvocationState,
  RpcInvocationRequest,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
} from './coreApi';
import type { AppTool, AppResource, AppPrompt } from './appCatalogue';
import type { TriggerInvocation } from './invocationRequests';

type AppFunction = AppTool | AppResource | AppPrompt;

/** Where user and system logs go: the local server's output, tagged with the function's name. */
export interface HostLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export class FunctionInvoker {
  /** The RPC shape of each function's metadata, built once (the worker's FunctionLoadHandler does it at load). */
  private readonly metadataCache = new Map<string, CoreFunctionMetadata>();

  constructor(
    private readonly core: FunctionsCore,
    private readonly blobs: Pick<BlobBindingClient, 'read' | 'write'>,
    private readonly log: HostLog,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Resolves with the worker's response; rejects when the function (or a binding) failed. */
  async invoke(fn: AppFunction, invocation: TriggerInvocation): Promise<RpcInvocationResponse> {
    const { request, bindingData } = invocation;
    const model = this.core.programmingModel;
    if (!model)
      throw new Error(
        'The app did not set a programming model: it registered no functions through @azure/functions.',
      );

    const blobPaths = new Map<string, string>();
    for (const binding of [...fn.blobInputs, ...fn.blobOutputs]) {
      blobPaths.set(binding.name, resolveBlobPath(binding.path, bindingData, this.env));
    }
    const inputs = await Promise.all(
      fn.blobInputs.map(async (binding) => ({
        name: binding.name,
        data: await this.blobs.read(binding, blobPaths.get(binding.name) ?? '', binding.dataType),
      })),
    );
    const fullRequest: RpcInvocationRequest = { ...request, inputData: [...request.inputData, ...inputs] };

    const coreCtx = new InvocationCoreContext(fullRequest, this.metadataFor(fn), this.log);
    const invocationModel = await model.getInvocationModel(coreCtx);
    const { context, inputs: args } = await invocationModel.getArguments();

    const hookData: Record<string, unknown> = {};
    const appHookData = this.core.appHookData;
    let callback = fn.registered.callback;
    let callbackInputs = args;
    if (this.core.hooks.preInvocation.length > 0) {
      const preContext = {
        hookData,
        appHookData,
        invocationContext: context,
        functionCallback: callback,
        inputs: callbackInputs,
      };
      coreCtx.state = 'preInvocationHooks';
      try {
        await this.core.runHooks('preInvocation', preContext);
      } finally {
        coreCtx.state = undefined;
      }
      callback = preContext.functionCallback;
      callbackInputs = preContext.inputs;
    }

    const postContext = {
      hookData,
      appHookData,
      invocationContext: context,
      inputs: callbackInputs,
      result: null as unknown,
      error: null as unknown,
    };
    coreCtx.state = 'invocation';
    try {
      postContext.result = await invocationModel.invokeFunction(context, callbackInputs, callback);
    } catch (error) {
      postContext.error = error;
    } finally {
      coreCtx.state = undefined;
    }
    if (this.core.hooks.postInvocation.length > 0) {
      coreCtx.state = 'postInvocationHooks';
      try {
        await this.core.runHooks('postInvocation', postContext);
      } finally {
        coreCtx.state = undefined;
      }
    }
    if (postContext.error !== null && postContext.error !== undefined) {
      // A handler may throw anything; the log still needs a message.
      throw postContext.error instanceof Error
        ? postContext.error
        : new Error(
            `The function threw a non-Error value: ${JSON.stringify(postContext.error) ?? typeof postContext.error}`,
          );
    }

    const response = await invocationModel.getResponse(context, postContext.result);
    for (const output of response.outputData ?? []) {
      const binding = fn.blobOutputs.find((b) => b.name === output.name);
      if (binding && output.data)
        await this.blobs.write(binding, blobPaths.get(binding.name) ?? '', output.data);
    }
    return response;
  }

  private metadataFor(fn: AppFunction): CoreFunctionMetadata {
    let metadata = this.metadataCache.get(fn.functionId);
    if (!metadata) {
      const entry = fn.registered.entryPoint;
      metadata = {
        ...fn.registered.metadata,
        functionId: fn.functionId,
        scriptFile: entry ? entry.split(/[\\/]/).pop() : 'unknown',
      };
      this.metadataCache.set(fn.functionId, metadata);
    }
    return metadata;
  }
}

/** The worker's CoreInvocationContext: the library logs through it, user and system alike. */
class InvocationCoreContext implements CoreInvocationContext {
  readonly invocationId: string;
  state: InvocationState;

  constructor(
    readonly request: RpcInvocationRequest,
    readonly metadata: CoreFunctionMetadata,
    private readonly sink: HostLog,
  ) {
    this.invocationId = request.invocationId;
  }

  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
    writeLog(this.sink, level, category, message, this.metadata.name);
  }
}

/**
 * Information and above, as host.json's default log level shows them under `func start`; trace and
 * debug (the library's own system chatter included) stay hidden.
 */
export function writeLog(
  log: HostLog,
  level: RpcLogLevel,
  category: RpcLogCategory,
  message: string,
  functionName: string | undefined,
): void {
  if (level === 'trace' || level === 'debug' || level === 'none') return;
  const line = functionName ? `[${functionName}] ${message}` : message;
  if (level === 'warning') log.warn(line);
  else if (level === 'error' || level === 'critical') log.error(line);
  else if (category !== 'customMetric') log.info(line);
}
