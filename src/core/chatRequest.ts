/**
 * The request a turn sends: the developer instructions, the earlier turns as they were sent, the question with
 * its code. The same AskOptions go to the model and to the context-budget estimate.
 */
import type { AskOptions, ask, buildInput, userMessage } from './ask';
import { withContext } from './contextItems';
import { developerInstructions } from './prompts';
import type { BedrockGptSettings } from './settings';
import type { countTokens } from './tokenCount';
import type { ChatTurn, TurnCode } from '../shared/protocol';

/** The parts of the lazily loaded core an ask uses. */
export interface AskCore {
  ask: typeof ask;
  buildInput: typeof buildInput;
  userMessage: typeof userMessage;
  countTokens: typeof countTokens;
}

export type AskClient = Parameters<typeof ask>[0];

/** Answered or stopped turns with some answer go out as history; failed ones never do. */
export function isHistory(t: ChatTurn): boolean {
  return (t.status === 'done' || t.status === 'stopped') && t.answer.trim() !== '';
}

function toCodeContext(code: TurnCode | undefined) {
  return code && { code: code.text, languageId: code.languageId, fileName: code.fileName, startLine: code.startLine, endLine: code.endLine };
}

/** The request exactly as it is sent; earlier turns in the same user-message text, so the prompt cache still hits. */
export function askOptions(
  turn: ChatTurn,
  history: readonly ChatTurn[],
  s: BedrockGptSettings,
  core: Pick<AskCore, 'userMessage'>,
  signal?: AbortSignal,
  promptCacheKey?: string,
): AskOptions {
  // The order is the prompt cache's: the developer message, the earlier turns byte for byte as they went out, and
  // only then what is new (the question, its `@` items and its code). Anything that changes per ask must stay in the last message.
  return {
    model: turn.model,
    effort: turn.effort,
    instructions: developerInstructions(s.developerPrompt),
    prompt: withContext(turn.question, turn.context),
    code: toCodeContext(turn.code),
    history: history.flatMap((t) => [
      { role: 'user' as const, content: core.userMessage(withContext(t.question, t.context), toCodeContext(t.code)) },
      { role: 'assistant' as const, content: t.answer },
    ]),
    maxOutputTokens: s.maxOutputTokens > 0 ? s.maxOutputTokens : undefined,
    promptCacheKey,
    reasoningSummary: 'auto',
    stream: true,
    firstByteTimeoutMs: s.firstByteTimeoutSeconds * 1000,
    idleTimeoutMs: s.streamIdleTimeoutSeconds * 1000,
    signal,
  };
}
