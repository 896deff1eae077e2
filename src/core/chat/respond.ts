/**
 * One streamed Responses call with function tools: text deltas, reasoning-summary deltas, each function call
 * (call id, name, parsed arguments) once its item is complete, then the usage and the output items to carry to
 * the next turn. Stateless: `store: false` with the reasoning's encrypted content included, as the API documents
 * for multi-turn use without stored responses. Cancellation is immediate (abortRace).
 */
import type { OpenAI } from 'openai';
import { streamEnd, streamFailure, usageOf } from '../ask';
import { abortRace } from '../abortRace';
import { unwrapTokenProviderError } from '../errors';
import { AskCancelledError, StreamError } from '../failures';
import type { ReasoningEffort, Usage } from '../types';
import { toolsBody, type FunctionCallItem, type FunctionTool, type InputItem, type ReasoningItem, type ToolChoice } from './tools';

type Response = OpenAI.Responses.Response;
type OutputItem = Response['output'][number];

export interface RespondOptions {
  model: string;
  input: InputItem[];
  instructions?: string;
  tools?: FunctionTool[];
  toolChoice?: ToolChoice;
  effort?: ReasoningEffort;
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

export type RespondEvent =
  | { type: 'text'; delta: string }
  | { type: 'reasoning'; delta: string }
  | { type: 'toolCall'; callId: string; name: string; input: Record<string, unknown> }
  /** `output`: the response's items as the next request's input takes them (reasoning, message, function_call). */
  | { type: 'completed'; responseId: string; model: string; usage: Usage; output: InputItem[] };

/** The request body (without `stream`), exported for tests and for callers that log what is sent. */
export function respondBody(o: RespondOptions) {
  return {
    model: o.model,
    input: o.input,
    ...(o.instructions?.trim() && { instructions: o.instructions }),
    ...toolsBody(o.tools, o.toolChoice),
    ...(o.effort && { reasoning: { effort: o.effort } }),
    ...(o.maxOutputTokens !== undefined && { max_output_tokens: o.maxOutputTokens }),
    store: false,
    include: ['reasoning.encrypted_content' as const],
  };
}

/** A function call's arguments as an object; the model writes JSON text, which must parse to an object. */
export function parseArguments(name: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = text.trim() ? JSON.parse(text) : {};
  } catch {
    throw new StreamError(`The model called the tool "${name}" with arguments that are not valid JSON.`, 'malformed');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new StreamError(`The model called the tool "${name}" with arguments that are not a JSON object.`, 'malformed');
  }
  return value as Record<string, unknown>;
}

/** Output items as input items. Reasoning without encrypted content cannot be replayed statelessly: left out. */
function carriedItems(output: OutputItem[]): InputItem[] {
  const items: InputItem[] = [];
  for (const item of output) {
    if (item.type === 'reasoning' && item.encrypted_content) {
      const summary = item.summary.map((s) => ({ type: 'summary_text' as const, text: s.text }));
      items.push({ type: 'reasoning', id: item.id, summary, encrypted_content: item.encrypted_content } satisfies ReasoningItem);
    } else if (item.type === 'function_call') {
      items.push({ type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments, ...(item.id && { id: item.id }) } satisfies FunctionCallItem);
    } else if (item.type === 'message') {
      const content = item.content.map((c) => (c.type === 'output_text' ? c.text : '')).join('');
      if (content) items.push({ type: 'message', role: 'assistant', content });
    }
  }
  return items;
}

export async function* respond(client: Pick<OpenAI, 'responses'>, o: RespondOptions): AsyncGenerator<RespondEvent> {
  const abort = abortRace(o.signal);
  let opened = false;
  try {
    const stream = await abort.race(client.responses.create({ ...respondBody(o), stream: true }, { signal: abort.signal }));
    opened = true;
    const events = stream[Symbol.asyncIterator]();
    let completed: Response | undefined;
    for (;;) {
      const next = await abort.race(events.next());
      if (next.done) break;
      const event = next.value;
      switch (event.type) {
        case 'response.output_text.delta':
          yield { type: 'text', delta: event.delta };
          break;
        case 'response.reasoning_summary_text.delta':
          yield { type: 'reasoning', delta: event.delta };
          break;
        case 'response.output_item.done':
          if (event.item.type === 'function_call') {
            const { call_id: callId, name } = event.item;
            yield { type: 'toolCall', callId, name, input: parseArguments(name, event.item.arguments) };
          }
          break;
        default:
          completed = streamEnd(event) ?? completed;
      }
      if (o.signal?.aborted) throw new AskCancelledError();
    }
    if (o.signal?.aborted) throw new AskCancelledError();
    if (!completed) throw new StreamError('The stream ended before the answer was complete.', 'cut');
    yield { type: 'completed', responseId: completed.id, model: completed.model, usage: usageOf(completed.usage), output: carriedItems(completed.output) };
  } catch (err) {
    if (o.signal?.aborted || err instanceof AskCancelledError) throw new AskCancelledError();
    if (opened) throw streamFailure(err);
    throw unwrapTokenProviderError(err);
  } finally {
    abort.dispose();
  }
}
