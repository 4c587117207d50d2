// The whole test suite: plain-Node unit, integration and self-tests through node's test runner, then
// the suite inside a real VS Code. Prints one closing line, "N passed, N failed", over all of them.
// Arguments narrow the node tests to the files whose path contains one of them.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { runExtensionSuite } from './vscode/runExtensionSuite';
import { TIER_RULE, findTestFiles } from './testFiles';

const root = path.resolve(__dirname, '..');

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

async function runNodeTests(files: string[]): Promise<Counts> {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  // Integration tests start servers and Azurite; one file at a time keeps ports and CPU predictable on 2 cores.
  const stream = run({ files, concurrency: 1, timeout: 10 * 60_000 });
  // node's runner reports a skipped test or suite as passed, with `skip` set: counted apart, so a
  // skip never reads as a pass (a whole skipped suite counts once).
  stream.on('test:pass', (event: { skip?: unknown; todo?: unknown; details?: { type?: string } }) => {
    if (event.skip !== undefined || event.todo !== undefined) counts.skipped++;
    else if (event.details?.type !== 'suite') counts.passed++;
  });
  stream.on('test:fail', (event: { details?: { type?: string } }) => {
    if (event.details?.type !== 'suite') counts.failed++;
  });
  await pipeline(stream, new spec(), process.stdout, { end: false });
  return counts;
}

async function main(): Promise<void> {
  const filter = process.argv.slice(2);
  const selected = (file: string) => filter.length === 0 || filter.some((f) => file.includes(f));
  const { nodeFiles, misnamed } = findTestFiles(path.join(root, 'test'));
  const total = await runNodeTests(nodeFiles.filter(selected));
  // A file no tier claims would never run and never fail; it fails here instead, by name.
  const unrunnable = misnamed.filter(selected);
  for (const file of unrunnable) console.log(`✖ ${path.relative(root, file)} never runs: ${TIER_RULE}`);
  total.failed += unrunnable.length;
  // The real VS Code suite runs with the full suite, or when asked for by name (`test/run.ts vscode`).
  if (filter.length === 0 || filter.includes('vscode')) {
    const vscode = await runExtensionSuite((line) => console.log(line)).catch((error: unknown) => {
      console.log(
        `✖ the VS Code suite could not run: ${error instanceof Error ? error.message : String(error)}`,
      );
      return { passed: 0, failed: 1, failures: [] };
    });
    console.log(`VS Code suite: ${vscode.passed} passed, ${vscode.failed} failed`);
    for (const failure of vscode.failures) console.log(`  ✖ ${failure}`);
    total.passed += vscode.passed;
    total.failed += vscode.failed;
  }
  console.log(
    `\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
  );
  process.exitCode = total.failed > 0 || total.passed === 0 ? 1 : 0;
}

void main();
