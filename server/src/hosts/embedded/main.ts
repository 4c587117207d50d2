// Entry point of the embedded host (server/dist/embedded.js): the tool catalogue over the MCP SDK,
// on the Functions MCP extension's routes, with no Azure Functions Core Tools needed.
import { catalogue } from '../../tools';
import { consoleLogger, toolDependenciesFromEnv } from '../../dependenciesFromEnv';
import { embeddedHostSettingsFromEnv } from './hostSettings';
import { readyLinePrefix, startEmbeddedHost } from './startEmbeddedHost';

async function main(): Promise<void> {
  const settings = embeddedHostSettingsFromEnv(process.env);
  const host = await startEmbeddedHost(
    settings,
    catalogue,
    toolDependenciesFromEnv(process.env, consoleLogger),
  );
  const access = settings.auth ? ' (Entra sign-in required)' : settings.key ? ' (key required)' : '';
  console.log(`${readyLinePrefix} ${host.mcpUrl}${access}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping: ${signal}.`);
    // A client holding a stream open must not keep the process alive forever.
    setTimeout(() => process.exit(0), 5000).unref();
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by the VS Code extension with an IPC channel: when VS Code goes away, even killed, so do we.
  if (process.connected) process.once('disconnect', () => stop('the parent process exited'));
}

main().catch((error: unknown) => {
  // Settings and port errors are written for people; anything else still gets no stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
