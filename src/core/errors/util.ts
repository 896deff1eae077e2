/** Reading an unknown error: its name, its first line, the server's words, the endpoint's host. */
import { displayName } from '../models';
import { redact } from '../redact';
import type { ErrorContext } from './types';

export type Bag = Record<string, unknown>;

export function isObject(v: unknown): v is Bag {
  return typeof v === 'object' && v !== null;
}

/** "GPT-5.5 (openai.gpt-5.5)" for a known id; a custom id as it is. */
export function describeModel(model: string): string {
  const label = displayName(model);
  return label === model ? model : `${label} (${model})`;
}

export function nameOf(err: unknown): string {
  if (!isObject(err)) return '';
  const own = typeof err.name === 'string' && err.name !== 'Error' ? err.name : '';
  return own || (err.constructor as { name?: string } | undefined)?.name || '';
}

/** The server's own words: openai keeps the body's `error.message`; its `message` adds a "404 " prefix. */
export function serverMessage(o: Bag, fallback: string): string {
  if (isObject(o.error) && typeof o.error.message === 'string') return clean(o.error.message);
  return clean(fallback.replace(/^\d{3}\s+/, '').replace(/^status code \(no body\)$/, ''));
}

export function firstLine(err: unknown): string {
  const text = err instanceof Error || (isObject(err) && typeof err.message === 'string') ? String((err as { message: unknown }).message) : String(err ?? '');
  return clean(text);
}

/**
 * First non-empty line, no stack frames, bounded length. Redacted before it is cut: a secret cut in half no longer
 * looks like one (a `Bearer` value shorter than redact() recognises), so cutting first could keep half of it.
 */
export function clean(text: string): string {
  const line = redact(text.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !/^at\s/.test(l)) ?? '');
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

export function host(ctx: ErrorContext): string | undefined {
  if (!ctx.endpoint) return ctx.region ? `bedrock-mantle.${ctx.region}.api.aws` : undefined;
  try {
    return new URL(ctx.endpoint.replace('{region}', ctx.region ?? 'region')).host;
  } catch {
    return undefined;
  }
}
