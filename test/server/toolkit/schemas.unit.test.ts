import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../server/src/tools';
import { functionsToolProperties, inputJsonSchema } from '../../../server/src/toolkit/schemas';

test('every tool argument can be declared to Functions, and matches the published JSON Schema', () => {
  for (const tool of catalogue) {
    const schema = inputJsonSchema(tool);
    const properties = functionsToolProperties(tool);
    assert.deepEqual(
      properties.map((p) => p.propertyName),
      Object.keys(schema.properties),
      tool.name,
    );
    for (const property of properties) {
      assert.ok(property.description, `${tool.name}.${property.propertyName} has a description`);
      assert.equal(property.isRequired, (schema.required ?? []).includes(property.propertyName));
    }
  }
});
