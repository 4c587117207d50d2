// The API Management gateway as the Bicep CLI compiles it, asked of every infra set that deploys it
// (the extension's own infra/, and both rendered template sets): how main.bicep deploys the module
// (only with apimEnabled, after the app, its outputs and the Entra registration's read behind that
// condition), and what app/gateway/apim.bicep would create for a kind of project, from `bicep snapshot`
// of the module itself. main.bicep with APIM_ENABLED cannot be snapshot whole: it would evaluate
// entra.bicep's outputs, which come from Microsoft Graph resources the snapshot does not create; the
// module gets the values those outputs would have. The snapshot leaves what only a deployment knows
// (the gateway URL, the app's host name and keys) as ARM expressions, which are asserted as such.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArmResource, ArmTemplate, CompiledInfra, Snapshot } from './bicepCli';
import { snapshot } from './bicepCli';
import {
  assertReadsGuarded,
  moduleDeployment,
  nestedTemplates,
  one,
  props,
  resources,
  templateResources,
} from './armQueries';
import { gatewayNamedValues, gatewayPolicyFiles, gatewayRoutes } from '../../shared/apiManagementGateway';

const infraDir = path.resolve(__dirname, '../../infra');

export type GatewayProjectKind = 'functionsMcpExtension' | 'selfHosted';

export const GATEWAY_MODULE = 'app/gateway/apim.bicep';
const APIM_ENABLED = "parameters('apimEnabled')";

/** The made-up deployment scope and the values entra.bicep's outputs would have. */
export interface GatewayScope {
  tenantId: string;
  subscriptionId: string;
  location: string;
  applicationId: string;
  identifierUri: string;
}

/** The compiled module main.bicep deploys as `gateway`, and its parameters. */
function gatewayDeployment(main: ArmTemplate) {
  const gateway = moduleDeployment(main, 'gateway');
  const properties = gateway.properties as {
    parameters: Record<string, { value: unknown }>;
    template: ArmTemplate;
  };
  return { gateway, parameters: properties.parameters, template: properties.template };
}

/**
 * main.bicep of a set: the gateway only with apimEnabled, for this kind, after the app (it reads the
 * app's name from its outputs); the Entra registration whenever built-in authentication or the gateway
 * is on (`builtInAuthentication` is main.bicep's own expression for the former); and every read of
 * either module's outputs behind a condition that implies the module was deployed.
 */
export function assertGatewayWiring(
  main: ArmTemplate,
  options: { kind: GatewayProjectKind; builtInAuthentication: string },
): void {
  const { gateway, parameters, template } = gatewayDeployment(main);
  assert.equal(gateway.condition, `[${APIM_ENABLED}]`);
  assert.deepEqual(parameters.projectKind, { value: options.kind });
  assert.match(
    String(parameters.functionAppName?.value),
    /'Microsoft\.Resources\/deployments', 'api'\), '[\d-]+'\)\.outputs\.name\.value\]$/,
    'the gateway takes the app from the api module, so it is deployed after the app',
  );
  assert.deepEqual(parameters.sku, { value: "[parameters('apimSku')]" });
  assert.equal(main.parameters?.apimEnabled?.type, 'bool');
  assert.equal(main.parameters?.apimEnabled?.defaultValue, false);
  assert.equal(main.parameters?.apimSku?.defaultValue, 'BasicV2');
  assert.deepEqual((main.parameters?.apimSku as { allowedValues?: string[] }).allowedValues, [
    'Developer',
    'BasicV2',
    'StandardV2',
  ]);

  const entra = moduleDeployment(main, 'entra');
  assert.equal(entra.condition, "[variables('entraRegistration')]");
  assert.equal(main.variables?.entraRegistration, `[or(${options.builtInAuthentication}, ${APIM_ENABLED})]`);
  // The registration's ids reach the gateway only when it is deployed, which implies the registration.
  assert.equal(assertReadsGuarded(parameters, 'entra', APIM_ENABLED, 'gateway'), 2);
  const outputs = main.outputs ?? {};
  assert.equal(
    assertReadsGuarded(outputs, 'entra', "variables('entraRegistration')", 'outputs'),
    2,
    'ENTRA_APPLICATION_ID and ENTRA_IDENTIFIER_URI',
  );
  assert.equal(assertReadsGuarded(outputs, 'gateway', APIM_ENABLED, 'outputs'), 1);
  assert.deepEqual(outputs.APIM_ENABLED, { type: 'bool', value: `[${APIM_ENABLED}]` });
  assert.equal(outputs.SERVICE_MCP_GATEWAY_URL?.type, 'string');
  assert.match(
    String(outputs.SERVICE_MCP_GATEWAY_URL?.value),
    /^\[if\(parameters\('apimEnabled'\), reference\(.*'gateway'\), '[\d-]+'\)\.outputs\.mcpUrl\.value, ''\)\]$/,
  );

  // The module is the repository's apim.bicep, compiled in.
  const policies = templateResources(template).filter((r) => r.type.endsWith('/policies'));
  assert.deepEqual(
    policies.map((r) => r.type),
    [
      'Microsoft.ApiManagement/service/apis/policies',
      'Microsoft.ApiManagement/service/apis/operations/policies',
    ],
  );
}

/**
 * No output of any template (main.bicep and every module nested in it, at any depth) reads the
 * app's keys or the key's named value.
 */
export function assertNoKeyInOutputs(main: ArmTemplate, where: string): void {
  const templates = [main, ...nestedTemplates(main)];
  assert.ok(
    templates.some((t) => templateResources(t).some((r) => r.type === 'Microsoft.ApiManagement/service')),
    `${where}: no template deploys API Management`,
  );
  for (const template of templates) {
    for (const [name, output] of Object.entries(template.outputs ?? {})) {
      const text = JSON.stringify(output);
      assert.doesNotMatch(text, /list[A-Z]\w*\(|host\/default/, `${where}: output ${name} reads keys`);
      assert.ok(!text.includes(gatewayNamedValues.functionKey), `${where}: output ${name} reads the key`);
    }
  }
}

/** `bicep snapshot` of apim.bicep for a kind, as main.bicep would deploy it with the sets' names. */
export function gatewaySnapshot(
  compiled: CompiledInfra,
  kind: GatewayProjectKind,
  scope: GatewayScope,
): Promise<Snapshot> {
  return snapshot(
    compiled,
    `gateway-${kind}`,
    GATEWAY_MODULE,
    {
      name: 'apim-x',
      location: scope.location,
      tags: { 'azd-env-name': 'dev' },
      functionAppName: 'func-x',
      projectKind: kind,
      entraApplicationId: scope.applicationId,
      entraIdentifierUri: scope.identifierUri,
    },
    {
      tenantId: scope.tenantId,
      subscriptionId: scope.subscriptionId,
      location: scope.location,
      resourceGroup: 'rg-dev',
    },
  );
}

const policyFile = (file: string) => readFileSync(path.join(infraDir, file), 'utf8');

/** What a snapshot of apim.bicep creates: the service, its named values, the API, operations and policies. */
export function assertGatewayDeployment(s: Snapshot, kind: GatewayProjectKind, scope: GatewayScope): void {
  const service = one(s, 'Microsoft.ApiManagement/service');
  assert.deepEqual(service.sku, { name: 'BasicV2', capacity: 1 });
  assert.deepEqual(service.identity, { type: 'SystemAssigned' });
  assert.deepEqual(service.tags, { 'azd-env-name': 'dev' });
  assert.match(String(props(service).publisherEmail), /^[^@\s]+@[^@\s]+\.[a-z]+$/);
  const gatewayUrl = `reference('${String(service.id)}', '${String(service.apiVersion)}').gatewayUrl`;
  const site = `/subscriptions/${scope.subscriptionId}/resourceGroups/rg-dev/providers/Microsoft.Web/sites/func-x`;

  // Named values: exactly those the policy files read, each under its own name.
  const namedValues = new Map(
    resources(s, 'Microsoft.ApiManagement/service/namedValues').map((r) => [
      String(r.name).replace(/^apim-x\//, ''),
      props(r) as { displayName: string; value: string; secret: boolean },
    ]),
  );
  assert.deepEqual([...namedValues.keys()].sort(), Object.values(gatewayNamedValues).sort());
  for (const [name, value] of namedValues) {
    assert.equal(value.displayName, name, 'policies name a named value by its display name');
    assert.equal(value.secret, name === gatewayNamedValues.functionKey, `${name}: secret`);
  }
  const valueOf = (name: string) => namedValues.get(name)?.value;
  assert.equal(valueOf(gatewayNamedValues.tenantId), scope.tenantId);
  assert.equal(
    valueOf(gatewayNamedValues.authority),
    `[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, '${scope.tenantId}')]`,
  );
  assert.equal(valueOf(gatewayNamedValues.appId), scope.applicationId);
  assert.equal(valueOf(gatewayNamedValues.identifierUri), scope.identifierUri);
  assert.equal(valueOf(gatewayNamedValues.vscodeClientId), 'aebc6443-996d-45c2-90f0-388ff96faa56');
  assert.equal(valueOf(gatewayNamedValues.gatewayUrl), `[format('{0}${gatewayRoutes.mcp}', ${gatewayUrl})]`);
  assert.equal(
    valueOf(gatewayNamedValues.gatewayResourceMetadataUrl),
    `[format('{0}${gatewayRoutes.resourceMetadata}', ${gatewayUrl})]`,
  );
  // The app's key: the MCP extension's system key or the default function key, the master key while
  // that one does not exist yet; read when the deployment runs, so only the expression is here.
  const key = String(valueOf(gatewayNamedValues.functionKey));
  const keyOfKind =
    kind === 'functionsMcpExtension' ? "'systemKeys'), 'mcp_extension')" : "'functionKeys'), 'default')";
  assert.ok(key.startsWith(`[coalesce(tryGet(tryGet(listKeys('${site}/host/default', `), key);
  assert.ok(key.includes(keyOfKind), key);
  assert.match(key, /\)\.masterKey\)\]$/);

  // The API at the gateway's root, without subscription keys, forwarding to the kind's MCP routes.
  const api = one(s, 'Microsoft.ApiManagement/service/apis');
  assert.equal(api.name, 'apim-x/mcp');
  const apiProps = props(api);
  assert.equal(apiProps.path, '');
  assert.deepEqual(apiProps.protocols, ['https']);
  assert.equal(apiProps.subscriptionRequired, false);
  const hostName = `reference('${site}', '2024-04-01').defaultHostName`;
  assert.equal(
    apiProps.serviceUrl,
    kind === 'functionsMcpExtension'
      ? `[format('https://{0}/runtime/webhooks', ${hostName})]`
      : `[format('https://{0}', ${hostName})]`,
  );

  const operations = resources(s, 'Microsoft.ApiManagement/service/apis/operations');
  const route = (r: ArmResource) => `${String(props(r).method)} ${String(props(r).urlTemplate)}`;
  const expected = [
    `POST ${gatewayRoutes.mcp}`,
    `GET ${gatewayRoutes.mcp}`,
    `DELETE ${gatewayRoutes.mcp}`,
    ...(kind === 'functionsMcpExtension'
      ? [`GET ${gatewayRoutes.sse}`, `POST ${gatewayRoutes.sseMessage}`]
      : []),
    `GET ${gatewayRoutes.resourceMetadata}`,
    `GET ${gatewayRoutes.resourceMetadataRoot}`,
  ];
  assert.deepEqual(operations.map(route).sort(), expected.sort());

  // The policies are the files' text, as API Management gets it.
  const apiPolicy = one(s, 'Microsoft.ApiManagement/service/apis/policies');
  assert.equal(apiPolicy.name, 'apim-x/mcp/policy');
  assert.deepEqual(props(apiPolicy), { format: 'rawxml', value: policyFile(gatewayPolicyFiles.api) });
  const operationPolicies = resources(s, 'Microsoft.ApiManagement/service/apis/operations/policies');
  const metadataOperations = operations
    .filter((r) => String(props(r).urlTemplate).startsWith(gatewayRoutes.resourceMetadataRoot))
    .map((r) => `${String(r.name)}/policy`);
  assert.deepEqual(operationPolicies.map((r) => String(r.name)).sort(), metadataOperations.sort());
  for (const policy of operationPolicies) {
    assert.deepEqual(props(policy), {
      format: 'rawxml',
      value: policyFile(gatewayPolicyFiles.resourceMetadata),
    });
  }

  assert.deepEqual(Object.keys(s.outputs).sort(), ['mcpUrl', 'name']);
  assert.equal(s.outputs.mcpUrl, `[format('{0}${gatewayRoutes.mcp}', ${gatewayUrl})]`);
}
