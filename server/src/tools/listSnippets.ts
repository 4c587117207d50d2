import { z } from 'zod';
import { defineTool } from '../toolDependencies';
import { snippetPrefixSchema } from '../snippets/snippetName';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from '../snippets/storageConnection';

const name = 'list_snippets';
const description =
  'Lists saved snippets in name order, with their size and when they were last saved. ' +
  'Optionally only those whose name starts with a prefix.';

export const listSnippets = defineTool({
  name,
  description,
  input: z.strictObject({
    prefix: snippetPrefixSchema
      .optional()
      .describe('Only list snippets whose name starts with this text (case-sensitive). Omit to list all.'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(LIST_LIMIT_MAX)
      .default(LIST_LIMIT_DEFAULT)
      .describe(`Most snippets to return, 1-${LIST_LIMIT_MAX}; default ${LIST_LIMIT_DEFAULT}.`),
  }),
  run: async ({ prefix, limit }, deps, signal) => {
    // One extra tells whether the list was cut short without a second request.
    const found = await deps.snippets.list(prefix || undefined, limit + 1, signal);
    const truncated = found.length > limit;
    const snippets = found.slice(0, limit);
    const scope = prefix ? ` starting with "${prefix}"` : '';
    let text: string;
    if (snippets.length === 0) {
      text = prefix ? `No snippets${scope}.` : 'No snippets saved yet. Save one with save_snippet.';
    } else {
      const lines = snippets.map((s) => `- ${s.name} (${s.sizeBytes} bytes, saved ${s.lastModified})`);
      const heading = `${snippets.length} snippet${snippets.length === 1 ? '' : 's'}${scope}:`;
      const more = truncated
        ? `\nThere are more; pass a larger limit (up to ${LIST_LIMIT_MAX}) or a prefix to see them.`
        : '';
      text = `${heading}\n${lines.join('\n')}${more}`;
    }
    return { text, structured: { snippets, truncated } };
  },
});
