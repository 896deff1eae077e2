import * as vscode from 'vscode';
import { explainError, type ErrorAction, type ErrorContext, type ExplainedError } from '../core/errors';
import { actionLabel, assertNever } from '../shared/protocol';
import type { BedrockGptSettings } from './configuration';
import { Configuration } from './configuration';
import { Commands, EXTENSION_ID, SECTION, Settings } from './constants';
import { Disposable } from './lifecycle';
import { Log } from './log';
import { ApiKeyMissingError, TokenController } from './tokenController';
import { localizedStrings } from './uiStrings';

/** What explainError needs to know about the current settings. */
export function errorContext(s: BedrockGptSettings, env: NodeJS.ProcessEnv = process.env): ErrorContext {
  return {
    region: s.region,
    model: s.model,
    profile: s.authentication === 'apiKey' ? undefined : s.profile || env.AWS_PROFILE || undefined,
    effort: s.reasoningEffort,
    endpoint: s.endpoint || undefined,
  };
}

/** explainError, plus what only the extension knows about (its own API-key setting). */
export function explain(err: unknown, s: BedrockGptSettings, env?: NodeJS.ProcessEnv): ExplainedError {
  const explained = explainError(err, errorContext(s, env));
  if (err instanceof ApiKeyMissingError) return { ...explained, code: 'api-key-missing', actions: [{ kind: 'setApiKey' }] };
  return explained;
}

export interface ErrorUiOptions {
  /** The AWS CLI executable for "Run aws sso login" (tests put a stand-in here). */
  awsCli?: string;
  env?: NodeJS.ProcessEnv;
}

interface ActionItem extends vscode.MessageItem {
  action: ErrorAction;
}

/** Shows explainError's message with a button for each action that fits, and carries the chosen action out. */
export class ErrorUi extends Disposable {
  constructor(
    private readonly config: Configuration,
    private readonly tokens: TokenController,
    private readonly log: Log,
    private readonly options: ErrorUiOptions = {},
  ) {
    super();
  }

  explain(err: unknown): ExplainedError {
    return explain(err, this.config.snapshot(), this.options.env);
  }

  /** Shows the error; resolves once the user chose an action (and it ran) or dismissed the message. */
  async show(err: unknown): Promise<void> {
    const e = this.explain(err);
    if (e.code === 'cancelled') return;
    this.log.error(`[${e.code}] ${e.message}`);
    const items: ActionItem[] = [];
    const strings = localizedStrings();
    for (const action of e.actions) {
      const title = actionLabel(action, strings);
      if (!items.some((i) => i.title === title)) items.push({ title, action });
    }
    const picked = await vscode.window.showErrorMessage(e.message, ...items.slice(0, 4));
    if (picked) await this.run(picked.action);
  }

  async run(action: ErrorAction): Promise<void> {
    switch (action.kind) {
      case 'switchRegion':
        await this.config.update('region', action.region);
        return;
      case 'ssoLogin':
        await this.ssoLogin(action.profile);
        return;
      case 'selectProfile':
        await vscode.commands.executeCommand(Commands.selectProfile);
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', settingQuery(action.setting));
        return;
      case 'retry':
        await vscode.commands.executeCommand(Commands.refreshToken);
        return;
      case 'setApiKey':
        await vscode.commands.executeCommand(Commands.setApiKey);
        return;
      case 'selectEffort':
        await vscode.commands.executeCommand(Commands.selectReasoningEffort);
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
    const code = await new Promise<number | undefined>((resolve) => {
      const sub = this._register(
        vscode.window.onDidCloseTerminal((closed) => {
          if (closed !== terminal) return;
          sub.dispose();
          resolve(closed.exitStatus?.code);
        }),
      );
    });
    if (code !== 0) {
      this.log.warn(`aws sso login exited with ${code ?? 'no code'}.`);
      return false;
    }
    this.log.info('aws sso login succeeded; refreshing the token.');
    try {
      await this.tokens.refresh();
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed in with AWS SSO; the Bedrock token is refreshed.'));
      return true;
    } catch (err) {
      void this.show(err);
      return false;
    }
  }
}

/** `bedrockGpt.<key>` for one of our setting keys; else all our settings. */
function settingQuery(setting: string | undefined): string {
  const known = setting !== undefined && (Object.values(Settings) as string[]).includes(setting);
  return known ? `${SECTION}.${setting}` : `@ext:${EXTENSION_ID}`;
}
