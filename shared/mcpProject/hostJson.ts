// What a project's host.json says about MCP: the self-hosted (custom handler) settings, their older
// forms, and the MCP extension's settings. Shapes: https://learn.microsoft.com/azure/azure-functions/self-hosted-mcp-servers,
// https://learn.microsoft.com/azure/azure-functions/functions-custom-handlers and
// https://learn.microsoft.com/azure/azure-functions/functions-bindings-mcp.
import path from 'node:path';
import type { LegacyForm } from './mcpProject';
import { describeValue, isObject, property, type JsonObject, type ProblemList } from './projectFiles';

export const selfHostedProfile = 'mcp-custom-handler';

/** The custom handler's own command, as host.json describes it (relative paths not yet resolved). */
export interface CustomHandlerCommand {
  executable: string;
  args: string[];
  /** `description.workingDirectory`, when given and not empty. */
  workingDirectory?: string;
}

export interface HostJsonFacts {
  /** `configurationProfile: "mcp-custom-handler"`. */
  selfHostedProfile: boolean;
  hasCustomHandler: boolean;
  /** The legacy forms found in host.json itself (`mcp-handler/function.json` is another file). */
  legacyForms: LegacyForm[];
  /** undefined when host.json has none or it is not usable (a problem says why). */
  command?: CustomHandlerCommand;
  /** `description.defaultExecutablePath`, even when the arguments are unusable: it still tells the language. */
  program?: string;
  /** `customHandler.port`: undefined when absent, `'invalid'` when present but not a port (a problem says why). */
  port?: number | 'invalid';
  /** `customHandler.http.DefaultAuthorizationLevel`, lower-cased, when given. */
  defaultAuthorizationLevel?: string;
  /** `extensions.mcp` is configured. */
  mcpExtensionConfigured: boolean;
  /** `extensions.mcp.system.webhookAuthorizationLevel`, lower-cased, when given. */
  mcpWebhookAuthorizationLevel?: string;
}

/** Reads the facts; every unusable value it meets is added to `problems` (naming host.json and the fix). */
export function readHostJsonFacts(hostJson: JsonObject, file: string, problems: ProblemList): HostJsonFacts {
  const profile = property(hostJson, 'configurationProfile');
  const customHandler = property(hostJson, 'customHandler');
  const extensions = property(hostJson, 'extensions');
  const mcp = property(extensions, 'mcp');
  const facts: HostJsonFacts = {
    selfHostedProfile: typeof profile === 'string' && profile.toLowerCase() === selfHostedProfile,
    hasCustomHandler: isObject(customHandler),
    legacyForms: [],
    mcpExtensionConfigured: isObject(mcp),
  };
  if (property(customHandler, 'enableForwardingHttpRequest') === true)
    facts.legacyForms.push('enableForwardingHttpRequest');
  if (property(customHandler, 'enableProxyingHttpRequest') === true)
    facts.legacyForms.push('enableProxyingHttpRequest');
  if (property(property(extensions, 'http'), 'routePrefix') === '')
    facts.legacyForms.push('emptyRoutePrefix');

  const level = property(property(customHandler, 'http'), 'DefaultAuthorizationLevel');
  if (typeof level === 'string') facts.defaultAuthorizationLevel = level.toLowerCase();
  const webhookLevel = property(property(mcp, 'system'), 'webhookAuthorizationLevel');
  if (typeof webhookLevel === 'string') facts.mcpWebhookAuthorizationLevel = webhookLevel.toLowerCase();

  if (facts.hasCustomHandler) {
    facts.command = readCommand(customHandler, file, problems);
    const program = property(property(customHandler, 'description'), 'defaultExecutablePath');
    if (typeof program === 'string' && program.trim() !== '') facts.program = program;
    const port = property(customHandler, 'port');
    if (port !== undefined) facts.port = readPort(port, file, problems);
  }
  return facts;
}

function readCommand(
  customHandler: unknown,
  file: string,
  problems: ProblemList,
): CustomHandlerCommand | undefined {
  const name = path.basename(file);
  const description = property(customHandler, 'description');
  const executable = property(description, 'defaultExecutablePath');
  if (typeof executable !== 'string' || executable.trim() === '') {
    problems.add(
      file,
      `${name}: customHandler.description.defaultExecutablePath is ${executable === undefined ? 'missing' : describeValue(executable)}; ` +
        'it must name the program that starts your server. Set it to "node", "npm" or "python" (for example), ' +
        'with the script in "arguments".',
    );
    return undefined;
  }
  const args = property(description, 'arguments') ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    problems.add(
      file,
      `${name}: customHandler.description.arguments is ${describeValue(args)}, not an array of strings. ` +
        'Write it as a list of strings, for example ["dist/index.js"] or ["server.py"].',
    );
    return undefined;
  }
  const workingDirectory = property(description, 'workingDirectory');
  return {
    executable,
    args,
    ...(typeof workingDirectory === 'string' && workingDirectory.trim() !== '' ? { workingDirectory } : {}),
  };
}

/** A port is a whole number from 1 to 65535, written as a number or a string of digits ("3000"). */
function readPort(value: unknown, file: string, problems: ProblemList): number | 'invalid' {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const port = text !== undefined && /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (port >= 1 && port <= 65535) return port;
  problems.add(
    file,
    `${path.basename(file)}: customHandler.port is ${describeValue(value)}, which is not a port. ` +
      'Set it to the port your server listens on, a whole number from 1 to 65535, e.g. "3000" (Node) or "8000" (Python).',
  );
  return 'invalid';
}
