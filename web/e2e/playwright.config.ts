// Browser tests in Debian's Chromium (nothing is downloaded). scripts/test.sh starts the server on a free
// port and passes its address in CIVICGRID_URL; by hand: start the server, then
//   CIVICGRID_URL=http://localhost:5080 npx playwright test -c e2e
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const results = process.env.CIVICGRID_TEST_RESULTS ?? `${repo}artifacts/test-results`;

export default defineConfig({
  testDir: '.',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1, // the suite shares a small machine with the server
  retries: 0,
  outputDir: `${repo}artifacts/playwright-output`,
  reporter: [['list'], ['junit', { outputFile: `${results}/playwright.xml` }]],
  use: {
    baseURL: process.env.CIVICGRID_URL ?? 'http://localhost:5080',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    trace: 'retain-on-failure',
  },
});
