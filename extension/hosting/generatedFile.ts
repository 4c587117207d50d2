/** A file "Host on Azure Functions…" adds to a user's project; it is written only where none exists. */
export interface GeneratedFile {
  /** Relative to the project folder, with `/` separators (e.g. `infra/main.bicep`). */
  path: string;
  content: string;
}
