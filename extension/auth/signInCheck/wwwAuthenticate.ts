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
  let current: AuthChallenge | undefined;
  const token = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
  let i = 0;
  const skip = (pattern: RegExp) => {
    pattern.lastIndex = i;
    pattern.exec(header);
    i = pattern.lastIndex;
  };
  while (i < header.length) {
    skip(/[\s,]*/y);
    if (i >= header.length) break;
    token.lastIndex = i;
    const name = token.exec(header)?.[0];
    if (!name) {
      i++;
      continue;
    }
    i = token.lastIndex;
    const afterName = i;
    skip(/[ \t]*/y);
    if (header[i] === '=' && header[i + 1] !== '=' && current) {
      i++;
      skip(/[ \t]*/y);
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < header.length) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        const bare = /[^\s,]*/y;
        bare.lastIndex = i;
        value = bare.exec(header)?.[0] ?? '';
        i = bare.lastIndex;
      }
      current.params[name.toLowerCase()] = value;
      continue;
    }
    current = { scheme: name, params: {} };
    challenges.push(current);
    i = afterName;
    const token68 = /[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*(?=,|$)/y;
    token68.lastIndex = i;
    const match = token68.exec(header);
    if (match?.[1]) {
      current.token68 = match[1];
      i = token68.lastIndex;
    }
  }
  return challenges;
}

/** The Bearer challenge among those a response lists, if any. */
export function bearerChallenge(header: string | null | undefined): AuthChallenge | undefined {
  return parseWwwAuthenticate(header ?? '').find((challenge) => challenge.scheme.toLowerCase() === 'bearer');
}
