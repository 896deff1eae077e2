import * as vscode from 'vscode';
import { redact } from '../core/redact';
import { LOG_CHANNEL_NAME } from './constants';
import { Disposable } from './lifecycle';

/** The extension's output channel. Everything written passes through redact(): no token or key ever lands here. */
export class Log extends Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor(channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true })) {
    super();
    this.channel = this._register(channel);
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
