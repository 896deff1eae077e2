import type * as vscode from 'vscode';

/** Base for long-lived classes: whatever is passed to `_register` is disposed with the owner, last in first out. */
export abstract class Disposable implements vscode.Disposable {
  private readonly _disposables: vscode.Disposable[] = [];
  private _isDisposed = false;

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this._isDisposed) {
      value.dispose();
    } else {
      this._disposables.push(value);
    }
    return value;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    while (this._disposables.length) {
      try {
        this._disposables.pop()?.dispose();
      } catch {
        // One failing disposable must not keep the others alive.
      }
    }
  }
}

/** Wraps a callback as a disposable (e.g. clearInterval). */
export function toDisposable(dispose: () => void): vscode.Disposable {
  return { dispose };
}
