// Every package a source file imports is declared by the package that owns the file:
// server/package.json for server/src (the Functions app that azd builds and deploys on its own), the
// root package.json for extension/, shared/, test/ and server/dev (the `npm start` and sample-invoice
// tooling: run and bundled from the root, and left out of the deployment by server/.funcignore).
// npm hoists one workspace's dependencies where the other can reach them, so an undeclared import
// works here and breaks wherever the other is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { importSpecifiers, isFixturePackage, sourceFiles } from '../support/sourceImports';

const root = path.resolve(__dirname, '../..');
const scannedFolders = ['extension', 'server', 'shared', 'test'];
/** The package a bare specifier names: `@scope/name` or `name`, without the path inside it. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return undefined;
  if (specifier === 'vscode') return undefined; // provided by VS Code at run time
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importedPackages(source: string): string[] {
  return importSpecifiers(source)
    .map(packageOf)
    .filter((name) => name !== undefined);
}

function declared(manifest: string): Set<string> {
  const json = JSON.parse(readFileSync(path.join(root, manifest), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  return new Set([...Object.keys(json.dependencies ?? {}), ...Object.keys(json.devDependencies ?? {})]);
}

const owners = { server: 'server/package.json', other: 'package.json' } as const;
type Manifest = (typeof owners)[keyof typeof owners];

function ownerOf(relativeFile: string): Manifest {
  return relativeFile.startsWith('server/src/') ? owners.server : owners.other;
}

function undeclaredImports(): string[] {
  const declarations = new Map<Manifest, Set<string>>([
    [owners.server, declared(owners.server)],
    [owners.other, declared(owners.other)],
  ]);
  const problems: string[] = [];
  for (const folder of scannedFolders) {
    for (const file of sourceFiles(path.join(root, folder))) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      const owner = ownerOf(relative);
      for (const name of new Set(importedPackages(readFileSync(file, 'utf8')))) {
        if (!declarations.get(owner)?.has(name))
          problems.push(`${relative} imports ${name}, not declared in ${owner}`);
      }
    }
  }
  return problems;
}

test('every imported package is declared by the package that owns the importing file', () => {
  assert.deepEqual(undeclaredImports(), []);
});

test('the scan sees imports of every kind', () => {
  const source = [
    "import type { A } from '@scope/pkg/sub.js';",
    "export * from 'left';",
    "const b = await import('right');",
    "const c = require('lodash/fp');",
    "const d = require.resolve('fonts/regular.ttf');",
    "const e = requireHere('azurite/dist/constants.js');",
    "const f = require.resolve('express/package.json', { paths: ['server'] });",
    "import { readFileSync } from 'node:fs';",
    "import path from 'path';",
    "import * as vscode from 'vscode';",
    "import { mcpRoutes } from '../../shared/mcpRoutes';",
  ].join('\n');
  assert.deepEqual(importedPackages(source), ['@scope/pkg', 'left', 'right', 'lodash', 'fonts', 'azurite']);
});

test('fixture projects below test/fixtures are separate packages, left out of the scan', () => {
  const fixtures = path.join(root, 'test/fixtures/projects');
  assert.equal(isFixturePackage(path.join(fixtures, 'node-self-hosted')), true);
  assert.equal(isFixturePackage(fixtures), false, 'a folder without package.json is scanned');
  assert.equal(isFixturePackage(path.join(root, 'server')), false, 'only below test/fixtures');
  assert.deepEqual(
    sourceFiles(fixtures).filter((file) => file.includes(`${path.sep}node-self-hosted${path.sep}`)),
    [],
  );
});
