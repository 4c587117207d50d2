// Draws a sample invoice as a picture, like a scanned or photographed invoice: the page at 150 dots
// per inch, its text rasterised with pureimage (pure JavaScript, so every machine draws the same
// pixels) in Roboto, whose TTF files an npm package ships.
import { PassThrough } from 'node:stream';
import * as PImage from 'pureimage';
import type { Bitmap } from 'pureimage/dist/bitmap';
import { invoiceLayout, pageSize } from './invoiceLayout';
import type { SampleInvoice } from './sampleInvoices';

const dotsPerInch = 150;
const scale = dotsPerInch / 72;

let fontsLoaded = false;

function loadFonts(): void {
  if (fontsLoaded) return;
  PImage.registerFont(
    require.resolve('@expo-google-fonts/roboto/400Regular/Roboto_400Regular.ttf'),
    'Roboto',
  ).loadSync();
  PImage.registerFont(
    require.resolve('@expo-google-fonts/roboto/700Bold/Roboto_700Bold.ttf'),
    'Roboto Bold',
  ).loadSync();
  fontsLoaded = true;
}

/** The page as pixels; compare these, not PNG bytes, whose compression may differ between zlib builds. */
export function renderInvoiceBitmap(invoice: SampleInvoice): Bitmap {
  loadFonts();
  const image = PImage.make(Math.round(pageSize.width * scale), Math.round(pageSize.height * scale));
  const ctx = image.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, image.width, image.height);
  ctx.fillStyle = '#000000';
  for (const item of invoiceLayout(invoice)) {
    if (item.kind === 'rule') {
      const height = Math.max(1, Math.round(item.thickness * scale));
      ctx.fillRect(item.x1 * scale, item.y * scale - height / 2, (item.x2 - item.x1) * scale, height);
      continue;
    }
    ctx.font = `${Math.round(item.size * scale)}pt ${item.bold ? 'Roboto Bold' : 'Roboto'}`;
    ctx.textAlign = item.align;
    ctx.fillText(item.text, item.x * scale, item.y * scale);
  }
  return image;
}

export async function encodePng(image: Bitmap): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await PImage.encodePNGToStream(image, sink);
  return Buffer.concat(chunks);
}

export async function decodePng(png: Buffer): Promise<Bitmap> {
  const source = new PassThrough();
  source.end(png);
  return PImage.decodePNGFromStream(source);
}
