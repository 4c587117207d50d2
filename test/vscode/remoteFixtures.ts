// Azure, on loopback, for the VS Code suite's deploy-and-connect tests: a fake ARM (https) that knows
// the function app, the fake azd on PATH whose deployment points at it, and the "deployed" app
// itself: the embedded host started with MCP_KEY behind https. A control endpoint lets the suite
// rotate the key, as an operator would in the portal.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { selfHostedSite, startFakeArm } from '../fakes/arm';
import { catalogue } from '../../server/src/tools';
import { startFakeEntra } from '../fakes/entra';
import { entraAppSettingChanges, entraAuthSettingsV2 } from '../../extension/auth/entraAppConfig';
import { startTlsProxy } from '../fakes/tlsProxy';
import { startBuiltInAuthApp } from './builtInAuthApp';
import { startSelfHostedEntraFixture } from './selfHostedEntraApp';
import { startGatewayFixture } from './gatewayApp';
import { freePort, startNodeProcess, type StartedProcess } from '../support/processes';
import { startSelfHostedApp } from '../support/selfHostedApp';

const root = path.resolve(__dirname, '../..');
const subscriptionId = '6d0e1c3a-1b2c-4d5e-8f90-0a1b2c3d4e5f';
const tenantId = '72f988bf-0000-4000-8000-000000000000';
const resourceGroup = 'rg-mcp-test';
const siteName = 'func-api-mcptest';
// A second app that already has Microsoft Entra sign-in on (built-in auth, webhook level Anonymous).
const entraSiteName = 'func-api-entra';
const entraClientId = '3f0c5b2a-6d1e-4f7a-9b8c-2e4d6f8a0b1c';
const entraIdentifierUri = `api://${tenantId}/${entraSiteName}`;
// A self-hosted app: the node-self-hosted fixture behind the host's key check (function level).
const selfHostedSiteName = 'func-sdk-todos';
// A third app in key mode whose Entra sign-in the suite turns on and off (see builtInAuthApp.ts).
const switchSiteName = 'func-api-switch';
const switchIdentifierUri = `api://${tenantId}/${switchSiteName}`;
/** The account the test authentication provider signs in (test/fakes/authProvider). */
const fakeEntraAccount = 'dev@contoso.example';

export interface RemoteFixtures {
  env: Record<string, string>;
  settings: Record<string, unknown>;
  /** What VS Code remembers from earlier sessions (see runVsCodeSuite's applicationStorage). */
  applicationStorage: Record<string, string>;
  /** Every key the app has had: the suite's last test searches for them where they must not be. */
  keys: string[];
  close(): Promise<void>;
}

export async function startRemoteFixtures(options: {
  workDir: string;
  storageConnectionString: string;
}): Promise<RemoteFixtures> {
  const keys = [newKey()];
  const appPort = await freePort();
  let app = startApp(appPort, keys[0]!, options.storageConnectionString);
  await app.waitForLine(/ready:/);
  const proxy = await startTlsProxy(() => appPort);

  const arm = await startFakeArm();
  arm.addSubscription(subscriptionId, 'MCP tests');
  // What the Functions MCP extension registers, one mcpToolTrigger function per tool: the status
  // view's subscription scan recognises the apps by these (and never needs their host keys).
  const functions = catalogue.map((tool) => tool.name);
  arm.addSite({
    subscriptionId,
    name: siteName,
    resourceGroup,
    location: 'eastus',
    defaultHostName: proxy.hostName,
    functions,
  });
  arm.setHostKeys(siteName, { systemKeys: { mcp_extension: keys[0]! } });
  // Right after a deploy the host has not loaded the MCP extension yet: no key for the first calls.
  arm.setMissingKeyCalls(siteName, 2);
  const caFile = arm.writeCaFile(options.workDir);

  // The Entra app: the embedded host in Entra mode (tokens from the fake Entra) behind https.
  const entra = await startFakeEntra({ tenantId });
  const entraAppPort = await freePort();
  const entraApp = startNodeProcess(path.join(root, 'server/dist/embedded.js'), {
    ...process.env,
    PORT: String(entraAppPort),
    MCP_AUTH_ISSUER: entra.issuer,
    MCP_AUTH_AUDIENCE: entraIdentifierUri,
    MCP_AUTH_JWKS_URL: entra.jwksUrl,
    MCP_TRUST_PROXY: '1',
    AzureWebJobsStorage: options.storageConnectionString,
  });
  await entraApp.waitForLine(/ready:/);
  const entraProxy = await startTlsProxy(() => entraAppPort);
  const registration = { tenantId, clientId: entraClientId, identifierUri: entraIdentifierUri };
  arm.addSite({
    subscriptionId,
    name: entraSiteName,
    resourceGroup,
    location: 'eastus',
    defaultHostName: entraProxy.hostName,
    functions,
    authSettingsV2: { ...entraAuthSettingsV2(registration) },
    appSettings: Object.fromEntries(
      Object.entries(entraAppSettingChanges(registration)).filter(
        (entry): entry is [string, string] => entry[1] !== null,
      ),
    ),
  });

  keys.push(newKey());
  const switchKey = keys.at(-1)!;
  arm.addSite({
    subscriptionId,
    name: switchSiteName,
    resourceGroup,
    location: 'westeurope',
    functions,
    appSettings: { FUNCTIONS_WORKER_RUNTIME: 'node', TEAM_OWNER: 'platform-team' },
  });
  arm.setHostKeys(switchSiteName, { systemKeys: { mcp_extension: switchKey } });
  const switchApp = await startBuiltInAuthApp({
    arm,
    siteName: switchSiteName,
    entra,
    identifierUri: switchIdentifierUri,
    key: switchKey,
    storageConnectionString: options.storageConnectionString,
  });
  arm.site(switchSiteName).defaultHostName = switchApp.hostName;
  const selfHostedEntra = await startSelfHostedEntraFixture({
    arm,
    entra,
    subscriptionId,
    resourceGroup,
    tenantId,
  });

  // A deployment with APIM_ENABLED: the app behind the API Management gateway stand-in.
  const gateway = await startGatewayFixture({
    arm,
    entra,
    subscriptionId,
    resourceGroup,
    tenantId,
    functions,
  });
  keys.push(gateway.key);

  // The self-hosted app: its default function key opens /mcp (DefaultAuthorizationLevel function);
  // right after its deploy the host has not started, so the first key read finds none.
  keys.push(newKey());
  const selfHostedKey = keys.at(-1)!;
  const selfHostedApp = await startSelfHostedApp({
    acceptedKeys: () => {
      const hostKeys = arm.site(selfHostedSiteName).hostKeys;
      return [...Object.values(hostKeys.functionKeys), hostKeys.masterKey];
    },
  });
  const selfHostedProxy = await startTlsProxy(() => selfHostedApp.gate.port);
  arm.addSite(
    selfHostedSite({
      subscriptionId,
      name: selfHostedSiteName,
      resourceGroup,
      location: 'eastus',
      defaultHostName: selfHostedProxy.hostName,
      hostKeys: { masterKey: newKey(), functionKeys: { default: selfHostedKey }, systemKeys: {} },
    }),
  );
  arm.setMissingKeyCalls(selfHostedSiteName, 1);

  const azdConfig = path.join(options.workDir, 'fake-azd.json');
  writeFileSync(
    azdConfig,
    JSON.stringify({
      signedIn: true,
      subscriptionId,
      tenantId,
      location: 'eastus',
      resourceGroup,
      siteName,
      defaultHostName: proxy.hostName,
      siteResourceId: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${siteName}`,
      delayMs: 50,
    }),
  );

  let nextTokens: 'valid' | 'expired' | 'wrong-audience' = 'valid';
  // POST /stop-app, /start-app: the app stopped (ARM says Stopped, nothing answers) or started again.
  // POST /rotate-key: a new key, the app restarted with it, ARM answering with it.
  // GET /sites/func-api-switch: that app's settings as ARM holds them.
  // GET /key-fetches: how often the extension has asked ARM for the keys. GET /keys: all keys so far.
  // GET /self-hosted: what the self-hosted app's key check forwarded and refused, and ARM's reads of it.
  // GET /gateway: the requests VS Code sent the API Management gateway and those it sent the app.
  // POST /entra-token: a token for the test authentication provider; /entra-token-kind/<kind> what
  // kind it mints next (valid, expired, wrong-audience).
  const control = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/entra-token') {
      // The test authentication provider signs in here: a token for the API the scopes name.
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { scopes } = JSON.parse(body) as { scopes: string[] };
        const apiScope = scopes.find((scope) => scope.endsWith('/user_impersonation'));
        if (!apiScope) {
          res.writeHead(400).end();
          return;
        }
        const audience = apiScope.slice(0, -'/user_impersonation'.length);
        void entra
          .mintToken({
            audience: nextTokens === 'wrong-audience' ? `${audience}-other` : audience,
            scopes: ['user_impersonation'],
            expiresInSeconds: nextTokens === 'expired' ? -600 : 3600,
          })
          .then((token) => {
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
          });
      });
      return;
    }
    if (req.method === 'POST' && req.url?.startsWith('/entra-token-kind/')) {
      // What the fake Entra hands out next: the suite plays a stale or misdirected token.
      const kind = req.url.slice('/entra-token-kind/'.length);
      if (kind !== 'valid' && kind !== 'expired' && kind !== 'wrong-audience') {
        res.writeHead(400).end();
        return;
      }
      nextTokens = kind;
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && req.url === `/sites/${switchSiteName}`) {
      const site = arm.site(switchSiteName);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ appSettings: site.appSettings, authSettingsV2: site.authSettingsV2 }));
      return;
    }
    if (req.method === 'GET' && req.url === '/self-hosted') {
      // What the self-hosted app's key check let through and refused, and how often ARM was asked for
      // its settings and keys: counts, never a key.
      const { forwarded, refused } = selfHostedApp.gate;
      const reads = (suffix: string) =>
        arm.requests.filter((request) =>
          request.path.toLowerCase().endsWith(`/${selfHostedSiteName}${suffix}`),
        ).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          forwarded,
          refused,
          settingsReads: reads('/config/appsettings/list'),
          keyReads: reads('/host/default/listkeys'),
        }),
      );
      return;
    }
    if (req.method === 'GET' && req.url === '/gateway') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(gateway.observations()));
      return;
    }
    if (req.method === 'GET' && req.url === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
      return;
    }
    if (req.method === 'GET' && req.url === '/key-fetches') {
      const count = arm.requests.filter((request) =>
        request.path.toLowerCase().endsWith('/host/default/listkeys'),
      ).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count }));
      return;
    }
    if (req.method === 'POST' && (req.url === '/stop-app' || req.url === '/start-app')) {
      void (async () => {
        const site = arm.site(siteName);
        if (req.url === '/stop-app') {
          await app.stop();
          site.state = 'Stopped';
        } else {
          app = startApp(appPort, keys.at(-1)!, options.storageConnectionString);
          await app.waitForLine(/ready:/);
          site.state = 'Running';
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state: site.state }));
      })();
      return;
    }
    if (req.method !== 'POST' || req.url !== '/rotate-key') {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      const key = newKey();
      keys.push(key);
      await app.stop();
      app = startApp(appPort, key, options.storageConnectionString);
      await app.waitForLine(/ready:/);
      arm.setHostKeys(siteName, { systemKeys: { mcp_extension: key } });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key }));
    })();
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

  const fakeAzdDir = path.join(root, 'test/fakes/azd');
  return {
    keys,
    env: {
      // The azd credential of @azure/identity runs the `azd` on PATH, as it would for a user.
      PATH: `${fakeAzdDir}${path.delimiter}${process.env.PATH ?? ''}`,
      FAKE_AZD_CONFIG: azdConfig,
      NODE_EXTRA_CA_CERTS: caFile,
      NO_PROXY: '127.0.0.1,localhost',
      REMOTE_MCP_CONTROL_URL: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
      REMOTE_MCP_SITE_NAME: siteName,
      REMOTE_MCP_ENTRA_SERVER: JSON.stringify({
        ...remoteServer(entraSiteName, entraProxy.hostName),
        connected: true,
        auth: {
          mode: 'entra',
          scopes: [`${entraIdentifierUri}/user_impersonation`],
          tenantId,
          clientId: entraClientId,
        },
      }),
      REMOTE_MCP_SWITCH_SERVER: JSON.stringify(remoteServer(switchSiteName, switchApp.hostName)),
      // As an azd environment describes it: nothing says what serves MCP on it.
      REMOTE_MCP_SELF_HOSTED_SERVER: JSON.stringify(
        remoteServer(selfHostedSiteName, selfHostedProxy.hostName),
      ),
      REMOTE_MCP_SWITCH_IDENTIFIER_URI: switchIdentifierUri,
      ...selfHostedEntra.env,
      ...gateway.env,
      // The test authentication provider claims this authorization server, as `microsoft` claims Entra's.
      REMOTE_MCP_FAKE_ENTRA_ISSUER: entra.issuer,
    },
    settings: {
      'remoteMcp.azdPath': path.join(fakeAzdDir, 'azd'),
      'remoteMcp.azureCredential': 'azd',
      'remoteMcp.armEndpoint': arm.endpoint,
      'remoteMcp.keyWaitSeconds': 60,
      // VS Code's patched fetch (its MCP client's, and the extension's key check) trusts the system
      // CA list in place of Node's default store; off, Node's store applies, which holds the test CA
      // given in NODE_EXTRA_CA_CERTS. Real function apps have publicly trusted certificates.
      'http.systemCertificates': false,
      // VS Code's `microsoft` provider cannot reach Entra here; the test provider signs in with the fake.
      'remoteMcp.auth.providerId': 'fake-entra',
    },
    applicationStorage: {
      // The user let VS Code's MCP client use that account for the gateway's server in an earlier
      // session (through a gateway, VS Code signs in itself, not this extension).
      [`mcpserver-fake-entra-${fakeEntraAccount}`]: JSON.stringify([gateway.mcpServerAccess]),
      // The user let this extension use their (fake) Entra account in an earlier session: VS Code
      // keeps that answer under `<provider id>-<account label>`.
      [`fake-entra-${fakeEntraAccount}`]: JSON.stringify([
        { id: 'remote-mcp.remote-mcp-functions', name: 'Remote MCP for Azure Functions', allowed: true },
      ]),
    },
    close: async () => {
      control.close();
      await Promise.all([
        app.stop(),
        proxy.close(),
        arm.close(),
        entraApp.stop(),
        switchApp.close(),
        selfHostedEntra.close(),
        gateway.close(),
        entraProxy.close(),
        entra.close(),
        selfHostedProxy.close(),
        selfHostedApp.close(),
      ]);
    },
  };
}

/** How the extension remembers an app of the fake subscription (its RemoteServer). */
function remoteServer(name: string, hostName: string) {
  return {
    resourceId: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${name}`,
    name,
    hostName,
    endpoint: `https://${hostName}/runtime/webhooks/mcp`,
    subscriptionId,
    resourceGroup,
    tenantId,
  };
}

function newKey(): string {
  return randomBytes(30).toString('base64url');
}

function startApp(port: number, key: string, storage: string): StartedProcess {
  return startNodeProcess(path.join(root, 'server/dist/embedded.js'), {
    ...process.env,
    PORT: String(port),
    MCP_KEY: key,
    AzureWebJobsStorage: storage,
  });
}
