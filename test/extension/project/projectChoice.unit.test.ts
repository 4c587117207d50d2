// Which project a capability uses (extension/project/projectChoice.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { bundledProject, type McpCandidate, type McpProject } from '../../../extension/project/mcpProject';
import {
  chooseProject,
  rememberedProjectKey,
  rememberProject,
  type ChoiceMemory,
} from '../../../extension/project/projectChoice';

/** A Memento in memory, as `workspaceState` would be. */
function memory(initial: Record<string, unknown> = {}): ChoiceMemory & { values: Record<string, unknown> } {
  const values = { ...initial };
  return {
    values,
    get: <T>(key: string) => values[key] as T | undefined,
    update: (key: string, value: unknown) => {
      values[key] = value;
      return Promise.resolve();
    },
  };
}

const root = path.resolve('/home/dev/workspace');
const bundled = bundledProject(path.resolve('/ext/server'));
function project(name: string): McpProject {
  const folder = path.join(root, name);
  return {
    folder,
    name,
    kind: 'selfHosted',
    language: 'node',
    mcpPath: '/mcp',
    auth: 'anonymous',
    localRun: { coreTools: { executable: 'func', args: ['start'], cwd: folder } },
    legacyForms: [],
  };
}
const [alpha, beta] = [project('alpha'), project('beta')];
const candidate: McpCandidate = {
  folder: path.join(root, 'gamma'),
  name: 'gamma',
  language: 'python',
  evidence: path.join(root, 'gamma/requirements.txt'),
};

test('the bundled project: the catalogue served at the webhook with the system key, run by func', () => {
  assert.deepEqual(bundled, {
    folder: path.resolve('/ext/server'),
    name: 'bundled',
    kind: 'bundled',
    language: 'node',
    mcpPath: '/runtime/webhooks/mcp',
    auth: 'systemKey',
    localRun: { coreTools: { executable: 'func', args: ['start'], cwd: path.resolve('/ext/server') } },
    legacyForms: [],
  });
});

test('the remembered project, while it still exists', () => {
  const remembered = memory({ [rememberedProjectKey]: beta.folder });
  assert.deepEqual(chooseProject({ projects: [alpha, beta], candidates: [] }, bundled, remembered), {
    use: beta,
    because: 'remembered',
  });
});

test('the only project, when nothing (or nothing still there) is remembered', () => {
  assert.deepEqual(chooseProject({ projects: [alpha], candidates: [candidate] }, bundled, memory()), {
    use: alpha,
    because: 'only',
  });
  const gone = memory({ [rememberedProjectKey]: path.join(root, 'deleted') });
  assert.deepEqual(chooseProject({ projects: [alpha], candidates: [] }, bundled, gone), {
    use: alpha,
    because: 'only',
  });
});

test('several and none remembered, or the remembered folder gone: ask, then remember the pick', async () => {
  const state = memory({ [rememberedProjectKey]: path.join(root, 'deleted') });
  const choice = chooseProject({ projects: [beta, alpha], candidates: [] }, bundled, state);
  assert.deepEqual(choice, { ask: [alpha, beta] });
  await rememberProject(state, beta);
  assert.equal(state.values[rememberedProjectKey], beta.folder);
  assert.deepEqual(chooseProject({ projects: [beta, alpha], candidates: [] }, bundled, state), {
    use: beta,
    because: 'remembered',
  });
});

test('a remembered folder is compared as a path: a trailing separator still matches', () => {
  const state = memory({ [rememberedProjectKey]: alpha.folder + path.sep });
  assert.deepEqual(chooseProject({ projects: [alpha, beta], candidates: [] }, bundled, state), {
    use: alpha,
    because: 'remembered',
  });
});

test("the bundled project only when the workspace holds none of the user's, with the candidates to offer", () => {
  assert.deepEqual(chooseProject({ projects: [], candidates: [candidate] }, bundled, memory()), {
    use: bundled,
    because: 'bundled',
    candidates: [candidate],
  });
  // Even remembered, the bundled catalogue never stands in for a project of the user's.
  const state = memory({ [rememberedProjectKey]: bundled.folder });
  assert.deepEqual(chooseProject({ projects: [bundled, alpha], candidates: [] }, bundled, state), {
    use: alpha,
    because: 'only',
  });
});

test('a non-string memory value (an older version wrote something else) is ignored', () => {
  const state = memory({ [rememberedProjectKey]: { folder: alpha.folder } });
  assert.deepEqual(chooseProject({ projects: [alpha, beta], candidates: [] }, bundled, state), {
    ask: [alpha, beta],
  });
});
