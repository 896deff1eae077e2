/** Shared by the ask tests: a client on the stand-in that counts its token calls, and the seed article's question. */
import assert from 'node:assert/strict';
import { type AskEvent, type AskOptions } from '../../src/core/ask';
import { createClient } from '../../src/core/client';
import { buildBearerToken } from '../../src/core/token';
import { STATIC_TEST_KEY } from '../standin/keys';
import type { Standin } from '../standin/server';

/** A client for `region` on the stand-in; counts token-provider calls (one per attempt). */
export function clientFor(standin: Standin, region: string, o: { maxRetries?: number; token?: () => Promise<string>; renewToken?: (rejected: string) => Promise<string> } = {}) {
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

export async function collect(events: AsyncGenerator<AskEvent>, seen: AskEvent[] = []): Promise<AskEvent[]> {
  for await (const e of events) seen.push(e);
  return seen;
}

export function completedOf(events: AskEvent[]) {
  const last = events.at(-1);
  assert.equal(last?.type, 'completed');
  return last as Extract<AskEvent, { type: 'completed' }>;
}

export const textOf = (events: AskEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
export const seed: AskOptions = { model: 'openai.gpt-5.5', effort: 'medium', instructions: 'You are a helpful assistant. Be concise.', prompt: 'What is Amazon Bedrock in one sentence?' };
export const SEED_ANSWER = 'openai.gpt-5.5 in us-east-2 answers question 1: "What is Amazon Bedrock in one sentence?"';
/** A stand-in delay no test outlives, and the timeout that turns a cancel stuck behind it into a failure. */
export const NEVER = 600_000;
export const HANG_GUARD_MS = 20_000;
