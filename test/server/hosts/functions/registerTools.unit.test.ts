// What the Functions host is told about each tool: its name and the properties of its arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { McpToolProperty } from '@azure/functions';
import { registerFunctionsTools } from '../../../../server/src/hosts/functions/registerTools';
import { catalogue } from '../../../../server/src/tools';
import { RecordingRegistrar } from '../../../support/functionsRegistrar';
import { testDependencies } from '../../../support/testDependencies';

const functionsHost = new RecordingRegistrar();
registerFunctionsTools(functionsHost, catalogue, testDependencies({}));

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

test('a list argument is declared to the Functions host as an array, optional arguments as not required', () => {
  const strip = (name: string) =>
    (functionsHost.registrations.get(name)?.toolProperties as McpToolProperty[]).map(
      ({ description: _description, ...rest }) => rest,
    );
  for (const name of ['GetServerMetadata', 'GetSqlMetadata', 'GetPatchingLevel']) {
    assert.deepEqual(strip(name), [
      { propertyName: 'subscription_ids', propertyType: 'string', isRequired: true, isArray: true },
    ]);
  }
  for (const name of ['GetSqlBpAssessment', 'GetAnomalies']) {
    assert.deepEqual(strip(name), [
      { propertyName: 'workspace_id', propertyType: 'string', isRequired: true, isArray: false },
      { propertyName: 'timespan', propertyType: 'string', isRequired: false, isArray: false },
    ]);
  }
});
