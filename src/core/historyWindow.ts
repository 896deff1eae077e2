/**
 * Which earlier turns go out with a question. All of them, until the request would outgrow the model's context
 * (contextBudget's inputLimit); then the oldest are left out, so the question is answered instead of refused
 * with a 400, and the panel says how many (no silent truncation). The developer message and the newest turns
 * always go.
 *
 * Prompt caching keys on the request's leading messages, so the cut moves in chunks: the only places it may fall
 * are the first turns at which the running token count of the conversation, counted from its start, passes a
 * multiple of a quarter of the limit. Those places depend only on the turns before them, so as the conversation
 * grows the cut stays where it is (and the sent prefix with it) until the kept part outgrows the limit again,
 * about a quarter of the context later.
 */
import type { AskOptions } from './ask';
import { askOptions, type AskCore } from './chatRequest';
import { inputLimit, inputTokens, messageTokens } from './contextBudget';
import type { BedrockGptSettings } from './settings';
import type { ChatTurn } from '../shared/protocol';

/** The cut may fall once per this fraction of the input limit. */
const CHUNKS_PER_LIMIT = 4;

export interface WindowInput {
  /** Input tokens of everything but the history: the developer message and the new question with its code. */
  fixedTokens: number;
  /** Tokens of each earlier turn (its question and answer messages), oldest first. */
  turnTokens: readonly number[];
  /** The most input tokens (undefined: the model's context is unknown, everything is sent). */
  limit: number | undefined;
}

/** How many of the oldest turns to leave out (all of them when even the newest does not fit). */
export function turnsToDrop({ fixedTokens, turnTokens, limit }: WindowInput): number {
  const total = turnTokens.reduce((a, b) => a + b, fixedTokens);
  if (limit === undefined || total <= limit) return 0;
  const chunk = Math.max(1, Math.floor(limit / CHUNKS_PER_LIMIT));
  let before = 0; // tokens of the turns before index d
  let nextMark = chunk;
  for (let d = 1; d <= turnTokens.length; d++) {
    before += turnTokens[d - 1];
    if (before < nextMark && d < turnTokens.length) continue;
    nextMark = (Math.floor(before / chunk) + 1) * chunk;
    if (total - before <= limit) return d;
  }
  return turnTokens.length;
}

/** Token counts of settled turns, kept while their text is the same (a history is counted on every ask). */
const counted = new WeakMap<ChatTurn, { user: string; answer: string; tokens: number }>();

/**
 * The request a turn sends, with as many of the newest earlier turns as fit; how many were left out; and the
 * request's input tokens (what the context budget judges), summed from the same counts, so a request is
 * tokenized once: its new question once per ask, each earlier turn once while its text is the same.
 */
export function fitToContext(
  turn: ChatTurn,
  history: readonly ChatTurn[],
  s: BedrockGptSettings,
  core: Pick<AskCore, 'userMessage' | 'buildInput' | 'countTokens'>,
  signal?: AbortSignal,
  promptCacheKey?: string,
): { request: AskOptions; droppedTurns: number; inputTokens: number } {
  const full = askOptions(turn, history, s, core, signal, promptCacheKey);
  const limit = inputLimit(turn.model, full.maxOutputTokens);
  const sent = full.history ?? [];
  const turnTokens = history.map((t, i) => {
    const user = sent[2 * i].content;
    const cached = counted.get(t);
    if (cached && cached.user === user && cached.answer === t.answer) return cached.tokens;
    const tokens = messageTokens(user, core.countTokens) + messageTokens(t.answer, core.countTokens);
    counted.set(t, { user, answer: t.answer, tokens });
    return tokens;
  });
  const fixedTokens = inputTokens(core.buildInput({ ...full, history: [] }), core.countTokens);
  const droppedTurns = turnsToDrop({ fixedTokens, turnTokens, limit });
  const total = turnTokens.slice(droppedTurns).reduce((a, b) => a + b, fixedTokens);
  if (droppedTurns === 0) return { request: full, droppedTurns, inputTokens: total };
  return { request: { ...full, history: sent.slice(2 * droppedTurns) }, droppedTurns, inputTokens: total };
}
