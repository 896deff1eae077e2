/** What an answer cost, from its usage and the price table in models.ts. No SDK imports. */
import { displayName, modelInfo } from './models';
import type { Usage } from './types';

const PER_TOKEN = 1 / 1_000_000;

/**
 * Uncached input × input price + cached input × cached price + output × output price. Output already
 * includes reasoning tokens (that is how they are billed). A custom model has no price: `known: false`.
 */
export function costOf(usage: Usage, modelId: string): { dollars: number; known: boolean } {
  const price = modelInfo(modelId)?.price;
  if (!price) return { dollars: 0, known: false };
  const cached = Math.min(Math.max(usage.cachedInputTokens, 0), usage.inputTokens);
  const uncached = Math.max(usage.inputTokens - cached, 0);
  const dollars =
    (uncached * price.inputPerMTok + cached * price.cachedInputPerMTok + usage.outputTokens * price.outputPerMTok) *
    PER_TOKEN;
  return { dollars, known: true };
}

/**
 * What prompt caching saved on this answer: the cached input tokens at the input price minus what they cost at
 * the cached price. 0 for a model without a known price.
 */
export function cacheSavings(usage: Usage, modelId: string): number {
  const price = modelInfo(modelId)?.price;
  if (!price) return 0;
  const cached = Math.min(Math.max(usage.cachedInputTokens, 0), usage.inputTokens);
  return cached * (price.inputPerMTok - price.cachedInputPerMTok) * PER_TOKEN;
}

/** $1.23 from a dollar up; below that 4 significant digits without trailing zeros ($0.0012, $0.1177). */
export function formatDollars(n: number): string {
  if (!Number.isFinite(n)) return '$?';
  const sign = n < 0 ? '-' : '';
  const v = Math.abs(n);
  if (v === 0) return '$0.00';
  if (v >= 1) return `${sign}$${v.toFixed(2)}`;
  // toFixed rather than toPrecision, which switches to exponent notation below 1e-6.
  const decimals = Math.min(3 - Math.floor(Math.log10(v)), 20);
  let s = v.toFixed(decimals).replace(/0+$/, '');
  const kept = s.split('.')[1]?.length ?? 0;
  if (kept < 2) s = v.toFixed(2);
  return `${sign}$${s}`;
}

/** The CLI's usage line on stderr: `GPT-5.5 · 43 input tokens · 34 output (16 reasoning) · 77 total · $0.001177`. */
export function formatUsage(usage: Usage, modelId?: string): string {
  const parts: string[] = [];
  if (modelId) parts.push(displayName(modelId));
  parts.push(usage.cachedInputTokens > 0 ? `${usage.inputTokens} input tokens (${usage.cachedInputTokens} cached)` : `${usage.inputTokens} input tokens`);
  parts.push(`${usage.outputTokens} output (${usage.reasoningTokens} reasoning)`);
  parts.push(`${usage.totalTokens} total`);
  if (modelId) {
    const cost = costOf(usage, modelId);
    parts.push(cost.known ? formatDollars(cost.dollars) : 'cost unknown');
  }
  return parts.join(' · ');
}
