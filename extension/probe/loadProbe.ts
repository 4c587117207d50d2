import { lazyBundle } from '../common/lazyBundle';

export type McpClientApi = typeof import('../mcpClientBundle');
export type ProbeApi = Pick<McpClientApi, 'probeServer' | 'probeMcpServer'>;

/** Loads the MCP SDK client bundle (dist/mcpClient.js): the probe and the sign-in check. */
export const loadMcpClient = lazyBundle<McpClientApi>('mcpClient.js');

/** The probe's part of that bundle, loaded the first time a server is probed. */
export const loadProbe: () => ProbeApi = loadMcpClient;
