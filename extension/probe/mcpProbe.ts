// Bundled apart (dist/mcpClient.js, from extension/mcpClientBundle.ts) and loaded on first use, so
// the MCP SDK client is not part of what VS Code loads to activate the extension.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { classifyProbeFailure, type LastResponse, type ProbeFailure } from './probeFailure';

export type { ProbeFailure };

/** What `initialize` answered. */
export interface ServerIdentity {
  serverName: string | undefined;
  serverVersion?: string;
  protocolVersion: string | undefined;
}

/** A tool, prompt or resource as the view lists it. */
export interface CatalogItem {
  name: string;
  description: string;
}

/** What a server offers. Prompts and resources are undefined when it does not advertise them (or could not list them). */
export interface ServerCatalog {
  tools: readonly CatalogItem[];
  prompts?: readonly CatalogItem[];
  resources?: readonly CatalogItem[];
}

export interface ProbeResult extends ServerIdentity, ServerCatalog {
  /** From the first request to the tool list, in ms. */
  latencyMs: number;
}

export type ProbeOutcome =
  | ({ ok: true } & ProbeResult)
  | {
      ok: false;
      failure: ProbeFailure;
      latencyMs: number;
      /** What `initialize` answered, when the probe failed after it (at `tools/list`). */
      initialized?: ServerIdentity;
    };

export interface ProbeOptions {
  /** Sent with every request: the function key or a bearer token. */
  headers?: Record<string, string>;
  /** A limit on the whole probe. */
  timeoutMs: number;
  /** Aborts the probe (a newer refresh started). */
  signal?: AbortSignal;
  /** Sends the requests instead of the global fetch: the sign-in check reads the answers it refuses. */
  fetch?: FetchLike;
}

/**
 * A probe needs no answer to `notifications/initialized`, only to send it: the transport resolves
 * `send` when the HTTP answer (202) arrives, and the SDK client waits for that before `tools/list`.
 * Not waiting saves one round trip of three per probe, which is a third of a refresh over a slow link.
 */
class ProbeTransport extends StreamableHTTPClientTransport {
  override send(message: JSONRPCMessage, options?: Parameters<StreamableHTTPClientTransport['send']>[1]) {
    if (!('id' in message)) {
      super.send(message, options).catch(() => undefined);
      return Promise.resolve();
    }
    return super.send(message, options);
  }
}

/**
 * `initialize` then `tools/list` (and `prompts/list`, `resources/list` when advertised) through the
 * MCP SDK client, as VS Code's own client would, within
 * `timeoutMs` for the whole. Never throws: a failure comes back classified (401, 403, time-out,
 * name not resolved, TLS, ...).
 */
export async function probeServer(url: string, options: ProbeOptions): Promise<ProbeOutcome> {
  const started = performance.now();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('probe timed out')), options.timeoutMs);
  const onCancel = () => timeout.abort(new Error('probe cancelled'));
  options.signal?.addEventListener('abort', onCancel, { once: true });
  const signal = timeout.signal;
  let lastResponse: LastResponse | undefined;
  let initialized: ServerIdentity | undefined;
  const send = options.fetch ?? fetch;
  const client = new Client({ name: 'remote-mcp-functions-probe', version: '1.0.0' });
  const transport = new ProbeTransport(new URL(url), {
    requestInit: { headers: options.headers ?? {} },
    fetch: async (input, init) => {
      const response = await send(input, init);
      if (init?.method === 'POST') {
        lastResponse = {
          status: response.status,
          wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
        };
      }
      return response;
    },
  });
  try {
    if (options.signal?.aborted) throw new Error('probe cancelled');
    await client.connect(transport, { signal, timeout: options.timeoutMs });
    initialized = {
      serverName: client.getServerVersion()?.name,
      serverVersion: client.getServerVersion()?.version,
      protocolVersion: transport.protocolVersion,
    };
    // All three lists at once: the probe takes no round trip more than tools/list alone.
    const [{ tools }, { prompts, resources }] = await Promise.all([
      client.listTools(undefined, { signal, timeout: options.timeoutMs }),
      listPromptsAndResources(client, { signal, timeout: options.timeoutMs }),
    ]);
    return {
      ok: true,
      ...initialized,
      tools: tools.map((tool) => ({ name: tool.name, description: tool.description ?? '' })),
      ...(prompts ? { prompts } : {}),
      ...(resources ? { resources } : {}),
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      ok: false,
      failure: classifyProbeFailure(error, {
        lastResponse,
        cancelled: options.signal?.aborted === true,
        timedOut: signal.aborted && options.signal?.aborted !== true,
        timeoutMs: options.timeoutMs,
      }),
      latencyMs: Math.round(performance.now() - started),
      ...(initialized ? { initialized } : {}),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
    await client.close().catch(() => undefined);
  }
}

/**
 * Prompts and resources, asked only of a server that advertises them in `initialize` (MCP
 * lifecycle: a client must not use a capability the server did not declare), alongside tools/list.
 * They add to what the view shows: a server that fails to list them is still reachable, so a
 * failure leaves the count out rather than failing the probe.
 */
async function listPromptsAndResources(
  client: Client,
  options: { signal: AbortSignal; timeout: number },
): Promise<Pick<ServerCatalog, 'prompts' | 'resources'>> {
  const capabilities = client.getServerCapabilities();
  const [prompts, resources] = await Promise.all([
    capabilities?.prompts
      ? client
          .listPrompts(undefined, options)
          .then(({ prompts: listed }) =>
            listed.map((prompt) => ({ name: prompt.name, description: prompt.description ?? '' })),
          )
          .catch(() => undefined)
      : undefined,
    capabilities?.resources
      ? client
          .listResources(undefined, options)
          .then(({ resources: listed }) =>
            listed.map((resource) => ({ name: resource.name, description: resource.uri })),
          )
          .catch(() => undefined)
      : undefined,
  ]);
  return { ...(prompts ? { prompts } : {}), ...(resources ? { resources } : {}) };
}

/** {@link probeServer} for callers that want the catalogue or an error (the local server's tool list). */
export async function probeMcpServer(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<ProbeResult> {
  const outcome = await probeServer(url, { headers, timeoutMs });
  if (!outcome.ok) throw new Error(`Could not list the tools at ${url}: ${outcome.failure.detail}`);
  return outcome;
}
