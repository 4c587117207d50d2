import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../../server/src/toolkit/callTool';
import type { ToolDependencies } from '../../../server/src/toolDependencies';
import { inputJsonSchema } from '../../../server/src/toolkit/schemas';
import { getWeather } from '../../../server/src/tools/getWeather';
import type { WeatherSettings } from '../../../server/src/weather/openMeteo';
import { testDependencies } from '../../support/testDependencies';
import { startFakeOpenMeteo, type FakeOpenMeteo } from '../../fakes/openMeteo';

function textOf(result: CallToolResult): string {
  const [first] = result.content;
  assert.ok(first?.type === 'text', 'the result starts with a text block');
  return first.text;
}

/** Asserts an error result a user can read: the expected words, and nothing that looks like a stack. */
function assertToolError(result: CallToolResult, ...expected: RegExp[]): string {
  const text = textOf(result);
  assert.equal(result.isError, true, `expected an error result, got: ${text}`);
  for (const pattern of expected) assert.match(text, pattern);
  assert.doesNotMatch(text, /^\s*at /m);
  assert.equal(result.structuredContent, undefined);
  return text;
}

describe('get_weather against a loopback Open-Meteo', () => {
  let fake: FakeOpenMeteo;
  let warnings: string[];

  before(async () => {
    fake = await startFakeOpenMeteo();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    warnings = [];
  });

  function deps(weather: Partial<WeatherSettings> = {}): ToolDependencies {
    return testDependencies({
      weather: {
        geocodingUrl: fake.geocodingUrl,
        forecastUrl: fake.forecastUrl,
        timeoutMs: 2000,
        ...weather,
      },
      log: { warn: (message) => warnings.push(message), error: assert.fail },
    });
  }

  test('publishes a JSON schema with a description for each argument', () => {
    const schema = inputJsonSchema(getWeather);
    assert.equal(getWeather.name, 'get_weather');
    assert.deepEqual(schema.required, ['city']);
    assert.equal(schema.additionalProperties, false);
    assert.match(schema.properties.city?.description ?? '', /city/);
    assert.equal(schema.properties.city?.maxLength, 100);
    assert.match(schema.properties.countryCode?.description ?? '', /ISO 3166-1 alpha-2/);
  });

  test('reports current conditions for a city with units and attribution', async () => {
    const result = await callTool(getWeather, { city: 'London' }, deps());
    const text = textOf(result);
    assert.equal(result.isError, undefined);
    assert.match(text, /London, England, United Kingdom/);
    assert.match(text, /Partly cloudy/);
    assert.match(text, /Temperature: 11\.3 °C/);
    assert.match(text, /Relative humidity: 81%/);
    assert.match(text, /Wind: 14\.8 km\/h from 240°/);
    assert.match(text, /Precipitation: 0 mm/);
    assert.match(text, /2026-11-21T09:00 local time \(Europe\/London, GMT\)/);
    assert.match(text, /Weather data by Open-Meteo\.com \(CC BY 4\.0\)/);

    assert.deepEqual(result.structuredContent, {
      location: {
        name: 'London',
        admin1: 'England',
        country: 'United Kingdom',
        countryCode: 'GB',
        latitude: 51.50853,
        longitude: -0.12574,
        timezone: 'Europe/London',
      },
      time: '2026-11-21T09:00',
      conditions: {
        temperature: { value: 11.3, unit: '°C' },
        relativeHumidity: { value: 81, unit: '%' },
        windSpeed: { value: 14.8, unit: 'km/h' },
        windDirection: { value: 240, unit: '°' },
        precipitation: { value: 0, unit: 'mm' },
        weatherCode: { value: 2, description: 'Partly cloudy' },
      },
      attribution: { source: 'Open-Meteo', url: 'https://open-meteo.com/', licence: 'CC BY 4.0' },
    });

    assert.deepEqual(fake.requests, [
      {
        api: 'geocoding',
        method: 'GET',
        path: '/v1/search',
        params: { name: 'London', count: '1', language: 'en', format: 'json' },
      },
      {
        api: 'forecast',
        method: 'GET',
        path: '/v1/forecast',
        params: {
          latitude: '51.50853',
          longitude: '-0.12574',
          current:
            'temperature_2m,relative_humidity_2m,wind_speed_10m,wind_direction_10m,precipitation,weather_code',
          timezone: 'auto',
        },
      },
    ]);
    assert.deepEqual(warnings, []);
  });

  test('uses the units Open-Meteo reports rather than assuming them', async () => {
    // Same shape as the fake's own answer, but in imperial units, served by a stub forecast endpoint.
    fake.setBehaviour('forecast', {
      kind: 'respond',
      status: 200,
      body: {
        timezone: 'Asia/Tokyo',
        timezone_abbreviation: 'JST',
        utc_offset_seconds: 32400,
        current_units: {
          time: 'iso8601',
          interval: 'seconds',
          temperature_2m: '°F',
          relative_humidity_2m: '%',
          wind_speed_10m: 'mp/h',
          wind_direction_10m: '°',
          precipitation: 'inch',
          weather_code: 'wmo code',
        },
        current: {
          time: '2026-11-21T18:00',
          interval: 900,
          temperature_2m: 57.6,
          relative_humidity_2m: 62,
          wind_speed_10m: 3.4,
          wind_direction_10m: 315,
          precipitation: null,
          weather_code: 3,
        },
      },
    });
    const result = await callTool(getWeather, { city: 'Tokyo' }, deps());
    const text = textOf(result);
    assert.match(text, /Current weather in Tokyo, Japan: Overcast/);
    assert.match(text, /Temperature: 57\.6 °F/);
    assert.match(text, /Wind: 3\.4 mp\/h/);
    assert.match(text, /Precipitation: not reported/);
    const structured = result.structuredContent as { conditions: Record<string, unknown> };
    assert.deepEqual(structured.conditions.precipitation, { value: null, unit: 'inch' });
  });

  test('lets countryCode choose between places with the same name', async () => {
    const inFrance = await callTool(getWeather, { city: 'Paris' }, deps());
    assert.match(textOf(inFrance), /Paris, Île-de-France, France: Rain: slight/);

    const inTexas = await callTool(getWeather, { city: '  Paris ', countryCode: 'us' }, deps());
    assert.match(textOf(inTexas), /Paris, Texas, United States: Clear sky/);
    assert.match(textOf(inTexas), /Temperature: 18\.9 °C/);
    assert.match(textOf(inTexas), /\(America\/Chicago, CST\)/);

    const geocodingParams = fake.requests.filter((r) => r.api === 'geocoding').map((r) => r.params);
    assert.deepEqual(geocodingParams, [
      { name: 'Paris', count: '1', language: 'en', format: 'json' },
      { name: 'Paris', count: '1', language: 'en', format: 'json', countryCode: 'US' },
    ]);
  });

  test('says so when no place has that name', async () => {
    const result = await callTool(getWeather, { city: 'Atlantis' }, deps());
    assertToolError(result, /^No place named "Atlantis" was found\. Check the spelling\.$/);
    assert.equal(fake.requests.filter((r) => r.api === 'forecast').length, 0);
    assert.deepEqual(warnings, [], 'a misspelt city is not an operator problem');
  });

  test('says so when the place is not in the given country', async () => {
    const result = await callTool(getWeather, { city: 'Tokyo', countryCode: 'GB' }, deps());
    assertToolError(
      result,
      /^No place named "Tokyo" was found in country GB\. Check the spelling or drop countryCode\.$/,
    );
  });

  test('reports an upstream server error with its status and reason', async () => {
    fake.setBehaviour('forecast', {
      kind: 'respond',
      status: 500,
      body: { error: true, reason: 'Internal database error' },
    });
    const result = await callTool(getWeather, { city: 'London' }, deps());
    assertToolError(
      result,
      /forecast API answered HTTP 500 Internal Server Error: Internal database error\./,
      /try again later/,
    );
    assert.equal(warnings.length, 1);
  });

  test("reports a refused request with Open-Meteo's reason", async () => {
    fake.setBehaviour('geocoding', {
      kind: 'respond',
      status: 400,
      body: { error: true, reason: 'Parameter count must be between 1 and 100.' },
    });
    const result = await callTool(getWeather, { city: 'London' }, deps());
    assertToolError(
      result,
      /geocoding API answered HTTP 400 Bad Request: Parameter count must be between 1 and 100\./,
    );
  });

  test('advises waiting when Open-Meteo rate-limits', async () => {
    fake.setBehaviour('geocoding', {
      kind: 'respond',
      status: 429,
      body: { error: true, reason: 'Minutely API request limit exceeded. Please try again in one minute.' },
    });
    const result = await callTool(getWeather, { city: 'London' }, deps());
    assertToolError(
      result,
      /HTTP 429 Too Many Requests: Minutely API request limit exceeded/,
      /wait a minute/,
    );
  });

  test('reports an error status without a JSON body by its status alone', async () => {
    fake.setBehaviour('forecast', { kind: 'respond', status: 502, body: '<html>Bad gateway</html>' });
    const text = assertToolError(
      await callTool(getWeather, { city: 'London' }, deps()),
      /HTTP 502 Bad Gateway\./,
    );
    assert.doesNotMatch(text, /html/);
  });

  test('gives up on a slow upstream after timeoutMs, naming the setting', async () => {
    fake.setBehaviour('forecast', { kind: 'delay', ms: 5000 });
    const started = Date.now();
    const result = await callTool(getWeather, { city: 'London' }, deps({ timeoutMs: 300 }));
    assert.ok(Date.now() - started < 3000, 'the call returns soon after the timeout');
    assertToolError(
      result,
      new RegExp(`forecast API \\(127\\.0\\.0\\.1:\\d+\\) did not answer within 300 ms`),
      /OPEN_METEO_TIMEOUT_MS \(now 300\)/,
    );
    assert.equal(warnings.length, 1);
  });

  test('answers normally when the upstream is slow but within timeoutMs', async () => {
    fake.setBehaviour('geocoding', { kind: 'delay', ms: 100 });
    const result = await callTool(getWeather, { city: 'London' }, deps({ timeoutMs: 2000 }));
    assert.equal(result.isError, undefined);
  });

  test('reports a body that is not JSON', async () => {
    fake.setBehaviour('geocoding', { kind: 'malformed' });
    const result = await callTool(getWeather, { city: 'London' }, deps());
    assertToolError(
      result,
      /^Open-Meteo returned an unexpected response from its geocoding API: the body is not valid JSON/,
    );
  });

  test('reports JSON of the wrong shape, naming the field', async () => {
    fake.setBehaviour('forecast', { kind: 'respond', status: 200, body: { timezone: 'GMT', current: {} } });
    const result = await callTool(getWeather, { city: 'London' }, deps());
    assertToolError(
      result,
      /^Open-Meteo returned an unexpected response from its forecast API \(timezone_abbreviation: /,
    );
  });

  test('reports a connection closed without an answer, naming the host', async () => {
    fake.setBehaviour('geocoding', { kind: 'hangUp' });
    const result = await callTool(getWeather, { city: 'London' }, deps());
    assertToolError(
      result,
      /^Could not reach Open-Meteo's geocoding API at 127\.0\.0\.1:\d+: the connection was closed before a complete answer arrived\./,
      /OPEN_METEO_GEOCODING_URL/,
    );
  });

  test('reports a refused connection, naming the host but not the rest of the URL', async () => {
    const port = await unusedPort();
    const result = await callTool(
      getWeather,
      { city: 'London' },
      deps({ geocodingUrl: `http://127.0.0.1:${port}/v1/search?apikey=secret` }),
    );
    const text = assertToolError(
      result,
      new RegExp(`at 127\\.0\\.0\\.1:${port}: the connection was refused\\.`),
    );
    assert.doesNotMatch(text, /secret/);
  });

  test('stops when the caller cancels', async () => {
    fake.setBehaviour('geocoding', { kind: 'delay', ms: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await callTool(getWeather, { city: 'London' }, deps(), controller.signal);
    assertToolError(result, /cancelled/);
    assert.deepEqual(warnings, []);
  });
});

describe('get_weather input validation', () => {
  let fake: FakeOpenMeteo;
  before(async () => {
    fake = await startFakeOpenMeteo();
  });
  after(() => fake.close());

  const cases: { name: string; args: unknown; expected: RegExp }[] = [
    { name: 'missing city', args: {}, expected: /city is required \(a string\)/ },
    { name: 'null arguments', args: null, expected: /city is required/ },
    { name: 'city as a number', args: { city: 42 }, expected: /city must be a string, not a number/ },
    { name: 'empty city', args: { city: '' }, expected: /city must not be empty/ },
    { name: 'whitespace city', args: { city: '   ' }, expected: /city must not be empty/ },
    {
      name: '101-character city',
      args: { city: 'a'.repeat(101) },
      expected: /city must be at most 100 characters/,
    },
    {
      name: 'three-letter countryCode',
      args: { city: 'London', countryCode: 'GBR' },
      expected: /countryCode must be a two-letter ISO 3166-1 country code such as "GB"/,
    },
    {
      name: 'countryCode with a digit',
      args: { city: 'London', countryCode: '1A' },
      expected: /countryCode must be a two-letter ISO 3166-1 country code/,
    },
    {
      name: 'non-ASCII countryCode',
      args: { city: 'London', countryCode: 'ÄÖ' },
      expected: /countryCode must be a two-letter ISO 3166-1 country code/,
    },
    {
      name: 'countryCode as a number',
      args: { city: 'London', countryCode: 44 },
      expected: /countryCode must be a string, not a number/,
    },
    {
      name: 'unknown field',
      args: { city: 'London', units: 'metric' },
      expected: /arguments has unknown field "units"; remove it/,
    },
    { name: 'array arguments', args: ['London'], expected: /arguments must be an object, not an array/ },
  ];

  for (const { name, args, expected } of cases) {
    test(`refuses ${name}, naming the field and the rule`, async () => {
      const deps = testDependencies({
        weather: { geocodingUrl: fake.geocodingUrl, forecastUrl: fake.forecastUrl, timeoutMs: 2000 },
        log: { warn: assert.fail, error: assert.fail },
      });
      const result = await callTool(getWeather, args, deps);
      assertToolError(result, /^Invalid arguments for get_weather: /, expected);
      assert.deepEqual(fake.requests, [], 'invalid input never reaches Open-Meteo');
    });
  }
});

/** A port nothing listens on: bind one, note it, release it. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}
