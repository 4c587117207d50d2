// Recognising a workspace's MCP projects (extension/project/recognizeProjects.ts) from the fixture
// projects in test/fixtures/projects/, written as users write them.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { McpProject } from '../../../extension/project/mcpProject';
import { recognizeProjects, type Recognition } from '../../../extension/project/recognizeProjects';
import { brokenFixtureWorkspace, fixtureProject, fixtureProjectsDir } from '../../fixtures/fixtureProjects';

const fixtures = fixtureProjectsDir;
const fixture = fixtureProject;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-recognize-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function onlyProject(folder: string): Promise<McpProject> {
  const found = await recognizeProjects([folder]);
  assert.deepEqual(found.problems, []);
  assert.deepEqual(found.candidates, []);
  assert.equal(found.projects.length, 1, JSON.stringify(found.projects));
  return found.projects[0]!;
}

const func = (folder: string) => ({ executable: 'func', args: ['start'], cwd: folder });

describe('self-hosted projects', () => {
  test('a Node server with the current host.json: /mcp, anonymous, its own command on the host.json port', async () => {
    const folder = fixture('node-self-hosted');
    assert.deepEqual(await onlyProject(folder), {
      folder,
      name: 'todo-mcp-server',
      kind: 'selfHosted',
      language: 'node',
      mcpPath: '/mcp',
      auth: 'anonymous',
      localRun: {
        coreTools: func(folder),
        direct: {
          executable: 'node',
          args: ['dist/index.js'],
          cwd: folder,
          port: 3000,
          portSource: 'host.json',
        },
      },
      legacyForms: [],
    });
  });

  test('a Python FastMCP server: python server.py on 8000, the default function key', async () => {
    const folder = fixture('python-self-hosted');
    assert.deepEqual(await onlyProject(folder), {
      folder,
      name: 'python-self-hosted',
      kind: 'selfHosted',
      language: 'python',
      mcpPath: '/mcp',
      auth: 'functionKey',
      localRun: {
        coreTools: func(folder),
        direct: {
          executable: 'python',
          args: ['server.py'],
          cwd: folder,
          port: 8000,
          portSource: 'host.json',
        },
      },
      legacyForms: [],
    });
  });

  test('the older form (forwarding flag, mcp-handler/function.json, empty route prefix) is a project to upgrade', async () => {
    const folder = fixture('node-legacy');
    assert.deepEqual(await onlyProject(folder), {
      folder,
      name: 'inventory-mcp',
      kind: 'selfHosted',
      language: 'node',
      mcpPath: '/mcp',
      // No DefaultAuthorizationLevel: HTTP's default level, function (and the handler's authLevel says so too).
      auth: 'functionKey',
      localRun: {
        coreTools: func(folder),
        direct: { executable: 'node', args: ['server.js'], cwd: folder, port: 3000, portSource: 'default' },
      },
      legacyForms: ['enableForwardingHttpRequest', 'mcpHandlerFunction', 'emptyRoutePrefix'],
    });
  });

  test('the older Python form: enableProxyingHttpRequest with a working directory and a port given as a number', async () => {
    const folder = path.join(scratch, 'proxying');
    write(
      path.join(folder, 'host.json'),
      JSON.stringify({
        version: '2.0',
        extensions: { http: { routePrefix: '' } },
        customHandler: {
          description: {
            defaultExecutablePath: 'python3',
            workingDirectory: 'app',
            arguments: ['weather.py'],
          },
          enableProxyingHttpRequest: true,
          port: 8123,
        },
      }),
    );
    write(
      path.join(folder, 'pyproject.toml'),
      '[project]\nname = "w"\ndependencies = ["mcp[cli]>=1.14.1"]\n',
    );
    const project = await onlyProject(folder);
    assert.equal(project.language, 'python');
    assert.deepEqual(project.legacyForms, ['enableProxyingHttpRequest', 'emptyRoutePrefix']);
    assert.deepEqual(project.localRun.direct, {
      executable: 'python3',
      args: ['weather.py'],
      cwd: path.join(folder, 'app'),
      port: 8123,
      portSource: 'host.json',
    });
  });

  test('a forwarding flag without the MCP SDK or the mcp-handler function is some other custom handler', async () => {
    const folder = path.join(scratch, 'go-api');
    write(
      path.join(folder, 'host.json'),
      '{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"api"},"enableForwardingHttpRequest":true}}',
    );
    assert.deepEqual(await recognizeProjects([folder]), { projects: [], candidates: [], problems: [] });
  });

  test('npm run start without a port: the samples default, and the language from the program', async () => {
    const folder = path.join(scratch, 'npm-start');
    write(
      path.join(folder, 'host.json'),
      '{"configurationProfile":"mcp-custom-handler","customHandler":{"description":{"defaultExecutablePath":"npm","arguments":["run","start"]}}}',
    );
    const project = await onlyProject(folder);
    assert.equal(project.language, 'node');
    assert.deepEqual(project.localRun.direct, {
      executable: 'npm',
      args: ['run', 'start'],
      cwd: folder,
      port: 3000,
      portSource: 'default',
    });
  });
});

describe('Functions MCP extension apps', () => {
  test('TypeScript with app.mcpTool: the webhook path and the mcp_extension system key, run by func only', async () => {
    const folder = fixture('ts-functions-mcp');
    assert.deepEqual(await onlyProject(folder), {
      folder,
      name: 'greetings-functions',
      kind: 'functionsMcpExtension',
      language: 'node',
      mcpPath: '/runtime/webhooks/mcp',
      auth: 'systemKey',
      localRun: { coreTools: func(folder) },
      legacyForms: [],
    });
  });

  test('Python with @app.mcp_tool and an anonymous webhook in host.json', async () => {
    const folder = fixture('python-functions-mcp');
    assert.deepEqual(await onlyProject(folder), {
      folder,
      name: 'python-functions-mcp',
      kind: 'functionsMcpExtension',
      language: 'python',
      mcpPath: '/runtime/webhooks/mcp',
      auth: 'anonymous',
      localRun: { coreTools: func(folder) },
      legacyForms: [],
    });
  });

  test('.NET isolated with [McpToolTrigger]', async () => {
    const folder = fixture('dotnet-functions-mcp');
    const project = await onlyProject(folder);
    assert.deepEqual(
      { kind: project.kind, language: project.language, auth: project.auth, direct: project.localRun.direct },
      { kind: 'functionsMcpExtension', language: 'dotnet', auth: 'systemKey', direct: undefined },
    );
  });

  const triggerCases: { name: string; file: string; text: string; language: string }[] = [
    {
      name: 'app.mcpResource in JavaScript',
      file: 'src/index.js',
      text: 'app.mcpResource("r", {});',
      language: 'node',
    },
    { name: 'app.mcpPrompt', file: 'src/prompts.ts', text: 'app . mcpPrompt("p", {})', language: 'node' },
    {
      name: 'a Blueprint mcp_tool_trigger',
      file: 'tools.py',
      text: '@bp.mcp_tool_trigger(arg_name="c")',
      language: 'python',
    },
    {
      name: 'the generic trigger',
      file: 'function_app.py',
      text: '@app.generic_trigger(arg_name="context", type="mcpToolTrigger", toolName="hello")',
      language: 'python',
    },
    {
      name: 'a Java annotation',
      file: 'src/main/java/com/contoso/Tools.java',
      text: '@McpToolTrigger(name = "t")',
      language: 'java',
    },
    {
      name: 'function.json metadata',
      file: 'hello/function.json',
      text: '{"bindings":[{"type":"mcpToolTrigger","direction":"in","name":"context","toolName":"hello"}]}',
      language: 'powershell',
    },
  ];
  for (const { name, file, text, language } of triggerCases) {
    test(`a trigger found in code or metadata: ${name}`, async () => {
      const folder = path.join(scratch, `trigger-${triggerCases.findIndex((c) => c.name === name)}`);
      write(path.join(folder, 'host.json'), '{"version":"2.0"}');
      write(path.join(folder, file), text);
      if (language === 'java') write(path.join(folder, 'pom.xml'), '<project/>');
      if (language === 'powershell') write(path.join(folder, 'profile.ps1'), '');
      if (language === 'node') write(path.join(folder, 'package.json'), '{"name":"x"}');
      if (language === 'python') write(path.join(folder, 'requirements.txt'), 'azure-functions\n');
      const project = await onlyProject(folder);
      assert.equal(project.kind, 'functionsMcpExtension');
      assert.equal(project.language, language);
    });
  }

  test('a Functions app without MCP triggers is not an MCP project, and code in node_modules does not count', async () => {
    const folder = path.join(scratch, 'plain-functions');
    write(path.join(folder, 'host.json'), '{"version":"2.0"}');
    write(path.join(folder, 'src/functions/http.ts'), "app.http('hello', { handler })");
    write(path.join(folder, 'node_modules/lib/index.js'), "app.mcpTool('x', {})");
    assert.deepEqual(await recognizeProjects([folder]), { projects: [], candidates: [], problems: [] });
  });
});

describe('candidates: SDK servers not hosted yet', () => {
  test('Node packages depending on @modelcontextprotocol/sdk, stateless or stateful', async () => {
    const found = await recognizeProjects([fixture('node-candidate'), fixture('node-stateful-candidate')]);
    assert.deepEqual(found, {
      projects: [],
      candidates: [
        {
          folder: fixture('node-candidate'),
          name: '@contoso/weather-mcp',
          language: 'node',
          evidence: path.join(fixture('node-candidate'), 'package.json'),
        },
        {
          folder: fixture('node-stateful-candidate'),
          name: 'notes-mcp',
          language: 'node',
          evidence: path.join(fixture('node-stateful-candidate'), 'package.json'),
        },
      ],
      problems: [],
    });
  });

  test('the SDK as a devDependency counts too', async () => {
    const folder = path.join(scratch, 'dev-dependency');
    write(path.join(folder, 'package.json'), '{"devDependencies":{"@modelcontextprotocol/sdk":"^1.0.0"}}');
    const found = await recognizeProjects([folder]);
    assert.equal(found.candidates[0]?.folder, folder);
    assert.equal(found.candidates[0]?.name, 'dev-dependency');
  });

  test('a Python project naming fastmcp in pyproject.toml', async () => {
    const folder = fixture('python-candidate');
    assert.deepEqual((await recognizeProjects([folder])).candidates, [
      { folder, name: 'python-candidate', language: 'python', evidence: path.join(folder, 'pyproject.toml') },
    ]);
  });

  test('mcp-utils is not mcp, nor fastmcp-client-tools fastmcp', async () => {
    assert.deepEqual(await recognizeProjects([fixture('python-not-mcp')]), {
      projects: [],
      candidates: [],
      problems: [],
    });
  });

  test('a hosted project that is also an SDK server is a project, and its sub-folders are part of it', async () => {
    const folder = path.join(scratch, 'hosted-with-subpackage');
    cpSync(fixture('node-self-hosted'), folder, { recursive: true });
    write(path.join(folder, 'tools/package.json'), '{"dependencies":{"@modelcontextprotocol/sdk":"1.20.0"}}');
    const found = await recognizeProjects([folder]);
    assert.deepEqual(
      found.projects.map((project) => project.folder),
      [folder],
    );
    assert.deepEqual(found.candidates, []);
  });
});

describe('where recognition looks', () => {
  test('every fixture is found as an immediate sub-folder of one workspace folder, deeper ones are not', async () => {
    const found = await recognizeProjects([fixtures]);
    const names = (items: { folder: string }[]) => items.map((item) => path.relative(fixtures, item.folder));
    assert.deepEqual(names(found.projects), [
      'dotnet-functions-mcp',
      'node-legacy',
      'node-self-hosted',
      'python-functions-mcp',
      'python-self-hosted',
      'ts-functions-mcp',
      'ts-functions-mcp-app',
    ]);
    assert.deepEqual(names(found.candidates), [
      'node-candidate',
      'node-stateful-candidate',
      'python-candidate',
    ]);
    // broken/ holds its projects one level further down.
    assert.deepEqual(found.problems, []);
  });

  test('node_modules, .venv and dot folders are skipped; a nested app in server/ is found', async () => {
    const root = path.join(scratch, 'repo');
    const sdkPackage = '{"dependencies":{"@modelcontextprotocol/sdk":"^1.0.0"}}';
    write(path.join(root, 'README.md'), '# repo');
    write(path.join(root, 'node_modules/some-server/package.json'), sdkPackage);
    write(path.join(root, '.venv/requirements.txt'), 'mcp\n');
    write(path.join(root, '.github/package.json'), sdkPackage);
    cpSync(fixture('python-self-hosted'), path.join(root, 'server'), { recursive: true });
    const found = await recognizeProjects([root]);
    assert.deepEqual(
      found.projects.map((project) => project.folder),
      [path.join(root, 'server')],
    );
    assert.deepEqual(found.candidates, []);
  });

  test('the same folder named twice (a workspace folder inside another) is one project', async () => {
    const found = await recognizeProjects([fixtures, fixture('node-self-hosted')]);
    assert.equal(found.projects.filter((project) => project.name === 'todo-mcp-server').length, 1);
  });

  test('folders that do not exist are no projects and no problems', async () => {
    assert.deepEqual(await recognizeProjects([path.join(scratch, 'missing')]), {
      projects: [],
      candidates: [],
      problems: [],
    });
  });
});

describe("bad input in a user's files: a problem naming the file and the fix, never an exception", () => {
  let broken: Recognition;
  let root: string;
  const problemFor = (relative: string) => {
    const matches = broken.problems.filter((problem) => problem.file === path.join(root, relative));
    assert.equal(matches.length, 1, `one problem for ${relative}: ${JSON.stringify(broken.problems)}`);
    return matches[0]!.message;
  };
  const projectIn = (sub: string) =>
    broken.projects.find((project) => project.folder === path.join(root, sub));

  test('recognition of the broken workspace completes', async () => {
    root = brokenFixtureWorkspace(scratch);
    const subs = readdirSync(root).map((sub) => path.join(root, sub));
    broken = await recognizeProjects(subs);
    assert.equal(broken.problems.length, 5, JSON.stringify(broken.problems, null, 2));
  });

  test('host.json that is not JSON (comments are fine): where, and what to fix; the SDK server is still seen', () => {
    const message = problemFor('host-json-syntax/host.json');
    assert.match(message, /^host\.json is not valid JSON: comma expected at line 5, column 3\./);
    assert.match(message, /Fix the JSON there \(comments are fine/);
    assert.deepEqual(
      broken.candidates.map((candidate) => candidate.name),
      ['broken-host-json'],
    );
  });

  test('package.json that is not JSON', () => {
    const message = problemFor('package-json-syntax/package.json');
    assert.match(
      message,
      /^package\.json is not valid JSON: .* at line \d+, column \d+\. Fix the JSON there/,
    );
    // host.json is fine, so the project is recognised, named after its folder.
    assert.equal(projectIn('package-json-syntax')?.name, 'package-json-syntax');
    assert.equal(projectIn('package-json-syntax')?.auth, 'functionKey');
  });

  test('a port that is not a port: the project is recognised, but no direct command is guessed', () => {
    const message = problemFor('port-not-a-port/host.json');
    assert.equal(
      message,
      'host.json: customHandler.port is "http://localhost:3000", which is not a port. Set it to the port your ' +
        'server listens on, a whole number from 1 to 65535, e.g. "3000" (Node) or "8000" (Python).',
    );
    assert.equal(projectIn('port-not-a-port')?.kind, 'selfHosted');
    assert.equal(projectIn('port-not-a-port')?.localRun.direct, undefined);
  });

  test('arguments that are not an array of strings', () => {
    const message = problemFor('arguments-not-a-list/host.json');
    assert.equal(
      message,
      'host.json: customHandler.description.arguments is "server.py", not an array of strings. Write it as a ' +
        'list of strings, for example ["dist/index.js"] or ["server.py"].',
    );
    assert.equal(projectIn('arguments-not-a-list')?.language, 'python');
    assert.equal(projectIn('arguments-not-a-list')?.localRun.direct, undefined);
  });

  test('FUNCTIONS_WORKER_RUNTIME "custom" for a self-hosted server', () => {
    const message = problemFor('runtime-custom/local.settings.json');
    assert.match(message, /^local\.settings\.json: FUNCTIONS_WORKER_RUNTIME is "custom"/);
    assert.match(message, /Set it to "node" or "python"/);
    assert.equal(projectIn('runtime-custom')?.language, 'python');
  });

  const moreBadInput: { name: string; hostJson: string; expected: RegExp }[] = [
    { name: 'host.json holding an array', hostJson: '[]', expected: /^host\.json must hold a JSON object/ },
    {
      name: 'no program',
      hostJson: '{"configurationProfile":"mcp-custom-handler","customHandler":{"port":"3000"}}',
      expected:
        /defaultExecutablePath is missing; it must name the program that starts your server\. Set it to/,
    },
    {
      name: 'port 0',
      hostJson:
        '{"configurationProfile":"mcp-custom-handler","customHandler":{"description":{"defaultExecutablePath":"node"},"port":0}}',
      expected: /customHandler\.port is 0, which is not a port/,
    },
    {
      name: 'an authorization level a client cannot use',
      hostJson:
        '{"configurationProfile":"mcp-custom-handler","customHandler":{"description":{"defaultExecutablePath":"node"},"http":{"DefaultAuthorizationLevel":"admin"}}}',
      expected: /DefaultAuthorizationLevel is "admin".*Set it to one of those two\./,
    },
  ];
  for (const { name, hostJson, expected } of moreBadInput) {
    test(name, async () => {
      const folder = path.join(scratch, `bad-${moreBadInput.findIndex((c) => c.name === name)}`);
      write(path.join(folder, 'host.json'), hostJson);
      const found = await recognizeProjects([folder]);
      assert.equal(found.problems.length, 1, JSON.stringify(found.problems));
      assert.equal(found.problems[0]?.file, path.join(folder, 'host.json'));
      assert.match(found.problems[0]?.message ?? '', expected);
    });
  }
});
