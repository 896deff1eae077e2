/**
 * What the status bar should say about the token: its state, the endpoint's last answer and the clock decide the
 * icon, the headline and whether to warn. Words are the front end's: the headline is a kind, which
 * src/vscode/statusBar.ts words through vscode.l10n and paints.
 */
import type { TokenState } from './tokenService';

/** The endpoint's answer to a token (asked on an explicit refresh; shown by the status bar). */
export type EndpointCheck =
  | { ok: true; at: number; region: string; model: string; servesModel: boolean }
  | { ok: false; at: number; region: string; model: string; error: unknown };

export type StatusIcon = 'key' | 'sync~spin' | 'watch' | 'circle-slash' | 'warning';

export type StatusHeadline =
  | { kind: 'none' }
  | { kind: 'refreshing' }
  | { kind: 'apiKey' }
  | { kind: 'expired' }
  | { kind: 'expiringSoon' }
  | { kind: 'valid'; cappedByCredentials: boolean; accepted?: { region: string; at: number } }
  | { kind: 'refused'; at: number; error: unknown }
  | { kind: 'notListed'; region: string; at: number }
  | { kind: 'error'; error: unknown; message: string };

export interface TokenStatus {
  icon: StatusIcon;
  /** What follows the model's name in the item: the time left, "expired", "error", or nothing. */
  suffix: { kind: 'timeLeft'; text: string } | { kind: 'expired' } | { kind: 'error' } | undefined;
  headline: StatusHeadline;
  /** The warning background. */
  warning: boolean;
  /** When the token expires or expired, if that is known. */
  expiry: number | undefined;
  /** The next moment the status changes by the clock alone (expiring soon, expired): repaint then. */
  changesAt: number | undefined;
}

export interface TokenStatusInput {
  state: TokenState;
  check: EndpointCheck | undefined;
  now: number;
  /** From this long before expiry the token shows as expiring soon. */
  marginMs: number;
}

export function tokenStatus({ state, check, now, marginMs }: TokenStatusInput): TokenStatus {
  switch (state.kind) {
    case 'none':
      return plain('key', undefined, { kind: 'none' });
    case 'refreshing':
      return plain('sync~spin', undefined, { kind: 'refreshing' });
    case 'expired':
      return { ...plain('circle-slash', { kind: 'expired' }, { kind: 'expired' }), expiry: state.expiredAt };
    case 'error':
      return { icon: 'warning', suffix: { kind: 'error' }, headline: { kind: 'error', error: state.error, message: state.message }, warning: true, expiry: undefined, changesAt: undefined };
    case 'valid':
      break;
  }
  // A long-term API key: its expiry is not known here.
  if (state.expiresAt === undefined) return plain('key', undefined, { kind: 'apiKey' });
  const left = state.expiresAt - now;
  let status: TokenStatus;
  if (left <= 0) status = plain('circle-slash', { kind: 'expired' }, { kind: 'expired' });
  else if (left <= marginMs) status = plain('watch', { kind: 'timeLeft', text: formatDuration(left) }, { kind: 'expiringSoon' });
  else status = plain('key', { kind: 'timeLeft', text: formatDuration(left) }, { kind: 'valid', cappedByCredentials: state.cappedByCredentials });
  status.expiry = state.expiresAt;
  status.changesAt = left > marginMs ? state.expiresAt - marginMs : left > 0 ? state.expiresAt : undefined;
  if (!check) return status;
  // The endpoint's answer outranks the clock: its warning replaces the leading icon and the headline.
  if (!check.ok) return { ...status, icon: 'warning', warning: true, headline: { kind: 'refused', at: check.at, error: check.error } };
  if (!check.servesModel) return { ...status, icon: 'warning', warning: true, headline: { kind: 'notListed', region: check.region, at: check.at } };
  if (status.headline.kind === 'valid') status.headline.accepted = { region: check.region, at: check.at };
  return status;
}

function plain(icon: StatusIcon, suffix: TokenStatus['suffix'], headline: StatusHeadline): TokenStatus {
  return { icon, suffix, headline, warning: false, expiry: undefined, changesAt: undefined };
}

/** `11h 42m`, `42m`, `<1m`: the status bar is re-rendered once a minute, so seconds would be stale. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '<1m';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}h ${m}m` : `${m}m`;
}
