import { applyEdits, modify, parse, type FormattingOptions } from 'jsonc-parser';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RemoteServer } from './remoteServers';

const formatting: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

/**
 * Adds (or updates) the server in the workspace's .vscode/mcp.json for people who prefer
 * configuration files. The key is never written: the header refers to an input of type command,
 * and VS Code asks this extension for the key (remoteMcp.getFunctionKey) when it starts the server.
 * Comments and other entries in the file are kept.
 */
export function addServerToMcpJson(workspaceFolder: string, server: RemoteServer): string {
  const file = path.join(workspaceFolder, '.vscode', 'mcp.json');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '{}\n';
  const inputId = `${server.name}-mcp-key`;
  text = applyEdits(
    text,
    modify(
      text,
      ['servers', server.name],
      { type: 'http', url: server.endpoint, headers: { 'x-functions-key': `\${input:${inputId}}` } },
      { formattingOptions: formatting },
    ),
  );
  const inputs = (parse(text) as { inputs?: { id?: string }[] }).inputs ?? [];
  const existing = inputs.findIndex((input) => input.id === inputId);
  text = applyEdits(
    text,
    modify(
      text,
      ['inputs', existing >= 0 ? existing : inputs.length],
      { id: inputId, type: 'command', command: 'remoteMcp.getFunctionKey', args: server.resourceId },
      { formattingOptions: formatting, isArrayInsertion: existing < 0 },
    ),
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}
