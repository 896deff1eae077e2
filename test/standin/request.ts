/**
 * What the stand-in reads from a Responses API request (`POST .../responses`), checked as OpenAI checks it, and
 * the refusals of a request it cannot serve (unknown model, unsupported effort, input over the context window).
 */
import type { InputMessage } from './answer';
import { DEFAULT_EFFORT } from './catalog';
import { HttpFailure } from './httpFailure';
import { isToolItem, parseTooling, type Tooling } from './tools';
import type { RecordedRequest } from './server';

const SUMMARY_MODES = ['auto', 'concise', 'detailed'];
const ROLES = ['developer', 'system', 'user', 'assistant'];

function textOf(content: unknown, index: number): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: { type?: string; text?: unknown }) => {
        if (typeof part?.text !== 'string') throw new HttpFailure(400, 'invalid_value', `Invalid content part in input[${index}]: expected {type: 'input_text', text}.`, `input[${index}].content`);
        return part.text;
      })
      .join('');
  }
  throw new HttpFailure(400, 'invalid_type', `Invalid type for 'input[${index}].content': expected a string or an array of content parts.`, `input[${index}].content`);
}

function normaliseInput(input: unknown): InputMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw new HttpFailure(400, 'missing_required_parameter', "Missing required parameter: 'input'.", 'input');
  return input.flatMap((item: { role?: unknown; content?: unknown }, i) => {
    if (isToolItem(item)) return [];
    if (typeof item?.role !== 'string' || !ROLES.includes(item.role)) {
      throw new HttpFailure(400, 'invalid_value', `Invalid value for 'input[${i}].role': expected one of ${ROLES.join(', ')}.`, `input[${i}].role`);
    }
    return [{ role: item.role, content: textOf(item.content, i) }];
  });
}
export interface ParsedRequest {
  model: string;
  effort: string;
  summary: string | null;
  instructions: string | null;
  maxOutputTokens: number | null;
  promptCacheKey: string | null;
  stream: boolean;
  messages: InputMessage[];
  tooling: Tooling;
}

export function parseResponsesBody(raw: string, record: RecordedRequest): ParsedRequest {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpFailure(400, 'invalid_json', 'We could not parse the JSON body of your request.');
  }
  if (!body || typeof body !== 'object') throw new HttpFailure(400, 'invalid_json', 'The request body must be a JSON object.');
  const reasoning = (body.reasoning ?? {}) as { effort?: unknown; summary?: unknown };
  record.model = typeof body.model === 'string' ? body.model : undefined;
  record.stream = body.stream === true;
  record.effort = typeof reasoning.effort === 'string' ? reasoning.effort : undefined;
  record.reasoningSummary = typeof reasoning.summary === 'string' ? reasoning.summary : null;
  record.instructions = typeof body.instructions === 'string' ? body.instructions : null;
  record.maxOutputTokens = typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null;
  record.promptCacheKey = typeof body.prompt_cache_key === 'string' ? body.prompt_cache_key : null;
  if (body.prompt_cache_key !== undefined && body.prompt_cache_key !== null && typeof body.prompt_cache_key !== 'string') {
    throw new HttpFailure(400, 'invalid_type', "Invalid type for 'prompt_cache_key': expected a string.", 'prompt_cache_key');
  }
  if (typeof body.model !== 'string' || !body.model) throw new HttpFailure(400, 'missing_required_parameter', "Missing required parameter: 'model'.", 'model');
  record.input = normaliseInput(body.input);
  const tooling = parseTooling(body);
  Object.assign(record, { tools: tooling.tools.map((t) => t.name), toolChoice: tooling.toolChoice, include: tooling.include, store: tooling.store, items: tooling.items });
  if (body.max_output_tokens !== undefined && body.max_output_tokens !== null) {
    if (!Number.isInteger(body.max_output_tokens) || (body.max_output_tokens as number) < 16) {
      throw new HttpFailure(400, 'integer_below_min_value', "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16.", 'max_output_tokens');
    }
  }
  if (reasoning.summary != null && !SUMMARY_MODES.includes(reasoning.summary as string)) {
    throw new HttpFailure(400, 'invalid_value', `Invalid value for 'reasoning.summary': expected one of ${SUMMARY_MODES.join(', ')}.`, 'reasoning.summary');
  }
  return {
    model: body.model,
    effort: record.effort ?? DEFAULT_EFFORT,
    summary: record.reasoningSummary ?? null,
    instructions: record.instructions ?? null,
    maxOutputTokens: record.maxOutputTokens ?? null,
    promptCacheKey: record.promptCacheKey ?? null,
    stream: record.stream,
    messages: record.input,
    tooling,
  };
}

/** OpenAI's answer to an input larger than the model's context window. */
export function contextExceeded(): HttpFailure {
  return new HttpFailure(400, 'context_length_exceeded', 'Your input exceeds the context window of this model. Please adjust your input and try again.', 'input');
}

export function unsupportedEffort(effort: string, accepted: string[]): HttpFailure {
  const list = accepted.map((e) => `'${e}'`).join(', ');
  return new HttpFailure(400, 'unsupported_value', `Unsupported value: 'reasoning.effort' does not support '${effort}' with this model. Supported values are: ${list}.`, 'reasoning.effort');
}

export function modelNotFound(model: string): HttpFailure {
  // The body the seed's users saw for GPT-5.5 in us-west-2.
  return new HttpFailure(404, 'not_found_error', `The model '${model}' does not exist`, 'model');
}
