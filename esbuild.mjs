// Builds every bundle in parallel: the VS Code extension, the Functions app that azd deploys,
// the embedded MCP host, and the `npm start` runner.
//   node esbuild.mjs [--only=extension,server,start] [--production] [--watch]
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Paths below are relative to the repository root; azd runs `npm run build` from server/.
process.chdir(dirname(fileURLToPath(import.meta.url)));

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  keepNames: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {Record<string, import('esbuild').BuildOptions[]>} */
const groups = {
  extension: [
    {
      entryPoints: ['extension/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      // jsonc-parser's `main` is a UMD build whose internal requires esbuild cannot follow.
      mainFields: ['module', 'main'],
      metafile: true,
    },
    {
      // The MCP SDK client: the probe and the sign-in check, loaded on first use
      // (extension/probe/loadProbe.ts), not at activation.
      entryPoints: ['extension/mcpClientBundle.ts'],
      outfile: 'dist/mcpClient.js',
    },
    {
      // The Azure SDK (ARM, credentials), loaded on first use (extension/azure/loadAzure.ts).
      entryPoints: ['extension/azure/azureBundle.ts'],
      outfile: 'dist/azure.js',
    },
  ],
  server: [
    {
      // The Functions worker provides @azure/functions-core at run time.
      entryPoints: ['server/src/hosts/functions/main.ts'],
      outfile: 'server/dist/functions.js',
      external: ['@azure/functions-core'],
    },
    {
      entryPoints: ['server/src/hosts/embedded/main.ts'],
      outfile: 'server/dist/embedded.js',
    },
    {
      // Serves a user's Functions MCP app: their own @azure/functions, our @azure/functions-core.
      entryPoints: ['server/src/hosts/functionsApp/main.ts'],
      outfile: 'server/dist/functionsApp.js',
    },
  ],
  test: [
    {
      // The fake `func` the tests run (test/fakes/func/func is its launcher).
      entryPoints: ['test/fakes/func/fakeFunc.ts'],
      outfile: 'dist/test/fakeFunc.js',
    },
    {
      // The fake `azd` the tests run (test/fakes/azd/azd is its launcher).
      entryPoints: ['test/fakes/azd/fakeAzd.ts'],
      outfile: 'dist/test/fakeAzd.js',
    },
  ],
  start: [
    {
      // A developer tool run from the repository: its dependencies stay in node_modules.
      entryPoints: ['server/dev/start.ts'],
      outfile: 'dist/dev/start.js',
      packages: 'external',
    },
  ],
};

const selected = Object.entries(groups)
  .filter(([name]) => !only || only.includes(name))
  .flatMap(([, builds]) => builds)
  .filter((build) => /** @type {string[]} */ (build.entryPoints).every((entry) => existsSync(entry)));

const contexts = await Promise.all(selected.map((build) => esbuild.context({ ...common, ...build })));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log(`esbuild: watching ${contexts.length} bundles`);
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
