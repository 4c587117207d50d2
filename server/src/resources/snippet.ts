import type { ServerResource } from '../toolDependencies';
import { snippetNameSchema } from '../snippets/snippetName';

const uri = 'snippet://{name}';
const name = 'snippet';
const title = 'Saved snippet';
const description =
  'The text of a snippet saved with save_snippet, by name: snippet://<name>. list_snippets shows the names.';

/**
 * The saved snippets as a resource template. A name the store would refuse, or no snippet by that
 * name, is a failed read: the log says which, the client gets the extension's answer to a failed read.
 */
export const snippetResource: ServerResource = {
  uri,
  name,
  title,
  description,
  mimeType: 'text/plain',
  async read({ params }, deps, signal) {
    const parsed = snippetNameSchema.safeParse(params.name);
    if (!parsed.success) {
      throw new Error(
        `"${params.name}" is not a snippet name: ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
      );
    }
    const snippet = await deps.snippets.get(parsed.data, signal);
    if (snippet === undefined) throw new Error(`No snippet named "${parsed.data}".`);
    return snippet;
  },
};
