// The fetch the MCP SDK's discovery helpers get here: it keeps each URL they try, in order, with
// what it answered, which is what the report lists after "Tried:", and limits each request.
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { code } from './text';

/** Why a request got no answer: the system error code (ECONNREFUSED, ENOTFOUND...) or the message. */
export function requestFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export class TriedUrls {
  /** URL → its status, or why it got none; a URL tried twice keeps its first place. */
  private readonly outcomes = new Map<string, string>();
  private readonly failures = new Map<string, TypeError>();
  private lastUrl: string | undefined;

  constructor(private readonly timeoutMs: number) {}

  /**
   * The SDK retries a request that threw a TypeError without its headers (a CORS retry, for
   * browsers); here it would only fail again, so the retry gets the first failure at once. A
   * time-out becomes such a TypeError too, so discovery goes on to the next URL, as for a server
   * that cannot be reached.
   */
  readonly fetch: FetchLike = async (url, init) => {
    const key = new URL(url).href;
    const earlier = this.failures.get(key);
    if (earlier) throw earlier;
    this.lastUrl = key;
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      this.outcomes.set(key, String(response.status));
      return response;
    } catch (error) {
      const failure = new TypeError('fetch failed', { cause: error });
      this.outcomes.set(key, requestFailure(error));
      this.failures.set(key, failure);
      throw failure;
    }
  };

  /** The SDK threw reading the last answer: it was not JSON, or not the metadata it expects. */
  refuseLastAnswer(error: unknown): void {
    const status = this.lastUrl && this.outcomes.get(this.lastUrl);
    if (!this.lastUrl || !status || !/^2\d\d$/.test(status)) return;
    const why = error instanceof SyntaxError ? 'not JSON' : 'not the expected metadata';
    this.outcomes.set(this.lastUrl, `${status} but ${why}`);
  }

  /** The URL that answered last, when its answer was accepted. */
  get answeredUrl(): string | undefined {
    const outcome = this.lastUrl && this.outcomes.get(this.lastUrl);
    return outcome && /^2\d\d$/.test(outcome) ? this.lastUrl : undefined;
  }

  get count(): number {
    return this.outcomes.size;
  }

  /** What the report lists after "Tried:". */
  get summary(): string {
    return [...this.outcomes].map(([url, outcome]) => `${code(url)} → ${outcome}`).join('; ');
  }
}
