// What the workspace's azd environments say was deployed, and from where: each deployment's kind
// comes from the folder azure.yaml names as its service, so Connect builds /mcp for a self-hosted
// server and /runtime/webhooks/mcp for an MCP extension app.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { azdProjectOf, azureYamlServiceFolders } from '../../../extension/deploy/azdProject';
import { AzdProjects } from '../../../extension/deploy/azdProjects';
import { remoteServerFromEnvValues } from '../../../extension/deploy/deployCommand';

const fixtures = path.resolve(__dirname, '../../fixtures/projects');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-azd-projects-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const subscriptionId = '11111111-2222-3333-4444-555555555555';

/** What `azd up` leaves in `.azure/` once our Bicep's outputs are saved. */
function provisioned(
  projectDir: string,
  env: string,
  site: string,
  extra: Record<string, string> = {},
): void {
  const values: Record<string, string> = {
    AZURE_ENV_NAME: env,
    AZURE_LOCATION: 'westus3',
    AZURE_SUBSCRIPTION_ID: subscriptionId,
    AZURE_RESOURCE_GROUP: `rg-${env}`,
    AZURE_TENANT_ID: '99999999-8888-7777-6666-555555555555',
    AZURE_FUNCTION_NAME: site,
    SERVICE_API_DEFAULT_HOSTNAME: `${site}.azurewebsites.net`,
    ...extra,
  };
  mkdirSync(path.join(projectDir, '.azure', env), { recursive: true });
  writeFileSync(
    path.join(projectDir, '.azure', 'config.json'),
    JSON.stringify({ version: 1, defaultEnvironment: env }),
  );
  writeFileSync(
    path.join(projectDir, '.azure', env, '.env'),
    Object.entries(values)
      .map(([key, value]) => `${key}="${value}"`)
      .join('\n'),
  );
}

function copyFixture(fixture: string, to: string): void {
  cpSync(path.join(fixtures, fixture), to, {
    recursive: true,
    filter: (source) => !/node_modules$/.test(source),
  });
}

describe('deployments(): the kind of each', () => {
  test('a self-hosted service folder gives /mcp; an MCP extension one /runtime/webhooks/mcp', () => {
    // Workspace folder 1: azure.yaml at the root naming ./app, a self-hosted SDK server.
    const selfHosted = path.join(scratch, 'todo');
    copyFixture('node-self-hosted', path.join(selfHosted, 'app'));
    writeFileSync(
      path.join(selfHosted, 'azure.yaml'),
      '# azd project\nname: todo\nservices:\n  api:\n    project: ./app # the SDK server\n    language: ts\n    host: function\n',
    );
    provisioned(selfHosted, 'todo-dev', 'func-todo');
    // Workspace folder 2: an MCP extension app, its service quoted as some users write it.
    const extensionApp = path.join(scratch, 'snippets');
    copyFixture('ts-functions-mcp', path.join(extensionApp, 'src-app'));
    writeFileSync(
      path.join(extensionApp, 'azure.yml'),
      'name: snippets\nservices:\n  api:\n    host: function\n    project: "src-app"\n',
    );
    provisioned(extensionApp, 'snip-dev', 'func-snip');

    const projects = new AzdProjects(scratch, path.join(scratch, 'storage'), () => [
      selfHosted,
      extensionApp,
    ]);
    const byName = Object.fromEntries(projects.deployments().map((server) => [server.name, server]));
    assert.equal(byName['func-todo']?.kind, 'selfHosted');
    assert.equal(byName['func-todo']?.endpoint, 'https://func-todo.azurewebsites.net/mcp');
    assert.equal(byName['func-snip']?.kind, 'functionsMcpExtension');
    assert.equal(byName['func-snip']?.endpoint, 'https://func-snip.azurewebsites.net/runtime/webhooks/mcp');
    assert.deepEqual(azureYamlServiceFolders(extensionApp), [path.join(extensionApp, 'src-app')]);
  });

  test('an environment with APIM_ENABLED: the deployment carries its gateway beside the app endpoint', () => {
    const dir = path.join(scratch, 'gateway');
    copyFixture('ts-functions-mcp', path.join(dir, 'app'));
    writeFileSync(path.join(dir, 'azure.yaml'), 'name: gw\nservices:\n  api:\n    project: ./app\n');
    provisioned(dir, 'gw-dev', 'func-gw', {
      APIM_ENABLED: 'true',
      SERVICE_MCP_GATEWAY_URL: 'https://apim-gw.azure-api.net/mcp',
    });
    provisioned(dir, 'gw-off', 'func-gw-off', {
      SERVICE_MCP_GATEWAY_URL: 'https://apim-old.azure-api.net/mcp',
    });
    const projects = new AzdProjects(scratch, path.join(scratch, 'storage'), () => [dir]);
    const byName = Object.fromEntries(projects.deployments().map((server) => [server.name, server]));
    assert.equal(byName['func-gw']?.gateway?.endpoint, 'https://apim-gw.azure-api.net/mcp');
    assert.equal(byName['func-gw']?.endpoint, 'https://func-gw.azurewebsites.net/runtime/webhooks/mcp');
    assert.equal(byName['func-gw-off']?.gateway, undefined, 'APIM_ENABLED is not true there');
  });

  test("SERVICE_API_MCP_URL from the template's outputs names the endpoint exactly", () => {
    const values = {
      AZURE_ENV_NAME: 'dev',
      AZURE_LOCATION: 'westus3',
      AZURE_SUBSCRIPTION_ID: subscriptionId,
      AZURE_RESOURCE_GROUP: 'rg-dev',
      AZURE_TENANT_ID: '99999999-8888-7777-6666-555555555555',
      AZURE_FUNCTION_NAME: 'func-x',
      SERVICE_API_DEFAULT_HOSTNAME: 'func-x.azurewebsites.net',
    };
    assert.equal(
      remoteServerFromEnvValues(values, 'selfHosted').endpoint,
      'https://func-x.azurewebsites.net/mcp',
    );
    const withUrl = { ...values, SERVICE_API_MCP_URL: 'https://apim-x.azure-api.net/todo/mcp' };
    assert.equal(
      remoteServerFromEnvValues(withUrl, 'selfHosted').endpoint,
      'https://apim-x.azure-api.net/todo/mcp',
    );
    // Not an https URL: the host's own endpoint is kept rather than handing VS Code a broken one.
    const broken = { ...values, SERVICE_API_MCP_URL: 'func-x.azurewebsites.net/mcp' };
    assert.equal(
      remoteServerFromEnvValues(broken, 'selfHosted').endpoint,
      'https://func-x.azurewebsites.net/mcp',
    );
  });
});

describe('azdProjectOf: azure.yaml in the folder or an ancestor, within the workspace folder', () => {
  test('found in an ancestor; never above the workspace folder', () => {
    const root = path.join(scratch, 'mono');
    mkdirSync(path.join(root, 'servers', 'todo'), { recursive: true });
    writeFileSync(path.join(root, 'azure.yaml'), 'name: mono\n');
    assert.deepEqual(azdProjectOf(path.join(root, 'servers', 'todo'), root), {
      dir: root,
      source: 'workspace',
    });
    // Opened as its own workspace folder, the sub-folder does not reach the repository's azure.yaml.
    assert.equal(azdProjectOf(path.join(root, 'servers', 'todo'), path.join(root, 'servers')), undefined);
  });
});
