import { z } from 'zod';
import type { Timespan } from '../azureAnalysis/analysisArguments';
import { describeMinutes } from '../azureAnalysis/analysisReport';
import { logAnalyticsTool } from '../azureAnalysis/analysisTools';
import { column } from '../azureAnalysis/upstreamRows';
import type { Column } from '../azureAnalysis/resultTable';

const name = 'GetSqlBpAssessment';
const description =
  'Reads the SQL Server best practices assessment results (SQL Server enabled by Azure Arc) from a ' +
  'Log Analytics workspace: the latest result of each check on each server and database, most ' +
  'severe first, with the message, the recommendation and a link to guidance.';

// The most results the query returns; reaching it means there are more than the tool can count.
const fetchLimit = 1000;
const severities = ['High', 'Medium', 'Low', 'Information'] as const;

/**
 * The assessment writes each finding as one CSV line in SqlAssessment_CL.RawData: field 2 is the
 * check id, 3 its title, 4 the description, 5 the help link, 6 the target type (1 server, 2
 * database), 7 the target, 8 the severity (30 high, 20 medium, 10 low, 0 information), 9 the
 * message, 10 the tags, 11 the instance. Only the latest result of each check on each target in
 * the time range counts: older runs may have been fixed since.
 */
function query(range: Timespan): string {
  return `
SqlAssessment_CL
| where TimeGenerated > ago(${range.minutes}m)
| extend Fields = parse_csv(RawData)
| extend Instance = tostring(Fields[11]), CheckId = tostring(Fields[2]), TargetName = tostring(Fields[7]),
    TargetType = case(tostring(Fields[6]) == '1', 'Server', tostring(Fields[6]) == '2', 'Database', tostring(Fields[6]))
| summarize arg_max(TimeGenerated, Fields) by Computer, Instance, CheckId, TargetType, TargetName
| extend SeverityCode = toint(Fields[8])
| extend Severity = case(SeverityCode == 30, 'High', SeverityCode == 20, 'Medium', SeverityCode == 10, 'Low',
    SeverityCode == 0, 'Information', strcat('Unknown (', tostring(Fields[8]), ')'))
| order by SeverityCode desc, Computer asc, Instance asc, TargetName asc, CheckId asc
| take ${fetchLimit}
| project LastAssessed = TimeGenerated, Computer, Instance, Severity, TargetType, TargetName, CheckId,
    Title = tostring(Fields[3]), Message = tostring(Fields[9]), Recommendation = tostring(Fields[4]),
    HelpLink = tostring(Fields[5]), Tags = trim(@'[,\\s]+', tostring(Fields[10]))`;
}

const row = z
  .object({
    LastAssessed: column.text,
    Computer: column.text,
    Instance: column.text,
    Severity: column.required,
    TargetType: column.text,
    TargetName: column.text,
    CheckId: column.required,
    Title: column.text,
    Message: column.text,
    Recommendation: column.text,
    HelpLink: column.text,
    Tags: column.text,
  })
  .transform((finding) => ({
    lastAssessed: finding.LastAssessed,
    computer: finding.Computer,
    instance: finding.Instance,
    severity: finding.Severity,
    targetType: finding.TargetType,
    targetName: finding.TargetName,
    checkId: finding.CheckId,
    title: finding.Title,
    message: finding.Message,
    recommendation: finding.Recommendation,
    helpLink: finding.HelpLink,
    tags: finding.Tags,
  }));

type Finding = z.infer<typeof row>;

const columns: Column<Finding>[] = [
  { header: 'Severity', value: (f) => f.severity },
  { header: 'Computer', value: (f) => f.computer },
  { header: 'Instance', value: (f) => f.instance },
  { header: 'Target', value: (f) => [f.targetType, f.targetName].filter(Boolean).join(' ') },
  { header: 'Check', value: (f) => f.title ?? f.checkId },
  { header: 'Finding', value: (f) => f.message },
  { header: 'Guidance', value: (f) => f.helpLink },
];

export const getSqlBpAssessment = logAnalyticsTool({
  name,
  description,
  resultKey: 'findings',
  timespan: {
    defaultValue: 'P7D',
    minMinutes: 60,
    maxMinutes: 30 * 1440,
    description:
      'How far back to look for assessment results, as an ISO 8601 duration such as "P7D" (the assessment ' +
      'runs weekly by default); from PT1H to P30D, default P7D.',
  },
  query,
  row,
  noun: { singular: 'assessment finding', plural: 'assessment findings' },
  columns,
  fetchLimit,
  summary: (rows) =>
    severities
      .map((severity) => [severity, rows.filter((f) => f.severity === severity).length] as const)
      .filter(([, count]) => count > 0)
      .map(([severity, count]) => `${severity}: ${count}`)
      .join(', '),
  emptyHint: (range) =>
    `Either every check passed, or no assessment ran in the last ${describeMinutes(range.minutes)}: check that ` +
    'the SQL best practices assessment is enabled for your SQL Server enabled by Azure Arc and sends its ' +
    'results to this workspace, or give a longer timespan.',
  narrowing: 'fix the High findings first, or give a shorter timespan',
  explain: ({ status, message }) =>
    status === 400 && /SqlAssessment_CL/.test(message) && /resolve/i.test(message)
      ? 'This workspace has no SqlAssessment_CL table: no SQL best practices assessment has sent results to it. ' +
        'Enable the assessment for your SQL Server enabled by Azure Arc with this workspace as its destination, ' +
        'then wait for its first run'
      : undefined,
  extra: () => ({ source: 'Log Analytics table SqlAssessment_CL' }),
});
