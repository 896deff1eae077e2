/**
 * The demo's "model" (`npm start -- --demo`): deterministic, and honest about being a stand-in. It answers with
 * the code of the question handed back under a note, so that ask → stream → Apply as diff can be tried end to
 * end without an AWS account.
 */
import { fenceFor } from '../../src/core/codeBlock';

const LINE_COMMENT: Record<string, string> = {
  python: '#', shellscript: '#', ruby: '#', yaml: '#', dockerfile: '#', perl: '#', r: '#', toml: '#', makefile: '#',
  sql: '--', lua: '--', haskell: '--',
};

/** The first fenced block of the message the extension sends (`From src/x.ts, lines 3–9:` then the block). */
function firstCodeBlock(message: string): { language: string; code: string } | undefined {
  const m = /^(`{3,})([^\n`]*)\n([\s\S]*?)^\1\s*$/m.exec(message);
  return m ? { language: m[2].trim(), code: m[3] } : undefined;
}

export function demoReply(question: string): string {
  const block = firstCodeBlock(question);
  const intro = '*This is the demo: the answer comes from the project\'s Bedrock stand-in on 127.0.0.1, not from GPT-5.5.* ' +
    'Your token was signed and checked exactly as Amazon Bedrock would.';
  if (!block) {
    return `${intro}\n\nSelect some code and ask again (**Bedrock GPT: Ask GPT about Selection**) to try **Apply as diff**.`;
  }
  const comment = LINE_COMMENT[block.language] ?? '//';
  const code = `${comment} Reviewed in the bedrock-gpt demo\n${block.code}`;
  const fence = fenceFor(code);
  return [
    intro,
    '',
    'Here is your code back with a note on top. Click **Apply as diff** on the block below, then **Accept** in the diff editor:',
    '',
    `${fence}${block.language}\n${code}${code.endsWith('\n') ? '' : '\n'}${fence}`,
  ].join('\n');
}
