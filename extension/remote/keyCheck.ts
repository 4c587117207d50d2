export type KeyCheck =
  | { outcome: 'accepted' }
  | { outcome: 'refused'; status: number }
  | { outcome: 'unreachable'; reason: string };

/**
 * Asks the server whether it takes the key, with the cheapest MCP request there is (initialize),
 * before VS Code's client is handed the key: a rotated key is then found and replaced up front.
 */
export async function checkFunctionKey(endpoint: string, key: string, timeoutMs = 15_000): Promise<KeyCheck> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'x-functions-key': key,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'remote-mcp-key-check', version: '1' },
        },
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403)
      return { outcome: 'refused', status: response.status };
    return { outcome: 'accepted' };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      outcome: 'unreachable',
      reason: cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)),
    };
  }
}
