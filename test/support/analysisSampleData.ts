// The sample data the loopback Resource Graph and Log Analytics fakes answer with, as the analysis
// tools' queries project it: data only, so the suite inside VS Code can assert on it too without
// bundling the Azure SDK.
import type { FakeLogAnalytics } from '../fakes/logAnalytics';
import type { FakeResourceGraph } from '../fakes/resourceGraph';

export const SUBSCRIPTION_A = '00000000-0000-0000-0000-0000000000a1';
export const SUBSCRIPTION_B = '00000000-0000-0000-0000-0000000000b2';
export const WORKSPACE = '00000000-0000-0000-0000-00000000f0e1';

const arcMachine = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.HybridCompute/machines/${name}`;
const vm = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;

/** Rows as GetServerMetadata's query projects them. */
export const sampleServers = [
  {
    id: arcMachine(SUBSCRIPTION_A, 'rg-onprem', 'sql-01'),
    name: 'sql-01',
    serverType: 'Azure Arc-enabled server',
    subscriptionId: SUBSCRIPTION_A,
    resourceGroup: 'rg-onprem',
    location: 'westeurope',
    osName: 'Windows Server 2022 Datacenter',
    osVersion: '10.0.20348.2700',
    osSku: 'Windows Server 2022 Datacenter',
    status: 'Connected',
    processor: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
    logicalCores: 8,
    memoryGB: 32,
    vmSize: '',
    network: [
      {
        macAddress: '00:15:5d:01:02:03',
        ipAddresses: [
          { address: '10.1.0.4', ipAddressVersion: 'IPv4', subnet: { addressPrefix: '10.1.0.0/24' } },
        ],
      },
    ],
    sqlServerDetected: 'true',
  },
  {
    id: vm(SUBSCRIPTION_A, 'rg-web', 'web-01'),
    name: 'web-01',
    serverType: 'Azure virtual machine',
    subscriptionId: SUBSCRIPTION_A,
    resourceGroup: 'rg-web',
    location: 'westeurope',
    osName: 'Ubuntu',
    osVersion: '22.04',
    osSku: '0001-com-ubuntu-server-jammy 22_04-lts-gen2',
    status: 'VM running',
    processor: '',
    logicalCores: null,
    memoryGB: null,
    vmSize: 'Standard_D2s_v5',
    network: ['10.2.0.5'],
    sqlServerDetected: '',
  },
  {
    id: arcMachine(SUBSCRIPTION_B, 'rg-branch', 'file-02'),
    name: 'file-02',
    serverType: 'Azure Arc-enabled server',
    subscriptionId: SUBSCRIPTION_B,
    resourceGroup: 'rg-branch',
    location: 'northeurope',
    osName: 'Red Hat Enterprise Linux',
    osVersion: '9.4',
    osSku: 'Red Hat Enterprise Linux 9.4 (Plow)',
    status: 'Disconnected',
    processor: 'AMD EPYC 7763 64-Core Processor',
    logicalCores: 4,
    memoryGB: 15.5,
    vmSize: '',
    network: null,
    sqlServerDetected: 'false',
  },
];

const sqlInstance = `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/rg-onprem/providers/Microsoft.AzureArcData/sqlServerInstances/sql-01_MSSQLSERVER`;
const instanceColumns = {
  instance: 'sql-01_MSSQLSERVER',
  host: 'sql-01',
  subscriptionId: SUBSCRIPTION_A,
  resourceGroup: 'rg-onprem',
  location: 'westeurope',
  version: 'SQL Server 2022',
  productVersion: '16.0.4135.4',
  edition: 'Enterprise',
  licenseType: 'PAYG',
  vCores: 8,
  instanceStatus: 'Connected',
};

/** Rows as GetSqlMetadata's query projects them: one per database, an instance without any gets one. */
export const sampleSqlRows = [
  {
    id: `${sqlInstance}/databases/orders`,
    ...instanceColumns,
    database: 'orders',
    sizeMB: 20480,
    spaceAvailableMB: 1024.5,
    recoveryModel: 'Full',
    databaseState: 'Online',
    encrypted: 'true',
    lastFullBackup: '2026-11-20T01:00:00Z',
    lastLogBackup: '2026-11-21T08:45:00Z',
  },
  {
    id: `${sqlInstance}/databases/staging`,
    ...instanceColumns,
    database: 'staging',
    sizeMB: 512,
    spaceAvailableMB: 200,
    recoveryModel: 'Simple',
    databaseState: 'Online',
    encrypted: 'false',
    lastFullBackup: '',
    lastLogBackup: '',
  },
  {
    id: `/subscriptions/${SUBSCRIPTION_B}/resourceGroups/rg-branch/providers/Microsoft.AzureArcData/sqlServerInstances/file-02_SQLEXPRESS`,
    instance: 'file-02_SQLEXPRESS',
    host: 'file-02',
    subscriptionId: SUBSCRIPTION_B,
    resourceGroup: 'rg-branch',
    location: 'northeurope',
    version: 'SQL Server 2019',
    productVersion: '15.0.2000.5',
    edition: 'Express',
    licenseType: 'LicenseOnly',
    vCores: 4,
    instanceStatus: 'Connected',
    database: '',
    sizeMB: null,
    spaceAvailableMB: null,
    recoveryModel: '',
    databaseState: '',
    encrypted: '',
    lastFullBackup: '',
    lastLogBackup: '',
  },
];

/** Rows as GetPatchingLevel's query projects them, most severe first. */
export const samplePatches = [
  {
    id: `${arcMachine(SUBSCRIPTION_A, 'rg-onprem', 'sql-01')}/patchAssessmentResults/latest/softwarePatches/1a2b`,
    server: 'sql-01',
    serverType: 'Azure Arc-enabled server',
    subscriptionId: SUBSCRIPTION_A,
    resourceGroup: 'rg-onprem',
    patchName:
      '2026-11 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems',
    kbId: '5046616',
    version: '',
    classifications: 'Security, Critical',
    severity: 'Critical',
    rebootBehavior: 'CanRequestReboot',
    publishedDateTime: '2026-11-12T00:00:00Z',
    assessedDateTime: '2026-11-21T06:00:00Z',
  },
  {
    id: `${vm(SUBSCRIPTION_A, 'rg-web', 'web-01')}/patchAssessmentResults/latest/softwarePatches/3c4d`,
    server: 'web-01',
    serverType: 'Azure virtual machine',
    subscriptionId: SUBSCRIPTION_A,
    resourceGroup: 'rg-web',
    patchName: 'openssl',
    kbId: '',
    version: '3.0.2-0ubuntu1.19',
    classifications: 'Security',
    severity: 'Important',
    rebootBehavior: 'NeverReboots',
    publishedDateTime: '',
    assessedDateTime: '2026-11-21T05:30:00Z',
  },
];

const bpaColumns = [
  { name: 'LastAssessed', type: 'datetime' },
  { name: 'Computer', type: 'string' },
  { name: 'Instance', type: 'string' },
  { name: 'Severity', type: 'string' },
  { name: 'TargetType', type: 'string' },
  { name: 'TargetName', type: 'string' },
  { name: 'CheckId', type: 'string' },
  { name: 'Title', type: 'string' },
  { name: 'Message', type: 'string' },
  { name: 'Recommendation', type: 'string' },
  { name: 'HelpLink', type: 'string' },
  { name: 'Tags', type: 'string' },
];

/** SqlAssessment_CL findings as GetSqlBpAssessment's query projects them. */
export const sampleBpaRows = [
  [
    '2026-11-17T03:00:00Z',
    'sql-01',
    'MSSQLSERVER',
    'High',
    'Database',
    'orders',
    'FullBackup',
    'Database has no recent full backup',
    'No full backup of orders in the last 7 days.',
    'Regular full backups protect against data loss.',
    'https://learn.microsoft.com/sql/relational-databases/backup-restore/back-up-and-restore-of-sql-server-databases',
    'Backup, DefaultRuleset',
  ],
  [
    '2026-11-17T03:00:00Z',
    'sql-01',
    'MSSQLSERVER',
    'Medium',
    'Server',
    'sql-01',
    'MaxDOP',
    'MAXDOP should be set | tuned',
    'Max degree of parallelism is 0 on a server with 8 logical processors.',
    'Set MAXDOP to the number of cores per NUMA node, up to 8.',
    'https://learn.microsoft.com/sql/database-engine/configure-windows/configure-the-max-degree-of-parallelism-server-configuration-option',
    'Performance',
  ],
];

const anomalyColumns = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Computer', type: 'string' },
  { name: 'Metric', type: 'string' },
  { name: 'Value', type: 'real' },
  { name: 'Expected', type: 'real' },
  { name: 'Score', type: 'real' },
  { name: 'Direction', type: 'string' },
];

/** Anomalies as GetAnomalies' query projects them, strongest first. */
export const sampleAnomalyRows = [
  ['2026-11-21T02:15:00Z', 'sql-01', 'CPU %', 97.5, 22.31, 8.42, 'above expected'],
  ['2026-11-21T04:40:00Z', 'file-02', 'Disk free %', 3.1, 18.6, -4.05, 'below expected'],
];

/** Registers every dataset above with the fakes (the workspace must be added already). */
export function addSampleData(resourceGraph: FakeResourceGraph, logAnalytics: FakeLogAnalytics): void {
  resourceGraph.addDataset({ query: /microsoft\.hybridcompute\/machines'/i, rows: sampleServers });
  resourceGraph.addDataset({ query: /microsoft\.azurearcdata\/sqlserverinstances'/i, rows: sampleSqlRows });
  resourceGraph.addDataset({ query: /^\s*patchassessmentresources/i, rows: samplePatches });
  logAnalytics.addDataset(WORKSPACE, { query: /SqlAssessment_CL/, columns: bpaColumns, rows: sampleBpaRows });
  logAnalytics.addDataset(WORKSPACE, {
    query: /series_decompose_anomalies/,
    columns: anomalyColumns,
    rows: sampleAnomalyRows,
  });
}

export { anomalyColumns, bpaColumns };
