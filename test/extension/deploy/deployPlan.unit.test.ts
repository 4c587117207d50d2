// What Deploy decides from the project model, before anything runs: the user's azd project (found
// up to the workspace folder), Host on Azure Functions for servers not hosted yet or in an older form,
// Add Azure Deployment Files for any other project of the user's without azure.yaml, and the bundled
// server only for a workspace with nothing of the user's.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planDeploy, workspaceFolderOf } from '../../../extension/deploy/deployPlan';
import { bundledProject, type McpCandidate, type McpProject } from '../../../extension/project/mcpProject';
import type { ChosenProject } from '../../../extension/project/workspaceProjects';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-deploy-plan-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function folder(...parts: string[]): string {
  const dir = path.join(scratch, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function project(dir: string, kind: McpProject['kind']): McpProject {
  return { ...bundledProject(dir), name: path.basename(dir), kind };
}

function chosen(use: McpProject, candidates: McpCandidate[] = []): ChosenProject {
  return {
    project: use,
    recognition: { projects: use.kind === 'bundled' ? [] : [use], candidates, problems: [] },
  };
}

describe('planDeploy', () => {
  test('an MCP extension app in a sub-folder of an azd repository: that azd project, with the model’s kind', () => {
    const root = folder('repo');
    writeFileSync(path.join(root, 'azure.yaml'), 'name: repo\n');
    const app = project(folder('repo', 'functions'), 'functionsMcpExtension');
    assert.deepEqual(planDeploy(chosen(app), [root]), {
      action: 'azd',
      choices: [{ project: { dir: root, source: 'workspace' }, kind: 'functionsMcpExtension' }],
    });
    // Opened on its own, the sub-folder cannot see the repository's azure.yaml: it needs its own.
    assert.deepEqual(planDeploy(chosen(app), [app.folder]), { action: 'needsDeploymentFiles', project: app });
  });

  test('a project of the user’s without azure.yaml gets its deployment files first, whatever its kind and language; only an older self-hosted form goes through Host on Azure Functions', () => {
    const workspace = folder('own-apps');
    for (const language of ['node', 'python', 'dotnet', 'java'] as const) {
      const app = { ...project(folder('own-apps', language), 'functionsMcpExtension'), language };
      assert.deepEqual(planDeploy(chosen(app), [workspace]), {
        action: 'needsDeploymentFiles',
        project: app,
      });
    }
    const current = project(folder('own-apps', 'sdk-server'), 'selfHosted');
    assert.deepEqual(planDeploy(chosen(current), [workspace]), {
      action: 'needsDeploymentFiles',
      project: current,
    });
    const older = {
      ...project(folder('own-apps', 'older'), 'selfHosted'),
      legacyForms: ['mcpHandlerFunction' as const],
    };
    assert.deepEqual(planDeploy(chosen(older), [workspace]), {
      action: 'host',
      folders: [{ folder: older.folder, name: 'older' }],
    });
  });

  test('several SDK servers not hosted yet: each can be hosted; the bundled server is not an option', () => {
    const workspace = folder('sdk-servers');
    const candidates: McpCandidate[] = ['weather', 'todo'].map((name) => ({
      folder: folder('sdk-servers', name),
      name,
      language: 'node',
      evidence: path.join(workspace, name, 'package.json'),
    }));
    assert.deepEqual(planDeploy(chosen(bundledProject(scratch), candidates), [workspace]), {
      action: 'host',
      folders: candidates.map(({ folder: dir, name }) => ({ folder: dir, name })),
    });
  });

  test('nothing of the user’s at all: the bundled server', () => {
    const empty = folder('empty');
    assert.deepEqual(planDeploy(chosen(bundledProject(scratch)), [empty]), { action: 'bundled' });
  });
});

describe('workspaceFolderOf', () => {
  test('the innermost workspace folder holding the project; the project itself when none does', () => {
    const outer = path.join(scratch, 'outer');
    const inner = path.join(outer, 'inner');
    assert.equal(workspaceFolderOf(path.join(inner, 'app'), [outer, inner]), inner);
    assert.equal(workspaceFolderOf(path.join(outer, 'app'), [outer, inner]), outer);
    assert.equal(workspaceFolderOf('/elsewhere/app', [outer]), path.resolve('/elsewhere/app'));
  });
});
