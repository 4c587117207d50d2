import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerResource } from '../toolDependencies';
import { shippedDataDir } from '../shippedData';

/** The MCP App get_weather names in its `_meta.ui.resourceUri`, so hosts render its results with it. */
export const weatherViewUri = 'ui://weather/view.html';

/** MCP Apps' HTML profile (https://github.com/modelcontextprotocol/ext-apps, specification/2026-01-26/apps.mdx). */
export const mcpAppMimeType = 'text/html;profile=mcp-app';

const name = 'weather_view';
const title = 'Weather view';
const description =
  'A small view of get_weather results for MCP Apps hosts: place, conditions, temperature, wind.';

/** The view's one HTML file, shipped in server/data so both hosts, the VSIX and azd deploy carry it. */
export const weatherViewFile = path.join(shippedDataDir, 'apps', 'weather-view.html');

let cached: Promise<string> | undefined;

export const weatherView: ServerResource = {
  uri: weatherViewUri,
  name,
  title,
  description,
  mimeType: mcpAppMimeType,
  // The border is asked for explicitly because hosts' defaults differ (the spec's `prefersBorder`).
  meta: { ui: { prefersBorder: true } },
  read() {
    // Read once per process: the file only changes with a new build of the server.
    cached ??= readFile(weatherViewFile, 'utf8').catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  },
};
