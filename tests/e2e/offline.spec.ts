import { test, expect, type Page, type WebSocketRoute } from '@playwright/test';
import { answer, joinAs, newSession } from './helpers';

/**
 * Puts a page's collaboration socket behind a switch: "offline" drops the live
 * socket and refuses new ones, as a lost network would; "online" lets the
 * page's own reconnect through to the real server.
 */
async function networkSwitch(page: Page) {
  let offline = false;
  const open = new Set<WebSocketRoute>();
  await page.routeWebSocket(/\/collab\//, (ws) => {
    if (offline) {
      ws.close({ code: 1006, reason: 'offline' }).catch(() => ws.close());
      return;
    }
    open.add(ws);
    ws.connectToServer();
    ws.onClose(() => open.delete(ws));
  });
  return {
    async goOffline() {
      offline = true;
      for (const ws of open) await ws.close({ code: 4000, reason: 'network lost' });
      open.clear();
    },
    goOnline() {
      offline = false;
    },
  };
}

test('a comment written while offline reaches the others once the connection returns', async ({ browser }) => {
  const path = await newSession(await (await browser.newContext()).newPage());
  // The switch must be in place before the page opens its socket.
  const anaContext = await browser.newContext();
  const anaPage = await anaContext.newPage();
  const net = await networkSwitch(anaPage);
  await anaPage.goto(path);
  await anaPage.getByTestId('name.input').fill('Ana Ruiz');
  await anaPage.getByTestId('name.submit').click();
  await expect(anaPage.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const ben = await joinAs(browser, path, 'Ben Okafor');

  await net.goOffline();
  await expect(anaPage.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
  await expect(anaPage.getByTestId('connection')).toContainText('Offline');

  await answer(anaPage, 1).hover();
  await answer(anaPage, 1).getByTestId('turn.comment').click();
  await anaPage.getByTestId('composer.body').fill('Written on the train, with no signal.');
  await anaPage.getByTestId('composer.submit').click();
  await expect(anaPage.getByTestId('thread').filter({ hasText: 'with no signal' })).toBeVisible();
  await expect(ben.getByTestId('thread')).toHaveCount(0);

  net.goOnline();
  await expect(anaPage.getByTestId('connection')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(ben.getByTestId('thread').filter({ hasText: 'with no signal' })).toBeVisible();
});

test('edits made offline survive a reload while still offline and reach the server when the connection returns', async ({ browser }) => {
  const path = await newSession(await (await browser.newContext()).newPage());
  const context = await browser.newContext();
  const page = await context.newPage();
  let offline = false;
  // The switch applies to every page of the context, including the reloaded one.
  await context.routeWebSocket(/\/collab\//, (ws) => {
    if (offline) {
      ws.close({ code: 1006, reason: 'offline' }).catch(() => ws.close());
      return;
    }
    ws.connectToServer();
  });
  await page.goto(path);
  await page.getByTestId('name.input').fill('Ana Ruiz');
  await page.getByTestId('name.submit').click();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');

  offline = true;
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
  await answer(page, 2).hover();
  await answer(page, 2).getByTestId('turn.comment').click();
  await page.getByTestId('composer.body').fill('Kept on this device through a reload.');
  await page.getByTestId('composer.submit').click();
  await expect(page.getByTestId('thread').filter({ hasText: 'through a reload' })).toBeVisible();

  // Reload while still offline: the comment comes back from IndexedDB.
  await page.reload();
  await expect(page.getByTestId('thread').filter({ hasText: 'through a reload' })).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');

  offline = false;
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  const other = await joinAs(browser, path, 'Ben Okafor');
  await expect(other.getByTestId('thread').filter({ hasText: 'through a reload' })).toBeVisible();
});
