// A loopback fake of Azure Resource Manager for the App Service (Microsoft.Web/sites) calls the
// extension makes through @azure/arm-appservice 19.x (WebSiteManagementClient, default api-version
// 2025-05-01). Contract: the Web Apps REST API, https://learn.microsoft.com/rest/api/appservice/web-apps,
// its specification in Azure/azure-rest-api-specs (specification/web/resource-manager/Microsoft.Web),
// and the REST paths in the SDK's dist/commonjs/api/webApps/operations.js (Azure/azure-sdk-for-js,
// sdk/appservice/arm-appservice):
//   GET  /subscriptions/{sub}/providers/Microsoft.Web/sites                      webApps.list (paged)
//   GET  /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites  webApps.listByResourceGroup (paged)
//   GET  {site}                                   webApps.get
//   POST {site}/host/default/listkeys             webApps.listHostKeys
//        (Web Apps - List Host Keys, https://learn.microsoft.com/rest/api/appservice/web-apps/list-host-keys:
//        HostKeys {masterKey, functionKeys, systemKeys})
//   POST {site}/config/appsettings/list           webApps.listApplicationSettings
//        (Web Apps - List Application Settings,
//        https://learn.microsoft.com/rest/api/appservice/web-apps/list-application-settings: a
//        StringDictionary, the settings in `properties`)
//   PUT  {site}/config/appsettings                webApps.updateApplicationSettings (replaces the whole set)
//   GET  {site}/config/authsettingsV2/list        webApps.getAuthSettingsV2
//   PUT  {site}/config/authsettingsV2             webApps.updateAuthSettingsV2
//   POST {site}/restart                           webApps.restart (200 only)
//   GET  {site}/functions                         webApps.listFunctions (paged)
//   GET  /subscriptions                           SubscriptionClient.subscriptions.list (paged), from
//        @azure/arm-resources-subscriptions 2.x (api-version 2022-12-01; azure-rest-api-specs
//        specification/resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json)
// where {site} = /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}.
//
// It serves https with a self-signed certificate for IP:127.0.0.1 so the SDK's real bearer-token
// policy stays in the pipeline (it refuses plain http): clients pass `tlsOptions: { ca: caPem }`, or
// a process started with NODE_EXTRA_CA_CERTS=<writeCaFile(dir)> trusts it with no option at all.
// Two kinds of MCP app (see selfHostedSite): a Functions MCP extension app lists mcpToolTrigger
// functions and, once the host has loaded the extension, has the `mcp_extension` system key; a
// self-hosted app (an SDK server behind the MCP custom handler) has the app setting
// AzureWebJobsFeatureFlags=EnableMcpCustomHandlerPreview, no trigger functions and no
// `mcp_extension` key, and clients send it the `default` function key.
// Like ARM it answers every error with a JSON body `{"error":{"code","message"}}` and the exact
// status: an empty error body makes the SDK throw a TypeError instead of a RestError.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loopbackCertificate } from './loopbackCertificate';

export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000001';

export interface HostKeys {
  masterKey: string;
  functionKeys: Record<string, string>;
  systemKeys: Record<string, string>;
}

export interface FakeSite {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  kind: string;
  state: string;
  tags: Record<string, string>;
  lastModifiedTimeUtc: string;
  appSettings: Record<string, string>;
  authSettingsV2: Record<string, unknown>;
  hostKeys: HostKeys;
  /** Function names, listed by GET {site}/functions. */
  functions: string[];
  /**
   * The next N listkeys calls answer as right after a deploy, before the host has started and loaded
   * the MCP extension: without systemKeys.mcp_extension and without functionKeys.default.
   */
  missingKeyCalls: number;
  /** `properties.functionAppConfig.runtime` of the site (Flex Consumption). */
  runtime: { name: string; version: string };
  restarts: number;
  /** `<name>.azurewebsites.net` unless a test points it at a loopback stand-in of the app. */
  defaultHostName?: string;
}

export type AddSiteOptions = Partial<FakeSite> & { name: string; resourceGroup: string };

export interface RecordedRequest {
  method: string;
  /** Path as sent, without the query. */
  path: string;
  query: Record<string, string>;
  /** Whether an `Authorization: Bearer <token>` header came; the token itself is never kept. */
  authorized: boolean;
  status: number;
}

export interface InjectedFailure {
  /** Matches the request path exactly (case-insensitive) or by pattern; any method unless given. */
  path: string | RegExp;
  method?: string;
  status: number;
  code: string;
  message?: string;
  headers?: Record<string, string>;
  /** How many of the next matching requests fail (default 1). */
  times?: number;
}

export interface FakeArmOptions {
  /** Items per page of the paged lists; a smaller number makes the SDK follow nextLink. */
  pageSize?: number;
  /** Subscriptions that exist even with no site in them. */
  subscriptions?: string[];
  /** The tenant every subscription belongs to (GET /subscriptions reports it). */
  tenantId?: string;
}

export interface FakeArm {
  /** `https://127.0.0.1:PORT`: the client's `endpoint`. */
  endpoint: string;
  /** The self-signed certificate (SAN IP:127.0.0.1, DNS:localhost) to trust. */
  caPem: string;
  requests: RecordedRequest[];
  /** Sites by lower-cased `subscription/resourceGroup/name`. */
  sites: Map<string, FakeSite>;
  addSite(options: AddSiteOptions): FakeSite;
  /** A subscription with a display name (GET /subscriptions lists it). */
  addSubscription(subscriptionId: string, displayName?: string): void;
  /** The site with this name (in any subscription and resource group); throws when there is none. */
  site(name: string): FakeSite;
  setHostKeys(siteName: string, keys: Partial<HostKeys>): void;
  setMissingKeyCalls(siteName: string, calls: number): void;
  failNext(failure: InjectedFailure): void;
  /** Writes the certificate to `<dir>/fake-arm-ca.pem` (for NODE_EXTRA_CA_CERTS) and returns the path. */
  writeCaFile(dir: string): string;
  close(): Promise<void>;
}

export const SITE_ID_PREFIX = (subscriptionId: string, resourceGroup: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites`;

class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * authsettingsV2 of an app never configured, as ARM answers it: built-in authentication off, and
 * every built-in identity provider listed as `enabled: true` with an empty registration (so
 * `enabled` alone does not mean a provider is in use).
 */
function defaultAuthSettingsV2(): Record<string, unknown> {
  return {
    platform: { enabled: false, runtimeVersion: '~1' },
    globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'RedirectToLoginPage' },
    identityProviders: {
      azureActiveDirectory: {
        enabled: true,
        registration: {},
        login: { disableWWWAuthenticate: false },
        validation: {
          jwtClaimChecks: {},
          allowedAudiences: [],
          defaultAuthorizationPolicy: { allowedPrincipals: {} },
        },
      },
      facebook: { enabled: true, registration: {}, login: {} },
      gitHub: { enabled: true, registration: {}, login: {} },
      google: { enabled: true, registration: {}, login: {}, validation: {} },
      twitter: { enabled: true, registration: {} },
      legacyMicrosoftAccount: { enabled: true, registration: {}, login: {}, validation: {} },
      apple: { enabled: true, registration: {}, login: {} },
    },
    login: {
      routes: {},
      tokenStore: { enabled: false, tokenRefreshExtensionHours: 72, fileSystem: {}, azureBlobStorage: {} },
      preserveUrlFragmentsForLogins: false,
      cookieExpiration: { convention: 'FixedTime', timeToExpiration: '08:00:00' },
      nonce: { validateNonce: true, nonceExpirationInterval: '00:05:00' },
    },
    httpSettings: {
      requireHttps: true,
      routes: { apiPrefix: '/.auth' },
      forwardProxy: { convention: 'NoProxy' },
    },
  };
}

/**
 * A self-hosted MCP app on Flex Consumption as the public samples deploy it: the custom handler's
 * feature flag in the app settings (Learn, "Self-hosted remote MCP server": AzureWebJobsFeatureFlags
 * = EnableMcpCustomHandlerPreview), the language in `functionAppConfig.runtime` (Flex takes no
 * FUNCTIONS_WORKER_RUNTIME setting), no trigger functions, and host keys without `mcp_extension`
 * (the MCP extension is not loaded; the `default` function key is the one clients send). Options
 * given override these.
 */
export function selfHostedSite(options: AddSiteOptions & { language?: 'node' | 'python' }): AddSiteOptions {
  const { language = 'node', ...site } = options;
  return {
    functions: [],
    runtime: { name: language, version: language === 'node' ? '22' : '3.12' },
    appSettings: {
      FUNCTIONS_EXTENSION_VERSION: '~4',
      AzureWebJobsFeatureFlags: 'EnableMcpCustomHandlerPreview',
      AzureWebJobsStorage__credential: 'managedidentity',
    },
    hostKeys: { masterKey: randomKey(), functionKeys: { default: randomKey() }, systemKeys: {} },
    ...site,
  };
}

function randomKey(): string {
  return Buffer.from(randomUUID() + randomUUID()).toString('base64url');
}

export async function startFakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
  const { cert, key } = await loopbackCertificate();
  const pageSize = options.pageSize ?? 100;
  const requests: RecordedRequest[] = [];
  const sites = new Map<string, FakeSite>();
  const failures: (InjectedFailure & { remaining: number })[] = [];
  const subscriptions = new Set(
    (options.subscriptions ?? [DEFAULT_SUBSCRIPTION_ID]).map((s) => s.toLowerCase()),
  );
  const subscriptionNames = new Map<string, string>();
  const tenantId = options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const subscriptionBody = (id: string) => ({
    id: `/subscriptions/${id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: id,
    tenantId,
    displayName: subscriptionNames.get(id) ?? `Subscription ${id.slice(0, 8)}`,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  });
  let endpoint = '';

  const siteKey = (sub: string, rg: string, name: string) => `${sub}/${rg}/${name}`.toLowerCase();
  const siteId = (site: FakeSite) =>
    `${SITE_ID_PREFIX(site.subscriptionId, site.resourceGroup)}/${site.name}`;

  const siteBody = (site: FakeSite) => ({
    id: siteId(site),
    name: site.name,
    type: 'Microsoft.Web/sites',
    kind: site.kind,
    location: site.location,
    tags: site.tags,
    properties: {
      name: site.name,
      state: site.state,
      hostNames: [site.defaultHostName ?? `${site.name}.azurewebsites.net`],
      enabledHostNames: [`${site.name}.azurewebsites.net`, `${site.name}.scm.azurewebsites.net`],
      defaultHostName: site.defaultHostName ?? `${site.name}.azurewebsites.net`,
      enabled: site.state !== 'Stopped',
      availabilityState: 'Normal',
      usageState: 'Normal',
      resourceGroup: site.resourceGroup,
      serverFarmId: `/subscriptions/${site.subscriptionId}/resourceGroups/${site.resourceGroup}/providers/Microsoft.Web/serverfarms/plan-${site.name}`,
      reserved: true,
      httpsOnly: true,
      clientAffinityEnabled: false,
      lastModifiedTimeUtc: site.lastModifiedTimeUtc,
      siteConfig: { numberOfWorkers: 1, linuxFxVersion: '', functionAppScaleLimit: 100 },
      functionAppConfig: {
        runtime: { ...site.runtime },
        scaleAndConcurrency: { instanceMemoryMB: 2048, maximumInstanceCount: 100 },
      },
      sku: 'FlexConsumption',
    },
  });

  const configBody = (site: FakeSite, name: string, properties: unknown) => ({
    id: `${siteId(site)}/config/${name}`,
    name,
    type: 'Microsoft.Web/sites/config',
    location: site.location,
    properties,
  });

  const functionBody = (site: FakeSite, fn: string) => ({
    id: `${siteId(site)}/functions/${fn}`,
    name: `${site.name}/${fn}`,
    type: 'Microsoft.Web/sites/functions',
    location: site.location,
    properties: {
      name: fn,
      function_app_id: siteId(site),
      language: 'node',
      isDisabled: false,
      invoke_url_template: null,
      config: { bindings: [{ name: 'context', type: 'mcpToolTrigger', direction: 'in', toolName: fn }] },
    },
  });

  const findSite = (sub: string, rg: string, name: string): FakeSite => {
    if (!subscriptions.has(sub.toLowerCase())) {
      throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    }
    const site = sites.get(siteKey(sub, rg, name));
    if (site) return site;
    const groupExists = [...sites.values()].some(
      (s) =>
        s.subscriptionId.toLowerCase() === sub.toLowerCase() &&
        s.resourceGroup.toLowerCase() === rg.toLowerCase(),
    );
    if (!groupExists) {
      throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    }
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Web/sites/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  };

  const paged = <T>(items: T[], url: URL) => {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0') || 0;
    const page = items.slice(skip, skip + pageSize);
    let nextLink: string | null = null;
    if (skip + pageSize < items.length) {
      const next = new URL(url.pathname, endpoint);
      next.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
      next.searchParams.set('$skiptoken', String(skip + pageSize));
      nextLink = next.toString();
    }
    return { value: page, nextLink };
  };

  const jsonObject = (body: string): Record<string, unknown> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new ArmError(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized.',
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ArmError(400, 'InvalidRequestContent', 'The request content must be a JSON object.');
    }
    return parsed as Record<string, unknown>;
  };

  const handle = (method: string, url: URL, body: string): { status: number; body?: unknown } => {
    const parts = url.pathname.split('/').filter(Boolean);
    const lower = parts.map((p) => p.toLowerCase());
    // subscriptions
    if (lower[0] === 'subscriptions' && parts.length === 1) {
      if (method !== 'GET') {
        throw new ArmError(405, 'MethodNotAllowed', `The requested method ${method} is not allowed.`);
      }
      return { status: 200, body: paged([...subscriptions].sort().map(subscriptionBody), url) };
    }
    // subscriptions/{sub}/...
    if (lower[0] !== 'subscriptions' || parts.length < 2) {
      throw new ArmError(404, 'NotFound', `No route for ${method} ${url.pathname}.`);
    }
    const sub = parts[1] ?? '';
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) {
        throw new ArmError(
          405,
          'MethodNotAllowed',
          `The requested method ${method} is not allowed for ${url.pathname}.`,
        );
      }
    };
    const subscriptionSites = () => {
      if (!subscriptions.has(sub.toLowerCase())) {
        throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
      }
      return [...sites.values()].filter((s) => s.subscriptionId.toLowerCase() === sub.toLowerCase());
    };
    // subscriptions/{sub}/providers/Microsoft.Web/sites
    if (
      parts.length === 5 &&
      lower[2] === 'providers' &&
      lower[3] === 'microsoft.web' &&
      lower[4] === 'sites'
    ) {
      allow('GET');
      return { status: 200, body: paged(subscriptionSites().map(siteBody), url) };
    }
    if (
      lower[2] !== 'resourcegroups' ||
      parts.length < 7 ||
      lower[4] !== 'providers' ||
      lower[5] !== 'microsoft.web' ||
      lower[6] !== 'sites'
    ) {
      throw new ArmError(404, 'NotFound', `No route for ${method} ${url.pathname}.`);
    }
    const rg = parts[3] ?? '';
    // subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites
    if (parts.length === 7) {
      allow('GET');
      const inGroup = subscriptionSites().filter((s) => s.resourceGroup.toLowerCase() === rg.toLowerCase());
      if (inGroup.length === 0) {
        throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
      }
      return { status: 200, body: paged(inGroup.map(siteBody), url) };
    }
    const site = findSite(sub, rg, parts[7] ?? '');
    const rest = lower.slice(8).join('/');
    switch (rest) {
      case '':
        allow('GET');
        return { status: 200, body: siteBody(site) };
      case 'host/default/listkeys': {
        allow('POST');
        const systemKeys = { ...site.hostKeys.systemKeys };
        const functionKeys = { ...site.hostKeys.functionKeys };
        if (site.missingKeyCalls > 0) {
          site.missingKeyCalls--;
          delete systemKeys['mcp_extension'];
          delete functionKeys['default'];
        }
        return {
          status: 200,
          body: { masterKey: site.hostKeys.masterKey, functionKeys, systemKeys },
        };
      }
      case 'config/appsettings/list':
        allow('POST');
        return { status: 200, body: configBody(site, 'appsettings', { ...site.appSettings }) };
      case 'config/appsettings': {
        allow('PUT');
        const properties = jsonObject(body)['properties'];
        if (
          !properties ||
          typeof properties !== 'object' ||
          Array.isArray(properties) ||
          Object.values(properties).some((v) => typeof v !== 'string')
        ) {
          throw new ArmError(400, 'BadRequest', 'properties must be an object of string values.');
        }
        site.appSettings = { ...(properties as Record<string, string>) };
        site.lastModifiedTimeUtc = new Date().toISOString();
        return { status: 200, body: configBody(site, 'appsettings', { ...site.appSettings }) };
      }
      case 'config/authsettingsv2/list':
        allow('GET');
        return {
          status: 200,
          body: configBody(site, 'authsettingsV2', structuredClone(site.authSettingsV2)),
        };
      case 'config/authsettingsv2': {
        allow('PUT');
        const properties = jsonObject(body)['properties'];
        if (!properties || typeof properties !== 'object' || Array.isArray(properties)) {
          throw new ArmError(400, 'BadRequest', 'properties must be an object.');
        }
        site.authSettingsV2 = structuredClone(properties as Record<string, unknown>);
        site.lastModifiedTimeUtc = new Date().toISOString();
        return {
          status: 200,
          body: configBody(site, 'authsettingsV2', structuredClone(site.authSettingsV2)),
        };
      }
      case 'restart':
        allow('POST');
        site.restarts++;
        return { status: 200 };
      case 'functions':
        allow('GET');
        return {
          status: 200,
          body: paged(
            site.functions.map((fn) => functionBody(site, fn)),
            url,
          ),
        };
      default:
        throw new ArmError(404, 'NotFound', `No route for ${method} ${url.pathname}.`);
    }
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': randomUUID(),
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', endpoint);
    const method = (req.method ?? 'GET').toUpperCase();
    const authorized = /^Bearer \S+/.test(req.headers.authorization ?? '');
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorized,
      status: 0,
    };
    requests.push(record);
    const fail = (error: ArmError) => {
      record.status = error.status;
      send(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
    };
    if (!authorized) {
      return fail(
        new ArmError(
          401,
          'AuthenticationFailed',
          req.headers.authorization
            ? "Authentication failed. The 'Authorization' header is not a Bearer token."
            : "Authentication failed. The 'Authorization' header is missing.",
          {
            'www-authenticate':
              'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
          },
        ),
      );
    }
    if (!url.searchParams.get('api-version')) {
      return fail(
        new ArmError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        ),
      );
    }
    const injected = failures.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string'
          ? f.path.toLowerCase() === url.pathname.toLowerCase()
          : f.path.test(url.pathname)),
    );
    if (injected) {
      injected.remaining--;
      return fail(
        new ArmError(
          injected.status,
          injected.code,
          injected.message ?? `Injected ${injected.code}.`,
          injected.headers,
        ),
      );
    }
    try {
      const result = handle(method, url, body);
      record.status = result.status;
      send(res, result.status, result.body);
    } catch (error) {
      if (error instanceof ArmError) return fail(error);
      fail(new ArmError(500, 'InternalServerError', `The fake failed: ${String(error)}`));
    }
  };

  const server = https.createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => onRequest(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const byName = (name: string): FakeSite => {
    const found = [...sites.values()].find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!found) throw new Error(`The fake ARM has no site named ${name}`);
    return found;
  };

  return {
    endpoint,
    caPem: cert,
    requests,
    sites,
    addSite(site) {
      const subscriptionId = site.subscriptionId ?? DEFAULT_SUBSCRIPTION_ID;
      subscriptions.add(subscriptionId.toLowerCase());
      const full: FakeSite = {
        subscriptionId,
        location: 'eastus2',
        kind: 'functionapp,linux',
        state: 'Running',
        tags: { 'azd-service-name': 'api', 'azd-env-name': 'dev' },
        lastModifiedTimeUtc: new Date().toISOString(),
        appSettings: {
          FUNCTIONS_EXTENSION_VERSION: '~4',
          AzureWebJobsStorage__credential: 'managedidentity',
        },
        authSettingsV2: defaultAuthSettingsV2(),
        hostKeys: {
          masterKey: randomKey(),
          functionKeys: { default: randomKey() },
          systemKeys: { mcp_extension: randomKey() },
        },
        functions: [],
        missingKeyCalls: 0,
        restarts: 0,
        runtime: { name: 'node', version: '22' },
        ...site,
      };
      sites.set(siteKey(subscriptionId, full.resourceGroup, full.name), full);
      return full;
    },
    addSubscription(subscriptionId, displayName) {
      subscriptions.add(subscriptionId.toLowerCase());
      if (displayName) subscriptionNames.set(subscriptionId.toLowerCase(), displayName);
    },
    site: byName,
    setHostKeys(siteName, keys) {
      const site = byName(siteName);
      site.hostKeys = { ...site.hostKeys, ...keys };
    },
    setMissingKeyCalls(siteName, calls) {
      byName(siteName).missingKeyCalls = calls;
    },
    failNext(failure) {
      failures.push({ ...failure, remaining: failure.times ?? 1 });
    },
    writeCaFile(dir) {
      const file = path.join(dir, 'fake-arm-ca.pem');
      writeFileSync(file, cert);
      return file;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
