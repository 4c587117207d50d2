// VS Code's Memento (workspaceState) and SecretStorage, in memory, for plain-Node tests of the
// extension's services; a test can look inside the secrets.
import type { SecretStore } from '../../extension/remote/keyStore';
import type { StateStore } from '../../extension/remote/remoteServers';

export function memoryState(): StateStore {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    // Cloned, as VS Code stores JSON: a test cannot pass by mutating what it stored.
    update: (key, value) => {
      values.set(key, structuredClone(value));
      return Promise.resolve();
    },
  };
}

export function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: (key) => Promise.resolve(values.get(key)),
    store: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
  };
}
