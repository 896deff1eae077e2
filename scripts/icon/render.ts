// Renders scripts/icon/icon.svg to media/icon.png (128×128, the Marketplace's size) with Debian's chromium.
//   npx tsx scripts/icon/render.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, launchChromium } from '../harness/codeServer';

async function main(): Promise<void> {
  const svg = readFileSync(join(REPO_ROOT, 'scripts/icon/icon.svg'), 'utf8');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: join(REPO_ROOT, 'media/icon.png'), omitBackground: true });
    console.log('wrote media/icon.png');
  } finally {
    await browser.close();
  }
}

void main();
