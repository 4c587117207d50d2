import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { registerFunctionsTools } from '../../../server/src/hosts/functions/registerTools';
import { catalogue } from '../../../server/src/tools';
import type { RunningEmbeddedHost } from '../../../server/src/hosts/embedded/startEmbeddedHost';
import { RecordingRegistrar } from '../../support/functionsRegistrar';
import { startTestHost } from '../../support/embeddedHost';
import { connectClient } from '../../support/mcpClients';
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

let environment: ToolEnvironment;
let host: RunningEmbeddedHost;
let client: Client;
const functionsHost = new RecordingRegistrar();

before(async () => {
  environment = await startToolEnvironment();
  host = await startTestHost(environment.deps);
  client = await connectClient(host.mcpUrl, 'streamable-http');
  registerFunctionsTools(functionsHost, catalogue, environment.deps);
});
after(async () => {
  await client.close();
  await host.close();
  await environment.close();
});

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
