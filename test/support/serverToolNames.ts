// What the tests expect the bundled catalogue to hold, spelled out once (never read from the
// catalogue itself, so a renamed or dropped tool fails the tests that use this list).

/**
 * The server's tools, by the seed samples' names; VS Code lists each as an MCP tool whose name
 * ends in `_<name>`, lower-cased.
 */
export const serverToolNames = [
  'hello_mcp',
  'save_snippet',
  'get_snippet',
  'list_snippets',
  'get_weather',
  'analyze_invoice',
  'GetServerMetadata',
  'GetSqlMetadata',
  'GetPatchingLevel',
  'GetSqlBpAssessment',
  'GetAnomalies',
] as const;
