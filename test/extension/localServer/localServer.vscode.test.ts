import * as assert from 'node:assert/strict';
import net from 'node:net';
import * as vscode from 'vscode';
import { requestScreenshot } from '../../vscode/harness/mochaInHost';
import { pidListeningOn } from '../../support/ports';
import {
  eventually,
  invokeTool,
  ourMcpTools,
  serverToolNames,
  serverToolOf,
  setSetting,
  testApi,
  toolsOnceStartedByExtension,
} from '../../vscode/suite/support';
import type { LocalServerState } from '../../../extension/localServer/localServerManager';
import type { McpClientState } from '../../../extension/vscodeMcpClient/mcpClientStarter';
import type { ServerNode } from '../../../extension/statusView/serverNodes';
import { sampleInvoices, sampleTotals } from '../../../server/dev/sampleInvoices/sampleInvoices';

const port = Number(process.env.REMOTE_MCP_TEST_PORT);
/** VS Code names a provided server `<extension id>/<label>`. */
const localServerId = 'remote-mcp.remote-mcp-functions/Local MCP server';
/** The bundled server's counts in the view: its tools, then its prompts and resources, which it offers as of issue 14. */
const bundledCounts = `${serverToolNames.length} tools(?: · \\d+ prompts?)?(?: · \\d+ resources?)?`;

describe('the local server loop with the embedded host', () => {
  before(async () => {
    await setSetting('localServer.host', 'embedded');
  });

  it('Start Local Server -> provider -> VS Code MCP client started by the extension -> tools Copilot can call', async () => {
    const api = await testApi();
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.startLocalServer');
    assert.ok(state?.status === 'running', JSON.stringify(state));
    assert.equal(state.url, `http://127.0.0.1:${port}/runtime/webhooks/mcp`);
    assert.equal(state.host, 'embedded');

    const definitions = api.provider.provideMcpServerDefinitions();
    assert.equal(definitions.length, 1);
    assert.equal(definitions[0]?.uri.toString(), state.url);

    // Nobody but the extension starts the server in VS Code's MCP client: no test command, no chat.
    const tools = await toolsOnceStartedByExtension('Local MCP server');
    assert.deepEqual(tools.map(serverToolOf).sort(), [...serverToolNames].sort());
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    // VS Code gives the model a tool's structuredContent when there is one, so that is what Copilot sees.
    const snippet = 'console.log("hi") ✓';
    const saved: unknown = JSON.parse(
      await invokeTool('save_snippet', { snippetname: 'from-vscode', snippet }),
    );
    assert.deepEqual(saved, { name: 'from-vscode', sizeBytes: Buffer.byteLength(snippet) });
    const got: unknown = JSON.parse(await invokeTool('get_snippet', { snippetname: 'from-vscode' }));
    assert.deepEqual(got, { name: 'from-vscode', snippet });
    // The bundled server finds the sample invoices shipped in the VSIX; Content Understanding is the
    // loopback fake the runner points the server at (CONTENT_UNDERSTANDING_* in VS Code's environment).
    const [invoice] = sampleInvoices;
    assert.ok(invoice);
    const analyzed = JSON.parse(
      await invokeTool('analyze_invoice', { fileName: invoice.fileName }),
    ) as Record<string, unknown>;
    assert.equal(analyzed.fileName, invoice.fileName);
    assert.equal(analyzed.vendor, invoice.vendor.name);
    assert.equal(analyzed.invoiceNumber, invoice.invoiceNumber);
    assert.deepEqual(analyzed.total, { amount: sampleTotals(invoice).total, currency: invoice.currency });
  });

  it('shows the running server in the MCP Servers view: state, URL, host and tool count', async () => {
    const api = await testApi();
    const [local] = await eventually('the tool count in the view', async () => {
      const nodes = await api.tree.getChildren();
      return nodes[0]?.description?.includes(`${serverToolNames.length} tools`) ? nodes : undefined;
    });
    assert.equal(local?.label, 'Local server');
    assert.match(local?.description ?? '', new RegExp(`^running · embedded · ${bundledCounts}$`));
    const details = await api.tree.getChildren(local);
    assert.equal(
      details.find((node) => node.label === 'URL')?.description,
      `http://127.0.0.1:${port}/runtime/webhooks/mcp`,
    );
    assert.equal(details.find((node) => node.label === 'Host')?.description, 'embedded host');
    assert.ok(
      !details.some((node) => node.id === 'local/mcpClient'),
      'started in VS Code: no "Start in VS Code\'s MCP client" row',
    );
    await vscode.commands.executeCommand('remoteMcp.servers.focus');
    await requestScreenshot('servers-view');
  });

  it("a server VS Code's MCP client could not start: the view says so, and its one click starts it", async () => {
    const api = await testApi();
    const pid = pidListeningOn(port);
    await vscode.commands.executeCommand('workbench.mcp.stopServer', localServerId);
    // A hung server: the extension declines to hand it to VS Code (it does not answer).
    process.kill(pid, 'SIGSTOP');
    let row: ServerNode | undefined;
    try {
      const declined = await vscode.commands.executeCommand<McpClientState>(
        'remoteMcp.startInMcpClient',
        'Local MCP server',
      );
      assert.equal(declined?.status === 'notStarted' && declined.reason, 'declined');
      const [local] = await api.tree.getChildren();
      assert.match(
        local?.description ?? '',
        new RegExp(`^running · embedded · ${bundledCounts} · not started in VS Code$`),
      );
      row = local?.children?.[0];
      assert.equal(row?.label, "Start in VS Code's MCP client");
      assert.equal(row?.description, 'not started: the start was cancelled or failed');
      await vscode.commands.executeCommand('remoteMcp.servers.focus');
      await requestScreenshot('mcp-client-not-started');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // The row's click, as VS Code runs it.
    assert.ok(row?.command);
    const state = await vscode.commands.executeCommand(row.command.command, ...row.command.arguments);
    // 'started': VS Code asked the extension to resolve the server, so it is starting it.
    assert.deepEqual(state, { status: 'started' });
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    const [local] = await api.tree.getChildren();
    assert.ok(!local?.children?.some((node) => node.id === 'local/mcpClient'), 'the row is gone');
  });

  it('Stop removes the definition and the tools', async () => {
    const api = await testApi();
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.stopLocalServer');
    assert.equal(state?.status, 'stopped');
    assert.deepEqual(api.provider.provideMcpServerDefinitions(), []);
    // The view may list deployed servers it found in the subscription; the local server is not running.
    const local = (await api.tree.getChildren()).find((node) => node.id === 'local');
    assert.ok(!local || local.contextValue === 'localServer.stopped', JSON.stringify(local));
    await eventually('the MCP tools to disappear', () => ourMcpTools().length === 0);
  });

  it('a server killed from outside is reported, and Start works again', async () => {
    const api = await testApi();
    await vscode.commands.executeCommand('remoteMcp.startLocalServer');
    process.kill(pidListeningOn(port), 'SIGKILL');
    await eventually('the stopped state', () => api.localServer.state.status === 'stopped');
    assert.ok(api.ui.shown.some((shown) => /stopped unexpectedly/.test(shown.message)));
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.startLocalServer');
    assert.equal(state?.status, 'running');
    await toolsOnceStartedByExtension('Local MCP server');
    assert.equal(await invokeTool('hello_mcp', {}), 'Hello I am MCP Tool!');
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
  });

  it('a port in use gives a message naming the port and the setting', async () => {
    const api = await testApi();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await vscode.commands.executeCommand('remoteMcp.startLocalServer');
      assert.equal(result, undefined);
      const last = api.ui.shown.at(-1);
      assert.equal(last?.severity, 'error');
      assert.equal(
        last?.message,
        `Port ${port} is already in use, so the local MCP server cannot start. Stop the program using it, or change the setting remoteMcp.localServer.port.`,
      );
      assert.deepEqual(last?.actions, ['Open Settings', 'Show Logs']);
      assert.equal(api.localServer.state.status, 'stopped');
    } finally {
      blocker.close();
    }
  });
});
