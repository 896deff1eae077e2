import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { getToken } from '@aws/bedrock-token-generator';
import { buildBearerToken, tokenExpiry, validateLifetime, MAX_TOKEN_LIFETIME_SECONDS } from '../../src/core/token';
import { TokenLifetimeError } from '../../src/core/failures';
import { verifyBearerToken } from '../standin/verifyToken';
import { SESSION_TEST_KEY, STATIC_TEST_KEY } from '../standin/keys';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const bearer = (token: string) => `Bearer ${token}`;
const decode = (token: string) => Buffer.from(token.slice('bedrock-api-key-'.length), 'base64').toString('utf8');
const paramNames = (token: string) => decode(token).split('?')[1].split('&').map((p) => p.split('=')[0]);

/** Re-encodes a token after editing its decoded URL, to show the signature covers what was changed. */
function tamper(token: string, edit: (url: string) => string): string {
  return 'bedrock-api-key-' + Buffer.from(edit(decode(token)), 'utf8').toString('base64');
}

for (const [kind, key] of [['static', STATIC_TEST_KEY], ['session', SESSION_TEST_KEY]] as const) {
  for (const region of ['us-east-2', 'us-west-2']) {
    test(`a token from ${kind} credentials for ${region} verifies and lasts 12 h`, async () => {
      const token = await buildBearerToken(key, region, undefined, new Date(T0));
      const verdict = verifyBearerToken(bearer(token), { region, now: T0 + 1000 });
      assert.deepEqual(verdict, { ok: true, accessKeyId: key.accessKeyId, region, expiresAt: T0 + 43200_000 });
      assert.ok(!decode(token).includes(key.secretAccessKey), 'the secret key never appears in a token');
    });
  }
}

test('our token and @aws/bedrock-token-generator agree byte for byte on a fixed clock, and both verify', async () => {
  for (const key of [STATIC_TEST_KEY, SESSION_TEST_KEY]) {
    // The reference signs with `new Date()`: freeze Date so both sign at the same instant.
    mock.timers.enable({ apis: ['Date'], now: T0 });
    let reference: string;
    try {
      reference = await getToken({ credentials: key, region: 'us-east-2' });
    } finally {
      mock.timers.reset();
    }
    const ours = await buildBearerToken(key, 'us-east-2', 43200, new Date(T0));
    assert.ok(ours === reference, 'our token differs from the reference token'); // no token in test output
    for (const token of [ours, reference]) {
      assert.equal(verifyBearerToken(bearer(token), { region: 'us-east-2', now: T0 }).ok, true);
    }
  }
});

test('our token and the reference have the same structure on a live clock', async () => {
  const reference = await getToken({ credentials: SESSION_TEST_KEY, region: 'us-west-2', expiresInSeconds: 900 });
  const ours = await buildBearerToken(SESSION_TEST_KEY, 'us-west-2', 900);
  assert.ok(ours.startsWith('bedrock-api-key-') && reference.startsWith('bedrock-api-key-'));
  assert.deepEqual(paramNames(ours), paramNames(reference));
  assert.deepEqual(paramNames(ours), [
    'Action', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires',
    'X-Amz-Security-Token', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'Version',
  ]);
  for (const token of [ours, reference]) {
    assert.match(decode(token), /^bedrock\.amazonaws\.com\/\?Action=CallWithBearerToken&.*&X-Amz-Expires=900&.*&Version=1$/);
    assert.equal(verifyBearerToken(bearer(token), { region: 'us-west-2' }).ok, true);
  }
});

test('the verifier rejects expired, wrong-secret, wrong-region, missing-session-token and tampered tokens', async () => {
  const ok = await buildBearerToken(STATIC_TEST_KEY, 'us-east-2', 600, new Date(T0));
  const reject = (token: string, region: string, now: number) => {
    const verdict = verifyBearerToken(bearer(token), { region, now });
    assert.equal(verdict.ok, false);
    return verdict.ok ? undefined : [verdict.status, verdict.code];
  };
  assert.equal(verifyBearerToken(bearer(ok), { region: 'us-east-2', now: T0 + 599_000 }).ok, true);
  assert.deepEqual(reject(ok, 'us-east-2', T0 + 600_000), [403, 'token-expired']);
  assert.deepEqual(reject(ok, 'us-west-2', T0), [403, 'wrong-region']);

  const wrongSecret = await buildBearerToken({ ...STATIC_TEST_KEY, secretAccessKey: 'x'.repeat(40) }, 'us-east-2', 600, new Date(T0));
  assert.deepEqual(reject(wrongSecret, 'us-east-2', T0), [403, 'signature-mismatch']);

  const noSession = await buildBearerToken({ ...SESSION_TEST_KEY, sessionToken: undefined }, 'us-east-2', 600, new Date(T0));
  assert.deepEqual(reject(noSession, 'us-east-2', T0), [403, 'invalid-session-token']);
  const otherSession = await buildBearerToken({ ...SESSION_TEST_KEY, sessionToken: 'other' }, 'us-east-2', 600, new Date(T0));
  assert.deepEqual(reject(otherSession, 'us-east-2', T0), [403, 'invalid-session-token']);

  const unknown = await buildBearerToken({ ...STATIC_TEST_KEY, accessKeyId: 'AKIANOTKNOWN00000000' }, 'us-east-2', 600, new Date(T0));
  assert.deepEqual(reject(unknown, 'us-east-2', T0), [403, 'unknown-access-key']);

  // Stretching the lifetime after signing must break the signature; beyond 12 h it is refused outright.
  assert.deepEqual(reject(tamper(ok, (u) => u.replace('X-Amz-Expires=600', 'X-Amz-Expires=900')), 'us-east-2', T0), [403, 'signature-mismatch']);
  assert.deepEqual(reject(tamper(ok, (u) => u.replace('X-Amz-Expires=600', 'X-Amz-Expires=43201')), 'us-east-2', T0), [403, 'invalid-expires']);
  assert.deepEqual(reject(tamper(ok, (u) => u.replace('&Version=1', '')), 'us-east-2', T0), [403, 'malformed-token']);
  assert.deepEqual(reject('not-a-bedrock-token', 'us-east-2', T0), [401, 'malformed-token']);
  assert.deepEqual(verifyBearerToken(undefined, { region: 'us-east-2' }), {
    ok: false, status: 401, code: 'missing-token', message: 'No Authorization header.',
  });
});

test('lifetimes outside (0, 43200] are refused with a clear message', async () => {
  for (const seconds of [0, -1, 43201, Number.NaN]) {
    assert.throws(() => validateLifetime(seconds), (e: unknown) => e instanceof TokenLifetimeError && /greater than 0 and at most 43200/.test(e.message));
    await assert.rejects(buildBearerToken(STATIC_TEST_KEY, 'us-east-2', seconds), TokenLifetimeError);
  }
  validateLifetime(1);
  validateLifetime(MAX_TOKEN_LIFETIME_SECONDS);
});

test('tokenExpiry is capped by the credentials expiration', () => {
  assert.equal(tokenExpiry(T0, 3600, {}), T0 + 3600_000);
  assert.equal(tokenExpiry(T0, 3600, { expiration: new Date(T0 + 60_000) }), T0 + 60_000);
  assert.equal(tokenExpiry(T0, 60, { expiration: new Date(T0 + 3600_000) }), T0 + 60_000);
});
