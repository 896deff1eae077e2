/**
 * createClient + ask against the Bedrock stand-in over real HTTP, with real SigV4 bearer tokens: every flow of
 * the seed article, the stream's failure modes, cancel, follow-ups, and where a request may be sent.
 * Run: node --import tsx --test test/unit/ask.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AuthenticationError, NotFoundError, PermissionDeniedError, RateLimitError } from 'openai';
import { ask, buildInput, userMessage } from '../../src/core/ask';
import { createClient } from '../../src/core/client';
import { endpointFor } from '../../src/core/endpoint';
import { CLI_WORDS, explainError, renderError } from '../../src/core/errors';
import { EndpointError } from '../../src/core/failures';
import { buildBearerToken } from '../../src/core/token';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';
import { SEED_ANSWER, clientFor, collect, completedOf, seed, textOf } from './askSupport';

let standin: Standin;

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
    const events = await collect(ask(clientFor(standin, 'us-east-2'), { ...seed, stream: false }));
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
    const events = await collect(ask(clientFor(standin, 'us-east-2'), seed));
    assert.ok(events.filter((e) => e.type === 'text').length > 5, 'several deltas');
    assert.equal(textOf(events), SEED_ANSWER);
    assert.equal(completedOf(events).text, SEED_ANSWER);
    assert.equal(completedOf(events).usage.inputTokens, 28);
    assert.equal(standin.requests[0].stream, true);
  });

  it('seed: GPT-5.4 at effort high reports reasoning tokens; low reports none', async () => {
    const high = completedOf(await collect(ask(clientFor(standin, 'us-east-2'), { model: 'openai.gpt-5.4', effort: 'high', prompt: 'Explain why the sky is blue in one sentence.' })));
    assert.ok(high.usage.reasoningTokens > 0);
    assert.ok(high.usage.outputTokens > high.usage.reasoningTokens);
    const low = completedOf(await collect(ask(clientFor(standin, 'us-east-2'), { model: 'openai.gpt-5.5', effort: 'low', prompt: 'What is the capital of Japan?' })));
    assert.equal(low.usage.reasoningTokens, 0);
  });

  it('seed: GPT-5.4 answers from us-west-2', async () => {
    const done = completedOf(await collect(ask(clientFor(standin, 'us-west-2'), { model: 'openai.gpt-5.4', effort: 'high', prompt: 'Hello from Oregon!' })));
    assert.equal(done.text, 'openai.gpt-5.4 in us-west-2 answers question 1: "Hello from Oregon!"');
    assert.equal(standin.requests[0].region, 'us-west-2');
  });

  it('seed: GPT-5.5 from us-west-2 is the SDK NotFoundError, status 404', async () => {
    for (const stream of [true, false]) {
      await assert.rejects(collect(ask(clientFor(standin, 'us-west-2'), { model: 'openai.gpt-5.5', effort: 'medium', prompt: 'Hello', stream })), (err: unknown) => {
        assert.ok(err instanceof NotFoundError);
        assert.equal(err.status, 404);
        assert.equal(err.code, 'not_found_error');
        assert.match(err.message, /The model 'openai.gpt-5.5' does not exist/);
        return true;
      });
    }
  });

  it('seed: a Japanese developer prompt gets a Japanese answer', async () => {
    const done = completedOf(await collect(ask(clientFor(standin, 'us-east-2'), { model: 'openai.gpt-5.5', effort: 'medium', instructions: '日本語で簡潔に回答してください。', prompt: 'Amazon Bedrock とは何ですか?' })));
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
    const stream = clientFor(standin, 'us-east-2').responses.stream({ model: 'openai.gpt-5.5', input: buildInput(seed), reasoning: { effort: 'medium' } });
    const final = await stream.finalResponse();
    assert.equal(final.output_text, SEED_ANSWER);
    assert.equal(final.usage?.input_tokens, 28);
  });

  it('streams reasoning summary deltas when a summary is asked for', async () => {
    const events = await collect(ask(clientFor(standin, 'us-east-2'), { model: 'openai.gpt-5.4', effort: 'high', reasoningSummary: 'auto', prompt: 'Why?' }));
    const summary = events.flatMap((e) => (e.type === 'reasoning' ? [e.delta] : [])).join('');
    assert.equal(summary, 'Planning a short answer to "Why?".');
    assert.equal(standin.requests[0].reasoningSummary, 'auto');
  });

  it('a follow-up sends the earlier turns', async () => {
    const client = clientFor(standin, 'us-east-2');
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
    const client = clientFor(standin, 'us-east-2');
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
    const client = clientFor(standin, 'us-east-2', { maxRetries: 2 });
    const done = completedOf(await collect(ask(client, seed)));
    assert.equal(done.text, SEED_ANSWER);
    assert.deepEqual(standin.requests.map((r) => r.status), [429, 200]);
    assert.equal(client.calls.tokens, 2);
  });

  it('429 asking for a longer wait than 30 s is the answer at once, not an hour of waiting (the SDK alone would sleep it out)', async () => {
    standin.faults.push({ kind: 'status', status: 429, retryAfter: 3600 });
    const client = clientFor(standin, 'us-east-2', { maxRetries: 2 });
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
    await assert.rejects(collect(ask(clientFor(standin, 'us-east-2', { maxRetries: 2 }), seed)), (err: unknown) => err instanceof RateLimitError && err.status === 429);
    assert.equal(standin.requests.length, 3);
  });

  it('a token the stand-in cannot read is 401; a wrong secret is 403; neither message holds the token', async () => {
    const wrong = await buildBearerToken({ ...STATIC_TEST_KEY, secretAccessKey: 'wrong-secret' }, 'us-east-2');
    for (const [token, type] of [['not-a-bedrock-token', AuthenticationError], [wrong, PermissionDeniedError]] as const) {
      await assert.rejects(collect(ask(clientFor(standin, 'us-east-2', { token: async () => token }), seed)), (err: unknown) => {
        assert.ok(err instanceof type, String(err));
        assert.ok(!String((err as Error).message).includes(token));
        return true;
      });
    }
  });
});
