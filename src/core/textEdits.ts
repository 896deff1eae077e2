/**
 * The text side of Apply as diff, on plain strings and offsets (the VS Code layer converts to and from ranges):
 * where the code an answer is about is now, and a replacement that keeps the file's line endings.
 */

export interface Span {
  start: number;
  end: number;
}

/**
 * `span` if it still holds `expected` (or nothing is expected); else the one place `expected` moved to; else
 * undefined: the text is gone, or it now appears more than once and replacing a guess could hit the wrong copy.
 */
export function locate(text: string, span: Span, expected: string | undefined): Span | undefined {
  if (expected === undefined || text.slice(span.start, span.end) === expected) return span;
  const at = text.indexOf(expected);
  if (at < 0 || text.indexOf(expected, at + 1) >= 0) return undefined;
  return { start: at, end: at + expected.length };
}

/** A code block from the answer has no trailing newline; a selection of whole lines has one. Keep the file's shape. */
export function matchTrailingNewline(code: string, original: string): string {
  const eol = /\r?\n$/.exec(original)?.[0];
  if (eol && !/\n$/.test(code)) return code + eol;
  if (!eol && /\n$/.test(code) && original !== '') return code.replace(/\r?\n$/, '');
  return code;
}

/** `text` with `span` replaced. */
export function replaceSpan(text: string, span: Span, replacement: string): string {
  return text.slice(0, span.start) + replacement + text.slice(span.end);
}
