// WWW-Authenticate as RFC 9110 §11.6.1 defines it. Not the MCP SDK's extractWWWAuthenticateParams:
// that one reads a header only when its first challenge is Bearer, matches parameter names by case
// and keeps escapes in quoted values, and it returns neither error_description nor the other
// challenges. App Service can list several challenges, and the report quotes error_description.

export interface AuthChallenge {
  scheme: string;
  /** Parameter names in lower case; quoted values unescaped. */
  params: Record<string, string>;
  token68?: string;
}

/**
 * Parses a WWW-Authenticate value: several challenges separated by commas, each a scheme then a
 * token68 or comma-separated name=value / name="quoted \"value\"" parameters.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  const cursor = new Cursor(header);
  for (cursor.take(separators); !cursor.done; cursor.take(separators)) {
    const name = cursor.take(token)?.[0];
    if (!name) {
      cursor.at++; // Not a token: skipped, as a lenient reader does.
      continue;
    }
    const current = challenges.at(-1);
    if (current && cursor.take(equalsSign)) {
      current.params[name.toLowerCase()] = parameterValue(cursor);
      continue;
    }
    const token68 = cursor.take(token68AfterScheme)?.[1];
    challenges.push({ scheme: name, params: {}, ...(token68 ? { token68 } : {}) });
  }
  return challenges;
}

/** The Bearer challenge among those a response lists, if any. */
export function bearerChallenge(header: string | null | undefined): AuthChallenge | undefined {
  return parseWwwAuthenticate(header ?? '').find((challenge) => challenge.scheme.toLowerCase() === 'bearer');
}

const separators = /[\s,]*/y;
const token = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
/** `=` but not the start of a token68's `==` padding. */
const equalsSign = /[ \t]*=(?!=)[ \t]*/y;
const quotedString = /"((?:[^"\\]|\\.)*)"?/y;
const bareValue = /[^\s,]*/y;
const token68AfterScheme = /[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*(?=,|$)/y;

function parameterValue(cursor: Cursor): string {
  const quoted = cursor.take(quotedString);
  if (quoted) return (quoted[1] ?? '').replace(/\\(.)/g, '$1');
  return cursor.take(bareValue)?.[0] ?? '';
}

/** A position in the header; `take` matches a sticky pattern there and moves past what it matched. */
class Cursor {
  at = 0;

  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.at >= this.text.length;
  }

  take(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.at;
    const match = pattern.exec(this.text);
    if (match) this.at = pattern.lastIndex;
    return match;
  }
}
