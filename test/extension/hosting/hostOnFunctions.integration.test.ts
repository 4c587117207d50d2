// "Host on Azure Functions…" through its plain-Node flow (extension/hosting/hostOnFunctions.ts) with a
// scripted UI: the files it writes, exactly, per language and auth choice; nothing overwritten; the
// folder it works on; the upgrade of the older form, shown first and applied only when agreed.
// Integration tier: it starts servers (the Node check for real once, Python's attempt) and git.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MessageAction } from '../../../extension/common/errors';
import type { GeneratedFile } from '../../../extension/hosting/generatedFile';
import {
  hostOnFunctions,
  type HostingEditor,
  type HostOnFunctionsDeps,
} from '../../../extension/hosting/hostOnFunctions';
import {
  selfHostedInfraFiles,
  type SelfHostedInfraOptions,
} from '../../../extension/hosting/selfHostedInfra';
import { fixtureProject } from '../../fixtures/fixtureProjects';
import { RecordingUi, type ScriptedAnswer } from '../../support/recordingUi';

const repositoryRoot = path.resolve(__dirname, '../../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-hosting-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let copies = 0;

/** A user's checkout of a fixture: its own folder, dependencies installed for Node. */
function checkout(name: string, options: { dependencies?: boolean } = {}): string {
  const folder = path.join(scratch, `${++copies}`, name);
  cpSync(fixtureProject(name), folder, { recursive: true });
  if (options.dependencies)
    symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return folder;
}

class RecordingEditor implements HostingEditor {
  readonly opened: string[] = [];
  readonly diffs: { file: string; proposed: string; title: string }[] = [];
  readonly trashed: string[] = [];
  open(file: string): Promise<void> {
    this.opened.push(file);
    return Promise.resolve();
  }
  showDiff(file: string, proposed: string, title: string): Promise<void> {
    this.diffs.push({ file, proposed, title });
    return Promise.resolve();
  }
  trash(file: string): Promise<void> {
    this.trashed.push(file);
    rmSync(file);
    return Promise.resolve();
  }
}

/** Stands in for the infra templates: a file per kind, and the options it was asked for. */
function recordingInfra() {
  const asked: SelfHostedInfraOptions[] = [];
  const files = (options: SelfHostedInfraOptions): Promise<GeneratedFile[]> => {
    asked.push(options);
    return Promise.resolve([
      { path: 'azure.yaml', content: `name: ${options.language}-app\n` },
      { path: 'infra/main.bicep', content: `// ${options.auth}\n` },
      { path: 'infra/main.parameters.json', content: '{}\n' },
    ]);
  };
  return { asked, files };
}

const action = (title: string): MessageAction => ({ title, run: () => title });

function setUp(answers: ScriptedAnswer[], options: { folders?: string[]; realCheck?: boolean } = {}) {
  const ui = new RecordingUi(answers);
  const editor = new RecordingEditor();
  const infra = recordingInfra();
  const checked: string[] = [];
  const deps: HostOnFunctionsDeps = {
    workspaceFolders: () => options.folders ?? [],
    ui,
    log: quiet,
    editor,
    infraFiles: infra.files,
    actions: { startLocalServer: action('Start Local Server'), deploy: action('Deploy to Azure') },
    ...(options.realCheck
      ? {}
      : {
          checkStateless: (input) => {
            checked.push(input.folder);
            return Promise.resolve({ how: 'ran' as const });
          },
        }),
  };
  return { deps, ui, editor, infra, checked };
}

const read = (folder: string, file: string) => readFileSync(path.join(folder, file), 'utf8');

const nodeFuncIgnore = `.git*
.vscode
local.settings.json
test
__azurite_db*__.json
__blobstorage__
__queuestorage__
node_modules
*.js.map
`;

const pythonFuncIgnore = `.git*
.vscode
local.settings.json
test
__azurite_db*__.json
__blobstorage__
__queuestorage__
.venv
venv
__pycache__
*.pyc
`;

function localSettings(runtime: string): string {
  return `{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "${runtime}",
    "AzureWebJobsFeatureFlags": "EnableMcpCustomHandlerPreview",
    "AzureWebJobsStorage": "UseDevelopmentStorage=true"
  }
}
`;
}

describe('files written, exactly', () => {
  test('node-candidate with Entra sign-in, checked by running it for real', async () => {
    const folder = checkout('node-candidate', { dependencies: true });
    const { deps, ui, editor, infra } = setUp(['Microsoft Entra sign-in'], { realCheck: true });
    const outcome = await hostOnFunctions(deps, { fsPath: folder });

    assert.equal(
      read(folder, 'host.json'),
      `{
  "version": "2.0",
  "configurationProfile": "mcp-custom-handler",
  "customHandler": {
    "description": {
      "defaultExecutablePath": "node",
      "arguments": ["dist/main.js"]
    },
    "http": {
      "DefaultAuthorizationLevel": "anonymous"
    },
    "port": "8080"
  }
}
`,
    );
    assert.equal(read(folder, 'local.settings.json'), localSettings('node'));
    assert.equal(read(folder, '.funcignore'), nodeFuncIgnore);
    assert.equal(read(folder, 'azure.yaml'), 'name: node-app\n');
    assert.deepEqual(infra.asked, [{ language: 'node', projectName: '@contoso/weather-mcp', auth: 'entra' }]);
    assert.deepEqual(outcome, {
      kind: 'hosted',
      folder,
      written: {
        added: [
          'host.json',
          'local.settings.json',
          '.funcignore',
          'azure.yaml',
          'infra/main.bicep',
          'infra/main.parameters.json',
        ],
        kept: [],
      },
    });
    assert.deepEqual(ui.shown, [
      {
        severity: 'info',
        message:
          '@contoso/weather-mcp is ready to host on Azure Functions (clients sign in with Microsoft Entra). ' +
          'Added: host.json, local.settings.json, .funcignore, azure.yaml, infra/ (2 files).',
        actions: ['Start Local Server', 'Deploy to Azure'],
      },
    ]);
    assert.deepEqual(editor.opened, [path.join(folder, 'host.json')]);
    // dist/ is absent in a fresh checkout: it was built first, as the user would, with progress.
    assert.deepEqual(ui.progress, [
      {
        title: 'Checking that @contoso/weather-mcp is stateless',
        reports: [
          'Building @contoso/weather-mcp (npm run build)…',
          'Starting @contoso/weather-mcp to check that it is stateless…',
        ],
      },
    ]);
  });

  test('node-candidate with a function key: DefaultAuthorizationLevel function', async () => {
    const folder = checkout('node-candidate');
    const { deps, ui, infra, checked } = setUp(['Function key']);
    await hostOnFunctions(deps, folder);
    assert.equal(
      read(folder, 'host.json'),
      `{
  "version": "2.0",
  "configurationProfile": "mcp-custom-handler",
  "customHandler": {
    "description": {
      "defaultExecutablePath": "node",
      "arguments": ["dist/main.js"]
    },
    "http": {
      "DefaultAuthorizationLevel": "function"
    },
    "port": "8080"
  }
}
`,
    );
    assert.equal(read(folder, 'local.settings.json'), localSettings('node'));
    assert.equal(read(folder, '.funcignore'), nodeFuncIgnore);
    assert.deepEqual(infra.asked, [
      { language: 'node', projectName: '@contoso/weather-mcp', auth: 'functionKey' },
    ]);
    assert.deepEqual(checked, [folder]);
    assert.match(
      ui.last('info')!.message,
      /\(clients send the default function key; DefaultAuthorizationLevel "function"\)/,
    );
  });

  for (const [answer, level, auth] of [
    ['Microsoft Entra sign-in', 'anonymous', 'entra'],
    ['Function key', 'function', 'functionKey'],
  ] as const) {
    test(`python-candidate with ${answer}: python main.py on 8000, checked by reading its code`, async () => {
      const folder = checkout('python-candidate');
      const { deps, ui, infra } = setUp([answer], { realCheck: true });
      await hostOnFunctions(deps, folder);
      assert.equal(
        read(folder, 'host.json'),
        `{
  "version": "2.0",
  "configurationProfile": "mcp-custom-handler",
  "customHandler": {
    "description": {
      "defaultExecutablePath": "python",
      "arguments": ["main.py"]
    },
    "http": {
      "DefaultAuthorizationLevel": "${level}"
    },
    "port": "8000"
  }
}
`,
      );
      assert.equal(read(folder, 'local.settings.json'), localSettings('python'));
      assert.equal(read(folder, '.funcignore'), pythonFuncIgnore);
      assert.deepEqual(infra.asked, [{ language: 'python', projectName: 'python-candidate', auth }]);
      const message = ui.last('info')!.message;
      assert.match(
        message,
        /so it was checked by reading its code: main\.py line 18 sets stateless_http=True\./,
      );
      // The port is a literal in mcp.run: host.json says the same, and the user learns how to follow host.json.
      assert.match(
        message,
        /listens on the fixed port 8000 \(main\.py line 18\) and reads neither PORT nor FUNCTIONS_CUSTOMHANDLER_PORT.*`port=int\(os\.environ\.get\("PORT", 8000\)\)`/,
      );
      // Its dependencies are in pyproject.toml only: the deploy's remote build would not install them.
      assert.match(message, /remote build installs requirements\.txt, which this project does not have/);
    });
  }
});

test('a Python project with a requirements.txt is not told to add one', async () => {
  const folder = checkout('python-candidate');
  writeFileSync(path.join(folder, 'requirements.txt'), 'mcp[cli]>=1.9\n');
  const { deps, ui } = setUp(['Microsoft Entra sign-in'], { realCheck: true });
  await hostOnFunctions(deps, folder);
  assert.doesNotMatch(ui.last('info')!.message, /requirements\.txt/);
});

describe('never overwrites', () => {
  test('an existing host.json and azure.yaml are kept byte for byte and listed', async () => {
    const folder = checkout('node-candidate');
    const hostJson = '{ "version": "2.0", "logging": {} }  \n';
    const azureYaml = '# mine\nname: weather\n';
    writeFileSync(path.join(folder, 'host.json'), hostJson);
    writeFileSync(path.join(folder, 'azure.yaml'), azureYaml);
    const { deps, ui } = setUp(['Microsoft Entra sign-in']);
    const outcome = await hostOnFunctions(deps, folder);
    assert.equal(read(folder, 'host.json'), hostJson);
    assert.equal(read(folder, 'azure.yaml'), azureYaml);
    assert.deepEqual(outcome.kind === 'hosted' && outcome.written.kept, ['host.json', 'azure.yaml']);
    assert.match(
      ui.last('info')!.message,
      /Added: local\.settings\.json, \.funcignore, infra\/ \(2 files\)\. Left as they were: host\.json, azure\.yaml\./,
    );
  });

  test('a kept local.settings.json without the feature flag is pointed out', async () => {
    const folder = checkout('node-candidate');
    writeFileSync(path.join(folder, 'local.settings.json'), '{"Values":{"FUNCTIONS_WORKER_RUNTIME":"node"}}');
    const { deps, ui } = setUp(['Function key']);
    await hostOnFunctions(deps, folder);
    assert.match(
      ui.last('info')!.message,
      / Your local\.settings\.json needs, under Values, AzureWebJobsFeatureFlags to "EnableMcpCustomHandlerPreview", or func start will not run the server as an MCP server\.$/,
    );
  });

  test("the older form's runtime custom in a kept local.settings.json is pointed out after an upgrade", async () => {
    const folder = checkout('node-legacy');
    const settings = '{\n  // mine\n  "Values": { "FUNCTIONS_WORKER_RUNTIME": "custom" }\n}\n';
    writeFileSync(path.join(folder, 'local.settings.json'), settings);
    const { deps, ui } = setUp(['Upgrade']);
    await hostOnFunctions(deps, folder);
    assert.equal(read(folder, 'local.settings.json'), settings);
    assert.match(
      ui.last('info')!.message,
      /needs, under Values, FUNCTIONS_WORKER_RUNTIME to "node" \(it is "custom"\) and AzureWebJobsFeatureFlags to "EnableMcpCustomHandlerPreview"/,
    );
  });

  test('local.settings.json that git would commit: offers to add it to .gitignore, and does when pressed', async () => {
    const folder = checkout('node-candidate');
    execFileSync('git', ['init', '--quiet'], { cwd: folder });
    writeFileSync(path.join(folder, '.gitignore'), 'node_modules');
    const { deps, ui } = setUp(['Microsoft Entra sign-in']);
    await hostOnFunctions(deps, folder);
    assert.deepEqual(ui.last('info')!.actions, [
      'Start Local Server',
      'Deploy to Azure',
      'Add to .gitignore',
    ]);
    await ui.press('Add to .gitignore');
    assert.equal(read(folder, '.gitignore'), 'node_modules\nlocal.settings.json\n');
    const ignored = execFileSync('git', ['check-ignore', 'local.settings.json'], {
      cwd: folder,
      encoding: 'utf8',
    });
    assert.equal(ignored.trim(), 'local.settings.json');
  });
});

describe('which folder', () => {
  test('a folder that is no MCP server: says what was looked for, writes nothing', async () => {
    const folder = checkout('python-not-mcp');
    const before = readdirSync(folder).sort();
    const { deps } = setUp([]);
    await assert.rejects(hostOnFunctions(deps, folder), {
      name: 'UserFacingError',
      message:
        `python-not-mcp is not an MCP server this command can host: it looked for a package.json that depends on ` +
        `@modelcontextprotocol/sdk, or a requirements.txt or pyproject.toml that names mcp or fastmcp, and found none in ${folder}. ` +
        'Run it on the folder of your MCP server.',
    });
    assert.deepEqual(readdirSync(folder).sort(), before);
  });

  test('a project hosted already: says so and offers Start Local Server and Deploy to Azure', async () => {
    const folder = checkout('node-self-hosted');
    const { deps, ui } = setUp([]);
    assert.deepEqual(await hostOnFunctions(deps, folder), { kind: 'alreadyHosted', folder });
    assert.deepEqual(ui.shown, [
      {
        severity: 'info',
        message:
          'todo-mcp-server is hosted on Azure Functions already (its host.json is in the current self-hosted form). ' +
          'Run it with Start Local Server, or deploy it with Deploy to Azure.',
        actions: ['Start Local Server', 'Deploy to Azure'],
      },
    ]);
  });

  test('from the palette: the only candidate of the workspace, without asking', async () => {
    const workspace = path.join(scratch, 'ws-one');
    mkdirSync(workspace);
    cpSync(fixtureProject('node-candidate'), path.join(workspace, 'weather'), { recursive: true });
    cpSync(fixtureProject('node-self-hosted'), path.join(workspace, 'todos'), { recursive: true });
    const { deps, ui, checked } = setUp(['Function key'], { folders: [workspace] });
    await hostOnFunctions(deps);
    assert.deepEqual(checked, [path.join(workspace, 'weather')]);
    assert.deepEqual(
      ui.prompts.map((prompt) => prompt.title),
      ['Host on Azure Functions: how do clients authenticate?'],
    );
  });

  test('from the palette with several: a pick of the candidates and the older forms', async () => {
    const workspace = path.join(scratch, 'ws-two');
    mkdirSync(workspace);
    cpSync(fixtureProject('node-candidate'), path.join(workspace, 'weather'), { recursive: true });
    cpSync(fixtureProject('python-candidate'), path.join(workspace, 'recipes'), { recursive: true });
    cpSync(fixtureProject('node-legacy'), path.join(workspace, 'inventory'), { recursive: true });
    const { deps, ui, checked } = setUp(['recipes', 'Function key'], { folders: [workspace] });
    await hostOnFunctions(deps);
    assert.deepEqual(ui.prompts[0], {
      kind: 'pick',
      title: 'Host on Azure Functions: which MCP server?',
      options: [
        'inventory-mcp — older Functions form: upgrade',
        'recipes — python MCP server',
        '@contoso/weather-mcp — node MCP server',
      ],
    });
    assert.deepEqual(checked, [path.join(workspace, 'recipes')]);
  });

  test('a workspace with nothing to host says what it looked for', async () => {
    const { deps } = setUp([], { folders: [checkout('python-not-mcp')] });
    await assert.rejects(
      hostOnFunctions(deps),
      /This workspace holds no MCP server to host: Host on Azure Functions looked for a package\.json/,
    );
  });
});

describe('asks only what it cannot find', () => {
  test('no port in the code: asks, refusing what is not a port', async () => {
    const folder = path.join(scratch, 'no-port');
    mkdirSync(path.join(folder, 'src'), { recursive: true });
    writeFileSync(
      path.join(folder, 'package.json'),
      JSON.stringify({
        name: 'quiet',
        main: 'src/server.js',
        dependencies: { '@modelcontextprotocol/sdk': '^1.20.0' },
      }),
    );
    writeFileSync(
      path.join(folder, 'src/server.js'),
      "import { settings } from './settings.js';\napp.listen(settings.port);\n",
    );
    const { deps, ui } = setUp(['0', 'http', '4100', 'Function key']);
    await hostOnFunctions(deps, folder);
    assert.deepEqual(
      ui.rejected.map((rejected) => [rejected.answer, rejected.problem]),
      [
        ['0', 'A port is a whole number from 1 to 65535.'],
        ['http', 'A port is a whole number from 1 to 65535.'],
      ],
    );
    assert.match(read(folder, 'host.json'), /"arguments": \["src\/server\.js"\][\s\S]*"port": "4100"/);
  });

  test('no entry in package.json: asks for the file', async () => {
    const folder = path.join(scratch, 'no-entry');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'package.json'),
      JSON.stringify({
        name: 'tsx-run',
        scripts: { start: 'tsx index.ts' },
        dependencies: { '@modelcontextprotocol/sdk': '^1.20.0' },
      }),
    );
    const { deps, ui } = setUp(['/etc/passwd', 'build/index.js', '3000', 'Function key']);
    await hostOnFunctions(deps, folder);
    assert.deepEqual(
      ui.prompts.map((prompt) => prompt.title),
      [
        'Host on Azure Functions: which file starts tsx-run?',
        'Host on Azure Functions: which port does tsx-run listen on?',
        'Host on Azure Functions: how do clients authenticate?',
      ],
    );
    assert.equal(ui.rejected[0]?.problem, 'Give a path inside the project folder, relative to it.');
    assert.match(read(folder, 'host.json'), /"arguments": \["build\/index\.js"\]/);
  });
});

describe('the older form', () => {
  const upgraded = `{
  "version": "2.0",
  "configurationProfile": "mcp-custom-handler",
  "customHandler": {
    "description": {
      "defaultExecutablePath": "node",
      "arguments": ["server.js"]
    },
    "http": {
      "DefaultAuthorizationLevel": "function"
    },
    "port": "3000"
  },
  "extensionBundle": {
    "id": "Microsoft.Azure.Functions.ExtensionBundle",
    "version": "[4.*, 5.0.0)"
  }
}
`;

  test('Cancel: the diff was shown, nothing changed', async () => {
    const folder = checkout('node-legacy');
    const before = read(folder, 'host.json');
    const { deps, editor, infra } = setUp(['Cancel']);
    assert.deepEqual(await hostOnFunctions(deps, folder), { kind: 'notUpgraded', folder });
    assert.deepEqual(editor.diffs, [
      {
        file: path.join(folder, 'host.json'),
        proposed: upgraded,
        title: 'host.json: inventory-mcp in the current form (proposed)',
      },
    ]);
    assert.equal(read(folder, 'host.json'), before);
    assert.ok(existsSync(path.join(folder, 'mcp-handler', 'function.json')));
    assert.deepEqual(editor.trashed, []);
    assert.deepEqual(infra.asked, []);
  });

  test('Upgrade: host.json rewritten as shown, the catch-all function removed, the missing files added', async () => {
    const folder = checkout('node-legacy');
    const { deps, ui, editor } = setUp(['Upgrade']);
    const outcome = await hostOnFunctions(deps, folder);
    assert.equal(read(folder, 'host.json'), upgraded);
    assert.deepEqual(editor.trashed, [path.join(folder, 'mcp-handler', 'function.json')]);
    assert.equal(existsSync(path.join(folder, 'mcp-handler')), false);
    assert.deepEqual(ui.prompts[0], {
      kind: 'pick',
      title:
        'Upgrade inventory-mcp to the current self-hosted form? host.json changes as the diff shows. ' +
        'mcp-handler/function.json is deleted (to the trash).',
      options: ['Upgrade — rewrite host.json, keeping your other settings', 'Cancel — change nothing'],
    });
    assert.deepEqual(outcome, {
      kind: 'upgraded',
      folder,
      removed: ['mcp-handler/function.json'],
      written: {
        added: [
          'local.settings.json',
          '.funcignore',
          'azure.yaml',
          'infra/main.bicep',
          'infra/main.parameters.json',
        ],
        kept: [],
      },
    });
    assert.equal(read(folder, 'local.settings.json'), localSettings('node'));
    assert.equal(
      ui.last('info')!.message,
      'inventory-mcp is upgraded to the current self-hosted form: host.json rewritten, mcp-handler/function.json ' +
        'moved to the trash. Added: local.settings.json, .funcignore, azure.yaml, infra/ (2 files).',
    );
  });
});

describe('the older form with a port in host.json', () => {
  test('the port host.json names is kept, and nothing is asked about it', async () => {
    const folder = checkout('node-legacy');
    const hostJson = read(folder, 'host.json').replace(
      '"enableForwardingHttpRequest": true',
      '"enableForwardingHttpRequest": true,\n    "port": "7000"',
    );
    writeFileSync(path.join(folder, 'host.json'), hostJson);
    writeFileSync(
      path.join(folder, 'server.js'),
      read(folder, 'server.js').replace(/const port = .*\n/, 'const port = settings.port;\n'),
    );
    const { deps, ui } = setUp(['Upgrade']);
    await hostOnFunctions(deps, folder);
    assert.deepEqual(
      ui.prompts.map((prompt) => prompt.kind),
      ['pick'],
    );
    assert.match(read(folder, 'host.json'), /"port": "7000"/);
  });
});

const templatesDir = path.join(repositoryRoot, 'templates', 'self-hosted');
test(
  'with the shipped templates: azure.yaml and infra/ come from them',
  {
    skip: existsSync(templatesDir)
      ? false
      : 'runs once the self-hosted templates exist (templates/self-hosted)',
  },
  async () => {
    const folder = checkout('python-candidate');
    const { deps } = setUp(['Microsoft Entra sign-in']);
    const outcome = await hostOnFunctions(
      { ...deps, infraFiles: (options) => selfHostedInfraFiles(templatesDir, options) },
      folder,
    );
    assert.ok(outcome.kind === 'hosted');
    assert.ok(outcome.written.added.includes('azure.yaml'));
    assert.ok(outcome.written.added.some((file) => file.startsWith('infra/') && file.endsWith('.bicep')));
  },
);
