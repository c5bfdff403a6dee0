import { expect, type Browser, type Page, type Request as PWRequest } from '@playwright/test';

/** Starts a review session on the sample transcript through the public API; returns its path. */
export async function newSession(page: Page, title?: string): Promise<string> {
  const res = await page.request.post('/api/sessions', {
    data: { transcriptId: 'un-sg-lavrov-moscow-2018-06-21', ...(title ? { title } : {}) },
  });
  expect(res.status()).toBe(201);
  const body = (await res.json()) as { path: string };
  return body.path;
}

/** An analyst: a browser context of its own, named on the first-visit card, connected and synced. */
export async function joinAs(browser: Browser, path: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(path);
  await page.getByTestId('name.input').fill(name);
  await page.getByTestId('name.submit').click();
  await waitForSync(page);
  return page;
}

/** Waits until the connection pill says the document is synced with the server. */
export async function waitForSync(page: Page): Promise<void> {
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
}

/** The turn block of the n-th answer (1-based) in transcript order. */
export function answer(page: Page, n: number) {
  return page.locator('article[data-kind="answer"]').nth(n - 1);
}

/** Selects the first occurrence of `text` in a turn, as a keyboard or mouse selection would, and waits for the menu. */
export async function selectText(page: Page, turnId: string, text: string): Promise<void> {
  await page.evaluate(
    ({ turnId, text }) => {
      const paras = document.querySelectorAll<HTMLElement>(`p[data-turn-id="${turnId}"]`);
      for (const p of paras) {
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const i = (n.textContent ?? '').indexOf(text);
          if (i >= 0) {
            const range = document.createRange();
            range.setStart(n, i);
            range.setEnd(n, i + text.length);
            const sel = window.getSelection()!;
            sel.removeAllRanges();
            sel.addRange(range);
            return;
          }
        }
      }
      throw new Error(`"${text}" not found in turn ${turnId}`);
    },
    { turnId, text },
  );
  await expect(page.getByTestId('selection.menu')).toBeVisible();
}

/** Downloads the session's Markdown export through the page's own button. */
export async function downloadExport(page: Page): Promise<string> {
  await page.getByTestId('export.open').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export.md').click()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export type { PWRequest };
