// Resource URIs and URI templates as the Functions MCP extension checks and matches them
// (Azure/azure-functions-mcp-extension: src/Microsoft.Azure.Functions.Extensions.Mcp/ResourceUriHelper.cs).

const templateExpression = /\{[^{}]+\}/g;

export function templateParameterNames(uri: string): string[] {
  return [...uri.matchAll(templateExpression)].map((match) => match[0].slice(1, -1));
}

/** ResourceUriHelper.Validate: undefined when usable, else the reason, worded as the extension words it. */
export function validateResourceUri(uri: string): string | undefined {
  if (uri.trim() === '') return 'Resource URI cannot be null or whitespace.';
  const parameters = templateParameterNames(uri);
  if (parameters.length > 0) {
    if (count(uri, '{') !== count(uri, '}')) return 'Resource URI template has unbalanced braces.';
    const matches = [...uri.matchAll(templateExpression)];
    for (let i = 0; i < matches.length - 1; i++) {
      const current = matches[i];
      if (current && (current.index ?? 0) + current[0].length === matches[i + 1]?.index) {
        return 'Resource URI template expressions must be separated by at least one literal character or delimiter.';
      }
    }
    const sanitized = parameters.map(sanitize);
    const collision = sanitized.find(
      (name, index) => sanitized.findIndex((other) => other.toLowerCase() === name.toLowerCase()) !== index,
    );
    if (collision)
      return `Resource URI template has duplicate or colliding parameter names resolving to '${collision}'.`;
    for (const parameter of parameters) {
      if (parameter.trim() === '') return 'Resource URI template parameters cannot be empty.';
      if (/[/#?& ]/.test(parameter))
        return `Resource URI template parameter '${parameter}' contains invalid characters.`;
      if (/%7[bd]/i.test(parameter))
        return `Resource URI template parameter '${parameter}' contains encoded braces.`;
    }
  } else if (uri.includes('{') || uri.includes('}')) {
    return 'Resource URI contains malformed template syntax (unmatched or empty braces).';
  }
  // .NET's Uri.TryCreate(..., UriKind.Absolute) needs a scheme; URL is the nearest check here.
  const concrete = uri.replace(templateExpression, 'template');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(concrete) || !URL.canParse(concrete))
    return `Invalid resource URI format: '${uri}'`;
  return undefined;
}

/**
 * ResourceUriHelper.BuildRegexCore: literal text escaped, each parameter a named group that stops
 * at `/ ? #` (or at `& #` inside a query), anchored, ignoring case.
 */
export function resourceUriMatcher(uriTemplate: string): RegExp {
  let source = '';
  let i = 0;
  while (i < uriTemplate.length) {
    if (uriTemplate[i] === '{') {
      const end = uriTemplate.indexOf('}', i + 1);
      const previous = i === 0 ? '' : uriTemplate[i - 1];
      const stop = previous === '?' || previous === '&' ? '[^&#]+' : '[^/?#]+';
      source += `(${stop})`;
      i = end + 1;
      continue;
    }
    source += uriTemplate.charAt(i).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${source}$`, 'i');
}

/** The template's parameter values in a matching URI, or undefined when it does not match. */
export function extractTemplateValues(
  matcher: RegExp,
  parameters: readonly string[],
  uri: string,
): Record<string, string> | undefined {
  const match = matcher.exec(uri);
  if (!match) return undefined;
  return Object.fromEntries(parameters.map((name, index) => [name, match[index + 1] ?? '']));
}

function sanitize(parameter: string): string {
  return parameter.replace(/[^A-Za-z0-9_]/g, '_');
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
