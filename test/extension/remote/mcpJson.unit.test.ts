// Add to mcp.json (extension/remote/mcpJson.ts): the workspace's .vscode/mcp.json as the user reads it
// afterwards.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { addServerToMcpJson } from '../../../extension/remote/mcpJson';
import { mcpEndpoint, type RemoteServer } from '../../../extension/remote/remoteServers';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-mcpjson-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let folderCount = 0;
function workspace(mcpJson?: string): string {
  const folder = path.join(scratch, `ws-${++folderCount}`);
  mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  if (mcpJson !== undefined) writeFileSync(path.join(folder, '.vscode', 'mcp.json'), mcpJson);
  return folder;
}

function server(name: string, hostName = `${name}.azurewebsites.net`): RemoteServer {
  return {
    resourceId: `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-x/providers/Microsoft.Web/sites/${name}`,
    name,
    hostName,
    endpoint: mcpEndpoint(hostName),
    subscriptionId: '11111111-2222-3333-4444-555555555555',
    resourceGroup: 'rg-x',
  };
}

interface McpJson {
  servers: Record<string, { type: string; url?: string; command?: string; headers?: Record<string, string> }>;
  inputs?: { id: string; type: string; command?: string; args?: unknown; description?: string }[];
}

function read(file: string): { text: string; json: McpJson } {
  const text = readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const json = parse(text, errors) as McpJson;
  assert.deepEqual(errors, [], `mcp.json does not parse:\n${text}`);
  return { text, json };
}

const userFile = `// My MCP servers. Keep this comment.
{
  /* the local one */
  "servers": {
    "local": { "type": "stdio", "command": "node", "args": ["server.js"] } // stdio
  },
  "inputs": [
    { "id": "token", "type": "promptString", "description": "A token", "password": true }
  ]
}
`;

describe('Add to mcp.json', () => {
  test('a file with comments and another server: both servers are there, and the comments too', () => {
    const folder = workspace(userFile);
    const file = addServerToMcpJson(folder, server('func-a'));
    assert.equal(file, path.join(folder, '.vscode', 'mcp.json'));
    const { text, json } = read(file);
    assert.deepEqual(Object.keys(json.servers), ['local', 'func-a']);
    assert.deepEqual(json.servers.local, { type: 'stdio', command: 'node', args: ['server.js'] });
    assert.deepEqual(json.servers['func-a'], {
      type: 'http',
      url: 'https://func-a.azurewebsites.net/runtime/webhooks/mcp',
      headers: { 'x-functions-key': '${input:func-a-mcp-key}' },
    });
    assert.deepEqual(
      json.inputs?.map((input) => input.id),
      ['token', 'func-a-mcp-key'],
    );
    for (const comment of ['// My MCP servers. Keep this comment.', '/* the local one */', '// stdio']) {
      assert.ok(text.includes(comment), `lost ${comment}:\n${text}`);
    }
  });

  test("the key's input is of type command: VS Code asks the extension, passing the resource id", () => {
    const target = server('func-a');
    const { json } = read(addServerToMcpJson(workspace(), target));
    assert.deepEqual(json.inputs, [
      {
        id: 'func-a-mcp-key',
        type: 'command',
        command: 'remoteMcp.getFunctionKey',
        args: target.resourceId,
      },
    ]);
  });

  test('adding the same server twice updates it in place: one server, one input', () => {
    const folder = workspace(userFile);
    addServerToMcpJson(folder, server('func-a'));
    // Deployed again under another host name.
    const { text, json } = read(addServerToMcpJson(folder, server('func-a', 'func-a-2.example.net')));
    assert.deepEqual(Object.keys(json.servers), ['local', 'func-a']);
    assert.equal(json.servers['func-a']?.url, 'https://func-a-2.example.net/runtime/webhooks/mcp');
    assert.deepEqual(
      json.inputs?.map((input) => input.id),
      ['token', 'func-a-mcp-key'],
    );
    assert.equal(text.split('func-a-mcp-key"').length - 1, 1, 'the input is written once');
    assert.ok(text.includes('// My MCP servers. Keep this comment.'));
  });

  test('no file yet, and no .vscode folder: it is created', () => {
    const folder = path.join(scratch, 'bare');
    mkdirSync(folder);
    const { json } = read(addServerToMcpJson(folder, server('func-b')));
    assert.deepEqual(Object.keys(json.servers), ['func-b']);
    assert.equal(json.inputs?.length, 1);
  });

  test('the key itself is never written, only a reference to the input', () => {
    const key = 'the-real-mcp-extension-key-value-0001';
    // Even a server object that happens to carry a key (it never should) writes only the reference.
    const target = { ...server('func-a'), key } as RemoteServer;
    const folder = workspace(userFile);
    const { text } = read(addServerToMcpJson(folder, target));
    assert.ok(!text.includes(key));
    assert.match(text, /"x-functions-key": "\$\{input:func-a-mcp-key\}"/);
  });

  test('a server behind Entra sign-in: its URL only, no key header and no key input', () => {
    const target: RemoteServer = {
      ...server('func-e'),
      auth: { mode: 'entra', scopes: ['api://e/user_impersonation'] },
    };
    const { json } = read(addServerToMcpJson(workspace(userFile), target));
    assert.deepEqual(json.servers['func-e'], {
      type: 'http',
      url: 'https://func-e.azurewebsites.net/runtime/webhooks/mcp',
    });
    assert.deepEqual(
      json.inputs?.map((input) => input.id),
      ['token'],
    );
  });

  test('the same server after Entra sign-in was enabled: its key header and key input are gone, the rest stays', () => {
    const folder = workspace(userFile);
    addServerToMcpJson(folder, server('func-a'));
    const { text, json } = read(addServerToMcpJson(folder, server('func-a'), 'entra'));
    assert.deepEqual(json.servers['func-a'], {
      type: 'http',
      url: 'https://func-a.azurewebsites.net/runtime/webhooks/mcp',
    });
    assert.deepEqual(Object.keys(json.servers), ['local', 'func-a']);
    assert.deepEqual(
      json.inputs?.map((input) => input.id),
      ['token'],
    );
    assert.ok(!text.includes('func-a-mcp-key'), text);
    assert.ok(text.includes('// My MCP servers. Keep this comment.'));
  });

  test('a keyed server told apart from an Entra one by the caller still gets its key input', () => {
    const { json } = read(addServerToMcpJson(workspace(), server('func-k'), 'key'));
    assert.deepEqual(json.servers['func-k']?.headers, { 'x-functions-key': '${input:func-k-mcp-key}' });
    assert.equal(json.inputs?.[0]?.command, 'remoteMcp.getFunctionKey');
  });
});

describe('a server connected through API Management', () => {
  test('the entry names the gateway and no key header: the gateway signs in with Entra', () => {
    const folder = workspace();
    const gatewayUrl = 'https://apim-func-gw.azure-api.net/mcp';
    const file = addServerToMcpJson(folder, {
      ...server('func-gw'),
      gateway: { endpoint: gatewayUrl },
      via: 'gateway',
      auth: { mode: 'entra', scopes: [] },
    });
    assert.deepEqual(read(file).json.servers['func-gw'], { type: 'http', url: gatewayUrl });
    assert.equal(read(file).json.inputs, undefined);
  });
});
