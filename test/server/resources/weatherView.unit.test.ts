// The weather MCP App: one HTML file, well-formed, accessible, self-contained, and speaking the MCP Apps
// postMessage protocol (https://github.com/modelcontextprotocol/ext-apps, specification/2026-01-26/apps.mdx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { weatherViewFile } from '../../../server/src/resources/weatherView';

const html = readFileSync(weatherViewFile, 'utf8');
const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';

const voidElements = new Set([
  'meta',
  'link',
  'br',
  'hr',
  'img',
  'input',
  'source',
  'area',
  'base',
  'col',
  'wbr',
]);

/** Every element closed in order, script and style bodies skipped as the HTML parser does (raw text). */
function unbalancedTags(document: string): string[] {
  const markup = document.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)>[\s\S]*?<\/\1>/g, '');
  const open: string[] = [];
  const problems: string[] = [];
  for (const [, closing, name] of markup.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>/g)) {
    const tag = (name ?? '').toLowerCase();
    if (voidElements.has(tag)) continue;
    if (!closing) open.push(tag);
    else if (open.pop() !== tag) problems.push(`</${tag}> closes something else`);
  }
  return [...problems, ...open.map((tag) => `<${tag}> never closed`)];
}

test('the view is one well-formed HTML5 document whose script finds every element it uses', () => {
  assert.match(html, /^<!doctype html>\n<html lang="[a-z]{2}(-[A-Z]{2})?">/i);
  assert.deepEqual(unbalancedTags(html), []);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.join(', ')}`);
  for (const [, used] of script.matchAll(/\$\('([^']+)'\)/g))
    assert.ok(ids.includes(used), `#${used} is missing`);
  // The script must at least parse.
  assert.doesNotThrow(() => new vm.Script(script));
});

test('accessibility basics: language, title, one main landmark named by its heading, a status region', () => {
  assert.match(html, /<title>[^<]+\S[^<]*<\/title>/);
  assert.equal(html.match(/<main\b/g)?.length, 1);
  assert.match(html, /<main [^>]*aria-labelledby="place"/);
  assert.match(html, /<h1 id="place">/);
  assert.match(html, /role="status"/);
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1"/);
});

test('it follows the light or dark scheme, respects reduced motion and forced colours', () => {
  assert.match(html, /<meta name="color-scheme" content="light dark"/);
  assert.match(style, /color-scheme: light dark;/);
  assert.match(
    style,
    /@media \(prefers-reduced-motion: reduce\) \{\s*#report:not\(\[hidden\]\) \{\s*animation: none;/,
  );
  assert.match(style, /@media \(forced-colors: active\)/);
});

/** WCAG 2 relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r = 0, g = 0, b = 0] = [1, 3, 5].map((at) => {
      const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [high = 0, low = 0] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

test('text colours reach WCAG AA contrast (4.5:1) on the background in both schemes', () => {
  const palette = new Map(
    [...style.matchAll(/--(\w+): light-dark\((#[0-9a-f]{6}), (#[0-9a-f]{6})\);/gi)].map(
      ([, name = '', light = '', dark = '']) => [name, { light, dark }] as const,
    ),
  );
  const colour = (name: string) => {
    const pair = palette.get(name);
    assert.ok(pair, `--${name} is declared with light-dark()`);
    return pair;
  };
  for (const text of ['fg', 'muted', 'accent']) {
    for (const scheme of ['light', 'dark'] as const) {
      const ratio = contrast(colour(text)[scheme], colour('bg')[scheme]);
      assert.ok(ratio >= 4.5, `--${text} on --bg in ${scheme}: ${ratio.toFixed(2)}:1`);
    }
  }
});

test('self-contained and light: no external script, style, font or image, and under 12 KB', () => {
  assert.doesNotMatch(html, /<script\s[^>]*src=/i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(style, /@import|url\(/i);
  assert.doesNotMatch(html, /<img\b|<iframe\b/i);
  assert.ok(Buffer.byteLength(html) < 12 * 1024, `${Buffer.byteLength(html)} bytes`);
});

/** A stand-in for the few DOM features the script uses, enough to watch what it draws. */
class FakeElement {
  textContent = '';
  hidden = false;
  href = '';
  readonly attributes = new Map<string, string>();
  readonly listeners: Record<string, (event: { preventDefault(): void }) => void> = {};
  children: (FakeElement | string)[] = [];
  constructor(hidden = false) {
    this.hidden = hidden;
  }
  removeAttribute(name: string) {
    this.attributes.delete(name);
  }
  addEventListener(type: string, listener: (event: { preventDefault(): void }) => void) {
    this.listeners[type] = listener;
  }
  replaceChildren(...children: (FakeElement | string)[]) {
    this.children = children;
    this.textContent = children
      .map((child) => (typeof child === 'string' ? child : child.textContent))
      .join('');
  }
}

function runView() {
  const hiddenAtStart = new Set([...html.matchAll(/id="([^"]+)"[^>]*\shidden>/g)].map((match) => match[1]));
  const elements = new Map<string, FakeElement>();
  const sent: Record<string, unknown>[] = [];
  let onMessage: (event: { source: unknown; data: unknown }) => void = () => undefined;
  const parent = { postMessage: (message: Record<string, unknown>) => sent.push(message) };
  const window = {
    parent,
    addEventListener: (type: string, listener: typeof onMessage) => {
      if (type === 'message') onMessage = listener;
    },
  };
  const document = {
    getElementById: (id: string) => {
      if (!elements.has(id)) elements.set(id, new FakeElement(hiddenAtStart.has(id)));
      return elements.get(id);
    },
    createElement: () => new FakeElement(),
    documentElement: { scrollWidth: 320, scrollHeight: 180, style: { setProperty: () => undefined } },
    body: {},
  };
  vm.runInNewContext(script, { window, document, Promise, Map, Object, Error });
  const fromHost = (data: unknown) => onMessage({ source: parent, data });
  const fromElsewhere = (data: unknown) => onMessage({ source: {}, data });
  return {
    sent,
    fromHost,
    fromElsewhere,
    element: (id: string) => document.getElementById(id) as FakeElement,
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('the view says ui/initialize, then initialized, and draws the get_weather result it is sent', async () => {
  const view = runView();
  const [initialize] = view.sent;
  assert.ok(initialize, 'the view sent nothing');
  assert.equal(initialize.method, 'ui/initialize');
  assert.equal((initialize.params as { protocolVersion: string }).protocolVersion, '2026-01-26');
  view.fromHost({
    jsonrpc: '2.0',
    id: initialize.id,
    result: { protocolVersion: '2026-01-26', hostContext: {} },
  });
  await flush();
  assert.ok(view.sent.some((message) => message.method === 'ui/notifications/initialized'));

  view.fromHost({
    jsonrpc: '2.0',
    method: 'ui/notifications/tool-input',
    params: { arguments: { city: 'Lyon' } },
  });
  assert.equal(view.element('status').textContent, 'Getting the weather for Lyon…');

  const place = { name: 'Lyon', admin1: 'Auvergne-Rhône-Alpes', country: 'France', timezone: 'Europe/Paris' };
  const measured = (value: number | null, unit: string) => ({ value, unit });
  view.fromHost({
    jsonrpc: '2.0',
    method: 'ui/notifications/tool-result',
    params: {
      content: [{ type: 'text', text: 'Current weather in Lyon…' }],
      structuredContent: {
        location: place,
        time: '2026-12-04T10:00',
        conditions: {
          temperature: measured(7.5, '°C'),
          relativeHumidity: measured(81, '%'),
          windSpeed: measured(12, 'km/h'),
          windDirection: measured(200, '°'),
          precipitation: measured(null, 'mm'),
          weatherCode: { value: 3, description: 'Overcast' },
        },
        attribution: { source: 'Open-Meteo', url: 'https://open-meteo.com/', licence: 'CC BY 4.0' },
      },
    },
  });
  assert.equal(view.element('place').textContent, `${place.name}, ${place.admin1}, ${place.country}`);
  assert.equal(view.element('temperature').textContent, '7.5 °C');
  assert.equal(view.element('conditions').textContent, 'Overcast');
  assert.equal(view.element('humidity').textContent, '81%');
  assert.equal(view.element('wind').textContent, '12 km/h from 200°');
  assert.equal(view.element('precipitation').textContent, 'not reported');
  assert.equal(view.element('attribution').textContent, 'Weather data by Open-Meteo (CC BY 4.0)');
  assert.equal(view.element('report').hidden, false);
  assert.equal(view.element('status').hidden, true);
  assert.ok(view.sent.some((message) => message.method === 'ui/notifications/size-changed'));
});

test('an error result is shown as its message, and a request the view does not know is answered -32601', async () => {
  const view = runView();
  view.fromHost({ jsonrpc: '2.0', id: view.sent[0]?.id, result: {} });
  await flush();
  const message = 'No place called "Nowhereville" was found.';
  view.fromHost({
    jsonrpc: '2.0',
    method: 'ui/notifications/tool-result',
    params: { content: [{ type: 'text', text: message }], isError: true },
  });
  assert.equal(view.element('status').textContent, message);
  assert.equal(view.element('report').hidden, true);

  view.fromHost({ jsonrpc: '2.0', id: 'h1', method: 'ui/something-new', params: {} });
  assert.deepEqual(JSON.parse(JSON.stringify(view.sent.at(-1))), {
    jsonrpc: '2.0',
    id: 'h1',
    error: { code: -32601, message: 'Method not found' },
  });
});

test('messages from anywhere but the host are ignored', () => {
  const view = runView();
  const sentBefore = view.sent.length;
  view.fromElsewhere({
    jsonrpc: '2.0',
    method: 'ui/notifications/tool-input',
    params: { arguments: { city: 'X' } },
  });
  view.fromElsewhere({ jsonrpc: '2.0', id: 'h2', method: 'ui/unknown' });
  assert.equal(view.element('status').textContent, '');
  assert.equal(view.sent.length, sentBefore);
});
