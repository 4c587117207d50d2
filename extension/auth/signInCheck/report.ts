// The check's steps as the user reads them: a Markdown report, and lines for the output channel.
// No MCP SDK here: the command renders the report in the activation bundle.
import type { SignInStep, SignInStepStatus } from './model';
import { code, redact } from './text';

const icons: Record<SignInStepStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭' };

/** One line per step, plus its fix, for an output channel. */
export function signInReportLines(steps: readonly SignInStep[]): string[] {
  return steps.flatMap((step) => [
    `${icons[step.status]} ${step.title}: ${step.detail}`,
    ...(step.fix ? [`   Fix: ${step.fix}`] : []),
  ]);
}

/**
 * A Markdown report: a title, a summary, every step with its icon and detail, and the fixes.
 * `appEndpoint`: the MCP URL is an API Management gateway in front of that app endpoint.
 */
export function renderSignInReport(
  mcpUrl: string,
  steps: readonly SignInStep[],
  options: { appEndpoint?: string } = {},
): string {
  const count = (status: SignInStepStatus) => steps.filter((step) => step.status === status).length;
  const failed = count('fail');
  const warned = count('warn');
  const summary =
    failed === 0 && warned === 0
      ? 'Everything VS Code needs to sign in is in place.'
      : `${failed} failed, ${plural(warned, 'warning')}: see the fixes below.`;
  const lines = [
    '# Remote MCP: sign-in check',
    '',
    `MCP URL: ${code(mcpUrl)}${options.appEndpoint ? ` (the API Management gateway in front of ${code(options.appEndpoint)})` : ''}`,
    '',
    `**${summary}** (${count('pass')} passed, ${failed} failed, ${plural(warned, 'warning')}, ${count('skip')} skipped)`,
    '',
    ...steps.flatMap((step, index) => [
      `${index + 1}. ${icons[step.status]} **${markdownText(step.title)}**: ${markdownText(step.detail)}`,
      // Four spaces nest the fix under items 10 and up too.
      ...(step.fix ? [`    - **Fix:** ${markdownText(step.fix)}`] : []),
    ]),
    '',
  ];
  return redact(lines.join('\n'), undefined);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** One line, and `<placeholders>` outside code spans escaped so Markdown does not take them for HTML. */
function markdownText(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '&lt;')))
    .join('');
}
