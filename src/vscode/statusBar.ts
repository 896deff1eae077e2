import * as vscode from 'vscode';
import { formatDollars } from '../core/cost';
import type { CostLedger } from '../core/costLedger';
import { displayName } from '../core/models';
import { settingsProfile } from '../core/settings';
import type { TokenState } from '../core/tokenService';
import { tokenStatus, type EndpointCheck, type StatusHeadline, type TokenStatus } from '../core/tokenStatus';
import type { BedrockGptSettings, Configuration } from './configuration';
import { CommandIds, REFRESH_MARGIN_SECONDS, STATUS_BAR_ITEM_ID, STATUS_TICK_MS } from './constants';
import { describeError } from './errorActions';
import { Disposable, toDisposable } from './lifecycle';

/** What the status bar follows: the TokenController in the extension, anything with the same shape in tests. */
export interface TokenStateSource {
  readonly state: TokenState;
  readonly onDidChangeState: vscode.Event<TokenState>;
  /** The endpoint's answer to the current token, if it was asked. */
  readonly lastCheck?: EndpointCheck;
  readonly onDidCheckEndpoint?: vscode.Event<EndpointCheck | undefined>;
}

export interface StatusBarOptions {
  now?: () => number;
  tickMs?: number;
  /** Seconds before expiry from which the token is shown as expiring soon. */
  marginSeconds?: number;
  env?: NodeJS.ProcessEnv;
  /** What this session spent (the panel and VS Code's chat): shown in the tooltip. */
  ledger?: Pick<CostLedger, 'total' | 'onDidChange'>;
}

export interface StatusBarSnapshot {
  text: string;
  tooltip: string;
  /** The theme colour id of the background, if any. */
  background: string | undefined;
  command: string | undefined;
}

/**
 * One status-bar item, created once, that shows the token's state (time left, refreshing, expired, error) and,
 * in its tooltip, the profile, region, model, effort and exact expiry. It re-renders on TokenService events,
 * on settings changes and once a minute as time passes. Clicking it refreshes the token.
 */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly now: () => number;
  private readonly marginMs: number;
  private clockTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly source: TokenStateSource,
    private readonly config: Configuration,
    private readonly options: StatusBarOptions = {},
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.marginMs = (options.marginSeconds ?? REFRESH_MARGIN_SECONDS) * 1000;
    this.item = this._register(vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Right, 100));
    this.item.name = vscode.l10n.t('Bedrock GPT Token');
    this.item.command = CommandIds.refreshToken;
    this._register(source.onDidChangeState(() => this.render()));
    if (source.onDidCheckEndpoint) this._register(source.onDidCheckEndpoint(() => this.render()));
    this._register(config.onDidChange(() => this.render()));
    if (options.ledger) this._register(options.ledger.onDidChange(() => this.render()));
    const timer = setInterval(() => this.render(), options.tickMs ?? STATUS_TICK_MS);
    this._register(toDisposable(() => {
      clearInterval(timer);
      clearTimeout(this.clockTimer);
    }));
    this.render();
    this.item.show();
  }

  /** What the item shows now (for tests and the UI test's expectations). */
  snapshot(): StatusBarSnapshot {
    const tooltip = this.item.tooltip;
    return {
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      background: this.item.backgroundColor?.id,
      command: typeof this.item.command === 'string' ? this.item.command : this.item.command?.command,
    };
  }

  /** Re-reads the state, the settings and the clock; core's tokenStatus decides, this paints. */
  render(): void {
    if (this.isDisposed) return;
    const s = this.config.snapshot();
    const name = displayName(s.model);
    const state = this.source.state;
    const now = this.now();
    const status = tokenStatus({ state, check: this.source.lastCheck, now, marginMs: this.marginMs });
    this.repaintAt(status.changesAt, now);
    const { expiry, warning } = status;
    const text = `$(${status.icon}) ${itemText(name, status.suffix)}`;
    const headline = this.headline(status.headline, s);

    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.appendMarkdown(`**${escapeMd(vscode.l10n.t('Bedrock GPT'))}**\n\n`);
    md.appendMarkdown(`${escapeMd(headline)}\n\n`);
    const profile =
      s.authentication === 'apiKey' ? vscode.l10n.t('API key') : (settingsProfile(s, this.options.env) ?? vscode.l10n.t('default credential chain'));
    const rows: [string, string][] = [
      [vscode.l10n.t('Profile'), profile],
      [vscode.l10n.t('Region'), s.region],
      [vscode.l10n.t('Model'), name === s.model ? s.model : `${name} (${s.model})`],
      [vscode.l10n.t('Reasoning effort'), s.reasoningEffort],
    ];
    if (expiry !== undefined) {
      const at = new Date(expiry);
      rows.push([state.kind === 'expired' ? vscode.l10n.t('Expired') : vscode.l10n.t('Expires'), `${at.toLocaleString()} (${at.toISOString()})`]);
    }
    const spent = this.options.ledger?.total();
    if (spent?.requests) {
      const fromLm = this.options.ledger!.total('languageModel');
      rows.push([vscode.l10n.t('Session cost'), vscode.l10n.t('{0} · {1} tokens ({2} of it from VS Code Chat and other extensions)',
        formatDollars(spent.dollars), spent.tokens.toLocaleString('en-US'), formatDollars(fromLm.dollars))]);
    }
    md.appendMarkdown(`| | |\n|---|---|\n`);
    for (const [label, value] of rows) md.appendMarkdown(`| ${escapeMd(label)} | ${escapeMd(value)} |\n`);
    md.appendMarkdown(`\n${escapeMd(vscode.l10n.t('Click to refresh the token.'))}`);

    this.item.text = text;
    this.item.tooltip = md;
    this.item.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `${text.replace(/\$\([^)]*\)\s*/g, '')}. ${headline}` };
  }

  /** A one-shot repaint when the clock alone changes what the item says (the minute tick covers the rest). */
  private repaintAt(at: number | undefined, now: number): void {
    clearTimeout(this.clockTimer);
    if (at === undefined || at - now > (this.options.tickMs ?? STATUS_TICK_MS)) return;
    this.clockTimer = setTimeout(() => this.render(), Math.max(0, at - now) + 1);
  }

  private headline(h: StatusHeadline, s: BedrockGptSettings): string {
    const time = (at: number) => new Date(at).toLocaleTimeString();
    switch (h.kind) {
      case 'none':
        return vscode.l10n.t('No token yet: click to sign in.');
      case 'refreshing':
        return vscode.l10n.t('Refreshing the token…');
      case 'apiKey':
        return vscode.l10n.t('Using a long-term Bedrock API key.');
      case 'expired':
        return vscode.l10n.t('The token has expired: click to refresh it.');
      case 'expiringSoon':
        return vscode.l10n.t('The token expires soon: it is refreshed on next use, or click to refresh it now.');
      case 'valid': {
        const valid = h.cappedByCredentials ? vscode.l10n.t('The token is valid (until your AWS credentials expire).') : vscode.l10n.t('The token is valid.');
        return h.accepted ? `${valid} ${vscode.l10n.t('The endpoint in {0} accepted it ({1}).', h.accepted.region, time(h.accepted.at))}` : valid;
      }
      case 'refused':
        return vscode.l10n.t('The endpoint refused the token ({0}): {1}', time(h.at), describeError(h.error, s, this.options.env).message);
      case 'notListed':
        return vscode.l10n.t('The endpoint in {0} accepts the token but does not list {1} ({2}).', h.region, s.model, time(h.at));
      case 'error':
        return describeError(h.error, s, this.options.env).message || h.message;
    }
  }
}

function itemText(name: string, suffix: TokenStatus['suffix']): string {
  switch (suffix?.kind) {
    case undefined:
      return name;
    case 'timeLeft':
      return `${name} · ${suffix.text}`;
    case 'expired':
      return vscode.l10n.t('{0} · expired', name);
    case 'error':
      return vscode.l10n.t('{0} · error', name);
  }
}

/** Values (a profile name, a custom model id) come from settings: show them as text, not markup. */
function escapeMd(text: string): string {
  return text.replace(/[\\`*_[\]|<>$]/g, '\\$&').replace(/\n/g, ' ');
}
