import { z } from 'zod';
import { isoDuration, type Timespan } from '../azureAnalysis/analysisArguments';
import { describeMinutes } from '../azureAnalysis/analysisReport';
import { logAnalyticsTool } from '../azureAnalysis/analysisTools';
import { column } from '../azureAnalysis/upstreamRows';
import type { Column } from '../azureAnalysis/resultTable';

const name = 'GetAnomalies';
const description =
  "Finds anomalies in servers' CPU utilisation and free disk space recorded in a Log Analytics " +
  'workspace (Perf counters or VM insights), using KQL series_decompose_anomalies. Each anomaly ' +
  'has its time, computer, metric, the measured and the expected value and a score; the result ' +
  'states the detection method.';

// series_decompose_anomalies' own default: Tukey's fence at 1.5 inter-quartile ranges.
const threshold = 1.5;
// Series of about this many points: enough for a daily season, small enough to answer quickly.
const pointsPerSeries = 288;
const fetchLimit = 1000;

const metrics = [
  {
    metric: 'CPU %',
    sources: [
      'Perf: Processor "% Processor Time", instance _Total',
      'InsightsMetrics (VM insights): Processor UtilizationPercentage',
    ],
  },
  {
    metric: 'Disk free %',
    sources: [
      'Perf: LogicalDisk / Logical Disk "% Free Space", instance _Total',
      'InsightsMetrics (VM insights): LogicalDisk FreeSpacePercentage, averaged over volumes',
    ],
  },
] as const;

/** 5 minutes for up to a day, longer steps for longer ranges, so each series keeps ~288 points. */
function stepMinutes(range: Timespan): number {
  return Math.max(5, Math.ceil(range.minutes / pointsPerSeries));
}

/**
 * Both places an agent writes these counters are read (the union is fuzzy, so a workspace with
 * only one of the tables works). Each computer's metric becomes an average per step; gaps are
 * filled linearly, since a gap read as zero would itself look like an anomaly.
 */
function query(range: Timespan): string {
  const step = `${stepMinutes(range)}m`;
  return `
let lookback = ${range.minutes}m;
let step = ${step};
union isfuzzy=true
  (Perf
    | where TimeGenerated > ago(lookback)
    | where ObjectName == 'Processor' and CounterName == '% Processor Time' and InstanceName == '_Total'
    | project TimeGenerated, Computer, Metric = '${metrics[0].metric}', Value = CounterValue),
  (Perf
    | where TimeGenerated > ago(lookback)
    | where ObjectName in ('LogicalDisk', 'Logical Disk') and CounterName == '% Free Space' and InstanceName == '_Total'
    | project TimeGenerated, Computer, Metric = '${metrics[1].metric}', Value = CounterValue),
  (InsightsMetrics
    | where TimeGenerated > ago(lookback)
    | where Namespace == 'Processor' and Name == 'UtilizationPercentage'
    | project TimeGenerated, Computer, Metric = '${metrics[0].metric}', Value = Val),
  (InsightsMetrics
    | where TimeGenerated > ago(lookback)
    | where Namespace == 'LogicalDisk' and Name == 'FreeSpacePercentage'
    | project TimeGenerated, Computer, Metric = '${metrics[1].metric}', Value = Val)
| make-series Value = avg(Value) default = double(null) on TimeGenerated from bin(ago(lookback), step) to now() step step
    by Computer, Metric
| extend Value = series_fill_linear(Value)
| extend (Flag, Score, Expected) = series_decompose_anomalies(Value, ${threshold}, -1, 'linefit')
| mv-expand TimeGenerated to typeof(datetime), Value to typeof(double), Flag to typeof(int),
    Score to typeof(double), Expected to typeof(double)
| where Flag != 0
| top ${fetchLimit} by abs(Score) desc
| project TimeGenerated, Computer, Metric, Value = round(Value, 2), Expected = round(Expected, 2),
    Score = round(Score, 2), Direction = iff(Flag > 0, 'above expected', 'below expected')`;
}

const row = z
  .object({
    TimeGenerated: column.required,
    Computer: column.text,
    Metric: column.required,
    Value: column.number,
    Expected: column.number,
    Score: column.number,
    Direction: column.text,
  })
  .transform((anomaly) => ({
    time: anomaly.TimeGenerated,
    computer: anomaly.Computer,
    metric: anomaly.Metric,
    value: anomaly.Value,
    expected: anomaly.Expected,
    score: anomaly.Score,
    direction: anomaly.Direction,
  }));

type Anomaly = z.infer<typeof row>;

const columns: Column<Anomaly>[] = [
  { header: 'Time (UTC)', value: (a) => a.time },
  { header: 'Computer', value: (a) => a.computer },
  { header: 'Metric', value: (a) => a.metric },
  { header: 'Measured', value: (a) => a.value },
  { header: 'Expected', value: (a) => a.expected },
  { header: 'Score', value: (a) => a.score },
  { header: 'Direction', value: (a) => a.direction },
];

function detectionMethod(range: Timespan) {
  return {
    function: 'series_decompose_anomalies',
    language: 'KQL (Log Analytics)',
    threshold,
    seasonality: 'detected automatically',
    trend: 'linefit',
    interval: isoDuration(stepMinutes(range)),
    aggregation: 'average per interval, per computer and metric',
    gapFilling: 'linear (series_fill_linear)',
    metrics,
  };
}

function describeMethod(range: Timespan): string {
  return (
    `Detection method: KQL series_decompose_anomalies with threshold ${threshold} (Tukey's fence), seasonality ` +
    `detected automatically and a linear trend, over each computer's average per interval of ` +
    `${describeMinutes(stepMinutes(range))} of CPU % (Perf "% Processor Time" or VM insights UtilizationPercentage) and disk free % (Perf ` +
    '"% Free Space" or VM insights FreeSpacePercentage), gaps filled linearly. Higher scores are stronger anomalies.'
  );
}

export const getAnomalies = logAnalyticsTool({
  name,
  description,
  resultKey: 'anomalies',
  timespan: {
    defaultValue: 'P1D',
    minMinutes: 6 * 60,
    maxMinutes: 30 * 1440,
    description:
      'How far back to analyse, as an ISO 8601 duration: "PT12H", "P1D", "P7D"; from PT6H to P30D, default P1D.',
  },
  query,
  row,
  noun: { singular: 'anomaly', plural: 'anomalies' },
  columns,
  fetchLimit,
  method: describeMethod,
  emptyHint: () =>
    'Either the metrics behaved as expected, or the workspace has no CPU or disk data for the period: check ' +
    'that the machines send Perf counters or VM insights data to this workspace.',
  narrowing: 'give a shorter timespan to see the rest',
  extra: (range) => ({ detectionMethod: detectionMethod(range) }),
});
