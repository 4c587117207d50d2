// Start Local Server with only SDK servers not hosted yet (extension/localServer/candidateOffer.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PickItem } from '../../../extension/common/ui';
import { bundledInsteadOfCandidatesKey, offerToHost } from '../../../extension/localServer/candidateOffer';
import type { McpCandidate } from '../../../extension/project/mcpProject';

const candidate: McpCandidate = {
  folder: '/ws/weather',
  name: 'weather-server',
  language: 'node',
  evidence: '/ws/weather/package.json',
};

function deps(answer: (labels: string[]) => string) {
  const memory = new Map<string, unknown>();
  const asked: { title: string; labels: string[] }[] = [];
  const hosted: string[] = [];
  return {
    memory,
    asked,
    hosted,
    deps: {
      memory: {
        get: <T>(key: string) => memory.get(key) as T | undefined,
        update: (key: string, value: unknown) => Promise.resolve(void memory.set(key, value)),
      },
      pick: <T>(title: string, items: readonly PickItem<T>[]) => {
        const labels = items.map((item) => item.label);
        asked.push({ title, labels });
        const wanted = answer(labels);
        return Promise.resolve(items.find((item) => item.label === wanted)!.value);
      },
      hostOnFunctions: (folder: string) => Promise.resolve(hosted.push(folder)),
    },
  };
}

test('"Host … on Azure Functions…" runs the hosting command on the folder, and is not remembered', async () => {
  const h = deps((labels) => labels[0]!);
  assert.equal(await offerToHost([candidate], h.deps), true);
  assert.deepEqual(h.hosted, ['/ws/weather']);
  assert.deepEqual(h.asked, [
    {
      title:
        'Start Local Server: weather-server (package.json) is an MCP server not hosted on Azure Functions yet',
      labels: ['Host weather-server on Azure Functions…', 'Start the bundled sample tools'],
    },
  ]);
  assert.equal(h.memory.size, 0);
});

test('"Start the bundled sample tools" is remembered: the next start does not ask', async () => {
  const h = deps(() => 'Start the bundled sample tools');
  assert.equal(await offerToHost([candidate], h.deps), false);
  assert.equal(h.memory.get(bundledInsteadOfCandidatesKey), true);
  assert.equal(await offerToHost([candidate], h.deps), false);
  assert.equal(h.asked.length, 1);
  assert.deepEqual(h.hosted, []);
});
