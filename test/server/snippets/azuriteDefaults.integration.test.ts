// Snippets against Azurite as users start it (the Azurite extension, `npx azurite`, the Docker image:
// default flags, so the API version check and strict mode are on), through both hosts: the embedded
// host over Streamable HTTP and the Functions registration. And against an older Azurite that
// refuses the server's storage API version: both hosts name the cause and the fix.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { registerFunctionsTools } from '../../../server/src/hosts/functions/registerTools';
import type { RunningEmbeddedHost } from '../../../server/src/hosts/embedded/startEmbeddedHost';
import { snippetStoreFromEnv } from '../../../server/src/snippets/storageConnection';
import { STORAGE_API_VERSION } from '../../../shared/developmentStorage';
import { catalogue } from '../../../server/src/tools';
import { startAzurite, type RunningAzurite } from '../../support/azurite';
import { startTestHost } from '../../support/embeddedHost';
import { RecordingRegistrar } from '../../support/functionsRegistrar';
import { connectClient, firstText } from '../../support/mcpClients';
import { recordingLogger, testDependencies } from '../../support/testDependencies';
import { startOutdatedAzurite, type OutdatedAzurite } from '../../fakes/outdatedAzurite';

type HostName = 'embedded' | 'functions';

interface Hosts {
  call(
    host: HostName,
    tool: string,
    args: Record<string, unknown>,
  ): Promise<{ text: string; isError: boolean }>;
  close(): Promise<void>;
}

/** Both hosts over one snippet store reaching `connectionString`. */
async function startHosts(connectionString: string, log = recordingLogger()): Promise<Hosts> {
  const deps = testDependencies({
    snippets: snippetStoreFromEnv({ AzureWebJobsStorage: connectionString }, log),
    log,
  });
  const host: RunningEmbeddedHost = await startTestHost(deps);
  const client: Client = await connectClient(host.mcpUrl, 'streamable-http');
  const functions = new RecordingRegistrar();
  registerFunctionsTools(functions, catalogue, deps);
  return {
    async call(which, tool, args) {
      const result =
        which === 'embedded'
          ? await client.callTool({ name: tool, arguments: args })
          : await functions.invoke(tool, args);
      return { text: firstText(result), isError: result.isError === true };
    },
    async close() {
      await client.close();
      await host.close();
    },
  };
}

describe('Azurite started with its default flags, as `npx azurite-blob` runs it', () => {
  let azurite: RunningAzurite;
  let hosts: Hosts;

  before(async () => {
    azurite = await startAzurite();
    hosts = await startHosts(azurite.connectionString);
  });
  after(async () => {
    await hosts?.close();
    await azurite?.close();
  });

  test('a snippet saved through one host is read and listed through the other', async () => {
    const saves: [HostName, HostName, string, string][] = [
      ['functions', 'embedded', 'defaults-from-functions', 'saved by the Functions host ✓\n'],
      ['embedded', 'functions', 'defaults-from-embedded', 'saved by the embedded host: Grüße, 世界 🚀'],
    ];
    for (const [writer, reader, name, content] of saves) {
      const saved = await hosts.call(writer, 'save_snippet', { snippetname: name, snippet: content });
      assert.equal(saved.text, `Saved snippet "${name}" (${Buffer.byteLength(content)} bytes).`);
      assert.deepEqual(await hosts.call(reader, 'get_snippet', { snippetname: name }), {
        text: content,
        isError: false,
      });
    }
    for (const host of ['embedded', 'functions'] as const) {
      const listed = await hosts.call(host, 'list_snippets', { prefix: 'defaults-' });
      assert.equal(listed.isError, false, listed.text);
      assert.match(listed.text, /defaults-from-embedded[\s\S]*defaults-from-functions/);
    }
  });

  for (const host of ['embedded', 'functions'] as const) {
    test(`200 concurrent saves through the ${host} host all read back identical`, async () => {
      const names = Array.from({ length: 200 }, (_, i) => `${host}-bulk-${String(i).padStart(3, '0')}`);
      const contentOf = (name: string) => `snippet ${name} ✓`;
      const saved = await Promise.all(
        names.map((name) =>
          hosts.call(host, 'save_snippet', { snippetname: name, snippet: contentOf(name) }),
        ),
      );
      saved.forEach((result, i) => assert.equal(result.isError, false, `${names[i]}: ${result.text}`));
      const read = await Promise.all(
        names.map((name) => hosts.call(host, 'get_snippet', { snippetname: name })),
      );
      read.forEach((result, i) => assert.equal(result.text, contentOf(names[i]!)));
      const listed = await hosts.call(host, 'list_snippets', { prefix: `${host}-bulk-`, limit: 1000 });
      assert.equal(listed.text.match(/-bulk-\d{3}/g)?.length, 200, listed.text);
    });
  }
});

describe('an Azurite that refuses the storage API version the server sends', () => {
  let outdated: OutdatedAzurite;
  let hosts: Hosts;
  const log = recordingLogger();

  before(async () => {
    outdated = await startOutdatedAzurite();
    hosts = await startHosts(outdated.connectionString, log);
  });
  after(async () => {
    await hosts?.close();
    await outdated?.close();
  });

  test('save_snippet on both hosts names the cause and the fix, not "Try again"', async () => {
    const results = [];
    for (const host of ['embedded', 'functions'] as const) {
      results.push(await hosts.call(host, 'save_snippet', { snippetname: 'old-azurite', snippet: 'x' }));
    }
    assert.deepEqual(results[0], results[1], 'both hosts word it identically');
    const { text, isError } = results[0]!;
    assert.equal(isError, true);
    assert.match(
      text,
      new RegExp(
        `^Snippet storage at 127\\.0\\.0\\.1:${outdated.port} does not accept the storage API version ` +
          `${STORAGE_API_VERSION} that the MCP server sends \\(400 InvalidHeaderValue for x-ms-version\\): it is ` +
          `an Azurite older than the server's storage client\\.`,
      ),
    );
    for (const fix of [
      'npm install -g azurite@latest',
      'update the Azurite VS Code extension',
      'docker pull mcr.microsoft.com/azure-storage/azurite',
      'start it with --skipApiVersionCheck',
      'azurite.skipApiVersionCheck',
    ]) {
      assert.ok(text.includes(fix), `names the fix "${fix}": ${text}`);
    }
    assert.doesNotMatch(text, /Try again/);
    assert.ok(outdated.versions.length > 0 && outdated.versions.every((v) => v === STORAGE_API_VERSION));
    assert.ok(
      log.lines.some(
        (line) => line.includes('InvalidHeaderValue') && line.includes('not supported by Azurite'),
      ),
      `the server log has Azurite's own answer: ${log.lines.join('\n')}`,
    );
  });
});
