// The fake azd (test/fakes/azd) as the tests run it: its launcher, and a process environment whose
// FAKE_AZD_CONFIG file says who is signed in and what provisioning produces (FakeAzdConfig there).
import { after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Type only: importing the fake's module itself would run it.
import type { FakeAzdConfig } from '../fakes/azd/fakeAzd';

export const fakeAzd = path.resolve(__dirname, '../fakes/azd/azd');
export const fakeAzdSubscriptionId = '11111111-2222-3333-4444-555555555555';
export const fakeAzdTenantId = '99999999-8888-7777-6666-555555555555';

/** What a test sets of the fake's configuration; fakeEnv fills in the rest. */
export type FakeConfig = Partial<FakeAzdConfig>;

// Made when a test file imports this module, and removed after that file's tests: an `after` hook
// registered from inside a test would run as soon as that one test ends.
const configDir = mkdtempSync(path.join(os.tmpdir(), 'remote-mcp-azd-config-'));
after(() => rmSync(configDir, { recursive: true, force: true }));
let configCount = 0;

/** The process environment for a fake azd configured this way . */
export function fakeEnv(config: FakeConfig = {}, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const file = path.join(configDir, `config-${++configCount}.json`);
  const full = {
    signedIn: true,
    subscriptionId: fakeAzdSubscriptionId,
    tenantId: fakeAzdTenantId,
    location: 'eastus2',
    defaultHostName: '127.0.0.1:8443',
    delayMs: 5,
    ...config,
  };
  writeFileSync(file, JSON.stringify(full));
  return { ...process.env, FAKE_AZD_CONFIG: file, ...extra };
}
