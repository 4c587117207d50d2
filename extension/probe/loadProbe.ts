import { lazyBundle } from '../common/lazyBundle';

export type ProbeApi = typeof import('./mcpProbe');

/** Loads the probe bundle (dist/mcpProbe.js) the first time a server is probed. */
export const loadProbe = lazyBundle<ProbeApi>('mcpProbe.js');
