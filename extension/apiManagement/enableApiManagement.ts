// Remote MCP: Enable API Management. Puts the API Management gateway (infra/app/gateway/) in front of
// a deployed server by setting APIM_ENABLED in its azd environment and provisioning it again, as
// `azd env set APIM_ENABLED true` then `azd provision` would by hand; then offers Connect through it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { APIM_ENABLED } from '../../shared/apiManagementGateway';
import { CommandId } from '../commandIds';
import { UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import { runCli } from '../common/processes';
import type { UserInterface } from '../common/ui';
import { azdStderrMessage } from '../deploy/azdCli';
import { azdEnvValues, listAzdEnvironments } from '../deploy/azdEnvironments';
import { gatewayOutputs } from '../deploy/azdOutputs';
import { deployedKindOf, type AzdProject } from '../deploy/azdProject';
import { interpretAzdOutput } from '../deploy/azdRunOutput';
import type { AzdRun } from '../deploy/azdTask';
import { remoteServerFromEnvValues } from '../deploy/deployCommand';
import { remoteServerArgument, type RemoteServer, type RemoteServerRegistry } from '../remote/remoteServers';

export interface EnableApiManagementServices {
  azdPath(): string;
  /** The workspace's azd projects and the bundled server's copy, as they are on disk. */
  projects(): AzdProject[];
  /** The project holding the azd environment a server was deployed from. */
  azdProjectOf(server: RemoteServer): AzdProject | undefined;
  /** The bundled server's copy, refreshed from this extension, so its infra/ is this version's. */
  prepareBundled(): AzdProject;
  runAzd(args: string[], cwd: string, title: string, signal: AbortSignal): Promise<AzdRun>;
  /** A modal question: the button chosen, undefined when dismissed. */
  confirm(message: string, detail: string, buttons: readonly string[]): Promise<string | undefined>;
  registry: RemoteServerRegistry;
  ui: UserInterface;
  log: Logger;
  actions: {
    /** Connect through the gateway (CommandId.connectThroughGateway). */
    connectThroughGateway(server: RemoteServer): MessageAction;
    deploy: MessageAction;
  };
}

/** The tier infra/main.parameters.json defaults APIM_SKU to; see the decision in shared/apiManagementGateway.ts. */
export const defaultApimSku = 'BasicV2';
export const apimPricingUrl = 'https://azure.microsoft.com/pricing/details/api-management/';
const enableButton = 'Enable API Management';
const pricingButton = 'View Pricing';

interface Target {
  project: AzdProject;
  environment: string;
}

/**
 * Whether a project's infra/ offers the gateway: its main.parameters.json passes APIM_ENABLED to the
 * Bicep (`${APIM_ENABLED=false}`). Infra written before the gateway existed does not, and provisioning
 * it with APIM_ENABLED=true would add nothing.
 */
export function infraOffersGateway(projectDir: string): boolean {
  const file = path.join(projectDir, 'infra', 'main.parameters.json');
  return existsSync(file) && readFileSync(file, 'utf8').includes(`\${${APIM_ENABLED}`);
}

export function enableApiManagementCommand(services: EnableApiManagementServices) {
  const { ui, log } = services;

  async function chooseTarget(target: unknown): Promise<Target> {
    const server = remoteServerArgument(target);
    if (server) {
      const project = services.azdProjectOf(server);
      if (!server.environment || !project) {
        throw new UserFacingError(
          `${server.name} was not deployed from an azd environment of this workspace. API Management is added by provisioning that environment: open the project it was deployed from, or run \`azd env set ${APIM_ENABLED} true\` and \`azd provision\` there.`,
        );
      }
      return { project, environment: server.environment };
    }
    const projects = services.projects().filter((project) => listAzdEnvironments(project.dir).length > 0);
    if (projects.length === 0) {
      throw new UserFacingError(
        'No azd environment was found in this workspace: deploy the server first with "Remote MCP: Deploy to Azure", then enable API Management for its environment.',
        [services.actions.deploy],
      );
    }
    const project =
      projects.length === 1
        ? projects[0]!
        : await ui.pick(
            'Enable API Management for which project?',
            projects.map((candidate) => ({
              label: candidate.source === 'bundled' ? 'Bundled sample server' : path.basename(candidate.dir),
              description: candidate.source === 'bundled' ? "this extension's copy" : candidate.dir,
              value: candidate,
            })),
          );
    const environments = listAzdEnvironments(project.dir);
    const environment =
      environments.length === 1
        ? environments[0]!.name
        : await ui.pick(
            'Enable API Management for which azd environment?',
            environments.map((env) => ({
              label: env.name,
              description: [
                env.isDefault ? 'default' : '',
                env.values.SERVICE_API_DEFAULT_HOSTNAME ?? 'not deployed yet',
                env.values[APIM_ENABLED] === 'true' ? 'API Management on' : '',
              ]
                .filter(Boolean)
                .join(' · '),
              value: env.name,
            })),
          );
    return { project, environment };
  }

  /** The modal question, naming the tier and the cost; View Pricing opens the page and asks again. */
  async function confirmCost(environment: string, sku: string): Promise<boolean> {
    const creation =
      sku === 'Developer'
        ? 'The Developer tier has no SLA and is not for production; creating it takes 30 to 45 minutes.'
        : 'Creating it takes a few minutes.';
    const detail = [
      `azd provisions an API Management service, tier ${sku}, in the environment's resource group, in front of the function app. It is billed monthly for as long as it exists, whether it is called or not. ${creation}`,
      `Setting ${APIM_ENABLED} back to false later does not delete it: delete the service in the Azure portal. Pricing: ${apimPricingUrl}`,
    ].join('\n\n');
    for (;;) {
      const answer = await services.confirm(
        `Add an API Management gateway (${sku}) to azd environment ${environment}?`,
        detail,
        [enableButton, pricingButton],
      );
      if (answer !== pricingButton) return answer === enableButton;
      await ui.openExternal(apimPricingUrl);
    }
  }

  async function setApimEnabled(projectDir: string, environment: string, value: string): Promise<void> {
    const args = ['env', 'set', APIM_ENABLED, value, '-e', environment, '--cwd', projectDir];
    const result = await runCli(services.azdPath(), args, { timeoutMs: 60_000, cwd: projectDir });
    if (result.exitCode !== 0) {
      throw new UserFacingError(
        `azd could not set ${APIM_ENABLED} in environment ${environment}: ${azdStderrMessage(result.stderr) || result.stdout.trim()}`,
      );
    }
    log.info(`Set ${APIM_ENABLED}=${value} in azd environment ${environment} (${projectDir}).`);
  }

  /** `azd provision` with the gateway on; on failure or cancel the environment's switch is put back. */
  async function provision(project: AzdProject, environment: string, sku: string, previous: string) {
    await setApimEnabled(project.dir, environment, 'true');
    const restore = () =>
      setApimEnabled(project.dir, environment, previous).catch((error: unknown) =>
        log.warn(`Could not set ${APIM_ENABLED} back to ${previous}: ${String(error)}`),
      );
    let run: AzdRun;
    try {
      run = await ui.withProgress(
        `Enabling API Management: azd provision (environment ${environment})`,
        (progress, signal) => {
          progress.report(`creating the ${sku} API Management service and its MCP API…`);
          return services.runAzd(
            ['provision', '--no-prompt', '-e', environment, '--cwd', project.dir],
            project.dir,
            'azd provision',
            signal,
          );
        },
      );
    } catch (error) {
      await restore();
      throw error;
    }
    const outcome = interpretAzdOutput(run.lines);
    if (!outcome.succeeded || run.exitCode !== 0) {
      await restore();
      throw new UserFacingError(
        [
          `azd provision failed: ${outcome.errorLine ?? `exit code ${run.exitCode}`}`,
          outcome.remedy?.message,
          `${APIM_ENABLED} is ${previous} again in environment ${environment}.`,
        ]
          .filter(Boolean)
          .join(' '),
      );
    }
  }

  async function enable(target?: unknown): Promise<RemoteServer | undefined> {
    const chosen = await chooseTarget(target);
    // The bundled server's copy is refreshed first: its infra/ is the one this extension ships.
    const project = chosen.project.source === 'bundled' ? services.prepareBundled() : chosen.project;
    const { environment } = chosen;
    if (!infraOffersGateway(project.dir)) {
      throw new UserFacingError(
        `The infra/ of ${project.dir} predates the API Management gateway: its main.parameters.json does not pass ${APIM_ENABLED}, so provisioning would add no gateway. Nothing was changed. To get it, move infra/ aside, run "Remote MCP: Add Azure Deployment Files" (or "Host on Azure Functions…" for a self-hosted server) to write the current infra/, carry your own changes over, then enable API Management again.`,
      );
    }
    const before = listAzdEnvironments(project.dir).find((env) => env.name === environment)?.values ?? {};
    const kind = project.source === 'bundled' ? 'functionsMcpExtension' : deployedKindOf(project.dir);
    const existing = gatewayOutputs(before).endpoint;
    if (!existing) {
      const sku = before.APIM_SKU?.trim() || defaultApimSku;
      if (!(await confirmCost(environment, sku))) {
        log.info(`Enable API Management cancelled: azd environment ${environment} is unchanged.`);
        return undefined;
      }
      await provision(project, environment, sku, before[APIM_ENABLED]?.trim() || 'false');
    }

    const values = await azdEnvValues(services.azdPath(), project.dir, environment);
    const gateway = gatewayOutputs(values);
    if (!gateway.endpoint) {
      throw new UserFacingError(
        gateway.problem ??
          `azd provision finished, but azd environment ${environment} has no gateway URL: check that infra/main.bicep deploys the gateway when ${APIM_ENABLED} is true.`,
      );
    }
    const server = remoteServerFromEnvValues(values, kind);
    const remembered = services.registry.find(server.resourceId);
    if (remembered) await services.registry.upsert({ ...remembered, gateway: server.gateway });
    log.info(`${server.name} is behind API Management at ${gateway.endpoint} (environment ${environment}).`);
    await ui.showInfo(
      `${existing ? 'API Management was already' : 'API Management is'} in front of ${server.name}: ${gateway.endpoint}. Connect through it and VS Code signs you in with Microsoft Entra; no key is kept on this machine.`,
      [services.actions.connectThroughGateway({ ...(remembered ?? {}), ...server })],
    );
    return server;
  }

  return { [CommandId.enableApiManagement]: (target?: unknown) => enable(target) };
}
