// Static checks of the Bicep that `azd provision` deploys (infra/) and of azure.yaml. No Bicep
// compiler can be installed here, so these read the text with small parsers: enough to catch a
// renamed module, a parameter azd cannot fill, an output the extension reads going missing, or the
// service tag drifting away from azure.yaml before anyone runs `azd up`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONTAINER, snippetStorageSettings } from '../../server/src/snippets/storageConnection';
import { invoiceSettingsFromEnv } from '../../server/src/invoices/invoiceSettings';
import {
  ENTRA_APP_SETTINGS,
  MI_CLIENT_ID_SETTING,
  PRM_SCOPES_SETTING,
  VSCODE_CLIENT_ID,
  WEBHOOK_LEVEL_SETTING,
  entraAuthSettingsV2,
} from '../../extension/auth/entraAppConfig';
import { RESOURCE_MANAGER_ENDPOINT_VARIABLE } from '../../server/src/azureAnalysis/analysisSettings';
import { azureCredentialDescription } from '../../server/src/azure/credential';

const root = path.resolve(__dirname, '../..');
const infraDir = path.join(root, 'infra');
const mainBicep = path.join(infraDir, 'main.bicep');

// ---------------------------------------------------------------------------------------------
// A minimal Bicep reader.

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

/** Property names directly inside an object body (not those of nested objects). */
function topLevelKeys(code: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (const line of code.split('\n')) {
    const key = /^\s*([A-Za-z_]\w*)\s*:/.exec(line);
    if (depth === 0 && key?.[1]) keys.push(key[1]);
    for (const c of line) {
      if (c === '{' || c === '[' || c === '(') depth++;
      else if (c === '}' || c === ']' || c === ')') depth--;
    }
  }
  return keys;
}

interface Param {
  name: string;
  hasDefault: boolean;
}

function params(source: BicepSource): Param[] {
  return [...source.text.matchAll(/^\s*param\s+(\w+)\s+([^\n=]*?)\s*(=.*)?$/gm)].map((m) => ({
    name: m[1] ?? '',
    // A nullable type (`string?`) is optional too.
    hasDefault: m[3] !== undefined || (m[2] ?? '').trim().endsWith('?'),
  }));
}

function outputs(source: BicepSource): string[] {
  return [...source.text.matchAll(/^\s*output\s+(\w+)\s/gm)].map((m) => m[1] ?? '');
}

interface ModuleUse {
  symbol: string;
  /** The path as written. */
  reference: string;
  /** The file it resolves to, or undefined for registry references (br:, br/, ts:). */
  target: string | undefined;
  /** Top-level keys of its `params: {}`. */
  passed: string[];
}

function modules(source: BicepSource): ModuleUse[] {
  return [...source.text.matchAll(/^\s*module\s+(\w+)\s+'([^']+)'\s*=/gm)].map((m) => {
    const reference = m[2] ?? '';
    const body = bodyFrom(source, (m.index ?? 0) + m[0].length);
    const paramsKey = /^\s*params\s*:/m.exec(body.code);
    const passed = paramsKey ? topLevelKeys(bodyFrom(source, body.start + paramsKey.index).code) : [];
    return {
      symbol: m[1] ?? '',
      reference,
      target: /^(br[:/]|ts[:/])/.test(reference)
        ? undefined
        : path.resolve(path.dirname(source.file), reference),
      passed,
    };
  });
}

/** Every Bicep file reachable from main.bicep through local module references. */
function reachableFiles(): Map<string, BicepSource> {
  const seen = new Map<string, BicepSource>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = readBicep(file);
    seen.set(file, source);
    for (const use of modules(source)) {
      if (use.target && existsSync(use.target)) visit(use.target);
    }
  };
  visit(mainBicep);
  return seen;
}

/** The body of the first `resource <symbol> '<type>@<version>'` declaration of a type (offsets relative to it). */
function resourceOfType(source: BicepSource, type: string): BicepSource & { apiVersion: string } {
  const escaped = type.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`^\\s*resource\\s+\\w+\\s+'${escaped}@([^']+)'`, 'm').exec(source.text);
  assert.ok(m, `${path.relative(root, source.file)} declares no ${type} resource`);
  const body = bodyFrom(source, m.index + m[0].length);
  return { file: source.file, apiVersion: m[1] ?? '', text: body.text, code: body.code };
}

function bicepFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) return bicepFilesIn(full);
      return entry.endsWith('.bicep') ? [full] : [];
    });
}

const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');

// ---------------------------------------------------------------------------------------------
// A minimal azure.yaml reader: nested `key: value` maps by indentation, which is all azure.yaml
// uses here. List items are skipped.

type YamlMap = { [key: string]: string | YamlMap };

function readSimpleYaml(text: string): YamlMap {
  const top: YamlMap = {};
  const stack: { indent: number; map: YamlMap }[] = [{ indent: -1, map: top }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim() || line.trimStart().startsWith('#') || line.trimStart().startsWith('-')) continue;
    const m = /^(\s*)([\w.-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const indent = (m[1] ?? '').length;
    while ((stack.at(-1)?.indent ?? -1) >= indent) stack.pop();
    const parent = stack.at(-1)?.map ?? top;
    const value = (m[3] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
    if (value === '') {
      const child: YamlMap = {};
      parent[m[2] ?? ''] = child;
      stack.push({ indent, map: child });
    } else {
      parent[m[2] ?? ''] = value;
    }
  }
  return top;
}

function yamlMap(value: string | YamlMap | undefined, what: string): YamlMap {
  assert.ok(value !== undefined && typeof value === 'object', `azure.yaml has no ${what} section`);
  return value;
}

// ---------------------------------------------------------------------------------------------

describe('infra/: the Bicep azd provisions', () => {
  test('azd can compile the templates: every module path resolves to a file inside infra/, modules of modules too', () => {
    const files = reachableFiles();
    for (const source of files.values()) {
      for (const use of modules(source)) {
        if (!use.target) continue;
        assert.ok(
          existsSync(use.target),
          `${relative(source.file)}: module ${use.symbol} points at ${use.reference}, which does not exist`,
        );
        // The extension deploys from a copy holding only azure.yaml, infra/ and server/.
        assert.ok(
          !path.relative(infraDir, use.target).startsWith('..'),
          `${relative(source.file)}: module ${use.symbol} (${use.reference}) is outside infra/`,
        );
      }
    }
    const unused = bicepFilesIn(infraDir).filter((file) => !files.has(file));
    assert.deepEqual(unused.map(relative), [], 'Bicep files no template uses');
  });

  test('azd can parse every Bicep file: strings, comments and brackets are all closed', () => {
    for (const file of bicepFilesIn(infraDir)) {
      const source = readBicep(file);
      let depth = 0;
      for (let i = 0; i < source.code.length; i++) {
        const c = source.code[i];
        if (c === '{' || c === '[' || c === '(') {
          closingBracket(source.code, i);
          depth++;
        } else if (c === '}' || c === ']' || c === ')') depth--;
        assert.ok(depth >= 0, `${relative(file)}: "${c}" at offset ${i} closes nothing`);
      }
      assert.equal(depth, 0, `${relative(file)}: unclosed brackets`);
    }
  });

  test('azd provision asks for nothing and rejects nothing: main.parameters.json matches the params of main.bicep', () => {
    const file = JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as {
      $schema?: string;
      contentVersion?: string;
      parameters?: Record<string, { value?: unknown }>;
    };
    assert.match(file.$schema ?? '', /deploymentParameters\.json#$/);
    assert.equal(file.contentVersion, '1.0.0.0');
    const given = Object.keys(file.parameters ?? {});
    const declared = params(readBicep(mainBicep));
    const declaredNames = declared.map((p) => p.name);
    for (const name of given) {
      assert.ok(
        declaredNames.includes(name),
        `main.parameters.json sets "${name}", which main.bicep does not declare`,
      );
    }
    for (const p of declared.filter((p) => !p.hasDefault)) {
      assert.ok(
        given.includes(p.name),
        `main.bicep param "${p.name}" has no default and no value in main.parameters.json`,
      );
    }
    // azd fills these from the environment it creates.
    assert.deepEqual(file.parameters?.environmentName, { value: '${AZURE_ENV_NAME}' });
    assert.deepEqual(file.parameters?.location, { value: '${AZURE_LOCATION}' });
  });

  test('the deployment does not fail on a module call: every module gets its required params and no unknown ones', () => {
    for (const source of reachableFiles().values()) {
      for (const use of modules(source)) {
        if (!use.target) continue;
        const declared = params(readBicep(use.target));
        const where = `${relative(source.file)}: module ${use.symbol} (${use.reference})`;
        for (const name of use.passed) {
          assert.ok(
            declared.some((p) => p.name === name),
            `${where} passes "${name}", which it does not declare`,
          );
        }
        for (const p of declared.filter((p) => !p.hasDefault)) {
          assert.ok(use.passed.includes(p.name), `${where} needs "${p.name}", which is not passed`);
        }
      }
    }
  });

  test('the deployment does not fail reading a module output: every <module>.outputs.<name> is declared', () => {
    for (const source of reachableFiles().values()) {
      const uses = new Map(modules(source).map((use) => [use.symbol, use]));
      for (const m of source.text.matchAll(/\b(\w+)\.outputs\.(\w+)/g)) {
        const use = uses.get(m[1] ?? '');
        assert.ok(use, `${relative(source.file)}: ${m[0]} names no module of this file`);
        if (!use.target) continue;
        assert.ok(
          outputs(readBicep(use.target)).includes(m[2] ?? ''),
          `${relative(source.file)}: ${m[0]} is not an output of ${use.reference}`,
        );
      }
    }
  });

  test('the extension finds the deployed app in `azd env get-values`: main.bicep has the outputs it reads', () => {
    const declared = outputs(readBicep(mainBicep));
    for (const name of [
      'AZURE_FUNCTION_NAME',
      'SERVICE_API_NAME',
      'SERVICE_API_DEFAULT_HOSTNAME',
      'SERVICE_API_RESOURCE_ID',
      'AZURE_RESOURCE_GROUP',
      'AZURE_TENANT_ID',
      'AZURE_LOCATION',
    ]) {
      assert.ok(declared.includes(name), `main.bicep has no output ${name}`);
    }
    const main = readBicep(mainBicep).text;
    assert.match(main, /^output\s+AZURE_TENANT_ID\s+string\s*=\s*tenant\(\)\.tenantId\s*$/m);
    assert.match(
      main,
      /^output\s+SERVICE_API_DEFAULT_HOSTNAME\s+string\s*=\s*api\.outputs\.defaultHostName\s*$/m,
    );
  });

  test('no parameter is declared and then ignored (a value set for it would silently do nothing)', () => {
    for (const file of bicepFilesIn(infraDir)) {
      const source = readBicep(file);
      // Leave out decorators (their descriptions may name the param), the declarations, and output
      // names (`output name string = ...` does not use a param called name).
      const body = source.text
        .split('\n')
        .filter((line) => !/^\s*(@|param\s)/.test(line))
        .map((line) => line.replace(/^\s*output\s+\w+/, ''))
        .join('\n');
      for (const p of params(source)) {
        // A use, not a property of the same name (`name: name` counts once).
        const uses = [...body.matchAll(new RegExp(`(?<![\\w.])${p.name}\\b`, 'gm'))].filter(
          (m) =>
            !/^\s*$/.test(body.slice(body.lastIndexOf('\n', m.index) + 1, m.index)) ||
            !/^\w+\s*:/.test(body.slice(m.index)),
        );
        assert.ok(uses.length > 0, `${relative(file)}: param ${p.name} is never used`);
      }
    }
  });
});

/** The literal object of the site's app settings (its nested `config` resource named appsettings). */
function appSettingsOf(api: BicepSource): ReturnType<typeof bodyFrom> {
  const site = resourceOfType(api, 'Microsoft.Web/sites');
  const config = /^\s*resource\s+\w+\s+'config'\s*=/m.exec(site.text);
  assert.ok(config, 'the site has no nested config resource');
  const configBody = bodyFrom(site, config.index + config[0].length);
  assert.match(configBody.text, /name:\s*'appsettings'/);
  const propertiesKey = /^\s*properties\s*:/m.exec(configBody.code);
  assert.ok(propertiesKey, 'the appsettings config has no properties');
  return bodyFrom(site, configBody.start + propertiesKey.index);
}

describe('azure.yaml and the function app azd deploys to', () => {
  const yaml = readSimpleYaml(readFileSync(path.join(root, 'azure.yaml'), 'utf8'));
  const api = readBicep(path.join(infraDir, 'app/api.bicep'));

  test('azd can find the function app to deploy to: the service tag matches azure.yaml, and the project holds host.json and package.json', () => {
    const services = yamlMap(yaml.services, 'services');
    const site = resourceOfType(api, 'Microsoft.Web/sites');
    const tag = /'azd-service-name'\s*:\s*'([^']+)'/.exec(site.text);
    assert.ok(tag, 'the site has no azd-service-name tag');
    const serviceName = tag[1] ?? '';
    assert.ok(
      serviceName in services,
      `azure.yaml has no service "${serviceName}" (it has ${Object.keys(services).join(', ')})`,
    );
    const service = yamlMap(services[serviceName], `services.${serviceName}`);
    assert.equal(service.host, 'function');
    const project = service.project;
    assert.ok(typeof project === 'string', `services.${serviceName} has no project path`);
    for (const file of ['host.json', 'package.json']) {
      assert.ok(existsSync(path.resolve(root, project, file)), `${project}/${file} does not exist`);
    }
  });

  test('azd provisions from infra/: azure.yaml points at the folder holding main.bicep', () => {
    const infra = yaml.infra === undefined ? {} : yamlMap(yaml.infra, 'infra');
    assert.equal(infra.provider ?? 'bicep', 'bicep');
    const infraPath = typeof infra.path === 'string' ? infra.path : 'infra';
    assert.ok(existsSync(path.join(root, infraPath, 'main.bicep')), `${infraPath}/main.bicep does not exist`);
    assert.equal(typeof yaml.name, 'string', 'azure.yaml has no name');
  });

  test('the app runs on Flex Consumption with Node 22: FC1 plan, functionapp,linux site with functionAppConfig', () => {
    const plan = resourceOfType(api, 'Microsoft.Web/serverfarms');
    assert.match(plan.text, /name:\s*'FC1'/);
    assert.match(plan.text, /tier:\s*'FlexConsumption'/);
    assert.match(plan.text, /reserved:\s*true/);
    const site = resourceOfType(api, 'Microsoft.Web/sites');
    // functionAppConfig exists from api-version 2023-12-01.
    assert.ok(
      site.apiVersion >= '2023-12-01',
      `Microsoft.Web/sites@${site.apiVersion} predates functionAppConfig`,
    );
    assert.match(site.text, /kind:\s*'functionapp,linux'/);
    assert.match(site.text, /httpsOnly:\s*true/);
    assert.match(site.text, /runtime:\s*\{\s*name:\s*'node'\s*(?:\/\/.*\s*)*version:\s*'22'/);
    assert.match(site.text, /type:\s*'blobContainer'/);
    assert.match(site.text, /type:\s*'UserAssignedIdentity'/);
    // Flex Consumption rejects these settings: its runtime comes from functionAppConfig.
    assert.doesNotMatch(site.text, /FUNCTIONS_WORKER_RUNTIME|FUNCTIONS_EXTENSION_VERSION/);
  });

  test('the app reaches storage and telemetry with its identity, no keys: shared keys off, identity settings, the four roles', () => {
    const storage = resourceOfType(
      readBicep(path.join(infraDir, 'app/storage.bicep')),
      'Microsoft.Storage/storageAccounts',
    );
    assert.match(storage.text, /allowSharedKeyAccess:\s*false/);
    assert.match(storage.text, /allowBlobPublicAccess:\s*false/);
    assert.match(storage.text, /minimumTlsVersion:\s*'TLS1_2'/);

    const insights = resourceOfType(
      readBicep(path.join(infraDir, 'app/monitoring.bicep')),
      'Microsoft.Insights/components',
    );
    assert.match(insights.text, /DisableLocalAuth:\s*true/);

    const rbac = readBicep(path.join(infraDir, 'app/rbac.bicep')).text;
    for (const [role, id] of Object.entries({
      'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
      'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
      'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
      'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
    })) {
      assert.ok(rbac.includes(`'${id}'`), `rbac.bicep does not assign ${role} (${id})`);
    }

    // The app settings are what the Functions host and the snippet store read.
    const properties = appSettingsOf(api);
    const names = topLevelKeys(properties.code);
    for (const name of [
      'AzureWebJobsStorage__credential',
      'AzureWebJobsStorage__clientId',
      'AzureWebJobsStorage__blobServiceUri',
      'AzureWebJobsStorage__queueServiceUri',
      'AzureWebJobsStorage__tableServiceUri',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
      'SNIPPETS_CONTAINER',
    ]) {
      assert.ok(names.includes(name), `app setting ${name} is missing`);
    }
    assert.ok(
      !names.includes('AzureWebJobsStorage'),
      'a connection string would need the disabled account keys',
    );
    assert.match(properties.text, /AzureWebJobsStorage__credential:\s*'managedidentity'/);
    assert.match(
      properties.text,
      /APPLICATIONINSIGHTS_AUTHENTICATION_STRING:\s*'ClientId=\$\{\w+\};Authorization=AAD'/,
    );
    // Given those settings, the snippet store signs in as the app's identity.
    assert.deepEqual(
      snippetStorageSettings({
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: '00000000-0000-0000-0000-000000000001',
        AzureWebJobsStorage__blobServiceUri: 'https://stexample.blob.core.windows.net/',
        SNIPPETS_CONTAINER: DEFAULT_CONTAINER,
      }),
      {
        kind: 'identity',
        serviceUrl: 'https://stexample.blob.core.windows.net',
        credential: 'managed',
        clientId: '00000000-0000-0000-0000-000000000001',
        containerName: DEFAULT_CONTAINER,
      },
    );
    // The provisioned snippets container is the one a local run uses by default.
    assert.match(
      readBicep(mainBicep).text,
      new RegExp(`^var snippetsContainerName = '${DEFAULT_CONTAINER}'$`, 'm'),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Microsoft Entra authentication (AUTH_ENABLED).

/**
 * Dotted paths of the leaves of a Bicep object body (arrays and expressions are leaves), e.g.
 * `platform.enabled`. `body.start` is the body's offset in `source`.
 */
function leafPaths(source: BicepSource, body: { code: string; start: number }, prefix = ''): string[] {
  const paths: string[] = [];
  let depth = 0;
  let offset = 0;
  for (const line of body.code.split('\n')) {
    const key = /^\s*([A-Za-z_]\w*)\s*:\s*(\{)?/.exec(line);
    if (depth === 0 && key?.[1]) {
      if (key[2]) {
        const inner = bodyFrom(source, body.start + offset + key[0].length - 1);
        paths.push(...leafPaths(source, inner, `${prefix}${key[1]}.`));
      } else {
        paths.push(prefix + key[1]);
      }
    }
    for (const c of line) {
      if (c === '{' || c === '[' || c === '(') depth++;
      else if (c === '}' || c === ']' || c === ')') depth--;
    }
    offset += line.length + 1;
  }
  return paths;
}

/** Dotted paths of the leaves of a JSON value (arrays are leaves). */
function jsonLeafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix.slice(0, -1)];
  return Object.entries(value).flatMap(([key, inner]) => jsonLeafPaths(inner, `${prefix}${key}.`));
}

/** The `{ ... }` objects of `<lead> ? { A } : { B }` in `source`, where `lead` is a regex source ending before `?`. */
function ternaryBranches(
  source: BicepSource,
  lead: string,
): { whenTrue: ReturnType<typeof bodyFrom>; rest: string } {
  const m = new RegExp(`${lead}\\s*\\?\\s*\\{`, 'm').exec(source.text);
  assert.ok(m, `${path.relative(root, source.file)}: no "${lead} ? {" found`);
  const whenTrue = bodyFrom(source, m.index + m[0].length - 1);
  return { whenTrue, rest: source.text.slice(whenTrue.start + whenTrue.code.length + 1) };
}

describe('infra/: Microsoft Entra authentication when AUTH_ENABLED is set', () => {
  const main = readBicep(mainBicep);
  const api = readBicep(path.join(infraDir, 'app/api.bicep'));
  const entraFile = path.join(infraDir, 'app/entra.bicep');

  test('main.bicep: authEnabled (default false, from AUTH_ENABLED) passed to the app, the entra module only when set', () => {
    assert.ok(existsSync(entraFile), 'infra/app/entra.bicep does not exist');
    assert.match(main.text, /^param authEnabled bool = false$/m);
    const file = JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    assert.deepEqual(file.parameters['authEnabled'], { value: '${AUTH_ENABLED=false}' });

    const entra = modules(main).find((use) => use.target === entraFile);
    assert.ok(entra, 'main.bicep does not use ./app/entra.bicep');
    assert.match(
      main.text,
      new RegExp(`^module ${entra.symbol} '\\./app/entra\\.bicep' = if \\(authEnabled\\) \\{`, 'm'),
    );
    const apiModule = modules(main).find((use) => use.reference === './app/api.bicep');
    assert.ok(apiModule);
    for (const name of ['authEnabled', 'authClientId', 'authIdentifierUri', 'authTenantId']) {
      assert.ok(apiModule.passed.includes(name), `the api module is not given ${name}`);
    }
    // A conditional module's outputs are read only behind the same condition.
    for (const m of main.text.matchAll(new RegExp(`^.*\\b${entra.symbol}\\.outputs\\.\\w+.*$`, 'gm'))) {
      assert.match(m[0], new RegExp(`authEnabled \\? ${entra.symbol}\\.outputs\\.\\w+ : ''`), m[0]);
    }
  });

  test('main.bicep outputs AUTH_ENABLED, ENTRA_APPLICATION_ID and ENTRA_IDENTIFIER_URI (empty when off)', () => {
    assert.match(main.text, /^output AUTH_ENABLED bool = authEnabled$/m);
    assert.match(
      main.text,
      /^output ENTRA_APPLICATION_ID string = authEnabled \? entra\.outputs\.applicationId : ''$/m,
    );
    assert.match(
      main.text,
      /^output ENTRA_IDENTIFIER_URI string = authEnabled \? entra\.outputs\.identifierUri : ''$/m,
    );
  });

  test('bicepconfig.json declares the generally available Microsoft Graph extension every `extension` statement names', () => {
    const config = JSON.parse(readFileSync(path.join(infraDir, 'bicepconfig.json'), 'utf8')) as {
      extensions?: Record<string, string>;
    };
    assert.match(
      config.extensions?.['microsoftGraphV1'] ?? '',
      /^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:\d+\.\d+\.\d+$/,
      'microsoftGraphV1 is not a released (non-preview) v1.0 type version',
    );
    let graphFiles = 0;
    for (const file of bicepFilesIn(infraDir)) {
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
    // The identity it trusts is the one the app runs as.
    assert.match(main.text, /managedIdentityPrincipalId:\s*identity\.outputs\.principalId/);
  });

  test('api.bicep: authsettingsV2 writes what the extension writes when on, and switches built-in authentication off when not', () => {
    assert.match(api.text, new RegExp(`^var vscodeClientId = '${VSCODE_CLIENT_ID}'$`, 'm'));
    const config = resourceOfType(api, 'Microsoft.Web/sites/config');
    assert.match(config.text, /name:\s*'authsettingsV2'/);
    assert.match(config.text, /parent:\s*site\b/);
    const { whenTrue: on, rest } = ternaryBranches(config, 'properties:\\s*authEnabled');
    // Same leaves as the authsettingsV2 the extension writes for any other app.
    const expected = entraAuthSettingsV2({
      tenantId: '00000000-0000-0000-0000-000000000001',
      clientId: '00000000-0000-0000-0000-000000000002',
      identifierUri: 'api://x',
    });
    assert.deepEqual(leafPaths(config, on).sort(), jsonLeafPaths(expected).sort());
    for (const pattern of [
      /platform:\s*\{\s*enabled:\s*true\s+runtimeVersion:\s*'~1'/,
      /requireAuthentication:\s*true/,
      /unauthenticatedClientAction:\s*'Return401'/,
      /redirectToProvider:\s*'azureactivedirectory'/,
      /openIdIssuer:\s*'\$\{environment\(\)\.authentication\.loginEndpoint\}\$\{authTenantId\}\/v2\.0'/,
      /clientId:\s*authClientId/,
      new RegExp(`clientSecretSettingName:\\s*'${MI_CLIENT_ID_SETTING}'`),
      /allowedAudiences:\s*\[\s*authIdentifierUri\s*\]/,
      /allowedApplications:\s*\[\s*authClientId\s+vscodeClientId\s*\]/,
      /tokenStore:\s*\{\s*enabled:\s*true/,
      /requireHttps:\s*true/,
      /apiPrefix:\s*'\/\.auth'/,
    ]) {
      assert.match(on.text, pattern);
    }
    const offMatch = /^\s*:\s*\{/.exec(rest);
    assert.ok(offMatch, 'no "} : {" branch for auth off');
    const off = rest.slice(offMatch[0].length, rest.indexOf('\n  }', offMatch[0].length));
    assert.match(off, /platform:\s*\{\s*enabled:\s*false/);
    assert.match(off, /requireAuthentication:\s*false/);
  });

  test('api.bicep: the auth app settings, the exact webhook override among them, are added to the set only when on', () => {
    const { whenTrue, rest } = ternaryBranches(api, '^var authAppSettings = authEnabled');
    assert.match(rest, /^\s*:\s*\{\}\s*$/m, 'with auth off the auth settings are {}');
    assert.deepEqual(topLevelKeys(whenTrue.code).sort(), [...ENTRA_APP_SETTINGS].sort());
    assert.ok(topLevelKeys(whenTrue.code).includes(WEBHOOK_LEVEL_SETTING));
    assert.match(whenTrue.text, new RegExp(`^\\s*${WEBHOOK_LEVEL_SETTING}:\\s*'Anonymous'$`, 'm'));
    assert.match(
      whenTrue.text,
      new RegExp(`^\\s*${PRM_SCOPES_SETTING}:\\s*'\\$\\{authIdentifierUri\\}/user_impersonation'$`, 'm'),
    );
    assert.match(whenTrue.text, new RegExp(`^\\s*${MI_CLIENT_ID_SETTING}:\\s*identityClientId$`, 'm'));
    assert.match(whenTrue.text, /^\s*WEBSITE_AUTH_AAD_ALLOWED_TENANTS:\s*authTenantId$/m);
    // Merged into the one app-settings resource, which provisioning writes whole: off removes them.
    const site = resourceOfType(api, 'Microsoft.Web/sites');
    assert.match(site.text, /properties:\s*union\(\{[\s\S]*\},\s*authAppSettings\)/);
  });
});

// ---------------------------------------------------------------------------------------------
// Azure AI Content Understanding for analyze_invoice.

describe('infra/: Content Understanding for analyze_invoice, behind parameters', () => {
  const main = readBicep(mainBicep);
  const api = readBicep(path.join(infraDir, 'app/api.bicep'));
  const accessFile = path.join(infraDir, 'app/contentUnderstandingAccess.bicep');

  test('main.bicep: endpoint, resource id and analyzer, all optional, filled from the azd environment', () => {
    const declared = params(main);
    for (const name of [
      'contentUnderstandingEndpoint',
      'contentUnderstandingResourceId',
      'contentUnderstandingAnalyzerId',
    ]) {
      assert.ok(
        declared.find((p) => p.name === name)?.hasDefault,
        `main.bicep has no optional param ${name}`,
      );
    }
    assert.match(main.text, /^param contentUnderstandingAnalyzerId string = 'prebuilt-invoice'$/m);
    const file = JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    assert.deepEqual(file.parameters['contentUnderstandingEndpoint'], {
      value: '${CONTENT_UNDERSTANDING_ENDPOINT}',
    });
    assert.deepEqual(file.parameters['contentUnderstandingResourceId'], {
      value: '${CONTENT_UNDERSTANDING_RESOURCE_ID}',
    });
    assert.deepEqual(file.parameters['contentUnderstandingAnalyzerId'], {
      value: '${CONTENT_UNDERSTANDING_ANALYZER_ID=prebuilt-invoice}',
    });
  });

  test('with a resource id, the app identity gets Cognitive Services User on that resource, in its own resource group', () => {
    const access = modules(main).find((use) => use.target === accessFile);
    assert.ok(access, 'main.bicep does not use ./app/contentUnderstandingAccess.bicep');
    assert.match(
      main.text,
      new RegExp(
        `^module ${access.symbol} '\\./app/contentUnderstandingAccess\\.bicep' = if \\(!empty\\(contentUnderstandingResourceId\\)\\) \\{`,
        'm',
      ),
    );
    // Subscription and resource group come from the id (its parts 2 and 4), guarded for an empty id.
    assert.match(
      main.text,
      /scope: resourceGroup\(empty\(contentUnderstandingResourceId\) \? subscription\(\)\.subscriptionId : split\(contentUnderstandingResourceId, '\/'\)\[2\], empty\(contentUnderstandingResourceId\) \? rg\.name : split\(contentUnderstandingResourceId, '\/'\)\[4\]\)/,
    );
    assert.match(main.text, /accountName: last\(split\(contentUnderstandingResourceId, '\/'\)\)/);
    assert.match(main.text, /managedIdentityPrincipalId: identity\.outputs\.principalId/);
    // A conditional module's output is read only behind the same condition.
    for (const m of main.text.matchAll(new RegExp(`^.*\\b${access.symbol}\\.outputs\\.\\w+.*$`, 'gm'))) {
      assert.match(
        m[0],
        new RegExp(`!empty\\(contentUnderstandingResourceId\\) \\? ${access.symbol}\\.outputs\\.endpoint`),
      );
    }

    const source = readBicep(accessFile);
    assert.match(source.text, /^var cognitiveServicesUser = 'a97b65f3-24c7-4388-baec-2e87135dc908'$/m);
    const account = resourceOfType(source, 'Microsoft.CognitiveServices/accounts');
    assert.match(account.text, /name:\s*accountName/);
    const assignment = resourceOfType(source, 'Microsoft.Authorization/roleAssignments');
    assert.match(
      assignment.text,
      /name:\s*guid\(account\.id, managedIdentityPrincipalId, cognitiveServicesUser\)/,
    );
    assert.match(assignment.text, /scope:\s*account\b/);
    assert.match(
      assignment.text,
      /roleDefinitionId:\s*subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', cognitiveServicesUser\)/,
    );
    assert.match(assignment.text, /principalId:\s*managedIdentityPrincipalId/);
    assert.match(assignment.text, /principalType:\s*'ServicePrincipal'/);
    assert.ok(outputs(source).includes('endpoint'));
  });

  test('the app settings: endpoint and analyzer, the identity to sign in as, and no API key', () => {
    const apiModule = modules(main).find((use) => use.reference === './app/api.bicep');
    assert.ok(apiModule);
    for (const name of ['contentUnderstandingEndpoint', 'contentUnderstandingAnalyzerId']) {
      assert.ok(apiModule.passed.includes(name), `the api module is not given ${name}`);
    }
    const settings = appSettingsOf(api);
    assert.match(settings.text, /^\s*CONTENT_UNDERSTANDING_ENDPOINT:\s*contentUnderstandingEndpoint$/m);
    assert.match(settings.text, /^\s*CONTENT_UNDERSTANDING_ANALYZER_ID:\s*contentUnderstandingAnalyzerId$/m);
    assert.match(settings.text, /^\s*AZURE_CLIENT_ID:\s*identityClientId$/m);
    assert.doesNotMatch(
      api.text,
      /CONTENT_UNDERSTANDING_API_KEY/,
      'no key in the app: it signs in as its identity',
    );
    // Given those settings in Azure (App Service sets IDENTITY_ENDPOINT), the tool signs in as that identity.
    const settingsInAzure = invoiceSettingsFromEnv(
      {
        IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token',
        AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
        CONTENT_UNDERSTANDING_ENDPOINT: 'https://contoso.cognitiveservices.azure.com/',
        CONTENT_UNDERSTANDING_ANALYZER_ID: 'prebuilt-invoice',
      },
      '/home/site/wwwroot/data',
    );
    assert.ok(!('problem' in settingsInAzure.service));
    assert.equal(settingsInAzure.service.auth.kind, 'identity');
    assert.ok(settingsInAzure.service.auth.kind === 'identity');
    assert.equal(
      settingsInAzure.service.auth.description,
      'the managed identity with client ID 00000000-0000-0000-0000-000000000001',
    );
    // Without a Content Understanding resource the setting is empty, which the tool reads as "not set up".
    const unconfigured = invoiceSettingsFromEnv(
      { CONTENT_UNDERSTANDING_ENDPOINT: '' },
      '/home/site/wwwroot/data',
    );
    assert.ok('problem' in unconfigured.service);
    assert.match(unconfigured.service.problem, /set CONTENT_UNDERSTANDING_ENDPOINT/);
  });
});

describe('infra/: roles for the infrastructure-analysis tools, each behind its parameter', () => {
  const main = readBicep(mainBicep);
  const parameters = (
    JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    }
  ).parameters;
  const subscriptionReaderFile = path.join(infraDir, 'app/analysisSubscriptionReader.bicep');
  const workspaceReaderFile = path.join(infraDir, 'app/analysisWorkspaceReader.bicep');

  /** The role assignment a module makes: its role id, principal and (optional) scope. */
  function roleAssignment(file: string): { roleId: string; text: string } {
    const source = readBicep(file);
    const assignment = resourceOfType(source, 'Microsoft.Authorization/roleAssignments');
    const roleVariable =
      /roleDefinitionId:\s*subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions',\s*(\w+)\)/.exec(
        assignment.text,
      );
    assert.ok(roleVariable, `${relative(file)}: the role is not a built-in role definition id`);
    const roleId = new RegExp(`^var ${roleVariable[1]} = '([0-9a-f-]{36})'$`, 'm').exec(source.text)?.[1];
    assert.ok(roleId, `${relative(file)}: ${roleVariable[1]} is not a role definition id`);
    assert.match(assignment.text, /principalId:\s*principalId/);
    assert.match(assignment.text, /principalType:\s*'ServicePrincipal'/);
    assert.match(
      assignment.text,
      /name:\s*guid\(/,
      'a stable name: provisioning again finds the same assignment',
    );
    return { roleId, text: assignment.text };
  }

  test('main.bicep: both are off unless azd sets ANALYSIS_SUBSCRIPTION_READER or LOG_ANALYTICS_WORKSPACE_RESOURCE_ID', () => {
    assert.match(main.text, /^param analysisSubscriptionReader bool = false$/m);
    assert.match(main.text, /^param logAnalyticsWorkspaceResourceId string = ''$/m);
    assert.deepEqual(parameters['analysisSubscriptionReader'], {
      value: '${ANALYSIS_SUBSCRIPTION_READER=false}',
    });
    assert.deepEqual(parameters['logAnalyticsWorkspaceResourceId'], {
      value: '${LOG_ANALYTICS_WORKSPACE_RESOURCE_ID}',
    });
    assert.match(
      main.text,
      /^module \w+ '\.\/app\/analysisSubscriptionReader\.bicep' = if \(analysisSubscriptionReader\) \{/m,
    );
    assert.match(main.text, /^var analysisWorkspaceGiven = !empty\(logAnalyticsWorkspaceResourceId\)$/m);
    assert.match(
      main.text,
      /^module \w+ '\.\/app\/analysisWorkspaceReader\.bicep' = if \(analysisWorkspaceGiven\) \{/m,
    );
  });

  test('Reader on the subscription, for the identity the app runs as, is what Resource Graph needs', () => {
    const { roleId, text } = roleAssignment(subscriptionReaderFile);
    assert.equal(roleId, 'acdd72a7-3385-48ef-bd42-f606fba81ae7', 'the built-in Reader role');
    assert.match(readBicep(subscriptionReaderFile).text, /^targetScope = 'subscription'$/m);
    assert.doesNotMatch(text, /^\s*scope:/m, 'assigned at the subscription itself');
    const use = modules(main).find((m) => m.target === subscriptionReaderFile);
    assert.ok(use);
    assert.match(
      main.text,
      /module analysisReader [^\n]*\{\s*name: 'analysisReader'\s*scope: subscription\(\)\s*params: \{\s*principalId: identity\.outputs\.principalId/,
    );
  });

  test("Log Analytics Reader on the workspace, deployed to the workspace's own resource group and subscription", () => {
    const { roleId, text } = roleAssignment(workspaceReaderFile);
    assert.equal(roleId, '73c42c96-874c-492b-b04d-ab87d138a893', 'the built-in Log Analytics Reader role');
    assert.match(text, /^\s*scope:\s*workspace$/m);
    const workspace = resourceOfType(
      readBicep(workspaceReaderFile),
      'Microsoft.OperationalInsights/workspaces',
    );
    assert.match(workspace.text, /name:\s*workspaceName/);
    // A resource ID reads /subscriptions/{sub}/resourceGroups/{rg}/providers/…/workspaces/{name}.
    assert.match(
      main.text,
      /scope: resourceGroup\(analysisWorkspaceGiven \? analysisWorkspaceIdParts\[2\] : [^,]+, analysisWorkspaceGiven \? analysisWorkspaceIdParts\[4\] : [^)]+\)/,
    );
    assert.match(main.text, /workspaceName: analysisWorkspaceGiven \? last\(analysisWorkspaceIdParts\) : ''/);
    assert.match(
      main.text,
      /^var analysisWorkspaceIdParts = split\(logAnalyticsWorkspaceResourceId, '\/'\)$/m,
    );
  });

  test('api.bicep: the app signs in to Azure as that identity (AZURE_CLIENT_ID) in its own cloud', () => {
    const api = readBicep(path.join(infraDir, 'app/api.bicep'));
    assert.match(api.text, /^\s*AZURE_CLIENT_ID:\s*identityClientId$/m);
    assert.match(api.text, /^\s*AZURE_RESOURCE_MANAGER_ENDPOINT:\s*environment\(\)\.resourceManager$/m);
    // The server reads exactly these names (server/src/azure/credential.ts, analysisSettings.ts).
    assert.equal(RESOURCE_MANAGER_ENDPOINT_VARIABLE, 'AZURE_RESOURCE_MANAGER_ENDPOINT');
    assert.equal(
      azureCredentialDescription({ IDENTITY_ENDPOINT: 'http://x', AZURE_CLIENT_ID: 'id-1' }),
      'the managed identity with client ID id-1',
    );
  });
});
