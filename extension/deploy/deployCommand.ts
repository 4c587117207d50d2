import { isGuid } from '../auth/entra';
import { runCommand } from '../common/commandErrors';
import { UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import { runCli } from '../common/processes';
import type { UserInterface } from '../common/ui';
import type { McpProject } from '../project/mcpProject';
import type { ChosenProject } from '../project/workspaceProjects';
import {
  mcpEndpoint,
  type RemoteServer,
  type RemoteServerKind,
  type RemoteServerRegistry,
} from '../remote/remoteServers';
import { azdProjectOf, deployedKindOf, type AzdProject } from './azdProject';
import { azdDeployArgs, azdNewEnvArgs, azdSignInStatus, MIN_AZD_VERSION, probeAzd } from './azdCli';
import { azdEnvValues, listAzdEnvironments } from './azdEnvironments';
import { deploymentOutputs, gatewayOutputs, type DeploymentOutputs } from './azdOutputs';
import { interpretAzdOutput } from './azdRunOutput';
import type { AzdRun } from './azdTask';
import { planDeploy, workspaceFolderOf, type HostableFolder } from './deployPlan';
import { CommandId } from '../commandIds';

export interface DeployServices {
  azdPath(): string;
  workspaceFolders(): readonly string[];
  /** The workspace's MCP project, as every capability asks for it (WorkspaceProjects.choose). */
  chooseProject(purpose: string): Promise<ChosenProject>;
  /** Runs "Host on Azure Functions…" on the folder; resolves when it is done, or was cancelled. */
  hostOnFunctions(folder: string): Promise<unknown>;
  /** Runs "Add Azure Deployment Files" on the project's folder, saying the deployment follows. */
  addDeploymentFiles(folder: string): Promise<unknown>;
  /** The bundled server, copied where azd may write; used only when the workspace holds nothing of the user's. */
  bundledProject(): AzdProject;
  runAzd(args: string[], cwd: string, title: string, signal: AbortSignal): Promise<AzdRun>;
  registry: RemoteServerRegistry;
  ui: UserInterface;
  log: Logger;
  actions: {
    openUrl(url: string): MessageAction;
    signIn(azdPath: string): MessageAction;
    connect(server: RemoteServer): MessageAction;
    showLogs: MessageAction;
  };
}

export interface DeployTarget {
  project: AzdProject;
  environment: string;
}

/** What is deployed, and what it serves (which decides Connect's endpoint and key). */
interface DeploySource {
  project: AzdProject;
  kind: RemoteServerKind;
}

/** Said wherever the bundled server is deployed, so it is never taken for the user's. */
export const bundledDeployNotice =
  'Deploying the bundled sample server: this workspace holds no MCP project of yours';

const installUrl = 'https://aka.ms/azd-install';
const newEnvironment = '\u0000new';
// Regions that offer Flex Consumption; the full, current list is in the Azure docs.
const flexRegions = [
  'eastus',
  'eastus2',
  'westus2',
  'westus3',
  'northeurope',
  'westeurope',
  'uksouth',
  'swedencentral',
  'australiaeast',
  'southeastasia',
  'eastasia',
  'japaneast',
  'canadacentral',
];

/**
 * The server an azd environment describes, with Entra sign-in when the environment enabled it. `kind`
 * is what the azd project deploys (its endpoint's path); SERVICE_API_MCP_URL, when the template
 * outputs it, names the endpoint exactly and wins. With APIM_ENABLED=true and an https
 * SERVICE_MCP_GATEWAY_URL the server has a gateway too (gatewayOutputs); `auth` is always the app
 * endpoint's (built-in Entra with AUTH_ENABLED, else the key), since Connect picks the door.
 */
export function remoteServerFromEnvValues(
  values: Record<string, string>,
  kind: RemoteServerKind = 'functionsMcpExtension',
): RemoteServer {
  const server = remoteServerFromOutputs(deploymentOutputs(values), kind);
  const mcpUrl = values.SERVICE_API_MCP_URL?.trim();
  if (mcpUrl && URL.canParse(mcpUrl) && new URL(mcpUrl).protocol === 'https:') server.endpoint = mcpUrl;
  const identifierUri = values.ENTRA_IDENTIFIER_URI;
  if (values.AUTH_ENABLED === 'true' && identifierUri) {
    server.auth = {
      mode: 'entra',
      scopes: [`${identifierUri}/user_impersonation`],
      tenantId: values.AZURE_TENANT_ID,
      clientId: values.ENTRA_APPLICATION_ID,
    };
  }
  const gateway = gatewayOutputs(values).endpoint;
  if (gateway) {
    server.gateway = {
      endpoint: gateway,
      ...(identifierUri ? { scopes: [`${identifierUri}/user_impersonation`] } : {}),
    };
  }
  return server;
}

export function remoteServerFromOutputs(
  outputs: DeploymentOutputs,
  kind: RemoteServerKind = 'functionsMcpExtension',
): RemoteServer {
  return {
    resourceId: outputs.resourceId,
    name: outputs.functionName,
    hostName: outputs.hostName,
    endpoint: mcpEndpoint(outputs.hostName, kind),
    kind,
    subscriptionId: outputs.subscriptionId,
    resourceGroup: outputs.resourceGroup,
    tenantId: outputs.tenantId,
    environment: outputs.environment,
    location: outputs.location,
  };
}

/**
 * Remote MCP: Deploy to Azure. Checks azd and its sign-in, picks or creates an environment, runs
 * `azd up` the first time and `azd deploy` after (as a Task the user can watch and stop), then
 * offers Connect. Failures show azd's ERROR line with the known remedy.
 */
export function deployCommand(services: DeployServices) {
  const { ui, log } = services;

  async function deploy(given?: DeployTarget): Promise<RemoteServer | undefined> {
    const azdPath = services.azdPath();
    const probe = await probeAzd(azdPath);
    if (probe.status === 'missing') {
      throw new UserFacingError(
        `The Azure Developer CLI (azd) was not found${azdPath === 'azd' ? ' on PATH' : ` at ${azdPath}`}. Install it, or set remoteMcp.azdPath to where it is.`,
        [services.actions.openUrl(installUrl)],
      );
    }
    if (probe.status !== 'ok') {
      throw new UserFacingError(
        probe.status === 'too-old'
          ? `azd ${probe.version} is too old: ${MIN_AZD_VERSION} or later is needed. Update the Azure Developer CLI and deploy again.`
          : `azd did not report its version (${probe.detail}). Check remoteMcp.azdPath.`,
        [services.actions.openUrl(installUrl)],
      );
    }

    log.info(`Using azd ${probe.version} at ${azdPath}.`);
    const source = given ? givenSource(given.project) : await chooseSource();
    if (!source) return undefined;
    const { project, kind } = source;
    const bundled = project.source === 'bundled';
    if (bundled) log.info(`${bundledDeployNotice}.`);
    const signIn = await azdSignInStatus(azdPath, project.dir);
    if (!signIn.signedIn) {
      throw new UserFacingError('azd is not signed in to Azure. Sign in, then deploy again.', [
        services.actions.signIn(azdPath),
      ]);
    }
    const environment = given?.environment ?? (await pickEnvironment(azdPath, project));
    const known = listAzdEnvironments(project.dir).find((env) => env.name === environment);
    const verb = known?.values.SERVICE_API_NAME ? 'deploy' : 'up';

    const run = await ui.withProgress(
      bundled
        ? `${bundledDeployNotice} (azd ${verb}, environment ${environment})`
        : `Deploying to Azure: azd ${verb} (environment ${environment})`,
      (progress, signal) => {
        progress.report(
          verb === 'up' ? 'provisioning and deploying; the first time takes a few minutes…' : 'deploying…',
        );
        return services.runAzd(
          azdDeployArgs({ first: verb === 'up', env: environment, projectDir: project.dir }),
          project.dir,
          `azd ${verb}`,
          signal,
        );
      },
    );
    const result = interpretAzdOutput(run.lines);
    if (!result.succeeded || run.exitCode !== 0) {
      // A button runs outside the command that showed it: the retry goes through the same error
      // wrapper, so that its own failure is shown (with Retry again) rather than lost.
      const retry: MessageAction[] = result.remedy?.retry
        ? [
            {
              title: 'Retry',
              run: () =>
                runCommand(
                  CommandId.deploy,
                  () => deploy({ project, environment }),
                  ui,
                  log,
                  services.actions.showLogs,
                ),
            },
          ]
        : [];
      throw new UserFacingError(
        [`azd ${verb} failed: ${result.errorLine ?? `exit code ${run.exitCode}`}`, result.remedy?.message]
          .filter(Boolean)
          .join(' '),
        retry,
      );
    }

    const values = await azdEnvValues(azdPath, project.dir, environment);
    const server = remoteServerFromEnvValues(values, kind);
    const gatewayProblem = gatewayOutputs(values).problem;
    if (gatewayProblem) log.warn(gatewayProblem);
    const remembered = services.registry.find(server.resourceId);
    const deployed: RemoteServer = {
      ...server,
      // The environment says whether a gateway is in front of the app now (set even when absent, so
      // that a gateway the environment no longer has is forgotten).
      gateway: server.gateway,
      connected: remembered?.connected ?? false,
      lastDeployedAt: new Date().toISOString(),
    };
    if (remembered?.via === 'gateway' && !server.gateway) {
      // Connected through a gateway that is gone: the app's own endpoint is the only door left.
      Object.assign(deployed, { via: 'app', auth: server.auth });
      log.warn(`${server.name} has no API Management gateway any more: it connects to its app endpoint.`);
    }
    await services.registry.upsert(deployed);
    log.info(
      `Deployed ${server.name} to ${server.hostName} (environment ${environment})${server.gateway ? `, behind API Management at ${server.gateway.endpoint}` : ''}.`,
    );
    // The progress notification already said it was the bundled sample server.
    await ui.showInfo(
      server.gateway
        ? `Deployed to ${server.hostName}, behind API Management at ${server.gateway.endpoint}`
        : `Deployed to ${server.hostName}`,
      [services.actions.connect(deployed)],
    );
    return deployed;
  }

  /** A project named by a button or the MCP Servers view (a redeploy): its kind comes from its files. */
  function givenSource(project: AzdProject): DeploySource {
    return {
      project,
      kind: project.source === 'bundled' ? 'functionsMcpExtension' : deployedKindOf(project.dir),
    };
  }

  /** What the workspace's project needs: its azd project, hosting first, deployment files, or the bundled server. */
  async function chooseSource(): Promise<DeploySource | undefined> {
    const plan = planDeploy(await services.chooseProject('Deploy to Azure'), services.workspaceFolders());
    switch (plan.action) {
      case 'azd': {
        const [only] = plan.choices;
        if (plan.choices.length === 1 && only) return only;
        return ui.pick(
          'Deploy which project?',
          plan.choices.map((choice) => ({ label: choice.project.dir, value: choice })),
        );
      }
      case 'host':
        return hostFirst(plan.folders);
      case 'needsDeploymentFiles':
        return deploymentFilesFirst(plan.project);
      case 'bundled':
        return { project: services.bundledProject(), kind: 'functionsMcpExtension' };
    }
  }

  /**
   * Offers "Host on Azure Functions…" for a server that has no azure.yaml yet, then deploys what it
   * added. Declining (or cancelling the hosting) deploys nothing and changes no file.
   */
  async function hostFirst(folders: HostableFolder[]): Promise<DeploySource | undefined> {
    const notHosted = folders.length === 1 ? folders[0]!.name : 'This workspace’s MCP servers';
    const picked = await ui.pick(
      `${notHosted} ${folders.length === 1 ? 'is' : 'are'} not set up for Azure Functions yet (no azure.yaml)`,
      [
        ...folders.map((folder) => ({
          label:
            folders.length === 1 ? 'Host on Azure Functions…' : `Host ${folder.name} on Azure Functions…`,
          description: 'adds host.json, azure.yaml and infra/ (nothing is overwritten), then deploys',
          detail: folder.folder,
          value: folder,
        })),
        { label: 'Cancel', description: 'deploy nothing', value: undefined },
      ],
    );
    if (!picked) return undefined;
    await services.hostOnFunctions(picked.folder);
    return preparedSource(picked.folder, 'Host on Azure Functions', 'selfHosted');
  }

  /**
   * Offers "Add Azure Deployment Files" for the user's project without azure.yaml, then deploys that
   * project. Declining (or cancelling its question) deploys nothing and changes no file.
   */
  async function deploymentFilesFirst(project: McpProject): Promise<DeploySource | undefined> {
    const add = await ui.pick(`${project.name} has no Azure deployment files yet (no azure.yaml)`, [
      {
        label: 'Add Azure Deployment Files…',
        description: 'adds azure.yaml and infra/ for this app (nothing is overwritten), then deploys it',
        detail: project.folder,
        value: true,
      },
      { label: 'Cancel', description: 'deploy nothing', value: false },
    ]);
    if (!add) return undefined;
    await services.addDeploymentFiles(project.folder);
    const kind = project.kind === 'selfHosted' ? 'selfHosted' : 'functionsMcpExtension';
    return preparedSource(project.folder, 'Add Azure Deployment Files', kind);
  }

  /** The azd project a preparing command left in `folder`; none when it was cancelled half-way. */
  function preparedSource(folder: string, command: string, kind: RemoteServerKind): DeploySource | undefined {
    const project = azdProjectOf(folder, workspaceFolderOf(folder, services.workspaceFolders()));
    if (!project) log.info(`${folder} still has no azure.yaml after ${command}: nothing deployed.`);
    return project && { project, kind };
  }

  async function pickEnvironment(azdPath: string, project: AzdProject): Promise<string> {
    const environments = listAzdEnvironments(project.dir);
    const picked =
      environments.length === 0
        ? newEnvironment
        : await ui.pick('Deploy to which azd environment?', [
            ...environments.map((env) => ({
              label: env.name,
              description: [
                env.isDefault ? 'default' : '',
                env.values.SERVICE_API_DEFAULT_HOSTNAME ?? 'not deployed yet',
              ]
                .filter(Boolean)
                .join(' · '),
              value: env.name,
            })),
            {
              label: 'New environment…',
              description: 'name, subscription and region',
              value: newEnvironment,
            },
          ]);
    if (picked !== newEnvironment) return picked;

    const name = await ui.input('New azd environment', {
      prompt: 'A name for the environment; it becomes part of the Azure resource names.',
      placeholder: 'mcp-dev',
      validate: (value) =>
        /^[a-zA-Z0-9-]{1,64}$/.test(value) ? undefined : 'Use 1-64 letters, digits and hyphens.',
    });
    const subscription = await ui.input('Azure subscription', {
      prompt: 'The id of the subscription to deploy to (a GUID; `az account show` or the portal shows it).',
      value: process.env.AZURE_SUBSCRIPTION_ID,
      validate: (value) =>
        isGuid(value) ? undefined : 'A subscription id looks like 00000000-0000-0000-0000-000000000000.',
    });
    const location = await ui.pick(
      'Azure region',
      flexRegions.map((region) => ({ label: region, value: region })),
      { placeholder: 'A region that offers Flex Consumption' },
    );
    const created = await runCli(
      azdPath,
      azdNewEnvArgs({ name, subscription: subscription.trim(), location, projectDir: project.dir }),
      {
        timeoutMs: 60_000,
        cwd: project.dir,
      },
    );
    if (created.exitCode !== 0) {
      throw new UserFacingError(
        `azd could not create the environment ${name}: ${(created.stderr || created.stdout).trim().split('\n').pop()}`,
      );
    }
    return name;
  }

  return { [CommandId.deploy]: (target?: unknown) => deploy(isDeployTarget(target) ? target : undefined) };
}

function isDeployTarget(value: unknown): value is DeployTarget {
  const candidate = value as Partial<DeployTarget> | undefined;
  return typeof candidate?.environment === 'string' && typeof candidate.project?.dir === 'string';
}
