// The command line of a self-hosted server run without Core Tools (shared/selfHostedRun/directCommand.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreToolsRun, type McpProject } from '../../../shared/mcpProject/mcpProject';
import { directCommand, DirectRunError } from '../../../shared/selfHostedRun/directCommand';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-direct-'));

function executable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

function project(folder: string, executableName: string, args: string[], port = 3000): McpProject {
  return {
    folder,
    name: path.basename(folder),
    kind: 'selfHosted',
    language: executableName.startsWith('python') ? 'python' : 'node',
    mcpPath: '/mcp',
    auth: 'anonymous',
    localRun: {
      coreTools: coreToolsRun(folder),
      direct: { executable: executableName, args, cwd: folder, port, portSource: 'host.json' },
    },
    legacyForms: [],
  };
}

describe('directCommand', { skip: process.platform === 'win32' }, () => {
  test("node on PATH; PORT and FUNCTIONS_CUSTOMHANDLER_PORT are host.json's port; local.settings.json values as func sets them", () => {
    const folder = path.join(scratch, 'todos');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'local.settings.json'),
      '{ "Values": { "AzureWebJobsFeatureFlags": "EnableMcpCustomHandlerPreview", "PORT": "1", "N": 2 } }',
    );
    const node = executable(path.join(scratch, 'bin'), 'node');
    const command = directCommand(project(folder, 'node', ['dist/index.js'], 3123), {
      env: { PATH: path.dirname(node), HOME: '/home/me' },
      execPath: '/vscode/electron',
      execPathIsElectron: true,
    });
    assert.equal(command.command, node);
    assert.deepEqual(command.args, ['dist/index.js']);
    assert.equal(command.cwd, folder);
    assert.equal(
      command.env.PORT,
      '3123',
      'host.json wins over a PORT in local.settings.json, as under func',
    );
    assert.equal(command.env.FUNCTIONS_CUSTOMHANDLER_PORT, '3123');
    assert.equal(command.env.AzureWebJobsFeatureFlags, 'EnableMcpCustomHandlerPreview');
    assert.equal(command.env.N, undefined, 'only string values, as Core Tools reads them');
    assert.equal(command.env.HOME, '/home/me');
    assert.equal(command.env.ELECTRON_RUN_AS_NODE, undefined);
    assert.deepEqual(command.notes, []);
  });

  test("no node on PATH: VS Code's own Node, as Node, and the log says so", () => {
    const command = directCommand(project(path.join(scratch, 'todos'), 'node', ['dist/index.js']), {
      env: { PATH: path.join(scratch, 'empty') },
      execPath: '/vscode/electron',
      execPathIsElectron: true,
    });
    assert.equal(command.command, '/vscode/electron');
    assert.equal(command.env.ELECTRON_RUN_AS_NODE, '1');
    assert.match(command.notes[0] ?? '', /^No node was found on PATH, so todos runs on VS Code's own Node/);
  });

  test("python: the project's .venv first, else the name host.json gives on PATH", () => {
    const folder = path.join(scratch, 'books');
    const onPath = executable(path.join(scratch, 'pybin'), 'python');
    const lookup = { env: { PATH: path.dirname(onPath) }, execPath: '/x', execPathIsElectron: false };
    assert.equal(directCommand(project(folder, 'python', ['server.py']), lookup).command, onPath);
    const venv = executable(path.join(folder, '.venv/bin'), 'python');
    const command = directCommand(project(folder, 'python', ['server.py']), lookup);
    assert.equal(command.command, venv);
    assert.deepEqual(command.notes, [`Using the project's environment: ${venv}.`]);
  });

  test('no Python at all: what to install, and the command that creates the environment', () => {
    assert.throws(
      () =>
        directCommand(project(path.join(scratch, 'nopython'), 'python', ['server.py']), {
          env: { PATH: path.join(scratch, 'empty') },
          execPath: '/x',
          execPathIsElectron: false,
        }),
      (error: unknown) =>
        error instanceof DirectRunError &&
        /^Python was not found \(no python on PATH and no \.venv in .*\), so nopython cannot start\. Install Python 3\.10 or later \(https:\/\/www\.python\.org\/downloads\/\), then create the project's environment: python -m venv \.venv && \.venv\/bin\/pip install -r requirements\.txt$/.test(
          error.message,
        ),
    );
  });

  test('another program that is not installed: named, with the fix in host.json', () => {
    assert.throws(
      () =>
        directCommand(project(path.join(scratch, 'uvapp'), 'uv', ['run', 'server.py']), {
          env: { PATH: path.join(scratch, 'empty') },
          execPath: '/x',
          execPathIsElectron: false,
        }),
      (error: unknown) =>
        error instanceof DirectRunError &&
        /^uv, the program host\.json names to start uvapp, was not found on PATH\. Install it, or correct customHandler\.description\.defaultExecutablePath in host\.json\.$/.test(
          error.message,
        ),
    );
  });
});
