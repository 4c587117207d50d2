// A minimal azure.yaml reader for the infra tests: nested `key: value` maps by indentation, which
// is all azure.yaml uses here. List items are skipped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type YamlMap = { [key: string]: string | YamlMap };

export function readSimpleYaml(text: string): YamlMap {
  const top: YamlMap = {};
  const stack: { indent: number; map: YamlMap }[] = [{ indent: -1, map: top }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim() || line.trimStart().startsWith('#') || line.trimStart().startsWith('-')) continue;
    const m = /^(\s*)([\w.-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const indent = (m[1] ?? '').length;
    while ((stack.at(-1)?.indent ?? -1) >= indent) stack.pop();
    const parent = stack.at(-1)?.map ?? top;
    const value = (m[3] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
    if (value === '') {
      const child: YamlMap = {};
      parent[m[2] ?? ''] = child;
      stack.push({ indent, map: child });
    } else {
      parent[m[2] ?? ''] = value;
    }
  }
  return top;
}

export function yamlMap(value: string | YamlMap | undefined, what: string): YamlMap {
  assert.ok(value !== undefined && typeof value === 'object', `azure.yaml has no ${what} section`);
  return value;
}

/** The project's azure.yaml. */
export function azureYaml(root: string): YamlMap {
  return readSimpleYaml(readFileSync(path.join(root, 'azure.yaml'), 'utf8'));
}
