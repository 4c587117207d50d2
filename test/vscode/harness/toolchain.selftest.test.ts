// The real VS Code suite's toolchain installs through npm from inside `npm test`. These tests run
// its npm step against a package made here (no registry needed): what the package's install
// script sees, and what a failed step tells the person reading the test output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { npmInstall, ToolchainError } from './toolchain';

let scratch: string;

before(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-toolchain-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A package whose postinstall runs `script` (sh), packed to a tarball npm installs offline. */
function packageWithPostinstall(name: string, script: string): string {
  const source = path.join(scratch, `${name}-source`);
  mkdirSync(source, { recursive: true });
  writeFileSync(
    path.join(source, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', scripts: { postinstall: 'sh ./postinstall.sh' } }),
  );
  writeFileSync(path.join(source, 'postinstall.sh'), script);
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], {
    cwd: source,
    encoding: 'utf8',
  }).trim();
  return path.join(scratch, tarball);
}

// What `npm test` exports to the scripts it runs, as npm 11 on Node 20 does.
const outerNpm: NodeJS.ProcessEnv = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.0.0-outer linux x64 workspaces/false',
  npm_config_local_prefix: '/somewhere/else',
  npm_lifecycle_event: 'test',
  npm_package_name: 'remote-mcp-functions',
  npm_node_execpath: '/usr/bin/node',
  NODE: '/usr/bin/node',
};

test('an install run from inside npm test reports the Node that runs it, as code-server checks', async () => {
  const seen = path.join(scratch, 'user-agent.txt');
  const tarball = packageWithPostinstall(
    'probe-user-agent',
    `printf '%s' "$npm_config_user_agent" > '${seen}'\n`,
  );
  const project = path.join(scratch, 'project-ok');
  await npmInstall(() => {}, 'install probe', project, tarball, { ...process.env, ...outerNpm });

  const userAgent = readFileSync(seen, 'utf8');
  assert.doesNotMatch(userAgent, /outer/, 'the outer npm user agent leaked into the nested install');
  assert.match(userAgent, new RegExp(`node/${process.version.replace(/\./g, '\\.')} `));
  // Installed into the folder asked for, not into the outer npm's project.
  assert.ok(readFileSync(path.join(project, 'node_modules/probe-user-agent/package.json'), 'utf8'));
});

test('a failed install step names the step, the command to run by hand and the last lines it printed', async () => {
  const tarball = packageWithPostinstall(
    'probe-fails',
    'echo "ERROR: this package needs something else."\necho "Detected: nothing."\nexit 1\n',
  );
  const project = path.join(scratch, 'project-fails');
  const failure = await npmInstall(() => {}, 'install probe-fails', project, tarball).then(
    () => assert.fail('the install should have failed'),
    (error: unknown) => error,
  );
  assert.ok(failure instanceof ToolchainError);
  assert.equal(failure.step, 'install probe-fails');
  assert.match(failure.message, /step "install probe-fails" failed: exit 1/);
  assert.match(failure.message, /ERROR: this package needs something else\./);
  assert.match(failure.message, /Detected: nothing\./);
  assert.ok(
    failure.message.includes(`To do it by hand, run: cd ${project} && npm install --save-exact`),
    failure.message,
  );
});
