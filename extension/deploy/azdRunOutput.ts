// The output of the long azd runs (`azd up`, `azd deploy`, `azd provision`): did it succeed, where
// is the endpoint, and which remedy fits a failure (azdRemedies.ts).
import { stripVTControlCharacters } from 'node:util';
import { remedyFor, type AzdRemedy } from './azdRemedies';

export interface AzdOutcome {
  succeeded: boolean;
  /** The deployed service's endpoint, from azd's `- Endpoint: <url>` line. */
  endpoint?: string;
  /** azd's last `ERROR: …` line, without the `ERROR: ` prefix; absent when it succeeded. */
  errorLine?: string;
  remedy?: AzdRemedy;
}

/**
 * Reads the output of `azd up` / `azd deploy` / `azd provision` (stdout and stderr lines, in any
 * colour): it succeeded when the last `SUCCESS:`/`ERROR:` line is a SUCCESS; the endpoint is the last
 * `- Endpoint:`; known failures get a remedy.
 */
export function interpretAzdOutput(lines: readonly string[]): AzdOutcome {
  // A line a terminal would have redrawn (spinner updates end in \r) shows its last state.
  const clean = lines.flatMap((line) =>
    stripVTControlCharacters(line)
      .split('\n')
      .map((part) => part.split('\r').filter(Boolean).pop() ?? ''),
  );
  let endpoint: string | undefined;
  let verdict: { succeeded: boolean; line: string } | undefined;
  for (const line of clean) {
    const found = /-\s+Endpoint:\s+<?(\S+?)>?$/.exec(line.trim());
    if (found) endpoint = found[1];
    const result = /^\s*(SUCCESS|ERROR):\s*(.*)$/.exec(line);
    if (result) verdict = { succeeded: result[1] === 'SUCCESS', line: result[2]!.trim() };
  }
  const succeeded = verdict?.succeeded === true;
  const outcome: AzdOutcome = { succeeded };
  if (endpoint) outcome.endpoint = endpoint;
  if (succeeded) return outcome;
  if (verdict) outcome.errorLine = verdict.line;
  const remedy = remedyFor(clean.join('\n'));
  if (remedy) outcome.remedy = remedy;
  return outcome;
}
