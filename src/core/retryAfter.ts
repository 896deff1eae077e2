/**
 * How long a `Retry-After` (seconds or an HTTP date) or `retry-after-ms` header asks a client to wait. Shared by the
 * client's bound on the SDK's wait (client.ts) and the throttling message (errors/http.ts); no SDK imports.
 */
/** The longest wait the SDK is left to wait out by itself; a longer one is the answer at once. */
export const MAX_RETRY_AFTER_SECONDS = 30;

type HeaderGet = (name: string) => string | null | undefined;

/** Seconds to wait, never negative; undefined when there is no such header or it cannot be read. */
export function retryAfterSeconds(get: HeaderGet, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms / 1000);
  const raw = get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, (at - now) / 1000) : undefined;
}
