// One invocation through the real @azure/functions 4.16.5 (the repository's node_modules), with this
// host's core module installed as the Node worker installs its own: what a handler receives (the
// trigger input, context.triggerMetadata as the MCP extension sets it, blob inputs), what it
// logs, and what the host gets back (the library's converted result, blob outputs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogue } from '../../../../server/src/hosts/functionsApp/appCatalogue';
import type { BlobBinding } from '../../../../server/src/hosts/functionsApp/blobBindings';
import {
  FunctionsCore,
  installCoreModule,
  type RpcTypedData,
} from '../../../../server/src/hosts/functionsApp/coreApi';
import { FunctionInvoker, type HostLog } from '../../../../server/src/hosts/functionsApp/functionInvoker';
import {
  promptInvocation,
  resourceInvocation,
  toolInvocation,
  type McpRequestInfo,
} from '../../../../server/src/hosts/functionsApp/invocationRequests';
import { toCallToolResult, toGetPromptResult } from '../../../../server/src/hosts/functionsApp/mcpResults';

const core = new FunctionsCore(() => undefined);
installCoreModule(core);
// Loaded after the core module is in place, as the worker loads apps.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const functions = require('@azure/functions') as typeof import('@azure/functions');
const { app, arg, input, output } = functions;

const seen: Record<string, unknown> = {};
const snippetIn = input.storageBlob({
  connection: 'AzureWebJobsStorage',
  path: 'snippets/{mcptoolargs.snippetname}.json',
});
const snippetOut = output.storageBlob({
  connection: 'AzureWebJobsStorage',
  path: 'snippets/{mcptoolargs.snippetname}.json',
});

app.mcpTool('echo', {
  toolName: 'echo',
  description: 'Echoes.',
  toolProperties: {
    text: arg.string().describe('Text'),
    count: arg.integer().describe('How many').optional(),
  },
  handler: (toolArguments, context) => {
    seen.toolInput = toolArguments;
    seen.mcptoolargs = context.triggerMetadata?.mcptoolargs;
    seen.sessionId = context.triggerMetadata?.mcpsessionid;
    context.log('echoing');
    context.warn('careful');
    return `echo: ${(toolArguments as { arguments: { text: string } }).arguments.text}`;
  },
});
app.mcpTool('copySnippet', {
  toolName: 'copy_snippet',
  description: 'Reads a snippet and writes it back upper-cased.',
  toolProperties: { snippetname: arg.string().describe('Name') },
  extraInputs: [snippetIn],
  extraOutputs: [snippetOut],
  handler: (_args, context) => {
    const content = context.extraInputs.get(snippetIn);
    seen.blobInput = content;
    context.extraOutputs.set(snippetOut, String(content).toUpperCase());
    return 'copied';
  },
});
app.mcpResource('note', {
  uri: 'note://{id}',
  resourceName: 'note',
  handler: (_ctx, context) => {
    seen.resourceMetadata = { id: context.triggerMetadata?.id, uri: context.triggerMetadata?.mcpresourceuri };
    return 'note';
  },
});
app.mcpPrompt('review', {
  promptName: 'review',
  promptArguments: [{ name: 'code', required: true }],
  handler: (prompt) => `Review ${(prompt as { arguments: { code: string } }).arguments.code}`,
});

const catalogue = buildCatalogue(core.functions);
const logged: string[] = [];
const log: HostLog = {
  info: (line) => logged.push(`info ${line}`),
  warn: (line) => logged.push(`warn ${line}`),
  error: (line) => logged.push(`error ${line}`),
};
const blobReads: string[] = [];
const blobWrites: { path: string; value: RpcTypedData }[] = [];
const blobs = {
  read: (_binding: BlobBinding, path: string) => {
    blobReads.push(path);
    return Promise.resolve<RpcTypedData>({ string: 'print(1)' });
  },
  write: (_binding: BlobBinding, path: string, value: RpcTypedData) => {
    blobWrites.push({ path, value });
    return Promise.resolve();
  },
};
const invoker = new FunctionInvoker(core, blobs, log, {});
const info: McpRequestInfo = {
  transportName: 'http-sse',
  headers: { 'content-type': 'application/json' },
  transportSessionId: undefined,
  sessionId: 'sse-session-1',
  clientInfo: { name: 'test-client', version: '1.0.0' },
};

test('a tool gets the invocation context as its input and mcptoolargs as text, as the extension binds them', async () => {
  const tool = catalogue.tools.get('echo')!;
  const response = await invoker.invoke(
    tool,
    toolInvocation(
      tool.functionName,
      tool.functionId,
      tool.triggerName,
      'echo',
      { text: 'hi', count: 3 },
      info,
    ),
  );
  assert.deepEqual(toCallToolResult(response.returnValue), { content: [{ type: 'text', text: 'echo: hi' }] });
  assert.deepEqual(seen.toolInput, {
    name: 'echo',
    arguments: { text: 'hi', count: 3 },
    sessionid: 'sse-session-1',
    clientinfo: { name: 'test-client', version: '1.0.0' },
    transport: { name: 'http-sse', properties: { headers: { 'content-type': 'application/json' } } },
  });
  // McpToolTriggerBinding.cs: kvp.Value.ToString(), so a number arrives as its text.
  assert.deepEqual(seen.mcptoolargs, { text: 'hi', count: '3' });
  assert.equal(seen.sessionId, 'sse-session-1');
  assert.deepEqual(logged.slice(-2), ['info [echo] echoing', 'warn [echo] careful']);
});

test('blob bindings: the input is read from the path the arguments name, the output written after the handler', async () => {
  const tool = catalogue.tools.get('copy_snippet')!;
  const response = await invoker.invoke(
    tool,
    toolInvocation(
      tool.functionName,
      tool.functionId,
      tool.triggerName,
      'copy_snippet',
      { snippetname: 'hello' },
      info,
    ),
  );
  assert.deepEqual(blobReads, ['snippets/hello.json']);
  assert.equal(seen.blobInput, 'print(1)');
  assert.deepEqual(blobWrites, [{ path: 'snippets/hello.json', value: { string: 'PRINT(1)' } }]);
  assert.equal(toCallToolResult(response.returnValue).content[0]?.type, 'text');
});

test('a missing path argument fails the invocation before the handler runs, in the WebJobs wording', async () => {
  const tool = catalogue.tools.get('copy_snippet')!;
  await assert.rejects(
    invoker.invoke(
      tool,
      toolInvocation(tool.functionName, tool.functionId, tool.triggerName, 'copy_snippet', {}, info),
    ),
    /Error while accessing 'snippetname': property doesn't exist\./,
  );
});

test('a resource template gets its parameters and the URI in the trigger metadata', async () => {
  const resource = catalogue.resourceTemplates[0]!;
  await invoker.invoke(
    resource,
    resourceInvocation(
      resource.functionName,
      resource.functionId,
      resource.triggerName,
      'note://abc',
      { id: 'abc' },
      info,
    ),
  );
  assert.deepEqual(seen.resourceMetadata, { id: 'abc', uri: 'note://abc' });
});

test("a prompt handler gets a PromptInvocationContext and its string becomes the user's message", async () => {
  const prompt = catalogue.prompts.get('review')!;
  const response = await invoker.invoke(
    prompt,
    promptInvocation(
      prompt.functionName,
      prompt.functionId,
      prompt.triggerName,
      'review',
      { code: 'x = 1' },
      info,
    ),
  );
  assert.deepEqual(toGetPromptResult(response.returnValue), {
    messages: [{ role: 'user', content: { type: 'text', text: 'Review x = 1' } }],
  });
});

test('registering after start-up is refused, as the worker refuses it', () => {
  core.indexingLocked = true;
  assert.throws(
    () => app.mcpTool('late', { toolName: 'late', description: '', toolProperties: [], handler: () => '' }),
    /only be registered during app startup/,
  );
});
