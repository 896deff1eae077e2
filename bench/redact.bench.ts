/**
 * redact() runs over every log line and error message. It must stay a single linear pass: the benchmark times it
 * on 1 MB and 4 MB of text (linear is 4, quadratic 16: goal ≤ 5) and against a baseline in the same process,
 * a plain global regex replace over the same text (how many times slower redact is).
 */
import { redact } from '../src/core/redact';

function time(fn: () => void, rounds = 15): number {
  fn();
  const xs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

const line = 'INFO asked openai.gpt-5.5 in us-east-2, 1234 tokens, Authorization: Bearer bedrock-api-key-QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo= ok\n';
const mb1 = line.repeat(Math.ceil(1_000_000 / line.length));
const mb4 = mb1.repeat(4);
const baseline = time(() => mb1.replace(/bedrock/g, 'b'));
const t1 = time(() => redact(mb1));
const t4 = time(() => redact(mb4));
console.log(`baseline (one global replace, 1 MB): ${baseline.toFixed(2)} ms`);
console.log(`redact 1 MB: ${t1.toFixed(2)} ms (${(t1 / baseline).toFixed(1)}× baseline)`);
console.log(`redact 4 MB: ${t4.toFixed(2)} ms; 4 MB / 1 MB ratio ${(t4 / t1).toFixed(2)}  goal ≤ 5  ${t4 / t1 <= 5 ? 'MET' : 'MISSED'}`);
