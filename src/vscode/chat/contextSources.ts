import * as vscode from 'vscode';
import { contextLabel, parseFileQuery } from '../../core/contextItems';
import { enabledPatterns, FILE_SEARCH_RESULT_LIMIT, FILE_SEARCH_SCAN_LIMIT, isExcluded, rankFiles } from '../../core/fileSearch';
import { assertNever, type ContextOption, type ContextRef, type ContextSource } from '../../shared/protocol';
import { Disposable } from '../lifecycle';

/**
 * The text editor `@problems` and `@selection` mean. While the user types in the panel, the panel has the focus
 * and VS Code reports no active text editor: it is the one that was active last (still visible), else the first
 * visible one.
 */
export class EditorMemory extends Disposable {
  private last = vscode.window.activeTextEditor;

  constructor() {
    super();
    this._register(vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e) this.last = e;
    }));
  }

  get editor(): vscode.TextEditor | undefined {
    const visible = vscode.window.visibleTextEditors;
    return vscode.window.activeTextEditor ?? visible.find((e) => e === this.last) ?? visible.find((e) => e.document.uri.scheme === 'file');
  }
}

/**
 * What the `@` picker offers: workspace files (findFiles with `files.exclude`, then `search.exclude`, ranked by
 * core's fuzzy match), the open editors (tab groups), the problems of the active file or the workspace, and the
 * active selection. Only files inside a workspace folder are offered.
 */
export async function contextOptions(source: ContextSource, query: string, editor: vscode.TextEditor | undefined): Promise<ContextOption[]> {
  switch (source) {
    case 'file':
      return fileOptions(query);
    case 'open':
      return openEditorOptions(query);
    case 'problems':
      return problemOptions(editor);
    case 'selection':
      return selectionOptions(editor);
    default:
      return assertNever(source, 'context source');
  }
}

/** The workspace-relative path of a file inside a workspace folder (as `openLocation` and the reader take it). */
export function relativePath(uri: vscode.Uri): string | undefined {
  return vscode.workspace.getWorkspaceFolder(uri) ? vscode.workspace.asRelativePath(uri, false) : undefined;
}

/** Whether `files.exclude` or `search.exclude` (of the file's folder) hides the path. */
export function excludedBySettings(uri: vscode.Uri, path: string): boolean {
  const scope = vscode.workspace.getWorkspaceFolder(uri);
  const patterns = ['files', 'search'].flatMap((section) => enabledPatterns(vscode.workspace.getConfiguration(section, scope).get('exclude')));
  return isExcluded(path, patterns);
}

function option(ref: ContextRef, detail?: string): ContextOption {
  return { ref, label: contextLabel(ref), ...(detail && { detail }) };
}

/** The picker asks on every keystroke: one search of the workspace serves a burst of typing this long. */
const FILE_LIST_TTL_MS = 2000;
let fileList: { at: number; paths: Promise<string[]> } | undefined;

function workspacePaths(): Promise<string[]> {
  if (fileList && Date.now() - fileList.at < FILE_LIST_TTL_MS) return fileList.paths;
  const paths = (async () => {
    // exclude `undefined`: VS Code applies files.exclude (null would apply none); search.exclude is ours to apply.
    const uris = await vscode.workspace.findFiles('**/*', undefined, FILE_SEARCH_SCAN_LIMIT);
    const found: string[] = [];
    for (const uri of uris) {
      const path = relativePath(uri);
      if (path && !excludedBySettings(uri, path)) found.push(path);
    }
    return found.sort();
  })();
  fileList = { at: Date.now(), paths };
  paths.catch(() => (fileList = undefined));
  return paths;
}

async function fileOptions(text: string): Promise<ContextOption[]> {
  const { query, startLine, endLine } = parseFileQuery(text);
  return rankFiles(await workspacePaths(), query, FILE_SEARCH_RESULT_LIMIT).map((path) => option({ kind: 'file', path, ...(startLine && { startLine, endLine }) }));
}

async function openEditorOptions(query: string): Promise<ContextOption[]> {
  const paths = new Set<string>();
  for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
    const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
    const path = uri && relativePath(uri);
    if (uri && path && !excludedBySettings(uri, path)) paths.add(path);
  }
  return rankFiles([...paths], query).map((path) => option({ kind: 'file', path }, vscode.l10n.t('open editor')));
}

function problemOptions(editor: vscode.TextEditor | undefined): ContextOption[] {
  const all = vscode.languages.getDiagnostics().filter(([uri]) => relativePath(uri));
  const count = (n: number) => vscode.l10n.t('{0} problems', n);
  const options = [option({ kind: 'problems', path: '' }, count(all.reduce((n, [, d]) => n + d.length, 0)))];
  const active = editor?.document.uri;
  const path = active && relativePath(active);
  if (active && path) options.unshift(option({ kind: 'problems', path }, count(vscode.languages.getDiagnostics(active).length)));
  return options;
}

function selectionOptions(editor: vscode.TextEditor | undefined): ContextOption[] {
  const path = editor && relativePath(editor.document.uri);
  if (!editor || !path || editor.selection.isEmpty) return [];
  const { start, end } = editor.selection;
  // A selection that ends at the start of a line does not include that line (as Ask about Selection counts it).
  const endLine = end.line > start.line && end.character === 0 ? end.line : end.line + 1;
  return [option({ kind: 'file', path, startLine: start.line + 1, endLine }, vscode.l10n.t('selection'))];
}
