// How the Functions app host reads a user's app folder before loading it: local.settings.json into
// the environment (as `func start` does), host.json's MCP server info, and the messages for the
// problems a user must fix first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  AppProblem,
  applyLocalSettings,
  describeLoadError,
  entryFiles,
  readMcpServerOptions,
  resolveFunctionsLibrary,
} from '../../../../server/src/hosts/functionsApp/loadApp';

function appFolder(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'functions-app-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  return folder;
}

test("local.settings.json Values fill the environment; a variable already set wins, with Core Tools' notice", (t) => {
  const folder = appFolder(t, {
    'local.settings.json': JSON.stringify({
      Values: { AzureWebJobsStorage: 'UseDevelopmentStorage=true', PORT: '9999', EMPTY: 'x', COUNT: 3 },
    }),
  });
  const env: NodeJS.ProcessEnv = { PORT: '7072', EMPTY: '' };
  const notices: string[] = [];
  applyLocalSettings(folder, env, (message) => notices.push(message));
  assert.deepEqual(env, {
    PORT: '7072',
    EMPTY: 'x',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    COUNT: '3',
  });
  assert.deepEqual(notices, [
    "Skipping 'PORT' from local settings as it's already defined in current environment variables.",
  ]);
});

test("host.json extensions.mcp gives the server's name, version and instructions; McpOptions.cs defaults otherwise", (t) => {
  const configured = appFolder(t, {
    'host.json': JSON.stringify({
      version: '2.0',
      extensions: { mcp: { serverName: 'Contoso', ServerVersion: '2.0.1', instructions: 'Be brief.' } },
    }),
  });
  assert.deepEqual(readMcpServerOptions(configured), {
    serverName: 'Contoso',
    serverVersion: '2.0.1',
    instructions: 'Be brief.',
  });
  const plain = appFolder(t, { 'host.json': '{"version":"2.0"}' });
  assert.deepEqual(readMcpServerOptions(plain), {
    serverName: 'Azure Functions MCP server',
    serverVersion: '1.0.0',
    instructions: undefined,
  });
  assert.throws(() => readMcpServerOptions(appFolder(t, {})), /No host\.json in .*Add \{"version": "2\.0"\}/);
});

test('a missing build, missing node_modules and a syntax error are each one message naming the fix', (t) => {
  const folder = appFolder(t, {});
  assert.throws(
    () => entryFiles(folder, { main: 'dist/src/functions/*.js', type: undefined, hasBuildScript: true }),
    (error: unknown) =>
      error instanceof AppProblem &&
      error.message ===
        `package.json "main" is "dist/src/functions/*.js", but no file matches it in ${folder}. The app is not built yet: run "npm run build" in ${folder}, then start again.`,
  );
  assert.throws(
    () => resolveFunctionsLibrary(folder),
    /Cannot find the package @azure\/functions .*Run "npm install" in/,
  );

  const file = path.join(folder, 'broken.js');
  writeFileSync(file, 'const x = ;\n');
  let syntaxError: unknown;
  try {
    // Loaded as the host loads a CommonJS entry file, to get V8's own SyntaxError.
    createRequire(file)(file);
  } catch (error) {
    syntaxError = error;
  }
  assert.equal(
    describeLoadError(folder, 'broken.js', syntaxError),
    `Syntax error in ${file}, line 1: Unexpected token ';'. Fix the code (then rebuild if it is compiled) and start again.`,
  );
});
