import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ToolError } from '../toolkit/tool';

/**
 * The largest file analyze_invoice sends. The whole file is held in memory and uploaded within the
 * poll time-out, so this is the tool's own limit, well below what the service accepts.
 */
export const INVOICE_MAX_BYTES = 20 * 1024 * 1024;

/** Document and image types Content Understanding's document analyzers read, as invoices come. */
export const invoiceContentTypes = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'image/bmp',
  'image/heif',
] as const;
export type InvoiceContentType = (typeof invoiceContentTypes)[number];

const typesByExtension: Readonly<Record<string, InvoiceContentType>> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.heif': 'image/heif',
  '.heic': 'image/heif',
};

const typeNames: Readonly<Record<InvoiceContentType, string>> = {
  'application/pdf': 'a PDF',
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/tiff': 'a TIFF image',
  'image/bmp': 'a BMP image',
  'image/heif': 'a HEIF image',
};

/**
 * A path inside the data folder as a caller writes it: relative, "/" between folders, and no "." or
 * ".." steps. Checking the words here keeps an escape attempt out before any file is touched;
 * `readInvoiceFile` checks again where symbolic links really lead.
 */
export function dataPathSchema(what: 'file' | 'folder') {
  const example = what === 'file' ? '"invoices/contoso-INV-2026-0042.pdf"' : '"invoices"';
  return z
    .string()
    .trim()
    .min(1, { abort: true })
    .max(260)
    .superRefine((value, ctx) => {
      const problem = dataPathProblem(value);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `${problem}; use a path inside the data folder such as ${example}`,
        });
    });
}

function dataPathProblem(value: string): string | undefined {
  if (/^[/\\]/.test(value) || /^[A-Za-z]:/.test(value)) return 'must not be an absolute path';
  if (value.includes('\\')) return 'must separate folders with "/", not "\\"';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'must not contain control characters';
  if (value.split('/').some((segment) => segment === '..'))
    return 'must not contain ".." (it would leave the data folder)';
  if (value.split('/').some((segment) => segment === '' || segment === '.'))
    return 'must not contain empty or "." steps';
  return undefined;
}

export interface InvoiceFileRequest {
  fileName: string;
  /** A sub-folder of the data folder holding the file. */
  invoiceId?: string | undefined;
  contentType?: InvoiceContentType | undefined;
}

export interface InvoiceFile {
  /** Relative to the data folder, "/" between folders: how messages and results name it. */
  relativePath: string;
  contentType: InvoiceContentType;
  bytes: Buffer;
}

/**
 * Reads one invoice from the data folder, refusing anything that resolves outside it (symbolic
 * links included), empty or oversized files, and files whose content is not the type they claim.
 */
export async function readInvoiceFile(dataDir: string, request: InvoiceFileRequest): Promise<InvoiceFile> {
  const root = await dataRoot(dataDir);
  const relativePath = request.invoiceId ? `${request.invoiceId}/${request.fileName}` : request.fileName;
  const where = request.invoiceId ? ` in sub-folder "${request.invoiceId}"` : '';
  let real: string;
  try {
    real = await realpath(path.join(root, relativePath));
  } catch {
    throw new ToolError(
      `No file "${request.fileName}"${where} in the invoice data folder. ${await availableFiles(root)}`,
    );
  }
  if (!isInside(root, real)) {
    throw new ToolError(
      `"${relativePath}" leads outside the invoice data folder (through a link); it cannot be read.`,
    );
  }
  const info = await stat(real);
  if (!info.isFile()) {
    throw new ToolError(`"${relativePath}" is a folder, not a file. ${await availableFiles(root)}`);
  }
  if (info.size === 0) throw new ToolError(`"${relativePath}" is empty; there is nothing to analyze.`);
  if (info.size > INVOICE_MAX_BYTES) {
    throw new ToolError(
      `"${relativePath}" is ${mebibytes(info.size)}; analyze_invoice sends files of at most ${mebibytes(INVOICE_MAX_BYTES)}. ` +
        'Split the document or reduce its resolution.',
    );
  }
  const contentType = request.contentType ?? typeFromExtension(relativePath);
  const bytes = await readAtMost(real, INVOICE_MAX_BYTES);
  checkContent(relativePath, bytes, contentType, request.contentType !== undefined);
  return { relativePath, contentType, bytes };
}

async function dataRoot(dataDir: string): Promise<string> {
  try {
    const root = await realpath(dataDir);
    if ((await stat(root)).isDirectory()) return root;
  } catch {
    // Reported below, the same way as a file in its place.
  }
  throw new ToolError(
    'The invoice data folder does not exist on the server. Set INVOICE_DATA_DIR to a folder holding invoices, ' +
      'or deploy the server with its data folder.',
  );
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function typeFromExtension(relativePath: string): InvoiceContentType {
  const type = typesByExtension[path.extname(relativePath).toLowerCase()];
  if (type === undefined) {
    throw new ToolError(
      `Cannot tell what kind of file "${relativePath}" is from its name. Pass contentType, one of ${invoiceContentTypes.join(', ')}.`,
    );
  }
  return type;
}

/** The file is opened once and read only up to the limit, even if it grew after it was measured. */
async function readAtMost(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > limit) {
      throw new ToolError(`The file grew beyond ${mebibytes(limit)} while it was read; try again.`);
    }
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** What the first bytes say the file is; undefined for anything else. */
function sniffContentType(bytes: Buffer): InvoiceContentType | undefined {
  const startsWith = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (startsWith(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (startsWith(0x49, 0x49, 0x2a, 0x00) || startsWith(0x4d, 0x4d, 0x00, 0x2a)) return 'image/tiff';
  if (startsWith(0x42, 0x4d)) return 'image/bmp';
  // HEIF files are ISO media files: a box of type "ftyp" first.
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') return 'image/heif';
  return undefined;
}

/** Sending a mislabelled or foreign file would cost a service call only to fail, less clearly. */
function checkContent(
  relativePath: string,
  bytes: Buffer,
  contentType: InvoiceContentType,
  stated: boolean,
): void {
  const actual = sniffContentType(bytes);
  if (actual === contentType) return;
  if (actual === undefined) {
    throw new ToolError(
      `"${relativePath}" is not ${typeNames[contentType]} or any other file analyze_invoice reads ` +
        `(PDF, JPEG, PNG, TIFF, BMP or HEIF); its content does not match its ${stated ? 'contentType' : 'name'}.`,
    );
  }
  throw new ToolError(
    stated
      ? `"${relativePath}" is ${typeNames[actual]}, but contentType says ${contentType}. Pass contentType "${actual}", or leave it out.`
      : `"${relativePath}" is ${typeNames[actual]} despite its name. Pass contentType "${actual}".`,
  );
}

const listLimit = 50;

/** The files a caller could ask for instead, so a model can correct its next call. */
async function availableFiles(root: string): Promise<string> {
  const found: string[] = [];
  await collect(root, '', found);
  if (found.length === 0) {
    return 'The folder holds no PDF or image files; add invoices to it (server/data, or the folder INVOICE_DATA_DIR names).';
  }
  found.sort();
  const shown = found.slice(0, listLimit).map((file) => `"${file}"`);
  const more = found.length > listLimit ? ` and ${found.length - listLimit} more` : '';
  return `Files you can analyze (fileName, relative to the data folder): ${shown.join(', ')}${more}.`;
}

async function collect(dir: string, prefix: string, found: string[], depth = 0): Promise<void> {
  // Deep trees and huge folders are not what a data folder of invoices looks like; stop early.
  if (depth > 4 || found.length > listLimit * 4) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await collect(path.join(dir, entry.name), relative, found, depth + 1);
    else if (entry.isFile() && typesByExtension[path.extname(entry.name).toLowerCase()]) found.push(relative);
  }
}

function mebibytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
}
