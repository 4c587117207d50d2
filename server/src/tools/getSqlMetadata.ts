import { z } from 'zod';
import { resourceGraphTool } from '../azureAnalysis/analysisTools';
import { column } from '../azureAnalysis/upstreamRows';
import { plural, type Column } from '../azureAnalysis/resultTable';

const name = 'GetSqlMetadata';
const description =
  'Lists SQL Server instances enabled by Azure Arc and their databases, from Azure Resource Graph: ' +
  'version, edition, license type, vCores and host of each instance; size, free space, recovery ' +
  'model, state, encryption and last full and log backups of each database. One row per database ' +
  '(an instance without databases gets one row).';

// Instances with their databases joined on the instance's resource id (a database's id is the
// instance's id + /databases/<name>). `id` is projected for Resource Graph's paging.
const query = `
resources
| where type =~ 'microsoft.azurearcdata/sqlserverinstances'
| project instanceKey = tolower(id), instanceId = id, instance = name, subscriptionId, resourceGroup, location,
    host = extract(@'[^/]+$', 0, tostring(properties.containerResourceId)),
    version = tostring(properties.version), productVersion = tostring(properties.currentVersion),
    edition = tostring(properties.edition), licenseType = tostring(properties.licenseType),
    vCores = toint(properties.vCore), instanceStatus = tostring(properties.status)
| join kind=leftouter (
    resources
    | where type =~ 'microsoft.azurearcdata/sqlserverinstances/databases'
    | project instanceKey = tolower(substring(id, 0, indexof(tolower(id), '/databases/'))), databaseId = id,
        database = name, sizeMB = todouble(properties.sizeMB), spaceAvailableMB = todouble(properties.spaceAvailableMB),
        recoveryModel = tostring(properties.recoveryMode), databaseState = tostring(properties.state),
        encrypted = tostring(properties.databaseOptions.isEncrypted),
        lastFullBackup = tostring(properties.backupInformation.lastFullBackup),
        lastLogBackup = tostring(properties.backupInformation.lastLogBackup)
  ) on instanceKey
| extend id = iff(isempty(databaseId), instanceId, databaseId)
| project id, instance, host, subscriptionId, resourceGroup, location, version, productVersion, edition,
    licenseType, vCores, instanceStatus, database, sizeMB, spaceAvailableMB, recoveryModel, databaseState,
    encrypted, lastFullBackup, lastLogBackup
| order by instance asc, database asc, id asc`;

const row = z
  .object({
    id: column.required,
    instance: column.required,
    host: column.text,
    subscriptionId: column.required,
    resourceGroup: column.required,
    location: column.text,
    version: column.text,
    productVersion: column.text,
    edition: column.text,
    licenseType: column.text,
    vCores: column.number,
    instanceStatus: column.text,
    database: column.text,
    sizeMB: column.number,
    spaceAvailableMB: column.number,
    recoveryModel: column.text,
    databaseState: column.text,
    encrypted: column.text,
    lastFullBackup: column.text,
    lastLogBackup: column.text,
  })
  .transform(({ encrypted, ...database }) => ({
    ...database,
    encrypted: encrypted === null ? null : encrypted.toLowerCase() === 'true',
  }));

type SqlRow = z.infer<typeof row>;

const columns: Column<SqlRow>[] = [
  { header: 'Instance', value: (r) => r.instance },
  { header: 'Host', value: (r) => r.host },
  {
    header: 'Version',
    value: (r) => [r.version, r.productVersion && `(${r.productVersion})`].filter(Boolean).join(' '),
  },
  { header: 'Edition', value: (r) => r.edition },
  { header: 'License', value: (r) => r.licenseType },
  { header: 'vCores', value: (r) => r.vCores },
  { header: 'Database', value: (r) => r.database },
  { header: 'Size (MB)', value: (r) => r.sizeMB },
  { header: 'Free (MB)', value: (r) => r.spaceAvailableMB },
  { header: 'Recovery model', value: (r) => r.recoveryModel },
  { header: 'State', value: (r) => r.databaseState },
  { header: 'Encrypted', value: (r) => r.encrypted },
  { header: 'Last full backup', value: (r) => r.lastFullBackup },
  { header: 'Last log backup', value: (r) => r.lastLogBackup },
];

export const getSqlMetadata = resourceGraphTool({
  name,
  description,
  resultKey: 'databases',
  query,
  row,
  noun: { singular: 'row', plural: 'rows', none: 'SQL Server instances enabled by Azure Arc' },
  columns,
  summary: (rows) => {
    const instances = new Set(rows.map((r) => r.instance)).size;
    const databases = rows.filter((r) => r.database !== null).length;
    const unprotected = rows.filter((r) => r.database !== null && r.lastFullBackup === null).length;
    return (
      `${plural(instances, 'instance')} and ${plural(databases, 'database')} shown` +
      (unprotected > 0 ? `; ${plural(unprotected, 'database')} with no full backup on record.` : '.')
    );
  },
  narrowing: 'ask about fewer subscriptions at a time',
});
