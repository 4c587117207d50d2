// The suite's entry inside VS Code's extension host (extensionTestsPath). Test files are imported
// lazily: their describe/it run only once mocha has set up its globals. Each sits beside the code
// it tests, named *.vscode.test.ts; test/testFiles.unit.test.ts checks that every one is imported here.
import { runMochaInHost } from '../harness/mochaInHost';

export function run(): Promise<void> {
  return runMochaInHost({
    timeoutMs: 90_000,
    // REMOTE_MCP_TEST_GREP narrows a local run to matching tests while working on them.
    grep: process.env.REMOTE_MCP_TEST_GREP,
    load: async () => {
      await import('../../extension/activation.vscode.test');
      await import('../../extension/localServer/localServer.vscode.test');
      await import('../../server/azureAnalysis/analysisTools.vscode.test');
      await import('../../extension/remote/remote.vscode.test');
      await import('../../extension/remote/selfHostedConnect.vscode.test');
      await import('../../extension/auth/entra.vscode.test');
      await import('../../extension/auth/selfHostedEntra.vscode.test');
      await import('../../extension/apiManagement/gateway.vscode.test');
      await import('../../extension/statusView/statusView.vscode.test');
      await import('../../extension/localServer/selfHostedLocal.vscode.test');
      await import('../../extension/localServer/functionsAppLocal.vscode.test');
      await import('../../extension/hosting/hostOnFunctions.vscode.test');
      await import('../../extension/localServer/funcHost.vscode.test');
      await import('../../extension/secrets.vscode.test');
      // Last: it adds the user's app to the workspace, which earlier tests expect to hold none.
      await import('../../extension/deploymentFiles/addDeploymentFiles.vscode.test');
    },
  });
}
