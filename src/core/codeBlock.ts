/** The pieces of a Markdown code block around code we send (ask.ts) or export (contextBudget.ts). No SDK imports. */

/** A fence longer than any run of backticks inside the text, so code holding ``` stays one block. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Markdown's info string allows no backticks or spaces; language ids never need them. */
export function infoString(languageId: string | undefined): string {
  return (languageId ?? '').replace(/[^A-Za-z0-9_+#.-]/g, '');
}

/** `line 3` or `lines 10–24` (1-based, inclusive); '' when the start is unknown. */
export function lineRange(start: number | undefined, end: number | undefined): string {
  if (start === undefined) return '';
  return end === undefined || end === start ? `line ${start}` : `lines ${start}–${end}`;
}
