import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { requestScreenshot } from '../../vscode/harness/mochaInHost';
import {
  controlCall,
  eventually,
  serverToolNames,
  setSetting,
  testApi,
  type TestApi,
} from '../../vscode/suite/support';
import type { SignInStep } from '../../../extension/auth/signInCheck';
import type { LocalServerState } from '../../../extension/localServer/localServerManager';
import type { RemoteServer } from '../../../extension/remote/remoteServers';
import type { ServerNode } from '../../../extension/statusView/serverNodes';
import type { StatusSnapshot } from '../../../extension/statusView/serverStatus';

// The MCP Servers view after the deploy tests (remote.test.ts): the app deployed from the azd
// environment "mcp-test" (key mode) and the Entra-mode app, both found again by the view's scan of
// the fake ARM subscription, the local server, and every action of a server's menu.
const siteName = process.env.REMOTE_MCP_SITE_NAME ?? '';
const entraServer = JSON.parse(process.env.REMOTE_MCP_ENTRA_SERVER ?? '{}') as RemoteServer;
const toolCount = serverToolNames.length;

/** The bundled server's counts in the view: its tools, then its prompts and resources, which it offers as of issue 14. */
const bundledCounts = `${toolCount} tools(?: · \\d+ prompts?)?(?: · \\d+ resources?)?`;

const detail = (node: ServerNode | undefined, label: string) =>
  node?.children?.find((child) => child.label === label)?.description;

describe('the MCP Servers view', () => {
  let api: TestApi;
  let deployed: RemoteServer;
  const node = async () => api.tree.findServer(deployed.resourceId);
  /** Waits until the deployed server's node says what `expected` matches (probes run in the background). */
  const nodeMatching = (expected: RegExp) =>
    eventually(`the node of ${siteName} to match ${expected}`, async () => {
      const found = await node();
      return found && expected.test(found.description ?? '') ? found : undefined;
    });
  const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);

  before(async () => {
    api = await testApi();
    const known = api.registry.list().find((server) => server.name === siteName);
    assert.ok(known, `the deploy tests left ${siteName} in the workspace's list`);
    deployed = known;
    api.ui.captureLinks();
    await setSetting('localServer.host', 'embedded');
    await run('remoteMcp.servers.focus');
  });

  after(async () => {
    // The next suites count the MCP tools VS Code lists: leave only what was there.
    if (api.registry.find(deployed.resourceId)?.connected) await run('remoteMcp.disconnect', deployed);
    if (api.localServer.state.status !== 'stopped') await run('remoteMcp.stopLocalServer');
  });

  it('lists the local server with its tools, the deployed server under its azd environment, the other app under its subscription', async () => {
    const state = await run<LocalServerState>('remoteMcp.startLocalServer');
    assert.equal(state?.status, 'running');
    const snapshot = await run<StatusSnapshot>('remoteMcp.refreshServers');
    assert.equal(snapshot?.scan.status, 'done', JSON.stringify(snapshot?.scan));
    const nodes = await eventually('the local server with its tools', async () => {
      const children = await api.tree.getChildren();
      return new RegExp(`^running · embedded · ${bundledCounts}$`).test(children[0]?.description ?? '')
        ? children
        : undefined;
    });
    const localTools = nodes[0]?.children?.find((child) => child.label === 'Tools');
    assert.equal(localTools?.children?.length, toolCount);

    const environment = nodes.find((group) => group.label === 'azd environment mcp-test');
    assert.deepEqual(
      environment?.children?.map((child) => child.label),
      [siteName],
    );
    const server = await nodeMatching(
      new RegExp(`^not connected · key stored · ${bundledCounts} · \\d+ ms$`),
    );
    assert.equal(detail(server, 'State'), 'Running');
    assert.equal(detail(server, 'Endpoint'), deployed.endpoint);
    assert.equal(detail(server, 'Region'), 'eastus');
    assert.ok(detail(server, 'Last deployed'));

    const subscription = nodes.find((group) => group.label === 'MCP tests');
    assert.ok(
      subscription?.children?.some((child) => child.label === entraServer.name),
      'the Entra app, found by the scan',
    );
    const entra = await api.tree.findServer(entraServer.resourceId);
    assert.match(entra?.description ?? '', /^not connected · Entra sign-in/);
  });

  it('Connect from the node: connected, reachable, every tool with its description; a screenshot of the view', async () => {
    await run('remoteMcp.connect', await node());
    const connected = await nodeMatching(new RegExp(`^connected · key stored · ${toolCount} tools`));
    const tools = connected.children?.find((child) => child.label === 'Tools')?.children ?? [];
    assert.deepEqual(tools.map((tool) => tool.label).sort(), [...serverToolNames].sort());
    assert.ok(tools.every((tool) => (tool.description ?? '').length > 10));

    // Room for the view in the picture: no chat or panel beside it, a wider side bar.
    await run('workbench.action.closeAuxiliaryBar');
    await run('workbench.action.closePanel');
    // The editor part gives up width to the side bar (the resize commands act on the editor part).
    await run('workbench.action.focusActiveEditorGroup');
    for (let i = 0; i < 8; i++) await run('workbench.action.decreaseViewWidth');
    await api.statusView.view.reveal(connected, { expand: 2, select: true, focus: true });
    const screenshot = await requestScreenshot('status-view');
    assert.ok(screenshot, 'the harness saved a screenshot');
    assert.ok(statSync(screenshot).size > 0, `${screenshot} is empty`);
  });

  it('Copy MCP URL, Open in Azure Portal and Show Logs', async () => {
    assert.equal(await run('remoteMcp.statusView.copyMcpUrl', await node()), deployed.endpoint);
    assert.equal(await vscode.env.clipboard.readText(), deployed.endpoint);
    const tenantId = (await node())?.server?.tenantId;
    assert.ok(tenantId, 'the tenant is known (azd environment, or the subscription)');
    const portal = await run<string>('remoteMcp.statusView.openInPortal', await node());
    assert.equal(portal, `https://portal.azure.com/#@${tenantId}/resource${deployed.resourceId}`);
    assert.equal(await run('remoteMcp.statusView.showServerLogs', await node()), `${portal}/logStream`);
    assert.deepEqual(api.ui.opened.slice(-2), [portal, `${portal}/logStream`]);
  });

  it('Forget Key and Fetch Key: the node follows, and the probe with it', async () => {
    await run('remoteMcp.forgetKey', await node());
    await nodeMatching(/^connected · no key · HTTP 401: key needed$/);
    await run('remoteMcp.fetchKey', await node());
    await nodeMatching(new RegExp(`^connected · key stored · ${toolCount} tools`));
  });

  it('Check Sign-in, and Enable then Disable Entra Sign-in through azd', async () => {
    const steps = await run<SignInStep[]>('remoteMcp.checkSignIn', await node());
    assert.ok(steps?.length, JSON.stringify(api.ui.shown.at(-1)));
    const enabled = await run<RemoteServer>('remoteMcp.enableEntraAuth', await node());
    assert.equal(enabled?.auth?.mode, 'entra', JSON.stringify(api.ui.shown.at(-1)));
    await nodeMatching(/^connected · Entra sign-in/);
    const disabled = await run<RemoteServer>('remoteMcp.disableEntraAuth', await node());
    assert.equal(disabled?.auth?.mode, 'key', JSON.stringify(api.ui.shown.at(-1)));
    await run('remoteMcp.fetchKey', await node());
    await nodeMatching(new RegExp(`^connected · key stored · ${toolCount} tools`));
  });

  it('Redeploy runs azd deploy for its environment', async () => {
    const redeployed = await run<RemoteServer>('remoteMcp.statusView.redeploy', await node());
    assert.equal(redeployed?.resourceId, deployed.resourceId, JSON.stringify(api.ui.shown.at(-1)));
    assert.equal(api.ui.shown.at(-1)?.message, `Deployed to ${deployed.hostName}`);
  });

  it('Disconnect, Remove from the List and Restore', async () => {
    await run('remoteMcp.disconnect', await node());
    await nodeMatching(/^not connected · key stored/);
    await run('remoteMcp.statusView.remove', await node());
    assert.equal(await node(), undefined);
    assert.equal(api.registry.find(deployed.resourceId), undefined);
    assert.equal(await run('remoteMcp.statusView.restoreRemoved'), 1);
    // Still an azd environment of the workspace: listed again.
    assert.ok(await node());
    await run('remoteMcp.connect', await node());
    await nodeMatching(new RegExp(`^connected · key stored · ${toolCount} tools`));
  });

  it('states change when the app is stopped and started, and when the local server stops', async () => {
    await controlCall('POST', '/stop-app');
    await run('remoteMcp.refreshServers');
    const stopped = await nodeMatching(/· Stopped$/);
    assert.equal(detail(stopped, 'State'), 'Stopped');
    assert.equal(detail(stopped, 'Last probe'), 'not probed: the app is not running');
    await requestScreenshot('status-view-stopped');

    await controlCall('POST', '/start-app');
    await run('remoteMcp.refreshServers');
    const running = await nodeMatching(new RegExp(`^connected · key stored · ${toolCount} tools`));
    assert.equal(detail(running, 'State'), 'Running');

    await run('remoteMcp.stopLocalServer');
    const local = await eventually('the stopped local server', async () => {
      const found = (await api.tree.getChildren()).find((child) => child.id === 'local');
      return found?.contextValue === 'localServer.stopped' ? found : undefined;
    });
    assert.equal(local.description, 'stopped');
  });
});
