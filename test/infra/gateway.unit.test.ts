// The API Management gateway's policy files (infra/app/gateway/mcp-api.policy.xml, prm.policy.xml), read
// with a real XML parser: they are well-formed, every value that varies between deployments is a named
// value of shared/apiManagementGateway.ts (never a literal tenant, id, host or key), and they hold the
// rules VS Code's sign-in depends on: the token check (tenant, both audiences, VS Code's client id, the
// user_impersonation scope), the 401 Bearer challenge naming the Protected Resource Metadata, the PRM
// body, and the app's key on the backend call. How apim.bicep wires them is compiled in
// test/infra/gatewayChecks.ts, from each infra set's suite.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  FUNCTION_KEY_HEADER,
  gatewayNamedValues,
  gatewayPolicyFiles,
  gatewayRoutes,
} from '../../shared/apiManagementGateway';
import { VSCODE_CLIENT_ID } from '../../extension/auth/entra';

const infraDir = path.resolve(__dirname, '../../infra');
const policyText = (file: string) => readFileSync(path.join(infraDir, file), 'utf8');
const apiPolicyText = policyText(gatewayPolicyFiles.api);
const prmPolicyText = policyText(gatewayPolicyFiles.resourceMetadata);

type XmlNode = Record<string, unknown>;

/** Elements and attributes (attribute values untrimmed: `separator=" "` matters). Comments are dropped. */
function parse(xml: string): XmlNode {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  });
  return parser.parse(xml) as XmlNode;
}

/** The child element `name` of `node`, which must be there once. */
function child(node: unknown, name: string): XmlNode {
  assert.ok(node && typeof node === 'object', `no element to look for <${name}> in`);
  const found = (node as XmlNode)[name];
  assert.ok(found !== undefined, `<${name}> is missing`);
  assert.ok(!Array.isArray(found), `<${name}> appears more than once`);
  return (typeof found === 'object' ? found : { '#text': found }) as XmlNode;
}

function text(node: XmlNode): string {
  const value = node['#text'];
  assert.ok(value === undefined || typeof value === 'string', 'an element with text and children');
  return (value ?? '').trim();
}
const attribute = (node: XmlNode, name: string) => node[`@${name}`];

/** Every attribute value and text of a parsed document. */
function valuesOf(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(valuesOf);
  if (node && typeof node === 'object') return Object.values(node).flatMap(valuesOf);
  return [];
}

const namedValueReferences = (xml: string) => [...xml.matchAll(/\{\{([^}]*)\}\}/g)].map((m) => m[1] ?? '');

// What the named values hold in a deployment (apim.bicep), for checking what the policies produce.
const SAMPLE: Record<string, string> = {
  [gatewayNamedValues.tenantId]: '11111111-1111-1111-1111-111111111111',
  [gatewayNamedValues.authority]:
    'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0',
  [gatewayNamedValues.appId]: '66666666-6666-6666-6666-666666666666',
  [gatewayNamedValues.identifierUri]: 'api://11111111-1111-1111-1111-111111111111/remote-mcp-x',
  [gatewayNamedValues.vscodeClientId]: VSCODE_CLIENT_ID,
  [gatewayNamedValues.gatewayUrl]: 'https://apim-x.azure-api.net/mcp',
  [gatewayNamedValues.gatewayResourceMetadataUrl]:
    'https://apim-x.azure-api.net/.well-known/oauth-protected-resource/mcp',
  [gatewayNamedValues.functionKey]: 'not-a-real-key',
};

const substituted = (value: string) =>
  value.replace(/\{\{([^}]*)\}\}/g, (_, name: string) => {
    const sample = SAMPLE[name];
    assert.ok(sample !== undefined, `{{${name}}} is no named value`);
    return sample;
  });

describe('infra/app/gateway: the policy files API Management applies', () => {
  test('both are well-formed XML with <policies> at the root and the four sections', () => {
    for (const [file, xml] of [
      [gatewayPolicyFiles.api, apiPolicyText],
      [gatewayPolicyFiles.resourceMetadata, prmPolicyText],
    ] as const) {
      assert.equal(XMLValidator.validate(xml), true, `${file} is not well-formed`);
      const policies = child(parse(xml), 'policies');
      for (const section of ['inbound', 'backend', 'outbound', 'on-error']) child(policies, section);
    }
  });

  test('every {{name}} is one of gatewayNamedValues (what apim.bicep writes, test/infra/gatewayChecks.ts), and each of those is read by one of them', () => {
    const known = new Set<string>(Object.values(gatewayNamedValues));
    const used = [...namedValueReferences(apiPolicyText), ...namedValueReferences(prmPolicyText)];
    for (const name of used) assert.ok(known.has(name), `{{${name}}} is not in gatewayNamedValues`);
    assert.deepEqual([...new Set(used)].sort(), [...known].sort());
  });

  test('no literal id, tenant, host, URL or key: whatever differs between deployments is a named value', () => {
    for (const xml of [apiPolicyText, prmPolicyText]) {
      for (const value of valuesOf(parse(xml))) {
        assert.doesNotMatch(value, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, value);
        assert.doesNotMatch(value, /:\/\/|login\.microsoftonline|azure-api\.net|azurewebsites\.net/, value);
      }
      // Even the comments name VS Code's client id only through its named value.
      assert.ok(!xml.includes(VSCODE_CLIENT_ID));
    }
  });

  test("the token check: the tenant, the registration's two audiences, VS Code's client id and the user_impersonation scope, failing with 401", () => {
    const inbound = child(child(parse(apiPolicyText), 'policies'), 'inbound');
    const check = child(inbound, 'validate-azure-ad-token');
    assert.equal(attribute(check, 'tenant-id'), `{{${gatewayNamedValues.tenantId}}}`);
    assert.equal(attribute(check, 'header-name'), 'Authorization');
    assert.equal(attribute(check, 'failed-validation-httpcode'), '401');
    const clients = child(check, 'client-application-ids')['application-id'];
    assert.deepEqual(
      [clients]
        .flat()
        .map(String)
        .map((s) => s.trim()),
      [`{{${gatewayNamedValues.vscodeClientId}}}`],
    );
    const audiences = child(check, 'audiences').audience;
    assert.deepEqual(
      [audiences]
        .flat()
        .map(String)
        .map((s) => s.trim())
        .sort(),
      [`{{${gatewayNamedValues.appId}}}`, `{{${gatewayNamedValues.identifierUri}}}`],
    );
    const claim = child(child(check, 'required-claims'), 'claim');
    assert.equal(attribute(claim, 'name'), 'scp');
    assert.equal(attribute(claim, 'match'), 'any');
    // scp is a space-separated list of scopes.
    assert.equal(attribute(claim, 'separator'), ' ');
    assert.deepEqual(
      [claim.value]
        .flat()
        .map(String)
        .map((s) => s.trim()),
      ['user_impersonation'],
    );
    // The API's own inbound (<base />, the service's global policy) runs first, then the check.
    assert.ok(apiPolicyText.indexOf('<base />') < apiPolicyText.indexOf('<validate-azure-ad-token'));
  });

  test('the backend call carries the app key from the secret named value and streams the answer', () => {
    const policies = child(parse(apiPolicyText), 'policies');
    const header = child(child(policies, 'inbound'), 'set-header');
    assert.equal(attribute(header, 'name'), FUNCTION_KEY_HEADER);
    assert.equal(attribute(header, 'exists-action'), 'override');
    assert.equal(text(child(header, 'value')), `{{${gatewayNamedValues.functionKey}}}`);
    const forward = child(child(policies, 'backend'), 'forward-request');
    assert.equal(attribute(forward, 'buffer-response'), 'false');
  });

  test('a failed token check answers 401 with a Bearer challenge naming the gateway PRM URL', () => {
    const onError = child(child(parse(apiPolicyText), 'policies'), 'on-error');
    const when = child(child(onError, 'choose'), 'when');
    assert.equal(attribute(when, 'condition'), '@(context.LastError.Source == "validate-azure-ad-token")');
    const response = child(when, 'return-response');
    assert.equal(attribute(child(response, 'set-status'), 'code'), '401');
    const challenge = child(response, 'set-header');
    assert.equal(attribute(challenge, 'name'), 'WWW-Authenticate');
    assert.equal(
      text(child(challenge, 'value')),
      `Bearer error="invalid_token", resource_metadata="{{${gatewayNamedValues.gatewayResourceMetadataUrl}}}"`,
    );
    // Once deployed, the challenge names the path-suffixed PRM of the gateway's MCP URL.
    assert.equal(
      new URL(SAMPLE[gatewayNamedValues.gatewayResourceMetadataUrl] ?? '').pathname,
      gatewayRoutes.resourceMetadata,
    );
  });

  test('the PRM answers without a token (no <base /> in inbound) and, once named values are in, is the RFC 9728 JSON VS Code accepts', () => {
    const inbound = child(child(parse(prmPolicyText), 'policies'), 'inbound');
    assert.ok(!('base' in inbound), 'the API policy (the token check) would run before the metadata');
    assert.deepEqual(
      Object.keys(inbound).filter((k) => !k.startsWith('#')),
      ['return-response'],
    );
    const response = child(inbound, 'return-response');
    assert.equal(attribute(child(response, 'set-status'), 'code'), '200');
    const contentType = child(response, 'set-header');
    assert.equal(attribute(contentType, 'name'), 'Content-Type');
    assert.equal(text(child(contentType, 'value')), 'application/json');
    const body = JSON.parse(substituted(text(child(response, 'set-body')))) as Record<string, unknown>;
    assert.deepEqual(body, {
      resource: SAMPLE[gatewayNamedValues.gatewayUrl],
      authorization_servers: [SAMPLE[gatewayNamedValues.authority]],
      bearer_methods_supported: ['header'],
      scopes_supported: [`${SAMPLE[gatewayNamedValues.identifierUri]}/user_impersonation`],
    });
    // VS Code compares `resource` with the URL it connects to, exactly.
    assert.equal(new URL(String(body.resource)).pathname, gatewayRoutes.mcp);
  });
});
