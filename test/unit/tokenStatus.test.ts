import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, tokenStatus, type EndpointCheck } from '../../src/core/tokenStatus';
import type { TokenState } from '../../src/core/tokenService';

const now = Date.UTC(2026, 11, 1, 12, 0, 0);
const margin = 300_000;
const valid = (inMs: number, capped = false): TokenState => ({ kind: 'valid', source: 'sigv4', expiresAt: now + inMs, cappedByCredentials: capped });
const status = (state: TokenState, check?: EndpointCheck) => tokenStatus({ state, check, now, marginMs: margin });

test('no token, refreshing, an API key: no time shown, no warning', () => {
  assert.deepEqual(status({ kind: 'none' }), { icon: 'key', suffix: undefined, headline: { kind: 'none' }, warning: false, expiry: undefined, changesAt: undefined });
  assert.equal(status({ kind: 'refreshing' }).icon, 'sync~spin');
  const key = status({ kind: 'valid', source: 'apiKey', cappedByCredentials: false });
  assert.equal(key.headline.kind, 'apiKey');
  assert.equal(key.expiry, undefined);
});

test('a valid token shows the time left; within the margin it is expiring soon; past it, expired', () => {
  const fresh = status(valid(2 * 3_600_000 + 5 * 60_000, true));
  assert.deepEqual(fresh.suffix, { kind: 'timeLeft', text: '2h 5m' });
  assert.deepEqual(fresh.headline, { kind: 'valid', cappedByCredentials: true });
  assert.equal(fresh.expiry, now + 2 * 3_600_000 + 5 * 60_000);
  assert.equal(fresh.changesAt, fresh.expiry! - margin, 'it changes when the margin starts');
  const soon = status(valid(margin));
  assert.equal(soon.icon, 'watch');
  assert.equal(soon.headline.kind, 'expiringSoon');
  assert.equal(soon.changesAt, now + margin, 'then at the expiry');
  const gone = status(valid(0));
  assert.equal(gone.icon, 'circle-slash');
  assert.deepEqual(gone.suffix, { kind: 'expired' });
  assert.equal(gone.changesAt, undefined, 'then no more');
  const expired = status({ kind: 'expired', expiredAt: now - 1 });
  assert.equal(expired.expiry, now - 1);
  assert.equal(expired.headline.kind, 'expired');
});

test('the endpoint\'s answer outranks the clock', () => {
  const at = now - 1000;
  const refused = status(valid(3_600_000), { ok: false, at, region: 'us-east-2', model: 'm', error: new Error('401') });
  assert.equal(refused.icon, 'warning');
  assert.equal(refused.warning, true);
  assert.equal(refused.headline.kind, 'refused');
  assert.deepEqual(refused.suffix, { kind: 'timeLeft', text: '1h 0m' }, 'the time left stays');
  const notListed = status(valid(3_600_000), { ok: true, at, region: 'us-west-2', model: 'm', servesModel: false });
  assert.deepEqual(notListed.headline, { kind: 'notListed', region: 'us-west-2', at });
  const accepted = status(valid(3_600_000), { ok: true, at, region: 'us-east-2', model: 'm', servesModel: true });
  assert.equal(accepted.warning, false);
  assert.deepEqual(accepted.headline, { kind: 'valid', cappedByCredentials: false, accepted: { region: 'us-east-2', at } });
});

test('an error state warns and keeps the error for the front end to word', () => {
  const error = new Error('boom');
  const s = status({ kind: 'error', message: 'boom', error });
  assert.equal(s.warning, true);
  assert.deepEqual(s.suffix, { kind: 'error' });
  assert.equal(s.headline.kind === 'error' && s.headline.error, error);
});

test('formatDuration: minutes, hours and minutes, under a minute', () => {
  assert.equal(formatDuration(59_999), '<1m');
  assert.equal(formatDuration(42 * 60_000), '42m');
  assert.equal(formatDuration(11 * 3_600_000 + 42 * 60_000 + 59_000), '11h 42m');
});
