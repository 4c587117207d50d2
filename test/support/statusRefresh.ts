// Starts test/support/statusRefreshRunner.ts in a child process against a fleet and returns what it measured.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { McpAppFleet } from './mcpAppFleet';
import type { RunnerConfig, RunnerResult } from './statusRefreshRunner';

const root = path.resolve(__dirname, '../..');

export async function runStatusRefreshes(
  fleet: McpAppFleet,
  config: Omit<RunnerConfig, 'armEndpoint'>,
): Promise<RunnerResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-status-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_EXTRA_CA_CERTS: fleet.arm.writeCaFile(dir),
      NO_PROXY: '127.0.0.1,localhost',
      RUNNER_CONFIG: JSON.stringify({ ...config, armEndpoint: fleet.arm.endpoint } satisfies RunnerConfig),
    };
    // The test runner's own flags (its IPC, coverage) are not the child's business.
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'statusRefreshRunner.ts')],
        { cwd: root, env, maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 },
        (error, out, err) =>
          error ? reject(new Error(`the refresh runner failed: ${err || error.message}`)) : resolve(out),
      );
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as RunnerResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
