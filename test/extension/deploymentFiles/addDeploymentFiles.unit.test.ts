// "Add Azure Deployment Files" (extension/deploymentFiles/addDeploymentFiles.ts) as a user meets it, on
// copies of the fixture projects: which project, the one question, the files written (never over one
// of the user's), and the closing message with what was added and what was left as it was.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MessageAction } from '../../../extension/common/errors';
import { runCommand } from '../../../extension/common/commandErrors';
import {
  addDeploymentFiles,
  type AddDeploymentFilesOptions,
  type DeploymentFilesOutcome,
} from '../../../extension/deploymentFiles/addDeploymentFiles';
import {
  functionsMcpInfraFiles,
  functionsMcpTemplatesDir,
} from '../../../extension/deploymentFiles/functionsMcpInfra';
import { readProjectRuntime } from '../../../extension/deploymentFiles/projectRuntime';
import { selfHostedInfraFiles, selfHostedTemplatesDir } from '../../../extension/hosting/selfHostedInfra';
import { bundledProject } from '../../../extension/project/mcpProject';
import { WorkspaceProjects } from '../../../extension/project/workspaceProjects';
import { memoryState } from '../../support/memoryStores';
import { RecordingUi, dismiss, recordingLog, type ScriptedAnswer } from '../../support/recordingUi';
import { readSimpleYaml, yamlMap } from '../../infra/azureYaml';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/projects');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-deployment-files-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
/** A workspace folder holding a copy of a fixture, as cloned (no dist/, no node_modules). */
function workspaceWith(fixture: string): string {
  const dir = path.join(scratch, `${fixture}-${++count}`);
  cpSync(path.join(fixtures, fixture), dir, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist|bin|obj)$/.test(source),
  });
  return dir;
}

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((f) => f.replace(/\\/g, '/')).sort();
}

interface Run {
  ui: RecordingUi;
  opened: string[];
  outcome?: DeploymentFilesOutcome;
}

/** Runs the command as VS Code would (behind the error wrapper), on `resource` or from the palette. */
async function run(
  workspace: string,
  answers: ScriptedAnswer[],
  resource?: unknown,
  options?: AddDeploymentFilesOptions,
): Promise<Run> {
  const ui = new RecordingUi(answers);
  const log = recordingLog();
  const opened: string[] = [];
  const action = (title: string): MessageAction => ({ title, run: () => undefined });
  const result: Run = { ui, opened };
  await runCommand(
    'remoteMcp.addDeploymentFiles',
    async () => {
      result.outcome = await addDeploymentFiles(
        {
          workspaceFolders: () => [workspace],
          chooseProject: (purpose) =>
            new WorkspaceProjects({
              workspaceFolders: () => [workspace],
              bundled: () => bundledProject(path.join(root, 'server')),
              memory: memoryState(),
              pick: (title, projects) =>
                ui.pick(
                  title,
                  projects.map((project) => ({ label: project.name, value: project })),
                ),
            }).choose(purpose),
          ui,
          log,
          functionsMcpInfraFiles: (o) => functionsMcpInfraFiles(functionsMcpTemplatesDir(root), o),
          selfHostedInfraFiles: (o) => selfHostedInfraFiles(selfHostedTemplatesDir(root), o),
          openFile: (file) => Promise.resolve(void opened.push(file)),
          actions: { deploy: action('Deploy to Azure'), hostOnFunctions: action('Host on Azure Functions…') },
        },
        resource,
        options,
      );
    },
    ui,
    log,
    action('Show Logs'),
  );
  assert.deepEqual(ui.unusedAnswers, [], 'every scripted answer was asked for');
  return result;
}

function apiServiceOf(dir: string) {
  const yaml = readSimpleYaml(readFileSync(path.join(dir, 'azure.yaml'), 'utf8'));
  return yamlMap(yamlMap(yaml.services, 'services').api, 'services.api');
}

function runtimeParameters(dir: string): [string, string] {
  const json = JSON.parse(readFileSync(path.join(dir, 'infra/main.parameters.json'), 'utf8')) as {
    parameters: Record<string, { value: string }>;
  };
  return [json.parameters.runtimeName?.value ?? '', json.parameters.runtimeVersion?.value ?? ''];
}

describe('Add Azure Deployment Files', () => {
  test('from the palette, on the TypeScript app: one question (system key by default), the files, azure.yaml opened, and Deploy offered', async () => {
    const dir = workspaceWith('ts-functions-mcp');
    const { ui, opened, outcome } = await run(dir, ['System key (mcp_extension)']);
    assert.deepEqual(ui.prompts, [
      {
        kind: 'pick',
        title: 'Add Azure Deployment Files: how do clients of greetings-functions authenticate?',
        options: ['System key (mcp_extension) — default', 'Microsoft Entra sign-in'],
      },
    ]);
    assert.equal(outcome?.kind, 'added');
    assert.deepEqual(ui.shown, [
      {
        severity: 'info',
        message:
          'greetings-functions can be deployed to Azure Functions (Flex Consumption, clients send the mcp_extension system key). ' +
          'Added: azure.yaml, infra/ (12 files).',
        actions: ['Deploy to Azure'],
      },
    ]);
    assert.deepEqual(opened, [path.join(dir, 'azure.yaml')]);
    assert.deepEqual(apiServiceOf(dir), {
      project: '.',
      language: 'ts',
      host: 'function',
      remoteBuild: 'true',
    });
    assert.deepEqual(runtimeParameters(dir), ['node', '${FUNCTIONS_RUNTIME_VERSION=22}']);
  });

  test('from the Explorer, on the .NET app: Entra chosen, the version its project file targets, and the app registration added', async () => {
    const dir = workspaceWith('dotnet-functions-mcp');
    const { ui } = await run(dir, ['Microsoft Entra sign-in'], { fsPath: dir });
    assert.equal(
      ui.last('info')?.message,
      `${path.basename(dir)} can be deployed to Azure Functions (Flex Consumption, clients sign in with Microsoft Entra, ` +
        'runtime version from Clock.csproj). Added: azure.yaml, infra/ (12 files).',
    );
    assert.deepEqual(apiServiceOf(dir), { project: '.', language: 'dotnet', host: 'function' });
    assert.deepEqual(runtimeParameters(dir), ['dotnet-isolated', '${FUNCTIONS_RUNTIME_VERSION=8.0}']);
    assert.ok(filesUnder(dir).includes('infra/app/entra.bicep'));
  });

  test('a file the user has already is left exactly as it was, and the message says so; an azd project already gets nothing', async () => {
    const dir = workspaceWith('python-functions-mcp');
    mkdirSync(path.join(dir, 'infra'));
    writeFileSync(path.join(dir, 'infra', 'main.bicep'), '// mine\n');
    const { ui } = await run(dir, ['System key (mcp_extension)']);
    assert.equal(readFileSync(path.join(dir, 'infra', 'main.bicep'), 'utf8'), '// mine\n');
    assert.match(
      ui.last('info')?.message ?? '',
      /Added: azure\.yaml, infra\/ \(11 files\)\. Left as they were: infra\/main\.bicep; check that they fit the files added\.$/,
    );
    assert.equal(apiServiceOf(dir).language, 'python');

    const before = filesUnder(dir);
    const again = await run(dir, []);
    assert.equal(again.outcome?.kind, 'azdProjectAlready');
    assert.deepEqual(again.ui.shown, [
      {
        severity: 'info',
        message: `${path.basename(dir)} has Azure deployment files already (azure.yaml in ${dir}); nothing was added. Deploy to Azure deploys it with azd.`,
        actions: ['Deploy to Azure'],
      },
    ]);
    assert.deepEqual(filesUnder(dir), before);
  });

  test('dismissing the question writes nothing and shows nothing', async () => {
    const dir = workspaceWith('ts-functions-mcp');
    const before = filesUnder(dir);
    const { ui, outcome } = await run(dir, [dismiss]);
    assert.equal(outcome, undefined);
    assert.deepEqual(ui.shown, []);
    assert.deepEqual(filesUnder(dir), before);
  });

  test('run by Deploy to Azure: the message says the deployment follows and offers no second Deploy', async () => {
    const dir = workspaceWith('ts-functions-mcp');
    const { ui } = await run(dir, ['System key (mcp_extension)'], dir, { deployNext: true });
    assert.match(ui.last('info')?.message ?? '', / Deploying it now\.$/);
    assert.deepEqual(ui.last('info')?.actions, []);
  });

  test('a self-hosted server: its own templates, with the auth its host.json already says, and nothing asked', async () => {
    const dir = workspaceWith('node-self-hosted');
    const { ui } = await run(dir, []);
    assert.deepEqual(ui.prompts, []);
    assert.match(ui.last('info')?.message ?? '', /\(Flex Consumption, Microsoft Entra sign-in\)/);
    assert.match(
      readFileSync(path.join(dir, 'infra/app/api.bicep'), 'utf8'),
      /EnableMcpCustomHandlerPreview/,
    );
  });

  test('what it cannot work on is said with the way forward: no project, an SDK server not hosted yet, an older self-hosted form, a folder that is neither', async () => {
    const empty = path.join(scratch, `empty-${++count}`);
    mkdirSync(empty);
    const none = await run(empty, []);
    assert.match(
      none.ui.last('error')?.message ?? '',
      /^This workspace holds no MCP project of yours: Add Azure Deployment Files looked for a Functions app \(host\.json\)/,
    );
    assert.deepEqual(filesUnder(empty), []);

    const candidate = workspaceWith('node-candidate');
    const sdk = await run(candidate, [], { fsPath: candidate });
    assert.match(
      sdk.ui.last('error')?.message ?? '',
      /is an MCP SDK server that is not hosted on Azure Functions yet: Host on Azure Functions… adds host\.json/,
    );
    assert.deepEqual(sdk.ui.last('error')?.actions, ['Host on Azure Functions…', 'Show Logs']);

    const legacy = workspaceWith('node-legacy');
    const older = await run(legacy, [], { fsPath: legacy });
    assert.match(
      older.ui.last('error')?.message ?? '',
      /^inventory-mcp's host\.json is in an older self-hosted form, which the deployment files do not fit: Host on Azure Functions… upgrades it \(showing the change first\) and adds them\.$/,
    );
    assert.deepEqual(older.ui.last('error')?.actions, ['Host on Azure Functions…', 'Show Logs']);
    assert.ok(!filesUnder(legacy).includes('azure.yaml'));

    const notMcp = workspaceWith('python-not-mcp');
    const neither = await run(notMcp, [], { fsPath: notMcp });
    assert.match(
      neither.ui.last('error')?.message ?? '',
      /is not an MCP project: Add Azure Deployment Files looked for/,
    );
  });

  test('readProjectRuntime: TypeScript from tsconfig.json, .NET from TargetFramework, Java from java.version', async () => {
    assert.deepEqual(await readProjectRuntime(path.join(fixtures, 'ts-functions-mcp'), 'node'), {
      typeScript: true,
    });
    assert.deepEqual(await readProjectRuntime(path.join(fixtures, 'dotnet-functions-mcp'), 'dotnet'), {
      runtimeVersion: '8.0',
      versionFrom: 'Clock.csproj',
    });
    const java = path.join(scratch, `java-${++count}`);
    mkdirSync(java);
    writeFileSync(
      path.join(java, 'pom.xml'),
      '<project><properties><java.version>21</java.version></properties></project>',
    );
    assert.deepEqual(await readProjectRuntime(java, 'java'), {
      runtimeVersion: '21',
      versionFrom: 'pom.xml',
    });
    writeFileSync(
      path.join(java, 'pom.xml'),
      '<project><properties><java.version>1.8</java.version></properties></project>',
    );
    assert.deepEqual(await readProjectRuntime(java, 'java'), {});
  });
});
