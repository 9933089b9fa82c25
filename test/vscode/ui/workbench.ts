// What a user does and sees in the workbench, as Playwright steps: keyboard
// commands, the Problems panel, the quick fix menu and the after-line text.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { eventually } from '../../helpers/eventually';

export const uiWaitMs = 90_000;

// The page's DOM, declared narrowly: the project compiles without the DOM library.
interface PageElement {
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
declare const document: PageElement;
declare function getComputedStyle(element: PageElement, pseudo: string): { content: string };

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: uiWaitMs });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: uiWaitMs });
  await page.keyboard.press('Enter');
}

/**
 * Opens a workspace file through Quick Open, by its path relative to the workspace, and waits
 * until the editor shows a line starting with `showing` (files of the same name are many).
 */
export async function openFileByName(page: Page, relativePath: string, showing: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: uiWaitMs });
  await input.fill(relativePath);
  // The row of this file: its name, and its folder as the description.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.posix.dirname(relativePath) }).first().click();
  await page.locator('.monaco-editor .view-line', { hasText: showing }).first().waitFor({ timeout: uiWaitMs });
}

/**
 * Answers an open-file dialog (VS Code's own, a quick input in the browser) with an absolute path.
 * The dialog opens in the quick input the command palette just used, and writes its start folder
 * into it once it has listed that folder: a path typed before then is overwritten, and OK would
 * open the folder instead. So it waits for the dialog's button and its start folder first, and
 * types the path again until it stays before pressing OK.
 */
export async function pickFileInDialog(page: Page, file: string, okLabel: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const ok = page.locator('.quick-input-widget .monaco-button', { hasText: okLabel }).first();
  await ok.waitFor({ timeout: uiWaitMs });
  await waitUntil(async () => (await input.inputValue()).startsWith('/'), 'the file dialog shows its start folder');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first();
  await waitUntil(async () => {
    if ((await input.inputValue()) !== file) await input.fill(file);
    return (await row.isVisible()) && (await input.inputValue()) === file;
  }, `the file dialog lists ${file} and keeps it`);
  await ok.click();
  await input.waitFor({ state: 'hidden', timeout: uiWaitMs });
}

async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  if (!(await eventually(condition, Boolean, uiWaitMs))) throw new Error(`timed out waiting until ${what}`);
}

/** Puts the cursor at the end of the first line starting with `text` by clicking it. */
async function clickLine(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-line', { hasText: text }).first().click();
  // Keys go wherever focus is; a toast or panel can hold it for a moment after the click.
  await page.locator('.monaco-editor.focused').first().waitFor({ timeout: uiWaitMs });
  await page.keyboard.press('End');
}

export async function waitForSquiggle(page: Page): Promise<void> {
  await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: uiWaitMs });
}

export async function openProblemsWith(page: Page, text: string): Promise<void> {
  await runCommand(page, 'View: Focus Problems');
  await page.locator('.markers-panel .monaco-list-row', { hasText: text }).first().waitFor({ timeout: uiWaitMs });
}

/**
 * Puts the cursor on the line starting with `line` and opens the quick fix menu there, until it
 * offers `title`. A code lens or toast that appears while the click is on its way moves the line
 * under the pointer, and then the menu (if any) is another line's: so it closes it and tries again.
 */
export async function openQuickFixMenu(page: Page, line: string, title: string): Promise<void> {
  const menu = page.locator('.action-widget', { hasText: title }).first();
  const offered = await eventually(async () => {
    await clickLine(page, line);
    await page.keyboard.press('Control+.');
    if (await menu.waitFor({ timeout: 5_000 }).then(() => true, () => false)) return true;
    await page.keyboard.press('Escape');
    return false;
  }, Boolean, uiWaitMs);
  if (!offered) {
    const shown = await page.locator('.action-widget').allTextContents();
    throw new Error(`the quick fix menu on "${line}" never offered "${title}"; it showed: ${JSON.stringify(shown)}`);
  }
}

/** The code lens above the first FROM says "Building…" until the build has ended. */
export async function waitForBuildEnd(page: Page): Promise<void> {
  await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Building' }).waitFor({ state: 'detached', timeout: uiWaitMs });
}

export interface LineExpectation {
  /** The instruction line, by how it starts. */
  startsWith: string;
  /** A regular expression the rest of the rendered line (its annotation) must match. */
  matches: string;
}

interface Inspection {
  expectations: LineExpectation[];
  forbidden: string;
  /** Return the lines even when the expectations do not hold (to report them). */
  always: boolean;
}

/**
 * Reads each rendered editor line with its after-line decoration, whether VS
 * Code draws it as injected text or as a CSS ::after pseudo-element; false
 * while the expectations do not hold. Runs in the page, so it is self-contained and
 * uses only anonymous inline functions (named ones get bundler helpers the page
 * does not have).
 */
function inspectLines({ expectations, forbidden, always }: Inspection): string[] | false {
  const lines = [...document.querySelectorAll('.monaco-editor .view-lines .view-line')].map((line) =>
    [
      line.textContent ?? '',
      ...[...line.querySelectorAll('span')]
        .map((span) => getComputedStyle(span, '::after').content)
        .filter((content) => content && content !== 'none' && content !== 'normal')
        .map((content) => content.replace(/^"|"$/g, '')),
    ].join(' ').replace(/\u00a0/g, ' ').trim());
  const holds = expectations.every((e) =>
    lines.some((line) => line.startsWith(e.startsWith) && new RegExp(e.matches).test(line.slice(e.startsWith.length))));
  return always || (holds && !lines.some((line) => new RegExp(forbidden).test(line))) ? lines : false;
}

/** Waits, re-checking on every rendered frame, until every expectation holds and no line matches `forbidden`. */
export async function waitForAnnotations(page: Page, expectations: LineExpectation[], forbidden: string, timeoutMs: number): Promise<void> {
  try {
    await page.waitForFunction(inspectLines, { expectations, forbidden, always: false }, { timeout: timeoutMs, polling: 'raf' });
  } catch (error) {
    const lines: string[] = await page.evaluate(inspectLines, { expectations, forbidden, always: true }).then((l) => l || [], () => []);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nrendered lines:\n${lines.join('\n')}`);
  }
}
