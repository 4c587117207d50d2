// What the harness (Node, outside VS Code) and the in-host helper (bundled into the suite) agree on.
// Kept free of imports so either side can use it without pulling in the other's dependencies.

/** Where the in-host helper writes its {@link SuiteResults} JSON. */
export const RESULTS_ENV = 'REMOTE_MCP_TEST_RESULTS';

/** Set to "1" when the harness will take screenshots on request; otherwise requests return at once. */
export const SCREENSHOTS_ENV = 'REMOTE_MCP_TEST_SCREENSHOTS';

/**
 * A console line starting with this asks the harness for a screenshot:
 * `<marker> <id> <label>`. The harness answers by creating `${results}.<id>.done`.
 */
export const SCREENSHOT_MARKER = '[remote-mcp-harness:screenshot]';

/** The label of the screenshot taken when the suite has finished, saved at `screenshotPath` itself. */
export const FINAL_SCREENSHOT = 'final';

export interface SuiteFailure {
  title: string;
  message: string;
}

export interface SuiteResults {
  passed: number;
  failed: number;
  failures: SuiteFailure[];
}

/** Where the harness acknowledges screenshot request `id`. */
export function screenshotAckPath(resultsPath: string, id: string): string {
  return `${resultsPath}.${id}.done`;
}

export type Log = (line: string) => void;
