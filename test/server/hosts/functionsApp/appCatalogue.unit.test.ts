// The listings the Functions app host answers with, built from registrations in the shape
// @azure/functions 4.16.5 sends them (converters/toCoreFunctionMetadata.ts and the MCP trigger
// converters), and the start-up problems it names instead of serving a function it cannot run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogue } from '../../../../server/src/hosts/functionsApp/appCatalogue';
import type { CoreBindingInfo, RegisteredFunction } from '../../../../server/src/hosts/functionsApp/coreApi';
import { AppProblem } from '../../../../server/src/hosts/functionsApp/loadApp';

function registered(name: string, bindings: Record<string, CoreBindingInfo>): [string, RegisteredFunction] {
  return [name, { metadata: { name, bindings }, callback: () => undefined, entryPoint: undefined }];
}

const toolTrigger = (options: Record<string, unknown>): CoreBindingInfo => ({
  type: 'mcpToolTrigger',
  direction: 'in',
  useResultSchema: true,
  ...options,
});

test('tools: the input schema as PropertyBasedToolInputSchema.cs writes it, _meta from metadata', () => {
  const catalogue = buildCatalogue(
    new Map([
      registered('forecast', {
        trigger1: toolTrigger({
          toolName: 'get_forecast',
          description: 'Forecast.',
          toolProperties: JSON.stringify([
            {
              propertyName: 'city',
              propertyType: 'string',
              description: 'City',
              isRequired: true,
              isArray: false,
            },
            { propertyName: 'days', propertyType: 'integer', isRequired: false, isArray: true },
            { PropertyName: 'unit', PropertyType: 'string', Description: 'Unit', EnumValues: ['C', 'F'] },
          ]),
          metadata: '{"ui":{"resourceUri":"ui://weather/view.html"}}',
        }),
      }),
      registered('bare', {
        trigger2: toolTrigger({ toolName: 'bare', toolProperties: '[]', metadata: '{}' }),
      }),
    ]),
  );
  assert.deepEqual(catalogue.toolListing, [
    {
      name: 'get_forecast',
      description: 'Forecast.',
      inputSchema: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'City' },
          days: { type: 'array', items: { type: 'integer' }, description: '' },
          unit: { type: 'string', enum: ['C', 'F'], description: 'Unit' },
        },
        required: ['city'],
      },
      _meta: { ui: { resourceUri: 'ui://weather/view.html' } },
    },
    // No description, no _meta for empty metadata, and `required` is always written.
    { name: 'bare', inputSchema: { type: 'object', properties: {}, required: [] } },
  ]);
  assert.ok(catalogue.tools.get('GET_FORECAST'.toLowerCase()), 'tool names are looked up ignoring case');
});

test('resources and templates are listed apart; prompts keep their arguments; other triggers are not served', () => {
  const catalogue = buildCatalogue(
    new Map([
      registered('view', {
        r1: {
          type: 'mcpResourceTrigger',
          direction: 'in',
          uri: 'ui://app/view.html',
          resourceName: 'view',
          mimeType: 'text/html;profile=mcp-app',
          size: 10,
          metadata: '{"ui":{"prefersBorder":true}}',
        },
      }),
      registered('note', {
        r2: {
          type: 'mcpResourceTrigger',
          direction: 'in',
          uri: 'note://{id}',
          resourceName: 'note',
          title: 'Note',
        },
      }),
      registered('review', {
        p1: {
          type: 'mcpPromptTrigger',
          direction: 'in',
          promptName: 'review',
          promptArguments: '[{"name":"code","description":null,"required":true}]',
        },
      }),
      registered('hello', {
        h1: { type: 'httpTrigger', direction: 'in' },
        $return: { type: 'http', direction: 'out' },
      }),
    ]),
  );
  assert.deepEqual(catalogue.resourceListing, [
    {
      uri: 'ui://app/view.html',
      name: 'view',
      mimeType: 'text/html;profile=mcp-app',
      size: 10,
      _meta: { ui: { prefersBorder: true } },
    },
  ]);
  assert.deepEqual(catalogue.templateListing, [{ uriTemplate: 'note://{id}', name: 'note', title: 'Note' }]);
  assert.deepEqual(catalogue.promptListing, [
    { name: 'review', arguments: [{ name: 'code', required: true }] },
  ]);
  assert.deepEqual(catalogue.prompts.get('review')?.required, ['code']);
  assert.deepEqual(catalogue.notServed, [{ functionName: 'hello', triggerType: 'httpTrigger' }]);
});

test('start-up problems name the function and the fix', () => {
  const problem = (bindings: Record<string, CoreBindingInfo>, message: RegExp) =>
    assert.throws(
      () => buildCatalogue(new Map([registered('saveOrder', bindings)])),
      (error: unknown) => error instanceof AppProblem && message.test(error.message),
    );
  problem(
    {
      t: toolTrigger({ toolName: 'save_order' }),
      queueOut: { type: 'queue', direction: 'out', queueName: 'orders' },
    },
    /Function "saveOrder" uses the "queue" output binding "queueOut".*Core Tools.*func start/,
  );
  problem({ t: toolTrigger({ toolName: 'x', metadata: '[1]' }) }, /metadata must be a JSON object/);
  problem(
    { r: { type: 'mcpResourceTrigger', direction: 'in', uri: 'no scheme', resourceName: 'r' } },
    /Invalid resource URI format/,
  );
  assert.throws(
    () =>
      buildCatalogue(
        new Map([
          registered('a', { t: toolTrigger({ toolName: 'Same' }) }),
          registered('b', { t: toolTrigger({ toolName: 'same' }) }),
        ]),
      ),
    /Tool with name 'same' is already registered/,
  );
});
