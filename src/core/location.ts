/**
 * Workspace locations named in an answer (`src/cart.ts:12`, `src/cart.ts:12-20`): what counts as one, and the
 * one rule for which paths may be opened — relative, inside the workspace, never `..` out of it. Shared by the
 * webview (which turns them into links) and the extension (which opens them). No SDKs, no DOM, no vscode.
 */

export interface WorkspaceLocation {
  /** Workspace-relative, `/`-separated, normalised. */
  path: string;
  /** 1-based. */
  line: number;
  endLine?: number;
}

/** A relative path with a file extension, then `:line` or `:line-line` (an optional `:column` is ignored). */
const LOCATION = /(?<![\w./-])((?:[\w@+-][\w@+.-]*\/)*[\w@+-][\w@+.-]*\.[A-Za-z][A-Za-z0-9]{0,9}):(\d{1,7})(?:-(\d{1,7})|:\d{1,5})?(?![\w/])/g;
const MAX_LINE = 10_000_000;

/** The path, normalised, if it may be opened in the workspace: relative, no `..`, no drive, no scheme. */
export function workspaceRelative(path: string): string | undefined {
  const p = path.replace(/\\/g, '/').trim();
  if (!p || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.includes('://') || p.includes('\0')) return undefined;
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.length === 0 || parts.some((s) => s === '..')) return undefined;
  return parts.join('/');
}

/** A location from its parts, or undefined when the path or a line is not acceptable. */
export function toLocation(path: string, line: number, endLine?: number): WorkspaceLocation | undefined {
  const p = workspaceRelative(path);
  if (!p || !Number.isInteger(line) || line < 1 || line > MAX_LINE) return undefined;
  if (endLine !== undefined && (!Number.isInteger(endLine) || endLine < line || endLine > MAX_LINE)) return undefined;
  return { path: p, line, ...(endLine !== undefined && endLine !== line && { endLine }) };
}

/** Every location in `text`, with where it is: [start, end) character offsets. */
export function findLocations(text: string): Array<WorkspaceLocation & { start: number; end: number }> {
  const found: Array<WorkspaceLocation & { start: number; end: number }> = [];
  for (const m of text.matchAll(LOCATION)) {
    const loc = toLocation(m[1], Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
    if (loc) found.push({ ...loc, start: m.index, end: m.index + m[0].length });
  }
  return found;
}
