import type { McpEvidence, McpScanResult } from '../azure/mcpAppScan';
import type { StateStore } from '../remote/remoteServers';

const stateKey = 'remoteMcp.statusView.lastScan';

interface StoredScan {
  /** Which account and cloud the scan was made with: another one's apps are not shown. */
  scope: string;
  at: number;
  result: McpScanResult;
}

/**
 * The last subscription scan, kept in VS Code's global state: the view lists the servers at once
 * after a restart, and a later scan does not ask ARM again whether an unchanged app serves MCP
 * (an app's lastModifiedTimeUtc moves with every deploy and settings change).
 */
export class ScanCache {
  constructor(
    private readonly store: StateStore,
    private readonly scope: () => string,
  ) {}

  last(): { at: number; result: McpScanResult } | undefined {
    const stored = this.store.get<StoredScan>(stateKey);
    return stored && stored.scope === this.scope() ? stored : undefined;
  }

  /** What earlier checks found, for the apps that have not changed since. */
  knownChecks(): (resourceId: string, lastModifiedTimeUtc: string | undefined) => McpEvidence | undefined {
    const apps = new Map(
      (this.last()?.result.apps ?? [])
        .filter((app) => app.checked && app.lastModifiedTimeUtc)
        .map((app) => [app.resourceId.toLowerCase(), app]),
    );
    return (resourceId, lastModifiedTimeUtc) => {
      const app = apps.get(resourceId.toLowerCase());
      return app && lastModifiedTimeUtc && app.lastModifiedTimeUtc === lastModifiedTimeUtc
        ? app.mcp
        : undefined;
    };
  }

  async save(result: McpScanResult, at: number): Promise<void> {
    await this.store.update(stateKey, { scope: this.scope(), at, result } satisfies StoredScan);
  }
}
