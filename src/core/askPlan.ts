/**
 * What an ask will send, decided before its turn is kept: the client, the exact request (the history window
 * applied), and the context budget's verdict on that request. The request is tokenized once (fitToContext sums
 * the counts it already made), so the budget never counts it a second time; a request over the budget is
 * refused before anything is kept, saved or sent.
 */
import type { AskOptions } from './ask';
import type { AskClient, AskCore } from './chatRequest';
import { checkBudget, type BudgetVerdict } from './contextBudget';
import type { AskRequest, ConversationHost, WordedError } from './conversationHost';
import { fitToContext } from './historyWindow';
import type { BedrockGptSettings } from './settings';
import type { ChatTurn } from '../shared/protocol';

export interface AskPlan {
  core: AskCore;
  client: AskClient;
  /** The request as it goes out, without its signal (the run adds its own). */
  request: AskOptions;
  /** Earlier turns left out so the request fits (the oldest first). */
  droppedTurns: number;
  /** Earlier turns that go out with the question. */
  earlierTurns: number;
  verdict: BudgetVerdict;
}

/** A plan, or why there is none (the core would not load, or the client could not be made): the turn says so. */
export type Planned = AskPlan | { error: unknown };

/** The turn a request becomes (streaming, nothing answered yet), with the settings' model and effort unless it names its own. */
export function newTurn(req: AskRequest, requestId: string, s: BedrockGptSettings): ChatTurn {
  return {
    requestId,
    question: req.prompt,
    ...(req.code && { code: req.code }),
    ...(req.context?.length && { context: req.context }),
    model: req.model ?? s.model,
    region: s.region,
    effort: req.effort ?? s.reasoningEffort,
    answer: '',
    reasoning: '',
    status: 'streaming',
  };
}

/** Connects and counts: the request `turn` sends with `history`, and the budget's verdict on it. Never rejects. */
export async function planAsk(host: Pick<ConversationHost, 'connect'>, turn: ChatTurn, history: readonly ChatTurn[], s: BedrockGptSettings, promptCacheKey: string): Promise<Planned> {
  try {
    const { core, client } = await host.connect(turn.region, s.endpoint || undefined);
    const { request, droppedTurns, inputTokens } = fitToContext(turn, history, s, core, undefined, promptCacheKey);
    const verdict = checkBudget({ model: turn.model, inputTokens, maxOutputTokens: request.maxOutputTokens });
    return { core, client, request, droppedTurns, earlierTurns: history.length - droppedTurns, verdict };
  } catch (error) {
    return { error };
  }
}

/** The conversation's `prompt_cache_key`: its id (a random UUID, nothing of the user's), stable across reloads. */
export function promptCacheKeyOf(conversationId: string): string {
  return `bedrock-gpt-${conversationId}`;
}

/** What the front end's gate makes of a verdict that is not `ok` (a refusal in plain words when it has no gate). */
export async function judge(host: Pick<ConversationHost, 'gate'>, turn: ChatTurn, verdict: BudgetVerdict): Promise<WordedError | undefined> {
  if (verdict.kind === 'ok') return undefined;
  return (await host.gate?.(turn, verdict)) ?? (verdict.kind === 'refuse' ? budgetRefusal(verdict) : undefined);
}

/** A refusal in plain words, for a front end without a gate of its own (the extension words it in its language). */
export function budgetRefusal(verdict: Extract<BudgetVerdict, { kind: 'refuse' }>): WordedError {
  const n = (x: number) => x.toLocaleString('en-US');
  return { code: 'too-large', message: `Not sent: the question is too large for the model: about ${n(verdict.estimatedTokens)} tokens (estimated), over the limit of ${n(verdict.limit)}.`, actions: [] };
}
