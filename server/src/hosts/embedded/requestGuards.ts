import { isUtf8 } from 'node:buffer';
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

/** The error type `invalidUtf8Guard` gives body-parser, so the error handler can word the answer. */
export const invalidUtf8ErrorType = 'encoding.invalid.utf8';

/**
 * express.json's `verify` hook: it sees the raw bytes before body-parser decodes them, which would
 * replace every byte that is not UTF-8 with U+FFFD and so alter a saved snippet without a word.
 * JSON exchanged between systems must be UTF-8 (https://www.rfc-editor.org/rfc/rfc8259#section-8.1).
 */
export function invalidUtf8Guard(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8' || isUtf8(body)) return;
  const offset = firstInvalidUtf8Offset(body);
  const byte = (body[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  throw Object.assign(
    new Error(
      `The request body is not valid UTF-8: byte 0x${byte} at offset ${offset} is not part of a well-formed ` +
        `UTF-8 sequence; send the JSON encoded as UTF-8.`,
    ),
    { type: invalidUtf8ErrorType },
  );
}

/**
 * Where the first ill-formed UTF-8 sequence starts, by the well-formed byte sequences of the Unicode
 * Standard, Table 3-7 (section 3.9, https://www.unicode.org/versions/Unicode15.0.0/ch03.pdf). Written
 * out because TextDecoder and buffer.isUtf8 say only whether the bytes are valid, not where they fail.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    // The range of the second byte; later ones are always 0x80-0xBF.
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0; // no overlong forms
      if (lead === 0xed) high = 0x9f; // no surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90; // no overlong forms
      if (lead === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
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
