import { UserFacingError, type MessageAction } from '../common/errors';
import type { Logger } from '../common/log';
import { runCli } from '../common/processes';
import type { UserInterface } from '../common/ui';
import { azdEnvValues } from '../deploy/azdEnvironments';
import { interpretAzdOutput } from '../deploy/azdRunOutput';
import type { AzdRun } from '../deploy/azdTask';
import { deployedKindOf, type AzdProject } from '../deploy/azdProject';
import type { FunctionKeyStore } from '../remote/keyStore';
import {
  mcpUrlOf,
  remoteServerArgument,
  type RemoteServer,
  type RemoteServerRegistry,
} from '../remote/remoteServers';
import { isGuid } from './entra';
import type { EntraAccess } from './entraAccess';
import type { EntraTokenSource } from './entraToken';
import type { SignInCheckInput, SignInConsistency, SignInStep } from './signInCheck/model';
import { renderSignInReport, signInReportLines } from './signInCheck/report';
import { CommandId } from '../commandIds';
import type { McpProject } from '../project/mcpProject';

export interface EntraCommandServices {
  registry: RemoteServerRegistry;
  keyStore: FunctionKeyStore;
  entra: EntraAccess;
  tokens: EntraTokenSource;
  ui: UserInterface;
  log: Logger;
  azdPath(): string;
  /** The azd project that holds the server's environment, when it was deployed with azd from here. */
  azdProjectOf(server: RemoteServer): AzdProject | undefined;
  runAzd(args: string[], cwd: string, title: string, signal: AbortSignal): Promise<AzdRun>;
  /** The sign-in check, which lives in the MCP SDK client bundle (loaded on first use). */
  checkSignIn(input: SignInCheckInput): Promise<{ steps: SignInStep[] }>;
  checkSignInAction(server: RemoteServer): MessageAction;
  /** The workspace project the server was deployed from, when this workspace holds it (its host.json). */
  mcpProjectOf(server: RemoteServer): Promise<McpProject | undefined>;
}

/**
 * A self-hosted project's host.json level as recognition read it: `anonymous`, or `function` (named,
 * or the host's default when host.json names none: both ask for the key).
 */
async function hostJsonLevelOf(
  services: EntraCommandServices,
  server: RemoteServer,
): Promise<string | undefined> {
  const project = await services.mcpProjectOf(server).catch(() => undefined);
  if (project?.kind !== 'selfHosted') return undefined;
  return project.auth === 'anonymous' ? 'anonymous' : 'function';
}

/** Enable / Disable Entra sign-in for a deployed server, and the sign-in diagnosis. */
export function entraCommands(services: EntraCommandServices) {
  const { registry, ui, log } = services;

  async function pickServer(title: string, target: unknown): Promise<RemoteServer> {
    // A server, a node of the MCP Servers view, or an object naming a remembered resourceId.
    const given = (remoteServerArgument(target) ?? target) as Partial<RemoteServer> | undefined;
    if (typeof given?.resourceId === 'string')
      return registry.find(given.resourceId) ?? (given as RemoteServer);
    const servers = registry.list();
    if (servers.length === 0)
      throw new UserFacingError(
        'No deployed MCP server is known in this workspace. Deploy or connect one first.',
      );
    return ui.pick(
      title,
      servers.map((server) => ({ label: server.name, description: server.endpoint, value: server })),
    );
  }

  /**
   * The azd project whose infra switches Entra sign-in with AUTH_ENABLED (this extension's own
   * template). A self-hosted project's infra/ is rendered for one mode when it is hosted (its
   * AUTH_ENABLED is an output, not a parameter), so a self-hosted server is switched through ARM.
   */
  function azdSwitchOf(server: RemoteServer): string | undefined {
    const dir = azdDirOf(server);
    return dir && kindOf(server) !== 'selfHosted' ? dir : undefined;
  }

  function azdDirOf(server: RemoteServer): string | undefined {
    return server.environment ? services.azdProjectOf(server)?.dir : undefined;
  }

  /** The server's kind; for one remembered without it, what its azd project's service folder holds. */
  function kindOf(server: RemoteServer): RemoteServer['kind'] {
    const dir = azdDirOf(server);
    return server.kind ?? (dir ? deployedKindOf(dir) : undefined);
  }

  /** Said after switching a self-hosted app that azd deployed: provisioning again sets its infra's mode back. */
  function provisionNote(server: RemoteServer): string {
    return kindOf(server) === 'selfHosted' && azdDirOf(server)
      ? ' Its infra/ still describes the other mode: the next `azd provision` sets the app back, unless you host it again with the mode you want.'
      : '';
  }

  /** Sets AUTH_ENABLED in the azd environment and provisions, so the Bicep does the whole setup. */
  async function provisionWithAuth(
    server: RemoteServer,
    projectDir: string,
    enabled: boolean,
  ): Promise<Record<string, string>> {
    const env = server.environment!;
    const set = await runCli(
      services.azdPath(),
      ['env', 'set', 'AUTH_ENABLED', String(enabled), '-e', env, '--cwd', projectDir],
      {
        timeoutMs: 60_000,
        cwd: projectDir,
      },
    );
    if (set.exitCode !== 0)
      throw new UserFacingError(`azd could not set AUTH_ENABLED: ${(set.stderr || set.stdout).trim()}`);
    const run = await ui.withProgress(
      `${enabled ? 'Enabling' : 'Disabling'} Entra sign-in: azd provision (environment ${env})`,
      (_progress, signal) =>
        services.runAzd(
          ['provision', '--no-prompt', '-e', env, '--cwd', projectDir],
          projectDir,
          'azd provision',
          signal,
        ),
    );
    const outcome = interpretAzdOutput(run.lines);
    if (!outcome.succeeded || run.exitCode !== 0) {
      throw new UserFacingError(
        [`azd provision failed: ${outcome.errorLine ?? `exit code ${run.exitCode}`}`, outcome.remedy?.message]
          .filter(Boolean)
          .join(' '),
      );
    }
    return azdEnvValues(services.azdPath(), projectDir, env);
  }

  return {
    [CommandId.enableEntraAuth]: async (target?: unknown): Promise<RemoteServer> => {
      const server = await pickServer('Enable Entra sign-in for which server?', target);
      const projectDir = azdSwitchOf(server);
      let auth: RemoteServer['auth'];
      if (projectDir) {
        const values = await provisionWithAuth(server, projectDir, true);
        const identifierUri = values.ENTRA_IDENTIFIER_URI;
        if (values.AUTH_ENABLED !== 'true' || !identifierUri) {
          throw new UserFacingError(
            'azd provision finished, but the environment has no ENTRA_IDENTIFIER_URI: check the infra/ folder has the auth option.',
          );
        }
        auth = {
          mode: 'entra',
          scopes: [`${identifierUri}/user_impersonation`],
          tenantId: values.AZURE_TENANT_ID,
          clientId: values.ENTRA_APPLICATION_ID,
        };
      } else {
        const clientId = await ui.input('App registration', {
          prompt:
            'The application (client) ID of the Microsoft Entra app registration that protects this server.',
          validate: (value) =>
            isGuid(value) ? undefined : 'An application ID looks like 00000000-0000-0000-0000-000000000000.',
        });
        const identifierUri = await ui.input('Application ID URI', {
          prompt:
            "The app registration's Application ID URI; its user_impersonation scope is what VS Code asks for.",
          value: `api://${clientId.trim()}`,
          validate: (value) =>
            /^(api|https):\/\/\S+$/.test(value.trim())
              ? undefined
              : 'Use the api://… or https://… URI shown under "Expose an API".',
        });
        const tenantId =
          server.tenantId ??
          (await ui.input('Tenant', {
            prompt: 'The directory (tenant) ID of the app registration.',
            validate: (value) => (isGuid(value) ? undefined : 'A tenant ID is a GUID.'),
          }));
        await ui.withProgress(`Enabling Entra sign-in on ${server.name}`, () =>
          services.entra.enableEntra(server, {
            clientId: clientId.trim(),
            tenantId: tenantId.trim(),
            identifierUri: identifierUri.trim(),
          }),
        );
        auth = {
          mode: 'entra',
          scopes: [`${identifierUri.trim()}/user_impersonation`],
          tenantId: tenantId.trim(),
          clientId: clientId.trim(),
        };
      }
      const updated = { ...server, auth };
      await registry.upsert(updated);
      // The key no longer opens the server; keeping it would only be a secret lying around.
      await services.keyStore.forget(server.resourceId);
      log.info(`Entra sign-in enabled for ${server.name} (scope ${auth.scopes.join(' ')}).`);
      await ui.showInfo(
        `Entra sign-in is on for ${server.name}. VS Code signs you in when it starts the server.${provisionNote(server)}`,
        [services.checkSignInAction(updated)],
      );
      return updated;
    },

    [CommandId.disableEntraAuth]: async (target?: unknown): Promise<RemoteServer> => {
      const server = await pickServer('Disable Entra sign-in for which server?', target);
      const projectDir = azdSwitchOf(server);
      if (projectDir) await provisionWithAuth(server, projectDir, false);
      else
        await ui.withProgress(`Disabling Entra sign-in on ${server.name}`, () =>
          services.entra.disableEntra(server),
        );
      const updated: RemoteServer = { ...server, auth: { mode: 'key' } };
      await registry.upsert(updated);
      await ui.showInfo(
        `Entra sign-in is off for ${server.name}: it uses its function key again, fetched when VS Code next starts it.${provisionNote(server)}`,
      );
      return updated;
    },

    [CommandId.checkSignIn]: async (target?: unknown): Promise<SignInStep[]> => {
      const server = await pickServer('Check the sign-in of which server?', target);
      const consistency: SignInConsistency = {
        keyStored: (await services.keyStore.get(server.resourceId)) !== undefined,
      };
      let serverKind = server.kind;
      try {
        const state = await services.entra.readAuthState(server, await hostJsonLevelOf(services, server));
        serverKind ??= state.kind;
        Object.assign(consistency, {
          entraEnabled: state.entraEnabled,
          webhookAuthorizationLevel: state.webhookAuthorizationLevel,
          ...(state.customHandlerLevel ? { customHandlerLevel: state.customHandlerLevel } : {}),
          allowedApplications: state.allowedApplications,
          allowedAudiences: state.allowedAudiences,
          appTenantId: state.tenantId,
        });
      } catch (error) {
        // The chain is still worth walking without Azure's side of the story.
        log.warn(
          `Could not read ${server.name}'s authentication settings from Azure: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      // Through the gateway, the URL VS Code talks to is the gateway's, and the gateway checks the token.
      const mcpUrl = mcpUrlOf(server);
      const viaGateway = server.via === 'gateway' && server.gateway !== undefined;
      const { steps } = await ui.withProgress(`Checking sign-in to ${server.name}`, () =>
        services.checkSignIn({
          mcpUrl,
          ...(viaGateway ? { viaGateway } : {}),
          ...(serverKind ? { serverKind } : {}),
          getToken: (scopes, tenantId) => services.tokens(scopes, tenantId ?? server.tenantId, true),
          consistency,
          expectedTenantId: server.tenantId,
        }),
      );
      log.info(`Sign-in check of ${server.name} (${mcpUrl}${viaGateway ? ', through API Management' : ''}):`);
      for (const line of signInReportLines(steps)) log.info(line);
      await ui.showReport(
        `Sign-in check of ${server.name}`,
        renderSignInReport(mcpUrl, steps, viaGateway ? { appEndpoint: server.endpoint } : {}),
      );
      // A warning (e.g. a stale key) has a fix too: it is a problem, not a pass.
      const problems = steps.filter((step) => step.status === 'fail' || step.status === 'warn').length;
      await (problems > 0
        ? ui.showWarning(
            `Sign-in check of ${server.name}: ${problems} problem${problems > 1 ? 's' : ''} found; the report says how to fix ${problems > 1 ? 'them' : 'it'}.`,
          )
        : ui.showInfo(`Sign-in check of ${server.name}: every step passed.`));
      return steps;
    },
  };
}
