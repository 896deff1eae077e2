/**
 * What an ask's context-budget check costs before the model call, for a question of about 100k tokens (an `@` file),
 * with and without four earlier turns of about 2k tokens each. Both flows in the same process, the real o200k
 * tokenizer, rounds interleaved, medians:
 *  - before: the panel's early check of the whole request (full history), then the history window (the question
 *    again; the earlier turns cached, and nothing counted without them), then the gate's count of the request
 *    that is sent (all of it again);
 *  - now: the history window alone, whose counts are the budget's (askPlan.ts): the question once.
 * Every round starts with the tokenizer's merge cache cleared (a new question's words are new to it) and the
 * earlier turns' words in it (they were counted when answered); the passes after the first over the same question
 * hit the cache, as they did. Prints the passes over the question, the milliseconds of each flow, the time saved.
 * Run: npm run bench -- askBudget
 */
import { clearMergeCache } from 'gpt-tokenizer/encoding/o200k_base';
import * as core from '../src/core/index';
import { askOptions } from '../src/core/chatRequest';
import { checkBudget, inputTokens } from '../src/core/contextBudget';
import { fitToContext } from '../src/core/historyWindow';
import { DEFAULTS } from '../src/core/settings';
import type { ChatTurn } from '../src/shared/protocol';

const MODEL = 'openai.gpt-5.5';
const ROUNDS = 9;
const s = { ...DEFAULTS, model: MODEL };

/** About `tokens` o200k tokens of distinct words (a repeated word would merge into fewer tokens). */
function filler(tokens: number, seed: string): string {
  const chunks: string[] = [];
  for (let i = 0, n = 0; n < tokens; i += 100) {
    const chunk = Array.from({ length: 100 }, (_, j) => `${seed}${(i + j).toString(36)}`).join(' ');
    n += core.countTokens(` ${chunk}`);
    chunks.push(chunk);
  }
  return chunks.join(' ');
}

const question: ChatTurn = {
  requestId: 'big', question: 'Q-marker: review this file', context: [{ kind: 'file', path: 'big.txt', text: filler(100_000, 'w') }],
  model: MODEL, region: 'us-east-2', answer: '', reasoning: '', status: 'streaming',
};
const history: ChatTurn[] = Array.from({ length: 4 }, (_, i) => ({
  requestId: `h${i}`, question: `Earlier question ${i}?`, answer: filler(2_000, `a${i}x`), model: MODEL, region: 'us-east-2', reasoning: '', status: 'done',
}));

let passes = 0;
const counting = {
  ...core,
  countTokens: (text: string) => {
    if (text.includes('Q-marker')) passes++;
    return core.countTokens(text);
  },
};
const count = (request: core.AskOptions) => inputTokens(counting.buildInput(request), counting.countTokens);

function before(h: ChatTurn[]): number {
  const early = checkBudget({ model: MODEL, inputTokens: count(askOptions(question, h, s, counting)) });
  if (early.kind === 'refuse') throw new Error('refused');
  // The history window counted nothing when there was no history (it returned the full request as it was).
  const request = h.length === 0 ? askOptions(question, h, s, counting) : fitToContext(question, h, s, counting).request;
  return checkBudget({ model: MODEL, inputTokens: count(request), maxOutputTokens: request.maxOutputTokens }).estimatedTokens;
}

function now(h: ChatTurn[]): number {
  const { request, inputTokens: tokens } = fitToContext(question, h, s, counting);
  return checkBudget({ model: MODEL, inputTokens: tokens, maxOutputTokens: request.maxOutputTokens }).estimatedTokens;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [label, h] of [['no earlier turns', []], ['4 earlier turns', history]] as const) {
  const flows = { before, now };
  const ms: Record<keyof typeof flows, number[]> = { before: [], now: [] };
  const counted: Record<keyof typeof flows, { passes: number; tokens: number }> = { before: { passes: 0, tokens: 0 }, now: { passes: 0, tokens: 0 } };
  for (let round = 0; round <= ROUNDS; round++) {
    for (const name of ['before', 'now'] as const) {
      clearMergeCache();
      for (const t of h) core.countTokens(t.answer);
      passes = 0;
      const t0 = performance.now();
      const tokens = flows[name]([...h]);
      const t1 = performance.now();
      if (round > 0) ms[name].push(t1 - t0); // round 0 warms the JIT (and the earlier turns' cached counts)
      counted[name] = { passes, tokens };
    }
  }
  if (counted.before.tokens !== counted.now.tokens) throw new Error(`the counts differ: ${counted.before.tokens} before, ${counted.now.tokens} now`);
  const [b, n] = [median(ms.before), median(ms.now)];
  console.log(`${label}: a request of ${counted.now.tokens.toLocaleString('en-US')} tokens`);
  console.log(`  before: ${counted.before.passes} passes over the question, ${b.toFixed(1)} ms`);
  console.log(`  now:    ${counted.now.passes} pass, ${n.toFixed(1)} ms (${(n / b).toFixed(2)}× before; ${(b - n).toFixed(1)} ms saved per ask)`);
}
