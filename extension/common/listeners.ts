/**
 * The change notification of the extension's plain (vscode-free) services: `onDidChange` hands
 * out a disposable subscription, `fire` tells every current listener. A listener that unsubscribes
 * while being told does not disturb the others.
 */
export class Listeners<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  clear(): void {
    this.listeners.clear();
  }
}
