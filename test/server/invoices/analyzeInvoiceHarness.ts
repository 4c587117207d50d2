// What the analyze_invoice tests share: the loopback Content Understanding fake (reset before each
// test, its key checked against every log line after it), the shipped samples, and the tool called
// through callTool with settings pointing at the fake.
import { after, afterEach, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { callTool } from '../../../server/src/toolkit/callTool';
import { analyzeInvoice } from '../../../server/src/tools/analyzeInvoice';
import type {
  ContentUnderstandingSettings,
  InvoiceSettings,
} from '../../../server/src/invoices/invoiceSettings';
import {
  sampleInvoices,
  sampleTotals,
  type SampleInvoice,
} from '../../../server/dev/sampleInvoices/sampleInvoices';
import {
  FAKE_CU_API_KEY,
  startFakeContentUnderstanding,
  type FakeContentUnderstanding,
} from '../../fakes/contentUnderstanding';
import { recordingLogger, testDependencies } from '../../support/testDependencies';

export const samplesDir = path.resolve(__dirname, '../../../server/data');
export const [contoso, fabrikam] = sampleInvoices as [SampleInvoice, SampleInvoice];
export const scratch = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-invoices-'));

export let fake: FakeContentUnderstanding;
export let log: ReturnType<typeof recordingLogger>;

/** Starts the fake for the calling test file, and checks after every test that the key was never logged. */
export function useFakeContentUnderstanding(): void {
  before(async () => {
    fake = await startFakeContentUnderstanding();
  });
  after(async () => {
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.reset();
    log = recordingLogger();
  });
  afterEach(() => {
    for (const line of log.lines)
      assert.doesNotMatch(line, new RegExp(FAKE_CU_API_KEY), 'the key reached the log');
  });
}

export function service(overrides: Partial<ContentUnderstandingSettings> = {}): ContentUnderstandingSettings {
  return {
    endpoint: fake.endpoint,
    apiVersion: '2025-11-01',
    analyzerId: 'prebuilt-invoice',
    auth: { kind: 'apiKey', apiKey: FAKE_CU_API_KEY },
    pollIntervalMs: 20,
    pollTimeoutMs: 5000,
    ...overrides,
  };
}

export async function analyze(
  args: unknown,
  invoices: Partial<InvoiceSettings> = {},
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const deps = testDependencies({ invoices: { dataDir: samplesDir, service: service(), ...invoices }, log });
  const result = await callTool(analyzeInvoice, args, deps, signal);
  const text = textOf(result);
  assert.doesNotMatch(text, new RegExp(FAKE_CU_API_KEY), 'the key reached the result');
  assert.doesNotMatch(text, /^\s*at /m, 'a stack trace reached the result');
  return result;
}

export function textOf(result: CallToolResult): string {
  const [first] = result.content;
  assert.ok(first?.type === 'text', 'the result starts with a text block');
  return first.text;
}

export async function expectError(
  args: unknown,
  invoices: Partial<InvoiceSettings>,
  ...expected: RegExp[]
): Promise<string> {
  const result = await analyze(args, invoices);
  const text = textOf(result);
  assert.equal(result.isError, true, `expected an error, got: ${text}`);
  assert.equal(result.structuredContent, undefined);
  for (const pattern of expected) assert.match(text, pattern);
  return text;
}

/** What the tool should report for a sample: the values the generator printed on it. */
export function expectedStructure(invoice: SampleInvoice, contentType: string): Record<string, unknown> {
  const totals = sampleTotals(invoice);
  const money = (amount: number) => ({ amount, currency: invoice.currency });
  return {
    fileName: invoice.fileName,
    contentType,
    analyzerId: 'prebuilt-invoice',
    vendor: invoice.vendor.name,
    invoiceNumber: invoice.invoiceNumber,
    invoiceDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    subtotal: money(totals.subtotal),
    tax: money(totals.tax),
    total: money(totals.total),
    lineItems: invoice.lineItems.map((item, i) => ({
      description: item.description,
      quantity: item.quantity,
      unitPrice: money(item.unitPrice),
      amount: money(totals.lineAmounts[i] ?? 0),
    })),
  };
}

/** A static token for the in-process identity tests; the real sign-in is tested with the fake azd below. */
export function tokenFor(audience: string): TokenCredential {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = `${part({ alg: 'none' })}.${part({ aud: audience })}.signature`;
  return {
    getToken: (): Promise<AccessToken> =>
      Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3600_000 }),
  };
}

export function identity(credential: TokenCredential): ContentUnderstandingSettings['auth'] {
  return { kind: 'identity', credential, description: 'the test identity' };
}
