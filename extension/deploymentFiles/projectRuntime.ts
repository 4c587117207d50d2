// What a Functions MCP app's own files say about how Azure must run it: TypeScript or JavaScript, and
// the runtime version its build targets, so the deployment files match the app without asking.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FunctionsMcpLanguage } from './functionsMcpInfra';

export interface ProjectRuntime {
  /** Node apps: compiled from TypeScript (a tsconfig.json beside package.json). */
  typeScript?: boolean;
  /** The version the build targets, when a file names it; the language's default otherwise. */
  runtimeVersion?: string;
  /** Where the version was read, for the closing message. */
  versionFrom?: string;
}

export async function readProjectRuntime(
  folder: string,
  language: FunctionsMcpLanguage,
): Promise<ProjectRuntime> {
  switch (language) {
    case 'node':
      return { typeScript: existsSync(path.join(folder, 'tsconfig.json')) };
    case 'dotnet':
      return dotnetTarget(folder);
    case 'java':
      return javaTarget(folder);
    case 'python':
      return {};
  }
}

/** `<TargetFramework>net8.0</TargetFramework>` in the project file: Flex Consumption's `dotnet-isolated` `8.0`. */
async function dotnetTarget(folder: string): Promise<ProjectRuntime> {
  const projectFile = (await readdir(folder).catch(() => [] as string[])).find((name) =>
    name.endsWith('.csproj'),
  );
  if (!projectFile) return {};
  const text = await readFile(path.join(folder, projectFile), 'utf8').catch(() => '');
  const version = /<TargetFramework>\s*net(\d+\.\d+)\s*<\/TargetFramework>/.exec(text)?.[1];
  return version ? { runtimeVersion: version, versionFrom: projectFile } : {};
}

/**
 * pom.xml's `<java.version>`, the property the Azure Functions Maven archetype sets and passes to the
 * azure-functions-maven-plugin's runtime (https://github.com/microsoft/azure-maven-plugins,
 * azure-functions-maven-plugin: `runtime.javaVersion`). `1.8`-style values are left to the default.
 */
async function javaTarget(folder: string): Promise<ProjectRuntime> {
  const text = await readFile(path.join(folder, 'pom.xml'), 'utf8').catch(() => '');
  const version = /<java\.version>\s*(\d+)\s*<\/java\.version>/.exec(text)?.[1];
  return version ? { runtimeVersion: version, versionFrom: 'pom.xml' } : {};
}
