import type { ToolDependencies } from '../../server/src/toolDependencies';
import type { ToolLogger } from '../../server/src/toolkit/toolLogger';

/** A logger that keeps what tools logged, so tests can assert on it (and that secrets stay out). */
export function recordingLogger(): ToolLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (message) => lines.push(`warn: ${message}`),
    error: (message) => lines.push(`error: ${message}`),
  };
}

/** Dependencies whose parts a test does not use fail loudly if a tool touches them. */
export function testDependencies(parts: Partial<ToolDependencies>): ToolDependencies {
  const unused = (name: string) =>
    new Proxy(
      {},
      {
        get: () => {
          throw new Error(`This test did not expect the tool to use ${name}.`);
        },
      },
    );
  return {
    snippets: parts.snippets ?? (unused('snippet storage') as ToolDependencies['snippets']),
    weather: parts.weather ?? (unused('weather settings') as ToolDependencies['weather']),
    invoices: parts.invoices ?? (unused('invoice settings') as ToolDependencies['invoices']),
    azureAnalysis: parts.azureAnalysis ?? (unused('Azure analysis') as ToolDependencies['azureAnalysis']),
    log: parts.log ?? recordingLogger(),
  };
}
