// Many "deployed" MCP servers for the status view's tests and benchmark: the fake ARM (https) lists
// N function apps with MCP trigger functions, and each app's defaultHostName is its own https front
// end (test/fakes/tlsProxy.ts) with added latency, all forwarding to one embedded host serving the
// real tool catalogue. Each app is a distinct origin, as distinct apps are.
import { startFakeArm, type FakeArm, type FakeSite } from '../fakes/arm';
import { startTlsProxy, type TlsProxy } from '../fakes/tlsProxy';
import { catalogue } from '../../server/src/tools';
import { startTestHost } from './embeddedHost';
import { testDependencies } from './testDependencies';

export const FLEET_SUBSCRIPTION_ID = '5b8f0a2c-3d4e-4f60-8a7b-9c0d1e2f3a4b';

export interface McpAppFleet {
  arm: FakeArm;
  sites: FakeSite[];
  /** The latency each front end adds to every request; a test may change it. */
  latencyMs: number;
  close(): Promise<void>;
}

export async function startMcpAppFleet(options: { count: number; latencyMs: number }): Promise<McpAppFleet> {
  const host = await startTestHost(testDependencies({}));
  const hostPort = Number(new URL(host.mcpUrl).port);
  const arm = await startFakeArm({ subscriptions: [FLEET_SUBSCRIPTION_ID], pageSize: 100 });
  arm.addSubscription(FLEET_SUBSCRIPTION_ID, 'MCP fleet');
  const fleet = { latencyMs: options.latencyMs };
  const proxies: TlsProxy[] = await Promise.all(
    Array.from({ length: options.count }, () =>
      startTlsProxy(() => hostPort, { delayMs: () => fleet.latencyMs }),
    ),
  );
  const tools = catalogue.map((tool) => tool.name);
  const sites = proxies.map((proxy, index) =>
    arm.addSite({
      subscriptionId: FLEET_SUBSCRIPTION_ID,
      resourceGroup: `rg-fleet-${index % 5}`,
      name: `func-fleet-${String(index).padStart(3, '0')}`,
      defaultHostName: proxy.hostName,
      // What the Functions MCP extension registers: one mcpToolTrigger function per tool.
      functions: tools,
      lastModifiedTimeUtc: '2026-01-01T00:00:00.000Z',
    }),
  );
  return Object.assign(fleet, {
    arm,
    sites,
    close: async () => {
      await Promise.all([...proxies.map((proxy) => proxy.close()), arm.close(), host.close()]);
    },
  });
}
