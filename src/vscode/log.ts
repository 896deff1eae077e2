import * as vscode from 'vscode';
import { redact } from '../core/redact';
import { LOG_CHANNEL_NAME } from './constants';
import { Disposable } from './lifecycle';

/** The extension's log while it is active: where unawaited() reports, for code that has no Log handed in. */
const active: { log?: Log } = {};

/**
 * For a promise nobody awaits (a notification, a webview post, a save in the background): a rejection is logged
 * to the extension's output channel instead of becoming an unhandled rejection. The lint rule
 * @typescript-eslint/no-floating-promises (with `void` not exempt) sends every such call here.
 */
export function unawaited(promise: PromiseLike<unknown>, what: string): void {
  Promise.resolve(promise).catch((err: unknown) => {
    if (active.log) active.log.error(`Failed in the background: ${what}`, err);
    else console.error(`Bedrock GPT: failed in the background: ${what}: ${redact(err instanceof Error ? `${err.name}: ${err.message}` : String(err))}`);
  });
}

/** The extension's output channel. Everything written passes through redact(): no token or key ever lands here. */
export class Log extends Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor(channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true })) {
    super();
    this.channel = this._register(channel);
    active.log ??= this; // the extension's own Log comes first; a test's second one does not take over
    this._register({ dispose: () => { if (active.log === this) active.log = undefined; } });
  }

  info(message: string): void {
    this.channel.info(redact(message));
  }

  warn(message: string): void {
    this.channel.warn(redact(message));
  }

  error(message: string, err?: unknown): void {
    this.channel.error(redact(err === undefined ? message : `${message}: ${describe(err)}`));
  }

  show(): void {
    this.channel.show(true);
  }
}

/** Name and message only: stacks and `cause` chains can carry request details. */
function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
