// Reading a user's project files for recognition. A file that is absent is normal; a file that is
// there but unreadable or not JSON is a problem the user sees, never silently skipped.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ProjectProblem } from './mcpProject';

export type JsonObject = Record<string, unknown>;

/** Collects the problems found while reading one workspace. */
export class ProblemList {
  readonly items: ProjectProblem[] = [];
  add(file: string, message: string): void {
    if (!this.items.some((item) => item.file === file && item.message === message))
      this.items.push({ file, message });
  }
}

/** The file's text, or undefined when there is no such file (any other read error is a problem). */
export async function readText(file: string, problems: ProblemList): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    problems.add(
      file,
      `${path.basename(file)} could not be read (${code ?? String(error)}). ` +
        'Check that the file is readable by you, then reload the window.',
    );
    return undefined;
  }
}

/**
 * A JSON object file, read as the Functions host reads host.json: comments and trailing commas are
 * accepted (the host parses with Json.NET, which allows both), so only real syntax errors count.
 * `jsonc-parser` does this and reports where each error is, which plain JSON.parse does not.
 */
export async function readJsonObject(file: string, problems: ProblemList): Promise<JsonObject | undefined> {
  const text = await readText(file, problems);
  if (text === undefined) return undefined;
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const name = path.basename(file);
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    problems.add(
      file,
      `${name} is not valid JSON: ${describeParseError(printParseErrorCode(first.error))} at line ${line}, ` +
        `column ${column}. Fix the JSON there (comments are fine; quotes, commas and brackets must match).`,
    );
    return undefined;
  }
  if (!isObject(value)) {
    problems.add(
      file,
      `${name} must hold a JSON object ({ … }), but holds ${describeValue(value)}. Write it as an object.`,
    );
    return undefined;
  }
  return value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Looks a property up by name regardless of case, as the Functions host binds host.json options. */
export function property(object: unknown, name: string): unknown {
  if (!isObject(object)) return undefined;
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** The sub-folders of `dir` (names only), or none when it cannot be listed. */
export async function subFolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** The files of `dir` (names only), or none when it cannot be listed. */
export async function filesIn(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** `CommaExpected` → `comma expected`. */
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
