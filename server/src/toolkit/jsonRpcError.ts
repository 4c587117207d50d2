/**
 * The SDK answers a handler's error with its numeric `code` and its `message`. McpError would put
 * "MCP error -32602: " in front of the message, and the SDK client adds that prefix again.
 */
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A request's params as an object to read fields from; anything else reads as no fields. */
export function requestParams(params: unknown): Record<string, unknown> {
  return typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
}
