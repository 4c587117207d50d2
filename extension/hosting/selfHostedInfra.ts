// azure.yaml and infra/ for a self-hosted MCP server, rendered from the templates the extension ships.
import type { GeneratedFile } from './generatedFile';

export interface SelfHostedInfraOptions {
  language: 'node' | 'python';
  /** The project's name (package.json `name` or the folder's), which names the azd project and service. */
  projectName: string;
  /** Entra built-in auth with protected resource metadata (the default), or function keys. */
  auth: 'entra' | 'functionKey';
}

/** The deployment files for one project. Placeholder until the templates land (issue 13). */
export function selfHostedInfraFiles(
  templatesDir: string,
  options: SelfHostedInfraOptions,
): Promise<GeneratedFile[]> {
  return Promise.reject(
    new Error(`The self-hosted templates (${templatesDir}) for ${options.language} are not built yet.`),
  );
}
