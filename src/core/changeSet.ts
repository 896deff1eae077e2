/**
 * A proposed change set: the code blocks of an answer that are labelled with a workspace path, each holding the
 * complete new content of that file. SDK-free and DOM-free (the panel shows the Review button from the same
 * scanner, fed the blocks its renderer froze; the extension parses its own copy of the answer, never the webview's).
 *
 * A block is labelled, first rule that applies:
 *   1. its fence's info string names a path after the language: ```ts src/cart.ts (or ```src/cart.ts alone);
 *   2. its first line is a comment naming it: `// file: src/cart.ts`, `# file: …`, `-- file: …`, `<!-- file: … -->`
 *      (that line is not part of the content);
 *   3. the line right before the fence (blank lines aside) is only a path: `src/cart.ts`, **src/cart.ts**,
 *      `` `src/cart.ts` ``, `### src/cart.ts`, `File: src/cart.ts`, with or without a trailing colon.
 * Paths are relative, inside the workspace: no leading `/` or `~`, no drive letter, no `\`, no `..` segment.
 * A path named twice takes its last block.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { workspaceRelative } from './location';

export interface FileChange {
  /** Workspace-relative, `/`-separated. */
  path: string;
  /** The fence's language, '' when it named none. */
  language: string;
  /** The complete new content of the file, as the answer wrote it (no trailing newline added). */
  content: string;
}

/** More files than this in one answer are not offered as one change set. */
export const MAX_CHANGE_SET_FILES = 50;
const MAX_PATH = 1024;

/** `raw` as a workspace-relative path (location.ts's rule), and no `\`, `~`, blank or control character in it. */
export function workspacePath(raw: string): string | undefined {
  const p = raw.trim();
  if (p.length > MAX_PATH || /^~|[\\\s<>"|?*\u0000-\u001f]/.test(p)) return undefined;
  return workspaceRelative(p);
}

/** A bare word is a path only if it looks like one (`README.md`, `src/x`): language ids have neither `.` nor `/`. */
function looksLikePath(p: string | undefined): string | undefined {
  return p !== undefined && /[./]/.test(p.replace(/^\.+/, '')) ? p : undefined;
}

const FILE_COMMENT = /^\s*(?:\/\/|#|--|;|\/\*|<!--)\s*(?:file|path)\s*:\s*(\S+?)\s*(?:\*\/|-->)?\s*$/i;

function fromInfo(info: string): { language: string; path?: string } {
  const words = info.trim().split(/\s+/).filter(Boolean);
  const strip = (w: string) => w.replace(/^(?:file|path|title)=/i, '').replace(/^["']|["']$/g, '');
  if (words.length >= 2) return { language: words[0], path: workspacePath(strip(words[1])) };
  const only = words[0] ?? '';
  const path = looksLikePath(workspacePath(strip(only)));
  return path ? { language: path.split('.').pop() ?? '', path } : { language: only };
}

/** The path a paragraph or heading right before a fence names, when its last line is nothing but a path. */
function fromLabelLine(raw: string): string | undefined {
  const last = raw.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
  let s = last.replace(/^#{1,6}\s+/, '');
  const undecorate = (x: string) => x.replace(/^(?:\*\*|__|\*|_|`)+|(?:\*\*|__|\*|_|`)+$/g, '');
  s = undecorate(s).replace(/:$/, '');
  s = undecorate(s.replace(/^(?:file|path)\s*:\s*/i, ''));
  return looksLikePath(workspacePath(undecorate(s)));
}

/**
 * Collects the labelled code blocks of a Markdown answer from its top-level block tokens, fed in order in one or more
 * pieces (the panel feeds each block once, as its streaming renderer freezes it, so a finished answer is never lexed
 * again). The result is the same as lexing the whole answer at once.
 */
export class ChangeSetScanner {
  private readonly byPath = new Map<string, FileChange>();
  /** The last non-space top-level token seen (a label line may sit right before a fence in the next piece). */
  private before: Token | undefined;
  private cached: FileChange[] | undefined;

  add(tokens: readonly Token[]): void {
    this.before = this.scan(tokens, this.before);
    this.cached = undefined;
  }

  reset(): void {
    this.byPath.clear();
    this.before = undefined;
    this.cached = undefined;
  }

  /** In order, one per path (a path named twice takes its last block), at most MAX_CHANGE_SET_FILES. */
  files(): FileChange[] {
    this.cached ??= [...this.byPath.values()].slice(0, MAX_CHANGE_SET_FILES);
    return this.cached;
  }

  private scan(tokens: readonly Token[], before: Token | undefined): Token | undefined {
    for (const t of tokens) {
      if (t.type === 'space') continue;
      if (t.type === 'code' && (t as { codeBlockStyle?: string }).codeBlockStyle !== 'indented') this.code(t as Tokens.Code, before);
      const nested = t.type === 'list' ? (t as { items?: { tokens?: Token[] }[] }).items?.flatMap((i) => i.tokens ?? []) : (t as { tokens?: Token[] }).tokens;
      if (nested && t.type !== 'paragraph' && t.type !== 'heading') this.scan(nested, undefined);
      before = t;
    }
    return before;
  }

  private code(t: Tokens.Code, before: Token | undefined): void {
    const info = fromInfo(String(t.lang ?? ''));
    let content = String(t.text ?? '');
    let path = info.path;
    if (!path) {
      const firstLine = content.split('\n', 1)[0];
      const named = FILE_COMMENT.exec(firstLine)?.[1];
      const commented = named === undefined ? undefined : workspacePath(named);
      if (commented) {
        path = commented;
        content = content.slice(firstLine.length + 1);
      } else if (before && (before.type === 'paragraph' || before.type === 'heading')) {
        path = fromLabelLine(before.raw);
      }
    }
    if (path) {
      this.byPath.delete(path);
      this.byPath.set(path, { path, language: info.language, content });
    }
  }
}

/** The labelled code blocks of `answer` (Markdown), in order, one per path. */
export function parseChangeSet(answer: string): FileChange[] {
  const scanner = new ChangeSetScanner();
  scanner.add(new Lexer().lex(answer));
  return scanner.files();
}

/** `content` shaped like the file it replaces: its line endings and its final newline (a new file gets one). */
export function fitToFile(content: string, baseline: string | undefined): string {
  const crlf = baseline !== undefined && /\r\n/.test(baseline);
  let out = content.replace(/\r\n/g, '\n');
  const finalNewline = baseline === undefined || baseline === '' || /\n$/.test(baseline);
  if (finalNewline && out !== '' && !out.endsWith('\n')) out += '\n';
  if (!finalNewline) out = out.replace(/\n$/, '');
  return crlf ? out.replace(/\n/g, '\r\n') : out;
}
