import * as vscode from 'vscode';
import type { WordedError } from '../core/conversation';
import { explainError, renderError, type ErrorAction, type ErrorContext, type ErrorWords, type ExplainedError } from '../core/errors';
import { settingsProfile, TOKEN_LIFETIME_RANGE_SECONDS } from '../core/settings';
import { actionLabel, assertNever } from '../shared/protocol';
import type { BedrockGptSettings } from './configuration';
import { Configuration } from './configuration';
import { CommandIds, EXTENSION_ID, SECTION, Settings } from './constants';
import { Disposable } from './lifecycle';
import { Log, unawaited } from './log';
import { ApiKeyMissingError, TokenController } from './tokenController';
import { localizedStrings } from './uiStrings';

/** What explainError needs to know about the current settings. */
function errorContext(s: BedrockGptSettings, env: NodeJS.ProcessEnv = process.env): ErrorContext {
  return {
    region: s.region,
    model: s.model,
    profile: settingsProfile(s, env),
    effort: s.reasoningEffort,
    endpoint: s.endpoint || undefined,
  };
}

/** Where the user changes things, in VS Code's words (the settings' titles as the Settings editor shows them). */
function vscodeWords(): ErrorWords {
  return {
    regionSetting: vscode.l10n.t('the Bedrock GPT: Region setting'),
    profileSetting: vscode.l10n.t('the Bedrock GPT: Profile setting or AWS_PROFILE'),
    apiKey: vscode.l10n.t('Bedrock GPT: Set API Key, or AWS_BEARER_TOKEN_BEDROCK'),
    endpointSetting: vscode.l10n.t('the Bedrock GPT: Endpoint setting'),
    maxOutputSetting: vscode.l10n.t('the Bedrock GPT: Max Output Tokens setting'),
    proxySetting: vscode.l10n.t('HTTPS_PROXY / HTTP_PROXY or VS Code\'s http.proxy setting'),
    firstByteSetting: vscode.l10n.t('the Bedrock GPT: First Byte Timeout Seconds setting'),
    idleSetting: vscode.l10n.t('the Bedrock GPT: Stream Idle Timeout Seconds setting'),
    listModels: () => vscode.l10n.t('Bedrock GPT: Select Model'),
  };
}

/** explainError's message in the user's language (vscode.l10n; the English template is the key). */
function errorMessage(e: ExplainedError): string {
  return renderError(e, vscodeWords(), (template, args) => vscode.l10n.t(template, args));
}

/**
 * The failure in the extension's words: explainError's code and actions and its message, worded here (the one
 * place), plus what only the extension knows about (its own API-key setting).
 */
export function describeError(err: unknown, s: BedrockGptSettings, env?: NodeJS.ProcessEnv): WordedError {
  const explained = explainError(err, errorContext(s, env));
  const message = errorMessage(explained);
  if (err instanceof ApiKeyMissingError) return { code: 'api-key-missing', message, actions: [{ kind: 'setApiKey' }] };
  return { code: explained.code, message, actions: explained.actions };
}

/** What an action may continue with: the question it was offered under (the panel), if any. */
export interface ActionContext {
  askAgain?: () => Promise<unknown>;
}

export interface ErrorActionsOptions {
  /** The AWS CLI executable for "Run aws sso login" (tests put a stand-in here). */
  awsCli?: string;
  env?: NodeJS.ProcessEnv;
}

interface ActionItem extends vscode.MessageItem {
  action: ErrorAction;
}

/**
 * The one dispatcher of error actions, for the panel's buttons and the notifications' alike. "Ask again" sends
 * the question again and exists only where there is a question; "Refresh token" makes a new token, then asks
 * again if there is a question.
 */
export class ErrorActions extends Disposable {
  constructor(
    private readonly config: Configuration,
    private readonly tokens: TokenController,
    private readonly log: Log,
    private readonly options: ErrorActionsOptions = {},
  ) {
    super();
    this._register(tokens.onDidRefuseLifetime(({ refused, seconds }) => {
      const { min, max } = TOKEN_LIFETIME_RANGE_SECONDS;
      const message = vscode.l10n.t(
        'The setting bedrockGpt.tokenLifetimeSeconds is {0}, outside the allowed range of {1} to {2} seconds, so it is not used: tokens are signed for {3} seconds instead. Open the setting and enter a value from {1} to {2} ({2} is 12 hours).',
        refused, min, max, seconds,
      );
      unawaited(this.offer(message, { kind: 'openSettings', setting: Settings.tokenLifetimeSeconds }), 'the token lifetime warning');
    }));
  }

  /** A warning with one button that runs `action`; resolves when the user chose or dismissed it. */
  private async offer(message: string, action: ErrorAction): Promise<void> {
    const item: ActionItem = { title: actionLabel(action, localizedStrings()), action };
    if ((await vscode.window.showWarningMessage(message, item)) === item) await this.run(action);
  }

  describe(err: unknown): WordedError {
    return this.describeIn(err, this.config.snapshot());
  }

  /** As describe, with the settings of the request that failed (a turn's model, region and effort). */
  describeIn(err: unknown, s: BedrockGptSettings): WordedError {
    return describeError(err, s, this.options.env);
  }

  /** Shows the error; resolves once the user chose an action (and it ran) or dismissed the message. */
  async show(err: unknown): Promise<void> {
    const e = this.describe(err);
    if (e.code === 'cancelled') return;
    this.log.error(`[${e.code}] ${e.message}`);
    const items: ActionItem[] = [];
    const strings = localizedStrings();
    for (const action of e.actions) {
      if (action.kind === 'askAgain') continue; // a notification has no question to ask again
      const title = actionLabel(action, strings);
      if (!items.some((i) => i.title === title)) items.push({ title, action });
    }
    const picked = await vscode.window.showErrorMessage(e.message, ...items.slice(0, 4));
    if (picked) await this.run(picked.action);
  }

  async run(action: ErrorAction, context: ActionContext = {}): Promise<void> {
    switch (action.kind) {
      case 'switchRegion': {
        const applied = this.config.applied('region', action.region);
        await this.config.update('region', action.region);
        await applied;
        await context.askAgain?.();
        return;
      }
      case 'ssoLogin':
        if (await this.ssoLogin(action.profile)) await context.askAgain?.();
        return;
      case 'askAgain':
        await context.askAgain?.();
        return;
      case 'refreshToken':
        if (context.askAgain) {
          await this.tokens.refresh().then(() => context.askAgain?.(), (err: unknown) => this.show(err));
        } else {
          await vscode.commands.executeCommand(CommandIds.refreshToken);
        }
        return;
      case 'selectProfile':
        await vscode.commands.executeCommand(CommandIds.selectProfile);
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', settingQuery(action.setting));
        return;
      case 'setApiKey':
        await vscode.commands.executeCommand(CommandIds.setApiKey);
        return;
      case 'selectEffort':
        await vscode.commands.executeCommand(CommandIds.selectReasoningEffort);
        return;
      default:
        assertNever(action, 'error action');
    }
  }

  /**
   * Runs `aws sso login --profile <name>` in a terminal. The CLI is the terminal's process (no shell, so the
   * profile name is an argument, never shell text); when it exits with 0 the terminal closes and the token is
   * refreshed. Resolves true on success.
   */
  async ssoLogin(profile: string): Promise<boolean> {
    const terminal = vscode.window.createTerminal({
      name: vscode.l10n.t('AWS SSO login ({0})', profile),
      shellPath: this.options.awsCli ?? 'aws',
      shellArgs: ['sso', 'login', '--profile', profile],
    });
    terminal.show();
    this.log.info(`Running aws sso login --profile ${profile} in a terminal.`);
    // This login's listener, not the extension's: it goes when its terminal closes (never into _register).
    const code = await new Promise<number | undefined>((resolve) => {
      const sub = vscode.window.onDidCloseTerminal((closed) => {
        if (closed !== terminal) return;
        sub.dispose();
        resolve(closed.exitStatus?.code);
      });
    });
    if (code !== 0) {
      this.log.warn(`aws sso login exited with ${code ?? 'no code'}.`);
      return false;
    }
    this.log.info('aws sso login succeeded; refreshing the token.');
    try {
      await this.tokens.refresh();
      unawaited(vscode.window.showInformationMessage(vscode.l10n.t('Signed in with AWS SSO; the Bedrock token is refreshed.')), 'showing a message');
      return true;
    } catch (err) {
      unawaited(this.show(err), 'showing an error');
      return false;
    }
  }
}

/** `bedrockGpt.<key>` for one of our setting keys; else all our settings. */
function settingQuery(setting: string | undefined): string {
  const known = setting !== undefined && (Object.values(Settings) as string[]).includes(setting);
  return known ? `${SECTION}.${setting}` : `@ext:${EXTENSION_ID}`;
}
