// Bundles a VS Code suite (its index exporting `run()`, the tests, mochaInHost and mocha) into one
// CommonJS file for `extensionTestsPath`. `vscode` stays external: the extension host provides it.
import * as esbuild from 'esbuild';

export interface BundleSuiteOptions {
  /** The suite's index, e.g. test/vscode/suite/index.ts, exporting `run(): Promise<void>`. */
  entry: string;
  /** Where the bundle goes, e.g. dist/test/vscode/suite.js; pass it to runVsCodeSuite as testsEntry. */
  outfile: string;
  /** More externals beside `vscode`. */
  external?: string[];
}

export async function bundleSuite(options: BundleSuiteOptions): Promise<void> {
  await esbuild.build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // code-server 4.139 runs the extension host on Node 24; node20 keeps the bundle readable.
    target: 'node20',
    keepNames: true,
    // No source maps: the extension host's own Error.prepareStackTrace ignores them; stack traces
    // point into this readable, unminified bundle instead.
    sourcemap: false,
    external: ['vscode', ...(options.external ?? [])],
    logLevel: 'warning',
    // Mocha's parallel mode (unused here) require.resolve()s its worker files; nothing to bundle.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}
