// What "Host on Azure Functions…" asks the user: how clients authenticate, and only when the code
// does not say, the server's port or entry file.
import path from 'node:path';
import type { UserInterface } from '../common/ui';
import { defaultSelfHostedPort, type McpCandidate } from '../project/mcpProject';
import { authorizationLevel, type HostingAuth } from './hostingFiles';
import { toPosix, type ServerEntry } from './serverEntry';
import { validPort } from './serverSource';

export function authDescription(auth: HostingAuth): string {
  return auth === 'entra'
    ? 'clients sign in with Microsoft Entra'
    : `clients send the default function key; DefaultAuthorizationLevel "${authorizationLevel(auth)}"`;
}

export async function askAuth(ui: UserInterface): Promise<HostingAuth> {
  return ui.pick('Host on Azure Functions: how do clients authenticate?', [
    {
      label: 'Microsoft Entra sign-in',
      description: 'recommended',
      detail:
        'Built-in auth with protected resource metadata: VS Code and other MCP clients sign in; no key to share.',
      value: 'entra' as const,
    },
    {
      label: 'Function key',
      detail: "Clients send the app's default function key in the x-functions-key header.",
      value: 'functionKey' as const,
    },
  ]);
}

export async function askPort(
  ui: UserInterface,
  server: { name: string; language: 'node' | 'python' },
): Promise<number> {
  const fallback = defaultSelfHostedPort[server.language] ?? 3000;
  const answer = await ui.input(`Host on Azure Functions: which port does ${server.name} listen on?`, {
    prompt: `The port could not be read from the code (it looked for PORT, FUNCTIONS_CUSTOMHANDLER_PORT and a listen port). host.json tells Functions this port.`,
    value: String(fallback),
    validate: (value) =>
      validPort(Number(value.trim())) && /^\d+$/.test(value.trim())
        ? undefined
        : 'A port is a whole number from 1 to 65535.',
  });
  return Number(answer.trim());
}

export async function askEntry(ui: UserInterface, candidate: McpCandidate): Promise<ServerEntry> {
  const hint =
    candidate.language === 'node'
      ? 'package.json has no "main", no "start" script running node <file>, and no "bin"'
      : 'no .py file creates FastMCP( or Server( or calls mcp.run( / uvicorn.run(';
  const answer = await ui.input(`Host on Azure Functions: which file starts ${candidate.name}?`, {
    prompt: `The entry could not be found (${hint}). Give its path relative to ${candidate.folder}; host.json runs it.`,
    placeholder: candidate.language === 'node' ? 'dist/index.js' : 'server.py',
    validate: (value) => {
      const file = value.trim();
      if (file === '') return 'Give the file that starts the server.';
      if (path.isAbsolute(file) || toPosix(path.normalize(file)).startsWith('..'))
        return 'Give a path inside the project folder, relative to it.';
      return undefined;
    },
  });
  const entry = toPosix(path.normalize(answer.trim()));
  return { language: candidate.language, entry, foundIn: 'your answer', sources: [entry] };
}
