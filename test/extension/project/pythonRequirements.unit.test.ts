// Which distributions a Python project requires (extension/project/pythonRequirements.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  namesPythonMcp,
  pyprojectNames,
  requirementName,
  requirementsTxtNames,
} from '../../../extension/project/pythonRequirements';

test('a requirement names its distribution, without extras, versions, markers or URLs', () => {
  const cases: [string, string | undefined][] = [
    ['mcp', 'mcp'],
    ['mcp[cli]>=1.2', 'mcp'],
    ['MCP ~= 1.9', 'mcp'],
    ['mcp==1.12.0 ; python_version >= "3.10"', 'mcp'],
    ['mcp @ git+https://github.com/modelcontextprotocol/python-sdk', 'mcp'],
    ['fastmcp(>=2.0)', 'fastmcp'],
    ['FastMCP', 'fastmcp'],
    ['mcp-utils', 'mcp-utils'],
    ['mcp_utils==1', 'mcp-utils'],
    ['mcp.server.tools', 'mcp-server-tools'],
    ['mcpx', 'mcpx'],
    ['', undefined],
    ['-r other.txt', undefined],
  ];
  for (const [requirement, name] of cases) assert.equal(requirementName(requirement), name, requirement);
});

test('requirements.txt: comments, options and URLs are no requirements', () => {
  const text = [
    '# MCP server',
    '--index-url https://pypi.org/simple',
    '-r base.txt',
    '-e ./local-lib',
    'https://example.com/wheels/thing-1.0-py3-none-any.whl',
    'mcp[cli]>=1.2  # the SDK',
    '',
    'httpx',
  ].join('\r\n');
  assert.deepEqual(requirementsTxtNames(text), ['mcp', 'httpx']);
  assert.equal(namesPythonMcp(requirementsTxtNames(text)), true);
  // Held in a variable: test/support/sourceImports.ts reads any require…('literal') call as an import.
  const lookalikes = 'mcp-utils==0.4\nfastmcp-client-tools\n# mcp\n';
  assert.equal(namesPythonMcp(requirementsTxtNames(lookalikes)), false);
});

test('pyproject.toml: PEP 621 dependencies and extras, dependency groups, Poetry tables', () => {
  const text = `
[project]
name = "mcp"   # the project's own name is no requirement
dependencies = [
  "httpx>=0.28",
  'uvicorn', "mcp-utils",
]
optional-dependencies = { }

[project.optional-dependencies]
server = ["mcp[cli]>=1.14 ; python_version>'3.9'"]

[dependency-groups]
dev = ["pytest"]

[tool.poetry.dependencies]
python = "^3.11"
FastMCP = { version = "^2.3", extras = ["x"] }

[tool.poetry.group.test.dependencies]
respx = "*"

[tool.ruff]
select = ["mcp"]
`;
  assert.deepEqual(pyprojectNames(text), [
    'httpx',
    'uvicorn',
    'mcp-utils',
    'mcp',
    'pytest',
    'fastmcp',
    'respx',
  ]);
  assert.equal(
    namesPythonMcp(pyprojectNames('[project]\nname = "mcp"\ndependencies = ["mcp-utils"]\n')),
    false,
  );
});
