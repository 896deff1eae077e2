import * as vscode from 'vscode';
import type { TurnOrigin } from '../../core/conversation';
import { toLocation } from '../../core/location';
import { workspaceFile } from '../workspaceFiles';
import { PROPOSED_SCHEME } from '../constants';
import { unawaited, type Log } from '../log';
import { displayPath, type ChatUi } from './editorTarget';

/** Inserts at the cursor of the editor the turn's question came from (the active editor for a free prompt). */
export async function insertCode(origin: TurnOrigin | undefined, code: string, ui: ChatUi, log: Log): Promise<boolean> {
  const editor = await originEditor(origin);
  if (!editor) {
    unawaited(ui.showInformationMessage(vscode.l10n.t('Open an editor to insert the code into.')), 'showing a message');
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
    unawaited(ui.showWarningMessage(vscode.l10n.t('Only http and https links are opened.')), 'showing a message');
    return;
  }
  const open = vscode.l10n.t('Open');
  const choice = await ui.showWarningMessage(vscode.l10n.t('Open this link from the answer in your browser?'), { modal: true, detail: url.toString() }, open);
  if (choice === open) await openExternal(vscode.Uri.parse(url.toString(), true));
}

/**
 * Opens a workspace location from an answer at its line (and selects its range): only a relative path inside
 * one of the workspace folders, only a file that exists. Anything else is a message, never a file outside.
 */
export async function openLocation(at: { path: string; line: number; endLine?: number }, ui: ChatUi): Promise<vscode.TextEditor | undefined> {
  const loc = toLocation(at.path, at.line, at.endLine);
  const file = loc && (await workspaceFile(loc.path));
  if (loc && file) {
    const doc = await vscode.workspace.openTextDocument(file.uri);
    const last = Math.max(doc.lineCount - 1, 0);
    const start = Math.min(loc.line - 1, last);
    const end = Math.min((loc.endLine ?? loc.line) - 1, last);
    const range = new vscode.Range(start, 0, end, loc.endLine ? doc.lineAt(end).text.length : 0);
    return vscode.window.showTextDocument(doc, { selection: range, preview: true, viewColumn: vscode.ViewColumn.One });
  }
  unawaited(ui.showInformationMessage(vscode.l10n.t('{0} is not a file in this workspace.', at.path)), 'showing a message');
  return undefined;
}
