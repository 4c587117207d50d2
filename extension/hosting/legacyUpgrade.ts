// The upgrade of a self-hosted MCP server's older Functions form to the current one (issue 13, point 3):
// `enableForwardingHttpRequest` / `enableProxyingHttpRequest`, the `mcp-handler/function.json`
// catch-all on `{*route}` and `extensions.http.routePrefix: ""` become
// `configurationProfile: "mcp-custom-handler"` with the port and authorization level in
// `customHandler` (the form of github.com/Azure-Samples/mcp-sdk-functions-hosting-node host.json).
// Edits go through jsonc-parser so the user's comments, order and other settings stay as they were.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyEdits, modify, parse, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import type { LegacyForm } from '../project/mcpProject';
import { isObject, property, type JsonObject } from '../project/projectFiles';

export interface LegacyUpgradePlan {
  hostJsonBefore: string;
  hostJsonAfter: string;
  /** Relative, `/`-separated paths the upgrade deletes (the catch-all function). */
  removals: string[];
  /** The level the upgraded host.json names, kept from the catch-all function's `authLevel`. */
  authorizationLevel: 'anonymous' | 'function';
}

export const mcpHandlerFunction = 'mcp-handler/function.json';

/** The plan for a project recognised with `legacyForms`; nothing is changed until it is applied. */
export async function planLegacyUpgrade(
  folder: string,
  legacyForms: readonly LegacyForm[],
  port: number,
): Promise<LegacyUpgradePlan> {
  const hostJsonBefore = await readFile(path.join(folder, 'host.json'), 'utf8');
  const handler = legacyForms.includes('mcpHandlerFunction')
    ? (parse(await readFile(path.join(folder, ...mcpHandlerFunction.split('/')), 'utf8')) as unknown)
    : undefined;
  const level = property(firstHttpTrigger(handler), 'authLevel');
  const handlerLevel = typeof level === 'string' ? level.toLowerCase() : 'function';
  const authorizationLevel = handlerLevel === 'anonymous' ? 'anonymous' : 'function';
  return {
    hostJsonBefore,
    hostJsonAfter: upgradeHostJson(hostJsonBefore, { port, authorizationLevel }),
    removals: handler === undefined ? [] : [mcpHandlerFunction],
    authorizationLevel,
  };
}

function firstHttpTrigger(functionJson: unknown): unknown {
  const bindings = property(functionJson, 'bindings');
  return Array.isArray(bindings)
    ? bindings.find((binding) => String(property(binding, 'type')).toLowerCase() === 'httptrigger')
    : undefined;
}

/**
 * host.json in the current form. What the user set and the new form still uses (the command, an
 * existing authorization level or port, logging, extensionBundle, …) is kept; only the older
 * form's settings go, with `extensions.http` / `extensions` when nothing else is left in them.
 */
export function upgradeHostJson(
  text: string,
  options: { port: number; authorizationLevel: 'anonymous' | 'function' },
): string {
  const formatting: FormattingOptions = {
    insertSpaces: true,
    tabSize: indentOf(text),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
  let result = text;
  const root = () => parse(result, [], { allowTrailingComma: true }) as JsonObject;
  const edit = (jsonPath: JSONPath, value: unknown, insertAt?: number) => {
    result = applyEdits(
      result,
      modify(result, jsonPath, value, {
        formattingOptions: formatting,
        ...(insertAt === undefined ? {} : { getInsertionIndex: () => insertAt }),
      }),
    );
  };
  const key = (object: unknown, name: string) =>
    isObject(object)
      ? (Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase()) ?? name)
      : name;

  if (property(root(), 'configurationProfile') === undefined) {
    const versionIndex = Object.keys(root()).findIndex((name) => name.toLowerCase() === 'version');
    edit(['configurationProfile'], 'mcp-custom-handler', versionIndex + 1);
  }
  const handlerKey = key(root(), 'customHandler');
  for (const flag of ['enableForwardingHttpRequest', 'enableProxyingHttpRequest']) {
    const handler = property(root(), handlerKey);
    if (property(handler, flag) !== undefined) edit([handlerKey, key(handler, flag)], undefined);
  }
  const handler = property(root(), handlerKey);
  const http = property(handler, 'http');
  if (property(http, 'DefaultAuthorizationLevel') === undefined)
    edit(
      [handlerKey, key(handler, 'http'), ...(isObject(http) ? [key(http, 'DefaultAuthorizationLevel')] : [])],
      isObject(http) ? options.authorizationLevel : { DefaultAuthorizationLevel: options.authorizationLevel },
    );
  if (property(property(root(), handlerKey), 'port') === undefined)
    edit([handlerKey, 'port'], String(options.port));

  const extensionsKey = key(root(), 'extensions');
  const httpKey = key(property(root(), extensionsKey), 'http');
  const extensionHttp = property(property(root(), extensionsKey), httpKey);
  if (property(extensionHttp, 'routePrefix') === '') {
    edit([extensionsKey, httpKey, key(extensionHttp, 'routePrefix')], undefined);
    if (isEmptyObject(property(property(root(), extensionsKey), httpKey)))
      edit([extensionsKey, httpKey], undefined);
    if (isEmptyObject(property(root(), extensionsKey))) edit([extensionsKey], undefined);
  }
  return result;
}

function isEmptyObject(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 0;
}

/** The indentation the user's file uses (spaces), so inserted lines look like theirs. */
function indentOf(text: string): number {
  const indent = text.match(/\n( +)"/)?.[1]?.length;
  return indent !== undefined && indent > 0 && indent <= 8 ? indent : 2;
}
