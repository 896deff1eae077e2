/** The problems an editor reports in a selection, as Find Bugs sends them with the question. */

export interface ReportedProblem {
  /** 0-based line of the problem's start. */
  line: number;
  /** VS Code's DiagnosticSeverity order: 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
  source?: string;
  code?: string | number;
  message: string;
}

const SEVERITY = ['error', 'warning', 'info', 'hint'];

/** `error (ts 2322)`: the severity and, when known, the source and code. */
function kindOf(d: ReportedProblem): string {
  const source = [d.source, d.code].filter((x) => x !== undefined && x !== '').join(' ');
  return `${SEVERITY[d.severity] ?? 'info'}${source ? ` (${source})` : ''}`;
}

/**
 * `prompt`, then (when there are problems) `heading` and one line per problem:
 * `- line 12: error (ts 2322): Type 'string' is not assignable…`. `lineLabel` words "line N" in the user's language.
 */
export function withProblems(prompt: string, problems: readonly ReportedProblem[], heading: string, lineLabel: (line: number) => string): string {
  if (!problems.length) return prompt;
  const lines = problems.map((d) => `- ${lineLabel(d.line + 1)}: ${kindOf(d)}: ${d.message}`);
  return `${prompt}\n\n${heading}\n${lines.join('\n')}`;
}

/** A problem with the file it is in (workspace-relative) and its 0-based column. */
export interface LocatedProblem extends ReportedProblem {
  path: string;
  column: number;
}

/** One line per problem, `src/cart.ts:12:5 error (ts 2322): …` (1-based), errors first, as an `@problems` item. */
export function problemList(problems: readonly LocatedProblem[]): string {
  return [...problems]
    .sort((a, b) => a.severity - b.severity || a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column)
    .map((d) =>
      `${d.path}:${d.line + 1}:${d.column + 1} ${kindOf(d)}: ${d.message.replace(/\s*\n\s*/g, ' ')}`)
    .join('\n');
}
