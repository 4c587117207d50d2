import type { PromptDefinition } from '../toolkit/prompt';

const name = 'snippet_review';
const title = 'Review a saved snippet';
const description =
  'Asks for a code review of a snippet saved with save_snippet: correctness, security, readability, with a suggested fix.';

export const snippetReview: PromptDefinition = {
  name,
  title,
  description,
  arguments: [
    {
      name: 'snippetname',
      description: 'Name of the saved snippet, exactly as it was saved.',
      required: true,
    },
    {
      name: 'focus',
      description: 'Optional aspect to concentrate on, for example "security" or "performance".',
      required: false,
    },
  ],
  text({ snippetname = '', focus = '' }) {
    const emphasis = focus.trim() === '' ? '' : ` Pay most attention to ${focus.trim()}.`;
    return [
      `Call get_snippet with snippetname "${snippetname.trim()}" and review the text it returns as a senior engineer would.${emphasis}`,
      'List what you find under correctness, security and readability, each with a severity (critical, warning or suggestion).',
      'Then give a corrected version of the snippet. If you change it, offer to save it with save_snippet under a new name.',
      'If get_snippet finds no such snippet, say so and call list_snippets to show the saved ones.',
    ].join('\n');
  },
};
