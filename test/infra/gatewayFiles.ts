// The API Management gateway's files as the extension ships them (infra/app/gateway/) and as every
// rendered project must carry them: byte for byte, since their `{{mcp-…}}` are API Management named
// values that no template renderer may touch (extension/deploymentFiles/infraTemplates.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_FILES_FOLDER } from '../../extension/deploymentFiles/infraTemplates';

const root = path.resolve(__dirname, '../..');

/** The repository's gateway files, by their path in a project (infra/app/gateway/<name>). */
export function repositoryGatewayFiles(): Map<string, string> {
  const dir = path.join(root, ...GATEWAY_FILES_FOLDER.split('/'));
  return new Map(
    readdirSync(dir)
      .sort()
      .map((name) => [`${GATEWAY_FILES_FOLDER}/${name}`, readFileSync(path.join(dir, name), 'utf8')]),
  );
}

/** Asserts that a rendering holds exactly the repository's gateway files, each the same text. */
export function assertGatewayFilesVerbatim(rendered: Map<string, string>, variant: string): void {
  const expected = repositoryGatewayFiles();
  assert.deepEqual(
    [...expected.keys()],
    [
      'infra/app/gateway/apim.bicep',
      'infra/app/gateway/mcp-api.policy.xml',
      'infra/app/gateway/prm.policy.xml',
    ],
  );
  const given = [...rendered.keys()].filter((name) => name.startsWith(`${GATEWAY_FILES_FOLDER}/`));
  assert.deepEqual(given.sort(), [...expected.keys()], `${variant}: the gateway's files`);
  for (const [name, content] of expected) {
    assert.ok(rendered.get(name) === content, `${variant}: ${name} differs from the repository's`);
  }
}

/** A rendering without the gateway's files, whose named values look like template placeholders. */
export function withoutGatewayFiles(rendered: Map<string, string>): Map<string, string> {
  return new Map([...rendered].filter(([name]) => !name.startsWith(`${GATEWAY_FILES_FOLDER}/`)));
}
