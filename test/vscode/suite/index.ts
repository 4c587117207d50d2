// The suite's entry inside VS Code's extension host (extensionTestsPath). Test files are imported
// lazily: their describe/it run only once mocha has set up its globals.
import { runMochaInHost } from '../harness/mochaInHost';

export function run(): Promise<void> {
  return runMochaInHost({
    timeoutMs: 90_000,
    // REMOTE_MCP_TEST_GREP narrows a local run to matching tests while working on them.
    grep: process.env.REMOTE_MCP_TEST_GREP,
    load: async () => {
      await import('./activation.test');
      await import('./localServer.test');
      await import('./analysisTools.test');
      await import('./remote.test');
      await import('./entra.test');
      await import('./statusView.test');
      await import('./funcHost.test');
      await import('./secrets.test');
    },
  });
}
