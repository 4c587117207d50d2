// The README and the manual in docs/ as a reader follows them: every relative link opens a file of
// the repository (and a heading of it, when the link names one), and the README starts with the
// two commands CI runs (.ci/run runs the README's test command).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function markdownFiles(): string[] {
  const docs = path.join(root, 'docs');
  return [
    path.join(root, 'README.md'),
    ...readdirSync(docs, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.md'))
      .map((name) => path.join(docs, name)),
  ];
}

/** Markdown outside fenced code blocks and inline code, where `[text](target)` is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchor GitHub and VS Code's preview give a heading: lower case, punctuation dropped, spaces to dashes. */
function headingAnchors(markdown: string): Set<string> {
  return new Set(
    [...prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((m) =>
      (m[1] ?? '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

function brokenLinks(file: string): string[] {
  const markdown = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const match of prose(markdown).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = match[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not files of the tree
    const [filePart = '', anchor] = target.split('#');
    const linked = filePart === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(filePart));
    const where = `${path.relative(root, file)}: (${target})`;
    if (!existsSync(linked)) broken.push(`${where} names no file`);
    else if (anchor && linked.endsWith('.md') && !headingAnchors(readFileSync(linked, 'utf8')).has(anchor))
      broken.push(`${where} names no heading of ${path.relative(root, linked)}`);
  }
  return broken;
}

test('every relative link in README.md and docs/ opens a file of the repository, at a heading it has', () => {
  const files = markdownFiles();
  assert.ok(files.length > 1, 'docs/ holds no Markdown');
  assert.deepEqual(files.flatMap(brokenLinks), []);
});

test('README.md opens with the two commands: npm start runs it, npm test tests it', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const firstBlock = /^```\w*\n([\s\S]*?)^```/m.exec(readme)?.[1] ?? '';
  assert.match(firstBlock, /^npm ci && npm start\b/m);
  assert.match(firstBlock, /^npm ci && npm test\b/m);
  assert.ok(
    readme.indexOf('```') < readme.indexOf('\n## '),
    'the commands come after a section heading, not first',
  );
});
