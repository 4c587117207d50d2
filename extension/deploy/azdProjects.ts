// The azd projects this window can deploy from, and what their environments have deployed.
import type { RemoteServer } from '../remote/remoteServers';
import { listAzdEnvironments } from './azdEnvironments';
import {
  bundledProjectDir,
  prepareBundledProject,
  workspaceAzdProjects,
  type AzdProject,
} from './azdProject';
import { remoteServerFromEnvValues } from './deployCommand';

export class AzdProjects {
  constructor(
    private readonly extensionPath: string,
    private readonly storageDir: string,
    private readonly workspaceFolders: () => string[],
  ) {}

  inWorkspace(): AzdProject[] {
    return workspaceAzdProjects(this.workspaceFolders());
  }

  /** The workspace's projects and the bundled server's copy, as they are on disk (nothing copied). */
  all(): AzdProject[] {
    return [...this.inWorkspace(), { dir: bundledProjectDir(this.storageDir), source: 'bundled' }];
  }

  /** Copies the bundled server where azd may write (see prepareBundledProject). */
  prepareBundled(): AzdProject {
    return prepareBundledProject(this.extensionPath, this.storageDir);
  }

  /** The project whose `.azure/` holds the azd environment the server was deployed from, if any. */
  azdProjectOf(server: RemoteServer): AzdProject | undefined {
    const environment = server.environment;
    if (!environment) return undefined;
    return this.all().find((project) =>
      listAzdEnvironments(project.dir).some((env) => env.name === environment),
    );
  }

  /**
   * The project to deploy the server again from. The bundled project's copy is refreshed first
   * (its folders deleted and copied again), so azd deploys this version of the extension's server.
   */
  prepareProjectToRedeploy(server: RemoteServer): AzdProject | undefined {
    const project = this.azdProjectOf(server);
    return project?.source === 'bundled' ? this.prepareBundled() : project;
  }

  /** The deployments recorded in azd environments (those that have been provisioned). */
  deployments(): RemoteServer[] {
    return this.all().flatMap((project) =>
      listAzdEnvironments(project.dir).flatMap((env) => {
        try {
          return [remoteServerFromEnvValues({ ...env.values, AZURE_ENV_NAME: env.name })];
        } catch {
          return []; // Not provisioned yet.
        }
      }),
    );
  }
}
