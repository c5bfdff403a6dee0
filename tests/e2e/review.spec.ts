import { test, expect } from '@playwright/test';
import { answer, downloadExport, joinAs, newSession, selectText } from './helpers';

test.describe('two analysts review the sample transcript together', () => {
  test('comments, replies, highlights and presence travel live, and the export holds both analysts’ work', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');

    // Presence: each sees both analysts.
    for (const page of [ana, ben]) {
      await expect(page.getByTestId('presence.peer')).toHaveCount(2);
      await expect(page.locator('[data-testid="presence.peer"][data-user-name="Ana Ruiz"]')).toBeVisible();
      await expect(page.locator('[data-testid="presence.peer"][data-user-name="Ben Okafor"]')).toBeVisible();
    }

    // Ana comments on the second answer as a whole.
    const second = answer(ana, 2);
    await second.hover();
    await second.getByTestId('turn.comment').click();
    await ana.getByTestId('composer.body').fill('He separates Security Council compliance from Secretariat reform.');
    await ana.getByTestId('composer.tags').fill('reform, framing');
    await ana.getByTestId('composer.submit').click();

    // Ben sees it without reloading, on the same answer.
    const benThread = ben.getByTestId('thread').filter({ hasText: 'Secretariat reform' });
    await expect(benThread).toBeVisible();
    await expect(benThread.getByTestId('comment.author')).toHaveText('Ana Ruiz');
    await expect(benThread.getByTestId('comment.tag')).toHaveText(['#reform', '#framing']);
    await expect(answer(ben, 2).getByTestId('turn.count')).toHaveText('1');

    // Ben replies; Ana sees the reply.
    await benThread.getByTestId('thread.reply-open').click();
    await benThread.getByTestId('composer.body').fill('Agreed — and he avoids the substance of the question.');
    await benThread.getByTestId('composer.submit').click();
    const anaThread = ana.getByTestId('thread').filter({ hasText: 'Secretariat reform' });
    await expect(anaThread.getByTestId('thread.reply')).toHaveCount(1);
    await expect(anaThread.getByTestId('thread.reply').getByTestId('comment.author')).toHaveText('Ben Okafor');
    await expect(anaThread.getByTestId('thread.reply')).toContainText('avoids the substance');

    // Ana highlights a passage of the third answer; Ben sees the highlight in the transcript.
    const thirdId = await answer(ana, 3).getAttribute('data-turn-id');
    await selectText(ana, thirdId!, 'geostrategic interests of the Russian Federation');
    await ana.getByTestId('selection.highlight').click();
    const benMark = answer(ben, 3).getByTestId('passage');
    await expect(benMark).toHaveText('geostrategic interests of the Russian Federation');

    // Ben comments on a selected passage of the first answer; Ana sees its quote and highlight.
    const firstId = await answer(ben, 1).getAttribute('data-turn-id');
    await selectText(ben, firstId!, 'human rights architecture is a key tool');
    await ben.getByTestId('selection.comment').click();
    await ben.getByTestId('composer.body').fill('A defence of the Council without criticising the US.');
    await ben.getByTestId('composer.submit').click();
    await expect(ana.getByTestId('thread.quote').filter({ hasText: 'human rights architecture is a key tool' })).toBeVisible();
    await expect(answer(ana, 1).getByTestId('passage')).toHaveText('human rights architecture is a key tool');

    // The exported Markdown holds both analysts' text.
    const md = await downloadExport(ben);
    expect(md).toContain('# Review: Secretary-General');
    expect(md).toContain('Moscow, Russian Federation · 2018-06-21');
    expect(md).toContain('He separates Security Council compliance from Secretariat reform.');
    expect(md).toContain('Agreed — and he avoids the substance of the question.');
    expect(md).toContain('A defence of the Council without criticising the US.');
    expect(md).toContain('human rights architecture is a key tool');
    expect(md).toContain('**Ana Ruiz**');
    expect(md).toContain('**Ben Okafor**');
    expect(md).toContain('`reform`');
  });

  test('each analyst’s reading position shows in the others’ margin', async ({ browser }) => {
    const path = await newSession(await (await browser.newContext()).newPage());
    const ana = await joinAs(browser, path, 'Ana Ruiz');
    const ben = await joinAs(browser, path, 'Ben Okafor');
    const thirdId = await answer(ben, 3).getAttribute('data-turn-id');
    await answer(ben, 3).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expect(ana.locator(`article[data-turn-id="${thirdId}"] [data-testid="margin.peer"][data-user-name="Ben Okafor"]`)).toBeVisible();
  });
});
