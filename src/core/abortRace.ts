/**
 * Immediate cancellation for a streamed request. The openai SDK ends iteration quietly on abort and some waits
 * (the token provider, the response headers) do not watch the signal, so every wait is raced against it here.
 */
import { AskCancelledError } from './failures';

export interface AbortRace {
  /** Resolves as `p` does, or rejects with AskCancelledError the moment the caller's signal fires. */
  race<T>(p: Promise<T>): Promise<T>;
  /** Handed to the SDK: aborted with the caller's signal, and by dispose() (ends a request left half-read). */
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Resolves as `p` does, or rejects with `error()` when `p` has not settled within `ms` (0 or undefined: no bound).
 * The timer is cleared either way, so a settled wait leaves nothing behind.
 */
export function within<T>(p: Promise<T>, ms: number | undefined, error: () => Error): Promise<T> {
  if (!ms || ms <= 0) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function abortRace(signal: AbortSignal | undefined): AbortRace {
  if (signal?.aborted) throw new AskCancelledError();
  const controller = new AbortController();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      controller.abort();
      reject(new AskCancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  return {
    race: (p) => (signal ? Promise.race([p, aborted]) : p),
    signal: controller.signal,
    dispose() {
      signal?.removeEventListener('abort', onAbort);
      controller.abort(); // a no-op for a request that completed
    },
  };
}
