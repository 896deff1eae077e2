/** The conversation as a standalone Markdown document (the Export command). SDK-free. */
import { fenceFor, infoString, lineRange } from './codeBlock';
import { contextLabel } from './contextItems';
import { formatDollars } from './cost';
import type { Usage } from './types';

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
  /** The `@` items sent with the question: listed by path and lines (their text is in the files). */
  context?: ReadonlyArray<{ kind: 'file' | 'problems'; path: string; startLine?: number; endLine?: number }>;
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
    if (turn.context?.length) out.push(`Context: ${turn.context.map((c) => `\`${contextLabel(c)}\``).join(', ')}`, '');
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
