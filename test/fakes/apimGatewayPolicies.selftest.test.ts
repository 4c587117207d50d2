// The gateway stand-in (apimGateway.ts) against the policy files it mirrors, read with a real XML
// parser: what infra/app/gateway/mcp-api.policy.xml and prm.policy.xml check and answer, their
// {{named values}} filled in from the stand-in's own named values, is what the stand-in checks and
// answers. An edit to either file that the stand-in does not follow fails here, by name, instead of
// letting the tests of Check Sign-in, the probe and Connect pass against a gateway Azure would not be.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import {
  FUNCTION_KEY_HEADER,
  gatewayNamedValues,
  gatewayPolicyFiles,
  gatewayRoutes,
  type GatewayNamedValue,
} from '../../shared/apiManagementGateway';
import {
  resourceMetadataBody,
  startGatewayStandIn,
  tokenRequirements,
  type GatewayNamedValues,
  type GatewayStandIn,
} from './apimGateway';
import { startFakeEntra, type FakeEntra } from './entra';

const infra = path.resolve(__dirname, '../../infra');
/** Elements that may repeat are always arrays, so a policy with one audience reads like one with two. */
const repeated = new Set(['audience', 'application-id', 'claim', 'value', 'when', 'set-header']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  // Kept: a claim's separator is a single space.
  trimValues: false,
  isArray: (name) => repeated.has(name),
});

type Node = Record<string, unknown>;

function policy(file: string): Node {
  const parsed = parser.parse(readFileSync(path.join(infra, file), 'utf8'), true) as Node;
  return child(parsed, 'policies');
}

function child(node: Node, name: string): Node {
  const found = node[name];
  assert.ok(found && typeof found === 'object' && !Array.isArray(found), `<${name}> in the policy`);
  return found as Node;
}

function children(node: Node, name: string): Node[] {
  const found = node[name];
  assert.ok(Array.isArray(found), `<${name}> in the policy`);
  return found as Node[];
}

/** An element's text, or its list of texts, trimmed. */
function texts(node: Node, name: string): string[] {
  const found = node[name];
  const list = Array.isArray(found) ? (found as unknown[]) : [found];
  return list.map((item) => String(typeof item === 'object' && item ? (item as Node)['#text'] : item).trim());
}

/** {{name}} → its value, as API Management resolves named values; an unknown name fails. */
function resolve(template: string, values: GatewayNamedValues): string {
  return template.replace(/\{\{([^}]+)\}\}/g, (_whole, name: string) => {
    assert.ok(name in values, `the policy reads a named value the stand-in does not have: ${name}`);
    return values[name as GatewayNamedValue];
  });
}

let entra: FakeEntra;
let standIn: GatewayStandIn;
before(async () => {
  entra = await startFakeEntra();
  // No request reaches the backend here; plain http so the global fetch reads the answers.
  standIn = await startGatewayStandIn({
    entra,
    backendPort: 9,
    kind: 'functionsMcpExtension',
    functionKey: 'k',
    tls: false,
  });
});
after(async () => {
  await standIn.close();
  await entra.close();
});

describe('the stand-in follows mcp-api.policy.xml', () => {
  const api = () => policy(gatewayPolicyFiles.api);

  test('every {{named value}} of both files is one of shared/apiManagementGateway.ts, and the stand-in has them all', () => {
    const used = [gatewayPolicyFiles.api, gatewayPolicyFiles.resourceMetadata].flatMap((file) =>
      [...readFileSync(path.join(infra, file), 'utf8').matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]),
    );
    const known: string[] = Object.values(gatewayNamedValues);
    assert.ok(used.length > 0);
    for (const name of used) assert.ok(known.includes(name ?? ''), `${name} is not in gatewayNamedValues`);
    assert.deepEqual(Object.keys(standIn.namedValues).sort(), [...known].sort());
  });

  test('validate-azure-ad-token: the tenant, audiences, client applications and scope claim the stand-in requires', () => {
    const values = standIn.namedValues;
    const validation = child(child(api(), 'inbound'), 'validate-azure-ad-token');
    const required = tokenRequirements(values);
    assert.equal(resolve(String(validation['@tenant-id']), values), required.tenantId);
    assert.equal(validation['@header-name'], 'Authorization');
    assert.equal(validation['@failed-validation-httpcode'], '401');
    assert.deepEqual(
      texts(child(validation, 'audiences'), 'audience').map((a) => resolve(a, values)),
      required.audiences,
    );
    assert.deepEqual(
      texts(child(validation, 'client-application-ids'), 'application-id').map((id) => resolve(id, values)),
      required.clientApplicationIds,
    );
    const claims = children(child(validation, 'required-claims'), 'claim');
    assert.deepEqual(
      claims.map((claim) => ({
        name: claim['@name'],
        match: claim['@match'],
        separator: claim['@separator'],
        values: texts(claim, 'value'),
      })),
      [{ name: 'scp', match: 'any', separator: ' ', values: [required.requiredScope] }],
    );
  });

  test("the key header: the stand-in sends the named value's key in the header the policy sets, replacing any", () => {
    const headers = children(child(api(), 'inbound'), 'set-header');
    assert.equal(headers.length, 1);
    const [header] = headers as [Node];
    assert.equal(header['@name'], FUNCTION_KEY_HEADER);
    assert.equal(header['@exists-action'], 'override');
    assert.equal(
      resolve(texts(header, 'value')[0] ?? '', standIn.namedValues),
      standIn.namedValues[gatewayNamedValues.functionKey],
    );
    const forward = child(child(api(), 'backend'), 'forward-request');
    assert.equal(forward['@buffer-response'], 'false', 'the stand-in streams answers: so must the policy');
  });

  test('on-error: the 401 and challenge the stand-in answers a refused token with, byte for byte', async () => {
    const [when, ...others] = children(child(child(api(), 'on-error'), 'choose'), 'when') as [
      Node,
      ...Node[],
    ];
    assert.equal(others.length, 0);
    assert.match(String(when['@condition']), /LastError\.Source == "validate-azure-ad-token"/);
    const answer = child(when, 'return-response');
    assert.equal(child(answer, 'set-status')['@code'], '401');
    const [challenge] = children(answer, 'set-header') as [Node];
    assert.equal(String(challenge['@name']).toLowerCase(), 'www-authenticate');
    assert.equal(answer['set-body'], undefined, 'the stand-in answers the 401 with no body');
    const expected = resolve(texts(challenge, 'value')[0] ?? '', standIn.namedValues);
    const refused = await fetch(standIn.url, { method: 'POST' });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), expected);
    assert.equal(await refused.text(), '');
  });
});

describe('the stand-in follows prm.policy.xml', () => {
  test('the PRM body, its named values filled in, is what the stand-in serves; open to all (no <base />)', async () => {
    const prm = policy(gatewayPolicyFiles.resourceMetadata);
    const inbound = child(prm, 'inbound');
    assert.equal(inbound['base'], undefined, 'no <base />: the PRM needs no token');
    const answer = child(inbound, 'return-response');
    assert.equal(child(answer, 'set-status')['@code'], '200');
    const body = JSON.parse(resolve(String(answer['set-body']), standIn.namedValues)) as unknown;
    assert.deepEqual(body, resourceMetadataBody(standIn.namedValues));
    for (const route of [gatewayRoutes.resourceMetadata, gatewayRoutes.resourceMetadataRoot]) {
      const served = await fetch(new URL(route, standIn.url));
      assert.equal(
        served.headers.get('content-type')?.split(';')[0],
        texts(children(answer, 'set-header')[0] ?? {}, 'value')[0],
      );
      assert.deepEqual(await served.json(), body, route);
    }
  });
});
