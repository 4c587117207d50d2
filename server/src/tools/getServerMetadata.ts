import { z } from 'zod';
import { resourceGraphTool } from '../azureAnalysis/analysisTools';
import { column } from '../azureAnalysis/upstreamRows';
import { plural, type Column } from '../azureAnalysis/resultTable';

const name = 'GetServerMetadata';
const description =
  'Lists the servers in Azure subscriptions, from Azure Resource Graph: Azure Arc-enabled servers ' +
  '(on-premises or other clouds) and Azure virtual machines, with operating system, CPU, cores, ' +
  'memory, IP addresses, power or connection status, whether SQL Server was detected, region and ' +
  'resource group. Azure VMs report their size instead of CPU and memory.';

const arcServer = 'Azure Arc-enabled server';
const azureVm = 'Azure virtual machine';

// One row per server. Arc machines report their hardware; VMs report a size, and their addresses
// live on their network interfaces, joined in. `id` is projected because Resource Graph pages by it.
const query = `
resources
| where type =~ 'microsoft.hybridcompute/machines'
| project id, name, serverType = '${arcServer}', subscriptionId, resourceGroup, location,
    osName = tostring(properties.osName), osVersion = tostring(properties.osVersion),
    osSku = tostring(properties.osSku), status = tostring(properties.status),
    processor = tostring(properties.detectedProperties.processorNames),
    logicalCores = toint(properties.detectedProperties.logicalCoreCount),
    memoryGB = todouble(properties.detectedProperties.totalPhysicalMemoryInGigabytes),
    vmSize = '', network = properties.networkProfile.networkInterfaces,
    sqlServerDetected = tostring(properties.mssqlDiscovered)
| union (
    resources
    | where type =~ 'microsoft.compute/virtualmachines'
    | extend vmKey = tolower(id)
    | join kind=leftouter (
        resources
        | where type =~ 'microsoft.network/networkinterfaces'
        | mv-expand ipConfiguration = properties.ipConfigurations
        | summarize addresses = make_list(tostring(ipConfiguration.properties.privateIPAddress))
            by vmKey = tolower(tostring(properties.virtualMachine.id))
      ) on vmKey
    | project id, name, serverType = '${azureVm}', subscriptionId, resourceGroup, location,
        osName = tostring(properties.extended.instanceView.osName),
        osVersion = tostring(properties.extended.instanceView.osVersion),
        osSku = trim(' ', strcat(tostring(properties.storageProfile.imageReference.offer), ' ',
            tostring(properties.storageProfile.imageReference.sku))),
        status = tostring(properties.extended.instanceView.powerState.displayStatus),
        processor = '', logicalCores = int(null), memoryGB = real(null),
        vmSize = tostring(properties.hardwareProfile.vmSize), network = addresses,
        sqlServerDetected = ''
  )
| order by name asc, id asc`;

/** Arc reports [{ipAddresses: [{address, subnet: {addressPrefix}}]}]; the VM join, plain addresses. */
const networkSchema = z
  .array(
    z.union([
      z.string(),
      z.looseObject({
        ipAddresses: z
          .array(
            z.looseObject({
              address: z.string().optional(),
              subnet: z.looseObject({ addressPrefix: z.string().optional() }).optional(),
            }),
          )
          .optional(),
      }),
    ]),
  )
  .nullable();

const row = z
  .object({
    id: column.required,
    name: column.required,
    serverType: column.required,
    subscriptionId: column.required,
    resourceGroup: column.required,
    location: column.text,
    osName: column.text,
    osVersion: column.text,
    osSku: column.text,
    status: column.text,
    processor: column.text,
    logicalCores: column.number,
    memoryGB: column.number,
    vmSize: column.text,
    network: networkSchema,
    sqlServerDetected: column.text,
  })
  .transform(({ network, osName, osVersion, osSku, sqlServerDetected, ...server }) => ({
    ...server,
    operatingSystem: [osName ?? osSku, osVersion].filter(Boolean).join(' ') || null,
    ipAddresses: addressesOf(network),
    // Resource Graph has the flag as the text "true"/"false" for Arc machines only.
    sqlServerDetected: sqlServerDetected === null ? null : sqlServerDetected.toLowerCase() === 'true',
  }));

type ServerRow = z.infer<typeof row>;

function addressesOf(network: z.infer<typeof networkSchema>): string[] {
  return (network ?? []).flatMap((entry) => {
    if (typeof entry === 'string') return entry ? [entry] : [];
    return (entry.ipAddresses ?? []).flatMap((ip) =>
      ip.address
        ? [ip.subnet?.addressPrefix ? `${ip.address} (${ip.subnet.addressPrefix})` : ip.address]
        : [],
    );
  });
}

const columns: Column<ServerRow>[] = [
  { header: 'Name', value: (s) => s.name },
  { header: 'Type', value: (s) => (s.serverType === arcServer ? 'Arc' : 'Azure VM') },
  { header: 'OS', value: (s) => s.operatingSystem },
  { header: 'Status', value: (s) => s.status },
  { header: 'CPU or VM size', value: (s) => s.processor ?? s.vmSize },
  { header: 'Cores', value: (s) => s.logicalCores },
  { header: 'Memory (GB)', value: (s) => s.memoryGB },
  { header: 'IP addresses', value: (s) => s.ipAddresses.join(', ') },
  { header: 'SQL Server', value: (s) => s.sqlServerDetected },
  { header: 'Region', value: (s) => s.location },
  { header: 'Resource group', value: (s) => s.resourceGroup },
];

export const getServerMetadata = resourceGraphTool({
  name,
  description,
  resultKey: 'servers',
  query,
  row,
  noun: { singular: 'server', plural: 'servers' },
  columns,
  summary: (rows) => {
    const arc = rows.filter((s) => s.serverType === arcServer).length;
    return `${plural(arc, arcServer)}, ${plural(rows.length - arc, azureVm)} shown.`;
  },
  narrowing: 'ask about fewer subscriptions at a time',
});
