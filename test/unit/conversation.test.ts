/**
 * core's Conversation against the Bedrock stand-in over real HTTP with real bearer tokens: turns, the history
 * rule, persistence in a key-value store, asking again, Stop, the gate, and failures kept with their question.
 * Run: node --import tsx --test test/unit/conversation.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as core from '../../src/core/index';
import { CHAT_STATE_KEY, Conversation, keyValueStorage, type ChatStorage, type ConversationHost, type KeyValueStore, type WordedError } from '../../src/core/conversation';
import { explainError } from '../../src/core/errors';
import { DEFAULTS, type BedrockGptSettings } from '../../src/core/settings';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';
import { waitFor } from '../support/waitFor';

let standin: Standin;
before(async () => (standin = await startStandin({ port: 0 })));
after(() => standin.close());
beforeEach(() => standin.reset());

/** What workspaceState is to the extension: a Map here. */
class MapStore implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return structuredClone(this.values.get(key)) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value));
  }
}

const log = { lines: [] as string[], info(m: string) { this.lines.push(m); }, error(m: string) { this.lines.push(`error: ${m}`); } };

function setup(o: { settings?: Partial<BedrockGptSettings>; store?: MapStore; storage?: ChatStorage; gate?: ConversationHost['gate'] } = {}) {
  let settings: BedrockGptSettings = { ...DEFAULTS, endpoint: standin.endpointTemplate, ...o.settings };
  const store = o.store ?? new MapStore();
  const posted: ExtensionMessage[] = [];
  const host: ConversationHost = {
    settings: () => settings,
    connect: async (region, endpoint) => ({
      core,
      client: core.createClient({ region, endpoint, maxRetries: 0, tokenProvider: () => core.buildBearerToken(STATIC_TEST_KEY, region) }),
    }),
    describeError: (err, s): WordedError => {
      const e = explainError(err, { region: s.region, model: s.model });
      return { code: e.code, message: `[${e.code}]`, actions: e.actions };
    },
    gate: o.gate,
  };
  const conversation = new Conversation(host, o.storage ?? keyValueStorage(store), log);
  conversation.onDidPost((m) => posted.push(m));
  return { conversation, store, posted, set: (s: Partial<BedrockGptSettings>) => (settings = { ...settings, ...s }) };
}

describe('Conversation', () => {
  it('streams an answer into a turn and posts turnStarted, start, deltas, usage, done under one request id', async () => {
    const { conversation, posted } = setup();
    const turn = await conversation.ask({ prompt: 'What is Amazon Bedrock?', requestId: 'q1' });
    assert.equal(turn.status, 'done');
    assert.match(turn.answer, /What is Amazon Bedrock\?/);
    assert.ok(turn.usage && turn.usage.usage.inputTokens > 0 && turn.usage.costKnown);
    const types = posted.map((m) => m.type);
    assert.deepEqual([types[0], types[1], types.at(-1)], ['turnStarted', 'start', 'done']);
    assert.ok(types.includes('delta') && types.includes('usage'));
    assert.ok(posted.every((m) => !('requestId' in m) || m.requestId === 'q1'));
    const text = posted.flatMap((m) => (m.type === 'delta' ? [m.text] : [])).join('');
    assert.equal(text, turn.answer);
  });

  it('sends answered turns as history, never failed ones, and in the same user-message text', async () => {
    const { conversation } = setup();
    await conversation.ask({ prompt: 'First?', code: { text: 'let a = 1;', languageId: 'typescript', fileName: 'a.ts', startLine: 1, endLine: 1 } });
    standin.faults.push({ kind: 'status', status: 500 });
    const failed = await conversation.ask({ prompt: 'Fails' });
    assert.equal(failed.status, 'error');
    assert.equal(failed.error?.message, '[service-error]');
    assert.ok(failed.error?.actions.some((a) => a.kind === 'askAgain'));
    await conversation.ask({ prompt: 'Third?' });
    const last = standin.requests.filter((r) => r.route === 'responses').at(-1)!;
    const contents = last.input.map((m) => `${m.role}:${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`);
    assert.ok(contents.some((c) => c.startsWith('user:First?') && c.includes('From a.ts, line 1:')), contents.join('\n'));
    assert.ok(!contents.some((c) => c.includes('Fails')), 'a failed turn is not history');
    assert.equal(conversation.historyTurns().length, 2);
  });

  it('keeps a byte-identical prefix across turns, sends one prompt_cache_key, and shows what the cache saved', async () => {
    const { conversation } = setup();
    const code = { text: 'export const price = (n: number) => n * 1.2;\n'.repeat(150), languageId: 'typescript', fileName: 'src/cart.ts', startLine: 1, endLine: 150 };
    const first = await conversation.ask({ prompt: 'Explain this.', code });
    const second = await conversation.ask({ prompt: 'Shorter?' });
    const third = await conversation.ask({ prompt: 'And in Japanese?' });
    const sent = standin.requests.filter((r) => r.route === 'responses');
    assert.equal(sent.length, 3);
    const key = sent[0].promptCacheKey;
    assert.match(key ?? '', /^bedrock-gpt-[0-9a-f-]{36}$/);
    assert.ok(sent.every((r) => r.promptCacheKey === key), 'one key for the whole conversation');
    for (let i = 1; i < sent.length; i++) {
      // Each request starts with the whole of the one before it, byte for byte; only the new question follows.
      assert.deepEqual(sent[i].input.slice(0, sent[i - 1].input.length), sent[i - 1].input);
      assert.equal(sent[i].input.length, sent[i - 1].input.length + 2);
    }
    assert.equal(first.usage?.usage.cachedInputTokens, 0);
    assert.equal(first.usage?.savedDollars, 0);
    for (const t of [second, third]) {
      const u = t.usage!;
      assert.ok(u.usage.cachedInputTokens >= 1024, `cached ${u.usage.cachedInputTokens}`);
      assert.ok(Math.abs(u.savedDollars! - (u.usage.cachedInputTokens * (5.5 - 0.55)) / 1e6) < 1e-12);
    }
    await conversation.clear();
    await conversation.ask({ prompt: 'Explain this.', code });
    const fresh = standin.requests.filter((r) => r.route === 'responses').at(-1)!;
    assert.notEqual(fresh.promptCacheKey, key, 'a new chat has its own key');
  });

  it('asks a failed question again in place, in the region set now', async () => {
    const { conversation, set } = setup({ settings: { region: 'us-west-2' } });
    const failed = await conversation.ask({ prompt: 'Which model?', requestId: 'r1' });
    assert.equal(failed.status, 'error', 'GPT-5.5 is not served in us-west-2');
    assert.ok(failed.error?.actions.some((a) => a.kind === 'switchRegion' && a.region === 'us-east-2'));
    set({ region: 'us-east-2' });
    const again = await conversation.askAgain('r1');
    assert.equal(again?.status, 'done');
    assert.equal(again?.region, 'us-east-2');
    assert.equal(conversation.turns.length, 1);
    assert.equal(await conversation.askAgain('unknown'), undefined);
  });

  it('Stop aborts at once and keeps the partial answer as stopped', async () => {
    const { conversation } = setup();
    standin.faults.push({ kind: 'slowStream', delayMs: 200 });
    const asking = conversation.ask({ prompt: 'Tell me a long story [[words:60]]', requestId: 's1' });
    await waitFor('a first delta', () => (conversation.turn('s1')?.answer.length ?? 0) > 0, 10_000);
    await conversation.cancel('s1');
    const turn = await asking;
    assert.equal(turn.status, 'stopped');
    const partial = turn.answer;
    assert.ok(partial.length > 0);
    await waitFor('the stand-in to see the abort', () => standin.requests.some((r) => r.aborted), 5_000);
    assert.equal(conversation.turn('s1')?.answer, partial);
  });

  it('a question over the budget goes to the gate, is shown refused, and is never kept, saved or sent', async () => {
    const seen: string[] = [];
    const { conversation, store, posted, set } = setup({
      gate: async (_turn, verdict) => {
        seen.push(verdict.kind);
        return verdict.kind === 'refuse' ? { code: 'too-large', message: 'Not sent.', actions: [] } : undefined;
      },
    });
    const turn = await conversation.ask({ prompt: `Big question ${' word'.repeat(150_000)}`, requestId: 'big' });
    assert.equal(turn.status, 'error');
    assert.equal(turn.error?.message, 'Not sent.');
    assert.deepEqual(seen, ['refuse'], 'the gate is asked once');
    assert.equal(conversation.turns.length, 0, 'not kept');
    assert.equal(store.values.size, 0, 'nothing saved');
    assert.equal(standin.requests.length, 0, 'nothing was sent');
    assert.deepEqual(posted.map((m) => m.type), ['turnStarted', 'error'], 'the panel shows the question with the refusal');

    // The panel's Retry asks it again, counted again: with more room left for the question (a smaller answer), it goes.
    set({ maxOutputTokens: 1_000 });
    const again = await conversation.askAgain('big');
    assert.equal(again?.status, 'done', again?.error?.message);
    assert.deepEqual(seen, ['refuse', 'confirm'], 'counted again: now large, not too large');
    assert.equal(conversation.turn('big'), again, 'kept now, under the same request id');
    assert.equal(standin.requests.filter((r) => r.route === 'responses').length, 1);
  });

  it('Retry on a refused question: an older one is still held; a double click asks it once', async () => {
    const { conversation, set } = setup({
      gate: async (_turn, verdict) => (verdict.kind === 'refuse' ? { code: 'too-large', message: 'Not sent.', actions: [] } : undefined),
    });
    for (const id of ['big-1', 'big-2']) assert.equal((await conversation.ask({ prompt: `${id} ${' word'.repeat(150_000)}`, requestId: id })).status, 'error');
    set({ maxOutputTokens: 1_000 });
    const [first, second] = await Promise.all([conversation.askAgain('big-1'), conversation.askAgain('big-1')]);
    assert.equal(first?.status, 'done', first?.error?.message);
    assert.equal(second, undefined, 'the second click finds it taken');
    assert.equal((await conversation.askAgain('big-2'))?.status, 'done', 'the later refusal is held too');
    assert.deepEqual(conversation.turns.map((t) => t.requestId), ['big-1', 'big-2'], 'one turn each');
    assert.equal(standin.requests.filter((r) => r.route === 'responses').length, 2);
  });

  it('persists the conversation and restores it; a turn streaming when the window closed comes back stopped', async () => {
    const store = new MapStore();
    const first = setup({ store });
    await first.conversation.ask({ prompt: 'Remember me', origin: { uri: 'file:///a.ts', range: [0, 0, 1, 0] } });
    const saved = store.get<{ version: number; conversation: { turns: Array<{ status: string }> } }>(CHAT_STATE_KEY)!;
    assert.equal(saved.version, 1);
    saved.conversation.turns[0].status = 'streaming';
    await store.update(CHAT_STATE_KEY, saved);
    const second = setup({ store });
    assert.equal(second.conversation.turns.length, 1);
    assert.equal(second.conversation.turns[0].status, 'stopped');
    assert.equal(second.conversation.latestOrigin()?.uri, 'file:///a.ts');
    await second.conversation.clear();
    assert.equal(second.conversation.turns.length, 0);
    assert.equal(second.posted.at(-1)?.type, 'state');
    assert.equal(store.get<{ conversation: { turns: unknown[] } }>(CHAT_STATE_KEY)?.conversation.turns.length, 0);
    first.conversation.dispose();
    second.conversation.dispose();
  });

  it('a follow-up inherits the origin of the latest turn that had one', async () => {
    const { conversation } = setup();
    const a = await conversation.ask({ prompt: 'About a', origin: { uri: 'file:///a.ts', range: [1, 0, 2, 0] } });
    const b = await conversation.ask({ prompt: 'And then?' });
    assert.deepEqual(conversation.origin(b.requestId), conversation.origin(a.requestId));
  });

  it('ignores a stored value of another shape', () => {
    const store = new MapStore();
    store.values.set(CHAT_STATE_KEY, { version: 2, conversation: { turns: 'nope' } });
    assert.equal(setup({ store }).conversation.turns.length, 0);
  });
});
