// A running local server as LocalServerManager reports it, for tests of what is built on that state.
import type { LocalServerState } from '../../extension/localServer/localServerManager';
import { bundledProject } from '../../extension/project/mcpProject';

export function runningLocalServer(
  extra: Partial<Extract<LocalServerState, { status: 'running' }>> = {},
): Extract<LocalServerState, { status: 'running' }> {
  return {
    status: 'running',
    host: 'embedded',
    port: 7071,
    url: 'http://127.0.0.1:7071/runtime/webhooks/mcp',
    version: '1',
    project: bundledProject('/ws'),
    storageAvailable: true,
    ...extra,
  };
}
