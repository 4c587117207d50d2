// The azd projects this window can deploy from, and what their environments have deployed.
import path from 'node:path';
import type { McpProject } from '../project/mcpProject';
import { recognizeProjects } from '../project/recognizeProjects';
import type { RemoteServer } from '../remote/remoteServers';
import { listAzdEnvironments } from './azdEnvironments';
import {
  azureYamlServiceFolders,
  bundledProjectDir,
  deployedKindOf,
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
   * The workspace MCP project a server was deployed from (the folder its azd project's azure.yaml
   * names as a service), as recognition reads it now; undefined for the bundled server, or when the
   * server was not deployed from this workspace.
   */
  async mcpProjectOf(server: RemoteServer): Promise<McpProject | undefined> {
    const azd = this.azdProjectOf(server);
    if (azd?.source !== 'workspace') return undefined;
    const folders = azureYamlServiceFolders(azd.dir).map((folder) => path.resolve(folder));
    const { projects } = await recognizeProjects(folders);
    return projects.find((project) => folders.includes(path.resolve(project.folder)));
  }

  /**
   * The project to deploy the server again from. The bundled project's copy is refreshed first
   * (its folders deleted and copied again), so azd deploys this version of the extension's server.
   */
  prepareProjectToRedeploy(server: RemoteServer): AzdProject | undefined {
    const project = this.azdProjectOf(server);
    return project?.source === 'bundled' ? this.prepareBundled() : project;
  }

  /**
   * The deployments recorded in azd environments (those that have been provisioned), each with the
   * kind its azd project deploys (from the folders azure.yaml's services name).
   */
  deployments(): RemoteServer[] {
    return this.all().flatMap((project) => {
      const environments = listAzdEnvironments(project.dir);
      if (environments.length === 0) return [];
      const kind = project.source === 'bundled' ? 'functionsMcpExtension' : deployedKindOf(project.dir);
      return environments.flatMap((env) => {
        try {
          return [remoteServerFromEnvValues({ ...env.values, AZURE_ENV_NAME: env.name }, kind)];
        } catch {
          return []; // Not provisioned yet.
        }
      });
    });
  }
}
