import * as vscode from 'vscode';
import { displayName, regionsServing } from '../core/models';
import type { ReasoningEffort } from '../core/types';
import { Configuration } from './configuration';
import { CommandIds as Ids, ENV_API_KEY, SECRET_API_KEY, type CommandId } from './constants';
import { ErrorActions } from './errorActions';
import { Disposable } from './lifecycle';
import { Log, unawaited } from './log';
import { Pickers } from './pickers';
import { TokenController } from './tokenController';

/** The parts of `vscode.window` the commands use: injectable so tests can answer the pickers. */
export type CommandUi = Pick<
  typeof vscode.window,
  'showQuickPick' | 'createQuickPick' | 'showInputBox' | 'showInformationMessage' | 'showWarningMessage'
>;

export interface CommandsOptions {
  ui?: CommandUi;
  env?: NodeJS.ProcessEnv;
  /** Tests build a second instance to drive the handlers; only the extension's own one registers the ids. */
  register?: boolean;
}

/** The extension's commands. A command never returns a token: other extensions can run commands too. */
export class Commands extends Disposable {
  private readonly ui: CommandUi;
  private readonly env: NodeJS.ProcessEnv;
  private readonly pickers: Pickers;

  constructor(
    private readonly config: Configuration,
    private readonly tokens: TokenController,
    private readonly errorActions: ErrorActions,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
    options: CommandsOptions = {},
  ) {
    super();
    this.ui = options.ui ?? vscode.window;
    this.env = options.env ?? process.env;
    this.pickers = new Pickers(config, tokens, errorActions, log, this.ui, this.env);
    if (options.register === false) return;
    const handlers: Record<CommandId, () => Promise<unknown>> = {
      [Ids.refreshToken]: () => this.refreshToken(),
      [Ids.selectModel]: () => this.selectModel(),
      [Ids.selectRegion]: () => this.selectRegion(),
      [Ids.selectReasoningEffort]: () => this.selectReasoningEffort(),
      [Ids.selectProfile]: () => this.selectProfile(),
      [Ids.setApiKey]: () => this.setApiKey(),
      [Ids.clearApiKey]: () => this.clearApiKey(),
      [Ids.showLog]: async () => this.log.show(),
    };
    for (const [id, handler] of Object.entries(handlers)) {
      // Resolve to undefined whatever the handler returns: command results are visible to every extension.
      this._register(vscode.commands.registerCommand(id, async () => void (await handler())));
    }
  }

  /**
   * Makes a new token now, then asks the endpoint whether it accepts it (the status bar shows the answer).
   * Errors are shown (not thrown), so the command resolves as soon as the work is done.
   */
  async refreshToken(): Promise<boolean> {
    try {
      await this.tokens.refresh();
    } catch (err) {
      unawaited(this.errorActions.show(err), 'showing an error');
      return false;
    }
    const check = await this.tokens.checkEndpoint();
    if (!check.ok) {
      unawaited(this.errorActions.show(check.error), 'showing an error');
      return false;
    }
    if (!check.servesModel) {
      const serving = regionsServing(check.model).filter((r) => r !== check.region);
      const switchTo = serving.length ? vscode.l10n.t('Switch to {0}', serving[0]) : undefined;
      // Not awaited: the command resolves now; the choice is acted on whenever the user makes it.
      void this.ui
        .showWarningMessage(
          vscode.l10n.t('The endpoint in {0} accepts the token but does not list {1}.', check.region, displayName(check.model)),
          ...(switchTo ? [switchTo] : []),
        )
        .then((choice) => (switchTo && choice === switchTo ? this.config.update('region', serving[0]) : undefined))
        .then(undefined, (err: unknown) => this.log.error('Could not switch the region', err));
    }
    return true;
  }

  selectModel(): Promise<string | undefined> {
    return this.pickers.selectModel();
  }

  selectRegion(): Promise<string | undefined> {
    return this.pickers.selectRegion();
  }

  selectReasoningEffort(): Promise<ReasoningEffort | undefined> {
    return this.pickers.selectReasoningEffort();
  }

  selectProfile(): Promise<string | undefined> {
    return this.pickers.selectProfile();
  }

  /** Stores a long-term Bedrock API key in SecretStorage (never in settings) and switches to it. */
  async setApiKey(): Promise<boolean> {
    const key = (
      await this.ui.showInputBox({
        title: vscode.l10n.t('Bedrock GPT: API key'),
        prompt: vscode.l10n.t('A long-term Amazon Bedrock API key. It is kept in VS Code\'s secret storage.'),
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() && !/\s/.test(v.trim()) ? undefined : vscode.l10n.t('Paste the key (no spaces).')),
      })
    )?.trim();
    if (!key) return false;
    await this.secrets.store(SECRET_API_KEY, key);
    if (this.config.get('authentication') !== 'apiKey') await this.config.update('authentication', 'apiKey');
    this.log.info('API key stored in secret storage; authentication set to apiKey.');
    unawaited(this.ui.showInformationMessage(vscode.l10n.t('The Bedrock API key is stored, and Bedrock GPT now uses it.')), 'showing a message');
    return true;
  }

  async clearApiKey(): Promise<void> {
    await this.secrets.delete(SECRET_API_KEY);
    this.log.info('API key removed from secret storage.');
    if (this.config.get('authentication') === 'apiKey' && !this.env[ENV_API_KEY]) {
      const useProfile = vscode.l10n.t('Use AWS profile');
      const choice = await this.ui.showWarningMessage(
        vscode.l10n.t('The API key is removed. Authentication is still set to API key.'),
        useProfile,
      );
      if (choice === useProfile) await this.config.update('authentication', 'awsProfile');
    } else {
      unawaited(this.ui.showInformationMessage(vscode.l10n.t('The API key is removed.')), 'showing a message');
    }
  }
}
