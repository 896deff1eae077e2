/**
 * When a conversation outgrows the model's context: the oldest turns stop being sent (in chunks, so the sent
 * prefix stays the same for several asks), the developer message and the newest turns always go, and the
 * conversation tells the panel how many were left out. The turn counting is the real o200k tokenizer.
 * Run: node --import tsx --test test/unit/historyWindow.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as core from '../../src/core/index';
import { checkBudget, inputLimit, inputTokens } from '../../src/core/contextBudget';
import { CHAT_STATE_KEY, Conversation, keyValueStorage, type ConversationHost, type PersistedChat } from '../../src/core/conversation';
import { fitToContext, turnsToDrop } from '../../src/core/historyWindow';
import { DEFAULTS, type BedrockGptSettings } from '../../src/core/settings';
import type { ChatTurn, ExtensionMessage } from '../../src/shared/protocol';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';

describe('turnsToDrop', () => {
  it('sends everything that fits, and everything when the context is unknown', () => {
    assert.equal(turnsToDrop({ fixedTokens: 100, turnTokens: [100, 100, 100], limit: 400 }), 0, 'exactly the limit fits');
    assert.equal(turnsToDrop({ fixedTokens: 100, turnTokens: [10_000, 10_000], limit: undefined }), 0);
    assert.equal(turnsToDrop({ fixedTokens: 100, turnTokens: [], limit: 50 }), 0, 'no history to leave out');
  });

  it('leaves out the oldest turns at chunk boundaries, keeps the kept part within the limit', () => {
    // limit 1000 → chunks of 250 tokens; turns of 100: the cut may fall after turn 3 (300), 5 (500), 8 (800), …
    const turnTokens = Array<number>(10).fill(100);
    const dropped = turnsToDrop({ fixedTokens: 50, turnTokens, limit: 1000 });
    assert.equal(dropped, 3, 'the first boundary past the 250-token mark that fits');
    assert.ok(50 + 100 * (10 - dropped) <= 1000);
    assert.equal(turnsToDrop({ fixedTokens: 400, turnTokens, limit: 1000 }), 5, 'a larger question pushes the cut to the next boundary');
  });

  it('keeps the cut (and the sent prefix) still while the conversation grows, then moves it by a chunk', () => {
    const limit = 10_000;
    const history: number[] = [];
    const cuts: number[] = [];
    for (let i = 0; i < 80; i++) {
      history.push(300 + ((i * 37) % 200)); // 300..499 tokens a turn
      const d = turnsToDrop({ fixedTokens: 200, turnTokens: history, limit });
      const kept = history.slice(d).reduce((a, b) => a + b, 200);
      assert.ok(kept <= limit, `ask ${i}: ${kept} tokens sent`);
      cuts.push(d);
    }
    for (let i = 1; i < cuts.length; i++) assert.ok(cuts[i] >= cuts[i - 1], `the cut never moves back (ask ${i})`);
    const moves = cuts.filter((d, i) => i > 0 && d !== cuts[i - 1]).length;
    const firstCut = cuts.findIndex((d) => d > 0);
    // After the first cut the conversation grows by ~400 tokens an ask; a chunk is 2,500: the cut moves about
    // once every 6 asks, never on every ask.
    assert.ok(firstCut > 0 && moves <= Math.ceil((cuts.length - firstCut) / 4), `${moves} moves of the cut in ${cuts.length - firstCut} asks`);
  });

  it('leaves out every earlier turn when even the newest does not fit with the question', () => {
    assert.equal(turnsToDrop({ fixedTokens: 900, turnTokens: [50, 50, 200], limit: 1000 }), 3);
  });
});

/** Distinct words, so the tokenizer cannot fold them: about `tokens` o200k tokens. */
function filler(tokens: number, seed: string): string {
  const words: string[] = [];
  for (let i = 0; words.length < tokens / 2; i++) words.push(`${seed}${i.toString(36)}`);
  return words.join(' ');
}

const turn = (requestId: string, question: string, answer: string): ChatTurn => ({
  requestId, question, answer, model: 'openai.gpt-5.5', region: 'us-east-2', reasoning: '', status: 'done',
});

describe('fitToContext with the real tokenizer', () => {
  const s: BedrockGptSettings = { ...DEFAULTS, developerPrompt: 'Always answer in haiku.' };
  const limit = inputLimit('openai.gpt-5.5')!;
  // Eight turns of ~30k tokens: ~240k, well over GPT-5.5's 144k input limit.
  const history = Array.from({ length: 8 }, (_, i) => turn(`h${i}`, `Question ${i}?`, filler(30_000, `w${i}x`)));

  it('sends the developer message and the newest turns within the limit, and says how many were left out', () => {
    const { request, droppedTurns, inputTokens: counted } = fitToContext(turn('new', 'And now?', ''), history, s, core);
    assert.ok(droppedTurns > 0 && droppedTurns < history.length, `${droppedTurns} left out`);
    const input = core.buildInput(request);
    assert.equal(input[0].role, 'developer');
    assert.match(input[0].content, /Always answer in haiku\./);
    assert.equal(input.at(-1)?.content, 'And now?');
    assert.equal(input.at(-2)?.content, history.at(-1)!.answer, 'the newest answer is sent');
    assert.equal(request.history?.length, 2 * (history.length - droppedTurns));
    assert.equal(request.history?.[0].content, `Question ${droppedTurns}?`, 'the oldest kept question comes first');
    const tokens = inputTokens(input, core.countTokens);
    assert.ok(tokens <= limit, `${tokens} ≤ ${limit}`);
    assert.equal(counted, tokens, 'the count it returns is that of the request it sends (the budget needs no second count)');
    assert.equal(checkBudget({ model: 'openai.gpt-5.5', inputTokens: tokens }).kind !== 'refuse', true, 'the budget check now passes');
  });

  it('sends the same prefix for the next question (nothing moves while it fits)', () => {
    const first = fitToContext(turn('a', 'Short?', ''), history, s, core);
    const next = fitToContext(turn('b', 'Another short one?', ''), [...history, turn('c', 'Tiny?', 'Yes.')], s, core);
    assert.equal(next.droppedTurns, first.droppedTurns);
    assert.deepEqual(next.request.history?.slice(0, first.request.history!.length), first.request.history);
  });

  it('leaves a short conversation and a custom model id alone', () => {
    const short = [turn('x', 'Hi?', 'Hello.')];
    const fitted = fitToContext(turn('n', 'Next?', ''), short, s, core);
    assert.equal(fitted.droppedTurns, 0);
    assert.equal(fitted.inputTokens, inputTokens(core.buildInput(fitted.request), core.countTokens), 'counted when nothing is left out');
    const alone = fitToContext(turn('n', 'Next?', ''), [], s, core);
    assert.equal(alone.inputTokens, inputTokens(core.buildInput(alone.request), core.countTokens), 'and with no history');
    const custom = { ...turn('n', 'Next?', ''), model: 'my.custom-model' };
    assert.equal(fitToContext(custom, history, s, core).droppedTurns, 0, 'unknown context: the service judges');
  });
});

describe('Conversation: a conversation that outgrew the context', () => {
  let standin: Standin;
  before(async () => (standin = await startStandin({ port: 0 })));
  after(() => standin.close());

  it('is answered with the newest turns, and posts contextNotice (kept in the conversation, reset by a new chat)', async () => {
    const saved: PersistedChat = {
      version: 1,
      conversation: { id: 'big-1', turns: Array.from({ length: 8 }, (_, i) => turn(`h${i}`, `Question ${i}?`, filler(30_000, `c${i}y`))) },
      origins: {},
    };
    const values = new Map<string, unknown>([[CHAT_STATE_KEY, saved]]);
    const store = { get: <T>(k: string) => values.get(k) as T | undefined, update: async (k: string, v: unknown) => void values.set(k, v) };
    const host: ConversationHost = {
      settings: () => ({ ...DEFAULTS, endpoint: standin.endpointTemplate }),
      connect: async (region, endpoint) => ({
        core,
        client: core.createClient({ region, endpoint, maxRetries: 0, tokenProvider: () => core.buildBearerToken(STATIC_TEST_KEY, region) }),
      }),
      describeError: (err) => ({ code: 'failed', message: String(err), actions: [] }),
    };
    const conversation = new Conversation(host, keyValueStorage(store), { info() {}, error() {} });
    const posted: ExtensionMessage[] = [];
    conversation.onDidPost((m) => posted.push(m));
    try {
      const answered = await conversation.ask({ prompt: 'What did we say last?', requestId: 'q-new' });
      assert.equal(answered.status, 'done', answered.error?.message);
      const notice = posted.find((m) => m.type === 'contextNotice');
      assert.ok(notice && notice.type === 'contextNotice' && notice.droppedTurns > 0, 'the panel is told');
      assert.equal(conversation.snapshot().droppedTurns, notice.droppedTurns, 'kept with the conversation (the panel reads it on reload)');
      const [request] = standin.requests.filter((r) => r.route === 'responses');
      assert.equal(request.input.length, 1 + 2 * (8 - notice.droppedTurns) + 1, 'developer message, the kept turns, the question');
      assert.equal(request.input[1].content, `Question ${notice.droppedTurns}?`);

      await conversation.clear();
      assert.equal(conversation.snapshot().droppedTurns, undefined, 'a new chat starts with nothing left out');
    } finally {
      conversation.dispose();
    }
  });
});
