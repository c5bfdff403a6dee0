import { test, expect, type Page } from '@playwright/test';
import { answer, joinAs, newSession, selectText } from './helpers';

/** The brief's text as a reader sees it, without the other editors' caret labels. */
function briefText(page: Page): Promise<string> {
  return page.getByTestId('brief.editor').evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
    return copy.innerText;
  });
}

test.describe('the shared brief', () => {
  test('two analysts write the brief at once and both see the same text', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');
    for (const p of [ana, ben]) await p.getByTestId('tab.brief').click();
    const anaEditor = ana.getByTestId('brief.editor');
    const benEditor = ben.getByTestId('brief.editor');
    await anaEditor.click();
    await ana.keyboard.type('Ana writes the opening line.');
    await expect.poll(() => briefText(ben)).toContain('Ana writes the opening line.');
    // Both type at the same moment: Ben at the end, Ana at the start. Each caret is
    // placed first, and checked, so the typing itself is what runs concurrently.
    await benEditor.click();
    await ben.keyboard.press('Control+End');
    await ben.keyboard.press('Enter');
    await anaEditor.click();
    await ana.keyboard.press('Control+Home');
    await expect
      .poll(() => ana.evaluate(() => {
        const sel = window.getSelection();
        const p = document.querySelector('[data-testid="brief.editor"] p');
        return !!sel && !!p && sel.anchorOffset === 0 && p.contains(sel.anchorNode);
      }))
      .toBe(true);
    await Promise.all([ben.keyboard.type('Ben adds a second paragraph.'), ana.keyboard.type('Draft: ')]);
    for (const p of [ana, ben]) {
      await expect.poll(() => briefText(p)).toContain('Draft: Ana writes the opening line.');
      await expect.poll(() => briefText(p)).toContain('Ben adds a second paragraph.');
    }
    await expect.poll(async () => (await briefText(ana)) === (await briefText(ben))).toBe(true);
    // Ben's caret carries his name in Ana's editor.
    await expect(ana.locator('.collaboration-carets__label', { hasText: 'Ben Okafor' })).toBeAttached();
  });

  test('a comment goes into the brief as a quote that leads back to its passage', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');
    const thirdId = await answer(ana, 3).getAttribute('data-turn-id');
    await selectText(ana, thirdId!, 'attribution mechanism');
    await ana.getByTestId('selection.comment').click();
    await ana.getByTestId('composer.body').fill('The one concrete proposal in the answer.');
    await ana.getByTestId('composer.submit').click();

    const thread = ben.getByTestId('thread').filter({ hasText: 'one concrete proposal' });
    await thread.getByTestId('thread.add-to-brief').click();
    await expect(ben.getByTestId('notice')).toContainText('Added to the brief');
    await ana.getByTestId('tab.brief').click();
    const quote = ana.getByTestId('brief.quote');
    await expect(quote).toContainText('“attribution mechanism”');
    await expect(quote).toContainText('Secretary-General, exchange 3');
    await expect(ana.getByTestId('brief.editor')).toContainText('Ana Ruiz: The one concrete proposal in the answer.');

    // Clicking the quote scrolls the transcript to the passage and flashes it.
    await ana.getByTestId('transcript').evaluate((el) => el.scrollTo(0, 0));
    await quote.getByTestId('brief.quote-open').click();
    const flash = ana.locator('mark.flash');
    await expect(flash).toHaveText('attribution mechanism');
    await expect(flash).toBeInViewport();
  });

  test('"Draft from session" inserts a structure and keeps what was written', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const firstId = await answer(ana, 1).getAttribute('data-turn-id');
    await selectText(ana, firstId!, 'human rights architecture');
    await ana.getByTestId('selection.highlight').click();
    await ana.getByTestId('tab.brief').click();
    await ana.getByTestId('brief.editor').click();
    await ana.keyboard.type('Our own notes stay.');
    await ana.getByTestId('brief.draft').click();
    const editor = ana.getByTestId('brief.editor');
    await expect(editor).toContainText('Our own notes stay.');
    await expect(editor.locator('h1')).toContainText('Secretary-General');
    await expect(editor.locator('h2').first()).toContainText('Opening statement');
    await expect(editor.locator('h2', { hasText: 'Exchange 2: UN reform' })).toBeVisible();
    await expect(ana.getByTestId('brief.quote')).toContainText('human rights architecture');
  });

  test('a commenter reads the brief but cannot change it', async ({ browser }) => {
    const ownerPage = await (await browser.newContext()).newPage();
    const path = await newSession(ownerPage);
    const id = path.split('/')[2].split('?')[0];
    const key = new URL(path, 'http://x').searchParams.get('key')!;
    const links = await ownerPage.request.get(`/api/sessions/${id}/links`, { headers: { authorization: `Bearer ${key}` } });
    const commenterPath = ((await links.json()) as { links: { role: string; path: string }[] }).links.find((l) => l.role === 'commenter')!.path;
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    await ana.getByTestId('tab.brief').click();
    await ana.getByTestId('brief.editor').click();
    await ana.keyboard.type('Written by the owner.');
    const cara = await joinAs(browser, commenterPath, 'Cara Lind');
    await cara.getByTestId('tab.brief').click();
    await expect(cara.getByTestId('brief.editor')).toContainText('Written by the owner.');
    await expect(cara.getByTestId('brief.editor')).toHaveAttribute('contenteditable', 'false');
    await expect(cara.getByTestId('brief.draft')).toHaveCount(0);
  });

  test('every export format downloads from the menu', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    await answer(ana, 1).hover();
    await answer(ana, 1).getByTestId('turn.comment').click();
    await ana.getByTestId('composer.body').fill('Exported everywhere.');
    await ana.getByTestId('composer.submit').click();
    for (const [format, ext] of [
      ['md', '.md'],
      ['html', '.html'],
      ['docx', '.docx'],
      ['pdf', '.pdf'],
      ['csv', '.csv'],
      ['jsonld', '.jsonld'],
    ] as const) {
      await ana.getByTestId('export.open').click();
      const [download] = await Promise.all([ana.waitForEvent('download'), ana.getByTestId(`export.${format}`).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^review-secretary-general.*2018-06-21\\${ext}$`));
      const file = await download.path();
      expect(file).toBeTruthy();
    }
  });
});
