import { z } from 'zod';
import { defineTool } from '../toolDependencies';
import {
  describeWeatherCode,
  openMeteoClient,
  type CurrentConditions,
  type Measurement,
  type Place,
} from '../weather/openMeteo';
import { weatherViewUri } from '../resources/weatherView';

const name = 'get_weather';
const description =
  'Current weather for a city from Open-Meteo: temperature, relative humidity, wind, precipitation and ' +
  'conditions, with the units Open-Meteo reports. Give countryCode to choose between places with the same name.';

const input = z.strictObject({
  city: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('Name of the city or town, for example "London". At most 100 characters.'),
  countryCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, { error: 'must be a two-letter ISO 3166-1 country code such as "GB"' })
    .toUpperCase()
    .optional()
    .describe(
      'Optional ISO 3166-1 alpha-2 country code, for example "GB" or "US", to pick the right place when several share the name.',
    ),
});

const attribution = { source: 'Open-Meteo', url: 'https://open-meteo.com/', licence: 'CC BY 4.0' } as const;
// The licence requires attribution wherever the data is shown, so it travels in the text as well.
const attributionLine = 'Weather data by Open-Meteo.com (CC BY 4.0)';

export const getWeather = defineTool({
  name,
  description,
  input,
  // MCP Apps hosts show the result in the weather view; others use the text, which says it all.
  meta: { ui: { resourceUri: weatherViewUri } },
  async run({ city, countryCode }, deps, signal) {
    const openMeteo = openMeteoClient(deps.weather, deps.log);
    const place = await openMeteo.geocode(city, countryCode, signal);
    const conditions = await openMeteo.currentConditions(place.latitude, place.longitude, signal);
    return { text: summary(place, conditions), structured: structured(place, conditions) };
  },
});

function summary(place: Place, now: CurrentConditions): string {
  return [
    `Current weather in ${placeLabel(place)}: ${describeWeatherCode(now.weatherCode)}.`,
    `Temperature: ${withUnit(now.temperature)}`,
    `Relative humidity: ${withUnit(now.relativeHumidity)}`,
    `Wind: ${withUnit(now.windSpeed)} from ${withUnit(now.windDirection)}`,
    `Precipitation: ${withUnit(now.precipitation)}`,
    `Observed at ${now.time} local time (${now.timezone}, ${now.timezoneAbbreviation}).`,
    attributionLine,
  ].join('\n');
}

function placeLabel(place: Place): string {
  // "Tokyo, Tokyo, Japan" reads like a mistake; the region only helps when it differs from the name.
  const parts = [
    place.name,
    place.admin1 === place.name ? undefined : place.admin1,
    place.country ?? place.countryCode,
  ];
  return parts.filter((part) => part !== undefined && part !== '').join(', ');
}

function withUnit({ value, unit }: Measurement): string {
  if (value === null) return 'not reported';
  // Percent and angle signs conventionally sit against the number; other units are spaced.
  return unit === '%' || unit === '°' ? `${value}${unit}` : `${value} ${unit}`;
}

function structured(place: Place, now: CurrentConditions): Record<string, unknown> {
  return {
    location: {
      name: place.name,
      ...(place.admin1 === undefined ? {} : { admin1: place.admin1 }),
      country: place.country ?? null,
      countryCode: place.countryCode ?? null,
      latitude: place.latitude,
      longitude: place.longitude,
      timezone: now.timezone,
    },
    time: now.time,
    conditions: {
      temperature: now.temperature,
      relativeHumidity: now.relativeHumidity,
      windSpeed: now.windSpeed,
      windDirection: now.windDirection,
      precipitation: now.precipitation,
      weatherCode: { value: now.weatherCode, description: describeWeatherCode(now.weatherCode) },
    },
    attribution,
  };
}
