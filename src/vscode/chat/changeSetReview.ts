/**
 * The files of a change set in VS Code: where each path is in the workspace, what it holds now, whether it was
 * edited since the question, and the one WorkspaceEdit that writes them (createFile for a new one).
 */
import * as vscode from 'vscode';
import { fitToFile, type FileChange } from '../../core/changeSet';
import type { Conversation } from '../../core/conversation';
import { editedSince, freshness } from '../../core/proposals';
import { PROPOSED_SCHEME } from '../constants';
import { Disposable } from '../lifecycle';

/** One file of a change set awaiting Accept. */
export interface FileProposal {
  kind: 'file';
  setId: number;
  path: string;
  target: vscode.Uri;
  /** Its text when the review opened; undefined: the file does not exist and Accept creates it. */
  baseline: string | undefined;
  /** The new content, shaped like the file (line endings, final newline). */
  content: string;
  proposed: vscode.Uri;
  /** The diff's left side: the file, or an empty document for a new one. */
  left: vscode.Uri;
}

type Prepared = Omit<FileProposal, 'kind' | 'setId' | 'proposed' | 'left'>;

/** Bounds on what the clock remembers (a long session must not grow it without end). */
const MAX_REMEMBERED = 1000;

/** When each question was sent (its model call started) and when each file was last edited in an editor. */
export class EditClock extends Disposable {
  private readonly asked = new Map<string, number>();
  private readonly edited = new Map<string, number>();

  constructor(conversation: Conversation) {
    super();
    this._register(conversation.onDidPost((m) => {
      if (m.type === 'start') remember(this.asked, m.requestId, Date.now());
    }));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      // Every change counts (an edit, an undo, a reload from disk): isDirty is not yet updated when this fires.
      if (e.contentChanges.length && e.document.uri.scheme !== PROPOSED_SCHEME) remember(this.edited, e.document.uri.toString(), Date.now());
    }));
  }

  askedAt(requestId: string): number | undefined {
    return this.asked.get(requestId);
  }

  lastEdit(uri: vscode.Uri): number | undefined {
    return this.edited.get(uri.toString());
  }
}

function remember(map: Map<string, number>, key: string, value: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as string);
}

/** The file's text now, and its mtime; undefined text when it does not exist. Throws for a folder. */
async function readNow(uri: vscode.Uri): Promise<{ text: string | undefined; mtime?: number }> {
  const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
  if (!stat) return { text: undefined };
  if (stat.type & vscode.FileType.Directory) throw new Error('a folder');
  const doc = await vscode.workspace.openTextDocument(uri);
  return { text: doc.getText(), mtime: stat.mtime };
}

/** Where `path` is: the workspace folder that has it, else (a new file) the folder it names, else the first one. */
async function targetOf(path: string): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const segments = path.split('/');
  for (const folder of folders) {
    const uri = vscode.Uri.joinPath(folder.uri, ...segments);
    if (await Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => true, () => false)) return uri;
  }
  const named = folders.length > 1 ? folders.find((f) => f.name === segments[0]) : undefined;
  if (named && segments.length > 1) return vscode.Uri.joinPath(named.uri, ...segments.slice(1));
  return folders[0] && vscode.Uri.joinPath(folders[0].uri, ...segments);
}

/** The files that can be reviewed, and those refused with the reason (edited since the question, not readable). */
export async function prepareFiles(files: FileChange[], askedAt: number | undefined, clock: EditClock): Promise<{ ready: Prepared[]; refused: { path: string; reason: string }[] }> {
  const ready: Prepared[] = [];
  const refused: { path: string; reason: string }[] = [];
  for (const f of files) {
    const target = await targetOf(f.path);
    if (!target) {
      refused.push({ path: f.path, reason: vscode.l10n.t('no folder is open') });
      continue;
    }
    try {
      const now = await readNow(target);
      if (now.text !== undefined && editedSince(askedAt, now.mtime, clock.lastEdit(target))) {
        refused.push({ path: f.path, reason: vscode.l10n.t('changed since the question was asked') });
        continue;
      }
      ready.push({ path: f.path, target, baseline: now.text, content: fitToFile(f.content, now.text) });
    } catch (err) {
      refused.push({ path: f.path, reason: err instanceof Error && err.message === 'a folder' ? vscode.l10n.t('it is a folder') : vscode.l10n.t('it cannot be read as text') });
    }
  }
  return { ready, refused };
}

/** The paths of the files that no longer hold what the review showed (edited, created or deleted since). */
export async function staleFiles(files: FileProposal[]): Promise<string[]> {
  const stale: string[] = [];
  for (const f of files) {
    const now = await readNow(f.target).catch(() => ({ text: '\u0000unreadable' }));
    if (freshness(f.baseline, now.text) !== 'unchanged') stale.push(f.path);
  }
  return stale;
}

/** Adds the files to `edit`: new files first (created with their content), then each existing file replaced whole. */
export async function setEdit(edit: vscode.WorkspaceEdit, files: FileProposal[]): Promise<void> {
  for (const f of files.filter((x) => x.baseline === undefined)) {
    edit.createFile(f.target, { ignoreIfExists: false, contents: new TextEncoder().encode(f.content) });
  }
  for (const f of files.filter((x) => x.baseline !== undefined)) {
    const doc = await vscode.workspace.openTextDocument(f.target);
    edit.replace(f.target, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), f.content);
  }
}
