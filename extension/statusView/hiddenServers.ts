import type { StateStore } from '../remote/remoteServers';
import { serverKey } from './serverCatalog';

const stateKey = 'remoteMcp.statusView.hidden';

/** Servers the user removed from the view, per workspace; a scan or an azd environment does not bring them back. */
export class HiddenServers {
  constructor(private readonly store: StateStore) {}

  list(): string[] {
    return this.store.get<string[]>(stateKey) ?? [];
  }

  has(resourceId: string): boolean {
    return this.list().includes(serverKey(resourceId));
  }

  async hide(resourceId: string): Promise<void> {
    if (!this.has(resourceId)) await this.store.update(stateKey, [...this.list(), serverKey(resourceId)]);
  }

  async restoreAll(): Promise<number> {
    const count = this.list().length;
    await this.store.update(stateKey, []);
    return count;
  }
}
