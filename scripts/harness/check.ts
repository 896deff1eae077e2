// One line and exit 1 when a suite's harness is missing or half-installed (scripts/test-all.mjs runs this
// before each suite that needs it, so that suite fails at once instead of timing out).
//   tsx scripts/harness/check.ts [chromium|all]
import { assertHarnessInstalled } from './codeServer';

const what = process.argv[2] === 'chromium' ? 'chromium' : 'all';
try {
  assertHarnessInstalled(what);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
