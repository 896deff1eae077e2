/**
 * Polls `check` until it gives a value (not undefined or false) or `timeoutMs` passes; the error names `what`, and
 * what `lastSeen` reads then (the text that never matched, say).
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
  intervalMs = 20,
  lastSeen?: () => string | Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) {
      const seen = lastSeen && (await Promise.resolve().then(lastSeen).catch((e: unknown) => `unreadable: ${String(e)}`));
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? ` (last seen: ${seen})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Whether `ok` comes to hold within `timeoutMs` (polled every 200 ms), for a check that reports it. */
export function holdsWithin(ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return waitFor('', ok, timeoutMs, 200).then(() => true, () => false);
}
