/**
 * Function calling on the Responses API, as plain data: the input items a conversation with tools is sent as,
 * function tools and tool_choice, and the mapping from a front end's messages (text, tool calls, tool results)
 * to those items. No SDK imports. The item shapes are the wire format (snake_case), a subset of the openai
 * SDK's ResponseInputItem, so they go into a request as they are and come back out of a response the same way.
 *
 * Reasoning is carried statelessly (`store: false`, `include: ['reasoning.encrypted_content']`): the reasoning
 * items a response produced before a function call are kept by ReasoningCarry and sent again, before that
 * call, on the turn that answers it — what the API needs to go on reasoning after a tool result.
 */
import { countTokens } from '../tokenCount';

export interface MessageItem {
  type: 'message';
  role: 'developer' | 'user' | 'assistant';
  content: string;
}

export interface FunctionCallItem {
  type: 'function_call';
  call_id: string;
  name: string;
  /** JSON text, as the model wrote it. */
  arguments: string;
  /** The output item's id (`fc_…`); only for a call replayed with the reasoning item that preceded it. */
  id?: string;
}

export interface FunctionCallOutputItem {
  type: 'function_call_output';
  call_id: string;
  output: string;
}

export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: Array<{ type: 'summary_text'; text: string }>;
  encrypted_content: string;
}

export type InputItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | ReasoningItem;

/** A function the model may call; `parameters` is a JSON schema (an object schema). */
export interface FunctionTool {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

/** `auto` (the model decides), `required` (at least one call), `none`, or one named function. */
export type ToolChoice = 'auto' | 'required' | 'none' | { name: string };

/** The wire form of `tools` and `tool_choice`. Non-strict: front ends hand over schemas written for other APIs. */
export function toolsBody(tools: FunctionTool[] | undefined, choice: ToolChoice | undefined) {
  if (!tools?.length) return {};
  return {
    tools: tools.map((t) => ({
      type: 'function' as const,
      name: t.name,
      ...(t.description && { description: t.description }),
      // The API takes an object schema; some tools give none, or one without `type`.
      parameters: { type: 'object', properties: {}, ...t.parameters },
      strict: false,
    })),
    tool_choice: typeof choice === 'object' ? { type: 'function' as const, name: choice.name } : (choice ?? 'auto'),
  };
}

/** A front end's message, reduced to what the Responses API takes. */
export interface ChatMessage {
  role: 'developer' | 'user' | 'assistant';
  parts: ChatPart[];
}

export type ChatPart =
  | { type: 'text'; text: string }
  | { type: 'toolCall'; callId: string; name: string; input: unknown }
  | { type: 'toolResult'; callId: string; output: string };

/**
 * The reasoning and call items of recent responses that ended in function calls, by call id, so the next turn
 * can send them back in order. Bounded: the oldest responses go first (a call too old to be found is sent
 * without its reasoning, which the API accepts).
 */
export class ReasoningCarry {
  private readonly byCall = new Map<string, { group: number; items: Array<ReasoningItem | FunctionCallItem> }>();
  private next = 0;

  constructor(private readonly maxCalls = 256) {}

  /** Keeps the output of one response (its reasoning items and function calls, in order). */
  remember(output: InputItem[]): void {
    const items = output.filter((i): i is ReasoningItem | FunctionCallItem => i.type === 'reasoning' || i.type === 'function_call');
    if (!items.some((i) => i.type === 'function_call')) return;
    const group = this.next++;
    for (const item of items) if (item.type === 'function_call') this.byCall.set(item.call_id, { group, items });
    while (this.byCall.size > this.maxCalls) this.byCall.delete(this.byCall.keys().next().value as string);
  }

  lookup(callId: string): { group: number; items: Array<ReasoningItem | FunctionCallItem> } | undefined {
    return this.byCall.get(callId);
  }

  get size(): number {
    return this.byCall.size;
  }
}

function textOf(parts: ChatPart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** JSON text of a tool call's input, as the API wants `arguments`. */
function argumentsOf(input: unknown): string {
  return JSON.stringify(input ?? {});
}

/**
 * Input items for a conversation: text becomes `message` items, a tool call a `function_call` (preceded by the
 * reasoning items its response produced, when the carry still has them), a tool result a `function_call_output`.
 * Empty messages are left out.
 */
export function toInputItems(messages: ChatMessage[], carry?: ReasoningCarry): InputItem[] {
  const items: InputItem[] = [];
  const sentGroups = new Set<number>();
  for (const m of messages) {
    const text = textOf(m.parts);
    if (m.role !== 'assistant') {
      // Tool results answer the calls of the assistant message before; text after them reads as the user's.
      for (const p of m.parts) if (p.type === 'toolResult') items.push({ type: 'function_call_output', call_id: p.callId, output: p.output });
      if (text) items.push({ type: 'message', role: m.role, content: text });
      continue;
    }
    if (text) items.push({ type: 'message', role: 'assistant', content: text });
    for (const p of m.parts) {
      if (p.type !== 'toolCall') continue;
      const kept = carry?.lookup(p.callId);
      if (kept && !sentGroups.has(kept.group)) {
        sentGroups.add(kept.group);
        items.push(...kept.items.filter((i) => i.type === 'reasoning'));
      }
      const original = kept?.items.find((i): i is FunctionCallItem => i.type === 'function_call' && i.call_id === p.callId);
      items.push({ type: 'function_call', call_id: p.callId, name: p.name, arguments: original?.arguments ?? argumentsOf(p.input), ...(original?.id && { id: original.id }) });
    }
  }
  return items;
}

/** Per-message framing the chat format adds around each message (OpenAI's published estimate). */
const MESSAGE_OVERHEAD_TOKENS = 3;

/** o200k tokens of a message as sent: its text, tool calls (name and arguments) and tool results, plus framing. */
export function countMessageTokens(m: ChatMessage): number {
  let n = MESSAGE_OVERHEAD_TOKENS;
  for (const p of m.parts) {
    if (p.type === 'text') n += countTokens(p.text);
    else if (p.type === 'toolCall') n += countTokens(p.name) + countTokens(argumentsOf(p.input));
    else n += countTokens(p.output);
  }
  return n;
}
