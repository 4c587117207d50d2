// `npm run bench:extension`: what installing and activating the extension costs, on the PRODUCTION
// build (what the VSIX ships):
//   (a) activation time: fresh `node` processes, each loading dist/extension.js with the fake
//       `vscode` (test/support/fakeVscode.ts) and timing `require(bundle)` and `activate()` apart;
//   (b) what activation loads: dist/extension.js plus any other non-built-in file required while
//       loading and activating (there should be none), raw and gzipped;
//   (c) the VSIX: its size and file count, read from the zip's central directory.
// Targets are printed beside the figures. A benchmark, not a test: it always exits 0.
//
// Environment (all optional):
//   BENCH_RUNS          activation runs, each in a fresh process (default 15; one more warm-up run is discarded)
//   BENCH_SKIP_PACKAGE  "1": build with `node esbuild.mjs --production` and measure the VSIX already in
//                       dist/ instead of running `npm run package`
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../..');
const bundle = path.join(root, 'dist/extension.js');
const vsixPath = path.join(root, 'dist/remote-mcp-functions.vsix');
const fakeBundle = path.join(root, 'dist/test/bench/fakeVscode.js');

// Decimal units, as the targets are stated: 1 KB = 1000 bytes, 1 MB = 1000 KB.
const targets = { activateMs: 50, loadedBytes: 300_000, vsixBytes: 5_000_000 };

const runsRaw = process.env.BENCH_RUNS ?? '15';
const runs = Number(runsRaw);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`BENCH_RUNS must be a whole number >= 1; it is "${runsRaw}".`);
const skipPackage = process.env.BENCH_SKIP_PACKAGE === '1';

const run = promisify(execFile);

async function runScript(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  await run(command, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }).catch((error: unknown) => {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`.trim(), { cause: error });
  });
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// (a) activation in fresh processes

interface ChildResult {
  loadMs: number;
  activateMs: number;
  /** spawn to exit, as seen by this process */
  processMs: number;
  requiredModules: string[];
  loadedFiles: string[];
  commands: number;
}

// Runs in the child, plain `node -e` (no tsx hooks around the timed require), with the fake bundled.
const childScript = `
const { fake, bundle, root } = JSON.parse(process.env.BENCH_EXTENSION_CHILD);
require(fake).loadExtensionWithFakeVscode(bundle, { extensionPath: root }).then((loaded) => {
  const out = {
    loadMs: loaded.timings.loadMs,
    activateMs: loaded.timings.activateMs,
    requiredModules: loaded.requiredModules,
    loadedFiles: loaded.loadedFiles,
    commands: loaded.registeredCommands.length,
  };
  loaded.dispose();
  process.stdout.write(JSON.stringify(out));
}, (error) => { console.error(error && error.stack || String(error)); process.exit(1); });
`;

function activateInChild(): Promise<ChildResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_EXTENSION_CHILD: JSON.stringify({ fake: fakeBundle, bundle, root }),
  };
  delete env.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', childScript], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const processMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`the activation process exited with ${code}:\n${stderr}`));
        return;
      }
      try {
        resolve({ ...(JSON.parse(stdout) as Omit<ChildResult, 'processMs'>), processMs });
      } catch (error) {
        reject(
          new Error(`the activation process printed no result:\n${stdout}\n${stderr}`, { cause: error }),
        );
      }
    });
  });
}

interface Stats {
  median: number;
  p90: number;
  min: number;
  max: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank.
  const rank = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(mid)] ?? NaN)
      : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { median, p90: rank(0.9), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

// ---------------------------------------------------------------------------------------------
// (c) the VSIX: a zip's central directory, read with Node alone

interface ZipEntry {
  name: string;
  compressed: number;
  uncompressed: number;
}

function zipEntries(file: string): ZipEntry[] {
  const zip = readFileSync(file);
  // End of central directory: 22 bytes plus a comment of at most 65535 bytes, at the very end.
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip (no end of central directory record)`);
  const count = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff)
    throw new Error(`${file} is a ZIP64 archive; not supported here`);
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      compressed: zip.readUInt32LE(at + 20),
      uncompressed: zip.readUInt32LE(at + 24),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Printing

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;
const verdict = (met: boolean) => (met ? 'yes' : 'NO');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(
    `Extension benchmark: Node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}/${os.arch()}\n`,
  );

  let vsixNote: string;
  if (skipPackage) {
    console.log('Building the production bundles (node esbuild.mjs --production)…');
    await runScript(process.execPath, ['esbuild.mjs', '--production']);
    vsixNote = existsSync(vsixPath)
      ? `reused (BENCH_SKIP_PACKAGE=1), built ${new Date(statSync(vsixPath).mtimeMs).toISOString()}`
      : 'missing (BENCH_SKIP_PACKAGE=1 and no VSIX in dist/)';
  } else {
    console.log('Building the production bundles and the VSIX (npm run package)…');
    try {
      const took = await runScript('npm', ['run', 'package']);
      vsixNote = `packaged now in ${(took / 1000).toFixed(1)} s`;
    } catch (error) {
      console.log(`npm run package failed; measuring the bundles only.\n${(error as Error).message}`);
      await runScript(process.execPath, ['esbuild.mjs', '--production']);
      vsixNote = 'not packaged (npm run package failed)';
    }
  }
  const bundleText = readFileSync(bundle, 'utf8');
  if (bundleText.includes('sourceMappingURL=')) {
    console.log('WARNING: dist/extension.js has a source map link: it is not the production build.');
  }

  await esbuild.build({
    entryPoints: [path.join(root, 'test/support/fakeVscode.ts')],
    outfile: fakeBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });

  // (a)
  console.log(`Activating in ${runs} fresh node processes (after 1 discarded warm-up)…\n`);
  const results: ChildResult[] = [];
  let activationError: string | undefined;
  try {
    await activateInChild();
    for (let i = 0; i < runs; i++) results.push(await activateInChild());
  } catch (error) {
    activationError = error instanceof Error ? error.message : String(error);
  }

  if (activationError || results.length === 0) {
    console.log(`(a) activation: could not measure: ${activationError ?? 'no runs'}\n`);
  } else {
    const load = stats(results.map((r) => r.loadMs));
    const activate = stats(results.map((r) => r.activateMs));
    const both = stats(results.map((r) => r.loadMs + r.activateMs));
    const proc = stats(results.map((r) => r.processMs));
    const row = (name: string, s: Stats, target = '', met = '') => [
      name,
      ms(s.median),
      ms(s.p90),
      ms(s.min),
      ms(s.max),
      target,
      met,
    ];
    console.log(`(a) activation time, production bundle, ${runs} runs`);
    console.log(
      table(
        ['', 'median', 'p90', 'min', 'max', 'target', 'met (p90)'],
        [
          row('require(dist/extension.js)', load),
          row(
            'activate(context)',
            activate,
            `<= ${targets.activateMs} ms`,
            verdict(activate.p90 <= targets.activateMs),
          ),
          row('require + activate', both),
          row('whole node process', proc),
        ],
      ),
    );
    console.log(`commands registered per run: ${[...new Set(results.map((r) => r.commands))].join(', ')}\n`);

    // (b)
    const files = [...new Set(results.flatMap((r) => r.loadedFiles))];
    const nonBuiltin = [...new Set(results.flatMap((r) => r.requiredModules))].filter(
      (id) => id !== 'vscode' && !isBuiltin(id),
    );
    const sizes = files.map((file) => {
      const content = readFileSync(file);
      return {
        file: path.relative(root, file),
        bytes: content.length,
        gzip: gzipSync(content, { level: 9 }).length,
      };
    });
    const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
    const totalGzip = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log('(b) loaded at activation (files that entered require.cache during load + activate)');
    console.log(
      table(
        ['', 'bytes', 'size', 'gzip', 'target', 'met'],
        [
          ...sizes.map((s) => [s.file, String(s.bytes), kb(s.bytes), kb(s.gzip), '', '']),
          [
            `total (${sizes.length} file${sizes.length === 1 ? '' : 's'})`,
            String(total),
            kb(total),
            kb(totalGzip),
            `<= ${kb(targets.loadedBytes)}`,
            verdict(total <= targets.loadedBytes),
          ],
        ],
      ),
    );
    console.log(
      `modules required: ${[...new Set(results.flatMap((r) => r.requiredModules))].join(', ')}` +
        (nonBuiltin.length
          ? `\nNOT built-in or vscode: ${nonBuiltin.join(', ')}`
          : ' (built-ins and vscode only)') +
        '\n',
    );
  }

  // (c)
  console.log(`(c) VSIX (${vsixNote})`);
  if (!existsSync(vsixPath)) {
    console.log('no VSIX to measure\n');
  } else {
    const size = statSync(vsixPath).size;
    const entries = zipEntries(vsixPath);
    const payload = entries.filter((e) => e.name.startsWith('extension/'));
    const uncompressed = entries.reduce((sum, e) => sum + e.uncompressed, 0);
    console.log(
      table(
        ['', 'size', 'target', 'met', 'files', 'unpacked'],
        [
          [
            path.relative(root, vsixPath),
            `${mb(size)} (${size} bytes)`,
            `<= ${mb(targets.vsixBytes)}`,
            verdict(size <= targets.vsixBytes),
            `${entries.length} (${payload.length} under extension/)`,
            mb(uncompressed),
          ],
        ],
      ),
    );
    const largest = [...entries].sort((a, b) => b.compressed - a.compressed).slice(0, 6);
    console.log('largest entries (compressed / uncompressed):');
    for (const e of largest)
      console.log(`  ${kb(e.compressed).padStart(9)} / ${kb(e.uncompressed).padStart(9)}  ${e.name}`);
    console.log('');
  }
}

main()
  .catch((error: unknown) => {
    console.log(`The benchmark could not finish: ${error instanceof Error ? error.message : String(error)}`);
  })
  .finally(() => {
    process.exitCode = 0;
  });
