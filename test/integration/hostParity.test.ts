import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpToolProperty } from '@azure/functions';
import { registerFunctionsTools } from '../../server/src/hosts/functions/registerTools';
import { catalogue } from '../../server/src/tools';
import type { RunningEmbeddedHost } from '../../server/src/hosts/embedded/startEmbeddedHost';
import { RecordingRegistrar } from '../support/functionsRegistrar';
import { startTestHost } from '../support/embeddedHost';
import { connectClient } from '../support/mcpClients';
import { startToolEnvironment, type ToolEnvironment } from '../support/toolEnvironment';

/** Calls in order: snippet calls depend on earlier saves, so both hosts see the same storage state. */
const calls: [tool: string, args: unknown][] = [
  ['hello_mcp', {}],
  ['hello_mcp', { extra: 1 }],
  ['save_snippet', { snippetname: 'parity-one', snippet: 'first ✓' }],
  ['save_snippet', { snippetname: 'parity-two', snippet: 'line 1\nline 2' }],
  ['get_snippet', { snippetname: 'parity-one' }],
  ['get_snippet', { snippetname: 'parity-missing' }],
  ['get_snippet', { snippetname: 'a/../b' }],
  ['get_snippet', {}],
  ['save_snippet', { snippetname: 'x', snippet: 42 }],
  ['list_snippets', { prefix: 'parity-' }],
  ['list_snippets', { limit: 0 }],
  ['get_weather', { city: 'London', countryCode: 'GB' }],
  ['get_weather', { city: 'Paris' }],
  ['get_weather', { city: 'Nowhereville' }],
  ['get_weather', { city: '' }],
  ['get_weather', { city: 'Paris', countryCode: 'FRA' }],
  ['analyze_invoice', { fileName: 'invoices/contoso-INV-2026-0042.pdf' }],
  ['analyze_invoice', { invoiceId: 'invoices', fileName: 'fabrikam-FAB-11873.png' }],
  ['analyze_invoice', { fileName: 'invoices/missing.pdf' }],
  ['analyze_invoice', { fileName: '../package.json' }],
  ['analyze_invoice', { fileName: 'invoices/contoso-INV-2026-0042.pdf', contentType: 'text/plain' }],
  ['analyze_invoice', { fileName: 'invoices/contoso-INV-2026-0042.pdf', analyzerId: 'no-such-analyzer' }],
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

test('the Functions host registers every catalogue tool with toolProperties from its schema', () => {
  assert.deepEqual([...functionsHost.registrations.keys()].sort(), catalogue.map((tool) => tool.name).sort());
  const properties = functionsHost.registrations.get('save_snippet')?.toolProperties as McpToolProperty[];
  assert.deepEqual(
    properties.map(({ description: _description, ...rest }) => rest),
    [
      { propertyName: 'snippetname', propertyType: 'string', isRequired: true, isArray: false },
      { propertyName: 'snippet', propertyType: 'string', isRequired: true, isArray: false },
    ],
  );
  for (const property of properties) assert.ok(property.description, `${property.propertyName} is described`);
});

for (const [tool, args] of calls) {
  test(`${tool} ${JSON.stringify(args)} gives the same result on both hosts`, async () => {
    const viaFunctions = await functionsHost.invoke(tool, args);
    const viaEmbedded = await client.callTool({ name: tool, arguments: args as Record<string, unknown> });
    assert.deepEqual(viaEmbedded, viaFunctions);
  });
}
