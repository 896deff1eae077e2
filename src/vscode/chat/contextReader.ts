import { extname } from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/byteSize';
import { fileItem, isRefusal, sizeRefusal, type ContextRefusal } from '../../core/contextItems';
import { problemList, type LocatedProblem } from '../../core/diagnostics';
import { assertNever, type ContextRef, type TurnContextItem } from '../../shared/protocol';
import { workspaceFile } from '../workspaceFiles';
import { excludedBySettings, relativePath } from './contextSources';

/** An `@problems` item lists at most this many problems (errors first). */
const MAX_PROBLEMS = 200;

export type ContextRead = { items: TurnContextItem[] } | { refusal: string };

/**
 * Reads the `@` items of a question when it is sent: files only inside a workspace folder (never through a link
 * out of it), not excluded by the settings, text and not over the size limit; problems from VS Code's diagnostics.
 * The first item that cannot go refuses the whole question, in words that say which, why, and what to do.
 */
export async function readContext(refs: readonly ContextRef[]): Promise<ContextRead> {
  const items: TurnContextItem[] = [];
  for (const ref of refs) {
    const item = ref.kind === 'problems' ? await problemsItem(ref) : await readFile(ref);
    if (isRefusal(item)) return { refusal: refusalMessage(item) };
    items.push(item);
  }
  return { items };
}

async function readFile(ref: ContextRef): Promise<TurnContextItem | ContextRefusal> {
  const file = await workspaceFile(ref.path);
  if (!file) return { kind: 'notFound', path: ref.path };
  if (excludedBySettings(file.uri, file.path)) return { kind: 'excluded', path: ref.path };
  const tooLarge = sizeRefusal(ref.path, file.size);
  if (tooLarge) return tooLarge;
  // An open document is sent as the user sees it (unsaved edits included).
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.uri.toString());
  const bytes = doc ? new TextEncoder().encode(doc.getText()) : await vscode.workspace.fs.readFile(file.uri);
  return fileItem({ ...ref, path: file.path }, bytes, doc?.languageId ?? extname(file.path).slice(1));
}

async function problemsItem(ref: ContextRef): Promise<TurnContextItem | ContextRefusal> {
  let entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]>;
  if (ref.path) {
    const file = await workspaceFile(ref.path);
    if (!file) return { kind: 'notFound', path: ref.path };
    entries = [[file.uri, vscode.languages.getDiagnostics(file.uri)]];
  } else {
    entries = vscode.languages.getDiagnostics();
  }
  const problems: LocatedProblem[] = [];
  for (const [uri, diagnostics] of entries) {
    const path = relativePath(uri);
    if (!path) continue;
    for (const d of diagnostics) {
      problems.push({ path, line: d.range.start.line, column: d.range.start.character, severity: d.severity, source: d.source,
        code: typeof d.code === 'object' ? d.code.value : d.code, message: d.message });
    }
  }
  const listed = problemList(problems).split('\n').slice(0, MAX_PROBLEMS).join('\n');
  const more = problems.length > MAX_PROBLEMS ? `\n${vscode.l10n.t('… and {0} more', problems.length - MAX_PROBLEMS)}` : '';
  return { kind: 'problems', path: ref.path, text: problems.length ? listed + more : vscode.l10n.t('No problems reported.') };
}

export function refusalMessage(r: ContextRefusal): string {
  switch (r.kind) {
    case 'binary':
      return vscode.l10n.t('Not sent: {0} is a binary file ({1}); only text files can go with a question. Remove it and send again.', r.path, formatBytes(r.bytes));
    case 'tooLarge':
      return vscode.l10n.t('Not sent: {0} is too large to attach ({1}); the limit is {2}. Attach a line range instead, like @file {0}:1-200.', r.path, formatBytes(r.bytes), formatBytes(r.limit));
    case 'notFound':
      return vscode.l10n.t('Not sent: {0} is not a file in this workspace. Remove it and send again.', r.path);
    case 'excluded':
      return vscode.l10n.t('Not sent: {0} is excluded by files.exclude or search.exclude. Remove it and send again.', r.path);
    case 'badRange':
      return vscode.l10n.t('Not sent: {0} has {1} lines, and the range starts at line {2}. Fix the range and send again.', r.path, r.lines, r.startLine);
    default:
      return assertNever(r, 'context refusal');
  }
}
