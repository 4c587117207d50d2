// The Functions app host serving a user's own TypeScript Functions MCP app (the fixture
// test/fixtures/projects/ts-functions-mcp-app, built with its own `npm run build`), checked from outside:
// the SDK's own Client over real HTTP, on both transports, against a table of the wire results the
// Functions MCP extension gives for the same app. Each row names the file of Azure's source it follows:
// Azure/azure-functions-mcp-extension (src/Microsoft.Azure.Functions.Extensions.Mcp/...), the Node
// library @azure/functions 4.16.5 (src/...), and the C# MCP SDK the extension runs on
// (modelcontextprotocol/csharp-sdk src/ModelContextProtocol.Core/Server/McpServerImpl.cs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startAzurite, type RunningAzurite } from '../../../support/azurite';
import { connectClient, firstText, type TransportKind } from '../../../support/mcpClients';
import {
  copyFunctionsApp,
  escapeRegExp,
  startFunctionsAppHost,
  type FunctionsAppCopy,
  type RunningFunctionsApp,
} from '../../../support/functionsAppFixture';

const EXT = 'Azure/azure-functions-mcp-extension src/Microsoft.Azure.Functions.Extensions.Mcp/';
const NODE_LIB = '@azure/functions 4.16.5 src/';
const CSHARP_SDK = 'modelcontextprotocol/csharp-sdk src/ModelContextProtocol.Core/Server/McpServerImpl.cs';

// The bytes the fixture's tools and resources return (src/functions/media.ts).
const LOGO_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const CHIME_BASE64 = Buffer.from('RIFF0000WAVEfmt chime', 'ascii').toString('base64');
const fixtureFile = (relative: string) =>
  readFileSync(path.resolve(__dirname, '../../../fixtures/projects/ts-functions-mcp-app', relative), 'utf8');

interface WireRow {
  what: string;
  /** The file of Azure's source the expected result follows. */
  source: string;
  request(client: Client): Promise<unknown>;
  expected: unknown;
}

/** A JSON-RPC error as the client sees it: code and the server's message. */
async function outcome(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return normalise(await call());
  } catch (error) {
    if (!(error instanceof McpError)) throw error;
    return { error: { code: error.code, message: error.message.replace(/^MCP error -?\d+: /, '') } };
  }
}

/**
 * `isError: false` and an absent isError mean the same to every client (the spec's default); the C#
 * SDK omits it. Nothing else is normalised.
 */
function normalise(result: unknown): unknown {
  if (result && typeof result === 'object' && (result as { isError?: unknown }).isError === false) {
    const { isError: _isError, ...rest } = result as Record<string, unknown>;
    return rest;
  }
  return result;
}

const text = (value: string) => ({ type: 'text', text: value });
const invalidParams = (message: string) => ({ error: { code: -32602, message } });

// tools/call: one row per return type and failure.
const toolRows: WireRow[] = [
  {
    what: 'a string becomes one text block, without structured content',
    source: `${NODE_LIB}converters/toMcpToolResult.ts (plain value); ${EXT}Trigger/ToolReturnValueBinder.cs`,
    request: (c) => c.callTool({ name: 'greet', arguments: { name: 'Ada', titles: ['Dr'] } }),
    expected: { content: [text('Hello, Dr Ada!')] },
  },
  {
    what: 'a plain object becomes its JSON as text, without structured content',
    source: `${NODE_LIB}converters/toMcpToolResult.ts (plain value, no @McpContent marker)`,
    request: (c) => c.callTool({ name: 'sum_numbers', arguments: { numbers: [1, 2, 3.5], label: 'total' } }),
    expected: { content: [text(JSON.stringify({ label: 'total', total: 6.5, count: 3 }))] },
  },
  {
    what: 'an @McpContent-marked class becomes text and structured content',
    source: `${NODE_LIB}converters/toMcpToolResult.ts (shouldCreateStructuredContentMarker); ${EXT}Trigger/ToolReturnValueBinder.cs`,
    request: (c) => c.callTool({ name: 'read_station', arguments: {} }),
    expected: {
      content: [text(JSON.stringify({ station: 'north', pressureHpa: 1013 }))],
      structuredContent: { station: 'north', pressureHpa: 1013 },
    },
  },
  {
    what: 'McpToolResponse keeps its blocks and structured content; local.settings.json values are in process.env',
    source: `${NODE_LIB}converters/toMcpToolResult.ts (serializeToolResponse); ${EXT}Trigger/ToolReturnValueBinder.cs`,
    request: (c) => c.callTool({ name: 'get_forecast', arguments: { city: 'Lisbon', days: 3 } }),
    expected: {
      content: [text('Lisbon: Clear, 24 °C')],
      structuredContent: {
        city: 'Lisbon',
        days: 3,
        temperatureC: 24,
        sky: 'Clear',
        station: 'Contoso Weather Station 7',
      },
    },
  },
  {
    what: 'McpToolResponse with structured content and no text block gains one holding the JSON',
    source: `${NODE_LIB}converters/toMcpToolResult.ts (ensureTextBlockWhenStructured)`,
    request: (c) => c.callTool({ name: 'logo_facts', arguments: {} }),
    expected: {
      content: [
        { type: 'image', data: LOGO_BASE64, mimeType: 'image/png' },
        text(JSON.stringify({ width: 1, height: 1, format: 'png' })),
      ],
      structuredContent: { width: 1, height: 1, format: 'png' },
    },
  },
  {
    what: 'McpImageContent with a Buffer becomes a base64 image block',
    source: `${NODE_LIB}mcp/McpToolResponse.ts (McpImageContent.toJSON); ${EXT}Trigger/ToolReturnValueBinder.cs (single block)`,
    request: (c) => c.callTool({ name: 'get_logo', arguments: {} }),
    expected: { content: [{ type: 'image', data: LOGO_BASE64, mimeType: 'image/png' }] },
  },
  {
    what: 'McpAudioContent becomes a base64 audio block',
    source: `${NODE_LIB}mcp/McpToolResponse.ts (McpAudioContent.toJSON)`,
    request: (c) => c.callTool({ name: 'play_chime', arguments: {} }),
    expected: { content: [{ type: 'audio', data: CHIME_BASE64, mimeType: 'audio/wav' }] },
  },
  {
    what: 'McpResourceLinkContent becomes a resource_link block',
    source: `${NODE_LIB}mcp/McpToolResponse.ts (McpResourceLinkContent.toJSON)`,
    request: (c) => c.callTool({ name: 'link_docs', arguments: {} }),
    expected: {
      content: [
        {
          type: 'resource_link',
          uri: 'docs://forecast/guide.md',
          name: 'Forecast guide',
          description: 'How the forecast is made',
          mimeType: 'text/markdown',
        },
      ],
    },
  },
  {
    what: 'McpResourceContent becomes an embedded resource block',
    source: `${NODE_LIB}mcp/McpToolResponse.ts (McpResourceContent.toJSON)`,
    request: (c) => c.callTool({ name: 'embed_notes', arguments: {} }),
    expected: {
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'docs://forecast/notes.txt',
            mimeType: 'text/plain',
            text: 'Version 2.3.1: rain radar.',
          },
        },
      ],
    },
  },
  {
    what: 'an array of blocks becomes a multi-block result, in order',
    source: `${NODE_LIB}converters/toMcpToolResult.ts (multi_content_result); ${EXT}Trigger/ToolReturnValueBinder.cs`,
    request: (c) => c.callTool({ name: 'captioned_logo', arguments: {} }),
    expected: {
      content: [text('The Contoso logo'), { type: 'image', data: LOGO_BASE64, mimeType: 'image/png' }],
    },
  },
  {
    what: "McpToolResponse's isError is not carried: the Node library serialises only content and structured content",
    source: `${NODE_LIB}converters/toMcpToolResult.ts (serializeToolResponse); ${EXT}Trigger/McpToolResult.cs`,
    request: (c) => c.callTool({ name: 'find_city', arguments: { city: 'Atlantis' } }),
    expected: { content: [text('No city called Atlantis')] },
  },
  {
    what: 'a thrown error becomes an error result that does not leak the message',
    source: `${EXT}Trigger/McpToolListener.cs (rethrows); ${CSHARP_SDK} (CreateToolCallErrorResult)`,
    request: (c) => c.callTool({ name: 'divide', arguments: { a: 1, b: 0 } }),
    expected: { isError: true, content: [text("An error occurred invoking 'divide'.")] },
  },
  {
    what: 'the handler gets typed arguments in its trigger input',
    source: `${EXT}Abstractions/ToolInvocationContext.cs (arguments as JSON)`,
    request: (c) => c.callTool({ name: 'divide', arguments: { a: 7, b: 2 } }),
    expected: { content: [text('3.5')] },
  },
  {
    what: 'a missing required argument is refused before the handler runs',
    source: `${EXT}ToolInputSchema/ToolInputSchema.cs (Validate)`,
    request: (c) => c.callTool({ name: 'divide', arguments: { a: 1 } }),
    expected: invalidParams('One or more required tool properties are missing values. Please provide: b'),
  },
  {
    what: 'an unknown tool is refused',
    source: `${EXT}McpWebJobsBuilderExtensions.cs (WithCallToolHandler)`,
    request: (c) => c.callTool({ name: 'no_such_tool', arguments: {} }),
    expected: invalidParams("Unknown tool: 'no_such_tool'"),
  },
];

/** describe_event echoes context.triggerMetadata.mcptoolargs: each argument as text. */
const mcptoolargsRow: WireRow = {
  what: 'context.triggerMetadata.mcptoolargs holds every argument as text (JsonElement.ToString())',
  source: `${EXT}Trigger/McpToolTriggerBinding.cs (bindingData["mcptoolargs"]); ${NODE_LIB}converters/fromRpcTriggerMetadata.ts`,
  request: async (c) => {
    const result = await c.callTool({
      name: 'describe_event',
      arguments: {
        title: 'Launch',
        attendees: 40,
        budget: 1250.5,
        online: true,
        tags: ['a', 'b'],
        venue: { hall: 'B' },
      },
    });
    return JSON.parse(firstText(result)) as unknown;
  },
  expected: {
    title: 'Launch',
    attendees: '40',
    budget: '1250.5',
    online: 'True',
    tags: '["a","b"]',
    venue: '{"hall":"B"}',
  },
};

const inputSchema = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties,
  required,
});
const noArguments = inputSchema({}, []);

// tools/list: name, description, the schema the extension builds from toolProperties, and _meta.
const expectedTools = {
  source: `${EXT}DefaultToolRegistry.cs (ListToolsAsync); ${EXT}ToolInputSchema/PropertyBasedToolInputSchema.cs; ${NODE_LIB}utils/toolProperties.ts (builders: required by default, datetime/long/double map to string/number)`,
  tools: [
    {
      name: 'audit_trail',
      description: 'Writes an audit line to the log and says what it wrote.',
      inputSchema: inputSchema({ note: { type: 'string', description: 'What to record' } }, ['note']),
    },
    {
      name: 'captioned_logo',
      description: 'Returns the logo with a caption.',
      inputSchema: noArguments,
    },
    {
      name: 'describe_event',
      description: 'Echoes an event description back.',
      inputSchema: inputSchema(
        {
          title: { type: 'string', description: 'Title' },
          attendees: { type: 'integer', description: 'How many people' },
          budget: { type: 'number', description: 'Budget in euros' },
          distanceKm: { type: 'number', description: 'Distance in km' },
          viewers: { type: 'number', description: 'Expected viewers' },
          online: { type: 'boolean', description: 'Whether it is online' },
          startsAt: { type: 'string', description: 'When it starts' },
          venue: { type: 'object', description: 'Where it happens' },
          tags: { type: 'array', items: { type: 'string' }, description: 'Tags' },
        },
        ['title', 'attendees'],
      ),
    },
    {
      name: 'divide',
      description: 'Divides a by b.',
      inputSchema: inputSchema(
        { a: { type: 'number', description: 'Dividend' }, b: { type: 'number', description: 'Divisor' } },
        ['a', 'b'],
      ),
    },
    {
      name: 'embed_notes',
      description: 'Returns the release notes as an embedded resource.',
      inputSchema: noArguments,
    },
    {
      name: 'find_city',
      description: 'Finds a city; answers with an error result when it is unknown.',
      inputSchema: inputSchema({ city: { type: 'string', description: 'The city' } }, ['city']),
    },
    {
      name: 'get_forecast',
      description: 'Gets the weather forecast for a city.',
      inputSchema: inputSchema(
        {
          city: { type: 'string', description: 'The city, e.g. Seattle' },
          days: { type: 'integer', description: 'How many days ahead (1-7)' },
        },
        ['city'],
      ),
      // The MCP App tie: the tool's metadata JSON, as an object (MetadataParser.cs SerializeMetadata).
      _meta: { ui: { resourceUri: 'ui://forecast/card.html' } },
    },
    { name: 'get_logo', description: 'Returns the Contoso logo as an image.', inputSchema: noArguments },
    {
      name: 'get_snippet',
      description: 'Gets a saved code snippet by name.',
      inputSchema: inputSchema({ snippetname: { type: 'string', description: 'The name of the snippet' } }, [
        'snippetname',
      ]),
    },
    {
      // The array form: isRequired and isArray only where the user wrote them.
      name: 'greet',
      description: 'Greets someone by name.',
      inputSchema: inputSchema(
        {
          name: { type: 'string', description: 'Who to greet' },
          titles: { type: 'array', items: { type: 'string' }, description: 'Titles to put first' },
        },
        ['name'],
      ),
    },
    {
      name: 'link_docs',
      description: 'Links to the forecast guide.',
      inputSchema: noArguments,
    },
    {
      name: 'logo_facts',
      description: 'Returns the logo and its facts as structured content.',
      inputSchema: noArguments,
    },
    { name: 'play_chime', description: 'Returns the notification chime as audio.', inputSchema: noArguments },
    { name: 'read_station', description: 'Reads the station barometer.', inputSchema: noArguments },
    {
      name: 'save_snippet',
      description: 'Saves a code snippet by name.',
      inputSchema: inputSchema(
        {
          snippetname: { type: 'string', description: 'The name of the snippet' },
          snippet: { type: 'string', description: 'The code' },
        },
        ['snippetname', 'snippet'],
      ),
    },
    {
      name: 'sum_numbers',
      description: 'Adds numbers together.',
      inputSchema: inputSchema(
        {
          numbers: { type: 'array', items: { type: 'number' }, description: 'The numbers to add' },
          label: { type: 'string', description: 'A label for the result' },
        },
        ['numbers'],
      ),
    },
  ],
};

const forecastCardUri = 'ui://forecast/card.html';
const mcpAppMimeType = 'text/html;profile=mcp-app';

const resourceRows: WireRow[] = [
  {
    what: 'resources/list: static resources with title, size and _meta from their metadata',
    source: `${EXT}DefaultResourceRegistry.cs (ListResourcesAsync); ${EXT}MetadataParser.cs`,
    request: async (c) => sortBy((await c.listResources()).resources, 'uri'),
    expected: [
      {
        uri: 'docs://forecast/guide.md',
        name: 'Forecast guide',
        title: 'How the forecast is made',
        description: 'Where the numbers come from.',
        mimeType: 'text/markdown',
      },
      { uri: 'images://contoso/logo.png', name: 'Contoso logo', mimeType: 'image/png', size: 70 },
      {
        uri: forecastCardUri,
        name: 'Forecast card',
        description: 'An interactive forecast card.',
        mimeType: mcpAppMimeType,
        _meta: { ui: { prefersBorder: true } },
      },
    ],
  },
  {
    what: 'resources/templates/list: a URI with {parameters} is a template, not a resource',
    source: `${EXT}DefaultResourceRegistry.cs (ListResourceTemplatesAsync); ${EXT}ResourceUriHelper.cs (IsTemplate)`,
    request: async (c) => (await c.listResourceTemplates()).resourceTemplates,
    expected: [
      {
        uriTemplate: 'notes://cities/{city}',
        name: 'City notes',
        description: 'Notes kept about a city.',
        mimeType: 'text/plain',
      },
    ],
  },
  {
    what: 'resources/read: a string becomes text contents with the declared mime type',
    source: `${EXT}Trigger/ResourceReturnValueBinder.cs (string)`,
    request: (c) => c.readResource({ uri: 'docs://forecast/guide.md' }),
    expected: {
      contents: [
        {
          uri: 'docs://forecast/guide.md',
          mimeType: 'text/markdown',
          text: '# Forecast guide\n\nReadings come from the Contoso stations every hour.\n',
        },
      ],
    },
  },
  {
    what: 'resources/read: a Buffer becomes base64 blob contents',
    source: `${EXT}Trigger/ResourceReturnValueBinder.cs (byte[])`,
    request: (c) => c.readResource({ uri: 'images://contoso/logo.png' }),
    expected: { contents: [{ uri: 'images://contoso/logo.png', mimeType: 'image/png', blob: LOGO_BASE64 }] },
  },
  {
    what: "resources/read: a template's parameters reach the handler in trigger metadata; the URI is the one asked for",
    source: `${EXT}Trigger/McpResourceTriggerBinding.cs (template parameters in binding data); ${EXT}Trigger/ResourceReturnValueBinder.cs (ResolvedUri)`,
    request: (c) => c.readResource({ uri: 'notes://cities/Lisbon' }),
    expected: {
      contents: [
        {
          uri: 'notes://cities/Lisbon',
          mimeType: 'text/plain',
          text: 'Notes for Lisbon: bring an umbrella.',
        },
      ],
    },
  },
  {
    what: "resources/read: the MCP App's page, with the mcp-app mime type",
    source: `${EXT}Trigger/ResourceReturnValueBinder.cs (string)`,
    request: (c) => c.readResource({ uri: forecastCardUri }),
    expected: {
      contents: [
        { uri: forecastCardUri, mimeType: mcpAppMimeType, text: fixtureFile('src/app/forecast.html') },
      ],
    },
  },
  {
    what: 'resources/read: an unknown URI is refused',
    source: `${EXT}McpWebJobsBuilderExtensions.cs (WithReadResourceHandler)`,
    request: (c) => c.readResource({ uri: 'docs://forecast/missing.md' }),
    expected: invalidParams("Unknown resource: 'docs://forecast/missing.md'"),
  },
];

const promptRows: WireRow[] = [
  {
    what: 'prompts/list: promptArg builders and the array form, required flags, titles',
    source: `${EXT}DefaultPromptRegistry.cs (ListPromptsAsync); ${EXT}Trigger/McpPromptTriggerBinding.cs (ParsePromptArguments); ${NODE_LIB}converters/toMcpPromptTriggerOptionsToRpc.ts`,
    request: async (c) => sortBy((await c.listPrompts()).prompts, 'name'),
    expected: [
      { name: 'daily_briefing', description: 'A morning weather briefing.', arguments: [] },
      {
        name: 'packing_list',
        description: 'Plans what to pack for a trip, given the forecast.',
        arguments: [
          { name: 'city', description: 'Where to', required: true },
          { name: 'days', description: 'How long', required: false },
        ],
      },
      {
        name: 'review_code',
        title: 'Review code',
        description: 'Asks for a review of a piece of code.',
        arguments: [
          { name: 'code', description: 'The code to review', required: true },
          { name: 'language', description: 'Its language', required: false },
        ],
      },
    ],
  },
  {
    what: "prompts/get: the handler's string becomes one user message",
    source: `${EXT}Trigger/SimplePromptReturnValueBinder.cs (Node sends no useResultSchema for prompts)`,
    request: (c) => c.getPrompt({ name: 'review_code', arguments: { code: 'x = 1', language: 'Python' } }),
    expected: {
      messages: [{ role: 'user', content: text('Review this Python code for bugs and naming:\n\nx = 1') }],
    },
  },
  {
    what: 'prompts/get: an optional argument left out, array-form arguments',
    source: `${EXT}Trigger/SimplePromptReturnValueBinder.cs; ${NODE_LIB}mcp/PromptInvocationContext.ts`,
    request: (c) => c.getPrompt({ name: 'packing_list', arguments: { city: 'Oslo' } }),
    expected: {
      messages: [
        { role: 'user', content: text('Call get_forecast for Oslo, then list what to pack for a few days.') },
      ],
    },
  },
  {
    what: 'prompts/get: a prompt without arguments',
    source: `${EXT}Trigger/SimplePromptReturnValueBinder.cs`,
    request: (c) => c.getPrompt({ name: 'daily_briefing' }),
    expected: {
      messages: [{ role: 'user', content: text('Give me a short weather briefing for Seattle and Lisbon.') }],
    },
  },
  {
    what: 'prompts/get: a missing required argument is refused before the handler runs',
    source: `${EXT}Trigger/McpPromptListener.cs (ValidateRequiredArguments)`,
    request: (c) => c.getPrompt({ name: 'review_code', arguments: { language: 'Python' } }),
    expected: invalidParams('One or more required prompt arguments are missing values. Please provide: code'),
  },
  {
    what: 'prompts/get: an unknown prompt is refused',
    source: `${EXT}McpWebJobsBuilderExtensions.cs (WithGetPromptHandler)`,
    request: (c) => c.getPrompt({ name: 'no_such_prompt' }),
    expected: invalidParams("Unknown prompt: 'no_such_prompt'"),
  },
];

function sortBy<T>(items: T[], key: keyof T): T[] {
  return [...items].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
}

function sourceNote(row: { source: string }): string {
  return `expected per ${row.source}`;
}

let azurite: RunningAzurite;
let app: FunctionsAppCopy;
let host: RunningFunctionsApp;

before(async () => {
  azurite = await startAzurite();
  // The user's local.settings.json points at Azurite's default port; this test's Azurite has its own.
  app = copyFunctionsApp({ storageConnection: azurite.connectionString });
  host = await startFunctionsAppHost(app.folder);
});

after(async () => {
  await host?.stop();
  app?.remove();
  await azurite?.close();
});

const transports: TransportKind[] = ['streamable-http', 'sse'];

for (const kind of transports) {
  describe(`the fixture app over ${kind}`, () => {
    let client: Client;
    before(async () => {
      client = await connectClient(host.mcpUrl, kind);
    });
    after(async () => {
      await client?.close();
    });

    test('initialize: serverInfo and instructions from host.json extensions.mcp; tools, resources and prompts offered', () => {
      // Configuration/FunctionsMcpServerOptionsSetup.cs; Configuration/McpOptions.cs
      assert.deepEqual(client.getServerVersion(), { name: 'Contoso Forecast', version: '2.3.1' });
      assert.equal(
        client.getInstructions(),
        'Use get_forecast for the weather and save_snippet / get_snippet to keep code for later.',
      );
      const capabilities = client.getServerCapabilities() ?? {};
      for (const kindOffered of ['tools', 'resources', 'prompts'] as const) {
        assert.ok(
          capabilities[kindOffered],
          `${kindOffered} capability missing: ${JSON.stringify(capabilities)}`,
        );
      }
    });

    test('tools/list: every MCP tool trigger, its input schema and _meta; the HTTP trigger is not a tool', async () => {
      const { tools } = await client.listTools();
      assert.deepEqual(sortBy(tools, 'name'), expectedTools.tools, sourceNote(expectedTools));
    });

    for (const row of [...toolRows, mcptoolargsRow, ...resourceRows, ...promptRows]) {
      test(row.what, async () => {
        assert.deepEqual(await outcome(() => row.request(client)), row.expected, sourceNote(row));
      });
    }

    test('blob bindings: save_snippet writes snippets/<name>.json in Azurite, get_snippet reads it back', async () => {
      // Bindings with {mcptoolargs.snippetname} paths, as the public TypeScript sample's snippet tools
      // (Azure-Samples/remote-mcp-functions-typescript mcp-tools/src/functions/snippetsMcpTool.ts).
      const name = `hello-${kind}`;
      const code = `print("${kind}")`;
      assert.deepEqual(
        await outcome(() =>
          client.callTool({ name: 'save_snippet', arguments: { snippetname: name, snippet: code } }),
        ),
        { content: [text(`Saved ${name}`)] },
      );
      const blob = BlobServiceClient.fromConnectionString(azurite.connectionString)
        .getContainerClient('snippets')
        .getBlobClient(`${name}.json`);
      assert.equal(
        (await blob.downloadToBuffer()).toString('utf8'),
        code,
        'the blob holds what the tool saved',
      );
      assert.deepEqual(
        await outcome(() => client.callTool({ name: 'get_snippet', arguments: { snippetname: name } })),
        { content: [text(code)] },
      );
      assert.deepEqual(
        await outcome(() =>
          client.callTool({ name: 'get_snippet', arguments: { snippetname: `missing-${kind}` } }),
        ),
        { content: [text(`Snippet 'missing-${kind}' not found`)] },
        'a blob that does not exist reaches the handler as no input',
      );
    });

    test("context.log, warn and error reach the host's output, tagged with the function's name", async () => {
      const note = `note-${kind}`;
      assert.deepEqual(await outcome(() => client.callTool({ name: 'audit_trail', arguments: { note } })), {
        content: [text(`Recorded ${note}`)],
      });
      for (const message of [`audit: ${note}`, `audit warning: ${note}`, `audit error: ${note}`]) {
        const line = await host.process.waitForLine(new RegExp(escapeRegExp(message)), 5000);
        assert.match(line, /auditTrail/, `the line names the function: ${line}`);
      }
    });
  });
}

test('the HTTP trigger is listed in the log as not served, with the pointer to Core Tools', () => {
  const line = host.process.output.find((l) => /\bhealth\b/.test(l));
  assert.ok(line, `no line names the HTTP function 'health':\n${host.process.output.join('\n')}`);
  assert.match(line, /Core Tools/, line);
});
