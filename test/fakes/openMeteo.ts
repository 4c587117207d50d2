// A loopback stand-in for Open-Meteo's two public APIs, imitating the contract in their documentation:
// the forecast API at https://open-meteo.com/en/docs and the geocoding API at
// https://open-meteo.com/en/docs/geocoding-api. Paths, query parameters, body shapes (including a
// geocoding answer with no `results` key when nothing matches) and the `{"error":true,"reason":...}`
// refusals follow those pages, so tests exercise the real client without the internet. Values are
// fixed per place so assertions can be exact; the wording of refusal reasons is this fake's own.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeApi = 'geocoding' | 'forecast';

/** How the fake answers one API; anything but `normal` imitates an upstream in trouble. */
export type FakeBehaviour =
  | { kind: 'normal' }
  /** Answers normally, but only after `ms`. */
  | { kind: 'delay'; ms: number }
  /** A string body is sent verbatim; anything else as JSON. */
  | { kind: 'respond'; status: number; body: unknown }
  /** 200 with a truncated JSON body. */
  | { kind: 'malformed' }
  /** Destroys the socket without answering. */
  | { kind: 'hangUp' };

export interface RecordedRequest {
  api: FakeApi | 'unknown';
  method: string;
  path: string;
  params: Record<string, string>;
}

export interface FakeOpenMeteoOptions {
  geocoding?: FakeBehaviour;
  forecast?: FakeBehaviour;
}

export interface FakeOpenMeteo {
  /** `http://127.0.0.1:<port>`, for tests of base-URL configuration. */
  baseUrl: string;
  geocodingUrl: string;
  forecastUrl: string;
  /** Every request received, oldest first; the same array for the fake's whole life. */
  requests: RecordedRequest[];
  setBehaviour(api: FakeApi, behaviour: FakeBehaviour): void;
  /** Back to normal behaviour with no recorded requests, so one fake can serve many tests. */
  reset(): void;
  close(): Promise<void>;
}

interface FakePlace {
  id: number;
  name: string;
  latitude: number;
  longitude: number;
  elevation: number;
  feature_code: string;
  country_code: string;
  admin1_id: number;
  timezone: string;
  population: number;
  country_id: number;
  country: string;
  admin1: string;
}

/** Real GeoNames entries; "Paris" exists twice so a country code has to decide between them. */
export const fakePlaces: readonly FakePlace[] = [
  {
    id: 2643743,
    name: 'London',
    latitude: 51.50853,
    longitude: -0.12574,
    elevation: 25,
    feature_code: 'PPLC',
    country_code: 'GB',
    admin1_id: 6269131,
    timezone: 'Europe/London',
    population: 8961989,
    country_id: 2635167,
    country: 'United Kingdom',
    admin1: 'England',
  },
  {
    id: 2988507,
    name: 'Paris',
    latitude: 48.85341,
    longitude: 2.3488,
    elevation: 42,
    feature_code: 'PPLC',
    country_code: 'FR',
    admin1_id: 3012874,
    timezone: 'Europe/Paris',
    population: 2138551,
    country_id: 3017382,
    country: 'France',
    admin1: 'Île-de-France',
  },
  {
    id: 4717560,
    name: 'Paris',
    latitude: 33.66094,
    longitude: -95.55551,
    elevation: 177,
    feature_code: 'PPLA2',
    country_code: 'US',
    admin1_id: 4736286,
    timezone: 'America/Chicago',
    population: 24782,
    country_id: 6252001,
    country: 'United States',
    admin1: 'Texas',
  },
  {
    id: 1850147,
    name: 'Tokyo',
    latitude: 35.6895,
    longitude: 139.69171,
    elevation: 44,
    feature_code: 'PPLC',
    country_code: 'JP',
    admin1_id: 1850144,
    timezone: 'Asia/Tokyo',
    population: 8336599,
    country_id: 1861060,
    country: 'Japan',
    admin1: 'Tokyo',
  },
];

type CurrentVariable =
  | 'temperature_2m'
  | 'relative_humidity_2m'
  | 'wind_speed_10m'
  | 'wind_direction_10m'
  | 'precipitation'
  | 'weather_code';

const currentUnits: Record<CurrentVariable, string> = {
  temperature_2m: '°C',
  relative_humidity_2m: '%',
  wind_speed_10m: 'km/h',
  wind_direction_10m: '°',
  precipitation: 'mm',
  weather_code: 'wmo code',
};

/** What the fake reports as current conditions, keyed by place id. */
export const fakeConditions: Readonly<Record<number, Record<CurrentVariable, number>>> = {
  2643743: {
    temperature_2m: 11.3,
    relative_humidity_2m: 81,
    wind_speed_10m: 14.8,
    wind_direction_10m: 240,
    precipitation: 0,
    weather_code: 2,
  },
  2988507: {
    temperature_2m: 9.6,
    relative_humidity_2m: 87,
    wind_speed_10m: 7.2,
    wind_direction_10m: 200,
    precipitation: 0.4,
    weather_code: 61,
  },
  4717560: {
    temperature_2m: 18.9,
    relative_humidity_2m: 55,
    wind_speed_10m: 12.6,
    wind_direction_10m: 170,
    precipitation: 0,
    weather_code: 0,
  },
  1850147: {
    temperature_2m: 14.2,
    relative_humidity_2m: 62,
    wind_speed_10m: 5.4,
    wind_direction_10m: 315,
    precipitation: 0,
    weather_code: 3,
  },
};

/** Somewhere no known place is, e.g. mid-ocean: the forecast API still answers for any coordinate. */
const elsewhereConditions: Record<CurrentVariable, number> = {
  temperature_2m: 20,
  relative_humidity_2m: 70,
  wind_speed_10m: 10,
  wind_direction_10m: 90,
  precipitation: 0,
  weather_code: 1,
};

// Mid-November offsets, matching the fixed observation time below.
const timezones: Record<string, { utcOffsetSeconds: number; abbreviation: string }> = {
  GMT: { utcOffsetSeconds: 0, abbreviation: 'GMT' },
  'Europe/London': { utcOffsetSeconds: 0, abbreviation: 'GMT' },
  'Europe/Paris': { utcOffsetSeconds: 3600, abbreviation: 'CET' },
  'America/Chicago': { utcOffsetSeconds: -21600, abbreviation: 'CST' },
  'Asia/Tokyo': { utcOffsetSeconds: 32400, abbreviation: 'JST' },
};

const observationTime = '2026-11-21T09:00';

type Answer = [status: number, body: unknown];

function refusal(reason: string): Answer {
  return [400, { error: true, reason }];
}

function geocodingAnswer(params: URLSearchParams): Answer {
  const name = params.get('name');
  if (name === null) return refusal("Parameter 'name' is required.");
  const count = Number(params.get('count') ?? '10');
  if (!Number.isInteger(count) || count < 1 || count > 100)
    return refusal('Parameter count must be between 1 and 100.');
  const format = params.get('format') ?? 'json';
  // The real API also offers protobuf; nothing here asks for it.
  if (format !== 'json') return refusal(`Invalid format '${format}'.`);
  const countryCode = params.get('countryCode');
  if (countryCode !== null && !/^[A-Za-z]{2}$/.test(countryCode)) {
    return refusal(`Invalid country code '${countryCode}'.`);
  }
  const wanted = name.trim().toLowerCase();
  const results = fakePlaces
    .filter((place) => place.name.toLowerCase() === wanted)
    .filter((place) => countryCode === null || place.country_code === countryCode.toUpperCase())
    .sort((a, b) => b.population - a.population)
    .slice(0, count);
  // Open-Meteo leaves `results` out entirely, rather than sending an empty array, when nothing matches.
  return [200, results.length > 0 ? { results, generationtime_ms: 0.61 } : { generationtime_ms: 0.42 }];
}

function coordinate(params: URLSearchParams, key: 'latitude' | 'longitude', limit: number): number | Answer {
  const raw = params.get(key);
  const value = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  if (Number.isNaN(value)) return refusal(`Value of type 'Float' required for key '${key}'.`);
  const label = key === 'latitude' ? 'Latitude' : 'Longitude';
  if (Math.abs(value) > limit)
    return refusal(`${label} must be in range of -${limit} to ${limit}°. Given: ${value}.`);
  return value;
}

function forecastAnswer(params: URLSearchParams): Answer {
  const latitude = coordinate(params, 'latitude', 90);
  if (typeof latitude !== 'number') return latitude;
  const longitude = coordinate(params, 'longitude', 180);
  if (typeof longitude !== 'number') return longitude;

  const requested = (params.get('current') ?? '').split(',').filter((name) => name !== '');
  const unknown = requested.find((name) => !(name in currentUnits));
  if (unknown !== undefined) {
    return refusal(`Cannot initialize ForecastVariable from invalid String value ${unknown} for key current`);
  }
  const variables = requested as CurrentVariable[];

  const place = fakePlaces.find(
    (candidate) =>
      Math.abs(candidate.latitude - latitude) < 0.01 && Math.abs(candidate.longitude - longitude) < 0.01,
  );
  const requestedZone = params.get('timezone') ?? 'GMT';
  const zoneName = requestedZone === 'auto' ? (place?.timezone ?? 'GMT') : requestedZone;
  const zone = timezones[zoneName];
  if (zone === undefined) return refusal(`Invalid timezone '${requestedZone}'.`);
  const values =
    place === undefined ? elsewhereConditions : (fakeConditions[place.id] ?? elsewhereConditions);

  // The real API answers for the centre of the model's grid cell, not the exact coordinate asked for.
  const gridded = (value: number): number => Math.round(value * 40) / 40;
  return [
    200,
    {
      latitude: gridded(latitude),
      longitude: gridded(longitude),
      generationtime_ms: 0.05,
      utc_offset_seconds: zone.utcOffsetSeconds,
      timezone: zoneName,
      timezone_abbreviation: zone.abbreviation,
      elevation: place?.elevation ?? 0,
      // Only requested variables come back, as with the real API, so a client that forgets one notices.
      current_units: {
        time: 'iso8601',
        interval: 'seconds',
        ...Object.fromEntries(variables.map((name) => [name, currentUnits[name]])),
      },
      current: {
        time: observationTime,
        interval: 900,
        ...Object.fromEntries(variables.map((name) => [name, values[name]])),
      },
    },
  ];
}

const paths: Record<string, FakeApi> = { '/v1/search': 'geocoding', '/v1/forecast': 'forecast' };

/** Starts the fake on 127.0.0.1 with a port the OS picks, so parallel runs never collide. */
export async function startFakeOpenMeteo(options: FakeOpenMeteoOptions = {}): Promise<FakeOpenMeteo> {
  const normal: FakeBehaviour = { kind: 'normal' };
  const behaviours: Record<FakeApi, FakeBehaviour> = {
    geocoding: options.geocoding ?? normal,
    forecast: options.forecast ?? normal,
  };
  const requests: RecordedRequest[] = [];
  const pendingDelays = new Set<NodeJS.Timeout>();

  function send(res: ServerResponse, [status, body]: Answer): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(text);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = paths[url.pathname];
    requests.push({
      api: api ?? 'unknown',
      method: req.method ?? '',
      path: url.pathname,
      params: Object.fromEntries(url.searchParams),
    });
    if (api === undefined) return send(res, [404, { error: true, reason: 'Not Found' }]);
    if (req.method !== 'GET') return send(res, [405, { error: true, reason: 'Method Not Allowed' }]);

    const answer = (): Answer => (api === 'geocoding' ? geocodingAnswer : forecastAnswer)(url.searchParams);
    const behaviour = behaviours[api];
    switch (behaviour.kind) {
      case 'normal':
        return send(res, answer());
      case 'delay': {
        const timer = setTimeout(() => {
          pendingDelays.delete(timer);
          if (!res.destroyed) send(res, answer());
        }, behaviour.ms);
        pendingDelays.add(timer);
        // A client that gives up should not leave a timer holding the test process open.
        res.on('close', () => {
          clearTimeout(timer);
          pendingDelays.delete(timer);
        });
        return;
      }
      case 'respond':
        return send(res, [behaviour.status, behaviour.body]);
      case 'malformed':
        return send(res, [200, '{"results":[{"id":2643743,"name":"Lon']);
      case 'hangUp':
        req.socket.destroy();
        return;
    }
  }

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    geocodingUrl: `${baseUrl}/v1/search`,
    forecastUrl: `${baseUrl}/v1/forecast`,
    requests,
    setBehaviour(api, behaviour) {
      behaviours[api] = behaviour;
    },
    reset() {
      behaviours.geocoding = normal;
      behaviours.forecast = normal;
      requests.length = 0;
    },
    close() {
      for (const timer of pendingDelays) clearTimeout(timer);
      pendingDelays.clear();
      // fetch keeps connections alive; without this, close() would wait for them to time out.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
