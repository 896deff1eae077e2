/** A minimal event emitter with VS Code's shape, so the core can publish events without importing vscode. */

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(e: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(e);
      } catch {
        // A failing listener must not stop the others or the emitter's owner.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
