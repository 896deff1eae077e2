import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryAfterSeconds } from '../../src/core/retryAfter';

const headers = (h: Record<string, string>) => (name: string) => new Headers(h).get(name);

test('Retry-After in seconds, as an HTTP date, and retry-after-ms; absent or unreadable is undefined', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  assert.equal(retryAfterSeconds(headers({ 'retry-after': '7' }), now), 7);
  assert.equal(retryAfterSeconds(headers({ 'retry-after': new Date(now + 90_000).toUTCString() }), now), 90);
  assert.equal(retryAfterSeconds(headers({ 'retry-after': new Date(now - 90_000).toUTCString() }), now), 0);
  assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now), 1.5);
  assert.equal(retryAfterSeconds(headers({}), now), undefined);
  assert.equal(retryAfterSeconds(headers({ 'retry-after': 'soon' }), now), undefined);
});
