import { applyEdits, modify, parse, type FormattingOptions } from 'jsonc-parser';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommandId } from '../commandIds';
import { mcpUrlOf, type RemoteServer } from './remoteServers';

const formatting: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

/** How VS Code's MCP client will authenticate to the server the entry names. */
export type McpJsonSignIn = 'key' | 'entra';

interface McpJsonInput {
  id?: string;
}

/**
 * Adds (or updates) the server in the workspace's .vscode/mcp.json for people who prefer
 * configuration files. Comments and other entries in the file are kept.
 *
 * A keyed server's key is never written: the header refers to an input of type command, and VS Code
 * asks this extension for the key (remoteMcp.getFunctionKey) when it starts the server.
 * A server behind Microsoft Entra sign-in gets its URL only: VS Code's MCP client reads the server's
 * Protected Resource Metadata from the 401 challenge and signs in itself
 * (https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization); a key header
 * there would name a key the server does not take.
 */
export function addServerToMcpJson(
  workspaceFolder: string,
  server: RemoteServer,
  signIn: McpJsonSignIn = server.auth?.mode === 'entra' ? 'entra' : 'key',
): string {
  const file = path.join(workspaceFolder, '.vscode', 'mcp.json');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '{}\n';
  const inputId = `${server.name}-mcp-key`;
  const signsInWithEntra = signIn === 'entra';
  // Connected through API Management, the entry names the gateway: it signs in with Entra, no key.
  const url = mcpUrlOf(server);
  const entry = signsInWithEntra
    ? { type: 'http', url }
    : { type: 'http', url, headers: { 'x-functions-key': `\${input:${inputId}}` } };
  text = applyEdits(text, modify(text, ['servers', server.name], entry, { formattingOptions: formatting }));
  const inputs = (parse(text) as { inputs?: McpJsonInput[] }).inputs ?? [];
  const existing = inputs.findIndex((input) => input.id === inputId);
  if (signsInWithEntra) {
    // Written when the server still took a key; nothing refers to it any more.
    if (existing >= 0) {
      text = applyEdits(
        text,
        modify(text, ['inputs', existing], undefined, { formattingOptions: formatting }),
      );
    }
  } else {
    text = applyEdits(
      text,
      modify(
        text,
        ['inputs', existing >= 0 ? existing : inputs.length],
        { id: inputId, type: 'command', command: CommandId.getFunctionKey, args: server.resourceId },
        { formattingOptions: formatting, isArrayInsertion: existing < 0 },
      ),
    );
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}
