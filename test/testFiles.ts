// Which test files the node runner runs, found by their names: tests sit beside what they test
// (test/extension/<capability>/, test/server/<area>/, test/infra/, …) and say their tier in their
// name, so the runner looks everywhere under test/ and goes by that name alone.
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The tiers node runs: plain-Node units, tests over real HTTP and processes, and self-tests of fakes. */
const NODE_TIER = /\.(unit|integration|selftest)\.test\.ts$/;
const UNIT_TIER = /\.unit\.test\.ts$/;
/** Tests that run inside a real VS Code, loaded by test/vscode/suite/index.ts, never by node. */
export const VSCODE_TIER = /\.vscode\.test\.ts$/;

export const TIER_RULE =
  'a test file is named <subject>.unit.test.ts, <subject>.integration.test.ts, ' +
  '<subject>.selftest.test.ts (a test of a fake) or <subject>.vscode.test.ts';

export interface TestFiles {
  /** What node runs: the unit tests first, then the rest, each group in path order. */
  nodeFiles: string[];
  /** The VS Code suite's files, in path order. */
  vscodeFiles: string[];
  /** `*.test.ts` files whose name says no tier: no runner would ever run them. */
  misnamed: string[];
}

/** Every `*.test.ts` below `dir`, skipping dot folders (tool caches) and node_modules. */
function allTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name.startsWith('.') || entry.name === 'node_modules' ? [] : allTestFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function findTestFiles(testDir: string): TestFiles {
  const files = allTestFiles(testDir).sort(byPath);
  const nodeFiles = files.filter((file) => NODE_TIER.test(file));
  return {
    nodeFiles: [
      ...nodeFiles.filter((file) => UNIT_TIER.test(file)),
      ...nodeFiles.filter((file) => !UNIT_TIER.test(file)),
    ],
    vscodeFiles: files.filter((file) => VSCODE_TIER.test(file)),
    misnamed: files.filter((file) => !NODE_TIER.test(file) && !VSCODE_TIER.test(file)),
  };
}
