/** Where the weather tool finds Open-Meteo and how long it waits for it. */
export interface WeatherSettings {
  geocodingUrl: string;
  forecastUrl: string;
  timeoutMs: number;
}
