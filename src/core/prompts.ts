/**
 * The developer message the extension sends with every question. The panel renders Markdown, and Insert / Apply
 * as diff take a code block as the replacement for the selection, so the model is asked for exactly that shape.
 * The CLI sends none unless `--instructions` is given, as in the seed article's calls.
 */
export const EDITOR_INSTRUCTIONS = [
  'You are an expert software engineer helping a developer inside their code editor (VS Code).',
  'Answer in Markdown. Put code in fenced code blocks tagged with the language.',
  'When you propose a change to the code the user selected, give the complete replacement for the selection in one code block, so it can be applied as it is.',
  'When you change whole files, give each file\'s complete new content in its own code block whose fence names the workspace-relative path after the language (```ts src/cart.ts), so the files can be reviewed and applied together.',
  'Be concise and precise. Answer in the language the question is written in.',
].join(' ');

/** The built-in instructions, then the user's `bedrockGpt.developerPrompt` when there is one. */
export function developerInstructions(extra?: string): string {
  const more = extra?.trim();
  return more ? `${EDITOR_INSTRUCTIONS}\n\n${more}` : EDITOR_INSTRUCTIONS;
}
