// `npm run test:electron`: the same suite as test/vscode/runExtensionSuite.ts (test/vscode/suite),
// but in a desktop VS Code that @vscode/test-electron downloads from update.code.visualstudio.com.
// For machines that can reach it; neither `npm test` nor CI runs this (they use code-server).
//
//   npm run test:electron              packages the VSIX, installs it with the downloaded VS Code's
//                                      CLI and tests the installed folder, as the code-server
//                                      harness does (the suite checks it runs from the install)
//   npm run test:electron -- --dev     builds with `node esbuild.mjs` and tests the repository
//                                      itself as the development extension; quicker, but the
//                                      "activates from the installed VSIX" test fails by design
//
// Environment (optional): REMOTE_MCP_VSCODE_VERSION ('stable', 'insiders' or e.g. '1.101.0'; default
// stable). VS Code is cached under the harness's cache folder ($REMOTE_MCP_TEST_CACHE or
// ~/.cache/remote-mcp-functions/vscode-tests), in vscode-electron/. On Linux without a display, run
// it under `xvfb-run -a`.
import { execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  downloadAndUnzipVSCode,
  resolveCliArgsFromVSCodeExecutablePath,
  runTests,
  TestRunFailedError,
} from '@vscode/test-electron';
import { bundleSuite } from './harness/bundle';
import { DEFAULT_SETTINGS } from './harness/codeServer';
import { RESULTS_ENV, SCREENSHOTS_ENV, type SuiteResults } from './harness/protocol';
import { toolchainCacheDir } from './harness/toolchain';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { freePort } from '../support/processes';

const root = path.resolve(__dirname, '../..');
const vsixPath = path.join(root, 'dist/remote-mcp-functions.vsix');
const suiteBundle = path.join(root, 'dist/test/vscode/suite.js');
const extensionId = 'remote-mcp.remote-mcp-functions';

const dev = process.argv.slice(2).includes('--dev');
const version = process.env.REMOTE_MCP_VSCODE_VERSION || 'stable';
const cachePath = path.join(toolchainCacheDir(), 'vscode-electron');

const log = (line: string) => console.log(line);

/** A failure with a message meant for the person running the script; no stack trace needed. */
class SetupError extends Error {
  override name = 'SetupError';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function build(): Promise<void> {
  const [command, args] = dev ? [process.execPath, ['esbuild.mjs']] : ['npm', ['run', 'package']];
  log(dev ? 'Building (node esbuild.mjs)…' : 'Packaging the VSIX (npm run package)…');
  await promisify(execFile)(command, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: unknown) => {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new SetupError(`${[command, ...args].join(' ')} failed:\n${stdout}\n${stderr}`.trim());
    },
  );
  await bundleSuite({ entry: path.join(root, 'test/vscode/suite/index.ts'), outfile: suiteBundle });
}

async function downloadVsCode(): Promise<string> {
  mkdirSync(cachePath, { recursive: true });
  log(`Getting VS Code (${version}) into ${cachePath}…`);
  try {
    return await downloadAndUnzipVSCode({ version, cachePath, timeout: 60_000 });
  } catch (error) {
    throw new SetupError(
      `Could not download VS Code (${version}) with @vscode/test-electron: ${errorText(error)}\n` +
        'test:electron needs https://update.code.visualstudio.com (and a proxy in HTTPS_PROXY if you use one).\n' +
        'Without it, run the same suite in code-server instead: node --import tsx test/run.ts vscode',
    );
  }
}

/** Installs the VSIX with VS Code's CLI into `extensionsDir`, returns the installed extension's folder. */
async function installVsix(
  vscodeExecutable: string,
  extensionsDir: string,
  userDataDir: string,
): Promise<string> {
  const [cli = '', ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutable, {
    reuseMachineInstall: true,
  });
  const args = [
    ...cliArgs,
    `--extensions-dir=${extensionsDir}`,
    `--user-data-dir=${userDataDir}`,
    '--install-extension',
    vsixPath,
    '--force',
  ];
  log(`Installing ${path.relative(root, vsixPath)} into ${extensionsDir}…`);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(cli, args, {
      // The CLI is a .cmd script on Windows.
      shell: process.platform === 'win32',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined, NODE_OPTIONS: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('close', resolve);
  });
  const installed = readdirSync(extensionsDir).find((name) => name.startsWith(`${extensionId}-`));
  if (code !== 0 || !installed) {
    throw new SetupError(`Installing the VSIX failed (exit ${code}):\n${output.join('').trim()}`);
  }
  return path.join(extensionsDir, installed);
}

function readResults(file: string): SuiteResults | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as SuiteResults;
}

async function main(): Promise<number> {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log(
      'Note: no DISPLAY is set; VS Code (Electron) needs one. If it fails to start, run: xvfb-run -a npm run test:electron',
    );
  }
  // Download first: without the network it fails in seconds, not after packaging.
  const vscodeExecutable = await downloadVsCode();
  await build();

  const temp = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-electron-'));
  const userDataDir = path.join(temp, 'user-data');
  const extensionsDir = path.join(temp, 'extensions');
  const workspace = path.join(temp, 'workspace');
  const resultsFile = path.join(temp, 'results.json');
  for (const dir of [userDataDir, extensionsDir, workspace]) mkdirSync(dir, { recursive: true });
  let azurite: RunningAzurite | undefined;
  try {
    const extensionFolder = dev ? root : await installVsix(vscodeExecutable, extensionsDir, userDataDir);
    azurite = await startAzurite();
    const port = await freePort();

    // As runExtensionSuite passes them. They are USER settings, as the code-server harness writes
    // them: the suite changes remoteMcp.* settings globally, which workspace settings would override.
    const settings = {
      ...DEFAULT_SETTINGS,
      'remoteMcp.localServer.port': port,
      'remoteMcp.localServer.azuriteBlobPort': azurite.blobPort,
      'remoteMcp.localServer.host': 'embedded',
    };
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');

    log(`Running the suite in VS Code ${version}, extension from ${extensionFolder}…`);
    let exitError: unknown;
    try {
      await runTests({
        vscodeExecutablePath: vscodeExecutable,
        extensionDevelopmentPath: extensionFolder,
        extensionTestsPath: suiteBundle,
        launchArgs: [
          workspace,
          // Other extensions stay off; the one under test (extensionDevelopmentPath) still loads.
          // runTests adds --disable-workspace-trust, --disable-updates, --no-sandbox and more.
          '--disable-extensions',
          '--disable-telemetry',
          `--user-data-dir=${userDataDir}`,
          `--extensions-dir=${extensionsDir}`,
        ],
        extensionTestsEnv: {
          REMOTE_MCP_TEST_PORT: String(port),
          REMOTE_MCP_FAKE_FUNC: path.join(root, 'test/fakes/func/func'),
          REMOTE_MCP_FAKE_FUNC_OLD: path.join(root, 'test/fakes/func/func-too-old'),
          [RESULTS_ENV]: resultsFile,
          [SCREENSHOTS_ENV]: '0',
          // Not for the extension host: tsx's hooks or an outer VS Code's node mode.
          NODE_OPTIONS: undefined,
          ELECTRON_RUN_AS_NODE: undefined,
        },
      });
    } catch (error) {
      // A failing suite makes VS Code exit non-zero; the counts below say what failed.
      exitError = error;
    }

    const results = readResults(resultsFile);
    if (!results) {
      const how =
        exitError instanceof TestRunFailedError
          ? `VS Code exited with ${exitError.code ?? exitError.signal}`
          : exitError
            ? errorText(exitError)
            : 'VS Code exited normally';
      log(`✖ the suite wrote no results (${how})`);
      log('\n0 passed, 1 failed');
      return 1;
    }
    for (const failure of results.failures) log(`  ✖ ${failure.title}: ${failure.message}`);
    log(`\n${results.passed} passed, ${results.failed} failed`);
    return results.failed > 0 || results.passed === 0 ? 1 : 0;
  } finally {
    await azurite?.close();
    rmSync(temp, { recursive: true, force: true, maxRetries: 5 });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof SetupError ? `✖ ${error.message}` : error);
    process.exitCode = 1;
  },
);
