import { z } from 'zod';
import { ToolError } from '../toolkit/tool';
import { defineTool } from '../toolDependencies';
import { snippetNameSchema } from '../snippets/snippetName';

const name = 'get_snippet';
const description = 'Returns the text of a snippet saved with save_snippet, by name.';

export const getSnippet = defineTool({
  name,
  description,
  input: z.strictObject({
    snippetname: snippetNameSchema.describe('Name of the snippet, exactly as it was saved (case-sensitive).'),
  }),
  run: async ({ snippetname }, deps, signal) => {
    const snippet = await deps.snippets.get(snippetname, signal);
    if (snippet === undefined) {
      throw new ToolError(`No snippet named "${snippetname}". Use list_snippets to see the saved ones.`);
    }
    return { text: snippet, structured: { name: snippetname, snippet } };
  },
});
