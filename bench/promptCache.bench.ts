/**
 * Prompt caching over a 10-turn conversation: core's Conversation (the panel's own request builder, with its
 * per-conversation prompt_cache_key) against the stand-in, which caches as OpenAI documents it (from 1,024 tokens,
 * hits in 128-token increments). The first question carries a file of about 1,500 tokens; every later turn
 * repeats the earlier ones as its prefix.
 * Goal: every turn after the first reports at least 80 % of its prefix (the previous request's input) as cached.
 * Prints per turn: input, prefix, cached, share, what the cache saved; then the totals.
 * Run: npm run bench -- promptCache
 */
import * as core from '../src/core/index';
import { Conversation, keyValueStorage, type ConversationHost, type KeyValueStore } from '../src/core/conversation';
import { formatDollars } from '../src/core/cost';
import { DEFAULTS, type BedrockGptSettings } from '../src/core/settings';
import { STATIC_TEST_KEY } from '../test/standin/keys';
import { startStandin } from '../test/standin/server';

const TURNS = 10;
const GOAL = 0.8;
const MODEL = 'openai.gpt-5.5';

class MapStore implements KeyValueStore {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value));
  }
}

async function main(): Promise<void> {
  const standin = await startStandin({ port: 0 });
  try {
    const settings: BedrockGptSettings = { ...DEFAULTS, model: MODEL, endpoint: standin.endpointTemplate };
    const host: ConversationHost = {
      settings: () => settings,
      connect: async (region, endpoint) => ({
        core,
        client: core.createClient({ region, endpoint, maxRetries: 0, tokenProvider: () => core.buildBearerToken(STATIC_TEST_KEY, region) }),
      }),
      describeError: (err) => ({ code: 'bench', message: String(err), actions: [] }),
    };
    const conversation = new Conversation(host, keyValueStorage(new MapStore()), { info: () => undefined, error: (m) => console.error(m) });
    const file = Array.from({ length: 150 }, (_, i) => `export const line${i} = (n: number) => n * ${i} + 1;`).join('\n');
    const questions = ['Explain this module.', ...Array.from({ length: TURNS - 1 }, (_, i) => `Follow-up ${i + 1}: what about line ${i * 7}? [[words:40]]`)];

    let saved = 0;
    let paid = 0;
    let worst = Infinity;
    let previousInput = 0;
    console.log('turn  input  prefix  cached  share   saved');
    for (let i = 0; i < TURNS; i++) {
      const turn = await conversation.ask({
        prompt: questions[i],
        ...(i === 0 && { code: { text: file, languageId: 'typescript', fileName: 'src/lines.ts', startLine: 1, endLine: 150 } }),
      });
      if (turn.status !== 'done' || !turn.usage) throw new Error(`turn ${i + 1} ended ${turn.status}: ${turn.error?.message ?? ''}`);
      const u = turn.usage;
      // The prefix is the whole of the previous request, as the service billed it.
      const prefix = previousInput;
      previousInput = u.usage.inputTokens;
      const share = prefix ? u.usage.cachedInputTokens / prefix : NaN;
      if (i > 0) worst = Math.min(worst, share);
      saved += u.savedDollars ?? 0;
      paid += u.dollars;
      console.log(`${String(i + 1).padStart(4)}  ${String(u.usage.inputTokens).padStart(5)}  ${String(prefix).padStart(6)}  ${String(u.usage.cachedInputTokens).padStart(6)}  ${i === 0 ? '    –' : `${(share * 100).toFixed(1).padStart(5)}%`}  ${formatDollars(u.savedDollars ?? 0)}`);
    }
    const keys = new Set(standin.requests.map((r) => r.promptCacheKey));
    console.log(`prompt_cache_key: ${keys.size === 1 ? 'one for all turns' : `${keys.size} different (expected one)`}`);
    console.log(`paid ${formatDollars(paid)}, saved ${formatDollars(saved)} by prompt caching (${((saved / (paid + saved)) * 100).toFixed(1)} % of the uncached price)`);
    const met = worst >= GOAL && keys.size === 1;
    console.log(`lowest cached share of the prefix after turn 1: ${(worst * 100).toFixed(1)} %  goal ≥ ${GOAL * 100} %  ${met ? 'MET' : 'MISSED'}`);
    if (!met) process.exitCode = 1;
  } finally {
    await standin.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
