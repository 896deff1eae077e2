import * as vscode from 'vscode';
import { formatDollars } from '../core/cost';
import type { CostLedger } from '../core/costLedger';
import { displayName } from '../core/models';
import type { TokenState } from '../core/tokenService';
import type { EndpointCheck } from './tokenController';
import { Configuration } from './configuration';
import { Commands, REFRESH_MARGIN_SECONDS, STATUS_BAR_ITEM_ID, STATUS_TICK_MS } from './constants';
import { explain } from './errorUi';
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
    this.item.command = Commands.refreshToken;
    this._register(source.onDidChangeState(() => this.render()));
    if (source.onDidCheckEndpoint) this._register(source.onDidCheckEndpoint(() => this.render()));
    this._register(config.onDidChange(() => this.render()));
    if (options.ledger) this._register(options.ledger.onDidChange(() => this.render()));
    const timer = setInterval(() => this.render(), options.tickMs ?? STATUS_TICK_MS);
    this._register(toDisposable(() => clearInterval(timer)));
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

  /** Re-reads the state, the settings and the clock. */
  render(): void {
    if (this.isDisposed) return;
    const s = this.config.snapshot();
    const name = displayName(s.model);
    const state = this.source.state;
    const now = this.now();
    let text: string;
    let headline: string;
    let warning = false;
    let expiry: number | undefined;

    switch (state.kind) {
      case 'none':
        text = `$(key) ${name}`;
        headline = vscode.l10n.t('No token yet: click to sign in.');
        break;
      case 'refreshing':
        text = `$(sync~spin) ${name}`;
        headline = vscode.l10n.t('Refreshing the token…');
        break;
      case 'valid': {
        if (state.expiresAt === undefined) {
          // A long-term API key: its expiry is not known here.
          text = `$(key) ${name}`;
          headline = vscode.l10n.t('Using a long-term Bedrock API key.');
          break;
        }
        expiry = state.expiresAt;
        const left = state.expiresAt - now;
        if (left <= 0) {
          text = vscode.l10n.t('$(circle-slash) {0} · expired', name);
          headline = vscode.l10n.t('The token has expired: click to refresh it.');
        } else if (left <= this.marginMs) {
          text = `$(watch) ${name} · ${formatDuration(left)}`;
          headline = vscode.l10n.t('The token expires soon: it is refreshed on next use, or click to refresh it now.');
        } else {
          text = `$(key) ${name} · ${formatDuration(left)}`;
          headline = state.cappedByCredentials
            ? vscode.l10n.t('The token is valid (until your AWS credentials expire).')
            : vscode.l10n.t('The token is valid.');
        }
        const check = this.source.lastCheck;
        if (check) {
          const at = new Date(check.at).toLocaleTimeString();
          if (!check.ok) {
            warning = true;
            headline = vscode.l10n.t('The endpoint refused the token ({0}): {1}', at, explain(check.error, s, this.options.env).message);
          } else if (!check.servesModel) {
            warning = true;
            headline = vscode.l10n.t('The endpoint in {0} accepts the token but does not list {1} ({2}).', check.region, s.model, at);
          } else {
            headline = `${headline} ${vscode.l10n.t('The endpoint in {0} accepted it ({1}).', check.region, at)}`;
          }
          // The endpoint's answer outranks the clock: its warning replaces the leading icon.
          if (warning) text = text.replace(/^\$\([^)]*\)/, '$(warning)');
        }
        break;
      }
      case 'expired':
        expiry = state.expiredAt;
        text = vscode.l10n.t('$(circle-slash) {0} · expired', name);
        headline = vscode.l10n.t('The token has expired: click to refresh it.');
        break;
      case 'error':
        warning = true;
        text = vscode.l10n.t('$(warning) {0} · error', name);
        headline = explain(state.error, s, this.options.env).message || state.message;
        break;
    }

    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.appendMarkdown(`**${escapeMd(vscode.l10n.t('Bedrock GPT'))}**\n\n`);
    md.appendMarkdown(`${escapeMd(headline)}\n\n`);
    const profile =
      s.authentication === 'apiKey'
        ? vscode.l10n.t('API key')
        : s.profile || (this.options.env ?? process.env).AWS_PROFILE || vscode.l10n.t('default credential chain');
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
}

/** `11h 42m`, `42m`, `<1m`: the status bar is re-rendered once a minute, so seconds would be stale. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '<1m';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}h ${m}m` : `${m}m`;
}

/** Values (a profile name, a custom model id) come from settings: show them as text, not markup. */
function escapeMd(text: string): string {
  return text.replace(/[\\`*_[\]|<>$]/g, '\\$&').replace(/\n/g, ' ');
}
