// Live updates in the console (GET /api/live, server-sent events): with the duty officer's queue open, a case that turns
// red elsewhere pops up within seconds — no reload, no polling — and leads to the case; the queue and its badge follow.
import { test, expect } from '@playwright/test';
import { apiAs, unique, shot } from './helpers';
import { microGridCentre, signIn } from './console-helpers';

test('a case turning red pops up on the duty officer\'s open console at once, and the queue follows without a reload', async ({ page }) => {
  const ops = await apiAs('ops');
  await signIn(page, 'ops');
  await page.locator('[data-test=menu-to-accept]').click();
  await expect(page).toHaveURL(/\/queues\/to-accept$/);
  const marker = await page.evaluate(() => { (window as unknown as { stayed: boolean }).stayed = true; return true; });
  expect(marker).toBe(true);

  const { lon, lat } = await microGridCentre(ops, 7);
  const title = unique('实时测试');
  const created = await ops.post('/api/cases', {
    data: { categoryCode: 'C0101', title, description: '主干道井盖缺失，车辆绕行', lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '周女士' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { number } = await created.json();
  const table = page.locator('.el-table__body');
  let version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  const escalate = async (reason: string) => {
    expect((await ops.post(`/api/cases/${number}/escalate`, { data: { expectedVersion: version, reason } })).status()).toBe(200);
    version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  };
  // Blue and still reported: the subdistrict's to accept — it joins the open queue by itself.
  await escalate('需社区协调。');
  await escalate('需街道研究。');
  await expect(table).toContainText(number, { timeout: 5000 });
  // Red: the district's now — it pops up, and leaves the queue.
  await escalate('涉及区级权限。');
  const popup = page.locator('.live-urgent', { hasText: number });
  await expect(popup).toBeVisible({ timeout: 5000 });
  await expect(popup).toContainText('红色案件');
  // …and sounds once (the alert tones; the page counts them, since a test cannot listen).
  await expect(page.locator('html')).toHaveAttribute('data-alert-sounds', '1');
  await expect(table).not.toContainText(number, { timeout: 5000 });
  await shot(page, 'console-live-red-case');
  // Still the same page: nothing was reloaded.
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  await popup.click();
  await expect(page).toHaveURL(new RegExp(`/cases/${number}$`));
});
