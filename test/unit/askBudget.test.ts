/**
 * The conversation's context budget, counted once per ask with a counting `countTokens` around the real o200k
 * tokenizer: a selection ask, an `@` ask, a follow-up and a retry each tokenize their new question once; the
 * verdict the gate sees is the count of the request that is sent; a refused question is never kept, saved or sent.
 * Run: node --import tsx --test test/unit/askBudget.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as core from '../../src/core/index';
import type { BudgetVerdict } from '../../src/core/contextBudget';
import { Conversation, keyValueStorage, type AskCore, type ConversationHost, type KeyValueStore } from '../../src/core/conversation';
import { DEFAULTS } from '../../src/core/settings';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';

let standin: Standin;
before(async () => (standin = await startStandin({ port: 0 })));
after(() => standin.close());
beforeEach(() => standin.reset());

function setup(gate?: ConversationHost['gate'], connected?: Promise<void>) {
  const counted: string[] = [];
  const sent: core.AskOptions[] = [];
  const counting: AskCore = {
    ...core,
    countTokens: (text) => (counted.push(text), core.countTokens(text)),
    ask: (client, request) => (sent.push(request), core.ask(client, request)),
  };
  const values = new Map<string, unknown>();
  const store: KeyValueStore = { get: <T>(k: string) => values.get(k) as T | undefined, update: async (k, v) => void values.set(k, structuredClone(v)) };
  const host: ConversationHost = {
    settings: () => ({ ...DEFAULTS, endpoint: standin.endpointTemplate }),
    connect: async (region, endpoint) => (await connected, {
      core: counting,
      client: core.createClient({ region, endpoint, maxRetries: 0, tokenProvider: () => core.buildBearerToken(STATIC_TEST_KEY, region) }),
    }),
    describeError: (err) => ({ code: 'failed', message: String(err), actions: [] }),
    gate,
  };
  const conversation = new Conversation(host, keyValueStorage(store), { info() {}, error() {} });
  const posted: ExtensionMessage[] = [];
  conversation.onDidPost((m) => posted.push(m));
  /** The tokenizer calls since the last look, and how many of them held `marker`. */
  const calls = (marker: string) => {
    const texts = counted.splice(0);
    return { total: texts.length, withMarker: texts.filter((t) => t.includes(marker)).length };
  };
  return { conversation, values, posted, sent, calls };
}

const code = { text: 'export const add = (a: number, b: number) => a - b;', languageId: 'typescript', fileName: 'add.ts', startLine: 1, endLine: 1 };

describe('the context budget, counted once per ask', () => {
  it('a selection ask, an @ ask, a follow-up and a retry each tokenize their question once', async () => {
    const { conversation, calls, sent } = setup();
    const first = await conversation.ask({ prompt: 'Q-one: why does add subtract?', code });
    assert.equal(first.status, 'done', first.error?.message);
    // The developer message and the question (with its code): nothing else, nothing twice.
    assert.deepEqual(calls('Q-one'), { total: 2, withMarker: 1 });

    const second = await conversation.ask({ prompt: 'Q-two: and this file?', context: [{ kind: 'file', path: 'notes.md', text: 'Some notes.' }] });
    assert.equal(second.status, 'done', second.error?.message);
    // Developer, the question with its item, and the first turn (its question and answer) the first time it is history.
    assert.deepEqual(calls('Q-two'), { total: 4, withMarker: 1 });

    const third = await conversation.ask({ prompt: 'Q-three: a follow-up' });
    assert.equal(third.status, 'done', third.error?.message);
    // The first turn is counted already; the second is new history.
    assert.deepEqual(calls('Q-three'), { total: 4, withMarker: 1 });

    await conversation.askAgain(third.requestId);
    assert.equal(third.status, 'done', third.error?.message);
    assert.deepEqual(calls('Q-three'), { total: 2, withMarker: 1 }, 'a retry counts its question once; the history is counted already');
    assert.equal(sent.length, 4, 'four model calls');
  });

  it('a large question is confirmed once, on the count of the request that is sent; declined, Retry asks again once', async () => {
    const verdicts: BudgetVerdict[] = [];
    let answer: 'no' | 'yes' = 'no';
    const { conversation, calls, sent } = setup(async (_turn, verdict) => {
      verdicts.push(verdict);
      return answer === 'yes' ? undefined : { code: 'not-confirmed', message: 'Not sent: not confirmed.', actions: [{ kind: 'askAgain' }] };
    });
    const prompt = `Q-large ${' word'.repeat(25_000)}`;
    const turn = await conversation.ask({ prompt });
    assert.equal(turn.status, 'error');
    assert.equal(turn.error?.message, 'Not sent: not confirmed.');
    assert.equal(conversation.turn(turn.requestId), turn, 'declined, the turn is kept (with Retry)');
    assert.equal(sent.length, 0, 'nothing was sent');
    assert.deepEqual(verdicts.map((v) => v.kind), ['confirm'], 'the dialog once');
    assert.deepEqual(calls('Q-large'), { total: 2, withMarker: 1 });

    answer = 'yes';
    await conversation.askAgain(turn.requestId);
    assert.equal(turn.status, 'done', turn.error?.message);
    assert.deepEqual(verdicts.map((v) => v.kind), ['confirm', 'confirm'], 'the retry asks once more');
    assert.deepEqual(calls('Q-large'), { total: 2, withMarker: 1 });
    assert.equal(sent.length, 1);
    const counted = core.inputTokens(core.buildInput(sent[0]), core.countTokens);
    assert.equal(verdicts[1].estimatedTokens, counted, 'the verdict is the count of the request that went out');
    assert.equal(standin.requests.filter((r) => r.route === 'responses').length, 1);
  });

  it('an @ question over the budget is refused with askRefused (the panel keeps it in its box); nothing kept, saved or sent', async () => {
    const { conversation, calls, posted, values, sent } = setup();
    const turn = await conversation.ask({ prompt: 'Q-huge: read this', requestId: 'huge', context: [{ kind: 'file', path: 'big.txt', text: ' word'.repeat(150_000) }] });
    assert.equal(turn.status, 'error');
    assert.match(turn.error?.message ?? '', /^Not sent: the question is too large for the model: about [\d,]+ tokens \(estimated\), over the limit of 144,000\.$/);
    assert.deepEqual(posted, [{ type: 'askRefused', requestId: 'huge', message: turn.error?.message }]);
    assert.equal(conversation.turns.length, 0, 'not kept');
    assert.equal(values.size, 0, 'nothing saved');
    assert.equal(sent.length, 0, 'nothing sent');
    assert.deepEqual(calls('Q-huge'), { total: 2, withMarker: 1 }, 'counted once');
  });

  it('a new chat while a question is being counted: the question goes nowhere (neither conversation keeps it)', async () => {
    let connect!: () => void;
    const { conversation, sent, values } = setup(undefined, new Promise<void>((r) => (connect = r)));
    const asking = conversation.ask({ prompt: 'Q-late: counted while the chat is cleared' });
    await conversation.clear();
    connect();
    const turn = await asking;
    assert.equal(turn.status, 'stopped');
    assert.equal(conversation.turns.length, 0, 'not in the new chat');
    assert.equal(sent.length, 0, 'nothing sent');
    const saved = [...values.values()] as Array<{ conversation: { turns: unknown[] } }>;
    assert.ok(saved.every((c) => c.conversation.turns.length === 0), 'nothing saved');
  });

  it('a question is shown while it is counted; Stop then keeps the turn stopped, and nothing is sent', async () => {
    let connect!: () => void;
    const { conversation, sent, posted } = setup(undefined, new Promise<void>((r) => (connect = r)));
    const asking = conversation.ask({ prompt: 'Q-stop: stopped while counted', requestId: 'early' });
    assert.deepEqual(posted.map((m) => [m.type, 'requestId' in m && m.requestId]), [['turnStarted', 'early']], 'shown at once, before it is counted');
    await conversation.cancel('early');
    connect();
    const turn = await asking;
    assert.equal(turn.status, 'stopped');
    assert.deepEqual(conversation.turns.map((t) => [t.question, t.status]), [['Q-stop: stopped while counted', 'stopped']], 'the question stays');
    assert.equal(sent.length, 0, 'nothing sent');
    assert.equal(standin.requests.filter((r) => r.route === 'responses').length, 0);
    assert.deepEqual(posted.filter((m) => m.type === 'done'), [{ type: 'done', requestId: 'early', stopped: true }]);
  });
});
