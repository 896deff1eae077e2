/**
 * One question to GPT on Bedrock through the Responses API: builds the input (developer instructions, earlier
 * turns, the question with its code) and turns the SDK's stream into a few plain events. Cancellation is
 * immediate (abortRace).
 */
import { APIError, type OpenAI } from 'openai';
import { abortRace, within } from './abortRace';
import { fenceFor, infoString, lineRange } from './codeBlock';
import { unwrapTokenProviderError } from './errors';
import { AskCancelledError, StreamError } from './failures';
import type { ReasoningEffort, Usage } from './types';

type Responses = OpenAI.Responses.Response;

export interface CodeContext {
  code: string;
  languageId?: string;
  fileName?: string;
  startLine?: number;
  endLine?: number;
}

export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface AskOptions {
  model: string;
  effort?: ReasoningEffort;
  instructions?: string;
  prompt: string;
  code?: CodeContext;
  /** Earlier turns of this conversation, oldest first, as sent and received (see userMessage). */
  history?: ConversationTurn[];
  maxOutputTokens?: number;
  /** Sent as `prompt_cache_key`: one per conversation, so its requests, which share a prefix, share a cache. */
  promptCacheKey?: string;
  reasoningSummary?: 'auto' | 'concise' | 'detailed';
  /** Default true. */
  stream?: boolean;
  /** Streamed: the most time until the stream opens (token, retries and headers included); 0 or absent: no bound. */
  firstByteTimeoutMs?: number;
  /** Streamed: the most time between two events once the stream is open; 0 or absent: no bound. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export type AskEvent =
  | { type: 'text'; delta: string }
  | { type: 'reasoning'; delta: string }
  | { type: 'completed'; responseId: string; model: string; text: string; usage: Usage; raw: unknown };

export type InputMessage = { role: 'developer' | 'user' | 'assistant'; content: string };

/** `From src/app.ts, lines 10–24:` — whatever of file and range is known. */
function codeLabel(c: CodeContext): string | undefined {
  const range = lineRange(c.startLine, c.endLine);
  if (c.fileName) return range ? `From ${c.fileName}, ${range}:` : `From ${c.fileName}:`;
  return range ? `${range[0].toUpperCase()}${range.slice(1)}:` : undefined;
}

/** The user message as sent: the prompt, then the code in a fenced block labelled with file and lines. */
export function userMessage(prompt: string, code?: CodeContext): string {
  if (!code) return prompt;
  const fence = fenceFor(code.code);
  const info = infoString(code.languageId);
  const body = code.code.endsWith('\n') ? code.code : `${code.code}\n`;
  const label = codeLabel(code);
  return [prompt.trim(), [label, `${fence}${info}\n${body}${fence}`].filter(Boolean).join('\n')].filter(Boolean).join('\n\n');
}

export function buildInput(o: AskOptions): InputMessage[] {
  return [
    ...(o.instructions?.trim() ? [{ role: 'developer' as const, content: o.instructions }] : []),
    ...(o.history ?? []).map((t) => ({ role: t.role, content: t.content })),
    { role: 'user', content: userMessage(o.prompt, o.code) },
  ];
}

export function usageOf(u: Responses['usage'] | undefined): Usage {
  const inputTokens = u?.input_tokens ?? 0;
  const outputTokens = u?.output_tokens ?? 0;
  return {
    inputTokens,
    cachedInputTokens: u?.input_tokens_details?.cached_tokens ?? 0,
    outputTokens,
    reasoningTokens: u?.output_tokens_details?.reasoning_tokens ?? 0,
    totalTokens: u?.total_tokens ?? inputTokens + outputTokens,
  };
}

function outputTextOf(r: Responses): string {
  if (typeof r.output_text === 'string') return r.output_text;
  return r.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

function completedEvent(r: Responses, text: string): AskEvent {
  return { type: 'completed', responseId: r.id, model: r.model, text, usage: usageOf(r.usage), raw: r };
}

function failedError(code: string | null | undefined, message: string | undefined): StreamError {
  const detail = (message ?? 'no details given').trim().replace(/\.+$/, '');
  return new StreamError(`The model stopped with an error${code ? ` (${code})` : ''}: ${detail}.`, 'failed', code ?? undefined);
}

function incompleteError(r: Responses): StreamError {
  const reason = r.incomplete_details?.reason ?? undefined;
  const why = reason === 'max_output_tokens' ? 'it reached the maximum output tokens' : reason ? `reason: ${reason}` : 'no reason given';
  return new StreamError(`The answer is incomplete (${why}); the text so far is kept.`, 'incomplete', reason);
}

/**
 * The events that end a stream: `response.completed` gives the final response; `response.incomplete`,
 * `response.failed` and `error` throw a StreamError that says why. Any other event gives undefined.
 */
export function streamEnd(event: OpenAI.Responses.ResponseStreamEvent): Responses | undefined {
  switch (event.type) {
    case 'response.completed':
      return event.response;
    case 'response.incomplete':
      throw incompleteError(event.response);
    case 'response.failed':
      throw failedError(event.response.error?.code, event.response.error?.message);
    case 'error':
      throw failedError(event.code, event.message);
    default:
      return undefined;
  }
}

/** Errors met while reading an open stream: JSON that does not parse, an error object, or a dropped connection. */
export function streamFailure(err: unknown): unknown {
  if (err instanceof StreamError) return err;
  if (err instanceof SyntaxError) return new StreamError('The service sent a stream event that could not be read (invalid JSON).', 'malformed');
  if (err instanceof APIError && err.status === undefined) return failedError(err.code, (err.error as { message?: string } | undefined)?.message ?? err.message);
  if (err instanceof APIError) return err;
  return new StreamError('The connection closed before the answer was complete.', 'cut');
}

/** A bound was reached; the request is ended by ask()'s `finally` (abort.dispose). */
function timeoutError(kind: 'first-byte-timeout' | 'stalled', ms = 0): StreamError {
  const seconds = Math.round(ms / 1000);
  return kind === 'stalled'
    ? new StreamError(`The answer stream sent nothing for ${seconds} s and was stopped; the text so far is kept.`, 'stalled', undefined, seconds)
    : new StreamError(`No answer began within ${seconds} s; the request was stopped.`, 'first-byte-timeout', undefined, seconds);
}

export async function* ask(client: Pick<OpenAI, 'responses'>, o: AskOptions): AsyncGenerator<AskEvent> {
  const signal = o.signal;
  const abort = abortRace(signal);
  const race = abort.race;

  const body = {
    model: o.model,
    input: buildInput(o),
    ...(o.effort || o.reasoningSummary ? { reasoning: { ...(o.effort && { effort: o.effort }), ...(o.reasoningSummary && { summary: o.reasoningSummary }) } } : {}),
    ...(o.maxOutputTokens !== undefined && { max_output_tokens: o.maxOutputTokens }),
    ...(o.promptCacheKey && { prompt_cache_key: o.promptCacheKey }),
  };
  let opened = false;
  try {
    if (o.stream === false) {
      const response = await race(client.responses.create({ ...body, stream: false }, { signal: abort.signal }));
      const text = outputTextOf(response);
      if (text) yield { type: 'text', delta: text };
      if (signal?.aborted) throw new AskCancelledError();
      if (response.status === 'failed') throw failedError(response.error?.code, response.error?.message);
      if (response.status === 'incomplete') throw incompleteError(response);
      yield completedEvent(response, text);
      return;
    }
    const stream = await within(race(client.responses.create({ ...body, stream: true }, { signal: abort.signal })), o.firstByteTimeoutMs, () =>
      timeoutError('first-byte-timeout', o.firstByteTimeoutMs),
    );
    opened = true;
    const events = stream[Symbol.asyncIterator]();
    let text = '';
    let completed: Responses | undefined;
    for (;;) {
      const next = await within(race(events.next()), o.idleTimeoutMs, () => timeoutError('stalled', o.idleTimeoutMs));
      if (next.done) break;
      const event = next.value;
      switch (event.type) {
        case 'response.output_text.delta':
          text += event.delta;
          yield { type: 'text', delta: event.delta };
          break;
        case 'response.reasoning_summary_text.delta':
          yield { type: 'reasoning', delta: event.delta };
          break;
        default:
          completed = streamEnd(event) ?? completed;
      }
      if (signal?.aborted) throw new AskCancelledError();
    }
    if (signal?.aborted) throw new AskCancelledError();
    if (!completed) throw new StreamError('The stream ended before the answer was complete.', 'cut');
    yield completedEvent(completed, text || outputTextOf(completed));
  } catch (err) {
    if (signal?.aborted || err instanceof AskCancelledError) throw new AskCancelledError();
    if (opened) throw streamFailure(err);
    if (err instanceof SyntaxError) throw streamFailure(err); // a non-streamed body that is not JSON
    throw unwrapTokenProviderError(err);
  } finally {
    abort.dispose(); // ends the HTTP request if the caller stopped iterating early; a no-op once complete
  }
}
