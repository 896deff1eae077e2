/** The header's session total: this chat's tokens and dollars, what VS Code's Chat spent, what caching saved. */
import { formatDollars } from '../core/cost';
import { format, type ChatTurn, type SpentElsewhere, type UiStrings } from '../shared/protocol';

export function sessionTotal(turns: readonly ChatTurn[], other: SpentElsewhere, s: UiStrings): { text: string; title: string } {
  let tokens = 0;
  let dollars = 0;
  let saved = 0;
  for (const turn of turns) {
    tokens += turn.usage?.usage.totalTokens ?? 0;
    dollars += turn.usage?.dollars ?? 0;
    saved += turn.usage?.savedDollars ?? 0;
  }
  const total = format(s.sessionTotal, (tokens + other.tokens).toLocaleString('en-US'), formatDollars(dollars + other.dollars));
  return {
    text: saved > 0 ? `${total} · ${format(s.sessionSaved, formatDollars(saved))}` : total,
    title: other.tokens ? format(s.sessionTotalDetail, formatDollars(dollars), formatDollars(other.dollars)) : '',
  };
}
