/**
 * GPT on Bedrock as a VS Code Language Model Chat Provider: its models appear in the Chat view's model picker,
 * in agent mode (tool calling), and to every extension that asks `vscode.lm` for models. Requests go through the
 * same token service, client and error explanations as the panel; the tool loop itself is the core's (respond,
 * toInputItems, ReasoningCarry). This class wires VS Code to them and decides nothing of its own.
 */
import * as vscode from 'vscode';
import { chatModelsFor, type ChatModelInfo } from '../../core/chat/chatModels';
import type { ReasoningCarry } from '../../core/chat/tools';
import type { CostLedger } from '../../core/costLedger';
import { isReasoningEffort, type ReasoningEffort } from '../../core/types';
import type { BedrockGptSettings } from '../configuration';
import { Configuration } from '../configuration';
import { describeError, type ErrorActions } from '../errorActions';
import { Disposable } from '../lifecycle';
import { Log, unawaited } from '../log';
import type { TokenController } from '../tokenController';
import { toChatMessages, toCountable, toFunctionTools, toToolChoice } from './messages';

/** How long the model list waits for the region's /models before it falls back to the built-in table. */
const MODELS_TIMEOUT_MS = 5_000;

export type BedrockChatModel = vscode.LanguageModelChatInformation & Pick<ChatModelInfo, 'region'>;

export class BedrockChatModelProvider extends Disposable implements vscode.LanguageModelChatProvider<BedrockChatModel> {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeLanguageModelChatInformation = this._onDidChange.event;

  /** The region's /models answer, for the settings it was asked with. */
  private served: { key: string; ids: string[] } | undefined;
  private carry: ReasoningCarry | undefined;
  /** The token failed, and has not been valid since (a reset or a refresh may come in between). */
  private tokenFailed = false;

  constructor(
    private readonly config: Configuration,
    private readonly tokens: TokenController,
    private readonly errorActions: ErrorActions,
    private readonly log: Log,
    private readonly ledger?: CostLedger,
  ) {
    super();
    this._register(
      config.onDidChange((e) => {
        if (e.affects('region') || e.affects('profile') || e.affects('authentication') || e.affects('endpoint')) this.changed('settings changed');
      }),
    );
    this._register(
      tokens.onDidChangeState((state) => {
        if (state.kind === 'error') this.tokenFailed = true;
        else if (state.kind === 'valid' && this.tokenFailed) {
          this.tokenFailed = false;
          this.changed('the token is valid again');
        }
      }),
    );
  }

  private changed(why: string): void {
    this.served = undefined;
    this.log.info(`Language models: ${why}; VS Code is told to ask again.`);
    this._onDidChange.fire();
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<BedrockChatModel[]> {
    const s = this.config.snapshot();
    const served = await this.servedModels(s, options.silent, token);
    const models = chatModelsFor(s.region, served);
    this.log.info(`Language models for ${s.region} (${served ? 'from its /models' : 'from the built-in table'}${options.silent ? ', silent' : ''}): ${models.map((m) => m.id).join(', ') || 'none'}.`);
    return models;
  }

  /**
   * The ids the region's /models lists, or undefined for the built-in table. Silent and before the first token,
   * nothing is asked (no credentials are resolved just to fill a picker); nothing here ever prompts.
   */
  private async servedModels(s: BedrockGptSettings, silent: boolean, token: vscode.CancellationToken): Promise<string[] | undefined> {
    const key = [s.region, s.endpoint, s.authentication, s.profile].join('\n');
    if (this.served?.key === key) return this.served.ids;
    if (silent && !this.tokens.isStarted) return undefined;
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    const timer = setTimeout(() => controller.abort(), MODELS_TIMEOUT_MS);
    try {
      const ids = await this.tokens.listModels({ signal: controller.signal, settings: s });
      this.served = { key, ids };
      return ids;
    } catch (err) {
      this.log.warn(`Language models: the built-in model table is used; ${s.region}'s /models could not be read (${describeError(err, s).message})`);
      return undefined;
    } finally {
      clearTimeout(timer);
      cancel.dispose();
    }
  }

  async provideLanguageModelChatResponse(
    model: BedrockChatModel,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const s = this.config.snapshot();
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    // The token is signed for the configured region, and the models were listed for it (a change re-lists them).
    const context = { ...s, model: model.id };
    try {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      const { core, client } = await this.tokens.chatClient(context.region, s.endpoint || undefined);
      this.carry ??= new core.ReasoningCarry();
      const tools = toFunctionTools(options.tools);
      const events = core.respond(client, {
        model: model.id,
        input: core.toInputItems(toChatMessages(messages), this.carry),
        tools,
        toolChoice: toToolChoice(options.toolMode, tools),
        effort: effortOf(options.modelOptions, s.reasoningEffort),
        ...(s.maxOutputTokens > 0 && { maxOutputTokens: s.maxOutputTokens }),
        signal: controller.signal,
      });
      for await (const e of events) {
        if (e.type === 'text') progress.report(new vscode.LanguageModelTextPart(e.delta));
        else if (e.type === 'toolCall') progress.report(new vscode.LanguageModelToolCallPart(e.callId, e.name, e.input));
        else if (e.type === 'completed') {
          this.carry.remember(e.output);
          this.ledger?.add('languageModel', e.model || model.id, e.usage);
        }
      }
    } catch (err) {
      if (token.isCancellationRequested || err instanceof vscode.CancellationError) throw new vscode.CancellationError();
      throw this.failure(err, context);
    } finally {
      cancel.dispose();
    }
  }

  /** explainError's message as the error VS Code hands the caller; an expired SSO session also gets our notification. */
  private failure(err: unknown, context: BedrockGptSettings): Error {
    const e = describeError(err, context);
    if (e.code === 'cancelled') return new vscode.CancellationError();
    this.log.error(`Language model request failed [${e.code}]: ${e.message}`);
    if (e.code === 'sso-expired') unawaited(this.errorActions.show(err), 'showing an error');
    if (e.code === 'model-not-in-region' || e.code === 'model-not-found') return vscode.LanguageModelError.NotFound(e.message);
    if (e.code === 'unauthorized' || e.code === 'forbidden' || e.code === 'clock-skew') return vscode.LanguageModelError.NoPermissions(e.message);
    return new Error(e.message);
  }

  async provideTokenCount(_model: BedrockChatModel, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    const core = await this.tokens.core();
    return typeof text === 'string' ? core.countTokens(text) : core.countMessageTokens(toCountable(text));
  }
}

/** `reasoningEffort` (or `reasoning_effort`) from the request's model options when it is a known effort, else the setting. */
function effortOf(modelOptions: { readonly [name: string]: unknown } | undefined, fallback: ReasoningEffort): ReasoningEffort {
  const wanted = modelOptions?.reasoningEffort ?? modelOptions?.reasoning_effort;
  return isReasoningEffort(wanted) ? wanted : fallback;
}
