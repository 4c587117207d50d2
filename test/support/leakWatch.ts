// Checks that secrets (function keys, tokens, provider secrets) never reach an error message, a
// request the fake ARM recorded, or the Azure SDK's own log at its most verbose.
import assert from 'node:assert/strict';
import { AzureLogger, setLogLevel } from '@azure/logger';
import type { FakeArm } from '../fakes/arm';

export interface SdkLogCapture {
  lines: string[];
  restore(): void;
}

/** Captures the Azure SDK's log (verbose) until `restore()`. */
export function captureSdkLog(): SdkLogCapture {
  const lines: string[] = [];
  const originalLog = AzureLogger.log.bind(AzureLogger);
  AzureLogger.log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  setLogLevel('verbose');
  return {
    lines,
    restore: () => {
      setLogLevel();
      AzureLogger.log = originalLog;
    },
  };
}

/** Every host key of every site the fake ARM holds. */
export function allHostKeys(arm: FakeArm): string[] {
  return [...arm.sites.values()].flatMap((site) => [
    site.hostKeys.masterKey,
    ...Object.values(site.hostKeys.functionKeys),
    ...Object.values(site.hostKeys.systemKeys),
  ]);
}

export function assertNoSecretLeaked(
  secrets: readonly string[],
  where: { errors: readonly string[]; arm: FakeArm; sdkLog: readonly string[] },
): void {
  const haystacks = {
    errors: where.errors.join('\n'),
    requests: JSON.stringify(where.arm.requests),
    log: where.sdkLog.join('\n'),
  };
  for (const secret of secrets) {
    for (const [place, text] of Object.entries(haystacks)) {
      assert.ok(!text.includes(secret), `a secret appears in the ${place}`);
    }
  }
}
