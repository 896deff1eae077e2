/**
 * Function calling in the stand-in, as bedrock-mantle serves it (reference/bedrock-mantle.md, the Responses API
 * docs): `tools` of type `function`, `tool_choice` (auto, none, required, or one named function), input items
 * `function_call` / `function_call_output` / `reasoning`, and streamed calls as `response.output_item.added`
 * (a `function_call` item), `response.function_call_arguments.delta` / `.done`, `response.output_item.done`.
 *
 * The checks the real API makes on such input, with its messages: a `function_call_output` must answer a
 * `function_call` earlier in the input; a `function_call` must have its output; a replayed call (`fc_…` id) must
 * come with the reasoning item that preceded it; with `store: false` a reasoning item needs its encrypted content.
 *
 * When does the stand-in's model call a tool? When tools are offered and the last input item is a user message
 * that holds `[[tool:NAME]]` or `[[tool:NAME {json arguments}]]` (one call per marker), or tool_choice requires a
 * call (the named function, or the first tool). After a `function_call_output` it answers in text, quoting the
 * result. The reasoning item before a call carries encrypted content when `include` asks for it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { planAnswer, responseObject, type Answer, type AnswerRequest, type StreamEvent } from './answer';
import { HttpFailure } from './httpFailure';

export const TOOL_ITEM_TYPES = ['function_call', 'function_call_output', 'reasoning'];

export function isToolItem(item: unknown): boolean {
  return TOOL_ITEM_TYPES.includes((item as { type?: unknown })?.type as string);
}

export interface DeclaredTool {
  name: string;
  description: string | null;
  parameters: unknown;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

/** A tool input item as the stand-in saw it (arguments and outputs kept for the tests' asserts). */
export interface SeenItem {
  type: 'function_call' | 'function_call_output' | 'reasoning';
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string;
  id?: string;
  /** A reasoning item's encrypted content. */
  encrypted?: string;
}

export interface Tooling {
  tools: DeclaredTool[];
  toolChoice: ToolChoice;
  include: string[];
  store: boolean;
  items: SeenItem[];
  /** The type of the last input item: `message` or one of TOOL_ITEM_TYPES. */
  last: string;
  /** Every input item as {role, content}, for token counts (tool items under their type). */
  flat: Array<{ role: string; content: string }>;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ENCRYPTED_PREFIX = 'gAAAAA';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function parseTools(raw: unknown): DeclaredTool[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new HttpFailure(400, 'invalid_type', "Invalid type for 'tools': expected an array of tools.", 'tools');
  return raw.map((t: Record<string, unknown>, i) => {
    if (t?.type !== 'function') {
      throw new HttpFailure(400, 'invalid_value', `Invalid value: '${String(t?.type)}'. Supported values are: 'function' and 'mcp'.`, `tools[${i}].type`);
    }
    const name = str(t.name);
    if (!name || !TOOL_NAME.test(name)) {
      throw new HttpFailure(400, 'invalid_value', `Invalid 'tools[${i}].name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, `tools[${i}].name`);
    }
    return { name, description: str(t.description) ?? null, parameters: t.parameters ?? null };
  });
}

function parseChoice(raw: unknown, tools: DeclaredTool[]): ToolChoice {
  if (raw === undefined || raw === null) return 'auto';
  if (raw === 'auto' || raw === 'none') return raw;
  if (raw === 'required') {
    if (!tools.length) throw new HttpFailure(400, 'invalid_value', "Tool choice 'required' must be specified with 'tools' parameter.", 'tool_choice');
    return raw;
  }
  const named = raw as { type?: unknown; name?: unknown };
  if (named?.type === 'function' && typeof named.name === 'string') {
    if (!tools.some((t) => t.name === named.name)) {
      throw new HttpFailure(400, 'invalid_value', `Tool choice 'function' with name '${named.name}' not found in 'tools' parameter.`, 'tool_choice');
    }
    return { type: 'function', name: named.name };
  }
  throw new HttpFailure(400, 'invalid_value', "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or {type: 'function', name}.", 'tool_choice');
}

function seenItem(item: Record<string, unknown>, i: number): SeenItem {
  const type = item.type as SeenItem['type'];
  const need = (field: string) => {
    const v = str(item[field]);
    if (v === undefined) throw new HttpFailure(400, 'missing_required_parameter', `Missing required parameter: 'input[${i}].${field}'.`, `input[${i}].${field}`);
    return v;
  };
  if (type === 'function_call') return { type, call_id: need('call_id'), name: need('name'), arguments: need('arguments'), id: str(item.id) };
  if (type === 'function_call_output') {
    const output = Array.isArray(item.output) ? item.output.map((p: { text?: unknown }) => str(p?.text) ?? '').join('') : need('output');
    return { type, call_id: need('call_id'), output };
  }
  return { type, id: need('id'), encrypted: str(item.encrypted_content) };
}

/** Reads tools, tool_choice, include, store and the tool items of `input`; throws HttpFailure as the API would. */
export function parseTooling(body: Record<string, unknown>): Tooling {
  const tools = parseTools(body.tools);
  const toolChoice = parseChoice(body.tool_choice, tools);
  const include = Array.isArray(body.include) ? body.include.filter((v): v is string => typeof v === 'string') : [];
  const input = Array.isArray(body.input) ? (body.input as Array<Record<string, unknown>>) : [];
  const items: SeenItem[] = [];
  const flat: Tooling['flat'] = [];
  input.forEach((item, i) => {
    if (!isToolItem(item)) {
      const content = Array.isArray(item?.content) ? item.content.map((p: { text?: unknown }) => str(p?.text) ?? '').join('') : (str(item?.content) ?? '');
      flat.push({ role: String(item?.role), content });
      return;
    }
    const seen = seenItem(item, i);
    items.push(seen);
    flat.push({ role: seen.type, content: seen.type === 'function_call' ? `${seen.name}${seen.arguments}` : (seen.output ?? '') });
  });
  const last = input.length ? (isToolItem(input.at(-1)) ? String(input.at(-1)?.type) : 'message') : 'message';
  return { tools, toolChoice, include, store: body.store !== false, items, last, flat };
}

/** What the stand-in issued: reasoning ids (signed, so their encrypted content can be checked) and call → reasoning. */
export class ToolState {
  private readonly secret = randomBytes(32);
  private readonly reasoningOf = new Map<string, string>();
  private readonly issued = new Set<string>();

  encrypt(reasoningId: string): string {
    const sig = createHmac('sha256', this.secret).update(reasoningId).digest('base64url');
    return ENCRYPTED_PREFIX + Buffer.from(JSON.stringify({ id: reasoningId, sig })).toString('base64url');
  }

  decrypts(reasoningId: string, encrypted: string | undefined): boolean {
    if (!encrypted?.startsWith(ENCRYPTED_PREFIX)) return false;
    try {
      const { id, sig } = JSON.parse(Buffer.from(encrypted.slice(ENCRYPTED_PREFIX.length), 'base64url').toString('utf8'));
      return id === reasoningId && sig === createHmac('sha256', this.secret).update(reasoningId).digest('base64url');
    } catch {
      return false;
    }
  }

  issue(reasoningId: string | undefined, callItemIds: string[]): void {
    if (reasoningId) this.issued.add(reasoningId);
    for (const id of callItemIds) if (reasoningId) this.reasoningOf.set(id, reasoningId);
  }

  requiredReasoning(callItemId: string | undefined): string | undefined {
    return callItemId ? this.reasoningOf.get(callItemId) : undefined;
  }

  wasIssued(reasoningId: string): boolean {
    return this.issued.has(reasoningId);
  }

  clear(): void {
    this.reasoningOf.clear();
    this.issued.clear();
  }
}

/** The API's checks on tool items, in input order. */
export function checkToolItems(t: Tooling, state: ToolState): void {
  const calls = new Set<string>();
  const answered = new Set<string>();
  const reasoningSeen = new Set<string>();
  for (const seen of t.items) {
    if (seen.type === 'reasoning') {
      const id = seen.id!;
      const encrypted = seen.encrypted;
      if (encrypted !== undefined && !state.decrypts(id, encrypted)) {
        throw new HttpFailure(400, 'invalid_encrypted_content', `The encrypted content for item ${id} could not be verified.`, 'input');
      }
      if (encrypted === undefined && (!t.store || !state.wasIssued(id))) {
        throw new HttpFailure(404, 'not_found_error', `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`, 'input');
      }
      reasoningSeen.add(id);
    } else if (seen.type === 'function_call') {
      const needed = state.requiredReasoning(seen.id);
      if (needed && !reasoningSeen.has(needed)) {
        throw new HttpFailure(400, 'invalid_request_error', `Item '${seen.id}' of type 'function_call' was provided without its required 'reasoning' item: '${needed}'.`, 'input');
      }
      calls.add(seen.call_id!);
    } else {
      if (!calls.has(seen.call_id!)) {
        throw new HttpFailure(400, 'invalid_request_error', `No tool call found for function call output with call_id ${seen.call_id}.`, 'input');
      }
      answered.add(seen.call_id!);
    }
  }
  for (const id of calls) {
    if (!answered.has(id)) throw new HttpFailure(400, 'invalid_request_error', `No tool output found for function call ${id}.`, 'input');
  }
}

export interface PlannedCall {
  name: string;
  arguments: string;
}

const MARKER = /\[\[tool:([a-zA-Z0-9_-]+)(\s+\{[\s\S]*?\})?\]\]/g;

/** The calls the stand-in's model makes for this request, or [] to answer in text. */
export function plannedCalls(t: Tooling, lastUserText: string): PlannedCall[] {
  if (!t.tools.length || t.toolChoice === 'none' || t.last !== 'message') return [];
  const offered = new Set(t.tools.map((x) => x.name));
  const marked = [...lastUserText.matchAll(MARKER)]
    .filter((m) => offered.has(m[1]))
    .map((m) => ({ name: m[1], arguments: m[2]?.trim() ?? '{}' }));
  const forced = typeof t.toolChoice === 'object' ? t.toolChoice.name : t.toolChoice === 'required' ? t.tools[0].name : undefined;
  if (forced && !marked.some((c) => c.name === forced)) return [{ name: forced, arguments: marked[0]?.arguments ?? '{}' }];
  return marked;
}

/** The text answer after a tool result: it quotes what the tool returned. */
export function toolResultText(t: Tooling, req: Pick<AnswerRequest, 'model' | 'region'>): string | undefined {
  if (t.last !== 'function_call_output') return undefined;
  const output = t.items.filter((i) => i.type === 'function_call_output').at(-1)!;
  const call = t.items.find((i) => i.type === 'function_call' && i.call_id === output.call_id);
  const quote = (output.output ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${req.model} in ${req.region} read the result of ${call?.name ?? 'the tool'}: "${quote}"`;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** Splits arguments JSON into a few deltas, as the service streams them. */
function argumentDeltas(text: string): string[] {
  const size = Math.max(4, Math.ceil(text.length / 4));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

export interface ToolAnswer {
  answer: Answer;
  events: StreamEvent[];
  body: Record<string, unknown>;
}

/** An answer that ends in function calls: the reasoning item (encrypted content when included), then one item per call. */
export function toolCallAnswer(req: AnswerRequest, cachedTokens: number, calls: PlannedCall[], t: Tooling, state: ToolState): ToolAnswer {
  const answer = planAnswer({ ...req, text: calls.map((c) => c.name + c.arguments).join('') }, cachedTokens);
  const reasoning =
    answer.reasoningTokens > 0
      ? { id: answer.reasoningId, type: 'reasoning', summary: [], ...(t.include.includes('reasoning.encrypted_content') && { encrypted_content: state.encrypt(answer.reasoningId) }) }
      : undefined;
  const items = calls.map((c) => ({ id: newId('fc'), type: 'function_call', call_id: newId('call'), name: c.name, arguments: c.arguments }));
  state.issue(reasoning?.id, items.map((i) => i.id));
  const output = [...(reasoning ? [reasoning] : []), ...items.map((i) => ({ ...i, status: 'completed' }))];
  const echo = { tools: t.tools.map((x) => ({ type: 'function', ...x, strict: false })), tool_choice: t.toolChoice, store: t.store };
  const response = (status: 'in_progress' | 'completed') => ({ ...responseObject(answer, status), ...echo, output: status === 'completed' ? output : [] });
  const events: StreamEvent[] = [
    { type: 'response.created', response: response('in_progress') },
    { type: 'response.in_progress', response: response('in_progress') },
  ];
  let index = 0;
  if (reasoning) {
    events.push({ type: 'response.output_item.added', output_index: index, item: { id: reasoning.id, type: 'reasoning', summary: [] } });
    events.push({ type: 'response.output_item.done', output_index: index++, item: reasoning });
  }
  for (const item of items) {
    const at = { item_id: item.id, output_index: index };
    events.push({ type: 'response.output_item.added', output_index: index, item: { ...item, arguments: '', status: 'in_progress' } });
    for (const delta of argumentDeltas(item.arguments)) events.push({ type: 'response.function_call_arguments.delta', ...at, delta });
    events.push({ type: 'response.function_call_arguments.done', ...at, name: item.name, arguments: item.arguments });
    events.push({ type: 'response.output_item.done', output_index: index++, item: { ...item, status: 'completed' } });
  }
  events.push({ type: 'response.completed', response: response('completed') });
  return { answer, events, body: response('completed') };
}
