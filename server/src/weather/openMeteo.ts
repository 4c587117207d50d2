import { z } from 'zod';
import { ToolError } from '../toolkit/tool';
import type { ToolLogger } from '../toolkit/toolLogger';
import { describeDuration, networkProblem, oneLine } from '../toolkit/upstreamWording';
import { configured, millisecondsFromEnv } from '../envSettings';

/** Where the weather tool finds Open-Meteo and how long it waits for it. */
export interface WeatherSettings {
  geocodingUrl: string;
  forecastUrl: string;
  timeoutMs: number;
}

const defaultTimeoutMs = 10_000;
// Beyond two minutes the MCP client has usually given up on the call anyway.
const maxTimeoutMs = 120_000;

interface UpstreamApi {
  /** How messages name it. */
  readonly label: string;
  readonly urlVariable: string;
  readonly defaultUrl: string;
  readonly standardPath: string;
}

const geocodingApi: UpstreamApi = {
  label: 'geocoding API',
  urlVariable: 'OPEN_METEO_GEOCODING_URL',
  defaultUrl: 'https://geocoding-api.open-meteo.com/v1/search',
  standardPath: '/v1/search',
};

const forecastApi: UpstreamApi = {
  label: 'forecast API',
  urlVariable: 'OPEN_METEO_FORECAST_URL',
  defaultUrl: 'https://api.open-meteo.com/v1/forecast',
  standardPath: '/v1/forecast',
};

/** Reads the OPEN_METEO_* variables; throws at start-up, naming the variable, when one is unusable. */
export function weatherSettingsFromEnv(env: NodeJS.ProcessEnv): WeatherSettings {
  return {
    geocodingUrl: endpointFromEnv(env, geocodingApi),
    forecastUrl: endpointFromEnv(env, forecastApi),
    timeoutMs: millisecondsFromEnv(env, 'OPEN_METEO_TIMEOUT_MS', defaultTimeoutMs, maxTimeoutMs),
  };
}

function endpointFromEnv(env: NodeJS.ProcessEnv, api: UpstreamApi): string {
  const value = configured(env, api.urlVariable);
  if (value === undefined) return api.defaultUrl;
  // The value is not echoed: a customer-API URL carries its apikey in the query string.
  const rule = `${api.urlVariable} must be an absolute http(s) URL such as ${api.defaultUrl}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${rule}; the configured value is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${rule}; the configured value uses ${url.protocol.replace(/:$/, '')}.`);
  }
  // A self-hosted Open-Meteo or a proxy is naturally configured by its base URL alone.
  if (url.pathname === '' || url.pathname === '/') url.pathname = api.standardPath;
  return url.toString();
}

/** A place as the geocoding API found it. */
export interface Place {
  name: string;
  admin1?: string;
  country?: string;
  countryCode?: string;
  latitude: number;
  longitude: number;
}

/** A value with the unit Open-Meteo reported it in; `null` when the model has no value for that place and time. */
export interface Measurement {
  value: number | null;
  unit: string;
}

export interface CurrentConditions {
  /** Local time of the observation, ISO 8601 without offset, as Open-Meteo gives it. */
  time: string;
  timezone: string;
  timezoneAbbreviation: string;
  temperature: Measurement;
  relativeHumidity: Measurement;
  windSpeed: Measurement;
  windDirection: Measurement;
  precipitation: Measurement;
  weatherCode: number | null;
}

export interface OpenMeteoClient {
  /** The best match for the city; a `ToolError` when nothing matches. */
  geocode(city: string, countryCode: string | undefined, signal: AbortSignal): Promise<Place>;
  currentConditions(latitude: number, longitude: number, signal: AbortSignal): Promise<CurrentConditions>;
}

// Only the fields the tool uses are checked; Open-Meteo adds fields over time and zod drops them.
const geocodingResponse = z.object({
  results: z
    .array(
      z.object({
        name: z.string(),
        latitude: z.number(),
        longitude: z.number(),
        admin1: z.string().optional(),
        country: z.string().optional(),
        country_code: z.string().optional(),
      }),
    )
    .optional(),
});

const currentVariables = [
  'temperature_2m',
  'relative_humidity_2m',
  'wind_speed_10m',
  'wind_direction_10m',
  'precipitation',
  'weather_code',
] as const;

const forecastResponse = z.object({
  timezone: z.string(),
  timezone_abbreviation: z.string(),
  current_units: z.object({
    temperature_2m: z.string(),
    relative_humidity_2m: z.string(),
    wind_speed_10m: z.string(),
    wind_direction_10m: z.string(),
    precipitation: z.string(),
  }),
  current: z.object({
    time: z.string(),
    temperature_2m: z.number().nullable(),
    relative_humidity_2m: z.number().nullable(),
    wind_speed_10m: z.number().nullable(),
    wind_direction_10m: z.number().nullable(),
    precipitation: z.number().nullable(),
    weather_code: z.number().nullable(),
  }),
});

const upstreamError = z.object({ reason: z.string() });

/**
 * Talks to Open-Meteo and turns every way it can fail into a `ToolError` the user can act on.
 * Failures of the service itself are also logged as warnings, so operators see an outage that
 * users only report as "the weather tool is broken".
 */
export function openMeteoClient(settings: WeatherSettings, log: ToolLogger): OpenMeteoClient {
  async function get<T>(api: UpstreamApi, url: URL, schema: z.ZodType<T>, signal: AbortSignal): Promise<T> {
    try {
      return parseBody(api, schema, await fetchJson(api, url, settings.timeoutMs, signal));
    } catch (error) {
      if (error instanceof UpstreamFailure) log.warn(error.message);
      throw error;
    }
  }

  return {
    async geocode(city, countryCode, signal) {
      const url = new URL(settings.geocodingUrl);
      url.searchParams.set('name', city);
      url.searchParams.set('count', '1');
      url.searchParams.set('language', 'en');
      url.searchParams.set('format', 'json');
      if (countryCode !== undefined) url.searchParams.set('countryCode', countryCode);
      const body = await get(geocodingApi, url, geocodingResponse, signal);
      const best = body.results?.[0];
      if (best === undefined) {
        const where = countryCode === undefined ? '' : ` in country ${countryCode}`;
        const fix =
          countryCode === undefined ? 'Check the spelling.' : 'Check the spelling or drop countryCode.';
        throw new ToolError(`No place named "${city}" was found${where}. ${fix}`);
      }
      return {
        name: best.name,
        ...(best.admin1 === undefined ? {} : { admin1: best.admin1 }),
        ...(best.country === undefined ? {} : { country: best.country }),
        ...(best.country_code === undefined ? {} : { countryCode: best.country_code }),
        latitude: best.latitude,
        longitude: best.longitude,
      };
    },

    async currentConditions(latitude, longitude, signal) {
      const url = new URL(settings.forecastUrl);
      url.searchParams.set('latitude', String(latitude));
      url.searchParams.set('longitude', String(longitude));
      url.searchParams.set('current', currentVariables.join(','));
      url.searchParams.set('timezone', 'auto');
      const body = await get(forecastApi, url, forecastResponse, signal);
      const { current, current_units: units } = body;
      return {
        time: current.time,
        timezone: body.timezone,
        timezoneAbbreviation: body.timezone_abbreviation,
        temperature: { value: current.temperature_2m, unit: units.temperature_2m },
        relativeHumidity: { value: current.relative_humidity_2m, unit: units.relative_humidity_2m },
        windSpeed: { value: current.wind_speed_10m, unit: units.wind_speed_10m },
        windDirection: { value: current.wind_direction_10m, unit: units.wind_direction_10m },
        precipitation: { value: current.precipitation, unit: units.precipitation },
        weatherCode: current.weather_code,
      };
    },
  };
}

/** A `ToolError` caused by Open-Meteo or the way to it, as opposed to by the user's question. */
class UpstreamFailure extends ToolError {}

async function fetchJson(
  api: UpstreamApi,
  url: URL,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    // The timeout covers reading the body too: a server that stalls mid-body is as slow as one that never answers.
    response = await fetch(url, {
      signal: AbortSignal.any([signal, timeout]),
      headers: { accept: 'application/json' },
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new ToolError('The weather request was cancelled before Open-Meteo answered.');
    if (timeout.aborted) {
      throw new UpstreamFailure(
        `Open-Meteo's ${api.label} (${url.host}) did not answer within ${describeDuration(timeoutMs)}. ` +
          `Try again later, or raise OPEN_METEO_TIMEOUT_MS (now ${timeoutMs}) if the network is slow.`,
      );
    }
    throw new UpstreamFailure(
      `Could not reach Open-Meteo's ${api.label} at ${url.host}: ${networkProblem(error)}. ` +
        `Check the network connection and ${api.urlVariable}.`,
    );
  }
  if (!response.ok) throw new UpstreamFailure(httpFailureMessage(api, response, text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UpstreamFailure(
      `Open-Meteo returned an unexpected response from its ${api.label}: the body is not valid JSON. Try again later.`,
    );
  }
}

function parseBody<T>(api: UpstreamApi, schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where =
    issue && issue.path.length > 0 ? ` (${issue.path.map(String).join('.')}: ${issue.message})` : '';
  throw new UpstreamFailure(
    `Open-Meteo returned an unexpected response from its ${api.label}${where}. ` +
      'Try again later; if it persists, its API may have changed.',
  );
}

function httpFailureMessage(api: UpstreamApi, response: Response, text: string): string {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const reason = upstreamReason(text);
  let advice = '';
  if (response.status === 429)
    advice = ' Open-Meteo limits how often it may be called; wait a minute and try again.';
  else if (response.status >= 500) advice = ' The service is having trouble; try again later.';
  return `Open-Meteo's ${api.label} answered ${status}${reason ? `: ${reason}` : ''}.${advice}`;
}

/** Open-Meteo explains refusals as `{"error":true,"reason":"..."}`; anything else says nothing useful. */
function upstreamReason(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = upstreamError.safeParse(body);
  if (!parsed.success) return undefined;
  return oneLine(parsed.data.reason);
}

/** The WMO weather interpretation codes, worded as Open-Meteo's forecast API documentation lists them. */
const wmoWeatherCodes: Readonly<Record<number, string>> = {
  0: 'Clear sky',
  1: 'Mainly clear',
  2: 'Partly cloudy',
  3: 'Overcast',
  45: 'Fog',
  48: 'Depositing rime fog',
  51: 'Drizzle: light',
  53: 'Drizzle: moderate',
  55: 'Drizzle: dense',
  56: 'Freezing drizzle: light',
  57: 'Freezing drizzle: dense',
  61: 'Rain: slight',
  63: 'Rain: moderate',
  65: 'Rain: heavy',
  66: 'Freezing rain: light',
  67: 'Freezing rain: heavy',
  71: 'Snow fall: slight',
  73: 'Snow fall: moderate',
  75: 'Snow fall: heavy',
  77: 'Snow grains',
  80: 'Rain showers: slight',
  81: 'Rain showers: moderate',
  82: 'Rain showers: violent',
  85: 'Snow showers: slight',
  86: 'Snow showers: heavy',
  95: 'Thunderstorm: slight or moderate',
  96: 'Thunderstorm with slight hail',
  99: 'Thunderstorm with heavy hail',
};

export function describeWeatherCode(code: number | null): string {
  if (code === null) return 'Not reported';
  return wmoWeatherCodes[code] ?? `Unknown weather (WMO code ${code})`;
}
