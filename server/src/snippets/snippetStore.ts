/** A stored snippet as `list_snippets` reports it. */
export interface SnippetSummary {
  name: string;
  sizeBytes: number;
  lastModified: string;
}

/** Where snippets live: Azure Blob Storage in production and Azurite locally. */
export interface SnippetStore {
  save(name: string, content: string, signal: AbortSignal): Promise<void>;
  /** `undefined` when no snippet has that name. */
  get(name: string, signal: AbortSignal): Promise<string | undefined>;
  list(prefix: string | undefined, limit: number, signal: AbortSignal): Promise<SnippetSummary[]>;
}
