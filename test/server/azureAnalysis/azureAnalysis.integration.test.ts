// The five infrastructure-analysis tools (GetServerMetadata, GetSqlMetadata, GetPatchingLevel,
// GetSqlBpAssessment, GetAnomalies) through callTool, with the real Azure SDK clients talking
// https to loopback fakes of Resource Graph and Log Analytics, signed in by the real
// AzureDeveloperCliCredential running the fake azd. Needs `node esbuild.mjs` (dist/test/fakeAzd.js).
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../../server/src/toolkit/callTool';
import { catalogue } from '../../../server/src/tools';
import type { AzureAnalysis } from '../../../server/src/azureAnalysis/azureAnalysis';
import { armErrorBody } from '../../fakes/resourceGraph';
import { logAnalyticsErrorBody } from '../../fakes/logAnalytics';
import { captureSdkLog, type SdkLogCapture } from '../../support/leakWatch';
import { recordingLogger, testDependencies } from '../../support/testDependencies';
import {
  SUBSCRIPTION_A,
  SUBSCRIPTION_B,
  WORKSPACE,
  anomalyColumns,
  bpaColumns,
  sampleAnomalyRows,
  sampleServers,
  startAzureAnalysisFakes,
  useFakeAzd,
  type AzureAnalysisFakes,
} from '../../support/azureAnalysisFakes';

process.env.NO_PROXY = [process.env.NO_PROXY, '127.0.0.1', 'localhost'].filter(Boolean).join(',');

const SUBSCRIPTION_C = '00000000-0000-0000-0000-0000000000c3';
const EMPTY_SUBSCRIPTION = '00000000-0000-0000-0000-0000000000e4';
const identity = 'your Azure Developer CLI or Azure CLI sign-in';
// Anything shaped like a JWT: tokens must never reach a result, a log line or the SDK's log.
const jwtShape = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}/;

let fakes: AzureAnalysisFakes;
let analysis: AzureAnalysis;
let sdkLog: SdkLogCapture;
const log = recordingLogger();
const seen: string[] = [];

before(async () => {
  sdkLog = captureSdkLog();
  // Two rows a page, so even the sample data is paged with $skipToken.
  fakes = await startAzureAnalysisFakes({ resourceGraph: { maxPageSize: 2 } });
  analysis = fakes.analysis(log);
});
after(async () => {
  sdkLog.restore();
  await fakes.close();
});
afterEach(() => {
  for (const text of [...seen, ...log.lines, ...sdkLog.lines]) assert.doesNotMatch(text, jwtShape);
});

async function call(
  name: string,
  args: unknown,
  options: { analysis?: AzureAnalysis; signal?: AbortSignal } = {},
): Promise<{ result: CallToolResult; text: string; structured: Record<string, unknown> }> {
  const tool = catalogue.find((t) => t.name === name);
  assert.ok(tool, `${name} is in the catalogue`);
  const deps = testDependencies({ azureAnalysis: options.analysis ?? analysis, log });
  const result = await callTool(tool, args, deps, options.signal);
  const first = result.content[0];
  assert.ok(first?.type === 'text');
  seen.push(first.text, JSON.stringify(result.structuredContent ?? {}));
  return { result, text: first.text, structured: result.structuredContent ?? {} };
}

async function ok(name: string, args: unknown, options?: { analysis?: AzureAnalysis }) {
  const answer = await call(name, args, options);
  assert.notEqual(answer.result.isError, true, `${name} failed: ${answer.text}`);
  return answer;
}

async function fails(
  name: string,
  args: unknown,
  options?: { analysis?: AzureAnalysis; signal?: AbortSignal },
) {
  const answer = await call(name, args, options);
  assert.equal(answer.result.isError, true, `expected ${name} to fail, got: ${answer.text}`);
  assert.equal(answer.result.structuredContent, undefined);
  assert.doesNotMatch(answer.text, /^\s*at /m, 'no stack trace');
  return answer.text;
}

type Body = { subscriptions: string[]; query: string; options: Record<string, unknown> };
const graphBodies = (from = 0): Body[] => fakes.resourceGraph.queries().slice(from);

describe('GetServerMetadata, GetSqlMetadata, GetPatchingLevel (Azure Resource Graph)', () => {
  test('GetServerMetadata lists Arc-enabled servers and VMs of every subscription asked for, as a table and as structuredContent', async () => {
    const from = fakes.resourceGraph.requests.length;
    const { text, structured } = await ok('GetServerMetadata', {
      subscription_ids: [SUBSCRIPTION_A, SUBSCRIPTION_B],
    });
    assert.match(text, /^3 servers in 2 subscriptions \(Azure Resource Graph\):/);
    assert.match(text, /2 Azure Arc-enabled servers, 1 Azure virtual machine shown\./);
    assert.match(
      text,
      /\| Name \| Type \| OS \| Status \| CPU or VM size \| Cores \| Memory \(GB\) \| IP addresses \|/,
    );
    assert.match(
      text,
      /\| sql-01 \| Arc \| Windows Server 2022 Datacenter 10\.0\.20348\.2700 \| Connected \| Intel\(R\) Xeon\(R\) Gold 6338 CPU @ 2\.00GHz \| 8 \| 32 \| 10\.1\.0\.4 \(10\.1\.0\.0\/24\) \| yes \|/,
    );
    assert.match(
      text,
      /\| web-01 \| Azure VM \| Ubuntu 22\.04 \| VM running \| Standard_D2s_v5 \| — \| — \| 10\.2\.0\.5 \| — \|/,
    );
    assert.doesNotMatch(text, /not shown/);

    const servers = structured['servers'] as Record<string, unknown>[];
    assert.deepEqual(
      servers.map((s) => s['name']),
      sampleServers.map((s) => s.name),
    );
    assert.deepEqual(servers[0], {
      id: sampleServers[0]?.id,
      name: 'sql-01',
      serverType: 'Azure Arc-enabled server',
      subscriptionId: SUBSCRIPTION_A,
      resourceGroup: 'rg-onprem',
      location: 'westeurope',
      status: 'Connected',
      processor: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
      logicalCores: 8,
      memoryGB: 32,
      vmSize: null,
      operatingSystem: 'Windows Server 2022 Datacenter 10.0.20348.2700',
      ipAddresses: ['10.1.0.4 (10.1.0.0/24)'],
      sqlServerDetected: true,
    });
    assert.deepEqual(structured['counts'], { total: 3, shown: 3, notShown: 0, totalIsExact: true });
    assert.deepEqual(structured['subscriptionIds'], [SUBSCRIPTION_A, SUBSCRIPTION_B]);

    const bodies = graphBodies(from);
    const requests = fakes.resourceGraph.requests.slice(from);
    for (const request of requests) {
      assert.equal(request.query['api-version'], '2024-04-01');
      assert.equal(request.method, 'POST');
    }
    for (const body of bodies) {
      assert.deepEqual(body.subscriptions, [SUBSCRIPTION_A, SUBSCRIPTION_B]);
      assert.equal(body.options['resultFormat'], 'objectArray');
      // Resource Graph pages only queries that project id.
      assert.match(body.query, /\|\s*project id,/);
      assert.match(body.query, /microsoft\.hybridcompute\/machines/);
      assert.match(body.query, /microsoft\.compute\/virtualmachines/);
    }
  });

  test('signs in with the azd sign-in and asks for a token whose audience is the Resource Manager endpoint it calls', async () => {
    await ok('GetPatchingLevel', { subscription_ids: [SUBSCRIPTION_A] });
    const audiences = new Set(fakes.resourceGraph.requests.map((r) => r.audience));
    assert.deepEqual([...audiences], [fakes.resourceGraph.endpoint]);
  });

  test('follows $skipToken until every row is in, each page asking only for what is still missing', async () => {
    const from = fakes.resourceGraph.requests.length;
    await ok('GetServerMetadata', { subscription_ids: [SUBSCRIPTION_A, SUBSCRIPTION_B] });
    const bodies = graphBodies(from);
    assert.equal(bodies.length, 2, 'three rows at two a page');
    assert.equal(bodies[0]?.options['$skipToken'], undefined);
    assert.equal(typeof bodies[1]?.options['$skipToken'], 'string');
    assert.equal(bodies[0]?.options['$top'], 200);
    assert.equal(bodies[1]?.options['$top'], 198);
  });

  test('accepts the subscriptions as a comma-separated string too, in any case, without duplicates', async () => {
    const from = fakes.resourceGraph.requests.length;
    const { structured } = await ok('GetServerMetadata', {
      subscription_ids: `${SUBSCRIPTION_B.toUpperCase()}, ${SUBSCRIPTION_B}`,
    });
    assert.deepEqual(structured['subscriptionIds'], [SUBSCRIPTION_B]);
    assert.deepEqual(
      (structured['servers'] as { name: string }[]).map((s) => s.name),
      ['file-02'],
      'only what the subscription holds',
    );
    assert.deepEqual(graphBodies(from)[0]?.subscriptions, [SUBSCRIPTION_B]);
  });

  test('GetSqlMetadata gives one row per database with its instance, and counts databases without a full backup', async () => {
    const { text, structured } = await ok('GetSqlMetadata', {
      subscription_ids: [SUBSCRIPTION_A, SUBSCRIPTION_B],
    });
    assert.match(text, /^3 rows in 2 subscriptions \(Azure Resource Graph\):/);
    assert.match(text, /2 instances and 2 databases shown; 1 database with no full backup on record\./);
    assert.match(
      text,
      /\| sql-01_MSSQLSERVER \| sql-01 \| SQL Server 2022 \(16\.0\.4135\.4\) \| Enterprise \| PAYG \| 8 \| orders \| 20480 \| 1024\.5 \| Full \| Online \| yes \| 2026-11-20T01:00:00Z \|/,
    );
    assert.match(
      text,
      /\| file-02_SQLEXPRESS \| file-02 \| SQL Server 2019 \(15\.0\.2000\.5\) \| Express \| LicenseOnly \| 4 \| — \|/,
    );
    const rows = structured['databases'] as Record<string, unknown>[];
    assert.equal(rows.length, 3);
    assert.equal(rows[1]?.['database'], 'staging');
    assert.equal(rows[1]?.['encrypted'], false);
    assert.equal(rows[1]?.['lastFullBackup'], null);
    assert.equal(rows[2]?.['database'], null, 'an instance without databases still has its row');
    assert.match(graphBodies().at(-1)?.query ?? '', /microsoft\.azurearcdata\/sqlserverinstances\/databases/);
  });

  test('GetPatchingLevel lists missing patches most severe first, with KB or package version', async () => {
    const { text, structured } = await ok('GetPatchingLevel', { subscription_ids: [SUBSCRIPTION_A] });
    assert.match(text, /^2 missing patches in 1 subscription \(Azure Resource Graph\):/);
    assert.match(text, /2 servers affected among the rows shown; 1 rated Critical\./);
    assert.match(
      text,
      /\| sql-01 \| 2026-11 Cumulative Update .* \| KB5046616 \| Security, Critical \| Critical \| CanRequestReboot \|/,
    );
    assert.match(
      text,
      /\| web-01 \| openssl \| 3\.0\.2-0ubuntu1\.19 \| Security \| Important \| NeverReboots \| — \|/,
    );
    assert.equal((structured['patches'] as unknown[]).length, 2);
    assert.match(graphBodies().at(-1)?.query ?? '', /^\s*patchassessmentresources/);
  });

  test('nothing found: says so, and which role would let the server see resources it cannot', async () => {
    const { text, structured } = await ok('GetServerMetadata', { subscription_ids: [EMPTY_SUBSCRIPTION] });
    assert.match(text, /^No servers found in 1 subscription \(Azure Resource Graph\)\./);
    assert.ok(text.includes(`Resource Graph only returns what ${identity}`), text);
    assert.match(text, /grant it the "Reader" role on the subscription\./);
    assert.deepEqual(structured['servers'], []);
    const patches = await ok('GetPatchingLevel', { subscription_ids: [EMPTY_SUBSCRIPTION] });
    assert.match(patches.text, /turn on periodic assessment/);
  });

  test('shows at most 200 rows, fetches no more than that, and says how many more there are', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({
      ...sampleServers[2],
      id: `/subscriptions/${SUBSCRIPTION_C}/resourceGroups/rg-fleet/providers/Microsoft.HybridCompute/machines/node-${String(i).padStart(3, '0')}`,
      name: `node-${String(i).padStart(3, '0')}`,
      subscriptionId: SUBSCRIPTION_C,
      resourceGroup: 'rg-fleet',
    }));
    const capped = await startAzureAnalysisFakes({ resourceGraph: { maxPageSize: 80 } });
    try {
      capped.resourceGraph.addDataset({ query: /microsoft\.hybridcompute\/machines'/i, rows: many });
      const { text, structured } = await ok(
        'GetServerMetadata',
        { subscription_ids: [SUBSCRIPTION_C] },
        { analysis: capped.analysis(log) },
      );
      assert.match(text, /^250 servers in 1 subscription/);
      assert.match(
        text,
        /50 more rows not shown \(at most 200 are\); ask about fewer subscriptions at a time\./,
      );
      assert.equal((structured['servers'] as unknown[]).length, 200);
      assert.deepEqual(structured['counts'], { total: 250, shown: 200, notShown: 50, totalIsExact: true });
      const tops = capped.resourceGraph.queries().map((body) => body.options['$top']);
      assert.deepEqual(tops, [200, 120, 40], 'pages of 80, then only what the cap still needs');
      assert.equal(text.split('\n').filter((line) => line.startsWith('| node-')).length, 200);
    } finally {
      await capped.close();
    }
  });

  test('says when Resource Graph cut its result short without a $skipToken (resultTruncated)', async () => {
    const truncating = await startAzureAnalysisFakes({ sampleData: false });
    try {
      truncating.resourceGraph.addDataset({
        query: /patchassessmentresources/,
        rows: Array.from({ length: 5 }, (_, i) => ({
          id: `/subscriptions/${SUBSCRIPTION_A}/x/patchAssessmentResults/latest/softwarePatches/${i}`,
          server: `srv-${i}`,
          serverType: 'Azure virtual machine',
          subscriptionId: SUBSCRIPTION_A,
          resourceGroup: 'rg',
          patchName: `patch ${i}`,
          kbId: '',
          version: '1.0',
          classifications: 'Other',
          severity: '',
          rebootBehavior: '',
          publishedDateTime: '',
          assessedDateTime: '',
        })),
        truncateAt: 3,
      });
      const { text, structured } = await ok(
        'GetPatchingLevel',
        { subscription_ids: [SUBSCRIPTION_A] },
        { analysis: truncating.analysis(log) },
      );
      assert.match(text, /^5 missing patches/);
      assert.match(
        text,
        /Azure Resource Graph cut its result short at 3 rows of 5, so 2 more rows cannot be shown/,
      );
      assert.deepEqual(structured['counts'], { total: 5, shown: 3, notShown: 2, totalIsExact: true });
      assert.equal(truncating.resourceGraph.requests.length, 1);
    } finally {
      await truncating.close();
    }
  });
});

describe('GetSqlBpAssessment, GetAnomalies (Log Analytics)', () => {
  test('GetSqlBpAssessment reads the latest finding of each check from SqlAssessment_CL, over 7 days by default', async () => {
    const from = fakes.logAnalytics.requests.length;
    const { text, structured } = await ok('GetSqlBpAssessment', { workspace_id: WORKSPACE.toUpperCase() });
    assert.match(
      text,
      new RegExp(`^2 assessment findings in the last 7 days \\(Log Analytics workspace ${WORKSPACE}\\):`),
    );
    assert.match(text, /High: 1, Medium: 1/);
    assert.match(
      text,
      /\| High \| sql-01 \| MSSQLSERVER \| Database orders \| Database has no recent full backup \|/,
    );
    // A pipe inside a value must not split the cell.
    assert.match(text, /\| MAXDOP should be set \\\| tuned \|/);
    const findings = structured['findings'] as Record<string, unknown>[];
    assert.equal(findings[0]?.['lastAssessed'], '2026-11-17T03:00:00.000Z');
    assert.equal(findings[0]?.['checkId'], 'FullBackup');
    assert.equal(structured['timespan'], 'P7D');
    const [query] = fakes.logAnalytics.queries().slice(from);
    assert.equal(query?.workspaceId, WORKSPACE);
    assert.equal(query?.timespan, 'P7D');
    assert.match(query?.query ?? '', /^\s*SqlAssessment_CL\s*\| where TimeGenerated > ago\(10080m\)/);
    assert.match(query?.query ?? '', /summarize arg_max\(TimeGenerated, Fields\)/);
    assert.match(query?.prefer ?? '', /^wait=20$/, 'asks the service to stop when the tool would');
    const request = fakes.logAnalytics.requests.at(-1);
    assert.equal(request?.path, `/v1/workspaces/${WORKSPACE}/query`);
    assert.equal(request?.audience, fakes.logAnalytics.endpoint, 'a token for Log Analytics, not for ARM');
  });

  test('GetAnomalies states its detection method in the text and in structuredContent', async () => {
    const from = fakes.logAnalytics.requests.length;
    const { text, structured } = await ok('GetAnomalies', { workspace_id: WORKSPACE });
    assert.match(text, /^2 anomalies in the last 1 day \(Log Analytics workspace/);
    assert.match(
      text,
      /Detection method: KQL series_decompose_anomalies with threshold 1\.5 \(Tukey's fence\), seasonality detected automatically and a linear trend, over each computer's average per interval of 5 minutes of CPU %/,
    );
    assert.match(
      text,
      /\| 2026-11-21T02:15:00\.000Z \| sql-01 \| CPU % \| 97\.5 \| 22\.31 \| 8\.42 \| above expected \|/,
    );
    const { metrics, ...method } = structured['detectionMethod'] as {
      metrics: { metric: string; sources: string[] }[];
    };
    assert.deepEqual(method, {
      function: 'series_decompose_anomalies',
      language: 'KQL (Log Analytics)',
      threshold: 1.5,
      seasonality: 'detected automatically',
      trend: 'linefit',
      interval: 'PT5M',
      aggregation: 'average per interval, per computer and metric',
      gapFilling: 'linear (series_fill_linear)',
    });
    assert.deepEqual(
      metrics.map((m) => m.metric),
      ['CPU %', 'Disk free %'],
    );
    for (const { sources } of metrics) {
      assert.ok(
        sources.some((source) => source.startsWith('Perf: ')),
        'names the Perf counter',
      );
      assert.ok(
        sources.some((source) => source.startsWith('InsightsMetrics (VM insights): ')),
        'and the VM insights metric',
      );
    }
    assert.deepEqual((structured['anomalies'] as Record<string, unknown>[])[1], {
      time: '2026-11-21T04:40:00.000Z',
      computer: 'file-02',
      metric: 'Disk free %',
      value: 3.1,
      expected: 18.6,
      score: -4.05,
      direction: 'below expected',
    });
    const [query] = fakes.logAnalytics.queries().slice(from);
    assert.equal(query?.timespan, 'P1D');
    assert.match(query?.query ?? '', /let lookback = 1440m;\s*let step = 5m;/);
    assert.match(query?.query ?? '', /series_decompose_anomalies\(Value, 1\.5, -1, 'linefit'\)/);
    assert.match(query?.query ?? '', /union isfuzzy=true/);
  });

  test('GetAnomalies: the timespan sets the range sent and the step, so each series keeps about 288 points', async () => {
    const from = fakes.logAnalytics.requests.length;
    const twelveHours = await ok('GetAnomalies', { workspace_id: WORKSPACE, timespan: 'PT12H' });
    const thirtyDays = await ok('GetAnomalies', { workspace_id: WORKSPACE, timespan: '30d' });
    const [first, second] = fakes.logAnalytics.queries().slice(from);
    assert.equal(first?.timespan, 'PT12H');
    assert.match(first?.query ?? '', /let lookback = 720m;\s*let step = 5m;/);
    assert.equal(second?.timespan, 'P30D');
    assert.match(second?.query ?? '', /let lookback = 43200m;\s*let step = 150m;/);
    assert.match(twelveHours.text, /in the last 12 hours/);
    assert.match(thirtyDays.text, /average per interval of 2 hours 30 minutes/);
    assert.equal((thirtyDays.structured['detectionMethod'] as { interval: string }).interval, 'PT2H30M');
  });

  test('a partial result keeps its rows and says plainly that some may be missing', async () => {
    fakes.logAnalytics.addDataset(WORKSPACE, {
      query: /series_decompose_anomalies/,
      columns: anomalyColumns,
      rows: sampleAnomalyRows.slice(0, 1),
      partialError:
        'Query result set has exceeded the internal data size limit 64000000 (E_QUERY_RESULT_SET_TOO_LARGE).',
    });
    try {
      const { text, structured } = await ok('GetAnomalies', { workspace_id: WORKSPACE });
      // LogsQueryClient 1.0.0 keeps the error's message and its details' messages, not their inner errors.
      assert.match(
        text,
        /Warning: Log Analytics returned a partial result, so rows may be missing: There were some errors when processing your query\. Something went wrong processing your query on the server\./,
      );
      assert.equal((structured['anomalies'] as unknown[]).length, 1);
      assert.match(
        String(structured['partialError']),
        /^There were some errors when processing your query\./,
      );
    } finally {
      fakes.logAnalytics.addDataset(WORKSPACE, {
        query: /series_decompose_anomalies/,
        columns: anomalyColumns,
        rows: sampleAnomalyRows,
      });
    }
  });

  test('no rows: says what that can mean and what to check', async () => {
    const empty = '00000000-0000-0000-0000-00000000e7e7';
    fakes.logAnalytics.addWorkspace(empty);
    const anomalies = await ok('GetAnomalies', { workspace_id: empty });
    assert.match(
      anomalies.text,
      /^No anomalies found in the last 1 day .*check that the machines send Perf counters or VM insights data/s,
    );
    assert.match(anomalies.text, /Detection method: KQL series_decompose_anomalies/);
    const findings = await ok('GetSqlBpAssessment', { workspace_id: empty, timespan: 'P14D' });
    assert.match(
      findings.text,
      /^No assessment findings found in the last 14 days .*no assessment ran in the last 14 days/s,
    );
  });

  test('a workspace without SqlAssessment_CL: says the assessment has not sent results there and how to enable it', async () => {
    const bare = '00000000-0000-0000-0000-00000000ba7e';
    fakes.logAnalytics.addDataset(bare, {
      query: /SqlAssessment_CL/,
      columns: [],
      rows: [],
      missingTable: 'SqlAssessment_CL',
    });
    const text = await fails('GetSqlBpAssessment', { workspace_id: bare });
    assert.match(
      text,
      /This workspace has no SqlAssessment_CL table: no SQL best practices assessment has sent results to it/,
    );
    assert.match(text, /\(Log Analytics said 400 BadArgumentError\/SemanticError: /);
  });

  test('an unknown workspace ID: says where to copy the right one from', async () => {
    const text = await fails('GetAnomalies', { workspace_id: '00000000-0000-0000-0000-0000000d0e5a' });
    assert.match(
      text,
      /There is no Log Analytics workspace with the workspace ID 00000000-0000-0000-0000-0000000d0e5a/,
    );
    assert.match(text, /Overview page/);
  });

  test('at the query\'s row limit the count is a lower bound: "At least … more"', async () => {
    const busy = '00000000-0000-0000-0000-00000000b05e';
    fakes.logAnalytics.addDataset(busy, {
      query: /series_decompose_anomalies/,
      columns: anomalyColumns,
      rows: Array.from({ length: 1000 }, (_, i) => [
        '2026-11-21T02:15:00Z',
        `vm-${i}`,
        'CPU %',
        90,
        20,
        5,
        'above expected',
      ]),
    });
    const { text, structured } = await ok('GetAnomalies', { workspace_id: busy });
    assert.match(text, /^At least 1000 anomalies/);
    assert.match(text, /At least 800 more rows not shown \(at most 200 are\); give a shorter timespan/);
    assert.deepEqual(structured['counts'], { total: 1000, shown: 200, notShown: 800, totalIsExact: false });
  });
});

describe('when Azure fails', () => {
  test('a service slower than the time limit: the message names AZURE_ANALYSIS_TIMEOUT_MS and its value', async () => {
    const quick = fakes.analysis(log, { timeoutMs: 1500 });
    // A first call signs in, so the limit below is spent waiting on the service alone.
    await ok('GetPatchingLevel', { subscription_ids: [SUBSCRIPTION_A] }, { analysis: quick });
    fakes.resourceGraph.respondNext({ status: 200, body: {}, delayMs: 5000 });
    const started = Date.now();
    const text = await fails('GetPatchingLevel', { subscription_ids: [SUBSCRIPTION_A] }, { analysis: quick });
    assert.match(
      text,
      /^Azure Resource Graph did not answer within 1\.5 s\. Try again, ask for less \(fewer subscriptions, a shorter timespan\), or raise AZURE_ANALYSIS_TIMEOUT_MS \(now 1500\)\.$/,
    );
    assert.ok(Date.now() - started < 4000, 'gave up at the limit, not when the fake answered');

    await ok('GetAnomalies', { workspace_id: WORKSPACE }, { analysis: quick });
    fakes.logAnalytics.respondNext({ status: 200, body: { tables: [] }, delayMs: 5000 });
    assert.match(
      await fails('GetAnomalies', { workspace_id: WORKSPACE }, { analysis: quick }),
      /^Log Analytics did not answer within 1\.5 s\..*AZURE_ANALYSIS_TIMEOUT_MS \(now 1500\)/,
    );
  });

  test('throttled (429 with Retry-After): the SDK waits as told and the retried call succeeds', async () => {
    const from = fakes.resourceGraph.requests.length;
    fakes.resourceGraph.respondNext({
      status: 429,
      headers: {
        'retry-after': '1',
        'x-ms-user-quota-remaining': '0',
        'x-ms-user-quota-resets-after': '00:00:01',
      },
      body: armErrorBody('RateLimiting', 'Please provide below info when asking for support: …', [
        {
          code: 'RateLimiting',
          message:
            'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed.',
        },
      ]),
    });
    const { structured } = await ok('GetPatchingLevel', { subscription_ids: [SUBSCRIPTION_A] });
    assert.equal((structured['patches'] as unknown[]).length, 2);
    const [throttled, retried] = fakes.resourceGraph.requests.slice(from);
    assert.equal(throttled?.status, 429);
    assert.equal(retried?.status, 200);
    assert.ok(
      (retried?.at ?? 0) - (throttled?.at ?? 0) >= 950,
      `waited ${(retried?.at ?? 0) - (throttled?.at ?? 0)} ms for a Retry-After of 1 s`,
    );
  });

  test('throttled on every retry: a clear error after the retries, logged for the operator', async () => {
    const from = fakes.logAnalytics.requests.length;
    fakes.logAnalytics.respondNext({
      status: 429,
      times: 4,
      headers: { 'retry-after': '0' },
      body: logAnalyticsErrorBody('ThrottledError', 'Your request was throttled. Please try again later.'),
    });
    const text = await fails('GetSqlBpAssessment', { workspace_id: WORKSPACE });
    assert.match(
      text,
      /^Log Analytics is throttling this server's requests and still was after several retries \(429 ThrottledError: Your request was throttled\. Please try again later\.\)\. Wait a minute and try again\.$/,
    );
    assert.equal(fakes.logAnalytics.requests.length - from, 4, 'one call and three retries');
    assert.ok(log.lines.includes(`warn: ${text}`), 'the failure is logged as a warning');
  });

  test('403 from Resource Graph: names the identity, the Reader role and the subscriptions to grant it on', async () => {
    fakes.resourceGraph.denySubscription(SUBSCRIPTION_C);
    const text = await fails('GetSqlMetadata', { subscription_ids: [SUBSCRIPTION_A, SUBSCRIPTION_C] });
    assert.ok(
      text.startsWith(
        `Azure Resource Graph refused access to ${identity} (run "azd auth login" or "az login") (403 AuthorizationFailed: `,
      ),
      text,
    );
    assert.ok(
      text.endsWith(
        `Grant it the "Reader" role on each of the subscriptions ${SUBSCRIPTION_A}, ${SUBSCRIPTION_C}.`,
      ),
      text,
    );
  });

  test('403 from Log Analytics: names the identity, the Log Analytics Reader role and the workspace', async () => {
    const locked = '00000000-0000-0000-0000-0000000010c4';
    fakes.logAnalytics.addWorkspace(locked);
    fakes.logAnalytics.denyWorkspace(locked);
    const text = await fails('GetAnomalies', { workspace_id: locked });
    assert.match(
      text,
      /^Log Analytics refused access to .* \(403 InsufficientAccessError: The provided credentials have insufficient access/,
    );
    assert.ok(text.includes(identity), text);
    assert.ok(
      text.endsWith(
        `Grant it the "Log Analytics Reader" role on the workspace whose workspace ID is ${locked}.`,
      ),
      text,
    );
  });

  test('401 for a token of the wrong audience: the real check of the fake refuses it, and the message says what to verify', async () => {
    // Same service under another name: the token asked for is then for https://localhost:PORT.
    const elsewhere = fakes.resourceGraph.endpoint.replace('127.0.0.1', 'localhost');
    const text = await fails(
      'GetServerMetadata',
      { subscription_ids: [SUBSCRIPTION_A] },
      { analysis: fakes.analysis(log, { resourceManagerEndpoint: elsewhere }) },
    );
    assert.match(
      text,
      /^Azure Resource Graph did not accept the token of your Azure Developer CLI or Azure CLI sign-in/,
    );
    assert.match(
      text,
      /\(401 InvalidAuthenticationTokenAudience: The access token has been obtained for wrong audience/,
    );
    assert.match(
      text,
      /Check that it signs in to the right tenant and cloud, and that it has the "Reader" role on subscription/,
    );
    assert.equal(fakes.resourceGraph.requests.at(-1)?.audience, elsewhere);
  });

  test('not signed in: says the token could not be had and how to sign in', async () => {
    const restore = useFakeAzd({ signedIn: false });
    try {
      const from = fakes.logAnalytics.requests.length;
      const text = await fails(
        'GetAnomalies',
        { workspace_id: WORKSPACE },
        { analysis: fakes.analysis(log) },
      );
      assert.match(
        text,
        /^Could not get a token for Log Analytics as your Azure Developer CLI or Azure CLI sign-in/,
      );
      // Each credential of the chain says why it had no token.
      assert.match(
        text,
        /: Please run 'azd auth login' from a command prompt to authenticate before using this credential\./,
      );
      assert.equal(fakes.logAnalytics.requests.length, from, 'nothing was sent without a token');
    } finally {
      restore();
    }
  });

  test('malformed answers (bad JSON, a wrong shape, missing columns, ragged rows) give a clear error, never a crash', async () => {
    fakes.resourceGraph.respondNext({ status: 200, rawBody: '{"totalRecords": 1, "data": [' });
    assert.match(
      await fails('GetServerMetadata', { subscription_ids: [SUBSCRIPTION_A] }),
      /^Azure Resource Graph answered with a (response|result) this server could not read/,
    );
    fakes.resourceGraph.respondNext({
      status: 200,
      body: { totalRecords: 1, count: 1, resultTruncated: 'false', data: { columns: [], rows: [] } },
    });
    assert.match(
      await fails('GetServerMetadata', { subscription_ids: [SUBSCRIPTION_A] }),
      /^Azure Resource Graph answered with a result this server could not read \("data": /,
    );
    fakes.resourceGraph.respondNext({
      status: 200,
      body: {
        totalRecords: 1,
        count: 1,
        resultTruncated: 'false',
        data: [Object.fromEntries(Object.entries(sampleServers[0] ?? {}).filter(([key]) => key !== 'name'))],
      },
    });
    assert.equal(
      await fails('GetServerMetadata', { subscription_ids: [SUBSCRIPTION_A] }),
      'Azure Resource Graph returned a result this tool cannot read: in row 1, "name" is missing. ' +
        'Try again later; if it persists, the data source may have changed its schema.',
    );
    fakes.logAnalytics.respondNext({ status: 200, rawBody: 'not json at all' });
    assert.match(
      await fails('GetAnomalies', { workspace_id: WORKSPACE }),
      /^Log Analytics answered with a (response|result) this server could not read/,
    );
    fakes.logAnalytics.respondNext({
      status: 200,
      body: {
        tables: [
          { name: 'PrimaryResult', columns: anomalyColumns.filter((c) => c.name !== 'Metric'), rows: [] },
        ],
      },
    });
    // No rows, but the result itself is fine: the missing column only matters for rows.
    await ok('GetAnomalies', { workspace_id: WORKSPACE });
    fakes.logAnalytics.respondNext({
      status: 200,
      body: {
        tables: [
          {
            name: 'PrimaryResult',
            columns: anomalyColumns.filter((c) => c.name !== 'Metric'),
            rows: [['2026-11-21T02:15:00Z', 'sql-01', 97.5, 22.3, 8.4, 'above expected']],
          },
        ],
      },
    });
    assert.match(await fails('GetAnomalies', { workspace_id: WORKSPACE }), /in row 1, "Metric" is missing/);
    fakes.logAnalytics.respondNext({
      status: 200,
      body: {
        tables: [{ name: 'PrimaryResult', columns: bpaColumns, rows: [['2026-11-17T03:00:00Z', 'sql-01']] }],
      },
    });
    assert.match(
      await fails('GetSqlBpAssessment', { workspace_id: WORKSPACE }),
      /^Log Analytics answered with a result this server could not read/,
    );
    fakes.logAnalytics.respondNext({
      status: 200,
      body: {
        tables: [
          {
            name: 'PrimaryResult',
            columns: anomalyColumns,
            rows: [['2026-11-21T02:15:00Z', 'sql-01', 'CPU %', 'ninety', 22.3, 8.4, 'above expected']],
          },
        ],
      },
    });
    assert.match(
      await fails('GetAnomalies', { workspace_id: WORKSPACE }),
      /in row 1, "Value" has an unexpected value/,
    );
  });

  test('a 5xx with an error body: says the service had a problem and to try later', async () => {
    fakes.resourceGraph.respondNext({
      status: 503,
      times: 4,
      // ARM sends Retry-After with its 503s; zero keeps the test from waiting out the backoff.
      headers: { 'retry-after': '0' },
      body: armErrorBody('ServiceUnavailable', 'The service is temporarily unavailable.'),
    });
    assert.match(
      await fails('GetPatchingLevel', { subscription_ids: [SUBSCRIPTION_A] }),
      /^Azure Resource Graph had a problem \(503 ServiceUnavailable: The service is temporarily unavailable\.\)\. Try again later\.$/,
    );
  });

  test('cancelled by the client: stops waiting and says so', async () => {
    fakes.logAnalytics.respondNext({ status: 200, body: { tables: [] }, delayMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const text = await fails(
      'GetSqlBpAssessment',
      { workspace_id: WORKSPACE },
      { signal: controller.signal },
    );
    assert.equal(text, 'The Log Analytics request was cancelled.');
  });
});

describe('bad arguments are refused before anything reaches Azure', () => {
  const many = Array.from(
    { length: 101 },
    (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
  );
  const subscriptionCases: [name: string, args: unknown, expected: RegExp][] = [
    [
      'no arguments',
      {},
      /subscription_ids is required: a list of Azure subscription IDs such as \["00000000-0000-0000-0000-000000000000"\]/,
    ],
    [
      'an empty list',
      { subscription_ids: [] },
      /subscription_ids must list at least one Azure subscription ID/,
    ],
    [
      'an empty string',
      { subscription_ids: '  ' },
      /subscription_ids must list at least one Azure subscription ID/,
    ],
    [
      'a name, not a GUID',
      { subscription_ids: ['Contoso Production'] },
      /subscription_ids\.0 must be a subscription ID: a GUID such as 00000000-0000-0000-0000-000000000000, not "Contoso Production"/,
    ],
    [
      'a GUID too short',
      { subscription_ids: [SUBSCRIPTION_A.slice(0, -1)] },
      /subscription_ids\.0 must be a subscription ID/,
    ],
    [
      'a number',
      { subscription_ids: 42 },
      /subscription_ids must be a list of Azure subscription IDs such as .*, not a number/,
    ],
    ['a list of numbers', { subscription_ids: [42] }, /subscription_ids\.0 must be a string, not a number/],
    [
      'too many subscriptions',
      { subscription_ids: many },
      /subscription_ids may list at most 100 different subscriptions/,
    ],
    [
      'an unknown field',
      { subscription_ids: [SUBSCRIPTION_A], top: 5 },
      /arguments has unknown field "top"; remove it/,
    ],
    ['an array instead of an object', [SUBSCRIPTION_A], /arguments must be an object, not an array/],
  ];
  const workspaceCases = (tool: string, minimum: string): [string, unknown, RegExp][] =>
    [
      [
        'no arguments',
        {},
        /workspace_id is required: the Log Analytics workspace ID \(a GUID from the workspace's Overview page\)/,
      ],
      [
        'a workspace resource ID',
        {
          workspace_id: `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log-1`,
        },
        /workspace_id must be a Log Analytics workspace ID: a GUID .*\(not the resource ID or the workspace name\)/,
      ],
      [
        'a number',
        { workspace_id: 7 },
        /workspace_id must be a Log Analytics workspace ID \(a GUID\), not a number/,
      ],
      [
        'months',
        { workspace_id: WORKSPACE, timespan: 'P1M' },
        /timespan must not use years or months, which have no fixed length; give days instead, e\.g\. "P30D" \(got "P1M"\)/,
      ],
      ['a year', { workspace_id: WORKSPACE, timespan: 'P1Y' }, /timespan must not use years or months/],
      [
        'too long a range',
        { workspace_id: WORKSPACE, timespan: 'P31D' },
        new RegExp(`timespan must be from ${minimum} to P30D; "P31D" is too long`),
      ],
      [
        'too long in hours',
        { workspace_id: WORKSPACE, timespan: '1000h' },
        /timespan must be from .* to P30D; "1000h" \(P41DT16H\) is too long/,
      ],
      [
        'not a duration',
        { workspace_id: WORKSPACE, timespan: 'yesterday' },
        /timespan must be an ISO 8601 duration such as "P1D", "PT6H" or "P1DT12H" \(whole numbers only\), not "yesterday"/,
      ],
      [
        'a fraction',
        { workspace_id: WORKSPACE, timespan: 'P1.5D' },
        /timespan must be an ISO 8601 duration .*whole numbers only/,
      ],
      [
        'a number',
        { workspace_id: WORKSPACE, timespan: 7 },
        /timespan must be an ISO 8601 duration such as "P1D" or "PT6H", not a number/,
      ],
      [
        'an unknown field',
        { workspace_id: WORKSPACE, query: 'Heartbeat' },
        /arguments has unknown field "query"; remove it/,
      ],
      [
        'a subscription list instead',
        { subscription_ids: [SUBSCRIPTION_A] },
        new RegExp(`workspace_id is required.*; arguments has unknown field "subscription_ids"`),
      ],
    ].map(([name, args, expected]) => [`${tool}: ${name as string}`, args, expected as RegExp]);

  const cases: [tool: string, name: string, args: unknown, expected: RegExp][] = [
    ...['GetServerMetadata', 'GetSqlMetadata', 'GetPatchingLevel'].flatMap((tool) =>
      subscriptionCases.map(
        ([name, args, expected]) => [tool, name, args, expected] as [string, string, unknown, RegExp],
      ),
    ),
    ...workspaceCases('GetSqlBpAssessment', 'PT1H').map(
      ([name, args, expected]) =>
        ['GetSqlBpAssessment', name, args, expected] as [string, string, unknown, RegExp],
    ),
    ...workspaceCases('GetAnomalies', 'PT6H').map(
      ([name, args, expected]) => ['GetAnomalies', name, args, expected] as [string, string, unknown, RegExp],
    ),
    [
      'GetAnomalies',
      'too short a range',
      { workspace_id: WORKSPACE, timespan: 'PT1H' },
      /timespan must be from PT6H to P30D; "PT1H" is too short/,
    ],
    [
      'GetAnomalies',
      'too short in minutes',
      { workspace_id: WORKSPACE, timespan: '90m' },
      /timespan must be from PT6H to P30D; "90m" \(PT1H30M\) is too short/,
    ],
  ];

  for (const [tool, name, args, expected] of cases) {
    test(`${tool} refuses ${name.replace(/^\w+: /, '')}, naming the field and the rule`, async () => {
      const before = fakes.resourceGraph.requests.length + fakes.logAnalytics.requests.length;
      const text = await fails(tool, args);
      assert.ok(text.startsWith(`Invalid arguments for ${tool}: `), text);
      assert.match(text, expected);
      assert.equal(
        fakes.resourceGraph.requests.length + fakes.logAnalytics.requests.length,
        before,
        'nothing reached Azure',
      );
    });
  }
});
