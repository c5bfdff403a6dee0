import { defineConfig } from '@playwright/test';
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Chromium: PARLEY_CHROMIUM_PATH if set, else Debian's /usr/bin/chromium, else
 * the browser Playwright installed itself. With none of them the suite stops
 * at once and says how to install one.
 */
function chromiumPath(): string | undefined {
  const fromEnv = process.env.PARLEY_CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`PARLEY_CHROMIUM_PATH is set to ${fromEnv}, but there is no file there.`);
    return fromEnv;
  }
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && fs.existsSync(bundled)) return undefined;
  throw new Error(
    'No Chromium found for the browser tests. Install one with:\n\n    sudo apt-get install -y chromium\n\n' +
      '(or `npx playwright install chromium` where downloads are allowed, or set PARLEY_CHROMIUM_PATH).',
  );
}

const port = Number(process.env.PARLEY_E2E_PORT ?? 3217);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-'));

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: process.env.PARLEY_E2E_OUTPUT ?? 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: process.env.PARLEY_E2E_JSON ?? 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: 'node scripts/start.mjs',
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { PORT: String(port), HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir },
  },
});
