// The MCP Servers view as plain data: what the tree shows and what tests read. No `vscode` here;
// serversTreeProvider.ts turns these nodes into TreeItems. Keys and tokens never appear in a node.
import type { LocalServerState } from '../localServer/localServerManager';
import type { LocalHostKind } from '../localServer/launchers';
import { mcpProjectKindNames } from '../project/mcpProject';
import type { McpClientState, NotStartedReason } from '../vscodeMcpClient/mcpClientStarter';
import { localServerLabel, remoteServerLabel } from '../provider/serverLabels';
import { mcpUrlOf, type RemoteServer } from '../remote/remoteServers';
import { mcpKeySpecOf, serverKindLabels } from '../remote/serverKind';
import { probeAdvice, type ProbeAdvice } from './probeAdvice';
import { catalogCounts } from '../probe/catalogCounts';
import type { ServerCatalog } from '../probe/mcpProbe';
import { encodeRowContext, type GatewayUse } from './rowContext';
import type { AuthMode, ServerStatus, StatusSnapshot } from './serverStatus';
import { BuiltInCommandId, CommandId } from '../commandIds';

/** A node of the MCP Servers view. `contextValue` drives the actions in package.json's menus. */
export interface ServerNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  contextValue?: string;
  children?: ServerNode[];
  /** Shown open at first. */
  expanded?: boolean;
  /** Run when the node is clicked. */
  command?: { command: string; title: string; arguments: unknown[] };
  /** The deployed server a node stands for: the argument its context-menu actions receive. */
  server?: RemoteServer;
  /** How the deployed server authenticates, as the view knows it (remembered, or seen by a probe). */
  authMode?: AuthMode;
}

const hostNames: Record<LocalHostKind, string> = {
  func: 'Azure Functions Core Tools (func start)',
  embedded: 'embedded host',
  direct: "the server's own command (host.json)",
};

const hostName = (host: LocalHostKind | undefined) => (host ? hostNames[host] : 'choosing…');

const catalogKinds = [
  { key: 'tools', label: 'Tools', icon: 'tools', itemIcon: 'symbol-method' },
  { key: 'prompts', label: 'Prompts', icon: 'comment-discussion', itemIcon: 'comment' },
  { key: 'resources', label: 'Resources', icon: 'file-media', itemIcon: 'file' },
] as const;

/** A Tools row, and Prompts and Resources rows for a server that offers them, each listing its items. */
function catalogNodes(parentId: string, catalog: ServerCatalog, expanded?: boolean): ServerNode[] {
  return catalogKinds.flatMap(({ key, label, icon, itemIcon }) => {
    const items = catalog[key];
    if (!items) return [];
    return [
      {
        id: `${parentId}/${key}`,
        label,
        description: String(items.length),
        icon,
        ...(expanded ? { expanded } : {}),
        children: items.map((item) => ({
          id: `${parentId}/${key}/${item.name}`,
          label: item.name,
          description: item.description,
          tooltip: item.description,
          icon: itemIcon,
        })),
      },
    ];
  });
}

const notStartedText: Record<NotStartedReason, string> = {
  noCommand: 'this VS Code cannot be asked to',
  notListed: 'VS Code did not list it in time',
  declined: 'the start was cancelled or failed',
  failed: 'VS Code could not start it',
};

/**
 * Where a server stands in VS Code's MCP client, when that is worth a row: while it is being
 * started, and when it was not, with the one click that starts it. A started server has no row:
 * VS Code can stop it without telling us, so "started" could turn false in the view.
 */
function mcpClientNode(parentId: string, label: string, state: McpClientState | undefined): ServerNode[] {
  if (!state || state.status === 'started') return [];
  if (state.status === 'starting') {
    return [
      {
        id: `${parentId}/mcpClient`,
        label: "VS Code's MCP client",
        description: 'starting…',
        tooltip: `Starting ${label} in VS Code's MCP client, so that Copilot agent mode lists its tools.`,
        icon: 'loading~spin',
      },
    ];
  }
  return [
    {
      id: `${parentId}/mcpClient`,
      label: "Start in VS Code's MCP client",
      description: `not started: ${notStartedText[state.reason]}`,
      tooltip: `${state.detail}\nCopilot agent mode lists the server's tools once VS Code's MCP client has started it. Click to start it.`,
      icon: 'debug-start',
      command: {
        command: CommandId.startInMcpClient,
        title: "Start in VS Code's MCP client",
        arguments: [label],
      },
    },
  ];
}

const notStartedSuffix = (state: McpClientState | undefined) =>
  state?.status === 'notStarted' ? ' · not started in VS Code' : '';

/**
 * The local server: nothing while it is stopped, unless `showStopped` (other servers are listed, and
 * the row offers Start). `mcpClient` is where it stands in VS Code's MCP client.
 */
export function localServerNodes(
  state: LocalServerState,
  showStopped = false,
  mcpClient?: McpClientState,
): ServerNode[] {
  if (state.status === 'stopped') {
    return showStopped
      ? [
          {
            id: 'local',
            label: 'Local server',
            description: 'stopped',
            tooltip: state.lastError
              ? `Stopped: ${state.lastError}`
              : "Stopped. Start runs your workspace's MCP project (the bundled sample tools when it holds none).",
            icon: 'vm-outline',
            contextValue: encodeRowContext({ row: 'localServer', status: 'stopped' }),
          },
        ]
      : [];
  }
  if (state.status !== 'running') {
    return [
      {
        id: 'local',
        label: 'Local server',
        description: state.status === 'starting' ? 'starting…' : 'stopping…',
        icon: 'loading~spin',
        contextValue: encodeRowContext({ row: 'localServer', status: state.status }),
        tooltip: `Port ${state.port}, ${hostName(state.host)}`,
      },
    ];
  }
  const tools = state.tools;
  return [
    {
      id: 'local',
      label: 'Local server',
      description: `running · ${state.host} · ${tools ? catalogCounts({ ...state, tools }) : 'tools…'}${notStartedSuffix(mcpClient)}`,
      tooltip: `${state.url}\nHost: ${hostName(state.host)}\nProject: ${state.project.name} (${mcpProjectKindNames[state.project.kind]}) in ${state.project.folder}`,
      icon: 'vm-running',
      contextValue: encodeRowContext({ row: 'localServer', status: 'running' }),
      expanded: true,
      children: [
        ...mcpClientNode('local', localServerLabel, mcpClient),
        {
          id: 'local/project',
          label: 'Project',
          description: `${state.project.name} · ${mcpProjectKindNames[state.project.kind]}`,
          icon: 'folder',
          tooltip: state.project.folder,
        },
        { id: 'local/url', label: 'URL', description: state.url, icon: 'link', tooltip: state.url },
        { id: 'local/host', label: 'Host', description: hostName(state.host), icon: 'server-process' },
        ...(state.storageAvailable === undefined ? [] : [storageNode(state)]),
        ...(tools
          ? catalogNodes('local', { ...state, tools })
          : [{ id: 'local/tools', label: 'Tools', description: 'reading…', icon: 'tools', children: [] }]),
      ],
    },
  ];
}

function storageNode(state: Extract<LocalServerState, { status: 'running' }>): ServerNode {
  const node = {
    id: 'local/storage',
    label: state.project.kind === 'bundled' ? 'Snippet storage' : 'Storage',
  };
  if (!state.storageAvailable)
    return { ...node, description: 'unavailable: install Azurite', icon: 'warning' };
  if (state.storageWarning) {
    return {
      ...node,
      description: 'Azurite too old: update it or skip its API version check',
      tooltip: state.storageWarning,
      icon: 'warning',
    };
  }
  return { ...node, description: 'Azurite', icon: 'database' };
}

/** How the row names the way a client authenticates; a key by the key the server's kind takes. */
function authText(status: ServerStatus): string {
  switch (status.auth) {
    case 'key':
      return mcpKeySpecOf(status.server).label;
    case 'entra':
      return 'Microsoft Entra sign-in';
    case 'anonymous':
      return 'anonymous';
    case 'unknown':
      return 'unknown';
  }
}

/** Languages as people write them; anything else as ARM says it. */
const runtimeNames: Record<string, string> = {
  node: 'Node',
  python: 'Python',
  'dotnet-isolated': '.NET',
  java: 'Java',
  powershell: 'PowerShell',
  custom: 'custom',
};

/**
 * What serves MCP on the app, for the row's description: "self-hosted Node" for a self-hosted SDK
 * server, nothing for an MCP extension app (most servers are; the Kind row says it).
 */
function kindSummary(status: ServerStatus): string | undefined {
  if (status.server.kind !== 'selfHosted') return undefined;
  const runtime = status.app?.runtime;
  return runtime ? `self-hosted ${runtimeNames[runtime] ?? runtime}` : 'self-hosted';
}

/** The Kind row: what serves MCP, in words, with the language when ARM says it. */
function kindText(status: ServerStatus): string {
  const kind = status.server.kind ?? 'functionsMcpExtension';
  const runtime = status.app?.runtime;
  const language = runtime ? ` · ${runtimeNames[runtime] ?? runtime}` : '';
  return kind === 'selfHosted'
    ? `${serverKindLabels.selfHosted} MCP server (custom handler)${language}`
    : `${serverKindLabels.functionsMcpExtension}${language}`;
}

function authSummary(status: ServerStatus): string {
  if (status.auth === 'entra') return 'Entra sign-in';
  if (status.auth === 'anonymous') return 'anonymous';
  if (status.auth === 'unknown') return status.keyStored ? 'key stored' : 'auth unknown';
  return status.keyStored ? 'key stored' : 'no key';
}

function appState(status: ServerStatus): string | undefined {
  return status.app?.state;
}

function isRunning(status: ServerStatus): boolean {
  const state = appState(status);
  return state === undefined || state.toLowerCase() === 'running';
}

function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString();
}

/** Whether a gateway is in front of the server, and which door the connection uses. */
export function gatewayUseOf(server: RemoteServer): GatewayUse {
  if (!server.gateway) return 'none';
  if (!server.connected) return 'idle';
  return server.via === 'gateway' ? 'via' : 'app';
}

/** The facts the menus test: connected or not, key stored, auth mode, azd, the gateway. */
export function remoteContextValue(status: ServerStatus): string {
  return encodeRowContext({
    row: 'remoteServer',
    connected: status.server.connected === true,
    keyStored: status.keyStored,
    auth: status.auth,
    fromAzd: status.fromAzd,
    gateway: gatewayUseOf(status.server),
  });
}

/** How a connected row names the door it uses, when the server has two. */
const connectedThrough: Record<GatewayUse, string> = {
  none: '',
  via: ' via API Management',
  app: ' to the app endpoint, not API Management',
  idle: '',
};

/** The row's word on the connection, naming the door when the server has two. */
function connectionText(server: RemoteServer, mcpClient: McpClientState | undefined): string {
  if (!server.connected) return server.gateway ? 'not connected · API Management in front' : 'not connected';
  return `connected${connectedThrough[gatewayUseOf(server)]}${notStartedSuffix(mcpClient)}`;
}

/**
 * The doors to the server: its endpoint, or, with a gateway, the gateway's URL and the app's own
 * endpoint, the one in use said so.
 */
function doorNodes(id: string, server: RemoteServer): ServerNode[] {
  const gateway = server.gateway;
  if (!gateway) {
    return [
      {
        id: `${id}/endpoint`,
        label: 'Endpoint',
        description: server.endpoint,
        icon: 'link',
        tooltip: server.endpoint,
      },
    ];
  }
  const use = gatewayUseOf(server);
  return [
    {
      id: `${id}/gateway`,
      label: 'API Management',
      description: `${gateway.endpoint}${use === 'via' ? ' · in use' : ''}`,
      icon: 'globe',
      tooltip: `${gateway.endpoint}\nThe gateway checks each caller's Microsoft Entra token and sends the app its key: no key on this machine.`,
    },
    {
      id: `${id}/endpoint`,
      label: 'App endpoint',
      description: `${server.endpoint}${use === 'app' ? ' · in use' : ''}`,
      icon: 'link',
      tooltip: `${server.endpoint}\nThe function app's own endpoint, with its key (or its built-in Microsoft Entra sign-in).`,
    },
  ];
}

type ProbeOutcome = NonNullable<ServerStatus['probe']>['outcome'];

/**
 * Where the last probe stands, from what decides it first: probing now, the app not running, no
 * probe yet, then the outcome.
 */
type ProbeStage = 'probing' | 'appNotRunning' | 'notProbed' | 'reachable' | 'failed';

function probeStage(status: ServerStatus, running: boolean, outcome: ProbeOutcome | undefined): ProbeStage {
  if (status.probing) return 'probing';
  if (!running) return 'appNotRunning';
  if (!outcome) return 'notProbed';
  return outcome.ok ? 'reachable' : 'failed';
}

interface ProbeFacts {
  stage: ProbeStage;
  outcome: ProbeOutcome | undefined;
  at: number;
  advice: ProbeAdvice | undefined;
}

/** The Last probe row's text. */
function probeText({ stage, outcome, at, advice }: ProbeFacts): string {
  if (stage === 'probing') return 'probing…';
  if (stage === 'appNotRunning') return 'not probed: the app is not running';
  if (!outcome) return 'not probed yet';
  if (outcome.ok) {
    return `reachable · MCP ${outcome.protocolVersion ?? '?'} · ${catalogCounts(outcome)} · ${outcome.latencyMs} ms · ${timeOf(at)}`;
  }
  return `failed: ${advice?.problem ?? outcome.failure.detail} (${timeOf(at)})`;
}

/** The probe's part of the server row's one-line description. */
function probeShortText({ stage, outcome, advice }: ProbeFacts): string | undefined {
  if (stage === 'probing') return 'probing…';
  if (!outcome || stage === 'appNotRunning') return undefined;
  return outcome.ok ? `${catalogCounts(outcome)} · ${outcome.latencyMs} ms` : advice?.short;
}

const probeRowIcon: Record<ProbeStage, string> = {
  probing: 'loading~spin',
  appNotRunning: 'circle-outline',
  notProbed: 'circle-outline',
  reachable: 'check',
  failed: 'error',
};

/** The server row's icon; a stopped app shows as stopped even while a probe runs. */
const serverRowIcon: Record<ProbeStage, string> = {
  probing: 'loading~spin',
  appNotRunning: 'debug-stop',
  notProbed: 'cloud-upload',
  reachable: 'cloud',
  failed: 'warning',
};

export function remoteServerNode(
  status: ServerStatus,
  timeoutSeconds: number,
  mcpClient?: McpClientState,
): ServerNode {
  const { server } = status;
  const id = `server:${server.resourceId.toLowerCase()}`;
  const running = isRunning(status);
  const state = appState(status);
  // A stopped app's last probe (made before the scan said it stopped) would only blur why.
  const probe = running ? status.probe : undefined;
  const outcome = probe?.outcome;
  const advice = outcome && !outcome.ok ? probeAdvice(status, outcome.failure, timeoutSeconds) : undefined;

  const stage = probeStage(status, running, outcome);
  const facts: ProbeFacts = { stage, outcome, at: probe?.at ?? 0, advice };
  const lastProbe = probeText(facts);

  const keyText =
    gatewayUseOf(server) === 'via'
      ? 'Microsoft Entra sign-in through API Management · no key on this machine'
      : status.auth === 'entra'
        ? authText(status)
        : `${authText(status)} · ${status.keyStored ? 'key in secret storage' : 'no key stored'}`;
  const deployed = server.lastDeployedAt ?? status.app?.lastModifiedTimeUtc;
  const details: ServerNode[] = [
    ...(server.connected ? mcpClientNode(id, remoteServerLabel(server), mcpClient) : []),
    {
      id: `${id}/state`,
      label: 'State',
      description: state ?? 'unknown: sign in to Azure to read it',
      icon: running ? 'pass' : 'circle-slash',
    },
    {
      id: `${id}/kind`,
      label: 'Kind',
      description: kindText(status),
      icon: status.server.kind === 'selfHosted' ? 'server-process' : 'extensions',
    },
    ...doorNodes(id, server),
    {
      id: `${id}/auth`,
      label: 'Authentication',
      description: keyText,
      icon: status.auth === 'entra' ? 'shield' : 'key',
    },
    {
      id: `${id}/probe`,
      label: 'Last probe',
      description: lastProbe,
      tooltip: advice ? [advice.problem, advice.fix].filter(Boolean).join('\n') : lastProbe,
      icon: probeRowIcon[stage],
    },
  ];
  if (advice?.fix) {
    details.push({
      id: `${id}/fix`,
      label: 'Fix',
      description: advice.fix,
      tooltip: advice.fix,
      icon: 'lightbulb',
      ...(advice.action
        ? {
            command: {
              command: advice.action.command,
              title: advice.action.title,
              arguments: [advice.action.argument],
            },
          }
        : {}),
    });
  }
  if (server.environment)
    details.push({
      id: `${id}/env`,
      label: 'azd environment',
      description: server.environment,
      icon: 'symbol-namespace',
    });
  if (deployed) {
    details.push({
      id: `${id}/deployed`,
      label: server.lastDeployedAt ? 'Last deployed' : 'Last changed in Azure',
      description: new Date(deployed).toLocaleString(),
      icon: 'history',
    });
  }
  const location = server.location ?? status.app?.location;
  if (location) details.push({ id: `${id}/region`, label: 'Region', description: location, icon: 'globe' });
  if (outcome?.ok) details.push(...catalogNodes(id, outcome, true));

  const description = [
    connectionText(server, mcpClient),
    kindSummary(status),
    authSummary(status),
    state && !running ? state : undefined,
    probeShortText(facts),
  ]
    .filter(Boolean)
    .join(' · ');
  const tooltip = [
    `${server.name} (${server.resourceGroup})`,
    mcpUrlOf(server),
    server.gateway && mcpUrlOf(server) !== server.endpoint ? `App endpoint: ${server.endpoint}` : undefined,
    server.gateway && mcpUrlOf(server) !== server.gateway.endpoint
      ? `API Management: ${server.gateway.endpoint}`
      : undefined,
    `Kind: ${kindText(status)}`,
    `State: ${state ?? 'unknown'}`,
    `Authentication: ${keyText}`,
    `Last probe: ${lastProbe}`,
    advice?.fix ? `Fix: ${advice.fix}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id,
    label: server.name,
    description,
    tooltip,
    icon: running ? serverRowIcon[stage] : serverRowIcon.appNotRunning,
    contextValue: remoteContextValue(status),
    server,
    authMode: status.auth,
    children: details,
  };
}

type GroupNode = ServerNode & { children: ServerNode[] };

/** The (empty) group row a server is listed under: its azd environment, else its subscription. */
function groupNode(status: ServerStatus): GroupNode {
  const group = status.group;
  const row = { contextValue: encodeRowContext({ row: 'serverGroup' }), expanded: true, children: [] };
  if (group.kind === 'azd') {
    return {
      ...row,
      id: `group:azd:${group.environment}`,
      label: `azd environment ${group.environment}`,
      icon: 'symbol-namespace',
    };
  }
  return {
    ...row,
    id: `group:subscription:${group.subscriptionId.toLowerCase()}`,
    label: status.subscriptionName ?? `Subscription ${group.subscriptionId}`,
    tooltip: `Subscription ${group.subscriptionId}`,
    icon: 'azure',
  };
}

export interface ViewOptions {
  timeoutSeconds: number;
  /** Where a server (by label) stands in VS Code's MCP client. */
  mcpClient?: (label: string) => McpClientState | undefined;
}

/** The whole tree: local server, the groups of deployed servers, and what keeps the view from being complete. */
export function statusViewNodes(
  local: LocalServerState,
  snapshot: StatusSnapshot,
  options: ViewOptions,
): ServerNode[] {
  const groups = new Map<string, GroupNode>();
  const groupOf = (status: ServerStatus) => {
    const fresh = groupNode(status);
    const node = groups.get(fresh.id) ?? fresh;
    groups.set(node.id, node);
    return node;
  };
  for (const status of [...snapshot.servers].sort((a, b) => a.server.name.localeCompare(b.server.name))) {
    groupOf(status).children.push(
      remoteServerNode(status, options.timeoutSeconds, options.mcpClient?.(remoteServerLabel(status.server))),
    );
  }
  const sortedGroups = [...groups.values()].sort((a, b) => {
    const rank = (node: ServerNode) => (node.id.startsWith('group:azd:') ? 0 : 1);
    return rank(a) - rank(b) || a.label.localeCompare(b.label);
  });
  for (const group of sortedGroups) {
    const count = group.children.length;
    group.description = `${group.id.startsWith('group:azd:') ? 'azd · ' : 'subscription · '}${count} server${count === 1 ? '' : 's'}`;
  }

  const notes: ServerNode[] = [];
  snapshot.settingsProblems.forEach((problem, index) =>
    notes.push({
      id: `note:setting:${index}`,
      label: 'A setting needs fixing',
      description: problem,
      tooltip: problem,
      icon: 'warning',
      command: {
        command: BuiltInCommandId.openSettings,
        title: 'Open Settings',
        arguments: ['remoteMcp.statusView'],
      },
    }),
  );
  const scan = snapshot.scan;
  if (scan.status === 'signedOut') {
    notes.push({
      id: 'note:signIn',
      label: 'Sign in to Azure to find more servers',
      description: 'the MCP servers in your subscriptions',
      icon: 'sign-in',
      contextValue: encodeRowContext({ row: 'signIn' }),
      command: { command: CommandId.signInToAzure, title: 'Sign In to Azure', arguments: [] },
    });
  } else if (scan.status === 'failed') {
    notes.push({
      id: 'note:scanFailed',
      label: 'Could not search your subscriptions',
      description: scan.message,
      tooltip: scan.message,
      icon: 'warning',
    });
  } else if (scan.status === 'done') {
    scan.problems.forEach((problem, index) =>
      notes.push({ id: `note:scan:${index}`, label: problem, tooltip: problem, icon: 'warning' }),
    );
  } else if (scan.status === 'scanning' && sortedGroups.length === 0) {
    notes.push({ id: 'note:scanning', label: 'Searching your subscriptions…', icon: 'loading~spin' });
  }

  const remote = [...sortedGroups, ...notes];
  const localClient = options.mcpClient?.(localServerLabel);
  // Nothing at all: [] lets VS Code show the welcome view (Start Local Server, Deploy, Sign in).
  if (
    remote.length === 0 ||
    (sortedGroups.length === 0 && scan.status === 'signedOut' && notes.length === 1)
  ) {
    return localServerNodes(local, false, localClient);
  }
  return [...localServerNodes(local, true, localClient), ...remote];
}
