import { askOptions } from '../../core/chatRequest';
import type { Conversation } from '../../core/conversation';
import type { BedrockGptSettings } from '../../core/settings';
import type { ChatTurn, WebviewMessage } from '../../shared/protocol';
import type { TokenController } from '../tokenController';
import { budgetOf, tooLargeMessage } from './budgetDialog';
import { readContext, type ContextRead } from './contextReader';

/**
 * A panel question with `@` items, before it becomes a turn: the items are read (workspace files only, text, not
 * oversize), and the whole request (history, question and every item) must fit the model's budget. A refusal
 * leaves nothing behind: no turn, no request, nothing saved; the panel keeps the question and its chips.
 * (A large request that needs confirming goes on to the gate's dialog as any other.)
 */
export async function prepareContext(
  m: Extract<WebviewMessage, { type: 'ask' }>,
  conversation: Conversation,
  s: BedrockGptSettings,
  tokens: TokenController,
): Promise<ContextRead> {
  const read = await readContext(m.context ?? []);
  if ('refusal' in read) return read;
  const turn: ChatTurn = {
    requestId: m.requestId, question: m.prompt, context: read.items, model: m.model ?? s.model, region: s.region,
    effort: m.effort ?? s.reasoningEffort, answer: '', reasoning: '', status: 'streaming',
  };
  const core = await tokens.core();
  const verdict = budgetOf(turn, askOptions(turn, conversation.historyTurns(), s, core), core);
  return verdict.kind === 'refuse' ? { refusal: tooLargeMessage(turn.model, verdict) } : read;
}
