import type { ServerTool } from '../toolDependencies';
import { helloMcp } from './helloMcp';
import { saveSnippet } from './saveSnippet';
import { getSnippet } from './getSnippet';
import { listSnippets } from './listSnippets';
import { getWeather } from './getWeather';
import { analyzeInvoice } from './analyzeInvoice';
import { getServerMetadata } from './getServerMetadata';
import { getSqlMetadata } from './getSqlMetadata';
import { getPatchingLevel } from './getPatchingLevel';
import { getSqlBpAssessment } from './getSqlBpAssessment';
import { getAnomalies } from './getAnomalies';

/** Every tool this server offers; both hosts serve exactly this list. */
export const catalogue: readonly ServerTool[] = [
  helloMcp,
  saveSnippet,
  getSnippet,
  listSnippets,
  getWeather,
  analyzeInvoice,
  getServerMetadata,
  getSqlMetadata,
  getPatchingLevel,
  getSqlBpAssessment,
  getAnomalies,
];
