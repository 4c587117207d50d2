// azure.yaml and infra/ for a Functions MCP extension app (issue 14, point 3), rendered from
// templates/functions-mcp/ and the modules it shares with the self-hosted set (templates/shared/),
// in the form of the public samples https://github.com/Azure-Samples/remote-mcp-functions-typescript,
// remote-mcp-functions-python, remote-mcp-functions-dotnet and remote-mcp-functions-java.
import path from 'node:path';
import type { GeneratedFile } from '../hosting/generatedFile';
import { TEMPLATES_FOLDER, azdProjectName, checkedRuntimeVersion, renderTemplates } from './infraTemplates';

/**
 * - `systemKey`: the MCP extension's default: clients send the `mcp_extension` system key;
 * - `entra`: App Service built-in auth with protected resource metadata; VS Code signs in.
 */
export type FunctionsMcpAuth = 'systemKey' | 'entra';

export type FunctionsMcpLanguage = 'node' | 'python' | 'dotnet' | 'java';

export interface FunctionsMcpInfraOptions {
  language: FunctionsMcpLanguage;
  /** The project's name (package.json `name` or the folder's), which names the azd project and the app. */
  projectName: string;
  auth: FunctionsMcpAuth;
  /** Node projects: azure.yaml says `ts` (the default) or `js`. */
  typeScript?: boolean;
  /** The Flex Consumption runtime version; the language's default otherwise. */
  runtimeVersion?: string;
}

/** Where the templates sit inside the extension (the VSIX ships the folder: .vscodeignore). */
export const FUNCTIONS_MCP_TEMPLATES = path.join(TEMPLATES_FOLDER, 'functions-mcp');

export function functionsMcpTemplatesDir(extensionPath: string): string {
  return path.join(extensionPath, FUNCTIONS_MCP_TEMPLATES);
}

interface LanguageFacts {
  /** functionAppConfig.runtime.name (https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to). */
  runtimeName: string;
  /** The version the public samples deploy, when the project names none. */
  defaultVersion: string;
  /** How the user calls the runtime in a message. */
  runtime: string;
  /**
   * Node.js and Python are built in Azure (azd `remoteBuild`), as their samples deploy; .NET and Java
   * are built by azd on this machine with the tool named, as theirs do.
   */
  localBuildTool?: string;
}

export const FUNCTIONS_MCP_LANGUAGES: Record<FunctionsMcpLanguage, LanguageFacts> = {
  node: { runtimeName: 'node', defaultVersion: '22', runtime: 'Node.js' },
  python: { runtimeName: 'python', defaultVersion: '3.12', runtime: 'Python' },
  // Flex Consumption runs .NET apps in the isolated worker model only.
  dotnet: {
    runtimeName: 'dotnet-isolated',
    defaultVersion: '8.0',
    runtime: '.NET',
    localBuildTool: 'dotnet publish',
  },
  java: { runtimeName: 'java', defaultVersion: '17', runtime: 'Java', localBuildTool: 'mvn package' },
};

const KNOWN_FLAGS: readonly string[] = ['entra', 'systemKey', 'remoteBuild', 'localBuild'];

/** The deployment files for one app: azure.yaml and infra/, with `/`-separated relative paths. */
export async function functionsMcpInfraFiles(
  templatesDir: string,
  options: FunctionsMcpInfraOptions,
): Promise<GeneratedFile[]> {
  const facts = FUNCTIONS_MCP_LANGUAGES[options.language];
  const runtimeVersion = checkedRuntimeVersion(
    options.runtimeVersion?.trim() || facts.defaultVersion,
    facts.runtime,
    facts.defaultVersion,
  );
  return renderTemplates({
    templateSetDir: templatesDir,
    flags: [options.auth, facts.localBuildTool ? 'localBuild' : 'remoteBuild'],
    knownFlags: KNOWN_FLAGS,
    values: {
      projectName: azdProjectName(options.projectName),
      azdLanguage: azdLanguageOf(options),
      runtimeName: facts.runtimeName,
      runtimeVersion,
      localBuildTool: facts.localBuildTool ?? '',
    },
  });
}

/** azure.yaml's service `language` (https://learn.microsoft.com/azure/developer/azure-developer-cli/azd-schema). */
function azdLanguageOf(options: FunctionsMcpInfraOptions): string {
  if (options.language === 'node') return options.typeScript === false ? 'js' : 'ts';
  return options.language;
}
