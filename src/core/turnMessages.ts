/** The panel's messages for a turn that starts, and for a question refused before it became one. */
import type { WordedError } from './conversationHost';
import type { ChatTurn, ExtensionMessage } from '../shared/protocol';

export function turnStarted(t: ChatTurn): Extract<ExtensionMessage, { type: 'turnStarted' }> {
  return { type: 'turnStarted', requestId: t.requestId, question: t.question, code: t.code, context: t.context, model: t.model, region: t.region, effort: t.effort };
}

/**
 * A question with `@` items waits in the panel's box, which keeps it and its chips on `askRefused`; any other was
 * shown as a turn when it was asked (turnStarted, before it was counted) and gets the refusal under it.
 */
export function refusalMessages(t: ChatTurn, e: WordedError): ExtensionMessage[] {
  if (t.context?.length) return [{ type: 'askRefused', requestId: t.requestId, message: e.message }];
  return [{ type: 'error', requestId: t.requestId, message: e.message, actions: e.actions, notKept: true }];
}
