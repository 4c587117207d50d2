import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually, invokeTool, setSetting, startMcpServersUntilTools } from '../../vscode/suite/support';
import type { LocalServerState } from '../../../extension/localServer/localServerManager';
import type { AnalysisRequests } from '../../vscode/analysisFixtures';
import {
  SUBSCRIPTION_A,
  SUBSCRIPTION_B,
  WORKSPACE,
  samplePatches,
  sampleServers,
  sampleSqlRows,
} from '../../support/analysisSampleData';

/**
 * Calls a tool as Copilot agent mode does; VS Code hands the model a tool's structuredContent when
 * there is one, so that is what comes back here.
 */
async function invokeForJson(tool: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const text = await invokeTool(tool, input);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${tool} answered with no structured result: ${text}`);
  }
}

const names = (rows: unknown, key: string) => (rows as Record<string, unknown>[]).map((row) => row[key]);

// The runner points the local server at loopback fakes of Resource Graph and Log Analytics and of
// the App Service managed identity endpoint (test/vscode/analysisFixtures.ts), so the server signs
// in as a deployed app does, whatever PATH VS Code gives its extension host.
describe('the analysis tools from the local server, signed in as a managed identity', () => {
  before(async () => {
    await setSetting('localServer.host', 'embedded');
    const state = await vscode.commands.executeCommand<LocalServerState>('remoteMcp.startLocalServer');
    assert.equal(state?.status, 'running');
    await startMcpServersUntilTools();
    // VS Code may still list the tools of the server the previous test stopped: wait until this
    // server's own tools answer.
    await eventually('a tool call answered by the new local server', async () => {
      await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
      return invokeTool('hello_mcp', {}).then(
        (text) => text === 'Hello I am MCP Tool!',
        () => false,
      );
    });
  });

  after(async () => {
    // Leave the local server stopped, as the loop's own tests do.
    await vscode.commands.executeCommand('remoteMcp.stopLocalServer');
  });

  it('GetServerMetadata, GetSqlMetadata, GetPatchingLevel answer with the rows Resource Graph holds', async () => {
    const servers = await invokeForJson('GetServerMetadata', {
      subscription_ids: [SUBSCRIPTION_A, SUBSCRIPTION_B],
    });
    assert.deepEqual(
      names(servers.servers, 'name'),
      sampleServers.map((server) => server.name),
    );
    assert.deepEqual(servers.counts, { total: 3, shown: 3, notShown: 0, totalIsExact: true });

    const sql = await invokeForJson('GetSqlMetadata', { subscription_ids: [SUBSCRIPTION_A, SUBSCRIPTION_B] });
    assert.deepEqual(
      names(sql.databases, 'instance'),
      sampleSqlRows.map((row) => row.instance),
    );
    assert.deepEqual(names(sql.databases, 'database'), ['orders', 'staging', null]);

    // A comma-separated string, as a model may well send it.
    const patches = await invokeForJson('GetPatchingLevel', { subscription_ids: SUBSCRIPTION_A });
    assert.deepEqual(
      names(patches.patches, 'server'),
      samplePatches.map((patch) => patch.server),
    );
    assert.equal((patches.patches as Record<string, unknown>[])[0]?.severity, 'Critical');
  });

  it('GetSqlBpAssessment and GetAnomalies read the Log Analytics workspace; GetAnomalies states its method', async () => {
    const assessment = await invokeForJson('GetSqlBpAssessment', { workspace_id: WORKSPACE });
    assert.deepEqual(names(assessment.findings, 'checkId'), ['FullBackup', 'MaxDOP']);
    assert.equal(assessment.timespan, 'P7D');

    const anomalies = await invokeForJson('GetAnomalies', { workspace_id: WORKSPACE, timespan: 'PT12H' });
    assert.deepEqual(
      (anomalies.anomalies as Record<string, unknown>[]).map(({ computer, metric, direction }) => ({
        computer,
        metric,
        direction,
      })),
      [
        { computer: 'sql-01', metric: 'CPU %', direction: 'above expected' },
        { computer: 'file-02', metric: 'Disk free %', direction: 'below expected' },
      ],
    );
    const method = anomalies.detectionMethod as Record<string, unknown>;
    assert.equal(method.function, 'series_decompose_anomalies');
    assert.equal(method.threshold, 1.5);
    assert.equal(method.trend, 'linefit');
  });

  it('got every token from the managed identity endpoint, for the identity in AZURE_CLIENT_ID', async () => {
    const response = await fetch(`${process.env.REMOTE_MCP_ANALYSIS_CONTROL_URL ?? ''}/requests`);
    assert.equal(response.status, 200);
    const requests = (await response.json()) as AnalysisRequests;
    const clientId = process.env.AZURE_CLIENT_ID;
    assert.ok(clientId, 'the runner sets AZURE_CLIENT_ID');
    // One token per service, asked with the platform's header for the user-assigned identity.
    assert.deepEqual(
      requests.identity.map((request) => request.resource).sort(),
      [requests.logAnalytics.endpoint, requests.resourceGraph.endpoint].sort(),
    );
    for (const { clientId: asked, identityHeader, status } of requests.identity) {
      assert.deepEqual(
        { asked, identityHeader, status },
        { asked: clientId, identityHeader: 'valid', status: 200 },
      );
    }
    // And each service saw a token whose audience is itself, on every request.
    assert.ok(requests.resourceGraph.audiences.length >= 3);
    assert.deepEqual(new Set(requests.resourceGraph.audiences), new Set([requests.resourceGraph.endpoint]));
    assert.ok(requests.logAnalytics.audiences.length >= 2);
    assert.deepEqual(new Set(requests.logAnalytics.audiences), new Set([requests.logAnalytics.endpoint]));
  });
});
