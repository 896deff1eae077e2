// Token counts with GPT-5.x's own encoding (o200k_base) from gpt-tokenizer, a pure-JS BPE. Its ranks make
// about 3.4 MB of code, so this module lives in the lazily loaded core bundle (dist/core.js), never in what
// activation parses.
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * BPE over one long run without spaces (a minified file, a pasted blob) costs far more than linear time, and it
 * runs on the extension host's thread: text is counted in pieces of at most this many characters, cut after
 * whitespace where there is some. A cut inside a word can add a token or two: the count stays exact for
 * ordinary text and errs on the safe (high) side otherwise.
 */
const PIECE_CHARS = 2048;

/** The number of o200k_base tokens in `text` (what the service counts for the text alone, without message framing). */
export function countTokens(text: string): number {
  if (!text) return 0;
  let total = 0;
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + PIECE_CHARS);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      const newline = text.lastIndexOf('\n', end);
      const cut = Math.max(space, newline);
      if (cut > at) end = cut;
      // Never split a surrogate pair.
      else if (/[\ud800-\udbff]/.test(text[end - 1])) end--;
    }
    total += countO200k(text.slice(at, end));
    at = end;
  }
  return total;
}
