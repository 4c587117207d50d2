// A small Functions MCP app written as a user would, in plain CommonJS so it needs no build.
const {
  app,
  arg,
  input,
  output,
  McpToolResponse,
  McpTextContent,
  McpImageContent,
} = require('@azure/functions');

app.mcpTool('greet', {
  toolName: 'greet',
  description: 'Greets someone.',
  toolProperties: {
    name: arg.string().describe('Who to greet.'),
    times: arg.integer().describe('How often.').optional(),
  },
  handler: async (toolArguments, context) => {
    context.log(`greeting ${context.triggerMetadata.mcptoolargs.name}`);
    return `${process.env.GREETING}, ${toolArguments.arguments.name}!`;
  },
});

app.mcpTool('describe', {
  toolName: 'describe_call',
  description: 'Returns what the function saw.',
  toolProperties: [
    { propertyName: 'tags', propertyType: 'string', description: 'Tags.', isRequired: true, isArray: true },
    {
      propertyName: 'flag',
      propertyType: 'boolean',
      description: 'A flag.',
      isRequired: false,
      isArray: false,
    },
  ],
  metadata: JSON.stringify({ ui: { resourceUri: 'ui://scratch/view.html' } }),
  handler: (toolArguments, context) => ({
    args: context.triggerMetadata.mcptoolargs,
    name: toolArguments.name,
  }),
});

app.mcpTool('rich', {
  toolName: 'rich',
  description: 'Returns rich content.',
  toolProperties: [],
  handler: () =>
    new McpToolResponse({
      content: [
        new McpTextContent('one'),
        new McpImageContent({ data: Buffer.from('png'), mimeType: 'image/png' }),
      ],
      structuredContent: { ok: true },
    }),
});

app.mcpTool('fails', {
  toolName: 'fails',
  description: 'Always throws.',
  toolProperties: [],
  handler: (_args, context) => {
    context.warn('about to fail');
    throw new Error('boom');
  },
});

const snippetIn = input.storageBlob({
  connection: 'AzureWebJobsStorage',
  path: 'snippets/{mcptoolargs.snippetname}.json',
});
const snippetOut = output.storageBlob({
  connection: 'AzureWebJobsStorage',
  path: 'snippets/{mcptoolargs.snippetname}.json',
});

app.mcpTool('getSnippet', {
  toolName: 'getsnippets',
  description: 'Gets a snippet.',
  toolProperties: { snippetname: arg.string().describe('The name.') },
  extraInputs: [snippetIn],
  handler: (_args, context) => {
    const content = context.extraInputs.get(snippetIn);
    return content ? content : `Snippet '${context.triggerMetadata.mcptoolargs.snippetname}' not found`;
  },
});

app.mcpTool('saveSnippet', {
  toolName: 'savesnippet',
  description: 'Saves a snippet.',
  toolProperties: {
    snippetname: arg.string().describe('The name.'),
    snippet: arg.string().describe('The code.'),
  },
  extraOutputs: [snippetOut],
  handler: (_args, context) => {
    context.extraOutputs.set(snippetOut, context.triggerMetadata.mcptoolargs.snippet);
    return context.triggerMetadata.mcptoolargs.snippet;
  },
});

app.mcpResource('view', {
  uri: 'ui://scratch/view.html',
  resourceName: 'view',
  description: 'A view.',
  mimeType: 'text/html;profile=mcp-app',
  metadata: JSON.stringify({ ui: { prefersBorder: true } }),
  handler: () => '<p>hi</p>',
});

app.mcpResource('note', {
  uri: 'note://{id}',
  resourceName: 'note',
  mimeType: 'text/plain',
  handler: (_ctx, context) => `note ${context.triggerMetadata.id}`,
});

app.mcpPrompt('review', {
  promptName: 'review',
  description: 'Reviews code.',
  promptArguments: [{ name: 'code', description: 'The code.', required: true }, { name: 'language' }],
  handler: (ctx) => `Review this ${ctx.arguments.language || 'code'}:\n${ctx.arguments.code}`,
});

app.http('hello', { handler: () => ({ body: 'hi' }) });
