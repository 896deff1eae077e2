/**
 * The Bedrock stand-in on its own, driven with plain fetch the way the seed's curl example drives bedrock-mantle.
 * Run: node --import tsx --test test/unit/standin.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildBearerToken } from '../../src/core/token';
import { SESSION_TEST_KEY, STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type RecordedRequest, type Standin } from '../standin/server';
import { waitFor } from '../support/waitFor';

let standin: Standin;

/** Response bodies are checked field by field below; `any` keeps those checks short. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();
const tokens: Record<string, string> = {};

async function post(body: unknown, o: { region?: string; token?: string; signal?: AbortSignal } = {}) {
  const region = o.region ?? 'us-east-2';
  return fetch(`${standin.url}/${region}/openai/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${o.token ?? tokens[region]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: o.signal,
  });
}

/** Parses an SSE body into its events, checking that `event:` and the data's `type` agree. */
function sseEvents(text: string): Array<Record<string, unknown> & { type: string }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      assert.equal(data.type, event);
      return data;
    });
}

const seedQuestion = [
  { role: 'developer', content: 'You are a helpful assistant. Be concise.' },
  { role: 'user', content: 'What is Amazon Bedrock in one sentence?' },
];

describe('Bedrock stand-in', () => {
  before(async () => {
    standin = await startStandin();
    tokens['us-east-2'] = await buildBearerToken(STATIC_TEST_KEY, 'us-east-2');
    tokens['us-west-2'] = await buildBearerToken(STATIC_TEST_KEY, 'us-west-2');
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  it('answers the seed curl call with a full Response JSON', async () => {
    const res = await post({ model: 'openai.gpt-5.5', input: seedQuestion, reasoning: { effort: 'medium' } });
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.match(body.id, /^resp_/);
    assert.equal(body.object, 'response');
    assert.equal(body.status, 'completed');
    assert.deepEqual(body.output.map((o: { type: string }) => o.type), ['reasoning', 'message']);
    assert.equal(body.output[1].content[0].text, 'openai.gpt-5.5 in us-east-2 answers question 1: "What is Amazon Bedrock in one sentence?"');
    assert.equal(body.usage.input_tokens, 28); // as in the seed article
    assert.ok(body.usage.output_tokens_details.reasoning_tokens > 0);
    assert.equal(body.usage.input_tokens_details.cached_tokens, 0);
    assert.equal(body.usage.total_tokens, body.usage.input_tokens + body.usage.output_tokens);
    assert.deepEqual(body.reasoning, { effort: 'medium', summary: null, context: 'current_turn' });
  });

  it('gives no reasoning at effort low (the seed saw reasoning_tokens 0)', async () => {
    const body = await json(await post({ model: 'openai.gpt-5.5', input: [{ role: 'user', content: 'What is the capital of Japan?' }], reasoning: { effort: 'low' } }));
    assert.equal(body.usage.output_tokens_details.reasoning_tokens, 0);
    assert.deepEqual(body.output.map((o: { type: string }) => o.type), ['message']);
  });

  it('serves models per region; /openai/v1 without a region is us-east-2', async () => {
    const list = async (path: string, region: string) => {
      const res = await fetch(`${standin.url}${path}`, { headers: { authorization: `Bearer ${tokens[region]}` } });
      assert.equal(res.status, 200);
      return (await json(res)).data.map((m: { id: string }) => m.id);
    };
    assert.deepEqual(await list('/openai/v1/models', 'us-east-2'), ['openai.gpt-5.5', 'openai.gpt-5.4']);
    assert.deepEqual(await list('/us-west-2/openai/v1/models', 'us-west-2'), ['openai.gpt-5.4']);
  });

  it('answers GPT-5.5 in us-west-2 with the real 404 body', async () => {
    const res = await post({ model: 'openai.gpt-5.5', input: 'Hello', reasoning: { effort: 'medium' } }, { region: 'us-west-2' });
    assert.equal(res.status, 404);
    assert.deepEqual(await json(res), {
      error: { code: 'not_found_error', message: "The model 'openai.gpt-5.5' does not exist", type: 'invalid_request_error', param: 'model' },
    });
  });

  it('verifies tokens: missing → 401, other region → 403, wrong secret → 403, session key → 200', async () => {
    const input = 'Hello';
    const missing = await fetch(`${standin.url}/us-east-2/openai/v1/responses`, { method: 'POST', body: '{}' });
    assert.equal(missing.status, 401);
    assert.equal((await json(missing)).error.type, 'authentication_error');
    assert.equal((await post({ model: 'openai.gpt-5.4', input }, { region: 'us-west-2', token: tokens['us-east-2'] })).status, 403);
    const wrongSecret = await buildBearerToken({ ...STATIC_TEST_KEY, secretAccessKey: 'not-the-secret' }, 'us-east-2');
    const denied = await post({ model: 'openai.gpt-5.4', input }, { token: wrongSecret });
    assert.equal(denied.status, 403);
    assert.equal((await json(denied)).error.code, 'signature-mismatch');
    const session = await buildBearerToken(SESSION_TEST_KEY, 'us-east-2');
    assert.equal((await post({ model: 'openai.gpt-5.4', input }, { token: session })).status, 200);
  });

  it('refuses an effort the model does not take (stand-in assumption: minimal)', async () => {
    const res = await post({ model: 'openai.gpt-5.5', input: 'Hi', reasoning: { effort: 'minimal' } });
    assert.equal(res.status, 400);
    const { error } = await json(res);
    assert.equal(error.param, 'reasoning.effort');
    assert.match(error.message, /does not support 'minimal'.*'none', 'low', 'medium', 'high', 'xhigh'/);
  });

  it('streams the events in the real order with increasing sequence numbers', async () => {
    const res = await post({ model: 'openai.gpt-5.4', input: 'Why is the sky blue?', reasoning: { effort: 'high', summary: 'auto' }, stream: true });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = sseEvents(await res.text());
    const order = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
    assert.deepEqual(order, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
    const text = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
    const completed = events.at(-1)?.response as { usage: { output_tokens_details: { reasoning_tokens: number } }; output: Array<{ content?: Array<{ text: string }> }> };
    assert.equal(completed.output[1].content?.[0].text, text);
    assert.ok(completed.usage.output_tokens_details.reasoning_tokens > 0);
  });

  it('sends no summary events unless a summary is asked for', async () => {
    const events = sseEvents(await (await post({ model: 'openai.gpt-5.4', input: 'Hi', reasoning: { effort: 'high' }, stream: true })).text());
    assert.ok(!events.some((e) => e.type.startsWith('response.reasoning_summary')));
  });

  it('answers in Japanese to a Japanese developer prompt, and long on [[words:N]]', async () => {
    const ja = await json(await post({ model: 'openai.gpt-5.5', input: [{ role: 'developer', content: '日本語で簡潔に回答してください。' }, { role: 'user', content: 'Amazon Bedrock とは何ですか?' }] }));
    assert.match(ja.output.at(-1).content[0].text, /^openai\.gpt-5\.5（us-east-2）が 1 回目の質問に回答します:「Amazon Bedrock とは何ですか\?」$/);
    const long = await json(await post({ model: 'openai.gpt-5.4', input: 'Tell me a lot [[words:500]]', reasoning: { effort: 'none' } }));
    const [, filler] = long.output[0].content[0].text.split('\n\n', 2);
    assert.equal(long.output[0].content[0].text.split('\n\n').slice(1).join(' ').split(' ').length, 500);
    assert.ok(filler.startsWith('bedrock stream token'));
  });

  it('answers [[reply]]…[[/reply]] verbatim, e.g. a code block for Insert/Apply tests', async () => {
    const reply = 'Use this:\n\n```ts\nconst b = 2;\n```\n';
    const body = await json(await post({ model: 'openai.gpt-5.4', input: `Fix it [[reply]]${reply}[[/reply]]`, reasoning: { effort: 'none' } }));
    assert.equal(body.output[0].content[0].text, reply);
  });

  it('injects a 400 unsupported-effort for an effort it would otherwise take', async () => {
    standin.faults.push({ kind: 'unsupportedEffort' });
    const res = await post({ model: 'openai.gpt-5.5', input: 'Hi', reasoning: { effort: 'xhigh' } });
    assert.equal(res.status, 400);
    assert.match((await json(res)).error.message, /does not support 'xhigh'/);
  });

  it('refuses an input larger than the model\'s context window with 400 context_length_exceeded, as OpenAI does', async () => {
    const input = [{ role: 'user', content: 'x'.repeat(272_001 * 4) }];
    const res = await post({ model: 'openai.gpt-5.5', input, stream: true });
    assert.equal(res.status, 400);
    const { error } = await json(res);
    assert.equal(error.code, 'context_length_exceeded');
    assert.equal(error.param, 'input');
    assert.match(error.message, /exceeds the context window/);
    const fits = await post({ model: 'openai.gpt-5.5', input: [{ role: 'user', content: 'x'.repeat(200_000 * 4) }] });
    assert.equal(fits.status, 200, 'an input inside the window is answered');
  });

  describe('prompt caching, as OpenAI documents it (from 1,024 tokens, hits in 128-token increments)', () => {
    /** A developer message of about `tokens` tokens (4 characters each). */
    const longQuestion = (tokens: number) => [{ role: 'developer', content: 'x'.repeat(tokens * 4) }, { role: 'user', content: 'What is Amazon Bedrock?' }];
    const followUpOf = (input: unknown[], first: { output: Array<{ content: Array<{ text: string }> }> }) =>
      [...input, { role: 'assistant', content: first.output.at(-1)!.content[0].text }, { role: 'user', content: 'And in Japanese?' }];

    it('reports the repeated prefix as cached, rounded down to 1,024 + a multiple of 128', async () => {
      const input = longQuestion(1500);
      const first = await json(await post({ model: 'openai.gpt-5.5', input }));
      assert.equal(first.usage.input_tokens_details.cached_tokens, 0, 'nothing is cached the first time');
      const second = await json(await post({ model: 'openai.gpt-5.5', input: followUpOf(input, first) }));
      const cached = second.usage.input_tokens_details.cached_tokens;
      const expected = 1024 + Math.floor((first.usage.input_tokens - 1024) / 128) * 128;
      assert.equal(cached, expected);
      assert.ok(cached <= first.usage.input_tokens && first.usage.input_tokens - cached < 128);
      assert.ok(second.usage.input_tokens > first.usage.input_tokens);
    });

    it('caches nothing for a repeated prefix under 1,024 tokens', async () => {
      const first = await json(await post({ model: 'openai.gpt-5.5', input: seedQuestion }));
      const second = await json(await post({ model: 'openai.gpt-5.5', input: followUpOf(seedQuestion, first) }));
      assert.ok(first.usage.input_tokens < 1024);
      assert.equal(second.usage.input_tokens_details.cached_tokens, 0);
    });

    it('keeps a prompt_cache_key\'s cache to the requests that send it, and echoes the key', async () => {
      const input = longQuestion(2000);
      const first = await json(await post({ model: 'openai.gpt-5.5', input, prompt_cache_key: 'conversation-a' }));
      assert.equal(first.prompt_cache_key, 'conversation-a');
      assert.equal(standin.requests[0].promptCacheKey, 'conversation-a');
      const other = await json(await post({ model: 'openai.gpt-5.5', input: followUpOf(input, first), prompt_cache_key: 'conversation-b' }));
      assert.equal(other.usage.input_tokens_details.cached_tokens, 0, 'another key does not share the cache');
      const same = await json(await post({ model: 'openai.gpt-5.5', input: followUpOf(input, first), prompt_cache_key: 'conversation-a' }));
      assert.ok(same.usage.input_tokens_details.cached_tokens >= 1024);
    });

    it('refuses a prompt_cache_key that is not a string with a 400', async () => {
      const res = await post({ model: 'openai.gpt-5.5', input: 'Hi', prompt_cache_key: 42 });
      assert.equal(res.status, 400);
      assert.equal((await json(res)).error.param, 'prompt_cache_key');
    });
  });

  it('ends at max_output_tokens with status incomplete', async () => {
    const body = await json(await post({ model: 'openai.gpt-5.4', input: 'Hi [[words:200]]', reasoning: { effort: 'low' }, max_output_tokens: 20 }));
    assert.equal(body.status, 'incomplete');
    assert.deepEqual(body.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(body.usage.output_tokens, 20);
  });

  it('drops the connection for a region it does not know, like a host that does not resolve', async () => {
    await assert.rejects(post({ model: 'openai.gpt-5.4', input: 'Hi' }, { region: 'eu-central-1' }), TypeError);
    assert.equal(standin.requests[0].fault, 'unknown-region');
  });

  it('is controlled over HTTP: faults, requests, reset', async () => {
    const queued = await fetch(`${standin.url}/__standin/faults`, { method: 'POST', body: JSON.stringify([{ kind: 'status', status: 429, retryAfter: 7 }]) });
    assert.deepEqual(await json(queued), { queued: 1 });
    const throttled = await post({ model: 'openai.gpt-5.5', input: 'Hi' });
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '7');
    assert.equal((await json(throttled)).error.code, 'rate_limit_exceeded');
    assert.equal((await post({ model: 'openai.gpt-5.5', input: 'Hi' })).status, 200);
    const recorded: RecordedRequest[] = await json(await fetch(`${standin.url}/__standin/requests`));
    assert.deepEqual(recorded.map((r) => [r.status, r.fault]), [[429, 'status'], [200, undefined]]);
    const bad = await fetch(`${standin.url}/__standin/faults`, { method: 'POST', body: JSON.stringify({ kind: 'explode' }) });
    assert.equal(bad.status, 400);
    await fetch(`${standin.url}/__standin/reset`, { method: 'POST' });
    assert.deepEqual(await json(await fetch(`${standin.url}/__standin/requests`)), []);
  });

  it('gives a fault only to the model it names', async () => {
    standin.faults.push({ kind: 'status', status: 500, model: 'openai.gpt-5.4' });
    assert.equal((await post({ model: 'openai.gpt-5.5', input: 'Hi' })).status, 200);
    assert.equal((await post({ model: 'openai.gpt-5.4', input: 'Hi' })).status, 500);
    assert.equal(standin.faults.pending.length, 0);
  });

  it('records what was asked, never the token, and sees a client abort', async () => {
    standin.faults.push({ kind: 'slowStream', delayMs: 30 });
    const controller = new AbortController();
    const res = await post({ model: 'openai.gpt-5.4', input: [{ role: 'user', content: 'Stream slowly [[words:100]]' }], reasoning: { effort: 'low' }, stream: true }, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    await waitFor('the stand-in to end the request', () => standin.requests[0]?.endedAt !== undefined);
    const [request] = standin.requests;
    assert.equal(request.aborted, true);
    assert.equal(request.model, 'openai.gpt-5.4');
    assert.equal(request.effort, 'low');
    assert.equal(request.stream, true);
    assert.deepEqual(request.input, [{ role: 'user', content: 'Stream slowly [[words:100]]' }]);
    const log = JSON.stringify(standin.requests);
    assert.ok(!log.includes(tokens['us-east-2']) && !log.includes('bedrock-api-key-') && !/authorization/i.test(log));
  });
});
