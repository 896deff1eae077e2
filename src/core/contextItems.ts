/**
 * The `@` items a question carries (files, line ranges, problems): what the picker's query means, which files are
 * refused (binary, oversize) and why, and how each item is labelled in the user message. No SDKs, no DOM, no
 * vscode: the webview parses queries with it, the extension reads and refuses with it.
 */
import { fenceFor, infoString, lineRange } from './codeBlock';
import { workspaceRelative } from './location';
import type { ContextRef, TurnContextItem } from '../shared/protocol';

/** A file larger than this is refused as a context item (its size and this limit are shown). */
export const MAX_CONTEXT_FILE_BYTES = 256 * 1024;
/** At most this many `@` items go with one question. */
export const MAX_CONTEXT_ITEMS = 20;
/** How many bytes of a file decide whether it is binary (as git's and VS Code's own sniffing do: the start). */
const SNIFF_BYTES = 8000;
const MAX_LINE = 10_000_000;

/** `src/cart.ts:10-20` → the file part and the range; `src/cart.ts:12` is one line; anything else is all query. */
export function parseFileQuery(text: string): { query: string; startLine?: number; endLine?: number } {
  const m = /^(.*?):(\d{1,7})(?:-(\d{1,7}))?$/.exec(text.trim());
  if (!m) return { query: text.trim() };
  const startLine = Number(m[2]);
  const endLine = m[3] === undefined ? startLine : Number(m[3]);
  if (startLine < 1 || endLine < startLine) return { query: m[1] };
  return { query: m[1], startLine, endLine };
}

/** Whether a ref is one the extension may read: a workspace-relative path (or '' for the workspace's problems)
 *  and, when given, a range with 1 ≤ start ≤ end. The rule is location.ts's: no `..`, no drive, no scheme. */
export function isContextRef(v: unknown): v is ContextRef {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const keys = Object.keys(r).every((k) => ['kind', 'path', 'startLine', 'endLine'].includes(k));
  const line = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= MAX_LINE;
  const range = r.startLine === undefined
    ? r.endLine === undefined
    : line(r.startLine) && line(r.endLine) && (r.endLine as number) >= (r.startLine as number);
  if (!keys || !range || typeof r.path !== 'string' || r.path.length > 1024) return false;
  if (r.kind === 'problems') return r.startLine === undefined && (r.path === '' || workspaceRelative(r.path) === r.path);
  return r.kind === 'file' && workspaceRelative(r.path) === r.path;
}

/** A NUL byte or bytes that are not UTF-8 in the file's first 8000 bytes: not text we can send. */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes(0)) return true;
  try {
    // stream: a multi-byte character cut by the sniffing window is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: bytes.length > SNIFF_BYTES });
    return false;
  } catch {
    return true;
  }
}

export type ContextRefusal =
  | { kind: 'binary'; path: string; bytes: number }
  | { kind: 'tooLarge'; path: string; bytes: number; limit: number }
  | { kind: 'notFound'; path: string }
  /** Hidden by `files.exclude` or `search.exclude`: not offered, and not read when named anyway. */
  | { kind: 'excluded'; path: string }
  | { kind: 'badRange'; path: string; startLine: number; lines: number };

/** The refusal for a file of `size` bytes before it is read (oversize), or undefined. */
export function sizeRefusal(path: string, size: number): ContextRefusal | undefined {
  return size > MAX_CONTEXT_FILE_BYTES ? { kind: 'tooLarge', path, bytes: size, limit: MAX_CONTEXT_FILE_BYTES } : undefined;
}

/** The item a file's bytes give for `ref` (its lines when it has a range), or why it is refused. */
export function fileItem(ref: ContextRef, bytes: Uint8Array, languageId?: string): TurnContextItem | ContextRefusal {
  const size = sizeRefusal(ref.path, bytes.length);
  if (size) return size;
  if (looksBinary(bytes)) return { kind: 'binary', path: ref.path, bytes: bytes.length };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { kind: 'binary', path: ref.path, bytes: bytes.length };
  }
  const item: TurnContextItem = { kind: 'file', path: ref.path, text, ...(languageId && { languageId }) };
  if (ref.startLine === undefined) return item;
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (ref.startLine > lines.length) return { kind: 'badRange', path: ref.path, startLine: ref.startLine, lines: lines.length };
  const endLine = Math.min(ref.endLine ?? ref.startLine, lines.length);
  return { ...item, startLine: ref.startLine, endLine, text: lines.slice(ref.startLine - 1, endLine).join('\n') };
}

export function isRefusal(x: TurnContextItem | ContextRefusal): x is ContextRefusal {
  return !('text' in x);
}

/** `src/cart.ts:10-20`, `problems: src/cart.ts`, `problems: workspace` — a chip's and a turn's label. */
export function contextLabel(ref: ContextRef): string {
  if (ref.kind === 'problems') return `problems: ${ref.path || 'workspace'}`;
  if (ref.startLine === undefined) return ref.path;
  return ref.endLine === undefined || ref.endLine === ref.startLine ? `${ref.path}:${ref.startLine}` : `${ref.path}:${ref.startLine}-${ref.endLine}`;
}

/** One item as the model reads it: a label with its path and lines, then the text in a fence. */
function itemBlock(item: TurnContextItem): string {
  const range = lineRange(item.startLine, item.endLine);
  const label = item.kind === 'problems'
    ? `Problems VS Code reports in ${item.path || 'the workspace'}:`
    : range ? `From ${item.path}, ${range}:` : `From ${item.path}:`;
  const fence = fenceFor(item.text);
  const body = item.text.endsWith('\n') ? item.text : `${item.text}\n`;
  return `${label}\n${fence}${infoString(item.kind === 'problems' ? 'text' : item.languageId)}\n${body}${fence}`;
}

/** The question followed by its `@` items, each labelled; the question alone when it has none. The same text goes
 *  out again as history, so it must depend only on the turn (the prompt cache sees the same bytes). */
export function withContext(question: string, items: readonly TurnContextItem[] | undefined): string {
  if (!items?.length) return question;
  return [question.trim(), 'Context the user attached:', ...items.map(itemBlock)].join('\n\n');
}
