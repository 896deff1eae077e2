/**
 * Before a question leaves the machine: is it too large for the model, or large enough that the user should
 * see its price first? The estimate counts the exact messages that are sent (ask.ts's buildInput) with the
 * model's own tokenizer (tokenCount.ts), which the caller hands in: it lives in the lazily loaded core bundle.
 *
 * SDK-free (only models.ts and cost.ts), so the extension may import it statically.
 */
import type { InputMessage } from './ask';
import { costOf } from './cost';
import { modelInfo } from './models';
import type { Usage } from './types';

/** Above this many input tokens the user confirms the estimated cost before sending. */
export const CONFIRM_ABOVE_TOKENS = 20_000;

/**
 * What the Responses API adds around each message (role and separators) and around the whole input, in o200k
 * tokens: the chat format's documented 3 per message plus 3 to prime the answer.
 */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_INPUT = 3;

/** The input tokens of `messages` as the service counts them (within a few tokens). */
export function inputTokens(messages: readonly InputMessage[], countTokens: (text: string) => number): number {
  return messages.reduce((n, m) => n + messageTokens(m.content, countTokens), TOKENS_PER_INPUT);
}

export interface BudgetInput {
  model: string;
  /** The input tokens of the request (inputTokens). */
  inputTokens: number;
  /** Tokens reserved for the answer (the model's own maximum when unset). */
  maxOutputTokens?: number;
  /** Override for the confirmation threshold (tests, settings). */
  confirmAboveTokens?: number;
}

export type BudgetVerdict =
  | { kind: 'ok'; estimatedTokens: number }
  /** Large but legal: ask the user first. `priceKnown` is false for custom model ids (dollars are then 0). */
  | { kind: 'confirm'; estimatedTokens: number; estimatedDollars: number; priceKnown: boolean }
  /** More than the model's context minus the tokens reserved for the answer: never sent. */
  | { kind: 'refuse'; estimatedTokens: number; limit: number };

/** The most input tokens a request may have: the model's context less the room kept for the answer (unknown for a custom model id). */
export function inputLimit(model: string, maxOutputTokens?: number): number | undefined {
  const info = modelInfo(model);
  if (!info) return undefined;
  const reserved = Math.min(maxOutputTokens ?? info.maxOutputTokens, info.maxOutputTokens);
  return Math.max(0, info.contextTokens - reserved);
}

/** The tokens one message adds to the input (its text and its framing). */
export function messageTokens(content: string, countTokens: (text: string) => number): number {
  return TOKENS_PER_MESSAGE + countTokens(content);
}

export function checkBudget(input: BudgetInput): BudgetVerdict {
  const estimatedTokens = input.inputTokens;
  const limit = inputLimit(input.model, input.maxOutputTokens);
  if (limit !== undefined && estimatedTokens > limit) return { kind: 'refuse', estimatedTokens, limit };
  // A custom model id: its context is unknown, so the service is the judge of "too large".
  if (estimatedTokens > (input.confirmAboveTokens ?? CONFIRM_ABOVE_TOKENS)) {
    const usage: Usage = { inputTokens: estimatedTokens, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: estimatedTokens };
    const { dollars, known } = costOf(usage, input.model);
    return { kind: 'confirm', estimatedTokens, estimatedDollars: known ? dollars : 0, priceKnown: known };
  }
  return { kind: 'ok', estimatedTokens };
}

/**
 * The first check, before a question is kept: the code it carries (a selection, or a whole file) against
 * `bedrockGpt.maxSelectionCharacters`. A refused question is neither added to the conversation nor saved.
 */
export type SelectionVerdict = { kind: 'ok' } | { kind: 'refuse'; characters: number; limit: number };

export function checkSelection(code: string, maxCharacters: number): SelectionVerdict {
  return code.length > maxCharacters ? { kind: 'refuse', characters: code.length, limit: maxCharacters } : { kind: 'ok' };
}
