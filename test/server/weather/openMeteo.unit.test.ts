import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWeatherCode, weatherSettingsFromEnv } from '../../../server/src/weather/openMeteo';

describe('weatherSettingsFromEnv', () => {
  test('defaults to the public Open-Meteo endpoints and a 10 s timeout', () => {
    assert.deepEqual(weatherSettingsFromEnv({}), {
      geocodingUrl: 'https://geocoding-api.open-meteo.com/v1/search',
      forecastUrl: 'https://api.open-meteo.com/v1/forecast',
      timeoutMs: 10000,
    });
  });

  test('treats empty values as unset', () => {
    const settings = weatherSettingsFromEnv({
      OPEN_METEO_GEOCODING_URL: '',
      OPEN_METEO_FORECAST_URL: '  ',
      OPEN_METEO_TIMEOUT_MS: '',
    });
    assert.deepEqual(settings, weatherSettingsFromEnv({}));
  });

  test('completes a bare base URL with the standard path and keeps any query', () => {
    const settings = weatherSettingsFromEnv({
      OPEN_METEO_GEOCODING_URL: 'http://127.0.0.1:8080',
      OPEN_METEO_FORECAST_URL: 'https://customer-api.open-meteo.com/?apikey=k',
      OPEN_METEO_TIMEOUT_MS: '2500',
    });
    assert.deepEqual(settings, {
      geocodingUrl: 'http://127.0.0.1:8080/v1/search',
      forecastUrl: 'https://customer-api.open-meteo.com/v1/forecast?apikey=k',
      timeoutMs: 2500,
    });
  });

  test('leaves a URL that has its own path alone', () => {
    const settings = weatherSettingsFromEnv({
      OPEN_METEO_FORECAST_URL: 'https://proxy.example/weather/forecast',
    });
    assert.equal(settings.forecastUrl, 'https://proxy.example/weather/forecast');
  });

  for (const value of ['abc', '0', '-5', '1.5', '10s', '120001']) {
    test(`refuses OPEN_METEO_TIMEOUT_MS="${value}", naming the variable and the rule`, () => {
      assert.throws(
        () => weatherSettingsFromEnv({ OPEN_METEO_TIMEOUT_MS: value }),
        /^Error: OPEN_METEO_TIMEOUT_MS must be a whole number of milliseconds from 1 to 120000/,
      );
    });
  }

  test('refuses a URL that is not absolute http(s), without echoing it', () => {
    assert.throws(
      () => weatherSettingsFromEnv({ OPEN_METEO_GEOCODING_URL: 'geocoding.local/v1/search?apikey=secret' }),
      (error: Error) =>
        /^OPEN_METEO_GEOCODING_URL must be an absolute http\(s\) URL/.test(error.message) &&
        !error.message.includes('secret'),
    );
    assert.throws(
      () => weatherSettingsFromEnv({ OPEN_METEO_FORECAST_URL: 'ftp://example.com/v1/forecast' }),
      /OPEN_METEO_FORECAST_URL must be an absolute http\(s\) URL.*uses ftp/,
    );
  });
});

describe('WMO weather codes', () => {
  test('are worded as Open-Meteo documents them, and unknown codes say so', () => {
    assert.equal(describeWeatherCode(0), 'Clear sky');
    assert.equal(describeWeatherCode(2), 'Partly cloudy');
    assert.equal(describeWeatherCode(61), 'Rain: slight');
    assert.equal(describeWeatherCode(99), 'Thunderstorm with heavy hail');
    assert.equal(describeWeatherCode(42), 'Unknown weather (WMO code 42)');
    assert.equal(describeWeatherCode(null), 'Not reported');
  });
});
