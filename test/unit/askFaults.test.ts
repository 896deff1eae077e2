/**
 * ask against the Bedrock stand-in, its failures: bounded waits (first byte, a silent stream), a rejected token
 * (re-signed and retried once), cancel at every stage, a stream cut or malformed, 400 and a region that does not exist.
 * Run: node --import tsx --test test/unit/askFaults.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { APIConnectionError, AuthenticationError, PermissionDeniedError } from 'openai';
import { ask, type AskEvent } from '../../src/core/ask';
import { AskCancelledError, CredentialsError, StreamError } from '../../src/core/failures';
import { buildBearerToken } from '../../src/core/token';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';
import { waitFor } from '../support/waitFor';
import { HANG_GUARD_MS, NEVER, SEED_ANSWER, clientFor, collect, completedOf, seed, textOf } from './askSupport';

let standin: Standin;

describe('ask against the stand-in: faults, bounds and cancel', () => {
  before(async () => {
    standin = await startStandin();
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  describe('bounded waits', () => {
    it('no first byte within the bound: a first-byte-timeout StreamError, and the request is ended', async () => {
      standin.faults.push({ kind: 'slowFirstByte', delayMs: NEVER });
      await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), { ...seed, firstByteTimeoutMs: 300 })), (err: unknown) => {
        assert.ok(err instanceof StreamError && err.kind === 'first-byte-timeout', String(err));
        return true;
      });
      await waitFor('the stand-in to see the request aborted', () => standin.requests[0]?.aborted === true);
    });

    it('a stream that goes silent: the text so far arrived, then a stalled StreamError, and the request is ended', async () => {
      standin.faults.push({ kind: 'slowStream', delayMs: NEVER });
      const seen: AskEvent[] = [];
      await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), { ...seed, idleTimeoutMs: 300 }), seen), (err: unknown) => err instanceof StreamError && err.kind === 'stalled');
      assert.ok(textOf(seen).length > 0, 'the first delta arrived before the silence');
      await waitFor('the stand-in to see the request aborted', () => standin.requests[0]?.aborted === true);
    });

    it('a stream that keeps talking is not stopped by the silence bound', async () => {
      standin.faults.push({ kind: 'slowStream', delayMs: 20 });
      const done = completedOf(await collect(ask(clientFor(standin, 'us-east-2'), { ...seed, firstByteTimeoutMs: 10_000, idleTimeoutMs: 5_000 })));
      assert.equal(done.text, SEED_ANSWER);
    });
  });

  describe('a rejected token', () => {
    /** A renewal that signs a good token and records which token it was told was rejected. */
    function renewal() {
      const rejected: string[] = [];
      return { rejected, renewToken: async (t: string) => (rejected.push(t), buildBearerToken(STATIC_TEST_KEY, 'us-east-2')) };
    }

    it('401: the token is renewed and the request sent once more, with the new token', async () => {
      standin.faults.push({ kind: 'status', status: 401 });
      const r = renewal();
      const done = completedOf(await collect(ask(clientFor(standin, 'us-east-2', { renewToken: r.renewToken }), seed)));
      assert.equal(done.text, SEED_ANSWER);
      assert.deepEqual(standin.requests.map((q) => q.status), [401, 200]);
      assert.equal(r.rejected.length, 1);
      assert.ok(r.rejected[0].startsWith('bedrock-api-key-'));
    });

    it('403 for an expired token: renewed, then answered', async () => {
      const expired = await buildBearerToken(STATIC_TEST_KEY, 'us-east-2', 60, new Date(Date.now() - 3_600_000));
      const r = renewal();
      const done = completedOf(await collect(ask(clientFor(standin, 'us-east-2', { token: async () => expired, renewToken: r.renewToken }), seed)));
      assert.equal(done.text, SEED_ANSWER);
      assert.deepEqual(standin.requests.map((q) => q.status), [403, 200]);
      assert.deepEqual(r.rejected, [expired]);
    });

    it('a 403 that is about permissions is not renewed', async () => {
      standin.faults.push({ kind: 'status', status: 403, message: 'User is not authorized to perform bedrock:CallWithBearerToken.' });
      const r = renewal();
      await assert.rejects(collect(ask(clientFor(standin, 'us-east-2', { renewToken: r.renewToken }), seed)), PermissionDeniedError);
      assert.equal(r.rejected.length, 0);
      assert.equal(standin.requests.length, 1);
    });

    it('only once: a second 401 is the answer', async () => {
      standin.faults.push({ kind: 'status', status: 401, times: 2 });
      const r = renewal();
      await assert.rejects(collect(ask(clientFor(standin, 'us-east-2', { renewToken: r.renewToken }), seed)), AuthenticationError);
      assert.equal(r.rejected.length, 1);
      assert.equal(standin.requests.length, 2);
    });

    it('a renewal that fails leaves the rejection as the answer', async () => {
      standin.faults.push({ kind: 'status', status: 401 });
      const renewToken = async () => Promise.reject(new CredentialsError('sso-expired', 'Run aws sso login.'));
      await assert.rejects(collect(ask(clientFor(standin, 'us-east-2', { renewToken }), seed)), AuthenticationError);
      assert.equal(standin.requests.length, 1);
    });
  });

  it('an error from the token provider comes back as itself', async () => {
    const failing = clientFor(standin, 'us-east-2', { token: async () => Promise.reject(new CredentialsError('sso-expired', 'Run aws sso login --profile dev.')) });
    await assert.rejects(collect(ask(failing, seed)), (err: unknown) => err instanceof CredentialsError && err.code === 'sso-expired');
  });

  // The stand-in holds the next byte back for longer than the test may run (NEVER), so these cancels can only finish
  // by not waiting for the stream; the test timeout stops a regression from hanging. Latency: bench/cancel.bench.ts.
  it('abort mid-stream throws AskCancelledError at once, and the stand-in sees the abort', { timeout: HANG_GUARD_MS }, async () => {
    standin.faults.push({ kind: 'slowStream', delayMs: NEVER });
    const controller = new AbortController();
    const seen: AskEvent[] = [];
    const run = (async () => {
      for await (const e of ask(clientFor(standin, 'us-east-2'), { ...seed, prompt: 'Long answer [[words:200]]', signal: controller.signal })) {
        seen.push(e);
        if (e.type === 'text') controller.abort();
      }
    })();
    await assert.rejects(run, AskCancelledError);
    assert.equal(seen.length, 1);
    await waitFor('the stand-in to end the request', () => standin.requests[0]?.endedAt !== undefined);
    assert.equal(standin.requests[0].aborted, true);
  });

  it('abort while waiting for the first byte is also immediate', { timeout: HANG_GUARD_MS }, async () => {
    standin.faults.push({ kind: 'slowFirstByte', delayMs: NEVER });
    const controller = new AbortController();
    const run = collect(ask(clientFor(standin, 'us-east-2'), { ...seed, signal: controller.signal }));
    await waitFor('the request to reach the stand-in', () => standin.requests.length > 0); // the request is out and its first byte held back
    controller.abort();
    await assert.rejects(run, AskCancelledError);
    await waitFor('the stand-in to see the abort', () => standin.requests[0]?.aborted === true);
  });

  it('a stream cut mid-way is StreamError cut, after the text so far', async () => {
    for (const mode of ['destroy', 'end'] as const) {
      standin.faults.push({ kind: 'cut', afterDeltas: 3, mode });
      const seen: AskEvent[] = [];
      await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), seed), seen), (err: unknown) => err instanceof StreamError && err.kind === 'cut');
      assert.equal(seen.length, 3, mode);
    }
  });

  it('malformed SSE data is StreamError malformed', async () => {
    standin.faults.push({ kind: 'malformed', afterDeltas: 2 });
    await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), seed)), (err: unknown) => err instanceof StreamError && err.kind === 'malformed');
    standin.faults.push({ kind: 'malformed' });
    await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), { ...seed, stream: false })), (err: unknown) => err instanceof StreamError && err.kind === 'malformed');
  });

  it('response.failed and error events are StreamError failed with the code', async () => {
    standin.faults.push({ kind: 'failed', code: 'server_error' }, { kind: 'errorEvent', code: 'rate_limit_exceeded', afterDeltas: 0 });
    await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), seed)), (err: unknown) => err instanceof StreamError && err.kind === 'failed' && err.code === 'server_error');
    await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), seed)), (err: unknown) => err instanceof StreamError && err.kind === 'failed' && err.code === 'rate_limit_exceeded');
  });

  it('max_output_tokens reached is StreamError incomplete, with the text delivered', async () => {
    for (const stream of [true, false]) {
      const seen: AskEvent[] = [];
      await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), { ...seed, effort: 'low', prompt: 'Go on [[words:300]]', maxOutputTokens: 40, stream }), seen), (err: unknown) => err instanceof StreamError && err.kind === 'incomplete' && err.code === 'max_output_tokens');
      assert.equal(textOf(seen).length, 160);
    }
  });

  it('an unsupported effort is the SDK BadRequestError, status 400', async () => {
    await assert.rejects(collect(ask(clientFor(standin, 'us-east-2'), { ...seed, effort: 'minimal' })), (err: unknown) => (err as { status?: number }).status === 400 && /reasoning.effort/.test((err as Error).message));
  });

  it('a region the service does not know fails to connect (APIConnectionError)', async () => {
    await assert.rejects(collect(ask(clientFor(standin, 'eu-central-1'), seed)), APIConnectionError);
  });
});
