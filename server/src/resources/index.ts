import type { ServerResource } from '../toolDependencies';
import { snippetResource } from './snippet';
import { weatherView } from './weatherView';

/** Every resource and resource template this server offers; both hosts serve exactly this list. */
export const resourceCatalogue: readonly ServerResource[] = [weatherView, snippetResource];
