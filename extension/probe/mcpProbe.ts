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

export interface ProbeResult extends ServerIdentity {
  tools: { name: string; description: string }[];
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
 * `initialize` then `tools/list` through the MCP SDK client, as VS Code's own client would, within
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
    const { tools } = await client.listTools(undefined, { signal, timeout: options.timeoutMs });
    return {
      ok: true,
      ...initialized,
      tools: tools.map((tool) => ({ name: tool.name, description: tool.description ?? '' })),
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

/** {@link probeServer} for callers that want the tools or an error (the local server's tool list). */
export async function probeMcpServer(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<ProbeResult> {
  const outcome = await probeServer(url, { headers, timeoutMs });
  if (!outcome.ok) throw new Error(`Could not list the tools at ${url}: ${outcome.failure.detail}`);
  return outcome;
}
