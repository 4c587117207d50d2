// What the Functions host is told about each prompt, as @azure/functions converts it for the extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerFunctionsPrompts } from '../../../../server/src/hosts/functions/registerPrompts';
import { registerFunctionsResources } from '../../../../server/src/hosts/functions/registerResources';
import { registerFunctionsTools } from '../../../../server/src/hosts/functions/registerTools';
import { promptCatalogue } from '../../../../server/src/prompts';
import { resourceCatalogue } from '../../../../server/src/resources';
import { catalogue } from '../../../../server/src/tools';
import { RecordingRegistrar } from '../../../support/functionsRegistrar';
import { testDependencies } from '../../../support/testDependencies';

const functionsHost = new RecordingRegistrar();
registerFunctionsTools(functionsHost, catalogue, testDependencies({}));
registerFunctionsPrompts(functionsHost, promptCatalogue);
registerFunctionsResources(functionsHost, resourceCatalogue, testDependencies({}));

test('every prompt is a function of its own, named so that it cannot collide with a tool or a resource', () => {
  const names = [
    ...functionsHost.registrations.keys(),
    ...functionsHost.prompts.keys(),
    ...functionsHost.resources.map((resource) => resource.functionName),
  ];
  assert.equal(new Set(names).size, names.length, names.join(', '));
  assert.deepEqual([...functionsHost.prompts.keys()], ['prompt_weather_briefing', 'prompt_snippet_review']);
  // The Functions host's rule for function names (Azure/azure-functions-host: src/WebJobs.Script/Utility.cs `FunctionNameValidationRegex`).
  for (const name of names) assert.match(name, /^[a-z][a-z0-9_-]{0,127}$/i);
});

test('the extension receives each prompt argument with its required flag, as the library serialises them', () => {
  const briefing = functionsHost.prompts.get('prompt_weather_briefing')?.trigger;
  assert.equal(briefing?.promptName, 'weather_briefing');
  assert.deepEqual(
    (JSON.parse(briefing?.promptArguments ?? '[]') as { name: string; required: boolean }[]).map(
      ({ name, required }) => ({ name, required }),
    ),
    [
      { name: 'city', required: true },
      { name: 'countryCode', required: false },
    ],
  );
});

test("the MCP App: get_weather's metadata names the view, and the view is an mcp-app resource asking for a border", () => {
  assert.deepEqual(JSON.parse(functionsHost.registrations.get('get_weather')?.metadata ?? '{}'), {
    ui: { resourceUri: 'ui://weather/view.html' },
  });
  const view = functionsHost.resources.find((resource) => resource.uri === 'ui://weather/view.html')?.trigger;
  assert.equal(view?.mimeType, 'text/html;profile=mcp-app');
  assert.deepEqual(JSON.parse(view?.metadata ?? '{}'), { ui: { prefersBorder: true } });
  assert.ok(functionsHost.resources.some((resource) => resource.uri === 'snippet://{name}'));
});
