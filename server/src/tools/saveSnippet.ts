import { z } from 'zod';
import { defineTool } from '../toolDependencies';
import { snippetNameSchema } from '../snippets/snippetName';
import { SNIPPET_MAX_BYTES, SNIPPET_NAME_MAX_LENGTH } from '../snippets/storageConnection';

const name = 'save_snippet';
const description =
  'Saves a text snippet (code, notes, a prompt) under a name, replacing any snippet with that name. ' +
  'Read it back with get_snippet.';

const maxKiB = SNIPPET_MAX_BYTES / 1024;

// A lone surrogate (a JSON "\ud800" escape without its pair) has no UTF-8 form: storing it would
// silently turn it into U+FFFD. Without the u flag the pattern matches single UTF-16 code units.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const snippetSchema = z
  .string()
  .min(1, { abort: true })
  .refine((text) => text.isWellFormed(), {
    abort: true,
    error: (issue) => {
      const text = String(issue.input);
      const offset = text.search(loneSurrogate);
      const unit = text.charCodeAt(offset).toString(16).toUpperCase();
      return `contains a lone surrogate (U+${unit}) at character offset ${offset}, which UTF-8 cannot store; send well-formed Unicode text`;
    },
  })
  .refine((text) => Buffer.byteLength(text, 'utf8') <= SNIPPET_MAX_BYTES, {
    error: (issue) =>
      `must be at most ${maxKiB} KiB (${SNIPPET_MAX_BYTES} bytes) in UTF-8; this one is ${Buffer.byteLength(String(issue.input), 'utf8')} bytes`,
  });

export const saveSnippet = defineTool({
  name,
  description,
  input: z.strictObject({
    snippetname: snippetNameSchema.describe(
      `Name to save the snippet under: 1-${SNIPPET_NAME_MAX_LENGTH} ASCII letters, digits, "-", "_" or ".", starting with a letter or digit.`,
    ),
    snippet: snippetSchema.describe(`The snippet's text; at most ${maxKiB} KiB in UTF-8.`),
  }),
  run: async ({ snippetname, snippet }, deps, signal) => {
    await deps.snippets.save(snippetname, snippet, signal);
    const sizeBytes = Buffer.byteLength(snippet, 'utf8');
    return {
      text: `Saved snippet "${snippetname}" (${sizeBytes} bytes).`,
      structured: { name: snippetname, sizeBytes },
    };
  },
});
