// azure.yaml and infra/ for a self-hosted MCP server, rendered from the templates the extension ships
// in templates/self-hosted/ (and the modules it shares with the Functions MCP app templates,
// templates/shared/) by the one template renderer, extension/deploymentFiles/infraTemplates.ts.
// The language and names fill placeholders; the auth mode keeps its `// #if entra|functionKey` blocks.
import path from 'node:path';
import {
  TEMPLATES_FOLDER,
  azdProjectName,
  checkedRuntimeVersion,
  renderTemplates,
} from '../deploymentFiles/infraTemplates';
import type { GeneratedFile } from './generatedFile';

export { azdProjectName };

export type SelfHostedAuth = 'entra' | 'functionKey';

export interface SelfHostedInfraOptions {
  language: 'node' | 'python';
  /** The project's name (package.json `name` or the folder's), which names the azd project and service. */
  projectName: string;
  /** Entra built-in auth with protected resource metadata (the default), or function keys. */
  auth: SelfHostedAuth;
  /** Node projects: azure.yaml says `ts` (the default, as the public Node sample does) or `js`. */
  typeScript?: boolean;
  /** The Flex Consumption runtime version; the language's default otherwise. */
  runtimeVersion?: string;
}

/** Where the templates sit inside the extension (the VSIX ships the folder: .vscodeignore). */
export const SELF_HOSTED_TEMPLATES = path.join(TEMPLATES_FOLDER, 'self-hosted');

/** The template folder of the installed extension: the `templatesDir` for {@link selfHostedInfraFiles}. */
export function selfHostedTemplatesDir(extensionPath: string): string {
  return path.join(extensionPath, SELF_HOSTED_TEMPLATES);
}

/**
 * The Flex Consumption runtime version when none is given: what the public samples deploy. The
 * versions a region offers change over time: `az functionapp list-flexconsumption-runtimes`
 * (https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to).
 */
export const DEFAULT_RUNTIME_VERSION: Record<SelfHostedInfraOptions['language'], string> = {
  node: '22',
  python: '3.12',
};

const AUTH_MODES: readonly SelfHostedAuth[] = ['entra', 'functionKey'];

/** The deployment files for one project: azure.yaml and infra/, with `/`-separated relative paths. */
export async function selfHostedInfraFiles(
  templatesDir: string,
  options: SelfHostedInfraOptions,
): Promise<GeneratedFile[]> {
  const runtimeVersion = checkedRuntimeVersion(
    options.runtimeVersion?.trim() || DEFAULT_RUNTIME_VERSION[options.language],
    options.language,
    DEFAULT_RUNTIME_VERSION[options.language],
  );
  const azdLanguage = options.language === 'python' ? 'python' : options.typeScript === false ? 'js' : 'ts';
  return renderTemplates({
    templateSetDir: templatesDir,
    flags: [options.auth],
    knownFlags: AUTH_MODES,
    values: {
      projectName: azdProjectName(options.projectName),
      azdLanguage,
      runtimeName: options.language,
      runtimeVersion,
    },
  });
}
