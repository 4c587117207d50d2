// What a server's source code says about the two things Functions cares about (issue 13, point 3):
// the port it listens on, and whether its Streamable HTTP transport keeps sessions. Read from the
// text, line by line: the forms the SDK samples and their users write, not a parser of the language.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface SourceFile {
  /** Relative to the project folder, `/`-separated. */
  file: string;
  text: string;
}

/** A place in a source file, for messages ("src/index.ts:42"). */
export interface SourceLine {
  file: string;
  /** 1-based. */
  line: number;
  text: string;
}

/** The environment variables Functions sets for a custom handler's port; the samples read one of them. */
export type PortVariable = 'PORT' | 'FUNCTIONS_CUSTOMHANDLER_PORT';

export interface PortFinding {
  /** The port the server listens on when nothing is set, if the code says. */
  port?: number;
  /** `sdkDefault`: FastMCP's own default (8000) because the code names no port. */
  source: 'code' | 'sdkDefault';
  /** Which of the variables the code reads; empty when it listens on a fixed port. */
  reads: PortVariable[];
  /** Where the port is set, for messages. */
  at?: SourceLine;
}

export async function readSources(folder: string, files: readonly string[]): Promise<SourceFile[]> {
  const read = await Promise.all(
    files.map(async (file) => ({
      file,
      text: await readFile(path.join(folder, file), 'utf8').catch(() => ''),
    })),
  );
  return read.filter((source) => source.text !== '');
}

/** Lines without their comments, so a commented-out `listen(8080)` does not count. */
function* codeLines(source: SourceFile, language: 'node' | 'python'): Generator<SourceLine> {
  const lines = source.text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const text = language === 'python' ? raw.replace(/(^|\s)#.*$/, '') : raw.replace(/(^|[^:])\/\/.*$/, '$1');
    if (text.trim() !== '') yield { file: source.file, line: index + 1, text: text.trim() };
  }
}

const portLiteral = String.raw`['"]?(\d{2,5})['"]?`;
const nodeVariable = String.raw`process\.env(?:\.|\[['"])(PORT|FUNCTIONS_CUSTOMHANDLER_PORT)\b`;
const pythonVariable = String.raw`os\.(?:environ\.get|getenv)\(\s*['"](PORT|FUNCTIONS_CUSTOMHANDLER_PORT)['"]|os\.environ\[\s*['"](PORT|FUNCTIONS_CUSTOMHANDLER_PORT)['"]`;

/**
 * The port: the variables the code reads (`process.env.PORT ?? 3000`, `os.environ.get("PORT", 8000)`)
 * with their default, else a literal (`.listen(3000)`, `port=8000`), else for FastMCP its default
 * 8000. Undefined when the code says nothing the reader recognises: the caller asks.
 */
export function findPort(
  sources: readonly SourceFile[],
  language: 'node' | 'python',
): PortFinding | undefined {
  const reads = new Set<PortVariable>();
  let withDefault: { port: number; at: SourceLine } | undefined;
  let firstRead: SourceLine | undefined;
  let literal: { port: number; at: SourceLine } | undefined;
  let fastMcp = false;
  const variable = new RegExp(language === 'node' ? nodeVariable : pythonVariable, 'g');
  const nodeDefault = new RegExp(`${nodeVariable}[^;\\n]*?(?:\\?\\?|\\|\\|)\\s*${portLiteral}`);
  const pythonDefault = new RegExp(`(?:${pythonVariable})\\s*,\\s*${portLiteral}\\s*\\)`);
  const literalForm =
    language === 'node'
      ? new RegExp(`\\.listen\\(\\s*${portLiteral}\\s*[,)]|\\bport\\s*[:=]\\s*${portLiteral}\\s*[,;)}]?\\s*$`)
      : new RegExp(`\\bport\\s*=\\s*${portLiteral}\\s*[,)]?|\\bPORT\\s*=\\s*${portLiteral}\\s*$`);
  for (const source of sources) {
    for (const at of codeLines(source, language)) {
      const names = [...at.text.matchAll(variable)].map((match) => (match[1] ?? match[2]) as PortVariable);
      for (const name of names) reads.add(name);
      if (names.length > 0) firstRead ??= at;
      const defaulted = at.text.match(language === 'node' ? nodeDefault : pythonDefault);
      const defaultPort = defaulted
        ? Number(
            defaulted
              .slice(1)
              .reverse()
              .find((group) => /^\d+$/.test(group ?? '')),
          )
        : NaN;
      if (!withDefault && validPort(defaultPort)) withDefault = { port: defaultPort, at };
      const fixed = names.length === 0 ? at.text.match(literalForm) : null;
      const fixedPort = fixed ? Number(fixed.slice(1).find((group) => group !== undefined)) : NaN;
      if (!literal && validPort(fixedPort)) literal = { port: fixedPort, at };
      if (/\bFastMCP\s*\(/.test(at.text)) fastMcp = true;
    }
  }
  const variables = (['PORT', 'FUNCTIONS_CUSTOMHANDLER_PORT'] as const).filter((name) => reads.has(name));
  if (withDefault) return { port: withDefault.port, source: 'code', reads: variables, at: withDefault.at };
  if (variables.length > 0)
    return { ...(literal ? { port: literal.port } : {}), source: 'code', reads: variables, at: firstRead };
  if (literal) return { port: literal.port, source: 'code', reads: [], at: literal.at };
  // FastMCP listens on 8000 unless told otherwise (python-sdk README, "Streamable HTTP Transport").
  if (language === 'python' && fastMcp) return { port: 8000, source: 'sdkDefault', reads: [] };
  return undefined;
}

export function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** What the code says about sessions: what a stateful server is told to change, and where. */
export interface TransportFinding {
  mode: 'stateless' | 'stateful' | 'unknown';
  sdk: 'typescript' | 'python-mcp' | 'fastmcp' | 'unknown';
  /** Where the session behaviour is set (`sessionIdGenerator:`, `FastMCP(`), when found. */
  at?: SourceLine;
}

/**
 * TypeScript SDK: `sessionIdGenerator: undefined` is stateless, any other generator keeps sessions.
 * Python: FastMCP keeps sessions unless `stateless_http=True` is passed (python-sdk README,
 * "Streamable HTTP Transport"; FastMCP 2.x takes it in the constructor or in `run`).
 */
export function findTransportMode(
  sources: readonly SourceFile[],
  language: 'node' | 'python',
): TransportFinding {
  if (language === 'node') {
    for (const source of sources)
      for (const at of codeLines(source, language)) {
        const generator = at.text.match(/\bsessionIdGenerator\s*:\s*([^,}]+)/);
        if (generator?.[1])
          return {
            mode: generator[1].trim() === 'undefined' ? 'stateless' : 'stateful',
            sdk: 'typescript',
            at,
          };
      }
    return { mode: 'unknown', sdk: 'typescript' };
  }
  let created: { at: SourceLine; sdk: TransportFinding['sdk'] } | undefined;
  const standalone = sources.some((source) =>
    /^\s*(from\s+fastmcp\s+import|import\s+fastmcp\b)/m.test(source.text),
  );
  for (const source of sources)
    for (const at of codeLines(source, language)) {
      if (/\bstateless_http\s*=\s*True\b/.test(at.text))
        return { mode: 'stateless', sdk: standalone ? 'fastmcp' : 'python-mcp', at };
      if (!created && /\bFastMCP\s*\(/.test(at.text))
        created = { at, sdk: standalone ? 'fastmcp' : 'python-mcp' };
    }
  return created ? { mode: 'stateful', ...created } : { mode: 'unknown', sdk: 'unknown' };
}

/** The one-line change that makes the server stateless, for the SDK at hand. */
export function statelessChange(finding: TransportFinding, language: 'node' | 'python'): string {
  const where = finding.at
    ? ` in ${finding.at.file} line ${finding.at.line} (now: \`${finding.at.text}\`)`
    : '';
  if (language === 'node')
    return `create the transport with \`new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })\`${where}`;
  if (finding.sdk === 'fastmcp')
    return `run it with \`mcp.run(transport="http", stateless_http=True)\` (FastMCP 2.x)${where}`;
  return `create it with \`FastMCP("name", stateless_http=True)\`${where}`;
}
