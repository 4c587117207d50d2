// Azure for the VS Code suite's analysis-tool calls, on loopback: Resource Graph and Log Analytics
// (https, with the sample data) and the App Service managed identity endpoint. The local server the
// extension starts inherits VS Code's environment; VS Code gives its extension host the login
// shell's PATH, so the fake azd cannot be its sign-in there. It signs in the way a deployed app
// does instead: IDENTITY_ENDPOINT and IDENTITY_HEADER, and AZURE_CLIENT_ID of a user-assigned
// identity as the Bicep sets it. A control endpoint lets the suite see who asked for which token.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeManagedIdentity } from '../fakes/managedIdentity';
import { startAnalysisServices } from '../support/azureAnalysisFakes';

/** The client ID of the user-assigned identity the "deployed" server signs in as. */
export const SERVER_IDENTITY_CLIENT_ID = '4c7d2e19-8a3b-4f6e-9d21-5b0a6c8e7f31';

/** What GET {REMOTE_MCP_ANALYSIS_CONTROL_URL}/requests answers. */
export interface AnalysisRequests {
  resourceGraph: { endpoint: string; audiences: (string | undefined)[] };
  logAnalytics: { endpoint: string; audiences: (string | undefined)[] };
  identity: { resource?: string; clientId?: string; identityHeader: string; status: number }[];
  /** The access tokens the endpoint handed out (fake ones), for the suite's search for leaked secrets. */
  identityTokens: string[];
}

export interface AnalysisFixtures {
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * `trustedCaFile` is the NODE_EXTRA_CA_CERTS the suite's VS Code gets: the https fakes' certificate
 * must be in it, or the local server's SDK clients refuse them.
 */
export async function startAnalysisFixtures(options: { trustedCaFile: string }): Promise<AnalysisFixtures> {
  const services = await startAnalysisServices();
  const identity = await startFakeManagedIdentity({ userAssigned: [SERVER_IDENTITY_CLIENT_ID] });
  const { resourceGraph, logAnalytics } = services;
  if (!readFileSync(options.trustedCaFile, 'utf8').includes(resourceGraph.caPem.trim())) {
    await Promise.all([services.close(), identity.close()]);
    throw new Error(
      `The analysis fakes' certificate is not in ${options.trustedCaFile} (NODE_EXTRA_CA_CERTS): the local server would refuse them.`,
    );
  }

  const control = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/requests') {
      res.writeHead(404).end();
      return;
    }
    const requests: AnalysisRequests = {
      resourceGraph: {
        endpoint: resourceGraph.endpoint,
        audiences: resourceGraph.requests.map((r) => r.audience),
      },
      logAnalytics: {
        endpoint: logAnalytics.endpoint,
        audiences: logAnalytics.requests.map((r) => r.audience),
      },
      identity: identity.requests.map(({ resource, clientId, identityHeader, status }) => ({
        resource,
        clientId,
        identityHeader,
        status,
      })),
      identityTokens: identity.issuedTokens,
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(requests));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

  return {
    env: {
      AZURE_RESOURCE_MANAGER_ENDPOINT: resourceGraph.endpoint,
      LOG_ANALYTICS_ENDPOINT: logAnalytics.endpoint,
      ...identity.env,
      AZURE_CLIENT_ID: SERVER_IDENTITY_CLIENT_ID,
      REMOTE_MCP_ANALYSIS_CONTROL_URL: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    },
    close: async () => {
      control.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => control.close(() => resolve())),
        services.close(),
        identity.close(),
      ]);
    },
  };
}
