// Static checks of infra/ and azure.yaml that need no Bicep compiler. The compiler itself runs in
// test/infra/bicep.integration.test.ts (build, lint, and what a deployment would create); what stays here
// is what it cannot check offline: the Microsoft Graph resources of app/entra.bicep, whose types come
// from an OCI artifact (bicepconfig.json's microsoftGraphV1) that cannot be restored without
// internet access, read with a small Bicep reader; the azd variable each parameter comes from; and
// where azure.yaml looks for the templates. These run on a machine without the .NET SDK too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { VSCODE_CLIENT_ID } from '../../extension/auth/entra';
import { GRAPH_MODULE, bicepFiles } from './bicepCli';
import { azureYaml, yamlMap } from './azureYaml';

const root = path.resolve(__dirname, '../..');
const infraDir = path.join(root, 'infra');

// ---------------------------------------------------------------------------------------------
// A minimal Bicep reader, for the Graph resources the compiler cannot type offline.

/** Index just past the string that opens at `start` (a `'`), stepping over escapes and `${...}`. */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === "'") return i + 1;
    else if (c === '$' && text[i + 1] === '{') i = skipInterpolation(text, i + 2);
    else i++;
  }
  throw new Error(`unterminated string starting at offset ${start}`);
}

/** Index just past the `}` closing an interpolation whose body starts at `start`. */
function skipInterpolation(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
    i++;
  }
  throw new Error(`unterminated interpolation starting at offset ${start}`);
}

const blank = (s: string) => s.replace(/[^\n]/g, ' ');

/**
 * Two views of a Bicep file, both the same length as the source so offsets line up: `text` has
 * comments blanked out; `code` also blanks string literals, so brackets can be counted in it.
 */
interface BicepSource {
  file: string;
  text: string;
  code: string;
}

function readBicep(file: string): BicepSource {
  const source = readFileSync(file, 'utf8');
  let text = '';
  let code = '';
  let i = 0;
  while (i < source.length) {
    let end: number;
    let isComment = false;
    if (source.startsWith('//', i)) {
      const newline = source.indexOf('\n', i);
      end = newline === -1 ? source.length : newline;
      isComment = true;
    } else if (source.startsWith('/*', i)) {
      const close = source.indexOf('*/', i + 2);
      if (close === -1) throw new Error(`${file}: unterminated block comment`);
      end = close + 2;
      isComment = true;
    } else if (source.startsWith("'''", i)) {
      const close = source.indexOf("'''", i + 3);
      if (close === -1) throw new Error(`${file}: unterminated multi-line string`);
      end = close + 3;
    } else if (source[i] === "'") {
      end = skipString(source, i);
    } else {
      text += source[i];
      code += source[i];
      i++;
      continue;
    }
    const piece = source.slice(i, end);
    text += isComment ? blank(piece) : piece;
    code += blank(piece);
    i = end;
  }
  return { file, text, code };
}

const openers: Record<string, string> = { '}': '{', ']': '[', ')': '(' };

/** Offset of the bracket closing the one at `open` (in `code`, where strings are blanked). */
function closingBracket(code: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < code.length; i++) {
    const c = code[i] ?? '';
    if (c === '{' || c === '[' || c === '(') stack.push(c);
    else if (c in openers) {
      if (stack.pop() !== openers[c]) throw new Error(`mismatched "${c}" at offset ${i}`);
      if (stack.length === 0) return i;
    }
  }
  throw new Error(`bracket at offset ${open} is never closed`);
}

/** The `{ ... }` body that starts at the first `{` at or after `from`, in both views. */
function bodyFrom(source: BicepSource, from: number): { text: string; code: string; start: number } {
  const open = source.code.indexOf('{', from);
  if (open === -1) throw new Error(`${source.file}: no "{" after offset ${from}`);
  const close = closingBracket(source.code, open);
  return {
    text: source.text.slice(open + 1, close),
    code: source.code.slice(open + 1, close),
    start: open + 1,
  };
}

/** The body of the first `resource <symbol> '<type>@<version>'` declaration of a type (offsets relative to it). */
function resourceOfType(source: BicepSource, type: string): BicepSource & { apiVersion: string } {
  const escaped = type.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`^\\s*resource\\s+\\w+\\s+'${escaped}@([^']+)'`, 'm').exec(source.text);
  assert.ok(m, `${path.relative(root, source.file)} declares no ${type} resource`);
  const body = bodyFrom(source, m.index + m[0].length);
  return { file: source.file, apiVersion: m[1] ?? '', text: body.text, code: body.code };
}

function outputs(source: BicepSource): string[] {
  return [...source.text.matchAll(/^\s*output\s+(\w+)\s/gm)].map((m) => m[1] ?? '');
}

// ---------------------------------------------------------------------------------------------

describe('infra/: what azd reads before it compiles anything', () => {
  test('azd fills each parameter from its environment: main.parameters.json names the variable, and the default, of each', () => {
    const file = JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as {
      $schema?: string;
      contentVersion?: string;
      parameters?: Record<string, unknown>;
    };
    assert.match(file.$schema ?? '', /deploymentParameters\.json#$/);
    assert.equal(file.contentVersion, '1.0.0.0');
    // The variables docs/user-guide.md documents; azd sets the first three itself, the extension sets
    // AUTH_ENABLED (extension/auth/entraCommands.ts) and APIM_ENABLED (Enable API Management).
    assert.deepEqual(file.parameters, {
      environmentName: { value: '${AZURE_ENV_NAME}' },
      location: { value: '${AZURE_LOCATION}' },
      principalId: { value: '${AZURE_PRINCIPAL_ID}' },
      vnetEnabled: { value: '${VNET_ENABLED=false}' },
      authEnabled: { value: '${AUTH_ENABLED=false}' },
      apimEnabled: { value: '${APIM_ENABLED=false}' },
      apimSku: { value: '${APIM_SKU=BasicV2}' },
      contentUnderstandingEndpoint: { value: '${CONTENT_UNDERSTANDING_ENDPOINT}' },
      contentUnderstandingResourceId: { value: '${CONTENT_UNDERSTANDING_RESOURCE_ID}' },
      contentUnderstandingAnalyzerId: { value: '${CONTENT_UNDERSTANDING_ANALYZER_ID=prebuilt-invoice}' },
      analysisSubscriptionReader: { value: '${ANALYSIS_SUBSCRIPTION_READER=false}' },
      logAnalyticsWorkspaceResourceId: { value: '${LOG_ANALYTICS_WORKSPACE_RESOURCE_ID}' },
    });
  });

  test('azd provisions from infra/: azure.yaml points at the folder holding main.bicep', () => {
    const yaml = azureYaml(root);
    const infra = yaml.infra === undefined ? {} : yamlMap(yaml.infra, 'infra');
    assert.equal(infra.provider ?? 'bicep', 'bicep');
    const infraPath = typeof infra.path === 'string' ? infra.path : 'infra';
    assert.ok(existsSync(path.join(root, infraPath, 'main.bicep')), `${infraPath}/main.bicep does not exist`);
    assert.equal(typeof yaml.name, 'string', 'azure.yaml has no name');
  });
});

describe('infra/: the Microsoft Entra app registration (app/entra.bicep, Microsoft Graph)', () => {
  const entraFile = path.join(infraDir, GRAPH_MODULE);
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');

  test('bicepconfig.json declares the generally available Microsoft Graph extension every `extension` statement names', () => {
    // bicepconfig.json may hold comments, as Bicep reads it.
    const config = parseJsonc(readFileSync(path.join(infraDir, 'bicepconfig.json'), 'utf8')) as {
      extensions?: Record<string, string>;
    };
    assert.match(
      config.extensions?.['microsoftGraphV1'] ?? '',
      /^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:\d+\.\d+\.\d+$/,
      'microsoftGraphV1 is not a released (non-preview) v1.0 type version',
    );
    let graphFiles = 0;
    for (const file of bicepFiles(infraDir).map((f) => path.join(infraDir, f))) {
      const source = readBicep(file);
      const declared = [...source.text.matchAll(/^extension\s+(\w+)\s*$/gm)].map((m) => m[1] ?? '');
      for (const alias of declared) {
        assert.ok(
          alias in (config.extensions ?? {}),
          `${relative(file)}: extension ${alias} is not in bicepconfig.json`,
        );
      }
      if (/'Microsoft\.Graph\//.test(source.text)) {
        graphFiles++;
        assert.ok(
          declared.includes('microsoftGraphV1'),
          `${relative(file)} uses Graph types without extension microsoftGraphV1`,
        );
      }
    }
    assert.equal(graphFiles, 1, 'only entra.bicep holds Graph resources');
  });

  test('entra.bicep: the registration (api:// URI, user_impersonation, v2 tokens, VS Code pre-authorised, callback), its identity credential and service principal', () => {
    const entra = readBicep(entraFile);
    assert.match(entra.text, new RegExp(`^var vscodeClientId = '${VSCODE_CLIENT_ID}'$`, 'm'));
    const app = resourceOfType(entra, 'Microsoft.Graph/applications');
    assert.equal(app.apiVersion, 'v1.0');
    assert.match(app.text, /uniqueName:\s*uniqueName/);
    assert.match(entra.text, /^var identifierUri = 'api:\/\/\$\{tenant\(\)\.tenantId\}\/\$\{uniqueName\}'$/m);
    assert.match(app.text, /identifierUris:\s*\[\s*identifierUri\s*\]/);
    assert.match(app.text, /requestedAccessTokenVersion:\s*2\b/);
    const scopes = bodyFrom(app, app.code.search(/oauth2PermissionScopes:/));
    assert.match(scopes.text, /id:\s*userImpersonationScopeId/);
    assert.match(scopes.text, /value:\s*'user_impersonation'/);
    assert.match(scopes.text, /type:\s*'User'/);
    assert.doesNotMatch(scopes.text, /\borigin:/, 'Graph rejects origin on a scope it is given');
    assert.match(
      entra.text,
      /^var userImpersonationScopeId = guid\(/m,
      'the scope id is stable across provisions',
    );
    const preAuthorized = bodyFrom(app, app.code.search(/preAuthorizedApplications:/));
    assert.match(preAuthorized.text, /appId:\s*vscodeClientId/);
    assert.match(preAuthorized.text, /delegatedPermissionIds:\s*\[\s*userImpersonationScopeId\s*\]/);
    assert.match(app.text, /'https:\/\/\$\{functionAppHostName\}\/\.auth\/login\/aad\/callback'/);

    const credential = resourceOfType(entra, 'Microsoft.Graph/applications/federatedIdentityCredentials');
    assert.equal(credential.apiVersion, 'v1.0');
    assert.match(credential.text, /name:\s*'\$\{application\.uniqueName\}\/[\w-]+'/);
    assert.match(credential.text, /audiences:\s*\[\s*'api:\/\/AzureADTokenExchange'\s*\]/);
    assert.match(
      credential.text,
      /issuer:\s*'\$\{environment\(\)\.authentication\.loginEndpoint\}\$\{tenant\(\)\.tenantId\}\/v2\.0'/,
    );
    assert.match(credential.text, /subject:\s*managedIdentityPrincipalId/);

    const principal = resourceOfType(entra, 'Microsoft.Graph/servicePrincipals');
    assert.equal(principal.apiVersion, 'v1.0');
    assert.match(principal.text, /appId:\s*application\.appId/);
    for (const name of ['applicationId', 'identifierUri']) {
      assert.ok(outputs(entra).includes(name), `entra.bicep has no output ${name}`);
    }
  });
});
