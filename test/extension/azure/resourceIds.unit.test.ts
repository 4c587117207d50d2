// extension/azure/resourceIds.ts: the one parser of function-app resource ids.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSiteResourceId, siteRefOf, siteResourceId } from '../../../extension/azure/resourceIds';

const sub = '00000000-0000-0000-0000-000000000000';

describe('parseSiteResourceId', () => {
  test('splits a site resource ID, whatever the case of the fixed segments', () => {
    const expected = { subscriptionId: sub, resourceGroup: 'rg-MCP', name: 'func-mcp-abc' };
    assert.deepEqual(
      parseSiteResourceId(
        `/subscriptions/${sub}/resourceGroups/rg-MCP/providers/Microsoft.Web/sites/func-mcp-abc`,
      ),
      expected,
    );
    assert.deepEqual(
      parseSiteResourceId(
        `/SUBSCRIPTIONS/${sub}/resourcegroups/rg-MCP/PROVIDERS/microsoft.web/SITES/func-mcp-abc/`,
      ),
      expected,
    );
    assert.equal(
      siteResourceId(expected),
      `/subscriptions/${sub}/resourceGroups/rg-MCP/providers/Microsoft.Web/sites/func-mcp-abc`,
    );
  });

  test('anything else is refused with a message naming the bad ID', () => {
    for (const bad of [
      '',
      'func-mcp-abc',
      `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st`,
      `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/staging`,
      `/subscriptions/${sub}/resourceGroups//providers/Microsoft.Web/sites/app`,
    ]) {
      assert.throws(
        () => parseSiteResourceId(bad),
        (error: Error) =>
          error.message.startsWith(
            `"${bad}" is not the resource ID of a function app; expected /subscriptions/`,
          ),
      );
    }
  });
});

describe('siteRefOf', () => {
  test('gives the parts of a site id, and undefined (no throw) for anything else', () => {
    assert.deepEqual(siteRefOf(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/app`), {
      subscriptionId: sub,
      resourceGroup: 'rg',
      name: 'app',
    });
    assert.equal(
      siteRefOf(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/x`),
      undefined,
    );
    assert.equal(siteRefOf('func-mcp-abc'), undefined);
  });
});
