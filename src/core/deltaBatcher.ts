/**
 * Coalesces the streamed text for the panel: the first text goes at once, then consecutive `delta` (or
 * `reasoningDelta`) messages of one answer are joined and sent at most once per interval, and any other message first sends what is waiting, so the order the
 * webview sees is the order of the events. A model (or the stand-in) can stream hundreds of deltas a second; one
 * message each would queue in the extension host as pending webview messages faster than the panel takes them.
 * No SDKs, no `vscode`.
 */
import type { ExtensionMessage } from '../shared/protocol';

type TextMessage = Extract<ExtensionMessage, { type: 'delta' | 'reasoningDelta' }>;

/** One animation frame at 60 Hz: the webview renders no more often than that anyway. */
export const DELTA_BATCH_MS = 16;

export interface BatcherTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const isText = (m: ExtensionMessage): m is TextMessage => m.type === 'delta' || m.type === 'reasoningDelta';

export class DeltaBatcher {
  private pending: TextMessage[] = [];
  private timer: unknown;

  constructor(
    private readonly send: (message: ExtensionMessage) => void,
    private readonly intervalMs = DELTA_BATCH_MS,
    private readonly timers: BatcherTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
  ) {}

  post(message: ExtensionMessage): void {
    if (!isText(message)) {
      this.flush();
      this.send(message);
      return;
    }
    if (this.timer === undefined) {
      // Leading edge: the first text after a quiet interval goes at once (no added latency to the first token).
      this.send(message);
      this.arm();
      return;
    }
    const last = this.pending.at(-1);
    if (last && last.type === message.type && last.requestId === message.requestId) last.text += message.text;
    else this.pending.push({ ...message });
  }

  private arm(): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (!this.pending.length) return;
      this.sendPending();
      this.arm();
    }, this.intervalMs);
  }

  /** Sends whatever waits, now. */
  flush(): void {
    this.cancelTimer();
    this.sendPending();
  }

  private sendPending(): void {
    const waiting = this.pending;
    this.pending = [];
    for (const m of waiting) this.send(m);
  }

  /** Forgets what waits (the webview went away; the `state` it gets when it is back holds everything). */
  discard(): void {
    this.cancelTimer();
    this.pending = [];
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
