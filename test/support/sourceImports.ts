// Reads what the repository's source files import, for the tests that check its boundaries
// (test/boundaries/): the declared dependencies and the import cycles.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const skippedFolders = new Set(['node_modules', 'dist', '.cache']);

/**
 * A folder below test/fixtures/ with its own package.json is a fixture project: a user's separate
 * package, which declares (and need not install) its own dependencies, and is not ours to scan.
 */
export function isFixturePackage(dir: string): boolean {
  const parts = path.resolve(dir).split(path.sep);
  const fixtures = parts.findIndex((part, index) => part === 'fixtures' && parts[index - 1] === 'test');
  return fixtures !== -1 && parts.length > fixtures + 1 && existsSync(path.join(dir, 'package.json'));
}

/** The TypeScript and JavaScript sources under `dir`, declaration files, build output and fixture packages left out. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return skippedFolders.has(entry.name) || isFixturePackage(full) ? [] : sourceFiles(full);
    return /\.(ts|mts|cts|mjs|cjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * Every module specifier `source` names: static, dynamic and `require` imports, type-only ones
 * included, and files found with `require.resolve` (or a `createRequire` function).
 */
export function importSpecifiers(source: string): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && isImportOrRequire(node.expression)) {
      // A second argument (`{ paths }`) resolves from another package's folder, which declares it.
      const [first, options] = node.arguments;
      if (first && ts.isStringLiteralLike(first) && !options) specifiers.push(first.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      if (ts.isStringLiteral(node.argument.literal)) specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('scanned.ts', source, ts.ScriptTarget.Latest));
  return specifiers;
}

/** `import(…)`, `require(…)`, `require.resolve(…)`, and the same through a `createRequire` function. */
function isImportOrRequire(callee: ts.Expression): boolean {
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  const target =
    ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' ? callee.expression : callee;
  return ts.isIdentifier(target) && /^require/.test(target.text);
}
