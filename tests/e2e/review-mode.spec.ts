import { test, expect, type Page } from '@playwright/test';
import { answer, joinAs, newSession } from './helpers';

async function comment(page: Page, n: number, body: string, tags = '') {
  await answer(page, n).hover();
  await answer(page, n).getByTestId('turn.comment').click();
  await page.getByTestId('composer.body').fill(body);
  if (tags) await page.getByTestId('composer.tags').fill(tags);
  await page.getByTestId('composer.submit').click();
  await expect(page.getByTestId('thread').filter({ hasText: body })).toBeVisible();
}

/** Where a turn's top is inside the transcript pane (0 = at the top edge). */
function topInPane(page: Page, turnId: string): Promise<number> {
  return page.evaluate((id) => {
    const main = document.querySelector('main')!.getBoundingClientRect();
    return document.getElementById(`turn-${id}`)!.getBoundingClientRect().top - main.top;
  }, turnId);
}

test.describe('review-session mode with three analysts', () => {
  test('the lead moves the focus: a follower’s view goes there, a non-follower’s stays', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const lead = await joinAs(browser, path, 'Lena Lead');
    await lead.getByTestId('lead.take').click();
    const follower = await joinAs(browser, path, 'Fay Follower');
    const loner = await joinAs(browser, path, 'Noor Nofollow');
    await expect(loner.getByTestId('lead.name')).toHaveText('Lena Lead');
    await loner.getByTestId('lead.follow').click();
    await expect(loner.getByTestId('lead.follow')).toHaveAttribute('aria-pressed', 'false');
    await expect(follower.getByTestId('lead.follow')).toHaveAttribute('aria-pressed', 'true');

    const target = (await answer(lead, 3).getAttribute('data-turn-id'))!;
    await answer(lead, 3).hover();
    await answer(lead, 3).getByTestId('turn.discuss').click();

    for (const p of [follower, loner]) await expect(p.locator(`#turn-${target}`).getByTestId('turn.discussing')).toBeVisible();
    await expect.poll(() => topInPane(follower, target)).toBeLessThan(120);
    await expect.poll(() => topInPane(follower, target)).toBeGreaterThan(-10);
    expect(await topInPane(loner, target)).toBeGreaterThan(800);
    await expect(follower.getByTestId('navigator.discussing')).toHaveCount(1);
  });

  test('verdicts from two analysts make a tally and a disagreement mark', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');
    await answer(ana, 2).locator('[data-testid="verdict.option"][data-value="evasive"]').click();
    await ana.getByTestId('verdict.reason').fill('Answers a different question');
    await ana.getByTestId('verdict.reason').press('Enter');
    await answer(ben, 2).locator('[data-testid="verdict.option"][data-value="consistent"]').click();
    for (const p of [ana, ben]) {
      const tally = answer(p, 2).getByTestId('verdict.tally');
      await expect(tally).toContainText('evasive 1');
      await expect(tally).toContainText('consistent 1');
      await expect(answer(p, 2).getByTestId('verdict.disagreement')).toBeVisible();
    }
    // Ben changes his mind: the disagreement goes away for both.
    await answer(ben, 2).locator('[data-testid="verdict.option"][data-value="evasive"]').click();
    for (const p of [ana, ben]) {
      await expect(answer(p, 2).getByTestId('verdict.tally')).toContainText('evasive 2');
      await expect(answer(p, 2).getByTestId('verdict.disagreement')).toHaveCount(0);
    }
    await expect(ana.getByTestId('navigator.verdicts')).toContainText('2 verdicts');
  });

  test('filters narrow the commentary pane', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');
    await comment(ana, 1, 'Ana on the first answer', 'rights');
    await comment(ben, 2, 'Ben on reform @Ana', 'reform');
    await comment(ben, 3, 'Ben on Syria', 'syria');
    await ana.getByTestId('thread').filter({ hasText: 'Ben on Syria' }).getByTestId('thread.resolve').click();
    await expect(ana.getByTestId('thread')).toHaveCount(3);

    await ana.getByTestId('filter.open').click();
    await expect(ana.getByTestId('thread')).toHaveCount(2);
    await ana.getByTestId('filter.all').click();
    await ana.getByTestId('filter.more').click();
    await ana.getByTestId('filter.author').selectOption({ label: 'Ben Okafor' });
    await expect(ana.getByTestId('thread')).toHaveCount(2);
    await ana.getByTestId('filter.tag').selectOption({ label: '#reform' });
    await expect(ana.getByTestId('thread')).toHaveCount(1);
    await expect(ana.getByTestId('thread')).toContainText('Ben on reform');
    await ana.getByTestId('filter.clear').click();
    await expect(ana.getByTestId('thread')).toHaveCount(3);
    await ana.getByTestId('filter.mentions').click();
    await expect(ana.getByTestId('thread')).toHaveCount(1);
    await expect(ana.getByTestId('thread')).toContainText('Ben on reform');
    await ana.getByTestId('filter.mentions').click();
    // The more-filters panel is still open: choose exchange 3 (after "Any", the opening and exchanges 1–2).
    await ana.getByTestId('filter.section').selectOption({ index: 4 });
    await expect(ana.getByTestId('thread')).toHaveCount(1);
    await expect(ana.getByTestId('thread')).toContainText('Ben on Syria');
  });

  test('undo reverts one’s own change and leaves another analyst’s intact', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');
    await comment(ben, 1, 'Ben’s comment stays');
    await expect(ana.getByTestId('thread').filter({ hasText: 'Ben’s comment stays' })).toBeVisible();
    await comment(ana, 2, 'Ana’s comment goes');
    await expect(ben.getByTestId('thread').filter({ hasText: 'Ana’s comment goes' })).toBeVisible();
    await ana.getByTestId('commentary.undo').click();
    for (const p of [ana, ben]) {
      await expect(p.getByTestId('thread').filter({ hasText: 'Ana’s comment goes' })).toHaveCount(0);
      await expect(p.getByTestId('thread').filter({ hasText: 'Ben’s comment stays' })).toBeVisible();
    }
    // Undo has nothing more of Ana's to revert; redo brings hers back.
    await expect(ana.getByTestId('commentary.undo')).toBeDisabled();
    await ana.getByTestId('commentary.redo').click();
    await expect(ben.getByTestId('thread').filter({ hasText: 'Ana’s comment goes' })).toBeVisible();
  });

  test('search marks matches and steps through them', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    await ana.getByTestId('search.input').fill('Security Council');
    await expect(ana.getByTestId('search.count')).toHaveText(/^1 of \d+$/);
    const total = Number((await ana.getByTestId('search.count').innerText()).split(' of ')[1]);
    expect(total).toBeGreaterThan(3);
    await expect(ana.locator('mark.search-hit')).toHaveCount(total);
    await ana.getByTestId('search.input').press('Enter');
    await expect(ana.getByTestId('search.count')).toHaveText(`2 of ${total}`);
    await expect(ana.locator('mark.search-current')).toBeInViewport();
  });

  test('the codebook renames a code on every comment that uses it', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');
    await ana.getByTestId('tab.codebook').click();
    await ana.getByTestId('code.new-name').fill('dodge');
    await ana.getByTestId('code.add').click();
    await comment(ben, 2, 'Tagged with the code', 'dodge');
    await ana.locator('[data-testid="code"][data-name="dodge"]').getByTestId('code.rename').click();
    await ana.getByTestId('code.input').fill('evasion');
    await ana.getByTestId('code.save').click();
    await expect(ben.getByTestId('thread').filter({ hasText: 'Tagged with the code' }).getByTestId('comment.tag')).toHaveText(['#evasion']);
  });

  test('a deleted thread is restored from a snapshot', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');
    await comment(ben, 2, 'A thread worth keeping');
    const reply = ben.getByTestId('thread').filter({ hasText: 'A thread worth keeping' });
    await reply.getByTestId('thread.reply-open').click();
    await ben.getByTestId('composer.body').fill('With a reply');
    await ben.getByTestId('composer.submit').click();
    await expect(ana.getByTestId('thread.reply')).toHaveCount(1);

    await ana.getByTestId('tab.history').click();
    await ana.getByTestId('history.name').fill('Before the clean-up');
    await ana.getByTestId('history.take').click();
    await expect(ana.getByTestId('history.snapshot').filter({ hasText: 'Before the clean-up' })).toBeVisible();

    // Ben deletes his thread (and its reply with it).
    const thread = ben.getByTestId('thread').filter({ hasText: 'A thread worth keeping' });
    await thread.getByTestId('thread.root').getByTestId('comment.delete').click();
    await thread.getByTestId('comment.delete-confirm').click();
    await expect(ben.getByTestId('thread')).toHaveCount(0);

    await ana.getByTestId('history.snapshot').filter({ hasText: 'Before the clean-up' }).click();
    await expect(ana.getByTestId('history.summary')).toContainText('2 deleted');
    await ana.getByTestId('history.deleted').getByTestId('history.restore').click();
    for (const p of [ana, ben]) {
      await p.getByTestId('tab.commentary').click();
      const back = p.getByTestId('thread').filter({ hasText: 'A thread worth keeping' });
      await expect(back).toBeVisible();
      await expect(back.getByTestId('thread.reply')).toContainText('With a reply');
    }
  });
});
