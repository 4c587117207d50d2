// The files a Functions app's package.json `main` names: a path or a glob pattern, which the
// Functions Node worker expands with globby (Azure/azure-functions-nodejs-worker: src/startApp.ts).
// Read once here for the Functions app host and the preflight before it. Neither the extension's
// bundle nor the host's can carry globby or fdir, which load picomatch with a runtime require that
// a bundle without node_modules cannot satisfy, and Node 20's path.matchesGlob is experimental (it
// prints a warning); so the forms apps use are handled here: `*`, `**`, `?`, `{a,b}` and `[...]`.
import fs from 'node:fs';
import path from 'node:path';

/** The files under `folder` that `main` names, relative with `/`, sorted like globby's results. */
export function entryFiles(folder: string, main: string): string[] {
  const normalized = main.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!hasMagic(normalized)) {
    return isFile(path.join(folder, normalized)) ? [normalized] : [];
  }
  const segments = normalized.split('/');
  const firstMagic = segments.findIndex(hasMagic);
  const base = segments.slice(0, firstMagic).join('/');
  const matcher = globToRegExp(normalized);
  const found: string[] = [];
  walk(folder, base, (relative) => {
    if (matcher.test(relative)) found.push(relative);
  });
  return found.sort();
}

/** Whether `main` is a pattern rather than a path, for a message that says which it was. */
export function isEntryPattern(main: string): boolean {
  return hasMagic(main);
}

function hasMagic(pattern: string): boolean {
  return /[*?{[]/.test(pattern);
}

function walk(root: string, relative: string, visit: (file: string) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    // globby skips neither, but no app's entry point lives there and walking them is slow.
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, child, visit);
    else if (entry.isFile()) visit(child);
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Translates a glob into an anchored regular expression over `/`-separated relative paths. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more whole directories; a trailing `**` matches anything.
        const slash = pattern[i + 2] === '/';
        source += slash ? '(?:[^/]+/)*' : '.*';
        i += slash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) {
        source += '\\{';
        continue;
      }
      const options = pattern.slice(i + 1, end).split(',');
      source += `(?:${options.map((option) => globToRegExp(option).source.slice(1, -1)).join('|')})`;
      i = end;
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      source += `[${pattern.slice(i + 1, end).replace(/^!/, '^')}]`;
      i = end;
    } else {
      source += ch.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
