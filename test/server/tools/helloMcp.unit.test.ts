import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callTool } from '../../../server/src/toolkit/callTool';
import { helloMcp } from '../../../server/src/tools/helloMcp';
import type { ToolDependencies } from '../../../server/src/toolDependencies';

const deps = {} as ToolDependencies;

test('hello_mcp answers with the greeting', async () => {
  const result = await callTool(helloMcp, {}, deps);
  assert.deepEqual(result, { content: [{ type: 'text', text: 'Hello I am MCP Tool!' }] });
});

test('hello_mcp refuses unknown arguments, naming them', async () => {
  const result = await callTool(helloMcp, { name: 'x' }, deps);
  assert.equal(result.isError, true);
  assert.match(JSON.stringify(result.content), /unknown field \\"name\\"/);
});
