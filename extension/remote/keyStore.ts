import type { SecretMasker } from '../common/log';
import { Listeners } from '../common/listeners';

/** The slice of VS Code's SecretStorage this needs. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

/**
 * Function keys live only here (SecretStorage, encrypted by VS Code) and in memory. Every key read
 * or stored is registered with the masker, so it cannot reach a log line even by accident.
 */
export class FunctionKeyStore {
  private readonly listeners = new Listeners();

  constructor(
    private readonly secrets: SecretStore,
    private readonly masker: SecretMasker,
  ) {}

  async get(resourceId: string): Promise<string | undefined> {
    const key = await this.secrets.get(secretName(resourceId));
    this.masker.add(key);
    return key;
  }

  async store(resourceId: string, key: string): Promise<void> {
    this.masker.add(key);
    await this.secrets.store(secretName(resourceId), key);
    this.listeners.fire();
  }

  async forget(resourceId: string): Promise<void> {
    await this.secrets.delete(secretName(resourceId));
    this.listeners.fire();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.listeners.add(listener);
  }
}

function secretName(resourceId: string): string {
  return `remoteMcp.functionKey:${resourceId.toLowerCase()}`;
}
