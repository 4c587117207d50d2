// Which distributions a Python project requires, read from requirements.txt and pyproject.toml,
// well enough to tell whether it names the MCP SDK (`mcp`) or FastMCP (`fastmcp`). Names follow
// PEP 508 and compare after PEP 503 normalisation, so `MCP`, `mcp[cli]>=1.2` and `mcp ; python_version>"3.9"`
// all name `mcp`, and `mcp-utils` does not (https://peps.python.org/pep-0508/,
// https://packaging.python.org/en/latest/specifications/name-normalization/).
// No TOML parser is a dependency here; the tables that list dependencies are few and regular, so a
// line scanner over them is enough for this question (it never needs the values).

/** The distributions that make a Python project an MCP server. */
export const pythonMcpDistributions = ['mcp', 'fastmcp'] as const;

/** `Foo.Bar_baz` → `foo-bar-baz`. */
export function normalizeDistributionName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The distribution a PEP 508 requirement names (`mcp[cli]>=1.2` → `mcp`), or undefined for anything else. */
export function requirementName(requirement: string): string | undefined {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:$|[[(<>=!~;@\s,])/.exec(requirement);
  return match?.[1] === undefined ? undefined : normalizeDistributionName(match[1]);
}

/** The distributions a requirements.txt names: options (`-r`, `-e`, `--index-url`), URLs and comments left out. */
export function requirementsTxtNames(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || line.startsWith('-') || /^[a-z+]+:\/\//i.test(line)) continue;
    const name = requirementName(line);
    if (name !== undefined) names.push(name);
  }
  return names;
}

/**
 * The distributions a pyproject.toml names as requirements: PEP 621 `[project] dependencies` and
 * `[project.optional-dependencies]`, PEP 735 `[dependency-groups]`, and Poetry's
 * `[tool.poetry.dependencies]` / `[tool.poetry.group.<name>.dependencies]` keys.
 */
export function pyprojectNames(text: string): string[] {
  const names: string[] = [];
  let table = '';
  let inArray = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripTomlComment(raw).trim();
    if (inArray) {
      names.push(...quotedRequirements(line));
      if (line.includes(']')) inArray = false;
      continue;
    }
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header?.[1] !== undefined) {
      table = header[1].replace(/\s+/g, '').replace(/"/g, '');
      continue;
    }
    const assignment = /^("?[A-Za-z0-9._-]+"?)\s*=\s*(.*)$/.exec(line);
    if (!assignment?.[1] || assignment[2] === undefined) continue;
    const key = assignment[1].replace(/"/g, '');
    const value = assignment[2];
    const listsRequirements =
      (table === 'project' && key === 'dependencies') ||
      table === 'project.optional-dependencies' ||
      table === 'dependency-groups';
    if (listsRequirements && value.startsWith('[')) {
      names.push(...quotedRequirements(value));
      inArray = !value.includes(']');
    } else if (/^tool\.poetry(\.group\.[^.]+)?\.(dev-)?dependencies$/.test(table) && key !== 'python') {
      names.push(normalizeDistributionName(key));
    }
  }
  return names;
}

/** Whether the names include the MCP SDK or FastMCP. */
export function namesPythonMcp(names: readonly string[]): boolean {
  return names.some((name) => (pythonMcpDistributions as readonly string[]).includes(name));
}

function quotedRequirements(line: string): string[] {
  const names: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'/g)) {
    const name = requirementName(match[1] ?? match[2] ?? '');
    if (name !== undefined) names.push(name);
  }
  return names;
}

/** A `#` outside a string starts a comment. */
function stripTomlComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#') return line.slice(0, index);
  }
  return line;
}
