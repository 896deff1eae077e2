/**
 * Before a question leaves the machine: is it too large for the model, or large enough that the user should
 * see its price first? And, after the fact, the conversation as a Markdown document.
 *
 * SDK-free (only models.ts, cost.ts and codeBlock.ts), so the extension may import it statically.
 */
import { fenceFor, infoString, lineRange } from './codeBlock';
import { costOf, formatDollars } from './cost';
import { modelInfo } from './models';
import type { Usage } from './types';

/** Above this many (estimated) input tokens the user confirms the estimated cost before sending. */
export const CONFIRM_ABOVE_TOKENS = 20_000;

/** Tokens we count for the framing around the question (roles, the developer prompt's boilerplate). */
const FRAMING_TOKENS = 64;

/**
 * Han ideographs, kana, Hangul, CJK punctuation and full-width forms. In the o200k tokenizer such a character
 * is roughly one token (often less for common Han, more for rare ones); counting one each keeps the estimate
 * on the safe side for Japanese, Chinese and Korean text, which chars/4 would underestimate about fourfold.
 */
const WIDE = /[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[\u{20000}-\u{3134f}]/gu;

/**
 * A documented heuristic, not a tokenizer: about four characters per token for Latin text and code (the
 * usual rule of thumb for GPT tokenizers), plus one token per CJK character. Good to within a few tens of
 * percent, which is all a budget check needs; the exact count comes back in the answer's usage.
 */
export function estimateTokens(text: string | undefined): number {
  if (!text) return 0;
  let wide = 0;
  let wideLength = 0;
  for (const m of text.matchAll(WIDE)) {
    wide += 1;
    wideLength += m[0].length;
  }
  const rest = text.length - wideLength;
  return wide + Math.ceil(rest / 4);
}

export interface BudgetInput {
  model: string;
  /** The question, the developer prompt and any earlier turns sent as history. */
  promptText: string;
  /** The code sent with the question (with its framing, if known). */
  code?: string;
  /** Tokens reserved for the answer (the model's own maximum when unset). */
  maxOutputTokens?: number;
  /** Override for the confirmation threshold (tests, settings). */
  confirmAboveTokens?: number;
}

export type BudgetVerdict =
  | { kind: 'ok'; estimatedTokens: number }
  /** Large but legal: ask the user first. `priceKnown` is false for custom model ids (dollars are then 0). */
  | { kind: 'confirm'; estimatedTokens: number; estimatedDollars: number; priceKnown: boolean }
  /** More than the model's context minus the tokens reserved for the answer: never sent. */
  | { kind: 'refuse'; estimatedTokens: number; limit: number };

export function checkBudget(input: BudgetInput): BudgetVerdict {
  const estimatedTokens = FRAMING_TOKENS + estimateTokens(input.promptText) + estimateTokens(input.code);
  const info = modelInfo(input.model);
  if (info) {
    const reserved = Math.min(input.maxOutputTokens ?? info.maxOutputTokens, info.maxOutputTokens);
    const limit = Math.max(0, info.contextTokens - reserved);
    if (estimatedTokens > limit) return { kind: 'refuse', estimatedTokens, limit };
  }
  // A custom model id: its context is unknown, so the service is the judge of "too large".
  if (estimatedTokens > (input.confirmAboveTokens ?? CONFIRM_ABOVE_TOKENS)) {
    const usage: Usage = { inputTokens: estimatedTokens, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: estimatedTokens };
    const { dollars, known } = costOf(usage, input.model);
    return { kind: 'confirm', estimatedTokens, estimatedDollars: known ? dollars : 0, priceKnown: known };
  }
  return { kind: 'ok', estimatedTokens };
}

// ---------------------------------------------------------------------------------------------------------
// Export

/**
 * What the export needs of a turn. The chat panel's `ChatTurn` (src/shared/protocol.ts) satisfies it as it is;
 * declared here so the core does not depend on the protocol.
 */
export interface ExportedCode {
  text: string;
  languageId?: string;
  fileName?: string;
  /** 1-based, inclusive. */
  startLine?: number;
  endLine?: number;
}

export interface ExportedTurn {
  question: string;
  code?: ExportedCode;
  model: string;
  region: string;
  effort?: string;
  answer: string;
  /** The reasoning summary, '' or absent when the model sent none. */
  reasoning?: string;
  usage?: { usage: Usage; dollars: number; costKnown?: boolean; firstTokenMs?: number; totalMs?: number };
  status: 'streaming' | 'done' | 'stopped' | 'error';
  /** explainError's message when status is 'error'. */
  error?: { message: string };
}

export interface ExportedConversation {
  title?: string;
  turns: readonly ExportedTurn[];
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function codeHeading(code: ExportedCode): string {
  const where = code.fileName ?? 'code';
  const range = lineRange(code.startLine, code.endLine);
  return range ? `${where}, ${range}` : where;
}

/** The conversation as a standalone Markdown document: questions, the code they were about, answers, usage. */
export function exportMarkdown(conversation: ExportedConversation, now: Date = new Date()): string {
  const out: string[] = [];
  out.push(`# ${conversation.title?.trim() || 'Bedrock GPT conversation'}`, '');
  out.push(`_Exported ${now.toISOString()}_`, '');
  let total = 0;
  let totalKnown = false;
  conversation.turns.forEach((turn, i) => {
    out.push(`## ${i + 1}. ${firstLine(turn.question)}`, '');
    const settings = [`Model: \`${turn.model}\``, `Region: \`${turn.region}\``];
    if (turn.effort) settings.push(`Effort: \`${turn.effort}\``);
    out.push(settings.join(' · '), '');
    out.push('### Question', '', turn.question, '');
    if (turn.code) {
      const fence = fenceFor(turn.code.text);
      out.push(`**${codeHeading(turn.code)}**`, '', `${fence}${infoString(turn.code.languageId)}`, turn.code.text.replace(/\n$/, ''), fence, '');
    }
    if (turn.reasoning) {
      out.push('<details><summary>Reasoning summary</summary>', '', turn.reasoning, '', '</details>', '');
    }
    out.push('### Answer', '');
    if (turn.answer) out.push(turn.answer, '');
    switch (turn.status) {
      case 'done':
        break;
      case 'streaming':
        out.push('_(the answer was still arriving when this was exported)_', '');
        break;
      case 'stopped':
        out.push('_(stopped)_', '');
        break;
      case 'error':
        out.push(`> **Error:** ${turn.error?.message ?? 'The request failed.'}`, '');
        break;
      default: {
        const never: never = turn.status;
        throw new Error(`unknown status ${String(never)}`);
      }
    }
    const facts: string[] = [];
    if (turn.usage) {
      const { usage: u, dollars, costKnown, firstTokenMs, totalMs } = turn.usage;
      facts.push(`input ${u.inputTokens} (cached ${u.cachedInputTokens})`, `output ${u.outputTokens} (reasoning ${u.reasoningTokens})`);
      if (costKnown === false) {
        facts.push('cost unknown');
      } else {
        facts.push(formatDollars(dollars));
        total += dollars;
        totalKnown = true;
      }
      if (firstTokenMs !== undefined) facts.push(`first token ${formatSeconds(firstTokenMs)}`);
      if (totalMs !== undefined) facts.push(`total ${formatSeconds(totalMs)}`);
    }
    if (facts.length) out.push(`_Usage: ${facts.join(' · ')}_`, '');
  });
  if (totalKnown) out.push('---', '', `Session total: ${formatDollars(total)}`, '');
  return out.join('\n');
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line || '(empty question)';
}
