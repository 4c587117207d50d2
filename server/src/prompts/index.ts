import type { PromptDefinition } from '../toolkit/prompt';
import { weatherBriefing } from './weatherBriefing';
import { snippetReview } from './snippetReview';

/** Every prompt this server offers; both hosts serve exactly this list. */
export const promptCatalogue: readonly PromptDefinition[] = [weatherBriefing, snippetReview];
