import { z } from 'zod';
import { defineTool } from '../toolDependencies';

const name = 'hello_mcp';
const description = 'Hello world: answers with a greeting. Use it to check that the MCP server is reachable.';

/** The greeting users of the seed samples know; kept word for word. */
export const greeting = 'Hello I am MCP Tool!';

export const helloMcp = defineTool({
  name,
  description,
  input: z.strictObject({}),
  run: () => Promise.resolve({ text: greeting }),
});
