import * as vscode from 'vscode';
import type { TurnOrigin } from '../../core/conversation';
import { PROPOSED_SCHEME } from '../constants';
import type { Log } from '../log';
import { displayPath, type ChatUi } from './editorTarget';

/** Inserts at the cursor of the editor the turn's question came from (the active editor for a free prompt). */
export async function insertCode(origin: TurnOrigin | undefined, code: string, ui: ChatUi, log: Log): Promise<boolean> {
  const editor = await originEditor(origin);
  if (!editor) {
    void ui.showInformationMessage(vscode.l10n.t('Open an editor to insert the code into.'));
    return false;
  }
  const at = editor.selection.active;
  const ok = await editor.edit((b) => b.insert(at, code));
  if (ok) log.info(`Inserted ${code.length} characters into ${displayPath(editor.document)}.`);
  return ok;
}

async function originEditor(origin: TurnOrigin | undefined): Promise<vscode.TextEditor | undefined> {
  if (!origin) return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== PROPOSED_SCHEME);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === origin.uri);
  if (visible) return visible;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(origin.uri));
  return vscode.window.showTextDocument(doc, { preserveFocus: false, preview: false });
}

/** Links from the answer open in the browser only after the user confirms, and only http(s). */
export async function openLink(href: string, ui: ChatUi, openExternal: (uri: vscode.Uri) => Thenable<boolean>): Promise<void> {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    void ui.showWarningMessage(vscode.l10n.t('Only http and https links are opened.'));
    return;
  }
  const open = vscode.l10n.t('Open');
  const choice = await ui.showWarningMessage(vscode.l10n.t('Open this link from the answer in your browser?'), { modal: true, detail: url.toString() }, open);
  if (choice === open) await openExternal(vscode.Uri.parse(url.toString(), true));
}
