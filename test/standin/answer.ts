/**
 * The stand-in's "model": a deterministic answer derived from the input, so tests can assert on it, plus the
 * Responses API objects and stream events that carry it (shapes as in the seed article and OpenAI's wire format).
 *
 * Directives in the last user message:
 *   [[words:N]]               append N filler words (benchmarks, long streams to abort)
 *   [[reply]]TEXT[[/reply]]   answer exactly TEXT (e.g. a fenced code block for Insert/Apply tests)
 */
import { createHash, randomBytes } from 'node:crypto';

export interface InputMessage {
  role: string;
  content: string;
}

export interface AnswerRequest {
  model: string;
  region: string;
  effort: string;
  summary: string | null;
  instructions: string | null;
  maxOutputTokens: number | null;
  messages: InputMessage[];
  /** `prompt_cache_key`: requests that share it share a prompt cache. */
  promptCacheKey?: string | null;
  /** The answer's text when another part of the stand-in decided it (tools.ts). */
  text?: string;
}

export interface Usage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface Answer {
  request: AnswerRequest;
  id: string;
  reasoningId: string;
  messageId: string;
  createdAt: number;
  text: string;
  summary: string | null;
  reasoningTokens: number;
  usage: Usage;
  /** max_output_tokens ran out: the text is cut and the response ends `incomplete`. */
  incomplete: boolean;
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
const MAX_FILLER_WORDS = 200_000;
const FILLER = ['bedrock', 'stream', 'token', 'region', 'answer', 'model', 'reasoning', 'delta', 'usage', 'context', 'editor', 'panel'];

/** Roughly OpenAI's rule of thumb: one token per four characters. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Per-message overhead, as chat formats add a few tokens around each message. */
const MESSAGE_OVERHEAD = 4;

function quoteOf(text: string): string {
  return text.replace(/\[\[[^\]]*\]\]/g, '').replace(/\s+/g, ' ').trim().slice(0, 60);
}

function filler(count: number): string {
  const words: string[] = [];
  for (let i = 0; i < Math.min(count, MAX_FILLER_WORDS); i++) {
    const sep = i === 0 ? '' : i % 60 === 0 ? '\n\n' : ' ';
    words.push(sep + FILLER[i % FILLER.length]);
  }
  return words.join('');
}

export function answerText(req: Pick<AnswerRequest, 'model' | 'region' | 'messages' | 'instructions'>): string {
  const users = req.messages.filter((m) => m.role === 'user');
  const last = users.at(-1)?.content ?? '';
  const verbatim = /\[\[reply\]\]([\s\S]*?)\[\[\/reply\]\]/.exec(last);
  if (verbatim) return verbatim[1];
  const quote = quoteOf(last);
  const developer = [req.instructions ?? '', ...req.messages.filter((m) => m.role === 'developer' || m.role === 'system').map((m) => m.content)].join('\n');
  const japanese = JAPANESE.test(last) || JAPANESE.test(developer);
  let text = japanese
    ? `${req.model}（${req.region}）が ${users.length} 回目の質問に回答します:「${quote}」`
    : `${req.model} in ${req.region} answers question ${users.length}: "${quote}"`;
  const words = /\[\[words:(\d+)\]\]/.exec(last);
  if (words) text += '\n\n' + filler(Number(words[1]));
  return text;
}

function reasoningTokensFor(effort: string, textTokens: number): number {
  switch (effort) {
    case 'medium':
      return 8 + Math.ceil(textTokens / 4);
    case 'high':
      return 16 + textTokens;
    case 'xhigh':
      return 32 + 2 * textTokens;
    default: // none, minimal, low: the seed saw reasoning_tokens 0 at low
      return 0;
  }
}

/** Input tokens of `instructions` + messages, and the running total after each, for the prefix cache. */
export function inputTokenSteps(req: Pick<AnswerRequest, 'instructions' | 'messages'>): number[] {
  const parts = [...(req.instructions ? [req.instructions] : []), ...req.messages.map((m) => m.content)];
  const steps: number[] = [];
  let total = 0;
  for (const part of parts) {
    total += estimateTokens(part) + MESSAGE_OVERHEAD;
    steps.push(total);
  }
  return steps;
}

/** OpenAI's documented prompt caching: prompts of 1,024 tokens or more, cache hits in increments of 128 tokens. */
export const CACHE_MIN_TOKENS = 1024;
export const CACHE_INCREMENT = 128;

/** The cached tokens reported for a repeated prefix of `matched` tokens: 0 below the minimum, else 1024 + k·128. */
export function cacheableTokens(matched: number): number {
  if (matched < CACHE_MIN_TOKENS) return 0;
  return CACHE_MIN_TOKENS + Math.floor((matched - CACHE_MIN_TOKENS) / CACHE_INCREMENT) * CACHE_INCREMENT;
}

/**
 * Remembers request prefixes per model and `prompt_cache_key` (the key routes requests to the same cache, so a
 * prefix seen under one key is not found under another), so a follow-up that repeats the earlier turns byte for
 * byte reports cached tokens: the longest prefix already seen, counted at message boundaries and rounded down
 * as the service does (cacheableTokens).
 */
export class PrefixCache {
  private seen = new Set<string>();

  cachedTokens(req: Pick<AnswerRequest, 'model' | 'instructions' | 'messages' | 'promptCacheKey'>): number {
    const steps = inputTokenSteps(req);
    const keys = this.keys(req);
    let matched = 0;
    keys.forEach((key, i) => {
      if (this.seen.has(key)) matched = steps[i];
    });
    keys.forEach((key) => this.seen.add(key));
    return cacheableTokens(matched);
  }

  clear(): void {
    this.seen.clear();
  }

  private keys(req: Pick<AnswerRequest, 'model' | 'instructions' | 'messages' | 'promptCacheKey'>): string[] {
    const parts = [...(req.instructions ? [{ role: 'instructions', content: req.instructions }] : []), ...req.messages];
    const hash = createHash('sha256').update(JSON.stringify([req.model, req.promptCacheKey ?? null]));
    return parts.map((p) => hash.update(JSON.stringify(p)).copy().digest('hex'));
  }
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export function planAnswer(req: AnswerRequest, cachedTokens: number): Answer {
  let text = req.text ?? answerText(req);
  const fullTextTokens = estimateTokens(text);
  let reasoningTokens = reasoningTokensFor(req.effort, fullTextTokens);
  let incomplete = false;
  if (req.maxOutputTokens !== null && reasoningTokens + fullTextTokens > req.maxOutputTokens) {
    incomplete = true;
    reasoningTokens = Math.min(reasoningTokens, req.maxOutputTokens);
    text = text.slice(0, (req.maxOutputTokens - reasoningTokens) * 4);
  }
  const quote = quoteOf(req.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
  const summary =
    req.summary && reasoningTokens > 0
      ? JAPANESE.test(text)
        ? `「${quote}」への答え方を考えました。`
        : `Planning a short answer to "${quote}".`
      : null;
  const inputTokens = inputTokenSteps(req).at(-1) ?? 0;
  const outputTokens = reasoningTokens + estimateTokens(text);
  return {
    request: req,
    id: newId('resp'),
    reasoningId: newId('rs'),
    messageId: newId('msg'),
    createdAt: Math.floor(Date.now() / 1000),
    text,
    summary,
    reasoningTokens,
    incomplete,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: Math.min(cachedTokens, inputTokens) },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: reasoningTokens },
      total_tokens: inputTokens + outputTokens,
    },
  };
}

function reasoningItem(a: Answer, done: boolean) {
  return {
    id: a.reasoningId,
    type: 'reasoning',
    summary: done && a.summary ? [{ type: 'summary_text', text: a.summary }] : [],
  };
}

function messageItem(a: Answer, status: 'in_progress' | 'completed' | 'incomplete') {
  return {
    id: a.messageId,
    type: 'message',
    role: 'assistant',
    status,
    content: status === 'in_progress' ? [] : [{ type: 'output_text', text: a.text, annotations: [], logprobs: [] }],
  };
}

type Status = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The `response` object, as returned by a non-streamed call or carried by stream lifecycle events. */
export function responseObject(a: Answer, status: Status, error: { code: string; message: string } | null = null) {
  const finished = status === 'completed' || status === 'incomplete';
  const output = finished
    ? [...(a.reasoningTokens > 0 ? [reasoningItem(a, true)] : []), messageItem(a, a.incomplete ? 'incomplete' : 'completed')]
    : [];
  return {
    id: a.id,
    object: 'response',
    created_at: a.createdAt,
    status,
    background: false,
    error,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: a.request.instructions,
    max_output_tokens: a.request.maxOutputTokens,
    model: a.request.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: a.request.promptCacheKey ?? null,
    reasoning: { effort: a.request.effort, summary: a.request.summary, context: 'current_turn' },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: finished ? a.usage : null,
    user: null,
    metadata: {},
  };
}

export type StreamEvent = { type: string } & Record<string, unknown>;

/** Splits text into word-sized deltas (each word keeps the whitespace before the next). */
function deltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** Every event of a successful stream in the real order, without sequence numbers (the server adds them). */
export function streamEvents(a: Answer): StreamEvent[] {
  const events: StreamEvent[] = [
    { type: 'response.created', response: responseObject(a, 'in_progress') },
    { type: 'response.in_progress', response: responseObject(a, 'in_progress') },
  ];
  let outputIndex = 0;
  if (a.reasoningTokens > 0) {
    const item = { item_id: a.reasoningId, output_index: outputIndex };
    events.push({ type: 'response.output_item.added', output_index: outputIndex, item: reasoningItem(a, false) });
    if (a.summary) {
      const part = { ...item, summary_index: 0 };
      events.push({ type: 'response.reasoning_summary_part.added', ...part, part: { type: 'summary_text', text: '' } });
      for (const delta of deltas(a.summary)) events.push({ type: 'response.reasoning_summary_text.delta', ...part, delta });
      events.push({ type: 'response.reasoning_summary_text.done', ...part, text: a.summary });
      events.push({ type: 'response.reasoning_summary_part.done', ...part, part: { type: 'summary_text', text: a.summary } });
    }
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item: reasoningItem(a, true) });
    outputIndex++;
  }
  const at = { item_id: a.messageId, output_index: outputIndex, content_index: 0 };
  events.push({ type: 'response.output_item.added', output_index: outputIndex, item: messageItem(a, 'in_progress') });
  events.push({ type: 'response.content_part.added', ...at, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
  for (const delta of deltas(a.text)) events.push({ type: 'response.output_text.delta', ...at, delta, logprobs: [] });
  events.push({ type: 'response.output_text.done', ...at, text: a.text, logprobs: [] });
  events.push({ type: 'response.content_part.done', ...at, part: { type: 'output_text', text: a.text, annotations: [], logprobs: [] } });
  const status = a.incomplete ? 'incomplete' : 'completed';
  events.push({ type: 'response.output_item.done', output_index: outputIndex, item: messageItem(a, status) });
  events.push({ type: `response.${status}`, response: responseObject(a, status) });
  return events;
}
