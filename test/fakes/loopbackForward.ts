// One request forwarded to an http server on 127.0.0.1, its body and its answer streamed both ways
// (event streams included): what every front-end stand-in here does behind its own rule (the TLS
// front of a function app, the Functions key gate, App Service built-in auth, the API Management
// gateway, the suite's observers).
import http from 'node:http';

export interface LoopbackForward {
  port: number;
  /** The path sent on; the request's own by default. */
  path?: string;
  /** The headers sent on; the request's own by default. */
  headers?: http.OutgoingHttpHeaders;
  /** Sends the status line and headers at once, so an event stream starts before its first event. */
  flushHeaders?: boolean;
  /** Ends the call behind when the client goes away (a closed event stream). */
  followClient?: boolean;
  /** Hears the status of the answer from behind before it is relayed. */
  onStatus?(status: number | undefined): void;
  /** Answers when nothing listens behind. */
  unreachable(res: http.ServerResponse): void;
}

export function forwardToLoopback(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: LoopbackForward,
): void {
  const upstream = http.request(
    {
      host: '127.0.0.1',
      port: options.port,
      method: req.method,
      path: options.path ?? req.url,
      headers: options.headers ?? req.headers,
    },
    (answer) => {
      options.onStatus?.(answer.statusCode);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (options.flushHeaders) res.flushHeaders();
      answer.pipe(res);
    },
  );
  upstream.on('error', () => options.unreachable(res));
  if (options.followClient) res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

/** The 502 with a JSON `error` a front end answers when nothing listens behind it. */
export function badGateway(message: string): (res: http.ServerResponse) => void {
  return (res) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: message }));
  };
}
