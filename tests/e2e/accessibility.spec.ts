import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { answer, joinAs, newSession } from './helpers';

test.describe('accessibility', () => {
  test('the start page passes an axe scan', async ({ page }) => {
    await page.goto('/');
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });

  test('the review room with comments passes an axe scan, in light and dark schemes', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    await answer(ana, 2).hover();
    await answer(ana, 2).getByTestId('turn.comment').click();
    await ana.getByTestId('composer.body').fill('A comment for the scan.');
    await ana.getByTestId('composer.tags').fill('scan');
    await ana.getByTestId('composer.submit').click();
    await expect(ana.getByTestId('thread')).toHaveCount(1);
    for (const scheme of ['light', 'dark'] as const) {
      await ana.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page: ana }).analyze();
      expect(results.violations.map((v) => `${scheme} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
    }
  });

  test('an analyst can comment using only the keyboard', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    await ana.locator('body').click({ position: { x: 5, y: 5 } });
    await ana.keyboard.press('?');
    await expect(ana.getByTestId('help.panel')).toBeVisible();
    await ana.keyboard.press('Escape');
    await expect(ana.getByTestId('help.panel')).toBeHidden();
    // From the top, ] steps through the opening, exchange 1 and exchange 2; then `j` moves to its answer and `c` comments on it.
    await ana.keyboard.press(']');
    await ana.keyboard.press(']');
    await ana.keyboard.press(']');
    await expect(ana.locator('[data-testid="navigator.item"][aria-current="location"]')).toContainText('UN reform');
    await ana.keyboard.press('j');
    await ana.keyboard.press('j');
    await ana.keyboard.press('c');
    await expect(ana.getByTestId('composer.body')).toBeFocused();
    await ana.keyboard.type('Typed without a mouse.');
    await ana.keyboard.press('Control+Enter');
    const thread = ana.getByTestId('thread').filter({ hasText: 'Typed without a mouse.' });
    await expect(thread).toBeVisible();
    await expect(thread.getByTestId('thread.where')).toContainText('Exchange 2 · answer');
    // The new thread is the selected one: R replies to it, X resolves it.
    await ana.locator('body').press('r');
    await expect(thread.getByTestId('composer.body')).toBeFocused();
    await ana.keyboard.type('And a reply, also by keyboard.');
    await ana.keyboard.press('Control+Enter');
    await expect(thread.getByTestId('thread.reply')).toContainText('also by keyboard');
    await ana.locator('body').press('x');
    await expect(thread).toHaveAttribute('data-status', 'resolved');
  });

  test('JSON-LD annotations exported from one session import into another', async ({ browser }) => {
    const first = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, first, 'Ana Ruiz');
    await answer(ana, 1).hover();
    await answer(ana, 1).getByTestId('turn.comment').click();
    await ana.getByTestId('composer.body').fill('Carried across sessions.');
    await ana.getByTestId('composer.submit').click();
    await ana.getByTestId('export.open').click();
    const [download] = await Promise.all([ana.waitForEvent('download'), ana.getByTestId('export.jsonld').click()]);
    const file = await download.path();

    const second = await newSession(await (await browser.newContext()).newPage());
    const ben = await joinAs(browser, second, 'Ben Okafor');
    await expect(ben.getByTestId('thread')).toHaveCount(0);
    await ben.getByTestId('export.open').click();
    await ben.getByTestId('import.annotations-file').setInputFiles(file);
    await expect(ben.getByTestId('notice')).toContainText('Imported 1 comment, 0 replies');
    await expect(ben.getByTestId('thread').filter({ hasText: 'Carried across sessions.' })).toBeVisible();
  });
});
