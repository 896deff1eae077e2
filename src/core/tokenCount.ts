// Token counts with GPT-5.x's own encoding (o200k_base) from gpt-tokenizer, a pure-JS BPE. Its ranks make
// about 3.4 MB of code, so this module lives in the lazily loaded core bundle (dist/core.js), never in what
// activation parses.
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/** The number of o200k_base tokens in `text` (what the service counts for the text alone, without message framing). */
export function countTokens(text: string): number {
  return text ? countO200k(text) : 0;
}
