// The bundled server's Functions registration (server/dist/functions.js, what `func start` and Azure
// run) served by the Functions app host through the real @azure/functions, against the embedded
// host serving the same catalogue: the two ways this repository's server runs must answer alike.
// hostParity.integration.test.ts compares the registrations in-process; this runs the built bundle
// the way the Functions worker loads it, trigger metadata and result conversion included.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { RunningEmbeddedHost } from '../../../server/src/hosts/embedded/startEmbeddedHost';
import { startTestHost } from '../../support/embeddedHost';
import { startFunctionsAppHost, type RunningFunctionsApp } from '../../support/functionsAppFixture';
import { connectClient } from '../../support/mcpClients';
import { startToolEnvironment, type ToolEnvironment } from '../../support/toolEnvironment';
import { startAzurite, type RunningAzurite } from '../../support/azurite';
import { startFakeOpenMeteo, type FakeOpenMeteo } from '../../fakes/openMeteo';
import { snippetStoreFromEnv } from '../../../server/src/snippets/storageConnection';

const serverFolder = path.resolve(__dirname, '../../../server');

let environment: ToolEnvironment;
let azurite: RunningAzurite;
let openMeteo: FakeOpenMeteo;
let embedded: RunningEmbeddedHost;
let functionsApp: RunningFunctionsApp;
let viaEmbedded: Client;
let viaFunctions: Client;

before(async () => {
  [environment, azurite, openMeteo] = await Promise.all([
    startToolEnvironment(),
    startAzurite(),
    startFakeOpenMeteo(),
  ]);
  // Both hosts on one storage account and one weather service, so the same calls see the same state.
  const deps = {
    ...environment.deps,
    snippets: snippetStoreFromEnv({ AzureWebJobsStorage: azurite.connectionString }, environment.log),
    weather: { geocodingUrl: openMeteo.geocodingUrl, forecastUrl: openMeteo.forecastUrl, timeoutMs: 5000 },
  };
  embedded = await startTestHost(deps);
  functionsApp = await startFunctionsAppHost(serverFolder, {
    AzureWebJobsStorage: azurite.connectionString,
    OPEN_METEO_GEOCODING_URL: openMeteo.geocodingUrl,
    OPEN_METEO_FORECAST_URL: openMeteo.forecastUrl,
  });
  [viaEmbedded, viaFunctions] = await Promise.all([
    connectClient(embedded.mcpUrl, 'streamable-http'),
    connectClient(functionsApp.mcpUrl, 'streamable-http'),
  ]);
});
after(async () => {
  await Promise.allSettled([viaEmbedded?.close(), viaFunctions?.close()]);
  await Promise.allSettled([embedded?.close(), functionsApp?.stop()]);
  await Promise.allSettled([environment?.close(), azurite?.close(), openMeteo?.close()]);
});

/** A result, or the JSON-RPC error as data, so both hosts' answers compare. */
async function outcomeOf(call: Promise<unknown>): Promise<unknown> {
  try {
    return { result: await call };
  } catch (error) {
    if (error instanceof McpError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
}

test('both hosts list the same tools, with the same descriptions and _meta, and the same prompts and resources', async () => {
  const summary = async (client: Client) => ({
    tools: (await client.listTools()).tools.map(({ name, description, _meta }) => ({
      name,
      description,
      _meta,
    })),
    prompts: await client.listPrompts(),
    resources: await client.listResources(),
    templates: await client.listResourceTemplates(),
  });
  const [embeddedListing, functionsListing] = await Promise.all([
    summary(viaEmbedded),
    summary(viaFunctions),
  ]);
  assert.deepEqual(functionsListing, embeddedListing);
  assert.ok(embeddedListing.tools.some((tool) => tool.name === 'get_weather'));
});

// In order: the snippet reads depend on the saves before them.
const toolCalls: [tool: string, args: Record<string, unknown>][] = [
  ['hello_mcp', {}],
  ['save_snippet', { snippetname: 'on-both-hosts', snippet: 'saved through the Functions app host ✓' }],
  ['get_snippet', { snippetname: 'on-both-hosts' }],
  ['get_snippet', { snippetname: 'never-saved' }],
  ['list_snippets', { prefix: 'on-both', limit: 5 }],
  ['get_weather', { city: 'London', countryCode: 'GB' }],
  ['get_weather', { city: '' }],
];

for (const [tool, args] of toolCalls) {
  test(`tools/call ${tool} ${JSON.stringify(args)}: the Functions registration answers as the embedded host`, async () => {
    const functionsResult = await viaFunctions.callTool({ name: tool, arguments: args });
    const { isError, ...embeddedResult } = await viaEmbedded.callTool({ name: tool, arguments: args });
    // The one difference: @azure/functions sends only the content and structured content of an
    // McpToolResponse, so an error result reaches the client as its text without isError
    // (Azure/azure-functions-nodejs-library: src/converters/toMcpToolResult.ts).
    assert.deepEqual(functionsResult, embeddedResult);
    assert.equal(functionsResult.isError, undefined, `isError was ${String(isError)} on the embedded host`);
  });
}

const readsAndPrompts: [what: string, call: (client: Client) => Promise<unknown>][] = [
  [
    'resources/read snippet://on-both-hosts',
    (client) => client.readResource({ uri: 'snippet://on-both-hosts' }),
  ],
  [
    'resources/read ui://weather/view.html',
    (client) => client.readResource({ uri: 'ui://weather/view.html' }),
  ],
  [
    'prompts/get weather_briefing',
    (client) => client.getPrompt({ name: 'weather_briefing', arguments: { city: 'Oslo' } }),
  ],
  [
    'prompts/get snippet_review without its required argument',
    (client) => client.getPrompt({ name: 'snippet_review', arguments: {} }),
  ],
];

for (const [what, call] of readsAndPrompts) {
  test(`${what}: the Functions registration answers as the embedded host`, async () => {
    assert.deepEqual(await outcomeOf(call(viaFunctions)), await outcomeOf(call(viaEmbedded)));
  });
}
