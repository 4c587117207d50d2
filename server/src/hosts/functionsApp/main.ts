// Entry point of the Functions app host (server/dist/functionsApp.js): a user's Node.js Functions MCP
// app (v4 programming model, `app.mcpTool` / `app.mcpResource` / `app.mcpPrompt`) served on the
// Functions MCP extension's routes with no Azure Functions Core Tools (issue 14, point 1). The app
// runs with its own `@azure/functions`; this process plays the Node worker (./coreApi.ts,
// ./functionInvoker.ts), the Functions host (bindings, ./blobBindings.ts) and the MCP extension
// (./appCatalogue.ts, ./appServer.ts, ./mcpResults.ts).
//
// Contract, shared by the extension's Start Local Server, `npm start -- --project` and the tests:
//   node server/dist/functionsApp.js <app folder>
// - the folder holds the app's package.json (its `main`, globs allowed), host.json and, optionally,
//   local.settings.json, whose Values are put in process.env as `func start` would (a variable
//   already set in the environment wins);
// - the environment is read as the embedded host reads it (PORT, default 7071; MCP_HOST, default
//   127.0.0.1; MCP_KEY; MCP_ALLOWED_HOSTS ...; see ../embedded/hostSettings.ts);
// - once it listens it prints `readyLinePrefix` (../embedded/startEmbeddedHost.ts) and the
//   Streamable HTTP URL, e.g. `Remote MCP embedded host ready: http://127.0.0.1:7071/runtime/webhooks/mcp`;
// - a problem the user must fix (syntax error, missing build, missing node_modules, unsupported
//   binding, port in use) is printed to stderr as one message naming it and how to fix it, and the
//   process exits with code 1;
// - context.log / warn / error of the app's functions go to stdout / stderr as `[<function>] message`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mcpRoutes } from '../../../../shared/mcpRoutes';
import { createEmbeddedApp } from '../embedded/app';
import { embeddedHostSettingsFromEnv, SettingsError } from '../embedded/hostSettings';
import { listen, PortInUseError, readyLinePrefix } from '../embedded/startEmbeddedHost';
import { buildCatalogue, type AppCatalogue } from './appCatalogue';
import { appServerFactory } from './appServer';
import { BlobBindingClient } from './blobBindings';
import { FunctionsCore, installCoreModule } from './coreApi';
import { FunctionInvoker, writeLog, type HostLog } from './functionInvoker';
import {
  AppProblem,
  applyLocalSettings,
  entryFiles,
  loadEntryFiles,
  readAppPackage,
  readMcpServerOptions,
  resolveFunctionsLibrary,
} from './loadApp';

const consoleLog: HostLog = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

async function main(): Promise<void> {
  const folderArgument = process.argv[2];
  if (!folderArgument) {
    throw new AppProblem(
      "Usage: node functionsApp.js <app folder> (the folder holding the app's package.json and host.json).",
    );
  }
  const folder = path.resolve(folderArgument);
  applyLocalSettings(folder, process.env, (message) => consoleLog.warn(message));
  const settings = embeddedHostSettingsFromEnv(process.env);
  const options = readMcpServerOptions(folder);
  const pkg = readAppPackage(folder);
  // Dependencies before the build: an app fresh from git has neither, and the build needs them.
  resolveFunctionsLibrary(folder);
  const files = entryFiles(folder, pkg);

  const core = new FunctionsCore((entry) =>
    writeLog(consoleLog, entry.level, entry.category, entry.message, entry.functionName),
  );
  installCoreModule(core);
  await loadEntryFiles(folder, files, pkg, core);
  // The worker asks the model for its capabilities before indexing, which also locks app.setup().
  await core.programmingModel?.getCapabilities?.({});
  core.indexingLocked = true;

  const catalogue = buildCatalogue(core.functions);
  reportNotServed(catalogue);
  if (
    catalogue.tools.size +
      catalogue.staticResources.size +
      catalogue.resourceTemplates.length +
      catalogue.prompts.size ===
    0
  ) {
    throw new AppProblem(
      `The app in ${folder} registers no MCP tools, resources or prompts (app.mcpTool, app.mcpResource, app.mcpPrompt), so the embedded host has nothing to serve.` +
        (catalogue.notServed.length > 0
          ? ' Its other functions run with Azure Functions Core Tools ("func start").'
          : ''),
    );
  }
  const blobs = new BlobBindingClient(process.env);
  for (const fn of [
    ...catalogue.tools.values(),
    ...catalogue.staticResources.values(),
    ...catalogue.resourceTemplates,
    ...catalogue.prompts.values(),
  ]) {
    for (const binding of [...fn.blobInputs, ...fn.blobOutputs])
      blobs.checkConnection(binding, fn.functionName);
  }
  await core.runHooks('appStart', {
    hookData: {},
    appHookData: core.appHookData,
    functionAppDirectory: folder,
  });

  const invoker = new FunctionInvoker(core, blobs, consoleLog, process.env);
  const { app, closeSseSessions } = createEmbeddedApp(
    settings,
    appServerFactory(catalogue, options, invoker, consoleLog),
    consoleLog,
  );
  const server = createServer(app);
  await listen(server, settings.host, settings.port);
  const { port } = server.address() as AddressInfo;
  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const mcpUrl = `http://${urlHost}:${port}${mcpRoutes.streamableHttp}`;
  console.log(describeServed(folder, catalogue));
  const access = settings.auth ? ' (Entra sign-in required)' : settings.key ? ' (key required)' : '';
  console.log(`${readyLinePrefix} ${mcpUrl}${access}`);

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping: ${reason}.`);
    // A client holding a stream open, or an app hook that never settles, must not keep us alive.
    setTimeout(() => process.exit(0), 5000).unref();
    void (async () => {
      try {
        await core.runHooks('appTerminate', { hookData: {}, appHookData: core.appHookData });
      } catch (error) {
        consoleLog.error(
          `An appTerminate hook failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      await closeSseSessions();
      server.closeIdleConnections();
      server.close(() => process.exit(0));
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by the VS Code extension with an IPC channel: when VS Code goes away, even killed, so do we.
  if (process.connected) process.once('disconnect', () => stop('the parent process exited'));
}

function reportNotServed(catalogue: AppCatalogue): void {
  for (const { functionName, triggerType } of catalogue.notServed) {
    consoleLog.warn(
      `Function "${functionName}" (${triggerType}) is not served by the embedded host, which runs MCP tool, resource and prompt triggers only. To run it, install Azure Functions Core Tools and start the app with "func start".`,
    );
  }
}

function describeServed(folder: string, catalogue: AppCatalogue): string {
  const names = (label: string, list: string[]) =>
    list.length > 0 ? `\n  ${label}: ${list.join(', ')}` : '';
  return (
    `Serving the Functions app in ${folder}:` +
    names(
      'tools',
      catalogue.toolListing.map((tool) => tool.name),
    ) +
    names('resources', [
      ...catalogue.resourceListing.map((r) => r.uri),
      ...catalogue.templateListing.map((t) => t.uriTemplate),
    ]) +
    names(
      'prompts',
      catalogue.promptListing.map((prompt) => prompt.name),
    )
  );
}

// The app's own code may throw from a timer or leave a promise rejected. The Node worker logs and
// exits on those (Worker.ts) and the Functions host starts a new one; this host has no supervisor
// to do that, so it logs them and keeps serving.
process.on('uncaughtException', (error) =>
  consoleLog.error(`Uncaught exception in the app: ${error.stack ?? error.message}`),
);
process.on('unhandledRejection', (reason) =>
  consoleLog.error(
    `Unhandled promise rejection in the app: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
  ),
);

main().catch((error: unknown) => {
  // Problems the user must fix are written for people; anything else still gets no stack trace.
  const known =
    error instanceof AppProblem || error instanceof PortInUseError || error instanceof SettingsError;
  const message = error instanceof Error ? error.message : String(error);
  console.error(known ? message : `The Functions app host failed to start: ${message}`);
  process.exit(1);
});
