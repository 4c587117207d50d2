import type { PromptDefinition } from '../toolkit/prompt';

const name = 'weather_briefing';
const title = 'Weather briefing';
const description =
  'Asks for a short briefing on the current weather in a city, from get_weather: what to wear and whether to take an umbrella.';

export const weatherBriefing: PromptDefinition = {
  name,
  title,
  description,
  arguments: [
    { name: 'city', description: 'The city or town, for example "London".', required: true },
    {
      name: 'countryCode',
      description:
        'Optional two-letter ISO 3166-1 country code, for example "GB", when several places share the name.',
      required: false,
    },
  ],
  text({ city = '', countryCode = '' }) {
    const place = city.trim();
    const country = countryCode.trim();
    const call =
      country === ''
        ? `get_weather with city "${place}"`
        : `get_weather with city "${place}" and countryCode "${country}"`;
    return [
      `Call ${call} and brief me on the weather there now, in three or four sentences.`,
      'Say what the conditions and temperature are, whether I need an umbrella or a coat, and how windy it is.',
      'Quote the units get_weather reports, name the place it matched, and end with its attribution line.',
      'If get_weather finds no such place, say so and suggest adding a country code.',
    ].join('\n');
  },
};
