// Whether a project's infra/ offers the API Management gateway (infraOffersGateway): the bundled
// server's and the templates users get do; infra/ written before the gateway does not.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { infraOffersGateway } from '../../../extension/apiManagement/enableApiManagement';

const root = path.resolve(__dirname, '../../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-apim-infra-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("the bundled server's infra/ and the shared templates' pass APIM_ENABLED to the Bicep", () => {
  assert.equal(infraOffersGateway(root), true);
  assert.equal(infraOffersGateway(path.join(root, 'templates', 'shared')), true);
});

test('infra/ that predates the gateway, or none at all, does not', () => {
  const old = path.join(scratch, 'old');
  mkdirSync(path.join(old, 'infra'), { recursive: true });
  writeFileSync(
    path.join(old, 'infra', 'main.parameters.json'),
    JSON.stringify({ parameters: { authEnabled: { value: '${AUTH_ENABLED=false}' } } }),
  );
  assert.equal(infraOffersGateway(old), false);
  assert.equal(infraOffersGateway(path.join(scratch, 'nothing')), false);
});
