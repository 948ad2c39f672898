// The volunteer's own work ID on the phone (elder-friendly from the roster's age band), reached from 我的, and the public
// check page its QR code opens: only the masked name, the grid and whether it is valid; an unknown code says so.
import { test, expect } from '@playwright/test';
import { apiAs, phoneContext, shot, signInOnPhone } from './helpers';

test('a volunteer shows their work ID; anyone scanning it sees only the masked name, grid and validity', async ({ browser }) => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await signInOnPhone(page, 'micro01', /\/m\/tasks/);
  await page.goto('/m/mine');
  await page.locator('[data-test=my-work-id-link]').click();
  const card = page.locator('[data-test=phone-card]');
  await expect(card).toBeVisible();
  await expect(page.locator('[data-test=phone-card-status]')).toHaveText('有效');
  await expect(page.locator('[data-test=phone-card-number]')).toHaveText(/^610103099\d{8}$/);
  await expect(page.locator('[data-test=phone-card-qr]')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  await expect(page.locator('html')).toHaveClass(/elder/);
  await shot(page, 'phone-work-id');

  const volunteer = await apiAs('micro01');
  const mine = await (await volunteer.get('/api/work-ids/mine')).json();
  const verifyPath = new URL(mine.workId.verifyUrl).pathname;
  expect(verifyPath).toMatch(/^\/m\/verify\/[A-Za-z0-9_-]{22}$/);

  // Someone scanning the QR: no account.
  const stranger = await (await phoneContext(browser)).newPage();
  await stranger.goto(verifyPath);
  await expect(stranger.locator('[data-test=verify-status]')).toHaveText('证件有效');
  const masked = (await stranger.locator('[data-test=verify-name]').textContent())!.trim();
  expect(masked).toMatch(/^.\*+.?$/);
  expect(masked).not.toBe(mine.workId.name);
  await expect(stranger.locator('[data-test=verify-grid]')).toHaveText(mine.gridName);
  await expect(stranger.locator('[data-test=verify-result]')).not.toContainText(mine.workId.number);
  await shot(stranger, 'public-work-id-check');

  await stranger.goto('/m/verify/AAAAAAAAAAAAAAAAAAAAAA');
  await expect(stranger.locator('[data-test=verify-unknown]')).toContainText('查无此证');
});
