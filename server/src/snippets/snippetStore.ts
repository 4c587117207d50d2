/** A stored snippet as `list_snippets` reports it. */
export interface SnippetSummary {
  name: string;
  sizeBytes: number;
  lastModified: string;
}

/**
 * Where snippets live: Azure Blob Storage in production and Azurite locally. Names reach a store
 * already validated by the tools' schema. Failures are ToolErrors whose message names the storage
 * endpoint and the fix, so tools can let them through unchanged.
 */
export interface SnippetStore {
  /** Creates or replaces the snippet. */
  save(name: string, content: string, signal: AbortSignal): Promise<void>;
  /** `undefined` when no snippet has that name. */
  get(name: string, signal: AbortSignal): Promise<string | undefined>;
  /** Snippets whose name starts with `prefix`, in name order, at most `limit` of them. */
  list(prefix: string | undefined, limit: number, signal: AbortSignal): Promise<SnippetSummary[]>;
}
