// The extension's suite inside a real VS Code: packages the VSIX (what users install is what is
// tested), starts a real Azurite for snippets, and runs test/vscode/suite in code-server.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleSuite } from './harness/bundle';
import { runVsCodeSuite, type VsCodeSuiteResult } from './harness/runSuite';
import { startAzurite } from '../support/azurite';
import { startRemoteFixtures } from './remoteFixtures';
import { startAnalysisFixtures } from './analysisFixtures';
import { FAKE_CU_API_KEY, startFakeContentUnderstanding } from '../fakes/contentUnderstanding';
import { freePort } from '../support/processes';
import { isPortFree, waitForReady } from '../../shared/net';

const root = path.resolve(__dirname, '../..');
const vsixPath = path.join(root, 'dist/remote-mcp-functions.vsix');
const results = path.join(root, 'test-results/vscode');

export async function runExtensionSuite(log: (line: string) => void): Promise<VsCodeSuiteResult> {
  log('Packaging the VSIX…');
  await promisify(execFile)('npm', ['run', 'package'], { cwd: root, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: unknown) => {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`npm run package failed:\n${stdout}\n${stderr}`, { cause: error });
    },
  );
  const authProviderVsix = await packageTestAuthProvider();
  const suite = path.join(root, 'dist/test/vscode/suite.js');
  await bundleSuite({ entry: path.join(root, 'test/vscode/suite/index.ts'), outfile: suite });

  mkdirSync(results, { recursive: true });
  // Everything started is stopped again, in reverse order, whether the suite ran or a start failed.
  const stops: (() => unknown)[] = [];
  const started = <T extends { close(): Promise<unknown> }>(resource: T): T => {
    stops.push(() => resource.close());
    return resource;
  };
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-workspace-'));
  const fixtures = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-fixtures-'));
  stops.push(() => rmSync(workspace, { recursive: true, force: true }));
  stops.push(() => rmSync(fixtures, { recursive: true, force: true }));
  try {
    const azurite = started(await startAzurite());
    const port = await freePort();
    const contentUnderstanding = started(await startFakeContentUnderstanding());
    const remote = started(
      await startRemoteFixtures({ workDir: fixtures, storageConnectionString: azurite.connectionString }),
    );
    // The analysis fakes are https too: the CA file the remote fixtures give VS Code must cover them.
    const analysis = started(
      await startAnalysisFixtures({ trustedCaFile: remote.env.NODE_EXTRA_CA_CERTS ?? '' }),
    );
    const result = await runVsCodeSuite({
      vsixPath,
      extraVsixPaths: [authProviderVsix],
      extensionId: 'remote-mcp.remote-mcp-functions',
      workspaceFolder: workspace,
      testsEntry: suite,
      env: {
        REMOTE_MCP_TEST_PORT: String(port),
        REMOTE_MCP_FAKE_FUNC: path.join(root, 'test/fakes/func/func'),
        REMOTE_MCP_FAKE_FUNC_OLD: path.join(root, 'test/fakes/func/func-too-old'),
        // The local server inherits VS Code's environment: analyze_invoice reaches the loopback fake.
        CONTENT_UNDERSTANDING_ENDPOINT: contentUnderstanding.endpoint,
        CONTENT_UNDERSTANDING_API_KEY: FAKE_CU_API_KEY,
        CONTENT_UNDERSTANDING_POLL_INTERVAL_SECONDS: '0.1',
        // And the analysis tools reach Resource Graph and Log Analytics signed in as a managed identity.
        ...analysis.env,
        ...remote.env,
      },
      settings: {
        'remoteMcp.localServer.port': port,
        'remoteMcp.localServer.azuriteBlobPort': azurite.blobPort,
        'remoteMcp.localServer.host': 'embedded',
        ...remote.settings,
      },
      applicationStorage: remote.applicationStorage,
      screenshotPath: path.join(results, 'workbench.png'),
      logsDir: path.join(results, 'logs'),
      timeoutMs: 10 * 60_000,
      log,
    });
    // The suite ends with the local server running; VS Code is gone now, so it must be too.
    const outcome = await waitForReady(() => isPortFree(port), { limitMs: 10_000 });
    log(`after VS Code closed, the local server port ${port} is ${outcome.ready ? 'free' : 'STILL IN USE'}`);
    return outcome.ready
      ? { ...result, passed: result.passed + 1 }
      : {
          ...result,
          failed: result.failed + 1,
          failures: [...result.failures, `closing VS Code left the local MCP server running on port ${port}`],
        };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

/**
 * The test authentication provider (test/fakes/authProvider), packaged as a VSIX of its own: VS Code
 * accepts a provider only from an extension that declares it in `contributes.authentication`.
 */
async function packageTestAuthProvider(): Promise<string> {
  const source = path.join(root, 'test/fakes/authProvider');
  const staging = path.join(root, 'dist/test/authProvider');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(source, 'extension.ts')],
    outfile: path.join(staging, 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  copyFileSync(path.join(source, 'package.json'), path.join(staging, 'package.json'));
  copyFileSync(path.join(root, 'LICENSE'), path.join(staging, 'LICENSE'));
  writeFileSync(
    path.join(staging, 'README.md'),
    'A test-only authentication provider for the Remote MCP suite.\n',
  );
  const vsix = path.join(root, 'dist/test/fake-entra-auth.vsix');
  await promisify(execFile)(
    process.execPath,
    [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsix],
    {
      cwd: staging,
    },
  );
  return vsix;
}
