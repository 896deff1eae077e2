/**
 * createClient + ask against the Bedrock stand-in over real HTTP, with real SigV4 bearer tokens: every flow of
 * the seed article, the stream's failure modes, cancel, follow-ups, and where a request may be sent.
 * Run: node --import tsx --test test/unit/ask.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { APIConnectionError, AuthenticationError, NotFoundError, PermissionDeniedError, RateLimitError } from 'openai';
import { ask, buildInput, userMessage, type AskEvent, type AskOptions } from '../../src/core/ask';
import { createClient } from '../../src/core/client';
import { endpointFor } from '../../src/core/endpoint';
import { CLI_WORDS, explainError, renderError } from '../../src/core/errors';
import { AskCancelledError, CredentialsError, EndpointError, StreamError } from '../../src/core/failures';
import { buildBearerToken } from '../../src/core/token';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';
import { waitFor } from '../support/waitFor';

let standin: Standin;

/** A client for `region` on the stand-in; counts token-provider calls (one per attempt). */
function clientFor(region: string, o: { maxRetries?: number; token?: () => Promise<string>; renewToken?: (rejected: string) => Promise<string> } = {}) {
  const calls = { tokens: 0 };
  const client = createClient({
    region,
    endpoint: standin.endpointTemplate,
    maxRetries: o.maxRetries ?? 0,
    renewToken: o.renewToken,
    tokenProvider: () => {
      calls.tokens++;
      return o.token ? o.token() : buildBearerToken(STATIC_TEST_KEY, region);
    },
  });
  return Object.assign(client, { calls });
}

async function collect(events: AsyncGenerator<AskEvent>, seen: AskEvent[] = []): Promise<AskEvent[]> {
  for await (const e of events) seen.push(e);
  return seen;
}

function completedOf(events: AskEvent[]) {
  const last = events.at(-1);
  assert.equal(last?.type, 'completed');
  return last as Extract<AskEvent, { type: 'completed' }>;
}

const textOf = (events: AskEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
const seed: AskOptions = { model: 'openai.gpt-5.5', effort: 'medium', instructions: 'You are a helpful assistant. Be concise.', prompt: 'What is Amazon Bedrock in one sentence?' };
const SEED_ANSWER = 'openai.gpt-5.5 in us-east-2 answers question 1: "What is Amazon Bedrock in one sentence?"';
/** A stand-in delay no test outlives, and the timeout that turns a cancel stuck behind it into a failure. */
const NEVER = 600_000;
const HANG_GUARD_MS = 20_000;

describe('endpointFor', () => {
  it('defaults to bedrock-mantle in the region', () => {
    assert.equal(endpointFor('us-east-2'), 'https://bedrock-mantle.us-east-2.api.aws/openai/v1');
    assert.equal(endpointFor('us-west-2', '  '), 'https://bedrock-mantle.us-west-2.api.aws/openai/v1');
  });
  it('substitutes {region} and keeps https overrides', () => {
    assert.equal(endpointFor('us-west-2', 'http://127.0.0.1:4010/{region}/openai/v1/'), 'http://127.0.0.1:4010/us-west-2/openai/v1');
    assert.equal(endpointFor('us-east-2', 'https://proxy.example.com/bedrock/{region}'), 'https://proxy.example.com/bedrock/us-east-2');
  });
  it('allows plain http only to loopback', () => {
    for (const ok of ['http://127.0.0.1:9', 'http://127.8.0.1/x', 'http://localhost:3000', 'http://[::1]:8080/v1']) assert.doesNotThrow(() => endpointFor('us-east-2', ok), ok);
    for (const bad of ['http://example.com/openai/v1', 'http://10.0.0.1/', 'http://127.0.0.1.example.com/', 'ftp://127.0.0.1/', 'not a url', 'https://user:pw@example.com/']) {
      assert.throws(() => endpointFor('us-east-2', bad), EndpointError, bad);
    }
    assert.throws(() => endpointFor('us-east-2', 'http://example.com'), /plain http.*Use https:\/\//);
  });
  it('refuses a region that is not a region name', () => {
    assert.throws(() => endpointFor('us-east-2.evil.com/x'), EndpointError);
    assert.throws(() => endpointFor('../', 'http://127.0.0.1:1/{region}'), EndpointError);
  });
  it('takes AWS_BEDROCK_BASE_URL only from the env it is given', () => {
    const env = { AWS_BEDROCK_BASE_URL: 'http://127.0.0.1:1/{region}/openai/v1' };
    assert.equal(createClient({ region: 'us-west-2', env, tokenProvider: async () => 'x' }).baseURL, 'http://127.0.0.1:1/us-west-2/openai/v1');
    assert.equal(createClient({ region: 'us-west-2', tokenProvider: async () => 'x' }).baseURL, 'https://bedrock-mantle.us-west-2.api.aws/openai/v1');
    assert.throws(() => createClient({ region: 'us-east-2', env: { AWS_BEDROCK_BASE_URL: 'http://example.com' }, tokenProvider: async () => 'x' }), EndpointError);
  });
});

describe('buildInput', () => {
  it('puts instructions first, then earlier turns, then the question', () => {
    const input = buildInput({ ...seed, history: [{ role: 'user', content: 'Q1' }, { role: 'assistant', content: 'A1' }] });
    assert.deepEqual(input, [
      { role: 'developer', content: 'You are a helpful assistant. Be concise.' },
      { role: 'user', content: 'Q1' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'What is Amazon Bedrock in one sentence?' },
    ]);
    assert.deepEqual(buildInput({ model: 'm', prompt: 'Hi' }), [{ role: 'user', content: 'Hi' }]);
  });
  it('adds the code in a fenced block named by file and lines', () => {
    const text = userMessage('Explain this code', { code: 'const a = 1;', languageId: 'typescript', fileName: 'src/app.ts', startLine: 10, endLine: 24 });
    assert.equal(text, 'Explain this code\n\nFrom src/app.ts, lines 10–24:\n```typescript\nconst a = 1;\n```');
    assert.equal(userMessage('Why?', { code: 'x\n', startLine: 3 }), 'Why?\n\nLine 3:\n```\nx\n```');
  });
  it('uses a fence longer than any backtick run in the code', () => {
    const text = userMessage('Review', { code: 'Use ```js fences``` and ````quad````', languageId: 'markdown' });
    assert.ok(text.includes('\n`````markdown\n') && text.endsWith('\n`````'), text);
  });
  it('copes with code holding very many backtick runs (a spread of 200k lengths overflowed the stack)', () => {
    const code = '`x'.repeat(200_000);
    assert.equal(userMessage('Review', { code }), `Review\n\n\`\`\`\n${code}\n\`\`\``);
  });
});

describe('ask against the stand-in', () => {
  before(async () => {
    standin = await startStandin();
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  it('seed: GPT-5.5 in us-east-2, effort medium, developer prompt, not streamed', async () => {
    const events = await collect(ask(clientFor('us-east-2'), { ...seed, stream: false }));
    assert.deepEqual(events.slice(0, -1), [{ type: 'text', delta: SEED_ANSWER }]);
    const done = completedOf(events);
    assert.match(done.responseId, /^resp_/);
    assert.equal(done.model, 'openai.gpt-5.5');
    assert.equal(done.text, SEED_ANSWER);
    assert.equal(done.usage.inputTokens, 28);
    assert.equal(done.usage.totalTokens, done.usage.inputTokens + done.usage.outputTokens);
    const [request] = standin.requests;
    assert.deepEqual([request.region, request.model, request.effort, request.stream], ['us-east-2', 'openai.gpt-5.5', 'medium', false]);
    assert.deepEqual(request.input.map((m) => m.role), ['developer', 'user']);
  });

  it('seed: the same question streamed', async () => {
    const events = await collect(ask(clientFor('us-east-2'), seed));
    assert.ok(events.filter((e) => e.type === 'text').length > 5, 'several deltas');
    assert.equal(textOf(events), SEED_ANSWER);
    assert.equal(completedOf(events).text, SEED_ANSWER);
    assert.equal(completedOf(events).usage.inputTokens, 28);
    assert.equal(standin.requests[0].stream, true);
  });

  it('seed: GPT-5.4 at effort high reports reasoning tokens; low reports none', async () => {
    const high = completedOf(await collect(ask(clientFor('us-east-2'), { model: 'openai.gpt-5.4', effort: 'high', prompt: 'Explain why the sky is blue in one sentence.' })));
    assert.ok(high.usage.reasoningTokens > 0);
    assert.ok(high.usage.outputTokens > high.usage.reasoningTokens);
    const low = completedOf(await collect(ask(clientFor('us-east-2'), { model: 'openai.gpt-5.5', effort: 'low', prompt: 'What is the capital of Japan?' })));
    assert.equal(low.usage.reasoningTokens, 0);
  });

  it('seed: GPT-5.4 answers from us-west-2', async () => {
    const done = completedOf(await collect(ask(clientFor('us-west-2'), { model: 'openai.gpt-5.4', effort: 'high', prompt: 'Hello from Oregon!' })));
    assert.equal(done.text, 'openai.gpt-5.4 in us-west-2 answers question 1: "Hello from Oregon!"');
    assert.equal(standin.requests[0].region, 'us-west-2');
  });

  it('seed: GPT-5.5 from us-west-2 is the SDK NotFoundError, status 404', async () => {
    for (const stream of [true, false]) {
      await assert.rejects(collect(ask(clientFor('us-west-2'), { model: 'openai.gpt-5.5', effort: 'medium', prompt: 'Hello', stream })), (err: unknown) => {
        assert.ok(err instanceof NotFoundError);
        assert.equal(err.status, 404);
        assert.equal(err.code, 'not_found_error');
        assert.match(err.message, /The model 'openai.gpt-5.5' does not exist/);
        return true;
      });
    }
  });

  it('seed: a Japanese developer prompt gets a Japanese answer', async () => {
    const done = completedOf(await collect(ask(clientFor('us-east-2'), { model: 'openai.gpt-5.5', effort: 'medium', instructions: '日本語で簡潔に回答してください。', prompt: 'Amazon Bedrock とは何ですか?' })));
    assert.equal(done.text, 'openai.gpt-5.5（us-east-2）が 1 回目の質問に回答します:「Amazon Bedrock とは何ですか?」');
  });

  it('seed: curl-style fetch with the bearer token works', async () => {
    const token = await buildBearerToken(STATIC_TEST_KEY, 'us-east-2');
    const res = await fetch(`${standin.url}/us-east-2/openai/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ model: 'openai.gpt-5.5', input: [{ role: 'user', content: 'What is the capital of Japan?' }], reasoning: { effort: 'low' } }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { usage: { output_tokens_details: { reasoning_tokens: number } } }).usage.output_tokens_details.reasoning_tokens, 0);
  });

  it("the SDK's own responses.stream() accepts the stand-in's event order", async () => {
    const stream = clientFor('us-east-2').responses.stream({ model: 'openai.gpt-5.5', input: buildInput(seed), reasoning: { effort: 'medium' } });
    const final = await stream.finalResponse();
    assert.equal(final.output_text, SEED_ANSWER);
    assert.equal(final.usage?.input_tokens, 28);
  });

  it('streams reasoning summary deltas when a summary is asked for', async () => {
    const events = await collect(ask(clientFor('us-east-2'), { model: 'openai.gpt-5.4', effort: 'high', reasoningSummary: 'auto', prompt: 'Why?' }));
    const summary = events.flatMap((e) => (e.type === 'reasoning' ? [e.delta] : [])).join('');
    assert.equal(summary, 'Planning a short answer to "Why?".');
    assert.equal(standin.requests[0].reasoningSummary, 'auto');
  });

  it('a follow-up sends the earlier turns', async () => {
    const client = clientFor('us-east-2');
    const first = completedOf(await collect(ask(client, seed)));
    const history = [{ role: 'user' as const, content: userMessage(seed.prompt) }, { role: 'assistant' as const, content: first.text }];
    const second = completedOf(await collect(ask(client, { ...seed, prompt: 'Say it shorter.', history })));
    assert.equal(second.text, 'openai.gpt-5.5 in us-east-2 answers question 2: "Say it shorter."');
    assert.deepEqual(standin.requests[1].input, [
      { role: 'developer', content: seed.instructions },
      { role: 'user', content: seed.prompt },
      { role: 'assistant', content: first.text },
      { role: 'user', content: 'Say it shorter.' },
    ]);
  });

  it('sends prompt_cache_key and reads the cached tokens of a long repeated prefix', async () => {
    const client = clientFor('us-east-2');
    const long = { ...seed, code: { code: 'const total = items.reduce((a, b) => a + b.price, 0);\n'.repeat(120), languageId: 'typescript', fileName: 'src/cart.ts' }, promptCacheKey: 'bedrock-gpt-test' };
    const first = completedOf(await collect(ask(client, long)));
    assert.equal(standin.requests[0].promptCacheKey, 'bedrock-gpt-test');
    assert.equal(first.usage.cachedInputTokens, 0);
    const history = [{ role: 'user' as const, content: userMessage(long.prompt, long.code) }, { role: 'assistant' as const, content: first.text }];
    const second = completedOf(await collect(ask(client, { ...long, code: undefined, prompt: 'Say it shorter.', history })));
    assert.ok(first.usage.inputTokens >= 1024);
    assert.ok(second.usage.cachedInputTokens >= 1024 && first.usage.inputTokens - second.usage.cachedInputTokens < 128, `cached ${second.usage.cachedInputTokens} of ${first.usage.inputTokens}`);
  });

  it('429 with retry-after is retried by the SDK with a fresh token call, then succeeds', async () => {
    standin.faults.push({ kind: 'status', status: 429, retryAfter: 0 });
    const client = clientFor('us-east-2', { maxRetries: 2 });
    const done = completedOf(await collect(ask(client, seed)));
    assert.equal(done.text, SEED_ANSWER);
    assert.deepEqual(standin.requests.map((r) => r.status), [429, 200]);
    assert.equal(client.calls.tokens, 2);
  });

  it('429 asking for a longer wait than 30 s is the answer at once, not an hour of waiting (the SDK alone would sleep it out)', async () => {
    standin.faults.push({ kind: 'status', status: 429, retryAfter: 3600 });
    const client = clientFor('us-east-2', { maxRetries: 2 });
    await assert.rejects(collect(ask(client, seed)), (err: unknown) => {
      assert.ok(err instanceof RateLimitError, String(err));
      const e = explainError(err, { model: seed.model, region: 'us-east-2' });
      assert.equal(e.params.seconds, 3600);
      assert.match(renderError(e, CLI_WORDS), /asks to wait 3600 seconds, longer than is waited out automatically\. Try again after that\.$/);
      return true;
    });
    assert.equal(standin.requests.length, 1, 'not retried');
  });

  it('429 beyond maxRetries surfaces as RateLimitError, status 429', async () => {
    standin.faults.push({ kind: 'status', status: 429, retryAfter: 0, times: 3 });
    await assert.rejects(collect(ask(clientFor('us-east-2', { maxRetries: 2 }), seed)), (err: unknown) => err instanceof RateLimitError && err.status === 429);
    assert.equal(standin.requests.length, 3);
  });

  it('a token the stand-in cannot read is 401; a wrong secret is 403; neither message holds the token', async () => {
    const wrong = await buildBearerToken({ ...STATIC_TEST_KEY, secretAccessKey: 'wrong-secret' }, 'us-east-2');
    for (const [token, type] of [['not-a-bedrock-token', AuthenticationError], [wrong, PermissionDeniedError]] as const) {
      await assert.rejects(collect(ask(clientFor('us-east-2', { token: async () => token }), seed)), (err: unknown) => {
        assert.ok(err instanceof type, String(err));
        assert.ok(!String((err as Error).message).includes(token));
        return true;
      });
    }
  });

  describe('bounded waits', () => {
    it('no first byte within the bound: a first-byte-timeout StreamError, and the request is ended', async () => {
      standin.faults.push({ kind: 'slowFirstByte', delayMs: NEVER });
      await assert.rejects(collect(ask(clientFor('us-east-2'), { ...seed, firstByteTimeoutMs: 300 })), (err: unknown) => {
        assert.ok(err instanceof StreamError && err.kind === 'first-byte-timeout', String(err));
        return true;
      });
      await waitFor('the stand-in to see the request aborted', () => standin.requests[0]?.aborted === true);
    });

    it('a stream that goes silent: the text so far arrived, then a stalled StreamError, and the request is ended', async () => {
      standin.faults.push({ kind: 'slowStream', delayMs: NEVER });
      const seen: AskEvent[] = [];
      await assert.rejects(collect(ask(clientFor('us-east-2'), { ...seed, idleTimeoutMs: 300 }), seen), (err: unknown) => err instanceof StreamError && err.kind === 'stalled');
      assert.ok(textOf(seen).length > 0, 'the first delta arrived before the silence');
      await waitFor('the stand-in to see the request aborted', () => standin.requests[0]?.aborted === true);
    });

    it('a stream that keeps talking is not stopped by the silence bound', async () => {
      standin.faults.push({ kind: 'slowStream', delayMs: 20 });
      const done = completedOf(await collect(ask(clientFor('us-east-2'), { ...seed, firstByteTimeoutMs: 10_000, idleTimeoutMs: 5_000 })));
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
      const done = completedOf(await collect(ask(clientFor('us-east-2', { renewToken: r.renewToken }), seed)));
      assert.equal(done.text, SEED_ANSWER);
      assert.deepEqual(standin.requests.map((q) => q.status), [401, 200]);
      assert.equal(r.rejected.length, 1);
      assert.ok(r.rejected[0].startsWith('bedrock-api-key-'));
    });

    it('403 for an expired token: renewed, then answered', async () => {
      const expired = await buildBearerToken(STATIC_TEST_KEY, 'us-east-2', 60, new Date(Date.now() - 3_600_000));
      const r = renewal();
      const done = completedOf(await collect(ask(clientFor('us-east-2', { token: async () => expired, renewToken: r.renewToken }), seed)));
      assert.equal(done.text, SEED_ANSWER);
      assert.deepEqual(standin.requests.map((q) => q.status), [403, 200]);
      assert.deepEqual(r.rejected, [expired]);
    });

    it('a 403 that is about permissions is not renewed', async () => {
      standin.faults.push({ kind: 'status', status: 403, message: 'User is not authorized to perform bedrock:CallWithBearerToken.' });
      const r = renewal();
      await assert.rejects(collect(ask(clientFor('us-east-2', { renewToken: r.renewToken }), seed)), PermissionDeniedError);
      assert.equal(r.rejected.length, 0);
      assert.equal(standin.requests.length, 1);
    });

    it('only once: a second 401 is the answer', async () => {
      standin.faults.push({ kind: 'status', status: 401, times: 2 });
      const r = renewal();
      await assert.rejects(collect(ask(clientFor('us-east-2', { renewToken: r.renewToken }), seed)), AuthenticationError);
      assert.equal(r.rejected.length, 1);
      assert.equal(standin.requests.length, 2);
    });

    it('a renewal that fails leaves the rejection as the answer', async () => {
      standin.faults.push({ kind: 'status', status: 401 });
      const renewToken = async () => Promise.reject(new CredentialsError('sso-expired', 'Run aws sso login.'));
      await assert.rejects(collect(ask(clientFor('us-east-2', { renewToken }), seed)), AuthenticationError);
      assert.equal(standin.requests.length, 1);
    });
  });

  it('an error from the token provider comes back as itself', async () => {
    const failing = clientFor('us-east-2', { token: async () => Promise.reject(new CredentialsError('sso-expired', 'Run aws sso login --profile dev.')) });
    await assert.rejects(collect(ask(failing, seed)), (err: unknown) => err instanceof CredentialsError && err.code === 'sso-expired');
  });

  // The stand-in holds the next byte back for longer than the test may run (NEVER), so these cancels can only finish
  // by not waiting for the stream; the test timeout stops a regression from hanging. Latency: bench/cancel.bench.ts.
  it('abort mid-stream throws AskCancelledError at once, and the stand-in sees the abort', { timeout: HANG_GUARD_MS }, async () => {
    standin.faults.push({ kind: 'slowStream', delayMs: NEVER });
    const controller = new AbortController();
    const seen: AskEvent[] = [];
    const run = (async () => {
      for await (const e of ask(clientFor('us-east-2'), { ...seed, prompt: 'Long answer [[words:200]]', signal: controller.signal })) {
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
    const run = collect(ask(clientFor('us-east-2'), { ...seed, signal: controller.signal }));
    await waitFor('the request to reach the stand-in', () => standin.requests.length > 0); // the request is out and its first byte held back
    controller.abort();
    await assert.rejects(run, AskCancelledError);
    await waitFor('the stand-in to see the abort', () => standin.requests[0]?.aborted === true);
  });

  it('a stream cut mid-way is StreamError cut, after the text so far', async () => {
    for (const mode of ['destroy', 'end'] as const) {
      standin.faults.push({ kind: 'cut', afterDeltas: 3, mode });
      const seen: AskEvent[] = [];
      await assert.rejects(collect(ask(clientFor('us-east-2'), seed), seen), (err: unknown) => err instanceof StreamError && err.kind === 'cut');
      assert.equal(seen.length, 3, mode);
    }
  });

  it('malformed SSE data is StreamError malformed', async () => {
    standin.faults.push({ kind: 'malformed', afterDeltas: 2 });
    await assert.rejects(collect(ask(clientFor('us-east-2'), seed)), (err: unknown) => err instanceof StreamError && err.kind === 'malformed');
    standin.faults.push({ kind: 'malformed' });
    await assert.rejects(collect(ask(clientFor('us-east-2'), { ...seed, stream: false })), (err: unknown) => err instanceof StreamError && err.kind === 'malformed');
  });

  it('response.failed and error events are StreamError failed with the code', async () => {
    standin.faults.push({ kind: 'failed', code: 'server_error' }, { kind: 'errorEvent', code: 'rate_limit_exceeded', afterDeltas: 0 });
    await assert.rejects(collect(ask(clientFor('us-east-2'), seed)), (err: unknown) => err instanceof StreamError && err.kind === 'failed' && err.code === 'server_error');
    await assert.rejects(collect(ask(clientFor('us-east-2'), seed)), (err: unknown) => err instanceof StreamError && err.kind === 'failed' && err.code === 'rate_limit_exceeded');
  });

  it('max_output_tokens reached is StreamError incomplete, with the text delivered', async () => {
    for (const stream of [true, false]) {
      const seen: AskEvent[] = [];
      await assert.rejects(collect(ask(clientFor('us-east-2'), { ...seed, effort: 'low', prompt: 'Go on [[words:300]]', maxOutputTokens: 40, stream }), seen), (err: unknown) => err instanceof StreamError && err.kind === 'incomplete' && err.code === 'max_output_tokens');
      assert.equal(textOf(seen).length, 160);
    }
  });

  it('an unsupported effort is the SDK BadRequestError, status 400', async () => {
    await assert.rejects(collect(ask(clientFor('us-east-2'), { ...seed, effort: 'minimal' })), (err: unknown) => (err as { status?: number }).status === 400 && /reasoning.effort/.test((err as Error).message));
  });

  it('a region the service does not know fails to connect (APIConnectionError)', async () => {
    await assert.rejects(collect(ask(clientFor('eu-central-1'), seed)), APIConnectionError);
  });
});
