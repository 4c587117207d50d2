import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { registerFunctionsTools } from '../../../server/src/hosts/functions/registerTools';
import { registerFunctionsPrompts } from '../../../server/src/hosts/functions/registerPrompts';
import { registerFunctionsResources } from '../../../server/src/hosts/functions/registerResources';
import { catalogue } from '../../../server/src/tools';
import { promptCatalogue } from '../../../server/src/prompts';
import { resourceCatalogue } from '../../../server/src/resources';
import type { RunningEmbeddedHost } from '../../../server/src/hosts/embedded/startEmbeddedHost';
import { ExtensionError, RecordingRegistrar } from '../../support/functionsRegistrar';
import { startTestHost } from '../../support/embeddedHost';
import { connectClient, type TransportKind } from '../../support/mcpClients';
import { nestedArrays } from '../../support/nesting';
import { startToolEnvironment, type ToolEnvironment } from '../../support/toolEnvironment';
import { SUBSCRIPTION_A, SUBSCRIPTION_B, WORKSPACE } from '../../support/azureAnalysisFakes';

/** Calls in order: snippet calls depend on earlier saves, so both hosts see the same storage state. */
const calls: [tool: string, args: unknown, outcome?: 'succeeds'][] = [
  ['hello_mcp', {}],
  ['hello_mcp', { extra: 1 }],
  ['save_snippet', { snippetname: 'parity-one', snippet: 'first ✓' }],
  ['save_snippet', { snippetname: 'parity-two', snippet: 'line 1\nline 2' }],
  ['get_snippet', { snippetname: 'parity-one' }],
  ['get_snippet', { snippetname: 'parity-missing' }],
  ['get_snippet', { snippetname: 'a/../b' }],
  ['get_snippet', {}],
  ['save_snippet', { snippetname: 'x', snippet: 42 }],
  ['save_snippet', { snippetname: 'parity-surrogate', snippet: 'a\ud800b' }],
  ['list_snippets', { prefix: 'parity-' }],
  ['list_snippets', { limit: 0 }],
  ['get_weather', { city: 'London', countryCode: 'GB' }],
  ['get_weather', { city: 'Paris' }],
  ['get_weather', { city: 'Nowhereville' }],
  ['get_weather', { city: '' }],
  ['get_weather', { city: 'Paris', countryCode: 'FRA' }],
  ['analyze_invoice', { fileName: 'invoices/contoso-INV-2026-0042.pdf' }, 'succeeds'],
  ['analyze_invoice', { invoiceId: 'invoices', fileName: 'fabrikam-FAB-11873.png' }, 'succeeds'],
  ['analyze_invoice', { fileName: 'invoices/missing.pdf' }],
  ['analyze_invoice', { fileName: '../package.json' }],
  ['analyze_invoice', { fileName: 'invoices/contoso-INV-2026-0042.pdf', contentType: 'text/plain' }],
  ['analyze_invoice', { fileName: 'invoices/contoso-INV-2026-0042.pdf', analyzerId: 'no-such-analyzer' }],
  ['GetServerMetadata', { subscription_ids: [SUBSCRIPTION_A, SUBSCRIPTION_B] }, 'succeeds'],
  ['GetServerMetadata', { subscription_ids: 'not-a-guid' }],
  ['GetSqlMetadata', { subscription_ids: [SUBSCRIPTION_A] }, 'succeeds'],
  ['GetSqlMetadata', { subscription_ids: [] }],
  ['GetPatchingLevel', { subscription_ids: `${SUBSCRIPTION_A},${SUBSCRIPTION_B}` }, 'succeeds'],
  ['GetPatchingLevel', { subscription_ids: [SUBSCRIPTION_A], top: 5 }],
  ['GetSqlBpAssessment', { workspace_id: WORKSPACE }, 'succeeds'],
  ['GetSqlBpAssessment', { workspace_id: WORKSPACE, timespan: 'P1M' }],
  ['GetAnomalies', { workspace_id: WORKSPACE, timespan: 'PT12H' }, 'succeeds'],
  ['GetAnomalies', { workspace_id: 'log-analytics-prod' }],
  ['GetAnomalies', { workspace_id: '00000000-0000-0000-0000-0000000d0e5a' }],
];

/** prompts/get calls: arguments as a client sends them, good and bad. */
const promptCalls: [prompt: string, args: Record<string, unknown> | undefined, outcome?: 'succeeds'][] = [
  ['weather_briefing', { city: 'London', countryCode: 'GB' }, 'succeeds'],
  ['weather_briefing', { city: ' Paris ' }, 'succeeds'],
  ['WEATHER_BRIEFING', { city: 'Oslo' }, 'succeeds'],
  ['weather_briefing', { city: '' }, 'succeeds'],
  ['weather_briefing', { city: 42 }, 'succeeds'],
  ['weather_briefing', { city: null }],
  ['weather_briefing', { countryCode: 'GB' }],
  ['weather_briefing', undefined],
  ['snippet_review', { snippetname: 'parity-one', focus: 'security' }, 'succeeds'],
  ['snippet_review', { snippetname: 'a/../b' }, 'succeeds'],
  ['snippet_review', {}],
  ['no_such_prompt', { city: 'London' }],
];

/** resources/read calls, in order after the tool calls above have saved parity-one and parity-two. */
const readCalls: [uri: string, outcome?: 'succeeds'][] = [
  ['ui://weather/view.html', 'succeeds'],
  ['UI://Weather/View.html', 'succeeds'],
  ['snippet://parity-one', 'succeeds'],
  ['snippet://parity-two', 'succeeds'],
  ['snippet://parity-missing'],
  ['snippet://..'],
  ['snippet://a..b'],
  ['snippet://a/../b'],
  ['snippet://'],
  ['ui://weather/other.html'],
  ['file:///etc/passwd'],
  ['not a uri'],
  ['snippet://{name}'],
];

let environment: ToolEnvironment;
let host: RunningEmbeddedHost;
let client: Client;
let sseClient: Client;
const functionsHost = new RecordingRegistrar();

before(async () => {
  environment = await startToolEnvironment();
  host = await startTestHost(environment.deps);
  client = await connectClient(host.mcpUrl, 'streamable-http');
  sseClient = await connectClient(host.mcpUrl, 'sse');
  registerFunctionsTools(functionsHost, catalogue, environment.deps);
  registerFunctionsPrompts(functionsHost, promptCatalogue);
  registerFunctionsResources(functionsHost, resourceCatalogue, environment.deps);
});
after(async () => {
  await Promise.all([client.close(), sseClient.close()]);
  await host.close();
  await environment.close();
});

const clients: Record<TransportKind, () => Client> = {
  'streamable-http': () => client,
  sse: () => sseClient,
};

/** A result, or the JSON-RPC error as the client reports it, so both hosts' answers compare as data. */
async function outcomeOf(call: Promise<unknown>): Promise<unknown> {
  try {
    return { result: await call };
  } catch (error) {
    if (error instanceof ExtensionError) return { error: { code: error.code, message: error.message } };
    if (error instanceof McpError) {
      // The SDK client puts "MCP error <code>: " in front of the message the server sent.
      return { error: { code: error.code, message: error.message.replace(/^MCP error -?\d+: /, '') } };
    }
    throw error;
  }
}

for (const [tool, args, outcome] of calls) {
  test(`${tool} ${JSON.stringify(args)} gives the same result on both hosts`, async () => {
    const viaFunctions = await functionsHost.invoke(tool, args);
    const viaEmbedded = await client.callTool({ name: tool, arguments: args as Record<string, unknown> });
    assert.deepEqual(viaEmbedded, viaFunctions);
    // Two identical failures would also be equal: these calls must really have worked.
    if (outcome === 'succeeds')
      assert.notEqual(viaEmbedded.isError, true, JSON.stringify(viaEmbedded.content));
  });
}

test('tools/list: get_weather carries the MCP App in _meta on both hosts, as the Functions metadata lists it', async () => {
  const listed = await client.listTools();
  const embeddedMeta = Object.fromEntries(
    listed.tools.filter((tool) => tool._meta !== undefined).map((tool) => [tool.name, tool._meta]),
  );
  assert.deepEqual(embeddedMeta, functionsHost.listToolMeta());
  assert.deepEqual(embeddedMeta, { get_weather: { ui: { resourceUri: 'ui://weather/view.html' } } });
});

for (const transport of ['streamable-http', 'sse'] as const) {
  test(`prompts/list, resources/list and resources/templates/list are the same on both hosts (${transport})`, async () => {
    const embedded = clients[transport]();
    assert.deepEqual(await embedded.listPrompts(), functionsHost.listPrompts());
    assert.deepEqual(await embedded.listResources(), functionsHost.listResources());
    assert.deepEqual(await embedded.listResourceTemplates(), functionsHost.listResourceTemplates());
    const { resources } = await embedded.listResources();
    assert.deepEqual(
      resources.map(({ uri, mimeType, _meta }) => ({ uri, mimeType, _meta })),
      [
        {
          uri: 'ui://weather/view.html',
          mimeType: 'text/html;profile=mcp-app',
          _meta: { ui: { prefersBorder: true } },
        },
      ],
    );
  });

  for (const [prompt, args, outcome] of promptCalls) {
    test(`prompts/get ${prompt} ${JSON.stringify(args)} gives the same answer on both hosts (${transport})`, async () => {
      const viaFunctions = await outcomeOf(functionsHost.getPrompt(prompt, args));
      const viaEmbedded = await outcomeOf(
        clients[transport]().getPrompt({ name: prompt, arguments: args as never }),
      );
      assert.deepEqual(viaEmbedded, viaFunctions);
      assert.equal('result' in (viaEmbedded as object), outcome === 'succeeds', JSON.stringify(viaEmbedded));
    });
  }

  for (const [uri, outcome] of readCalls) {
    test(`resources/read ${uri} gives the same answer on both hosts (${transport})`, async () => {
      const viaFunctions = await outcomeOf(functionsHost.readResource(uri));
      const viaEmbedded = await outcomeOf(clients[transport]().readResource({ uri }));
      assert.deepEqual(viaEmbedded, viaFunctions);
      assert.equal('result' in (viaEmbedded as object), outcome === 'succeeds', JSON.stringify(viaEmbedded));
    });
  }
}

test("what the prompts and resources say: the extension's sentences, the saved text, the view", async () => {
  assert.deepEqual(await outcomeOf(client.getPrompt({ name: 'weather_briefing', arguments: {} })), {
    error: {
      code: -32602,
      message: 'One or more required prompt arguments are missing values. Please provide: city',
    },
  });
  assert.deepEqual(await outcomeOf(client.getPrompt({ name: 'nope' })), {
    error: { code: -32602, message: "Unknown prompt: 'nope'" },
  });
  const briefing = await client.getPrompt({
    name: 'weather_briefing',
    arguments: { city: 'London', countryCode: 'GB' },
  });
  assert.match(
    JSON.stringify(briefing.messages),
    /get_weather with city \\"London\\" and countryCode \\"GB\\"/,
  );
  assert.deepEqual(await client.readResource({ uri: 'snippet://parity-two' }), {
    contents: [{ uri: 'snippet://parity-two', mimeType: 'text/plain', text: 'line 1\nline 2' }],
  });
  assert.deepEqual(await outcomeOf(client.readResource({ uri: 'snippet://nowhere' })), {
    error: { code: -32603, message: 'An error occurred.' },
  });
  assert.deepEqual(await outcomeOf(client.readResource({ uri: 'snippet://a/b' })), {
    error: { code: -32602, message: "Unknown resource: 'snippet://a/b'" },
  });
  // The reason a read failed goes to the operator's log, never to the client.
  assert.ok(
    environment.log.lines.some(
      (line) => line.includes('snippet://nowhere') && line.includes('No snippet named "nowhere"'),
    ),
    environment.log.lines.join('\n'),
  );
  const view = await client.readResource({ uri: 'ui://weather/view.html' });
  const html = (view.contents[0] as { text: string }).text;
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /ui\/notifications\/tool-result/);
});

test('arguments nested deeper than 64 levels: one sentence on both hosts (-32602 embedded, an error result on Functions)', async () => {
  const args = { snippetname: 'deep', snippet: 'x', nested: nestedArrays(64) };
  const sentence =
    'Invalid arguments for save_snippet: arguments are nested deeper than 64 levels; flatten them.';
  assert.deepEqual(await functionsHost.invoke('save_snippet', args), {
    content: [{ type: 'text', text: sentence }],
    isError: true,
  });
  await assert.rejects(client.callTool({ name: 'save_snippet', arguments: args }), {
    code: -32602,
    message: `MCP error -32602: ${sentence}`,
  });
});
