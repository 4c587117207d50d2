import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';

const loopbackHostnames = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * DNS-rebinding protection: a web page on another site can reach a loopback server by pointing
 * its own name at 127.0.0.1, so only requests addressed to known host names are served.
 */
export function allowedHostsGuard(extraHosts: readonly string[]): RequestHandler {
  return hostHeaderValidation([...loopbackHostnames, ...extraHosts.map(bracketIpv6)]);
}

/** Browsers send Origin; a page from a foreign origin must not drive the tools. Non-browser clients send none. */
export function allowedOriginsGuard(extraOrigins: readonly string[]): RequestHandler {
  const extra = new Set(extraOrigins.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || isLoopbackOrigin(origin) || extra.has(origin.toLowerCase())) {
      next();
      return;
    }
    sendJsonRpcError(res, 403, `Origin ${origin} is not allowed. Add it to MCP_ALLOWED_ORIGINS to allow it.`);
  };
}

/**
 * Requires the key the way the Functions host requires the `mcp_extension` system key: in the
 * `x-functions-key` header or the `code` query parameter.
 */
export function functionKeyGuard(key: string): RequestHandler {
  const expected = digest(key);
  return (req, res, next) => {
    const header = req.headers['x-functions-key'];
    const query = req.query.code;
    const offered = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
    // Comparing digests keeps the comparison constant-time whatever the offered length.
    if (offered !== undefined && timingSafeEqual(digest(offered), expected)) {
      next();
      return;
    }
    sendJsonRpcError(
      res,
      401,
      offered === undefined
        ? 'This MCP server requires a key: send it in the x-functions-key header or the code query parameter.'
        : 'The key sent with this request is not valid for this MCP server.',
    );
  };
}

export function sendJsonRpcError(res: Response, status: number, message: string, code = -32000): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return loopbackHostnames.includes(new URL(origin).hostname);
  } catch {
    return false;
  }
}

function bracketIpv6(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
