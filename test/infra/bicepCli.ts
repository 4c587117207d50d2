// The Bicep CLI that compiles infra/ in the tests, restored once from NuGet into the test toolchain
// cache (test/vscode/harness/toolchain.ts: `$REMOTE_MCP_TEST_CACHE`, else
// `${XDG_CACHE_HOME:-~/.cache}/remote-mcp-functions/vscode-tests`, here its `bicep/` folder), and the
// runs of it the tests make: build, lint and snapshot, each on a copy of infra/ in a temporary folder.
//
// NuGet serves the CLI as a runtime package, Azure.Bicep.CommandLine.<runtime id>, with the
// self-contained `bicep` binary under tools/ (https://www.nuget.org/packages/Azure.Bicep.CommandLine.linux-x64).
// A throwaway project fetches it with a PackageDownload item, which downloads a package without
// adding it to any build (https://learn.microsoft.com/nuget/consume-packages/packagedownload-functionality).
import { execFile, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Log } from '../vscode/harness/protocol';
import {
  ToolchainError,
  readMarker,
  run,
  toolchainCacheDir,
  withLock,
  writeMarker,
} from '../vscode/harness/toolchain';

export const BICEP_VERSION = '0.49.2';

const DOTNET_INSTALL_URL = 'https://learn.microsoft.com/dotnet/core/install/linux-debian';

/** The .NET SDK's version, or why the Bicep CLI cannot be restored on this machine. */
export function dotnetSdk(): { version: string } | { missing: string } {
  const probe = spawnSync('dotnet', ['--version'], { encoding: 'utf8', env: dotnetEnv() });
  const version = probe.stdout?.trim() ?? '';
  if (probe.error) {
    return {
      missing: `the .NET SDK (dotnet) is not on PATH; install it to compile the Bicep: ${DOTNET_INSTALL_URL}`,
    };
  }
  if (probe.status !== 0 || !/^\d+\.\d+\.\d+/.test(version)) {
    // dotnet without an SDK (a runtime alone) answers `--version` with an error.
    const said = `${probe.stdout ?? ''}${probe.stderr ?? ''}`.trim().split('\n')[0] ?? '';
    return {
      missing: `\`dotnet --version\` found no .NET SDK (${said}); install one to compile the Bicep: ${DOTNET_INSTALL_URL}`,
    };
  }
  return { version };
}

function dotnetEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' };
}

/** The NuGet package of the CLI for this machine, and the binary's name inside its tools/ folder. */
function bicepPackage(): { id: string; exe: string } {
  const system = { linux: 'linux', darwin: 'osx', win32: 'win' }[process.platform as string];
  if (!system || !['x64', 'arm64'].includes(process.arch)) {
    throw new ToolchainError(
      'pick the Bicep CLI package',
      'https://learn.microsoft.com/azure/azure-resource-manager/bicep/install',
      `NuGet has no Azure.Bicep.CommandLine package for ${process.platform}-${process.arch}`,
    );
  }
  return {
    id: `Azure.Bicep.CommandLine.${system}-${process.arch}`,
    exe: system === 'win' ? 'bicep.exe' : 'bicep',
  };
}

/**
 * Restores the Bicep CLI into the cache unless a complete restore is already there, and returns the
 * binary's path. Two test runs starting at once wait for each other (the cache's lock).
 */
export async function ensureBicep(log: Log, sdkVersion: string): Promise<string> {
  const cacheDir = toolchainCacheDir();
  const dir = path.join(cacheDir, 'bicep');
  const { id, exe } = bicepPackage();
  const spec = `${id}@${BICEP_VERSION}`;
  const bin = path.join(dir, 'packages', id.toLowerCase(), BICEP_VERSION, 'tools', exe);
  mkdirSync(cacheDir, { recursive: true });
  return withLock(cacheDir, log, async () => {
    if (readMarker(dir) === spec && existsSync(bin)) return bin;
    const started = Date.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // An empty Directory.Build.props stops MSBuild from importing one from a folder above the cache.
    writeFileSync(path.join(dir, 'Directory.Build.props'), '<Project />\n');
    writeFileSync(
      path.join(dir, 'bicep.csproj'),
      [
        '<Project Sdk="Microsoft.NET.Sdk">',
        '  <!-- Written by test/infra/bicepCli.ts to download the Bicep CLI; never built. -->',
        '  <PropertyGroup>',
        // Any framework this SDK targets without downloading anything: its own.
        `    <TargetFramework>net${sdkVersion.split('.')[0]}.0</TargetFramework>`,
        '    <RestorePackagesPath>$(MSBuildProjectDirectory)/packages</RestorePackagesPath>',
        '  </PropertyGroup>',
        '  <ItemGroup>',
        `    <PackageDownload Include="${id}" Version="[${BICEP_VERSION}]" />`,
        '  </ItemGroup>',
        '</Project>',
        '',
      ].join('\n'),
    );
    log(`[toolchain] restoring ${spec} from NuGet into ${dir} (about 20 s and 230 MB the first time)`);
    await run(log, `restore ${spec}`, 'dotnet', ['restore', 'bicep.csproj'], { cwd: dir, env: dotnetEnv() });
    if (!existsSync(bin)) {
      throw new ToolchainError(`restore ${spec}`, `ls ${bin}`, 'the package holds no bicep binary there');
    }
    chmodSync(bin, 0o755);
    const version = await bicep(bin, ['--version'], dir);
    if (!version.stdout.includes(`Bicep CLI version ${BICEP_VERSION} `)) {
      throw new ToolchainError(
        'check the Bicep CLI',
        `${bin} --version`,
        `it answered: ${(version.stdout + version.stderr).trim().slice(-500)}`,
      );
    }
    writeMarker(dir, spec);
    log(`[toolchain] ${spec} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return bin;
  });
}

export interface BicepRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to the end, whatever its exit code: the tests read its diagnostics either way. */
export function bicep(bin: string, args: string[], cwd: string): Promise<BicepRun> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
        if (code === undefined) reject(error ?? new Error(`bicep ${args.join(' ')} did not finish`));
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface Diagnostic {
  /** Path relative to infra/, with forward slashes. */
  file: string;
  line: number;
  column: number;
  level: 'Error' | 'Warning' | 'Info';
  /** BCPnnn for the compiler, the rule name for the linter. */
  code: string;
  message: string;
}

// The CLI's default diagnostics format: `<path>(<line>,<column>) : <Level> <code>: <message>`.
const DIAGNOSTIC = /^(.+)\((\d+),(\d+)\) : (Error|Warning|Info) ([\w-]+): (.*)$/;

/** Diagnostics of a run (each once: a file's diagnostics recur when other files reach it), and any other output. */
export function diagnosticsOf(
  result: BicepRun,
  infraRoot: string,
): { diagnostics: Diagnostic[]; other: string[] } {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const other: string[] = [];
  for (const line of `${result.stdout}\n${result.stderr}`.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const m = DIAGNOSTIC.exec(line);
    if (!m) {
      other.push(line);
      continue;
    }
    const file = path
      .relative(infraRoot, m[1] ?? '')
      .split(path.sep)
      .join('/');
    const key = `${file}(${m[2]},${m[3]}) ${m[5]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({
      file,
      line: Number(m[2]),
      column: Number(m[3]),
      level: m[4] as Diagnostic['level'],
      code: m[5] ?? '',
      message: m[6] ?? '',
    });
  }
  return { diagnostics, other };
}

export const formatDiagnostic = (d: Diagnostic) =>
  `infra/${d.file}(${d.line},${d.column}) ${d.level} ${d.code}: ${d.message}`;

// ---------------------------------------------------------------------------------------------
// The Microsoft Graph extension.

export const GRAPH_MODULE = 'app/entra.bicep';

/**
 * entra.bicep with its Microsoft Graph resources declared as untyped objects (`var x = any({...})`),
 * line for line, so the compiler checks everything in it but the Graph resource types, which come
 * from an OCI artifact (bicepconfig.json's `microsoftGraphV1`) that cannot be restored offline.
 * The parameters, variables, outputs and every expression stay as written, so main.bicep's use of
 * the module is checked against the module's real declarations. Throws on a Graph declaration it
 * does not know how to rewrite, rather than compile something else.
 */
export function withUntypedGraphResources(source: string): { text: string; symbols: string[] } {
  const symbols: string[] = [];
  let open: string | undefined;
  const lines = source.split('\n').map((line) => {
    if (/^extension microsoftGraphV1\s*$/.test(line)) return `// ${line}`;
    const resource = /^resource (\w+) 'Microsoft\.Graph\/[^']+' = \{\s*$/.exec(line);
    if (resource?.[1]) {
      if (open) throw new Error(`${GRAPH_MODULE}: resource ${open} is not closed by a "}" line`);
      open = resource[1];
      symbols.push(open);
      return `var ${open} = any({`;
    }
    // `bicep format` puts a top-level declaration's closing brace alone at the start of a line.
    if (open && /^\}\s*$/.test(line)) {
      open = undefined;
      return '})';
    }
    return line;
  });
  const text = lines.join('\n');
  if (open || /'Microsoft\.Graph\//.test(text) || /^\s*extension\s/m.test(text)) {
    throw new Error(`${GRAPH_MODULE}: a Microsoft Graph declaration this rewrite does not know`);
  }
  return { text, symbols };
}

// ---------------------------------------------------------------------------------------------
// Compiling infra/.

export interface ArmTemplate {
  parameters?: Record<string, { type: string; defaultValue?: unknown; nullable?: boolean }>;
  variables?: Record<string, unknown>;
  resources: Record<string, ArmResource> | ArmResource[];
  outputs?: Record<string, { type: string; value: unknown }>;
  metadata?: { _generator?: { templateHash?: string } };
}

export interface ArmResource {
  type: string;
  condition?: unknown;
  name?: unknown;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CompiledInfra {
  bin: string;
  /** The temporary folder holding the copy and the build output; remove it when done. */
  work: string;
  /** The copy of infra/ that was compiled: nothing outside it can be reached. */
  root: string;
  /** Every .bicep file of infra/, relative to it. */
  files: string[];
  /** What `bicep build` wrote for each file. */
  templates: Map<string, ArmTemplate>;
  build: { code: number; diagnostics: Diagnostic[]; other: string[] };
  lint: { code: number; diagnostics: Diagnostic[]; other: string[] };
  /** How entra.bicep was compiled: for real, or with untyped Graph resources and why. */
  graph: { typed: true } | { typed: false; reason: string; symbols: string[] };
}

/** The .bicep files under `dir`, relative to it, sorted. */
export function bicepFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      if (entry.isDirectory()) return bicepFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      return entry.name.endsWith('.bicep') ? [`${prefix}${entry.name}`] : [];
    });
}

/**
 * Copies `infraDir` to a temporary folder and runs `bicep build` and `bicep lint` on every file
 * there. Nothing is restored from a registry (`--no-restore`): the Graph extension is used only
 * if Bicep's local cache already holds it, and otherwise entra.bicep is compiled as
 * {@link withUntypedGraphResources} describes.
 */
export async function compileInfra(bin: string, infraDir: string): Promise<CompiledInfra> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-bicep-'));
  const root = path.join(work, 'infra');
  cpSync(infraDir, root, { recursive: true });
  const files = bicepFiles(root);

  let graph: CompiledInfra['graph'] = { typed: true };
  // A template without Microsoft Graph resources (a self-hosted project with function keys) has no entra.bicep.
  const entra = existsSync(path.join(root, GRAPH_MODULE))
    ? await bicep(bin, ['build', GRAPH_MODULE, '--no-restore', '--stdout'], root)
    : { code: 0, stdout: '', stderr: '' };
  const notRestored = diagnosticsOf(entra, root).diagnostics.find(
    (d) => d.file === GRAPH_MODULE && d.code === 'BCP190',
  );
  if (entra.code !== 0 && notRestored) {
    const file = path.join(root, GRAPH_MODULE);
    const { text, symbols } = withUntypedGraphResources(readFileSync(file, 'utf8'));
    writeFileSync(file, text);
    graph = {
      typed: false,
      symbols,
      reason:
        'the Microsoft Graph Bicep extension (microsoftGraphV1 in infra/bicepconfig.json) is an OCI artifact ' +
        'that cannot be restored offline, so its resources in infra/app/entra.bicep were compiled as untyped ' +
        'objects; the static checks in test/infra/infra.unit.test.ts cover them. To compile them for real, run ' +
        '`bicep restore infra/app/entra.bicep` once with internet access.',
    };
  }

  const out = path.join(work, 'out');
  const [built, linted] = await Promise.all([
    bicep(bin, ['build', '--pattern', '**/*.bicep', '--no-restore', '--outdir', out], root),
    bicep(bin, ['lint', '--pattern', '**/*.bicep', '--no-restore'], root),
  ]);
  const templates = new Map<string, ArmTemplate>();
  for (const file of files) {
    const json = path.join(out, file.replace(/\.bicep$/, '.json'));
    if (existsSync(json)) templates.set(file, JSON.parse(readFileSync(json, 'utf8')) as ArmTemplate);
  }
  const withoutStubNoise = (result: { diagnostics: Diagnostic[]; other: string[] }) => ({
    ...result,
    // A resource nothing refers to is normal; the variable standing in for one is "unused".
    diagnostics: result.diagnostics.filter(
      (d) =>
        graph.typed ||
        !(
          d.file === GRAPH_MODULE &&
          d.code === 'no-unused-vars' &&
          graph.symbols.some((s) => d.message.includes(`"${s}"`))
        ),
    ),
  });
  return {
    bin,
    work,
    root,
    files,
    templates,
    build: { code: built.code, ...withoutStubNoise(diagnosticsOf(built, root)) },
    lint: { code: linted.code, ...withoutStubNoise(diagnosticsOf(linted, root)) },
    graph,
  };
}

// ---------------------------------------------------------------------------------------------
// Snapshots: what a deployment would create, evaluated offline by the CLI from a .bicepparam file.

export interface Snapshot {
  predictedResources: ArmResource[];
  outputs: Record<string, unknown>;
  diagnostics: unknown[];
}

export interface DeploymentScope {
  tenantId: string;
  subscriptionId: string;
  location: string;
  resourceGroup?: string;
}

type BicepValue = string | number | boolean | BicepValue[] | { [key: string]: BicepValue };

/** A Bicep literal: strings single-quoted with `\`, `'` and `${` escaped. */
function bicepLiteral(value: BicepValue, indent = ''): string {
  if (typeof value === 'string')
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}'`;
  if (typeof value !== 'object') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return `[\n${value.map((v) => inner + bicepLiteral(v, inner)).join('\n')}\n${indent}]`;
  const entries = Object.entries(value).map(
    ([k, v]) => `${inner}${bicepLiteral(k)}: ${bicepLiteral(v, inner)}`,
  );
  return `{\n${entries.join('\n')}\n${indent}}`;
}

/**
 * `bicep snapshot` of `template` (relative to the compiled copy) with these parameter values:
 * every resource the deployment would create, nested modules included, with the values known
 * before deployment filled in (names, ids, settings) and the rest left as ARM expressions.
 */
export async function snapshot(
  compiled: CompiledInfra,
  name: string,
  template: string,
  params: Record<string, BicepValue>,
  scope: DeploymentScope,
): Promise<Snapshot> {
  const paramFile = `${name}.bicepparam`;
  writeFileSync(
    path.join(compiled.root, paramFile),
    [
      `using './${template}'`,
      ...Object.entries(params).map(([key, value]) => `param ${key} = ${bicepLiteral(value)}`),
      '',
    ].join('\n'),
  );
  const args = ['snapshot', paramFile, '--mode', 'overwrite', '--tenant-id', scope.tenantId];
  args.push('--subscription-id', scope.subscriptionId, '--location', scope.location);
  if (scope.resourceGroup) args.push('--resource-group', scope.resourceGroup);
  const result = await bicep(compiled.bin, args, compiled.root);
  const output = path.join(compiled.root, `${name}.snapshot.json`);
  if (result.code !== 0 || !existsSync(output)) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`bicep ${args.join(' ')} failed (exit ${result.code}):\n${tail}`);
  }
  return JSON.parse(readFileSync(output, 'utf8')) as Snapshot;
}
