// What `func start` needs beside Core Tools to run a Functions app of each worker runtime, so a
// message can name every install at once (https://learn.microsoft.com/azure/azure-functions/functions-run-local).
import type { McpProjectLanguage } from '../mcpProject/mcpProject';

export interface LanguageRuntime {
  /** How the language is named in messages. */
  language: string;
  /** The runtime to install, as its download page names it. */
  name: string;
  /** Any of these on PATH means the runtime is installed. */
  commands: string[];
  installUrl: string;
}

export function languageRuntime(
  language: McpProjectLanguage,
  platform: NodeJS.Platform = process.platform,
): LanguageRuntime | undefined {
  switch (language) {
    case 'python':
      return {
        language: 'Python',
        name: 'Python',
        commands: platform === 'win32' ? ['python', 'py'] : ['python3', 'python'],
        installUrl: 'https://www.python.org/downloads/',
      };
    case 'dotnet':
      return {
        language: '.NET',
        name: 'the .NET SDK',
        commands: ['dotnet'],
        installUrl: 'https://dotnet.microsoft.com/download',
      };
    case 'java':
      return {
        language: 'Java',
        name: 'a Java JDK',
        commands: ['java'],
        installUrl: 'https://learn.microsoft.com/java/openjdk/download',
      };
    case 'powershell':
      return {
        language: 'PowerShell',
        name: 'PowerShell 7',
        commands: ['pwsh'],
        installUrl: 'https://learn.microsoft.com/powershell/scripting/install/installing-powershell',
      };
    case 'node':
      return {
        language: 'Node.js',
        name: 'Node.js',
        commands: ['node'],
        installUrl: 'https://nodejs.org',
      };
    default:
      return undefined;
  }
}

/** The runtime to install beside Core Tools, when none of its commands is found. */
export function missingRuntime(
  language: McpProjectLanguage,
  hasCommand: (name: string) => boolean,
): LanguageRuntime | undefined {
  const runtime = languageRuntime(language);
  return runtime && !runtime.commands.some(hasCommand) ? runtime : undefined;
}
