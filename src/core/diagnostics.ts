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

/**
 * `prompt`, then (when there are problems) `heading` and one line per problem:
 * `- line 12: error (ts 2322): Type 'string' is not assignable…`. `lineLabel` words "line N" in the user's language.
 */
export function withProblems(prompt: string, problems: readonly ReportedProblem[], heading: string, lineLabel: (line: number) => string): string {
  if (!problems.length) return prompt;
  const lines = problems.map((d) => {
    const source = [d.source, d.code].filter((x) => x !== undefined && x !== '').join(' ');
    return `- ${lineLabel(d.line + 1)}: ${SEVERITY[d.severity] ?? 'info'}${source ? ` (${source})` : ''}: ${d.message}`;
  });
  return `${prompt}\n\n${heading}\n${lines.join('\n')}`;
}
