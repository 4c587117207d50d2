// Issue 14's deploy story in a real VS Code, as a user with their own Functions MCP app goes through
// it: a workspace holding the TypeScript app as cloned (no azure.yaml), "Add Azure Deployment Files"
// from the Explorer on its folder, then the message's Deploy to Azure button: the fake azd
// (test/fakes/azd) provisions and deploys that folder, not the bundled server.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { PickItem } from '../../../extension/common/ui';
import type { RemoteServer } from '../../../extension/remote/remoteServers';
import { readDeployRecord } from '../../fakes/azd/deployRecord';
import { testApi } from '../../vscode/suite/support';

// The suite bundle runs from dist/test/vscode in the repository.
const repo = path.resolve(__dirname, '../../..');
const fixture = path.join(repo, 'test/fixtures/projects/ts-functions-mcp');

describe('Add Azure Deployment Files, then Deploy, in a real VS Code', () => {
  let folder = '';
  let deployRecord = '';
  const asked: string[] = [];
  const restore: (() => void)[] = [];

  before(async () => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the suite opens a workspace folder');
    // As a user's checkout of their app: sources, host.json and package.json; nothing built.
    folder = path.join(workspace, 'greetings-functions');
    cpSync(fixture, folder, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
    });

    // The fake azd the suite points remoteMcp.azdPath at, with its configuration plus a record of
    // what each deploy uploads. The azd task inherits the extension host's environment.
    const given = process.env.FAKE_AZD_CONFIG;
    assert.ok(given, 'the suite configures the fake azd');
    deployRecord = path.join(path.dirname(given), 'add-deployment-files-deploys.jsonl');
    const config = path.join(path.dirname(given), 'fake-azd-add-deployment-files.json');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(given, 'utf8')), deployRecord }));
    process.env.FAKE_AZD_CONFIG = config;
    restore.push(() => (process.env.FAKE_AZD_CONFIG = given));

    const api = await testApi();
    const ui = api.ui as {
      pick: <T>(title: string, items: readonly PickItem<T>[], options?: object) => Promise<T>;
    };
    const original = ui.pick;
    ui.pick = <T>(title: string, items: readonly PickItem<T>[], options?: object) => {
      asked.push(title);
      return original.call(ui, title, items, options) as Promise<T>;
    };
    restore.push(() => (ui.pick = original));
  });

  after(() => {
    for (const undo of restore) undo();
    rmSync(folder, { recursive: true, force: true });
    rmSync(deployRecord, { force: true });
  });

  it('adds azure.yaml and infra/ for the app, then azd deploys that folder as its api service', async () => {
    const api = await testApi();
    const { subscriptionId } = JSON.parse(readFileSync(process.env.FAKE_AZD_CONFIG ?? '', 'utf8')) as {
      subscriptionId: string;
    };
    api.ui.scriptAnswers(['System key (mcp_extension)']);
    await vscode.commands.executeCommand('remoteMcp.addDeploymentFiles', vscode.Uri.file(folder));

    assert.deepEqual(asked, [
      'Add Azure Deployment Files: how do clients of greetings-functions authenticate?',
    ]);
    for (const file of [
      'azure.yaml',
      'infra/main.bicep',
      'infra/app/api.bicep',
      'infra/main.parameters.json',
    ]) {
      assert.ok(existsSync(path.join(folder, file)), `${file} was added`);
    }
    const azureYaml = readFileSync(path.join(folder, 'azure.yaml'), 'utf8');
    assert.match(azureYaml, /^ {4}language: 'ts'$/m);
    assert.match(azureYaml, /^ {4}remoteBuild: true$/m);
    assert.ok(
      vscode.window.visibleTextEditors.some(
        (editor) => editor.document.uri.fsPath === path.join(folder, 'azure.yaml'),
      ),
      'azure.yaml is opened',
    );
    const added = api.ui.shown.at(-1);
    assert.equal(
      added?.message,
      'greetings-functions can be deployed to Azure Functions (Flex Consumption, clients send the mcp_extension system key). ' +
        'Added: azure.yaml, infra/ (12 files).',
    );
    assert.deepEqual(added?.actions, ['Deploy to Azure']);

    // The user presses Deploy to Azure: a new azd environment, then azd up in the app's folder.
    api.ui.scriptAnswers(['mcp-app', subscriptionId, 'eastus']);
    const deployed = (await api.ui.press('Deploy to Azure')) as RemoteServer | undefined;
    assert.ok(deployed, JSON.stringify(api.ui.shown.at(-1)));
    assert.deepEqual(asked.slice(1), ['Azure region'], 'no other question: the project is the only one');
    assert.ok(existsSync(path.join(folder, '.azure', 'mcp-app', '.env')), "the environment is the app's");
    const deploys = readDeployRecord(deployRecord);
    assert.deepEqual(deploys, [
      { environment: 'mcp-app', projectDir: folder, serviceDir: folder, language: 'ts', host: 'function' },
    ]);
    assert.equal(deployed.kind, 'functionsMcpExtension');
    assert.equal(deployed.environment, 'mcp-app');
    assert.equal(deployed.endpoint, `https://${deployed.hostName}/runtime/webhooks/mcp`);
    assert.equal(api.ui.shown.at(-1)?.message, `Deployed to ${deployed.hostName}`);
    assert.ok(
      !api.ui.shown.some((shown) => shown.message.includes('bundled sample server')),
      'nothing said the bundled server was deployed',
    );
  });
});
