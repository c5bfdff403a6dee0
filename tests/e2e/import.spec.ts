import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import path from 'node:path';
import { answer, waitForSync } from './helpers';

/** Invented transcripts: a press conference where one journalist never ends with a question mark, and a captioned briefing. */
const PRESS_CONFERENCE = `Press conference on the northern ports
Port Avel, Freedonia
14 April 2026

MODERATOR: Good morning. The Minister will make a statement and take questions.

MINISTER HALE: Thank you. From June, every ship calling at the northern ports will be inspected at night as well as by day.

We will hire forty inspectors.

MS. BERG (Harbour Times): Minister, your reaction to the union’s claim that forty is not enough.

MINISTER HALE: Forty is a start. We will review the number in the autumn.

Q: Will the inspections slow the ferries?

MINISTER HALE: No. The ferries are inspected in port, between crossings.`;

const CAPTIONS = `WEBVTT - Harbour League briefing

00:00:01.000 --> 00:00:04.000
<v Moderator>Good morning. The Director will take your questions.

00:00:05.000 --> 00:00:07.000
<v Director Ruiz>Thank you. The harbour reopens on Monday.

00:00:07.500 --> 00:00:09.000
<v Director Ruiz>We expect long queues in the first week.

00:00:10.000 --> 00:00:12.000
<v Reporter>Will the fares change?

00:00:12.500 --> 00:00:15.000
<v Director Ruiz>No, they stay the same all winter.
`;

const screenshotDir = process.env.PARLEY_E2E_OUTPUT ?? 'test-results/e2e';

async function transcriptCount(page: Page): Promise<number> {
  const res = await page.request.get('/api/transcripts');
  return ((await res.json()) as { transcripts: unknown[] }).transcripts.length;
}

function speakerRow(page: Page, label: string) {
  return page.locator(`[data-testid="preview.speaker"][data-speaker="${label}"]`);
}

async function joinSession(page: Page, name: string): Promise<void> {
  await expect(page).toHaveURL(/\/sessions\/[^/?]+/);
  await page.getByTestId('name.input').fill(name);
  await page.getByTestId('name.submit').click();
  await waitForSync(page);
}

test.describe('importing a transcript', () => {
  test('an analyst pastes a press conference, makes a journalist the asker, starts a session and comments on an answer', async ({ page }) => {
    const before = await transcriptCount(page);
    await page.goto('/');
    await page.getByTestId('home.import').click();
    await expect(page.getByRole('heading', { name: 'Import a transcript' })).toBeVisible();

    await page.getByTestId('import.paste').fill(PRESS_CONFERENCE);
    await page.getByTestId('import.paste-submit').click();

    // The preview: speakers with their turn counts, the first turns, nothing stored yet; parsed off the main thread.
    await expect(page.getByTestId('import.preview')).toBeVisible();
    await expect(page.getByTestId('import.preview')).toHaveAttribute('data-parsed-in', 'worker');
    await expect(page.getByTestId('preview.title')).toHaveValue('Press conference on the northern ports');
    await expect(page.getByTestId('preview.speaker')).toHaveCount(4);
    await expect(speakerRow(page, 'MINISTER HALE').getByTestId('preview.speaker-turns')).toHaveText('3');
    await expect(speakerRow(page, 'MS. BERG (Harbour Times)')).toHaveAttribute('data-role', 'answers');
    await expect(page.getByTestId('preview.stats')).toContainText('6 turns · 1 exchange · 4 speakers');
    expect(await transcriptCount(page)).toBe(before);

    // The parser could not tell that Ms. Berg asks (no question mark): fix her role.
    await speakerRow(page, 'MS. BERG (Harbour Times)').getByTestId('preview.speaker-role').selectOption('asks');
    await expect(speakerRow(page, 'MS. BERG (Harbour Times)')).toHaveAttribute('data-role', 'asks');
    await expect(page.getByTestId('preview.stats')).toContainText('2 exchanges');
    await expect(page.locator('[data-testid="preview.turn"][data-turn-id="t3"]')).toHaveAttribute('data-kind', 'question');
    await expect(page.locator('[data-testid="preview.turn"][data-turn-id="t4"] [data-testid="preview.turn-kind"]')).toHaveText('Answer · exchange 1');
    await expect(page.getByTestId('import.status')).toContainText('asks questions');

    // Rename a speaker inline, then undo it.
    await speakerRow(page, 'MINISTER HALE').getByTestId('preview.speaker-name').fill('Minister Hale');
    await speakerRow(page, 'MINISTER HALE').getByTestId('preview.speaker-rename').click();
    await expect(speakerRow(page, 'Minister Hale')).toBeVisible();
    await page.getByTestId('preview.undo').click();
    await expect(speakerRow(page, 'MINISTER HALE')).toBeVisible();

    await page.getByTestId('preview.save').click();
    await joinSession(page, 'Ana Ruiz');
    expect(await transcriptCount(page)).toBe(before + 1);

    // The session shows the fixed structure: the journalist's turn opens exchange 1.
    await expect(page.getByTestId('navigator.item').filter({ hasText: 'your reaction' })).toHaveCount(1);
    const first = answer(page, 1);
    await expect(first).toContainText('Forty is a start.');
    await first.hover();
    await first.getByTestId('turn.comment').click();
    await page.getByTestId('composer.body').fill('He commits to a review, not to more inspectors.');
    await page.getByTestId('composer.submit').click();
    await expect(page.getByTestId('thread').filter({ hasText: 'not to more inspectors' })).toBeVisible();
  });

  test('an analyst uploads a WebVTT file and sees its voices and cue times before saving', async ({ page }) => {
    await page.goto('/import');
    await page.getByTestId('import.file').setInputFiles({ name: 'harbour-briefing.vtt', mimeType: 'text/vtt', buffer: Buffer.from(CAPTIONS) });
    await expect(page.getByTestId('import.preview')).toBeVisible();
    await expect(page.getByTestId('preview.title')).toHaveValue('Harbour League briefing');
    await expect(page.getByTestId('preview.speaker')).toHaveCount(3);
    await expect(speakerRow(page, 'Director Ruiz').getByTestId('preview.speaker-turns')).toHaveText('2');
    // Consecutive cues of one voice are one turn; the cue time is the turn's start.
    const second = page.locator('[data-testid="preview.turn"][data-turn-id="t2"]');
    await expect(second).toContainText('Thank you. The harbour reopens on Monday. We expect long queues in the first week.');
    await expect(second.getByTestId('preview.turn-kind')).toHaveText('Statement · 0:05');
    await expect(page.locator('[data-testid="preview.turn"][data-turn-id="t3"]')).toHaveAttribute('data-kind', 'question');

    await page.getByTestId('preview.save').click();
    await joinSession(page, 'Ben Okafor');
    await expect(answer(page, 1)).toContainText('No, they stay the same all winter.');
  });

  test('an analyst splits a turn, gives the new part to a new speaker, and merges turns with the keyboard', async ({ page }) => {
    await page.goto('/import');
    await page.getByTestId('import.paste').fill('Host: Welcome to the show.\n\nThanks for having me.\n\nHost: So, what changed?\nGuest: The ferries run later.');
    await page.getByTestId('import.paste-submit').click();
    const first = page.locator('[data-testid="preview.turn"][data-turn-id="t1"]');
    await first.getByTestId('preview.split').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('preview.turn')).toHaveCount(4);
    await expect(page.locator('#preview-t2')).toBeFocused();
    await page.locator('[data-testid="preview.turn"][data-turn-id="t2"]').getByTestId('preview.turn-speaker').selectOption('Guest');
    await expect(speakerRow(page, 'Guest').getByTestId('preview.speaker-turns')).toHaveText('2');
    await expect(page.getByTestId('preview.stats')).toContainText('2 exchanges');

    await page.locator('[data-testid="preview.turn"][data-turn-id="t4"]').getByTestId('preview.merge-up').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('preview.turn')).toHaveCount(3);
    await expect(page.locator('#preview-t3')).toBeFocused();
    await expect(page.getByTestId('import.status')).toHaveText('Merged turn 4 into turn 3.');
  });

  test('a Word document is read on the server and previewed', async ({ page }) => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('Briefing on the winter ferries'),
            new Paragraph({ children: [new TextRun({ text: 'DIRECTOR:', bold: true }), new TextRun(' The ferries run later from Monday.')] }),
            new Paragraph({ children: [new TextRun({ text: 'Q:', bold: true }), new TextRun(' Will the fares change?')] }),
            new Paragraph({ children: [new TextRun({ text: 'DIRECTOR:', bold: true }), new TextRun(' No.')] }),
          ],
        },
      ],
    });
    const buffer = await Packer.toBuffer(doc);
    await page.goto('/import');
    await page.getByTestId('import.file').setInputFiles({
      name: 'ferries.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer,
    });
    await expect(page.getByTestId('preview.title')).toHaveValue('Briefing on the winter ferries');
    await expect(page.getByTestId('import.preview')).toHaveAttribute('data-parsed-in', 'server');
    await expect(page.getByTestId('preview.stats')).toContainText('3 turns · 1 exchange · 2 speakers');
  });

  test('a long hearing is read with progress and parsed off the main thread, and the page keeps answering', async ({ page }) => {
    const blocks: string[] = ['A long hearing on the harbour', 'Port Avel, Freedonia', '2 February 2026', ''];
    const answerText = 'The inspections found that most of the ships were in good order, and the few faults we saw were fixed within the week. ';
    for (let i = 0; i < 800; i++) {
      blocks.push(`SENATOR REYES: Question ${i + 1}: how many ships were inspected in district ${i % 12}?`, '');
      blocks.push(`MS. OKAFOR: ${answerText.repeat(4)}`, '', answerText.repeat(3), '');
    }
    const text = blocks.join('\n');
    expect(text.split(/\s+/).length).toBeGreaterThan(100_000);
    await page.goto('/import');
    await page.evaluate(() => {
      const w = window as unknown as { stages: string[]; gaps: number[] };
      w.stages = [];
      w.gaps = [];
      new MutationObserver(() => {
        const stage = document.querySelector('[data-testid="import.progress"]')?.getAttribute('data-stage');
        if (stage && w.stages.at(-1) !== stage) w.stages.push(stage);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
      let last = performance.now();
      const tick = (now: number) => {
        w.gaps.push(now - last);
        last = now;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.getByTestId('import.file').setInputFiles({ name: 'long-hearing.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await expect(page.getByTestId('import.preview')).toBeVisible();
    await expect(page.getByTestId('preview.stats')).toContainText('1600 turns · 800 exchanges · 2 speakers');
    await expect(page.getByTestId('preview.turn')).toHaveCount(20);
    const { stages, gaps } = await page.evaluate(() => {
      const w = window as unknown as { stages: string[]; gaps: number[] };
      return { stages: w.stages, gaps: w.gaps };
    });
    expect(stages).toContain('parsing');
    // No frame waits on the parse: the worker does it.
    expect(Math.max(...gaps)).toBeLessThan(500);
    await page.getByTestId('preview.more').click();
    await expect(page.getByTestId('preview.turn')).toHaveCount(70);
  });

  test('a file that cannot be read gets a clear error and stores nothing', async ({ page }) => {
    const before = await transcriptCount(page);
    await page.goto('/import');
    await page.getByTestId('import.file').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n') });
    await expect(page.getByTestId('import.error')).toContainText('PDF files cannot be read');
    await page.getByTestId('import.file').setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.from('') });
    await expect(page.getByTestId('import.error')).toHaveText('empty.txt: The file is empty');
    await page.getByTestId('import.paste').fill('Just prose, without any speakers.');
    await page.getByTestId('import.paste-submit').click();
    await expect(page.getByTestId('import.error')).toHaveText('No speaker labels found: expected lines such as `NAME: text`');
    expect(await transcriptCount(page)).toBe(before);
  });

  test('the import screen passes an axe scan, empty and with a preview, in light and dark schemes, at 1280 and 800 px', async ({ page }) => {
    const scan = async (what: string) => {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const results = await new AxeBuilder({ page }).analyze();
        expect(results.violations.map((v) => `${what} ${scheme} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    };
    await page.goto('/import');
    await scan('empty');
    await page.screenshot({ path: path.join(screenshotDir, 'import-empty-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 800, height: 900 });
    await page.screenshot({ path: path.join(screenshotDir, 'import-empty-800.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByTestId('import.paste').fill(PRESS_CONFERENCE);
    await page.getByTestId('import.paste-submit').click();
    await expect(page.getByTestId('import.preview')).toBeVisible();
    await scan('preview');
    await page.screenshot({ path: path.join(screenshotDir, 'import-preview-1280.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(screenshotDir, 'import-preview-1280-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 800, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshotDir, 'import-preview-800.png'), fullPage: true });
  });
});
