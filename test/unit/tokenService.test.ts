import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialsError, TokenLifetimeError } from '../../src/core/failures';
import { buildBearerToken } from '../../src/core/token';
import { FAILURE_BACKOFF_MS, TokenService, type TokenServiceOptions, type TokenState } from '../../src/core/tokenService';
import type { AwsCredentials } from '../../src/core/types';
import { SESSION_TEST_KEY, STATIC_TEST_KEY } from '../standin/keys';
import { verifyBearerToken } from '../standin/verifyToken';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOUR = 3600_000;

/** A TokenService on a fake clock that counts credential resolutions and signings and records its states. */
function harness(opts: Partial<TokenServiceOptions> & { creds?: () => AwsCredentials; delayMs?: number } = {}) {
  const clock = { now: T0 };
  const counts = { resolves: 0, signs: 0 };
  const states: TokenState[] = [];
  const { creds = () => ({ ...STATIC_TEST_KEY }), delayMs = 0, ...rest } = opts;
  const service = new TokenService({
    region: 'us-east-2',
    env: {}, // no AWS_BEARER_TOKEN_BEDROCK from the real environment
    now: () => clock.now,
    credentials: async () => {
      counts.resolves++;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return creds();
    },
    sign: async (...args) => {
      counts.signs++;
      return buildBearerToken(...args);
    },
    ...rest,
  });
  service.onDidChangeState((s) => states.push(s));
  const verify = (token: string, region = 'us-east-2') => verifyBearerToken(`Bearer ${token}`, { region, now: clock.now });
  return { service, clock, counts, states, verify };
}

test('signs once per lifetime and refreshes at the margin before expiry', async () => {
  const { service, clock, counts, verify } = harness({ lifetimeSeconds: 3600 });
  const first = await service.getToken();
  assert.equal(verify(first).ok, true);
  assert.deepEqual(service.state, { kind: 'valid', source: 'sigv4', expiresAt: T0 + HOUR, cappedByCredentials: false });

  clock.now = T0 + HOUR - 300_000 - 1; // one millisecond before the 5-minute margin
  assert.ok((await service.getToken()) === first, 'the cached token is reused');
  assert.deepEqual(counts, { resolves: 1, signs: 1 });

  clock.now = T0 + HOUR - 300_000; // inside the margin: a new token, from freshly resolved credentials
  const second = await service.getToken();
  assert.ok(second !== first, 'a new token was made');
  assert.deepEqual(counts, { resolves: 2, signs: 2 });
  assert.equal(verify(second).ok, true);
  assert.equal(service.state.kind === 'valid' && service.state.expiresAt, clock.now + HOUR);
});

test('the default lifetime is 12 h and a token lives that long', async () => {
  const { service, clock, counts } = harness();
  await service.getToken();
  clock.now = T0 + 11 * HOUR;
  await service.getToken();
  assert.equal(counts.signs, 1);
  assert.equal(service.state.kind === 'valid' && service.state.expiresAt, T0 + 12 * HOUR);
});

test('expiry is capped at the credentials expiration, and refresh re-resolves credentials', async () => {
  let expiration = new Date(T0 + 30 * 60_000);
  const { service, clock, counts, verify } = harness({ creds: () => ({ ...SESSION_TEST_KEY, expiration }) });
  await service.getToken();
  assert.deepEqual(service.state, { kind: 'valid', source: 'sigv4', expiresAt: T0 + 30 * 60_000, cappedByCredentials: true });

  clock.now = T0 + 25 * 60_000; // 5 minutes before the credentials expire
  expiration = new Date(T0 + 2 * HOUR); // as if `aws sso login` ran meanwhile
  const token = await service.getToken();
  assert.equal(counts.resolves, 2);
  assert.equal(verify(token).ok, true);
  assert.equal(service.state.kind === 'valid' && service.state.expiresAt, T0 + 2 * HOUR);
});

test('20 concurrent callers share one credentials resolve and one signing', async () => {
  const { service, counts, states } = harness({ delayMs: 20 });
  const tokens = await Promise.all(Array.from({ length: 20 }, () => service.getToken()));
  assert.equal(new Set(tokens).size, 1);
  assert.deepEqual(counts, { resolves: 1, signs: 1 });
  assert.deepEqual(states.map((s) => s.kind), ['refreshing', 'valid']);
});

test('state events: none → refreshing → valid → expired → refreshing → valid, and errors', async () => {
  let fail = false;
  const { service, clock, states } = harness({
    lifetimeSeconds: 600,
    creds: () => {
      if (fail) throw new CredentialsError('sso-expired', 'SSO expired. Run: aws sso login --profile corp', { profile: 'corp' });
      return { ...STATIC_TEST_KEY };
    },
  });
  assert.deepEqual(service.state, { kind: 'none' });
  const token = await service.getToken();
  clock.now = T0 + 600_000;
  assert.deepEqual(service.state, { kind: 'expired', expiredAt: T0 + 600_000 });
  assert.deepEqual(service.checkExpiry(), { kind: 'expired', expiredAt: T0 + 600_000 });
  await service.getToken();
  fail = true;
  await assert.rejects(service.refresh(), (e: unknown) => e instanceof CredentialsError && e.code === 'sso-expired');
  assert.equal(service.state.kind, 'error');
  fail = false;
  clock.now += FAILURE_BACKOFF_MS; // getToken repeats a failure for the back-off, then resolves again
  await service.getToken();
  assert.deepEqual(states.map((s) => s.kind), ['refreshing', 'valid', 'expired', 'refreshing', 'valid', 'refreshing', 'error', 'refreshing', 'valid']);
  assert.ok(!JSON.stringify(states).includes(token), 'no state carries the token');
});

test('a forced refresh re-resolves credentials even when the cached token is fresh', async () => {
  const { service, counts } = harness();
  const first = await service.getToken();
  const second = await service.refresh();
  assert.deepEqual(counts, { resolves: 2, signs: 2 });
  assert.equal(typeof second, 'string');
  assert.ok(first.startsWith('bedrock-api-key-'));
});

test('update() drops the cache on a region change but not on a margin change; mid-refresh changes win', async () => {
  const { service, counts, states, verify } = harness({ delayMs: 10 });
  await service.getToken();
  service.update({ refreshMarginSeconds: 60 });
  await service.getToken();
  assert.equal(counts.signs, 1);

  service.update({ region: 'us-west-2' });
  assert.deepEqual(service.state, { kind: 'none' });
  const west = await service.getToken();
  assert.equal(verify(west, 'us-west-2').ok, true);
  assert.equal(counts.signs, 2);

  const pending = service.refresh();
  service.update({ region: 'us-east-2' }); // while the refresh is resolving credentials
  const east = await pending;
  assert.equal(verify(east, 'us-east-2').ok, true, 'callers get a token for the settings in force when it completes');
  assert.equal(states.at(-1)?.kind, 'valid');
});

test('an invalid lifetime puts the service in the error state with the lifetime message', async () => {
  const { service } = harness({ lifetimeSeconds: 43201 });
  await assert.rejects(service.getToken(), TokenLifetimeError);
  const state = service.state;
  assert.equal(state.kind, 'error');
  assert.match(state.kind === 'error' ? state.message : '', /at most 43200/);
});

test('API key mode: a given key or AWS_BEARER_TOKEN_BEDROCK is used as is, without credentials', async () => {
  const given = harness({ apiKey: async () => 'long-term-key-from-secret-storage' });
  assert.equal(await given.service.getToken(), 'long-term-key-from-secret-storage');
  assert.deepEqual(given.service.state, { kind: 'valid', source: 'apiKey', cappedByCredentials: false });
  given.clock.now = T0 + 48 * HOUR; // no expiry is known, so the key is never treated as expired
  assert.equal(await given.service.getToken(), 'long-term-key-from-secret-storage');
  assert.deepEqual(given.counts, { resolves: 0, signs: 0 });

  const fromEnv = harness({ env: { AWS_BEARER_TOKEN_BEDROCK: 'long-term-key-from-env' } });
  assert.equal(await fromEnv.service.getToken(), 'long-term-key-from-env');
  assert.equal(fromEnv.counts.resolves, 0);

  const none = harness({ apiKey: async () => undefined });
  assert.ok((await none.service.getToken()).startsWith('bedrock-api-key-'), 'no key: sign with AWS credentials');
});

test('a disposed service refuses new work', async () => {
  const { service } = harness();
  service.dispose();
  await assert.rejects(service.getToken(), /disposed/);
  await assert.rejects(service.refresh(), /disposed/);
});

test('renewRejected: drops the rejected token and signs a new one from freshly resolved credentials, once for a burst', async () => {
  const { service, clock, counts } = harness({ lifetimeSeconds: 3600 });
  const first = await service.getToken();
  clock.now += 1000; // a new second: the new signature differs
  const renewed = await Promise.all([service.renewRejected(first), service.renewRejected(first)]);
  assert.notEqual(renewed[0], first);
  assert.equal(renewed[1], renewed[0]);
  assert.deepEqual(counts, { resolves: 2, signs: 2 });
  assert.equal(await service.getToken(), renewed[0], 'the new token is the cached one');
  // A late report of the old token's rejection finds a newer one cached and does not sign again.
  assert.equal(await service.renewRejected(first), renewed[0]);
  assert.deepEqual(counts, { resolves: 2, signs: 2 });
});

test('after a failed credential resolution, a burst of getToken waits out a back-off; refresh() always resolves', async () => {
  let fail = true;
  const { service, clock, counts } = harness({
    creds: () => {
      if (fail) throw new CredentialsError('sso-expired', 'The SSO session has expired.');
      return { ...STATIC_TEST_KEY };
    },
  });
  await assert.rejects(service.getToken(), CredentialsError);
  for (let i = 0; i < 5; i++) await assert.rejects(service.getToken(), CredentialsError);
  assert.equal(counts.resolves, 1, 'the burst re-ran nothing');
  await assert.rejects(service.refresh(), CredentialsError);
  assert.equal(counts.resolves, 2, 'an explicit refresh resolves again');
  fail = false;
  clock.now += 10_000; // past the back-off: the next ask resolves again
  assert.ok((await service.getToken()).startsWith('bedrock-api-key-'));
  assert.equal(counts.resolves, 3);
});
