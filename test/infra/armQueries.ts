// Questions the infra tests ask of a compiled template or of a `bicep snapshot` (test/infra/bicepCli.ts):
// which resources of a type it creates, their app settings and authentication settings, the roles
// an identity holds, and the parameter values azd passes from main.parameters.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ArmResource, ArmTemplate, Snapshot } from './bicepCli';
import { entraAuthSettingsV2, type EntraRegistration } from '../../extension/auth/entraAppConfig';

/** main.parameters.json's values as azd passes them: `${VAR}` and `${VAR=default}` from its environment. */
export function azdParameterValues(
  parametersFile: string,
  env: Record<string, string>,
  declared: NonNullable<ArmTemplate['parameters']>,
): Record<string, string | boolean> {
  const file = JSON.parse(readFileSync(parametersFile, 'utf8')) as {
    parameters: Record<string, { value: string }>;
  };
  // https://learn.microsoft.com/azure/developer/azure-developer-cli/manage-environment-variables
  return Object.fromEntries(
    Object.entries(file.parameters).map(([name, { value }]): [string, string | boolean] => {
      const text = value.replace(
        /\$\{(\w+)(?:=([^}]*))?\}/g,
        (_, v: string, d?: string) => env[v] ?? d ?? '',
      );
      if (declared[name]?.type !== 'bool') return [name, text];
      assert.match(text, /^(true|false)$/, `${name} is a bool, and azd would pass "${text}"`);
      return [name, text === 'true'];
    }),
  );
}

export function templateResources(template: ArmTemplate): ArmResource[] {
  return Array.isArray(template.resources) ? template.resources : Object.values(template.resources);
}

export function resources(s: Snapshot, type: string): ArmResource[] {
  return s.predictedResources.filter((r) => r.type === type);
}

export function one(s: Snapshot, type: string, nameEndsWith = ''): ArmResource {
  const found = resources(s, type).filter((r) => String(r.name).endsWith(nameEndsWith));
  assert.equal(
    found.length,
    1,
    `expected one ${type}${nameEndsWith ? ` named …${nameEndsWith}` : ''}, got ${found.length}`,
  );
  return found[0] as ArmResource;
}

export const props = (r: ArmResource): Record<string, unknown> => r.properties ?? {};
export const appSettings = (s: Snapshot) =>
  props(one(s, 'Microsoft.Web/sites/config', '/appsettings')) as Record<string, string>;
export const authSettings = (s: Snapshot) => props(one(s, 'Microsoft.Web/sites/config', '/authsettingsV2'));

/** The role assignments of a snapshot that grant `roleId`. */
export function assignmentsOf(s: Snapshot, roleId: string): ArmResource[] {
  return resources(s, 'Microsoft.Authorization/roleAssignments').filter((r) =>
    String(props(r).roleDefinitionId).endsWith(
      `/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
    ),
  );
}

/** The app's identity in a snapshot: the expressions that read its ids once it exists. */
export function appIdentity(s: Snapshot): { id: string; principalId: string; clientId: string } {
  const identity = one(s, 'Microsoft.ManagedIdentity/userAssignedIdentities');
  const read = (property: string) =>
    `[reference('${String(identity.id)}', '${String(identity.apiVersion)}').${property}]`;
  return { id: String(identity.id), principalId: read('principalId'), clientId: read('clientId') };
}

/**
 * Asserts that a snapshot's authsettingsV2 are exactly what the extension writes for Entra
 * (extension/auth/entraAppConfig.ts) for this registration; the issuer stays an ARM expression, as
 * the cloud's login endpoint is known only at deployment time.
 */
export function assertEntraAuthSettings(s: Snapshot, registration: EntraRegistration): void {
  const auth = authSettings(s) as unknown as ReturnType<typeof entraAuthSettingsV2>;
  const expected = entraAuthSettingsV2(registration);
  const given = auth.identityProviders.azureActiveDirectory.registration as { openIdIssuer?: string };
  assert.equal(
    given.openIdIssuer,
    `[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, '${registration.tenantId}')]`,
  );
  (expected.identityProviders.azureActiveDirectory.registration as { openIdIssuer?: string }).openIdIssuer =
    given.openIdIssuer;
  assert.deepEqual(auth, expected);
}

/** Every template nested in `template`'s module deployments, at any depth. */
export function nestedTemplates(template: ArmTemplate): ArmTemplate[] {
  return templateResources(template)
    .filter((r) => r.type === 'Microsoft.Resources/deployments')
    .map((r) => (r.properties as { template: ArmTemplate }).template)
    .flatMap((t) => [t, ...nestedTemplates(t)]);
}

export function moduleDeployment(main: ArmTemplate, name: string): ArmResource {
  const found = templateResources(main).find(
    (r) => r.type === 'Microsoft.Resources/deployments' && r.name === name,
  );
  assert.ok(found, `main.bicep deploys no module named ${name}`);
  return found;
}

/**
 * Asserts that every read of module `name`'s outputs in `value` sits in the first branch of
 * `if(<condition>, …)`: ARM evaluates only the branch it takes, so the read happens only when
 * the conditional module was deployed. (main.bicep writes `x!.outputs`, which tells the compiler
 * so and stops it checking.)
 */
export function assertReadsGuarded(value: unknown, name: string, condition: string, where: string): number {
  if (Array.isArray(value))
    return value.reduce<number>((n, v) => n + assertReadsGuarded(v, name, condition, where), 0);
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce(
      // dependsOn names the deployment without reading it; ARM skips a dependency that is not deployed.
      (n, [key, v]) =>
        n + (key === 'dependsOn' ? 0 : assertReadsGuarded(v, name, condition, `${where}.${key}`)),
      0,
    );
  }
  if (typeof value !== 'string') return 0;
  const read = `'Microsoft.Resources/deployments', '${name}'), '`;
  let count = 0;
  for (let at = value.indexOf(read); at !== -1; at = value.indexOf(read, at + 1)) {
    count++;
    const guard = value.lastIndexOf(`if(${condition}, `, at);
    assert.ok(guard !== -1, `${where} reads module ${name} without if(${condition}, …): ${value}`);
    // Still inside the guard's first argument: its parenthesis open, no comma of its own yet.
    let depth = 0;
    let inString = false;
    for (let i = guard + `if(${condition}, `.length; i < at; i++) {
      const c = value[i];
      if (c === "'") inString = !inString;
      else if (inString) continue;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === ',' && depth === 0)
        assert.fail(`${where} reads module ${name} in the else branch: ${value}`);
      assert.ok(depth >= 0, `${where} reads module ${name} outside if(${condition}, …): ${value}`);
    }
  }
  return count;
}
