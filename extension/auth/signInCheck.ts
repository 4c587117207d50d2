// "Remote MCP: Check Sign-in": walks the chain VS Code's MCP client walks to sign in to a remote
// server with Microsoft Entra, one step at a time, so a failure names the broken link and its fix.
// Contract: shared/reference/azure-contracts.md (beside the repository), "Protected Resource Metadata (PRM) chain as
// VS Code walks it" and "authsettingsV2 for Microsoft Entra":
//   1. POST initialize without auth → 401/403 with `WWW-Authenticate: Bearer resource_metadata="..."`;
//   2. PRM (RFC 9728): the challenge's URL, else origin/.well-known/oauth-protected-resource<path>,
//      then origin/.well-known/oauth-protected-resource;
//   3. PRM `resource` equals the MCP URL (new URL(a).toString() === new URL(b).toString());
//   4. authorization server metadata for authorization_servers[0] in the order of the MCP SDK's
//      buildDiscoveryUrls (RFC 8414 path-inserted, OIDC path-inserted, OIDC path-appended);
//   5. scopes: the challenge's `scope`, else the PRM's scopes_supported;
//   6. a token; 7. initialize and 8. tools/list with it.
// Then what Azure's settings say: webhook level, a stale key, allowed applications, audiences, tenants.
// Plain Node (fetch), no `vscode` and no MCP SDK, so it can sit in the activation bundle; the
// discovery order is checked against the SDK's in the tests. Tokens never appear in the results.

/** The client id VS Code's built-in Microsoft authentication provider signs in with. */
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';
/** The app setting that overrides host.json's extensions.mcp.system.webhookAuthorizationLevel. */
export const WEBHOOK_LEVEL_APP_SETTING =
  'AzureFunctionsJobHost__extensions__mcp__system__webhookAuthorizationLevel';

export type SignInStepStatus = 'pass' | 'fail' | 'skip' | 'warn';

export type SignInStepId =
  | 'challenge'
  | 'resourceMetadata'
  | 'resource'
  | 'authorizationServer'
  | 'scopes'
  | 'token'
  | 'initialize'
  | 'toolsList'
  | 'webhookLevel'
  | 'storedKey'
  | 'allowedApplications'
  | 'audience'
  | 'tenant';

export interface SignInStep {
  id: SignInStepId;
  title: string;
  status: SignInStepStatus;
  detail: string;
  fix?: string;
}

export interface SignInConsistency {
  /** authsettingsV2: platform.enabled with the azureActiveDirectory provider enabled. */
  entraEnabled?: boolean;
  /** The effective extensions.mcp.system.webhookAuthorizationLevel (app setting over host.json): System or Anonymous. */
  webhookAuthorizationLevel?: string;
  /** Whether a function key is in SecretStorage for this server. */
  keyStored?: boolean;
  /** validation.defaultAuthorizationPolicy.allowedApplications. */
  allowedApplications?: string[];
  /** validation.allowedAudiences. */
  allowedAudiences?: string[];
  /** The tenant of the Entra app registration. */
  appTenantId?: string;
}

export interface SignInCheckInput {
  mcpUrl: string;
  /** Gets an access token as VS Code would (the `microsoft` provider); throws on failure or cancel. */
  getToken(scopes: string[], tenantId?: string): Promise<string>;
  consistency?: SignInConsistency;
  /** The tenant the user expects (e.g. the one the app was deployed from). */
  expectedTenantId?: string;
  /** Per HTTP request; default 15 s. getToken is not limited (it may wait for the user). */
  timeoutMs?: number;
}

export const signInStepTitles: Record<SignInStepId, string> = {
  challenge: 'Unauthenticated initialize asks for sign-in',
  resourceMetadata: 'Protected Resource Metadata found',
  resource: 'PRM resource equals the MCP URL',
  authorizationServer: 'Authorization server metadata found',
  scopes: 'Scopes offered',
  token: 'Access token obtained',
  initialize: 'initialize with the token',
  toolsList: 'tools/list with the token',
  webhookLevel: 'MCP webhook level fits Entra sign-in',
  storedKey: 'No stale function key',
  allowedApplications: "VS Code's client id is an allowed application",
  audience: 'The requested API is an allowed audience',
  tenant: 'Tenants match',
};

const protocolVersion = '2025-06-18';
const enableEntraFix =
  `Set the app setting \`${WEBHOOK_LEVEL_APP_SETTING}=Anonymous\` (Easy Auth already checks the token), ` +
  'or run "Remote MCP: Enable Entra Sign-in", which does it for you.';

export async function checkSignIn(input: SignInCheckInput): Promise<{ steps: SignInStep[] }> {
  const steps: SignInStep[] = [];
  const timeoutMs = input.timeoutMs ?? 15_000;
  const consistency = input.consistency ?? {};
  const add = (id: SignInStepId, status: SignInStepStatus, detail: string, fix?: string) => {
    steps.push({ id, title: signInStepTitles[id], status, detail, ...(fix ? { fix } : {}) });
  };
  const skipRest = (ids: SignInStepId[], reason: string) => {
    for (const id of ids) if (!steps.some((step) => step.id === id)) add(id, 'skip', reason);
  };
  const chain: SignInStepId[] = [
    'challenge',
    'resourceMetadata',
    'resource',
    'authorizationServer',
    'scopes',
    'token',
    'initialize',
    'toolsList',
  ];
  let token: string | undefined;
  let claims: TokenClaims | undefined;
  let issuerTenant: string | undefined;
  let scopes: string[] | undefined;
  let signInRequired: boolean | undefined;

  await (async () => {
    let mcpUrl: URL;
    try {
      mcpUrl = new URL(input.mcpUrl);
    } catch {
      add(
        'challenge',
        'fail',
        `${code(input.mcpUrl)} is not a URL.`,
        'Use the https URL of the MCP endpoint.',
      );
      return skipRest(chain, 'Skipped: the MCP URL is not valid.');
    }

    // 1. The challenge.
    const first = await send(
      mcpUrl.href,
      { method: 'POST', headers: mcpHeaders(), body: initializeBody(), redirect: 'manual' },
      timeoutMs,
    );
    if ('error' in first) {
      add(
        'challenge',
        'fail',
        `POST ${code(mcpUrl.href)} failed: ${first.error}.`,
        'Check the URL and that the app is running.',
      );
      return skipRest(chain, 'Skipped: the server could not be reached.');
    }
    await first.response.body?.cancel().catch(() => undefined);
    const status = first.response.status;
    const bearer = parseWwwAuthenticate(first.response.headers.get('www-authenticate') ?? '').find(
      (challenge) => challenge.scheme.toLowerCase() === 'bearer',
    );
    let challengeUrl: URL | undefined;
    let challengeScopes: string[] | undefined;
    if (status >= 200 && status < 300) {
      signInRequired = false;
      add(
        'challenge',
        'warn',
        `initialize without a token answered ${status}: the server does not require sign-in.`,
        'If this server should require Entra sign-in, turn on App Service authentication (run "Remote MCP: Enable Entra Sign-in"), or set MCP_AUTH_* for the embedded host.',
      );
      return skipRest(chain, 'Skipped: the server does not ask for sign-in.');
    }
    if (status >= 300 && status < 400) {
      add(
        'challenge',
        'fail',
        `initialize without a token was redirected (${status}) to ${code(first.response.headers.get('location') ?? '?')}: a browser login redirect, which MCP clients cannot follow.`,
        'In authsettingsV2 set globalValidation.unauthenticatedClientAction to "Return401" (Authentication → "Unauthenticated requests: HTTP 401").',
      );
      return skipRest(chain, 'Skipped: the server redirects instead of answering 401.');
    }
    if (status !== 401 && status !== 403) {
      add(
        'challenge',
        'fail',
        `initialize without a token answered ${status}, not 401.`,
        status === 404
          ? 'Check the URL: the MCP endpoint of a function app is https://<app>.azurewebsites.net/runtime/webhooks/mcp.'
          : 'Check the app is running and its logs.',
      );
      return skipRest(chain, `Skipped: initialize answered ${status}.`);
    }
    signInRequired = bearer !== undefined;
    if (bearer?.params.resource_metadata) {
      try {
        challengeUrl = new URL(bearer.params.resource_metadata, mcpUrl);
      } catch {
        challengeUrl = undefined;
      }
    }
    if (bearer?.params.scope) challengeScopes = bearer.params.scope.split(' ').filter(Boolean);
    const header = first.response.headers.get('www-authenticate');
    if (bearer && challengeUrl) {
      add('challenge', 'pass', `${status} with WWW-Authenticate: ${code(header ?? '')}.`);
    } else if (bearer) {
      add(
        'challenge',
        'warn',
        `${status} with a Bearer challenge but no resource_metadata (${code(header ?? '')}); VS Code falls back to the well-known PRM paths.`,
        'Have the server send WWW-Authenticate: Bearer resource_metadata="<PRM URL>" (App Service does once WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES is set).',
      );
    } else {
      add(
        'challenge',
        'fail',
        `${status} without a Bearer challenge${header ? ` (WWW-Authenticate: ${code(header)})` : ''}: the server asks for something other than Entra sign-in, such as a function key.`,
        'Turn on Entra sign-in for the app (run "Remote MCP: Enable Entra Sign-in"), or connect with the function key instead.',
      );
    }

    // 2. Protected Resource Metadata.
    const path = mcpUrl.pathname === '/' ? '' : mcpUrl.pathname.replace(/\/$/, '');
    const prmCandidates = unique([
      ...(challengeUrl ? [challengeUrl.href] : []),
      new URL(`/.well-known/oauth-protected-resource${path}`, mcpUrl.origin).href,
      new URL('/.well-known/oauth-protected-resource', mcpUrl.origin).href,
    ]);
    const prm = await firstJson(prmCandidates, timeoutMs, (body) => typeof body.resource === 'string');
    if (!prm.found) {
      add(
        'resourceMetadata',
        'fail',
        `No Protected Resource Metadata. Tried: ${prm.tried.join('; ')}.`,
        'On App Service set the app setting WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES=<identifier URI>/user_impersonation (e.g. api://<client id>/user_impersonation) so built-in auth serves /.well-known/oauth-protected-resource; for the embedded host set MCP_AUTH_ISSUER, MCP_AUTH_AUDIENCE and MCP_AUTH_JWKS_URL.',
      );
      return skipRest(chain, 'Skipped: needs the Protected Resource Metadata.');
    }
    add(
      'resourceMetadata',
      'pass',
      `Found at ${code(prm.url)}${prm.tried.length > 1 ? ` (tried: ${prm.tried.join('; ')})` : ''}.`,
    );
    const metadata = prm.body;

    // 3. resource = MCP URL, exactly as VS Code compares them.
    const resource = metadata.resource as string;
    if (sameUrl(resource, mcpUrl.href)) {
      add('resource', 'pass', `resource is ${code(resource)}.`);
    } else {
      add(
        'resource',
        'fail',
        `resource is ${code(resource)} but the MCP URL is ${code(mcpUrl.href)}; VS Code rejects metadata for another resource.`,
        resourceFix(resource, mcpUrl),
      );
    }

    // 4. Authorization server metadata, in VS Code's (the MCP SDK's) order.
    const servers = Array.isArray(metadata.authorization_servers)
      ? metadata.authorization_servers.filter((s): s is string => typeof s === 'string')
      : [];
    const authorizationServer = servers[0];
    if (!authorizationServer) {
      add(
        'authorizationServer',
        'fail',
        'The PRM has no authorization_servers.',
        "The PRM must list the Entra issuer, https://login.microsoftonline.com/<tenant>/v2.0, in authorization_servers (App Service takes it from the Entra provider's openIdIssuer).",
      );
      return skipRest(chain, 'Skipped: needs an authorization server.');
    }
    issuerTenant = tenantFromIssuer(authorizationServer);
    let asUrls: string[];
    try {
      asUrls = authorizationServerMetadataUrls(authorizationServer);
    } catch {
      add(
        'authorizationServer',
        'fail',
        `authorization_servers[0] ${code(authorizationServer)} is not a URL.`,
        "Set the Entra provider's openIdIssuer to https://login.microsoftonline.com/<tenant>/v2.0.",
      );
      return skipRest(chain, 'Skipped: needs an authorization server.');
    }
    const asMetadata = await firstJson(asUrls, timeoutMs, (body) =>
      ['issuer', 'authorization_endpoint', 'token_endpoint'].every(
        (field) => typeof body[field] === 'string',
      ),
    );
    if (!asMetadata.found) {
      add(
        'authorizationServer',
        'fail',
        `No metadata for ${code(authorizationServer)}. Tried: ${asMetadata.tried.join('; ')}.`,
        'authorization_servers[0] must be an issuer that publishes metadata, for Entra the v2.0 issuer https://login.microsoftonline.com/<tenant>/v2.0 (its /.well-known/openid-configuration), not the v1 https://sts.windows.net/<tenant>/.',
      );
      return skipRest(chain, 'Skipped: needs the authorization server metadata.');
    }
    const kind = asMetadata.url.includes('openid-configuration') ? 'OpenID configuration' : 'OAuth metadata';
    const metadataIssuer = asMetadata.body.issuer as string;
    if (metadataIssuer !== authorizationServer && !metadataIssuer.includes('{tenantid}')) {
      add(
        'authorizationServer',
        'warn',
        `Found at ${code(asMetadata.url)} (${kind}), but its issuer is ${code(metadataIssuer)}, not ${code(authorizationServer)}. Tried: ${asMetadata.tried.join('; ')}.`,
        "Use the metadata's issuer, exactly, in authorization_servers (the Entra provider's openIdIssuer).",
      );
    } else {
      add(
        'authorizationServer',
        'pass',
        `Found at ${code(asMetadata.url)} (${kind}). Tried: ${asMetadata.tried.join('; ')}.`,
      );
    }

    // 5. Scopes.
    const offered = Array.isArray(metadata.scopes_supported)
      ? metadata.scopes_supported.filter((s): s is string => typeof s === 'string' && s !== '')
      : [];
    scopes = challengeScopes && challengeScopes.length > 0 ? challengeScopes : offered;
    if (scopes.length === 0) {
      add(
        'scopes',
        'fail',
        'Neither the challenge (scope) nor the PRM (scopes_supported) offers a scope, so VS Code cannot ask for a token for this API.',
        'Set WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES=api://<client id>/user_impersonation on the app (MCP_AUTH_SCOPES for the embedded host).',
      );
      return skipRest(chain, 'Skipped: needs a scope.');
    }
    add(
      'scopes',
      'pass',
      `VS Code will ask for ${scopes.map(code).join(' ')} (from ${challengeScopes?.length ? 'the challenge' : 'scopes_supported'}).`,
    );

    // 6. A token.
    try {
      token = await input.getToken(scopes, issuerTenant);
    } catch (error) {
      add(
        'token',
        'fail',
        `No token for ${scopes.join(' ')}${issuerTenant ? ` in tenant ${issuerTenant}` : ''}: ${errorMessage(error)}`,
        `Sign in with an account of tenant ${issuerTenant ?? '<tenant>'} when VS Code asks. AADSTS65001 (consent) means the app registration does not pre-authorize VS Code (${VSCODE_CLIENT_ID}) for the scope (Expose an API → Authorized client applications); AADSTS500011 means no app registration has the scope's identifier URI.`,
      );
      return skipRest(chain, 'Skipped: needs a token.');
    }
    claims = decodeClaims(token);
    add(
      'token',
      'pass',
      claims
        ? `Got a token: aud ${claims.aud ?? '?'}, tid ${claims.tid ?? '?'}, client ${claims.azp ?? claims.appid ?? '?'}, scp ${claims.scp ?? '?'}${claims.exp ? `, expires ${new Date(claims.exp * 1000).toISOString()}` : ''}.`
        : 'Got a token (not a JWT whose claims can be shown).',
    );

    // 7. initialize with the token.
    const auth = { authorization: `Bearer ${token}` };
    const init = await send(
      mcpUrl.href,
      { method: 'POST', headers: mcpHeaders(auth), body: initializeBody() },
      timeoutMs,
    );
    if ('error' in init) {
      add(
        'initialize',
        'fail',
        `POST ${code(mcpUrl.href)} failed: ${init.error}.`,
        'Check the app is running.',
      );
      return skipRest(chain, 'Skipped: initialize failed.');
    }
    if (init.response.status !== 200) {
      const refusal = parseWwwAuthenticate(init.response.headers.get('www-authenticate') ?? '').find(
        (c) => c.scheme.toLowerCase() === 'bearer',
      );
      const body = excerpt(await init.response.text().catch(() => ''), token);
      const why = [refusal?.params.error, refusal?.params.error_description].filter(Boolean).join(': ');
      if (init.response.status === 403) {
        add(
          'initialize',
          'fail',
          `403 with a valid token${body ? ` (${body})` : ''}: the sign-in passed, but the Functions host still asks for the mcp_extension system key, as when Entra is on and the MCP webhook level is still System.`,
          enableEntraFix,
        );
      } else if (init.response.status === 401) {
        add(
          'initialize',
          'fail',
          `401 with the token${why ? ` (${why})` : ''}${body ? `: ${body}` : ''}.`,
          `The server refused the token VS Code would send: its allowedAudiences must include the token's audience${claims?.aud ? ` (${claims.aud})` : ''} and its issuer must be the token's${claims?.iss ? ` (${claims.iss})` : ''}.`,
        );
      } else {
        add(
          'initialize',
          'fail',
          `initialize with the token answered ${init.response.status}${body ? `: ${body}` : ''}.`,
          "Check the app's logs.",
        );
      }
      return skipRest(chain, 'Skipped: initialize with the token failed.');
    }
    const initialized = await readJsonRpc(init.response, 1);
    const serverInfo = initialized?.result as
      { serverInfo?: { name?: string; version?: string }; protocolVersion?: string } | undefined;
    if (!serverInfo) {
      add(
        'initialize',
        'fail',
        `initialize answered 200 without a result${initialized?.error ? `: ${initialized.error.message}` : ''}.`,
        "Check the app's logs.",
      );
      return skipRest(chain, 'Skipped: initialize with the token failed.');
    }
    add(
      'initialize',
      'pass',
      `200 from ${serverInfo.serverInfo?.name ?? 'the server'} ${serverInfo.serverInfo?.version ?? ''}`.trimEnd() +
        `, protocol ${serverInfo.protocolVersion ?? '?'}.`,
    );

    // 8. tools/list with the token.
    const session = init.response.headers.get('mcp-session-id');
    const sessionHeaders = {
      ...auth,
      'mcp-protocol-version': serverInfo.protocolVersion ?? protocolVersion,
      ...(session ? { 'mcp-session-id': session } : {}),
    };
    const notified = await send(
      mcpUrl.href,
      {
        method: 'POST',
        headers: mcpHeaders(sessionHeaders),
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      },
      timeoutMs,
    );
    if (!('error' in notified)) await notified.response.body?.cancel().catch(() => undefined);
    const list = await send(
      mcpUrl.href,
      {
        method: 'POST',
        headers: mcpHeaders(sessionHeaders),
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
      },
      timeoutMs,
    );
    if ('error' in list || list.response.status !== 200) {
      const body = 'error' in list ? '' : excerpt(await list.response.text().catch(() => ''), token);
      const detail = 'error' in list ? list.error : `${list.response.status}${body ? `: ${body}` : ''}`;
      add('toolsList', 'fail', `tools/list failed: ${detail}.`, "Check the app's logs.");
      return;
    }
    const listed = await readJsonRpc(list.response, 2);
    const tools = (listed?.result as { tools?: { name?: string }[] } | undefined)?.tools;
    if (!Array.isArray(tools)) {
      add(
        'toolsList',
        'fail',
        `tools/list gave no tools${listed?.error ? `: ${listed.error.message}` : ''}.`,
        "Check the app's logs.",
      );
      return;
    }
    const names = tools.map((tool) => tool.name ?? '?');
    if (names.length === 0)
      add(
        'toolsList',
        'warn',
        'tools/list answered with no tools.',
        'Check the app registers its MCP tool triggers (see its logs).',
      );
    else
      add('toolsList', 'pass', `${names.length} tool${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`);
  })();

  // Consistency of the Azure settings with what the chain needs.
  const entraOn = consistency.entraEnabled ?? signInRequired;
  const level = consistency.webhookAuthorizationLevel;
  if (consistency.entraEnabled === undefined && level === undefined) {
    add('webhookLevel', 'skip', "Not checked: the app's settings were not read.");
  } else if (!entraOn) {
    add('webhookLevel', 'skip', `Entra sign-in is off${level ? `; the webhook level is ${level}` : ''}.`);
  } else if (level === undefined) {
    add(
      'webhookLevel',
      'warn',
      'Entra sign-in is on, and the MCP webhook level was not found; it defaults to System, which answers 403 to signed-in requests.',
      enableEntraFix,
    );
  } else if (level.toLowerCase() === 'system') {
    add(
      'webhookLevel',
      'fail',
      'Entra sign-in is on but the MCP webhook level is System: every signed-in request gets 403, because the host still asks for the mcp_extension key.',
      enableEntraFix,
    );
  } else {
    add('webhookLevel', 'pass', `Entra sign-in is on and the MCP webhook level is ${level}.`);
  }

  if (consistency.keyStored === undefined) {
    add('storedKey', 'skip', 'Not checked: whether a key is stored was not given.');
  } else if (consistency.keyStored && entraOn) {
    add(
      'storedKey',
      'warn',
      'A function key is stored for this server, but it signs in with Entra, so the key is not used and may be stale.',
      'Run "Remote MCP: Forget Key" on this server.',
    );
  } else {
    add(
      'storedKey',
      'pass',
      consistency.keyStored
        ? 'A key is stored; this server does not use Entra sign-in.'
        : 'No key is stored for this server.',
    );
  }

  const allowedApps = consistency.allowedApplications;
  if (allowedApps === undefined) {
    add('allowedApplications', 'skip', "Not checked: the app's authentication settings were not read.");
  } else if (allowedApps.length === 0) {
    add('allowedApplications', 'pass', 'No allowedApplications list: any client application is allowed.');
  } else if (allowedApps.some((id) => id.toLowerCase() === VSCODE_CLIENT_ID)) {
    add('allowedApplications', 'pass', `allowedApplications includes VS Code (${VSCODE_CLIENT_ID}).`);
  } else {
    add(
      'allowedApplications',
      'fail',
      `allowedApplications (${allowedApps.join(', ')}) does not include VS Code's client id ${VSCODE_CLIENT_ID}, so VS Code's tokens are refused with 403.`,
      `Add ${VSCODE_CLIENT_ID} to identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications in authsettingsV2 (or run "Remote MCP: Enable Entra Sign-in").`,
    );
  }

  const audiences = consistency.allowedAudiences;
  const requested = unique((scopes ?? []).map(scopeResource).filter((r): r is string => r !== undefined));
  if (audiences === undefined || requested.length === 0) {
    add(
      'audience',
      'skip',
      audiences === undefined
        ? "Not checked: the app's allowedAudiences were not read."
        : 'Not checked: no scopes were found.',
    );
  } else if (
    audiences.length === 0 ||
    requested.some((r) => audiences.includes(r)) ||
    (claims?.aud !== undefined && audiences.includes(claims.aud))
  ) {
    add(
      'audience',
      'pass',
      audiences.length === 0
        ? "No allowedAudiences list: the app registration's client id is accepted."
        : `${requested.join(', ')} is among allowedAudiences.`,
    );
  } else {
    add(
      'audience',
      'fail',
      `VS Code asks for a token for ${requested.join(', ')}, which is not in allowedAudiences (${audiences.join(', ')}).`,
      `Add ${requested[0] ?? ''} to identityProviders.azureActiveDirectory.validation.allowedAudiences, or make the PRM's scopes name the API in allowedAudiences.`,
    );
  }

  const tenants = [
    ['the issuer', issuerTenant],
    ['the app registration', consistency.appTenantId],
    ['the expected tenant', input.expectedTenantId],
    ['the token', claims?.tid],
  ].filter(
    (pair): pair is [string, string] =>
      typeof pair[1] === 'string' &&
      pair[1] !== '' &&
      !['common', 'organizations', 'consumers'].includes(pair[1].toLowerCase()),
  );
  const distinct = unique(tenants.map(([, tenant]) => tenant.toLowerCase()));
  if (tenants.length < 2) {
    add('tenant', 'skip', 'Not checked: fewer than two tenants are known.');
  } else if (distinct.length === 1) {
    add(
      'tenant',
      'pass',
      `All in tenant ${tenants[0]?.[1] ?? ''} (${tenants.map(([who]) => who).join(', ')}).`,
    );
  } else {
    add(
      'tenant',
      'fail',
      `Tenants differ: ${tenants.map(([who, tenant]) => `${who} ${tenant}`).join(', ')}.`,
      `Use the app registration's tenant in the issuer (https://login.microsoftonline.com/${consistency.appTenantId ?? '<tenant>'}/v2.0, the Entra provider's openIdIssuer and WEBSITE_AUTH_AAD_ALLOWED_TENANTS), and sign in to VS Code with an account of that tenant.`,
    );
  }

  return { steps: steps.map((step) => redactStep(step, token)) };
}

const icons: Record<SignInStepStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭' };

/** One line per step, plus its fix, for an output channel. */
export function signInReportLines(steps: readonly SignInStep[]): string[] {
  return steps.flatMap((step) => [
    `${icons[step.status]} ${step.title}: ${step.detail}`,
    ...(step.fix ? [`   Fix: ${step.fix}`] : []),
  ]);
}

/** A Markdown report: a title, a summary, every step with its icon and detail, and the fixes. */
export function renderSignInReport(mcpUrl: string, steps: readonly SignInStep[]): string {
  const count = (status: SignInStepStatus) => steps.filter((step) => step.status === status).length;
  const failed = count('fail');
  const warned = count('warn');
  const summary =
    failed === 0 && warned === 0
      ? 'Everything VS Code needs to sign in is in place.'
      : `${failed} failed, ${plural(warned, 'warning')}: see the fixes below.`;
  const lines = [
    '# Remote MCP: sign-in check',
    '',
    `MCP URL: ${code(mcpUrl)}`,
    '',
    `**${summary}** (${count('pass')} passed, ${failed} failed, ${plural(warned, 'warning')}, ${count('skip')} skipped)`,
    '',
    ...steps.flatMap((step, index) => [
      `${index + 1}. ${icons[step.status]} **${markdownText(step.title)}**: ${markdownText(step.detail)}`,
      // Four spaces nest the fix under items 10 and up too.
      ...(step.fix ? [`    - **Fix:** ${markdownText(step.fix)}`] : []),
    ]),
    '',
  ];
  return redact(lines.join('\n'), undefined);
}

export interface AuthChallenge {
  scheme: string;
  /** Parameter names in lower case; quoted values unescaped. */
  params: Record<string, string>;
  token68?: string;
}

/**
 * Parses a WWW-Authenticate value (RFC 9110 §11.6.1): several challenges separated by commas,
 * each a scheme then a token68 or comma-separated name=value / name="quoted \"value\"" parameters.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  const token = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
  let i = 0;
  const skip = (pattern: RegExp) => {
    pattern.lastIndex = i;
    pattern.exec(header);
    i = pattern.lastIndex;
  };
  while (i < header.length) {
    skip(/[\s,]*/y);
    if (i >= header.length) break;
    token.lastIndex = i;
    const name = token.exec(header)?.[0];
    if (!name) {
      i++;
      continue;
    }
    i = token.lastIndex;
    const afterName = i;
    skip(/[ \t]*/y);
    if (header[i] === '=' && header[i + 1] !== '=' && current) {
      i++;
      skip(/[ \t]*/y);
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < header.length) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        const bare = /[^\s,]*/y;
        bare.lastIndex = i;
        value = bare.exec(header)?.[0] ?? '';
        i = bare.lastIndex;
      }
      current.params[name.toLowerCase()] = value;
      continue;
    }
    current = { scheme: name, params: {} };
    challenges.push(current);
    i = afterName;
    const token68 = /[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*(?=,|$)/y;
    token68.lastIndex = i;
    const match = token68.exec(header);
    if (match?.[1]) {
      current.token68 = match[1];
      i = token68.lastIndex;
    }
  }
  return challenges;
}

/** The tenant in an Entra issuer: https://login.microsoftonline.com/<tenant>/v2.0 or https://sts.windows.net/<tenant>/. */
export function tenantFromIssuer(issuer: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(issuer).pathname;
  } catch {
    return undefined;
  }
  return (
    /^\/([^/]+)\/v2\.0\/?$/.exec(pathname)?.[1] ??
    /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(pathname)?.[1]
  );
}

/**
 * Where VS Code looks for an authorization server's metadata, in order (the MCP SDK's
 * buildDiscoveryUrls): RFC 8414 with the path after the well-known segment, OpenID Connect the
 * same way, then OpenID Connect Discovery 1.0's path-appended form, the only one Entra serves.
 */
export function authorizationServerMetadataUrls(authorizationServer: string): string[] {
  const url = new URL(authorizationServer);
  if (url.pathname === '/') {
    return [
      new URL('/.well-known/oauth-authorization-server', url.origin).href,
      new URL('/.well-known/openid-configuration', url.origin).href,
    ];
  }
  const path = url.pathname.replace(/\/$/, '');
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, url.origin).href,
    new URL(`/.well-known/openid-configuration${path}`, url.origin).href,
    new URL(`${path}/.well-known/openid-configuration`, url.origin).href,
  ];
}

interface TokenClaims {
  aud?: string;
  iss?: string;
  tid?: string;
  azp?: string;
  appid?: string;
  scp?: string;
  exp?: number;
}

function decodeClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const text = (value: unknown) =>
      typeof value === 'string' ? value : Array.isArray(value) ? value.join(' ') : undefined;
    return {
      aud: text(claims.aud),
      iss: text(claims.iss),
      tid: text(claims.tid),
      azp: text(claims.azp),
      appid: text(claims.appid),
      scp: text(claims.scp),
      exp: typeof claims.exp === 'number' ? claims.exp : undefined,
    };
  } catch {
    return undefined;
  }
}

type Sent = { response: Response } | { error: string };

async function send(url: string, init: RequestInit, timeoutMs: number): Promise<Sent> {
  try {
    return { response: await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? errorMessage(error) };
  }
}

/** GETs each URL in turn; the first 200 with a JSON object that `accept`s wins. */
async function firstJson(
  urls: string[],
  timeoutMs: number,
  accept: (body: Record<string, unknown>) => boolean,
): Promise<
  | { found: true; url: string; body: Record<string, unknown>; tried: string[] }
  | { found: false; tried: string[] }
> {
  const tried: string[] = [];
  for (const url of urls) {
    const sent = await send(
      url,
      { headers: { accept: 'application/json', 'mcp-protocol-version': protocolVersion } },
      timeoutMs,
    );
    if ('error' in sent) {
      tried.push(`${code(url)} → ${sent.error}`);
      continue;
    }
    const { status } = sent.response;
    const text = await sent.response.text().catch(() => '');
    if (status !== 200) {
      tried.push(`${code(url)} → ${status}`);
      continue;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      tried.push(`${code(url)} → 200 but not JSON`);
      continue;
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      Array.isArray(body) ||
      !accept(body as Record<string, unknown>)
    ) {
      tried.push(`${code(url)} → 200 but not the expected metadata`);
      continue;
    }
    tried.push(`${code(url)} → 200`);
    return { found: true, url, body: body as Record<string, unknown>, tried };
  }
  return { found: false, tried };
}

/** Reads a JSON or SSE answer until the JSON-RPC response with `id` arrives. */
async function readJsonRpc(
  response: Response,
  id: number,
): Promise<{ result?: unknown; error?: { message: string } } | undefined> {
  const match = (message: unknown) =>
    typeof message === 'object' && message !== null && (message as { id?: unknown }).id === id
      ? (message as { result?: unknown; error?: { message: string } })
      : undefined;
  try {
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      const body: unknown = await response.json();
      return Array.isArray(body) ? body.map(match).find(Boolean) : match(body);
    }
    const reader = response.body?.getReader();
    if (!reader) return undefined;
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
      buffer += decoder.decode(value, { stream: !done });
      const events = buffer.split(/\r?\n\r?\n/);
      buffer = done ? '' : (events.pop() ?? '');
      for (const event of events) {
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (!data) continue;
        try {
          const found = match(JSON.parse(data));
          if (found) {
            await reader.cancel().catch(() => undefined);
            return found;
          }
        } catch {
          // Not JSON: not a JSON-RPC message.
        }
      }
      if (done) return undefined;
    }
  } catch {
    return undefined;
  }
}

function mcpHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra };
}

function initializeBody(): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: 'remote-mcp-sign-in-check', version: '1' },
    },
  });
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).toString() === new URL(b).toString();
  } catch {
    return false;
  }
}

function resourceFix(resource: string, mcpUrl: URL): string {
  const general = `Connect to the URL the app advertises, or make the app advertise ${mcpUrl.href}: on App Service the PRM comes from built-in auth (WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES), whose resource is https://<host>/runtime/webhooks/mcp of the host you call.`;
  try {
    const advertised = new URL(resource);
    if (advertised.protocol === 'http:' && mcpUrl.protocol === 'https:') {
      return `The app advertises http behind an https front end: for the embedded host set MCP_TRUST_PROXY=1 so it honours X-Forwarded-Proto. ${general}`;
    }
    if (advertised.host !== mcpUrl.host) {
      return `The app advertises the host ${advertised.host}; you connect to ${mcpUrl.host}. ${general}`;
    }
  } catch {
    // Falls through to the general fix.
  }
  return general;
}

/** api://<id>/user_impersonation → api://<id>; a scope without a resource (openid) → undefined. */
function scopeResource(scope: string): string | undefined {
  const slash = scope.lastIndexOf('/');
  return slash > 0 && scope.includes('://')
    ? scope.slice(0, slash)
    : slash > 0
      ? scope.slice(0, slash)
      : undefined;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** A server's answer, one line, at most 300 characters: redacted first, so no part of a token survives the cut. */
function excerpt(text: string, token?: string): string {
  const flat = redact(text, token).replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One line, and `<placeholders>` outside code spans escaped so Markdown does not take them for HTML. */
function markdownText(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '&lt;')))
    .join('');
}

/** A JWT, or any part of one: base64url JSON ("{\"...") with its dots. */
const jwtPattern = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)*/g;

function redact(text: string, token: string | undefined): string {
  const withoutToken = token ? text.split(token).join('[token]') : text;
  return withoutToken.replace(jwtPattern, '[token]');
}

function redactStep(step: SignInStep, token: string | undefined): SignInStep {
  return {
    ...step,
    detail: redact(step.detail, token),
    ...(step.fix ? { fix: redact(step.fix, token) } : {}),
  };
}
