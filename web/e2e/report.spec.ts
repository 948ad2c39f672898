// The resident's 随手拍 on a 360×640 phone without an account: photo, position, two taps, words, send.
import { test, expect } from '@playwright/test';
import { apiAs, countCases, demoPlace, fillReport, leaderOf, phoneContext, shot, unique } from './helpers';

test('an anonymous resident reports with a photo and the grid leader of that grid sees the case', async ({ browser }) => {
  const admin = await apiAs('district'); // a whole-district reader: administrators see no case
  const place = await demoPlace(admin);
  const leader = await leaderOf(admin, place.thirdCode);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();

  await page.goto('/m/report');
  await expect(page.locator('[data-test=receiver]')).toContainText('将由');
  await shot(page, 'phone-report-empty');

  const description = unique('路灯不亮，晚上看不清路 e2e-');
  await fillReport(page, description);
  await shot(page, 'phone-report-filled');
  await page.locator('[data-test=submit]').click();

  const number = (await page.locator('[data-test=case-number]').textContent())?.trim() ?? '';
  expect(number).toMatch(/^\d{13}$/);
  await shot(page, 'phone-report-receipt');

  // The leader of the 3rd-level grid that owns the micro-grid sees it.
  const asLeader = await apiAs(leader);
  const detail = await asLeader.get(`/api/cases/${number}`);
  expect(detail.status()).toBe(200);
  expect((await detail.json()).gridCode.startsWith(place.thirdCode)).toBe(true);

  // My reports: the number is kept with its follow token, progress in plain words.
  await page.goto('/m/mine');
  await expect(page.locator('[data-test=my-reports]')).toContainText(number);
  await shot(page, 'phone-mine');
  await page.getByText(number).click();
  await expect(page.locator('[data-test=status]')).not.toBeEmpty();
  await shot(page, 'phone-track');

  await context.close();
});

test('a report made offline waits in the outbox across a reload and becomes exactly one case', async ({ browser }) => {
  const admin = await apiAs('district'); // a whole-district reader: administrators see no case
  const place = await demoPlace(admin, 140);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();
  await page.goto('/m/report');
  await expect(page.locator('[data-test=receiver]')).toContainText('将由');

  const description = unique('离线上报 e2e-');
  await fillReport(page, description);
  await context.setOffline(true);
  await page.locator('[data-test=submit]').click();
  await expect(page.locator('[data-test=queued]')).toBeVisible();
  await shot(page, 'phone-report-queued');

  // Back online, but the first answer is lost on the way back: the server made the case, the phone never heard.
  // Until the test has looked at the queue, any further retry fails too, so what it sees does not depend on timing.
  let lost = 0;
  await page.route('**/api/cases', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    if (lost > 0) return route.abort('internetdisconnected');
    lost++;
    await route.fetch();
    // The reload may have cancelled the request meanwhile (then the route is already done): lost all the same.
    await route.abort('connectionreset').catch(() => undefined);
  });
  await context.setOffline(false);
  await page.reload();
  await expect.poll(() => lost).toBe(1);
  await expect(page.locator('[data-test=queue-count]')).toContainText('1');
  await shot(page, 'phone-report-queued-after-reload');

  // The retry sends the same Idempotency-Key: the server answers with the first case.
  await page.unroute('**/api/cases');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(page.locator('[data-test=queue-count]')).toHaveCount(0);
  await page.goto('/m/mine');
  await expect(page.locator('[data-test=my-reports] .van-cell')).not.toHaveCount(0);
  expect(await countCases(admin, description)).toBe(1);
  await shot(page, 'phone-mine-after-offline');
  await context.close();
});

test('the map is loaded only when the reporter opens it, and dragging the pin asks the locator again', async ({ browser }) => {
  const admin = await apiAs('district'); // a whole-district reader: administrators see no case
  const place = await demoPlace(admin, 60);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await page.goto('/m/report');
  await expect(page.locator('[data-test=receiver]')).toContainText('将由');
  expect(scripts.filter((s) => s.includes('MapPicker'))).toHaveLength(0);

  await page.locator('[data-test=open-map]').click();
  const map = page.locator('[data-test=map]');
  await expect(map.locator('canvas')).toBeVisible();
  expect(scripts.filter((s) => s.includes('MapPicker'))).toHaveLength(1);

  const locate = page.waitForResponse((r) => r.url().includes('/api/geo/locate') && r.url().includes('accuracy=10'));
  const box = (await map.boundingBox())!;
  await map.click({ position: { x: box.width / 2 + 60, y: box.height / 2 } });
  expect((await locate).ok()).toBe(true);
  await shot(page, 'phone-report-map');
  await context.close();
});
