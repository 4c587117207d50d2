// No import cycles in the extension, the server and shared/, type-only imports included. The lint
// rule import-x/no-cycle (eslint.config.mjs) follows only imports that stay in the bundles; this also
// follows `import type`, so the toolkit cannot come to name a domain type that imports the toolkit,
// nor a sign-in step a type of the context that names the step's types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { importSpecifiers, sourceFiles } from '../support/sourceImports';

const root = path.resolve(__dirname, '../..');
const checkedFolders = ['extension', 'server', 'shared'];

/** The file a relative specifier names, as esbuild and TypeScript resolve it; undefined for packages. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => existsSync(candidate));
}

type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Each cycle once, as the files around it starting from the first in sort order. */
function cyclesIn(graph: ImportGraph): string[][] {
  const cycles = new Map<string, string[]>();
  const onPath: string[] = [];
  const done = new Set<string>();
  const visit = (file: string): void => {
    const index = onPath.indexOf(file);
    if (index >= 0) {
      const cycle = onPath.slice(index);
      const start = cycle.indexOf([...cycle].sort()[0] ?? file);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(rotated.join(' -> '), rotated);
      return;
    }
    if (done.has(file)) return;
    onPath.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    onPath.pop();
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file);
  return [...cycles.values()];
}

function importGraph(folders: readonly string[]): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const folder of folders) {
    for (const file of sourceFiles(path.join(root, folder))) {
      const imported = importSpecifiers(readFileSync(file, 'utf8'))
        .map((specifier) => resolveRelative(file, specifier))
        .filter((target) => target !== undefined);
      graph.set(
        path.relative(root, file),
        imported.map((target) => path.relative(root, target)),
      );
    }
  }
  return graph;
}

test('the extension, the server and shared/ import no module that imports them back, not even for a type', () => {
  const cycles = cyclesIn(importGraph(checkedFolders)).map((cycle) => cycle.join(' -> '));
  assert.deepEqual(cycles, []);
});

test('a cycle through any number of files is found, and files that merely share an import are not one', () => {
  const graph = new Map([
    ['toolkit/tool.ts', ['toolkit/dependencies.ts']],
    ['toolkit/dependencies.ts', ['weather/openMeteo.ts']],
    ['weather/openMeteo.ts', ['toolkit/tool.ts', 'envSettings.ts']],
    ['tools/getWeather.ts', ['toolkit/tool.ts', 'envSettings.ts']],
    ['envSettings.ts', []],
  ]);
  assert.deepEqual(cyclesIn(graph), [['toolkit/dependencies.ts', 'weather/openMeteo.ts', 'toolkit/tool.ts']]);
});
