/**
 * What this session spent, whichever front end asked: the panel's answers and the requests VS Code's chat (or
 * another extension) sent through the language-model provider. One ledger, fed by both, read by the status bar
 * and the panel header. No SDK imports.
 */
import { costOf } from './cost';
import { Emitter } from './events';
import type { Usage } from './types';

export type SpendSource = 'panel' | 'languageModel';

export interface SpendTotal {
  requests: number;
  tokens: number;
  dollars: number;
  /** False when some request used a model without a known price (its dollars are not in the sum). */
  complete: boolean;
}

const empty = (): SpendTotal => ({ requests: 0, tokens: 0, dollars: 0, complete: true });

export class CostLedger {
  private readonly totals: Record<SpendSource, SpendTotal> = { panel: empty(), languageModel: empty() };
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange = this._onDidChange.event;

  add(source: SpendSource, model: string, usage: Usage): void {
    const t = this.totals[source];
    const cost = costOf(usage, model);
    t.requests++;
    t.tokens += usage.totalTokens;
    t.dollars += cost.dollars;
    t.complete &&= cost.known;
    this._onDidChange.fire();
  }

  /** One source's total, or both together. */
  total(source?: SpendSource): SpendTotal {
    if (source) return { ...this.totals[source] };
    const a = this.totals.panel;
    const b = this.totals.languageModel;
    return { requests: a.requests + b.requests, tokens: a.tokens + b.tokens, dollars: a.dollars + b.dollars, complete: a.complete && b.complete };
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}
