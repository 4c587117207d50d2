// Prompt arguments as the Functions host hands them to a Node.js prompt, and the extension's check of
// required ones, so the embedded host gives a prompt exactly what the Functions host would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PromptInvocationContext } from '@azure/functions';
import {
  missingArgumentsMessage,
  missingRequiredArguments,
  promptArgumentStrings,
} from '../../../server/src/toolkit/prompt';
import { weatherBriefing } from '../../../server/src/prompts/weatherBriefing';

const argumentSets: unknown[] = [
  { city: 'London', countryCode: 'GB' },
  { city: 42, flag: true, none: null, nested: { a: 1 }, list: [1, 2] },
  { city: '' },
  [],
  'not an object',
  null,
  undefined,
];

for (const args of argumentSets) {
  test(`arguments ${JSON.stringify(args)} become the strings @azure/functions' PromptInvocationContext makes`, () => {
    assert.deepEqual(promptArgumentStrings(args), new PromptInvocationContext({ arguments: args }).arguments);
  });
}

test('required arguments left out or null are missing, in declaration order; an empty string counts as given', () => {
  assert.deepEqual(missingRequiredArguments(weatherBriefing, undefined), ['city']);
  assert.deepEqual(missingRequiredArguments(weatherBriefing, { city: null, countryCode: 'GB' }), ['city']);
  assert.deepEqual(missingRequiredArguments(weatherBriefing, { city: '' }), []);
  assert.equal(
    missingArgumentsMessage(['city', 'day']),
    'One or more required prompt arguments are missing values. Please provide: city, day',
  );
});

test('weather_briefing names get_weather with the place, and the country only when given', () => {
  assert.match(weatherBriefing.text({ city: ' Lyon ' }), /^Call get_weather with city "Lyon" and brief me/);
  assert.match(
    weatherBriefing.text({ city: 'Paris', countryCode: 'FR' }),
    /city "Paris" and countryCode "FR"/,
  );
});
