// Takes screenshots of the main pages with two analysts at work, for the README
// and for looking at the UI: `npx tsx scripts/screenshots.ts http://localhost:3000 OUT_DIR`.
import { chromium, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const [base = 'http://localhost:3000', out = 'screenshots'] = process.argv.slice(2);
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

async function analyst(browser: Browser, url: string, name: string, viewport = { width: 1280, height: 800 }, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const ctx = await browser.newContext({ viewport, colorScheme: scheme });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.getByTestId('name.input').fill(name);
  await page.getByTestId('name.submit').click();
  await page.waitForSelector('[data-testid="connection"][data-state="connected"]');
  return page;
}

async function select(page: Page, turnId: string, text: string) {
  await page.evaluate(
    ({ turnId, text }) => {
      for (const p of document.querySelectorAll<HTMLElement>(`p[data-turn-id="${turnId}"]`)) {
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const i = (n.textContent ?? '').indexOf(text);
          if (i < 0) continue;
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + text.length);
          getSelection()!.removeAllRanges();
          getSelection()!.addRange(r);
          return;
        }
      }
    },
    { turnId, text },
  );
  await page.waitForSelector('[data-testid="selection.menu"]');
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  const res = await fetch(`${base}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transcriptId: 'un-sg-lavrov-moscow-2018-06-21', title: 'UN reform and Syria: team review' }),
  });
  const { path: sessionPath } = (await res.json()) as { path: string };
  const url = `${base}${sessionPath}`;

  const ana = await analyst(browser, url, 'Ana Ruiz');
  const ben = await analyst(browser, url, 'Ben Okafor');
  const answers = ana.locator('article[data-kind="answer"]');
  const t5 = (await answers.nth(1).getAttribute('data-turn-id'))!;
  const t7 = (await answers.nth(2).getAttribute('data-turn-id'))!;

  await ana.getByTestId('lead.take').click();
  await select(ana, t5, 'the reform of the structure of the Secretariat');
  await ana.getByTestId('selection.comment').click();
  await ana.getByTestId('composer.body').fill('He draws a line between Council compliance and Secretariat reform — @Ben is this new?');
  await ana.getByTestId('composer.tags').fill('reform, framing');
  await ana.getByTestId('composer.submit').click();
  await ben.getByTestId('thread').first().getByTestId('thread.reply-open').click();
  await ben.getByTestId('composer.body').fill('Consistent with his GA speech; the framing is the news.');
  await ben.getByTestId('composer.submit').click();
  await select(ben, t7, 'attribution mechanism');
  await ben.getByTestId('selection.highlight').click();
  await answers.nth(1).locator('[data-testid="verdict.option"][data-value="consistent"]').click();
  await ben.locator(`article[data-turn-id="${t5}"] [data-testid="verdict.option"][data-value="new position"]`).click();
  await answers.nth(1).hover();
  await ana.locator(`article[data-turn-id="${t5}"] [data-testid="turn.discuss"]`).click();
  await ben.locator(`#turn-${t5}`).scrollIntoViewIfNeeded();
  await ana.waitForTimeout(1500);
  await ana.mouse.move(5, 5);
  await ana.screenshot({ path: path.join(out, 'session-1280.png') });
  await ben.screenshot({ path: path.join(out, 'session-ben-1280.png') });

  await ana.getByTestId('tab.brief').click();
  await ana.getByTestId('brief.draft').click();
  await ana.waitForTimeout(800);
  await ana.screenshot({ path: path.join(out, 'brief-1280.png') });

  const narrow = await analyst(browser, url, 'Cara Lind', { width: 800, height: 900 });
  await narrow.waitForTimeout(800);
  await narrow.screenshot({ path: path.join(out, 'session-800.png') });
  await narrow.getByTestId('pane.toggle').click();
  await narrow.waitForTimeout(400);
  await narrow.screenshot({ path: path.join(out, 'session-800-comments.png') });

  const dark = await analyst(browser, url, 'Dev Patel', { width: 1280, height: 800 }, 'dark');
  await dark.waitForTimeout(800);
  await dark.screenshot({ path: path.join(out, 'session-dark.png') });

  const home = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await home.goto(base);
  await home.screenshot({ path: path.join(out, 'home.png') });
  await browser.close();
  console.log(`screenshots in ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
