import { z } from 'zod';
import { resourceGraphTool } from '../azureAnalysis/analysisTools';
import { column } from '../azureAnalysis/upstreamRows';
import { plural, type Column } from '../azureAnalysis/resultTable';

const name = 'GetPatchingLevel';
const description =
  'Lists the operating-system patches missing on Azure virtual machines and Azure Arc-enabled ' +
  "servers, from Azure Update Manager's latest assessment in Azure Resource Graph: server, patch " +
  'name, KB article or package version, classification, MSRC severity, reboot behaviour, publish ' +
  'date and when it was assessed. Most severe first.';

// Update Manager writes one softwarepatches record per available patch per machine (Azure VMs and
// Arc machines alike) from its latest assessment. The machine is the id's part before
// /patchAssessmentResults. Severity order puts what needs attention first.
const query = `
patchassessmentresources
| where type in~ ('microsoft.compute/virtualmachines/patchassessmentresults/softwarepatches',
    'microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches')
| extend machineId = tostring(split(id, '/patchAssessmentResults/', 0)[0])
| project id, server = extract(@'[^/]+$', 0, machineId),
    serverType = iff(type startswith 'microsoft.hybridcompute', 'Azure Arc-enabled server', 'Azure virtual machine'),
    subscriptionId, resourceGroup,
    patchName = tostring(properties.patchName), kbId = tostring(properties.kbId),
    version = tostring(properties.version),
    classifications = strcat_array(properties.classifications, ', '),
    severity = tostring(properties.msrcSeverity), rebootBehavior = tostring(properties.rebootBehavior),
    publishedDateTime = tostring(properties.publishedDateTime),
    assessedDateTime = tostring(properties.lastModifiedDateTime)
| extend severityRank = case(severity =~ 'Critical', 0, severity =~ 'Important', 1, severity =~ 'Moderate', 2,
    severity =~ 'Low', 3, 4)
| order by severityRank asc, server asc, patchName asc, id asc
| project-away severityRank`;

const row = z.object({
  id: column.required,
  server: column.required,
  serverType: column.required,
  subscriptionId: column.required,
  resourceGroup: column.required,
  patchName: column.text,
  kbId: column.text,
  version: column.text,
  classifications: column.text,
  severity: column.text,
  rebootBehavior: column.text,
  publishedDateTime: column.text,
  assessedDateTime: column.text,
});

type PatchRow = z.infer<typeof row>;

const columns: Column<PatchRow>[] = [
  { header: 'Server', value: (p) => p.server },
  { header: 'Patch', value: (p) => p.patchName },
  { header: 'KB or version', value: (p) => (p.kbId ? `KB${p.kbId.replace(/^KB/i, '')}` : p.version) },
  { header: 'Classification', value: (p) => p.classifications },
  { header: 'Severity', value: (p) => p.severity },
  { header: 'Reboot', value: (p) => p.rebootBehavior },
  { header: 'Published', value: (p) => p.publishedDateTime },
  { header: 'Assessed', value: (p) => p.assessedDateTime },
];

export const getPatchingLevel = resourceGraphTool({
  name,
  description,
  resultKey: 'patches',
  query,
  row,
  noun: { singular: 'missing patch', plural: 'missing patches' },
  columns,
  summary: (rows) => {
    const servers = new Set(rows.map((p) => p.server)).size;
    const critical = rows.filter((p) => p.severity?.toLowerCase() === 'critical').length;
    return `${plural(servers, 'server')} affected among the rows shown${critical > 0 ? `; ${critical} rated Critical` : ''}.`;
  },
  narrowing: 'ask about fewer subscriptions at a time, or patch the most severe first',
  emptyHint:
    'No rows also means every assessed machine is up to date, or that Azure Update Manager has not ' +
    'assessed any: turn on periodic assessment for the machines.',
});
