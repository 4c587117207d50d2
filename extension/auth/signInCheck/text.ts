// Text the steps put in the report: code spans, server answers cut short, and never a token.

/** A code span; a backtick inside would end it early. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** A server's answer, one line, at most 300 characters: redacted first, so no part of a token survives the cut. */
export function excerpt(text: string, token?: string): string {
  const flat = redact(text, token).replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A JWT, or any part of one: base64url JSON ("{\"...") with its dots. */
const jwtPattern = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)*/g;

/** The token itself and anything shaped like a JWT become `[token]`. */
export function redact(text: string, token: string | undefined): string {
  const withoutToken = token ? text.split(token).join('[token]') : text;
  return withoutToken.replace(jwtPattern, '[token]');
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
