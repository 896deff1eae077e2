/** The chat's dialogs, with an event for every message shown (the test API listens; nothing is kept). */
import * as vscode from 'vscode';
import type { ChatUi } from './editorTarget';

export interface ShownMessage {
  severity: 'info' | 'warning' | 'error';
  message: string;
}

export function observedUi(ui: ChatUi, emitter: vscode.EventEmitter<ShownMessage>): ChatUi {
  const wrap = <F extends (message: string, ...rest: never[]) => unknown>(severity: ShownMessage['severity'], show: F): F =>
    ((message: string, ...rest: never[]) => {
      emitter.fire({ severity, message });
      return show.call(ui, message, ...rest);
    }) as F;
  return {
    showInputBox: (...args) => ui.showInputBox(...args),
    showInformationMessage: wrap('info', ui.showInformationMessage),
    showWarningMessage: wrap('warning', ui.showWarningMessage),
    showErrorMessage: wrap('error', ui.showErrorMessage),
  };
}
