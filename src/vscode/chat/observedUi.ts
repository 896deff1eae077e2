/**
 * The chat's dialogs, with an event for every message shown (the test API listens; nothing is kept), and, for
 * the test API only, a scope in which the test answers them instead of the user (answerWith).
 */
import * as vscode from 'vscode';
import type { ChatUi } from './editorTarget';

export interface ShownMessage {
  severity: 'info' | 'warning' | 'error';
  message: string;
}

export interface ObservedUi extends ChatUi {
  /**
   * Until the returned disposable is disposed, the dialogs `answers` has go to it instead of VS Code's (the
   * others stay VS Code's); the messages are observed all the same. Scopes nest: the latest open one answers.
   */
  answerWith(answers: Partial<ChatUi>): vscode.Disposable;
}

export function observedUi(ui: ChatUi, emitter: vscode.EventEmitter<ShownMessage>): ObservedUi {
  /** The open scopes, the latest last; disposing one removes it wherever it is (out of order too). */
  const scopes: Array<Partial<ChatUi>> = [];
  /** Who shows dialog `name` now: the latest scope's answers, else the given ui (called with its own `this`). */
  const shower = <K extends keyof ChatUi>(name: K): ChatUi[K] => {
    const answers = scopes.at(-1) ?? {};
    const own = answers[name];
    return (own ? own.bind(answers) : ui[name].bind(ui)) as ChatUi[K];
  };
  const wrap = <K extends 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage'>(severity: ShownMessage['severity'], name: K): ChatUi[K] =>
    ((message: string, ...rest: never[]) => {
      emitter.fire({ severity, message });
      return (shower(name) as (message: string, ...rest: never[]) => unknown)(message, ...rest);
    }) as ChatUi[K];
  return {
    showInputBox: (...args) => shower('showInputBox')(...args),
    showInformationMessage: wrap('info', 'showInformationMessage'),
    showWarningMessage: wrap('warning', 'showWarningMessage'),
    showErrorMessage: wrap('error', 'showErrorMessage'),
    answerWith: (scoped) => {
      const scope = { ...scoped };
      scopes.push(scope);
      return new vscode.Disposable(() => {
        const at = scopes.indexOf(scope);
        if (at >= 0) scopes.splice(at, 1);
      });
    },
  };
}
