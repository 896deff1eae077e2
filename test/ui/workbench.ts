// Driving VS Code's workbench in Chromium the way a user does: the command palette, Quick Open, a selection,
// and the chat panel's frame. Shared by the UI tests (test/ui/*.ui.ts).
import type { FrameLocator, Page } from 'playwright-core';

/** Runs a command from the palette (F1), by its title. */
export async function palette(page: Page, command: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${command}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: command }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await input.press('Enter');
}

/** Opens a workspace file with Quick Open (Ctrl+P) and waits until a line holding `expect` is on screen. */
export async function openFile(page: Page, name: string, expect: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await input.press('Enter');
  await page.locator('.editor-instance .monaco-editor .view-line', { hasText: expect }).first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Selects whole lines `from`..`to` (1-based) of the active editor with the keyboard. */
export async function selectLines(page: Page, from: number, to: number): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < from; i++) await page.keyboard.press('ArrowDown');
  for (let i = from; i <= to; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.locator('.editor-instance .selected-text').first().waitFor({ state: 'attached', timeout: 5_000 });
}

/** The chat panel's document: VS Code puts a webview in an iframe.webview, and the content in an inner iframe. */
export function chatFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame, iframe');
}

/** The text of the active editor as Monaco renders it (no-break spaces back to spaces). */
export async function editorText(page: Page): Promise<string> {
  return (await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}
